//! mids, URLs and redaction: hostile strings are encoded or refused, secrets always removed.
#![no_main]
use authenta_wasm::core::redact::redact;
use authenta_wasm::core::url::{mid_segment, parse_http_url, without_query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(seg) = mid_segment(&s) {
        assert!(seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        assert!(seg != "." && seg != "..");
    }
    let _ = parse_http_url(&s);
    let _ = without_query(&s);
    let secret = "sk_fuzz_SECRET_42";
    let text = format!("{s}{secret}{s}");
    assert!(!redact(&text, &[secret]).contains(secret));
});
