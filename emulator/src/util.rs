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

/// `2025-12-02T19:39:27.525Z`, as the platform's `createdAt`. Outside jiff's range (about
/// years -9999..=9999) the nearest end of it.
pub fn iso8601(ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    });
    // RFC 3339 in UTC (`Z`), with exactly three fractional digits.
    format!("{t:.3}")
}

/// S3's `X-Amz-Date`: `YYYYMMDDTHHMMSSZ`.
const AMZ_DATE: &str = "%Y%m%dT%H%M%SZ";

/// `20251202T193927Z`, as S3's `X-Amz-Date`.
pub fn amz_date(secs: i64) -> String {
    let t = jiff::Timestamp::from_second(secs).unwrap_or(if secs < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    });
    jiff::fmt::strtime::format(AMZ_DATE, t).unwrap_or_default()
}

/// Parses `YYYYMMDDTHHMMSSZ` into Unix seconds; `None` for anything else.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    // Exactly 16 digits, `T` and `Z`: strtime's `%Y` would also take a sign.
    if s.len() != 16
        || !s
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'T' || c == b'Z')
    {
        return None;
    }
    let dt = jiff::fmt::strtime::parse(AMZ_DATE, s)
        .ok()?
        .to_datetime()
        .ok()?;
    Some(jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()?.as_second())
}

/// Percent-decodes a path segment (`+` stays `+`). Invalid escapes are kept literally,
/// invalid UTF-8 is replaced, as lenient servers do.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// What SigV4 leaves as it is: the unreserved characters `A-Z a-z 0-9 - _ . ~`.
const SIGV4_ENCODE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// AWS SigV4 URI encoding: everything but unreserved characters as upper-case `%XX`.
pub fn uri_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SIGV4_ENCODE).to_string()
}

/// Splits a raw query string into decoded pairs, in order (`application/x-www-form-urlencoded`:
/// `+` is a space, empty pieces are skipped, a piece without `=` has an empty value).
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let Some(raw) = raw else { return Vec::new() };
    form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
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
    fn iso8601_has_three_fractional_digits_in_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_764_704_367_525), "2025-12-02T19:39:27.525Z");
        assert_eq!(iso8601(1_764_704_367_000), "2025-12-02T19:39:27.000Z");
        assert_eq!(iso8601(951_782_400_007), "2000-02-29T00:00:00.007Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59.999Z");
        // Beyond jiff's range: its ends (they leave room for any UTC offset), not a panic.
        assert_eq!(iso8601(i64::MAX), "9999-12-30T22:00:00.999Z");
        assert_eq!(iso8601(i64::MIN), "-009999-01-02T01:59:59.000Z");
    }

    #[test]
    fn amz_dates() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(1_764_704_367), "20251202T193927Z");
        assert_eq!(amz_date(951_782_400), "20000229T000000Z");
        assert_eq!(amz_date(4_102_444_799), "20991231T235959Z");
        assert_eq!(parse_amz_date("20251202T193927Z"), Some(1_764_704_367));
        assert_eq!(parse_amz_date("20000229T000000Z"), Some(951_782_400));
        assert_eq!(parse_amz_date("19700101T000000Z"), Some(0));
        // A leap second is read as :59, as jiff reads one.
        assert_eq!(parse_amz_date("20251231T235960Z"), Some(1_767_225_599));
        for bad in [
            "2025120xT193927Z",
            "20251302T193927Z",
            "20251202T243927Z",
            "20251202T196027Z",
            "20251202 193927Z",
            "20251202T193927",
            "20251202T193927Z ",
            "020251202T19392Z",
            "2025-12-02T19:39",
            "+0251202T193927Z",
            // Not a day of the calendar.
            "20250230T000000Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
        for t in [0i64, 951_782_400, 1_709_164_800, 4_102_444_799] {
            assert_eq!(parse_amz_date(&amz_date(t)), Some(t));
        }
    }

    #[test]
    fn encoding() {
        assert_eq!(uri_encode("a/b c;d~"), "a%2Fb%20c%3Bd~");
        assert_eq!(uri_encode("AZaz09-_.~+=&é"), "AZaz09-_.~%2B%3D%26%C3%A9");
        // A path keeps `+`; a bad escape stays as it is; bad UTF-8 becomes U+FFFD.
        assert_eq!(percent_decode("a%2Fb+c%zz%4"), "a/b+c%zz%4");
        assert_eq!(percent_decode("%C3%A9%ff"), "\u{e9}\u{fffd}");
        assert_eq!(
            parse_query(Some("a=1&b=x%20y&c&&d=e=f&p=1+2%2B3&k%26=%zz&")),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into()),
                ("d".into(), "e=f".into()),
                ("p".into(), "1 2+3".into()),
                ("k&".into(), "%zz".into()),
            ]
        );
        assert_eq!(parse_query(None), vec![]);
        assert_eq!(parse_query(Some("")), vec![]);
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
