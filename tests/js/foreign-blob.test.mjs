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
import { FAST_POLL, bytesOf, expectError, sdk, useEmulator } from "../support/helpers.mjs";

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

// Vitest's jsdom and happy-dom environments put the DOM library's classes on Node's own global
// scope (Jest's run the test in its window): Blob, File and XMLHttpRequest are jsdom's, and
// happy-dom's fetch replaces Node's. Node's fetch cannot send jsdom's Blob ("[object Blob]"), and
// the DOM library's XHR and fetch send the test page's Origin and enforce CORS. The Node entries
// then send through node:http (client.js nodeTransport), reading the Blob through its own API.
describe("in a Node process whose globals a simulated DOM replaced", () => {
  const NAMES = ["document", "Blob", "File", "FileReader", "XMLHttpRequest", "fetch"];
  const realms = [
    ["jsdom (as Vitest installs it)", jsdom, { fetch: globalThis.fetch }],
    ["happy-dom (its fetch too)", happy, {}],
  ];
  for (const [name, window, keep] of realms) {
    it(`${name}: the upload goes through Node's transport, with the file's bytes`, async () => {
      const saved = Object.fromEntries(NAMES.map((n) => [n, Object.getOwnPropertyDescriptor(globalThis, n)]));
      for (const n of NAMES) Object.defineProperty(globalThis, n, { value: keep[n] ?? window[n], configurable: true, writable: true });
      const original = bytesOf(`dom-${name}`, 6000);
      const events = [];
      let job;
      try {
        const dom = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
        const file = new window.File([original], "p.png", { type: "image/png" });
        ({ job } = await dom.runJob(file, { taskType: "AC-1", ...FAST_POLL, onProgress: (e) => events.push(e.lengthComputable) }));
      } finally {
        for (const n of NAMES) {
          if (saved[n]) Object.defineProperty(globalThis, n, saved[n]);
          else delete globalThis[n];
        }
      }
      // Read back with Node's own fetch again.
      assert.equal(md5(await storedInput(job)), md5(original));
      assert.deepEqual(events, [false, true], "fetch-style progress (no XHR byte progress)");
      const log = await emu.log();
      assert.deepEqual(log.filter((e) => e.method === "OPTIONS" || e.headers.origin !== undefined), [], "no request from the DOM library (CORS)");
    });
  }
});
