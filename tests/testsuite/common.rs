//! Small helpers shared by the integration tests: fixture sites written into temp dirs,
//! and the binary under test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site in a temp dir, made from `(path, text)` pairs.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Site { dir }
    }

    /// A copy of a site folder of the repository (e.g. `content`): only what a build reads
    /// (`load::walk`), never what a build of it wrote there (`_site`, the cache, staging
    /// folders), so a test sees the same site before and after the README's first command.
    pub fn copy_of(rel: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let dir = tempfile::tempdir().unwrap();
        for entry in endpaper::load::walk(&src, None) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&src).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        Site { dir }
    }

    /// A private copy of the fixture site `tests/fixtures/<name>`, for a test to build and edit.
    pub fn fixture(name: &str) -> Site {
        Site::copy_of(&format!("tests/fixtures/{name}"))
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("_site")
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn endpaper(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_endpaper"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Builds with the binary; panics with its output if it fails.
    pub fn build(&self, args: &[&str]) -> String {
        let mut all = vec!["build", "."];
        all.extend_from_slice(args);
        let out = self.endpaper(&all);
        assert!(
            out.status.success(),
            "build failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(self.out().join("index.html")).unwrap()
    }

    /// A file of the site itself.
    pub fn read_in(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }

    pub fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap()
    }

    /// Every output file's text, concatenated (binary files skipped).
    pub fn all_output(&self) -> String {
        let mut all = String::new();
        for e in walkdir::WalkDir::new(self.out())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                all.push_str(&t);
            }
        }
        all
    }
}

/// Runs the binary with `args` and then `path` (a site or a folder to create), without colour.
pub fn endpaper_at(args: &[&str], path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(args)
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A private copy of `tests/fixtures/<name>` (so no run can leave files in the repo), and
/// its path.
pub fn fixture(name: &str) -> (Site, PathBuf) {
    let site = Site::fixture(name);
    let path = site.path().to_path_buf();
    (site, path)
}

/// The text of `tests/fixtures/<name>`: a fixture's file, or the output a test expects, kept
/// on disk beside its fixture site.
pub fn fixture_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, by relative path, with its bytes (to compare whole outputs).
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The files of the full text for search under `out` (`search-text.js`, and when it is split
/// by section each part), by output-relative path.
pub fn search_text_files(out: &Path) -> std::collections::BTreeMap<String, String> {
    let name = |k: &str| k.rsplit('/').next().unwrap_or(k).starts_with("search-text");
    tree(out)
        .into_iter()
        .filter(|(k, _)| name(k))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The HTML element with `id="{id}"` (from its start tag to its matching end tag).
pub fn element<'a>(html: &'a str, id: &str) -> &'a str {
    let needle = format!("id=\"{id}\"");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no element with {needle}"));
    let start = html[..at].rfind('<').unwrap();
    let tag: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0;
    let mut i = start;
    loop {
        let next_open = html[i + 1..].find(&open).map(|p| p + i + 1);
        let next_close = html[i + 1..]
            .find(&close)
            .map(|p| p + i + 1)
            .expect("unclosed element");
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                i = o;
            }
            _ => {
                if depth == 0 {
                    return &html[start..next_close + close.len()];
                }
                depth -= 1;
                i = next_close;
            }
        }
    }
}

/// A tool a test needs is missing: under `ENDPAPER_REQUIRE_TOOLS=1` (CI) that fails the
/// test; elsewhere it says so on the terminal, past cargo's capture of test output.
pub fn tool_missing(what: &str) {
    if std::env::var_os("ENDPAPER_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{what} is missing and ENDPAPER_REQUIRE_TOOLS=1");
    }
    assert!(std::env::var_os("CI").is_none(), "CI must have {what}");
    skipped(what);
}

/// Says on the terminal that a check was skipped for want of `what` (a tool no run requires).
pub fn skipped(what: &str) {
    let line = format!("skipped: {what} is missing\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// Jekyll's build of the site at `source` into `dest`, quietly; `None` (a shown skip) where
/// `jekyll` is not installed. Fixtures' committed `*.jekyll.html` references are checked
/// against it.
pub fn jekyll_build(source: &Path, dest: &Path) -> Option<Output> {
    let Ok(out) = Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(source)
        .arg("--destination")
        .arg(dest)
        .output()
    else {
        skipped("jekyll (the references were built with Jekyll 4.3.1)");
        return None;
    };
    Some(out)
}

/// Jekyll's `index.html` for the site at `source`, built into `dest`; `None` (a shown skip)
/// where `jekyll` is not installed.
pub fn jekyll_index(source: &Path, dest: &Path) -> Option<String> {
    let out = jekyll_build(source, dest)?;
    assert!(out.status.success(), "{}", stderr(&out));
    Some(std::fs::read_to_string(dest.join("index.html")).unwrap())
}
