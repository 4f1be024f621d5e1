//! The web origin: the sample page (`www/`) and the built package (`pkg/`).

use crate::state::Shared;
use crate::util::{json_response, percent_decode, response, set_header, Resp};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CACHE_CONTROL};
use hyper::{Method, Request, StatusCode};
use std::path::{Path, PathBuf};

const PLACEHOLDER: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authenta emulator</title></head>
<body>
<h1>Authenta emulator</h1>
<p>This is the local <strong>emulator</strong> of the Authenta Media API, not the platform.</p>
<p>The sample page is not built yet: <code>www/index.html</code> was not found.</p>
<p>The emulator's addresses and development key are at <a href=\"/__emulator/env.json\">/__emulator/env.json</a>.</p>
</body></html>
";

pub fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name.ends_with(".d.ts") || name.ends_with(".ts") {
        return "application/typescript; charset=utf-8";
    }
    match name.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path to a file under a root, refusing anything that could leave it.
fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." || seg.contains('\\') || seg.contains('\0') {
            return None;
        }
        p.push(seg);
    }
    Some(p)
}

fn not_found() -> Resp {
    response(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        "<!doctype html><title>404</title><p>Not found</p>\n",
    )
}

pub async fn handle(shared: &Shared, req: Request<Incoming>) -> Resp {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = response(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "Method not allowed\n",
        );
        set_header(&mut r, ALLOW, "GET, HEAD");
        return r;
    }
    let path = percent_decode(req.uri().path());
    let mut resp = if path == "/__emulator/env.json" {
        json_response(StatusCode::OK, &shared.env_json)
    } else {
        let (root, rel) = match path.strip_prefix("/pkg/") {
            Some(rel) => (&shared.pkg_dir, rel),
            None => (&shared.www_dir, path.as_str()),
        };
        match safe_join(root, rel) {
            None => not_found(),
            Some(mut file) => {
                if tokio::fs::metadata(&file)
                    .await
                    .map(|m| m.is_dir())
                    .unwrap_or(false)
                {
                    file.push("index.html");
                }
                match tokio::fs::read(&file).await {
                    Ok(bytes) => response(StatusCode::OK, content_type(&file), bytes),
                    Err(_) if path == "/" || path == "/index.html" => {
                        response(StatusCode::OK, "text/html; charset=utf-8", PLACEHOLDER)
                    }
                    Err(_) => not_found(),
                }
            }
        }
    };
    // The page and package change on every rebuild during development.
    set_header(&mut resp, CACHE_CONTROL, "no-store");
    // hyper leaves the body out of HEAD answers itself.
    resp
}
