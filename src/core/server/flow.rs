//! One request through the handler, as a state machine: fed what the facade saw (`Event`), it
//! says what to do next (`Step`), in SERVER.md's order: CORS, route and ids, `authenticate`,
//! `policy` (and the create's body), ownership, `rateLimit`, the upstream request, the answer.
//! Nothing is sent upstream unless every check before it passed.

use super::body::{check_create, Create};
use super::cors::{self, Caller};
use super::paths::{check_id, list_query, match_path, ListQuery, Matched};
use super::policy::Policy;
use super::{codes, Answer, HandlerConfig, MAX_BODY_BYTES};
use crate::core::poll::{job_phase, Phase};
use crate::core::request::{ApiRequest, Route, DEFAULT_PAGE_SIZE};
use crate::core::response::{job_id, job_status, unwrap_job};
use crate::core::retry::{parse_http_date, small_int};
use serde_json::{json, Value as J};
use std::collections::VecDeque;
use std::rc::Rc;

/// A list with a `status` filter looks at the caller's most recent jobs, this many.
pub const STATUS_SCAN: u64 = 200;
/// The Jobs API's default page size.
pub const JOBS_PAGE_SIZE: u64 = 10;
/// The longest caller id `authenticate` may return, in bytes.
pub const MAX_CALLER_LEN: usize = 1024;

/// The parts of the incoming request the decisions need (the facade reads them).
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub method: String,
    /// The URL's path, still percent-encoded.
    pub path: String,
    /// The URL's query, with or without its `?`.
    pub query: String,
    pub origin: Option<String>,
    pub sec_fetch_site: Option<String>,
    /// The origin of the request's own URL.
    pub own_origin: String,
    /// `Access-Control-Request-Method`, on a preflight.
    pub preflight_method: Option<String>,
}

/// What the facade does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Call `authenticate(request)`; answer `Event::Caller` (or `HookFailed`).
    Authenticate,
    /// Call `policy(caller)`; answer `Event::Policy` with its JSON (`null` for no policy).
    Policy,
    /// Read the request's body, at most `limit` bytes; answer `Body` or `BodyTooLarge`.
    ReadBody { limit: usize },
    /// `ownership.get(key)`; answer `Record`.
    Owner { key: String },
    /// `rateLimit(caller, operation)`; answer `RateLimit`.
    RateLimit { operation: &'static str },
    /// `ownership.list(owner, { api, offset, limit })`; answer `Listed`.
    List {
        owner: String,
        api: &'static str,
        offset: u64,
        limit: u64,
    },
    /// Send these requests upstream (each ended by the time-out or the caller's disconnect);
    /// answer `Upstream` with one answer per request, in order.
    Send {
        requests: Vec<ApiRequest>,
        timeout_ms: u64,
    },
    /// `ownership.set(key, record)`; answer `Done` (or `HookFailed`).
    Store { key: String, record: J },
    /// `ownership.delete(key)`; answer `Done` (or `HookFailed`).
    Forget { key: String },
    /// `onEvent(event + caller)`, whose failure is ignored; answer `Done`.
    Report(J),
    /// Write this response. The last step.
    Answer(Answer),
}

/// What the facade saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Go,
    /// `authenticate`'s caller id (`None`: nobody).
    Caller(Option<String>),
    /// The hook (or store) of the last step threw or rejected.
    HookFailed,
    Policy(J),
    Body(String),
    BodyTooLarge,
    /// The ownership record (`None`: no such key).
    Record(Option<J>),
    /// `rateLimit`'s answer: `None` to go on, `Some(seconds)` to refuse (any number; NaN too).
    RateLimit(Option<f64>),
    /// `{ ids, total }` from `ownership.list`.
    Listed(J),
    Upstream(Vec<Upstream>),
    Done,
}

/// One upstream answer, as the facade read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Upstream {
    Answer {
        status: u16,
        retry_after: Option<String>,
        /// The body, read whole (bounded by the facade), `""` when none.
        text: String,
    },
    /// No answer: `timeout` when the time-out ended it, else the network (or the body's cap).
    Failed { timeout: bool },
}

/// What a matched request is about.
#[derive(Debug, Clone)]
struct Target {
    route: Route,
    id: Option<String>,
    list: Option<ListQuery>,
}

/// The plan of a list answered from the ownership store.
#[derive(Debug, Clone)]
struct ListPlan {
    /// Page and page size as the caller sees them.
    page: u64,
    limit: u64,
    offset: u64,
    status: Option<String>,
    total: u64,
}

/// One request's decisions.
#[derive(Debug)]
pub struct Flow {
    cfg: Rc<HandlerConfig>,
    incoming: Incoming,
    cors: Caller,
    target: Option<Target>,
    caller: Option<String>,
    policy: Policy,
    create: Option<Create>,
    record: Option<J>,
    list: Option<ListPlan>,
    now_ms: f64,
    /// Steps decided and not handed out yet (stores and reports before the answer).
    queue: VecDeque<Step>,
    /// The step handed out last, which the next event answers.
    waiting: Option<Step>,
    done: Option<Answer>,
}

impl Flow {
    pub fn new(cfg: Rc<HandlerConfig>, incoming: Incoming, now_ms: f64) -> Flow {
        let cors = cors::classify(
            &cfg.origins,
            incoming.origin.as_deref(),
            &incoming.own_origin,
            incoming.sec_fetch_site.as_deref(),
        );
        Flow {
            cfg,
            incoming,
            cors,
            target: None,
            caller: None,
            policy: Policy::default(),
            create: None,
            record: None,
            list: None,
            now_ms,
            queue: VecDeque::new(),
            waiting: None,
            done: None,
        }
    }

    /// Feeds what happened and returns what to do next.
    pub fn step(&mut self, event: Event) -> Step {
        if let Some(answer) = &self.done {
            return Step::Answer(answer.clone());
        }
        let next = match (self.waiting.take(), event) {
            (None, Event::Go) => self.start(),
            (Some(Step::Authenticate), Event::Caller(c)) => self.authenticated(c),
            (Some(Step::Policy), Event::Policy(p)) => self.with_policy(&p),
            (Some(Step::ReadBody { .. }), Event::Body(text)) => self.with_body(&text),
            (Some(Step::ReadBody { .. }), Event::BodyTooLarge) => too_large(),
            (Some(Step::Owner { .. }), Event::Record(r)) => self.with_record(r),
            (Some(Step::RateLimit { .. }), Event::RateLimit(r)) => self.rate_limited(r),
            (Some(Step::List { .. }), Event::Listed(l)) => self.listed(&l),
            (Some(Step::Send { .. }), Event::Upstream(answers)) => self.upstream(answers),
            (Some(Step::Report(_)), _) => self.next_queued(),
            (Some(Step::Store { .. } | Step::Forget { .. }), Event::Done) => self.next_queued(),
            // A hook or store threw, or the facade answered out of turn: fail closed.
            _ => Step::Answer(Answer::handler_error()),
        };
        self.hand_out(next)
    }

    /// Records what was handed out; an answer gets the CORS headers and ends the flow.
    fn hand_out(&mut self, step: Step) -> Step {
        match step {
            Step::Answer(answer) => {
                let answer = match &self.cors {
                    Caller::Listed(origin) => cors::decorate(answer, origin),
                    _ if !self.cfg.origins.is_empty() => answer.header("vary", "origin"),
                    _ => answer,
                };
                self.done = Some(answer.clone());
                Step::Answer(answer)
            }
            other => {
                self.waiting = Some(other.clone());
                other
            }
        }
    }

    fn next_queued(&mut self) -> Step {
        self.queue
            .pop_front()
            .unwrap_or_else(|| Step::Answer(Answer::handler_error()))
    }

    fn start(&mut self) -> Step {
        if self.cors == Caller::Refused {
            return Step::Answer(cors::refused());
        }
        let m = match_path(
            &self.cfg.base_path,
            &self.incoming.method,
            &self.incoming.path,
        );
        let (route, id) = match m {
            Matched::Preflight { methods } => {
                return Step::Answer(cors::preflight(
                    &self.cors,
                    &methods,
                    self.incoming.preflight_method.as_deref(),
                ))
            }
            Matched::NotFound => return Step::Answer(Answer::not_found()),
            Matched::WrongMethod { allow } => {
                return Step::Answer(
                    Answer::error(
                        405,
                        codes::METHOD_NOT_ALLOWED,
                        "This method is not allowed on this path",
                    )
                    .header("allow", &allow.join(", ")),
                )
            }
            Matched::Route { route, id } => (route, id),
        };
        let list = if matches!(route, Route::ListJobs | Route::ListMedia) {
            match list_query(route, &self.incoming.query) {
                Ok(q) => Some(q),
                Err(why) => return Step::Answer(Answer::error(400, codes::BAD_REQUEST, &why)),
            }
        } else {
            None
        };
        self.target = Some(Target { route, id, list });
        Step::Authenticate
    }

    fn authenticated(&mut self, caller: Option<String>) -> Step {
        match caller {
            Some(c)
                if !c.is_empty()
                    && c.len() <= MAX_CALLER_LEN
                    && !c.chars().any(char::is_control) =>
            {
                self.caller = Some(c);
                Step::Policy
            }
            _ => Step::Answer(Answer::error(
                401,
                codes::UNAUTHENTICATED,
                "Sign in to use this service",
            )),
        }
    }

    fn with_policy(&mut self, p: &J) -> Step {
        let Some(target) = self.target.clone() else {
            return Step::Answer(Answer::handler_error());
        };
        self.policy = match Policy::from_json(p) {
            Ok(policy) => policy,
            Err(why) => {
                self.queue.push_back(Step::Answer(Answer::handler_error()));
                return Step::Report(json!({ "type": "error", "stage": "policy", "message": why }));
            }
        };
        if let Err(why) = self.policy.allows(target.route) {
            return Step::Answer(Answer::error(403, codes::OPERATION_NOT_ALLOWED, why));
        }
        if matches!(target.route, Route::CreateJob | Route::CreateMedia) {
            return Step::ReadBody {
                limit: MAX_BODY_BYTES,
            };
        }
        match (&target.id, self.policy.all) {
            (Some(id), false) => Step::Owner {
                key: key(target.route, id),
            },
            _ => self.rate_limit(),
        }
    }

    fn with_body(&mut self, text: &str) -> Step {
        let Some(target) = &self.target else {
            return Step::Answer(Answer::handler_error());
        };
        if text.len() > MAX_BODY_BYTES {
            return too_large();
        }
        match check_create(target.route, text, &self.policy) {
            Ok(create) => {
                self.create = Some(create);
                self.rate_limit()
            }
            Err(answer) => Step::Answer(answer),
        }
    }

    fn with_record(&mut self, record: Option<J>) -> Step {
        let owner = record
            .as_ref()
            .and_then(|r| r.get("owner"))
            .and_then(J::as_str);
        match (owner, &self.caller) {
            (Some(o), Some(c)) if o == c => {
                self.record = record;
                self.rate_limit()
            }
            // Another caller's id answers exactly like one that does not exist.
            _ => Step::Answer(Answer::not_found()),
        }
    }

    fn rate_limit(&self) -> Step {
        match &self.target {
            Some(t) => Step::RateLimit {
                operation: operation(t.route),
            },
            None => Step::Answer(Answer::handler_error()),
        }
    }

    fn rate_limited(&mut self, verdict: Option<f64>) -> Step {
        if let Some(seconds) = verdict {
            // Whatever was returned, it is a refusal; a wait the handler cannot read is 1 s.
            let wait = if seconds.is_finite() && seconds >= 1.0 {
                seconds.min(86_400.0).ceil() as u64
            } else {
                1
            };
            return Step::Answer(
                Answer::error(
                    429,
                    codes::RATE_LIMITED,
                    "Too many requests: try again later",
                )
                .header("retry-after", &wait.to_string()),
            );
        }
        let (Some(target), Some(caller)) = (self.target.clone(), self.caller.clone()) else {
            return Step::Answer(Answer::handler_error());
        };
        match (&target.list, self.policy.all) {
            (Some(q), false) => self.plan_list(q, caller),
            _ => self.send_one(&target),
        }
    }

    fn send_one(&self, target: &Target) -> Step {
        let query = match &target.list {
            Some(ListQuery::Jobs(p)) => p.query(),
            Some(ListQuery::Media(p)) => p.query(),
            None => String::new(),
        };
        let body = self.create.as_ref().map(|c| c.body.clone());
        match self
            .cfg
            .upstream
            .at(target.route, target.id.as_deref(), &query, body, None)
        {
            Ok(request) => self.send(vec![request]),
            Err(_) => Step::Answer(Answer::not_found()),
        }
    }

    fn send(&self, requests: Vec<ApiRequest>) -> Step {
        Step::Send {
            requests,
            timeout_ms: self.cfg.timeout_ms,
        }
    }

    fn plan_list(&mut self, q: &ListQuery, owner: String) -> Step {
        let (api, plan) = match q {
            ListQuery::Jobs(p) => {
                let page = p.page.unwrap_or(1);
                let limit = p.limit.map_or(JOBS_PAGE_SIZE, u64::from);
                let plan = ListPlan {
                    page,
                    limit,
                    offset: (page - 1).saturating_mul(limit),
                    status: p.status.clone(),
                    total: 0,
                };
                ("jobs", plan)
            }
            ListQuery::Media(p) => {
                let limit = p.limit.map_or(u64::from(DEFAULT_PAGE_SIZE), u64::from);
                let offset = p.offset.unwrap_or(0);
                let plan = ListPlan {
                    page: offset / limit + 1,
                    limit,
                    offset,
                    status: None,
                    total: 0,
                };
                ("media", plan)
            }
        };
        // A status filter needs the jobs' statuses: the most recent STATUS_SCAN are read.
        let (offset, limit) = if plan.status.is_some() {
            (0, STATUS_SCAN)
        } else {
            (plan.offset, plan.limit)
        };
        self.list = Some(plan);
        Step::List {
            owner,
            api,
            offset,
            limit,
        }
    }

    fn listed(&mut self, l: &J) -> Step {
        let (Some(target), Some(plan)) = (self.target.clone(), self.list.as_mut()) else {
            return Step::Answer(Answer::handler_error());
        };
        let ids: Option<Vec<String>> = l.get("ids").and_then(J::as_array).map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str().filter(|s| check_id(s)).map(str::to_string))
                .collect()
        });
        let (Some(ids), Some(total)) = (ids, l.get("total").and_then(J::as_u64)) else {
            return Step::Answer(Answer::handler_error());
        };
        plan.total = total;
        let get = if target.route == Route::ListJobs {
            Route::GetJob
        } else {
            Route::GetMedia
        };
        let requests: Result<Vec<ApiRequest>, _> = ids
            .iter()
            .take(STATUS_SCAN as usize)
            .map(|id| self.cfg.upstream.at(get, Some(id), "", None, None))
            .collect();
        match requests {
            Ok(r) if r.is_empty() => Step::Answer(self.list_answer(vec![])),
            Ok(r) => self.send(r),
            Err(_) => Step::Answer(Answer::handler_error()),
        }
    }

    fn upstream(&mut self, answers: Vec<Upstream>) -> Step {
        let Some(target) = self.target.clone() else {
            return Step::Answer(Answer::handler_error());
        };
        if self.list.is_some() {
            return self.list_items(answers);
        }
        let Some(first) = answers.into_iter().next() else {
            return Step::Answer(Answer::handler_error());
        };
        let (status, retry_after, value) = match self.read(first) {
            Ok(parts) => parts,
            Err(answer) => return Step::Answer(answer),
        };
        let relayed = self.relay(status, retry_after.as_deref(), value.as_ref());
        if !(200..300).contains(&status) {
            return Step::Answer(relayed);
        }
        let task = self
            .record
            .as_ref()
            .and_then(|r| r.get("task"))
            .cloned()
            .unwrap_or(J::Null);
        let api = if target.route.is_job() {
            "jobs"
        } else {
            "media"
        };
        let id = target.id.clone().unwrap_or_default();
        let report = |kind: &str, id: &str, task: J| {
            Step::Report(json!({ "type": kind, "api": api, "id": id, "task": task }))
        };
        match target.route {
            Route::CreateJob | Route::CreateMedia => {
                let new_id = value.as_ref().and_then(|v| {
                    if target.route == Route::CreateJob {
                        job_id(v)
                    } else {
                        v.get("mid").and_then(J::as_str).map(str::to_string)
                    }
                });
                let (Some(new_id), Some(caller), Some(create)) =
                    (new_id.filter(|i| check_id(i)), &self.caller, &self.create)
                else {
                    return Step::Answer(Answer::upstream_failed(
                        "Authenta's answer to the create had no id",
                    ));
                };
                let record = json!({
                    "owner": caller, "api": api, "id": new_id, "task": create.task,
                    "createdAt": self.now_ms, "completed": false,
                });
                // Recorded before the answer is relayed: the caller never holds an id it does
                // not own.
                self.queue
                    .push_back(report("created", &new_id, J::String(create.task.clone())));
                self.queue.push_back(Step::Answer(relayed));
                Step::Store {
                    key: key(target.route, &new_id),
                    record,
                }
            }
            Route::GetJob | Route::GetMedia => {
                let finished = value.as_ref().and_then(|v| {
                    let s = if target.route == Route::GetJob {
                        job_status(v)
                    } else {
                        v.get("status").and_then(J::as_str).map(str::to_string)
                    }?;
                    Some(job_phase(&s) == Phase::Processed)
                });
                match (&self.record, finished) {
                    (Some(r), Some(true))
                        if r.get("completed").and_then(J::as_bool) != Some(true) =>
                    {
                        let mut updated = r.clone();
                        if let Some(o) = updated.as_object_mut() {
                            o.insert("completed".into(), J::Bool(true));
                        }
                        self.queue.push_back(report("completed", &id, task));
                        self.queue.push_back(Step::Answer(relayed));
                        Step::Store {
                            key: key(target.route, &id),
                            record: updated,
                        }
                    }
                    _ => Step::Answer(relayed),
                }
            }
            Route::FinalizeJob | Route::CancelJob => {
                let kind = if target.route == Route::FinalizeJob {
                    "finalized"
                } else {
                    "cancelled"
                };
                self.queue.push_back(Step::Answer(relayed));
                report(kind, &id, task)
            }
            Route::DeleteJob | Route::DeleteMedia => {
                self.queue.push_back(report("deleted", &id, task));
                self.queue.push_back(Step::Answer(relayed));
                Step::Forget {
                    key: key(target.route, &id),
                }
            }
            Route::ListJobs | Route::ListMedia => Step::Answer(relayed),
        }
    }

    /// An upstream answer's status, `Retry-After` and JSON; `Err` is the 502 when it is not an
    /// answer of the API's.
    #[allow(clippy::type_complexity)]
    fn read(&self, up: Upstream) -> Result<(u16, Option<String>, Option<J>), Answer> {
        let (status, retry_after, text) = match up {
            Upstream::Failed { timeout: true } => {
                return Err(Answer::upstream_failed("Authenta did not answer in time"))
            }
            Upstream::Failed { timeout: false } => {
                return Err(Answer::upstream_failed("Authenta could not be reached"))
            }
            Upstream::Answer {
                status,
                retry_after,
                text,
            } => (status, retry_after, text),
        };
        if status == 401 || status == 403 {
            // The server's own credentials were refused: nothing the page can fix.
            return Err(Answer::upstream_failed(
                "Authenta refused this server's credentials",
            ));
        }
        if !(200..600).contains(&status) || (300..400).contains(&status) {
            return Err(Answer::upstream_failed(
                "Authenta answered with an unexpected status",
            ));
        }
        if text.trim().is_empty() {
            let deleted = self.target.as_ref().is_some_and(|t| t.route.is_delete());
            return if (200..300).contains(&status) && deleted {
                Ok((status, retry_after, None))
            } else {
                Err(Answer::upstream_failed("Authenta answered with no body"))
            };
        }
        match serde_json::from_str::<J>(&text) {
            Ok(v) if v.is_object() => Ok((status, retry_after, Some(v))),
            _ => Err(Answer::upstream_failed(
                "Authenta answered with something that is not its JSON",
            )),
        }
    }

    /// The upstream answer as the handler relays it: its status, its JSON re-serialised with
    /// the credentials scrubbed, `Retry-After` when it is one, nothing else of its headers.
    fn relay(&self, status: u16, retry_after: Option<&str>, value: Option<&J>) -> Answer {
        let mut answer = match value {
            // A success carries the pre-signed URLs the page needs; an error needs none, so it
            // also loses every signature (the SDK's redaction).
            Some(v) if (200..300).contains(&status) => {
                Answer::json(status, self.scrub(v.to_string()))
            }
            Some(v) => Answer::json(
                status,
                crate::core::redact::redact(&v.to_string(), &self.cfg.secrets()),
            ),
            None => Answer::empty(status),
        };
        if let Some(r) = retry_after.map(str::trim).filter(|r| valid_retry_after(r)) {
            answer = answer.header("retry-after", r);
        }
        answer
    }

    /// The credentials out of a text that leaves the handler (an upstream error that echoes the
    /// key), in the forms JSON can hold them.
    fn scrub(&self, text: String) -> String {
        let mut out = text;
        for secret in self.cfg.secrets() {
            let escaped = J::String(secret.to_string()).to_string();
            let escaped = escaped.trim_matches('"');
            for s in [secret, escaped] {
                if !s.is_empty() && out.contains(s) {
                    out = out.replace(s, crate::core::redact::REDACTED);
                }
            }
        }
        out
    }

    fn list_items(&mut self, answers: Vec<Upstream>) -> Step {
        let mut items = vec![];
        for up in answers {
            match self.read(up) {
                Ok((s, _, Some(v))) if (200..300).contains(&s) => items.push(unwrap_job(&v)),
                // Deleted upstream since it was recorded: not listed.
                Ok((404, _, _)) => {}
                // A failure of any item is the page's: the SDK retries it as a whole.
                Ok((s, r, v)) => return Step::Answer(self.relay(s, r.as_deref(), v.as_ref())),
                Err(answer) => return Step::Answer(answer),
            }
        }
        Step::Answer(self.list_answer(items))
    }

    fn list_answer(&mut self, items: Vec<J>) -> Answer {
        let Some(plan) = self.list.clone() else {
            return Answer::handler_error();
        };
        let jobs = self.target.as_ref().map(|t| t.route) == Some(Route::ListJobs);
        let (data, total) = match &plan.status {
            Some(status) => {
                let matching: Vec<J> = items
                    .into_iter()
                    .filter(|j| job_status(j).is_some_and(|s| s.eq_ignore_ascii_case(status)))
                    .collect();
                let total = matching.len() as u64;
                let page: Vec<J> = matching
                    .into_iter()
                    .skip(plan.offset as usize)
                    .take(plan.limit as usize)
                    .collect();
                (page, total)
            }
            None => (items, plan.total),
        };
        let body = if jobs {
            json!({ "data": data, "pagination": {
                "page": plan.page, "limit": plan.limit, "total": total,
                "pages": total.div_ceil(plan.limit.max(1)),
            }})
        } else {
            json!({ "data": data, "total": total, "limit": plan.limit, "offset": plan.offset })
        };
        Answer::json(200, self.scrub(body.to_string()))
    }
}

/// What `rateLimit` is told is asked: the SDK's method name for the route.
pub fn operation(route: Route) -> &'static str {
    match route {
        Route::CreateMedia => "createMedia",
        Route::GetMedia => "getMedia",
        Route::ListMedia => "listMedia",
        Route::DeleteMedia => "deleteMedia",
        Route::CreateJob => "createJob",
        Route::GetJob => "getJob",
        Route::ListJobs => "listJobs",
        Route::FinalizeJob => "finalizeJob",
        Route::CancelJob => "cancelJob",
        Route::DeleteJob => "deleteJob",
    }
}

fn too_large() -> Step {
    Step::Answer(Answer::error(
        413,
        codes::TOO_LARGE,
        &format!("The body may be at most {MAX_BODY_BYTES} bytes"),
    ))
}

/// The ownership store's key of an id: the API's name and the id (a job and a record may have
/// the same id).
pub fn key(route: Route, id: &str) -> String {
    if route.is_job() {
        format!("job:{id}")
    } else {
        format!("media:{id}")
    }
}

/// A `Retry-After` worth relaying: seconds, or an HTTP date.
fn valid_retry_after(v: &str) -> bool {
    small_int(v).is_some() || (v.len() <= 40 && parse_http_date(v).is_some())
}
