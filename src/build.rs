//! The pipeline end to end: load → model → compose (Liquid + markdown) → highlight →
//! render → write. Stages hand each other plain data; the expensive per-doc stages run on
//! rayon, and everything merged from threads is put back in a fixed order so output is
//! byte-identical whatever the thread count.

use crate::compose::{self, DocParts};
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Pos, SourceError};
use crate::highlight::{Highlighted, Highlighter};
use crate::liquid::{Context, Includes};
use crate::load::{self, Unused};
use crate::model;
use crate::render::{self, PageDoc, PageSection, Renderer};
use crate::write::{NullSink, Sink, Staging};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Defaults to `SITE/_site`.
    pub output: Option<PathBuf>,
    pub audience: String,
}

impl BuildOptions {
    pub fn new(site: impl Into<PathBuf>) -> Self {
        BuildOptions {
            site: site.into(),
            output: None,
            audience: "public".into(),
        }
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

fn fail(mut errors: Vec<SourceError>) -> anyhow::Error {
    errors.sort_by(|a, b| (&a.path, a.pos).cmp(&(&b.path, b.pos)));
    errors.dedup();
    anyhow::Error::new(SiteErrors(errors))
}

/// Builds the site into its output folder, atomically.
pub fn build(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Outcome> {
    let out = opts.output_dir();
    let staging = Staging::begin(&out, &opts.site)?;
    let mut outcome = run(opts, highlighter, &staging, Some(staging.target()))?;
    outcome.output = Some(staging.commit()?);
    Ok(outcome)
}

/// Everything `build` does except writing (for `check`).
pub fn check(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Outcome> {
    run(opts, highlighter, &NullSink, Some(&opts.output_dir()))
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

pub fn run(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    output: Option<&Path>,
) -> Result<Outcome> {
    let started = Instant::now();
    let site = load::load(&opts.site, output)?;
    let mut diags = site.diagnostics.clone();
    let model = model::build(&site, &opts.audience);
    diags.extend(model.diagnostics.iter().cloned());
    if !model.errors.is_empty() {
        return Err(fail(model.errors));
    }

    // Compose every doc (Liquid, markdown) in parallel.
    let includes = Includes::new(site.includes.clone());
    let site_value = Value::Object(site.config.raw.clone());
    let null = Value::Null;
    let cx = Context {
        includes: &includes,
        site: &site_value,
        page: &null,
    };
    let docs: Vec<&model::Doc> = model.sections.iter().flat_map(|s| &s.docs).collect();
    let composed: Vec<Result<DocParts, SourceError>> =
        docs.par_iter().map(|d| compose::compose(d, &cx)).collect();
    let mut parts = Vec::with_capacity(composed.len());
    let mut errors = Vec::new();
    for c in composed {
        match c {
            Ok(p) => parts.push(p),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(fail(errors));
    }

    // Highlight each distinct sample once, largest first so both cores stay busy to the end.
    let mut unique: HashMap<blake3::Hash, (&str, Option<&str>)> = HashMap::new();
    for p in &parts {
        for s in &p.samples {
            unique
                .entry(sample_key(&s.block.code, s.block.lang.as_deref()))
                .or_insert((&s.block.code, s.block.lang.as_deref()));
        }
    }
    let mut jobs: Vec<(blake3::Hash, &str, Option<&str>)> =
        unique.into_iter().map(|(k, (c, l))| (k, c, l)).collect();
    jobs.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(a.0.as_bytes().cmp(b.0.as_bytes()))
    });
    let highlighted: HashMap<blake3::Hash, Highlighted> = jobs
        .par_iter()
        .map(|(k, code, lang)| (*k, highlighter.highlight(code, *lang)))
        .collect();

    // Per-doc diagnostics, in doc order.
    for p in &parts {
        diags.extend(p.diagnostics.iter().cloned());
        for s in &p.samples {
            let hl = &highlighted[&sample_key(&s.block.code, s.block.lang.as_deref())];
            let lang = s.block.lang.as_deref().unwrap_or("");
            if !hl.known_language {
                diags.push(Diagnostic::warning(
                    "unknown-language",
                    &s.file,
                    s.pos,
                    format!("unknown code language `{lang}`: shown as plain text"),
                ));
            }
            if lang.eq_ignore_ascii_case("json") {
                if let Some((line, col, msg)) = json_problem(&s.block.code) {
                    diags.push(Diagnostic::warning(
                        "invalid-json",
                        &s.file,
                        Pos::new(s.pos.line + line, col),
                        format!("invalid JSON in sample: {msg} (highlighted anyway)"),
                    ));
                }
            }
        }
    }

    // Final HTML per doc, in parallel.
    let finished: Vec<(String, String)> = parts
        .par_iter()
        .zip(docs.par_iter())
        .map(|(p, d)| {
            compose::finish(p, &d.anchor, &|i| {
                highlighted
                    [&sample_key(&p.samples[i].block.code, p.samples[i].block.lang.as_deref())]
                    .clone()
            })
        })
        .collect();
    let mut finished = finished.into_iter();
    let mut part_iter = parts.iter();
    let sections: Vec<PageSection> = model
        .sections
        .iter()
        .map(|s| PageSection {
            label: s.label.clone(),
            title: s.title.clone(),
            docs: s
                .docs
                .iter()
                .map(|d| {
                    let (prose, code) = finished.next().unwrap_or_default();
                    let terms = part_iter
                        .next()
                        .map(|p| p.terms.clone())
                        .unwrap_or_default();
                    PageDoc {
                        anchor: d.anchor.clone(),
                        rel: d.rel.clone(),
                        method: d.method.clone(),
                        title: d.display_title.clone(),
                        name: d.name.clone(),
                        description: d.description.clone(),
                        prose,
                        code,
                        fm: d.fm.clone(),
                        terms,
                    }
                })
                .collect(),
        })
        .collect();

    // Pages.
    let renderer = Renderer::new(&site.config, &opts.audience, &site.template_overrides)?;
    let plans = render::plan(&sections, &site.config.options);
    let title = if site.config.title.is_empty() {
        "API Reference"
    } else {
        &site.config.title
    };
    (0..plans.len())
        .into_par_iter()
        .try_for_each(|p| -> Result<()> {
            let html = renderer
                .page(&sections, &plans, p, title)
                .with_context(|| format!("cannot render page {}", plans[p].path))?;
            sink.write(&plans[p].path, html.as_bytes())
        })?;
    sink.write(
        "search-index.js",
        render::search_index(&sections, &plans).as_bytes(),
    )?;
    sink.write("404.html", render::not_found(title).as_bytes())?;
    for (name, bytes) in render::ASSETS {
        let bytes = site
            .asset_overrides
            .get(*name)
            .map_or(*bytes, |b| b.as_slice());
        sink.write(&format!("assets/{name}"), bytes)?;
    }
    for (name, bytes) in &site.asset_overrides {
        if !render::ASSETS.iter().any(|(n, _)| n == name) {
            sink.write(&format!("assets/{name}"), bytes)?;
        }
    }
    for rel in site.statics.iter().chain(&model.statics) {
        let out_rel = rel.strip_prefix('_').unwrap_or(rel);
        sink.copy(&opts.site.join(rel), out_rel)?;
    }

    diagnostics::normalize(&mut diags);
    let mut outcome = Outcome {
        docs: docs.len(),
        sections: sections.len(),
        pages: plans.len(),
        audience: opts.audience.clone(),
        output: None,
        diagnostics: diags,
        unused: site.unused.clone(),
        hidden: model.hidden.clone(),
        elapsed: Duration::ZERO,
        ..Outcome::default()
    };
    outcome
        .inputs
        .extend(site.docs.iter().map(|d| d.rel.clone()));
    outcome
        .inputs
        .extend(site.includes.keys().map(|k| format!("_includes/{k}")));
    for (d, p) in docs.iter().zip(&parts) {
        outcome
            .includes_by_doc
            .insert(d.rel.clone(), p.includes.clone());
        outcome.anchors.insert(d.anchor.clone(), d.rel.clone());
        outcome
            .links
            .extend(p.links.iter().map(|l| (d.rel.clone(), l.clone())));
        outcome
            .heading_ids
            .extend(p.headings.iter().map(|h| h.id.clone()));
    }
    outcome.files.extend(plans.iter().map(|p| p.path.clone()));
    outcome
        .files
        .extend(["search-index.js".to_string(), "404.html".to_string()]);
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
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

fn sample_key(code: &str, lang: Option<&str>) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(lang.unwrap_or("").as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    h.finalize()
}
