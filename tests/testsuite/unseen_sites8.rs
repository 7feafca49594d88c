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

/// The site's own files Jekyll copies, as named in the fixture `unseen_sites8-special-files`.
const COPIED: [&str; 3] = ["files/_keep.txt", "files/list.txt", "images/mark.svg"];
/// The files Jekyll's reader leaves out of that fixture.
const LEFT_OUT: [&str; 5] = [
    "#top.txt",
    "files/#scratch.txt",
    "files/list.txt~",
    "images/_old/mark.svg",
    "images/_sketch.svg",
];

#[test]
fn files_jekylls_reader_leaves_out_are_not_copied_at_any_depth() {
    // Jekyll's reader skips every name opening with `_`, `.`, `#` or `~`, or ending with
    // `~` (a backup), in each folder it reads, not only at the site's root; `include:` keeps
    // such a name. endpaper had copied `images/_sketch.svg`, `images/_old/`, `#top.txt`,
    // `files/#scratch.txt` and `files/list.txt~` (Aviator's own template ships an
    // `images/_screenshot.png` that Jekyll does not publish).
    let (site, path) = common::fixture("unseen_sites8-special-files");
    let jekyll = site.path().join("_jekyll_site");
    if let Some(out) = common::jekyll_build(&path, &jekyll) {
        assert!(out.status.success(), "{}", common::stderr(&out));
        for rel in COPIED {
            assert!(jekyll.join(rel).is_file(), "Jekyll copies {rel}");
        }
        for rel in LEFT_OUT {
            assert!(!jekyll.join(rel).exists(), "Jekyll leaves out {rel}");
        }
    }
    let (site, _) = common::fixture("unseen_sites8-special-files");
    site.build(&[]);
    for rel in COPIED {
        assert!(site.out().join(rel).is_file(), "endpaper copies {rel}");
    }
    for rel in LEFT_OUT {
        assert!(!site.out().join(rel).exists(), "endpaper leaves out {rel}");
    }
}

#[test]
fn htaccess_is_published_as_jekylls_default_include_publishes_it() {
    // Jekyll's default `include:` is `.htaccess`, at any depth; a site's own list replaces
    // it. endpaper skipped every dot-file, so an Apache site lost its rewrite rules.
    let (site, path) = common::fixture("unseen_sites8-special-files");
    for rel in [".htaccess", "files/.htaccess"] {
        site.write(rel, "Options -Indexes\n");
    }
    let with_list = site.read_in("_config.yml");
    let without = with_list.replace("include:\n  - _keep.txt\n", "");
    assert_ne!(with_list, without);
    for (config, htaccess, keep) in [(&with_list, false, true), (&without, true, false)] {
        site.write("_config.yml", config);
        let jekyll = site.path().join("_jekyll_site");
        if let Some(out) = common::jekyll_build(&path, &jekyll) {
            assert!(out.status.success(), "{}", common::stderr(&out));
            assert_eq!(jekyll.join(".htaccess").is_file(), htaccess, "{config}");
            assert_eq!(jekyll.join("files/.htaccess").is_file(), htaccess);
            assert_eq!(jekyll.join("files/_keep.txt").is_file(), keep);
        }
        std::fs::remove_dir_all(site.out()).ok();
        site.build(&[]);
        assert_eq!(site.out().join(".htaccess").is_file(), htaccess, "{config}");
        assert_eq!(site.out().join("files/.htaccess").is_file(), htaccess);
        assert_eq!(site.out().join("files/_keep.txt").is_file(), keep);
    }
}
