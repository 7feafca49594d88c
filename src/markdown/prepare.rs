//! Pass 1, the line pre-pass: blanks kramdown-only lines (block IALs, ALDs, `{::…}`
//! extensions), recording block IALs, repairs table separator rows, swaps the separator
//! that opens a table with no header row with that table's first row (and moves a separator
//! under a table's first row when more rows are above it), and escapes the separator of a
//! table kramdown reads as a paragraph. It never adds or removes a line (a `\r` it adds is a
//! line end only to pulldown-cmark), so line numbers of the prepared text are those of the
//! source.

use super::code_spans::escape_spaced_ticks;
use super::ial::{is_ald, parse_attr_list};
use super::Attrs;
use crate::diagnostics::Diagnostic;
use crate::error::{LineIndex, Pos};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// The source after the line pre-pass. Line `n` of `text` is line `n` of the original.
#[derive(Default)]
pub(super) struct Prepared {
    pub(super) text: String,
    /// Per line: blank in the original, or a kramdown-only line (ALD, extension) that kramdown
    /// treats like a block boundary.
    pub(super) blank: Vec<bool>,
    /// Per line: a block IAL (its attributes are in `ials`).
    pub(super) ial_line: Vec<bool>,
    pub(super) ials: Vec<BlockIal>,
    /// 0-based lines where a table with no header row starts (see [`opens_headless_table`]).
    pub(super) headless_tables: Vec<usize>,
    /// A table's first line and how many of the body rows pulldown-cmark sees are kramdown's
    /// head rows too (rows above its separator line after the first).
    pub(super) head_rows: Vec<(usize, usize)>,
}

pub(super) struct BlockIal {
    pub(super) line: usize,
    /// Leading whitespace of the IAL line in bytes: decides between a block and its container.
    pub(super) indent: usize,
    pub(super) attrs: Attrs,
}

impl Prepared {
    /// 0-based line of a byte offset of `text`; the text's end is on its last line.
    pub(super) fn line_of(&self, lines: &LineIndex, offset: usize) -> usize {
        (lines.line(offset) - 1).min(self.blank.len().saturating_sub(1))
    }
}

/// An open fence in the pre-pass: its character and run length.
pub(super) type Fence = (char, usize);

/// Whether the IAL on line `idx`, `indent` in, ends a list whose item is above it with an
/// item below it: the nearest line above that is no deeper than the IAL is a list item (a
/// paragraph's lines and deeper blocks of the item may lie between), the line above is no
/// blank, and the line below is an item.
fn ends_list(lines: &[&str], idx: usize, indent: usize) -> bool {
    let depth = |l: &str| l.len() - l.trim_start().len();
    let item = |l: &str| {
        let t = l.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let rest = if digits > 0 {
            t[digits..].strip_prefix('.')
        } else {
            t.strip_prefix(['*', '-', '+'])
        };
        rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    };
    let above = lines[..idx].iter().rev();
    let owner = above
        .filter(|l| !l.trim().is_empty())
        .find(|l| depth(l) <= indent);
    idx > 0
        && !lines[idx - 1].trim().is_empty()
        && owner.is_some_and(|l| item(l))
        && lines
            .get(idx + 1)
            .is_some_and(|l| item(l) && depth(l) <= indent)
}

/// The line pre-pass: blanks kramdown-only lines (recording block IALs), repairs table
/// separators, and normalises `\r`. Lines inside fences and HTML comments are copied as is.
pub(super) fn prepare(src: &str, diags: &mut Vec<Diagnostic>) -> Prepared {
    let mut p = Prepared::default();
    let mut fence: Option<Fence> = None;
    let mut in_html_comment = false;
    let mut in_kramdown_comment = false;
    // The last line of a block element kramdown keeps raw across blank lines.
    let mut raw_until: Option<usize> = None;
    // Whether that element is put between `<?` and `?>` (else its blank lines are marked).
    let mut raw_wrap = false;
    let body = src.strip_suffix('\n').unwrap_or(src);
    if src.is_empty() {
        return p;
    }
    let mut prev_line: Cow<str> = Cow::Borrowed("");
    // Split with memchr's vector scan: `split('\n')` went through a char searcher per line.
    let mut raw_lines: Vec<&str> = Vec::new();
    let mut at = 0;
    for end in memchr::memchr_iter(b'\n', body.as_bytes()) {
        raw_lines.push(&body[at..end]);
        at = end + 1;
    }
    raw_lines.push(&body[at..]);
    // The separator line of a table with no header row, swapped below its first row.
    let mut swapped_separator: Option<String> = None;
    // Made at the first fence: most texts a render sees have none.
    let mut closing_runs: Option<Vec<ClosingRuns>> = None;
    let mut raw_blocks = RawBlocks::default();
    // The backtick run of a code span still open at the end of the line before.
    let mut open_ticks: Option<usize> = None;
    for idx in 0..raw_lines.len() {
        let source = raw_lines[idx];
        let source = source.strip_suffix('\r').unwrap_or(source);
        let made = swapped_separator.take();
        let raw = made
            .as_deref()
            .map_or(source, |m| m.strip_suffix('\r').unwrap_or(m));
        // A lone `\r` is not a line end for positions (`Pos` counts `\n`), so it becomes a space.
        // Most lines are the text's own as they are: borrowed, not copied.
        let line: Cow<str> = match &made {
            None if !raw.contains('\r') => Cow::Borrowed(source),
            _ => Cow::Owned(raw.replace('\r', " ")),
        };
        let trimmed = line.trim();
        let mut blank = trimmed.is_empty();
        let mut is_ial = false;
        let mut out: Option<String> = None;
        if let Some(end) = raw_until.filter(|&end| idx <= end) {
            // kramdown reads a block element's body as raw HTML up to its closing tag, blank
            // lines and all, and the line after that tag as markdown; CommonMark ends its
            // HTML block at the first blank line, reading the rest as markdown (an indented
            // line as code), and runs it on past the closing tag to a blank line. Where the
            // element opens a block, it is put between `<?` and `?>` (a block CommonMark
            // ends at the line holding `?>`); where it carries on an HTML block of the lines
            // above, its blank lines get a mark. Both marks are taken out of the raw HTML.
            if raw_wrap && idx == end {
                out = Some(format!("{line}{RAW_CLOSE}"));
            } else if blank && !raw_wrap {
                out = Some(SPAN_MARK.to_string());
            }
            if idx == end {
                raw_until = None;
            }
        } else if let Some((c, n)) = fence {
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
        } else if let Some((c, n)) = opens_fence(&line) {
            open_ticks = None;
            let runs = closing_runs.get_or_insert_with(|| ClosingRuns::below(&raw_lines));
            if runs.get(idx + 1).is_some_and(|r| r.of(c) >= n) {
                fence = Some((c, n));
            } else {
                // kramdown's fence is its opening line, the code and a closing line; with
                // no closing line below, the opening line is paragraph text and the lines
                // after it markdown. CommonMark would run the code to the end.
                let indent = line.len() - line.trim_start().len();
                diags.push(Diagnostic::warning(
                    "unclosed-fence",
                    PathBuf::new(),
                    Pos::new(idx + 1, indent + 1),
                    "code fence is never closed: kramdown reads its line as text, and the lines after it as markdown",
                ));
                out = Some(format!("{}{SPAN_MARK}{}", &line[..indent], &line[indent..]));
            }
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
                        "unbalanced quote in attribute list `{:…}`: like kramdown, the attribute is dropped",
                    ));
                }
                p.ials.push(BlockIal {
                    line: idx,
                    indent,
                    attrs,
                });
                if ends_list(&raw_lines, idx, indent) {
                    // kramdown's list ends at an IAL line under an item: an item below starts
                    // a list of its own. A blank line would only loosen CommonMark's list; a
                    // block of its own (removed on output) ends it.
                    out = Some(BLOCK_MARK.to_string());
                }
            }
        } else {
            in_html_comment = opens_html_comment(&line, false);
            if blank_above(&prev_line) || prev_line.trim_start().starts_with('<') {
                raw_until = raw_blocks.end(&raw_lines, idx);
                raw_wrap = raw_until.is_some_and(|end| {
                    blank_above(&prev_line)
                        && !raw_lines[idx..=end].iter().any(|l| l.contains("?>"))
                });
                if raw_wrap {
                    let indent = line.len() - line.trim_start().len();
                    out = Some(format!("{}{RAW_OPEN}{}", &line[..indent], &line[indent..]));
                }
            }
            // Asked only under a blank line: a table's rows are not each read to its end.
            let head = blank_above(&prev_line).then(|| head_rows(&raw_lines[idx..]));
            if let Some(rows) = head.flatten() {
                // kramdown puts every row above the separator line in the thead; GFM has a
                // single header row. The separator moves up under the first row (the other
                // head rows each a line down) and the writer keeps those rows in the thead.
                raw_lines[idx + 1..=idx + rows].rotate_right(1);
                raw_blocks.moved(&raw_lines[idx + 1..=idx + rows]);
                p.head_rows.push((idx, rows - 1));
            }
            let next = raw_lines.get(idx + 1).copied();
            if blank_above(&prev_line) && rows_only_table(&raw_lines[idx..]) {
                // kramdown reads rows with no separator line, after a blank line or as the
                // text's start, as a table of body rows alone. The separator made for them
                // goes on the first row's line after a lone `\r`: pulldown-cmark ends a line
                // there and sees a table, positions count only `\n`, so no line number
                // moves; the writer turns its head back into a body row.
                // The separator keeps the row's indent, so it stays in a list item's text.
                let indent = &line[..line.len() - line.trim_start().len()];
                p.headless_tables.push(idx);
                out = Some(format!("{line}\r{indent}{}", made_separator(raw)));
            } else if let Some(row) = next.filter(|_| {
                opens_headless_table(&prev_line, &line, next) && table_closes(&raw_lines[idx + 1..])
            }) {
                // GFM needs a header row above the separator; kramdown's table may open with
                // its separator and then has no thead. The first row takes the separator's
                // place so pulldown-cmark sees a table; the writer turns its head back into
                // a body row. Both lines stay in the table, so no line count changes.
                swapped_separator = Some(raw.to_string());
                p.headless_tables.push(idx);
                let row = row.strip_suffix('\r').unwrap_or(row);
                out = Some(row.replace('\r', " "));
            } else if is_separator(&line)
                && prev_line.contains('|')
                && (under_no_boundary(&raw_lines[..idx])
                    || !table_closes(&raw_lines[idx + 1..])
                    || (made.is_none() && !has_body(&raw_lines[idx + 1..])))
            {
                // kramdown starts a table only after a block boundary (not inside a
                // paragraph, not right under a header or a code block), reads a table whose rows run
                // straight into a line of another kind as paragraph text, lines and all, and
                // drops a table with no body (no row below its separator; a separator swapped
                // under a headless table's first row has its rows above it); pulldown-cmark
                // would start or keep the table. An escaped pipe keeps this line from being
                // the separator, so every line stays paragraph text.
                let indent = line.len() - line.trim_start().len();
                out = Some(format!("{}\\{}", &line[..indent], &line[indent..]));
            } else if let Some(fixed) = repair_separator(&prev_line, &line) {
                out = Some(fixed);
            } else if let Some(fixed) = escape_bare_colon(&line) {
                out = Some(fixed);
            } else if prev_line.trim().is_empty() && is_lone_span_tag(trimmed) {
                // CommonMark starts an HTML block at a line holding only a tag, swallowing
                // the lines after it up to a blank line; kramdown does so only for block
                // elements. A mark before the tag keeps it paragraph text (removed on output).
                out = Some(format!("{SPAN_MARK}{line}"));
            } else if closes_block_html(trimmed)
                && raw_lines
                    .get(idx + 1)
                    .is_some_and(|next| starts_markdown(next))
            {
                // kramdown ends a block element at its closing tag and reads the next line
                // as markdown; CommonMark's HTML block would run on to a blank line. An
                // HTML block that CommonMark ends on its own line (`<?…?>`, removed on
                // output) holds the element instead.
                let indent = line.len() - line.trim_start().len();
                out = Some(format!(
                    "{}{BLOCK_MARK}{}",
                    &line[..indent],
                    &line[indent..]
                ));
            }
            if let Some(fixed) = bracket_spaced_destinations(out.as_deref().unwrap_or(&line)) {
                out = Some(fixed);
            }
            if raw_until.is_none() {
                let continues =
                    !prev_line.trim().is_empty() && !prev_line.trim_start().starts_with('#');
                let text = out.as_deref().unwrap_or(&line);
                if let Some(fixed) = escape_spaced_ticks(text, continues, &mut open_ticks) {
                    out = Some(fixed);
                }
            }
        }
        let line = out.map_or(line, Cow::Owned);
        p.text.push_str(&line);
        p.text.push('\n');
        p.blank.push(blank);
        p.ial_line.push(is_ial);
        prev_line = if fence.is_some() {
            Cow::Borrowed("")
        } else {
            line
        };
    }
    p
}

/// Put before a line so CommonMark reads it as paragraph text; never reaches the output.
pub(super) const SPAN_MARK: char = '\u{E000}';

/// Put before a line so CommonMark ends the HTML block with that line; never reaches the
/// output.
pub(super) const BLOCK_MARK: &str = "<?\u{E000}?>";

/// Put before the line that opens a block element and after the line that closes it, so
/// CommonMark reads the lines between as one HTML block whatever they hold; never reach
/// the output.
pub(super) const RAW_OPEN: &str = "<?\u{E000}";
pub(super) const RAW_CLOSE: &str = "\u{E000}?>";

/// Block-level elements whose start tag makes CommonMark swallow the lines after it up to
/// a blank line (its HTML block kind 6) where kramdown stops at the closing tag.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// A line that opens a block element and ends with its closing tag (`<h6>Parameters</h6>`,
/// `<div class="x">…</div>`), or is a lone `<hr>` (`<hr/>`, `<hr class="x">`): kramdown's
/// element has no body, so nothing after it is its own.
pub(super) fn closes_block_html(line: &str) -> bool {
    block_tag(line).is_some_and(|name| line.to_ascii_lowercase().ends_with(&format!("</{name}>")))
        || is_lone_hr(line)
}

fn is_lone_hr(line: &str) -> bool {
    let Some(rest) = line
        .get(3..)
        .filter(|_| line[..3].eq_ignore_ascii_case("<hr"))
    else {
        return false;
    };
    matches!(rest.chars().next(), Some('>' | '/' | ' ' | '\t'))
        && rest.ends_with('>')
        && !rest[..rest.len() - 1].contains(['<', '>'])
}

/// The name (lowercase) of the block element whose start tag opens `text`.
pub(super) fn block_tag(text: &str) -> Option<String> {
    let name = tag_name(text)?.to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str()).then_some(name)
}

/// The name of the start tag that opens `text` (`<name` then `>`, a space, a tab or the
/// line's end).
pub(super) fn tag_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('<')?;
    let len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    (len > 0 && matches!(rest[len..].chars().next(), Some('>' | ' ' | '\t') | None))
        .then(|| &rest[..len])
}

/// Where block elements opened at a line's start close, found for a whole doc at once: the
/// pre-pass asks at each such line after a blank line or a tag, and scanning on from each
/// line to its closing tag (to the doc's end for one never closed, as a sloppy `<p>` is)
/// made a doc of such lines quadratic.
#[derive(Default)]
pub(super) struct RawBlocks {
    /// Blank lines above each line (`blanks[n]`: among the first `n` lines).
    blanks: Vec<usize>,
    /// Per element name, per line whose first `<` opens that element: the line of its
    /// closing tag and whether that tag ends its line.
    closes: HashMap<String, Vec<Option<(usize, bool)>>>,
}

impl RawBlocks {
    /// Where a block element opened by `lines[idx]` closes, when CommonMark would end it
    /// elsewhere: a blank line comes before its closing tag, or a line of markdown right
    /// after the line that tag ends. kramdown keeps the element raw to its closing tag. Not
    /// an element that closes on its own line, nor one with a `markdown` attribute (its body
    /// is markdown to kramdown), nor one never closed.
    pub(super) fn end(&mut self, lines: &[&str], idx: usize) -> Option<usize> {
        let first = lines[idx];
        let indent = first.len() - first.trim_start_matches(' ').len();
        let name = block_tag(&first[indent..]).filter(|_| indent <= 3)?;
        if first[..first.find('>').unwrap_or(first.len())].contains("markdown=") {
            return None;
        }
        if self.blanks.is_empty() {
            self.blanks = std::iter::once(0)
                .chain(lines.iter().scan(0, |n, l| {
                    *n += usize::from(l.trim().is_empty());
                    Some(*n)
                }))
                .collect();
        }
        let closes = self
            .closes
            .entry(name.clone())
            .or_insert_with(|| element_closes(lines, &name));
        let (n, ends_line) = closes[idx]?;
        let blank_inside = self.blanks[n] > self.blanks[idx];
        let then_markdown = ends_line && lines.get(n + 1).is_some_and(|next| starts_markdown(next));
        ((blank_inside || then_markdown) && n > idx).then_some(n)
    }

    /// Lines were moved (a table's rows): what was found over them no longer holds.
    fn moved(&mut self, lines: &[&str]) {
        if lines.iter().any(|l| l.contains('<') || l.trim().is_empty()) {
            *self = RawBlocks::default();
        }
    }
}

/// For each line whose first `<` opens element `name`, where that element closes: each
/// closing tag closes the innermost element of that name still open, as kramdown counts them.
fn element_closes(lines: &[&str], name: &str) -> Vec<Option<(usize, bool)>> {
    let close = format!("</{name}>");
    let mut closes = vec![None; lines.len()];
    // Open elements: their line, when their tag is the first `<` of that line.
    let mut open: Vec<Option<usize>> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        #[cfg(test)]
        super::tests::LINES_SCANNED.with(|c| c.set(c.get() + 1));
        let lower = line.to_ascii_lowercase();
        let mut at = 0;
        let mut first = true;
        while let Some(i) = lower[at..].find('<') {
            let tag = &lower[at + i..];
            if tag.starts_with(&close) {
                if let Some(Some(opened)) = open.pop() {
                    let ends_line = lower[at + i + close.len()..].trim().is_empty();
                    closes[opened] = Some((n, ends_line));
                }
            } else if tag_name(tag) == Some(name) {
                open.push(first.then_some(n));
            }
            first = false;
            at += i + 1;
        }
    }
    closes
}

/// A line of markdown, not more HTML, a blank or an attribute list.
pub(super) fn starts_markdown(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('<') && !t.starts_with("{:")
}

/// A line that is only an open or close tag of a span-level element (`<br>`, `<a href=…>`,
/// `</span>`): kramdown keeps it in a paragraph, CommonMark would start an HTML block.
pub(super) fn is_lone_span_tag(line: &str) -> bool {
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
pub(super) fn escape_bare_colon(line: &str) -> Option<String> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    let after = rest.strip_prefix(':')?;
    if indent > 3 || after.starts_with([' ', '\t']) {
        return None;
    }
    Some(format!("{}\\{}", &line[..indent], rest))
}

/// kramdown's inline link takes everything up to its closing parenthesis as the URL, spaces
/// too (`[mail](mailto:a@b.c?subject=Need help)`), where CommonMark ends the link at the
/// first space (no link at all): such a destination is put in `<…>`, which CommonMark reads
/// with its spaces. A title (`"…"` or `'…'` last) stays outside. Code spans are left alone,
/// and lines indented as code.
pub(super) fn bracket_spaced_destinations(line: &str) -> Option<String> {
    if line.len() - line.trim_start_matches(' ').len() >= 4 || !line.contains("](") {
        return None;
    }
    let b = line.as_bytes();
    let mut out = String::new();
    let (mut done, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'`' {
            // Skip a code span: its run of backticks to the same run.
            let run = b[i..].iter().take_while(|&&c| c == b'`').count();
            let fence = &line[i..i + run];
            i = match line[i + run..].find(fence) {
                Some(end) => i + run + end + run,
                None => i + run,
            };
            continue;
        }
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if !b[i..].starts_with(b"](") {
            i += 1;
            continue;
        }
        let open = i + 2;
        let mut depth = 1;
        let mut j = open;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= b.len() {
            break;
        }
        let inner = &line[open..j];
        let trimmed = inner.trim();
        let (url, title) = split_title(trimmed);
        if url.contains(char::is_whitespace) && !url.starts_with('<') && !url.contains(['<', '>']) {
            out.push_str(&line[done..open]);
            out.push('<');
            out.push_str(url);
            out.push('>');
            if !title.is_empty() {
                out.push(' ');
                out.push_str(title);
            }
            done = j;
        }
        i = j + 1;
    }
    if done == 0 {
        return None;
    }
    out.push_str(&line[done..]);
    Some(out)
}

/// A link's parenthesised text split into its URL and its title (`"…"` or `'…'` at the end,
/// after a space), as kramdown splits it.
fn split_title(inner: &str) -> (&str, &str) {
    for q in ['"', '\''] {
        if let Some(body) = inner.strip_suffix(q) {
            if let Some(open) = body.rfind(q) {
                let url = &inner[..open];
                if url.ends_with(char::is_whitespace) {
                    return (url.trim_end(), &inner[open..]);
                }
            }
        }
    }
    (inner, "")
}

pub(super) fn opens_fence(line: &str) -> Option<Fence> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.chars().take_while(|&x| x == c).count();
    let rest = &t[n..];
    (n >= 3 && !(c == '`' && rest.contains('`'))).then_some((c, n))
}

/// For each line, the longest fence of each character that some line from it on could
/// close ([`closes_fence`]), so whether a fence opened above it is ever closed is one look-up.
/// A line that can close a fence holds no `|`, so no table row moved by the pre-pass is one
/// (and they may be found after the pre-pass moved some).
#[derive(Clone, Copy, Default)]
struct ClosingRuns {
    tilde: usize,
    backtick: usize,
}

impl ClosingRuns {
    fn below(lines: &[&str]) -> Vec<ClosingRuns> {
        let mut runs = vec![ClosingRuns::default(); lines.len() + 1];
        for (idx, raw) in lines.iter().enumerate().rev() {
            // The pre-pass reads each `\r` as a space: trimmed as one.
            let t = raw.trim_start_matches([' ', '\t', '>', '\r']);
            let mut here = runs[idx + 1];
            for (c, longest) in [('~', &mut here.tilde), ('`', &mut here.backtick)] {
                *longest = (*longest).max(closing_run(t, c));
            }
            runs[idx] = here;
        }
        runs
    }

    fn of(&self, c: char) -> usize {
        if c == '~' {
            self.tilde
        } else {
            self.backtick
        }
    }
}

pub(super) fn closes_fence(line: &str, c: char, n: usize) -> bool {
    closing_run(line.trim_start_matches([' ', '\t', '>']), c) >= n
}

/// The length of the run of `c` that `t` (a line, its indent and quote marks taken off) is,
/// when nothing but whitespace follows it; else 0. A fence is closed by a run at least as
/// long as its own (three or more).
fn closing_run(t: &str, c: char) -> usize {
    let run = t.chars().take_while(|&x| x == c).count();
    if t[run..].trim().is_empty() {
        run
    } else {
        0
    }
}

/// Whether an HTML comment is still open at the end of `line` (`inside`: it was open before).
pub(super) fn opens_html_comment(line: &str, inside: bool) -> bool {
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

pub(super) fn has_extension_end(s: &str) -> bool {
    s.contains("{:/comment}") || s.contains("{:/}")
}

/// Column count of a table row: unescaped pipes, ignoring a leading and a trailing one.
pub(super) fn table_cells(line: &str) -> usize {
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

/// Whether `line` is a separator line (`|---|---|`).
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// kramdown's table (`parse_table`) skips a separator line that comes before any row and so
/// has no thead when it opens with one. It starts only after a block boundary (a blank line,
/// an attribute list, the text's start: not under a header) and needs a row after the
/// separator.
pub(super) fn opens_headless_table(prev: &str, line: &str, next: Option<&str>) -> bool {
    let boundary = prev.trim().is_empty();
    let row = next
        .map(str::trim)
        .is_some_and(|n| !n.is_empty() && !is_separator(n) && is_table_line(n));
    boundary && is_separator(line) && row
}

/// Whether `lines` open with rows of a table that has no separator line, as kramdown reads
/// one after a blank line: lines that open with a `|` (not indented as code), up to a blank
/// line or the text's end (any other line after them makes them a paragraph).
fn rows_only_table(lines: &[&str]) -> bool {
    let rows = table_rows(lines);
    rows > 0 && lines.get(rows).is_none_or(|l| l.trim().is_empty())
}

/// How many lines `lines` open with that are table rows (not indented as code, no separator
/// line): a `|` first, or, as kramdown's `TABLE_LINE` takes it, an unescaped `|` later
/// outside code spans (`a | b`) on a line that starts no other block (a header, a list item,
/// a quote, HTML, an attribute list, a definition).
fn table_rows(lines: &[&str]) -> usize {
    let is_row = |l: &&&str| {
        let t = l.trim_start();
        l.len() - t.len() < 4
            && !is_separator(l)
            && (t.starts_with('|') || (!starts_other_block(t) && pipe_outside_code(t)))
    };
    lines.iter().take_while(is_row).count()
}

/// Whether `t` (a line without its indent) starts a block other than a paragraph.
fn starts_other_block(t: &str) -> bool {
    // `1)` is text to kramdown but a list item to pulldown-cmark, which would keep the
    // made separator as text: left a paragraph, as before.
    let ordered = t.split_once(['.', ')']).is_some_and(|(n, rest)| {
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
    });
    let marker = |m: &str| {
        t.strip_prefix(m)
            .is_some_and(|r| r.starts_with([' ', '\t']))
    };
    // A link, footnote or abbreviation definition: `[x]: url`, `[^1]: …`, `*[HTML]: …`.
    let definition = t
        .strip_prefix('*')
        .unwrap_or(t)
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .is_some_and(|(_, rest)| rest.starts_with(':'));
    t.starts_with(['#', '>', '<'])
        || definition
        || ["```", "~~~", "{:"].iter().any(|p| t.starts_with(p))
        || ["*", "-", "+", ":"].iter().any(|m| marker(m))
        || ordered
}

/// Whether `line` has a `|` with no backslash before it outside code spans: kramdown checks
/// each row of a table so, and reads the rows as paragraph text when one has none.
fn pipe_outside_code(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'|' => return true,
            b'`' => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let fence = &line[i..i + run];
                let after = i + run;
                // A code span ends at the next run of as many backticks; unclosed, the
                // backticks are text.
                let close = line[after..].match_indices(fence).find(|&(k, _)| {
                    let end = after + k + run;
                    (after + k == 0 || b[after + k - 1] != b'`') && b.get(end) != Some(&b'`')
                });
                i = close.map_or(after, |(k, _)| after + k + run);
            }
            _ => i += 1,
        }
    }
    false
}

/// Whether the rows of a table that start `lines` (below its separator) end as kramdown
/// needs: at a blank line, an attribute list or the text's end. Any other line right after
/// them makes the whole table a paragraph. A row is any line kramdown's `TABLE_LINE` takes:
/// a `|` first or an unescaped one later.
fn table_closes(lines: &[&str]) -> bool {
    lines.iter().find(|l| !is_table_line(l)).is_none_or(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with("{:")
    })
}

/// Whether a row follows a table's separator line (`lines` are those below it) before the
/// table ends: kramdown ignores a table with no body ("table without body"), its rows then
/// paragraph text.
fn has_body(lines: &[&str]) -> bool {
    lines
        .iter()
        .take_while(|l| is_table_line(l))
        .any(|l| !is_separator(l))
}

/// A line a table may start under: blank, or the text's start.
fn blank_above(prev: &str) -> bool {
    prev.trim().is_empty()
}

/// How many rows (two or more) `lines` open with before a separator line, for a table
/// kramdown reads: a row after the separator, and its rows closed as [`table_closes`] says.
fn head_rows(lines: &[&str]) -> Option<usize> {
    let is_row = |l: &str| {
        let t = l.trim_start();
        is_table_line(t) && l.len() - t.len() < 4 && !is_separator(l)
    };
    let rows = lines.iter().take_while(|l| is_row(l)).count();
    let body = lines
        .get(rows)
        .filter(|l| is_separator(l))
        .map(|_| &lines[rows + 1..])?;
    let closed = body.first().is_some_and(|l| is_row(l)) && table_closes(body);
    (rows >= 2 && closed).then_some(rows)
}

/// Whether the rows right above a separator line (the end of `above`) run up to a line
/// after which kramdown starts no table (its `after_block_boundary?` holds only after a blank
/// line, an attribute list or the text's start): a paragraph's line, which they continue, a
/// header, a rule, a code block's end. HTML and comments are left to the table.
fn under_no_boundary(above: &[&str]) -> bool {
    above
        .iter()
        .rev()
        .find(|l| !is_table_line(l))
        .is_some_and(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with(['{', '<']) && !t.contains("-->")
        })
}

/// A separator line for a table whose first row is `row`.
fn made_separator(row: &str) -> String {
    let row = row.strip_suffix('\r').unwrap_or(row);
    format!("|{}|", vec!["---"; table_cells(row)].join("|"))
}

/// kramdown's `TABLE_LINE`: a line with a `|` first or an unescaped one later (a `|` with
/// spaces before it has no backslash before it either).
fn is_table_line(line: &str) -> bool {
    line.starts_with('|') || has_unescaped_pipe(line)
}

/// kramdown's `TABLE_PIPE_CHECK`: a `|` with no backslash before it.
fn has_unescaped_pipe(line: &str) -> bool {
    let b = line.as_bytes();
    (1..b.len()).any(|i| b[i] == b'|' && b[i - 1] != b'\\')
}

/// kramdown accepts a separator row whose column count differs from the header's; GFM (and
/// so pulldown-cmark) does not. The separator is rewritten to the header's count, keeping the
/// alignment of the columns it has.
pub(super) fn repair_separator(header: &str, line: &str) -> Option<String> {
    let t = line.trim();
    if !is_separator(line) || !header.contains('|') {
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
