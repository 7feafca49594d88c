//! The pipeline end to end: load → model → compose (Liquid + markdown) → highlight →
//! render → write, as the named steps of one `Run` (the per-doc steps in `docs.rs`, the
//! write steps in `pages.rs`, what a build leaves for the next in `session.rs`). Work
//! merged from threads is put back in a fixed order, so output is byte-identical whatever
//! the thread count.

mod docs;
mod pages;
mod session;
pub mod stamp;

pub use session::Session;

use crate::config::Theme;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::error::SourceError;
use crate::highlight::Highlighter;
use crate::links;
use crate::liquid::{Engine, SiteInputs};
use crate::load::{self, Unused};
use crate::model;
use crate::render;
use crate::site_theme;
use crate::spool::Spool;
use crate::store;
use crate::structure;
use crate::versions;
use crate::write::{InPlace, NullSink, OutputLock, Recorder, Sink, Staging};
use anyhow::Result;
use session::{patch, Loaded};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Defaults to `SITE/_site`.
    pub output: Option<PathBuf>,
    pub audience: String,
    /// The cache folder (the store's pack, the stamps); `None` builds without one.
    pub cache: Option<PathBuf>,
    /// Overrides the site's `theme` setting (`--theme`).
    pub theme: Option<crate::config::Theme>,
    /// The caller prints no diagnostics (`--quiet` without `--strict`): a replay reads none.
    pub quiet: bool,
}

impl BuildOptions {
    pub fn new(site: impl Into<PathBuf>) -> Self {
        BuildOptions {
            site: site.into(),
            output: None,
            audience: "public".into(),
            cache: None,
            theme: None,
            quiet: false,
        }
        .with_default_cache()
    }

    /// Sets the cache to the default folder, `SITE/.endpaper-cache`.
    pub fn with_default_cache(mut self) -> Self {
        self.cache = Some(self.site.join(store::DIR_NAME));
        self
    }

    pub fn output_dir(&self) -> PathBuf {
        let site = || self.site.join("_site");
        self.output.clone().unwrap_or_else(site)
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
    /// Doc source → includes it pulled in (`serve` only: empty after a one-off build).
    pub includes_by_doc: BTreeMap<String, Arc<BTreeSet<String>>>,
    /// Docs of other audiences: (source, audience, anchor).
    pub hidden: Vec<(String, String, String)>,
    /// Every output file, output-relative.
    pub files: BTreeSet<String>,
    /// The files of `files` kept as the last build wrote them: what this build would
    /// write there has the key of what it wrote.
    pub kept: BTreeSet<String>,
    /// The OpenAPI export of the built docs (written as `openapi.json` unless turned off).
    pub openapi: crate::openapi::Export,
    pub elapsed: Duration,
    /// How many docs this build composed (the others' output was reused).
    pub composed: usize,
    /// How many docs this build read and parsed (the others' model came from the store).
    pub parsed: usize,
    /// Nothing changed since the last build of these options: its output stands and this
    /// outcome is its report, replayed (see [`stamp`]; only the report's fields are set).
    pub unchanged: bool,
    /// A change came in while this `serve` rebuild wrote the machine files: they were left
    /// for the next rebuild (which follows). `files` then also lists the last build's.
    pub interrupted: bool,
}

/// Every located error of a failed build, shown together.
#[derive(Debug)]
pub struct SiteErrors(pub Vec<SourceError>);

impl std::fmt::Display for SiteErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        let s = if self.0.len() == 1 { "" } else { "s" };
        write!(f, "{} error{s} in the site", self.0.len())
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
    let mut merged: Vec<(SourceError, Vec<String>)> = Vec::with_capacity(errors.len());
    for e in errors {
        let from = e
            .chain
            .first()
            .map(|(p, pos)| format!("{}:{}:{}", p.display(), pos.line, pos.col));
        match merged.last_mut() {
            Some((last, via))
                if last.path == e.path && last.pos == e.pos && last.message == e.message =>
            {
                via.extend(from)
            }
            _ => merged.push((e, from.into_iter().collect())),
        }
    }
    let reached = |(mut e, docs): (SourceError, Vec<String>)| {
        if docs.len() > 1 {
            let docs = format!("{} docs: {}", docs.len(), docs.join(", "));
            e.message = format!("{} (reached from {docs})", e.message);
        }
        e
    };
    merged.into_iter().map(reached).collect()
}

/// What a build is for. It sets every policy of the pipeline once: the steps ask the mode,
/// never which command runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `endpaper build`: staged output swapped in whole, or over the last output only the
    /// files that changed (with `strict`, not when it warns: the output stays as it was,
    /// `output` is `None`), replayed when nothing changed ([`stamp`]); docs a batch at a
    /// time, their output spooled beside the output folder (held, for a site of one batch).
    Build { strict: bool },
    /// `endpaper serve`: each build's docs, page keys and model are held for the next, which
    /// rewrites only the pages that changed, in place.
    Serve,
    /// `endpaper check` (and `openapi`): nothing written; located errors become findings (a
    /// doc that fails is checked as far as it can be), and broken links are errors.
    Check,
}

impl Mode {
    /// Whether a build's docs, page keys and model are held for the next build.
    fn holds(self) -> bool {
        self == Mode::Serve
    }

    /// How many docs are made at a time (`None`: all, every sample kept for the next build).
    fn batch(self) -> Option<usize> {
        (!self.holds()).then_some(docs::BATCH)
    }

    fn keep_going(self) -> bool {
        self == Mode::Check
    }

    /// `serve` holds doc texts to tell changed docs by them; a one-off build reads each
    /// again when it needs its body.
    fn texts(self) -> model::Texts {
        match self {
            Mode::Serve => model::Texts::Held,
            _ => model::Texts::Reread,
        }
    }

    /// `check` has always failed on broken links; a build warns (`--strict` fails).
    fn link_severity(self) -> Severity {
        match self {
            Mode::Check => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// Where each doc's output waits for its page or file: held by `serve` (reused next
    /// rebuild) and for a site of one batch of `docs` at most (whose output memory holds as
    /// a batch's: spool files, made and removed, were each an inode for the file system to
    /// find), else in unnamed files beside the output folder `out`.
    fn spool(self, out: &Path, docs: usize) -> Spool {
        if self.holds() || docs <= docs::BATCH {
            return Spool::memory();
        }
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty());
        Spool::in_dir(dir.unwrap_or(Path::new(".")))
    }
}

/// Builds the site once, as `mode` says (`Mode::Build` or `Mode::Check`), through the reuse
/// store of `opts.cache`.
pub fn build(opts: &BuildOptions, highlighter: &Highlighter, mode: Mode) -> Result<Outcome> {
    Session::new(opts.clone(), mode).build(highlighter, None, None, &mut |_| {})
}

/// One build into `sink` (a one-off build's policies, no reuse store): for tests and fuzzing
/// that watch what a build writes.
pub fn run(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    output: Option<&Path>,
) -> Result<Outcome> {
    let opts = BuildOptions {
        cache: None,
        ..opts.clone()
    };
    let mut session = Session::new(opts, Mode::Build { strict: false });
    Run::new(&mut session, highlighter, sink, false).load(output, &mut |_| {})
}

impl Session {
    /// One build, the same output as a clean build's. `Mode::Serve` reuses what the build
    /// `last` left and, while its output stands, rewrites only what changed, in place;
    /// `changed_docs` (only those existing docs changed) re-reads just them. `pages_written`
    /// is called once the pages are in place, before the files no open tab reads (`serve`
    /// reloads its tabs there): its outcome has no `files`, `openapi` or `output` yet.
    pub fn build(
        &mut self,
        highlighter: &Highlighter,
        last: Option<&Outcome>,
        changed_docs: Option<&BTreeSet<String>>,
        pages_written: &mut dyn FnMut(&Outcome),
    ) -> Result<Outcome> {
        let started = Instant::now();
        let mut clock = Stages::new();
        let build = matches!(self.mode, Mode::Build { .. });
        // Held until the stamp is saved: a build over the output in place finds it as read.
        let turn = build
            .then(|| OutputLock::take(&self.opts.output_dir()))
            .flatten();
        let mut stamp = build.then(|| stamp::Stamp::take(&self.opts)).flatten();
        if let Some(stamp) = &mut stamp {
            if let Some(outcome) = stamp.replay(started) {
                return Ok(outcome);
            }
            self.memo.files = stamp.files();
            self.input_stats = stamp.take_stats();
        }
        clock.lap("stamp");
        self.open_store();
        clock.lap("store open");
        let outcome = match self.mode {
            Mode::Check => {
                let out = self.opts.output_dir();
                Run::new(self, highlighter, &NullSink, false).load(Some(&out), pages_written)?
            }
            Mode::Build { strict } => {
                self.staged(highlighter, (strict, turn.as_ref()), pages_written)?
            }
            Mode::Serve => self.rebuild(highlighter, (last, changed_docs), pages_written)?,
        };
        let mut clock = Stages::new();
        // A store that cannot be written costs only speed next time.
        let _ = self.store.save();
        clock.lap("store save");
        if let Some(stamp) = stamp {
            let in_place = self
                .leftovers
                .as_ref()
                .is_some_and(crate::write::Leftovers::in_place);
            stamp.save(&outcome, &self.memo.files, in_place);
        }
        clock.lap("stamp save");
        if let Some(leftovers) = self.leftovers.take() {
            leftovers.wait()?;
            clock.lap("leftovers");
        }
        Ok(outcome)
    }

    /// A build staged beside the output, put in place once whole. With the output as the
    /// last build wrote it (its stamp found it so, under `turn`), only the files that
    /// change are staged, and renamed over theirs ([`Staging::over`]).
    fn staged(
        &mut self,
        highlighter: &Highlighter,
        (strict, turn): (bool, Option<&OutputLock>),
        pages_written: &mut dyn FnMut(&Outcome),
    ) -> Result<Outcome> {
        load::check_site_folder(&self.opts.site)?;
        let (out, site) = (self.opts.output_dir(), &self.opts.site);
        let staging = match turn.filter(|_| !self.memo.files.is_empty()) {
            Some(turn) => Staging::over(&out, site, turn)?,
            None => Staging::begin(&out, site)?,
        };
        let mut outcome = Run::new(self, highlighter, &staging, false)
            .load(Some(staging.target()), &mut |_| {})?;
        if strict && diagnostics::fails_strict(&outcome.diagnostics) {
            // Dropping the staging folder removes it; the last good output is untouched.
            return Ok(outcome);
        }
        let mut clock = Stages::new();
        let (output, leftovers) = staging.commit_leaving(&outcome.files)?;
        outcome.output = Some(output);
        // Removed while the stamp is saved (`Session::build` waits for them).
        self.leftovers = Some(leftovers);
        clock.lap("commit");
        // A staged build's tabs reload once its output is swapped in, whole.
        pages_written(&outcome);
        Ok(outcome)
    }

    /// `Mode::Serve`'s build: in place when it can be, else staged.
    fn rebuild(
        &mut self,
        highlighter: &Highlighter,
        (last, changed_docs): (Option<&Outcome>, Option<&BTreeSet<String>>),
        pages_written: &mut dyn FnMut(&Outcome),
    ) -> Result<Outcome> {
        let out = self.opts.output_dir();
        let stands = !self.memo.files.is_empty() && out.join(crate::write::MARKER).is_file();
        let Some(last) = last.filter(|_| stands) else {
            return self.staged(highlighter, (false, None), pages_written);
        };
        let started = Instant::now();
        let sink = InPlace { root: out.clone() };
        let mut clock = Stages::new();
        let patched = changed_docs.and_then(|c| patch(self, c));
        clock.lap("patch");
        let run = Run {
            started,
            ..Run::new(self, highlighter, &sink, true)
        };
        let result = match patched {
            Some(Ok(loaded)) => Run {
                changed: changed_docs,
                ..run
            }
            .after_model(loaded, pages_written),
            Some(Err(e)) => Err(e),
            None => run.load(Some(&out), pages_written),
        };
        // On an error, pages may have been skipped against a state that is now unknown.
        let mut outcome = result.inspect_err(|_| self.memo.files.clear())?;
        if outcome.interrupted {
            // The machine files were not all written: none of the last build's goes.
            outcome.files.extend(last.files.iter().cloned());
        } else {
            for gone in last.files.difference(&outcome.files) {
                let _ = std::fs::remove_file(out.join(gone));
            }
        }
        outcome.output = Some(std::path::absolute(&out).unwrap_or(out));
        Ok(outcome)
    }
}

/// One build of a session: where its output goes, and the steps, as methods.
struct Run<'a> {
    session: &'a mut Session,
    highlighter: &'a Highlighter,
    sink: &'a dyn Sink,
    /// Writing into the last build's output in place (`serve`): pages whose key matches
    /// the last build's are neither rendered nor written.
    in_place: bool,
    started: Instant,
    /// Only these docs changed since the build `serve` holds (the others' model is its).
    changed: Option<&'a BTreeSet<String>>,
}

impl<'a> Run<'a> {
    fn new(
        session: &'a mut Session,
        highlighter: &'a Highlighter,
        sink: &'a dyn Sink,
        in_place: bool,
    ) -> Self {
        Run {
            session,
            highlighter,
            sink,
            in_place,
            started: Instant::now(),
            changed: None,
        }
    }

    /// The load and model steps, then the rest ([`Run::after_model`]).
    fn load(
        self,
        output: Option<&Path>,
        pages_written: &mut dyn FnMut(&Outcome),
    ) -> Result<Outcome> {
        let mut clock = Stages::new();
        let s = &mut *self.session;
        let (opts, mode, store) = (&s.opts, s.mode, &mut s.store);
        let mut site = load::load(&opts.site, output)?;
        // Asked for ahead of the model's threads, which read one doc at a time each: unless
        // the store has records, where the model takes an unchanged doc's without reading it.
        if store.is_empty() {
            crate::write::read_ahead_files(&site.root, site.docs.iter().map(|d| d.rel.as_str()));
        }
        clock.lap("load");
        let stats = std::mem::take(&mut s.input_stats);
        let model = model::build_with(&site, &opts.audience, mode.texts(), store, &stats);
        drop(stats);
        check_audience(&model, &opts.audience)?;
        // The model's errors are reported after compose, with the include errors of the docs
        // that did load. Raw docs are not needed past the model; those that were no doc are
        // static files of their collection.
        site.collection_files.extend(model.unread.iter().cloned());
        let raw = std::mem::take(&mut site.docs);
        let doc_rels: Vec<String> = raw.into_iter().map(|d| d.rel).collect();
        clock.lap("model");
        let loaded = Loaded {
            site,
            model,
            doc_rels,
            structure_key: None,
        };
        self.after_model(loaded, pages_written)
    }
}

/// An audience no doc or collection of the site has is a mistake (a typo in `--audience`
/// built an empty reference and passed).
fn check_audience(model: &model::Model, audience: &str) -> Result<()> {
    if model.audiences.contains(audience) {
        return Ok(());
    }
    let known: Vec<String> = model.audiences.iter().map(|a| format!("`{a}`")).collect();
    let known = Some(known.join(", ")).filter(|k| !k.is_empty());
    let known = known.unwrap_or_else(|| "no audience".into());
    let typo = diagnostics::closest(audience, &model.audiences, |a| a.as_str())
        .map(|a| format!("; did you mean `{a}`?"))
        .unwrap_or_default();
    anyhow::bail!(
        "unknown audience `{audience}`: this site's docs are for {known} (set with `visibility:` on a collection or doc){typo}"
    )
}

/// `theme: site` writes the site's own pages (its root pages, through its layouts) and
/// nothing else: a site with no page to render would build nothing and pass.
fn check_site_theme(site: &load::LoadedSite, from_flag: bool) -> Result<()> {
    let is_page = |rel: &str| !(rel.ends_with(".scss") || rel.ends_with(".sass"));
    if site.pages.iter().any(|(rel, _)| is_page(rel)) {
        return Ok(());
    }
    let missing = if site.layouts.is_empty() {
        "no page to render (an `index.html` or other page with front matter, outside the `_` folders) and no layout (`_layouts/`)"
    } else {
        "no page to render (an `index.html` or other page with front matter, outside the `_` folders) for its layouts to wrap"
    };
    let (asked, instead) = if from_flag {
        ("`--theme site`", "build without `--theme site`")
    } else {
        (
            "`theme: site` in _config.yml",
            "remove `theme: site` from _config.yml",
        )
    };
    anyhow::bail!(
        "{asked} writes the site's own pages, but this site has {missing}, so it would write none: {instead} for endpaper's reference theme, or add them"
    )
}

impl Run<'_> {
    /// Everything after the model: the structure, the per-doc steps, pages, support files,
    /// `pages_written`, machine files, links, remember. Every write goes through one
    /// [`Recorder`], and the outcome's `files` are what it recorded.
    fn after_model(
        self,
        loaded: Loaded,
        pages_written: &mut dyn FnMut(&Outcome),
    ) -> Result<Outcome> {
        let mut clock = Stages::new();
        let Run {
            session,
            highlighter,
            sink,
            in_place,
            started,
            changed,
        } = self;
        let (opts, mode, interrupt) = (&session.opts, session.mode, &session.interrupt);
        let (store, memo) = (&mut session.store, &mut session.memo);
        let (site, model, doc_rels) = (&loaded.site, &loaded.model, &loaded.doc_rels);
        let theme = opts.theme.unwrap_or(site.config.options.theme);
        if theme == Theme::Site {
            check_site_theme(site, opts.theme.is_some())?;
        }
        let mut diags = site.diagnostics.clone();
        diags.extend(model.diagnostics.iter().cloned());
        // Layouts are shown only with the site's theme; pages lend it their docs' markup.
        diags.extend(model::clock_notes(site, theme == Theme::Site));
        let docs: Vec<&model::Doc> = model.sections.iter().flat_map(|s| &s.docs).collect();

        let engine = Engine::new(SiteInputs {
            config: &site.config,
            includes: &site.includes,
            data: &site.data,
            sections: &model.sections,
            loaded: Some(site),
            root_files: Some(site_theme::root_files),
        })
        .map_err(|e| fail(vec![e]))?;
        clock.lap("liquid engine");

        // Read before any doc is made (it needs only their front matter and anchors): its
        // render of the root pages holds every doc's outline for a moment, which then does not
        // add to the docs' output. `theme: site` needs it too (which root pages are another
        // audience's). `serve` holds the last one; a one-off build finds it in the store.
        let keep = !mode.holds() && store.is_saved();
        // Whether anything reads the keys of the docs' output: `serve`'s next rebuild, or the
        // stamp of a build with a cache (even one whose store could not be opened).
        let keyed = mode.holds() || opts.cache.is_some();
        let structure_key = (loaded.structure_key)
            .unwrap_or_else(|| pages::structure_key(site, model, &opts.audience));
        let known = if memo.structure_key == Some(structure_key) {
            Some(memo.structure.clone())
        } else {
            let text = store.get_parts(&structure_key, 1);
            text.and_then(|(s, _)| serde_json::from_str(&s).ok())
        };
        clock.lap("structure key");
        let structure = known.unwrap_or_else(|| {
            let structure = structure::read(site, &engine, model);
            if keep {
                let text = serde_json::to_string(&structure).unwrap_or_default();
                store.insert_record(structure_key, store::record(&[&text]));
            }
            structure
        });
        clock.lap("structure");
        let doc_count = model.sections.iter().map(|s| s.docs.len()).sum();
        let spool = mode.spool(&opts.output_dir(), doc_count);
        // Twins link each other from the site's root (absolute with `url`): a twin and
        // llms-full.txt sit at different depths, and one link must serve both.
        let twin_root = crate::seo::jekyll_root(&site.config);
        let steps = docs::DocSteps::new(
            (site, model, &opts.audience),
            (&engine, highlighter, &structure.markup),
            (mode, keep, keyed, theme),
            (&twin_root, &spool),
        );
        clock.lap("finish setup");
        let mut times = docs::StepTimes::default();
        let (outs, mut used) =
            steps.make(&docs, (&memo.docs, changed), store, &mut diags, &mut times)?;
        let world = steps.world;
        drop(steps);
        // Setting up (the Liquid engine, the spool, the twins' map) counts as finishing.
        clock.laps(&[("compose", times.compose), ("highlight", times.highlight)]);
        for o in &outs {
            diags.extend(o.diagnostics.iter().cloned());
        }
        // A one-off build's store keeps exactly this build's entries. `serve` lets up to a
        // sixteenth more stand between rebuilds: hashing every key of a 100,000-doc site
        // (600,000) cost a body save 50 ms, to drop the one doc's old samples.
        let keys: usize = outs.iter().map(|o| o.keys.len()).sum::<usize>() + used.len() + 1;
        if !mode.holds() || store.len() > keys + keys / 16 {
            let doc_keys = outs.iter().flat_map(|o| o.keys.iter().copied());
            used.extend(
                doc_keys
                    .chain([structure_key])
                    .chain(model.keys.iter().copied()),
            );
            store.retain(&used);
        }
        drop(used);
        clock.lap("finish");

        let versions = read_versions(site, &structure, (&docs, &outs), &spool, &mut diags)?;
        if let Some(v) = &versions {
            let links = docs.iter().zip(&outs);
            let links = links.flat_map(|(d, o)| o.links.iter().map(|l| (d.anchor.as_str(), l)));
            diags.extend(v.link_findings(links, mode.link_severity()));
        }
        clock.lap("versions");

        let relaid = memo.relay(changed, (structure_key, versions.is_some()), (&docs, &outs));
        let (arranged, all_sections) = relaid.unwrap_or_else(|| {
            // The index lists what the site's own index lists, or the newest version's docs.
            let all_sections = pages::sections(model, &outs);
            let index_docs = match &versions {
                Some(v) => Some(v.index_docs()),
                None => structure.page_at("index.html").map(|p| p.docs.as_slice()),
            };
            let arranged = index_docs.and_then(|d| structure::arrange(&all_sections, d));
            // Every doc is kept beside the index's only for the other root pages to take theirs.
            match arranged {
                Some(a) if structure.extra_pages().next().is_none() => (Some(a), Vec::new()),
                a => (a, all_sections),
            }
        });
        let sections: &[render::PageSection] = arranged.as_deref().unwrap_or(&all_sections);
        clock.lap("arrange");

        let renderer = memo.renderer(site, &opts.audience)?;
        let plans = render::plan(sections, &site.config.options);
        let title = Some(site.config.title.as_str()).filter(|t| !t.is_empty());
        let title = title.unwrap_or("API Reference");
        clock.lap("renderer+plan");
        // What every page shows beyond its docs: the templates (made from the config, the
        // audience and the site's overrides), the structure that decorates them, versions.
        let config = format!("{:?} {theme:?}", site.config);
        let mut shown = store::Fields::of(["pages", store::SALT, &config].map(str::as_bytes));
        let overrides = site.template_overrides.iter();
        shown.put_all(overrides.flat_map(|(name, text)| [name.as_bytes(), text.as_bytes()]));
        shown.put(opts.audience.as_bytes());
        // What the structure holds, not what it was read from: its key follows every doc's
        // front matter, and one doc's description edited would otherwise make every page again.
        shown.put(blake3::hash(&serde_json::to_vec(&structure).unwrap_or_default()).as_bytes());
        if let Some(v) = &versions {
            shown.put(v.key().as_bytes());
        }
        let keys =
            session::Memo::page_keys(shown.key().into(), (sections, &plans, title), &docs, &outs);
        let layout = render::Layout::new(sections, &plans).with_versions(versions.as_ref());
        let collections = site.config.collections.iter().flatten();
        let visible = collections.map(|c| &c.visibility).filter(|a| !a.is_empty());
        let audiences: BTreeSet<&String> = visible.collect();
        let audiences: Vec<String> = audiences.into_iter().cloned().collect();
        let reference = pages::Reference {
            sections,
            all_sections: &all_sections,
            plans: &plans,
            layout: &layout,
            structure: &structure,
            renderer: &renderer,
            title,
            spool: &spool,
            site,
            model,
            engine: &engine,
            outs: &outs,
            keys: &keys,
            last: memo,
            audience: &opts.audience,
            audiences: &audiences,
            theme,
            cache: opts.cache.as_deref(),
        };
        clock.lap("page keys");

        let sink = Recorder::new(sink);
        // With `theme: site` the site's own pages are written instead of endpaper's, which
        // are still made (into nothing) for what `check` and `serve` read off them.
        let null = Recorder::new(&NullSink);
        let page_sink = if theme == Theme::Site { &null } else { &sink };
        // Without `serve`'s reload between the pages and the machine files, the OpenAPI
        // document (the longest of those) is made and written beside the pages: a rebuild
        // renders only its changed pages, often one, on one core.
        let never = || false;
        let (support, openapi) = rayon::join(
            || -> Result<_> {
                reference.write_pages(page_sink)?;
                if let Some(v) = &versions {
                    let changelog = renderer.changelog(v, title)?;
                    page_sink.write(versions::CHANGELOG, changelog.as_bytes())?;
                    page_sink.write(versions::FEED, v.feed(&site.config).as_bytes())?;
                    // A site's own version of one is written with its other overrides.
                    for (name, bytes) in versions::ASSETS {
                        if !site.asset_overrides.contains_key(*name) {
                            page_sink.write(&format!("assets/{name}"), bytes)?;
                        }
                    }
                }
                clock.lap("pages");
                let support = reference.write_support_files(page_sink, &sink)?;
                clock.lap("index+assets");
                Ok(support)
            },
            || (!mode.holds()).then(|| reference.write_openapi(&sink, &never)),
        );
        let support = support?;
        diags.extend(support.diagnostics);

        diagnostics::normalize(&mut diags);
        let site_unused = (theme == Theme::Site).then(|| site_theme::unused(&site.unused));
        let mut outcome = Outcome {
            docs: docs.len(),
            sections: sections.len(),
            pages: plans.len(),
            audience: opts.audience.clone(),
            diagnostics: diags,
            unused: site_unused.unwrap_or_else(|| site.unused.clone()),
            hidden: model.hidden.clone(),
            composed: times.composed,
            parsed: model.parsed,
            ..Outcome::default()
        };
        outcome.structure = structure.report(&opts.audience, &audiences);
        if let Some((files, report)) = &support.site_files {
            outcome.structure = report.clone();
            // The site's own pages and its static files.
            let statics = site.statics.iter().chain(&model.statics);
            let statics = statics.map(|r| r.strip_prefix('_').unwrap_or(r));
            let all = files.iter().map(String::as_str).chain(statics);
            let html: BTreeSet<_> = all.filter(|f| f.ends_with(".html")).collect();
            outcome.pages = html.len();
        }
        clock.lap("report");
        // `serve` reloads here, before the machine docs (tens of MB no open tab reads) and
        // what only its next rebuild reads (`inputs`, `includes_by_doc`).
        pages_written(&outcome);
        // Collected, not inserted one by one: a sorted run is built at once (100,000 docs'
        // inserts were a tenth of a `serve` body save).
        let includes = site.includes.keys().map(|k| format!("_includes/{k}"));
        outcome.inputs = doc_rels.iter().cloned().chain(includes).collect();
        // Read only by `serve` (which docs an include's change touches).
        if mode.holds() {
            outcome.includes_by_doc = docs
                .iter()
                .zip(&outs)
                .map(|(d, o)| (d.rel.clone(), Arc::clone(&o.includes)))
                .collect();
        }
        // Only a rebuild in place may stop early (a staged build's output must be whole),
        // and one after a stopped one writes every machine file again.
        let stop = interrupt.clone().filter(|_| in_place);
        let stopped = || stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed));
        let mut full_text = Vec::new();
        match reference.write_machine_files(&support.text_key, &sink, &stopped, openapi)? {
            Some((openapi, keys)) => (outcome.openapi, full_text) = (openapi, keys),
            None => outcome.interrupted = true,
        }
        // What this build wrote where, for the next to keep what it would write the same:
        // each page, the index, and unless they were stopped the machine files.
        let mut files: HashMap<String, blake3::Hash> = plans
            .iter()
            .zip(&keys.pages)
            .map(|(p, k)| (p.path.clone(), *k))
            .chain(support.files)
            .collect();
        if !outcome.interrupted {
            files.extend(reference.twins().chain(full_text));
        }
        // Unkeyed docs' files (all one key) are no record of what was written.
        memo.files = if keyed { files } else { HashMap::new() };
        (outcome.files, outcome.kept) = sink.into_written();
        clock.lap("machine docs");
        // The pages' state goes before the link check, which holds a finding per broken link
        // (freed on a thread of its own: the build does not wait for it).
        drop(layout);
        let sections = if mode.holds() {
            Some((arranged, all_sections))
        } else {
            std::thread::spawn(move || drop((arranged, all_sections)));
            None
        };
        // Links are checked against every file written, so only once the machine files are
        // (`serve`'s tabs are sent these warnings after their reload). A rebuild stopped
        // before then did not write them all; the rebuild that follows checks its links.
        if !outcome.interrupted {
            check_links(
                &mut outcome,
                (&docs, &outs),
                &structure,
                mode.link_severity(),
                &site.config.baseurl,
            );
            clock.lap("links");
        }
        let hidden: BTreeSet<&str> = outcome.hidden.iter().map(|(f, ..)| f.as_str()).collect();
        diagnostics::apply_allowances(
            &mut outcome.diagnostics,
            &site.config.options.allow,
            Path::new("_config.yml"),
            |f| outcome.inputs.contains(f) && !hidden.contains(f),
        );
        drop(docs);
        // A doc edited since its stat was trusted: nothing of this build is committed.
        if let Some(e) = loaded.model.changed() {
            return Err(fail(vec![e]));
        }

        if mode.holds() {
            memo.remember(
                session::Remembered {
                    outs,
                    world,
                    structure,
                    structure_key,
                    audience: opts.audience.clone(),
                    renderer,
                    sections,
                },
                loaded,
            );
        } else {
            drop(engine);
            std::thread::spawn(move || drop((outs, loaded, structure)));
        }
        clock.lap("outcome");
        outcome.elapsed = started.elapsed();
        Ok(outcome)
    }
}

/// The link check, over every doc's links, anchors and heading ids and the files written.
fn check_links(
    outcome: &mut Outcome,
    (docs, outs): (&[&model::Doc], &[Arc<docs::DocOut>]),
    structure: &structure::Structure,
    severity: Severity,
    baseurl: &str,
) {
    // The anchor the site's layout gives a doc is that doc's on endpaper's page too.
    let pairs = docs.iter().map(|d| (d.anchor.as_str(), d.rel.as_str()));
    let rel_of: HashMap<&str, &str> = pairs.collect();
    let site_anchors = structure.pages.iter().flat_map(|p| &p.site_anchors);
    let site_anchors = site_anchors
        .filter_map(|(own, site)| Some((site.as_str(), *rel_of.get(own.as_str())?, &[][..])));
    let own = docs.iter().zip(outs);
    let own = own.map(|(d, o)| (d.anchor.as_str(), d.rel.as_str(), o.heading_ids.as_slice()));
    let targets = links::Targets::new(own.chain(site_anchors), &outcome.hidden, &outcome.files)
        .under_baseurl(baseurl);
    let links = outs.iter().flat_map(|o| &o.links);
    links::link_findings(targets, links, severity, &mut outcome.diagnostics);
}

/// The site's versions ([`versions::read`]) from its root pages and each doc's operation;
/// `None` for a site without.
fn read_versions(
    site: &load::LoadedSite,
    structure: &structure::Structure,
    (docs, outs): (&[&model::Doc], &[Arc<docs::DocOut>]),
    spool: &Spool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<versions::Versions>> {
    let pages: Vec<versions::Page> = structure
        .pages
        .iter()
        .map(|p| versions::Page {
            rel: &p.rel,
            path: &p.path,
            docs: &p.docs,
        })
        .collect();
    let endpoints = outs.iter().map(|o| o.endpoint.as_ref());
    let docs: Vec<_> = docs.iter().copied().zip(endpoints).collect();
    versions::read(&site.config, &pages, &site.pages, &docs, spool, diags)
        .map_err(|e| fail(vec![e]))
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
    if PROGRESS.load(Ordering::Relaxed) {
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
            on: std::env::var_os("ENDPAPER_TIMINGS").is_some() || TIMINGS.load(Ordering::Relaxed),
            started: Instant::now(),
            last: Instant::now(),
        }
    }

    /// Laps for steps that ran interleaved (a batch at a time), each with its summed time.
    /// The time since the last lap not in `steps` goes to the next lap.
    fn laps(&mut self, steps: &[(&str, Duration)]) {
        let summed: Duration = steps.iter().map(|s| s.1).sum();
        let rest = self.last.elapsed().saturating_sub(summed);
        for (stage, time) in steps {
            self.last = Instant::now() - *time;
            self.lap(stage);
        }
        self.last = Instant::now() - rest;
    }

    fn lap(&mut self, stage: &str) {
        let elapsed = self.started.elapsed();
        if PROGRESS.load(Ordering::Relaxed) && elapsed > PROGRESS_AFTER {
            let secs = elapsed.as_secs_f64();
            eprint!("\r\x1b[2Kbuilding… {stage} done ({secs:.1}s)");
        }
        if self.on {
            let now = Instant::now();
            // Resident memory now (Linux), to see which stage holds what.
            let rss_mib = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |pages| pages * 4096 / (1 << 20));
            let ms = (now - self.last).as_secs_f64() * 1e3;
            eprintln!("timing: {stage:<14} {ms:>8.1} ms  {rss_mib:>5} MiB resident");
            self.last = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{docs, Mode};

    /// A site of one batch keeps its docs' output in memory (no spool file for the file
    /// system to allocate and free); a larger one spools it beside the output.
    #[test]
    fn a_build_spools_only_past_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let build = Mode::Build { strict: false };
        assert!(!build.spool(&out, 1).is_file());
        assert!(!build.spool(&out, docs::BATCH).is_file());
        assert!(build.spool(&out, docs::BATCH + 1).is_file());
        assert!(!Mode::Serve.spool(&out, docs::BATCH + 1).is_file());
    }
}
