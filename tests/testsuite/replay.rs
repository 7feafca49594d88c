//! `endpaper build` with nothing changed, as the command line prints it: the last build's
//! report (its diagnostics, in a file beside the stamp) is read only by a replay that prints
//! it, and then only as that build saved it; else the build is made again.

use crate::common::Site;

#[test]
fn a_quiet_replay_reads_no_report_and_one_that_prints_it_trusts_only_the_report_saved() {
    let site = Site::fixture("check-warnings");
    // The fixture was just written: a stamp trusts no file changed within this window.
    std::thread::sleep(endpaper::build::stamp::RACY);
    // Runs `endpaper build . ARGS`: whether it succeeded, its warnings, and all it printed.
    let run = |args: &[&str]| {
        let o = site.endpaper(&[&["build", "."], args].concat());
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let warnings: Vec<String> = said
            .split("warning: ")
            .skip(1)
            .map(|w| w.lines().take(2).collect::<Vec<_>>().join("\n"))
            .collect();
        (o.status.success(), warnings, said)
    };
    let report = || {
        std::fs::read_dir(site.path().join(".endpaper-cache"))
            .unwrap()
            .map(|f| f.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "report"))
    };
    let replayed = "(nothing changed since the last build)";

    let (ok, warnings, _) = run(&[]);
    assert!(ok && !warnings.is_empty());
    std::fs::remove_file(report().unwrap()).unwrap();
    let (ok, _, said) = run(&["-q"]);
    assert!(ok && said.is_empty(), "{said}");
    assert!(
        report().is_none(),
        "a quiet replay: nothing read, nothing saved"
    );

    let (ok, again, said) = run(&[]);
    assert!(
        ok && !said.contains(replayed),
        "no report to print: built again"
    );
    assert_eq!(again, warnings);
    let (ok, again, said) = run(&[]);
    assert!(ok && said.contains(replayed), "{said}");
    assert_eq!(again, warnings, "the report printed again");

    // Edited since: `--strict` would pass on the edited report, but fails on the build's own.
    std::fs::write(report().unwrap(), "[]").unwrap();
    let (ok, again, said) = run(&["-q", "--strict"]);
    assert!(!ok && said.contains("nothing was written"), "{said}");
    assert_eq!(again, warnings);
}
