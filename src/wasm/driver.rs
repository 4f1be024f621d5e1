//! The one driver: runs any core operation, performing its steps (send, sleep, report, finish).
//! It decides nothing; the operation does. The waiting is runtime.js's `drive` loop.

use super::client::Inner;
use super::{message_of, prop, to_js_error};
use crate::core::error::{codes, Cause, Error, ErrorKind};
use crate::core::ops::{failure_error, Done, Env, Event, Failure, Op, Outgoing, Payload, Step};
use crate::core::response::{Answer, MAX_TEXT};
use crate::core::value::Value;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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
        headers: &str,
        body: &JsValue,
        api: bool,
        timeout_ms: Option<f64>,
        signal: Option<AbortSignal>,
        cap: f64,
        text_cap: f64,
        on_progress: &JsValue,
    ) -> Promise;
    /// A sleep of `ms` (no `answer`), or the `apiKey` function's answer within `ms`; rejects
    /// with a transport-like failure array ("abort", "timeout", "key").
    fn within(ms: Option<f64>, signal: Option<AbortSignal>, answer: Option<Promise>) -> Promise;
    /// Steps an `Operation` to its end (its `step` until `undefined`, then `output()`).
    fn drive(op: Operation) -> Promise;
    /// Calls `onStatus`; a throw or a rejection there is the caller's bug and ignored.
    fn notify(callback: &Function, value: &JsValue);
    fn progress(callback: &Function, loaded: f64, total: f64, computable: bool, slot: Option<&str>);
    #[wasm_bindgen(js_name = progressReporter)]
    fn progress_reporter(
        callback: &Function,
        offset: f64,
        total: f64,
        slot: Option<&str>,
    ) -> JsValue;
}

/// What an operation works with: the caller's signal, its blobs and its callbacks.
#[derive(Default, Clone)]
pub(crate) struct Io {
    pub signal: Option<AbortSignal>,
    pub blobs: Vec<Blob>,
    pub on_status: Option<Function>,
    pub on_progress: Option<Function>,
}

/// What the promise handed to runtime.js's `drive` last was.
#[derive(Clone, Copy)]
enum Awaiting {
    Nothing,
    Token,
    Answer,
    Sleep,
}

/// One running operation, driven by runtime.js's `drive`: each `step` is told how the promise it
/// returned last settled and returns the next one to wait for (a request, a sleep, the `apiKey`
/// function's answer), or nothing once the operation is finished. The loop is JavaScript's own
/// `await`: no Rust futures, no closures crossing the boundary.
#[wasm_bindgen(skip_typescript)]
pub struct Operation {
    inner: Rc<Inner>,
    op: Box<dyn Op<JsValue>>,
    io: Io,
    awaiting: Awaiting,
    /// The runtime's value behind the last failure (network error, abort reason).
    cause: JsValue,
    /// The last token the `apiKey` function gave.
    token: Option<String>,
    output: JsValue,
}

/// Runs an operation to its end: a promise of what it ends with.
pub(crate) fn run(inner: &Rc<Inner>, op: Box<dyn Op<JsValue>>, io: Io) -> Promise {
    drive(Operation::new(inner, op, io))
}

impl Operation {
    pub(crate) fn new(inner: &Rc<Inner>, op: Box<dyn Op<JsValue>>, io: Io) -> Operation {
        Operation {
            inner: inner.clone(),
            op,
            io,
            awaiting: Awaiting::Nothing,
            cause: JsValue::UNDEFINED,
            token: None,
            output: JsValue::UNDEFINED,
        }
    }

    /// The event a settled promise is, given what it was.
    fn event(&mut self, ok: bool, value: JsValue) -> Event<JsValue> {
        match (self.awaiting, ok) {
            (Awaiting::Nothing, _) => Event::Go,
            (Awaiting::Token, true) => match value.as_string() {
                Some(k) if !k.trim().is_empty() && !k.chars().any(char::is_control) => {
                    self.token = Some(k.clone());
                    Event::Token(Ok(Some(k)))
                }
                _ => Event::Token(Err(key_error(
                    "did not return a key (a non-empty string, no line breaks)".into(),
                ))),
            },
            // `within`'s failures: the function's own rejection ("key"), "abort", "timeout".
            (Awaiting::Token, false) if nth(&value, 0).as_string().as_deref() == Some("key") => {
                self.cause = nth(&value, 1);
                let why = cat!("rejected: ", message_of(&self.cause));
                Event::Token(Err(key_error(why).caused_by(Cause::Runtime)))
            }
            (Awaiting::Answer, true) => {
                let at = |i| nth(&value, i);
                Event::Answer(Answer {
                    status: at(0).as_f64().unwrap_or(0.0) as u16,
                    json: Some(at(1)).filter(|j| !j.is_undefined()),
                    text: at(2).as_string().unwrap_or_default(),
                    retry_after: at(3).as_string(),
                    content_type: at(4).as_string(),
                })
            }
            // runtime.js's failure arrays: the transport's, and `within`'s for a token or a sleep.
            (Awaiting::Answer, false) if Array::is_array(&value) => {
                Event::Failed(self.failure(&value))
            }
            (Awaiting::Token | Awaiting::Sleep, false) => Event::Failed(self.failure(&value)),
            // Thrown by something else than the transport's own failures (a bug, a polyfill).
            (Awaiting::Answer, false) => {
                self.cause = value.clone();
                Event::Failed(Failure::Network(message_of(&value)))
            }
            (Awaiting::Sleep, true) => Event::Go,
        }
    }

    /// A failure array of runtime.js (`[kind, cause, status]`) as the core's `Failure`; its
    /// cause is kept for the error.
    fn failure(&mut self, value: &JsValue) -> Failure {
        let at = |i| nth(value, i);
        self.cause = at(1);
        match at(0).as_string().as_deref() {
            Some("abort") => aborted(&self.cause),
            Some("timeout") => Failure::TimedOut,
            Some("tooLarge") => Failure::TooLarge(at(2).as_f64().unwrap_or(0.0) as u16),
            Some("blob") => Failure::Blob,
            _ => Failure::Network(message_of(&self.cause)),
        }
    }

    /// The next promise to wait for, starting from `event`; `None` once finished.
    fn advance(&mut self, mut event: Event<JsValue>) -> Result<Option<Promise>, JsValue> {
        loop {
            let env = Env {
                config: &self.inner.config,
                now_ms: js_sys::Date::now(),
                rand: js_sys::Math::random(),
                token: self.token.as_deref(),
            };
            event = match self.op.step(event, &env) {
                Step::Token(limit) => match &self.inner.key_provider {
                    None => Event::Token(Ok(None)),
                    Some(f) => match f.call0(&JsValue::UNDEFINED) {
                        Ok(v) => {
                            self.awaiting = Awaiting::Token;
                            let ms = limit.map(|ms| ms as f64);
                            let answer = Promise::resolve(&v);
                            return Ok(Some(within(ms, self.io.signal.clone(), Some(answer))));
                        }
                        Err(e) => {
                            let why = cat!("threw: ", message_of(&e));
                            self.cause = e;
                            Event::Token(Err(key_error(why).caused_by(Cause::Runtime)))
                        }
                    },
                },
                Step::Send(out) => {
                    self.awaiting = Awaiting::Answer;
                    return Ok(Some(send(self.inner.fetch.clone(), &out, &self.io)));
                }
                Step::Sleep(ms) => {
                    self.awaiting = Awaiting::Sleep;
                    return Ok(Some(within(Some(ms as f64), self.io.signal.clone(), None)));
                }
                Step::Status(v) => {
                    if let Some(cb) = &self.io.on_status {
                        notify(cb, &v);
                    }
                    Event::Go
                }
                Step::Progress(p) => {
                    if let Some(cb) = &self.io.on_progress {
                        progress(cb, p.loaded, p.total, p.computable, p.slot.as_deref());
                    }
                    Event::Go
                }
                Step::Done(done) => {
                    self.output = output(done);
                    return Ok(None);
                }
                Step::Fail(e) => return Err(to_js_error(&e, &self.cause, &env.secrets())),
            };
        }
    }
}

#[wasm_bindgen]
impl Operation {
    /// Told how the last promise settled (`ok`, its value or reason); the next promise to wait
    /// for, or `undefined` once finished (then `output()`); throws the error it ends with.
    pub fn step(&mut self, ok: bool, value: JsValue) -> Result<Option<Promise>, JsValue> {
        if let (Awaiting::Nothing, Some(signal)) = (self.awaiting, &self.io.signal) {
            if signal.aborted() {
                // Aborted before it started: nothing is called or sent; the reason is the cause.
                let reason = signal.reason();
                let e = failure_error(aborted(&reason), "the operation");
                return Err(to_js_error(&e, &reason, &self.inner.config.secrets()));
            }
        }
        let event = self.event(ok, value);
        self.advance(event)
    }

    /// What the operation ended with.
    pub fn output(&mut self) -> JsValue {
        std::mem::take(&mut self.output)
    }
}

/// Item `i` of the transport's answer or failure array.
fn nth(array: &JsValue, i: u32) -> JsValue {
    Reflect::get_u32(array, i).unwrap_or(JsValue::UNDEFINED)
}

/// An error of the `apiKey` function.
fn key_error(why: String) -> Error {
    Error::new(
        ErrorKind::Authentication,
        codes::API_KEY_PROVIDER,
        cat!("the apiKey function ", why),
    )
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

/// One request through the transport in runtime.js: a promise of its answer.
fn send(fetch: Option<Function>, out: &Outgoing, io: &Io) -> Promise {
    let mut headers = String::new();
    for (name, value) in &out.headers {
        for part in [name, value] {
            headers.push_str(part);
            headers.push('\n');
        }
    }
    let body = match &out.payload {
        Payload::Empty => JsValue::UNDEFINED,
        Payload::Json(s) => JsValue::from_str(s),
        Payload::Blob(n) => io.blobs.get(*n).map_or(JsValue::UNDEFINED, JsValue::from),
    };
    let reporter = match (&out.progress, &io.on_progress) {
        (Some(p), Some(cb)) => progress_reporter(cb, p.offset, p.total, p.slot.as_deref()),
        _ => JsValue::UNDEFINED,
    };
    send_js(
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
    )
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
