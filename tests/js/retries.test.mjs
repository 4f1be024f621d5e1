// Retries, back-off and Retry-After, counted in the emulator's request log.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FAST_POLL, bytesOf, expectError, gapMs, sdk, video, useEmulator } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";

const UNKNOWN_MID = "0123456789abcdef01234567";
let emu;
let client;

useEmulator({ processingMs: 200 }, (e, c) => ([emu, client] = [e, c]));

const body = { name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" };

async function timed(p) {
  const t0 = Date.now();
  const v = await p;
  return [v, Date.now() - t0];
}

describe("retried failures", () => {
  it("503 twice, then success: resolves after 3 requests with exponential back-off", async () => {
    const { mid } = await client.createMedia(body);
    await emu.clearLog();
    await emu.fault({ route: "GET /media/:mid", count: 2, status: 503, body: { code: "UNAVAILABLE", statusCode: 503, message: "busy" } });
    const [media, elapsed] = await timed(client.getMedia(mid));
    assert.equal(media.mid, mid);
    assert.equal(media.status, "INITED");
    const log = await emu.apiLog();
    assert.equal(log.length, 3);
    // Back-off 500 ms then 1 s, each less up to 25 % jitter.
    assert.ok(gapMs(log[0], log[1]) >= 300, `first back-off ${gapMs(log[0], log[1])} ms`);
    assert.ok(gapMs(log[1], log[2]) >= 650, `second back-off ${gapMs(log[1], log[2])} ms`);
    assert.ok(elapsed >= 1000 && elapsed < 5000, `${elapsed} ms`);
  });

  for (const status of [500, 502, 504, 408]) {
    it(`${status} once, then success`, async () => {
      await emu.fault({ route: "GET /media", count: 1, status, retryAfter: "0" });
      const page = await client.listMedia();
      assert.equal(page.total, 0);
      assert.equal((await emu.apiLog()).length, 2);
    });
  }

  it("408 more often than maxRetries is a TimeoutError with statusCode 408", async () => {
    await emu.fault({ route: "GET /media", count: 10, status: 408, retryAfter: "0" });
    await expectError(client.listMedia({}, { maxRetries: 2 }), "TimeoutError", { statusCode: 408, retryable: true });
    assert.equal((await emu.apiLog()).length, 3);
  });

  it("a dropped connection, then success", async () => {
    const { mid } = await client.createMedia(body);
    await emu.clearLog();
    await emu.fault({ route: "GET /media/:mid", count: 1, drop: true });
    assert.equal((await client.getMedia(mid)).mid, mid);
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("a per-attempt time-out, then success", async () => {
    await emu.fault({ route: "GET /media", count: 1, delayMs: 3000 });
    const [page, elapsed] = await timed(client.listMedia({}, { timeoutMs: 200, maxRetries: 1 }));
    assert.equal(page.total, 0);
    assert.equal((await emu.apiLog()).length, 2);
    assert.ok(elapsed < 2000, `${elapsed} ms`);
  });

  it("timeoutMs of a single request bounds each attempt, not the whole call", async () => {
    await emu.fault({ route: "GET /media", count: 2, delayMs: 3000 });
    const t0 = Date.now();
    await expectError(client.listMedia({}, { timeoutMs: 200, maxRetries: 1 }), "TimeoutError", { code: "TIMEOUT", retryable: true });
    const elapsed = Date.now() - t0;
    assert.equal((await emu.apiLog()).length, 2, "two attempts of 200 ms each");
    assert.ok(elapsed >= 2 * 200 && elapsed < 3000, `${elapsed} ms`);
  });

  it("POST /media is retried on a 503 too, creating one record", async () => {
    await emu.fault({ route: "POST /media", count: 1, status: 503, retryAfter: "0" });
    const created = await client.createMedia(body);
    assert.match(created.mid, /^[0-9a-f]{24}$/);
    assert.equal((await emu.apiLog({ method: "POST" })).length, 2);
    assert.equal((await client.listMedia()).total, 1);
  });

  it("uploads are retried on a dropped connection and on a 5xx", async () => {
    await emu.fault({ route: "PUT upload", count: 1, drop: true });
    await emu.fault({ route: "PUT upload", count: 1, status: 500, retryAfter: "0", contentType: "application/xml", body: "<Error><Code>InternalError</Code></Error>" });
    const bytes = bytesOf("retried-upload");
    const progress = [];
    const { media, result } = await client.uploadAndPoll(video(bytes), {
      modelType: "DF-1", ...FAST_POLL, onProgress: (p) => progress.push({ ...p }),
    });
    assert.equal(media.status, "PROCESSED");
    assert.equal((await emu.log("storage")).filter((e) => e.method === "PUT").length, 3);
    assert.equal(progress.at(-1).loaded, bytes.length);
    assert.deepEqual(progress, [
      { loaded: 0, total: bytes.length, lengthComputable: false },
      { loaded: bytes.length, total: bytes.length, lengthComputable: true },
    ], "one start event, one end event, whatever the attempts");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("polls ride out a 503 and a dropped connection", async () => {
    const { mid } = await client.upload(video(bytesOf("polls")), { modelType: "DF-1" });
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 503, retryAfter: "0" });
    await emu.fault({ route: "GET /media/:mid", count: 1, drop: true });
    const media = await client.waitForResult(mid, FAST_POLL);
    assert.equal(media.status, "PROCESSED");
  });

  it("the result download is retried on a 503", async () => {
    const { mid } = await client.upload(video(bytesOf("result-503")), { modelType: "DF-1" });
    const media = await client.waitForResult(mid, FAST_POLL);
    await emu.fault({ route: "GET storage", count: 1, status: 503, retryAfter: "0" });
    const result = await client.getResult(media);
    assert.equal((await emu.log("storage")).filter((e) => e.method === "GET").length, 2);
    assert.deepEqual(result, await serverResult(emu, mid));
  });
});

describe("never retried", () => {
  const cases = [
    [400, "BadRequestError", "BAD_REQUEST"],
    [401, "AuthenticationError", "INVALID_API_KEY"],
    [402, "InsufficientBalanceError", "INSUFFICIENT_BALANCE"],
    [403, "PermissionDeniedError", "FORBIDDEN"],
    [404, "NotFoundError", "NOT_FOUND"],
    [409, "BadRequestError", "CONFLICT"],
    [422, "BadRequestError", "UNPROCESSABLE"],
    [429, "RateLimitError", "AA001"],
  ];
  for (const [status, name, code] of cases) {
    it(`${status} ${code}: exactly one request, even with Retry-After`, async () => {
      await emu.fault({ route: "GET /media", count: 5, status, retryAfter: "0", body: { code, statusCode: status, message: "no" } });
      await expectError(client.listMedia({}, { maxRetries: 3 }), name, { statusCode: status, code, retryable: false });
      assert.equal((await emu.apiLog()).length, 1);
    });
  }

  it("a real 401 (wrong key), 402 (no credits), 403 (read-only): one request each", async () => {
    await emu.addKey({ key: "api_ro_r", permissions: ["read"] });
    await emu.addKey({ key: "api_broke_r", credits: 0 });
    const mk = (apiKey) => new sdk.AuthentaClient({ apiKey, baseUrl: emu.api, maxRetries: 5 });
    await expectError(mk("api_nope").createMedia(body), "AuthenticationError", { statusCode: 401 });
    await expectError(mk("api_broke_r").createMedia(body), "InsufficientBalanceError", { statusCode: 402 });
    await expectError(mk("api_ro_r").createMedia(body), "PermissionDeniedError", { statusCode: 403 });
    assert.equal((await emu.apiLog()).length, 3);
  });
});

describe("Retry-After", () => {
  it("Retry-After: 1 is honoured (seconds)", async () => {
    await emu.fault({ route: "GET /media", count: 1, status: 503, retryAfter: "1" });
    const [page, elapsed] = await timed(client.listMedia());
    assert.equal(page.total, 0);
    assert.ok(elapsed >= 900, `waited ${elapsed} ms`);
    const log = await emu.apiLog();
    assert.equal(log.length, 2);
    assert.ok(gapMs(log[0], log[1]) >= 900, `${gapMs(log[0], log[1])} ms between attempts`);
  });

  it("Retry-After on an upload and on the result download is honoured too", async () => {
    const bytes = bytesOf("retry-after-storage");
    const created = await client.upload(video(bytes), { modelType: "DF-1" });
    const media = await client.waitForResult(created.mid, FAST_POLL);
    await emu.fault({ route: "GET storage", count: 1, status: 503, retryAfter: "1" });
    const [result, elapsed] = await timed(client.getResult(media));
    assert.deepEqual(result, await serverResult(emu, media.mid));
    assert.ok(elapsed >= 900, `result download waited ${elapsed} ms`);

    const fresh = await client.createMedia({ name: "r.mp4", contentType: "video/mp4", size: bytes.length, modelType: "DF-1" });
    await emu.fault({
      route: "PUT upload", count: 1, status: 503, retryAfter: "1",
      contentType: "application/xml", body: "<Error><Code>SlowDown</Code></Error>",
    });
    const [, upElapsed] = await timed(client.uploadFile(fresh.uploadUrl, video(bytes)));
    const puts = (await emu.log("storage")).filter((e) => e.method === "PUT");
    assert.ok(upElapsed >= 900, `upload waited ${upElapsed} ms`);
    assert.ok(gapMs(puts.at(-2), puts.at(-1)) >= 900, `${gapMs(puts.at(-2), puts.at(-1))} ms between PUTs`);
  });

  it("Retry-After as an HTTP date is honoured", async () => {
    const at = new Date(Date.now() + 2000).toUTCString();
    await emu.fault({ route: "GET /media", count: 1, status: 503, retryAfter: at });
    const [, elapsed] = await timed(client.listMedia());
    assert.ok(elapsed >= 900, `waited ${elapsed} ms for ${at}`);
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("Retry-After: 0 overrides the back-off", async () => {
    await emu.fault({ route: "GET /media", count: 2, status: 503, retryAfter: "0" });
    const [, elapsed] = await timed(client.listMedia());
    // Default back-off would be at least 375 + 750 ms.
    assert.ok(elapsed < 900, `no back-off: ${elapsed} ms`);
    assert.equal((await emu.apiLog()).length, 3);
  });

  it("a Retry-After past the operation's deadline is not waited for", async () => {
    const { mid } = await client.upload(video(bytesOf("ra-deadline")), { modelType: "DF-1" });
    await emu.fault({ route: "GET /media/:mid", count: 5, status: 503, retryAfter: "30" });
    const t0 = Date.now();
    let err;
    try {
      await client.waitForResult(mid, { ...FAST_POLL, timeoutMs: 500 });
    } catch (e) {
      err = e;
    }
    const elapsed = Date.now() - t0;
    // A wait rides out the 503s (SDK.md, "Polls ride out transient failures"): the deadline ends it,
    // as a TimeoutError carrying the last failed poll.
    assert.ok(err instanceof sdk.TimeoutError, String(err));
    assert.equal(err.code, "TIMEOUT");
    assert.equal(err.mid, mid);
    assert.ok(err.cause instanceof sdk.ServerError, `cause: ${err.cause}`);
    assert.equal(err.cause.statusCode, 503);
    assert.ok(elapsed < 2000, `gave up within the deadline: ${elapsed} ms`);
  });

  it("a Retry-After on a poll spaces the polls", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    const { mid } = await client.createMedia(body);
    const record = await client.getMedia(mid);
    await emu.clearLog();
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, retryAfter: "1", body: record });
    await expectError(client.waitForResult(mid, { ...FAST_POLL, timeoutMs: 1600 }), "TimeoutError", { mid });
    const polls = await emu.apiLog();
    assert.ok(polls.length >= 2, `${polls.length} polls`);
    assert.ok(gapMs(polls[0], polls[1]) >= 900, `second poll ${gapMs(polls[0], polls[1])} ms after the first`);
  });
});

describe("timing", () => {
  it("polls back off from pollIntervalMs towards maxPollIntervalMs", async () => {
    await emu.setConfig({ processingMs: 60_000 });
    const { mid } = await client.upload(video(bytesOf("poll-schedule")), { modelType: "DF-1" });
    await emu.clearLog();
    await expectError(
      client.waitForResult(mid, { pollIntervalMs: 100, maxPollIntervalMs: 400, timeoutMs: 1800 }),
      "TimeoutError",
      { mid },
    );
    const polls = await emu.apiLog();
    const gaps = polls.slice(1).map((e, i) => gapMs(polls[i], e));
    assert.ok(gaps.length >= 4, `gaps ${gaps}`);
    assert.ok(gaps[0] >= 60 && gaps[0] <= 350, `first gap ${gaps[0]} (gaps ${gaps})`);
    // Arrival times include request latency: some slack for a loaded machine.
    for (const g of gaps) assert.ok(g <= 400 + 300, `a gap above maxPollIntervalMs: ${gaps}`);
    assert.ok(Math.max(...gaps.slice(2)) >= 300, `the interval grew: ${gaps}`);
  });

  it("the PUT has no per-attempt time-out: a slow upload outlasts the client's timeoutMs", async () => {
    const patient = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api, timeoutMs: 300 });
    await emu.fault({ route: "PUT upload", count: 1, delayMs: 900 });
    const created = await patient.upload(video(bytesOf("slow-put")), { modelType: "DF-1" });
    assert.equal((await emu.log("storage")).length, 1, "one PUT, not cut short and retried");
    assert.notEqual((await patient.getMedia(created.mid)).status, "INITED");
  });
});

describe("maxRetries", () => {
  it("maxRetries: 0 per call: one request", async () => {
    await emu.fault({ route: "GET /media", count: 5, status: 503, retryAfter: "0" });
    await expectError(client.listMedia({}, { maxRetries: 0 }), "ServerError", { statusCode: 503, retryable: true });
    assert.equal((await emu.apiLog()).length, 1);
  });

  it("maxRetries: 0 on the client, overridden per call", async () => {
    const once = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api, maxRetries: 0 });
    await emu.fault({ route: "GET /media", count: 1, status: 503, retryAfter: "0" });
    await expectError(once.listMedia(), "ServerError", { statusCode: 503 });
    assert.equal((await emu.apiLog()).length, 1);
    await emu.clearLog();
    await emu.fault({ route: "GET /media", count: 3, status: 503, retryAfter: "0" });
    const page = await once.listMedia({}, { maxRetries: 3 });
    assert.equal(page.total, 0);
    assert.equal((await emu.apiLog()).length, 4);
  });

  it("maxRetries in the options of a long operation", async () => {
    await emu.fault({ route: "POST /media", count: 5, status: 503, retryAfter: "0" });
    await expectError(client.upload(video(bytesOf("mr")), { modelType: "DF-1", maxRetries: 1 }), "ServerError", { statusCode: 503 });
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("the client keeps working", async () => {
    await emu.clearFaults();
    const bytes = bytesOf("retries-still-works");
    const { media, result } = await client.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});
