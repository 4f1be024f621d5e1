//! A local emulator of the Authenta Media API, the Jobs API (`/v1/jobs`) and the S3 bucket
//! behind their pre-signed URLs. Three loopback origins: the API (`/api`), the storage, and a web
//! origin for the sample page. See `emulator/README.md`.

// Handlers return the refusal itself as the error (`Result<_, Response>`): it is built once
// per request and sent as is, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod api;
pub mod config;
mod controls;
mod cors;
mod faults;
mod jobs;
mod results;
mod sample;
mod state;
mod storage;
mod tasks;
mod util;
mod web;

pub use config::Config;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};
use state::{Shared, Urls};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use util::{iso8601, now_ms, Ids, Resp};

/// The digest every verdict is derived from: SHA-256 of the body when it is at most 1 MiB,
/// else SHA-256 of its first 512 KiB, its last 512 KiB and its length (8 bytes, big-endian).
pub fn fingerprint(body: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(sample::fingerprint_input(body)).into()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Api,
    Storage,
    Web,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Api => "api",
            Origin::Storage => "storage",
            Origin::Web => "web",
        }
    }
}

/// A started emulator. Dropping it (or calling [`Running::shutdown`]) stops every listener
/// and open connection.
pub struct Running {
    /// `http://127.0.0.1:PORT/api`
    pub api_url: String,
    /// `http://127.0.0.1:PORT`
    pub storage_url: String,
    /// `http://127.0.0.1:PORT`
    pub web_url: String,
    /// The first (or generated) API key.
    pub api_key: String,
    /// All start-up keys.
    pub api_keys: Vec<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    env_json: Value,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// The JSON printed after `EMULATOR_READY `.
    pub fn ready_json(&self) -> String {
        self.env_json.to_string()
    }

    /// The whole ready line, `EMULATOR_READY {...}`.
    pub fn ready_line(&self) -> String {
        format!("EMULATOR_READY {}", self.ready_json())
    }

    /// Stops the listeners and connections and waits for the accept loops to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in std::mem::take(&mut self.tasks) {
            let _ = t.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn bind(port: u16, what: &str) -> std::io::Result<(TcpListener, u16)> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = TcpListener::bind(addr).await.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot listen on 127.0.0.1:{port} for the {what} origin: {e}"),
        )
    })?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

/// Starts the three origins on loopback and returns once they accept connections.
pub async fn start(cfg: Config) -> std::io::Result<Running> {
    if cfg.upload_expires > 604_800 || cfg.result_expires > 604_800 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "expiry must be at most 604800 seconds (S3's limit)",
        ));
    }
    let ids = Ids::new()?;
    let (api_l, api_port) = bind(cfg.api_port, "API").await?;
    let (storage_l, storage_port) = bind(cfg.storage_port, "storage").await?;
    let (web_l, web_port) = bind(cfg.web_port, "web").await?;

    let mut keys = cfg.api_keys.clone();
    if keys.is_empty() {
        keys.push(format!("api_dev_{}", ids.hex(24)));
    }
    let legacy = cfg.legacy_auth.then(|| {
        (
            cfg.client_id.clone().unwrap_or_else(|| ids.hex(24)),
            cfg.client_secret
                .clone()
                .unwrap_or_else(|| format!("secret_{}", ids.hex(32))),
        )
    });
    let web = format!("http://127.0.0.1:{web_port}");
    let urls = Urls {
        api: format!("http://127.0.0.1:{api_port}/api"),
        storage: format!("http://127.0.0.1:{storage_port}"),
        storage_host: format!("127.0.0.1:{storage_port}"),
        web_origin: web.clone(),
        web,
    };
    let mut env = Map::new();
    env.insert("api".into(), json!(urls.api));
    env.insert("storage".into(), json!(urls.storage));
    env.insert("web".into(), json!(urls.web));
    env.insert("apiKey".into(), json!(keys.first()));
    if let Some((id, secret)) = &legacy {
        env.insert("clientId".into(), json!(id));
        env.insert("clientSecret".into(), json!(secret));
    }
    let env_json = Value::Object(env);

    let running_urls = (urls.api.clone(), urls.storage.clone(), urls.web.clone());
    let shared = Arc::new(Shared::new(
        &cfg,
        urls,
        ids,
        keys.clone(),
        legacy.clone(),
        env_json.clone(),
    ));
    let (stop, stop_rx) = watch::channel(false);
    let tasks = vec![
        tokio::spawn(serve(api_l, Origin::Api, shared.clone(), stop_rx.clone())),
        tokio::spawn(serve(
            storage_l,
            Origin::Storage,
            shared.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(serve(web_l, Origin::Web, shared, stop_rx)),
    ];
    Ok(Running {
        api_url: running_urls.0,
        storage_url: running_urls.1,
        web_url: running_urls.2,
        api_key: keys.first().cloned().unwrap_or_default(),
        api_keys: keys,
        client_id: legacy.as_ref().map(|l| l.0.clone()),
        client_secret: legacy.map(|l| l.1),
        env_json,
        stop,
        tasks,
    })
}

/// Accept loop of one origin; every connection is served until it ends or the emulator stops.
async fn serve(
    listener: TcpListener,
    origin: Origin,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors and the like: wait a little rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| handle(origin, shared.clone(), req));
            let conn = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                // An error here is a client gone away or a scripted drop: nothing to do.
                _ = conn => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// Logs the request, then hands it to its origin.
async fn handle(
    origin: Origin,
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Resp, faults::DropConnection> {
    let path = req.uri().path();
    let is_control = path == "/__emulator" || path.starts_with("/__emulator/");
    if !is_control {
        shared.log_request(log_entry(origin, &req));
    }
    match origin {
        Origin::Api => api::handle(shared, req).await,
        Origin::Storage => storage::handle(shared, req).await,
        Origin::Web => Ok(web::handle(&shared, req).await),
    }
}

fn log_entry(origin: Origin, req: &Request<Incoming>) -> Value {
    let mut headers = Map::new();
    for (name, value) in req.headers() {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            // Repeated headers are joined as HTTP allows.
            Some(Value::String(prev)) => {
                prev.push_str(", ");
                prev.push_str(&v);
            }
            _ => {
                headers.insert(name.as_str().to_string(), Value::String(v));
            }
        }
    }
    json!({
        "origin": origin.name(),
        "method": req.method().as_str(),
        "path": req.uri().path(),
        "query": req.uri().query().unwrap_or(""),
        "headers": headers,
        "time": iso8601(now_ms()),
    })
}
