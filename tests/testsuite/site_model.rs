//! `site`, `page` and `collection` as Jekyll 4.3.1 gives them to a site's own templates
//! (issue 30): a `site` key the config never set is nil (Jekyll's `Configuration::DEFAULTS`
//! where it has one), `site.time`, a root page's drop and a collection's drop. Each fixture
//! is the project's own; the expected values are what Jekyll 4.3.1 rendered for it.
use crate::common::{self, stderr, Site};

/// Builds `s` with `theme: site`; panics with the messages when the build fails.
fn build(s: &Site) {
    let out = s.endpaper(&["build", ".", "--theme", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Jekyll leaves an unset `baseurl` nil, so the Sass's `{% if site.baseurl %}` is false
/// and `$base-url` stays `""`; an empty string there (truthy in Liquid) made
/// `$base-url: ;`, which no Sass compiler reads. Jekyll 4.3.1 gives the same rule
/// (its converter writes it on one line; endpaper's grass writes the `expanded` style).
#[test]
fn sass_testing_an_unset_baseurl_compiles_as_in_jekyll() {
    let s = Site::fixture("site_model-sass");
    build(&s);
    assert_eq!(
        s.read_out("css/style.css"),
        ".logo {\n  background: url(\"/images/logo.svg\");\n}\n"
    );

    // A set `baseurl` still reaches the Sass.
    let config = s.read_in("_config.yml");
    s.write("_config.yml", &format!("{config}baseurl: /docs\n"));
    build(&s);
    assert_eq!(
        s.read_out("css/style.css"),
        ".logo {\n  background: url(\"/docs/images/logo.svg\");\n}\n"
    );
}

/// Keys Jekyll has no value for are nil (falsy) and its `DEFAULTS` fill the others, the
/// config's keys deep-merged over them (`Utils.deep_merge_hashes`) and its excludes
/// appended after the site's (`add_default_excludes`).
#[test]
fn unset_site_keys_are_nil_with_jekylls_defaults_under_the_config() {
    let s = Site::fixture("site_model-keys");
    build(&s);
    assert_eq!(
        s.read_out("index.html"),
        common::fixture_text("site_model-keys.jekyll.html")
    );
}

/// `site.time` is the config's `time:` when set (Jekyll's `Site#reset`), shown as Ruby
/// shows a `Time`; without one it is the build's moment, a date the `date` filter reads.
#[test]
fn site_time_is_the_configs_time_else_the_builds() {
    let s = Site::fixture("site_model-time");
    build(&s);
    assert_eq!(s.read_out("index.html"), "2024-05-06 07:08:09 +0000|2024\n");

    let untimed = s
        .read_in("_config.yml")
        .replace("time: 2024-05-06 07:08:09 +0000\n", "");
    assert!(!untimed.contains("time:"), "{untimed}");
    s.write("_config.yml", &untimed);
    build(&s);
    let html = s.read_out("index.html");
    let (time, year) = html.trim_end().split_once('|').unwrap();
    assert!(time.starts_with(year) && year.len() == 4, "{html}");
    assert!(time.ends_with(" +0000") && time.len() == 25, "{html}");
}

/// A root page's drop (`Page::ATTRIBUTES_FOR_LIQUID`): `content` is the body as written, in
/// the page and in its layout; `dir` is the URL's folder, so a permalink moves it; `path`
/// is the source's unless the front matter sets one; `excerpt` is nil.
#[test]
fn a_root_pages_drop_is_jekylls() {
    let s = Site::fixture("site_model-page-drop");
    build(&s);
    assert_eq!(
        s.read_out("info/index.html"),
        "L[101]<p>d=/info/ n=info.md p=sub/info.md u=/info/ e=nil</p>\n"
    );
    assert_eq!(
        s.read_out("sub/about.html"),
        "<p>d=/sub/ p=elsewhere.md c=63</p>\n"
    );
}

/// A collection's drop: `output` is Ruby's truth of the config's `output:` (`"yes"` is
/// true, unset is false, `Collection#write?`); the config's other keys (`permalink`,
/// `title`) show through; `relative_directory` is `_label`. `site.collections` lists them
/// by label (`SiteDrop#collections`), Jekyll's `posts` among them with the permalink of the
/// site's style, though the site has no posts (zeta is declared first).
#[test]
fn a_collections_drop_is_jekylls() {
    let s = Site::fixture("site_model-collections");
    build(&s);
    assert_eq!(
        s.read_out("index.html"),
        "api:false:_api::API:1:0|posts:true:_posts:/:categories/:year/:month/:day/:title:output_ext::0:0|zeta:true:_zeta:/#name:Zeta:1:0|\n"
    );
}

/// A Sass page's Liquid sees its own drop as `page`: its front matter, and the URL of the
/// CSS it becomes (Jekyll 4.3.1 gives `/css/p.css p.scss css/p.scss /css/` here).
#[test]
fn sass_liquid_sees_the_pages_drop() {
    let s = Site::fixture("site_model-sass-page");
    build(&s);
    assert_eq!(
        s.read_out("css/p.css"),
        "/* /css/p.css p.scss css/p.scss /css/ */\na {\n  color: #123456;\n}\n"
    );
}
