//! Checks before an upload, and what S3 answers mean.

use crate::core::error::{codes, Error, ErrorKind};
use crate::core::text;
use crate::core::text::decimal;
use crate::core::url::{parse_http_url, without_query};

/// The content type for the PUT: the one given, else the Blob's own; both non-empty must agree,
/// because the pre-signed URL is signed for exactly one and would refuse the other later,
/// after a credit-bearing record exists.
pub fn content_type_for(
    given: Option<&str>,
    blob_type: &str,
    blob_size: f64,
) -> Result<String, Error> {
    // NaN is refused too.
    if blob_size.is_nan() || blob_size <= 0.0 {
        return Err(Error::argument(
            "the file is empty (0 bytes): there is nothing to analyse",
        ));
    }
    let given = given.map(str::trim).filter(|g| !g.is_empty());
    let blob_type = blob_type.trim();
    // A line break would be a second header (fetch refuses it; so must we, before any request).
    if given.is_some_and(|g| g.chars().any(char::is_control)) {
        return Err(Error::argument(
            "contentType contains a line break or another control character",
        ));
    }
    match given {
        Some(g) if !blob_type.is_empty() && !g.eq_ignore_ascii_case(blob_type) => {
            Err(Error::argument(cat!(
                "contentType \"",
                g,
                "\" differs from the file's own type \"",
                blob_type,
                "\"; the upload URL would refuse it. Omit contentType, or pass a Blob of that type"
            )))
        }
        Some(g) => Ok(g.to_string()),
        None if !blob_type.is_empty() => Ok(blob_type.to_string()),
        None => Err(Error::argument(
            "the file has no type: pass contentType (for example \"video/mp4\")",
        )),
    }
}

/// Checks a pre-signed URL before any byte is sent to it.
pub fn check_signed_url(what: &str, url: &str) -> Result<(), Error> {
    parse_http_url(url)
        .map(|_| ())
        .map_err(|why| Error::argument(cat!(what, " is not an http(s) URL (", why, ")")))
}

/// S3's `<Code>` and `<Message>` from an XML error body.
pub fn parse_s3_error(body: &str) -> (Option<String>, Option<String>) {
    (xml_text(body, "Code"), xml_text(body, "Message"))
}

fn xml_text(body: &str, tag: &str) -> Option<String> {
    let open = cat!("<", tag, ">");
    let close = cat!("</", tag, ">");
    let start = text::find(body, &open)? + open.len();
    let end = text::find_from(body, &close, start)?;
    let text = body.get(start..end)?.trim();
    if text.is_empty() || text.len() > 200 || text.contains('<') {
        return None;
    }
    Some(unescape_xml(text))
}

fn unescape_xml(s: &str) -> String {
    let mut out = s.to_string();
    for (entity, c) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ] {
        out = text::replace(&out, entity, c);
    }
    out
}

/// Which way a transfer with a pre-signed URL went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// The PUT of a file: `UploadError`.
    Upload,
    /// The GET of a result or artifact: `StorageError`.
    Download,
}

/// The error for a failed transfer with a pre-signed URL: a storage error, never an API one (a
/// 403 there says nothing about the key). Expired URLs and every 4xx are final; 500, 502, 503
/// and 504 can be tried again.
pub fn storage_error(transfer: Transfer, status: u16, body: &str, url: &str) -> Error {
    let (s3_code, s3_message) = parse_s3_error(body);
    let expired = s3_code.as_deref() == Some("RequestExpired")
        || (s3_code.as_deref() == Some("AccessDenied")
            && s3_message
                .as_deref()
                .is_some_and(|m| text::contains(&m.to_ascii_lowercase(), "expired")));
    let upload = transfer == Transfer::Upload;
    let advice = match s3_code.as_deref() {
        _ if expired && upload => "the upload URL has expired: create a new media record or job (upload again)",
        _ if expired => "the URL has expired: fetch the record or job again for a fresh one",
        Some("SignatureDoesNotMatch") if upload => {
            "the upload was refused: the Content-Type must be exactly the one given at creation, \
             and the URL must be used as it was returned"
        }
        Some("SignatureDoesNotMatch") => "the URL must be used exactly as it was returned",
        Some("InvalidArgument") => {
            "the request carried credentials the pre-signed URL does not accept (an Authorization header)"
        }
        Some("NotImplemented") => "the upload was sent chunked; storage needs a known length",
        Some("EntityTooLarge") => "the file is larger than a single upload allows (5 GB)",
        Some("NoSuchKey") => "the file is no longer in storage (deleted?)",
        Some("AccessDenied") => "storage refused the request: the URL is not valid for it",
        _ if status >= 500 => "storage failed; the request can be tried again",
        _ => "storage refused the request",
    };
    let what = match (&s3_code, &s3_message) {
        (Some(c), Some(m)) => cat!(c, ": ", m),
        (Some(c), None) => c.clone(),
        _ => cat!("HTTP ", decimal(status.into())),
    };
    let (kind, code, verb) = match transfer {
        Transfer::Upload => (ErrorKind::Upload, codes::UPLOAD_FAILED, "Upload to"),
        Transfer::Download => (ErrorKind::Storage, codes::DOWNLOAD_FAILED, "Download from"),
    };
    let mut e = Error::new(
        kind,
        code,
        cat!(
            verb,
            " ",
            without_query(url),
            " failed (",
            what,
            "); ",
            advice
        ),
    )
    .status(status)
    .retryable(!expired && matches!(status, 500 | 502 | 503 | 504));
    e.s3_code = s3_code;
    e
}

/// The error for a failed PUT to a pre-signed URL.
pub fn upload_error(status: u16, body: &str, url: &str) -> Error {
    storage_error(Transfer::Upload, status, body, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPIRED: &str =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
        <Message>Request has expired</Message><RequestId>1</RequestId></Error>";

    #[test]
    fn content_type_rules() {
        assert_eq!(
            content_type_for(None, "video/mp4", 10.0).unwrap(),
            "video/mp4"
        );
        assert_eq!(
            content_type_for(Some("image/png"), "", 10.0).unwrap(),
            "image/png"
        );
        assert_eq!(
            content_type_for(Some("VIDEO/MP4"), "video/mp4", 1.0).unwrap(),
            "VIDEO/MP4"
        );
        assert!(content_type_for(Some("image/png"), "video/mp4", 10.0).is_err());
        assert!(content_type_for(None, "", 10.0).is_err());
        let e = content_type_for(Some("image/png\r\nx-amz-acl: public-read"), "", 10.0);
        assert_eq!(e.unwrap_err().code, "INVALID_ARGUMENT");
        assert!(content_type_for(None, "video/mp4", 0.0).is_err());
        assert!(content_type_for(None, "video/mp4", f64::NAN).is_err());
        assert_eq!(
            content_type_for(None, "", 1.0).unwrap_err().code,
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn s3_xml() {
        assert_eq!(
            parse_s3_error(EXPIRED),
            (
                Some("AccessDenied".into()),
                Some("Request has expired".into())
            )
        );
        assert_eq!(parse_s3_error("<html>nope</html>"), (None, None));
        assert_eq!(
            parse_s3_error("<Error><Code>A&amp;B</Code>"),
            (Some("A&B".into()), None)
        );
        assert_eq!(parse_s3_error("<Code><b>x</b></Code>"), (None, None));
        assert_eq!(parse_s3_error("<Code>unterminated"), (None, None));
        assert_eq!(parse_s3_error(""), (None, None));
    }

    #[test]
    fn upload_errors() {
        let url = "http://127.0.0.1:8788/b/m/original.media?X-Amz-Signature=abc123";
        let e = upload_error(403, EXPIRED, url);
        assert_eq!(
            (e.kind, e.code.as_str(), e.status),
            (ErrorKind::Upload, "UPLOAD_FAILED", Some(403))
        );
        assert_eq!(e.s3_code.as_deref(), Some("AccessDenied"));
        assert!(
            !e.retryable && e.message.contains("expired"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("abc123"), "no signature in messages");
        let e = upload_error(
            403,
            "<Error><Code>SignatureDoesNotMatch</Code></Error>",
            url,
        );
        assert!(e.message.contains("Content-Type") && !e.retryable);
        let e = upload_error(400, "<Error><Code>InvalidArgument</Code></Error>", url);
        assert_eq!(e.s3_code.as_deref(), Some("InvalidArgument"));
        let e = upload_error(503, "<Error><Code>SlowDown</Code></Error>", url);
        assert!(e.retryable);
        let e = upload_error(500, "", url);
        assert!(e.retryable && e.s3_code.is_none() && e.message.contains("HTTP 500"));
    }

    #[test]
    fn download_errors_are_storage_errors() {
        let url = "http://127.0.0.1:8788/b/m/result.json?X-Amz-Signature=abc123";
        for (status, code, retryable) in [
            (403, "AccessDenied", false),
            (404, "NoSuchKey", false),
            (401, "InvalidToken", false),
            (500, "InternalError", true),
            (503, "SlowDown", true),
        ] {
            let body = cat!("<Error><Code>", code, "</Code><Message>m</Message></Error>");
            let e = storage_error(Transfer::Download, status, &body, url);
            assert_eq!(
                (e.kind, e.code.as_str(), e.status, e.retryable),
                (
                    ErrorKind::Storage,
                    "DOWNLOAD_FAILED",
                    Some(status),
                    retryable
                ),
                "{status}"
            );
            assert_eq!(e.s3_code.as_deref(), Some(code));
            assert!(!e.message.contains("API key") && !e.message.contains("abc123"));
        }
    }

    #[test]
    fn signed_urls_must_be_http() {
        assert!(check_signed_url("uploadUrl", "https://s3/x?sig=1").is_ok());
        assert!(check_signed_url("uploadUrl", "javascript:alert(1)").is_err());
        assert!(check_signed_url("uploadUrl", "data:text/plain,hi").is_err());
    }
}
