//! The little URL handling the client needs, without pulling `url` and `idna` into the wasm.

use crate::core::error::Error;

/// The parts of an absolute http(s) URL that the client checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub https: bool,
    /// Lower-cased; IPv6 literals keep their brackets.
    pub host: String,
    pub has_query: bool,
    pub has_fragment: bool,
}

/// Parses an absolute `http:` or `https:` URL; `Err` says what is wrong with it.
pub fn parse_http_url(s: &str) -> Result<HttpUrl, &'static str> {
    let sep = crate::core::text::find(s, "://").ok_or("it is not an absolute URL")?;
    let (scheme, rest) = (s.get(..sep).unwrap_or(""), s.get(sep + 3..).unwrap_or(""));
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err("only http: and https: URLs are supported"),
    };
    if s.chars().any(|c| c.is_control() || c == ' ') {
        return Err("it contains spaces or control characters");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or("");
    if authority.contains('@') {
        return Err("credentials in the URL are not allowed");
    }
    let host = if authority.starts_with('[') {
        let close = authority.find(']').ok_or("its IPv6 host is not closed")?;
        let (host, port) = (
            authority.get(..=close).unwrap_or(""),
            authority.get(close + 1..).unwrap_or(""),
        );
        check_port(port)?;
        host
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if let Some(p) = port {
            check_port(&cat!(":", p))?;
        }
        host
    };
    if host.is_empty() || host == "[]" {
        return Err("it has no host");
    }
    let tail = rest.get(authority_end..).unwrap_or("");
    Ok(HttpUrl {
        https,
        host: host.to_ascii_lowercase(),
        has_query: tail.contains('?'),
        has_fragment: tail.contains('#'),
    })
}

fn check_port(port: &str) -> Result<(), &'static str> {
    match port.strip_prefix(':') {
        None if port.is_empty() => Ok(()),
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            match crate::core::retry::small_int(p) {
                Some(n) if n <= 65535 => Ok(()),
                _ => Err("its port is out of range"),
            }
        }
        _ => Err("its port is not a number"),
    }
}

/// Hosts where plain `http:` is acceptable: nothing crosses a network.
pub fn is_loopback_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The URL without its query and fragment: safe to show (pre-signed URLs keep their
/// credentials in the query).
pub fn without_query(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url.get(..end).unwrap_or(url)
}

/// Percent-encodes `s` as one path segment: everything but RFC 3986's unreserved characters.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(hex_upper(b >> 4));
            out.push(hex_upper(b & 0xF));
        }
    }
    out
}

fn hex_upper(n: u8) -> char {
    char::from_digit(u32::from(n), 16)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('0')
}

/// Checks a `mid` and returns it encoded as one path segment.
///
/// `mid`s are opaque, so anything printable is encoded rather than refused, except what could
/// make the request address another resource: path separators, `?`, `#`, dot segments, and
/// control characters.
pub fn mid_segment(mid: &str) -> Result<String, Error> {
    id_segment(
        mid,
        "mid",
        "pass the `mid` of a media record as createMedia() or listMedia() returned it",
    )
}

/// Checks a job id and returns it encoded as one path segment (the rules of `mid_segment`).
pub fn job_segment(id: &str) -> Result<String, Error> {
    id_segment(
        id,
        "jobId",
        "pass the job id as createJob(), submitJob() or listJobs() returned it",
    )
}

fn id_segment(mid: &str, name: &str, advice: &str) -> Result<String, Error> {
    let what = if mid.is_empty() {
        Some("is empty")
    } else if mid.contains(['/', '\\']) {
        Some("contains a slash")
    } else if mid.contains(['?', '#']) {
        Some("contains ? or #")
    } else if mid == "." || mid == ".." {
        Some("is a dot segment")
    } else if mid.chars().any(char::is_control) {
        Some("contains control characters")
    } else if mid.len() > 1024 {
        Some("is longer than 1024 bytes")
    } else {
        None
    };
    match what {
        Some(why) => Err(Error::argument(cat!(name, " ", why, "; ", advice))),
        None => Ok(encode_segment(mid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_urls() {
        let u = parse_http_url("https://platform.authenta.ai/api").unwrap();
        assert!(u.https && u.host == "platform.authenta.ai" && !u.has_query);
        let u = parse_http_url("HTTP://LocalHost:8787/api?x=1#f").unwrap();
        assert!(!u.https && u.host == "localhost" && u.has_query && u.has_fragment);
        assert_eq!(parse_http_url("http://[::1]:80/").unwrap().host, "[::1]");
        assert_eq!(
            parse_http_url("http://127.0.0.1:65535").unwrap().host,
            "127.0.0.1"
        );
    }

    #[test]
    fn refuses_bad_urls() {
        for bad in [
            "platform.authenta.ai/api",
            "/api",
            "ftp://x/api",
            "javascript://x",
            "https://",
            "https:///path",
            "https://user:pw@host/api",
            "https://host:99999/",
            "https://host:abc/",
            "https://ho st/",
            "https://[::1/",
            "https://host/\n",
        ] {
            assert!(parse_http_url(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn strips_queries_for_display() {
        assert_eq!(
            without_query("https://s3/b/k?X-Amz-Signature=abc#frag"),
            "https://s3/b/k"
        );
        assert_eq!(without_query("https://s3/b/k"), "https://s3/b/k");
    }

    #[test]
    fn mid_is_one_encoded_segment() {
        assert_eq!(
            mid_segment("692f406f9f68d4b70080bb80").unwrap(),
            "692f406f9f68d4b70080bb80"
        );
        assert_eq!(mid_segment("%2e%2e").unwrap(), "%252e%252e");
        assert_eq!(mid_segment("a b+c").unwrap(), "a%20b%2Bc");
        assert_eq!(mid_segment("...").unwrap(), "...");
        assert_eq!(mid_segment("é😀").unwrap(), "%C3%A9%F0%9F%98%80");
        assert_eq!(mid_segment("a;b=c&d").unwrap(), "a%3Bb%3Dc%26d");
    }

    #[test]
    fn mid_refusals() {
        for bad in [
            "", "/", "../etc", "a/b", "a\\b", "a?b", "a#b", ".", "..", "a\u{0}b", "a\nb",
        ] {
            let e = mid_segment(bad).unwrap_err();
            assert_eq!(e.code, "INVALID_ARGUMENT", "{bad:?}");
            assert!(!e.retryable);
        }
        assert!(mid_segment(&"x".repeat(1025)).is_err());
    }
}
