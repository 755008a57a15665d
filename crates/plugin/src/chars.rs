//! The characters content may not hold, named for the error that refuses them, and how a
//! message shows a name that holds one.

/// The name of a character content may not hold, if `c` is one: the C0 and C1 controls (but
/// tab, line feed and carriage return) and DEL, which HTML cannot show, and the zero-width and
/// direction characters and byte-order marks, which readers cannot see but which hide, join or
/// reorder the words around them. No-break space and soft hyphen are allowed.
pub(crate) fn invisible_character(c: char) -> Option<&'static str> {
    let code = c as u32;
    INVISIBLE
        .binary_search_by_key(&code, |&(listed, _)| listed)
        .ok()
        .map(|k| INVISIBLE[k].1)
}

/// The characters content may not hold, by code point, sorted, each with its Unicode name: the
/// C0 controls but tab, line feed and carriage return, DEL, the C1 controls, the zero-width and
/// direction characters and the byte-order mark.
const INVISIBLE: [(u32, &str); 82] = [
    (0x0000, "NULL"),
    (0x0001, "START OF HEADING"),
    (0x0002, "START OF TEXT"),
    (0x0003, "END OF TEXT"),
    (0x0004, "END OF TRANSMISSION"),
    (0x0005, "ENQUIRY"),
    (0x0006, "ACKNOWLEDGE"),
    (0x0007, "BELL"),
    (0x0008, "BACKSPACE"),
    (0x000b, "LINE TABULATION"),
    (0x000c, "FORM FEED"),
    (0x000e, "SHIFT OUT"),
    (0x000f, "SHIFT IN"),
    (0x0010, "DATA LINK ESCAPE"),
    (0x0011, "DEVICE CONTROL ONE"),
    (0x0012, "DEVICE CONTROL TWO"),
    (0x0013, "DEVICE CONTROL THREE"),
    (0x0014, "DEVICE CONTROL FOUR"),
    (0x0015, "NEGATIVE ACKNOWLEDGE"),
    (0x0016, "SYNCHRONOUS IDLE"),
    (0x0017, "END OF TRANSMISSION BLOCK"),
    (0x0018, "CANCEL"),
    (0x0019, "END OF MEDIUM"),
    (0x001a, "SUBSTITUTE"),
    (0x001b, "ESCAPE"),
    (0x001c, "INFORMATION SEPARATOR FOUR"),
    (0x001d, "INFORMATION SEPARATOR THREE"),
    (0x001e, "INFORMATION SEPARATOR TWO"),
    (0x001f, "INFORMATION SEPARATOR ONE"),
    (0x007f, "DELETE"),
    (0x0080, "PADDING CHARACTER"),
    (0x0081, "HIGH OCTET PRESET"),
    (0x0082, "BREAK PERMITTED HERE"),
    (0x0083, "NO BREAK HERE"),
    (0x0084, "INDEX"),
    (0x0085, "NEXT LINE"),
    (0x0086, "START OF SELECTED AREA"),
    (0x0087, "END OF SELECTED AREA"),
    (0x0088, "CHARACTER TABULATION SET"),
    (0x0089, "CHARACTER TABULATION WITH JUSTIFICATION"),
    (0x008a, "LINE TABULATION SET"),
    (0x008b, "PARTIAL LINE FORWARD"),
    (0x008c, "PARTIAL LINE BACKWARD"),
    (0x008d, "REVERSE LINE FEED"),
    (0x008e, "SINGLE SHIFT TWO"),
    (0x008f, "SINGLE SHIFT THREE"),
    (0x0090, "DEVICE CONTROL STRING"),
    (0x0091, "PRIVATE USE ONE"),
    (0x0092, "PRIVATE USE TWO"),
    (0x0093, "SET TRANSMIT STATE"),
    (0x0094, "CANCEL CHARACTER"),
    (0x0095, "MESSAGE WAITING"),
    (0x0096, "START OF GUARDED AREA"),
    (0x0097, "END OF GUARDED AREA"),
    (0x0098, "START OF STRING"),
    (0x0099, "SINGLE GRAPHIC CHARACTER INTRODUCER"),
    (0x009a, "SINGLE CHARACTER INTRODUCER"),
    (0x009b, "CONTROL SEQUENCE INTRODUCER"),
    (0x009c, "STRING TERMINATOR"),
    (0x009d, "OPERATING SYSTEM COMMAND"),
    (0x009e, "PRIVACY MESSAGE"),
    (0x009f, "APPLICATION PROGRAM COMMAND"),
    (0x200b, "ZERO WIDTH SPACE"),
    (0x200c, "ZERO WIDTH NON-JOINER"),
    (0x200d, "ZERO WIDTH JOINER"),
    (0x200e, "LEFT-TO-RIGHT MARK"),
    (0x200f, "RIGHT-TO-LEFT MARK"),
    (0x202a, "LEFT-TO-RIGHT EMBEDDING"),
    (0x202b, "RIGHT-TO-LEFT EMBEDDING"),
    (0x202c, "POP DIRECTIONAL FORMATTING"),
    (0x202d, "LEFT-TO-RIGHT OVERRIDE"),
    (0x202e, "RIGHT-TO-LEFT OVERRIDE"),
    (0x2060, "WORD JOINER"),
    (0x2061, "FUNCTION APPLICATION"),
    (0x2062, "INVISIBLE TIMES"),
    (0x2063, "INVISIBLE SEPARATOR"),
    (0x2064, "INVISIBLE PLUS"),
    (0x2066, "LEFT-TO-RIGHT ISOLATE"),
    (0x2067, "RIGHT-TO-LEFT ISOLATE"),
    (0x2068, "FIRST STRONG ISOLATE"),
    (0x2069, "POP DIRECTIONAL ISOLATE"),
    (0xfeff, "ZERO WIDTH NO-BREAK SPACE"),
];

/// What a C1 control most likely stood for: the Windows-1252 character of the same byte,
/// which is how a curly apostrophe or a dash turns into U+0092 or U+0096.
pub fn windows_1252(c: char) -> Option<char> {
    const PUNCTUATION: [Option<char>; 32] = [
        Some('€'),
        None,
        Some('‚'),
        Some('ƒ'),
        Some('„'),
        Some('…'),
        Some('†'),
        Some('‡'),
        Some('ˆ'),
        Some('‰'),
        Some('Š'),
        Some('‹'),
        Some('Œ'),
        None,
        Some('Ž'),
        None,
        None,
        Some('‘'),
        Some('’'),
        Some('“'),
        Some('”'),
        Some('•'),
        Some('–'),
        Some('—'),
        Some('˜'),
        Some('™'),
        Some('š'),
        Some('›'),
        Some('œ'),
        None,
        Some('ž'),
        Some('Ÿ'),
    ];
    let code = (c as u32).checked_sub(0x80)?;
    PUNCTUATION.get(code as usize).copied().flatten()
}

/// A name as messages show it: invisible and control characters written as code points.
pub fn shown(name: &str) -> String {
    let mut out = String::new();
    for (n, c) in name.chars().enumerate() {
        if n == 40 {
            out.push('…');
            break;
        }
        if c.is_control() || invisible_character(c).is_some() {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_names_what_it_should() {
        assert!(INVISIBLE.windows(2).all(|w| w[0].0 < w[1].0));
        let cases = [
            ('\0', Some("NULL")),
            ('\u{8}', Some("BACKSPACE")),
            ('\t', None),
            ('\n', None),
            ('\u{b}', Some("LINE TABULATION")),
            ('\r', None),
            ('\u{1f}', Some("INFORMATION SEPARATOR ONE")),
            (' ', None),
            ('~', None),
            ('\u{7f}', Some("DELETE")),
            ('\u{80}', Some("PADDING CHARACTER")),
            ('\u{92}', Some("PRIVATE USE TWO")),
            ('\u{9f}', Some("APPLICATION PROGRAM COMMAND")),
            ('\u{a0}', None),
            ('\u{ad}', None),
            ('\u{200a}', None),
            ('\u{200b}', Some("ZERO WIDTH SPACE")),
            ('\u{200f}', Some("RIGHT-TO-LEFT MARK")),
            ('\u{2010}', None),
            ('\u{2029}', None),
            ('\u{202a}', Some("LEFT-TO-RIGHT EMBEDDING")),
            ('\u{202e}', Some("RIGHT-TO-LEFT OVERRIDE")),
            ('\u{202f}', None),
            ('\u{2064}', Some("INVISIBLE PLUS")),
            ('\u{2065}', None),
            ('\u{2066}', Some("LEFT-TO-RIGHT ISOLATE")),
            ('\u{2069}', Some("POP DIRECTIONAL ISOLATE")),
            ('\u{206a}', None),
            ('\u{feff}', Some("ZERO WIDTH NO-BREAK SPACE")),
            ('\u{10ffff}', None),
        ];
        for (c, name) in cases {
            assert_eq!(invisible_character(c), name, "U+{:04X}", c as u32);
        }
        // Three C0 controls are allowed, the other 29 refused; so are DEL and the 32 C1.
        let count = |range: std::ops::RangeInclusive<char>| {
            range.filter(|&c| invisible_character(c).is_some()).count()
        };
        assert_eq!(count('\0'..='\u{7f}'), 30);
        assert_eq!(count('\u{80}'..='\u{ff}'), 32);
        assert_eq!(count('\u{100}'..=char::MAX), INVISIBLE.len() - 62);
    }
}
