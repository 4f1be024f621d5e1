//! Test controls: the request log, scripted faults, keys, reset.

use crate::common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn log_shows_what_was_received() {
    let emu = Emu::start().await;
    let auth = emu.auth();
    send(
        "GET",
        &emu.api("/media?limit=2"),
        &[("authorization", &auth), ("x-custom-thing", "hello")],
        "",
    )
    .await;
    let rec = emu.create(&media("a", "video/mp4", 3, "DF-1")).await.json();
    send(
        "OPTIONS",
        rec["uploadUrl"].as_str().unwrap(),
        &[
            ("origin", emu.run.web_url.as_str()),
            ("access-control-request-method", "PUT"),
        ],
        "",
    )
    .await;
    send(
        "PUT",
        rec["uploadUrl"].as_str().unwrap(),
        &[("content-type", "video/mp4")],
        "abc",
    )
    .await;
    send("GET", &format!("{}/", emu.run.web_url), &[], "").await;

    let log = emu.log().await;
    assert_eq!(log.len(), 5, "{log:#?}");
    let first = &log[0];
    assert_eq!(first["origin"], "api");
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/api/media");
    assert_eq!(first["query"], "limit=2");
    assert_eq!(first["headers"]["x-custom-thing"], "hello");
    assert_eq!(first["headers"]["authorization"], auth);
    assert_eq!(log[1]["method"], "POST");
    assert_eq!(log[1]["headers"]["content-type"], "application/json");
    assert_eq!(log[2]["origin"], "storage");
    assert_eq!(log[2]["method"], "OPTIONS");
    assert_eq!(log[3]["origin"], "storage");
    assert_eq!(log[3]["method"], "PUT");
    assert!(log[3]["query"]
        .as_str()
        .unwrap()
        .contains("X-Amz-Signature="));
    assert_eq!(log[4]["origin"], "web");
    // No Authorization reached the storage origin.
    assert!(log
        .iter()
        .filter(|e| e["origin"] == "storage")
        .all(|e| e["headers"].get("authorization").is_none()));

    let r = send("DELETE", &emu.control("/log"), &[], "").await;
    assert_eq!(r.status, 200);
    assert!(emu.log().await.is_empty());
}

#[tokio::test]
async fn fault_fires_count_times_then_normal() {
    let emu = Emu::start().await;
    let r = emu
        .control_post(
            "/faults",
            &json!({"route": "GET /media/:mid", "count": 2, "status": 503,
                    "body": "<html>upstream down</html>", "contentType": "text/html",
                    "retryAfter": "1"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let pending = send("GET", &emu.control("/faults"), &[], "").await.json();
    assert_eq!(pending[0]["route"], "GET /media/:mid");
    assert_eq!(pending[0]["count"], 2);
    // Another route is not affected.
    assert_eq!(emu.get("/media").await.status, 200);
    for _ in 0..2 {
        let r = emu.get("/media/000000000000000000000000").await;
        assert_eq!(r.status, 503);
        assert_eq!(r.text(), "<html>upstream down</html>");
        assert_eq!(r.header("content-type").unwrap(), "text/html");
        assert_eq!(r.header("retry-after").unwrap(), "1");
    }
    let r = emu.get("/media/000000000000000000000000").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "NOT_FOUND");
    assert!(send("GET", &emu.control("/faults"), &[], "")
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    // Faulted requests are logged too.
    let log = emu.log().await;
    assert_eq!(
        log.iter()
            .filter(|e| e["path"] == "/api/media/000000000000000000000000")
            .count(),
        3
    );
}

#[tokio::test]
async fn faults_queue_fifo_with_raw_bodies() {
    let emu = Emu::start().await;
    emu.control_post(
        "/faults",
        &json!({"route": "POST /media", "status": 500, "body": "{\"code\":\"INTER"}),
    )
    .await;
    emu.control_post(
        "/faults",
        &json!({"route": "POST /media", "status": 429, "body": "", "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT"}),
    )
    .await;
    let body = media("a", "video/mp4", 3, "DF-1");
    let r = emu.create(&body).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text(), "{\"code\":\"INTER");
    let r = emu.create(&body).await;
    assert_eq!(r.status, 429);
    assert!(r.body.is_empty());
    assert_eq!(
        r.header("retry-after").unwrap(),
        "Wed, 21 Oct 2015 07:28:00 GMT"
    );
    assert_eq!(emu.create(&body).await.status, 200);
}

#[tokio::test]
async fn delay_and_drop_faults() {
    let emu = Emu::start().await;
    emu.control_post("/faults", &json!({"route": "GET /media", "delayMs": 300}))
        .await;
    let t = Instant::now();
    let r = emu.get("/media").await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200);
    // Fired once: the next request is not delayed (and the queue is empty).
    let pending = send("GET", &emu.control("/faults"), &[], "").await.json();
    assert!(pending.as_array().unwrap().is_empty());

    emu.control_post("/faults", &json!({"route": "GET /media", "drop": true}))
        .await;
    let auth = emu.auth();
    let r = try_send("GET", &emu.api("/media"), &[("authorization", &auth)], "").await;
    assert!(
        r.is_err(),
        "expected a connection error, got {}",
        r.map(|r| r.status).unwrap_or(0)
    );
    assert_eq!(emu.get("/media").await.status, 200);

    // On the storage too: a dropped upload, then a 500 from S3, then the real thing.
    let rec = emu.create(&media("a", "video/mp4", 3, "DF-1")).await.json();
    let url = rec["uploadUrl"].as_str().unwrap();
    emu.control_post("/faults", &json!({"route": "PUT upload", "drop": true}))
        .await;
    emu.control_post(
        "/faults",
        &json!({"route": "PUT upload", "status": 500, "contentType": "application/xml",
                "body": "<Error><Code>InternalError</Code></Error>"}),
    )
    .await;
    let put = || try_send("PUT", url, &[("content-type", "video/mp4")], "abc");
    assert!(put().await.is_err());
    let r = put().await.unwrap();
    assert_eq!(r.status, 500);
    assert_eq!(r.s3_code(), "InternalError");
    assert_eq!(put().await.unwrap().status, 200);
    let v = emu.wait_terminal(rec["mid"].as_str().unwrap()).await;
    emu.control_post("/faults", &json!({"route": "GET storage", "status": 503}))
        .await;
    let url = v["resultURL"].as_str().unwrap();
    assert_eq!(send("GET", url, &[], "").await.status, 503);
    assert_eq!(send("GET", url, &[], "").await.status, 200);
}

#[tokio::test]
async fn bad_control_input_and_reset() {
    let emu = Emu::start().await;
    for body in [
        json!({"route": "GET /nowhere", "status": 500}),
        json!({"route": "GET /media", "status": 99}),
        json!({"route": "GET /media", "count": 0}),
        json!({"route": "GET /media", "drop": "yes"}),
    ] {
        let r = emu.control_post("/faults", &body).await;
        assert_eq!(r.status, 400, "{body}");
    }
    let r = send("POST", &emu.control("/faults"), &[], "{").await;
    assert_eq!(r.status, 400);
    let r = emu
        .control_post("/keys", &json!({"key": "k", "permissions": ["admin"]}))
        .await;
    assert_eq!(r.status, 400);
    let r = emu
        .control_post("/keys", &json!({"key": "has space"}))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        send("GET", &emu.control("/nope"), &[], "").await.status,
        404
    );

    // Reset: records, faults, log and extra keys go; start-up keys come back full.
    emu.control_post("/keys", &json!({"key": "api_extra"}))
        .await;
    emu.control_post("/keys", &json!({"key": "api_test_key", "credits": 0}))
        .await;
    emu.control_post("/faults", &json!({"route": "GET /media", "status": 500}))
        .await;
    emu.control_post("/config", &json!({"processingMs": 9999}))
        .await;
    let r = emu.control_post("/reset", &json!({})).await;
    assert_eq!(r.status, 200);
    assert!(emu.log().await.is_empty());
    assert_eq!(emu.get("/media").await.status, 200);
    assert_eq!(
        emu.create(&media("a", "video/mp4", 1, "DF-1")).await.status,
        200
    );
    let r = send(
        "GET",
        &emu.api("/media"),
        &[("authorization", "Bearer api_extra")],
        "",
    )
    .await;
    assert_eq!(r.status, 401);
    let cfg = send("GET", &emu.control("/config"), &[], "").await.json();
    assert_eq!(cfg["processingMs"], 200);
    // Revoking a key.
    emu.control_post("/keys", &json!({"key": "api_gone"})).await;
    assert_eq!(
        send("DELETE", &emu.control("/keys/api_gone"), &[], "")
            .await
            .status,
        200
    );
    let r = send(
        "GET",
        &emu.api("/media"),
        &[("authorization", "Bearer api_gone")],
        "",
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn controls_answer_browsers() {
    let emu = Emu::start().await;
    let pre = send(
        "OPTIONS",
        &emu.control("/faults"),
        &[
            ("origin", "http://localhost:9000"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    )
    .await;
    assert_eq!(
        pre.header("access-control-allow-origin").unwrap(),
        "http://localhost:9000"
    );
    let r = send(
        "GET",
        &emu.control("/log"),
        &[("origin", "http://localhost:9000")],
        "",
    )
    .await;
    assert_eq!(
        r.header("access-control-allow-origin").unwrap(),
        "http://localhost:9000"
    );
}

#[tokio::test]
async fn web_origin_serves_files() {
    let dir = std::env::temp_dir().join(format!("authenta-emu-web-{}", std::process::id()));
    let www = dir.join("www");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(www.join("index.html"), "<h1>sample</h1>").unwrap();
    std::fs::write(pkg.join("sdk_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("sdk.js"), "export {}").unwrap();
    std::fs::write(pkg.join("sdk.d.ts"), "export {}").unwrap();
    let mut cfg = authenta_emulator::Config::for_tests();
    cfg.www_dir = www.clone();
    cfg.pkg_dir = pkg.clone();
    let emu = Emu::with(cfg).await;
    let web = &emu.run.web_url;
    let r = send("GET", &format!("{web}/"), &[], "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "<h1>sample</h1>");
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = send("GET", &format!("{web}/pkg/sdk_bg.wasm"), &[], "").await;
    assert_eq!(r.header("content-type").unwrap(), "application/wasm");
    let r = send("GET", &format!("{web}/pkg/sdk.js"), &[], "").await;
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let r = send("GET", &format!("{web}/pkg/sdk.d.ts"), &[], "").await;
    assert!(r.header("content-type").unwrap().contains("typescript"));
    for bad in [
        "/pkg/../www/index.html",
        "/%2e%2e/Cargo.toml",
        "/missing.js",
    ] {
        let r = send("GET", &format!("{web}{bad}"), &[], "").await;
        assert_eq!(r.status, 404, "{bad}");
    }
    let env = send("GET", &format!("{web}/__emulator/env.json"), &[], "")
        .await
        .json();
    assert_eq!(env["api"], emu.run.api_url.as_str());
    assert_eq!(env["apiKey"], emu.run.api_key.as_str());
    std::fs::remove_dir_all(&dir).unwrap();

    // Without the page: a placeholder that says so.
    let mut cfg = authenta_emulator::Config::for_tests();
    cfg.www_dir = dir.join("nothing");
    let emu = Emu::with(cfg).await;
    let r = send("GET", &format!("{}/", emu.run.web_url), &[], "").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("not built yet"));
}

#[tokio::test]
async fn fault_headers_and_body_size() {
    let emu = Emu::start().await;
    // A redirect with a Location of our choosing, on the API and on the storage.
    let to = format!("{}/elsewhere", emu.run.storage_url);
    emu.control_post(
        "/faults",
        &json!({"route": "GET /media", "status": 307, "body": "",
                "headers": {"Location": to, "X-Extra": "1"}}),
    )
    .await;
    let r = emu.get("/media").await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location").unwrap(), to);
    assert_eq!(r.header("x-extra").unwrap(), "1");
    assert_eq!(r.header("x-emulator-fault").unwrap(), "GET /media");
    assert_eq!(emu.get("/media").await.status, 200);

    // The pending list shows them.
    emu.control_post(
        "/faults",
        &json!({"route": "GET storage", "status": 302, "headers": {"location": "http://127.0.0.1:1/x"}}),
    )
    .await;
    let pending = send("GET", &emu.control("/faults"), &[], "").await.json();
    assert_eq!(pending[0]["headers"]["location"], "http://127.0.0.1:1/x");
    assert_eq!(pending[0]["bodySize"], serde_json::Value::Null);
    let r = send("GET", &format!("{}/any", emu.run.storage_url), &[], "").await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location").unwrap(), "http://127.0.0.1:1/x");

    // bodySize: the body repeated to exactly that length, with a matching Content-Length.
    emu.control_post(
        "/faults",
        &json!({"route": "GET /media", "status": 200, "body": "ab", "bodySize": 5}),
    )
    .await;
    let r = emu.get("/media").await;
    assert_eq!(r.text(), "ababa");
    assert_eq!(r.header("content-length").unwrap(), "5");
    let big = 64 * 1024 * 1024 + 1;
    emu.control_post(
        "/faults",
        &json!({"route": "GET /media", "status": 200, "bodySize": big}),
    )
    .await;
    let r = emu.get("/media").await;
    assert_eq!(r.header("content-length").unwrap(), big.to_string());
    assert_eq!(r.body.len(), big);
    assert!(r.body.iter().all(|b| *b == b' '));

    // Bad input.
    for body in [
        json!({"route": "GET /media", "status": 200, "headers": "Location: x"}),
        json!({"route": "GET /media", "status": 200, "headers": {"bad name": "x"}}),
        json!({"route": "GET /media", "status": 200, "headers": {"location": 5}}),
        json!({"route": "GET /media", "status": 200, "headers": {"location": "a\nb"}}),
        json!({"route": "GET /media", "status": 200, "headers": {"Content-Length": "9"}}),
        json!({"route": "GET /media", "status": 200, "headers": {"transfer-encoding": "chunked"}}),
        json!({"route": "GET /media", "status": 200, "bodySize": -1}),
        json!({"route": "GET /media", "status": 200, "bodySize": 268435457u64}),
    ] {
        let r = emu.control_post("/faults", &body).await;
        assert_eq!(r.status, 400, "{body}");
    }
}
