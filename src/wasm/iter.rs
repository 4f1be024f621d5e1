//! `iterateMedia` and `iterateJobs`: every record or job, page by page. The pages are the
//! core's `Pager` / `JobPager`; runtime.js's `asyncIterable` answers concurrent `next()` calls
//! in order, so one page is never fetched twice. Nothing outlives a call: no timer, no
//! listener, so a Node script exits as soon as its loop ends.

use super::client::Inner;
use super::driver::{Io, Operation};
use super::{to_js_error, Opts};
use crate::core::error::Error;
use crate::core::ops::jobs::JobPager;
use crate::core::ops::media::{Pager, Single};
use crate::core::ops::Limits;
use crate::core::request::page_size;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The pages of either API.
enum Listing {
    Media(Pager),
    Jobs(JobPager),
}

impl Listing {
    fn next_page(&self) -> Option<Single> {
        match self {
            Listing::Media(p) => p.next_page(),
            Listing::Jobs(p) => p.next_page(),
        }
    }
    fn take(&mut self, page: &JsValue) -> Vec<JsValue> {
        match self {
            Listing::Media(p) => p.take(page),
            Listing::Jobs(p) => p.take(page),
        }
    }
    fn stop(&mut self) {
        match self {
            Listing::Media(p) => p.stop(),
            Listing::Jobs(p) => p.stop(),
        }
    }
}

/// The state behind one `iterateMedia()` / `iterateJobs()` iterator; runtime.js's
/// `asyncIterable` asks it for the next item and drives the page requests it needs.
#[wasm_bindgen(skip_typescript)]
pub struct Pages {
    inner: Rc<Inner>,
    pager: Listing,
    /// The current page, handed out one record per `next()`.
    items: VecDeque<JsValue>,
    /// Options that failed validation: the first `next()` rejects with this.
    error: Option<Error>,
    io: Io,
}

/// The iterator behind `iterateMedia()`.
pub(crate) fn media_iterator(inner: Rc<Inner>, options: &JsValue) -> JsValue {
    let setup = (|| {
        let (o, limits, io) = setup(&inner, options, "iterateMedia options")?;
        let size = o
            .number("pageSize")?
            .map(|p| page_size("pageSize", p))
            .transpose()?;
        Ok((Listing::Media(Pager::new(size, limits)), io))
    })();
    iterator(inner, setup)
}

/// The iterator behind `iterateJobs()`.
pub(crate) fn jobs_iterator(inner: Rc<Inner>, options: &JsValue) -> JsValue {
    let setup = (|| {
        let (o, limits, io) = setup(&inner, options, "iterateJobs options")?;
        let pager = JobPager::new(o.number("pageSize")?, o.string("status")?, limits)?;
        Ok((Listing::Jobs(pager), io))
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

fn iterator(inner: Rc<Inner>, setup: Result<(Listing, Io), Error>) -> JsValue {
    let (pager, io, error) = match setup {
        Ok((pager, io)) => (pager, io, None),
        Err(e) => {
            let mut pager =
                Listing::Media(Pager::new(None, Limits::single(&inner.config, None, None)));
            pager.stop();
            (pager, Io::default(), Some(e))
        }
    };
    super::async_iterable(Pages {
        inner,
        pager,
        items: VecDeque::new(),
        error,
        io,
    })
}

#[wasm_bindgen]
impl Pages {
    /// The next item, or `undefined` when there is none at hand: then `page()` is the request
    /// for the next page, or nothing once every page has been read. Throws the options' error.
    pub fn item(&mut self) -> Result<JsValue, JsValue> {
        if let Some(e) = self.error.take() {
            return Err(to_js_error(&e, &JsValue::UNDEFINED, &[]));
        }
        Ok(self.items.pop_front().unwrap_or_default())
    }

    /// The request for the next page, for `drive` (its page goes to `add`); `None` at the end.
    pub fn page(&mut self) -> Option<Operation> {
        let op = self.pager.next_page()?;
        Some(Operation::new(&self.inner, Box::new(op), self.io.clone()))
    }

    /// A fetched page: its items are handed out next.
    pub fn add(&mut self, page: JsValue) {
        let items = self.pager.take(&page);
        self.items.extend(items);
    }

    /// No more pages (the page request failed, or the caller stopped).
    pub fn stop(&mut self) {
        self.pager.stop();
    }
}
