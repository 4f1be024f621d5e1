//! The one driver: runs any core operation, performing its steps (send, sleep, report, finish).
//! It decides nothing; the operation does.

use super::client::Inner;
use super::{message_of, prop, to_js_error};
use crate::core::ops::{Done, Env, Event, Failure, Op, Outgoing, Payload, Step};
use crate::core::response::{Answer, MAX_TEXT};
use crate::core::value::Value;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob};

/// Bodies larger than this are refused while being read: no Authenta answer comes close, and a
/// hostile server must not make the client buffer gigabytes.
const MAX_BODY_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

#[wasm_bindgen(module = "/src/wasm/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = send)]
    #[allow(clippy::too_many_arguments)]
    fn send_js(
        fetch: Option<Function>,
        method: &str,
        url: &str,
        headers: &Object,
        body: &JsValue,
        api: bool,
        timeout_ms: Option<f64>,
        signal: Option<AbortSignal>,
        cap: f64,
        text_cap: f64,
        on_progress: &JsValue,
    ) -> Promise;
    fn sleep(ms: f64, signal: Option<AbortSignal>) -> Promise;
    fn progress(
        callback: &Function,
        loaded: f64,
        total: f64,
        computable: bool,
        slot: Option<String>,
    );
    #[wasm_bindgen(js_name = progressReporter)]
    fn progress_reporter(
        callback: &Function,
        offset: f64,
        total: f64,
        slot: Option<String>,
    ) -> JsValue;
}

/// What an operation works with: the caller's signal, its blobs and its callbacks.
#[derive(Default)]
pub(crate) struct Io {
    pub signal: Option<AbortSignal>,
    pub blobs: Vec<Blob>,
    pub on_status: Option<Function>,
    pub on_progress: Option<Function>,
}

/// Runs `op` to its end. One non-generic function for every operation.
pub(crate) async fn drive(
    inner: &Inner,
    op: &mut dyn Op<JsValue>,
    io: &Io,
) -> Result<Done<JsValue>, JsValue> {
    let mut event = Event::Go;
    // The runtime's value behind the last failure (network error, abort reason).
    let mut cause = JsValue::UNDEFINED;
    let mut token: Option<String> = None;
    loop {
        let env = Env {
            config: &inner.config,
            now_ms: js_sys::Date::now(),
            rand: js_sys::Math::random(),
            token: token.as_deref(),
        };
        event = match op.step(event, &env) {
            Step::Token => {
                let t = inner.token().await;
                if let Ok(Some(t)) = &t {
                    token = Some(t.clone());
                }
                Event::Token(t)
            }
            Step::Send(out) => match send(inner.fetch.clone(), &out, io).await {
                Ok(answer) => Event::Answer(answer),
                Err((failure, c)) => {
                    cause = c;
                    Event::Failed(failure)
                }
            },
            Step::Sleep(ms) => match JsFuture::from(sleep(ms as f64, io.signal.clone())).await {
                Ok(_) => Event::Go,
                Err(reason) => {
                    cause = reason.clone();
                    Event::Failed(aborted(&reason))
                }
            },
            Step::Status(v) => {
                if let Some(cb) = &io.on_status {
                    // A throwing callback is the page's bug; the operation goes on.
                    let _ = cb.call1(&JsValue::UNDEFINED, &v);
                }
                Event::Go
            }
            Step::Progress(p) => {
                if let Some(cb) = &io.on_progress {
                    progress(cb, p.loaded, p.total, p.computable, p.slot);
                }
                Event::Go
            }
            Step::Done(done) => return Ok(done),
            Step::Fail(e) => return Err(to_js_error(&e, &cause, &env.secrets())),
        };
    }
}

/// What an operation ended with, as the caller receives it.
pub(crate) fn output(done: Done<JsValue>) -> JsValue {
    match done {
        Done::Value(v) => v,
        Done::Nothing => JsValue::UNDEFINED,
        Done::MediaResult { media, result } => pair("media", &media, "result", &result),
        Done::JobResult { job, result } => pair("job", &job, "result", &result),
        Done::Submitted {
            job_id,
            created,
            finalized,
        } => {
            let out = pair("created", &created, "finalized", &finalized);
            super::set(out.unchecked_ref(), "jobId", &JsValue::from_str(&job_id));
            out
        }
    }
}

fn pair(a: &str, va: &JsValue, b: &str, vb: &JsValue) -> JsValue {
    let out = Object::new();
    super::set(&out, a, va);
    super::set(&out, b, vb);
    out.into()
}

fn aborted(reason: &JsValue) -> Failure {
    Failure::Aborted {
        timeout: prop(reason, "name").as_string().as_deref() == Some("TimeoutError"),
        message: prop(reason, "message").as_string().unwrap_or_default(),
    }
}

/// One request through the transport in runtime.js.
async fn send(
    fetch: Option<Function>,
    out: &Outgoing,
    io: &Io,
) -> Result<Answer<JsValue>, (Failure, JsValue)> {
    let headers = Object::new();
    for (name, value) in &out.headers {
        super::set(&headers, name, &JsValue::from_str(value));
    }
    let body = match &out.payload {
        Payload::Empty => JsValue::UNDEFINED,
        Payload::Json(s) => JsValue::from_str(s),
        Payload::Blob(n) => io.blobs.get(*n).map_or(JsValue::UNDEFINED, JsValue::from),
    };
    let reporter = match (&out.progress, &io.on_progress) {
        (Some(p), Some(cb)) => progress_reporter(cb, p.offset, p.total, p.slot.clone()),
        _ => JsValue::UNDEFINED,
    };
    let sent = send_js(
        fetch,
        out.method,
        &out.url,
        &headers,
        &body,
        out.api,
        out.timeout_ms.map(|t| t as f64),
        io.signal.clone(),
        MAX_BODY_BYTES,
        MAX_TEXT as f64,
        &reporter,
    );
    match JsFuture::from(sent).await {
        Ok(a) => Ok(Answer {
            status: prop(&a, "status").as_f64().unwrap_or(0.0) as u16,
            json: Some(prop(&a, "json")).filter(|j| !j.is_undefined()),
            text: prop(&a, "text").as_string().unwrap_or_default(),
            retry_after: prop(&a, "retryAfter").as_string(),
            content_type: prop(&a, "contentType").as_string(),
        }),
        Err(f) => {
            let cause = prop(&f, "cause");
            let failure = match prop(&f, "kind").as_string().as_deref() {
                Some("abort") => aborted(&cause),
                Some("timeout") => Failure::TimedOut,
                Some("tooLarge") => {
                    Failure::TooLarge(prop(&f, "status").as_f64().unwrap_or(0.0) as u16)
                }
                Some(_) => Failure::Network(message_of(&cause)),
                None => return Err((Failure::Network(message_of(&f)), f)),
            };
            Err((failure, cause))
        }
    }
}

/// Bodies as the runtime's `JSON.parse` made them, read field by field.
impl Value for JsValue {
    fn get(&self, key: &str) -> Option<JsValue> {
        if !JsValue::is_object(self) {
            return None;
        }
        Reflect::get(self, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined())
    }
    fn as_str(&self) -> Option<String> {
        self.as_string()
    }
    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }
    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }
    fn is_null(&self) -> bool {
        JsValue::is_null(self)
    }
    fn items(&self) -> Option<Vec<JsValue>> {
        Array::is_array(self).then(|| Array::from(self).to_vec())
    }
}
