//! `AuthentaClient`: every public method of `design/SDK.md`.

use super::http::{fetch_once, now_ms, resolve, xhr_put, Ctx, Outgoing, Progress};
use super::iter::media_iterator;
use super::{has_xhr, in_browser, message_of, prop, set, to_js_error, Opts};
use crate::core::config::{Auth, Config, RawKey, RawOptions};
use crate::core::error::{codes, Error, ErrorKind};
use crate::core::json::Json;
use crate::core::poll::{phase, status_changed, Phase, PollSchedule, DEFAULT_WAIT_TIMEOUT_MS};
use crate::core::request::{check_create_media, ApiRequest, CreateMediaBody, ListParams, Route};
use crate::core::response::{api_error, classify, Response};
use crate::core::retry::parse_retry_after;
use crate::core::upload::{check_signed_url, content_type_for, upload_error};
use crate::core::url::without_query;
use js_sys::{Function, Object, Promise, JSON};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::Blob;

/// The Authenta Media API client. See the package README for every option and method.
#[wasm_bindgen]
pub struct AuthentaClient {
    inner: Rc<Inner>,
}

pub(crate) struct Inner {
    config: Config,
    key_provider: Option<Function>,
    fetch: Option<Function>,
}

/// A successful API answer.
pub(crate) struct ApiOk {
    pub json: Option<Json>,
    pub body: String,
    pub retry_after_ms: Option<u64>,
}

/// Runs `fut` as a JS promise, rejecting with the JS error class of its error.
fn run<F>(fut: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    run_boxed(Box::pin(fut))
}

/// Boxed so that `future_to_promise` is instantiated once, not once per method.
fn run_boxed(fut: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { fut.await.map_err(|e| to_js_error(&e, &JsValue::UNDEFINED)) })
}

fn parse_js(body: &str, status: u16) -> Result<JsValue, Error> {
    JSON::parse(body)
        .map_err(|_| Error::invalid_response(status, "the response body is not valid JSON"))
}

/// A `mid` argument: a string, or a caller mistake.
fn mid_arg(v: &JsValue) -> Result<String, Error> {
    v.as_string()
        .ok_or_else(|| Error::argument("mid must be a string (the record's `mid`)"))
}

/// A `Blob`/`File` argument, by `instanceof` or, for other realms and polyfills, by shape.
fn blob_arg(v: &JsValue, what: &str) -> Result<Blob, Error> {
    if v.is_instance_of::<Blob>()
        || (prop(v, "size").as_f64().is_some()
            && prop(v, "type").as_string().is_some()
            && prop(v, "slice").is_function())
    {
        Ok(v.clone().unchecked_into())
    } else {
        Err(Error::argument(format!("{what} must be a Blob or File")))
    }
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
            .map_err(|e| to_js_error(&e, &JsValue::UNDEFINED))
    }

    /// `POST /media`: creates a record and returns it with its pre-signed `uploadUrl`.
    #[wasm_bindgen(js_name = createMedia, unchecked_return_type = "Promise<CreatedMedia>")]
    pub fn create_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateMediaRequest")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.single(create_body(&body).map(Call::Create), options)
    }

    /// `GET /media/{mid}`.
    #[wasm_bindgen(js_name = getMedia, unchecked_return_type = "Promise<Media>")]
    pub fn get_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] mid: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.single(mid_arg(mid).map(Call::Get), options)
    }

    /// `GET /media`: one page of records.
    #[wasm_bindgen(js_name = listMedia, unchecked_return_type = "Promise<MediaPage>")]
    pub fn list_media(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListMediaParams")] params: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let params = params.unwrap_or_default();
        let page = Opts::method(&params, "listMedia params")
            .and_then(|p| ListParams::new(p.number("limit")?, p.number("offset")?));
        self.single(page.map(Call::List), options)
    }

    /// Every record, page by page: `for await (const media of client.iterateMedia())`.
    #[wasm_bindgen(js_name = iterateMedia, unchecked_return_type = "AsyncIterableIterator<Media>")]
    pub fn iterate_media(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "IterateMediaOptions")] options: Option<
            JsValue,
        >,
    ) -> JsValue {
        super::async_iterable(media_iterator(
            self.inner.clone(),
            options.unwrap_or_default(),
        ))
    }

    /// `DELETE /media/{mid}`.
    #[wasm_bindgen(js_name = deleteMedia, unchecked_return_type = "Promise<void>")]
    pub fn delete_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] mid: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.single(mid_arg(mid).map(Call::Delete), options)
    }

    /// `PUT uploadUrl`: step 2 alone, for a record made with `createMedia`.
    #[wasm_bindgen(js_name = uploadFile, unchecked_return_type = "Promise<void>")]
    pub fn upload_file(
        &self,
        #[wasm_bindgen(js_name = uploadUrl, unchecked_param_type = "string")] upload_url: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Blob")] blob: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "UploadFileOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let inner = self.inner.clone();
        let (url, blob) = (upload_url.clone(), blob.clone());
        run(async move {
            let options = options.unwrap_or_default();
            let o = Opts::method(&options, "uploadFile options")?;
            let url = url
                .as_string()
                .ok_or_else(|| Error::argument("uploadUrl must be a string"))?;
            let blob = blob_arg(&blob, "the file")?;
            let given = o.string("contentType")?;
            let content_type = match given.filter(|g| !g.trim().is_empty()) {
                Some(g) => content_type_for(Some(&g), "", blob.size())?,
                None => content_type_for(None, &blob.type_(), blob.size())?,
            };
            let ctx = inner.long_ctx(&o, None)?;
            let progress = Progress {
                callback: o.function("onProgress")?,
                total: blob.size(),
            };
            inner
                .put(&ctx, &url, &blob, &content_type, &progress)
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Creates the record and uploads the file (and the FI-1 reference image); resolves with the
    /// created record once the bytes have landed.
    #[wasm_bindgen(unchecked_return_type = "Promise<CreatedMedia>")]
    pub fn upload(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Blob")] blob: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "UploadOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let blob = blob.clone();
        run(async move {
            let o = Opts::method(&options, "upload options")?;
            let ctx = inner.long_ctx(&o, None)?;
            let (created, _) = inner.upload(&ctx, &blob, &o, None).await?;
            Ok(created)
        })
    }

    /// Polls `GET /media/{mid}` until the record is `PROCESSED`; needs nothing but the `mid`,
    /// so it resumes after a reload.
    #[wasm_bindgen(js_name = waitForResult, unchecked_return_type = "Promise<Media>")]
    pub fn wait_for_result(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] mid: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitForResultOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let inner = self.inner.clone();
        let mid = mid.clone();
        run(async move {
            let options = options.unwrap_or_default();
            let o = Opts::method(&options, "waitForResult options")?;
            let mid = mid_arg(&mid)?;
            crate::core::url::mid_segment(&mid)?;
            let schedule = inner.schedule(&o)?;
            let on_status = o.function("onStatus")?;
            let ctx = inner.long_ctx(&o, Some(DEFAULT_WAIT_TIMEOUT_MS))?;
            inner
                .wait(&ctx, &mid, schedule, on_status.as_ref(), None)
                .await
        })
    }

    /// Fetches the verdict behind the record's `resultURL` (fetching the record first when given a `mid`).
    #[wasm_bindgen(js_name = getResult, unchecked_return_type = "Promise<DetectionResult>")]
    pub fn get_result(
        &self,
        #[wasm_bindgen(js_name = mediaOrMid, unchecked_param_type = "Media | string")] media_or_mid: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let media = media_or_mid.clone();
        run(async move {
            let ctx = inner.request_ctx(&options.unwrap_or_default())?;
            inner.result(&ctx, &media).await
        })
    }

    /// Upload, wait, and fetch the verdict: `{ media, result }`.
    #[wasm_bindgen(js_name = uploadAndPoll, unchecked_return_type = "Promise<UploadAndPollResult>")]
    pub fn upload_and_poll(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Blob")] blob: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "UploadAndPollOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let blob = blob.clone();
        run(async move {
            let o = Opts::method(&options, "uploadAndPoll options")?;
            let schedule = inner.schedule(&o)?;
            let on_status = o.function("onStatus")?;
            let whole = o.timeout()?;
            // Without a deadline of its own the upload takes as long as it takes, and the wait
            // has waitForResult's default.
            let upload_ctx = inner.long_ctx(&o, None)?;
            let (_, created_json) = inner
                .upload(&upload_ctx, &blob, &o, on_status.as_ref())
                .await?;
            let mid = created_json
                .str_field("mid")
                .unwrap_or_default()
                .to_string();
            let first = created_json.str_field("status").map(str::to_string);
            let wait_ctx = match whole {
                Some(_) => upload_ctx,
                None => {
                    drop(upload_ctx);
                    inner.long_ctx(&o, Some(DEFAULT_WAIT_TIMEOUT_MS))?
                }
            };
            let media = inner
                .wait(&wait_ctx, &mid, schedule, on_status.as_ref(), first)
                .await?;
            let result = inner.result(&wait_ctx, &media).await?;
            let out = Object::new();
            set(&out, "media", &media);
            set(&out, "result", &result);
            Ok(out.into())
        })
    }

    /// What `JSON.stringify(client)` shows: settings, never credentials.
    #[wasm_bindgen(
        js_name = toJSON,
        unchecked_return_type = "{ baseUrl: string; auth: \"bearer\" | \"client-id\" | \"none\"; timeoutMs: number; maxRetries: number }"
    )]
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

    /// `AuthentaClient(<baseUrl>)`: never credentials.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("AuthentaClient({})", self.inner.config.base_url)
    }
}

/// A single API request, its arguments already checked.
pub(crate) enum Call {
    Create(String),
    Get(String),
    List(ListParams),
    Delete(String),
}

impl AuthentaClient {
    /// The four single-request methods share one future (one state machine in the wasm).
    fn single(&self, call: Result<Call, Error>, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        run(async move {
            let ctx = inner.request_ctx(&options.unwrap_or_default())?;
            let call = call?;
            let ok = inner.call(&ctx, &call).await?;
            match call {
                Call::Delete(_) => Ok(JsValue::UNDEFINED),
                _ => parse_js(&ok.body, 200),
            }
        })
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
                    Error::config(format!("headers: the value of {name} must be a string"))
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

    /// The context of a single-request method: `timeoutMs` bounds each attempt.
    fn request_ctx(&self, options: &JsValue) -> Result<(Ctx, u64), Error> {
        let o = Opts::method(options, "request options")?;
        let signal = o.signal()?;
        let attempt = o.timeout()?.unwrap_or(self.config.timeout_ms);
        let retries = o.retries()?.unwrap_or(self.config.max_retries);
        let ctx = Ctx::new(signal, None, retries);
        ctx.check()?;
        Ok((ctx, attempt))
    }

    /// The context of a long operation: `timeoutMs` is its whole deadline.
    pub(crate) fn long_ctx(
        &self,
        o: &Opts,
        default_timeout: Option<u64>,
    ) -> Result<(Ctx, u64), Error> {
        let signal = o.signal()?;
        let deadline = o.timeout()?.or(default_timeout);
        let retries = o.retries()?.unwrap_or(self.config.max_retries);
        let ctx = Ctx::new(signal, deadline, retries);
        ctx.check()?;
        Ok((ctx, self.config.timeout_ms))
    }

    fn schedule(&self, o: &Opts) -> Result<PollSchedule, Error> {
        let mut s = PollSchedule::default();
        if let Some(v) = o.number("pollIntervalMs")? {
            s.interval_ms =
                crate::core::config::check_timeout("pollIntervalMs", v).map_err(Error::argument)?;
        }
        if let Some(v) = o.number("maxPollIntervalMs")? {
            s.max_interval_ms = crate::core::config::check_timeout("maxPollIntervalMs", v)
                .map_err(Error::argument)?;
        }
        s.max_interval_ms = s.max_interval_ms.max(s.interval_ms);
        Ok(s)
    }

    /// The key for one attempt: the static one, or a fresh one from the provider function.
    async fn token(&self) -> Result<Option<String>, Error> {
        let Some(f) = &self.key_provider else {
            return Ok(None);
        };
        let fail = |why: String| {
            Error::new(
                ErrorKind::Authentication,
                "API_KEY_PROVIDER",
                format!("the apiKey function {why}"),
            )
        };
        let v = f
            .call0(&JsValue::UNDEFINED)
            .map_err(|e| fail(format!("threw: {}", message_of(&e))))?;
        let v = resolve(v)
            .await
            .map_err(|e| fail(format!("rejected: {}", message_of(&e))))?;
        match v.as_string() {
            Some(k) if !k.trim().is_empty() && !k.chars().any(char::is_control) => Ok(Some(k)),
            _ => Err(fail("did not return a non-empty string".into())),
        }
    }

    /// One API call with retries; `build` makes the request for a given key.
    pub(crate) async fn api(
        &self,
        (ctx, attempt_ms): &(Ctx, u64),
        route: Route,
        build: &dyn Fn(Option<&str>) -> Result<ApiRequest, Error>,
    ) -> Result<ApiOk, Error> {
        let mut retries = 0;
        loop {
            ctx.check()?;
            match self.api_once(ctx, *attempt_ms, route, build).await {
                Ok(ok) => return Ok(ok),
                Err(e) => ctx.backoff(e, &mut retries).await?,
            }
        }
    }

    async fn api_once(
        &self,
        ctx: &Ctx,
        attempt_ms: u64,
        route: Route,
        build: &dyn Fn(Option<&str>) -> Result<ApiRequest, Error>,
    ) -> Result<ApiOk, Error> {
        let token = self.token().await?;
        let mut secrets = self.config.secrets();
        if let Some(t) = &token {
            secrets.push(t);
        }
        let req = build(token.as_deref())?;
        let out = Outgoing {
            method: req.method,
            url: &req.url,
            headers: &req.headers,
            body: req
                .body
                .as_deref()
                .map(JsValue::from_str)
                .unwrap_or(JsValue::UNDEFINED),
            api: true,
            timeout_ms: Some(attempt_ms),
        };
        let raw = fetch_once(self.fetch.as_ref(), ctx, &out)
            .await
            .map_err(|e| e.redacted(&secrets))?;
        let r = Response {
            status: raw.status,
            body: &raw.body,
            retry_after: raw.retry_after.as_deref(),
            content_type: raw.content_type.as_deref(),
        };
        let json = classify(route, &r, now_ms()).map_err(|e| e.redacted(&secrets))?;
        let retry_after_ms = retry_after(&raw);
        Ok(ApiOk {
            json,
            body: raw.body,
            retry_after_ms,
        })
    }

    /// One API request with retries; errors about a record carry its `mid`.
    pub(crate) async fn call(&self, ctx: &(Ctx, u64), call: &Call) -> Result<ApiOk, Error> {
        let c = &self.config;
        let (route, mid) = match call {
            Call::Create(_) => (Route::CreateMedia, None),
            Call::Get(m) => (Route::GetMedia, Some(m)),
            Call::List(_) => (Route::ListMedia, None),
            Call::Delete(m) => (Route::DeleteMedia, Some(m)),
        };
        let build = |t: Option<&str>| match call {
            Call::Create(body) => Ok(c.create_media(body.clone(), t)),
            Call::Get(m) => c.get_media(m, t),
            Call::List(page) => Ok(c.list_media(*page, t)),
            Call::Delete(m) => c.delete_media(m, t),
        };
        self.api(ctx, route, &build).await.map_err(|e| match mid {
            Some(m) => e.with_mid(m),
            None => e,
        })
    }

    /// PUTs `blob` to a pre-signed URL, with retries on network failures and 5xx.
    async fn put(
        &self,
        (ctx, _): &(Ctx, u64),
        url: &str,
        blob: &Blob,
        content_type: &str,
        progress: &Progress,
    ) -> Result<(), Error> {
        check_signed_url("uploadUrl", url)?;
        // Byte progress needs XMLHttpRequest; a caller's own fetch wins over it.
        let use_xhr = self.fetch.is_none() && has_xhr();
        let headers = [("content-type".to_string(), content_type.to_string())];
        progress.report(0.0, use_xhr);
        let mut retries = 0;
        loop {
            ctx.check()?;
            let sent = if use_xhr {
                xhr_put(ctx, url, content_type, blob, progress).await
            } else {
                let out = Outgoing {
                    method: "PUT",
                    url,
                    headers: &headers,
                    body: blob.into(),
                    api: false,
                    timeout_ms: None,
                };
                fetch_once(self.fetch.as_ref(), ctx, &out).await
            };
            let failure = match sent {
                Ok(raw) if (200..300).contains(&raw.status) => break,
                Ok(raw) => {
                    let mut e = upload_error(raw.status, &raw.body, url);
                    e.retry_after_ms = retry_after(&raw);
                    e
                }
                Err(e) => e,
            };
            ctx.backoff(failure.redacted(&self.config.secrets()), &mut retries)
                .await?;
        }
        progress.report(progress.total, true);
        Ok(())
    }

    /// `upload()`: checks, create, PUT (and the FI-1 reference). Returns the created record as
    /// the caller sees it and as the core reads it.
    async fn upload(
        &self,
        ctx: &(Ctx, u64),
        blob: &JsValue,
        o: &Opts<'_>,
        on_status: Option<&Function>,
    ) -> Result<(JsValue, Json), Error> {
        let blob = blob_arg(blob, "the file")?;
        let model_type = o
            .string("modelType")?
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| {
                Error::argument("modelType is required (\"DF-1\", \"AC-1\", \"FI-1\", \"FE-1\", …)")
            })?;
        let name = match o.string("name")? {
            Some(n) if !n.is_empty() => n,
            _ => prop(&blob, "name")
                .as_string()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "upload".into()),
        };
        let content_type = content_type_for(
            o.string("contentType")?.as_deref(),
            &blob.type_(),
            blob.size(),
        )?;
        let metadata = match o.get("metadata") {
            None => None,
            Some(m) if m.is_object() => JSON::stringify(&m).ok().and_then(|s| s.as_string()),
            Some(_) => return Err(Error::argument("metadata must be an object")),
        };
        let reference = match o.get("reference") {
            None => None,
            Some(r) => Some(blob_arg(&r, "reference")?),
        };
        let similarity = o
            .get("metadata")
            .map(|m| prop(&m, "faceSimilarityCheck").as_bool() == Some(true))
            .unwrap_or(false);
        match (&reference, similarity) {
            (Some(_), false) => {
                return Err(Error::argument(
                    "reference is for the FI-1 similarity check: set metadata.faceSimilarityCheck: true",
                ))
            }
            (None, true) => {
                return Err(Error::argument(
                    "metadata.faceSimilarityCheck needs a reference image: pass options.reference",
                ))
            }
            (Some(r), true) if r.size().is_nan() || r.size() <= 0.0 => return Err(Error::argument("the reference image is empty")),
            _ => {}
        }
        let progress = Progress {
            callback: o.function("onProgress")?,
            total: blob.size(),
        };

        let body = CreateMediaBody {
            name: &name,
            content_type: &content_type,
            size: blob.size(),
            model_type: &model_type,
            metadata_json: metadata.as_deref(),
        };
        let ok = self.call(ctx, &Call::Create(body.to_json())).await?;
        let json = ok.json.unwrap_or(Json::Null);
        let created = parse_js(&ok.body, 200)?;
        let mid = json.str_field("mid").unwrap_or_default().to_string();
        if let Some(cb) = on_status {
            let _ = cb.call1(&JsValue::UNDEFINED, &created);
        }
        let upload_url = json.str_field("uploadUrl").unwrap_or_default();
        // Boxed: two call sites would otherwise inline two copies of the upload state machine.
        Box::pin(self.put(ctx, upload_url, &blob, &content_type, &progress))
            .await
            .map_err(|e| e.with_mid(&mid))?;
        if let Some(reference) = reference {
            let url = json.str_field("referenceUploadUrl").ok_or_else(|| {
                Error::invalid_response(
                    200,
                    "the server returned no referenceUploadUrl for the similarity check",
                )
                .with_mid(&mid)
            })?;
            let ty = reference.type_();
            let ty = if ty.trim().is_empty() {
                "image/jpeg".to_string()
            } else {
                ty
            };
            let silent = Progress {
                callback: None,
                total: reference.size(),
            };
            Box::pin(self.put(ctx, url, &reference, &ty, &silent))
                .await
                .map_err(|e| e.with_mid(&mid))?;
        }
        Ok((created, json))
    }

    /// Polls until the record is processed. `first` is a status already reported to `onStatus`.
    async fn wait(
        &self,
        ctx: &(Ctx, u64),
        mid: &str,
        schedule: PollSchedule,
        on_status: Option<&Function>,
        first: Option<String>,
    ) -> Result<JsValue, Error> {
        let mut last = first;
        let mut polls = 0u32;
        let outcome = async {
            loop {
                let ok = self.call(ctx, &Call::Get(mid.to_string())).await?;
                let json = ok.json.unwrap_or(Json::Null);
                let status = json.str_field("status").unwrap_or_default().to_string();
                let media = parse_js(&ok.body, 200)?;
                if status_changed(last.as_deref(), &status) {
                    if let Some(cb) = on_status {
                        // A throwing callback is the page's bug; polling goes on.
                        let _ = cb.call1(&JsValue::UNDEFINED, &media);
                    }
                    last = Some(status.clone());
                }
                match phase(&status) {
                    Phase::Processed => return Ok(media),
                    Phase::Failed => return Err(processing_failed(mid, &status, &json)),
                    Phase::Pending => {
                        let remaining = ctx.0.remaining().unwrap_or(u64::MAX);
                        let delay = schedule.delay_ms(
                            polls,
                            ok.retry_after_ms,
                            remaining,
                            js_sys::Math::random(),
                        );
                        ctx.0.sleep(delay).await?;
                        polls += 1;
                    }
                }
            }
        }
        .await;
        outcome.map_err(|e: Error| {
            if e.kind == ErrorKind::Timeout && ctx.0.remaining() == Some(0) {
                Error::timeout(format!(
                    "media {mid} was not processed before the deadline (last status: {}); call waitForResult(mid) again to keep waiting",
                    last.as_deref().unwrap_or("unknown")
                ))
                .with_mid(mid)
            } else {
                e.with_mid(mid)
            }
        })
    }

    /// `getResult`: the JSON behind `resultURL`, refreshing an expired URL once.
    async fn result(&self, ctx: &(Ctx, u64), media_or_mid: &JsValue) -> Result<JsValue, Error> {
        let mut media = media_or_mid.clone();
        // `fetched`: the record in hand is fresh from the API. A record passed in (from
        // listMedia, or stored before a reload) may lack a resultURL that the API now has.
        let mut fetched = false;
        let mid = match media.as_string() {
            Some(mid) => mid,
            None if media.is_object() => prop(&media, "mid").as_string().unwrap_or_default(),
            None => return Err(Error::argument("getResult takes a media record or its mid")),
        };
        if media.is_string() {
            media = JsValue::UNDEFINED;
        }
        let mut refreshed = false;
        loop {
            let missing = prop(&media, "resultURL").is_undefined();
            if media.is_undefined() || (!fetched && missing && !mid.is_empty()) {
                media = parse_js(&self.call(ctx, &Call::Get(mid.clone())).await?.body, 200)?;
                fetched = true;
            }
            let url = prop(&media, "resultURL")
                .as_string()
                .filter(|u| !u.is_empty());
            let status = prop(&media, "status").as_string().unwrap_or_default();
            let Some(url) = url else {
                let terminal = phase(&status) != Phase::Pending;
                return Err(Error::new(
                    ErrorKind::Processing,
                    codes::RESULT_NOT_READY,
                    format!("media {mid} has no result yet (status {status}); wait with waitForResult(mid) first"),
                )
                .retryable(!terminal)
                .with_mid(&mid));
            };
            check_signed_url("resultURL", &url).map_err(|e| e.with_mid(&mid))?;
            let out = Outgoing {
                method: "GET",
                url: &url,
                headers: &[],
                body: JsValue::UNDEFINED,
                api: false,
                timeout_ms: Some(ctx.1),
            };
            let mut retries = 0;
            let attempt = loop {
                ctx.0.check()?;
                let failure = match fetch_once(self.fetch.as_ref(), &ctx.0, &out).await {
                    Ok(raw) if (200..300).contains(&raw.status) || raw.status == 403 => break raw,
                    Ok(raw) => {
                        let r = Response {
                            status: raw.status,
                            body: &raw.body,
                            retry_after: raw.retry_after.as_deref(),
                            content_type: None,
                        };
                        let mut e = api_error(&r);
                        e.retry_after_ms = retry_after(&raw);
                        e.message = format!(
                            "fetching the result from {} failed: {}",
                            without_query(&url),
                            e.message
                        );
                        e
                    }
                    Err(e) => e,
                };
                ctx.0
                    .backoff(
                        failure.redacted(&self.config.secrets()).with_mid(&mid),
                        &mut retries,
                    )
                    .await?;
            };
            if attempt.status == 403 {
                if refreshed || mid.is_empty() {
                    return Err(Error::new(
                        ErrorKind::PermissionDenied,
                        "RESULT_URL_EXPIRED",
                        "the result URL was refused (expired) even after fetching the record again",
                    )
                    .status(403)
                    .with_mid(&mid));
                }
                // Pre-signed result URLs expire: fetch the record again for a fresh one.
                refreshed = true;
                media = parse_js(&self.call(ctx, &Call::Get(mid.clone())).await?.body, 200)?;
                continue;
            }
            if Json::parse(&attempt.body).is_err() {
                return Err(Error::invalid_response(
                    attempt.status,
                    "the result file is not valid JSON (truncated or corrupted)",
                )
                .with_mid(&mid));
            }
            return parse_js(&attempt.body, attempt.status);
        }
    }
}

/// A response's `Retry-After`, in milliseconds from now (SDK.md: honoured on any response).
fn retry_after(raw: &super::http::RawResponse) -> Option<u64> {
    raw.retry_after
        .as_deref()
        .and_then(|v| parse_retry_after(v, now_ms()))
}

fn processing_failed(mid: &str, status: &str, record: &Json) -> Error {
    let why = ["message", "error", "reason"]
        .iter()
        .find_map(|k| record.str_field(k))
        .map(|m| format!(": {}", m.chars().take(300).collect::<String>()))
        .unwrap_or_default();
    Error::new(
        ErrorKind::Processing,
        codes::PROCESSING_FAILED,
        format!("Authenta could not process media {mid} (status {status}){why}; upload the file again or contact support with the mid"),
    )
    .with_mid(mid)
}
