//! `endpaper check` end to end: the real binary on fixture sites copied to temp folders,
//! one fixture per problem family; each finding must carry the right code and
//! file:line:col, and the exit status must be what CI acts on.

use crate::common;
use common::{endpaper_at as endpaper, fixture, Site};
use std::process::{Command, Output};

/// (code, file:line:col, severity) of every JSON finding but the notes: these fixtures are
/// about errors and warnings, and the OpenAPI export's notes (`openapi.rs`) never fail.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.contains("\"severity\":\"note\""))
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}"));
            (
                v["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    v["file"].as_str().unwrap(),
                    v["line"],
                    v["column"]
                ),
                v["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], code: &str, at: &str, severity: &str) -> bool {
    found
        .iter()
        .any(|(c, a, s)| c == code && a == at && s == severity)
}

/// Fails with every finding listed when `code` at `at` with `severity` is not among them.
#[track_caller]
fn assert_has(found: &[(String, String, String)], code: &str, at: &str, severity: &str) {
    assert!(
        has(found, code, at, severity),
        "no {severity}[{code}] at {at} in {found:?}"
    );
}

#[test]
fn broken_links_anchors_and_leaks_are_errors_at_their_spot() {
    let (_tmp, site) = fixture("check-links");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert_has(&found, "broken-anchor", "_api/bad.md:7:29", "error");
    assert_has(&found, "broken-link", "_api/bad.md:9:30", "error");
    assert_has(&found, "link-to-hidden-doc", "_api/bad.md:11:22", "error");
    // A link written in an include is reported where it is written.
    assert_has(&found, "broken-anchor", "_includes/shared.md:2:20", "error");
    // Doc anchors, heading ids, section anchors, `/#a`, `index.html#a`, files and external
    // links all resolve: nothing is reported for the good doc.
    assert!(
        !found
            .iter()
            .any(|(_, at, _)| at.starts_with("_api/good.md")),
        "{found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
    // Nothing is written.
    assert!(!site.join("_site").exists());
}

#[test]
fn the_other_audience_sees_the_leak_the_other_way() {
    let (_tmp, site) = fixture("check-links");
    let out = endpaper(
        &["check", "--format", "json", "--audience", "internal"],
        &site,
    );
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert!(
        has(
            &found,
            "link-to-hidden-doc",
            "_ops/reindex.md:7:34",
            "error"
        ),
        "{found:?}"
    );
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn build_warnings_are_found_with_positions_and_strict_fails_on_them() {
    let (_tmp, site) = fixture("check-warnings");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings alone pass without --strict"
    );
    let found = findings(&out);
    for (code, at) in [
        ("duplicate-anchor", "_api/d.up.md:1:1"),
        ("unknown-method", "_api/method.md:5:9"),
        ("visibility-mismatch", "_api/mismatch.md:6:13"),
        ("invalid-json", "_api/samples.md:10:13"),
        ("unknown-language", "_api/samples.md:14:1"),
        ("untitled-sample", "_api/samples.md:19:1"),
        ("unterminated-front-matter", "_api/unterminated.md:1:1"),
        ("missing-title", "_api/untitled.md:2:1"),
        ("undeclared-collection", "_extra/stray.md:1:1"),
    ] {
        assert_has(&found, code, at, "warning");
    }
    let strict = endpaper(&["check", "--strict"], &site);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
}

#[test]
fn a_failing_build_is_reported_as_located_errors() {
    let (_tmp, site) = fixture("check-broken");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert_has(&found, "build-error", "_api/one.md:9:1", "error");
}

#[test]
fn human_format_prints_like_a_compiler() {
    let (_tmp, site) = fixture("check-links");
    let out = endpaper(&["check"], &site);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "people's format goes to stderr");
    let text = String::from_utf8(out.stderr).unwrap();
    let expected = "error[broken-anchor]: link to `#no-such-anchor`, which is no doc, heading or section of this build\n --> _api/bad.md:7:29\n  |\n7 | This doc links to [nowhere](#no-such-anchor).\n  |                             ^^^^^^^^^^^^^^^\n";
    assert!(text.contains(expected), "{text}");
    assert!(text.contains("check: 4 errors, 0 warnings"), "{text}");
    // Findings print in file order, so CI logs are stable.
    let first = text.find("_api/bad.md:7:29").unwrap();
    let last = text.find("_includes/shared.md:2:20").unwrap();
    assert!(first < last);
}

#[test]
fn github_format_is_workflow_annotations() {
    let (_tmp, site) = fixture("check-links");
    let out = endpaper(&["check", "--format", "github"], &site);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("bad.md,line=9"))
        .unwrap_or_else(|| panic!("{text}"));
    let file = site.join("_api/bad.md");
    assert!(
        line.starts_with(&format!("::error file={},line=9,col=30,", file.display())),
        "{line}"
    );
    assert!(
        line.ends_with("::link to `files/missing.pdf`, a file this build does not write"),
        "{line}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let (_tmp, site) = fixture("check-links");
    assert_eq!(
        endpaper(&["check", "--format", "xml"], &site).status.code(),
        Some(2)
    );
    assert_eq!(
        endpaper(&["check", "--no-such-flag"], &site).status.code(),
        Some(2)
    );
}

#[test]
fn a_missing_site_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = endpaper(&["check"], &tmp.path().join("nothing-here"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error"));
}

/// Every finding of `tests/fixtures/check-many` (14 mistakes: a missing include, a broken
/// chain of includes shared by three docs, a cycle, an escaping include path, a bad field,
/// links, samples, front matter, an undeclared folder), as (code, file:line:col).
const MANY: &[(&str, &str)] = &[
    ("missing-title", "_api/five.md:2:1"),
    ("broken-link", "_api/five.md:4:9"),
    ("build-error", "_api/five.md:4:30"),
    ("build-error", "_api/four.md:2:1"),
    ("build-error", "_api/one.md:5:1"),
    ("broken-anchor", "_api/one.md:7:15"),
    ("duplicate-key", "_api/six.md:3:1"),
    ("unsupported-liquid", "_api/six.md:5:1"),
    ("invalid-json", "_api/three.md:8:7"),
    ("unknown-method", "_api/two.md:3:9"),
    ("unknown-language", "_api/two.md:7:1"),
    ("undeclared-collection", "_extras/lost.md:1:1"),
    ("build-error", "_includes/loop.md:1:1"),
    ("build-error", "_includes/shared/deeper.md:1:1"),
];

#[test]
fn one_check_run_lists_every_finding_once_in_all_three_formats() {
    let (_tmp, site) = fixture("check-many");
    let json = endpaper(&["check", "--no-cache", "--format", "json"], &site);
    assert_eq!(json.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["severity"] != "note")
        .collect();
    let got: Vec<(String, String)> = lines
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    v["file"].as_str().unwrap(),
                    v["line"],
                    v["column"]
                ),
            )
        })
        .collect();
    let want: Vec<(String, String)> = MANY
        .iter()
        .map(|(c, a)| (c.to_string(), a.to_string()))
        .collect();
    assert_eq!(got, want);
    // The include used by three docs is one finding naming all three.
    let shared = lines.last().unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    for doc in ["_api/one.md:9:1", "_api/two.md:5:1", "_api/three.md:5:1"] {
        assert!(shared.contains(doc), "{shared}");
    }

    let human = endpaper(&["check", "--no-cache"], &site);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stderr);
    for (code, at) in MANY {
        assert_eq!(
            text.matches(&format!("[{code}]")).count(),
            MANY.iter().filter(|(c, _)| c == code).count(),
            "{code}\n{text}"
        );
        assert!(text.contains(&format!("--> {at}\n")), "{at}\n{text}");
    }
    assert!(text.contains("check: 7 errors, 7 warnings"), "{text}");

    let gh = endpaper(&["check", "--no-cache", "--format", "github"], &site);
    assert_eq!(gh.status.code(), Some(1));
    let text = String::from_utf8_lossy(&gh.stdout);
    let not_notes = text.lines().filter(|l| !l.starts_with("::notice"));
    assert_eq!(not_notes.count(), MANY.len(), "{text}");
    for (code, at) in MANY {
        let mut parts = at.split(':');
        let (file, line, col) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let prefix = site.join(file);
        let needle = format!(
            "file={},line={line},col={col},title=endpaper {code}::",
            prefix
                .to_string_lossy()
                .replace(':', "%3A")
                .replace(',', "%2C")
        );
        assert!(text.contains(&needle), "{needle}\n{text}");
    }

    // `build` stops, but lists the located errors it found.
    let build = endpaper(&["build", "--no-cache"], &site);
    assert_eq!(build.status.code(), Some(1));
    let text = String::from_utf8_lossy(&build.stderr);
    assert!(text.contains("errors in the site"), "{text}");
    assert!(text.contains("_includes/shared/deeper.md:1:1"), "{text}");
    assert!(!site.join("_site").exists());
}

#[test]
fn an_unknown_audience_is_an_error_listing_the_sites_audiences() {
    let site = Site::fixture("cli_check-small");
    for cmd in ["build", "check"] {
        let out = endpaper(&[cmd, "--no-cache", "--audience", "interal"], site.path());
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unknown audience `interal`") && err.contains("`internal`, `public`"),
            "{err}"
        );
    }
    let out = endpaper(
        &["check", "--no-cache", "--audience", "internal"],
        site.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_folder_without_config_or_docs_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    for cmd in ["build", "check"] {
        let out = endpaper(&[cmd, "--no-cache"], empty.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("has no _config.yml"));
    }
    let no_docs = Site::fixture("cli_check-no-docs");
    let out = endpaper(&["check", "--no-cache"], no_docs.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no docs to build"));
}

#[test]
fn config_errors_are_named_config_errors_in_every_format() {
    let site = Site::fixture("cli_check-bad-config");
    let out = endpaper(&["check", "--no-cache", "--format", "json"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(v["file"], "_config.yml");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.starts_with("config error: invalid YAML") && !msg.contains("front matter"),
        "{msg}"
    );
    let out = endpaper(&["build", "--no-cache"], site.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("_config.yml:"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config error"));
}

#[test]
fn strict_and_quiet_shows_the_warnings_and_keeps_the_previous_output() {
    let site = Site::fixture("cli_check-small");
    let out = endpaper(&["build", "--no-cache"], site.path());
    assert!(out.status.success());
    let index = site.path().join("_site/index.html");
    let before = std::fs::read(&index).unwrap();
    std::fs::write(
        site.path().join("_api/a.md"),
        "---\ntitle: A changed\nmethod: fetch\n---\nHello.\n",
    )
    .unwrap();
    let out = endpaper(&["build", "--no-cache", "--strict", "-q"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("method: fetch") && err.contains("_api/a.md:3:9"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&index).unwrap(),
        before,
        "--strict replaced the output"
    );
    let out = endpaper(&["check", "--no-cache", "--strict", "-q"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning[unknown-method]") && err.contains("_api/a.md:3:9"),
        "{err}"
    );
}

#[test]
fn liquid_findings_are_located_and_every_missing_include_is_listed() {
    let (_tmp, site) = fixture("check-liquid");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    // Both missing includes are errors, each where its tag is written, in one run.
    assert_has(&found, "build-error", "_api/broken.md:5:1", "error");
    assert_has(&found, "build-error", "_includes/shared.md:2:1", "error");
}

#[test]
fn liquid_conditions_hide_what_they_hide_and_strict_fails_on_unknown_variables() {
    let (_tmp, site) = fixture("check-liquid");
    std::fs::remove_file(site.join("_api/broken.md")).unwrap();
    std::fs::remove_file(site.join("_api/nested.md")).unwrap();
    let out_dir = site.join("_site");
    let out = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(["build", "-q", "-o"])
        .arg(&out_dir)
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(html.contains("Plans below."), "the else branch is shown");
    assert!(!html.contains("SECRET"), "the if branch is not published");
    assert!(html.contains("Free: 100 calls") && html.contains("Team: 5000 calls"));
    // `{{ site.api_ur }}` (a typo for `api_url`) renders empty, and says so where it is.
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(0));
    let found = findings(&out);
    assert_has(&found, "unknown-variable", "_api/plans.md:12:15", "warning");
    let strict = endpaper(&["check", "--strict"], &site);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn an_allowed_warning_is_a_note_and_a_stale_allowance_is_a_warning() {
    let site = Site::fixture("cli_check-allow");
    let run = |args: &[&str]| {
        let out = endpaper(args, site.path());
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Only a.md is allowed: b.md's same warning still fails --strict.
    let (code, err) = run(&["check", "--no-cache", "--strict"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("note[unknown-method]") && err.contains("allowed by `endpaper.allow`"),
        "{err}"
    );
    assert!(
        err.contains("warning[unknown-method]") && err.contains("_api/b.md:3:9"),
        "{err}"
    );
    assert!(!err.contains("_api/a.md:3:9: warning"), "{err}");

    std::fs::write(
        site.path().join("_api/b.md"),
        "---\ntitle: B\nmethod: get\n---\nHi.\n",
    )
    .unwrap();
    let (code, err) = run(&["check", "--no-cache", "--strict"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = run(&["build", "--no-cache", "--strict"]);
    assert_eq!(
        code,
        Some(0),
        "build --strict passes on allowed warnings: {err}"
    );

    // Fixing a.md leaves the allowance allowing nothing: that is said, where it is written.
    std::fs::write(
        site.path().join("_api/a.md"),
        "---\ntitle: A\nmethod: get\n---\nHi.\n",
    )
    .unwrap();
    let (code, err) = run(&["check", "--no-cache", "--strict"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("warning[unused-allow]") && err.contains("_config.yml:6:5"),
        "{err}"
    );
}

#[test]
fn a_doc_that_is_not_text_is_one_finding_among_the_others() {
    let site = Site::fixture("cli_check-not-text");
    std::fs::write(
        site.path().join("_api/b.md"),
        b"---\ntitle: /b\n---\n\xff\n",
    )
    .unwrap();
    let out = endpaper(&["check", "--format", "json", "--no-cache"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    // The file that cannot be read as text does not stop the check of the others.
    assert_has(&found, "build-error", "_api/b.md:4:1", "error");
    assert_has(&found, "broken-anchor", "_api/a.md:5:9", "error");
    let build = endpaper(&["build", "--no-cache"], site.path());
    assert_eq!(build.status.code(), Some(1));
    let err = String::from_utf8_lossy(&build.stderr);
    assert!(err.contains("_api/b.md:4:1: not valid UTF-8"), "{err}");
    assert!(!site.path().join("_site").exists());
}

#[test]
fn unclosed_liquid_blocks_are_errors_at_their_opening_tag() {
    let (_tmp, site) = fixture("liquid-unclosed");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    // welcome.md has 25 lines: its `{% if %}` is on line 24, not past the end.
    for at in [
        "_api/welcome.md:24:1",
        "_api/loop.md:7:1",
        "_api/capture.md:6:3",
        "_api/raw.md:7:1",
        "_api/comment.md:5:1",
        "_api/highlight.md:7:1",
        "_api/mismatch.md:7:1",
    ] {
        assert_has(&found, "build-error", at, "error");
    }
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\"message\":\"`{% if %}` is never closed by `{% endif %}`\""),
        "{text}"
    );
    assert!(
        text.contains("`{% endfor %}` cannot close the `{% case %}` still open before it; close that with `{% endcase %}` first"),
        "{text}"
    );
    let build = endpaper(&["build", "-q", "--no-cache"], &site);
    assert_eq!(build.status.code(), Some(1));
    let err = String::from_utf8_lossy(&build.stderr);
    assert!(
        err.contains("_api/welcome.md:24:1: `{% if %}` is never closed by `{% endif %}`"),
        "{err}"
    );
}

#[test]
fn liquid_names_get_a_did_you_mean_and_the_whole_tag_is_underlined() {
    let (_tmp, site) = fixture("liquid-typos");
    let out = endpaper(&["check"], &site);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the missing include is an error"
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for block in [
        "warning[unknown-variable]: unknown variable `site.apiurl` (did you mean `site.api_url`?) in `{{ site.apiurl }}`; like Jekyll, it renders as nothing\n --> _api/things.md:5:6\n  |\n5 | Call {{ site.apiurl }} to list things.\n  |      ^^^^^^^^^^^^^^^^^\n",
        "warning[unknown-variable]: unknown variable `page.nmae` (did you mean `page.name`?) in `{{ page.nmae }}`; like Jekyll, it renders as nothing\n --> _api/things.md:7:1\n  |\n7 | {{ page.nmae | upcasee }}\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "warning[unsupported-liquid]: unknown Liquid filter `upcasee` (the value is shown unfiltered); did you mean `upcase`?\n --> _api/things.md:7:14\n  |\n7 | {{ page.nmae | upcasee }}\n  |              ^^^^^^^^^\n",
        "error[build-error]: include file `_includes/authz.md` not found; did you mean `auth.md`?\n --> _api/things.md:9:1\n  |\n9 | {% include authz.md %}\n  | ^^^^^^^^^^^^^^^^^^^^^^\n",
        "warning[unsupported-liquid]: unknown Liquid tag `iff` (left out); did you mean `if`?\n  --> _api/things.md:11:1\n   |\n11 | {% iff page.name %}\n   | ^^^^^^^^^^^^^^^^^^^\n",
    ] {
        assert!(text.contains(block), "missing:\n{block}\nin:\n{text}");
    }
}
