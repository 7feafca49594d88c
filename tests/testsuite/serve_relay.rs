//! `serve`'s rebuild of one saved doc: its pages, the site's files and the outcome equal a
//! clean build's, on sites whose own index orders the docs, with root pages of their own,
//! split into pages, and with versions. Bodies and front matter are saved in turn, as a
//! writer does, through one session.

use crate::common::{self, Site};
use endpaper::build::{self, BuildOptions, Mode, Outcome, Session};
use endpaper::highlight::Highlighter;
use std::collections::BTreeSet;

fn clean_build(site: &Site) -> (std::collections::BTreeMap<String, Vec<u8>>, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        output: Some(dir.path().join("out")),
        cache: None,
        ..BuildOptions::new(site.path())
    };
    let outcome = build::build(&opts, &Highlighter::new(), Mode::Build { strict: false });
    (common::tree(&dir.path().join("out")), outcome.unwrap())
}

#[test]
fn a_saved_doc_is_served_as_a_clean_build_writes_it() {
    for name in [
        "layout-loom",
        "layout-tides",
        "real_sites-aviator",
        "build-split",
        "versions",
    ] {
        let site = Site::fixture(name);
        let out = tempfile::tempdir().unwrap();
        let opts = BuildOptions {
            output: Some(out.path().join("serve")),
            cache: None,
            ..BuildOptions::new(site.path())
        };
        let hl = Highlighter::new();
        let mut session = Session::new(opts, Mode::Serve);
        let mut last = session.build(&hl, None, None, &mut |_| {}).unwrap();
        let docs: Vec<String> = (last.inputs.iter())
            .filter(|rel| rel.ends_with(".md") && !rel.starts_with("_includes/"))
            .cloned()
            .collect();
        assert!(docs.len() > 1, "{name}: {docs:?}");
        let saves = [
            (&docs[0], "body", "\nA paragraph saved.\n"),
            (&docs[docs.len() - 1], "body", "\nAnother paragraph.\n"),
            (&docs[0], "front matter", "x_saved: yes\n"),
            (&docs[0], "body", "\nOnce more.\n"),
        ];
        for (i, (rel, what, add)) in saves.into_iter().enumerate() {
            let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
            let text = match what {
                "body" => format!("{text}{add}"),
                _ => text.replacen("---\n", &format!("---\n{add}"), 1),
            };
            site.write(rel, &text);
            let changed: BTreeSet<String> = [rel.clone()].into();
            let served = session.build(&hl, Some(&last), Some(&changed), &mut |_| {});
            last = served.unwrap();
            let (clean, outcome) = clean_build(&site);
            let served = common::tree(&out.path().join("serve"));
            let names = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
                t.keys().cloned().collect::<Vec<_>>()
            };
            let save = format!("{name}, save {i} ({what} of {rel})");
            assert_eq!(names(&served), names(&clean), "{save}");
            for (file, bytes) in &clean {
                assert!(served[file] == *bytes, "{save}: {file} differs");
            }
            assert_eq!(last.diagnostics, outcome.diagnostics, "{save}");
            assert_eq!(last.inputs, outcome.inputs, "{save}");
        }
    }
}
