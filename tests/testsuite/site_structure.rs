//! The site's own structure (issue 10): root pages rendered with the site's layouts decide
//! which docs each reference page lists and in which order, which anchors still resolve,
//! and, with `theme: site`, the pages themselves. The fixture is a small Norwegian/Japanese
//! API site whose layout names docs its own way, whose index is assembled from includes in
//! the order of a `_data` file, and which has a second root page for another audience
//! (`tests/fixtures/site_structure-fjell`).
use crate::common;
use common::{stderr, Site};

fn site() -> Site {
    Site::fixture("site_structure-fjell")
}

/// The `id`s of the element holding doc `anchor` and everything up to the next doc.
fn order_of(html: &str, anchors: &[&str]) -> Vec<usize> {
    anchors
        .iter()
        .map(|a| {
            html.find(&format!(" id=\"{a}\""))
                .unwrap_or_else(|| panic!("no #{a} in {html}"))
        })
        .collect()
}

/// The fixture site built with `args`: the site, the build's output and `index.html`.
fn index_built_with(args: &[&str]) -> (Site, std::process::Output, String) {
    let s = site();
    let out = s.endpaper(&[&["build", "."], args].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let html = s.read_out("index.html");
    (s, out, html)
}

#[test]
fn the_index_lists_the_sites_docs_in_the_sites_order_and_old_anchors_resolve() {
    let (s, out, html) = index_built_with(&[]);
    // The data file's order (auth before start), and only the docs the index lists.
    let at = order_of(&html, &["guideauth", "guidestart"]);
    assert!(at[0] < at[1], "order of the site's index not kept");
    assert!(
        !html.contains("id=\"guidelegacy\""),
        "a doc the index does not list"
    );
    assert!(!html.contains("id=\"ordersget\"") && !html.contains("Alle ordrer"));
    // Old links: the layout's own anchors (slugs, header, nav, group headings).
    for id in ["auth", "start", "topp", "meny", "gruppe-1"] {
        assert!(
            html.contains(&format!(" id=\"{id}\"")),
            "#{id} lost: {html}"
        );
    }
    // The layout's own anchor (the slug its nav links to) is the doc's id on endpaper's
    // page, so the address bar shows what readers always saw; endpaper's Jekyll id stays an
    // alias at the doc's start, and endpaper's nav leads to the site's anchor.
    let auth = common::element(&html, "auth");
    assert!(
        auth.starts_with("<article") && auth.contains("<span id=\"guideauth\"></span>"),
        "{auth}"
    );
    assert!(html.contains("href=\"#auth\"") && !html.contains("href=\"#guideauth\""));
    // Non-English text passes through untouched.
    assert!(html.contains("はじめに、キーを作ります。") && html.contains("Første steg"));
    // The report says what became of each root page.
    let err = stderr(&out);
    assert!(
        err.contains("index.html: kept as index.html with its 2 doc(s)"),
        "{err}"
    );
    assert!(
        err.contains("internal.html: lists no doc of the `public` audience")
            && err.contains("--audience internal"),
        "{err}"
    );
    assert!(!s.out().join("internal/index.html").exists());
}

#[test]
fn another_root_page_is_a_reference_page_of_its_own_for_its_audience() {
    let s = site();
    let out = s.endpaper(&["build", ".", "--audience", "internal"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = s.read_out("internal/index.html");
    assert!(
        page.contains(" id=\"stafftools\"") && page.contains(" id=\"tools\""),
        "{page}"
    );
    assert!(page.contains("Bare for ansatte."));
    // No doc of another audience reaches it.
    for public in ["guideauth", "guidestart", "Velkommen", "Alle ordrer"] {
        assert!(
            !page.contains(public),
            "{public} leaked into the internal page"
        );
    }
    // Links from the page into the site's assets work from one folder down.
    assert!(page.contains("href=\"../assets/endpaper.css\""), "{page}");
    let err = stderr(&out);
    assert!(
        err.contains("internal.html: kept as internal/index.html with its 1 doc(s)"),
        "{err}"
    );
}

#[test]
fn theme_site_renders_the_sites_own_pages_like_jekyll() {
    let (s, out, html) = index_built_with(&["--theme", "site"]);
    // The layout, the data-driven nav and the index assembled from includes.
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"nb\">"),
        "{html}"
    );
    assert!(html.contains("<h6>Kom i gang</h6>"), "{html}");
    assert!(
        html.contains("<li><a href=\"#auth\">Autentisering</a></li>"),
        "{html}"
    );
    // A field only some collections have is nil for the others (Jekyll's lax Liquid).
    assert!(
        html.contains("<li>Veiledning</li>") && html.contains("<li class=\"api\">Ordrer</li>"),
        "{html}"
    );
    // A titled sample keeps its title on kramdown's wrapper (the site's script makes a
    // tab of it).
    assert!(
        html.contains("<div title=\"Curl\" class=\"language-bash highlighter-rouge\">"),
        "{html}"
    );
    // Inline code in kramdown's markup, which the site's stylesheets target; endpaper's
    // theme writes it bare (`inline_code_is_bare_in_endpapers_theme`).
    assert!(
        html.contains(
            "Bruk en <code class=\"language-plaintext highlighter-rouge\">nøkkel</code> i"
        ),
        "{html}"
    );
    // A doc's `name` is its file name, as Jekyll 4's document drop has it.
    assert!(html.contains("<p class=\"fil\">start.md</p>"), "{html}");
    // A doc's excerpt is its first paragraph, rendered.
    assert!(
        html.contains("<p class=\"ingress\">Velkommen. はじめに、キーを作ります。</p>"),
        "{html}"
    );
    let auth = html.find("<h3>Autentisering</h3>").expect("auth doc");
    let start = html.find("<h3>Første steg</h3>").expect("start doc");
    assert!(auth < start);
    // Doc content is the rendered markdown, headings with kramdown's ids.
    assert!(html.contains("<h2 id=\"oversikt\">Oversikt</h2>"), "{html}");
    assert!(!html.contains("Gammelt") && !html.contains("Bare for ansatte"));
    // jekyll-seo-tag's output.
    assert!(
        html.contains("<title>Referanse | Fjell API</title>"),
        "{html}"
    );
    assert!(html.contains("<link rel=\"canonical\" href=\"https://fjell.example/\" />"));
    // Sass with its partial, the sitemap, robots.txt and static files.
    let css = s.read_out("css/style.css");
    assert!(
        css.contains("color: #123456;") && css.contains(".doc h3 {"),
        "{css}"
    );
    let map = s.read_out("sitemap.xml");
    assert!(map.contains("<loc>https://fjell.example/</loc>"), "{map}");
    // The root page of another audience lists nothing of this build: not written.
    assert!(!map.contains("internal"), "{map}");
    assert!(!s.out().join("internal/index.html").exists());
    assert_eq!(
        s.read_out("robots.txt"),
        "Sitemap: https://fjell.example/sitemap.xml\n"
    );
    assert_eq!(s.read_out("images/logo.txt"), "not an image");
    // endpaper's own pages are not written.
    assert!(!s.out().join("assets/endpaper.css").exists());
    assert!(!s.out().join("search-index.js").exists());
    // The migration report says what was honoured and what was not.
    let report = stderr(&out);
    for line in [
        "index.html: written as index.html with the site's layouts and includes, listing 2 docs of the `public` audience",
        "internal.html: lists no doc of the `public` audience, so this build does not write it (its docs are built with `--audience internal`)",
        "css/style.scss: compiled to css/style.css",
        "plugin jekyll-seo-tag: `{% seo %}` is written",
        "plugin jekyll-feed: not run",
        "code samples: kramdown's markup, without Rouge's highlighting",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    // Layouts and Sass are used by this theme: not listed as unused.
    assert!(!report.contains("Sass partial"), "{report}");
    // The internal build writes the internal page, with its docs.
    let out = s.endpaper(&["build", ".", "--theme", "site", "--audience", "internal"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let internal = s.read_out("internal/index.html");
    assert!(internal.contains("<h3>Verktøy</h3>"), "{internal}");
}

#[test]
fn theme_site_is_a_config_key_and_check_still_works() {
    let s = site();
    s.write(
        "_config.yml",
        &format!("{}endpaper:\n  theme: site\n", s.read_in("_config.yml")),
    );
    s.write(
        "_guide/broken.md",
        "---\ntitle: Broken\nposition: 4\n---\nSee [gone](#nowhere).\n",
    );
    let html = s.build(&[]);
    assert!(html.contains("<h6>Kom i gang</h6>"), "{html}");
    let out = s.endpaper(&["check", ".", "--strict"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}

#[test]
fn a_sass_error_names_the_file_and_line() {
    let s = site();
    s.write("css/style.scss", "---\n---\n\nbody { color: $missing; }\n");
    let out = s.endpaper(&["build", ".", "--theme", "site"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("css/style.scss:4:"), "{err}");
}

#[test]
fn theme_site_warnings_name_the_pages_own_lines_past_seo() {
    let s = site();
    s.write(
        "om.html",
        "---\ntitle: Om\n---\n{% seo %}\n<p>{{ 'x' | ukjent }}</p>\n",
    );
    let out = s.endpaper(&["build", ".", "--theme", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("om.html:5:"), "{err}");
    let html = s.read_out("om/index.html");
    assert!(html.contains("<title>Om | Fjell API</title>"), "{html}");
}

#[test]
fn inline_code_is_bare_in_endpapers_theme() {
    let (_s, _, html) = index_built_with(&[]);
    assert!(html.contains("Bruk en <code>nøkkel</code> i"), "{html}");
    assert!(!html.contains("highlighter-rouge"), "{html}");
    // The copy buttons are the script's (assets/endpaper.js), not the page's.
    assert!(html.contains("class=\"ep-sample\"") && !html.contains("ep-copy\""));
}
