//! The document model: what a doc's markdown says, typed, as the markdown writer's one walk
//! over pulldown-cmark's events leaves it (headings with their ids, paragraphs and inline
//! runs, lists, definition lists, tables, notes, links, raw HTML as a node of its own), so
//! each output is written from it rather than read back out of HTML: the page's HTML
//! ([`write_html`]) and the search text ([`plain_text`]).
//!
//! A document is a flat list of [`Node`]s in reading order, each element a [`Node::Start`]
//! and a matching [`Node::End`], as pulldown-cmark's events are: nothing walking it recurses
//! (a hostile doc nests lists 10,000 deep), and a stretch of it (a [`Part`], the prose
//! between two code samples) may open an element that a later stretch closes, as a list
//! item holding a sample does.

use crate::html::{escape_text_into, push_attr};
use std::fmt::Write as _;

/// Attributes from a kramdown IAL (`{: #id .class key="v" }`), in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// Other `key="value"` pairs except `title` on a code block (see
    /// [`crate::markdown::CodeBlock::title`]).
    pub pairs: Vec<(String, String)>,
}

/// The classes kramdown sites give a paragraph to make it a note (`{: .info }`), which the
/// theme draws as a callout.
pub const NOTE_CLASSES: &[&str] = &["info", "success", "warning", "error"];

impl Attrs {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.pairs.is_empty()
    }

    /// The note kind these attributes make of a paragraph (`{: .warning }` → `warning`).
    pub fn note(&self) -> Option<&str> {
        self.classes
            .iter()
            .map(String::as_str)
            .find(|c| NOTE_CLASSES.contains(c))
    }

    /// Later IALs add to earlier ones, as kramdown merges stacked lists.
    pub(crate) fn merge(&mut self, other: Attrs) {
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

/// Whose markup the HTML is written in where the two differ: inline code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Markup {
    /// kramdown's: inline code is `<code class="language-plaintext highlighter-rouge">`, as a
    /// site's own stylesheets expect (`theme: site`, Liquid's `markdownify`).
    Kramdown,
    /// endpaper's theme, which styles code by where it is: inline code is a bare `<code>`
    /// (a doc of the generated reference writes the class about 25 times, 1 KB).
    Endpaper,
}

/// An element's opening, with what it says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Element {
    Paragraph(Attrs),
    /// `attrs.id` is the heading's id, unique within its render.
    Heading {
        level: u8,
        attrs: Attrs,
    },
    BlockQuote(Attrs),
    /// `start` is `Some` for an ordered list.
    List {
        start: Option<u64>,
        attrs: Attrs,
    },
    Item(Attrs),
    Footnote(String),
    DefinitionList(Attrs),
    /// A definition list's term (kramdown makes each line of a term a term of its own).
    Term(Attrs),
    Definition(Attrs),
    Table(Attrs),
    TableHead,
    TableBody,
    Row,
    Cell {
        head: bool,
        /// `left`, `center` or `right`, from the separator line.
        align: Option<&'static str>,
    },
    Emphasis(Attrs),
    Strong(Attrs),
    Superscript(Attrs),
    Subscript(Attrs),
    Strikethrough(Attrs),
    /// `href` as the doc wrote it.
    Link {
        href: String,
        title: String,
        attrs: Attrs,
    },
}

/// What an [`Node::End`] closes: the kind of its [`Element`], so a stretch of the document
/// is written without the stretch that opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `false` for the paragraph kramdown opens around a tight definition's text, closed
    /// at the definition's end on the same line.
    Paragraph(bool),
    Heading(u8),
    BlockQuote,
    List {
        ordered: bool,
    },
    Item,
    Footnote,
    DefinitionList,
    Term,
    Definition,
    Table,
    TableHead,
    TableBody,
    Row,
    Cell {
        head: bool,
    },
    Emphasis,
    Strong,
    Superscript,
    Subscript,
    Strikethrough,
    Link,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Start(Element),
    End(Kind),
    /// Text as the reader sees it (smart quotes applied), not escaped.
    Text(String),
    /// Inline code.
    Code {
        code: String,
        attrs: Attrs,
    },
    /// Raw HTML the doc wrote, a block of it: HTML from outside endpaper.
    Html(String),
    /// Raw HTML the doc wrote inside a paragraph.
    InlineHtml(String),
    SoftBreak,
    HardBreak,
    Rule(Attrs),
    Image {
        src: String,
        alt: String,
        title: String,
        attrs: Attrs,
    },
    /// A task list's box, ticked or not.
    Task(bool),
}

/// A stretch of a doc's prose: its nodes and the HTML the page shows for them (written from
/// the nodes, then balanced with the rest of its render: see `markdown::balance_html`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub html: String,
    pub nodes: Vec<Node>,
}

impl Part {
    /// A part written from `nodes`.
    pub fn new(nodes: Vec<Node>, markup: Markup) -> Part {
        let mut html = String::new();
        write_html(&nodes, markup, &mut html);
        Part { html, nodes }
    }
}

/// Appends the HTML of `nodes`, in the markup given.
pub fn write_html(nodes: &[Node], markup: Markup, out: &mut String) {
    for node in nodes {
        match node {
            Node::Start(e) => start_html(e, out),
            Node::End(k) => out.push_str(end_html(*k)),
            Node::Text(t) => escape_text_into(out, t),
            Node::Code { code, attrs } => {
                out.push_str("<code");
                let class = match markup {
                    Markup::Kramdown => Some("language-plaintext highlighter-rouge"),
                    Markup::Endpaper => None,
                };
                attrs.write(out, class);
                out.push('>');
                escape_text_into(out, code);
                out.push_str("</code>");
            }
            Node::Html(h) | Node::InlineHtml(h) => out.push_str(h),
            Node::SoftBreak => out.push('\n'),
            Node::HardBreak => out.push_str("<br />\n"),
            Node::Rule(attrs) => {
                out.push_str("<hr");
                attrs.write(out, None);
                out.push_str(" />\n");
            }
            Node::Image {
                src,
                alt,
                title,
                attrs,
            } => {
                out.push_str("<img");
                push_attr(out, "src", src);
                push_attr(out, "alt", alt);
                if !title.is_empty() {
                    push_attr(out, "title", title);
                }
                attrs.write(out, None);
                out.push_str(" />");
            }
            Node::Task(done) => out.push_str(if *done { "[x] " } else { "[ ] " }),
        }
    }
}

fn start_html(e: &Element, out: &mut String) {
    let (open, attrs, after): (&str, Option<&Attrs>, &str) = match e {
        Element::Paragraph(a) => ("<p", Some(a), ">"),
        Element::Heading { level, attrs } => {
            let _ = write!(out, "<h{level}");
            ("", Some(attrs), ">")
        }
        Element::BlockQuote(a) => ("<blockquote", Some(a), ">\n"),
        Element::List { start, attrs } => {
            match start {
                Some(n) => {
                    out.push_str("<ol");
                    if *n != 1 {
                        let _ = write!(out, " start=\"{n}\"");
                    }
                }
                None => out.push_str("<ul"),
            }
            ("", Some(attrs), ">\n")
        }
        Element::Item(a) => ("<li", Some(a), ">"),
        Element::Footnote(name) => {
            out.push_str("<div class=\"footnote-definition\"");
            push_attr(out, "id", name);
            ("", None, ">")
        }
        Element::DefinitionList(a) => ("<dl", Some(a), ">\n"),
        Element::Term(a) => ("  <dt", Some(a), ">"),
        Element::Definition(a) => ("  <dd", Some(a), ">"),
        Element::Table(a) => ("<table", Some(a), ">\n"),
        Element::TableHead => ("  <thead>\n", None, ""),
        Element::TableBody => ("  <tbody>\n", None, ""),
        Element::Row => ("    <tr>\n", None, ""),
        Element::Cell { head, align } => {
            out.push_str(if *head { "      <th" } else { "      <td" });
            if let Some(s) = align {
                let _ = write!(out, " style=\"text-align: {s}\"");
            }
            ("", None, ">")
        }
        Element::Emphasis(a) => ("<em", Some(a), ">"),
        Element::Strong(a) => ("<strong", Some(a), ">"),
        Element::Superscript(a) => ("<sup", Some(a), ">"),
        Element::Subscript(a) => ("<sub", Some(a), ">"),
        Element::Strikethrough(a) => ("<del", Some(a), ">"),
        Element::Link { href, title, attrs } => {
            out.push_str("<a");
            push_attr(out, "href", href);
            if !title.is_empty() {
                push_attr(out, "title", title);
            }
            ("", Some(attrs), ">")
        }
    };
    out.push_str(open);
    if let Some(a) = attrs {
        a.write(out, None);
    }
    out.push_str(after);
}

fn end_html(k: Kind) -> &'static str {
    match k {
        Kind::Paragraph(true) => "</p>\n",
        Kind::Paragraph(false) => "</p>",
        Kind::Heading(level) => [
            "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n",
        ][usize::from(level.clamp(1, 6)) - 1],
        Kind::BlockQuote => "</blockquote>\n",
        Kind::List { ordered: true } => "</ol>\n",
        Kind::List { ordered: false } => "</ul>\n",
        Kind::Item => "</li>\n",
        Kind::Footnote => "</div>\n",
        Kind::DefinitionList => "</dl>\n",
        Kind::Term => "</dt>\n",
        Kind::Definition => "</dd>\n",
        Kind::Table => "</table>\n",
        Kind::TableHead => "  </thead>\n",
        Kind::TableBody => "  </tbody>\n",
        Kind::Row => "    </tr>\n",
        Kind::Cell { head: true } => "</th>\n",
        Kind::Cell { head: false } => "</td>\n",
        Kind::Emphasis => "</em>",
        Kind::Strong => "</strong>",
        Kind::Superscript => "</sup>",
        Kind::Subscript => "</sub>",
        Kind::Strikethrough => "</del>",
        Kind::Link => "</a>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{render, Block};

    /// The nodes of every prose stretch of `src`, one after another.
    fn nodes(src: &str) -> Vec<Node> {
        render(src)
            .blocks
            .into_iter()
            .flat_map(|b| match b {
                Block::Html(p) => p.nodes,
                Block::Code(_) => Vec::new(),
            })
            .collect()
    }

    fn text(s: &str) -> Node {
        Node::Text(s.into())
    }

    #[test]
    fn headings_carry_their_final_ids_and_paragraphs_their_runs() {
        let n =
            nodes("## Get a thing\n\n## Get a thing\n\nSay *\"hi\"* to [the API](#api \"t\").\n");
        let heading = |id: &str| {
            Node::Start(Element::Heading {
                level: 2,
                attrs: Attrs {
                    id: Some(id.into()),
                    ..Attrs::default()
                },
            })
        };
        assert_eq!(
            n,
            [
                heading("get-a-thing"),
                text("Get a thing"),
                Node::End(Kind::Heading(2)),
                heading("get-a-thing-1"),
                text("Get a thing"),
                Node::End(Kind::Heading(2)),
                Node::Start(Element::Paragraph(Attrs::default())),
                text("Say "),
                Node::Start(Element::Emphasis(Attrs::default())),
                text("“hi”"),
                Node::End(Kind::Emphasis),
                text(" to "),
                Node::Start(Element::Link {
                    href: "#api".into(),
                    title: "t".into(),
                    attrs: Attrs::default()
                }),
                text("the API"),
                Node::End(Kind::Link),
                text("."),
                Node::End(Kind::Paragraph(true)),
            ]
        );
    }

    #[test]
    fn definition_lists_notes_and_raw_html_are_nodes_of_their_own() {
        let n = nodes("limit\n: (integer) At most `100`.\n\nCareful.\n{: .warning }\n\n<div class=\"x\">raw</div>\n");
        assert_eq!(
            n[..9],
            [
                Node::Start(Element::DefinitionList(Attrs::default())),
                Node::Start(Element::Term(Attrs::default())),
                text("limit"),
                Node::End(Kind::Term),
                Node::Start(Element::Definition(Attrs::default())),
                text("(integer) At most "),
                Node::Code {
                    code: "100".into(),
                    attrs: Attrs::default()
                },
                text("."),
                Node::End(Kind::Definition),
            ]
        );
        let Node::Start(Element::Paragraph(note)) = &n[10] else {
            panic!("{n:?}")
        };
        assert_eq!(note.note(), Some("warning"));
        assert_eq!(
            n.last(),
            Some(&Node::Html("<div class=\"x\">raw</div>\n".into()))
        );
    }

    #[test]
    fn a_table_without_a_head_row_is_all_body() {
        let n = nodes("|---|---|\n| a | b |\n| c | d |\n");
        let starts: Vec<&Element> = n
            .iter()
            .filter_map(|n| match n {
                Node::Start(e) => Some(e),
                _ => None,
            })
            .collect();
        assert!(
            matches!(
                starts[..4],
                [
                    Element::Table(_),
                    Element::TableBody,
                    Element::Row,
                    Element::Cell {
                        head: false,
                        align: None
                    }
                ]
            ),
            "{starts:?}"
        );
        assert!(!starts.contains(&&Element::TableHead));
        let n = nodes("| A | B |\n|:--|--:|\n| a | b |\n");
        assert!(n.contains(&Node::Start(Element::Cell {
            head: true,
            align: Some("right")
        })));
    }

    /// A list item that holds a sample opens in one stretch and closes in the next, and
    /// each stretch is written on its own.
    #[test]
    fn stretches_split_at_samples_write_the_html_of_the_whole() {
        let r = render("- one\n\n  ~~~ bash\n  ls\n  ~~~\n\n  after\n- two\n");
        let parts: Vec<&Part> = r
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(p) => Some(p),
                Block::Code(_) => None,
            })
            .collect();
        assert_eq!(parts.len(), 2);
        for p in &parts {
            let mut html = String::new();
            write_html(&p.nodes, Markup::Kramdown, &mut html);
            assert_eq!(html, p.html);
        }
        assert_eq!(
            parts[1].nodes.last(),
            Some(&Node::End(Kind::List { ordered: false }))
        );
    }

    #[test]
    fn inline_code_is_written_in_the_markup_asked_for() {
        let nodes = [Node::Code {
            code: "a<b".into(),
            attrs: Attrs::default(),
        }];
        let mut kramdown = String::new();
        write_html(&nodes, Markup::Kramdown, &mut kramdown);
        assert_eq!(
            kramdown,
            "<code class=\"language-plaintext highlighter-rouge\">a&lt;b</code>"
        );
        let mut endpaper = String::new();
        write_html(&nodes, Markup::Endpaper, &mut endpaper);
        assert_eq!(endpaper, "<code>a&lt;b</code>");
    }
}
