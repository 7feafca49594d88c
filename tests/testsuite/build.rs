//! Integration tests of `endpaper build`: fixture sites built into temp dirs, asserting
//! the page structure, order, anchors, audiences, errors and atomic output.

use crate::common;
use common::{element, stderr, Site};

/// The orders site: three collections (one internal), docs placed by `position`, a titled
/// sample group and a `right_code` response.
fn fixture() -> Site {
    Site::fixture("build-orders")
}

fn doc_order(html: &str) -> Vec<String> {
    html.match_indices("data-source=\"")
        .map(|(i, _)| {
            let rest = &html[i + 13..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn docs_are_ordered_like_jekyll_and_carry_their_anchor_source_and_method() {
    let site = fixture();
    let html = site.build(&[]);
    assert_eq!(
        doc_order(&html),
        [
            "_documentation/intro.md",
            "_orders/first.md",
            "_orders/list.md",
            "_orders/get_order.md",
            "_orders/tie_a.md",
            "_orders/tie_b.md"
        ]
    );
    let doc = element(&html, "ordersget_order");
    assert!(
        doc.contains("data-source=\"_orders/get_order.md\""),
        "{doc}"
    );
    assert!(doc.contains("data-method=\"get\""));
    // The title heading comes first, with the entity-bearing path decoded then escaped.
    let first_heading = doc.find("<h").unwrap();
    assert!(
        doc[first_heading..].starts_with("<h2") || doc[first_heading..].starts_with("<h1"),
        "{doc}"
    );
    assert!(doc.contains("/orders/&lt;uuid&gt;/"), "{doc}");
    assert!(!doc.contains("&amp;lt"), "{doc}");
}

#[test]
fn titled_samples_form_one_tab_group_in_the_code_column() {
    let site = fixture();
    let html = site.build(&[]);
    let doc = element(&html, "ordersget_order");
    let titles: Vec<&str> = doc
        .match_indices("data-title=\"")
        .map(|(i, _)| {
            let r = &doc[i + 12..];
            &r[..r.find('"').unwrap()]
        })
        .collect();
    assert_eq!(titles, ["Curl", "Python (requests)", "Response"]);
    assert!(doc.contains("data-lang=\"bash\"") && doc.contains("data-lang=\"python\""));
    let groups = doc.matches("role=\"tablist\"").count();
    assert_eq!(groups, 2, "request samples and response are two groups");
    // Highlighted at build time, as short classes.
    assert!(doc.contains("<x-s>"), "{doc}");
}

#[test]
fn other_audiences_never_reach_any_output_file() {
    let site = fixture();
    site.build(&[]);
    let all = site.all_output();
    for secret in [
        "zebracorn",
        "quokkaprime",
        "Purge Everything",
        "secret-purge",
        "orderssecret",
        "opsreindex",
        "Reindex",
    ] {
        assert!(!all.contains(secret), "public output leaks {secret}");
    }
    let internal = site.build(&["--audience", "internal"]);
    assert_eq!(
        doc_order(&internal),
        ["_orders/secret.md", "_ops/reindex.md"]
    );
}

#[test]
fn kramdown_headings_and_definition_terms_render() {
    let site = fixture();
    let html = site.build(&[]);
    let doc = element(&html, "ordersget_order");
    assert!(doc.contains("id=\"url-parameters\""), "{doc}");
    assert!(doc.contains("<dt>uuid</dt>"), "{doc}");
    assert!(!doc.contains("{:"), "IAL text leaked: {doc}");
}

#[test]
fn a_missing_include_fails_with_file_line_col_and_keeps_the_old_output() {
    let site = fixture();
    site.build(&[]);
    let before = site.read_out("index.html");
    site.write(
        "_orders/list.md",
        "---\ntitle: /orders/\nmethod: get\n---\nline one\n\n  {% include nope.md %}\n",
    );
    let out = site.endpaper(&["build", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("_orders/list.md:7:3: include file `_includes/nope.md` not found"),
        "{err}"
    );
    assert_eq!(
        site.read_out("index.html"),
        before,
        "a failed build must not touch the output"
    );
}

#[test]
fn bad_front_matter_names_the_line_in_the_file() {
    let site = fixture();
    site.write(
        "_orders/list.md",
        "---\ntitle: /orders/\nname: [oops\nmethod: get\n---\nx\n",
    );
    // Like Jekyll, the doc is kept without data: a warning, not a failed build.
    let out = site.endpaper(&["build", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("_orders/list.md:4:") || err.contains("_orders/list.md:3:"),
        "{err}"
    );
    assert!(
        err.contains("this doc is left out of the build: its front matter does not parse"),
        "{err}"
    );
}

#[test]
fn a_doc_left_out_for_its_front_matter_is_said_so_at_the_construct_that_broke_it() {
    let site = fixture();
    let doc = |name: &str, fm: &str| {
        site.write(
            &format!("_orders/{name}.md"),
            &format!("---\ntitle: /{name}\n{fm}method: get\n---\nbody\n"),
        )
    };
    // The quote on line 3 is closed by the sample's `"id"` on line 6, where YAML fails.
    doc(
        "quote",
        "name: \"Get one\nright_code: |\n  ~~~ json\n  {\"id\": 1}\n  ~~~\n",
    );
    doc("single", "name: 'Get one\n");
    doc("indent", "params:\n  a: 1\n    b: 2\n");
    doc("tab", "params:\n\ta: 1\n");
    let out = site.endpaper(&["build", "."]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let left_out = "this doc is left out of the build: its front matter does not parse";
    for (at, what, parser) in [
        (
            "_orders/quote.md:3:7",
            "a `\"` quote opened here is never closed on its line",
            "line 6, column 5",
        ),
        (
            "_orders/single.md:3:7",
            "a `'` quote opened here is never closed on its line",
            "line 5, column 1",
        ),
        (
            "_orders/indent.md:5:5",
            "this line is indented to no level above it",
            "line 5, column 6",
        ),
        (
            "_orders/tab.md:4:1",
            "a tab in the indentation (YAML indents with spaces only)",
            "line 4, column 1",
        ),
    ] {
        let said = format!("warning: {left_out}: {what} (the YAML parser stopped at {parser}");
        let line = err
            .lines()
            .position(|l| l.starts_with(&said))
            .unwrap_or_else(|| panic!("no `{said}` in:\n{err}"));
        assert_eq!(
            err.lines().nth(line + 1),
            Some(format!("  --> {at}").as_str()),
            "{err}"
        );
    }
    // None of them is built; every other doc is.
    let html = site.read_out("index.html");
    assert!(["ordersquote", "orderssingle", "ordersindent", "orderstab"]
        .iter()
        .all(|a| !html.contains(&format!("id=\"{a}\""))));
    assert!(html.contains("id=\"ordersget_order\""));
}

#[test]
fn a_broken_link_is_a_located_warning_with_checks_suggestion_and_strict_fails_on_it() {
    let site = fixture();
    site.write(
        "_orders/linked.md",
        "---\ntitle: /linked\nmethod: get\n---\nSee [one](#ordersget_ordr),\n[two](nowhere.html) and [three](#ordersget_order).\n",
    );
    let out = site.endpaper(&["build", "."]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: link to `#ordersget_ordr`, which is no doc, heading or section of this build; did you mean `#ordersget_order` (_orders/get_order.md)? [broken-anchor]\n  --> _orders/linked.md:5:11"),
        "{err}"
    );
    assert!(
        err.contains("warning: link to `nowhere.html`, a file this build does not write [broken-link]\n  --> _orders/linked.md:6:7"),
        "{err}"
    );
    // `check` finds the same two, as errors, with the same words.
    let check = site.endpaper(&["check", ".", "--format", "json"]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text.contains("did you mean `#ordersget_order` (_orders/get_order.md)?"),
        "{text}"
    );
    assert_eq!(text.matches("\"severity\":\"error\"").count(), 2, "{text}");

    let before = site.read_out("index.html");
    site.write(
        "_orders/get_order.md",
        "---\ntitle: /o\nmethod: get\n---\nchanged\n",
    );
    let strict = site.endpaper(&["build", ".", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("[broken-anchor]"));
    assert!(site.read_out("index.html") == before, "nothing was written");
}

#[test]
fn typos_in_audiences_and_collections_get_a_suggestion() {
    let site = fixture();
    let out = site.endpaper(&["build", ".", "--audience", "interanl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown audience `interanl`: this site's docs are for `internal`, `public` (set with `visibility:` on a collection or doc); did you mean `internal`?"),
        "{}",
        stderr(&out)
    );
    // A doc's own audience a letter away from a declared one.
    site.write(
        "_documentation/draft.md",
        "---\ntitle: Draft\nvisibility: interal\n---\nx\n",
    );
    // A folder a letter away from a declared collection, and that collection without docs.
    site.write(
        "_ops/reindex.md",
        "---\ntitle: /ops/reindex\nname: Reindex\nmethod: post\n---\nx\n",
    );
    std::fs::rename(site.path().join("_ops"), site.path().join("_opps")).unwrap();
    let out = site.endpaper(&["build", "."]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for (said, at) in [
        ("`visibility: interal` is no collection's audience, so the doc is built only for `interal`; did you mean `internal`? [unknown-audience]", "_documentation/draft.md:3:13"),
        ("this doc is not built: its folder `_opps/` is not declared under `collections:` in _config.yml; did you mean `_ops/`, which is declared? [undeclared-collection]", "_opps/reindex.md:1:1"),
        ("collection `ops` has no docs (no folder `_ops/`); did you mean the folder `_opps/`? [collection-without-folder]", "_config.yml:10:3"),
    ] {
        assert!(err.contains(&format!("{said}\n  --> {at}")), "{said} at {at}:\n{err}");
    }
    // Names that are not near any declared one get no guess.
    site.write(
        "_documentation/draft.md",
        "---\ntitle: Draft\nvisibility: partners\n---\nx\n",
    );
    let err = stderr(&site.endpaper(&["build", ".", "--audience", "nobody"]));
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn theme_site_without_pages_or_layouts_is_an_error_in_build_and_check() {
    let missing = "writes the site's own pages, but this site has no page to render (an `index.html` or other page with front matter, outside the `_` folders) and no layout (`_layouts/`), so it would write none";
    let content = Site::copy_of("content");
    // The example's one root page lists its v1 docs (versions); without it, it has none.
    std::fs::remove_file(content.path().join("v1.html")).unwrap();
    let new = tempfile::tempdir().unwrap();
    let scaffold = new.path().join("site");
    assert!(common::endpaper_at(&["new"], &scaffold).status.success());
    for site in [content.path(), scaffold.as_path()] {
        for args in [
            &["build", "--theme", "site"][..],
            &["check", "--theme", "site", "--strict"][..],
        ] {
            let out = common::endpaper_at(args, site);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains(&format!("`--theme site` {missing}")),
                "{args:?}: {err}"
            );
        }
        assert!(!site.join("_site").exists(), "nothing was written");
    }
    // Asked for in _config.yml, the message says where to undo it.
    let config = scaffold.join("_config.yml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\ntheme: site\n")).unwrap();
    let err = stderr(&common::endpaper_at(&["build"], &scaffold));
    assert!(
        err.contains(&format!(
            "`theme: site` in _config.yml {missing}: remove `theme: site`"
        )),
        "{err}"
    );
    // One page is enough to build.
    std::fs::write(
        scaffold.join("index.html"),
        "---\n---\n<h1>{{ site.title }}</h1>\n",
    )
    .unwrap();
    let out = common::endpaper_at(&["build"], &scaffold);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(scaffold.join("_site/index.html"))
        .unwrap()
        .contains("<h1>"));
}

#[test]
fn output_folder_rules() {
    let site = fixture();
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("precious.txt"), "keep").unwrap();
    let out = site.endpaper(&["build", ".", "-o", foreign.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not created by endpaper"),
        "{}",
        stderr(&out)
    );
    assert!(foreign.path().join("precious.txt").exists());
    for bad in [".", "/"] {
        let out = site.endpaper(&["build", ".", "-o", bad]);
        assert_eq!(out.status.code(), Some(1), "-o {bad} must be refused");
    }
    // The default output inside the site is not read back as input on the next build.
    site.build(&[]);
    std::fs::write(site.out().join("stray.md"), "---\ntitle: stray\n---\n").unwrap();
    let again = site.build(&[]);
    assert!(!again.contains("stray"));
}

#[test]
fn current_aviator_dialect_renders_parameters_and_code_blocks() {
    let site = Site::fixture("build-aviator-dialect");
    let html = site.build(&[]);
    let doc = element(&html, "apibooks_add");
    assert!(doc.contains("data-method=\"post\""));
    assert!(
        doc.contains("<dt>title</dt>") && doc.contains("The title"),
        "{doc}"
    );
    assert!(doc.contains("class=\"success\""), "{doc}");
    let titles: Vec<_> = ["jQuery", "Response", "Error"]
        .iter()
        .map(|t| doc.find(&format!("data-title=\"{t}\"")).expect(t))
        .collect();
    assert!(
        titles.windows(2).all(|w| w[0] < w[1]),
        "left blocks before right blocks"
    );
}

#[test]
fn the_example_site_builds_and_links_resolve() {
    let site = Site::copy_of("content");
    let html = site.build(&[]);
    let seed = element(&html, "discovery_retailerget_requested_connection_detail");
    assert!(seed.contains("href=\"#filesupload\""));
    assert!(html.contains("id=\"filesupload\""));
    for t in ["Curl", "HTTPie", "Python (requests)", "Node.js", "Response"] {
        assert!(
            seed.contains(&format!("data-title=\"{t}\"")),
            "seed misses {t}"
        );
    }
    assert!(
        site.out().join("images/harbourline-logo.svg").exists(),
        "static files are copied"
    );
    // Search is loaded on first use, never with the page, and both halves of its index
    // stay within the theme's own 60 KB budget on this site.
    assert!(!html.contains("search-text.js") && !html.contains("src=\"search-index.js"));
    let text = common::search_text_files(&site.out());
    let text_len: usize = text.values().map(String::len).sum();
    let index = site.read_out("search-index.js").len() + text_len;
    assert!(index < 60 * 1024, "search index weighs {index} bytes");
    assert!(
        text.values().any(|t| t.contains("Harbourline")),
        "prose is indexed"
    );
}

/// Hosts an example may name: the reserved example domains (RFC 2606) and this machine.
fn is_example_host(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    host.ends_with(".example")
        || host == "example.com"
        || host.ends_with(".example.com")
        || host == "localhost"
        || host == "127.0.0.1"
}

/// Every `http(s)://host` written in a file.
fn hosts(text: &str) -> Vec<String> {
    text.match_indices("://")
        .filter(|(at, _)| text[..*at].ends_with("http") || text[..*at].ends_with("https"))
        .map(|(at, _)| {
            text[at + 3..]
                .split(|c: char| !(c.is_ascii_alphanumeric() || ".-:".contains(c)))
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// The seed page stays verbatim (it shows an existing Aviator page builds unchanged), so
/// it is the one page allowed a warning, and the one allowed a real company's host; every
/// other page of the example is strict-clean for every audience and uses example hosts.
#[test]
fn the_example_site_is_strict_clean_but_for_its_verbatim_seed_page() {
    const SEED: &str = "_discovery_retailer/get_requested_connection_detail.md";
    let site = Site::copy_of("content");
    for audience in ["public", "internal"] {
        let out = site.endpaper(&["check", "--strict", "--no-cache", "--audience", audience]);
        let err = stderr(&out);
        assert!(out.status.success(), "{audience}: {err}");
        assert!(!err.contains("warning["), "{audience}: {err}");
    }
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    assert!(
        config.contains(&format!("    {SEED}: [invalid-json]")),
        "the seed's allowance is explicit"
    );
    assert_eq!(config.matches("allow:").count(), 1);

    // The allowance is what makes it pass: without it, the seed's warning fails --strict.
    site.write(
        "_config.yml",
        &config.replace(&format!("    {SEED}: [invalid-json]\n"), ""),
    );
    let out = site.endpaper(&["check", "--strict", "--no-cache"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{SEED}:34:55")), // the comma, past right_code's indent
        "{}",
        stderr(&out)
    );

    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(seed) = here
        .ancestors()
        .map(|a| a.join("shared/seed/get-requested-connection-detail.md"))
        .find(|p| p.is_file())
    {
        assert_eq!(
            std::fs::read(here.join("content").join(SEED)).unwrap(),
            std::fs::read(seed).unwrap(),
            "the seed page is kept verbatim"
        );
    }
    let mut checked = 0;
    // The site's own files, as a build reads them: not a build's output written into
    // content/ (the README's first command writes content/_site, with the real host in it).
    for entry in endpaper::load::walk(&here.join("content"), None) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(here.join("content")).unwrap();
        let is_text = matches!(
            rel.extension().and_then(|e| e.to_str()),
            Some("md" | "yml" | "html")
        );
        if !is_text || rel == std::path::Path::new(SEED) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for host in hosts(&text) {
            checked += 1;
            assert!(
                is_example_host(&host),
                "{} names the real host `{host}`",
                rel.display()
            );
        }
    }
    assert!(
        checked >= 10,
        "only {checked} URLs found: the scan is broken"
    );
}

#[test]
fn a_site_overrides_templates_and_assets() {
    let site = fixture();
    site.write("_endpaper/templates/page.html", "<html><body>{% for s in sections %}{% for d in s.docs %}<p id=\"{{ d.anchor }}\">{{ d.name }}|{{ d.fm.title }}</p>{% endfor %}{% endfor %}</body></html>");
    site.write("_endpaper/assets/endpaper.css", "body{color:red}");
    site.write("_endpaper/assets/extra.js", "// mine");
    let html = site.build(&[]);
    assert!(
        html.contains("<p id=\"ordersget_order\">Get Order|/orders/&amp;ltuuid&amp;gt/</p>"),
        "{html}"
    );
    assert_eq!(site.read_out("assets/endpaper.css"), "body{color:red}");
    assert_eq!(site.read_out("assets/extra.js"), "// mine");
    assert!(
        site.read_out("assets/endpaper.js").len() > 1000,
        "built-in assets not overridden stay"
    );
}

#[test]
fn an_overridden_stylesheet_colouring_tokens_as_spans_is_warned_where_its_first_rule_is() {
    let site = fixture();
    let css = "body{color:red}\n.ep-code .ep-copy{margin:0}\n .ep-code .s{color:green}\n";
    site.write("_endpaper/assets/endpaper.css", css);
    let out = site.endpaper(&["build", "."]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("stale-override") && err.contains("_endpaper/assets/endpaper.css:3:2"),
        "{err}"
    );
    site.write(
        "_endpaper/assets/endpaper.css",
        ".ep-code .ep-copy{margin:0}\n.ep-code x-s{color:green}\n",
    );
    let out = site.endpaper(&["build", "."]);
    assert!(!stderr(&out).contains("stale-override"), "{}", stderr(&out));
}

#[test]
fn a_broken_template_override_fails_with_the_cause() {
    let site = fixture();
    site.write("_endpaper/templates/page.html", "{% for x in %}");
    let out = site.endpaper(&["build", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("template") && err.contains("caused by"),
        "{err}"
    );
}

#[test]
fn a_site_without_collections_builds_every_folder_as_a_section_with_a_warning() {
    let site = Site::fixture("build-bare");
    let out = site.endpaper(&["build", "."]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("no `collections:` declared"),
        "{}",
        stderr(&out)
    );
    let html = site.read_out("index.html");
    assert!(
        html.find("id=\"alphatwo\"").unwrap() < html.find("id=\"zetaone\"").unwrap(),
        "sections ordered by name"
    );
}

#[test]
fn snapshot_of_a_rendered_doc() {
    let site = fixture();
    let html = site.build(&[]);
    insta::assert_snapshot!(element(&html, "ordersget_order"));
}

#[test]
fn the_theme_stays_under_60_kb_and_makes_no_third_party_requests() {
    let site = fixture();
    let html = site.build(&[]);
    let assets: usize = ["assets/endpaper.css", "assets/endpaper.js"]
        .iter()
        .map(|a| site.read_out(a).len())
        .sum();
    let inline: usize = html
        .match_indices("<script>")
        .map(|(i, _)| html[i..].find("</script>").unwrap())
        .sum();
    assert!(
        assets + inline < 60 * 1024,
        "theme weighs {} bytes",
        assets + inline
    );
    assert!(
        !html.contains("src=\"http"),
        "no third-party scripts or images in the page"
    );
    assert!(
        !html.contains("<link rel=\"stylesheet\" href=\"http"),
        "no third-party stylesheets"
    );
    let css = site.read_out("assets/endpaper.css");
    assert!(
        !css.contains("@import") && !css.contains("url(http"),
        "no web fonts or imports from CDNs"
    );
}

#[test]
fn try_it_is_loaded_only_on_use_and_stays_small() {
    let site = fixture();
    site.build(&[]);
    let tryit = site.read_out("assets/tryit.js");
    // It signs in with every kind of scheme (OAuth2's flows among them), which no page
    // pays for until a reader opens a panel.
    assert!(
        tryit.len() < 32 * 1024,
        "tryit.js weighs {} bytes",
        tryit.len()
    );
    let html = site.read_out("index.html");
    assert!(
        !html.contains("tryit.js"),
        "not referenced by the page itself"
    );
}

#[test]
fn pages_have_canonical_and_sharing_meta_and_docs_an_edit_link_and_try_it_when_configured() {
    let site = fixture();
    let plain = site.build(&[]);
    assert!(
        !plain.contains("rel=\"canonical\""),
        "no url: no canonical link"
    );
    assert!(plain.contains("<meta property=\"og:title\" content=\"Fixture API\">"));
    assert!(plain.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(
        !plain.contains("ep-try-open") && !plain.contains("Edit this page"),
        "off unless configured"
    );
    assert!(
        !site.out().join("sitemap.xml").exists(),
        "a sitemap needs absolute URLs"
    );
    assert_eq!(site.read_out("robots.txt"), "User-agent: *\nAllow: /\n");
    site.write(
        "_config.yml",
        &format!("{}url: https://docs.x/\nbaseurl: /ref\nendpaper:\n  edit_url: https://git.x/edit/{{path}}\n  environments:\n    - name: Sandbox\n      url: https://sandbox.x/v1\n", site.read_in("_config.yml")),
    );
    let html = site.build(&[]);
    assert!(html.contains("<link rel=\"canonical\" href=\"https://docs.x/ref/\">"));
    assert!(html.contains("<meta property=\"og:url\" content=\"https://docs.x/ref/\">"));
    assert!(html.contains("<a href=\"https://git.x/edit/_orders/get_order.md\">Edit this page</a>"));
    let doc = element(&html, "ordersget_order");
    assert!(
        doc.contains("aria-controls=\"ep-try-ordersget_order\">Try it</button>"),
        "{doc}"
    );
    assert!(
        !element(&html, "documentationintro").contains("ep-try-open"),
        "no method, no panel"
    );
    assert!(html.contains("data-environments=\"[{&quot;name&quot;:&quot;Sandbox&quot;,&quot;url&quot;:&quot;https://sandbox.x/v1&quot;}]\""));
    assert!(site
        .read_out("sitemap.xml")
        .contains("<loc>https://docs.x/ref/</loc>"));
    assert!(site
        .read_out("robots.txt")
        .ends_with("Sitemap: https://docs.x/ref/sitemap.xml\n"));
}

#[test]
fn verbose_shows_stage_timings_and_quiet_shows_nothing_but_errors() {
    let site = fixture();
    let verbose = site.endpaper(&["build", ".", "--verbose"]);
    assert!(verbose.status.success());
    assert!(
        stderr(&verbose).contains("timing: highlight"),
        "{}",
        stderr(&verbose)
    );
    let quiet = site.endpaper(&["build", ".", "--quiet"]);
    assert!(quiet.status.success());
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{}",
        stderr(&quiet)
    );
    let normal = site.endpaper(&["build", "."]);
    assert!(!stderr(&normal).contains("timing:"));
    assert!(String::from_utf8_lossy(&normal.stdout)
        .starts_with("built 6 docs in 2 sections for `public`"));
}

#[test]
fn a_split_section_lists_its_page_and_one_entry_per_other_page_in_the_nav() {
    let site = Site::fixture("build-split");
    site.build(&[]);
    // b's pages: b/index.html (d0, d1), b/2.html (d2, d3), b/3.html (d4).
    let page = site.read_out("b/2.html");
    let nav = element(&page, "ep-nav");
    for (anchor, listed) in [
        ("bd0", true),
        ("bd1", false),
        ("bd2", true),
        ("bd3", true),
        ("bd4", true),
    ] {
        assert_eq!(
            nav.contains(&format!("data-anchor=\"{anchor}\"")),
            listed,
            "{anchor} in {nav}"
        );
    }
    assert!(
        nav.contains("href=\"../b/index.html#bd0\"")
            && nav.contains("href=\"../b/3.html#bd4\"")
            && nav.contains("href=\"#bd2\""),
        "{nav}"
    );
}

/// Every file on disk after a build (the output marker aside).
fn files_on_disk(site: &Site) -> std::collections::BTreeSet<String> {
    common::tree(&site.out())
        .into_keys()
        .filter(|rel| rel != endpaper::write::MARKER)
        .collect()
}

#[test]
fn the_outcome_lists_exactly_the_files_written_and_a_rebuild_those_it_keeps() {
    use endpaper::build::{self, BuildOptions, Mode, Session};
    let site = fixture();
    site.write("logo.txt", "static");
    let hl = endpaper::highlight::Highlighter::new();
    let opts = BuildOptions::new(site.path());
    let outcome = build::build(&opts, &hl, Mode::Build { strict: false }).unwrap();
    assert!(outcome.files.contains("logo.txt") && outcome.files.contains("index.html"));
    assert_eq!(outcome.files, files_on_disk(&site));

    // A rebuild in place writes only what changed, and still lists every file it keeps:
    // `serve` removes the files the last outcome had and this one has not.
    let mut session = Session::new(opts.clone(), Mode::Serve);
    let first = session.build(&hl, None, None, &mut |_| {}).unwrap();
    site.write(
        "_orders/list.md",
        "---\ntitle: /orders/\nname: List Orders\nposition: '1'\nmethod: get\n---\nEvery order.\n",
    );
    let second = session.build(&hl, Some(&first), None, &mut |_| {}).unwrap();
    assert_eq!(second.files, first.files);
    assert_eq!(second.files, files_on_disk(&site));
    assert!(site.read_out("index.html").contains("Every order."));
}

#[test]
fn the_404_page_is_a_template_that_honours_baseurl_and_can_be_overridden() {
    // A project site lives under its baseurl: the page's stylesheet and home link must too,
    // at any depth the missing page had (so they are absolute, not relative).
    let site = Site::fixture("build-widgets");
    let config = site.read_in("_config.yml");
    site.write("_config.yml", &format!("{config}baseurl: /widgets-docs\n"));
    site.build(&[]);
    let page = site.read_out("404.html");
    assert!(
        page.contains(r#"<link rel="stylesheet" href="/widgets-docs/assets/endpaper.css">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="/widgets-docs/">Back to the Widget API</a>"#),
        "{page}"
    );
    assert!(
        page.contains("<title>Page not found — Widget API</title>"),
        "{page}"
    );

    // Without baseurl the links start at the root.
    site.write("_config.yml", &config);
    site.build(&[]);
    let page = site.read_out("404.html");
    assert!(
        page.contains(r#"href="/assets/endpaper.css""#) && page.contains(r#"<a href="/">"#),
        "{page}"
    );

    // Like page.html, a site overrides it in _endpaper/templates/.
    site.write(
        "_endpaper/templates/404.html",
        "<p>Lost? Start at <a href=\"{{ page.base }}\">{{ site.title }}</a>.</p>\n",
    );
    site.build(&[]);
    assert_eq!(
        site.read_out("404.html"),
        "<p>Lost? Start at <a href=\"/\">Widget API</a>.</p>\n"
    );
}

/// The header shows the site's logo: `logo:`, else Aviator's `images/logo.svg`; the page links
/// the site's own `favicon.*`, else endpaper's icon, written beside the pages. A `logo:` that
/// names no file is a warning at its line, and the header keeps the title.
#[test]
fn the_header_shows_the_sites_logo_and_the_page_links_an_icon_that_exists() {
    let site = Site::fixture("build-widgets");
    let html = site.build(&[]);
    assert!(
        html.contains(r#"<a class="ep-brand" href="index.html">Widget API</a>"#),
        "no logo: the title"
    );
    assert!(html.contains(r#"<link rel="icon" href="assets/favicon.svg">"#));
    assert!(site.read_out("assets/favicon.svg").starts_with("<svg"));
    assert!(site
        .read_out("404.html")
        .contains(r#"<link rel="icon" href="/assets/favicon.svg">"#));

    // Where Aviator sites keep them.
    site.write(
        "images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("favicon.ico", "icon");
    let html = site.build(&[]);
    assert!(
        html.contains(r#"<img class="ep-logo" src="images/logo.svg" alt="Widget API">"#),
        "{}",
        &html[..html.find("</header>").unwrap()]
    );
    assert!(html.contains(r#"<link rel="icon" href="favicon.ico">"#));
    assert_eq!(site.read_out("favicon.ico"), "icon");

    // `logo:` wins, as a path from the site's root or a URL.
    let config = site.read_in("_config.yml");
    site.write("brand/mark.png", "png");
    site.write("_config.yml", &format!("{config}logo: /brand/mark.png\n"));
    let html = site.build(&[]);
    assert!(html.contains(r#"<img class="ep-logo" src="brand/mark.png""#));
    site.write(
        "_config.yml",
        &format!("{config}logo: https://cdn.widgets.example/logo.svg\n"),
    );
    assert!(site
        .build(&[])
        .contains(r#"<img class="ep-logo" src="https://cdn.widgets.example/logo.svg""#));

    // A `logo:` naming no file is said, where it is written.
    site.write("_config.yml", &format!("{config}logo: images/lgoo.svg\n"));
    let out = site.endpaper(&["build", "."]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("`logo: images/lgoo.svg` names no file of the site")
            && err.contains("_config.yml:5:1"),
        "{err}"
    );
    assert!(site
        .read_out("index.html")
        .contains(r#"<a class="ep-brand" href="index.html">Widget API</a>"#));
    let out = site.endpaper(&["build", ".", "--strict"]);
    assert!(!out.status.success(), "--strict fails on it");
}

/// `endpaper build` run again with nothing changed says so and shows the same warnings;
/// with `--strict` it still fails on them and leaves the output as it was; a change to a
/// doc makes it a full build again.
#[test]
fn a_second_build_with_nothing_changed_says_so_and_strict_still_fails_on_its_warnings() {
    let site = fixture();
    site.write(
        "_orders/warned.md",
        "---\ntitle: /w\nname: Warned\nmethod: get\n---\nText.\n\n~~~ nosuchlanguage\nx\n~~~\n",
    );
    // The fixture was just written: a stamp trusts no file changed within this window.
    std::thread::sleep(endpaper::build::stamp::RACY);
    // Runs `endpaper ARGS`: whether it succeeded, and everything it printed.
    let run = |args: &[&str]| {
        let o = site.endpaper(args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (o.status.success(), said)
    };
    let unchanged = "(nothing changed since the last build)";
    let warning = "unknown code language `nosuchlanguage`";

    let (ok, said) = run(&["build", "."]);
    assert!(
        ok && !said.contains(unchanged) && said.contains(warning),
        "{said}"
    );
    let page = site.read_out("index.html");

    let (ok, said) = run(&["build", "."]);
    assert!(
        ok && said.contains(unchanged) && said.contains(warning),
        "{said}"
    );

    let (ok, said) = run(&["build", ".", "--strict"]);
    assert!(!ok && said.contains("nothing was written"), "{said}");
    assert_eq!(site.read_out("index.html"), page);

    site.write(
        "_orders/list.md",
        "---\ntitle: /orders/\nname: List Orders\nposition: '1'\nmethod: get\n---\nEvery order.\n",
    );
    let (ok, said) = run(&["build", "."]);
    assert!(ok && !said.contains(unchanged), "{said}");
    assert!(site.read_out("index.html").contains("Every order."));
}

#[test]
fn site_lists_each_collections_docs_over_a_config_key_of_its_name_and_data_over_both() {
    let site = Site::fixture("build-site-lists");
    let html = site.build(&[]);
    assert!(
        // Jekyll's `posts` collection is listed too, after `notes` by label.
        html.contains("Docs 2, B; collections 2 2 notes Notes; data 7; baseurl [] pages 0.")
            && html.contains("Same docs [AB] [AB] [AB]; keys [notes=2]."),
        "{}",
        element(&html, "notesa")
    );
}
