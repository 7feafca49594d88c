//! What real Aviator sites contain, each in a fixture of our own: the site must build
//! unchanged, and anything endpaper cannot honour is reported.

use crate::common;
use common::{element, stderr, Site};

/// `tests/fixtures/real_sites-aviator`: YAML block scalars, an unclosed front matter, a file
/// name with a space, kramdown's span IALs, entities without `;`, a 300-row table under a
/// short separator, a language typo and bad JSON, and the Jekyll files endpaper does not use.
fn site() -> Site {
    Site::fixture("real_sites-aviator")
}

#[test]
fn yaml_block_scalars_fold_exactly_and_null_method_is_no_method() {
    let s = site();
    let html = s.build(&[]);
    let doc = element(&html, "docsscalars");
    assert!(doc.contains("folded into one line"), "{doc}");
    assert!(doc.contains("data-method=\"\""), "{doc}");
    let idx = s.read_out("search-index.js");
    assert!(idx.contains("folded into one line"));
}

#[test]
fn an_unterminated_front_matter_is_not_a_doc_and_is_warned_with_its_line() {
    let s = site();
    let out = s.endpaper(&["build", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("_docs/broken.md:1:1"), "{err}");
    assert!(err.contains("never closed"), "{err}");
    assert!(!s.read_out("index.html").contains("Never closed"));
}

#[test]
fn kramdown_isms_of_real_sites_render() {
    let s = site();
    let html = s.build(&[]);
    let doc = element(&html, "apiget order");
    assert!(
        doc.contains("&lt;order_uuid&gt;"),
        "entity without `;` decoded: {doc}"
    );
    assert!(doc.contains("target=\"_blank\""), "span IAL on a link");
    assert!(doc.contains("class=\"logo\""), "span IAL on an image");
    assert!(doc.contains("<br"), "inline <br> and hard break");
    assert!(
        doc.contains("<div class=\"raw\"><p>Raw <em>HTML</em> block</p></div>"),
        "raw HTML passes through"
    );
    assert!(
        doc.contains("https://example.test/x stays text.\tTabbed."),
        "tabs in text survive"
    );
    assert!(doc.contains("日本語のテキスト") && doc.contains("Non\u{a0}breaking"));
    assert!(
        doc.contains("<!-- included inside a comment -->"),
        "include inside an HTML comment"
    );
    assert_eq!(
        doc.matches("<dl").count(),
        1,
        "a blank line between definition lists keeps one list: {doc}"
    );
    assert!(
        doc.contains("<dd><p>second after a blank line</p>"),
        "a definition after a blank line is a paragraph: {doc}"
    );
    assert_eq!(
        doc.matches("<tr>").count(),
        301,
        "a table with a short separator row still renders all rows"
    );
    assert!(
        doc.contains("curl https://api.example.test/v1/orders")
            || doc.contains("https://api.example.test/v1/orders"),
        "{{ site.x }} inside a fence"
    );
    assert!(doc.contains("data-title=\"Shell\"") && doc.contains("echo typo"));
}

#[test]
fn typos_and_bad_json_are_warned_with_positions_not_fatal() {
    let s = site();
    let out = s.endpaper(&["build", "."]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("unknown code language `bas`"), "{err}");
    assert!(
        err.contains("[unknown-language]\n  --> _api/get order.md:"),
        "{err}"
    );
    assert!(
        err.contains("[invalid-json]\n  --> _api/get order.md:"),
        "{err}"
    );
    let strict = s.endpaper(&["build", ".", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn static_files_are_copied_and_empty_collections_are_placeholders() {
    let s = site();
    let html = s.build(&[]);
    assert!(s.out().join("images/logo.png").exists());
    assert!(
        s.out().join("docs/plain notes.md").exists(),
        "a collection file without front matter is a static file"
    );
    assert!(
        !html.contains("Placeholder"),
        "an empty collection is not a section"
    );
    assert!(
        html.contains("images/logo.png\""),
        "root-absolute image made page-relative"
    );
    assert!(!html.contains("src=\"/images"), "{html}");
}

#[test]
fn the_migration_report_names_what_endpaper_does_not_use() {
    let s = site();
    let out = s.endpaper(&["build", "."]);
    let err = stderr(&out);
    for what in [
        "_layouts/default.html",
        "_plugins/thing.rb",
        "index.html",
        "css/style.scss",
    ] {
        assert!(err.contains(what), "report misses {what}: {err}");
    }
    assert!(
        err.contains("internal.html") && err.contains("--audience internal"),
        "{err}"
    );
    assert_eq!(
        err.matches("does not use").count(),
        1,
        "the report is printed once"
    );
}

/// A site without audiences (CloudCannon's Aviator): Jekyll keeps a doc whose front matter it
/// cannot read, with no data, first in its section.
fn site_without_audiences() -> Site {
    Site::fixture("real_sites-no-audiences")
}

#[test]
fn a_doc_with_unreadable_front_matter_is_kept_without_data_and_warned() {
    let s = site_without_audiences();
    let out = s.endpaper(&["build", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("[invalid-front-matter]"), "{err}");
    assert!(err.contains("_guide/broken.md:7:"), "{err}");
    assert!(err.contains("[unterminated-front-matter]"), "{err}");
    let html = s.read_out("index.html");
    let broken = element(&html, "guidebroken");
    assert!(broken.contains("Body after the block."), "{broken}");
    assert!(
        !broken.contains("Broken"),
        "no data: the title is not read: {broken}"
    );
    assert!(
        element(&html, "guideopen").contains("The block never closes."),
        "an unterminated block leaves the whole file as content"
    );
    let at = |a: &str| html.find(&format!("id=\"{a}\"")).unwrap();
    assert!(
        at("guidebroken") < at("guidealpha") && at("guideopen") < at("guidealpha"),
        "docs without a position sort first"
    );
}

#[test]
fn collection_files_with_front_matter_are_docs_whatever_their_extension() {
    let s = Site::fixture("real_sites-extensions");
    let html = s.build(&[]);
    assert!(element(&html, "guidelimits").contains("<strong>calls</strong>"));
    let raw = element(&html, "guideraw notes");
    assert!(
        raw.contains("<p>Kept *as is*</p>"),
        "no converter: the body is output as it is: {raw}"
    );
    assert!(element(&html, "guideintro").contains("<em>there</em>"));
    assert!(
        !html.contains("a,b"),
        "a file without front matter is no doc"
    );
    let at = |a: &str| html.find(&format!("id=\"{a}\"")).unwrap();
    assert!(at("guideintro") < at("guidelimits") && at("guidelimits") < at("guideraw notes"));
}

#[test]
fn a_doc_without_title_is_titled_from_its_file_name() {
    let s = Site::fixture("real_sites-untitled");
    let out = s.endpaper(&["build", "."]);
    assert!(stderr(&out).contains("[missing-title]"), "{}", stderr(&out));
    let doc = element(&s.read_out("index.html"), "guiderate-LIMITS").to_string();
    assert!(doc.contains("Rate Limits"), "{doc}");
}

#[test]
fn front_matter_defaults_from_the_config_apply_like_jekyll() {
    let s = Site::fixture("real_sites-defaults");
    let html = s.build(&[]);
    assert!(element(&html, "guideintro").contains("Shown body."));
    let list = element(&html, "apilist");
    assert!(
        list.contains("data-method=\"get\""),
        "method from defaults: {list}"
    );
    assert!(list.contains("Lists things."));
    assert!(
        !html.contains("flibbertigibbet"),
        "`_hide_content` bodies are not shown"
    );
    assert!(
        element(&html, "apimake").contains("data-method=\"post\""),
        "the doc's own value wins"
    );
    assert!(
        !s.all_output().contains("glorptastic"),
        "visibility from a path default keeps the doc internal"
    );
}
