//! Versions (issue 33, point 2), built through the binary from `tests/fixtures/versions`: an
//! API with v2 on `index.html` and v1 on `v1.html`. The switcher and each doc's versions lead
//! to the same endpoint in the other version; changes are read off the OpenAPI export
//! (a query parameter added, a method and path changed under one doc id, an endpoint added
//! and one removed, reworded prose no change); the changelog page and its Atom feed say the
//! same; `check` flags a link from one version into another; a version no page lists is an
//! error at its line of `_config.yml`.

use crate::common::{element, fixture, stderr};

/// The `<p class="ep-doc-versions">` of doc `anchor` on `html`.
fn versions_of<'a>(html: &'a str, anchor: &str) -> &'a str {
    let doc = element(html, anchor);
    let at = doc
        .find("<p class=\"ep-doc-versions\">")
        .unwrap_or_else(|| panic!("#{anchor} shows no versions: {doc}"));
    &doc[at..at + doc[at..].find("</p>").unwrap()]
}

/// The switcher's options on `html`: (version, address, selected).
fn switcher(html: &str) -> Vec<(String, String, bool)> {
    let select = element(html, "ep-version");
    select
        .split("<option ")
        .skip(1)
        .map(|o| {
            let attr = |name: &str| {
                let at = o.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                o[at..at + o[at..].find('"').unwrap()].to_string()
            };
            (
                attr("data-version"),
                attr("value"),
                o.contains(" selected>"),
            )
        })
        .collect()
}

#[test]
fn each_version_has_its_page_and_each_endpoint_knows_its_versions() {
    let (site, _) = fixture("versions");
    let out = site.endpaper(&["build", ".", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v2 = site.read_out("index.html");
    let v1 = site.read_out("v1/index.html");
    assert!(site.out().join("assets/versions.js").is_file() && v2.contains("assets/versions.js"));
    // Each version's page holds its own docs only.
    assert!(v2.contains("id=\"orderscreate_order\"") && !v2.contains("id=\"v1_ordersget_order\""));
    assert!(
        v1.contains("id=\"v1_ordersdelete_order\"") && !v1.contains("id=\"orderscreate_order\"")
    );
    // The switcher: each version's page, the one read now selected.
    let v = |n: &str, href: &str, on: bool| (n.to_string(), href.to_string(), on);
    assert_eq!(
        switcher(&v2),
        [v("v2", "index.html", true), v("v1", "v1/index.html", false)]
    );
    assert_eq!(
        switcher(&v1),
        [
            v("v2", "../index.html", false),
            v("v1", "../v1/index.html", true)
        ]
    );
    // Same method and path: the counterpart; reworded prose and another example are no change.
    let get = versions_of(&v2, "ordersget_order");
    assert!(
        get.contains("href=\"v1/index.html#v1_ordersget_order\""),
        "{get}"
    );
    assert!(!get.contains("ep-version-mark"), "{get}");
    // A query parameter added.
    let list = versions_of(&v2, "orderslist_orders");
    assert!(
        list.contains("data-status=\"changed\" title=\"parameter `cursor` (query) added\"")
            && list.contains("href=\"v1/index.html#v1_orderslist_orders\""),
        "{list}"
    );
    // Another method and path, one doc id: the same endpoint, changed.
    let ship = versions_of(&v2, "ordersship_order");
    assert!(
        ship.contains(
            "title=\"method PUT → POST; path /orders/{id}/ship → /orders/{id}/shipments\""
        ) && ship.contains("href=\"v1/index.html#v1_ordersship_order\""),
        "{ship}"
    );
    // New in v2: no v1 to go to.
    let create = versions_of(&v2, "orderscreate_order");
    assert!(create.contains("data-status=\"added\"") && !create.contains("data-version=\"v1\""));
    // From v1 back to v2; a doc both pages list is the same doc in each.
    let back = versions_of(&v1, "v1_orderslist_orders");
    assert!(
        back.contains("href=\"../index.html#orderslist_orders\""),
        "{back}"
    );
    let gone = versions_of(&v1, "v1_ordersdelete_order");
    assert!(!gone.contains("data-version=\"v2\""), "{gone}");
    let guide = versions_of(&v1, "guidestart");
    assert!(
        guide.contains("href=\"../index.html#guidestart\"")
            && guide.contains("href=\"#guidestart\" aria-current=\"page\""),
        "{guide}"
    );

    // The changelog page: v2's changes, each linking to its doc.
    let log = site.read_out("changelog.html");
    let v2_log = element(&log, "version-v2");
    for line in [
        "data-kind=\"added\"><span class=\"ep-version-mark\" data-status=\"added\">added</span> <a href=\"index.html#orderscreate_order\"><code>POST /orders</code></a>",
        "<a href=\"index.html#orderslist_orders\"><code>GET /orders</code></a> List Orders<ul><li>parameter `cursor` (query) added</li></ul>",
        "<a href=\"v1/index.html#v1_ordersdelete_order\"><code>DELETE /orders/{id}</code></a> Delete an Order",
    ] {
        assert!(v2_log.contains(line), "{line} not in {v2_log}");
    }
    assert!(
        !v2_log.contains("get_order\""),
        "an unchanged endpoint is logged: {v2_log}"
    );
    assert!(element(&log, "version-v1").contains("The first version."));
    assert!(v2.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changelog\" href=\"changelog.xml\">"));

    // The feed is Atom 1.0: the feed's and each entry's id, title and updated.
    let feed = site.read_out("changelog.xml");
    let xml = roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("{e}: {feed}"));
    let atom = "http://www.w3.org/2005/Atom";
    let root = xml.root_element();
    assert!(root.has_tag_name((atom, "feed")));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| -> String {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("no <{name}> in {feed}"))
            .to_string()
    };
    assert_eq!(
        child(root, "id"),
        "https://docs.lantern.example/changelog.html"
    );
    assert_eq!(child(root, "updated"), "2024-06-01T00:00:00Z");
    assert_eq!(child(root, "title"), "Lantern API changelog");
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(child(entries[0], "title"), "v2 (latest)");
    assert_eq!(child(entries[1], "updated"), "2023-01-15T00:00:00Z");
    assert_eq!(
        child(entries[0], "id"),
        "https://docs.lantern.example/changelog.html#version-v2"
    );
    let content = child(entries[0], "content");
    assert!(
        content.contains("removed: <a href=\"https://docs.lantern.example/v1/index.html#v1_ordersdelete_order\">DELETE /orders/{id}</a>"),
        "{content}"
    );
}

#[test]
fn without_a_list_versions_are_the_root_pages_named_as_versions() {
    let (site, _) = fixture("versions");
    let config = site.read_in("_config.yml");
    let head = &config[..config.find("  versions:").unwrap()];
    site.write("_config.yml", head);
    let html = site.build(&[]);
    // The index is the newest, named by `api_version`; v1.html is v1.
    assert_eq!(
        switcher(&html)
            .into_iter()
            .map(|(n, h, _)| (n, h))
            .collect::<Vec<_>>(),
        [
            ("2.0".to_string(), "index.html".to_string()),
            ("v1".into(), "v1/index.html".into())
        ]
    );
    assert!(
        versions_of(&html, "ordersget_order").contains("href=\"v1/index.html#v1_ordersget_order\"")
    );
    // Undated versions are said to be, not guessed.
    let out = site.endpaper(&["check", "."]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("version `v1` has no `date:`")
            || stderr(&out).contains("version `v1` has no `date:`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_version_no_page_lists_is_an_error_at_its_line() {
    let (site, _) = fixture("versions");
    let config = site
        .read_in("_config.yml")
        .replace("    - name: v1\n", "    - name: v3\n");
    site.write("_config.yml", &config);
    let out = site.endpaper(&["build", "."]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let line = config.lines().position(|l| l == "    - name: v3").unwrap() + 1;
    assert!(
        err.contains(&format!("_config.yml:{line}:13:"))
            && err.contains("unknown version `v3` in `endpaper.versions`: no root page `v3.html` or `v3/index.html` lists docs"),
        "{err}"
    );
}

#[test]
fn check_flags_a_link_from_one_version_into_another() {
    let (site, _) = fixture("versions");
    let doc = site.read_in("_v1_orders/get_order.md");
    site.write(
        "_v1_orders/get_order.md",
        &format!("{doc}\nSee [Create an Order](#orderscreate_order) and [List Orders](#v1_orderslist_orders).\n"),
    );
    let line = doc.lines().count() + 2;
    let out = site.endpaper(&["check", "."]);
    assert!(!out.status.success());
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        said.contains(&format!("_v1_orders/get_order.md:{line}:23"))
            && said.contains("cross-version-link")
            && said.contains("link to `#orderscreate_order`, a doc of version `v2` only, from a doc of version `v1`"),
        "{said}"
    );
    // The link within its own version is fine: one finding.
    assert_eq!(said.matches("cross-version-link").count(), 1, "{said}");
}

#[test]
fn without_a_root_index_the_newest_version_is_all_but_the_older_ones_own_collections() {
    // The example site: `versions: [v2, v1]`, no index.html, v1.html listing the guides and
    // `_v1_orders`.
    let site = crate::common::Site::copy_of("content");
    let v2 = site.build(&["--no-cache"]);
    let v1 = site.read_out("v1/index.html");
    // v1's own collection is v1's only; the guides v1.html lists are both versions'.
    assert!(
        !v2.contains("id=\"v1_ordersget_orders\"") && v1.contains("id=\"v1_ordersget_orders\"")
    );
    assert!(!v1.contains("id=\"ordersget_orders\""));
    for page in [&v2, &v1] {
        assert!(page.contains("id=\"documentationerrors\""));
    }
    let list = versions_of(&v2, "ordersget_orders");
    assert!(
        list.contains("title=\"parameter `created_after` (query) added; parameter `created_before` (query) added\"")
            && list.contains("href=\"v1/index.html#v1_ordersget_orders\""),
        "{list}"
    );
    // A shared guide's link to a doc of the newest version leads to the newest's page.
    let guide = element(&v1, "documentationgetting_started");
    assert!(
        guide.contains("href=\"../index.html#filesupload\""),
        "{guide}"
    );
    // An audience with no older version's docs has no versions.
    let internal = site.endpaper(&["build", ".", "--no-cache", "--audience", "internal"]);
    assert!(internal.status.success(), "{}", stderr(&internal));
    // v1.html is a version's page, not an audience's: the report says it is not written
    // and suggests no `--audience v1`.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&internal.stdout),
        stderr(&internal)
    );
    assert!(
        said.contains("v1.html: lists no doc of the `internal` audience")
            && !said.contains("--audience v1"),
        "{said}"
    );
    let html = site.read_out("index.html");
    assert!(!html.contains("ep-version") && !html.contains("ep-doc-versions"));
    // A build without versions writes none of their files.
    for file in [
        "assets/versions.js",
        "assets/versions.css",
        "changelog.html",
        "changelog.xml",
    ] {
        assert!(!site.out().join(file).exists(), "{file}");
    }
}
