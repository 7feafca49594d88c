//! Markdown → HTML blocks: pulldown-cmark plus the kramdown extensions Aviator sites use
//! (definition lists, IALs, lenient tables, GFM heading ids, kramdown smart quotes). Code
//! blocks are *not* highlighted here: they come back as [`Block::Code`] so the highlight stage
//! can see every sample of the site at once (dedup, largest-first scheduling, cache).
//!
//! The pipeline is three linear passes, none of them recursive, one file each:
//! 1. a line pre-pass (`prepare.rs`) that removes kramdown-only lines (block IALs, ALDs,
//!    `{::…}` extensions), repairs table separator rows and moves the separator of a table
//!    with no header row under its first row. It never adds or removes a line, so line
//!    numbers of the prepared text are the line numbers of `src` (but for such a table's first
//!    two lines);
//! 2. pulldown-cmark, whose events are then patched (span IALs, single-tilde strikethrough)
//!    and whose block ranges are used to attach block IALs to the right element (`ial.rs`);
//! 3. our own HTML writer (`writer.rs`, with kramdown's smart quotes in `smart.rs`), which gives definition lists kramdown's shape, puts attributes on
//!    any element, assigns heading ids and cuts the output at every code block.
//!
//! kramdown's own features (`{:toc}`, footnotes, abbreviations, `parse_block_html`) are in
//! `kramdown_ext.rs`: a pre-pass before `prepare.rs` takes their lines out, the rest is done on
//! the writer's nodes.
//!
//! The prose HTML is then balanced as one stream across all [`Block::Html`] pieces
//! (`balance.rs`, [`balance_html`]), so a stray `</div>` in a doc cannot close the page's own layout, while a
//! list that contains a code block (and so spans several blocks) is left intact.
//!
//! Nesting depth is not limited: nothing here recurses, and pulldown-cmark keeps its tree in
//! an arena, so 10,000-deep lists and blockquotes render on a 2 MiB thread stack (tested in
//! `tests.rs`). Positions come from the crate's one [`LineIndex`] over the prepared text.
//!
//! Known differences from kramdown: list items follow CommonMark's list-wide tight/loose rule
//! (kramdown decides per item); a table row keeps the header's cell count (kramdown keeps the
//! row's own); a backslash-escaped quote is still curled. A fence that is never closed is
//! text, as kramdown reads it (CommonMark would run the code to the end), and warns
//! `unclosed-fence`.

use crate::diagnostics::Diagnostic;
use crate::document::Part;
use crate::error::{LineIndex, Pos};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::collections::HashMap;
use std::ops::Range;

mod balance;
mod code_spans;
mod ial;
mod kramdown_ext;
mod prepare;
mod smart;
#[cfg(test)]
mod tests;
mod writer;

use balance::balance_blocks;
pub use balance::balance_html;
use ial::{assign_block_ials, take_span_ials};
use prepare::prepare;
use writer::Writer;

pub use crate::document::{Attrs, Markup};

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
    /// One or more consecutive non-code blocks: their nodes and finished HTML.
    Html(Part),
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

/// Renders kramdown-flavoured markdown in kramdown's markup. Never fails: odd input
/// becomes text plus a warning.
pub fn render(src: &str) -> Rendered {
    render_as(src, Markup::Kramdown)
}

/// [`render`], in the markup given.
pub fn render_as(src: &str, markup: Markup) -> Rendered {
    let mut diagnostics = Vec::new();
    let (src, extensions) = kramdown_ext::take_extensions(src);
    let prep = prepare(&src, &mut diagnostics);
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // Only where a note may be: what a doc without one renders stays byte for byte the same.
    if src.contains("[^") {
        options |= Options::ENABLE_FOOTNOTES;
    }
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
    let lines = LineIndex::new(&prep.text);
    let definitions: HashMap<String, Pos> = events
        .iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Some((name.to_string(), lines.pos(range.start)))
            }
            _ => None,
        })
        .collect();
    let block_attrs = assign_block_ials(&events, &prep, &lines);
    let mut writer = Writer::new(&prep, &lines, span_attrs, block_attrs);
    writer.markup = markup;
    writer.run(&events, &mut diagnostics);
    let Writer {
        mut blocks,
        headings,
        footnotes,
        ..
    } = writer;
    kramdown_ext::finish(
        &mut blocks,
        &headings,
        &extensions,
        &footnotes,
        &definitions,
        markup,
        &mut diagnostics,
    );
    balance_blocks(&mut blocks);
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

/// The title a sample gets where Aviator's include writes it into an attribute list
/// (`{: title="…" }`), as kramdown reads that list: the value ends at the first quote that
/// whitespace follows (`"Start" Labels` gives `"Start`). `None` where kramdown reads none.
pub fn ial_title(title: &str) -> Option<String> {
    if !title.contains(['"', '\\', '}']) {
        return Some(title.to_string());
    }
    let mut attrs = Attrs::default();
    ial::parse_attr_list(&format!(" title=\"{title}\" "), &mut attrs);
    attrs
        .pairs
        .into_iter()
        .find(|(k, _)| k == "title")
        .map(|(_, v)| v)
}
