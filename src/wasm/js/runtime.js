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
    this.retryable = fields.retryable ?? false;
  }

  // `message` and `stack` are not enumerable on Error: give loggers the useful, redacted fields.
  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
    if (this.statusCode !== undefined) out.statusCode = this.statusCode;
    if (this.mid !== undefined) out.mid = this.mid;
    if (this.s3Code !== undefined) out.s3Code = this.s3Code;
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
export class UploadError extends AuthentaError {
  constructor(message, fields = {}) {
    super(message, fields);
    this.s3Code = fields.s3Code;
  }
}
export class ProcessingError extends AuthentaError {}
export class InvalidResponseError extends AuthentaError {}
export class ConfigurationError extends AuthentaError {}

const classes = {
  AuthentaError, AuthenticationError, PermissionDeniedError, InsufficientBalanceError,
  RateLimitError, NotFoundError, BadRequestError, ServerError, ConnectionError, TimeoutError,
  AbortError, UploadError, ProcessingError, InvalidResponseError, ConfigurationError,
};
// Set names on the prototypes, not from `constructor.name`: minifiers rename classes.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
}

/** Builds the error the Rust side describes. */
export function createError(name, message, code, statusCode, mid, retryable, s3Code, cause) {
  const cls = classes[name] ?? AuthentaError;
  const fields = { code, retryable, cause };
  if (statusCode !== undefined) fields.statusCode = statusCode;
  if (mid !== undefined) fields.mid = mid;
  if (s3Code !== undefined) fields.s3Code = s3Code;
  return new cls(message, fields);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A signal that aborts when `parent` does, or after `ms` (if given) with a "TimeoutError"
 * DOMException, like `AbortSignal.timeout`. `clear()` drops the timer and the listener so a
 * long-lived parent signal collects nothing.
 */
export function linkSignal(parent, ms) {
  const controller = new AbortController();
  let timer;
  const onAbort = () => controller.abort(parent.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onAbort, { once: true });
  if (ms !== undefined && !controller.signal.aborted) {
    timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")),
      ms,
    );
  }
  return {
    signal: controller.signal,
    abort() {
      controller.abort();
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
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

/** An async iterator over `next()` (a wasm closure): `for await` works, and `break` ends it. */
export function asyncIterable(next) {
  let stopped = false;
  const end = { done: true, value: undefined };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => (stopped ? Promise.resolve(end) : next()),
    async return() {
      stopped = true;
      return end;
    },
  };
}

/**
 * PUT a Blob with XMLHttpRequest, for byte progress (fetch cannot report upload progress).
 * Resolves with the response whatever its status; rejects with "network" or the signal's reason.
 * Every listener is detached when it settles, so nothing is kept alive per upload.
 */
export function xhrPut(url, contentType, blob, signal, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = (fn, value) => {
      signal?.removeEventListener("abort", onAbort);
      xhr.upload.onprogress = xhr.onload = xhr.onerror = xhr.onabort = xhr.ontimeout = null;
      fn(value);
    };
    xhr.open("PUT", url, true);
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable);
    xhr.onload = () =>
      settle(resolve, {
        status: xhr.status,
        body: xhr.responseText,
        // Only when CORS exposes it: asking for a hidden header logs an error in the console.
        retryAfter: /^retry-after:/im.test(xhr.getAllResponseHeaders())
          ? xhr.getResponseHeader("retry-after")
          : undefined,
      });
    xhr.onerror = xhr.ontimeout = () => settle(reject, new TypeError("network error"));
    xhr.onabort = () => settle(reject, signal?.reason ?? new TypeError("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    xhr.send(blob);
  });
}
