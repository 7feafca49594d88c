//! Compose: one doc's sources (body after Liquid, `right_code`, and the current Aviator
//! dialect's `content_markdown` / `parameters` / `left_code_blocks` / `right_code_blocks`)
//! → the prose column and the code column, as pieces that refer to code samples by index.
//! Samples stay unhighlighted here so the highlight stage can see the whole site at once;
//! [`finish`] turns pieces plus highlighted samples into the doc's final HTML.

use crate::diagnostics::Diagnostic;
use crate::document::{Column, Element, Ial, Kind, Markup, Node, Part};
use crate::error::{LineIndex, Pos, SourceError};
use crate::highlight::Highlighted;
use crate::html::{escape, escape_into, strip_tags, Href};
use crate::liquid::{self, Engine};
use crate::markdown::{self, Attrs, Block, CodeBlock, Heading};
use crate::model::Doc;
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

mod terms;
pub use terms::Terms;

/// A code sample and where a writer finds it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub block: CodeBlock,
    pub file: String,
    pub pos: Pos,
    /// Its code is a front-matter value written on its key's line (a quoted scalar, whose
    /// escapes do not keep its lines): every place inside it is `pos`, the value's own.
    pub inline: bool,
}

impl Sample {
    /// Where line `line` (1-based, below the fence or key on the sample's line), column
    /// `col` of its code is in `file`.
    pub fn place(&self, line: usize, col: usize) -> Pos {
        if self.inline {
            return self.pos;
        }
        Pos::new(self.pos.line + line, self.pos.col + col - 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A stretch of prose: its document nodes and their HTML.
    Html(Part),
    /// An untitled sample shown where it stands.
    Inline(usize),
    /// Consecutive titled samples: one tab group.
    Group(Vec<usize>),
}

#[derive(Debug, Default)]
pub struct DocParts {
    pub prose: Vec<Piece>,
    pub code: Vec<Piece>,
    pub samples: Vec<Sample>,
    pub headings: Vec<Heading>,
    /// Definition-list terms and parameter names, for search.
    pub terms: Vec<String>,
    pub includes: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every link destination written in the doc's markdown, with where it is.
    pub links: Vec<Link>,
    /// Located errors the doc's Liquid recovered from (a missing include): the build fails
    /// on them, after collecting every one.
    pub errors: Vec<SourceError>,
    /// The doc's Liquid (or an include's) mentions `site.`: its output may depend on other
    /// docs and `_data`, so an incremental rebuild redoes it when those change.
    pub reads_site: bool,
    /// The doc's Liquid (or an include's) may show the build's time: a cached output of it
    /// stands only in a build of the same time.
    pub reads_time: bool,
    /// An endpoint candidate's prose as markdown after Liquid (`content_markdown`, then the
    /// body): the OpenAPI export writes its description from this, CommonMark rather than
    /// HTML read back. Empty for docs without a `method`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// Shared by the doc's links from one file (`Link::new`), and by the link check's
    /// findings from it: a site's docs hold their links to the end of the build.
    pub file: Arc<Path>,
    pub pos: Pos,
}

impl Link {
    /// A link found in `file`, its name one of `seen`, the files a doc's links were found
    /// in so far (added when new).
    pub(crate) fn new(dest: String, seen: &mut Vec<Arc<Path>>, file: &str, pos: Pos) -> Link {
        let file = Path::new(file);
        let file = match seen.iter().find(|f| ***f == *file) {
            Some(known) => Arc::clone(known),
            None => {
                seen.push(file.into());
                Arc::clone(&seen[seen.len() - 1])
            }
        };
        Link { dest, file, pos }
    }
}

/// Link destinations in markdown source with their byte offsets: inline links
/// `[t](dest "title")`, reference definitions `[id]: dest`, and HTML `href="dest"`.
/// Fenced code is skipped so samples' URLs are not taken for links.
pub fn find_links(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in lines_inclusive(text) {
        let t = line.trim_start();
        let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = marker {
            let run = t.chars().take_while(|x| *x == c).count();
            if run >= 3 {
                fence = match fence {
                    None => Some((c, run)),
                    Some((fc, n)) if fc == c && run >= n && t[run..].trim().is_empty() => None,
                    other => other,
                };
                offset += line.len();
                continue;
            }
        }
        if fence.is_none() {
            let mut i = 0;
            while i < line.len() {
                let rest = &line[i..];
                let (start, close) = if rest.starts_with("](") {
                    (i + 2, ')')
                } else if rest.starts_with("href=\"") {
                    (i + 6, '"')
                } else if rest.starts_with("href='") {
                    (i + 6, '\'')
                } else if i == line.len() - t.len()
                    && rest.starts_with('[')
                    && rest.contains("]: ")
                    && !rest.starts_with("[^")
                {
                    let c = rest.find("]: ").unwrap_or(0) + 3;
                    (i + c, ' ')
                } else {
                    // Every form above starts with one of these bytes: the text up to
                    // the next one is passed over whole.
                    let skip = memchr::memchr3(b']', b'[', b'h', &rest.as_bytes()[1..]);
                    i += 1 + skip.unwrap_or(rest.len() - 1);
                    continue;
                };
                let body = &line[start..];
                let end = body.find([close, '\n']).unwrap_or(body.len());
                let dest = body[..end]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches(['<', '>']);
                if !dest.is_empty() {
                    found.push((dest.to_string(), offset + start));
                }
                i = start + end.max(1);
            }
        }
        offset += line.len();
    }
    found
}

/// `text.split_inclusive('\n')`, each line's end found by memchr's vector scan: core's char
/// searcher, run once a line over every doc's text (twice, for its page and its operation),
/// was a visible part of a large build's profile.
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// The tab key a title syncs on: `Python (requests)` → `python-requests`.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Where a markdown source came from, to turn its positions into file positions.
enum Origin<'a> {
    /// The expanded body, with an index of its lines.
    Body(&'a liquid::Expanded, &'a LineIndex<'a>),
    /// Front-matter text: the line of its key and the indentation of its lines.
    FrontMatter(usize, usize),
    /// A front-matter value written on its key's line (a quoted or plain scalar, its
    /// escapes or folds not kept line for line): its line and column, where all of it is
    /// located.
    Inline(usize, usize),
}

struct Builder<'d> {
    doc: &'d Doc,
    /// The doc's whole text (read again when the model does not hold it).
    text: &'d str,
    cx: &'d Engine<'d>,
    parts: DocParts,
    /// Line indexes of the doc and its includes, made on first use: a big doc has many
    /// things to locate, and scanning the file for each was quadratic.
    files: RefCell<HashMap<String, Rc<LineIndex<'d>>>>,
}

impl Builder<'_> {
    /// Line of `key:` in the doc's front matter, so positions inside front-matter markdown
    /// (`right_code`, `content_markdown`) can be reported against the file.
    fn key_line(&self, key: &str) -> usize {
        crate::frontmatter::key_line(self.front_text(), key).map_or(1, |i| i + 1)
    }

    fn front_text(&self) -> &str {
        &self.text[..self.doc.body_offset]
    }

    /// Where the text of the block scalar under `key:` lies in the file.
    fn text_origin(&self, key: &str) -> Origin<'static> {
        let line = self.key_line(key);
        front_origin(self.front_text(), line, line)
    }

    fn locate(&self, origin: &Origin, pos: Pos) -> (String, Pos) {
        match origin {
            Origin::Body(ex, index) => self.locate_offset(ex, index.offset(pos)),
            Origin::FrontMatter(line, indent) => (
                self.doc.rel.clone(),
                Pos::new(line + pos.line, pos.col + indent),
            ),
            Origin::Inline(line, col) => (self.doc.rel.clone(), Pos::new(*line, *col)),
        }
    }

    /// File and position of byte `at` of the expanded body.
    fn locate_offset(&self, ex: &liquid::Expanded, at: usize) -> (String, Pos) {
        let (file, off) = ex.map.locate(at);
        let index = self
            .files
            .borrow_mut()
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = match file.strip_prefix("_includes/") {
                    Some(inc) if file != self.doc.rel => self.cx.include_text(inc).unwrap_or(""),
                    _ => self.text,
                };
                Rc::new(LineIndex::new(text))
            })
            .clone();
        (file.to_string(), index.pos(off))
    }

    fn add_sample(&mut self, block: CodeBlock, origin: &Origin) -> usize {
        let (file, pos) = self.locate(origin, block.pos);
        let inline = matches!(origin, Origin::Inline(..));
        self.parts.samples.push(Sample {
            block,
            file,
            pos,
            inline,
        });
        self.parts.samples.len() - 1
    }

    /// Renders markdown and routes its blocks: prose stays in `prose` (titled samples go to
    /// the code column unless `all_to_code`, where everything goes to the code column).
    fn markdown(&mut self, src: &str, origin: Origin, all_to_code: bool) {
        let r = markdown::render_as(src, markdown::Markup::Endpaper);
        for mut d in r.diagnostics {
            let (file, pos) = self.locate(&origin, d.pos);
            d.file = Path::new(&file).into();
            d.pos = pos;
            self.parts.diagnostics.push(d);
        }
        self.parts.headings.extend(r.headings);
        let mut group: Vec<usize> = Vec::new();
        let mut pending: Vec<Piece> = Vec::new();
        for block in r.blocks {
            match block {
                Block::Code(cb) if cb.title.is_some() => {
                    let i = self.add_sample(cb, &origin);
                    group.push(i);
                }
                Block::Html(h) if !group.is_empty() && invisible_part(&h) => {}
                Block::Code(cb) if !group.is_empty() => {
                    // An untitled sample right after titled ones: kramdown readers expect a tab.
                    let (file, pos) = self.locate(&origin, cb.pos);
                    self.parts.diagnostics.push(Diagnostic::warning(
                        "untitled-sample",
                        file,
                        pos,
                        "code sample without a title inside a group of titled samples; add `{: title=\"…\" }` under it",
                    ));
                    self.parts
                        .code
                        .push(Piece::Group(std::mem::take(&mut group)));
                    let piece = Piece::Inline(self.add_sample(cb, &origin));
                    if all_to_code {
                        self.parts.code.push(piece);
                    } else {
                        pending.push(piece);
                    }
                }
                other => {
                    if !group.is_empty() {
                        self.parts
                            .code
                            .push(Piece::Group(std::mem::take(&mut group)));
                    }
                    let piece = match other {
                        Block::Html(h) => {
                            part_terms(&h.nodes, &mut self.parts.terms);
                            Piece::Html(h)
                        }
                        Block::Code(cb) => Piece::Inline(self.add_sample(cb, &origin)),
                    };
                    if all_to_code {
                        self.parts.code.push(piece);
                    } else {
                        pending.push(piece);
                    }
                }
            }
        }
        if !group.is_empty() {
            self.parts.code.push(Piece::Group(group));
        }
        self.parts.prose.extend(pending);
    }

    /// `left_code_blocks` / `right_code_blocks`: lists of `{code_block, title, language}`.
    fn code_blocks(&mut self, key: &str) {
        let fm = self.doc.fm.map();
        let Some(Value::Array(items)) = fm.get(key) else {
            return;
        };
        let line = self.key_line(key);
        let item_lines = item_key_lines(self.front_text(), line, "code_block");
        let mut group = Vec::new();
        for (n, item) in items.iter().enumerate() {
            // An item whose `code_block` is nil (a placeholder) is no sample. An empty
            // string (`|-` with no text under it) is one: Liquid holds it true, and the
            // layout shows it as a titled empty block ("204 No Content": no body).
            if matches!(item.get("code_block"), None | Some(Value::Null)) {
                continue;
            }
            let get = |k: &str| crate::frontmatter::text(item.get(k));
            let code = get("code_block");
            let title = get("title");
            let lang = get("language");
            let block = CodeBlock {
                lang: (!lang.trim().is_empty()).then(|| lang.trim().to_string()),
                title: markdown::ial_title(title.trim()).filter(|t| !t.is_empty()),
                code: if code.ends_with('\n') {
                    code
                } else {
                    code + "\n"
                },
                attrs: Attrs::default(),
                pos: Pos::new(1, 1),
            };
            // Each sample is located at its own `code_block:` key, its text one line on.
            let at = item_lines.get(n).copied().flatten().unwrap_or(line);
            let origin = front_origin(self.front_text(), at, at - 1);
            let i = self.add_sample(block, &origin);
            group.push(i);
        }
        if !group.is_empty() {
            self.parts.code.push(Piece::Group(group));
        }
    }

    fn parameters(&mut self) {
        let fm = self.doc.fm.map();
        let Some(Value::Array(items)) = fm.get("parameters") else {
            return;
        };
        let mut nodes = vec![Node::Start(Element::DefinitionList(
            Attrs {
                classes: vec!["ep-params".into()],
                ..Attrs::default()
            }
            .into(),
        ))];
        for p in items {
            let name = crate::frontmatter::text(p.get("name"));
            if name.trim().is_empty() {
                continue;
            }
            let content = crate::frontmatter::text(p.get("content"));
            nodes.extend([
                Node::Start(Element::Term(Ial::default())),
                Node::Text(name.trim().to_string()),
                Node::End(Kind::Term),
                Node::Start(Element::Definition(Ial::default())),
                // `content` is HTML the site wrote, balanced to stay inside its definition.
                Node::Html(markdown::balance_html(&content)),
                Node::End(Kind::Definition),
            ]);
            self.parts.terms.push(name.trim().to_string());
        }
        nodes.push(Node::End(Kind::DefinitionList));
        if nodes.len() > 2 {
            self.parts
                .prose
                .push(Piece::Html(Part::new(nodes, Markup::Endpaper)));
        }
    }
}

/// Whitespace and comments do not split a tab group.
pub(crate) fn invisible(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// A stretch of raw HTML that shows nothing (whitespace and comments), to which balancing
/// added nothing.
fn invisible_part(part: &Part) -> bool {
    !part.rebalanced()
        && part
            .nodes
            .iter()
            .all(|n| matches!(n, Node::Html(h) if invisible(h)))
}

/// The text of each definition-list term of `nodes`, in order: the model's terms, and the
/// `<dt>`s of raw HTML the doc wrote.
fn part_terms(nodes: &[Node], terms: &mut Vec<String>) {
    let mut term: Option<String> = None;
    for node in nodes {
        match (node, &mut term) {
            (Node::Start(Element::Term(_)), _) => term = Some(String::new()),
            (Node::End(Kind::Term), Some(t)) => {
                let text = t.trim().trim_end_matches(':').trim();
                if !text.is_empty() {
                    terms.push(text.to_string());
                }
                term = None;
            }
            (Node::Text(s) | Node::Code { code: s, .. }, Some(t)) => t.push_str(s),
            (Node::SoftBreak | Node::HardBreak, Some(t)) => t.push('\n'),
            (Node::Task(done), Some(t)) => t.push_str(if *done { "[x] " } else { "[ ] " }),
            (Node::Html(h) | Node::InlineHtml(h), Some(t)) => {
                t.push_str(&crate::model::decode_entities(&strip_tags(h)));
            }
            (Node::Html(h) | Node::InlineHtml(h), None) => collect_terms(h, terms),
            _ => {}
        }
    }
}

/// Text of every `<dt>` in raw `html`, tags stripped.
pub(crate) fn collect_terms(html: &str, terms: &mut Vec<String>) {
    let mut rest = html;
    while let Some(i) = rest.find("<dt") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            return;
        };
        let Some(close) = rest.find("</dt>") else {
            return;
        };
        if close > open_end {
            let text = strip_tags(&rest[open_end + 1..close]);
            let text = text.trim().trim_end_matches(':').trim();
            if !text.is_empty() {
                terms.push(crate::model::decode_entities(text));
            }
        }
        rest = &rest[close.max(open_end) + 1..];
    }
}

/// Splits one doc into its parts. Errors are located (Liquid include problems).
pub fn compose(doc: &Doc, cx: &Engine) -> Result<DocParts, SourceError> {
    let text = doc.text()?;
    let mut b = Builder {
        doc,
        text: &text,
        cx,
        parts: DocParts::default(),
        files: RefCell::default(),
    };
    let source = liquid::Source {
        rel: &doc.rel,
        full: &text,
        base: doc.body_offset,
    };
    let page;
    let vars: &[(&str, &dyn liquid_core::model::ValueView)] =
        if liquid::has_liquid(source.text()) && cx.may_read(source.text(), "page") {
            page = cx.page(doc, &text);
            &[("page", &page)]
        } else {
            &[]
        };
    let mut expanded = cx.render(&source, vars, liquid::Mode::Markdown)?;
    b.parts
        .diagnostics
        .extend(expanded.diagnostics.iter().cloned());
    b.parts.errors = std::mem::take(&mut expanded.errors);
    // What the doc's Liquid reaches: its own text and every include it pulled in.
    let reached = (expanded.includes.iter()).filter_map(|i| cx.include_text(i));
    let reached = std::iter::once(source.text()).chain(reached);
    let has_liquid = liquid::has_liquid(source.text());
    b.parts.reads_site = has_liquid && reached.clone().any(|t| t.contains("site."));
    b.parts.reads_time = has_liquid && crate::model::reaches_clock(reached);
    if b.parts.reads_time && crate::model::fixed_time(&cx.config().raw).is_none() {
        let shows = "its `page.date` when it has no `date`, site.time, `now`";
        let note = crate::model::clock_note(&doc.rel, &doc.rel, shows);
        b.parts.diagnostics.push(note);
    }
    b.parts.includes = expanded.includes.clone();

    b.parameters();
    let endpoint = !doc.method.trim().is_empty();
    if let Some(Value::String(md)) = doc.fm.map().get("content_markdown") {
        let md = &*cx.page_replaced(md);
        if endpoint {
            b.parts.source.push_str(md);
        }
        let origin = b.text_origin("content_markdown");
        b.markdown(md, origin, false);
    }
    // CloudCannon's Aviator layouts never print the body of docs whose defaults set
    // `_hide_content` (their content is `content_markdown`); neither do we.
    let hidden_body = matches!(doc.fm.map().get("_hide_content"), Some(Value::Bool(true)));
    if !hidden_body {
        let mut files = Vec::new();
        for (dest, at) in find_links(&expanded.text) {
            let (file, pos) = b.locate_offset(&expanded, at);
            b.parts.links.push(Link::new(dest, &mut files, &file, pos));
        }
    }
    let file_name = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
    if hidden_body {
        // Shown nowhere: neither rendered nor checked.
    } else if crate::load::is_markdown(file_name) {
        if endpoint {
            if !b.parts.source.is_empty() {
                b.parts.source.push_str("\n\n");
            }
            b.parts.source.push_str(&expanded.text);
        }
        let index = LineIndex::new(&expanded.text);
        b.markdown(&expanded.text, Origin::Body(&expanded, &index), false);
    } else if !expanded.text.trim().is_empty() {
        // Jekyll has no converter for other extensions: their body is output as it is.
        if endpoint {
            // HTML is CommonMark too (an HTML block).
            b.parts.source.push_str(&expanded.text);
        }
        let html = markdown::balance_html(&expanded.text);
        b.parts.prose.push(Piece::Html(Part::raw(html)));
    }
    b.code_blocks("left_code_blocks");
    if let Some(Value::String(md)) = doc.fm.map().get("right_code") {
        let origin = b.text_origin("right_code");
        b.markdown(md, origin, true);
    }
    b.code_blocks("right_code_blocks");
    Ok(b.parts)
}

/// The figure of one sample; `panel` says it is a tab's panel, and whether selected. The ids
/// and ARIA links between a group's tabs and panels are endpaper.js's to make: they are the
/// same for every group, and were a tenth of a doc's HTML.
fn sample_html(out: &mut String, s: &Sample, hl: &Highlighted, panel: Option<bool>) {
    let lang = s.block.lang.as_deref().unwrap_or("text");
    out.push_str("<div class=\"ep-sample");
    for c in &s.block.attrs.classes {
        out.push(' ');
        escape_into(out, c);
    }
    out.push('"');
    if let Some(id) = &s.block.attrs.id {
        let _ = write!(out, " id=\"{}\"", escape(id));
    }
    if let (Some(selected), Some(title)) = (panel, &s.block.title) {
        let _ = write!(out, " role=\"tabpanel\" data-title=\"{}\"", escape(title));
        if !selected {
            out.push_str(" hidden");
        }
    } else if let Some(title) = &s.block.title {
        let _ = write!(
            out,
            " data-title=\"{}\" data-tab=\"{}\"",
            escape(title),
            slug(title)
        );
    }
    let _ = writeln!(
        out,
        " data-lang=\"{}\"><pre class=\"ep-code\"><code class=\"language-{}\">{}</code></pre></div>",
        escape(lang),
        escape(lang),
        hl.html
    );
}

fn group_html<'h>(
    out: &mut String,
    samples: &[Sample],
    idx: &[usize],
    hl: &dyn Fn(usize) -> Cow<'h, Highlighted>,
) {
    out.push_str("<div class=\"ep-tabs\">\n<div class=\"ep-tablist\" role=\"tablist\" aria-label=\"Code samples\">\n");
    for (i, &si) in idx.iter().enumerate() {
        let title = samples[si].block.title.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "<button type=\"button\" role=\"tab\"{} data-tab=\"{}\">{}</button>",
            if i == 0 {
                " aria-selected=\"true\""
            } else {
                ""
            },
            slug(title),
            escape(title)
        );
    }
    out.push_str("</div>\n");
    for (i, &si) in idx.iter().enumerate() {
        sample_html(out, &samples[si], &hl(si), Some(i == 0));
    }
    out.push_str("</div>\n");
}

/// Final HTML of the prose and code columns. `hl(i)` gives sample `i` highlighted (borrowed
/// where the caller holds it: a sample's HTML is copied once, into its column).
pub fn finish<'h>(
    parts: &DocParts,
    hl: &dyn Fn(usize) -> Cow<'h, Highlighted>,
) -> (String, String) {
    let (prose, code) = finish_linked(parts, hl, &|_| Href::Keep);
    (prose.html, code.html)
}

/// Appends a stretch's HTML, written from its nodes with its links' `href`s as `links`
/// decides, and its marks. HTML that balancing changed is what the page shows: taken as it
/// stands, its links rewritten and its marks found as in raw HTML.
fn write_part(part: &Part, links: &dyn Fn(&str) -> Href, out: &mut Column) {
    if let Some(balanced) = &part.balanced {
        let at = out.html.len();
        out.html
            .push_str(&crate::html::rewrite_hrefs(balanced, links));
        crate::document::raw_marks(&out.html[at..], at, &mut out.marks);
    } else {
        crate::document::write_html_linked(
            &part.nodes,
            part.markup,
            Some(links),
            &mut out.html,
            &mut out.marks,
        );
    }
}

/// [`finish`], the prose's links resolved by `links` (a link to a doc of another audience
/// loses its `href`), with each column's marks for its page.
pub fn finish_linked<'h>(
    parts: &DocParts,
    hl: &dyn Fn(usize) -> Cow<'h, Highlighted>,
    links: &dyn Fn(&str) -> Href,
) -> (Column, Column) {
    let render = |pieces: &[Piece]| {
        let mut out = Column::default();
        for p in pieces {
            match p {
                Piece::Html(h) => write_part(h, links, &mut out),
                Piece::Inline(i) => sample_html(&mut out.html, &parts.samples[*i], &hl(*i), None),
                Piece::Group(idx) => group_html(&mut out.html, &parts.samples, idx, hl),
            }
        }
        out
    };
    let prose = render(&parts.prose);
    let code = render(&parts.code);
    (prose, code)
}

/// Where a front-matter value under the key on `key_line` is located (`line`: the line its
/// text is counted from): line for line below a block scalar's header, else at the value on
/// the key's line.
fn front_origin(front: &str, key_line: usize, line: usize) -> Origin<'static> {
    let key = front.lines().nth(key_line.saturating_sub(1)).unwrap_or("");
    let body = key.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    match body.split_once(':').map(|(_, v)| v.trim_start()) {
        Some(v) if !v.is_empty() && !v.starts_with(['|', '>', '#']) => {
            Origin::Inline(key_line, key.len() - v.len() + 1)
        }
        _ => Origin::FrontMatter(line, block_indent(front, key_line)),
    }
}

/// The indentation of a block scalar's text: the key's own plus the header's indentation
/// indicator (`|2-`) when it has one, as YAML reads it; else that of the first non-blank line
/// after its key (on 1-based `key_line`); 2 when there is none.
fn block_indent(front: &str, key_line: usize) -> usize {
    let key = front.lines().nth(key_line.saturating_sub(1)).unwrap_or("");
    let body = key.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    let indicator = body.split_once(':').and_then(|(_, header)| {
        let header = header.trim();
        let marks = header.strip_prefix(['|', '>'])?;
        marks
            .chars()
            .find_map(|c| c.to_digit(10))
            .map(|d| d as usize)
    });
    if let Some(n) = indicator {
        return key.len() - body.len() + n;
    }
    front
        .lines()
        .skip(key_line)
        .find(|l| !l.trim().is_empty())
        .map_or(2, |l| l.len() - l.trim_start().len())
}

/// The 1-based line of `field:` in each item of the block list under the key on
/// `key_line` (`None` for an item without it): items open with `- ` at the list's indent,
/// and their keys sit at the indent of the first key after that dash.
fn item_key_lines(front: &str, key_line: usize, field: &str) -> Vec<Option<usize>> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let key_indent = front
        .lines()
        .nth(key_line.saturating_sub(1))
        .map_or(0, indent);
    let is_field = |t: &str| t.strip_prefix(field).is_some_and(|r| r.starts_with(':'));
    let mut items: Vec<Option<usize>> = Vec::new();
    let mut dash_indent = None;
    let mut field_indent = None;
    for (i, l) in front.lines().enumerate().skip(key_line) {
        if l.trim().is_empty() {
            continue;
        }
        let at = indent(l);
        let rest = l.trim_start();
        let dash = rest == "-" || rest.starts_with("- ");
        if at < key_indent || (at == key_indent && !dash) {
            break;
        }
        if dash && dash_indent.is_none_or(|d| d == at) {
            dash_indent = Some(at);
            let after = rest[1..].trim_start();
            // A bare `-` leaves its keys to the lines below, at their own indent.
            field_indent = (!after.is_empty()).then(|| l.len() - after.len());
            items.push(is_field(after).then_some(i + 1));
        } else if *field_indent.get_or_insert(at) == at && is_field(rest) {
            if let Some(last) = items.last_mut() {
                last.get_or_insert(i + 1);
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A doc holds its links to the end of the build (for the link check): those found in
    /// one file share its name, and an include's links name the include.
    #[test]
    fn a_docs_links_from_one_file_share_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("_config.yml", "title: t\ncollections:\n  a: {title: A}\n"),
            ("_includes/more.md", "[c](#c) and [d](#d)\n"),
            (
                "_a/x.md",
                "---\ntitle: X\n---\n[a](#a), [b](/b/)\n\n{% include more.md %}\n\n[e](#e)\n",
            ),
        ];
        for (rel, text) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let site = crate::load::load(root, None).unwrap();
        let model = crate::model::build(&site, "public", crate::model::Texts::Held);
        let engine = Engine::with_includes(&site.config, &site.includes);
        let parts = compose(&model.sections[0].docs[0], &engine).unwrap();
        let files: Vec<(&str, &str)> = (parts.links.iter())
            .map(|l| (l.dest.as_str(), l.file.to_str().unwrap()))
            .collect();
        assert_eq!(
            files,
            [
                ("#a", "_a/x.md"),
                ("/b/", "_a/x.md"),
                ("#c", "_includes/more.md"),
                ("#d", "_includes/more.md"),
                ("#e", "_a/x.md"),
            ]
        );
        let same = |i: usize, j: usize| Arc::ptr_eq(&parts.links[i].file, &parts.links[j].file);
        assert!(
            same(0, 1) && same(0, 4) && same(2, 3),
            "a name held per link"
        );
    }

    #[test]
    fn slugs_and_terms() {
        assert_eq!(slug("Python (requests)"), "python-requests");
        assert_eq!(slug("Node.js"), "node-js");
        let mut t = Vec::new();
        collect_terms(
            "<dl>\n<dt>record_uuid</dt><dd>x</dd><dt><code>a</code> or b:</dt></dl>",
            &mut t,
        );
        assert_eq!(t, ["record_uuid", "a or b"]);
        assert!(invisible("  <!-- c -->\n<!--d-->"));
        assert!(!invisible("<p>x</p>"));
    }

    /// Terms come from the model's definition lists, and from `<dt>`s of raw HTML.
    #[test]
    fn terms_of_a_render_are_its_definition_terms_in_order() {
        let mut t = Vec::new();
        for block in markdown::render(
            "`record_uuid`\n: x\n\n<dl><dt>raw &amp; <b>html</b></dt><dd>y</dd></dl>\n\n**a** or b:\n: z\n",
        )
        .blocks
        {
            if let Block::Html(part) = block {
                part_terms(&part.nodes, &mut t);
            }
        }
        assert_eq!(t, ["record_uuid", "raw & html", "a or b"]);
        let quiet = |html: &str| Part::raw(html.into());
        assert!(invisible_part(&quiet("<!-- c -->\n")));
        // Balancing closed an element there: it must stay.
        let mut closed = quiet("<!-- c -->\n");
        closed.balanced = Some("<!-- c -->\n</div>".into());
        assert!(!invisible_part(&closed));
    }

    /// Links to docs of other audiences lose their target, in the model's links and in
    /// raw HTML alike; a stretch with none keeps its HTML as it was written.
    #[test]
    fn links_to_hidden_docs_keep_their_text_but_not_their_target() {
        let hidden: std::collections::HashSet<String> = ["apisecret".to_string()].into();
        let md = "[a](#apisecret \"t\") [b](/docs/#apisecret) [c](#apiopen) [d](https://x.io/#apisecret) `\u{E000}x`\n\n<p><a href=\"#apisecret\">raw</a></p>\n\n~~~\nls\n~~~\n\nOnly [open](#apiopen).\n";
        let mut p = DocParts::default();
        for block in markdown::render_as(md, Markup::Endpaper).blocks {
            match block {
                Block::Html(h) => p.prose.push(Piece::Html(h)),
                Block::Code(block) => {
                    p.samples.push(Sample {
                        block,
                        file: String::new(),
                        pos: Pos::new(1, 1),
                        inline: false,
                    });
                    p.prose.push(Piece::Inline(p.samples.len() - 1));
                }
            }
        }
        let unlink = |url: &str| crate::render::unlink(url, &hidden);
        let linked_html = |part: &Part| {
            let mut out = Column::default();
            write_part(part, &unlink, &mut out);
            out
        };
        let Piece::Html(first) = &p.prose[0] else {
            panic!()
        };
        let first = linked_html(first);
        // The links kept are marked for the page, the raw HTML's too.
        let marked: Vec<&str> = first.marks.iter().map(|m| &first.html[m.range()]).collect();
        assert_eq!(marked, ["#apiopen"]);
        assert_eq!(
            first.html,
            "<p><a title=\"t\">a</a> <a>b</a> <a href=\"#apiopen\">c</a> <a href=\"https://x.io/#apisecret\">d</a> <code>x</code></p><p><a>raw</a></p>\n"
        );
        let Piece::Html(last) = &p.prose[2] else {
            panic!()
        };
        assert_eq!(linked_html(last).html, last.html());
        // What the page's HTML with those hrefs taken out is.
        let hl = |i: usize| {
            Cow::Owned(Highlighted {
                html: escape(&p.samples[i].block.code),
                known_language: true,
            })
        };
        let (page, _) = finish(&p, &hl);
        let (linked, _) = finish_linked(&p, &hl, &unlink);
        assert_eq!(linked.html, crate::html::rewrite_hrefs(&page, unlink));
    }

    #[test]
    fn finds_links_outside_code() {
        let text = "See [up](#filesupload) and <a href=\"other.html#x\">o</a>.\n~~~\n[no](#code)\n~~~\n[ref]: #documentationerrors \"t\"\n![img](images/a.png)\n";
        let links: Vec<String> = find_links(text).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            links,
            [
                "#filesupload",
                "other.html#x",
                "#documentationerrors",
                "images/a.png"
            ]
        );
        let (_, at) = find_links("ab [x](#y)").remove(0);
        assert_eq!(at, 7);
        let text = "é hh ü](#a) hhref='b' x [c](d)\n  [r]: #e\nnot [r]: #f\n";
        let found = find_links(text);
        let dests: Vec<&str> = found.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(dests, ["#a", "b", "d", "#e"]);
        assert!(found
            .iter()
            .all(|(d, at)| text[*at..].starts_with(d.as_str())));
    }

    #[test]
    fn lines_are_split_as_split_inclusive_splits_them() {
        for text in ["", "\n", "a", "a\n", "a\nb", "\n\né\r\n\nü", "x\n\n"] {
            let ours: Vec<&str> = lines_inclusive(text).collect();
            let core: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, core, "{text:?}");
        }
    }
}
