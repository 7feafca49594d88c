//! Constructs met on an eighth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), each reproduced by a fixture of the project's own words and held to
//! Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`, checked live where
//! Jekyll is installed).

use crate::common;

/// The committed reference is what Jekyll gives: checked live where Jekyll is installed,
/// a shown skip elsewhere.
fn reference_is_jekylls(name: &str) -> String {
    let (site, path) = common::fixture(name);
    let reference = common::fixture_text(&format!("{name}.jekyll.html"));
    if let Some(page) = common::jekyll_index(&path, &site.path().join("_jekyll_site")) {
        assert_eq!(page, reference, "{name}");
    }
    reference
}

#[test]
fn a_sample_whose_code_is_an_empty_block_scalar_is_shown_with_its_title() {
    // `code_block: |-` (or `|2-`) with the next key at the item's indent is an empty
    // string, not nil: Liquid holds it true, so the layout shows the column, and every
    // sample in it, the empty ones as titled empty blocks ("204 Dimmed": the reply has no
    // body). endpaper had dropped each sample whose code was blank, and its title with it.
    let jekyll = reference_is_jekylls("unseen_sites8-empty-samples");
    let (site, _) = common::fixture("unseen_sites8-empty-samples");
    let page = site.build(&[]);
    for title in ["204 Dimmed", "409 Busy", "410 Gone"] {
        assert!(jekyll.contains(&format!("title=\"{title}\"")), "{jekyll}");
        assert!(page.contains(&format!("data-title=\"{title}\"")), "{page}");
    }
    // A placeholder item whose `code_block:` is nil is still no sample.
    site.write(
        "_replies/lamp.md",
        "---\ntitle: Dim the lamp\nright_code_blocks:\n  - code_block:\n    title:\n    language:\n---\n",
    );
    let page = site.build(&[]);
    assert!(!page.contains("data-title"), "{page}");
    assert!(!page.contains("ep-sample"), "{page}");
}
