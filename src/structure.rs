//! Structure: what a Jekyll site's own layouts and root pages decide, read so that the
//! endpaper theme keeps it.
//!
//! A root page is a page with front matter outside the `_` folders (`index.html`,
//! `internal.html`, `v1.html`). The build renders each one in memory with the site's own
//! layouts through its one Liquid engine and hands the HTML to [`read_page`], which reads
//! off what Jekyll would have published there:
//! - which docs the page lists, in which order: a doc is listed where its anchor appears as
//!   an `id` (the Aviator layouts write `<a id="{{ doc.id | … }}">` for each doc);
//! - every other `id` (and `<a name>`) of the page, each remembered after the doc it follows
//!   (or for the page, before any doc): a reader's old link `#project` or `#sidebar` must
//!   still land, so [`Structure::decorate`] adds the ones endpaper's page lacks as aliases.
//!
//! Each root page that lists docs of the build becomes a reference page of its own at the
//! URL Jekyll gives it ([`output_path`]); the engine's site model holds only the docs of the
//! audience being built, so no doc of another audience can reach one. What was honoured and
//! what was not goes to the migration report ([`Structure::report`]).

use crate::render::PageSection;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One root page of the site, read off its rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootPage {
    /// Site-relative source: `internal.html`.
    pub rel: String,
    /// Output path Jekyll writes it to: `internal/index.html`.
    pub path: String,
    /// Front-matter `title` (empty when none).
    pub title: String,
    /// Anchors of the docs it lists, in its order.
    pub docs: Vec<String>,
    /// Other ids of the page, each with the doc anchor it follows (`None`: before any doc).
    pub ids: Vec<(Option<String>, String)>,
}

/// The root pages of a site, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    pub pages: Vec<RootPage>,
}

/// Where Jekyll writes a page: its front-matter `permalink`, else the site's `permalink`
/// style (`pretty` makes `internal.html` → `internal/index.html`), else the page's path
/// with an `.html` extension.
pub fn output_path(rel: &str, permalink: Option<&str>, site_permalink: &str) -> String {
    if let Some(p) = permalink.map(str::trim).filter(|p| !p.is_empty()) {
        let p = p.trim_start_matches('/');
        return if p.is_empty() || p.ends_with('/') {
            format!("{p}index.html")
        } else {
            p.to_string()
        };
    }
    let (stem, _) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let (dir, base) = stem.rsplit_once('/').map_or(("", stem), |(d, b)| (d, b));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    if base == "index" {
        format!("{dir}index.html")
    } else if site_permalink.trim() == "pretty" {
        format!("{dir}{base}/index.html")
    } else {
        format!("{dir}{base}.html")
    }
}

/// Every fragment target of `html` in document order: each element's `id`, and `name` on
/// `<a>` (HTML's rule; a form field's or a meta's `name` is no anchor). Entities in values
/// are decoded; duplicates are kept once.
pub fn ids(html: &str) -> Vec<String> {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let attrs = tag.attributes();
        let is_a = tag.name().as_utf8_str().eq_ignore_ascii_case("a");
        let mut push = |v: Option<Option<&tl::Bytes>>| {
            if let Some(Some(v)) = v {
                let v = decode_entities(&v.as_utf8_str());
                let v = v.trim();
                if !v.is_empty() && !v.contains(['{', '}']) && seen.insert(v.to_string()) {
                    out.push(v.to_string());
                }
            }
        };
        push(attrs.get("id"));
        if is_a {
            push(attrs.get("name"));
        }
    }
    out
}

/// The few entities an id may carry in real pages (an id is rarely more than a slug).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Reads a rendered root page: the known doc anchors it lists, in order, and its other ids
/// placed after the doc they follow.
pub fn read_page(
    rel: &str,
    path: String,
    title: String,
    html: &str,
    doc_anchors: &HashSet<&str>,
) -> RootPage {
    let mut docs = Vec::new();
    let mut listed = HashSet::new();
    let mut other = Vec::new();
    let mut current: Option<String> = None;
    for id in ids(html) {
        if doc_anchors.contains(id.as_str()) {
            if listed.insert(id.clone()) {
                docs.push(id.clone());
            }
            current = Some(id);
        } else {
            other.push((current.clone(), id));
        }
    }
    RootPage {
        rel: rel.to_string(),
        path,
        title,
        docs,
        ids: other,
    }
}

impl Structure {
    /// The root page written at `path`, if it lists any doc of the build.
    pub fn page_at(&self, path: &str) -> Option<&RootPage> {
        self.pages
            .iter()
            .find(|p| p.path == path && !p.docs.is_empty())
    }

    /// Root pages other than `index.html` that list docs of this build: each becomes a
    /// reference page of its own.
    pub fn extra_pages(&self) -> impl Iterator<Item = &RootPage> {
        self.pages
            .iter()
            .filter(|p| p.path != "index.html" && !p.docs.is_empty())
    }

    /// Adds to endpaper's page at `path` an empty `<span id>` for every id the site's own
    /// page had that this one lacks: a doc's after the doc's own element (the one carrying
    /// `id="ANCHOR"`, per the template contract), the page's at the start of `<body>`. A
    /// doc may sit on another page than its root page (split sites): its aliases follow it.
    pub fn decorate(&self, path: &str, html: String) -> String {
        let mut doc_aliases: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut page_aliases: Vec<&str> = Vec::new();
        for page in &self.pages {
            for (after, id) in &page.ids {
                match after {
                    Some(doc) => doc_aliases.entry(doc.as_str()).or_default().push(id),
                    None if page.path == path => page_aliases.push(id),
                    None => {}
                }
            }
        }
        if doc_aliases.is_empty() && page_aliases.is_empty() {
            return html;
        }
        let mut inserts: Vec<(usize, String)> = Vec::new();
        let mut added = HashSet::new();
        let mut missing = |id: &str, html: &str| {
            !has_id(html, id) && added.insert(id.to_string())
        };
        let spans = |ids: &[&str], missing: &mut dyn FnMut(&str, &str) -> bool| {
            let mut s = String::new();
            for id in ids {
                if missing(id, &html) {
                    s.push_str("<span id=\"");
                    crate::compose::escape_into(&mut s, id);
                    s.push_str("\"></span>");
                }
            }
            s
        };
        if !page_aliases.is_empty() {
            if let Some(at) = open_tag_end(&html, "<body") {
                let s = spans(&page_aliases, &mut missing);
                if !s.is_empty() {
                    inserts.push((at, s));
                }
            }
        }
        for (doc, ids) in &doc_aliases {
            let Some(at) = find_id(&html, doc).and_then(|i| html[i..].find('>').map(|e| i + e + 1))
            else {
                continue;
            };
            let s = spans(ids, &mut missing);
            if !s.is_empty() {
                inserts.push((at, s));
            }
        }
        if inserts.is_empty() {
            return html;
        }
        inserts.sort_by_key(|(at, _)| *at);
        let mut out = String::with_capacity(html.len() + inserts.iter().map(|i| i.1.len()).sum::<usize>());
        let mut last = 0;
        for (at, s) in inserts {
            out.push_str(&html[last..at]);
            out.push_str(&s);
            last = at;
        }
        out.push_str(&html[last..]);
        out
    }

    /// Lines for the migration report: what each root page became, or why it did not.
    pub fn report(&self, audience: &str) -> Vec<String> {
        self.pages
            .iter()
            .map(|p| {
                if p.docs.is_empty() {
                    format!(
                        "{}: lists no doc of the `{audience}` audience; not written by this build",
                        p.rel
                    )
                } else {
                    let aliases = p.ids.len();
                    format!(
                        "{}: written as {} with its {} doc(s) in its order; {aliases} other anchor(s) of the page kept",
                        p.rel,
                        p.path,
                        p.docs.len()
                    )
                }
            })
            .collect()
    }
}

/// The sections of a page listing `docs` (anchors, in the page's order): consecutive docs of
/// one section stay together under its title, a section the page comes back to later opens
/// again there. `None` when the page lists the sections' docs exactly as they are.
pub fn arrange(sections: &[PageSection], docs: &[String]) -> Option<Vec<PageSection>> {
    let in_order: Vec<&str> = sections
        .iter()
        .flat_map(|s| s.docs.iter().map(|d| d.anchor.as_str()))
        .collect();
    if in_order.iter().copied().eq(docs.iter().map(String::as_str)) {
        return None;
    }
    let at: HashMap<&str, (usize, usize)> = sections
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            s.docs
                .iter()
                .enumerate()
                .map(move |(di, d)| (d.anchor.as_str(), (si, di)))
        })
        .collect();
    let mut out: Vec<PageSection> = Vec::new();
    let mut last = None;
    for anchor in docs {
        let Some(&(si, di)) = at.get(anchor.as_str()) else {
            continue;
        };
        if last != Some(si) {
            out.push(PageSection {
                label: sections[si].label.clone(),
                title: sections[si].title.clone(),
                docs: Vec::new(),
            });
            last = Some(si);
        }
        if let Some(s) = out.last_mut() {
            s.docs.push(sections[si].docs[di].clone());
        }
    }
    Some(out)
}

/// Byte offset of ` id="ID"` (as endpaper's templates write it) in `html`.
fn find_id(html: &str, id: &str) -> Option<usize> {
    let mut needle = String::from(" id=\"");
    crate::compose::escape_into(&mut needle, id);
    needle.push('"');
    html.find(&needle)
}

fn has_id(html: &str, id: &str) -> bool {
    if find_id(html, id).is_some() {
        return true;
    }
    let mut needle = String::from(" name=\"");
    crate::compose::escape_into(&mut needle, id);
    needle.push('"');
    html.contains(&needle)
}

/// Offset just past the `>` of the first tag opening with `open` (`<body`).
fn open_tag_end(html: &str, open: &str) -> Option<usize> {
    let i = html.find(open)?;
    html[i..].find('>').map(|e| i + e + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_follow_jekyll_permalinks() {
        assert_eq!(output_path("index.html", None, "pretty"), "index.html");
        assert_eq!(output_path("internal.html", None, "pretty"), "internal/index.html");
        assert_eq!(output_path("internal.html", None, ""), "internal.html");
        assert_eq!(output_path("v1.md", None, "date"), "v1.html");
        assert_eq!(output_path("docs/index.html", None, "pretty"), "docs/index.html");
        assert_eq!(output_path("docs/v2.html", None, "pretty"), "docs/v2/index.html");
        assert_eq!(output_path("x.html", Some("/beta/"), "pretty"), "beta/index.html");
        assert_eq!(output_path("x.html", Some("/"), ""), "index.html");
        assert_eq!(output_path("x.html", Some("/old.html"), ""), "old.html");
    }

    #[test]
    fn ids_are_ids_and_anchor_names_in_order() {
        let html = r#"<div id="sidebar"><input name="q" id="q"><meta name="x"><a name="top">t</a>
            <a id="a&amp;b">x</a><p id="sidebar">dup</p><a id="{{ x }}"></a></div>"#;
        assert_eq!(ids(html), ["sidebar", "q", "top", "a&b"]);
    }

    #[test]
    fn a_page_lists_known_doc_anchors_and_places_other_ids() {
        let known: HashSet<&str> = ["filesupload", "intro"].into();
        let html = r##"<body><button id="open-nav"></button><a href="#intro">nav</a>
            <section><a id="project"></a><a id="intro">Intro</a><h3 id="step-1">s</h3></section>
            <section><a id="filesupload">Upload</a></section><a id="intro"></a></body>"##;
        let p = read_page("v1.html", "v1/index.html".into(), "V1".into(), html, &known);
        assert_eq!(p.docs, ["intro", "filesupload"]);
        assert_eq!(
            p.ids,
            [
                (None, "open-nav".to_string()),
                (None, "project".to_string()),
                (Some("intro".to_string()), "step-1".to_string())
            ]
        );
    }

    #[test]
    fn decorate_adds_only_missing_ids_where_they_belong() {
        let s = Structure {
            pages: vec![RootPage {
                rel: "index.html".into(),
                path: "index.html".into(),
                title: String::new(),
                docs: vec!["intro".into()],
                ids: vec![
                    (None, "sidebar".into()),
                    (None, "ep-main".into()),
                    (Some("intro".into()), "old \"one\"".into()),
                    (Some("gone".into()), "never".into()),
                ],
            }],
        };
        let html = r#"<html><body class="x"><main id="ep-main"><article class="d" id="intro">I</article></main></body></html>"#;
        let out = s.decorate("index.html", html.to_string());
        assert_eq!(
            out,
            r#"<html><body class="x"><span id="sidebar"></span><main id="ep-main"><article class="d" id="intro"><span id="old &quot;one&quot;"></span>I</article></main></body></html>"#
        );
        // Page-level ids belong to their own page only.
        let other = s.decorate("internal/index.html", html.to_string());
        assert!(!other.contains("sidebar"), "{other}");
    }

    #[test]
    fn report_says_what_became_of_each_page() {
        let s = Structure {
            pages: vec![
                read_page("index.html", "index.html".into(), String::new(), r#"<a id="a"></a>"#, &["a"].into()),
                read_page("internal.html", "internal/index.html".into(), String::new(), "<p>none</p>", &["a"].into()),
            ],
        };
        let r = s.report("public");
        assert!(r[0].starts_with("index.html: written as index.html with its 1 doc(s)"), "{r:?}");
        assert!(r[1].contains("no doc of the `public` audience"), "{r:?}");
    }
}
