//! The decisions of `authenta-wasm/server` (design/SERVER.md): the handler a page or an
//! extension talks to instead of holding Authenta's key. Like the client's operations, this is
//! sans-I/O code: the facade reads the `Request`, calls the application's hooks, sends upstream
//! and writes the `Response`; everything it does is a [`flow::Step`] this module decided.
//!
//! Compiled for host tests and for the server's own wasm (feature `server`), never into the
//! browser's wasm. It parses bodies with `serde_json`: the server's wasm is not a download.

pub mod answer;
pub mod body;
pub mod cors;
pub mod flow;
pub mod options;
pub mod paths;
pub mod policy;
pub mod wire;

#[cfg(test)]
mod tests;

pub use answer::Answer;
pub use flow::{Event, Flow, Step, Upstream};
pub use options::{HandlerConfig, RawHandlerOptions};

/// The handler's own error codes (its answers use the API's error shape, so the SDK in a page
/// turns them into its typed errors).
pub mod codes {
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const TASK_NOT_ALLOWED: &str = "TASK_NOT_ALLOWED";
    pub const OPERATION_NOT_ALLOWED: &str = "OPERATION_NOT_ALLOWED";
    pub const ORIGIN_NOT_ALLOWED: &str = "ORIGIN_NOT_ALLOWED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    pub const TOO_LARGE: &str = "TOO_LARGE";
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const HANDLER_ERROR: &str = "HANDLER_ERROR";
    pub const UPSTREAM_FAILED: &str = "UPSTREAM_FAILED";
}

/// The largest JSON body the handler reads (a create's), in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
