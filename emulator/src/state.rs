//! In-memory state: keys, accounts, media records, scripted faults, the request log.

use crate::config::Config;
use crate::util::Ids;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

pub const DEFAULT_CREDITS: i64 = 1000;
/// The request log is bounded so that a long benchmark cannot exhaust memory.
pub const LOG_CAP: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub delete: bool,
}

impl Perms {
    pub const ALL: Perms = Perms {
        read: true,
        write: true,
        delete: true,
    };

    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.read {
            v.push("read");
        }
        if self.write {
            v.push("write");
        }
        if self.delete {
            v.push("delete");
        }
        v
    }
}

#[derive(Clone, Debug)]
pub struct KeyInfo {
    pub perms: Perms,
    pub credits: i64,
}

#[derive(Clone, Debug)]
pub struct LegacyCred {
    pub secret: String,
    pub perms: Perms,
    pub credits: i64,
}

/// Which credential paid for a request, so that credits can be taken from it.
#[derive(Clone, Debug)]
pub enum Principal {
    Bearer(String),
    Legacy(String),
}

impl Principal {
    /// Each key (or legacy client id) is its own account; the id looks like the platform's.
    pub fn account(&self) -> String {
        let seed = match self {
            Principal::Bearer(k) => format!("bearer:{k}"),
            Principal::Legacy(id) => format!("legacy:{id}"),
        };
        let digest = Sha256::digest(seed.as_bytes());
        hex::encode(digest.get(..12).unwrap_or_default())
    }
}

/// An object that landed in storage.
#[derive(Clone, Debug)]
pub struct Landed {
    pub sha256: [u8; 32],
    pub len: u64,
    pub etag: String,
    pub content_type: Option<String>,
    /// The bytes, when small enough to keep.
    pub bytes: Option<bytes::Bytes>,
}

#[derive(Clone, Debug)]
pub struct Record {
    pub mid: String,
    pub account: String,
    pub name: String,
    pub kind: &'static str,
    pub model: &'static str,
    pub content_type: String,
    pub size: u64,
    pub metadata: Option<Value>,
    pub created_ms: i64,
    /// FI-1 with `faceSimilarityCheck`: processing waits for the reference image too.
    pub needs_reference: bool,
    pub original: Option<Landed>,
    pub reference: Option<Landed>,
    /// The original's length differed from the declared size.
    pub size_mismatch: bool,
    pub processing_started: Option<Instant>,
    /// Captured when processing starts, so a later config change does not move it.
    pub processing_ms: u64,
    /// Scripted terminal status (`FAILED` / `ERROR`) replacing `PROCESSED`.
    pub outcome: Option<&'static str>,
}

impl Record {
    pub fn status(&self, now: Instant) -> &'static str {
        if self.size_mismatch {
            return "FAILED";
        }
        let Some(started) = self.processing_started else {
            return if self.original.is_some() {
                "UPLOADED"
            } else {
                "INITED"
            };
        };
        let elapsed =
            u64::try_from(now.saturating_duration_since(started).as_millis()).unwrap_or(u64::MAX);
        if elapsed >= self.processing_ms {
            self.outcome.unwrap_or("PROCESSED")
        } else if elapsed >= self.processing_ms / 3 {
            "PROCESSING"
        } else {
            "UPLOADED"
        }
    }

    /// Starts the processing clock once every required object has landed.
    pub fn maybe_start(&mut self, processing_ms: u64) {
        if self.processing_started.is_none()
            && !self.size_mismatch
            && self.original.is_some()
            && (!self.needs_reference || self.reference.is_some())
        {
            self.processing_started = Some(Instant::now());
            self.processing_ms = processing_ms;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    PostMedia,
    ListMedia,
    GetMedia,
    DeleteMedia,
    PutUpload,
    GetStorage,
}

impl Route {
    pub fn parse(s: &str) -> Option<Route> {
        Some(match s.trim() {
            "POST /media" => Route::PostMedia,
            "GET /media" => Route::ListMedia,
            "GET /media/:mid" => Route::GetMedia,
            "DELETE /media/:mid" => Route::DeleteMedia,
            "PUT upload" => Route::PutUpload,
            "GET storage" => Route::GetStorage,
            _ => return None,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Route::PostMedia => "POST /media",
            Route::ListMedia => "GET /media",
            Route::GetMedia => "GET /media/:mid",
            Route::DeleteMedia => "DELETE /media/:mid",
            Route::PutUpload => "PUT upload",
            Route::GetStorage => "GET storage",
        }
    }

    pub const ALL: [&'static str; 6] = [
        "POST /media",
        "GET /media",
        "GET /media/:mid",
        "DELETE /media/:mid",
        "PUT upload",
        "GET storage",
    ];
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub route: Route,
    pub remaining: u32,
    pub status: Option<u16>,
    pub body: String,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub delay_ms: u64,
    pub drop: bool,
    /// Whether the faulted answer carries the API's CORS headers (a proxy's page may not).
    pub cors: bool,
    /// Extra response headers (e.g. `Location` on a redirect), set after the others.
    pub headers: Vec<(String, String)>,
    /// When set, the body is `body` (a single space if empty) repeated to exactly this length:
    /// a huge answer without a huge control request.
    pub body_size: Option<u64>,
}

/// Run-time settings that `/__emulator/config` can change.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub processing_ms: u64,
    pub upload_expires: u64,
    pub result_expires: u64,
}

pub struct Inner {
    pub keys: HashMap<String, KeyInfo>,
    pub legacy: HashMap<String, LegacyCred>,
    /// In creation order; lists walk it backwards for newest first.
    pub records: Vec<Record>,
    pub faults: VecDeque<Fault>,
    pub log: VecDeque<Value>,
    pub settings: Settings,
}

pub struct Urls {
    pub api: String,
    pub storage: String,
    /// `host:port` of the storage origin, the value signed as `host`.
    pub storage_host: String,
    pub web: String,
    pub web_origin: String,
}

pub struct Shared {
    inner: Mutex<Inner>,
    pub urls: Urls,
    pub ids: Ids,
    /// Throw-away signing secret for the pre-signed URLs.
    pub secret: [u8; 32],
    /// Access key id shown in `X-Amz-Credential`.
    pub access_key: String,
    pub test_controls: bool,
    pub legacy_auth: bool,
    pub www_dir: PathBuf,
    pub pkg_dir: PathBuf,
    pub startup_keys: Vec<String>,
    pub startup_legacy: Option<(String, String)>,
    pub startup_settings: Settings,
    /// The JSON of the `EMULATOR_READY` line, also served on the web origin.
    pub env_json: Value,
}

impl Shared {
    pub fn new(
        cfg: &Config,
        urls: Urls,
        ids: Ids,
        keys: Vec<String>,
        legacy: Option<(String, String)>,
        env_json: Value,
    ) -> Shared {
        let secret = ids.next_bytes();
        let access_key = format!("EMULATOR{}", ids.hex(12).to_uppercase());
        let settings = Settings {
            processing_ms: cfg.processing_ms,
            upload_expires: cfg.upload_expires,
            result_expires: cfg.result_expires,
        };
        let inner = Inner {
            keys: HashMap::new(),
            legacy: HashMap::new(),
            records: Vec::new(),
            faults: VecDeque::new(),
            log: VecDeque::new(),
            settings,
        };
        let shared = Shared {
            inner: Mutex::new(inner),
            urls,
            ids,
            secret,
            access_key,
            test_controls: cfg.test_controls,
            legacy_auth: cfg.legacy_auth,
            www_dir: cfg.www_dir.clone(),
            pkg_dir: cfg.pkg_dir.clone(),
            startup_keys: keys,
            startup_legacy: legacy,
            startup_settings: settings,
            env_json,
        };
        shared.reset();
        shared
    }

    /// The state lock. A panic while holding it cannot happen in our code paths, but if it
    /// did the data is still consistent enough for an emulator, so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the start-up state.
    pub fn reset(&self) {
        let mut g = self.lock();
        g.records.clear();
        g.faults.clear();
        g.log.clear();
        g.settings = self.startup_settings;
        g.keys = self
            .startup_keys
            .iter()
            .map(|k| {
                (
                    k.clone(),
                    KeyInfo {
                        perms: Perms::ALL,
                        credits: DEFAULT_CREDITS,
                    },
                )
            })
            .collect();
        g.legacy.clear();
        if let Some((id, secret)) = &self.startup_legacy {
            g.legacy.insert(
                id.clone(),
                LegacyCred {
                    secret: secret.clone(),
                    perms: Perms::ALL,
                    credits: DEFAULT_CREDITS,
                },
            );
        }
    }

    pub fn log_request(&self, entry: Value) {
        let mut g = self.lock();
        if g.log.len() >= LOG_CAP {
            g.log.pop_front();
        }
        g.log.push_back(entry);
    }

    /// Takes one firing of the first queued fault for `route`, if any.
    pub fn take_fault(&self, route: Route) -> Option<Fault> {
        let mut g = self.lock();
        let idx = g.faults.iter().position(|f| f.route == route)?;
        let fault = g.faults.get_mut(idx)?;
        fault.remaining = fault.remaining.saturating_sub(1);
        let fired = fault.clone();
        if fired.remaining == 0 {
            g.faults.remove(idx);
        }
        Some(fired)
    }
}

impl Inner {
    pub fn find(&self, mid: &str, account: &str) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.mid == mid && r.account == account)
    }

    pub fn find_mut(&mut self, mid: &str, account: &str) -> Option<&mut Record> {
        self.records
            .iter_mut()
            .find(|r| r.mid == mid && r.account == account)
    }

    pub fn credits_mut(&mut self, p: &Principal) -> Option<&mut i64> {
        match p {
            Principal::Bearer(k) => self.keys.get_mut(k).map(|k| &mut k.credits),
            Principal::Legacy(id) => self.legacy.get_mut(id).map(|c| &mut c.credits),
        }
    }
}
