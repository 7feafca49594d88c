//! Docs for machines: a markdown twin of every doc (`section/doc.md`), `llms.txt`
//! (llmstxt.org: title, summary, one link per doc) and `llms-full.txt` (every twin, in
//! order), which assistants and coding agents read instead of the HTML.
//!
//! A twin is written from the doc's document model ([`twin_body`]): a light tree is built
//! from the nodes, each sample's code put in as it is (`model.rs`, `tree.rs`), so it holds
//! what the page shows to this build's audience (links to docs of other audiences lose their
//! target) and nothing more, and its markdown is written by the rules `htmd` follows
//! (`write.rs`), the same bytes (`ENDPAPER_TWIN_CHECK=1` writes each twin both ways and says
//! whether they agree). Raw HTML the doc wrote is read into that tree where the reader is
//! sure to read it as HTML5 would; where it is not, the doc's HTML goes to html5ever through
//! `htmd` ([`html_to_markdown`]).

use crate::compose::{DocParts, Piece};
use crate::config::Config;
use crate::document::{self, Element, Node};
use crate::html::Href;
use crate::render::{PageDoc, PageSection};
use crate::spool::{Chunk, Spool, PART_BYTES};
use htmd::element_handler::{HandlerResult, Handlers};
use std::collections::HashSet;
use std::fmt::Write as _;

mod model;
mod tree;
mod write;

// Where a doc's files go is the output layout's business (render); re-exported here.
pub use crate::render::{doc_stem, twin_path};

/// Puts each titled sample's title before it as a bold line, in HTML given to
/// [`html_to_markdown`] (as [`twin_body`] does in the tree it builds).
fn prepare(html: &str) -> String {
    const OPEN: &str = "<div class=\"ep-sample";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..tag_end];
        if let Some(t) = tag.split_once("data-title=\"") {
            let title = t.1.split('"').next().unwrap_or("");
            let _ = write!(out, "<p><strong>{title}</strong></p>");
        }
        out.push_str(tag);
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

thread_local! {
    static CONVERTER: htmd::HtmlToMarkdown = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["button", "script", "style"])
        .add_handler(vec!["dt"], definition_term)
        .add_handler(vec!["dd"], definition)
        .add_handler(vec!["table"], table)
        .build();
}

/// A table as `htmd` writes it, then [`unpad_rows`].
fn table(h: &dyn Handlers, el: htmd::Element) -> Option<HandlerResult> {
    let mut written = h.fallback(el)?;
    written.content = unpad_rows(&written.content);
    Some(written)
}

/// A table's rows without the padding `htmd` lines its columns up with, and its rule
/// `---` under every column: a reader of the markdown (an assistant, a parser) takes the
/// cells alike, and the spaces cost a doc's twin and its `llms-full` text about 0.25 KB
/// each for a table of status codes. The rows are the last lines of the row's shape and
/// count of `|` (a cell's own `|` is written `&#124;`); a text ending in none is left as
/// it is.
fn unpad_rows(md: &str) -> String {
    let body = md.trim_end_matches('\n');
    let lines: Vec<&str> = body.split('\n').collect();
    let bars = |l: &str| l.bytes().filter(|&b| b == b'|').count();
    let width = bars(lines[lines.len() - 1]);
    let is_row = |l: &&&str| l.starts_with('|') && l.ends_with(" |") && bars(l) == width;
    let count = lines.iter().rev().take_while(is_row).count();
    if count == 0 {
        return md.to_string();
    }
    let rows = &lines[lines.len() - count..];
    let head: usize = lines[..lines.len() - count]
        .iter()
        .map(|l| l.len() + 1)
        .sum();
    let mut out = String::with_capacity(md.len());
    out.push_str(&md[..head]);
    for (i, line) in rows.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let cells = line[1..line.len() - 1]
            .split('|')
            .map(|c| c.trim_matches(' '));
        let rule = i == 1
            && cells
                .clone()
                .all(|c| !c.is_empty() && c.bytes().all(|b| b == b'-'));
        out.push('|');
        for cell in cells {
            out.push(' ');
            out.push_str(if rule { "---" } else { cell });
            out.push_str(" |");
        }
    }
    out.push_str(&md[body.len()..]);
    out
}

/// A definition list keeps kramdown's own syntax (`term` / `: definition`), the syntax
/// the docs are written in, so each parameter stays next to what it means; as plain
/// paragraphs the pairing was lost.
fn definition_term(h: &dyn Handlers, el: htmd::Element) -> Option<HandlerResult> {
    let term = h.walk_children(el.node).content;
    Some(format!("\n\n{}\n", one_line(&term)).into())
}

fn definition(h: &dyn Handlers, el: htmd::Element) -> Option<HandlerResult> {
    let body = h.walk_children(el.node).content;
    // Later paragraphs (and nested lists) of a definition are indented under it.
    let body = body.trim().replace('\n', "\n  ").replace("\n  \n", "\n\n");
    Some(format!(": {body}\n").into())
}

/// Deepest element nesting `htmd` is given: its tree walk recurses per level, and a
/// hostile doc nests thousands of lists (markdown allows it) which would overflow the
/// stack. Real docs stay far below.
pub(super) const MAX_DEPTH: usize = 96;

/// Deepest element nesting in `html` (an estimate: void elements and `/>` close at once).
fn depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "embed",
        "source", "track",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.ends_with('/') {
            let name = tag
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("");
            if !VOID.contains(&name.to_ascii_lowercase().as_str()) {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// Markdown of a doc's HTML (prose and code columns). Too deeply nested HTML becomes its
/// plain text instead.
pub fn html_to_markdown(html: &str) -> String {
    if depth(html) > MAX_DEPTH {
        let text = crate::model::decode_entities(&crate::html::strip_tags(html));
        return text.trim().to_string();
    }
    let html = prepare(html);
    CONVERTER
        .with(|c| match tree::parse(&html) {
            Some(tree) => Ok(c.tree_to_markdown(&tree.to_rcdom())),
            None => c.convert(&html),
        })
        .unwrap_or_else(|_| crate::html::strip_tags(&html))
}

/// The body of a doc's twin (prose, then code), written from its model. `href` decides
/// where each link leads (see [`twin_link`]).
pub fn twin_body(p: &DocParts, href: &dyn Fn(&str) -> Href) -> String {
    let (body, how) = body(p, href, false);
    if check_twins() {
        let (htmd, _) = body_htmd(p, href);
        let verdict = if htmd == body { "same" } else { "DIFFERS" };
        eprintln!("twin check: {verdict}, {how}");
        if htmd != body {
            eprintln!("--- htmd\n{htmd}\n--- model\n{body}\n---");
        }
    }
    body
}

/// The twin's body as `htmd` writes it from the same tree: what [`twin_body`] is checked
/// against (`ENDPAPER_TWIN_CHECK=1`, and the tests).
pub fn twin_body_htmd(p: &DocParts, href: &dyn Fn(&str) -> Href) -> String {
    body_htmd(p, href).0
}

fn body_htmd(p: &DocParts, href: &dyn Fn(&str) -> Href) -> (String, &'static str) {
    body(p, href, true)
}

/// `ENDPAPER_TWIN_CHECK=1`: each twin is written both ways and a line on stderr says whether
/// the two agree and how the twin was written.
fn check_twins() -> bool {
    static CHECK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECK.get_or_init(|| std::env::var_os("ENDPAPER_TWIN_CHECK").is_some_and(|v| v == "1"))
}

/// The twin's body and how it was written: from the model's tree by [`write`] (or by
/// `htmd` when `htmd`), as its text when nested too deep, or, for raw HTML the tree reader
/// cannot place, from the page's HTML by html5ever and `htmd`.
fn body(p: &DocParts, href: &dyn Fn(&str) -> Href, htmd: bool) -> (String, &'static str) {
    match model::build(p, href) {
        model::Built::Tree(dom) if htmd => (
            CONVERTER.with(|c| c.tree_to_markdown(&dom.to_rcdom())),
            "model",
        ),
        model::Built::Tree(mut dom) => (write::markdown(&mut dom), "model"),
        model::Built::TooDeep => (plain_text(p), "too deep: its text"),
        model::Built::Raw => {
            let (prose, code) = crate::compose::finish(p, &|i| {
                std::borrow::Cow::Owned(crate::highlight::Highlighted {
                    html: crate::html::escape(&p.samples[i].block.code),
                    known_language: true,
                })
            });
            let html = crate::html::rewrite_hrefs(&format!("{prose}\n{code}"), href);
            (
                html_to_markdown(&html),
                "raw HTML the tree reader cannot place: htmd",
            )
        }
    }
}

/// The targets [`twin_body`] gives the links of `p`, one after another: with the parts,
/// all a twin is made from.
pub fn link_targets(p: &DocParts, href: &dyn Fn(&str) -> Href) -> String {
    let mut out = String::new();
    for piece in p.prose.iter().chain(&p.code) {
        let Piece::Html(part) = piece else { continue };
        for node in &part.nodes {
            match node {
                Node::Start(Element::Link(link)) => {
                    match href(&crate::html::escape(&link.href)) {
                        Href::Keep => out.push('='),
                        Href::Drop => out.push('-'),
                        Href::To(url) => out.push_str(&url),
                    }
                    out.push('\0');
                }
                Node::Html(h) | Node::InlineHtml(h) if h.contains(" href=\"") => {
                    out.push_str(&crate::html::rewrite_hrefs(h, href));
                    out.push('\0');
                }
                _ => {}
            }
        }
    }
    out
}

/// A doc's text, for a twin too deeply nested to convert.
fn plain_text(p: &DocParts) -> String {
    let mut out = String::new();
    for piece in p.prose.iter().chain(&p.code) {
        match piece {
            Piece::Html(part) => document::plain_text(&part.nodes, &mut out),
            Piece::Inline(i) => out.push_str(&p.samples[*i].block.code),
            Piece::Group(idx) => {
                for &i in idx {
                    out.push_str(&p.samples[i].block.code);
                }
            }
        }
    }
    out.trim().to_string()
}

/// Where a twin's link to `url` leads: links to other docs to those docs' twins
/// (`#ordersget_order` → `/orders/get_order.md`), as in a markdown file a bare doc anchor
/// leads nowhere. `twin` gives a built doc's twin URL by its anchor; other fragments
/// (headings) stay as they are. Links to docs of other audiences (`hidden`) lose their
/// target, as on the page ([`crate::render::unlink`]).
pub fn twin_link(
    url: &str,
    hidden: &HashSet<String>,
    twin: &dyn Fn(&str) -> Option<String>,
) -> Href {
    if crate::render::leaks(url, hidden) {
        return Href::Drop;
    }
    match url.strip_prefix('#').and_then(twin) {
        Some(url) => Href::To(url),
        None => Href::Keep,
    }
}

/// A twin: the doc's title, its endpoint, its description, then its body.
pub fn twin(name: &str, method: &str, path: &str, description: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 128);
    let heading = if name.is_empty() { path } else { name };
    let _ = writeln!(out, "# {}\n", one_line(heading));
    if !method.is_empty() {
        let _ = writeln!(out, "`{} {}`\n", method.to_uppercase(), one_line(path));
    }
    if !description.is_empty() {
        let _ = writeln!(out, "{}\n", one_line(description));
    }
    out.push_str(body.trim());
    out.push('\n');
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub use crate::seo::site_root;

fn header(config: &Config, title: &str) -> String {
    let mut out = format!("# {}\n\n", one_line(title));
    if !config.description.trim().is_empty() {
        let _ = writeln!(out, "> {}\n", one_line(&config.description));
    }
    out
}

/// Bytes `llms-full.txt` holds at most before it is split by section: 400 KB of markdown is
/// about 100,000 tokens, which fits a 128k-token context with room left for the question, and
/// is under what agents' fetch tools read of one URL. Over it, one file is more than a reader
/// can take in, so each section's docs go to parts of their own that a reader picks from
/// `llms.txt`.
pub const LLMS_FULL_MAX_BYTES: usize = 400_000;

/// One file of the full text: where it is written and which docs of which section it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullPart {
    pub path: String,
    pub section: usize,
    pub docs: std::ops::Range<usize>,
}

const SEPARATOR: &str = "\n---\n\n";

/// A file of the full text: its path, its chunks, and the docs whose twins it holds after
/// its first chunk, each under a separator.
pub type FullFile<'a> = (String, Vec<Chunk>, Vec<&'a PageDoc>);

/// How the full text is split: `None` when all of it fits one `llms-full.txt`, else the
/// parts in reading order: `users/llms-full.txt`, then `users/llms-full-2.txt` … when one
/// section alone is over [`LLMS_FULL_MAX_BYTES`] (cut between docs, as pages are).
pub fn full_parts(sections: &[PageSection], max: usize) -> Option<Vec<FullPart>> {
    let size = |d: &PageDoc| SEPARATOR.len() + d.markdown.len();
    split_by_section(sections, "llms-full.txt", (max, max), size)
}

/// How a file of every doc's `size` bytes is split: `None` when all of it is at most
/// `whole` bytes, else a part per section in reading order (`users/NAME`), cut between docs
/// (`users/STEM-2.EXT` …) where a section alone is over `part` bytes, into parts of about
/// even size.
pub fn split_by_section(
    sections: &[PageSection],
    name: &str,
    (whole, part): (usize, usize),
    size: impl Fn(&PageDoc) -> usize,
) -> Option<Vec<FullPart>> {
    let total: usize = sections.iter().flat_map(|s| &s.docs).map(&size).sum();
    if total <= whole {
        return None;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut parts = Vec::new();
    for (si, s) in sections.iter().enumerate() {
        // Parts of about even size: as few as the limit allows, each filled to its share.
        let bytes_of_section: usize = s.docs.iter().map(&size).sum();
        let share = bytes_of_section.div_ceil(bytes_of_section.div_ceil(part).max(1));
        let mut start = 0;
        while start < s.docs.len() {
            let (mut end, mut bytes) = (start, 0);
            while end < s.docs.len()
                && (end == start || (bytes < share && bytes + size(&s.docs[end]) <= part))
            {
                bytes += size(&s.docs[end]);
                end += 1;
            }
            let n = parts.iter().filter(|p: &&FullPart| p.section == si).count();
            let path = match n {
                0 => format!("{}/{name}", s.label),
                n => format!("{}/{stem}-{}.{ext}", s.label, n + 1),
            };
            parts.push(FullPart {
                path,
                section: si,
                docs: start..end,
            });
            start = end;
        }
    }
    Some(parts)
}

/// `llms.txt`: title, summary, then one section per reference section with a link to the
/// twin of each doc (absolute when the site has a `url`), after the links to the section's
/// parts of the full text when it is split ([`full_parts`]). Returned as the chunks of the
/// file, each put in `spool` once it holds [`PART_BYTES`] (a line per doc is tens of MB on a
/// large site).
pub fn llms_txt(
    config: &Config,
    title: &str,
    sections: &[PageSection],
    spool: &Spool,
) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let root = site_root(config).unwrap_or_default();
    let parts = full_parts(sections, LLMS_FULL_MAX_BYTES);
    let mut out = header(config, title);
    out.push_str(match parts {
        None => "Each link is the markdown of one doc; llms-full.txt holds all of them.\n\n",
        Some(_) => {
            "Each link is the markdown of one doc. The full text is split by section: each \
             section's first links are its part of it, every doc of the section in one file.\n\n"
        }
    });
    for (si, s) in sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.docs.is_empty())
    {
        let _ = writeln!(out, "## {}\n", one_line(&s.title));
        for p in parts.iter().flatten().filter(|p| p.section == si) {
            let _ = writeln!(out, "{}", part_link(&root, s, p));
        }
        for d in &s.docs {
            let label = match (d.name.is_empty(), d.method.is_empty()) {
                (false, false) => format!("{} ({} {})", d.name, d.method.to_uppercase(), d.title),
                (false, true) => d.name.clone(),
                (true, false) => format!("{} {}", d.method.to_uppercase(), d.title),
                (true, true) => d.title.clone(),
            };
            let label = one_line(&label).replace(['[', ']'], "");
            let _ = write!(out, "- [{label}]({root}{})", twin_path(&d.rel));
            if !d.description.trim().is_empty() {
                let _ = write!(out, ": {}", one_line(&d.description));
            }
            out.push('\n');
            if out.len() >= PART_BYTES {
                chunks.push(spool.put(std::mem::take(&mut out)));
            }
        }
        out.push('\n');
    }
    chunks.push(spool.put(out));
    chunks
}

/// `- [Users, full text (docs 1–120 of 240)](users/llms-full.txt)`.
fn part_link(root: &str, s: &PageSection, p: &FullPart) -> String {
    let title = one_line(&s.title).replace(['[', ']'], "");
    let n = p.docs.len();
    let which = if n == s.docs.len() {
        format!("{n} doc{}", if n == 1 { "" } else { "s" })
    } else {
        format!(
            "docs {}–{} of {}",
            p.docs.start + 1,
            p.docs.end,
            s.docs.len()
        )
    };
    format!("- [{title}, full text ({which})]({root}{})", p.path)
}

/// The full text as the files to write, each as the chunks written one after another (the
/// text is every twin, which would otherwise be copied into one string): `llms-full.txt`
/// with the header and every twin in reading order, or, when that is over
/// [`LLMS_FULL_MAX_BYTES`], the header and a link to each part in `llms-full.txt` and the
/// twins in the parts ([`full_parts`]), each part under the header and its section's title.
/// Each file comes with the docs whose twins follow its first chunk, for a key of what it
/// holds.
pub fn llms_full<'a>(
    config: &Config,
    title: &str,
    sections: &'a [PageSection],
) -> Vec<FullFile<'a>> {
    let twins = |docs: Vec<&'a PageDoc>, mut chunks: Vec<Chunk>| {
        for d in &docs {
            chunks.push(Chunk::Static(SEPARATOR));
            chunks.push(d.markdown.clone());
        }
        (chunks, docs)
    };
    let Some(parts) = full_parts(sections, LLMS_FULL_MAX_BYTES) else {
        let docs = sections.iter().flat_map(|s| &s.docs).collect();
        let (chunks, docs) = twins(docs, vec![Chunk::from(header(config, title))]);
        return vec![("llms-full.txt".to_string(), chunks, docs)];
    };
    let root = site_root(config).unwrap_or_default();
    let mut index = header(config, title);
    index.push_str(
        "The full text is split by section; each part holds the markdown of its docs.\n\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for p in &parts {
        let s = &sections[p.section];
        let _ = writeln!(index, "{}", part_link(&root, s, p));
        let first = format!("{}## {}\n", header(config, title), one_line(&s.title));
        let (chunks, docs) = twins(s.docs[p.docs.clone()].iter().collect(), vec![first.into()]);
        files.push((p.path.clone(), chunks, docs));
    }
    let index = vec![Chunk::from(index)];
    files.insert(0, ("llms-full.txt".to_string(), index, Vec::new()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Sample;
    use std::collections::HashMap;

    #[test]
    fn deeply_nested_html_becomes_plain_text_instead_of_overflowing() {
        assert_eq!(depth("<p>a<br><img src=x/><b>c</b></p><hr>"), 2);
        let deep = format!(
            "{}deep{}",
            "<ul><li>".repeat(5000),
            "</li></ul>".repeat(5000)
        );
        assert_eq!(html_to_markdown(&deep), "deep");
    }

    #[test]
    fn a_tables_rows_are_written_without_padding() {
        let html = "<table><caption>| Codes |</caption><thead><tr><th>Code</th><th>Meaning</th></tr></thead>\
            <tbody><tr><td><code>200</code></td><td>OK</td></tr><tr><td>-</td><td>a | b</td></tr>\
            <tr><td></td><td>Not Found: no such thing</td></tr></tbody></table>";
        assert_eq!(
            html_to_markdown(html),
            "| Codes |\n| Code | Meaning |\n| --- | --- |\n| `200` | OK |\n| - | a &#124; b |\n|  | Not Found: no such thing |"
        );
        // Text that ends in no row is left alone.
        for text in ["\n\nx\n\n", "\n\n| a  |  b\n", "\n\n| a  |\nz\n"] {
            assert_eq!(unpad_rows(text), text);
        }
    }

    #[test]
    fn definition_lists_keep_each_term_with_its_definition() {
        let html = "<h3>Query Parameters</h3>\n<dl>\n<dt>limit</dt>\n<dd>(integer) At most this many.</dd>\n<dt>status</dt>\n<dd><p>(string) One of:</p><p><code>open</code> or <code>closed</code>.</p></dd>\n</dl>\n<p>After.</p>";
        let md = html_to_markdown(html);
        assert!(
            md.contains("limit\n: (integer) At most this many.\n"),
            "{md}"
        );
        assert!(
            md.contains("status\n: (string) One of:\n\n  `open` or `closed`."),
            "{md}"
        );
        assert!(md.contains("\n\nAfter."), "{md}");
        // What the twin says is what kramdown reads back as the same list.
        let back: String = crate::markdown::render(&md)
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                crate::markdown::Block::Html(h) => Some(h.html().into_owned()),
                crate::markdown::Block::Code(_) => None,
            })
            .collect();
        assert!(back.contains("<dt>limit</dt>"), "{back}");
        assert!(back.contains("<dt>status</dt>"), "{back}");
    }

    /// A doc's parts as compose makes them of `md`: titled samples grouped in the code
    /// column, others where they stand.
    fn parts(md: &str) -> DocParts {
        let mut p = DocParts::default();
        let mut group = Vec::new();
        for block in crate::markdown::render_as(md, document::Markup::Endpaper).blocks {
            match block {
                crate::markdown::Block::Html(h) => p.prose.push(Piece::Html(h)),
                crate::markdown::Block::Code(block) => {
                    let titled = block.title.is_some();
                    p.samples.push(Sample {
                        block,
                        file: String::new(),
                        pos: crate::error::Pos::new(1, 1),
                        inline: false,
                    });
                    let i = p.samples.len() - 1;
                    if titled {
                        group.push(i);
                    } else {
                        p.prose.push(Piece::Inline(i));
                    }
                }
            }
        }
        p.code.push(Piece::Group(group));
        p
    }

    /// The twin written from the model is the one html5ever's tree of the page's HTML gives,
    /// for every kind of node and for sample code of every awkward kind.
    #[test]
    fn a_twin_from_the_model_is_the_twin_of_the_pages_html() {
        let md = r#"# Orders *all* of them

Intro with `code`, **strong**, ~~gone~~, a [link](#x "T") and an ![img](i.png "t").
Line two\
after a break; "quotes" and 'single' -- dashes... and_under*star*[br]

- one
  - nested *em*
- two

  ~~~ bash
  ls -la
  ~~~

  after the sample
- [x] done

1. first
2. second

3. loose

limit
: (integer) At most `100`.

status
: (string) One of:

  `open` or `closed`.
{: .info }

| A | B | C |
|:--|:-:|--:|
| a | b | c |

|---|---|
| x | y |

> quoted
> lines

Careful.
{: .warning }

<div class="raw">raw <b>HTML</b></div>

Inline <span>raw</span> too.

- leading dash text
1. looks ordered
# text

* * *

~~~ json
{"a": [1, 2]}
~~~
{: title="JSON" }

~~~ bash
curl -X POST "https://x/<id>?a=1&b=2"
~~~
{: title="Curl" }

~~~ md
has ``` and ```` fences
and `one`
~~~
{: title="Fences" }

~~~ text
  indented


trailing blank lines


~~~
{: title="Blank" }

~~~ js
~~~ tildes &amp; entities &lt;
~~~~
{: title="Tildes" }
"#;
        let p = parts(md);
        let keep = |_: &str| Href::Keep;
        let from_model = twin_body(&p, &keep);
        let (prose, code) = crate::compose::finish(&p, &|i| {
            std::borrow::Cow::Owned(crate::highlight::Highlighted {
                html: crate::html::escape(&p.samples[i].block.code),
                known_language: true,
            })
        });
        let html = prepare(&format!("{prose}\n{code}"));
        let from_html = CONVERTER.with(|c| c.convert(&html)).unwrap();
        assert_eq!(from_model, from_html);
        for must in [
            "**Curl**",
            "limit\n: (integer) At most `100`.",
            "| A | B | C |",
        ] {
            assert!(from_model.contains(must), "{must}: {from_model}");
        }
    }

    /// Raw HTML the tree reader would read otherwise than HTML5, and raw HTML balancing had
    /// to close, are converted from the page's HTML instead: the same twin.
    #[test]
    fn raw_html_the_reader_cannot_place_goes_to_the_converter() {
        for md in [
            "Before.\n\n<!-- a comment -->\n\n<p>open <div>block in p</div>\n\nAfter.\n",
            "<div class=\"note\">\n\nUnclosed *raw* div.\n",
            "Text <b><i>misnested</b></i>.\n",
        ] {
            let p = parts(md);
            let keep = |_: &str| Href::Keep;
            let (prose, code) = crate::compose::finish(&p, &|_| unreachable!());
            let html = prepare(&format!("{prose}\n{code}"));
            let from_html = CONVERTER.with(|c| c.convert(&html)).unwrap();
            assert_eq!(twin_body(&p, &keep), from_html, "{md}");
        }
    }

    /// Every doc of the example site and of the real sites beside the project: the twin
    /// [`write`] writes is the one `htmd` writes from the same tree.
    #[test]
    fn the_model_writer_writes_htmds_twin_of_every_real_doc() {
        let (mut docs, mut from_tree) = (0, 0);
        for (path, text) in crate::test_support::real_markdown() {
            let body = crate::test_support::body(&text);
            let p = parts(body);
            let keep = |_: &str| Href::Keep;
            docs += 1;
            from_tree += usize::from(matches!(model::build(&p, &keep), model::Built::Tree(_)));
            assert_eq!(
                twin_body(&p, &keep),
                twin_body_htmd(&p, &keep),
                "{}",
                path.display()
            );
        }
        assert!(from_tree * 10 >= docs * 9, "{from_tree} of {docs}");
    }

    #[test]
    fn a_twin_too_deep_to_convert_is_its_text() {
        let md = format!("{}deep\n", "- ".repeat(3000));
        let p = parts(&md);
        assert_eq!(twin_body(&p, &|_| Href::Keep), "deep");
    }

    #[test]
    fn links_to_other_docs_lead_to_their_twins() {
        let twins = HashMap::from([(
            "ordersget_order".to_string(),
            "https://docs.x/v2/orders/get_order.md".to_string(),
        )]);
        let html = r##"<p>See <a href="#ordersget_order">one order</a>, <a href="#url-parameters">below</a> and <a href="https://y/#ordersget_order">away</a>.</p>"##;
        let md = html_to_markdown(&crate::html::rewrite_hrefs(html, |url| {
            twin_link(url, &HashSet::new(), &|a| twins.get(a).cloned())
        }));
        // The same links in the model lead to the same places, and a link to a doc of
        // another audience keeps its text only.
        let p = parts("See [one order](#ordersget_order), [below](#url-parameters), [away](https://y/#ordersget_order) and [gone](#hidden_doc).
");
        let hidden = HashSet::from(["hidden_doc".to_string()]);
        let from_model = twin_body(&p, &|url| {
            twin_link(url, &hidden, &|a| twins.get(a).cloned())
        });
        assert_eq!(
            from_model,
            "See [one order](https://docs.x/v2/orders/get_order.md), [below](#url-parameters), [away](https://y/#ordersget_order) and gone."
        );
        assert!(
            md.contains("[one order](https://docs.x/v2/orders/get_order.md)"),
            "{md}"
        );
        assert!(
            md.contains("[below](#url-parameters)"),
            "headings stay: {md}"
        );
        assert!(md.contains("[away](https://y/#ordersget_order)"), "{md}");
    }

    #[test]
    fn twin_paths_follow_the_source() {
        assert_eq!(twin_path("_orders/get_order.md"), "orders/get_order.md");
        assert_eq!(twin_path("_a/b/c.markdown"), "a/b/c.md");
        assert_eq!(doc_stem("_a/.hidden"), "a/.hidden");
    }

    #[test]
    fn samples_keep_their_title_and_lose_their_buttons() {
        let html = r#"<p>Lists <a href="/x">orders</a>.</p><div class="ep-tabs"><div class="ep-tablist" role="tablist"><button type="button" role="tab">Curl</button></div><div class="ep-sample" role="tabpanel" data-title="Curl" data-lang="bash"><button type="button" class="ep-copy">Copy</button><pre class="ep-code"><code class="language-bash">curl https://x/&lt;id&gt;</code></pre></div></div>"#;
        let md = html_to_markdown(html);
        assert!(md.contains("Lists [orders](/x)."), "{md}");
        assert!(md.contains("**Curl**"), "{md}");
        assert!(md.contains("```bash\ncurl https://x/<id>\n```"), "{md}");
        assert!(!md.contains("Copy"), "{md}");
        let t = twin("Get Order", "get", "/orders/<id>", "One order.", &md);
        assert!(t.starts_with("# Get Order\n\n`GET /orders/<id>`\n\nOne order.\n\n"));
    }

    /// Sections named `a`, `b` … with docs whose twins are `sizes` bytes long.
    fn full_sections(sizes: &[&[usize]]) -> Vec<PageSection> {
        sizes
            .iter()
            .enumerate()
            .map(|(si, docs)| {
                let label = ((b'a' + si as u8) as char).to_string();
                PageSection {
                    title: label.to_uppercase(),
                    docs: docs
                        .iter()
                        .enumerate()
                        .map(|(di, &n)| crate::render::PageDoc {
                            rel: format!("_{label}/d{di}.md"),
                            title: format!("{label}{di}"),
                            markdown: format!("# {label}{di}\n{}", "x".repeat(n)).into(),
                            ..Default::default()
                        })
                        .collect(),
                    label,
                }
            })
            .collect()
    }

    fn text(chunks: &[Chunk]) -> String {
        chunks
            .iter()
            .map(|c| match c {
                Chunk::Static(s) => s.to_string(),
                Chunk::Held(s) => s.to_string(),
                Chunk::Spooled { .. } | Chunk::Blob { .. } => {
                    unreachable!("the tests hold every twin")
                }
            })
            .collect()
    }

    #[test]
    fn full_text_is_split_by_section_only_over_the_limit() {
        let sections = full_sections(&[&[10, 10], &[10, 10, 10]]);
        assert_eq!(full_parts(&sections, 1_000), None);
        let parts = full_parts(&sections, 60).unwrap();
        let got: Vec<_> = parts
            .iter()
            .map(|p| (p.path.as_str(), p.section, p.docs.clone()))
            .collect();
        // A part holds whole docs, up to its even share; a doc alone over the limit is a part
        // alone.
        assert_eq!(
            got,
            [
                ("a/llms-full.txt", 0, 0..2),
                ("b/llms-full.txt", 1, 0..2),
                ("b/llms-full-2.txt", 1, 2..3),
            ]
        );
        let parts = full_parts(&full_sections(&[&[100, 5]]), 60).unwrap();
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(parts[0].docs, 0..1);
    }

    #[test]
    fn split_full_text_holds_every_twin_once_and_llms_txt_links_its_parts() {
        let config = Config::parse("", std::path::Path::new("_config.yml")).unwrap();
        let big = LLMS_FULL_MAX_BYTES / 4;
        let small = full_sections(&[&[10], &[10]]);
        let llms = |s: &[PageSection]| text(&llms_txt(&config, "Site", s, &Spool::memory()));
        let files = llms_full(&config, "Site", &small);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "llms-full.txt");
        assert!(text(&files[0].1).contains("# b0\nxxxxxxxxxx"));
        assert!(!llms(&small).contains("full text"));

        let sections = full_sections(&[&[big, big, big, big], &[10]]);
        let files = llms_full(&config, "Site", &sections);
        let paths: Vec<_> = files.iter().map(|(p, ..)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "llms-full.txt",
                "a/llms-full.txt",
                "a/llms-full-2.txt",
                "b/llms-full.txt"
            ]
        );
        let index = text(&files[0].1);
        assert!(index.starts_with("# Site\n"), "{index}");
        assert!(
            index.contains("- [A, full text (docs 1–2 of 4)](a/llms-full.txt)\n"),
            "{index}"
        );
        assert!(
            index.contains("- [B, full text (1 doc)](b/llms-full.txt)\n"),
            "{index}"
        );
        assert!(!index.contains("xxx"), "the index holds no twin");
        let all: String = files[1..].iter().map(|(_, c, _)| text(c)).collect();
        // What each file is keyed by: the docs whose twins it holds.
        let held = |f: &FullFile| f.2.iter().map(|d| d.rel.clone()).collect::<Vec<_>>();
        assert!(held(&files[0]).is_empty());
        assert_eq!(held(&files[2]), ["_a/d2.md", "_a/d3.md"]);
        for name in ["a0", "a1", "a2", "a3", "b0"] {
            assert_eq!(all.matches(&format!("# {name}\n")).count(), 1, "{name}");
        }
        assert!(text(&files[3].1).starts_with("# Site\n\n## B\n"));
        assert!(files
            .iter()
            .all(|(_, c, _)| text(c).len() <= LLMS_FULL_MAX_BYTES + 100));

        let llms = llms(&sections);
        let a = llms.find("## A\n").unwrap();
        let part = llms.find("(a/llms-full.txt)").unwrap();
        let twin = llms.find("(a/d0.md)").unwrap();
        assert!(
            a < part && part < twin,
            "the parts come first under their section: {llms}"
        );
        assert!(llms.contains("(a/llms-full-2.txt)"), "{llms}");
        assert!(!llms.contains("llms-full.txt holds all"), "{llms}");
    }

    #[test]
    fn llms_txt_goes_to_the_spool_in_chunks_of_a_bounded_size() {
        let config = Config::parse("", std::path::Path::new("_config.yml")).unwrap();
        let mut sections = full_sections(&[&[10; 300]]);
        let long = "y".repeat(10_000);
        for d in &mut sections[0].docs {
            d.description = long.clone();
        }
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::in_dir(dir.path());
        let chunks = llms_txt(&config, "Site", &sections, &spool);
        assert!(chunks.len() > 2, "{} chunks", chunks.len());
        let line = "- [a299](a/d299.md): ".len() + long.len() + 1;
        let mut all = String::new();
        for c in &chunks {
            assert!(matches!(c, Chunk::Spooled { .. }), "a chunk held: {c:?}");
            assert!(c.len() < PART_BYTES + line, "{} bytes", c.len());
            all.push_str(&spool.get(c).unwrap());
        }
        let whole = text(&llms_txt(&config, "Site", &sections, &Spool::memory()));
        assert_eq!(all, whole);
        let mut at = 0;
        for di in 0..300 {
            let link = format!("- [a{di}](a/d{di}.md): {long}\n");
            at += whole[at..].find(&link).unwrap_or_else(|| panic!("d{di}")) + link.len();
        }
    }
}
