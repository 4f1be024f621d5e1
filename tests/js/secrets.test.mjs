// Credentials and headers: what goes to the API, what never goes to storage, the apiKey function,
// and that no error or client text ever shows a key, a client secret or a URL signature.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  FAST_POLL, assertNoSecrets, bytesOf, closedPort, expectError, image, sdk, signatureOf, video,
  useEmulator } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";

const KEY = "api_SECRET_abc123";
const CLIENT_ID = "legacy_client_77";
const CLIENT_SECRET = "legacy_SECRET_xyz789";
let emu;
let client;

useEmulator({ processingMs: 200, apiKey: KEY, legacyAuth: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, (e, c) => ([emu, client] = [e, c]));

const FORBIDDEN_ON_STORAGE = ["authorization", "x-client-id", "x-client-secret", "cookie", "x-trace-id", "x-tenant"];

function assertCleanStorage(log) {
  const storage = log.filter((e) => e.origin === "storage");
  assert.ok(storage.length > 0, "the flow reached storage");
  for (const e of storage) {
    for (const h of FORBIDDEN_ON_STORAGE) {
      assert.equal(e.headers[h], undefined, `${e.method} ${e.path} carried ${h}`);
    }
    for (const v of Object.values(e.headers)) {
      assert.ok(!v.includes(KEY) && !v.includes(CLIENT_SECRET), `a storage header carries a secret: ${v}`);
    }
  }
  return storage;
}

describe("headers", () => {
  it("full flow with a Bearer key: the API gets it, storage never does", async () => {
    const bytes = bytesOf("headers-bearer");
    const { media, result } = await client.uploadAndPoll(image(bytes), {
      modelType: "FI-1", metadata: { faceSimilarityCheck: true }, reference: image(bytesOf("ref")), ...FAST_POLL,
    });
    assert.equal(media.status, "PROCESSED");
    assert.equal(result.resultType, "face");
    await client.getResult(media.mid);
    const log = await emu.log();
    const api = log.filter((e) => e.origin === "api");
    assert.ok(api.length >= 3);
    for (const e of api) {
      assert.equal(e.headers.authorization, `Bearer ${KEY}`, `${e.method} ${e.path}`);
      assert.equal(e.headers["x-client-id"], undefined);
      assert.equal(e.headers["x-client-secret"], undefined);
    }
    const storage = assertCleanStorage(log);
    assert.equal(storage.filter((e) => e.method === "PUT").length, 2, "original and reference");
    assert.ok(storage.filter((e) => e.method === "GET").length >= 2, "result fetched twice");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("custom headers reach every API request and no storage request", async () => {
    const c = new sdk.AuthentaClient({ apiKey: KEY, baseUrl: emu.api, headers: { "X-Trace-Id": "trace-42", "x-tenant": "t1" } });
    await c.uploadAndPoll(video(bytesOf("custom-headers")), { modelType: "DF-1", ...FAST_POLL });
    await c.listMedia();
    const log = await emu.log();
    const api = log.filter((e) => e.origin === "api");
    for (const e of api) {
      assert.equal(e.headers["x-trace-id"], "trace-42", `${e.method} ${e.path}`);
      assert.equal(e.headers["x-tenant"], "t1");
      assert.equal(e.headers.authorization, `Bearer ${KEY}`);
    }
    assertCleanStorage(log);
  });

  it("full flow with the legacy pair: x-client-* to the API only", async () => {
    const legacy = new sdk.AuthentaClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.api });
    const bytes = bytesOf("headers-legacy");
    const { media, result } = await legacy.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    const log = await emu.log();
    for (const e of log.filter((x) => x.origin === "api")) {
      assert.equal(e.headers["x-client-id"], CLIENT_ID);
      assert.equal(e.headers["x-client-secret"], CLIENT_SECRET);
      assert.equal(e.headers.authorization, undefined);
    }
    assertCleanStorage(log);
    const legacyHeaders = { "x-client-id": CLIENT_ID, "x-client-secret": CLIENT_SECRET };
    assert.deepEqual(result, await serverResult(emu, media.mid, legacyHeaders));
  });

  it("proxy mode sends no credentials at all", async () => {
    const proxy = new sdk.AuthentaClient({ baseUrl: emu.api, headers: { "x-tenant": "t1" } });
    await expectError(proxy.listMedia(), "AuthenticationError", { statusCode: 401 });
    const [e] = await emu.apiLog();
    assert.equal(e.headers.authorization, undefined);
    assert.equal(e.headers["x-client-id"], undefined);
    assert.equal(e.headers["x-tenant"], "t1");
  });
});

describe("the apiKey function", () => {
  it("is called once per attempt, and each attempt sends its own token", async () => {
    await emu.addKey({ key: "tok-1" });
    await emu.addKey({ key: "tok-2" });
    let calls = 0;
    const c = new sdk.AuthentaClient({ baseUrl: emu.api, apiKey: () => `tok-${++calls}` });
    assert.equal(calls, 0, "not called by the constructor");
    await emu.fault({ route: "GET /media", count: 1, status: 503, retryAfter: "0" });
    const page = await c.listMedia();
    assert.equal(page.total, 0);
    assert.equal(calls, 2);
    const log = await emu.apiLog();
    assert.deepEqual(log.map((e) => e.headers.authorization), ["Bearer tok-1", "Bearer tok-2"]);
  });

  it("an async function: called once per request across a whole flow", async () => {
    let calls = 0;
    const c = new sdk.AuthentaClient({
      baseUrl: emu.api,
      apiKey: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 1));
        return KEY;
      },
    });
    const bytes = bytesOf("fn-flow");
    const { media, result } = await c.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    const api = await emu.apiLog();
    assert.equal(calls, api.length, "one call per API request");
    for (const e of api) assert.equal(e.headers.authorization, `Bearer ${KEY}`);
    assertCleanStorage(await emu.log());
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("a function that throws, rejects or returns no key: AuthenticationError API_KEY_PROVIDER saying which, sending nothing", async () => {
    const cases = [
      [() => { throw new Error("token service down"); }, /the apiKey function threw: token service down/],
      [async () => { throw new Error("vault sealed"); }, /the apiKey function rejected: vault sealed/],
      [async () => "", /the apiKey function did not return a key \(a non-empty string, no line breaks\)/],
      [() => undefined, /the apiKey function did not return a key \(a non-empty string, no line breaks\)/],
      [() => "two\nlines", /the apiKey function did not return a key \(a non-empty string, no line breaks\)/],
    ];
    for (const [apiKey, message] of cases) {
      const c = new sdk.AuthentaClient({ baseUrl: emu.api, apiKey });
      const err = await c.listMedia().then(() => undefined, (e) => e);
      assert.ok(err instanceof sdk.AuthenticationError, `got ${err}`);
      assert.equal(err.code, "API_KEY_PROVIDER");
      assert.equal(err.retryable, false);
      assert.match(err.message, message);
    }
    assert.equal((await emu.log()).length, 0);
  });

  it("what the function threw or rejected with is the error's cause", async () => {
    const thrown = new Error("token service down");
    const rejected = new Error("vault sealed");
    for (const [apiKey, cause] of [[() => { throw thrown; }, thrown], [() => Promise.reject(rejected), rejected]]) {
      const err = await expectError(new sdk.AuthentaClient({ baseUrl: emu.api, apiKey }).listMedia(), "AuthenticationError");
      assert.equal(err.cause, cause);
    }
  });

  describe("a function that never answers is bounded like the request it is for", { timeout: 20_000 }, () => {
    const hung = () => new sdk.AuthentaClient({ baseUrl: emu.api, apiKey: () => new Promise(() => {}) });

    it("the caller's signal: AbortError, the reason as cause", async () => {
      const reason = new Error("the user left");
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 50);
      const err = await expectError(hung().listMedia({}, { signal: ac.signal }), "AbortError", { code: "ABORTED" });
      assert.equal(err.cause, reason);
      assert.equal((await emu.log()).length, 0);
    });

    it("the attempt's timeoutMs: TimeoutError saying so, nothing sent", async () => {
      const err = await expectError(hung().getMedia("0123456789abcdef01234567", { timeoutMs: 200, maxRetries: 0 }), "TimeoutError", {
        code: "TIMEOUT",
        mid: "0123456789abcdef01234567",
      });
      assert.match(err.message, /the apiKey function did not answer within 200 ms/);
      assert.equal((await emu.log()).length, 0);
    });

    it("a wait's deadline: TimeoutError at the deadline", async () => {
      const started = Date.now();
      await expectError(hung().waitForResult("0123456789abcdef01234567", { timeoutMs: 300 }), "TimeoutError", { code: "TIMEOUT" });
      assert.ok(Date.now() - started < 10_000, "ended by its deadline, not the 30 s attempt time-out");
      assert.equal((await emu.log()).length, 0);
    });
  });
});

describe("no secret in any error text", () => {
  const SECRETS = [KEY, CLIENT_SECRET];

  it("a wrong key, a wrong client secret, a wrong token from a function", async () => {
    const wrong = "api_SECRET_wrong999";
    const e1 = await expectError(new sdk.AuthentaClient({ apiKey: wrong, baseUrl: emu.api }).listMedia(), "AuthenticationError");
    assertNoSecrets(e1, [wrong]);
    const e2 = await expectError(
      new sdk.AuthentaClient({ clientId: CLIENT_ID, clientSecret: "legacy_SECRET_wrong", baseUrl: emu.api }).createMedia({
        name: "a.mp4", contentType: "video/mp4", size: 1, modelType: "DF-1",
      }),
      "AuthenticationError",
      { code: "IAM001" },
    );
    assertNoSecrets(e2, ["legacy_SECRET_wrong"]);
    const e3 = await expectError(new sdk.AuthentaClient({ apiKey: () => "api_SECRET_fromfn", baseUrl: emu.api }).listMedia(), "AuthenticationError");
    assertNoSecrets(e3, ["api_SECRET_fromfn"]);
  });

  it("server answers that echo the credentials back", async () => {
    // Each client can only hide what it knows: the Bearer client its key, the legacy one its secret.
    const echo = `Authorization: Bearer ${KEY}`;
    await emu.fault({ route: "GET /media", count: 1, status: 500, body: { code: "BOOM", statusCode: 500, message: echo } });
    assertNoSecrets(await expectError(client.listMedia({}, { maxRetries: 0 }), "ServerError", { statusCode: 500 }), [KEY]);
    await emu.fault({ route: "GET /media", count: 1, status: 200, contentType: "text/html", body: `<html><pre>${echo}</pre></html>` });
    assertNoSecrets(await expectError(client.listMedia(), "InvalidResponseError"), [KEY]);
    await emu.fault({ route: "GET /media", count: 1, status: 400, body: { code: "BAD_REQUEST", statusCode: 400, message: echo } });
    assertNoSecrets(await expectError(client.listMedia(), "BadRequestError"), [KEY]);
    await emu.fault({ route: "GET /media", count: 1, status: 401, body: { code: "INVALID_API_KEY", statusCode: 401, message: `unknown key ${KEY}` } });
    assertNoSecrets(await expectError(client.listMedia(), "AuthenticationError"), [KEY]);

    const legacy = new sdk.AuthentaClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.api });
    const legacyEcho = `x-client-id: ${CLIENT_ID}, x-client-secret: ${CLIENT_SECRET}`;
    await emu.fault({ route: "GET /media", count: 1, status: 403, body: { code: "IAM002", type: "UNAUTHORIZED", message: legacyEcho } });
    assertNoSecrets(await expectError(legacy.listMedia(), "PermissionDeniedError"), [CLIENT_SECRET]);
    await emu.fault({ route: "GET /media", count: 1, status: 502, contentType: "text/html", body: `<html>${legacyEcho}</html>` });
    assertNoSecrets(await expectError(legacy.listMedia({}, { maxRetries: 0 }), "ServerError"), [CLIENT_SECRET]);

    const fn = new sdk.AuthentaClient({ apiKey: () => KEY, baseUrl: emu.api });
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: `{"echo":"${echo}"` });
    assertNoSecrets(await expectError(fn.listMedia(), "InvalidResponseError"), [KEY]);
  });

  it("upload failures never show the URL's signature", async () => {
    await emu.setConfig({ uploadExpiresIn: 0 });
    const bytes = bytesOf("sig");
    const created = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: bytes.length, modelType: "DF-1" });
    const sig = signatureOf(created.uploadUrl);
    // Expired (S3's own XML).
    assertNoSecrets(await expectError(client.uploadFile(created.uploadUrl, video(bytes)), "UploadError", { s3Code: "AccessDenied" }), [sig, KEY]);
    // Wrong type.
    assertNoSecrets(
      await expectError(client.uploadFile(created.uploadUrl, new Blob([bytes]), { contentType: "image/png" }), "UploadError"),
      [sig, KEY],
    );
    // An S3 error whose XML quotes the whole URL.
    await emu.fault({
      route: "PUT upload", count: 1, status: 403, contentType: "application/xml",
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Denied for ${created.uploadUrl.replace(/&/g, "&amp;")}</Message><Signature>${sig}</Signature></Error>`,
    });
    assertNoSecrets(await expectError(client.uploadFile(created.uploadUrl, video(bytes)), "UploadError", { s3Code: "AccessDenied" }), [sig, KEY]);
    // A dropped connection and a time-out on the PUT.
    await emu.fault({ route: "PUT upload", count: 5, drop: true });
    assertNoSecrets(await expectError(client.uploadFile(created.uploadUrl, video(bytes), { maxRetries: 0 }), "ConnectionError"), [sig, KEY]);
    await emu.clearFaults();
    await emu.fault({ route: "PUT upload", count: 1, delayMs: 3000 });
    assertNoSecrets(
      await expectError(client.uploadFile(created.uploadUrl, video(bytes), { signal: AbortSignal.timeout(150) }), "TimeoutError"),
      [sig, KEY],
    );
  });

  it("result download failures never show the URL's signature", async () => {
    const bytes = bytesOf("result-sig");
    const { media } = await client.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    const sig = signatureOf(media.resultURL);
    await emu.fault({ route: "GET storage", count: 1, status: 500, contentType: "application/xml", body: `<Error><Code>InternalError</Code><Message>${media.resultURL.replace(/&/g, "&amp;")}</Message></Error>` });
    assertNoSecrets(await expectError(client.getResult(media, { maxRetries: 0 }), "StorageError", { statusCode: 500, code: "DOWNLOAD_FAILED", s3Code: "InternalError" }), [sig, KEY]);
    await emu.fault({ route: "GET storage", count: 1, drop: true });
    assertNoSecrets(await expectError(client.getResult(media, { maxRetries: 0 }), "ConnectionError"), [sig, KEY]);
    await emu.fault({ route: "GET storage", count: 1, status: 200, body: `not json ${media.resultURL}` });
    assertNoSecrets(await expectError(client.getResult(media), "InvalidResponseError"), [sig, KEY]);
    await emu.fault({ route: "GET storage", count: 1, delayMs: 3000 });
    assertNoSecrets(await expectError(client.getResult(media, { timeoutMs: 150, maxRetries: 0 }), "TimeoutError"), [sig, KEY]);
  });

  it("connection errors, time-outs and aborts on the API", async () => {
    const port = await closedPort();
    const dead = new sdk.AuthentaClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api` });
    assertNoSecrets(await expectError(dead.listMedia({}, { maxRetries: 0 }), "ConnectionError"), SECRETS);
    await emu.fault({ route: "GET /media", count: 1, delayMs: 3000 });
    assertNoSecrets(await expectError(client.listMedia({}, { timeoutMs: 150, maxRetries: 0 }), "TimeoutError"), SECRETS);
    const ac = new AbortController();
    ac.abort();
    assertNoSecrets(await expectError(client.listMedia({}, { signal: ac.signal }), "AbortError"), SECRETS);
  });

  it("console.log of an error (util.inspect, with its cause) shows no secret either", async () => {
    await emu.setConfig({ uploadExpiresIn: 0 });
    const created = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    const sig = signatureOf(created.uploadUrl);
    await emu.fault({ route: "PUT upload", count: 1, drop: true });
    const errs = [
      await expectError(client.uploadFile(created.uploadUrl, video(bytesOf("i", 10)), { maxRetries: 0 }), "ConnectionError"),
      await expectError(client.uploadFile(created.uploadUrl, video(bytesOf("i", 10))), "UploadError"),
      await expectError(new sdk.AuthentaClient({ apiKey: "api_SECRET_wrong999", baseUrl: emu.api }).listMedia(), "AuthenticationError"),
    ];
    for (const err of errs) {
      const text = inspect(err, { depth: 10 });
      for (const s of [sig, KEY, "api_SECRET_wrong999"]) assert.ok(!text.includes(s), `inspect(${err.name}) shows a secret: ${text}`);
    }
  });
});

describe("the client itself", () => {
  it("JSON.stringify, String and inspect of a client show no credentials", () => {
    const clients = [
      client,
      new sdk.AuthentaClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.api }),
      new sdk.AuthentaClient({ apiKey: () => KEY, baseUrl: emu.api }),
      new sdk.AuthentaClient({ apiKey: KEY }),
    ];
    for (const c of clients) {
      for (const text of [JSON.stringify(c), String(c), `${c}`, inspect(c, { depth: 10, showHidden: true })]) {
        assert.equal(typeof text, "string");
        assert.ok(!text.includes(KEY), `client text shows the key: ${text}`);
        assert.ok(!text.includes(CLIENT_SECRET), `client text shows the secret: ${text}`);
      }
    }
    const json = JSON.parse(JSON.stringify(client));
    assert.equal(json.baseUrl, emu.api, "settings are shown");
  });

  it("the client keeps working", async () => {
    const bytes = bytesOf("secrets-still-works");
    const { media, result } = await client.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});
