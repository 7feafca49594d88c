//! Inline attribute lists: parsing `{: #id .class key="v" }`, and attaching span IALs and
//! the block IALs the pre-pass recorded to the right pulldown-cmark element.

use super::prepare::Prepared;
use super::Attrs;
use crate::error::LineIndex;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// `{:name: …}` defines an attribute list for later reference (ALD).
pub(super) fn is_ald(inner: &str) -> bool {
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(inner.len());
    name_len > 0 && inner[name_len..].starts_with(':')
}

/// Parses the inside of `{: … }` as kramdown does: each attribute starts the text or follows
/// whitespace and ends at whitespace or the end; `key="value"` (or `'…'`) takes the value up
/// to the first closing quote that whitespace or the end follows (`title=""Ok" now"` is
/// `"Ok`), `\}` and an escaped quote inside; `#id` and `.class` may run together
/// (`.a.b` is two classes); a bare name references an ALD (not resolved); anything else
/// (an unquoted value, a quote never closed) is no attribute. Returns the byte offset of
/// the first quote never closed, if any.
pub(super) fn parse_attr_list(s: &str, attrs: &mut Attrs) -> Option<usize> {
    let b = s.as_bytes();
    let mut unbalanced = None;
    let mut i = 0;
    while i < b.len() {
        if is_space(b[i]) || (i > 0 && !is_space(b[i - 1])) {
            i += 1;
            continue;
        }
        match key_value(s, i) {
            Ok(Some((key, value, end))) => {
                match key {
                    "id" => attrs.set_id(Some(value)),
                    // A `class` pair replaces the classes before it, as kramdown's one
                    // `class` key does.
                    "class" => {
                        attrs.classes = value.split_whitespace().map(str::to_string).collect();
                    }
                    _ => attrs.merge(Attrs {
                        pairs: vec![(key.to_string(), value)],
                        ..Attrs::default()
                    }),
                }
                i = end;
                continue;
            }
            Ok(None) => {}
            Err(quote) => {
                unbalanced.get_or_insert(quote);
            }
        }
        let name = word_len(&b[i..]);
        if name > 0 && b.get(i + name).is_none_or(|&c| is_space(c)) {
            // A reference to an ALD.
            i += name;
            continue;
        }
        if let Some(end) = ids_and_classes(s, i, attrs) {
            i = end;
            continue;
        }
        i += 1;
    }
    unbalanced
}

/// Ruby's `\s`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The length of kramdown's attribute name at the start of `b`: `\w[\w-]*`.
fn word_len(b: &[u8]) -> usize {
    let is_word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    if !b.first().is_some_and(is_word) {
        return 0;
    }
    b.iter().take_while(|c| is_word(c) || **c == b'-').count()
}

/// `key="value"` at `i`: the key, the value unescaped and the end; `Err` with the quote's
/// offset when the value is never closed.
fn key_value(s: &str, i: usize) -> Result<Option<(&str, String, usize)>, usize> {
    let b = s.as_bytes();
    let key_end = i + word_len(&b[i..]);
    if key_end == i || b.get(key_end) != Some(&b'=') {
        return Ok(None);
    }
    let q = match b.get(key_end + 1) {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Ok(None),
    };
    let start = key_end + 2;
    let value = |end: usize| {
        let value = s[start..end]
            .replace("\\}", "}")
            .replace(&format!("\\{}", q as char), &(q as char).to_string());
        Ok(Some((&s[i..key_end], value, end + 1)))
    };
    // An escaped quote that could also close the value: kramdown's pattern takes the
    // backslash as text and ends there when the value finds no other end (`"C:\" }`).
    let mut could_close = None;
    let mut j = start;
    while j < b.len() {
        match b[j] {
            b'}' => break,
            b'\\' if b.get(j + 1).is_some_and(|&c| c == b'}' || c == q) => {
                if b[j + 1] == q && b.get(j + 2).is_none_or(|&c| is_space(c)) {
                    could_close = Some(j + 1);
                }
                j += 2;
            }
            c if c == q && b.get(j + 1).is_none_or(|&c| is_space(c)) => return value(j),
            _ => j += 1,
        }
    }
    match could_close {
        Some(end) => value(end),
        None => Err(key_end + 1),
    }
}

/// `#id` and `.class` run together at `i` up to whitespace or the end, applied to `attrs`;
/// the end, or `None` (nothing applied) where anything else follows.
fn ids_and_classes(s: &str, i: usize, attrs: &mut Attrs) -> Option<usize> {
    let b = s.as_bytes();
    let mut found: Vec<(bool, &str)> = Vec::new();
    let mut j = i;
    while j < b.len() && !is_space(b[j]) {
        if b[j] == b'#' && b.get(j + 1).is_some_and(u8::is_ascii_alphabetic) {
            let len = b[j + 2..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-'))
                .count();
            found.push((true, &s[j + 1..j + 2 + len]));
            j += 2 + len;
        } else if b[j] == b'.' {
            let len = s[j + 1..]
                .find(|c: char| matches!(c, '.' | '#') || (c.is_ascii() && is_space(c as u8)))
                .unwrap_or(s.len() - j - 1);
            if len == 0 {
                return None;
            }
            found.push((false, &s[j + 1..j + 1 + len]));
            j += 1 + len;
        } else {
            return None;
        }
    }
    for (is_id, name) in found {
        if is_id {
            attrs.set_id(Some(name.to_string()));
        } else {
            attrs.classes.push(name.to_string());
        }
    }
    Some(j)
}

pub(super) type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

pub(super) fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

pub(super) fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Finds kramdown span IALs (`[x](u){: target="_blank"}`) right after an inline element,
/// removes their text, and returns their attributes keyed by the element's start event.
pub(super) fn take_span_ials(events: &mut Events) -> HashMap<usize, Attrs> {
    let mut found = HashMap::new();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..events.len() {
        let owner = match &events[i].0 {
            Event::Start(tag) if is_inline_tag(tag) => {
                open.push(i);
                continue;
            }
            Event::End(end) if is_inline_end(end) => match open.pop() {
                Some(start) => start,
                None => continue,
            },
            Event::Code(_) => i,
            _ => continue,
        };
        let Some((Event::Text(text), range)) = events.get_mut(i + 1) else {
            continue;
        };
        let Some(end) = span_ial_end(text) else {
            continue;
        };
        let mut attrs = Attrs::default();
        // A span IAL with a broken quote has no closing brace, so it never gets here.
        let _ = parse_attr_list(&text[2..end - 1], &mut attrs);
        let rest = text[end..].to_string();
        range.start = (range.start + end).min(range.end);
        *text = CowStr::from(rest);
        found
            .entry(owner)
            .or_insert_with(Attrs::default)
            .merge(attrs);
    }
    found
}

/// Byte length of a leading `{:…}` (through its `}`), honouring quoted values.
pub(super) fn span_ial_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("{:")?;
    if rest.starts_with(':') || rest.starts_with('/') {
        return None;
    }
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '}') => return Some(i + 3),
            (None, '\n') => return None,
            _ => {}
        }
    }
    None
}

/// One block element of the pulldown-cmark output, located by line.
pub(super) struct BlockSpan {
    pub(super) event: usize,
    pub(super) depth: usize,
    pub(super) start_line: usize,
    /// Byte column of the element's first character in its line.
    pub(super) start_col: usize,
    pub(super) end_line: usize,
}

/// Applies kramdown's block IAL rule: an IAL directly under a block (no blank line between)
/// belongs to that block; otherwise it belongs to the block starting on the next line.
/// Returns attributes keyed by the block's start event.
pub(super) fn assign_block_ials(
    events: &Events,
    prep: &Prepared,
    lines: &LineIndex,
) -> HashMap<usize, Attrs> {
    let mut out: HashMap<usize, Attrs> = HashMap::new();
    if prep.ials.is_empty() {
        return out;
    }
    let mut spans: Vec<BlockSpan> = Vec::new();
    // One entry per open element: its span (blocks only) and the last line of its children.
    // A container ends where its last child ends: pulldown-cmark's range of a definition
    // list can run over the paragraph after it.
    let mut open: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut end_cache: HashMap<usize, usize> = HashMap::new();
    for (i, (event, range)) in events.iter().enumerate() {
        let is_block = match event {
            Event::Start(tag) => {
                !is_inline_tag(tag)
                    && !matches!(tag, Tag::TableHead | Tag::TableRow | Tag::TableCell)
            }
            Event::Rule => true,
            Event::End(_) => {
                if let Some((Some(k), child_end)) = open.pop() {
                    if let Some(child_end) = child_end {
                        spans[k].end_line = child_end;
                    }
                    let line = spans[k].end_line;
                    if let Some((_, parent_end)) = open.last_mut() {
                        *parent_end = Some(parent_end.map_or(line, |p| p.max(line)));
                    }
                }
                continue;
            }
            _ => false,
        };
        if !is_block {
            if let Event::Start(_) = event {
                open.push((None, None));
            }
            continue;
        }
        let start_line = prep.line_of(lines, range.start);
        let end_line = *end_cache
            .entry(range.end)
            .or_insert_with(|| last_content_line(prep, lines, range, start_line));
        spans.push(BlockSpan {
            event: i,
            depth: open.len(),
            start_line,
            start_col: range.start - lines.line_start(start_line + 1),
            end_line,
        });
        if let Event::Start(_) = event {
            open.push((Some(spans.len() - 1), None));
        } else if let Some((_, parent_end)) = open.last_mut() {
            *parent_end = Some(parent_end.map_or(end_line, |p| p.max(end_line)));
        }
    }
    let mut by_end: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut by_start: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, s) in spans.iter().enumerate() {
        by_end.entry(s.end_line).or_default().push(k);
        by_start.entry(s.start_line).or_default().push(k);
    }
    let outermost = |ks: &[usize]| ks.iter().copied().min_by_key(|&k| spans[k].depth);
    let mut previous_target: Option<(usize, Option<usize>)> = None;
    for ial in &prep.ials {
        // Stacked IAL lines all go where the first of them goes.
        let target = match previous_target {
            Some((line, target)) if line + 1 == ial.line => target,
            _ => {
                let above = ial.line.checked_sub(1).filter(|&l| !prep.blank[l]);
                match above {
                    Some(line) => by_end.get(&line).and_then(|ks| {
                        if ial.indent == 0 {
                            return outermost(ks);
                        }
                        ks.iter()
                            .copied()
                            .filter(|&k| spans[k].start_col <= ial.indent)
                            .max_by_key(|&k| spans[k].depth)
                            .or_else(|| outermost(ks))
                    }),
                    None => {
                        // Under a blank line (or at the start), kramdown keeps the list for
                        // the next block, past blank lines.
                        let mut below = ial.line + 1;
                        while prep.ial_line.get(below) == Some(&true)
                            || prep.blank.get(below) == Some(&true)
                        {
                            below += 1;
                        }
                        match prep.blank.get(below) {
                            Some(false) => by_start.get(&below).and_then(|ks| outermost(ks)),
                            _ => None,
                        }
                    }
                }
            }
        };
        previous_target = Some((ial.line, target));
        if let Some(k) = target {
            out.entry(spans[k].event)
                .or_default()
                .merge(ial.attrs.clone());
        }
    }
    out
}

/// The line of the last non-blank character of a block's range.
pub(super) fn last_content_line(
    prep: &Prepared,
    lines: &LineIndex,
    range: &Range<usize>,
    start_line: usize,
) -> usize {
    let end = range.end.min(prep.text.len());
    let mut line = prep.line_of(lines, end.saturating_sub(1));
    while line > start_line {
        let from = lines.line_start(line + 1);
        let to = lines.line_start(line + 2).min(end);
        if from < to && !prep.text[from..to].trim().is_empty() {
            break;
        }
        line -= 1;
    }
    line
}

#[cfg(test)]
mod attr_list_tests {
    use super::*;

    fn parsed(s: &str) -> (Attrs, Option<usize>) {
        let mut attrs = Attrs::default();
        let at = parse_attr_list(s, &mut attrs);
        (attrs, at)
    }

    fn pair<'a>(attrs: &'a Attrs, key: &str) -> Option<&'a str> {
        attrs
            .pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_value_ends_at_a_quote_that_whitespace_follows() {
        let (a, _) = parsed(r#" title=""Enable" Aliases" "#);
        assert_eq!(pair(&a, "title"), Some("\"Enable"));
        let (a, _) = parsed(r#"title="x"y" z="w""#);
        assert_eq!(pair(&a, "title"), Some("x\"y"));
        assert_eq!(pair(&a, "z"), Some("w"));
        let (a, _) = parsed(r#"title='a "b" c' data-x="1\"2""#);
        assert_eq!(pair(&a, "title"), Some("a \"b\" c"));
        assert_eq!(pair(&a, "data-x"), Some("1\"2"));
    }

    #[test]
    fn ids_and_classes_run_together_and_bad_words_are_skipped() {
        let (a, _) = parsed("#i1 .a.b title=foo .c#i2");
        assert_eq!(a.id.as_deref(), Some("i2"));
        assert_eq!(a.classes, ["a", "b", "c"]);
        assert_eq!(pair(&a, "title"), None);
        // `#1` is no id; an ALD reference is no attribute.
        let (a, _) = parsed("#1 ref .k");
        assert_eq!(a.id, None);
        assert_eq!(a.classes, ["k"]);
        // A `class` pair replaces the classes before it.
        let (a, _) = parsed(r#".x class="y z" .w"#);
        assert_eq!(a.classes, ["y", "z", "w"]);
    }

    #[test]
    fn an_escaped_quote_ends_the_value_when_nothing_else_does() {
        // kramdown's pattern backtracks to take the backslash as text: `C:\`.
        let (a, at) = parsed(r#"title="C:\" .k"#);
        assert_eq!(pair(&a, "title"), Some("C:\\"));
        assert_eq!(
            (at, a.classes.as_slice()),
            (None, ["k".to_string()].as_slice())
        );
        // Where a later quote closes it, the backslash escapes the quote.
        let (a, _) = parsed(r#"title="a \" b" "#);
        assert_eq!(pair(&a, "title"), Some("a \" b"));
    }

    #[test]
    fn a_quote_never_closed_is_no_attribute() {
        let (a, at) = parsed(r#" title="Ex .k"#);
        assert_eq!(pair(&a, "title"), None);
        assert_eq!(at, Some(7));
        assert_eq!(a.classes, ["k"]);
    }
}
