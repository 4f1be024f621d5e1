// Errors that are not a plain API status: ConnectionError, TimeoutError, AbortError, UploadError,
// ProcessingError, InvalidResponseError. Each group ends with a successful call by the same client.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  FAST_POLL, bytesOf, closedPort, expectError, sdk, sleep, video, useEmulator } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";

const UNKNOWN_MID = "0123456789abcdef01234567";
let emu;
let client;

useEmulator({ processingMs: 200 }, (e, c) => ([emu, client] = [e, c]));

const body = (size = 10) => ({ name: "a.mp4", contentType: "video/mp4", size, modelType: "DF-1" });

async function stillWorks(c = client) {
  await emu.clearFaults();
  const bytes = bytesOf(`still-works-${Math.random()}`);
  const { media, result } = await c.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
  assert.equal(media.status, "PROCESSED");
  assert.equal((await c.getMedia(media.mid)).mid, media.mid);
  assert.deepEqual(result, await serverResult(emu, media.mid));
}

/** A record that exists, with its bytes uploaded or not. */
async function record({ upload = false, bytes = bytesOf("rec") } = {}) {
  const created = await client.createMedia(body(bytes.length));
  if (upload) await client.uploadFile(created.uploadUrl, video(bytes));
  return created;
}

/** How long `p` (or the call `p()`, timed from before it starts its operation) took to settle. */
async function timed(p) {
  const t0 = Date.now();
  try {
    return await (typeof p === "function" ? p() : p);
  } finally {
    timed.last = Date.now() - t0;
  }
}

describe("ConnectionError", () => {
  it("baseUrl on a closed port", async () => {
    const port = await closedPort();
    const dead = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: `http://127.0.0.1:${port}/api` });
    const err = await expectError(dead.listMedia({}, { maxRetries: 0 }), "ConnectionError", {
      code: "CONNECTION_ERROR", retryable: true, statusCode: undefined,
    });
    assert.equal(err.mid, undefined);
    await expectError(dead.getMedia(UNKNOWN_MID, { maxRetries: 1 }), "ConnectionError", {
      code: "CONNECTION_ERROR", retryable: true, mid: UNKNOWN_MID,
    });
  });

  it("the emulator drops the connection more often than maxRetries", async () => {
    await emu.fault({ route: "GET /media/:mid", count: 10, drop: true });
    await expectError(client.getMedia(UNKNOWN_MID, { maxRetries: 1 }), "ConnectionError", {
      code: "CONNECTION_ERROR", retryable: true, mid: UNKNOWN_MID,
    });
    assert.equal((await emu.apiLog()).length, 2, "1 + 1 retry");
  });

  it("a dropped upload, every attempt", async () => {
    await emu.fault({ route: "PUT upload", count: 10, drop: true });
    const created = await client.createMedia(body(4096));
    await expectError(client.uploadFile(created.uploadUrl, video(bytesOf("x")), { maxRetries: 1 }), "ConnectionError", {
      code: "CONNECTION_ERROR", retryable: true,
    });
    assert.equal((await emu.log("storage")).filter((e) => e.method === "PUT").length, 2);
  });

  it("a dropped result download", async () => {
    const { mid } = await record({ upload: true });
    const media = await client.waitForResult(mid, FAST_POLL);
    await emu.fault({ route: "GET storage", count: 10, drop: true });
    await expectError(client.getResult(media, { maxRetries: 0 }), "ConnectionError", { code: "CONNECTION_ERROR", mid });
  });

  it("the client keeps working", () => stillWorks());
});

describe("TimeoutError", () => {
  it("a scripted delay longer than the per-call timeoutMs", async () => {
    await emu.fault({ route: "GET /media/:mid", count: 1, delayMs: 3000 });
    await expectError(timed(() => client.getMedia(UNKNOWN_MID, { timeoutMs: 200, maxRetries: 0 })), "TimeoutError", {
      code: "TIMEOUT", retryable: true, mid: UNKNOWN_MID,
    });
    assert.ok(timed.last >= 150 && timed.last < 1500, `gave up after ${timed.last} ms`);
  });

  it("the client's timeoutMs option bounds each attempt", async () => {
    const quick = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api, timeoutMs: 200, maxRetries: 0 });
    await emu.fault({ route: "GET /media", count: 1, delayMs: 3000 });
    await expectError(timed(() => quick.listMedia()), "TimeoutError", { code: "TIMEOUT", retryable: true });
    assert.ok(timed.last < 1500, `${timed.last} ms`);
    assert.equal((await quick.listMedia()).total, 0, "that client works again");
  });

  it("AbortSignal.timeout() is a TimeoutError, not an AbortError", async () => {
    await emu.fault({ route: "GET /media", count: 1, delayMs: 3000 });
    await expectError(timed(() => client.listMedia({}, { signal: AbortSignal.timeout(150) })), "TimeoutError", {
      code: "TIMEOUT",
    });
    assert.ok(timed.last < 1500, `${timed.last} ms`);
    assert.equal((await emu.apiLog()).length, 1, "a caller's signal is not retried");
  });

  it("AbortSignal.timeout() on a long operation (uploadAndPoll)", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    await expectError(
      timed(() => client.uploadAndPoll(video(bytesOf("slow")), { modelType: "DF-1", ...FAST_POLL, signal: AbortSignal.timeout(400) })),
      "TimeoutError",
      { code: "TIMEOUT" },
    );
    assert.ok(timed.last < 2000, `${timed.last} ms`);
  });

  it("waitForResult's deadline with a long processing time", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    const { mid } = await record({ upload: true });
    const statuses = [];
    const err = await expectError(
      timed(() => client.waitForResult(mid, { ...FAST_POLL, timeoutMs: 400, onStatus: (m) => statuses.push(m.status) })),
      "TimeoutError",
      { code: "TIMEOUT", mid },
    );
    assert.ok(timed.last >= 350 && timed.last < 2000, `deadline after ${timed.last} ms`);
    assert.ok(statuses.length >= 1, "it did poll");
    assert.ok(err.message.includes(mid), err.message);
    const polls = await emu.apiLog({ method: "GET", path: `/api/media/${mid}` });
    assert.ok(polls.length >= 2, `${polls.length} polls`);
  });

  it("uploadAndPoll's timeoutMs is the whole operation's deadline", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    const err = await expectError(
      timed(() => client.uploadAndPoll(video(bytesOf("deadline")), { modelType: "DF-1", ...FAST_POLL, timeoutMs: 500 })),
      "TimeoutError",
      { code: "TIMEOUT" },
    );
    assert.ok(timed.last >= 400 && timed.last < 2500, `${timed.last} ms`);
    assert.match(err.mid ?? "", /^[0-9a-f]{24}$/, "the record to resume with");
  });

  it("the client keeps working", () => stillWorks());
});

describe("AbortError", () => {
  it("an already aborted signal: no request at all", async () => {
    const ac = new AbortController();
    ac.abort();
    await expectError(client.listMedia({}, { signal: ac.signal }), "AbortError", { code: "ABORTED", retryable: false });
    await expectError(client.upload(video(bytesOf("a")), { modelType: "DF-1", signal: ac.signal }), "AbortError", { code: "ABORTED" });
    assert.equal((await emu.log()).length, 0);
  });

  it("abort during a request", async () => {
    await emu.fault({ route: "GET /media/:mid", count: 1, delayMs: 5000 });
    const ac = new AbortController();
    const getting = client.getMedia(UNKNOWN_MID, { signal: ac.signal });
    getting.catch(() => {});
    await emu.waitForLog((e) => e.origin === "api");
    ac.abort();
    await expectError(timed(getting), "AbortError", {
      code: "ABORTED", retryable: false, mid: UNKNOWN_MID,
    });
    assert.ok(timed.last < 1000, `stopped ${timed.last} ms after the abort`);
    assert.equal((await emu.apiLog()).length, 1);
  });

  it("abort with a reason of its own is still an AbortError", async () => {
    await emu.fault({ route: "GET /media", count: 1, delayMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user left the page")), 100);
    await expectError(client.listMedia({}, { signal: ac.signal }), "AbortError", { code: "ABORTED", retryable: false });
  });

  it("an abort whose reason is a TimeoutError DOMException is a TimeoutError", async () => {
    await emu.fault({ route: "GET /media", count: 1, delayMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException("too slow", "TimeoutError")), 100);
    await expectError(client.listMedia({}, { signal: ac.signal }), "TimeoutError", { code: "TIMEOUT" });
  });

  it("abort while iterating", async () => {
    for (let i = 0; i < 3; i++) await client.createMedia(body());
    const ac = new AbortController();
    const seen = [];
    await expectError(async () => {
      for await (const m of client.iterateMedia({ pageSize: 1, signal: ac.signal })) {
        seen.push(m);
        ac.abort();
      }
    }, "AbortError", { code: "ABORTED", retryable: false });
    assert.equal(seen.length, 1);
  });

  it("abort during the back-off sleep after a 503 with Retry-After", async () => {
    await emu.fault({ route: "GET /media", count: 1, status: 503, retryAfter: "10" });
    const ac = new AbortController();
    const listing = client.listMedia({}, { signal: ac.signal });
    listing.catch(() => {});
    await emu.waitForLog((e) => e.origin === "api");
    await sleep(150); // the 503 is in; the client sleeps for its Retry-After
    ac.abort();
    await expectError(timed(listing), "AbortError", { code: "ABORTED", retryable: false });
    assert.ok(timed.last < 1000, `stopped ${timed.last} ms after the abort`);
    await sleep(200);
    assert.equal((await emu.apiLog()).length, 1, "no retry after the abort");
  });

  it("abort during an upload", async () => {
    await emu.fault({ route: "PUT upload", count: 1, delayMs: 5000 });
    const ac = new AbortController();
    const uploading = client.upload(video(bytesOf("abort-upload", 256 * 1024)), { modelType: "DF-1", signal: ac.signal });
    uploading.catch(() => {});
    // Abort once the PUT has reached storage (the record exists by then).
    await emu.waitForLog((e) => e.origin === "storage" && e.method === "PUT");
    ac.abort();
    const err = await expectError(timed(uploading), "AbortError", { code: "ABORTED", retryable: false });
    assert.ok(timed.last < 1000, `stopped ${timed.last} ms after the abort`);
    const [rec] = (await client.listMedia()).data;
    assert.equal(err.mid, rec.mid, "the record the upload was for");
    assert.equal((await emu.log("storage")).length, 1, "not retried");
  });

  it("abort while waitForResult sleeps between polls", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    const { mid } = await record({ upload: true });
    await emu.clearLog();
    const ac = new AbortController();
    const waiting = client.waitForResult(mid, { pollIntervalMs: 10_000, signal: ac.signal });
    waiting.catch(() => {});
    await emu.waitForLog((e) => e.origin === "api");
    await sleep(100);
    ac.abort();
    await expectError(timed(waiting), "AbortError", { code: "ABORTED", mid });
    assert.ok(timed.last < 1000, `stopped ${timed.last} ms after the abort`);
    assert.equal((await emu.apiLog()).length, 1, "one poll, then the sleep was cut short");
  });

  it("the client keeps working", () => stillWorks());
});

describe("UploadError", () => {
  it("expired upload URL: AccessDenied, not retried", async () => {
    await emu.setConfig({ uploadExpiresIn: 0 });
    const bytes = bytesOf("expired");
    const created = await client.createMedia(body(bytes.length));
    assert.equal(created.expiresIn, 0);
    const err = await expectError(client.uploadFile(created.uploadUrl, video(bytes)), "UploadError", {
      code: "UPLOAD_FAILED", s3Code: "AccessDenied", statusCode: 403, retryable: false,
    });
    assert.match(err.message, /expire/i);
    assert.equal((await emu.log("storage")).length, 1, "exactly one PUT");
  });

  it("expired upload URL through upload(): the error names the record", async () => {
    await emu.setConfig({ uploadExpiresIn: 0 });
    const err = await expectError(client.upload(video(bytesOf("expired2")), { modelType: "DF-1" }), "UploadError", {
      code: "UPLOAD_FAILED", s3Code: "AccessDenied", statusCode: 403, retryable: false,
    });
    const [rec] = (await client.listMedia()).data;
    assert.equal(err.mid, rec.mid);
    assert.equal(rec.status, "INITED");
    assert.equal((await emu.log("storage")).length, 1);
  });

  it("a content type other than the signed one: SignatureDoesNotMatch", async () => {
    const bytes = bytesOf("wrong-type");
    const created = await client.createMedia(body(bytes.length));
    await expectError(client.uploadFile(created.uploadUrl, new Blob([bytes]), { contentType: "image/png" }), "UploadError", {
      code: "UPLOAD_FAILED", s3Code: "SignatureDoesNotMatch", statusCode: 403, retryable: false,
    });
    const puts = await emu.log("storage");
    assert.equal(puts.length, 1);
    assert.equal(puts[0].headers["content-type"], "image/png", "sent as asked");
    assert.equal((await client.getMedia(created.mid)).status, "INITED");
  });

  it("a tampered URL: SignatureDoesNotMatch", async () => {
    const bytes = bytesOf("tampered");
    const created = await client.createMedia(body(bytes.length));
    const url = new URL(created.uploadUrl);
    url.pathname = url.pathname.replace("original.media", "reference.media");
    await expectError(client.uploadFile(url.href, video(bytes)), "UploadError", { s3Code: "SignatureDoesNotMatch", statusCode: 403 });
  });

  it("S3 503 SlowDown more often than maxRetries: retried, then UploadError", async () => {
    await emu.fault({
      route: "PUT upload", count: 10, status: 503, retryAfter: "0", contentType: "application/xml",
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>1</RequestId></Error>',
    });
    const bytes = bytesOf("slowdown");
    const created = await client.createMedia(body(bytes.length));
    await expectError(client.uploadFile(created.uploadUrl, video(bytes), { maxRetries: 2 }), "UploadError", {
      code: "UPLOAD_FAILED", s3Code: "SlowDown", statusCode: 503, retryable: true,
    });
    assert.equal((await emu.log("storage")).length, 3);
  });

  it("the client keeps working", () => stillWorks());
});

describe("ProcessingError", () => {
  for (const outcome of ["FAILED", "ERROR"]) {
    it(`processing ends ${outcome}: PROCESSING_FAILED with the mid`, async () => {
      const bytes = bytesOf(`fail-${outcome}`);
      const created = await client.createMedia(body(bytes.length));
      await emu.outcome(created.mid, outcome);
      await client.uploadFile(created.uploadUrl, video(bytes));
      const statuses = [];
      const err = await expectError(
        client.waitForResult(created.mid, { ...FAST_POLL, onStatus: (m) => statuses.push(m.status) }),
        "ProcessingError",
        { code: "PROCESSING_FAILED", mid: created.mid, retryable: false },
      );
      assert.equal(err.statusCode, undefined);
      assert.ok(err.message.includes(created.mid));
      assert.equal(statuses.at(-1), outcome);
      // getResult on the failed record: no result, and waiting will not help.
      await expectError(client.getResult(created.mid), "ProcessingError", {
        code: "RESULT_NOT_READY", mid: created.mid, retryable: false,
      });
    });
  }

  it("uploadAndPoll of a record that fails", async () => {
    await emu.setConfig({ processingMs: 600 });
    const pending = [];
    const err = await expectError(
      client.uploadAndPoll(video(bytesOf("fail-poll")), {
        modelType: "DF-1",
        ...FAST_POLL,
        onStatus: (m) => {
          if (m.status === "INITED") pending.push(emu.outcome(m.mid, "FAILED"));
        },
      }),
      "ProcessingError",
      { code: "PROCESSING_FAILED", retryable: false },
    );
    await Promise.all(pending);
    assert.equal(pending.length, 1);
    assert.match(err.mid, /^[0-9a-f]{24}$/);
  });

  it("getResult on an unprocessed record: RESULT_NOT_READY, retryable", async () => {
    const created = await client.createMedia(body());
    await expectError(client.getResult(created), "ProcessingError", {
      code: "RESULT_NOT_READY", mid: created.mid, retryable: true,
    });
    await expectError(client.getResult(created.mid), "ProcessingError", {
      code: "RESULT_NOT_READY", mid: created.mid, retryable: true,
    });
    assert.equal((await emu.log("storage")).length, 0);
  });

  it("the client keeps working", () => stillWorks());
});

describe("InvalidResponseError", () => {
  const bad = {
    "an HTML page": { body: "<!doctype html><html><body>Sign in to the corporate proxy</body></html>", contentType: "text/html" },
    "truncated JSON": { body: '{"mid":"0123456789abcdef01234567","status":"PROCE' },
    "an empty body": { body: "" },
    "JSON of the wrong type (mid: 5)": { body: '{"mid":5}' },
    "a JSON array": { body: "[1,2,3]" },
    "JSON null": { body: "null" },
    "deeply nested garbage": { body: "[".repeat(200_000) },
  };
  for (const [what, fault] of Object.entries(bad)) {
    it(`getMedia answered 200 with ${what}`, async () => {
      await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, ...fault });
      await expectError(client.getMedia(UNKNOWN_MID), "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
      assert.equal((await emu.apiLog()).length, 1, "not retried");
    });
  }

  it("createMedia answered 200 with the wrong types: no upload to a bogus URL", async () => {
    await emu.fault({ route: "POST /media", count: 1, status: 200, body: { mid: 5, uploadUrl: 7, status: "INITED" } });
    await expectError(client.upload(video(bytesOf("bogus")), { modelType: "DF-1" }), "InvalidResponseError", {
      code: "INVALID_RESPONSE", statusCode: 200,
    });
    await emu.fault({ route: "POST /media", count: 1, status: 200, body: "<html>ok</html>", contentType: "text/html" });
    await expectError(client.createMedia(body()), "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
    assert.equal((await emu.log("storage")).length, 0);
  });

  it("listMedia answered 200 with a page of the wrong shape", async () => {
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: { limit: 10, offset: 0, total: "many", data: "none" } });
    await expectError(client.listMedia(), "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: '{"limit":10,"offset":0,"total":3,"data":[{"mid":' });
    await expectError(async () => {
      for await (const _ of client.iterateMedia()) { /* nothing */ }
    }, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
  });

  it("a poll answered with HTML stops waitForResult with InvalidResponseError", async () => {
    const { mid } = await record({ upload: true });
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: "<html>maintenance</html>", contentType: "text/html" });
    await expectError(client.waitForResult(mid, FAST_POLL), "InvalidResponseError", { code: "INVALID_RESPONSE", mid });
  });

  it("a truncated result.json", async () => {
    const { mid } = await record({ upload: true });
    const media = await client.waitForResult(mid, FAST_POLL);
    await emu.fault({ route: "GET storage", count: 1, status: 200, body: '{"resultType":"video","identityPred' });
    await expectError(client.getResult(media), "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, mid });
  });

  it("getResult / getJobResult of something with neither an id nor a result: INVALID_ARGUMENT, nothing sent", async () => {
    const before = (await emu.log()).length;
    for (const [call, what] of [
      [() => client.getResult({}), /getResult needs the record with its mid or resultURL, or the mid/],
      [() => client.getResult({ status: "PROCESSING" }), /getResult needs/],
      [() => client.getJobResult({ status: "completed" }), /getJobResult needs the job with its id or result, or the job id/],
    ]) {
      const e = await expectError(call, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      assert.match(e.message, what);
    }
    assert.equal((await emu.log()).length, before);
  });

  it("the client keeps working", () => stillWorks());
});
