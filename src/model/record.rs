//! A doc's model as a store record, so an unchanged doc (its stat trusted as the stamp
//! trusts inputs) is neither read, hashed nor parsed again.

use super::{page_part, Context, Doc, DocText, Fm, FrontMatter, Parsed, TextOf, Unread};
use crate::diagnostics::Diagnostic;
use crate::load::RawDoc;
use crate::order::SortKey;
use crate::store::{self, recent, stat_into, Fields, Key};
use std::sync::Arc;

/// A doc's model as the store records it: a [`Doc`] but its front matter (read again when
/// more than its pages' part is read: [`Unread`]) and its path.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    texts: [String; 10],
    position: SortKey,
    hashes: [[u8; 32]; 2],
    lines: [usize; 2],
    flags: [bool; 3],
    page: String,
    diags: Vec<Diagnostic>,
    /// The build's time, for a doc whose URL holds it ([`Doc::timed`]).
    time: Option<String>,
}

/// The build's time as a record keeps it: every field, so two builds' times are equal
/// only when they are.
fn time_text(time: liquid_core::model::DateTime) -> String {
    format!("{time:?}")
}

/// The store key of the doc `raw` at `path`: `config`, its place and its stat (`known`, the
/// stamp's of it, else taken now); `None` when the stat is not to be trusted (changed within
/// [`store::RACY`], or unknown).
pub(super) fn stat_key(
    config: &Key,
    (path, known): (&std::path::Path, Option<&std::fs::Metadata>),
    raw: &RawDoc,
) -> Option<(Key, u64)> {
    let mut fields = Fields::of([config.as_slice()]);
    fields.put_all([&raw.rel, &raw.collection].map(|s| s.as_bytes()));
    let taken;
    let meta = match known {
        Some(meta) => meta,
        None => {
            taken = std::fs::metadata(path).ok()?;
            &taken
        }
    };
    (!recent(stat_into(&mut fields, meta))).then(|| (fields.key(), meta.len()))
}

/// The record of a doc parsed whole, without a finding of its own but warnings, by a build
/// of `time`.
pub(super) fn to_record(p: &Parsed, time: liquid_core::model::DateTime) -> Option<String> {
    let d = p
        .doc
        .as_ref()
        .filter(|_| p.error.is_none() && p.lost.is_none())?;
    let TextOf::File(_) = d.text.of else {
        return None;
    };
    let texts = [
        &d.anchor,
        &d.url,
        &d.id,
        &d.slug,
        &d.title,
        &d.display_title,
        &d.name,
        &d.method,
        &d.description,
        &d.audience,
    ];
    let record = Record {
        texts: texts.map(String::clone),
        position: d.position.clone(),
        hashes: [*d.text.hash.as_bytes(), *d.text.front_hash.as_bytes()],
        lines: [d.body_offset, d.title_line],
        flags: [d.reads_site, p.visible, p.unpublished],
        page: serde_json::to_string(&page_part(&d.fm.map())).ok()?,
        diags: p.diags.clone(),
        time: d.timed.then(|| time_text(time)),
    };
    Some(store::record(&[&store::head(&record)]))
}

/// The doc `raw` (at `path`) as its record under `key` in `store` says, for a build of
/// `time`; `None` when there is no such record, or its doc's URL holds another build's time.
pub(super) fn reused(
    store: &store::Store,
    key: Option<Key>,
    raw: &RawDoc,
    path: impl FnOnce() -> Arc<std::path::Path>,
    (context, time): (&Arc<Context>, liquid_core::model::DateTime),
) -> Option<Parsed> {
    let (head, _) = store.get_parts(&key?, 1)?;
    let r: Record = store::read_head(&head)?;
    if r.time.as_ref().is_some_and(|t| *t != time_text(time)) {
        return None;
    }
    let path = path();
    let [anchor, url, id, slug, title, display_title, name, method, description, audience] =
        r.texts;
    let [hash, front_hash] = r.hashes.map(blake3::Hash::from);
    let [reads_site, visible, unpublished] = r.flags;
    let unread = Unread {
        path: Arc::clone(&path),
        rel: raw.rel.clone(),
        collection: raw.collection.clone(),
        front_hash,
        page: Arc::new(serde_json::from_str(&r.page).ok()?),
        context: Arc::clone(context),
    };
    let doc = Doc {
        rel: raw.rel.clone(),
        collection: raw.collection.clone(),
        anchor,
        url,
        id,
        slug,
        fm: FrontMatter(std::sync::RwLock::new(Fm::Unread(Arc::new(unread)))),
        title,
        display_title,
        name,
        method,
        description,
        position: r.position,
        audience,
        text: DocText {
            of: TextOf::File(path),
            hash,
            front_hash,
        },
        body_offset: r.lines[0],
        title_line: r.lines[1],
        reads_site,
        timed: r.time.is_some(),
    };
    Some(Parsed {
        doc: Some(doc),
        visible,
        unpublished,
        stored: true,
        diags: r.diags,
        error: None,
        static_file: false,
        lost: None,
    })
}
