use super::*;

/// `html` placed on page `page` of a site under `/docs`, its marks those of raw HTML.
fn placed(
    html: &str,
    page: &str,
    used: &mut HashSet<String>,
    anchors: &HashMap<&str, &str>,
) -> String {
    let mut marks = Vec::new();
    crate::document::raw_marks(html, 0, &mut marks);
    let root = "../".repeat(page.matches('/').count());
    let here = Here {
        page,
        root: &root,
        base: "/docs",
        page_of_anchor: anchors,
    };
    place(html, &marks, used, &here)
}

/// A site that signs in with an OAuth2 authorization code, so it writes the redirect page.
fn signing_in(overrides: &[(&str, &str)]) -> Result<Renderer> {
    let yaml = "title: Ferry\nendpaper:\n  security:\n    signin:\n      type: oauth2\n      flows:\n        authorizationCode:\n          authorizationUrl: https://id.example/a\n          tokenUrl: https://id.example/t\n          scopes: {}\n";
    let config = Config::parse(yaml, std::path::Path::new("_config.yml")).unwrap();
    let overrides = overrides
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    Renderer::new(&config, "", &overrides)
}

#[test]
fn a_deferred_built_in_is_parsed_when_its_page_is_written_with_the_sites_head() {
    let renderer = signing_in(&[]).unwrap();
    let names: Vec<&str> = renderer.tera.get_template_names().collect();
    for name in DEFERRED {
        assert!(!names.contains(name), "{name} parsed up front: {names:?}");
    }
    let page = renderer.oauth2_redirect().unwrap().unwrap();
    assert!(page.contains("<title>Signing in — Ferry</title>"), "{page}");

    // Parsed later, it still imports the site's own head.html.
    let head = "{%- macro start(title, noindex=false) -%}<title>mine: {{ title }}</title>{%- endmacro start -%}{%- macro style(root, favicon) -%}{%- endmacro style -%}";
    let page = signing_in(&[("head.html", head)])
        .unwrap()
        .oauth2_redirect()
        .unwrap()
        .unwrap();
    assert!(
        page.contains("<title>mine: Signing in — Ferry</title>"),
        "{page}"
    );
}

#[test]
fn a_site_template_that_extends_a_deferred_built_in_compiles() {
    let own = r#"{% extends "oauth2-redirect.html" %}"#;
    let renderer = signing_in(&[("mine.html", own)]).unwrap();
    assert!(renderer
        .tera
        .get_template_names()
        .any(|n| n == OAUTH2_REDIRECT));
    // A site's own redirect page is the one written.
    let own = "<p>{{ page.title }}</p>";
    let page = signing_in(&[(OAUTH2_REDIRECT, own)])
        .unwrap()
        .oauth2_redirect()
        .unwrap()
        .unwrap();
    assert_eq!(page, "<p>Signing in — Ferry</p>");
}

#[test]
fn heading_ids_become_unique_per_page_and_links_follow() {
    let mut used = HashSet::new();
    let anchors: HashMap<&str, &str> = [("filesupload", "index.html")].into();
    let a = placed(
        "<h3 id=\"url-parameters\">U</h3>",
        "index.html",
        &mut used,
        &anchors,
    );
    assert_eq!(a, "<h3 id=\"url-parameters\">U</h3>");
    let b = placed("<h3 id=\"url-parameters\">U</h3><a href=\"#url-parameters\">x</a><h4 id=\"filesupload\">F</h4>", "index.html", &mut used, &anchors);
    assert_eq!(b, "<h3 id=\"url-parameters-1\">U</h3><a href=\"#url-parameters-1\">x</a><h4 id=\"filesupload-1\">F</h4>");
    let c = placed(
        "<hr><h2 id=\"url-parameters\">",
        "index.html",
        &mut used,
        &anchors,
    );
    assert_eq!(c, "<hr><h2 id=\"url-parameters-2\">");
}

#[test]
fn urls_work_from_disk_and_across_split_pages() {
    let pages: HashMap<&str, &str> = [("filesupload", "files/index.html"), ("intro", "index.html")]
        .into_iter()
        .collect();
    let html = r##"<a href="#filesupload">u</a><a href="#intro">i</a><img src="/docs/images/a.png"><a href="/#filesupload">r</a><a href="/">home</a><a href="//cdn/x">c</a><a href="https://x/y">x</a><p title="/keep">"##;
    let out = placed(html, "orders/2.html", &mut HashSet::new(), &pages);
    assert_eq!(
        out,
        r##"<a href="../files/index.html#filesupload">u</a><a href="../index.html#intro">i</a><img src="../images/a.png"><a href="../files/index.html#filesupload">r</a><a href="../index.html">home</a><a href="//cdn/x">c</a><a href="https://x/y">x</a><p title="/keep">"##
    );
    assert_eq!(
        placed(
            r##"<a href="#intro">"##,
            "index.html",
            &mut HashSet::new(),
            &pages
        ),
        r##"<a href="#intro">"##
    );
}

/// The model's own headings and links are marked as they are written, so a page
/// fills them in without reading its docs' HTML; text that looks like an attribute
/// (an HTML sample in inline code) is text, and stays as written.
#[test]
fn the_models_headings_and_links_are_placed_and_its_text_is_not() {
    let md =
        "## Intro\n\nSee [files](#filesupload), ![a](/docs/a.png) and `<a href=\"/docs/x\">`.\n";
    let mut html = String::new();
    let mut marks = Vec::new();
    for block in crate::markdown::render_as(md, crate::document::Markup::Endpaper).blocks {
        if let crate::markdown::Block::Html(part) = block {
            crate::document::write_html_linked(
                &part.nodes,
                crate::document::Markup::Endpaper,
                None,
                &mut html,
                &mut marks,
            );
        }
    }
    let anchors: HashMap<&str, &str> =
        [("filesupload", "files/index.html"), ("intro", "index.html")].into();
    let here = Here {
        page: "orders/2.html",
        root: "../",
        base: "/docs",
        page_of_anchor: &anchors,
    };
    assert_eq!(
        place(&html, &marks, &mut HashSet::new(), &here),
        "<h2 id=\"intro-1\">Intro</h2><p>See <a href=\"../files/index.html#filesupload\">files</a>, <img src=\"../a.png\" alt=\"a\" /> and <code>&lt;a href=\"/docs/x\"&gt;</code>.</p>"
    );
}

#[test]
fn pages_split_by_section_beyond_the_limit() {
    let doc = |a: &str| PageDoc {
        anchor: a.into(),
        ..PageDoc::default()
    };
    let sections = vec![
        PageSection {
            label: "a".into(),
            title: "A".into(),
            docs: (0..3).map(|i| doc(&format!("a{i}"))).collect(),
        },
        PageSection {
            label: "b".into(),
            title: "B".into(),
            docs: (0..5).map(|i| doc(&format!("b{i}"))).collect(),
        },
    ];
    assert_eq!(
        plan(
            &sections,
            &Options {
                single_page_max_docs: 8,
                page_max_docs: 2,
                ..Options::default()
            }
        )
        .len(),
        1
    );
    let plans = plan(
        &sections,
        &Options {
            single_page_max_docs: 7,
            page_max_docs: 2,
            ..Options::default()
        },
    );
    let paths: Vec<&str> = plans.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "index.html",
            "a/2.html",
            "b/index.html",
            "b/2.html",
            "b/3.html"
        ]
    );
    assert_eq!(link("b/2.html", "index.html", "a0"), "../index.html#a0");
    assert_eq!(link("index.html", "b/3.html", "b4"), "b/3.html#b4");
}

#[test]
fn a_condition_tests_a_name_unescaped_and_takes_the_same_branch() {
    let own = r#"{% if page.title %}[{{ page.title }}]{% endif %}{% if not page.root or page.title %}!{% endif %}{% if page.none | default(value="x") %}?{% endif %}"#;
    let renderer = signing_in(&[(OAUTH2_REDIRECT, own)]).unwrap();
    // Every condition's bare name, on the built-in pages and the site's own, is read as
    // `safe`; one with a filter of its own keeps just that.
    let page = &renderer.tera.templates["page.html"];
    let code = format!("{:?}", page.ast);
    assert!(
        code.contains(
            r#"Ident("doc.code"), negated: false, filters: [FunctionCall { name: "safe""#
        ),
        "{code}"
    );
    let own = format!("{:?}", renderer.tera.templates[OAUTH2_REDIRECT].ast);
    assert_eq!(own.matches(r#"name: "safe""#).count(), 3, "{own}");
    assert_eq!(own.matches(r#"name: "default""#).count(), 1, "{own}");
    // What is tested escapes to text no emptier: the branches are those Tera took.
    let page = renderer.oauth2_redirect().unwrap().unwrap();
    assert_eq!(page, "[Signing in — Ferry]!?");
}
