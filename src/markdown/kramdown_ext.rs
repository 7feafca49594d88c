//! kramdown's own block features that CommonMark lacks: `{:toc}` (a table of contents of the
//! render's headings), footnotes, abbreviations (`*[HTML]: …`) and `parse_block_html` /
//! `markdown="1"` on a block element. A pre-pass over the source (before `prepare.rs`, same
//! line count) takes their lines out; the rest is done on the writer's nodes, so no event
//! index (span and block IALs are keyed by them) moves.

use super::prepare::{closes_fence, opens_fence, Fence, BLOCK_MARK};
use super::{Attrs, Block, Heading};
use crate::diagnostics::Diagnostic;
use crate::document::{Element, Ial, Kind, Link, Markup, Node, Part};
use crate::error::Pos;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// What the `* TOC` line becomes: an HTML block the writer keeps as one node, replaced by
/// the list once every heading of the render is known.
const TOC_MARK: &str = "<!--{:toc}-->";

/// The kramdown features a source asks for, read by [`take_extensions`].
#[derive(Debug, Default)]
pub(super) struct Extensions {
    /// `*[HTML]: HyperText Markup Language`: the word and its title, in source order.
    pub(super) abbrs: Vec<(String, String)>,
    /// `Some(ordered)` where a `* TOC` / `1. TOC` list carries `{:toc}`.
    pub(super) toc: Option<bool>,
    /// `{::options toc_levels="2..3" /}`; kramdown's default is every level.
    pub(super) toc_levels: (u8, u8),
}

/// Block elements whose content kramdown reads as markdown under `parse_block_html`.
const BLOCK_TAGS: &[&str] = &[
    "div",
    "section",
    "aside",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "figure",
    "details",
    "blockquote",
];

/// Takes abbreviation definitions and the `{:toc}` list out of `src`, and opens block
/// elements under `parse_block_html` (or with `markdown="1"`) so their content is
/// markdown. Lines are replaced, never added or removed, so positions stay those of `src`.
pub(super) fn take_extensions(src: &str) -> (Cow<'_, str>, Extensions) {
    let mut ext = Extensions {
        toc_levels: (1, 6),
        ..Extensions::default()
    };
    let wanted = ["*[", "{:toc}", "{::options", "markdown="];
    if !wanted.iter().any(|w| src.contains(w)) {
        return (Cow::Borrowed(src), ext);
    }
    let mut out: Vec<Cow<str>> = Vec::new();
    let mut fence: Option<Fence> = None;
    let mut parse_block_html = false;
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim();
        let indent = body.len() - body.trim_start().len();
        if let Some((c, n)) = fence {
            if closes_fence(body, c, n) {
                fence = None;
            }
        } else if let Some(f) = opens_fence(body) {
            fence = Some(f);
        } else if let Some((word, title)) = abbreviation(trimmed).filter(|_| indent <= 3) {
            ext.abbrs.retain(|(w, _)| w != word);
            ext.abbrs.push((word.to_string(), title.to_string()));
            out.push(Cow::Borrowed(&line[body.len()..]));
            continue;
        } else if trimmed == "{:toc}" {
            let ordered = out.last().and_then(|prev| toc_item(prev.trim()));
            if let (Some(ordered), Some(prev)) = (ordered, out.last_mut()) {
                ext.toc = Some(ordered);
                *prev = Cow::Owned(format!("{TOC_MARK}\n"));
                out.push(Cow::Borrowed(&line[body.len()..]));
                continue;
            }
        } else if let Some(opts) = trimmed.strip_prefix("{::options") {
            if let Some(v) = option(opts, "parse_block_html") {
                parse_block_html = v == "true";
            }
            if let Some(levels) = option(opts, "toc_levels").and_then(toc_levels) {
                ext.toc_levels = levels;
            }
        } else if let Some(open) = block_open(trimmed, parse_block_html) {
            // A processing instruction ends CommonMark's HTML block on this line, so the
            // lines after it are markdown, as kramdown reads them.
            out.push(Cow::Owned(format!(
                "{}{BLOCK_MARK}{open}{}",
                &body[..indent],
                &line[body.len()..]
            )));
            continue;
        }
        out.push(Cow::Borrowed(line));
    }
    (Cow::Owned(out.concat()), ext)
}

/// `*[word]: title` → `(word, title)`.
fn abbreviation(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("*[")?;
    let (word, title) = rest.split_once("]:")?;
    (!word.is_empty() && !word.contains(']')).then(|| (word, title.trim()))
}

/// Whether a list line is kramdown's TOC placeholder: `Some(ordered)`.
fn toc_item(line: &str) -> Option<bool> {
    let (marker, text) = line.split_once(' ')?;
    if text.trim() != "TOC" {
        return None;
    }
    match marker {
        "*" | "-" | "+" => Some(false),
        m if m.ends_with('.') && m[..m.len() - 1].chars().all(|c| c.is_ascii_digit()) => Some(true),
        _ => None,
    }
}

/// The value of `name="…"` in an `{::options … /}` line.
fn option<'a>(opts: &'a str, name: &str) -> Option<&'a str> {
    let at = opts.find(&format!("{name}="))? + name.len() + 1;
    let rest = &opts[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

/// `"2..3"` or `"2,3,4"` → the lowest and highest level.
fn toc_levels(v: &str) -> Option<(u8, u8)> {
    let levels: Vec<u8> = match v.split_once("..") {
        Some((a, b)) => vec![a.trim().parse().ok()?, b.trim().parse().ok()?],
        None => v
            .split(',')
            .map(|n| n.trim().parse().ok())
            .collect::<Option<_>>()?,
    };
    Some((*levels.iter().min()?, *levels.iter().max()?))
}

/// A line holding only a block element's start tag whose content kramdown parses as
/// markdown; the tag as kramdown writes it (without `markdown="1"`).
fn block_open(line: &str, parse_block_html: bool) -> Option<String> {
    let inner = line.strip_prefix('<')?.strip_suffix('>')?;
    if inner.contains(['<', '>']) || inner.ends_with('/') {
        return None;
    }
    let name = inner.split([' ', '\t']).next()?.to_ascii_lowercase();
    if !BLOCK_TAGS.contains(&name.as_str()) {
        return None;
    }
    for flag in [" markdown=\"1\"", " markdown='1'", " markdown=\"block\""] {
        if let Some(at) = inner.find(flag) {
            return Some(format!("<{}{}>", &inner[..at], &inner[at + flag.len()..]));
        }
    }
    parse_block_html.then(|| line.to_string())
}

/// Footnote references in order: each name's number and how often it was referenced.
#[derive(Debug, Default)]
pub(super) struct FootnoteRefs {
    order: Vec<String>,
    seen: HashMap<String, usize>,
}

impl FootnoteRefs {
    /// kramdown's `<sup id="fnref:name" role="doc-noteref"><a href="#fn:name" class="footnote"
    /// rel="footnote">1</a></sup>`; a second reference to a note gets `fnref:name:1`.
    pub(super) fn reference(&mut self, name: &str) -> Vec<Node> {
        let count = self.seen.entry(name.to_string()).or_insert(0);
        let id = match *count {
            0 => format!("fnref:{name}"),
            n => format!("fnref:{name}:{n}"),
        };
        *count += 1;
        if *count == 1 {
            self.order.push(name.to_string());
        }
        let number = self.order.iter().position(|n| n == name).unwrap_or(0) + 1;
        let sup = Attrs {
            id: Some(id),
            pairs: vec![("role".into(), "doc-noteref".into())],
            ..Attrs::default()
        };
        let link = note_link(format!("#fn:{name}"), "footnote", ("rel", "footnote"));
        vec![
            Node::Start(Element::Superscript(sup.into())),
            Node::Start(Element::Link(Box::new(link))),
            Node::Text(number.to_string()),
            Node::End(Kind::Link),
            Node::End(Kind::Superscript),
        ]
    }
}

/// A link between a footnote and its reference, as kramdown writes it: one class, one pair.
fn note_link(href: String, class: &str, (key, value): (&str, &str)) -> Link {
    Link {
        href,
        title: String::new(),
        attrs: Attrs {
            classes: vec![class.into()],
            pairs: vec![(key.into(), value.into())],
            ..Attrs::default()
        },
    }
}

/// Applies the node-level features to a finished render: the footnotes' list at the end,
/// the table of contents in place of its mark, abbreviations on every text.
/// `definitions`: where each footnote is defined, for the warning on one never referenced.
pub(super) fn finish(
    blocks: &mut Vec<Block>,
    headings: &[Heading],
    ext: &Extensions,
    refs: &FootnoteRefs,
    definitions: &HashMap<String, Pos>,
    markup: Markup,
    diags: &mut Vec<Diagnostic>,
) {
    if !definitions.is_empty() {
        footnotes(blocks, refs, definitions, markup, diags);
    }
    if let Some(ordered) = ext.toc {
        let toc = toc_nodes(headings, ordered, ext.toc_levels);
        for block in blocks.iter_mut() {
            if let Block::Html(part) = block {
                if let Some(at) = part
                    .nodes
                    .iter()
                    .position(|n| matches!(n, Node::Html(h) if h.trim() == TOC_MARK))
                {
                    part.nodes.splice(at..=at, toc.iter().cloned());
                }
            }
        }
    }
    if !ext.abbrs.is_empty() {
        for block in blocks.iter_mut() {
            if let Block::Html(part) = block {
                part.nodes = abbreviate(std::mem::take(&mut part.nodes), &ext.abbrs);
            }
        }
    }
}

/// Moves each footnote's definition to kramdown's list at the end of the render, in the
/// order of first reference, each with its back link; a definition never referenced is
/// dropped as kramdown drops it, with a warning.
fn footnotes(
    blocks: &mut Vec<Block>,
    refs: &FootnoteRefs,
    definitions: &HashMap<String, Pos>,
    markup: Markup,
    diags: &mut Vec<Diagnostic>,
) {
    let mut notes: HashMap<String, Vec<Node>> = HashMap::new();
    for block in blocks.iter_mut() {
        let Block::Html(part) = block else { continue };
        while let Some(start) = part
            .nodes
            .iter()
            .position(|n| matches!(n, Node::Start(Element::Footnote(_))))
        {
            let Some(len) = part.nodes[start..]
                .iter()
                .position(|n| matches!(n, Node::End(Kind::Footnote)))
            else {
                break;
            };
            let note: Vec<Node> = part.nodes.drain(start..=start + len).collect();
            if let Some(Node::Start(Element::Footnote(name))) = note.first() {
                notes.entry(name.clone()).or_insert(note);
            }
        }
    }
    let mut unused: Vec<(&String, &Pos)> = definitions
        .iter()
        .filter(|(name, _)| !refs.seen.contains_key(*name))
        .collect();
    unused.sort_by_key(|(_, pos)| (pos.line, pos.col));
    for (name, pos) in unused {
        diags.push(Diagnostic::warning(
            "unused-footnote",
            PathBuf::new(),
            *pos,
            format!("footnote `[^{name}]` is never referenced: kramdown leaves it out, and so does endpaper"),
        ));
    }
    let mut list = vec![
        Node::Start(Element::Footnotes),
        Node::Start(Element::List {
            start: Some(1),
            attrs: Ial::default(),
        }),
    ];
    for name in &refs.order {
        let Some(mut note) = notes.remove(name) else {
            continue;
        };
        let back = note_link(
            format!("#fnref:{name}"),
            "reversefootnote",
            ("role", "doc-backlink"),
        );
        let mut backlink = Vec::new();
        // One back link per reference, the later ones numbered.
        for n in 0..refs.seen.get(name).copied().unwrap_or(1) {
            let mut back = back.clone();
            if n > 0 {
                back.href = format!("#fnref:{name}:{n}");
            }
            // kramdown joins them with a no-break space, so a back link never wraps alone.
            backlink.push(Node::Text("\u{A0}".into()));
            backlink.push(Node::Start(Element::Link(Box::new(back))));
            backlink.push(Node::Text("\u{21A9}".into()));
            if n > 0 {
                backlink.push(Node::Start(Element::Superscript(Ial::default())));
                backlink.push(Node::Text((n + 1).to_string()));
                backlink.push(Node::End(Kind::Superscript));
            }
            backlink.push(Node::End(Kind::Link));
        }
        let end = note.len() - 1;
        let at = match note.get(end - 1) {
            Some(Node::End(Kind::Paragraph(_))) => end - 1,
            _ => end,
        };
        note.splice(at..at, backlink);
        list.extend(note);
    }
    if list.len() == 2 {
        return;
    }
    list.push(Node::End(Kind::List { ordered: true }));
    list.push(Node::End(Kind::Footnotes));
    match blocks.last_mut() {
        Some(Block::Html(part)) => part.nodes.extend(list),
        _ => blocks.push(Block::Html(Part::new(list, markup))),
    }
}

/// kramdown's table of contents: `<ul id="markdown-toc">` (or `<ol>`) of the headings in
/// `levels`, nested by level, each `<li><a href="#id" id="markdown-toc-id">`.
fn toc_nodes(headings: &[Heading], ordered: bool, levels: (u8, u8)) -> Vec<Node> {
    let list = |id: Option<String>| {
        Node::Start(Element::List {
            start: ordered.then_some(1),
            attrs: Attrs {
                id,
                ..Attrs::default()
            }
            .into(),
        })
    };
    let mut nodes = vec![list(Some("markdown-toc".into()))];
    // Levels of the items open, each with whether its nested list is open.
    let mut open: Vec<(u8, bool)> = Vec::new();
    for h in headings
        .iter()
        .filter(|h| (levels.0..=levels.1).contains(&h.level))
    {
        while let Some(&(level, nested)) = open.last() {
            if level < h.level {
                break;
            }
            open.pop();
            if nested {
                nodes.push(Node::End(Kind::List { ordered }));
            }
            nodes.push(Node::End(Kind::Item));
        }
        if let Some((_, nested)) = open.last_mut() {
            if !*nested {
                *nested = true;
                nodes.push(list(None));
            }
        }
        let link = Link {
            href: format!("#{}", h.id),
            title: String::new(),
            attrs: Attrs {
                id: Some(format!("markdown-toc-{}", h.id)),
                ..Attrs::default()
            },
        };
        nodes.push(Node::Start(Element::Item(Ial::default())));
        nodes.push(Node::Start(Element::Link(Box::new(link))));
        nodes.push(Node::Text(h.text.clone()));
        nodes.push(Node::End(Kind::Link));
        open.push((h.level, false));
    }
    while let Some((_, nested)) = open.pop() {
        if nested {
            nodes.push(Node::End(Kind::List { ordered }));
        }
        nodes.push(Node::End(Kind::Item));
    }
    nodes.push(Node::End(Kind::List { ordered }));
    nodes
}

/// Wraps each whole-word occurrence of an abbreviation in the text nodes in `<abbr>`.
fn abbreviate(nodes: Vec<Node>, abbrs: &[(String, String)]) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Node::Text(text) = node else {
            out.push(node);
            continue;
        };
        let mut rest = text.as_str();
        let mut before: Option<char> = None;
        let mut plain = String::new();
        'scan: while !rest.is_empty() {
            if !before.is_some_and(is_word) {
                for (word, title) in abbrs {
                    let ends_word = rest
                        .strip_prefix(word.as_str())
                        .is_some_and(|after| !after.chars().next().is_some_and(is_word));
                    if ends_word {
                        if !plain.is_empty() {
                            out.push(Node::Text(std::mem::take(&mut plain)));
                        }
                        out.push(Node::Start(Element::Abbr(title.clone())));
                        out.push(Node::Text(word.clone()));
                        out.push(Node::End(Kind::Abbr));
                        rest = &rest[word.len()..];
                        before = word.chars().next_back();
                        continue 'scan;
                    }
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            plain.push(c);
            before = Some(c);
            rest = &rest[c.len_utf8()..];
        }
        if !plain.is_empty() {
            out.push(Node::Text(plain));
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::super::{render_as, Block, Markup};
    use std::path::Path;

    fn html(src: &str) -> String {
        render_as(src, Markup::Kramdown)
            .blocks
            .iter()
            .map(|b| match b {
                Block::Html(p) => p.html().into_owned(),
                Block::Code(c) => c.code.clone(),
            })
            .collect()
    }

    /// The markup without the whitespace between tags, and `&#8617;` as the character.
    fn normal(html: &str) -> String {
        let html = html.trim().replace("&#8617;", "\u{21A9}");
        let mut out = String::new();
        for piece in html.split('<') {
            if !out.is_empty() || html.starts_with('<') {
                out.push('<');
            }
            match piece.split_once('>') {
                Some((tag, text)) if text.trim().is_empty() => {
                    out.push_str(tag);
                    out.push('>');
                }
                Some((tag, text)) => {
                    out.push_str(tag);
                    out.push('>');
                    out.push_str(text);
                }
                None => out.push_str(piece),
            }
        }
        out.trim().to_string()
    }

    /// A doc of the fixture (its body) and what Jekyll 4.3.1 made of it: the `nth` section
    /// of its page, under the doc's title.
    fn fixture(name: &str, nth: usize) -> (String, String) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let src =
            std::fs::read_to_string(root.join(format!("kramdown-ext/_notes/{name}.md"))).unwrap();
        let body = src.splitn(3, "---\n").nth(2).unwrap().to_string();
        let page = std::fs::read_to_string(root.join("kramdown-ext.jekyll/index.html")).unwrap();
        let section = page
            .split("<section class=\"doc-content\">")
            .nth(nth + 1)
            .unwrap();
        let content = &section[section.find("</h3>").unwrap() + "</h3>".len()..];
        let jekyll = content[..content.rfind("</section>").unwrap()].to_string();
        (body, jekyll)
    }

    /// Footnotes (a note referenced twice, one of two paragraphs, one never referenced), a
    /// nested ordered `{:toc}`, abbreviations and `markdown="1"` render as Jekyll 4.3.1 did.
    #[test]
    fn toc_footnotes_abbreviations_and_block_markdown_are_kramdowns() {
        let (body, jekyll) = fixture("notes-toc-abbr", 0);
        assert_eq!(normal(&html(&body)), normal(&jekyll));
        let said = render_as(&body, Markup::Kramdown).diagnostics;
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].code, "unused-footnote");
        // Line 30 of the file, 26 of the body under its four lines of front matter.
        assert_eq!((said[0].pos.line, said[0].pos.col), (26, 1));
    }

    #[test]
    fn toc_levels_limit_the_table_of_contents() {
        let (body, jekyll) = fixture("toc-levels", 1);
        assert_eq!(normal(&html(&body)), normal(&jekyll));
    }

    #[test]
    fn what_looks_like_a_feature_but_is_not_stays_as_it_was() {
        // No definition: the reference is text. `* TOC` without `{:toc}` is a list.
        // An abbreviation inside a longer word, and in code, is left alone.
        let got = html("A note[^x].\n\n* TOC\n\nAPIs and `API`.\n\n*[API]: Interface\n");
        assert_eq!(
            got,
            "<p>A note[^x].</p>\n<ul>\n<li>TOC</li>\n</ul>\n<p>APIs and <code class=\"language-plaintext highlighter-rouge\">API</code>.</p>\n"
        );
    }
}
