// ConfigurationError: bad constructor options throw synchronously (code CONFIGURATION); bad
// method arguments reject (code INVALID_ARGUMENT), never throw, and send nothing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FAST_POLL, bytesOf, checkError, expectError, sdk, video, useEmulator } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";

let emu;
let client;

useEmulator({ processingMs: 200 }, (e, c) => ([emu, client] = [e, c]));

describe("constructor options", () => {
  const bad = {
    "an empty key": () => ({ apiKey: "", baseUrl: emu.api }),
    "a blank key": () => ({ apiKey: "   ", baseUrl: emu.api }),
    "a key that is a number": () => ({ apiKey: 42, baseUrl: emu.api }),
    "http: to a host other than localhost": () => ({ apiKey: "k", baseUrl: "http://example.com" }),
    "http: to a public host with a path": () => ({ apiKey: "k", baseUrl: "http://platform.authenta.ai/api" }),
    "a relative baseUrl": () => ({ apiKey: "k", baseUrl: "/api" }),
    "a baseUrl that is not a URL": () => ({ apiKey: "k", baseUrl: "not a url" }),
    "an ftp: baseUrl": () => ({ apiKey: "k", baseUrl: "ftp://example.com/api" }),
    "a negative timeoutMs": () => ({ apiKey: "k", baseUrl: emu.api, timeoutMs: -1 }),
    "a NaN timeoutMs": () => ({ apiKey: "k", baseUrl: emu.api, timeoutMs: NaN }),
    // Longer than a timer can wait: setTimeout would fire at once (after a warning in Node).
    "a timeoutMs of 2^31 ms": () => ({ apiKey: "k", baseUrl: emu.api, timeoutMs: 2 ** 31 }),
    "a negative maxRetries": () => ({ apiKey: "k", baseUrl: emu.api, maxRetries: -1 }),
    "a header value that is not a string": () => ({ apiKey: "k", baseUrl: emu.api, headers: { "x-retries": 3 } }),
    "no credentials with the default baseUrl": () => ({}),
    "no credentials with the default baseUrl (timeout only)": () => ({ timeoutMs: 1000 }),
  };
  for (const [what, options] of Object.entries(bad)) {
    it(`${what}: ConfigurationError thrown by the constructor`, () => {
      let err;
      assert.throws(() => new sdk.AuthentaClient(options()), (e) => {
        err = e;
        return true;
      });
      checkError(err, "ConfigurationError", { code: "CONFIGURATION", retryable: false, statusCode: undefined });
    });
  }

  it("no options at all: ConfigurationError", () => {
    let err;
    assert.throws(() => new sdk.AuthentaClient(), (e) => ((err = e), true));
    checkError(err, "ConfigurationError", { code: "CONFIGURATION", retryable: false });
  });

  it("good options construct without any network", async () => {
    const good = [
      { apiKey: "k" },
      { apiKey: "k", baseUrl: "https://example.com/api" },
      { apiKey: "k", baseUrl: "http://localhost:1234/api" },
      { apiKey: "k", baseUrl: "http://127.0.0.1:1234" },
      { apiKey: "k", baseUrl: "http://[::1]:1234/api" },
      { baseUrl: "https://my-backend.example/authenta" },
      { apiKey: () => "token", baseUrl: emu.api },
      { clientId: "id", clientSecret: "secret", baseUrl: emu.api },
      { apiKey: "k", baseUrl: emu.api, timeoutMs: 1, maxRetries: 0 },
    ];
    for (const o of good) assert.ok(new sdk.AuthentaClient(o) instanceof sdk.AuthentaClient, JSON.stringify(o));
    assert.equal((await emu.log()).length, 0);
  });
});

describe("method arguments", () => {
  /** Calls `fn` expecting no synchronous throw, then a rejection with INVALID_ARGUMENT. */
  async function rejectsArgument(fn) {
    let p;
    assert.doesNotThrow(() => {
      p = fn();
    }, "a method never throws synchronously");
    assert.ok(p && typeof p.then === "function", "a method returns a promise");
    return expectError(p, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false, statusCode: undefined });
  }

  const badMids = ["../x", "a/b", "", ".", "..", "a?b", "x#y", "/", "a/"];
  for (const mid of badMids) {
    it(`mid ${JSON.stringify(mid)} is refused by every method taking a mid`, async () => {
      await rejectsArgument(() => client.getMedia(mid));
      await rejectsArgument(() => client.deleteMedia(mid));
      await rejectsArgument(() => client.waitForResult(mid, FAST_POLL));
      await rejectsArgument(() => client.getResult(mid));
      assert.equal((await emu.log()).length, 0, "no request");
    });
  }

  it("a mid that is not a string", async () => {
    await rejectsArgument(() => client.getMedia(42));
    await rejectsArgument(() => client.getMedia(undefined));
    await rejectsArgument(() => client.deleteMedia(null));
    assert.equal((await emu.log()).length, 0);
  });

  for (const pageSize of [0, -1, 101, 1.5]) {
    it(`iterateMedia({pageSize: ${pageSize}}) rejects on the first next(), never throws`, async () => {
      let it;
      assert.doesNotThrow(() => {
        it = client.iterateMedia({ pageSize });
      });
      await expectError(async () => {
        for await (const _ of it) { /* nothing */ }
      }, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      assert.equal((await emu.log()).length, 0);
    });
  }

  it("upload(): empty blob, missing content type, mismatched content type, no modelType", async () => {
    const bytes = bytesOf("args");
    await rejectsArgument(() => client.upload(new Blob([], { type: "video/mp4" }), { modelType: "DF-1" }));
    await rejectsArgument(() => client.upload(new Blob([bytes]), { modelType: "DF-1" }));
    await rejectsArgument(() => client.upload(video(bytes), { modelType: "DF-1", contentType: "video/webm" }));
    await rejectsArgument(() => client.upload(video(bytes), {}));
    await rejectsArgument(() => client.upload("not a blob", { modelType: "DF-1" }));
    await rejectsArgument(() => client.upload(video(bytes), { modelType: "DF-1", signal: "nope" }));
    assert.equal((await emu.log()).length, 0, "no request: no record, no credit");
  });

  it("uploadAndPoll(): the same checks, before any request", async () => {
    const bytes = bytesOf("args2");
    await rejectsArgument(() => client.uploadAndPoll(new Blob([]), { modelType: "DF-1", ...FAST_POLL }));
    await rejectsArgument(() => client.uploadAndPoll(new Blob([bytes]), { modelType: "DF-1", ...FAST_POLL }));
    await rejectsArgument(() => client.uploadAndPoll(video(bytes), { modelType: "DF-1", contentType: "video/quicktime" }));
    await rejectsArgument(() => client.uploadAndPoll(video(bytes), { modelType: "DF-1", pollIntervalMs: -5 }));
    const keys = await emu.control("keys");
    assert.equal(keys.keys[0].credits, 1000);
    assert.equal((await emu.log()).length, 0);
  });

  it("uploadFile(): empty blob and missing content type", async () => {
    const created = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    await emu.clearLog();
    await rejectsArgument(() => client.uploadFile(created.uploadUrl, new Blob([], { type: "video/mp4" })));
    await rejectsArgument(() => client.uploadFile(created.uploadUrl, new Blob([bytesOf("x", 10)])));
    await rejectsArgument(() => client.uploadFile(42, video(bytesOf("x", 10))));
    assert.equal((await emu.log()).length, 0);
  });

  it("bad request options", async () => {
    await rejectsArgument(() => client.listMedia({}, { timeoutMs: -5 }));
    await rejectsArgument(() => client.listMedia({}, { maxRetries: -1 }));
    await rejectsArgument(() => client.getMedia("0123456789abcdef01234567", { signal: {} }));
    await rejectsArgument(() => client.waitForResult("0123456789abcdef01234567", { timeoutMs: -1 }));
    await rejectsArgument(() => client.listMedia({}, { timeoutMs: 2 ** 32 }));
    await rejectsArgument(() => client.waitForResult("0123456789abcdef01234567", { timeoutMs: 2 ** 31 }));
    await rejectsArgument(() => client.waitForResult("0123456789abcdef01234567", { pollIntervalMs: 2 ** 31 }));
    await rejectsArgument(() => client.createMedia(null));
    assert.equal((await emu.log()).length, 0);
  });

  it("callbacks and option values of the wrong type", async () => {
    const mid = "0123456789abcdef01234567";
    const bytes = bytesOf("wrong-types");
    await rejectsArgument(() => client.waitForResult(mid, { onStatus: 5 }));
    await rejectsArgument(() => client.upload(video(bytes), { modelType: "DF-1", onProgress: "log it" }));
    await rejectsArgument(() => client.upload(video(bytes), { modelType: "DF-1", metadata: "isSingleFace" }));
    await rejectsArgument(() => client.upload(video(bytes), { modelType: "DF-1", timeoutMs: "soon" }));
    await rejectsArgument(() => client.listMedia({ limit: "ten" }));
    assert.equal((await emu.log()).length, 0);
  });

  it("the client keeps working", async () => {
    const bytes = bytesOf("config-still-works");
    const { media, result } = await client.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    assert.equal(media.status, "PROCESSED");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});
