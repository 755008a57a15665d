//! `scrutiny serve`: build, serve the output on 127.0.0.1, rebuild when a source file changes,
//! and reload open pages. Reloading is done by a small script added to HTML responses while
//! serving only; built files are never changed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use scrutiny_core::Plugins;

const RELOAD_SCRIPT: &str = "<script>(function(){var v=null;setInterval(function(){fetch('/__scrutiny/version').then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>";

/// Runs the development server until interrupted.
pub fn run(root: &Path, out: &Path, port: u16, plugins: &Plugins) -> ExitCode {
    let version = Arc::new(AtomicU64::new(0));
    // Built for the address it is served at, so the preview has what a published site has
    // (the sitemap, the meetings' JSON), with absolute URLs that work here.
    let base_url = format!("http://127.0.0.1:{port}/");
    rebuild(root, out, plugins, &base_url);
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::from(1);
        }
    };
    eprintln!(
        "serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)",
        out.display()
    );
    let out_dir = out.to_path_buf();
    let served_version = Arc::clone(&version);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            respond(request, &out_dir, served_version.load(Ordering::Relaxed));
        }
    });
    let mut stamp = newest_change(root);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = newest_change(root);
        if now != stamp {
            stamp = now;
            rebuild(root, out, plugins, &base_url);
            version.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn rebuild(root: &Path, out: &Path, plugins: &Plugins, base_url: &str) {
    match scrutiny_core::build(root, out, plugins, Some(base_url), None) {
        Ok(summary) => eprintln!("built {} pages", summary.pages),
        Err(error) => {
            let _ = crate::fail(error, Some(out));
        }
    }
}

/// The latest modification time under the site's source folders.
fn newest_change(root: &Path) -> Option<SystemTime> {
    let mut newest = fs::metadata(root.join("site.toml"))
        .and_then(|m| m.modified())
        .ok();
    for dir in ["content", "data", "sections", "themes"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            let modified = entry.metadata().ok().filter(|m| m.is_file());
            if let Some(modified) = modified.and_then(|m| m.modified().ok()) {
                newest = newest.max(Some(modified));
            }
        }
    }
    newest
}

fn respond(request: tiny_http::Request, out: &Path, version: u64) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == "/__scrutiny/version" {
        let _ = request.respond(tiny_http::Response::from_string(version.to_string()));
        return;
    }
    let (status, path) = match resolve(out, &url) {
        Some(path) => (200, path),
        None => (404, out.join("404.html")),
    };
    let Ok(mut bytes) = fs::read(&path) else {
        let _ =
            request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        let html =
            String::from_utf8_lossy(&bytes).replace("</body>", &format!("{RELOAD_SCRIPT}</body>"));
        bytes = html.into_bytes();
    }
    let header =
        tiny_http::Header::from_bytes("Content-Type", kind).expect("static header is valid");
    let _ = request.respond(
        tiny_http::Response::from_data(bytes)
            .with_status_code(status)
            .with_header(header),
    );
}

fn resolve(out: &Path, url: &str) -> Option<PathBuf> {
    let relative = url.trim_start_matches('/');
    if relative.split('/').any(|part| part == "..") {
        return None;
    }
    let path = out.join(relative);
    if path.is_dir() {
        let index = path.join("index.html");
        return index.is_file().then_some(index);
    }
    path.is_file().then_some(path)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}
