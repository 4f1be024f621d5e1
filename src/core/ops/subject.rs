//! What a wait or a result is about: a media record (Media API) or a job (Jobs API). The two
//! APIs share the machinery; this is where they differ.

use super::ApiCall;
use crate::core::error::{codes, Error, ErrorKind};
use crate::core::poll::{job_phase, phase, Phase};
use crate::core::response::{job_status, unwrap_job};
use crate::core::value::Value;

/// A media record's `mid`, or a job's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Media(String),
    Job(String),
}

impl Subject {
    pub fn id(&self) -> &str {
        match self {
            Subject::Media(id) | Subject::Job(id) => id,
        }
    }

    /// The request that fetches it afresh.
    pub(crate) fn get(&self) -> ApiCall {
        match self {
            Subject::Media(m) => ApiCall::GetMedia(m.clone()),
            Subject::Job(j) => ApiCall::GetJob(j.clone()),
        }
    }

    /// Marks an error as being about it (`mid` or `jobId`).
    pub fn tag(&self, e: Error) -> Error {
        match self {
            Subject::Media(m) => e.with_mid(m),
            Subject::Job(j) => e.with_job_id(j),
        }
    }

    pub fn status<V: Value>(&self, v: &V) -> String {
        match self {
            Subject::Media(_) => v.str_field("status"),
            Subject::Job(_) => job_status(v),
        }
        .unwrap_or_default()
    }

    pub fn phase(&self, status: &str) -> Phase {
        match self {
            Subject::Media(_) => phase(status),
            Subject::Job(_) => job_phase(status),
        }
    }

    /// `media 6b0d…` / `job 3140`.
    pub fn name(&self) -> String {
        match self {
            Subject::Media(m) => cat!("media ", m),
            Subject::Job(j) => cat!("job ", j),
        }
    }

    pub fn wait_again(&self) -> &'static str {
        match self {
            Subject::Media(_) => "call waitForResult(mid) again to keep waiting",
            Subject::Job(_) => "call waitForJob(jobId) again to keep waiting",
        }
    }

    /// The pre-signed URL of its result, when there is one: the record's `resultURL`, or the
    /// `downloadUrl` of the job's first artifact of kind `result`.
    pub fn result_url<V: Value>(&self, v: &V) -> Option<String> {
        let url = match self {
            Subject::Media(_) => v.str_field("resultURL"),
            Subject::Job(_) => unwrap_job(v)
                .get("artifacts")
                .and_then(|a| a.items())
                .unwrap_or_default()
                .iter()
                .find(|a| a.str_field("kind").as_deref() == Some("result"))
                .and_then(|a| a.str_field("downloadUrl")),
        };
        url.filter(|u| !u.is_empty())
    }

    /// A job's inline `result`, the fallback when it has no result artifact.
    pub fn inline_result<V: Value>(&self, v: &V) -> Option<V> {
        match self {
            Subject::Media(_) => None,
            Subject::Job(_) => v
                .present("result")
                .or_else(|| unwrap_job(v).present("result")),
        }
    }

    /// The error for a wait that ended on `status` (`Phase::Failed`, `Cancelled`, `NotFinalized`).
    pub fn ended<V: Value>(&self, p: Phase, status: &str, v: &V) -> Error {
        let why = ["errorMessage", "message", "error", "reason"]
            .iter()
            .find_map(|k| v.str_field(k).or_else(|| unwrap_job(v).str_field(k)))
            .map(|m| cat!(": ", m.chars().take(300).collect::<String>()))
            .unwrap_or_default();
        let (code, message) = match (self, p) {
            (_, Phase::Cancelled) => (
                codes::JOB_CANCELLED,
                cat!(self.name(), " was cancelled (status ", status, "); submit it again to analyse the file"),
            ),
            (_, Phase::NotFinalized) => (
                codes::JOB_NOT_FINALIZED,
                cat!(self.name(), " is still ", status, ": it was never finalized, so it will not be processed; call finalizeJob(jobId) once every input is uploaded"),
            ),
            (Subject::Media(_), _) => (
                codes::PROCESSING_FAILED,
                cat!("Authenta could not process ", self.name(), " (status ", status, ")", why, "; upload the file again or contact support with the mid"),
            ),
            (Subject::Job(_), _) => (
                codes::PROCESSING_FAILED,
                cat!("Authenta could not process ", self.name(), " (status ", status, ")", why, "; submit the job again or contact support with the job id"),
            ),
        };
        self.tag(Error::new(ErrorKind::Processing, code, message))
    }
}
