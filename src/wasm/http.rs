//! Moving bytes: `fetch` for API calls, results and uploads where there is no
//! `XMLHttpRequest`; `XMLHttpRequest` for uploads with byte progress.

use super::{abort_error, global_fetch, link_signal, message_of, prop, set, sleep, Link};
use crate::core::error::Error;
use crate::core::retry::retry_delay;
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, ProgressEvent, Response, XmlHttpRequest};

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

    /// Runs `attempt` until it succeeds or the retry policy says stop.
    pub async fn with_retries<T, F, Fut>(&self, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let mut retries = 0;
        loop {
            self.check()?;
            let err = match attempt().await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            // An abort while the attempt ran wins over whatever the attempt saw.
            self.check()?;
            match retry_delay(
                &err,
                retries,
                self.max_retries,
                self.remaining(),
                js_sys::Math::random(),
            ) {
                Some(ms) => self.sleep(ms).await?,
                None => return Err(err),
            }
            retries += 1;
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
    result.map_err(|thrown| {
        if let Err(e) = ctx.check() {
            e
        } else if attempt.signal().aborted() {
            Error::timeout(format!(
                "{} {} got no answer within {} ms",
                out.method,
                crate::core::url::without_query(out.url),
                out.timeout_ms.unwrap_or(0)
            ))
        } else {
            match thrown {
                Thrown::Network(v) => Error::connection(format!(
                    "could not reach {} ({}); check the network, the URL, and that the server allows this origin (CORS)",
                    crate::core::url::without_query(out.url),
                    message_of(&v)
                )),
                Thrown::BodyTooLarge => Error::invalid_response(
                    200,
                    format!("the response from {} is larger than 64 MB", crate::core::url::without_query(out.url)),
                ),
            }
        }
    })
}

enum Thrown {
    Network(JsValue),
    BodyTooLarge,
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
        .and_then(|l| l.trim().parse::<f64>().ok())
        .is_some_and(|l| l > MAX_BODY_BYTES)
    {
        attempt.abort();
        return Err(Thrown::BodyTooLarge);
    }
    let text = resp.text().map_err(Thrown::Network)?;
    let body = JsFuture::from(text).await.map_err(Thrown::Network)?;
    let body = body.as_string().unwrap_or_default();
    if body.len() as f64 > MAX_BODY_BYTES {
        return Err(Thrown::BodyTooLarge);
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

/// One PUT of `blob` through `XMLHttpRequest`, reporting byte progress.
pub async fn xhr_put(
    ctx: &Ctx,
    url: &str,
    content_type: &str,
    blob: &Blob,
    progress: &Progress,
) -> Result<RawResponse, Error> {
    let network = |v: JsValue| {
        Error::connection(format!(
            "the upload to {} could not be sent ({})",
            crate::core::url::without_query(url),
            message_of(&v)
        ))
    };
    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open_with_async("PUT", url, true).map_err(network)?;
    xhr.set_request_header("Content-Type", content_type)
        .map_err(network)?;

    // Settled by whichever of load / error / abort / timeout comes first.
    let settle: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let done = {
        let settle = settle.clone();
        Promise::new(&mut move |resolve, _| {
            *settle.borrow_mut() = Some(resolve);
        })
    };
    let finish = |outcome: &'static str| {
        let settle = settle.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(resolve) = settle.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_str(outcome));
            }
        })
    };
    let on_load = finish("load");
    let on_error = finish("error");
    let on_abort = finish("abort");
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    xhr.set_ontimeout(Some(on_error.as_ref().unchecked_ref()));

    let on_progress = {
        let progress = progress.clone();
        Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            progress.report(e.loaded(), e.length_computable());
        })
    };
    let upload = xhr.upload().map_err(network)?;
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

    let cancel = {
        let xhr = xhr.clone();
        Closure::<dyn FnMut()>::new(move || {
            let _ = xhr.abort();
        })
    };
    if let Some(s) = &ctx.signal {
        let _ = s.add_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());
    }
    let sent = xhr.send_with_opt_blob(Some(blob));
    let outcome = match sent {
        Ok(()) => JsFuture::from(done).await.ok().and_then(|v| v.as_string()),
        Err(_) => Some("error".to_string()),
    };
    // Detach everything so the closures can be freed: nothing leaks per upload.
    if let Some(s) = &ctx.signal {
        let _ = s.remove_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());
    }
    upload.set_onprogress(None);
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_onabort(None);
    xhr.set_ontimeout(None);
    ctx.check()?;
    match outcome.as_deref() {
        Some("load") => Ok(RawResponse {
            status: xhr.status().unwrap_or(0),
            body: xhr.response_text().ok().flatten().unwrap_or_default(),
            retry_after: xhr.get_response_header("retry-after").ok().flatten(),
            content_type: xhr.get_response_header("content-type").ok().flatten(),
        }),
        _ => Err(network(JsValue::from_str(
            "network error, or the storage origin does not allow this page (CORS)",
        ))),
    }
}

/// `Promise.resolve(v)` awaited: plain values and thenables alike.
pub async fn resolve(v: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&v)).await
}
