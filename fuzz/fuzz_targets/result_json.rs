//! Result documents and media records as the polling loop reads them.
#![no_main]
use authenta_wasm::core::json::Json;
use authenta_wasm::core::poll::phase;
use authenta_wasm::core::response::check_media;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(doc) = Json::parse(&text) {
        let _ = check_media(&doc);
        if let Some(status) = doc.str_field("status") {
            let _ = phase(status);
        }
        for key in ["resultType", "isDeepFake", "similarityScore", "faceVector", "boundingBoxes"] {
            let _ = doc.get(key);
        }
    }
});
