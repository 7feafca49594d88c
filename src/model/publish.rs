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

/// Whether the Liquid a doc reaches (`texts`: its own and every include it pulls in, taken
/// together) may show the build's time: one of them names it ([`reads_clock`]), or one
/// looks a name up by a value (`site[include.field]`) or hands `site` or `page` on whole
/// while one of them names `time`, `date`, `now` or `today` (not the `date` filter) in its
/// Liquid: the name such a lookup may be handed, by the doc to its include or back.
pub fn reaches_clock<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> bool {
    texts.clone().any(reads_clock)
        || (texts.clone().any(looks_up_by_value) && texts.clone().any(names_clock_word))
}

/// The Liquid markup in `text`: each `{{ … }}` and `{% … %}`'s inside.
fn markup(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('{').filter_map(move |(at, _)| {
        let rest = &text[at + 1..];
        let close = match rest.as_bytes().first()? {
            b'{' => "}}",
            b'%' => "%}",
            _ => return None,
        };
        rest.find(close).map(|end| &rest[1..end.max(1)])
    })
}

/// Each name in Liquid markup `m`, with whether a `|` is right before it (a filter's name).
fn names(m: &str) -> impl Iterator<Item = (&str, bool)> {
    let name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    m.match_indices(move |c: char| !name(c))
        .map(|(at, sep)| at + sep.len())
        .chain([0])
        .filter_map(move |start| {
            let word = &m[start..];
            let len = word.find(|c: char| !name(c)).unwrap_or(word.len());
            let filter = m[..start].trim_end().ends_with('|');
            (len > 0).then(|| (&word[..len], filter))
        })
}

/// Whether `text`'s Liquid looks a name up by a value (`x[name]`) or hands `site` or
/// `page` on whole (not `site.title`, `page["title"]`).
fn looks_up_by_value(text: &str) -> bool {
    markup(text).any(|m| {
        let b = m.as_bytes();
        let by_value =
            (b.windows(2)).any(|w| w[0] == b'[' && (w[1].is_ascii_alphabetic() || w[1] == b'_'));
        by_value
            || ["site", "page"].iter().any(|whole| {
                m.match_indices(whole).any(|(at, _)| {
                    let before = m[..at].chars().next_back();
                    let after = m[at + whole.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                        && !after.is_some_and(|c| c.is_ascii_alphanumeric() || "_.[".contains(c))
                })
            })
    })
}

/// Whether `text`'s Liquid names `time`, `date`, `now` or `today`, a `date` filter aside.
fn names_clock_word(text: &str) -> bool {
    markup(text).any(|m| {
        names(m)
            .any(|(w, filter)| matches!(w, "time" | "now" | "today") || (w == "date" && !filter))
    })
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

#[cfg(test)]
mod tests {
    use super::reaches_clock;

    #[test]
    fn a_clock_name_handed_to_an_include_that_looks_it_up_reads_the_clock() {
        let lookup = r#"{{ site[include.field] | date: "%H" }}"#;
        let reaches = |doc: &str, include: &str| reaches_clock([doc, include].into_iter());
        assert!(reaches(r#"{% include s.html field="time" %}"#, lookup));
        assert!(reaches(
            r#"{% include s.html s=site %}"#,
            "{{ include.s.time }}"
        ));
        assert!(reaches("{{ page.date }}", "text"));
        // The `date` filter's name and other keys name no time.
        assert!(!reaches(r#"{% include s.html field="title" %}"#, lookup));
        assert!(!reaches(
            "{{ site.title }} {{ page['title'] }}",
            "{{ x | date: '%Y' }}"
        ));
        // A doc's prose is no Liquid.
        assert!(!reaches(
            "The time is now. {% include s.html s=site %}",
            "{{ include.s.title }}"
        ));
    }
}
