//! Moving bytes: `fetch` for API calls, results and uploads where there is no
//! `XMLHttpRequest`; `XMLHttpRequest` for uploads with byte progress.

use super::{abort_error, global_fetch, link_signal, message_of, prop, set, sleep, Link};
use crate::core::error::Error;
use crate::core::retry::retry_delay;
use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, Response};

/// Bodies larger than this are refused unread: no Authenta answer comes close, and a hostile
/// server must not make the client buffer gigabytes.
pub const MAX_BODY_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// One operation's cancellation and deadline: the caller's signal, plus the operation's own
/// `timeoutMs` when it has one. Dropping it clears the timer.
pub struct Ctx {
    pub signal: Option<AbortSignal>,
    deadline: Option<f64>,
    pub max_retries: u32,
    link: Option<Link>,
}

impl Drop for Ctx {
    fn drop(&mut self) {
        if let Some(l) = &self.link {
            l.clear();
        }
    }
}

impl Ctx {
    pub fn new(user: Option<AbortSignal>, timeout_ms: Option<u64>, max_retries: u32) -> Ctx {
        match timeout_ms {
            None => Ctx {
                signal: user,
                deadline: None,
                max_retries,
                link: None,
            },
            Some(ms) => {
                let link = link_signal(user, Some(ms as f64));
                Ctx {
                    signal: Some(link.signal()),
                    deadline: Some(now_ms() + ms as f64),
                    max_retries,
                    link: Some(link),
                }
            }
        }
    }

    /// Milliseconds left before the deadline, if there is one.
    pub fn remaining(&self) -> Option<u64> {
        self.deadline.map(|d| (d - now_ms()).max(0.0) as u64)
    }

    /// `Err` as soon as the operation is aborted or past its deadline.
    pub fn check(&self) -> Result<(), Error> {
        match &self.signal {
            Some(s) if s.aborted() => Err(abort_error(s)),
            _ => Ok(()),
        }
    }

    /// Waits `ms`, unless the operation is aborted first.
    pub async fn sleep(&self, ms: u64) -> Result<(), Error> {
        let p = sleep(ms as f64, self.signal.clone());
        JsFuture::from(p)
            .await
            .map(|_| ())
            .map_err(|_| match &self.signal {
                Some(s) => abort_error(s),
                None => Error::aborted(),
            })
    }

    /// After a failed attempt: `Ok` once it is time to try again, or the error to give up
    /// with. Every retry loop calls this one non-generic function (a generic retry helper
    /// costs a copy of itself per call site in the wasm).
    pub async fn backoff(&self, err: Error, retries: &mut u32) -> Result<(), Error> {
        // An abort while the attempt ran wins over whatever the attempt saw.
        self.check()?;
        match retry_delay(
            &err,
            *retries,
            self.max_retries,
            self.remaining(),
            js_sys::Math::random(),
        ) {
            Some(ms) => {
                self.sleep(ms).await?;
                *retries += 1;
                Ok(())
            }
            None => Err(err),
        }
    }
}

/// A response, read whole.
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
}

/// What to send.
pub struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(String, String)],
    pub body: JsValue,
    /// API calls: do not follow redirects, so credentials stay with the API's origin.
    pub api: bool,
    /// Per-attempt time-out; `None` for uploads, which take as long as they take.
    pub timeout_ms: Option<u64>,
}

/// One request through `fetch` (the caller's, or the runtime's).
pub async fn fetch_once(
    fetch: Option<&Function>,
    ctx: &Ctx,
    out: &Outgoing<'_>,
) -> Result<RawResponse, Error> {
    let attempt = link_signal(ctx.signal.clone(), out.timeout_ms.map(|t| t as f64));
    let result = fetch_inner(fetch, &attempt, out).await;
    attempt.clear();
    // An abort of the operation wins; then our own per-attempt timer; else the network failed.
    // A body refused as too large is checked first: refusing it aborts the attempt on purpose.
    result.map_err(|thrown| match (thrown, ctx.check()) {
        (Thrown::BodyTooLarge(status), _) => Error::invalid_response(
            status,
            format!(
                "the response from {} is larger than 64 MB",
                crate::core::url::without_query(out.url)
            ),
        ),
        (Thrown::Network(_), Err(aborted)) => aborted,
        (Thrown::Network(_), Ok(())) if attempt.signal().aborted() => Error::timeout(format!(
            "{} {} got no answer within {} ms",
            out.method,
            crate::core::url::without_query(out.url),
            out.timeout_ms.unwrap_or(0)
        )),
        (Thrown::Network(v), Ok(())) => Error::connection(format!(
            "could not reach {} ({}); check the network, the URL, and that the server allows this origin (CORS)",
            crate::core::url::without_query(out.url),
            message_of(&v)
        )),
    })
}

enum Thrown {
    Network(JsValue),
    /// The status of a response whose body is over `MAX_BODY_BYTES`.
    BodyTooLarge(u16),
}

async fn fetch_inner(
    fetch: Option<&Function>,
    attempt: &Link,
    out: &Outgoing<'_>,
) -> Result<RawResponse, Thrown> {
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(out.method));
    let headers = Object::new();
    for (name, value) in out.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    set(&init, "headers", &headers);
    if !out.body.is_undefined() {
        set(&init, "body", &out.body);
    }
    set(&init, "signal", &attempt.signal());
    if out.api {
        set(&init, "redirect", &JsValue::from_str("manual"));
    } else {
        // Pre-signed URLs carry their own credentials: never send cookies along.
        set(&init, "credentials", &JsValue::from_str("omit"));
    }
    let promise = match fetch {
        Some(f) => f
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(out.url), &init)
            .map(|v| Promise::resolve(&v)),
        None => global_fetch(out.url, &init),
    }
    .map_err(Thrown::Network)?;
    let resp: Response = JsFuture::from(promise)
        .await
        .map_err(Thrown::Network)?
        .unchecked_into();
    if prop(&resp, "status").as_f64().is_none() {
        return Err(Thrown::Network(JsValue::from_str(
            "fetch resolved to something that is not a Response",
        )));
    }
    let headers = resp.headers();
    let header = |n: &str| headers.get(n).ok().flatten();
    if header("content-length")
        .and_then(|l| crate::core::json::parse_decimal(l.trim()))
        .is_some_and(|l| l > MAX_BODY_BYTES)
    {
        attempt.abort();
        return Err(Thrown::BodyTooLarge(resp.status()));
    }
    let text = resp.text().map_err(Thrown::Network)?;
    let body = JsFuture::from(text).await.map_err(Thrown::Network)?;
    let body = body.as_string().unwrap_or_default();
    if body.len() as f64 > MAX_BODY_BYTES {
        return Err(Thrown::BodyTooLarge(resp.status()));
    }
    Ok(RawResponse {
        status: resp.status(),
        body,
        retry_after: header("retry-after"),
        content_type: header("content-type"),
    })
}

/// Progress reports for an upload: `onProgress({ loaded, total, lengthComputable })`.
#[derive(Clone)]
pub struct Progress {
    pub callback: Option<Function>,
    pub total: f64,
}

impl Progress {
    pub fn report(&self, loaded: f64, computable: bool) {
        if let Some(cb) = &self.callback {
            let ev = Object::new();
            set(&ev, "loaded", &JsValue::from_f64(loaded));
            set(&ev, "total", &JsValue::from_f64(self.total));
            set(&ev, "lengthComputable", &JsValue::from_bool(computable));
            // A failing progress callback is the page's bug; the upload goes on.
            let _ = cb.call1(&JsValue::UNDEFINED, &ev);
        }
    }
}

/// One PUT of `blob` through `XMLHttpRequest` (see `xhrPut` in runtime.js), reporting byte
/// progress.
pub async fn xhr_put(
    ctx: &Ctx,
    url: &str,
    content_type: &str,
    blob: &Blob,
    progress: &Progress,
) -> Result<RawResponse, Error> {
    let report = {
        let progress = progress.clone();
        Closure::<dyn FnMut(f64, bool)>::new(move |loaded, computable| {
            progress.report(loaded, computable)
        })
    };
    let sent = super::xhr_put(url, content_type, blob, ctx.signal.clone(), &report);
    let answer = JsFuture::from(sent).await;
    ctx.check()?;
    let answer = answer.map_err(|v| {
        Error::connection(format!(
            "the upload to {} could not be sent ({}): network error, or the storage origin does not allow this page (CORS)",
            crate::core::url::without_query(url),
            message_of(&v)
        ))
    })?;
    Ok(RawResponse {
        status: prop(&answer, "status").as_f64().unwrap_or(0.0) as u16,
        body: prop(&answer, "body").as_string().unwrap_or_default(),
        retry_after: prop(&answer, "retryAfter").as_string(),
        content_type: None,
    })
}

/// `Promise.resolve(v)` awaited: plain values and thenables alike.
pub async fn resolve(v: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&v)).await
}
