//! A build that is stopped leaves nothing behind: one killed outright leaves its staging folder,
//! which the next build of the same output removes; one stopped by SIGINT or SIGTERM removes
//! its own at once. The previous output stays as it was either way, and nothing that is not a
//! stopped build's is touched.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{scrutiny, shipped_site, snapshot, stderr};

/// The names in `dir` that a build of `public` uses besides `public` itself.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("site folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

#[test]
fn the_next_build_removes_what_a_stopped_build_left_and_nothing_else() {
    let site = shipped_site();
    let root = site.path();
    let good = scrutiny(root, &["build", "--out", "public"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = snapshot(&root.join("public"));
    // As builds stopped mid-way leave them: staging folders, with or without their lock file,
    // in this version's form and the earlier one's, and a previous output not yet removed.
    for name in [
        ".public.new-4000000001",
        ".public.new-4000000002-0",
        ".public.old-4000000003-1",
    ] {
        fs::create_dir_all(root.join(name).join("minutes")).expect("plant");
        fs::write(root.join(name).join("minutes/index.html"), "half").expect("plant");
    }
    fs::write(root.join(".public.lock-4000000002-0"), "").expect("plant");
    // Not a stopped build's: another output's, and a folder of the site's own.
    fs::create_dir_all(root.join(".docs.new-4000000001")).expect("plant");
    fs::create_dir_all(root.join(".public.notes")).expect("plant");

    // A content error: nothing is written, but what stopped builds left goes all the same.
    fs::write(root.join("content/broken.md"), "no front matter\n").expect("break");
    let failed = scrutiny(root, &["build", "--out", "public"]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert_eq!(leftovers(root), [".public.notes"]);
    assert!(root.join(".docs.new-4000000001").is_dir());
    assert_eq!(snapshot(&root.join("public")), before);

    fs::remove_file(root.join("content/broken.md")).expect("mend");
    let again = scrutiny(root, &["build", "--out", "public"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(leftovers(root), [".public.notes"]);
}

/// The shipped site with `meetings` more meetings, so that a build runs long enough to stop.
#[cfg(unix)]
fn big_site(meetings: usize) -> tempfile::TempDir {
    let site = shipped_site();
    let folder = site.path().join("content/minutes/children-osc");
    let minutes = "## 1. Apologies {#item-1}\n\nNone.\n\n## 2. Performance {#item-2}\n\nThe Committee considered the [Quarter 2 report](report:2022-23/q2).\n\nRESOLVED:\n\n2.1 That the report be noted.\n\nAction: Circulate the figures.\n";
    let mut day = 0;
    for year in 1900..2200 {
        for month in 1..=12 {
            for d in [1, 15] {
                if day == meetings {
                    return site;
                }
                let name = format!("{year}-{month:02}-{d:02}.md");
                fs::write(folder.join(name), minutes).expect("write meeting");
                day += 1;
            }
        }
    }
    site
}

/// Starts `scrutiny build` on `root` and waits until its staging folder is there.
#[cfg(unix)]
fn start_build(root: &Path) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args([
            "--root",
            root.to_str().expect("utf-8"),
            "build",
            "--out",
            "public",
        ])
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start scrutiny");
    let started = Instant::now();
    while !leftovers(root)
        .iter()
        .any(|n| n.starts_with(".public.new-"))
    {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the build ended ({status}) before it could be stopped");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    child
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_its_folder_until_the_next_build_and_a_signalled_one_removes_it() {
    let site = big_site(4000);
    let root = site.path();
    let good = scrutiny(root, &["build", "--out", "public"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = snapshot(&root.join("public"));

    // Killed outright: nothing can run, so the staging folder stays behind…
    let mut child = start_build(root);
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        leftovers(root)
            .iter()
            .any(|n| n.starts_with(".public.new-")),
        "{:?}",
        leftovers(root)
    );
    assert_eq!(snapshot(&root.join("public")), before);
    // …until the next build of the output removes it.
    let next = scrutiny(root, &["check"]);
    assert!(next.status.success(), "{}", stderr(&next));
    let next = scrutiny(root, &["build", "--out", "public"]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert_eq!(leftovers(root), Vec::<String>::new());
    let before = snapshot(&root.join("public"));

    // Stopped by Ctrl-C or a timeout: the build removes its own folder before it exits.
    for signal in ["-INT", "-TERM"] {
        let child = start_build(root);
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let output = child.wait_with_output().expect("wait");
        let report = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal}: {report}");
        assert!(report.contains("interrupted"), "{signal}: {report}");
        assert!(!report.contains("panicked"), "{signal}: {report}");
        assert_eq!(leftovers(root), Vec::<String>::new(), "{signal}");
        assert_eq!(snapshot(&root.join("public")), before, "{signal}");
    }
}
