// After free(), the Node entries' client (the wasm class itself, through pkg/client.js) behaves
// as the browser entry's does: every call rejects with a ConfigurationError, nothing throws
// synchronously (SDK.md: methods never throw), and free() again does nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as esm from "../../pkg/node.js";

const cjs = createRequire(import.meta.url)("../../pkg/node.cjs");
const MID = "0123456789abcdef01234567";

for (const [entry, sdk] of [["node.js", esm], ["node.cjs", cjs]]) {
  test(`${entry}: a freed client rejects every call with a ConfigurationError and throws nothing`, async () => {
    const client = new sdk.AuthentaClient({ apiKey: "sk_SECRET_free", baseUrl: "http://127.0.0.1:9/api" });
    client.free();
    const calls = {
      getMedia: () => client.getMedia(MID),
      listMedia: () => client.listMedia(),
      getJob: () => client.getJob("1"),
      waitForResult: () => client.waitForResult(MID),
      uploadFile: () => client.uploadFile("http://127.0.0.1:9/u", new Blob(["x"], { type: "video/mp4" }), {}),
      runJob: () => client.runJob(new Blob(["x"], { type: "image/png" }), { taskType: "AC-1" }),
      iterateMedia: () => client.iterateMedia()[Symbol.asyncIterator]().next(),
      iterateJobs: () => client.iterateJobs().next(),
    };
    for (const [name, call] of Object.entries(calls)) {
      let pending;
      assert.doesNotThrow(() => (pending = call()), `${name} threw synchronously`);
      const err = await pending.then(() => undefined, (e) => e);
      assert.ok(err instanceof sdk.ConfigurationError, `${name}: ${err}`);
      assert.equal(err.code, "CONFIGURATION");
      assert.match(err.message, /used after free\(\)/);
    }
    assert.equal(String(client), "AuthentaClient(<freed>)");
    assert.equal(JSON.stringify(client), "{}");
    assert.doesNotThrow(() => client.free(), "free() twice");
  });
}

test("a live client's methods still work through the guard (arguments passed on)", async () => {
  const client = new esm.AuthentaClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9/api" });
  const err = await client.getMedia("../x").then(() => undefined, (e) => e);
  assert.ok(err instanceof esm.ConfigurationError, `${err}`);
  assert.equal(err.code, "INVALID_ARGUMENT");
  assert.match(String(client), /^AuthentaClient\(/);
  client.free();
});
