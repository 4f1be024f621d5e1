//! Media and list JSON, error bodies (new and legacy), any status: a typed result, never a panic.
#![no_main]
use authenta_wasm::core::error::ErrorKind;
use authenta_wasm::core::request::Route;
use authenta_wasm::core::response::{answer_from_text, classify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(3));
    let status = match head {
        [a, b, ..] => 100 + (u16::from(*a) << 8 | u16::from(*b)) % 500,
        _ => 200,
    };
    let route = match head.get(2).copied().unwrap_or(0) % 4 {
        0 => Route::CreateMedia,
        1 => Route::GetMedia,
        2 => Route::ListMedia,
        _ => Route::DeleteMedia,
    };
    let body = String::from_utf8_lossy(body);
    let answer = answer_from_text(status, &body, Some(&body));
    match classify(route, &answer) {
        Ok(_) => assert!((200..300).contains(&status)),
        Err(e) => {
            assert_eq!(e.status, Some(status));
            assert!(e.message.len() < 1200, "messages stay short");
            if (200..300).contains(&status) {
                assert_eq!(e.kind, ErrorKind::InvalidResponse);
            }
        }
    }
});
