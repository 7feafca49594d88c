//! A rebuild after one doc's change, with the cache kept: the whole-site machine files it
//! writes again are only those that hold that doc (the full text for search is split by
//! section), and its output is a clean build's, byte for byte.

use crate::common::{self, Site};
use endpaper::build::{self, BuildOptions, Mode, Outcome};
use endpaper::highlight::Highlighter;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn build_into(site: &Site, out: &Path, cache: Option<&Path>) -> Outcome {
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        cache: cache.map(Path::to_path_buf),
        ..BuildOptions::new(site.path())
    };
    build::build(&opts, &Highlighter::new(), Mode::Build { strict: false }).unwrap()
}

fn clean(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    build_into(site, &dir.path().join("out"), None);
    common::tree(&dir.path().join("out"))
}

/// Appends a paragraph holding `word` to the doc at `rel`.
fn append(site: &Site, rel: &str, word: &str) {
    let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
    site.write(rel, &format!("{text}\nA {word} paragraph.\n"));
}

#[test]
fn a_one_doc_rebuild_writes_only_its_sections_search_text_and_equals_a_clean_build() {
    let site = Site::fixture("one_doc_files-sections");
    let work = tempfile::tempdir().unwrap();
    let (out, cache) = (work.path().join("out"), work.path().join("cache"));
    build_into(&site, &out, Some(&cache));
    let parts: BTreeSet<String> = common::search_text_files(&out).into_keys().collect();
    let want: BTreeSet<String> = [
        "search-text.js",
        "alpha/search-text.js",
        "beta/search-text.js",
        "gamma/search-text.js",
    ]
    .map(String::from)
    .into();
    assert_eq!(parts, want, "a part per section and the list of them");

    for (rel, word, part) in [
        ("_beta/beta_2.md", "zanzibar", "beta/search-text.js"),
        ("_alpha/alpha_0.md", "quixotic", "alpha/search-text.js"),
    ] {
        append(&site, rel, word);
        let again = build_into(&site, &out, Some(&cache));
        let written: BTreeSet<&String> = again.files.difference(&again.kept).collect();
        let texts: Vec<&&String> = written.iter().filter(|f| parts.contains(**f)).collect();
        assert_eq!(texts, [&part], "{rel}: only its section's text is written");
        for other in parts.iter().filter(|p| *p != part) {
            assert!(again.kept.contains(other), "{other} kept after {rel}");
        }
        assert!(common::search_text_files(&out)[part].contains(word));
        assert!(
            common::tree(&out) == clean(&site),
            "{rel}: as a clean build"
        );
    }
}
