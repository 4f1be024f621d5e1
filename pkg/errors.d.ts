// Every failure rejects with an AuthentaError subclass (design/SDK.md, Errors).

/** The SDK's own codes; server codes (`INVALID_API_KEY`, `IAM001`, …) pass through. */
export type AuthentaErrorCode =
  | "CONNECTION_ERROR" | "TIMEOUT" | "ABORTED" | "INVALID_RESPONSE" | "UPLOAD_FAILED"
  | "DOWNLOAD_FAILED" | "PROCESSING_FAILED" | "RESULT_NOT_READY" | "RESULT_URL_EXPIRED"
  | "JOB_CANCELLED" | "JOB_NOT_FINALIZED" | "CONFIGURATION" | "INVALID_ARGUMENT" | "API_KEY_PROVIDER"
  | "WASM_LOAD_FAILED"
  | "INVALID_API_KEY" | "IAM001" | "FORBIDDEN" | "IAM002" | "INSUFFICIENT_BALANCE" | "U007"
  | "AA001" | "RATE_LIMITED" | "NOT_FOUND" | "BAD_REQUEST" | "SERVER_ERROR" | "REQUEST_TIMEOUT"
  | "UNEXPECTED_STATUS" | "INVALID_TASK_TYPE" | "UNSUPPORTED_MEDIA_TYPE" | "JOB_NOT_FOUND"
  | (string & {});

export class AuthentaError extends Error {
  /** The SDK creates these; constructing one yourself is for tests and mocks. */
  constructor(
    message?: string,
    fields?: {
      code?: string; statusCode?: number; mid?: string; jobId?: string; retryable?: boolean;
      cause?: unknown;
    },
  );
  /** The class name (`"NotFoundError"`, …). */
  readonly name: string;
  /** The server's code, or the SDK's own. */
  readonly code: AuthentaErrorCode;
  /** HTTP status, where there was one. */
  readonly statusCode?: number;
  /** The media record involved, if any. */
  readonly mid?: string;
  /** The job involved, if any (always a string). */
  readonly jobId?: string;
  /** Whether trying again later can help. */
  readonly retryable: boolean;
  /**
   * What caused it, when something did: the runtime's network error, the caller's abort
   * reason, or (an `AuthentaError`) the last failed poll behind a time-out. Redacted like the
   * message.
   */
  readonly cause?: unknown;
  toJSON(): {
    name: string;
    code: string;
    message: string;
    retryable: boolean;
    statusCode?: number;
    mid?: string;
    jobId?: string;
    s3Code?: string;
    /** An `AuthentaError` cause as its own `toJSON()`; any other as its name only. */
    cause?: object;
  };
}
// Each class declares its `name` (set on its prototype at run time), which also keeps the
// classes apart for TypeScript: a `ServerError` is not assignable to a `NotFoundError`.
/** 401, or the `apiKey` function failed (`API_KEY_PROVIDER`). */
export class AuthenticationError extends AuthentaError {
  readonly name: "AuthenticationError";
}
/** 403 from the API: the key lacks the permission. */
export class PermissionDeniedError extends AuthentaError {
  readonly name: "PermissionDeniedError";
}
/** 402, or `INSUFFICIENT_BALANCE` / `U007` with any status. */
export class InsufficientBalanceError extends AuthentaError {
  readonly name: "InsufficientBalanceError";
}
/** 429 (`AA001`: quota used up, not retried). */
export class RateLimitError extends AuthentaError {
  readonly name: "RateLimitError";
}
/** 404. */
export class NotFoundError extends AuthentaError {
  readonly name: "NotFoundError";
}
/** 400 / 409 / 422, and statuses the API does not use (`UNEXPECTED_STATUS`). */
export class BadRequestError extends AuthentaError {
  readonly name: "BadRequestError";
}
/** 5xx. */
export class ServerError extends AuthentaError {
  readonly name: "ServerError";
}
/** The network failed. */
export class ConnectionError extends AuthentaError {
  readonly name: "ConnectionError";
}
/** A time-out, a 408, or an `AbortSignal.timeout()`. */
export class TimeoutError extends AuthentaError {
  readonly name: "TimeoutError";
}
/** The caller's signal aborted. */
export class AbortError extends AuthentaError {
  readonly name: "AbortError";
}
/**
 * A pre-signed storage URL failed: the result or artifact download (`DOWNLOAD_FAILED`), or a
 * result URL refused even after a fresh record (`RESULT_URL_EXPIRED`). Never speaks of the API
 * key: storage's 403 says nothing about it. Retried on network failures and 5xx only.
 */
export class StorageError extends AuthentaError {
  constructor(
    message?: string,
    fields?: {
      code?: string; statusCode?: number; mid?: string; jobId?: string; retryable?: boolean;
      cause?: unknown; s3Code?: string;
    },
  );
  readonly name: "StorageError" | "UploadError";
  /** S3's `<Code>`: `AccessDenied`, `SignatureDoesNotMatch`, `NoSuchKey`, … */
  readonly s3Code?: string;
}
/** The PUT of a file to a pre-signed URL failed (`UPLOAD_FAILED`). */
export class UploadError extends StorageError {
  readonly name: "UploadError";
}
/**
 * The record or job ended `FAILED` / `ERROR` / `failed` (`PROCESSING_FAILED`), the job was
 * cancelled (`JOB_CANCELLED`) or never finalized (`JOB_NOT_FINALIZED`), or there is no result
 * yet (`RESULT_NOT_READY`).
 */
export class ProcessingError extends AuthentaError {
  readonly name: "ProcessingError";
}
/** A 2xx whose body is not what the route returns (HTML, truncated JSON, wrong shape), or a redirect. */
export class InvalidResponseError extends AuthentaError {
  readonly name: "InvalidResponseError";
}
/** A caller mistake: bad options or arguments. */
export class ConfigurationError extends AuthentaError {
  readonly name: "ConfigurationError";
}

/** The documented Jobs API task types (id, code, slug, name, accepted MIME types, time-out), for
 * pickers and defaults. Frozen. */
export declare const TASK_TYPES: readonly import("./api-types.js").TaskTypeInfo[];
