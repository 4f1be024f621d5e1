//! The Media API's own pieces: a single API call (both APIs use it), `upload()`'s plan, the PUT
//! alone (`uploadFile`), and the pages of `iterateMedia`. Sending, waiting and the result are
//! shared with the Jobs API (`submit`, `wait`, `result`).

use super::submit::{Plan, Slot};
use super::{
    at_deadline, ApiCall, ByteProgress, Done, Env, Event, Exchange, Limits, Op, Progress, Queue,
    Step, Target, X,
};
use crate::core::error::Error;
use crate::core::request::{CreateMediaBody, ListParams, DEFAULT_PAGE_SIZE};
use crate::core::upload::{check_signed_url, content_type_for};
use crate::core::value::Value;

/// `createMedia`, `getMedia`, `listMedia`, `deleteMedia`: one request with retries.
#[derive(Debug, Clone)]
pub struct Single {
    x: Exchange,
    delete: bool,
}

impl Single {
    pub fn new(call: ApiCall, limits: Limits) -> Single {
        let delete = matches!(call, ApiCall::DeleteMedia(_) | ApiCall::DeleteJob(_));
        Single {
            x: Exchange::api(call, limits),
            delete,
        }
    }
}

impl<V: Value> Op<V> for Single {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        match self.x.on(event, env) {
            X::Step(s) => s,
            X::Err(e) => Step::Fail(e),
            X::Ok(got) => Step::Done(match got.json {
                Some(v) if !self.delete => Done::Value(v),
                _ => Done::Nothing,
            }),
        }
    }
}

/// What `upload()` was given, as read from its arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UploadArgs {
    pub model_type: Option<String>,
    pub name: Option<String>,
    /// `File.name`, when the blob is a `File`.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub blob_type: String,
    pub size: f64,
    /// The caller's `metadata`, serialised.
    pub metadata_json: Option<String>,
    /// `metadata.faceSimilarityCheck === true`.
    pub similarity: bool,
    /// The reference Blob's type and size.
    pub reference: Option<(String, f64)>,
    pub byte_progress: bool,
}

/// Checks `upload()`'s arguments before any request and plans the requests.
pub fn plan(a: UploadArgs) -> Result<Plan, Error> {
    let model_type = a
        .model_type
        .filter(|m| !m.trim().is_empty())
        .ok_or_else(|| {
            Error::argument("modelType is required (\"DF-1\", \"AC-1\", \"FI-1\", \"FE-1\", …)")
        })?;
    let name = a
        .name
        .filter(|n| !n.is_empty())
        .or(a.file_name.filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "upload".into());
    let content_type = content_type_for(a.content_type.as_deref(), &a.blob_type, a.size)?;
    let reference = match (a.reference, a.similarity) {
        (Some(_), false) => return Err(Error::argument(
            "reference is for the FI-1 similarity check: set metadata.faceSimilarityCheck: true",
        )),
        (None, true) => {
            return Err(Error::argument(
                "metadata.faceSimilarityCheck needs a reference image: pass options.reference",
            ))
        }
        (Some((_, size)), true) if size.is_nan() || size <= 0.0 => {
            return Err(Error::argument("the reference image is empty"))
        }
        (r, _) => r,
    };
    let body = CreateMediaBody {
        name: &name,
        content_type: &content_type,
        size: a.size,
        model_type: &model_type,
        metadata_json: a.metadata_json.as_deref(),
    };
    let create = ApiCall::CreateMedia(body.to_json());
    let mut slots = vec![Slot {
        name: "original".into(),
        content_type,
        size: a.size,
        blob: 0,
        progress: true,
    }];
    // FI-1 similarity: the reference, not declared at creation, with its own type (S3 needs one).
    if let Some((ty, size)) = reference {
        slots.push(Slot {
            name: "reference".into(),
            content_type: if ty.trim().is_empty() {
                "image/jpeg".into()
            } else {
                ty
            },
            size,
            blob: 1,
            progress: false,
        });
    }
    Ok(Plan {
        create,
        slots,
        byte_progress: a.byte_progress,
        task_id: None,
    })
}

/// `uploadFile`: the PUT alone, to a URL from `createMedia`.
#[derive(Debug, Clone)]
pub struct PutFile<V> {
    x: Exchange,
    size: f64,
    limits: Limits,
    out: Queue<V>,
    started: bool,
}

impl<V: Value> PutFile<V> {
    /// `given`: the `contentType` option; the Blob's own type otherwise.
    pub fn new(
        url: String,
        given: Option<&str>,
        blob_type: &str,
        size: f64,
        byte_progress: bool,
        limits: Limits,
    ) -> Result<PutFile<V>, Error> {
        check_signed_url("uploadUrl", &url)?;
        let content_type = match given.filter(|g| !g.trim().is_empty()) {
            Some(g) => content_type_for(Some(g), "", size)?,
            None => content_type_for(None, blob_type, size)?,
        };
        let progress = byte_progress.then_some(ByteProgress {
            offset: 0.0,
            total: size,
            slot: None,
        });
        Ok(PutFile {
            x: Exchange::new(
                Target::Upload {
                    url,
                    blob: 0,
                    content_type,
                    progress,
                },
                limits,
            ),
            size,
            limits,
            out: Queue::new(),
            started: false,
        })
    }
}

impl<V: Value> Op<V> for PutFile<V> {
    fn next(&mut self, event: Event<V>, env: &Env) -> Step<V> {
        if !self.started {
            self.started = true;
            return Step::Progress(Progress {
                loaded: 0.0,
                total: self.size,
                computable: self.x.reports_bytes(),
                slot: None,
            });
        }
        if let Some(s) = self.out.pop() {
            return s;
        }
        match self.x.on(event, env) {
            X::Step(s) => s,
            X::Ok(_) => {
                self.out.push(Step::Done(Done::Nothing));
                Step::Progress(Progress {
                    loaded: self.size,
                    total: self.size,
                    computable: true,
                    slot: None,
                })
            }
            X::Err(e) => Step::Fail(at_deadline(e, &self.limits, env.now_ms, "the upload")),
        }
    }
}

/// The pages of `iterateMedia`: `limit = pageSize`, until an empty page or `offset` reaches
/// `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    page_size: u32,
    offset: u64,
    done: bool,
    limits: Limits,
}

impl Pager {
    pub fn new(page_size: Option<u32>, limits: Limits) -> Pager {
        Pager {
            page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE),
            offset: 0,
            done: false,
            limits,
        }
    }

    /// The request for the next page, or `None` when every page has been read.
    pub fn next_page(&self) -> Option<Single> {
        (!self.done).then(|| {
            Single::new(
                ApiCall::ListMedia(ListParams {
                    limit: Some(self.page_size),
                    offset: Some(self.offset),
                }),
                self.limits,
            )
        })
    }

    /// The records of a page, and whether more may follow.
    pub fn take<V: Value>(&mut self, page: &V) -> Vec<V> {
        let data = page.get("data").and_then(|d| d.items()).unwrap_or_default();
        self.offset += data.len() as u64;
        let total = page.get("total").and_then(|t| t.as_f64());
        if data.is_empty() || total.is_some_and(|t| self.offset as f64 >= t) {
            self.done = true;
        }
        data
    }

    /// After an error: nothing more.
    pub fn stop(&mut self) {
        self.done = true;
    }
}
