//! `authenta-emulator`: starts the emulator, prints `EMULATOR_READY {...}` on stdout, and
//! runs until SIGINT or SIGTERM.

use authenta_emulator::config::{parse_args, Parsed, USAGE};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cfg = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("authenta-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("authenta-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cfg))
}

async fn run(cfg: authenta_emulator::Config) -> ExitCode {
    // Signal handlers go in before the ready line, so that a supervisor that signals right
    // after reading it does not kill the process the default way.
    #[cfg(unix)]
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("authenta-emulator: cannot watch SIGTERM: {e}");
            return ExitCode::FAILURE;
        }
    };
    let test_controls = cfg.test_controls;
    let jobs_flat = cfg.jobs_flat;
    let running = match authenta_emulator::start(cfg).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("authenta-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "Authenta EMULATOR (local stand-in, not the Authenta platform; throw-away signing secret)"
    );
    eprintln!("  API:     {}", running.api_url);
    eprintln!("  storage: {}", running.storage_url);
    eprintln!("  web:     {}", running.web_url);
    eprintln!("  API key: {}", running.api_key);
    for k in running.api_keys.iter().skip(1) {
        eprintln!("  API key: {k}");
    }
    if let (Some(id), Some(secret)) = (&running.client_id, &running.client_secret) {
        eprintln!("  legacy x-client-id: {id}  x-client-secret: {secret}");
    }
    if jobs_flat {
        eprintln!("  Jobs API: the reference page's flat variants (--jobs-variant flat)");
    }
    if test_controls {
        eprintln!(
            "  test controls: {}/__emulator/",
            running.api_url.trim_end_matches("/api")
        );
    }
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", running.ready_line())
        .and_then(|_| out.flush())
        .is_err()
    {
        // Nobody reads stdout any more; keep serving anyway.
    }
    drop(out);

    #[cfg(unix)]
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;

    eprintln!("authenta-emulator: stopping");
    running.shutdown().await;
    ExitCode::SUCCESS
}
