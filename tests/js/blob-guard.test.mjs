// The PUT's guard (issue 19, "never the wrong bytes"): what the transport is handed is the
// platform's own Blob holding exactly the size declared at creation, or the call rejects with a
// ConfigurationError INVALID_ARGUMENT before the PUT, and nothing is finalized. The fakes here are
// `instanceof Blob` (the Node entries read any other Blob into a real one first), so only the
// brand check of runtime.js's send stands between them and the upload.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FAST_POLL, bytesOf, expectError, useEmulator } from "../support/helpers.mjs";

let emu;
let client;
useEmulator({ processingMs: 60 }, (e, c) => ([emu, client] = [e, c]));

/** Blobs that say other than what they hold. */
const liars = [
  ["a Blob subclass whose size says more than it holds", () => {
    class Liar extends Blob {
      get size() {
        return 10;
      }
    }
    return new Liar([bytesOf("liar", 3)], { type: "image/png" });
  }],
  ["a real Blob with its size overwritten", () => {
    const blob = new Blob([bytesOf("overwritten", 3)], { type: "image/png" });
    return Object.defineProperty(blob, "size", { value: 10 });
  }],
  ["an object made from Blob.prototype, no Blob at all", () =>
    Object.create(Blob.prototype, { size: { value: 10 }, type: { value: "image/png" }, slice: { value: () => {} } })],
];

const puts = async () => (await emu.log("storage")).filter((e) => e.method === "PUT");

describe("a Blob that is not what it says is refused before the PUT; nothing is finalized", () => {
  for (const [what, make] of liars) {
    it(`${what}: runJob, uploadAndPoll, uploadFile`, async () => {
      const e1 = await expectError(() => client.runJob(make(), { taskType: "AC-1", ...FAST_POLL }), "ConfigurationError", {
        code: "INVALID_ARGUMENT", retryable: false,
      });
      assert.match(e1.message, /not a Blob of its declared size/);
      assert.match(e1.jobId ?? "", /^\d+$/, "the job it created is named");
      const job = await client.getJob(e1.jobId);
      assert.equal(job.status, "initiated", "the job was not finalized");
      assert.equal((await emu.apiLog({ path: /\/finalize$/ })).length, 0, "no finalize sent");

      const e2 = await expectError(() => client.uploadAndPoll(make(), { modelType: "AC-1", ...FAST_POLL }), "ConfigurationError", {
        code: "INVALID_ARGUMENT",
      });
      assert.equal((await client.getMedia(e2.mid)).status, "INITED", "nothing landed in the record");

      const created = await client.createMedia({ name: "x.png", contentType: "image/png", size: 10, modelType: "AC-1" });
      await expectError(() => client.uploadFile(created.uploadUrl, make()), "ConfigurationError", { code: "INVALID_ARGUMENT" });
      assert.deepEqual(await puts(), [], "no PUT reached storage");
    });
  }

  it("the runtime's own Blobs and Files still upload (Node's File too)", async () => {
    const { job } = await client.runJob(new File([bytesOf("own", 700)], "own.png", { type: "image/png" }), {
      taskType: "AC-1", ...FAST_POLL,
    });
    assert.equal(job.status, "completed");
  });
});
