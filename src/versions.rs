//! Versions of the API, read from the site's own structure: a root page that lists a
//! version's docs (`v1.html` beside `index.html`, or `v1/index.html`) is that version, built
//! at its own path as every root page listing docs is (`structure`); `endpaper: versions:`
//! names them, newest first, where the site's page names do not say it.
//!
//! Each doc is matched with its counterpart in every other version: the doc with the same
//! method and path, else the same doc id (its file name: `_v1_orders/get_order.md` and
//! `_orders/get_order.md`). An endpoint "changed" in a version when its OpenAPI operation
//! (the export's, as `openapi.json` holds it) differs from its counterpart's in the version
//! before: method, path, parameters, request body or responses (descriptions and examples
//! are not the API). The per-doc versions, the header's switcher, `changelog.html` and
//! `changelog.xml` (Atom 1.0) are all read off that one comparison; `check` flags a link
//! from a doc of one version to a doc of another only ([`CROSS_VERSION`]).

use crate::compose::Link;
use crate::config::{Config, VersionDecl};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::error::{Pos, SourceError};
use crate::model::Doc;
use crate::openapi::Operation;
use crate::spool::Spool;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// A link from a doc of one version to a doc only another version has.
pub const CROSS_VERSION: &str = "cross-version-link";
/// A version whose release date is not known (its feed entry has none of its own).
pub const UNDATED: &str = "version-undated";

/// The changelog page and its feed, at the output's root.
pub const CHANGELOG: &str = "changelog.html";
pub const FEED: &str = "changelog.xml";

/// What a versioned site's pages load beside endpaper's own assets (under `assets/`, each
/// overridable in `_endpaper/assets/`): a site without versions is written as before.
pub const ASSETS: &[(&str, &[u8])] = &[
    ("versions.css", include_bytes!("../assets/versions.css")),
    ("versions.js", include_bytes!("../assets/versions.js")),
];

/// A root page as the versions see it: its source, the page it is written to and the
/// anchors of the docs it lists (`structure::RootPage`, without the module: `render` reads
/// versions, and `structure` reads `render`).
pub struct Page<'a> {
    pub rel: &'a str,
    pub path: &'a str,
    pub docs: &'a [String],
}

/// One version: a root page and the docs it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub name: String,
    pub label: String,
    /// The page it is written to: `index.html` for the newest, `v1/index.html`.
    pub path: String,
    pub docs: Vec<String>,
    /// `YYYY-MM-DD` or an RFC 3339 time, when known.
    pub date: Option<String>,
}

/// How an endpoint stands in a version against the version before it.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    /// The oldest version: nothing to compare with.
    First,
    Added,
    Same,
    Changed(Vec<String>),
}

/// One line of the changelog.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    kind: &'static str,
    /// `GET /orders/{id}`, or the doc's name when it is no endpoint.
    what: String,
    name: String,
    /// Where it is: (version, anchor); for a removed one, in the version before.
    at: (usize, String),
    details: Vec<String>,
}

/// The versions of a site and every doc's standing in each.
#[derive(Debug, Clone, PartialEq)]
pub struct Versions {
    pub list: Vec<Version>,
    /// Each doc's counterpart in every version (by version index), with its status there.
    rows: HashMap<String, Vec<Option<(String, Status)>>>,
    /// Per version, what changed since the version before.
    changes: Vec<Vec<Change>>,
    /// Each doc's versions (those whose page lists it).
    of_doc: HashMap<String, Vec<usize>>,
}

/// What the comparison sees of an operation: its method and path, and its parameters,
/// request body and responses without their words (descriptions, examples).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    method: String,
    path: String,
    params: BTreeMap<String, Value>,
    body: Option<Value>,
    responses: BTreeMap<String, Value>,
}

impl Shape {
    /// The shape of an operation as the export wrote it (`json`: its compact JSON).
    pub fn of(method: &str, path: &str, json: &str) -> Shape {
        let op: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let key = format!(
                    "`{}` ({})",
                    p["name"].as_str().unwrap_or(""),
                    p["in"].as_str().unwrap_or("")
                );
                (key, bare(p))
            })
            .collect();
        let responses = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, r)| (status.clone(), bare(r)))
            .collect();
        Shape {
            method: method.to_uppercase(),
            path: path.to_string(),
            params,
            body: op.get("requestBody").map(bare),
            responses,
        }
    }

    /// What changed from `old` to `self`, in words; empty when nothing did.
    pub fn changes_since(&self, old: &Shape) -> Vec<String> {
        let mut out = Vec::new();
        if self.method != old.method {
            out.push(format!("method {} → {}", old.method, self.method));
        }
        if shape_of(&self.path) != shape_of(&old.path) {
            out.push(format!("path {} → {}", old.path, self.path));
        }
        diff_named(&mut out, "parameter", &old.params, &self.params);
        match (&old.body, &self.body) {
            (None, Some(_)) => out.push("request body added".into()),
            (Some(_), None) => out.push("request body removed".into()),
            (Some(a), Some(b)) if a != b => out.push("request body changed".into()),
            _ => {}
        }
        let quoted = |m: &BTreeMap<String, Value>| -> BTreeMap<String, Value> {
            m.iter()
                .map(|(k, v)| (format!("`{k}`"), v.clone()))
                .collect()
        };
        diff_named(
            &mut out,
            "response",
            &quoted(&old.responses),
            &quoted(&self.responses),
        );
        out
    }
}

/// Path templates that differ only in parameter names are the same path.
fn shape_of(path: &str) -> String {
    crate::openapi::document::path_shape(path)
}

fn diff_named(
    out: &mut Vec<String>,
    what: &str,
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) {
    for (k, v) in new {
        match old.get(k) {
            None => out.push(format!("{what} {k} added")),
            Some(o) if o != v => out.push(format!("{what} {k} changed")),
            _ => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push(format!("{what} {k} removed"));
    }
}

/// `v` without what only words say: descriptions, summaries, examples, endpaper's own keys.
fn bare(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "summary" | "example" | "examples" | "title"
                    ) && !k.starts_with("x-")
                })
                .map(|(k, v)| (k.clone(), bare(v)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(bare).collect()),
        v => v.clone(),
    }
}

/// `v1`, `V2`, `1.0`, `v2.1-beta`: a page stem that names a version.
fn is_version_name(s: &str) -> bool {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The name a root page's output path gives it: `v1/index.html`, `v1.html` → `v1`; `None`
/// for a page deeper in the site.
fn page_stem(path: &str) -> Option<&str> {
    let stem = path
        .strip_suffix("/index.html")
        .or_else(|| path.strip_suffix(".html"))?;
    (!stem.contains('/')).then_some(stem)
}

/// Newest first: `v10` before `v9`, `2.1` before `2.0`.
fn newest_first(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<u64> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parts(b).cmp(&parts(a)).then_with(|| a.cmp(b))
}

/// A doc as the comparison sees it: its anchor, doc id (`slug`), names and operation.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub anchor: String,
    pub slug: String,
    pub name: String,
    pub display_title: String,
    pub shape: Option<Shape>,
}

/// An item of a version, with the key it is matched by (method and path shape).
struct Entry<'a> {
    doc: &'a Item,
    key: Option<(String, String)>,
}

/// Reads the versions of a site: `None` when it has none (no `versions:`, no root page
/// named as a version). `pages` are the site's root pages; `docs` the build's, in the
/// model's order, each with its OpenAPI operation when it is an endpoint (its text read
/// from `spool`). A version of `versions:` that no root page lists docs for is an error at
/// its entry. Undated versions are noted in `notes`.
pub fn read(
    config: &Config,
    pages: &[Page],
    site_pages: &[(String, String)],
    docs: &[(&Doc, Option<&Operation>)],
    spool: &Spool,
    notes: &mut Vec<Diagnostic>,
) -> Result<Option<Versions>, SourceError> {
    let listing: Vec<&Page> = pages.iter().filter(|p| !p.docs.is_empty()).collect();
    let index = listing.iter().find(|p| p.path == "index.html");
    // The newest version's docs when no `index.html` lists them: every doc but those of
    // the other versions' own collections, the ones named after the version (`_v1_orders`
    // for `v1`) that its page lists. What else its page lists (guides) is shared.
    let rest = |others: &[(&str, &Page)]| -> Vec<String> {
        let listed: BTreeSet<(&str, &str)> = others
            .iter()
            .flat_map(|(name, p)| p.docs.iter().map(move |a| (*name, a.as_str())))
            .collect();
        docs.iter()
            .map(|(d, _)| d)
            .filter(|d| {
                !others.iter().any(|(name, _)| {
                    listed.contains(&(*name, d.anchor.as_str()))
                        && d.collection.split(['_', '-', '.']).any(|w| w == *name)
                })
            })
            .map(|d| d.anchor.clone())
            .collect()
    };
    let date_of = |rel: &str| -> Option<String> {
        let (_, text) = site_pages.iter().find(|(r, _)| r == rel)?;
        match crate::frontmatter::split(text) {
            crate::frontmatter::Split::Block { yaml, .. } => {
                let fm = crate::frontmatter::parse(yaml, Path::new(rel), 2).ok()?;
                Some(crate::frontmatter::text(fm.get("date")))
                    .filter(|d| !d.trim().is_empty())
                    .map(|d| d.trim().to_string())
            }
            _ => None,
        }
    };
    let mut list: Vec<Version> = Vec::new();
    let decls = &config.options.versions;
    if decls.is_empty() {
        let mut named: Vec<(&str, &Page)> = listing
            .iter()
            .filter_map(|p| Some((page_stem(p.path)?, *p)))
            .filter(|(stem, p)| p.path != "index.html" && is_version_name(stem))
            .collect();
        if named.is_empty() {
            return Ok(None);
        }
        named.sort_by(|a, b| newest_first(a.0, b.0));
        let others: Vec<(&str, &Page)> = named.clone();
        let current = config.options.api_version.trim();
        let current = if current.is_empty() {
            "latest"
        } else {
            current
        };
        list.push(Version {
            name: current.to_string(),
            label: current.to_string(),
            path: "index.html".into(),
            docs: index.map_or_else(|| rest(&others), |p| p.docs.to_vec()),
            date: index.and_then(|p| date_of(p.rel)),
        });
        list.extend(named.iter().map(|(stem, p)| Version {
            name: stem.to_string(),
            label: stem.to_string(),
            path: p.path.to_string(),
            docs: p.docs.to_vec(),
            date: date_of(p.rel),
        }));
    } else {
        let mut found: Vec<(&VersionDecl, Option<&Page>)> = Vec::new();
        for (i, d) in decls.iter().enumerate() {
            let page = pages.iter().find(|p| match &d.page {
                Some(page) => p.rel == page || p.path == page,
                None if i == 0 => p.path == "index.html",
                None => {
                    page_stem(p.path) == Some(&d.name) || crate::site_theme::stem(p.rel) == d.name
                }
            });
            // A version's page that lists no doc of this audience: not a version of this
            // build (the structure's report says the page is not written).
            if i > 0 && page.is_some_and(|p| p.docs.is_empty()) {
                continue;
            }
            let page = page.filter(|p| !p.docs.is_empty());
            let implicit_index =
                i == 0 && page.is_none() && d.page.as_deref().is_none_or(|p| p == "index.html");
            if page.is_none() && !implicit_index {
                let stems: Vec<&str> = listing.iter().filter_map(|p| page_stem(p.path)).collect();
                let hint = diagnostics::closest(&d.name, stems.iter().copied(), |s| s)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                let wanted = d
                    .page
                    .clone()
                    .unwrap_or_else(|| format!("{0}.html` or `{0}/index.html", d.name));
                return Err(SourceError::new(
                    "_config.yml",
                    d.pos,
                    format!(
                        "unknown version `{}` in `endpaper.versions`: no root page `{wanted}` lists docs of this build{hint}",
                        d.name
                    ),
                ));
            }
            found.push((d, page));
        }
        let others: Vec<(&str, &Page)> = found
            .iter()
            .skip(1)
            .filter_map(|(d, p)| Some((d.name.as_str(), (*p)?)))
            .collect();
        for (d, page) in found {
            list.push(Version {
                name: d.name.clone(),
                label: d.label.clone().unwrap_or_else(|| d.name.clone()),
                path: page.map_or("index.html", |p| p.path).to_string(),
                docs: page.map_or_else(|| rest(&others), |p| p.docs.to_vec()),
                date: d.date.clone().or_else(|| page.and_then(|p| date_of(p.rel))),
            });
        }
    }
    if list.len() < 2 {
        return Ok(None);
    }
    for v in &list {
        let undated = v.date.as_deref().is_none_or(|d| rfc3339(d).is_none());
        if undated {
            let (file, pos) = decls
                .iter()
                .find(|d| d.name == v.name)
                .map_or(("_config.yml", Pos::new(1, 1)), |d| ("_config.yml", d.pos));
            notes.push(Diagnostic::note(
                UNDATED,
                file,
                pos,
                format!(
                    "version `{}` has no `date:` (YYYY-MM-DD) in `endpaper.versions` or on its root page: its entry in {FEED} is dated 1970-01-01",
                    v.name
                ),
            ));
        }
    }
    let items: Vec<Item> = docs
        .iter()
        .map(|(d, op)| Item {
            anchor: d.anchor.clone(),
            slug: d.slug.clone(),
            name: d.name.clone(),
            display_title: d.display_title.clone(),
            shape: op
                .map(|o| Shape::of(&o.method, &o.path, &o.json_text(spool).unwrap_or_default())),
        })
        .collect();
    Ok(Some(Versions::compare(list, &items)))
}

/// `2024-05-01` → `2024-05-01T00:00:00Z`; an RFC 3339 time as it is; else `None`.
fn rfc3339(d: &str) -> Option<String> {
    let d = d.trim();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let ymd = d.get(..10)?;
    let ok = ymd.len() == 10
        && digits(&ymd[..4])
        && &ymd[4..5] == "-"
        && digits(&ymd[5..7])
        && &ymd[7..8] == "-"
        && digits(&ymd[8..10]);
    if !ok {
        return None;
    }
    match &d[10..] {
        "" => Some(format!("{ymd}T00:00:00Z")),
        rest if rest.starts_with('T') && (rest.ends_with('Z') || rest.contains(['+', '-'])) => {
            Some(d.to_string())
        }
        _ => None,
    }
}

impl Versions {
    /// Matches every doc across `list` and compares each endpoint with its counterpart in
    /// the version before.
    fn compare(list: Vec<Version>, items: &[Item]) -> Self {
        let by_anchor: HashMap<&str, &Item> =
            items.iter().map(|d| (d.anchor.as_str(), d)).collect();
        let mut of_doc: HashMap<String, Vec<usize>> = HashMap::new();
        let entries: Vec<Vec<Entry>> = list
            .iter()
            .enumerate()
            .map(|(vi, v)| {
                v.docs
                    .iter()
                    .filter_map(|a| by_anchor.get(a.as_str()))
                    .map(|&doc| {
                        of_doc.entry(doc.anchor.clone()).or_default().push(vi);
                        Entry {
                            doc,
                            key: doc
                                .shape
                                .as_ref()
                                .map(|s| (s.method.clone(), shape_of(&s.path))),
                        }
                    })
                    .collect()
            })
            .collect();
        // Per version: endpoint key → entry, doc id → entry, anchor → entry.
        type Lookup<'e> = (
            HashMap<&'e (String, String), usize>,
            HashMap<&'e str, usize>,
            HashMap<&'e str, usize>,
        );
        let lookups: Vec<Lookup> = entries
            .iter()
            .map(|es| {
                let mut keys = HashMap::new();
                let mut slugs = HashMap::new();
                let mut anchors = HashMap::new();
                for (i, e) in es.iter().enumerate() {
                    if let Some(k) = &e.key {
                        keys.entry(k).or_insert(i);
                    }
                    slugs.entry(e.doc.slug.as_str()).or_insert(i);
                    anchors.insert(e.doc.anchor.as_str(), i);
                }
                (keys, slugs, anchors)
            })
            .collect();
        let counterpart = |e: &Entry, vj: usize| -> Option<usize> {
            let (keys, slugs, anchors) = &lookups[vj];
            anchors
                .get(e.doc.anchor.as_str())
                .or_else(|| e.key.as_ref().and_then(|k| keys.get(k)))
                .or_else(|| slugs.get(e.doc.slug.as_str()))
                .copied()
        };
        let what = |e: &Entry| match &e.doc.shape {
            Some(s) => format!("{} {}", s.method, s.path),
            None => e.doc.display_title.clone(),
        };
        let name = |e: &Entry| {
            if e.doc.name.is_empty() {
                e.doc.display_title.clone()
            } else {
                e.doc.name.clone()
            }
        };
        // The status of each entry against the version before (the next in the list).
        let mut status: Vec<Vec<Status>> = Vec::new();
        let mut changes: Vec<Vec<Change>> = Vec::new();
        for (vi, es) in entries.iter().enumerate() {
            let older = vi + 1 < entries.len();
            let mut here = Vec::new();
            let mut log = Vec::new();
            for e in es {
                let s = if !older {
                    Status::First
                } else {
                    match counterpart(e, vi + 1) {
                        None => Status::Added,
                        Some(c) => match (&e.doc.shape, &entries[vi + 1][c].doc.shape) {
                            (Some(new), Some(old)) => match new.changes_since(old) {
                                d if d.is_empty() => Status::Same,
                                d => Status::Changed(d),
                            },
                            (Some(_), None) => Status::Changed(vec!["now an endpoint".into()]),
                            _ => Status::Same,
                        },
                    }
                };
                match &s {
                    Status::Added => log.push(Change {
                        kind: "added",
                        what: what(e),
                        name: name(e),
                        at: (vi, e.doc.anchor.clone()),
                        details: Vec::new(),
                    }),
                    Status::Changed(d) => log.push(Change {
                        kind: "changed",
                        what: what(e),
                        name: name(e),
                        at: (vi, e.doc.anchor.clone()),
                        details: d.clone(),
                    }),
                    _ => {}
                }
                here.push(s);
            }
            if older {
                for old in &entries[vi + 1] {
                    if counterpart(old, vi).is_none() {
                        log.push(Change {
                            kind: "removed",
                            what: what(old),
                            name: name(old),
                            at: (vi + 1, old.doc.anchor.clone()),
                            details: Vec::new(),
                        });
                    }
                }
            }
            status.push(here);
            changes.push(log);
        }
        let mut rows: HashMap<String, Vec<Option<(String, Status)>>> = HashMap::new();
        for es in &entries {
            for e in es {
                if rows.contains_key(&e.doc.anchor) {
                    continue;
                }
                let row = (0..entries.len())
                    .map(|vj| {
                        counterpart(e, vj)
                            .map(|c| (entries[vj][c].doc.anchor.clone(), status[vj][c].clone()))
                    })
                    .collect();
                rows.insert(e.doc.anchor.clone(), row);
            }
        }
        drop(entries);
        Versions {
            list,
            rows,
            changes,
            of_doc,
        }
    }

    /// The docs of the newest version, when its page is endpaper's own index (no root
    /// `index.html` lists them): the index shows those only.
    pub fn index_docs(&self) -> &[String] {
        &self.list[0].docs
    }

    /// The version a page belongs to: the one written there, else the newest (its split
    /// pages and endpoint pages).
    fn version_of_page(&self, path: &str) -> usize {
        self.list.iter().position(|v| v.path == path).unwrap_or(0)
    }

    /// The header's switcher on page `path`: each version with the address of its page.
    pub fn switcher(&self, path: &str) -> Value {
        let here = self.version_of_page(path);
        let root = "../".repeat(path.matches('/').count());
        Value::Array(
            self.list
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    json!({"name": v.name, "label": v.label, "href": format!("{root}{}", v.path),
                           "current": i == here})
                })
                .collect(),
        )
    }

    /// The versions doc `anchor` exists in, seen from page `path`: each with the address of
    /// its counterpart there and whether it was added or changed in it; `None` for a doc of
    /// no version.
    pub fn doc(&self, anchor: &str, path: &str) -> Option<Value> {
        let row = self.rows.get(anchor)?;
        let here = self.version_of_page(path);
        let root = "../".repeat(path.matches('/').count());
        let out: Vec<Value> = row
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| {
                let (to, status) = cell.as_ref()?;
                let v = &self.list[i];
                let href = if v.path == path {
                    format!("#{to}")
                } else {
                    format!("{root}{}#{to}", v.path)
                };
                let (status, changes) = match status {
                    Status::Added => ("added", String::new()),
                    Status::Changed(d) => ("changed", d.join("; ")),
                    _ => ("", String::new()),
                };
                Some(
                    json!({"name": v.name, "label": v.label, "href": href, "current": i == here,
                            "status": status, "changes": changes}),
                )
            })
            .collect();
        Some(Value::Array(out))
    }

    /// A key of everything the versions put on pages, so a `serve` rebuild rewrites a page
    /// whose docs' versions changed.
    pub fn key(&self) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(format!("{:?}", self.list).as_bytes());
        h.update(format!("{:?}", self.changes).as_bytes());
        let rows: BTreeMap<_, _> = self.rows.iter().collect();
        h.update(format!("{rows:?}").as_bytes());
        h.finalize()
    }

    /// The changelog, newest version first, for `changelog.html`: from page `changelog.html`
    /// each change links to its doc in its version.
    pub fn changelog(&self) -> Value {
        Value::Array(
            self.list
                .iter()
                .zip(&self.changes)
                .map(|(v, changes)| {
                    let entries: Vec<Value> = changes
                        .iter()
                        .map(|c| {
                            json!({"kind": c.kind, "what": c.what, "name": c.name,
                                   "href": format!("{}#{}", self.list[c.at.0].path, c.at.1),
                                   "details": c.details})
                        })
                        .collect();
                    json!({"name": v.name, "label": v.label, "date": v.date.as_deref().unwrap_or(""),
                           "anchor": format!("version-{}", v.name), "first": std::ptr::eq(v, self.list.last().expect("a version")),
                           "changes": entries})
                })
                .collect(),
        )
    }

    /// `changelog.xml`: an Atom 1.0 feed with an entry per version, newest first.
    pub fn feed(&self, config: &Config) -> String {
        let esc = crate::html::escape;
        let title = if config.title.trim().is_empty() {
            "API Reference"
        } else {
            config.title.trim()
        };
        let root = crate::seo::site_root(config);
        let page = |rel: &str| match &root {
            Some(r) => format!("{r}{rel}"),
            None => rel.to_string(),
        };
        // An id must be an absolute IRI: the page's address, else a URN of the site's title.
        let id = match &root {
            Some(r) => format!("{r}{CHANGELOG}"),
            None => format!(
                "urn:endpaper:{}:changelog",
                title
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    })
                    .collect::<String>()
            ),
        };
        let updated = |v: &Version| {
            v.date
                .as_deref()
                .and_then(rfc3339)
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
        };
        let newest = self.list.iter().map(updated).max().unwrap_or_default();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        out.push_str(&format!("  <title>{} changelog</title>\n", esc(title)));
        out.push_str(&format!("  <id>{}</id>\n", esc(&id)));
        out.push_str(&format!("  <updated>{newest}</updated>\n"));
        if root.is_some() {
            out.push_str(&format!(
                "  <link rel=\"self\" href=\"{}\"/>\n",
                esc(&page(FEED))
            ));
        }
        out.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&page(CHANGELOG))
        ));
        out.push_str(&format!("  <author><name>{}</name></author>\n", esc(title)));
        for (v, changes) in self.list.iter().zip(&self.changes) {
            let anchor = format!("version-{}", v.name);
            let mut html = String::from("<ul>");
            for c in changes {
                html.push_str(&format!(
                    "<li>{}: <a href=\"{}\">{}</a> {}{}</li>",
                    c.kind,
                    esc(&page(&format!("{}#{}", self.list[c.at.0].path, c.at.1))),
                    esc(&c.what),
                    esc(&c.name),
                    if c.details.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", esc(&c.details.join("; ")))
                    }
                ));
            }
            html.push_str("</ul>");
            let first = std::ptr::eq(v, self.list.last().expect("a version"));
            let html = if changes.is_empty() {
                format!("<p>{}</p>", esc(&first_words(v, first)))
            } else {
                html
            };
            out.push_str("  <entry>\n");
            out.push_str(&format!("    <title>{}</title>\n", esc(&v.label)));
            out.push_str(&format!("    <id>{}#{}</id>\n", esc(&id), esc(&anchor)));
            out.push_str(&format!("    <updated>{}</updated>\n", updated(v)));
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                esc(&page(&format!("{CHANGELOG}#{anchor}")))
            ));
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                esc(&html)
            ));
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }

    /// Findings for each link of a doc to a doc that none of its own versions has (the
    /// page of one version sending its reader into another).
    pub fn link_findings<'l>(
        &self,
        links: impl IntoIterator<Item = (&'l str, &'l Link)>,
        severity: Severity,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (from, link) in links {
            let Some(mine) = self.of_doc.get(from) else {
                continue;
            };
            let Some((path, frag)) = link.dest.rsplit_once('#') else {
                continue;
            };
            if path.contains(':') {
                continue;
            }
            let frag = crate::links::percent_decode(frag).unwrap_or_else(|| frag.to_string());
            let Some(theirs) = self.of_doc.get(&frag) else {
                continue;
            };
            if mine.iter().any(|v| theirs.contains(v)) {
                continue;
            }
            let names = |vs: &[usize]| {
                vs.iter()
                    .map(|&i| format!("`{}`", self.list[i].name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            found.push(Diagnostic {
                severity,
                ..Diagnostic::warning(
                    CROSS_VERSION,
                    &link.file,
                    link.pos,
                    format!(
                        "link to `#{frag}`, a doc of version {} only, from a doc of version {}: the reader leaves the version they are reading",
                        names(theirs),
                        names(mine)
                    ),
                )
            });
        }
        diagnostics::normalize(&mut found);
        found
    }
}

/// What the oldest version's entry says, having nothing to compare with.
fn first_words(v: &Version, first: bool) -> String {
    if first {
        format!("{}: the first version.", v.label)
    } else {
        format!("{}: no change since the version before.", v.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(method: &str, path: &str, op: Value) -> Shape {
        Shape::of(method, path, &op.to_string())
    }

    #[test]
    fn words_are_no_change_but_parameters_responses_method_and_path_are() {
        let base = json!({
            "summary": "List orders",
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer"}, "description": "How many"},
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"type": "object"}, "examples": {"a": {"value": 1}}}}}},
            "x-endpaper-source": "_orders/list.md:2",
            "tags": ["Orders"]
        });
        let old = shape("get", "/orders/{id}", base.clone());
        let mut reworded = base.clone();
        reworded["summary"] = json!("All the orders");
        reworded["parameters"][0]["description"] = json!("At most this many");
        reworded["responses"]["200"]["content"]["application/json"]["examples"] =
            json!({"b": {"value": 2}});
        reworded["x-endpaper-source"] = json!("_v2_orders/list.md:9");
        // A path parameter renamed is the same path.
        let same = shape("get", "/orders/{uuid}", reworded);
        assert_eq!(same.changes_since(&old), Vec::<String>::new());

        let mut changed = base.clone();
        changed["parameters"][0]["schema"]["type"] = json!("string");
        changed["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "cursor", "in": "query"}));
        changed["responses"]["404"] = json!({"description": "Not found"});
        changed["requestBody"] = json!({"content": {}});
        let new = shape("post", "/v2/orders/{id}", changed);
        assert_eq!(
            new.changes_since(&old),
            [
                "method GET → POST",
                "path /orders/{id} → /v2/orders/{id}",
                "parameter `cursor` (query) added",
                "parameter `limit` (query) changed",
                "request body added",
                "response `404` added",
            ]
        );
        assert_eq!(
            old.changes_since(&new)[2..],
            [
                "parameter `limit` (query) changed",
                "parameter `cursor` (query) removed",
                "request body removed",
                "response `404` removed",
            ]
        );
    }

    fn item(anchor: &str, slug: &str, endpoint: Option<(&str, &str, Value)>) -> Item {
        Item {
            anchor: anchor.into(),
            slug: slug.into(),
            name: slug.replace('_', " "),
            display_title: slug.into(),
            shape: endpoint.map(|(m, p, op)| shape(m, p, op)),
        }
    }

    fn version(name: &str, path: &str, docs: &[&str]) -> Version {
        Version {
            name: name.into(),
            label: name.into(),
            path: path.into(),
            docs: docs.iter().map(|d| d.to_string()).collect(),
            date: None,
        }
    }

    /// v2 (the index) and v1 (`v1/index.html`): a shared guide, an endpoint the same in
    /// both, one with a parameter more, one whose method and path changed under one doc id,
    /// one added and one removed.
    fn two_versions() -> Versions {
        let q = |names: &[&str]| json!({"parameters": names.iter().map(|n| json!({"name": n, "in": "query"})).collect::<Vec<_>>()});
        let items = vec![
            item("guide", "guide", None),
            item(
                "get2",
                "get",
                Some(("get", "/o/{id}", json!({"summary": "v2 words"}))),
            ),
            item(
                "get1",
                "get",
                Some(("get", "/o/{uuid}", json!({"summary": "v1 words"}))),
            ),
            item(
                "list2",
                "list",
                Some(("get", "/o", q(&["limit", "cursor"]))),
            ),
            item("list1", "list_v1", Some(("get", "/o", q(&["limit"])))),
            item(
                "ship2",
                "ship",
                Some(("post", "/o/{id}/shipments", json!({}))),
            ),
            item("ship1", "ship", Some(("put", "/o/{id}/ship", json!({})))),
            item("new2", "create", Some(("post", "/o", json!({})))),
            item("gone1", "delete", Some(("delete", "/o/{id}", json!({})))),
        ];
        Versions::compare(
            vec![
                version(
                    "v2",
                    "index.html",
                    &["guide", "get2", "list2", "ship2", "new2"],
                ),
                version(
                    "v1",
                    "v1/index.html",
                    &["guide", "get1", "list1", "ship1", "gone1"],
                ),
            ],
            &items,
        )
    }

    #[test]
    fn endpoints_are_matched_by_method_and_path_else_doc_id_and_compared() {
        let v = two_versions();
        let row = |a: &str| -> Vec<Option<(String, Status)>> { v.rows[a].clone() };
        let at = |a: &str, s: Status| Some((a.to_string(), s));
        assert_eq!(
            row("guide"),
            [at("guide", Status::Same), at("guide", Status::First)]
        );
        // Another doc id, the same method and path: one endpoint; words are no change.
        assert_eq!(
            row("get1"),
            [at("get2", Status::Same), at("get1", Status::First)]
        );
        assert_eq!(
            row("list1")[0],
            at(
                "list2",
                Status::Changed(vec!["parameter `cursor` (query) added".into()])
            )
        );
        // Another method and path, one doc id: the same endpoint, changed.
        assert_eq!(
            row("ship2")[0],
            at(
                "ship2",
                Status::Changed(vec![
                    "method PUT → POST".into(),
                    "path /o/{id}/ship → /o/{id}/shipments".into()
                ])
            )
        );
        assert_eq!(row("new2"), [at("new2", Status::Added), None]);
        assert_eq!(row("gone1"), [None, at("gone1", Status::First)]);
        let log: Vec<(&str, &str)> = v.changes[0]
            .iter()
            .map(|c| (c.kind, c.what.as_str()))
            .collect();
        assert_eq!(
            log,
            [
                ("changed", "GET /o"),
                ("changed", "POST /o/{id}/shipments"),
                ("added", "POST /o"),
                ("removed", "DELETE /o/{id}"),
            ]
        );
        assert!(v.changes[1].is_empty());
        // Seen from v1's page: links to each counterpart, relative to that page.
        let seen = v.doc("list1", "v1/index.html").unwrap();
        assert_eq!(seen[0]["href"], "../index.html#list2");
        assert_eq!(seen[0]["status"], "changed");
        assert_eq!(
            (&seen[1]["href"], &seen[1]["current"]),
            (&json!("#list1"), &json!(true))
        );
        assert_eq!(v.switcher("v1/index.html")[0]["href"], "../index.html");
    }

    #[test]
    fn a_link_into_a_version_the_doc_is_not_in_is_flagged() {
        let v = two_versions();
        let link = |dest: &str| Link {
            dest: dest.into(),
            file: "_v1/list.md".into(),
            pos: Pos::new(3, 4),
        };
        let links = [
            link("#new2"),
            link("#get1"),
            link("#guide"),
            link("../index.html#list2"),
            link("https://x.io/#new2"),
        ];
        let found = v.link_findings(links.iter().map(|l| ("list1", l)), Severity::Error);
        let dests: Vec<&str> = found
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(dests, ["#list2", "#new2"]);
        assert!(found
            .iter()
            .all(|d| d.code == CROSS_VERSION && d.severity == Severity::Error));
        // From a doc both versions have, nothing is out of reach.
        assert!(v
            .link_findings(links.iter().map(|l| ("guide", l)), Severity::Error)
            .is_empty());
    }

    #[test]
    fn version_names_and_their_order() {
        for yes in ["v1", "V2", "1.0", "v2.1-beta", "2024-01"] {
            assert!(is_version_name(yes), "{yes}");
        }
        for no in ["internal", "index", "v", "vintage", ""] {
            assert!(!is_version_name(no), "{no}");
        }
        let mut names = vec!["v1", "v10", "v9", "v2.1", "v2.0"];
        names.sort_by(|a, b| newest_first(a, b));
        assert_eq!(names, ["v10", "v9", "v2.1", "v2.0", "v1"]);
        assert_eq!(page_stem("v1/index.html"), Some("v1"));
        assert_eq!(page_stem("v1.html"), Some("v1"));
        assert_eq!(page_stem("docs/v1/index.html"), None);
    }

    #[test]
    fn feed_dates_are_rfc3339() {
        assert_eq!(
            rfc3339("2024-05-01").as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
        assert_eq!(
            rfc3339("2024-05-01T10:00:00+02:00").as_deref(),
            Some("2024-05-01T10:00:00+02:00")
        );
        for bad in ["May 2024", "2024-5-1", "2024-05-01 10:00"] {
            assert_eq!(rfc3339(bad), None, "{bad}");
        }
    }
}
