//! Constructs met on a sixth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), and known holes, each reproduced by a fixture of the project's own
//! words and held to Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`,
//! checked live where Jekyll is installed).

use crate::common;
use crate::unseen_sites3::page_as_jekylls;

#[test]
fn a_lone_backtick_between_spaces_is_text_and_spans_keep_their_line_breaks() {
    // kramdown opens no code span at a single backtick with whitespace on both sides (a
    // paragraph's later line starts with whitespace): `` ` loop ` `` stays text, and on
    // `` ` start` of… `` the span opens at the second backtick. A span written over two lines
    // keeps its line break. CommonMark had made code of ` loop ` (spaces and all) and
    // of ` start`, and a space of each line break.
    let page = page_as_jekylls("unseen_sites6-code-span-lines");
    assert!(page.contains("Pull the ` loop ` through"), "{page}");
    assert!(page.contains(">round\nturn</code>"), "{page}");
    assert!(page.contains("<td>a ` fixed ` loop</td>"), "{page}");
}

#[test]
fn an_attribute_lists_values_are_read_as_kramdown_reads_them() {
    // A site titled a sample `"Enable" Aliases`, which Aviator's include writes into
    // `{: title="…" }`: kramdown's value ends at the first quote that whitespace follows, so
    // Jekyll shows `"Enable`. `.tip.wide` is two classes, an unquoted value and a quote never
    // closed are no attribute. endpaper had read `""` (then skipped the rest), one class
    // `tip.wide`, `title="left"`, and a value running to the end.
    let page = page_as_jekylls("unseen_sites6-ial-values");
    assert!(
        page.contains(r#"<div title="&quot;Start" class="#),
        "{page}"
    );
    assert!(
        page.contains(r#"<p class="tip wide" data-step="2">Hold it down.</p>"#),
        "{page}"
    );
    assert!(page.contains("<p>Let go.</p>"), "{page}");
    // endpaper's theme composes a `left_code_blocks` list itself: its titles read the same.
    let (site, _) = common::fixture("unseen_sites6-ial-values");
    site.write("_config.yml", "collections:\n  tools:\n    title: Tools\n");
    site.write(
        "_tools/lever.md",
        "---\ntitle: Lever\nleft_code_blocks:\n  - code_block: pull\n    title: '\"Pull\" Steps'\n    language: text\n---\n",
    );
    let page = site.build(&[]);
    assert!(page.contains(r#"data-title="&quot;Pull""#), "{page}");
    assert!(!page.contains("Steps"), "{page}");
}

#[test]
fn a_block_attribute_list_between_blank_lines_goes_to_the_next_block() {
    // kramdown keeps a block IAL that follows no block (a blank line above) for the next
    // block, past blank lines: the paragraph takes `.stamped`, the heading `#front-desk`.
    // endpaper had taken such a list only for a block right under it, and dropped these.
    let page = page_as_jekylls("unseen_sites6-ial-places");
    assert!(page.contains(r#"<p class="stamped">Hand it"#), "{page}");
    assert!(
        page.contains(r#"<h2 id="front-desk">Counter</h2>"#),
        "{page}"
    );
}

#[test]
fn inline_codes_language_class_comes_before_its_attribute_lists_classes() {
    // kramdown writes `language-plaintext` first, then a span IAL's classes, then
    // `highlighter-rouge` (Jekyll 4.3.1: `class="language-plaintext carbon copy
    // highlighter-rouge"`); endpaper had put the IAL's classes first.
    let (site, _) = common::fixture("unseen_sites6-ial-places");
    site.write(
        "_forms/slip.md",
        "---\ntitle: Slip\n---\nKeep the `slip`{: .carbon.copy} and `stub`.\n",
    );
    let page = site.build(&[]);
    assert!(
        page.contains(
            r#"<code class="language-plaintext carbon copy highlighter-rouge">slip</code>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<code class="language-plaintext highlighter-rouge">stub</code>"#),
        "{page}"
    );
}
