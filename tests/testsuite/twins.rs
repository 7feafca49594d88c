//! Twins written from the document model are byte for byte the ones `htmd` writes from the
//! same tree: every doc of the example site, of every fixture site and of the shared real
//! sites (`../shared/corpora`, when beside the repository), for each audience, built with
//! `ENDPAPER_TWIN_CHECK=1`, which writes each twin both ways and says on stderr whether the
//! two agree and how the twin was written.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `site` for `audience` into a temp folder with the check on: each doc's verdict
/// line (`same, model` …), or nothing when the build fails (an audience with no docs).
fn verdicts(site: &Path, audience: &str) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(["build", "--no-cache", "-q", "--audience", audience, "-o"])
        .arg(out.path().join("_site"))
        .arg(site)
        .env("NO_COLOR", "1")
        .env("ENDPAPER_TWIN_CHECK", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("twin check: "))
        .map(str::to_string)
        .collect();
    assert!(
        lines.iter().all(|l| l.starts_with("same, ")),
        "{}: {audience}: a twin differs:\n{stderr}",
        site.display()
    );
    lines
}

/// The sites checked: the example site, every fixture site, the shared real sites.
fn sites() -> Vec<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sites = vec![here.join("content")];
    let mut folders = |root: &Path| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("_config.yml").is_file())
            .collect();
        found.sort();
        sites.extend(found);
    };
    folders(&here.join("tests/fixtures"));
    match here
        .ancestors()
        .map(|a| a.join("shared/corpora"))
        .find(|p| p.is_dir())
    {
        Some(corpora) => folders(&corpora),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have ../shared/corpora"
            );
            eprintln!("skipped the real sites: no shared/corpora beside the repository");
        }
    }
    sites
}

#[test]
fn every_twin_written_from_the_model_is_the_one_htmd_writes() {
    let (mut docs, mut by_model) = (0, 0);
    let mut other = std::collections::BTreeMap::<String, usize>::new();
    let sites = sites();
    for site in &sites {
        for audience in ["public", "internal"] {
            for verdict in verdicts(site, audience) {
                docs += 1;
                match verdict.as_str() {
                    "same, model" => by_model += 1,
                    how => *other.entry(how.to_string()).or_default() += 1,
                }
            }
        }
    }
    eprintln!(
        "{docs} twins of {} sites: {by_model} from the model, others {other:?}",
        sites.len()
    );
    // Most twins come from the model; the rest are raw HTML the reader cannot place.
    assert!(docs >= 200, "{docs} twins checked");
    assert!(by_model * 10 >= docs * 9, "{by_model} of {docs}");
}
