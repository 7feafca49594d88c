//! Jekyll's site and document model as endpaper reproduces it (issue 30): root pages read as
//! Jekyll 4.3 reads them, docs' `url`, `id` and `slug` from its permalink rules, and the
//! site's own anchors. Each fixture is the project's own; the expected values are what
//! Jekyll 4.3.1 gives for it.
use crate::common;
use common::{stderr, Site};

/// A page whose `---` is never closed is still a page in Jekyll (`Reader#read_directories`
/// makes a page of any file whose first line is `---`, `Utils.has_yaml_header?`), but
/// `Convertible#read_yaml` finds no front matter in it: no data but the `defaults:`, and its
/// whole text, the `---` line too, as content. A file that is only `---`, or opens with a
/// BOM, has no YAML header at all and is copied as a static file.
#[test]
fn a_root_page_whose_front_matter_never_closes_is_rendered_whole_like_jekyll() {
    let s = Site::fixture("jekyll_model-unclosed");
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

/// An Aviator-style site whose `projects` collection sets `permalink: "/#name"`: Jekyll's
/// `Document#id` joins the URL's folder (`/`) with the slug, so the layout's anchors
/// (`doc.id | replace: '/', '' | replace: '.', ''`) are `project` and `plan`, not
/// `projectsproject`; the `api` collection has none and keeps `/api/get`.
fn permalink_site() -> Site {
    Site::fixture("jekyll_model-permalink")
}

#[test]
fn a_collection_permalink_moves_ids_like_jekyll() {
    let s = permalink_site();
    let html = s.build(&[]);
    for (anchor, title) in [("project", "Project"), ("plan", "Plan"), ("apiget", "/get")] {
        assert!(
            common::element(&html, anchor).contains(&format!(">{title}<")),
            "{anchor}: {html}"
        );
    }
    // The layout's own anchors are the docs' ids: no alias is left to add.
    assert!(!html.contains("id=\"projectsproject\""), "{html}");
    // The docs' own links to those anchors resolve.
    let out = s.endpaper(&["check", ".", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_placeholder_jekyll_does_not_know_is_a_located_error() {
    let s = permalink_site();
    s.write(
        "_config.yml",
        "title: Moves\ncollections:\n  projects:\n    permalink: /:collection/:chapter/\n  api:\n    title: API\n",
    );
    let out = s.endpaper(&["build", "."]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("_config.yml:4:16") && err.contains("`:chapter`"),
        "{err}"
    );
    s.write(
        "_api/get.md",
        "---\ntitle: /get\npermalink: /x/:nope\n---\nx\n",
    );
    s.write(
        "_config.yml",
        "title: Moves\ncollections:\n  api:\n    title: API\n",
    );
    let err = stderr(&s.endpaper(&["build", "."]));
    assert!(
        err.contains("_api/get.md:3:1") && err.contains("`:nope`"),
        "{err}"
    );
}

/// `doc.url`, `doc.id` and `doc.slug` (and a doc's own `page.*`) as Jekyll 4.3.1 listed
/// them for this fixture: each collection's permalink, a doc's own, the default `date`
/// style's `:output_ext`, a date taken off the file name, categories.
#[test]
fn liquid_sees_each_docs_url_id_and_slug_as_jekyll_gives_them() {
    let s = Site::fixture("jekyll_model-ids");
    let html = s.build(&[]);
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(
        lines,
        [
            "_api/get order.md|/api/get%20order.html|/api/get order|get order",
            "_api/json.md|/custom/json.json|/custom/json|json",
            "_api/v1.2/list.orders.md|/api/v1.2/list.orders.html|/api/v1.2/list.orders|list.orders",
            "_api/versioning|/api/versioning|/api/versioning|versioning",
            "_guides/2020-01-02-intro.md|/guides/intro/|/guides/intro|intro",
            "_guides/start.md|/guides/Hello-World!/|/guides/Hello World!|Hello World!",
            "_notes/Rollout_Plan.md|/notes/ops/deploy/rollout-plan.html|/notes/ops/deploy/Rollout_Plan|Rollout_Plan",
            "_projects/plan.md|/#name|/plan|plan",
            "<p>I am /plan at /#name.</p>",
        ]
    );
}

/// A layout whose nav links each doc by its slug, and whose collection heading carries the
/// first doc's anchor (the doc itself has none); later docs carry theirs on an empty `<a>`.
/// Positions place a sub-item between two docs (`1.5`).
fn heading_site() -> Site {
    Site::fixture("jekyll_model-headings")
}

#[test]
fn a_collection_heading_that_takes_a_docs_anchor_names_that_doc() {
    let s = heading_site();
    let html = s.build(&[]);
    // Each doc's element carries the site's anchor, endpaper's Jekyll id inside it.
    for (site, own, title) in [
        ("start", "guidestart", "Start"),
        ("auth", "guideauth", "Auth"),
        ("list", "apilist", "/items"),
        ("get-one", "apiget-one", "/items/:id"),
        ("delete", "apidelete", "/items/:id (delete)"),
    ] {
        let doc = common::element(&html, site);
        assert!(
            doc.starts_with("<article")
                && doc.contains(&format!("<span id=\"{own}\"></span>"))
                && doc.contains(&format!(">{title}<")),
            "{site}: {doc}"
        );
        assert_eq!(
            html.matches(&format!(" id=\"{site}\"")).count(),
            1,
            "{site}"
        );
        // endpaper's nav leads there, and its scroll-spy knows the doc by that anchor.
        assert!(
            html.contains(&format!("href=\"#{site}\" data-anchor=\"{site}\"")),
            "{site}"
        );
    }
    // In the site's order, the sub-item between its neighbours.
    let at = |id: &str| html.find(&format!(" id=\"{id}\"")).unwrap();
    assert!(at("start") < at("auth") && at("auth") < at("list"));
    assert!(at("list") < at("get-one") && at("get-one") < at("delete"));
}

#[test]
fn links_to_the_sites_anchors_are_not_broken_for_check() {
    // `start.md` links `#auth`, `delete.md` `#start`: the site's anchors of those docs.
    let s = heading_site();
    let out = s.endpaper(&["check", ".", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
    s.write(
        "_api/list.md",
        "---\ntitle: /items\nposition: 1\n---\nSee [x](#nowhere).\n",
    );
    let out = s.endpaper(&["check", ".", "--strict"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("_api/list.md:5:9"),
        "{}",
        stderr(&out)
    );
}

/// `serve` re-reads only a doc that changed; a new `url` with the same anchor must still
/// reach the other docs whose Liquid reads it (`site.api[0].url`).
#[test]
fn a_docs_new_url_reaches_the_docs_that_read_it_when_serving() {
    use endpaper::build::{BuildOptions, Mode, Session};
    let s = Site::fixture("jekyll_model-url");
    let hl = endpaper::highlight::Highlighter::new();
    let opts = BuildOptions::new(s.path());
    let mut session = Session::new(opts.clone(), Mode::Serve);
    let first = session.build(&hl, None, None, &mut |_| {}).unwrap();
    assert!(s.read_out("index.html").contains("A lives at /a.html."));
    s.write("_api/a.md", "---\ntitle: A\npermalink: /a/\n---\nA.\n");
    let only: std::collections::BTreeSet<String> = ["_api/a.md".to_string()].into();
    session
        .build(&hl, Some(&first), Some(&only), &mut |_| {})
        .unwrap();
    let html = s.read_out("index.html");
    assert!(html.contains("A lives at /a/."), "{html}");
    assert!(
        common::element(&html, "a").contains(">A<"),
        "the anchor is unchanged"
    );
}
