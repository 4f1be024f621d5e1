//! The compiled binary: ready line, one request, clean exit on SIGTERM.

use crate::common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn binary_prints_ready_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authenta-emulator"))
        .args([
            "--api-port",
            "0",
            "--storage-port",
            "0",
            "--web-port",
            "0",
            "--legacy-auth",
            "--client-id",
            "cid",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let json = line
        .strip_prefix("EMULATOR_READY ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let key = v["apiKey"].as_str().unwrap();
    assert!(
        key.starts_with("api_dev_") && key.len() == "api_dev_".len() + 24,
        "{key}"
    );
    assert_eq!(v["clientId"], "cid");
    assert!(v["clientSecret"].is_string());
    for k in ["api", "storage", "web"] {
        assert!(v[k].as_str().unwrap().starts_with("http://127.0.0.1:"));
    }
    assert!(v["api"].as_str().unwrap().ends_with("/api"));

    let r = send(
        "GET",
        &format!("{}/media", v["api"].as_str().unwrap()),
        &[("authorization", &format!("Bearer {key}"))],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["total"], 0);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not exit");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn binary_refuses_bad_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_authenta-emulator"))
        .args(["--api-port", "seventy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let help = Command::new(env!("CARGO_BIN_EXE_authenta-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--processing-ms"));
}
