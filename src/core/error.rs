//! One error type for every failure, carrying what the JS error classes expose.

/// Which JS error class a failure becomes (`AuthentaError` subclasses, see `design/SDK.md`): the
/// variant's name with `Error` (`Authentication` → `AuthenticationError`); the wasm names it by its
/// number, in the order of runtime.js's list (tests/js/error-classes.test.mjs checks both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Authentication,
    PermissionDenied,
    InsufficientBalance,
    RateLimit,
    NotFound,
    BadRequest,
    Server,
    Connection,
    Timeout,
    Abort,
    /// A pre-signed storage URL failed (result or artifact download).
    Storage,
    /// A `StorageError` subclass: the PUT of a file.
    Upload,
    Processing,
    InvalidResponse,
    Configuration,
}

/// SDK-side codes (the server's own codes pass through as they are).
pub mod codes {
    pub const CONFIGURATION: &str = "CONFIGURATION";
    pub const INVALID_ARGUMENT: &str = "INVALID_ARGUMENT";
    pub const CONNECTION_ERROR: &str = "CONNECTION_ERROR";
    pub const TIMEOUT: &str = "TIMEOUT";
    pub const ABORTED: &str = "ABORTED";
    pub const INVALID_RESPONSE: &str = "INVALID_RESPONSE";
    pub const UPLOAD_FAILED: &str = "UPLOAD_FAILED";
    pub const DOWNLOAD_FAILED: &str = "DOWNLOAD_FAILED";
    pub const RESULT_URL_EXPIRED: &str = "RESULT_URL_EXPIRED";
    pub const PROCESSING_FAILED: &str = "PROCESSING_FAILED";
    pub const RESULT_NOT_READY: &str = "RESULT_NOT_READY";
    pub const JOB_CANCELLED: &str = "JOB_CANCELLED";
    pub const JOB_NOT_FINALIZED: &str = "JOB_NOT_FINALIZED";
    pub const API_KEY_PROVIDER: &str = "API_KEY_PROVIDER";
    // An API answer's code when the server sends none, by its status (response.rs).
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const INVALID_API_KEY: &str = "INVALID_API_KEY";
    pub const INSUFFICIENT_BALANCE: &str = "INSUFFICIENT_BALANCE";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const REQUEST_TIMEOUT: &str = "REQUEST_TIMEOUT";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const SERVER_ERROR: &str = "SERVER_ERROR";
    pub const UNEXPECTED_STATUS: &str = "UNEXPECTED_STATUS";
}

/// A failure, as the caller will see it. Boxed: a `Result` carrying it stays one word wide,
/// which keeps every `?` in the wasm small.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Fields>);

/// The fields of an `Error` (reached through it: `e.kind`, `e.message`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    pub kind: ErrorKind,
    pub code: String,
    pub status: Option<u16>,
    pub message: String,
    pub mid: Option<String>,
    pub job_id: Option<String>,
    pub retryable: bool,
    /// S3's `<Code>` for upload failures.
    pub s3_code: Option<String>,
    /// How long the server asked us to wait, when it said (`Retry-After`).
    pub retry_after_ms: Option<u64>,
    pub cause: Cause,
    /// The caller's signal ended the operation: nothing may retry or ride it out.
    pub aborted: bool,
}

/// What caused an error, when something did.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    None,
    /// The value the runtime gave the facade: its network error, the caller's abort reason.
    Runtime,
    /// An earlier failure, such as the last failed poll behind a time-out.
    Error(Error),
}

impl std::ops::Deref for Error {
    type Target = Fields;
    fn deref(&self) -> &Fields {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Fields {
        &mut self.0
    }
}

impl Error {
    pub fn new(kind: ErrorKind, code: &str, message: impl Into<String>) -> Error {
        Error(Box::new(Fields {
            kind,
            code: code.to_string(),
            status: None,
            message: message.into(),
            mid: None,
            job_id: None,
            retryable: false,
            s3_code: None,
            retry_after_ms: None,
            cause: Cause::None,
            aborted: false,
        }))
    }

    /// A bad constructor option.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Configuration, codes::CONFIGURATION, message)
    }

    /// A bad argument to a method (its options object included).
    pub fn argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Configuration, codes::INVALID_ARGUMENT, message)
    }

    pub fn connection(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Connection, codes::CONNECTION_ERROR, message).retryable(true)
    }

    pub fn timeout(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Timeout, codes::TIMEOUT, message).retryable(true)
    }

    pub fn aborted() -> Error {
        Error::new(
            ErrorKind::Abort,
            codes::ABORTED,
            "The operation was aborted by its AbortSignal",
        )
    }

    pub fn invalid_response(status: u16, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidResponse, codes::INVALID_RESPONSE, message).status(status)
    }

    pub fn retryable(mut self, yes: bool) -> Error {
        self.retryable = yes;
        self
    }

    pub fn status(mut self, status: u16) -> Error {
        self.status = Some(status);
        self
    }

    pub fn with_mid(mut self, mid: &str) -> Error {
        if self.mid.is_none() && !mid.is_empty() {
            self.mid = Some(mid.to_string());
        }
        self
    }

    pub fn with_job_id(mut self, id: &str) -> Error {
        if self.job_id.is_none() && !id.is_empty() {
            self.job_id = Some(id.to_string());
        }
        self
    }

    pub fn caused_by(mut self, cause: Cause) -> Error {
        self.cause = cause;
        self
    }

    /// Removes every given secret, and every pre-signed URL's signature, from the message (and
    /// from its cause's).
    pub fn redacted(mut self, secrets: &[&str]) -> Error {
        self.redact(secrets);
        self
    }

    fn redact(&mut self, secrets: &[&str]) {
        self.message = crate::core::redact::redact(&self.message, secrets);
        if let Cause::Error(inner) = &mut self.cause {
            inner.redact(secrets);
        }
    }
}
