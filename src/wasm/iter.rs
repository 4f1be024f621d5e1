//! `iterateMedia`: every record, page by page.

use super::client::Inner;
use super::http::Ctx;
use super::{to_js_error, Opts};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::request::{page_size, ListParams, DEFAULT_PAGE_SIZE};
use js_sys::{Object, Promise};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The iterator behind `iterateMedia()`; use it through `for await`.
#[wasm_bindgen]
pub struct MediaIterator {
    inner: Rc<Inner>,
    state: Rc<RefCell<State>>,
}

struct State {
    /// Options that failed validation: the first `next()` rejects with this.
    error: Option<Error>,
    ctx: Option<Rc<(Ctx, u64)>>,
    page_size: u32,
    offset: u64,
    buffered: VecDeque<JsValue>,
    done: bool,
}

impl MediaIterator {
    pub(crate) fn new(inner: Rc<Inner>, options: JsValue) -> MediaIterator {
        let mut state = State {
            error: None,
            ctx: None,
            page_size: DEFAULT_PAGE_SIZE,
            offset: 0,
            buffered: VecDeque::new(),
            done: false,
        };
        let o = Opts {
            obj: &options,
            what: "iterateMedia options",
            ctor: false,
        };
        let setup = (|| {
            o.check_object()?;
            if let Some(p) = o.number("pageSize")? {
                state.page_size = page_size("pageSize", p)?;
            }
            inner.long_ctx(&o, None)
        })();
        match setup {
            Ok(ctx) => state.ctx = Some(Rc::new(ctx)),
            Err(e) => state.error = Some(e),
        }
        MediaIterator {
            inner,
            state: Rc::new(RefCell::new(state)),
        }
    }
}

fn item(value: JsValue, done: bool) -> JsValue {
    let r = Object::new();
    super::set(&r, "value", &value);
    super::set(&r, "done", &JsValue::from_bool(done));
    r.into()
}

#[wasm_bindgen]
impl MediaIterator {
    /// The next record: `{ value, done }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Media, undefined>>")]
    pub fn next(&self) -> Promise {
        let inner = self.inner.clone();
        let state = self.state.clone();
        future_to_promise(async move {
            let fail = |e: Error| to_js_error(&e, &JsValue::UNDEFINED);
            loop {
                // Borrow only between awaits: concurrent next() calls must not collide.
                let (ctx, page) = {
                    let mut s = state.borrow_mut();
                    if let Some(e) = s.error.take() {
                        s.done = true;
                        return Err(fail(e));
                    }
                    if let Some(v) = s.buffered.pop_front() {
                        return Ok(item(v, false));
                    }
                    if s.done {
                        return Ok(item(JsValue::UNDEFINED, true));
                    }
                    let Some(ctx) = s.ctx.clone() else {
                        return Ok(item(JsValue::UNDEFINED, true));
                    };
                    (
                        ctx,
                        ListParams {
                            limit: Some(s.page_size),
                            offset: Some(s.offset),
                        },
                    )
                };
                let ok = inner.list(&ctx, page).await.map_err(fail)?;
                let json = ok.json.unwrap_or(Json::Null);
                let page_js = js_sys::JSON::parse(&ok.body).map_err(|_| {
                    fail(Error::invalid_response(200, "the page is not valid JSON"))
                })?;
                let data = js_sys::Array::from(&super::prop(&page_js, "data"));
                let count = data.length();
                let total = json.get("total").and_then(Json::as_f64);
                let mut s = state.borrow_mut();
                s.offset += u64::from(count);
                s.buffered.extend(data.iter());
                if count == 0 || total.is_some_and(|t| s.offset as f64 >= t) {
                    s.done = true;
                }
            }
        })
    }

    /// Stops the iteration early (what `break` in `for await` calls).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        let mut s = self.state.borrow_mut();
        s.done = true;
        s.buffered.clear();
        Promise::resolve(&item(JsValue::UNDEFINED, true))
    }
}
