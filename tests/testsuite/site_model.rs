//! `site`, `page` and `collection` as Jekyll 4.3.1 gives them to a site's own templates
//! (issue 30): a `site` key the config never set is nil (Jekyll's `Configuration::DEFAULTS`
//! where it has one), `site.time`, a root page's drop and a collection's drop. Each fixture
//! is the project's own; the expected values are what Jekyll 4.3.1 rendered for it.
use crate::common::{stderr, Site};

const SCSS: &str = "---\n---\n$base-url: \"\";\n{% if site.baseurl %}\n$base-url: {{ site.baseurl }};\n{% endif %}\n.logo { background: url(\"#{$base-url}/images/logo.svg\"); }\n";

/// A site of `files` with one doc (endpaper builds no site without one); `config` is
/// `_config.yml` before its `collections:`.
fn site(config: &str, files: &[(&str, &str)]) -> Site {
    let config = format!("{config}collections:\n  api:\n    title: API\n");
    let mut all = vec![
        ("_config.yml", config.as_str()),
        ("_api/a.md", "---\ntitle: A\n---\nA.\n"),
    ];
    all.extend_from_slice(files);
    Site::new(&all)
}

/// Builds `s` with `theme: site`; panics with the messages when the build fails.
fn build(s: &Site) {
    let out = s.endpaper(&["build", ".", "--theme", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn sass_site(config: &str) -> Site {
    site(
        config,
        &[
            ("_layouts/default.html", "<html>{{ content }}</html>\n"),
            ("index.html", "---\nlayout: default\n---\nHome\n"),
            ("css/style.scss", SCSS),
        ],
    )
}

/// Jekyll leaves an unset `baseurl` nil, so the Sass's `{% if site.baseurl %}` is false
/// and `$base-url` stays `""`; an empty string there (truthy in Liquid) made
/// `$base-url: ;`, which no Sass compiler reads. Jekyll 4.3.1 gives the same rule
/// (its converter writes it on one line; endpaper's grass writes the `expanded` style).
#[test]
fn sass_testing_an_unset_baseurl_compiles_as_in_jekyll() {
    let s = sass_site("title: Sass\n");
    build(&s);
    assert_eq!(
        s.read_out("css/style.css"),
        ".logo {\n  background: url(\"/images/logo.svg\");\n}\n"
    );

    // A set `baseurl` still reaches the Sass.
    let s = sass_site("title: Sass\nbaseurl: /docs\n");
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
    let s = Site::new(&[
        (
            "_config.yml",
            "title: Keys\nexclude: [notes]\nkramdown:\n  input: kramdown\ncollections:\n  api:\n    title: API\n",
        ),
        ("_api/a.md", "---\ntitle: A\n---\nA.\n"),
        (
            "index.html",
            "---\n---\nb={{ site.baseurl | inspect }} {% if site.baseurl %}set{% else %}unset{% endif %}\n\
             p={{ site.permalink }} m={{ site.markdown }} h={{ site.highlighter }} ext={{ site.markdown_ext }} port={{ site.port }} safe={{ site.safe }} tz={{ site.timezone | inspect }}\n\
             ex={{ site.exclude | join: ',' }} in={{ site.include | join: ',' }}\n\
             k={{ site.kramdown.input }} {{ site.kramdown.auto_ids }} {{ site.kramdown.syntax_highlighter }} l={{ site.liquid.error_mode }}\n\
             t={{ site.tags.size }} c={{ site.categories.size }}\n",
        ),
    ]);
    build(&s);
    assert_eq!(
        s.read_out("index.html"),
        "b=nil unset\n\
         p=date m=kramdown h=rouge ext=markdown,mkdown,mkdn,mkd,md port=4000 safe=false tz=nil\n\
         ex=notes,.sass-cache,.jekyll-cache,gemfiles,Gemfile,Gemfile.lock,node_modules,vendor/bundle/,vendor/cache/,vendor/gems/,vendor/ruby/ in=.htaccess\n\
         k=kramdown true rouge l=warn\n\
         t=0 c=0\n"
    );
}

/// `site.time` is the config's `time:` when set (Jekyll's `Site#reset`), shown as Ruby
/// shows a `Time`; without one it is the build's moment, a date the `date` filter reads.
#[test]
fn site_time_is_the_configs_time_else_the_builds() {
    let page = "---\n---\n{{ site.time }}|{{ site.time | date: '%Y' }}\n";
    let s = site(
        "title: T\ntime: 2024-05-06 07:08:09 +0000\n",
        &[("index.html", page)],
    );
    build(&s);
    assert_eq!(s.read_out("index.html"), "2024-05-06 07:08:09 +0000|2024\n");

    let s = site("title: T\n", &[("index.html", page)]);
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
    let s = site(
        "title: T\n",
        &[
        (
            "_layouts/p.html",
            "L[{{ page.content | size }}]{{ content }}",
        ),
        (
            "sub/info.md",
            "---\ntitle: Info\npermalink: /info/\nlayout: p\n---\nd={{ page.dir }} n={{ page.name }} p={{ page.path }} u={{ page.url }} e={{ page.excerpt | inspect }}\n",
        ),
        (
            "sub/about.md",
            "---\ntitle: About\npath: elsewhere.md\n---\nd={{ page.dir }} p={{ page.path }} c={{ page.content | size }}\n",
        ),
    ],
    );
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
    let s = Site::new(&[
        (
            "_config.yml",
            "title: T\ncollections:\n  zeta:\n    title: Zeta\n    output: \"yes\"\n    permalink: \"/#name\"\n  api:\n    title: API\n",
        ),
        ("_zeta/z.md", "---\ntitle: Z\n---\nZ.\n"),
        ("_api/a.md", "---\ntitle: A\n---\nA.\n"),
        (
            "index.html",
            "---\n---\n{% for c in site.collections %}{{ c.label }}:{{ c.output }}:{{ c.relative_directory }}:{{ c.permalink }}:{{ c.title }}:{{ c.docs.size }}:{{ c.files.size }}|{% endfor %}\n",
        ),
    ]);
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
    let s = site(
        "title: Sass\n",
        &[
            ("index.html", "---\n---\nHome\n"),
            (
            "css/p.scss",
            "---\ntheme_color: \"#123456\"\n---\n/* {{ page.url }} {{ page.name }} {{ page.path }} {{ page.dir }} */\na { color: {{ page.theme_color }}; }\n",
        ),
        ],
    );
    build(&s);
    assert_eq!(
        s.read_out("css/p.css"),
        "/* /css/p.css p.scss css/p.scss /css/ */\na {\n  color: #123456;\n}\n"
    );
}
