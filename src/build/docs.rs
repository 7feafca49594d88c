//! The per-doc steps: compose each doc not reused (Liquid, markdown), highlight every
//! distinct new sample once, and finish each doc into the HTML and findings the pages and
//! the outcome read ([`DocOut`]).

use super::{fail, merge_errors, Mode};
use crate::compose::{self, DocParts, Piece};
use crate::diagnostics::Diagnostic;
use crate::error::{Pos, SourceError};
use crate::highlight::{Highlighted, Highlighter};
use crate::liquid::Engine;
use crate::model;
use crate::site_markup::Markup;
use crate::spool::{Chunk, Spool};
use crate::store::{self, Key, Store};
use crate::{machine_docs, render, search_index};
use anyhow::Result;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many docs a one-off build composes, highlights and finishes at a time: a doc's
/// composed parts and highlighted samples live only while its batch is worked on, so memory
/// holds a batch of them, not the site's. Large enough to keep both cores busy.
pub(super) const BATCH: usize = 256;

/// Time spent in each per-doc step, summed over the batches.
#[derive(Default)]
pub(super) struct StepTimes {
    pub(super) compose: Duration,
    pub(super) highlight: Duration,
    pub(super) finish: Duration,
}

impl DocSteps<'_> {
    /// Composes, highlights and finishes every doc not reused, in the model's order, a
    /// batch at a time as the mode says (`serve` takes them all at once: its store keeps
    /// every sample for its next rebuild; a one-off build frees each batch's samples after
    /// it, spilled to disk when the store is saved at the end). A located error fails the
    /// build after every doc is composed (so all are reported at once), or in `Mode::Check`
    /// becomes a finding and the doc is checked as far as it can be.
    pub(super) fn make(
        &self,
        docs: &[&model::Doc],
        reused: Vec<Option<Arc<DocOut>>>,
        store: &mut Store,
        diags: &mut Vec<Diagnostic>,
        times: &mut StepTimes,
    ) -> Result<Vec<Arc<DocOut>>> {
        let mut errors = self.model.errors.clone();
        let keep_going = self.mode.keep_going();
        let size = self.mode.batch().unwrap_or(docs.len()).max(1);
        let mut outs = Vec::with_capacity(docs.len());
        let mut reused = reused.into_iter();
        for (i, batch_docs) in docs.chunks(size).enumerate() {
            let batch_reused: Vec<Option<Arc<DocOut>>> =
                reused.by_ref().take(batch_docs.len()).collect();
            let t = Instant::now();
            let parts = compose(
                batch_docs,
                &batch_reused,
                (self.engine, self.markup),
                &mut errors,
            );
            times.compose += t.elapsed();
            if !errors.is_empty() && !keep_going {
                continue;
            }
            let t = Instant::now();
            let keys = highlight(&parts, self.highlighter, store);
            times.highlight += t.elapsed();
            let t = Instant::now();
            let finished = finish(
                parts,
                keys,
                batch_reused,
                (batch_docs, i * size),
                store,
                self,
            );
            for (out, new) in finished {
                if let Some((key, text)) = new {
                    store.insert_text(key, text);
                }
                outs.push(out);
            }
            if self.mode.batch().is_some() {
                store.end_batch();
            }
            times.finish += t.elapsed();
        }
        if !errors.is_empty() {
            if !keep_going {
                return Err(fail(errors));
            }
            diags.extend(
                merge_errors(errors)
                    .iter()
                    .map(Diagnostic::from_source_error),
            );
        }
        Ok(outs)
    }
}

/// Composes every doc not reused, in parallel; a doc that fails is composed empty (for
/// `check` to go on), its error added to `errors`.
fn compose(
    docs: &[&model::Doc],
    reused: &[Option<Arc<DocOut>>],
    (engine, markup): (&Engine, &Markup),
    errors: &mut Vec<SourceError>,
) -> Vec<Option<DocParts>> {
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
        .map(|c| match c? {
            Ok(mut p) => {
                errors.append(&mut p.errors);
                Some(p)
            }
            Err(e) => {
                errors.push(e);
                Some(DocParts::default())
            }
        })
        .collect()
}

/// Highlights each distinct sample not in the store once, largest first so both cores stay
/// busy to the end. Returns each doc's sample keys.
fn highlight(
    parts: &[Option<DocParts>],
    highlighter: &Highlighter,
    store: &mut Store,
) -> Vec<Vec<Key>> {
    let sample_keys: Vec<Vec<Key>> = parts
        .par_iter()
        .map(|p| {
            p.iter()
                .flat_map(|p| &p.samples)
                .map(|s| store::key(&s.block.code, s.block.lang.as_deref()))
                .collect()
        })
        .collect();
    let mut unique: HashMap<Key, (&str, Option<&str>)> = HashMap::new();
    for (p, keys) in parts.iter().zip(&sample_keys) {
        for (s, k) in p.iter().flat_map(|p| &p.samples).zip(keys) {
            if !store.contains(k) {
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
    mode: Mode,
    /// Whether each doc's finished parts are kept in the store (a one-off build whose store
    /// is saved: `serve` holds its docs' output itself, and would hold every twin twice).
    keep: bool,
    /// Anchors of docs of other audiences: links to them lose their href.
    hidden: HashSet<String>,
    /// Each doc's anchor → its path, for its twin's URL: made when a doc first links to
    /// another by a bare `#anchor` (a `serve` rebuild finishes a doc or two of a site whose
    /// every doc would be in here), and each URL when a link needs it.
    twins: std::sync::OnceLock<HashMap<&'a str, &'a str>>,
    model: &'a model::Model,
    /// Where twins' URLs start.
    twin_root: &'a str,
    /// Each doc's section title, in the model's order: its operation's OpenAPI tag.
    tags: Vec<&'a str>,
    spool: &'a Spool,
}

impl<'a> DocSteps<'a> {
    /// Twins link each other from `twin_root` (absolute with `url`).
    pub(super) fn new(
        model: &'a model::Model,
        (engine, highlighter, markup): (&'a Engine<'a>, &'a Highlighter, &'a Markup),
        (mode, keep): (Mode, bool),
        (twin_root, spool): (&'a str, &'a Spool),
    ) -> Self {
        DocSteps {
            engine,
            highlighter,
            markup,
            mode,
            keep,
            hidden: hidden_anchors(model),
            twins: std::sync::OnceLock::new(),
            model,
            twin_root,
            tags: model
                .sections
                .iter()
                .flat_map(|s| s.docs.iter().map(|_| s.title.as_str()))
                .collect(),
            spool,
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
            self.model
                .sections
                .iter()
                .flat_map(|s| &s.docs)
                .map(|d| (d.anchor.as_str(), d.rel.as_str()))
                .collect()
        });
        let rel = twins.get(anchor)?;
        Some(format!(
            "{}{}",
            self.twin_root,
            machine_docs::twin_path(rel)
        ))
    }
}

/// Each composed doc's final HTML and findings, in parallel; a reused doc stands as it
/// was. `docs` start at doc `first` of the model. Links to docs of other audiences lose
/// their href, so those anchors never reach this audience's pages. When `f` keeps them, a
/// doc's twin, search text and operation are read from the store when it holds them for
/// the same parts, and returned with their key when it does not, for the caller to store.
fn finish(
    parts: Vec<Option<DocParts>>,
    sample_keys: Vec<Vec<Key>>,
    reused: Vec<Option<Arc<DocOut>>>,
    (docs, first): (&[&model::Doc], usize),
    store: &Store,
    f: &DocSteps,
) -> Vec<(Arc<DocOut>, Option<NewEntry>)> {
    let tags = &f.tags[first..first + docs.len()];
    parts
        .into_par_iter()
        .zip(sample_keys)
        .zip(reused)
        .zip(docs.par_iter().zip(tags))
        .map(|(((p, keys), r), (d, tag))| match (r, p) {
            (Some(r), _) => (r, None),
            (None, Some(p)) => {
                let (out, new) = doc_out(p, keys, (d, tag), store, f);
                (Arc::new(out), new)
            }
            (None, None) => unreachable!("a doc is either reused or composed"),
        })
        .collect()
}

/// JSON must parse; a problem is reported at its line in the file.
fn json_problem(code: &str) -> Option<(usize, usize, String)> {
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
    let start: usize = code
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
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

/// One doc's finished output and everything the outcome needs from it; what `serve`
/// keeps between rebuilds so an unchanged doc is not composed or highlighted again.
#[derive(Debug)]
pub(super) struct DocOut {
    /// The doc's two columns, held or (a one-off build) spooled until its page is written.
    pub(super) prose: Chunk,
    pub(super) code: Chunk,
    /// The places in `prose` and `code` their page fills in.
    pub(super) marks: [Arc<[crate::document::Mark]>; 2],
    pub(super) terms: Arc<[String]>,
    /// The doc's item of `search-text.js`, held or spooled like the twin and operation.
    pub(super) text: Chunk,
    pub(super) markdown: Chunk,
    /// Shared with the build's outcome (`includes_by_doc`), not copied into it.
    pub(super) includes: Arc<BTreeSet<String>>,
    /// Reads `site.*` (other docs, `_data`): redone when any doc or data file changes.
    pub(super) reads_site: bool,
    pub(super) links: Vec<compose::Link>,
    pub(super) heading_ids: Vec<String>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The store keys of the doc's samples (and of its finished parts, when kept).
    pub(super) keys: Vec<Key>,
    /// The front matter, shared with every page built from it.
    pub(super) fm: Arc<serde_json::Map<String, Value>>,
    /// blake3 of everything the doc shows on a page, when pages are tracked (else zeros).
    pub(super) content_key: [u8; 32],
    /// blake3 of the doc's search-index fields, when pages are tracked (else zeros).
    pub(super) index_key: [u8; 32],
    /// blake3 of the doc's full text for search, when pages are tracked (else zeros): a
    /// body edit changes this, and `search-text.js`, but rarely the index.
    pub(super) text_key: [u8; 32],
    /// The doc's OpenAPI operation, when it is an endpoint doc.
    pub(super) endpoint: Option<crate::openapi::Operation>,
}

/// A store entry a doc's finish made, for the caller to store.
type NewEntry = (Key, String);

/// What a doc's finish makes besides its HTML, and the slowest part of it (the twin is an
/// HTML-to-markdown conversion): kept in the store under [`finished_key`].
#[derive(Debug, PartialEq)]
struct Finished {
    /// The doc's twin (`.md`).
    markdown: String,
    /// Its full text for search.
    text: String,
    operation: Option<crate::openapi::document::Written>,
}

impl Finished {
    /// Each part as its length in decimal, a newline and the part itself: the text goes in
    /// and out as it is, where JSON would escape and unescape every quote and newline of it.
    fn encode(&self) -> String {
        let (operation, json) = match &self.operation {
            Some(o) => (
                serde_json::to_string(o).unwrap_or_default(),
                o.json.as_str(),
            ),
            None => (String::new(), ""),
        };
        let mut out = String::new();
        for part in [&self.markdown, &self.text, &operation, json] {
            out.push_str(&format!("{}\n", part.len()));
            out.push_str(part);
        }
        out
    }

    fn decode(mut s: &str) -> Option<Finished> {
        let mut next = || {
            let (len, rest) = s.split_once('\n')?;
            let len: usize = len.parse().ok()?;
            let part = rest.get(..len)?;
            s = &rest[len..];
            Some(part)
        };
        let (markdown, text, operation, json) = (next()?, next()?, next()?, next()?);
        let operation = match operation {
            "" => None,
            o => {
                let mut o: crate::openapi::document::Written = serde_json::from_str(o).ok()?;
                o.json = json.to_string();
                Some(o)
            }
        };
        Some(Finished {
            markdown: markdown.to_string(),
            text: text.to_string(),
            operation,
        })
    }
}

/// Everything a doc's [`Finished`] parts are made from: the doc, its composed parts, its
/// section (the operation's tag), where its twin's links lead, and the source of the code that makes them
/// (build.rs names it). Both types are taken apart field by field, so a field added to
/// either does not compile until it is hashed here or said to be irrelevant.
fn finished_key(d: &model::Doc, p: &DocParts, (tag, root): (&str, &str), twin_links: &str) -> Key {
    let model::Doc {
        rel,
        collection,
        anchor,
        // They reach the output through the anchor, and `page.*` through the prose.
        url: _,
        id: _,
        slug: _,
        fm,
        title,
        display_title,
        name,
        method,
        description,
        position: _,
        audience,
        // The body is in the parts, the front matter in `front_hash` (and the title's line
        // is read off it).
        text: _,
        body_offset: _,
        title_line: _,
    } = d;
    let DocParts {
        prose,
        code,
        samples,
        headings,
        terms,
        includes: _,
        diagnostics: _,
        links: _,
        errors: _,
        reads_site: _,
        source,
    } = p;
    let mut fields = store::Fields::default();
    let mut put = |bytes: &[u8]| fields.put(bytes);
    put(store::SALT.as_bytes());
    for s in [rel, collection, anchor, title, display_title, name, method] {
        put(s.as_bytes());
    }
    put(d.front_hash().as_bytes());
    // The description's links are made from the root (`DocSteps::link_target`).
    for s in [description, audience, tag, twin_links, source, root] {
        put(s.as_bytes());
    }
    put(&serde_json::to_vec(&**fm).unwrap_or_default());
    for (column, pieces) in [(b"prose", prose), (b"code\0", code)] {
        put(column);
        for piece in pieces {
            match piece {
                Piece::Html(s) => put(&s.digest()),
                // Never valid UTF-8, so never equal to an `Html` piece.
                Piece::Inline(i) => put(&[b"\xff", format!("{i}").as_bytes()].concat()),
                Piece::Group(g) => put(&[b"\xff", format!("{g:?}").as_bytes()].concat()),
            }
        }
    }
    for s in samples {
        let b = &s.block;
        put(b.code.as_bytes());
        put(format!(
            "{:?} {:?} {:?} {:?} {} {:?}",
            b.lang, b.title, b.attrs, b.pos, s.file, s.pos
        )
        .as_bytes());
    }
    put(format!("{headings:?}").as_bytes());
    for t in terms {
        put(t.as_bytes());
    }
    fields.key()
}

/// Highlights a composed doc's samples from the store into its final HTML and findings;
/// when `f` keeps them, also the [`Finished`] parts to store, if they were not in the store.
fn doc_out(
    p: DocParts,
    mut keys: Vec<Key>,
    (d, tag): (&model::Doc, &str),
    store: &Store,
    f: &DocSteps,
) -> (DocOut, Option<NewEntry>) {
    let (hidden, track, spool, keep) = (&f.hidden, f.mode.holds(), f.spool, f.keep);
    let mut diagnostics = p.diagnostics.clone();
    let highlighted: Vec<Highlighted> = keys
        .iter()
        .map(|k| {
            store.get(k).unwrap_or(Highlighted {
                html: String::new(),
                known_language: false,
            })
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
                    Pos::new(s.pos.line + line, col),
                    format!("invalid JSON in sample: {msg} (highlighted anyway)"),
                ));
            }
        }
    }
    let unlink = |url: &str| render::unlink(url, hidden);
    let (prose, code) = compose::finish_linked(&p, &|i| hl(i).clone(), &unlink);
    let marks = [prose.marks.into(), code.marks.into()];
    let (prose, code) = (prose.html, code.html);
    // The twin is written from the doc's model, its links to other docs leading to their
    // twins and those to other audiences dropped, as on the page.
    let href = |url: &str| f.twin_href(url);
    let key = keep.then(|| {
        finished_key(
            d,
            &p,
            (tag, f.twin_root),
            &machine_docs::link_targets(&p, &href),
        )
    });
    let stored = key
        .and_then(|k| store.get_text(&k))
        .and_then(|s| Finished::decode(&s));
    let (finished, new) = match stored {
        Some(f) => (f, None),
        None => {
            let body = machine_docs::twin_body(&p, &href);
            let f = Finished {
                markdown: machine_docs::twin(
                    &d.name,
                    &d.method,
                    &d.display_title,
                    &d.description,
                    &body,
                ),
                text: search_index::doc_text(&p),
                operation: crate::openapi::endpoint(d, &p, &|dest| f.link_target(dest))
                    .map(|e| e.written(tag)),
            };
            let new = key.map(|k| (k, f.encode()));
            (f, new)
        }
    };
    keys.extend(key);
    let Finished {
        markdown,
        text,
        operation,
    } = finished;
    let endpoint = operation.map(|o| o.into_operation(std::path::Path::new(&d.rel), spool));
    let key = |fields: &[&str], terms: &[String]| {
        let mut all = store::Fields::default();
        for f in fields
            .iter()
            .copied()
            .chain(terms.iter().map(String::as_str))
        {
            all.put(f.as_bytes());
        }
        all.key()
    };
    let (content_key, index_key, text_key) = if track {
        let fm = serde_json::to_string(&*d.fm).unwrap_or_default();
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
            key(&shown, &p.terms),
            key(&[text.as_str()], &[]),
        )
    } else {
        ([0; 32], [0; 32], [0; 32])
    };
    let out = DocOut {
        fm: Arc::clone(&d.fm),
        content_key,
        index_key,
        text_key,
        prose: spool.put(prose),
        code: spool.put(code),
        marks,
        terms: p.terms.into(),
        text: spool.put(search_index::text_item(&text)),
        markdown: spool.put(markdown),
        includes: Arc::new(p.includes),
        reads_site: p.reads_site,
        links: p.links,
        heading_ids: p.headings.into_iter().map(|h| h.id).collect(),
        diagnostics,
        keys,
        endpoint,
    };
    (out, new)
}

/// Anchors of the docs left out of this audience (and not also used by a doc built).
fn hidden_anchors(model: &model::Model) -> HashSet<String> {
    let built: BTreeSet<&str> = model
        .sections
        .iter()
        .flat_map(|s| s.docs.iter().map(|d| d.anchor.as_str()))
        .collect();
    model
        .hidden
        .iter()
        .map(|(_, _, anchor)| anchor)
        .filter(|a| !built.contains(a.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn finished_parts_come_back_from_the_cache_as_they_were_made() {
        use crate::openapi::{Endpoint, Stats, GAP};
        let endpoint = || {
            Endpoint {
            path: "/notes/{id}".into(),
            method: "get".into(),
            operation: serde_json::json!({"summary": "Get\n12\nnote", "x-endpaper-source": "_notes/get.md:3"})
                .as_object()
                .unwrap()
                .clone(),
            note: Some(Diagnostic::note(GAP, "_notes/get.md", Pos::new(3, 1), "no type for `id`")),
            stats: Stats {
                operations: 1,
                parameters: 2,
                typed: 1,
                with_example: 0,
            },
        }
        };
        // Lengths and newlines inside the parts do not confuse the framing.
        let kept = Finished {
            markdown: "12\n# GET /notes/{id}\n\n~~~\n3\n~~~\n".into(),
            text: "Get 12 notes\n\n".into(),
            operation: Some(endpoint().written("Notes")),
        };
        let back = Finished::decode(&kept.encode()).unwrap();
        assert_eq!(back, kept);
        // The operation made from the kept one is the operation made directly, its note
        // the endpoint's own.
        let spool = Spool::memory();
        let file = std::path::Path::new("_notes/get.md");
        let direct = endpoint().written("Notes").into_operation(file, &spool);
        let stored = back.operation.unwrap().into_operation(file, &spool);
        assert_eq!(stored, direct);
        assert!(stored.note.is_some());
        assert_eq!(stored.note, endpoint().note);
        let prose = Finished {
            markdown: String::new(),
            text: "é".into(),
            operation: None,
        };
        assert_eq!(Finished::decode(&prose.encode()).unwrap(), prose);
        // Anything cut short or not of this shape is no entry (made again).
        let encoded = kept.encode();
        assert!(Finished::decode(&encoded[..encoded.len() - 1]).is_none());
        assert!(Finished::decode("x\n").is_none());
    }
}
