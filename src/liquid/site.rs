//! The site model as Liquid sees it, built like Jekyll's `site` and document drops:
//! - `site.*`: every `_config.yml` key, over Jekyll 4.3's defaults (a key with none is nil),
//!   and `site.time`;
//! - `site.data`: `_data/**/*.yml|yaml|json|csv`, nested by folder, keyed by file stem;
//! - `site.<label>`: each collection's docs in Jekyll's order (`order:`, `sort_by:`, else date
//!   then path: `sort`);
//! - `site.documents`: every collection's docs, then its static files (Jekyll merges
//!   `docs` and `files`), collections in `_config.yml`'s order;
//! - `site.pages`: the site's pages (files with front matter outside the `_` folders), each
//!   as its page drop, sorted by file name as Jekyll's `Reader#sort_files!` sorts them;
//!   `site.html_pages` those written as HTML; `site.static_files` the root files copied as
//!   they are, sorted by path, then each collection's files that are no doc;
//! - `site.collections`: one object per collection with `label`, `docs`, `files`, `relative_directory`
//!   and the collection's `_config.yml` keys (`output` as Jekyll's `write?` reads it);
//! - a doc: every front-matter key plus `id`, `url`, `collection`, `content` (the body),
//!   `excerpt`, `path`, `relative_path`, `slug` and `name` (the file name; the last two
//!   unless the front matter sets them).
//!
//! Only the docs of the audience being built are in the model, so a template cannot list a
//! doc of another audience.

use crate::config::Config;
use crate::error::{Pos, SourceError};
use crate::frontmatter::KeyOrder;
use crate::load::LoadedSite;
use crate::model::{Doc, Section};
use liquid_core::model::{
    DateTime, DisplayCow, KString, KStringCow, Object, ObjectRender, ObjectSource, ObjectView,
    State, Value as LValue, ValueView,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

mod sort;
mod view;
pub use view::SiteView;
use view::{Collection, Documents, Maker};

/// What the engine is built from.
#[derive(Debug, Clone, Copy)]
pub struct SiteInputs<'a> {
    pub config: &'a Config,
    /// `_includes/` files by path under it.
    pub includes: &'a BTreeMap<String, String>,
    /// `_data/` files by path under it.
    pub data: &'a BTreeMap<String, String>,
    /// The collections of the audience being built, with their docs.
    pub sections: &'a [Section],
    /// The loaded site, for `site.pages` and `site.static_files` (empty without one: an
    /// engine made from includes alone).
    pub loaded: Option<&'a LoadedSite>,
    /// Makes `site.pages`, `site.html_pages` and `site.static_files` from `loaded`, the
    /// first time a template reads one: the layer that parses root pages (`site_theme`),
    /// which itself renders through this engine, hands it down.
    pub root_files: Option<fn(&LoadedSite) -> RootFiles>,
}

/// Parses every data file into `site.data`, each mapping's keys in the order the file
/// writes them (as Jekyll's Ruby hashes keep them).
pub fn data(files: &BTreeMap<String, String>) -> Result<LValue, SourceError> {
    let mut root = Object::new();
    for (path, text) in files {
        let rel = format!("_data/{path}");
        let Some((stem, ext)) = path.rsplit_once('.') else {
            continue;
        };
        let value = match ext.to_ascii_lowercase().as_str() {
            "yml" | "yaml" => ordered(
                &crate::frontmatter::parse_value(text, Path::new(&rel))?,
                &crate::frontmatter::key_order(text),
            ),
            "json" => {
                let value = serde_json::from_str(text).map_err(|e| {
                    SourceError::new(
                        &rel,
                        Pos::new(e.line().max(1), e.column().max(1)),
                        format!("invalid JSON: {e}"),
                    )
                })?;
                ordered(&value, &serde_json::from_str(text).unwrap_or_default())
            }
            "csv" | "tsv" => csv(text, &rel, if ext == "tsv" { b'\t' } else { b',' })?,
            _ => continue,
        };
        let mut parts: Vec<&str> = stem.split('/').collect();
        let Some(last) = parts.pop() else { continue };
        let mut node = &mut root;
        for p in parts {
            let entry = node
                .entry(p.to_string())
                .or_insert_with(|| LValue::Object(Object::new()));
            if entry.as_object().is_none() {
                *entry = LValue::Object(Object::new());
            }
            let LValue::Object(o) = entry else {
                unreachable!("made an object above")
            };
            node = o;
        }
        node.insert(last.to_string().into(), value);
    }
    Ok(LValue::Object(root))
}

/// `value` as a Liquid value, each mapping's keys in `order` (the order its text writes
/// them), then any key the text does not write (a default laid over it).
pub fn ordered(value: &Value, order: &KeyOrder) -> LValue {
    match value {
        Value::Object(m) if !order.is_empty() => {
            let mut out = Object::new();
            for (k, o) in &order.keys {
                if let Some(v) = m.get(k) {
                    out.insert(KString::from_ref(k), ordered(v, o));
                }
            }
            for (k, v) in m {
                if !out.contains_key(k.as_str()) {
                    out.insert(KString::from_ref(k), ordered(v, &KeyOrder::default()));
                }
            }
            LValue::Object(out)
        }
        Value::Array(items) if !order.is_empty() => LValue::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| ordered(v, order.item(i)))
                .collect(),
        ),
        _ => liquid_core::model::to_value(value).unwrap_or(LValue::Nil),
    }
}

/// `map` as a Liquid object: its own keys as they are, each value's keys in the written
/// `order` ([`ordered`]).
fn nested(map: &Map<String, Value>, order: &KeyOrder) -> Object {
    map.iter()
        .map(|(k, v)| (KString::from_ref(k), ordered(v, order.of(k))))
        .collect()
}

/// A CSV file as Jekyll reads it: a list of rows, each a mapping from the header's names,
/// in the header's order.
fn csv(text: &str, rel: &str, delimiter: u8) -> Result<LValue, SourceError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e, rel))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e, rel))?;
        let row: Object = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (KString::from_ref(h), LValue::scalar(v.to_string())))
            .collect();
        rows.push(LValue::Object(row));
    }
    Ok(LValue::Array(rows))
}

fn csv_error(e: &::csv::Error, rel: &str) -> SourceError {
    let line = e.position().map_or(1, |p| p.line() as usize);
    SourceError::new(rel, Pos::new(line.max(1), 1), format!("invalid CSV: {e}"))
}

/// What a doc's `content` and `excerpt` hold in a site model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// The doc's body, as a doc sees `page.content` before conversion.
    Body,
    /// Empty, for a caller that puts each doc's rendered HTML there itself (the site
    /// theme).
    Empty,
    /// An outline: `content` empty and every front-matter text but the title cut to its
    /// first [`OUTLINE_TEXT`] bytes, for a pass that only reads which docs a page lists,
    /// in which order (a condition on a key still sees it set): a copy of every body and
    /// sample would add a third to the build's memory for nothing.
    Outline,
}

/// How much of a front-matter text an outline keeps.
pub const OUTLINE_TEXT: usize = 64;

/// `v` with every string cut to [`OUTLINE_TEXT`] bytes (on a character boundary).
fn outline(v: &mut Value) {
    match v {
        Value::String(s) if s.len() > OUTLINE_TEXT => {
            let mut end = OUTLINE_TEXT;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
        }
        Value::Array(a) => a.iter_mut().for_each(outline),
        Value::Object(m) => m.values_mut().for_each(outline),
        _ => {}
    }
}

/// A doc as Jekyll's document drop shows it.
pub fn doc(doc: &Doc, content: Content, orders: &FrontOrders) -> LValue {
    // A text that cannot be read again reads as empty here: composing the doc reads it
    // too, and reports it.
    let text = (content == Content::Body)
        .then(|| doc.text().ok())
        .flatten();
    let body = text
        .as_ref()
        .map_or_else(String::new, |t| t[doc.body_offset..].to_string());
    doc_in(doc, content, body, text.as_deref(), orders)
}

/// [`doc`] of a doc whose whole file text the caller has read already.
pub fn doc_with_text(doc: &Doc, content: Content, text: &str, orders: &FrontOrders) -> LValue {
    let body = text[doc.body_offset..].to_string();
    doc_in(doc, content, body, Some(text), orders)
}

/// Each doc's front-matter key order, read once per engine: every site model and each
/// doc's `page` would parse the doc's front matter again for it. With it the build's time
/// (`site.time`), taken once: an undated doc's `date` is that same time.
#[derive(Debug)]
pub struct FrontOrders(Mutex<HashMap<String, Arc<KeyOrder>>>, pub DateTime);

impl FrontOrders {
    /// The time is the loaded site's (`LoadedSite::time`); an engine of includes alone,
    /// with no site loaded, reads it itself.
    pub fn new(inputs: &SiteInputs) -> Self {
        let time = inputs
            .loaded
            .map_or_else(|| crate::model::site_time(&inputs.config.raw), |l| l.time);
        FrontOrders(Mutex::default(), time)
    }

    /// `doc`'s order, from `text` (its whole file) or else its file read again; `None`
    /// when that cannot be read (composing the doc reports it).
    fn of(&self, doc: &Doc, text: Option<&str>) -> Option<Arc<KeyOrder>> {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = lock().get(&doc.rel) {
            return Some(Arc::clone(o));
        }
        let mut order = match text {
            Some(t) => front_order(t),
            None => front_order(&doc.text().ok()?),
        };
        // Only what is inside a key is laid out by it (`nested`): a scalar key's place is
        // not kept for every doc of the build.
        order.keys.retain(|_, inner| !inner.is_empty());
        let order = Arc::new(order);
        lock().insert(doc.rel.clone(), Arc::clone(&order));
        Some(order)
    }
}

/// Whether a front matter holds a mapping below its top level, whose keys a template may
/// go through in written order (most docs hold none, and their text is not read for it).
fn has_mapping(fm: &Map<String, Value>) -> bool {
    fn holds(v: &Value) -> bool {
        match v {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().any(holds),
            _ => false,
        }
    }
    fm.values().any(holds)
}

/// The written order of the front matter of a doc's text.
fn front_order(text: &str) -> KeyOrder {
    match crate::frontmatter::split(text) {
        crate::frontmatter::Split::Block { yaml, .. } => crate::frontmatter::key_order(yaml),
        _ => KeyOrder::default(),
    }
}

fn doc_in(
    doc: &Doc,
    content: Content,
    body: String,
    text: Option<&str>,
    orders: &FrontOrders,
) -> LValue {
    let fm = doc.fm.map();
    let mut m = (*fm).clone();
    if content == Content::Outline {
        // Titles stay whole: they name the doc (and the structure pass marks them).
        for (k, v) in m.iter_mut() {
            if k != "title" {
                outline(v);
            }
        }
    }
    let label = &doc.collection;
    let excerpt = body
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .to_string();
    let fields = [
        // Jekyll's, by its permalink rules (`model::url`).
        ("id", doc.id.clone()),
        ("url", doc.url.clone()),
        ("collection", label.clone()),
        ("content", body),
        ("excerpt", excerpt),
        ("path", doc.rel.clone()),
        ("relative_path", doc.rel.clone()),
        ("slug", doc.slug.clone()),
        // Jekyll 4's document drop: the file name, extension kept.
        (
            "name",
            doc.rel.rsplit('/').next().unwrap_or(&doc.rel).to_string(),
        ),
    ];
    for (k, v) in fields {
        if (k == "slug" || k == "name") && m.contains_key(k) {
            continue;
        }
        m.insert(k.to_string(), Value::String(v));
    }
    // An outline only decides which docs a page lists: its mappings stay in key order, and
    // no doc's text is read for them.
    let order = (content != Content::Outline && has_mapping(&fm))
        .then(|| orders.of(doc, text))
        .flatten();
    let mut doc_value = nested(&m, order.as_deref().unwrap_or(&KeyOrder::default()));
    // Jekyll's `date` is a time, whatever the front matter wrote (`post.date` of a post
    // whose date is only in its file name); a doc that gives none has the site's time
    // (`Document#date`), one whose date reads as no time has none.
    let date =
        crate::model::doc_date(&doc.rel, &fm).or((!fm.contains_key("date")).then_some(orders.1));
    if let Some(date) = date {
        doc_value.insert("date".into(), LValue::scalar(date));
    }
    LValue::Object(doc_value)
}

/// A page's front matter `fm` (with the fields Jekyll adds) as Liquid sees it, `text` the
/// page's whole file: its own keys as they are (a drop lists them in its own order), each
/// mapping inside in the order `text` writes it.
pub fn front_matter(fm: &Map<String, Value>, text: &str) -> LValue {
    let order = if has_mapping(fm) {
        front_order(text)
    } else {
        KeyOrder::default()
    };
    LValue::Object(nested(fm, &order))
}

/// `site`, with each doc's `content` as `content` says and the pages and static files of
/// `files` (made once per build, [`SiteInputs::root_files`]). A collection's docs are made
/// Liquid values when a template first reads them, each as soon as it is made: a site's docs
/// are most of `site`, and holding them as JSON while converting them doubled the model's
/// memory for a moment.
pub fn site<'a>(
    inputs: &SiteInputs<'a>,
    data: &LValue,
    files: &RootFiles,
    content: Content,
    orders: &Arc<FrontOrders>,
) -> SiteView<'a> {
    let liquid = |v: &Value| liquid_core::model::to_value(v).unwrap_or(LValue::Nil);
    let object = |m: Map<String, Value>| match liquid(&Value::Object(m)) {
        LValue::Object(o) => o,
        _ => Object::new(),
    };
    let declared = inputs.config.raw.get("collections");
    let mut collections = Vec::new();
    let mut labels = Vec::new();
    // Jekyll lists its collections sorted by label (`SiteDrop#collections`), `posts` among
    // them even on a site without posts (`add_default_collections`).
    let maker = Arc::new(Maker {
        content,
        orders: Arc::clone(orders),
        maps: Vec::new(),
    });
    let mut listed: Vec<(&str, &'a [Doc])> = inputs
        .sections
        .iter()
        .map(|s| (s.label.as_str(), s.docs.as_slice()))
        .collect();
    if !listed.iter().any(|(l, _)| *l == "posts") {
        listed.push(("posts", &[]));
    }
    listed.sort_by(|a, b| a.0.cmp(b.0));
    for (label, docs) in listed {
        let mut docs: Vec<&Doc> = docs.iter().collect();
        docs.sort_by(|a, b| a.rel.cmp(&b.rel));
        let label = &label.to_string();
        let mut c = match declared.and_then(|d| d.get(label)) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let sort = (label.clone(), c.clone());
        if label == "posts" {
            let style = crate::frontmatter::text(inputs.config.raw.get("permalink"));
            c.insert("output".into(), Value::Bool(true));
            c.entry("permalink")
                .or_insert_with(|| Value::String(crate::model::posts_permalink(&style)));
        }
        c.insert("label".into(), Value::String(label.clone()));
        c.insert(
            "relative_directory".into(),
            Value::String(format!("_{label}")),
        );
        c.insert("directory".into(), Value::String(format!("_{label}")));
        // Jekyll's `Collection#write?`: `!!metadata["output"]`, Ruby's truth (only nil and
        // false are false: `output: "yes"` is true).
        let output = !matches!(
            c.get("output"),
            None | Some(Value::Null | Value::Bool(false))
        );
        c.insert("output".into(), Value::Bool(output));
        let mut c = object(c);
        // `collection.files`: its static files (made with `site.static_files`).
        let own = files.static_files.iter().filter(|f| {
            f.as_object()
                .and_then(|o| o.get("collection"))
                .is_some_and(|c| c.to_kstr() == label.as_str())
        });
        c.insert("files".into(), LValue::Array(own.cloned().collect()));
        c.insert("docs".into(), LValue::Nil);
        collections.push(Collection {
            fields: c,
            source: docs,
            sort,
            docs: OnceLock::new(),
            maker: Arc::clone(&maker),
        });
        labels.push(KString::from_ref(label));
    }
    let mut fields = nested(&jekyll_config(&inputs.config.raw), &inputs.config.key_order);
    // Placeholders: `SiteView::field` answers these two.
    fields.insert("collections".into(), LValue::Nil);
    fields.insert("documents".into(), LValue::Nil);
    fields.insert("data".into(), data.clone());
    fields.insert("time".into(), LValue::scalar(orders.1));
    if inputs.loaded.is_some() {
        fields.insert("pages".into(), LValue::Array(files.pages.clone()));
        fields.insert("html_pages".into(), LValue::Array(files.html_pages.clone()));
        fields.insert(
            "static_files".into(),
            LValue::Array(files.static_files.clone()),
        );
    }
    // Defaults under config keys of their names; a collection of that name hides both.
    for empty in ["pages", "html_pages", "posts", "static_files"] {
        fields.entry(empty).or_insert(LValue::Array(Vec::new()));
    }
    for empty in ["tags", "categories"] {
        fields.entry(empty).or_insert(LValue::Object(Object::new()));
    }
    let order = documents_order(&labels, inputs.loaded);
    SiteView {
        fields,
        docs: Documents {
            collections,
            order,
            posts: OnceLock::new(),
        },
        labels,
    }
}

/// Jekyll's order of collections in `Site#documents`: `posts` first
/// (`add_default_collections`), then as `_config.yml` declares them; a collection it does
/// not declare comes last, by label.
fn documents_order(labels: &[KString], loaded: Option<&LoadedSite>) -> Vec<usize> {
    let declared = loaded.map_or(&[][..], |l| l.collection_order.as_slice());
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| {
        let label = labels[i].as_str();
        let at = declared.iter().position(|d| d == label);
        (label != "posts", at.is_none(), at, label)
    });
    order
}

/// `site.pages`, `site.html_pages` and `site.static_files`.
#[derive(Debug, Clone, Default)]
pub struct RootFiles {
    pages: Vec<liquid_core::Value>,
    html_pages: Vec<liquid_core::Value>,
    static_files: Vec<liquid_core::Value>,
}

impl RootFiles {
    /// `site.pages` (in Jekyll's order), `site.html_pages` and `site.static_files` as the
    /// layer that reads root pages makes them ([`SiteInputs::root_files`]).
    pub fn new(
        pages: Vec<liquid_core::Value>,
        html_pages: Vec<liquid_core::Value>,
        static_files: Vec<liquid_core::Value>,
    ) -> Self {
        RootFiles {
            pages,
            html_pages,
            static_files,
        }
    }
}

/// Root static files, sorted by path, as Jekyll 4.3's `StaticFileDrop`s.
pub fn static_files(loaded: &LoadedSite) -> Vec<liquid_core::Value> {
    let mut statics: Vec<&String> = loaded.statics.iter().collect();
    statics.sort();
    statics
        .into_iter()
        .map(|rel| static_file(&loaded.root, rel, None))
        .collect()
}

/// A path's file name.
pub fn name_of(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// A static file as Jekyll 4.3's `StaticFileDrop` shows it: `modified_time` the file's (nil
/// when it cannot be read); a root file's `path` from the site's root with a leading `/` and
/// no collection, a collection's file's `path` as it is (`_widgets/a.svg`) and its label.
pub fn static_file(root: &Path, rel: &str, collection: Option<&str>) -> liquid_core::Value {
    use liquid_core::model::{Object, Value as LValue};
    let name = name_of(rel);
    let (basename, extname) = match name.rsplit_once('.') {
        Some((b, e)) if !b.is_empty() => (b, format!(".{e}")),
        _ => (name, String::new()),
    };
    let modified = std::fs::metadata(root.join(rel))
        .and_then(|m| m.modified())
        .map_or(LValue::Nil, |t| {
            let mut time = liquid_core::model::DateTime::now();
            *time = t.into();
            LValue::scalar(crate::config::zone::local(time))
        });
    let mut o = Object::new();
    let path = match collection {
        None => format!("/{rel}"),
        Some(_) => rel.to_string(),
    };
    for (k, v) in [
        ("path", path),
        ("name", name.to_string()),
        ("basename", basename.to_string()),
        ("extname", extname),
    ] {
        o.insert(k.into(), LValue::scalar(v));
    }
    o.insert("modified_time".into(), modified);
    o.insert(
        "collection".into(),
        collection.map_or(LValue::Nil, |c| LValue::scalar(c.to_string())),
    );
    LValue::Object(o)
}

/// Jekyll 4.3's `Configuration::DEFAULTS` that do not depend on the machine.
const JEKYLL_DEFAULTS: &str = r#"{
    "collections_dir": "", "cache_dir": ".jekyll-cache", "plugins_dir": "_plugins",
    "layouts_dir": "_layouts", "data_dir": "_data", "includes_dir": "_includes",
    "safe": false, "include": [".htaccess"], "exclude": [], "keep_files": [".git", ".svn"],
    "encoding": "utf-8", "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "strict_front_matter": false, "show_drafts": null, "limit_posts": 0, "future": false,
    "unpublished": false, "whitelist": [], "plugins": [], "markdown": "kramdown",
    "highlighter": "rouge", "lsi": false, "excerpt_separator": "\n\n",
    "incremental": false, "detach": false, "port": "4000", "host": "127.0.0.1",
    "baseurl": null, "show_dir_listing": false, "permalink": "date",
    "paginate_path": "/page:num", "timezone": null, "quiet": false, "verbose": false,
    "defaults": [],
    "liquid": {"error_mode": "warn", "strict_filters": false, "strict_variables": false},
    "kramdown": {
        "auto_ids": true, "toc_levels": [1, 2, 3, 4, 5, 6], "entity_output": "as_char",
        "smart_quotes": "lsquo,rsquo,ldquo,rdquo", "input": "GFM", "hard_wrap": false,
        "guess_lang": true, "footnote_nr": 1, "show_warnings": false
    }
}"#;

/// The configuration Jekyll 4.3 gives templates: `_config.yml` deep-merged over
/// `Configuration::DEFAULTS`, with the default excludes appended (`add_default_excludes`)
/// and kramdown's highlighter options filled in as its parser fills them. A key Jekyll has
/// no default for (`url`, `baseurl`) stays nil, so `{% if site.baseurl %}` is false on a
/// site that never set it. `source` and `destination` (absolute paths of the machine) are
/// left out.
fn jekyll_config(raw: &Map<String, Value>) -> Map<String, Value> {
    let mut config: Map<String, Value> =
        serde_json::from_str(JEKYLL_DEFAULTS).expect("the defaults are valid JSON");
    deep_merge(&mut config, raw);
    if let Some(Value::Array(exclude)) = config.get_mut("exclude") {
        for d in [
            ".sass-cache",
            ".jekyll-cache",
            "gemfiles",
            "Gemfile",
            "Gemfile.lock",
            "node_modules",
            "vendor/bundle/",
            "vendor/cache/",
            "vendor/gems/",
            "vendor/ruby/",
        ] {
            if !exclude.iter().any(|e| e.as_str() == Some(d)) {
                exclude.push(Value::String(d.into()));
            }
        }
    }
    let highlighter = config.get("highlighter").cloned();
    if let Some(Value::Object(k)) = config.get_mut("kramdown") {
        let guess = k.get("guess_lang").cloned().unwrap_or(Value::Null);
        k.entry("syntax_highlighter")
            .or_insert(highlighter.unwrap_or(Value::Null));
        let opts = k
            .entry("syntax_highlighter_opts")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(o) = opts {
            o.entry("default_lang").or_insert("plaintext".into());
            o.insert("guess_lang".into(), guess);
        }
        k.entry("coderay")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    config
}

/// Jekyll's `Utils.deep_merge_hashes`: `over`'s keys replace `base`'s, mappings merged.
fn deep_merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => deep_merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}
