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
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

mod feed;
mod shape;

use shape::shape_of;
pub use shape::Shape;

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
    ("versions.css", include_bytes!("../../assets/versions.css")),
    ("versions.js", include_bytes!("../../assets/versions.js")),
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

/// `v1`, `V2`, `1.0`, `v2.1-beta`: a page stem that names a version.
pub fn is_version_name(s: &str) -> bool {
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
                    &*link.file,
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

#[cfg(test)]
mod tests;
