// Never the wrong bytes (issue 19): a Blob of another implementation, as the test environments of
// most frontends hand out (jsdom's File under Vitest and Angular's `ng test`, happy-dom's), passes
// the SDK's Blob check by its shape, and Node's fetch cannot send it (it sent the text
// "[object Blob]"). The Node entries read such a Blob through its own API first: the emulator must
// hold exactly its bytes. A Blob that cannot be read, or reads as other than its size, is refused
// before anything is created.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { JSDOM } from "jsdom";
import { Window } from "happy-dom";
import { FAST_POLL, bytesOf, expectError, useEmulator } from "../support/helpers.mjs";

let emu;
let client;
useEmulator({ processingMs: 60 }, (e, c) => ([emu, client] = [e, c]));

const md5 = (bytes) => createHash("md5").update(bytes).digest("hex");
const jsdom = new JSDOM("").window;
const happy = new Window();

/** The bytes the emulator stored for a job's input (its input artifact, read raw). */
async function storedInput(job, slot = "original") {
  const artifact = job.artifacts.find((a) => a.kind === "input" && a.slotName === slot);
  const res = await fetch(artifact.downloadUrl);
  assert.equal(res.status, 200);
  return new Uint8Array(await res.arrayBuffer());
}

/** The bytes the emulator stored for a media record (its srcURL, read raw). */
async function storedMedia(mid) {
  const res = await fetch(`${emu.api}/media/${mid}`, { headers: { authorization: `Bearer ${emu.apiKey}` } });
  const record = await res.json();
  return new Uint8Array(await (await fetch(record.srcURL)).arrayBuffer());
}

const realms = [
  ["jsdom", (bytes, type, name) => new jsdom.File([bytes], name, { type }), () => (globalThis.FileReader = jsdom.FileReader)],
  ["happy-dom", (bytes, type, name) => new happy.File([bytes], name, { type }), () => {}],
];

describe("Blobs of jsdom and happy-dom are sent as their bytes", () => {
  for (const [realm, makeFile, setUp] of realms) {
    it(`${realm}: runJob (the original and a reference) and uploadAndPoll store exactly the file's bytes`, async () => {
      setUp();
      try {
        const original = bytesOf(`${realm}-original`, 7831);
        const reference = bytesOf(`${realm}-reference`, 2048);
        const file = makeFile(original, "image/png", "photo.png");
        assert.ok(!(file instanceof Blob), "the test's file is not Node's own Blob");
        const { job } = await client.runJob(
          { original: file, reference: { file: makeFile(reference, "image/jpeg", "id.jpg") } },
          { taskType: "FI-1", parameters: { isSimilarityCheck: true }, ...FAST_POLL },
        );
        assert.equal(md5(await storedInput(job)), md5(original));
        assert.equal(md5(await storedInput(job, "reference")), md5(reference));
        const { media } = await client.uploadAndPoll(makeFile(original, "image/png", "p.png"), { modelType: "AC-1", ...FAST_POLL });
        assert.equal(md5(await storedMedia(media.mid)), md5(original));
      } finally {
        delete globalThis.FileReader;
      }
    });
  }

  it("a Blob that reads as other than its size, or cannot be read, is refused before anything is created", async () => {
    const before = (await emu.apiLog()).length;
    const lying = { size: 10, type: "image/png", slice() {}, arrayBuffer: async () => new ArrayBuffer(3) };
    const err = await expectError(() => client.runJob(lying, { taskType: "AC-1" }), "ConfigurationError", { code: "INVALID_ARGUMENT" });
    assert.match(err.message, /says it holds 10 bytes but reads as 3/);
    // jsdom's Blob has no arrayBuffer(): without a FileReader it cannot be read.
    const unreadable = new jsdom.Blob([new Uint8Array(5)], { type: "image/png" });
    const e2 = await expectError(() => client.uploadAndPoll(unreadable, { modelType: "AC-1" }), "ConfigurationError", { code: "INVALID_ARGUMENT" });
    assert.match(e2.message, /no arrayBuffer\(\) and no FileReader/);
    assert.equal((await emu.apiLog()).length, before, "nothing reached the API");
  });

  it("the runtime's own Blobs pass untouched (no copy)", async () => {
    const blob = new Blob([bytesOf("own", 900)], { type: "image/png" });
    let read = false;
    const original = blob.arrayBuffer;
    blob.arrayBuffer = function () {
      read = true;
      return original.call(this);
    };
    const { job } = await client.runJob(blob, { taskType: "AC-1", ...FAST_POLL });
    assert.equal(job.status, "completed");
    assert.equal(read, false, "the SDK read the file into memory");
  });
});
