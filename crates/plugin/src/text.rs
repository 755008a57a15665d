//! The checks that refuse the characters content may not hold ([`crate::chars`]) wherever
//! content is read: Markdown, TOML, HTML.

use crate::chars::{invisible_character, windows_1252};
use crate::diag::{FileId, Location, Problems};

/// The characters `chars::invisible_character` names are errors in `body` (at byte `offset` of
/// `file`), each at its place, by code point and name. A byte-order mark is allowed at the
/// very start of a file.
pub fn check_text(body: &str, file: FileId, offset: usize, diags: &mut Problems) {
    // Bytes that start one: C0, DEL, and the first byte of U+0080–U+009F (C2), of
    // U+2000–U+2FFF (E2) and of U+FEFF (EF).
    let maybe = |b: u8| {
        b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef)
    };
    // A branch-free pass over blocks of bytes first: almost every block has none.
    for (n, block) in body.as_bytes().chunks(64).enumerate() {
        if !block.iter().fold(false, |found, &b| found | maybe(b)) {
            continue;
        }
        for (k, _) in block.iter().enumerate().filter(|(_, b)| maybe(**b)) {
            // Each byte looked at is ASCII or the first of a character: a char boundary.
            let i = n * 64 + k;
            let Some(c) = body.get(i..).and_then(|rest| rest.chars().next()) else {
                continue;
            };
            let Some(name) = invisible_character(c) else {
                continue;
            };
            if c == '\u{feff}' && offset + i == 0 {
                continue;
            }
            // Described only if the report will show it: a file may hold millions.
            diags.error_with(
                &Location::new(file, offset + i..offset + i + c.len_utf8()),
                || invisible_error(c, name),
            );
        }
    }
}

/// Records an error at `at` for the first character `chars::invisible_character` names in `text`,
/// which a character reference or an escape made: written as a reference, it is refused as it
/// would be typed.
pub fn refuse_invisible(text: &str, at: &Location, diags: &mut Problems) {
    if let Some((c, name)) = text
        .chars()
        .find_map(|c| Some((c, invisible_character(c)?)))
    {
        diags.error(
            at,
            format!(
                "the text makes the character U+{:04X} {name} with a character reference, which readers cannot see and a web page cannot always show",
                c as u32
            ),
            "delete the reference (`&#…;`): write visible characters only",
        );
    }
}

/// The message and hint for the invisible or control character `c`, named `name`.
fn invisible_error(c: char, name: &str) -> (String, String) {
    let code = c as u32;
    let message = if c.is_control() {
        format!(
            "the text holds the control character U+{code:04X} {name}, which a web page cannot show"
        )
    } else {
        format!(
            "the text holds the invisible character U+{code:04X} {name}, which readers cannot see"
        )
    };
    let hint = match windows_1252(c) {
        Some(meant) => format!(
            "delete it, or type the `{meant}` it probably stood for: it usually comes from copying out of a PDF or a word processor"
        ),
        None => {
            "delete it: it usually comes from copying out of a PDF or a word processor".to_string()
        }
    };
    (message, hint)
}
