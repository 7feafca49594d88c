//! Pass 3, the HTML writer: turns the patched pulldown-cmark events into HTML blocks, gives
//! definition lists kramdown's shape, puts attributes on any element, assigns heading ids and
//! cuts the output at every code block.

use super::code_spans::kramdown_span_code;
use super::ial::{is_inline_end, is_inline_tag, Events};
use super::prepare::{
    closes_fence, opens_fence, Prepared, BLOCK_MARK, RAW_CLOSE, RAW_OPEN, SPAN_MARK,
};
use super::smart::smarten;
use super::{heading_id, Attrs, Block, CodeBlock, Heading};
use crate::diagnostics::Diagnostic;
use crate::document::{Element, Ial, Image, Kind, Link, Node, Part};
use crate::error::{floor_char_boundary, LineIndex, Pos};
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
    /// The document's nodes since the last code block.
    pub(super) nodes: Vec<Node>,
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
    /// Body rows still to come that kramdown has in the thead (rows above the separator).
    pub(super) head_rows_left: usize,
    pub(super) tbody_open: bool,
    pub(super) images: Vec<ImageState>,
    pub(super) heading: Option<HeadingState>,
    pub(super) code: Option<CodeState>,
    /// The source character before the current text, for kramdown's smart-quote rules.
    pub(super) prev_char: Option<char>,
    pub(super) markup: super::Markup,
    pub(super) footnotes: super::kramdown_ext::FootnoteRefs,
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
            nodes: Vec::new(),
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
            head_rows_left: 0,
            tbody_open: false,
            images: Vec::new(),
            heading: None,
            code: None,
            prev_char: None,
            markup: super::Markup::Kramdown,
            footnotes: Default::default(),
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
                    let attrs = self.span_attrs.remove(&i).unwrap_or_default();
                    let code = kramdown_span_code(code, &self.prep.text[range.clone()]);
                    if let Some(h) = &mut self.heading {
                        h.text.push_str(&code);
                    }
                    self.nodes.push(Node::Code {
                        code,
                        attrs: attrs.into(),
                    });
                    self.prev_char = Some('`');
                }
                Event::Html(html) => {
                    if self.code.is_none() {
                        // pulldown-cmark gives an HTML block a line at a time: one node.
                        match self.nodes.last_mut() {
                            Some(Node::Html(block)) => block.push_str(&unmarked(html)),
                            _ => self.nodes.push(Node::Html(unmarked(html))),
                        }
                    }
                }
                Event::InlineHtml(html) => {
                    self.inline();
                    if self.images.is_empty() {
                        self.nodes.push(Node::InlineHtml(unmarked(html)));
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
                        self.nodes.push(Node::End(Kind::Term));
                        self.nodes.push(Node::Start(Element::Term(Ial::default())));
                    } else {
                        self.nodes.push(Node::SoftBreak);
                        if let Some(h) = &mut self.heading {
                            h.text.push(' ');
                        }
                    }
                }
                Event::HardBreak => {
                    self.inline();
                    self.prev_char = Some('\n');
                    if self.images.is_empty() {
                        self.nodes.push(Node::HardBreak);
                    }
                }
                Event::Rule => {
                    self.open_block();
                    let attrs = self.block_attrs.remove(&i).unwrap_or_default();
                    self.nodes.push(Node::Rule(attrs.into()));
                }
                Event::FootnoteReference(name) => {
                    self.inline();
                    let sup = self.footnotes.reference(name);
                    self.nodes.extend(sup);
                    self.prev_char = Some('>');
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => self.text(t),
                Event::TaskListMarker(done) => {
                    self.nodes.push(Node::Task(*done));
                }
            }
        }
        self.flush();
    }

    pub(super) fn flush(&mut self) {
        if self.nodes.is_empty() {
            return;
        }
        let mut nodes = std::mem::take(&mut self.nodes);
        unmark_nodes(&mut nodes);
        // Raw HTML the pre-pass's marks alone made writes nothing: no stretch of its own.
        let empty = |n: &Node| matches!(n, Node::Text(h) | Node::Html(h) | Node::InlineHtml(h) if h.is_empty());
        if !nodes.iter().all(empty) {
            self.blocks.push(Block::Html(Part::new(nodes, self.markup)));
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
                self.nodes.push(Node::End(Kind::Paragraph(true)));
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
                    self.nodes
                        .push(Node::Start(Element::Paragraph(Ial::default())));
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
        let (ctx, element) = match tag {
            Tag::Paragraph => (
                Ctx::Para { suppressed: unwrap },
                (!unwrap).then(|| Element::Paragraph(attrs.into())),
            ),
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
                    id_after_class: false,
                };
                all.merge(Attrs { id: None, ..attrs });
                self.heading = Some(HeadingState {
                    level,
                    id,
                    text: String::new(),
                });
                (
                    Ctx::Other,
                    Some(Element::Heading {
                        level,
                        attrs: all.into(),
                    }),
                )
            }
            Tag::BlockQuote(_) => (Ctx::Other, Some(Element::BlockQuote(attrs.into()))),
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
                (Ctx::Other, None)
            }
            Tag::HtmlBlock => (Ctx::Other, None),
            Tag::List(start) => (
                Ctx::Other,
                Some(Element::List {
                    start: *start,
                    attrs: attrs.into(),
                }),
            ),
            Tag::Item => (Ctx::Other, Some(Element::Item(attrs.into()))),
            Tag::FootnoteDefinition(name) => {
                (Ctx::Other, Some(Element::Footnote(name.to_string())))
            }
            Tag::DefinitionList => (Ctx::Other, Some(Element::DefinitionList(attrs.into()))),
            Tag::DefinitionListTitle => (Ctx::Dt, Some(Element::Term(attrs.into()))),
            Tag::DefinitionListDefinition => {
                let line = self.prep.line_of(self.lines, range.start);
                let ctx = Ctx::Dd {
                    first_as_para: line > 0 && self.prep.blank[line - 1],
                    seen_child: false,
                    implicit_p: false,
                };
                (ctx, Some(Element::Definition(attrs.into())))
            }
            Tag::Table(align) => {
                let line = self.prep.line_of(self.lines, range.start);
                self.headless_table = self.prep.headless_tables.contains(&line);
                self.head_rows_left = (self.prep.head_rows.iter())
                    .find(|&&(at, _)| at == line)
                    .map_or(0, |&(_, rows)| rows);
                // kramdown takes no alignment from a separator line that opens the table.
                self.table_align = if self.headless_table {
                    Vec::new()
                } else {
                    align.clone()
                };
                self.tbody_open = false;
                (Ctx::Other, Some(Element::Table(attrs.into())))
            }
            Tag::TableHead if self.headless_table => {
                self.nodes.push(Node::Start(Element::TableBody));
                self.tbody_open = true;
                self.table_cell = 0;
                (Ctx::Other, Some(Element::Row))
            }
            Tag::TableHead => {
                self.nodes.push(Node::Start(Element::TableHead));
                self.in_table_head = true;
                self.table_cell = 0;
                (Ctx::Other, Some(Element::Row))
            }
            Tag::TableRow if self.head_rows_left > 0 => {
                self.table_cell = 0;
                (Ctx::Other, Some(Element::Row))
            }
            Tag::TableRow => {
                if !self.tbody_open {
                    self.nodes.push(Node::Start(Element::TableBody));
                    self.tbody_open = true;
                }
                self.table_cell = 0;
                (Ctx::Other, Some(Element::Row))
            }
            Tag::TableCell => {
                let align = match self.table_align.get(self.table_cell) {
                    Some(Alignment::Left) => Some("left"),
                    Some(Alignment::Center) => Some("center"),
                    Some(Alignment::Right) => Some("right"),
                    _ => None,
                };
                self.table_cell += 1;
                let head = self.in_table_head;
                (Ctx::Other, Some(Element::Cell { head, align }))
            }
            Tag::MetadataBlock(_) => (Ctx::Other, None),
            // Inline tags returned early above.
            _ => (Ctx::Other, None),
        };
        if let Some(element) = element {
            self.nodes.push(Node::Start(element));
        }
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
        let element = match tag {
            Tag::Emphasis => Element::Emphasis(attrs.into()),
            Tag::Strong => Element::Strong(attrs.into()),
            Tag::Superscript => Element::Superscript(attrs.into()),
            Tag::Subscript => Element::Subscript(attrs.into()),
            Tag::Strikethrough => {
                // kramdown's GFM parser only knows `~~`; a single `~` stays text.
                let double =
                    self.prep.text[range.start.min(self.prep.text.len())..].starts_with("~~");
                self.strike.push(double);
                if !double {
                    self.nodes.push(Node::Text("~".into()));
                    return;
                }
                Element::Strikethrough(attrs.into())
            }
            Tag::Link {
                dest_url, title, ..
            } => Element::Link(Box::new(Link {
                href: dest_url.to_string(),
                title: title.to_string(),
                attrs,
            })),
            // Not an inline tag the writer is given.
            _ => return,
        };
        self.nodes.push(Node::Start(element));
    }

    pub(super) fn end(&mut self, end: &TagEnd, diags: &mut Vec<Diagnostic>) {
        if is_inline_end(end) {
            self.inline_depth = self.inline_depth.saturating_sub(1);
            self.end_inline(end);
            return;
        }
        let ctx = self.ctx.pop();
        self.prev_char = None;
        let nodes = &mut self.nodes;
        let mut close = |k: Kind| nodes.push(Node::End(k));
        match end {
            TagEnd::Paragraph if matches!(ctx, Some(Ctx::Para { suppressed: true })) => {}
            TagEnd::Paragraph => close(Kind::Paragraph(true)),
            TagEnd::Heading(level) => {
                close(Kind::Heading(heading_level(*level)));
                if let Some(h) = self.heading.take() {
                    self.headings.push(Heading {
                        level: h.level,
                        id: h.id,
                        text: h.text.trim().to_string(),
                    });
                }
            }
            TagEnd::BlockQuote(_) => close(Kind::BlockQuote),
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.finish_code(code, diags);
                }
            }
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => close(Kind::List { ordered: *ordered }),
            TagEnd::Item => close(Kind::Item),
            TagEnd::FootnoteDefinition => close(Kind::Footnote),
            TagEnd::DefinitionList => close(Kind::DefinitionList),
            TagEnd::DefinitionListTitle => close(Kind::Term),
            TagEnd::DefinitionListDefinition => {
                if let Some(Ctx::Dd {
                    implicit_p: true, ..
                }) = ctx
                {
                    close(Kind::Paragraph(false));
                }
                close(Kind::Definition);
            }
            TagEnd::Table => {
                if std::mem::take(&mut self.head_rows_left) > 0 {
                    close(Kind::TableHead);
                    self.in_table_head = false;
                }
                if self.tbody_open {
                    close(Kind::TableBody);
                }
                close(Kind::Table);
                self.tbody_open = false;
            }
            TagEnd::TableHead if self.headless_table => close(Kind::Row),
            TagEnd::TableHead if self.head_rows_left > 0 => close(Kind::Row),
            TagEnd::TableHead => {
                close(Kind::Row);
                close(Kind::TableHead);
                self.in_table_head = false;
            }
            TagEnd::TableRow if self.head_rows_left > 0 => {
                close(Kind::Row);
                self.head_rows_left -= 1;
                if self.head_rows_left == 0 {
                    close(Kind::TableHead);
                    self.in_table_head = false;
                }
            }
            TagEnd::TableRow => close(Kind::Row),
            TagEnd::TableCell => close(Kind::Cell {
                head: self.in_table_head,
            }),
            _ => {}
        }
    }

    pub(super) fn end_inline(&mut self, end: &TagEnd) {
        if let TagEnd::Image = end {
            if let Some(img) = self.images.pop() {
                if let Some(outer) = self.images.last_mut() {
                    outer.alt.push_str(&img.alt);
                    return;
                }
                self.nodes.push(Node::Image(Box::new(Image {
                    src: img.src,
                    alt: img.alt,
                    title: img.title,
                    attrs: img.attrs,
                })));
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
            TagEnd::Emphasis => (Some(Kind::Emphasis), '*'),
            TagEnd::Strong => (Some(Kind::Strong), '*'),
            TagEnd::Superscript => (Some(Kind::Superscript), '^'),
            TagEnd::Subscript => (Some(Kind::Subscript), '~'),
            TagEnd::Strikethrough if strike == Some(false) => {
                self.nodes.push(Node::Text("~".into()));
                (None, '~')
            }
            TagEnd::Strikethrough => (Some(Kind::Strikethrough), '~'),
            TagEnd::Link => (Some(Kind::Link), ')'),
            _ => (None, ' '),
        };
        if let Some(k) = close {
            self.nodes.push(Node::End(k));
        }
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
        if let Some(h) = &mut self.heading {
            h.text.push_str(&smart);
        }
        let text = if smart.contains(SPAN_MARK) {
            smart.replace(SPAN_MARK, "")
        } else {
            smart
        };
        self.nodes.push(Node::Text(text));
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

/// Takes the marks out of what the doc wrote in code spans, links, images and attributes
/// (text and raw HTML lose theirs as they become nodes): the nodes hold none, so anything
/// written from them is free of them too.
fn unmark_nodes(nodes: &mut [Node]) {
    fn strip(s: &mut String) {
        if s.contains(SPAN_MARK) {
            *s = s.replace(SPAN_MARK, "");
        }
    }
    fn strip_attrs(a: &mut crate::document::Attrs) {
        a.id.iter_mut().chain(&mut a.classes).for_each(strip);
        for (k, v) in &mut a.pairs {
            strip(k);
            strip(v);
        }
    }
    fn strip_ial(ial: &mut crate::document::Ial) {
        if let Some(a) = ial.attrs_mut() {
            strip_attrs(a);
        }
    }
    for node in nodes {
        match node {
            Node::Code { code, attrs } => {
                strip(code);
                strip_ial(attrs);
            }
            Node::Image(image) => {
                [&mut image.src, &mut image.alt, &mut image.title]
                    .into_iter()
                    .for_each(strip);
                strip_attrs(&mut image.attrs);
            }
            Node::Rule(ial) => strip_ial(ial),
            Node::Start(e) => match e {
                Element::Link(link) => {
                    strip(&mut link.href);
                    strip(&mut link.title);
                    strip_attrs(&mut link.attrs);
                }
                Element::Footnote(name) | Element::Abbr(name) => strip(name),
                Element::Paragraph(a)
                | Element::Heading { attrs: a, .. }
                | Element::BlockQuote(a)
                | Element::List { attrs: a, .. }
                | Element::Item(a)
                | Element::DefinitionList(a)
                | Element::Term(a)
                | Element::Definition(a)
                | Element::Table(a)
                | Element::Emphasis(a)
                | Element::Strong(a)
                | Element::Superscript(a)
                | Element::Subscript(a)
                | Element::Strikethrough(a) => strip_ial(a),
                Element::TableHead
                | Element::TableBody
                | Element::Row
                | Element::Cell { .. }
                | Element::Footnotes => {}
            },
            _ => {}
        }
    }
}

/// Raw HTML and text without the marks the pre-pass put in for pulldown-cmark.
fn unmarked(s: &str) -> String {
    if s.contains(SPAN_MARK) {
        s.replace(BLOCK_MARK, "")
            .replace(RAW_OPEN, "")
            .replace(RAW_CLOSE, "")
            .replace(SPAN_MARK, "")
    } else {
        s.to_string()
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
