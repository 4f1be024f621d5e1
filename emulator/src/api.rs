//! The API origin (`/api/...`): routing, authentication and the Media API. The Jobs API's
//! handlers are in `jobs.rs`.

use crate::cors;
use crate::faults::{self, DropConnection, Outcome};
use crate::results;
use crate::state::{Perms, Principal, Record, Route, Shared};
use crate::storage::{object_path, presign};
use crate::util::{
    api_error, header_str, iso8601, json_response, legacy_error, now_ms, parse_query, set_header,
    Resp,
};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::ALLOW;
use hyper::{HeaderMap, Method, Request, StatusCode};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Instant;

/// S3's single-PUT limit, which the platform also applies to `size`.
pub const MAX_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// JSON bodies larger than this are refused before parsing.
const MAX_JSON_BODY: usize = 1024 * 1024;
const MODELS: [&str; 4] = ["DF-1", "AC-1", "FI-1", "FE-1"];

pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Resp, DropConnection> {
    let origin = cors::allowed_origin(&shared, req.headers());
    if req.method() == Method::OPTIONS {
        return Ok(if cors::is_preflight(req.headers()) {
            cors::api_preflight(&shared, req.headers())
        } else {
            cors::api_options()
        });
    }
    let path = req.uri().path().to_string();
    let mut resp = if path == "/__emulator" || path.starts_with("/__emulator/") {
        if shared.test_controls {
            crate::controls::handle(&shared, req).await
        } else {
            not_found_route()
        }
    } else {
        match route(&path, req.method()) {
            Err(resp) => resp,
            Ok((route, mid)) => match faults::apply(shared.take_fault(route)).await {
                Outcome::Drop => return Err(DropConnection),
                Outcome::Respond(mut resp, with_cors) => {
                    if with_cors {
                        cors::api_actual(&mut resp, origin.as_deref());
                    }
                    return Ok(resp);
                }
                Outcome::Continue => dispatch(&shared, route, mid, req).await,
            },
        }
    };
    cors::api_actual(&mut resp, origin.as_deref());
    Ok(resp)
}

fn not_found_route() -> Resp {
    api_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Route not found")
}

fn method_not_allowed(allow: &str) -> Resp {
    let mut resp = api_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "Method not allowed",
    );
    set_header(&mut resp, ALLOW, allow);
    resp
}

/// Matches a path to a route (a trailing slash is tolerated, as Express does).
fn route(path: &str, method: &Method) -> Result<(Route, Option<String>), Resp> {
    let Some(rest) = path.strip_prefix("/api") else {
        return Err(not_found_route());
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest == "/media" {
        return match *method {
            Method::GET => Ok((Route::ListMedia, None)),
            Method::POST => Ok((Route::PostMedia, None)),
            _ => Err(method_not_allowed("GET, POST, OPTIONS")),
        };
    }
    if rest == "/v1/jobs" {
        return match *method {
            Method::GET => Ok((Route::ListJobs, None)),
            Method::POST => Ok((Route::PostJobs, None)),
            _ => Err(method_not_allowed("GET, POST, OPTIONS")),
        };
    }
    if let Some(tail) = rest.strip_prefix("/v1/jobs/") {
        let mut parts = tail.split('/');
        let id = parts.next().unwrap_or("");
        let action = parts.next();
        if !id.is_empty() && parts.next().is_none() {
            let id = Some(crate::util::percent_decode(id));
            return match (action, method) {
                (None, &Method::GET) => Ok((Route::GetJob, id)),
                (None, &Method::DELETE) => Ok((Route::DeleteJob, id)),
                (None, _) => Err(method_not_allowed("GET, DELETE, OPTIONS")),
                (Some("finalize"), &Method::POST) => Ok((Route::FinalizeJob, id)),
                (Some("cancel"), &Method::POST) => Ok((Route::CancelJob, id)),
                (Some("finalize" | "cancel"), _) => Err(method_not_allowed("POST, OPTIONS")),
                _ => Err(not_found_route()),
            };
        }
    }
    if let Some(mid) = rest.strip_prefix("/media/") {
        if !mid.is_empty() && !mid.contains('/') {
            let mid = crate::util::percent_decode(mid);
            return match *method {
                Method::GET => Ok((Route::GetMedia, Some(mid))),
                Method::DELETE => Ok((Route::DeleteMedia, Some(mid))),
                _ => Err(method_not_allowed("GET, DELETE, OPTIONS")),
            };
        }
    }
    Err(not_found_route())
}

async fn dispatch(
    shared: &Shared,
    route: Route,
    mid: Option<String>,
    req: Request<Incoming>,
) -> Resp {
    let auth = match authenticate(shared, req.headers()) {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    let allowed = match route {
        Route::PostMedia | Route::PostJobs | Route::FinalizeJob | Route::CancelJob => {
            auth.perms.write
        }
        Route::DeleteMedia | Route::DeleteJob => auth.perms.delete,
        _ => auth.perms.read,
    };
    if !allowed {
        return auth.forbidden();
    }
    let mid = mid.unwrap_or_default();
    match route {
        Route::PostMedia => create(shared, &auth, req).await,
        Route::ListMedia => list(shared, &auth, req.uri().query()),
        Route::GetMedia => get(shared, &auth, &mid),
        Route::DeleteMedia => delete(shared, &auth, &mid),
        Route::PostJobs => crate::jobs::create(shared, &auth, req).await,
        Route::ListJobs => crate::jobs::list(shared, &auth, req.uri().query()),
        Route::GetJob => crate::jobs::get(shared, &auth, &mid),
        Route::FinalizeJob => crate::jobs::finalize(shared, &auth, &mid),
        Route::CancelJob => crate::jobs::cancel(shared, &auth, &mid),
        Route::DeleteJob => crate::jobs::delete(shared, &auth, &mid),
        Route::PutUpload | Route::GetStorage => not_found_route(),
    }
}

pub struct Auth {
    pub principal: Principal,
    pub account: String,
    pub perms: Perms,
    pub legacy: bool,
}

impl Auth {
    fn forbidden(&self) -> Resp {
        if self.legacy {
            legacy_error(
                StatusCode::FORBIDDEN,
                "IAM002",
                "UNAUTHORIZED",
                "You are not authorized",
            )
        } else {
            api_error(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "You don't have permission to access this",
            )
        }
    }

    pub fn no_credits(&self) -> Resp {
        if self.legacy {
            legacy_error(
                StatusCode::PAYMENT_REQUIRED,
                "U007",
                "CLIENT_ERROR",
                "Insufficient credits",
            )
        } else {
            api_error(
                StatusCode::PAYMENT_REQUIRED,
                "INSUFFICIENT_BALANCE",
                "Insufficient balance. Please top up or enable pay-as-you-go billing",
            )
        }
    }
}

fn invalid_key() -> Resp {
    api_error(
        StatusCode::UNAUTHORIZED,
        "INVALID_API_KEY",
        "API key authentication failed",
    )
}

/// Bearer keys, or (with `--legacy-auth`) the `x-client-id` / `x-client-secret` pair for any
/// request that carries either header.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Auth, Resp> {
    if shared.legacy_auth
        && (headers.contains_key("x-client-id") || headers.contains_key("x-client-secret"))
    {
        let unauth = || {
            legacy_error(
                StatusCode::UNAUTHORIZED,
                "IAM001",
                "UNAUTHENTICATED",
                "You are not authenticated",
            )
        };
        let (Some(id), Some(secret)) = (
            header_str(headers, "x-client-id"),
            header_str(headers, "x-client-secret"),
        ) else {
            return Err(unauth());
        };
        let g = shared.lock();
        let Some(cred) = g.legacy.get(id) else {
            return Err(unauth());
        };
        if !crate::util::ct_eq(cred.secret.as_bytes(), secret.as_bytes()) {
            return Err(unauth());
        }
        let principal = Principal::Legacy(id.to_string());
        return Ok(Auth {
            account: principal.account(),
            principal,
            perms: cred.perms,
            legacy: true,
        });
    }
    let key = header_str(headers, "authorization")
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|k| !k.is_empty())
        .ok_or_else(invalid_key)?;
    let g = shared.lock();
    let info = g.keys.get(key).ok_or_else(invalid_key)?;
    let principal = Principal::Bearer(key.to_string());
    Ok(Auth {
        account: principal.account(),
        principal,
        perms: info.perms,
        legacy: false,
    })
}

pub fn bad_request(message: &str) -> Resp {
    api_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

pub fn kind_of(content_type: &str) -> Option<&'static str> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (ty, sub) = essence.split_once('/')?;
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&c))
    };
    if !token(ty) || !token(sub) {
        return None;
    }
    Some(match ty {
        "video" => "Video",
        "image" => "Image",
        "audio" => "Audio",
        _ => "Other",
    })
}

fn model_accepts(model: &str, kind: &str) -> bool {
    matches!(
        (model, kind),
        ("DF-1", "Video") | ("AC-1", "Image") | ("FI-1", "Image" | "Video") | ("FE-1", "Image")
    )
}

fn required_string<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a str, Resp> {
    match body.get(field) {
        None | Some(Value::Null) => Err(bad_request(&format!("{field} is required"))),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(bad_request(&format!("{field} is required")))
        }
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(bad_request(&format!("{field} must be a string"))),
    }
}

struct NewMedia {
    name: String,
    content_type: String,
    kind: &'static str,
    model: &'static str,
    size: u64,
    metadata: Option<Value>,
    needs_reference: bool,
}

fn validate(body: &Value) -> Result<NewMedia, Resp> {
    let Some(obj) = body.as_object() else {
        return Err(bad_request("Request body must be a JSON object"));
    };
    let name = required_string(obj, "name")?;
    if name.len() > 1024 {
        return Err(bad_request("name must be at most 1024 characters"));
    }
    let content_type = required_string(obj, "contentType")?.trim();
    let model_name = required_string(obj, "modelType")?;
    let size = match obj.get("size") {
        None | Some(Value::Null) => return Err(bad_request("size is required")),
        Some(v) => v
            .as_u64()
            .filter(|s| *s > 0)
            .ok_or_else(|| bad_request("size must be a positive integer"))?,
    };
    if size > MAX_SIZE {
        return Err(bad_request("size must not exceed 5 GB (5368709120 bytes)"));
    }
    let Some(model) = MODELS.iter().copied().find(|m| *m == model_name) else {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "INVALID_TASK_TYPE",
            &format!(
                "Unsupported modelType {model_name:?}; expected one of DF-1, AC-1, FI-1, FE-1"
            ),
        ));
    };
    let printable =
        content_type.len() <= 255 && content_type.bytes().all(|c| (0x20..0x7f).contains(&c));
    let kind = if printable {
        kind_of(content_type)
    } else {
        None
    };
    let Some(kind) = kind.filter(|k| model_accepts(model, k)) else {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("contentType {content_type:?} is not supported by {model}"),
        ));
    };
    let metadata = match obj.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => return Err(bad_request("metadata must be an object")),
    };
    let mut needs_reference = false;
    if let (Some(m), "FI-1") = (&metadata, model) {
        let flag = |key: &str| -> Result<bool, Resp> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(bad_request(&format!("metadata.{key} must be a boolean"))),
            }
        };
        let _single = flag("isSingleFace")?;
        let faceswap = flag("faceswapCheck")?;
        let _liveness = flag("livenessCheck")?;
        needs_reference = flag("faceSimilarityCheck")?;
        if faceswap && kind != "Video" {
            return Err(api_error(
                StatusCode::BAD_REQUEST,
                "UNSUPPORTED_MEDIA_TYPE",
                "faceswapCheck requires a video contentType",
            ));
        }
        if needs_reference && kind != "Image" {
            return Err(api_error(
                StatusCode::BAD_REQUEST,
                "UNSUPPORTED_MEDIA_TYPE",
                "faceSimilarityCheck requires an image contentType",
            ));
        }
    }
    Ok(NewMedia {
        name: name.to_string(),
        content_type: content_type.to_string(),
        kind,
        model,
        size,
        metadata: metadata.map(Value::Object),
        needs_reference,
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    header_str(headers, "content-type")
        .map(|v| {
            let essence = v
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json"
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// The request's JSON body, read as a JSON body parser does: only with a JSON content type,
/// at most 1 MiB.
pub async fn read_json(req: Request<Incoming>) -> Result<Value, Resp> {
    let (parts, body) = req.into_parts();
    if !is_json(&parts.headers) {
        return Err(bad_request("Content-Type must be application/json"));
    }
    let bytes = match Limited::new(body, MAX_JSON_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return Err(api_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "Request body too large",
                ));
            }
            return Err(bad_request("Could not read the request body"));
        }
    };
    serde_json::from_slice::<Value>(&bytes)
        .map_err(|_| bad_request("Malformed JSON in request body"))
}

async fn create(shared: &Shared, auth: &Auth, req: Request<Incoming>) -> Resp {
    // Credits are checked before the body (the documented order ends with the balance); they
    // are only taken once the request is valid.
    if shared
        .lock()
        .credits_mut(&auth.principal)
        .map(|c| *c <= 0)
        .unwrap_or(true)
    {
        return auth.no_credits();
    }
    let value = match read_json(req).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let new = match validate(&value) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let created_ms = now_ms();
    let mid = shared.ids.object_id();
    let (upload_expires, result_expires) = {
        let g = shared.lock();
        (g.settings.upload_expires, g.settings.result_expires)
    };
    let upload_url = presign(
        shared,
        "PUT",
        &object_path(&auth.account, &mid, "original.media"),
        Some(&new.content_type),
        upload_expires,
    );
    let reference_url = new.needs_reference.then(|| {
        presign(
            shared,
            "PUT",
            &object_path(&auth.account, &mid, "reference.media"),
            None,
            upload_expires,
        )
    });
    let rec = Record {
        mid,
        account: auth.account.clone(),
        name: new.name,
        kind: new.kind,
        model: new.model,
        content_type: new.content_type,
        size: new.size,
        metadata: new.metadata,
        created_ms,
        needs_reference: new.needs_reference,
        original: None,
        reference: None,
        size_mismatch: false,
        processing_started: None,
        processing_ms: 0,
        outcome: None,
    };
    let mut out = record_json(shared, &rec, Instant::now(), result_expires);
    {
        let mut g = shared.lock();
        // Re-checked under the lock so that concurrent requests cannot overdraw.
        match g.credits_mut(&auth.principal) {
            Some(c) if *c > 0 => *c -= 1,
            _ => return auth.no_credits(),
        }
        g.records.push(rec);
    }
    out.insert("uploadUrl".into(), json!(upload_url));
    out.insert("expiresIn".into(), json!(upload_expires));
    if let Some(r) = reference_url {
        out.insert("referenceUploadUrl".into(), json!(r));
    }
    json_response(StatusCode::OK, &Value::Object(out))
}

/// The public view of a record.
fn record_json(
    shared: &Shared,
    rec: &Record,
    now: Instant,
    result_expires: u64,
) -> Map<String, Value> {
    let status = rec.status(now);
    let mut m = Map::new();
    m.insert("mid".into(), json!(rec.mid));
    m.insert("name".into(), json!(rec.name));
    m.insert("type".into(), json!(rec.kind));
    m.insert("status".into(), json!(status));
    m.insert("modelType".into(), json!(rec.model));
    m.insert("createdAt".into(), json!(iso8601(rec.created_ms)));
    m.insert("contentType".into(), json!(rec.content_type));
    m.insert("size".into(), json!(rec.size));
    if let Some(md) = &rec.metadata {
        m.insert("metadata".into(), md.clone());
    }
    if rec.original.is_some() {
        m.insert(
            "srcURL".into(),
            json!(presign(
                shared,
                "GET",
                &object_path(&rec.account, &rec.mid, "original.media"),
                None,
                result_expires
            )),
        );
    }
    if status == "PROCESSED" {
        m.insert(
            "resultURL".into(),
            json!(presign(
                shared,
                "GET",
                &object_path(&rec.account, &rec.mid, "result.json"),
                None,
                result_expires
            )),
        );
        if let (Some(o), "DF-1") = (&rec.original, rec.model) {
            let (faces, fakes) = results::df1_counts(&o.sha256);
            m.insert("faces".into(), json!(faces));
            m.insert("deepFakes".into(), json!(fakes));
        }
    }
    m
}

/// The first value of a query parameter.
pub fn query_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `limit`: an integer 1..100, 10 when absent (both list routes).
pub fn limit_param(pairs: &[(String, String)]) -> Result<u64, Resp> {
    match query_param(pairs, "limit") {
        None => Ok(10),
        Some(v) => int_param(v.trim())
            .filter(|l| (1..=100).contains(l))
            .ok_or_else(|| bad_request("limit must be an integer between 1 and 100")),
    }
}

/// A strict non-negative integer parameter: digits only.
pub fn int_param(v: &str) -> Option<u64> {
    if v.is_empty() || v.len() > 15 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn list(shared: &Shared, auth: &Auth, query: Option<&str>) -> Resp {
    let pairs = parse_query(query);
    let param = |name: &str| query_param(&pairs, name);
    let limit = match limit_param(&pairs) {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    let offset = match param("offset") {
        None => 0,
        Some(v) => match int_param(v.trim()) {
            Some(o) => o,
            None => return bad_request("offset must be a non-negative integer"),
        },
    };
    let now = Instant::now();
    let g = shared.lock();
    let result_expires = g.settings.result_expires;
    let mine: Vec<&Record> = g
        .records
        .iter()
        .rev()
        .filter(|r| r.account == auth.account)
        .collect();
    let total = mine.len();
    let data: Vec<Value> = mine
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(100))
        .map(|r| Value::Object(record_json(shared, r, now, result_expires)))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"limit": limit, "offset": offset, "total": total, "data": data}),
    )
}

fn media_not_found() -> Resp {
    api_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Media not found")
}

fn get(shared: &Shared, auth: &Auth, mid: &str) -> Resp {
    let g = shared.lock();
    let Some(rec) = g.find(mid, &auth.account) else {
        return media_not_found();
    };
    let m = record_json(shared, rec, Instant::now(), g.settings.result_expires);
    json_response(StatusCode::OK, &Value::Object(m))
}

fn delete(shared: &Shared, auth: &Auth, mid: &str) -> Resp {
    let mut g = shared.lock();
    let before = g.records.len();
    g.records
        .retain(|r| !(r.mid == mid && r.account == auth.account));
    if g.records.len() == before {
        return media_not_found();
    }
    json_response(
        StatusCode::OK,
        &json!({"mid": mid, "message": "Media deleted"}),
    )
}
