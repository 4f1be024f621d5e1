//! Sending files, for both APIs: create (a media record or a job), PUT each input to its
//! pre-signed URL, finalize (Jobs API); and the whole run (then wait, then the result).
//! `upload`/`uploadAndPoll` and `submitJob`/`runJob` are these two operations with two plans.

use super::result::GetResult;
use super::subject::Subject;
use super::wait::{Deadline, Wait};
use super::{
    at_deadline, ApiCall, ByteProgress, Done, Env, Event, Exchange, Limits, Op, Progress, Queue,
    Step, Target, X,
};
use crate::core::error::{Error, ErrorKind};
use crate::core::poll::{job_phase, Phase, PollSchedule};
use crate::core::response::{job_id, job_status, unwrap_job};
use crate::core::value::Value;

/// One input to upload, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub name: String,
    pub content_type: String,
    pub size: f64,
    /// The blob's number in the operation.
    pub blob: usize,
    /// Whether `onProgress` covers it (the Media API's FI-1 reference goes silently).
    pub progress: bool,
}

/// What to send: the create request and the inputs, `original` first.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// `CreateMedia` or `CreateJob`, its body checked.
    pub create: ApiCall,
    pub slots: Vec<Slot>,
    /// Whether the transport reports byte progress (XMLHttpRequest).
    pub byte_progress: bool,
    /// The task of a job, for the default wait.
    pub task_id: Option<String>,
}

impl Plan {
    fn jobs(&self) -> bool {
        matches!(self.create, ApiCall::CreateJob(_))
    }
}

/// `POST /v1/jobs/{id}/finalize`, and its confirmation: a finalize retried after an ambiguous
/// failure (time-out, dropped connection, 5xx) and then answered 400 may have landed the first
/// time, so one `GET` of the job says: past `initiated`, it counts as finalized.
#[derive(Debug, Clone)]
pub struct Finalize {
    x: Exchange,
    job_id: String,
    limits: Limits,
    /// The refusal being confirmed, while the GET runs.
    refused: Option<Error>,
}

impl Finalize {
    pub fn new(job_id: String, limits: Limits) -> Finalize {
        Finalize {
            x: Exchange::api(ApiCall::FinalizeJob(job_id.clone()), limits),
            job_id,
            limits,
            refused: None,
        }
    }

    pub(crate) fn on<V: Value>(&mut self, event: Event<V>, env: &Env) -> X<V> {
        match (self.x.on(event, env), self.refused.take()) {
            (X::Ok(got), Some(refused)) => {
                let status = got.json.as_ref().and_then(job_status).unwrap_or_default();
                if status.is_empty() || job_phase(&status) == Phase::NotFinalized {
                    X::Err(refused)
                } else {
                    X::Ok(got)
                }
            }
            (X::Err(e), None)
                if self.x.retried() && e.kind == ErrorKind::BadRequest && e.status == Some(400) =>
            {
                self.x = Exchange::api(ApiCall::GetJob(self.job_id.clone()), self.limits);
                self.refused = Some(e);
                self.on(Event::Go, env)
            }
            (other, refused) => {
                self.refused = refused;
                other
            }
        }
    }
}

impl<V: Value> Op<V> for Finalize {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        match self.on(event, env) {
            X::Step(s) => s,
            X::Ok(got) => match got.json {
                Some(v) => Step::Done(Done::Value(v)),
                None => Step::Done(Done::Nothing),
            },
            X::Err(e) => Step::Fail(e.with_job_id(&self.job_id)),
        }
    }
}

#[derive(Debug, Clone)]
enum Stage {
    Create(Exchange),
    Put(Exchange, usize),
    Finalize(Box<Finalize>),
    Finished,
}

/// Create, PUT every input, and (Jobs API) finalize.
#[derive(Debug, Clone)]
pub struct Submit<V> {
    plan: Plan,
    pub(crate) limits: Limits,
    stage: Stage,
    created: Option<V>,
    subject: Subject,
    urls: Vec<String>,
    out: Queue<V>,
}

impl<V: Value> Submit<V> {
    pub fn new(plan: Plan, limits: Limits) -> Submit<V> {
        let create = Exchange::api(plan.create.clone(), limits);
        let subject = match plan.jobs() {
            true => Subject::Job(String::new()),
            false => Subject::Media(String::new()),
        };
        Submit {
            plan,
            limits,
            stage: Stage::Create(create),
            created: None,
            subject,
            urls: Vec::new(),
            out: Queue::new(),
        }
    }

    /// Bytes `onProgress` counts: of every slot it covers, or of those before slot `upto`.
    fn bytes(&self, upto: usize) -> f64 {
        // A fold from +0: an empty f64 sum is -0.0.
        self.plan
            .slots
            .iter()
            .take(upto)
            .filter(|s| s.progress)
            .fold(0.0, |t, s| t + s.size)
    }

    fn progress(&mut self, i: usize, loaded: f64, computable: bool) {
        let total = self.bytes(usize::MAX);
        let jobs = self.plan.jobs();
        if let Some(slot) = self.plan.slots.get(i).filter(|s| s.progress) {
            self.out.push(Step::Progress(Progress {
                loaded,
                total,
                computable,
                slot: jobs.then(|| slot.name.clone()),
            }));
        }
    }

    /// Starts the PUT of slot `i`, or what follows the last one.
    fn put_or_next(&mut self, i: usize) {
        let Some(slot) = self.plan.slots.get(i).cloned() else {
            self.stage = match (self.plan.jobs(), self.created.clone()) {
                (true, _) => Stage::Finalize(Box::new(Finalize::new(
                    self.subject.id().to_string(),
                    self.limits,
                ))),
                (false, Some(created)) => {
                    self.out.push(Step::Done(Done::Value(created)));
                    Stage::Finished
                }
                (false, None) => Stage::Finished,
            };
            return;
        };
        let offset = self.bytes(i);
        self.progress(i, offset, self.plan.byte_progress);
        let progress = (slot.progress && self.plan.byte_progress).then(|| ByteProgress {
            offset,
            total: self.bytes(usize::MAX),
            slot: self.plan.jobs().then(|| slot.name.clone()),
        });
        let url = self.urls.get(i).cloned().unwrap_or_default();
        self.stage = Stage::Put(
            Exchange::new(
                Target::Upload {
                    url,
                    blob: slot.blob,
                    content_type: slot.content_type,
                    progress,
                },
                self.limits,
            ),
            i,
        );
    }

    /// Each slot's upload URL: a record's `uploadUrl` / `referenceUploadUrl`; a job's `inputs`
    /// matched by `slotName`, or by position where the server omits it.
    fn upload_urls(&self, created: &V) -> Result<Vec<String>, Error> {
        let inputs = created
            .get("inputs")
            .and_then(|i| i.items())
            .unwrap_or_default();
        let jobs = self.plan.jobs();
        self.plan
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let url = match (jobs, slot.name.as_str()) {
                    (false, "reference") => created.str_field("referenceUploadUrl"),
                    (false, _) => created.str_field("uploadUrl"),
                    (true, name) => inputs
                        .iter()
                        .find(|x| x.str_field("slotName").as_deref() == Some(name))
                        .or_else(|| inputs.get(i).filter(|x| x.str_field("slotName").is_none()))
                        .and_then(|x| x.str_field("uploadUrl")),
                };
                url.ok_or_else(|| {
                    Error::invalid_response(
                        200,
                        cat!(
                            self.plan.create.route().name(),
                            " answered no upload URL for \"",
                            slot.name,
                            "\""
                        ),
                    )
                })
            })
            .collect()
    }

    fn advance(&mut self, json: Option<V>, env: &Env) -> Step<V> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Create(_) => {
                let Some(created) = json else {
                    return Step::Fail(Error::invalid_response(
                        200,
                        "the create request answered nothing",
                    ));
                };
                self.subject = match self.subject {
                    Subject::Job(_) => Subject::Job(job_id(&created).unwrap_or_default()),
                    Subject::Media(_) => {
                        Subject::Media(created.str_field("mid").unwrap_or_default())
                    }
                };
                self.urls = match self.upload_urls(&created) {
                    Ok(u) => u,
                    Err(e) => return Step::Fail(self.subject.tag(e)),
                };
                self.out.push(Step::Status(unwrap_job(&created)));
                self.created = Some(created);
                self.put_or_next(0);
            }
            Stage::Put(_, i) => {
                let end = self.bytes(i + 1);
                self.progress(i, end, true);
                self.put_or_next(i + 1);
            }
            Stage::Finalize(_) => {
                return match (json, self.created.take()) {
                    (Some(finalized), Some(created)) => Step::Done(Done::Submitted {
                        job_id: self.subject.id().to_string(),
                        created,
                        finalized,
                    }),
                    _ => Step::Fail(
                        self.subject
                            .tag(Error::invalid_response(200, "the finalize answer is empty")),
                    ),
                };
            }
            Stage::Finished => {}
        }
        match self.out.pop() {
            Some(s) => s,
            // Nothing to report first: the new stage starts now.
            None => self.next(Event::Go, env),
        }
    }
}

impl<V: Value> Op<V> for Submit<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        if let Some(s) = self.out.pop() {
            return s;
        }
        let outcome = match &mut self.stage {
            Stage::Create(x) | Stage::Put(x, _) => x.on(event, env),
            Stage::Finalize(f) => f.on(event, env),
            // Asked again after its end: nothing more to do (the driver never does).
            Stage::Finished => {
                return Step::Fail(Error::invalid_response(
                    0,
                    "the operation has already ended",
                ))
            }
        };
        match outcome {
            X::Step(s) => s,
            X::Ok(got) => self.advance(got.json, env),
            X::Err(e) => {
                let what = if self.plan.jobs() {
                    "submitJob"
                } else {
                    "the upload"
                };
                Step::Fail(
                    self.subject
                        .tag(at_deadline(e, &self.limits, env.now_ms, what)),
                )
            }
        }
    }
}

#[derive(Debug, Clone)]
enum RunStage<V> {
    Submit(Submit<V>),
    Wait(Wait<V>),
    Result(GetResult<V>, V),
}

/// `uploadAndPoll` and `runJob`: submit, wait, fetch the result.
#[derive(Debug, Clone)]
pub struct Run<V> {
    stage: RunStage<V>,
    schedule: PollSchedule,
}

impl<V: Value> Run<V> {
    /// `limits.deadline` bounds everything when the caller gave `timeoutMs`; without it, the
    /// uploads take as long as they take and the wait has its default.
    pub fn new(plan: Plan, schedule: PollSchedule, limits: Limits) -> Run<V> {
        Run {
            stage: RunStage::Submit(Submit::new(plan, limits)),
            schedule,
        }
    }

    fn wait(&mut self, subject: Subject, first: &V) {
        let RunStage::Submit(s) = &self.stage else {
            return;
        };
        let deadline = match (s.limits.deadline, &subject) {
            (Some(t), _) => Deadline::At(t),
            (None, Subject::Media(_)) => Deadline::media(None),
            (None, Subject::Job(_)) => Deadline::job(None, s.plan.task_id.clone()),
        };
        let status = match &subject {
            Subject::Media(_) => first.str_field("status"),
            Subject::Job(_) => job_status(first),
        };
        self.stage = RunStage::Wait(Wait::new(
            subject,
            self.schedule,
            deadline,
            s.limits,
            status,
        ));
    }
}

impl<V: Value> Op<V> for Run<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        let step = match &mut self.stage {
            RunStage::Submit(s) => s.next(event, env),
            RunStage::Wait(w) => w.next(event, env),
            RunStage::Result(r, _) => r.next(event, env),
        };
        let done = match step {
            Step::Done(d) => d,
            other => return other,
        };
        match (done, &self.stage) {
            (Done::Value(created), RunStage::Submit(_)) => {
                let mid = created.str_field("mid").unwrap_or_default();
                self.wait(Subject::Media(mid), &created);
            }
            (
                Done::Submitted {
                    job_id, created, ..
                },
                RunStage::Submit(_),
            ) => {
                self.wait(Subject::Job(job_id), &created);
            }
            (Done::Value(v), RunStage::Wait(w)) => {
                let subject = match w.subject() {
                    Subject::Media(_) => Subject::Media(v.str_field("mid").unwrap_or_default()),
                    Subject::Job(j) => Subject::Job(j.clone()),
                };
                let limits = w.limits;
                self.stage = RunStage::Result(GetResult::new(subject, Some(v.clone()), limits), v);
            }
            (Done::Value(result), RunStage::Result(r, v)) => {
                let v = v.clone();
                return Step::Done(match r.subject() {
                    Subject::Media(_) => Done::MediaResult { media: v, result },
                    Subject::Job(_) => Done::JobResult { job: v, result },
                });
            }
            (other, _) => return Step::Done(other),
        }
        self.next(Event::Go, env)
    }
}
