//! The cost of `waitForResult`'s polling, in virtual time, with the core's own schedule
//! (`authenta_wasm::core::poll::PollSchedule`), against a fixed 5 s poll.
//!
//! ```sh
//! cargo run --release --example poll_schedule            # a table
//! cargo run --release --example poll_schedule -- --json  # one JSON array (bench/run.mjs)
//! ```
//!
//! For a processing time `P` (the record turns `PROCESSED` `P` ms after the wait starts), the
//! loop is the one of `waitForResult` (src/wasm/client.rs, `Inner::wait`): poll at t = 0; while
//! the record is pending, wait `PollSchedule::default().delay_ms(n, None, remaining, rand)`
//! (n = the pending polls so far, minus one; `remaining` = what is left of the default 10-minute
//! deadline) and poll again. A poll at t ≥ P sees `PROCESSED` and resolves at once: requests take
//! no time here. Figures are means over `SEEDS` seeds of the jitter (a seeded SplitMix64).
//!
//! Two kinds of rows: `exact` (processing takes exactly P) and `±10%` (P drawn uniformly from
//! [0.9 P, 1.1 P] per seed, for both loops). A fixed 5 s poll is lucky when P is an exact
//! multiple of 5 s (its poll lands at the very moment the record turns PROCESSED); the `±10%`
//! rows show what it costs when processing times vary.

use authenta_wasm::core::poll::{PollSchedule, DEFAULT_WAIT_TIMEOUT_MS};

const SEEDS: u64 = 1000;
const FIXED_MS: u64 = 5_000;
const PROCESSING_S: [u64; 4] = [5, 30, 60, 300];

/// SplitMix64: small, seedable, good enough for jitter.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One `waitForResult`: (GET /media/{mid} calls, ms from PROCESSED to the resolve), or `None`
/// at the deadline.
fn sdk_wait(processed_at: u64, rng: &mut Rng) -> Option<(u64, u64)> {
    let schedule = PollSchedule::default();
    let (mut t, mut n, mut calls) = (0u64, 0u32, 0u64);
    loop {
        calls += 1;
        if t >= processed_at {
            return Some((calls, t - processed_at));
        }
        let remaining = DEFAULT_WAIT_TIMEOUT_MS.saturating_sub(t);
        if remaining == 0 {
            return None;
        }
        t += schedule.delay_ms(n, None, remaining, rng.next_f64());
        n += 1;
    }
}

/// A fixed poll every `FIXED_MS`, starting at t = 0.
fn fixed_wait(processed_at: u64) -> (u64, u64) {
    let k = processed_at.div_ceil(FIXED_MS); // the first poll at or after PROCESSED
    (k + 1, k * FIXED_MS - processed_at)
}

struct Row {
    processing_s: u64,
    kind: &'static str,
    sdk_calls: f64,
    sdk_lag_ms: f64,
    sdk_lag_max_ms: u64,
    fixed_calls: f64,
    fixed_lag_ms: f64,
    fixed_lag_max_ms: u64,
}

fn simulate(processing_s: u64, varied: bool) -> Row {
    let p = processing_s * 1000;
    let (mut sc, mut sl, mut sm, mut fc, mut fl, mut fm) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    for seed in 0..SEEDS {
        let mut rng = Rng(seed);
        let processed_at = if varied {
            // Uniform in [0.9 P, 1.1 P].
            (p as f64 * (0.9 + 0.2 * rng.next_f64())) as u64
        } else {
            p
        };
        let Some((calls, lag)) = sdk_wait(processed_at, &mut rng) else {
            eprintln!("poll_schedule: the default deadline passed for P = {processed_at} ms");
            std::process::exit(1);
        };
        let (f_calls, f_lag) = fixed_wait(processed_at);
        sc += calls;
        sl += lag;
        sm = sm.max(lag);
        fc += f_calls;
        fl += f_lag;
        fm = fm.max(f_lag);
    }
    let mean = |x: u64| x as f64 / SEEDS as f64;
    Row {
        processing_s,
        kind: if varied { "±10%" } else { "exact" },
        sdk_calls: mean(sc),
        sdk_lag_ms: mean(sl),
        sdk_lag_max_ms: sm,
        fixed_calls: mean(fc),
        fixed_lag_ms: mean(fl),
        fixed_lag_max_ms: fm,
    }
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let rows: Vec<Row> = [false, true]
        .into_iter()
        .flat_map(|varied| PROCESSING_S.map(|s| simulate(s, varied)))
        .collect();
    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{{\"processingS\":{},\"kind\":\"{}\",\"sdkCalls\":{:.3},\"sdkLagMs\":{:.1},\"sdkLagMaxMs\":{},\"fixedCalls\":{:.3},\"fixedLagMs\":{:.1},\"fixedLagMaxMs\":{}}}",
                    r.processing_s, r.kind, r.sdk_calls, r.sdk_lag_ms, r.sdk_lag_max_ms,
                    r.fixed_calls, r.fixed_lag_ms, r.fixed_lag_max_ms
                )
            })
            .collect();
        println!("[{}]", items.join(","));
        return;
    }
    println!(
        "waitForResult polling in virtual time, mean of {SEEDS} seeds (lag: PROCESSED -> resolve)"
    );
    println!(
        "{:<14} {:>10} {:>10} {:>10}   {:>10} {:>10} {:>10}",
        "processing", "SDK GETs", "lag s", "max s", "5 s GETs", "lag s", "max s"
    );
    for r in &rows {
        println!(
            "{:<14} {:>10.2} {:>10.2} {:>10.2}   {:>10.2} {:>10.2} {:>10.2}",
            format!("{} s {}", r.processing_s, r.kind),
            r.sdk_calls,
            r.sdk_lag_ms / 1000.0,
            r.sdk_lag_max_ms as f64 / 1000.0,
            r.fixed_calls,
            r.fixed_lag_ms / 1000.0,
            r.fixed_lag_max_ms as f64 / 1000.0,
        );
    }
}
