//! The build session: its options, its mode and what each build leaves for the next (the
//! reuse store, and with `Mode::Serve` the [`Memo`]), and the steps that use the memo.

use super::docs::{DocOut, Held};
use super::{fail, BuildOptions, Mode};
use crate::diagnostics::Diagnostic;
use crate::load::{self, LoadedSite};
use crate::model;
use crate::render::{self, PageSection, Plan, Renderer};
use crate::store::{Key, Store};
use crate::structure;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// One build session: the options and the [`Mode`], set once, and what builds of them
/// leave for the next. `serve` keeps one for its life; a one-off build makes one.
pub struct Session {
    pub(super) opts: BuildOptions,
    pub(super) mode: Mode,
    /// Highlighted samples, and for a one-off build each doc's finished parts and the
    /// site's structure, under a key of what made them; packed on disk with `opts.cache`.
    pub(super) store: Store,
    /// Whether `store` is the one of `opts.cache` yet (see [`Session::open_store`]).
    opened: bool,
    /// See [`Session::interrupt_machine_files_on`].
    pub(super) interrupt: Option<Arc<AtomicBool>>,
    pub(super) memo: Memo,
    /// What the last commit took out of the output, still being removed.
    pub(super) leftovers: Option<crate::write::Leftovers>,
    /// Each input's stat as this build's stamp took it, for the model (`model::Stats`).
    pub(super) input_stats: crate::model::Stats,
}

impl Session {
    /// A session for builds of `opts`, as `mode` says, through the store of `opts.cache`.
    pub fn new(opts: BuildOptions, mode: Mode) -> Session {
        Session {
            store: Store::default(),
            opened: false,
            opts,
            mode,
            interrupt: None,
            memo: Memo::default(),
            leftovers: None,
            input_stats: Default::default(),
        }
    }

    /// Opens the store of `opts.cache` when a build first needs it: a build that replays the
    /// last one's report never does, and indexing the pack would be most of its time.
    pub(super) fn open_store(&mut self) {
        if !std::mem::replace(&mut self.opened, true) {
            let cache = self.opts.cache.as_deref();
            self.store = cache.map_or_else(Store::default, Store::open);
        }
    }

    /// Stops a rebuild in place from writing machine files once `flag` is set (a change has
    /// come in and another rebuild follows): they are left for that one.
    pub fn interrupt_machine_files_on(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }
}

/// What one build leaves for the next: each file's key, and for `serve` each doc's output,
/// the site and model. All is checked against the new inputs before reuse: it only skips work.
#[derive(Default)]
pub(super) struct Memo {
    pub(super) config: Option<crate::config::Config>,
    /// Each doc's output by its key ([`super::docs::DocSteps::doc_key`]).
    pub(super) docs: Held,
    /// Output path → key of the file the last build wrote there, for this build to keep what
    /// it would write the same; a one-off build's from its stamp, while its output stands.
    pub(super) files: HashMap<String, blake3::Hash>,
    pub(super) templates: BTreeMap<String, String>,
    /// The last build's site and model, for [`patch`].
    pub(super) loaded: Option<Loaded>,
    /// The compiled templates, for the audience they were made for.
    pub(super) renderer: Option<(String, Arc<Renderer>)>,
    /// The site's structure the pages were written with.
    pub(super) structure: structure::Structure,
    /// What that structure was read from ([`super::pages::structure_key`]).
    pub(super) structure_key: Option<Key>,
    /// The last build's pages' docs, for a rebuild of a few docs to lay out only theirs.
    pub(super) laid_out: Option<LaidOut>,
    /// How many docs [`Memo::relay`] laid out again in the last build (`None`: every doc).
    relaid: Option<usize>,
}

/// A build's pages' sections: the index's when it arranges the docs (`None`: the model's
/// order), and every doc's when other root pages take theirs from them (else empty).
pub(super) type Sections = (Option<Vec<PageSection>>, Vec<PageSection>);

/// What [`Memo::relay`] reuses: the sections of the last build, the docs' outputs they were
/// laid out from, and the structure that arranged them.
pub(super) struct LaidOut {
    pub(super) sections: Sections,
    pub(super) outs: Vec<Arc<DocOut>>,
    pub(super) structure_key: Key,
}

/// Docs past which laying out every doc again costs less than finding each in the pages.
const RELAY_MAX: usize = 16;

impl Memo {
    /// The compiled templates: compiling costs more than a one-doc rebuild, so they are
    /// kept while the config, templates and audience stay the same.
    pub(super) fn renderer(&mut self, site: &LoadedSite, audience: &str) -> Result<Arc<Renderer>> {
        let same =
            self.config.as_ref() == Some(&site.config) && self.templates == site.template_overrides;
        match self.renderer.take() {
            Some((a, r)) if same && a == audience => Ok(r),
            _ => Renderer::new(&site.config, audience, &site.template_overrides).map(Arc::new),
        }
    }

    /// Each page's key and the layout key (the search files' and redirect map's), each with
    /// `site` in it: the key of what every page shows beyond its docs (templates, structure).
    pub(super) fn page_keys(
        site: blake3::Hash,
        (sections, plans, title): (&[PageSection], &[Plan], &str),
        docs: &[&model::Doc],
        outs: &[Arc<DocOut>],
    ) -> PageKeys {
        // By path: the site's own index may list the docs in an order of its own. When it
        // does not, the keys are taken in order, without a map of every doc.
        let model_docs = sections.iter().flat_map(|s| &s.docs);
        let rels = docs.iter().map(|d| d.rel.as_str());
        let in_model_order = model_docs.map(|d| d.rel.as_str()).eq(rels);
        let content: Vec<Vec<[u8; 32]>> = if in_model_order {
            let mut keys = outs.iter().map(|o| o.content_key);
            sections
                .iter()
                .map(|s| keys.by_ref().take(s.docs.len()).collect())
                .collect()
        } else {
            let key_of: HashMap<&str, [u8; 32]> = docs
                .iter()
                .zip(outs)
                .map(|(d, o)| (d.rel.as_str(), o.content_key))
                .collect();
            sections
                .iter()
                .map(|s| s.docs.iter().map(|d| key_of[d.rel.as_str()]).collect())
                .collect()
        };
        let (layout, pages) = render::page_keys(sections, plans, title, &content);
        let mix = |key: blake3::Hash| blake3::hash(&[*key.as_bytes(), *site.as_bytes()].concat());
        PageKeys {
            layout: mix(layout),
            pages: pages.into_iter().map(mix).collect(),
        }
    }

    /// The last build's sections with only the docs laid out again whose model or output is
    /// not the last build's: for a rebuild that re-read only `changed` docs (each keeping its
    /// place: [`patch`]) under the same structure, without versions (which arrange the index
    /// from the docs' operations). `None` lays out every doc. At 100,000 docs laying out
    /// every doc was most of a body save.
    pub(super) fn relay(
        &mut self,
        changed: Option<&BTreeSet<String>>,
        (structure_key, versions): (Key, bool),
        (docs, outs): (&[&model::Doc], &[Arc<DocOut>]),
    ) -> Option<Sections> {
        self.relaid = None;
        let last = self.laid_out.take()?;
        let fits = |changed: &BTreeSet<String>| {
            let stale: Vec<usize> = (0..outs.len())
                .filter(|&i| {
                    !Arc::ptr_eq(&outs[i], &last.outs[i]) || changed.contains(&docs[i].rel)
                })
                .collect();
            (stale.len() <= RELAY_MAX).then_some(stale)
        };
        let same =
            last.structure_key == structure_key && !versions && last.outs.len() == outs.len();
        let Some(stale) = changed.filter(|_| same).and_then(fits) else {
            // Freed off the way to the reload.
            std::thread::spawn(move || drop(last));
            return None;
        };
        let (mut arranged, mut all) = last.sections;
        self.relaid = Some(stale.len());
        for i in stale {
            let doc = super::pages::page_doc(docs[i], &outs[i]);
            let rel = docs[i].rel.as_str();
            let places = arranged.iter_mut().chain([&mut all]).flatten();
            for place in places.flat_map(|s| &mut s.docs).filter(|d| d.rel == rel) {
                *place = doc.clone();
            }
        }
        Some((arranged, all))
    }

    /// Whether the file at `path` with `key` is the one the last build wrote there.
    pub(super) fn has_file(&self, path: &str, key: &blake3::Hash) -> bool {
        self.files.get(path) == Some(key)
    }

    /// The remember step: keeps this build for the next (`serve`).
    pub(super) fn remember(&mut self, build: Remembered, loaded: Loaded) {
        self.laid_out = build.sections.map(|sections| LaidOut {
            sections,
            outs: build.outs.clone(),
            structure_key: build.structure_key,
        });
        self.docs = Held {
            keys: build.outs.iter().map(|o| o.key).collect(),
            docs: build.outs.into_iter().map(|o| (o.key, o)).collect(),
            world: Some(build.world),
        };
        self.config = Some(loaded.site.config.clone());
        self.templates = loaded.site.template_overrides.clone();
        self.structure = build.structure;
        self.structure_key = Some(build.structure_key);
        self.renderer = Some((build.audience, build.renderer));
        self.loaded = Some(loaded);
    }
}

/// A loaded site (its docs' texts moved into the model) and its model.
pub(super) struct Loaded {
    pub(super) site: LoadedSite,
    pub(super) model: model::Model,
    pub(super) doc_rels: Vec<String>,
    /// The structure's key when [`patch`] left every doc's front matter as it was: the last
    /// build's (a structure render sees no body). `None`: taken from the site and model.
    pub(super) structure_key: Option<Key>,
}

/// Re-reads only the docs in `changed` into the memo's model when that surely gives the
/// model a full load would: each is a doc the last build had, and keeps its anchor,
/// section, position and audience. `None` when a full load is needed.
pub(super) fn patch(session: &mut Session, changed: &BTreeSet<String>) -> Option<Result<Loaded>> {
    let opts = &session.opts;
    let mut loaded = session.memo.loaded.take()?;
    loaded.structure_key = session.memo.structure_key;
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
            text: Some(text.into()),
        }];
        let mini = model::build(&loaded.site, &opts.audience, model::Texts::Held);
        loaded.site.docs.clear();
        if !mini.errors.is_empty() {
            return Some(Err(fail(mini.errors)));
        }
        let new = mini.sections.into_iter().flat_map(|s| s.docs).next()?;
        if (&new.anchor, &new.collection, &new.position, &new.audience)
            != (&old.anchor, &old.collection, &old.position, &old.audience)
        {
            return None;
        }
        if new.front_hash() != old.front_hash() {
            loaded.structure_key = None;
        }
        let mine = |d: &Diagnostic| *d.file == *Path::new(rel);
        let diagnostics = &mut loaded.model.diagnostics;
        diagnostics.retain(|d| !mine(d));
        diagnostics.extend(mini.diagnostics.into_iter().filter(mine));
        loaded.site.diagnostics.retain(|d| !mine(d));
        loaded.site.diagnostics.extend(read_diags);
        loaded.model.sections[si].docs[di] = new;
    }
    Some(Ok(loaded))
}

/// Keys of a build's pages and of which page holds which anchor.
pub(super) struct PageKeys {
    pub(super) layout: blake3::Hash,
    pub(super) pages: Vec<blake3::Hash>,
}

/// What [`Memo::remember`] keeps of a build besides its loaded site.
pub(super) struct Remembered {
    pub(super) outs: Vec<Arc<DocOut>>,
    pub(super) world: Key,
    pub(super) structure: structure::Structure,
    pub(super) structure_key: Key,
    pub(super) audience: String,
    pub(super) renderer: Arc<Renderer>,
    /// The pages' sections, for [`Memo::relay`].
    pub(super) sections: Option<Sections>,
}

#[cfg(test)]
mod tests;
