//! Reading a rendered page: its elements, its visible text, and a doc's region on it.

use super::is_mark;
use crate::model::decode_entities;
use std::collections::HashMap;

/// The visible text of `html`: no tags, comments, scripts or styles.
pub(super) fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let lower: String = rest
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let raw = ["script", "style"]
            .into_iter()
            .find(|t| lower[1..].starts_with(t));
        // The tag's end, past quoted attribute values.
        let mut quote = None;
        let mut end = rest.len();
        for (j, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &rest[end.min(rest.len())..];
        if let Some(t) = raw {
            let close = format!("</{t}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |e| &rest[e..]);
            if let Some(e) = rest.find('>') {
                rest = &rest[e + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One element of a page: its tag name, byte range (start tag to end tag) and attributes.
#[derive(Debug)]
pub(super) struct El {
    pub(super) name: String,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) attrs: HashMap<String, String>,
    /// The smallest element holding it.
    pub(super) parent: Option<usize>,
}

impl El {
    pub(super) fn contains(&self, other: &El) -> bool {
        self.start <= other.start
            && other.end <= self.end
            && (self.start, self.end) != (other.start, other.end)
    }
    pub(super) fn heading_level(&self) -> Option<u8> {
        let b = self.name.as_bytes();
        (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
    }
    /// Just past the start tag's `>`.
    pub(super) fn inner_start(&self, html: &str) -> usize {
        html[self.start..=self.end]
            .find('>')
            .map_or(self.end + 1, |i| self.start + i + 1)
    }
    /// Where the end tag starts (the element's end when it has none).
    pub(super) fn inner_end(&self, html: &str) -> usize {
        let outer = &html[self.start..=self.end];
        if outer.ends_with("/>") || !outer.ends_with('>') {
            return self.end + 1;
        }
        match outer.rfind("</") {
            Some(i) if self.start + i >= self.inner_start(html) => self.start + i,
            _ => self.end + 1,
        }
    }
}

/// Every element of `html`, in document order.
pub(super) fn elements(html: &str) -> Vec<El> {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let parser = dom.parser();
    let mut out: Vec<El> = dom
        .nodes()
        .iter()
        .filter_map(|n| n.as_tag())
        .map(|t| {
            let (start, end) = t.boundaries(parser);
            let attrs = t
                .attributes()
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_ascii_lowercase(),
                        decode_entities(&v.unwrap_or_default()),
                    )
                })
                .collect();
            El {
                name: t.name().as_utf8_str().to_ascii_lowercase(),
                start,
                end: end.min(html.len().saturating_sub(1)),
                attrs,
                parent: None,
            }
        })
        .collect();
    out.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    // In document order, an element's parent is the nearest open one still holding it.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        while let Some(&top) = open.last() {
            if out[top].contains(&out[i]) {
                break;
            }
            open.pop();
        }
        out[i].parent = open.last().copied();
        open.push(i);
    }
    out
}

/// The smallest element strictly holding `els[i]`.
pub(super) fn parent(els: &[El], i: usize) -> Option<usize> {
    els[i].parent
}

/// The innermost element holding byte `at`.
pub(super) fn innermost(els: &[El], at: usize) -> Option<usize> {
    (0..els.len())
        .rev()
        .find(|&j| els[j].start <= at && at <= els[j].end)
}

/// A doc's region on a rendered page: the byte ranges of its prose and code parts, and the
/// ranges cut out of them (its title, its description).
pub(super) struct Region {
    pub(super) prose: Vec<(usize, usize)>,
    pub(super) code: Vec<(usize, usize)>,
    pub(super) cut: Vec<(usize, usize)>,
    /// The description as the site's `markdownify` renders it, when the layout shows it so
    /// (found by its rendered text, not as written): the frame shows it rendered too.
    pub(super) description_html: Option<String>,
}

/// `s` without marks, its runs of whitespace one space: text as a reader compares it.
pub(super) fn norm(s: &str) -> String {
    let s: String = s.chars().filter(|&c| !is_mark(c)).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What element `e` of `html` shows, as [`norm`] compares it.
fn shown(html: &str, e: &El) -> String {
    shown_text(&html[e.start..=e.end])
}

/// What `html` shows, as [`norm`] compares it.
pub(super) fn shown_text(html: &str) -> String {
    norm(&decode_entities(&visible(html)))
}

/// Cuts from a doc's region a heading before its title that reads as its section's title:
/// a layout that prints `{{ collection.title }}` above a section's first doc (inside that
/// doc's element) repeats what endpaper's page already heads the section with.
pub(super) fn cut_section_heading(html: &str, els: &[El], r: &mut Region, section: &str) {
    let section = norm(section);
    let Some(title_at) = r.cut.iter().map(|&(s, _)| s).min() else {
        return;
    };
    if section.is_empty() {
        return;
    }
    let within = |e: &El| r.prose.iter().any(|&(s, t)| e.start >= s && e.end < t);
    let heading = els.iter().find(|e| {
        e.heading_level().is_some() && e.end < title_at && within(e) && shown(html, e) == section
    });
    if let Some(h) = heading {
        r.cut.push((h.start, h.end + 1));
    }
}

/// Finds doc `n`'s region in `html`: the largest element around its title's mark that holds
/// no other doc's mark, and when that is only a heading (a flat layout), its following
/// siblings up to the next doc or a heading of its rank or higher. A mark inside a link (a
/// nav entry) or in a script's text does not place a doc.
pub(super) fn region(
    html: &str,
    els: &[El],
    marks: &[(usize, usize)],
    n: usize,
    (names, description, method): (&[&str], &str, &str),
) -> Option<Region> {
    let others = |s: usize, e: usize| {
        let lo = marks.partition_point(|&(at, _)| at < s);
        let hi = marks.partition_point(|&(at, _)| at <= e);
        marks[lo..hi].iter().any(|&(_, m)| m != n)
    };
    let mut best: Option<(usize, usize)> = None; // (element, mark offset)
    for &(at, _) in marks.iter().filter(|&&(_, m)| m == n) {
        let Some(mut e) = innermost(els, at) else {
            continue;
        };
        let in_link = (0..els.len()).any(|j| {
            els[j].name == "a"
                && els[j].attrs.contains_key("href")
                && els[j].start <= at
                && at <= els[j].end
        });
        // Nor does one in a script's or style's text (a search page's data, not markup).
        let in_raw_text = (0..els.len()).any(|j| {
            matches!(
                els[j].name.as_str(),
                "script" | "style" | "template" | "textarea"
            ) && els[j].start <= at
                && at <= els[j].end
        });
        if in_link || in_raw_text {
            continue;
        }
        while let Some(p) = parent(els, e) {
            if others(els[p].start, els[p].end) || els[p].name == "body" || els[p].name == "html" {
                break;
            }
            e = p;
        }
        let span = |x: usize| els[x].end - els[x].start;
        if best.is_none_or(|(b, _)| span(e) > span(b)) {
            best = Some((e, at));
        }
    }
    let (e, at) = best?;
    let el = &els[e];
    let children: Vec<usize> = (e + 1..els.len())
        .filter(|&j| parent(els, j) == Some(e))
        .collect();
    let mut region = Region {
        prose: Vec::new(),
        code: Vec::new(),
        cut: Vec::new(),
        description_html: None,
    };
    let (lo, hi);
    if let Some(level) = el.heading_level() {
        // A flat layout: the heading, then what follows it (text too) up to the next doc,
        // a heading of its rank or higher, or the page's own furniture.
        let p = parent(els, e);
        let mut end = p.map_or(html.len(), |p| els[p].inner_end(html));
        for j in e + 1..els.len() {
            if parent(els, j) != p {
                continue;
            }
            if others(els[j].start, els[j].end)
                || els[j].heading_level().is_some_and(|l| l <= level)
                || matches!(
                    els[j].name.as_str(),
                    "footer" | "nav" | "aside" | "header" | "script" | "style"
                )
            {
                end = els[j].start;
                break;
            }
        }
        region.prose = vec![(el.start, end)];
        (lo, hi) = (el.start, end);
    } else {
        let (start, end) = (el.inner_start(html), el.inner_end(html));
        (lo, hi) = (start, end);
        let title_child = children
            .iter()
            .position(|&c| els[c].start <= at && at <= els[c].end);
        let mut code: Vec<(usize, usize)> = Vec::new();
        for (k, &c) in children.iter().enumerate() {
            if title_child.is_none_or(|t| k <= t) {
                continue;
            }
            let outer = &html[els[c].start..=els[c].end];
            if !outer.contains("<pre") {
                continue;
            }
            let pres: usize = (c + 1..els.len())
                .filter(|&j| els[j].name == "pre" && els[c].contains(&els[j]))
                .map(|j| visible(&html[els[j].start..=els[j].end]).trim().len())
                .sum();
            let all = visible(outer).trim().len();
            if all.saturating_sub(pres) <= pres {
                code.push((els[c].start, els[c].end + 1));
            }
        }
        let mut at_ = start;
        for &(s, t) in &code {
            region.prose.push((at_, s));
            at_ = t;
        }
        region.prose.push((at_, end));
        region.code = code;
    }
    // The title: its heading, else the element whose text is the title alone.
    let inside = |j: usize| els[j].start >= lo && els[j].end < hi;
    let holding = |j: usize| els[j].start <= at && at <= els[j].end;
    let text_is = |j: usize, texts: &[String]| texts.contains(&shown(html, &els[j]));
    // The title: the heading holding the doc's place, else (a doc placed by its anchor)
    // the first heading that reads as its title or name.
    let names: Vec<String> = names
        .iter()
        .map(|s| norm(s))
        .filter(|s| !s.is_empty())
        .collect();
    let title_el = (0..els.len())
        .rev()
        .filter(|&j| inside(j) && holding(j))
        .find(|&j| els[j].heading_level().is_some())
        .or_else(|| {
            (0..els.len())
                .find(|&j| inside(j) && els[j].heading_level().is_some() && text_is(j, &names))
        });
    if let Some(t) = title_el {
        // The heading goes (endpaper's frame writes the title and method), but what else it
        // shows stays: a badge, a version (`<span class="badge">beta</span>`). Not the
        // element holding the title, nor links (an editor's "Edit").
        let method = method.trim().to_lowercase();
        let kept: Vec<usize> = (t + 1..els.len())
            .filter(|&j| parent(els, j) == Some(t) && !holding(j))
            .filter(|&j| !(els[j].name == "a" && els[j].attrs.contains_key("href")))
            .filter(|&j| {
                let shown = shown(html, &els[j]);
                !shown.is_empty() && shown.to_lowercase() != method
            })
            .collect();
        let mut from = els[t].start;
        for j in kept {
            region.cut.push((from, els[j].start));
            from = els[j].end + 1;
        }
        region.cut.push((from, els[t].end + 1));
    }
    if !norm(description).is_empty() {
        let find = |text: &str| {
            (0..els.len()).find(|&j| {
                inside(j)
                    && matches!(els[j].name.as_str(), "p" | "div" | "span" | "blockquote")
                    && !region
                        .cut
                        .iter()
                        .any(|&(s, t)| els[j].start >= s && els[j].end < t)
                    && shown(html, &els[j]) == text
            })
        };
        // A layout prints it as it is (Aviator's) or through `markdownify` (its text then
        // rendered: code spans, links, a note's IAL gone): either is the frame's. It is
        // rendered only when it is not found as written.
        let found = find(&norm(description)).map(|d| (d, None)).or_else(|| {
            let rendered = crate::liquid::markdown_html(description);
            find(&shown_text(&rendered)).map(|d| (d, Some(rendered)))
        });
        if let Some((d, rendered)) = found {
            region.cut.push((els[d].start, els[d].end + 1));
            region.description_html = rendered;
        }
    }
    Some(region)
}

/// `ranges` of `html`, joined, without the `cut` ranges and without marks.
pub(super) fn text_of(html: &str, ranges: &[(usize, usize)], cut: &[(usize, usize)]) -> String {
    cut_out(html, ranges, cut)
        .chars()
        .filter(|&c| !is_mark(c))
        .collect()
}

/// `ranges` of `html`, joined, without the `cut` ranges (nested cuts taken once).
pub(super) fn cut_out(html: &str, ranges: &[(usize, usize)], cut: &[(usize, usize)]) -> String {
    let mut out = String::new();
    for &(s, e) in ranges {
        let mut at = s;
        let mut cuts: Vec<&(usize, usize)> =
            cut.iter().filter(|&&(cs, ce)| cs >= s && ce <= e).collect();
        cuts.sort();
        for &&(cs, ce) in &cuts {
            if cs >= at {
                out.push_str(&html[at..cs]);
                at = ce;
            }
        }
        out.push_str(&html[at..e]);
    }
    out
}

/// The text a page shows as its content: no navigation (`<nav>`, links within the page),
/// no `<head>`.
pub(super) fn content_text(html: &str) -> String {
    let chrome: Vec<(usize, usize)> = elements(html)
        .iter()
        .filter(|e| {
            e.name == "nav"
                || e.name == "head"
                || (e.name == "a" && e.attrs.get("href").is_some_and(|h| h.starts_with('#')))
        })
        .map(|e| (e.start, e.end + 1))
        .collect();
    visible(&cut_out(html, &[(0, html.len())], &chrome))
}
