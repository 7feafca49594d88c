//! `serve`'s reuse of the last build, seen through the memo.

use super::*;
use crate::build::Outcome;
use crate::highlight::Highlighter;

/// Each doc's place on the pages held for the next rebuild, by its path: the address
/// of its anchor's text, which stays while a doc is not laid out again.
fn places(memo: &Memo) -> Vec<(String, usize)> {
    let (arranged, all) = &memo.laid_out.as_ref().unwrap().sections;
    let docs = arranged.iter().chain([all]).flatten().flat_map(|s| &s.docs);
    docs.map(|d| (d.rel.clone(), d.anchor.as_ptr() as usize))
        .collect()
}

/// A private copy of the `layout-loom` fixture site.
fn loom() -> tempfile::TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-loom");
    let site = tempfile::tempdir().unwrap();
    for entry in load::walk(&fixture, None).map(Result::unwrap) {
        let to = site
            .path()
            .join(entry.path().strip_prefix(&fixture).unwrap());
        match entry.file_type().is_dir() {
            true => std::fs::create_dir_all(&to).unwrap(),
            false => drop(std::fs::copy(entry.path(), &to).unwrap()),
        }
    }
    site
}

#[test]
fn a_body_save_keeps_the_structures_key_lays_out_only_its_doc_and_reloads_first() {
    let site = loom();
    let opts = BuildOptions {
        cache: None,
        ..BuildOptions::new(site.path())
    };
    let (hl, mut session) = (Highlighter::new(), Session::new(opts, Mode::Serve));
    let mut last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    let before = places(&session.memo);
    let rel = before[before.len() / 2].0.clone();
    let path = site.path().join(&rel);
    let mut save = |add: &str, at_end: bool| {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = match at_end {
            true => format!("{text}{add}"),
            false => text.replacen("---\n", &format!("---\n{add}"), 1),
        };
        std::fs::write(&path, text).unwrap();
        let changed = BTreeSet::from([rel.clone()]);
        // What only the next rebuild reads is made after the tabs' reload.
        let reload = &mut |o: &Outcome| assert!(o.inputs.is_empty());
        last = session
            .build(&hl, Some(&last), Some(&changed), reload)
            .unwrap();
        assert!(!last.inputs.is_empty());
        let memo = &session.memo;
        let hinted = memo.loaded.as_ref().unwrap().structure_key.is_some();
        (places(memo), memo.relaid.filter(|_| hinted))
    };
    let (after, relaid) = save("\nA paragraph saved.\n", true);
    assert_eq!(after.len(), before.len());
    for ((doc, was), (_, now)) in before.iter().zip(&after) {
        assert_eq!(
            was == now,
            *doc != rel,
            "{doc}: laid out again only if saved"
        );
    }
    assert_eq!(
        relaid,
        Some(1),
        "laid out again, without the structure's key"
    );
    // The structure reads front matter: a save of it lays out every doc.
    assert_eq!(save("x_saved: yes\n", false).1, None);
    assert_eq!(save("\nOnce more.\n", true).1, Some(1));
}

#[test]
fn a_one_off_build_without_a_cache_keys_nothing_and_its_session_builds_a_change_again() {
    let (site, out) = (loom(), tempfile::tempdir().unwrap());
    let opts = BuildOptions {
        cache: None,
        output: Some(out.path().join("site")),
        ..BuildOptions::new(site.path())
    };
    let hl = Highlighter::new();
    let mut session = Session::new(opts, Mode::Build { strict: false });
    session.build(&hl, None, None, &mut |_| {}).unwrap();
    // No doc's output was keyed: no file may be kept against such keys.
    assert!(session.memo.files.is_empty());
    let doc = load::walk(site.path(), None)
        .map(Result::unwrap)
        .find(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && e.path().starts_with(site.path().join("_orders"))
        })
        .expect("a doc of layout-loom's orders");
    let text = std::fs::read_to_string(doc.path()).unwrap();
    std::fs::write(doc.path(), format!("{text}\nA paragraph saved.\n")).unwrap();
    session.build(&hl, None, None, &mut |_| {}).unwrap();
    let holding = |ext: &str| {
        load::walk(&out.path().join("site"), None)
            .map(Result::unwrap)
            .filter(|e| e.path().extension().is_some_and(|x| x == ext))
            .any(|e| {
                std::fs::read_to_string(e.path())
                    .unwrap()
                    .contains("A paragraph saved.")
            })
    };
    assert!(
        holding("html") && holding("md"),
        "the page and the twin show the change"
    );
}
