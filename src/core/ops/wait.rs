//! `waitForResult` and `waitForJob`: poll until the record or job is done, riding out transient
//! failures until the deadline.

use super::subject::Subject;
use super::{
    deadline_error, failure_error, Done, Env, Event, Exchange, Limits, Op, Queue, Step, X,
};
use crate::core::error::{Error, ErrorKind};
use crate::core::poll::{status_changed, Phase, PollSchedule, DEFAULT_WAIT_TIMEOUT_MS};
use crate::core::response::unwrap_job;
use crate::core::tasks::default_wait_ms;
use crate::core::text::decimal;
use crate::core::value::Value;

/// When a wait ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    /// At this time (milliseconds since the epoch).
    At(f64),
    /// This long after the wait starts.
    After(u64),
    /// The task's documented time-out plus a minute, after the wait starts. `None`: the task
    /// is read from the job's first answer.
    Task(Option<String>),
}

impl Deadline {
    /// `waitForResult(mid, { timeoutMs })`: 10 minutes by default.
    pub fn media(timeout_ms: Option<u64>) -> Deadline {
        Deadline::After(timeout_ms.unwrap_or(DEFAULT_WAIT_TIMEOUT_MS))
    }

    /// `waitForResult` / `waitForJob` with the caller's `timeoutMs`.
    pub fn default_for(subject: &Subject, timeout_ms: Option<u64>) -> Deadline {
        match subject {
            Subject::Media(_) => Deadline::media(timeout_ms),
            Subject::Job(_) => Deadline::job(timeout_ms, None),
        }
    }

    /// `waitForJob(jobId, { timeoutMs })`: by default the task's time-out plus a minute.
    pub fn job(timeout_ms: Option<u64>, task_id: Option<String>) -> Deadline {
        match timeout_ms {
            Some(ms) => Deadline::After(ms),
            None => Deadline::Task(task_id),
        }
    }
}

/// Polls until done.
#[derive(Debug, Clone)]
pub struct Wait<V> {
    subject: Subject,
    schedule: PollSchedule,
    deadline: Deadline,
    pub(crate) limits: Limits,
    started_at: Option<f64>,
    last_status: Option<String>,
    polls: u32,
    last_failure: Option<Error>,
    poll: Option<Exchange>,
    out: Queue<V>,
}

impl<V: Value> Wait<V> {
    /// `first_status`: a status already reported to `onStatus`.
    pub fn new(
        subject: Subject,
        schedule: PollSchedule,
        deadline: Deadline,
        limits: Limits,
        first_status: Option<String>,
    ) -> Wait<V> {
        Wait {
            subject,
            schedule,
            deadline,
            limits,
            started_at: None,
            last_status: first_status,
            polls: 0,
            last_failure: None,
            poll: None,
            out: Queue::new(),
        }
    }

    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    fn timed_out(&mut self) -> Step<V> {
        let what = match &self.subject {
            Subject::Media(_) => "processed",
            Subject::Job(_) => "finished",
        };
        let msg = cat!(
            self.subject.name(),
            " was not ",
            what,
            " before the deadline (last status: ",
            self.last_status.as_deref().unwrap_or("unknown"),
            "); ",
            self.subject.wait_again()
        );
        Step::Fail(
            self.subject
                .tag(deadline_error(msg, self.last_failure.take())),
        )
    }

    fn sleep(&mut self, retry_after_ms: Option<u64>, env: &Env) -> Step<V> {
        let remaining = self.limits.remaining(env.now_ms).unwrap_or(u64::MAX);
        let delay = self
            .schedule
            .delay_ms(self.polls, retry_after_ms, remaining, env.rand);
        self.polls += 1;
        Step::Sleep(delay)
    }

    /// A job waited for without `timeoutMs` and without a known task: its answer names the task.
    fn learn_task(&mut self, v: &V) {
        if let (Deadline::Task(None), Some(start)) = (&self.deadline, self.started_at) {
            let job = unwrap_job(v);
            let task = job
                .str_field("taskTypeId")
                .or_else(|| {
                    job.get("taskTypeId")
                        .and_then(|n| n.as_f64())
                        .map(|n| decimal(n as u64))
                })
                .or_else(|| job.get("taskType").and_then(|t| t.str_field("id")));
            if let Some(task) = task {
                self.limits.deadline = Some(start + default_wait_ms(Some(&task)) as f64);
                self.deadline = Deadline::Task(Some(task));
            }
        }
    }

    fn answered(&mut self, v: V, retry_after_ms: Option<u64>, env: &Env) -> Step<V> {
        self.last_failure = None;
        self.learn_task(&v);
        let status = self.subject.status(&v);
        if status_changed(self.last_status.as_deref(), &status) {
            self.out.push(Step::Status(v.clone()));
            self.last_status = Some(status.clone());
        }
        let last = match self.subject.phase(&status) {
            Phase::Processed => Step::Done(Done::Value(v)),
            Phase::Pending => self.sleep(retry_after_ms, env),
            ended => Step::Fail(self.subject.ended(ended, &status, &v)),
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
        if self.started_at.is_none() {
            self.started_at = Some(env.now_ms);
            let after = |ms: u64| env.now_ms + ms as f64;
            self.limits.deadline = Some(match &self.deadline {
                Deadline::At(t) => *t,
                Deadline::After(ms) => after(*ms),
                Deadline::Task(task) => after(default_wait_ms(task.as_deref())),
            });
        }
        let Some(x) = &mut self.poll else {
            // Between polls: the sleep ended or was aborted.
            if let Event::Failed(f) = event {
                return Step::Fail(self.subject.tag(failure_error(f, "the wait")));
            }
            if self.polls > 0 && self.limits.past_deadline(env.now_ms) {
                return self.timed_out();
            }
            self.poll = Some(Exchange::api(self.subject.get(), self.limits));
            return self.next(Event::Go, env);
        };
        match x.on(event, env) {
            X::Step(s) => s,
            X::Ok(got) => {
                self.poll = None;
                match got.json {
                    Some(v) => self.answered(v, got.retry_after_ms, env),
                    None => Step::Fail(
                        self.subject
                            .tag(Error::invalid_response(200, "the API answered no record")),
                    ),
                }
            }
            X::Err(e) => {
                self.poll = None;
                if !e.retryable || e.aborted {
                    return Step::Fail(self.subject.tag(e));
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
