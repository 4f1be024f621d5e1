//! A minimal HTTP/1.1 client over hyper, and helpers to start the emulator.

use authenta_emulator::{Config, Running};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::{HeaderMap, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::time::Duration;
use tokio::net::TcpStream;

pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }

    /// The `<Code>` of an S3 XML error.
    pub fn s3_code(&self) -> String {
        let t = self.text();
        let start = t.find("<Code>").expect("no <Code>") + 6;
        let end = t.find("</Code>").expect("no </Code>");
        t[start..end].to_string()
    }
}

/// Host and port of an `http://host:port/...` URL, and the path with query.
pub fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    (authority.to_string(), path.to_string())
}

/// Sends one request on a fresh connection. `Err` is a transport failure (connection
/// dropped, refused).
pub async fn try_send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Reply, String> {
    let (authority, path) = split_url(url);
    let stream = TcpStream::connect(&authority)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", authority.as_str());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(body.into()))
        .map_err(|e| e.to_string())?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes()
        .to_vec();
    Ok(Reply {
        status,
        headers,
        body,
    })
}

pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    try_send(method, url, headers, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

pub struct Emu {
    pub run: Running,
}

impl Emu {
    pub async fn start() -> Emu {
        Self::with(Config::for_tests()).await
    }

    pub async fn with(cfg: Config) -> Emu {
        Emu {
            run: authenta_emulator::start(cfg).await.expect("start"),
        }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.run.api_url)
    }

    pub fn control(&self, path: &str) -> String {
        format!(
            "{}/__emulator{path}",
            self.run.api_url.trim_end_matches("/api")
        )
    }

    pub fn auth(&self) -> String {
        format!("Bearer {}", self.run.api_key)
    }

    /// GET with the default key.
    pub async fn get(&self, path: &str) -> Reply {
        let auth = self.auth();
        send("GET", &self.api(path), &[("authorization", &auth)], "").await
    }

    /// POST /media with the default key.
    pub async fn create(&self, body: &Value) -> Reply {
        self.create_as(&self.auth(), body).await
    }

    pub async fn create_as(&self, auth: &str, body: &Value) -> Reply {
        send(
            "POST",
            &self.api("/media"),
            &[
                ("authorization", auth),
                ("content-type", "application/json"),
            ],
            body.to_string(),
        )
        .await
    }

    pub async fn control_post(&self, path: &str, body: &Value) -> Reply {
        send(
            "POST",
            &self.control(path),
            &[("content-type", "application/json")],
            body.to_string(),
        )
        .await
    }

    pub async fn log(&self) -> Vec<Value> {
        let r = send("GET", &self.control("/log"), &[], "").await;
        assert_eq!(r.status, 200);
        r.json().as_array().unwrap().clone()
    }

    /// Polls `GET /media/{mid}` until the status is terminal.
    pub async fn wait_terminal(&self, mid: &str) -> Value {
        for _ in 0..200 {
            let r = self.get(&format!("/media/{mid}")).await;
            assert_eq!(r.status, 200, "{}", r.text());
            let v = r.json();
            let s = v["status"].as_str().unwrap().to_string();
            if matches!(s.as_str(), "PROCESSED" | "FAILED" | "ERROR") {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{mid} never finished");
    }
}

pub fn media(name: &str, content_type: &str, size: usize, model: &str) -> Value {
    serde_json::json!({"name": name, "contentType": content_type, "size": size, "modelType": model})
}

pub fn sha256(b: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(b).into()
}
