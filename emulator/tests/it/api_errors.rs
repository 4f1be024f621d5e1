//! Validation, auth, permission and balance failures: status and `{code, statusCode, message}`.

use crate::common::*;
use authenta_emulator::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_or_unknown_keys_are_invalid_api_key() {
    let emu = Emu::start().await;
    let url = emu.api("/media");
    for headers in [
        vec![],
        vec![("authorization", "Bearer nope")],
        vec![("authorization", "Bearer")],
        vec![("authorization", "Basic YTpi")],
        vec![("authorization", "api_test_key")],
    ] {
        let r = send("GET", &url, &headers, "").await;
        let v = assert_error(&r, 401, "INVALID_API_KEY");
        assert_eq!(
            v,
            json!({"code": "INVALID_API_KEY", "statusCode": 401, "message": "API key authentication failed"})
        );
    }
    // The scheme name is case-insensitive.
    let ok = send("GET", &url, &[("authorization", "bearer api_test_key")], "").await;
    assert_eq!(ok.status, 200);
    // Legacy headers mean nothing without --legacy-auth.
    let r = send(
        "GET",
        &url,
        &[("x-client-id", "a"), ("x-client-secret", "b")],
        "",
    )
    .await;
    assert_error(&r, 401, "INVALID_API_KEY");
}

#[tokio::test]
async fn read_only_key_is_forbidden_to_write_and_delete() {
    let emu = Emu::start().await;
    let k = emu
        .control_post(
            "/keys",
            &json!({"key": "api_ro", "permissions": ["read"], "credits": 5}),
        )
        .await;
    assert_eq!(k.status, 200, "{}", k.text());
    let mid = emu.create(&media("a", "video/mp4", 1, "DF-1")).await.json()["mid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = emu
        .create_as("Bearer api_ro", &media("a", "video/mp4", 1, "DF-1"))
        .await;
    let v = assert_error(&r, 403, "FORBIDDEN");
    assert_eq!(v["message"], "You don't have permission to access this");
    let r = send(
        "DELETE",
        &emu.api(&format!("/media/{mid}")),
        &[("authorization", "Bearer api_ro")],
        "",
    )
    .await;
    assert_error(&r, 403, "FORBIDDEN");
    let r = send(
        "GET",
        &emu.api("/media"),
        &[("authorization", "Bearer api_ro")],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    // Permission is checked before the body: even a malformed one gets 403.
    let r = send(
        "POST",
        &emu.api("/media"),
        &[
            ("authorization", "Bearer api_ro"),
            ("content-type", "application/json"),
        ],
        "{",
    )
    .await;
    assert_error(&r, 403, "FORBIDDEN");
}

#[tokio::test]
async fn credits_run_out() {
    let emu = Emu::start().await;
    emu.control_post("/keys", &json!({"key": "api_poor", "credits": 0}))
        .await;
    emu.control_post("/keys", &json!({"key": "api_one", "credits": 1}))
        .await;
    let r = emu
        .create_as("Bearer api_poor", &media("a", "video/mp4", 1, "DF-1"))
        .await;
    let v = assert_error(&r, 402, "INSUFFICIENT_BALANCE");
    assert_eq!(
        v["message"],
        "Insufficient balance. Please top up or enable pay-as-you-go billing"
    );
    // Reading costs nothing.
    let r = send(
        "GET",
        &emu.api("/media"),
        &[("authorization", "Bearer api_poor")],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    // An invalid request does not take the credit; a valid one does.
    let r = emu
        .create_as("Bearer api_one", &media("a", "video/mp4", 0, "DF-1"))
        .await;
    assert_error(&r, 400, "BAD_REQUEST");
    let r = emu
        .create_as("Bearer api_one", &media("a", "video/mp4", 1, "DF-1"))
        .await;
    assert_eq!(r.status, 200);
    let r = emu
        .create_as("Bearer api_one", &media("a", "video/mp4", 1, "DF-1"))
        .await;
    assert_error(&r, 402, "INSUFFICIENT_BALANCE");
    let keys = send("GET", &emu.control("/keys"), &[], "").await.json();
    let one = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "api_one")
        .unwrap()
        .clone();
    assert_eq!(one["credits"], 0);
}

#[tokio::test]
async fn bad_input_is_400_and_the_emulator_keeps_serving() {
    let emu = Emu::start().await;
    let auth = emu.auth();
    let post = |body: String, ct: &'static str| {
        let url = emu.api("/media");
        let auth = auth.clone();
        async move {
            send(
                "POST",
                &url,
                &[("authorization", &auth), ("content-type", ct)],
                body,
            )
            .await
        }
    };
    let json_ct = "application/json";
    for body in ["{", "not json", "", "{\"name\": \"a\",}", "\u{0}"] {
        assert_error(&post(body.to_string(), json_ct).await, 400, "BAD_REQUEST");
    }
    for body in ["[]", "42", "\"x\"", "null"] {
        assert_error(&post(body.to_string(), json_ct).await, 400, "BAD_REQUEST");
    }
    // A JSON body without a JSON content type is not read as JSON.
    let good = media("a", "video/mp4", 1, "DF-1").to_string();
    assert_error(&post(good.clone(), "text/plain").await, 400, "BAD_REQUEST");

    let base = media("a", "video/mp4", 1, "DF-1");
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let cases = [
        (with("name", Value::Null), "BAD_REQUEST"),
        (with("name", json!("")), "BAD_REQUEST"),
        (with("name", json!("   ")), "BAD_REQUEST"),
        (with("name", json!(5)), "BAD_REQUEST"),
        (with("contentType", Value::Null), "BAD_REQUEST"),
        (with("contentType", json!("")), "BAD_REQUEST"),
        (with("modelType", Value::Null), "BAD_REQUEST"),
        (with("size", Value::Null), "BAD_REQUEST"),
        (with("size", json!(0)), "BAD_REQUEST"),
        (with("size", json!(-1)), "BAD_REQUEST"),
        (with("size", json!(1.5)), "BAD_REQUEST"),
        (with("size", json!("10")), "BAD_REQUEST"),
        (with("size", json!(10_995_116_277_760u64)), "BAD_REQUEST"),
        (with("size", json!(5_368_709_121u64)), "BAD_REQUEST"),
        (with("size", json!(1e300)), "BAD_REQUEST"),
        (with("modelType", json!("XX-9")), "INVALID_TASK_TYPE"),
        (with("modelType", json!("df-1")), "INVALID_TASK_TYPE"),
        (
            with("contentType", json!("image/png")),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            with("contentType", json!("audio/mpeg")),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            with("contentType", json!("video")),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            with("contentType", json!("video/mp4\r\nx: y")),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (media("a", "video/mp4", 1, "FE-1"), "UNSUPPORTED_MEDIA_TYPE"),
        // AC-1 is AI-generated image detection: audio and video are refused.
        (media("a", "audio/wav", 1, "AC-1"), "UNSUPPORTED_MEDIA_TYPE"),
        (media("a", "video/mp4", 1, "AC-1"), "UNSUPPORTED_MEDIA_TYPE"),
        (media("a", "audio/wav", 1, "FI-1"), "UNSUPPORTED_MEDIA_TYPE"),
        (with("metadata", json!("x")), "BAD_REQUEST"),
    ];
    for (body, code) in cases {
        let r = post(body.to_string(), json_ct).await;
        assert_error(&r, 400, code);
    }
    // FI-1 metadata rules.
    let fi = |ct: &str, md: Value| {
        let mut b = media("a", ct, 1, "FI-1");
        b["metadata"] = md;
        b.to_string()
    };
    for body in [
        fi("image/jpeg", json!({"faceswapCheck": true})),
        fi("video/mp4", json!({"faceSimilarityCheck": true})),
        fi("image/jpeg", json!({"livenessCheck": "yes"})),
        fi("image/jpeg", json!({"isSingleFace": 1})),
    ] {
        let r = post(body, json_ct).await;
        assert_eq!(r.status, 400, "{}", r.text());
    }
    // Exactly 5 GB is allowed.
    let r = post(with("size", json!(5_368_709_120u64)).to_string(), json_ct).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // List parameters.
    for q in [
        "limit=100000",
        "limit=abc",
        "limit=0",
        "limit=101",
        "limit=",
        "limit=1.5",
        "offset=-1",
        "offset=x",
    ] {
        assert_error(&emu.get(&format!("/media?{q}")).await, 400, "BAD_REQUEST");
    }
    assert_eq!(emu.get("/media?limit=100&offset=0").await.status, 200);
    // Not found, wrong route, wrong method.
    let r = emu.get("/media/zzz").await;
    assert_error(&r, 404, "NOT_FOUND");
    let r = emu.get("/nothing").await;
    assert_error(&r, 404, "NOT_FOUND");
    let r = send("GET", &emu.api("").replace("/api", "/elsewhere"), &[], "").await;
    assert_error(&r, 404, "NOT_FOUND");
    let r = send("PUT", &emu.api("/media"), &[("authorization", &auth)], "").await;
    assert_error(&r, 405, "METHOD_NOT_ALLOWED");
    let r = send(
        "PATCH",
        &emu.api("/media/abc"),
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_error(&r, 405, "METHOD_NOT_ALLOWED");
    // Test controls are not on the API path.
    let r = emu.get("/__emulator/log").await;
    assert_error(&r, 404, "NOT_FOUND");

    // After all that, a good request still works.
    let r = post(good, json_ct).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn legacy_scheme() {
    let mut cfg = Config::for_tests();
    cfg.legacy_auth = true;
    cfg.client_id = Some("cid".into());
    cfg.client_secret = Some("csecret".into());
    let emu = Emu::with(cfg).await;
    assert_eq!(emu.run.client_id.as_deref(), Some("cid"));
    let url = emu.api("/media");
    let iam001 = json!({"code": "IAM001", "type": "UNAUTHENTICATED", "message": "You are not authenticated"});
    for headers in [
        vec![("x-client-id", "cid")],
        vec![("x-client-id", "cid"), ("x-client-secret", "wrong")],
        vec![("x-client-id", "other"), ("x-client-secret", "csecret")],
        vec![("x-client-secret", "csecret")],
    ] {
        let r = send("GET", &url, &headers, "").await;
        assert_eq!(r.status, 401);
        assert_eq!(r.json(), iam001);
    }
    let creds = [("x-client-id", "cid"), ("x-client-secret", "csecret")];
    let r = send("GET", &url, &creds, "").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut h = creds.to_vec();
    h.push(("content-type", "application/json"));
    let r = send(
        "POST",
        &url,
        &h,
        media("a", "video/mp4", 1, "DF-1").to_string(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Other errors keep the newer shape.
    let r = send("POST", &url, &h, "{").await;
    assert_error(&r, 400, "BAD_REQUEST");
    // Bearer keys still work beside it.
    assert_eq!(emu.get("/media").await.status, 200);
    // A legacy pair without credits or permissions.
    emu.control_post(
        "/keys",
        &json!({"clientId": "poor", "clientSecret": "s", "credits": 0}),
    )
    .await;
    let r = send(
        "POST",
        &url,
        &[
            ("x-client-id", "poor"),
            ("x-client-secret", "s"),
            ("content-type", "application/json"),
        ],
        media("a", "video/mp4", 1, "DF-1").to_string(),
    )
    .await;
    assert_eq!(r.status, 402);
    assert_eq!(
        r.json(),
        json!({"code": "U007", "type": "CLIENT_ERROR", "message": "Insufficient credits"})
    );
    emu.control_post(
        "/keys",
        &json!({"clientId": "ro", "clientSecret": "s", "permissions": ["read"]}),
    )
    .await;
    let r = send(
        "DELETE",
        &emu.api("/media/000000000000000000000000"),
        &[("x-client-id", "ro"), ("x-client-secret", "s")],
        "",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json(),
        json!({"code": "IAM002", "type": "UNAUTHORIZED", "message": "You are not authorized"})
    );
}

#[tokio::test]
async fn controls_are_off_by_default() {
    let mut cfg = Config::for_tests();
    cfg.test_controls = false;
    let emu = Emu::with(cfg).await;
    for path in ["/log", "/reset", "/faults"] {
        let r = send("GET", &emu.control(path), &[], "").await;
        assert_eq!(r.status, 404);
        let r = send("POST", &emu.control(path), &[], "{}").await;
        assert_eq!(r.status, 404);
    }
}
