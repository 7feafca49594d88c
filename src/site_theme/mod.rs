//! The site's own theme: Jekyll 4.3's way of rendering a page (Liquid over the page, kramdown
//! for markdown pages, then each layout of the chain around it), on the build's one Liquid
//! engine. The endpaper theme uses it to read a site's structure off its root pages
//! ([`crate::structure`]); `theme: site` ([`write()`]) writes them as Jekyll does:
//! - every page (a file with front matter outside `_` folders) through Liquid and its
//!   layouts, with `site.collections` docs carrying their rendered `content`;
//! - Sass pages compiled by `grass` with `_sass/` as load path ([`sass`]);
//! - `{% seo %}` as jekyll-seo-tag writes it ([`seo`]), `sitemap.xml` and `robots.txt` as
//!   jekyll-sitemap does ([`crate::seo`], the writer endpaper's theme uses too), when the
//!   site lists those plugins.
//!
//! Static files are copied by the build, as for the endpaper theme.

pub mod sass;
pub mod seo;

use crate::diagnostics::Diagnostic;
use crate::error::{Pos, SourceError};
use crate::frontmatter::{self, Split};
use crate::liquid::site::{self, SiteView};
use crate::liquid::{Engine, Mode, Source};
use crate::load::{LoadedSite, Unused};
use crate::model::{Defaults, Section};
use crate::write::Sink;
use anyhow::{Context as _, Result};
use liquid_core::Value as LValue;
use liquid_core::ValueView;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::HashMap;

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

/// Layouts deeper than this are a cycle or a mistake (Jekyll has no limit but loops forever).
const MAX_LAYOUT_DEPTH: usize = 16;

/// One rendered page.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<SourceError>,
}

/// A page of the site (a file with front matter outside the `_` folders), parsed.
#[derive(Debug, Clone)]
pub struct Page<'s> {
    pub rel: &'s str,
    pub full: &'s str,
    /// Front matter with `_config.yml` defaults laid under it.
    pub fm: Map<String, Value>,
    pub body_offset: usize,
    /// Output path: `internal/index.html`.
    pub path: String,
}

impl<'s> Page<'s> {
    /// Parses a page's front matter (malformed YAML is a located error).
    pub fn parse(
        rel: &'s str,
        full: &'s str,
        site: &LoadedSite,
        defaults: &Defaults,
    ) -> Result<Page<'s>, SourceError> {
        // A `---` never closed leaves the page no data and its whole text as content, as
        // Jekyll's `read_yaml` reads it (`load` warns).
        let (fm, body_offset) = front_matter(rel, full)?.unwrap_or((Map::new(), 0));
        let fm = defaults.apply(rel, "pages", fm);
        let permalink = fm.get("permalink").and_then(Value::as_str);
        let site_permalink = frontmatter::text(site.config.raw.get("permalink"));
        let path = output_path(rel, permalink, &site_permalink);
        Ok(Page {
            rel,
            full,
            fm,
            body_offset,
            path,
        })
    }

    /// Whether Jekyll converts the page's body from markdown.
    pub fn is_markdown(&self) -> bool {
        crate::load::is_markdown(self.rel)
    }

    /// `page` as Jekyll's page drop shows it.
    pub fn value(&self) -> LValue {
        let mut m = self.fm.clone();
        let name = self.rel.rsplit('/').next().unwrap_or(self.rel);
        let url = match self.path.strip_suffix("index.html") {
            Some(d) => format!("/{d}"),
            None => format!("/{}", self.path),
        };
        // Jekyll's `Page#dir`: the URL's folder (a permalink moves it), not the source's.
        let dir = if url.ends_with('/') {
            url.clone()
        } else {
            url.rsplit_once('/')
                .map_or("/".to_string(), |(d, _)| format!("{d}/"))
        };
        // Jekyll 4.3 gives a page no excerpt of its own: `page.excerpt` is nil unless the
        // front matter sets one.
        m.entry("excerpt").or_insert(Value::Null);
        // `Page#path` is the front matter's `path` when it sets one.
        m.entry("path")
            .or_insert_with(|| Value::String(self.rel.to_string()));
        for (k, v) in [
            // The body as written, before Liquid, in the page and in its layouts alike.
            ("content", self.full[self.body_offset..].to_string()),
            ("name", name.to_string()),
            ("dir", dir),
            ("url", url),
        ] {
            m.insert(k.to_string(), Value::String(v));
        }
        crate::liquid::site::front_matter(&m, self.full)
    }
}

type FrontMatter = Map<String, Value>;

/// A file's front matter (empty without one) and the offset its body starts at; `None`
/// when a `---` block is never closed.
fn front_matter(rel: &str, text: &str) -> Result<Option<(FrontMatter, usize)>, SourceError> {
    Ok(match frontmatter::split(text) {
        Split::Block {
            yaml,
            yaml_line,
            body_offset,
            ..
        } => Some((
            crate::config::zone::front_matter(yaml, std::path::Path::new(rel), yaml_line)?.0,
            body_offset,
        )),
        Split::Unterminated => None,
        Split::None => Some((Map::new(), 0)),
    })
}

/// Jekyll's `jekyll` variable: the environment (`JEKYLL_ENV`, default `development`, as in
/// `jekyll build`) and version.
fn jekyll_value() -> LValue {
    let env = std::env::var("JEKYLL_ENV").unwrap_or_else(|_| "development".into());
    liquid_core::model::to_value(&serde_json::json!({"environment": env, "version": "4.3.1"}))
        .unwrap_or(LValue::Nil)
}

/// Renders `page` as Jekyll does: Liquid over the body, kramdown if it is markdown, then each
/// layout of its chain with `content`, `page` and `layout`. `extra` are more variables (a
/// `site` here replaces the engine's, for a site model with rendered doc content).
/// `seo` is what `{% seo %}` writes on this page, when the caller provides it.
pub fn render_page(
    engine: &Engine,
    site: &LoadedSite,
    page: &Page,
    extra: &[(&str, &dyn ValueView)],
    seo: Option<&str>,
) -> Result<Rendered, SourceError> {
    let mut out = Rendered::default();
    let page_value = page.value();
    let jekyll = jekyll_value();
    let mut vars: Vec<(&str, &dyn ValueView)> = vec![("page", &page_value), ("jekyll", &jekyll)];
    vars.extend_from_slice(extra);
    let seo_value;
    if let Some(s) = seo {
        seo_value = LValue::scalar(s.to_string());
        vars.push((SEO_VAR, &seo_value));
    }
    let seo = seo.is_some();
    let text = render_template(
        engine,
        page.rel,
        page.full,
        page.body_offset,
        &vars,
        seo,
        &mut out,
    )?;
    let content = if page.is_markdown() {
        crate::liquid::markdown_html(&text)
    } else {
        text
    };
    let layout = frontmatter::text(page.fm.get("layout"));
    out.html = apply_layouts(
        engine,
        site,
        (page.rel, content, layout),
        &vars,
        seo,
        &mut out,
    )?;
    Ok(out)
}

/// `content` of the page or doc `rel` through its layout `layout_name` and each layout that
/// one names, with `vars`, `layout` and `content`.
fn apply_layouts(
    engine: &Engine,
    site: &LoadedSite,
    (rel, mut content, mut layout_name): (&str, String, String),
    vars: &[(&str, &dyn ValueView)],
    seo: bool,
    out: &mut Rendered,
) -> Result<String, SourceError> {
    let mut depth = 0;
    while !layout_name.is_empty() && layout_name != "none" && layout_name != "null" {
        let Some((lrel, ltext)) = site.layouts.get(&layout_name) else {
            out.diagnostics.push(Diagnostic::warning(
                "missing-layout",
                rel,
                Pos::new(1, 1),
                format!(
                    "layout `{layout_name}` is not in _layouts/; the page is written without it"
                ),
            ));
            break;
        };
        depth += 1;
        if depth > MAX_LAYOUT_DEPTH {
            return Err(SourceError::new(
                lrel,
                Pos::new(1, 1),
                format!("layouts nest deeper than {MAX_LAYOUT_DEPTH}: is there a cycle through `{layout_name}`?"),
            ));
        }
        // A layout whose `---` is never closed is all body, as Jekyll reads it.
        let (lfm, lbody_offset) = front_matter(lrel, ltext)?.unwrap_or((Map::new(), 0));
        let layout_value = crate::liquid::site::front_matter(&lfm, ltext);
        let content_value = LValue::scalar(std::mem::take(&mut content));
        let mut lvars = vars.to_vec();
        lvars.push(("layout", &layout_value));
        lvars.push(("content", &content_value));
        content = render_template(engine, lrel, ltext, lbody_offset, &lvars, seo, out)?;
        layout_name = frontmatter::text(lfm.get("layout"));
    }
    Ok(content)
}

/// Whether Jekyll writes a page for each doc of collection `label` (`Collection#write?`:
/// its `output`, in Ruby's truth).
fn writes_docs(site: &LoadedSite, label: &str) -> bool {
    // Jekyll writes its posts whatever `_config.yml` says (`add_default_collections`).
    if label == "posts" {
        return true;
    }
    let output = site
        .config
        .raw
        .get("collections")
        .and_then(|c| c.get(label))
        .and_then(|c| c.get("output"));
    !matches!(output, None | Some(Value::Null | Value::Bool(false)))
}

/// Where a doc's URL is written: `/guides/a/` → `guides/a/index.html`.
fn url_file(url: &str) -> String {
    let path = crate::links::percent_decode(url).unwrap_or_else(|| url.to_string());
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Renders one template of a page (its body, or a layout from `base` on in `full`), with
/// `{% seo %}` read as the variable the caller set when `seo`; findings go to `out`.
fn render_template(
    engine: &Engine,
    rel: &str,
    full: &str,
    base: usize,
    vars: &[(&str, &dyn ValueView)],
    seo: bool,
    out: &mut Rendered,
) -> Result<String, SourceError> {
    let replaced;
    let full = if seo && has_seo(&full[base..]) {
        // The front matter stays in front, so positions keep naming the file's lines.
        replaced = format!("{}{}", &full[..base], with_seo(&full[base..]));
        replaced.as_str()
    } else {
        full
    };
    let ex = engine.render(&Source { rel, full, base }, vars, Mode::Html)?;
    out.diagnostics.extend(ex.diagnostics);
    out.errors.extend(ex.errors);
    Ok(ex.text)
}

/// A doc's body through Liquid, with `page` its drop (and `extra` more variables): what
/// Jekyll converts into the doc's `content`.
pub fn doc_body(
    engine: &Engine,
    doc: &crate::model::Doc,
    extra: &[(&str, &dyn ValueView)],
) -> Result<crate::liquid::Expanded, SourceError> {
    let text = doc.text()?;
    let page = engine.page(doc, &text);
    let mut vars: Vec<(&str, &dyn ValueView)> = vec![("page", &page)];
    vars.extend_from_slice(extra);
    engine.render(
        &Source {
            rel: &doc.rel,
            full: &text,
            base: doc.body_offset,
        },
        &vars,
        Mode::Markdown,
    )
}

/// What [`write()`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// Output files, output-relative.
    pub files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Located errors: the build fails on them (after reporting all).
    pub errors: Vec<SourceError>,
    /// The migration report: what of the site was honoured, and what was not.
    pub report: Vec<String>,
}

/// The Jekyll plugins `_config.yml` turns on (`plugins:`, or the older `gems:`).
fn plugins(site: &LoadedSite) -> impl Iterator<Item = &str> {
    ["plugins", "gems"]
        .into_iter()
        .filter_map(|k| site.config.raw.get(k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
}

/// Whether `_config.yml` turns a Jekyll plugin on.
pub fn uses_plugin(site: &LoadedSite, name: &str) -> bool {
    plugins(site).any(|p| p == name)
}

/// What the migration report lists as unused under `theme: site`: not the layouts and
/// Sass, which this theme renders.
pub fn unused(all: &[Unused]) -> Vec<Unused> {
    all.iter()
        .filter(|u| {
            !(u.rel.starts_with("_layouts/")
                || u.rel.starts_with("_sass/")
                || u.rel.ends_with(".scss")
                || u.rel.ends_with(".sass"))
        })
        .cloned()
        .collect()
}

/// A page's file name without its extension: `internal.html` → `internal`.
pub fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The audience other than `audience` that root page `rel` is named after
/// (`future_internal.html` → `future-internal`), among the site's `audiences`.
pub fn named_audience<'a>(rel: &str, audience: &str, audiences: &'a [String]) -> Option<&'a str> {
    let stem = stem(rel);
    audiences
        .iter()
        .find(|a| a.as_str() != audience && (a.as_str() == stem || a.replace('-', "_") == stem))
        .map(String::as_str)
}

/// Who the build is for: its audience and all the site's.
#[derive(Debug, Clone, Copy)]
pub struct Audience<'a> {
    pub name: &'a str,
    pub all: &'a [String],
}

/// `theme: site`: writes every page of the site as Jekyll 4.3 does. `sections` are the docs
/// of the audience being built (the engine's site model holds only those); `listed` says
/// how many of them each root page lists (read by `structure`): a root page named after
/// another audience that lists none of this build's is not written, as with endpaper's
/// theme.
pub fn write(
    site: &LoadedSite,
    engine: &Engine,
    sections: &[Section],
    listed: &HashMap<String, usize>,
    audience: Audience,
    sink: &dyn Sink,
) -> Result<Written> {
    let mut out = Written::default();
    // Jekyll renders every doc before any page, so a page sees `doc.content` as HTML.
    // A doc sees the others' `content` empty (their bodies are not copied into the model).
    let unrendered = engine.site_with(crate::liquid::site::Content::Empty);
    let docs: Vec<&crate::model::Doc> = sections.iter().flat_map(|s| &s.docs).collect();
    type Done = (Html, Vec<Diagnostic>, Vec<SourceError>);
    let rendered: Vec<Result<Done, SourceError>> = docs
        .par_iter()
        .map(|d| {
            let ex = doc_body(engine, d, &[("site", &unrendered)])?;
            // Jekyll's excerpt: the body up to the first blank line, rendered.
            let first = ex.text.trim_start().split("\n\n").next().unwrap_or("");
            let html = Html {
                content: crate::liquid::markdown_html(&ex.text),
                excerpt: crate::liquid::markdown_html(first),
            };
            Ok((html, ex.diagnostics, ex.errors))
        })
        .collect();
    let mut content: HashMap<&str, Html> = HashMap::new();
    for (d, r) in docs.iter().zip(rendered) {
        match r {
            Ok((html, diags, errors)) => {
                content.insert(d.rel.as_str(), html);
                out.diagnostics.extend(diags);
                out.errors.extend(errors);
            }
            Err(e) => out.errors.push(e),
        }
    }
    let site_value = with_content(unrendered, &content);
    let defaults = Defaults::from_config(&site.config.raw);
    let seo_on = uses_plugin(site, "jekyll-seo-tag");
    let mut sitemap_pages = Vec::new();
    for (rel, text) in &site.pages {
        if rel.ends_with(".scss") || rel.ends_with(".sass") {
            // Jekyll runs Liquid over a Sass page before the converter sees it, with the
            // page's drop as `page` (its URL the CSS's).
            let text = if crate::liquid::has_liquid(text) {
                let page = match Page::parse(rel, text, site, &defaults) {
                    Ok(mut p) => {
                        p.path = sass::output_path(rel);
                        p.value()
                    }
                    Err(e) => {
                        out.errors.push(e);
                        continue;
                    }
                };
                let ex = engine.render(
                    &Source {
                        rel,
                        full: text,
                        base: 0,
                    },
                    &[("page", &page)],
                    Mode::Html,
                )?;
                out.diagnostics.extend(ex.diagnostics);
                out.errors.extend(ex.errors);
                ex.text
            } else {
                text.clone()
            };
            match sass::compile(site, rel, &text) {
                Ok((path, css)) => {
                    sink.write(&path, css.as_bytes())?;
                    out.report
                        .push(format!("{rel}: compiled to {path} (Sass, through grass)"));
                    out.files.push(path);
                }
                Err(e) => out.errors.push(e),
            }
            continue;
        }
        let page = match Page::parse(rel, text, site, &defaults) {
            Ok(p) => p,
            Err(e) => {
                out.errors.push(e);
                continue;
            }
        };
        let is_html = rel.ends_with(".html") || rel.ends_with(".htm") || page.is_markdown();
        let docs = listed.get(rel.as_str()).copied();
        if docs == Some(0) {
            if let Some(other) = named_audience(rel, audience.name, audience.all) {
                out.report.push(format!(
                    "{rel}: lists no doc of the `{}` audience, so this build does not write it (its docs are built with `--audience {other}`)",
                    audience.name
                ));
                continue;
            }
        }
        let seo = (seo_on && is_html).then(|| seo::tag(&site.config.raw, &page.fm, &page.path));
        let page = if is_html {
            page
        } else {
            // Other pages (feeds, JSON, JS with front matter) go through Liquid only.
            let mut p = page;
            p.fm.remove("layout");
            p.path = rel.clone();
            p
        };
        let r = render_page(
            engine,
            site,
            &page,
            &[("site", &site_value)],
            seo.as_deref(),
        )?;
        out.diagnostics.extend(r.diagnostics);
        out.errors.extend(r.errors);
        sink.write(&page.path, r.html.as_bytes())?;
        if is_html {
            let docs = match docs {
                Some(1) => format!(", listing 1 doc of the `{}` audience", audience.name),
                Some(n) if n > 1 => {
                    format!(", listing {n} docs of the `{}` audience", audience.name)
                }
                _ => String::new(),
            };
            out.report.push(format!(
                "{rel}: written as {} with the site's layouts and includes{docs}",
                page.path
            ));
        }
        if is_html && page.fm.get("sitemap") != Some(&Value::Bool(false)) && page.path != "404.html"
        {
            sitemap_pages.push(page.path.clone());
        }
        out.files.push(page.path);
    }
    // Docs of collections with `output: true`, each at its URL through its layouts, after
    // the pages as Jekyll writes them.
    let mut doc_pages = 0;
    for d in &docs {
        let Some(html) = content.get(d.rel.as_str()) else {
            continue;
        };
        if !writes_docs(site, &d.collection)
            || d.fm.map().get("published") == Some(&Value::Bool(false))
            || d.url.contains('#')
        {
            continue;
        }
        let path = url_file(&d.url);
        let text = d.text()?;
        let mut page = engine.page(d, &text);
        if let LValue::Object(o) = &mut page {
            o.insert("content".into(), LValue::scalar(html.content.clone()));
        }
        let jekyll = jekyll_value();
        let seo = seo_on.then(|| LValue::scalar(seo::tag(&site.config.raw, &d.fm.map(), &path)));
        let mut vars: Vec<(&str, &dyn ValueView)> =
            vec![("page", &page), ("jekyll", &jekyll), ("site", &site_value)];
        if let Some(s) = &seo {
            vars.push((SEO_VAR, s));
        }
        let mut r = Rendered::default();
        let layout = frontmatter::text(d.fm.map().get("layout"));
        let written = apply_layouts(
            engine,
            site,
            (&d.rel, html.content.clone(), layout),
            &vars,
            seo.is_some(),
            &mut r,
        )?;
        out.diagnostics.extend(r.diagnostics);
        out.errors.extend(r.errors);
        sink.write(&path, written.as_bytes())?;
        if d.fm.map().get("sitemap") != Some(&Value::Bool(false)) {
            sitemap_pages.push(path.clone());
        }
        out.files.push(path);
        doc_pages += 1;
    }
    // Their static files at their URLs (markdown without front matter is copied with the
    // site's other static files).
    let templates = crate::model::Templates::from_config(&site.config.raw, site.time);
    let mut copied = 0;
    for (label, rel) in &site.collection_files {
        if !writes_docs(site, label) || crate::load::is_markdown(rel) {
            continue;
        }
        let path = url_file(&crate::model::static_url(rel, label, templates.of(label)));
        let bytes =
            std::fs::read(site.root.join(rel)).with_context(|| format!("cannot read {rel}"))?;
        sink.write(&path, &bytes)?;
        out.files.push(path);
        copied += 1;
    }
    if doc_pages + copied > 0 {
        out.report.push(format!(
            "{doc_pages} doc(s) and {copied} static file(s) of collections with `output: true`: each written at its URL (docs through their layouts), as Jekyll writes them"
        ));
    }
    for plugin in plugins(site) {
        out.report.push(match plugin {
            "jekyll-seo-tag" => {
                "plugin jekyll-seo-tag: `{% seo %}` is written as its version 2.8 writes it".into()
            }
            "jekyll-sitemap" => format!(
                "plugin jekyll-sitemap: sitemap.xml ({} page(s)) and robots.txt are written as it writes them",
                sitemap_pages.len()
            ),
            other => format!(
                "plugin {other}: not run (endpaper runs no Ruby plugin); what it adds to the site is missing"
            ),
        });
    }
    if content
        .values()
        .any(|h| h.content.contains("highlighter-rouge"))
    {
        out.report.push(
            "code samples: kramdown's markup, without Rouge's highlighting spans (the same text; the site's syntax colours do not apply)".into(),
        );
    }
    if uses_plugin(site, "jekyll-sitemap") {
        let root = crate::seo::jekyll_root(&site.config);
        let xml = crate::seo::sitemap(&root, &sitemap_pages);
        sink.write("sitemap.xml", xml.as_bytes())?;
        out.files.push("sitemap.xml".into());
        if !site.statics.iter().any(|s| s == "robots.txt")
            && !out.files.iter().any(|f| f == "robots.txt")
        {
            sink.write("robots.txt", crate::seo::robots(Some(&root)).as_bytes())?;
            out.files.push("robots.txt".into());
        }
    }
    Ok(out)
}

/// A doc rendered, as pages see it.
struct Html {
    content: String,
    excerpt: String,
}

/// `site` with each doc's `content` and `excerpt` its rendered HTML (by `path`).
fn with_content<'a>(site: SiteView<'a>, content: &'a HashMap<&str, Html>) -> SiteView<'a> {
    site.map_docs(|path, doc| {
        if let Some(html) = content.get(path) {
            doc.insert("excerpt".into(), LValue::scalar(html.excerpt.clone()));
            doc.insert("content".into(), LValue::scalar(html.content.clone()));
        }
    })
}

/// The variable `{% seo %}` becomes (jekyll-seo-tag is a Ruby plugin: endpaper writes its
/// output itself, see [`seo`]).
const SEO_VAR: &str = "endpaper_seo_tag";

fn has_seo(text: &str) -> bool {
    text.contains("seo")
}

/// `{% seo %}` (with or without options) → `{{ endpaper_seo_tag }}`, same length lines kept.
fn with_seo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        let Some(end) = rest[i..].find("%}") else {
            break;
        };
        let inner = rest[i + 2..i + end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        out.push_str(&rest[..i]);
        if inner == "seo" || inner.starts_with("seo ") {
            out.push_str("{{ ");
            out.push_str(SEO_VAR);
            out.push_str(" }}");
        } else {
            out.push_str(&rest[i..i + end + 2]);
        }
        rest = &rest[i + end + 2..];
    }
    out.push_str(rest);
    out
}

/// The site's pages as Jekyll's page drops (`content` the source after the front matter, as
/// Jekyll gives it for a page not yet rendered) and its static files as `StaticFileDrop`s.
/// A page whose front matter does not parse is left out: rendering it reports the error.
pub fn root_files(loaded: &LoadedSite) -> site::RootFiles {
    let defaults = crate::model::Defaults::from_config(&loaded.config.raw);
    let mut pages: Vec<Page> = loaded
        .pages
        .iter()
        .filter_map(|(rel, text)| {
            let mut page = Page::parse(rel, text, loaded, &defaults).ok()?;
            // Where `site_theme::write` writes it: Sass as its CSS, a page that is not HTML
            // under its own name.
            if rel.ends_with(".scss") || rel.ends_with(".sass") {
                page.path = sass::output_path(rel);
            } else if !(rel.ends_with(".html") || rel.ends_with(".htm") || page.is_markdown()) {
                page.path = rel.clone();
            }
            Some(page)
        })
        .collect();
    // `site.pages.sort_by!(&:name)`: the file name, not the path (`docs/a.md` before `b.md`).
    pages.sort_by(|a, b| {
        site::name_of(a.rel)
            .cmp(site::name_of(b.rel))
            .then(a.rel.cmp(b.rel))
    });
    let mut html_pages = Vec::new();
    let pages = pages
        .iter()
        .map(|p| {
            let value = p.value();
            // `Site#html_pages`: pages whose output is HTML (`Page#html?`) or whose URL is a
            // folder.
            if [".html", ".htm", ".xhtml"]
                .iter()
                .any(|ext| p.path.ends_with(ext))
            {
                html_pages.push(value.clone());
            }
            value
        })
        .collect();
    let mut statics = site::static_files(loaded);
    statics.extend(collection_files(loaded));
    site::RootFiles::new(pages, html_pages, statics)
}

/// The static files of the collection folders, after the root ones as Jekyll appends them
/// (`Collection#read`): each declared collection in `_config.yml`'s order, its files by
/// path. They are the files that are no doc (`load` lists them, with the markdown files the
/// model found without front matter).
fn collection_files(loaded: &LoadedSite) -> Vec<liquid_core::Value> {
    let mut files: Vec<&(String, String)> = loaded.collection_files.iter().collect();
    let order = |l: &str| loaded.collection_order.iter().position(|c| c == l);
    files.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then(a.1.cmp(&b.1)));
    files
        .into_iter()
        .map(|(label, rel)| site::static_file(&loaded.root, rel, Some(label)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn output_paths_follow_jekyll_permalinks() {
        assert_eq!(output_path("index.html", None, "pretty"), "index.html");
        assert_eq!(
            output_path("internal.html", None, "pretty"),
            "internal/index.html"
        );
        assert_eq!(output_path("internal.html", None, ""), "internal.html");
        assert_eq!(output_path("v1.md", None, "date"), "v1.html");
        assert_eq!(
            output_path("docs/index.html", None, "pretty"),
            "docs/index.html"
        );
        assert_eq!(
            output_path("docs/v2.html", None, "pretty"),
            "docs/v2/index.html"
        );
        assert_eq!(
            output_path("x.html", Some("/beta/"), "pretty"),
            "beta/index.html"
        );
        assert_eq!(output_path("x.html", Some("/"), ""), "index.html");
        assert_eq!(output_path("x.html", Some("/old.html"), ""), "old.html");
    }

    use super::*;

    #[test]
    fn seo_tags_become_the_seo_variable() {
        assert_eq!(
            with_seo("a {% seo %} b {%- seo title=false -%} {% if x %}c{% endif %}"),
            "a {{ endpaper_seo_tag }} b {{ endpaper_seo_tag }} {% if x %}c{% endif %}"
        );
    }
}
