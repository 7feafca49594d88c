//! Constructs met on a fourth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), each reproduced by a fixture of the project's own words and held to
//! Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`, checked live where
//! Jekyll is installed).

use crate::unseen_sites3::page_as_jekylls;

#[test]
fn a_fence_never_closed_is_paragraph_text_as_in_kramdown() {
    // kramdown's fenced block needs its closing line: without one, the opening line is
    // paragraph text and the lines after it are markdown (emphasis and all). A closing run
    // shorter than the opening one closes nothing. endpaper had run the code to the end of
    // the doc, as CommonMark does, and so lost the prose after it.
    let page = page_as_jekylls("unseen_sites4-unclosed-fence");
    assert!(page.contains("<em>three</em>"), "{page}");
    assert!(
        page.contains("<em>more</em>") && !page.contains("<pre"),
        "{page}"
    );
}
