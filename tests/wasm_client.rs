//! The client inside wasm, against a running emulator: in Node and in headless Chromium
//! (scripts/test-wasm.sh starts the emulator and passes its URL and key at compile time).
#![cfg(all(target_arch = "wasm32", feature = "client"))]
// Test code: a failed unwrap is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use authenta_wasm::AuthentaClient;
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const API: &str = match option_env!("AUTHENTA_EMULATOR_API") {
    Some(a) => a,
    None => "http://127.0.0.1:8787/api",
};
const KEY: &str = match option_env!("AUTHENTA_EMULATOR_KEY") {
    Some(k) => k,
    None => "api_test_key_0123456789",
};

#[wasm_bindgen(module = "/tests/wasm/support.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn control(api: &str, path: &str, body: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn logged(api: &str, origin: &str, method: Option<&str>) -> Result<JsValue, JsValue>;
    fn blob(size: u32, ty: &str) -> JsValue;
    #[wasm_bindgen(js_name = abortAfter)]
    fn abort_after(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = timeoutSignal)]
    fn timeout_signal(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = isError)]
    fn is_error(e: &JsValue) -> bool;
    fn now() -> f64;
    #[wasm_bindgen(catch, js_name = clearFaults)]
    async fn clear_faults(api: &str) -> Result<JsValue, JsValue>;
    fn recorder() -> Array;
    #[wasm_bindgen(js_name = countingKey)]
    fn counting_key(key: &str) -> Array;
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn s(v: &JsValue, k: &str) -> String {
    get(v, k).as_string().unwrap_or_default()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn client_with(extra: &[(&str, JsValue)]) -> AuthentaClient {
    let mut pairs = vec![
        ("apiKey", JsValue::from_str(KEY)),
        ("baseUrl", JsValue::from_str(API)),
        ("dangerouslyAllowBrowser", JsValue::TRUE),
    ];
    pairs.extend(extra.iter().cloned());
    AuthentaClient::new(obj(&pairs)).unwrap()
}

fn client() -> AuthentaClient {
    client_with(&[])
}

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!("rejected: {} {}", s(&e, "name"), s(&e, "message")),
    }
}

/// Awaits a promise that must reject; returns the error after checking it is a real `Error`
/// with the SDK's fields.
async fn err(p: Promise) -> JsValue {
    let e = JsFuture::from(p).await.expect_err("expected a rejection");
    assert!(is_error(&e), "not an Error: {e:?}");
    assert!(get(&e, "code").is_string(), "no code");
    assert!(get(&e, "retryable").as_bool().is_some(), "no retryable");
    e
}

fn assert_err(e: &JsValue, name: &str, code: &str, status: Option<f64>) {
    assert_eq!(
        (s(e, "name"), s(e, "code")),
        (name.to_string(), code.to_string()),
        "{}",
        s(e, "message")
    );
    assert_eq!(get(e, "statusCode").as_f64(), status, "{}", s(e, "message"));
}

async fn reset() {
    control(API, "reset", obj(&[])).await.unwrap();
}

async fn fault(spec: &str) {
    control(API, "faults", json(spec)).await.unwrap();
}

async fn count(origin: &str, method: &str) -> u32 {
    Array::from(&logged(API, origin, Some(method)).await.unwrap()).length()
}

async fn new_media(c: &AuthentaClient) -> JsValue {
    let body = obj(&[
        ("name", "clip.mp4".into()),
        ("contentType", "video/mp4".into()),
        ("size", 1000.into()),
        ("modelType", "DF-1".into()),
    ]);
    ok(c.create_media(&body, &JsValue::UNDEFINED)).await
}

fn fast_poll(extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("pollIntervalMs", JsValue::from(50)),
        ("maxPollIntervalMs", JsValue::from(200)),
    ];
    pairs.extend(extra.iter().cloned());
    obj(&pairs)
}

#[wasm_bindgen_test]
async fn whole_flow_upload_poll_result_list_delete() {
    reset().await;
    let c = client();
    let (on_progress, progress) = {
        let r = recorder();
        (r.get(0), r.get(1).unchecked_into::<Array>())
    };
    let (on_status, statuses) = {
        let r = recorder();
        (r.get(0), r.get(1).unchecked_into::<Array>())
    };
    let file = blob(4096, "video/mp4");
    let opts = fast_poll(&[
        ("modelType", "DF-1".into()),
        ("name", "flow.mp4".into()),
        ("onProgress", on_progress),
        ("onStatus", on_status),
    ]);
    let out = ok(c.upload_and_poll(&file, &opts)).await;
    let media = get(&out, "media");
    let result = get(&out, "result");
    assert_eq!(s(&media, "status"), "PROCESSED");
    assert_eq!(s(&media, "name"), "flow.mp4");
    assert_eq!(s(&result, "resultType"), "video");
    assert!(Array::is_array(&get(&result, "identityPredictions")));

    // Progress: ends with every byte, reported as computable.
    assert!(
        progress.length() >= 2,
        "progress events: {}",
        progress.length()
    );
    let last = progress.get(progress.length() - 1);
    assert_eq!(get(&last, "loaded").as_f64(), Some(4096.0));
    assert_eq!(get(&last, "total").as_f64(), Some(4096.0));
    assert_eq!(get(&last, "lengthComputable"), JsValue::TRUE);
    // Status: once per change, INITED first, PROCESSED last, never the same twice in a row.
    let seen: Vec<String> = statuses.iter().map(|m| s(&m, "status")).collect();
    assert_eq!(seen.first().map(String::as_str), Some("INITED"), "{seen:?}");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("PROCESSED"),
        "{seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0] != w[1]), "{seen:?}");

    let mid = s(&media, "mid");
    let page = ok(c.list_media(&obj(&[("limit", 10.into())]), &JsValue::UNDEFINED)).await;
    assert_eq!(get(&page, "total").as_f64(), Some(1.0));
    assert_eq!(s(&Array::from(&get(&page, "data")).get(0), "mid"), mid);
    // getResult by mid fetches the record, then the same verdict.
    let again = ok(c.get_result(&JsValue::from_str(&mid), &JsValue::UNDEFINED)).await;
    assert_eq!(
        js_sys::JSON::stringify(&again).unwrap(),
        js_sys::JSON::stringify(&result).unwrap()
    );

    // A record kept from before processing (no resultURL): getResult fetches it afresh.
    let stale = obj(&[("mid", mid.clone().into()), ("status", "UPLOADED".into())]);
    let from_stale = ok(c.get_result(&stale, &JsValue::UNDEFINED)).await;
    assert_eq!(s(&from_stale, "resultType"), "video");

    assert!(ok(c.delete_media(&mid.clone().into(), &JsValue::UNDEFINED))
        .await
        .is_undefined());
    let e = err(c.get_media(&mid.clone().into(), &JsValue::UNDEFINED)).await;
    assert_err(&e, "NotFoundError", "NOT_FOUND", Some(404.0));
    assert_eq!(s(&e, "mid"), mid);

    // Not once did the storage origin see credentials.
    for entry in Array::from(&logged(API, "storage", None).await.unwrap()).iter() {
        let headers = get(&entry, "headers");
        assert!(get(&headers, "authorization").is_undefined(), "{:?}", entry);
        assert!(get(&headers, "x-client-secret").is_undefined());
    }
    // The API saw the Bearer key on every request.
    for entry in Array::from(&logged(API, "api", Some("GET")).await.unwrap()).iter() {
        assert_eq!(
            s(&get(&entry, "headers"), "authorization"),
            format!("Bearer {KEY}")
        );
    }
}

#[wasm_bindgen_test]
async fn each_error_class_from_a_real_response() {
    reset().await;
    let c = client_with(&[("maxRetries", 0.into())]);

    let wrong = AuthentaClient::new(obj(&[
        ("apiKey", "api_wrong_key".into()),
        ("baseUrl", API.into()),
        ("dangerouslyAllowBrowser", JsValue::TRUE),
    ]))
    .unwrap();
    let e = err(wrong.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_err(&e, "AuthenticationError", "INVALID_API_KEY", Some(401.0));
    assert!(
        !s(&e, "message").contains("api_wrong_key"),
        "key in message"
    );

    control(
        API,
        "keys",
        json(r#"{"key":"api_read_only","permissions":["read"],"credits":5}"#),
    )
    .await
    .unwrap();
    control(
        API,
        "keys",
        json(r#"{"key":"api_no_credit","permissions":["read","write","delete"],"credits":0}"#),
    )
    .await
    .unwrap();
    let with_key = |k: &str| {
        AuthentaClient::new(obj(&[
            ("apiKey", k.into()),
            ("baseUrl", API.into()),
            ("dangerouslyAllowBrowser", JsValue::TRUE),
        ]))
        .unwrap()
    };
    let body = || {
        obj(&[
            ("name", "a.mp4".into()),
            ("contentType", "video/mp4".into()),
            ("size", 10.into()),
            ("modelType", "DF-1".into()),
        ])
    };
    let e = err(with_key("api_read_only").create_media(&body(), &JsValue::UNDEFINED)).await;
    assert_err(&e, "PermissionDeniedError", "FORBIDDEN", Some(403.0));
    let e = err(with_key("api_no_credit").create_media(&body(), &JsValue::UNDEFINED)).await;
    assert_err(
        &e,
        "InsufficientBalanceError",
        "INSUFFICIENT_BALANCE",
        Some(402.0),
    );

    let e = err(c.get_media(&"0123456789abcdef01234567".into(), &JsValue::UNDEFINED)).await;
    assert_err(&e, "NotFoundError", "NOT_FOUND", Some(404.0));

    let png_for_df1 = obj(&[
        ("name", "a.png".into()),
        ("contentType", "image/png".into()),
        ("size", 10.into()),
        ("modelType", "DF-1".into()),
    ]);
    let e = err(c.create_media(&png_for_df1, &JsValue::UNDEFINED)).await;
    assert_err(&e, "BadRequestError", "UNSUPPORTED_MEDIA_TYPE", Some(400.0));

    fault(r#"{"route":"GET /media","count":1,"status":429,"body":"{\"code\":\"AA001\",\"type\":\"CLIENT_ERROR\",\"message\":\"API limit reached\"}"}"#).await;
    let e = err(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_err(&e, "RateLimitError", "AA001", Some(429.0));
    assert_eq!(get(&e, "retryable"), JsValue::FALSE);

    fault(r#"{"route":"GET /media","count":1,"status":503,"body":"<html>down</html>","contentType":"text/html"}"#).await;
    let e = err(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_err(&e, "ServerError", "SERVER_ERROR", Some(503.0));
    assert_eq!(get(&e, "retryable"), JsValue::TRUE);

    // Several: Chromium itself resends a GET once when a reused connection is reset.
    fault(r#"{"route":"GET /media","count":4,"drop":true}"#).await;
    let e = err(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_err(&e, "ConnectionError", "CONNECTION_ERROR", None);
    clear_faults(API).await.unwrap();

    fault(r#"{"route":"GET /media","count":1,"delayMs":1500}"#).await;
    let e = err(c.list_media(&JsValue::UNDEFINED, &obj(&[("timeoutMs", 200.into())]))).await;
    assert_err(&e, "TimeoutError", "TIMEOUT", None);

    for bad in [
        "<!doctype html><title>Sign in</title>",
        "{\"limit\":10,\"offset\":0,\"tot",
        "",
        "{\"data\":[{\"mid\":5}]}",
    ] {
        let spec = obj(&[
            ("route", "GET /media".into()),
            ("count", 1.into()),
            ("status", 200.into()),
            ("body", bad.into()),
        ]);
        control(API, "faults", spec).await.unwrap();
        let e = err(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
        assert_err(&e, "InvalidResponseError", "INVALID_RESPONSE", Some(200.0));
    }

    let bad_options = AuthentaClient::new(obj(&[("apiKey", "".into())]));
    let e = bad_options.err().expect("empty key must throw");
    assert!(is_error(&e));
    assert_err(&e, "ConfigurationError", "CONFIGURATION", None);
    let e = err(c.get_media(&"../etc".into(), &JsValue::UNDEFINED)).await;
    assert_err(&e, "ConfigurationError", "INVALID_ARGUMENT", None);

    // And after all of that the client still works.
    ok(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
}

#[wasm_bindgen_test]
async fn upload_and_processing_errors() {
    reset().await;
    let c = client();
    control(API, "config", json(r#"{"uploadExpiresIn":0}"#))
        .await
        .unwrap();
    let file = blob(100, "video/mp4");
    let e = err(c.upload(&file, &obj(&[("modelType", "DF-1".into())]))).await;
    assert_err(&e, "UploadError", "UPLOAD_FAILED", Some(403.0));
    assert_eq!(s(&e, "s3Code"), "AccessDenied");
    assert_eq!(get(&e, "retryable"), JsValue::FALSE);
    assert!(!s(&e, "mid").is_empty(), "an upload error names its record");
    assert!(
        !s(&e, "message").contains("X-Amz-Signature="),
        "{}",
        s(&e, "message")
    );
    assert_eq!(
        count("storage", "PUT").await,
        1,
        "an expired URL is not retried"
    );

    control(API, "config", json(r#"{"uploadExpiresIn":3600}"#))
        .await
        .unwrap();
    let created = new_media(&c).await;
    let mid = s(&created, "mid");
    control(
        API,
        &format!("media/{mid}/outcome"),
        json(r#"{"status":"FAILED"}"#),
    )
    .await
    .unwrap();
    let upload_url = get(&created, "uploadUrl");
    ok(c.upload_file(&upload_url, &blob(1000, "video/mp4"), &JsValue::UNDEFINED)).await;
    let e = err(c.wait_for_result(&mid.clone().into(), &fast_poll(&[]))).await;
    assert_err(&e, "ProcessingError", "PROCESSING_FAILED", None);
    assert_eq!(s(&e, "mid"), mid);

    // A record that is not processed yet has no result: retryable.
    let pending = new_media(&c).await;
    let e = err(c.get_result(&pending, &JsValue::UNDEFINED)).await;
    assert_err(&e, "ProcessingError", "RESULT_NOT_READY", None);
    assert_eq!(get(&e, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn retries_on_5xx_and_dropped_connections_then_succeeds() {
    reset().await;
    let c = client();
    fault(r#"{"route":"GET /media","count":1,"status":503}"#).await;
    fault(r#"{"route":"GET /media","count":1,"status":502}"#).await;
    let page = ok(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert!(Array::is_array(&get(&page, "data")));
    assert_eq!(count("api", "GET").await, 3);

    // Dropped connections: two drops, then success (maxRetries 3, since a browser may itself
    // absorb a drop by resending once, and then the SDK retries fewer times).
    reset().await;
    fault(r#"{"route":"GET /media","count":2,"drop":true}"#).await;
    let c3 = client_with(&[("maxRetries", 3.into())]);
    ok(c3.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_eq!(count("api", "GET").await, 3);

    reset().await;
    fault(r#"{"route":"GET /media","count":5,"status":502,"body":"bad gateway"}"#).await;
    let e = err(c.list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    assert_err(&e, "ServerError", "SERVER_ERROR", Some(502.0));
    assert_eq!(count("api", "GET").await, 3, "1 attempt + maxRetries (2)");
}

#[wasm_bindgen_test]
async fn never_retries_401_402_403_or_quota() {
    for (status, code) in [
        (401, "INVALID_API_KEY"),
        (402, "INSUFFICIENT_BALANCE"),
        (403, "FORBIDDEN"),
        (429, "AA001"),
    ] {
        reset().await;
        let spec = format!(
            r#"{{"route":"GET /media","count":3,"status":{status},"body":"{{\"code\":\"{code}\",\"statusCode\":{status},\"message\":\"no\"}}"}}"#
        );
        fault(&spec).await;
        let e = err(client().list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
        assert_eq!(s(&e, "code"), code);
        assert_eq!(count("api", "GET").await, 1, "{status} must not be retried");
    }
}

#[wasm_bindgen_test]
async fn retry_after_is_honoured() {
    reset().await;
    fault(r#"{"route":"GET /media","count":1,"status":503,"retryAfter":"1"}"#).await;
    let start = now();
    ok(client().list_media(&JsValue::UNDEFINED, &JsValue::UNDEFINED)).await;
    let waited = now() - start;
    assert!(waited >= 900.0, "waited only {waited} ms");
    assert_eq!(count("api", "GET").await, 2);
}

#[wasm_bindgen_test]
async fn aborts_during_a_request_a_back_off_and_an_upload() {
    reset().await;
    let c = client();

    fault(r#"{"route":"GET /media","count":1,"delayMs":3000}"#).await;
    let start = now();
    let e = err(c.list_media(&JsValue::UNDEFINED, &obj(&[("signal", abort_after(100))]))).await;
    assert_err(&e, "AbortError", "ABORTED", None);
    assert!(now() - start < 1500.0, "abort took {} ms", now() - start);

    reset().await;
    fault(r#"{"route":"GET /media","count":1,"status":503,"retryAfter":"10"}"#).await;
    let start = now();
    let opts = obj(&[("signal", abort_after(300)), ("timeoutMs", 20_000.into())]);
    let e = err(c.list_media(&JsValue::UNDEFINED, &opts)).await;
    assert_err(&e, "AbortError", "ABORTED", None);
    assert!(
        now() - start < 2000.0,
        "the back-off sleep was not cut short"
    );

    reset().await;
    fault(r#"{"route":"PUT upload","count":1,"delayMs":3000}"#).await;
    let start = now();
    let opts = obj(&[("modelType", "DF-1".into()), ("signal", abort_after(300))]);
    let e = err(c.upload(&blob(2048, "video/mp4"), &opts)).await;
    assert_err(&e, "AbortError", "ABORTED", None);
    assert!(now() - start < 2000.0, "the upload was not aborted");

    // AbortSignal.timeout() is a TimeoutError, not an AbortError.
    fault(r#"{"route":"GET /media","count":1,"delayMs":3000}"#).await;
    let e = err(c.list_media(
        &JsValue::UNDEFINED,
        &obj(&[("signal", timeout_signal(100))]),
    ))
    .await;
    assert_err(&e, "TimeoutError", "TIMEOUT", None);

    // A deadline on a long operation.
    let created = new_media(&c).await;
    let e = err(c.wait_for_result(
        &get(&created, "mid"),
        &fast_poll(&[("timeoutMs", 400.into())]),
    ))
    .await;
    assert_err(&e, "TimeoutError", "TIMEOUT", None);
    assert_eq!(s(&e, "mid"), s(&created, "mid"));
}

#[wasm_bindgen_test]
async fn unknown_fields_survive_and_key_functions_are_called_per_attempt() {
    reset().await;
    let pair = counting_key(KEY);
    let (key_fn, state) = (pair.get(0), pair.get(1));
    let c = AuthentaClient::new(obj(&[("apiKey", key_fn), ("baseUrl", API.into())])).unwrap();
    let created = new_media(&c).await;
    let mid = s(&created, "mid");
    let record = format!(
        r#"{{"mid":"{mid}","status":"INITED","name":"x","futureField":{{"nested":[1,2]}},"modelType":"XX-9"}}"#
    );
    let spec = obj(&[
        ("route", "GET /media/:mid".into()),
        ("count", 1.into()),
        ("status", 200.into()),
        ("body", record.into()),
    ]);
    control(API, "faults", spec).await.unwrap();
    let m = ok(c.get_media(&mid.clone().into(), &JsValue::UNDEFINED)).await;
    assert_eq!(
        js_sys::JSON::stringify(&get(&m, "futureField"))
            .unwrap()
            .as_string(),
        Some(r#"{"nested":[1,2]}"#.to_string())
    );
    assert_eq!(s(&m, "modelType"), "XX-9");

    let before = get(&state, "calls").as_f64().unwrap();
    fault(r#"{"route":"GET /media/:mid","count":1,"status":503}"#).await;
    ok(c.get_media(&mid.into(), &JsValue::UNDEFINED)).await;
    assert_eq!(
        get(&state, "calls").as_f64().unwrap() - before,
        2.0,
        "one call per attempt"
    );
}

#[wasm_bindgen_test]
fn secrets_stay_out_of_the_client_s_json_and_string() {
    let c = client_with(&[("timeoutMs", 1234.into())]);
    let j = js_sys::JSON::stringify(&c.to_json())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(j.contains("1234") && !j.contains(KEY), "{j}");
    assert!(!c.to_string_js().contains(KEY));
}
