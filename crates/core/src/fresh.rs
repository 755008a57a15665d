//! Up to date: a build whose inputs are as the last successful build of the same output found
//! them, and whose output is as that build left it, has nothing to do, as `make` knows. It says
//! what that build said, and writes nothing.
//!
//! The inputs are every file and folder under `site.toml`, `content/`, `data/`, `themes/` and
//! `sections/`, each with its path, size, modification and status-change times (to the
//! nanosecond) and inode, so that any write to a file, even one that keeps its size and sets
//! its modification time back, makes it another input; with them, this scrutiny
//! ([`crate::cache::binary_identity`]), the base URL asked for and the day (a correction dated
//! after it is an error). The record of the last build ([`Record`]) is removed before a build
//! changes the output, and written once it has: a build that fails or is stopped half way leaves
//! none, and the next does the whole work.
//!
//! A file system keeps times to a tick (a few milliseconds on Linux, a second or two on FAT or
//! HFS+), so two writes of a file within one tick can leave it with the same times. A build
//! that began within a tick of an input's last change therefore keeps no record, and the next
//! does its work again (as git treats a file changed as its index was written: "racily clean").

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::cache::{Cache, Digest, Hasher};

/// The cache entry the record is kept in.
const ENTRY: &str = "up-to-date";

/// The folders and files of a site a build reads.
const INPUTS: [&str; 5] = ["site.toml", "content", "data", "themes", "sections"];

/// What a build of a site reads, as it stood when the build began.
#[derive(Debug, Clone, Copy)]
pub struct Inputs {
    /// The hash of it all.
    pub digest: Digest,
    /// Whether the last change of any of it was far enough before the build began to be told
    /// apart from a change during the build ([`SETTLED`], [`SETTLED_COARSE`]).
    pub settled: bool,
}

/// How long before a build began its inputs' last change must be, where times have
/// nanoseconds (the file system's tick is a few milliseconds at most).
pub const SETTLED: Duration = Duration::from_millis(100);

/// The same where no time has nanoseconds: a file system that keeps whole seconds, or two.
pub const SETTLED_COARSE: Duration = Duration::from_secs(3);

/// Everything a build of `root` for `base_url` reads; `None` when some of it cannot be read
/// (the build then runs, and says what it cannot read).
pub fn inputs(root: &Path, base_url: Option<&str>) -> Option<Inputs> {
    let began = SystemTime::now();
    let mut hasher = Hasher::new("inputs");
    hasher.part(base_url.unwrap_or("\u{0}").as_bytes());
    hasher.part(&crate::corrections::today().to_string().into_bytes());
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut coarse = true;
    for input in INPUTS {
        let path = root.join(input);
        if !path.exists() {
            hasher.part(b"absent");
            continue;
        }
        for entry in walkdir::WalkDir::new(&path).sort_by_file_name() {
            let entry = entry.ok()?;
            let metadata = entry.metadata().ok()?;
            let relative = entry.path().strip_prefix(root).ok()?;
            hasher.part(relative.as_os_str().as_encoded_bytes());
            let (stamp, changed) = stamp(&metadata);
            hasher.part(&stamp);
            newest = newest.max(changed);
            coarse &= changed
                .duration_since(SystemTime::UNIX_EPOCH)
                .is_ok_and(|d| d.subsec_nanos() == 0);
        }
    }
    let margin = if coarse { SETTLED_COARSE } else { SETTLED };
    Some(Inputs {
        digest: hasher.finish(),
        settled: newest + margin <= began,
    })
}

/// What tells a file or folder changed (its kind, size, times and inode), and when it last
/// changed.
fn stamp(metadata: &std::fs::Metadata) -> (Vec<u8>, SystemTime) {
    let kind = if metadata.is_dir() {
        0u8
    } else if metadata.is_file() {
        1
    } else {
        2
    };
    let mut stamp = vec![kind];
    stamp.extend_from_slice(&metadata.len().to_le_bytes());
    let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let since = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    stamp.extend_from_slice(&since(modified).as_nanos().to_le_bytes());
    let mut changed = modified;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let status = Duration::new(
            u64::try_from(metadata.ctime()).unwrap_or(0),
            u32::try_from(metadata.ctime_nsec()).unwrap_or(0),
        );
        stamp.extend_from_slice(&status.as_nanos().to_le_bytes());
        stamp.extend_from_slice(&metadata.ino().to_le_bytes());
        changed = changed.max(SystemTime::UNIX_EPOCH + status);
    }
    (stamp, changed)
}

/// What the last successful build of an output found and said: the hash of its inputs and its
/// summary.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// [`inputs`] as the build began.
    pub inputs: String,
    /// What it said.
    pub summary: crate::BuildSummary,
}

impl Record {
    /// The summary of the last build of the output `cache` serves, if it found `inputs`.
    pub fn find(cache: &Cache, inputs: &Inputs) -> Option<crate::BuildSummary> {
        let bytes = cache.read(ENTRY)?;
        let record: Record = serde_json::from_slice(&bytes).ok()?;
        (record.inputs == inputs.digest.to_string()).then_some(record.summary)
    }

    /// Forgets the last build's record: the output is about to change.
    pub fn forget(cache: &Cache) -> std::io::Result<()> {
        cache.remove(ENTRY)
    }

    /// Keeps the record of a build that found `inputs` and said `summary`, if they had
    /// settled when it began.
    pub fn save(cache: &Cache, inputs: &Inputs, summary: &crate::BuildSummary) {
        if !inputs.settled {
            return;
        }
        let record = Record {
            inputs: inputs.digest.to_string(),
            summary: summary.clone(),
        };
        // Without it the next build does the whole work: slower, never wrong.
        if let Ok(bytes) = serde_json::to_vec(&record) {
            let _ = cache.write(ENTRY, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_of_what_a_build_reads_is_another_input() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"A\"\n").unwrap();
        std::fs::write(root.join("content/page.md"), "abc").unwrap();
        let digest = |base: Option<&str>| inputs(root, base).unwrap().digest;
        let first = digest(None);
        assert_eq!(digest(None), first, "the same inputs hash alike");
        assert_ne!(digest(Some("/archive/")), first, "another base URL");
        std::fs::write(root.join("content/page.md"), "abd").unwrap();
        let rewritten = digest(None);
        assert_ne!(rewritten, first, "a file rewritten with as many bytes");
        std::fs::write(root.join("content/other.md"), "").unwrap();
        assert_ne!(digest(None), rewritten, "a file added");
        // Outside what a build reads (an output folder in the site, say): no change.
        let before = digest(None);
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/index.html"), "x").unwrap();
        assert_eq!(digest(None), before);
    }

    #[test]
    fn inputs_changed_as_the_build_begins_have_not_settled() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let file = root.join("site.toml");
        std::fs::write(&file, "title = \"A\"\n").unwrap();
        // Dated an hour ahead: however long the test takes, not settled.
        let ahead = SystemTime::now() + Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(ahead))
            .unwrap();
        assert!(!inputs(root, None).unwrap().settled);
        let past = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(past))
            .unwrap();
        std::thread::sleep(SETTLED + Duration::from_millis(50));
        assert!(inputs(root, None).unwrap().settled);
    }
}
