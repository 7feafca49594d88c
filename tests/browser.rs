//! End-to-end check of the built-in theme: builds the example site `content/` with the
//! `endpaper` binary, then runs the Node browser tests in `tests/browser/` (headless Debian
//! Chromium, opened from disk) against the output. Without Chromium or the Node dependencies the
//! test is skipped with a message `cargo test` shows, except on CI (`CI=true`) or with
//! `ENDPAPER_REQUIRE_BROWSER=1` (set by `.ci/run`), where that is a failure. `EP_CHROMIUM`
//! names another Chromium (the Node tests read it too). Some Node tests build sites of their
//! own with the binary (`EP_BIN`): `versions.test.js` builds `tests/fixtures/versions`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium the tests drive: `EP_CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("EP_CHROMIUM")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_prerequisite(browser_dir: &Path) -> Option<String> {
    let chromium = chromium();
    if !chromium.exists() {
        return Some(format!(
            "{} not found (install it with `apt-get install -y chromium`, or name another with EP_CHROMIUM)",
            chromium.display()
        ));
    }
    if !browser_dir.join("node_modules").is_dir() {
        return Some(format!(
            "{} missing (run `npm ci` in {})",
            browser_dir.join("node_modules").display(),
            browser_dir.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("`node` is not on PATH".to_owned());
    }
    None
}

/// Whether a browser test that cannot run fails the run: on CI, or when asked to.
fn browser_required() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
        || std::env::var("ENDPAPER_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Skips the test (returning `true`) when it cannot run, with a line on stderr that
/// `cargo test` shows: libtest captures `eprintln!`, not writes to the stream itself.
/// Fails instead when a browser is required.
fn skip_unless_ready(browser_dir: &Path) -> bool {
    let Some(why) = missing_prerequisite(browser_dir) else {
        return false;
    };
    if browser_required() {
        panic!("browser tests cannot run (required by CI or ENDPAPER_REQUIRE_BROWSER): {why}");
    }
    let line = format!("browser tests SKIPPED: {why}\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    true
}

#[test]
fn theme_works_in_a_browser() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests").join("browser");
    if skip_unless_ready(&browser_dir) {
        return;
    }

    let out = tempfile::tempdir().expect("temporary output directory");
    let site = out.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .current_dir(&manifest)
        .args(["build", "content", "-o"])
        .arg(&site)
        .output()
        .expect("run endpaper build");
    assert!(
        build.status.success(),
        "endpaper build content failed ({}):\n{}\n{}",
        build.status,
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        site.join("index.html").is_file(),
        "build wrote no index.html"
    );

    let screenshots = out.path().join("screenshots");
    let node = Command::new("node")
        .current_dir(&manifest)
        .args(["--test", "tests/browser/"])
        .env("EP_SITE", &site)
        .env("EP_BIN", env!("CARGO_BIN_EXE_endpaper"))
        .env("EP_SCREENSHOTS", &screenshots)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&node.stdout);
    let stderr = String::from_utf8_lossy(&node.stderr);
    assert!(
        node.status.success(),
        "browser tests failed ({}):\n{stdout}\n{stderr}",
        node.status
    );
    // node's runner prints "# pass N"; zero would mean it found no test file
    assert!(
        stdout
            .lines()
            .any(|l| l.strip_prefix("# pass ").is_some_and(|n| n.trim() != "0")),
        "node ran no browser test:\n{stdout}"
    );
}

/// This test binary run again for `theme_works_in_a_browser` alone, with no Chromium to be
/// found and `env` set, as `cargo test` runs it (output captured).
fn run_without_a_browser(env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["theme_works_in_a_browser", "--exact"])
        .env("EP_CHROMIUM", "/nonexistent/chromium")
        .env_remove("CI")
        .env_remove("ENDPAPER_REQUIRE_BROWSER");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_missing_browser_is_a_shown_skip_or_a_failure_when_required() {
    let skipped = run_without_a_browser(&[]);
    let said = String::from_utf8_lossy(&skipped.stderr);
    assert!(skipped.status.success(), "{said}");
    assert!(
        said.contains("browser tests SKIPPED: /nonexistent/chromium not found"),
        "the skip is not shown without --nocapture: {said}"
    );
    for required in [("ENDPAPER_REQUIRE_BROWSER", "1"), ("CI", "true")] {
        let failed = run_without_a_browser(&[required]);
        let said = String::from_utf8_lossy(&failed.stdout);
        assert_eq!(failed.status.code(), Some(101), "{required:?}: {said}");
        assert!(
            said.contains("browser tests cannot run") && said.contains("/nonexistent/chromium"),
            "{required:?}: {said}"
        );
    }
    let not_required = run_without_a_browser(&[("ENDPAPER_REQUIRE_BROWSER", "0")]);
    assert!(not_required.status.success());
}
