//! Seeded random edits of content, for fuzzing the readers: the one generator and the one set
//! of edits every randomised test uses, so that a failure found anywhere repeats from its seed.
//!
//! [`mutate`] applies a few random byte, line and token edits to a file's bytes (the shipped
//! site's, say); [`TOKENS`] holds the syntax of every format the site reads (TOML, front
//! matter, Markdown, raw HTML, the minutes' keywords, attribute blocks, cross-references) and
//! the characters content must not hold, so edits reach past the first parse error.

/// SplitMix64: fast, well mixed, and the same sequence everywhere for the same seed.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // The modulo bias is negligible for the small `n` used here.
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high` (`low` when `high` is below it).
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True with probability `numerator / denominator`.
    pub fn chance(&mut self, numerator: usize, denominator: usize) -> bool {
        self.below(denominator) < numerator
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Pieces of the syntax the site reads, inserted by [`mutate`] so that random edits make
/// near-valid input as well as noise.
pub const TOKENS: &[&str] = &[
    // TOML and front matter
    "+++",
    "+++\n",
    "---\n",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    " = ",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\\",
    "\\u200B",
    "\\u202E",
    "\\U0010FFFF",
    "\\x",
    "#",
    ",",
    ".",
    "value = ",
    "value = 140",
    "value = -1",
    "value = 1e400",
    "value = nan",
    "value = inf",
    "period = \"2022-23 Q1\"",
    "period = \"2023-+1-19\"",
    "basis = \"2021-22\"",
    "part = 300",
    "whole = 0",
    "at_least = true",
    "approximate = false",
    "source = { document = \"x\", paragraph = \"\" }",
    "comparators.england = { value = 1, basis = \"2021-22\" }",
    "date = 2023-01-19",
    "date = 2023-01-19T10:00:00+01:00",
    "date = 1979-05-27T07:32:00Z",
    "title = \"\"",
    "status = \"approved\"",
    "status = \"drafted\"",
    "theme = \"../../etc\"",
    "base_url = \"//x/\"",
    "link = \"report:2022-23/q2\"",
    "meeting = \"meeting:children-osc/2022-11-17#item-7\"",
    "[minutes.committees]",
    "[[comparators]]",
    "[[corrections]]",
    "true",
    "2022-23",
    "q2",
    // Markdown
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "    ",
    " ",
    "## ",
    "### ",
    "# ",
    "#### Resolved\n",
    "{#item-1}",
    "{#main}",
    "{#action-x}",
    "{.class}",
    "{onclick=x}",
    "> ",
    "- ",
    "1. ",
    "* ",
    "| a | b |\n|---|---|\n",
    "|",
    "`",
    "```\n",
    "~~~",
    "**",
    "*",
    "_",
    "~~",
    "![",
    "](",
    ")",
    "[x]: /y\n",
    "[^1]",
    "[^1]: note\n",
    "&#",
    "&amp;",
    "&#x0;",
    "\\\n",
    // Raw HTML
    "<",
    ">",
    "</",
    "/>",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!",
    "<?",
    "<br>",
    "<sup>",
    "</sup>",
    "<sub>",
    "<abbr title=\"x\">",
    "</abbr>",
    "<script>",
    "</SCRIPT>",
    "<pre>",
    "</PRE>",
    "abbr",
    "sup",
    "sub",
    "br",
    "script",
    "SCRIPT",
    "title",
    "onclick",
    "x",
    "<img src=x onerror=alert(1)>",
    "<svg onload=x>",
    "javascript:alert(1)",
    "data:text/html,x",
    "<abbr title='",
    "'>",
    "&colon;",
    "&#x6a;",
    "&#1;",
    "<https://x.org/\">",
    "mailto:",
    // Minutes
    "RESOLVED:",
    "RESOLVED",
    "**RESOLVED:**",
    "Resolved:",
    "Action:",
    "ACTION:",
    "Action update:",
    "1.1 ",
    "(a) ",
    "(iv) ",
    "2) ",
    "A. ",
    "{owner=\"Janet Simon\" due=2023-03-01 id=\"x\"}",
    "{status=\"done\"}",
    "{status=\"finished\"}",
    "{id=\"uasc-transfers-2023\"}",
    "{due=2023-02-30}",
    "owner=",
    "\u{201c}",
    "\u{201d}",
    // Cross-references
    "report:2022-23/q2",
    "report:2022-23/q2#cla",
    "report:2022-23/q9",
    "indicator:",
    "indicator:cla-count",
    "indicator:nope",
    "meeting:children-osc/2022-11-17",
    "meeting:children-osc/2022-11-17#item-7",
    "action:",
    "action:uasc-transfers-2023",
    "chart:",
    "REPORT:",
    "indic%61tor:",
    "/minutes/",
    "/nowhere/",
    "https://example.org/",
    // Characters content must not hold, and ones it may
    "\u{0}",
    "\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{92}",
    "\u{200b}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\u{a0}",
    "\u{ad}",
    "\u{301}",
    "\u{fffd}",
    "é",
    "’",
    "—",
    "😀",
];

/// Bytes worth setting one byte to: syntax, line breaks, controls, and UTF-8 lead and
/// continuation bytes that make a file invalid.
const BYTES: &[u8] =
    b"\0\x01\x7f\xff\xfe\xc2\xe2\xef\x80\xbf\n\r\t \"'\\{}[]<>`*_#=:+-|!()&;/.,0123456789aZ";

/// Random edits of `input`: one to eight of them, each a byte, line or token edit, the result
/// at most `max_len` bytes. Deterministic for a given generator state. The result may be any
/// bytes, UTF-8 or not: the readers must take anything.
pub fn mutate(rng: &mut Rng, input: &[u8], max_len: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.between(1, 8) {
        edit(rng, &mut out, max_len);
        out.truncate(max_len);
    }
    out
}

/// One random edit of `text`.
fn edit(rng: &mut Rng, text: &mut Vec<u8>, max_len: usize) {
    let len = text.len();
    let at = rng.below(len + 1);
    match rng.below(16) {
        // A byte set to any value, or to one that means something.
        0 if len > 0 => text[at.min(len - 1)] = rng.next_u64() as u8,
        1 if len > 0 => text[at.min(len - 1)] = rng.pick(BYTES),
        // Bytes inserted, or a range deleted.
        2 => {
            let bytes: Vec<u8> = (0..rng.between(1, 8)).map(|_| rng.pick(BYTES)).collect();
            text.splice(at..at, bytes);
        }
        3 => {
            let end = (at + rng.between(1, 64)).min(len);
            text.drain(at..end);
        }
        // A token anywhere, or at the start of a line.
        4 | 5 => {
            let token = rng.pick(TOKENS).as_bytes();
            text.splice(at..at, token.iter().copied());
        }
        6 => {
            let token = rng.pick(TOKENS).as_bytes();
            let start = line_start(text, at);
            text.splice(start..start, token.iter().copied());
        }
        // A line repeated, deleted or moved.
        7 => {
            let line = line_at(text, at);
            let copy = text[line.clone()].to_vec();
            text.splice(line.end..line.end, copy);
        }
        8 => {
            let line = line_at(text, at);
            text.drain(line);
        }
        9 => {
            let line = line_at(text, at);
            let moved: Vec<u8> = text.drain(line).collect();
            let to = line_start(text, rng.below(text.len() + 1));
            text.splice(to..to, moved);
        }
        // A piece of the text copied elsewhere.
        10 => {
            let end = (at + rng.between(1, 256)).min(len);
            let piece = text[at..end].to_vec();
            let to = rng.below(text.len() + 1);
            text.splice(to..to, piece);
        }
        // A piece repeated many times: what makes slow paths show.
        11 | 12 => {
            let end = (at + rng.between(1, 48)).min(len);
            let piece = if end > at {
                text[at..end].to_vec()
            } else {
                rng.pick(TOKENS).as_bytes().to_vec()
            };
            // As many times as fit, at most: 2 to 4, …, 2,048 to 4,096 times, or more when the
            // text may grow further (a 64th of `max_len`), each scale as likely.
            let room = max_len.saturating_sub(text.len()) / piece.len().max(1);
            let most = (max_len / 64).max(4096);
            let scale = rng.between(1, usize::BITS as usize - most.leading_zeros() as usize - 1);
            let times = rng.between(1 << scale, 2 << scale).min(most).min(room);
            let repeated: Vec<u8> = piece
                .iter()
                .copied()
                .cycle()
                .take(piece.len() * times)
                .collect();
            text.splice(end..end, repeated);
        }
        // A word replaced by a token.
        13 => {
            let word = word_at(text, at);
            let token = rng.pick(TOKENS).as_bytes();
            text.splice(word, token.iter().copied());
        }
        // The text cut short.
        14 => text.truncate(at),
        // A run of tokens.
        _ => {
            let mut run = Vec::new();
            for _ in 0..rng.between(2, 24) {
                run.extend_from_slice(rng.pick(TOKENS).as_bytes());
            }
            text.splice(at..at, run);
        }
    }
}

/// Where the line holding byte `at` starts.
fn line_start(text: &[u8], at: usize) -> usize {
    text[..at.min(text.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// The line holding byte `at`, with its line break.
fn line_at(text: &[u8], at: usize) -> std::ops::Range<usize> {
    let start = line_start(text, at);
    let end = text[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |p| start + p + 1);
    start..end
}

/// The run of ASCII letters, digits and hyphens around byte `at` (empty between two).
fn word_at(text: &[u8], at: usize) -> std::ops::Range<usize> {
    let at = at.min(text.len());
    let part = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-';
    let start = text[..at]
        .iter()
        .rposition(|b| !part(b))
        .map_or(0, |p| p + 1);
    let end = text[at..]
        .iter()
        .position(|b| !part(b))
        .map_or(text.len(), |p| at + p);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_edits() {
        let text = b"[a]\nvalue = 1\n\n## Item\n\nRESOLVED:\n\n1.1 That.\n";
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| mutate(&mut rng, text, 4096))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        assert!(run(7).iter().all(|m| m.len() <= 4096));
        assert!(run(7).iter().any(|m| m.as_slice() != text));
    }

    #[test]
    fn edits_of_nothing_are_fine() {
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            let _ = mutate(&mut rng, b"", 64);
        }
    }
}
