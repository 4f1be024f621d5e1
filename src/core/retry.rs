//! Which failures are tried again, and after how long.

use crate::core::error::Error;

/// First back-off, doubled on each retry.
pub const BASE_DELAY_MS: u64 = 500;
/// Longest back-off between two attempts.
pub const MAX_DELAY_MS: u64 = 8_000;
/// A `Retry-After` longer than this, with no operation deadline, is not waited for: the error
/// goes to the caller, who knows better than to block a UI for minutes.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Whether to try again after `err`, and how long to wait first.
///
/// `retries_done` counts retries already made; `remaining_ms` is what is left of the operation's
/// deadline, if it has one; `rand` is uniform in `[0, 1)` for jitter.
pub fn retry_delay(
    err: &Error,
    retries_done: u32,
    max_retries: u32,
    remaining_ms: Option<u64>,
    rand: f64,
) -> Option<u64> {
    if !err.retryable || retries_done >= max_retries {
        return None;
    }
    let delay = match err.retry_after_ms {
        Some(wait) => wait,
        None => backoff_ms(retries_done, rand),
    };
    let limit = remaining_ms.unwrap_or(MAX_RETRY_AFTER_MS);
    // A wait that would end past the deadline cannot lead to success: fail now.
    if delay >= limit {
        return None;
    }
    Some(delay)
}

/// Exponential back-off with jitter: 500 ms, 1 s, 2 s, … up to 8 s, each reduced by up to 25 %
/// at random so that many clients failing together do not retry together.
pub fn backoff_ms(retries_done: u32, rand: f64) -> u64 {
    let exp = BASE_DELAY_MS.saturating_mul(1u64 << retries_done.min(16));
    let capped = exp.min(MAX_DELAY_MS) as f64;
    (capped * (1.0 - 0.25 * rand.clamp(0.0, 1.0))) as u64
}

/// `Retry-After` in milliseconds from now: delta-seconds or an HTTP date (IMF-fixdate, RFC 850
/// or asctime). Unparseable or negative values are ignored.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() || v.len() > 64 {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs = crate::core::json::parse_decimal(v)?;
        return (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).min(1e12) as u64);
    }
    let at = parse_http_date(v)?;
    Some((at - now_ms).max(0.0) as u64)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An HTTP date in milliseconds since the epoch.
pub fn parse_http_date(v: &str) -> Option<f64> {
    let mut month = None;
    let mut numbers = Vec::new();
    let mut time = None;
    for tok in v.split([' ', ',', '-']).filter(|t| !t.is_empty()) {
        if tok.contains(':') {
            time = Some(tok);
        } else if let Some(m) = MONTHS
            .iter()
            .position(|m| tok.len() == 3 && tok.eq_ignore_ascii_case(m))
        {
            month = Some(m as u32 + 1);
        } else if tok.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push(small_int(tok)?);
        }
    }
    let (day, year) = match numbers.as_slice() {
        [d, y] => (*d, *y),
        _ => return None,
    };
    let year = match year {
        0..=69 => year + 2000,
        70..=99 => year + 1900,
        _ => year,
    };
    let mut hms = time?.split(':').map(small_int);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let month = month?;
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || !(1970..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// A whole number of at most 9 digits (dates and ports; no `str::parse` in the wasm).
pub fn small_int(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0')))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    fn e(retryable: bool) -> Error {
        Error::new(ErrorKind::Server, "SERVER_ERROR", "x").retryable(retryable)
    }

    #[test]
    fn retries_only_retryable_and_only_max_times() {
        assert!(retry_delay(&e(true), 0, 2, None, 0.0).is_some());
        assert!(retry_delay(&e(true), 1, 2, None, 0.0).is_some());
        assert_eq!(retry_delay(&e(true), 2, 2, None, 0.0), None);
        assert_eq!(retry_delay(&e(false), 0, 2, None, 0.0), None);
        assert_eq!(retry_delay(&e(true), 0, 0, None, 0.0), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        assert_eq!(backoff_ms(0, 0.0), 500);
        assert_eq!(backoff_ms(1, 0.0), 1000);
        assert_eq!(backoff_ms(2, 0.0), 2000);
        assert_eq!(backoff_ms(10, 0.0), 8000);
        assert_eq!(backoff_ms(40, 0.0), 8000);
        assert_eq!(backoff_ms(0, 0.999_999), 375);
        for r in [0.0, 0.3, 0.7, 0.99] {
            let d = backoff_ms(3, r);
            assert!((3000..=4000).contains(&d), "{d}");
        }
    }

    #[test]
    fn retry_after_wins_within_the_deadline() {
        let mut err = e(true);
        err.retry_after_ms = Some(2000);
        assert_eq!(retry_delay(&err, 0, 2, None, 0.5), Some(2000));
        assert_eq!(retry_delay(&err, 0, 2, Some(10_000), 0.5), Some(2000));
        assert_eq!(
            retry_delay(&err, 0, 2, Some(1_500), 0.5),
            None,
            "past the deadline"
        );
        err.retry_after_ms = Some(120_000);
        assert_eq!(
            retry_delay(&err, 0, 2, None, 0.5),
            None,
            "too long without a deadline"
        );
        err.retry_after_ms = Some(0);
        assert_eq!(retry_delay(&err, 0, 2, None, 0.5), Some(0));
    }

    #[test]
    fn retry_after_formats() {
        let now = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777_000.0);
        assert_eq!(parse_retry_after("120", now), Some(120_000));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(1_500));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(10_000)
        );
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now),
            Some(10_000)
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:47 1994", now),
            Some(10_000)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(0),
            "in the past"
        );
        for bad in [
            "",
            "-1",
            "soon",
            "NaN",
            "inf",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "06 Nov 1994",
            "Sun, 36 Nov 1994 08:49:37 GMT",
            "99:99:99 Nov 6 1994",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            parse_http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
            Some(1_582_977_600_000.0)
        );
    }
}
