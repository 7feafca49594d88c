//! What real Aviator sites contain, each in a fixture of our own: the site must build
//! unchanged, and anything endpaper cannot honour is reported.

use crate::common;
use common::{element, stderr, Site};

fn site() -> Site {
    let table_rows: String = (0..300)
        .map(|i| format!("| code{i} | meaning {i} |\n"))
        .collect();
    Site::new(&[
        (
            "_config.yml",
            "title: Real\napi_url: https://api.example.test/v1\ncollections:\n  docs:\n    title: Docs\n    position: 1\n    visibility: public\n  api:\n    title: API\n    position: 2\n  empty:\n    title: Placeholder\n    position: 3\n    visibility:\n",
        ),
        (
            "_docs/scalars.md",
            "---\ntitle: Scalars\nposition: 1\ndescription: >-\n  folded\n  into one line\nkeep: |\n  line one\n  line two\nstrip: |-\n  no trailing newline\nindent: |2-\n    two extra spaces\nfold: >\n  folded with\n  newline\nmethod:\n---\nBody.\n",
        ),
        ("_docs/broken.md", "---\ntitle: Never closed\nposition: 2\n\nThis front matter never ends.\n"),
        ("_docs/plain notes.md", "No front matter: copied as a static file.\n"),
        (
            "_api/get order.md",
            "---\ntitle: /orders/&lt;order_uuid&gt\nname: Get Order\nposition: 1\nmethod: GET\n---\n\
Open [the docs](https://example.test){: target=\"_blank\"} and ![logo](/images/logo.png){:class=\"logo\"}.\\\n\
Line one<br>line two  \nhard break above.\n\n\
<div class=\"raw\"><p>Raw <em>HTML</em> block</p></div>\n\n\
Bare URL https://example.test/x stays text.\tTabbed. Non\u{a0}breaking, 日本語のテキスト, Ελληνικά.\n\n\
<!-- {% include note.md %} -->\n\n\
term\n: first\n\n: second after a blank line\n\nother\n: def\n\n\
| Code | Meaning |\n|---|\n{rows}\n\
~~~ bas\necho typo\n~~~\n{{: title=\"Shell\" }}\n\n\
~~~ json\n{{\"a\": 1,}}\n~~~\n{{: title=\"Response\" }}\n\n\
~~~ bash\ncurl {{{{ site.api_url }}}}/orders\n~~~\n{{: title=\"Curl\" }}\n"
                .replace("{rows}", &table_rows)
                .replace("{{", "{")
                .replace("}}", "}")
                .leak(),
        ),
        ("_includes/note.md", "included inside a comment"),
        ("images/logo.png", "PNG"),
        ("_layouts/default.html", "<html>{{ content }}</html>"),
        ("_plugins/thing.rb", "# ruby"),
        ("index.html", "---\nlayout: default\n---\n"),
        ("internal.html", "---\nlayout: default\n---\n"),
        ("css/style.scss", "---\n---\n@import 'x';\n"),
    ])
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
    Site::new(&[
        (
            "_config.yml",
            "collections:\n  guide:\n    title: Guide\n    position_number: 1\n",
        ),
        (
            "_guide/alpha.md",
            "---\ntitle: Alpha\nposition_number: 1\ncontent_markdown: Alpha words.\n---\n",
        ),
        (
            "_guide/broken.md",
            "---\ntitle: Broken\nposition_number: 2\ncontent_markdown: >-\n  first line\nsecond line at column zero\n---\nBody after the block.\n",
        ),
        (
            "_guide/open.md",
            "---\ntitle: Open\nposition_number: 3\n\nThe block never closes.\n",
        ),
    ])
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
    let s = Site::new(&[
        ("_config.yml", "collections:\n  guide:\n    title: Guide\n"),
        (
            "_guide/limits",
            "---\ntitle: Limits\nposition: 2\ncontent_markdown: Ten **calls** a second.\n---\n",
        ),
        (
            "_guide/raw notes.txt",
            "---\ntitle: Raw notes\nposition: 3\n---\n<p>Kept *as is*</p>\n",
        ),
        (
            "_guide/intro.mkd",
            "---\ntitle: Intro\nposition: 1\n---\nHello *there*.\n",
        ),
        ("_guide/data.csv", "a,b\n1,2\n"),
    ]);
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
    let s = Site::new(&[
        ("_config.yml", "collections:\n  guide:\n    title: Guide\n"),
        (
            "_guide/rate-LIMITS.md",
            "---\nposition: 1\n---\nSome text.\n",
        ),
    ]);
    let out = s.endpaper(&["build", "."]);
    assert!(stderr(&out).contains("[missing-title]"), "{}", stderr(&out));
    let doc = element(&s.read_out("index.html"), "guiderate-LIMITS").to_string();
    assert!(doc.contains("Rate Limits"), "{doc}");
}

#[test]
fn front_matter_defaults_from_the_config_apply_like_jekyll() {
    let s = Site::new(&[
        (
            "_config.yml",
            "collections:\n  guide:\n    position: 1\n  api:\n    position: 2\ndefaults:\n  - scope:\n      path: \"\"\n    values:\n      layout: default\n  - scope:\n      type: api\n    values:\n      _hide_content: true\n      method: get\n  - scope:\n      path: _guide/staff\n    values:\n      visibility: internal\n",
        ),
        ("_guide/intro.md", "---\ntitle: Intro\n---\nShown body.\n"),
        ("_guide/staff/runbook.md", "---\ntitle: Runbook\n---\nOnly for staff: glorptastic.\n"),
        (
            "_api/list.md",
            "---\ntitle: /things\ncontent_markdown: Lists things.\n---\nStray body the layout never prints: flibbertigibbet.\n",
        ),
        ("_api/make.md", "---\ntitle: /things\nmethod: post\n---\n"),
    ]);
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
