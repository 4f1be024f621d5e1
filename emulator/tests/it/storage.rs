//! Each way S3 refuses a pre-signed request, with its status and XML `<Code>`.

use crate::common::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn new_upload(emu: &Emu, size: usize) -> (String, String) {
    let rec = emu.create(&media("f", "video/mp4", size, "DF-1")).await;
    assert_eq!(rec.status, 200, "{}", rec.text());
    let v = rec.json();
    (
        v["mid"].as_str().unwrap().to_string(),
        v["uploadUrl"].as_str().unwrap().to_string(),
    )
}

fn assert_xml(r: &Reply, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type").unwrap(), "application/xml");
    assert!(r
        .text()
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"));
    assert!(r.text().contains("<RequestId>"));
    assert_eq!(r.s3_code(), code, "{}", r.text());
}

/// Sends raw bytes and returns the whole answer as text.
async fn raw(authority: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(authority).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the XML body is complete or the server closes.
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => {
                out.extend_from_slice(&buf[..n]);
                if out.windows(8).any(|w| w == b"</Error>") {
                    break;
                }
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn expired_url_is_access_denied() {
    let emu = Emu::start().await;
    emu.control_post("/config", &json!({"uploadExpiresIn": 0}))
        .await;
    let (mid, url) = new_upload(&emu, 3).await;
    assert!(url.contains("X-Amz-Expires=0"));
    let r = send("PUT", &url, &[("content-type", "video/mp4")], "abc").await;
    assert_xml(&r, 403, "AccessDenied");
    assert!(r.text().contains("<Message>Request has expired</Message>"));
    assert_eq!(
        emu.get(&format!("/media/{mid}")).await.json()["status"],
        "INITED"
    );
}

#[tokio::test]
async fn tampered_urls_do_not_match() {
    let emu = Emu::start().await;
    let (mid, url) = new_upload(&emu, 3).await;
    let sig_at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut chars: Vec<char> = url.chars().collect();
    chars[sig_at] = if chars[sig_at] == '0' { '1' } else { '0' };
    let bad_sig: String = chars.into_iter().collect();
    let other_mid = url.replace(&mid, "000000000000000000000000");
    let longer = url.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200");
    let no_date = {
        let start = url.find("X-Amz-Date=").unwrap();
        let end = start + url[start..].find('&').unwrap() + 1;
        format!("{}{}", &url[..start], &url[end..])
    };
    let garbled = url.replace("X-Amz-Signature=", "X-Amz-Signature=zz");
    for u in [bad_sig, other_mid, longer, no_date, garbled] {
        let r = send("PUT", &u, &[("content-type", "video/mp4")], "abc").await;
        assert_xml(&r, 403, "SignatureDoesNotMatch");
        assert!(r.text().contains(
            "The request signature we calculated does not match the signature you provided. Check your key and signing method."
        ));
    }
    // The untouched URL still works.
    let ok = send("PUT", &url, &[("content-type", "video/mp4")], "abc").await;
    assert_eq!(ok.status, 200);
    // A GET on an upload URL is another method: not what was signed.
    let get = send("GET", &url, &[], "").await;
    assert_xml(&get, 403, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn content_type_other_than_signed_does_not_match() {
    let emu = Emu::start().await;
    let (_, url) = new_upload(&emu, 3).await;
    for ct in ["video/webm", "application/octet-stream", "Video/MP4"] {
        let r = send("PUT", &url, &[("content-type", ct)], "abc").await;
        assert_xml(&r, 403, "SignatureDoesNotMatch");
    }
    let none = send("PUT", &url, &[], "abc").await;
    assert_xml(&none, 403, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn authorization_header_is_invalid_argument() {
    let emu = Emu::start().await;
    let (_, url) = new_upload(&emu, 3).await;
    let auth = emu.auth();
    let r = send(
        "PUT",
        &url,
        &[("content-type", "video/mp4"), ("authorization", &auth)],
        "abc",
    )
    .await;
    assert_xml(&r, 400, "InvalidArgument");
    assert!(r.text().contains("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"));
}

#[tokio::test]
async fn chunked_body_is_not_implemented_and_length_is_required() {
    let emu = Emu::start().await;
    let (mid, url) = new_upload(&emu, 3).await;
    let (authority, path) = split_url(&url);
    let req = format!(
        "PUT {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    );
    let answer = raw(&authority, req.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 501"), "{answer}");
    assert!(answer.contains("<Code>NotImplemented</Code>"), "{answer}");
    assert!(answer.contains("A header you provided implies functionality that is not implemented"));

    let req =
        format!("PUT {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: video/mp4\r\n\r\n");
    let answer = raw(&authority, req.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 411"), "{answer}");
    assert!(answer.contains("<Code>MissingContentLength</Code>"));
    assert_eq!(
        emu.get(&format!("/media/{mid}")).await.json()["status"],
        "INITED"
    );
}

#[tokio::test]
async fn size_mismatch_fails_the_record() {
    let emu = Emu::start().await;
    let (mid, url) = new_upload(&emu, 10).await;
    let r = send(
        "PUT",
        &url,
        &[("content-type", "video/mp4")],
        "only 15 bytes!!",
    )
    .await;
    // S3 takes the object; the platform checks what landed.
    assert_eq!(r.status, 200);
    assert!(r.header("etag").is_some());
    let v = emu.wait_terminal(&mid).await;
    assert_eq!(v["status"], "FAILED");
    assert!(v.get("resultURL").is_none());
}

#[tokio::test]
async fn result_urls_are_checked_too() {
    let emu = Emu::start().await;
    let (mid, url) = new_upload(&emu, 3).await;
    send("PUT", &url, &[("content-type", "video/mp4")], "abc").await;
    let v = emu.wait_terminal(&mid).await;
    let result = v["resultURL"].as_str().unwrap();
    let tampered = result.replace("result.json", "original.media");
    assert_xml(
        &send("GET", &tampered, &[], "").await,
        403,
        "SignatureDoesNotMatch",
    );
    let auth = emu.auth();
    assert_xml(
        &send("GET", result, &[("authorization", &auth)], "").await,
        400,
        "InvalidArgument",
    );
    // Expired result links.
    emu.control_post("/config", &json!({"resultExpiresIn": 0}))
        .await;
    let v = emu.get(&format!("/media/{mid}")).await.json();
    assert_xml(
        &send("GET", v["resultURL"].as_str().unwrap(), &[], "").await,
        403,
        "AccessDenied",
    );
    // After a delete the object is gone.
    emu.control_post("/config", &json!({"resultExpiresIn": 3600}))
        .await;
    let v = emu.get(&format!("/media/{mid}")).await.json();
    send(
        "DELETE",
        &emu.api(&format!("/media/{mid}")),
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_xml(
        &send("GET", v["resultURL"].as_str().unwrap(), &[], "").await,
        404,
        "NoSuchKey",
    );
    // A bare storage path without a signature.
    assert_xml(
        &send(
            "GET",
            &format!("{}/authenta-storage/x", emu.run.storage_url),
            &[],
            "",
        )
        .await,
        403,
        "SignatureDoesNotMatch",
    );
}

#[tokio::test]
async fn large_upload_streams() {
    let emu = Emu::start().await;
    let size = 3 * 1024 * 1024;
    let (mid, url) = new_upload(&emu, size).await;
    let body: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
    let r = send("PUT", &url, &[("content-type", "video/mp4")], body.clone()).await;
    assert_eq!(r.status, 200);
    let v = emu.wait_terminal(&mid).await;
    assert_eq!(v["status"], "PROCESSED");
    // Large bodies are fingerprinted by their ends and length (README, "Verdicts").
    let mut sample = body[..512 * 1024].to_vec();
    sample.extend_from_slice(&body[size - 512 * 1024..]);
    sample.extend_from_slice(&(size as u64).to_be_bytes());
    let h = sha256(&sample);
    assert_eq!(authenta_emulator::fingerprint(&body), h);
    let result = send("GET", v["resultURL"].as_str().unwrap(), &[], "")
        .await
        .json();
    assert_eq!(
        result["identityPredictions"][0]["isDeepFake"],
        h[0] % 2 == 1
    );
    assert_eq!(
        result["identityPredictions"].as_array().unwrap().len(),
        1 + usize::from(h[1]) % 3
    );
    // Too big to keep: the source is not served back.
    let src = send("GET", v["srcURL"].as_str().unwrap(), &[], "").await;
    assert_eq!(src.status, 404);
}
