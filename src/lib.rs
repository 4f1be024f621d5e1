//! authenta-wasm: the Authenta Media API client.
pub mod core;
