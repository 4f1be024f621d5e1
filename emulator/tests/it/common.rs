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

/// Jobs API helpers.
impl Emu {
    /// A request to the API with the default key and `Content-Type: application/json`, as
    /// Authenta's own clients send on every call.
    pub async fn call(&self, method: &str, path: &str, body: &str) -> Reply {
        let key = self.run.api_key.clone();
        self.call_as(&key, method, path, body).await
    }

    /// [`Emu::call`] with another key.
    pub async fn call_as(&self, key: &str, method: &str, path: &str, body: &str) -> Reply {
        let auth = format!("Bearer {key}");
        send(
            method,
            &self.api(path),
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.to_string(),
        )
        .await
    }

    /// `POST /v1/jobs/{id}/finalize` with the default key.
    pub async fn finalize(&self, id: &str) -> Reply {
        self.call("POST", &format!("/v1/jobs/{id}/finalize"), "")
            .await
    }

    /// `POST /v1/jobs`.
    pub async fn create_job(&self, body: &Value) -> Reply {
        self.call("POST", "/v1/jobs", &body.to_string()).await
    }

    /// Creates a one-input job, uploads `bytes` and finalizes it; returns the job id.
    pub async fn submit_job(&self, task: &str, content_type: &str, bytes: &[u8]) -> String {
        let r = self
            .create_job(&job_body(task, &[("original", content_type, bytes.len())]))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let created = r.json();
        let id = created["job"]["id"].as_str().unwrap().to_string();
        let url = created["inputs"][0]["uploadUrl"].as_str().unwrap();
        let put = send(
            "PUT",
            url,
            &[("content-type", content_type)],
            bytes.to_vec(),
        )
        .await;
        assert_eq!(put.status, 200, "{}", put.text());
        let f = self
            .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
            .await;
        assert_eq!(f.status, 200, "{}", f.text());
        id
    }

    /// Polls `GET /v1/jobs/{id}` until the status is terminal.
    pub async fn wait_job(&self, id: &str) -> Value {
        for _ in 0..400 {
            let r = self.call("GET", &format!("/v1/jobs/{id}"), "").await;
            assert_eq!(r.status, 200, "{}", r.text());
            let v = r.json();
            if matches!(
                v["status"].as_str(),
                Some("completed" | "failed" | "cancelled")
            ) {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("job {id} never finished");
    }

    /// The credits of a key, from the test controls.
    pub async fn credits(&self, key: &str) -> i64 {
        let keys = send("GET", &self.control("/keys"), &[], "").await.json();
        keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key"] == key)
            .unwrap()["credits"]
            .as_i64()
            .unwrap()
    }
}

/// A create body: `taskTypeId` as a string, one input per `(slot, contentType, size)`.
pub fn job_body(task: &str, inputs: &[(&str, &str, usize)]) -> Value {
    let inputs: Vec<Value> = inputs
        .iter()
        .map(|(slot, ct, size)| {
            serde_json::json!({"slotName": slot, "contentType": ct, "fileName": format!("{slot}-file"),
                               "sizeBytes": size})
        })
        .collect();
    serde_json::json!({"taskTypeId": task, "inputs": inputs, "parameters": {"version": "v1"}})
}

/// The first bytes of a PNG of `w` x `h` (signature and IHDR), then filler: enough for the
/// emulator to read the size, and distinct per `seed`.
pub fn png_header(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 2, 0, 0, 0]);
    v.extend(std::iter::repeat_n(seed, 64));
    v
}

/// The first bytes of a baseline JPEG of `w` x `h` (SOI and a SOF0 segment), then filler.
pub fn jpeg_header(w: u16, h: u16, seed: u8) -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08];
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v.extend(std::iter::repeat_n(seed, 64));
    v
}

/// README "Verdicts", what holds for every face box whatever the bytes: `frames` frames keyed
/// "0", "30", …; one size throughout, `w` at least `s/8` and under `s/8 + max(1, s*5/24)`
/// (`s` the shorter side; at most `W`) with `hh = min(w + w/4, H)`; frame 0 at most 20 pixels
/// from the right and bottom edges (or at 0); then 4 right and 2 down a frame, never past an
/// edge. Every box inside the `W` x `H` picture. Returns each frame's `[x, y, w, hh]`.
pub fn assert_face_boxes(
    frames_json: &Value,
    frames: usize,
    (pw, ph): (u64, u64),
) -> Vec<[u64; 4]> {
    let map = frames_json.as_object().unwrap();
    assert_eq!(map.len(), frames, "{frames_json}");
    let boxes: Vec<[u64; 4]> = (0..frames)
        .map(|k| {
            let b = &map[&(30 * k).to_string()];
            let n: Vec<u64> = b
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            n.try_into().unwrap()
        })
        .collect();
    let [x0, y0, w, hh] = boxes[0];
    let s = pw.min(ph);
    assert!(w >= 1 && hh >= 1, "{frames_json}");
    assert!(w >= (s / 8).min(pw), "{frames_json}");
    assert!(w < s / 8 + (s * 5 / 24).max(1), "{frames_json}");
    assert_eq!(hh, (w + w / 4).min(ph), "{frames_json}");
    assert!(x0 <= pw.saturating_sub(20 + w), "{frames_json}");
    assert!(y0 <= ph.saturating_sub(20 + hh), "{frames_json}");
    for (k, b) in (0u64..).zip(&boxes) {
        assert_eq!(
            *b,
            [(x0 + 4 * k).min(pw - w), (y0 + 2 * k).min(ph - hh), w, hh],
            "frame {k} of {frames_json}"
        );
        assert!(b[0] + b[2] <= pw && b[1] + b[3] <= ph, "{b:?} in {pw}x{ph}");
    }
    boxes
}

/// PUT to a pre-signed upload URL with only a `Content-Type`, as a browser does.
pub async fn upload(url: &str, content_type: &str, bytes: &[u8]) -> Reply {
    send(
        "PUT",
        url,
        &[("content-type", content_type)],
        bytes.to_vec(),
    )
    .await
}

/// An API error: the status, a JSON body `{code, statusCode, message}` with a message.
pub fn assert_error(r: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["code"], code, "{v}");
    assert_eq!(v["statusCode"], status, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    v
}

pub fn media(name: &str, content_type: &str, size: usize, model: &str) -> Value {
    serde_json::json!({"name": name, "contentType": content_type, "size": size, "modelType": model})
}

pub fn sha256(b: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(b).into()
}
