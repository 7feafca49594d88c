//! What unit tests share: the real sites beside the project, and their markdown, to hold a
//! fast path to the slow one it replaces.

use std::path::{Path, PathBuf};

/// Every `.md` file of the example site (`content/`) and of the real sites in
/// `../shared/corpora` when they sit beside the checkout (or beside the worktrees' folder),
/// with its text.
pub(crate) fn real_markdown() -> Vec<(PathBuf, String)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // content/ as a build reads it: the markdown twins a build of it wrote into
    // content/_site are not the site's markdown.
    crate::load::walk(&here.join("content"), None)
        .chain(corpora().into_iter().flat_map(walkdir::WalkDir::new))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.into_path(), text))
        })
        .collect()
}

/// The markdown of a file after its front matter (the whole text when it has none).
pub(crate) fn body(text: &str) -> &str {
    match crate::frontmatter::split(text) {
        crate::frontmatter::Split::Block { body, .. } => body,
        _ => text,
    }
}

/// The shared real sites, beside the checkout or beside the worktrees' folder.
pub(crate) fn corpora() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpora", "../../shared/corpora"]
        .iter()
        .map(|r| here.join(r))
        .find(|p| p.exists())
}

/// Whether this process is the one to run the test `name` (its path in the crate, as
/// `--exact` takes it): a test that reads process-wide state (whether the grammars loaded)
/// cannot share its process with the other tests, so it is started again alone in a child,
/// the test binary run on it; the parent checks the child passed and returns `false`.
pub(crate) fn alone(name: &str) -> bool {
    const ALONE: &str = "ENDPAPER_TEST_ALONE";
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--test-threads=1"])
        .env(ALONE, "1")
        .status()
        .unwrap();
    assert!(status.success(), "{name} failed alone in a child process");
    false
}
