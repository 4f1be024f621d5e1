// Behaviours of the operations that users meet in production (issue 11): a wait rides out an API
// blip, iterators release everything, storage failures are storage errors, causes are kept, and
// a body past the cap is refused while it is read.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { initSync } from "../../pkg/authenta_wasm.js";
import { FAST_POLL, bytesOf, closedPort, expectError, sdk, video, useEmulator } from "../support/helpers.mjs";

let emu;
let client;

useEmulator({ processingMs: 150 }, (e, c) => ([emu, client] = [e, c]));

async function processed(seed) {
  const { media } = await client.uploadAndPoll(video(bytesOf(seed)), { modelType: "DF-1", ...FAST_POLL });
  return media;
}

const polls = async (mid) => (await emu.log()).filter((e) => e.method === "GET" && e.path === `/api/media/${mid}`).length;

describe("waitForResult rides out transient failures", () => {
  it("four 503s in a row (more than maxRetries) inside the deadline: the wait succeeds", async () => {
    const media = await processed("blip");
    await emu.clearLog();
    await emu.fault({ route: "GET /media/:mid", count: 4, status: 503, retryAfter: "0", body: { message: "down" } });
    const got = await client.waitForResult(media.mid, { ...FAST_POLL, maxRetries: 2, timeoutMs: 60_000 });
    assert.equal(got.status, "PROCESSED");
    assert.equal(await polls(media.mid), 5, "four failed polls, then the one that answered");
  });

  it("at the deadline: TimeoutError whose cause is the last failure (a ServerError)", async () => {
    const media = await processed("blip-deadline");
    await emu.fault({ route: "GET /media/:mid", count: 1000, status: 503, retryAfter: "0", body: { message: "down" } });
    const err = await expectError(
      client.waitForResult(media.mid, { ...FAST_POLL, maxRetries: 1, timeoutMs: 1500 }),
      "TimeoutError",
      { code: "TIMEOUT", mid: media.mid },
    );
    assert.ok(err.cause instanceof sdk.ServerError, `cause: ${err.cause?.name}`);
    assert.equal(err.cause.statusCode, 503);
    assert.equal(JSON.parse(JSON.stringify(err)).cause.name, "ServerError", "toJSON keeps the cause");
  });

  it("a failure that is not retryable ends the wait at once", async () => {
    const media = await processed("blip-401");
    await emu.clearLog();
    await emu.fault({ route: "GET /media/:mid", count: 5, status: 401, body: { code: "INVALID_API_KEY" } });
    await expectError(client.waitForResult(media.mid, { ...FAST_POLL, timeoutMs: 60_000 }), "AuthenticationError");
    assert.equal(await polls(media.mid), 1);
  });
});

describe("iterators", () => {
  it("a Node script iterating with timeoutMs exits as soon as its loop is done", async () => {
    await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    const pkg = fileURLToPath(new URL("../../pkg/node.js", import.meta.url));
    const script = `
      import { AuthentaClient } from ${JSON.stringify(pkg)};
      const c = new AuthentaClient({ apiKey: ${JSON.stringify(emu.apiKey)}, baseUrl: ${JSON.stringify(emu.api)} });
      let n = 0;
      for await (const m of c.iterateMedia({ timeoutMs: 20000 })) n++;
      console.log("loop-done", n, Date.now());`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exitedAt = await new Promise((resolve) => child.on("exit", (code) => resolve({ code, at: Date.now() })));
    const m = /loop-done (\d+) (\d+)/.exec(out);
    assert.ok(m, `the loop ended: ${out}`);
    assert.equal(exitedAt.code, 0);
    assert.equal(Number(m[1]), 1);
    assert.ok(exitedAt.at - Number(m[2]) < 1000, `exited ${exitedAt.at - Number(m[2])} ms after its loop`);
  });

  it("concurrent next() calls are answered in order, each page fetched once", async () => {
    for (let i = 0; i < 4; i++) {
      await client.createMedia({ name: `p${i}.mp4`, contentType: "video/mp4", size: 10, modelType: "DF-1" });
    }
    await emu.clearLog();
    const it = client.iterateMedia({ pageSize: 2 });
    const got = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    assert.deepEqual(got.map((r) => r.done), [false, false, false, false, true]);
    assert.equal(new Set(got.slice(0, 4).map((r) => r.value.mid)).size, 4, "four different records");
    const pages = (await emu.log()).filter((e) => e.method === "GET" && e.path === "/api/media").map((e) => e.query);
    assert.deepEqual(pages, ["limit=2&offset=0", "limit=2&offset=2"], "two different pages, once each");
  });

  it("return() while a page is in flight: that page is served, then the iterator is done", async () => {
    for (let i = 0; i < 2; i++) {
      await client.createMedia({ name: `r${i}.mp4`, contentType: "video/mp4", size: 10, modelType: "DF-1" });
    }
    await emu.clearLog();
    await emu.fault({ route: "GET /media", count: 1, delayMs: 300 });
    const it = client.iterateMedia({ pageSize: 1 });
    const first = it.next(); // waits 300 ms for its page
    const returned = it.return();
    const [r1, r2] = await Promise.all([first, returned]);
    assert.equal(r1.done, false);
    assert.equal(typeof r1.value.mid, "string", "the page in flight is served, its state not freed under it");
    assert.deepEqual(r2, { done: true, value: undefined });
    assert.deepEqual(await it.next(), { done: true, value: undefined }, "nothing after return()");
    const pages = (await emu.log()).filter((e) => e.method === "GET" && e.path === "/api/media");
    assert.equal(pages.length, 1, "no page asked for after return()");
  });

  it("break in for await ends the iteration after the first record", async () => {
    for (let i = 0; i < 3; i++) {
      await client.createMedia({ name: `b${i}.mp4`, contentType: "video/mp4", size: 10, modelType: "DF-1" });
    }
    await emu.clearLog();
    const seen = [];
    for await (const media of client.iterateMedia({ pageSize: 1 })) {
      seen.push(media.mid);
      break;
    }
    assert.equal(seen.length, 1);
    const pages = (await emu.log()).filter((e) => e.method === "GET" && e.path === "/api/media");
    assert.equal(pages.length, 1, "one page read, none after break");
  });

  it("an error ends the iteration", async () => {
    await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    const it = client.iterateMedia({ pageSize: 1 });
    await emu.fault({ route: "GET /media", count: 1, status: 404, body: {} });
    await expectError(it.next(), "NotFoundError");
    assert.deepEqual(await it.next(), { done: true, value: undefined }, "nothing after an error");
  });
});

describe("storage is not the API", () => {
  const xml = (code) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`;
  for (const [status, code, retried] of [
    [403, "AccessDenied", false],
    [404, "NoSuchKey", false],
    [500, "InternalError", true],
  ]) {
    it(`a result URL answering ${status} ${code}: StorageError with s3Code${retried ? ", retried" : ", not retried"}`, async () => {
      const media = await processed(`storage-${status}`);
      await emu.clearLog();
      await emu.fault({ route: "GET storage", count: 10, status, contentType: "application/xml", body: xml(code), retryAfter: "0" });
      const err = await expectError(client.getResult(media, { maxRetries: 2 }), "StorageError", {
        statusCode: status,
        s3Code: code,
        code: status === 403 ? "RESULT_URL_EXPIRED" : "DOWNLOAD_FAILED",
      });
      assert.ok(!(err instanceof sdk.UploadError));
      assert.doesNotMatch(err.message, /API key|check the mid/);
      const gets = (await emu.log()).filter((e) => e.origin === "storage" && e.method === "GET").length;
      assert.equal(gets, retried ? 3 : status === 403 ? 2 : 1);
    });
  }
});

describe("cause", () => {
  it("a refused connection keeps the runtime's network error", async () => {
    const port = await closedPort();
    const dead = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: `http://127.0.0.1:${port}/api` });
    const err = await expectError(dead.listMedia({}, { maxRetries: 0 }), "ConnectionError");
    assert.ok(err.cause instanceof TypeError, `cause: ${err.cause}`);
    assert.match(String(err.cause.cause?.code ?? err.cause.message), /ECONNREFUSED|fetch failed/);
  });

  it("a signal aborted before the call: AbortError with the reason as cause, nothing sent", async () => {
    const reason = new Error("the user left before it started");
    await emu.clearLog();
    const err = await expectError(client.getMedia("0123456789abcdef01234567", { signal: AbortSignal.abort(reason) }), "AbortError");
    assert.equal(err.cause, reason);
    const long = await expectError(
      client.uploadAndPoll(video(bytesOf("pre-aborted")), { modelType: "DF-1", signal: AbortSignal.abort(reason) }),
      "AbortError",
    );
    assert.equal(long.cause, reason);
    assert.equal((await emu.log()).length, 0);
  });

  it("an abort keeps the caller's reason", async () => {
    const reason = new Error("user left the page");
    const ac = new AbortController();
    await emu.fault({ route: "GET /media", count: 1, delayMs: 2000 });
    const p = client.listMedia({}, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    const err = await expectError(p, "AbortError");
    assert.equal(err.cause, reason);
  });
});

describe("callbacks", () => {
  it("an async onStatus or onProgress that rejects is ignored, like one that throws: no unhandled rejection", async () => {
    const unhandled = [];
    const record = (reason) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      let statuses = 0;
      let progress = 0;
      const { media } = await client.uploadAndPoll(video(bytesOf("async-callbacks")), {
        modelType: "DF-1",
        ...FAST_POLL,
        onStatus: async () => {
          statuses++;
          throw new Error("the caller's database is down");
        },
        onProgress: async () => {
          progress++;
          throw new Error("the caller's progress bar is gone");
        },
      });
      assert.equal(media.status, "PROCESSED");
      assert.ok(statuses > 0 && progress > 0, `called: onStatus ${statuses}, onProgress ${progress}`);
      await new Promise((r) => setTimeout(r, 50)); // past the microtasks where Node reports them
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});

describe("the 64 MiB cap holds while reading", () => {
  it("a 70 MiB body without Content-Length is refused without wasm memory growing by it", async () => {
    const wasm = initSync();
    // The exports have short names (scripts/minify-names.mjs): the memory by its type.
    const memory = Object.values(wasm).find((v) => v instanceof WebAssembly.Memory);
    const before = memory.buffer.byteLength;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    let sent = 0;
    const endless = () =>
      new Response(
        new ReadableStream({
          pull(c) {
            if (sent >= 70 * 1024 * 1024) return c.close();
            sent += chunk.byteLength;
            c.enqueue(chunk);
          },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    const streaming = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api, fetch: async () => endless() });
    await expectError(streaming.listMedia(), "InvalidResponseError", { statusCode: 200 });
    assert.ok(sent < 70 * 1024 * 1024, `stopped reading at ${sent} bytes`);
    assert.ok(sent > 64 * 1024 * 1024, "read up to the cap");
    assert.ok(memory.buffer.byteLength - before < 1024 * 1024, "wasm memory did not grow by the body");
  });

  it("a gzip body of 70 MiB when decoded, 70 KB as sent (Content-Length), is refused", async () => {
    // Valid JSON once decoded: read whole, it would be a page of records with a long field.
    const page = `{"limit":10,"offset":0,"total":0,"data":[],"pad":"${" ".repeat(70 * 1024 * 1024)}"}`;
    const gz = gzipSync(page);
    assert.ok(gz.length < 200 * 1024, `compressed to ${gz.length} bytes`);
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": gz.length });
      res.end(gz);
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    try {
      const bomb = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: `http://127.0.0.1:${server.address().port}/api` });
      await expectError(bomb.listMedia(), "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
      // The same body with its true length is read: the refusal is the cap, not the encoding.
      const small = gzipSync(`{"limit":10,"offset":0,"total":0,"data":[],"pad":"${" ".repeat(1024)}"}`);
      server.removeAllListeners("request");
      server.on("request", (req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": small.length });
        res.end(small);
      });
      assert.deepEqual((await bomb.listMedia()).data, []);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
