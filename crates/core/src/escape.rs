//! One escaping function for text the build writes into HTML, SVG or XML: an element's text or
//! a double-quoted attribute's value. Every page, chart and sitemap uses it, so no writer
//! escapes less than the others.

/// `text` with `&`, `<`, `>` and `"` written as character references.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Writing to a String cannot fail.
    pulldown_cmark_escape::escape_html(&mut out, text).unwrap_or(());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(
            escape_text(r#"a < b & "c" > d"#),
            "a &lt; b &amp; &quot;c&quot; &gt; d"
        );
        assert_eq!(escape_text("plain"), "plain");
    }
}
