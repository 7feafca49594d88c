//! Constructs met on a fourth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), each reproduced by a fixture of the project's own words and held to
//! Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`, checked live where
//! Jekyll is installed).

use crate::common;
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

#[test]
fn a_comments_body_is_parsed_and_only_its_own_unknown_and_stray_tags_pass() {
    // Ruby Liquid parses a comment's body as any template and renders none of it: a tag it
    // does not know, or an end tag with nothing to close, right inside the comment is let
    // be; a block opened there must close there, and a known tag must read right.
    // endpaper had skipped the body unread, so it built what Jekyll refuses.
    page_as_jekylls("unseen_sites4-comment-tags");
    let (site, _) = common::fixture("unseen_sites4-comment-tags");
    site.write(
        "_notes/crate.md",
        "---\ntitle: Crate\n---\nA crate.\n{% comment %}\n  {% if full %} left open\n{% endcomment %}\n",
    );
    let out = site.endpaper(&["build", "."]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("_notes/crate.md:6:3: `{% if %}` is never closed"),
        "{err}"
    );
    let dest = site.path().join("_jekyll_site");
    if let Some(jekyll) = common::jekyll_build(site.path(), &dest) {
        assert!(!jekyll.status.success());
        assert!(common::stderr(&jekyll).contains("is not a valid delimiter for if tags"));
    }
}

#[test]
fn a_description_is_rendered_for_docs_without_markup_where_the_layout_markdownifies_it() {
    // The layout prints every doc's description through `markdownify`. A doc whose other
    // fields the layout shows has its description rendered from the site's markup; a doc
    // with no such field (`knock`, no `since`) had its description shown as its markdown,
    // backticks and all. One loop prints both, so both are rendered.
    let (site, _) = common::fixture("unseen_sites3-markdown-description");
    site.write(
        "_hooks/knock.md",
        "---\ntitle: knock()\ndescription: Taps with `knuckle` twice.\n---\n",
    );
    let page = site.build(&[]);
    let knock = common::element(&page, "hooksknock");
    assert!(knock.contains(">knuckle</code>"), "{knock}");
    assert!(!knock.contains("`knuckle`"), "{knock}");
    // A plain description stays as the frame writes it.
    let release = common::element(&page, "hooksrelease");
    assert!(release.contains("Opens the door again."), "{release}");
    let dest = site.path().join("_jekyll_site");
    if let Some(jekyll) = common::jekyll_index(site.path(), &dest) {
        assert!(jekyll.contains(
            "Taps with <code class=\"language-plaintext highlighter-rouge\">knuckle</code> twice."
        ));
    }
}

#[test]
fn posts_are_read_as_jekylls_posts_collection() {
    // A site kept a post in `_posts/`: Jekyll reads it with no declaration (its `posts`
    // collection, at a URL of its categories and date), and the page's loop over every
    // collection, sorted by `position` (none: first), shows it with the id that URL gives.
    // A file there without a dated name is no post. endpaper had left the post out, and
    // had said the folder was not declared under `collections:`.
    let page = page_as_jekylls("unseen_sites4-posts");
    assert!(page.contains("id=\"newsshop20210304opening\""), "{page}");
    let (site, _) = common::fixture("unseen_sites4-posts");
    let out = site.endpaper(&["build", "."]);
    let err = common::stderr(&out);
    assert!(err.contains("_posts/notes.md:1:1"), "{err}");
    assert!(err.contains("[post-name]"), "{err}");
    assert!(!err.contains("not declared under `collections:`"), "{err}");
    // Written at its URL, as Jekyll writes it.
    assert!(site
        .read_out("news/shop/2021/03/04/opening/index.html")
        .contains("<em>Monday</em>"));
}
