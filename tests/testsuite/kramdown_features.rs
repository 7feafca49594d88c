//! kramdown's own features (`{:toc}`, footnotes, abbreviations, `markdown="1"`) in docs of a
//! site of our own (`tests/fixtures/kramdown-ext`), against Jekyll 4.3.1's page of it
//! (`tests/fixtures/kramdown-ext.jekyll/index.html`), in endpaper's theme and in `theme: site`.

use crate::common;
use std::path::Path;

fn reference(file: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kramdown-ext.jekyll");
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// The markup with no whitespace at all (indentation is kramdown's own) and `&#8617;` as
/// the character it is.
fn squeezed(html: &str) -> String {
    html.replace("&#8617;", "\u{21A9}")
        .split_whitespace()
        .collect()
}

/// `theme: site` writes the page Jekyll writes: the same markup, indentation aside.
#[test]
fn theme_site_writes_kramdowns_contents_notes_and_abbreviations_as_jekyll_does() {
    let (site, _) = common::fixture("kramdown-ext");
    let page = site.build(&["--theme", "site"]);
    assert_eq!(squeezed(&page), squeezed(&reference("index.html")));
}

/// endpaper's theme shows the same: every anchor of Jekyll's page resolves, the notes and
/// abbreviations are there, and the note never referenced is left out with a located warning.
#[test]
fn endpapers_theme_shows_them_too_and_names_the_note_it_leaves_out() {
    let (site, _) = common::fixture("kramdown-ext");
    let out = site.endpaper(&["build", "."]);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("[unused-footnote]\n  --> _notes/notes-toc-abbr.md:30:1"),
        "{said}"
    );
    let page = site.read_out("index.html");
    let jekyll = reference("index.html");
    let ids: Vec<&str> = jekyll
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(ids.len() > 15, "{ids:?}");
    for id in ids {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "#{id} does not resolve"
        );
    }
    assert!(page.contains("<abbr title=\"Application Programming Interface\">API</abbr>-key"));
    assert!(page.contains("Its second paragraph."));
    assert!(!page.contains("Never referenced"));
    assert!(!page.contains("markdown=\"1\""));
    let twin = site.read_out("notes/notes-toc-abbr.md");
    assert!(twin.contains("First note, *with* emphasis."), "{twin}");
}

/// The committed page is what Jekyll gives: checked live where Jekyll is installed.
#[test]
fn the_committed_reference_is_what_jekyll_builds() {
    let (site, path) = common::fixture("kramdown-ext");
    let dest = site.path().join("_jekyll_site");
    let Some(page) = common::jekyll_index(&path, &dest) else {
        return;
    };
    assert_eq!(page, reference("index.html"));
}
