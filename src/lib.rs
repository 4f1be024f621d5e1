//! authenta-wasm: the Authenta API client (the Jobs API and the Media API), for every JavaScript
//! runtime.
//!
//! `core` decides everything and does no I/O (tested on the host); `wasm` is the thin facade
//! that moves values between the core and the runtime.

pub mod core;
#[cfg(target_arch = "wasm32")]
mod wasm;

/// The client, for Rust code (and tests) that drive it inside wasm.
#[cfg(target_arch = "wasm32")]
pub use wasm::AuthentaClient;
