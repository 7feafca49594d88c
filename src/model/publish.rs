//! Jekyll's `Publisher#publish?`: which docs a build leaves out, each with a note saying why.

use super::{doc_date, Doc};
use crate::config::zone;
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::frontmatter;
use crate::load::LoadedSite;
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

/// The code of the note for a build whose pages, layouts or includes show the build's time
/// read off the clock: such a build is never replayed (`build::stamp`).
pub const CLOCK: &str = "clock";

/// The environment variable of the reproducible-builds convention: the build's time as
/// whole seconds since 1970 (UTC).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// `site.time`: the config's `time:` when it reads as a date, else `SOURCE_DATE_EPOCH`, else
/// the moment it is first asked for (the site model is made then), as Jekyll's `Site#reset`
/// sets it; whole seconds, as Ruby shows a `Time` and Jekyll compares a post's date with it.
/// Jekyll reads no `SOURCE_DATE_EPOCH`: it is what makes a build that shows its time again
/// byte for byte, clean, cached or served.
/// Shown in the site's zone (`config::zone`), as Jekyll's `Time` is.
pub fn site_time(config: &Map<String, Value>) -> DateTime {
    let mut time = fixed_time(config).unwrap_or_else(DateTime::now);
    if let Ok(whole) = time.replace_nanosecond(0) {
        *time = whole;
    }
    zone::local(time)
}

/// The build's time when the clock does not give it: `time:` (a timestamp, or the zone's
/// civil time, as `config::zone::read` tells) or `SOURCE_DATE_EPOCH`.
pub fn fixed_time(config: &Map<String, Value>) -> Option<DateTime> {
    let written = config.get("time").map(|t| frontmatter::text(Some(t)));
    written
        .as_deref()
        .and_then(|t| DateTime::from_str(t).map(|d| zone::read(t, d)))
        .or_else(epoch_time)
}

/// `SOURCE_DATE_EPOCH` as a time, when it is set to whole seconds before the year 10000.
pub fn epoch_time() -> Option<DateTime> {
    let secs: u64 = std::env::var(SOURCE_DATE_EPOCH).ok()?.trim().parse().ok()?;
    // The year 10000 starts here: `time` holds no later year.
    (secs < 253_402_300_800).then(|| {
        let mut t = DateTime::from_ymd(1970, 1, 1);
        *t += std::time::Duration::from_secs(secs);
        t
    })
}

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
        notes.push(Diagnostic::note(CLOCK, "_config.yml", at, format!("{rel} may show the build's time (site.time, an undated doc's date, `now`), which the clock gives: every build renders it anew, as Jekyll does (set {SOURCE_DATE_EPOCH} for output that does not change)")));
    }
    notes
}
