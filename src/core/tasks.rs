//! The Jobs API's task types (`API-NOTES.md`, "Model codes and task types"): the one table the
//! SDK reads (runtime.js's `TASK_TYPES` export is checked against it by tests/js).

use crate::core::error::Error;

/// One documented task type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskType {
    pub id: &'static str,
    pub code: &'static str,
    pub slug: &'static str,
    /// The documented processing time-out, in seconds.
    pub timeout_s: u64,
}

/// The eleven documented tasks.
pub const TASK_TYPES: [TaskType; 11] = [
    task("1", "AC-1", "ai-image-detection", 300),
    task("2", "AF-1", "ai-audio-detection", 600),
    task("3", "VF-1", "ai-video-detection", 600),
    task("4", "DF-1", "faceswap-detection", 1800),
    task("5", "FD-1", "image-forgery-detection", 300),
    task("6", "DI-1", "document-intelligence", 300),
    task("7", "FL-1", "face-liveness-detection", 600),
    task("8", "FI-1", "face-intelligence", 600),
    task("9", "FE-1", "face-embedding", 600),
    task("10", "AS-1", "audio-splitter", 600),
    task("11", "ED-1", "ekyc-deepfake", 600),
];

const fn task(
    id: &'static str,
    code: &'static str,
    slug: &'static str,
    timeout_s: u64,
) -> TaskType {
    TaskType {
        id,
        code,
        slug,
        timeout_s,
    }
}

/// The face-intelligence task, whose parameters the SDK checks.
pub const FI1_ID: &str = "8";

/// Waiting for a task the SDK does not know: 30 minutes.
pub const UNKNOWN_TASK_WAIT_MS: u64 = 30 * 60_000;

/// A `taskType` as given (an id, a slug or a model code, any case) to the id sent in the body.
/// An id the SDK does not know is sent as it is; an unknown slug or code is a caller mistake.
pub fn task_id(given: &str) -> Result<String, Error> {
    let g = given.trim();
    if let Some(n) = crate::core::retry::small_int(g) {
        return Ok(crate::core::text::decimal(n as u64));
    }
    TASK_TYPES
        .iter()
        .find(|t| t.slug.eq_ignore_ascii_case(g) || t.code.eq_ignore_ascii_case(g))
        .map(|t| t.id.to_string())
        .ok_or_else(|| {
            Error::argument(cat!("taskType \"", given, "\" is not a task id, slug or model code the SDK knows (\"AC-1\", \"DF-1\", \"face-intelligence\", 4, …); see TASK_TYPES"))
        })
}

/// The task of an id, when documented.
pub fn by_id(id: &str) -> Option<&'static TaskType> {
    TASK_TYPES.iter().find(|t| t.id == id)
}

/// How long `waitForJob` waits by default: the task's documented time-out plus a minute.
pub fn default_wait_ms(id: Option<&str>) -> u64 {
    id.and_then(by_id)
        .map_or(UNKNOWN_TASK_WAIT_MS, |t| (t.timeout_s + 60) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_slugs_and_codes_any_case() {
        for given in [
            "4",
            "04",
            "DF-1",
            "df-1",
            "faceswap-detection",
            "FaceSwap-Detection",
            " 4 ",
        ] {
            assert_eq!(task_id(given).unwrap(), "4", "{given}");
        }
        assert_eq!(
            task_id("13").unwrap(),
            "13",
            "an id the SDK does not know is sent as it is"
        );
        for bad in ["XX-9", "", "deepfake", "4.5", "-1"] {
            assert_eq!(task_id(bad).unwrap_err().code, "INVALID_ARGUMENT", "{bad}");
        }
    }

    #[test]
    fn default_deadlines() {
        assert_eq!(default_wait_ms(Some("4")), 1_860_000);
        assert_eq!(default_wait_ms(Some("1")), 360_000);
        assert_eq!(default_wait_ms(Some("99")), 1_800_000);
        assert_eq!(default_wait_ms(None), 1_800_000);
    }
}
