// Errors the API answers with: 401 (new and legacy schemes), 403, 402, 429, 404, 400/409/422, 5xx.
// Each produced by a real emulator response (or a scripted fault), checked field by field, and
// followed by a successful call with the same client.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FAST_POLL, bytesOf, expectError, image, sdk, video, useEmulator } from "../support/helpers.mjs";
import { bearer, serverResult } from "../support/raw.mjs";

const CLIENT_ID = "legacy_client_01";
const CLIENT_SECRET = "legacy_SECRET_xyz789";
const UNKNOWN_MID = "0123456789abcdef01234567";
let emu;
let client;

useEmulator({ processingMs: 200, legacyAuth: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, (e, c) => ([emu, client] = [e, c]));

const mk = (opts) => new sdk.AuthentaClient({ baseUrl: emu.api, ...opts });
const body = { name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" };

/** The same client still does a full round trip (`headers`: its credentials, for the raw read). */
async function stillWorks(c = client, headers = bearer(emu.apiKey)) {
  const bytes = bytesOf(`still-works-${Math.random()}`);
  const { media, result } = await c.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
  assert.equal(media.status, "PROCESSED");
  const page = await c.listMedia({ limit: 1 });
  assert.equal(page.data[0].mid, media.mid);
  assert.deepEqual(result, await serverResult(emu, media.mid, headers));
}

describe("AuthenticationError", () => {
  it("wrong Bearer key: 401 INVALID_API_KEY, not retried", async () => {
    const bad = mk({ apiKey: "api_wrong_key_000" });
    for (const call of [() => bad.listMedia(), () => bad.createMedia(body), () => bad.getMedia(UNKNOWN_MID)]) {
      await expectError(call, "AuthenticationError", { statusCode: 401, code: "INVALID_API_KEY", retryable: false });
    }
    assert.equal((await emu.apiLog()).length, 3, "one request per call");
  });

  it("a revoked key: 401", async () => {
    await emu.addKey({ key: "api_soon_revoked" });
    const c = mk({ apiKey: "api_soon_revoked" });
    assert.equal((await c.listMedia()).total, 0);
    await emu.removeKey("api_soon_revoked");
    await expectError(c.listMedia(), "AuthenticationError", { statusCode: 401, code: "INVALID_API_KEY", retryable: false });
  });

  it("proxy mode (no credentials) against an API that wants them: 401", async () => {
    const proxy = mk({});
    await expectError(proxy.listMedia(), "AuthenticationError", { statusCode: 401, code: "INVALID_API_KEY" });
  });

  it("legacy scheme: wrong secret is 401 IAM001; the right pair works", async () => {
    const bad = mk({ clientId: CLIENT_ID, clientSecret: "legacy_wrong_secret" });
    await expectError(bad.listMedia(), "AuthenticationError", { statusCode: 401, code: "IAM001", retryable: false });
    const unknown = mk({ clientId: "nobody", clientSecret: CLIENT_SECRET });
    await expectError(unknown.createMedia(body), "AuthenticationError", { statusCode: 401, code: "IAM001" });
    assert.equal((await emu.apiLog()).length, 2);
    const good = mk({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await stillWorks(good, { "x-client-id": CLIENT_ID, "x-client-secret": CLIENT_SECRET });
  });

  it("the client keeps working", () => stillWorks());
});

describe("PermissionDeniedError", () => {
  it("read-only key: 403 FORBIDDEN on create and delete, reads allowed", async () => {
    const { mid } = await client.createMedia(body);
    await emu.addKey({ key: "api_read_only", permissions: ["read"], credits: 0 });
    const ro = mk({ apiKey: "api_read_only" });
    await expectError(ro.createMedia(body), "PermissionDeniedError", { statusCode: 403, code: "FORBIDDEN", retryable: false });
    await expectError(ro.upload(video(bytesOf("ro")), { modelType: "DF-1" }), "PermissionDeniedError", {
      statusCode: 403, code: "FORBIDDEN",
    });
    const del = await expectError(ro.deleteMedia(mid), "PermissionDeniedError", { statusCode: 403, code: "FORBIDDEN", retryable: false });
    assert.equal(del.mid, mid, "the error names the record");
    assert.deepEqual(await ro.listMedia(), { limit: 10, offset: 0, total: 0, data: [] });
    assert.equal((await emu.log("storage")).length, 0, "nothing was uploaded");
    assert.equal((await emu.apiLog({ method: "POST" })).length, 3, "1 good + 2 refused, none retried");
    assert.equal((await emu.apiLog({ method: "DELETE" })).length, 1);
  });

  it("legacy read-only pair: 403 IAM002", async () => {
    await emu.addKey({ clientId: "ro_client", clientSecret: "ro_SECRET_1", permissions: ["read"] });
    const ro = mk({ clientId: "ro_client", clientSecret: "ro_SECRET_1" });
    await expectError(ro.createMedia(body), "PermissionDeniedError", { statusCode: 403, code: "IAM002", retryable: false });
  });

  it("the client keeps working", () => stillWorks());
});

describe("InsufficientBalanceError", () => {
  it("0-credit key: 402 INSUFFICIENT_BALANCE on create, not retried, nothing uploaded", async () => {
    await emu.addKey({ key: "api_no_credits", credits: 0 });
    const broke = mk({ apiKey: "api_no_credits" });
    await expectError(broke.createMedia(body), "InsufficientBalanceError", {
      statusCode: 402, code: "INSUFFICIENT_BALANCE", retryable: false,
    });
    await expectError(broke.uploadAndPoll(video(bytesOf("broke")), { modelType: "DF-1", ...FAST_POLL }), "InsufficientBalanceError", {
      statusCode: 402, code: "INSUFFICIENT_BALANCE", retryable: false,
    });
    assert.equal((await emu.apiLog()).length, 2);
    assert.equal((await emu.log("storage")).length, 0);
    assert.equal((await broke.listMedia()).total, 0, "reads still work");
  });

  it("the last credit is spent, then 402", async () => {
    await emu.addKey({ key: "api_one_credit", credits: 1 });
    const one = mk({ apiKey: "api_one_credit" });
    await one.createMedia(body);
    await expectError(one.createMedia(body), "InsufficientBalanceError", { statusCode: 402, code: "INSUFFICIENT_BALANCE" });
  });

  it("legacy scheme: U007", async () => {
    await emu.addKey({ clientId: "broke_client", clientSecret: "broke_SECRET_2", credits: 0 });
    const broke = mk({ clientId: "broke_client", clientSecret: "broke_SECRET_2" });
    await expectError(broke.createMedia(body), "InsufficientBalanceError", { code: "U007", retryable: false });
  });

  it("the client keeps working", () => stillWorks());
});

describe("RateLimitError", () => {
  it("429 with quota code AA001: not retried (exactly one request)", async () => {
    await emu.fault({
      route: "POST /media", count: 5, status: 429, retryAfter: "0",
      body: { code: "AA001", statusCode: 429, message: "API quota exceeded" },
    });
    await expectError(client.createMedia(body), "RateLimitError", { statusCode: 429, code: "AA001", retryable: false });
    assert.equal((await emu.apiLog()).length, 1);
  });

  it("plain 429 with Retry-After: retried after the wait, then succeeds", async () => {
    await emu.fault({ route: "GET /media", count: 1, status: 429, retryAfter: "1", body: { code: "TOO_MANY_REQUESTS", statusCode: 429, message: "slow down" } });
    const t0 = Date.now();
    const page = await client.listMedia();
    const elapsed = Date.now() - t0;
    assert.equal(page.total, 0);
    assert.ok(elapsed >= 900, `waited ${elapsed} ms`);
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("plain 429 more often than maxRetries: RateLimitError, retryable", async () => {
    await emu.fault({ route: "GET /media", count: 5, status: 429, retryAfter: "0" });
    await expectError(client.listMedia({}, { maxRetries: 2 }), "RateLimitError", { statusCode: 429, retryable: true });
    assert.equal((await emu.apiLog()).length, 3);
  });

  it("the client keeps working", async () => {
    await emu.clearFaults();
    await stillWorks();
  });
});

describe("NotFoundError", () => {
  it("unknown mid: 404 NOT_FOUND with the mid", async () => {
    await expectError(client.getMedia(UNKNOWN_MID), "NotFoundError", {
      statusCode: 404, code: "NOT_FOUND", mid: UNKNOWN_MID, retryable: false,
    });
    const err = await expectError(client.waitForResult(UNKNOWN_MID, FAST_POLL), "NotFoundError", { statusCode: 404, mid: UNKNOWN_MID });
    // What a logger gets from JSON.stringify (message and stack are not enumerable on Error).
    const json = JSON.parse(JSON.stringify(err));
    assert.deepEqual(
      { name: json.name, code: json.code, statusCode: json.statusCode, mid: json.mid, retryable: json.retryable },
      { name: "NotFoundError", code: "NOT_FOUND", statusCode: 404, mid: UNKNOWN_MID, retryable: false },
    );
    assert.equal(json.message, err.message);
    await expectError(client.getResult(UNKNOWN_MID), "NotFoundError", { statusCode: 404, mid: UNKNOWN_MID });
    assert.equal((await emu.apiLog()).length, 3, "never retried");
  });

  it("another account's record is 404", async () => {
    const { mid } = await client.createMedia(body);
    await emu.addKey({ key: "api_other_account" });
    const other = mk({ apiKey: "api_other_account" });
    await expectError(other.getMedia(mid), "NotFoundError", { statusCode: 404, code: "NOT_FOUND", mid });
    await expectError(other.deleteMedia(mid), "NotFoundError", { statusCode: 404, mid });
    assert.equal((await client.getMedia(mid)).mid, mid, "still there for its owner");
  });

  it("the client keeps working", () => stillWorks());
});

describe("BadRequestError", () => {
  it("content type the model does not take: 400 UNSUPPORTED_MEDIA_TYPE, no credit, no upload", async () => {
    await expectError(
      client.createMedia({ ...body, contentType: "image/png" }),
      "BadRequestError",
      { statusCode: 400, code: "UNSUPPORTED_MEDIA_TYPE", retryable: false },
    );
    await expectError(client.upload(image(bytesOf("png"), "image/png"), { modelType: "DF-1" }), "BadRequestError", {
      statusCode: 400, code: "UNSUPPORTED_MEDIA_TYPE",
    });
    assert.equal((await emu.log("storage")).length, 0);
    const keys = await emu.control("keys");
    assert.equal(keys.keys.find((k) => k.key === emu.apiKey).credits, 1000, "no credit taken");
  });

  it("an unknown model type reaches the server, which answers 400 INVALID_TASK_TYPE", async () => {
    await expectError(client.createMedia({ ...body, modelType: "ZZ-9" }), "BadRequestError", {
      statusCode: 400, code: "INVALID_TASK_TYPE", retryable: false,
    });
    assert.equal((await emu.apiLog()).length, 1);
  });

  it("FI-1 similarity check on a video: 400 UNSUPPORTED_MEDIA_TYPE", async () => {
    await expectError(
      client.upload(video(bytesOf("fi-video")), {
        modelType: "FI-1", metadata: { faceSimilarityCheck: true }, reference: image(bytesOf("ref")),
      }),
      "BadRequestError",
      { statusCode: 400, code: "UNSUPPORTED_MEDIA_TYPE" },
    );
  });

  for (const status of [409, 422]) {
    it(`scripted ${status}: BadRequestError with the server's code, not retried`, async () => {
      await emu.fault({ route: "POST /media", count: 3, status, body: { code: `CODE_${status}`, statusCode: status, message: "no" } });
      await expectError(client.createMedia(body), "BadRequestError", { statusCode: status, code: `CODE_${status}`, retryable: false });
      assert.equal((await emu.apiLog()).length, 1);
      await emu.clearFaults();
    });
  }

  it("the client keeps working", () => stillWorks());
});

describe("ServerError", () => {
  it("503 more times than maxRetries: retried exactly maxRetries times", async () => {
    await emu.fault({
      route: "GET /media", count: 10, status: 503,
      body: { code: "SERVICE_UNAVAILABLE", statusCode: 503, message: "down for maintenance" },
    });
    await expectError(client.listMedia({}, { maxRetries: 2 }), "ServerError", {
      statusCode: 503, code: "SERVICE_UNAVAILABLE", retryable: true,
    });
    assert.equal((await emu.apiLog()).length, 3, "1 + maxRetries (2)");
    await emu.clearLog();
    await expectError(client.listMedia({}, { maxRetries: 1 }), "ServerError", { statusCode: 503 });
    assert.equal((await emu.apiLog()).length, 2, "1 + maxRetries (1)");
  });

  it("the client's default maxRetries is 2", async () => {
    await emu.fault({ route: "GET /media/:mid", count: 10, status: 500, retryAfter: "0" });
    await expectError(client.getMedia(UNKNOWN_MID), "ServerError", { statusCode: 500, retryable: true, mid: UNKNOWN_MID });
    assert.equal((await emu.apiLog()).length, 3);
  });

  it("a 502 with an HTML body is a ServerError (the status decides)", async () => {
    await emu.fault({
      route: "POST /media", count: 10, status: 502, retryAfter: "0", contentType: "text/html",
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    });
    await expectError(client.createMedia(body, { maxRetries: 1 }), "ServerError", { statusCode: 502, retryable: true });
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("the client keeps working", async () => {
    await emu.clearFaults();
    await stillWorks();
  });
});
