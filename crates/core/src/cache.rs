//! The build cache: what a build of one output folder keeps for the next, so that what is
//! costly to make again (the search index) and what it wrote (the output's manifest) need not
//! be made or written again when their inputs have not changed.
//!
//! It lives beside the output, in `<parent>/.scrutiny-cache/<output name>/`: never inside the
//! published site, and safe to delete at any time (the next build then does all the work and
//! writes every file). Each entry is keyed on content hashes ([`Digest`]) and on this binary
//! ([`binary_identity`]), so a change of content, template, `site.toml` or scrutiny itself
//! invalidates what it affects. Entries are written to a temporary file and renamed into place,
//! so a build that stops half way leaves the previous entry or none, never a part of one.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder, beside an output folder, that holds the caches of its builds.
pub const FOLDER: &str = ".scrutiny-cache";

/// A content hash: BLAKE3, 256 bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest([u8; 32]);

impl Digest {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(*blake3::hash(bytes).as_bytes())
    }

    /// Reads the 64 hexadecimal digits [`Digest`]'s `Display` writes.
    pub fn parse(hex: &str) -> Option<Digest> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
            let digit = |c: u8| (c as char).to_digit(16);
            *byte = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
        }
        Some(Digest(bytes))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

/// A hash made of many parts, in order: each part is length-prefixed, so `("ab", "c")` and
/// `("a", "bc")` differ. The parts are gathered and hashed at once: BLAKE3 hashes a long input
/// several chunks at a time, and many small updates one block at a time, several times slower.
pub struct Hasher(Vec<u8>);

impl Hasher {
    /// A hasher that starts with this binary's identity: what it hashes is trusted only by
    /// the scrutiny that made it.
    pub fn new(kind: &str) -> Hasher {
        let mut hasher = Hasher(Vec::with_capacity(4096));
        hasher.part(binary_identity().as_bytes());
        hasher.part(kind.as_bytes());
        hasher
    }

    /// Adds one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    /// The hash of the parts so far.
    pub fn finish(&self) -> Digest {
        Digest::of(&self.0)
    }
}

/// What identifies this scrutiny: its version, and the size and modification time of its
/// executable, so that a scrutiny built from other code (a new release, or a developer's
/// rebuild) does not trust what another left in the cache.
pub fn binary_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let executable = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{} {modified}", m.len())
            })
            .unwrap_or_else(|_| "unknown executable".to_string());
        format!("scrutiny {} {executable}", env!("CARGO_PKG_VERSION"))
    })
}

/// The cache of one output folder's builds.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of builds into `out`: `<parent>/.scrutiny-cache/<name>/`.
    pub fn beside(out: &Path) -> Cache {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        Cache {
            dir: parent.join(FOLDER).join(name),
        }
    }

    /// The folder the entries are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry `name`, if there is one that can be read.
    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        fs::read(self.dir.join(name)).ok()
    }

    /// Writes the entry `name`: to a temporary file first, renamed into place.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let temporary = self
            .dir
            .join(format!(".{name}.{}.partial", std::process::id()));
        fs::write(&temporary, bytes)?;
        fs::rename(&temporary, self.dir.join(name)).inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
    }

    /// Removes the entry `name`, if there is one.
    pub fn remove(&self, name: &str) -> io::Result<()> {
        match fs::remove_file(self.dir.join(name)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Files packed into one cache entry: how many (8 bytes, little-endian), then each as its
/// path's length (4 bytes), the path, its length (8 bytes) and its bytes.
pub fn pack(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let size = files
        .iter()
        .map(|(p, b)| 12 + p.len() + b.len())
        .sum::<usize>()
        + 8;
    let mut packed = Vec::with_capacity(size);
    packed.extend_from_slice(&(files.len() as u64).to_le_bytes());
    for (path, bytes) in files {
        packed.extend_from_slice(&(path.len() as u32).to_le_bytes());
        packed.extend_from_slice(path.as_bytes());
        packed.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        packed.extend_from_slice(bytes);
    }
    packed
}

/// The files [`pack`] packed; `None` if `packed` is not such a pack.
pub fn unpack(mut packed: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        *rest = tail;
        Some(head)
    }
    let count = u64::from_le_bytes(take(&mut packed, 8)?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..count {
        let length = u32::from_le_bytes(take(&mut packed, 4)?.try_into().ok()?);
        let path = std::str::from_utf8(take(&mut packed, usize::try_from(length).ok()?)?).ok()?;
        let size = u64::from_le_bytes(take(&mut packed, 8)?.try_into().ok()?);
        let bytes = take(&mut packed, usize::try_from(size).ok()?)?;
        files.push((path.to_string(), bytes.to_vec()));
    }
    packed.is_empty().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_reads_back_what_it_writes_and_nothing_else() {
        let digest = Digest::of(b"page");
        assert_eq!(Digest::parse(&digest.to_string()), Some(digest));
        assert_ne!(Digest::of(b"page"), Digest::of(b"Page"));
        for bad in ["", "00", &"g".repeat(64), &"0".repeat(63), &"0".repeat(65)] {
            assert_eq!(Digest::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn parts_are_kept_apart() {
        let hash = |parts: &[&str]| {
            let mut hasher = Hasher::new("test");
            for part in parts {
                hasher.part(part.as_bytes());
            }
            hasher.finish()
        };
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_eq!(hash(&["ab", "c"]), hash(&["ab", "c"]));
        assert_ne!(Hasher::new("a").finish(), Hasher::new("b").finish());
    }

    #[test]
    fn packs_unpack_and_anything_else_does_not() {
        let files = vec![
            ("pagefind/a.pf_fragment".to_string(), vec![0, 1, 2]),
            ("pagefind/empty".to_string(), Vec::new()),
        ];
        let packed = pack(&files);
        assert_eq!(unpack(&packed), Some(files));
        assert_eq!(unpack(&pack(&[])), Some(Vec::new()));
        assert_eq!(unpack(&[packed.as_slice(), b"x"].concat()), None);
        for cut in 0..packed.len() {
            assert_eq!(unpack(&packed[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn entries_are_beside_the_output_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::beside(&dir.path().join("public"));
        assert_eq!(cache.dir(), dir.path().join(".scrutiny-cache/public"));
        assert_eq!(cache.read("manifest"), None);
        cache.write("manifest", b"one").unwrap();
        cache.write("manifest", b"two").unwrap();
        assert_eq!(cache.read("manifest").as_deref(), Some(&b"two"[..]));
        let names: Vec<_> = fs::read_dir(cache.dir()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        cache.remove("manifest").unwrap();
        cache.remove("manifest").unwrap();
        assert_eq!(cache.read("manifest"), None);
    }
}
