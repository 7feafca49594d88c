//! What a build lets go of once every doc is made: the parts of each doc's front matter
//! only composing read. Whatever it drops, no output may change.

use crate::common::Site;

/// A page template that names `fm` reads any key of it, those only composing reads too.
#[test]
fn a_template_naming_fm_reads_every_key() {
    let site = Site::fixture("memory-fm-template");
    let html = site.build(&[]);
    assert!(html.contains("ring-marker-in-right-code"), "{html}");
}

/// Front matter is let go of a batch at a time only when no doc's Liquid can name `site`:
/// a doc composed in the last batch reads, through `site.*` in its body or in an include,
/// the whole front matter of the first doc.
#[test]
fn a_doc_composed_last_reads_the_first_docs_front_matter() {
    let list = "{% for d in site.calls %}{% if d.name == \"Call 0\" %}{{ d.right_code }}{% endif %}{% endfor %}";
    for (last_body, include) in [(list, ""), ("{% include list.md %}", list)] {
        let config = "title: Many\ncollections:\n  calls:\n    title: Calls\n";
        let site = Site::new(&[("_config.yml", config), ("_includes/list.md", include)]);
        // More docs than a batch holds (`BATCH`, 256), in position order.
        for n in 0..300 {
            let body = if n == 299 { last_body } else { "A call." };
            let right_code = format!("~~~ json\n  {{ \"first\": \"right-code-of-{n}\" }}\n  ~~~");
            site.write(
                &format!("_calls/call-{n:03}.md"),
                &format!("---\ntitle: /call/{n}\nname: Call {n}\nposition: {n}\nright_code: |\n  {right_code}\n---\n{body}\n"),
            );
        }
        site.build(&[]);
        // The docs may be split over several pages: the doc is looked for in all of them.
        let all = site.all_output();
        let last = crate::common::element(&all, "callscall-299");
        assert!(last.contains("right-code-of-0"), "{last_body}: {last}");
    }
}

/// Docs that pull in the same includes share one set of their names: a set held per doc to
/// the end of the build was a few hundred bytes a doc. Only `serve` reads which docs pulled
/// in which includes: a one-off build does not gather them.
#[test]
fn docs_pulling_in_the_same_includes_share_one_set_and_only_serve_gathers_them() {
    use endpaper::build::{self, BuildOptions, Mode};
    let config = "title: Shared\ncollections:\n  calls:\n    title: Calls\n";
    let site = Site::new(&[
        ("_config.yml", config),
        ("_includes/codes.md", "Codes."),
        ("_includes/other.md", "Other."),
    ]);
    for (name, body) in [
        ("a", "{% include codes.md %}"),
        ("b", "{% include codes.md %}"),
        ("c", "{% include other.md %}"),
    ] {
        site.write(
            &format!("_calls/{name}.md"),
            &format!("---\ntitle: /{name}\nname: Call {name}\n---\n{body}\n"),
        );
    }
    let hl = endpaper::highlight::Highlighter::new();
    let opts = BuildOptions::new(site.path());
    let once = build::build(&opts, &hl, Mode::Build { strict: false }).unwrap();
    assert!(
        once.includes_by_doc.is_empty(),
        "a one-off build keeps what only serve reads: {:?}",
        once.includes_by_doc
    );
    let mut session = build::Session::new(opts, Mode::Serve);
    let outcome = session.build(&hl, None, None, &mut |_| {}).unwrap();
    let sets = &outcome.includes_by_doc;
    let (a, b, c) = (
        &sets["_calls/a.md"],
        &sets["_calls/b.md"],
        &sets["_calls/c.md"],
    );
    assert_eq!(a.iter().collect::<Vec<_>>(), ["codes.md"]);
    assert_eq!(a, b);
    assert!(
        std::sync::Arc::ptr_eq(a, b),
        "each doc holds a copy of the same set"
    );
    assert_eq!(c.iter().collect::<Vec<_>>(), ["other.md"]);
}
