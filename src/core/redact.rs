//! Keeping secrets out of everything a caller can print.

use crate::core::text;

/// Query parameters of a pre-signed URL that grant access: their values never leave the SDK.
const SIGNED_PARAMS: [&str; 3] = [
    "x-amz-signature=",
    "x-amz-credential=",
    "x-amz-security-token=",
];

/// The replacement text.
pub const REDACTED: &str = "[REDACTED]";

/// Removes each secret, each pre-signed URL's signing values and each `Bearer` token from `text`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text::contains(&out, secret) {
            out = text::replace(&out, secret, REDACTED);
        }
    }
    for param in SIGNED_PARAMS {
        out = redact_values_after(&out, param, |c| c == '&' || c == '#' || is_delim(c));
    }
    redact_values_after(&out, "bearer ", is_delim)
}

fn is_delim(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ',' | ';' | ')')
}

/// Replaces the value after each (ASCII case-insensitive) occurrence of `marker`.
fn redact_values_after(text: &str, marker: &str, ends: impl Fn(char) -> bool) -> String {
    let lower = text.to_ascii_lowercase(); // same byte offsets: ASCII-only lowering
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(found) = text::find_from(&lower, marker, pos) {
        let value_start = found + marker.len();
        let value_len = text
            .get(value_start..)
            .map(|rest| rest.find(&ends).unwrap_or(rest.len()))
            .unwrap_or(0);
        out.push_str(text.get(pos..value_start).unwrap_or(""));
        if value_len > 0 {
            out.push_str(REDACTED);
        }
        pos = value_start + value_len;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_keys_and_secrets() {
        let msg = redact(
            "key api_live_123 and secret s3cr3t!, again api_live_123",
            &["api_live_123", "s3cr3t!", ""],
        );
        assert!(
            !msg.contains("api_live_123") && !msg.contains("s3cr3t!"),
            "{msg}"
        );
        assert_eq!(msg.matches(REDACTED).count(), 3);
    }

    #[test]
    fn removes_presigned_url_signatures() {
        let url =
            "PUT https://b.s3.amazonaws.com/m/1/original.media?X-Amz-Algorithm=AWS4-HMAC-SHA256\
                   &X-Amz-Credential=AKIA%2F20250101%2Fus-east-1&X-Amz-Date=20250101T000000Z\
                   &X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-amz-signature=deadbeef00 failed";
        let msg = redact(url, &[]);
        assert!(!msg.contains("deadbeef00"), "{msg}");
        assert!(!msg.contains("AKIA"), "{msg}");
        assert!(msg.contains("X-Amz-Date=20250101T000000Z"), "{msg}");
        assert!(msg.ends_with(" failed"), "{msg}");
    }

    #[test]
    fn removes_bearer_tokens() {
        let msg = redact("header was Authorization: Bearer tok_abc.def; then", &[]);
        assert_eq!(msg, "header was Authorization: Bearer [REDACTED]; then");
    }

    #[test]
    fn leaves_plain_text_and_unicode_alone() {
        let s = "Media not found — ünïcødé";
        assert_eq!(redact(s, &["zzz"]), s);
    }
}
