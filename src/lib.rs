//! authenta-wasm: the Authenta API client (the Jobs API and the Media API), for every
//! JavaScript runtime, and the server handler that keeps the key off the page.
//!
//! `core` decides everything and does no I/O (tested on the host); `wasm` is the client's thin
//! facade that moves values between the core and the runtime, `server_wasm` the handler's.

/// Joins text and numbers into a `String`, as `format!` would with plain `{}`: without
/// `core::fmt`, whose machinery and argument tables cost about 1 KB gzipped of the browser's wasm
/// (README, "Size").
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        $crate::core::text::join(&[$( $crate::core::text::Piece::text(&$piece) ),+])
    }};
}

pub mod core;
#[cfg(all(target_arch = "wasm32", feature = "server"))]
mod server_wasm;
#[cfg(all(target_arch = "wasm32", feature = "client"))]
mod wasm;

/// The client, for Rust code (and tests) that drive it inside wasm.
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub use wasm::AuthentaClient;

/// The client's wasm allocates little and briefly (an operation's strings and values, freed when
/// it ends; bodies never enter wasm memory), so a small free-list allocator serves it: 2.1 KB
/// gzipped less than std's dlmalloc (README, "Size").
#[cfg(all(target_arch = "wasm32", feature = "client"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
