use super::*;
use std::path::Path;

mod raw;

const CONFIG: &str = "app_url: https://app/\nbaseurl: /docs\nurl: https://x.io\ntitle: T\n";

struct Site {
    config: Config,
    includes: BTreeMap<String, String>,
    data: BTreeMap<String, String>,
}

fn site(includes: &[(&str, &str)], data: &[(&str, &str)]) -> Site {
    let map = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    Site {
        config: Config::parse(CONFIG, Path::new("_config.yml")).unwrap(),
        includes: map(includes),
        data: map(data),
    }
}

impl Site {
    fn render(&self, body: &str) -> Result<Expanded, SourceError> {
        let engine = Engine::new(SiteInputs {
            config: &self.config,
            includes: &self.includes,
            data: &self.data,
            sections: &[],
            loaded: None,
            root_files: None,
        })?;
        let page = liquid_core::model::to_value(&serde_json::json!({"name": "Get Thing"})).unwrap();
        let src = Source {
            rel: "_api/a.md",
            full: body,
            base: 0,
        };
        engine.render(&src, &[("page", &page)], Mode::Markdown)
    }
}

fn run(body: &str, includes: &[(&str, &str)]) -> Result<Expanded, SourceError> {
    site(includes, &[]).render(body)
}

fn text(body: &str) -> String {
    let ex = run(body, &[]).unwrap();
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
    ex.text
}

#[test]
fn pastes_includes_with_parameters_and_nesting() {
    let ex = run(
        "A\n{% include objects/p.md who=\"you\" n=page.name %}\nB <% include q.md %>\n",
        &[
            (
                "objects/p.md",
                "hi {{ include.who }} / {{ include.n }}\n{% include q.md %}",
            ),
            ("q.md", "Q"),
        ],
    )
    .unwrap();
    assert_eq!(ex.text, "A\nhi you / Get Thing\nQ\nB Q\n");
    assert_eq!(
        ex.includes.iter().collect::<Vec<_>>(),
        ["objects/p.md", "q.md"]
    );
}

#[test]
fn site_and_page_values_and_filters() {
    let ex = run("{{ site.app_url }}x {{site.baseurl}} {{ page.name | downcase }} {{ '/a' | relative_url }} {{ 'b' | absolute_url }}.", &[]).unwrap();
    assert_eq!(
        ex.text,
        "https://app/x /docs get thing /docs/a https://x.io/docs/b."
    );
}

#[test]
fn includes_work_inside_comments_and_fences_but_angle_form_not_in_fences() {
    let ex = run(
        "<!-- {% include q.md %} -->\n~~~\n{% include q.md %} <% include q.md %> {{ site.title }}\n~~~\n",
        &[("q.md", "Q")],
    )
    .unwrap();
    assert_eq!(ex.text, "<!-- Q -->\n~~~\nQ <% include q.md %> T\n~~~\n");
}

#[test]
fn raw_comment_and_highlight() {
    let ex = run("{% raw %}{{ x }}{% endraw %}{% comment %}gone {{ x }} {% endcomment %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n", &[]).unwrap();
    assert_eq!(ex.text, "{{ x }}\n~~~ ruby\nputs 1\n~~~\n\n");
}

#[test]
fn missing_include_is_a_located_error_with_its_chain_and_renders_empty() {
    let ex = run(
        "x\n  {% include a.md %} y",
        &[("a.md", "line\n {% include nope.md %}")],
    )
    .unwrap();
    assert_eq!(ex.text, "x\n  line\n  y");
    assert_eq!(ex.errors.len(), 1);
    assert_eq!(ex.errors[0].to_string(), "_includes/a.md:2:2: include file `_includes/nope.md` not found\n    included from _api/a.md:2:3");
}

#[test]
fn cycles_escapes_and_bad_tags_are_errors() {
    let ex = run(
        "{% include a.md %}",
        &[
            ("a.md", "{% include b.md %}"),
            ("b.md", "{% include a.md %}"),
        ],
    )
    .unwrap();
    assert!(
        ex.errors[0]
            .message
            .contains("include cycle: a.md → b.md → a.md"),
        "{:?}",
        ex.errors
    );
    let ex = run("{% include a.md %}", &[("a.md", "{% include a.md %}")]).unwrap();
    assert!(ex.errors[0].message.contains("include cycle"));
    for bad in ["{% include ../x.md %}", "{% include /etc/passwd %}"] {
        assert!(run(bad, &[]).unwrap().errors[0]
            .message
            .contains("leaves `_includes/`"));
    }
    let e = run("ok\n{{ site.x", &[]).unwrap_err();
    assert_eq!(e.pos, Pos::new(2, 1));
    assert!(run("{% %}", &[]).is_err());
    assert!(run("{% raw %}never closed", &[]).is_err());
    let e = run("a\n\n  {% if %}x{% endif %}", &[]).unwrap_err();
    assert_eq!(e.pos.line, 3, "{e}");
}

#[test]
fn deep_chains_and_bombs_are_stopped() {
    let chain: Vec<(String, String)> = (0..40)
        .map(|i| (format!("{i}.md"), format!("{{% include {}.md %}}", i + 1)))
        .collect();
    let refs: Vec<(&str, &str)> = chain
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let ex = run("{% include 0.md %}", &refs).unwrap();
    assert!(
        ex.errors[0].message.contains("nested deeper"),
        "{:?}",
        ex.errors
    );
    let big = "x".repeat(1 << 20);
    let ten = "{% include b.md %}".repeat(10);
    let e = run(
        "{% include t.md %}",
        &[
            ("t.md", &ten.replace("b.md", "h.md")),
            ("h.md", &ten),
            ("b.md", &big),
        ],
    )
    .unwrap_err();
    assert!(e.message.contains("MiB"), "{e}");
}

#[test]
fn source_map_points_back_into_includes_and_past_tags() {
    let body = "ab\n{% include q.md %}\ncd {{ page.name }} ef\n{% if site.title %}uv{% endif %}";
    let ex = run(body, &[("q.md", "x\nyz")]).unwrap();
    let at = ex.text.find('z').unwrap();
    assert_eq!(ex.map.locate(at), ("_includes/q.md", 3));
    for c in ["d", "f", "v", "Get"] {
        let at = ex.text.find(c).unwrap();
        let (f, off) = ex.map.locate(at);
        let want = if c == "Get" { "{{" } else { c };
        assert_eq!(
            (f, &body[off..off + want.len()]),
            ("_api/a.md", want),
            "{c}"
        );
    }
}

#[test]
fn multibyte_text_around_tags() {
    let ex = run(
        "Sūn Démíng {{ page.name }} 孫德明 {% include q.md %}ū",
        &[("q.md", "ø")],
    )
    .unwrap();
    assert_eq!(ex.text, "Sūn Démíng Get Thing 孫德明 øū");
}

#[test]
fn conditions_render_as_jekyll_does() {
    assert_eq!(text("{% if site.nope %}A{% else %}B{% endif %}"), "B");
    assert_eq!(
        text("{% if site.title == 'T' %}A{% elsif x %}C{% else %}B{% endif %}"),
        "A"
    );
    assert_eq!(text("{% unless site.nope %}U{% endunless %}"), "U");
    assert_eq!(
        text("{% case page.name %}{% when 'x' %}X{% when 'Get Thing' %}G{% else %}E{% endcase %}"),
        "G"
    );
    assert_eq!(
        text("{% if page.name contains 'Thing' and site.title %}yes{% endif %}"),
        "yes"
    );
}

#[test]
fn loops_with_limit_offset_reversed_and_forloop() {
    assert_eq!(
        text("{% for i in (1..5) limit:3 offset:1 %}{{ i }}{% unless forloop.last %},{% endunless %}{% endfor %}"),
        "2,3,4"
    );
    assert_eq!(
        text("{% for i in (1..3) reversed %}{{ forloop.index }}{{ i }} {% endfor %}"),
        "13 22 31 "
    );
    assert_eq!(
        text("{% for i in site.nope %}x{% else %}empty{% endfor %}"),
        "empty"
    );
}

#[test]
fn a_missing_field_of_a_loop_item_is_nil_in_conditions_and_a_warning_in_output() {
    let body = "{% for g in site.data.groups %}\
         {% if g.kind %}[{{ g.kind }}]{% endif %}\
         {% unless g.kind == 'api' %}-{% endunless %}\
         {% case g.kind %}{% when 'api' %}api{% else %}other{% endcase %}\
         {% for x in g.items %}{{ x }}{% else %}none{% endfor %}\
         {{ g.title }}{{ g.nope }};{% endfor %}";
    let ex = site(
        &[],
        &[("groups.yml", "- title: A\n  kind: api\n- title: B\n")],
    )
    .render(body)
    .unwrap();
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
    assert_eq!(ex.text, "[api]apinoneA;-othernoneB;");
    let warned: Vec<_> = ex
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("nope"))
        .collect();
    assert_eq!(warned.len(), 2, "{:?}", ex.diagnostics);
    let at = Pos::new(1, body.find("{{ g.nope").unwrap() + 1);
    assert!(warned.iter().all(|d| d.pos == at), "{warned:?}");
}

#[test]
fn capture_assign_and_increment() {
    assert_eq!(
        text("{% assign n = page.name | upcase %}{% capture c %}<{{ n }}>{% endcapture %}{{ c }}{{ c | size }}{% if c == '<GET THING>' %}!{% endif %}"),
        "<GET THING>11!"
    );
    assert_eq!(text("{% increment k %}{% increment k %}"), "01");
}

#[test]
fn jekyll_filters() {
    assert_eq!(text("{{ 'Hello World!' | slugify }}"), "hello-world");
    assert_eq!(text("{{ 'a *b*' | markdownify }}"), "<p>a <em>b</em></p>\n");
    assert_eq!(text("{{ site.title | jsonify }} {{ 'a<b' | xml_escape }} {{ 'one two  three' | number_of_words }}"), "\"T\" a&lt;b 3");
    assert_eq!(
        text("{{ 'https://e.com/x' | relative_url }}"),
        "https://e.com/x"
    );
}

#[test]
fn markdown_code_blocks_carry_their_ial_as_kramdown_writes_it_and_are_highlighted() {
    assert_eq!(
        markdown_html("~~~ bash\ncurl \"x\"\n~~~\n{: title=\"Curl <1>\" .wide }\n\n```\nplain\n```\n"),
        "<div class=\"language-bash wide highlighter-rouge\" title=\"Curl &lt;1&gt;\">\
         <div class=\"highlight\"><pre class=\"highlight\"><code><span class=nf>curl </span><span class=s>\"x\"\n</span></code></pre></div></div>\n\
         <div class=\"language-plaintext highlighter-rouge\">\
         <div class=\"highlight\"><pre class=\"highlight\"><code>plain\n</code></pre></div></div>\n"
    );
}

/// As Jekyll 4.3.1 writes them: plain text is one bare run (Rouge's plain-text lexer puts no
/// span around it), and a language Rouge has no lexer for is not highlighted at all: kramdown's
/// bare `<pre>`, the IAL on it, the language on the `<code>`.
#[test]
fn plain_text_and_unknown_languages_are_written_as_kramdown_writes_them() {
    assert_eq!(
        markdown_html("~~~ text\na <b> & c\n~~~\n\n~~~ nosuchlang\nzz\n~~~\n{: title=\"Z\" }\n"),
        "<div class=\"language-text highlighter-rouge\">\
         <div class=\"highlight\"><pre class=\"highlight\"><code>a &lt;b&gt; &amp; c\n</code></pre></div></div>\n\
         <pre title=\"Z\"><code class=\"language-nosuchlang\">zz\n</code></pre>\n"
    );
}

#[test]
fn date_filters() {
    let at = "'2024-03-05 10:20:30 +0000'";
    assert_eq!(
        text(&format!("{{{{ {at} | date_to_string }}}} / {{{{ {at} | date_to_long_string }}}} / {{{{ {at} | date_to_xmlschema }}}}")),
        "05 Mar 2024 / 05 March 2024 / 2024-03-05T10:20:30+00:00"
    );
}

#[test]
fn data_files_from_yaml_json_and_csv() {
    let s = site(
        &[],
        &[
            (
                "nav.yml",
                "- title: One\n  url: /one\n- title: Two\n  url: /two\n",
            ),
            ("team/people.json", "{\"lead\": {\"name\": \"Ana\"}}"),
            ("codes.csv", "code,label\n200,OK\n404,Not Found\n"),
        ],
    );
    let ex = s
        .render("{% for l in site.data.nav %}[{{ l.title }}]({{ l.url | relative_url }}) {% endfor %}{{ site.data.team.people.lead.name }} {% assign c = site.data.codes | where: 'code', '404' | first %}{{ c.label }}")
        .unwrap();
    assert_eq!(ex.text, "[One](/docs/one) [Two](/docs/two) Ana Not Found");
    let bad = site(&[], &[("x.json", "{\n  oops")]).render("");
    assert!(bad.unwrap_err().to_string().starts_with("_data/x.json:2:"));
}

#[test]
fn where_sort_group_by_and_where_exp() {
    let s = site(
        &[],
        &[(
            "items.yml",
            "- {n: b, k: x, p: 2}\n- {n: a, k: y, p: 1}\n- {n: c, k: x, p: 3}\n",
        )],
    );
    let r = |t: &str| s.render(t).unwrap().text;
    assert_eq!(
        r("{{ site.data.items | where: 'k', 'x' | map: 'n' | join: ',' }}"),
        "b,c"
    );
    assert_eq!(
        r("{{ site.data.items | sort: 'n' | map: 'n' | join: ',' }}"),
        "a,b,c"
    );
    assert_eq!(
        r("{{ site.data.items | where_exp: 'i', 'i.p > 1' | map: 'n' | join: ',' }}"),
        "b,c"
    );
    assert_eq!(
        r("{% assign gs = site.data.items | group_by: 'k' %}{% for g in gs %}{{ g.name }}={{ g.size }} {% endfor %}"),
        "x=2 y=1 "
    );
}

#[test]
fn unknown_variables_filters_and_tags_are_located_warnings() {
    let ex = run(
        "a\n  {{ site.api_ur }}/notes {{ 'x' | nofilter }} {% seo %}",
        &[],
    )
    .unwrap();
    assert_eq!(ex.text, "a\n  /notes x ");
    let found: Vec<String> = ex
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d.file.display(),
                d.pos.line,
                d.pos.col,
                d.code
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "_api/a.md:2:34 unsupported-liquid",
            "_api/a.md:2:48 unsupported-liquid",
            "_api/a.md:2:3 unknown-variable",
        ]
    );
    assert!(
        ex.diagnostics[2].message.contains("site.api_ur"),
        "{}",
        ex.diagnostics[2].message
    );
}

#[test]
fn include_with_variable_path_and_liquid_inside() {
    let s = site(&[("kinds/get.md", "GET {{ include.x | upcase }}")], &[]);
    let ex = s
        .render("{% assign k = 'get' %}{% include kinds/{{ k }}.md x='y' %}")
        .unwrap();
    assert_eq!(ex.text, "GET Y");
}

#[test]
fn errors_inside_includes_name_the_chain() {
    let ex = run(
        "x\n{% include a.md %}",
        &[
            ("a.md", "one\n{% include b.md %}"),
            ("b.md", "\n\n {{ x | divided_by: 0 }}"),
        ],
    )
    .unwrap();
    let w = &ex.diagnostics[0];
    assert_eq!(
        (w.file.display().to_string(), w.pos),
        ("_includes/b.md".into(), Pos::new(3, 2))
    );
    assert!(
        w.message
            .ends_with("(included from _includes/a.md:2:1) (included from _api/a.md:2:1)"),
        "{}",
        w.message
    );
}

#[test]
fn html_templates_render_without_sentinels() {
    let s = site(&[("nav.html", "<nav>{{ include.t }}</nav>\n")], &[]);
    let engine = Engine::new(SiteInputs {
        config: &s.config,
        includes: &s.includes,
        data: &s.data,
        sections: &[],
        loaded: None,
        root_files: None,
    })
    .unwrap();
    let full = "---\nlayout: x\n---\n<h1>{{ site.title }}</h1>\n{%- include nav.html t='Docs' %}\n{% highlight ruby %}\nputs '<b>'\n{% endhighlight %}\n";
    let src = Source {
        rel: "index.html",
        full,
        base: full.find("<h1>").unwrap(),
    };
    let ex = engine.render(&src, &[], Mode::Html).unwrap();
    assert_eq!(
        ex.text,
        "<h1>T</h1><nav>Docs</nav>\n\n<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">puts '&lt;b&gt;'</code></pre></figure>\n"
    );
}

#[test]
fn captured_include_output_is_plain_text() {
    let ex = run(
        "{% capture x %}{% include q.md %}{% endcapture %}{{ x | markdownify }}{{ x | size }}",
        &[("q.md", "*hi*")],
    )
    .unwrap();
    assert_eq!(ex.text, "<p><em>hi</em></p>\n4");
}

#[test]
fn suggests_a_likely_typo_and_nothing_for_another_name() {
    let names = ["upcase", "downcase", "append", "replace"];
    assert_eq!(did_you_mean("upcasee", names), "; did you mean `upcase`?");
    assert_eq!(did_you_mean("UPCASE", names), "; did you mean `upcase`?");
    assert_eq!(did_you_mean("markdownify", names), "");
    assert_eq!(did_you_mean("replace_regex", names), "");
    assert_eq!(likely("api-url", ["api_url", "url"]), Some("api_url"));
}

#[test]
fn a_hash_is_gone_through_in_written_order_every_build() {
    // Ruby's Hash keeps the order its keys were written in; the `liquid` crate's HashMap
    // kept none, so many engines, each with its own maps, must all write this same text.
    let data = [
        (
            "codes.yml",
            "zeta: 1\nalpha: 2\nmid: {y: 1, b: 2}\nzeta: 4\n",
        ),
        (
            "codes2.json",
            r#"{"q": 1, "c": {"z": [{"k": 1, "a": 2}], "b": 3}}"#,
        ),
        ("table.csv", "name,age,id\nann,3,x\n"),
    ];
    let body = "{% for p in site.data.codes %}{{ p[0] }}={{ p[1] }} {% endfor %}\
                {% assign f = site.data.codes | first %}{{ f[0] }} \
                {{ site.data.codes2 | jsonify }} {{ site.data.codes2.c }} \
                {{ site.data.table | jsonify }}";
    for _ in 0..16 {
        let out = site(&[], &data).render(body).unwrap();
        assert_eq!(
            out.text,
            "zeta=4 alpha=2 mid={\"y\"=>1, \"b\"=>2} zeta \
             {\"q\":1,\"c\":{\"z\":[{\"k\":1,\"a\":2}],\"b\":3}} \
             {\"z\"=>[{\"k\"=>1, \"a\"=>2}], \"b\"=>3} \
             [{\"name\":\"ann\",\"age\":\"3\",\"id\":\"x\"}]"
        );
    }
}

#[test]
fn a_config_mapping_keeps_its_written_order_under_the_defaults() {
    let config = Config::parse(
        "title: T\nnav:\n  zoo: /z\n  api: /a\n  mid: /m\nkramdown:\n  input: GFM\n",
        Path::new("_config.yml"),
    )
    .unwrap();
    let mut s = site(&[], &[]);
    s.config = config;
    let out = s
        .render("{% for p in site.nav %}{{ p[0] }} {% endfor %}{{ site.kramdown | first | first }}")
        .unwrap();
    // `kramdown` is laid over Jekyll's defaults: the written key comes first, then theirs.
    assert_eq!(out.text, "zoo api mid input");
}

#[test]
fn written_key_order_is_read_as_parse_reads_keys() {
    let order = crate::frontmatter::key_order("b: 1\n2: x\na: {z: 1, y: [{q: 1, p: 2}]}\nb: 3\n");
    let keys: Vec<&str> = order.keys.keys().map(String::as_str).collect();
    assert_eq!(keys, ["b", "2", "a"]);
    let inner: Vec<&str> = order
        .of("a")
        .item(0)
        .keys
        .keys()
        .map(String::as_str)
        .collect();
    assert!(inner.is_empty(), "`a` is a mapping, not a list");
    let item: Vec<&str> = order
        .of("a")
        .of("y")
        .item(0)
        .keys
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(item, ["q", "p"]);
    assert!(crate::frontmatter::key_order("a: [").is_empty());
}

#[test]
fn blank_blocks_write_no_whitespace_as_in_ruby() {
    // Only whitespace and quiet tags: Ruby drops the text of the block when it parses it.
    assert_eq!(
        text("a\n{% if true %}\n  {% assign x = 1 %}\n{% endif %}\nb{{ x }}"),
        "a\n\nb1"
    );
    assert_eq!(
        text("{% for i in (1..3) %} {% capture c %} kept {% endcapture %} {% endfor %}[{{ c }}]"),
        "[ kept ]"
    );
    // Something written: the whitespace stays, in every branch.
    assert_eq!(text("{% if true %} {{ 1 }} {% endif %}"), " 1 ");
    assert_eq!(text("{% if false %}{{ 1 }}{% else %} {% endif %}"), " ");
    // What follows a dropped block is still located on its own line.
    let ex = run("{% if true %}\n  \n{% endif %}\n{{ nope }}", &[]).unwrap();
    let w = &ex.diagnostics[0];
    assert_eq!(w.pos, Pos::new(4, 1), "{w:?}");
}

#[test]
fn blank_and_empty_literals_compare_as_in_ruby() {
    let t = |cond: &str| text(&format!("{{% if {cond} %}}T{{% else %}}F{{% endif %}}"));
    assert_eq!(t("empty"), "T");
    assert_eq!(t("blank"), "T");
    assert_eq!(t("blank == empty"), "F");
    assert_eq!(t("nil == empty"), "F");
    assert_eq!(t("nope == empty"), "F");
    assert_eq!(t("'' == empty"), "T");
    assert_eq!(t("page.tags != empty"), "T");
}

#[test]
fn comments_nest_and_hide_raw_as_in_ruby() {
    assert_eq!(
        text("a{% comment %} {% comment %}x{% endcomment %} {{ y }} {% endcomment %}b"),
        "ab"
    );
    // Its body is parsed as Ruby parses it: an output never closed is an error there too.
    let e = run("{% comment %} {{ y {% endcomment %}", &[]).unwrap_err();
    assert_eq!(e.pos, Pos::new(1, 15), "{e}");
    assert_eq!(
        text("a{% comment %}{% raw %}{% endcomment %}{% endraw %}{% endcomment %}b"),
        "ab"
    );
    // A tag left open swallows the end tag, as Ruby's tokenizer reads it.
    let e = run("x\n{% comment %}{% assign a = 1{% endcomment %}", &[]).unwrap_err();
    assert_eq!(e.pos, Pos::new(2, 1), "{e}");
}

#[test]
fn list_filters_flatten_and_write_as_ruby_does() {
    let s = site(
        &[],
        &[(
            "things.json",
            r#"{"a": ["x", ["y", ["z"]]], "h": {"t": "T", "u": 1}, "hs": [{"t": "a"}, [{"t": "b"}], {"u": 2}], "n": [{}, 1, "4"]}"#,
        )],
    );
    let t = |tpl: &str| {
        let ex = s.render(tpl).unwrap();
        assert!(ex.errors.is_empty(), "{:?}", ex.errors);
        ex.text
    };
    assert_eq!(
        t("{{ site.data.things.a | concat: site.data.things.a | join: '#' }}"),
        "x#y#z#x#y#z"
    );
    assert_eq!(t("{{ nope | concat: site.data.things.a | size }}"), "2");
    assert_eq!(
        t("{{ site.data.things.hs | map: 't' | join: '#' }}"),
        "a#b#"
    );
    assert_eq!(t("{{ site.data.things.h | map: 't' | join: '#' }}"), "T");
    assert_eq!(
        t("{{ site.data.things.h }}|{{ site.data.things.h | replace: '=>', ':' }}"),
        "{\"t\"=>\"T\", \"u\"=>1}|{\"t\":\"T\", \"u\":1}"
    );
    assert_eq!(
        t("{{ site.data.things.n | sort_natural | join: '' }}"),
        "14{}"
    );
    assert_eq!(t("{{ site.data.things.h.first | join: '=' }}"), "t=T");
    assert_eq!(
        t("{{ 'hello' | slice: 1, nope }}|{{ 'hello' | slice: -3, 2 }}|{{ 'hi' | slice: 5 }}"),
        "e|ll|"
    );
    assert_eq!(
        t("{{ \"a\r\nb\nc\" | newline_to_br }}"),
        "a<br />\nb<br />\nc"
    );
    assert_eq!(
        t("{{ nope | round: 2 }}|{{ 5 | round: 1 }}|{{ 5.55 | round: 1 }}"),
        "0|5|5.6"
    );
}

#[test]
fn date_reads_the_forms_ruby_time_parse_reads() {
    assert_eq!(
        text("{{ 'March 14, 2016' | date: '%b %d, %y|%s|%%' }}"),
        "Mar 14, 16|1457913600|%"
    );
    assert_eq!(text("{{ '2016-03-14' | date: '%Y/%m/%d' }}"), "2016/03/14");
    assert_eq!(
        text("{{ '2016-03-14T10:20:30+02:00' | date: '%H:%M %z' }}"),
        "10:20 +0200"
    );
    assert_eq!(text("{{ 1152098955 | date: '%m/%d/%Y' }}"), "07/05/2006");
    assert_eq!(
        text("{{ '-1152098955' | date: '%Y' }}|{{ 'soon' | date: '%Y' }}"),
        "-1152098955|soon"
    );
}

#[test]
fn sort_is_jekylls() {
    let s = site(
        &[],
        &[(
            "d.json",
            r#"{"l": ["b", "a", "C"], "o": [{"t": 2}, {"x": 1}, {"t": 1}], "mixed": [1, "a"]}"#,
        )],
    );
    let t = |tpl: &str| s.render(tpl).unwrap();
    assert_eq!(t("{{ site.data.d.l | sort | join }}").text, "C a b");
    assert_eq!(t("{{ site.data.d.l | sort: nope | join }}").text, "C a b");
    assert_eq!(
        t("{{ site.data.d.o | sort: 't' | map: 't' | join: ',' }}").text,
        ",1,2"
    );
    assert_eq!(
        t("{{ site.data.d.o | sort: 't', 'last' | map: 't' | join: ',' }}").text,
        "1,2,"
    );
    let ex = t("{{ site.data.d.mixed | sort }}");
    assert!(
        ex.diagnostics.iter().any(|d| d
            .message
            .contains("comparison of string with whole number failed")),
        "{:?}",
        ex.diagnostics
    );
}

#[test]
fn ranges_are_values_as_in_ruby() {
    assert_eq!(
        text("{{ (1..5) | join: '#' }}|{{ ( 3 .. 1 ) | size }}"),
        "1#2#3#4#5|0"
    );
    assert_eq!(
        text("{% assign n = 3 %}{% assign r = (1.5..n) %}{{ r | reverse | join }}{% for i in r %}{{ i }}{% endfor %}"),
        "3 2 1123"
    );
    assert_eq!(text("{{ ('x'..'2') | join }}"), "0 1 2");
    // A huge range is a located limit, never an array of 100 million numbers.
    let e = run("x\n{% assign r = (1..100000000) %}", &[]).unwrap_err();
    assert_eq!(e.pos, Pos::new(2, 1), "{e}");
    assert!(
        e.to_string()
            .contains("the range (1..100000000) has more than"),
        "{e}"
    );
}

#[test]
fn names_the_parser_cannot_read_are_read_as_ruby_reads_them() {
    let s = site(&[], &[("d.json", r#"{"x": 1}"#)]);
    let page = value(&serde_json::json!({"ok?": "yes", "nullable": [1, 2]}));
    let engine = Engine::new(SiteInputs {
        config: &s.config,
        includes: &s.includes,
        data: &s.data,
        sections: &[],
        loaded: None,
        root_files: None,
    })
    .unwrap();
    let render = |t: &str| {
        let src = Source {
            rel: "a.md",
            full: t,
            base: 0,
        };
        let vars: [(&str, &dyn ValueView); 2] =
            [("ok?", &Value::scalar("yes")), ("nullable", &page)];
        engine.render(&src, &vars, Mode::Html).unwrap()
    };
    assert_eq!(
        render("{{ ok? }}|{% for n in nullable.nullable %}{{ n }}{% endfor %}").text,
        "yes|12"
    );
    assert_eq!(
        render("{% assign emptyish = 'e' %}{% capture 12 %}c{% endcapture %}{{ emptyish | append: 'nullx' }}").text,
        "enullx"
    );
    // An unknown one is named as written.
    let ex = render("{{ truthy }}");
    assert!(
        ex.diagnostics[0]
            .message
            .contains("unknown variable `truthy`"),
        "{:?}",
        ex.diagnostics
    );
}

#[test]
fn lookups_read_as_ruby_reads_them() {
    let s = site(&[], &[("d.json", r#"{"a": {"b": {"c": 7}}}"#)]);
    let t = |tpl: &str| s.render(tpl).unwrap().text;
    assert_eq!(t("{{ site.data \n .d.a. \n\tb ['c'] }}"), "7");
    assert_eq!(t("{% assign x = ['site'].data.d.a.b.c %}{{ x }}"), "7");
    assert_eq!(
        t("{% assign n = 'greeting' %}{% assign greeting = 'hi' %}{{ [n] | upcase }}"),
        "HI"
    );
    // Numbers, ranges and strings keep their dots and spaces.
    assert_eq!(
        t("{{ 1.5 | plus: 1 }}|{{ (1 .. 3) | join: '. [' }}"),
        "2.5|1. [2. [3"
    );
}

#[test]
fn cycle_groups_as_in_ruby() {
    // Named by a variable's value (undefined names share the nil group); unnamed by values.
    assert_eq!(
        text("{% cycle a: 1, 2, 3 %}{% cycle b: 1, 2, 3 %}{% cycle 1, 2, 3 %}{% cycle 'x', 'y' %}"),
        "121x"
    );
    assert_eq!(
        text("{% cycle 'g': 'a', 'b' %}{% cycle 'g': 'a', 'b', 'c' %}{% cycle 'g': 'a' %}"),
        "ab"
    );
}

#[test]
fn render_is_rubys_with_a_scope_of_its_own() {
    let inc = [
        ("card.liquid", "[{{ card.t }}{{ n }}{{ page.name }}{% assign leak = 1 %}{% increment c %}]"),
        ("row", "{{ r }}{{ forloop.index }}{% for x in (1..1) %}{{ forloop.parentloop.index }}{% endfor %},"),
    ];
    let s = site(
        &inc,
        &[("d.json", r#"{"cards": [{"t": "a"}, {"t": "b"}]}"#)],
    );
    let t = |tpl: &str| s.render(tpl).unwrap();
    let ex = t("{% render 'card' with site.data.d.cards[1], n: 2 %}{{ leak }}{% increment c %}");
    assert_eq!(ex.text, "[b20]0");
    assert_eq!(
        t("{% render 'row' for site.data.d.cards as r %}")
            .text
            .matches(',')
            .count(),
        2
    );
    assert_eq!(t("{% render 'row', r: 'x' %}").text, "x,");
    // A missing partial is the same located error as a missing include.
    let ex = t("\n{% render 'nope' %}");
    assert_eq!(ex.errors[0].pos, Pos::new(2, 1), "{:?}", ex.errors);
    assert!(
        ex.errors[0]
            .to_string()
            .contains("`_includes/nope` not found"),
        "{:?}",
        ex.errors
    );
}

#[test]
fn ranges_compare_and_hyphenated_names_warn() {
    assert_eq!(
        text("{% assign r = (1..3) %}{% if r == (1..3) %}y{% endif %}{% if r == (1..4) %}n{% endif %}"),
        "y"
    );
    let ex = run("{% assign x = 2 | minus: 1 %}{{ x }} {{ -x }}", &[]).unwrap();
    let lax: Vec<&str> = ex
        .diagnostics
        .iter()
        .filter(|d| d.code == "lax-liquid")
        .map(|d| &*d.message)
        .collect();
    assert_eq!(lax.len(), 1, "{lax:?}");
    assert!(
        lax[0].starts_with("`-x`: a name starting with `-`"),
        "{lax:?}"
    );
}

#[test]
fn a_missing_key_of_a_loop_item_is_nil_to_the_filters_as_in_ruby() {
    let s = site(
        &[],
        &[
            (
                "groups.yml",
                "- title: A\n  meta: {n: 1}\n- title: B\n  meta: {n: 2}\n",
            ),
            ("map.yml", "one: {n: 1}\ntwo: {n: 2}\n"),
        ],
    );
    let body = "{% for g in site.data.groups %}\
         [{{ g.nope | default: g.title }}|{{ g.nope | size }}|{{ g.nope.deeper | default: 'd' }}|\
         {{ g.meta.nope | default: g.meta.n }}|{% assign v = g.nope | default: 'a' %}{{ v }}|\
         {% capture c %}{{ g.nope | append: 'c' }}{% endcapture %}{{ c }}|\
         {% if g.nope == nil %}nil{% endif %}|{% for x in g.nope %}x{% else %}none{% endfor %}]\
         {% endfor %}\
         {% for p in site.data.map %}({{ p[1].nope | default: p[0] }}){% endfor %}\
         {% tablerow g in site.data.groups %}{{ g.nope | default: g.title }}{% endtablerow %}\
         {% assign gs = site.data.groups | group_by_exp: 'g', 'g.nope | default: \"z\"' %}\
         {% for grp in gs %}{{ grp.name }}:{{ grp.size }}{% endfor %}";
    let ex = s.render(body).unwrap();
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
    assert_eq!(
        ex.text,
        "[A|0|d|1|a|c|nil|none][B|0|d|2|a|c|nil|none](one)(two)\
         <tr class=\"row1\">\n<td class=\"col1\">A</td><td class=\"col2\">B</td></tr>\n\
         z:2"
    );
}

#[test]
fn a_loop_item_hides_an_assigned_name_only_inside_its_loop() {
    let s = site(&[], &[("groups.yml", "- title: A\n- title: B\n")]);
    let ex = s
        .render("{% assign g = 'outer' %}{% for g in site.data.groups %}{{ g.title }}{% endfor %}{{ g }}")
        .unwrap();
    assert_eq!(ex.text, "ABouter");
}

#[test]
fn a_misspelt_key_of_a_loop_item_is_a_located_warning_with_a_suggestion() {
    let s = site(&[], &[("groups.yml", "- title: A\n")]);
    let body = "{% for g in site.data.groups %}{{ g.titel | default: 'x' }}{% endfor %}";
    let ex = s.render(body).unwrap();
    assert_eq!(ex.text, "x");
    let d = ex
        .diagnostics
        .iter()
        .find(|d| d.message.contains("g.titel"))
        .unwrap_or_else(|| panic!("{:?}", ex.diagnostics));
    assert!(
        d.message.contains("(did you mean `g.title`?)"),
        "{}",
        d.message
    );
    assert_eq!(d.pos, Pos::new(1, body.find("{{ g.titel").unwrap() + 1));
}

#[test]
fn where_and_find_compare_and_pass_through_as_jekyll_does() {
    // Each result is what Jekyll 4.3.1 renders for the same template and data.
    let data = [(
        "f.json",
        r#"{"s": "zoo", "n": 5, "h": {"p": {"a": 2}, "q": {"a": 3}},
            "xs": [{"a": "", "b": "e"}, {"b": "m"}, {"a": null, "b": "n"},
                   {"a": 1, "b": "one", "t": ["x", "y"]}]}"#,
    )];
    let s = site(&[], &data);
    for (template, jekyll) in [
        (
            "{{ d.s | where: 'a', 'z' }}|{{ d.s | find: 'a', 'z' }}|{{ d.n | where: 'a', 1 }}|{{ nil | find: 'a', 1 }}",
            "zoo|zoo|5|",
        ),
        ("{% assign r = d.xs | where: 'a', '' %}{{ r.size }}", "1"),
        ("{% assign r = d.xs | where: 'a', nil %}{{ r.size }}", "2"),
        ("{% assign r = d.xs | where: 'a', '1' %}{{ r.size }}", "1"),
        ("{% assign r = d.xs | where: 't', 'x' %}{{ r.size }}", "1"),
        ("{% assign r = d.xs | where: nil, 'x' %}{{ r.size }}", "4"),
        ("{% assign r = d.xs | where: 'a', d.xs %}{{ r.size }}", "4"),
        ("{% assign r = d.xs | find: 'a', '' %}{{ r.b }}", "e"),
        ("{% assign r = d.h | where: 'a', 2 %}{{ r.size }}", "1"),
    ] {
        let out = s
            .render(&format!("{{% assign d = site.data.f %}}{template}"))
            .unwrap();
        assert_eq!(out.text, jekyll, "{template}");
    }
}

#[test]
fn a_pages_front_matter_mappings_come_in_written_order() {
    let text = "---\ntitle: Home\nmenu:\n  zoo: 1\n  api: 2\nlist:\n  - {b: 1, a: 2}\n---\nbody\n";
    let crate::frontmatter::Split::Block { yaml, .. } = crate::frontmatter::split(text) else {
        panic!("front matter")
    };
    let fm = crate::frontmatter::parse(yaml, Path::new("index.html"), 2).unwrap();
    let v = site::front_matter(&fm, text);
    assert_eq!(
        tags::ruby_inspect(&v),
        r#"{"list"=>[{"b"=>1, "a"=>2}], "menu"=>{"zoo"=>1, "api"=>2}, "title"=>"Home"}"#
    );
}

#[test]
fn a_comments_body_is_checked_as_ruby_parses_it() {
    // Right inside the comment, unknown tags and end tags with nothing to close are let be.
    assert_eq!(
        text("a{% comment %}{% shelve %}{% endif %}{% else %}{% when x %}{% endfor %}{% endcomment %}b"),
        "ab"
    );
    // A block opened there closes there; a known tag reads right, nested comments too.
    let e = run("a\n{% comment %}{% if x %}{% endcomment %}", &[]).unwrap_err();
    assert_eq!(e.pos, Pos::new(2, 14), "{e}");
    assert!(e.message.contains("never closed"), "{e}");
    assert!(run(
        "{% comment %}{% comment %}{% for %}{% endfor %}{% endcomment %}{% endcomment %}",
        &[]
    )
    .is_err());
    assert!(run(
        "{% comment %}{% if x %}{% elsif %}{% endif %}{% endcomment %}",
        &[]
    )
    .is_err());
    // In a block there, an unknown tag is left out with a warning, as it is anywhere; what
    // only matters when rendering (an unknown filter) is not named.
    let ex = run(
        "{% comment %}{% if x %}{% shelve %}{% endif %}{{ y | nofilter }}{% endcomment %}",
        &[],
    )
    .unwrap();
    assert_eq!(ex.text, "");
    let codes: Vec<&str> = ex.diagnostics.iter().map(|w| &*w.message).collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(
        codes[0].starts_with("unknown Liquid tag `shelve`"),
        "{codes:?}"
    );
    // Comments nested past Ruby's limit are an error, not a deep recursion.
    let deep = "{% comment %}".repeat(150) + &"{% endcomment %}".repeat(150);
    assert!(run(&deep, &[])
        .unwrap_err()
        .message
        .contains("nested deeper"));
}
