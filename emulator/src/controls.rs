//! Test controls under `/__emulator/` (only with `--test-controls`): reset, keys, faults,
//! processing outcomes of records and jobs, settings, and the request log.

use crate::config::valid_key;
use crate::state::{Fault, KeyInfo, LegacyCred, Perms, Route, Shared, DEFAULT_CREDITS};
use crate::util::{api_error, json_response, Resp};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode};
use serde_json::{json, Map, Value};

const MAX_BODY: usize = 1024 * 1024;

fn bad(message: &str) -> Resp {
    api_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

fn ok() -> Resp {
    json_response(StatusCode::OK, &json!({"ok": true}))
}

fn not_allowed() -> Resp {
    api_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "Method not allowed",
    )
}

/// The request body as a JSON object; an empty body is `{}`.
async fn body_object(req: Request<Incoming>) -> Result<Map<String, Value>, Resp> {
    let bytes = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| bad("Could not read the request body"))?
        .to_bytes();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad("Request body must be a JSON object")),
        Err(_) => Err(bad("Malformed JSON in request body")),
    }
}

pub async fn handle(shared: &Shared, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().to_string();
    let rest = path.strip_prefix("/__emulator").unwrap_or("");
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let method = req.method().clone();
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (segments.as_slice(), method) {
        (["reset"], Method::POST) => {
            shared.reset();
            ok()
        }
        (["keys"], Method::GET) => list_keys(shared),
        (["keys"], Method::POST) => match body_object(req).await {
            Ok(b) => add_key(shared, &b),
            Err(r) => r,
        },
        (["keys", key], Method::DELETE) => {
            let key = crate::util::percent_decode(key);
            let mut g = shared.lock();
            let removed = g.keys.remove(&key).is_some() || g.legacy.remove(&key).is_some();
            if removed {
                ok()
            } else {
                api_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Key not found")
            }
        }
        (["faults"], Method::GET) => list_faults(shared),
        (["faults"], Method::POST) => match body_object(req).await {
            Ok(b) => add_fault(shared, &b),
            Err(r) => r,
        },
        (["faults"], Method::DELETE) => {
            shared.lock().faults.clear();
            ok()
        }
        (["media", mid, "outcome"], Method::POST) => {
            let mid = mid.to_string();
            match body_object(req).await {
                Ok(b) => outcome(shared, &mid, &b),
                Err(r) => r,
            }
        }
        (["jobs", id, "outcome"], Method::POST) => {
            let id = crate::util::percent_decode(id);
            match body_object(req).await {
                Ok(b) => job_outcome(shared, &id, &b),
                Err(r) => r,
            }
        }
        (["config"], Method::GET) => config_json(shared),
        (["config"], Method::POST) => match body_object(req).await {
            Ok(b) => set_config(shared, &b),
            Err(r) => r,
        },
        (["log"], Method::GET) => {
            let g = shared.lock();
            json_response(
                StatusCode::OK,
                &Value::Array(g.log.iter().cloned().collect()),
            )
        }
        (["log"], Method::DELETE) => {
            shared.lock().log.clear();
            ok()
        }
        (
            ["reset"]
            | ["keys"]
            | ["keys", _]
            | ["faults"]
            | ["media", _, "outcome"]
            | ["jobs", _, "outcome"]
            | ["config"]
            | ["log"],
            _,
        ) => not_allowed(),
        _ => api_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Unknown test control"),
    }
}

fn list_keys(shared: &Shared) -> Resp {
    let g = shared.lock();
    let mut keys: Vec<Value> = g
        .keys
        .iter()
        .map(|(k, i)| json!({"key": k, "permissions": i.perms.names(), "credits": i.credits}))
        .collect();
    keys.sort_by_key(|v| v["key"].as_str().map(str::to_string));
    let mut legacy: Vec<Value> = g
        .legacy
        .iter()
        .map(
            |(id, c)| json!({"clientId": id, "permissions": c.perms.names(), "credits": c.credits}),
        )
        .collect();
    legacy.sort_by_key(|v| v["clientId"].as_str().map(str::to_string));
    json_response(StatusCode::OK, &json!({"keys": keys, "legacy": legacy}))
}

fn parse_perms(b: &Map<String, Value>) -> Result<Perms, Resp> {
    let Some(v) = b.get("permissions") else {
        return Ok(Perms::ALL);
    };
    let Some(list) = v.as_array() else {
        return Err(bad(
            "permissions must be an array of \"read\", \"write\", \"delete\"",
        ));
    };
    let mut p = Perms {
        read: false,
        write: false,
        delete: false,
    };
    for item in list {
        match item.as_str() {
            Some("read") => p.read = true,
            Some("write") => p.write = true,
            Some("delete") => p.delete = true,
            _ => {
                return Err(bad(
                    "permissions must be an array of \"read\", \"write\", \"delete\"",
                ))
            }
        }
    }
    Ok(p)
}

/// Adds or replaces a Bearer key (`key`) or a legacy pair (`clientId` + `clientSecret`).
fn add_key(shared: &Shared, b: &Map<String, Value>) -> Resp {
    let perms = match parse_perms(b) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let credits = match b.get("credits") {
        None => DEFAULT_CREDITS,
        Some(v) => match v.as_i64() {
            Some(c) => c,
            None => return bad("credits must be an integer"),
        },
    };
    let text = |k: &str| b.get(k).and_then(Value::as_str).filter(|s| valid_key(s));
    if let Some(key) = text("key") {
        shared
            .lock()
            .keys
            .insert(key.to_string(), KeyInfo { perms, credits });
        return json_response(
            StatusCode::OK,
            &json!({"key": key, "permissions": perms.names(), "credits": credits}),
        );
    }
    if let (Some(id), Some(secret)) = (text("clientId"), text("clientSecret")) {
        shared.lock().legacy.insert(
            id.to_string(),
            LegacyCred {
                secret: secret.to_string(),
                perms,
                credits,
            },
        );
        return json_response(
            StatusCode::OK,
            &json!({"clientId": id, "permissions": perms.names(), "credits": credits}),
        );
    }
    bad("give \"key\" (or \"clientId\" and \"clientSecret\"): visible ASCII without spaces")
}

fn fault_json(f: &Fault) -> Value {
    json!({
        "route": f.route.name(),
        "count": f.remaining,
        "status": f.status,
        "body": f.body,
        "contentType": f.content_type,
        "retryAfter": f.retry_after,
        "delayMs": f.delay_ms,
        "drop": f.drop,
        "cors": f.cors,
        "headers": f.headers.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<String, Value>>(),
        "bodySize": f.body_size,
    })
}

/// Largest `bodySize` of a fault: above the SDK's 64 MiB limit, small enough for a test machine.
const MAX_FAULT_BODY: u64 = 256 * 1024 * 1024;

/// Headers a fault may not set: the framing is the emulator's (a `Content-Length` that disagrees
/// with the body would break the connection, not imitate a server).
const FRAMING_HEADERS: [&str; 4] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
];

/// A fault's `headers`: an object of header name → string value (names lower-cased).
fn fault_headers(v: Option<&Value>) -> Result<Vec<(String, String)>, Resp> {
    let map = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(bad(
                "headers must be an object of header name to string value",
            ))
        }
    };
    let mut out = Vec::new();
    for (name, value) in map {
        let lower = name.to_ascii_lowercase();
        if HeaderName::from_bytes(lower.as_bytes()).is_err() {
            return Err(bad(&format!("headers: {name:?} is not a header name")));
        }
        if FRAMING_HEADERS.contains(&lower.as_str()) {
            return Err(bad(&format!(
                "headers: {name} is set by the emulator (use bodySize for a large body)"
            )));
        }
        match value.as_str() {
            Some(s) if HeaderValue::from_str(s).is_ok() => out.push((lower, s.to_string())),
            _ => {
                return Err(bad(&format!(
                    "headers: the value of {name} must be a header value string"
                )))
            }
        }
    }
    Ok(out)
}

fn list_faults(shared: &Shared) -> Resp {
    let g = shared.lock();
    json_response(
        StatusCode::OK,
        &Value::Array(g.faults.iter().map(fault_json).collect()),
    )
}

fn add_fault(shared: &Shared, b: &Map<String, Value>) -> Resp {
    let Some(route) = b
        .get("route")
        .and_then(Value::as_str)
        .and_then(Route::parse)
    else {
        return bad(&format!("route must be one of {}", Route::all().join(", ")));
    };
    let count = match b.get("count") {
        None => 1,
        Some(v) => match v.as_u64().filter(|c| (1..=1_000_000).contains(c)) {
            Some(c) => u32::try_from(c).unwrap_or(1),
            None => return bad("count must be an integer from 1 to 1000000"),
        },
    };
    let status = match b.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().filter(|s| (200..=599).contains(s)) {
            Some(s) => u16::try_from(s).ok(),
            None => return bad("status must be an integer from 200 to 599"),
        },
    };
    let body = match b.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        // Anything else is sent as its JSON text, a convenience for JSON bodies.
        Some(v) => v.to_string(),
    };
    let content_type = match b.get("contentType") {
        None | Some(Value::Null) => "application/json".to_string(),
        Some(Value::String(s)) if s.is_empty() || HeaderValue::from_str(s).is_ok() => s.clone(),
        Some(_) => return bad("contentType must be a header value"),
    };
    let retry_after = match b.get("retryAfter") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if HeaderValue::from_str(s).is_ok() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return bad("retryAfter must be a string (sent verbatim) or a number"),
    };
    let delay_ms = match b.get("delayMs") {
        None | Some(Value::Null) => 0,
        Some(v) => match v.as_u64().filter(|d| *d <= 600_000) {
            Some(d) => d,
            None => return bad("delayMs must be an integer from 0 to 600000"),
        },
    };
    let flag = |k: &str, default: bool| match b.get(k) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(x)) => Ok(*x),
        Some(_) => Err(bad(&format!("{k} must be a boolean"))),
    };
    let drop = match flag("drop", false) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cors = match flag("cors", true) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let headers = match fault_headers(b.get("headers")) {
        Ok(h) => h,
        Err(r) => return r,
    };
    let body_size = match b.get("bodySize") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().filter(|n| *n <= MAX_FAULT_BODY) {
            Some(n) => Some(n),
            None => return bad("bodySize must be an integer from 0 to 268435456 (256 MiB)"),
        },
    };
    let fault = Fault {
        route,
        remaining: count,
        status,
        body,
        content_type,
        retry_after,
        delay_ms,
        drop,
        cors,
        headers,
        body_size,
    };
    let queued = fault_json(&fault);
    let mut g = shared.lock();
    g.faults.push_back(fault);
    let pending: Vec<Value> = g.faults.iter().map(fault_json).collect();
    json_response(
        StatusCode::OK,
        &json!({"queued": queued, "pending": pending}),
    )
}

fn outcome(shared: &Shared, mid: &str, b: &Map<String, Value>) -> Resp {
    let status = match b.get("status").and_then(Value::as_str) {
        Some("FAILED") => Some("FAILED"),
        Some("ERROR") => Some("ERROR"),
        Some("PROCESSED") => None,
        _ => return bad("status must be \"FAILED\", \"ERROR\" or \"PROCESSED\""),
    };
    let mut g = shared.lock();
    let Some(rec) = g.records.iter_mut().find(|r| r.mid == mid) else {
        return api_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Media not found");
    };
    rec.outcome = status;
    let now = rec.status(std::time::Instant::now());
    json_response(
        StatusCode::OK,
        &json!({"mid": mid, "outcome": status.unwrap_or("PROCESSED"), "status": now}),
    )
}

/// A job's processing ends in `failed` (with an `errorMessage`) instead of `completed`, or in
/// `completed` again.
fn job_outcome(shared: &Shared, id: &str, b: &Map<String, Value>) -> Resp {
    let failure = match b.get("status").and_then(Value::as_str) {
        Some("failed") => match b.get("errorMessage") {
            None | Some(Value::Null) => Some("Processing failed".to_string()),
            Some(Value::String(m)) => Some(m.clone()),
            Some(_) => return bad("errorMessage must be a string"),
        },
        Some("completed") => None,
        _ => return bad("status must be \"failed\" or \"completed\""),
    };
    let mut g = shared.lock();
    let Some(job) = g.jobs.iter_mut().find(|j| j.id.to_string() == id) else {
        return api_error(
            StatusCode::NOT_FOUND,
            "JOB_NOT_FOUND",
            &format!("Job with ID {id} does not exist"),
        );
    };
    let outcome = if failure.is_some() {
        "failed"
    } else {
        "completed"
    };
    job.failure = failure;
    let now = job.status(std::time::Instant::now());
    json_response(
        StatusCode::OK,
        &json!({"jobId": id, "outcome": outcome, "status": now}),
    )
}

fn config_json(shared: &Shared) -> Resp {
    let s = shared.lock().settings;
    json_response(
        StatusCode::OK,
        &json!({
            "processingMs": s.processing_ms,
            "uploadExpiresIn": s.upload_expires,
            "resultExpiresIn": s.result_expires,
            "jobsVariant": if s.jobs_flat { "flat" } else { "live" },
        }),
    )
}

fn set_config(shared: &Shared, b: &Map<String, Value>) -> Resp {
    let field = |k: &str| -> Result<Option<u64>, Resp> {
        match b.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|x| *x <= 604_800_000)
                .map(Some)
                .ok_or_else(|| bad(&format!("{k} must be a non-negative integer"))),
        }
    };
    let (p, u, r) = match (
        field("processingMs"),
        field("uploadExpiresIn"),
        field("resultExpiresIn"),
    ) {
        (Ok(p), Ok(u), Ok(r)) => (p, u, r),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    let flat = match b.get("jobsVariant") {
        None | Some(Value::Null) => None,
        Some(Value::String(v)) if v == "live" => Some(false),
        Some(Value::String(v)) if v == "flat" => Some(true),
        Some(_) => return bad("jobsVariant must be \"live\" or \"flat\""),
    };
    // S3 refuses X-Amz-Expires above 7 days.
    if u.is_some_and(|x| x > 604_800) || r.is_some_and(|x| x > 604_800) {
        return bad("expiry must be at most 604800 seconds");
    }
    {
        let mut g = shared.lock();
        if let Some(p) = p {
            g.settings.processing_ms = p;
        }
        if let Some(u) = u {
            g.settings.upload_expires = u;
        }
        if let Some(r) = r {
            g.settings.result_expires = r;
        }
        if let Some(f) = flat {
            g.settings.jobs_flat = f;
        }
    }
    config_json(shared)
}
