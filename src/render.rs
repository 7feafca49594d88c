//! Render: lay the composed docs out on pages (one page, or per-section pages for large
//! sites), make heading ids unique per page, and fill the Tera templates. Templates get
//! plain JSON views built here, so the template fields are a documented contract (see
//! ARCHITECTURE.md) rather than the Rust types. Also writes the search index.

use crate::config::{Config, Options};
use crate::document::{Mark, MarkKind};
use crate::html::escape_attr;
use crate::spool::{Chunk, Spool};
use crate::store::{Fields, Key};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

mod parsed;

/// Built-in templates, embedded; a site overrides one by putting a file of the same name
/// in `_endpaper/templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("page.html", include_str!("../templates/page.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("head.html", include_str!("../templates/head.html")),
    (
        "changelog.html",
        include_str!("../templates/changelog.html"),
    ),
    (
        OAUTH2_REDIRECT,
        include_str!("../templates/oauth2-redirect.html"),
    ),
];

/// Built-in templates of pages most sites never write: added when the page is written,
/// unless a site's template names one.
const DEFERRED: &[&str] = &["changelog.html", OAUTH2_REDIRECT];

/// The built-in templates parsed (made from the code `build.rs` wrote: `parsed`), but
/// for the [`DEFERRED`] ones, with the escaping every renderer sets; made once per process.
/// `None` if they do not link up (a renderer then parses them itself, to report why).
static BUILT_IN: std::sync::LazyLock<Option<tera::Tera>> = std::sync::LazyLock::new(|| {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Tera's default also escapes `/`, bloating every path in the page; `&<>"'` suffice.
    tera.set_escape_fn(escape_attr);
    let eager = TEMPLATES
        .iter()
        .filter(|(name, _)| !DEFERRED.contains(name));
    parsed::add(&mut tera, eager.map(|(name, _)| *name)).ok()?;
    Some(tera)
});

/// The built-in template called `name`.
fn built_in(name: &str) -> &'static str {
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("a built-in template's name")
}

/// The page an OAuth2 authorization server sends the reader back to, written at the output
/// root when a scheme has an authorization-code flow.
pub const OAUTH2_REDIRECT: &str = "oauth2-redirect.html";

/// `site.tryit`: null unless the site sets one of `endpaper: tryit:`, so the template
/// writes nothing for a site without.
fn tryit_context(t: &crate::config::TryIt) -> Value {
    if *t == crate::config::TryIt::default() {
        return Value::Null;
    }
    json!({"proxy": t.proxy, "client_id": t.client_id, "redirect_url": t.redirect_url})
}

/// Built-in assets, embedded, written to `assets/`; overridable in `_endpaper/assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[
    ("endpaper.css", include_bytes!("../assets/endpaper.css")),
    ("endpaper.js", include_bytes!("../assets/endpaper.js")),
    // Loaded by endpaper.js the first time a reader opens a "Try it" panel.
    ("tryit.js", include_bytes!("../assets/tryit.js")),
    // The tab's icon when the site has no `favicon.*` of its own.
    (FAVICON, include_bytes!("../assets/favicon.svg")),
];

/// endpaper's own icon, under `assets/`.
pub const FAVICON: &str = "favicon.svg";

/// Output path of a doc's twin: its source path without the collection's `_` and with
/// `.md` for its extension (`_orders/get_order.md` → `orders/get_order.md`).
pub fn twin_path(rel: &str) -> String {
    format!("{}.md", doc_stem(rel))
}

/// `_orders/get_order.md` → `orders/get_order`: where a doc's own files go.
pub fn doc_stem(rel: &str) -> String {
    let rel = rel.strip_prefix('_').unwrap_or(rel);
    let file_start = rel.rfind('/').map_or(0, |i| i + 1);
    match rel[file_start..].rfind('.') {
        Some(dot) if dot > 0 => rel[..file_start + dot].to_string(),
        _ => rel.to_string(),
    }
}

/// A doc ready for a page.
#[derive(Debug, Clone, Default)]
pub struct PageDoc {
    pub anchor: String,
    pub rel: String,
    pub method: String,
    pub title: String,
    pub name: String,
    pub description: String,
    /// The description as the site's layout renders it through `markdownify`, shown in
    /// place of the text; `None` for a layout that prints it as written.
    pub description_html: Option<String>,
    /// Shared with the build's per-doc output, so laying out pages copies no HTML; in a
    /// one-off build, where it waits in the [`crate::spool`] until its page is rendered.
    pub prose: Chunk,
    pub code: Chunk,
    /// The places in `prose` and `code` their page fills in (heading ids, URLs).
    pub marks: [Arc<[Mark]>; 2],
    /// Shared with the build's per-doc output, like prose and code.
    pub fm: Arc<Map<String, Value>>,
    /// Its search terms, read back by the search index as it is written.
    pub terms: crate::compose::Terms,
    /// Plain text of the doc for full-text search (prose, headings, parameter
    /// descriptions, sample titles; no code), as its item in `search-text.js`
    /// ([`crate::search_index::text_item`]).
    pub text: Chunk,
    /// The doc's markdown twin ([`crate::machine_docs`]).
    pub markdown: Chunk,
}

#[derive(Debug, Clone)]
pub struct PageSection {
    pub label: String,
    pub title: String,
    pub docs: Vec<PageDoc>,
}

/// One output page: which docs of which sections it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub path: String,
    /// (section index, first doc, end doc)
    pub parts: Vec<(usize, usize, usize)>,
}

/// Prose and code a split page holds at most (beyond one doc), so no page gets heavy
/// whatever `page_max_docs` says: 1.2 MB leaves room for the navigation and markup
/// under 2 MB a page. The first page holds less when the site is split, as it also carries
/// the page's share of navigation for the reader landing there.
pub const PAGE_MAX_CONTENT_BYTES: usize = 1_200_000;

/// When the map of old single-page anchors to their new pages is larger than this, it
/// goes to its own file ([`REDIRECTS_FILE`], loaded only when a link needs it) instead of
/// into `index.html`.
pub const INLINE_REDIRECTS_MAX_BYTES: usize = 16 * 1024;

/// Room a page's buffer keeps beyond its docs' columns, for the template's own markup
/// (head, navigation, each doc's frame): enough that most pages never grow it.
const PAGE_FRAME_BYTES: usize = 64 * 1024;

/// The lazily loaded redirect map of large split sites.
pub const REDIRECTS_FILE: &str = "redirects.js";

/// One page for small sites; otherwise each section on its own page(s) of at most
/// `page_max_docs` docs and [`PAGE_MAX_CONTENT_BYTES`] of HTML, the first section's first
/// page being `index.html`.
pub fn plan(sections: &[PageSection], options: &Options) -> Vec<Plan> {
    let total: usize = sections.iter().map(|s| s.docs.len()).sum();
    if total <= options.single_page_max_docs {
        return vec![Plan {
            path: "index.html".into(),
            parts: sections
                .iter()
                .enumerate()
                .map(|(i, s)| (i, 0, s.docs.len()))
                .collect(),
        }];
    }
    let mut plans = Vec::new();
    for (si, s) in sections.iter().enumerate() {
        let mut start = 0;
        let mut chunk = 0;
        while start < s.docs.len() {
            let mut end = start;
            let mut bytes = 0;
            while end < s.docs.len() && end - start < options.page_max_docs.max(1) {
                let size = s.docs[end].prose.len() + s.docs[end].code.len();
                if end > start && bytes + size > PAGE_MAX_CONTENT_BYTES {
                    break;
                }
                bytes += size;
                end += 1;
            }
            let path = match (plans.is_empty(), chunk) {
                (true, _) => "index.html".to_string(),
                (false, 0) => format!("{}/index.html", s.label),
                (false, n) => format!("{}/{}.html", s.label, n + 1),
            };
            plans.push(Plan {
                path,
                parts: vec![(si, start, end)],
            });
            start = end;
            chunk += 1;
        }
    }
    plans
}

/// Which page each doc is on, by (section, doc).
fn page_of(plans: &[Plan]) -> BTreeMap<(usize, usize), &str> {
    plans
        .iter()
        .flat_map(|pl| {
            pl.parts
                .iter()
                .flat_map(move |&(s, a, b)| (a..b).map(move |d| ((s, d), pl.path.as_str())))
        })
        .collect()
}

/// The old single-page anchors that now live on another page than `index.html`, with
/// their page.
fn redirects<'a>(sections: &'a [PageSection], plans: &'a [Plan]) -> BTreeMap<&'a str, &'a str> {
    if plans.len() < 2 {
        return BTreeMap::new();
    }
    page_of(plans)
        .into_iter()
        .filter(|(_, path)| *path != plans[0].path)
        .map(|((s, d), path)| (sections[s].docs[d].anchor.as_str(), path))
        .collect()
}

/// `redirects.js` for a split site whose redirect map is too large to inline, else `None`.
pub fn redirects_file(sections: &[PageSection], plans: &[Plan]) -> Option<String> {
    let json = serde_json::to_string(&redirects(sections, plans)).ok()?;
    (json.len() > INLINE_REDIRECTS_MAX_BYTES)
        .then(|| format!("window.EP_REDIRECTS = {};\n", json.replace('<', "\\u003c")))
}

/// A key per page of everything its HTML depends on besides the templates and config:
/// the site title, every section and doc anchor with its page (links and navigation),
/// the navigation of the page's sections and all of its docs. `content[s][d]` must
/// identify everything doc `d` of section `s` shows (prose, code and every field, as the
/// build's per-doc key does). Equal keys mean an equal page. Also returns the key of the
/// layout alone (titles, sections, which page holds each anchor).
pub fn page_keys(
    sections: &[PageSection],
    plans: &[Plan],
    site_title: &str,
    content: &[Vec<[u8; 32]>],
) -> (blake3::Hash, Vec<blake3::Hash>) {
    let mut global = Fields::default();
    global.put(site_title.as_bytes());
    global.put(&plans.len().to_le_bytes());
    for s in sections {
        global.put(s.label.as_bytes());
        global.put(s.title.as_bytes());
    }
    for (&(s, d), path) in &page_of(plans) {
        global.put(sections[s].docs[d].anchor.as_bytes());
        global.put(path.as_bytes());
    }
    let global = blake3::Hash::from(global.key());
    let nav: Vec<Key> = sections
        .par_iter()
        .map(|s| {
            let mut fields = Fields::default();
            for d in &s.docs {
                for f in [&d.anchor, &d.name, &d.title, &d.method] {
                    fields.put(f.as_bytes());
                }
            }
            fields.key()
        })
        .collect();
    let pages = plans
        .par_iter()
        .map(|plan| {
            let mut fields = Fields::default();
            fields.put(global.as_bytes());
            fields.put(plan.path.as_bytes());
            for &(si, a, b) in &plan.parts {
                fields.put(&nav[si]);
                for n in [si, a, b] {
                    fields.put(&n.to_le_bytes());
                }
                for key in &content[si][a..b] {
                    fields.put(key);
                }
            }
            blake3::Hash::from(fields.key())
        })
        .collect();
    (global, pages)
}

/// Relative link from page `from` to `to` (both output-root-relative) plus a fragment.
fn link(from: &str, to: &str, anchor: &str) -> String {
    if from == to {
        return format!("#{anchor}");
    }
    format!("{}#{anchor}", page_href(from, to))
}

/// Relative URL of page `to` from page `from`; empty on the same page.
fn page_href(from: &str, to: &str) -> String {
    if from == to {
        String::new()
    } else {
        format!("{}{}", "../".repeat(from.matches('/').count()), to)
    }
}

/// Where a doc's column is placed, for the URLs it wrote for Jekyll's server.
struct Here<'a> {
    /// The page's path.
    page: &'a str,
    /// From the page to the output root (`../` per folder).
    root: &'a str,
    /// `baseurl`, without its trailing `/`.
    base: &'a str,
    /// Every doc's anchor → its page.
    page_of_anchor: &'a HashMap<&'a str, &'a str>,
}

/// Appends `url` (an `href` or `src` a doc wrote for Jekyll's server, as it stands in the
/// HTML) as it works from any page, from disk and under any base path: root-absolute
/// (with the site's `baseurl` stripped) becomes page-relative, and `#anchor` to a doc on
/// another page of a split site points at that page.
fn rewrite_url(url: &str, here: &Here, out: &mut String) {
    let (page, root, anchors) = (here.page, here.root, here.page_of_anchor);
    if let Some(anchor) = url.strip_prefix('#') {
        match anchors.get(anchor) {
            Some(to) if *to != page => out.push_str(&link(page, to, anchor)),
            _ => out.push_str(url),
        }
    } else if url.starts_with('/') && !url.starts_with("//") {
        let mut path = url;
        if !here.base.is_empty() {
            if let Some(p) = path
                .strip_prefix(here.base)
                .filter(|p| p.is_empty() || p.starts_with(['/', '#', '?']))
            {
                path = p;
            }
        }
        let path = path.trim_start_matches('/');
        let (file, frag) = path
            .split_once('#')
            .map_or((path, None), |(f, a)| (f, Some(a)));
        match frag {
            // `/#anchor` → wherever that doc lives now.
            Some(a) if file.is_empty() || file == "index.html" => match anchors.get(a) {
                Some(to) => out.push_str(&link(page, to, a)),
                None => out.push_str(&format!("{root}index.html#{a}")),
            },
            _ if file.is_empty() => out.push_str(&format!("{root}index.html")),
            _ => {
                out.push_str(root);
                out.push_str(path);
            }
        }
    } else {
        out.push_str(url);
    }
}

/// A doc's column as its page shows it, filled in at its [`Mark`]s (nothing else of it is
/// read): each heading's id made unique on the page, in order (`used` holds the ids of the
/// page so far; a doc's anchor is never taken), the doc's own `#id` links following a
/// renamed heading, and its URLs rewritten by [`rewrite_url`].
fn place(html: &str, marks: &[Mark], used: &mut HashSet<String>, here: &Here) -> String {
    let anchors = here.page_of_anchor;
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let mut ids = Vec::new();
    for m in marks.iter().filter(|m| m.kind == MarkKind::HeadingId) {
        let id = &html[m.range()];
        let mut fresh = id.to_string();
        let mut n = 0;
        while used.contains(&fresh) || anchors.contains_key(fresh.as_str()) {
            n += 1;
            fresh = format!("{id}-{n}");
        }
        if fresh != id && !anchors.contains_key(id) {
            renamed.entry(id).or_insert_with(|| fresh.clone());
        }
        used.insert(fresh.clone());
        ids.push(fresh);
    }
    let mut ids = ids.into_iter();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for m in marks {
        out.push_str(&html[at..m.at as usize]);
        let value = &html[m.range()];
        match m.kind {
            MarkKind::HeadingId => out.push_str(&ids.next().unwrap_or_default()),
            MarkKind::Href => match value.strip_prefix('#').and_then(|v| renamed.get(v)) {
                Some(to) => rewrite_url(&format!("#{to}"), here, &mut out),
                None => rewrite_url(value, here, &mut out),
            },
            MarkKind::Src => rewrite_url(value, here, &mut out),
        }
        at = m.range().end;
    }
    out.push_str(&html[at..]);
    out
}

/// What becomes of a link to `url` on a page: a link to a doc of another audience (`#a`, `/#a`,
/// `/base/index.html#a`: any link inside the site whose fragment is such a doc's anchor),
/// loses its `href` and keeps its text: the anchor names a doc this build must not reveal, and it would
/// be a dead link anyway. (`check` reports such links at their source position.)
pub fn unlink(url: &str, hidden: &HashSet<String>) -> crate::html::Href {
    if leaks(url, hidden) {
        crate::html::Href::Drop
    } else {
        crate::html::Href::Keep
    }
}

/// Whether `url` leads inside the site to a doc of another audience (its fragment is one
/// of `hidden`): the links [`unlink`] drops.
pub fn leaks(url: &str, hidden: &HashSet<String>) -> bool {
    url.rsplit_once('#')
        .is_some_and(|(path, frag)| !path.contains(':') && hidden.contains(frag))
}

/// What every page needs to know about all of them, computed once per build (per page it
/// made rendering quadratic in the number of docs).
pub struct Layout<'a> {
    /// The page of each doc, by section and doc index.
    page_of: Vec<Vec<&'a str>>,
    /// Every doc's anchor → its page (its keys are the set of doc anchors).
    page_of_anchor: HashMap<&'a str, &'a str>,
    /// The site's versions, when it has some: the switcher and each doc's versions.
    pub versions: Option<&'a crate::versions::Versions>,
}

impl<'a> Layout<'a> {
    pub fn new(sections: &'a [PageSection], plans: &'a [Plan]) -> Layout<'a> {
        let mut page_of: Vec<Vec<&str>> = sections
            .iter()
            .map(|s| vec!["index.html"; s.docs.len()])
            .collect();
        for plan in plans {
            for &(s, a, b) in &plan.parts {
                for slot in &mut page_of[s][a..b] {
                    *slot = &plan.path;
                }
            }
        }
        let mut page_of_anchor = HashMap::with_capacity(page_of.iter().map(Vec::len).sum());
        page_of_anchor.extend(sections.iter().zip(&page_of).flat_map(|(s, pages)| {
            s.docs
                .iter()
                .map(|d| d.anchor.as_str())
                .zip(pages.iter().copied())
        }));
        Layout {
            page_of,
            page_of_anchor,
            versions: None,
        }
    }

    pub fn with_versions(self, versions: Option<&'a crate::versions::Versions>) -> Layout<'a> {
        Layout { versions, ..self }
    }

    /// This layout, its links to docs it does not hold leading to their page in `other`
    /// (a root page beside the index's pages).
    pub fn beside(mut self, other: &Layout<'a>) -> Layout<'a> {
        for (anchor, page) in &other.page_of_anchor {
            self.page_of_anchor.entry(anchor).or_insert(page);
        }
        self
    }
}

pub struct Renderer {
    tera: tera::Tera,
    site: Value,
    config: Config,
    edit_url: String,
    endpoint_pages: bool,
}

impl Renderer {
    pub fn new(
        config: &Config,
        audience: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Renderer> {
        // An override replaces its built-in by name, as if the two sets were parsed as one.
        let (mut tera, mut all): (tera::Tera, BTreeMap<&str, &str>) = match &*BUILT_IN {
            Some(built_in) => (built_in.clone(), BTreeMap::new()),
            None => (tera::Tera::default(), TEMPLATES.iter().copied().collect()),
        };
        // A site's template that names a deferred one (to include or extend it) needs it now.
        for name in DEFERRED {
            if overrides.values().any(|text| text.contains(name)) {
                all.entry(name).or_insert(built_in(name));
            }
        }
        for (name, text) in overrides {
            all.insert(name, text);
        }
        tera.add_raw_templates(all.into_iter().collect::<Vec<_>>())
            .context("a template in _endpaper/templates/ (or a built-in one) does not compile")?;
        parsed::conditions_unescaped(&mut tera);
        let site = json!({
            "title": config.title,
            "description": config.description,
            "baseurl": config.baseurl,
            "url": config.url,
            "config": Value::Object(config.raw.clone()),
            "audience": audience,
            "generator": concat!("endpaper ", env!("CARGO_PKG_VERSION")),
            "environments": config.options.environments.iter()
                .map(|e| {
                    let mut env = json!({"name": e.name, "url": e.url});
                    if !e.variables.is_empty() {
                        env["variables"] = e.variables.iter()
                            .map(|v| json!({"name": v.name, "default": v.default, "enum": v.values, "description": v.description}))
                            .collect();
                    }
                    env
                }).collect::<Vec<_>>(),
            "security": config.options.security,
            "tryit": tryit_context(&config.options.tryit),
            "logo": config.branding.logo,
            "favicon": match config.branding.favicon.as_str() {
                "" => format!("assets/{FAVICON}"),
                own => own.to_string(),
            },
        });
        Ok(Renderer {
            tera,
            site,
            config: config.clone(),
            edit_url: config.options.edit_url.clone(),
            endpoint_pages: config.options.endpoint_pages,
        })
    }

    /// `oauth2-redirect.html` from its template, when a scheme signs in with an OAuth2
    /// authorization code: the page the authorization server sends the reader back to.
    pub fn oauth2_redirect(&self) -> Option<Result<String>> {
        if !self.config.options.has_authorization_code() {
            return None;
        }
        let page = json!({"title": format!("Signing in — {}", self.config.title), "root": ""});
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        Some(
            self.with(OAUTH2_REDIRECT)
                .and_then(|tera| Ok(tera.render(OAUTH2_REDIRECT, &ctx)?))
                .context("the oauth2-redirect.html template failed to render"),
        )
    }

    /// The templates with `name` among them: this renderer's, or, for a [`DEFERRED`]
    /// built-in no site template replaced, a copy with it parsed (each is written once).
    fn with(&self, name: &str) -> Result<std::borrow::Cow<'_, tera::Tera>> {
        if self.tera.get_template_names().any(|n| n == name) {
            return Ok(std::borrow::Cow::Borrowed(&self.tera));
        }
        let mut tera = self.tera.clone();
        parsed::add(&mut tera, [name])?;
        parsed::conditions_unescaped(&mut tera);
        Ok(std::borrow::Cow::Owned(tera))
    }

    /// `404.html` from the `404.html` template. Its links start at the site's base path
    /// (`baseurl`), since a host serves it at whatever depth the missing page was.
    pub fn not_found(&self, site_title: &str) -> Result<String> {
        let base = match self.config.baseurl.trim_matches('/') {
            "" => "/".to_string(),
            b => format!("/{b}/"),
        };
        let page = json!({"title": format!("Page not found — {site_title}"), "base": base});
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        self.tera
            .render("404.html", &ctx)
            .context("the 404.html template failed to render")
    }

    /// `changelog.html`: what changed in each version, from the `changelog.html` template.
    pub fn changelog(
        &self,
        versions: &crate::versions::Versions,
        site_title: &str,
    ) -> Result<String> {
        let path = crate::versions::CHANGELOG;
        let page = json!({"title": format!("Changelog — {site_title}"), "root": "", "path": path,
                          "versions": versions.switcher(path), "feed": crate::versions::FEED,
                          "canonical": crate::seo::page_url(&self.config, path).unwrap_or_default()});
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        ctx.insert("changelog", &versions.changelog());
        self.with("changelog.html")
            .and_then(|tera| Ok(tera.render("changelog.html", &ctx)?))
            .context("the changelog.html template failed to render")
    }

    /// Renders page `p` of `plans`. Pure apart from template errors. `layout` is
    /// [`Layout::new`] of the same sections and plans, computed once for all pages.
    pub fn page(
        &self,
        sections: &[PageSection],
        plans: &[Plan],
        layout: &Layout,
        p: usize,
        site_title: &str,
        spool: &Spool,
    ) -> Result<String> {
        let plan = &plans[p];
        // Page 0 carries the map of its old anchors when it is small; a large one is in
        // `redirects.js`, which the theme loads only for an anchor not on the page.
        let (redirects, redirects_src) = if p == 0 && plans.len() > 1 {
            let map = serde_json::to_string(&redirects(sections, plans))?;
            if map.len() > INLINE_REDIRECTS_MAX_BYTES {
                ("{}".to_string(), REDIRECTS_FILE)
            } else {
                (map, "")
            }
        } else {
            ("{}".to_string(), "")
        };
        let title = if plans.len() > 1 && p > 0 {
            format!("{} — {site_title}", sections[plan.parts[0].0].title)
        } else {
            site_title.to_string()
        };
        let description = self.site["description"].as_str().unwrap_or("").to_string();
        let meta = json!({"title": title, "description": description, "kind": "reference",
                          "redirects": redirects, "redirects_src": redirects_src});
        self.fill((sections, spool), layout, plan, &plan.path, meta)
    }

    /// Renders the page of its own of doc `d` of section `s` (`endpoint_pages`): the
    /// same template with that doc alone, its own title and description, the navigation
    /// of the reading page that holds it.
    pub fn endpoint_page(
        &self,
        sections: &[PageSection],
        layout: &Layout,
        (s, d): (usize, usize),
        site_title: &str,
        spool: &Spool,
    ) -> Result<String> {
        let doc = &sections[s].docs[d];
        let plan = Plan {
            path: endpoint_path(&doc.rel),
            parts: vec![(s, d, d + 1)],
        };
        let name = if doc.name.is_empty() {
            &doc.title
        } else {
            &doc.name
        };
        let endpoint = if doc.method.is_empty() {
            String::new()
        } else {
            format!("{} {}", doc.method.to_uppercase(), doc.title)
        };
        let description = match (endpoint.is_empty(), doc.description.is_empty()) {
            (true, _) => doc.description.clone(),
            (false, true) => endpoint.clone(),
            (false, false) => format!("{endpoint} — {}", doc.description),
        };
        let meta = json!({"title": format!("{name} — {site_title}"), "description": description,
                          "kind": "endpoint", "method": doc.method, "api_path": doc.title,
                          "redirects": "{}", "redirects_src": ""});
        self.fill((sections, spool), layout, &plan, layout.page_of[s][d], meta)
    }

    /// Fills `page.html` for the docs of `plan`; `nav_page` is the reading page whose docs
    /// the navigation lists (the plan's own, or the one holding an endpoint page's doc).
    fn fill(
        &self,
        (sections, spool): (&[PageSection], &Spool),
        layout: &Layout,
        plan: &Plan,
        nav_page: &str,
        mut meta: Value,
    ) -> Result<String> {
        let on_page: HashSet<usize> = plan.parts.iter().map(|(s, _, _)| *s).collect();
        let page_of = &layout.page_of;
        let nav: Vec<Value> = sections
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let current = on_page.contains(&si);
                let first_page = page_of[si].first().copied().unwrap_or("index.html");
                // A section split over pages lists the docs of this page, and the first doc
                // of each of its other pages as the way there: every page listing all of a
                // 1,000-doc section made the nav most of each page's size and render time.
                let docs: Vec<Value> = if current {
                    s.docs
                        .iter()
                        .zip(&page_of[si])
                        .enumerate()
                        .filter(|&(i, (_, page))| {
                            *page == nav_page || i == 0 || page_of[si][i - 1] != *page
                        })
                        .map(|(_, (d, page))| {
                            json!({"anchor": d.anchor, "href": link(&plan.path, page, &d.anchor),
                                   "name": d.name, "title": d.title, "method": d.method})
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let mut section = json!({"label": s.label, "title": s.title, "current": current,
                                         "href": page_href(&plan.path, first_page)});
                section["docs"] = Value::Array(docs);
                section
            })
            .collect();
        let root = "../".repeat(plan.path.matches('/').count());
        let here = Here {
            page: &plan.path,
            root: &root,
            base: self.site["baseurl"]
                .as_str()
                .unwrap_or("")
                .trim_end_matches('/'),
            page_of_anchor: &layout.page_of_anchor,
        };
        let edit_url = self.edit_url.as_str();
        let fix = |html: &Chunk, marks: &[Mark], used: &mut HashSet<String>| -> Result<String> {
            let html = spool.get(html).context("cannot read back a doc's HTML")?;
            Ok(place(&html, marks, used, &here))
        };
        let on_plan = plan
            .parts
            .iter()
            .flat_map(|&(si, a, b)| &sections[si].docs[a..b]);
        crate::write::read_ahead(spool, on_plan.flat_map(|d| [&d.prose, &d.code]));
        let mut used = HashSet::new();
        // The docs' columns, the bulk of the page: its buffer is sized by them.
        let mut page_bytes = 0;
        let page_sections: Vec<Value> = plan
            .parts
            .iter()
            .map(|&(si, a, b)| {
                let s = &sections[si];
                let docs = s.docs[a..b]
                    .iter()
                    .map(|d| {
                        // The columns and front matter are moved in: `json!` would copy
                        // each through serde, the largest strings of the page.
                        // Above the prose on the page: its heading ids are taken first.
                        let description = d.description_html.as_deref().map(|html| {
                            let mut marks = Vec::new();
                            crate::document::raw_marks(html, 0, &mut marks);
                            place(html, &marks, &mut used, &here)
                        });
                        let prose = fix(&d.prose, &d.marks[0], &mut used)?;
                        let code = fix(&d.code, &d.marks[1], &mut used)?;
                        page_bytes += prose.len() + code.len();
                        let mut doc = json!({
                            "anchor": d.anchor, "source": d.rel, "method": d.method,
                            "method_known": crate::model::HTTP_METHODS.contains(&d.method.as_str()),
                            "title": d.title, "name": d.name, "description": d.description,
                            "security": crate::config::doc_security(&d.fm).map(|names| names.join(" ")),
                            "edit_url": if edit_url.is_empty() { String::new() } else { edit_url.replace("{path}", &d.rel) },
                            "page_url": if self.endpoint_pages { format!("{}{}", "../".repeat(plan.path.matches('/').count()), endpoint_dir(&d.rel)) } else { String::new() },
                            "markdown_url": format!("{}{}", "../".repeat(plan.path.matches('/').count()), twin_path(&d.rel)),
                        });
                        if let Some(html) = description {
                            doc["description_html"] = Value::String(html);
                        }
                        doc["prose"] = Value::String(prose);
                        doc["code"] = Value::String(code);
                        doc["fm"] = Value::Object((*d.fm).clone());
                        if let Some(v) = layout.versions.and_then(|v| v.doc(&d.anchor, &plan.path)) {
                            doc["versions"] = v;
                        }
                        Ok(doc)
                    })
                    .collect::<Result<Vec<Value>>>()?;
                let mut section = json!({"label": s.label, "title": s.title, "anchor": format!("section-{}", s.label)});
                section["docs"] = Value::Array(docs);
                Ok(section)
            })
            .collect::<Result<_>>()?;
        meta["root"] = json!(root);
        meta["path"] = json!(plan.path);
        meta["search_index"] = json!("search-index.js");
        meta["canonical"] =
            json!(crate::seo::page_url(&self.config, &plan.path).unwrap_or_default());
        if let Some(v) = layout.versions {
            meta["versions"] = v.switcher(&plan.path);
        }
        let mut cx = serde_json::Map::new();
        cx.insert("site".into(), self.site.clone());
        cx.insert("page".into(), meta);
        cx.insert("nav".into(), Value::Array(nav));
        cx.insert("sections".into(), Value::Array(page_sections));
        let cx = tera::Context::from_value(Value::Object(cx))?;
        // The page is written into one buffer sized for the docs' HTML it holds, not grown
        // from Tera's small default by doubling.
        let mut out = Vec::with_capacity(page_bytes + PAGE_FRAME_BYTES);
        self.tera.render_to("page.html", &cx, &mut out)?;
        Ok(String::from_utf8(out)?)
    }
}

/// Output path of a doc's page of its own: `_orders/get_order.md` → `orders/get_order/index.html`.
pub fn endpoint_path(rel: &str) -> String {
    format!("{}index.html", endpoint_dir(rel))
}

fn endpoint_dir(rel: &str) -> String {
    format!("{}/", doc_stem(rel))
}

#[cfg(test)]
mod tests;
