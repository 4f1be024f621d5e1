//! `AuthentaClient`: every public method of `design/SDK.md`. Each reads its arguments, builds
//! the core operation, and hands it to the driver.

use super::driver::{run, Io};
use super::iter::{jobs_iterator, media_iterator};
use super::{has_xhr, in_browser, prop, set, to_js_error, Opts};
use crate::core::config::{Auth, Config, RawKey, RawOptions};
use crate::core::error::Error;
use crate::core::ops::jobs::{self, InputArg, JobArgs};
use crate::core::ops::media::{self, PutFile, Single, UploadArgs};
use crate::core::ops::result::GetResult;
use crate::core::ops::subject::Subject;
use crate::core::ops::submit::{Finalize, Plan, Run, Submit};
use crate::core::ops::wait::{Deadline, Wait};
use crate::core::ops::{ApiCall, Limits, Op};
use crate::core::poll::PollSchedule;
use crate::core::request::{check_create_media, JobPageParams, ListParams};
use crate::core::text::decimal;
use js_sys::{Function, Object, Promise, JSON};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Blob;

/// The Authenta API client. See the package README for every option and method.
#[wasm_bindgen]
pub struct AuthentaClient {
    inner: Rc<Inner>,
}

pub(crate) struct Inner {
    pub config: Config,
    pub key_provider: Option<Function>,
    pub fetch: Option<Function>,
}

/// A caller mistake (or any error found before the operation started) as its JS error.
fn reject(e: Error) -> JsValue {
    to_js_error(&e, &JsValue::UNDEFINED, &[])
}

/// A `mid` argument: a string, or a caller mistake.
#[inline(never)]
fn mid_arg(v: &JsValue) -> Result<String, Error> {
    v.as_string()
        .ok_or_else(|| Error::argument("mid must be a string (the record's `mid`)"))
}

/// A `Blob`/`File` argument, by `instanceof` or, for other realms and polyfills, by shape.
#[inline(never)]
fn blob_arg(v: &JsValue, what: &str) -> Result<Blob, Error> {
    if v.is_instance_of::<Blob>()
        || (prop(v, "size").as_f64().is_some()
            && prop(v, "type").as_string().is_some()
            && prop(v, "slice").is_function())
    {
        Ok(v.clone().unchecked_into())
    } else {
        Err(Error::argument(cat!(what, " must be a Blob or File")))
    }
}

/// What a method taking `RequestOptions` runs.
enum Request {
    Call(ApiCall),
    Finalize(String),
    Result(Subject, Option<JsValue>),
}

/// A job id argument: a string, or a whole number (sent as its decimal text).
#[inline(never)]
fn job_id_arg(v: &JsValue) -> Result<String, Error> {
    match (v.as_string(), v.as_f64()) {
        (Some(s), _) => Ok(s),
        (None, Some(n)) if n.fract() == 0.0 && (0.0..9.0e15).contains(&n) => Ok(decimal(n as u64)),
        _ => Err(Error::argument(
            "jobId must be a string (or a whole number), as the API returned it",
        )),
    }
}

/// Checks a `createJob` body and serialises it (unknown fields included).
fn create_job_body(body: &JsValue) -> Result<String, Error> {
    let b = Opts::method(body, "createJob body")?;
    if !body.is_object()
        || b.get("taskTypeId").is_none()
        || !js_sys::Array::is_array(&prop(body, "inputs"))
    {
        return Err(Error::argument(
            "createJob(body): body must be an object with taskTypeId and an inputs array",
        ));
    }
    JSON::stringify(body)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::argument("createJob body cannot be serialised as JSON"))
}

/// One input: a Blob/File, or `{ file, contentType?, fileName? }`.
#[inline(never)]
fn input_arg(slot: String, v: &JsValue) -> Result<(InputArg, Blob), Error> {
    let what = cat!("input \"", slot, "\"");
    let (blob, content_type, file_name) = if prop(v, "file").is_undefined() {
        (blob_arg(v, &what)?, None, None)
    } else {
        let o = Opts::method(v, "an input")?;
        (
            blob_arg(&prop(v, "file"), &what)?,
            o.string("contentType")?,
            o.string("fileName")?,
        )
    };
    let arg = InputArg {
        slot,
        content_type,
        blob_type: blob.type_(),
        file_name: file_name.or_else(|| prop(&blob, "name").as_string()),
        size: blob.size(),
    };
    Ok((arg, blob))
}

/// `inputs`: a Blob/File (the `original` slot) or an object of slot name to input.
fn inputs_arg(v: &JsValue) -> Result<(Vec<InputArg>, Vec<Blob>), Error> {
    if blob_arg(v, "").is_ok() {
        let (arg, blob) = input_arg("original".into(), v)?;
        return Ok((vec![arg], vec![blob]));
    }
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(Error::argument(
            "inputs must be a Blob/File or an object of slots ({ original, reference })",
        ));
    }
    let mut args = Vec::new();
    let mut blobs = Vec::new();
    for entry in Object::entries(v.unchecked_ref()).iter() {
        let slot = js_sys::Reflect::get_u32(&entry, 0)
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        let value = js_sys::Reflect::get_u32(&entry, 1).unwrap_or(JsValue::UNDEFINED);
        let (arg, blob) = input_arg(slot, &value)?;
        args.push(arg);
        blobs.push(blob);
    }
    Ok((args, blobs))
}

/// What a long operation's options say about time and retries.
#[inline(never)]
fn long_limits(inner: &Inner, o: &Opts) -> Result<Limits, Error> {
    Ok(Limits::long(
        &inner.config,
        o.timeout()?,
        o.retries()?,
        js_sys::Date::now(),
    ))
}

#[inline(never)]
fn schedule(o: &Opts) -> Result<PollSchedule, Error> {
    PollSchedule::from_options(o.number("pollIntervalMs")?, o.number("maxPollIntervalMs")?)
}

type Planned = Result<(Plan, Limits, Io), Error>;
type Built = Result<(Box<dyn Op<JsValue>>, Io), Error>;

/// `upload()` / `submitJob()`: the plan's files sent (and the job finalized).
fn submit(planned: Planned) -> Built {
    planned.map(|(plan, limits, io)| {
        (
            Box::new(Submit::new(plan, limits)) as Box<dyn Op<JsValue>>,
            io,
        )
    })
}

/// `uploadAndPoll()` / `runJob()`: the plan submitted, waited for, and its result fetched, with
/// the polling options of `options`.
fn run_plan(planned: Planned, options: &JsValue, what: &str) -> Built {
    let (plan, limits, io) = planned?;
    let o = Opts::method(options, what)?;
    let op = Run::new(plan, schedule(&o)?, limits);
    Ok((Box::new(op), io))
}

/// Runs an operation built from the arguments; a mistake found while building it rejects.
fn start(inner: &Rc<Inner>, built: Built) -> Promise {
    match built {
        Ok((op, io)) => run(inner, op, io),
        Err(e) => Promise::reject(&reject(e)),
    }
}

/// Every method of the client, numbered for `AuthentaClient::call`: the wasm has that one export
/// (and the glue one function) where it had one per method (README, "Size"). The JS methods are
/// made from these names (`GetMedia` → `getMedia`, each calling `__call(1, …)`) by
/// `pkg/methods.js`, which scripts/build-pkg.sh writes from this list; their declarations are
/// `METHODS_TS` below.
#[derive(Clone, Copy)]
pub enum Method {
    CreateMedia,
    GetMedia,
    ListMedia,
    IterateMedia,
    DeleteMedia,
    UploadFile,
    Upload,
    WaitForResult,
    GetResult,
    UploadAndPoll,
    CreateJob,
    GetJob,
    ListJobs,
    IterateJobs,
    FinalizeJob,
    CancelJob,
    DeleteJob,
    SubmitJob,
    WaitForJob,
    GetJobResult,
    RunJob,
    ToJSON,
    ToString,
}

#[wasm_bindgen]
impl AuthentaClient {
    /// Validates the options; no network until a method is called.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<AuthentaClient, JsValue> {
        Inner::new(&options)
            .map(|inner| AuthentaClient {
                inner: Rc::new(inner),
            })
            .map_err(reject)
    }

    /// The method numbered `method` (a `Method`) with its arguments (`undefined` where the
    /// caller gave fewer). A number: wasm-bindgen's check of an enum argument costs 285 bytes.
    #[wasm_bindgen(js_name = __call, skip_typescript)]
    pub fn call(&self, method: u32, a: &JsValue, b: &JsValue, c: &JsValue) -> JsValue {
        let p: Promise = match method {
            m if m == Method::CreateMedia as u32 => self.create_media(a, b),
            m if m == Method::GetMedia as u32 => self.get_media(a, b),
            m if m == Method::ListMedia as u32 => self.list_media(a, b),
            m if m == Method::IterateMedia as u32 => return self.iterate_media(a),
            m if m == Method::DeleteMedia as u32 => self.delete_media(a, b),
            m if m == Method::UploadFile as u32 => self.upload_file(a, b, c),
            m if m == Method::Upload as u32 => self.upload(a, b),
            m if m == Method::WaitForResult as u32 => self.wait_for_result(a, b),
            m if m == Method::GetResult as u32 => self.get_result(a, b),
            m if m == Method::UploadAndPoll as u32 => self.upload_and_poll(a, b),
            m if m == Method::CreateJob as u32 => self.create_job(a, b),
            m if m == Method::GetJob as u32 => self.get_job(a, b),
            m if m == Method::ListJobs as u32 => self.list_jobs(a, b),
            m if m == Method::IterateJobs as u32 => return self.iterate_jobs(a),
            m if m == Method::FinalizeJob as u32 => self.finalize_job(a, b),
            m if m == Method::CancelJob as u32 => self.cancel_job(a, b),
            m if m == Method::DeleteJob as u32 => self.delete_job(a, b),
            m if m == Method::SubmitJob as u32 => self.submit_job(a, b),
            m if m == Method::WaitForJob as u32 => self.wait_for_job(a, b),
            m if m == Method::GetJobResult as u32 => self.get_job_result(a, b),
            m if m == Method::RunJob as u32 => self.run_job(a, b),
            m if m == Method::ToJSON as u32 => return self.to_json(),
            m if m == Method::ToString as u32 => return self.to_string_js().into(),
            // Only pkg/methods.js calls `__call`, with the numbers above.
            _ => return JsValue::UNDEFINED,
        };
        p.into()
    }
}

// The methods' declarations, merged into the class that wasm-bindgen declares (which has only
// the constructor and `free()`: the methods are made in JS, see `Method`).
#[wasm_bindgen(typescript_custom_section)]
const METHODS_TS: &str = r#"
export interface AuthentaClient {
    /** `POST /media`: creates a record and returns it with its pre-signed `uploadUrl`. */
    createMedia(body: CreateMediaRequest, options?: RequestOptions): Promise<CreatedMedia>;
    /** `GET /media/{mid}`. */
    getMedia(mid: string, options?: RequestOptions): Promise<Media>;
    /** `GET /media`: one page of records. */
    listMedia(params?: ListMediaParams, options?: RequestOptions): Promise<MediaPage>;
    /** Every record, page by page: `for await (const media of client.iterateMedia())`. */
    iterateMedia(options?: IterateMediaOptions): AsyncIterableIterator<Media>;
    /** `DELETE /media/{mid}`. */
    deleteMedia(mid: string, options?: RequestOptions): Promise<void>;
    /** `PUT uploadUrl`: step 2 alone, for a record made with `createMedia`. */
    uploadFile(uploadUrl: string, blob: Blob, options?: UploadFileOptions): Promise<void>;
    /**
     * Creates the record and uploads the file (and the FI-1 reference image); resolves with the
     * created record once the bytes have landed.
     */
    upload(blob: Blob, options: UploadOptions): Promise<CreatedMedia>;
    /**
     * Polls `GET /media/{mid}` until the record is `PROCESSED`; needs nothing but the `mid`,
     * so it resumes after a reload.
     */
    waitForResult(mid: string, options?: WaitForResultOptions): Promise<Media>;
    /**
     * Fetches the verdict behind the record's `resultURL` (fetching the record first when given
     * a `mid`).
     */
    getResult(mediaOrMid: Media | string, options?: RequestOptions): Promise<DetectionResult>;
    /** Upload, wait, and fetch the verdict: `{ media, result }`. */
    uploadAndPoll(blob: Blob, options: UploadAndPollOptions): Promise<UploadAndPollResult>;
    /** `POST /v1/jobs`: creates a job and one pre-signed upload URL per input slot. */
    createJob(body: CreateJobRequest, options?: RequestOptions): Promise<CreatedJob>;
    /** `GET /v1/jobs/{id}`. */
    getJob(jobId: string | number, options?: RequestOptions): Promise<Job>;
    /** `GET /v1/jobs`: one page of jobs. */
    listJobs(params?: ListJobsParams, options?: RequestOptions): Promise<JobPage>;
    /** Every job, page by page: `for await (const job of client.iterateJobs())`. */
    iterateJobs(options?: IterateJobsOptions): AsyncIterableIterator<Job>;
    /** `POST /v1/jobs/{id}/finalize`: every input is uploaded; queue the job. */
    finalizeJob(jobId: string | number, options?: RequestOptions): Promise<FinalizedJob>;
    /** `POST /v1/jobs/{id}/cancel`: cancels a job that is not processing yet. */
    cancelJob(jobId: string | number, options?: RequestOptions): Promise<CancelledJob>;
    /** `DELETE /v1/jobs/{id}`. */
    deleteJob(jobId: string | number, options?: RequestOptions): Promise<void>;
    /**
     * Creates the job, uploads every input and finalizes it: `{ jobId, created, finalized }`
     * once the job is queued.
     */
    submitJob(inputs: JobInputs, options: SubmitJobOptions): Promise<SubmittedJob>;
    /** Polls `GET /v1/jobs/{id}` until the job is `completed`; needs nothing but the id. */
    waitForJob(jobId: string | number, options?: WaitForJobOptions): Promise<Job>;
    /**
     * The job's result: the JSON behind its `result` artifact, else its inline `result`
     * (fetching the job first when given an id).
     */
    getJobResult(jobOrId: Job | string | number, options?: RequestOptions): Promise<JobResult>;
    /** Submit, wait, and fetch the result: `{ job, result }`. */
    runJob(inputs: JobInputs, options: RunJobOptions): Promise<RunJobResult>;
    /** What `JSON.stringify(client)` shows: settings, never credentials. */
    toJSON(): { baseUrl: string; auth: "bearer" | "client-id" | "none"; timeoutMs: number; maxRetries: number };
    /** `AuthentaClient(<baseUrl>)`: never credentials. */
    toString(): string;
}
"#;

/// The methods, for `call` and for Rust code that drives the client (tests); the JS
/// declarations are in `METHODS_TS`.
impl AuthentaClient {
    pub fn create_media(&self, body: &JsValue, options: &JsValue) -> Promise {
        self.single(create_body(body).map(ApiCall::CreateMedia), options)
    }

    pub fn get_media(&self, mid: &JsValue, options: &JsValue) -> Promise {
        self.single(mid_arg(mid).map(ApiCall::GetMedia), options)
    }

    pub fn list_media(&self, params: &JsValue, options: &JsValue) -> Promise {
        let page = Opts::method(params, "listMedia params")
            .and_then(|p| ListParams::new(p.number("limit")?, p.number("offset")?));
        self.single(page.map(ApiCall::ListMedia), options)
    }

    pub fn iterate_media(&self, options: &JsValue) -> JsValue {
        media_iterator(self.inner.clone(), options)
    }

    pub fn delete_media(&self, mid: &JsValue, options: &JsValue) -> Promise {
        self.single(mid_arg(mid).map(ApiCall::DeleteMedia), options)
    }

    pub fn upload_file(&self, upload_url: &JsValue, blob: &JsValue, options: &JsValue) -> Promise {
        let inner = self.inner.clone();
        let built = (|| {
            let o = Opts::method(options, "uploadFile options")?;
            let url = upload_url
                .as_string()
                .ok_or_else(|| Error::argument("uploadUrl must be a string"))?;
            let blob = blob_arg(blob, "the file")?;
            let io = inner.io(&o, vec![blob.clone()])?;
            let op = PutFile::new(
                url,
                o.string("contentType")?.as_deref(),
                &blob.type_(),
                blob.size(),
                inner.byte_progress(&io),
                long_limits(&inner, &o)?,
            )?;
            Ok((Box::new(op) as Box<dyn Op<JsValue>>, io))
        })();
        start(&self.inner, built)
    }

    pub fn upload(&self, blob: &JsValue, options: &JsValue) -> Promise {
        let built = self
            .inner
            .upload_plan(blob, options, "upload options", false);
        start(&self.inner, submit(built))
    }

    pub fn wait_for_result(&self, mid: &JsValue, options: &JsValue) -> Promise {
        self.wait(
            mid_arg(mid).map(Subject::Media),
            options,
            "waitForResult options",
        )
    }

    pub fn get_result(&self, media_or_mid: &JsValue, options: &JsValue) -> Promise {
        let what = match media_or_mid.as_string() {
            Some(mid) => Ok(Request::Result(Subject::Media(mid), None)),
            None if media_or_mid.is_object() => {
                let mid = prop(media_or_mid, "mid").as_string().unwrap_or_default();
                Ok(Request::Result(
                    Subject::Media(mid),
                    Some(media_or_mid.clone()),
                ))
            }
            None => Err(Error::argument("getResult takes a media record or its mid")),
        };
        self.request(what, options)
    }

    pub fn upload_and_poll(&self, blob: &JsValue, options: &JsValue) -> Promise {
        let what = "uploadAndPoll options";
        let built = self.inner.upload_plan(blob, options, what, true);
        start(&self.inner, run_plan(built, options, what))
    }

    pub fn create_job(&self, body: &JsValue, options: &JsValue) -> Promise {
        self.single(create_job_body(body).map(ApiCall::CreateJob), options)
    }

    pub fn get_job(&self, job_id: &JsValue, options: &JsValue) -> Promise {
        self.single(job_id_arg(job_id).map(ApiCall::GetJob), options)
    }

    pub fn list_jobs(&self, params: &JsValue, options: &JsValue) -> Promise {
        let page = Opts::method(params, "listJobs params").and_then(|p| {
            JobPageParams::new(p.number("page")?, p.number("limit")?, p.string("status")?)
        });
        self.single(page.map(ApiCall::ListJobs), options)
    }

    pub fn iterate_jobs(&self, options: &JsValue) -> JsValue {
        jobs_iterator(self.inner.clone(), options)
    }

    pub fn finalize_job(&self, job_id: &JsValue, options: &JsValue) -> Promise {
        self.request(job_id_arg(job_id).map(Request::Finalize), options)
    }

    pub fn cancel_job(&self, job_id: &JsValue, options: &JsValue) -> Promise {
        self.single(job_id_arg(job_id).map(ApiCall::CancelJob), options)
    }

    pub fn delete_job(&self, job_id: &JsValue, options: &JsValue) -> Promise {
        self.single(job_id_arg(job_id).map(ApiCall::DeleteJob), options)
    }

    pub fn submit_job(&self, inputs: &JsValue, options: &JsValue) -> Promise {
        let built = self.inner.job_plan(inputs, options, "submitJob options");
        start(&self.inner, submit(built))
    }

    pub fn wait_for_job(&self, job_id: &JsValue, options: &JsValue) -> Promise {
        self.wait(
            job_id_arg(job_id).map(Subject::Job),
            options,
            "waitForJob options",
        )
    }

    pub fn get_job_result(&self, job_or_id: &JsValue, options: &JsValue) -> Promise {
        let what = if job_or_id.is_object() {
            let id = crate::core::response::job_id(job_or_id).unwrap_or_default();
            Ok(Request::Result(Subject::Job(id), Some(job_or_id.clone())))
        } else {
            job_id_arg(job_or_id).map(|id| Request::Result(Subject::Job(id), None))
        };
        self.request(what, options)
    }

    pub fn run_job(&self, inputs: &JsValue, options: &JsValue) -> Promise {
        let what = "runJob options";
        let built = self.inner.job_plan(inputs, options, what);
        start(&self.inner, run_plan(built, options, what))
    }

    pub fn to_json(&self) -> JsValue {
        let c = &self.inner.config;
        let out = Object::new();
        set(&out, "baseUrl", &JsValue::from_str(&c.base_url));
        let auth = match c.auth {
            Auth::Bearer(_) => "bearer",
            Auth::Client { .. } => "client-id",
            Auth::None => "none",
        };
        set(&out, "auth", &JsValue::from_str(auth));
        set(&out, "timeoutMs", &JsValue::from_f64(c.timeout_ms as f64));
        set(
            &out,
            "maxRetries",
            &JsValue::from_f64(f64::from(c.max_retries)),
        );
        out.into()
    }

    /// `AuthentaClient(<baseUrl>)`.
    pub fn to_string_js(&self) -> String {
        cat!("AuthentaClient(", self.inner.config.base_url, ")")
    }
}

impl AuthentaClient {
    /// The four single-request methods.
    /// The methods that take `RequestOptions`: `timeoutMs` bounds each attempt.
    fn request(&self, what: Result<Request, Error>, options: &JsValue) -> Promise {
        let inner = self.inner.clone();
        let built = (|| {
            let o = Opts::method(options, "request options")?;
            let limits = Limits::single(&inner.config, o.timeout()?, o.retries()?);
            let op: Box<dyn Op<JsValue>> = match what? {
                Request::Call(call) => Box::new(Single::new(call, limits)),
                Request::Finalize(id) => Box::new(Finalize::new(id, limits)),
                Request::Result(subject, record) => {
                    Box::new(GetResult::new(subject, record, limits))
                }
            };
            Ok((op, inner.io(&o, Vec::new())?))
        })();
        start(&self.inner, built)
    }

    /// `waitForResult` / `waitForJob`: needs nothing but the id, so it resumes after a reload.
    fn wait(&self, subject: Result<Subject, Error>, options: &JsValue, what: &str) -> Promise {
        let inner = self.inner.clone();
        let built = (|| {
            let o = Opts::method(options, what)?;
            let subject = subject?;
            let limits = Limits::long(&inner.config, None, o.retries()?, 0.0);
            let deadline = Deadline::default_for(&subject, o.timeout()?);
            let op: Wait<JsValue> = Wait::new(subject, schedule(&o)?, deadline, limits, None);
            Ok((
                Box::new(op) as Box<dyn Op<JsValue>>,
                inner.io(&o, Vec::new())?,
            ))
        })();
        start(&self.inner, built)
    }

    fn single(&self, call: Result<ApiCall, Error>, options: &JsValue) -> Promise {
        self.request(call.map(Request::Call), options)
    }
}

/// Checks a `createMedia` body and serialises it (unknown fields included).
fn create_body(body: &JsValue) -> Result<String, Error> {
    let b = Opts {
        obj: body,
        what: "createMedia body",
        ctor: false,
    };
    if !body.is_object() {
        return Err(Error::argument("createMedia(body): body must be an object"));
    }
    check_create_media(
        b.string("name")?.as_deref(),
        b.string("contentType")?.as_deref(),
        b.number("size")?,
        b.string("modelType")?.as_deref(),
    )?;
    JSON::stringify(body)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::argument("createMedia body cannot be serialised as JSON"))
}

impl Inner {
    fn new(options: &JsValue) -> Result<Inner, Error> {
        let o = Opts {
            obj: options,
            what: "options",
            ctor: true,
        };
        if !options.is_object() {
            return Err(Error::config(
                "new AuthentaClient(options): options must be an object",
            ));
        }
        let key = match o.get("apiKey") {
            None => (None, None),
            Some(v) if v.is_function() => {
                (Some(RawKey::Provider), Some(v.unchecked_into::<Function>()))
            }
            Some(v) => match v.as_string() {
                Some(s) => (Some(RawKey::Static(s)), None),
                None => {
                    return Err(Error::config(
                        "apiKey must be a string or a function returning one",
                    ))
                }
            },
        };
        let mut headers = Vec::new();
        if let Some(h) = o.get("headers") {
            if !h.is_object() || prop(&h, "get").is_function() {
                return Err(Error::config(
                    "headers must be a plain object of header names to strings",
                ));
            }
            for entry in Object::entries(h.unchecked_ref()).iter() {
                let name = js_sys::Reflect::get_u32(&entry, 0)
                    .ok()
                    .and_then(|n| n.as_string())
                    .unwrap_or_default();
                let value = js_sys::Reflect::get_u32(&entry, 1).unwrap_or(JsValue::UNDEFINED);
                let value = value.as_string().ok_or_else(|| {
                    Error::config(cat!("headers: the value of ", name, " must be a string"))
                })?;
                headers.push((name, value));
            }
        }
        let raw = RawOptions {
            api_key: key.0,
            client_id: o.string("clientId")?,
            client_secret: o.string("clientSecret")?,
            base_url: o.string("baseUrl")?,
            timeout_ms: o.number("timeoutMs")?,
            max_retries: o.number("maxRetries")?,
            headers,
            dangerously_allow_browser: o.boolean("dangerouslyAllowBrowser")?.unwrap_or(false),
            in_browser: in_browser(),
        };
        let fetch = o.function("fetch")?;
        Ok(Inner {
            config: Config::validate(raw)?,
            key_provider: key.1,
            fetch,
        })
    }

    /// The caller's signal and callbacks for one operation.
    #[inline(never)]
    pub(crate) fn io(&self, o: &Opts, blobs: Vec<Blob>) -> Result<Io, Error> {
        // A signal aborted already ends the operation at its first step (driver.rs).
        let signal = o.signal()?;
        Ok(Io {
            signal,
            blobs,
            on_status: o.function("onStatus")?,
            on_progress: o.function("onProgress")?,
        })
    }

    /// Whether uploads can report byte progress: XMLHttpRequest is there, the caller wants
    /// progress, and no fetch of the caller's must see every request.
    fn byte_progress(&self, io: &Io) -> bool {
        self.fetch.is_none() && io.on_progress.is_some() && has_xhr()
    }

    /// `submitJob()`'s arguments, read and checked by the core.
    fn job_plan(
        &self,
        inputs: &JsValue,
        options: &JsValue,
        what: &str,
    ) -> Result<(Plan, Limits, Io), Error> {
        let o = Opts::method(options, what)?;
        let (args, blobs) = inputs_arg(inputs)?;
        let io = self.io(&o, blobs)?;
        let task_type = match o.get("taskType") {
            None => None,
            Some(t) => Some(match (t.as_string(), t.as_f64()) {
                (Some(s), _) => s,
                (None, Some(n)) if n.fract() == 0.0 && (0.0..1e9).contains(&n) => decimal(n as u64),
                _ => {
                    return Err(Error::argument(
                        "taskType must be a task id, slug or model code",
                    ))
                }
            }),
        };
        let parameters = match o.get("parameters") {
            None => None,
            Some(p) if p.is_object() && !js_sys::Array::is_array(&p) => Some(p),
            Some(_) => return Err(Error::argument("parameters must be an object")),
        };
        let flag = |name: &str| {
            parameters
                .as_ref()
                .is_some_and(|p| prop(p, name).as_bool() == Some(true))
        };
        let args = JobArgs {
            task_type,
            inputs: args,
            parameters_json: parameters
                .as_ref()
                .and_then(|p| JSON::stringify(p).ok())
                .and_then(|s| s.as_string()),
            has_version: parameters
                .as_ref()
                .is_some_and(|p| !prop(p, "version").is_undefined()),
            is_similarity_check: flag("isSimilarityCheck"),
            is_faceswap_check: flag("isFaceswapCheck"),
            byte_progress: self.byte_progress(&io),
        };
        Ok((jobs::plan(args)?, long_limits(self, &o)?, io))
    }

    /// `upload()`'s arguments, read and checked by the core.
    fn upload_plan(
        &self,
        blob: &JsValue,
        options: &JsValue,
        what: &str,
        with_status: bool,
    ) -> Result<(Plan, Limits, Io), Error> {
        let o = Opts::method(options, what)?;
        let blob = blob_arg(blob, "the file")?;
        let metadata = match o.get("metadata") {
            None => None,
            Some(m) if m.is_object() => Some(m),
            Some(_) => return Err(Error::argument("metadata must be an object")),
        };
        let reference = o
            .get("reference")
            .map(|r| blob_arg(&r, "reference"))
            .transpose()?;
        let mut blobs = vec![blob.clone()];
        blobs.extend(reference.clone());
        let mut io = self.io(&o, blobs)?;
        if !with_status {
            io.on_status = None;
        }
        let args = UploadArgs {
            model_type: o.string("modelType")?,
            name: o.string("name")?,
            file_name: prop(&blob, "name").as_string(),
            content_type: o.string("contentType")?,
            blob_type: blob.type_(),
            size: blob.size(),
            metadata_json: metadata
                .as_ref()
                .and_then(|m| JSON::stringify(m).ok())
                .and_then(|s| s.as_string()),
            similarity: metadata
                .as_ref()
                .is_some_and(|m| prop(m, "faceSimilarityCheck").as_bool() == Some(true)),
            reference: reference.map(|r| (r.type_(), r.size())),
            byte_progress: self.byte_progress(&io),
        };
        Ok((media::plan(args)?, long_limits(self, &o)?, io))
    }
}
