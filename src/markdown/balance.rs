//! HTML balancing: the prose of a doc is balanced as one stream across its HTML blocks, so a
//! stray `</div>` cannot close the page's own layout.

use super::Block;
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
/// open at the end is closed in the last HTML block.
pub(super) fn balance_blocks(blocks: &mut Vec<Block>) {
    let mut balancer = Balancer::default();
    for block in blocks.iter_mut() {
        if let Block::Html(part) = block {
            let fed = balancer.feed(&part.html);
            if fed != part.html {
                part.rebalanced = true;
                part.html = fed;
            }
        }
    }
    let tail = balancer.finish();
    if tail.is_empty() {
        return;
    }
    // What the balancer closes was opened by raw HTML (the writer closes its own).
    match blocks.last_mut() {
        Some(Block::Html(part)) => {
            part.html.push_str(&tail);
            part.rebalanced = true;
        }
        _ => blocks.push(Block::Html(crate::document::Part {
            html: tail,
            nodes: Vec::new(),
            rebalanced: true,
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
