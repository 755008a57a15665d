//! Drafts kept out of memory between loading and composing.
//!
//! A collection drafts each file's Markdown once, while loading, but composes a page from it
//! only when the core writes that page. Between the two, thousands of drafts' HTML and text
//! would sit in memory. A [`DraftStore`] keeps them in a file the core gives it instead (an
//! unnamed file beside the build cache), or compactly in memory when there is none; a
//! [`StoredDraft`] keeps only what the links need (the slots, the pending cross-references)
//! and reads the rest back when its page is composed.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use crate::markdown::{Draft, Heading, PendingLink, SlottedHtml};

/// Where drafts wait for their pages: a file, or one buffer in memory.
pub struct DraftStore {
    backing: Mutex<Backing>,
}

enum Backing {
    /// Everything kept, one after the other, in one buffer.
    Memory(Vec<u8>),
    /// Written to a file; `len` bytes so far, some maybe still in the writer's buffer.
    File { file: BufWriter<File>, len: u64 },
    /// The file refused a draft and could not be read back: nothing can be.
    Lost,
}

/// A draft whose HTML and text are in a [`DraftStore`]: [`StoredDraft::load`] gives it back.
/// Small (32 bytes) when the draft has no slot, chart, heading or link, as most have.
#[derive(Debug, Clone, Default)]
pub struct StoredDraft {
    /// Where its HTML, then its text, start in the store.
    at: u64,
    html_len: u64,
    text_len: u64,
    /// Everything else the draft has, if it has any.
    rest: Option<Box<Rest>>,
}

/// What a [`StoredDraft`] keeps in memory beside its place in the store.
#[derive(Debug, Clone, Default)]
struct Rest {
    /// The HTML's slots, as [`SlottedHtml::slots`].
    slots: Vec<(usize, crate::markdown::Slot)>,
    /// Charts it places, as [`Draft::charts`].
    charts: Vec<(String, crate::diag::Location)>,
    /// Its headings, as [`Draft::headings`].
    headings: Vec<Heading>,
    /// Its cross-reference links, as [`Draft::links`].
    links: Vec<PendingLink>,
}

impl DraftStore {
    /// A store that keeps drafts in memory, packed one after the other.
    pub fn in_memory() -> Self {
        DraftStore {
            backing: Mutex::new(Backing::Memory(Vec::new())),
        }
    }

    /// A store that keeps drafts in `file`, empty and open for reading and writing (an
    /// unnamed temporary file: the store is its only user).
    pub fn in_file(file: File) -> Self {
        DraftStore {
            backing: Mutex::new(Backing::File {
                file: BufWriter::with_capacity(1 << 20, file),
                len: 0,
            }),
        }
    }

    /// Keeps `draft`'s HTML and text in the store. Should the file refuse them (a full disk),
    /// the store keeps them, and every draft after them, in memory.
    pub fn keep(&self, draft: Draft) -> StoredDraft {
        let mut backing = self.backing.lock().unwrap_or_else(|p| p.into_inner());
        Self::keep_in(&mut backing, draft)
    }

    /// Keeps `drafts` one after the other (the drafts of one page), so that
    /// [`DraftStore::load_all`] reads them back at once.
    pub fn keep_all(&self, drafts: Vec<Draft>) -> Vec<StoredDraft> {
        let mut backing = self.backing.lock().unwrap_or_else(|p| p.into_inner());
        drafts
            .into_iter()
            .map(|draft| Self::keep_in(&mut backing, draft))
            .collect()
    }

    /// The drafts of `stored` again, in order: one read when they were kept together.
    pub fn load_all(&self, stored: &[&StoredDraft]) -> Result<Vec<Draft>, String> {
        let together = stored
            .windows(2)
            .all(|pair| pair[0].at + pair[0].len() == pair[1].at);
        let (Some(first), Some(last), true) = (stored.first(), stored.last(), together) else {
            return stored.iter().map(|s| s.load(self)).collect();
        };
        let bytes = self
            .read(first.at, last.at + last.len() - first.at)
            .map_err(unreadable)?;
        stored
            .iter()
            .map(|s| {
                let start = usize::try_from(s.at - first.at).map_err(|_| garbled())?;
                let end = usize::try_from(s.len()).map_err(|_| garbled())? + start;
                s.rebuild(bytes.get(start..end).ok_or_else(garbled)?.to_vec())
            })
            .collect()
    }

    fn keep_in(backing: &mut Backing, draft: Draft) -> StoredDraft {
        let Draft {
            html: SlottedHtml { html, slots },
            text,
            charts,
            headings,
            links,
        } = draft;
        let at = backing.append(&html, &text);
        let empty =
            slots.is_empty() && charts.is_empty() && headings.is_empty() && links.is_empty();
        StoredDraft {
            at,
            html_len: html.len() as u64,
            text_len: text.len() as u64,
            rest: (!empty).then(|| {
                Box::new(Rest {
                    slots,
                    charts,
                    headings,
                    links,
                })
            }),
        }
    }

    /// The bytes kept at `at`, `len` long.
    fn read(&self, at: u64, len: u64) -> io::Result<Vec<u8>> {
        let len = usize::try_from(len).map_err(io::Error::other)?;
        let mut backing = self.backing.lock().unwrap_or_else(|p| p.into_inner());
        let mut bytes = vec![0; len];
        match &mut *backing {
            Backing::Memory(kept) => {
                let start = usize::try_from(at).map_err(io::Error::other)?;
                let found = kept
                    .get(start..start + len)
                    .ok_or_else(|| io::Error::other("a draft was asked for beyond the store"))?;
                bytes.copy_from_slice(found);
            }
            Backing::File { file, .. } => {
                file.flush()?;
                read_at(file.get_mut(), &mut bytes, at)?;
            }
            Backing::Lost => {
                return Err(io::Error::other(
                    "the disk refused the drafts and gave back none of them",
                ));
            }
        }
        Ok(bytes)
    }
}

impl Backing {
    /// Appends `html` then `text`, and says where they start.
    fn append(&mut self, html: &str, text: &str) -> u64 {
        match self {
            Backing::Memory(kept) => {
                let at = kept.len() as u64;
                kept.extend_from_slice(html.as_bytes());
                kept.extend_from_slice(text.as_bytes());
                at
            }
            Backing::File { file, len } => {
                let at = *len;
                let written = file
                    .write_all(html.as_bytes())
                    .and_then(|()| file.write_all(text.as_bytes()));
                match written {
                    Ok(()) => {
                        *len += (html.len() + text.len()) as u64;
                        at
                    }
                    Err(_) => self.move_to_memory(html, text),
                }
            }
            Backing::Lost => 0,
        }
    }

    /// Moves the drafts kept so far (the first `len` bytes of what the file and the writer's
    /// buffer hold) into memory, then appends `html` and `text` there; when the file cannot be
    /// read back either, every draft is lost and each read says so. The buffer may also hold
    /// the start of the draft the file refused: only the bytes up to `len` are kept.
    fn move_to_memory(&mut self, html: &str, text: &str) -> u64 {
        let Backing::File { file, len } = self else {
            return self.append(html, text);
        };
        let len = *len;
        let pending = file.buffer().to_vec();
        let inner = file.get_mut();
        // The file is written from its start, so its position is how much of it holds drafts.
        let kept = inner.stream_position().ok().and_then(|written| {
            let from_disk = written.min(len);
            let from_buffer = usize::try_from(len - from_disk).ok()?;
            let mut kept = Vec::new();
            inner.seek(SeekFrom::Start(0)).ok()?;
            inner.take(from_disk).read_to_end(&mut kept).ok()?;
            let whole = kept.len() as u64 == from_disk;
            kept.extend_from_slice(pending.get(..from_buffer)?);
            whole.then_some(kept)
        });
        match kept {
            Some(kept) => {
                *self = Backing::Memory(kept);
                self.append(html, text)
            }
            None => {
                *self = Backing::Lost;
                0
            }
        }
    }
}

impl StoredDraft {
    /// Its cross-reference links, as [`Draft::links`].
    pub fn links(&self) -> &[PendingLink] {
        self.rest.as_ref().map_or(&[], |rest| &rest.links)
    }

    /// How many bytes it takes in the store.
    fn len(&self) -> u64 {
        self.html_len + self.text_len
    }

    /// The draft again, its HTML and text read back from `store`. An error is a file system
    /// problem with the store's file.
    pub fn load(&self, store: &DraftStore) -> Result<Draft, String> {
        let bytes = store.read(self.at, self.len()).map_err(unreadable)?;
        self.rebuild(bytes)
    }

    /// The draft from its HTML and text, `bytes`, read back.
    fn rebuild(&self, bytes: Vec<u8>) -> Result<Draft, String> {
        let mut html = String::from_utf8(bytes).map_err(|_| garbled())?;
        let html_len = usize::try_from(self.html_len).map_err(|_| garbled())?;
        if !html.is_char_boundary(html_len) {
            return Err(garbled());
        }
        let text = html.split_off(html_len);
        let rest = self.rest.as_deref().cloned().unwrap_or_default();
        Ok(Draft {
            html: SlottedHtml {
                html,
                slots: rest.slots,
            },
            text,
            charts: rest.charts,
            headings: rest.headings,
            links: rest.links,
        })
    }
}

fn unreadable(why: io::Error) -> String {
    format!("could not read a draft back from the build's store: {why}")
}

fn garbled() -> String {
    "a draft read back from the build's store is garbled".to_string()
}

/// Reads `bytes.len()` bytes of `file` from `at`: one system call where it can.
#[cfg(unix)]
fn read_at(file: &mut File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(not(unix))]
fn read_at(file: &mut File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(bytes)?;
    file.seek(SeekFrom::End(0)).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(html: &str, text: &str) -> Draft {
        Draft {
            html: SlottedHtml {
                html: html.to_string(),
                slots: Vec::new(),
            },
            text: text.to_string(),
            ..Draft::default()
        }
    }

    fn round_trip(store: &DraftStore) {
        let drafts = [
            draft("<p>One</p>", "One"),
            draft("", ""),
            draft("<p>Thrée</p>\n", "Thrée"),
        ];
        let stored: Vec<StoredDraft> = drafts.iter().map(|d| store.keep(d.clone())).collect();
        // Read back in another order than kept, with more kept in between.
        for (d, s) in drafts.iter().zip(&stored).rev() {
            let back = s.load(store).unwrap();
            assert_eq!(
                (back.html.html, back.text),
                (d.html.html.clone(), d.text.clone())
            );
            store.keep(draft("<p>more</p>", "more"));
        }
    }

    #[test]
    fn drafts_kept_together_come_back_at_once_and_apart_one_by_one() {
        let file = tempfile::tempfile().unwrap();
        let store = DraftStore::in_file(file);
        let page = vec![
            draft("<p>a</p>", "a"),
            draft("", ""),
            draft("<p>ç</p>", "ç"),
        ];
        let stored = store.keep_all(page.clone());
        let other = store.keep(draft("<p>other</p>", "other"));
        let texts = |drafts: Vec<Draft>| -> Vec<String> {
            drafts.into_iter().map(|d| d.html.html + &d.text).collect()
        };
        let together: Vec<&StoredDraft> = stored.iter().collect();
        assert_eq!(texts(store.load_all(&together).unwrap()), texts(page));
        let apart = [&stored[2], &other, &stored[0]];
        assert_eq!(
            texts(store.load_all(&apart).unwrap()),
            ["<p>ç</p>ç", "<p>other</p>other", "<p>a</p>a"]
        );
        assert!(store.load_all(&[]).unwrap().is_empty());
    }

    #[test]
    fn drafts_come_back_as_kept_from_memory() {
        round_trip(&DraftStore::in_memory());
    }

    #[test]
    fn drafts_come_back_as_kept_from_a_file() {
        let file = tempfile::tempfile().unwrap();
        round_trip(&DraftStore::in_file(file));
    }

    #[test]
    fn a_file_that_refuses_drafts_hands_them_move_to_memory() {
        // A file opened only for reading refuses every write, as a full disk would.
        let path = tempfile::NamedTempFile::new().unwrap();
        let store = DraftStore::in_file(File::open(path.path()).unwrap());
        let big = "x".repeat(2 << 20);
        let first = store.keep(draft(&big, "first"));
        let second = store.keep(draft("<p>2</p>", "second"));
        assert_eq!(first.load(&store).unwrap().text, "first");
        assert_eq!(second.load(&store).unwrap().html.html, "<p>2</p>");
    }

    #[test]
    fn a_draft_refused_halfway_leaves_the_drafts_before_it_as_they_were() {
        // The first draft waits in the writer's buffer; the second's HTML joins it there, and
        // its text, too big for the buffer, makes the writer flush, which the file refuses.
        let path = tempfile::NamedTempFile::new().unwrap();
        let store = DraftStore::in_file(File::open(path.path()).unwrap());
        let first = store.keep(draft("<p>a</p>", "a"));
        let big = "x".repeat(2 << 20);
        let second = store.keep(draft("<p>x</p>", &big));
        let third = store.keep(draft("<p>3</p>", "3"));
        let back = |s: &StoredDraft| {
            let d = s.load(&store).unwrap();
            (d.html.html, d.text)
        };
        assert_eq!(back(&first), ("<p>a</p>".to_string(), "a".to_string()));
        assert_eq!(back(&second), ("<p>x</p>".to_string(), big.clone()));
        assert_eq!(back(&third), ("<p>3</p>".to_string(), "3".to_string()));
    }
}
