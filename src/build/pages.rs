//! The write steps: lay out the reference (the site's own structure), write its pages, and
//! write the files beside them (search index, machine docs, assets, statics, the site's own
//! pages with `theme: site`). Every write goes through a [`Recorder`], which is what the
//! outcome lists as the build's files.

use super::docs::DocOut;
use super::fail;
use super::session::{Memo, PageKeys};
use crate::config::Theme;
use crate::diagnostics::Diagnostic;
use crate::liquid::Engine;
use crate::load::LoadedSite;
use crate::model;
use crate::render::{self, PageDoc, PageSection, Plan, Renderer};
use crate::search_index::SearchText;
use crate::spool::{Chunk, Spool};
use crate::store::{Fields, Key};
use crate::write::{Recorder, Sink};
use crate::{machine_docs, search_index, seo, site_theme, structure};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The docs as page sections, in the model's order (each root page, the index among them,
/// arranges them as it lists them: [`structure::arrange`]).
pub(super) fn sections(model: &model::Model, outs: &[Arc<DocOut>]) -> Vec<PageSection> {
    // `outs` are in the model's order; each section takes its run of them. In parallel: a
    // `serve` rebuild lays out every doc again, 600,000 strings at 100,000 docs.
    let mut start = 0;
    model
        .sections
        .iter()
        .map(|s| {
            let here = &outs[start..start + s.docs.len()];
            start += s.docs.len();
            PageSection {
                label: s.label.clone(),
                title: s.title.clone(),
                docs: s
                    .docs
                    .par_iter()
                    .zip(here)
                    .map(|(d, o)| page_doc(d, o))
                    .collect(),
            }
        })
        .collect()
}

/// A doc as its pages show it: its model's fields, its output's parts (shared, not copied).
pub(super) fn page_doc(d: &model::Doc, o: &DocOut) -> PageDoc {
    PageDoc {
        anchor: d.anchor.clone(),
        rel: d.rel.clone(),
        method: d.method.clone(),
        title: d.display_title.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        description_html: o.description_html.clone(),
        prose: o.prose.clone(),
        code: o.code.clone(),
        marks: o.marks.clone(),
        fm: Arc::clone(&o.fm),
        // Read back by the search index as it is written, not held to the end.
        terms: o.terms.clone(),
        text: o.text.clone(),
        markdown: o.markdown.clone(),
    }
}

/// Everything [`structure::read`] reads, as one key: the site's files but the docs, the
/// audience, and each doc's place and front matter (a structure render sees no body), so a
/// rebuild whose edits are all in doc bodies does not render the root pages again. The site
/// is taken apart field by field: a field added to it does not compile until it is hashed
/// here or said to be irrelevant.
pub(super) fn structure_key(site: &LoadedSite, model: &model::Model, audience: &str) -> Key {
    let LoadedSite {
        root: _,
        config,
        // Which docs a page lists, and where, is read with the time left out of the key
        // (with the clock it would never match); a page that shows the time is the `clock`
        // note's (`model::clock_notes`).
        time: _,
        docs: _,
        includes,
        data,
        statics,
        collection_files,
        template_overrides: _,
        asset_overrides: _,
        layouts,
        sass: _,
        pages,
        collection_order,
        unused: _,
        diagnostics: _,
    } = site;
    let config = format!("{config:?}");
    let mut fields = Fields::of(["structure", crate::store::SALT, &config].map(str::as_bytes));
    let texts = includes.iter().chain(data);
    fields.put_all(texts.flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]));
    fields.put_all(statics.iter().chain(collection_order).map(|s| s.as_bytes()));
    fields.put_all(collection_files.iter().map(|(_, s)| s.as_bytes()));
    for (name, (path, text)) in layouts {
        fields.put_all([name, path, text].map(|f| f.as_bytes()));
    }
    let pages = pages.iter().flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]);
    fields.put_all(pages);
    fields.put(audience.as_bytes());
    for s in &model.sections {
        fields.put_all([&s.label, &s.title].map(|f| f.as_bytes()));
        for d in &s.docs {
            fields.put_all([
                d.rel.as_bytes(),
                d.anchor.as_bytes(),
                d.front_hash().as_bytes(),
            ]);
        }
    }
    fields.key()
}

/// The laid-out reference and everything else the write steps read; the steps are its
/// methods.
pub(super) struct Reference<'a> {
    /// The docs of the index's pages, in its order.
    pub(super) sections: &'a [PageSection],
    /// Every doc of the build, in the model's order: the other root pages' docs are taken
    /// from these (a version's page lists docs the index does not).
    pub(super) all_sections: &'a [PageSection],
    pub(super) plans: &'a [Plan],
    pub(super) layout: &'a render::Layout<'a>,
    pub(super) structure: &'a structure::Structure,
    pub(super) renderer: &'a Renderer,
    pub(super) title: &'a str,
    /// Where the docs' HTML and machine text wait.
    pub(super) spool: &'a Spool,
    pub(super) site: &'a LoadedSite,
    pub(super) model: &'a model::Model,
    pub(super) engine: &'a Engine<'a>,
    /// Each doc's output, in the model's order.
    pub(super) outs: &'a [Arc<DocOut>],
    pub(super) keys: &'a PageKeys,
    /// What the last build wrote, for this one to keep what it would write the same.
    pub(super) last: &'a Memo,
    pub(super) audience: &'a str,
    /// Every audience the site's collections name.
    pub(super) audiences: &'a [String],
    pub(super) theme: Theme,
    /// The cache folder, where `openapi.json`'s layout is kept for the next build.
    pub(super) cache: Option<&'a std::path::Path>,
}

/// Files written, each with the key of what it holds, for the next build to keep it.
pub(super) type Keyed = Vec<(String, blake3::Hash)>;

/// What the support step leaves for the outcome and the memo.
pub(super) struct Support {
    /// The index and the redirect map, each with its key, for the next build to keep it.
    pub(super) files: Keyed,
    /// The key of the full text for search (`search-text.js`, a machine file).
    pub(super) text_key: blake3::Hash,
    /// With `theme: site`: the site's own pages and files written, and its migration report.
    pub(super) site_files: Option<(Vec<String>, Vec<String>)>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// The most runs a decorated page is written in (see [`Reference::write_pages`]).
const MAX_PAGE_PARTS: usize = 16;

impl Reference<'_> {
    /// Renders and writes each page whose key is not the last build's (that one is kept),
    /// and each other root page of the site that lists docs of this build.
    pub(super) fn write_pages(&self, sink: &Recorder) -> Result<()> {
        let r = self;
        let write = |path: &str, html: Result<String>| {
            let html = html.with_context(|| format!("cannot render page {path}"))?;
            // Written in runs, the page's and its inserts', so a long page is not copied into
            // a page of its own; but each run is a write call of its own, and a page with
            // many inserts (old anchors of every doc) is written whole.
            let page = r.structure.decorated(path, html);
            let parts = page.parts();
            if parts.len() > MAX_PAGE_PARTS {
                return sink.write(path, parts.concat().as_bytes());
            }
            let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
            sink.write_parts(path, &parts)
        };
        (0..r.plans.len()).into_par_iter().try_for_each(|p| {
            let path = &r.plans[p].path;
            if r.last.has_file(path, &r.keys.pages[p]) && sink.keep(path) {
                return Ok(());
            }
            let html = r
                .renderer
                .page(r.sections, r.plans, r.layout, p, r.title, r.spool);
            write(path, html)
        })?;
        let extra_pages: Vec<&structure::RootPage> = r
            .structure
            .extra_pages()
            .filter(|p| !r.plans.iter().any(|pl| pl.path == p.path))
            // The first root page at a path is the one written there.
            .filter_map(|p| r.structure.pages.iter().find(|q| q.path == p.path))
            .collect();
        extra_pages.par_iter().try_for_each(|page| -> Result<()> {
            let path = &page.path;
            let own = structure::arrange(r.all_sections, &page.docs)
                .unwrap_or_else(|| r.all_sections.to_vec());
            let parts = own.iter().enumerate().map(|(i, s)| (i, 0, s.docs.len()));
            let own_plans = vec![render::Plan {
                path: path.clone(),
                parts: parts.collect(),
            }];
            let mut own_layout = render::Layout::new(&own, &own_plans);
            if r.layout.versions.is_some() {
                // A doc two versions share links to docs of the newest on the other's page.
                own_layout = own_layout.with_versions(r.layout.versions).beside(r.layout);
            }
            let title = Some(page.title.as_str()).filter(|t| !t.is_empty());
            let title = title.unwrap_or(r.title);
            let html = (r.renderer).page(&own, &own_plans, &own_layout, 0, title, r.spool);
            write(path, html)
        })
    }

    /// Writes what the pages load or link to (search index, redirects, 404 page, endpoint
    /// pages, assets, statics, with `theme: site` the site's own pages): what no open page
    /// reads is [`Reference::write_machine_files`]'s. `pages` takes what belongs to
    /// endpaper's own reference (nothing with `theme: site`), `all` the rest.
    pub(super) fn write_support_files(&self, pages: &Recorder, all: &Recorder) -> Result<Support> {
        let r = self;
        let (site, model, engine, outs, keys, memo) =
            (r.site, r.model, r.engine, r.outs, r.keys, r.last);
        // The index holds each doc's fields and terms (its index key) and its page and
        // section (the layout key); the full text each doc's text.
        let site_key = |doc_key: fn(&DocOut) -> &[u8; 32]| {
            let mut h = blake3::Hasher::new();
            h.update(keys.layout.as_bytes());
            for o in outs {
                h.update(doc_key(o));
            }
            h.finalize()
        };
        let index_key = site_key(|o| &o.index_key);
        let text_key = site_key(|o| &o.text_key);
        let mut files = vec![("search-index.js".to_string(), index_key)];
        if !(memo.has_file("search-index.js", &index_key) && pages.keep("search-index.js")) {
            let chunks = search_index::search_index(r.sections, r.plans, r.spool)?;
            pages.write_chunks("search-index.js", r.spool, &chunks)?;
        }
        r.write_endpoint_pages(all)?;
        // The redirect map depends only on which page each anchor is on.
        let redirects = render::REDIRECTS_FILE;
        let kept = memo.has_file(redirects, &keys.layout) && pages.keep(redirects);
        let js = (!kept)
            .then(|| render::redirects_file(r.sections, r.plans))
            .flatten();
        if let Some(js) = &js {
            pages.write(redirects, js.as_bytes())?;
        }
        if kept || js.is_some() {
            files.push((redirects.to_string(), keys.layout));
        }
        pages.write("404.html", r.renderer.not_found(r.title)?.as_bytes())?;
        if let Some(page) = r.renderer.oauth2_redirect() {
            pages.write(render::OAUTH2_REDIRECT, page?.as_bytes())?;
        }
        for (name, bytes) in render::ASSETS {
            let own = site.asset_overrides.get(*name);
            let bytes = own.map_or(*bytes, |b| b.as_slice());
            pages.write(&format!("assets/{name}"), bytes)?;
        }
        for (name, bytes) in &site.asset_overrides {
            if !render::ASSETS.iter().any(|(n, _)| n == name) {
                pages.write(&format!("assets/{name}"), bytes)?;
            }
        }
        for rel in site.statics.iter().chain(&model.statics) {
            let out_rel = rel.strip_prefix('_').unwrap_or(rel);
            all.copy(&site.root.join(rel), out_rel)?;
        }
        let mut diagnostics = Vec::new();
        if let Some(css) = site.asset_overrides.get("endpaper.css") {
            let css = String::from_utf8_lossy(css);
            if let Some(at) =
                crate::highlight::stale_token_rule(&css).filter(|_| r.theme != Theme::Site)
            {
                diagnostics.push(Diagnostic::warning(
                    "stale-override",
                    "_endpaper/assets/endpaper.css",
                    crate::error::Pos::of_offset(&css, at),
                    "this stylesheet colours code tokens as classed spans (`.ep-code .s`); \
                     tokens are elements named by their class (`.ep-code x-s`), so these \
                     rules colour nothing: rename each token selector `.X` to `x-X`",
                ));
            }
        }
        let site_files = if r.theme == Theme::Site {
            let audience = site_theme::Audience {
                name: r.audience,
                all: r.audiences,
            };
            let pages = r.structure.pages.iter();
            let listed: HashMap<String, usize> =
                pages.map(|p| (p.rel.clone(), p.docs.len())).collect();
            let written = site_theme::write(site, engine, &model.sections, &listed, audience, all)?;
            if !written.errors.is_empty() {
                return Err(fail(written.errors));
            }
            diagnostics.extend(written.diagnostics);
            Some((written.files, written.report))
        } else {
            None
        };
        Ok(Support {
            files,
            text_key,
            site_files,
            diagnostics,
        })
    }

    /// Writes the files no open page reads, which depend on every doc: `search-text.js`, the
    /// twins, the llms files, `openapi.json`, `sitemap.xml` and `robots.txt`. Returns the
    /// OpenAPI export and each file of the full text with its key, or `None` when `stop` said
    /// to stop (the next rebuild writes the rest).
    /// `openapi`: the OpenAPI export when [`Reference::write_openapi`] wrote it already
    /// (beside the pages), else it is written here.
    pub(super) fn write_machine_files(
        &self,
        text_key: &blake3::Hash,
        sink: &Recorder,
        stop: &(dyn Fn() -> bool + Sync),
        openapi: Option<Result<Option<crate::openapi::Export>>>,
    ) -> Result<Option<(crate::openapi::Export, Keyed)>> {
        let r = self;
        let (site, spool, memo) = (r.site, r.spool, r.last);
        if stop() {
            return Ok(None);
        }
        let config = &site.config;
        let outs_by_rel = r.outs_by_rel();
        let twin_key = |rel: &str| blake3::Hash::from(outs_by_rel[rel].twin_key);
        let mut full_keys = Vec::new();
        // The long files (full text, llms-full.txt) beside the twins and the OpenAPI document:
        // each is written a chunk at a time on one thread, so the two halves share the cores.
        let (texts, rest) = rayon::join(
            || -> Result<bool> {
                r.write_search_text(text_key, &outs_by_rel, sink, &mut full_keys)?;
                if stop() {
                    return Ok(false);
                }
                let llms = machine_docs::llms_txt(config, r.title, r.sections, spool);
                sink.write_chunks("llms.txt", spool, &llms)?;
                // A file of the full text is its first chunk, then each doc's twin.
                for (path, chunks, docs) in machine_docs::llms_full(config, r.title, r.sections) {
                    let salt = crate::store::SALT.as_bytes();
                    let mut key = Fields::of([salt, spool.get(&chunks[0])?.as_bytes()]);
                    key.put_all(
                        docs.iter()
                            .map(|d| &outs_by_rel[d.rel.as_str()].twin_key[..]),
                    );
                    let key = key.key().into();
                    if !(memo.has_file(&path, &key) && sink.keep(&path)) {
                        sink.write_chunks(&path, spool, &chunks)?;
                    }
                    full_keys.push((path, key));
                }
                Ok(true)
            },
            || {
                // The OpenAPI document first, on a thread of its own (the longest of the
                // three), the twins to whichever thread is free.
                rayon::join(
                    || openapi.unwrap_or_else(|| r.write_openapi(sink, stop)),
                    // Each twin straight from its doc's output, not copied into the full
                    // text's list. One of the key the last build wrote there is in place.
                    || {
                        let docs = r.sections.par_iter().flat_map_iter(|s| {
                            let twins: Vec<_> = (s.docs.iter())
                                .map(|d| {
                                    let twin = machine_docs::twin_path(&d.rel);
                                    let same = memo.has_file(&twin, &twin_key(&d.rel));
                                    (d, twin, same)
                                })
                                .collect();
                            // Only those to be written: a rebuild keeps most, and the advice
                            // is a system call a twin.
                            let written = twins.iter().filter(|(.., same)| !same);
                            crate::write::read_ahead(spool, written.map(|(d, ..)| &d.markdown));
                            twins
                        });
                        docs.try_for_each(|(d, twin, same)| {
                            if stop() || same && sink.keep(&twin) {
                                return Ok(());
                            }
                            sink.write_chunks(&twin, spool, std::slice::from_ref(&d.markdown))
                        })
                    },
                )
            },
        );
        let (texts, (openapi, twins)) = (texts?, rest);
        twins?;
        // Twins skipped once `stop` said to stop are written by the next rebuild.
        let Some(openapi) = openapi?.filter(|_| texts && !stop()) else {
            return Ok(None);
        };
        full_keys.extend(openapi.key.map(|k| (crate::openapi::FILE.to_string(), k)));
        // The sitemap protocol needs absolute addresses: without a `url`, no sitemap.
        let root = crate::machine_docs::site_root(config);
        if let Some(root) = &root {
            let mut pages: Vec<String> = r.plans.iter().map(|p| p.path.clone()).collect();
            if config.options.endpoint_pages {
                let docs = r.sections.iter().flat_map(|s| &s.docs);
                pages.extend(docs.map(|d| render::endpoint_path(&d.rel)));
            }
            sink.write("sitemap.xml", seo::sitemap(root, &pages).as_bytes())?;
        }
        sink.write("robots.txt", seo::robots(root.as_deref()).as_bytes())?;
        Ok(Some((openapi, full_keys)))
    }

    /// The OpenAPI export of every doc's operation, and `openapi.json` when the site
    /// writes it; `None` when `stop` said to stop.
    pub(super) fn write_openapi(
        &self,
        sink: &Recorder,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<crate::openapi::Export>> {
        if stop() {
            return Ok(None);
        }
        let (config, memo) = (&self.site.config, self.last);
        let mut outs = self.outs.iter();
        let mut openapi = crate::openapi::document(
            config,
            self.audience,
            self.model.sections.iter().map(|s| {
                let endpoints = s.docs.iter().zip(&mut outs);
                let endpoints =
                    endpoints.filter_map(|(d, o)| Some((d.rel.as_str(), o.endpoint.as_ref()?)));
                (s.title.as_str(), endpoints.collect())
            }),
            self.spool,
        );
        if config.options.openapi {
            let last = memo.files.get(crate::openapi::FILE);
            openapi.write(sink, self.cache, last)?;
        }
        Ok(Some(openapi))
    }

    /// Each doc's output by its path.
    fn outs_by_rel(&self) -> HashMap<&str, &DocOut> {
        let docs = self.model.sections.iter().flat_map(|s| &s.docs);
        let outs = self.outs.iter().map(Arc::as_ref);
        docs.map(|d| d.rel.as_str()).zip(outs).collect()
    }

    /// Each twin written (the docs of the pages') with its key.
    pub(super) fn twins(&self) -> impl Iterator<Item = (String, blake3::Hash)> + '_ {
        let outs = self.outs_by_rel();
        let docs = self.sections.iter().flat_map(|s| &s.docs);
        docs.map(move |d| {
            let key = outs[d.rel.as_str()].twin_key.into();
            (machine_docs::twin_path(&d.rel), key)
        })
    }

    /// Writes the full text for search ([`search_index::search_text_files`]), each file
    /// unless the last build wrote what it holds (whole, its key is `text_key`: every doc's
    /// text; split, a part's is its docs' and their places), and adds each file and its key
    /// to `keyed`.
    fn write_search_text(
        &self,
        text_key: &blake3::Hash,
        outs: &HashMap<&str, &DocOut>,
        sink: &Recorder,
        keyed: &mut Keyed,
    ) -> Result<()> {
        let (spool, memo) = (self.spool, self.last);
        let mut write = |path: &str, key: blake3::Hash, chunks: &dyn Fn() -> Vec<Chunk>| {
            if !(memo.has_file(path, &key) && sink.keep(path)) {
                sink.write_chunks(path, spool, &chunks())?;
            }
            keyed.push((path.to_string(), key));
            anyhow::Ok(())
        };
        let text = "search-text.js";
        match search_index::search_text_files(self.sections, self.plans) {
            SearchText::Whole => write(text, *text_key, &|| {
                search_index::search_text(self.sections, self.plans)
            })?,
            SearchText::Split { manifest, parts } => {
                for part in &parts {
                    let salt = crate::store::SALT.as_bytes();
                    let mut key = Fields::of([salt, part.path.as_bytes()]);
                    for (at, docs) in &part.runs {
                        for n in [*at, docs.len()] {
                            key.put(&n.to_le_bytes());
                        }
                        key.put_all(docs.iter().map(|d| &outs[d.rel.as_str()].text_key[..]));
                    }
                    write(&part.path, key.key().into(), &|| part.chunks())?;
                }
                let key = blake3::hash(manifest.as_bytes());
                write(text, key, &|| vec![Chunk::from(manifest.clone())])?;
            }
        }
        Ok(())
    }

    /// Each doc's page of its own, with `endpoint_pages`, written as soon as it is rendered.
    fn write_endpoint_pages(&self, sink: &Recorder) -> Result<()> {
        let r = self;
        if !r.site.config.options.endpoint_pages {
            return Ok(());
        }
        let sections = r.sections;
        let ids: Vec<(usize, usize)> = sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.docs.len()).map(move |d| (s, d)))
            .collect();
        ids.par_iter().try_for_each(|&(s, d)| {
            let path = render::endpoint_path(&sections[s].docs[d].rel);
            let html = r
                .renderer
                .endpoint_page(sections, r.layout, (s, d), r.title, r.spool)
                .with_context(|| format!("cannot render page {path}"))?;
            sink.write(&path, html.as_bytes())
        })
    }
}
