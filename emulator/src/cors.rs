//! CORS, written by hand to control exactly what each origin answers.

use crate::state::Shared;
use crate::util::{header_str, response, set_header, Resp};
use hyper::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ALLOW, VARY,
};
use hyper::{HeaderMap, StatusCode};

/// The API's own request headers; named because `*` would not cover `Authorization`.
const API_HEADERS: [&str; 4] = [
    "authorization",
    "content-type",
    "x-client-id",
    "x-client-secret",
];
const API_METHODS: &str = "GET, POST, DELETE, OPTIONS";
const STORAGE_METHODS: &str = "GET, PUT, HEAD";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// The web origin, and any loopback origin (browser test runners serve pages on ports of
/// their own).
pub fn origin_allowed(shared: &Shared, origin: &str) -> bool {
    if origin == shared.urls.web_origin {
        return true;
    }
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    // `port` is empty or `:digits`.
    let (host, port) = if let Some(r) = rest.strip_prefix("[::1]") {
        ("[::1]", r)
    } else {
        match rest.find(':') {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
            None => (rest, ""),
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit())
        });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]") && port_ok
}

/// The request's `Origin`, when it is one we answer for.
pub fn allowed_origin(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let o = header_str(headers, "origin")?;
    origin_allowed(shared, o).then(|| o.to_string())
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// `Access-Control-Request-Headers`, lower-cased; `None` if any name is not a header name.
fn requested_headers(headers: &HeaderMap) -> Option<Vec<String>> {
    let Some(raw) = header_str(headers, "access-control-request-headers") else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !is_token(name) {
            return None;
        }
        out.push(name.to_ascii_lowercase());
    }
    Some(out)
}

pub fn is_preflight(headers: &HeaderMap) -> bool {
    headers.contains_key("origin") && headers.contains_key("access-control-request-method")
}

/// API preflight: allowed origins get the method list and every requested header name
/// (SDK users may add headers of their own); others get no CORS headers, so the browser
/// refuses.
pub fn api_preflight(shared: &Shared, headers: &HeaderMap) -> Resp {
    let mut resp = response(StatusCode::NO_CONTENT, "", Vec::new());
    set_header(&mut resp, VARY, PREFLIGHT_VARY);
    let Some(origin) = allowed_origin(shared, headers) else {
        return resp;
    };
    let mut allow: Vec<String> = API_HEADERS.iter().map(|s| s.to_string()).collect();
    for h in requested_headers(headers).unwrap_or_default() {
        if !allow.contains(&h) {
            allow.push(h);
        }
    }
    set_header(&mut resp, ACCESS_CONTROL_ALLOW_ORIGIN, &origin);
    set_header(&mut resp, ACCESS_CONTROL_ALLOW_METHODS, API_METHODS);
    set_header(&mut resp, ACCESS_CONTROL_ALLOW_HEADERS, &allow.join(", "));
    set_header(&mut resp, ACCESS_CONTROL_MAX_AGE, "600");
    resp
}

/// A plain `OPTIONS` (no preflight) on the API.
pub fn api_options() -> Resp {
    let mut resp = response(StatusCode::NO_CONTENT, "", Vec::new());
    set_header(&mut resp, ALLOW, API_METHODS);
    resp
}

/// CORS headers on an actual API response (errors included, so pages can read them).
pub fn api_actual(resp: &mut Resp, origin: Option<&str>) {
    set_header(resp, VARY, "Origin");
    if let Some(o) = origin {
        set_header(resp, ACCESS_CONTROL_ALLOW_ORIGIN, o);
        set_header(resp, ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
    }
}

/// Request headers the bucket's CORS rule allows. Not `authorization`: pre-signed requests
/// never need it, and the SDK must never send it.
fn storage_header_allowed(h: &str) -> bool {
    matches!(
        h,
        "content-type" | "content-md5" | "content-disposition" | "cache-control"
    ) || h.starts_with("x-amz-")
}

/// S3's answer to a preflight: 200 with the rule's headers, or 403 `AccessForbidden`.
pub fn storage_preflight(shared: &Shared, headers: &HeaderMap, request_id: &str) -> Resp {
    let method = header_str(headers, "access-control-request-method").unwrap_or("");
    let origin = allowed_origin(shared, headers);
    let requested = requested_headers(headers);
    let ok_headers = requested
        .as_ref()
        .map(|v| v.iter().all(|h| storage_header_allowed(h)))
        .unwrap_or(false);
    let (Some(origin), true, true) = (origin, matches!(method, "GET" | "PUT" | "HEAD"), ok_headers)
    else {
        let mut resp = crate::storage::s3_error(
            StatusCode::FORBIDDEN,
            "AccessForbidden",
            "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headerss are not whitelisted by the resource's CORS spec.",
            &[("Method", method.to_string()), ("ResourceType", "OBJECT".to_string())],
            request_id,
        );
        set_header(&mut resp, VARY, PREFLIGHT_VARY);
        return resp;
    };
    let mut resp = response(StatusCode::OK, "", Vec::new());
    set_header(&mut resp, ACCESS_CONTROL_ALLOW_ORIGIN, &origin);
    set_header(&mut resp, ACCESS_CONTROL_ALLOW_METHODS, STORAGE_METHODS);
    let req = requested.unwrap_or_default();
    if !req.is_empty() {
        set_header(&mut resp, ACCESS_CONTROL_ALLOW_HEADERS, &req.join(", "));
    }
    set_header(&mut resp, ACCESS_CONTROL_EXPOSE_HEADERS, "ETag");
    set_header(&mut resp, ACCESS_CONTROL_MAX_AGE, "3000");
    set_header(&mut resp, VARY, PREFLIGHT_VARY);
    resp
}

/// CORS headers on an actual storage response.
pub fn storage_actual(resp: &mut Resp, origin: Option<&str>) {
    set_header(resp, VARY, PREFLIGHT_VARY);
    if let Some(o) = origin {
        set_header(resp, ACCESS_CONTROL_ALLOW_ORIGIN, o);
        set_header(resp, ACCESS_CONTROL_ALLOW_METHODS, STORAGE_METHODS);
        set_header(resp, ACCESS_CONTROL_EXPOSE_HEADERS, "ETag");
    }
}
