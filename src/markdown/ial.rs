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

/// Parses the inside of `{: … }`. Returns the byte offset of an unbalanced quote, if any;
/// its value then runs to the end (best effort, like a forgiving reader would).
pub(super) fn parse_attr_list(s: &str, attrs: &mut Attrs) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut unbalanced = None;
    while i < bytes.len() {
        let b = bytes[i];
        // Unicode whitespace, as `word_end` and `key_end` see it: skipping only ASCII
        // whitespace here left `\v` unconsumed and looped forever (found by fuzzing).
        let ch = s[i..].chars().next().unwrap_or(' ');
        if ch.is_whitespace() {
            i += ch.len_utf8();
            continue;
        }
        let word_end = |from: usize| {
            s[from..]
                .find(|c: char| c.is_whitespace())
                .map_or(s.len(), |e| from + e)
        };
        if b == b'#' || b == b'.' {
            let end = word_end(i + 1);
            let name = &s[i + 1..end];
            if !name.is_empty() {
                if b == b'#' {
                    attrs.id = Some(name.to_string());
                } else {
                    attrs.classes.push(name.to_string());
                }
            }
            i = end;
            continue;
        }
        let key_end = s[i..]
            .find(|c: char| c.is_whitespace() || c == '=')
            .map_or(s.len(), |e| i + e);
        let key = &s[i..key_end];
        if key_end >= s.len() || bytes[key_end] != b'=' {
            // A bare name references an ALD; references are not resolved.
            i = key_end;
            continue;
        }
        let vstart = key_end + 1;
        let (value, next) = match bytes.get(vstart) {
            Some(&q @ (b'"' | b'\'')) => {
                let mut j = vstart + 1;
                let mut value = String::new();
                let mut closed = false;
                while j < bytes.len() {
                    let c = bytes[j];
                    if c == b'\\' && j + 1 < bytes.len() && bytes[j + 1] == q {
                        value.push(q as char);
                        j += 2;
                        continue;
                    }
                    if c == q {
                        closed = true;
                        break;
                    }
                    let ch = s[j..].chars().next().unwrap_or(' ');
                    value.push(ch);
                    j += ch.len_utf8();
                }
                if !closed {
                    unbalanced.get_or_insert(vstart);
                    (value.trim_end().to_string(), bytes.len())
                } else {
                    (value, j + 1)
                }
            }
            _ => {
                let end = word_end(vstart);
                (s[vstart..end].to_string(), end)
            }
        };
        match key {
            "id" => attrs.id = Some(value),
            "class" => attrs
                .classes
                .extend(value.split_whitespace().map(str::to_string)),
            "" => {}
            _ => attrs.merge(Attrs {
                pairs: vec![(key.to_string(), value)],
                ..Attrs::default()
            }),
        }
        i = next;
    }
    unbalanced
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
                        let mut below = ial.line + 1;
                        while prep.ial_line.get(below) == Some(&true) {
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
