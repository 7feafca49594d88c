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

use crate::html::{escape_into, escape_text_into, push_attr, Href};
use std::borrow::Cow;

/// Attributes from a kramdown IAL (`{: #id .class key="v" }`), in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// Other `key="value"` pairs except `title` on a code block (see
    /// [`crate::markdown::CodeBlock::title`]).
    pub pairs: Vec<(String, String)>,
    /// Classes written before the id (`{: .warm #top }`), which kramdown writes first.
    pub id_after_class: bool,
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

    /// Sets the id, which keeps its place when there was one, else comes after any classes.
    pub(crate) fn set_id(&mut self, id: Option<String>) {
        self.id_after_class |= self.id.is_none() && !self.classes.is_empty();
        self.id = id;
    }

    /// Later IALs add to earlier ones, as kramdown merges stacked lists.
    pub(crate) fn merge(&mut self, other: Attrs) {
        if other.id.is_some() {
            self.id_after_class |= self.id.is_none() && other.id_after_class;
            self.set_id(other.id);
        }
        self.classes.extend(other.classes);
        for (k, v) in other.pairs {
            match self.pairs.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => self.pairs.push((k, v)),
            }
        }
    }

    /// Writes the attributes of [`Attrs::list`] as ` k="v"`.
    pub(crate) fn write(&self, out: &mut String, extra_class: Option<&'static str>) {
        for (k, v) in self.list(extra_class) {
            push_attr(out, k, &v);
        }
    }
}

/// An element's IAL attributes, boxed: most elements have none, and a document holds many
/// elements (a node is a few words, not the size of three empty vectors).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Ial(Option<Box<Attrs>>);

static NO_ATTRS: Attrs = Attrs {
    id: None,
    classes: Vec::new(),
    pairs: Vec::new(),
    id_after_class: false,
};

impl From<Attrs> for Ial {
    fn from(a: Attrs) -> Ial {
        Ial((!a.is_empty()).then(|| Box::new(a)))
    }
}

impl Ial {
    /// The attributes, when there are any.
    pub fn attrs_mut(&mut self) -> Option<&mut Attrs> {
        self.0.as_deref_mut()
    }
}

impl std::ops::Deref for Ial {
    type Target = Attrs;
    fn deref(&self) -> &Attrs {
        self.0.as_deref().unwrap_or(&NO_ATTRS)
    }
}

/// Whose markup the HTML is written in where the two differ: inline code, and the
/// whitespace between block tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Markup {
    /// kramdown's: inline code is `<code class="language-plaintext highlighter-rouge">`, and
    /// blocks are laid out on lines of their own, rows and terms indented, as a site's own
    /// stylesheets and scripts met them (`theme: site`, Liquid's `markdownify`).
    Kramdown,
    /// endpaper's theme, which styles code by where it is: inline code is a bare `<code>`
    /// (a doc of the generated reference writes the class about 25 times, 1 KB), and no
    /// whitespace stands between block tags: its stylesheet sets no block inline, so that
    /// whitespace draws nothing (a parameter list and a table of a doc wrote 0.4 KB of it).
    #[default]
    Endpaper,
}

/// An element's opening, with what it says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Element {
    Paragraph(Ial),
    /// `attrs.id` is the heading's id, unique within its render.
    Heading {
        level: u8,
        attrs: Ial,
    },
    BlockQuote(Ial),
    /// `start` is `Some` for an ordered list.
    List {
        start: Option<u64>,
        attrs: Ial,
    },
    Item(Ial),
    /// A footnote's item in kramdown's list of notes, by its name (`fn:name`).
    Footnote(String),
    /// kramdown's list of notes (`<div class="footnotes" role="doc-endnotes">`).
    Footnotes,
    /// An abbreviation (`*[HTML]: …`), by its title.
    Abbr(String),
    DefinitionList(Ial),
    /// A definition list's term (kramdown makes each line of a term a term of its own).
    Term(Ial),
    Definition(Ial),
    Table(Ial),
    TableHead,
    TableBody,
    Row,
    Cell {
        head: bool,
        /// `left`, `center` or `right`, from the separator line.
        align: Option<&'static str>,
    },
    Emphasis(Ial),
    Strong(Ial),
    Superscript(Ial),
    Subscript(Ial),
    Strikethrough(Ial),
    Link(Box<Link>),
}

/// A link: `href` as the doc wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    pub href: String,
    pub title: String,
    pub attrs: Attrs,
}

/// An image, `alt` its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub title: String,
    pub attrs: Attrs,
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
    Footnotes,
    Abbr,
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
        attrs: Ial,
    },
    /// Raw HTML the doc wrote, a block of it: HTML from outside endpaper.
    Html(String),
    /// Raw HTML the doc wrote inside a paragraph.
    InlineHtml(String),
    SoftBreak,
    HardBreak,
    Rule(Ial),
    Image(Box<Image>),
    /// A task list's box, ticked or not.
    Task(bool),
}

/// A stretch of a doc's prose: its nodes, in the markup their HTML is written in. The HTML
/// is written from the nodes where it is needed ([`Part::html`]), not held beside them;
/// only where balancing (see `markdown::balance_html`) changed it is it kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Part {
    pub nodes: Vec<Node>,
    pub markup: Markup,
    /// The HTML the page shows when balancing changed what the nodes write: raw HTML among
    /// them does not close as written, and only this says what the page holds.
    pub balanced: Option<String>,
}

impl Part {
    /// Raw HTML from outside the doc's markdown (an HTML body, a site's own markup): one
    /// node, its HTML as it is.
    pub fn raw(html: String) -> Part {
        Part::new(vec![Node::Html(html)], Markup::Endpaper)
    }

    pub fn new(nodes: Vec<Node>, markup: Markup) -> Part {
        Part {
            nodes,
            markup,
            balanced: None,
        }
    }

    pub fn rebalanced(&self) -> bool {
        self.balanced.is_some()
    }

    /// The HTML the page shows for this stretch.
    pub fn html(&self) -> Cow<'_, str> {
        match &self.balanced {
            Some(html) => Cow::Borrowed(html),
            None => {
                let mut html = String::new();
                write_html(&self.nodes, self.markup, &mut html);
                Cow::Owned(html)
            }
        }
    }

    /// A blake3 of everything the stretch is (its nodes, markup and balanced HTML): what
    /// is made from it is made from these alone.
    pub fn digest(&self) -> [u8; 32] {
        /// The hashed bytes, taken a few kilobytes at a time: a node's fields are many
        /// short writes, each costly on its own.
        struct Blake(blake3::Hasher, Vec<u8>);
        impl std::hash::Hasher for Blake {
            fn write(&mut self, bytes: &[u8]) {
                self.1.extend_from_slice(bytes);
                if self.1.len() >= 16 * 1024 {
                    self.0.update(&self.1);
                    self.1.clear();
                }
            }
            fn finish(&self) -> u64 {
                let mut h = self.0.clone();
                let digest = h.update(&self.1).finalize();
                u64::from_le_bytes(digest.as_bytes()[..8].try_into().unwrap_or_default())
            }
        }
        let mut h = Blake(blake3::Hasher::new(), Vec::new());
        std::hash::Hash::hash(self, &mut h);
        *h.0.update(&h.1).finalize().as_bytes()
    }
}

/// An element's tag as the HTML is written: whitespace before it, its name, its attributes
/// in order (values not escaped), and whitespace after it. One description for the HTML
/// and for the twins' tree (`machine_docs`), so the two cannot drift apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub before: &'static str,
    pub name: &'static str,
    pub attrs: Vec<(&'a str, Cow<'a, str>)>,
    pub after: &'static str,
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

fn heading_name(level: u8) -> &'static str {
    HEADINGS[usize::from(level.clamp(1, 6)) - 1]
}

impl Attrs {
    /// The attributes as written: id, the classes (`extra_class` last; the id after them when
    /// it was written after them), other pairs.
    pub fn list(&self, extra_class: Option<&'static str>) -> Vec<(&str, Cow<'_, str>)> {
        let mut out = Vec::with_capacity(2 + self.pairs.len());
        if let Some(id) = &self.id {
            out.push(("id", Cow::Borrowed(id.as_str())));
        }
        let classes: Cow<str> = match (&self.classes[..], extra_class) {
            ([], None) => Cow::Borrowed(""),
            ([], Some(extra)) => Cow::Borrowed(extra),
            ([one], None) => Cow::Borrowed(one.as_str()),
            (many, extra) => {
                let mut all = many.join(" ");
                if let Some(extra) = extra {
                    all.push(' ');
                    all.push_str(extra);
                }
                Cow::Owned(all)
            }
        };
        if !classes.is_empty() {
            out.push(("class", classes));
        }
        if let Some(at) = out
            .iter()
            .position(|(k, _)| *k == "id" && self.id_after_class)
        {
            let id = out.remove(at);
            out.push(id);
        }
        out.extend(
            self.pairs
                .iter()
                .map(|(k, v)| (k.as_str(), Cow::Borrowed(v.as_str()))),
        );
        out
    }
}

/// The start tag of `e`.
pub fn start_tag(e: &Element) -> Tag<'_> {
    fn tag<'a>(
        before: &'static str,
        name: &'static str,
        attrs: &'a Attrs,
        after: &'static str,
    ) -> Tag<'a> {
        Tag {
            before,
            name,
            attrs: attrs.list(None),
            after,
        }
    }
    match e {
        Element::Paragraph(a) => tag("", "p", a, ""),
        Element::Heading { level, attrs } => tag("", heading_name(*level), attrs, ""),
        Element::BlockQuote(a) => tag("", "blockquote", a, "\n"),
        Element::List { start, attrs } => {
            let mut t = tag("", if start.is_some() { "ol" } else { "ul" }, attrs, "\n");
            if let Some(n) = start.filter(|n| *n != 1) {
                t.attrs.insert(0, ("start", Cow::Owned(n.to_string())));
            }
            t
        }
        Element::Item(a) => tag("", "li", a, ""),
        Element::Footnote(name) => Tag {
            before: "",
            name: "li",
            attrs: vec![
                ("id", Cow::Owned(format!("fn:{name}"))),
                ("role", Cow::Borrowed("doc-endnote")),
            ],
            after: "\n",
        },
        Element::Footnotes => Tag {
            before: "",
            name: "div",
            attrs: vec![
                ("class", Cow::Borrowed("footnotes")),
                ("role", Cow::Borrowed("doc-endnotes")),
            ],
            after: "\n",
        },
        Element::Abbr(title) => Tag {
            before: "",
            name: "abbr",
            attrs: if title.is_empty() {
                Vec::new()
            } else {
                vec![("title", Cow::Borrowed(title.as_str()))]
            },
            after: "",
        },
        Element::DefinitionList(a) => tag("", "dl", a, "\n"),
        Element::Term(a) => tag("  ", "dt", a, ""),
        Element::Definition(a) => tag("  ", "dd", a, ""),
        Element::Table(a) => tag("", "table", a, "\n"),
        Element::TableHead => tag("  ", "thead", &NO_ATTRS, "\n"),
        Element::TableBody => tag("  ", "tbody", &NO_ATTRS, "\n"),
        Element::Row => tag("    ", "tr", &NO_ATTRS, "\n"),
        Element::Cell { head, align } => Tag {
            before: "      ",
            name: if *head { "th" } else { "td" },
            attrs: align
                .map(|a| ("style", Cow::Owned(format!("text-align: {a}"))))
                .into_iter()
                .collect(),
            after: "",
        },
        Element::Emphasis(a) => tag("", "em", a, ""),
        Element::Strong(a) => tag("", "strong", a, ""),
        Element::Superscript(a) => tag("", "sup", a, ""),
        Element::Subscript(a) => tag("", "sub", a, ""),
        Element::Strikethrough(a) => tag("", "del", a, ""),
        Element::Link(link) => {
            let mut t = Tag {
                before: "",
                name: "a",
                attrs: vec![("href", Cow::Borrowed(link.href.as_str()))],
                after: "",
            };
            if !link.title.is_empty() {
                t.attrs.push(("title", Cow::Borrowed(link.title.as_str())));
            }
            t.attrs.extend(link.attrs.list(None));
            t
        }
    }
}

impl Element {
    /// What the element's [`Node::End`] says.
    pub fn kind(&self) -> Kind {
        match self {
            Element::Paragraph(_) => Kind::Paragraph(true),
            Element::Heading { level, .. } => Kind::Heading(*level),
            Element::BlockQuote(_) => Kind::BlockQuote,
            Element::List { start, .. } => Kind::List {
                ordered: start.is_some(),
            },
            Element::Item(_) => Kind::Item,
            Element::Footnote(_) => Kind::Footnote,
            Element::Footnotes => Kind::Footnotes,
            Element::Abbr(_) => Kind::Abbr,
            Element::DefinitionList(_) => Kind::DefinitionList,
            Element::Term(_) => Kind::Term,
            Element::Definition(_) => Kind::Definition,
            Element::Table(_) => Kind::Table,
            Element::TableHead => Kind::TableHead,
            Element::TableBody => Kind::TableBody,
            Element::Row => Kind::Row,
            Element::Cell { head, .. } => Kind::Cell { head: *head },
            Element::Emphasis(_) => Kind::Emphasis,
            Element::Strong(_) => Kind::Strong,
            Element::Superscript(_) => Kind::Superscript,
            Element::Subscript(_) => Kind::Subscript,
            Element::Strikethrough(_) => Kind::Strikethrough,
            Element::Link(_) => Kind::Link,
        }
    }
}

/// The end tag `k` closes: `(before, name, after)`.
pub fn end_tag(k: Kind) -> (&'static str, &'static str, &'static str) {
    match k {
        Kind::Paragraph(true) => ("", "p", "\n"),
        Kind::Paragraph(false) => ("", "p", ""),
        Kind::Heading(level) => ("", heading_name(level), "\n"),
        Kind::BlockQuote => ("", "blockquote", "\n"),
        Kind::List { ordered: true } => ("", "ol", "\n"),
        Kind::List { ordered: false } => ("", "ul", "\n"),
        Kind::Item => ("", "li", "\n"),
        Kind::Footnote => ("", "li", "\n"),
        Kind::Footnotes => ("", "div", "\n"),
        Kind::Abbr => ("", "abbr", ""),
        Kind::DefinitionList => ("", "dl", "\n"),
        Kind::Term => ("", "dt", "\n"),
        Kind::Definition => ("", "dd", "\n"),
        Kind::Table => ("", "table", "\n"),
        Kind::TableHead => ("  ", "thead", "\n"),
        Kind::TableBody => ("  ", "tbody", "\n"),
        Kind::Row => ("    ", "tr", "\n"),
        Kind::Cell { head: true } => ("", "th", "\n"),
        Kind::Cell { head: false } => ("", "td", "\n"),
        Kind::Emphasis => ("", "em", ""),
        Kind::Strong => ("", "strong", ""),
        Kind::Superscript => ("", "sup", ""),
        Kind::Subscript => ("", "sub", ""),
        Kind::Strikethrough => ("", "del", ""),
        Kind::Link => ("", "a", ""),
    }
}

/// The leaf elements a node writes, besides text and raw HTML: `(tag, self-closing)`.
pub fn leaf_tag(node: &Node, markup: Markup) -> Option<Tag<'_>> {
    let tag = |name, attrs, after| Tag {
        before: "",
        name,
        attrs,
        after,
    };
    Some(match node {
        Node::Code { attrs, .. } => {
            let kramdown = markup == Markup::Kramdown;
            let mut list = attrs.list(kramdown.then_some("highlighter-rouge"));
            // kramdown puts its language class before a span IAL's classes.
            if let Some((_, c)) = list.iter_mut().find(|(k, _)| kramdown && *k == "class") {
                *c = Cow::Owned(format!("language-plaintext {c}"));
            }
            tag("code", list, "")
        }
        Node::HardBreak => tag("br", Vec::new(), "\n"),
        Node::Rule(attrs) => tag("hr", attrs.list(None), "\n"),
        Node::Image(image) => {
            let mut list = vec![
                ("src", Cow::Borrowed(image.src.as_str())),
                ("alt", Cow::Borrowed(image.alt.as_str())),
            ];
            if !image.title.is_empty() {
                list.push(("title", Cow::Borrowed(image.title.as_str())));
            }
            list.extend(image.attrs.list(None));
            tag("img", list, "")
        }
        _ => return None,
    })
}

/// A place in a column's HTML that the page it lands on decides: the doc does not know
/// which docs share its page (their headings' ids) nor where a doc it links to is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    /// Byte offset of the attribute's value (as written, escaped) in the column.
    pub at: u32,
    pub len: u32,
    pub kind: MarkKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MarkKind {
    /// A heading's id (`<hN id="…"`), made unique on the page.
    HeadingId,
    /// A link's `href` to an anchor or a root-absolute path.
    Href,
    /// An image's `src` to a root-absolute path.
    Src,
}

impl Mark {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.at as usize..self.at as usize + self.len as usize
    }

    fn new(at: usize, len: usize, kind: MarkKind) -> Mark {
        let offset = |n: usize| u32::try_from(n).expect("a doc's column is under 4 GiB");
        Mark {
            at: offset(at),
            len: offset(len),
            kind,
        }
    }
}

/// A column's HTML with the [`Mark`]s its page fills in, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    pub html: String,
    pub marks: Vec<Mark>,
}

/// The kind of mark a URL attribute gets, if its page may change it: only a fragment or a
/// root-absolute path is (others lead where they say from any page).
fn url_mark(attr: &str, value: &str) -> Option<MarkKind> {
    let placed = value.starts_with('#') || (value.starts_with('/') && !value.starts_with("//"));
    match attr {
        "href" if placed => Some(MarkKind::Href),
        "src" if placed => Some(MarkKind::Src),
        _ => None,
    }
}

fn open_html(tag: &Tag, out: &mut String, marks: &mut Vec<Mark>, close: &str) {
    out.push_str(tag.before);
    out.push('<');
    out.push_str(tag.name);
    for (i, (k, v)) in tag.attrs.iter().enumerate() {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        let at = out.len();
        escape_into(out, v);
        let value = &out[at..];
        let kind = if i == 0 && *k == "id" && HEADINGS.contains(&tag.name) {
            Some(MarkKind::HeadingId)
        } else {
            url_mark(k, value)
        };
        if let Some(kind) = kind {
            marks.push(Mark::new(at, value.len(), kind));
        }
        out.push('"');
    }
    out.push_str(close);
}

/// The [`Mark`]s of HTML from outside endpaper (raw HTML a doc wrote, a site's own
/// markup), `base` its offset in the column: headings written `<hN id="…"`, and `href` and
/// `src` attributes in double quotes.
pub fn raw_marks(html: &str, base: usize, marks: &mut Vec<Mark>) {
    let start = marks.len();
    let mut from = 0;
    while let Some(i) = html[from..].find("<h").map(|i| from + i) {
        from = i + 2;
        let tag = &html.as_bytes()[i..];
        if tag.len() > 7 && (b'1'..=b'6').contains(&tag[2]) {
            if let Some(rest) = html[i + 3..].strip_prefix(" id=\"") {
                let Some(len) = rest.find('"') else { break };
                marks.push(Mark::new(base + i + 8, len, MarkKind::HeadingId));
                from = i + 8 + len;
            }
        }
    }
    let mut from = 0;
    while let Some(i) = html[from..].find("=\"").map(|i| from + i) {
        let attr_start = html[from..i]
            .rfind([' ', '\n', '\t'])
            .map_or(from, |p| from + p + 1);
        from = i + 2;
        let value = &html[from..];
        let value = &value[..value.find('"').unwrap_or(value.len())];
        let attr = &html[attr_start..i];
        if attr == "href" || attr == "src" {
            if let Some(kind) = url_mark(attr, value) {
                marks.push(Mark::new(base + from, value.len(), kind));
            }
            from += value.len();
        }
    }
    marks[start..].sort_by_key(|m| m.at);
}

/// A link's start tag with its `href` as `f` decides from it (escaped, as it stands in
/// the HTML): kept, dropped (the link keeps its text) or pointed elsewhere.
pub fn resolve_link(tag: &mut Tag, f: &dyn Fn(&str) -> Href) {
    let Some(at) = tag.attrs.iter().position(|(k, _)| *k == "href") else {
        return;
    };
    match f(&crate::html::escape(&tag.attrs[at].1)) {
        Href::Keep => {}
        Href::Drop => {
            tag.attrs.remove(at);
        }
        Href::To(url) => tag.attrs[at].1 = url.into(),
    }
}

/// Appends the HTML of `nodes`, in the markup given.
pub fn write_html(nodes: &[Node], markup: Markup, out: &mut String) {
    write_nodes(nodes, markup, None, out, None);
}

/// [`write_html`], each link's (and raw HTML's) `href` as `links` decides, and the
/// [`Mark`]s of what it writes added to `marks`.
pub fn write_html_linked(
    nodes: &[Node],
    markup: Markup,
    links: Option<&dyn Fn(&str) -> Href>,
    out: &mut String,
    marks: &mut Vec<Mark>,
) {
    write_nodes(nodes, markup, links, out, Some(marks));
}

fn write_nodes(
    nodes: &[Node],
    markup: Markup,
    links: Option<&dyn Fn(&str) -> Href>,
    out: &mut String,
    marks: Option<&mut Vec<Mark>>,
) {
    let mut unmarked = Vec::new();
    let raw = marks.is_some();
    let marks = marks.unwrap_or(&mut unmarked);
    let layout = |space: &'static str| match markup {
        Markup::Kramdown => space,
        Markup::Endpaper => "",
    };
    for node in nodes {
        match node {
            Node::Start(e) => {
                let mut tag = start_tag(e);
                if let (Element::Link(_), Some(f)) = (e, links) {
                    resolve_link(&mut tag, f);
                }
                tag.before = layout(tag.before);
                open_html(&tag, out, marks, ">");
                out.push_str(layout(tag.after));
            }
            Node::End(k) => {
                let (before, name, after) = end_tag(*k);
                out.push_str(layout(before));
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                out.push_str(layout(after));
            }
            Node::Text(t) => escape_text_into(out, t),
            Node::Code { code, .. } => {
                if let Some(tag) = leaf_tag(node, markup) {
                    open_html(&tag, out, marks, ">");
                }
                escape_text_into(out, code);
                out.push_str("</code>");
            }
            Node::Html(h) | Node::InlineHtml(h) => {
                let at = out.len();
                match links {
                    Some(f) => out.push_str(&crate::html::rewrite_hrefs(h, f)),
                    None => out.push_str(h),
                }
                if raw {
                    raw_marks(&out[at..], at, marks);
                }
            }
            Node::SoftBreak => out.push('\n'),
            Node::HardBreak | Node::Rule(_) | Node::Image(_) => {
                if let Some(tag) = leaf_tag(node, markup) {
                    open_html(&tag, out, marks, " />");
                    // A line break's newline stays: it starts the next line of the text.
                    out.push_str(tag.after);
                }
            }
            Node::Task(done) => out.push_str(task_text(*done)),
        }
    }
}

/// Appends the text of `nodes` as a reader sees it, with a space wherever an element
/// starts or ends (a cell or a term is a word apart from the next); raw HTML the doc wrote
/// is taken without its tags.
pub fn plain_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Code { code, .. } => {
                out.push(' ');
                out.push_str(code);
                out.push(' ');
            }
            Node::Html(h) | Node::InlineHtml(h) => {
                let text = crate::html::strip_tags(&h.replace('<', " <"));
                out.push_str(&crate::model::decode_entities(&text));
            }
            Node::SoftBreak => out.push('\n'),
            Node::Task(done) => out.push_str(task_text(*done)),
            Node::Start(_) | Node::End(_) | Node::HardBreak | Node::Rule(_) | Node::Image(_) => {
                out.push(' ')
            }
        }
    }
}

/// The text a task list's box shows.
pub fn task_text(done: bool) -> &'static str {
    if done {
        "[x] "
    } else {
        "[ ] "
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
                }
                .into(),
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
                Node::Start(Element::Paragraph(Ial::default())),
                text("Say "),
                Node::Start(Element::Emphasis(Ial::default())),
                text("“hi”"),
                Node::End(Kind::Emphasis),
                text(" to "),
                Node::Start(Element::Link(Box::new(Link {
                    href: "#api".into(),
                    title: "t".into(),
                    attrs: Attrs::default()
                }))),
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
                Node::Start(Element::DefinitionList(Ial::default())),
                Node::Start(Element::Term(Ial::default())),
                text("limit"),
                Node::End(Kind::Term),
                Node::Start(Element::Definition(Ial::default())),
                text("(integer) At most "),
                Node::Code {
                    code: "100".into(),
                    attrs: Ial::default()
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
        // Balancing followed the elements across the sample: neither stretch changed.
        assert!(parts.iter().all(|p| !p.rebalanced()));
        let html: Vec<String> = parts.iter().map(|p| p.html().into_owned()).collect();
        assert_eq!(
            html,
            [
                "<ul>\n<li><p>one</p>\n",
                "<p>after</p>\n</li>\n<li><p>two</p>\n</li>\n</ul>\n"
            ]
        );
        assert_eq!(
            parts[1].nodes.last(),
            Some(&Node::End(Kind::List { ordered: false }))
        );
    }

    /// The digest keys what is made from a stretch: equal stretches share it, and a
    /// change to any node, or to the HTML balancing kept, changes it.
    #[test]
    fn a_stretch_digest_follows_its_nodes_and_balanced_html() {
        let part = |md: &str| match render(md).blocks.remove(0) {
            Block::Html(p) => p,
            Block::Code(_) => panic!("{md}"),
        };
        let a = part("Say *hi* to [x](#a).\n");
        assert_eq!(a.digest(), part("Say *hi* to [x](#a).\n").digest());
        for other in [
            "Say *hi* to [x](#b).\n",
            "Say **hi** to [x](#a).\n",
            "Say *hi* to [x](#a)\n",
        ] {
            assert_ne!(a.digest(), part(other).digest(), "{other}");
        }
        let mut balanced = a.clone();
        balanced.balanced = Some(a.html().into_owned());
        assert_ne!(a.digest(), balanced.digest());
    }

    #[test]
    fn inline_code_and_block_layout_are_written_in_the_markup_asked_for() {
        let nodes_of = nodes;
        let nodes = [Node::Code {
            code: "a<b".into(),
            attrs: Ial::default(),
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
        // kramdown's layout of blocks stays for a site's markup; endpaper's theme drops it.
        let blocks = nodes_of("t\n: d\n\n| h |\n|---|\n| c |\n\nline  \nbreak\n");
        let (mut kramdown, mut endpaper) = (String::new(), String::new());
        write_html(&blocks, Markup::Kramdown, &mut kramdown);
        write_html(&blocks, Markup::Endpaper, &mut endpaper);
        assert_eq!(kramdown, "<dl>\n  <dt>t</dt>\n  <dd>d</dd>\n</dl>\n<table>\n  <thead>\n    <tr>\n      <th>h</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td>c</td>\n    </tr>\n  </tbody>\n</table>\n<p>line<br />\nbreak</p>\n");
        assert_eq!(endpaper, "<dl><dt>t</dt><dd>d</dd></dl><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table><p>line<br />\nbreak</p>");
    }
}
