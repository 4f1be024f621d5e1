//! Steps and events as JSON: how the facade's JavaScript and the flow talk (one string each way
//! per step, so the facade has nothing to decide).

use super::flow::{Event, Step, Upstream};
use serde_json::{json, Value as J};

/// An event from the facade's JSON. Anything it cannot read is a failed hook (the flow then
/// answers 500): the facade is trusted code, but it fails closed all the same.
pub fn event_from_json(v: &J) -> Event {
    let text = |k: &str| v.get(k).and_then(J::as_str).map(str::to_string);
    if v.get("go").is_some() {
        Event::Go
    } else if let Some(c) = v.get("caller") {
        Event::Caller(c.as_str().map(str::to_string))
    } else if let Some(p) = v.get("policy") {
        Event::Policy(p.clone())
    } else if let Some(b) = text("body") {
        Event::Body(b)
    } else if v.get("tooLarge").is_some() {
        Event::BodyTooLarge
    } else if let Some(r) = v.get("record") {
        Event::Record(Some(r.clone()).filter(|r| !r.is_null()))
    } else if let Some(r) = v.get("rateLimit") {
        Event::RateLimit(match r {
            J::Null => None,
            // A refusal whose wait is not a number still refuses.
            other => Some(other.as_f64().unwrap_or(f64::NAN)),
        })
    } else if let Some(l) = v.get("listed") {
        Event::Listed(l.clone())
    } else if let Some(answers) = v.get("upstream").and_then(J::as_array) {
        Event::Upstream(answers.iter().map(upstream_from_json).collect())
    } else if v.get("done").is_some() {
        Event::Done
    } else {
        Event::HookFailed
    }
}

fn upstream_from_json(v: &J) -> Upstream {
    match (v.get("status").and_then(J::as_u64), v.get("text")) {
        (Some(status), Some(J::String(text))) => Upstream::Answer {
            status: u16::try_from(status).unwrap_or(0),
            retry_after: v.get("retryAfter").and_then(J::as_str).map(str::to_string),
            text: text.clone(),
        },
        _ => Upstream::Failed {
            timeout: v.get("failed").and_then(J::as_str) == Some("timeout"),
        },
    }
}

/// A step as the facade's JSON: `{ "do": "…", … }`.
pub fn step_to_json(step: &Step) -> J {
    match step {
        Step::Authenticate => json!({ "do": "authenticate" }),
        Step::Policy => json!({ "do": "policy" }),
        Step::ReadBody { limit } => json!({ "do": "body", "limit": limit }),
        Step::Owner { key } => json!({ "do": "owner", "key": key }),
        Step::RateLimit { operation } => json!({ "do": "rateLimit", "operation": operation }),
        Step::List {
            owner,
            api,
            offset,
            limit,
        } => json!({ "do": "list", "owner": owner, "api": api, "offset": offset, "limit": limit }),
        Step::Send {
            requests,
            timeout_ms,
        } => json!({
            "do": "send",
            "timeoutMs": timeout_ms,
            "requests": requests.iter().map(|r| json!({
                "method": r.method, "url": r.url, "headers": r.headers, "body": r.body,
            })).collect::<Vec<_>>(),
        }),
        Step::Store { key, record } => json!({ "do": "store", "key": key, "record": record }),
        Step::Forget { key } => json!({ "do": "forget", "key": key }),
        Step::Report(event) => json!({ "do": "report", "event": event }),
        Step::Answer(a) => json!({
            "do": "answer", "status": a.status, "headers": a.headers, "body": a.body,
        }),
    }
}
