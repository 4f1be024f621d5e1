//! Operations as state machines: each says what to do next (send this request, sleep this
//! long, report this status or progress, finish) and is told what happened. The facade's one
//! driver performs the steps; retries, `Retry-After`, deadlines and abort-versus-time-out are
//! decided here, once, and run on the host in virtual time.

pub mod jobs;
pub mod media;
pub mod result;
pub mod subject;
pub mod submit;
pub mod wait;

use crate::core::config::{Auth, Config};
use crate::core::error::{Cause, Error, ErrorKind};
use crate::core::request::{ApiRequest, JobPageParams, ListParams, Route};
use crate::core::response::{classify, Answer};
use crate::core::retry::{parse_retry_after, retry_delay};
use crate::core::text::decimal;
use crate::core::upload::{storage_error, Transfer};
use crate::core::url::without_query;
use crate::core::value::Value;
use std::collections::VecDeque;

/// What the driver knows when it asks for the next step.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub config: &'a Config,
    /// Milliseconds since the epoch.
    pub now_ms: f64,
    /// Uniform in `[0, 1)`, for jitter.
    pub rand: f64,
    /// The last token the `apiKey` function gave, a secret like the key.
    pub token: Option<&'a str>,
}

impl Env<'_> {
    /// Everything no message may show: the configured key or secret, and the last token.
    pub fn secrets(&self) -> Vec<&str> {
        let mut s = self.config.secrets();
        s.extend(self.token);
        s
    }
}

/// What happened since the last step.
#[derive(Debug, Clone)]
pub enum Event<V> {
    /// Start, or carry on after a sleep or a report.
    Go,
    /// The `apiKey` function's answer.
    Token(Result<Option<String>, Error>),
    /// The server answered (any status).
    Answer(Answer<V>),
    /// No answer: the request or the sleep failed.
    Failed(Failure),
}

/// Why a request (or a sleep) ended without an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The runtime's network error, with its message.
    Network(String),
    /// The attempt's own time-out fired.
    TimedOut,
    /// The caller's signal aborted; `timeout` when its reason is a `TimeoutError` (as from
    /// `AbortSignal.timeout()`).
    Aborted { timeout: bool, message: String },
    /// The body was over the 64 MiB cap (refused while reading), with the response's status.
    TooLarge(u16),
    /// Refused before sending: the PUT's Blob is not the runtime's own, or not the size it says
    /// (its bytes would not be the file's). A caller mistake, never retried.
    Blob,
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Empty,
    Json(String),
    /// The operation's blob number `n`, sent as it is (never read into memory).
    Blob(usize),
}

/// Byte progress of an upload, for transports that can report it.
#[derive(Debug, Clone, PartialEq)]
pub struct ByteProgress {
    /// Bytes of earlier inputs, added to what this upload reports.
    pub offset: f64,
    pub total: f64,
    pub slot: Option<String>,
}

/// A request to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub payload: Payload,
    /// API requests follow no redirect (credentials stay with the API's origin); storage
    /// requests carry no cookie.
    pub api: bool,
    /// The attempt's time-out; `None`: as long as it takes.
    pub timeout_ms: Option<u64>,
    /// Report byte progress while sending (an upload where the runtime can).
    pub progress: Option<ByteProgress>,
}

/// An `onProgress` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub loaded: f64,
    pub total: f64,
    pub computable: bool,
    pub slot: Option<String>,
}

/// What an operation ends with.
#[derive(Debug, Clone, PartialEq)]
pub enum Done<V> {
    Value(V),
    Nothing,
    /// `uploadAndPoll`: `{ media, result }`.
    MediaResult {
        media: V,
        result: V,
    },
    /// `submitJob`: `{ jobId, created, finalized }`.
    Submitted {
        job_id: String,
        created: V,
        finalized: V,
    },
    /// `runJob`: `{ job, result }`.
    JobResult {
        job: V,
        result: V,
    },
}

/// What to do next.
#[derive(Debug, Clone)]
pub enum Step<V> {
    /// Call the `apiKey` function and answer with `Event::Token`; or with `Event::Failed` when
    /// it has not answered within this many ms (the attempt's time-out) or the caller aborted.
    Token(Option<u64>),
    Send(Outgoing),
    Sleep(u64),
    /// `onStatus(value)`, then `Event::Go`.
    Status(V),
    /// `onProgress(event)`, then `Event::Go`.
    Progress(Progress),
    Done(Done<V>),
    Fail(Error),
}

/// An operation: fed events, it says what to do next.
pub trait Op<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V>;

    /// `next` as the driver calls it: an error the operation ends with is redacted of the
    /// client's secrets once more, since some quote the server or the runtime (a failed job's
    /// `errorMessage`, a status, an abort reason) and may echo anything.
    fn step(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        match self.next(event, env) {
            Step::Fail(e) => Step::Fail(e.redacted(&env.secrets())),
            step => step,
        }
    }
}

/// Time and retry limits of an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Per API request attempt.
    pub attempt_ms: u64,
    pub max_retries: u32,
    /// When the whole operation must end (milliseconds since the epoch).
    pub deadline: Option<f64>,
}

impl Limits {
    /// A single request: `timeout_ms` bounds each attempt.
    pub fn single(config: &Config, timeout_ms: Option<u64>, max_retries: Option<u32>) -> Limits {
        Limits {
            attempt_ms: timeout_ms.unwrap_or(config.timeout_ms),
            max_retries: max_retries.unwrap_or(config.max_retries),
            deadline: None,
        }
    }

    /// A long operation: `timeout_ms` is its whole deadline; attempts use the client's.
    pub fn long(
        config: &Config,
        timeout_ms: Option<u64>,
        max_retries: Option<u32>,
        now_ms: f64,
    ) -> Limits {
        Limits {
            attempt_ms: config.timeout_ms,
            max_retries: max_retries.unwrap_or(config.max_retries),
            deadline: timeout_ms.map(|t| now_ms + t as f64),
        }
    }

    /// Milliseconds left before the deadline, if there is one.
    pub fn remaining(&self, now_ms: f64) -> Option<u64> {
        self.deadline.map(|d| (d - now_ms).max(0.0) as u64)
    }

    fn past_deadline(&self, now_ms: f64) -> bool {
        self.remaining(now_ms) == Some(0)
    }
}

/// An API call, its arguments checked.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiCall {
    CreateMedia(String),
    GetMedia(String),
    ListMedia(ListParams),
    DeleteMedia(String),
    CreateJob(String),
    GetJob(String),
    ListJobs(JobPageParams),
    FinalizeJob(String),
    CancelJob(String),
    DeleteJob(String),
}

impl ApiCall {
    pub fn route(&self) -> Route {
        match self {
            ApiCall::CreateMedia(_) => Route::CreateMedia,
            ApiCall::GetMedia(_) => Route::GetMedia,
            ApiCall::ListMedia(_) => Route::ListMedia,
            ApiCall::DeleteMedia(_) => Route::DeleteMedia,
            ApiCall::CreateJob(_) => Route::CreateJob,
            ApiCall::GetJob(_) => Route::GetJob,
            ApiCall::ListJobs(_) => Route::ListJobs,
            ApiCall::FinalizeJob(_) => Route::FinalizeJob,
            ApiCall::CancelJob(_) => Route::CancelJob,
            ApiCall::DeleteJob(_) => Route::DeleteJob,
        }
    }

    /// Marks an error with the record or job the call is about.
    fn tag(&self, e: Error) -> Error {
        match self {
            ApiCall::GetMedia(m) | ApiCall::DeleteMedia(m) => e.with_mid(m),
            ApiCall::GetJob(j)
            | ApiCall::FinalizeJob(j)
            | ApiCall::CancelJob(j)
            | ApiCall::DeleteJob(j) => e.with_job_id(j),
            _ => e,
        }
    }

    fn request(&self, c: &Config, token: Option<&str>) -> Result<ApiRequest, Error> {
        let (id, query, body) = match self {
            ApiCall::CreateMedia(b) | ApiCall::CreateJob(b) => {
                (None, String::new(), Some(b.clone()))
            }
            ApiCall::ListMedia(p) => (None, p.query(), None),
            ApiCall::ListJobs(p) => (None, p.query(), None),
            ApiCall::GetMedia(id)
            | ApiCall::DeleteMedia(id)
            | ApiCall::GetJob(id)
            | ApiCall::FinalizeJob(id)
            | ApiCall::CancelJob(id)
            | ApiCall::DeleteJob(id) => (Some(id.as_str()), String::new(), None),
        };
        c.at(self.route(), id, &query, body, token)
    }
}

/// Who a request goes to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Api(ApiCall),
    /// A pre-signed GET of a JSON file (a result).
    Download(String),
    /// A pre-signed PUT of blob `blob`.
    Upload {
        url: String,
        blob: usize,
        content_type: String,
        progress: Option<ByteProgress>,
    },
}

/// A successful exchange.
#[derive(Debug, Clone)]
pub(crate) struct Got<V> {
    pub json: Option<V>,
    pub retry_after_ms: Option<u64>,
}

/// What an exchange says after an event.
pub(crate) enum X<V> {
    Step(Step<V>),
    Ok(Got<V>),
    Err(Error),
}

/// One request with its retries: the only retry loop of the SDK.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    target: Target,
    limits: Limits,
    retries: u32,
    token: Option<String>,
    /// The last request sent, for messages: method, URL without its query, time-out.
    sent: (&'static str, String, Option<u64>),
    /// The failure of the previous attempt.
    last: Option<Error>,
    /// Waiting for the `apiKey` function, with this time limit.
    keying: Option<Option<u64>>,
}

impl Exchange {
    pub fn new(target: Target, limits: Limits) -> Exchange {
        Exchange {
            target,
            limits,
            retries: 0,
            token: None,
            sent: ("", String::new(), None),
            last: None,
            keying: None,
        }
    }

    pub fn api(call: ApiCall, limits: Limits) -> Exchange {
        Exchange::new(Target::Api(call), limits)
    }

    pub fn on<V: Value>(&mut self, event: Event<V>, env: &Env) -> X<V> {
        match event {
            Event::Go => match (&self.target, &env.config.auth) {
                // A fresh token for every attempt, so a retry uses a fresh one.
                (Target::Api(_), Auth::Bearer(None)) => {
                    let limit = Some(self.attempt_ms(env.now_ms));
                    self.keying = Some(limit);
                    X::Step(Step::Token(limit))
                }
                _ => self.send(env),
            },
            Event::Token(Ok(token)) => {
                self.keying = None;
                self.token = token;
                self.send(env)
            }
            Event::Token(Err(e)) => {
                self.keying = None;
                X::Err(self.redact(e, env))
            }
            Event::Answer(answer) => match self.evaluate(&answer, env) {
                Ok(got) => X::Ok(got),
                Err(e) => self.failed(e, env),
            },
            Event::Failed(f) => {
                let e = match self.keying.take() {
                    Some(limit) => self.key_failure(f, limit),
                    None => self.failure_error(f),
                };
                self.failed(e, env)
            }
        }
    }

    /// Whether this upload's transport reports byte progress.
    pub fn reports_bytes(&self) -> bool {
        matches!(
            &self.target,
            Target::Upload {
                progress: Some(_),
                ..
            }
        )
    }

    /// Whether an attempt failed before the last one (the request may have reached the server).
    pub fn retried(&self) -> bool {
        self.retries > 0
    }

    fn redact(&self, e: Error, env: &Env) -> Error {
        let mut secrets = env.config.secrets();
        if let Some(t) = &self.token {
            secrets.push(t);
        }
        e.redacted(&secrets)
    }

    /// An attempt's time limit: the attempt's time-out, within the operation's deadline.
    fn attempt_ms(&self, now_ms: f64) -> u64 {
        let remaining = self.limits.remaining(now_ms);
        remaining.map_or(self.limits.attempt_ms, |r| r.min(self.limits.attempt_ms))
    }

    fn send<V>(&mut self, env: &Env) -> X<V> {
        let remaining = self.limits.remaining(env.now_ms);
        let attempt = Some(self.attempt_ms(env.now_ms));
        let out = match &self.target {
            Target::Api(call) => {
                let req = match call.request(env.config, self.token.as_deref()) {
                    Ok(r) => r,
                    Err(e) => return X::Err(e),
                };
                Outgoing {
                    method: req.method,
                    url: req.url,
                    headers: req.headers,
                    payload: req.body.map_or(Payload::Empty, Payload::Json),
                    api: true,
                    timeout_ms: attempt,
                    progress: None,
                }
            }
            Target::Download(url) => Outgoing {
                method: "GET",
                url: url.clone(),
                headers: Vec::new(),
                payload: Payload::Empty,
                api: false,
                timeout_ms: attempt,
                progress: None,
            },
            // A large file takes as long as it takes: only the operation's deadline bounds it.
            Target::Upload {
                url,
                blob,
                content_type,
                progress,
            } => Outgoing {
                method: "PUT",
                url: url.clone(),
                headers: vec![("content-type".into(), content_type.clone())],
                payload: Payload::Blob(*blob),
                api: false,
                timeout_ms: remaining,
                progress: progress.clone(),
            },
        };
        self.sent = (
            out.method,
            without_query(&out.url).to_string(),
            out.timeout_ms,
        );
        X::Step(Step::Send(out))
    }

    fn evaluate<V: Value>(&self, a: &Answer<V>, env: &Env) -> Result<Got<V>, Error> {
        let retry_after_ms = a
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, env.now_ms));
        let ok = (200..300).contains(&a.status);
        let outcome = match &self.target {
            Target::Api(call) => classify(call.route(), a).map_err(|e| call.tag(e)),
            Target::Download(url) if ok => match &a.json {
                Some(v) => Ok(Some(v.clone())),
                None => Err(Error::invalid_response(
                    a.status,
                    cat!(
                        "the file at ",
                        without_query(url),
                        " is not valid JSON (truncated or corrupted)"
                    ),
                )),
            },
            Target::Download(url) => Err(storage_error(Transfer::Download, a.status, &a.text, url)),
            Target::Upload { .. } if ok => Ok(None),
            Target::Upload { url, .. } => {
                Err(storage_error(Transfer::Upload, a.status, &a.text, url))
            }
        };
        outcome
            .map(|json| Got {
                json,
                retry_after_ms,
            })
            .map_err(|mut e| {
                e.retry_after_ms = retry_after_ms;
                e
            })
    }

    /// The `apiKey` function did not answer in time, or the caller aborted while it was asked.
    fn key_failure(&self, f: Failure, limit: Option<u64>) -> Error {
        let e = match f {
            Failure::TimedOut => Error::timeout(cat!(
                "the apiKey function did not answer within ",
                decimal(limit.unwrap_or(0)),
                " ms"
            )),
            f => failure_error(f, "the apiKey function"),
        };
        self.tag(e)
    }

    fn failure_error(&self, f: Failure) -> Error {
        let (method, url, timeout) = &self.sent;
        let e = match f {
            Failure::TimedOut => Error::timeout(cat!(
                method,
                " ",
                url,
                " got no answer within ",
                decimal(timeout.unwrap_or(0)),
                " ms"
            )),
            f => failure_error(f, &cat!(method, " ", url)),
        };
        self.tag(e)
    }

    /// Marks an API call's error with the record or job it is about.
    fn tag(&self, e: Error) -> Error {
        match &self.target {
            Target::Api(call) => call.tag(e),
            _ => e,
        }
    }

    /// After a failed attempt: sleep before the next one, or give up with `e`.
    fn failed<V>(&mut self, e: Error, env: &Env) -> X<V> {
        let e = self.redact(e, env);
        if e.aborted {
            return X::Err(e);
        }
        let remaining = self.limits.remaining(env.now_ms);
        // An attempt cut short by the operation's deadline says nothing new: the failure it was
        // retrying is the one to report.
        if remaining == Some(0) && e.kind == ErrorKind::Timeout && e.status.is_none() {
            if let Some(last) = self.last.take() {
                return X::Err(last);
            }
        }
        self.last = Some(e.clone());
        match retry_delay(
            &e,
            self.retries,
            self.limits.max_retries,
            remaining,
            env.rand,
        ) {
            Some(ms) => {
                self.retries += 1;
                X::Step(Step::Sleep(ms))
            }
            None => X::Err(e),
        }
    }
}

/// The error for a request or sleep that ended without an answer. `what` names the request.
pub fn failure_error(f: Failure, what: &str) -> Error {
    match f {
        Failure::Network(why) => Error::connection(cat!(
            "could not reach ",
            what,
            " (",
            why,
            "); check the network, the URL, and that the server allows this origin (CORS)"
        ))
        .caused_by(Cause::Runtime),
        Failure::TimedOut => Error::timeout(cat!(what, " got no answer in time")),
        Failure::Aborted { timeout, message } => {
            let mut e = if timeout {
                Error::timeout(cat!("the operation timed out (", message, ")"))
            } else {
                Error::aborted()
            };
            e.aborted = true;
            e.caused_by(Cause::Runtime)
        }
        Failure::TooLarge(status) => Error::invalid_response(
            status,
            cat!("the response to ", what, " is larger than 64 MB"),
        ),
        Failure::Blob => Error::argument("the file is not a Blob of its declared size"),
    }
}

/// An operation's steps waiting to be handed out, one per `Event::Go`.
#[derive(Debug, Clone)]
pub(crate) struct Queue<V>(VecDeque<Step<V>>);

impl<V> Queue<V> {
    pub fn new() -> Queue<V> {
        Queue(VecDeque::new())
    }
    pub fn push(&mut self, s: Step<V>) {
        self.0.push_back(s);
    }
    pub fn pop(&mut self) -> Option<Step<V>> {
        self.0.pop_front()
    }
}

/// The error for an operation that reached its deadline; `last` is the failure that was
/// being ridden out, if any.
pub(crate) fn deadline_error(message: String, last: Option<Error>) -> Error {
    let e = Error::timeout(message);
    match last {
        Some(last) => e.caused_by(Cause::Error(last)),
        None => e,
    }
}

/// A long operation's error: a retryable failure that hit the deadline is a `TimeoutError`
/// carrying it as its cause.
pub(crate) fn at_deadline(e: Error, limits: &Limits, now_ms: f64, what: &str) -> Error {
    if e.retryable && !e.aborted && limits.past_deadline(now_ms) {
        let mut t = deadline_error(cat!(what, " did not finish before its timeoutMs"), None);
        t.mid = e.mid.clone();
        t.caused_by(Cause::Error(e))
    } else {
        e
    }
}

#[cfg(test)]
mod tests;
