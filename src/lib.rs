//! authenta-wasm: the Authenta API client (the Jobs API and the Media API), for every
//! JavaScript runtime, and the server handler that keeps the key off the page.
//!
//! `core` decides everything and does no I/O (tested on the host); `wasm` is the client's thin
//! facade that moves values between the core and the runtime, `server_wasm` the handler's.

pub mod core;
#[cfg(all(target_arch = "wasm32", feature = "server"))]
mod server_wasm;
#[cfg(all(target_arch = "wasm32", feature = "client"))]
mod wasm;

/// The client, for Rust code (and tests) that drive it inside wasm.
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub use wasm::AuthentaClient;
