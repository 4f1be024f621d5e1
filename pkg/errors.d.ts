// Every failure rejects with an AuthentaError subclass (design/SDK.md, Errors).

/** The SDK's own codes; server codes (`INVALID_API_KEY`, `IAM001`, …) pass through. */
export type AuthentaErrorCode =
  | "CONNECTION_ERROR" | "TIMEOUT" | "ABORTED" | "INVALID_RESPONSE" | "UPLOAD_FAILED"
  | "PROCESSING_FAILED" | "RESULT_NOT_READY" | "RESULT_URL_EXPIRED" | "CONFIGURATION"
  | "INVALID_ARGUMENT" | "API_KEY_PROVIDER" | "WASM_LOAD_FAILED"
  | "INVALID_API_KEY" | "IAM001" | "FORBIDDEN" | "IAM002" | "INSUFFICIENT_BALANCE" | "U007"
  | "AA001" | "RATE_LIMITED" | "NOT_FOUND" | "BAD_REQUEST" | "SERVER_ERROR" | "REQUEST_TIMEOUT"
  | "UNEXPECTED_STATUS"
  | (string & {});

export class AuthentaError extends Error {
  /** The SDK creates these; constructing one yourself is for tests and mocks. */
  constructor(
    message?: string,
    fields?: { code?: string; statusCode?: number; mid?: string; retryable?: boolean; cause?: unknown },
  );
  /** The class name (`"NotFoundError"`, …). */
  readonly name: string;
  /** The server's code, or the SDK's own. */
  readonly code: AuthentaErrorCode;
  /** HTTP status, where there was one. */
  readonly statusCode?: number;
  /** The media record involved, if any. */
  readonly mid?: string;
  /** Whether trying again later can help. */
  readonly retryable: boolean;
  toJSON(): {
    name: string;
    code: string;
    message: string;
    retryable: boolean;
    statusCode?: number;
    mid?: string;
    s3Code?: string;
  };
}
// Each class declares its `name` (set on its prototype at run time), which also keeps the
// classes apart for TypeScript: a `ServerError` is not assignable to a `NotFoundError`.
/** 401, or the `apiKey` function failed (`API_KEY_PROVIDER`). */
export class AuthenticationError extends AuthentaError {
  readonly name: "AuthenticationError";
}
/** 403 (`RESULT_URL_EXPIRED`: the result file stayed refused after a fresh record). */
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
/** The PUT to a pre-signed URL failed. */
export class UploadError extends AuthentaError {
  constructor(
    message?: string,
    fields?: {
      code?: string; statusCode?: number; mid?: string; retryable?: boolean; cause?: unknown;
      s3Code?: string;
    },
  );
  readonly name: "UploadError";
  /** S3's `<Code>`: `AccessDenied`, `SignatureDoesNotMatch`, … */
  readonly s3Code?: string;
}
/** The record ended `FAILED` / `ERROR`, or has no result yet. */
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
