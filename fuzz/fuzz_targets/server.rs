//! The server handler's decisions (`core::server`) over arbitrary requests and arbitrary answers
//! from the hooks and from upstream: it never panics, always ends with an answer, and never sends
//! upstream a request outside the route table, for a caller it did not authenticate, or about an
//! id the caller does not own; the key is in the Authorization header and nowhere else.
#![no_main]
use authenta_wasm::core::request::Route;
use authenta_wasm::core::server::flow::{Event, Flow, Incoming, Step, Upstream};
use authenta_wasm::core::server::paths::{match_path, Matched};
use authenta_wasm::core::server::{HandlerConfig, RawHandlerOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value as J};
use std::rc::Rc;

const KEY: &str = "api_SECRET_fuzz";
const BASE: &str = "http://127.0.0.1:8787/api";
const METHODS: [&str; 6] = ["GET", "POST", "DELETE", "OPTIONS", "PUT", "PATCH"];
const PATHS: [&str; 8] = [
    "/api/authenta/v1/jobs",
    "/api/authenta/v1/jobs/",
    "/api/authenta/media",
    "/api/authenta/media/",
    "/api/authenta/",
    "/api/authenta/v1/jobs/1/",
    "/api/",
    "",
];
const CALLERS: [&str; 3] = ["alice", "bob", ""];

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn text(&mut self) -> String {
        let n = usize::from(self.byte()).min(self.0.len());
        let (t, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(t).into_owned()
    }
    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[usize::from(self.byte()) % from.len()]
    }
    fn json(&mut self) -> J {
        let t = self.text();
        serde_json::from_str(&t).unwrap_or(J::String(t))
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let cfg = Rc::new(
        HandlerConfig::validate(RawHandlerOptions {
            api_key: Some(KEY.into()),
            base_url: Some(BASE.into()),
            base_path: Some("/api/authenta".into()),
            cors_origins: Some(vec!["https://app.example".into()]),
            ..Default::default()
        })
        .unwrap(),
    );
    let method = input.pick(&METHODS).to_string();
    let path = format!("{}{}", input.pick(&PATHS), input.text());
    let incoming = Incoming {
        method: method.clone(),
        path: path.clone(),
        query: input.text(),
        origin: (input.byte() & 1 == 1).then(|| {
            input
                .pick(&["https://app.example", "null", "https://evil.example"])
                .to_string()
        }),
        sec_fetch_site: None,
        own_origin: "https://api.example".into(),
        preflight_method: Some(input.pick(&METHODS).to_string()),
    };
    let mut flow = Flow::new(cfg, incoming, 0.0);
    // What the request is, by the table: every send must be about exactly that.
    let asked = match match_path("/api/authenta", &method, &path) {
        Matched::Route { route, id } => Some((route, id)),
        _ => None,
    };
    let mut caller: Option<String> = None;
    let mut owner_ok = false;
    let mut all = false;
    let mut event = Event::Go;
    for _ in 0..64 {
        let step = flow.step(event);
        event = match step {
            Step::Answer(a) => {
                assert!((200..600).contains(&a.status));
                let body = a.body.unwrap_or_default();
                assert!(!body.contains(KEY));
                assert!(a
                    .headers
                    .iter()
                    .all(|(n, v)| !v.contains(KEY) && n != "set-cookie"));
                return;
            }
            Step::Authenticate => {
                let c = input.pick(&CALLERS);
                let c = (input.byte() & 1 == 1).then(|| c.to_string());
                caller = c.clone().filter(|c| !c.is_empty());
                Event::Caller(c)
            }
            Step::Policy => {
                let p = match input.byte() % 4 {
                    0 => J::Null,
                    1 => json!({ "all": true }),
                    2 => json!({ "tasks": ["AC-1"], "maxBytes": 100 }),
                    _ => input.json(),
                };
                all = p.get("all") == Some(&J::Bool(true));
                Event::Policy(p)
            }
            Step::ReadBody { .. } => Event::Body(input.text()),
            Step::Owner { .. } => {
                let owner = input.pick(&CALLERS);
                owner_ok = caller.as_deref() == Some(owner);
                Event::Record(Some(json!({ "owner": owner, "task": "AC-1" })))
            }
            Step::RateLimit { .. } => Event::RateLimit((input.byte() & 3 == 0).then_some(2.0)),
            Step::List { .. } => Event::Listed(input.json()),
            Step::Send { requests, .. } => {
                let authenticated = caller.clone().expect("sent for nobody");
                assert!(!authenticated.is_empty());
                for r in &requests {
                    let rest = r.url.strip_prefix(BASE).expect("sent outside the base URL");
                    let (p, _query) = rest.split_once('?').unwrap_or((rest, ""));
                    let Matched::Route { route, id } = match_path("", r.method, p) else {
                        panic!("sent outside the table: {} {}", r.method, r.url);
                    };
                    let (asked_route, asked_id) =
                        asked.clone().expect("sent for a request outside the table");
                    if asked_id.is_some() {
                        // Exactly the id asked about, and only when its record names the caller.
                        assert_eq!((route, &id), (asked_route, &asked_id));
                        assert!(owner_ok || all, "sent about an id the caller does not own");
                    } else if matches!(asked_route, Route::ListJobs | Route::ListMedia) {
                        let item = if asked_route == Route::ListJobs {
                            Route::GetJob
                        } else {
                            Route::GetMedia
                        };
                        assert!(route == item || (route == asked_route && all), "{}", r.url);
                    } else {
                        assert_eq!(route, asked_route);
                    }
                    let names: Vec<&str> = r.headers.iter().map(|(n, _)| n.as_str()).collect();
                    assert!(
                        names
                            .iter()
                            .all(|n| ["accept", "content-type", "authorization"].contains(n)),
                        "{names:?}"
                    );
                    assert!(r
                        .headers
                        .iter()
                        .any(|(n, v)| n == "authorization" && v == &format!("Bearer {KEY}")));
                    assert!(r.body.as_deref().is_none_or(|b| !b.contains(KEY)));
                }
                Event::Upstream(
                    requests
                        .iter()
                        .map(|_| match input.byte() % 4 {
                            0 => Upstream::Failed { timeout: input.byte() & 1 == 1 },
                            _ => Upstream::Answer {
                                status: [200, 201, 204, 302, 400, 401, 404, 429, 500, 503][usize::from(input.byte()) % 10],
                                retry_after: (input.byte() & 1 == 1).then(|| input.text()),
                                text: if input.byte() & 1 == 1 { input.text() } else { format!("{{\"id\":\"7\",\"mid\":\"m\",\"status\":\"completed\",\"echo\":\"{KEY}\"}}") },
                            },
                        })
                        .collect(),
                )
            }
            Step::Store { .. } | Step::Forget { .. } | Step::Report(_) => {
                if input.byte() % 8 == 0 {
                    Event::HookFailed
                } else {
                    Event::Done
                }
            }
        };
    }
    panic!("the flow never answered");
});
