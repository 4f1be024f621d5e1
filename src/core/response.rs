//! What a response means: a typed value or a typed error.

use crate::core::error::{codes, Error, ErrorKind};
use crate::core::request::Route;
use crate::core::text::decimal;
use crate::core::url::parse_http_url;
use crate::core::value::Value;

/// A response as the facade read it: the body parsed once by the runtime's `JSON.parse`.
#[derive(Debug, Clone)]
pub struct Answer<V> {
    pub status: u16,
    /// The parsed body; `None` when it is empty or not JSON.
    pub json: Option<V>,
    /// The body's text (its start), only where the core needs it: a non-2xx answer, or a body
    /// that is not JSON. Empty otherwise, so a successful body is never copied into the wasm.
    pub text: String,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
}

/// How much of a body's text the facade passes along when the core needs it.
pub const MAX_TEXT: usize = 16 * 1024;

/// Longest server message copied into an error; a proxy's HTML page is not a message.
const MAX_MESSAGE: usize = 300;

/// Classifies an API response: `Ok` with the parsed body (`None` for an empty delete answer),
/// or the error the caller should see (its `retry_after_ms` is set by the caller).
pub fn classify<V: Value>(route: Route, r: &Answer<V>) -> Result<Option<V>, Error> {
    if !(200..300).contains(&r.status) {
        return Err(api_error_on(r, route.is_job()));
    }
    if route.is_delete() {
        // 200 with or without a body, and 204: all mean deleted. A body that is not JSON (a
        // proxy's or captive portal's page) does not: nothing says the record is gone.
        if r.json.is_none() && !r.text.trim().is_empty() {
            return Err(Error::invalid_response(
                r.status,
                cat!(not_json(r), " (", route.name(), ")"),
            ));
        }
        return Ok(r.json.clone());
    }
    let Some(json) = &r.json else {
        return Err(Error::invalid_response(
            r.status,
            cat!(not_json(r), " (", route.name(), ")"),
        ));
    };
    check_shape(route, json).map_err(|why| {
        Error::invalid_response(
            r.status,
            cat!("the Authenta API answered ", route.name(), " with ", why),
        )
    })?;
    Ok(Some(json.clone()))
}

/// Says what came instead of JSON, in words a person can act on.
pub fn not_json<V>(r: &Answer<V>) -> String {
    let body = r.text.trim_start();
    let html = body.starts_with('<')
        || r.content_type
            .as_deref()
            .is_some_and(|c| crate::core::text::contains(&c.to_ascii_lowercase(), "html"));
    if body.is_empty() {
        cat!(
            "the server answered ",
            decimal(r.status.into()),
            " with an empty body instead of JSON"
        )
    } else if html {
        cat!("the server answered ", decimal(r.status.into()), " with an HTML page instead of JSON: is baseUrl pointing at the Authenta API, or is a proxy or captive portal in the way?")
    } else {
        cat!(
            "the server answered ",
            decimal(r.status.into()),
            " with a body that is not valid JSON (truncated or corrupted)"
        )
    }
}

/// Checks the fields the client relies on; everything else passes through untouched.
fn check_shape<V: Value>(route: Route, v: &V) -> Result<(), &'static str> {
    if !v.is_object() {
        return Err("JSON that is not an object");
    }
    match route {
        Route::CreateMedia => {
            check_mid(v)?;
            let url = v
                .str_field("uploadUrl")
                .ok_or("a record without an uploadUrl")?;
            parse_http_url(&url).map_err(|_| "an uploadUrl that is not an http(s) URL")?;
            if let Some(r) = v.get("referenceUploadUrl") {
                r.as_str()
                    .and_then(|u| parse_http_url(&u).ok())
                    .ok_or("a referenceUploadUrl that is not an http(s) URL")?;
            }
            Ok(())
        }
        Route::GetMedia => check_media(v),
        Route::ListMedia => {
            let data = v
                .get("data")
                .and_then(|d| d.items())
                .ok_or("a page without a data array")?;
            for item in &data {
                if !item.is_object() {
                    return Err("a page whose data holds something other than records");
                }
                check_mid(item)?;
            }
            for field in ["total", "limit", "offset"] {
                if v.get(field).is_some_and(|n| n.as_f64().is_none()) {
                    return Err("a page whose total, limit or offset is not a number");
                }
            }
            Ok(())
        }
        Route::DeleteMedia | Route::DeleteJob => Ok(()),
        Route::CreateJob => {
            job_id(v).ok_or("a job without an id")?;
            let inputs = v
                .get("inputs")
                .and_then(|i| i.items())
                .ok_or("a job without an inputs array")?;
            for input in &inputs {
                let url = input
                    .str_field("uploadUrl")
                    .ok_or("an input without an uploadUrl")?;
                parse_http_url(&url).map_err(|_| "an uploadUrl that is not an http(s) URL")?;
            }
            Ok(())
        }
        Route::GetJob => {
            job_id(v).ok_or("a job without an id")?;
            job_status(v).ok_or("a job without a status")?;
            Ok(())
        }
        Route::ListJobs => {
            let data = v
                .get("data")
                .and_then(|d| d.items())
                .ok_or("a page without a data array")?;
            if data.iter().any(|j| job_id(&unwrap_job(j)).is_none()) {
                return Err("a page whose data holds something other than jobs");
            }
            Ok(())
        }
        // Answers of actions: whatever the server says, handed back.
        Route::FinalizeJob | Route::CancelJob => Ok(()),
    }
}

/// A job as the API wraps it or not: `{ job: {…}, … }` or the job itself.
fn job_part<V: Value>(v: &V) -> V {
    match v.get("job") {
        Some(j) if j.is_object() => j,
        _ => v.clone(),
    }
}

/// A list item or answer that wraps its job as `{ job: {…} }` (the reference page's variant):
/// the job itself.
pub fn unwrap_job<V: Value>(v: &V) -> V {
    job_part(v)
}

/// A job's id, from `job.id`, `jobId` or `id`; a number becomes its decimal string.
pub fn job_id<V: Value>(v: &V) -> Option<String> {
    let candidates = [job_part(v).get("id"), v.get("jobId"), v.get("id")];
    candidates
        .into_iter()
        .flatten()
        .find_map(|id| match id.as_str() {
            Some(s) if !s.is_empty() => Some(s),
            Some(_) => None,
            // Whole numbers only, written without float formatting.
            None => id
                .as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 9.0e15)
                .map(|n| decimal(n as u64)),
        })
}

/// A job's status, from `job.status` or `status`.
pub fn job_status<V: Value>(v: &V) -> Option<String> {
    job_part(v)
        .str_field("status")
        .or_else(|| v.str_field("status"))
}

fn check_mid<V: Value>(v: &V) -> Result<(), &'static str> {
    match v.str_field("mid") {
        Some(m) if !m.is_empty() => Ok(()),
        _ => Err("a record without a mid"),
    }
}

/// A media record: `mid` and `status` are strings, `resultURL` (if any) is http(s).
pub fn check_media<V: Value>(v: &V) -> Result<(), &'static str> {
    if !v.is_object() {
        return Err("JSON that is not an object");
    }
    check_mid(v)?;
    if v.str_field("status").is_none() {
        return Err("a record without a status");
    }
    if let Some(u) = v.present("resultURL") {
        u.as_str()
            .and_then(|u| parse_http_url(&u).ok())
            .ok_or("a resultURL that is not an http(s) URL")?;
    }
    Ok(())
}

/// The error for a non-2xx API response. The status decides the class; the body only adds the
/// server's code and message (new `{code, statusCode, message}` or legacy `{code, type, message}`).
pub fn api_error<V: Value>(r: &Answer<V>) -> Error {
    api_error_on(r, false)
}

/// `api_error` for a route of the Jobs API (`jobs`) or the Media API.
pub fn api_error_on<V: Value>(r: &Answer<V>, jobs: bool) -> Error {
    let field = |k: &str| r.json.as_ref().and_then(|b| b.str_field(k));
    let server_code = field("code").filter(|c| is_code(c));
    let server_message = field("message")
        .or_else(|| field("error"))
        .map(|m| truncate(&m, MAX_MESSAGE));
    let balance = matches!(
        server_code.as_deref(),
        Some("INSUFFICIENT_BALANCE" | "U007")
    );
    let quota = server_code.as_deref() == Some("AA001");
    let (kind, default_code, retryable, hint) = match r.status {
        _ if balance => (
            ErrorKind::InsufficientBalance,
            codes::INSUFFICIENT_BALANCE,
            false,
            "top up credits or enable pay-as-you-go billing in the Authenta console",
        ),
        400 | 409 | 422 => (
            ErrorKind::BadRequest,
            codes::BAD_REQUEST,
            false,
            "fix the request",
        ),
        401 => (
            ErrorKind::Authentication,
            codes::INVALID_API_KEY,
            false,
            "check the API key (or client id and secret); it may be revoked",
        ),
        402 => (
            ErrorKind::InsufficientBalance,
            codes::INSUFFICIENT_BALANCE,
            false,
            "top up credits or enable pay-as-you-go billing in the Authenta console",
        ),
        403 => (
            ErrorKind::PermissionDenied,
            codes::FORBIDDEN,
            false,
            "this key lacks the permission; use a key with write/delete rights",
        ),
        404 if jobs => (ErrorKind::NotFound, codes::NOT_FOUND, false, "check the job id"),
        404 => (ErrorKind::NotFound, codes::NOT_FOUND, false, "check the mid"),
        // Redirects are not followed (`redirect: "manual"`; 0 is a browser's opaque redirect),
        // so that credentials never reach another origin.
        0 | 300..=399 => (
            ErrorKind::InvalidResponse,
            codes::INVALID_RESPONSE,
            false,
            "the API redirected; the SDK does not follow redirects with credentials, so set baseUrl to the final address",
        ),
        408 => (
            ErrorKind::Timeout,
            codes::REQUEST_TIMEOUT,
            true,
            "try again later",
        ),
        429 if quota => (
            ErrorKind::RateLimit,
            "AA001",
            false,
            "the API call quota is used up; request a larger quota in the Authenta console",
        ),
        429 => (
            ErrorKind::RateLimit,
            codes::RATE_LIMITED,
            true,
            "slow down and try again later",
        ),
        500 | 502 | 503 | 504 => (ErrorKind::Server, codes::SERVER_ERROR, true, "try again later"),
        500..=599 => (
            ErrorKind::Server,
            codes::SERVER_ERROR,
            false,
            "the server cannot do this",
        ),
        _ => (
            ErrorKind::BadRequest,
            codes::UNEXPECTED_STATUS,
            false,
            "check baseUrl",
        ),
    };
    let message = match server_message {
        Some(m) if !m.trim().is_empty() => {
            cat!(m, " (HTTP ", decimal(r.status.into()), "; ", hint, ")")
        }
        _ => cat!(
            "the Authenta API answered HTTP ",
            decimal(r.status.into()),
            " (",
            hint,
            ")"
        ),
    };
    let code = server_code.unwrap_or_else(|| default_code.to_string());
    Error::new(kind, &code, message)
        .status(r.status)
        .retryable(retryable)
}

/// A code is a short identifier; anything else (a sentence, HTML) is not trusted as one.
fn is_code(c: &str) -> bool {
    !c.is_empty()
        && c.len() <= 64
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => cat!(s.get(..i).unwrap_or(s), "…"),
        None => s.to_string(),
    }
}

/// An answer as the facade builds it from a body's text (the runtime's `JSON.parse`, the text
/// only where the core needs it): for host tests and fuzz targets.
#[cfg(any(test, feature = "serde_json"))]
pub fn answer_from_text(
    status: u16,
    body: &str,
    retry_after: Option<&str>,
) -> Answer<serde_json::Value> {
    let json = serde_json::from_str::<serde_json::Value>(body).ok();
    let text = if json.is_none() || !(200..300).contains(&status) {
        body.chars().take(MAX_TEXT).collect()
    } else {
        String::new()
    };
    Answer {
        status,
        json,
        text,
        retry_after: retry_after.map(str::to_string),
        content_type: Some("application/json".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Answer<serde_json::Value> {
        answer_from_text(status, body, None)
    }

    fn err(status: u16, body: &str) -> Error {
        classify(Route::GetMedia, &resp(status, body)).unwrap_err()
    }

    #[test]
    fn documented_error_bodies() {
        let cases = [
            (
                401,
                r#"{"code":"INVALID_API_KEY","statusCode":401,"message":"API key authentication failed"}"#,
                ErrorKind::Authentication,
                "INVALID_API_KEY",
                false,
            ),
            (
                403,
                r#"{"code":"FORBIDDEN","statusCode":403,"message":"You don't have permission to access this"}"#,
                ErrorKind::PermissionDenied,
                "FORBIDDEN",
                false,
            ),
            (
                402,
                r#"{"code":"INSUFFICIENT_BALANCE","statusCode":402,"message":"Insufficient balance. Please top up or enable pay-as-you-go billing"}"#,
                ErrorKind::InsufficientBalance,
                "INSUFFICIENT_BALANCE",
                false,
            ),
            (
                401,
                r#"{"code":"IAM001","type":"UNAUTHENTICATED","message":"You are not authenticated"}"#,
                ErrorKind::Authentication,
                "IAM001",
                false,
            ),
            (
                403,
                r#"{"code":"IAM002","type":"UNAUTHORIZED","message":"You are not authorized"}"#,
                ErrorKind::PermissionDenied,
                "IAM002",
                false,
            ),
            (
                429,
                r#"{"code":"AA001","type":"CLIENT_ERROR","message":"API limit reached"}"#,
                ErrorKind::RateLimit,
                "AA001",
                false,
            ),
            (
                400,
                r#"{"code":"U007","type":"CLIENT_ERROR","message":"Insufficient credits"}"#,
                ErrorKind::InsufficientBalance,
                "U007",
                false,
            ),
            (
                400,
                r#"{"code":"INVALID_TASK_TYPE","statusCode":400,"message":"bad model"}"#,
                ErrorKind::BadRequest,
                "INVALID_TASK_TYPE",
                false,
            ),
            (
                404,
                r#"{"code":"NOT_FOUND","statusCode":404,"message":"Media not found"}"#,
                ErrorKind::NotFound,
                "NOT_FOUND",
                false,
            ),
            (409, "{}", ErrorKind::BadRequest, "BAD_REQUEST", false),
            (422, "", ErrorKind::BadRequest, "BAD_REQUEST", false),
            (
                429,
                r#"{"message":"slow down"}"#,
                ErrorKind::RateLimit,
                "RATE_LIMITED",
                true,
            ),
            (408, "", ErrorKind::Timeout, "REQUEST_TIMEOUT", true),
            (500, "{}", ErrorKind::Server, "SERVER_ERROR", true),
            (
                502,
                "<html>Bad Gateway</html>",
                ErrorKind::Server,
                "SERVER_ERROR",
                true,
            ),
            (503, "", ErrorKind::Server, "SERVER_ERROR", true),
            (504, "{\"code\":", ErrorKind::Server, "SERVER_ERROR", true),
            (501, "", ErrorKind::Server, "SERVER_ERROR", false),
            (418, "", ErrorKind::BadRequest, "UNEXPECTED_STATUS", false),
            (
                302,
                "",
                ErrorKind::InvalidResponse,
                "INVALID_RESPONSE",
                false,
            ),
            (0, "", ErrorKind::InvalidResponse, "INVALID_RESPONSE", false),
        ];
        for (status, body, kind, code, retryable) in cases {
            let e = err(status, body);
            assert_eq!(
                (e.kind, e.code.as_str(), e.retryable, e.status),
                (kind, code, retryable, Some(status)),
                "{status} {body}"
            );
        }
        let e = err(
            401,
            r#"{"code":"INVALID_API_KEY","statusCode":401,"message":"API key authentication failed"}"#,
        );
        assert!(
            e.message
                .starts_with("API key authentication failed (HTTP 401"),
            "{}",
            e.message
        );
    }

    #[test]
    fn hostile_error_bodies() {
        let huge = format!(r#"{{"code":"X","message":"{}"}}"#, "a".repeat(100_000));
        assert!(err(500, &huge).message.len() < 600);
        // A sentence or markup in `code` is not taken as a code.
        assert_eq!(
            err(500, r#"{"code":"<script>alert(1)</script>"}"#).code,
            "SERVER_ERROR"
        );
        assert_eq!(
            err(500, r#"{"code":7,"message":["x"]}"#).code,
            "SERVER_ERROR"
        );
    }

    #[test]
    fn success_shapes() {
        let m = r#"{"mid":"a1","status":"PROCESSED","extra":{"x":1},"resultURL":"https://s3/r.json?sig=1"}"#;
        let v = classify(Route::GetMedia, &resp(200, m)).unwrap().unwrap();
        assert_eq!(v.str_field("status").as_deref(), Some("PROCESSED"));
        let created = r#"{"mid":"a1","status":"INITED","uploadUrl":"https://s3/x?X-Amz-Signature=1","expiresIn":3600}"#;
        assert!(classify(Route::CreateMedia, &resp(201, created)).is_ok());
        let page = r#"{"limit":2,"offset":0,"total":1,"data":[{"mid":"a","status":"INITED"}]}"#;
        assert!(classify(Route::ListMedia, &resp(200, page)).is_ok());
        assert_eq!(classify(Route::DeleteMedia, &resp(204, "")).unwrap(), None);
        assert!(
            classify(Route::DeleteMedia, &resp(200, r#"{"message":"ok"}"#))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn malformed_success_bodies_are_invalid_response() {
        let cases = [
            (Route::GetMedia, "<!doctype html><html>login</html>", "HTML"),
            (Route::GetMedia, "", "empty"),
            (Route::GetMedia, r#"{"mid":"a1","sta"#, "not valid JSON"),
            (Route::GetMedia, "[1,2]", "not an object"),
            (
                Route::GetMedia,
                r#"{"mid":7,"status":"X"}"#,
                "without a mid",
            ),
            (Route::GetMedia, r#"{"mid":"a"}"#, "without a status"),
            (
                Route::GetMedia,
                r#"{"mid":"a","status":"PROCESSED","resultURL":"javascript:alert(1)"}"#,
                "resultURL",
            ),
            (
                Route::CreateMedia,
                r#"{"mid":"a","status":"INITED"}"#,
                "uploadUrl",
            ),
            (
                Route::CreateMedia,
                r#"{"mid":"a","uploadUrl":"file:///etc/passwd"}"#,
                "uploadUrl",
            ),
            (
                Route::CreateMedia,
                r#"{"mid":"a","uploadUrl":"https://s/x","referenceUploadUrl":5}"#,
                "referenceUploadUrl",
            ),
            (Route::ListMedia, r#"{"data":{}}"#, "data array"),
            (Route::ListMedia, r#"{"data":[1]}"#, "other than records"),
            (
                Route::ListMedia,
                r#"{"data":[],"total":"3"}"#,
                "not a number",
            ),
        ];
        for (route, body, says) in cases {
            let e = classify(route, &resp(200, body)).unwrap_err();
            assert_eq!(
                (e.kind, e.code.as_str(), e.status),
                (ErrorKind::InvalidResponse, "INVALID_RESPONSE", Some(200)),
                "{body}"
            );
            assert!(e.message.contains(says), "{body}: {}", e.message);
            assert!(!e.retryable);
        }
    }
}
