//! The stamp: what it trusts, what it replays, and what it writes again.

use super::*;

/// A site of one doc, a cache folder, and the options of a build of one into the other.
fn setup() -> (tempfile::TempDir, tempfile::TempDir, BuildOptions) {
    let (site, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(site.path().join("_config.yml"), "title: T\n").unwrap();
    std::fs::create_dir(site.path().join("_a")).unwrap();
    let doc = "---\ntitle: /one\n---\nOne.\n";
    std::fs::write(site.path().join("_a/one.md"), doc).unwrap();
    let opts = BuildOptions {
        cache: Some(cache.path().to_path_buf()),
        output: Some(site.path().join("_site")),
        ..BuildOptions::new(site.path())
    };
    (site, cache, opts)
}

/// [`setup`] with its output folder, and a stamp of it taken as though nothing in it had
/// just changed (a racy one keeps no root key to replay by), with its report's path.
fn trusted() -> (
    tempfile::TempDir,
    tempfile::TempDir,
    BuildOptions,
    Stamp,
    PathBuf,
) {
    let (site, cache, opts) = setup();
    std::fs::create_dir(site.path().join("_site")).unwrap();
    let mut stamp = Stamp::take(&opts).unwrap();
    stamp.racy = false;
    let report = stamp.file.with_extension("report");
    (site, cache, opts, stamp, report)
}

#[test]
fn a_racy_snapshot_is_never_replayed_but_hands_on_the_files_while_the_output_stands() {
    let (site, _cache, opts) = setup();
    let stamp = Stamp::take(&opts).unwrap();
    assert!(stamp.racy, "files written a moment ago");
    std::fs::create_dir(site.path().join("_site")).unwrap();
    std::fs::write(site.path().join("_site/index.html"), "page").unwrap();
    let outcome = Outcome {
        output: Some(site.path().join("_site")),
        ..Outcome::default()
    };
    let files = HashMap::from([("index.html".to_string(), blake3::hash(b"key"))]);
    stamp.save(&outcome, &files, false);
    let mut next = Stamp::take(&opts).unwrap();
    assert!(next.replay(Instant::now()).is_none(), "no root key");
    assert_eq!(next.files(), files);
    // An output file written since: none of the last build's keys stands.
    std::fs::write(site.path().join("_site/other.html"), "x").unwrap();
    let mut next = Stamp::take(&opts).unwrap();
    assert!(next.replay(Instant::now()).is_none());
    assert!(next.files().is_empty());
}

#[test]
fn a_quiet_replay_reads_no_report_and_a_printed_one_only_the_report_it_saved() {
    let (site, _cache, opts, stamp, report) = trusted();
    let at = crate::error::Pos::new(4, 1);
    let outcome = Outcome {
        output: Some(site.path().join("_site")),
        diagnostics: vec![Diagnostic::warning("w", "_a/one.md", at, "m")],
        ..Outcome::default()
    };
    stamp.save(&outcome, &HashMap::new(), false);
    let replay = |quiet| {
        let mut next = Stamp::take(&opts).unwrap();
        next.quiet = quiet;
        next.replay(Instant::now())
    };
    assert_eq!(replay(false).unwrap().diagnostics, outcome.diagnostics);
    use std::os::unix::fs::MetadataExt;
    // Written through a new file, renamed: a file written again is another inode.
    let inode = || std::fs::metadata(&report).unwrap().ino();
    let (written, save_again) = (inode(), || {
        let mut again = Stamp::take(&opts).unwrap();
        again.racy = false;
        again.save(&outcome, &HashMap::new(), false);
    });
    save_again();
    assert_eq!(inode(), written, "the same report is not written again");
    std::fs::write(&report, b"[]").unwrap();
    assert!(replay(false).is_none(), "a report edited since");
    save_again();
    let diagnostics = replay(false).unwrap().diagnostics;
    assert_eq!(diagnostics, outcome.diagnostics, "written again");
    std::fs::remove_file(&report).unwrap();
    let quiet = replay(true).expect("quiet: the report is not read");
    assert!(quiet.unchanged && quiet.diagnostics.is_empty());
}

/// Kept as bincode, not the JSON a build of thousands of findings spent its last
/// milliseconds writing: read back whole, text JSON would escape included.
#[test]
fn a_report_is_kept_as_bincode_and_replayed_as_it_was() {
    let (site, _cache, opts, stamp, report) = trusted();
    let at = crate::error::Pos::new(4, 1);
    let message = "link to `#a\"b`,\n\u{e9}\\ no doc";
    let outcome = Outcome {
        output: Some(site.path().join("_site")),
        diagnostics: vec![
            Diagnostic::warning("broken-anchor", "_a/one.md", at, message),
            Diagnostic::warning("w", "_a/\u{e9}.md", at, "m"),
        ],
        structure: vec!["a \"part\"".to_string()],
        ..Outcome::default()
    };
    stamp.save(&outcome, &HashMap::new(), false);
    let bytes = std::fs::read(&report).unwrap();
    assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err());
    let mut next = Stamp::take(&opts).unwrap();
    let replayed = next.replay(Instant::now()).unwrap();
    assert_eq!(replayed.diagnostics, outcome.diagnostics);
    assert_eq!(replayed.structure, outcome.structure);
    assert!(report_of(&bytes[..bytes.len() - 1]).is_none(), "cut short");
}

#[test]
fn the_input_hash_covers_names_sizes_options_and_skips_the_output() {
    let (site, _cache, opts) = setup();
    let hash = |o: &BuildOptions| Stamp::take(o).unwrap().inputs;
    let first = hash(&opts);
    assert_eq!(hash(&opts), first, "the same stat, the same hash");
    // The output folder (here inside the site) and dot-folders are not inputs.
    std::fs::create_dir_all(site.path().join("_site/x")).unwrap();
    std::fs::write(site.path().join("_site/x/page.html"), "x").unwrap();
    std::fs::create_dir(site.path().join(".git")).unwrap();
    std::fs::write(site.path().join(".git/HEAD"), "x").unwrap();
    assert_eq!(hash(&opts), first, "output and dot-folders are not inputs");
    let other_audience = BuildOptions {
        audience: "internal".into(),
        ..opts.clone()
    };
    assert_ne!(hash(&other_audience), first);
    assert_ne!(
        Stamp::take(&other_audience).unwrap().file,
        Stamp::take(&opts).unwrap().file,
        "one stamp per audience"
    );
    let two = site.path().join("_a/two.md");
    std::fs::write(&two, "---\ntitle: /two\n---\n").unwrap();
    let with_two = hash(&opts);
    assert_ne!(with_two, first, "a new file");
    std::fs::write(&two, "---\ntitle: /two\n---\nMore.\n").unwrap();
    assert_ne!(hash(&opts), with_two, "a file of another size");
    let no_cache = BuildOptions {
        cache: None,
        ..opts.clone()
    };
    assert!(Stamp::take(&no_cache).is_none(), "no cache, no stamp");
}

#[test]
fn after_a_commit_in_place_only_the_files_written_are_statted_and_the_hash_is_a_walks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let write = |rel: &str, text: &str| {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Through a new file, renamed, as a commit puts a file in place.
        std::fs::write(path.with_extension("new"), text).unwrap();
        std::fs::rename(path.with_extension("new"), path).unwrap();
    };
    for rel in [
        crate::write::MARKER,
        "a.html",
        "a-b.html",
        "a/b.html",
        "gone.html",
    ] {
        write(rel, "first");
    }
    let taken = listing(out).unwrap();
    // The commit: one file written again, one new, one taken out, the rest kept.
    write("a/b.html", "second");
    write("new/c.html", "new");
    std::fs::remove_file(out.join("gone.html")).unwrap();
    let set = |rels: &[&str]| rels.iter().map(|r| r.to_string()).collect();
    let outcome = Outcome {
        output: Some(out.to_path_buf()),
        files: set(&["a.html", "a-b.html", "a/b.html", "new/c.html"]),
        kept: set(&["a.html", "a-b.html"]),
        ..Outcome::default()
    };
    let after = listing_after(&taken, &outcome).unwrap();
    assert_eq!(after, listing(out).unwrap(), "what a walk finds");
    assert_eq!(output_hash(&after), output_hash(&listing(out).unwrap()));
    // A kept file is not statted again: its key is the snapshot's.
    write("a.html", "changed behind the build's back");
    let after = listing_after(&taken, &outcome).unwrap();
    assert_eq!(after[&b"a.html"[..]], taken[&b"a.html"[..]]);
    assert_ne!(after, listing(out).unwrap());
}

#[test]
fn the_inputs_are_walked_as_load_walks_them_each_statted_through_a_link() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().canonicalize().unwrap();
    for rel in [
        "_config.yml",
        "_b/z.md",
        "_a/two.md",
        "_a/one.md",
        "_a/sub/deep.md",
        "a.md",
        ".hidden",
        "_a/.swp",
        ".git/HEAD",
        "_site/page.html",
        "node_modules/m.js",
        "vendor/v.rb",
        "_a/vendor/kept.md",
        "out/written.html",
    ] {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    }
    std::os::unix::fs::symlink(root.join("a.md"), root.join("_a/link.md")).unwrap();
    std::os::unix::fs::symlink(root.join("_b"), root.join("_a/folder")).unwrap();
    let out = root.join("out");

    let mut walked: Vec<(String, u64)> = Vec::new();
    let mut input = |rel: &[u8], meta: Option<std::fs::Metadata>| {
        use std::os::unix::fs::MetadataExt;
        let rel = String::from_utf8(rel.to_vec()).unwrap();
        walked.push((rel, meta.unwrap().ino()));
    };
    let whole = walk_inputs(&root, (&mut Vec::new(), 1), Some(&out), &mut input);
    assert_eq!(whole, Some(()));

    let mut loaded: Vec<(String, u64)> = Vec::new();
    for entry in load::walk(&root, Some(out.clone())) {
        use std::os::unix::fs::MetadataExt;
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap();
        let meta = std::fs::metadata(entry.path()).unwrap();
        loaded.push((rel.to_str().unwrap().to_string(), meta.ino()));
    }
    assert_eq!(walked, loaded);
    // A link is statted through (a linked folder as the folder), as `load` reads it.
    let ino = |rel: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(root.join(rel)).unwrap().ino()
    };
    assert!(walked.contains(&("_a/link.md".into(), ino("a.md"))));
    assert!(walked.contains(&("_a/folder".into(), ino("_b"))));
    assert!(walked.iter().all(|(rel, _)| !rel.starts_with("out/")));
}

#[test]
fn the_output_listing_keys_each_file_by_its_own_stat_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    for rel in ["index.html", "a/b.html", "a/c/d.txt", "a-b.html"] {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    }
    // A link is listed as itself, not as what it names.
    std::os::unix::fs::symlink(out.join("a"), out.join("to-a")).unwrap();
    let by_path: Listing = ["index.html", "a/b.html", "a/c/d.txt", "a-b.html", "to-a"]
        .into_iter()
        .map(|rel| {
            let meta = std::fs::symlink_metadata(out.join(rel)).unwrap();
            (rel.as_bytes().into(), file_key(rel.as_bytes(), &meta))
        })
        .collect();
    assert_eq!(listing(out).unwrap(), by_path);
    assert!(listing(&out.join("missing")).is_none());
}
