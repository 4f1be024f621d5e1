//! `Retry-After` (seconds or HTTP dates): a duration or nothing.
#![no_main]
use authenta_wasm::core::retry::{parse_http_date, parse_retry_after};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = String::from_utf8_lossy(data);
    let _ = parse_http_date(&v);
    if let Some(ms) = parse_retry_after(&v, 1.7e12) {
        assert!(ms <= 1_000_000_000_000 || v.trim().len() > 12);
    }
});
