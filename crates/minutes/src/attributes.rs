//! Attribute blocks: the `{owner="Janet Simon" due=2025-01-31 id="uasc-transfers"}` that may end
//! an `Action:` or `Action update:` paragraph.

use std::collections::HashSet;
use std::ops::Range;

/// One `key=value` of an attribute block, with where the pair stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The key.
    pub key: String,
    /// The value, without quotes.
    pub value: String,
    /// Byte range of the pair in the text given to [`trailing_block`].
    pub span: Range<usize>,
}

/// A trailing attribute block found at the end of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Where the `{` stands: the text before it is the paragraph's own.
    pub start: usize,
    /// The pairs, in order.
    pub attributes: Vec<Attribute>,
}

/// Why an attribute block could not be read: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong.
    pub message: String,
    /// Where, in the text given to [`trailing_block`].
    pub span: Range<usize>,
}

/// Finds and reads the attribute block that ends `text`, if there is one.
///
/// A block is the last `{…}` of the text with nothing but white space after it. A `{` that opens
/// something looking like attributes (it contains `=`) but is never closed is malformed.
pub fn trailing_block(text: &str) -> Result<Option<Block>, Malformed> {
    let trimmed = text.trim_end();
    let Some(open) = trimmed.rfind('{') else {
        return Ok(None);
    };
    if !trimmed.ends_with('}') {
        if trimmed[open..].contains('=') && !trimmed[open..].contains('}') {
            return Err(Malformed {
                message: "the attribute block is not closed with `}`".into(),
                span: open..trimmed.len(),
            });
        }
        return Ok(None);
    }
    let inner_start = open + 1;
    let inner = &trimmed[inner_start..trimmed.len() - 1];
    let mut attributes = Vec::new();
    let mut keys = HashSet::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let key_start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
        {
            i += 1;
        }
        let key = &inner[key_start..i];
        if key.is_empty() || i >= bytes.len() || bytes[i] != b'=' {
            let end = inner[key_start..]
                .find(char::is_whitespace)
                .map_or(inner.len(), |e| key_start + e);
            return Err(Malformed {
                message: format!(
                    "`{}` in the attribute block is not of the form key=value",
                    &inner[key_start..end]
                ),
                span: inner_start + key_start..inner_start + end,
            });
        }
        i += 1;
        let value;
        // Straight quotes, or the curly ones a word processor turns them into.
        let quotes = [
            ("\"", '"'),
            ("\u{201c}", '\u{201d}'),
            ("\u{201d}", '\u{201d}'),
        ];
        if let Some((open, close)) = quotes.iter().find(|(open, _)| inner[i..].starts_with(open)) {
            let from = i + open.len();
            let Some(length) = inner[from..].find(*close) else {
                return Err(Malformed {
                    message: format!("the value of `{key}` opens a quote that is never closed"),
                    span: inner_start + key_start..inner_start + inner.len(),
                });
            };
            value = inner[from..from + length].to_string();
            i = from + length + close.len_utf8();
        } else {
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            value = inner[start..i].to_string();
            if value.is_empty() || value.contains(['"', '{', '}', '=', '\u{201c}', '\u{201d}']) {
                return Err(Malformed {
                    message: format!("the value of `{key}` is missing or malformed"),
                    span: inner_start + key_start..inner_start + i,
                });
            }
        }
        if !keys.insert(key) {
            return Err(Malformed {
                message: format!("`{key}` is given twice in the attribute block"),
                span: inner_start + key_start..inner_start + i,
            });
        }
        attributes.push(Attribute {
            key: key.to_string(),
            value,
            span: inner_start + key_start..inner_start + i,
        });
    }
    Ok(Some(Block {
        start: open,
        attributes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_and_bare_values() {
        let text =
            "Action: the number of UASC. {owner=\"Janet Simon\" due=2025-01-31 id=uasc-transfers}";
        let block = trailing_block(text).unwrap().unwrap();
        assert_eq!(&text[..block.start], "Action: the number of UASC. ");
        let pairs: Vec<(&str, &str)> = block
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("owner", "Janet Simon"),
                ("due", "2025-01-31"),
                ("id", "uasc-transfers")
            ]
        );
        assert_eq!(&text[block.attributes[1].span.clone()], "due=2025-01-31");
    }

    #[test]
    fn text_without_a_block_has_none() {
        assert_eq!(
            trailing_block("Action: provide figures (possibly a table format)."),
            Ok(None)
        );
        assert_eq!(
            trailing_block("a {brace} in the middle, then text"),
            Ok(None)
        );
    }

    #[test]
    fn curly_quotes_from_a_word_processor_are_quotes() {
        let text = "Action: x {owner=\u{201c}Jo Bloggs\u{201d} id=\u{201d}x-1\u{201d}}";
        let block = trailing_block(text).unwrap().unwrap();
        let values: Vec<&str> = block.attributes.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(values, ["Jo Bloggs", "x-1"]);
        assert_eq!(
            &text[block.attributes[0].span.clone()],
            "owner=\u{201c}Jo Bloggs\u{201d}"
        );
    }

    #[test]
    fn a_key_given_twice_is_malformed() {
        let text = "Action: x {owner=\"A\" owner=\"B\"}";
        let err = trailing_block(text).unwrap_err();
        assert!(err.message.contains("given twice"), "{err:?}");
        assert_eq!(&text[err.span], "owner=\"B\"");
    }

    #[test]
    fn malformed_blocks_are_located() {
        let err = trailing_block("Action: x {owner=\"Janet Simon}").unwrap_err();
        assert!(err.message.contains("never closed"), "{err:?}");
        let err = trailing_block("Action: x {owner Janet}").unwrap_err();
        assert_eq!(err.span, 11..16);
        let err = trailing_block("Action: x {owner=\"Janet\" due=2025-01-31").unwrap_err();
        assert!(err.message.contains("not closed"));
    }
}
