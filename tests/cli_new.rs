//! `endpaper new`: the scaffold site must build and check clean in both audiences, and
//! `new` must never write into a folder that holds anything.

mod common;
use common::endpaper_at as endpaper;
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
