//! Markdown → HTML blocks: pulldown-cmark plus the kramdown extensions Aviator sites use
//! (definition lists, IALs, lenient tables, GFM heading ids, kramdown smart quotes). Code
//! blocks are *not* highlighted here: they come back as [`Block::Code`] so the highlight stage
//! can see every sample of the site at once (dedup, largest-first scheduling, cache).
//!
//! The pipeline is three linear passes, none of them recursive:
//! 1. a line pre-pass ([`prepare`]) that removes kramdown-only lines (block IALs, ALDs,
//!    `{::…}` extensions) and repairs table separator rows. It never adds or removes a line,
//!    so line numbers of the prepared text are the line numbers of `src`;
//! 2. pulldown-cmark, whose events are then patched (span IALs, single-tilde strikethrough)
//!    and whose block ranges are used to attach block IALs to the right element;
//! 3. our own HTML writer, which gives definition lists kramdown's shape, puts attributes on
//!    any element, assigns heading ids and cuts the output at every code block.
//!
//! The prose HTML is then balanced as one stream across all [`Block::Html`] pieces (see
//! [`balance_html`]), so a stray `</div>` in a doc cannot close the page's own layout, while a
//! list that contains a code block (and so spans several blocks) is left intact.
//!
//! Nesting depth is not limited: nothing here recurses, and pulldown-cmark keeps its tree in
//! an arena, so 10,000-deep lists and blockquotes render on a 2 MiB thread stack (tested).
//!
//! Known differences from kramdown: list items follow CommonMark's list-wide tight/loose rule
//! (kramdown decides per item); a table row keeps the header's cell count (kramdown keeps the
//! row's own); a backslash-escaped quote is still curled; a fence that is never closed is
//! code to the end (kramdown would make it text) and warns `unclosed-fence`.

use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::html::{escape_text_into, push_attr};
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

/// Attributes from a kramdown IAL (`{: #id .class key="v" }`), in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// Other `key="value"` pairs except `title` on a code block (see [`CodeBlock::title`]).
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.pairs.is_empty()
    }

    /// Later IALs add to earlier ones, as kramdown merges stacked lists.
    fn merge(&mut self, other: Attrs) {
        if other.id.is_some() {
            self.id = other.id;
        }
        self.classes.extend(other.classes);
        for (k, v) in other.pairs {
            match self.pairs.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => self.pairs.push((k, v)),
            }
        }
    }

    /// Writes ` id=".." class=".." k="v"`; `extra_class` (e.g. a language class) goes last.
    pub(crate) fn write(&self, out: &mut String, extra_class: Option<&str>) {
        if let Some(id) = &self.id {
            push_attr(out, "id", id);
        }
        let mut classes = self.classes.join(" ");
        if let Some(extra) = extra_class {
            if !classes.is_empty() {
                classes.push(' ');
            }
            classes.push_str(extra);
        }
        if !classes.is_empty() {
            push_attr(out, "class", &classes);
        }
        for (k, v) in &self.pairs {
            push_attr(out, k, v);
        }
    }
}

/// A fenced or indented code block, left for the highlight stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string's first word (`~~~ bash` → `bash`), if any.
    pub lang: Option<String>,
    /// From `{: title="Curl" }` on the line under the fence.
    pub title: Option<String>,
    pub code: String,
    pub attrs: Attrs,
    /// Where the fence opens in the rendered source.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Finished HTML of one or more consecutive non-code blocks.
    Html(String),
    Code(CodeBlock),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// kramdown GFM id, unique within this one render (`-1`, `-2` suffixes).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
    /// Positions are within the `src` given to [`render`]; the caller maps them to files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders kramdown-flavoured markdown. Never fails: odd input becomes text plus a warning.
pub fn render(src: &str) -> Rendered {
    let mut diagnostics = Vec::new();
    let prep = prepare(src, &mut diagnostics);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<(Event, Range<usize>)> = Vec::new();
    for (event, range) in Parser::new_ext(&prep.text, options).into_offset_iter() {
        // Adjacent text runs are merged so span IALs and smart quotes see whole words.
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, events.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(t);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        events.push((event, range));
    }
    let span_attrs = take_span_ials(&mut events);
    let block_attrs = assign_block_ials(&events, &prep);
    let mut writer = Writer::new(&prep, span_attrs, block_attrs);
    writer.run(&events, &mut diagnostics);
    let Writer {
        mut blocks,
        headings,
        ..
    } = writer;
    balance_blocks(&mut blocks);
    for block in &mut blocks {
        if let Block::Html(html) = block {
            if html.contains(SPAN_MARK) {
                *html = html.replace(SPAN_MARK, "");
            }
        }
    }
    Rendered {
        blocks,
        headings,
        diagnostics,
    }
}

/// kramdown GFM's heading id (`generate_gfm_header_id`): downcase, drop every character that
/// is not a word character (`\p{Word}`: letters, marks, digits, connector punctuation), `-`,
/// space or tab, then turn spaces and tabs into `-`. `URL Parameters:` → `url-parameters`.
pub fn heading_id(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| is_word_char(c) || matches!(c, '-' | ' ' | '\t'))
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect()
}

/// Approximates Onigmo's `\p{Word}` (L, M, Nd, Pc): Rust has no general-category API, so
/// the combining-mark blocks that real text uses are listed.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}'
            | '\u{FE4D}'..='\u{FE4F}' | '\u{FF3F}'
            | '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
            | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0903}'
            | '\u{093A}'..='\u{094F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}'
            | '\u{0E47}'..='\u{0E4E}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' | '\u{3099}' | '\u{309A}' | '\u{FE20}'..='\u{FE2F}')
}

/// The source after the line pre-pass. Line `n` of `text` is line `n` of the original.
#[derive(Default)]
struct Prepared {
    text: String,
    line_starts: Vec<usize>,
    /// Per line: blank in the original, or a kramdown-only line (ALD, extension) that kramdown
    /// treats like a block boundary.
    blank: Vec<bool>,
    /// Per line: a block IAL (its attributes are in `ials`).
    ial_line: Vec<bool>,
    ials: Vec<BlockIal>,
}

struct BlockIal {
    line: usize,
    /// Leading whitespace of the IAL line in bytes: decides between a block and its container.
    indent: usize,
    attrs: Attrs,
}

impl Prepared {
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// 1-based position of a byte offset of `text`, columns in characters.
    fn pos_of(&self, offset: usize) -> Pos {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let offset = floor_char_boundary(&self.text, offset.max(start));
        Pos::new(line + 1, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An open fence in the pre-pass: its character and run length.
type Fence = (char, usize);

/// The line pre-pass: blanks kramdown-only lines (recording block IALs), repairs table
/// separators, and normalises `\r`. Lines inside fences and HTML comments are copied as is.
fn prepare(src: &str, diags: &mut Vec<Diagnostic>) -> Prepared {
    let mut p = Prepared::default();
    let mut fence: Option<Fence> = None;
    let mut in_html_comment = false;
    let mut in_kramdown_comment = false;
    let body = src.strip_suffix('\n').unwrap_or(src);
    if src.is_empty() {
        return p;
    }
    let mut prev_line = String::new();
    for (idx, raw) in body.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A lone `\r` is not a line end for positions (`Pos` counts `\n`), so it becomes a space.
        let line: String = raw.replace('\r', " ");
        p.line_starts.push(p.text.len());
        let trimmed = line.trim();
        let mut blank = trimmed.is_empty();
        let mut is_ial = false;
        let mut out: Option<String> = None;
        if let Some((c, n)) = fence {
            if closes_fence(&line, c, n) {
                fence = None;
            }
        } else if in_kramdown_comment {
            if has_extension_end(trimmed) {
                in_kramdown_comment = false;
            }
            out = Some(String::new());
            blank = true;
        } else if in_html_comment {
            in_html_comment = opens_html_comment(&line, true);
        } else if let Some(f) = opens_fence(&line) {
            fence = Some(f);
        } else if let Some(after) = trimmed.strip_prefix("{::comment}") {
            in_kramdown_comment = !has_extension_end(after);
            out = Some(String::new());
            blank = true;
        } else if trimmed.starts_with("{:") && trimmed.ends_with('}') && trimmed.len() >= 3 {
            out = Some(String::new());
            let inner = &trimmed[2..trimmed.len() - 1];
            if inner.starts_with(':') || inner.starts_with('/') || is_ald(inner) {
                blank = true;
            } else {
                is_ial = true;
                let indent = line.len() - line.trim_start().len();
                let mut attrs = Attrs::default();
                if let Some(at) = parse_attr_list(inner, &mut attrs) {
                    let col = line[..indent + 2 + at].chars().count() + 1;
                    diags.push(Diagnostic::warning(
                        "unbalanced-ial-quote",
                        PathBuf::new(),
                        Pos::new(idx + 1, col),
                        "unbalanced quote in attribute list `{:…}`: the value runs to the end",
                    ));
                }
                p.ials.push(BlockIal {
                    line: idx,
                    indent,
                    attrs,
                });
            }
        } else {
            in_html_comment = opens_html_comment(&line, false);
            if let Some(fixed) = repair_separator(&prev_line, &line) {
                out = Some(fixed);
            } else if let Some(fixed) = escape_bare_colon(&line) {
                out = Some(fixed);
            } else if prev_line.trim().is_empty() && is_lone_span_tag(trimmed) {
                // CommonMark starts an HTML block at a line holding only a tag, swallowing
                // the lines after it up to a blank line; kramdown does so only for block
                // elements. A mark before the tag keeps it paragraph text (removed on output).
                out = Some(format!("{SPAN_MARK}{line}"));
            }
        }
        let line = out.unwrap_or(line);
        p.text.push_str(&line);
        p.text.push('\n');
        p.blank.push(blank);
        p.ial_line.push(is_ial);
        prev_line = if fence.is_some() { String::new() } else { line };
    }
    p
}

/// Put before a line so CommonMark reads it as paragraph text; never reaches the output.
const SPAN_MARK: char = '\u{E000}';

/// A line that is only an open or close tag of a span-level element (`<br>`, `<a href=…>`,
/// `</span>`): kramdown keeps it in a paragraph, CommonMark would start an HTML block.
fn is_lone_span_tag(line: &str) -> bool {
    const SPAN: &[&str] = &[
        "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "del", "dfn",
        "em", "font", "i", "img", "input", "ins", "kbd", "label", "mark", "q", "s", "samp",
        "select", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var", "wbr",
    ];
    let Some(rest) = line.strip_prefix('<') else {
        return false;
    };
    if !line.ends_with('>') || line[1..line.len() - 1].contains(['<', '>']) {
        return false;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    SPAN.contains(&name.to_ascii_lowercase().as_str())
}

/// kramdown starts a definition only at `:` followed by a space or tab; pulldown-cmark also
/// at `:text`. Escaping the colon keeps such a line paragraph text, as in kramdown.
fn escape_bare_colon(line: &str) -> Option<String> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    let after = rest.strip_prefix(':')?;
    if indent > 3 || after.starts_with([' ', '\t']) {
        return None;
    }
    Some(format!("{}\\{}", &line[..indent], rest))
}

fn opens_fence(line: &str) -> Option<Fence> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.chars().take_while(|&x| x == c).count();
    let rest = &t[n..];
    (n >= 3 && !(c == '`' && rest.contains('`'))).then_some((c, n))
}

fn closes_fence(line: &str, c: char, n: usize) -> bool {
    let t = line.trim_start_matches([' ', '\t', '>']);
    let run = t.chars().take_while(|&x| x == c).count();
    run >= n && t[run..].trim().is_empty()
}

/// Whether an HTML comment is still open at the end of `line` (`inside`: it was open before).
fn opens_html_comment(line: &str, inside: bool) -> bool {
    let mut open = inside;
    let mut rest = line;
    loop {
        let pat = if open { "-->" } else { "<!--" };
        match rest.find(pat) {
            Some(i) => {
                rest = &rest[i + pat.len()..];
                open = !open;
            }
            None => return open,
        }
    }
}

fn has_extension_end(s: &str) -> bool {
    s.contains("{:/comment}") || s.contains("{:/}")
}

/// `{:name: …}` defines an attribute list for later reference (ALD).
fn is_ald(inner: &str) -> bool {
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(inner.len());
    name_len > 0 && inner[name_len..].starts_with(':')
}

/// Parses the inside of `{: … }`. Returns the byte offset of an unbalanced quote, if any;
/// its value then runs to the end (best effort, like a forgiving reader would).
fn parse_attr_list(s: &str, attrs: &mut Attrs) -> Option<usize> {
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

/// Column count of a table row: unescaped pipes, ignoring a leading and a trailing one.
fn table_cells(line: &str) -> usize {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = match t.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => t,
    };
    let mut n = 1;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

/// kramdown accepts a separator row whose column count differs from the header's; GFM (and
/// so pulldown-cmark) does not. The separator is rewritten to the header's count, keeping the
/// alignment of the columns it has.
fn repair_separator(header: &str, line: &str) -> Option<String> {
    let t = line.trim();
    let is_sep = t.contains('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
    if !is_sep || !header.contains('|') {
        return None;
    }
    let want = table_cells(header);
    if want == table_cells(line) {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut segs: Vec<&str> = inner.split('|').map(str::trim).collect();
    segs.retain(|s| !s.is_empty());
    let mut out = String::from("|");
    for i in 0..want {
        out.push_str(segs.get(i).copied().unwrap_or("---"));
        out.push('|');
    }
    Some(out)
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

fn is_inline_tag(tag: &Tag) -> bool {
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

fn is_inline_end(end: &TagEnd) -> bool {
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
fn take_span_ials(events: &mut Events) -> HashMap<usize, Attrs> {
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
fn span_ial_end(text: &str) -> Option<usize> {
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
struct BlockSpan {
    event: usize,
    depth: usize,
    start_line: usize,
    /// Byte column of the element's first character in its line.
    start_col: usize,
    end_line: usize,
}

/// Applies kramdown's block IAL rule: an IAL directly under a block (no blank line between)
/// belongs to that block; otherwise it belongs to the block starting on the next line.
/// Returns attributes keyed by the block's start event.
fn assign_block_ials(events: &Events, prep: &Prepared) -> HashMap<usize, Attrs> {
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
        let start_line = prep.line_of(range.start);
        let end_line = *end_cache
            .entry(range.end)
            .or_insert_with(|| last_content_line(prep, range, start_line));
        spans.push(BlockSpan {
            event: i,
            depth: open.len(),
            start_line,
            start_col: range.start - prep.line_starts[start_line],
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
fn last_content_line(prep: &Prepared, range: &Range<usize>, start_line: usize) -> usize {
    let end = range.end.min(prep.text.len());
    let mut line = prep.line_of(end.saturating_sub(1));
    while line > start_line {
        let from = prep.line_starts[line];
        let to = prep
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(prep.text.len())
            .min(end);
        if from < to && !prep.text[from..to].trim().is_empty() {
            break;
        }
        line -= 1;
    }
    line
}

/// What a block start opened, so its end knows what to write.
enum Ctx {
    /// `first_as_para`: kramdown wraps the definition's first paragraph in `<p>` only when a
    /// blank line precedes its `:` line; `seen_child`/`implicit_p` track that first child.
    Dd {
        first_as_para: bool,
        seen_child: bool,
        implicit_p: bool,
    },
    Dt,
    Para {
        suppressed: bool,
    },
    Other,
}

struct CodeState {
    lang: Option<String>,
    attrs: Attrs,
    pos: Pos,
    code: String,
    range: Range<usize>,
    fenced: bool,
}

struct ImageState {
    src: String,
    title: String,
    attrs: Attrs,
    alt: String,
}

struct HeadingState {
    level: u8,
    id: String,
    text: String,
}

/// The HTML writer: one pass over the patched events, no recursion.
struct Writer<'s> {
    prep: &'s Prepared,
    span_attrs: HashMap<usize, Attrs>,
    block_attrs: HashMap<usize, Attrs>,
    html: String,
    blocks: Vec<Block>,
    headings: Vec<Heading>,
    id_counts: HashMap<String, usize>,
    ctx: Vec<Ctx>,
    /// Open strikethroughs: `true` for `~~`, `false` for a single `~` kramdown leaves as text.
    strike: Vec<bool>,
    /// Inline elements open right now (a soft break inside one cannot split a term).
    inline_depth: usize,
    table_align: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
    tbody_open: bool,
    images: Vec<ImageState>,
    heading: Option<HeadingState>,
    code: Option<CodeState>,
    /// The source character before the current text, for kramdown's smart-quote rules.
    prev_char: Option<char>,
}

impl<'s> Writer<'s> {
    fn new(
        prep: &'s Prepared,
        span_attrs: HashMap<usize, Attrs>,
        block_attrs: HashMap<usize, Attrs>,
    ) -> Self {
        Writer {
            prep,
            span_attrs,
            block_attrs,
            html: String::new(),
            blocks: Vec::new(),
            headings: Vec::new(),
            id_counts: HashMap::new(),
            ctx: Vec::new(),
            strike: Vec::new(),
            inline_depth: 0,
            table_align: Vec::new(),
            table_cell: 0,
            in_table_head: false,
            tbody_open: false,
            images: Vec::new(),
            heading: None,
            code: None,
            prev_char: None,
        }
    }

    fn run(&mut self, events: &Events, diags: &mut Vec<Diagnostic>) {
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(tag) => self.start(i, tag, range, events),
                Event::End(end) => self.end(end, diags),
                Event::Text(text) => self.text(text),
                Event::Code(code) => {
                    self.inline();
                    if let Some(img) = self.images.last_mut() {
                        img.alt.push_str(code);
                        continue;
                    }
                    self.html.push_str("<code");
                    let attrs = self.span_attrs.remove(&i).unwrap_or_default();
                    attrs.write(&mut self.html, Some("language-plaintext highlighter-rouge"));
                    self.html.push('>');
                    escape_text_into(&mut self.html, code);
                    self.html.push_str("</code>");
                    if let Some(h) = &mut self.heading {
                        h.text.push_str(code);
                    }
                    self.prev_char = Some('`');
                }
                Event::Html(html) => {
                    if self.code.is_none() {
                        self.html.push_str(html);
                    }
                }
                Event::InlineHtml(html) => {
                    self.inline();
                    if self.images.is_empty() {
                        self.html.push_str(html);
                    }
                    self.prev_char = Some('>');
                }
                Event::SoftBreak => {
                    self.inline();
                    self.prev_char = Some('\n');
                    if let Some(img) = self.images.last_mut() {
                        img.alt.push(' ');
                    } else if matches!(self.ctx.last(), Some(Ctx::Dt)) && self.inline_depth == 0 {
                        // kramdown makes every line of a term its own <dt>.
                        self.html.push_str("</dt>\n  <dt>");
                    } else {
                        self.html.push('\n');
                        if let Some(h) = &mut self.heading {
                            h.text.push(' ');
                        }
                    }
                }
                Event::HardBreak => {
                    self.inline();
                    self.prev_char = Some('\n');
                    if self.images.is_empty() {
                        self.html.push_str("<br />\n");
                    }
                }
                Event::Rule => {
                    self.open_block();
                    self.html.push_str("<hr");
                    if let Some(a) = self.block_attrs.remove(&i) {
                        a.write(&mut self.html, None);
                    }
                    self.html.push_str(" />\n");
                }
                Event::FootnoteReference(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    self.text(t)
                }
                Event::TaskListMarker(done) => {
                    self.html.push_str(if *done { "[x] " } else { "[ ] " });
                }
            }
        }
        self.flush();
    }

    fn flush(&mut self) {
        if !self.html.is_empty() {
            self.blocks
                .push(Block::Html(std::mem::take(&mut self.html)));
        }
    }

    /// Called before any block element starts: settles the first child of a definition.
    /// Returns whether this block is a definition's first child that kramdown unwraps.
    fn open_block(&mut self) -> bool {
        self.prev_char = None;
        if let Some(Ctx::Dd {
            first_as_para,
            seen_child,
            implicit_p,
        }) = self.ctx.last_mut()
        {
            if *implicit_p {
                self.html.push_str("</p>\n");
                *implicit_p = false;
            }
            let first = !*seen_child;
            *seen_child = true;
            return first && !*first_as_para;
        }
        false
    }

    /// Called before inline content: text directly inside a definition (a tight one) is its
    /// first paragraph, wrapped only after a blank line like kramdown does.
    fn inline(&mut self) {
        if let Some(Ctx::Dd {
            first_as_para,
            seen_child,
            implicit_p,
        }) = self.ctx.last_mut()
        {
            if !*seen_child {
                *seen_child = true;
                if *first_as_para {
                    self.html.push_str("<p>");
                    *implicit_p = true;
                }
            }
        }
    }

    fn attrs(&mut self, i: usize) -> Attrs {
        self.block_attrs.remove(&i).unwrap_or_default()
    }

    fn start(&mut self, i: usize, tag: &Tag, range: &Range<usize>, events: &Events) {
        if is_inline_tag(tag) {
            self.inline();
            self.inline_depth += 1;
            self.start_inline(i, tag, range);
            return;
        }
        let unwrap = self.open_block();
        let attrs = self.attrs(i);
        let out = &mut self.html;
        let ctx = match tag {
            Tag::Paragraph => {
                if !unwrap {
                    out.push_str("<p");
                    attrs.write(out, None);
                    out.push('>');
                }
                Ctx::Para { suppressed: unwrap }
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs: kv,
            } => {
                let level = heading_level(*level);
                let id = match (&attrs.id, id) {
                    (Some(given), _) => given.clone(),
                    (None, Some(given)) => given.to_string(),
                    (None, None) => {
                        let base = heading_id(&heading_raw_text(events, i, &self.prep.text));
                        let n = self.id_counts.entry(base.clone()).or_insert(0);
                        let id = if *n == 0 { base } else { format!("{base}-{n}") };
                        *n += 1;
                        id
                    }
                };
                let mut all = Attrs {
                    id: (!id.is_empty()).then(|| id.clone()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    pairs: kv
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_deref().unwrap_or("").to_string()))
                        .collect(),
                };
                all.merge(Attrs { id: None, ..attrs });
                out.push_str(&format!("<h{level}"));
                all.write(out, None);
                out.push('>');
                self.heading = Some(HeadingState {
                    level,
                    id,
                    text: String::new(),
                });
                Ctx::Other
            }
            Tag::BlockQuote(_) => {
                out.push_str("<blockquote");
                attrs.write(out, None);
                out.push_str(">\n");
                Ctx::Other
            }
            Tag::CodeBlock(kind) => {
                let (lang, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split_whitespace()
                            .next()
                            .map(|w| w.trim_start_matches('{').to_string())
                            .filter(|w| !w.is_empty()),
                        true,
                    ),
                    CodeBlockKind::Indented => (None, false),
                };
                self.flush();
                self.code = Some(CodeState {
                    lang,
                    attrs,
                    pos: self.prep.pos_of(range.start),
                    code: String::new(),
                    range: range.clone(),
                    fenced,
                });
                Ctx::Other
            }
            Tag::HtmlBlock => Ctx::Other,
            Tag::List(start) => {
                match start {
                    Some(n) => {
                        out.push_str("<ol");
                        if *n != 1 {
                            out.push_str(&format!(" start=\"{n}\""));
                        }
                    }
                    None => out.push_str("<ul"),
                }
                attrs.write(out, None);
                out.push_str(">\n");
                Ctx::Other
            }
            Tag::Item => {
                out.push_str("<li");
                attrs.write(out, None);
                out.push('>');
                Ctx::Other
            }
            Tag::FootnoteDefinition(name) => {
                out.push_str("<div class=\"footnote-definition\"");
                push_attr(out, "id", name);
                out.push('>');
                Ctx::Other
            }
            Tag::DefinitionList => {
                out.push_str("<dl");
                attrs.write(out, None);
                out.push_str(">\n");
                Ctx::Other
            }
            Tag::DefinitionListTitle => {
                out.push_str("  <dt");
                attrs.write(out, None);
                out.push('>');
                Ctx::Dt
            }
            Tag::DefinitionListDefinition => {
                out.push_str("  <dd");
                attrs.write(out, None);
                out.push('>');
                let line = self.prep.line_of(range.start);
                Ctx::Dd {
                    first_as_para: line > 0 && self.prep.blank[line - 1],
                    seen_child: false,
                    implicit_p: false,
                }
            }
            Tag::Table(align) => {
                out.push_str("<table");
                attrs.write(out, None);
                out.push_str(">\n");
                self.table_align = align.clone();
                self.tbody_open = false;
                Ctx::Other
            }
            Tag::TableHead => {
                out.push_str("  <thead>\n    <tr>\n");
                self.in_table_head = true;
                self.table_cell = 0;
                Ctx::Other
            }
            Tag::TableRow => {
                if !self.tbody_open {
                    out.push_str("  <tbody>\n");
                    self.tbody_open = true;
                }
                out.push_str("    <tr>\n");
                self.table_cell = 0;
                Ctx::Other
            }
            Tag::TableCell => {
                out.push_str(if self.in_table_head {
                    "      <th"
                } else {
                    "      <td"
                });
                let style = match self.table_align.get(self.table_cell) {
                    Some(Alignment::Left) => Some("left"),
                    Some(Alignment::Center) => Some("center"),
                    Some(Alignment::Right) => Some("right"),
                    _ => None,
                };
                if let Some(s) = style {
                    out.push_str(&format!(" style=\"text-align: {s}\""));
                }
                out.push('>');
                self.table_cell += 1;
                Ctx::Other
            }
            Tag::MetadataBlock(_) => Ctx::Other,
            // Inline tags returned early above.
            _ => Ctx::Other,
        };
        self.ctx.push(ctx);
    }

    fn start_inline(&mut self, i: usize, tag: &Tag, range: &Range<usize>) {
        self.prev_char = None;
        let attrs = self.span_attrs.remove(&i).unwrap_or_default();
        if let Tag::Image {
            dest_url, title, ..
        } = tag
        {
            self.images.push(ImageState {
                src: dest_url.to_string(),
                title: title.to_string(),
                attrs,
                alt: String::new(),
            });
            return;
        }
        if !self.images.is_empty() {
            if let Tag::Strikethrough = tag {
                self.strike.push(true);
            }
            return;
        }
        let out = &mut self.html;
        match tag {
            Tag::Emphasis => out.push_str("<em"),
            Tag::Strong => out.push_str("<strong"),
            Tag::Superscript => out.push_str("<sup"),
            Tag::Subscript => out.push_str("<sub"),
            Tag::Strikethrough => {
                // kramdown's GFM parser only knows `~~`; a single `~` stays text.
                let double =
                    self.prep.text[range.start.min(self.prep.text.len())..].starts_with("~~");
                self.strike.push(double);
                if !double {
                    out.push('~');
                    return;
                }
                out.push_str("<del");
            }
            Tag::Link {
                dest_url, title, ..
            } => {
                out.push_str("<a");
                push_attr(out, "href", dest_url);
                if !title.is_empty() {
                    push_attr(out, "title", title);
                }
            }
            _ => {}
        }
        attrs.write(out, None);
        out.push('>');
    }

    fn end(&mut self, end: &TagEnd, diags: &mut Vec<Diagnostic>) {
        if is_inline_end(end) {
            self.inline_depth = self.inline_depth.saturating_sub(1);
            self.end_inline(end);
            return;
        }
        let ctx = self.ctx.pop();
        self.prev_char = None;
        let out = &mut self.html;
        match end {
            TagEnd::Paragraph => {
                let suppressed = matches!(ctx, Some(Ctx::Para { suppressed: true }));
                out.push_str(if suppressed { "" } else { "</p>\n" });
            }
            TagEnd::Heading(level) => {
                let level = heading_level(*level);
                out.push_str(&format!("</h{level}>\n"));
                if let Some(h) = self.heading.take() {
                    self.headings.push(Heading {
                        level: h.level,
                        id: h.id,
                        text: h.text.trim().to_string(),
                    });
                }
            }
            TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.finish_code(code, diags);
                }
            }
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" }),
            TagEnd::Item => out.push_str("</li>\n"),
            TagEnd::FootnoteDefinition => out.push_str("</div>\n"),
            TagEnd::DefinitionList => out.push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => out.push_str("</dt>\n"),
            TagEnd::DefinitionListDefinition => {
                if let Some(Ctx::Dd {
                    implicit_p: true, ..
                }) = ctx
                {
                    out.push_str("</p>");
                }
                out.push_str("</dd>\n");
            }
            TagEnd::Table => {
                if self.tbody_open {
                    out.push_str("  </tbody>\n");
                }
                out.push_str("</table>\n");
                self.tbody_open = false;
            }
            TagEnd::TableHead => {
                out.push_str("    </tr>\n  </thead>\n");
                self.in_table_head = false;
            }
            TagEnd::TableRow => out.push_str("    </tr>\n"),
            TagEnd::TableCell => out.push_str(if self.in_table_head {
                "</th>\n"
            } else {
                "</td>\n"
            }),
            _ => {}
        }
    }

    fn end_inline(&mut self, end: &TagEnd) {
        if let TagEnd::Image = end {
            if let Some(img) = self.images.pop() {
                let target = match self.images.last_mut() {
                    Some(outer) => {
                        outer.alt.push_str(&img.alt);
                        return;
                    }
                    None => &mut self.html,
                };
                target.push_str("<img");
                push_attr(target, "src", &img.src);
                push_attr(target, "alt", &img.alt);
                if !img.title.is_empty() {
                    push_attr(target, "title", &img.title);
                }
                img.attrs.write(target, None);
                target.push_str(" />");
                self.prev_char = Some(')');
            }
            return;
        }
        let strike = if let TagEnd::Strikethrough = end {
            Some(self.strike.pop().unwrap_or(true))
        } else {
            None
        };
        if !self.images.is_empty() {
            return;
        }
        let (close, prev) = match end {
            TagEnd::Emphasis => ("</em>", '*'),
            TagEnd::Strong => ("</strong>", '*'),
            TagEnd::Superscript => ("</sup>", '^'),
            TagEnd::Subscript => ("</sub>", '~'),
            TagEnd::Strikethrough if strike == Some(false) => ("~", '~'),
            TagEnd::Strikethrough => ("</del>", '~'),
            TagEnd::Link => ("</a>", ')'),
            _ => ("", ' '),
        };
        self.html.push_str(close);
        self.prev_char = Some(prev);
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.code.push_str(text);
            return;
        }
        if text.is_empty() {
            return;
        }
        self.inline();
        if let Some(img) = self.images.last_mut() {
            img.alt.push_str(text);
            return;
        }
        let smart = smarten(text, &mut self.prev_char);
        escape_text_into(&mut self.html, &smart);
        if let Some(h) = &mut self.heading {
            h.text.push_str(&smart);
        }
    }

    fn finish_code(&mut self, mut code: CodeState, diags: &mut Vec<Diagnostic>) {
        if !code.code.is_empty() && !code.code.ends_with('\n') {
            code.code.push('\n');
        }
        if code.fenced && !fence_is_closed(&self.prep.text, &code.range) {
            diags.push(Diagnostic::warning(
                "unclosed-fence",
                PathBuf::new(),
                code.pos,
                "code fence is never closed: it runs to the end of the document",
            ));
        }
        let mut attrs = code.attrs;
        let title = attrs
            .pairs
            .iter()
            .position(|(k, _)| k == "title")
            .map(|at| attrs.pairs.remove(at).1);
        self.blocks.push(Block::Code(CodeBlock {
            lang: code.lang,
            title,
            code: code.code,
            attrs,
            pos: code.pos,
        }));
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// kramdown derives the id from the heading's raw markdown (`raw_text`), not its HTML: the
/// source span from the first to the last inline event of the heading.
fn heading_raw_text(events: &Events, start: usize, text: &str) -> String {
    let mut lo = usize::MAX;
    let mut hi = 0;
    for (event, range) in &events[start + 1..] {
        if let Event::End(TagEnd::Heading(_)) = event {
            break;
        }
        lo = lo.min(range.start);
        hi = hi.max(range.end);
    }
    if lo >= hi || hi > text.len() || !text.is_char_boundary(lo) || !text.is_char_boundary(hi) {
        return String::new();
    }
    text[lo..hi].trim().to_string()
}

/// Whether a fenced block's source range ends with a closing fence line.
fn fence_is_closed(text: &str, range: &Range<usize>) -> bool {
    let end = floor_char_boundary(text, range.end);
    let start = floor_char_boundary(text, range.start.min(end));
    let body = text[start..end].trim_end();
    let Some((first, rest)) = body.split_once('\n') else {
        return false;
    };
    let Some((c, n)) = opens_fence(first) else {
        return false;
    };
    let last = rest.rsplit('\n').next().unwrap_or(rest);
    closes_fence(last, c, n)
}

/// kramdown's typographic symbols, longest first (`TYPOGRAPHIC_SYMS` in its parser).
const TYPOGRAPHIC: &[(&str, &str)] = &[
    ("---", "\u{2014}"),
    ("--", "\u{2013}"),
    ("...", "\u{2026}"),
    ("<< ", "\u{AB}\u{A0}"),
    (" >>", "\u{A0}\u{BB}"),
    ("<<", "\u{AB}"),
    (">>", "\u{BB}"),
];

/// kramdown's typographic symbols and smart quotes (`SQ_RULES` in its smart_quotes parser),
/// applied to one text run. `prev` carries the source character before the run.
fn smarten(text: &str, prev: &mut Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some((pat, sym)) = TYPOGRAPHIC.iter().find(|(pat, _)| rest.starts_with(pat)) {
            out.push_str(sym);
            i += pat.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c != '\'' && c != '"' {
            out.push(c);
            continue;
        }
        let p = text[..i - 1].chars().next_back().or(*prev);
        let mut next = text[i..].chars();
        let (n1, n2, n3) = (next.next(), next.next(), next.next());
        let (left, right) = if c == '"' {
            ('\u{201C}', '\u{201D}')
        } else {
            ('\u{2018}', '\u{2019}')
        };
        let is_word = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric() || x == '_');
        let is_space = |x: Option<char>| x.is_some_and(char::is_whitespace);
        let quote = if matches!(n1, Some('_' | '*')) && n2.is_some_and(|x| !x.is_whitespace()) {
            left
        } else if n1.is_some_and(|x| x.is_ascii_punctuation())
            && !(n1 == Some('.') && n2 == Some('.') && n3 == Some('.'))
            && !is_word(n2)
        {
            right
        } else if (c, n1) == ('"', Some('\'')) && is_word(n2) {
            out.push('\u{201C}');
            i += 1;
            '\u{2018}'
        } else if (c, n1) == ('\'', Some('"')) && is_word(n2) {
            out.push('\u{2018}');
            i += 1;
            '\u{201C}'
        } else if c == '\''
            && n1.is_some_and(|x| x.is_ascii_digit())
            && n2.is_some_and(|x| x.is_ascii_digit())
            && n3 == Some('s')
        {
            right
        } else if is_space(p) && is_word(n1) {
            left
        } else if p
            .is_some_and(|p| !matches!(p, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-'))
            || n1.is_none()
            || is_space(n1)
            || (n1 == Some('s') && !is_word(n2))
        {
            right
        } else {
            left
        };
        out.push(quote);
    }
    if let Some(last) = text.chars().next_back() {
        *prev = Some(last);
    }
    out
}

/// Makes an HTML fragment safe to paste inside a page: closing tags that close nothing
/// opened in the fragment are dropped, tags left open are closed at the end (and a closing
/// tag of an outer element first closes what is open inside it). Void elements, comments,
/// declarations and the content of `<pre>`, `<script>`, `<style>`, `<textarea>` are left
/// alone; an unclosed comment is closed. A `<` that starts no complete tag is escaped.
/// Linear in the input length.
pub fn balance_html(html: &str) -> String {
    let mut balancer = Balancer::default();
    let mut out = balancer.feed(html);
    out.push_str(&balancer.finish());
    out
}

/// Balances all prose of one render as a single stream, so an element opened before a code
/// block and closed after it (a list item holding a sample) stays intact; whatever is still
/// open at the end is closed in the last HTML block.
fn balance_blocks(blocks: &mut Vec<Block>) {
    let mut balancer = Balancer::default();
    for block in blocks.iter_mut() {
        if let Block::Html(html) = block {
            *html = balancer.feed(html);
        }
    }
    let tail = balancer.finish();
    if tail.is_empty() {
        return;
    }
    match blocks.last_mut() {
        Some(Block::Html(html)) => html.push_str(&tail),
        _ => blocks.push(Block::Html(tail)),
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
const RAW_TEXT: &[&str] = &["pre", "script", "style", "textarea"];

#[derive(Default)]
struct Balancer {
    stack: Vec<String>,
    open_count: HashMap<String, usize>,
    in_comment: bool,
    /// Inside a raw-text element: everything up to its closing tag is content.
    raw: Option<String>,
}

impl Balancer {
    fn feed(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 16);
        let b = s.as_bytes();
        let mut i = 0;
        // Once a search for `>` failed from some offset, none can succeed from later ones:
        // remembering that keeps a run of `<` without `>` linear.
        let mut no_gt_from = usize::MAX;
        let mut find_gt = |at: usize| -> Option<usize> {
            if at >= no_gt_from {
                return None;
            }
            let found = s[at..].find('>').map(|e| at + e);
            if found.is_none() {
                no_gt_from = at;
            }
            found
        };
        while i < b.len() {
            if self.in_comment {
                match s[i..].find("-->") {
                    Some(e) => {
                        out.push_str(&s[i..i + e + 3]);
                        i += e + 3;
                        self.in_comment = false;
                    }
                    None => {
                        out.push_str(&s[i..]);
                        return out;
                    }
                }
                continue;
            }
            if let Some(raw) = &self.raw {
                match find_close_tag(s, i, raw) {
                    Some(e) => {
                        out.push_str(&s[i..e]);
                        i = e;
                        self.raw = None;
                    }
                    None => {
                        out.push_str(&s[i..]);
                        return out;
                    }
                }
                continue;
            }
            let Some(lt) = s[i..].find('<').map(|e| i + e) else {
                out.push_str(&s[i..]);
                break;
            };
            out.push_str(&s[i..lt]);
            i = lt;
            let rest = &s[i..];
            if rest.starts_with("<!--") {
                self.in_comment = true;
                out.push_str("<!--");
                i += 4;
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                match find_gt(i) {
                    Some(e) => {
                        out.push_str(&s[i..=e]);
                        i = e + 1;
                    }
                    None => {
                        out.push_str("&lt;");
                        i += 1;
                    }
                }
                continue;
            }
            let closing = rest.starts_with("</");
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest[name_start..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                .count();
            // Quotes are not tracked: a `>` inside an attribute value only splits the tag as
            // the balancer sees it; the bytes written are the same.
            let tag_end = if name_len > 0 && rest.as_bytes()[name_start].is_ascii_alphabetic() {
                find_gt(i + name_start + name_len).map(|e| e + 1 - i)
            } else {
                None
            };
            let Some(end) = tag_end else {
                // Not a tag (or one never finished): it must not swallow the page.
                out.push_str("&lt;");
                i += 1;
                continue;
            };
            let tag = &rest[..end];
            let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
            i += end;
            if closing {
                if self.open_count.get(&name).copied().unwrap_or(0) > 0 {
                    while let Some(top) = self.stack.pop() {
                        *self.open_count.entry(top.clone()).or_default() -= 1;
                        if top == name {
                            break;
                        }
                        out.push_str(&format!("</{top}>"));
                    }
                    out.push_str(tag);
                }
                continue;
            }
            out.push_str(tag);
            if VOID.contains(&name.as_str()) || tag.ends_with("/>") {
                continue;
            }
            if RAW_TEXT.contains(&name.as_str()) {
                self.raw = Some(name.clone());
            }
            *self.open_count.entry(name.clone()).or_default() += 1;
            self.stack.push(name);
        }
        out
    }

    fn finish(&mut self) -> String {
        let mut out = String::new();
        if self.in_comment {
            out.push_str("-->");
            self.in_comment = false;
        }
        self.raw = None;
        while let Some(top) = self.stack.pop() {
            out.push_str(&format!("</{top}>"));
        }
        self.open_count.clear();
        out
    }
}

/// Offset of the next `</name` (any case) at or after `from`.
fn find_close_tag(s: &str, from: usize, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(e) = s[i..].find("</") {
        let at = i + e;
        let n = &b[at + 2..];
        if n.len() >= name.len()
            && n[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && n.get(name.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod span_tag_tests {
    use super::*;

    #[test]
    fn a_lone_span_tag_line_stays_in_a_paragraph_and_a_heading_after_it_is_a_heading() {
        let r = render("Intro.\n\n<br>\n### Next\n\ntext\n");
        let html: String = r
            .blocks
            .iter()
            .map(|b| match b {
                Block::Html(h) => h.as_str(),
                _ => "",
            })
            .collect();
        assert!(
            html.contains("<p><br></p>")
                || html.contains("<p><br>\n</p>")
                || html.contains("<p><br></p>\n"),
            "{html}"
        );
        assert!(html.contains("<h3 id=\"next\">Next</h3>"), "{html}");
        assert!(!html.contains('\u{E000}'));
        // Block elements still start HTML blocks.
        let r = render("<div>\n### not a heading\n</div>\n");
        assert!(r.headings.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All blocks as one string; code blocks shown with their metadata.
    fn show(r: &Rendered) -> String {
        let mut out = String::new();
        for b in &r.blocks {
            match b {
                Block::Html(h) => out.push_str(h),
                Block::Code(c) => out.push_str(&format!(
                    "[code lang={:?} title={:?} attrs={:?} at {}:{}]\n{}[/code]\n",
                    c.lang, c.title, c.attrs, c.pos.line, c.pos.col, c.code
                )),
            }
        }
        out
    }

    fn html(src: &str) -> String {
        show(&render(src))
    }

    fn warnings(r: &Rendered) -> Vec<(&'static str, usize, usize)> {
        r.diagnostics
            .iter()
            .map(|d| (d.code, d.pos.line, d.pos.col))
            .collect()
    }

    fn code_blocks(r: &Rendered) -> Vec<&CodeBlock> {
        r.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some(c),
                Block::Html(_) => None,
            })
            .collect()
    }

    // ---- definition lists -------------------------------------------------------------

    #[test]
    fn definition_list_variants() {
        let src = "\
name
: (string) The `name` of the [thing](#things)

colon_term:
: kept colon

blank_before

: wrapped in a paragraph
: no term, same list

one
two
: two terms, one definition
lazily continued line

para_def
: first paragraph

    second paragraph
";
        insta::assert_snapshot!(html(src));
    }

    #[test]
    fn definition_lists_one_blank_line_apart_are_one_list() {
        let out = html("a\n: x\n\nb\n: y\n\n\nc\n: z\n");
        assert_eq!(out.matches("<dl>").count(), 1, "{out}");
        assert_eq!(out.matches("<dt>").count(), 3, "{out}");
        // A heading or comment in between ends the list.
        let out = html("a\n: x\n\n## H\n\nb\n: y\n");
        assert_eq!(out.matches("<dl>").count(), 2, "{out}");
    }

    #[test]
    fn definition_content_is_markdown_and_smart() {
        let out = html("term\n: it's **bold**, `code` and [a link](#x)\n");
        assert!(out.contains("<dd>it’s <strong>bold</strong>, <code class=\"language-plaintext highlighter-rouge\">code</code> and <a href=\"#x\">a link</a></dd>"), "{out}");
    }

    #[test]
    fn indented_definition_lines_continue_the_definition() {
        let out = html("term\n: first line\n  indented line\n\nnext\n: x\n");
        assert!(out.contains("<dd>first line\nindented line</dd>"), "{out}");
        assert_eq!(out.matches("<dl>").count(), 1, "{out}");
    }

    #[test]
    fn colon_without_space_is_not_a_definition() {
        let out = html("Item status\n:(string) text\n");
        assert!(!out.contains("<dl>"), "{out}");
        assert!(out.contains("Item status\n:(string) text"), "{out}");
    }

    #[test]
    fn first_definition_paragraph_unwrapped_only_without_blank_line() {
        let out = html("t\n: a\n\n: b\n");
        assert!(out.contains("<dd>a</dd>"), "{out}");
        assert!(out.contains("<dd><p>b</p>"), "{out}");
    }

    #[test]
    fn code_fence_inside_definition_is_a_code_block() {
        let r = render("t\n: a sample:\n\n  ~~~ json\n  {}\n  ~~~\n  {: title=\"Body\" }\n");
        let codes = code_blocks(&r);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].code, "{}\n");
        assert_eq!(codes[0].title.as_deref(), Some("Body"));
        assert_eq!(codes[0].pos, Pos::new(4, 3));
        // The definition list spans the code block and stays balanced around it.
        let out = show(&r);
        assert!(out.ends_with("</dd>\n</dl>\n"), "{out}");
    }

    // ---- block IALs ---------------------------------------------------------------------

    #[test]
    fn block_ial_on_paragraph_code_and_table() {
        let src = "\
First paragraph.
{: .info }

Second paragraph.
{:.warning}

{: #lead .big key=\"v\" key2='w' }
Third paragraph, IAL before it.

~~~ bash
curl https://example.com
~~~
{: title=\"Curl\" .wide data-x=\"1\" }

| a | b |
|---|---|
| 1 | 2 |
{: .params }
";
        insta::assert_snapshot!(html(src));
    }

    #[test]
    fn ial_never_shows_as_text() {
        for src in [
            "p\n{: .info }\n",
            "{: .x }\n# H\n",
            "* item\n{: .list }\n",
            "> quote\n{: .q }\n",
            "a\n: b\n{: .dl }\n",
            "{: .orphan }\n\n",
            "{:ref: .x }\n{::options parse_block_html=\"true\" /}\np\n",
            "p\n{: .a }\n{: #b }\n",
        ] {
            let out = html(src);
            assert!(!out.contains("{:"), "{src:?} -> {out}");
        }
        assert!(html("p\n{: .a }\n{: #b }\n").contains("<p id=\"b\" class=\"a\">"));
        assert!(html("* item\n{: .list }\n").contains("<ul class=\"list\">"));
        assert!(html("> quote\n{: .q }\n").contains("<blockquote class=\"q\">"));
        assert!(html("{: .x }\n# H\n").contains("<h1 id=\"h\" class=\"x\">"));
    }

    #[test]
    fn ial_directly_under_a_block_wins_over_the_next_block() {
        let out = html("one\n{: .a }\ntwo\n");
        assert!(out.contains("<p class=\"a\">one</p>"), "{out}");
        assert!(out.contains("<p>two</p>"), "{out}");
    }

    #[test]
    fn ial_id_on_heading_replaces_the_generated_one() {
        let r = render("## Title\n{: #custom }\n\n## Title\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["custom", "title"]);
    }

    #[test]
    fn unbalanced_quote_in_ial_warns_and_keeps_going() {
        let r = render("text\n\n~~~\nx\n~~~\n  {: title=\"Curl }\n");
        assert_eq!(warnings(&r), [("unbalanced-ial-quote", 6, 12)]);
        assert_eq!(code_blocks(&r)[0].title.as_deref(), Some("Curl"));
        assert!(!show(&r).contains("{:"));
    }

    #[test]
    fn kramdown_extensions_and_alds_are_dropped() {
        let out = html(
            "{::comment}\nhidden *text*\n{:/comment}\nshown\n\n{::comment}one line{:/}\n{:ald: .x}\n{::options auto_ids=\"false\" /}\nafter\n",
        );
        assert!(!out.contains("hidden"), "{out}");
        assert!(!out.contains("one line"), "{out}");
        assert!(
            out.contains("<p>shown</p>") && out.contains("<p>after</p>"),
            "{out}"
        );
        assert!(!out.contains("{:"), "{out}");
    }

    #[test]
    fn ial_like_lines_inside_code_stay_code() {
        let r = render("~~~\n{: .not-an-ial }\n~~~\n");
        assert_eq!(code_blocks(&r)[0].code, "{: .not-an-ial }\n");
    }

    // ---- span IALs ------------------------------------------------------------------------

    #[test]
    fn span_ials_on_links_and_images() {
        let src = "See [the docs](https://example.com){: target=\"_blank\"} and \
                   ![logo](logo.png){:class=\"small\"} then [plain](#p).\n";
        insta::assert_snapshot!(html(src));
    }

    // ---- code blocks ----------------------------------------------------------------------

    #[test]
    fn fences_keep_raw_code_and_first_word_of_info() {
        let r = render("~~~ bash extra words\necho 'hi' -- \"x\"\n\n~~~\n\n```python\nprint(1)\n```\n\n    indented\n      more\n");
        let codes = code_blocks(&r);
        assert_eq!(codes.len(), 3);
        assert_eq!(codes[0].lang.as_deref(), Some("bash"));
        assert_eq!(codes[0].code, "echo 'hi' -- \"x\"\n\n");
        assert_eq!(codes[0].pos, Pos::new(1, 1));
        assert_eq!(codes[1].lang.as_deref(), Some("python"));
        assert_eq!(codes[1].code, "print(1)\n");
        assert_eq!(codes[1].pos, Pos::new(6, 1));
        assert_eq!(codes[2].lang, None);
        assert_eq!(codes[2].code, "indented\n  more\n");
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn code_blocks_split_the_html_in_order() {
        let r = render("before\n\n~~~\nx\n~~~\n\nafter\n");
        assert!(
            matches!(&r.blocks[..], [Block::Html(a), Block::Code(_), Block::Html(b)]
            if a == "<p>before</p>\n" && b == "<p>after</p>\n")
        );
    }

    #[test]
    fn unclosed_fence_runs_to_the_end_and_warns() {
        let r = render("intro\n\n  ~~~ js\nlet a = 1;\n\nmore\n");
        let codes = code_blocks(&r);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].code, "let a = 1;\n\nmore\n");
        assert_eq!(warnings(&r), [("unclosed-fence", 3, 3)]);
        // A closed fence with a longer closing run is fine.
        assert!(render("````\nx\n``````\n").diagnostics.is_empty());
    }

    // ---- tables and inline ---------------------------------------------------------------

    #[test]
    fn lenient_table_separator() {
        let src = "\
| Code | Name | Meaning |
|------|:----------------------------------|
| 200  | OK   | Fine    |
| 404  | Gone |
";
        insta::assert_snapshot!(html(src));
    }

    #[test]
    fn inline_features() {
        let out = html(
            "~~gone~~ ~kept~ line  \nnext<br>end \u{a0}nbsp\ttab https://example.com/x_y 日本語 ✓\n\n<div class=\"raw\">\n*not md*\n</div>\n\n<!-- a comment -->\n",
        );
        assert!(out.contains("<del>gone</del> ~kept~ line<br />\nnext<br>end \u{a0}nbsp\ttab https://example.com/x_y 日本語 ✓"), "{out}");
        assert!(
            out.contains("<div class=\"raw\">\n*not md*\n</div>"),
            "{out}"
        );
        assert!(out.contains("<!-- a comment -->"), "{out}");
    }

    #[test]
    fn images_render_with_alt_and_title() {
        let out = html("![A *b* c](img.png \"T\")\n");
        assert!(
            out.contains("<img src=\"img.png\" alt=\"A b c\" title=\"T\" />"),
            "{out}"
        );
    }

    #[test]
    fn smart_punctuation_like_kramdown() {
        let out =
            html("It's \"quoted\" and 'single' -- a --- b... (\"x\") the '80s\n\n`it's \"raw\"`\n");
        assert!(
            out.contains("It’s “quoted” and ‘single’ – a — b… (“x”) the ’80s"),
            "{out}"
        );
        assert!(
            out.contains(
                "<code class=\"language-plaintext highlighter-rouge\">it's \"raw\"</code>"
            ),
            "{out}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let out = html("a < b & c > d\n");
        assert!(out.contains("a &lt; b &amp; c &gt; d"), "{out}");
    }

    // ---- headings -------------------------------------------------------------------------

    #[test]
    fn headings_get_kramdown_ids_with_repeats() {
        let src = "### URL Parameters:\n\n## URL Parameters\n\n#### URL `Parameters`\n\nSetext *one*\n-----\n\n# Ünïcode 日本 — x\n";
        let r = render(src);
        insta::assert_snapshot!(show(&r));
        let got: Vec<_> = r
            .headings
            .iter()
            .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "url-parameters", "URL Parameters:"),
                (2, "url-parameters-1", "URL Parameters"),
                (4, "url-parameters-2", "URL Parameters"),
                (2, "setext-one", "Setext one"),
                (1, "ünïcode-日本--x", "Ünïcode 日本 — x"),
            ]
        );
    }

    #[test]
    fn heading_id_rule() {
        assert_eq!(heading_id("URL Parameters:"), "url-parameters");
        assert_eq!(heading_id("a_b-c d\te"), "a_b-c-d-e");
        assert_eq!(heading_id("What's new? (v2.0)"), "whats-new-v20");
        assert_eq!(heading_id("Café déjà"), "café-déjà");
        // Combining marks are word characters in kramdown's `\p{Word}`.
        assert_eq!(heading_id("e\u{301}t\u{e9}"), "e\u{301}t\u{e9}");
        assert_eq!(heading_id("กวินทร์"), "กวินทร์");
    }

    // ---- HTML balancing -------------------------------------------------------------------

    #[test]
    fn balance_drops_stray_closers_and_closes_open_tags() {
        assert_eq!(balance_html("<p>x</p></div></section></main>"), "<p>x</p>");
        assert_eq!(balance_html("<div><span>x"), "<div><span>x</span></div>");
        assert_eq!(balance_html("<div><b>x</div>y"), "<div><b>x</b></div>y");
        assert_eq!(
            balance_html("<br><img src=\"a\"><hr/><input type=text>"),
            "<br><img src=\"a\"><hr/><input type=text>"
        );
        assert_eq!(balance_html("<!-- </div> -->ok"), "<!-- </div> -->ok");
        assert_eq!(balance_html("<!-- open"), "<!-- open-->");
        assert_eq!(
            balance_html("<pre></div><b></pre>x</DIV>"),
            "<pre></div><b></pre>x"
        );
        assert_eq!(
            balance_html("<script>if (a</b) {}</SCRIPT>"),
            "<script>if (a</b) {}</SCRIPT>"
        );
        assert_eq!(balance_html("<textarea>"), "<textarea></textarea>");
        assert_eq!(balance_html("a < b <c"), "a &lt; b &lt;c");
        assert_eq!(
            balance_html("<!DOCTYPE html><P>x</p>"),
            "<!DOCTYPE html><P>x</p>"
        );
    }

    #[test]
    fn balance_is_linear_on_hostile_input() {
        // Quadratic behaviour would make these take minutes; they must just finish.
        let many_lt = "<a ".repeat(200_000);
        assert_eq!(balance_html(&many_lt).matches("&lt;").count(), 200_000);
        let deep = "<div>".repeat(100_000) + &"</span>".repeat(100_000);
        let out = balance_html(&deep);
        assert_eq!(out.matches("</div>").count(), 100_000);
        assert!(!out.contains("</span>"));
    }

    #[test]
    fn render_balances_the_doc_as_one_stream() {
        let r = render(
            "<div class=\"note\">\n\n~~~\ncode\n~~~\n\n</div>\n\n</section></main>\n\n<span>open\n",
        );
        let out = show(&r);
        assert!(out.starts_with("<div class=\"note\">"), "{out}");
        assert_eq!(out.matches("</div>").count(), 1, "{out}");
        assert!(
            !out.contains("</section>") && !out.contains("</main>"),
            "{out}"
        );
        assert!(out.ends_with("<p><span>open</span></p>\n"), "{out}");
        let r = render("* item\n\n  ~~~\n  x\n  ~~~\n\n* next\n");
        let out = show(&r);
        assert_eq!(out.matches("</li>").count(), 2, "{out}");
        assert_eq!(out.matches("</ul>").count(), 1, "{out}");
    }

    // ---- robustness -----------------------------------------------------------------------

    #[test]
    fn deep_nesting_does_not_overflow_a_default_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let inputs = [
                    "> ".repeat(10_000) + "deep\n",
                    "- ".repeat(10_000) + "deep\n",
                    "1. ".repeat(10_000) + "deep\n",
                    "* a\n".to_string() + &"  ".repeat(10_000) + "* b\n",
                    "[".repeat(10_000) + &"]".repeat(10_000),
                    "*a ".repeat(10_000),
                    "<div>".repeat(10_000),
                ];
                inputs
                    .iter()
                    .map(|s| show(&render(s)).len())
                    .collect::<Vec<_>>()
            })
            .unwrap();
        let lens = handle.join().expect("render overflowed a 2 MiB stack");
        assert!(lens.iter().all(|&n| n > 0));
    }

    #[test]
    fn megabyte_single_line() {
        let line = "word 'q' -- [x](y){: .c} `c` *e* ".repeat(31_000);
        assert!(line.len() > 1_000_000);
        let out = html(&line);
        assert_eq!(out.matches("<a href=\"y\" class=\"c\">").count(), 31_000);
        let pipes = "|".repeat(1_000_000);
        let _ = html(&pipes);
        let braces = "{:".repeat(500_000) + "}";
        let _ = html(&braces);
    }

    #[test]
    fn crlf_input_renders_like_lf() {
        let lf = "# T\n\nterm\n: def\n\n~~~ sh\nls\n~~~\n{: title=\"X\" }\n\np  \nq\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(render(&crlf), render(lf));
        // A lone CR is neither a line end nor a crash.
        let _ = render("a\rb\r\r: c\r");
    }

    #[test]
    fn no_panic_on_any_prefix_of_tricky_input() {
        let tricky = "# H é\n{: #x title=\"q }\nt\n: d `c\n\n| a | b\n|-\n~~~ x\n{::comment}\n\
                      ![i](s){: a='b\n<div><!-- x\n> * 1. [l](u \"t\"){:.c}\n  ```\n\u{a0}\t日本";
        for (i, _) in tricky.char_indices() {
            let _ = render(&tricky[..i]);
            let _ = balance_html(&tricky[..i]);
        }
    }

    #[test]
    fn corpora_render_without_ial_text() {
        // The shared corpora sit beside the checkout (or beside the worktrees' folder).
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Some(root) = ["../shared/corpora", "../../shared/corpora"]
            .iter()
            .map(|r| here.join(r))
            .find(|p| p.exists())
        else {
            return;
        };
        let root = root.as_path();
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            // Code samples and code spans may legitimately show `{:`; only prose is checked.
            let mut prose = String::new();
            for block in render(&text).blocks {
                if let Block::Html(h) = block {
                    let mut rest = h.as_str();
                    while let Some(i) = rest.find("<code") {
                        prose.push_str(&rest[..i]);
                        rest = rest[i..].split_once("</code>").map_or("", |x| x.1);
                    }
                    prose.push_str(rest);
                }
            }
            assert!(!prose.contains("{:"), "{}: {prose}", path.display());
            seen += 1;
        }
        assert!(seen > 100, "only {seen} markdown files found");
    }
}
