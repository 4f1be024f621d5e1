// The fault matrix, shared by matrix.test.mjs (outcomes) and secrets.test.mjs (no secret in any
// error text): every operation crossed with every fault the emulator can script, and the outcome
// design/SDK.md prescribes for each, derived by one function (`expectation`) rather than written
// out cell by cell.
import { performance } from "node:perf_hooks";
import { FAST_POLL, bytesOf, video, video as videoBlob } from "../../support/helpers.mjs";

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

/**
 * The operations of both APIs. `route` is the emulator's fault route; `kind` what the operation
 * does (the rules of SDK.md depend on it, not on the API); `mid` / `job`: its errors carry the
 * record's `mid` / the job's `jobId`.
 */
export const OPS = [
  { id: "create", api: "media", kind: "create", label: "createMedia", route: "POST /media" },
  { id: "get", api: "media", kind: "get", label: "getMedia", route: "GET /media/:mid", mid: true },
  { id: "list", api: "media", kind: "list", label: "listMedia", route: "GET /media" },
  { id: "delete", api: "media", kind: "delete", label: "deleteMedia", route: "DELETE /media/:mid", mid: true },
  { id: "upload", api: "media", kind: "upload", label: "upload (PUT)", route: "PUT upload", storage: "put" },
  { id: "wait", api: "media", kind: "wait", label: "waitForResult", route: "GET /media/:mid", mid: true },
  { id: "result", api: "media", kind: "result", label: "getResult", route: "GET storage", storage: "get", mid: true },
  { id: "job-create", api: "jobs", kind: "create", label: "createJob", route: "POST /v1/jobs" },
  { id: "job-get", api: "jobs", kind: "get", label: "getJob", route: "GET /v1/jobs/:id", job: true },
  { id: "job-list", api: "jobs", kind: "list", label: "listJobs", route: "GET /v1/jobs" },
  { id: "job-finalize", api: "jobs", kind: "action", label: "finalizeJob", route: "POST /v1/jobs/:id/finalize", job: true },
  { id: "job-cancel", api: "jobs", kind: "action", label: "cancelJob", route: "POST /v1/jobs/:id/cancel", job: true },
  { id: "job-delete", api: "jobs", kind: "delete", label: "deleteJob", route: "DELETE /v1/jobs/:id", job: true },
  { id: "job-upload", api: "jobs", kind: "upload", label: "submitJob (PUT)", route: "PUT upload", storage: "put", job: true },
  { id: "job-wait", api: "jobs", kind: "wait", label: "waitForJob", route: "GET /v1/jobs/:id", job: true },
  { id: "job-result", api: "jobs", kind: "result", label: "getJobResult", route: "GET storage", storage: "get", job: true },
];

const STATUSES = [400, 401, 402, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503, 504];
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRIED_5XX = new Set([500, 502, 503, 504]);

const waitsForJob = (op) => op.kind === "wait" && op.api === "jobs";

/** Every fault. `only` (a predicate of the operation) limits a fault to some operations (the others are "n/a"). */
export const FAULTS = [
  ...STATUSES.map((status) => ({ id: String(status), label: `${status}`, status })),
  {
    id: "429-AA001", label: "429 `AA001` (quota)", status: 429, quota: true,
    only: (op) => !op.storage, // a JSON code of the API's, not S3's
  },
  { id: "retry-after", label: "503 + `Retry-After: 1`", status: 503, retryAfter: "1" },
  { id: "delay", label: `delay ${DELAY_MS} ms > time-out` },
  { id: "drop", label: "dropped connection" },
  { id: "html", label: "200 + HTML page" },
  { id: "empty", label: "200 + empty body" },
  { id: "truncated", label: "200 + truncated JSON" },
  { id: "types", label: '200 + wrong types (`{"mid":5}`, `{"id":true}`)' },
  { id: "huge", label: "200 + 64 MiB + 1 byte body" },
  { id: "expired", label: "expired URL (`uploadExpiresIn: 0`)", only: (op) => op.kind === "upload" },
  // The caller's, not the server's: a Blob whose size says more than it holds (issue 19). The
  // PUT's guard refuses it before anything is sent; the emulator then holds no upload and no
  // finalize (matrix.test.mjs checks the record or job is as created).
  { id: "lying-blob", label: "a Blob that is not what it says", client: true, only: (op) => op.kind === "upload" },
  // Jobs: the emulator's outcome control ends the job `failed`; `ERROR` is a scripted poll answer
  // (statuses compare case-insensitively).
  { id: "FAILED", label: "processing `FAILED` (job: `failed`)", only: (op) => op.kind === "wait" },
  { id: "ERROR", label: "processing `ERROR`", only: (op) => op.kind === "wait" },
  { id: "cancelled", label: "job `cancelled`", only: waitsForJob },
  { id: "unfinalized", label: "job never finalized", only: waitsForJob },
];

export const applies = (op, fault) => !fault.only || fault.only(op);

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

  if (fault.status !== undefined) {
    const r = statusRule(op, fault.status, fault.quota);
    retried = r.retried;
    retryAfterMs = fault.retryAfter ? Number(fault.retryAfter) * 1000 : 0;
    f.statusCode = fault.status;
    f.retryable = r.retried;
    if (r.code) f.code = r.code;
    if (op.storage) f.s3Code = `Fault${fault.status}`;
    error = { name: r.name, fields: f };
    // Details: an expired resultURL (403 from storage) is fetched afresh once before giving up;
    // Jobs API, "Result": so is an expired downloadUrl (the job is fetched once more).
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
    } else if (op.kind === "upload") {
      // A PUT's 2xx is the upload landing: S3's body carries nothing the SDK reads. submitJob then
      // finalizes; the emulator stored nothing (the fault answered instead), so the finalize is
      // refused with its 400 `BAD_REQUEST`, which is not retried (no earlier failure to confirm).
      error = op.api === "jobs"
        ? { name: "BadRequestError", fields: { code: "BAD_REQUEST", statusCode: 400, retryable: false } }
        : null;
    } else if (op.kind === "delete") {
      // deleteMedia / deleteJob accept "200 with or without a body, and 204": an empty body or
      // any JSON is deleted; a body that is not JSON (a proxy's page) says nothing of the record.
      error = fault.id === "empty" || fault.id === "types" ? null : invalid;
    } else if (op.kind === "result" && fault.id === "types") {
      error = null; // Details: result values arrive as the server wrote them
    } else if (op.kind === "action" && fault.id === "types") {
      error = null; // finalizeJob / cancelJob return "the server's answer", as it wrote it
    } else {
      error = invalid;
    }
  } else if (fault.id === "expired") {
    error = {
      name: "UploadError",
      fields: { code: "UPLOAD_FAILED", statusCode: 403, s3Code: "AccessDenied", retryable: false },
    };
  } else if (fault.id === "lying-blob") {
    // SDK.md, Details: a caller mistake is a ConfigurationError INVALID_ARGUMENT, never retried.
    error = { name: "ConfigurationError", fields: { code: "INVALID_ARGUMENT", retryable: false, statusCode: undefined } };
  } else if (fault.id === "FAILED" || fault.id === "ERROR") {
    error = { name: "ProcessingError", fields: { code: "PROCESSING_FAILED", retryable: false } };
  } else if (fault.id === "cancelled") {
    // Jobs API, "Waiting": a cancelled job ends the wait at once (it will never finish).
    error = { name: "ProcessingError", fields: { code: "JOB_CANCELLED", retryable: false } };
  } else if (fault.id === "unfinalized") {
    // Jobs API, "Waiting": never going to progress, so rejected instead of polled to the deadline.
    error = { name: "ProcessingError", fields: { code: "JOB_NOT_FINALIZED", retryable: false } };
  } else {
    throw new Error(`no expectation for ${fault.id}`);
  }
  // Details, "Polls ride out transient failures": a wait goes on polling past a failure that
  // could be retried, and succeeds once the API answers again (one more poll).
  // waitForJob rides them out the same way.
  const ridesOut = op.kind === "wait" && retried;
  if (ridesOut) error = null;
  // The cell's own mid / job id, filled in by the runner (SDK.md, Errors: `mid`, `jobId`).
  if (error && op.mid) error.fields.mid = true;
  if (error && op.job) error.fields.jobId = true;

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
  } else if (fault.client) {
    count = 0;
    requests = 0; // refused before the PUT
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
const JOB_BODY = {
  taskTypeId: "4", inputs: [{ slotName: "original", contentType: "video/mp4", fileName: "m.mp4", sizeBytes: BODY_BYTES }],
};

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
      if (op.api === "jobs") return [{ status: 200, body: `{"job":{"id":"${ctx.jobId ?? "1"}","note":${JSON.stringify(say)},"status":"que` }];
      return [{ status: 200, body: `{"mid":"${ctx.mid ?? UNUSED_MID}","note":${JSON.stringify(say)},"status":"PROCE` }];
    case "types":
      if (op.api === "jobs") return [{ status: 200, body: TYPES_JOB(say) }];
      return [{ status: 200, body: { mid: 5, status: 7, uploadUrl: 9, data: "none", note: say } }];
    case "ERROR":
      // The Media API's ERROR comes from the outcome control (setup); a job's is a poll's answer.
      if (op.api === "jobs") return [{ status: 200, body: { id: ctx.jobId, status: "ERROR", errorMessage: `scripted${say}` } }];
      return [];
    case "huge":
      return [{ status: 200, body: say ? `{"note":${JSON.stringify(say)}}` : "", bodySize: HUGE_BODY }];
    default:
      return [];
  }
}

/** A job-shaped answer whose fields have the wrong types: no id, status or inputs the SDK can read. */
export const TYPES_JOB = (note) => ({ id: true, jobId: [], status: 7, inputs: 9, data: "none", pagination: 3, note });

/**
 * Fresh state for one run: `{ mid, uploadUrl, media, signedUrl }` as the operation needs them.
 * Every run creates a record, so that a signed URL exists to echo in the secrets test.
 */
async function setup(env, op, fault) {
  const { emu, client } = env;
  if (fault?.id === "expired") await emu.setConfig({ uploadExpiresIn: 0 });
  const bytes = bytesOf(`matrix-${op.id}-${fault?.id}-${Math.random()}`, BODY_BYTES);
  if (op.api === "jobs") return setupJob(env, op, fault, bytes);
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

/**
 * The Jobs API's state: `{ jobId, uploadUrl, job, signedUrl, bytes }`. Every run creates a job
 * (submitJob's PUT creates its own; the cell's `jobId` is then that one, read from the log).
 */
async function setupJob(env, op, fault, bytes) {
  const { client } = env;
  const created = await client.createJob(JOB_BODY);
  const ctx = { jobId: created.job.id, uploadUrl: created.inputs[0].uploadUrl, signedUrl: created.inputs[0].uploadUrl, bytes };
  if (op.kind === "upload") ctx.jobId = undefined;
  if (op.id === "job-finalize") await client.uploadFile(ctx.uploadUrl, video(bytes));
  if (op.kind === "wait" || op.kind === "result") {
    if (fault?.id === "cancelled") {
      await client.cancelJob(ctx.jobId);
    } else if (fault?.id !== "unfinalized") {
      await client.uploadFile(ctx.uploadUrl, video(bytes));
      await client.finalizeJob(ctx.jobId);
      ctx.job = await client.waitForJob(ctx.jobId, { ...FAST_POLL, timeoutMs: 10_000 });
      ctx.signedUrl = ctx.job.artifacts.find((a) => a.kind === "result").downloadUrl;
    }
  }
  return ctx;
}

/** A video Blob whose `size` says the whole of `bytes`, holding only its first 100 bytes. */
function lyingBlob(bytes) {
  class Liar extends Blob {
    get size() {
      return bytes.length;
    }
  }
  return new Liar([bytes.subarray(0, 100)], { type: "video/mp4" });
}

/** The operation's call, as a user makes it. */
function call(env, op, ctx, { maxRetries, fault }) {
  const c = env.client;
  const video = (bytes) => (fault?.id === "lying-blob" ? lyingBlob(bytes) : videoBlob(bytes));
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
    case "job-create":
      return c.createJob(JOB_BODY, request);
    case "job-get":
      return c.getJob(ctx.jobId, request);
    case "job-list":
      return c.listJobs({}, request);
    case "job-finalize":
      return c.finalizeJob(ctx.jobId, request);
    case "job-cancel":
      return c.cancelJob(ctx.jobId, request);
    case "job-delete":
      return c.deleteJob(ctx.jobId, request);
    case "job-upload":
      return c.submitJob(video(ctx.bytes), {
        taskType: "DF-1", maxRetries, timeoutMs: fault?.id === "delay" ? UPLOAD_DEADLINE_MS : LONG_DEADLINE_MS,
      });
    case "job-wait":
      return c.waitForJob(ctx.jobId, { ...FAST_POLL, maxRetries, timeoutMs: LONG_DEADLINE_MS });
    case "job-result":
      return c.getJobResult(ctx.job, request);
    default:
      throw new Error(op.id);
  }
}

/** The path of the record or job the cell is about (where it is fetched afresh). */
export const subjectPath = (op, ctx) => (op.api === "jobs" ? `/api/v1/jobs/${ctx.jobId}` : `/api/media/${ctx.mid}`);

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
    case "job-upload":
      return log.filter((e) => e.origin === "storage" && e.method === "PUT").length;
    case "result":
    case "job-result":
      return log.filter((e) => e.origin === "storage" && e.method === "GET").length;
    case "job-create":
      return api("POST", "/api/v1/jobs");
    case "job-get":
    case "job-wait":
      return api("GET", `/api/v1/jobs/${ctx.jobId}`);
    case "job-list":
      return api("GET", "/api/v1/jobs");
    case "job-finalize":
      return api("POST", `/api/v1/jobs/${ctx.jobId}/finalize`);
    case "job-cancel":
      return api("POST", `/api/v1/jobs/${ctx.jobId}/cancel`);
    case "job-delete":
      return api("DELETE", `/api/v1/jobs/${ctx.jobId}`);
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
    if (op.api === "jobs" && fault.id === "FAILED") {
      // The job (completed in setup) fails from now on, with the echo as the server's errorMessage.
      await emu.jobOutcome(ctx.jobId, { status: "failed", errorMessage: `scripted${text ? ` ${text}` : ""}` });
    }
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
  const active = variant === "ok" ? undefined : fault;
  if (op.id === "job-upload") {
    // The job submitJob created: the one its PUTs went to (with none, the newest job).
    const put = log.find((e) => e.origin === "storage" && e.method === "PUT");
    ctx.jobId = put?.path.match(/\/jobs\/([^/]+)\//)?.[1];
    if (!put && active?.client) ctx.jobId = String(Math.max(...(await env.client.listJobs({})).data.map((j) => Number(j.id))));
  }
  // A caller's fault: the state the emulator holds afterwards (matrix.test.mjs: as created).
  if (active?.client) {
    ctx.after = op.api === "jobs" ? (await env.client.getJob(ctx.jobId)).status : (await env.client.getMedia(ctx.mid)).status;
  }
  // Every pre-signed URL used in the run, for the secrets test: none may show in an error.
  ctx.signatures = [...new Set(log.filter((e) => e.origin === "storage")
    .map((e) => new URLSearchParams(e.query).get("X-Amz-Signature")).filter(Boolean))];
  return { err, value, elapsed, requests: routeRequests(log, op, ctx), log, ctx };
}
