//! Guards the grammar set: every language API docs commonly use must actually highlight, so
//! a grammar dropped by a dependency update (or a broken alias) fails CI instead of
//! silently turning code blocks grey.

use std::collections::BTreeSet;

use crate::common::fixture_text;
use endpaper::highlight::{Highlighter, CLASSES};

/// The languages as written in docs; a small typical sample of each is the file
/// `tests/fixtures/grammars-samples/<language>`.
const LANGUAGES: &[&str] = &[
    "bash",
    "shell",
    "json",
    "python",
    "javascript",
    "graphql",
    "http",
    "ruby",
    "go",
    "java",
    "php",
    "typescript",
    "yaml",
    "xml",
    "sql",
];

/// `(language, its sample)` for every listed language; the folder holds no other sample, so
/// none is left untested.
fn samples() -> Vec<(&'static str, String)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grammars-samples");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = LANGUAGES.iter().map(|l| l.to_string()).collect();
    assert_eq!(on_disk, listed, "{}", dir.display());
    LANGUAGES
        .iter()
        .map(|lang| (*lang, fixture_text(&format!("grammars-samples/{lang}"))))
        .collect()
}
/// The distinct classes used in highlighted HTML.
fn classes(html: &str) -> BTreeSet<&str> {
    html.split("<x-")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(class, _)| class))
        .collect()
}

#[test]
fn every_listed_language_highlights_with_several_classes() {
    let highlighter = Highlighter::new();
    let documented: BTreeSet<&str> = CLASSES.iter().map(|(class, _)| *class).collect();
    for (lang, code) in &samples() {
        assert!(highlighter.knows(lang), "{lang} is not a known language");
        let out = highlighter.highlight(code, Some(lang));
        assert!(out.known_language, "{lang}");
        let used = classes(&out.html);
        assert!(
            used.len() >= 2,
            "{lang} produced only {used:?}; grammar missing or broken?\n{}",
            out.html
        );
        let undocumented: Vec<_> = used.difference(&documented).collect();
        assert!(
            undocumented.is_empty(),
            "{lang} emitted undocumented classes {undocumented:?}"
        );
    }
}

#[test]
fn highlighting_from_many_threads_agrees() {
    let highlighter = Highlighter::new();
    let samples = samples();
    let serial: Vec<String> = samples
        .iter()
        .map(|(lang, code)| highlighter.highlight(code, Some(lang)).html)
        .collect();
    let parallel: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = samples
            .iter()
            .map(|(lang, code)| scope.spawn(|| highlighter.highlight(code, Some(lang)).html))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(serial, parallel);
}

/// The theme colours each token by the element the highlighter writes for its class, and
/// `markdownify` (a site's own stylesheet) gets Rouge's spans of the same classes.
#[test]
fn the_theme_styles_every_token_element_and_markdownify_writes_rouge_spans() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/endpaper.css"))
        .expect("theme stylesheet");
    for (class, _) in CLASSES {
        assert!(
            css.contains(&format!(".ep-code x-{class} {{")),
            "x-{class} unstyled"
        );
        assert!(
            !css.contains(&format!(".ep-code .{class} {{")),
            ".{class} is no token's"
        );
    }
    let html = Highlighter::new()
        .highlight("{\"a\": 1}", Some("json"))
        .html;
    assert_eq!(html, "{<x-na>\"a\"</x-na>: <x-m>1</x-m>}");
    assert_eq!(
        endpaper::highlight::rouge_spans(&html),
        "{<span class=na>\"a\"</span>: <span class=m>1</span>}"
    );
}
