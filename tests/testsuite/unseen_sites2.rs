//! Constructs met on more real Aviator/Jekyll sites endpaper was not written for (rebuilt
//! from public repositories under `bench/out/unseen/`, scored by `bench/unseen.sh`), each
//! reproduced by a fixture of the project's own words and held to Jekyll 4.3.1's build of
//! it (`tests/fixtures/<fixture>.jekyll.html`, checked live where Jekyll is installed).

use crate::common::{self, fixture_text};

/// The page `theme: site` writes for a fixture, and Jekyll's page for it.
fn site_page_and_jekyll(name: &str) -> (String, String) {
    let (site, _) = common::fixture(name);
    site.build(&[]);
    (
        site.read_out("index.html"),
        fixture_text(&format!("{name}.jekyll.html")),
    )
}

#[test]
fn tabs_inside_liquid_tags_are_whitespace_as_in_ruby_liquid() {
    // The index page writes an output tag over several lines indented with tabs, a tab on
    // each side of a name, and tabs beside `{%-`/`-%}`, which trim them as they trim spaces.
    let (page, jekyll) = site_page_and_jekyll("unseen_sites2-tabbed-filters");
    assert_eq!(page, jekyll);
}

#[test]
fn words_before_a_filters_first_colon_or_comma_are_left_out_as_jekyll_does() {
    // `replace "HOST", site.host` is `replace: site.host` to Ruby Liquid's lax parser (the
    // quoted word before the comma is no argument): the host is taken out of the label, and
    // `HOST` stays. Each such word is named in a located warning.
    let (site, _) = common::fixture("unseen_sites2-filter-words");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(
        out.contains("`\"HOST\"` left out of `include.label | replace \"HOST\", site.host`"),
        "{out}"
    );
    assert!(out.contains("--> _includes/label.html:1:31"), "{out}");
    assert_eq!(
        site.read_out("index.html"),
        fixture_text("unseen_sites2-filter-words.jekyll.html")
    );
}

/// The committed references are what Jekyll gives: checked live where Jekyll is installed,
/// a shown skip elsewhere.
#[test]
fn the_jekyll_references_are_what_jekyll_builds() {
    for name in [
        "unseen_sites2-tabbed-filters",
        "unseen_sites2-filter-words",
        "unseen_sites2-mapping-key",
        "unseen_sites2-grouped-conditions",
    ] {
        let (site, path) = common::fixture(name);
        let dest = site.path().join("_jekyll_site");
        let Some(page) = common::jekyll_index(&path, &dest) else {
            return;
        };
        assert_eq!(page, fixture_text(&format!("{name}.jekyll.html")), "{name}");
    }
}

#[test]
fn a_mapping_as_a_front_matter_key_keeps_the_docs_data() {
    // `published: {{ site.show_jars }}` is no Liquid to YAML: it is a mapping whose one key
    // is a mapping. Jekyll's Psych reads it so (and keeps the doc, whose `published` is not
    // false); endpaper had refused the whole front matter, keeping the doc with no data.
    let (page, jekyll) = site_page_and_jekyll("unseen_sites2-mapping-key");
    assert_eq!(page, jekyll);
}

#[test]
fn a_sample_written_on_its_keys_line_is_located_at_its_value() {
    // `code_block: "{\r\n …}"` and `right_code: "~~~ json\n…"` are double-quoted values whose
    // escapes do not keep their lines: a finding inside either is located at the value on
    // its key's line, not lines below it. The layout shows a field of its own (`shelf`), so
    // the doc is written from the site's markup, where the `\r\n`s have become newlines: the
    // samples there are still the ones compose placed.
    let (site, _) = common::fixture("unseen_sites2-inline-sample");
    let found = crate::unseen_sites::findings(&site);
    let json: Vec<&str> = found
        .iter()
        .filter(|(c, _)| c == "invalid-json")
        .map(|(_, at)| at.as_str())
        .collect();
    assert_eq!(json, ["_shelves/tins.md:6:21", "_shelves/tins.md:9:13"]);
}

#[test]
fn parentheses_in_a_condition_group_nothing_as_in_jekyll() {
    // Ruby Liquid's lax parser has no grouping: `(doc.tall or doc.wide) and doc.deep` is
    // `doc.tall or (doc.wide and doc.deep)`, true for a tall shallow crate; `(1..3)` is still
    // a range, and `3)` a variable named `3` (nil), so `(doc.rank > 3)` is false for 7.
    // endpaper had refused the page ("and" or "or" expected).
    let (site, _) = common::fixture("unseen_sites2-grouped-conditions");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(
        out.contains("`(doc.rank > 3)` read as `doc.rank > nil`"),
        "{out}"
    );
    assert!(out.contains("--> index.html:8:59"), "{out}");
    assert_eq!(
        site.read_out("index.html"),
        fixture_text("unseen_sites2-grouped-conditions.jekyll.html")
    );
}
