//! Jekyll's site and document model as endpaper reproduces it (issue 30): root pages read as
//! Jekyll 4.3 reads them, docs' `url`, `id` and `slug` from its permalink rules, and the
//! site's own anchors. Each fixture is the project's own; the expected values are what
//! Jekyll 4.3.1 gives for it.
mod common;
use common::{stderr, Site};

const LAYOUT: &str = "<html><body>{{ content }}</body></html>\n";

/// A page whose `---` is never closed is still a page in Jekyll (`Reader#read_directories`
/// makes a page of any file whose first line is `---`, `Utils.has_yaml_header?`), but
/// `Convertible#read_yaml` finds no front matter in it: no data but the `defaults:`, and its
/// whole text, the `---` line too, as content. A file that is only `---`, or opens with a
/// BOM, has no YAML header at all and is copied as a static file.
#[test]
fn a_root_page_whose_front_matter_never_closes_is_rendered_whole_like_jekyll() {
    let s = Site::new(&[
        (
            "_config.yml",
            "title: Notes\ncollections:\n  api:\n    title: API\ndefaults:\n  - scope: {path: \"\"}\n    values: {layout: default}\n",
        ),
        ("_layouts/default.html", LAYOUT),
        ("_api/a.md", "---\ntitle: A\n---\nDoc a.\n"),
        (
            "notes.md",
            "---\ntitle: Never closed\n\n# Heading\n\nText *em* in {{ page.url }}.\n",
        ),
        ("bare.md", "---"),
        ("bom.md", "\u{feff}---\ntitle: b\n"),
    ]);
    let out = s.endpaper(&["build", ".", "--theme", "site"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("[unterminated-front-matter]\n  --> notes.md:1:1"),
        "{err}"
    );
    let notes = s.read_out("notes.html");
    assert_eq!(
        notes,
        "<html><body><hr />\n<p>title: Never closed</p>\n<h1 id=\"heading\">Heading</h1>\n<p>Text <em>em</em> in /notes.html.</p>\n</body></html>\n"
    );
    assert_eq!(s.read_out("bare.md"), "---");
    assert_eq!(s.read_out("bom.md"), "\u{feff}---\ntitle: b\n");

    // endpaper's theme reads the page too (it lists no doc, so it is not written).
    let out = s.endpaper(&["build", ".", "--theme", "endpaper"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("could not be rendered"), "{err}");
    assert!(
        err.contains("notes.md: lists no doc of the `public` audience"),
        "{err}"
    );
}
