//! The pipeline end to end: load → model → compose (Liquid + markdown) → highlight →
//! render → write. Stages hand each other plain data; the expensive per-doc stages run on
//! rayon, and everything merged from threads is put back in a fixed order so output is
//! byte-identical whatever the thread count.

use crate::cache::{self, Cache, Key};
use crate::compose::{self, DocParts};
use crate::config::Theme;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Pos, SourceError};
use crate::highlight::{Highlighted, Highlighter};
use crate::liquid::{Engine, SiteInputs};
use crate::load::{self, Unused};
use crate::model;
use crate::render::{self, PageDoc, PageSection, Plan, Renderer};
use crate::site_theme;
use crate::structure;
use crate::write::{NullSink, Sink, Staging};
use crate::{machine_docs, search_index, seo};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Defaults to `SITE/_site`.
    pub output: Option<PathBuf>,
    pub audience: String,
    /// The highlight cache folder; `None` builds without one. Defaults to
    /// `SITE/.endpaper-cache`.
    pub cache: Option<PathBuf>,
    /// Overrides the site's `theme` setting (`--theme`).
    pub theme: Option<crate::config::Theme>,
}

impl BuildOptions {
    pub fn new(site: impl Into<PathBuf>) -> Self {
        BuildOptions {
            site: site.into(),
            output: None,
            audience: "public".into(),
            cache: None,
            theme: None,
        }
        .with_default_cache()
    }

    /// Sets the cache to the default folder, `SITE/.endpaper-cache`.
    pub fn with_default_cache(mut self) -> Self {
        self.cache = Some(self.site.join(cache::DIR_NAME));
        self
    }

    fn open_cache(&self) -> Cache {
        self.cache
            .as_deref()
            .map_or_else(Cache::memory, Cache::open)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.site.join("_site"))
    }
}

/// What a build did, for the summary line, `check` and `serve`.
#[derive(Debug, Default)]
pub struct Outcome {
    pub docs: usize,
    pub sections: usize,
    pub pages: usize,
    pub audience: String,
    pub output: Option<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    pub unused: Vec<Unused>,
    /// What became of the site's own root pages and anchors (the migration report).
    pub structure: Vec<String>,
    /// Every file the build read, site-relative (for `serve` to know what matters).
    pub inputs: BTreeSet<String>,
    /// Doc source → includes it pulled in.
    pub includes_by_doc: BTreeMap<String, BTreeSet<String>>,
    /// Anchors of the docs built, and heading ids per doc (for link checks).
    pub anchors: BTreeMap<String, String>,
    /// Docs of other audiences: (source, audience).
    pub hidden: Vec<(String, String)>,
    /// Every link written in a built doc (after includes): (doc source, link).
    pub links: Vec<(String, compose::Link)>,
    /// Heading ids as written by each built doc's markdown (before per-page suffixes).
    pub heading_ids: BTreeSet<String>,
    /// Every output file, output-relative.
    pub files: BTreeSet<String>,
    /// The OpenAPI export of the built docs (written as `openapi.json` unless turned off).
    pub openapi: crate::openapi::Export,
    pub elapsed: Duration,
}

/// Every located error of a failed build, shown together.
#[derive(Debug)]
pub struct SiteErrors(pub Vec<SourceError>);

impl std::fmt::Display for SiteErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        write!(
            f,
            "{} error{} in the site",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SiteErrors {}

fn fail(errors: Vec<SourceError>) -> anyhow::Error {
    anyhow::Error::new(SiteErrors(merge_errors(errors)))
}

/// One error per place and message, in file order: an error inside an include that many
/// docs use is reported once, naming every doc that leads to it (the first doc's include
/// chain is kept for the `included from` lines).
pub fn merge_errors(mut errors: Vec<SourceError>) -> Vec<SourceError> {
    errors.sort_by(|a, b| {
        (&a.path, a.pos, &a.message, &a.chain).cmp(&(&b.path, b.pos, &b.message, &b.chain))
    });
    errors.dedup();
    let mut merged: Vec<SourceError> = Vec::with_capacity(errors.len());
    let mut via: Vec<Vec<String>> = Vec::new();
    for e in errors {
        let from = e
            .chain
            .first()
            .map(|(p, pos)| format!("{}:{}:{}", p.display(), pos.line, pos.col));
        match merged.last() {
            Some(last) if last.path == e.path && last.pos == e.pos && last.message == e.message => {
                via.last_mut()
                    .expect("one list per merged error")
                    .extend(from);
            }
            _ => {
                via.push(from.into_iter().collect());
                merged.push(e);
            }
        }
    }
    for (e, docs) in merged.iter_mut().zip(via) {
        if docs.len() > 1 {
            e.message = format!(
                "{} (reached from {} docs: {})",
                e.message,
                docs.len(),
                docs.join(", ")
            );
        }
    }
    merged
}

/// Builds the site into its output folder, atomically, through the highlight cache.
pub fn build(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Outcome> {
    build_strict(opts, highlighter, false)
}

/// [`build`]; with `strict`, a build with warnings is not swapped in: the previous output
/// stays as it was and the outcome's `output` is `None`.
pub fn build_strict(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    strict: bool,
) -> Result<Outcome> {
    let mut memo = Memo::with_cache(opts.open_cache());
    let outcome = staged(opts, highlighter, &mut memo, strict)?;
    // A cache that cannot be written costs only speed next time.
    let _ = memo.cache.save();
    Ok(outcome)
}

fn staged(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    memo: &mut Memo,
    strict: bool,
) -> Result<Outcome> {
    let out = opts.output_dir();
    let staging = Staging::begin(&out, &opts.site)?;
    let mut outcome = run_with(
        opts,
        highlighter,
        &staging,
        Some(staging.target()),
        memo,
        false,
    )?;
    if strict && !outcome.diagnostics.is_empty() {
        // Dropping the staging folder removes it; the last good output is untouched.
        return Ok(outcome);
    }
    let mut clock = Stages::new();
    outcome.output = Some(staging.commit()?);
    clock.lap("commit");
    Ok(outcome)
}

/// Everything `build` does except writing output (for `check`); uses the cache too.
pub fn check(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Outcome> {
    let mut memo = Memo {
        keep_going: true,
        ..Memo::with_cache(opts.open_cache())
    };
    let outcome = run_with(
        opts,
        highlighter,
        &NullSink,
        Some(&opts.output_dir()),
        &mut memo,
        false,
    )?;
    let _ = memo.cache.save();
    Ok(outcome)
}

/// A rebuild for `serve`: reuses what `memo` holds from the last build and, when the
/// output folder is still the one that build wrote, rewrites only the pages that changed,
/// in place (each file replaced atomically), then removes files the site no longer makes.
/// `changed_docs` (site-relative doc paths, when the change touched only existing docs)
/// lets it re-read just those files instead of loading the whole site. The output is the
/// same as a clean build's. The cache is saved when it changed.
pub fn rebuild(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    memo: &mut Memo,
    last: Option<&Outcome>,
    changed_docs: Option<&BTreeSet<String>>,
) -> Result<Outcome> {
    let out = opts.output_dir();
    let outcome = match last {
        Some(last) if !memo.pages.is_empty() && out.join(crate::write::MARKER).is_file() => {
            let started = Instant::now();
            let sink = InPlace { root: out.clone() };
            let mut clock = Stages::new();
            let patched = changed_docs.and_then(|c| patch(opts, memo, c));
            clock.lap("patch");
            let result = match patched {
                Some(Ok(loaded)) => {
                    from_model(loaded, opts, highlighter, &sink, memo, true, started)
                }
                Some(Err(e)) => Err(e),
                None => run_with(opts, highlighter, &sink, Some(&out), memo, true),
            };
            let mut outcome = match result {
                Ok(o) => o,
                Err(e) => {
                    // Pages may have been skipped against a state that is now unknown.
                    memo.pages.clear();
                    return Err(e);
                }
            };
            for gone in last.files.difference(&outcome.files) {
                let _ = std::fs::remove_file(out.join(gone));
            }
            outcome.output = Some(std::path::absolute(&out).unwrap_or(out));
            outcome
        }
        _ => staged(opts, highlighter, memo, false)?,
    };
    let _ = memo.cache.save();
    Ok(outcome)
}

/// Writes into an existing output folder, each file through a temporary file and a
/// rename so a reader never sees half a page.
struct InPlace {
    root: PathBuf,
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        let dir = path.parent().unwrap_or(&self.root);
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        std::io::Write::write_all(&mut tmp, bytes)?;
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// JSON must parse; a problem is reported at its line in the file.
fn json_problem(code: &str) -> Option<(usize, usize, String)> {
    match serde_json::from_str::<serde::de::IgnoredAny>(code) {
        Ok(_) => None,
        Err(e) => Some((
            e.line(),
            e.column(),
            e.to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string(),
        )),
    }
}

/// One doc's finished output and everything the outcome needs from it; what `serve`
/// keeps between rebuilds so an unchanged doc is not composed or highlighted again.
#[derive(Debug)]
struct DocOut {
    prose: Arc<str>,
    code: Arc<str>,
    terms: Arc<[String]>,
    text: Arc<str>,
    markdown: Arc<str>,
    includes: BTreeSet<String>,
    /// Reads `site.*` (other docs, `_data`): redone when any doc or data file changes.
    reads_site: bool,
    links: Vec<compose::Link>,
    heading_ids: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    /// The highlight-cache keys of the doc's samples.
    keys: Vec<Key>,
    /// The front matter, shared with every page built from it.
    fm: Arc<serde_json::Map<String, Value>>,
    /// blake3 of everything the doc shows on a page, when pages are tracked (else zeros).
    content_key: [u8; 32],
    /// blake3 of the doc's search-index fields, when pages are tracked (else zeros).
    index_key: [u8; 32],
    /// The doc's OpenAPI operation, when it is an endpoint doc.
    endpoint: Option<crate::openapi::Endpoint>,
}

/// What one build leaves for the next (`serve` keeps it in memory): highlighted samples,
/// each doc's output with the doc it came from, and a key of every page written. All of it
/// is checked against the new inputs before reuse, so a memo never changes the output; it
/// only skips work.
#[derive(Default)]
pub struct Memo {
    pub cache: Cache,
    config: Option<crate::config::Config>,
    includes: BTreeMap<String, String>,
    data: BTreeMap<String, String>,
    docs: HashMap<String, (DocId, Arc<DocOut>)>,
    /// Output path → key of the page written there (only when pages are tracked).
    pages: HashMap<String, blake3::Hash>,
    templates: BTreeMap<String, String>,
    index: Option<blake3::Hash>,
    /// Record page keys (costs a hash of every doc's output; `serve` wants it).
    track_pages: bool,
    /// Go on past located errors, recording them as findings (`check`): a doc that fails
    /// is checked as far as it can be, and everything else still is.
    keep_going: bool,
    /// The last build's site and model, for [`patch`].
    loaded: Option<Loaded>,
    /// The compiled templates, for the audience they were made for.
    renderer: Option<(String, Arc<Renderer>)>,
    /// Key of which page holds which anchor, and whether that made a `redirects.js`.
    layout: Option<blake3::Hash>,
    redirects: bool,
    /// The site's structure the pages were written with.
    structure: structure::Structure,
}

impl Memo {
    /// A memo for repeated builds of one site: tracks pages so unchanged ones are skipped.
    /// Its outcomes leave out what only `check` needs (`anchors`, `links`, `heading_ids`).
    pub fn for_serve(cache: Cache) -> Memo {
        Memo {
            cache,
            track_pages: true,
            ..Memo::default()
        }
    }

    fn with_cache(cache: Cache) -> Memo {
        Memo {
            cache,
            ..Memo::default()
        }
    }
}

/// What decides a doc's output, besides the config and includes (the memo is dropped when
/// the config changes, and includes are checked apart): every other field of a doc is
/// read from its text, except the anchor (made unique across docs) and the audience.
struct DocId {
    rel: String,
    collection: String,
    anchor: String,
    audience: String,
    text: Arc<str>,
}

impl DocId {
    fn of(d: &model::Doc) -> DocId {
        DocId {
            rel: d.rel.clone(),
            collection: d.collection.clone(),
            anchor: d.anchor.clone(),
            audience: d.audience.clone(),
            text: Arc::clone(&d.text),
        }
    }
}

/// Whether the memo's output for `old` can stand for `new`.
fn same_doc(old: &DocId, new: &model::Doc) -> bool {
    old.rel == new.rel
        && old.collection == new.collection
        && old.anchor == new.anchor
        && old.audience == new.audience
        && (Arc::ptr_eq(&old.text, &new.text) || old.text == new.text)
}

pub fn run(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    output: Option<&Path>,
) -> Result<Outcome> {
    run_with(
        opts,
        highlighter,
        sink,
        output,
        &mut Memo::with_cache(Cache::memory()),
        false,
    )
}

/// A build through `memo`. With `skip_unchanged`, pages whose key matches the memo are
/// not rendered or written (the sink must then write into the previous output in place).
fn run_with(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    output: Option<&Path>,
    memo: &mut Memo,
    skip_unchanged: bool,
) -> Result<Outcome> {
    let started = Instant::now();
    let mut clock = Stages::new();
    let mut site = load::load(&opts.site, output)?;
    clock.lap("load");
    let model = model::build(&site, &opts.audience);
    check_audience(&model, &opts.audience)?;
    // The model's errors are reported after compose, with every include error of the
    // docs that did load, so one run shows them all.
    // The model holds its own copy of every doc's text.
    let doc_rels: Vec<String> = std::mem::take(&mut site.docs)
        .into_iter()
        .map(|d| d.rel)
        .collect();
    clock.lap("model");
    from_model(
        Loaded {
            site,
            model,
            doc_rels,
        },
        opts,
        highlighter,
        sink,
        memo,
        skip_unchanged,
        started,
    )
}

/// An audience no doc or collection of the site has is a mistake (a typo in `--audience`
/// built an empty reference and passed).
fn check_audience(model: &model::Model, audience: &str) -> Result<()> {
    if model.audiences.contains(audience) {
        return Ok(());
    }
    let known: Vec<String> = model.audiences.iter().map(|a| format!("`{a}`")).collect();
    anyhow::bail!(
        "unknown audience `{audience}`: this site's docs are for {} (set with `visibility:` on a collection or doc)",
        if known.is_empty() {
            "no audience".to_string()
        } else {
            known.join(", ")
        }
    )
}

/// A loaded site (its docs' texts moved into the model) and its model.
struct Loaded {
    site: load::LoadedSite,
    model: model::Model,
    doc_rels: Vec<String>,
}

/// Re-reads only the docs in `changed` into the memo's model, when that is certain to
/// give the model a full load would: each is a doc the last build had, and it keeps its
/// anchor, section, position and audience (so order and anchors of other docs cannot
/// move). `None` when a full load is needed.
fn patch(
    opts: &BuildOptions,
    memo: &mut Memo,
    changed: &BTreeSet<String>,
) -> Option<Result<Loaded>> {
    let mut loaded = memo.loaded.take()?;
    for rel in changed {
        let mut read_diags = Vec::new();
        let text = load::read_text(&opts.site.join(rel), rel, &mut read_diags).ok()?;
        let (si, di) = loaded
            .model
            .sections
            .iter()
            .enumerate()
            .find_map(|(si, s)| s.docs.iter().position(|d| &d.rel == rel).map(|di| (si, di)))?;
        let old = &loaded.model.sections[si].docs[di];
        loaded.site.docs = vec![load::RawDoc {
            collection: old.collection.clone(),
            rel: rel.clone(),
            text,
        }];
        let mini = model::build(&loaded.site, &opts.audience);
        loaded.site.docs.clear();
        if !mini.errors.is_empty() {
            return Some(Err(fail(mini.errors)));
        }
        let new = mini.sections.into_iter().flat_map(|s| s.docs).next()?;
        if new.anchor != old.anchor
            || new.collection != old.collection
            || new.position != old.position
            || new.audience != old.audience
        {
            return None;
        }
        let mine = |d: &Diagnostic| d.file == Path::new(rel);
        loaded.model.diagnostics.retain(|d| !mine(d));
        loaded
            .model
            .diagnostics
            .extend(mini.diagnostics.into_iter().filter(|d| mine(d)));
        loaded.site.diagnostics.retain(|d| !mine(d));
        loaded.site.diagnostics.extend(read_diags);
        loaded.model.sections[si].docs[di] = new;
    }
    Some(Ok(loaded))
}

/// Everything after the model: compose, highlight, render, write.
fn from_model(
    loaded: Loaded,
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    memo: &mut Memo,
    skip_unchanged: bool,
    started: Instant,
) -> Result<Outcome> {
    let mut clock = Stages::new();
    let Loaded {
        site,
        model,
        doc_rels,
    } = &loaded;
    let mut diags = site.diagnostics.clone();
    diags.extend(model.diagnostics.iter().cloned());

    // What changed since the memo's build decides which docs can be reused.
    if memo.config.as_ref() != Some(&site.config) {
        memo.docs.clear();
        memo.pages.clear();
        memo.index = None;
    }
    let changed_includes: BTreeSet<&str> = site
        .includes
        .iter()
        .filter(|(k, v)| memo.includes.get(*k) != Some(v))
        .map(|(k, _)| k.as_str())
        .chain(
            memo.includes
                .keys()
                .filter(|k| !site.includes.contains_key(*k))
                .map(String::as_str),
        )
        .collect();
    let docs: Vec<&model::Doc> = model.sections.iter().flat_map(|s| &s.docs).collect();
    let reused: Vec<Option<Arc<DocOut>>> = docs
        .par_iter()
        .map(|d| {
            let (old, out) = memo.docs.get(&d.rel)?;
            let fresh = same_doc(old, d)
                && !out
                    .includes
                    .iter()
                    .any(|i| changed_includes.contains(i.as_str()));
            fresh.then(|| Arc::clone(out))
        })
        .collect();
    // A doc that reads the site model is only as fresh as every doc and data file.
    let site_changed = memo.data != site.data
        || docs.len() != memo.docs.len()
        || reused.iter().any(Option::is_none);
    let reused: Vec<Option<Arc<DocOut>>> = if site_changed {
        reused
            .into_iter()
            .map(|r| r.filter(|o| !o.reads_site))
            .collect()
    } else {
        reused
    };
    clock.lap("reuse check");

    // Compose every doc not reused (Liquid, markdown) in parallel.
    let engine = Engine::new(SiteInputs {
        config: &site.config,
        includes: &site.includes,
        data: &site.data,
        sections: &model.sections,
    })
    .map_err(|e| fail(vec![e]))?;
    let composed: Vec<Option<Result<DocParts, SourceError>>> = docs
        .par_iter()
        .zip(&reused)
        .map(|(d, r)| r.is_none().then(|| compose::compose(d, &engine)))
        .collect();
    let mut parts: Vec<Option<DocParts>> = Vec::with_capacity(composed.len());
    let mut errors = model.errors.clone();
    for c in composed {
        match c {
            Some(Ok(mut p)) => {
                errors.append(&mut p.errors);
                parts.push(Some(p));
            }
            Some(Err(e)) => {
                errors.push(e);
                // Checking goes on with the doc empty.
                parts.push(Some(DocParts::default()));
            }
            None => parts.push(None),
        }
    }
    if !errors.is_empty() {
        if !memo.keep_going {
            return Err(fail(errors));
        }
        diags.extend(
            merge_errors(errors)
                .iter()
                .map(Diagnostic::from_source_error),
        );
    }
    clock.lap("compose");

    // Highlight each distinct sample not in the cache once, largest first so both cores
    // stay busy to the end.
    let sample_keys: Vec<Vec<Key>> = parts
        .par_iter()
        .map(|p| {
            p.iter()
                .flat_map(|p| &p.samples)
                .map(|s| cache::key(&s.block.code, s.block.lang.as_deref()))
                .collect()
        })
        .collect();
    let mut unique: HashMap<Key, (&str, Option<&str>)> = HashMap::new();
    for (p, keys) in parts.iter().zip(&sample_keys) {
        for (s, k) in p.iter().flat_map(|p| &p.samples).zip(keys) {
            if memo.cache.get(k).is_none() {
                unique
                    .entry(*k)
                    .or_insert((&s.block.code, s.block.lang.as_deref()));
            }
        }
    }
    let mut jobs: Vec<(Key, &str, Option<&str>)> =
        unique.into_iter().map(|(k, (c, l))| (k, c, l)).collect();
    jobs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let highlighted: Vec<(Key, Highlighted)> = jobs
        .par_iter()
        .map(|(k, code, lang)| (*k, highlighter.highlight(code, *lang)))
        .collect();
    for (k, h) in highlighted {
        memo.cache.insert(k, h);
    }
    rayon::broadcast(|_| crate::highlight::forget_lines());
    clock.lap("highlight");

    // Each composed doc's final HTML and findings, in parallel. Links to docs of other
    // audiences lose their href, so those anchors never reach this audience's pages.
    let hidden_anchors = hidden_anchors(model);
    let hidden = &hidden_anchors;
    let cache = &memo.cache;
    let track = memo.track_pages;
    let outs: Vec<Arc<DocOut>> = parts
        .into_par_iter()
        .zip(sample_keys)
        .zip(reused)
        .zip(docs.par_iter())
        .map(|(((p, keys), r), d)| match (r, p) {
            (Some(r), _) => r,
            (None, Some(p)) => Arc::new(doc_out(p, keys, d, cache, track, hidden)),
            (None, None) => unreachable!("a doc is either reused or composed"),
        })
        .collect();
    let mut used: HashSet<Key> = HashSet::new();
    for o in &outs {
        diags.extend(o.diagnostics.iter().cloned());
        used.extend(o.keys.iter().copied());
    }
    memo.cache.retain(&used);
    if !memo.track_pages {
        // A one-off build needs the highlighted samples no more: save them now and give
        // the memory back before the pages are rendered.
        let _ = memo.cache.save_and_release();
    }
    clock.lap("finish");

    let mut out_iter = outs.iter();
    let sections: Vec<PageSection> = model
        .sections
        .iter()
        .map(|s| PageSection {
            label: s.label.clone(),
            title: s.title.clone(),
            docs: s
                .docs
                .iter()
                .zip(&mut out_iter)
                .map(|(d, o)| PageDoc {
                    anchor: d.anchor.clone(),
                    rel: d.rel.clone(),
                    method: d.method.clone(),
                    title: d.display_title.clone(),
                    name: d.name.clone(),
                    description: d.description.clone(),
                    prose: Arc::clone(&o.prose),
                    code: Arc::clone(&o.code),
                    fm: Arc::clone(&o.fm),
                    terms: Arc::clone(&o.terms),
                    text: Arc::clone(&o.text),
                    markdown: Arc::clone(&o.markdown),
                })
                .collect(),
        })
        .collect();

    // The site's own structure: its root pages, rendered with its layouts, say which docs
    // each page lists and in which order, and which other anchors readers may link to.
    let theme = opts.theme.unwrap_or(site.config.options.theme);
    // With `theme: site` the site's own pages are written instead of endpaper's, which are
    // still made (into nothing) for what `check` and `serve` read off them.
    let page_sink: &dyn Sink = if theme == Theme::Site {
        &NullSink
    } else {
        sink
    };
    // Read for `theme: site` too: it says which root pages belong to another audience.
    let structure = structure::read(site, &engine, &sections);
    let sections = match structure
        .page_at("index.html")
        .and_then(|p| structure::arrange(&sections, &p.docs))
    {
        Some(arranged) => arranged,
        None => sections,
    };
    clock.lap("structure");

    // Pages.
    // Compiling the templates costs more than a one-doc rebuild: keep them while the
    // config, templates and audience stay the same.
    let renderer = match memo.renderer.take() {
        Some((audience, r))
            if audience == opts.audience
                && memo.config.as_ref() == Some(&site.config)
                && memo.templates == site.template_overrides =>
        {
            r
        }
        _ => Arc::new(Renderer::new(
            &site.config,
            &opts.audience,
            &site.template_overrides,
        )?),
    };
    let plans = render::plan(&sections, &site.config.options);
    let title = if site.config.title.is_empty() {
        "API Reference"
    } else {
        &site.config.title
    };
    clock.lap("renderer+plan");
    let mut layout_key = None;
    let page_keys: Vec<Option<blake3::Hash>> = if memo.track_pages {
        // By path: the site's own index may list the docs in an order of its own.
        let key_of: HashMap<&str, [u8; 32]> = docs
            .iter()
            .zip(&outs)
            .map(|(d, o)| (d.rel.as_str(), o.content_key))
            .collect();
        let content: Vec<Vec<[u8; 32]>> = sections
            .iter()
            .map(|s| s.docs.iter().map(|d| key_of[d.rel.as_str()]).collect())
            .collect();
        let (layout, pages) = render::page_keys(&sections, &plans, title, &content);
        layout_key = Some(layout);
        pages.into_iter().map(Some).collect()
    } else {
        vec![None; plans.len()]
    };
    if site.template_overrides != memo.templates || memo.structure != structure {
        memo.pages.clear();
    }
    let todo: Vec<usize> = (0..plans.len())
        .filter(|&p| {
            !skip_unchanged
                || page_keys[p].is_none()
                || memo.pages.get(&plans[p].path) != page_keys[p].as_ref()
        })
        .collect();
    let layout = render::Layout::new(&sections, &plans);
    clock.lap("page keys");
    todo.par_iter().try_for_each(|&p| -> Result<()> {
        let html = renderer
            .page(&sections, &plans, &layout, p, title)
            .with_context(|| format!("cannot render page {}", plans[p].path))?;
        let html = structure.decorate(&plans[p].path, html);
        page_sink.write(&plans[p].path, html.as_bytes())
    })?;
    // Each other root page listing docs of this build is a reference page of its own.
    let extra_pages: Vec<String> = structure
        .extra_pages()
        .filter(|p| !plans.iter().any(|pl| pl.path == p.path))
        .map(|p| p.path.clone())
        .collect();
    extra_pages.par_iter().try_for_each(|path| -> Result<()> {
        let Some(page) = structure.pages.iter().find(|p| &p.path == path) else {
            return Ok(());
        };
        let own = structure::arrange(&sections, &page.docs).unwrap_or_else(|| sections.clone());
        let own_plans = vec![render::Plan {
            path: path.clone(),
            parts: own
                .iter()
                .enumerate()
                .map(|(i, s)| (i, 0, s.docs.len()))
                .collect(),
        }];
        let own_layout = render::Layout::new(&own, &own_plans);
        let page_title = if page.title.is_empty() {
            title
        } else {
            &page.title
        };
        let html = renderer
            .page(&own, &own_plans, &own_layout, 0, page_title)
            .with_context(|| format!("cannot render page {path}"))?;
        page_sink.write(path, structure.decorate(path, html).as_bytes())
    })?;
    clock.lap("pages");
    // The index holds each doc's fields and terms (its index key) and its page and
    // section (the layout key).
    let index_key = layout_key.map(|layout| {
        let mut h = blake3::Hasher::new();
        h.update(layout.as_bytes());
        for o in &outs {
            h.update(&o.index_key);
        }
        h.finalize()
    });
    if !skip_unchanged || index_key.is_none() || index_key != memo.index {
        page_sink.write(
            "search-index.js",
            search_index::search_index(&sections, &plans).as_bytes(),
        )?;
        sink.write(
            "search-text.js",
            search_index::search_text(&sections, &plans).as_bytes(),
        )?;
    }
    let support = support_files(&site.config, title, &sections, &plans, &layout, &renderer)?;
    support
        .par_iter()
        .try_for_each(|(rel, bytes)| sink.write(rel, bytes))?;
    // The redirect map depends only on which page each anchor is on.
    let redirects = if skip_unchanged && layout_key.is_some() && layout_key == memo.layout {
        memo.redirects
    } else {
        let js = render::redirects_file(&sections, &plans);
        if let Some(js) = &js {
            page_sink.write(render::REDIRECTS_FILE, js.as_bytes())?;
        }
        js.is_some()
    };
    page_sink.write("404.html", renderer.not_found(title)?.as_bytes())?;
    let openapi = {
        let mut outs = outs.iter();
        crate::openapi::document(
            &site.config,
            &opts.audience,
            model.sections.iter().map(|s| {
                let endpoints = s
                    .docs
                    .iter()
                    .zip(&mut outs)
                    .filter_map(|(d, o)| Some((d.rel.as_str(), o.endpoint.as_ref()?)))
                    .collect();
                (s.title.as_str(), endpoints)
            }),
        )
    };
    if site.config.options.openapi {
        let json = serde_json::to_string_pretty(&openapi.document)?;
        sink.write(crate::openapi::FILE, json.as_bytes())?;
    }
    for (name, bytes) in render::ASSETS {
        let bytes = site
            .asset_overrides
            .get(*name)
            .map_or(*bytes, |b| b.as_slice());
        page_sink.write(&format!("assets/{name}"), bytes)?;
    }
    for (name, bytes) in &site.asset_overrides {
        if !render::ASSETS.iter().any(|(n, _)| n == name) {
            page_sink.write(&format!("assets/{name}"), bytes)?;
        }
    }
    for rel in site.statics.iter().chain(&model.statics) {
        let out_rel = rel.strip_prefix('_').unwrap_or(rel);
        sink.copy(&opts.site.join(rel), out_rel)?;
    }
    let audiences: Vec<String> = site
        .config
        .collections
        .iter()
        .flatten()
        .map(|c| c.visibility.clone())
        .filter(|v| !v.is_empty())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let site_files = if theme == Theme::Site {
        let audience = site_theme::Audience {
            name: &opts.audience,
            all: &audiences,
        };
        let listed: HashMap<String, usize> = structure
            .pages
            .iter()
            .map(|p| (p.rel.clone(), p.docs.len()))
            .collect();
        let written = site_theme::write(site, &engine, &model.sections, &listed, audience, sink)?;
        if !written.errors.is_empty() {
            return Err(fail(written.errors));
        }
        diags.extend(written.diagnostics);
        Some((written.files, written.report))
    } else {
        None
    };
    clock.lap("index+assets");

    diagnostics::normalize(&mut diags);
    let mut outcome = Outcome {
        docs: docs.len(),
        sections: sections.len(),
        pages: plans.len(),
        audience: opts.audience.clone(),
        output: None,
        diagnostics: diags,
        unused: if theme == Theme::Site {
            site_theme::unused(&site.unused)
        } else {
            site.unused.clone()
        },
        hidden: model.hidden.clone(),
        elapsed: Duration::ZERO,
        openapi,
        ..Outcome::default()
    };
    outcome.inputs.extend(doc_rels.iter().cloned());
    outcome
        .inputs
        .extend(site.includes.keys().map(|k| format!("_includes/{k}")));
    for (d, o) in docs.iter().zip(&outs) {
        outcome
            .includes_by_doc
            .insert(d.rel.clone(), o.includes.clone());
        // What only `check` reads; `serve` (tracking pages) skips the cost.
        if !memo.track_pages {
            outcome.anchors.insert(d.anchor.clone(), d.rel.clone());
            outcome
                .links
                .extend(o.links.iter().map(|l| (d.rel.clone(), l.clone())));
            outcome.heading_ids.extend(o.heading_ids.iter().cloned());
        }
    }
    outcome.files.extend(plans.iter().map(|p| p.path.clone()));
    outcome.files.extend(
        ["search-index.js", "search-text.js", "404.html"]
            .into_iter()
            .map(String::from),
    );
    outcome.files.extend(extra_pages.iter().cloned());
    outcome.structure = structure.report(&opts.audience, &audiences);
    if let Some((files, report)) = site_files {
        outcome.structure = report;
        // Only what was really written: the site's pages and the static files.
        outcome.files = files.into_iter().collect();
        outcome.files.extend(
            site.statics
                .iter()
                .chain(&model.statics)
                .map(|r| r.strip_prefix('_').unwrap_or(r).to_string()),
        );
        outcome.pages = outcome
            .files
            .iter()
            .filter(|f| f.ends_with(".html"))
            .count();
    }
    outcome
        .files
        .extend(support.into_iter().map(|(rel, _)| rel));
    if redirects {
        outcome.files.insert(render::REDIRECTS_FILE.to_string());
    }
    if site.config.options.openapi {
        outcome.files.insert(crate::openapi::FILE.to_string());
    }
    outcome
        .files
        .extend(render::ASSETS.iter().map(|(n, _)| format!("assets/{n}")));
    outcome
        .files
        .extend(site.asset_overrides.keys().map(|n| format!("assets/{n}")));
    outcome.files.extend(
        site.statics
            .iter()
            .chain(&model.statics)
            .map(|r| r.strip_prefix('_').unwrap_or(r).to_string()),
    );

    // Remember this build for the next.
    if memo.track_pages {
        // Usually all but a doc or two are reused: update those in place.
        let same_set =
            docs.len() == memo.docs.len() && docs.iter().all(|d| memo.docs.contains_key(&d.rel));
        if !same_set {
            memo.docs.clear();
        }
        for (d, o) in docs.iter().zip(&outs) {
            match memo.docs.get_mut(&d.rel) {
                Some(entry) if Arc::ptr_eq(&entry.1, o) => {}
                Some(entry) => *entry = (DocId::of(d), Arc::clone(o)),
                None => {
                    memo.docs
                        .insert(d.rel.clone(), (DocId::of(d), Arc::clone(o)));
                }
            }
        }
        memo.pages = plans
            .iter()
            .zip(page_keys)
            .filter_map(|(p, k)| Some((p.path.clone(), k?)))
            .collect();
        memo.index = index_key;
        memo.includes = site.includes.clone();
        memo.data = site.data.clone();
        memo.config = Some(site.config.clone());
        memo.templates = site.template_overrides.clone();
        memo.structure = structure.clone();
        memo.renderer = Some((opts.audience.clone(), renderer));
        memo.layout = layout_key;
        memo.redirects = redirects;
        drop(docs);
        memo.loaded = Some(loaded);
    }
    clock.lap("outcome");
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The files beside the pages that depend on every doc: the markdown twins,
/// `llms.txt`, `llms-full.txt`, `sitemap.xml`, `robots.txt`, and each doc's page of its
/// own with `endpoint_pages`. Returned (path, bytes) so the build lists them as outputs.
fn support_files(
    config: &crate::config::Config,
    title: &str,
    sections: &[PageSection],
    plans: &[Plan],
    layout: &render::Layout,
    renderer: &Renderer,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = sections
        .iter()
        .flat_map(|s| &s.docs)
        .map(|d| {
            (
                machine_docs::twin_path(&d.rel),
                d.markdown.as_bytes().to_vec(),
            )
        })
        .collect();
    files.push((
        "llms.txt".into(),
        machine_docs::llms_txt(config, title, sections).into_bytes(),
    ));
    files.push((
        "llms-full.txt".into(),
        machine_docs::llms_full(config, title, sections).into_bytes(),
    ));
    let mut pages: Vec<String> = plans.iter().map(|p| p.path.clone()).collect();
    if config.options.endpoint_pages {
        let ids: Vec<(usize, usize)> = sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.docs.len()).map(move |d| (s, d)))
            .collect();
        let rendered: Vec<(String, Vec<u8>)> = ids
            .par_iter()
            .map(|&(s, d)| -> Result<(String, Vec<u8>)> {
                let path = render::endpoint_path(&sections[s].docs[d].rel);
                let html = renderer
                    .endpoint_page(sections, layout, (s, d), title)
                    .with_context(|| format!("cannot render page {path}"))?;
                Ok((path, html.into_bytes()))
            })
            .collect::<Result<_>>()?;
        pages.extend(rendered.iter().map(|(p, _)| p.clone()));
        files.extend(rendered);
    }
    // The sitemap protocol needs absolute addresses: without a `url`, no sitemap.
    let root = crate::machine_docs::site_root(config);
    if let Some(root) = &root {
        files.push((
            "sitemap.xml".into(),
            seo::sitemap(root, &pages).into_bytes(),
        ));
    }
    files.push((
        "robots.txt".into(),
        seo::robots(root.as_deref()).into_bytes(),
    ));
    Ok(files)
}

/// Highlights a composed doc's samples from the cache into its final HTML and findings.
fn doc_out(
    p: DocParts,
    keys: Vec<Key>,
    d: &model::Doc,
    cache: &Cache,
    track: bool,
    hidden: &HashSet<String>,
) -> DocOut {
    let mut diagnostics = p.diagnostics.clone();
    let plain = Highlighted {
        html: String::new(),
        known_language: false,
    };
    let hl = |i: usize| cache.get(&keys[i]).unwrap_or(&plain);
    for (i, s) in p.samples.iter().enumerate() {
        let lang = s.block.lang.as_deref().unwrap_or("");
        if !hl(i).known_language {
            diagnostics.push(Diagnostic::warning(
                "unknown-language",
                &s.file,
                s.pos,
                format!("unknown code language `{lang}`: shown as plain text"),
            ));
        }
        if lang.eq_ignore_ascii_case("json") {
            if let Some((line, col, msg)) = json_problem(&s.block.code) {
                diagnostics.push(Diagnostic::warning(
                    "invalid-json",
                    &s.file,
                    Pos::new(s.pos.line + line, col),
                    format!("invalid JSON in sample: {msg} (highlighted anyway)"),
                ));
            }
        }
    }
    let endpoint = crate::openapi::endpoint(d, &p);
    let (prose, code) = compose::finish(&p, &d.anchor, &|i| hl(i).clone());
    let (prose, code) = (
        render::unlink_anchors(&prose, hidden),
        render::unlink_anchors(&code, hidden),
    );
    // The twin is made from the same HTML with plain samples (no highlight spans to parse)
    // and the same links to other audiences removed.
    let (plain_prose, plain_code) = compose::finish(&p, &d.anchor, &|i| Highlighted {
        html: crate::html::escape(&p.samples[i].block.code),
        known_language: true,
    });
    let body = machine_docs::html_to_markdown(&render::unlink_anchors(
        &format!("{plain_prose}\n{plain_code}"),
        hidden,
    ));
    let markdown = machine_docs::twin(&d.name, &d.method, &d.display_title, &d.description, &body);
    let text = search_index::doc_text(&p);
    let key = |fields: &[&str], terms: &[String]| {
        let mut h = blake3::Hasher::new();
        for f in fields
            .iter()
            .copied()
            .chain(terms.iter().map(String::as_str))
        {
            h.update(&(f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        *h.finalize().as_bytes()
    };
    let (content_key, index_key) = if track {
        let fm = serde_json::to_string(&d.fm).unwrap_or_default();
        let shown = [
            &d.anchor,
            &d.rel,
            &d.method,
            &d.display_title,
            &d.name,
            &d.description,
        ]
        .map(String::as_str);
        let page = [&prose, &code, &fm].map(String::as_str);
        (
            key(&[&shown[..], &page[..]].concat(), &[]),
            // With its page and section (the layout key), all the search index holds.
            key(&[&shown[..], &[text.as_str()]].concat(), &p.terms),
        )
    } else {
        ([0; 32], [0; 32])
    };
    DocOut {
        fm: Arc::new(d.fm.clone()),
        content_key,
        index_key,
        prose: prose.into(),
        code: code.into(),
        terms: p.terms.into(),
        text: text.into(),
        markdown: markdown.into(),
        includes: p.includes,
        reads_site: p.reads_site,
        links: p.links,
        heading_ids: p.headings.into_iter().map(|h| h.id).collect(),
        diagnostics,
        keys,
        endpoint,
    }
}

/// Whether builds show which stage they are in (set by the CLI when stderr is a terminal
/// and output is not quiet; a library user opts in the same way).
pub static PROGRESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether builds print each stage's time and memory (`--verbose`, or `ENDPAPER_TIMINGS`).
pub static TIMINGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Builds quicker than this show no progress at all (no flicker for small sites).
const PROGRESS_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// Ends a progress line, if one was drawn, so the summary starts on a clean line.
pub fn clear_progress() {
    if PROGRESS.load(std::sync::atomic::Ordering::Relaxed) {
        eprint!("\r\x1b[2K");
    }
}

/// Stage timings on stderr when `ENDPAPER_TIMINGS` is set (for `bench/` and profiling),
/// and a one-line progress display on a terminal for long builds.
struct Stages {
    on: bool,
    started: Instant,
    last: Instant,
}

impl Stages {
    fn new() -> Stages {
        Stages {
            on: std::env::var_os("ENDPAPER_TIMINGS").is_some()
                || TIMINGS.load(std::sync::atomic::Ordering::Relaxed),
            started: Instant::now(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        let elapsed = self.started.elapsed();
        if PROGRESS.load(std::sync::atomic::Ordering::Relaxed) && elapsed > PROGRESS_AFTER {
            eprint!(
                "\r\x1b[2Kbuilding… {stage} done ({:.1}s)",
                elapsed.as_secs_f64()
            );
        }
        if self.on {
            let now = Instant::now();
            // Resident memory now (Linux), to see which stage holds what.
            let rss_mib = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * 4096 / (1 << 20));
            eprintln!(
                "timing: {stage:<14} {:>8.1} ms  {rss_mib:>5} MiB resident",
                (now - self.last).as_secs_f64() * 1e3
            );
            self.last = now;
        }
    }
}

/// Anchors of the docs left out of this audience (and not also used by a doc built).
fn hidden_anchors(model: &model::Model) -> std::collections::HashSet<String> {
    let built: BTreeSet<&str> = model
        .sections
        .iter()
        .flat_map(|s| s.docs.iter().map(|d| d.anchor.as_str()))
        .collect();
    model
        .hidden
        .iter()
        .map(|(rel, _)| model::anchor_for(rel))
        .filter(|a| !built.contains(a.as_str()))
        .collect()
}
