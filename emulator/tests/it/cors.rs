//! CORS on the API and the storage, as a browser would meet it.

use crate::common::*;

#[tokio::test]
async fn storage_allows_browser_uploads_from_the_page() {
    let emu = Emu::start().await;
    let web = emu.run.web_url.clone();
    let rec = emu.create(&media("a", "video/mp4", 3, "DF-1")).await.json();
    let url = rec["uploadUrl"].as_str().unwrap();

    let pre = send(
        "OPTIONS",
        url,
        &[
            ("origin", &web),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    )
    .await;
    assert_eq!(pre.status, 200, "{}", pre.text());
    assert_eq!(pre.header("access-control-allow-origin").unwrap(), web);
    assert!(pre
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PUT"));
    assert!(pre
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase()
        .contains("content-type"));
    assert!(pre.header("vary").unwrap().contains("Origin"));

    let put = send(
        "PUT",
        url,
        &[("origin", &web), ("content-type", "video/mp4")],
        "abc",
    )
    .await;
    assert_eq!(put.status, 200);
    assert_eq!(put.header("access-control-allow-origin").unwrap(), web);
    assert!(put
        .header("access-control-expose-headers")
        .unwrap()
        .contains("ETag"));
    assert!(put.header("etag").is_some());

    // Authorization is never allowed on the bucket.
    let pre = send(
        "OPTIONS",
        url,
        &[
            ("origin", &web),
            ("access-control-request-method", "PUT"),
            (
                "access-control-request-headers",
                "authorization,content-type",
            ),
        ],
        "",
    )
    .await;
    assert_eq!(pre.status, 403);
    assert!(pre.header("access-control-allow-origin").is_none());
    assert_eq!(pre.s3_code(), "AccessForbidden");

    // A foreign origin.
    let pre = send(
        "OPTIONS",
        url,
        &[
            ("origin", "http://evil.example"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    )
    .await;
    assert_eq!(pre.status, 403);
    assert!(pre.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn api_preflight_names_authorization() {
    let emu = Emu::start().await;
    let url = emu.api("/media");
    for origin in [
        emu.run.web_url.as_str(),
        "http://localhost:5173",
        "http://127.0.0.1:9",
        "http://[::1]:8000",
    ] {
        let pre = send(
            "OPTIONS",
            &url,
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization,content-type,x-trace-id",
                ),
            ],
            "",
        )
        .await;
        assert_eq!(pre.status, 204);
        assert_eq!(pre.header("access-control-allow-origin").unwrap(), origin);
        let allow = pre.header("access-control-allow-headers").unwrap();
        for h in ["authorization", "content-type", "x-client-id", "x-trace-id"] {
            assert!(allow.contains(h), "{h} not in {allow}");
        }
        assert!(!allow.contains('*'));
        let methods = pre.header("access-control-allow-methods").unwrap();
        for m in ["GET", "POST", "DELETE"] {
            assert!(methods.contains(m));
        }
        assert!(pre.header("access-control-max-age").is_some());
    }

    // Actual answers, errors included, carry the origin and expose Retry-After.
    let r = send("GET", &url, &[("origin", "http://localhost:5173")], "").await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("access-control-allow-origin").unwrap(),
        "http://localhost:5173"
    );
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
}

#[tokio::test]
async fn foreign_origins_get_no_cors() {
    let emu = Emu::start().await;
    let url = emu.api("/media");
    for origin in [
        "http://evil.example",
        "https://localhost:5173",
        "http://localhost.evil.example",
        "http://127.0.0.1.evil.example:80",
        "null",
    ] {
        let pre = send(
            "OPTIONS",
            &url,
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "authorization"),
            ],
            "",
        )
        .await;
        assert!(
            pre.header("access-control-allow-origin").is_none(),
            "{origin}"
        );
        assert!(pre.header("access-control-allow-headers").is_none());
        let auth = emu.auth();
        let r = send(
            "GET",
            &url,
            &[("origin", origin), ("authorization", &auth)],
            "",
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(r.header("access-control-allow-origin").is_none());
    }
}
