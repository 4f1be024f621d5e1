// The few things the wasm side needs from JavaScript itself: real `Error` subclasses (so that
// `instanceof`, `name` and stack traces work as users expect), timers tied to an AbortSignal,
// and a look at the global scope. Everything that decides anything lives in Rust.

/** Base class of every error the SDK rejects with. */
export class AuthentaError extends Error {
  constructor(message, fields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code ?? "UNKNOWN";
    this.statusCode = fields.statusCode;
    this.mid = fields.mid;
    this.jobId = fields.jobId;
    this.retryable = fields.retryable ?? false;
  }

  // `message` and `stack` are not enumerable on Error: give loggers the useful, redacted fields.
  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
    if (this.statusCode !== undefined) out.statusCode = this.statusCode;
    if (this.mid !== undefined) out.mid = this.mid;
    if (this.jobId !== undefined) out.jobId = this.jobId;
    if (this.s3Code !== undefined) out.s3Code = this.s3Code;
    // A cause of ours is redacted like this error; the runtime's own is summarised by name.
    if (this.cause instanceof AuthentaError) out.cause = this.cause.toJSON();
    else if (this.cause !== undefined) out.cause = { name: this.cause?.name ?? typeof this.cause };
    return out;
  }
}

export class AuthenticationError extends AuthentaError {}
export class PermissionDeniedError extends AuthentaError {}
export class InsufficientBalanceError extends AuthentaError {}
export class RateLimitError extends AuthentaError {}
export class NotFoundError extends AuthentaError {}
export class BadRequestError extends AuthentaError {}
export class ServerError extends AuthentaError {}
export class ConnectionError extends AuthentaError {}
export class TimeoutError extends AuthentaError {}
export class AbortError extends AuthentaError {}
export class StorageError extends AuthentaError {
  constructor(message, fields = {}) {
    super(message, fields);
    this.s3Code = fields.s3Code;
  }
}
export class UploadError extends StorageError {}
export class ProcessingError extends AuthentaError {}
export class InvalidResponseError extends AuthentaError {}
export class ConfigurationError extends AuthentaError {}

// After AuthentaError, in the order of the Rust `ErrorKind`s (src/core/error.rs), which the wasm
// hands to `createError` as numbers (tests/js/error-classes.test.mjs checks the order).
const classes = {
  AuthentaError, AuthenticationError, PermissionDeniedError, InsufficientBalanceError,
  RateLimitError, NotFoundError, BadRequestError, ServerError, ConnectionError, TimeoutError,
  AbortError, StorageError, UploadError, ProcessingError, InvalidResponseError, ConfigurationError,
};
const byKind = Object.values(classes).slice(1);
// Names set explicitly, since minifiers rename classes: `err.name` (the prototype's) and the
// class's own, which stack traces, `util.inspect` and loggers show.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  Object.defineProperty(cls, "name", { value: name });
}

const IMAGE = ["image/jpeg", "image/png"];
const AUDIO = ["audio/mpeg", "audio/wav", "audio/mp4", "audio/x-m4a"];
const VIDEO = ["video/mp4", "video/quicktime"];
const task = (id, code, slug, name, accepts, timeoutS) =>
  Object.freeze({ id, code, slug, name, accepts: Object.freeze(accepts), timeoutS });
/**
 * The documented Jobs API task types (API-NOTES.md), for pickers and defaults. `accepts` are the
 * MIME types of the `original` input; the server decides in the end. Checked against
 * src/core/tasks.rs by tests/js.
 */
export const TASK_TYPES = Object.freeze([
  task("1", "AC-1", "ai-image-detection", "AI-generated image", IMAGE, 300),
  task("2", "AF-1", "ai-audio-detection", "AI-generated audio", AUDIO, 600),
  task("3", "VF-1", "ai-video-detection", "AI-generated video", VIDEO, 600),
  task("4", "DF-1", "faceswap-detection", "Face swap / deepfake video", [...VIDEO, "video/webm"], 1800),
  task("5", "FD-1", "image-forgery-detection", "Forged or tampered image", IMAGE, 300),
  task("6", "DI-1", "document-intelligence", "Forged or tampered document", [...IMAGE, "application/pdf"], 300),
  task("7", "FL-1", "face-liveness-detection", "Face liveness (spoof detection)", IMAGE, 600),
  task("8", "FI-1", "face-intelligence", "Face intelligence (liveness, face swap, similarity)", [...IMAGE, "video/mp4", "video/webm", "video/quicktime"], 600),
  task("9", "FE-1", "face-embedding", "Face embedding (512-number vector)", IMAGE, 600),
  task("10", "AS-1", "audio-splitter", "Audio splitter (foreground / background)", AUDIO, 600),
  task("11", "ED-1", "ekyc-deepfake", "Deepfakes in eKYC videos", [...VIDEO, "video/webm"], 600),
]);

/** Builds the error the Rust side describes. */
export function createError(kind, message, code, statusCode, mid, jobId, retryable, s3Code, cause) {
  const cls = byKind[kind] ?? AuthentaError;
  const fields = { code, retryable, cause };
  if (statusCode !== undefined) fields.statusCode = statusCode;
  if (mid !== undefined) fields.mid = mid;
  if (jobId !== undefined) fields.jobId = jobId;
  if (s3Code !== undefined) fields.s3Code = s3Code;
  return new cls(message, fields);
}

/**
 * What the driver waits for, other than a request: the `apiKey` function's answer (a promise),
 * bounded like the request it is for, or, with no `answer`, a sleep of `ms`. Rejects with a
 * `failure`: "abort" as soon as `signal` aborts, "timeout" after `ms` (not a sleep's), or "key"
 * with the function's own rejection. The timer and the listener are released when it settles.
 */
export function within(ms, signal, answer) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(failure("abort", signal.reason));
    let timer;
    const onAbort = () => settle(reject, failure("abort", signal.reason));
    const settle = (fn, value) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fn(value);
    };
    if (ms !== undefined) timer = setTimeout(() => (answer ? settle(reject, failure("timeout")) : settle(resolve)), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    answer?.then((v) => settle(resolve, v), (e) => settle(reject, failure("key", e)));
  });
}

/** Whether this global scope is a browser's (SDK.md, Details: "A browser"). */
export function inBrowser() {
  const g = globalThis;
  if (typeof g.Deno !== "undefined" || g.process?.versions?.node !== undefined) return false;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return false;
  return typeof g.document !== "undefined" || typeof g.WorkerGlobalScope !== "undefined";
}

/** Whether uploads can report byte progress here (pages and dedicated workers). */
export function hasXhr() {
  return typeof globalThis.XMLHttpRequest === "function";
}

/**
 * Runs an Operation (src/wasm/driver.rs) to its end: it says what to wait for (a request, a
 * sleep, the apiKey function), is told how that settled, and so on until it is finished. Its
 * wasm memory is released however it ends.
 */
export async function drive(op) {
  try {
    let ok = true;
    let value;
    for (let next; (next = op.step(ok, value)) !== undefined; ) {
      try {
        value = await next;
        ok = true;
      } catch (e) {
        value = e;
        ok = false;
      }
    }
    return op.output();
  } finally {
    op.free();
  }
}

/**
 * An async iterator over `pages` (src/wasm/iter.rs): `for await` works, `break` ends it, and
 * concurrent `next()` calls are answered in order, one after the other (each page fetched once).
 */
export function asyncIterable(pages) {
  let stopped = false;
  let queue = Promise.resolve();
  const end = { done: true, value: undefined };
  const stop = () => {
    if (!stopped) pages.free();
    stopped = true;
  };
  const pull = async () => {
    for (;;) {
      const value = pages.item();
      if (value !== undefined) return { value, done: false };
      const request = pages.page();
      if (request === undefined) return end;
      let page;
      try {
        page = await drive(request);
      } catch (e) {
        pages.stop();
        throw e;
      }
      pages.add(page);
    }
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const answer = queue.then(() => (stopped ? end : pull()));
      queue = answer.then(
        (r) => { if (r.done) stop(); },
        stop,
      );
      return answer;
    },
    async return() {
      // After any next() in flight, so that its page is not read from freed memory.
      await queue;
      stop();
      return end;
    },
  };
}

/**
 * Calls an `onStatus` or `onProgress` callback. What it throws, or rejects with when it is async,
 * is the caller's bug: the operation goes on, and no unhandled rejection ends a Node process.
 */
export function notify(callback, value) {
  try {
    const returned = callback(value);
    if (typeof returned?.then === "function") returned.then(undefined, () => {});
  } catch {}
}

/** An `onProgress` event. */
export function progress(callback, loaded, total, lengthComputable, slotName) {
  const event = { loaded, total, lengthComputable };
  if (slotName !== undefined) event.slotName = slotName;
  notify(callback, event);
}

/** The `onProgress` of one upload: its bytes counted after `offset` bytes of earlier inputs. */
export function progressReporter(callback, offset, total, slotName) {
  return (loaded, lengthComputable) => progress(callback, offset + loaded, total, lengthComputable, slotName);
}

/**
 * A request that ended without an answer: which way, the runtime's own value as `cause`, and
 * the status of a body refused as too large. An array: the wasm reads it by index (no property
 * names to cross the boundary).
 */
const failure = (kind, cause, status) => [kind, cause, status];
class TooLarge {
  constructor(status) {
    this.status = status;
  }
}

/**
 * One request: the caller's `fetch` or the runtime's, or XMLHttpRequest when `onProgress` is
 * given and the runtime has it (fetch cannot report upload progress). The body is read with a
 * cap (refused while reading, `Content-Length` or not) and parsed once with `JSON.parse`; its text
 * goes back only where the core needs it (an error status, or a body that is not JSON).
 * `headers` is one string, name and value on lines of their own (one string to cross from wasm,
 * not two per header). Resolves with `[status, json, text, retryAfter, contentType]`, or rejects
 * with a `failure`: "abort" (the caller's signal), "timeout" (this attempt's `timeoutMs`),
 * "tooLarge" or "network". (A JSON success has no text or type: the core does not read them.)
 * Every timer and listener is released when it settles.
 */
export async function send(fetchFn, method, url, headerLines, body, api, timeoutMs, signal, cap, textCap, onProgress) {
  // A PUT's Blob must be the platform's own and hold the size it declared (and was created with):
  // a polyfill's or a fake would be sent as other bytes, or as the text "[object Blob]". The
  // platform's `size` getter is a brand check (it throws for anything else, across realms too).
  if (typeof body == "object") {
    try {
      var size = Reflect.get(Blob.prototype, "size", body);
    } catch {}
    if (size !== body.size) throw failure("blob");
  }
  const headers = {};
  const lines = headerLines.split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) headers[lines[i]] = lines[i + 1];
  if (signal?.aborted) throw failure("abort", signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  let timer;
  const onAbort = () => controller.abort(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
    }, timeoutMs);
  }
  try {
    let status, text, retryAfter, contentType;
    if (onProgress && typeof XMLHttpRequest === "function") {
      ({ status, text, retryAfter } = await xhrSend(method, url, headers, body, controller.signal, cap, onProgress));
    } else {
      const init = { method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      if (api) init.redirect = "manual";
      else init.credentials = "omit"; // pre-signed URLs carry their own credentials
      const response = await (fetchFn ? fetchFn(url, init) : fetch(url, init));
      if (typeof response?.status !== "number" || typeof response.headers?.get !== "function") {
        throw new TypeError("fetch resolved to something that is not a Response");
      }
      status = response.status;
      retryAfter = response.headers.get("retry-after") ?? undefined;
      const length = response.headers.get("content-length");
      // A declared length within the cap is enforced by the HTTP layer: read it the fast way,
      // unless it may be the compressed length of a body the runtime decodes (a gzip "bomb" of a
      // few KB can decode to gigabytes). A cross-origin answer hides Content-Encoding from us.
      const encoding = response.headers.get("content-encoding");
      const decoded = response.type === "cors" || (encoding !== null && !/^\s*identity\s*$/i.test(encoding));
      text = length !== null && Number(length) <= cap && !decoded ? await response.text() : await readCapped(response, length, cap);
      contentType = () => response.headers.get("content-type") ?? undefined;
    }
    let json;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {}
    }
    // The text and the type only where the core reads them: an error, or a body that is not JSON.
    if (json !== undefined && status >= 200 && status <= 299) return [status, json, undefined, retryAfter];
    return [status, json, text.slice(0, textCap), retryAfter, contentType?.()];
  } catch (e) {
    if (e instanceof TooLarge) throw failure("tooLarge", undefined, e.status);
    if (signal?.aborted) throw failure("abort", signal.reason);
    if (timedOut) throw failure("timeout", e);
    throw failure("network", e);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** A body's text, refused as soon as it passes `cap` bytes (decoded bytes, as they arrive). */
async function readCapped(response, length, cap) {
  if (Number(length) > cap) {
    response.body?.cancel().catch(() => {});
    throw new TooLarge(response.status);
  }
  if (!response.body) {
    const text = await response.text();
    if (text.length > cap) throw new TooLarge(response.status);
    return text;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      throw new TooLarge(response.status);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * One request through XMLHttpRequest, for byte progress, its answer refused as soon as it passes
 * `cap`. Every listener is detached when it settles.
 */
function xhrSend(method, url, headers, body, signal, cap, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = (fn, value) => {
      signal.removeEventListener("abort", onAbort);
      xhr.upload.onprogress = xhr.onprogress = xhr.onload = xhr.onerror = xhr.onabort = xhr.ontimeout = null;
      fn(value);
    };
    xhr.open(method, url, true);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable);
    // The bytes as they arrive (reading responseText here would copy the body at each event).
    xhr.onprogress = (e) => {
      if (e.loaded > cap) {
        // Settled here, before abort() (which fires no event once the last byte is in).
        settle(reject, new TooLarge(xhr.status));
        xhr.abort();
      }
    };
    xhr.onload = () =>
      xhr.responseText.length > cap
        ? settle(reject, new TooLarge(xhr.status))
        : settle(resolve, {
            status: xhr.status,
            text: xhr.responseText,
            // Only when CORS exposes it: asking for a hidden header logs an error in the console.
            retryAfter: /^retry-after:/im.test(xhr.getAllResponseHeaders())
              ? xhr.getResponseHeader("retry-after")
              : undefined,
          });
    xhr.onerror = xhr.ontimeout = () => settle(reject, new TypeError("network error"));
    xhr.onabort = () => settle(reject, signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    xhr.send(body);
  });
}
