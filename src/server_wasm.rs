//! The server handler's JavaScript face (`authenta-wasm/server`): strings in, strings out. The
//! facade in `pkg/server-handler.js` reads the `Request`, calls the hooks and sends upstream;
//! every decision is `core::server`'s. Built into its own wasm (feature `server`), so the
//! browser's wasm never carries it.

use crate::core::server::flow::{Flow, Incoming};
use crate::core::server::wire::{event_from_json, step_to_json};
use crate::core::server::{HandlerConfig, RawHandlerOptions};
use serde_json::Value as J;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A handler's checked options.
#[wasm_bindgen]
pub struct Handler {
    cfg: Rc<HandlerConfig>,
}

#[wasm_bindgen]
impl Handler {
    /// `options`: JSON of the options that are values. Throws the message of the
    /// `ConfigurationError` the facade raises (it never holds the key).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<Handler, String> {
        let v: J =
            serde_json::from_str(options).map_err(|_| "options are not valid".to_string())?;
        let raw = RawHandlerOptions::from_json(&v).map_err(|e| e.message.clone())?;
        let cfg = HandlerConfig::validate(raw).map_err(|e| e.message.clone())?;
        Ok(Handler { cfg: Rc::new(cfg) })
    }

    /// One request: `request` is JSON of its method, path, query, origin, sec-fetch-site,
    /// own origin and preflight method.
    pub fn begin(&self, request: &str, now_ms: f64) -> Exchange {
        let v: J = serde_json::from_str(request).unwrap_or(J::Null);
        let text = |k: &str| v.get(k).and_then(J::as_str).map(str::to_string);
        let incoming = Incoming {
            method: text("method").unwrap_or_default(),
            path: text("path").unwrap_or_default(),
            query: text("query").unwrap_or_default(),
            origin: text("origin"),
            sec_fetch_site: text("secFetchSite"),
            own_origin: text("ownOrigin").unwrap_or_default(),
            preflight_method: text("preflightMethod"),
        };
        Exchange {
            flow: Flow::new(self.cfg.clone(), incoming, now_ms),
        }
    }
}

/// One request's flow, stepped by the facade.
#[wasm_bindgen]
pub struct Exchange {
    flow: Flow,
}

#[wasm_bindgen]
impl Exchange {
    /// Feeds an event (JSON) and returns the next step (JSON).
    pub fn step(&mut self, event: &str) -> String {
        let v: J = serde_json::from_str(event).unwrap_or(J::Null);
        step_to_json(&self.flow.step(event_from_json(&v))).to_string()
    }
}
