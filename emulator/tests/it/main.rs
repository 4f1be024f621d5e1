//! Integration tests: the emulator started in-process on ports picked by the OS, spoken to
//! over real HTTP. One test binary (with modules) keeps link time down.
// Test code: a failed unwrap or an index out of range is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod api_errors;
mod binary;
mod common;
mod controls;
mod cors;
mod flow;
mod jobs;
mod storage;
