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
    let bytes = s.as_bytes();
    // Each set is found with memchr's vector scans, the quotes apart from `&<>`: most text
    // has none of them, and a byte-by-byte match was this escaper's whole cost.
    let angle = |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|i| from + i);
    let quote = |from: usize| match quotes {
        Quotes::Keep => None,
        Quotes::Double => memchr::memchr(b'"', &bytes[from..]).map(|i| from + i),
        Quotes::Both => memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|i| from + i),
    };
    let (mut next_angle, mut next_quote) = (angle(0), quote(0));
    let mut last = 0;
    loop {
        let i = match (next_angle, next_quote) {
            (Some(a), Some(q)) => a.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let rep = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
        if next_angle == Some(i) {
            next_angle = angle(last);
        } else {
            next_quote = quote(last);
        }
    }
    out.push_str(&s[last..]);
}

/// What [`rewrite_hrefs`] does with one link.
pub enum Href {
    Keep,
    /// The link keeps its text but loses its target.
    Drop,
    /// The link points here instead (escaped on the way out).
    To(String),
}

/// Rewrites every `href="…"` in `html` as `f` decides from its URL: the one scan that
/// removes links to other audiences and points twins at each other.
pub fn rewrite_hrefs(html: &str, f: impl Fn(&str) -> Href) -> String {
    const ATTR: &str = " href=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(ATTR) {
        let after = &rest[i + ATTR.len()..];
        let Some(end) = after.find('"') else { break };
        out.push_str(&rest[..i]);
        match f(&after[..end]) {
            Href::Keep => out.push_str(&rest[i..i + ATTR.len() + end + 1]),
            Href::Drop => {}
            Href::To(url) => {
                out.push_str(ATTR);
                escape_into(&mut out, &url);
                out.push('"');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of `html` with its tags taken out (entities left as they are).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_kept_dropped_or_redirected_by_their_url() {
        let html = r##"<a href="#a">A</a> <a href="#b">B</a> <a href="x">X</a>"##;
        let out = rewrite_hrefs(html, |url| match url {
            "#a" => Href::Drop,
            "#b" => Href::To("/b.md?x=1&y=2".into()),
            _ => Href::Keep,
        });
        assert_eq!(
            out,
            r#"<a>A</a> <a href="/b.md?x=1&amp;y=2">B</a> <a href="x">X</a>"#
        );
    }

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
    fn specials_anywhere_and_side_by_side_are_each_escaped_once() {
        let s = "\"<&>\"'x'&&<<\"\"\u{e9}>";
        let by_byte = |quotes: &[char]| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' if quotes.contains(&c) => "&quot;".to_string(),
                    '\'' if quotes.contains(&c) => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        assert_eq!(escape(s), by_byte(&['"']));
        assert_eq!(escape_attr(s), by_byte(&['"', '\'']));
        let mut text = String::new();
        escape_text_into(&mut text, s);
        assert_eq!(text, by_byte(&[]));
    }

    #[test]
    fn text_without_specials_is_copied_whole() {
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
        assert_eq!(escape(""), "");
    }
}
