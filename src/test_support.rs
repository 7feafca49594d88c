//! What unit tests share: the real sites beside the project, and their markdown, to hold a
//! fast path to the slow one it replaces.

use std::path::{Path, PathBuf};

/// Every `.md` file of the example site (`content/`) and of the real sites in
/// `../shared/corpora` when they sit beside the checkout (or beside the worktrees' folder),
/// with its text.
pub(crate) fn real_markdown() -> Vec<(PathBuf, String)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::iter::once(here.join("content"))
        .chain(corpora())
        .flat_map(|dir| {
            walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.into_path(), text))
        })
        .collect()
}

/// The shared real sites, beside the checkout or beside the worktrees' folder.
pub(crate) fn corpora() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpora", "../../shared/corpora"]
        .iter()
        .map(|r| here.join(r))
        .find(|p| p.exists())
}
