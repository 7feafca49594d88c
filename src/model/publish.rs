//! Jekyll's `Publisher#publish?`: which docs a build leaves out, each with a note saying why.

use super::{doc_date, Doc};
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::frontmatter;
use liquid_core::model::DateTime;
use serde_json::{Map, Value};

/// The code of the note for a post left out for its date: a build that gives it depends on
/// the clock, so it is never replayed (`build::stamp`).
pub const FUTURE_POST: &str = "future-post";

/// The note for a doc Jekyll leaves out, or None for one it builds: `published: false` (or
/// null) unless `_config.yml` sets `unpublished: true`; a post dated after the site's time
/// unless it sets `future: true` (`hidden_in_the_future?`, posts only). `now` is the site's
/// time, found at the first post asked about.
pub(super) fn left_out(
    unpublished: bool,
    doc: &Doc,
    config: &Map<String, Value>,
    now: &mut Option<DateTime>,
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
fn is_future(doc: &Doc, config: &Map<String, Value>, now: &mut Option<DateTime>) -> bool {
    if config.get("future") == Some(&Value::Bool(true)) {
        return false;
    }
    let Some(date) = doc_date(&doc.rel, &doc.fm.map()) else {
        return false;
    };
    let now = *now.get_or_insert_with(|| site_time(config));
    date.unix_timestamp() > now.unix_timestamp()
}

/// `site.time`: the config's `time:` when it reads as a date, else the moment it is first
/// asked for (the site model is made then), as Jekyll's `Site#reset` sets it; whole seconds,
/// as Ruby shows a `Time` and Jekyll compares a post's date with it.
pub fn site_time(config: &Map<String, Value>) -> DateTime {
    let mut time = config
        .get("time")
        .and_then(|t| DateTime::from_str(&frontmatter::text(Some(t))))
        .unwrap_or_else(DateTime::now);
    if let Ok(whole) = time.replace_nanosecond(0) {
        *time = whole;
    }
    time
}
