//! HTML balancing: the prose of a doc is balanced as one stream across its HTML blocks, so a
//! stray `</div>` cannot close the page's own layout.

use super::Block;
use crate::document::{end_tag, write_html, Node, Part};
use std::collections::HashMap;

/// Makes an HTML fragment safe to paste inside a page: closing tags that close nothing
/// opened in the fragment are dropped, tags left open are closed at the end (and a closing
/// tag of an outer element first closes what is open inside it). Void elements, comments,
/// declarations and the content of `<pre>`, `<script>`, `<style>`, `<textarea>` are left
/// alone; an unclosed comment is closed. A `<` that starts no complete tag is escaped.
/// Linear in the input length.
pub fn balance_html(html: &str) -> String {
    let mut balancer = Balancer::default();
    let mut out = balancer.feed(html);
    out.push_str(&balancer.finish());
    out
}

/// Balances all prose of one render as a single stream, so an element opened before a code
/// block and closed after it (a list item holding a sample) stays intact; whatever is still
/// open at the end is closed in the last HTML block. The nodes' own elements always close;
/// a stretch whose nodes hold no raw HTML, with nothing raw HTML left open in its way, is
/// followed element by element, its HTML neither written nor read. A stretch balancing
/// changes keeps its balanced HTML.
pub(super) fn balance_blocks(blocks: &mut Vec<Block>) {
    let mut balancer = Balancer::default();
    let mut html = String::new();
    for block in blocks.iter_mut() {
        let Block::Html(part) = block else { continue };
        if balancer.follow(&part.nodes) {
            continue;
        }
        html.clear();
        write_html(&part.nodes, part.markup, &mut html);
        let fed = balancer.feed(&html);
        if fed != html {
            part.balanced = Some(fed);
        }
    }
    let tail = balancer.finish();
    if tail.is_empty() {
        return;
    }
    // What the balancer closes was opened by raw HTML (the writer closes its own).
    match blocks.last_mut() {
        Some(Block::Html(part)) => {
            let mut html = part.html().into_owned();
            html.push_str(&tail);
            part.balanced = Some(html);
        }
        _ => blocks.push(Block::Html(Part {
            balanced: Some(tail),
            ..Part::default()
        })),
    }
}

pub(super) const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
pub(super) const RAW_TEXT: &[&str] = &["pre", "script", "style", "textarea"];

#[derive(Default)]
pub(super) struct Balancer {
    pub(super) stack: Vec<String>,
    pub(super) open_count: HashMap<String, usize>,
    pub(super) in_comment: bool,
    /// Inside a raw-text element: everything up to its closing tag is content.
    pub(super) raw: Option<String>,
}

impl Balancer {
    pub(super) fn feed(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 16);
        let b = s.as_bytes();
        let mut i = 0;
        // Once a search for `>` failed from some offset, none can succeed from later ones:
        // remembering that keeps a run of `<` without `>` linear.
        let mut no_gt_from = usize::MAX;
        let mut find_gt = |at: usize| -> Option<usize> {
            if at >= no_gt_from {
                return None;
            }
            let found = s[at..].find('>').map(|e| at + e);
            if found.is_none() {
                no_gt_from = at;
            }
            found
        };
        while i < b.len() {
            if self.in_comment {
                match s[i..].find("-->") {
                    Some(e) => {
                        out.push_str(&s[i..i + e + 3]);
                        i += e + 3;
                        self.in_comment = false;
                    }
                    None => {
                        out.push_str(&s[i..]);
                        return out;
                    }
                }
                continue;
            }
            if let Some(raw) = &self.raw {
                match find_close_tag(s, i, raw) {
                    Some(e) => {
                        out.push_str(&s[i..e]);
                        i = e;
                        self.raw = None;
                    }
                    None => {
                        out.push_str(&s[i..]);
                        return out;
                    }
                }
                continue;
            }
            let Some(lt) = s[i..].find('<').map(|e| i + e) else {
                out.push_str(&s[i..]);
                break;
            };
            out.push_str(&s[i..lt]);
            i = lt;
            let rest = &s[i..];
            if rest.starts_with("<!--") {
                self.in_comment = true;
                out.push_str("<!--");
                i += 4;
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                match find_gt(i) {
                    Some(e) => {
                        out.push_str(&s[i..=e]);
                        i = e + 1;
                    }
                    None => {
                        out.push_str("&lt;");
                        i += 1;
                    }
                }
                continue;
            }
            let closing = rest.starts_with("</");
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest[name_start..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                .count();
            // Quotes are not tracked: a `>` inside an attribute value only splits the tag as
            // the balancer sees it; the bytes written are the same.
            let tag_end = if name_len > 0 && rest.as_bytes()[name_start].is_ascii_alphabetic() {
                find_gt(i + name_start + name_len).map(|e| e + 1 - i)
            } else {
                None
            };
            let Some(end) = tag_end else {
                // Not a tag (or one never finished): it must not swallow the page.
                out.push_str("&lt;");
                i += 1;
                continue;
            };
            let tag = &rest[..end];
            let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
            i += end;
            if closing {
                if self.open_count.get(&name).copied().unwrap_or(0) > 0 {
                    while let Some(top) = self.stack.pop() {
                        *self.open_count.entry(top.clone()).or_default() -= 1;
                        if top == name {
                            break;
                        }
                        out.push_str(&format!("</{top}>"));
                    }
                    out.push_str(tag);
                }
                continue;
            }
            out.push_str(tag);
            if VOID.contains(&name.as_str()) || tag.ends_with("/>") {
                continue;
            }
            if RAW_TEXT.contains(&name.as_str()) {
                self.raw = Some(name.clone());
            }
            *self.open_count.entry(name.clone()).or_default() += 1;
            self.stack.push(name);
        }
        out
    }

    /// Takes the elements of `nodes` as [`Balancer::feed`] would take the HTML written from
    /// them, when it would leave that HTML as it is: no raw HTML among them, no comment or
    /// raw text open, and each element they close the one open there. Returns whether it
    /// did; if not, nothing changed.
    pub(super) fn follow(&mut self, nodes: &[Node]) -> bool {
        if self.in_comment || self.raw.is_some() {
            return false;
        }
        // Elements the nodes open and have not closed yet; `closed` of the stack's own.
        let mut opened: Vec<&'static str> = Vec::new();
        let mut closed = 0;
        for node in nodes {
            match node {
                Node::Start(e) => opened.push(end_tag(e.kind()).1),
                Node::End(k) => {
                    let name = end_tag(*k).1;
                    if let Some(open) = opened.pop() {
                        if open != name {
                            return false;
                        }
                    } else {
                        closed += 1;
                        let open = self.stack.len().checked_sub(closed);
                        if open.is_none_or(|i| self.stack[i] != name) {
                            return false;
                        }
                    }
                }
                Node::Html(_) | Node::InlineHtml(_) => return false,
                _ => {}
            }
        }
        for _ in 0..closed {
            if let Some(top) = self.stack.pop() {
                *self.open_count.entry(top).or_default() -= 1;
            }
        }
        for name in opened {
            *self.open_count.entry(name.to_string()).or_default() += 1;
            self.stack.push(name.to_string());
        }
        true
    }

    pub(super) fn finish(&mut self) -> String {
        let mut out = String::new();
        if self.in_comment {
            out.push_str("-->");
            self.in_comment = false;
        }
        self.raw = None;
        while let Some(top) = self.stack.pop() {
            out.push_str(&format!("</{top}>"));
        }
        self.open_count.clear();
        out
    }
}

/// Offset of the next `</name` (any case) at or after `from`.
pub(super) fn find_close_tag(s: &str, from: usize, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(e) = s[i..].find("</") {
        let at = i + e;
        let n = &b[at + 2..];
        if n.len() >= name.len()
            && n[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && n.get(name.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Following a stretch's elements leaves what feeding its HTML would: the same HTML
    /// for every stretch, whatever raw HTML around it leaves open or closes.
    #[test]
    fn following_the_nodes_balances_as_feeding_their_html() {
        let docs = [
            "- one\n\n  ~~~\n  x\n  ~~~\n\n  after\n- two\n",
            "<div>\n\n- a\n\n  ~~~\n  x\n  ~~~\n\n  b\n\n</div>\n\n- c\n",
            "- a <span>open\n\n  ~~~\n  x\n  ~~~\n\n  *b*\n- c\n",
            "> quote <!-- open\n\n~~~\nx\n~~~\n\n> still -->\n\n## Done\n",
            "1. x\n\n   <pre>\n\n   ~~~\n   y\n   ~~~\n\n   z\n\n2. w\n",
            "</li></ul>\n\n- a\n\n  ~~~\n  x\n  ~~~\n\n  b\n\n</ul>\n\nend\n",
        ];
        for md in docs {
            let blocks = super::super::render(md).blocks;
            let mut balancer = Balancer::default();
            let mut fed = Vec::new();
            for block in &blocks {
                if let Block::Html(part) = block {
                    let mut html = String::new();
                    write_html(&part.nodes, part.markup, &mut html);
                    fed.push(balancer.feed(&html));
                }
            }
            if let Some(last) = fed.last_mut() {
                last.push_str(&balancer.finish());
            }
            let balanced: Vec<String> = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Html(part) => Some(part.html().into_owned()),
                    Block::Code(_) => None,
                })
                .collect();
            assert_eq!(balanced, fed, "for {md:?}");
        }
        // The first is followed element by element: nothing of it is kept as HTML.
        let plain = super::super::render(docs[0]).blocks;
        assert!(
            plain
                .iter()
                .all(|b| matches!(b, Block::Html(p) if !p.rebalanced())
                    || matches!(b, Block::Code(_)))
        );
    }
}
