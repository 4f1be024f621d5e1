//! The JavaScript face of the SDK: the only code that knows JS exists. It moves values between
//! the runtime and `crate::core`, which decides everything.

mod client;
mod driver;
mod iter;

pub use client::AuthentaClient;

use crate::core::error::{Cause, Error};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = createError)]
    #[allow(clippy::too_many_arguments)]
    fn create_error(
        kind: u32,
        message: &str,
        code: &str,
        status: Option<u16>,
        mid: Option<&str>,
        job_id: Option<&str>,
        retryable: bool,
        s3_code: Option<&str>,
        cause: &JsValue,
    ) -> JsValue;

    #[wasm_bindgen(js_name = inBrowser)]
    fn in_browser() -> bool;
    #[wasm_bindgen(js_name = hasXhr)]
    fn has_xhr() -> bool;
    #[wasm_bindgen(js_name = asyncIterable)]
    fn async_iterable(pages: iter::Pages) -> JsValue;
}

/// A core error as the JS error class the caller catches. `runtime` is the runtime's value
/// behind it (network error, abort reason), redacted of `secrets` like the message.
pub(crate) fn to_js_error(e: &Error, runtime: &JsValue, secrets: &[&str]) -> JsValue {
    let cause = match &e.cause {
        Cause::None => JsValue::UNDEFINED,
        Cause::Error(inner) => to_js_error(inner, runtime, secrets),
        Cause::Runtime => {
            let message = message_of(runtime);
            let clean = crate::core::redact::redact(&message, secrets);
            if clean == message {
                runtime.clone()
            } else {
                js_sys::Error::new(&clean).into()
            }
        }
    };
    create_error(
        // The JS class by its place in runtime.js's list, which follows `ErrorKind`'s order.
        e.kind as u32,
        &e.message,
        &e.code,
        e.status,
        e.mid.as_deref(),
        e.job_id.as_deref(),
        e.retryable,
        e.s3_code.as_deref(),
        &cause,
    )
}

/// A property of a JS value, `undefined` when absent or when `v` is not an object.
#[inline(never)]
pub(crate) fn prop(v: &JsValue, name: &str) -> JsValue {
    if v.is_object() || v.is_function() {
        Reflect::get(v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub(crate) fn set(obj: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(name), value);
}

/// The `message` of a thrown value, whatever was thrown.
pub(crate) fn message_of(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    let m = prop(v, "message");
    let mut out = m.as_string().unwrap_or_else(|| "unknown error".into());
    // Node's fetch hides the useful part ("connect ECONNREFUSED …") in `cause`.
    if let Some(c) = prop(&prop(v, "cause"), "message").as_string() {
        out.push_str(": ");
        out.push_str(&c);
    }
    out
}

/// Options objects: typed reads that turn a wrong JS type into `INVALID_ARGUMENT` (or
/// `CONFIGURATION` for the constructor).
pub(crate) struct Opts<'a> {
    pub obj: &'a JsValue,
    pub what: &'a str,
    pub ctor: bool,
}

impl<'a> Opts<'a> {
    /// A method's options object (`undefined` is fine), checked to be an object.
    #[inline(never)]
    pub fn method(obj: &'a JsValue, what: &'a str) -> Result<Opts<'a>, Error> {
        let o = Opts {
            obj,
            what,
            ctor: false,
        };
        o.check_object()?;
        Ok(o)
    }

    fn err(&self, msg: String) -> Error {
        if self.ctor {
            Error::config(msg)
        } else {
            Error::argument(msg)
        }
    }

    pub fn check_object(&self) -> Result<(), Error> {
        if self.obj.is_undefined()
            || self.obj.is_null()
            || (self.obj.is_object() && !js_sys::Array::is_array(self.obj))
        {
            Ok(())
        } else {
            Err(self.err(cat!(self.what, " must be an object")))
        }
    }

    #[inline(never)]
    pub fn get(&self, name: &str) -> Option<JsValue> {
        let v = prop(self.obj, name);
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    #[inline(never)]
    pub fn string(&self, name: &str) -> Result<Option<String>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_string()
                .map(Some)
                .ok_or_else(|| self.err(cat!(self.what, ".", name, " must be a string"))),
        }
    }

    #[inline(never)]
    pub fn number(&self, name: &str) -> Result<Option<f64>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(cat!(self.what, ".", name, " must be a number"))),
        }
    }

    #[inline(never)]
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.err(cat!(self.what, ".", name, " must be true or false"))),
        }
    }

    #[inline(never)]
    pub fn function(&self, name: &str) -> Result<Option<js_sys::Function>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .dyn_into::<js_sys::Function>()
                .map(Some)
                .map_err(|_| self.err(cat!(self.what, ".", name, " must be a function"))),
        }
    }

    /// An `AbortSignal`, checked by shape so that polyfills and other realms work.
    #[inline(never)]
    pub fn signal(&self) -> Result<Option<AbortSignal>, Error> {
        match self.get("signal") {
            None => Ok(None),
            Some(v)
                if prop(&v, "aborted").as_bool().is_some()
                    && prop(&v, "addEventListener").is_function() =>
            {
                Ok(Some(v.unchecked_into()))
            }
            Some(_) => Err(self.err(cat!(self.what, ".signal must be an AbortSignal"))),
        }
    }

    /// `timeoutMs`, validated.
    #[inline(never)]
    pub fn timeout(&self) -> Result<Option<u64>, Error> {
        self.number("timeoutMs")?
            .map(|v| crate::core::config::check_timeout("timeoutMs", v).map_err(|m| self.err(m)))
            .transpose()
    }

    /// `maxRetries`, validated.
    #[inline(never)]
    pub fn retries(&self) -> Result<Option<u32>, Error> {
        self.number("maxRetries")?
            .map(|v| crate::core::config::check_retries(v).map_err(|m| self.err(m)))
            .transpose()
    }
}

// Types the generated `.d.ts` refers to (`unchecked_param_type` / `unchecked_return_type`).
#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTS: &str = r#"
import type {
  CancelledJob, CreateJobRequest, CreateMediaRequest, CreatedJob, CreatedMedia, DetectionResult,
  FinalizedJob, Job, JobPage, JobResult, Media, MediaPage,
} from "./api-types.js";
import type {
  ClientOptions, IterateJobsOptions, IterateMediaOptions, JobInputs, ListJobsParams,
  ListMediaParams, RequestOptions, RunJobOptions, RunJobResult, SubmitJobOptions, SubmittedJob,
  UploadAndPollOptions, UploadAndPollResult, UploadFileOptions, UploadOptions, WaitForJobOptions,
  WaitForResultOptions,
} from "./options.js";
"#;
