//! S3's XML error bodies: parsed or ignored, and no signature ever reaches a message.
#![no_main]
use authenta_wasm::core::upload::{parse_s3_error, upload_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let _ = parse_s3_error(&body);
    let url = "https://s3.example/b/k?X-Amz-Signature=feedfacecafe&X-Amz-Credential=AKIAFUZZ";
    let e = upload_error(403, &body, url);
    assert!(!e.message.contains("feedfacecafe") && !e.message.contains("AKIAFUZZ"));
});
