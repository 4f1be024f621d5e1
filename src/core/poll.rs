//! The polling schedule and the meaning of a media status.

pub const DEFAULT_POLL_INTERVAL_MS: u64 = 1_000;
pub const DEFAULT_MAX_POLL_INTERVAL_MS: u64 = 8_000;
pub const DEFAULT_WAIT_TIMEOUT_MS: u64 = 10 * 60_000;
/// Growth of the interval between polls.
const GROWTH: f64 = 1.5;

/// Where polling stands, from a record's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Processed,
    Failed,
    /// A job that was cancelled.
    Cancelled,
    /// A job still waiting for its `finalize`: it will never progress by itself.
    NotFinalized,
    /// Anything else, unknown values included: not finished yet.
    Pending,
}

/// Compares case-insensitively: some deployments send `processed`, `failed`.
pub fn phase(status: &str) -> Phase {
    let s = status.trim();
    if s.eq_ignore_ascii_case("PROCESSED") {
        Phase::Processed
    } else if s.eq_ignore_ascii_case("FAILED") || s.eq_ignore_ascii_case("ERROR") {
        Phase::Failed
    } else {
        Phase::Pending
    }
}

/// A job's status (the Media API's terminal spellings included), compared case-insensitively.
pub fn job_phase(status: &str) -> Phase {
    let s = status.trim();
    let is = |w: &str| s.eq_ignore_ascii_case(w);
    if is("completed") || is("processed") {
        Phase::Processed
    } else if is("failed") || is("error") {
        Phase::Failed
    } else if is("cancelled") || is("canceled") {
        Phase::Cancelled
    } else if is("initiated") || is("created") || is("waiting_for_finalize") {
        Phase::NotFinalized
    } else {
        Phase::Pending
    }
}

/// Whether `onStatus` should fire: for the first status and for every change, ignoring case.
pub fn status_changed(previous: Option<&str>, current: &str) -> bool {
    previous.is_none_or(|p| !p.trim().eq_ignore_ascii_case(current.trim()))
}

/// The back-off between polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
    pub interval_ms: u64,
    pub max_interval_ms: u64,
}

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            interval_ms: DEFAULT_POLL_INTERVAL_MS,
            max_interval_ms: DEFAULT_MAX_POLL_INTERVAL_MS,
        }
    }
}

impl PollSchedule {
    /// From `pollIntervalMs` and `maxPollIntervalMs`, checked; the cap is never below the start.
    pub fn from_options(
        interval_ms: Option<f64>,
        max_interval_ms: Option<f64>,
    ) -> Result<PollSchedule, crate::core::error::Error> {
        use crate::core::config::check_timeout;
        use crate::core::error::Error;
        let mut s = PollSchedule::default();
        if let Some(v) = interval_ms {
            s.interval_ms = check_timeout("pollIntervalMs", v).map_err(Error::argument)?;
        }
        if let Some(v) = max_interval_ms {
            s.max_interval_ms = check_timeout("maxPollIntervalMs", v).map_err(Error::argument)?;
        }
        s.max_interval_ms = s.max_interval_ms.max(s.interval_ms);
        Ok(s)
    }

    /// The wait before poll number `n + 1` (after `n` polls that found the record pending):
    /// `interval × 1.5ⁿ`, capped, with ±10 % jitter (never above the cap). A `Retry-After`
    /// on the last answer wins. Never past the deadline (`remaining_ms`).
    pub fn delay_ms(
        &self,
        n: u32,
        retry_after_ms: Option<u64>,
        remaining_ms: u64,
        rand: f64,
    ) -> u64 {
        let delay = match retry_after_ms {
            Some(wait) => wait,
            None => {
                let grown = self.interval_ms as f64 * GROWTH.powi(n.min(64) as i32);
                let capped = grown.min(self.max_interval_ms as f64);
                let jittered = capped * (0.9 + 0.2 * rand.clamp(0.0, 1.0));
                jittered.min(self.max_interval_ms as f64) as u64
            }
        };
        delay.min(remaining_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_ignore_case_and_tolerate_unknowns() {
        assert_eq!(phase("PROCESSED"), Phase::Processed);
        assert_eq!(phase("processed"), Phase::Processed);
        assert_eq!(phase("FAILED"), Phase::Failed);
        assert_eq!(phase("error"), Phase::Failed);
        for s in [
            "INITED",
            "UPLOADED",
            "PROCESSING",
            "queued",
            "pending",
            "SOMETHING_NEW",
            "",
        ] {
            assert_eq!(phase(s), Phase::Pending, "{s}");
        }
    }

    #[test]
    fn job_phases() {
        for (s, p) in [
            ("completed", Phase::Processed),
            ("COMPLETED", Phase::Processed),
            ("processed", Phase::Processed),
            ("failed", Phase::Failed),
            ("Error", Phase::Failed),
            ("cancelled", Phase::Cancelled),
            ("initiated", Phase::NotFinalized),
            ("created", Phase::NotFinalized),
            ("waiting_for_finalize", Phase::NotFinalized),
            ("queued", Phase::Pending),
            ("processing", Phase::Pending),
            ("something_new", Phase::Pending),
        ] {
            assert_eq!(job_phase(s), p, "{s}");
        }
    }

    #[test]
    fn on_status_fires_on_changes_only() {
        assert!(status_changed(None, "INITED"));
        assert!(!status_changed(Some("INITED"), "inited"));
        assert!(status_changed(Some("INITED"), "UPLOADED"));
    }

    #[test]
    fn schedule_grows_to_the_cap() {
        let s = PollSchedule::default();
        let mid = 0.5; // no jitter at the midpoint
        let delays: Vec<u64> = (0..8).map(|n| s.delay_ms(n, None, u64::MAX, mid)).collect();
        assert_eq!(delays, vec![1000, 1500, 2250, 3375, 5062, 7593, 8000, 8000]);
        for r in [0.0, 0.99] {
            let d = s.delay_ms(0, None, u64::MAX, r);
            assert!((900..=1100).contains(&d), "{d}");
            assert!(s.delay_ms(30, None, u64::MAX, r) <= 8000);
        }
    }

    #[test]
    fn retry_after_and_deadline() {
        let s = PollSchedule {
            interval_ms: 200,
            max_interval_ms: 400,
        };
        assert_eq!(s.delay_ms(0, Some(5000), u64::MAX, 0.5), 5000);
        assert_eq!(s.delay_ms(0, Some(5000), 1200, 0.5), 1200);
        assert_eq!(s.delay_ms(5, None, 100, 0.5), 100);
    }
}
