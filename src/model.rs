//! Model: the site as the reference shows it — sections in order, docs in order, each doc's
//! anchor, audience and display fields — built from the loaded files. Front matter is parsed
//! here (in parallel); nothing is rendered yet. Docs of other audiences are dropped here,
//! before any later stage can see them, so they cannot leak into any output file.

use crate::config::{zone, CollectionDecl};
use crate::diagnostics::Diagnostic;
use crate::error::{Pos, SourceError};
use crate::frontmatter::{self, Split};
use crate::load::{LoadedSite, RawDoc};
use crate::order::SortKey;
use crate::store::{Fields, Key, Store, SALT};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

mod publish;
pub use crate::config::zone::{epoch_time, fixed_time, site_time, SOURCE_DATE_EPOCH};
pub use publish::{clock_note, clock_notes, reaches_clock, reads_clock, CLOCK, FUTURE_POST};
mod record;
mod sort_by;
mod url;
pub use url::{anchor_of_id, doc_date, posts_permalink, slugify, static_url, DocUrl, Templates};

pub const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "connect",
];

#[derive(Debug, Clone)]
pub struct Doc {
    /// Site-relative source path, `/`-separated.
    pub rel: String,
    pub collection: String,
    /// Jekyll's `doc.id` as Aviator's layouts make it an anchor (`/` and `.` dropped):
    /// `_files/upload.md` → `filesupload`; under `permalink: /#name`, `upload`.
    pub anchor: String,
    /// Jekyll's `url`, `id` and `slug` of the doc (by its permalink rules, `model/url.rs`).
    pub url: String,
    pub id: String,
    pub slug: String,
    /// Shared with the build's per-doc output and pages (never copied).
    pub fm: FrontMatter,
    /// `title` as written (may hold `&ltuuid&gt`).
    pub title: String,
    /// `title` as the reader sees it (entities decoded).
    pub display_title: String,
    pub name: String,
    /// `method` (or `type`), lowercased; may be a label such as `alpha`.
    pub method: String,
    pub description: String,
    pub position: SortKey,
    pub audience: String,
    /// The file's text, held or read again when a stage needs it ([`Texts`]).
    pub text: DocText,
    /// Where the body starts in the text.
    pub body_offset: usize,
    /// The line of `title:` in the file (1 when it has none), where the doc's OpenAPI
    /// operation points.
    pub title_line: usize,
    /// Whether the body names `site` (or `include_relative`, a file that might): only such
    /// a doc's Liquid, if it has any, reads other docs' front matter.
    pub reads_site: bool,
    /// Its URL holds the build's time, so its record serves only a build of that time.
    pub timed: bool,
}

/// The front-matter keys endpaper's pages read (a doc's `security`, the lock beside it).
pub const PAGE_KEYS: &[&str] = &["security"];

/// A doc's parsed front matter. Composing a doc reads all of it (and Liquid may read any
/// doc's), the pages only a few keys: once every doc is made, a one-off build puts in its
/// place the part its pages read ([`FrontMatter::set`]), so the texts of `right_code` and
/// the like are not held to the end of the build. A doc whose model came from the store is
/// not read at all until something reads more than that part (its record `Unread`).
#[derive(Debug)]
pub struct FrontMatter(std::sync::RwLock<Fm>);

#[derive(Debug, Clone)]
enum Fm {
    Parsed(Arc<Map<String, Value>>),
    Unread(Arc<Unread>),
}

/// Where to read a stored doc's front matter again, and its part the pages read.
#[derive(Debug)]
struct Unread {
    path: Arc<std::path::Path>,
    rel: String,
    collection: String,
    front_hash: blake3::Hash,
    page: Arc<Map<String, Value>>,
    context: Arc<Context>,
}

impl FrontMatter {
    pub fn new(fm: Arc<Map<String, Value>>) -> Self {
        FrontMatter(std::sync::RwLock::new(Fm::Parsed(fm)))
    }

    /// The front matter as it is now.
    pub fn map(&self) -> Arc<Map<String, Value>> {
        let unread = match &*self.0.read().unwrap_or_else(|e| e.into_inner()) {
            Fm::Parsed(fm) => return Arc::clone(fm),
            Fm::Unread(u) => Arc::clone(u),
        };
        // The model trusted the file's stat; one changed since is no doc of two versions.
        // The reader gets the part the model kept, and the build fails before it writes.
        let Some(fm) = unread.read() else {
            unread.context.changed(&unread.rel);
            return Arc::clone(&unread.page);
        };
        let fm = Arc::new(fm);
        self.set(Arc::clone(&fm));
        fm
    }

    /// Puts `fm` in the place of the front matter held.
    pub fn set(&self, fm: Arc<Map<String, Value>>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Fm::Parsed(fm);
    }

    /// The part the pages read ([`PAGE_KEYS`]); `none` when it has none of them.
    pub fn page_part(&self, none: &Arc<Map<String, Value>>) -> Arc<Map<String, Value>> {
        let kept = match &*self.0.read().unwrap_or_else(|e| e.into_inner()) {
            Fm::Unread(u) => Arc::clone(&u.page),
            Fm::Parsed(fm) => Arc::new(page_part(fm)),
        };
        if kept.is_empty() {
            Arc::clone(none)
        } else {
            kept
        }
    }
}

fn page_part(fm: &Map<String, Value>) -> Map<String, Value> {
    (PAGE_KEYS.iter())
        .filter_map(|k| Some((k.to_string(), fm.get(*k)?.clone())))
        .collect()
}

impl Unread {
    /// The front matter read from the file again, `None` unless it is the one stored.
    fn read(&self) -> Option<Map<String, Value>> {
        let text = crate::load::read_doc(&self.path, &self.rel, &mut Vec::new()).ok()?;
        let Split::Block {
            yaml,
            yaml_line,
            body_offset,
            ..
        } = frontmatter::split(&text)
        else {
            return None;
        };
        if blake3::hash(&text.as_bytes()[..body_offset]) != self.front_hash {
            return None;
        }
        let fm = zone::front_matter(yaml, self.rel.as_ref(), yaml_line).ok()?;
        let at = || Pos::new(1, 1);
        Some(
            self.context
                .laid_over(fm.0, (&self.rel, &self.collection), at)
                .0,
        )
    }
}

impl Clone for FrontMatter {
    fn clone(&self) -> Self {
        let fm = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        FrontMatter(std::sync::RwLock::new(fm))
    }
}

impl Doc {
    /// A blake3 of the whole text as written: with the doc's place, all its steps read of it.
    pub fn text_hash(&self) -> blake3::Hash {
        self.text.hash
    }

    /// A blake3 of the front-matter block as written (the text before the body), for keys
    /// of what a doc's front matter decides.
    pub fn front_hash(&self) -> blake3::Hash {
        self.text.front_hash
    }

    /// The whole file text, read again from the file when it is not held. A file that
    /// changed since the model read it is an error, not a doc of two versions.
    pub fn text(&self) -> Result<Arc<str>, SourceError> {
        match &self.text.of {
            TextOf::Held(text) => Ok(Arc::clone(text)),
            TextOf::File(path) => {
                let changed = || changed_error(&self.rel);
                let text = crate::load::read_text(path, &self.rel, &mut Vec::new())
                    .map_err(|_| changed())?;
                if blake3::hash(text.as_bytes()) != self.text.hash {
                    return Err(changed());
                }
                Ok(text.into())
            }
        }
    }

    /// The body (the text after the front matter); see [`Doc::text`].
    pub fn body(&self) -> Result<String, SourceError> {
        Ok(self.text()?[self.body_offset..].to_string())
    }
}

/// A doc whose file is no longer the one the model read (edited, or gone, mid-build).
fn changed_error(rel: &str) -> SourceError {
    SourceError::new(rel, Pos::new(1, 1), "changed while building; build again")
}

/// Whether a model holds its docs' texts. A one-off build reads each text twice (for the
/// model's front matter, then for the doc's body when it is composed) rather than hold a
/// whole site's text: at 100,000 docs that was 860 MB of its peak. `serve` holds them, to
/// tell an unchanged doc from a changed one by its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    Held,
    Reread,
}

/// A doc's file text: held ([`Texts::Held`]), or read again from the file
/// ([`Texts::Reread`]), verified by a hash of the whole. The model's fields and the parsed
/// front matter are all a later stage reads without the text.
#[derive(Debug, Clone)]
pub struct DocText {
    of: TextOf,
    hash: blake3::Hash,
    front_hash: blake3::Hash,
}

#[derive(Debug, Clone)]
enum TextOf {
    Held(Arc<str>),
    File(Arc<std::path::Path>),
}

#[derive(Debug, Clone)]
pub struct Section {
    pub label: String,
    pub title: String,
    pub docs: Vec<Doc>,
}

/// The reference for one audience.
#[derive(Debug)]
pub struct Model {
    pub sections: Vec<Section>,
    /// Collection-folder files without front matter, copied as static files when their
    /// collection is visible to the audience.
    pub statics: Vec<String>,
    /// Every collection-folder markdown file without front matter, whatever its audience, as
    /// (label, site-relative path): Jekyll lists them in `site.static_files`.
    pub unread: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every located error; the build fails if any.
    pub errors: Vec<SourceError>,
    /// Docs of other audiences that were left out: (rel, audience, anchor). Used by `check`
    /// to find links that would be dead (and leak) in this audience.
    pub hidden: Vec<(String, String, String)>,
    /// Every audience some doc of the site is built for (so an unknown `--audience` can be
    /// told from one that happens to have no docs).
    pub audiences: std::collections::BTreeSet<String>,
    /// How many docs were read and parsed (the others' model came from the store).
    pub parsed: usize,
    /// The store keys of the docs' models ([`build_with`]), for the build's store to keep.
    pub keys: Vec<Key>,
    context: Option<Arc<Context>>,
}

impl Model {
    /// The first doc whose front matter, read again late in the build, was no longer the
    /// one its stat promised: the build that read it must not be written.
    pub fn changed(&self) -> Option<SourceError> {
        let context = self.context.as_ref()?;
        context
            .changed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Jekyll's title for a doc without one (`populate_title`): the file name without its last
/// extension and without a leading `YYYY-MM-DD-` date, trailing dots dropped, split on `-`,
/// each word capitalized Ruby's way (first letter up, the rest down), joined by spaces.
pub fn title_from_file_name(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, has_ext) = match name.rfind('.') {
        Some(dot) if dot + 1 < name.len() => (&name[..dot], true),
        _ => (name, false),
    };
    fn undated(s: &str) -> Option<&str> {
        let mut parts = s.splitn(4, '-');
        let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let num = |p: &str, lo: usize, hi: usize| {
            (lo..=hi).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        (num(y, 2, 4) && num(m, 1, 2) && num(d, 1, 2)).then_some(rest)
    }
    let slug = if has_ext {
        undated(stem).unwrap_or(stem)
    } else {
        stem
    };
    slug.trim_end_matches('.')
        .split('-')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The audience rule: the collection's visibility, else the doc's, else `public`; when both
/// are set and disagree the non-public one wins, so an internal doc never leaks.
pub fn audience(collection: &str, doc: &str) -> String {
    match (collection.trim(), doc.trim()) {
        ("", "") => "public".into(),
        (c, "") => c.into(),
        ("", d) | ("public", d) => d.into(),
        (c, _) => c.into(),
    }
}

/// Decodes the HTML entities titles use, with or without the trailing `;` (`&ltuuid&gt`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    const NAMED: &[(&str, &str)] = &[
        ("lt", "<"),
        ("gt", ">"),
        ("amp", "&"),
        ("quot", "\""),
        ("apos", "'"),
        ("nbsp", "\u{a0}"),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some((name, ch)) = NAMED.iter().find(|(n, _)| rest.starts_with(n)) {
            out.push_str(ch);
            rest = &rest[name.len()..];
            rest = rest.strip_prefix(';').unwrap_or(rest);
            continue;
        }
        if let Some(num) = rest.strip_prefix('#') {
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (h, 16),
                None => (num, 10),
            };
            let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
            if let Some(c) = u32::from_str_radix(&digits[..len], radix)
                .ok()
                .and_then(char::from_u32)
            {
                out.push(c);
                rest = &digits[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

struct Parsed {
    doc: Option<Doc>,
    /// The doc's own front matter sets `visibility`.
    visible: bool,
    /// `published: false` (or null).
    unpublished: bool,
    /// Taken from the store, not read.
    stored: bool,
    diags: Vec<Diagnostic>,
    error: Option<SourceError>,
    static_file: bool,
    /// Why the doc has no data (its front matter is unterminated or not valid YAML), with
    /// where; the warning is written once the site's use of `visibility` is known.
    lost: Option<(&'static str, Pos, String)>,
}

/// Keeps, of a doc's `security:`, the names of the site's schemes (`endpaper: security:`),
/// which its "Try it" panel offers and its OpenAPI operation asks for; a name the site does
/// not declare, or a value that names none, is dropped with a warning at `pos`.
fn known_security(
    fm: &mut Map<String, Value>,
    schemes: &Map<String, Value>,
    rel: &str,
    pos: impl Fn() -> Pos,
) -> Option<Diagnostic> {
    fm.get("security")?;
    let Some(names) = crate::config::doc_security(fm) else {
        let message = "`security:` names the site's security schemes (`endpaper: security:`), one or a list: it is ignored";
        fm.remove("security");
        return Some(Diagnostic::warning(
            "unknown-security-scheme",
            rel,
            pos(),
            message,
        ));
    };
    let (known, unknown): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| schemes.contains_key(n));
    let first = unknown.first()?;
    let hint = crate::diagnostics::closest(first, schemes.keys(), |k| k.as_str())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    let declared = if schemes.is_empty() {
        "the site declares none".to_string()
    } else {
        format!(
            "known: {}",
            schemes.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    };
    fm.insert(
        "security".into(),
        Value::Array(known.into_iter().map(Value::String).collect()),
    );
    Some(Diagnostic::warning(
        "unknown-security-scheme",
        rel,
        pos(),
        format!("`security:` names `{first}`, no security scheme of `endpaper: security:` ({declared}), so it is left out{hint}"),
    ))
}

/// Jekyll's front-matter `defaults:` from `_config.yml`: `(scope path, scope type, values)`,
/// in the order they apply (least specific first, as Jekyll ranks them), so a doc's own
/// front matter is laid over all matching defaults.
#[derive(Debug, Default)]
pub struct Defaults(Vec<(String, Option<String>, Map<String, Value>)>);

impl Defaults {
    pub fn from_config(raw: &Map<String, Value>) -> Defaults {
        let Some(Value::Array(items)) = raw.get("defaults") else {
            return Defaults::default();
        };
        let mut sets: Vec<(String, Option<String>, Map<String, Value>)> = items
            .iter()
            .filter_map(|item| {
                let values = item.get("values")?.as_object()?.clone();
                let scope = item.get("scope");
                let path = frontmatter::text(scope.and_then(|s| s.get("path")));
                let kind = frontmatter::text(scope.and_then(|s| s.get("type")));
                Some((
                    path.trim_matches('/').to_string(),
                    (!kind.is_empty()).then_some(kind),
                    values,
                ))
            })
            .collect();
        sets.sort_by_key(|(path, kind, _)| (path.len(), kind.is_some()));
        Defaults(sets)
    }

    /// `fm` laid over every default whose scope matches the doc (`rel` in collection `label`).
    pub fn apply(&self, rel: &str, label: &str, fm: Map<String, Value>) -> Map<String, Value> {
        let mut merged = Map::new();
        for (path, kind, values) in &self.0 {
            let path_ok = path.is_empty() || rel == path || rel.starts_with(&format!("{path}/"));
            let kind_ok = kind.as_deref().is_none_or(|k| k == label);
            if path_ok && kind_ok {
                merged.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        if merged.is_empty() {
            return fm;
        }
        merged.extend(fm);
        merged
    }
}

/// What a doc's front matter is laid over: the config's `defaults:` and security schemes.
#[derive(Debug)]
struct Context {
    defaults: Defaults,
    schemes: Map<String, Value>,
    /// The first doc found changed while the build read it: [`Model::changed`].
    changed: std::sync::Mutex<Option<SourceError>>,
}

impl Context {
    fn changed(&self, rel: &str) {
        let mut first = self.changed.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert_with(|| changed_error(rel));
    }

    /// A doc's own front matter laid over the defaults, its `security:` kept to the site's
    /// schemes (with the warning for those it drops, at `at`).
    fn laid_over(
        &self,
        fm: Map<String, Value>,
        (rel, collection): (&str, &str),
        at: impl Fn() -> Pos,
    ) -> (Map<String, Value>, Option<Diagnostic>) {
        let mut fm = self.defaults.apply(rel, collection, fm);
        let warning = known_security(&mut fm, &self.schemes, rel, at);
        (fm, warning)
    }
}

/// A doc's model's store key (`None`: not to be stored), and when made anew its record and
/// the doc's size.
type Stored = (Option<Key>, Option<(String, u64)>);

fn parse_doc(
    raw: &RawDoc,
    (root, texts): (&std::path::Path, Texts),
    (collection_visibility, declared): (&str, &BTreeSet<String>),
    (context, templates): (&Arc<Context>, &Templates),
) -> Parsed {
    let mut diags = Vec::new();
    let none = |diags, static_file| Parsed {
        doc: None,
        visible: false,
        unpublished: false,
        stored: false,
        diags,
        error: None,
        static_file,
        lost: None,
    };
    let path = root.join(&raw.rel);
    let text: Arc<str> = match &raw.text {
        Some(text) => Arc::clone(text),
        None => match crate::load::read_doc(&path, &raw.rel, &mut diags) {
            Ok(text) => text.into(),
            Err(e) => {
                return Parsed {
                    error: Some(e),
                    ..none(diags, false)
                }
            }
        },
    };
    // Jekyll keeps a doc whose front matter it cannot read, with no data (no title, no
    // position, so it sorts first): an unterminated block leaves the whole file as content,
    // a YAML error the text after the block.
    let mut lost = None;
    let (yaml, yaml_line, body_offset) = match frontmatter::split(&text) {
        Split::Block {
            yaml,
            yaml_line,
            body_offset,
            ..
        } => (yaml, yaml_line, body_offset),
        Split::None => {
            // Not a doc, as in Jekyll; but a writer who lost the opening `---` must hear
            // why the doc vanished.
            diags.push(Diagnostic::warning(
                "no-front-matter",
                &raw.rel,
                Pos::new(1, 1),
                "no front matter (a `---` block at the top), so this is not a doc: like Jekyll, it is copied as a static file; add front matter to build it as a doc",
            ));
            return none(diags, true);
        }
        Split::Unterminated => {
            lost = Some((
                "unterminated-front-matter",
                Pos::new(1, 1),
                "its front matter opens with `---` but is never closed (add a closing `---` line)"
                    .to_string(),
            ));
            ("", 2, 0)
        }
    };
    let failed = |diags, e| Parsed {
        doc: None,
        visible: false,
        unpublished: false,
        stored: false,
        diags,
        error: Some(e),
        static_file: false,
        lost: None,
    };
    let fm = match zone::front_matter(yaml, raw.rel.as_ref(), yaml_line) {
        Ok((fm, warnings)) => {
            diags.extend(warnings);
            fm
        }
        Err(e) => {
            let why = e.message.strip_prefix("invalid front matter: ");
            let why = why.unwrap_or(&e.message);
            lost = Some((
                "invalid-front-matter",
                e.pos,
                format!("its front matter does not parse: {why}"),
            ));
            Map::new()
        }
    };
    let line_of = |k: &str| frontmatter::key_line(yaml, k).map_or(yaml_line, |i| yaml_line + i);
    // Its line found only for a warning: a scan of the block per doc is no small part of
    // a rebuild's model.
    let at = || Pos::new(line_of("security"), 1);
    let (fm, warning) = context.laid_over(fm, (&raw.rel, &raw.collection), at);
    diags.extend(warning);
    let field = |k: &str| {
        let v = fm.get(k);
        if let Some(v @ (Value::Array(_) | Value::Object(_))) = v {
            Err(SourceError::new(
                &raw.rel,
                Pos::new(line_of(k), 1),
                format!(
                    "`{k}` must be text, found {}",
                    if v.is_array() { "a list" } else { "a mapping" }
                ),
            ))
        } else {
            Ok(frontmatter::text(v))
        }
    };
    let mut fields = Vec::new();
    for k in [
        "title",
        "name",
        "method",
        "type",
        "description",
        "visibility",
    ] {
        match field(k) {
            Ok(v) => fields.push(v),
            Err(e) => return failed(diags, e),
        }
    }
    let [title, name, method, kind, description, visibility] =
        <[String; 6]>::try_from(fields).unwrap_or_default();
    let method_given = !method.trim().is_empty();
    let method = if method_given { method } else { kind }
        .trim()
        .to_lowercase();
    // Jekyll titles a doc without `title` (absent or null) from its file name; a doc whose
    // YAML failed never gets that far and stays untitled.
    let title_absent = matches!(fm.get("title"), None | Some(Value::Null));
    let title = if title_absent && !matches!(lost, Some(("invalid-front-matter", ..))) {
        title_from_file_name(&raw.rel)
    } else {
        title
    };
    if title_absent && lost.is_none() {
        diags.push(Diagnostic::warning(
            "missing-title",
            &raw.rel,
            Pos::new(yaml_line, 1),
            format!("doc has no `title`; like Jekyll, it is titled from its file name: `{title}`"),
        ));
    } else if title.trim().is_empty() && lost.is_none() {
        diags.push(Diagnostic::warning(
            "missing-title",
            &raw.rel,
            Pos::new(yaml_line, 1),
            "doc has an empty `title`; the reader sees an empty heading",
        ));
    }
    if method_given && !HTTP_METHODS.contains(&method.as_str()) {
        diags.push(Diagnostic::warning(
            "unknown-method",
            &raw.rel,
            Pos::new(line_of("method"), 9),
            format!("`method: {method}` is not an HTTP method (get, post, put, patch, delete, head, options)"),
        ));
    }
    let (cv, dv) = (collection_visibility.trim(), visibility.trim());
    if !cv.is_empty() && !dv.is_empty() && cv != dv {
        diags.push(Diagnostic::warning(
            "visibility-mismatch",
            &raw.rel,
            Pos::new(line_of("visibility"), 13),
            format!("doc says `visibility: {dv}` but its collection `{}` is `{cv}`; it is built for `{}`", raw.collection, audience(cv, dv)),
        ));
    }
    // A doc may have an audience of its own; one a letter away from a collection's is a typo
    // that builds the doc for nobody who reads the site.
    if cv.is_empty() && !dv.is_empty() && !declared.contains(dv) {
        if let Some(meant) = crate::diagnostics::closest(dv, declared, |a| a.as_str()) {
            diags.push(Diagnostic::warning(
                "unknown-audience",
                &raw.rel,
                Pos::new(line_of("visibility"), 13),
                format!("`visibility: {dv}` is no collection's audience, so the doc is built only for `{dv}`; did you mean `{meant}`?"),
            ));
        }
    }
    let position = SortKey::of(fm.get("position").or_else(|| fm.get("position_number")));
    let read = !matches!(lost, Some(("invalid-front-matter", ..)));
    let place = match url::doc_url(
        &raw.rel,
        &raw.collection,
        &fm,
        templates.of(&raw.collection),
        templates.time,
        read,
    ) {
        Ok(place) => place,
        Err(why) if fm.contains_key("permalink") => {
            let pos = Pos::new(line_of("permalink"), 1);
            return failed(diags, SourceError::new(&raw.rel, pos, why));
        }
        Err(why) => {
            let pos = config_line(root, templates.of(&raw.collection));
            let why = format!("{why}; this doc of `{}` uses it", raw.collection);
            return failed(diags, SourceError::new("_config.yml", pos, why));
        }
    };
    let visible = !frontmatter::text(fm.get("visibility")).trim().is_empty();
    let unpublished = matches!(fm.get("published"), Some(Value::Bool(false) | Value::Null));
    let doc = Doc {
        anchor: anchor_of_id(&place.id),
        url: place.url,
        id: place.id,
        slug: place.slug,
        timed: place.timed,
        rel: raw.rel.clone(),
        collection: raw.collection.clone(),
        display_title: decode_entities(title.trim()),
        title,
        name: name.trim().to_string(),
        method,
        description: description.trim().to_string(),
        position,
        audience: audience(collection_visibility, &visibility),
        fm: FrontMatter::new(Arc::new(fm)),
        text: DocText {
            of: match texts {
                Texts::Held => TextOf::Held(Arc::clone(&text)),
                Texts::Reread => TextOf::File(path.into()),
            },
            hash: blake3::hash(text.as_bytes()),
            front_hash: blake3::hash(text[..body_offset].as_bytes()),
        },
        body_offset,
        title_line: frontmatter::key_line(&text[..body_offset], "title").map_or(1, |i| i + 1),
        // Liquid or not: the model sits below `liquid`.
        reads_site: ["site", "include_relative"]
            .iter()
            .any(|w| text[body_offset..].contains(w)),
    };
    Parsed {
        doc: Some(doc),
        visible,
        unpublished,
        stored: false,
        diags,
        error: None,
        static_file: false,
        lost,
    }
}

/// Where `_config.yml` writes `template` (a collection's permalink with a placeholder
/// Jekyll does not know), read again only for that error.
fn config_line(root: &std::path::Path, template: &str) -> Pos {
    let text = std::fs::read_to_string(root.join("_config.yml")).unwrap_or_default();
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(template).map(|c| Pos::new(i + 1, c + 1)))
        .unwrap_or(Pos::new(1, 1))
}

/// Builds the model of `site` for `audience`, reading each doc's text the model does not
/// have yet, and holding the texts or not (`texts`).
pub fn build(site: &LoadedSite, audience_name: &str, texts: Texts) -> Model {
    build_with(
        site,
        audience_name,
        texts,
        &mut Store::default(),
        &Stats::new(),
    )
}

/// Each input's stat as the build's stamp took it, by site-relative path: a doc's is not
/// taken again.
pub type Stats = HashMap<String, std::fs::Metadata>;

/// [`build`], taking each doc's model from `store` while the doc's stat is the one it was
/// recorded under (older than [`store::RACY`](crate::store::RACY), as the stamp trusts a stat), and recording the
/// others there: with [`Texts::Reread`] and a store that is saved.
pub fn build_with(
    site: &LoadedSite,
    audience_name: &str,
    texts: Texts,
    store: &mut Store,
    stats: &Stats,
) -> Model {
    let decls: Vec<CollectionDecl> = match &site.config.collections {
        Some(c) => c.clone(),
        None => {
            let mut labels: Vec<&str> = site.docs.iter().map(|d| d.collection.as_str()).collect();
            labels.dedup();
            labels.sort();
            labels.dedup();
            labels
                .into_iter()
                .map(|l| CollectionDecl {
                    label: l.into(),
                    title: l.into(),
                    position: SortKey::Missing,
                    visibility: String::new(),
                })
                .collect()
        }
    };
    // Jekyll's `posts` collection, which no site declares, when `_posts/` holds posts.
    let mut decls = decls;
    if !decls.iter().any(|d| d.label == "posts")
        && site.docs.iter().any(|d| d.collection == "posts")
    {
        decls.push(CollectionDecl::posts());
    }
    let vis: HashMap<&str, &str> = decls
        .iter()
        .map(|d| (d.label.as_str(), d.visibility.as_str()))
        .collect();
    // The audiences the collections declare (and `public`, every site's default).
    let declared: BTreeSet<String> = decls
        .iter()
        .map(|d| audience(&d.visibility, ""))
        .chain(["public".to_string()])
        .collect();
    let context = Arc::new(Context {
        defaults: Defaults::from_config(&site.config.raw),
        schemes: site.config.options.security.clone(),
        changed: Default::default(),
    });
    let templates = Templates::from_config(&site.config.raw, site.time);
    let cached = (texts == Texts::Reread && store.is_saved()).then(|| {
        let config = format!("{:?}", site.config);
        Fields::of(["model", SALT, &config].map(str::as_bytes)).key()
    });
    let stored: &Store = store;
    let now = templates.time;
    let (parsed, records): (Vec<Parsed>, Vec<Stored>) = site
        .docs
        .par_iter()
        .map(|raw| {
            let key = cached.as_ref().filter(|_| raw.text.is_none());
            let file = (&*site.root.join(&raw.rel), stats.get(&raw.rel));
            let stat = key.and_then(|c| record::stat_key(c, file, raw));
            let key = stat.map(|(k, _)| k);
            let path = || site.root.join(&raw.rel).into();
            if let Some(p) = record::reused(stored, key, raw, path, (&context, now)) {
                return (p, (key, None));
            }
            let p = parse_doc(
                raw,
                (&site.root, texts),
                (
                    vis.get(raw.collection.as_str()).copied().unwrap_or(""),
                    &declared,
                ),
                (&context, &templates),
            );
            let record = stat.and_then(|(_, len)| Some((record::to_record(&p, now)?, len)));
            (p, (key.filter(|_| record.is_some()), record))
        })
        .unzip();
    let mut keys = Vec::new();
    for (key, record) in records {
        keys.extend(key);
        if let (Some(key), Some((record, len))) = (key, record) {
            store.insert_record(key, record);
            // What a record saves is reading its doc: the pack is written again for them
            // as for that many bytes of new entries.
            store.weigh(len);
        }
    }
    // Spilled, not held, as a batch of docs' finished parts are.
    store.end_batch();

    let mut model = Model {
        sections: Vec::new(),
        statics: Vec::new(),
        unread: Vec::new(),
        diagnostics: Vec::new(),
        errors: Vec::new(),
        hidden: Vec::new(),
        audiences: decls.iter().map(|d| audience(&d.visibility, "")).collect(),
        parsed: parsed.iter().filter(|p| !p.stored).count(),
        keys,
        context: Some(Arc::clone(&context)),
    };
    // A site that sorts its docs into audiences shows a doc only for its `visibility`
    // (crux-style layouts filter on it); a doc that lost its front matter has none, so such
    // a site never shows it, while a site without audiences lists it like any other.
    let uses_visibility =
        decls.iter().any(|d| !d.visibility.trim().is_empty()) || parsed.iter().any(|p| p.visible);
    let mut by_collection: HashMap<String, Vec<Doc>> = HashMap::new();
    for (p, raw) in parsed.into_iter().zip(&site.docs) {
        model.diagnostics.extend(p.diags);
        model.errors.extend(p.error);
        let coll_vis = vis.get(raw.collection.as_str()).copied().unwrap_or("");
        if p.static_file {
            model.unread.push((raw.collection.clone(), raw.rel.clone()));
            if audience(coll_vis, "") == audience_name {
                model.statics.push(raw.rel.clone());
            }
        }
        if let Some((code, pos, why)) = p.lost {
            let message = if uses_visibility {
                // Like Jekyll's, a doc without data has no `visibility`: no audience has it.
                format!("this doc is left out of the build: {why}")
            } else {
                format!("{why}; like Jekyll, the doc is kept with no data (no title, no position)")
            };
            model
                .diagnostics
                .push(Diagnostic::warning(code, &raw.rel, pos, message));
            if uses_visibility {
                continue;
            }
        }
        if let Some(doc) = p.doc {
            // Jekyll's `Publisher#publish?`.
            if let Some(note) = publish::left_out(p.unpublished, &doc, &site.config.raw, site.time)
            {
                model.diagnostics.push(note);
                continue;
            }
            model.audiences.insert(doc.audience.clone());
            if doc.audience == audience_name {
                by_collection
                    .entry(doc.collection.clone())
                    .or_default()
                    .push(doc);
            } else {
                model
                    .hidden
                    .push((doc.rel.clone(), doc.audience.clone(), doc.anchor.clone()));
            }
        }
    }

    let mut order: Vec<(usize, &CollectionDecl)> = decls.iter().enumerate().collect();
    order.sort_by(|(ia, a), (ib, b)| a.position.cmp(&b.position).then(ia.cmp(ib)));
    let mut seen: HashMap<String, String> = HashMap::new();
    for (_, decl) in order {
        let Some(mut docs) = by_collection.remove(&decl.label) else {
            continue;
        };
        docs.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.rel.cmp(&b.rel)));
        sort_by::warn(site, &decl.label, &docs, &mut model.diagnostics);
        for doc in &mut docs {
            if let Some(first) = seen.get(&doc.anchor) {
                model.diagnostics.push(Diagnostic::warning(
                    "duplicate-anchor",
                    &doc.rel,
                    Pos::new(1, 1),
                    format!(
                        "anchor `#{}` is already used by {first}; this doc gets `#{}-2`",
                        doc.anchor, doc.anchor
                    ),
                ));
                let mut n = 2;
                while seen.contains_key(&format!("{}-{n}", doc.anchor)) {
                    n += 1;
                }
                doc.anchor = format!("{}-{n}", doc.anchor);
            }
            seen.insert(doc.anchor.clone(), doc.rel.clone());
        }
        // Held for the whole build: not the slack its pushes left.
        docs.shrink_to_fit();
        model.sections.push(Section {
            label: decl.label.clone(),
            title: decl.title.clone(),
            docs,
        });
    }
    model
}

#[cfg(test)]
mod tests;
