//! A create's body: parsed once, checked against the caller's policy, and rebuilt from the
//! documented fields only. What goes upstream is exactly what was checked (a duplicate key, an
//! extra field or a second `taskTypeId` in the query cannot say something else to the API).

use super::policy::Policy;
use super::{codes, Answer};
use crate::core::request::Route;
use crate::core::tasks::{by_id, task_id};
use serde_json::{json, Map, Value as J};

/// The most inputs a job can have (`original` and `reference` today).
pub const MAX_INPUTS: usize = 8;
/// A single S3 PUT holds at most 5 GB.
pub const MAX_INPUT_BYTES: u64 = 5_000_000_000;
/// Longest file name, slot name or content type passed on.
const MAX_TEXT: usize = 1024;

/// A checked create.
#[derive(Debug, Clone, PartialEq)]
pub struct Create {
    /// The body to send upstream.
    pub body: String,
    /// The task, for the ownership record and events: a code (`"AC-1"`) when the SDK knows it.
    pub task: String,
}

/// Checks a `POST /v1/jobs` or `POST /media` body. `Err` is the handler's answer (400, 403, 413).
pub fn check_create(route: Route, text: &str, policy: &Policy) -> Result<Create, Answer> {
    let v: J =
        serde_json::from_str(text).map_err(|_| bad_request("The body must be a JSON object"))?;
    let J::Object(obj) = v else {
        return Err(bad_request("The body must be a JSON object"));
    };
    if route == Route::CreateJob {
        check_job(&obj, policy)
    } else {
        check_media(&obj, policy)
    }
}

fn check_job(obj: &Map<String, J>, policy: &Policy) -> Result<Create, Answer> {
    let given = match obj.get("taskTypeId") {
        Some(J::String(s)) => s.clone(),
        Some(J::Number(n)) => n.to_string(),
        _ => return Err(bad_request("taskTypeId is required")),
    };
    let id = task_id(&given).map_err(|e| bad_request(&e.message))?;
    if !policy.allows_task(Some(&id)) {
        return Err(task_not_allowed());
    }
    let inputs = obj
        .get("inputs")
        .and_then(J::as_array)
        .filter(|i| !i.is_empty() && i.len() <= MAX_INPUTS)
        .ok_or_else(|| bad_request("inputs must be an array of 1 to 8 inputs"))?;
    check_count(inputs.len(), policy)?;
    let mut rebuilt = vec![];
    for input in inputs {
        let slot = text(input, "slotName")?;
        let content_type = text(input, "contentType")?;
        let file_name = optional_text(input, "fileName")?;
        let size = size_field(input.get("sizeBytes"), "sizeBytes", policy)?;
        let mut one = Map::new();
        one.insert("slotName".into(), J::String(slot));
        one.insert("contentType".into(), J::String(content_type));
        if let Some(name) = file_name {
            one.insert("fileName".into(), J::String(name));
        }
        one.insert("sizeBytes".into(), J::from(size));
        rebuilt.push(J::Object(one));
    }
    let mut body = Map::new();
    body.insert("taskTypeId".into(), J::String(id.clone()));
    body.insert("inputs".into(), J::Array(rebuilt));
    if let Some(p) = flags(obj.get("parameters"), "parameters")? {
        body.insert("parameters".into(), p);
    }
    Ok(Create {
        body: J::Object(body).to_string(),
        task: by_id(&id).map_or(id.clone(), |t| t.code.to_string()),
    })
}

fn check_media(obj: &Map<String, J>, policy: &Policy) -> Result<Create, Answer> {
    let whole = J::Object(obj.clone());
    let model = text(&whole, "modelType")?;
    // A model code the SDK does not know has no id: allowed only when every task is.
    let id = task_id(&model).ok();
    if !policy.allows_task(id.as_deref()) {
        return Err(task_not_allowed());
    }
    let name = text(&whole, "name")?;
    let content_type = text(&whole, "contentType")?;
    let size = size_field(obj.get("size"), "size", policy)?;
    let metadata = flags(obj.get("metadata"), "metadata")?;
    // A similarity check uploads a second file (referenceUploadUrl).
    let similarity = metadata
        .as_ref()
        .and_then(|m| m.get("faceSimilarityCheck"))
        .and_then(J::as_bool)
        .unwrap_or(false);
    check_count(if similarity { 2 } else { 1 }, policy)?;
    let mut body =
        json!({ "name": name, "contentType": content_type, "size": size, "modelType": model });
    if let (Some(m), J::Object(b)) = (metadata, &mut body) {
        b.insert("metadata".into(), m);
    }
    Ok(Create {
        body: body.to_string(),
        task: model,
    })
}

fn check_count(n: usize, policy: &Policy) -> Result<(), Answer> {
    match policy.max_inputs {
        Some(max) if n as u64 > max => Err(Answer::error(
            403,
            codes::OPERATION_NOT_ALLOWED,
            &format!("At most {max} input(s) per job are allowed"),
        )),
        _ => Ok(()),
    }
}

/// A required text field: a non-empty string without control characters, not too long.
fn text(v: &J, name: &str) -> Result<String, Answer> {
    match v.get(name) {
        Some(J::String(s))
            if !s.trim().is_empty() && s.len() <= MAX_TEXT && !s.chars().any(char::is_control) =>
        {
            Ok(s.clone())
        }
        _ => Err(bad_request(&format!(
            "{name} must be a non-empty string of at most {MAX_TEXT} bytes"
        ))),
    }
}

/// An optional text field: absent, `null`, `""` or a valid text.
fn optional_text(v: &J, name: &str) -> Result<Option<String>, Answer> {
    match v.get(name) {
        None | Some(J::Null) => Ok(None),
        Some(J::String(s)) if s.is_empty() => Ok(None),
        _ => text(v, name).map(Some),
    }
}

/// A declared size: a whole number of bytes, within the policy's `maxBytes` (413) and S3's 5 GB.
fn size_field(v: Option<&J>, name: &str, policy: &Policy) -> Result<u64, Answer> {
    let size = v
        .and_then(J::as_u64)
        .filter(|s| *s > 0)
        .ok_or_else(|| bad_request(&format!("{name} must be the file's size in bytes")))?;
    let max = policy
        .max_bytes
        .map_or(MAX_INPUT_BYTES, |m| m.min(MAX_INPUT_BYTES));
    if size > max {
        return Err(Answer::error(
            413,
            codes::TOO_LARGE,
            &format!("A file may be at most {max} bytes"),
        ));
    }
    Ok(size)
}

/// `parameters` / `metadata`: an object of flags and short values, passed on as it is.
fn flags(v: Option<&J>, name: &str) -> Result<Option<J>, Answer> {
    match v {
        None | Some(J::Null) => Ok(None),
        Some(J::Object(m))
            if m.values().all(|x| {
                matches!(x, J::Bool(_) | J::Number(_) | J::Null)
                    || x.as_str().is_some_and(|s| s.len() <= MAX_TEXT)
            }) =>
        {
            Ok(Some(J::Object(m.clone())))
        }
        Some(_) => Err(bad_request(&format!(
            "{name} must be an object of flags, numbers and short strings"
        ))),
    }
}

fn bad_request(message: &str) -> Answer {
    Answer::error(400, codes::BAD_REQUEST, message)
}

fn task_not_allowed() -> Answer {
    Answer::error(
        403,
        codes::TASK_NOT_ALLOWED,
        "This account may not run this task",
    )
}
