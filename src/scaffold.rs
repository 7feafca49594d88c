//! `endpaper new DIR`: writes a small, complete Aviator-style site (two public sections, a
//! GET and a POST doc with Curl / HTTPie / Python / Node.js samples, a shared include and
//! an internal-only doc) that builds and checks clean. The files live in `src/scaffold/`
//! and are embedded, so the binary needs nothing beside it.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// (site-relative path, contents) of every scaffold file.
pub const FILES: &[(&str, &str)] = &[
    ("_config.yml", include_str!("scaffold/_config.yml")),
    ("_guides/welcome.md", include_str!("scaffold/welcome.md")),
    (
        "_notes/list_notes.md",
        include_str!("scaffold/list_notes.md"),
    ),
    (
        "_notes/create_note.md",
        include_str!("scaffold/create_note.md"),
    ),
    (
        "_staff/purge_notes.md",
        include_str!("scaffold/purge_notes.md"),
    ),
    ("_includes/auth.md", include_str!("scaffold/auth.md")),
    (".gitignore", include_str!("scaffold/gitignore")),
];

/// Where `new` writes its GitHub Actions workflow (a dot-folder: builds never read it).
pub const WORKFLOW: &str = ".github/workflows/docs.yml";

/// The workflow `new` writes: check with annotations, build with the cache kept, publish to
/// GitHub Pages. It installs endpaper from the repository named in Cargo.toml (or from
/// the `ENDPAPER_GIT` variable of the team's repository, which overrides it).
pub fn workflow() -> String {
    include_str!("scaffold/docs.yml").replace("@REPOSITORY@", env!("CARGO_PKG_REPOSITORY"))
}

/// Creates the site in `dir` (made if missing); refuses a folder that holds anything, so
/// nobody's work is overwritten. Returns the files written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>> {
    let workflow = workflow();
    write_new_site(
        dir,
        FILES.iter().copied().chain([(WORKFLOW, workflow.as_str())]),
    )
}

/// Writes `files` (site-relative path, text) into `dir`, which must be new or empty (also
/// used by `endpaper import`).
pub fn write_new_site<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!("refusing to create a site in {}: the folder is not empty; choose a new or empty folder", dir.display());
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// What to run next, shown after `new`.
pub fn next_steps(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "next:\n  endpaper serve {d}      # live preview at http://127.0.0.1:4000/\n  endpaper check {d}      # what CI should run (add --strict)\n  endpaper build {d}      # writes {}\n",
        dir.join("_site").display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_and_refuses_a_non_empty_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("docs");
        let written = create(&dir).unwrap();
        assert_eq!(written.len(), FILES.len() + 1);
        for (rel, text) in FILES {
            assert_eq!(fs::read_to_string(dir.join(rel)).unwrap(), *text);
        }
        assert_eq!(fs::read_to_string(dir.join(WORKFLOW)).unwrap(), workflow());
        let e = create(&dir).unwrap_err().to_string();
        assert!(e.contains("not empty"), "{e}");
        // An empty existing folder is fine.
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(create(&empty).is_ok());
    }

    #[test]
    fn every_collection_folder_is_declared_in_the_config() {
        let config = FILES[0].1;
        for (rel, _) in &FILES[1..] {
            let folder = rel.split('/').next().unwrap();
            if folder != "_includes" && folder.starts_with('_') {
                let label = folder.trim_start_matches('_');
                assert!(
                    config.contains(&format!("\n  {label}:\n")),
                    "{label} not declared"
                );
            }
        }
    }
}
