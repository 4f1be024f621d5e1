//! `iterateMedia`: every record, page by page.

use super::client::Inner;
use super::http::Ctx;
use super::{to_js_error, Opts};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::request::{page_size, ListParams, DEFAULT_PAGE_SIZE};
use js_sys::{Object, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct State {
    /// Options that failed validation: the first `next()` rejects with this.
    error: Option<Error>,
    ctx: Option<Rc<(Ctx, u64)>>,
    page_size: u32,
    offset: u64,
    /// The current page, handed out from `next_item`.
    page: Vec<JsValue>,
    next_item: usize,
    done: bool,
}

fn item(value: JsValue, done: bool) -> JsValue {
    let r = Object::new();
    super::set(&r, "value", &value);
    super::set(&r, "done", &JsValue::from_bool(done));
    r.into()
}

/// The `next` function behind `iterateMedia()`, as a JS function.
pub(crate) fn media_iterator(inner: Rc<Inner>, options: JsValue) -> JsValue {
    let mut state = State {
        error: None,
        ctx: None,
        page_size: DEFAULT_PAGE_SIZE,
        offset: 0,
        page: Vec::new(),
        next_item: 0,
        done: false,
    };
    let setup = (|| {
        let o = Opts::method(&options, "iterateMedia options")?;
        if let Some(p) = o.number("pageSize")? {
            state.page_size = page_size("pageSize", p)?;
        }
        inner.long_ctx(&o, None)
    })();
    match setup {
        Ok(ctx) => state.ctx = Some(Rc::new(ctx)),
        Err(e) => state.error = Some(e),
    }
    let state = Rc::new(RefCell::new(state));
    let next = Closure::<dyn FnMut() -> Promise>::new(move || next(inner.clone(), state.clone()));
    next.into_js_value()
}

fn next(inner: Rc<Inner>, state: Rc<RefCell<State>>) -> Promise {
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
                if let Some(v) = s.page.get(s.next_item).cloned() {
                    s.next_item += 1;
                    return Ok(item(v, false));
                }
                let Some(ctx) = s.ctx.clone().filter(|_| !s.done) else {
                    return Ok(item(JsValue::UNDEFINED, true));
                };
                let page = ListParams {
                    limit: Some(s.page_size),
                    offset: Some(s.offset),
                };
                (ctx, page)
            };
            let ok = inner
                .call(&ctx, &super::client::Call::List(page))
                .await
                .map_err(fail)?;
            let total = ok
                .json
                .as_ref()
                .and_then(|j| j.get("total"))
                .and_then(Json::as_f64);
            let page_js = js_sys::JSON::parse(&ok.body)
                .map_err(|_| fail(Error::invalid_response(200, "the page is not valid JSON")))?;
            let data: Vec<JsValue> = js_sys::Array::from(&super::prop(&page_js, "data")).to_vec();
            let mut s = state.borrow_mut();
            s.offset += data.len() as u64;
            if data.is_empty() || total.is_some_and(|t| s.offset as f64 >= t) {
                s.done = true;
            }
            s.page = data;
            s.next_item = 0;
        }
    })
}
