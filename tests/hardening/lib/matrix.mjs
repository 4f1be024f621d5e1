// The fault matrix, shared by matrix.test.mjs (outcomes) and secrets.test.mjs (no secret in any
// error text): every operation crossed with every fault the emulator can script, and the outcome
// design/SDK.md prescribes for each, derived by one function (`expectation`) rather than written
// out cell by cell.
import { performance } from "node:perf_hooks";
import { FAST_POLL, bytesOf, video } from "../../support/helpers.mjs";

/** Per-attempt time-out of API requests and result downloads (the client's and each call's). */
export const ATTEMPT_MS = 300;
/** A scripted delay well past ATTEMPT_MS. */
export const DELAY_MS = 1500;
/** The upload has no per-attempt time-out (SDK.md, Details): its operation deadline in the delay cell. */
export const UPLOAD_DEADLINE_MS = 400;
/** Deadline of the long operations (upload, waitForResult) in every other cell. */
export const LONG_DEADLINE_MS = 20_000;
/** maxRetries for status faults (answered with `Retry-After: 0`, so retries cost no back-off). */
export const STATUS_RETRIES = 2;
/** maxRetries for drops and delays (no Retry-After: the default back-off of 500 ms applies). */
export const SLOW_RETRIES = 1;
/** Requests a non-retryable fault is scripted for: a wrong retry would show in the log. */
const NON_RETRIED_COUNT = 3;
/** The SDK refuses bodies larger than 64 MiB (src/wasm/driver.rs, read with a cap in runtime.js); the emulator sends one more byte. */
export const HUGE_BODY = 64 * 1024 * 1024 + 1;

const UNUSED_MID = "0123456789abcdef01234567";
const BODY_BYTES = 2048;

/** The seven operations. `route` is the emulator's fault route. */
export const OPS = [
  { id: "create", label: "createMedia", route: "POST /media" },
  { id: "get", label: "getMedia", route: "GET /media/:mid", mid: true },
  { id: "list", label: "listMedia", route: "GET /media" },
  { id: "delete", label: "deleteMedia", route: "DELETE /media/:mid", mid: true },
  { id: "upload", label: "upload (PUT)", route: "PUT upload", storage: "put" },
  { id: "wait", label: "waitForResult", route: "GET /media/:mid", mid: true },
  { id: "result", label: "getResult", route: "GET storage", storage: "get", mid: true },
];

const STATUSES = [400, 401, 402, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503, 504];
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRIED_5XX = new Set([500, 502, 503, 504]);

/** Every fault. `only` limits a fault to some operations (the others are "n/a"). */
export const FAULTS = [
  ...STATUSES.map((status) => ({ id: String(status), label: `${status}`, status })),
  {
    id: "429-AA001", label: "429 `AA001` (quota)", status: 429, quota: true,
    only: ["create", "get", "list", "delete", "wait"], // a JSON code of the API's, not S3's
  },
  { id: "retry-after", label: "503 + `Retry-After: 1`", status: 503, retryAfter: "1" },
  { id: "delay", label: `delay ${DELAY_MS} ms > time-out` },
  { id: "drop", label: "dropped connection" },
  { id: "html", label: "200 + HTML page" },
  { id: "empty", label: "200 + empty body" },
  { id: "truncated", label: "200 + truncated JSON" },
  { id: "types", label: '200 + wrong types `{"mid":5}`' },
  { id: "huge", label: "200 + 64 MiB + 1 byte body" },
  { id: "expired", label: "expired URL (`uploadExpiresIn: 0`)", only: ["upload"] },
  { id: "FAILED", label: "processing `FAILED`", only: ["wait"] },
  { id: "ERROR", label: "processing `ERROR`", only: ["wait"] },
];

export const applies = (op, fault) => !fault.only || fault.only.includes(op.id);

/** Every (operation, fault) cell that applies. */
export function cells() {
  const out = [];
  for (const fault of FAULTS) for (const op of OPS) if (applies(op, fault)) out.push({ op, fault });
  return out;
}

/**
 * The class a status becomes (SDK.md, "Retries and time-outs", "Errors" and Details):
 * `{ name, retried, code? }`. `code` is only known where the body carries one the SDK reads
 * (the API's JSON) or the SDK's own is documented.
 */
function statusRule(op, status, quota) {
  if (op.storage === "put") {
    // Details: UploadError, code UPLOAD_FAILED, s3Code; retried on network failures and 5xx
    // "like an API request" (500, 502, 503, 504), never on 4xx.
    return { name: "UploadError", code: "UPLOAD_FAILED", retried: RETRIED_5XX.has(status) };
  }
  if (op.storage === "get") {
    // Details, "Storage is not the API": StorageError DOWNLOAD_FAILED, s3Code, retried on 5xx
    // only; a 403 is refreshed once and then RESULT_URL_EXPIRED.
    const code = status === 403 ? "RESULT_URL_EXPIRED" : "DOWNLOAD_FAILED";
    return { name: "StorageError", code, retried: RETRIED_5XX.has(status) };
  }
  const code = op.storage ? undefined : quota ? "AA001" : `E${status}`;
  const rule = (name, retried = false) => ({ name, retried, code });
  if ([400, 409, 422].includes(status)) return rule("BadRequestError");
  if (status === 401) return rule("AuthenticationError");
  if (status === 402) return rule("InsufficientBalanceError");
  if (status === 403) return rule("PermissionDeniedError");
  if (status === 404) return rule("NotFoundError");
  // Details: 408 is retried and, when retries run out, a TimeoutError with statusCode 408.
  if (status === 408) return rule("TimeoutError", true);
  if (status === 429) return rule("RateLimitError", !quota);
  if (status >= 500) return rule("ServerError", RETRIED_STATUSES.has(status));
  throw new Error(`no rule for ${status}`);
}

/**
 * What SDK.md prescribes for one cell:
 *   { maxRetries, count, error: {name, fields} | null, requests, recover?: {count, requests},
 *     minMs?, boundMs, refresh? }
 * `count` is how many times the fault fires; `requests` how many requests the operation's route
 * must log; `recover` is the transient variant (the fault fires maxRetries times: success after
 * that many retries); `error: null` means the call resolves.
 */
export function expectation(op, fault) {
  const f = {};
  let retried = false;
  let error = null;
  let maxRetries = STATUS_RETRIES;
  let perAttempt = 0;
  let retryAfterMs = 0;
  let refresh = 0;
  const withMid = Boolean(op.mid);

  if (fault.status !== undefined) {
    const r = statusRule(op, fault.status, fault.quota);
    retried = r.retried;
    retryAfterMs = fault.retryAfter ? Number(fault.retryAfter) * 1000 : 0;
    f.statusCode = fault.status;
    f.retryable = r.retried;
    if (r.code) f.code = r.code;
    if (op.storage) f.s3Code = `Fault${fault.status}`;
    error = { name: r.name, fields: f };
    // Details: an expired resultURL (403 from storage) is fetched afresh once before giving up.
    if (op.storage === "get" && fault.status === 403) refresh = 1;
  } else if (fault.id === "delay") {
    maxRetries = SLOW_RETRIES;
    if (op.storage === "put") {
      // No per-attempt time-out on the PUT: the operation's deadline ends it, and nothing is left
      // to retry in.
      perAttempt = UPLOAD_DEADLINE_MS;
      error = { name: "TimeoutError", fields: { code: "TIMEOUT", statusCode: undefined } };
    } else {
      retried = true;
      perAttempt = ATTEMPT_MS;
      error = { name: "TimeoutError", fields: { code: "TIMEOUT", retryable: true, statusCode: undefined } };
    }
  } else if (fault.id === "drop") {
    maxRetries = SLOW_RETRIES;
    retried = true;
    error = { name: "ConnectionError", fields: { code: "CONNECTION_ERROR", retryable: true, statusCode: undefined } };
  } else if (["html", "empty", "truncated", "types", "huge"].includes(fault.id)) {
    const invalid = { name: "InvalidResponseError", fields: { code: "INVALID_RESPONSE", statusCode: 200, retryable: false } };
    if (fault.id === "huge") {
      error = invalid; // refused unread, whatever the route
    } else if (op.id === "upload") {
      error = null; // a PUT's 2xx is the upload landing: S3's body carries nothing the SDK reads
    } else if (op.id === "delete") {
      // deleteMedia "accepts 200 with or without a body, and 204": an empty body or any JSON is
      // deleted; a body that is not JSON (a proxy's page) says nothing of the record.
      error = fault.id === "empty" || fault.id === "types" ? null : invalid;
    } else if (op.id === "result" && fault.id === "types") {
      error = null; // Details: result values arrive as the server wrote them
    } else {
      error = invalid;
    }
  } else if (fault.id === "expired") {
    error = {
      name: "UploadError",
      fields: { code: "UPLOAD_FAILED", statusCode: 403, s3Code: "AccessDenied", retryable: false },
    };
  } else if (fault.id === "FAILED" || fault.id === "ERROR") {
    error = { name: "ProcessingError", fields: { code: "PROCESSING_FAILED", retryable: false } };
  } else {
    throw new Error(`no expectation for ${fault.id}`);
  }
  // Details, "Polls ride out transient failures": a wait goes on polling past a failure that
  // could be retried, and succeeds once the API answers again (one more poll).
  const ridesOut = op.id === "wait" && retried;
  if (ridesOut) error = null;
  if (error && withMid) error.fields.mid = true; // the cell's own mid, filled in by the runner

  let count;
  let requests;
  let recover;
  if (fault.id === "retry-after") {
    // Transient: one 503 with Retry-After: 1, then success after waiting at least ~1 s.
    count = 1;
    requests = 2;
    error = null;
  } else if (retried) {
    count = maxRetries + 1;
    requests = maxRetries + 1 + (ridesOut ? 1 : 0);
    recover = { count: maxRetries, requests: maxRetries + 1 };
  } else if (error && (fault.status !== undefined || fault.id === "huge" || fault.id === "delay")) {
    count = NON_RETRIED_COUNT;
    requests = 1 + refresh;
  } else {
    count = 1;
    requests = 1;
  }
  const backoffs = (n) => {
    let ms = 0;
    for (let i = 0; i < n; i++) ms += retryAfterMs || (fault.status !== undefined ? 0 : 500 * 2 ** i);
    return ms;
  };
  const bound = (n) => n * perAttempt + backoffs(n - 1) + 3000;
  return {
    maxRetries,
    count,
    error,
    requests,
    refresh,
    recover: recover && { ...recover, boundMs: bound(recover.requests) },
    minMs: fault.id === "retry-after" ? 900 : undefined,
    boundMs: bound(requests),
  };
}

// ---------------------------------------------------------------------------------------------
// Running a cell against the emulator.

const CREATE_BODY = { name: "m.mp4", contentType: "video/mp4", size: BODY_BYTES, modelType: "DF-1" };

const xmlEscape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The route faults that script `fault` (without `route` and `count`); `echo` goes in every body. */
function script(op, fault, ctx, echo) {
  const say = echo ? ` ${echo}` : "";
  const storage = Boolean(op.storage);
  if (fault.status !== undefined) {
    const ra = fault.retryAfter ?? "0";
    if (storage) {
      return [{
        status: fault.status, retryAfter: ra, contentType: "application/xml",
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>Fault${fault.status}</Code><Message>scripted${xmlEscape(say)}</Message><RequestId>1</RequestId></Error>`,
      }];
    }
    const code = fault.quota ? "AA001" : `E${fault.status}`;
    return [{ status: fault.status, retryAfter: ra, body: { code, statusCode: fault.status, message: `scripted${say}` } }];
  }
  switch (fault.id) {
    case "delay":
      return [{ delayMs: DELAY_MS }];
    case "drop":
      return [{ drop: true }];
    case "html":
      return [{ status: 200, contentType: "text/html", body: `<!doctype html><html><body>Sign in to the corporate proxy${say}</body></html>` }];
    case "empty":
      return [{ status: 200, body: "" }];
    case "truncated":
      return [{ status: 200, body: `{"mid":"${ctx.mid ?? UNUSED_MID}","note":${JSON.stringify(say)},"status":"PROCE` }];
    case "types":
      return [{ status: 200, body: { mid: 5, status: 7, uploadUrl: 9, data: "none", note: say } }];
    case "huge":
      return [{ status: 200, body: say ? `{"note":${JSON.stringify(say)}}` : "", bodySize: HUGE_BODY }];
    default:
      return [];
  }
}

/**
 * Fresh state for one run: `{ mid, uploadUrl, media, signedUrl }` as the operation needs them.
 * Every run creates a record, so that a signed URL exists to echo in the secrets test.
 */
async function setup(env, op, fault) {
  const { emu, client } = env;
  if (fault?.id === "expired") await emu.setConfig({ uploadExpiresIn: 0 });
  const bytes = bytesOf(`matrix-${op.id}-${fault?.id}-${Math.random()}`, BODY_BYTES);
  const created = await client.createMedia(CREATE_BODY);
  const ctx = { mid: created.mid, uploadUrl: created.uploadUrl, signedUrl: created.uploadUrl, bytes };
  if (op.id === "wait" || op.id === "result") {
    await client.uploadFile(created.uploadUrl, video(bytes));
    ctx.media = await client.waitForResult(created.mid, { ...FAST_POLL, timeoutMs: 10_000 });
    ctx.signedUrl = ctx.media.resultURL;
    if (fault?.id === "FAILED" || fault?.id === "ERROR") await emu.outcome(created.mid, fault.id);
  }
  return ctx;
}

/** The operation's call, as a user makes it. */
function call(env, op, ctx, { maxRetries, fault }) {
  const c = env.client;
  const request = { maxRetries, timeoutMs: ATTEMPT_MS };
  switch (op.id) {
    case "create":
      return c.createMedia(CREATE_BODY, request);
    case "get":
      return c.getMedia(ctx.mid, request);
    case "list":
      return c.listMedia({}, request);
    case "delete":
      return c.deleteMedia(ctx.mid, request);
    case "upload":
      return c.uploadFile(ctx.uploadUrl, video(ctx.bytes), {
        maxRetries, timeoutMs: fault?.id === "delay" ? UPLOAD_DEADLINE_MS : LONG_DEADLINE_MS,
      });
    case "wait":
      return c.waitForResult(ctx.mid, { ...FAST_POLL, maxRetries, timeoutMs: LONG_DEADLINE_MS });
    case "result":
      return c.getResult(ctx.media, request);
    default:
      throw new Error(op.id);
  }
}

/** Requests the emulator logged for the operation's own route. */
function routeRequests(log, op, ctx) {
  const api = (method, path) => log.filter((e) => e.origin === "api" && e.method === method && e.path === path).length;
  switch (op.id) {
    case "create":
      return api("POST", "/api/media");
    case "get":
    case "wait":
      return api("GET", `/api/media/${ctx.mid}`);
    case "list":
      return api("GET", "/api/media");
    case "delete":
      return api("DELETE", `/api/media/${ctx.mid}`);
    case "upload":
      return log.filter((e) => e.origin === "storage" && e.method === "PUT").length;
    case "result":
      return log.filter((e) => e.origin === "storage" && e.method === "GET").length;
    default:
      throw new Error(op.id);
  }
}

/**
 * Runs one cell: `variant` "fail" (the fault fires `count` times) or "recover" (it fires
 * `recover.count` times), or "ok" (no fault: the client still works). `echo` (a string, or a
 * function of the run's state and `{storage}`) is put in every scripted body. Returns `{ err, value, elapsed, requests, log, ctx }`.
 */
export async function runCell(env, op, fault, variant = "fail", { echo } = {}) {
  const { emu } = env;
  await emu.reset();
  const exp = expectation(op, fault);
  const ctx = await setup(env, op, variant === "ok" ? undefined : fault);
  await emu.clearLog();
  if (variant !== "ok") {
    const count = variant === "recover" ? exp.recover.count : exp.count;
    const text = typeof echo === "function" ? echo(ctx, { storage: Boolean(op.storage) }) : echo;
    for (const f of script(op, fault, ctx, text)) await emu.fault({ route: op.route, count, ...f });
  }
  let err;
  let value;
  const t0 = performance.now();
  try {
    value = await call(env, op, ctx, { maxRetries: exp.maxRetries, fault: variant === "ok" ? undefined : fault });
  } catch (e) {
    err = e;
  }
  const elapsed = performance.now() - t0;
  const log = await emu.log();
  await emu.clearFaults();
  return { err, value, elapsed, requests: routeRequests(log, op, ctx), log, ctx };
}
