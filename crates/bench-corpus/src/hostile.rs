//! Hostile inputs at a chosen size: the shipped site with one file replaced by something an
//! outside test (or our own fuzzing) found slow: a meeting with a million resolutions, a 50 MB
//! line of broken references, a data file with a line of garbage in a string… Timing `scrutiny
//! check` on each at two or three sizes shows whether its cost grows linearly
//! (`tests/bench/hostile.sh`).

use std::fs;
use std::io;
use std::path::Path;

use crate::rng::Rng;
use crate::sites;

/// A hostile input: its name, what it is, the file of the site it replaces, and how it is made.
pub struct Case {
    /// Its name on the command line.
    pub name: &'static str,
    /// What it is, in a few words.
    pub about: &'static str,
    /// The file of the site it writes.
    pub file: &'static str,
    /// Builds the file's content of about `bytes` bytes from the shipped file (empty when there
    /// is none); returns the content and how many times its unit is repeated.
    build: fn(&str, usize, &mut Rng) -> (String, usize),
}

const MEETING: &str = "content/minutes/children-osc/2023-01-19.md";

/// `unit` repeated after `head` until the whole is about `bytes` long, then `tail`.
fn repeat(head: &str, unit: &str, tail: &str, bytes: usize) -> (String, usize) {
    let times = (bytes.saturating_sub(head.len() + tail.len()) / unit.len().max(1)).max(1);
    let mut out = String::with_capacity(head.len() + unit.len() * times + tail.len());
    out.push_str(head);
    for _ in 0..times {
        out.push_str(unit);
    }
    out.push_str(tail);
    (out, times)
}

/// Every hostile input.
pub const CASES: &[Case] = &[
    Case {
        name: "resolutions",
        about: "one agenda item with as many unnumbered resolutions as fit (the outside test: 100,000 took 66 s)",
        file: MEETING,
        build: |_, bytes, _| {
            repeat(
                "## 1. Item {#item-1}\n\nRESOLVED:\n\n",
                "- That the report be noted.\n",
                "",
                bytes,
            )
        },
    },
    Case {
        name: "numbered-resolutions",
        about: "one agenda item of numbered resolution paragraphs, all numbered 1.1 (each a duplicate-number error)",
        file: MEETING,
        build: |_, bytes, _| {
            repeat(
                "## 1. Item {#item-1}\n\nRESOLVED:\n\n",
                "1.1 That the report be noted.\n\n",
                "",
                bytes,
            )
        },
    },
    Case {
        name: "reference-line",
        about: "one line of broken `indicator:` references (the outside test: 10 MB took 32 s and printed 28 MiB)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n", "See [x](indicator:nope) ", "\n", bytes),
    },
    Case {
        name: "long-reference",
        about: "one `indicator:` reference as long as the file",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\nSee [x](indicator:", "a", ").\n", bytes),
    },
    Case {
        name: "braces-and-code",
        about: "a paragraph of code spans and unclosed attribute blocks (the outside test: 200,000 took 56 s)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n", "`a` {owner= ", "\n", bytes),
    },
    Case {
        name: "toml-garbage",
        about: "a data file whose `note` string holds one line of random garbage (the outside test: 320 KB ran past 60 s)",
        file: "data/2022-23/q2/mash.toml",
        build: |shipped, bytes, rng| {
            const GARBAGE: &[char] = &[
                'a', 'b', 'c', 'x', 'y', ' ', '"', '\\', '{', '}', '[', ']', '=', ',', '#', '\'',
                '\t', '\u{1}', '\u{7f}', '\u{200b}', 'é', '0', '1', 'u',
            ];
            let mut garbage = String::with_capacity(bytes);
            let mut count = 0;
            while garbage.len() < bytes {
                garbage.push(rng.pick(GARBAGE));
                count += 1;
            }
            let content = match shipped.find("note = \"") {
                Some(at) => {
                    let at = at + "note = \"".len();
                    format!("{}{garbage}{}", &shipped[..at], &shipped[at..])
                }
                None => format!("{shipped}\n[x]\nnote = \"{garbage}\"\n"),
            };
            (content, count)
        },
    },
    Case {
        name: "toml-tables",
        about: "a data file of tables that name no indicator (each an error with suggestions)",
        file: "data/2022-23/q2/mash.toml",
        build: |shipped, bytes, _| repeat(shipped, "\n[no-such-indicator]\nvalue = 1\n", "", bytes),
    },
    Case {
        name: "headings",
        about: "headings of one name inside an agenda item (each new anchor tried every number before it)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n", "### Same\n\n", "", bytes),
    },
    Case {
        name: "updates",
        about: "updates of actions that do not exist (each looked through every link and update of the meeting)",
        file: MEETING,
        build: |_, bytes, _| {
            repeat(
                "## 1. Item\n\n",
                "Action update: [x](action:nope) done. {status=\"done\"}\n\n",
                "",
                bytes,
            )
        },
    },
    Case {
        name: "html-blocks",
        about: "<script> blocks ended by </SCRIPT> (the file was parsed again for each)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n", "<script>\nx\n</SCRIPT>\n\n", "", bytes),
    },
    Case {
        name: "html-comments",
        about: "comments on one line of an HTML block (each looked for `--!>` to the end)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n<div>\n", "<!-- c -->", "\n</div>\n", bytes),
    },
    Case {
        name: "open-elements",
        about: "<sup> left open, then end tags that close nothing (each looked through all that is open)",
        file: MEETING,
        build: |_, bytes, _| {
            let (open, times) = repeat("## 1. Item\n\n", "<sup>", "", bytes / 2);
            let (close, _) = repeat("", "</abbr>", "\n", bytes / 2);
            (open + &close, times)
        },
    },
    Case {
        name: "invisible",
        about: "prose with a zero-width space in every word (each an error)",
        file: MEETING,
        build: |_, bytes, _| repeat("## 1. Item\n\n", "word\u{200b} ", "\n", bytes),
    },
];

/// Writes the shipped site (from `site`) into `out` with the case's file replaced, about
/// `bytes` bytes long. Returns the bytes written and how many times the case's unit repeats.
pub fn write(
    case: &Case,
    bytes: usize,
    seed: u64,
    site: &Path,
    out: &Path,
) -> io::Result<(usize, usize)> {
    sites::prepare(out)?;
    fs::copy(site.join("site.toml"), out.join("site.toml"))?;
    for folder in ["content", "data", "themes"] {
        sites::copy_dir(&site.join(folder), &out.join(folder))?;
    }
    let target = out.join(case.file);
    let shipped = fs::read_to_string(&target).unwrap_or_default();
    let (content, units) = (case.build)(&shipped, bytes, &mut Rng::new(seed));
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&target, &content)?;
    Ok((content.len(), units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_case_is_about_the_size_asked_for() {
        let shipped = "[contacts]\nvalue = 1\nnote = \"x\"\n";
        for case in CASES {
            let (content, units) = (case.build)(shipped, 10_000, &mut Rng::new(1));
            assert!(
                (9_000..=11_000).contains(&content.len()),
                "{}: {} bytes",
                case.name,
                content.len()
            );
            assert!(units > 1, "{}", case.name);
        }
    }
}
