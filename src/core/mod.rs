//! The sans-I/O core: decides what to send, what a response means, whether to retry and how
//! long to wait. No wasm-bindgen, no web-sys: everything here is tested with `cargo test` on the
//! host and can be fuzzed.

pub mod config;
pub mod error;
pub mod json;
pub mod ops;
pub mod poll;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
#[cfg(any(test, feature = "server"))]
pub mod server;
pub mod tasks;
pub mod text;
pub mod upload;
pub mod url;
pub mod value;
