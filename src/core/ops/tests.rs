//! Compiled only for `cargo test` (`#[cfg(test)] mod tests;` in ops/mod.rs).
//! The operations in virtual time: a scripted server, a clock that moves only when an operation
//! sleeps or a request takes time, and every step recorded.

use super::media::*;
use super::result::GetResult;
use super::subject::Subject;
use super::submit::{Plan, Run, Submit};
use super::wait::{Deadline, Wait};
use super::*;
use crate::core::config::{RawKey, RawOptions};
use crate::core::error::{Cause, ErrorKind};
use crate::core::poll::PollSchedule;
use crate::core::response::answer_from_text;
use serde_json::{json, Value as J};

const API: &str = "http://127.0.0.1:8787/api";
const STORE: &str = "http://127.0.0.1:8788/b";
const MID: &str = "692f406f9f68d4b70080bb80";

fn config(raw: RawOptions) -> Config {
    Config::validate(RawOptions {
        base_url: Some(API.into()),
        ..raw
    })
    .unwrap()
}

fn bearer() -> Config {
    config(RawOptions {
        api_key: Some(RawKey::Static("api_SECRET_k".into())),
        ..Default::default()
    })
}

/// What the scripted server does with one request.
enum Reply {
    Status(u16, &'static str),
    Json(u16, J),
    WithRetryAfter(u16, &'static str, &'static str),
    Fail(Failure),
}

/// Everything an operation did, in virtual time.
#[derive(Default)]
struct Sim {
    now: f64,
    sent: Vec<Outgoing>,
    slept: Vec<u64>,
    statuses: Vec<String>,
    progress: Vec<(f64, bool)>,
    tokens: u32,
    /// The time limit of each `apiKey` call.
    token_limits: Vec<Option<u64>>,
    /// How many `apiKey` calls never answer (the driver's limit fires), before they do.
    hung_keys: u32,
    /// Abort while the `apiKey` function is asked.
    abort_keying: bool,
    /// Abort once this many requests were sent (the next step sees the abort).
    abort_after: Option<usize>,
}

impl Sim {
    fn run<O: Op<J>>(
        &mut self,
        config: &Config,
        op: &mut O,
        mut server: impl FnMut(&Outgoing, usize) -> Reply,
    ) -> Result<Done<J>, Error> {
        let mut event = Event::Go;
        for _ in 0..10_000 {
            let env = Env {
                config,
                now_ms: self.now,
                rand: 0.5,
                token: None,
            };
            event = match op.step(event, &env) {
                Step::Token(limit) => {
                    self.tokens += 1;
                    self.token_limits.push(limit);
                    if self.abort_keying {
                        Event::Failed(Failure::Aborted {
                            timeout: false,
                            message: "stop".into(),
                        })
                    } else if self.hung_keys > 0 {
                        self.hung_keys -= 1;
                        self.now += limit.unwrap_or(0) as f64;
                        Event::Failed(Failure::TimedOut)
                    } else {
                        Event::Token(Ok(Some(format!("tok{}", self.tokens))))
                    }
                }
                Step::Send(out) => {
                    if self.abort_after.is_some_and(|n| self.sent.len() >= n) {
                        Event::Failed(Failure::Aborted {
                            timeout: false,
                            message: "stop".into(),
                        })
                    } else {
                        let n = self.sent.len();
                        self.sent.push(out.clone());
                        self.now += 20.0;
                        match server(&out, n) {
                            Reply::Status(s, body) => {
                                Event::Answer(answer_from_text(s, body, None))
                            }
                            Reply::Json(s, v) => {
                                Event::Answer(answer_from_text(s, &v.to_string(), None))
                            }
                            Reply::WithRetryAfter(s, body, ra) => {
                                Event::Answer(answer_from_text(s, body, Some(ra)))
                            }
                            Reply::Fail(Failure::TimedOut) => {
                                self.now += out.timeout_ms.unwrap_or(0) as f64;
                                Event::Failed(Failure::TimedOut)
                            }
                            Reply::Fail(f) => Event::Failed(f),
                        }
                    }
                }
                Step::Sleep(ms) => {
                    self.slept.push(ms);
                    if self.abort_after.is_some_and(|n| self.sent.len() >= n) {
                        Event::Failed(Failure::Aborted {
                            timeout: false,
                            message: "stop".into(),
                        })
                    } else {
                        self.now += ms as f64;
                        Event::Go
                    }
                }
                Step::Status(v) => {
                    self.statuses
                        .push(v["status"].as_str().unwrap_or("").into());
                    Event::Go
                }
                Step::Progress(p) => {
                    self.progress.push((p.loaded, p.computable));
                    Event::Go
                }
                Step::Done(d) => return Ok(d),
                Step::Fail(e) => return Err(e),
            };
        }
        panic!("the operation never ended");
    }
}

fn media(status: &str) -> J {
    json!({ "mid": MID, "status": status, "name": "a.mp4", "modelType": "DF-1", "extra": { "kept": true } })
}

fn processed() -> J {
    let mut m = media("PROCESSED");
    m["resultURL"] = json!(format!("{STORE}/{MID}/result.json?X-Amz-Signature=sig1"));
    m
}

fn long(config: &Config, timeout: Option<u64>) -> Limits {
    Limits::long(config, timeout, None, 0.0)
}

fn header<'a>(o: &'a Outgoing, name: &str) -> Option<&'a str> {
    o.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn value(d: Done<J>) -> J {
    match d {
        Done::Value(v) => v,
        other => panic!("expected a value, got {other:?}"),
    }
}

// ---- single requests ----

#[test]
fn single_get_sends_the_request_and_hands_back_the_body_untouched() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = Single::new(
        ApiCall::GetMedia(MID.into()),
        Limits::single(&c, None, None),
    );
    let got = sim
        .run(&c, &mut op, |_, _| Reply::Json(200, media("PROCESSED")))
        .unwrap();
    assert_eq!(
        value(got),
        media("PROCESSED"),
        "unknown fields reach the caller"
    );
    let o = &sim.sent[0];
    assert_eq!(
        (o.method, o.url.as_str()),
        ("GET", &*format!("{API}/media/{MID}"))
    );
    assert_eq!(header(o, "authorization"), Some("Bearer api_SECRET_k"));
    assert_eq!((o.api, o.timeout_ms), (true, Some(30_000)));
}

#[test]
fn transient_failures_are_retried_with_backoff_then_give_up() {
    let c = bearer();
    for (replies, ok, requests) in [
        (vec![503, 503, 200], true, 3),
        (vec![503, 503, 503, 200], false, 3),
        (vec![500, 502, 504], false, 3),
        (vec![408, 429, 200], true, 3),
    ] {
        let mut sim = Sim::default();
        let mut op = Single::new(
            ApiCall::GetMedia(MID.into()),
            Limits::single(&c, None, None),
        );
        let out = sim.run(&c, &mut op, |_, n| match replies[n] {
            200 => Reply::Json(200, media("INITED")),
            s => Reply::Status(s, r#"{"code":"X","message":"busy"}"#),
        });
        assert_eq!(out.is_ok(), ok, "{replies:?}");
        assert_eq!(sim.sent.len(), requests, "{replies:?}");
        // Back-off 500 ms then 1 s, less up to 25 % jitter (rand 0.5: 12.5 %).
        assert_eq!(sim.slept, vec![437, 875], "{replies:?}");
    }
}

#[test]
fn final_statuses_are_not_retried() {
    let c = bearer();
    for (status, kind) in [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Authentication),
        (402, ErrorKind::InsufficientBalance),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::BadRequest),
        (422, ErrorKind::BadRequest),
        (501, ErrorKind::Server),
    ] {
        let mut sim = Sim::default();
        let mut op = Single::new(
            ApiCall::GetMedia(MID.into()),
            Limits::single(&c, None, None),
        );
        let e = sim
            .run(&c, &mut op, |_, _| Reply::Status(status, "{}"))
            .unwrap_err();
        assert_eq!((e.kind, e.status, sim.sent.len()), (kind, Some(status), 1));
        assert_eq!(e.mid.as_deref(), Some(MID));
    }
}

#[test]
fn retry_after_wins_and_dates_count_from_now() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = Single::new(
        ApiCall::ListMedia(ListParams::default()),
        Limits::single(&c, None, None),
    );
    sim.run(&c, &mut op, |_, n| match n {
        0 => Reply::WithRetryAfter(503, "", "3"),
        _ => Reply::Json(200, json!({ "data": [], "total": 0 })),
    })
    .unwrap();
    assert_eq!(sim.slept, vec![3000]);
    // Longer than a minute with no deadline: given to the caller, not waited for.
    let mut sim = Sim::default();
    let mut op = Single::new(
        ApiCall::ListMedia(ListParams::default()),
        Limits::single(&c, None, None),
    );
    let e = sim
        .run(&c, &mut op, |_, _| Reply::WithRetryAfter(429, "", "120"))
        .unwrap_err();
    assert_eq!(
        (e.kind, e.retry_after_ms, sim.sent.len()),
        (ErrorKind::RateLimit, Some(120_000), 1)
    );
}

#[test]
fn network_time_out_abort_and_too_large() {
    let c = bearer();
    let cases: Vec<(Failure, ErrorKind, usize, Cause)> = vec![
        (
            Failure::Network("ECONNREFUSED".into()),
            ErrorKind::Connection,
            3,
            Cause::Runtime,
        ),
        (Failure::TimedOut, ErrorKind::Timeout, 3, Cause::None),
        (
            Failure::Aborted {
                timeout: false,
                message: "user".into(),
            },
            ErrorKind::Abort,
            1,
            Cause::Runtime,
        ),
        (
            Failure::Aborted {
                timeout: true,
                message: "signal timed out".into(),
            },
            ErrorKind::Timeout,
            1,
            Cause::Runtime,
        ),
        (
            Failure::TooLarge(200),
            ErrorKind::InvalidResponse,
            1,
            Cause::None,
        ),
    ];
    for (failure, kind, requests, cause) in cases {
        let mut sim = Sim::default();
        let mut op = Single::new(
            ApiCall::GetMedia(MID.into()),
            Limits::single(&c, None, None),
        );
        let f = failure.clone();
        let e = sim
            .run(&c, &mut op, |_, _| Reply::Fail(f.clone()))
            .unwrap_err();
        assert_eq!(
            (e.kind, sim.sent.len(), e.cause.clone()),
            (kind, requests, cause),
            "{failure:?}"
        );
    }
}

#[test]
fn a_key_function_is_asked_before_every_attempt() {
    let c = config(RawOptions {
        api_key: Some(RawKey::Provider),
        ..Default::default()
    });
    let mut sim = Sim::default();
    let mut op = Single::new(
        ApiCall::GetMedia(MID.into()),
        Limits::single(&c, None, None),
    );
    sim.run(&c, &mut op, |_, n| match n {
        0 => Reply::Status(503, ""),
        _ => Reply::Json(200, media("INITED")),
    })
    .unwrap();
    assert_eq!(sim.tokens, 2);
    assert_eq!(header(&sim.sent[0], "authorization"), Some("Bearer tok1"));
    assert_eq!(header(&sim.sent[1], "authorization"), Some("Bearer tok2"));
}

#[test]
fn a_key_function_that_does_not_answer_fails_the_attempt_at_its_time_out() {
    let c = config(RawOptions {
        api_key: Some(RawKey::Provider),
        timeout_ms: Some(5_000.0),
        ..Default::default()
    });
    let get = |limits| Single::new(ApiCall::GetMedia(MID.into()), limits);
    // Retried like an attempt that got no answer: the function is asked again.
    let mut sim = Sim {
        hung_keys: 1,
        ..Default::default()
    };
    let got = sim.run(&c, &mut get(Limits::single(&c, None, None)), |_, _| {
        Reply::Json(200, media("INITED"))
    });
    assert_eq!(value(got.unwrap())["mid"], MID);
    assert_eq!(sim.token_limits, [Some(5_000), Some(5_000)]);
    assert_eq!(header(&sim.sent[0], "authorization"), Some("Bearer tok2"));
    // Without retries: a TimeoutError that says so, and nothing sent.
    let mut sim = Sim {
        hung_keys: 1,
        ..Default::default()
    };
    let e = sim
        .run(
            &c,
            &mut get(Limits::single(&c, Some(300), Some(0))),
            |_, _| Reply::Json(200, media("INITED")),
        )
        .unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), (ErrorKind::Timeout, "TIMEOUT"));
    assert_eq!(
        e.message,
        "the apiKey function did not answer within 300 ms"
    );
    assert_eq!(e.mid.as_deref(), Some(MID));
    assert!(sim.sent.is_empty());
    // Within a long operation's deadline, the limit is what is left of it.
    let mut sim = Sim {
        hung_keys: 1,
        ..Default::default()
    };
    let mut wait = wait_op(Some(1_200), &c);
    let e = sim
        .run(&c, &mut wait, |_, _| Reply::Json(200, media("INITED")))
        .unwrap_err();
    assert_eq!(sim.token_limits, [Some(1_200)]);
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(sim.sent.is_empty());
}

#[test]
fn an_abort_while_the_key_function_is_asked_ends_the_operation() {
    let c = config(RawOptions {
        api_key: Some(RawKey::Provider),
        ..Default::default()
    });
    let mut sim = Sim {
        abort_keying: true,
        ..Default::default()
    };
    let mut op = Single::new(
        ApiCall::ListMedia(ListParams::default()),
        Limits::single(&c, None, None),
    );
    let e = sim
        .run(&c, &mut op, |_, _| Reply::Status(200, "{}"))
        .unwrap_err();
    assert_eq!((e.kind, e.aborted, sim.tokens), (ErrorKind::Abort, true, 1));
    assert!(sim.sent.is_empty());
}

#[test]
fn secrets_are_redacted_from_errors() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = Single::new(
        ApiCall::GetMedia(MID.into()),
        Limits::single(&c, None, None),
    );
    let e = sim
        .run(&c, &mut op, |_, _| {
            Reply::Status(
                401,
                r#"{"code":"INVALID_API_KEY","message":"key api_SECRET_k is revoked"}"#,
            )
        })
        .unwrap_err();
    assert!(!e.message.contains("api_SECRET_k"), "{}", e.message);
}

#[test]
fn delete_accepts_empty_and_json_bodies_but_not_pages() {
    let c = bearer();
    for (status, body, ok) in [
        (204, "", true),
        (200, "", true),
        (200, r#"{"ok":1}"#, true),
        (200, "<html>", false),
    ] {
        let mut sim = Sim::default();
        let mut op = Single::new(
            ApiCall::DeleteMedia(MID.into()),
            Limits::single(&c, None, None),
        );
        let out = sim.run(&c, &mut op, |_, _| Reply::Status(status, body));
        match out {
            Ok(d) => assert!(ok && d == Done::Nothing, "{body}"),
            Err(e) => assert!(!ok && e.kind == ErrorKind::InvalidResponse, "{body}"),
        }
    }
}

// ---- waiting ----

fn wait_op(timeout: Option<u64>, c: &Config) -> Wait<J> {
    Wait::new(
        Subject::Media(MID.into()),
        PollSchedule::default(),
        Deadline::media(timeout),
        long(c, None),
        None,
    )
}

#[test]
fn wait_reports_each_status_once_and_resolves_when_processed() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = wait_op(None, &c);
    let seq = [
        "INITED",
        "uploaded",
        "UPLOADED",
        "PROCESSING",
        "PROCESSING",
        "PROCESSED",
    ];
    let got = sim
        .run(&c, &mut op, |_, n| Reply::Json(200, media(seq[n.min(5)])))
        .unwrap();
    assert_eq!(value(got)["status"], "PROCESSED");
    assert_eq!(
        sim.statuses,
        vec!["INITED", "uploaded", "PROCESSING", "PROCESSED"]
    );
    assert_eq!(sim.sent.len(), 6);
    // 1 s growing by 1.5 (rand 0.5: no jitter).
    assert_eq!(sim.slept, vec![1000, 1500, 2250, 3375, 5062]);
}

#[test]
fn a_short_api_blip_does_not_end_a_long_wait() {
    // Four 503s in a row (more than maxRetries) inside a 60 s deadline: the wait goes on.
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = wait_op(Some(60_000), &c);
    let got = sim.run(&c, &mut op, |_, n| match n {
        1..=4 => Reply::Status(503, ""),
        0 => Reply::Json(200, media("PROCESSING")),
        _ => Reply::Json(200, media("PROCESSED")),
    });
    assert_eq!(value(got.unwrap())["status"], "PROCESSED");
    assert_eq!(sim.sent.len(), 6);
}

#[test]
fn at_the_deadline_the_time_out_carries_the_last_failure() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = wait_op(Some(20_000), &c);
    let e = sim
        .run(&c, &mut op, |_, n| match n {
            0 => Reply::Json(200, media("PROCESSING")),
            _ => Reply::Status(503, r#"{"message":"down"}"#),
        })
        .unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), (ErrorKind::Timeout, "TIMEOUT"));
    assert!(
        e.message.contains("last status: PROCESSING"),
        "{}",
        e.message
    );
    match &e.cause {
        Cause::Error(last) => assert_eq!((last.kind, last.status), (ErrorKind::Server, Some(503))),
        other => panic!("cause {other:?}"),
    }
    assert!(
        sim.now <= 20_000.0 + 100.0,
        "ends at the deadline: {}",
        sim.now
    );
    // The last attempt cut short by the deadline does not replace the failure ridden out.
    let mut sim = Sim::default();
    let mut op = wait_op(Some(3_000), &c);
    let e = sim
        .run(&c, &mut op, |o, n| match n {
            0 => Reply::Status(503, ""),
            _ if o.timeout_ms < Some(30_000) => Reply::Fail(Failure::TimedOut),
            _ => Reply::Status(503, ""),
        })
        .unwrap_err();
    match &e.cause {
        Cause::Error(last) => assert_eq!(last.status, Some(503), "{last:?}"),
        other => panic!("cause {other:?}"),
    }
    // A wait that simply ran out has no cause.
    let mut sim = Sim::default();
    let mut op = wait_op(Some(5_000), &c);
    let e = sim
        .run(&c, &mut op, |_, _| Reply::Json(200, media("PROCESSING")))
        .unwrap_err();
    assert_eq!((e.kind, e.cause.clone()), (ErrorKind::Timeout, Cause::None));
}

#[test]
fn final_failures_end_the_wait_at_once() {
    let c = bearer();
    for (status, kind) in [
        (401, ErrorKind::Authentication),
        (402, ErrorKind::InsufficientBalance),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
    ] {
        let mut sim = Sim::default();
        let mut op = wait_op(Some(600_000), &c);
        let e = sim
            .run(&c, &mut op, |_, _| Reply::Status(status, "{}"))
            .unwrap_err();
        assert_eq!((e.kind, sim.sent.len()), (kind, 1));
    }
    let mut sim = Sim::default();
    let mut op = wait_op(None, &c);
    let e = sim
        .run(&c, &mut op, |_, _| {
            Reply::Status(429, r#"{"code":"AA001"}"#)
        })
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str(), sim.sent.len()),
        (ErrorKind::RateLimit, "AA001", 1)
    );
}

#[test]
fn failed_processing_is_a_processing_error_with_the_server_message() {
    let c = bearer();
    for status in ["FAILED", "error"] {
        let mut sim = Sim::default();
        let mut op = wait_op(None, &c);
        let e = sim
            .run(&c, &mut op, |_, _| {
                let mut m = media(status);
                m["message"] = json!("corrupt file");
                Reply::Json(200, m)
            })
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_str()),
            (ErrorKind::Processing, "PROCESSING_FAILED")
        );
        assert!(e.message.contains("corrupt file"));
        assert_eq!(sim.statuses, vec![status]);
    }
}

#[test]
fn an_abort_while_sleeping_stops_everything() {
    let c = bearer();
    let mut sim = Sim {
        abort_after: Some(2),
        ..Default::default()
    };
    let mut op = wait_op(None, &c);
    let e = sim
        .run(&c, &mut op, |_, _| Reply::Json(200, media("PROCESSING")))
        .unwrap_err();
    assert_eq!(
        (e.kind, e.aborted, sim.sent.len()),
        (ErrorKind::Abort, true, 2)
    );
}

#[test]
fn retry_after_on_a_poll_is_honoured() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = wait_op(None, &c);
    sim.run(&c, &mut op, |_, n| match n {
        0 => Reply::WithRetryAfter(200, PROCESSING_BODY, "7"),
        _ => Reply::Json(200, media("PROCESSED")),
    })
    .unwrap();
    assert_eq!(sim.slept, vec![7000]);
}

const PROCESSING_BODY: &str = r#"{"mid":"692f406f9f68d4b70080bb80","status":"PROCESSING"}"#;

// ---- results ----

fn result_server(storage: Vec<(u16, &'static str)>) -> impl FnMut(&Outgoing, usize) -> Reply {
    let mut s = 0;
    move |o, _| {
        if o.url.starts_with(STORE) {
            let (status, body) = storage[s.min(storage.len() - 1)];
            s += 1;
            Reply::Status(status, body)
        } else {
            Reply::Json(200, processed())
        }
    }
}

const EXPIRED: &str =
    "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";

#[test]
fn result_is_downloaded_without_credentials_and_returned_as_written() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = GetResult::new(
        Subject::Media(MID.into()),
        Some(processed()),
        Limits::single(&c, None, None),
    );
    let got = sim
        .run(
            &c,
            &mut op,
            result_server(vec![(200, r#"{"isDeepFake":"true","x":1}"#)]),
        )
        .unwrap();
    assert_eq!(value(got), json!({ "isDeepFake": "true", "x": 1 }));
    assert_eq!(sim.sent.len(), 1);
    assert!(
        !sim.sent[0].api && sim.sent[0].headers.is_empty(),
        "no credentials at storage"
    );
}

#[test]
fn an_expired_result_url_is_refreshed_once() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op = GetResult::new(
        Subject::Media(MID.into()),
        Some(processed()),
        Limits::single(&c, None, None),
    );
    let got = sim.run(
        &c,
        &mut op,
        result_server(vec![(403, EXPIRED), (200, "{}")]),
    );
    assert!(got.is_ok());
    let urls: Vec<bool> = sim.sent.iter().map(|o| o.api).collect();
    assert_eq!(
        urls,
        vec![false, true, false],
        "storage, the record again, storage"
    );

    let mut sim = Sim::default();
    let mut op = GetResult::new(
        Subject::Media(MID.into()),
        None,
        Limits::single(&c, None, None),
    );
    let e = sim
        .run(&c, &mut op, result_server(vec![(403, EXPIRED)]))
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str(), e.status, e.s3_code.as_deref()),
        (
            ErrorKind::Storage,
            "RESULT_URL_EXPIRED",
            Some(403),
            Some("AccessDenied")
        )
    );
    assert_eq!(sim.sent.len(), 4, "record, storage, record, storage");
}

#[test]
fn storage_errors_are_storage_errors_retried_on_5xx_only() {
    let c = bearer();
    for (status, code, requests, retried_ok) in [
        (404, "NoSuchKey", 1, false),
        (401, "InvalidToken", 1, false),
        (500, "InternalError", 2, true),
        (503, "SlowDown", 2, true),
    ] {
        let body: &'static str =
            Box::leak(format!("<Error><Code>{code}</Code></Error>").into_boxed_str());
        let mut sim = Sim::default();
        let mut op = GetResult::new(
            Subject::Media(MID.into()),
            Some(processed()),
            Limits::single(&c, None, None),
        );
        let out = sim.run(
            &c,
            &mut op,
            result_server(vec![(status, body), (200, "{}")]),
        );
        if retried_ok {
            assert!(out.is_ok(), "{status}");
        } else {
            let e = out.unwrap_err();
            assert_eq!(
                (e.kind, e.code.as_str(), e.s3_code.as_deref()),
                (ErrorKind::Storage, "DOWNLOAD_FAILED", Some(code)),
                "{status}"
            );
        }
        assert_eq!(sim.sent.len(), requests, "{status}");
    }
}

#[test]
fn a_record_without_id_or_result_is_a_bad_argument_sent_nowhere() {
    let c = bearer();
    for (subject, record) in [
        (Subject::Media(String::new()), json!({})),
        (
            Subject::Media(String::new()),
            json!({ "status": "PROCESSING" }),
        ),
        (
            Subject::Job(String::new()),
            json!({ "status": "completed" }),
        ),
    ] {
        let mut sim = Sim::default();
        let mut op = GetResult::new(
            subject,
            Some(record.clone()),
            Limits::single(&c, None, None),
        );
        let e = sim
            .run(&c, &mut op, |_, _| Reply::Json(200, processed()))
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_str(), sim.sent.len()),
            (ErrorKind::Configuration, "INVALID_ARGUMENT", 0),
            "{record}"
        );
    }
}

#[test]
fn no_result_yet_is_result_not_ready() {
    let c = bearer();
    for (status, retryable) in [("PROCESSING", true), ("FAILED", false)] {
        let mut sim = Sim::default();
        let mut op = GetResult::new(
            Subject::Media(MID.into()),
            None,
            Limits::single(&c, None, None),
        );
        let e = sim
            .run(&c, &mut op, |_, _| Reply::Json(200, media(status)))
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.retryable, sim.sent.len()),
            ("RESULT_NOT_READY", retryable, 1)
        );
    }
}

// ---- uploads ----

fn plan(reference: bool, byte_progress: bool) -> Plan {
    media::plan(UploadArgs {
        model_type: Some("FI-1".into()),
        file_name: Some("me.jpg".into()),
        blob_type: "image/jpeg".into(),
        size: 1000.0,
        similarity: reference,
        metadata_json: reference.then(|| r#"{"faceSimilarityCheck":true}"#.into()),
        reference: reference.then(|| (String::new(), 200.0)),
        byte_progress,
        ..Default::default()
    })
    .unwrap()
}

fn created() -> J {
    json!({
        "mid": MID, "status": "INITED",
        "uploadUrl": format!("{STORE}/{MID}/original?X-Amz-Signature=s1"),
        "referenceUploadUrl": format!("{STORE}/{MID}/reference?X-Amz-Signature=s2"),
    })
}

fn upload_server(puts: Vec<(u16, &'static str)>) -> impl FnMut(&Outgoing, usize) -> Reply {
    let mut p = 0;
    move |o, _| match o.method {
        "PUT" => {
            let (s, b) = puts[p.min(puts.len() - 1)];
            p += 1;
            Reply::Status(s, b)
        }
        _ => Reply::Json(201, created()),
    }
}

#[test]
fn upload_creates_then_puts_the_blob_as_it_is() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op: Submit<J> = Submit::new(plan(false, false), long(&c, None));
    let got = sim
        .run(&c, &mut op, upload_server(vec![(200, "")]))
        .unwrap();
    assert_eq!(value(got), created());
    let create = &sim.sent[0];
    let body: J = match &create.payload {
        Payload::Json(b) => serde_json::from_str(b).unwrap(),
        p => panic!("{p:?}"),
    };
    assert_eq!(
        body,
        json!({ "name": "me.jpg", "contentType": "image/jpeg", "size": 1000, "modelType": "FI-1" })
    );
    let put = &sim.sent[1];
    assert_eq!(put.payload, Payload::Blob(0));
    assert_eq!(
        put.headers,
        vec![("content-type".to_string(), "image/jpeg".to_string())]
    );
    assert_eq!(
        (put.api, put.timeout_ms),
        (false, None),
        "no per-attempt time-out, no credentials"
    );
    assert_eq!(sim.statuses, vec!["INITED"]);
    assert_eq!(sim.progress, vec![(0.0, false), (1000.0, true)]);
}

#[test]
fn the_fi1_reference_goes_to_its_own_url_with_its_own_type() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op: Submit<J> = Submit::new(plan(true, true), long(&c, None));
    sim.run(&c, &mut op, upload_server(vec![(200, "")]))
        .unwrap();
    let puts: Vec<&Outgoing> = sim.sent.iter().filter(|o| o.method == "PUT").collect();
    assert_eq!(puts.len(), 2);
    assert!(puts[1].url.contains("/reference?"));
    assert_eq!(puts[1].payload, Payload::Blob(1));
    assert_eq!(header(puts[1], "content-type"), Some("image/jpeg"));
    assert!(puts[0].progress.is_some() && puts[1].progress.is_none());
    assert_eq!(sim.progress, vec![(0.0, true), (1000.0, true)]);
}

#[test]
fn upload_retries_5xx_never_4xx_and_an_expired_url_is_final() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op: Submit<J> = Submit::new(plan(false, false), long(&c, None));
    sim.run(
        &c,
        &mut op,
        upload_server(vec![
            (503, "<Error><Code>SlowDown</Code></Error>"),
            (200, ""),
        ]),
    )
    .unwrap();
    assert_eq!(sim.sent.len(), 3);

    for (status, body) in [
        (403, EXPIRED),
        (408, ""),
        (429, ""),
        (400, "<Error><Code>InvalidArgument</Code></Error>"),
    ] {
        let mut sim = Sim::default();
        let mut op: Submit<J> = Submit::new(plan(false, false), long(&c, None));
        let e = sim
            .run(&c, &mut op, upload_server(vec![(status, body)]))
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_str(), e.mid.as_deref(), sim.sent.len()),
            (ErrorKind::Upload, "UPLOAD_FAILED", Some(MID), 2),
            "{status}"
        );
    }
}

#[test]
fn the_upload_is_bounded_by_the_deadline_only() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op: Submit<J> = Submit::new(plan(false, false), long(&c, Some(5_000)));
    let e = sim
        .run(&c, &mut op, |o, _| match o.method {
            "PUT" => Reply::Fail(Failure::TimedOut),
            _ => Reply::Json(201, created()),
        })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert_eq!(sim.sent[1].timeout_ms, Some(5_000 - 20));
    assert_eq!(
        sim.sent.len(),
        2,
        "nothing left of the deadline for a retry"
    );
}

#[test]
fn upload_arguments_are_checked_before_any_request() {
    for (args, says) in [
        (
            UploadArgs {
                size: 10.0,
                blob_type: "video/mp4".into(),
                ..Default::default()
            },
            "modelType",
        ),
        (
            UploadArgs {
                model_type: Some("DF-1".into()),
                size: 0.0,
                blob_type: "video/mp4".into(),
                ..Default::default()
            },
            "empty",
        ),
        (
            UploadArgs {
                model_type: Some("DF-1".into()),
                size: 5.0,
                ..Default::default()
            },
            "no type",
        ),
        (
            UploadArgs {
                model_type: Some("FI-1".into()),
                size: 5.0,
                blob_type: "image/png".into(),
                reference: Some(("image/png".into(), 3.0)),
                ..Default::default()
            },
            "faceSimilarityCheck",
        ),
        (
            UploadArgs {
                model_type: Some("FI-1".into()),
                size: 5.0,
                blob_type: "image/png".into(),
                similarity: true,
                ..Default::default()
            },
            "reference",
        ),
    ] {
        let e = media::plan(args).unwrap_err();
        assert_eq!(e.code, "INVALID_ARGUMENT");
        assert!(e.message.contains(says), "{}", e.message);
    }
}

#[test]
fn upload_and_poll_runs_every_step_in_order() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut op: Run<J> = Run::new(plan(false, false), PollSchedule::default(), long(&c, None));
    let got = sim
        .run(&c, &mut op, |o, n| {
            if o.method == "POST" {
                Reply::Json(201, created())
            } else if o.method == "PUT" {
                Reply::Status(200, "")
            } else if o.url.starts_with(STORE) {
                Reply::Json(200, json!({ "isDeepFake": false }))
            } else if n < 4 {
                Reply::Json(200, media("PROCESSING"))
            } else {
                Reply::Json(200, processed())
            }
        })
        .unwrap();
    match got {
        Done::MediaResult { media, result } => {
            assert_eq!(media, processed());
            assert_eq!(result, json!({ "isDeepFake": false }));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.statuses, vec!["INITED", "PROCESSING", "PROCESSED"]);
    let kinds: Vec<&str> = sim.sent.iter().map(|o| o.method).collect();
    assert_eq!(kinds, vec!["POST", "PUT", "GET", "GET", "GET", "GET"]);
}

// ---- pages ----

#[test]
fn pages_stop_at_total_or_an_empty_page() {
    let c = bearer();
    let mut pager = Pager::new(Some(2), Limits::single(&c, None, None));
    let mut all = Vec::new();
    let mut urls = Vec::new();
    while let Some(mut op) = pager.next_page() {
        let mut sim = Sim::default();
        let page = sim
            .run(&c, &mut op, |o, _| {
                let offset = if o.url.contains("offset=2") { 2 } else { 0 };
                let data: Vec<J> = (offset..(offset + 2).min(3))
                    .map(|i| json!({ "mid": format!("m{i}"), "status": "INITED" }))
                    .collect();
                Reply::Json(200, json!({ "data": data, "total": 3 }))
            })
            .unwrap();
        urls.push(sim.sent[0].url.clone());
        all.extend(pager.take(&value(page)));
    }
    assert_eq!(all.len(), 3);
    assert_eq!(
        urls,
        vec![
            format!("{API}/media?limit=2&offset=0"),
            format!("{API}/media?limit=2&offset=2")
        ]
    );
    let mut pager = Pager::new(None, Limits::single(&c, None, None));
    assert!(pager.take(&json!({ "data": [] })).is_empty());
    assert!(pager.next_page().is_none(), "an empty page ends it");
}

// ---- Jobs API ----

use super::jobs::{plan as job_plan, InputArg, JobArgs, JobPager};

fn input(slot: &str, ty: &str, size: f64) -> InputArg {
    InputArg {
        slot: slot.into(),
        content_type: None,
        blob_type: ty.into(),
        file_name: None,
        size,
    }
}

fn fi1(reference: bool) -> JobArgs {
    let mut inputs = vec![input("original", "image/jpeg", 3000.0)];
    if reference {
        inputs.insert(0, input("reference", "image/png", 1000.0));
    }
    JobArgs {
        task_type: Some("face-intelligence".into()),
        inputs,
        parameters_json: Some(r#"{"isSimilarityCheck":true}"#.into()),
        is_similarity_check: reference,
        ..Default::default()
    }
}

/// One photo for `task`, no parameters.
fn photo_job(task: &str) -> JobArgs {
    JobArgs {
        task_type: Some(task.into()),
        inputs: vec![input("original", "image/jpeg", 3000.0)],
        ..Default::default()
    }
}

fn body_of(o: &Outgoing) -> J {
    match &o.payload {
        Payload::Json(b) => serde_json::from_str(b).unwrap(),
        p => panic!("{p:?}"),
    }
}

fn created_job(slots: &[&str], named: bool) -> J {
    let inputs: Vec<J> = slots
        .iter()
        .map(|s| {
            let url = format!("{STORE}/jobs/7/{s}?X-Amz-Signature=s");
            if named {
                json!({ "slotName": s, "uploadUrl": url })
            } else {
                json!({ "uploadUrl": url })
            }
        })
        .collect();
    json!({ "job": { "id": "7", "status": "initiated", "taskTypeId": "8" }, "inputs": inputs })
}

fn job(status: &str) -> J {
    json!({ "id": "7", "status": status, "taskTypeId": "1", "result": null, "artifacts": [] })
}

fn completed_job() -> J {
    json!({ "id": "7", "status": "completed", "taskTypeId": "1", "result": { "inline": true },
            "artifacts": [
              { "kind": "input", "slotName": "original", "downloadUrl": format!("{STORE}/jobs/7/original?X-Amz-Signature=a") },
              { "kind": "result", "slotName": null, "downloadUrl": format!("{STORE}/jobs/7/result.json?X-Amz-Signature=r") } ] })
}

/// A Jobs server: create answers `created`, PUTs answer `puts` in turn, finalize `finalizes` in
/// turn, GET of the job `jobs` in turn, storage GETs the result.
struct JobServer {
    created: J,
    puts: Vec<u16>,
    finalizes: Vec<(u16, &'static str)>,
    jobs: Vec<J>,
    n: [usize; 3],
}

impl JobServer {
    fn new(created: J) -> JobServer {
        JobServer {
            created,
            puts: vec![200],
            finalizes: vec![(200, r#"{"job":{"id":"7","status":"queued"}}"#)],
            jobs: vec![completed_job()],
            n: [0; 3],
        }
    }

    fn reply(&mut self, o: &Outgoing) -> Reply {
        fn pick(len: usize, n: &mut usize) -> usize {
            let i = (*n).min(len - 1);
            *n += 1;
            i
        }
        match (o.method, o.url.as_str()) {
            ("PUT", _) => {
                let i = pick(self.puts.len(), &mut self.n[0]);
                Reply::Status(self.puts[i], "")
            }
            ("POST", u) if u.ends_with("/finalize") => {
                let i = pick(self.finalizes.len(), &mut self.n[1]);
                Reply::Status(self.finalizes[i].0, self.finalizes[i].1)
            }
            ("POST", _) => Reply::Json(200, self.created.clone()),
            ("GET", u) if u.starts_with(STORE) => {
                Reply::Json(200, json!({ "isFake": false, "confidencePercent": 12 }))
            }
            ("GET", _) => {
                let i = pick(self.jobs.len(), &mut self.n[2]);
                Reply::Json(200, self.jobs[i].clone())
            }
            _ => Reply::Status(500, ""),
        }
    }
}

#[test]
fn job_plans_name_the_task_put_original_first_and_add_the_version() {
    let p = job_plan(fi1(true)).unwrap();
    let body: J = serde_json::from_str(match &p.create {
        ApiCall::CreateJob(b) => b,
        other => panic!("{other:?}"),
    })
    .unwrap();
    assert_eq!(
        body,
        json!({ "taskTypeId": "8",
                "inputs": [ { "slotName": "original", "contentType": "image/jpeg", "fileName": "original", "sizeBytes": 3000 },
                            { "slotName": "reference", "contentType": "image/png", "fileName": "reference", "sizeBytes": 1000 } ],
                "parameters": { "version": "v1", "isSimilarityCheck": true } })
    );
    assert_eq!(
        p.slots.iter().map(|s| s.blob).collect::<Vec<_>>(),
        vec![1, 0],
        "blobs keep their numbers"
    );
    assert_eq!(p.task_id.as_deref(), Some("8"));
    for (given, id) in [
        ("DF-1", "4"),
        ("df-1", "4"),
        ("faceswap-detection", "4"),
        ("4", "4"),
        ("13", "13"),
    ] {
        let mut a = fi1(false);
        a.task_type = Some(given.into());
        a.parameters_json = None;
        assert_eq!(job_plan(a).unwrap().task_id.as_deref(), Some(id), "{given}");
    }
    let mut a = fi1(false);
    a.task_type = Some("AC-1".into());
    a.parameters_json = Some(r#"{"version":"v2","x":1}"#.into());
    a.has_version = true;
    let p = job_plan(a).unwrap();
    let ApiCall::CreateJob(b) = &p.create else {
        panic!()
    };
    assert_eq!(
        serde_json::from_str::<J>(b).unwrap()["parameters"],
        json!({ "version": "v2", "x": 1 })
    );
}

#[test]
fn job_arguments_are_checked_before_any_request() {
    let with = |f: &dyn Fn(&mut JobArgs)| {
        let mut a = fi1(true);
        f(&mut a);
        job_plan(a).unwrap_err()
    };
    for (e, says) in [
        (with(&|a| a.task_type = Some("no-such".into())), "taskType"),
        (with(&|a| a.task_type = None), "taskType"),
        (
            with(&|a| a.inputs.retain(|i| i.slot != "original")),
            "original",
        ),
        (with(&|a| a.inputs[1].size = 0.0), "empty"),
        (
            with(&|a| a.is_similarity_check = false),
            "reference is for the similarity check",
        ),
        (
            with(&|a| a.inputs.retain(|i| i.slot == "original")),
            "needs a reference",
        ),
        (with(&|a| a.is_faceswap_check = true), "together"),
        (
            with(&|a| {
                a.inputs[1].blob_type = "video/mp4".into();
            }),
            "needs an image",
        ),
        (
            with(&|a| {
                a.inputs.retain(|i| i.slot == "original");
                a.is_similarity_check = false;
                a.is_faceswap_check = true;
            }),
            "needs a video",
        ),
    ] {
        assert_eq!(e.code, "INVALID_ARGUMENT");
        assert!(e.message.contains(says), "{}", e.message);
    }
}

/// A Blob the transport refused (not the runtime's own, or not the size it says): a caller
/// mistake, never retried, and the job is not finalized (its bytes would not be the file's).
#[test]
fn a_blob_the_transport_refuses_ends_the_submit_before_the_finalize() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original", "reference"], true));
    let mut op: Submit<J> = Submit::new(job_plan(fi1(true)).unwrap(), long(&c, None));
    let e = sim
        .run(&c, &mut op, |o, _| match o.method {
            "PUT" => Reply::Fail(Failure::Blob),
            _ => server.reply(o),
        })
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_str(), e.retryable, e.job_id.as_deref()),
        (
            ErrorKind::Configuration,
            "INVALID_ARGUMENT",
            false,
            Some("7")
        )
    );
    assert!(
        e.message.contains("not a Blob of its declared size"),
        "{}",
        e.message
    );
    let sent: Vec<&str> = sim.sent.iter().map(|o| o.method).collect();
    assert_eq!(sent, vec!["POST", "PUT"], "no retry, no finalize");

    // The Media API's upload alike: the record is created, nothing else is asked of it.
    let mut sim = Sim::default();
    let mut op: Submit<J> = Submit::new(plan(false, false), long(&c, None));
    let e = sim
        .run(&c, &mut op, |o, _| match o.method {
            "PUT" => Reply::Fail(Failure::Blob),
            _ => Reply::Json(201, created()),
        })
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.mid.as_deref(), sim.sent.len()),
        ("INVALID_ARGUMENT", Some(MID), 2)
    );
}

#[test]
fn submit_creates_puts_each_input_then_finalizes() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original", "reference"], true));
    let mut op: Submit<J> = Submit::new(job_plan(fi1(true)).unwrap(), long(&c, None));
    let got = sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap();
    match got {
        Done::Submitted {
            job_id, finalized, ..
        } => {
            assert_eq!(job_id, "7");
            assert_eq!(finalized["job"]["status"], "queued");
        }
        other => panic!("{other:?}"),
    }
    let sent: Vec<String> = sim
        .sent
        .iter()
        .map(|o| format!("{} {}", o.method, o.url.split('?').next().unwrap_or("")))
        .collect();
    assert_eq!(
        sent,
        vec![
            format!("POST {API}/v1/jobs"),
            format!("PUT {STORE}/jobs/7/original"),
            format!("PUT {STORE}/jobs/7/reference"),
            format!("POST {API}/v1/jobs/7/finalize"),
        ]
    );
    assert_eq!(
        sim.sent[1].payload,
        Payload::Blob(1),
        "the original is the second blob given"
    );
    assert_eq!(header(&sim.sent[2], "content-type"), Some("image/png"));
    assert_eq!(body_of(&sim.sent[0])["inputs"][0]["slotName"], "original");
    assert_eq!(
        sim.statuses,
        vec!["initiated"],
        "the job of the create answer"
    );
    assert_eq!(
        sim.progress,
        vec![
            (0.0, false),
            (3000.0, true),
            (3000.0, false),
            (4000.0, true)
        ],
        "over both inputs"
    );
}

#[test]
fn upload_urls_match_slots_by_name_or_by_position() {
    let c = bearer();
    for created in [
        created_job(&["reference", "original"], true),
        created_job(&["original", "reference"], false),
    ] {
        let mut sim = Sim::default();
        let mut server = JobServer::new(created);
        let mut op: Submit<J> = Submit::new(job_plan(fi1(true)).unwrap(), long(&c, None));
        sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap();
        assert!(
            sim.sent[1].url.contains("/original?"),
            "{}",
            sim.sent[1].url
        );
        assert!(
            sim.sent[2].url.contains("/reference?"),
            "{}",
            sim.sent[2].url
        );
    }
    // A slot without a URL: an InvalidResponseError before any PUT.
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original"], true));
    let mut op: Submit<J> = Submit::new(job_plan(fi1(true)).unwrap(), long(&c, None));
    let e = sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap_err();
    assert_eq!(
        (e.kind, e.job_id.as_deref(), sim.sent.len()),
        (ErrorKind::InvalidResponse, Some("7"), 1)
    );
}

#[test]
fn a_failed_put_leaves_the_job_unfinalized() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original", "reference"], true));
    server.puts = vec![200, 403];
    let mut op: Submit<J> = Submit::new(job_plan(fi1(true)).unwrap(), long(&c, None));
    let e = sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap_err();
    assert_eq!(
        (e.kind, e.job_id.as_deref()),
        (ErrorKind::Upload, Some("7"))
    );
    assert!(
        sim.sent.iter().all(|o| !o.url.ends_with("/finalize")),
        "no finalize"
    );
}

#[test]
fn a_retried_finalize_answered_400_is_confirmed_by_one_get() {
    let c = bearer();
    for (status, ok) in [
        ("queued", true),
        ("processing", true),
        ("initiated", false),
        ("waiting_for_finalize", false),
    ] {
        let mut sim = Sim::default();
        let mut server = JobServer::new(created_job(&["original"], true));
        server.finalizes = vec![
            (503, ""),
            (
                400,
                r#"{"code":"BAD_REQUEST","message":"Job not found or already finalized"}"#,
            ),
        ];
        server.jobs = vec![job(status)];
        let mut op: Submit<J> = Submit::new(job_plan(photo_job("FI-1")).unwrap(), long(&c, None));
        let out = sim.run(&c, &mut op, |o, _| server.reply(o));
        let gets = sim.sent.iter().filter(|o| o.method == "GET").count();
        assert_eq!(gets, 1, "{status}");
        match out {
            Ok(Done::Submitted { finalized, .. }) => {
                assert!(ok && finalized["status"] == status, "{status}")
            }
            Err(e) => assert!(
                !ok && e.status == Some(400) && e.job_id.as_deref() == Some("7"),
                "{status}: {e:?}"
            ),
            other => panic!("{other:?}"),
        }
    }
    // A 400 at the first finalize attempt is final: nothing to confirm.
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original"], true));
    server.finalizes = vec![(
        400,
        r#"{"message":"Input \"original\" has not been uploaded"}"#,
    )];
    let mut op: Submit<J> = Submit::new(job_plan(photo_job("FI-1")).unwrap(), long(&c, None));
    let e = sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap_err();
    assert_eq!(
        (
            e.kind,
            sim.sent.iter().filter(|o| o.method == "GET").count()
        ),
        (ErrorKind::BadRequest, 0)
    );
}

fn job_wait(timeout: Option<u64>, task: Option<&str>, c: &Config) -> Wait<J> {
    Wait::new(
        Subject::Job("7".into()),
        PollSchedule::default(),
        Deadline::job(timeout, task.map(str::to_string)),
        long(c, None),
        None,
    )
}

#[test]
fn waiting_for_a_job_every_ending() {
    let c = bearer();
    /// Statuses served in turn, and the status resolved or the code and requests of the error.
    type Case<'a> = (&'a [&'a str], Result<&'a str, (&'a str, usize)>);
    let cases: Vec<Case> = vec![
        (&["queued", "processing", "COMPLETED"], Ok("COMPLETED")),
        (&["queued", "cancelled"], Err(("JOB_CANCELLED", 2))),
        (&["initiated"], Err(("JOB_NOT_FINALIZED", 1))),
        (&["waiting_for_finalize"], Err(("JOB_NOT_FINALIZED", 1))),
        (&["queued", "failed"], Err(("PROCESSING_FAILED", 2))),
        (&["processing", "error"], Err(("PROCESSING_FAILED", 2))),
        (&["queued", "something_new", "processed"], Ok("processed")),
    ];
    for (seq, want) in cases {
        let mut sim = Sim::default();
        let mut op = job_wait(None, Some("1"), &c);
        let out = sim.run(&c, &mut op, |_, n| {
            let mut j = job(seq[n.min(seq.len() - 1)]);
            j["errorMessage"] = json!("model crashed");
            Reply::Json(200, j)
        });
        match (out, want) {
            (Ok(d), Ok(status)) => assert_eq!(value(d)["status"], status),
            (Err(e), Err((code, requests))) => {
                assert_eq!(
                    (e.code.as_str(), sim.sent.len(), e.job_id.as_deref()),
                    (code, requests, Some("7")),
                    "{seq:?}"
                );
                assert_eq!((e.kind, e.retryable), (ErrorKind::Processing, false));
                if code == "PROCESSING_FAILED" {
                    assert!(e.message.contains("model crashed"), "{}", e.message);
                }
            }
            (out, want) => panic!("{seq:?}: {out:?} vs {want:?}"),
        }
        assert_eq!(sim.sent[0].url, format!("{API}/v1/jobs/7"));
    }
}

#[test]
fn the_default_deadline_is_the_task_time_out_plus_a_minute() {
    let c = bearer();
    for (task, learned, ends_by) in [
        (Some("1"), None, 360_000.0),
        (None, Some("4"), 1_860_000.0),
        (None, None, 1_800_000.0),
    ] {
        let mut sim = Sim::default();
        let mut op = job_wait(None, task, &c);
        let e = sim
            .run(&c, &mut op, |_, _| {
                let mut j = job("processing");
                match learned {
                    Some(t) => j["taskTypeId"] = json!(t),
                    None => {
                        j.as_object_mut().unwrap().remove("taskTypeId");
                    }
                }
                Reply::Json(200, j)
            })
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        assert!(
            sim.now >= ends_by - 10_000.0 && sim.now <= ends_by + 100.0,
            "{task:?}/{learned:?}: ended at {}",
            sim.now
        );
    }
    // timeoutMs wins.
    let mut sim = Sim::default();
    let mut op = job_wait(Some(5_000), Some("4"), &c);
    sim.run(&c, &mut op, |_, _| Reply::Json(200, job("processing")))
        .unwrap_err();
    assert!(sim.now <= 5_100.0, "{}", sim.now);
}

#[test]
fn job_results_from_the_artifact_inline_or_not_ready() {
    let c = bearer();
    let single = Limits::single(&c, None, None);
    // The result artifact, downloaded without credentials.
    let mut sim = Sim::default();
    let mut op = GetResult::new(Subject::Job("7".into()), Some(completed_job()), single);
    let got = sim
        .run(&c, &mut op, |_, _| {
            Reply::Json(200, json!({ "isFake": true }))
        })
        .unwrap();
    assert_eq!(value(got), json!({ "isFake": true }));
    assert!(sim.sent[0].url.contains("/result.json?") && sim.sent[0].headers.is_empty());
    // No result artifact: the inline result (the reference page's flat variant, numeric jobId).
    let flat = json!({ "jobId": 7, "status": "completed", "result": { "isFake": false } });
    let mut sim = Sim::default();
    let mut op = GetResult::new(Subject::Job("7".into()), Some(flat), single);
    assert_eq!(
        value(sim.run(&c, &mut op, |_, _| Reply::Status(500, "")).unwrap()),
        json!({ "isFake": false })
    );
    assert!(sim.sent.is_empty());
    // By id: the job first; not finished yet is RESULT_NOT_READY, retryable.
    let mut sim = Sim::default();
    let mut op: GetResult<J> = GetResult::new(Subject::Job("7".into()), None, single);
    let e = sim
        .run(&c, &mut op, |_, _| Reply::Json(200, job("processing")))
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.retryable, e.job_id.as_deref()),
        ("RESULT_NOT_READY", true, Some("7"))
    );
    // An expired result URL: the job once more, then the fresh URL.
    let mut sim = Sim::default();
    let mut op = GetResult::new(Subject::Job("7".into()), Some(completed_job()), single);
    sim.run(&c, &mut op, |o, _| {
        match (o.url.starts_with(STORE), o.url.contains("Signature=r")) {
            (true, _) if o.url.ends_with("fresh") => Reply::Json(200, json!({ "ok": 1 })),
            (true, _) => Reply::Status(403, EXPIRED),
            (false, _) => {
                let mut j = completed_job();
                j["artifacts"][1]["downloadUrl"] =
                    json!(format!("{STORE}/jobs/7/result.json?X-Amz-Signature=fresh"));
                Reply::Json(200, j)
            }
        }
    })
    .unwrap();
    assert_eq!(sim.sent.len(), 3);
}

#[test]
fn run_job_submits_waits_and_fetches() {
    let c = bearer();
    let mut sim = Sim::default();
    let mut server = JobServer::new(created_job(&["original"], true));
    server.jobs = vec![job("queued"), job("processing"), completed_job()];
    let mut op: Run<J> = Run::new(
        job_plan(photo_job("AC-1")).unwrap(),
        PollSchedule::default(),
        long(&c, None),
    );
    match sim.run(&c, &mut op, |o, _| server.reply(o)).unwrap() {
        Done::JobResult { job, result } => {
            assert_eq!(job["status"], "completed");
            assert_eq!(result, json!({ "isFake": false, "confidencePercent": 12 }));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sim.statuses,
        vec!["initiated", "queued", "processing", "completed"]
    );
}

#[test]
fn job_pages_by_number_until_pages_or_empty() {
    let c = bearer();
    let mut pager = JobPager::new(
        Some(2.0),
        Some("completed".into()),
        Limits::single(&c, None, None),
    )
    .unwrap();
    let mut urls = Vec::new();
    let mut all = Vec::new();
    while let Some(mut op) = pager.next_page() {
        let mut sim = Sim::default();
        let page = sim
            .run(&c, &mut op, |o, _| {
                let n = if o.url.contains("page=1") { 1 } else { 2 };
                Reply::Json(200, json!({ "data": [ { "job": { "id": format!("{n}a"), "status": "completed" } }, { "id": format!("{n}b"), "status": "completed" } ],
                                         "pagination": { "page": n, "limit": 2, "total": 4, "pages": 2 } }))
            })
            .unwrap();
        urls.push(sim.sent[0].url.clone());
        all.extend(pager.take(&value(page)));
    }
    assert_eq!(
        urls,
        vec![
            format!("{API}/v1/jobs?page=1&limit=2&status=completed"),
            format!("{API}/v1/jobs?page=2&limit=2&status=completed")
        ]
    );
    assert_eq!(
        all.iter()
            .map(|j| j["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["1a", "1b", "2a", "2b"],
        "unwrapped from {{ job }}"
    );
    assert!(JobPager::new(Some(101.0), None, Limits::single(&c, None, None)).is_err());
}

#[test]
fn finalize_job_alone_confirms_a_retried_refusal_too() {
    use super::submit::Finalize;
    let c = bearer();
    for (replies, status, ok, gets) in [
        (vec![(503, ""), (400, "{}")], "queued", true, 1),
        (vec![(503, ""), (400, "{}")], "initiated", false, 1),
        (vec![(400, "{}")], "queued", false, 0),
        (
            vec![(200, r#"{"job":{"id":"7","status":"queued"}}"#)],
            "queued",
            true,
            0,
        ),
    ] {
        let mut sim = Sim::default();
        let mut op = Finalize::new("7".into(), Limits::single(&c, None, None));
        let out = sim.run(&c, &mut op, |o, n| match o.method {
            "GET" => Reply::Json(200, job(status)),
            _ => Reply::Status(
                replies[n.min(replies.len() - 1)].0,
                replies[n.min(replies.len() - 1)].1,
            ),
        });
        assert_eq!(out.is_ok(), ok, "{replies:?} {status}");
        if let Err(e) = out {
            assert_eq!((e.status, e.job_id.as_deref()), (Some(400), Some("7")));
        }
        assert_eq!(
            sim.sent.iter().filter(|o| o.method == "GET").count(),
            gets,
            "{replies:?} {status}"
        );
    }
}

#[test]
fn errors_quoting_the_server_or_the_runtime_are_redacted() {
    // Found by the ops fuzz target: an abort reason echoing the key reached the message.
    let c = bearer();
    let sim = Sim::default();
    let mut op = wait_op(None, &c);
    let mut n = 0;
    let mut event = Event::Go;
    let e = loop {
        let env = Env {
            config: &c,
            now_ms: sim.now,
            rand: 0.5,
            token: None,
        };
        event = match op.step(event, &env) {
            Step::Send(_) => {
                n += 1;
                Event::Answer(answer_from_text(
                    200,
                    &media("PROCESSING").to_string(),
                    None,
                ))
            }
            Step::Sleep(_) => Event::Failed(Failure::Aborted {
                timeout: true,
                message: "stopped: api_SECRET_k".into(),
            }),
            Step::Fail(e) => break e,
            _ => Event::Go,
        };
        assert!(n < 10);
    };
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(!e.message.contains("api_SECRET_k"), "{}", e.message);
    // A failed record's own message echoing the key.
    let mut sim = Sim::default();
    let mut op = wait_op(None, &c);
    let e = sim
        .run(&c, &mut op, |_, _| {
            let mut m = media("FAILED");
            m["message"] = json!("bad key api_SECRET_k");
            Reply::Json(200, m)
        })
        .unwrap_err();
    assert!(
        e.message.contains("[REDACTED]") && !e.message.contains("api_SECRET_k"),
        "{}",
        e.message
    );
}
