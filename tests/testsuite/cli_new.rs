//! `endpaper new`: the scaffold site must build and check clean in both audiences, and
//! `new` must never write into a folder that holds anything.

use crate::common;
use common::endpaper_at as endpaper;
use std::path::Path;
use std::process::Command;

#[test]
fn the_new_site_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("docs");
    let out = endpaper(&["new"], &site);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains(&format!("endpaper serve {}", site.display())),
        "{said}"
    );
    assert!(
        said.contains(&format!("endpaper check {}", site.display())),
        "{said}"
    );

    for audience in ["public", "internal"] {
        let check = endpaper(
            &[
                "check",
                "--strict",
                "--format",
                "json",
                "--audience",
                audience,
            ],
            &site,
        );
        assert_eq!(
            check.status.code(),
            Some(0),
            "{audience}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        assert!(
            check.stdout.is_empty(),
            "{audience}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }

    let build = endpaper(&["build", "--strict"], &site);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let index = std::fs::read_to_string(site.join("_site/index.html")).unwrap();
    for text in [
        "List Notes",
        "Create a Note",
        "Welcome",
        "Python (requests)",
        "Node.js",
        "HTTPie",
    ] {
        assert!(index.contains(text), "{text} missing from the built page");
    }
    // The internal doc stays out of the public build.
    assert!(!index.contains("Purge Deleted Notes"));
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = endpaper(&["new"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn every_command_has_help_with_examples_and_a_version() {
    for cmd in ["build", "check", "serve", "new", "completions"] {
        let out = Command::new(env!("CARGO_BIN_EXE_endpaper"))
            .args([cmd, "--help"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example"), "{cmd} --help has no examples");
        assert!(
            text.contains("--quiet") && text.contains("--verbose"),
            "{cmd}: {text}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("endpaper "));
}

/// The `run:` scripts of a workflow's steps, with their job's and the workflow's `env`.
fn run_steps(workflow: &serde_yaml::Value) -> Vec<(String, Vec<(String, String)>)> {
    let env_of = |v: &serde_yaml::Value| -> Vec<(String, String)> {
        v["env"]
            .as_mapping()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let v = v.as_str().map_or_else(
                    || serde_yaml::to_string(v).unwrap().trim().to_string(),
                    str::to_string,
                );
                (k.as_str().unwrap().to_string(), v)
            })
            .collect()
    };
    let mut runs = Vec::new();
    for job in workflow["jobs"].as_mapping().unwrap().values() {
        for step in job["steps"].as_sequence().unwrap() {
            if let Some(run) = step["run"].as_str() {
                let env = [env_of(workflow), env_of(job), env_of(step)].concat();
                runs.push((run.to_string(), env));
            }
        }
    }
    runs
}

#[test]
fn the_new_sites_workflow_checks_builds_with_the_cache_and_publishes_with_real_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("docs");
    assert!(endpaper(&["new"], &site).status.success());
    let text = std::fs::read_to_string(site.join(".github/workflows/docs.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let runs = run_steps(&workflow);

    // Every endpaper command line of the workflow names a subcommand and flags that exist.
    let mut commands = Vec::new();
    for (run, _) in &runs {
        for line in run.lines().map(str::trim) {
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.first() != Some(&"endpaper") {
                continue;
            }
            let help = Command::new(env!("CARGO_BIN_EXE_endpaper"))
                .args([words[1], "--help"])
                .output()
                .unwrap();
            assert!(help.status.success(), "`{line}`: no such subcommand");
            let help = String::from_utf8(help.stdout).unwrap();
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                let flag = flag.split('=').next().unwrap();
                assert!(
                    help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
                    "`{line}`: {} has no {flag}",
                    words[1]
                );
            }
            commands.push(words);
        }
    }
    let check = commands
        .iter()
        .find(|w| w[1] == "check")
        .expect("the workflow checks");
    assert!(check.contains(&"--strict"), "{check:?}");
    assert!(
        check.windows(2).any(|w| w == ["--format", "github"]),
        "findings must be annotations: {check:?}"
    );
    assert!(
        commands.iter().any(|w| w[1] == "build"),
        "the workflow builds"
    );
    assert!(
        runs.iter()
            .any(|(r, _)| r.contains("cargo install --locked") && r.contains(" endpaper")),
        "the workflow installs endpaper"
    );

    // The cache kept between runs is the one endpaper uses, and the published folder is
    // the one it builds.
    let steps: Vec<&serde_yaml::Value> = workflow["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|j| j["steps"].as_sequence().unwrap())
        .collect();
    let uses = |action: &str| {
        steps
            .iter()
            .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
            .copied()
            .collect::<Vec<_>>()
    };
    let cache_dir = format!("${{{{ env.SITE }}}}/{}", endpaper::store::DIR_NAME);
    assert!(
        uses("actions/cache@")
            .iter()
            .any(|s| s["with"]["path"].as_str() == Some(&cache_dir)),
        "no actions/cache step keeps {cache_dir}"
    );
    assert_eq!(
        uses("actions/upload-pages-artifact@")[0]["with"]["path"].as_str(),
        Some("${{ env.SITE }}/_site")
    );
    assert_eq!(uses("actions/deploy-pages@").len(), 1);
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));

    // Its endpaper steps pass on the new site as written, and `.github` stays out of the
    // output (a dot-folder is never part of the site).
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_endpaper")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for (run, env) in runs.iter().filter(|(r, _)| r.starts_with("endpaper ")) {
        let out = Command::new("sh")
            .args(["-c", run])
            .current_dir(&site)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{run}` failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if run.contains("--format github") {
            assert!(
                out.stdout.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
    assert!(site.join("_site/index.html").is_file());
    assert!(!site.join("_site/.github").exists());
    let listed = common::tree(&site.join("_site"));
    assert!(
        listed
            .keys()
            .all(|k| !k.contains("github") && !k.contains("docs.yml")),
        "{:?}",
        listed.keys().collect::<Vec<_>>()
    );
}
