//! `endpaper check` end to end: the real binary on fixture sites copied to temp folders,
//! one fixture per problem family; each finding must carry the right code and
//! file:line:col, and the exit status must be what CI acts on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A private copy of `tests/fixtures/<name>` (so no run can leave files in the repo).
fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join(name);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &site,
    );
    (tmp, site)
}

fn endpaper(args: &[&str], site: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(args)
        .arg(site)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// (code, file:line:col, severity) of every JSON finding.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
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

#[test]
fn broken_links_anchors_and_leaks_are_errors_at_their_spot() {
    let (_tmp, site) = fixture("check-links");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert!(
        has(&found, "broken-anchor", "_api/bad.md:7:29", "error"),
        "{found:?}"
    );
    assert!(
        has(&found, "broken-link", "_api/bad.md:9:30", "error"),
        "{found:?}"
    );
    assert!(
        has(&found, "link-to-hidden-doc", "_api/bad.md:11:22", "error"),
        "{found:?}"
    );
    // A link written in an include is reported where it is written.
    assert!(
        has(&found, "broken-anchor", "_includes/shared.md:2:20", "error"),
        "{found:?}"
    );
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
        ("invalid-json", "_api/samples.md:10:15"),
        ("unknown-language", "_api/samples.md:14:1"),
        ("untitled-sample", "_api/samples.md:19:1"),
        ("unterminated-front-matter", "_api/unterminated.md:1:1"),
        ("missing-title", "_api/untitled.md:2:1"),
        ("undeclared-collection", "_config.yml:1:1"),
    ] {
        assert!(
            has(&found, code, at, "warning"),
            "{code} at {at} missing from {found:?}"
        );
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
    assert!(
        has(&found, "build-error", "_api/one.md:9:1", "error"),
        "{found:?}"
    );
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

#[test]
fn liquid_findings_are_located_and_every_missing_include_is_listed() {
    let (_tmp, site) = fixture("check-liquid");
    let out = endpaper(&["check", "--format", "json"], &site);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    // Both missing includes are errors, each where its tag is written, in one run.
    assert!(
        has(&found, "build-error", "_api/broken.md:5:1", "error"),
        "{found:?}"
    );
    assert!(
        has(&found, "build-error", "_includes/shared.md:2:1", "error"),
        "{found:?}"
    );
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
    assert!(
        has(&found, "unknown-variable", "_api/plans.md:12:15", "warning"),
        "{found:?}"
    );
    let strict = endpaper(&["check", "--strict"], &site);
    assert_eq!(strict.status.code(), Some(1));
}
