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
//!   region out of the page (`page::region`): the title (endpaper's frame writes its own) and the
//!   description left out, the code section kept apart from the prose, and the doc's
//!   `content` left as a placeholder: the body is rendered when the doc is composed, so a
//!   body edit needs no new structure.
//!
//! [`apply`] puts that markup into the doc's composed parts in place of endpaper's own
//! composition: samples in it become the doc's samples (highlighted, titled ones grouped
//! into tabs, as compose groups them), so pages, search, twins and the OpenAPI export all
//! see the content the site's layout shows.

use crate::liquid::Engine;
use crate::model::Doc;
use liquid_core::{Value as LValue, ValueView as _};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod page;
mod parts;
#[cfg(test)]
mod tests;

use page::{content_text, elements, region, text_of};
pub use parts::{apply, content_html};

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
    /// The description rendered as the layout prints it through `markdownify` (the frame
    /// shows this in place of its text), `None` when the layout prints it as written.
    pub description_html: Option<String>,
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

/// Marks doc `n` in a site model: its title, and its `name` when the front matter sets one
/// (a layout may head a doc with it). Jekyll's own `name` (the file name) is left alone:
/// layouts build paths and links from it.
pub fn mark_title(doc: &mut liquid_core::model::Object, n: usize, fm_name: bool) {
    let title = doc
        .get("title")
        .filter(|t| !t.is_nil())
        .map_or(String::new(), |t| t.to_kstr().to_string());
    doc.insert("title".into(), LValue::scalar(title + &marker(n)));
    if fm_name {
        if let Some(name) = doc
            .get("name")
            .filter(|v| v.type_name() == "string")
            .map(|v| v.to_kstr().to_string())
            .filter(|v| !v.trim().is_empty())
        {
            doc.insert("name".into(), LValue::scalar(name + &marker(n)));
        }
    }
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

/// Each top-level front-matter field of `fm` that is a flag or a number endpaper's theme
/// does not read (`signed: true`): it prints nothing itself, but a layout may show text
/// when it is set.
pub fn extra_flags(fm: &serde_json::Map<String, Value>) -> Vec<String> {
    fm.iter()
        .filter(|(k, v)| {
            !k.starts_with('_') && !KNOWN.contains(&k.as_str()) && (v.is_boolean() || v.is_number())
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// The key a template names a field by: `parameters[].type` → `type`.
fn last_key(path: &str) -> &str {
    let p = path.trim_end_matches("[]");
    p.rsplit(['.', ']'])
        .next()
        .unwrap_or(p)
        .trim_start_matches('.')
}

/// Whether a template selects or compares docs by field `key` (`where: "group", …`,
/// `sort: "group"`, `group_by`, `doc.group == …`): a mark after its text would change
/// which docs a page lists, so the probe leaves such a field unmarked.
fn compared(templates: &[&str], key: &str) -> bool {
    let quoted = [format!("\"{key}\""), format!("'{key}'")];
    let dotted = format!(".{key}");
    templates.iter().any(|t| {
        quoted.iter().any(|q| {
            t.match_indices(q.as_str()).any(|(i, _)| {
                let before = t[..i].trim_end();
                [
                    "where:",
                    "where_exp:",
                    "sort:",
                    "sort_natural:",
                    "group_by:",
                    "find:",
                ]
                .iter()
                .any(|f| before.ends_with(f))
            })
        }) || t.match_indices(&dotted).any(|(i, _)| {
            let after = t[i + dotted.len()..].trim_start();
            let before = t[..i].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
            ["==", "!=", "contains", "<", ">"]
                .iter()
                .any(|op| after.starts_with(op) || before.trim_end().ends_with(op))
        })
    })
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

/// The (doc, field) of the field mark `s` starts with, and the mark's length in bytes.
fn field_mark_at(s: &str) -> Option<((usize, usize), usize)> {
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
    let rest = s.strip_prefix(FIELD)?;
    let (doc, a) = number(rest)?;
    let after = rest[a..].strip_prefix(SEP)?;
    let (field, b) = number(after)?;
    after[b..].strip_prefix(FIELD)?;
    Some(((doc, field), 2 * FIELD.len_utf8() + a + SEP.len_utf8() + b))
}

/// Every (doc, field) mark in `text`.
fn field_marks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(FIELD) {
        match field_mark_at(&rest[i..]) {
            Some((mark, len)) => {
                out.push(mark);
                rest = &rest[i + len..];
            }
            None => rest = &rest[i + FIELD.len_utf8()..],
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

/// The docs whose extra fields a page shows but whose markup could not be cut out of it,
/// with those fields.
pub type Unshown = Vec<(String, Vec<String>)>;

/// Renders each root page of the site with `view` as `site`: (rel, page path, HTML).
pub type Rendered = (String, String, String);

/// Renders each root page the filter keeps (it is given the page's path) with a `site`, its
/// samples uncoloured (`highlight::uncoloured`): what is read is text, elements and each
/// `<pre>`'s text (`parts::samples_in`), which compose highlights again.
pub type RenderPages<'r> = dyn Fn(&crate::liquid::site::SiteView, &(dyn Fn(&str) -> bool + Sync)) -> Vec<Rendered>
    + Sync
    + 'r;

/// The site's markup of each doc, by path, whose layout shows fields endpaper's theme does not.
pub type Markup = BTreeMap<String, DocMarkup>;

/// The descriptions of docs with no markup of their own (`(path, description)`), rendered as
/// the site's layout renders the others': when a doc's markup shows its description through
/// `markdownify` (`DocMarkup::description_html`), the one loop that prints every doc's
/// description renders each. Only descriptions whose text rendering changes (as a doc with
/// markup keeps a plain one as written). None when no layout renders a description.
pub fn rendered_descriptions<'d>(
    markup: &Markup,
    docs: impl Iterator<Item = (&'d str, &'d str)>,
) -> HashMap<String, String> {
    if !markup.values().any(|m| m.description_html.is_some()) {
        return HashMap::new();
    }
    docs.filter(|&(rel, text)| !markup.contains_key(rel) && !page::norm(text).is_empty())
        .filter_map(|(rel, text)| {
            let rendered = crate::liquid::markdown_html(text);
            let shown = page::shown_text(&rendered);
            (shown != page::norm(text)).then(|| (rel.to_string(), rendered))
        })
        .collect()
}

/// Which of each doc's front-matter fields the probe render marks: the texts and flags
/// endpaper's theme does not show that some page, layout or include names and none selects
/// or compares docs by. The structure pass reads [`Fields::of`] before its render, so the
/// one render of the root pages both places the docs (title marks) and probes them
/// ([`Fields::mark`]).
pub struct Fields {
    extra: Vec<Vec<String>>,
    flags: Vec<Vec<String>>,
    /// Every marked text field, sorted: a mark names a field by its index here.
    field_no: Vec<String>,
    texts_named: bool,
    flags_named: bool,
}

impl Fields {
    /// The fields of `docs` (in the order their marks number them) that `templates` may show.
    pub fn of(templates: &[&str], docs: &[&Doc]) -> Self {
        let unselecting = |mut fields: Vec<String>| {
            fields.retain(|f| !compared(templates, last_key(f)));
            fields
        };
        let extra: Vec<Vec<String>> = docs
            .iter()
            .map(|d| unselecting(extra_fields(&d.fm.map())))
            .collect();
        let flags: Vec<Vec<String>> = docs
            .iter()
            .map(|d| unselecting(extra_flags(&d.fm.map())))
            .collect();
        let all: BTreeSet<&str> = extra.iter().flatten().map(String::as_str).collect();
        let all_flags: BTreeSet<&str> = flags.iter().flatten().map(String::as_str).collect();
        let texts_named = !all.is_empty() && named(templates, &all);
        let flags_named = !all_flags.is_empty() && named(templates, &all_flags);
        let field_no = all.iter().map(|f| f.to_string()).collect();
        Fields {
            extra,
            flags,
            field_no,
            texts_named,
            flags_named,
        }
    }

    /// Whether the root pages are probed for which fields they show: the structure render
    /// then carries [`Fields::mark`]'s marks, and hands its pages to [`read`].
    pub fn probed(&self) -> bool {
        self.texts_named
    }

    /// Marks doc `n`'s extra text fields in its site-model value (when [`Fields::probed`]).
    pub fn mark(&self, n: usize, doc: &mut liquid_core::model::Object) {
        let Some(extra) = self.extra.get(n).filter(|_| self.texts_named) else {
            return;
        };
        for f in extra {
            let Ok(k) = self.field_no.binary_search_by(|x| x.as_str().cmp(f)) else {
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
    }
}

/// `html` without the marks [`Fields::mark`] put after field texts: what the render reads
/// as without them, where a field was printed as written.
pub fn unmark_fields(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(FIELD) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(FIELD) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match field_mark_at(after) {
            Some((_, len)) => rest = &after[len..],
            None => {
                out.push(FIELD);
                rest = &after[FIELD.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether `c` is one of a field mark's characters that are no title mark's.
pub(crate) fn is_field_mark(c: char) -> bool {
    c == FIELD || c == SEP
}

/// Reads the site's markup of each doc whose layout shows fields endpaper's theme does not.
/// `probed` are the root pages as the structure pass rendered them with `fields`' marks
/// (when [`Fields::probed`]); `render` renders each root page `wanted` names (by path) with
/// a given `site`; `docs` are the build's docs in the
/// order their marks number them, `site_anchors` the (own, site) anchors the structure
/// pass found. Returns each such doc's markup by path, and the docs
/// whose extra fields a page shows but whose markup could not be cut out (with the fields).
pub fn read(
    engine: &Engine,
    (fields, probed): (&Fields, &[Rendered]),
    (docs, site_anchors): (&[&Doc], &[(&str, &str)]),
    render: &RenderPages,
) -> (Markup, Unshown) {
    let every = |_: &str| true;
    let Fields {
        flags,
        field_no,
        texts_named,
        flags_named,
        ..
    } = fields;
    let (texts_named, flags_named) = (*texts_named, *flags_named);
    if !texts_named && !flags_named {
        return (Markup::new(), Vec::new());
    }
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
    let places_in = |html: &str, els: &[page::El]| {
        let mut places = marks(html);
        places.extend(els.iter().filter_map(|e| {
            let n = *by_anchor.get(e.attrs.get("id")?.as_str())?;
            Some((e.start, n))
        }));
        places.sort_unstable();
        places
    };
    let section_title = |d: &Doc| {
        let decls = engine.config().collections.as_deref().unwrap_or_default();
        decls
            .iter()
            .find(|c| c.label == d.collection)
            .map_or("", |c| c.title.as_str())
    };
    let region_of = |html: &str, els: &[page::El], places: &[(usize, usize)], n: usize| {
        let d = docs[n];
        let names = [d.display_title.as_str(), d.title.as_str(), d.name.as_str()];
        let mut r = region(html, els, places, n, (&names, &d.description, &d.method))?;
        page::cut_section_heading(html, els, &mut r, section_title(d));
        Some(r)
    };
    // (doc → (page, fields shown)), the first page that shows any.
    let mut shown: BTreeMap<usize, (String, BTreeSet<String>)> = BTreeMap::new();
    if texts_named {
        for (rel, _, html) in probed {
            let mut here: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
            for (n, f) in field_marks(&content_text(html)) {
                if n < docs.len() && f < field_no.len() {
                    here.entry(n).or_default().insert(field_no[f].to_string());
                }
            }
            for (n, fs) in here {
                shown.entry(n).or_insert((rel.clone(), fs));
            }
        }
    }
    if flags_named {
        // A flag (`signed: true`) shows nothing of its own but may make the layout show
        // text: a doc's region read with its flags and without them tells.
        let flagged: Vec<usize> = (0..docs.len()).filter(|&n| !flags[n].is_empty()).collect();
        let region_texts = |drop_flags: bool| {
            let site = engine
                .site_with(crate::liquid::site::Content::Empty)
                .map_docs(|path, doc| {
                    let Some(&n) = index.get(path) else { return };
                    mark_title(doc, n, docs[n].fm.map().contains_key("name"));
                    if drop_flags {
                        for f in &flags[n] {
                            doc.remove(f.as_str());
                        }
                    }
                });
            let mut texts: BTreeMap<usize, (String, String)> = BTreeMap::new();
            for (rel, _, html) in render(&site, &every) {
                let els = elements(&html);
                let places = places_in(&html, &els);
                for &n in &flagged {
                    if texts.contains_key(&n) {
                        continue;
                    }
                    if let Some(r) = region_of(&html, &els, &places, n) {
                        let shows = page::visible(&text_of(&html, &r.prose, &r.cut))
                            + &page::visible(&text_of(&html, &r.code, &r.cut));
                        texts.insert(n, (rel.clone(), shows));
                    }
                }
            }
            texts
        };
        let (with, without) = rayon::join(|| region_texts(false), || region_texts(true));
        for n in flagged {
            let Some((page, text)) = with.get(&n) else {
                continue;
            };
            if without.get(&n).is_none_or(|(_, t)| t != text) {
                shown
                    .entry(n)
                    .or_insert_with(|| (page.clone(), BTreeSet::new()))
                    .1
                    .extend(flags[n].iter().cloned());
            }
        }
    }
    if shown.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    let full = engine
        .site_with(crate::liquid::site::Content::Empty)
        .map_docs(|path, doc| {
            let Some(&n) = index.get(path) else { return };
            mark_title(doc, n, docs[n].fm.map().contains_key("name"));
            if shown.contains_key(&n) {
                doc.insert("content".into(), LValue::scalar(CONTENT));
            }
        });
    let mut out = BTreeMap::new();
    // Only a page that showed a doc's fields is read again; a doc whose part is not on it
    // (the page showed its fields in a search page's data or a nav only) is looked for on
    // the site's other pages, once.
    let first = |rel: &str| shown.values().any(|(page, _)| page == rel);
    let mut unplaced: BTreeSet<usize> = shown.keys().copied().collect();
    for pass in [true, false] {
        if unplaced.is_empty() {
            break;
        }
        for (rel, _, html) in &render(&full, &|rel| first(rel) == pass) {
            let here: Vec<usize> = unplaced
                .iter()
                .copied()
                .filter(|n| !pass || shown[n].0 == *rel)
                .collect();
            if here.is_empty() {
                continue;
            }
            let els = elements(html);
            let places = places_in(html, &els);
            for n in here {
                let Some(r) = region_of(html, &els, &places, n) else {
                    continue;
                };
                unplaced.remove(&n);
                out.insert(
                    docs[n].rel.clone(),
                    DocMarkup {
                        page: rel.clone(),
                        fields: shown[&n].1.iter().cloned().collect(),
                        prose: text_of(html, &r.prose, &r.cut),
                        code: text_of(html, &r.code, &r.cut),
                        description_html: r.description_html,
                    },
                );
            }
        }
    }
    drop(full);
    let missing = unplaced
        .into_iter()
        .map(|n| (docs[n].rel.clone(), shown[&n].1.iter().cloned().collect()))
        .collect();
    (out, missing)
}
