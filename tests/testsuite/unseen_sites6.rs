//! Constructs met on a sixth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), and known holes, each reproduced by a fixture of the project's own
//! words and held to Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`,
//! checked live where Jekyll is installed).

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
