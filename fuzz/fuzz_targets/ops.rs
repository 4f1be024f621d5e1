//! Every operation of the core, fed arbitrary answers (any status, any JSON or none, network
//! failures, time-outs, aborts) through the field trait over serde_json values: it never panics,
//! never loops, and always ends with a value or a typed error.
#![no_main]
use authenta_wasm::core::config::{Config, RawKey, RawOptions};
use authenta_wasm::core::json::{parse_decimal, write_str};
use authenta_wasm::core::ops::media::{plan, Pager, Single, UploadArgs};
use authenta_wasm::core::ops::result::GetResult;
use authenta_wasm::core::ops::subject::Subject;
use authenta_wasm::core::ops::submit::{Run, Submit};
use authenta_wasm::core::ops::wait::{Deadline, Wait};
use authenta_wasm::core::ops::{ApiCall, Done, Env, Event, Failure, Limits, Op, Step};
use authenta_wasm::core::poll::PollSchedule;
use authenta_wasm::core::request::ListParams;
use authenta_wasm::core::response::answer_from_text;
use libfuzzer_sys::fuzz_target;
use serde_json::Value as J;

/// What the `apiKey` function answers, when the configuration has one: a secret too.
const TOKEN: &str = "api_SECRET_token";

const STATUSES: [u16; 16] = [200, 201, 204, 200, 200, 302, 400, 401, 402, 403, 404, 408, 429, 500, 503, 501];

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn text(&mut self) -> String {
        let n = usize::from(self.byte().unwrap_or(0));
        let n = n.min(self.0.len());
        let (t, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(t).into_owned()
    }
    fn event(&mut self) -> Event<J> {
        match self.byte() {
            None => Event::Failed(Failure::Network("gone".into())),
            Some(b) => match b % 8 {
                0 => Event::Failed(Failure::Network("reset".into())),
                1 => Event::Failed(Failure::TimedOut),
                2 => Event::Failed(Failure::Aborted { timeout: b & 8 != 0, message: self.text() }),
                3 => Event::Failed(Failure::TooLarge(200)),
                _ => {
                    let status = STATUSES[usize::from(self.byte().unwrap_or(0)) % STATUSES.len()];
                    let body = self.text();
                    let retry_after = (b & 16 != 0).then(|| self.text());
                    Event::Answer(answer_from_text(status, &body, retry_after.as_deref()))
                }
            },
        }
    }
}

fn run(op: &mut dyn Op<J>, config: &Config, input: &mut Input) -> Result<Done<J>, String> {
    let mut now = 1.0e12;
    let mut event = Event::Go;
    for _ in 0..100_000 {
        let env = Env { config, now_ms: now, rand: 0.5, token: Some(TOKEN) };
        event = match op.step(event, &env) {
            // The apiKey function answers, or does not within the attempt's limit, or the caller aborts.
            Step::Token(limit) => match input.byte().map(|b| b % 4) {
                Some(0) => {
                    now += limit.unwrap_or(0) as f64;
                    Event::Failed(Failure::TimedOut)
                }
                Some(1) => Event::Failed(Failure::Aborted { timeout: false, message: input.text() }),
                _ => Event::Token(Ok(Some(TOKEN.into()))),
            },
            Step::Send(out) => {
                assert!(out.url.starts_with("http"), "{}", out.url);
                now += 1.0;
                input.event()
            }
            Step::Sleep(ms) => {
                now += ms as f64;
                Event::Go
            }
            Step::Status(_) | Step::Progress(_) => Event::Go,
            Step::Done(d) => return Ok(d),
            Step::Fail(e) => {
                assert!(!e.message.is_empty() && !e.code.is_empty());
                // The static key, or the key function's token, never shows.
                let secret = config.secrets().first().copied().unwrap_or(TOKEN);
                assert!(!e.message.contains(secret), "{}", e.message);
                return Err(e.code.clone());
            }
        };
    }
    panic!("the operation never ended");
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let pick = input.byte().unwrap_or(0);
    let config = Config::validate(RawOptions {
        base_url: Some("http://127.0.0.1:8787/api".into()),
        api_key: Some(if pick & 128 != 0 { RawKey::Provider } else { RawKey::Static("api_SECRET".into()) }),
        ..Default::default()
    })
    .unwrap();
    let single = Limits::single(&config, None, None);
    let long = Limits::long(&config, (pick & 64 != 0).then_some(60_000), None, 1.0e12);
    let mid = "692f406f9f68d4b70080bb80".to_string();
    let upload = plan(UploadArgs {
        model_type: Some("DF-1".into()),
        blob_type: "video/mp4".into(),
        size: 10.0,
        ..Default::default()
    })
    .unwrap();
    let mut op: Box<dyn Op<J>> = match pick % 8 {
        0 => Box::new(Wait::<J>::new(Subject::Media(mid), PollSchedule::default(), Deadline::media(Some(60_000)), long, None)),
        1 => Box::new(GetResult::<J>::new(Subject::Media(mid), None, single)),
        2 => {
            let record: J = serde_json::from_str(&input.text()).unwrap_or(J::Null);
            Box::new(GetResult::new(Subject::Media(String::new()), Some(record), single))
        }
        3 => Box::new(Submit::<J>::new(upload, long)),
        4 => Box::new(Run::<J>::new(upload, PollSchedule::default(), long)),
        5 => Box::new(Single::new(ApiCall::CreateMedia("{}".into()), single)),
        6 => Box::new(Single::new(ApiCall::DeleteMedia(mid), single)),
        _ => {
            let mut pager = Pager::new(Some(2), single);
            for _ in 0..4 {
                let Some(mut page) = pager.next_page() else { break };
                match run(&mut page, &config, &mut input) {
                    Ok(Done::Value(v)) => {
                        let _ = pager.take(&v);
                    }
                    _ => pager.stop(),
                }
            }
            Box::new(Single::new(ApiCall::ListMedia(ListParams::default()), single))
        }
    };
    if let Ok(Done::Value(v)) = run(op.as_mut(), &config, &mut input) {
        // Waits end only on a processed record.
        if pick % 8 == 0 {
            let status = v.get("status").and_then(J::as_str).unwrap_or("");
            assert!(status.eq_ignore_ascii_case("processed"), "{v}");
        }
    }
    // The string writer round-trips through a real JSON parser; decimals never panic.
    let text = String::from_utf8_lossy(data);
    let mut out = String::new();
    write_str(&mut out, &text);
    assert_eq!(serde_json::from_str::<String>(&out).ok().as_deref(), Some(&*text));
    let _ = parse_decimal(&text);
});
