//! The S3-like storage origin: pre-signed URLs, their checks, uploads and downloads.

use crate::cors;
use crate::faults::{self, DropConnection, Outcome};
use crate::results;
use crate::sample::Sampler;
use crate::state::{Landed, Route, Shared};
use crate::util::{
    amz_date, header_str, now_secs, parse_amz_date, parse_query, response, set_header, uri_encode,
    xml_escape, Resp,
};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderName, ETAG};
use hyper::{HeaderMap, Method, Request, StatusCode};
use md5::Md5;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;

type HmacSha256 = Hmac<Sha256>;

pub const BUCKET: &str = "authenta-storage";
/// S3's limit for a single PUT.
const MAX_PUT: u64 = 5 * 1024 * 1024 * 1024;
/// S3's limit for `X-Amz-Expires` (7 days).
const MAX_EXPIRES: u64 = 604_800;
/// How much of a rejected upload is read before answering, so that the client sees the
/// answer rather than a reset connection; beyond it the connection is closed.
const DRAIN_CAP: u64 = 64 * 1024 * 1024;

pub fn object_path(account: &str, mid: &str, object: &str) -> String {
    format!("/{BUCKET}/users/{account}/media/{mid}/{object}")
}

/// A job's objects: its inputs by slot name, `result.json`, `heatmap.png`.
pub fn job_object_path(account: &str, job_id: u64, object: &str) -> String {
    format!("/{BUCKET}/users/{account}/jobs/{job_id}/{object}")
}

fn canonical_query(params: &[(String, String)]) -> String {
    let mut enc: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (uri_encode(k), uri_encode(v)))
        .collect();
    enc.sort();
    enc.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// What is signed: method, path, every query parameter but the signature, and the values of
/// the signed headers (trimmed, as SigV4 canonicalises them).
fn signature(
    secret: &[u8],
    method: &str,
    path: &str,
    params: &[(String, String)],
    signed_headers: &[(String, String)],
) -> Option<String> {
    let mut sts = format!("{method}\n{path}\n{}\n", canonical_query(params));
    for (name, value) in signed_headers {
        sts.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(sts.as_bytes());
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// A pre-signed URL in S3's query-string style. `content_type` is signed when given.
pub fn presign(
    shared: &Shared,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    expires: u64,
) -> String {
    presign_at(shared, method, path, content_type, expires, now_secs())
}

/// [`presign`] signed at `now` (Unix seconds): the URL expires at `now + expires`.
pub fn presign_at(
    shared: &Shared,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    expires: u64,
    now: i64,
) -> String {
    let date = amz_date(now);
    let day = date.get(..8).unwrap_or("");
    let signed_names = if content_type.is_some() {
        "content-type;host"
    } else {
        "host"
    };
    let x_id = if method == "PUT" {
        "PutObject"
    } else {
        "GetObject"
    };
    let params: Vec<(String, String)> = vec![
        ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
        ("X-Amz-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()),
        (
            "X-Amz-Credential".into(),
            format!("{}/{day}/us-east-1/s3/aws4_request", shared.access_key),
        ),
        ("X-Amz-Date".into(), date.clone()),
        ("X-Amz-Expires".into(), expires.to_string()),
        ("X-Amz-SignedHeaders".into(), signed_names.into()),
        ("x-id".into(), x_id.into()),
    ];
    let mut headers = Vec::new();
    if let Some(ct) = content_type {
        headers.push(("content-type".to_string(), ct.to_string()));
    }
    headers.push(("host".to_string(), shared.urls.storage_host.clone()));
    let sig = signature(&shared.secret, method, path, &params, &headers).unwrap_or_default();
    let mut all = params;
    all.push(("X-Amz-Signature".into(), sig));
    format!("{}{path}?{}", shared.urls.storage, canonical_query(&all))
}

pub fn s3_error(
    status: StatusCode,
    code: &str,
    message: &str,
    extra: &[(&str, String)],
    request_id: &str,
) -> Resp {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>",
        xml_escape(code),
        xml_escape(message)
    );
    for (k, v) in extra {
        xml.push_str(&format!("<{k}>{}</{k}>", xml_escape(v)));
    }
    xml.push_str(&format!(
        "<RequestId>{}</RequestId></Error>",
        xml_escape(request_id)
    ));
    let mut resp = response(status, "application/xml", xml.into_bytes());
    set_header(
        &mut resp,
        HeaderName::from_static("x-amz-request-id"),
        request_id,
    );
    resp
}

fn signature_mismatch(rid: &str) -> Resp {
    s3_error(
        StatusCode::FORBIDDEN,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        &[],
        rid,
    )
}

/// Checks a pre-signed request: signature first, then expiry.
fn verify(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    rid: &str,
) -> Result<(), Resp> {
    let pairs = parse_query(query);
    let get = |name: &str| -> Option<&str> {
        let mut it = pairs.iter().filter(|(k, _)| k == name);
        let first = it.next()?;
        // A repeated auth parameter is garbled.
        if it.next().is_some() {
            return None;
        }
        Some(first.1.as_str())
    };
    let (Some(alg), Some(_), Some(date), Some(expires), Some(signed), Some(sig)) = (
        get("X-Amz-Algorithm"),
        get("X-Amz-Credential"),
        get("X-Amz-Date"),
        get("X-Amz-Expires"),
        get("X-Amz-SignedHeaders"),
        get("X-Amz-Signature"),
    ) else {
        return Err(signature_mismatch(rid));
    };
    let date_secs = parse_amz_date(date);
    let expires: Option<u64> = expires.parse().ok();
    let (Some(date_secs), Some(expires)) = (date_secs, expires) else {
        return Err(signature_mismatch(rid));
    };
    if alg != "AWS4-HMAC-SHA256" || expires > MAX_EXPIRES {
        return Err(signature_mismatch(rid));
    }
    let names: Vec<&str> = signed.split(';').collect();
    if !names.contains(&"host") {
        return Err(signature_mismatch(rid));
    }
    let header_values: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let v = header_str(headers, n).unwrap_or("");
            (n.to_string(), v.to_string())
        })
        .collect();
    let unsigned: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "X-Amz-Signature")
        .cloned()
        .collect();
    let expected = signature(
        &shared.secret,
        method.as_str(),
        path,
        &unsigned,
        &header_values,
    );
    let ok = match (expected, hex::decode(sig)) {
        // Compared in constant time, as a server should.
        (Some(e), Ok(given)) => hex::decode(e)
            .map(|ev| crate::util::ct_eq(&ev, &given))
            .unwrap_or(false),
        _ => false,
    };
    if !ok {
        return Err(signature_mismatch(rid));
    }
    let now = now_secs();
    let deadline = date_secs.saturating_add(i64::try_from(expires).unwrap_or(i64::MAX));
    if now >= deadline {
        return Err(s3_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Request has expired",
            &[
                ("X-Amz-Expires", expires.to_string()),
                (
                    "Expires",
                    crate::util::iso8601(deadline.saturating_mul(1000)),
                ),
                ("ServerTime", crate::util::iso8601(now.saturating_mul(1000))),
            ],
            rid,
        ));
    }
    Ok(())
}

/// Where an object belongs: a media record or a job.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Media,
    Job,
}

/// `/{bucket}/users/{account}/{media|jobs}/{id}/{object}` → (account, owner, id, object).
fn split_path(path: &str) -> Option<(&str, Owner, &str, &str)> {
    let rest = path
        .strip_prefix('/')?
        .strip_prefix(BUCKET)?
        .strip_prefix("/users/")?;
    let mut parts = rest.split('/');
    let account = parts.next()?;
    let owner = match parts.next()? {
        "media" => Owner::Media,
        "jobs" => Owner::Job,
        _ => return None,
    };
    let id = parts.next()?;
    let object = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    Some((account, owner, id, object))
}

/// Objects the API writes itself: never the target of an upload.
fn is_output(owner: Owner, object: &str) -> bool {
    match owner {
        Owner::Media => object != "original.media" && object != "reference.media",
        Owner::Job => object == "result.json" || object == "heatmap.png",
    }
}

/// Reads and discards up to `DRAIN_CAP` of a body we are refusing (unless the client waits
/// for `100 Continue`, in which case it has sent nothing).
async fn drain(headers: &HeaderMap, body: Incoming) {
    let expects = header_str(headers, "expect")
        .map(|v| v.eq_ignore_ascii_case("100-continue"))
        .unwrap_or(false);
    if expects {
        return;
    }
    let mut body = body;
    let mut read = 0u64;
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            read = read.saturating_add(data.len() as u64);
            if read > DRAIN_CAP {
                return;
            }
        }
    }
}

pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Resp, DropConnection> {
    let rid = shared.ids.hex(16).to_uppercase();
    let origin = cors::allowed_origin(&shared, req.headers());
    if req.method() == Method::OPTIONS {
        return Ok(options(&shared, req.headers(), &rid));
    }
    let route = match *req.method() {
        Method::PUT => Route::PutUpload,
        Method::GET | Method::HEAD => Route::GetStorage,
        _ => {
            let mut resp = s3_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
                &[("Method", req.method().to_string())],
                &rid,
            );
            cors::storage_actual(&mut resp, origin.as_deref());
            return Ok(resp);
        }
    };
    let (parts, body) = req.into_parts();
    let mut resp = match faults::apply(shared.take_fault(route)).await {
        Outcome::Drop => return Err(DropConnection),
        Outcome::Respond(mut resp, with_cors) => {
            drain(&parts.headers, body).await;
            if with_cors {
                cors::storage_actual(&mut resp, origin.as_deref());
            }
            return Ok(resp);
        }
        Outcome::Continue => {
            if route == Route::PutUpload {
                put(&shared, &parts, body, &rid).await
            } else {
                get(&shared, &parts, &rid)
            }
        }
    };
    cors::storage_actual(&mut resp, origin.as_deref());
    Ok(resp)
}

fn options(shared: &Shared, headers: &HeaderMap, rid: &str) -> Resp {
    if !headers.contains_key("origin") {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Insufficient information. Origin request header needed.",
            &[],
            rid,
        );
    }
    if !headers.contains_key("access-control-request-method") {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Invalid Access-Control-Request-Method: null",
            &[],
            rid,
        );
    }
    cors::storage_preflight(shared, headers, rid)
}

/// The checks every pre-signed request goes through, in S3's order.
fn precheck(shared: &Shared, parts: &hyper::http::request::Parts, rid: &str) -> Result<(), Resp> {
    if parts.headers.contains_key("authorization") {
        return Err(s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
            &[("ArgumentName", "Authorization".to_string())],
            rid,
        ));
    }
    verify(
        shared,
        &parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        rid,
    )
}

/// Everything a PUT is checked for before its body is read, in S3's order.
fn put_checks<'a>(
    shared: &Shared,
    parts: &'a hyper::http::request::Parts,
    rid: &str,
) -> Result<(&'a str, Owner, &'a str, &'a str), Resp> {
    let headers = &parts.headers;
    precheck(shared, parts, rid)?;
    let chunked = headers
        .get_all("transfer-encoding")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        return Err(s3_error(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
            &[("Header", "Transfer-Encoding".to_string())],
            rid,
        ));
    }
    let Some(length) =
        header_str(headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
    else {
        return Err(s3_error(
            StatusCode::LENGTH_REQUIRED,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
            &[],
            rid,
        ));
    };
    if length > MAX_PUT {
        return Err(s3_error(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
            &[
                ("ProposedSize", length.to_string()),
                ("MaxSizeAllowed", MAX_PUT.to_string()),
            ],
            rid,
        ));
    }
    let path = parts.uri.path();
    let Some((account, owner, id, object)) = split_path(path) else {
        return Err(no_such_key(rid, path));
    };
    if is_output(owner, object) {
        return Err(s3_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Access Denied",
            &[],
            rid,
        ));
    }
    Ok((account, owner, id, object))
}

async fn put(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: Incoming,
    rid: &str,
) -> Resp {
    let headers = &parts.headers;
    let (account, owner, id, object) = match put_checks(shared, parts, rid) {
        Ok(x) => x,
        Err(resp) => {
            drain(headers, body).await;
            return resp;
        }
    };

    // Stream the body, keeping only a sample (see `sample.rs`).
    let mut sampler = Sampler::default();
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return s3_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP header",
                &[],
                rid,
            );
        };
        if let Ok(data) = frame.into_data() {
            sampler.push(data);
        }
    }
    let d = sampler.finish();
    let etag = d.etag.clone();
    let landed = Landed {
        sha256: d.sha256,
        len: d.len,
        etag: d.etag,
        content_type: header_str(headers, "content-type").map(str::to_string),
        bytes: d.bytes,
        dims: d.dims,
    };
    // An upload for a deleted record or job still succeeds, as S3 does not know the database;
    // only the first landing of each object counts.
    if owner == Owner::Job {
        let mut g = shared.lock();
        if let Some(input) = g
            .find_job_mut(id, account)
            .and_then(|j| j.inputs.iter_mut().find(|i| i.slot == object))
        {
            if input.landed.is_none() {
                input.landed = Some(landed);
            }
        }
    } else {
        let mut g = shared.lock();
        let processing_ms = g.settings.processing_ms;
        if let Some(rec) = g.find_mut(id, account) {
            if object == "original.media" {
                if rec.original.is_none() {
                    rec.size_mismatch = landed.len != rec.size;
                    rec.original = Some(landed);
                }
            } else if rec.reference.is_none() {
                rec.reference = Some(landed);
            }
            rec.maybe_start(processing_ms);
        }
    }
    let mut resp = response(StatusCode::OK, "", Bytes::new());
    set_header(&mut resp, ETAG, &etag);
    set_header(&mut resp, HeaderName::from_static("x-amz-request-id"), rid);
    resp
}

fn no_such_key(rid: &str, path: &str) -> Resp {
    let key = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(BUCKET))
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or(path);
    s3_error(
        StatusCode::NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist.",
        &[("Key", key.to_string())],
        rid,
    )
}

fn get(shared: &Shared, parts: &hyper::http::request::Parts, rid: &str) -> Resp {
    if let Err(resp) = precheck(shared, parts, rid) {
        return resp;
    }
    let path = parts.uri.path();
    let Some((account, owner, id, object)) = split_path(path) else {
        return no_such_key(rid, path);
    };
    if owner == Owner::Job {
        return get_job_object(shared, account, id, object, path, rid);
    }
    let g = shared.lock();
    let Some(rec) = g.find(id, account) else {
        return no_such_key(rid, path);
    };
    let (body, content_type, etag) = match object {
        "result.json" => {
            if rec.status(Instant::now()) != "PROCESSED" {
                return no_such_key(rid, path);
            }
            let Some(json) = results::result_json(rec) else {
                return no_such_key(rid, path);
            };
            let body = Bytes::from(json.to_string().into_bytes());
            let etag = format!("\"{}\"", hex::encode(Md5::digest(&body)));
            (body, "application/json".to_string(), etag)
        }
        "original.media" | "reference.media" => {
            let landed = if object == "original.media" {
                &rec.original
            } else {
                &rec.reference
            };
            let Some(kept) = kept_object(landed.as_ref()) else {
                return no_such_key(rid, path);
            };
            kept
        }
        _ => return no_such_key(rid, path),
    };
    drop(g);
    object_response(body, &content_type, &etag, rid)
}

/// An uploaded object as stored: body, content type, ETag; `None` when it was too large to keep.
fn kept_object(landed: Option<&Landed>) -> Option<(Bytes, String, String)> {
    let l = landed?;
    let ct = l
        .content_type
        .clone()
        .unwrap_or_else(|| "binary/octet-stream".to_string());
    Some((l.bytes.clone()?, ct, l.etag.clone()))
}

/// A 200 with an object. hyper leaves the body out of HEAD answers itself.
fn object_response(body: Bytes, content_type: &str, etag: &str, rid: &str) -> Resp {
    let mut resp = response(StatusCode::OK, content_type, body);
    set_header(&mut resp, ETAG, etag);
    set_header(&mut resp, HeaderName::from_static("x-amz-request-id"), rid);
    resp
}

/// GET of a job's object: an input (when small enough to keep), `result.json` and `heatmap.png`
/// (once completed).
fn get_job_object(
    shared: &Shared,
    account: &str,
    id: &str,
    object: &str,
    path: &str,
    rid: &str,
) -> Resp {
    let g = shared.lock();
    let Some(job) = g.find_job(id, account) else {
        return no_such_key(rid, path);
    };
    let completed = job.status(Instant::now()) == "completed";
    let (body, content_type, etag) = match object {
        "result.json" | "heatmap.png" => {
            let out = match object {
                "result.json" if completed => results::job_result(job)
                    .map(|v| (v.to_string().into_bytes(), "application/json")),
                "heatmap.png" if completed && job.task.has_heatmap() => {
                    results::heatmap_png(job).map(|png| (png, "image/png"))
                }
                _ => None,
            };
            let Some((body, ct)) = out else {
                return no_such_key(rid, path);
            };
            let etag = format!("\"{}\"", hex::encode(Md5::digest(&body)));
            (Bytes::from(body), ct.to_string(), etag)
        }
        slot => {
            let Some(kept) = kept_object(job.input(slot).and_then(|i| i.landed.as_ref())) else {
                return no_such_key(rid, path);
            };
            kept
        }
    };
    drop(g);
    object_response(body, &content_type, &etag, rid)
}
