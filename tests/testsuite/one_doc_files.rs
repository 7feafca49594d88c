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

/// The layouts of `openapi.json` kept in the cache folder: one, the last build's.
fn layouts(cache: &Path) -> Vec<String> {
    let names = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name());
    let names = names.map(|n| n.to_string_lossy().into_owned());
    names.filter(|n| n.ends_with(".layout")).collect()
}

/// Rewrites the body of the doc at `rel` (its front matter kept) to `body`.
fn set_body(site: &Site, rel: &str, body: &str) {
    let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
    let end = text[3..].find("\n---\n").unwrap() + 8;
    site.write(rel, &format!("{}{body}", &text[..end]));
}

/// `openapi.json` after one doc's edit is made from the last build's file, only the changed
/// operation written: whatever the edit does to it (longer, shorter, a new operation, one
/// gone, a response schema that several operations shared), the file is a clean build's.
#[test]
fn openapi_json_after_a_one_doc_edit_equals_a_clean_builds() {
    let site = Site::fixture("one_doc_files-sections");
    let work = tempfile::tempdir().unwrap();
    let (out, cache) = (work.path().join("out"), work.path().join("cache"));
    build_into(&site, &out, Some(&cache));
    assert_eq!(layouts(&cache).len(), 1);
    let response =
        "~~~ json\n{\"id\": \"x\", \"status\": \"open\"}\n~~~\n{: title=\"Response\" }\n";
    let edits: [(&str, &dyn Fn()); 6] = [
        ("longer", &|| append(&site, "_beta/beta_2.md", "zanzibar")),
        ("shorter", &|| {
            set_body(&site, "_alpha/alpha_1.md", "Short.\n")
        }),
        ("a schema of its own", &|| {
            let sample = "~~~ json\n{\"count\": 3}\n~~~\n{: title=\"Response\" }\n";
            set_body(&site, "_gamma/gamma_0.md", &format!("Counted.\n\n{sample}"))
        }),
        ("added", &|| {
            let front = "---\ntitle: /gamma/new\nmethod: delete\nposition: 9\n---\n";
            site.write("_gamma/gamma_9.md", &format!("{front}Gone.\n\n{response}"))
        }),
        ("removed", &|| {
            std::fs::remove_file(site.path().join("_alpha/alpha_2.md")).unwrap()
        }),
        ("the first", &|| {
            append(&site, "_alpha/alpha_0.md", "quixotic")
        }),
    ];
    for (what, edit) in edits {
        let before = std::fs::read(out.join("openapi.json")).unwrap();
        edit();
        let again = build_into(&site, &out, Some(&cache));
        let written = again.files.difference(&again.kept);
        assert!(written.into_iter().any(|f| f == "openapi.json"), "{what}");
        let want = clean(&site);
        let got = std::fs::read(out.join("openapi.json")).unwrap();
        assert_ne!(got, before, "{what}: the operation changed");
        assert!(got == want["openapi.json"], "{what}: as a clean build's");
        assert!(common::tree(&out) == want, "{what}: as a clean build");
        assert_eq!(layouts(&cache).len(), 1, "{what}: the last layout only");
    }
}

/// A build that fails after it made `openapi.json` (strict, on a broken link the edit
/// added) leaves the last file in place; the next build's file is still a clean build's,
/// and so is one over an output whose `openapi.json` was edited by hand since.
#[test]
fn a_failed_build_leaves_the_last_openapi_json() {
    let site = Site::fixture("one_doc_files-sections");
    let work = tempfile::tempdir().unwrap();
    let (out, cache) = (work.path().join("out"), work.path().join("cache"));
    build_into(&site, &out, Some(&cache));
    let before = common::tree(&out);
    append(&site, "_beta/beta_1.md", "[broken](nowhere.html) zanzibar");
    let opts = BuildOptions {
        output: Some(out.clone()),
        cache: Some(cache.clone()),
        ..BuildOptions::new(site.path())
    };
    let strict = build::build(&opts, &Highlighter::new(), Mode::Build { strict: true }).unwrap();
    assert!(strict.output.is_none(), "failed on its warning");
    assert!(common::tree(&out) == before, "the output as it was");

    append(&site, "_beta/beta_3.md", "quixotic");
    build_into(&site, &out, Some(&cache));
    assert!(common::tree(&out) == clean(&site), "after the failed build");

    // The same length, other bytes: not the file the last build wrote.
    let path = out.join("openapi.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Quarry", "QUARRY")).unwrap();
    append(&site, "_gamma/gamma_2.md", "zanzibar");
    build_into(&site, &out, Some(&cache));
    assert!(common::tree(&out) == clean(&site), "after a hand edit");
}
