use super::page::*;
use super::parts::*;
use super::*;

#[test]
fn extra_fields_are_texts_the_theme_does_not_show() {
    let fm: serde_json::Map<String, Value> = serde_json::from_str(
        r#"{"title":"T","method":"get","remark":"r","position":3,"_hidden":"x",
            "parameters":[{"name":"a","content":"c","type":"string","mandatory":true,"values":["x","y"]}],
            "right_request_blocks":[{"title":"Curl","code_block":"curl"}]}"#,
    )
    .unwrap();
    assert_eq!(
        extra_fields(&fm),
        [
            "parameters[].type",
            "parameters[].values[]",
            "remark",
            "right_request_blocks[].code_block",
            "right_request_blocks[].title"
        ]
    );
    assert_eq!(last_key("parameters[].values[]"), "values");
    assert_eq!(
        steps("parameters[].values[]"),
        ["parameters", "[]", "values", "[]"]
    );
    let templates = ["{{ p.type }}{{ doc.remarks }}"];
    assert!(named(&templates, &["parameters[].type"].into()));
    assert!(!named(&templates, &["remark"].into()));
    assert!(named(&["{{ doc['remark'] }}"], &["remark"].into()));
}

#[test]
fn field_marks_read_back_and_only_visible_text_counts() {
    let m = field_mark(5, 17);
    assert_eq!(
        field_marks(&format!("a{m}b{}", field_mark(0, 0))),
        [(5, 17), (0, 0)]
    );
    let html = format!(
        "<p class=\"x{m}\">shown{}</p><script>var a=\"{m}\"</script><!-- {m} -->",
        field_mark(1, 2)
    );
    assert_eq!(field_marks(&visible(&html)), [(1, 2)]);
    // Navigation shows no field of a doc's.
    let nav = format!("<head><title>{m}</title></head><nav><p>{m}</p></nav><p><a href=\"#x\">{m}</a><a href=\"/y\">{}</a></p>", field_mark(3, 4));
    assert_eq!(field_marks(&content_text(&nav)), [(3, 4)]);
}

#[test]
fn a_pages_field_marks_are_taken_out_whole_and_title_marks_left() {
    let (m, t) = (field_mark(5, 17), marker(2));
    let html = format!("<p id=\"spout{m}\">Boil{t}{m}</p>\u{2064}{m}\u{2064}\u{200B}");
    assert_eq!(
        unmark_fields(&html),
        format!("<p id=\"spout\">Boil{t}</p>\u{2064}\u{2064}\u{200B}")
    );
    assert!(matches!(
        unmark_fields("<p>plain</p>"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn a_docs_region_leaves_its_title_and_description_to_the_frame() {
    let (m0, m1) = (marker(0), marker(1));
    let html = format!(
        r##"<nav><a href="#a">A{m0}</a></nav>
<section class="doc"><section class="left"><h3><a id="a">A{m0}</a></h3><p class="d">Says A.</p><p>Remark: r</p>{CONTENT}</section>
<section class="right"><div title="Curl" class="language-bash"><pre><code>curl a</code></pre></div></section></section>
<section class="doc"><h3>B{m1}</h3></section>"##
    );
    let els = elements(&html);
    let found = marks(&html);
    let r = region(&html, &els, &found, 0, (&[], "Says A.", "")).unwrap();
    let prose = text_of(&html, &r.prose, &r.cut);
    let code = text_of(&html, &r.code, &r.cut);
    assert!(
        prose.contains("<p>Remark: r</p>") && prose.contains(CONTENT),
        "{prose}"
    );
    assert!(
        !prose.contains("Says A.") && !prose.contains("<h3>"),
        "{prose}"
    );
    assert!(
        code.starts_with("<section class=\"right\">") && code.contains("curl a"),
        "{code}"
    );
    // A flat layout: the heading and what follows, up to the next doc.
    let flat = format!("<main><h3>A{m0}</h3><p>one</p><table><tr><td>x</td></tr></table><h2>Group</h2><h3>B{m1}</h3><p>two</p></main>");
    let els = elements(&flat);
    let found = marks(&flat);
    let r = region(&flat, &els, &found, 0, (&[], "", "")).unwrap();
    assert_eq!(
        text_of(&flat, &r.prose, &r.cut),
        "<p>one</p><table><tr><td>x</td></tr></table>"
    );
    // The last doc: its text too, up to the page's footer.
    let last = flat.replace("</main>", " loose text<footer>f</footer></main>");
    let r = region(&last, &elements(&last), &marks(&last), 1, (&[], "", "")).unwrap();
    assert_eq!(text_of(&last, &r.prose, &r.cut), "<p>two</p> loose text");
}

#[test]
fn a_doc_placed_by_its_anchor_loses_the_heading_that_names_it() {
    // The layout prints `doc.name`, not the title: the doc is placed by its anchor.
    let html = r#"<main><section id="a"><h3>Make &amp; keep</h3><p>shown</p></section><section id="b"><h3>Other</h3></section></main>"#;
    let els = elements(html);
    let places: Vec<(usize, usize)> = els
        .iter()
        .filter_map(|e| match e.attrs.get("id")?.as_str() {
            "a" => Some((e.start, 0)),
            "b" => Some((e.start, 1)),
            _ => None,
        })
        .collect();
    let r = region(html, &els, &places, 0, (&["/make", "Make & keep"], "", "")).unwrap();
    assert_eq!(text_of(html, &r.prose, &r.cut), "<p>shown</p>");
}

#[test]
fn samples_in_the_sites_markup_are_found_with_language_and_title() {
    let html = r#"<p>x</p><div title="Curl" class="language-bash highlighter-rouge"><div class="highlight"><pre class="highlight"><code>curl <span class="nt">-X</span> &quot;a&quot;
</code></pre></div></div><figure class="highlight"><pre><code class="language-json" data-lang="json">{}</code></pre></figure>"#;
    let s = samples_in(html);
    assert_eq!(s.len(), 2);
    assert_eq!(&html[s[0].0..s[0].0 + 12], "<div title=\"");
    assert_eq!(s[0].2.lang.as_deref(), Some("bash"));
    assert_eq!(s[0].2.title.as_deref(), Some("Curl"));
    assert_eq!(s[0].2.code, "curl -X \"a\"\n");
    assert_eq!(s[1].2.lang.as_deref(), Some("json"));
    assert_eq!(s[1].2.title, None);
    assert_eq!(&html[s[1].1 - 9..s[1].1], "</figure>");
}

#[test]
fn parameter_names_in_a_table_are_terms() {
    let html = "<table><tr><th>Name</th><th>Type</th></tr><tr><td>colour</td><td>string</td></tr><tr><td>dials</td><td>int</td></tr></table><table><tr><th>Input</th></tr><tr><td>no</td></tr></table>";
    assert_eq!(name_cells(html), ["colour", "dials"]);
}

/// A field a page selects or sorts docs by is not marked: the mark would change which docs
/// it lists (`where: "group", group.key` lists none when each `group` ends in a mark).
#[test]
fn fields_that_select_docs_are_not_probed() {
    let index = "{% assign docs = c.docs | where: \"group\", g.key | sort: 'rank' %}{% if doc.tier == \"gold\" %}{{ doc.warning }}{% endif %}{% if 2 > doc.level %}x{% endif %}";
    for key in ["group", "rank", "tier", "level"] {
        assert!(compared(&[index], key), "{key}");
    }
    assert!(!compared(&[index], "warning"));
}
