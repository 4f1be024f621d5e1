//! `getResult` and `getJobResult`: the JSON behind the result's pre-signed URL (a job without a
//! result artifact: its inline `result`); an expired URL is refreshed once by fetching the
//! record or job again.

use super::subject::Subject;
use super::{at_deadline, Done, Env, Event, Exchange, Limits, Op, Step, Target, X};
use crate::core::error::{codes, Cause, Error, ErrorKind};
use crate::core::poll::Phase;
use crate::core::upload::check_signed_url;
use crate::core::value::Value;

/// Fetches the verdict.
#[derive(Debug, Clone)]
pub struct GetResult<V> {
    subject: Subject,
    record: Option<V>,
    pub(crate) limits: Limits,
    fetched: bool,
    refreshed: bool,
    x: Option<Exchange>,
    downloading: bool,
}

impl<V: Value> GetResult<V> {
    /// From a record or job in hand (`listMedia`'s, or one stored before a reload), or from its
    /// id alone (`record: None`). `subject` names it (its id may be empty for a record in hand
    /// without one).
    pub fn new(subject: Subject, record: Option<V>, limits: Limits) -> GetResult<V> {
        GetResult {
            subject,
            record,
            limits,
            fetched: false,
            refreshed: false,
            x: None,
            downloading: false,
        }
    }

    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    fn fetch(&mut self, env: &Env) -> Step<V> {
        self.fetched = true;
        self.downloading = false;
        self.x = Some(Exchange::api(self.subject.get(), self.limits));
        self.next(Event::Go, env)
    }

    /// With a record in hand: download its result, or say why not.
    fn with_record(&mut self, env: &Env) -> Step<V> {
        let record = self.record.clone();
        let url = record.as_ref().and_then(|r| self.subject.result_url(r));
        let Some(url) = url else {
            if let Some(inline) = record.as_ref().and_then(|r| self.subject.inline_result(r)) {
                return Step::Done(Done::Value(inline));
            }
            // A record passed in may lack a result that the API now has.
            if !self.fetched && !self.subject.id().is_empty() {
                return self.fetch(env);
            }
            // Nothing to download and nothing to fetch it by: the argument is not a record.
            if !self.fetched {
                return Step::Fail(Error::argument(match self.subject {
                    Subject::Media(_) => {
                        "getResult needs the record with its mid or resultURL, or the mid"
                    }
                    Subject::Job(_) => {
                        "getJobResult needs the job with its id or result, or the job id"
                    }
                }));
            }
            let status = record
                .as_ref()
                .map(|r| self.subject.status(r))
                .unwrap_or_default();
            let terminal = self.subject.phase(&status) != Phase::Pending;
            let wait = match self.subject {
                Subject::Media(_) => "waitForResult(mid)",
                Subject::Job(_) => "waitForJob(jobId)",
            };
            return Step::Fail(
                self.subject.tag(
                    Error::new(
                        ErrorKind::Processing,
                        codes::RESULT_NOT_READY,
                        cat!(
                            self.subject.name(),
                            " has no result yet (status ",
                            status,
                            "); wait with ",
                            wait,
                            " first"
                        ),
                    )
                    .retryable(!terminal),
                ),
            );
        };
        if let Err(e) = check_signed_url("the result URL", &url) {
            // A URL the API sent is its mistake; one the caller passed in, the caller's.
            let e = match self.fetched {
                true => Error::invalid_response(200, e.message.clone()),
                false => e,
            };
            return Step::Fail(self.subject.tag(e));
        }
        self.downloading = true;
        self.x = Some(Exchange::new(Target::Download(url), self.limits));
        self.next(Event::Go, env)
    }
}

impl<V: Value> Op<V> for GetResult<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        let Some(x) = &mut self.x else {
            return match self.record {
                Some(_) => self.with_record(env),
                None => self.fetch(env),
            };
        };
        match x.on(event, env) {
            X::Step(s) => s,
            X::Ok(got) if self.downloading => match got.json {
                Some(result) => Step::Done(Done::Value(result)),
                None => Step::Fail(
                    self.subject
                        .tag(Error::invalid_response(200, "the result file is empty")),
                ),
            },
            X::Ok(got) => {
                self.record = got.json;
                self.with_record(env)
            }
            // Pre-signed result URLs expire: fetch the record once more for a fresh one.
            X::Err(e)
                if self.downloading && e.kind == ErrorKind::Storage && e.status == Some(403) =>
            {
                if !self.refreshed && !self.subject.id().is_empty() {
                    self.refreshed = true;
                    return self.fetch(env);
                }
                let again = if self.refreshed {
                    " even after fetching it again"
                } else {
                    ""
                };
                let mut expired = Error::new(
                    ErrorKind::Storage,
                    codes::RESULT_URL_EXPIRED,
                    cat!(
                        "the result URL of ",
                        self.subject.name(),
                        " was refused (expired?)",
                        again,
                        "; try again later"
                    ),
                )
                .status(403);
                expired.s3_code = e.s3_code.clone();
                Step::Fail(self.subject.tag(expired.caused_by(Cause::Error(e))))
            }
            X::Err(e) => Step::Fail(self.subject.tag(at_deadline(
                e,
                &self.limits,
                env.now_ms,
                "fetching the result",
            ))),
        }
    }
}
