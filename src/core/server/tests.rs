//! Compiled only for `cargo test` (`#[cfg(test)] mod tests;` in server/mod.rs).
//! The handler's decisions on the host: every refusal, with what (if anything) went upstream.

use super::flow::{key, Incoming};
use super::options::RawHandlerOptions;
use super::paths::{decode_id, match_path, Matched};
use super::policy::Policy;
use super::wire::{event_from_json, step_to_json};
use super::*;
use crate::core::request::Route;
use serde_json::{json, Value as J};
use std::rc::Rc;

const KEY: &str = "api_SECRET_server_key";
const BASE: &str = "http://127.0.0.1:8787/api";

fn cfg_with(origins: Option<Vec<&str>>) -> Rc<HandlerConfig> {
    Rc::new(
        HandlerConfig::validate(RawHandlerOptions {
            api_key: Some(KEY.into()),
            base_url: Some(BASE.into()),
            base_path: Some("/api/authenta".into()),
            cors_origins: origins.map(|o| o.into_iter().map(str::to_string).collect()),
            ..Default::default()
        })
        .unwrap(),
    )
}

fn cfg() -> Rc<HandlerConfig> {
    cfg_with(Some(vec![
        "https://app.example",
        "chrome-extension://abcdefghijklmnop",
    ]))
}

fn incoming(method: &str, url: &str) -> Incoming {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    Incoming {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        own_origin: "https://api.example".into(),
        ..Default::default()
    }
}

/// The application's side of a test: what each hook answers.
#[derive(Clone)]
struct App {
    caller: Option<&'static str>,
    policy: J,
    body: Option<String>,
    /// The owner of every id asked about (`None`: unknown id).
    owner: Option<&'static str>,
    rate_limit: Option<f64>,
    listed: J,
    upstream: Vec<Upstream>,
    /// Which hook throws, by step name.
    throws: Option<&'static str>,
}

impl Default for App {
    fn default() -> Self {
        App {
            caller: Some("alice"),
            policy: J::Null,
            body: None,
            owner: Some("alice"),
            rate_limit: None,
            listed: json!({ "ids": [], "total": 0 }),
            upstream: vec![ok(200, json!({}))],
            throws: None,
        }
    }
}

fn ok(status: u16, v: J) -> Upstream {
    Upstream::Answer {
        status,
        retry_after: None,
        text: v.to_string(),
    }
}

/// What a run did: every step in order, and the answer.
struct Run {
    steps: Vec<Step>,
    answer: Answer,
}

impl Run {
    fn sent(&self) -> Vec<&crate::core::request::ApiRequest> {
        self.steps
            .iter()
            .flat_map(|s| match s {
                Step::Send { requests, .. } => requests.iter().collect(),
                _ => vec![],
            })
            .collect()
    }
    fn body(&self) -> J {
        serde_json::from_str(self.answer.body.as_deref().unwrap_or("null")).unwrap()
    }
    fn code(&self) -> String {
        self.body()["code"].as_str().unwrap_or("").to_string()
    }
    fn hooks(&self) -> Vec<&'static str> {
        self.steps.iter().map(name).collect()
    }
}

fn name(s: &Step) -> &'static str {
    match s {
        Step::Authenticate => "authenticate",
        Step::Policy => "policy",
        Step::ReadBody { .. } => "body",
        Step::Owner { .. } => "owner",
        Step::RateLimit { .. } => "rateLimit",
        Step::List { .. } => "list",
        Step::Send { .. } => "send",
        Step::Store { .. } => "store",
        Step::Forget { .. } => "forget",
        Step::Report(_) => "report",
        Step::Answer(_) => "answer",
    }
}

/// No answer names a header twice (a browser reads a doubled CORS header as a refusal).
fn check_headers(answer: &Answer) {
    let mut names: Vec<&str> = answer.headers.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "{:?}", answer.headers);
}

fn run_with(cfg: Rc<HandlerConfig>, req: Incoming, app: App) -> Run {
    let mut flow = Flow::new(cfg, req, 1_000.0);
    let mut steps = vec![];
    let mut event = Event::Go;
    for _ in 0..50 {
        let step = flow.step(event);
        steps.push(step.clone());
        if app.throws == Some(name(&step)) {
            event = Event::HookFailed;
            continue;
        }
        event = match step {
            Step::Answer(answer) => {
                check_headers(&answer);
                return Run { steps, answer };
            }
            Step::Authenticate => Event::Caller(app.caller.map(str::to_string)),
            Step::Policy => Event::Policy(app.policy.clone()),
            Step::ReadBody { limit } => match &app.body {
                Some(b) if b.len() > limit => Event::BodyTooLarge,
                Some(b) => Event::Body(b.clone()),
                None => Event::Body(String::new()),
            },
            Step::Owner { key } => Event::Record(app.owner.map(|o| {
                json!({ "owner": o, "api": "jobs", "id": key, "task": "AC-1", "completed": false })
            })),
            Step::RateLimit { .. } => Event::RateLimit(app.rate_limit),
            Step::List { .. } => Event::Listed(app.listed.clone()),
            Step::Send { requests, .. } => {
                Event::Upstream(app.upstream.iter().cycle().take(requests.len()).cloned().collect())
            }
            Step::Store { .. } | Step::Forget { .. } | Step::Report(_) => Event::Done,
        };
    }
    panic!("the flow did not end: {steps:?}");
}

fn run(method: &str, path: &str, app: App) -> Run {
    run_with(cfg(), incoming(method, path), app)
}

fn job_create_body() -> String {
    json!({ "taskTypeId": "1", "inputs": [
        { "slotName": "original", "contentType": "image/png", "fileName": "a.png", "sizeBytes": 7831 }
    ], "parameters": { "version": "v1" } })
    .to_string()
}

fn created_job() -> Upstream {
    ok(
        200,
        json!({ "job": { "id": "3140", "status": "initiated" }, "inputs": [
        { "slotName": "original", "uploadUrl": "http://127.0.0.1:8788/b/k?X-Amz-Signature=abc" }
    ] }),
    )
}

// ---- the route table ----

#[test]
fn route_names_are_the_table() {
    for r in Route::ALL {
        let (before, after) = r.path();
        let id = if r.is_job() { "{id}" } else { "{mid}" };
        let path = match after {
            Some(a) => format!("{before}{id}{a}"),
            None => before.to_string(),
        };
        assert_eq!(r.name(), format!("{} {path}", r.method()));
    }
}

#[test]
fn every_route_matches_and_nothing_else() {
    let base = "/api/authenta";
    for r in Route::ALL {
        let (before, after) = r.path();
        let path = match after {
            Some(a) => format!("{base}{before}692f406f9f68d4b70080bb80{a}"),
            None => format!("{base}{before}"),
        };
        let id = after.map(|_| "692f406f9f68d4b70080bb80".to_string());
        assert_eq!(
            match_path(base, r.method(), &path),
            Matched::Route { route: r, id },
            "{}",
            r.name()
        );
    }
    assert_eq!(
        match_path(base, "PUT", "/api/authenta/v1/jobs/1"),
        Matched::WrongMethod {
            allow: vec!["GET", "DELETE"]
        }
    );
    assert_eq!(
        match_path(base, "OPTIONS", "/api/authenta/v1/jobs"),
        Matched::Preflight {
            methods: vec!["POST", "GET"]
        }
    );
    for outside in [
        "/api/authenta",
        "/api/authenta/",
        "/api/authentaX/v1/jobs",
        "/api/v1/jobs",
        "/v1/jobs",
        "/api/authenta/v1/jobs/",
        "/api/authenta/v1/jobs/1/",
        "/api/authenta//v1/jobs",
        "/api/authenta/v1//jobs",
        "/api/authenta/v1/jobs/1/2",
        "/api/authenta/v1/jobs/1/retry",
        "/api/authenta/v2/jobs",
        "/api/authenta/V1/jobs",
        "/api/authenta/%761/jobs",
        "/api/authenta/media/1/finalize",
        "/api/authenta/__emulator/reset",
        "/api/authenta/http://evil.example/v1/jobs",
        "//evil.example/api/authenta/v1/jobs",
        "http://evil.example/api/authenta/v1/jobs",
    ] {
        assert_eq!(
            match_path(base, "GET", outside),
            Matched::NotFound,
            "{outside}"
        );
    }
}

#[test]
fn hostile_ids_never_match() {
    let long = "a".repeat(10_000);
    for id in [
        "..",
        ".",
        "%2e%2e",
        "%2E%2E",
        "%2e",
        "a.b",
        "%2F",
        "a%2Fb",
        "%5C",
        "a\\b",
        "%00",
        "%0a",
        "a%0d%0ab",
        "%7f",
        "",
        "%",
        "%2",
        "%zz",
        "%+1",
        "%252e%252e",
        "%25",
        "a b",
        "%20",
        "a?b",
        "a#b",
        "é",
        "%C3%A9",
        &long,
        "%2e%2e%2f%2e%2e",
    ] {
        for path in [
            format!("/api/authenta/v1/jobs/{id}"),
            format!("/api/authenta/v1/jobs/{id}/cancel"),
            format!("/api/authenta/media/{id}"),
        ] {
            for method in ["GET", "POST", "DELETE"] {
                assert_eq!(
                    match_path("/api/authenta", method, &path),
                    Matched::NotFound,
                    "{method} {path}"
                );
            }
        }
    }
    assert_eq!(decode_id("3140").as_deref(), Some("3140"));
    assert_eq!(decode_id("%41b-_~9").as_deref(), Some("Ab-_~9"));
    assert_eq!(decode_id(&"x".repeat(256)).map(|s| s.len()), Some(256));
    assert_eq!(decode_id(&"x".repeat(257)), None);
}

// ---- options ----

fn options(
    f: impl FnOnce(&mut RawHandlerOptions),
) -> Result<HandlerConfig, crate::core::error::Error> {
    let mut raw = RawHandlerOptions {
        api_key: Some(KEY.into()),
        ..Default::default()
    };
    f(&mut raw);
    HandlerConfig::validate(raw)
}

#[test]
fn options_are_checked_at_creation() {
    let c = options(|_| {}).unwrap();
    assert_eq!(
        (c.base_path.as_str(), c.origins.len(), c.timeout_ms),
        ("", 0, 30_000)
    );
    assert_eq!(c.upstream.base_url, crate::core::config::DEFAULT_BASE_URL);
    let refused = |f: fn(&mut RawHandlerOptions)| {
        let e = options(f).unwrap_err();
        assert_eq!(e.code, "CONFIGURATION");
        assert!(!e.message.contains(KEY), "{}", e.message);
        e.message.clone()
    };
    assert!(refused(|o| o.in_browser = true).contains("never in a browser"));
    assert!(refused(|o| o.api_key = None).contains("no credentials"));
    refused(|o| o.api_key = Some(" spaced ".into()));
    refused(|o| o.client_id = Some("id".into()));
    refused(|o| o.base_url = Some("http://authenta.example/api".into()));
    refused(|o| o.base_url = Some("/api".into()));
    for bad in [
        "api",
        "/api/",
        "/api//x",
        "/api/../x",
        "/api/%2e",
        "/a b",
        "/..",
    ] {
        let e = options(|o| o.base_path = Some(bad.into())).unwrap_err();
        assert_eq!(e.code, "CONFIGURATION", "{bad}");
    }
    assert_eq!(
        options(|o| o.base_path = Some("/".into()))
            .unwrap()
            .base_path,
        ""
    );
    for bad in [
        "*",
        "null",
        "NULL",
        "https://*.app.example",
        "https://app.example/",
        "https://app.example/path",
        "HTTPS://APP.EXAMPLE",
        "app.example",
        "http://app.example",
        "ftp://app.example",
        "file://",
        "https://user@app.example",
    ] {
        let e = options(|o| o.cors_origins = Some(vec![bad.into()])).unwrap_err();
        assert_eq!(e.code, "CONFIGURATION", "{bad}");
    }
    refused(|o| o.cors_origins = Some(vec![]));
    for good in [
        "https://app.example",
        "https://app.example:8443",
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        "moz-extension://0b4a7f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    ] {
        assert!(
            options(|o| o.cors_origins = Some(vec![good.into()])).is_ok(),
            "{good}"
        );
    }
    refused(|o| o.timeout_ms = Some(0.0));
}

#[test]
fn options_from_json_name_the_option_not_the_value() {
    let raw = RawHandlerOptions::from_json(&json!({
        "apiKey": KEY, "basePath": "/x", "cors": { "origins": ["https://a.example"] }, "timeoutMs": 5000
    }))
    .unwrap();
    assert_eq!(
        raw.cors_origins,
        Some(vec!["https://a.example".to_string()])
    );
    assert_eq!(raw.timeout_ms, Some(5000.0));
    for bad in [
        json!({ "apiKey": 12 }),
        json!({ "apiKey": KEY, "cors": "https://a.example" }),
        json!({ "apiKey": KEY, "cors": { "origins": [1] } }),
        json!({ "apiKey": KEY, "timeoutMs": "5" }),
    ] {
        let e = RawHandlerOptions::from_json(&bad).unwrap_err();
        assert_eq!(e.code, "CONFIGURATION");
        assert!(!e.message.contains(KEY));
    }
}

// ---- the flow: the happy paths ----

#[test]
fn create_job_is_checked_rebuilt_recorded_then_relayed() {
    let body = json!({ "taskTypeId": "AC-1", "taskTypeId2": "x", "tenantId": "t-other", "inputs": [
        { "slotName": "original", "contentType": "image/png", "fileName": "a.png", "sizeBytes": 7831, "bucket": "other" }
    ], "parameters": { "version": "v1" } })
    .to_string();
    let r = run(
        "POST",
        "/api/authenta/v1/jobs",
        App {
            body: Some(body),
            upstream: vec![created_job()],
            ..App::default()
        },
    );
    assert_eq!(
        r.hooks(),
        [
            "authenticate",
            "policy",
            "body",
            "rateLimit",
            "send",
            "store",
            "report",
            "answer"
        ]
    );
    let sent = r.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].method, sent[0].url.as_str()),
        ("POST", "http://127.0.0.1:8787/api/v1/jobs")
    );
    let headers: Vec<&str> = sent[0].headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(headers, ["accept", "content-type", "authorization"]);
    assert_eq!(sent[0].headers[2].1, format!("Bearer {KEY}"));
    // Only the documented fields, the task as its id.
    let upstream_body: J = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        upstream_body,
        json!({ "taskTypeId": "1", "inputs": [
            { "slotName": "original", "contentType": "image/png", "fileName": "a.png", "sizeBytes": 7831 }
        ], "parameters": { "version": "v1" } })
    );
    let Step::Store { key, record } = &r.steps[5] else {
        panic!("{:?}", r.steps[5])
    };
    assert_eq!(key, "job:3140");
    assert_eq!(
        *record,
        json!({ "owner": "alice", "api": "jobs", "id": "3140", "task": "AC-1", "createdAt": 1000.0, "completed": false })
    );
    assert_eq!(
        r.steps[6],
        Step::Report(json!({ "type": "created", "api": "jobs", "id": "3140", "task": "AC-1" }))
    );
    assert_eq!(r.answer.status, 200);
    assert_eq!(r.body()["job"]["id"], "3140");
    // The page needs the upload URL as it is, signature included.
    assert_eq!(
        r.body()["inputs"][0]["uploadUrl"],
        "http://127.0.0.1:8788/b/k?X-Amz-Signature=abc"
    );
    assert_eq!(r.answer.get("cache-control"), Some("no-store"));
    assert_eq!(r.answer.get("content-type"), Some("application/json"));
}

#[test]
fn create_media_records_the_mid() {
    let body =
        json!({ "name": "a.png", "contentType": "image/png", "size": 7831, "modelType": "AC-1",
                       "metadata": { "isSingleFace": true }, "extra": 1 })
        .to_string();
    let r = run(
        "POST",
        "/api/authenta/media",
        App {
            body: Some(body),
            upstream: vec![ok(
                201,
                json!({ "mid": "692f406f9f68d4b70080bb80", "uploadUrl": "http://s/u" }),
            )],
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 201);
    let sent: J = serde_json::from_str(r.sent()[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        json!({ "name": "a.png", "contentType": "image/png", "size": 7831, "modelType": "AC-1",
                "metadata": { "isSingleFace": true } })
    );
    assert!(r
        .steps
        .iter()
        .any(|s| matches!(s, Step::Store { key, .. } if key == "media:692f406f9f68d4b70080bb80")));
}

#[test]
fn own_job_is_checked_then_sent() {
    for (method, path, url) in [
        ("GET", "/api/authenta/v1/jobs/3140", "/v1/jobs/3140"),
        (
            "POST",
            "/api/authenta/v1/jobs/3140/finalize",
            "/v1/jobs/3140/finalize",
        ),
        (
            "POST",
            "/api/authenta/v1/jobs/3140/cancel",
            "/v1/jobs/3140/cancel",
        ),
        ("DELETE", "/api/authenta/v1/jobs/3140", "/v1/jobs/3140"),
        ("GET", "/api/authenta/media/m1", "/media/m1"),
        ("DELETE", "/api/authenta/media/m1", "/media/m1"),
    ] {
        let r = run(method, path, App::default());
        let owner_step = r.steps.iter().find_map(|s| match s {
            Step::Owner { key } => Some(key.clone()),
            _ => None,
        });
        assert!(owner_step.is_some(), "{method} {path}");
        let sent = r.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].method, method);
        assert_eq!(sent[0].url, format!("{BASE}{url}"));
        assert!(sent[0].body.is_none());
    }
    let deleted = run(
        "DELETE",
        "/api/authenta/v1/jobs/3140",
        App {
            upstream: vec![Upstream::Answer {
                status: 204,
                retry_after: None,
                text: String::new(),
            }],
            ..App::default()
        },
    );
    assert_eq!(deleted.answer.status, 204);
    assert!(deleted.answer.body.is_none());
    assert!(deleted.steps.contains(&Step::Forget {
        key: "job:3140".into()
    }));
    assert!(deleted
        .steps
        .iter()
        .any(|s| matches!(s, Step::Report(e) if e["type"] == "deleted")));
}

#[test]
fn completed_is_reported_once() {
    let done = ok(200, json!({ "id": "3140", "status": "completed" }));
    let r = run(
        "GET",
        "/api/authenta/v1/jobs/3140",
        App {
            upstream: vec![done.clone()],
            ..App::default()
        },
    );
    assert!(r
        .steps
        .iter()
        .any(|s| matches!(s, Step::Store { record, .. } if record["completed"] == true)));
    assert!(r
        .steps
        .iter()
        .any(|s| matches!(s, Step::Report(e) if e["type"] == "completed" && e["task"] == "AC-1")));
    // A record already marked completed: no second event.
    let mut flow = Flow::new(cfg(), incoming("GET", "/api/authenta/v1/jobs/3140"), 0.0);
    assert_eq!(flow.step(Event::Go), Step::Authenticate);
    assert_eq!(flow.step(Event::Caller(Some("alice".into()))), Step::Policy);
    assert!(matches!(
        flow.step(Event::Policy(J::Null)),
        Step::Owner { .. }
    ));
    let record =
        json!({ "owner": "alice", "api": "jobs", "id": "3140", "task": "AC-1", "completed": true });
    assert!(matches!(
        flow.step(Event::Record(Some(record))),
        Step::RateLimit {
            operation: "getJob"
        }
    ));
    assert!(matches!(
        flow.step(Event::RateLimit(None)),
        Step::Send { .. }
    ));
    assert!(matches!(flow.step(Event::Upstream(vec![done])), Step::Answer(a) if a.status == 200));
}

// ---- the flow: refusals, and nothing upstream ----

#[test]
fn another_callers_id_is_a_404_like_a_missing_one() {
    let theirs = run(
        "GET",
        "/api/authenta/v1/jobs/3140",
        App {
            owner: Some("bob"),
            ..App::default()
        },
    );
    let missing = run(
        "GET",
        "/api/authenta/v1/jobs/3140",
        App {
            owner: None,
            ..App::default()
        },
    );
    for r in [&theirs, &missing] {
        assert_eq!((r.answer.status, r.code().as_str()), (404, "NOT_FOUND"));
        assert!(r.sent().is_empty());
    }
    assert_eq!(theirs.answer, missing.answer);
    for (method, path) in [
        ("POST", "/api/authenta/v1/jobs/3140/finalize"),
        ("POST", "/api/authenta/v1/jobs/3140/cancel"),
        ("DELETE", "/api/authenta/v1/jobs/3140"),
        ("GET", "/api/authenta/media/m1"),
        ("DELETE", "/api/authenta/media/m1"),
    ] {
        let r = run(
            method,
            path,
            App {
                owner: Some("bob"),
                ..App::default()
            },
        );
        assert_eq!(r.answer, missing.answer, "{method} {path}");
        assert!(r.sent().is_empty());
    }
}

#[test]
fn no_caller_is_401_and_hooks_that_throw_are_500() {
    let r = run(
        "GET",
        "/api/authenta/v1/jobs/3140",
        App {
            caller: None,
            ..App::default()
        },
    );
    assert_eq!(
        (r.answer.status, r.code().as_str()),
        (401, "UNAUTHENTICATED")
    );
    assert!(r.sent().is_empty());
    for bad in ["", "a\nb"] {
        let mut flow = Flow::new(cfg(), incoming("GET", "/api/authenta/v1/jobs"), 0.0);
        flow.step(Event::Go);
        assert!(
            matches!(flow.step(Event::Caller(Some(bad.into()))), Step::Answer(a) if a.status == 401)
        );
    }
    for hook in [
        "authenticate",
        "policy",
        "body",
        "owner",
        "rateLimit",
        "list",
        "store",
    ] {
        let r = run(
            if hook == "body" || hook == "store" {
                "POST"
            } else {
                "GET"
            },
            if matches!(hook, "list" | "body" | "store") {
                "/api/authenta/v1/jobs"
            } else {
                "/api/authenta/v1/jobs/3140"
            },
            App {
                throws: Some(hook),
                body: Some(job_create_body()),
                upstream: vec![created_job()],
                ..App::default()
            },
        );
        assert_eq!(
            (r.answer.status, r.code().as_str()),
            (500, "HANDLER_ERROR"),
            "{hook}"
        );
        assert_eq!(
            r.body()["message"],
            "The server could not complete this request"
        );
        // Only a store that fails after the create has sent anything.
        assert_eq!(r.sent().len(), usize::from(hook == "store"), "{hook}");
    }
}

#[test]
fn rate_limit_refuses_whatever_it_says_and_never_passes_on_a_throw() {
    for (verdict, wait) in [
        (Some(30.0), "30"),
        (Some(0.2), "1"),
        (Some(f64::NAN), "1"),
        (Some(1e12), "86400"),
    ] {
        let r = run(
            "GET",
            "/api/authenta/v1/jobs/3140",
            App {
                rate_limit: verdict,
                ..App::default()
            },
        );
        assert_eq!((r.answer.status, r.code().as_str()), (429, "RATE_LIMITED"));
        assert_eq!(r.answer.get("retry-after"), Some(wait));
        assert!(r.sent().is_empty());
    }
    let r = run(
        "GET",
        "/api/authenta/v1/jobs/3140",
        App {
            throws: Some("rateLimit"),
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 500);
    assert!(r.sent().is_empty());
}

#[test]
fn policy_limits_tasks_apis_sizes_inputs_lists_and_deletes() {
    let policy =
        json!({ "tasks": ["DF-1", "face-intelligence"], "maxBytes": 1000, "maxInputs": 1 });
    let with = |body: J| App {
        policy: policy.clone(),
        body: Some(body.to_string()),
        upstream: vec![created_job()],
        ..App::default()
    };
    let input = |size: u64| json!({ "slotName": "original", "contentType": "video/mp4", "sizeBytes": size });
    let cases = [
        (
            json!({ "taskTypeId": "1", "inputs": [input(10)] }),
            403,
            "TASK_NOT_ALLOWED",
        ),
        (
            json!({ "taskTypeId": 4, "inputs": [input(1001)] }),
            413,
            "TOO_LARGE",
        ),
        (
            json!({ "taskTypeId": "8", "inputs": [input(10), input(10)] }),
            403,
            "OPERATION_NOT_ALLOWED",
        ),
        (json!({ "inputs": [input(10)] }), 400, "BAD_REQUEST"),
        (
            json!({ "taskTypeId": "nope", "inputs": [input(10)] }),
            400,
            "BAD_REQUEST",
        ),
        (
            json!({ "taskTypeId": "4", "inputs": [] }),
            400,
            "BAD_REQUEST",
        ),
        (
            json!({ "taskTypeId": "4", "inputs": [{ "slotName": "original", "contentType": "video/mp4" }] }),
            400,
            "BAD_REQUEST",
        ),
        (
            json!({ "taskTypeId": "4", "inputs": [{ "slotName": "original", "contentType": "video/mp4\r\nx-a: b", "sizeBytes": 1 }] }),
            400,
            "BAD_REQUEST",
        ),
        (
            json!({ "taskTypeId": "4", "inputs": [input(10)], "parameters": { "x": { "nested": true } } }),
            400,
            "BAD_REQUEST",
        ),
        (json!(["not", "an", "object"]), 400, "BAD_REQUEST"),
    ];
    for (body, status, code) in cases {
        let r = run("POST", "/api/authenta/v1/jobs", with(body.clone()));
        assert_eq!(
            (r.answer.status, r.code().as_str()),
            (status, code),
            "{body}"
        );
        assert!(r.sent().is_empty(), "{body}");
    }
    let r = run(
        "POST",
        "/api/authenta/v1/jobs",
        with(json!({ "taskTypeId": "faceswap-detection", "inputs": [input(1000)] })),
    );
    assert_eq!(r.answer.status, 200);
    assert!(r.sent()[0]
        .body
        .as_deref()
        .unwrap()
        .contains("\"taskTypeId\":\"4\""));
    // Media: the model code is the task; an unknown code is refused when tasks are listed.
    let media = |model: &str, size: u64| {
        App {
        policy: policy.clone(),
        body: Some(json!({ "name": "v.mp4", "contentType": "video/mp4", "size": size, "modelType": model }).to_string()),
        upstream: vec![ok(201, json!({ "mid": "m1", "uploadUrl": "http://s/u" }))],
        ..App::default()
    }
    };
    assert_eq!(
        run("POST", "/api/authenta/media", media("AC-1", 10)).code(),
        "TASK_NOT_ALLOWED"
    );
    assert_eq!(
        run("POST", "/api/authenta/media", media("ZZ-9", 10)).code(),
        "TASK_NOT_ALLOWED"
    );
    assert_eq!(
        run("POST", "/api/authenta/media", media("DF-1", 5000)).code(),
        "TOO_LARGE"
    );
    assert_eq!(
        run("POST", "/api/authenta/media", media("DF-1", 10))
            .answer
            .status,
        201
    );
    // Without a task list, an unknown model code is the API's to judge.
    let open = App {
        policy: J::Null,
        ..media("ZZ-9", 10)
    };
    assert_eq!(run("POST", "/api/authenta/media", open).answer.status, 201);
    // APIs, lists and deletes.
    for (policy, method, path) in [
        (
            json!({ "apis": ["media"] }),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        (json!({ "apis": ["jobs"] }), "GET", "/api/authenta/media"),
        (json!({ "list": false }), "GET", "/api/authenta/v1/jobs"),
        (
            json!({ "delete": false }),
            "DELETE",
            "/api/authenta/v1/jobs/3140",
        ),
        (
            json!({ "delete": false }),
            "DELETE",
            "/api/authenta/media/m1",
        ),
    ] {
        let r = run(
            method,
            path,
            App {
                policy: policy.clone(),
                ..App::default()
            },
        );
        assert_eq!(
            (r.answer.status, r.code().as_str()),
            (403, "OPERATION_NOT_ALLOWED"),
            "{policy}"
        );
        assert!(r.sent().is_empty());
    }
}

#[test]
fn a_policy_the_handler_cannot_read_fails_closed() {
    for bad in [
        json!("everything"),
        json!({ "tasks": "AC-1" }),
        json!({ "tasks": ["no-such-task"] }),
        json!({ "apis": ["jobs", "billing"] }),
        json!({ "all": "yes" }),
        json!({ "maxBytes": -1 }),
        json!({ "admin": true }),
    ] {
        let r = run(
            "GET",
            "/api/authenta/v1/jobs/3140",
            App {
                policy: bad.clone(),
                ..App::default()
            },
        );
        assert_eq!(r.answer.status, 500, "{bad}");
        assert!(r.sent().is_empty());
        assert!(r.steps.iter().any(
            |s| matches!(s, Step::Report(e) if e["type"] == "error" && e["stage"] == "policy")
        ));
    }
    assert_eq!(Policy::from_json(&json!({})).unwrap(), Policy::default());
}

#[test]
fn oversized_bodies_are_413_before_parsing() {
    let huge = format!(
        "{{\"taskTypeId\":\"1\",\"pad\":\"{}\"}}",
        "x".repeat(MAX_BODY_BYTES)
    );
    let r = run(
        "POST",
        "/api/authenta/v1/jobs",
        App {
            body: Some(huge),
            ..App::default()
        },
    );
    assert_eq!((r.answer.status, r.code().as_str()), (413, "TOO_LARGE"));
    assert!(r.sent().is_empty());
}

#[test]
fn paths_and_methods_outside_the_table_run_no_hook() {
    for (method, path, status) in [
        ("GET", "/api/authenta/v1/jobs/..", 404),
        ("GET", "/api/authenta/v1/jobs/%2e%2e", 404),
        ("GET", "/api/authenta/__emulator/keys", 404),
        ("GET", "/other", 404),
        ("PUT", "/api/authenta/v1/jobs/3140", 405),
        ("PATCH", "/api/authenta/media", 405),
    ] {
        let r = run(method, path, App::default());
        assert_eq!(r.answer.status, status, "{method} {path}");
        assert_eq!(r.hooks(), ["answer"], "{method} {path}");
    }
    let r = run("PUT", "/api/authenta/v1/jobs/3140", App::default());
    assert_eq!(r.answer.get("allow"), Some("GET, DELETE"));
    assert_eq!(r.code(), "METHOD_NOT_ALLOWED");
}

// ---- CORS ----

fn from(origin: Option<&str>, method: &str, path: &str) -> Incoming {
    Incoming {
        origin: origin.map(str::to_string),
        ..incoming(method, path)
    }
}

#[test]
fn cors_matrix() {
    let listed = run_with(
        cfg(),
        from(
            Some("https://app.example"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        App::default(),
    );
    assert_eq!(
        listed.answer.get("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(listed.answer.get("vary"), Some("origin"));
    assert_eq!(listed.answer.get("access-control-allow-credentials"), None);
    assert_eq!(listed.sent().len(), 1);
    let ext = run_with(
        cfg(),
        from(
            Some("chrome-extension://abcdefghijklmnop"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        App::default(),
    );
    assert_eq!(
        ext.answer.get("access-control-allow-origin"),
        Some("chrome-extension://abcdefghijklmnop")
    );
    // Unlisted, `null`, a prefix or suffix of a listed one: refused before any hook.
    for o in [
        "https://evil.example",
        "null",
        "https://app.example.evil.example",
        "https://app.exampl",
        "http://app.example",
        "chrome-extension://other",
    ] {
        let r = run_with(
            cfg(),
            from(Some(o), "POST", "/api/authenta/v1/jobs/3140/cancel"),
            App::default(),
        );
        assert_eq!(
            (r.answer.status, r.code().as_str()),
            (403, "ORIGIN_NOT_ALLOWED"),
            "{o}"
        );
        assert_eq!(r.hooks(), ["answer"]);
        assert_eq!(r.answer.get("access-control-allow-origin"), None);
    }
    // Same origin (by URL or by Sec-Fetch-Site) and no origin pass, without CORS headers.
    let same = run_with(
        cfg(),
        from(
            Some("https://api.example"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        App::default(),
    );
    assert_eq!(
        (
            same.answer.status,
            same.answer.get("access-control-allow-origin")
        ),
        (200, None)
    );
    let fetch_site = Incoming {
        sec_fetch_site: Some("same-origin".into()),
        ..from(
            Some("https://proxy.internal"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        )
    };
    assert_eq!(
        run_with(cfg(), fetch_site, App::default()).answer.status,
        200
    );
    let none = run_with(
        cfg(),
        from(None, "GET", "/api/authenta/v1/jobs/3140"),
        App::default(),
    );
    assert_eq!(none.answer.status, 200);
    // No cors option: every cross-origin request is refused, no CORS header ever.
    let closed = run_with(
        cfg_with(None),
        from(
            Some("https://app.example"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        App::default(),
    );
    assert_eq!(closed.answer.status, 403);
    assert!(closed
        .answer
        .headers
        .iter()
        .all(|(n, _)| !n.starts_with("access-control")));
    assert!(closed.answer.get("vary").is_none());
}

#[test]
fn preflights() {
    let pre = |origin: Option<&str>, method: &str, path: &str| {
        let req = Incoming {
            preflight_method: Some(method.into()),
            ..from(origin, "OPTIONS", path)
        };
        run_with(cfg(), req, App::default())
    };
    let ok = pre(
        Some("https://app.example"),
        "DELETE",
        "/api/authenta/v1/jobs/3140",
    );
    assert_eq!(ok.answer.status, 204);
    assert_eq!(
        ok.answer.get("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(
        ok.answer.get("access-control-allow-methods"),
        Some("GET, DELETE")
    );
    assert_eq!(
        ok.answer.get("access-control-allow-headers"),
        Some("authorization, content-type, accept")
    );
    assert_eq!(ok.hooks(), ["answer"]);
    assert_eq!(
        pre(
            Some("https://app.example"),
            "PUT",
            "/api/authenta/v1/jobs/3140"
        )
        .answer
        .status,
        405
    );
    assert_eq!(
        pre(
            Some("https://evil.example"),
            "GET",
            "/api/authenta/v1/jobs/3140"
        )
        .answer
        .status,
        403
    );
    assert_eq!(
        pre(None, "GET", "/api/authenta/v1/jobs/3140").answer.status,
        403
    );
    assert_eq!(
        pre(Some("https://app.example"), "GET", "/api/authenta/nope")
            .answer
            .status,
        404
    );
}

// ---- upstream answers ----

#[test]
fn upstream_answers_are_relayed_scrubbed_or_refused() {
    let get = |up: Upstream| {
        run(
            "GET",
            "/api/authenta/v1/jobs/3140",
            App {
                upstream: vec![up],
                ..App::default()
            },
        )
    };
    let html = get(Upstream::Answer {
        status: 502,
        retry_after: None,
        text: "<html>Bad gateway</html>".into(),
    });
    assert_eq!(
        (html.answer.status, html.code().as_str()),
        (502, "UPSTREAM_FAILED")
    );
    assert_eq!(
        get(Upstream::Failed { timeout: true }).body()["message"],
        "Authenta did not answer in time"
    );
    assert_eq!(get(Upstream::Failed { timeout: false }).answer.status, 502);
    assert_eq!(
        get(ok(401, json!({ "code": "INVALID_API_KEY" }))).code(),
        "UPSTREAM_FAILED"
    );
    assert_eq!(get(ok(302, json!({}))).answer.status, 502);
    assert_eq!(
        get(Upstream::Answer {
            status: 200,
            retry_after: None,
            text: "{\"id\":".into()
        })
        .answer
        .status,
        502
    );
    assert_eq!(
        get(Upstream::Answer {
            status: 200,
            retry_after: None,
            text: String::new()
        })
        .answer
        .status,
        502
    );
    let busy = get(Upstream::Answer {
        status: 503,
        retry_after: Some("7".into()),
        text: json!({ "code": "SERVER_ERROR", "statusCode": 503, "message": format!("key {KEY} is busy") }).to_string(),
    });
    assert_eq!(
        (busy.answer.status, busy.answer.get("retry-after")),
        (503, Some("7"))
    );
    assert_eq!(busy.body()["message"], "key [REDACTED] is busy");
    let signed = get(ok(
        400,
        json!({ "code": "BAD_REQUEST", "message": "expired: https://s3/b/k?X-Amz-Credential=AKIA&X-Amz-Signature=abc123" }),
    ));
    let message = signed.body()["message"].as_str().unwrap().to_string();
    assert!(
        !message.contains("abc123") && !message.contains("AKIA"),
        "{message}"
    );
    let odd = get(Upstream::Answer {
        status: 429,
        retry_after: Some("soon\r\nset-cookie: a=b".into()),
        text: "{}".into(),
    });
    assert_eq!(
        (odd.answer.status, odd.answer.get("retry-after")),
        (429, None)
    );
    assert!(odd
        .answer
        .headers
        .iter()
        .all(|(n, _)| n != "set-cookie" && n != "content-encoding" && n != "content-length"));
    let date = get(Upstream::Answer {
        status: 429,
        retry_after: Some("Wed, 21 Oct 2026 07:28:00 GMT".into()),
        text: "{}".into(),
    });
    assert_eq!(
        date.answer.get("retry-after"),
        Some("Wed, 21 Oct 2026 07:28:00 GMT")
    );
    let missing = get(ok(
        404,
        json!({ "code": "JOB_NOT_FOUND", "statusCode": 404 }),
    ));
    assert_eq!(
        (missing.answer.status, missing.code().as_str()),
        (404, "JOB_NOT_FOUND")
    );
    // A create answered without an id cannot be recorded: never relayed.
    let r = run(
        "POST",
        "/api/authenta/v1/jobs",
        App {
            body: Some(job_create_body()),
            upstream: vec![ok(200, json!({ "job": {} }))],
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 502);
    assert!(!r.steps.iter().any(|s| matches!(s, Step::Store { .. })));
    let r = run(
        "POST",
        "/api/authenta/v1/jobs",
        App {
            body: Some(job_create_body()),
            upstream: vec![ok(200, json!({ "job": { "id": "../x" } }))],
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 502);
}

// ---- lists ----

#[test]
fn lists_come_from_the_store() {
    let job = |id: &str, status: &str| {
        ok(
            200,
            json!({ "id": id, "status": status, "taskTypeId": "1" }),
        )
    };
    let r = run(
        "GET",
        "/api/authenta/v1/jobs?page=2&limit=2&foo=bar",
        App {
            listed: json!({ "ids": ["7", "6"], "total": 5 }),
            upstream: vec![job("7", "completed"), job("6", "queued")],
            ..App::default()
        },
    );
    let Some(Step::List {
        owner,
        api,
        offset,
        limit,
    }) = r.steps.iter().find(|s| matches!(s, Step::List { .. }))
    else {
        panic!()
    };
    assert_eq!(
        (owner.as_str(), *api, *offset, *limit),
        ("alice", "jobs", 2, 2)
    );
    let urls: Vec<&str> = r.sent().iter().map(|q| q.url.as_str()).collect();
    assert_eq!(
        urls,
        [format!("{BASE}/v1/jobs/7"), format!("{BASE}/v1/jobs/6")]
    );
    assert_eq!(
        r.body()["pagination"],
        json!({ "page": 2, "limit": 2, "total": 5, "pages": 3 })
    );
    assert_eq!(r.body()["data"].as_array().unwrap().len(), 2);
    // An empty page sends nothing.
    let empty = run("GET", "/api/authenta/media", App::default());
    assert!(empty.sent().is_empty());
    assert_eq!(
        empty.body(),
        json!({ "data": [], "total": 0, "limit": 50, "offset": 0 })
    );
    // A status filter reads the recent jobs and pages the matches.
    let r = run(
        "GET",
        "/api/authenta/v1/jobs?status=completed&limit=1",
        App {
            listed: json!({ "ids": ["3", "2", "1"], "total": 3 }),
            upstream: vec![job("x", "completed"), job("y", "failed")],
            ..App::default()
        },
    );
    assert!(r.steps.iter().any(|s| matches!(
        s,
        Step::List {
            offset: 0,
            limit: 200,
            ..
        }
    )));
    assert_eq!(r.body()["pagination"]["total"], 2);
    assert_eq!(r.body()["data"].as_array().unwrap().len(), 1);
    // A failure of one item is the page's; a 404 is skipped.
    let r = run(
        "GET",
        "/api/authenta/v1/jobs",
        App {
            listed: json!({ "ids": ["2", "1"], "total": 2 }),
            upstream: vec![ok(503, json!({ "code": "SERVER_ERROR" }))],
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 503);
    let r = run(
        "GET",
        "/api/authenta/v1/jobs",
        App {
            listed: json!({ "ids": ["2", "1"], "total": 2 }),
            upstream: vec![
                ok(404, json!({ "code": "JOB_NOT_FOUND" })),
                job("1", "queued"),
            ],
            ..App::default()
        },
    );
    assert_eq!(r.body()["data"].as_array().unwrap().len(), 1);
    // Bad parameters, and ids the store should never hold.
    for q in [
        "?limit=0",
        "?limit=101",
        "?page=0",
        "?page=1&page=2",
        "?limit=x",
        "?page=%zz",
    ] {
        let r = run("GET", &format!("/api/authenta/v1/jobs{q}"), App::default());
        assert_eq!(
            (r.answer.status, r.code().as_str()),
            (400, "BAD_REQUEST"),
            "{q}"
        );
        assert_eq!(r.hooks(), ["answer"]);
    }
    let r = run(
        "GET",
        "/api/authenta/v1/jobs",
        App {
            listed: json!({ "ids": ["../x", "1"], "total": 2 }),
            ..App::default()
        },
    );
    assert_eq!(
        r.sent().iter().map(|q| q.url.as_str()).collect::<Vec<_>>(),
        [format!("{BASE}/v1/jobs/1")]
    );
    let r = run(
        "GET",
        "/api/authenta/v1/jobs",
        App {
            listed: json!({ "ids": "1" }),
            ..App::default()
        },
    );
    assert_eq!(r.answer.status, 500);
}

#[test]
fn policy_all_relays_lists_and_skips_ownership() {
    let r = run(
        "GET",
        "/api/authenta/v1/jobs?status=queued&page=2&x=1",
        App {
            policy: json!({ "all": true }),
            owner: Some("bob"),
            ..App::default()
        },
    );
    assert!(!r.steps.iter().any(|s| matches!(s, Step::List { .. })));
    assert_eq!(
        r.sent()[0].url,
        format!("{BASE}/v1/jobs?page=2&status=queued")
    );
    let r = run(
        "DELETE",
        "/api/authenta/v1/jobs/3140",
        App {
            policy: json!({ "all": true }),
            owner: Some("bob"),
            ..App::default()
        },
    );
    assert!(!r.steps.iter().any(|s| matches!(s, Step::Owner { .. })));
    assert_eq!(r.sent().len(), 1);
}

// ---- the wire format ----

#[test]
fn wire_round_trip() {
    assert_eq!(event_from_json(&json!({ "go": true })), Event::Go);
    assert_eq!(
        event_from_json(&json!({ "caller": "u1" })),
        Event::Caller(Some("u1".into()))
    );
    assert_eq!(
        event_from_json(&json!({ "caller": null })),
        Event::Caller(None)
    );
    assert_eq!(
        event_from_json(&json!({ "rateLimit": null })),
        Event::RateLimit(None)
    );
    assert!(
        matches!(event_from_json(&json!({ "rateLimit": "x" })), Event::RateLimit(Some(n)) if n.is_nan())
    );
    assert_eq!(
        event_from_json(&json!({ "record": null })),
        Event::Record(None)
    );
    assert_eq!(
        event_from_json(&json!({ "whatever": 1 })),
        Event::HookFailed
    );
    assert_eq!(
        event_from_json(
            &json!({ "upstream": [{ "status": 200, "text": "{}", "retryAfter": "3" }, { "failed": "timeout" }, {}] })
        ),
        Event::Upstream(vec![
            Upstream::Answer {
                status: 200,
                retry_after: Some("3".into()),
                text: "{}".into()
            },
            Upstream::Failed { timeout: true },
            Upstream::Failed { timeout: false },
        ])
    );
    let step = step_to_json(&Step::Answer(Answer::not_found()));
    assert_eq!(step["do"], "answer");
    assert_eq!(step["status"], 404);
    assert_eq!(
        step["headers"][0],
        json!(["content-type", "application/json"])
    );
    assert_eq!(key(Route::GetMedia, "m1"), "media:m1");
    // Out of turn: fail closed.
    let mut flow = Flow::new(cfg(), incoming("GET", "/api/authenta/v1/jobs/1"), 0.0);
    flow.step(Event::Go);
    assert!(matches!(flow.step(Event::RateLimit(None)), Step::Answer(a) if a.status == 500));
    assert!(matches!(flow.step(Event::Go), Step::Answer(a) if a.status == 500));
}

/// Each header once in every answer to a listed origin, preflights included: a browser refuses
/// `Access-Control-Allow-Origin: o, o` (what two copies of the header read as), so a doubled
/// CORS header fails every cross-origin call.
#[test]
fn cors_headers_once() {
    let preflight = |method: &str, path: &str| Incoming {
        preflight_method: Some(method.into()),
        ..from(Some("https://app.example"), "OPTIONS", path)
    };
    for req in [
        preflight("DELETE", "/api/authenta/v1/jobs/3140"),
        preflight("PUT", "/api/authenta/v1/jobs/3140"),
        from(
            Some("https://app.example"),
            "GET",
            "/api/authenta/v1/jobs/3140",
        ),
        from(Some("https://app.example"), "PUT", "/api/authenta/v1/jobs"),
        from(Some("https://app.example"), "GET", "/api/authenta/v1/tasks"),
    ] {
        let r = run_with(cfg(), req, App::default());
        let mut names: Vec<&str> = r.answer.headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let all = names.len();
        names.dedup();
        assert_eq!(names.len(), all, "{:?}", r.answer.headers);
        assert!(r.answer.get("access-control-allow-origin").is_some());
    }
}

/// A list's query: only the route's own parameters count. Any other is dropped unread, even
/// given twice, so no answer names it (an echo could carry anything, the key included: found by
/// the server fuzz target); the route's own given twice is a 400 naming it, and nothing is sent.
#[test]
fn list_queries_name_only_their_own_parameters() {
    let r = run(
        "GET",
        &format!("/api/authenta/v1/jobs?x{KEY}=1&x{KEY}=2&limit=2"),
        App::default(),
    );
    assert_eq!(r.answer.status, 200);
    assert!(!r.answer.body.as_deref().unwrap_or("").contains(KEY));
    let r = run("GET", "/api/authenta/media?limit=1&limit=2", App::default());
    assert_eq!((r.answer.status, r.code().as_str()), (400, "BAD_REQUEST"));
    assert_eq!(
        r.body()["message"],
        "the query parameter limit is given twice"
    );
    assert!(r.sent().is_empty());
}
