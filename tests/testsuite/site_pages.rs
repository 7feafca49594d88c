//! `site.pages`, `site.html_pages`, `site.static_files` and `site.documents` as Jekyll 4.3
//! gives them (issue 30). `tests/fixtures/site-pages` is the project's own site: its root
//! page lists each of them, a nav menu over `site.pages | where: "layout", …`, and the raw
//! `content` of a page rendered after it. `tests/fixtures/site-pages.jekyll.html` is Jekyll
//! 4.3.1's build of that page (Debian's `jekyll`), with each static file's modification time
//! (a property of the copy, not of the site) written `MTIME`.
//!
//! What it shows: pages are sorted by file name, not path (`docs/alpha.md` before
//! `beta.md`); `html_pages` leaves out `feed.xml`; static paths start with `/`;
//! `site.documents` holds every collection's docs, one written without `output: true`
//! among them, in the order `_config.yml` declares the collections (`widgets` before
//! `notes`), each collection's docs by path. A collection folder's files that are no doc (an
//! image, a file in a subfolder, markdown without front matter; not `_hidden.txt` or a
//! dotfile) follow the root static files, collection by collection, with their path as it is
//! (no leading `/`) and their collection's label; `site.documents` lists them after each
//! collection's docs, as Jekyll merges `docs` and `files`.
use crate::common;
use std::path::Path;

/// `html` with each static file's `modified_time` (printed as seconds since the epoch, the
/// last field of its line in `#statics`) checked against the file's own and written `MTIME`.
fn check_mtimes(html: &str, site: &Path) -> String {
    let statics = common::element(html, "statics");
    let mut out = html.to_string();
    let mut seen = 0;
    for line in statics.lines().filter(|l| l.starts_with("<li>")) {
        let fields: Vec<&str> = line
            .trim_start_matches("<li>")
            .trim_start_matches('/')
            .trim_end_matches("</li>")
            .split('|')
            .collect();
        let (rel, secs) = (fields[0], fields[fields.len() - 1]);
        let modified = std::fs::metadata(site.join(rel))
            .unwrap()
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(secs, modified.to_string(), "modified_time of {rel}");
        out = out.replace(line, &line.replace(&format!("|{secs}</li>"), "|MTIME</li>"));
        seen += 1;
    }
    assert_eq!(seen, 7, "{statics}");
    out
}

#[test]
fn the_site_theme_lists_pages_static_files_and_documents_as_jekyll_does() {
    let (site, path) = common::fixture("site-pages");
    let html = check_mtimes(&site.build(&["--theme", "site"]), &path);
    let jekyll = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-pages.jekyll.html"),
    )
    .unwrap();
    assert_eq!(html, jekyll);
}

/// `site.documents` is a list like any other (size, negative and out-of-range indexes,
/// filters), and a collection named `documents` takes the name, as in Jekyll's `SiteDrop#[]`.
/// The expected lines are what Jekyll 4.3.1 renders for these sites.
#[test]
fn site_documents_reads_as_a_list_and_yields_to_a_collection_of_its_name() {
    let site = common::Site::fixture("site-pages-documents");
    let html = site.build(&["--theme", "site"]);
    assert_eq!(html, "3 Put  Put|Start,Get,Put|Start\n");
    site.write(
        "_config.yml",
        "collections:\n  api: {}\n  guides: {}\n  documents: {}\n",
    );
    let html = site.build(&["--theme", "site"]);
    assert_eq!(html, "1 Doc  |Doc|\n");
}

/// A collection with `output: true` (`widgets`) has a page per doc at its URL, through the
/// doc's layout if it names one (`gear`), as Jekyll 4.3.1 writes it
/// (`site-pages.bolt.jekyll.html`, `site-pages.gear.jekyll.html`), and its static files at
/// their URLs, where Jekyll 4.3.1 wrote them (`widgets/parts/spring.txt`); `notes` has none.
#[test]
fn the_site_theme_writes_a_page_for_each_doc_of_an_output_collection() {
    let (site, _) = common::fixture("site-pages");
    let out = site.endpaper(&["build", ".", "--theme", "site"]);
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("2 doc(s) and 2 static file(s) of collections with `output: true`"),
        "{said}"
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["bolt", "gear"] {
        let jekyll =
            std::fs::read_to_string(fixtures.join(format!("site-pages.{name}.jekyll.html")))
                .unwrap();
        assert_eq!(site.read_out(&format!("widgets/{name}.html")), jekyll);
    }
    assert!(!site.out().join("notes/first.html").exists());
    for (rel, at) in [
        ("_widgets/diagram.svg", "widgets/diagram.svg"),
        ("_widgets/parts/spring.txt", "widgets/parts/spring.txt"),
    ] {
        assert_eq!(site.read_out(at), site.read_in(rel), "{at}");
    }
    assert!(!site.out().join("notes/table.csv").exists());
}
