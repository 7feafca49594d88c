//! A text node's markdown, as `htmd` escapes it: backslashes before what markdown would read
//! as syntax or raw HTML, runs of whitespace made one space.

use std::borrow::Cow;

/// A text node, escaped where markdown would read it otherwise.
pub(super) fn text(
    t: &str,
    out: &mut String,
    parent_tag: Option<&str>,
    trim_leading: bool,
    is_pre: bool,
) {
    if is_pre {
        if parent_tag == Some("pre") && t.starts_with(['`', '~']) {
            out.push('\\');
        }
        out.push_str(t);
        return;
    }
    let last_space = out.ends_with(' ');
    if is_plain_text(t) {
        let t = if trim_leading || (t.starts_with(' ') && last_space) {
            t.trim_start_matches(' ')
        } else {
            t
        };
        out.push_str(t);
        return;
    }
    let escaped = escape(t);
    let compressed = compress_whitespace(&escaped);
    let add = if trim_leading || (compressed.starts_with(' ') && last_space) {
        compressed.trim_start_matches(' ')
    } else {
        &compressed
    };
    out.push_str(add);
}

fn is_plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return true;
    };
    if matches!(first, b'=' | b'~' | b'>' | b'-' | b'+' | b'#' | b'0'..=b'9') {
        return false;
    }
    let mut space = false;
    for &b in bytes {
        match b {
            b'\\' | b'*' | b'_' | b'`' | b'[' | b']' | b'<' => return false,
            b' ' if space => return false,
            b' ' => space = true,
            b'\t' | b'\n' | b'\r' | 0x0C | 0x0B => return false,
            _ => space = false,
        }
    }
    true
}

/// `htmd`'s `escape_if_needed`: backslashes before what markdown reads as syntax.
fn escape(text: &str) -> Cow<'_, str> {
    let Some(first) = text.chars().next() else {
        return Cow::Borrowed(text);
    };
    let needed = matches!(first, '=' | '~' | '>' | '-' | '+' | '#' | '0'..='9')
        || text
            .bytes()
            .any(|b| matches!(b, b'\\' | b'*' | b'_' | b'`' | b'[' | b']'));
    if !needed {
        return escape_html(Cow::Borrowed(text));
    }
    let leading = match first {
        '=' | '~' | '>' => true,
        '-' | '+' => text.chars().nth(1) == Some(' '),
        '#' => is_atx_heading(text),
        _ => false,
    };
    let mut escaped = String::with_capacity(text.len() + 8);
    if leading {
        escaped.push('\\');
    }
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    if first.is_ascii_digit() {
        if let Some(dot) = ordered_item_dot(&escaped) {
            escaped.replace_range(dot..dot + 1, "\\.");
        }
    }
    escape_html(Cow::Owned(escaped))
}

fn is_atx_heading(text: &str) -> bool {
    let mut hash = false;
    for c in text.chars() {
        match c {
            '#' => hash = true,
            ' ' => return hash,
            _ => return false,
        }
    }
    false
}

fn ordered_item_dot(text: &str) -> Option<usize> {
    let (mut numeric, mut dot_at, mut dot) = (false, 0, false);
    for (at, c) in text.char_indices() {
        if c.is_numeric() {
            if dot {
                return None;
            }
            numeric = true;
        } else if c == '.' {
            if !numeric {
                return None;
            }
            dot_at = at;
            dot = true;
        } else if c == ' ' {
            return dot.then_some(dot_at);
        } else {
            return None;
        }
    }
    None
}

/// A backslash before each `<` that markdown would read as the start of raw HTML.
fn escape_html(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains('<') {
        return text;
    }
    let src = text.as_ref();
    let mut out = String::with_capacity(src.len() + 8);
    let mut last = 0;
    for (i, _) in src.match_indices('<') {
        let mut rest = src[i + 1..].chars();
        let escape = match rest.next() {
            Some('!') => {
                let r = rest.as_str();
                !(r.starts_with("[CDATA[") || r.starts_with("\\[CDATA\\["))
            }
            Some('?') => true,
            Some('/') => rest.next().is_some_and(|c| c.is_ascii_alphabetic()),
            Some(c) => c.is_ascii_alphabetic(),
            None => false,
        };
        if escape {
            out.push_str(&src[last..i]);
            out.push_str("\\<");
            last = i + 1;
        }
    }
    if last == 0 {
        return text;
    }
    out.push_str(&src[last..]);
    Cow::Owned(out)
}

/// Each run of ASCII whitespace becomes one space.
fn compress_whitespace(input: &str) -> Cow<'_, str> {
    let b = input.as_bytes();
    let plain = !b.iter().enumerate().any(|(i, c)| {
        c.is_ascii_whitespace() && (*c != b' ' || i > 0 && b[i - 1].is_ascii_whitespace())
    });
    if plain {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut in_space = false;
    for c in input.chars() {
        if c.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    Cow::Owned(out)
}
