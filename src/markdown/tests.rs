//! The markdown stage's tests: rendering, kramdown extensions, IALs, smart quotes, balancing.

use super::*;

/// All blocks as one string; code blocks shown with their metadata.
fn show(r: &Rendered) -> String {
    let mut out = String::new();
    for b in &r.blocks {
        match b {
            Block::Html(h) => out.push_str(&h.html()),
            Block::Code(c) => out.push_str(&format!(
                "[code lang={:?} title={:?} attrs={:?} at {}:{}]\n{}[/code]\n",
                c.lang, c.title, c.attrs, c.pos.line, c.pos.col, c.code
            )),
        }
    }
    out
}

fn html(src: &str) -> String {
    show(&render(src))
}

/// The blocks before the first code block, with no whitespace: tables compared by markup.
fn squeezed_before_code(r: &Rendered) -> String {
    let out = show(r);
    out.split("[code")
        .next()
        .unwrap()
        .split_whitespace()
        .collect()
}

fn warnings(r: &Rendered) -> Vec<(&'static str, usize, usize)> {
    r.diagnostics
        .iter()
        .map(|d| (d.code, d.pos.line, d.pos.col))
        .collect()
}

fn code_blocks(r: &Rendered) -> Vec<&CodeBlock> {
    r.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code(c) => Some(c),
            Block::Html(_) => None,
        })
        .collect()
}

// ---- definition lists -------------------------------------------------------------

#[test]
fn definition_list_variants() {
    let src = "\
name
: (string) The `name` of the [thing](#things)

colon_term:
: kept colon

blank_before

: wrapped in a paragraph
: no term, same list

one
two
: two terms, one definition
lazily continued line

para_def
: first paragraph

    second paragraph
";
    insta::assert_snapshot!(html(src));
}

#[test]
fn definition_lists_one_blank_line_apart_are_one_list() {
    let out = html("a\n: x\n\nb\n: y\n\n\nc\n: z\n");
    assert_eq!(out.matches("<dl>").count(), 1, "{out}");
    assert_eq!(out.matches("<dt>").count(), 3, "{out}");
    // A heading or comment in between ends the list.
    let out = html("a\n: x\n\n## H\n\nb\n: y\n");
    assert_eq!(out.matches("<dl>").count(), 2, "{out}");
}

#[test]
fn definition_content_is_markdown_and_smart() {
    let out = html("term\n: it's **bold**, `code` and [a link](#x)\n");
    assert!(out.contains("<dd>it’s <strong>bold</strong>, <code class=\"language-plaintext highlighter-rouge\">code</code> and <a href=\"#x\">a link</a></dd>"), "{out}");
}

#[test]
fn indented_definition_lines_continue_the_definition() {
    let out = html("term\n: first line\n  indented line\n\nnext\n: x\n");
    assert!(out.contains("<dd>first line\nindented line</dd>"), "{out}");
    assert_eq!(out.matches("<dl>").count(), 1, "{out}");
}

#[test]
fn colon_without_space_is_not_a_definition() {
    let out = html("Item status\n:(string) text\n");
    assert!(!out.contains("<dl>"), "{out}");
    assert!(out.contains("Item status\n:(string) text"), "{out}");
}

#[test]
fn first_definition_paragraph_unwrapped_only_without_blank_line() {
    let out = html("t\n: a\n\n: b\n");
    assert!(out.contains("<dd>a</dd>"), "{out}");
    assert!(out.contains("<dd><p>b</p>"), "{out}");
}

#[test]
fn code_fence_inside_definition_is_a_code_block() {
    let r = render("t\n: a sample:\n\n  ~~~ json\n  {}\n  ~~~\n  {: title=\"Body\" }\n");
    let codes = code_blocks(&r);
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].code, "{}\n");
    assert_eq!(codes[0].title.as_deref(), Some("Body"));
    assert_eq!(codes[0].pos, Pos::new(4, 3));
    // The definition list spans the code block and stays balanced around it.
    let out = show(&r);
    assert!(out.ends_with("</dd>\n</dl>\n"), "{out}");
}

// ---- block IALs ---------------------------------------------------------------------

#[test]
fn block_ial_on_paragraph_code_and_table() {
    let src = "\
First paragraph.
{: .info }

Second paragraph.
{:.warning}

{: #lead .big key=\"v\" key2='w' }
Third paragraph, IAL before it.

~~~ bash
curl https://example.com
~~~
{: title=\"Curl\" .wide data-x=\"1\" }

| a | b |
|---|---|
| 1 | 2 |
{: .params }
";
    insta::assert_snapshot!(html(src));
}

#[test]
fn ial_never_shows_as_text() {
    for src in [
        "p\n{: .info }\n",
        "{: .x }\n# H\n",
        "* item\n{: .list }\n",
        "> quote\n{: .q }\n",
        "a\n: b\n{: .dl }\n",
        "{: .orphan }\n\n",
        "{:ref: .x }\n{::options parse_block_html=\"true\" /}\np\n",
        "p\n{: .a }\n{: #b }\n",
    ] {
        let out = html(src);
        assert!(!out.contains("{:"), "{src:?} -> {out}");
    }
    // Stacked lists write their attributes in the order first written, as kramdown does.
    assert!(html("p\n{: .a }\n{: #b }\n").contains("<p class=\"a\" id=\"b\">"));
    assert!(html("* item\n{: .list }\n").contains("<ul class=\"list\">"));
    assert!(html("> quote\n{: .q }\n").contains("<blockquote class=\"q\">"));
    assert!(html("{: .x }\n# H\n").contains("<h1 id=\"h\" class=\"x\">"));
}

#[test]
fn ial_directly_under_a_block_wins_over_the_next_block() {
    let out = html("one\n{: .a }\ntwo\n");
    assert!(out.contains("<p class=\"a\">one</p>"), "{out}");
    assert!(out.contains("<p>two</p>"), "{out}");
}

#[test]
fn ial_id_on_heading_replaces_the_generated_one() {
    let r = render("## Title\n{: #custom }\n\n## Title\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["custom", "title"]);
}

#[test]
fn unbalanced_quote_in_ial_warns_and_drops_the_attribute() {
    // kramdown reads no attribute from a value whose quote is never closed.
    let r = render("text\n\n~~~\nx\n~~~\n  {: title=\"Curl }\n");
    assert_eq!(warnings(&r), [("unbalanced-ial-quote", 6, 12)]);
    assert_eq!(code_blocks(&r)[0].title, None);
    assert!(!show(&r).contains("{:"));
}

#[test]
fn kramdown_extensions_and_alds_are_dropped() {
    let out = html(
            "{::comment}\nhidden *text*\n{:/comment}\nshown\n\n{::comment}one line{:/}\n{:ald: .x}\n{::options auto_ids=\"false\" /}\nafter\n",
        );
    assert!(!out.contains("hidden"), "{out}");
    assert!(!out.contains("one line"), "{out}");
    assert!(
        out.contains("<p>shown</p>") && out.contains("<p>after</p>"),
        "{out}"
    );
    assert!(!out.contains("{:"), "{out}");
}

#[test]
fn ial_like_lines_inside_code_stay_code() {
    let r = render("~~~\n{: .not-an-ial }\n~~~\n");
    assert_eq!(code_blocks(&r)[0].code, "{: .not-an-ial }\n");
}

// ---- span IALs ------------------------------------------------------------------------

#[test]
fn span_ials_on_links_and_images() {
    let src = "See [the docs](https://example.com){: target=\"_blank\"} and \
                   ![logo](logo.png){:class=\"small\"} then [plain](#p).\n";
    insta::assert_snapshot!(html(src));
}

// ---- code blocks ----------------------------------------------------------------------

#[test]
fn fences_keep_raw_code_and_first_word_of_info() {
    let r = render("~~~ bash extra words\necho 'hi' -- \"x\"\n\n~~~\n\n```python\nprint(1)\n```\n\n    indented\n      more\n");
    let codes = code_blocks(&r);
    assert_eq!(codes.len(), 3);
    assert_eq!(codes[0].lang.as_deref(), Some("bash"));
    assert_eq!(codes[0].code, "echo 'hi' -- \"x\"\n\n");
    assert_eq!(codes[0].pos, Pos::new(1, 1));
    assert_eq!(codes[1].lang.as_deref(), Some("python"));
    assert_eq!(codes[1].code, "print(1)\n");
    assert_eq!(codes[1].pos, Pos::new(6, 1));
    assert_eq!(codes[2].lang, None);
    assert_eq!(codes[2].code, "indented\n  more\n");
    assert!(r.diagnostics.is_empty());
}

#[test]
fn code_blocks_split_the_html_in_order() {
    let r = render("before\n\n~~~\nx\n~~~\n\nafter\n");
    assert!(
        matches!(&r.blocks[..], [Block::Html(a), Block::Code(_), Block::Html(b)]
            if a.html() == "<p>before</p>\n" && b.html() == "<p>after</p>\n")
    );
}

#[test]
fn unclosed_fence_is_text_as_kramdown_reads_it_and_warns() {
    let r = render("intro\n\n  ~~~ js\nlet *a* = 1;\n\nmore\n");
    assert!(code_blocks(&r).is_empty());
    assert_eq!(
        show(&r),
        "<p>intro</p>\n<p>~~~ js\nlet <em>a</em> = 1;</p>\n<p>more</p>\n"
    );
    assert_eq!(warnings(&r), [("unclosed-fence", 3, 3)]);
    // A closed fence with a longer closing run is fine; a shorter one closes nothing.
    assert!(render("````\nx\n``````\n").diagnostics.is_empty());
    let r = render("~~~~\nx\n~~~\n");
    assert!(code_blocks(&r).is_empty());
    // A fence left open above a closed one: only the closed one is code.
    let r = render("~~~\nx\n```\ny\n```\n");
    assert_eq!(code_blocks(&r).len(), 1);
    assert_eq!(code_blocks(&r)[0].code, "y\n");
}

// ---- tables and inline ---------------------------------------------------------------

#[test]
fn lenient_table_separator() {
    let src = "\
| Code | Name | Meaning |
|------|:----------------------------------|
| 200  | OK   | Fine    |
| 404  | Gone |
";
    insta::assert_snapshot!(html(src));
}

/// kramdown's table parser skips a separator line met before any row, so a table that opens
/// with `|---|` has a tbody and no thead, and takes no alignment from that line
/// (kramdown `parser/kramdown/table.rb`, `parse_table`).
#[test]
fn a_table_that_opens_with_its_separator_has_no_header_row_like_kramdown() {
    let src = "\
Intro.

|:---|---:|
| `GET` | Reads *one* |
| PUT | Writes |

~~~ bash
after
~~~
";
    let r = render(src);
    let out = show(&r);
    assert_eq!(
        out.split("[code").next().unwrap(),
        "<p>Intro.</p>\n<table>\n  <tbody>\n    <tr>\n      <td><code class=\"language-plaintext highlighter-rouge\">GET</code></td>\n      <td>Reads <em>one</em></td>\n    </tr>\n    <tr>\n      <td>PUT</td>\n      <td>Writes</td>\n    </tr>\n  </tbody>\n</table>\n"
    );
    assert_eq!(
        code_blocks(&r)[0].pos.line,
        7,
        "lines after the table keep their numbers"
    );

    // At the text's start too; a table with a header row is unchanged.
    assert!(html("|---|---|\n| a | b |\n")
        .starts_with("<table>\n  <tbody>\n    <tr>\n      <td>a</td>"));
    let headed = html("| h |\n|---|\n| a |\n");
    assert!(
        headed.contains("<thead>\n    <tr>\n      <th>h</th>"),
        "{headed}"
    );
}

#[test]
fn a_separator_line_without_a_row_after_it_opens_no_table() {
    // kramdown ignores a table without a body; a paragraph is not interrupted by a table.
    assert!(!html("|---|---|\n\ntext\n").contains("<table>"));
    assert!(!html("|---|\n---\n").contains("<table>"));
    // Rows with their separator as the last line: all head, no body, so no table either;
    // the lines stay one paragraph (Jekyll 4.3.1: `<p>| jar | lid |\n|—|—|</p>`). A row
    // below the separator, or a second separator after one, keeps the table.
    assert_eq!(
        html("| jar | lid |\n|---|---|\n"),
        "<p>| jar | lid |\n|—|—|</p>\n"
    );
    assert!(!html("text\n\n| a |\n| b |\n|---|\n\nmore\n").contains("<table>"));
    assert!(html("| a |\n|---|\n| b |\n").contains("<table>"));
    assert!(html("| a |\n|---|\n| b |\n|---|\n").contains("<table>"));
}

/// kramdown starts a table only at a block boundary, so rows right under a paragraph's line
/// are that paragraph's text, separator line and all (Jekyll 4.3.1's markdownify:
/// `<p>Pick a jar.\n| jar | lid |\n|—|—|\n| tall | screw |</p>`).
#[test]
fn a_table_right_under_a_paragraph_line_is_paragraph_text() {
    let out = html("Pick a jar.\n| jar | lid |\n|---|---|\n| tall | screw |\n");
    assert_eq!(
        out,
        "<p>Pick a jar.\n| jar | lid |\n|\u{2014}|\u{2014}|\n| tall | screw |</p>\n"
    );
    // Right under a header or a code block they are a paragraph too (kramdown's table starts
    // only after a blank line, an attribute list or the text's start), separator first or not.
    for src in [
        "## Codes\n| code |\n|---|\n| 200 |\n",
        "## Codes\n|---|\n| 200 |\n",
        "Codes\n---\n| code |\n|---|\n| 200 |\n",
        "~~~\nGET /\n~~~\n| code |\n|---|\n| 200 |\n",
    ] {
        let out = html(src);
        assert!(
            out.contains("\n<p>|") && out.ends_with("|\u{2014}|\n| 200 |</p>\n"),
            "{out}"
        );
    }
    // After a blank line the rows are a table.
    assert!(
        html("Pick a jar.\n\n| jar | lid |\n|---|---|\n| tall | screw |\n")
            .contains("<th>jar</th>")
    );
}

/// kramdown's table ends at a blank line, an attribute list or the text's end; any other
/// line right after its rows makes the whole table paragraph text (Jekyll 4.3.1's
/// markdownify), where pulldown-cmark takes a line of text as one more row.
#[test]
fn a_line_right_after_a_tables_rows_makes_it_a_paragraph() {
    let src = "\
| jar | lid |
|---|---|
| tall | screw |
Both hold rice.

~~~ bash
after
~~~
";
    let r = render(src);
    assert_eq!(
        show(&r).split("[code").next().unwrap(),
        "<p>| jar | lid |\n|\u{2014}|\u{2014}|\n| tall | screw |\nBoth hold rice.</p>\n"
    );
    assert_eq!(code_blocks(&r)[0].pos.line, 6, "lines keep their numbers");
    // A header after the rows is one too: the rows are a paragraph, the header its own.
    let headed = html("| jar | lid |\n|---|---|\n| tall | screw |\n## Lids\n");
    assert!(headed.starts_with("<p>| jar | lid |\n"), "{headed}");
    assert!(
        headed.contains("</p>\n<h2 id=\"lids\">Lids</h2>"),
        "{headed}"
    );
    // So is a table that opens with its separator.
    let headless = html("Jars:\n\n|---|---|\n| tall | screw |\nBoth hold rice.\n");
    assert!(!headless.contains("<table>"), "{headless}");
    // A line with a pipe is one more row, and an attribute list belongs to the table.
    let piped = html("| jar | lid |\n|---|---|\n| tall | screw |\nsquat | snap\n");
    assert!(piped.contains("<td>squat</td>"), "{piped}");
    let classed = html("| jar | lid |\n|---|---|\n| tall | screw |\n{: .jars}\n");
    assert!(classed.starts_with("<table class=\"jars\">"), "{classed}");
}

/// kramdown puts every row above the separator line in the thead (Jekyll 4.3.1's
/// markdownify: three `<tr>` of `<th>` aligned by the separator, then the tbody); GFM has one
/// header row, and the rows above it were a paragraph.
#[test]
fn rows_above_the_separator_line_are_all_head_rows() {
    let src = "\
Jars:

| jar | lid |
| tall | screw |
| squat | snap |
|:--|--:|
| wide | cork |

~~~ bash
after
~~~
";
    let r = render(src);
    let squeezed = squeezed_before_code(&r);
    let (left, right) = (
        "<thstyle=\"text-align:left\">",
        "<thstyle=\"text-align:right\">",
    );
    let head = format!(
        "<table><thead><tr>{left}jar</th>{right}lid</th></tr>\
         <tr>{left}tall</th>{right}screw</th></tr>\
         <tr>{left}squat</th>{right}snap</th></tr></thead><tbody><tr>"
    );
    assert!(squeezed.contains(&head), "{squeezed}");
    assert!(
        squeezed.ends_with("cork</td></tr></tbody></table>"),
        "{squeezed}"
    );
    assert_eq!(
        code_blocks(&r)[0].pos.line,
        9,
        "lines after keep their numbers"
    );
    // Under a paragraph's line they are all that paragraph's text, as in kramdown.
    let para = html("Jars:\n| jar | lid |\n| tall | screw |\n|---|---|\n| wide | cork |\n");
    assert!(para.starts_with("<p>Jars:\n| jar | lid |\n") && !para.contains("<table>"));
}

/// Rows with no separator line that open the text are a table of body rows when a blank
/// line follows them, text after it or not (Jekyll 4.3.1's markdownify: `<table><tbody>`,
/// then `<p>Twist to open.</p>`); lines after them keep their numbers.
#[test]
fn rows_without_a_leading_pipe_are_a_table_after_a_blank_line() {
    // kramdown's TABLE_LINE: a `|` anywhere (unescaped, outside code spans) makes a row.
    assert!(html("a | b\nc | d\n").contains("<td>c</td>"));
    assert!(html("text\n\nUse a|b here.\n").contains("<td>Use a</td>"));
    // Not a row: a `|` only in a code span or escaped, a line that starts another block,
    // rows under a paragraph's line or with a line of text after them.
    for src in [
        "Returns `a|b`.\n",
        "a \\| b\n",
        "# a | b\n",
        "- a | b\n",
        "> a | b\n",
        "[a]: http://x.test | y\n",
        "text\na | b\n",
        "a | b\ntext\n",
        "    a | b\n",
    ] {
        assert!(!html(src).contains("<table>"), "{src:?}: {}", html(src));
    }
}

#[test]
fn rows_that_open_the_text_are_a_table_with_text_after_them() {
    let src = "\
| cap | snaps on |
| lid | screws on |

Twist to open.

~~~ bash
after
~~~
";
    let r = render(src);
    let squeezed = squeezed_before_code(&r);
    assert_eq!(
        squeezed,
        "<table><tbody><tr><td>cap</td><td>snapson</td></tr>\
         <tr><td>lid</td><td>screwson</td></tr></tbody></table><p>Twistto open.</p>"
            .replace(' ', "")
    );
    assert_eq!(
        code_blocks(&r)[0].pos.line,
        6,
        "lines after keep their numbers"
    );
    // The blank line between two such tables stays a blank line: they are two tables.
    assert_eq!(html("| a |\n\n| b |\n").matches("<table>").count(), 2);
    // Indented in a list item, they are a table in it (kramdown: `<li><p>jar</p><table>`).
    let listed = html("- jar\n\n  | a | b |\n  | c | d |\n\n- lid\n");
    assert!(listed.contains("<p>jar</p>\n<table>"), "{listed}");
    let headed = html("| h |\n|---|\n| a |\n\n| b |\n");
    assert_eq!(headed.matches("<table>").count(), 2, "{headed}");
}

#[test]
fn inline_features() {
    let out = html(
            "~~gone~~ ~kept~ line  \nnext<br>end \u{a0}nbsp\ttab https://example.com/x_y 日本語 ✓\n\n<div class=\"raw\">\n*not md*\n</div>\n\n<!-- a comment -->\n",
        );
    assert!(out.contains("<del>gone</del> ~kept~ line<br />\nnext<br>end \u{a0}nbsp\ttab https://example.com/x_y 日本語 ✓"), "{out}");
    assert!(
        out.contains("<div class=\"raw\">\n*not md*\n</div>"),
        "{out}"
    );
    assert!(out.contains("<!-- a comment -->"), "{out}");
}

#[test]
fn images_render_with_alt_and_title() {
    let out = html("![A *b* c](img.png \"T\")\n");
    assert!(
        out.contains("<img src=\"img.png\" alt=\"A b c\" title=\"T\" />"),
        "{out}"
    );
}

#[test]
fn smart_punctuation_like_kramdown() {
    let out =
        html("It's \"quoted\" and 'single' -- a --- b... (\"x\") the '80s\n\n`it's \"raw\"`\n");
    assert!(
        out.contains("It’s “quoted” and ‘single’ – a — b… (“x”) the ’80s"),
        "{out}"
    );
    assert!(
        out.contains("<code class=\"language-plaintext highlighter-rouge\">it's \"raw\"</code>"),
        "{out}"
    );
    // Before punctuation, a quote closes only when the punctuation ends the word (kramdown's
    // second rule); a quoted punctuation mark opens like any other quote.
    let out = html("Starts with a letter OR '#'. Say 'end'. Or \"x\", then 'y'!\n");
    assert!(
        out.contains("OR ‘#’. Say ‘end’. Or “x”, then ‘y’!"),
        "{out}"
    );
}

#[test]
fn text_is_escaped() {
    let out = html("a < b & c > d\n");
    assert!(out.contains("a &lt; b &amp; c &gt; d"), "{out}");
}

// ---- headings -------------------------------------------------------------------------

#[test]
fn headings_get_kramdown_ids_with_repeats() {
    let src = "### URL Parameters:\n\n## URL Parameters\n\n#### URL `Parameters`\n\nSetext *one*\n-----\n\n# Ünïcode 日本 — x\n";
    let r = render(src);
    insta::assert_snapshot!(show(&r));
    let got: Vec<_> = r
        .headings
        .iter()
        .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "url-parameters", "URL Parameters:"),
            (2, "url-parameters-1", "URL Parameters"),
            (4, "url-parameters-2", "URL Parameters"),
            (2, "setext-one", "Setext one"),
            (1, "ünïcode-日本--x", "Ünïcode 日本 — x"),
        ]
    );
}

#[test]
fn heading_id_rule() {
    assert_eq!(heading_id("URL Parameters:"), "url-parameters");
    assert_eq!(heading_id("a_b-c d\te"), "a_b-c-d-e");
    assert_eq!(heading_id("What's new? (v2.0)"), "whats-new-v20");
    assert_eq!(heading_id("Café déjà"), "café-déjà");
    // Combining marks are word characters in kramdown's `\p{Word}`.
    assert_eq!(heading_id("e\u{301}t\u{e9}"), "e\u{301}t\u{e9}");
    assert_eq!(heading_id("กวินทร์"), "กวินทร์");
}

// ---- HTML balancing -------------------------------------------------------------------

#[test]
fn balance_drops_stray_closers_and_closes_open_tags() {
    assert_eq!(balance_html("<p>x</p></div></section></main>"), "<p>x</p>");
    assert_eq!(balance_html("<div><span>x"), "<div><span>x</span></div>");
    assert_eq!(balance_html("<div><b>x</div>y"), "<div><b>x</b></div>y");
    assert_eq!(
        balance_html("<br><img src=\"a\"><hr/><input type=text>"),
        "<br><img src=\"a\"><hr/><input type=text>"
    );
    assert_eq!(balance_html("<!-- </div> -->ok"), "<!-- </div> -->ok");
    assert_eq!(balance_html("<!-- open"), "<!-- open-->");
    assert_eq!(
        balance_html("<pre></div><b></pre>x</DIV>"),
        "<pre></div><b></pre>x"
    );
    assert_eq!(
        balance_html("<script>if (a</b) {}</SCRIPT>"),
        "<script>if (a</b) {}</SCRIPT>"
    );
    assert_eq!(balance_html("<textarea>"), "<textarea></textarea>");
    assert_eq!(balance_html("a < b <c"), "a &lt; b &lt;c");
    assert_eq!(
        balance_html("<!DOCTYPE html><P>x</p>"),
        "<!DOCTYPE html><P>x</p>"
    );
}

#[test]
fn balance_is_linear_on_hostile_input() {
    // Quadratic behaviour would make these take minutes; they must just finish.
    let many_lt = "<a ".repeat(200_000);
    assert_eq!(balance_html(&many_lt).matches("&lt;").count(), 200_000);
    let deep = "<div>".repeat(100_000) + &"</span>".repeat(100_000);
    let out = balance_html(&deep);
    assert_eq!(out.matches("</div>").count(), 100_000);
    assert!(!out.contains("</span>"));
}

#[test]
fn render_balances_the_doc_as_one_stream() {
    let r = render(
        "<div class=\"note\">\n\n~~~\ncode\n~~~\n\n</div>\n\n</section></main>\n\n<span>open\n",
    );
    let out = show(&r);
    assert!(out.starts_with("<div class=\"note\">"), "{out}");
    assert_eq!(out.matches("</div>").count(), 1, "{out}");
    assert!(
        !out.contains("</section>") && !out.contains("</main>"),
        "{out}"
    );
    assert!(out.ends_with("<p><span>open</span></p>\n"), "{out}");
    let r = render("* item\n\n  ~~~\n  x\n  ~~~\n\n* next\n");
    let out = show(&r);
    assert_eq!(out.matches("</li>").count(), 2, "{out}");
    assert_eq!(out.matches("</ul>").count(), 1, "{out}");
}

// ---- robustness -----------------------------------------------------------------------

#[test]
fn deep_nesting_does_not_overflow_a_default_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let inputs = [
                "> ".repeat(10_000) + "deep\n",
                "- ".repeat(10_000) + "deep\n",
                "1. ".repeat(10_000) + "deep\n",
                "* a\n".to_string() + &"  ".repeat(10_000) + "* b\n",
                "[".repeat(10_000) + &"]".repeat(10_000),
                "*a ".repeat(10_000),
                "<div>".repeat(10_000),
            ];
            inputs
                .iter()
                .map(|s| show(&render(s)).len())
                .collect::<Vec<_>>()
        })
        .unwrap();
    let lens = handle.join().expect("render overflowed a 2 MiB stack");
    assert!(lens.iter().all(|&n| n > 0));
}

#[test]
fn megabyte_single_line() {
    let line = "word 'q' -- [x](y){: .c} `c` *e* ".repeat(31_000);
    assert!(line.len() > 1_000_000);
    let out = html(&line);
    assert_eq!(out.matches("<a href=\"y\" class=\"c\">").count(), 31_000);
    let pipes = "|".repeat(1_000_000);
    let _ = html(&pipes);
    let braces = "{:".repeat(500_000) + "}";
    let _ = html(&braces);
}

#[test]
fn crlf_input_renders_like_lf() {
    let lf = "# T\n\nterm\n: def\n\n~~~ sh\nls\n~~~\n{: title=\"X\" }\n\np  \nq\n";
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(render(&crlf), render(lf));
    // A lone CR is neither a line end nor a crash.
    let _ = render("a\rb\r\r: c\r");
}

#[test]
fn no_panic_on_any_prefix_of_tricky_input() {
    let tricky = "# H é\n{: #x title=\"q }\nt\n: d `c\n\n| a | b\n|-\n~~~ x\n{::comment}\n\
                      ![i](s){: a='b\n<div><!-- x\n> * 1. [l](u \"t\"){:.c}\n  ```\n\u{a0}\t日本";
    for (i, _) in tricky.char_indices() {
        let _ = render(&tricky[..i]);
        let _ = balance_html(&tricky[..i]);
    }
}

#[test]
fn corpora_render_without_ial_text() {
    let Some(root) = crate::test_support::corpora() else {
        return;
    };
    let root = root.as_path();
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // Code samples and code spans may legitimately show `{:`; only prose is checked.
        let mut prose = String::new();
        for block in render(&text).blocks {
            if let Block::Html(h) = block {
                let html = h.html();
                let mut rest = &*html;
                while let Some(i) = rest.find("<code") {
                    prose.push_str(&rest[..i]);
                    rest = rest[i..].split_once("</code>").map_or("", |x| x.1);
                }
                prose.push_str(rest);
            }
        }
        assert!(!prose.contains("{:"), "{}: {prose}", path.display());
        seen += 1;
    }
    assert!(seen > 100, "only {seen} markdown files found");
}

#[test]
fn a_lone_span_tag_line_stays_in_a_paragraph_and_a_heading_after_it_is_a_heading() {
    let r = render("Intro.\n\n<br>\n### Next\n\ntext\n");
    let html: String = r
        .blocks
        .iter()
        .map(|b| match b {
            Block::Html(h) => h.html().into_owned(),
            _ => String::new(),
        })
        .collect();
    assert!(
        html.contains("<p><br></p>")
            || html.contains("<p><br>\n</p>")
            || html.contains("<p><br></p>\n"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"next\">Next</h3>"), "{html}");
    assert!(!html.contains('\u{E000}'));
    // Block elements still start HTML blocks.
    let r = render("<div>\n### not a heading\n</div>\n");
    assert!(r.headings.is_empty());
}

#[test]
fn a_block_html_line_closed_on_its_line_ends_before_the_markdown_under_it() {
    let tags = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "table"];
    for tag in tags {
        let open = if tag == "table" {
            "<table><tr><td>".to_string()
        } else {
            format!("<{tag} class=\"x\">")
        };
        let close = if tag == "table" {
            "</td></tr></table>".to_string()
        } else {
            format!("</{tag}>")
        };
        let line = format!("{open}Parameters{close}");
        // A definition list, a paragraph and a list, each directly under the line.
        let dl = html(&format!("{line}\nname\n: The *name*.\n"));
        assert_eq!(
            dl,
            format!("{line}\n<dl>\n  <dt>name</dt>\n  <dd>The <em>name</em>.</dd>\n</dl>\n"),
            "{tag}"
        );
        let para = html(&format!("{line}\nSome *text*.\n"));
        assert_eq!(
            para,
            format!("{line}\n<p>Some <em>text</em>.</p>\n"),
            "{tag}"
        );
        let list = html(&format!("  {line}\n- one\n- two\n"));
        assert_eq!(
            list,
            format!("  {line}\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
            "{tag}"
        );
    }
    // Unchanged: HTML running over several lines, HTML under HTML, a span element.
    assert_eq!(html("<div>\n*a*\n</div>\n"), "<div>\n*a*\n</div>\n");
    assert_eq!(html("<p>a</p>\n<p>b</p>\n"), "<p>a</p>\n<p>b</p>\n");
    assert_eq!(html("<h6>a</h6>\n\nb\n"), "<h6>a</h6>\n<p>b</p>\n");
    assert!(!html("<h6>X</h6>\nname\n: def\n").contains('\u{E000}'));
}

/// kramdown reads an inline link's URL up to its closing parenthesis, spaces and all
/// (Jekyll 4.3.1 writes `href="mailto:desk@example.org?subject=Need help"`); a code span's
/// text is no link.
#[test]
fn link_destinations_with_spaces_are_links_as_in_kramdown() {
    let out = html(
        "Write to [the desk](mailto:desk@example.org?subject=Need help) today.\n\n\
         See [the map](http://example.org/a b \"Map title\") or [plain](http://example.org/z).\n\n\
         Code `[c](d e)` stays.\n\n![a cat](images/my cat.png)\n",
    );
    assert!(out.contains(">the desk</a> today."), "{out}");
    assert!(out.contains("subject=Need"), "{out}");
    assert!(out.contains("title=\"Map title\""), "{out}");
    assert!(out.contains(">the map</a>"), "{out}");
    assert!(out.contains("[c](d e)</code>"), "{out}");
    assert!(out.contains("alt=\"a cat\""), "{out}");
    assert!(!out.contains("&lt;"), "{out}");
}

/// A line of wide characters before a link (a CJK table row) is scanned by bytes, never
/// sliced inside a character.
#[test]
fn a_link_after_wide_characters_is_read_whole() {
    let out = html(
        "状态 | 字符串 | [员工状态](#objectemployee) and [寄信](mailto:a@b.c?subject=你 好)\n",
    );
    assert!(out.contains(">员工状态</a>"), "{out}");
    assert!(out.contains(">寄信</a>"), "{out}");
}

/// kramdown keeps a block element raw up to its closing tag, blank lines and all (checked
/// against Jekyll 4.3.1's build of the same text): a loop's output indented inside a `<ul>`
/// is HTML, not a code block, and the text after the element is markdown again. An element
/// with a `markdown` attribute is markdown inside, and one never closed is left as it was.
#[test]
fn a_block_element_is_raw_to_its_closing_tag_across_blank_lines() {
    assert_eq!(
        html("Intro.\n\n<ul>\n\n\t<li><a href=\"#one\">one</a></li>\n\n\t<li>two</li>\n\n</ul>\n\nAfter *it*.\n"),
        "<p>Intro.</p>\n<ul>\n\n\t<li><a href=\"#one\">one</a></li>\n\n\t<li>two</li>\n\n</ul>\n<p>After <em>it</em>.</p>\n"
    );
    assert_eq!(
        html("<div class=\"note\">\n\n  Kept **raw**\n\n  <div>inner</div>\n\n</div>\n\nTail.\n"),
        "<div class=\"note\">\n\n  Kept **raw**\n\n  <div>inner</div>\n\n</div>\n<p>Tail.</p>\n"
    );
    assert!(
        html("<section markdown=\"1\">\n\nMarked **md**\n\n</section>\n")
            .contains("<strong>md</strong>")
    );
    assert!(html("<div>\n\n    never closed\n").contains("[code"));
}

/// kramdown ends a block element at its closing tag: a line of markdown right after it is a
/// paragraph (checked against Jekyll 4.3.1), where CommonMark's HTML block would take it in
/// as raw text. The lines after it keep their numbers.
#[test]
fn markdown_right_after_a_block_elements_closing_tag_is_markdown() {
    assert_eq!(
        html("<div>\n  <p>x</p>\n</div>\nTail *t*.\n"),
        "<div>\n  <p>x</p>\n</div>\n<p>Tail <em>t</em>.</p>\n"
    );
    assert_eq!(
        html("<ul>\n\n  <li>one</li>\n\n</ul>\nAfter *it*.\n"),
        "<ul>\n\n  <li>one</li>\n\n</ul>\n<p>After <em>it</em>.</p>\n"
    );
    let r = render("<div>\n  <p>x</p>\n</div>\nTail.\n\n~~~\ncode\n~~~\n");
    assert!(show(&r).contains("at 6:1]"), "{}", show(&r));
    assert!(!show(&r).contains('\r'));
}

// ---- the pre-pass's raw block elements ----------------------------------------------

thread_local! {
    /// Lines read to find where block elements close (`prepare::element_closes`).
    pub(super) static LINES_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[test]
fn block_elements_never_closed_are_found_in_one_pass_over_the_doc() {
    // A sloppy `<p>` never closed on each of many lines: each was scanned for its closing
    // tag to the doc's end. Now each element name's closing tags are found once.
    let doc = "<p>Loose line with no closing tag.\n\n".repeat(2_000);
    LINES_SCANNED.with(|c| c.set(0));
    let r = render(&doc);
    let scanned = LINES_SCANNED.with(std::cell::Cell::get);
    assert!(scanned <= 2 * 4_000, "{scanned} lines scanned");
    assert_eq!(show(&r).matches("<p>Loose line").count(), 2_000);
}

#[test]
fn block_elements_close_where_a_scan_from_their_line_finds_it() {
    // The closing line of each element is the one a scan from its opening line finds (the
    // nesting count of its name), in docs of nested, unclosed and stray tags.
    let docs = [
        "<div>\n<div>\n\ninner\n</div>\n</div>\nafter\n",
        "<p>one\n\n<p>two\n</p>\n\n</p>\ntext\n",
        "<ul>\n<li>a</li>\n\n</ul></ul>\nmore\n<ul>\n",
        "  <section class=x>\n\n  </SECTION>\n*m*\n<section markdown=\"1\">\n\n</section>\n",
        "</div>\n<div><div></div>\n\n</div>\nz\n<div>\n</div>\n",
    ];
    for doc in docs {
        let lines: Vec<&str> = doc.split('\n').collect();
        let mut blocks = prepare::RawBlocks::default();
        for idx in 0..lines.len() {
            assert_eq!(
                blocks.end(&lines, idx),
                scan_to_close(&lines[idx..]).map(|n| idx + n),
                "{doc:?} line {idx}"
            );
        }
    }
}

/// The scan the pre-pass made from each line before it found every element's close at once.
fn scan_to_close(lines: &[&str]) -> Option<usize> {
    let first = lines[0];
    let indent = first.len() - first.trim_start_matches(' ').len();
    let name = prepare::block_tag(&first[indent..]).filter(|_| indent <= 3)?;
    if first[..first.find('>').unwrap_or(first.len())].contains("markdown=") {
        return None;
    }
    let close = format!("</{name}>");
    let mut depth = 0usize;
    let mut blank_inside = false;
    for (n, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        let mut at = 0;
        while let Some(i) = lower[at..].find('<') {
            let tag = &lower[at + i..];
            if tag.starts_with(&close) {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let ends_line = lower[at + i + close.len()..].trim().is_empty();
                    let then_markdown = ends_line
                        && lines
                            .get(n + 1)
                            .is_some_and(|next| prepare::starts_markdown(next));
                    return ((blank_inside || then_markdown) && n > 0).then_some(n);
                }
            } else if prepare::tag_name(tag) == Some(name.as_str()) {
                depth += 1;
            }
            at += i + 1;
        }
        blank_inside |= line.trim().is_empty();
    }
    None
}
