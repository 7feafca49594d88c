//! The markdown of a twin's tree (`tree::Dom`), written by the rules `htmd` 0.5 follows with
//! the options and handlers the twins give it (`super::CONVERTER`): the same bytes, without
//! markup5ever's reference-counted nodes, interned names and tendrils, nor a handler looked
//! up by name for each element. Each function below is named after the step of `htmd` it
//! takes the place of; the differential tests (`super::tests`, the testsuite's `twins`)
//! hold the two equal on every doc of the example site, the fixtures and the real sites.

use super::tree::{self, Attr, Data, Dom};
use text::text;

mod text;

/// The markdown of `dom`, as `htmd`'s `tree_to_markdown` writes it.
pub(super) fn markdown(dom: &mut Dom) -> String {
    // What each node is, found once: tags are compared by name, and a handler asks about a
    // node's ancestors for each of its children.
    static BY_NAME: std::sync::LazyLock<Vec<Info>> = std::sync::LazyLock::new(|| {
        tree::NAMES
            .iter()
            .map(|&tag| Info {
                handler: handler(tag),
                block: is_block(tag),
                pre: matches!(tag, "pre" | "code"),
                in_pre: false,
            })
            .collect()
    });
    let mut info: Vec<Info> = Vec::with_capacity(dom.nodes.len());
    for n in 0..dom.nodes.len() {
        let mut i = match &dom.nodes[n].data {
            Data::Document => BY_NAME[tree::name_id("html").unwrap_or(0)],
            Data::Element { id, .. } => BY_NAME[usize::from(*id)],
            _ => Info {
                handler: Handler::None,
                block: false,
                pre: false,
                in_pre: false,
            },
        };
        let parent = info.get(dom.nodes[n].parent).copied();
        i.in_pre = n != 0 && parent.is_some_and(|p| p.pre || p.in_pre);
        info.push(i);
    }
    let mut out = String::new();
    Writer { dom, info }.walk_node(0, &mut out, None, true, false);
    trim_newlines(&mut out);
    out
}

struct Writer<'d, 'a> {
    dom: &'d mut Dom<'a>,
    info: Vec<Info>,
}

#[derive(Clone, Copy)]
struct Info {
    handler: Handler,
    /// A block element (or the document).
    block: bool,
    /// A `pre` or `code`.
    pre: bool,
    /// Inside a `pre` or `code`.
    in_pre: bool,
}

/// Elements `htmd` calls block elements (CommonMark's HTML block names).
#[rustfmt::skip]
const BLOCK: &[&str] = &[
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption",
    "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link",
    "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param",
    "pre", "script", "search", "section", "style", "summary", "table", "tbody", "td",
    "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul",
];

fn is_block(tag: &str) -> bool {
    BLOCK.contains(&tag)
}

/// What handles an element: `htmd`'s built-in handlers and the twins' own.
#[derive(Clone, Copy, PartialEq)]
enum Handler {
    /// No handler: the children's markdown.
    None,
    /// Skipped (`button`, `script`, `style`): nothing.
    Skip,
    /// The children's markdown between blank lines.
    Block,
    Img,
    Anchor,
    List,
    Item,
    Quote,
    Code,
    Strong,
    Em,
    Heading,
    Br,
    Hr,
    Table,
    Span,
    Term,
    Definition,
}

fn handler(tag: &str) -> Handler {
    match tag {
        "button" | "script" | "style" => Handler::Skip,
        "dt" => Handler::Term,
        "dd" => Handler::Definition,
        "img" => Handler::Img,
        "a" => Handler::Anchor,
        "ol" | "ul" => Handler::List,
        "li" => Handler::Item,
        "blockquote" => Handler::Quote,
        "code" => Handler::Code,
        "strong" | "b" => Handler::Strong,
        "i" | "em" => Handler::Em,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Handler::Heading,
        "br" => Handler::Br,
        "hr" => Handler::Hr,
        "table" => Handler::Table,
        "span" => Handler::Span,
        "td" | "th" | "tr" | "tbody" | "thead" | "caption" | "p" | "pre" | "head" | "body"
        | "html" | "address" | "article" | "aside" | "base" | "basefont" | "center" | "col"
        | "colgroup" | "details" | "dialog" | "dir" | "div" | "dl" | "fieldset" | "figcaption"
        | "figure" | "footer" | "form" | "frame" | "frameset" | "header" | "iframe" | "legend"
        | "link" | "main" | "menu" | "menuitem" | "nav" | "noframes" | "optgroup" | "option"
        | "param" | "search" | "section" | "summary" | "textarea" | "tfoot" | "title" | "track" => {
            Handler::Block
        }
        _ => Handler::None,
    }
}

fn is_math_span(attrs: &[Attr]) -> bool {
    attrs.len() == 1
        && attrs[0].name == "class"
        && matches!(&*attrs[0].value, "math math-inline" | "math math-display")
}

fn attr<'x>(attrs: &'x [Attr], name: &str) -> Option<&'x str> {
    attrs.iter().find(|a| a.name == name).map(|a| &*a.value)
}

impl Writer<'_, '_> {
    fn attrs(&self, n: usize) -> &[Attr<'_>] {
        match &self.dom.nodes[n].data {
            Data::Element { attrs, .. } => attrs,
            _ => &[],
        }
    }

    fn parent_tag(&self, n: usize) -> Option<&'static str> {
        (n != 0).then(|| self.dom.tag(self.dom.nodes[n].parent))?
    }

    fn ancestors(&self, mut n: usize, tags: &[&str]) -> bool {
        while n != 0 {
            n = self.dom.nodes[n].parent;
            if self.dom.tag(n).is_some_and(|t| tags.contains(&t)) {
                return true;
            }
        }
        false
    }

    fn walk_node(
        &mut self,
        n: usize,
        out: &mut String,
        parent_tag: Option<&str>,
        trim_leading: bool,
        is_pre: bool,
    ) {
        let (tag, math) = match &self.dom.nodes[n].data {
            Data::Document => {
                self.walk_children(n, out, true, false);
                let end = out.trim_end_matches(['\t', '\n', '\r', ' ']).len();
                out.truncate(end);
                return;
            }
            Data::Text(t) => return text(t, out, parent_tag, trim_leading, is_pre),
            Data::Comment(_) => return,
            Data::Element { name, attrs, .. } => (*name, is_math_span(attrs)),
        };
        let handler = self.info[n].handler;
        if handler == Handler::None || (handler == Handler::Span && !math) {
            let is_pre = is_pre || (parent_tag.is_none() && self.info[n].in_pre);
            let mut content = String::new();
            let block = handler == Handler::None && self.info[n].block;
            self.walk_children(n, &mut content, block, is_pre);
            if handler == Handler::Span && !is_pre {
                trim_newlines(&mut content);
            }
            append_normalized(out, content, is_pre);
            return;
        }
        if let Some(content) = self.handle(n, tag, handler) {
            if !content.is_empty() || tag != "head" {
                append_normalized(out, content, is_pre);
            }
        }
    }

    fn walk_children(&mut self, n: usize, out: &mut String, parent_block: bool, is_pre: bool) {
        self.combine(n);
        let mut trim_leading = !is_pre && parent_block;
        let tag = self.dom.tag(n);
        for i in 0..self.dom.nodes[n].children.len() {
            let child = self.dom.nodes[n].children[i];
            let block = self.info[child].block;
            if block {
                let end = out.trim_end_matches(' ').len();
                out.truncate(end);
            }
            let len = out.len();
            self.walk_node(child, out, tag, trim_leading, is_pre);
            if out.len() > len {
                trim_leading = block;
            }
        }
    }

    /// Adjacent inline elements of one kind, each holding just text, become one.
    fn combine(&mut self, n: usize) {
        let mut index = 1;
        while index < self.dom.nodes[n].children.len() {
            let (a, b) = (
                self.dom.nodes[n].children[index - 1],
                self.dom.nodes[n].children[index],
            );
            if let Some(text) = self.can_combine(a, b) {
                self.dom.nodes[n].children.remove(index);
                index -= 1;
                let first = self.dom.nodes[a].children[0];
                if let Data::Text(t) = &mut self.dom.nodes[first].data {
                    t.to_mut().push_str(&text);
                }
            }
            index += 1;
        }
    }

    fn can_combine(&self, a: usize, b: usize) -> Option<String> {
        let nodes = &self.dom.nodes;
        let (
            Data::Element {
                name: n1,
                attrs: a1,
                ..
            },
            Data::Element {
                name: n2,
                attrs: a2,
                ..
            },
        ) = (&nodes[a].data, &nodes[b].data)
        else {
            return None;
        };
        if self.info[a].block {
            return None;
        }
        let (c1, c2) = (&nodes[a].children, &nodes[b].children);
        if c1.len() != 1 || c2.len() != 1 {
            return None;
        }
        let (Data::Text(_), Data::Text(t2)) = (&nodes[c1[0]].data, &nodes[c2[0]].data) else {
            return None;
        };
        let same = n1 == n2
            || matches!(
                (*n1, *n2),
                ("i", "em") | ("em", "i") | ("b", "strong") | ("strong", "b")
            );
        (*n1 != "a" && same && a1 == a2).then(|| t2.to_string())
    }

    /// `htmd`'s `Handlers::walk_children`: the markdown of `n`'s children.
    fn children(&mut self, n: usize) -> String {
        let Info {
            block, pre, in_pre, ..
        } = self.info[n];
        let is_pre = pre || in_pre;
        let mut out = String::new();
        self.walk_children(n, &mut out, block, is_pre);
        out
    }

    /// `htmd`'s `Handlers::handle`: the markdown of node `n` on its own.
    fn node(&mut self, n: usize) -> String {
        let mut out = String::new();
        self.walk_node(n, &mut out, None, true, false);
        out
    }

    fn handle(&mut self, n: usize, tag: &str, handler: Handler) -> Option<String> {
        Some(match handler {
            Handler::None | Handler::Skip => return None,
            Handler::Block => blank_lines(self.children(n).trim_matches('\n')),
            Handler::Term => format!("\n\n{}\n", super::one_line(&self.children(n))),
            Handler::Definition => {
                let body = self.children(n);
                let body = body.trim().replace('\n', "\n  ").replace("\n  \n", "\n\n");
                format!(": {body}\n")
            }
            Handler::Img => return self.img(n),
            Handler::Anchor => self.anchor(n),
            Handler::List => return self.list(n, tag),
            Handler::Item => self.item(n),
            Handler::Quote => {
                let content = self.children(n);
                let lines: Vec<String> = trim_end_ws(content.trim_start_matches('\n'))
                    .lines()
                    .map(|l| format!("> {l}"))
                    .collect();
                blank_lines(&lines.join("\n"))
            }
            Handler::Code => self.code(n),
            Handler::Strong => return self.emphasis(n, "**"),
            Handler::Em => return self.emphasis(n, "*"),
            Handler::Heading => {
                let level = usize::from(tag.as_bytes()[1] - b'0');
                let content = self.children(n);
                let content = trim_ws(&content).trim_matches('\n');
                format!("\n\n{} {content}\n\n", "#".repeat(level))
            }
            Handler::Br => "  \n".to_string(),
            Handler::Hr => "\n\n* * *\n\n".to_string(),
            Handler::Table => return self.table(n).map(|md| super::unpad_rows(&md)),
            Handler::Span => {
                // A math span: what is left of `walk_node`'s span rule.
                let children = &self.dom.nodes[n].children;
                if let [only] = children[..] {
                    if let Data::Text(t) = &self.dom.nodes[only].data {
                        let class = attr(self.attrs(n), "class").unwrap_or("");
                        return Some(if class == "math math-inline" {
                            format!("${t}$")
                        } else {
                            format!("$${t}$$")
                        });
                    }
                }
                let mut content = self.children(n);
                if !self.info[n].in_pre {
                    trim_newlines(&mut content);
                }
                content
            }
        })
    }

    fn img(&self, n: usize) -> Option<String> {
        let (mut link, mut alt, mut title) = (None, None, None);
        for a in self.attrs(n) {
            match &*a.name {
                "href" | "src" => link = Some(&*a.value),
                "alt" => alt = Some(&*a.value),
                "title" => title = Some(&*a.value),
                _ => {}
            }
        }
        let link = link?.replace('(', "\\(").replace(')', "\\)");
        let alt_title = |text: &str| {
            text.lines()
                .map(|line| trim_ws(line).replace('"', "\\\""))
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut md = format!("![{}](", alt.map(alt_title).unwrap_or_default());
        destination(&mut md, &link, title.map(alt_title).as_deref());
        Some(md)
    }

    fn anchor(&mut self, n: usize) -> String {
        let attrs = self.attrs(n);
        let (mut link, mut title) = (None, None);
        for a in attrs {
            match &*a.name {
                "href" => link = Some(a.value.to_string()),
                "title" => title = Some(process_title(&a.value)),
                _ => {}
            }
        }
        let Some(link) = link else {
            return self.children(n);
        };
        let link = if link.contains(['(', ')']) {
            link.replace('(', "\\(").replace(')', "\\)")
        } else {
            link
        };
        let content = self.children(n);
        let content = content.trim_start_matches(['\t', '\n', '\r', ' ']);
        let kept = trim_end_ws(content);
        let trailing = &content[kept.len()..];
        let mut md = String::with_capacity(kept.len() + link.len() + 8);
        md.push('[');
        md.push_str(kept);
        md.push_str("](");
        destination(&mut md, &link, title.as_deref());
        md.push_str(trailing);
        md
    }

    fn list(&mut self, n: usize, tag: &str) -> Option<String> {
        let in_item = self.parent_tag(n) == Some("li");
        let content = if tag == "ol" {
            self.ordered(n)
        } else {
            self.children(n)
        };
        let trimmed = content.trim_matches('\n');
        if trimmed.is_empty() {
            return None;
        }
        Some(if in_item {
            format!("\n{trimmed}\n")
        } else {
            blank_lines(trimmed)
        })
    }

    fn ordered(&mut self, n: usize) -> String {
        let start = attr(self.attrs(n), "start")
            .map(|v| v.parse::<i32>().unwrap_or(1).max(1) as usize)
            .unwrap_or(1);
        let mut buffer = Vec::new();
        for i in 0..self.dom.nodes[n].children.len() {
            let child = self.dom.nodes[n].children[i];
            let is_li = self.dom.tag(child) == Some("li")
                && matches!(self.dom.nodes[child].data, Data::Element { .. });
            buffer.push((self.node(child), is_li));
        }
        let count = buffer.iter().filter(|(_, li)| *li).count();
        let highest = start + count - 1;
        let mut index = start - 1;
        let contents: Vec<String> = buffer
            .into_iter()
            .map(|(text, li)| {
                if !li {
                    return text;
                }
                index += 1;
                let number = index.to_string();
                let spacing = " ".repeat(2 + digits(highest) - number.len());
                let content = indent_except_first_line(
                    text.trim_start_matches('\n'),
                    number.len() + 1 + spacing.len(),
                );
                format!("\n{number}.{spacing}{content}")
            })
            .collect();
        join_blocks(&contents)
    }

    fn item(&mut self, n: usize) -> String {
        let content = self.children(n);
        let content = content.trim_start_matches(['\t', '\n', '\r', ' ']);
        if self.parent_tag(n) == Some("ol") {
            format!("\n{content}\n")
        } else {
            format!("\n*   {}", indent_except_first_line(content, 4))
        }
    }

    fn code(&mut self, n: usize) -> String {
        if self.parent_tag(n) != Some("pre") {
            let content = self.children(n);
            let content = trim_ws(&content);
            let delimiter = inline_code_delimiter(content);
            return if content.starts_with('`') || content.ends_with('`') {
                format!("{delimiter} {content} {delimiter}")
            } else {
                format!("{delimiter}{content}{delimiter}")
            };
        }
        let content = self.children(n);
        let content = content.strip_suffix('\n').unwrap_or(&content);
        // The longest run of backticks, found a run at a time (a sample's code is long).
        let (b, mut longest, mut i) = (content.as_bytes(), 0, 0);
        while let Some(at) = memchr::memchr(b'`', &b[i..]) {
            let start = i + at;
            let end = b[start..]
                .iter()
                .position(|&c| c != b'`')
                .map_or(b.len(), |e| start + e);
            longest = longest.max(end - start);
            i = end;
        }
        let fence = "`".repeat(3.max(longest + 1));
        let parent = self.dom.nodes[n].parent;
        let language = language(self.attrs(n)).or_else(|| language(self.attrs(parent)));
        let mut md = String::with_capacity(content.len() + 2 * fence.len() + 16);
        md.push_str(&fence);
        md.push_str(language.as_deref().unwrap_or(""));
        md.push('\n');
        md.push_str(content);
        md.push('\n');
        md.push_str(&fence);
        md
    }

    fn emphasis(&mut self, n: usize, marker: &str) -> Option<String> {
        let content = self.children(n);
        if content.is_empty() {
            return None;
        }
        let inner = content.trim_start();
        let leading = &content[..content.len() - inner.len()];
        let middle = inner.trim_end();
        let trailing = &inner[middle.len()..];
        if middle.is_empty() {
            return None;
        }
        Some(format!("{leading}{marker}{middle}{marker}{trailing}"))
    }

    fn table(&mut self, n: usize) -> Option<String> {
        if !self.explicit_headers(n, true) || self.ancestors(n, &["td", "th"]) {
            return Some(self.children(n));
        }
        let mut captions = Vec::new();
        let mut headers: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut has_thead = false;
        for child in self.dom.nodes[n].children.clone() {
            match self.element_tag(child) {
                Some("caption") => captions.push(trim_ws(&self.node(child)).to_string()),
                Some("thead") => {
                    let row = self.dom.nodes[child]
                        .children
                        .iter()
                        .copied()
                        .find(|&c| self.dom.tag(c) == Some("tr"))
                        .unwrap_or(child);
                    has_thead = true;
                    headers = self.cells(row, "th");
                    if headers.is_empty() {
                        headers = self.cells(row, "td");
                    }
                }
                Some("tbody" | "tfoot") => {
                    for row in self.dom.nodes[child].children.clone() {
                        if self.element_tag(row) != Some("tr") {
                            continue;
                        }
                        if !has_thead && headers.is_empty() {
                            headers = self.cells(row, "th");
                            has_thead = !headers.is_empty();
                            if has_thead {
                                continue;
                            }
                        }
                        let cells = self.cells(row, "td");
                        if !cells.is_empty() {
                            rows.push(cells);
                        }
                    }
                }
                Some("tr") => {
                    if !has_thead && headers.is_empty() {
                        headers = self.cells(child, "th");
                        if headers.is_empty() {
                            let cells = self.cells(child, "td");
                            if !cells.is_empty() {
                                headers = cells;
                            }
                        }
                        has_thead = !headers.is_empty();
                    } else {
                        let cells = self.cells(child, "td");
                        if !cells.is_empty() {
                            rows.push(cells);
                        }
                    }
                }
                _ => {}
            }
        }
        let columns = headers
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            let content = self.children(n);
            let content = content.trim_matches('\n');
            return (!content.is_empty()).then(|| blank_lines(content));
        }
        let mut md = String::from("\n\n");
        for caption in captions {
            md.push_str(&caption);
            md.push('\n');
        }
        let mut widths = vec![0; columns];
        for (i, h) in headers.iter().enumerate() {
            widths[i] = h.chars().count();
        }
        for row in &rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        if !headers.is_empty() {
            row_line(&mut md, &headers, &widths);
            md.push('|');
            for w in &widths {
                md.push(' ');
                md.push_str(&"-".repeat(*w));
                md.push_str(" |");
            }
            md.push('\n');
        }
        for row in &rows {
            row_line(&mut md, row, &widths);
        }
        md.push('\n');
        Some(md)
    }

    fn element_tag(&self, n: usize) -> Option<&'static str> {
        match &self.dom.nodes[n].data {
            Data::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    fn explicit_headers(&self, n: usize, root: bool) -> bool {
        self.dom.nodes[n].children.iter().any(|&child| {
            match self.element_tag(child) {
                Some("table") if !root => return false,
                Some("th" | "thead") => return true,
                _ => {}
            }
            self.explicit_headers(child, false)
        })
    }

    fn cells(&mut self, row: usize, cell: &str) -> Vec<String> {
        let mut cells = Vec::new();
        for child in self.dom.nodes[row].children.clone() {
            if self.element_tag(child) == Some(cell) {
                cells.push(trim_ws(&self.node(child)).to_string());
            }
        }
        cells
    }
}

/// A link's destination and title, and the `)` that ends it: `<…>` around a destination
/// with a space.
fn destination(md: &mut String, link: &str, title: Option<&str>) {
    let spaces = link.contains(' ');
    if spaces {
        md.push('<');
    }
    md.push_str(link);
    if spaces {
        md.push('>');
    }
    if let Some(t) = title {
        md.push_str(" \"");
        md.push_str(t);
        md.push('"');
    }
    md.push(')');
}

fn row_line(md: &mut String, row: &[String], widths: &[usize]) {
    md.push('|');
    for (i, width) in widths.iter().enumerate() {
        let cell = row.get(i).map(|s| {
            let s = s
                .replace('\n', " ")
                .replace('\r', "")
                .replace('|', "&#124;");
            trim_ws(&s).to_string()
        });
        let cell = cell.unwrap_or_default();
        md.push(' ');
        md.push_str(&cell);
        md.push_str(&" ".repeat(width.saturating_sub(cell.chars().count())));
        md.push_str(" |");
    }
    md.push('\n');
}

fn blank_lines(content: &str) -> String {
    let mut s = String::with_capacity(content.len() + 4);
    s.push_str("\n\n");
    s.push_str(content);
    s.push_str("\n\n");
    s
}

/// Trims the whitespace of a document (tab, newline, carriage return, space).
fn trim_ws(s: &str) -> &str {
    s.trim_matches(['\t', '\n', '\r', ' '])
}

fn trim_end_ws(s: &str) -> &str {
    s.trim_end_matches(['\t', '\n', '\r', ' '])
}

fn trim_newlines(s: &mut String) {
    let start = s.len() - s.trim_start_matches('\n').len();
    if start > 0 {
        s.drain(..start);
    }
    let end = s.trim_end_matches('\n').len();
    s.truncate(end);
}

fn language(attrs: &[Attr]) -> Option<String> {
    let class = attrs.iter().find(|a| a.name == "class")?;
    class
        .value
        .split(' ')
        .find(|c| c.starts_with("language-"))
        .map(|lang| lang.split('-').skip(1).collect::<Vec<_>>().join("-"))
}

fn process_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(trim_ws).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        for c in line.chars() {
            if c == '"' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn digits(num: usize) -> usize {
    if num == 0 {
        return 1;
    }
    ((num + 1) as f32).log10().ceil() as usize
}

fn inline_code_delimiter(content: &str) -> String {
    let (mut runs, mut run, mut longest) = (Vec::new(), 0, 0);
    for b in content.bytes() {
        if b == b'`' {
            run += 1;
            longest = longest.max(run);
        } else if run > 0 {
            runs.push(run);
            run = 0;
        }
    }
    if run > 0 {
        runs.push(run);
    }
    let len = if content.starts_with('`') || content.ends_with('`') {
        longest + 1
    } else {
        (1..).find(|l| !runs.contains(l)).unwrap_or(1)
    };
    "`".repeat(len)
}

/// Each line after the first indented by `indent` spaces (blank lines left empty), line ends
/// trimmed.
fn indent_except_first_line(text: &str, indent: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.lines().enumerate() {
        let line = trim_end_ws(line);
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(' ', indent));
            }
        }
        out.push_str(line);
    }
    out
}

fn join_blocks(contents: &[String]) -> String {
    let mut result = String::with_capacity(contents.iter().map(String::len).sum());
    for content in contents {
        if content.is_empty() {
            continue;
        }
        let left = result.trim_end_matches('\n').len();
        let right = content.trim_start_matches('\n');
        let newlines = (result.len() - left)
            .max(content.len() - right.len())
            .min(2);
        result.truncate(left);
        result.push_str(&"\n".repeat(newlines));
        result.push_str(right);
    }
    result
}

/// `htmd`'s `append_normalized_content`: at most two newlines meet, and one space.
fn append_normalized(out: &mut String, mut content: String, is_pre: bool) {
    if out.is_empty() {
        *out = content;
        return;
    }
    if is_pre {
        out.push_str(&content);
        return;
    }
    let last = out.len() - out.trim_end_matches('\n').len();
    let first = content.len() - content.trim_start_matches('\n').len();
    if last + first > 2 {
        content.drain(..(last + first - 2).min(first));
    }
    if last == 0 && first == 0 && out.ends_with(' ') && content.starts_with(' ') {
        content.remove(0);
    }
    out.push_str(&content);
}
