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
//! URL Jekyll gives it ([`site_theme::output_path`]); the engine's site model holds only the docs of the
//! audience being built, so no doc of another audience can reach one. What was honoured and
//! what was not goes to the migration report ([`Structure::report`]).

use crate::frontmatter;
use crate::liquid::Engine;
use crate::load::LoadedSite;
use crate::render::PageSection;
use crate::{site_markup, site_theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

mod ids;

/// A page and the spans [`Structure::decorated`] puts into it, by offset (in order).
pub struct Decorated {
    html: String,
    inserts: Vec<(usize, String)>,
}

impl Decorated {
    fn plain(html: String) -> Self {
        Decorated {
            html,
            inserts: Vec::new(),
        }
    }

    /// The decorated page's bytes, in runs: the page's, with each insert between them.
    pub fn parts(&self) -> Vec<&str> {
        let mut parts = Vec::with_capacity(self.inserts.len() * 2 + 1);
        let mut last = 0;
        for (at, s) in &self.inserts {
            parts.push(&self.html[last..*at]);
            parts.push(s.as_str());
            last = *at;
        }
        parts.push(&self.html[last..]);
        parts
    }
}

/// One root page of the site, read off its rendering.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// (doc anchor, the anchor the site's layout gives that doc) where the two differ: on
    /// endpaper's page the doc's element takes the site's, and its own becomes an alias.
    pub site_anchors: Vec<(String, String)>,
    /// The first error met rendering it (the rest of the page was still read).
    pub problem: Option<String>,
}

/// The root pages of a site, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Structure {
    pub pages: Vec<RootPage>,
    /// Pages that could not be rendered at all, with why.
    pub unread: Vec<(String, String)>,
    /// The site's markup of each doc (by path) whose layout shows fields endpaper's theme
    /// does not: compose takes it in place of its own ([`site_markup::apply`]).
    #[serde(default)]
    pub markup: site_markup::Markup,
    /// Docs whose extra fields a page shows but whose markup could not be cut out of it,
    /// with those fields.
    #[serde(default)]
    pub unshown: site_markup::Unshown,
}

use site_markup::{is_mark, marks};

/// An element carrying a fragment target: its `id` (or `<a name>`) and where it is.
struct Target {
    id: String,
    start: usize,
    end: usize,
    /// Whether the element is one a layout names a doc with (`<a>`, a section, a heading),
    /// not a list or a form field that happens to sit before a title.
    names_doc: bool,
}

/// A link of the page to one of its own fragments: (fragment, element start, element end).
type SelfLink = (String, usize, usize);

/// One walk of `html`'s elements: every fragment target, in document order (each
/// element's `id`, and `name` on `<a>`: HTML's rule; a form field's or a meta's `name` is no
/// anchor; entities decoded, marks dropped, duplicates kept once), and every `<a href="#…">`.
fn scan(html: &str) -> (Vec<Target>, Vec<SelfLink>) {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return (Vec::new(), Vec::new());
    };
    let parser = dom.parser();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut links = Vec::new();
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let attrs = tag.attributes();
        let name = tag.name().as_utf8_str().to_ascii_lowercase();
        let is_a = name == "a";
        let names_doc = matches!(
            name.as_str(),
            "a" | "section" | "article" | "div" | "span" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        );
        let (start, end) = tag.boundaries(parser);
        let mut push = |v: Option<Option<&tl::Bytes>>| {
            if let Some(Some(v)) = v {
                let v: String = crate::model::decode_entities(&v.as_utf8_str())
                    .chars()
                    .filter(|&c| !is_mark(c) && !site_markup::is_field_mark(c))
                    .collect();
                let v = v.trim();
                if !v.is_empty() && !v.contains(['{', '}']) && seen.insert(v.to_string()) {
                    out.push(Target {
                        id: v.to_string(),
                        start,
                        end,
                        names_doc,
                    });
                }
            }
        };
        push(attrs.get("id"));
        if is_a {
            push(attrs.get("name"));
            if let Some(Some(href)) = attrs.get("href") {
                let href = crate::model::decode_entities(&href.as_utf8_str());
                if let Some(x) = href.strip_prefix('#').map(str::trim) {
                    if !x.is_empty() {
                        links.push((x.to_string(), start, end));
                    }
                }
            }
        }
    }
    out.sort_by_key(|t| t.start);
    (out, links)
}

/// Where the page's links to its own fragments point for each doc: `<a href="#X">` whose
/// text holds one doc's title mark (a nav entry) says X is that doc's anchor on the site.
/// The first such link of each doc wins; (doc index, X).
fn linked_anchors(links: Vec<SelfLink>, marks: &[(usize, usize)]) -> Vec<(usize, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (x, start, end) in links {
        let lo = marks.partition_point(|&(at, _)| at < start);
        let hi = marks.partition_point(|&(at, _)| at <= end);
        let inside: HashSet<usize> = marks[lo..hi].iter().map(|&(_, n)| n).collect();
        if let (1, Some(&n)) = (inside.len(), inside.iter().next()) {
            if seen.insert(n) {
                out.push((n, x));
            }
        }
    }
    out
}

/// Every fragment target of `html` in document order (ids, `<a name>`s).
pub fn ids(html: &str) -> Vec<String> {
    scan(html).0.into_iter().map(|t| t.id).collect()
}

/// Whether `html` holds no visible text (only tags and whitespace).
fn no_text(html: &str) -> bool {
    let mut in_tag = false;
    html.chars().all(|c| match c {
        '<' => {
            in_tag = true;
            true
        }
        '>' => {
            in_tag = false;
            true
        }
        c => in_tag || c.is_whitespace(),
    })
}

/// Reads a rendered root page. `docs` are the build's docs as (anchor endpaper gives it),
/// indexed as their titles were marked ([`site_markup::marker`]). A doc is listed where the page has an
/// element that is its: one carrying its anchor, one holding its title's mark (and no other
/// doc's), an empty one just before its title (`<a id="x"></a><h3>Title`), or one the
/// page's link to the doc points at (a collection heading that carries its first doc's
/// anchor). The first such element places it; the others' ids, when not its anchor, become
/// its aliases. Every other id is remembered after the doc it follows. The site's anchor
/// of a doc is where the page's link to it points, else (when no element carries the doc's
/// own anchor) the id of the element that places it.
pub fn read_page(rel: &str, path: String, title: String, html: &str, docs: &[&str]) -> RootPage {
    let by_anchor: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let marks = marks(html);
    let (targets, links) = scan(html);
    let on_page: HashSet<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let linked: Vec<(usize, String)> = linked_anchors(links, &marks)
        .into_iter()
        .filter(|(n, x)| *n < docs.len() && on_page.contains(x.as_str()))
        .collect();
    let linked_to: HashMap<&str, usize> = linked.iter().map(|(n, x)| (x.as_str(), *n)).collect();
    // (doc, start, id) for each element that belongs to a doc.
    let mut owned: Vec<(usize, usize, &str, bool)> = Vec::new();
    let mut plain: Vec<&Target> = Vec::new();
    for t in &targets {
        if let Some(&n) = by_anchor
            .get(t.id.as_str())
            .or_else(|| linked_to.get(t.id.as_str()))
        {
            owned.push((n, t.start, &t.id, true));
            continue;
        }
        let lo = marks.partition_point(|&(at, _)| at < t.start);
        let hi = marks.partition_point(|&(at, _)| at <= t.end);
        let inside: HashSet<usize> = marks[lo..hi].iter().map(|&(_, n)| n).collect();
        let owner = match inside.len() {
            1 => inside.into_iter().next(),
            0 => marks
                .get(hi)
                .filter(|&&(at, _)| {
                    // An empty element, then only tags and blanks up to the text node the
                    // mark ends (the title), which is not a link's (a nav entry).
                    let between = &html[(t.end + 1).min(at)..at];
                    let tags = &between[..between.rfind('>').map_or(0, |i| i + 1)];
                    let in_link = tags
                        .rfind("<a ")
                        .is_some_and(|i| tags[i..].contains("href") && !tags[i..].contains("</a>"));
                    // Nor is a mark in a script's text (a search page's data) a doc's place.
                    let in_script = tags
                        .rfind("<script")
                        .is_some_and(|i| !tags[i..].contains("</script>"));
                    no_text(&html[t.start..=t.end.min(html.len() - 1)])
                        && no_text(tags)
                        && !in_link
                        && !in_script
                })
                .map(|&(_, n)| n),
            _ => None,
        };
        match owner.filter(|&n| n < docs.len()) {
            Some(n) => owned.push((n, t.start, &t.id, t.names_doc)),
            None => plain.push(t),
        }
    }
    owned.sort_by_key(|&(_, start, ..)| start);
    let mut placed: Vec<(usize, usize)> = Vec::new(); // (start, doc)
    let mut seen = HashSet::new();
    // One doc per site anchor, and never another doc's own anchor.
    let mut taken: HashSet<&str> = HashSet::new();
    let mut site_anchor: HashMap<usize, &str> = HashMap::new();
    for (n, x) in &linked {
        if x != docs[*n] && !by_anchor.contains_key(x.as_str()) && taken.insert(x) {
            site_anchor.insert(*n, x);
        }
    }
    for &(n, _, id, names_doc) in &owned {
        let carries_own = || owned.iter().any(|&(m, _, i, _)| m == n && i == docs[n]);
        let links_own = linked.iter().any(|(m, x)| *m == n && x == docs[n]);
        if !site_anchor.contains_key(&n)
            && names_doc
            && !links_own
            && !by_anchor.contains_key(id)
            && !carries_own()
            && taken.insert(id)
        {
            site_anchor.insert(n, id);
        }
    }
    let mut ids = Vec::new();
    for &(n, start, id, _) in &owned {
        if seen.insert(n) {
            placed.push((start, n));
        }
        if id != docs[n] && site_anchor.get(&n) != Some(&id) {
            ids.push((start, Some(docs[n].to_string()), id.to_string()));
        }
    }
    for t in plain {
        let after = placed
            .iter()
            .take_while(|&&(start, _)| start <= t.start)
            .last()
            .map(|&(_, n)| docs[n].to_string());
        ids.push((t.start, after, t.id.clone()));
    }
    ids.sort_by_key(|(start, _, _)| *start);
    RootPage {
        rel: rel.to_string(),
        path,
        title,
        docs: placed.iter().map(|&(_, n)| docs[n].to_string()).collect(),
        ids: ids.into_iter().map(|(_, after, id)| (after, id)).collect(),
        site_anchors: placed
            .iter()
            .filter_map(|&(_, n)| Some((docs[n].to_string(), site_anchor.get(&n)?.to_string())))
            .collect(),
        problem: None,
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
        self.decorated(path, html).parts().concat()
    }

    /// [`decorate`](Self::decorate)'s page as the page and what goes into it, to be written
    /// part by part ([`Decorated::parts`]) rather than copied into a page of its own.
    pub fn decorated(&self, path: &str, html: String) -> Decorated {
        // A doc takes the site's anchor on the page of the root page that gave it; where
        // else it is shown, that anchor is an alias like the others.
        let mut site_anchors: HashMap<&str, &str> = HashMap::new();
        let mut doc_aliases: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for page in &self.pages {
            for (own, site) in &page.site_anchors {
                if page.path == path {
                    site_anchors.entry(own.as_str()).or_insert(site.as_str());
                }
                doc_aliases.entry(own.as_str()).or_default().push(site);
            }
        }
        let html = if site_anchors.is_empty() {
            html
        } else {
            take_site_anchors(&html, &site_anchors)
        };
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
            return Decorated::plain(html);
        }
        let mut inserts: Vec<(usize, String)> = Vec::new();
        let mut added = HashSet::new();
        let page_ids = ids::Ids::of(&html);
        let mut missing = |id: &str| !page_ids.has(id) && added.insert(id.to_string());
        let spans = |ids: &[&str], missing: &mut dyn FnMut(&str) -> bool| {
            let mut s = String::new();
            for id in ids {
                if missing(id) {
                    s.push_str("<span id=\"");
                    crate::html::escape_into(&mut s, id);
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
            let doc = site_anchors.get(doc).unwrap_or(doc);
            let found = page_ids.find(doc);
            let Some(at) = found.and_then(|i| html[i..].find('>').map(|e| i + e + 1)) else {
                continue;
            };
            let s = spans(ids, &mut missing);
            if !s.is_empty() {
                inserts.push((at, s));
            }
        }
        drop(page_ids);
        inserts.sort_by_key(|(at, _)| *at);
        Decorated { html, inserts }
    }

    /// Lines for the migration report: what each root page became, or why it did not.
    /// `audiences` are the site's visibility names, to point a page at the build that has
    /// its docs.
    pub fn report(&self, audience: &str, audiences: &[String]) -> Vec<String> {
        let mut lines: Vec<String> = self
            .pages
            .iter()
            .map(|p| {
                let stem = site_theme::stem(&p.rel);
                let named = site_theme::named_audience(&p.rel, audience, audiences);
                let mut line = if p.docs.is_empty() && stem == "search" && named.is_none() {
                    // Aviator's `search.html` searches data its script holds: it is no page of
                    // another audience's docs, and endpaper's page searches its own.
                    format!(
                        "{}: the site's search page, not written: endpaper's reference page has its own search box, over every doc it shows",
                        p.rel
                    )
                } else if p.docs.is_empty() {
                    let hint = match named {
                        Some(a) => format!(" (its docs are built with `--audience {a}`)"),
                        // A version's page (`v1.html`) is no audience: it lists no doc of
                        // this audience, and `versions` says which it is.
                        None if stem != "index"
                            && stem != audience
                            && !crate::versions::is_version_name(stem) =>
                        {
                            format!(" (if its docs belong to another audience, build with `--audience {stem}`)")
                        }
                        None => String::new(),
                    };
                    format!(
                        "{}: lists no doc of the `{audience}` audience, so this build does not write it{hint}",
                        p.rel
                    )
                } else {
                    format!(
                        "{}: kept as {} with its {} doc(s) in its order; its {} other anchor(s) still resolve",
                        p.rel,
                        p.path,
                        p.docs.len(),
                        p.ids.len()
                    )
                };
                if let Some(e) = &p.problem {
                    line.push_str(&format!("; rendering it met an error, the rest was read: {e}"));
                }
                line
            })
            .collect();
        lines.extend(self.unread.iter().map(|(rel, e)| {
            format!("{rel}: could not be rendered with the site's layouts, its structure is not kept: {e}")
        }));
        let list = |fields: &[String]| {
            fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        lines.extend(self.markup.iter().map(|(rel, m)| {
            format!(
                "{rel}: shown with the site's own markup of it (as {} lays it out), for the fields its layout shows and endpaper's theme does not: {}",
                m.page,
                list(&m.fields)
            )
        }));
        lines.extend(self.unshown.iter().map(|(rel, fields)| {
            format!(
                "{rel}: its layout shows {}, but endpaper could not find the doc's part of the page: those fields are not shown",
                list(fields)
            )
        }));
        lines
    }
}

/// Renders each root page (an HTML or markdown page) of `site` with the site's own layouts
/// through `engine` and reads which of the model's docs it lists. A page that cannot be
/// rendered is reported, not fatal: the endpaper theme does not publish the site's layouts,
/// so their mistakes only cost the structure they would have told.
pub fn read(site: &LoadedSite, engine: &Engine, model: &crate::model::Model) -> Structure {
    let docs: Vec<&crate::model::Doc> = model.sections.iter().flat_map(|s| &s.docs).collect();
    let anchors: Vec<&str> = docs.iter().map(|d| d.anchor.as_str()).collect();
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rel.as_str(), i))
        .collect();
    let templates: Vec<&str> = site
        .pages
        .iter()
        .map(|(_, t)| t.as_str())
        .chain(site.layouts.values().map(|(_, t)| t.as_str()))
        .chain(site.includes.values().map(String::as_str))
        .collect();
    // One render places the docs and, when the site's markup is probed for, tells which
    // fields each page shows: a field's marks are taken out again before the page is read.
    let fields = site_markup::Fields::of(&templates, &docs);
    let marked = engine
        .site_with(crate::liquid::site::Content::Outline)
        .map_docs(|path, doc| {
            if let Some(&n) = index.get(path) {
                site_markup::mark_title(doc, n, docs[n].fm.map().contains_key("name"));
                fields.mark(n, doc);
            }
        });
    let defaults = crate::model::Defaults::from_config(&site.config.raw);
    let mut structure = Structure::default();
    let mut parsed = Vec::new();
    for (rel, text) in &site.pages {
        let is_page = rel.ends_with(".html") || crate::load::is_markdown(rel);
        if !is_page {
            continue;
        }
        match site_theme::Page::parse(rel, text, site, &defaults) {
            Ok(p) => parsed.push(p),
            Err(e) => structure.unread.push((rel.clone(), e.to_string())),
        }
    }
    // Each page on a thread of its own (a site's index and search page take turns
    // otherwise), read in the site's order.
    let rendered: Vec<_> = parsed
        .par_iter()
        .map(|page| {
            // Only the outline's elements are read, and its samples are cut short.
            crate::highlight::uncoloured(|| {
                site_theme::render_page(engine, site, page, &[("site", &marked)], Some(""))
            })
        })
        .collect();
    let mut probed = Vec::new();
    for (page, rendered) in parsed.iter().zip(rendered) {
        let title = frontmatter::text(page.fm.get("title"));
        match rendered {
            Ok(r) => {
                let html = site_markup::unmark_fields(&r.html);
                let mut p = read_page(page.rel, page.path.clone(), title, &html, &anchors);
                if let Some(e) = r.errors.first() {
                    p.problem = Some(site_markup::unmark_fields(&e.to_string()).into_owned());
                }
                structure.pages.push(p);
                drop(html);
                if fields.probed() {
                    probed.push((page.rel.to_string(), page.path.clone(), r.html));
                }
            }
            Err(e) => structure.unread.push((page.rel.to_string(), e.to_string())),
        }
    }
    drop(marked);
    // Reported in the site's page order, whichever step failed.
    let order: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, (rel, _))| (rel.as_str(), i))
        .collect();
    structure
        .unread
        .sort_by_key(|(rel, _)| order.get(rel.as_str()).copied());
    // The pages that rendered, again with another site model (each doc's extra fields
    // marked, then its full front matter): what their layouts show of each doc.
    let render = |view: &crate::liquid::site::SiteView,
                  wanted: &(dyn Fn(&str) -> bool + Sync)|
     -> Vec<site_markup::Rendered> {
        parsed
            .par_iter()
            .filter(|page| wanted(page.rel))
            .filter_map(|page| {
                let r = crate::highlight::uncoloured(|| {
                    site_theme::render_page(engine, site, page, &[("site", view)], Some(""))
                })
                .ok()?;
                Some((page.rel.to_string(), page.path.clone(), r.html))
            })
            .collect()
    };
    let site_anchors: Vec<(&str, &str)> = structure
        .pages
        .iter()
        .flat_map(|p| &p.site_anchors)
        .map(|(own, site)| (own.as_str(), site.as_str()))
        .collect();
    (structure.markup, structure.unshown) =
        site_markup::read(engine, (&fields, &probed), (&docs, &site_anchors), &render);
    structure
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

/// endpaper's page with each doc's element carrying the site's anchor for it (`own` →
/// site's) and its own anchor kept as an empty `<span id>` at its start, and the page's
/// links to the doc (`href="#own"`, the nav's `data-anchor`) leading to the site's.
fn take_site_anchors(html: &str, site_anchors: &HashMap<&str, &str>) -> String {
    let present: HashSet<&str> = ids::attr_values(html, " id=\"").map(|(_, v)| v).collect();
    // Escaped own anchor → (escaped site anchor), for the docs this page holds whose site
    // anchor it does not have yet.
    let swaps: HashMap<String, String> = site_anchors
        .iter()
        .map(|(own, site)| (crate::html::escape(own), crate::html::escape(site)))
        .filter(|(own, site)| present.contains(own.as_str()) && !present.contains(site.as_str()))
        .collect();
    if swaps.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64 * swaps.len());
    let mut swapped: HashSet<&str> = HashSet::new();
    let mut last = 0;
    // The nav's `data-anchor` names the element its scroll-spy marks it current for.
    let mut places: Vec<(usize, &str)> = ids::attr_values(html, " id=\"")
        .chain(ids::attr_values(html, "href=\"#"))
        .chain(ids::attr_values(html, "data-anchor=\""))
        .filter(|(_, v)| swaps.contains_key(*v))
        .collect();
    places.sort_unstable();
    for (at, value) in places {
        let Some(site) = swaps.get(value) else {
            continue;
        };
        let is_id = html[..at].ends_with(" id=\"");
        if is_id && !swapped.insert(value) {
            continue;
        }
        out.push_str(&html[last..at]);
        out.push_str(site);
        last = at + value.len();
        if is_id {
            // The doc's element takes the site's anchor; its own follows its start.
            if let Some(end) = html[last..].find('>') {
                out.push_str(&html[last..=last + end]);
                out.push_str("<span id=\"");
                out.push_str(value);
                out.push_str("\"></span>");
                last += end + 1;
            }
        }
    }
    out.push_str(&html[last..]);
    out
}

/// Offset just past the `>` of the first tag opening with `open` (`<body`).
fn open_tag_end(html: &str, open: &str) -> Option<usize> {
    let i = html.find(open)?;
    html[i..].find('>').map(|e| i + e + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_markup::marker;

    /// The structure of the fixture site `name` (its `public` audience).
    fn structure_of(name: &str) -> Structure {
        structure_and_renders(name).0
    }

    /// [`structure_of`], and how many templates its read rendered.
    fn structure_and_renders(name: &str) -> (Structure, usize) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let site = crate::load::load(&root, None).unwrap();
        let model = crate::model::build(&site, "public", crate::model::Texts::Held);
        let engine = Engine::new(crate::liquid::SiteInputs {
            config: &site.config,
            includes: &site.includes,
            data: &site.data,
            sections: &model.sections,
            loaded: Some(&site),
            root_files: Some(site_theme::root_files),
        })
        .unwrap();
        let structure = read(&site, &engine, &model);
        let renders = engine
            .shared
            .renders
            .load(std::sync::atomic::Ordering::Relaxed);
        (structure, renders)
    }

    /// One render of the root pages places the docs and tells which fields of theirs a
    /// page shows (its field marks taken out before the page is read), and one full render
    /// cuts out the markup of a doc that shows one: two renders of the page, not three.
    #[test]
    fn a_page_is_rendered_once_to_place_its_docs_and_find_their_fields() {
        let (structure, renders) = structure_and_renders("structure-markup-once");
        let page = &structure.pages[0];
        assert_eq!(page.docs.len(), 1, "{page:?}");
        assert_eq!(
            page.ids,
            [(Some(page.docs[0].clone()), "kettle-spout".into())]
        );
        assert_eq!(structure.markup["_calls/boil.md"].fields, ["route"]);
        assert_eq!(renders, 2);
    }

    /// The site's markup of a doc is read off renders whose samples stay uncoloured: a
    /// sample's `<pre>` gives only its text, which compose highlights again. Other tests
    /// load the grammars in this process, so the test runs alone in a child.
    #[test]
    fn the_sites_markup_is_read_without_colouring_its_samples() {
        let name = "structure::tests::the_sites_markup_is_read_without_colouring_its_samples";
        if !crate::test_support::alone(name) {
            return;
        }
        let structure = structure_of("structure-markup-samples");
        // The layout shows `route`, which endpaper's theme does not: the doc's markup is
        // cut out of a full render, its Java sample (no hand lexer takes Java) among it.
        let markup = &structure.markup["_calls/pour.md"];
        let shown = crate::html::strip_tags(&format!("{}{}", markup.prose, markup.code));
        assert!(shown.contains("pot.pour(1);"), "{shown}");
        assert!(!crate::highlight::grammars_loaded());
    }

    /// A sample's language is a field of the doc the layout shows, so the pass that finds
    /// which fields a page shows renders it marked: a name no grammar has, which is
    /// answered without loading the grammars (the whole set, most of that pass).
    #[test]
    fn a_marked_language_name_loads_no_grammar() {
        let name = "structure::tests::a_marked_language_name_loads_no_grammar";
        if !crate::test_support::alone(name) {
            return;
        }
        let structure = structure_of("structure-markup-languages");
        let markup = &structure.markup["_calls/brew.md"];
        assert_eq!(markup.fields, ["route", "samples[].code"]);
        let shown = crate::html::strip_tags(&format!("{}{}", markup.prose, markup.code));
        assert!(shown.contains("curl -X POST"), "{shown}");
        assert!(!crate::highlight::grammars_loaded());
    }

    /// `html` read as the site's `index.html`.
    fn index_page(html: &str, docs: &[&str]) -> RootPage {
        read_page("index.html", "index.html".into(), String::new(), html, docs)
    }

    #[test]
    fn ids_are_ids_and_anchor_names_in_order() {
        let html = r#"<div id="sidebar"><input name="q" id="q"><meta name="x"><a name="top">t</a>
            <a id="a&amp;b">x</a><p id="sidebar">dup</p><a id="{{ x }}"></a></div>"#;
        assert_eq!(ids(html), ["sidebar", "q", "top", "a&b"]);
    }

    #[test]
    fn a_page_lists_known_doc_anchors_and_places_other_ids() {
        let known = ["filesupload", "intro"];
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
    fn marks_tell_docs_apart_whatever_the_anchor_rule() {
        for n in [0, 1, 3, 4, 17, 1000] {
            assert_eq!(marks(&format!("a{}b", marker(n))), [(1, n)]);
        }
        let docs = ["guidestart", "guideauth"];
        let (m0, m1) = (marker(0), marker(1));
        // The layout names docs its own way (`<a id="{{ doc.slug }}">`), lists them in its
        // own order, puts an empty anchor before a title, and a nav holding every title.
        let html = format!(
            r##"<body><button id="open-nav"></button><div id="sidebar"><a href="#x">Auth{m1}</a><a href="#y">Start{m0}</a></div>
            <main><a id="legacy-auth"></a> <h3>Auth{m1}</h3><p id="auth-note">n</p>
            <section id="start"><h3>Start{m0}</h3><h4 id="step-1">s</h4></section></main></body>"##
        );
        let p = index_page(&html, &docs);
        assert_eq!(p.docs, ["guideauth", "guidestart"]);
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            p.ids,
            [
                (None, "open-nav".to_string()),
                (None, "sidebar".to_string()),
                (some("guideauth"), "auth-note".to_string()),
                (some("guidestart"), "step-1".to_string()),
            ]
        );
        // The layout's own names are the docs' anchors on endpaper's page.
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            p.site_anchors,
            [
                pair("guideauth", "legacy-auth"),
                pair("guidestart", "start")
            ]
        );
    }

    #[test]
    fn the_sites_anchor_of_a_doc_is_where_its_link_points_else_where_it_starts() {
        let docs = ["guidestart", "guideauth", "guideend"];
        let (m0, m1, m2) = (marker(0), marker(1), marker(2));
        // The nav links the first doc to its collection's heading, which carries that
        // anchor; the second doc is named by its slug, linked; the third carries its own.
        let html = format!(
            r##"<nav><a href="#start">Start{m0}</a><a href="#auth">Auth{m1}</a><a href="#guideend">End{m2}</a></nav>
            <h2 id="start">Guide</h2><h3>Start{m0}</h3><p id="note">n</p>
            <a id="auth"></a><h3>Auth{m1}</h3>
            <a id="guideend"></a><h3>End{m2}</h3>"##
        );
        let p = index_page(&html, &docs);
        assert_eq!(p.docs, docs);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            p.site_anchors,
            [pair("guidestart", "start"), pair("guideauth", "auth")]
        );
        // The heading is the first doc's, not an alias left after nothing.
        assert_eq!(
            p.ids,
            [(Some("guidestart".to_string()), "note".to_string())]
        );

        // Without a link, the element that places the doc names it, unless one carries
        // its own anchor.
        let html = format!(
            r##"<a id="s"></a><h3>Start{m0}</h3><section id="x"><a id="guideauth"></a><h3>Auth{m1}</h3></section>"##
        );
        let p = index_page(&html, &docs);
        assert_eq!(p.site_anchors, [pair("guidestart", "s")]);
    }

    #[test]
    fn decorate_gives_a_doc_the_sites_anchor_and_keeps_its_own_as_an_alias() {
        let s = Structure {
            markup: BTreeMap::new(),
            unshown: Vec::new(),
            unread: Vec::new(),
            pages: vec![RootPage {
                problem: None,
                rel: "index.html".into(),
                path: "index.html".into(),
                title: String::new(),
                docs: vec!["guidestart".into(), "guideauth".into()],
                ids: vec![(Some("guidestart".into()), "old".into())],
                site_anchors: vec![
                    ("guidestart".into(), "start".into()),
                    ("gone".into(), "elsewhere".into()),
                ],
            }],
        };
        let html = r##"<body><a href="#guidestart" data-anchor="guidestart">S</a><a href="#guideauth">A</a><article class="d" id="guidestart">S</article><article id="guideauth">A <a href="#guidestart">back</a></article></body>"##;
        assert_eq!(
            s.decorate("index.html", html.to_string()),
            r##"<body><a href="#start" data-anchor="start">S</a><a href="#guideauth">A</a><article class="d" id="start"><span id="old"></span><span id="guidestart"></span>S</article><article id="guideauth">A <a href="#start">back</a></article></body>"##
        );
    }

    #[test]
    fn decorate_adds_only_missing_ids_where_they_belong() {
        let s = Structure {
            markup: BTreeMap::new(),
            unshown: Vec::new(),
            unread: Vec::new(),
            pages: vec![RootPage {
                problem: None,
                site_anchors: Vec::new(),
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
            markup: BTreeMap::new(),
            unshown: Vec::new(),
            unread: vec![("v2.html".into(), "v2.html:3:1: boom".into())],
            pages: vec![
                read_page(
                    "index.html",
                    "index.html".into(),
                    String::new(),
                    r#"<a id="a"></a>"#,
                    &["a"],
                ),
                read_page(
                    "internal.html",
                    "internal/index.html".into(),
                    String::new(),
                    "<p>none</p>",
                    &["a"],
                ),
            ],
        };
        let r = s.report("public", &["public".into(), "internal".into()]);
        assert!(
            r[0].starts_with("index.html: kept as index.html with its 1 doc(s)"),
            "{r:?}"
        );
        assert!(r[1].contains("no doc of the `public` audience"), "{r:?}");
        assert!(r[1].contains("--audience internal"), "{r:?}");
        assert!(
            r[2].starts_with("v2.html: could not be rendered") && r[2].contains("boom"),
            "{r:?}"
        );
    }
}
