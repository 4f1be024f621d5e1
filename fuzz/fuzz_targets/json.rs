//! The JSON reader: never panics; what it accepts, the writer round-trips for strings.
#![no_main]
use authenta_wasm::core::json::{parse_decimal, write_str, Json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(Json::Str(s)) = Json::parse(&text) {
        let mut out = String::new();
        write_str(&mut out, &s);
        assert_eq!(Json::parse(&out), Ok(Json::Str(s)));
    }
    let _ = parse_decimal(&text);
});
