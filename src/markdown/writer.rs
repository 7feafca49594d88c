//! Pass 3, the HTML writer: turns the patched pulldown-cmark events into HTML blocks, gives
//! definition lists kramdown's shape, puts attributes on any element, assigns heading ids and
//! cuts the output at every code block.

use super::ial::{is_inline_end, is_inline_tag, Events};
use super::prepare::{closes_fence, opens_fence, Prepared};
use super::smart::smarten;
use super::{heading_id, Attrs, Block, CodeBlock, Heading};
use crate::diagnostics::Diagnostic;
use crate::error::{floor_char_boundary, LineIndex, Pos};
use crate::html::{escape_text_into, push_attr};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

/// What a block start opened, so its end knows what to write.
pub(super) enum Ctx {
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

pub(super) struct CodeState {
    pub(super) lang: Option<String>,
    pub(super) attrs: Attrs,
    pub(super) pos: Pos,
    pub(super) code: String,
    pub(super) range: Range<usize>,
    pub(super) fenced: bool,
}

pub(super) struct ImageState {
    pub(super) src: String,
    pub(super) title: String,
    pub(super) attrs: Attrs,
    pub(super) alt: String,
}

pub(super) struct HeadingState {
    pub(super) level: u8,
    pub(super) id: String,
    pub(super) text: String,
}

/// The HTML writer: one pass over the patched events, no recursion.
pub(super) struct Writer<'s> {
    pub(super) prep: &'s Prepared,
    pub(super) lines: &'s LineIndex<'s>,
    pub(super) span_attrs: HashMap<usize, Attrs>,
    pub(super) block_attrs: HashMap<usize, Attrs>,
    pub(super) html: String,
    pub(super) blocks: Vec<Block>,
    pub(super) headings: Vec<Heading>,
    pub(super) id_counts: HashMap<String, usize>,
    pub(super) ctx: Vec<Ctx>,
    /// Open strikethroughs: `true` for `~~`, `false` for a single `~` kramdown leaves as text.
    pub(super) strike: Vec<bool>,
    /// Inline elements open right now (a soft break inside one cannot split a term).
    pub(super) inline_depth: usize,
    pub(super) table_align: Vec<Alignment>,
    pub(super) table_cell: usize,
    pub(super) in_table_head: bool,
    /// The table opened with its separator line: its head row is kramdown's first body row.
    pub(super) headless_table: bool,
    pub(super) tbody_open: bool,
    pub(super) images: Vec<ImageState>,
    pub(super) heading: Option<HeadingState>,
    pub(super) code: Option<CodeState>,
    /// The source character before the current text, for kramdown's smart-quote rules.
    pub(super) prev_char: Option<char>,
    pub(super) markup: super::Markup,
}

impl<'s> Writer<'s> {
    pub(super) fn new(
        prep: &'s Prepared,
        lines: &'s LineIndex<'s>,
        span_attrs: HashMap<usize, Attrs>,
        block_attrs: HashMap<usize, Attrs>,
    ) -> Self {
        Writer {
            prep,
            lines,
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
            headless_table: false,
            tbody_open: false,
            images: Vec::new(),
            heading: None,
            code: None,
            prev_char: None,
            markup: super::Markup::Kramdown,
        }
    }

    pub(super) fn run(&mut self, events: &Events, diags: &mut Vec<Diagnostic>) {
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
                    let class = match self.markup {
                        super::Markup::Kramdown => Some("language-plaintext highlighter-rouge"),
                        super::Markup::Endpaper => None,
                    };
                    attrs.write(&mut self.html, class);
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

    pub(super) fn flush(&mut self) {
        if !self.html.is_empty() {
            self.blocks
                .push(Block::Html(std::mem::take(&mut self.html)));
        }
    }

    /// Called before any block element starts: settles the first child of a definition.
    /// Returns whether this block is a definition's first child that kramdown unwraps.
    pub(super) fn open_block(&mut self) -> bool {
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
    pub(super) fn inline(&mut self) {
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

    pub(super) fn attrs(&mut self, i: usize) -> Attrs {
        self.block_attrs.remove(&i).unwrap_or_default()
    }

    pub(super) fn start(&mut self, i: usize, tag: &Tag, range: &Range<usize>, events: &Events) {
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
                    pos: self.lines.pos(range.start),
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
                let line = self.prep.line_of(self.lines, range.start);
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
                let line = self.prep.line_of(self.lines, range.start);
                self.headless_table = self.prep.headless_tables.contains(&line);
                // kramdown takes no alignment from a separator line that opens the table.
                self.table_align = if self.headless_table {
                    Vec::new()
                } else {
                    align.clone()
                };
                self.tbody_open = false;
                Ctx::Other
            }
            Tag::TableHead if self.headless_table => {
                out.push_str("  <tbody>\n    <tr>\n");
                self.tbody_open = true;
                self.table_cell = 0;
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

    pub(super) fn start_inline(&mut self, i: usize, tag: &Tag, range: &Range<usize>) {
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

    pub(super) fn end(&mut self, end: &TagEnd, diags: &mut Vec<Diagnostic>) {
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
            TagEnd::TableHead if self.headless_table => out.push_str("    </tr>\n"),
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

    pub(super) fn end_inline(&mut self, end: &TagEnd) {
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

    pub(super) fn text(&mut self, text: &str) {
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

    pub(super) fn finish_code(&mut self, mut code: CodeState, diags: &mut Vec<Diagnostic>) {
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

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
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
pub(super) fn heading_raw_text(events: &Events, start: usize, text: &str) -> String {
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
pub(super) fn fence_is_closed(text: &str, range: &Range<usize>) -> bool {
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
