//! Jekyll's `Publisher#publish?`: which docs a build leaves out, each with a note saying why.

use super::{doc_date, Doc};
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::frontmatter;
use liquid_core::model::DateTime;
use serde_json::{Map, Value};

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
            "future-post",
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
    let now = *now.get_or_insert_with(|| {
        config
            .get("time")
            .and_then(|t| DateTime::from_str(&frontmatter::text(Some(t))))
            .unwrap_or_else(DateTime::now)
    });
    date.unix_timestamp() > now.unix_timestamp()
}
