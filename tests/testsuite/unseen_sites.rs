//! Constructs met on real Aviator/Jekyll sites endpaper was not written for (rebuilt from
//! public repositories under `bench/out/unseen/`, scored by `bench/unseen.sh`), each
//! reproduced by a fixture of the project's own words.

use crate::common::{self, stderr};

/// All that `endpaper ARGS` prints, stderr then stdout.
fn printed(site: &common::Site, args: &[&str]) -> String {
    let out = site.endpaper(args);
    stderr(&out) + &String::from_utf8_lossy(&out.stdout)
}

/// `(code, file:line:col)` of each finding `endpaper check` prints.
pub(crate) fn findings(site: &common::Site) -> Vec<(String, String)> {
    let text = printed(site, &["check", "."]);
    let mut found = Vec::new();
    let mut code = None;
    for line in text.lines() {
        if let Some(rest) = line
            .strip_prefix("warning[")
            .or(line.strip_prefix("error["))
        {
            code = rest.split(']').next().map(str::to_string);
        } else if let (Some(at), Some(c)) = (line.trim_start().strip_prefix("--> "), &code) {
            found.push((c.clone(), at.trim().to_string()));
            code = None;
        }
    }
    found
}

#[test]
fn each_front_matter_sample_is_located_at_its_own_text() {
    // Three samples under `left_code_blocks` (their keys in any order, one item opening on
    // a bare `-`) and a `|2-` block under `right_code_blocks`: a finding in each is reported
    // at its line and column in the file, not at the list's first sample.
    let (site, _) = common::fixture("unseen_sites-sample-places");
    let found = findings(&site);
    let has = |code: &str, at: &str| found.iter().any(|(c, a)| c == code && a == at);
    assert!(has("curl-unreadable", "_api/lamps.md:21:7"), "{found:?}");
    assert!(has("invalid-json", "_api/lamps.md:28:11"), "{found:?}");
    // Rouge's tag for Objective-C names a language it highlights, as endpaper does.
    assert!(
        !found.iter().any(|(c, _)| c == "unknown-language"),
        "{found:?}"
    );
}

#[test]
fn a_space_after_a_line_continuation_is_named_at_its_backslash() {
    // `\ ` then a line break: the shell escapes the space and ends the command there, so the
    // URL on the next line is never curl's. The finding says so at that backslash, instead
    // of reporting the stray request (to `/`) as the wrong endpoint.
    let (site, _) = common::fixture("unseen_sites-sample-places");
    let text = printed(&site, &["check", "."]);
    let found = findings(&site);
    let at_dim: Vec<_> = found
        .iter()
        .filter(|(_, a)| a.starts_with("_api/dim.md"))
        .collect();
    assert_eq!(
        at_dim,
        [&(
            "curl-unreadable".to_string(),
            "_api/dim.md:11:45".to_string()
        )],
        "{text}"
    );
    assert!(
        text.contains(
            "a shell reads `\\ ` as an escaped space and ends the command at the line break"
        ),
        "{text}"
    );
}

#[test]
fn a_sample_the_site_markup_fences_keeps_its_place() {
    // The layout shows a field endpaper's theme does not (`route`), so the doc is written
    // from the site's markup; its sample, a `code_block: |` value the layout fences (one
    // blank line more at its end), is still the one compose located.
    let (site, _) = common::fixture("unseen_sites-markup-sample-places");
    let found = findings(&site);
    assert!(
        found.contains(&("curl-unreadable".into(), "_calls/kettle.md:9:7".into())),
        "{found:?}"
    );
}

#[test]
fn unquoted_yes_no_on_off_are_booleans_as_jekyll_reads_yaml() {
    // Jekyll's Psych reads YAML 1.1: `required: no` is false, so the layout's
    // `{% if f.required %}` marks only `yes` and `ON`, and the quoted 'no' (a string);
    // `published: no` leaves the doc out. Jekyll 4.3.1's page, built from this fixture,
    // marks the same three.
    let (site, _) = common::fixture("unseen_sites-yaml11-booleans");
    site.build(&[]);
    let all = site.all_output();
    for (field, marked) in [
        ("cup", true),
        ("sugar", false),
        ("milk", false),
        ("saucer", true),
        ("spoon", true),
    ] {
        let li = if marked {
            format!("<li>{field} <em class=\"must\">must</em></li>")
        } else {
            format!("<li>{field}</li>")
        };
        assert!(all.contains(&li), "{li} missing");
    }
    assert!(
        !all.contains("Never shown"),
        "a `published: no` doc was built"
    );
    // Config values too: `off` is false.
    let config = endpaper::frontmatter::parse_config(
        &site.read_in("_config.yml"),
        std::path::Path::new("_config.yml"),
    )
    .unwrap();
    assert_eq!(config["show_drafts_note"], serde_json::Value::Bool(false));
}

#[test]
fn a_section_title_the_layout_prints_in_the_first_doc_is_not_repeated() {
    // The layout heads each section with `{{ c.title }}` inside its first doc's element;
    // endpaper's page heads the section itself, so the doc's markup leaves it out (and
    // keeps what else the layout shows: the `route` field).
    let (site, _) = common::fixture("unseen_sites-markup-sample-places");
    site.build(&[]);
    let page = site.read_out("index.html");
    let doc = common::element(&page, "calls-boil-the-kettle");
    assert!(doc.contains("https://kettle.example/boil"), "{doc}");
    assert!(!doc.contains(">Calls</h2>"), "{doc}");
}

#[test]
fn a_search_pages_data_is_neither_a_docs_markup_nor_a_page_of_docs() {
    // The menu (in the layout's header) shows `since` beside each doc's link, written
    // `/#rake` on every page but the index: the search page shows the field first. Its
    // script names every doc, but a script's text is no doc's markup: the doc keeps its
    // own part of the index page (its text and terms), and the search page, which lists
    // no doc, is not made a reference page holding one, nor are its ids given to a doc.
    let (site, _) = common::fixture("unseen_sites-search-page");
    site.build(&[]);
    let page = site.read_out("index.html");
    let rake = common::element(&page, "toolsrake");
    assert!(rake.contains("Gathers leaves into a heap."), "{rake}");
    assert!(rake.contains("twelve, of bent steel"), "{rake}");
    assert!(!page.contains("window.tools"), "{page}");
    assert!(!page.contains("id=\"search-hits\""), "{page}");
    assert!(!site.out().join("search/index.html").exists());
}

#[test]
fn a_search_page_is_said_once_to_be_the_sites_search_not_an_audience() {
    // The search page lists no doc: the report says what it is and why it is not written,
    // once, and no longer offers `--audience search` for docs that do not exist.
    let (site, _) = common::fixture("unseen_sites-search-page");
    let text = printed(&site, &["build", "."]);
    let said: Vec<&str> = text.lines().filter(|l| l.contains("search.html")).collect();
    assert_eq!(
        said,
        ["  search.html: the site's search page, not written: endpaper's reference page has its own search box, over every doc it shows"],
        "{text}"
    );
    assert!(!text.contains("--audience search"), "{text}");
}

#[test]
fn rows_without_a_separator_line_are_a_table_of_body_rows() {
    // kramdown reads `| a | b |` lines after a blank line, with no `|---|` line among them
    // and a blank line or the text's end after them, as a table with a tbody alone (one row
    // is enough); a line of text right after the rows leaves them a paragraph. Jekyll
    // 4.3.1's `markdownify` of this doc's `content_markdown` gives the same.
    let (site, _) = common::fixture("unseen_sites-rows-only-table");
    site.build(&[]);
    let page = site.read_out("index.html");
    let doc = common::element(&page, "apijars");
    let squeezed: String = doc.split_whitespace().collect();
    let jars = "<table><tbody><tr><td>Jar</td><td>Keeps</td></tr>\
        <tr><td>tall</td><td><code>rice</code></td></tr>\
        <tr><td>squat</td><td><strong>salt</strong></td></tr></tbody></table>";
    assert!(squeezed.contains(jars), "{doc}");
    let lid = "<table><tbody><tr><td>lid</td><td>screw</td></tr></tbody></table>";
    assert!(squeezed.contains(lid), "{doc}");
    assert!(!doc.contains("<thead>"), "{doc}");
    assert!(
        doc.contains("<p>| shelf | top |\nRead left to right.</p>"),
        "{doc}"
    );
    // Rows that are the whole text are a table too, with no blank line above them.
    let lids = common::element(&page, "apilids");
    let squeezed: String = lids.split_whitespace().collect();
    let rows = "<table><tbody><tr><td>cap</td><td>snapson</td></tr>\
        <tr><td>lid</td><td>screwson</td></tr></tbody></table>";
    assert!(squeezed.contains(rows), "{lids}");
}
