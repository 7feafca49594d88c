//! Python's strings as the grammar colours them: plain ones, f-strings, block strings, and
//! the braces a plain string's formatting rules make placeholders of.

use super::super::{interpolated, skip, Writer, PUNCTUATION};
use super::{plain_name, BUILTINS};

/// The end of the one-line string at `b[start]` (a quote) with nothing in it the grammar
/// colours apart (escapes, `{}` and `%` placeholders).
pub(super) fn plain_string(b: &[u8], start: usize) -> Option<usize> {
    let quote = b[start];
    let mut i = start + 1;
    loop {
        match *b.get(i)? {
            c if c == quote => return Some(i + 1),
            b'\\' | b'{' | b'}' | b'%' | b'\n' | b'\r' => return None,
            _ => i += 1,
        }
    }
}

/// Writes the string at `code[start]` (a quote, or the `f` of an f-string; a block string
/// when three quotes open it) with
/// nothing in it the grammar colours apart (escapes, `%` placeholders) but its braces: an
/// f-string's fields, names or dotted names; in a plain string, the escapes `{{` and `}}`,
/// what the grammar's formatting rules make of a `{` ([`placeholder`]), and a `}` they
/// leave as text. Returns the index after it.
pub(super) fn string(code: &str, start: usize, w: &mut Writer) -> Option<usize> {
    let b = code.as_bytes();
    let f = b[start] == b'f';
    let quote = b[start + usize::from(f)];
    // A block string (`"""…"""`) may hold newlines and lone quotes.
    let triple = !f && b[start..].starts_with(&[quote; 3]);
    let mut run = start;
    let mut i = start + if triple { 3 } else { 1 + usize::from(f) };
    loop {
        match *b.get(i)? {
            c if c == quote && triple => {
                if b[i..].starts_with(&[quote; 3]) {
                    w.text((Some("s"), false), &code[run..i + 3]);
                    return Some(i + 3);
                }
                i += 1;
            }
            c if c == quote => {
                w.text((Some("s"), false), &code[run..=i]);
                return Some(i + 1);
            }
            b'\n' if triple => i += 1,
            b'{' if f => {
                w.text((Some("s"), false), &code[run..i]);
                w.text((Some(PUNCTUATION), false), "{");
                i = interpolated(code, i + 1, w, |name| {
                    plain_name(name) && BUILTINS.binary_search(&name).is_err()
                })?;
                run = i;
            }
            // `{{` and `}}` are escapes before they are anything else.
            b'{' | b'}' if !f && b.get(i + 1) == Some(&b[i]) => {
                w.text((Some("s"), false), &code[run..i]);
                w.text((Some("se"), false), &code[i..i + 2]);
                i += 2;
                run = i;
            }
            b'{' => match placeholder(b, i)? {
                Some(end) => {
                    w.text((Some("s"), false), &code[run..i]);
                    w.text((Some("se"), false), &code[i..end]);
                    i = end;
                    run = i;
                }
                None => i += 1,
            },
            b'}' if !f => i += 1,
            b'\\' | b'}' | b'%' | b'\n' | b'\r' => return None,
            _ => i += 1,
        }
    }
}

/// What the grammar's formatting rules make of the `{` at `b[at]` in a plain one-line
/// string: the end of the placeholder it opens (all `se`), `Some(None)` when neither rule
/// takes it (a plain `{` of the string), `None` when it holds anything this lexer has not
/// been checked on (a conversion `!r`, a `%`, an escape).
///
/// The grammar has two rules: a whole field on one match (`{name.attr[0]}`, `{:>10}`), and
/// a `{` that another `{…}` follows before any quote, which opens a placeholder closed by
/// the first `}` (a `:` in it starts a format spec, where fields may nest).
fn placeholder(b: &[u8], at: usize) -> Option<Option<usize>> {
    if let Some(end) = field(b, at)? {
        return Some(Some(end));
    }
    // `\{(?=[^\}"']+\{[^"']*\})`: another `{` after at least one character, then a
    // `}`, before any quote; so the first `}` or quote must be a `}` with a `{` before it.
    let limit = skip(b, at + 1, |c| !matches!(c, b'}' | b'"' | b'\'' | b'\n'));
    let nested = b.get(limit) == Some(&b'}') && limit > at + 2 && b[at + 2..limit].contains(&b'{');
    if !nested {
        return Some(None);
    }
    let mut spec = false;
    let mut i = at + 1;
    loop {
        match *b.get(i)? {
            b'}' => return Some(Some(i + 1)),
            b':' => spec = true,
            // The format spec takes fields and placeholders of its own.
            b'{' if spec => {
                if let Some(end) = placeholder(b, i)? {
                    i = end;
                    continue;
                }
            }
            b'!' | b'%' | b'\\' | b'"' | b'\'' | b'\n' | b'\r' => return None,
            c if !c.is_ascii() => return None,
            _ => {}
        }
        i += 1;
    }
}

/// The end of the whole format field the grammar matches at the `{` at `b[at]`
/// (`{` field name, an optional `:` format spec, `}`), `Some(None)` when it matches none,
/// `None` when the field holds what this lexer leaves to the grammar (a `!` conversion, a
/// `%` spec, a character beyond ASCII).
fn field(b: &[u8], at: usize) -> Option<Option<usize>> {
    let name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'[' | b']');
    let i = skip(b, at + 1, name);
    match b.get(i) {
        Some(b'}') => Some(Some(i + 1)),
        Some(b'!' | b'%') => None,
        Some(c) if !c.is_ascii() => None,
        Some(b':') => {
            let close = i + 1 + b[i + 1..].iter().position(|&c| matches!(c, b'}' | b'\n'))?;
            let spec = &b[i + 1..close];
            // A fill may be a `}` itself (`{:}>5}`), and a quote may end the string first.
            let unsure = |c: &u8| matches!(c, b'%' | b'"' | b'\'' | b'<' | b'>' | b'=' | b'^');
            if b[close] != b'}' || spec.iter().any(|c| unsure(c) || !c.is_ascii()) {
                return None;
            }
            if b.get(close + 1)
                .is_some_and(|c| matches!(c, b'<' | b'>' | b'=' | b'^'))
            {
                return None;
            }
            Some(format_spec(spec).then_some(close + 1))
        }
        _ => Some(None),
    }
}

/// Whether `spec` (between a field's `:` and its `}`, without fill and align, which the
/// caller leaves to the grammar) is the grammar's standard format spec:
/// `[sign][#][width][,][.precision][type]`.
fn format_spec(spec: &[u8]) -> bool {
    let mut i = 0;
    if spec
        .first()
        .is_some_and(|c| matches!(c, b' ' | b'+' | b'-'))
    {
        i += 1;
    }
    if spec.get(i) == Some(&b'#') {
        i += 1;
    }
    i = skip(spec, i, |c| c.is_ascii_digit());
    if spec.get(i) == Some(&b',') {
        i += 1;
    }
    if spec.get(i) == Some(&b'.') && spec.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = skip(spec, i + 1, |c| c.is_ascii_digit());
    }
    if spec.get(i).is_some_and(|c| b"bcdeEfFgGnosxX".contains(c)) {
        i += 1;
    }
    i == spec.len()
}
