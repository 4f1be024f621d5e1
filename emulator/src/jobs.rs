//! The Jobs API (`/api/v1/jobs`): create, finalize, get, list, cancel, delete. Same keys,
//! credits and storage as the Media API; the shapes are the live ones of
//! `../shared/API-NOTES.md` ("Jobs API"), or the reference page's flat variants when the
//! `jobsVariant` setting says `flat`.

use crate::api::{bad_request, int_param, limit_param, query_param, read_json, Auth, MAX_SIZE};
use crate::results;
use crate::state::{Job, JobInput, Shared};
use crate::storage::{job_object_path, presign, presign_at};
use crate::tasks::{self, TaskType, FACE_INTELLIGENCE};
use crate::util::{
    api_error, iso8601, json_response, now_ms, now_secs, parse_query, response, Resp,
};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use serde_json::{json, Map, Value};
use std::time::Instant;

/// FI-1's boolean parameters.
const FI1_FLAGS: [&str; 4] = [
    "isLivenessCheck",
    "isFaceswapCheck",
    "isSimilarityCheck",
    "isSingleFace",
];

fn job_not_found(id: &str) -> Resp {
    api_error(
        StatusCode::NOT_FOUND,
        "JOB_NOT_FOUND",
        &format!("Job with ID {id} does not exist"),
    )
}

fn unsupported(task: &TaskType, content_type: &str) -> Resp {
    api_error(
        StatusCode::BAD_REQUEST,
        "UNSUPPORTED_MEDIA_TYPE",
        &format!(
            "Task type {} ({}) does not support media type: {content_type}",
            task.id, task.slug
        ),
    )
}

/// The lower-cased `type/subtype` of a content type, without parameters.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

struct NewInput {
    slot: String,
    content_type: String,
    file_name: String,
    size: u64,
}

struct NewJob {
    task: &'static TaskType,
    inputs: Vec<NewInput>,
    parameters: Map<String, Value>,
}

/// `taskTypeId` from the body (a string or a number), else from `?taskTypeId=`.
fn task_type(body: &Map<String, Value>, query: Option<&str>) -> Result<&'static TaskType, Resp> {
    let raw = match body.get("taskTypeId") {
        None | Some(Value::Null) => match query {
            Some(q) => q.to_string(),
            None => return Err(bad_request("taskTypeId is required")),
        },
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(bad_request("taskTypeId must be a string or a number")),
    };
    let id = (!raw.is_empty() && raw.len() <= 9 && raw.bytes().all(|c| c.is_ascii_digit()))
        .then(|| raw.parse::<u32>().ok())
        .flatten();
    id.and_then(tasks::by_id).ok_or_else(|| {
        api_error(
            StatusCode::BAD_REQUEST,
            "INVALID_TASK_TYPE",
            &format!("Task type ID {raw} does not exist"),
        )
    })
}

fn input_string<'a>(item: &'a Map<String, Value>, i: usize, field: &str) -> Result<&'a str, Resp> {
    match item.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            Err(bad_request(&format!("inputs[{i}].{field} is required")))
        }
        Some(_) => Err(bad_request(&format!(
            "inputs[{i}].{field} must be a string"
        ))),
    }
}

fn parse_input(task: &TaskType, i: usize, item: &Value) -> Result<NewInput, Resp> {
    let Some(item) = item.as_object() else {
        return Err(bad_request(&format!("inputs[{i}] must be an object")));
    };
    let slot = input_string(item, i, "slotName")?;
    let content_type = input_string(item, i, "contentType")?;
    // Authenta's clients send the name without its extension: any non-empty name will do.
    let file_name = input_string(item, i, "fileName")?;
    if file_name.len() > 1024 || content_type.len() > 255 {
        return Err(bad_request(&format!(
            "inputs[{i}]: fileName must be at most 1024 characters, contentType at most 255"
        )));
    }
    let size = match item.get("sizeBytes") {
        None | Some(Value::Null) => {
            return Err(bad_request(&format!("inputs[{i}].sizeBytes is required")))
        }
        Some(v) => v.as_u64().filter(|s| *s > 0).ok_or_else(|| {
            bad_request(&format!("inputs[{i}].sizeBytes must be a positive integer"))
        })?,
    };
    if size > MAX_SIZE {
        return Err(bad_request(&format!(
            "inputs[{i}].sizeBytes must not exceed 5 GB (5368709120 bytes)"
        )));
    }
    let Some((_, mimes)) = task.slots().into_iter().find(|(name, _)| *name == slot) else {
        return Err(bad_request(&format!(
            "Task type {} ({}) has no input slot {slot:?}",
            task.id, task.slug
        )));
    };
    if !mimes.contains(&essence(content_type).as_str()) {
        return Err(unsupported(task, content_type));
    }
    Ok(NewInput {
        slot: slot.to_string(),
        content_type: content_type.to_string(),
        file_name: file_name.to_string(),
        size,
    })
}

/// The FI-1 rules: a reference exactly with `isSimilarityCheck`, face swap on a video,
/// similarity on an image, and not both.
fn check_face_intelligence(
    task: &TaskType,
    inputs: &[NewInput],
    parameters: &Map<String, Value>,
) -> Result<(), Resp> {
    let mut flags = [false; 4];
    for (flag, name) in flags.iter_mut().zip(FI1_FLAGS) {
        *flag = match parameters.get(name) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad_request(&format!("parameters.{name} must be a boolean"))),
        };
    }
    let [_, faceswap, similarity, _] = flags;
    if faceswap && similarity {
        return Err(bad_request(
            "isFaceswapCheck and isSimilarityCheck cannot be combined",
        ));
    }
    let has_reference = inputs.iter().any(|i| i.slot == "reference");
    if has_reference && !similarity {
        return Err(bad_request(
            "The reference input requires parameters.isSimilarityCheck: true",
        ));
    }
    if similarity && !has_reference {
        return Err(bad_request(
            "parameters.isSimilarityCheck requires a reference input",
        ));
    }
    let original = inputs
        .iter()
        .find(|i| i.slot == "original")
        .map(|i| essence(&i.content_type))
        .unwrap_or_default();
    if faceswap && !original.starts_with("video/") {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!(
                "isFaceswapCheck requires a video; task type {} ({}) got {original}",
                task.id, task.slug
            ),
        ));
    }
    if similarity && !original.starts_with("image/") {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!(
                "isSimilarityCheck requires an image; task type {} ({}) got {original}",
                task.id, task.slug
            ),
        ));
    }
    Ok(())
}

fn validate(body: &Value, query_task: Option<&str>) -> Result<NewJob, Resp> {
    let Some(obj) = body.as_object() else {
        return Err(bad_request("Request body must be a JSON object"));
    };
    let task = task_type(obj, query_task)?;
    let items = match obj.get("inputs") {
        None | Some(Value::Null) => return Err(bad_request("inputs is required")),
        Some(Value::Array(a)) if a.is_empty() => {
            return Err(bad_request("inputs must not be empty"))
        }
        Some(Value::Array(a)) => a,
        Some(_) => return Err(bad_request("inputs must be an array")),
    };
    let mut inputs: Vec<NewInput> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let input = parse_input(task, i, item)?;
        if inputs.iter().any(|x| x.slot == input.slot) {
            return Err(bad_request(&format!(
                "inputs: slot {:?} is given more than once",
                input.slot
            )));
        }
        inputs.push(input);
    }
    if !inputs.iter().any(|i| i.slot == "original") {
        return Err(bad_request("inputs must include the original slot"));
    }
    let parameters = match obj.get("parameters") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(bad_request("parameters must be an object")),
    };
    match parameters.get("version") {
        None | Some(Value::Null) => {}
        Some(Value::String(v)) if v == "v1" => {}
        Some(_) => return Err(bad_request("parameters.version must be \"v1\"")),
    }
    if task.id == FACE_INTELLIGENCE {
        check_face_intelligence(task, &inputs, &parameters)?;
    }
    Ok(NewJob {
        task,
        inputs,
        parameters,
    })
}

pub async fn create(shared: &Shared, auth: &Auth, req: Request<Incoming>) -> Resp {
    let query_task = parse_query(req.uri().query())
        .into_iter()
        .find(|(k, _)| k == "taskTypeId")
        .map(|(_, v)| v);
    let body = match read_json(req).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let new = match validate(&body, query_task.as_deref()) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let signed_at = now_secs();
    let created_ms = now_ms();
    let mut g = shared.lock();
    g.last_job_id += 1;
    let id = g.last_job_id;
    let upload_expires = g.settings.upload_expires;
    let flat = g.settings.jobs_flat;
    let expires_at = iso8601(
        signed_at
            .saturating_add(i64::try_from(upload_expires).unwrap_or(i64::MAX))
            .saturating_mul(1000),
    );
    let mut out_inputs = Vec::new();
    let mut inputs = Vec::new();
    for i in new.inputs {
        let url = presign_at(
            shared,
            "PUT",
            &job_object_path(&auth.account, id, &i.slot),
            Some(&i.content_type),
            upload_expires,
            signed_at,
        );
        out_inputs.push(if flat {
            json!({"slotName": i.slot, "uploadUrl": url, "contentType": i.content_type,
                   "fileName": i.file_name, "sizeBytes": i.size})
        } else {
            json!({"slotName": i.slot, "uploadUrl": url, "uploadUrlExpiresAt": expires_at})
        });
        inputs.push(JobInput {
            slot: i.slot,
            content_type: i.content_type,
            file_name: i.file_name,
            size: i.size,
            artifact_id: shared.ids.hex(24),
            landed: None,
        });
    }
    let job = Job {
        id,
        account: auth.account.clone(),
        task: new.task,
        inputs,
        parameters: new.parameters,
        created_ms,
        finalized: None,
        processing_ms: 0,
        cost: 0,
        cancelled_ms: None,
        failure: None,
        result_artifact_id: shared.ids.hex(24),
        heatmap_artifact_id: shared.ids.hex(24),
    };
    let created = iso8601(created_ms);
    let out = if flat {
        json!({"jobId": id, "taskTypeId": job.task.id, "status": "waiting_for_finalize",
               "createdAt": created, "updatedAt": created, "inputs": out_inputs})
    } else {
        json!({
            "job": {"id": id.to_string(), "tenantId": auth.account, "taskTypeId": job.task.id.to_string(),
                    "status": "initiated", "cost": 0, "createdAt": created, "updatedAt": created,
                    "result": null},
            "inputs": out_inputs,
        })
    };
    g.jobs.push(job);
    drop(g);
    json_response(StatusCode::OK, &out)
}

fn not_finalizable() -> Resp {
    bad_request("Job not found or already finalized")
}

/// Every slot must have landed with its declared size and type; credits are taken here.
pub fn finalize(shared: &Shared, auth: &Auth, id: &str) -> Resp {
    let now = Instant::now();
    let mut g = shared.lock();
    let processing_ms = g.settings.processing_ms;
    let flat = g.settings.jobs_flat;
    let Some(job) = g.find_job(id, &auth.account) else {
        return not_finalizable();
    };
    if job.status(now) != "initiated" {
        return not_finalizable();
    }
    for input in &job.inputs {
        let slot = &input.slot;
        let Some(landed) = &input.landed else {
            return bad_request(&format!("Input {slot:?} has not been uploaded"));
        };
        if landed.len != input.size {
            return bad_request(&format!(
                "Input {slot:?}: {} bytes were uploaded, {} declared",
                landed.len, input.size
            ));
        }
        if landed.content_type.as_deref().map(essence) != Some(essence(&input.content_type)) {
            return bad_request(&format!(
                "Input {slot:?} was uploaded as {}, {} declared",
                landed.content_type.as_deref().unwrap_or("(no type)"),
                input.content_type
            ));
        }
    }
    let cost = job.task.cost;
    match g.credits_mut(&auth.principal) {
        Some(c) if *c >= cost => *c -= cost,
        _ => return auth.no_credits(),
    }
    let Some(job) = g.find_job_mut(id, &auth.account) else {
        return not_finalizable();
    };
    let at = now_ms();
    job.finalized = Some((at, now));
    job.processing_ms = processing_ms;
    job.cost = cost;
    let out = if flat {
        json!({"jobId": job.id, "taskTypeId": job.task.id, "status": "queued",
               "queuedAt": iso8601(at), "updatedAt": iso8601(at),
               "message": "Job successfully queued for processing"})
    } else {
        json!({"job": {"id": job.id.to_string(), "status": "queued"}})
    };
    drop(g);
    json_response(StatusCode::OK, &out)
}

/// A signed GET of one of the job's objects.
fn download(shared: &Shared, job: &Job, object: &str, expires: u64) -> String {
    presign(
        shared,
        "GET",
        &job_object_path(&job.account, job.id, object),
        None,
        expires,
    )
}

/// The job as `GET /v1/jobs/{id}` shows it, in the live shape or the flat variant.
fn job_json(shared: &Shared, job: &Job, now: Instant, result_expires: u64, flat: bool) -> Value {
    let status = job.status(now);
    let result = if status == "completed" {
        results::job_result(job).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let error_message = job.failure.as_ref().filter(|_| status == "failed");
    let created = iso8601(job.created_ms);
    let updated = iso8601(job.updated_ms(now));
    if flat {
        return json!({
            "jobId": job.id,
            "taskTypeId": job.task.id,
            "taskTypeSlug": job.task.slug,
            "status": if status == "initiated" { "waiting_for_finalize" } else { status },
            "createdAt": created,
            "updatedAt": updated,
            "completedAt": job.completed_ms(now).map(iso8601),
            "errorMessage": error_message,
            "result": result,
        });
    }
    let mut artifacts = Vec::new();
    for input in &job.inputs {
        let landed = input.landed.is_some();
        artifacts.push(json!({
            "id": input.artifact_id,
            "kind": "input",
            "slotName": input.slot,
            "status": if landed { "uploaded" } else { "pending" },
            "contentType": input.content_type,
            "metadata": {"fileName": input.file_name, "sizeBytes": input.size},
            "downloadUrl": landed.then(|| download(shared, job, &input.slot, result_expires)),
            "createdAt": created,
        }));
    }
    if status == "completed" {
        let done = job.completed_ms(now).map(iso8601);
        artifacts.push(json!({
            "id": job.result_artifact_id,
            "kind": "result",
            "slotName": null,
            "status": "ready",
            "contentType": "application/json",
            "metadata": {},
            "downloadUrl": download(shared, job, "result.json", result_expires),
            "createdAt": done,
        }));
        if job.task.has_heatmap() {
            let frame = job
                .input("original")
                .and_then(|i| i.landed.as_ref())
                .and_then(|l| l.dims)
                .unwrap_or(results::DEFAULT_FRAME);
            let (w, h) = results::heatmap_size(frame);
            artifacts.push(json!({
                "id": job.heatmap_artifact_id,
                "kind": "heatmap",
                "slotName": null,
                "status": "ready",
                "contentType": "image/png",
                "metadata": {"width": w, "height": h},
                "downloadUrl": download(shared, job, "heatmap.png", result_expires),
                "createdAt": done,
            }));
        }
    }
    let slots: Vec<Value> = job
        .task
        .slots()
        .into_iter()
        .map(|(name, mimes)| json!({"name": name, "mimes": mimes}))
        .collect();
    let mut m = Map::new();
    m.insert("id".into(), json!(job.id.to_string()));
    m.insert("tenantId".into(), json!(job.account));
    m.insert("taskTypeId".into(), json!(job.task.id.to_string()));
    m.insert("status".into(), json!(status));
    m.insert("cost".into(), json!(job.cost));
    m.insert("createdAt".into(), json!(created));
    m.insert("updatedAt".into(), json!(updated));
    m.insert("parameters".into(), Value::Object(job.parameters.clone()));
    m.insert("result".into(), result);
    if let Some(e) = error_message {
        m.insert("errorMessage".into(), json!(e));
    }
    m.insert("artifacts".into(), Value::Array(artifacts));
    m.insert(
        "taskType".into(),
        json!({"id": job.task.id.to_string(), "slug": job.task.slug,
               "displayName": job.task.display_name, "description": job.task.description,
               "inputSlots": slots}),
    );
    Value::Object(m)
}

pub fn get(shared: &Shared, auth: &Auth, id: &str) -> Resp {
    let g = shared.lock();
    let Some(job) = g.find_job(id, &auth.account) else {
        return job_not_found(id);
    };
    let v = job_json(
        shared,
        job,
        Instant::now(),
        g.settings.result_expires,
        g.settings.jobs_flat,
    );
    json_response(StatusCode::OK, &v)
}

/// A status filter, with the other spellings of `initiated` taken as it.
fn status_matches(filter: &str, status: &str) -> bool {
    let f = filter.trim().to_ascii_lowercase();
    let f = match f.as_str() {
        "created" | "waiting_for_finalize" => "initiated",
        other => other,
    };
    f == status
}

pub fn list(shared: &Shared, auth: &Auth, query: Option<&str>) -> Resp {
    let pairs = parse_query(query);
    let page = match query_param(&pairs, "page") {
        None => 1,
        Some(v) => match int_param(v.trim()).filter(|p| *p >= 1) {
            Some(p) => p,
            None => return bad_request("page must be an integer of at least 1"),
        },
    };
    let limit = match limit_param(&pairs) {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    let status = query_param(&pairs, "status").filter(|s| !s.trim().is_empty());
    let now = Instant::now();
    let g = shared.lock();
    let (result_expires, flat) = (g.settings.result_expires, g.settings.jobs_flat);
    let mine: Vec<&Job> = g
        .jobs
        .iter()
        .rev()
        .filter(|j| j.account == auth.account)
        .filter(|j| status.is_none_or(|s| status_matches(s, j.status(now))))
        .collect();
    let total = u64::try_from(mine.len()).unwrap_or(u64::MAX);
    let skip = (page - 1).saturating_mul(limit);
    let data: Vec<Value> = mine
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(100))
        .map(|j| {
            let v = job_json(shared, j, now, result_expires, flat);
            // The reference page wraps each item.
            if flat {
                json!({ "job": v })
            } else {
                v
            }
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"data": data, "pagination": {"page": page, "limit": limit, "total": total,
                                             "pages": total.div_ceil(limit)}}),
    )
}

/// Only before processing: `initiated` or `queued`; a cancelled job is in no state to cancel.
pub fn cancel(shared: &Shared, auth: &Auth, id: &str) -> Resp {
    let now = Instant::now();
    let mut g = shared.lock();
    let flat = g.settings.jobs_flat;
    let Some(job) = g.find_job_mut(id, &auth.account) else {
        return job_not_found(id);
    };
    match job.status(now) {
        "initiated" | "queued" => {}
        // After processing started, whatever its end.
        "processing" | "completed" | "failed" => {
            return api_error(
                StatusCode::CONFLICT,
                "JOB_NOT_CANCELLABLE",
                "Job cannot be cancelled (already processing or completed)",
            )
        }
        other => {
            return api_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_JOB_STATE",
                &format!("Job cannot be cancelled in status {other}"),
            )
        }
    }
    let at = now_ms();
    job.cancelled_ms = Some(at);
    let job_id = if flat {
        json!(job.id)
    } else {
        json!(job.id.to_string())
    };
    drop(g);
    json_response(
        StatusCode::OK,
        &json!({"jobId": job_id, "status": "cancelled", "message": "Job successfully cancelled",
                "updatedAt": iso8601(at)}),
    )
}

/// 204; refused while processing.
pub fn delete(shared: &Shared, auth: &Auth, id: &str) -> Resp {
    let now = Instant::now();
    let mut g = shared.lock();
    let Some(pos) = g
        .jobs
        .iter()
        .position(|j| j.id.to_string() == id && j.account == auth.account)
    else {
        return job_not_found(id);
    };
    if g.jobs.get(pos).map(|j| j.status(now)) == Some("processing") {
        return api_error(
            StatusCode::CONFLICT,
            "JOB_PROCESSING",
            "Job cannot be deleted while it is processing",
        );
    }
    g.jobs.remove(pos);
    response(StatusCode::NO_CONTENT, "", Bytes::new())
}
