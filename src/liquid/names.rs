//! Names and lookups the `liquid` parser cannot read as Ruby Liquid 5.4 writes them, made
//! readable: names like `nullable`/`bar?` escaped (and looked up again as themselves),
//! spaced and bracketed lookups, and a range value made a hidden filter.

/// What a top-level name the `liquid` parser cannot read as written starts with once
/// escaped (see [`names`]); the rest is the name in hex.
const ESCAPED: &str = "___";

/// The name an escaped one (see [`names`]) stands for.
pub(crate) fn unescape(name: &str) -> Option<String> {
    let hex = name.strip_prefix(ESCAPED)?;
    if hex.is_empty() || hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

fn escape(name: &str) -> String {
    let mut out = String::from(ESCAPED);
    for b in name.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether Ruby reads `name` as a variable where the `liquid` parser does not: one starting
/// with a literal's word (`nullable`, `emptythings`: the parser reads `null`, `empty` and
/// stops), one read ending in `?` (Ruby sets no such name), and one set of only digits.
fn unreadable(name: &str, dst: bool) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    (!dst && name.ends_with('?'))
        || (dst && !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || ["nil", "null", "empty", "blank", "true", "false"]
            .iter()
            .any(|k| name.strip_prefix(k).is_some_and(|r| r.starts_with(ident)))
}

/// The name set by `assign` or `capture`, escaped when [`unreadable`].
pub(super) fn destination(name: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = name.trim();
    if unreadable(trimmed, true) {
        escape(trimmed).into()
    } else {
        name.into()
    }
}

/// `expr` with each top-level name the `liquid` parser cannot read (see [`unreadable`])
/// escaped as `___` and its hex; the render looks the escaped name up as the name itself
/// (`Lenient`), so `{{ bar? }}` and `{% for x in emptythings %}` read what Ruby reads.
pub(super) fn names(expr: &str) -> std::borrow::Cow<'_, str> {
    if !expr.contains(['?', 'n', 'e', 'b', 't', 'f']) {
        return expr.into();
    }
    let bytes = expr.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut quote: Option<u8> = None;
    let mut prev = b' ';
    let mut j = 0;
    while j < bytes.len() {
        let c = bytes[j];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            j += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
            prev = c;
            j += 1;
            continue;
        }
        if (c.is_ascii_alphabetic() || c == b'_') && !matches!(prev, b'.' | b'|') {
            let mut end = j;
            while end < bytes.len() && ident(bytes[end]) {
                end += 1;
            }
            if bytes.get(end) == Some(&b'?') {
                end += 1;
            }
            let name = &expr[j..end];
            let after = expr[end..].trim_start();
            let keyword_arg = after.starts_with(':');
            let set = after.starts_with('=') && !after.starts_with("==");
            if !keyword_arg && unreadable(name, set) {
                let o = out.get_or_insert_with(String::new);
                o.push_str(&expr[copied..j]);
                o.push_str(&escape(name));
                copied = end;
            }
            prev = b'a';
            j = end;
            continue;
        }
        if !c.is_ascii_whitespace() {
            prev = c;
        }
        j += 1;
    }
    match out {
        Some(mut o) => {
            o.push_str(&expr[copied..]);
            o.into()
        }
        None => expr.into(),
    }
}

/// Variable lookups written as Ruby reads them and the `liquid` parser does not: spaces and
/// newlines around a `.` or before a `[` (`foo \n .bar`) taken out, a quoted top-level
/// name (`['bar baz'].qux`) as the name itself (escaped when not a plain one), and a
/// top-level `[name]` as the variable that `name`'s value names (see [`VAR`]).
pub(super) fn lookups(expr: &str) -> std::borrow::Cow<'_, str> {
    if !expr.contains(['.', '[']) {
        return expr.into();
    }
    let bytes = expr.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'?' | b']');
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<u8> = None;
    let mut j = 0;
    while j < bytes.len() {
        let c = bytes[j];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            let ch = expr[j..].chars().next().unwrap_or(' ');
            out.push(ch);
            j += ch.len_utf8();
            continue;
        }
        if c == b'"' || c == b'\'' {
            // `['name']` where a value starts: the variable of that name.
            if out.ends_with('[')
                && matches!(
                    out[..out.len() - 1].trim_end().bytes().last(),
                    None | Some(b':' | b',' | b'=' | b'|')
                )
            {
                if let Some(len) = expr[j + 1..].find(c as char) {
                    let name = &expr[j + 1..j + 1 + len];
                    let close = j + 1 + len + 1;
                    if expr[close..].trim_start().starts_with(']') && !name.is_empty() {
                        let skip = expr[close..].len() - expr[close..].trim_start().len();
                        out.pop();
                        let plain = name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                            && name.as_bytes()[0].is_ascii_alphabetic()
                            && !unreadable(name, false);
                        out.push_str(&if plain {
                            name.to_string()
                        } else {
                            escape(name)
                        });
                        j = close + skip + 1;
                        continue;
                    }
                }
            }
            quote = Some(c);
            out.push(c as char);
            j += 1;
            continue;
        }
        // `[name]` where a value starts: the variable named by the value of `name`.
        if c == b'['
            && matches!(
                out.trim_end().bytes().last(),
                None | Some(b':' | b',' | b'=' | b'|')
            )
        {
            if let Some(len) = expr[j + 1..].find(']') {
                let inner = expr[j + 1..j + 1 + len].trim();
                let rest = expr[j + 2 + len..].trim_start();
                let path = !inner.is_empty()
                    && inner.as_bytes()[0].is_ascii_alphabetic()
                    && inner
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
                if path && (rest.is_empty() || rest.starts_with('|')) {
                    out.push_str(&format!("{inner} | {VAR} "));
                    j += len + 2;
                    continue;
                }
            }
        }
        if c.is_ascii_whitespace() {
            let end = j + expr[j..].len() - expr[j..].trim_start().len();
            let next = &expr[end..];
            let prev = out.bytes().last();
            let before_dot = next.starts_with('.') && !next.starts_with("..");
            let after_dot = out.ends_with('.')
                && !out.ends_with("..")
                && out[..out.len() - 1].bytes().last().is_some_and(word)
                && next
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
            if prev.is_some_and(word) && (before_dot || next.starts_with('[')) || after_dot {
                j = end;
                continue;
            }
        }
        let ch = expr[j..].chars().next().unwrap_or(' ');
        out.push(ch);
        j += ch.len_utf8();
    }
    if out == expr {
        expr.into()
    } else {
        out.into()
    }
}

/// The filter a top-level `[name]` becomes: `name | VAR`, the variable `name`'s value names.
pub(crate) const VAR: &str = "_variable_named";

/// The filter a range value `(a..b)` becomes: `a | RANGE: b` (the `liquid` parser reads a
/// range only in a loop).
pub(crate) const RANGE: &str = "_range_to";

/// A value that is a range, `(a..b) | filters`, as `a | _range_to: b | filters`, so Ruby
/// Liquid's ranges as values (`{{ (1..5) | join }}`, `{% assign r = (1..n) %}`) render;
/// anything else as it is.
pub(super) fn range_value(expr: &str) -> std::borrow::Cow<'_, str> {
    let head = expr.trim_start();
    let Some(inner) = head.strip_prefix('(') else {
        return expr.into();
    };
    let Some(close) = inner.find(')') else {
        return expr.into();
    };
    let Some((a, b)) = inner[..close].split_once("..") else {
        return expr.into();
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() || b.is_empty() || a.contains(['(', '|']) || b.contains(['(', '|']) {
        return expr.into();
    }
    format!("{a} | {RANGE}: {b}{}", &inner[close + 1..]).into()
}
