//! Scripted faults: what a route does instead of its normal answer.

use crate::state::Fault;
use crate::util::{response, set_header, Resp};
use hyper::header::{HeaderName, RETRY_AFTER};
use hyper::StatusCode;
use std::time::Duration;

/// The error a service returns to make hyper close the connection without any response.
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for DropConnection {}

pub enum Outcome {
    /// No fault, or a pure delay: handle the request normally.
    Continue,
    /// Answer with this instead; `bool` says whether CORS headers go on it.
    Respond(Resp, bool),
    Drop,
}

/// `pattern` (a space if empty) repeated and cut to exactly `len` bytes.
fn filled(pattern: &str, len: u64) -> Vec<u8> {
    let pattern = if pattern.is_empty() { " " } else { pattern };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    let mut v = pattern.as_bytes().repeat(len / pattern.len() + 1);
    v.truncate(len);
    v
}

/// Waits the fault's delay, then says what to do.
pub async fn apply(fault: Option<Fault>) -> Outcome {
    let Some(f) = fault else {
        return Outcome::Continue;
    };
    if f.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
    }
    if f.drop {
        return Outcome::Drop;
    }
    let Some(status) = f.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        return Outcome::Continue;
    };
    let body = match f.body_size {
        None => f.body.into_bytes(),
        Some(n) => filled(&f.body, n),
    };
    let mut resp = response(status, &f.content_type, body);
    if let Some(ra) = &f.retry_after {
        set_header(&mut resp, RETRY_AFTER, ra);
    }
    for (name, value) in &f.headers {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            set_header(&mut resp, name, value);
        }
    }
    set_header(
        &mut resp,
        HeaderName::from_static("x-emulator-fault"),
        f.route.name(),
    );
    Outcome::Respond(resp, f.cors)
}
