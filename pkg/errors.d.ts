// Every failure rejects with an AuthentaError subclass (design/SDK.md, Errors).

/** The SDK's own codes; server codes (`INVALID_API_KEY`, `IAM001`, …) pass through. */
export type AuthentaErrorCode =
  | "CONNECTION_ERROR" | "TIMEOUT" | "ABORTED" | "INVALID_RESPONSE" | "UPLOAD_FAILED"
  | "PROCESSING_FAILED" | "RESULT_NOT_READY" | "CONFIGURATION" | "INVALID_ARGUMENT"
  | "INVALID_API_KEY" | "IAM001" | "FORBIDDEN" | "IAM002" | "INSUFFICIENT_BALANCE" | "U007"
  | "AA001" | "RATE_LIMITED" | "NOT_FOUND" | "BAD_REQUEST" | "SERVER_ERROR" | "REQUEST_TIMEOUT"
  | (string & {});

export class AuthentaError extends Error {
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
/** 401. */
export class AuthenticationError extends AuthentaError {}
/** 403. */
export class PermissionDeniedError extends AuthentaError {}
/** 402 / U007. */
export class InsufficientBalanceError extends AuthentaError {}
/** 429 (`AA001`: quota used up, not retried). */
export class RateLimitError extends AuthentaError {}
/** 404. */
export class NotFoundError extends AuthentaError {}
/** 400 / 409 / 422. */
export class BadRequestError extends AuthentaError {}
/** 5xx. */
export class ServerError extends AuthentaError {}
/** The network failed. */
export class ConnectionError extends AuthentaError {}
/** A time-out, a 408, or an `AbortSignal.timeout()`. */
export class TimeoutError extends AuthentaError {}
/** The caller's signal aborted. */
export class AbortError extends AuthentaError {}
/** The PUT to a pre-signed URL failed. */
export class UploadError extends AuthentaError {
  /** S3's `<Code>`: `AccessDenied`, `SignatureDoesNotMatch`, … */
  readonly s3Code?: string;
}
/** The record ended `FAILED` / `ERROR`, or has no result yet. */
export class ProcessingError extends AuthentaError {}
/** A 2xx whose body is not what the route returns (HTML, truncated JSON, wrong shape). */
export class InvalidResponseError extends AuthentaError {}
/** A caller mistake: bad options or arguments. */
export class ConfigurationError extends AuthentaError {}
