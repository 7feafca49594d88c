//! HTML escaping, the one place for the whole crate (the bottom layer: it imports nothing).
//!
//! Two contexts, two sets: element text needs only `&`, `<` and `>`; an attribute value (and
//! text that may end up in one) also needs `"`. Tera output additionally escapes `'`, since a
//! template may quote an attribute either way. Every escaper copies the runs between special
//! characters whole: most text has none.

/// Escapes `&`, `<`, `>` and `"`: safe in element text and in a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    push_escaped(out, s, Quotes::Double);
}

/// Escapes `&`, `<` and `>` only: element text, where quotes stay as written.
pub fn escape_text_into(out: &mut String, s: &str) {
    push_escaped(out, s, Quotes::Keep);
}

/// Escapes `&`, `<`, `>`, `"` and `'` (as `&#39;`): any attribute, however it is quoted.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s, Quotes::Both);
    out
}

/// Appends ` key="value"`, the value escaped.
pub fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

#[derive(Clone, Copy, PartialEq)]
enum Quotes {
    Keep,
    Double,
    Both,
}

fn push_escaped(out: &mut String, s: &str, quotes: Quotes) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes != Quotes::Keep => "&quot;",
            b'\'' if quotes == Quotes::Both => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_context_escapes_its_set() {
        let s = r#"a<b>&"c"'d'é"#;
        assert_eq!(escape(s), "a&lt;b&gt;&amp;&quot;c&quot;'d'é");
        let mut text = String::new();
        escape_text_into(&mut text, s);
        assert_eq!(text, r#"a&lt;b&gt;&amp;"c"'d'é"#);
        assert_eq!(escape_attr(s), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;é");
        let mut attr = String::from("<p");
        push_attr(&mut attr, "title", "x\"y");
        assert_eq!(attr, "<p title=\"x&quot;y\"");
    }

    #[test]
    fn text_without_specials_is_copied_whole() {
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
        assert_eq!(escape(""), "");
    }
}
