//! The per-doc steps: compose each doc not reused (Liquid, markdown), highlight every
//! distinct new sample once, and finish each doc into the HTML and findings the pages and
//! the outcome read ([`DocOut`]).

use super::{fail, merge_errors, Mode};
use crate::compose::{self, DocParts};
use crate::diagnostics::Diagnostic;
use crate::error::{Pos, SourceError};
use crate::highlight::{Highlighted, Highlighter};
use crate::liquid::Engine;
use crate::load::LoadedSite;
use crate::model;
use crate::site_markup::Markup;
use crate::spool::{Chunk, Spool};
use crate::store::{self, Key, KeySet, Store};
use crate::{machine_docs, render, search_index};
use anyhow::Result;
use rayon::prelude::*;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many docs a one-off build composes, highlights and finishes at a time, so memory holds
/// a batch's composed parts and samples, not the site's. Large enough for both cores.
pub(super) const BATCH: usize = 256;

/// Time spent in each per-doc step, summed over the batches, and how many docs were
/// composed (not reused).
#[derive(Default)]
pub(super) struct StepTimes {
    pub(super) compose: Duration,
    pub(super) highlight: Duration,
    pub(super) composed: usize,
}

impl DocSteps<'_> {
    /// Composes, highlights and finishes every doc not reused, in the model's order, a batch
    /// at a time as the mode says (`serve`'s store keeps every sample for its next rebuild).
    /// A located error fails the build once every doc is composed (all are reported at
    /// once), or in `Mode::Check` becomes a finding and the doc is checked as far as it can.
    pub(super) fn make(
        &self,
        docs: &[&model::Doc],
        (held, changed): (&Held, Option<&BTreeSet<String>>),
        store: &mut Store,
        diags: &mut Vec<Diagnostic>,
        times: &mut StepTimes,
    ) -> Result<(Vec<Arc<DocOut>>, KeySet)> {
        let mut errors = self.model.errors.clone();
        let mut used = KeySet::default();
        // The records whose reads were resolved in this build's world by the last build that
        // saved them: theirs are not resolved again (its includes and links read the same).
        let verified_at = self.verified_key();
        let verified: KeySet = verified_at
            .and_then(|k| store.get_parts(&k, 1))
            .and_then(|(head, _)| store::read_head::<Vec<Key>>(&head))
            .map(KeySet::from_iter)
            .unwrap_or_default();
        let mut records: Vec<Key> = Vec::new();
        let keep_going = self.mode.keep_going();
        let size = self.mode.batch().unwrap_or(docs.len()).max(1);
        let mut outs = Vec::with_capacity(docs.len());
        for (i, batch_docs) in docs.chunks(size).enumerate() {
            let t = Instant::now();
            let tags = &self.tags[i * size..i * size + batch_docs.len()];
            // The one reuse rule: a doc's output stands, held (`serve`) or recorded under the
            // key of its own inputs, while what else its steps read reads the same (surely so
            // for a held doc while its world is). An unchanged held doc keeps its key.
            let recorded: &Store = store;
            let alike = held.world == Some(self.world);
            let last = |at: usize, d: &model::Doc| {
                let same = alike && changed.is_some_and(|c| !c.contains(&d.rel));
                same.then(|| held.keys.get(at)).flatten().copied()
            };
            let (doc_keys, batch_reused): (Vec<Key>, Vec<Option<Arc<DocOut>>>) = batch_docs
                .par_iter()
                .zip(tags)
                .enumerate()
                .map(|(at, (d, tag))| {
                    let key = last(i * size + at, d).unwrap_or_else(|| self.doc_key(d, tag));
                    let out = held.docs.get(&key);
                    let out = out.filter(|o| self.reads_same(&o.read, alike)).cloned();
                    let out = out.or_else(|| {
                        let resolved = verified.contains(&key);
                        self.recorded(recorded, &key, d, resolved).map(Arc::new)
                    });
                    (key, out)
                })
                .unzip();
            let engines = (self.engine, self.markup);
            let (parts, failed) = compose(batch_docs, &batch_reused, engines, &mut errors);
            times.compose += t.elapsed();
            let composed = parts.iter().flatten().count();
            times.composed += composed;
            // The next batch's texts asked for while this one is finished, unless it was reused.
            if composed * 2 > parts.len() {
                let next = docs.iter().skip((i + 1) * size).take(size);
                crate::write::read_ahead_files(&self.loaded.root, next.map(|d| d.rel.as_str()));
            }
            if !errors.is_empty() && !keep_going {
                continue;
            }
            let t = Instant::now();
            let keys = highlight(&parts, self.highlighter, store);
            times.highlight += t.elapsed();
            // Each composed doc's final HTML and findings, in parallel; a reused doc stands.
            let finished: Vec<_> = (parts.into_par_iter().zip(keys).zip(batch_reused))
                .zip(batch_docs.par_iter().zip(tags).zip(&doc_keys))
                .map(|(((p, keys), r), ((d, tag), key))| match (r, p) {
                    (Some(r), _) => (r, None),
                    (None, Some(p)) => {
                        let (out, new) = doc_out(p, keys, (d, tag, *key), store, self);
                        (Arc::new(out), new)
                    }
                    (None, None) => unreachable!("a doc is either reused or composed"),
                })
                .collect();
            for ((mut out, new), failed) in finished.into_iter().zip(failed) {
                // A doc that failed is composed empty, for `check` to go on: not recorded.
                match new {
                    Some((key, record)) if !failed => {
                        store.insert_record(key, record);
                        records.push(key);
                    }
                    Some(_) => {}
                    // Its record, read from the store with its reads resolved in this world.
                    None if out.keys.last() == Some(&out.key) => records.push(out.key),
                    None => {}
                }
                if !self.mode.holds() {
                    hand_over_keys(&mut out, &mut used);
                }
                outs.push(out);
            }
            if self.mode.batch().is_some() {
                store.end_batch();
            }
            // A made doc's model keeps its output's part of its front matter: at once, unless
            // a doc's Liquid may read it through `site`, when every doc is made.
            let last = i + 1 == docs.len().div_ceil(size);
            if self.page_fm.is_some() && (last || !self.site_read) {
                let from =
                    outs.len().saturating_sub(batch_docs.len()) * usize::from(!self.site_read);
                for (d, o) in docs[from..].iter().zip(&outs[from..]) {
                    d.fm.set(Arc::clone(&o.fm));
                }
            }
        }
        if let Some(at) = verified_at.filter(|_| errors.is_empty()) {
            records.sort_unstable();
            store.insert_record(at, store::record(&[&store::head(&records)]));
            used.insert(at);
        }
        if !errors.is_empty() {
            if !keep_going {
                return Err(fail(errors));
            }
            let merged = merge_errors(errors);
            diags.extend(merged.iter().map(Diagnostic::from_source_error));
        }
        Ok((outs, used))
    }
}

/// Moves a doc's store keys into `used`, the keys of the entries a one-off build's store
/// keeps: gathered as each batch is made, not held in every doc to the end of the build
/// (`serve` holds them in the docs it keeps, for its next rebuild). A doc shared elsewhere
/// keeps its keys, which are still counted as used.
fn hand_over_keys(out: &mut Arc<DocOut>, used: &mut KeySet) {
    if let Some(out) = Arc::get_mut(out) {
        used.extend(std::mem::take(&mut out.keys));
    }
}

/// Composes every doc not reused, in parallel; a doc that fails is composed empty (for
/// `check` to go on), its error added to `errors`, and said failed.
fn compose(
    docs: &[&model::Doc],
    reused: &[Option<Arc<DocOut>>],
    (engine, markup): (&Engine, &Markup),
    errors: &mut Vec<SourceError>,
) -> (Vec<Option<DocParts>>, Vec<bool>) {
    let composed: Vec<Option<Result<DocParts, SourceError>>> = docs
        .par_iter()
        .zip(reused)
        .map(|(d, r)| {
            r.is_none().then(|| {
                let mut parts = compose::compose(d, engine)?;
                if let Some(m) = markup.get(&d.rel) {
                    crate::site_markup::apply(&mut parts, d, engine, m)?;
                }
                // Here, not in compose: `samples` reads composed parts, so it sits above compose.
                crate::samples::apply(&mut parts, d, &engine.config().options.samples);
                Ok(parts)
            })
        })
        .collect();
    composed
        .into_iter()
        .map(|c| match c {
            None => (None, false),
            Some(Ok(mut p)) => {
                let failed = !p.errors.is_empty();
                errors.append(&mut p.errors);
                (Some(p), failed)
            }
            Some(Err(e)) => {
                errors.push(e);
                (Some(DocParts::default()), true)
            }
        })
        .unzip()
}

/// Highlights each distinct sample not in the store once, largest first so both cores stay
/// busy to the end. Returns each doc's sample keys.
fn highlight(
    parts: &[Option<DocParts>],
    highlighter: &Highlighter,
    store: &mut Store,
) -> Vec<Vec<Key>> {
    let key = |s: &compose::Sample| store::key(&s.block.code, s.block.lang.as_deref());
    let sample_keys: Vec<Vec<Key>> = parts
        .par_iter()
        .map(|p| p.iter().flat_map(|p| &p.samples).map(key).collect())
        .collect();
    let mut unique: store::KeyMap<(&str, Option<&str>)> = Default::default();
    for (p, keys) in parts.iter().zip(&sample_keys) {
        for (s, k) in p.iter().flat_map(|p| &p.samples).zip(keys) {
            if !store.contains(k) {
                let job = (s.block.code.as_str(), s.block.lang.as_deref());
                unique.entry(*k).or_insert(job);
            }
        }
    }
    let mut jobs: Vec<_> = unique.into_iter().map(|(k, (c, l))| (k, c, l)).collect();
    jobs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let highlighted: Vec<(Key, Highlighted)> = jobs
        .par_iter()
        .map(|(k, code, lang)| (*k, highlighter.highlight(code, *lang)))
        .collect();
    for (k, h) in highlighted {
        store.insert(k, h);
    }
    rayon::broadcast(|_| crate::highlight::forget_lines());
    sample_keys
}

/// What the per-doc steps need from the whole build, made once per build; the steps are
/// its methods.
pub(super) struct DocSteps<'a> {
    engine: &'a Engine<'a>,
    highlighter: &'a Highlighter,
    /// The site's own markup of the docs its layout shows more of than endpaper's theme.
    markup: &'a Markup,
    /// Descriptions of docs without such markup, rendered as the layout renders the others'
    /// (`site_markup::rendered_descriptions`).
    descriptions: HashMap<String, String>,
    mode: Mode,
    /// Whether each doc's finished parts are kept in the store (a one-off build whose store
    /// is saved: `serve` holds its docs' output itself, and would hold every twin twice).
    keep: bool,
    /// Whether the keys of each doc's output (its page's content, index entry, search text,
    /// twin) are made: a one-off build without a cache compares them with no last build's
    /// and keeps none, and hashing every doc's page, text and twin was about a twentieth of
    /// its CPU. Unkeyed, they are all one key.
    keyed: bool,
    /// When the pages read only [`model::PAGE_KEYS`] of a doc's front matter, the part of a
    /// doc without them, shared: a doc's output (and its model, once made) holds just that.
    page_fm: Option<Arc<serde_json::Map<String, Value>>>,
    /// Whether some doc's compose may read other docs' front matter (through `site`).
    site_read: bool,
    /// Anchors of docs of other audiences: links to them lose their href.
    hidden: HashSet<String>,
    /// Each doc's anchor → its path, for its twin's URL: made when a doc first links to
    /// another by a bare `#anchor` (a `serve` rebuild finishes a doc or two).
    twins: std::sync::OnceLock<HashMap<&'a str, &'a str>>,
    model: &'a model::Model,
    /// Where twins' URLs start.
    twin_root: &'a str,
    /// Each doc's section title, in the model's order: its operation's OpenAPI tag.
    tags: Vec<&'a str>,
    spool: &'a Spool,
    loaded: &'a LoadedSite,
    /// The key of what every doc's steps read of the build (salt, config, audience, twin root).
    key: Key,
    /// What `site.*` holds ([`DocSteps::site_key`]).
    site: std::sync::OnceLock<Key>,
    /// The build's time in seconds (`site.time`).
    time: i64,
    /// What the docs' reads resolve against ([`world`]): `serve`'s held docs and the store's
    /// records read in a build of the same world read the same.
    pub(super) world: Key,
    /// Each distinct set of includes a doc pulled in, shared by the docs that pulled in the
    /// same: a site's docs use a few sets, and a set per doc held to the end of the build
    /// was a few hundred bytes a doc.
    include_sets: std::sync::Mutex<HashSet<Arc<BTreeSet<String>>>>,
}

/// The docs `serve` holds by their keys (and the keys in the model's order), and the
/// [`DocSteps::world`] they were keyed in.
#[derive(Default)]
pub(super) struct Held {
    pub(super) docs: store::KeyMap<Arc<DocOut>>,
    pub(super) keys: Vec<Key>,
    pub(super) world: Option<Key>,
}

impl<'a> DocSteps<'a> {
    /// Twins link each other from `twin_root` (absolute with `url`).
    pub(super) fn new(
        (loaded, model, audience): (&'a LoadedSite, &'a model::Model, &str),
        (engine, highlighter, markup): (&'a Engine<'a>, &'a Highlighter, &'a Markup),
        (mode, keep, keyed, theme): (Mode, bool, bool, crate::config::Theme),
        (twin_root, spool): (&'a str, &'a Spool),
    ) -> Self {
        let config = format!("{:?}", loaded.config);
        // What the root pages replace in docs' `content_markdown` is composed into them.
        let replaced = format!("{:?}", engine.prose_replacements());
        let fields =
            ["doc", store::SALT, &config, &replaced, audience, twin_root].map(str::as_bytes);
        let key = store::Fields::of(fields).key();
        let tags: Vec<&str> = model
            .sections
            .iter()
            .flat_map(|s| s.docs.iter().map(|_| s.title.as_str()))
            .collect();
        let mut docs = model.sections.iter().flat_map(|s| &s.docs);
        let includes_read = loaded.includes.values().any(|t| t.contains("site"));
        let site_read = docs.any(|d| d.reads_site) || includes_read || !markup.is_empty();
        DocSteps {
            world: world(key, (loaded, model, markup), &tags),
            tags,
            loaded,
            key,
            site: std::sync::OnceLock::new(),
            time: loaded.time.unix_timestamp(),
            engine,
            highlighter,
            markup,
            descriptions: crate::site_markup::rendered_descriptions(
                markup,
                model
                    .sections
                    .iter()
                    .flat_map(|s| &s.docs)
                    .map(|d| (d.rel.as_str(), d.description.as_str())),
            ),
            mode,
            keep,
            keyed,
            page_fm: pages_read_keys(loaded, mode, theme).then(Default::default),
            site_read,
            hidden: hidden_anchors(model),
            twins: std::sync::OnceLock::new(),
            model,
            twin_root,
            spool,
            include_sets: Default::default(),
        }
    }

    /// Where a link of an operation's description goes in `openapi.json`, read outside the
    /// site: `#anchor` to the published page (from the site's root: a split site's first
    /// page sends old anchors on to their page), a root-relative path to the site's host
    /// when `url` is set, a doc of another audience nowhere.
    fn link_target(&self, dest: &str) -> crate::openapi::commonmark::Target {
        use crate::openapi::commonmark::Target;
        if let Some(anchor) = dest.strip_prefix('#') {
            if self.hidden.contains(anchor) {
                return Target::Unlink;
            }
            return Target::To(format!("{}{dest}", self.twin_root));
        }
        let origin = self.twin_root.split_once("://").and_then(|(scheme, rest)| {
            let host = rest.split('/').next().filter(|h| !h.is_empty())?;
            Some(format!("{scheme}://{host}"))
        });
        match origin {
            Some(origin) if dest.starts_with('/') && !dest.starts_with("//") => {
                Target::To(format!("{origin}{dest}"))
            }
            _ => Target::Keep,
        }
    }

    /// Where a twin's link to `url` leads: a doc of another audience nowhere, another doc
    /// to its twin.
    fn twin_href(&self, url: &str) -> crate::html::Href {
        machine_docs::twin_link(url, &self.hidden, &|a| self.twin(a))
    }

    /// The URL of the twin of the doc at `anchor`, if a doc of this build has it.
    fn twin(&self, anchor: &str) -> Option<String> {
        let twins = self.twins.get_or_init(|| {
            let docs = self.model.sections.iter().flat_map(|s| &s.docs);
            docs.map(|d| (d.anchor.as_str(), d.rel.as_str())).collect()
        });
        let path = machine_docs::twin_path(twins.get(anchor)?);
        Some(format!("{}{path}", self.twin_root))
    }
}

/// Whether the pages read only [`model::PAGE_KEYS`] of front matter: not when a template names
/// `fm`, with `theme: site` (its layouts read it all), in `serve` (which composes docs again).
fn pages_read_keys(site: &LoadedSite, mode: Mode, theme: crate::config::Theme) -> bool {
    let templates = render::TEMPLATES.iter().map(|(_, text)| *text);
    let mut templates = templates.chain(site.template_overrides.values().map(String::as_str));
    !mode.holds() && theme != crate::config::Theme::Site && !templates.any(|t| t.contains("fm"))
}

/// JSON must parse; a problem is reported at its line in the file.
fn json_problem(code: &str) -> Option<(usize, usize, String)> {
    // An empty sample (a fence opened and closed at once, a placeholder) holds no JSON to
    // be wrong: Jekyll shows it as an empty block, and so does endpaper.
    if code.trim().is_empty() {
        return None;
    }
    let e = serde_json::from_str::<serde::de::IgnoredAny>(code).err()?;
    if let Some((line, col)) = trailing_comma(code, e.line(), e.column()) {
        return Some((line, col, "trailing comma (JSON allows none)".to_string()));
    }
    let message = e.to_string();
    let message = message.split(" at line").next().unwrap_or("");
    Some((e.line(), e.column(), message.to_string()))
}

/// serde_json reports a trailing comma at the bracket after it ("key must be a string",
/// "expected value"); the writer fixes it at the comma, so that is where it is reported:
/// the comma's 1-based line and column, when the error sits on a `}` or `]` whose previous
/// non-blank character is a comma.
fn trailing_comma(code: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let lines = code.split_inclusive('\n').take(line.checked_sub(1)?);
    let start: usize = lines.map(str::len).sum();
    let at = start + code[start..].char_indices().nth(column.checked_sub(1)?)?.0;
    if !code[at..].starts_with(['}', ']']) {
        return None;
    }
    let before = code[..at].trim_end();
    if !before.ends_with(',') {
        return None;
    }
    let comma = before.len() - 1;
    let comma_line = code[..comma].matches('\n').count() + 1;
    let line_start = code[..comma].rfind('\n').map_or(0, |n| n + 1);
    Some((comma_line, code[line_start..comma].chars().count() + 1))
}

/// One doc's finished output and everything the outcome needs from it: recorded in the
/// store under [`DocSteps::doc_key`] or held by `serve`, so an unchanged doc is not made again.
#[derive(Debug, Default)]
pub(super) struct DocOut {
    /// The doc's two columns, held, spooled or in the store until its page is written.
    pub(super) prose: Chunk,
    pub(super) code: Chunk,
    /// The places in `prose` and `code` their page fills in.
    pub(super) marks: [Arc<[crate::document::Mark]>; 2],
    pub(super) terms: compose::Terms,
    /// The doc's item of `search-text.js`, held or spooled like the twin and operation.
    pub(super) text: Chunk,
    pub(super) markdown: Chunk,
    /// Shared with the build's outcome (`includes_by_doc`), not copied into it.
    pub(super) includes: Arc<BTreeSet<String>>,
    /// The key of the doc's own inputs ([`DocSteps::doc_key`]).
    pub(super) key: Key,
    /// What the doc's steps read beyond its own inputs, and what they found.
    pub(super) read: Reads,
    pub(super) links: Vec<compose::Link>,
    pub(super) heading_ids: Vec<String>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The store keys of the doc's samples and record: held by `serve`, a one-off build's
    /// gathered as each batch ends ([`hand_over_keys`]).
    pub(super) keys: Vec<Key>,
    /// The front matter, shared with every page built from it.
    pub(super) fm: Arc<serde_json::Map<String, Value>>,
    /// The description as the site's layout renders it (`DocMarkup::description_html`).
    pub(super) description_html: Option<String>,
    /// blake3 of everything the doc shows on a page: with the page's layout, its key.
    pub(super) content_key: Key,
    pub(super) index_key: Key,
    /// blake3 of the doc's full text for search: a body edit changes this, and
    /// `search-text.js`, but rarely the index.
    pub(super) text_key: Key,
    /// blake3 of the twin: the key its file is kept under.
    pub(super) twin_key: Key,
    pub(super) endpoint: Option<crate::openapi::Operation>,
}

/// What a doc's steps read besides the doc and the config (its key): the doc's output
/// stands while each still reads the same ([`DocSteps::reads_same`]).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Reads {
    /// Each include its Liquid pulled in, with a key of its text.
    includes: Vec<(String, Key)>,
    /// For a doc whose Liquid reads `site.*`: the key of what `site` holds.
    site: Option<Key>,
    /// For a doc whose Liquid may show the build's time: that time, in seconds.
    #[serde(default)]
    time: Option<i64>,
    /// Each link destination its page, twin and operation resolved, with where it led.
    links: Vec<(String, String)>,
}

/// A doc's record in the store: this, then its prose, code, search-text item, twin,
/// operation text and terms (the JSON list [`compose::Terms`] spools), each a part of its
/// own (read when written out, never held).
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    read: Reads,
    links: Vec<(String, String, Pos)>,
    heading_ids: Vec<String>,
    /// The places in the prose and code their page fills in.
    marks: [Vec<crate::document::Mark>; 2],
    diagnostics: Vec<Diagnostic>,
    samples: Vec<Key>,
    operation: Option<crate::openapi::document::Written>,
    keys: [Key; 4],
}

/// The parts of a record: [`Meta`] and six texts.
const PARTS: usize = 7;

impl DocSteps<'_> {
    /// The key of everything a doc's steps read of the doc itself, and of the build: its
    /// text (every other field of a doc is read from it by the config's rules), its place
    /// (path, collection, the anchor made unique across docs, Jekyll's URL fields), its
    /// audience, section (its operation's tag), the site's markup of it, and [`Self::key`].
    /// What else they read is in its [`Reads`]. The doc is taken apart field by field, so a
    /// field added to it does not compile until it is hashed here or said to be derived.
    fn doc_key(&self, d: &model::Doc, tag: &str) -> Key {
        let model::Doc {
            rel,
            collection,
            anchor,
            url,
            id,
            slug,
            audience,
            fm: _,
            title: _,
            display_title: _,
            name: _,
            method: _,
            description: _,
            position: _,
            text: _,
            body_offset: _,
            title_line: _,
            reads_site: _,
            timed: _,
        } = d;
        let mut fields = store::Fields::default();
        fields.put(&self.key);
        for s in [rel, collection, anchor, url, id, slug, audience, tag] {
            fields.put(s.as_bytes());
        }
        fields.put(d.text_hash().as_bytes());
        let markup = self.markup.get(rel).map(serde_json::to_vec);
        fields.put(&markup.and_then(Result::ok).unwrap_or_default());
        fields.key()
    }

    /// The store key of the records whose reads were resolved in this build's [`world`]
    /// (kept by a one-off build whose store is saved): all the records its last build used.
    fn verified_key(&self) -> Option<Key> {
        self.keep
            .then(|| store::Fields::of([b"resolved".as_slice(), &self.world]).key())
    }

    /// The shared set of `includes` ([`DocSteps::include_sets`]).
    fn shared_includes<'i>(
        &self,
        includes: impl Iterator<Item = &'i String>,
    ) -> Arc<BTreeSet<String>> {
        let set: BTreeSet<String> = includes.cloned().collect();
        let mut sets = self.include_sets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(shared) = sets.get(&set) {
            return Arc::clone(shared);
        }
        let shared = Arc::new(set);
        sets.insert(Arc::clone(&shared));
        shared
    }

    /// Whether what a doc's steps read beyond its key reads the same in this build; its
    /// includes and links surely do when `alike` (read in a build of the same [`world`]).
    fn reads_same(&self, read: &Reads, alike: bool) -> bool {
        read.site.is_none_or(|k| k == self.site_key())
            && read.time.is_none_or(|t| t == self.time)
            && (alike
                || read
                    .includes
                    .iter()
                    .all(|(name, key)| self.include_key(name) == *key)
                    && read.links.iter().all(|(url, to)| self.resolve(url) == *to))
    }

    fn include_key(&self, name: &str) -> Key {
        let text = self.engine.include_text(name).unwrap_or("\0missing");
        store::Fields::of([text.as_bytes()]).key()
    }

    /// What `site.*` holds besides the config: data, root pages, static files and every
    /// doc (made once a build, when a doc reads it).
    fn site_key(&self) -> Key {
        *self.site.get_or_init(|| {
            let site = self.loaded;
            let pages = site.pages.iter().map(|(k, v)| (k, v));
            let texts = site.data.iter().chain(pages);
            let texts = texts.flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]);
            let mut fields = store::Fields::of(texts);
            let names = site.statics.iter().chain(&site.collection_order);
            fields.put_all(names.map(|s| s.as_bytes()));
            for s in &self.model.sections {
                fields.put_all([&s.label, &s.title].map(|f| f.as_bytes()));
                for d in &s.docs {
                    fields.put_all([&d.rel, &d.anchor, &d.audience].map(|f| f.as_bytes()));
                    fields.put(d.text_hash().as_bytes());
                }
            }
            fields.key()
        })
    }

    /// Where `url` leads from a page, a twin and an operation's description.
    fn resolve(&self, url: &str) -> String {
        use crate::html::Href;
        let href = |h: Href| match h {
            Href::Keep => "=".to_string(),
            Href::Drop => "-".to_string(),
            Href::To(to) => to,
        };
        let page = href(render::unlink(url, &self.hidden));
        let twin = href(self.twin_href(url));
        format!("{page}\0{twin}\0{:?}", self.link_target(url))
    }

    /// The description the site's layout shows rendered: the page's frame shows it so.
    fn description_html(&self, d: &model::Doc) -> Option<&str> {
        match self.markup.get(&d.rel) {
            Some(m) => m.description_html.as_deref(),
            None => self.descriptions.get(&d.rel).map(String::as_str),
        }
    }

    /// The doc's record under `key`, when what it read reads the same now; its includes and
    /// links surely do when `resolved` (the record was read in a build of this world).
    fn recorded(&self, store: &Store, key: &Key, d: &model::Doc, resolved: bool) -> Option<DocOut> {
        let (meta, parts) = store.get_parts(key, PARTS)?;
        let meta: Meta = store::read_head(&meta)?;
        if !self.reads_same(&meta.read, resolved) {
            return None;
        }
        let [prose, code, text, markdown, operation, terms] = parts.try_into().ok()?;
        // Left in the store, where the index reads them if it is written again: a rebuild
        // decoded every unchanged doc's terms and spooled them anew.
        let terms = match terms.is_empty() {
            true => compose::Terms::default(),
            false => compose::Terms::Spooled(terms),
        };
        let texts = [prose, code, text, markdown, operation];
        Some(self.out(meta, texts, terms, (d, *key), true))
    }

    /// A doc's output from its record: [`Meta`], its texts (prose, code, search-text
    /// item, twin, operation) and terms, as made or as read from the store (`recorded`).
    fn out(
        &self,
        meta: Meta,
        [prose, code, text, markdown, operation]: [Chunk; PARTS - 2],
        terms: compose::Terms,
        (d, key): (&model::Doc, Key),
        recorded: bool,
    ) -> DocOut {
        let [content_key, index_key, text_key, twin_key] = meta.keys;
        let includes = self.shared_includes(meta.read.includes.iter().map(|(i, _)| i));
        let mut files = Vec::new();
        let link = |(d, f, p): (String, String, Pos)| compose::Link::new(d, &mut files, &f, p);
        let record = recorded.then_some(key);
        DocOut {
            prose,
            code,
            terms,
            text,
            markdown,
            includes,
            key,
            // Held by `serve` for its next rebuild; a one-off build's would only take memory.
            read: if self.mode.holds() {
                meta.read
            } else {
                Reads::default()
            },
            links: meta.links.into_iter().map(link).collect(),
            heading_ids: meta.heading_ids,
            marks: meta.marks.map(Into::into),
            diagnostics: meta.diagnostics,
            keys: meta.samples.into_iter().chain(record).collect(),
            fm: match &self.page_fm {
                Some(none) => d.fm.page_part(none),
                None => d.fm.map(),
            },
            description_html: self.description_html(d).map(str::to_string),
            content_key,
            index_key,
            text_key,
            twin_key,
            endpoint: (meta.operation)
                .map(|o| o.with_json(std::path::Path::new(&d.rel), operation)),
        }
    }
}

/// Highlights a composed doc's samples from the store into its final HTML and findings
/// (links to docs of other audiences lose their href, so those anchors never reach this
/// audience's pages); when `f` keeps them, also its record to store under `key`.
fn doc_out(
    p: DocParts,
    keys: Vec<Key>,
    (d, tag, key): (&model::Doc, &str, Key),
    store: &Store,
    f: &DocSteps,
) -> (DocOut, Option<(Key, String)>) {
    let spool = f.spool;
    let mut diagnostics = p.diagnostics.clone();
    let highlighted: Vec<Cow<Highlighted>> = keys
        .iter()
        .map(|k| {
            store.get_cow(k).unwrap_or(Cow::Owned(Highlighted {
                html: String::new(),
                known_language: false,
            }))
        })
        .collect();
    let hl = |i: usize| &highlighted[i];
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
                    s.place(line, col),
                    format!("invalid JSON in sample: {msg} (highlighted anyway)"),
                ));
            }
        }
    }
    // Every link destination resolved is noted with where it leads, for the record's [`Reads`].
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let note = |url: &str| {
        if !seen.borrow().contains_key(url) {
            seen.borrow_mut().insert(url.to_string(), f.resolve(url));
        }
    };
    let unlink = |url: &str| {
        note(url);
        render::unlink(url, &f.hidden)
    };
    let (prose, code) = compose::finish_linked(&p, &|i| Cow::Borrowed(&**hl(i)), &unlink);
    let marks: [Vec<crate::document::Mark>; 2] = [prose.marks, code.marks];
    let (prose, code) = (prose.html, code.html);
    // The twin is written from the doc's model, its links to other docs leading to their
    // twins and those to other audiences dropped, as on the page.
    let href = |url: &str| {
        note(url);
        f.twin_href(url)
    };
    let body = machine_docs::twin_body(&p, &href);
    let markdown = machine_docs::twin(&d.name, &d.method, &d.display_title, &d.description, &body);
    let text = search_index::doc_text(&p);
    let target = |dest: &str| {
        note(dest);
        f.link_target(dest)
    };
    let operation = crate::openapi::endpoint(d, &p, &target).map(|e| e.written(tag));
    let hash = |fields: &[&str], terms: &[String]| {
        if !f.keyed {
            return Key::default();
        }
        let terms = terms.iter().map(String::as_str);
        let all = fields.iter().copied().chain(terms);
        store::Fields::of(all.map(str::as_bytes)).key()
    };
    let fm = match f.keyed {
        true => serde_json::to_string(&*d.fm.map()).unwrap_or_default(),
        false => String::new(),
    };
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
    let mut fields = [&shown[..], &page[..]].concat();
    // Only a site whose layout renders a description hashes it: the others' keys stand.
    fields.extend(f.description_html(d));
    let content_key = hash(&fields, &[]);
    // With its page and section (the layout key), all the search index holds.
    let index_key = hash(&shown, &p.terms);
    let text_key = hash(&[text.as_str()], &[]);
    let twin_key = hash(&[markdown.as_str()], &[]);
    let include = |i: &String| (i.clone(), f.include_key(i));
    let read = Reads {
        includes: p.includes.iter().map(include).collect(),
        site: p.reads_site.then(|| f.site_key()),
        time: p.reads_time.then_some(f.time),
        links: seen.into_inner().into_iter().collect(),
    };
    let text_item = search_index::text_item(&text);
    let links = p.links.into_iter();
    // Made once, for the record and the spool, and only for either.
    let terms = match f.keep || spool.is_file() {
        true => compose::Terms::json(&p.terms),
        false => String::new(),
    };
    let mut meta = Meta {
        read,
        links: links
            .map(|l| (l.dest, l.file.display().to_string(), l.pos))
            .collect(),
        heading_ids: p.headings.into_iter().map(|h| h.id).collect(),
        marks,
        diagnostics,
        samples: keys,
        operation,
        keys: [content_key, index_key, text_key, twin_key],
    };
    let new = f.keep.then(|| {
        let json = meta.operation.as_ref().map_or("", |o| o.json.as_str());
        let head = store::head(&meta);
        let record = store::record(&[&head, &prose, &code, &text_item, &markdown, json, &terms]);
        (key, record)
    });
    // The doc's texts go to the spool in one write.
    let [prose, code, text, markdown, json] = match meta.operation.as_mut() {
        Some(o) => {
            let json = std::mem::take(&mut o.json);
            spool.put_all([prose, code, text_item, markdown, json])
        }
        None => {
            let [prose, code, text, markdown] = spool.put_all([prose, code, text_item, markdown]);
            [prose, code, text, markdown, Chunk::default()]
        }
    };
    let terms = compose::Terms::new(p.terms, terms, spool);
    let out = f.out(
        meta,
        [prose, code, text, markdown, json],
        terms,
        (d, key),
        f.keep,
    );
    (out, new)
}

/// The key of all a doc's key and reads take from the build but `site.*`: the build's `key`,
/// each doc's section and markup, each include's text, docs' anchors and paths, hidden anchors.
fn world(
    key: Key,
    (loaded, model, markup): (&LoadedSite, &model::Model, &Markup),
    tags: &[&str],
) -> Key {
    let mut fields = store::Fields::of([key.as_slice()]);
    fields.put_all(tags.iter().map(|t| t.as_bytes()));
    fields.put(&serde_json::to_vec(markup).unwrap_or_default());
    let includes = loaded.includes.iter();
    fields.put_all(includes.flat_map(|(name, text)| [name.as_bytes(), text.as_bytes()]));
    let docs = model.sections.iter().flat_map(|s| &s.docs);
    fields.put_all(docs.flat_map(|d| [d.anchor.as_bytes(), d.rel.as_bytes()]));
    fields.put_all(model.hidden.iter().map(|(_, _, anchor)| anchor.as_bytes()));
    fields.key()
}

/// Anchors of the docs left out of this audience (and not also used by a doc built).
/// Most sites hide no doc: for them no set of every doc's anchor is made, on each `serve` save.
fn hidden_anchors(model: &model::Model) -> HashSet<String> {
    let mut hidden: HashSet<String> = model.hidden.iter().map(|h| h.2.clone()).collect();
    if !hidden.is_empty() {
        model.sections.iter().flat_map(|s| &s.docs).for_each(|d| {
            hidden.remove(&d.anchor);
        });
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docs_store_keys_are_handed_over_not_held_in_it() {
        let key = |b: u8| -> Key { [b; 32] };
        let mut used = KeySet::from_iter([key(9)]);
        let mut out = Arc::new(DocOut {
            keys: vec![key(1), key(2)],
            ..DocOut::default()
        });
        hand_over_keys(&mut out, &mut used);
        assert!(out.keys.is_empty(), "the doc still holds {:?}", out.keys);
        assert_eq!(used, KeySet::from_iter([key(1), key(2), key(9)]));

        let mut shared = Arc::new(DocOut {
            keys: vec![key(3)],
            ..DocOut::default()
        });
        let other = Arc::clone(&shared);
        hand_over_keys(&mut shared, &mut used);
        assert_eq!(other.keys, [key(3)], "a shared doc keeps its keys");
    }

    #[test]
    fn a_trailing_comma_is_named_at_the_comma() {
        let code = "{\n  \"a\": [1, 2,],\n  \"b\": 1,\n}\n";
        let (line, col, msg) = json_problem(code).unwrap();
        assert_eq!((line, col), (2, 13), "{msg}");
        assert!(msg.starts_with("trailing comma"), "{msg}");
        let (line, col, _) = json_problem("{\n  \"b\": 1,\n}").unwrap();
        assert_eq!((line, col), (2, 9));
        // Other mistakes keep serde_json's own message and place.
        let (line, col, msg) = json_problem("{\"a\" 1}").unwrap();
        assert_eq!((line, col, msg.as_str()), (1, 6, "expected `:`"));
    }
}
