//! The site's own markup of a doc, for docs whose layout shows more than endpaper's theme
//! would: custom front-matter fields (a `remark`, a parameter table with columns of the
//! site's own, an `examples` table), a second code section, a prose field of the site's.
//!
//! The structure pass ([`crate::structure::read`]) asks [`read`] for them:
//! - a probe render of the root pages, each extra front-matter text of each doc carrying an
//!   invisible mark naming the doc and the field ([`extra_fields`]), tells which fields a
//!   layout shows as text (a mark in an attribute or a condition shows nothing); it runs only
//!   when some doc has such a field and some page, layout or include names it;
//! - for the docs that have one, a second render with full front matter cuts each doc's
//!   region out of the page ([`region`]): the title (endpaper's frame writes its own) and the
//!   description left out, the code section kept apart from the prose, and the doc's
//!   `content` left as a placeholder: the body is rendered when the doc is composed, so a
//!   body edit needs no new structure.
//!
//! [`apply`] puts that markup into the doc's composed parts in place of endpaper's own
//! composition: samples in it become the doc's samples (highlighted, titled ones grouped
//! into tabs, as compose groups them), so pages, search, twins and the OpenAPI export all
//! see the content the site's layout shows.

use crate::compose::{DocParts, Piece, Sample};
use crate::error::{Pos, SourceError};
use crate::liquid::Engine;
use crate::markdown::{Attrs, CodeBlock, Heading};
use crate::model::{decode_entities, Doc};
use liquid_core::{Value as LValue, ValueView as _};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a doc's layout shows of it, as the site renders it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocMarkup {
    /// The root page it was read off.
    pub page: String,
    /// The fields that made it necessary (`remark`, `parameters[].type`).
    pub fields: Vec<String>,
    /// The prose part, [`CONTENT`] where the layout prints the doc's `content`.
    pub prose: String,
    /// The code part (the layout's code section), possibly empty.
    pub code: String,
}

/// Marks a doc's title for the structure render: invisible characters that encode the doc's
/// index, so the reader can tell which doc an element belongs to whatever anchor rule the
/// layout follows (`slugify` turns them into hyphens it then trims).
const MARK: char = '\u{2063}';
const DIGITS: [char; 4] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];

/// The mark of doc `n`.
pub fn marker(n: usize) -> String {
    let mut digits = Vec::new();
    let mut n = n;
    loop {
        digits.push(DIGITS[n % 4]);
        n /= 4;
        if n == 0 {
            break;
        }
    }
    let mut s = String::from(MARK);
    s.extend(digits.iter().rev());
    s.push(MARK);
    s
}

pub(crate) fn is_mark(c: char) -> bool {
    c == MARK || DIGITS.contains(&c)
}

/// Every mark in `text`: (byte offset, doc index).
pub(crate) fn marks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != MARK {
            continue;
        }
        let mut n = 0usize;
        let mut len = 0;
        while let Some(&(_, d)) = chars.peek() {
            match DIGITS.iter().position(|&x| x == d) {
                Some(v) => {
                    n = n.saturating_mul(4).saturating_add(v);
                    len += 1;
                    chars.next();
                }
                None => break,
            }
        }
        if len > 0 && chars.peek().is_some_and(|&(_, c)| c == MARK) {
            chars.next();
            out.push((at, n));
        }
    }
    out
}

/// Marks doc `n`'s title in a site model.
pub fn mark_title(doc: &mut liquid_core::model::Object, n: usize) {
    let title = doc
        .get("title")
        .filter(|t| !t.is_nil())
        .map_or(String::new(), |t| t.to_kstr().to_string());
    doc.insert("title".into(), LValue::scalar(title + &marker(n)));
}

/// Where the layout printed `doc.content`.
pub const CONTENT: &str = "\u{2064}endpaper-doc-content\u{2064}";

/// Fields endpaper's theme shows itself (compose, the page template) or reads as the doc's
/// settings: a layout printing them shows nothing endpaper's page lacks.
const KNOWN: &[&str] = &[
    "title",
    "name",
    "method",
    "type",
    "description",
    "right_code",
    "content_markdown",
    "parameters[].name",
    "parameters[].content",
    "left_code_blocks[].code_block",
    "left_code_blocks[].title",
    "left_code_blocks[].language",
    "right_code_blocks[].code_block",
    "right_code_blocks[].title",
    "right_code_blocks[].language",
    // Settings, not content.
    "layout",
    "position",
    "position_number",
    "visibility",
    "permalink",
    "published",
    "slug",
    "sitemap",
];

/// Each front-matter field of `fm` holding text that endpaper's theme does not show, as a
/// path (`remark`, `parameters[].type`, `parameters[].values[]`), in order.
pub fn extra_fields(fm: &serde_json::Map<String, Value>) -> Vec<String> {
    fn walk(v: &Value, path: String, out: &mut Vec<String>) {
        if KNOWN.contains(&path.as_str()) {
            return;
        }
        match v {
            Value::String(s) if !s.trim().is_empty() && !out.contains(&path) => out.push(path),
            Value::Array(items) => {
                for item in items {
                    walk(item, format!("{path}[]"), out);
                }
            }
            Value::Object(m) => {
                for (k, v) in m {
                    walk(v, format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in fm {
        if !k.starts_with('_') {
            walk(v, k.clone(), &mut out);
        }
    }
    out
}

/// The key a template names a field by: `parameters[].type` → `type`.
fn last_key(path: &str) -> &str {
    let p = path.trim_end_matches("[]");
    p.rsplit(['.', ']'])
        .next()
        .unwrap_or(p)
        .trim_start_matches('.')
}

/// Whether any of `templates` may print one of `fields`: it names its key after a `.` or in
/// brackets (`doc.remark`, `p["type"]`).
fn named(templates: &[&str], fields: &BTreeSet<&str>) -> bool {
    let keys: BTreeSet<&str> = fields.iter().map(|f| last_key(f)).collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    templates.iter().any(|t| {
        keys.iter().any(|k| {
            let dotted = format!(".{k}");
            t.match_indices(&dotted)
                .any(|(i, _)| !t[i + dotted.len()..].starts_with(ident))
                || t.contains(&format!("[\"{k}\"]"))
                || t.contains(&format!("['{k}']"))
        })
    })
}

/// Marks the probe render puts after a field's text: doc and field numbers, invisible.
const FIELD: char = '\u{2064}';
const SEP: char = '\u{2062}';

fn digits(mut n: usize, out: &mut String) {
    let mut ds = Vec::new();
    loop {
        ds.push(DIGITS[n % 4]);
        n /= 4;
        if n == 0 {
            break;
        }
    }
    out.extend(ds.iter().rev());
}

fn field_mark(doc: usize, field: usize) -> String {
    let mut s = String::from(FIELD);
    digits(doc, &mut s);
    s.push(SEP);
    digits(field, &mut s);
    s.push(FIELD);
    s
}

/// Every (doc, field) mark in `text`.
fn field_marks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(FIELD) {
        rest = &rest[i + FIELD.len_utf8()..];
        let number = |s: &str| -> Option<(usize, usize)> {
            let mut n = 0usize;
            let mut len = 0;
            for c in s.chars() {
                match DIGITS.iter().position(|&d| d == c) {
                    Some(v) => {
                        n = n.saturating_mul(4).saturating_add(v);
                        len += c.len_utf8();
                    }
                    None => break,
                }
            }
            (len > 0).then_some((n, len))
        };
        let Some((doc, a)) = number(rest) else {
            continue;
        };
        if !rest[a..].starts_with(SEP) {
            continue;
        }
        let after = &rest[a + SEP.len_utf8()..];
        let Some((field, b)) = number(after) else {
            continue;
        };
        if after[b..].starts_with(FIELD) {
            out.push((doc, field));
            rest = &after[b + FIELD.len_utf8()..];
        }
    }
    out
}

/// `v` with `mark` after each text at `path` (`[]` steps into each item of a list).
fn mark_path(v: &mut LValue, path: &[&str], mark: &str) {
    match (v, path.split_first()) {
        (LValue::Scalar(s), None) => {
            if let Some(text) = Some(s.to_kstr().to_string()).filter(|_| s.type_name() == "string")
            {
                *s = liquid_core::model::Scalar::new(text + mark);
            }
        }
        (LValue::Array(items), Some((&"[]", rest))) => {
            for item in items {
                mark_path(item, rest, mark);
            }
        }
        (LValue::Object(m), Some((key, rest))) => {
            if let Some(v) = m.get_mut(*key) {
                mark_path(v, rest, mark);
            }
        }
        _ => {}
    }
}

/// `remark` → [`remark`]; `parameters[].values[]` → [`parameters`, `[]`, `values`, `[]`].
fn steps(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let key = part.trim_end_matches("[]");
        out.push(key);
        out.extend(std::iter::repeat_n("[]", (part.len() - key.len()) / 2));
    }
    out
}

/// The visible text of `html`: no tags, comments, scripts or styles.
fn visible(html: &str) -> String {
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
struct El {
    name: String,
    start: usize,
    end: usize,
    attrs: HashMap<String, String>,
    /// The smallest element holding it.
    parent: Option<usize>,
}

impl El {
    fn contains(&self, other: &El) -> bool {
        self.start <= other.start
            && other.end <= self.end
            && (self.start, self.end) != (other.start, other.end)
    }
    fn heading_level(&self) -> Option<u8> {
        let b = self.name.as_bytes();
        (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
    }
    /// Just past the start tag's `>`.
    fn inner_start(&self, html: &str) -> usize {
        html[self.start..=self.end]
            .find('>')
            .map_or(self.end + 1, |i| self.start + i + 1)
    }
    /// Where the end tag starts (the element's end when it has none).
    fn inner_end(&self, html: &str) -> usize {
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
fn elements(html: &str) -> Vec<El> {
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
fn parent(els: &[El], i: usize) -> Option<usize> {
    els[i].parent
}

/// The innermost element holding byte `at`.
fn innermost(els: &[El], at: usize) -> Option<usize> {
    (0..els.len())
        .rev()
        .find(|&j| els[j].start <= at && at <= els[j].end)
}

/// A doc's region on a rendered page: the byte ranges of its prose and code parts, and the
/// ranges cut out of them (its title, its description).
struct Region {
    prose: Vec<(usize, usize)>,
    code: Vec<(usize, usize)>,
    cut: Vec<(usize, usize)>,
}

/// Finds doc `n`'s region in `html`: the largest element around its title's mark that holds
/// no other doc's mark, and when that is only a heading (a flat layout), its following
/// siblings up to the next doc or a heading of its rank or higher. A mark inside a link (a
/// nav entry) does not place a doc.
fn region(
    html: &str,
    els: &[El],
    marks: &[(usize, usize)],
    n: usize,
    (names, description): (&[&str], &str),
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
        if in_link {
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
    };
    let (lo, hi);
    if let Some(level) = el.heading_level() {
        // A flat layout: the heading, then what follows it.
        let p = parent(els, e);
        let mut end = el.end + 1;
        for j in e + 1..els.len() {
            if parent(els, j) != p || els[j].start < end {
                continue;
            }
            if others(els[j].start, els[j].end)
                || els[j].heading_level().is_some_and(|l| l <= level)
            {
                break;
            }
            end = els[j].end + 1;
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
    let norm = |s: &str| {
        s.chars()
            .filter(|&c| !is_mark(c))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text_is = |j: usize, texts: &[String]| {
        let t = norm(&decode_entities(&visible(&html[els[j].start..=els[j].end])));
        texts.contains(&t)
    };
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
        region.cut.push((els[t].start, els[t].end + 1));
    }
    let description = norm(description);
    if !description.is_empty() {
        let d = (0..els.len()).find(|&j| {
            inside(j)
                && matches!(els[j].name.as_str(), "p" | "div" | "span" | "blockquote")
                && !region
                    .cut
                    .iter()
                    .any(|&(s, t)| els[j].start >= s && els[j].end < t)
                && text_is(j, std::slice::from_ref(&description))
        });
        if let Some(d) = d {
            region.cut.push((els[d].start, els[d].end + 1));
        }
    }
    Some(region)
}

/// `ranges` of `html`, joined, without the `cut` ranges and without marks.
fn text_of(html: &str, ranges: &[(usize, usize)], cut: &[(usize, usize)]) -> String {
    cut_out(html, ranges, cut)
        .chars()
        .filter(|&c| !is_mark(c))
        .collect()
}

/// `ranges` of `html`, joined, without the `cut` ranges (nested cuts taken once).
fn cut_out(html: &str, ranges: &[(usize, usize)], cut: &[(usize, usize)]) -> String {
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
fn content_text(html: &str) -> String {
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

/// The docs whose extra fields a page shows but whose markup could not be cut out of it,
/// with those fields.
pub type Unshown = Vec<(String, Vec<String>)>;

/// Renders each root page of the site with `view` as `site`: (rel, page path, HTML).
pub type Rendered = (String, String, String);

/// Reads the site's markup of each doc whose layout shows fields endpaper's theme does not.
/// `render` renders every root page with a given `site`; `docs` are the build's docs in the
/// order their marks number them, `site_anchors` the (own, site) anchors the structure
/// pass found. Returns each such doc's markup by path, and the docs
/// whose extra fields a page shows but whose markup could not be cut out (with the fields).
pub fn read(
    engine: &Engine,
    templates: &[&str],
    (docs, site_anchors): (&[&Doc], &[(&str, &str)]),
    render: &dyn Fn(&crate::liquid::site::SiteView) -> Vec<Rendered>,
) -> (BTreeMap<String, DocMarkup>, Unshown) {
    let extra: Vec<Vec<String>> = docs.iter().map(|d| extra_fields(&d.fm)).collect();
    let all: BTreeSet<&str> = extra.iter().flatten().map(String::as_str).collect();
    if all.is_empty() || !named(templates, &all) {
        return (BTreeMap::new(), Vec::new());
    }
    let field_no: Vec<&str> = all.iter().copied().collect();
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rel.as_str(), i))
        .collect();
    let by_own: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.anchor.as_str(), i))
        .collect();
    let probe = engine
        .site_with(crate::liquid::site::Content::Outline)
        .map_docs(|path, doc| {
            let Some(&n) = index.get(path) else { return };
            for f in &extra[n] {
                let Ok(k) = field_no.binary_search(&f.as_str()) else {
                    continue;
                };
                let steps = steps(f);
                let Some((first, rest)) = steps.split_first() else {
                    continue;
                };
                if let Some(v) = doc.get_mut(*first) {
                    mark_path(v, rest, &field_mark(n, k));
                }
            }
        });
    // (doc → (page, fields shown)), the first page that shows any.
    let mut shown: BTreeMap<usize, (String, BTreeSet<usize>)> = BTreeMap::new();
    for (rel, _, html) in render(&probe) {
        let mut here: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (n, f) in field_marks(&content_text(&html)) {
            if n < docs.len() && f < field_no.len() {
                here.entry(n).or_default().insert(f);
            }
        }
        for (n, fs) in here {
            shown.entry(n).or_insert((rel.clone(), fs));
        }
    }
    drop(probe);
    if shown.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    let full = engine
        .site_with(crate::liquid::site::Content::Empty)
        .map_docs(|path, doc| {
            let Some(&n) = index.get(path) else { return };
            let title = doc
                .get("title")
                .filter(|t| !t.is_nil())
                .map_or(String::new(), |t| t.to_kstr().to_string());
            doc.insert("title".into(), LValue::scalar(title + &marker(n)));
            if shown.contains_key(&n) {
                doc.insert("content".into(), LValue::scalar(CONTENT));
            }
        });
    let mut out = BTreeMap::new();
    let mut missing = Vec::new();
    let pages = render(&full);
    drop(full);
    // A doc is placed by its title's mark, or by an element carrying its anchor (a layout
    // that prints another field as the heading).
    let by_anchor: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.anchor.as_str(), i))
        .chain(
            site_anchors
                .iter()
                .filter_map(|(own, site)| Some((*site, *by_own.get(own)?))),
        )
        .collect();
    for (rel, _, html) in &pages {
        let here: Vec<usize> = shown
            .iter()
            .filter(|(_, (page, _))| page == rel)
            .map(|(&n, _)| n)
            .collect();
        if here.is_empty() {
            continue;
        }
        let els = elements(html);
        let mut places = marks(html);
        places.extend(els.iter().filter_map(|e| {
            let n = *by_anchor.get(e.attrs.get("id")?.as_str())?;
            Some((e.start, n))
        }));
        places.sort_unstable();
        for n in here {
            let (page, fs) = &shown[&n];
            let fields: Vec<String> = fs.iter().map(|&f| field_no[f].to_string()).collect();
            let d = docs[n];
            let names = [d.display_title.as_str(), d.title.as_str(), d.name.as_str()];
            match region(html, &els, &places, n, (&names, &d.description)) {
                Some(r) => {
                    out.insert(
                        docs[n].rel.clone(),
                        DocMarkup {
                            page: page.clone(),
                            fields,
                            prose: text_of(html, &r.prose, &r.cut),
                            code: text_of(html, &r.code, &r.cut),
                        },
                    );
                }
                None => missing.push((docs[n].rel.clone(), fields)),
            }
        }
    }
    for (&n, (_, fs)) in &shown {
        if !out.contains_key(&docs[n].rel) && !missing.iter().any(|(r, _)| r == &docs[n].rel) {
            let fields = fs.iter().map(|&f| field_no[f].to_string()).collect();
            missing.push((docs[n].rel.clone(), fields));
        }
    }
    (out, missing)
}

/// A sample in the site's markup: its byte range (the `<pre>` and the wrappers that hold
/// only it) and the sample it is.
fn samples_in(html: &str) -> Vec<(usize, usize, CodeBlock)> {
    let els = elements(html);
    let mut out: Vec<(usize, usize, CodeBlock)> = Vec::new();
    for (i, pre) in els.iter().enumerate() {
        if pre.name != "pre" || out.iter().any(|&(s, e, _)| pre.start >= s && pre.end < e) {
            continue;
        }
        let mut chain = vec![i];
        let mut w = i;
        while let Some(p) = parent(&els, w) {
            let before = &html[els[p].inner_start(html)..els[w].start];
            let after = &html[(els[w].end + 1).min(html.len())..els[p].inner_end(html)];
            if !before.trim().is_empty() || !after.trim().is_empty() {
                break;
            }
            w = p;
            chain.push(p);
        }
        // The `<code>` inside names the language too.
        chain
            .extend((i + 1..els.len()).filter(|&j| els[j].name == "code" && pre.contains(&els[j])));
        let mut lang = None;
        let mut title = None;
        for &c in &chain {
            let el = &els[c];
            if lang.is_none() {
                lang = el
                    .attrs
                    .get("class")
                    .and_then(|c| {
                        c.split_whitespace()
                            .find_map(|cl| cl.strip_prefix("language-"))
                    })
                    .map(str::to_string)
                    .or_else(|| el.attrs.get("data-lang").cloned());
            }
            if title.is_none() {
                title = el
                    .attrs
                    .get("title")
                    .or_else(|| el.attrs.get("data-title"))
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| t.trim().to_string());
            }
        }
        let inner = &html[pre.inner_start(html)..pre.inner_end(html)];
        let mut code = decode_entities(&crate::compose::strip_tags(inner));
        if !code.ends_with('\n') {
            code.push('\n');
        }
        let lang = lang.filter(|l| !l.is_empty() && l != "plaintext");
        let (start, end) = (els[w].start, els[w].end + 1);
        out.push((
            start,
            end,
            CodeBlock {
                lang,
                title,
                code,
                attrs: Attrs::default(),
                pos: Pos::new(1, 1),
            },
        ));
    }
    out
}

/// Where compose found each sample's code (to locate findings about the same sample).
type Places = HashMap<String, (String, Pos)>;

/// Routes `html` into pieces: text as it is, samples as the doc's samples; titled ones
/// next to each other make one tab group in the code column; untitled ones stay where
/// they are (`to_code`: everything goes to the code column).
fn route(html: &str, to_code: bool, parts: &mut DocParts, places: &Places, doc: &Doc) {
    let mut group: Vec<usize> = Vec::new();
    let mut at = 0;
    let mut out: Vec<Piece> = Vec::new();
    let flush = |group: &mut Vec<usize>, parts: &mut DocParts| {
        if !group.is_empty() {
            parts.code.push(Piece::Group(std::mem::take(group)));
        }
    };
    for (s, e, block) in samples_in(html) {
        let between = &html[at..s];
        // Blanks and comments do not split a tab group.
        if !crate::compose::invisible(between) {
            flush(&mut group, parts);
            let piece = Piece::Html(between.to_string());
            if to_code {
                parts.code.push(piece);
            } else {
                out.push(piece);
            }
        }
        at = e;
        let (file, pos) = places
            .get(&block.code)
            .cloned()
            .unwrap_or_else(|| (doc.rel.clone(), Pos::new(1, 1)));
        let titled = block.title.is_some();
        parts.samples.push(Sample { block, file, pos });
        let i = parts.samples.len() - 1;
        if titled {
            group.push(i);
        } else {
            flush(&mut group, parts);
            if to_code {
                parts.code.push(Piece::Inline(i));
            } else {
                out.push(Piece::Inline(i));
            }
        }
    }
    flush(&mut group, parts);
    let rest = &html[at..];
    if !rest.trim().is_empty() {
        if to_code {
            parts.code.push(Piece::Html(rest.to_string()));
        } else {
            out.push(Piece::Html(rest.to_string()));
        }
    }
    parts.prose.extend(out);
}

/// The doc's `content` as a page of the site sees it: its body through Liquid, then
/// kramdown when it is markdown.
pub fn content_html(doc: &Doc, engine: &Engine) -> Result<String, SourceError> {
    let ex = crate::site_theme::doc_body(engine, doc, &[])?;
    let name = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
    Ok(if crate::load::is_markdown(name) {
        crate::liquid::markdown_html(&ex.text)
    } else {
        ex.text
    })
}

/// Puts the site's markup of a doc into its composed parts, in place of endpaper's
/// composition of its prose and code (compose's findings, links and includes stay: they
/// are about the same sources). An endpoint's description for the OpenAPI export
/// (`source`) becomes that prose as markdown.
pub fn apply(
    parts: &mut DocParts,
    doc: &Doc,
    engine: &Engine,
    markup: &DocMarkup,
) -> Result<(), SourceError> {
    let needs_body = markup.prose.contains(CONTENT) || markup.code.contains(CONTENT);
    let body = if needs_body {
        content_html(doc, engine)?
    } else {
        String::new()
    };
    let prose = crate::markdown::balance_html(&markup.prose.replace(CONTENT, &body));
    let code = crate::markdown::balance_html(&markup.code.replace(CONTENT, &body));
    let places: Places = parts
        .samples
        .iter()
        .map(|s| (s.block.code.clone(), (s.file.clone(), s.pos)))
        .collect();
    parts.prose.clear();
    parts.code.clear();
    parts.samples.clear();
    route(&prose, false, parts, &places, doc);
    route(&code, true, parts, &places, doc);
    if !parts.source.is_empty() {
        // The OpenAPI description is written from markdown: the site's prose, as its twin
        // reads it.
        parts.source = crate::machine_docs::html_to_markdown(&prose);
    }
    parts.headings = headings(&prose);
    let mut terms = Vec::new();
    crate::compose::collect_terms(&prose, &mut terms);
    terms.extend(name_cells(&prose));
    parts.terms = terms;
    Ok(())
}

/// Each heading of `html` with an id.
fn headings(html: &str) -> Vec<Heading> {
    elements(html)
        .iter()
        .filter_map(|e| {
            let level = e.heading_level()?;
            let id = e.attrs.get("id")?.clone();
            let text = decode_entities(visible(&html[e.start..=e.end]).trim());
            Some(Heading { level, id, text })
        })
        .collect()
}

/// The first cell of each row of a table whose first column is headed `name` or
/// `parameter`: parameter names, for search.
fn name_cells(html: &str) -> Vec<String> {
    let els = elements(html);
    let mut out = Vec::new();
    for (t, table) in els.iter().enumerate().filter(|(_, e)| e.name == "table") {
        let first_th = els[t + 1..]
            .iter()
            .take_while(|e| e.start < table.end)
            .find(|e| e.name == "th");
        let heads = first_th.is_some_and(|th| {
            let h = visible(&html[th.start..=th.end])
                .trim()
                .to_ascii_lowercase();
            h == "name" || h == "parameter" || h == "parameters"
        });
        if !heads {
            continue;
        }
        let rows: Vec<usize> = (t + 1..els.len())
            .filter(|&j| els[j].name == "tr" && table.contains(&els[j]))
            .collect();
        for r in rows {
            if let Some(td) = els[r + 1..]
                .iter()
                .take_while(|e| e.start < els[r].end)
                .find(|e| e.name == "td")
            {
                let text = decode_entities(visible(&html[td.start..=td.end]).trim());
                if !text.is_empty() {
                    out.push(text);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_fields_are_texts_the_theme_does_not_show() {
        let fm: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"title":"T","method":"get","remark":"r","position":3,"_hidden":"x",
                "parameters":[{"name":"a","content":"c","type":"string","mandatory":true,"values":["x","y"]}],
                "right_request_blocks":[{"title":"Curl","code_block":"curl"}]}"#,
        )
        .unwrap();
        assert_eq!(
            extra_fields(&fm),
            [
                "parameters[].type",
                "parameters[].values[]",
                "remark",
                "right_request_blocks[].code_block",
                "right_request_blocks[].title"
            ]
        );
        assert_eq!(last_key("parameters[].values[]"), "values");
        assert_eq!(
            steps("parameters[].values[]"),
            ["parameters", "[]", "values", "[]"]
        );
        let templates = ["{{ p.type }}{{ doc.remarks }}"];
        assert!(named(&templates, &["parameters[].type"].into()));
        assert!(!named(&templates, &["remark"].into()));
        assert!(named(&["{{ doc['remark'] }}"], &["remark"].into()));
    }

    #[test]
    fn field_marks_read_back_and_only_visible_text_counts() {
        let m = field_mark(5, 17);
        assert_eq!(
            field_marks(&format!("a{m}b{}", field_mark(0, 0))),
            [(5, 17), (0, 0)]
        );
        let html = format!(
            "<p class=\"x{m}\">shown{}</p><script>var a=\"{m}\"</script><!-- {m} -->",
            field_mark(1, 2)
        );
        assert_eq!(field_marks(&visible(&html)), [(1, 2)]);
        // Navigation shows no field of a doc's.
        let nav = format!("<head><title>{m}</title></head><nav><p>{m}</p></nav><p><a href=\"#x\">{m}</a><a href=\"/y\">{}</a></p>", field_mark(3, 4));
        assert_eq!(field_marks(&content_text(&nav)), [(3, 4)]);
    }

    #[test]
    fn a_docs_region_leaves_its_title_and_description_to_the_frame() {
        let (m0, m1) = (marker(0), marker(1));
        let html = format!(
            r##"<nav><a href="#a">A{m0}</a></nav>
<section class="doc"><section class="left"><h3><a id="a">A{m0}</a></h3><p class="d">Says A.</p><p>Remark: r</p>{CONTENT}</section>
<section class="right"><div title="Curl" class="language-bash"><pre><code>curl a</code></pre></div></section></section>
<section class="doc"><h3>B{m1}</h3></section>"##
        );
        let els = elements(&html);
        let found = marks(&html);
        let r = region(&html, &els, &found, 0, (&[], "Says A.")).unwrap();
        let prose = text_of(&html, &r.prose, &r.cut);
        let code = text_of(&html, &r.code, &r.cut);
        assert!(
            prose.contains("<p>Remark: r</p>") && prose.contains(CONTENT),
            "{prose}"
        );
        assert!(
            !prose.contains("Says A.") && !prose.contains("<h3>"),
            "{prose}"
        );
        assert!(
            code.starts_with("<section class=\"right\">") && code.contains("curl a"),
            "{code}"
        );
        // A flat layout: the heading and what follows, up to the next doc.
        let flat = format!("<main><h3>A{m0}</h3><p>one</p><table><tr><td>x</td></tr></table><h2>Group</h2><h3>B{m1}</h3><p>two</p></main>");
        let els = elements(&flat);
        let found = marks(&flat);
        let r = region(&flat, &els, &found, 0, (&[], "")).unwrap();
        assert_eq!(
            text_of(&flat, &r.prose, &r.cut),
            "<p>one</p><table><tr><td>x</td></tr></table>"
        );
    }

    #[test]
    fn a_doc_placed_by_its_anchor_loses_the_heading_that_names_it() {
        // The layout prints `doc.name`, not the title: the doc is placed by its anchor.
        let html = r#"<main><section id="a"><h3>Make &amp; keep</h3><p>shown</p></section><section id="b"><h3>Other</h3></section></main>"#;
        let els = elements(html);
        let places: Vec<(usize, usize)> = els
            .iter()
            .filter_map(|e| match e.attrs.get("id")?.as_str() {
                "a" => Some((e.start, 0)),
                "b" => Some((e.start, 1)),
                _ => None,
            })
            .collect();
        let r = region(html, &els, &places, 0, (&["/make", "Make & keep"], "")).unwrap();
        assert_eq!(text_of(html, &r.prose, &r.cut), "<p>shown</p>");
    }

    #[test]
    fn samples_in_the_sites_markup_are_found_with_language_and_title() {
        let html = r#"<p>x</p><div title="Curl" class="language-bash highlighter-rouge"><div class="highlight"><pre class="highlight"><code>curl <span class="nt">-X</span> &quot;a&quot;
</code></pre></div></div><figure class="highlight"><pre><code class="language-json" data-lang="json">{}</code></pre></figure>"#;
        let s = samples_in(html);
        assert_eq!(s.len(), 2);
        assert_eq!(&html[s[0].0..s[0].0 + 12], "<div title=\"");
        assert_eq!(s[0].2.lang.as_deref(), Some("bash"));
        assert_eq!(s[0].2.title.as_deref(), Some("Curl"));
        assert_eq!(s[0].2.code, "curl -X \"a\"\n");
        assert_eq!(s[1].2.lang.as_deref(), Some("json"));
        assert_eq!(s[1].2.title, None);
        assert_eq!(&html[s[1].1 - 9..s[1].1], "</figure>");
    }

    #[test]
    fn parameter_names_in_a_table_are_terms() {
        let html = "<table><tr><th>Name</th><th>Type</th></tr><tr><td>colour</td><td>string</td></tr><tr><td>dials</td><td>int</td></tr></table><table><tr><th>Input</th></tr><tr><td>no</td></tr></table>";
        assert_eq!(name_cells(html), ["colour", "dials"]);
    }
}
