//! End-to-end: a disk that fills up during a build. The files of a build are written beside the
//! output before any of it changes, so a full disk stops the build with an error (exit 1) and
//! leaves the output exactly as it was, with nothing of the failed build beside it; once there
//! is room again, the next build is a good one.
//!
//! It needs a small file system of its own: a 6 MB tmpfs, which only root can mount. Where it
//! cannot be mounted, the test says so and passes without running.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, names, repo, scrutiny, snapshot, stderr};

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mounted(PathBuf);

impl Mounted {
    fn try_new(at: &Path) -> Option<Mounted> {
        fs::create_dir_all(at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=6m", "tmpfs"])
            .arg(at)
            .output()
            .ok()?;
        mounted.status.success().then(|| Mounted(at.to_path_buf()))
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The free bytes of the file system `at` is on, as `df` tells them.
fn free_bytes(at: &Path) -> u64 {
    let output = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(at)
        .output()
        .expect("run df");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .nth(1)
        .and_then(|line| line.trim().parse().ok())
        .expect("df gives the free bytes")
}

#[test]
fn a_full_disk_stops_the_build_and_leaves_the_output_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(disk) = Mounted::try_new(&dir.path().join("disk")) else {
        eprintln!("skipped: a small tmpfs cannot be mounted here (it needs root)");
        return;
    };
    // The site on the small disk, its output beside it.
    let root = disk.0.join("site");
    fs::create_dir_all(&root).expect("site folder");
    fs::copy(repo().join("site.toml"), root.join("site.toml")).expect("site.toml");
    for folder in ["content", "data", "themes"] {
        copy_tree(&repo().join(folder), &root.join(folder));
    }
    let built = scrutiny(&root, &["build", "--out", "public"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = snapshot(&root.join("public"));
    let beside = names(&root);

    // A theme change rewrites every page; the disk is filled to leave room for a few only.
    let base = root.join("themes/default/templates/base.html");
    let template = fs::read_to_string(&base).expect("base.html");
    fs::write(
        &base,
        template.replace("</body>", "<!-- changed -->\n</body>"),
    )
    .expect("edit");
    let room = 64 * 1024;
    let filler = disk.0.join("filler");
    let fill = free_bytes(&disk.0).saturating_sub(room);
    fs::write(&filler, vec![0u8; usize::try_from(fill).expect("size")]).expect("fill the disk");

    let failed = scrutiny(&root, &["build", "--out", "public"]);
    let message = stderr(&failed);
    assert_eq!(failed.status.code(), Some(1), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(
        message.contains("No space left on device") && message.contains("was left as it was"),
        "{message}"
    );
    assert_eq!(snapshot(&root.join("public")), before, "the output changed");
    assert_eq!(
        names(&root),
        beside,
        "the failed build left something beside the output"
    );

    fs::remove_file(&filler).expect("make room");
    let rebuilt = scrutiny(&root, &["build", "--out", "public"]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(
        fs::read_to_string(root.join("public/index.html"))
            .expect("the home page")
            .contains("<!-- changed -->")
    );
}
