//! Small helpers: time formatting, percent-encoding, ids, response builders.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{HeaderMap, Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub type Resp = Response<Full<Bytes>>;

/// Milliseconds since the Unix epoch (0 if the clock is before 1970, which never matters here).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub fn now_secs() -> i64 {
    now_ms() / 1000
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's civil_from_days.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, m as u32, d as u32)
}

/// (year, month, day) → days since 1970-01-01; Howard Hinnant's days_from_civil.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

struct Parts {
    y: i64,
    mo: u32,
    d: u32,
    h: i64,
    mi: i64,
    s: i64,
    ms: i64,
}

fn split(ms: i64) -> Parts {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    Parts {
        y,
        mo,
        d,
        h: rem / 3600,
        mi: (rem % 3600) / 60,
        s: rem % 60,
        ms: ms.rem_euclid(1000),
    }
}

/// `2025-12-02T19:39:27.525Z`, as the platform's `createdAt`.
pub fn iso8601(ms: i64) -> String {
    let p = split(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.y, p.mo, p.d, p.h, p.mi, p.s, p.ms
    )
}

/// `20251202T193927Z`, as S3's `X-Amz-Date`.
pub fn amz_date(secs: i64) -> String {
    let p = split(secs.saturating_mul(1000));
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        p.y, p.mo, p.d, p.h, p.mi, p.s
    )
}

/// Parses `YYYYMMDDTHHMMSSZ` into Unix seconds; `None` for anything else.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(y, u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
    Some(days * 86_400 + h * 3600 + mi * 60 + sec)
}

/// Percent-decodes; `plus_is_space` for query strings. Invalid escapes are kept literally,
/// invalid UTF-8 is replaced, as lenient servers do.
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hi = b.get(i + 1).and_then(|x| (*x as char).to_digit(16));
            let lo = b.get(i + 2).and_then(|x| (*x as char).to_digit(16));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
            out.push(c);
        } else if c == b'+' && plus_is_space {
            out.push(b' ');
        } else {
            out.push(c);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// AWS SigV4 URI encoding: everything but unreserved characters as upper-case `%XX`.
pub fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Splits a raw query string into decoded pairs, in order.
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let Some(raw) = raw else { return Vec::new() };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// A source of unpredictable ids that cannot fail after start-up: SHA-256 over a random seed
/// and a counter.
pub struct Ids {
    seed: [u8; 32],
    counter: AtomicU64,
}

impl Ids {
    pub fn new() -> std::io::Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Ids {
            seed,
            counter: AtomicU64::new(0),
        })
    }

    pub fn next_bytes(&self) -> [u8; 32] {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(n.to_be_bytes());
        h.finalize().into()
    }

    pub fn hex(&self, chars: usize) -> String {
        let mut s = String::new();
        while s.len() < chars {
            s.push_str(&hex::encode(self.next_bytes()));
        }
        s.truncate(chars);
        s
    }

    /// A MongoDB-ObjectId-like 24-hex id: 4 bytes of time, 8 random bytes.
    pub fn object_id(&self) -> String {
        let t = u32::try_from(now_secs()).unwrap_or(u32::MAX);
        format!("{}{}", hex::encode(t.to_be_bytes()), self.hex(16))
    }
}

pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Sets a header if the value is a legal header value; silently skips otherwise (values we
/// echo come from the client and could be anything).
pub fn set_header(resp: &mut Resp, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

pub fn response(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Resp {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = status;
    if !content_type.is_empty() {
        set_header(&mut resp, CONTENT_TYPE, content_type);
    }
    resp
}

pub fn json_response(status: StatusCode, value: &Value) -> Resp {
    response(
        status,
        "application/json; charset=utf-8",
        value.to_string().into_bytes(),
    )
}

/// The newer error shape: `{code, statusCode, message}`.
pub fn api_error(status: StatusCode, code: &str, message: &str) -> Resp {
    json_response(
        status,
        &json!({"code": code, "statusCode": status.as_u16(), "message": message}),
    )
}

/// The legacy (`x-client-id`) error shape: `{code, type, message}`.
pub fn legacy_error(status: StatusCode, code: &str, kind: &str, message: &str) -> Resp {
    json_response(
        status,
        &json!({"code": code, "type": kind, "message": message}),
    )
}

/// Equality whose time does not depend on where the inputs differ (secrets, signatures).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_764_704_367_525), "2025-12-02T19:39:27.525Z");
        assert_eq!(amz_date(1_764_704_367), "20251202T193927Z");
        assert_eq!(parse_amz_date("20251202T193927Z"), Some(1_764_704_367));
        assert_eq!(parse_amz_date("2025120xT193927Z"), None);
        assert_eq!(parse_amz_date("20251302T193927Z"), None);
        for t in [0i64, 951_782_400, 1_709_164_800, 4_102_444_799] {
            assert_eq!(parse_amz_date(&amz_date(t)), Some(t));
        }
    }

    #[test]
    fn encoding() {
        assert_eq!(uri_encode("a/b c;d~"), "a%2Fb%20c%3Bd~");
        assert_eq!(percent_decode("a%2Fb+c%zz", true), "a/b c%zz");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(
            parse_query(Some("a=1&b=x%20y&c")),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into())
            ]
        );
    }

    #[test]
    fn ids() {
        let ids = Ids::new().unwrap();
        let a = ids.object_id();
        let b = ids.object_id();
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }
}
