//! Jekyll's `Publisher#publish?`: which docs a build leaves out, each with a note saying why.

use super::{doc_date, Doc};
use crate::config::zone::{epoch_time, fixed_time, SOURCE_DATE_EPOCH};
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::load::LoadedSite;
use liquid_core::model::DateTime;
use serde_json::{Map, Value};

/// The code of the note for a post left out for its date: a build that gives it depends on
/// the clock, so it is never replayed (`build::stamp`).
pub const FUTURE_POST: &str = "future-post";

/// The note for a doc Jekyll leaves out, or None for one it builds: `published: false` (or
/// null) unless `_config.yml` sets `unpublished: true`; a post dated after the site's time
/// unless it sets `future: true` (`hidden_in_the_future?`, posts only). `now` is the site's
/// time.
pub(super) fn left_out(
    unpublished: bool,
    doc: &Doc,
    config: &Map<String, Value>,
    now: DateTime,
) -> Option<Diagnostic> {
    let note = |code, message| Some(Diagnostic::note(code, &doc.rel, Pos::new(1, 1), message));
    if unpublished && config.get("unpublished") != Some(&Value::Bool(true)) {
        return note(
            "unpublished",
            "`published: false`: left out of the build, as Jekyll leaves it out (`unpublished: true` in _config.yml builds it)",
        );
    }
    if doc.collection == "posts" && is_future(doc, config, now) {
        return note(
            FUTURE_POST,
            "dated after the build's time: left out, as Jekyll skips a post in the future (`future: true` in _config.yml builds it)",
        );
    }
    None
}

/// A post dated after the site's time (`_config.yml`'s `time`, else now), compared in whole
/// seconds as Jekyll compares them, unless `future: true`.
fn is_future(doc: &Doc, config: &Map<String, Value>, now: DateTime) -> bool {
    if config.get("future") == Some(&Value::Bool(true)) {
        return false;
    }
    let Some(date) = doc_date(&doc.rel, &doc.fm.map()) else {
        return false;
    };
    date.unix_timestamp() > now.unix_timestamp()
}

/// The code of the note for a build whose pages, layouts or includes show the build's time
/// read off the clock: such a build is never replayed (`build::stamp`).
pub const CLOCK: &str = "clock";

/// Whether Liquid `text` may show the build's time: `site.time`, a doc's `date` (an undated
/// doc's is the build's time) or the `now` the `date` filter reads.
pub fn reads_clock(text: &str) -> bool {
    [
        "site.time",
        ".date",
        "'now'",
        "\"now\"",
        "'today'",
        "\"today\"",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// The note for a build whose time comes from the clock while its pages, includes or (when
/// `layouts` are shown) layouts may show it (their output differs from one build to the next, as Jekyll's
/// does), and the warning for a `SOURCE_DATE_EPOCH` that is no time.
pub fn clock_notes(site: &LoadedSite, layouts: bool) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    let at = Pos::new(1, 1);
    if let Ok(v) = std::env::var(SOURCE_DATE_EPOCH) {
        if epoch_time().is_none() {
            let message = format!("{SOURCE_DATE_EPOCH} `{v}` is no whole number of seconds since 1970: the build's time is the clock's");
            notes.push(Diagnostic::warning(
                "source-date-epoch",
                "_config.yml",
                at,
                message,
            ));
        }
    }
    if fixed_time(&site.config.raw).is_some() {
        return notes;
    }
    let texts = site.pages.iter().map(|(rel, t)| (rel, t));
    let shown = site.layouts.values().filter(|_| layouts);
    let mut texts = texts.chain(shown.map(|(rel, t)| (rel, t)));
    let mut includes = site.includes.iter();
    let shown = texts
        .find(|(_, t)| reads_clock(t))
        .map(|(rel, _)| rel.clone())
        .or_else(|| {
            includes
                .find(|(_, t)| reads_clock(t))
                .map(|(n, _)| format!("_includes/{n}"))
        });
    if let Some(rel) = shown {
        let shows = "site.time, an undated doc's date, `now`";
        notes.push(clock_note("_config.yml", &rel, shows));
    }
    notes
}

/// The note, at `file`, that `rel` may show the build's time (`shows`: how) while the clock
/// gives it: a doc's (`compose`) or a page's, include's or layout's ([`clock_notes`]).
pub fn clock_note(file: &str, rel: &str, shows: &str) -> Diagnostic {
    let message = format!("{rel} may show the build's time ({shows}), which the clock gives: every build renders it anew, as Jekyll does (set {SOURCE_DATE_EPOCH} for output that does not change)");
    Diagnostic::note(CLOCK, file, Pos::new(1, 1), message)
}
