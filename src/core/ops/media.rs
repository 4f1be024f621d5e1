//! The Media API's operations: a single call, upload (create, PUT, FI-1 reference), wait,
//! result (with the expired-URL refresh), `uploadAndPoll`, and the pages of `iterateMedia`.

use super::{
    at_deadline, deadline_error, failure_error, ApiCall, ByteProgress, Done, Env, Event, Exchange,
    Limits, Op, Progress, Queue, Step, Target, X,
};
use crate::core::error::{codes, Cause, Error, ErrorKind};
use crate::core::poll::{phase, status_changed, Phase, PollSchedule, DEFAULT_WAIT_TIMEOUT_MS};
use crate::core::request::{CreateMediaBody, ListParams, DEFAULT_PAGE_SIZE};
use crate::core::upload::{check_signed_url, content_type_for};
use crate::core::value::Value;

/// `createMedia`, `getMedia`, `listMedia`, `deleteMedia`: one request with retries.
#[derive(Debug, Clone)]
pub struct Single {
    x: Exchange,
    delete: bool,
}

impl Single {
    pub fn new(call: ApiCall, limits: Limits) -> Single {
        let delete = matches!(call, ApiCall::DeleteMedia(_));
        Single {
            x: Exchange::api(call, limits),
            delete,
        }
    }
}

impl<V: Value> Op<V> for Single {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        match self.x.on(event, env) {
            X::Step(s) => s,
            X::Err(e) => Step::Fail(e),
            X::Ok(got) => Step::Done(match got.json {
                Some(v) if !self.delete => Done::Value(v),
                _ => Done::Nothing,
            }),
        }
    }
}

/// What `upload()` was given, as read from its arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UploadArgs {
    pub model_type: Option<String>,
    pub name: Option<String>,
    /// `File.name`, when the blob is a `File`.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub blob_type: String,
    pub size: f64,
    /// The caller's `metadata`, serialised.
    pub metadata_json: Option<String>,
    /// `metadata.faceSimilarityCheck === true`.
    pub similarity: bool,
    /// The reference Blob's type and size.
    pub reference: Option<(String, f64)>,
    pub byte_progress: bool,
}

/// Checks `upload()`'s arguments before any request and plans the requests.
pub fn plan(a: UploadArgs) -> Result<UploadPlan, Error> {
    let model_type = a
        .model_type
        .filter(|m| !m.trim().is_empty())
        .ok_or_else(|| {
            Error::argument("modelType is required (\"DF-1\", \"AC-1\", \"FI-1\", \"FE-1\", …)")
        })?;
    let name = a
        .name
        .filter(|n| !n.is_empty())
        .or(a.file_name.filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "upload".into());
    let content_type = content_type_for(a.content_type.as_deref(), &a.blob_type, a.size)?;
    let reference = match (a.reference, a.similarity) {
        (Some(_), false) => return Err(Error::argument(
            "reference is for the FI-1 similarity check: set metadata.faceSimilarityCheck: true",
        )),
        (None, true) => {
            return Err(Error::argument(
                "metadata.faceSimilarityCheck needs a reference image: pass options.reference",
            ))
        }
        (Some((_, size)), true) if size.is_nan() || size <= 0.0 => {
            return Err(Error::argument("the reference image is empty"))
        }
        // The reference is PUT with its own type; S3 needs one.
        (Some((ty, size)), true) if ty.trim().is_empty() => Some(("image/jpeg".to_string(), size)),
        (r, _) => r,
    };
    let body = CreateMediaBody {
        name: &name,
        content_type: &content_type,
        size: a.size,
        model_type: &model_type,
        metadata_json: a.metadata_json.as_deref(),
    };
    Ok(UploadPlan {
        body_json: body.to_json(),
        content_type,
        size: a.size,
        reference,
        byte_progress: a.byte_progress,
    })
}

/// What `upload()` sends: the checked `POST /media` body and the blobs' facts.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadPlan {
    pub body_json: String,
    /// Blob 0, the file.
    pub content_type: String,
    pub size: f64,
    /// Blob 1, the FI-1 reference image: its content type and size.
    pub reference: Option<(String, f64)>,
    /// Whether the transport reports byte progress (XMLHttpRequest).
    pub byte_progress: bool,
}

#[derive(Debug, Clone)]
enum UploadStage {
    Create(Exchange),
    Put(Exchange, usize),
    Finished,
}

/// `upload()`: create the record, PUT the file, PUT the reference image.
#[derive(Debug, Clone)]
pub struct Upload<V> {
    plan: UploadPlan,
    limits: Limits,
    stage: UploadStage,
    created: Option<V>,
    mid: String,
    out: Queue<V>,
}

impl<V: Value> Upload<V> {
    pub fn new(plan: UploadPlan, limits: Limits) -> Upload<V> {
        let create = Exchange::api(ApiCall::CreateMedia(plan.body_json.clone()), limits);
        Upload {
            plan,
            limits,
            stage: UploadStage::Create(create),
            created: None,
            mid: String::new(),
            out: Queue::new(),
        }
    }

    fn put(&self, url: String, blob: usize) -> Exchange {
        let (content_type, progress) = match (blob, &self.plan.reference) {
            (1, Some((ct, _))) => (ct.clone(), None),
            _ => (
                self.plan.content_type.clone(),
                self.plan.byte_progress.then_some(ByteProgress {
                    offset: 0.0,
                    total: self.plan.size,
                    slot: None,
                }),
            ),
        };
        Exchange::new(
            Target::Upload {
                url,
                blob,
                content_type,
                progress,
            },
            self.limits,
        )
    }

    fn progress(&mut self, loaded: f64, computable: bool) {
        self.out.push(Step::Progress(Progress {
            loaded,
            total: self.plan.size,
            computable,
            slot: None,
        }));
    }

    fn advance(&mut self, json: Option<V>) -> Step<V> {
        match std::mem::replace(&mut self.stage, UploadStage::Finished) {
            UploadStage::Create(_) => {
                // `classify` has checked the record: a mid and an http(s) uploadUrl.
                let Some(created) = json else {
                    return Step::Fail(Error::invalid_response(
                        200,
                        "POST /media answered no record",
                    ));
                };
                self.mid = created.str_field("mid").unwrap_or_default();
                let url = created.str_field("uploadUrl").unwrap_or_default();
                self.out.push(Step::Status(created.clone()));
                self.created = Some(created);
                self.progress(0.0, self.plan.byte_progress);
                self.stage = UploadStage::Put(self.put(url, 0), 0);
            }
            UploadStage::Put(_, 0) => {
                self.progress(self.plan.size, true);
                if self.plan.reference.is_some() {
                    let url = self
                        .created
                        .as_ref()
                        .and_then(|c| c.str_field("referenceUploadUrl"));
                    let Some(url) = url else {
                        return Step::Fail(
                            Error::invalid_response(
                                200,
                                "the server returned no referenceUploadUrl for the similarity check",
                            )
                            .with_mid(&self.mid),
                        );
                    };
                    self.stage = UploadStage::Put(self.put(url, 1), 1);
                } else {
                    self.finish();
                }
            }
            _ => self.finish(),
        }
        self.out
            .pop()
            .unwrap_or_else(|| Step::Fail(Error::invalid_response(0, "upload: nothing to do")))
    }

    fn finish(&mut self) {
        if let Some(c) = self.created.take() {
            self.out.push(Step::Done(Done::Value(c)));
        }
    }
}

impl<V: Value> Op<V> for Upload<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        if let Some(s) = self.out.pop() {
            return s;
        }
        let outcome = match &mut self.stage {
            UploadStage::Create(x) | UploadStage::Put(x, _) => x.on(event, env),
            UploadStage::Finished => return Step::Fail(Error::aborted()),
        };
        match outcome {
            X::Step(s) => s,
            X::Ok(got) => self.advance(got.json),
            X::Err(e) => Step::Fail(
                at_deadline(e, &self.limits, env.now_ms, "the upload").with_mid(&self.mid),
            ),
        }
    }
}

/// `uploadFile`: the PUT alone, to a URL from `createMedia`.
#[derive(Debug, Clone)]
pub struct PutFile<V> {
    x: Exchange,
    size: f64,
    limits: Limits,
    out: Queue<V>,
    started: bool,
}

impl<V: Value> PutFile<V> {
    /// `given`: the `contentType` option; the Blob's own type otherwise.
    pub fn new(
        url: String,
        given: Option<&str>,
        blob_type: &str,
        size: f64,
        byte_progress: bool,
        limits: Limits,
    ) -> Result<PutFile<V>, Error> {
        check_signed_url("uploadUrl", &url)?;
        let content_type = match given.filter(|g| !g.trim().is_empty()) {
            Some(g) => content_type_for(Some(g), "", size)?,
            None => content_type_for(None, blob_type, size)?,
        };
        let progress = byte_progress.then_some(ByteProgress {
            offset: 0.0,
            total: size,
            slot: None,
        });
        Ok(PutFile {
            x: Exchange::new(
                Target::Upload {
                    url,
                    blob: 0,
                    content_type,
                    progress,
                },
                limits,
            ),
            size,
            limits,
            out: Queue::new(),
            started: false,
        })
    }
}

impl<V: Value> Op<V> for PutFile<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        if !self.started {
            self.started = true;
            return Step::Progress(Progress {
                loaded: 0.0,
                total: self.size,
                computable: self.x.reports_bytes(),
                slot: None,
            });
        }
        if let Some(s) = self.out.pop() {
            return s;
        }
        match self.x.on(event, env) {
            X::Step(s) => s,
            X::Ok(_) => {
                self.out.push(Step::Done(Done::Nothing));
                Step::Progress(Progress {
                    loaded: self.size,
                    total: self.size,
                    computable: true,
                    slot: None,
                })
            }
            X::Err(e) => Step::Fail(at_deadline(e, &self.limits, env.now_ms, "the upload")),
        }
    }
}

/// When a wait ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Deadline {
    /// At this time (milliseconds since the epoch).
    At(f64),
    /// This long after the wait starts.
    After(u64),
}

/// `waitForResult`: polls `GET /media/{mid}` until `PROCESSED`, riding out transient failures
/// until the deadline.
#[derive(Debug, Clone)]
pub struct Wait<V> {
    mid: String,
    schedule: PollSchedule,
    deadline: Deadline,
    limits: Limits,
    last_status: Option<String>,
    polls: u32,
    last_failure: Option<Error>,
    poll: Option<Exchange>,
    started: bool,
    out: Queue<V>,
}

impl<V: Value> Wait<V> {
    /// `timeout_ms`: the caller's deadline (default 10 minutes). `first_status`: a status
    /// already reported to `onStatus`.
    pub fn new(
        mid: String,
        schedule: PollSchedule,
        deadline: Deadline,
        limits: Limits,
        first_status: Option<String>,
    ) -> Wait<V> {
        Wait {
            mid,
            schedule,
            deadline,
            limits,
            last_status: first_status,
            polls: 0,
            last_failure: None,
            poll: None,
            started: false,
            out: Queue::new(),
        }
    }

    /// The deadline of `waitForResult(mid, { timeoutMs })`.
    pub fn deadline_for(timeout_ms: Option<u64>) -> Deadline {
        Deadline::After(timeout_ms.unwrap_or(DEFAULT_WAIT_TIMEOUT_MS))
    }

    fn timed_out(&mut self) -> Step<V> {
        let msg = format!(
            "media {} was not processed before the deadline (last status: {}); call waitForResult(mid) again to keep waiting",
            self.mid,
            self.last_status.as_deref().unwrap_or("unknown")
        );
        Step::Fail(deadline_error(msg, self.last_failure.take()).with_mid(&self.mid))
    }

    fn sleep(&mut self, retry_after_ms: Option<u64>, env: &Env) -> Step<V> {
        let remaining = self.limits.remaining(env.now_ms).unwrap_or(u64::MAX);
        let delay = self
            .schedule
            .delay_ms(self.polls, retry_after_ms, remaining, env.rand);
        self.polls += 1;
        Step::Sleep(delay)
    }

    fn answered(&mut self, media: V, retry_after_ms: Option<u64>, env: &Env) -> Step<V> {
        self.last_failure = None;
        let status = media.str_field("status").unwrap_or_default();
        if status_changed(self.last_status.as_deref(), &status) {
            self.out.push(Step::Status(media.clone()));
            self.last_status = Some(status.clone());
        }
        let last = match phase(&status) {
            Phase::Processed => Step::Done(Done::Value(media)),
            Phase::Failed => Step::Fail(processing_failed(&self.mid, &status, &media)),
            Phase::Pending => self.sleep(retry_after_ms, env),
        };
        self.out.push(last);
        self.out.pop().unwrap_or_else(|| self.timed_out())
    }
}

impl<V: Value> Op<V> for Wait<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        if let Some(s) = self.out.pop() {
            return s;
        }
        if !self.started {
            self.started = true;
            self.limits.deadline = Some(match self.deadline {
                Deadline::At(t) => t,
                Deadline::After(ms) => env.now_ms + ms as f64,
            });
        }
        let Some(x) = &mut self.poll else {
            // Between polls: the sleep ended or was aborted.
            if let Event::Failed(f) = event {
                return Step::Fail(failure_error(f, "the wait").with_mid(&self.mid));
            }
            if self.polls > 0 && self.limits.past_deadline(env.now_ms) {
                return self.timed_out();
            }
            self.poll = Some(Exchange::api(
                ApiCall::GetMedia(self.mid.clone()),
                self.limits,
            ));
            return self.next(Event::Go, env);
        };
        match x.on(event, env) {
            X::Step(s) => s,
            X::Ok(got) => {
                self.poll = None;
                match got.json {
                    Some(media) => self.answered(media, got.retry_after_ms, env),
                    None => Step::Fail(Error::invalid_response(
                        200,
                        "GET /media/{mid} answered no record",
                    )),
                }
            }
            X::Err(e) => {
                self.poll = None;
                if !e.retryable || e.aborted {
                    return Step::Fail(e.with_mid(&self.mid));
                }
                // An attempt cut short by the deadline itself says nothing new: the failure
                // being ridden out stays the cause.
                let cut_by_deadline = e.kind == ErrorKind::Timeout
                    && e.status.is_none()
                    && self.limits.past_deadline(env.now_ms);
                if cut_by_deadline && self.last_failure.is_some() {
                    return self.timed_out();
                }
                // A blip of the API does not end a long wait: poll on until the deadline.
                let retry_after = e.retry_after_ms;
                self.last_failure = Some(e);
                if self.limits.past_deadline(env.now_ms) {
                    return self.timed_out();
                }
                self.sleep(retry_after, env)
            }
        }
    }
}

fn processing_failed<V: Value>(mid: &str, status: &str, record: &V) -> Error {
    let why = ["message", "error", "reason", "errorMessage"]
        .iter()
        .find_map(|k| record.str_field(k))
        .map(|m| format!(": {}", m.chars().take(300).collect::<String>()))
        .unwrap_or_default();
    Error::new(
        ErrorKind::Processing,
        codes::PROCESSING_FAILED,
        format!("Authenta could not process media {mid} (status {status}){why}; upload the file again or contact support with the mid"),
    )
    .with_mid(mid)
}

/// `getResult`: the JSON behind the record's `resultURL`; an expired URL is refreshed once by
/// fetching the record again.
#[derive(Debug, Clone)]
pub struct GetResult<V> {
    mid: String,
    media: Option<V>,
    limits: Limits,
    fetched: bool,
    refreshed: bool,
    x: Option<Exchange>,
    downloading: bool,
}

impl<V: Value> GetResult<V> {
    /// From a record (`listMedia`'s, or one stored before a reload) or a `mid`.
    pub fn new(media: Option<V>, mid: String, limits: Limits) -> GetResult<V> {
        let mid = match &media {
            Some(m) => m.str_field("mid").unwrap_or_default(),
            None => mid,
        };
        GetResult {
            mid,
            media,
            limits,
            fetched: false,
            refreshed: false,
            x: None,
            downloading: false,
        }
    }

    fn fetch(&mut self, env: &Env) -> Step<V> {
        self.fetched = true;
        self.downloading = false;
        self.x = Some(Exchange::api(
            ApiCall::GetMedia(self.mid.clone()),
            self.limits,
        ));
        self.next(Event::Go, env)
    }

    /// With a record in hand: download its result, or say why not.
    fn with_record(&mut self, env: &Env) -> Step<V> {
        let media = self.media.clone();
        let url = media
            .as_ref()
            .and_then(|m| m.str_field("resultURL"))
            .filter(|u| !u.is_empty());
        let Some(url) = url else {
            // A record passed in may lack a resultURL that the API now has.
            if !self.fetched && !self.mid.is_empty() {
                return self.fetch(env);
            }
            let status = media
                .as_ref()
                .and_then(|m| m.str_field("status"))
                .unwrap_or_default();
            let terminal = phase(&status) != Phase::Pending;
            return Step::Fail(
                Error::new(
                    ErrorKind::Processing,
                    codes::RESULT_NOT_READY,
                    format!(
                        "media {} has no result yet (status {status}); wait with waitForResult(mid) first",
                        self.mid
                    ),
                )
                .retryable(!terminal)
                .with_mid(&self.mid),
            );
        };
        if let Err(e) = check_signed_url("resultURL", &url) {
            return Step::Fail(e.with_mid(&self.mid));
        }
        self.downloading = true;
        self.x = Some(Exchange::new(Target::Download(url), self.limits));
        self.next(Event::Go, env)
    }
}

impl<V: Value> Op<V> for GetResult<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        let Some(x) = &mut self.x else {
            return match self.media {
                Some(_) => self.with_record(env),
                None => self.fetch(env),
            };
        };
        match x.on(event, env) {
            X::Step(s) => s,
            X::Ok(got) if self.downloading => match got.json {
                Some(result) => Step::Done(Done::Value(result)),
                None => Step::Fail(Error::invalid_response(200, "the result file is empty")),
            },
            X::Ok(got) => {
                self.media = got.json;
                self.with_record(env)
            }
            // Pre-signed result URLs expire: fetch the record once more for a fresh one.
            X::Err(e)
                if self.downloading && e.kind == ErrorKind::Storage && e.status == Some(403) =>
            {
                if !self.refreshed && !self.mid.is_empty() {
                    self.refreshed = true;
                    return self.fetch(env);
                }
                let again = if self.refreshed {
                    " even after fetching the record again"
                } else {
                    ""
                };
                let mut expired = Error::new(
                    ErrorKind::Storage,
                    codes::RESULT_URL_EXPIRED,
                    format!(
                        "the result URL was refused (expired?){again}; call getResult(mid) later"
                    ),
                )
                .status(403)
                .with_mid(&self.mid);
                expired.s3_code = e.s3_code.clone();
                Step::Fail(expired.caused_by(Cause::Error(Box::new(e))))
            }
            X::Err(e) => Step::Fail(
                at_deadline(e, &self.limits, env.now_ms, "getResult").with_mid(&self.mid),
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum Stage<V> {
    Upload(Upload<V>),
    Wait(Wait<V>),
    Result(GetResult<V>, V),
}

/// `uploadAndPoll`: upload, wait, fetch the verdict.
#[derive(Debug, Clone)]
pub struct UploadAndPoll<V> {
    stage: Stage<V>,
    schedule: PollSchedule,
    limits: Limits,
}

impl<V: Value> UploadAndPoll<V> {
    /// `limits.deadline` bounds everything when the caller gave `timeoutMs`; without it, the
    /// upload takes as long as it takes and the wait has `waitForResult`'s default.
    pub fn new(plan: UploadPlan, schedule: PollSchedule, limits: Limits) -> UploadAndPoll<V> {
        UploadAndPoll {
            stage: Stage::Upload(Upload::new(plan, limits)),
            schedule,
            limits,
        }
    }
}

impl<V: Value> Op<V> for UploadAndPoll<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        let step = match &mut self.stage {
            Stage::Upload(u) => u.next(event, env),
            Stage::Wait(w) => w.next(event, env),
            Stage::Result(r, _) => r.next(event, env),
        };
        let Step::Done(Done::Value(v)) = step else {
            return step;
        };
        match &self.stage {
            Stage::Upload(_) => {
                let deadline = match self.limits.deadline {
                    Some(t) => Deadline::At(t),
                    None => Deadline::After(DEFAULT_WAIT_TIMEOUT_MS),
                };
                let mid = v.str_field("mid").unwrap_or_default();
                self.stage = Stage::Wait(Wait::new(
                    mid,
                    self.schedule,
                    deadline,
                    self.limits,
                    v.str_field("status"),
                ));
            }
            Stage::Wait(w) => {
                let limits = w.limits;
                self.stage =
                    Stage::Result(GetResult::new(Some(v.clone()), String::new(), limits), v);
            }
            Stage::Result(_, media) => {
                return Step::Done(Done::MediaResult {
                    media: media.clone(),
                    result: v,
                })
            }
        }
        self.next(Event::Go, env)
    }
}

/// The pages of `iterateMedia`: `limit = pageSize`, until an empty page or `offset` reaches
/// `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    page_size: u32,
    offset: u64,
    done: bool,
    limits: Limits,
}

impl Pager {
    pub fn new(page_size: Option<u32>, limits: Limits) -> Pager {
        Pager {
            page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE),
            offset: 0,
            done: false,
            limits,
        }
    }

    /// The request for the next page, or `None` when every page has been read.
    pub fn next_page(&self) -> Option<Single> {
        (!self.done).then(|| {
            Single::new(
                ApiCall::ListMedia(ListParams {
                    limit: Some(self.page_size),
                    offset: Some(self.offset),
                }),
                self.limits,
            )
        })
    }

    /// The records of a page, and whether more may follow.
    pub fn take<V: Value>(&mut self, page: &V) -> Vec<V> {
        let data = page.get("data").and_then(|d| d.items()).unwrap_or_default();
        self.offset += data.len() as u64;
        let total = page.get("total").and_then(|t| t.as_f64());
        if data.is_empty() || total.is_some_and(|t| self.offset as f64 >= t) {
            self.done = true;
        }
        data
    }

    /// After an error: nothing more.
    pub fn stop(&mut self) {
        self.done = true;
    }
}
