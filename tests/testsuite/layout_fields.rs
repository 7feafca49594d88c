//! Whatever a site's layout shows for a doc, endpaper's theme shows too (issue 30, point 2).
//! `tests/fixtures/layout-fields` is the project's own site: its layout shows a parameter
//! table with columns of its own (`type`, `mandatory`, `default`, `description`, ranges from
//! `parameter.values`), a `remark` line and an `examples` table (`create_gadget`), a second
//! code section (`right_request_blocks`) and a prose field (`content_markdown_method`,
//! `tune_gadget`); `ping` has only the fields endpaper's theme shows, and a `nav_label` the
//! layout prints in its nav only (navigation, not content: `ping` stays endpaper's own).
//!
//! `tests/fixtures/layout-fields.jekyll.html` is Jekyll 4.3.1's build of it (Debian's
//! `jekyll`), and `layout-fields.flat.jekyll.html` its build with the flat root page
//! `layout-fields.flat-index.html`: committed, so the comparison runs everywhere; when `jekyll` is installed the
//! test builds the fixture again and checks that file is still what Jekyll gives.
use crate::common;
use std::collections::BTreeSet;
use std::path::Path;

const FIXTURE: &str = "layout-fields";

fn reference() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-fields.jekyll.html");
    std::fs::read_to_string(path).unwrap()
}

/// The visible text of `html`: tags dropped, entities decoded.
pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    endpaper::model::decode_entities(&out)
}

fn words(s: &str) -> BTreeSet<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// Each `<section class="doc-content">` of Jekyll's page: its anchor (the first `<a id>`)
/// and its HTML.
fn jekyll_docs(html: &str) -> Vec<(String, String)> {
    html.split("<section class=\"doc-content\">")
        .skip(1)
        .map(|part| {
            let id = part.split("<a id=\"").nth(1).unwrap();
            let id = id[..id.find('"').unwrap()].to_string();
            (id, part.to_string())
        })
        .collect()
}

/// The text of every `<td>` of `html`.
fn cells(html: &str) -> Vec<String> {
    html.split("<td>")
        .skip(1)
        .map(|c| text(&c[..c.find("</td>").unwrap()]).trim().to_string())
        .collect()
}

/// The code of every `<pre>` of `html`, line by line, blank lines left out.
fn code_lines(html: &str) -> Vec<String> {
    html.split("<pre")
        .skip(1)
        .flat_map(|p| {
            let p = &p[p.find('>').unwrap() + 1..p.find("</pre>").unwrap()];
            text(p)
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `html` without each run from `open` to the first `end` after it.
fn without(html: &str, open: &str, end: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find(end).unwrap() + end.len()..];
    }
    out.push_str(rest);
    out
}

/// `html` without its `<pre>` elements.
pub(crate) fn without_code(html: &str) -> String {
    without(html, "<pre", "</pre>")
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every word (outside code), table cell and code line Jekyll shows for each doc of
/// `docs` (anchor, Jekyll's HTML of it) is on endpaper's page in that doc's element; the
/// cells are in search, its twin and `llms-full.txt` too, the code in its twin.
fn assert_jekylls_docs_shown(site: &common::Site, page: &str, docs: &[(String, String)]) {
    let search = site.read_out("search-text.js");
    let llms = site.read_out("llms-full.txt");
    for (anchor, jekyll) in docs {
        let article = common::element(page, anchor);
        let shown = text(article);
        let source = article.split("data-source=\"_").nth(1).unwrap();
        let twin = site.read_out(&source[..source.find('"').unwrap()]);
        // Words outside code (code is compared line by line below).
        let missing: Vec<String> = words(&text(&without_code(jekyll)))
            .difference(&words(&text(&without_code(article))))
            .cloned()
            .collect();
        assert!(
            missing.is_empty(),
            "{anchor}: Jekyll shows {missing:?}, endpaper's page does not"
        );
        for cell in cells(jekyll) {
            assert!(
                squeeze(&shown).contains(&cell),
                "{anchor}: cell {cell:?} not on the page"
            );
            assert!(
                search.contains(&cell),
                "{anchor}: cell {cell:?} not in search-text.js"
            );
            assert!(
                twin.contains(&cell),
                "{anchor}: cell {cell:?} not in the twin:\n{twin}"
            );
            assert!(
                llms.contains(&cell),
                "{anchor}: cell {cell:?} not in llms-full.txt"
            );
        }
        // Code compared without blanks: highlighting spans split tokens differently.
        let bare = |s: &str| s.split_whitespace().collect::<String>();
        for line in code_lines(jekyll) {
            let line = bare(&line);
            assert!(
                bare(&shown).contains(&line),
                "{anchor}: code {line:?} not on the page"
            );
            assert!(
                bare(&twin).contains(&line),
                "{anchor}: code {line:?} not in the twin"
            );
        }
    }
}

#[test]
fn every_word_cell_and_code_line_jekyll_shows_is_on_the_page_in_search_and_in_the_twin() {
    let (site, _) = common::fixture(FIXTURE);
    let page = site.build(&[]);
    let search = site.read_out("search-text.js");
    let docs = jekyll_docs(&reference());
    assert_eq!(docs.len(), 3);
    assert_jekylls_docs_shown(&site, &page, &docs);
    // The layout's cells in the table endpaper shows, in Jekyll's order.
    let create = common::element(&page, "gadgetscreate_gadget");
    let (_, jekyll_create) = &docs[1];
    assert_eq!(cells(create), cells(jekyll_create));
    assert!(search.contains("keep a copper finish"), "{search}");

    // The second code section's samples are samples: highlighted, grouped into tabs with
    // `right_code`'s, in the layout's order.
    let tune = common::element(&page, "gadgetstune_gadget");
    let code = &tune[tune.find("ep-doc-code").unwrap()..];
    let tabs: Vec<&str> = code
        .split("role=\"tab\"")
        .skip(1)
        .map(|t| {
            let t = &t[t.find('>').unwrap() + 1..];
            &t[..t.find('<').unwrap()]
        })
        .collect();
    assert_eq!(tabs, ["Response", "Curl", "Python"]);
    assert!(
        code.contains("data-lang=\"python\"") && code.contains("<x-"),
        "{code}"
    );
    assert!(
        tune.contains("Tuning happens <strong>in place</strong>"),
        "{tune}"
    );
    // Not shown twice: the frame writes the title and description once.
    assert_eq!(
        tune.matches("Turns the dials of one gadget.").count(),
        1,
        "{tune}"
    );
    assert_eq!(tune.matches("<h3").count(), 0, "{tune}");

    // The OpenAPI export's description has what the layout adds.
    let openapi = site.read_out("openapi.json");
    assert!(openapi.contains("keep a copper finish"), "{openapi}");
    assert!(openapi.contains("while the spindle turns"), "{openapi}");
}

#[test]
fn the_migration_report_names_each_doc_shown_with_the_sites_markup_and_why() {
    let (_, err) = built(FIXTURE);
    let line = |rel: &str| report_line(&err, rel);
    let create = line("_gadgets/create_gadget.md");
    for f in [
        "`remark`",
        "`parameters[].type`",
        "`parameters[].values[]`",
        "`examples[].input`",
    ] {
        assert!(create.contains(f), "{create}");
    }
    let tune = line("_gadgets/tune_gadget.md");
    for f in [
        "`content_markdown_method`",
        "`right_request_blocks[].code_block`",
    ] {
        assert!(tune.contains(f), "{tune}");
    }
    assert!(!err.contains("_gadgets/ping.md:"), "{err}");
}

/// A doc with only the fields endpaper's theme shows is composed as before: its article is
/// the same byte for byte whether the site's layout shows extra fields of other docs or
/// not; and without them in the layout, no doc is shown with the site's markup.
#[test]
fn a_doc_with_only_standard_fields_is_unchanged() {
    let (rich, _) = common::fixture(FIXTURE);
    let rich_page = rich.build(&[]);
    let (plain, _) = common::fixture(FIXTURE);
    let index =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-fields.plain-index.html");
    plain.write("index.html", &std::fs::read_to_string(index).unwrap());
    let plain_page = plain.build(&[]);
    assert_eq!(
        common::element(&rich_page, "gadgetsping"),
        common::element(&plain_page, "gadgetsping")
    );
    assert_eq!(
        rich.read_out("gadgets/ping.md"),
        plain.read_out("gadgets/ping.md")
    );
    // The plain layout shows no remark: endpaper's own composition, without it.
    assert!(!common::element(&plain_page, "gadgetscreate_gadget").contains("copper"));
    assert!(common::element(&rich_page, "gadgetscreate_gadget").contains("copper"));
}

/// The committed reference is what Jekyll gives: checked live where Jekyll is installed
/// (`apt-get install jekyll`), a shown skip elsewhere.
#[test]
fn the_committed_reference_is_what_jekyll_builds() {
    let (site, path) = common::fixture(FIXTURE);
    let dest = site.path().join("_jekyll_site");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let flat = std::fs::read_to_string(fixtures.join("layout-fields.flat-index.html")).unwrap();
    let flat_reference =
        std::fs::read_to_string(fixtures.join("layout-fields.flat.jekyll.html")).unwrap();
    for (index, expected) in [(None, reference()), (Some(flat), flat_reference)] {
        if let Some(index) = index {
            site.write("index.html", &index);
        }
        let Some(page) = common::jekyll_index(&path, &dest) else {
            return;
        };
        assert_eq!(page, expected);
    }
}

/// `theme: site` writes the fixture as Jekyll does: the same page, highlighting spans and
/// blank lines aside (Rouge's token classes are its own).
#[test]
fn theme_site_writes_the_page_jekyll_writes() {
    let (site, _) = common::fixture(FIXTURE);
    let page = site.build(&["--theme", "site"]);
    let plain = |html: &str| -> Vec<String> {
        without(html, "<span", ">")
            .replace("</span>", "")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(plain(&page), plain(&reference()));
}

/// What is cut out of the site's page is read again when the layout changes, and the body
/// comes from the doc as it is now: a `serve` rebuild and a cached build write what a clean
/// build writes after a body edit and after a layout edit.
#[test]
fn rebuilds_after_a_body_or_layout_edit_write_what_a_clean_build_writes() {
    use endpaper::build::{self, BuildOptions, Mode, Session};
    use endpaper::highlight::Highlighter;
    let (site, _) = common::fixture(FIXTURE);
    let work = tempfile::tempdir().unwrap();
    let hl = Highlighter::new();
    let opts = |out: &str, cache: Option<&str>| BuildOptions {
        output: Some(work.path().join(out)),
        cache: cache.map(|c| work.path().join(c)),
        ..BuildOptions::new(site.path())
    };
    let clean = |name: &str| {
        build::build(&opts(name, None), &hl, Mode::Build { strict: false }).unwrap();
        common::tree(&work.path().join(name))
    };
    let serve = opts("serve", None);
    let mut session = Session::new(serve, Mode::Serve);
    let mut last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    build::build(
        &opts("cached", Some("cache")),
        &hl,
        Mode::Build { strict: false },
    )
    .unwrap();
    let gadget = "_gadgets/create_gadget.md";
    let text = std::fs::read_to_string(site.path().join(gadget)).unwrap();
    site.write(
        gadget,
        &text.replace("numbered in order", "numbered by colour"),
    );
    let only: std::collections::BTreeSet<String> = [gadget.to_string()].into();
    last = session
        .build(&hl, Some(&last), Some(&only), &mut |_| {})
        .unwrap();
    build::build(
        &opts("cached", Some("cache")),
        &hl,
        Mode::Build { strict: false },
    )
    .unwrap();
    let reference = clean("clean-1");
    let page = String::from_utf8_lossy(&reference["index.html"]).to_string();
    let article = common::element(&page, "gadgetscreate_gadget");
    assert!(article.contains("numbered by colour") && article.contains("copper"));
    assert_eq!(common::tree(&work.path().join("serve")), reference);
    assert_eq!(common::tree(&work.path().join("cached")), reference);

    let index = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    site.write("index.html", &index.replace("Remark:", "Mind this:"));
    session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    build::build(
        &opts("cached", Some("cache")),
        &hl,
        Mode::Build { strict: false },
    )
    .unwrap();
    let reference = clean("clean-2");
    let page = String::from_utf8_lossy(&reference["index.html"]).to_string();
    assert!(common::element(&page, "gadgetscreate_gadget").contains("Mind this:"));
    assert_eq!(common::tree(&work.path().join("serve")), reference);
    assert_eq!(common::tree(&work.path().join("cached")), reference);
}

/// A flat layout (`layout-fields.flat-index.html`): no element per doc, each doc headed by
/// its `name` with its `slug` as id, its content and its second code section following the
/// heading; the page's footer follows the last doc.
#[test]
fn a_flat_layout_headed_by_name_is_read_as_jekyll_shows_it() {
    let (site, _) = common::fixture(FIXTURE);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let index = fixtures.join("layout-fields.flat-index.html");
    site.write("index.html", &std::fs::read_to_string(index).unwrap());
    let page = site.build(&[]);
    let reference =
        std::fs::read_to_string(fixtures.join("layout-fields.flat.jekyll.html")).unwrap();
    let main = &reference[..reference.find("<footer").unwrap()];
    let docs: Vec<(String, String)> = main
        .split("<h2 id=\"")
        .skip(1)
        .map(|d| {
            (
                d[..d.find('"').unwrap()].to_string(),
                format!("<h2 id=\"{d}"),
            )
        })
        .collect();
    assert_eq!(docs.len(), 3);
    assert_jekylls_docs_shown(&site, &page, &docs);
    let tune = common::element(&page, "tune_gadget");
    assert!(
        !tune.contains(">end<"),
        "the page's footer is no doc's: {tune}"
    );
    assert_eq!(tune.matches("role=\"tab\"").count(), 2, "{tune}");
    assert!(common::element(&page, "create_gadget").contains("copper"));
    assert!(!common::element(&page, "ping").contains("copper"));
}

/// The layout's parameter table becomes the operation's parameters: each row's name, its
/// `Type` as the schema, `Mandatory` as `required`, `Default` typed by the schema, the
/// description with the columns the export has no field for (`Ranges`); not the body of a
/// `post`, since a table lists a request's parameters.
#[test]
fn the_layouts_parameter_table_becomes_the_operations_parameters() {
    let (site, _) = common::fixture(FIXTURE);
    site.build(&[]);
    let spec: serde_json::Value = serde_json::from_str(&site.read_out("openapi.json")).unwrap();
    let op = &spec["paths"]["/gadgets"]["post"];
    assert_eq!(
        op["parameters"],
        serde_json::json!([
            {
                "name": "colour", "in": "query", "required": true,
                "schema": {"type": "string", "default": "teal"},
                "description": "The shade painted on the lid. Ranges: teal, amber, slate."
            },
            {
                "name": "dials", "in": "query",
                "schema": {"type": "integer", "default": 3},
                "description": "How many dials the front carries. Ranges: 1, 12."
            }
        ])
    );
    assert!(op.get("requestBody").is_none(), "{op}");
}

/// Fixture `name` built (it must succeed), with what the build said.
pub(crate) fn built(name: &str) -> (common::Site, String) {
    let (site, _) = common::fixture(name);
    let out = site.endpaper(&["build", "."]);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    (site, said)
}

/// The migration report's line about `rel`.
pub(crate) fn report_line(said: &str, rel: &str) -> String {
    said.lines()
        .find(|l| l.trim_start().starts_with(rel))
        .unwrap_or_else(|| panic!("no report line for {rel}:\n{said}"))
        .to_string()
}
