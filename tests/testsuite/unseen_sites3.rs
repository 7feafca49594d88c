//! Constructs met on a third set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), each reproduced by a fixture of the project's own words and held to
//! Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`, checked live where
//! Jekyll is installed).

use crate::common::{self, fixture_text};

/// The page `theme: site` writes for a fixture, its warnings, and Jekyll's page for it.
fn site_page_and_jekyll(name: &str) -> (String, String, String) {
    let (site, _) = common::fixture(name);
    let out = common::stderr(&site.endpaper(&["build", "."]));
    (
        site.read_out("index.html"),
        out,
        fixture_text(&format!("{name}.jekyll.html")),
    )
}

/// The committed reference is what Jekyll gives: checked live where Jekyll is installed,
/// a shown skip elsewhere.
fn reference_is_jekylls(name: &str) {
    let (site, path) = common::fixture(name);
    let dest = site.path().join("_jekyll_site");
    if let Some(page) = common::jekyll_index(&path, &dest) {
        assert_eq!(page, fixture_text(&format!("{name}.jekyll.html")), "{name}");
    }
}

#[test]
fn an_includes_unquoted_true_false_nil_and_numbers_are_literals_as_in_jekyll() {
    // `sealed=true count=4 weight=2.5 lid=nil` are no variables to Jekyll: it looks each
    // word up as a Liquid expression, which reads them as a boolean, numbers and nil. A
    // quoted `"4"` stays text. endpaper had looked up variables named `true` and `nil` (nil,
    // with a warning each) and passed the numbers as text.
    reference_is_jekylls("unseen_sites3-include-literals");
    let (page, out, jekyll) = site_page_and_jekyll("unseen_sites3-include-literals");
    assert_eq!(page, jekyll);
    assert!(!out.contains("unknown variable"), "{out}");
}

#[test]
fn a_description_the_layout_markdownifies_is_shown_once() {
    // The layout prints each doc's `since` (so the doc is shown with the site's markup) and
    // its description through `markdownify`. The page's frame writes the description above
    // the site's markup; the site's copy of it reads differently (its code span, link and
    // note rendered), and had been kept beside the frame's.
    let (site, _) = common::fixture("unseen_sites3-markdown-description");
    site.build(&[]);
    let page = site.read_out("index.html");
    let latch = common::element(&page, "hookslatch");
    assert_eq!(
        latch.matches("A held door ignores knocks.").count(),
        1,
        "{latch}"
    );
    assert!(latch.contains("since 2.1.0"), "{latch}");
    // Shown as the layout shows it: rendered by `markdownify` (Jekyll's code span markup,
    // the link, the note's class), not as its markdown.
    assert_eq!(latch.matches(">door</code>").count(), 1, "{latch}");
    assert!(
        latch.contains(r#"<code class="language-plaintext highlighter-rouge">door</code>"#),
        "{latch}"
    );
    assert_eq!(latch.matches(">release</a>").count(), 1, "{latch}");
    assert!(latch.contains(r##"href="#hooksrelease""##), "{latch}");
    assert!(
        latch.contains(r#"<p class="warning">A held door ignores knocks.</p>"#),
        "{latch}"
    );
    assert!(!latch.contains('`'), "{latch}");
    assert!(!latch.contains("{: .warning}"), "{latch}");
    let release = common::element(&page, "hooksrelease");
    assert_eq!(
        release.matches("Opens the door again.").count(),
        1,
        "{release}"
    );
    // Its description reads the same rendered: shown as written, as on every Aviator site.
    assert!(
        release.contains(r#"<p class="description">Opens the door again.</p>"#),
        "{release}"
    );
    // The twin keeps the description's markdown.
    let twin = site.read_out("hooks/latch.md");
    assert!(twin.contains("Holds the `door` shut"), "{twin}");
}

#[test]
fn a_block_scalars_unindented_text_is_named_where_jekyll_names_it() {
    // `summary: |-` with its text written at the key's indent: the scalar ends empty and
    // the text is read as a key that never gets its `:`. Psych names the line the text
    // starts on (5); the parser endpaper uses stops three lines on, where it was named.
    // Like Jekyll, the doc is kept with no data.
    reference_is_jekylls("unseen_sites3-unindented-scalar");
    let (page, out, jekyll) = site_page_and_jekyll("unseen_sites3-unindented-scalar");
    assert!(
        out.contains("the text of the block scalar (`|` or `>`) above is not indented under its key (the YAML parser stopped at line 8"),
        "{out}"
    );
    assert!(out.contains("--> _parcels/envelope.md:5:1"), "{out}");
    assert!(page.contains("id=\"parcelsenvelope\""), "{page}");
    assert!(jekyll.contains("id=\"parcelsenvelope\""), "{jekyll}");
}

#[test]
fn a_conditions_parentheses_are_named_once_per_tag() {
    // Four tags of last session's fixture group words with parentheses, two of them several
    // words: one warning each, naming the whole condition as Jekyll reads it, at its first
    // such word. It had been one warning per word (seven).
    let (site, _) = common::fixture("unseen_sites2-grouped-conditions");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert_eq!(out.matches("have no grouping").count(), 4, "{out}");
    assert!(
        out.contains(
            "`(doc.tall or doc.wide) and doc.deep` read as `doc.tall or doc.wide and doc.deep`"
        ),
        "{out}"
    );
    assert!(out.contains("--> index.html:5:7"), "{out}");
}

/// The page `theme: site` writes for a fixture, held to Jekyll's but for blank lines
/// (kramdown separates blocks with one, endpaper's `theme: site` with a newline; neither is
/// shown), after the committed reference is held to Jekyll.
pub(crate) fn page_as_jekylls(name: &str) -> String {
    let lines = |html: &str| {
        html.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    reference_is_jekylls(name);
    let (page, _, jekyll) = site_page_and_jekyll(name);
    assert_eq!(lines(&page), lines(&jekyll));
    page
}

#[test]
fn rows_whose_separator_is_the_last_line_are_paragraph_text_as_in_kramdown() {
    // Every row above a separator is a head row; with no row below it the table has no
    // body, which kramdown drops ("table without body"): its lines stay paragraph text, the
    // separator's dashes typeset as dashes. endpaper had made a table of the last row above
    // the separator (after a paragraph) or of all of them (at the text's start). A table
    // with a row below its separator is still a table.
    let page = page_as_jekylls("unseen_sites3-bodiless-table");
    assert_eq!(page.matches("<table>").count(), 1, "{page}");
}

#[test]
fn rows_without_a_leading_pipe_after_a_blank_line_are_a_table_as_in_kramdown() {
    // kramdown's table line is any line with an unescaped `|`, first or later: after a
    // blank line, lines that each have one (outside code spans) up to a blank line are a
    // table of body rows, `size | holds` as much as `| size | holds |`, and so is a lone
    // sentence with a `|` in it. A `|` only inside a code span, or rows under a paragraph's
    // line, stay paragraph text. endpaper had taken only rows whose first mark is a `|`.
    let page = page_as_jekylls("unseen_sites3-bare-rows");
    assert_eq!(page.matches("<table>").count(), 2, "{page}");
}

#[test]
fn text_the_index_page_replaces_in_content_markdown_is_replaced_in_the_docs() {
    // The index page prints each doc's `content_markdown` through `replace: "!SHOP!",
    // site.shop_name` (and a setting the site lacks, nil: nothing) before `markdownify`;
    // Jekyll shows the shop's name. endpaper's theme composes `content_markdown` itself and
    // had shown `!SHOP!`. Aviator's own `replace: "<dl>", …` adds the layout's heading: markup,
    // not text a doc writes, so not applied.
    let (site, _) = common::fixture("unseen_sites3-page-placeholders");
    let page = site.build(&[]);
    let doc = common::element(&page, "jarsorder");
    assert!(
        doc.contains("<p>Every jar from Jar Works ships in a crate. Ask  for help.</p>"),
        "{doc}"
    );
    assert!(!doc.contains("Parameters"), "{doc}");
    let jekyll = fixture_text("unseen_sites3-page-placeholders.jekyll.html");
    assert!(
        jekyll.contains("Every jar from Jar Works ships"),
        "{jekyll}"
    );
    reference_is_jekylls("unseen_sites3-page-placeholders");

    // `serve`: an edit of the index page's replacement alone reaches the doc it changes.
    use endpaper::build::{BuildOptions, Mode, Session};
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("serve");
    let opts = BuildOptions {
        output: Some(out.clone()),
        cache: Some(work.path().join("cache")),
        ..BuildOptions::new(site.path())
    };
    let hl = endpaper::highlight::Highlighter::new();
    let mut session = Session::new(opts, Mode::Serve);
    let last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    let index = site.read_in("index.html");
    site.write(
        "index.html",
        &index.replace("site.shop_name", "\"the jar shop\""),
    );
    let changed = std::collections::BTreeSet::from(["index.html".to_string()]);
    session
        .build(&hl, Some(&last), Some(&changed), &mut |_| {})
        .unwrap();
    let served = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        served.contains("Every jar from the jar shop ships"),
        "{served}"
    );
}
