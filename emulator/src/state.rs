//! In-memory state: keys, accounts, media records, scripted faults, the request log.

use crate::config::Config;
use crate::tasks::TaskType;
use crate::util::Ids;
use serde_json::{Map, Value};
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
    /// Width and height of a PNG, JPEG, GIF or WebP picture.
    pub dims: Option<(u32, u32)>,
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

/// One input slot of a job, as declared at creation, and what landed for it.
#[derive(Clone, Debug)]
pub struct JobInput {
    pub slot: String,
    pub content_type: String,
    pub file_name: String,
    pub size: u64,
    pub artifact_id: String,
    pub landed: Option<Landed>,
}

/// A job of the Jobs API.
#[derive(Clone, Debug)]
pub struct Job {
    /// From a counter; sent as a decimal string (a number in the flat variant).
    pub id: u64,
    pub account: String,
    pub task: &'static TaskType,
    /// In request order.
    pub inputs: Vec<JobInput>,
    pub parameters: Map<String, Value>,
    pub created_ms: i64,
    /// Wall time and monotonic time of the finalize.
    pub finalized: Option<(i64, Instant)>,
    /// Captured at finalize, so a later config change does not move it.
    pub processing_ms: u64,
    pub cost: i64,
    pub cancelled_ms: Option<i64>,
    /// Scripted failure (its `errorMessage`) replacing `completed`.
    pub failure: Option<String>,
    pub result_artifact_id: String,
    pub heatmap_artifact_id: String,
}

impl Job {
    /// `initiated` → (finalize) `queued` → (processingMs/3) `processing` → (processingMs)
    /// `completed` or `failed`; `cancelled` from cancel.
    pub fn status(&self, now: Instant) -> &'static str {
        if self.cancelled_ms.is_some() {
            return "cancelled";
        }
        let Some((_, started)) = self.finalized else {
            return "initiated";
        };
        let elapsed =
            u64::try_from(now.saturating_duration_since(started).as_millis()).unwrap_or(u64::MAX);
        if elapsed >= self.processing_ms {
            if self.failure.is_some() {
                "failed"
            } else {
                "completed"
            }
        } else if elapsed >= self.processing_ms / 3 {
            "processing"
        } else {
            "queued"
        }
    }

    /// Wall time of the last status change.
    pub fn updated_ms(&self, now: Instant) -> i64 {
        if let Some(c) = self.cancelled_ms {
            return c;
        }
        let Some((at, _)) = self.finalized else {
            return self.created_ms;
        };
        let offset = match self.status(now) {
            "completed" | "failed" => self.processing_ms,
            "processing" => self.processing_ms / 3,
            _ => 0,
        };
        at.saturating_add(i64::try_from(offset).unwrap_or(i64::MAX))
    }

    /// Wall time processing ended, once it has.
    pub fn completed_ms(&self, now: Instant) -> Option<i64> {
        matches!(self.status(now), "completed" | "failed").then(|| self.updated_ms(now))
    }

    pub fn input(&self, slot: &str) -> Option<&JobInput> {
        self.inputs.iter().find(|i| i.slot == slot)
    }

    /// A boolean FI-1 flag of `parameters` (absent, null or false: not requested).
    pub fn flag(&self, name: &str) -> bool {
        self.parameters.get(name).and_then(Value::as_bool) == Some(true)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    PostMedia,
    ListMedia,
    GetMedia,
    DeleteMedia,
    PostJobs,
    ListJobs,
    GetJob,
    FinalizeJob,
    CancelJob,
    DeleteJob,
    PutUpload,
    GetStorage,
}

impl Route {
    const NAMES: [(Route, &'static str); 12] = [
        (Route::PostMedia, "POST /media"),
        (Route::ListMedia, "GET /media"),
        (Route::GetMedia, "GET /media/:mid"),
        (Route::DeleteMedia, "DELETE /media/:mid"),
        (Route::PostJobs, "POST /v1/jobs"),
        (Route::ListJobs, "GET /v1/jobs"),
        (Route::GetJob, "GET /v1/jobs/:id"),
        (Route::FinalizeJob, "POST /v1/jobs/:id/finalize"),
        (Route::CancelJob, "POST /v1/jobs/:id/cancel"),
        (Route::DeleteJob, "DELETE /v1/jobs/:id"),
        (Route::PutUpload, "PUT upload"),
        (Route::GetStorage, "GET storage"),
    ];

    pub fn parse(s: &str) -> Option<Route> {
        let s = s.trim();
        Self::NAMES.iter().find(|(_, n)| *n == s).map(|(r, _)| *r)
    }

    pub fn name(&self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(r, _)| r == self)
            .map(|(_, n)| *n)
            .unwrap_or("")
    }

    pub fn all() -> Vec<&'static str> {
        Self::NAMES.iter().map(|(_, n)| *n).collect()
    }
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
    /// Answer the Jobs API in the reference page's flat variants.
    pub jobs_flat: bool,
}

pub struct Inner {
    pub keys: HashMap<String, KeyInfo>,
    pub legacy: HashMap<String, LegacyCred>,
    /// In creation order; lists walk it backwards for newest first.
    pub records: Vec<Record>,
    /// In creation order; lists walk it backwards for newest first.
    pub jobs: Vec<Job>,
    /// The last job id given out; ids are never reused, not even after a reset.
    pub last_job_id: u64,
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
            jobs_flat: cfg.jobs_flat,
        };
        let inner = Inner {
            keys: HashMap::new(),
            legacy: HashMap::new(),
            records: Vec::new(),
            jobs: Vec::new(),
            last_job_id: 0,
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
        g.jobs.clear();
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

    pub fn find_job(&self, id: &str, account: &str) -> Option<&Job> {
        self.jobs
            .iter()
            .find(|j| j.id.to_string() == id && j.account == account)
    }

    pub fn find_job_mut(&mut self, id: &str, account: &str) -> Option<&mut Job> {
        self.jobs
            .iter_mut()
            .find(|j| j.id.to_string() == id && j.account == account)
    }

    pub fn credits_mut(&mut self, p: &Principal) -> Option<&mut i64> {
        match p {
            Principal::Bearer(k) => self.keys.get_mut(k).map(|k| &mut k.credits),
            Principal::Legacy(id) => self.legacy.get_mut(id).map(|c| &mut c.credits),
        }
    }
}
