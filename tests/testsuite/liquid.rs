//! Liquid as Jekyll runs it, through the binary: the lax forms Jekyll renders (each repair
//! a located warning) and the limits that stop hostile templates with a located error.

use crate::common::{self, fixture, stderr};

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
    assert_eq!(page, jekyll_reference("liquid-lax"));
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

/// Runs the binary on `site` with its address space limited to 4 GiB, as a small CI runner
/// has (`ulimit -v` is POSIX sh's, so no tool is needed).
fn build_in_4_gib(site: &std::path::Path) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304 && exec \"$0\" build -q --no-cache \"$1\"")
        .arg(env!("CARGO_BIN_EXE_endpaper"))
        .arg(site)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Builds a site of `docs` (name, Liquid) under 4 GiB: exit 1 with each `errors` line (a
/// located error naming the limit), never an abort.
fn assert_limits(docs: &[(&str, String)], errors: &[&str]) {
    let mut files = vec![(
        "_config.yml".to_string(),
        "title: Hostile\ncollections:\n  api:\n    title: API\n".to_string(),
    )];
    for (name, liquid) in docs {
        files.push((
            format!("_api/{name}.md"),
            format!("---\ntitle: /{name}\n---\n{liquid}\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = common::Site::new(&files);
    let out = build_in_4_gib(site.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in errors {
        assert!(err.contains(line), "no `{line}` in:\n{err}");
    }
    let count = format!("{} error", errors.len());
    assert!(err.contains(&count), "{err}");
}

#[test]
fn a_range_too_large_to_hold_is_a_located_error_under_4_gib() {
    assert_limits(
        &[(
            "rangevalue",
            "{% assign r = (1..100000000) %}{{ r | size }}".into(),
        )],
        &["_api/rangevalue.md:4:1: the range (1..100000000) has more than 4194304 items"],
    );
}

#[test]
fn output_over_64_mib_is_a_located_error_under_4_gib() {
    assert_limits(
        &[
            (
                "append",
                "{% assign s = \"ab\" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}".into(),
            ),
            (
                "capture",
                "{% capture s %}abcd{% endcapture %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}".into(),
            ),
            (
                "text",
                format!("{{% for i in (1..900000) %}}{}{{% endfor %}}", "y".repeat(100)),
            ),
        ],
        &[
            "_api/append.md:4:44: the filter `append` made a string of more than 64 MiB",
            "_api/capture.md:4:73: `{{ s }}` is more than 64 MiB",
            "_api/text.md:4:1: this doc's Liquid wrote more than 64 MiB; is a loop larger than meant?",
        ],
    );
}

#[test]
fn nesting_deeper_than_100_is_a_located_error_under_4_gib() {
    let nested = format!(
        "{}x{}",
        "{% if true %}".repeat(3000),
        "{% endif %}".repeat(3000)
    );
    assert_limits(
        &[("nested", nested)],
        &["_api/nested.md:4:1301: Liquid blocks nested deeper than 100 levels"],
    );
}

#[test]
fn loop_iterations_over_the_limit_are_a_located_error_under_4_gib() {
    assert_limits(
        &[(
            "range",
            "Many:\n{% for i in (1..100000000) %}x{% endfor %}".into(),
        )],
        &["_api/range.md:5:1: Liquid loops ran more than 1000000 iterations in one render; is a range or a nested loop larger than meant?"],
    );
}

#[test]
fn an_assigned_variable_hides_a_given_one_as_in_jekyll() {
    // A layout that edits its `content` in place, a common Jekyll pattern.
    let site = common::Site::fixture("liquid-assign-content");
    let out = site.endpaper(&["build", ".", "--theme", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read_out("index.html");
    assert!(
        html.contains("<main><p>The final text.</p>\n</main>"),
        "{html}"
    );
}

#[test]
fn a_missing_key_of_a_loop_item_is_nil_to_the_filters_in_both_themes() {
    let (site, _) = fixture("liquid-missing-keys");
    // The default theme renders the doc's body; the loops walk a collection, `site.data`'s
    // array and hash, and `site.collections[i].docs`.
    let html = site.build(&[]);
    // The `Docs:` line's `|`s make it a table row to kramdown, as to Jekyll.
    for want in [
        "<td>Docs: [Get widget</td><td>0</td><td>7]</td>",
        "Data: (t1)(t2)(get)(put)",
        "Collections: (Widget)",
        "Typo: unnamed",
    ] {
        assert!(html.contains(want), "no {want} in:\n{html}");
    }
    // The site theme renders the layout and the root page too.
    let out = site.endpaper(&["build", ".", "--theme", "site", "-o", "_theme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.path().join("_theme/index.html")).unwrap();
    assert!(
        page.contains("<p id=\"layout\">[Get widget|!|no|none]</p>"),
        "{page}"
    );
    assert!(
        page.contains("<p id=\"root\">[Get widget|0|deep]</p>"),
        "{page}"
    );
    // Each miss in an output or assign is still a located warning, with its likely meaning.
    let err = stderr(&out);
    for (at, what) in [
        (
            "_api/widget.md:13:30",
            "`d.nmae` (did you mean `d.name`?) in `{{ d.nmae | default: \"unnamed\" }}`",
        ),
        (
            "_layouts/default.html:3:39",
            "`d.missing` in `{% assign n = d.missing | default: d.name %}`",
        ),
        ("index.html:5:72", "`d.missing` in `{{ d.missing | size }}`"),
    ] {
        let want = format!(
            "warning: unknown variable {what}; like Jekyll, it renders as nothing [unknown-variable]\n  --> {at}\n"
        );
        assert!(err.contains(&want), "no\n{want}in:\n{err}");
    }
}

/// Jekyll 4.3.1's `index.html` of `tests/fixtures/<fixture>` (Debian's `jekyll`),
/// committed as `tests/fixtures/<fixture>.jekyll.html`.
fn jekyll_reference(fixture: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/{fixture}.jekyll.html"));
    std::fs::read_to_string(path).unwrap()
}

/// A site's mappings, each written out of key order (a `_data` YAML, JSON and CSV file, a
/// `_config.yml` menu, a doc's front-matter map and the maps in its list), go through `for`,
/// `first`, `jsonify` and `inspect` in the order they were written, as Jekyll's Ruby hashes
/// do: `theme: site` writes the page Jekyll writes, byte for byte.
#[test]
fn a_sites_mappings_go_in_written_order_as_in_jekyll() {
    let (site, _) = fixture("liquid-hash-order");
    let out = site.endpaper(&["build", ".", "--theme", "site", "-o", "_theme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.path().join("_theme/index.html")).unwrap();
    assert_eq!(page, jekyll_reference("liquid-hash-order"));
    // A doc's own body goes through its front matter's map in written order too.
    let html = site.build(&[]);
    assert!(html.contains("Steps: warm soak peak cool"), "{html}");
}

/// The committed references are what Jekyll gives: checked live where Jekyll is installed
/// (`apt-get install jekyll`), a shown skip elsewhere.
#[test]
fn the_jekyll_references_are_what_jekyll_builds() {
    for name in ["liquid-lax", "liquid-hash-order"] {
        let (site, path) = fixture(name);
        let dest = site.path().join("_jekyll_site");
        let Some(page) = common::jekyll_index(&path, &dest) else {
            return;
        };
        assert_eq!(page, jekyll_reference(name), "{name}");
    }
}
