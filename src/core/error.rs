//! One error type for every failure, carrying what the JS error classes expose.

/// Which JS error class a failure becomes (`AuthentaError` subclasses, see `design/SDK.md`).
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
    Upload,
    Processing,
    InvalidResponse,
    Configuration,
}

impl ErrorKind {
    /// The JS class name, also the error's `name`.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::InsufficientBalance => "InsufficientBalanceError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Server => "ServerError",
            ErrorKind::Connection => "ConnectionError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Abort => "AbortError",
            ErrorKind::Upload => "UploadError",
            ErrorKind::Processing => "ProcessingError",
            ErrorKind::InvalidResponse => "InvalidResponseError",
            ErrorKind::Configuration => "ConfigurationError",
        }
    }
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
    pub const PROCESSING_FAILED: &str = "PROCESSING_FAILED";
    pub const RESULT_NOT_READY: &str = "RESULT_NOT_READY";
}

/// A failure, as the caller will see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: String,
    pub status: Option<u16>,
    pub message: String,
    pub mid: Option<String>,
    pub retryable: bool,
    /// S3's `<Code>` for upload failures.
    pub s3_code: Option<String>,
    /// How long the server asked us to wait, when it said (`Retry-After`).
    pub retry_after_ms: Option<u64>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &str, message: impl Into<String>) -> Error {
        Error {
            kind,
            code: code.to_string(),
            status: None,
            message: message.into(),
            mid: None,
            retryable: false,
            s3_code: None,
            retry_after_ms: None,
        }
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

    /// Removes every given secret, and every pre-signed URL's signature, from the message.
    pub fn redacted(mut self, secrets: &[&str]) -> Error {
        self.message = crate::core::redact::redact(&self.message, secrets);
        self
    }
}
