//! Small Aviator-style sites of the project's own, written for issue 30's "sites we have not
//! seen": each follows patterns real sites use, was built with Jekyll 4.3.1 (Debian's
//! `jekyll`), and its reference (`tests/fixtures/layout-NAME.jekyll.html`) is committed.
//!
//! - `layout-ferry`: `collections_dir: api`, collection permalinks, `defaults:` giving every
//!   route a `badge` the layout prints in the doc's heading, a parameter table written by an
//!   include with parameters (`Name`/`In`/`Type`/`Required`/`Default`), fractional positions.
//! - `layout-loom`: docs grouped under headings from `_data` by `where: "group", …`, a
//!   `warning` passed to an include as a parameter, and a flag from `defaults:` (`signed:
//!   true`) that makes the layout print a callout.
//! - `layout-tides`: `permalink: "/#:name"`, collection headings that take the first doc's
//!   anchor, kramdown's `{:toc}`, footnotes, abbreviations and `parse_block_html`.
//! - `layout-quay`: `permalink: pretty`, sub-docs listed under their `parent`, an include
//!   with parameters, `_data` and `{% raw %}` in doc bodies, an HTML doc, and a doc with
//!   `published: false`.
//! - `layout-kiln`: a markdown root page, `baseurl: /docs`, docs in version folders
//!   (`_api/v1`, `_api/v2`) sorted by `path`, anchors from `slug | slugify`, a `defaults:`
//!   scope by folder giving v1 docs a `deprecated` line, and a link written
//!   `{{ site.baseurl }}/#schedule`.
use crate::common;
use crate::layout_fields::{built, report_line, text, without_code};
use std::collections::BTreeSet;
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn reference(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(format!("{name}.jekyll.html"))).unwrap()
}

/// Each `<section class="doc-content">` of Jekyll's page with an `<a id>` of its own: that
/// anchor and the section (to its last `</section>`: not the headings after it).
fn jekyll_docs(html: &str) -> Vec<(String, String)> {
    html.split("<section class=\"doc-content\">")
        .skip(1)
        .map(|part| {
            let part = &part[..part.rfind("</section>").unwrap()];
            let id = part.split("<a id=\"").nth(1).unwrap();
            (id[..id.find('"').unwrap()].to_string(), part.to_string())
        })
        .collect()
}

fn words(html: &str) -> BTreeSet<String> {
    text(&without_code(html))
        .split_whitespace()
        .map(str::to_lowercase)
        .collect()
}

/// Every word Jekyll shows for each doc (outside code, any case) is in endpaper's article
/// of it, and the docs come in Jekyll's order.
fn assert_docs_shown(page: &str, docs: &[(String, String)]) {
    let at: Vec<usize> = docs
        .iter()
        .map(|(a, _)| page.find(&format!("id=\"{a}\"")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not in Jekyll's order");
    for (anchor, jekyll) in docs {
        let article = common::element(page, anchor);
        let missing: Vec<String> = words(jekyll).difference(&words(article)).cloned().collect();
        assert!(
            missing.is_empty(),
            "{anchor}: Jekyll shows {missing:?}, endpaper's page does not:\n{article}"
        );
    }
}

#[test]
fn collections_under_collections_dir_keep_jekylls_ids_heading_badges_and_table_parameters() {
    let (site, _) = common::fixture("layout-ferry");
    let page = site.build(&[]);
    let docs = jekyll_docs(&reference("layout-ferry"));
    assert_eq!(docs.len(), 6);
    assert_docs_shown(&page, &docs);
    // The heading's badge stays when the frame writes the heading.
    let hold = common::element(&page, "routeshold_seat");
    assert!(hold.contains("<span class=\"badge\">beta</span>"), "{hold}");
    // The include's table: `In` places a row, else the path names it or it is a query one.
    let spec: serde_json::Value = serde_json::from_str(&site.read_out("openapi.json")).unwrap();
    let params = |path: &str, method: &str| spec["paths"][path][method]["parameters"].clone();
    let placed = |v: serde_json::Value| -> Vec<(String, String, bool)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    p["in"].as_str().unwrap().to_string(),
                    p["required"] == true,
                )
            })
            .collect()
    };
    let s = |x: &str| x.to_string();
    assert_eq!(
        placed(params("/sailings/{id}/holds", "post")),
        [
            (s("id"), s("path"), true),
            (s("X-Ferry-Key"), s("header"), true),
            (s("bicycle"), s("query"), false)
        ]
    );
    let list = params("/piers/{pier}/sailings", "get");
    assert_eq!(
        list[1]["schema"],
        serde_json::json!({"type": "string", "format": "date"})
    );
    assert_eq!(
        list[2]["schema"],
        serde_json::json!({"type": "integer", "default": 20})
    );
    assert_eq!(list[2]["description"], "At most this many sailings.");
}

/// A folder of the collection's name at the root is no collection when `collections_dir`
/// is set: Jekyll leaves it out, and endpaper says so at the file.
#[test]
fn a_collection_folder_outside_collections_dir_is_named_and_left_out() {
    let (site, _) = common::fixture("layout-ferry");
    site.write(
        "_routes/stray.md",
        "---\ntitle: /stray\ntype: get\n---\nNot read.\n",
    );
    let out = site.endpaper(&["build", "."]);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("_routes/stray.md (file in a folder outside `collections_dir:`)"),
        "{said}"
    );
    assert!(!site.read_out("index.html").contains("/stray"));
}

#[test]
fn a_field_passed_to_an_include_and_a_flag_that_adds_text_are_shown_as_the_layout_shows_them() {
    let (site, said) = built("layout-loom");
    let line = |rel: &str| report_line(&said, rel);
    assert!(line("_orders/create_order.md").contains("`warning`"));
    assert!(line("_webhooks/order_shipped.md").contains("`signed`"));
    assert!(!said.contains("_orders/cancel_order.md: shown"), "{said}");
    let page = site.read_out("index.html");
    let docs = jekyll_docs(&reference("layout-loom"));
    assert_eq!(docs.len(), 4);
    assert_docs_shown(&page, &docs);
    assert!(common::element(&page, "orderscreate_order").contains("<strong>200 m</strong>"));
}

/// The ids Jekyll's page gives: `elements` of the page that carry them.
fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn anchors_of_hash_permalinks_and_collection_headings_resolve_in_jekylls_order() {
    let (site, _) = common::fixture("layout-tides");
    let page = site.build(&[]);
    let reference = reference("layout-tides");
    // Each doc's anchor: on the collection's heading for the first doc of each collection.
    let anchors: Vec<String> = ids(&reference)
        .into_iter()
        .filter(|id| !id.contains("markdown-toc") && !id.contains("fn"))
        .collect();
    assert_eq!(
        anchors,
        [
            "overview",
            "where-gauges-stand",
            "how-levels-are-measured",
            "list_stations",
            "station_detail",
            "readingslatest",
            "readingsseries"
        ]
    );
    let at: Vec<usize> = anchors
        .iter()
        .map(|a| {
            page.find(&format!("id=\"{a}\""))
                .unwrap_or_else(|| panic!("#{a} does not resolve"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not in Jekyll's order");
}

/// kramdown's own features in a doc's body: `{:toc}`, footnotes, abbreviations,
/// `parse_block_html`: every anchor of Jekyll's page resolves on endpaper's.
#[test]
fn kramdowns_toc_footnotes_abbreviations_and_block_html_are_as_jekyll_renders_them() {
    let (site, _) = common::fixture("layout-tides");
    let page = site.build(&[]);
    let reference = reference("layout-tides");
    for id in ids(&reference) {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "#{id} does not resolve"
        );
    }
    assert!(page.contains("<abbr title=\"Global System for Mobile communications\">GSM</abbr>"));
    assert!(page.contains("its last reading stays available"));
    assert!(
        !page.contains("`\"active\": false`"),
        "markdown in a <div> is read"
    );
}

/// The committed references are what Jekyll gives: checked live where Jekyll is installed,
/// a shown skip elsewhere.
#[test]
fn the_committed_references_are_what_jekyll_builds() {
    for name in [
        "layout-ferry",
        "layout-loom",
        "layout-tides",
        "layout-quay",
        "layout-kiln",
    ] {
        let (site, path) = common::fixture(name);
        let dest = site.path().join("_jekyll_site");
        let Some(page) = common::jekyll_index(&path, &dest) else {
            return;
        };
        assert_eq!(page, reference(name), "{name}");
    }
}

/// A doc with `published: false` is left out, as Jekyll leaves it out, with a note at its
/// file; the others are shown as Jekyll shows them, sub-docs after their parent.
#[test]
fn an_unpublished_doc_is_left_out_with_a_note_as_jekyll_leaves_it_out() {
    let (site, said) = built("layout-quay");
    assert!(
        said.contains("`published: false`: left out of the build")
            && said.contains("_berths/draft.md:1:1"),
        "{said}"
    );
    let page = site.read_out("index.html");
    assert!(
        !page.contains("/berths/moorings"),
        "the unpublished doc is on the page"
    );
    let docs = jekyll_docs(&reference("layout-quay"));
    assert_eq!(docs.len(), 4);
    assert_docs_shown(&page, &docs);
    let site_page = site.build(&["--theme", "site"]);
    assert!(!site_page.contains("Not ready."), "{site_page}");
    assert!(site_page.contains("{{ boat.name }}"), "{site_page}");
}

/// Anchors from `slug | slugify` on a markdown root page, in the order `sort: "path"` gives,
/// a folder-scoped default the layout prints, and the page text `theme: site` writes.
#[test]
fn slug_anchors_folder_defaults_and_a_markdown_root_page_are_as_jekyll_shows_them() {
    let (site, _) = built("layout-kiln");
    let page = site.read_out("index.html");
    let reference = reference("layout-kiln");
    let anchors = ids(&reference);
    assert_eq!(anchors, ["start", "schedule", "start-firing"]);
    let at: Vec<usize> = anchors
        .iter()
        .map(|a| page.find(&format!("id=\"{a}\"")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not in Jekyll's order");
    let v1 = common::element(&page, "start");
    assert!(v1.contains("Version 1 is retired"), "{v1}");
    assert!(!common::element(&page, "start-firing").contains("retired"));
    let site_page = site.build(&["--theme", "site"]);
    assert_eq!(
        text(&site_page).split_whitespace().collect::<Vec<_>>(),
        text(&reference).split_whitespace().collect::<Vec<_>>()
    );
}

/// `{{ site.baseurl }}/#schedule` is the site's own page: the link is written `#schedule`
/// and resolves, so the link check should not call it broken.
#[test]
fn a_link_under_baseurl_to_the_root_page_is_not_broken() {
    let (site, _) = common::fixture("layout-kiln");
    let out = site.endpaper(&["build", "."]);
    let said = common::stderr(&out);
    assert!(!said.contains("broken-link"), "{said}");
}
