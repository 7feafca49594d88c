//! End-to-end check of the built-in theme: builds the example site `content/` with the
//! `endpaper` binary, then runs the Node browser tests in `tests/browser/` (headless Debian
//! Chromium, opened from disk) against the output. Without Chromium or the Node dependencies the
//! test is skipped with a message, except on CI (`CI=true`), where that is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Why the browser tests cannot run here, if they cannot.
fn missing_prerequisite(browser_dir: &Path) -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        return Some(format!(
            "{CHROMIUM} not found (install it with `apt-get install -y chromium`)"
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

#[test]
fn theme_works_in_a_browser() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests").join("browser");
    if let Some(why) = missing_prerequisite(&browser_dir) {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("browser tests cannot run on CI: {why}");
        }
        eprintln!("browser tests skipped: {why}");
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
