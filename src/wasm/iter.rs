//! `iterateMedia` and `iterateJobs`: every record or job, page by page. The pages are the
//! core's `Pager` / `JobPager`; runtime.js
//! answers concurrent `next()` calls in order, so one page is never fetched twice. Nothing
//! outlives a call: no timer, no listener, so a Node script exits as soon as its loop ends.

use super::client::Inner;
use super::driver::{drive, Io};
use super::{to_js_error, Opts};
use crate::core::error::Error;
use crate::core::ops::jobs::JobPager;
use crate::core::ops::media::{Pager, Single};
use crate::core::ops::{Done, Limits};
use crate::core::request::page_size;
use js_sys::{Object, Promise};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The pages of either API.
enum Pages {
    Media(Pager),
    Jobs(JobPager),
}

impl Pages {
    fn next_page(&self) -> Option<Single> {
        match self {
            Pages::Media(p) => p.next_page(),
            Pages::Jobs(p) => p.next_page(),
        }
    }
    fn take(&mut self, page: &JsValue) -> Vec<JsValue> {
        match self {
            Pages::Media(p) => p.take(page),
            Pages::Jobs(p) => p.take(page),
        }
    }
    fn stop(&mut self) {
        match self {
            Pages::Media(p) => p.stop(),
            Pages::Jobs(p) => p.stop(),
        }
    }
}

struct State {
    pager: Pages,
    /// The current page, handed out one record per `next()`.
    items: VecDeque<JsValue>,
    /// Options that failed validation: the first `next()` rejects with this.
    error: Option<Error>,
    io: Rc<Io>,
}

fn item(value: &JsValue, done: bool) -> JsValue {
    let r = Object::new();
    super::set(&r, "value", value);
    super::set(&r, "done", &JsValue::from_bool(done));
    r.into()
}

/// The `next` function behind `iterateMedia()`, as a JS function.
pub(crate) fn media_iterator(inner: Rc<Inner>, options: JsValue) -> JsValue {
    let setup = (|| {
        let (o, limits, io) = setup(&inner, &options, "iterateMedia options")?;
        let size = o
            .number("pageSize")?
            .map(|p| page_size("pageSize", p))
            .transpose()?;
        Ok((Pages::Media(Pager::new(size, limits)), io))
    })();
    iterator(inner, setup)
}

/// The `next` function behind `iterateJobs()`, as a JS function.
pub(crate) fn jobs_iterator(inner: Rc<Inner>, options: JsValue) -> JsValue {
    let setup = (|| {
        let (o, limits, io) = setup(&inner, &options, "iterateJobs options")?;
        let pager = JobPager::new(o.number("pageSize")?, o.string("status")?, limits)?;
        Ok((Pages::Jobs(pager), io))
    })();
    iterator(inner, setup)
}

fn setup<'a>(
    inner: &Inner,
    options: &'a JsValue,
    what: &'a str,
) -> Result<(Opts<'a>, Limits, Io), Error> {
    let o = Opts::method(options, what)?;
    let limits = Limits::long(
        &inner.config,
        o.timeout()?,
        o.retries()?,
        js_sys::Date::now(),
    );
    let io = inner.io(&o, Vec::new())?;
    Ok((o, limits, io))
}

fn iterator(inner: Rc<Inner>, setup: Result<(Pages, Io), Error>) -> JsValue {
    let state = match setup {
        Ok((pager, io)) => State {
            pager,
            items: VecDeque::new(),
            error: None,
            io: Rc::new(io),
        },
        Err(e) => {
            let mut pager =
                Pages::Media(Pager::new(None, Limits::single(&inner.config, None, None)));
            pager.stop();
            State {
                pager,
                items: VecDeque::new(),
                error: Some(e),
                io: Rc::new(Io::default()),
            }
        }
    };
    let state = Rc::new(RefCell::new(state));
    let next = Closure::<dyn FnMut() -> Promise>::new(move || {
        future_to_promise(next(inner.clone(), state.clone()))
    });
    next.into_js_value()
}

async fn next(inner: Rc<Inner>, state: Rc<RefCell<State>>) -> Result<JsValue, JsValue> {
    loop {
        // Borrow only between awaits.
        let (mut op, io) = {
            let mut s = state.borrow_mut();
            if let Some(e) = s.error.take() {
                return Err(to_js_error(&e, &JsValue::UNDEFINED, &[]));
            }
            if let Some(v) = s.items.pop_front() {
                return Ok(item(&v, false));
            }
            match s.pager.next_page() {
                Some(op) => (op, s.io.clone()),
                None => return Ok(item(&JsValue::UNDEFINED, true)),
            }
        };
        let page = drive(&inner, &mut op, &io).await;
        let mut s = state.borrow_mut();
        match page {
            Ok(Done::Value(page)) => {
                let items = s.pager.take(&page);
                s.items.extend(items);
            }
            Ok(_) => s.pager.stop(),
            Err(e) => {
                s.pager.stop();
                return Err(e);
            }
        }
    }
}
