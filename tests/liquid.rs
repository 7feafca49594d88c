//! Liquid as Jekyll runs it, through the binary: the lax forms Jekyll renders (each repair
//! a located warning) and the limits that stop hostile templates with a located error.

mod common;
use common::{fixture, stderr};

#[test]
fn lax_liquid_renders_as_jekyll_renders_it_with_a_located_warning_each() {
    let (site, _) = fixture("liquid-lax");
    let html = site.build(&[]);
    // `"" | split,""` is `[]`; `{page.position | round` rounds 2.6; the `sort` on the loop's
    // collection is ignored, so the docs come in path order (Alpha's position is after Beta's).
    assert!(html.contains("Empty list: 0 items."), "{html}");
    assert!(html.contains("Rounded position: 3."), "{html}");
    assert!(html.contains("Order: Alpha Beta"), "{html}");
    let out = site.endpaper(&["build", ".", "--theme", "site", "-o", "_theme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let split = "`split,` read as `split:`, as Jekyll reads it";
    let sort = "`| sort: \"position\"` on a loop's collection is ignored, as Jekyll ignores it (sort with `assign` first)";
    for (at, msg) in [
        ("_guide/alpha.md:5:28", split),
        (
            "_guide/alpha.md:8:15",
            "stray `{` in `p = {page.position | round` left out, as Jekyll reads it",
        ),
        ("_guide/alpha.md:11:31", sort),
        ("_layouts/default.html:3:28", split),
        (
            "_layouts/default.html:4:15",
            "stray `{` in `w = {page.weight | round` left out, as Jekyll reads it",
        ),
        ("_layouts/default.html:5:39", sort),
    ] {
        let want = format!("warning: {msg} [lax-liquid]\n  --> {at}\n");
        assert!(err.contains(&want), "no\n{want}in:\n{err}");
    }
    let page = std::fs::read_to_string(site.path().join("_theme/index.html")).unwrap();
    assert!(page.contains("<p id=\"empty\">0</p>"), "{page}");
    assert!(page.contains("<p id=\"weight\">4</p>"), "{page}");
    assert!(
        page.contains("<ul id=\"order\"><li>Alpha</li><li>Beta</li></ul>"),
        "{page}"
    );
    // A repair is a warning: `--strict` fails on it.
    let strict = site.endpaper(&["check", ".", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(
        stderr(&strict).contains("warning[lax-liquid]"),
        "{}",
        stderr(&strict)
    );
}
