//! The Jobs API's own pieces: `submitJob`'s plan (task types, inputs, parameters, the FI-1
//! rules) and the pages of `iterateJobs`. Sending, waiting and the result are shared with the
//! Media API (`submit`, `wait`, `result`).

use super::media::Single;
use super::submit::{Plan, Slot};
use super::{ApiCall, Limits};
use crate::core::error::Error;
use crate::core::json::write_str;
use crate::core::request::{page_size, JobPageParams, DEFAULT_PAGE_SIZE};
use crate::core::response::unwrap_job;
use crate::core::tasks::{task_id, FI1_ID};
use crate::core::text::decimal;
use crate::core::value::Value;

/// One input as the caller gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputArg {
    pub slot: String,
    /// The `contentType` given, else the Blob's own type.
    pub content_type: Option<String>,
    pub blob_type: String,
    /// The `fileName` given, else `File.name`.
    pub file_name: Option<String>,
    pub size: f64,
}

/// What `submitJob` was given, as read from its arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobArgs {
    /// `taskType` as given: an id (a number is given as its decimal text), slug or code.
    pub task_type: Option<String>,
    /// In the order given; blob `n` is `inputs[n]`.
    pub inputs: Vec<InputArg>,
    /// The caller's `parameters`, serialised, and whether they name a `version`.
    pub parameters_json: Option<String>,
    pub has_version: bool,
    pub is_similarity_check: bool,
    pub is_faceswap_check: bool,
    pub byte_progress: bool,
}

/// Checks `submitJob`'s arguments before any request and plans the requests.
pub fn plan(a: JobArgs) -> Result<Plan, Error> {
    let given = a
        .task_type
        .clone()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            Error::argument(
                "taskType is required (\"AC-1\", \"DF-1\", \"face-intelligence\", 4, …)",
            )
        })?;
    let task = task_id(&given)?;
    // `original` first, the others in the order given.
    let order = a
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.slot == "original")
        .chain(
            a.inputs
                .iter()
                .enumerate()
                .filter(|(_, i)| i.slot != "original"),
        );
    let mut slots = Vec::new();
    let mut file_names = Vec::new();
    for (n, input) in order {
        if input.slot.is_empty() {
            return Err(Error::argument("an input slot name is empty"));
        }
        let ct = crate::core::upload::content_type_for(
            input.content_type.as_deref(),
            &input.blob_type,
            input.size,
        )
        .map_err(|e| Error::argument(cat!("input \"", input.slot, "\": ", e.message)))?;
        file_names.push(
            input
                .file_name
                .clone()
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| input.slot.clone()),
        );
        slots.push(Slot {
            name: input.slot.clone(),
            content_type: ct,
            size: input.size,
            blob: n,
            progress: true,
        });
    }
    let original = slots
        .first()
        .filter(|s| s.name == "original")
        .ok_or_else(|| {
            Error::argument("inputs need an `original` (a Blob, or { original, reference })")
        })?;
    if task == FI1_ID {
        check_fi1(&a, original, slots.iter().any(|s| s.name == "reference"))?;
    }
    let mut body = String::from("{\"taskTypeId\":");
    write_str(&mut body, &task);
    body.push_str(",\"inputs\":[");
    for (i, (slot, file_name)) in slots.iter().zip(&file_names).enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str("{\"slotName\":");
        write_str(&mut body, &slot.name);
        body.push_str(",\"contentType\":");
        write_str(&mut body, &slot.content_type);
        body.push_str(",\"fileName\":");
        write_str(&mut body, file_name);
        // Sizes are whole numbers (Blob.size): integer formatting keeps floats out of the wasm.
        body.push_str(&cat!(",\"sizeBytes\":", decimal(slot.size as u64), "}"));
    }
    body.push_str("],\"parameters\":");
    body.push_str(&parameters(a.parameters_json.as_deref(), a.has_version));
    body.push('}');
    Ok(Plan {
        create: ApiCall::CreateJob(body),
        slots,
        byte_progress: a.byte_progress,
        task_id: Some(task),
    })
}

/// The parameters as given, with `version: "v1"` added when absent (the official clients send it).
fn parameters(given: Option<&str>, has_version: bool) -> String {
    match given.map(str::trim) {
        Some(p) if has_version => p.to_string(),
        Some(p) if p.starts_with('{') && p.len() > 2 => {
            cat!("{\"version\":\"v1\",", p.get(1..).unwrap_or("}"))
        }
        _ => "{\"version\":\"v1\"}".to_string(),
    }
}

/// FI-1's rules (API-NOTES.md): a reference ⇔ `isSimilarityCheck`; face swap needs a video and
/// similarity an image; the two together are refused.
fn check_fi1(a: &JobArgs, original: &Slot, has_reference: bool) -> Result<(), Error> {
    let video = original
        .content_type
        .to_ascii_lowercase()
        .starts_with("video/");
    let why = if a.is_faceswap_check && a.is_similarity_check {
        Some("isFaceswapCheck and isSimilarityCheck cannot be requested together")
    } else if has_reference && !a.is_similarity_check {
        Some("a reference is for the similarity check: set parameters.isSimilarityCheck: true")
    } else if a.is_similarity_check && !has_reference {
        Some("parameters.isSimilarityCheck needs a reference photo: pass { original, reference }")
    } else if a.is_faceswap_check && !video {
        Some("isFaceswapCheck needs a video as the original")
    } else if a.is_similarity_check && video {
        Some("isSimilarityCheck needs an image as the original")
    } else {
        None
    };
    match why {
        Some(w) => Err(Error::argument(cat!("FI-1: ", w))),
        None => Ok(()),
    }
}

/// The pages of `iterateJobs`: `page` from 1 with `limit = pageSize`, until an empty page or
/// past `pagination.pages`.
#[derive(Debug, Clone, PartialEq)]
pub struct JobPager {
    params: JobPageParams,
    done: bool,
    limits: Limits,
}

impl JobPager {
    pub fn new(
        page_size: Option<f64>,
        status: Option<String>,
        limits: Limits,
    ) -> Result<JobPager, Error> {
        let limit = page_size
            .map(page_size_arg)
            .transpose()?
            .unwrap_or(DEFAULT_PAGE_SIZE);
        Ok(JobPager {
            params: JobPageParams {
                page: Some(1),
                limit: Some(limit),
                status: status.filter(|s| !s.is_empty()),
            },
            done: false,
            limits,
        })
    }

    /// The request for the next page, or `None` when every page has been read.
    pub fn next_page(&self) -> Option<Single> {
        (!self.done).then(|| Single::new(ApiCall::ListJobs(self.params.clone()), self.limits))
    }

    /// The jobs of a page (unwrapped from `{ job }` where the server wraps them).
    pub fn take<V: Value>(&mut self, page: &V) -> Vec<V> {
        let data: Vec<V> = page
            .get("data")
            .and_then(|d| d.items())
            .unwrap_or_default()
            .iter()
            .map(unwrap_job)
            .collect();
        let current = self.params.page.unwrap_or(1);
        let pages = page
            .get("pagination")
            .and_then(|p| p.get("pages"))
            .and_then(|p| p.as_f64());
        if data.is_empty() || pages.is_some_and(|p| current as f64 >= p) {
            self.done = true;
        }
        self.params.page = Some(current + 1);
        data
    }

    /// After an error: nothing more.
    pub fn stop(&mut self) {
        self.done = true;
    }
}

fn page_size_arg(v: f64) -> Result<u32, Error> {
    page_size("pageSize", v)
}
