//! `scrutiny serve`: serves the built site on 127.0.0.1, answers unknown paths with the 404
//! page, and rebuilds when a source file changes.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::shipped_site;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A plain HTTP/1.0 GET: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

fn wait_for(mut check: impl FnMut() -> bool, what: &str) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_the_site_and_rebuilds_on_change() {
    let site = shipped_site();
    let port = free_port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args([
                "--root",
                site.path().to_str().expect("utf-8"),
                "serve",
                "--port",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve"),
    );
    wait_for(
        || get(port, "/").is_some_and(|(s, _)| s == 200),
        "the server",
    );
    let (_, home) = get(port, "/").expect("home");
    assert!(home.contains("Figures from the latest report"));
    assert!(
        home.contains("/__scrutiny/version"),
        "pages reload themselves while serving"
    );
    let (status, page) = get(port, "/no/such/page/").expect("404");
    assert_eq!(status, 404);
    assert!(page.contains("Page not found"));
    assert_eq!(get(port, "/reports/2022-23/q2/").expect("report").0, 200);
    assert_eq!(get(port, "/../site.toml").expect("outside").0, 404);

    let (_, before) = get(port, "/__scrutiny/version").expect("version");
    let page = site.path().join("content/accessibility-test.md");
    std::fs::write(
        &page,
        "+++\ntitle = \"Served page\"\n+++\n\nWritten while serving.\n",
    )
    .expect("write");
    wait_for(
        || {
            get(port, "/accessibility-test/")
                .is_some_and(|(s, b)| s == 200 && b.contains("Written while serving"))
        },
        "the rebuild",
    );
    // The version changes once the rebuild is done, so open pages reload.
    wait_for(
        || get(port, "/__scrutiny/version").is_some_and(|(_, v)| v != before),
        "the version to change",
    );
    assert!(
        !std::fs::read_to_string(site.path().join("public/accessibility-test/index.html"))
            .expect("built")
            .contains("__scrutiny"),
        "built files are never changed"
    );
}
