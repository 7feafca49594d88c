use super::*;
use std::collections::BTreeMap;

#[test]
fn in_place_writes_only_what_changed_and_compares_parts_across_buffers() {
    let dir = tempfile::tempdir().unwrap();
    let sink = InPlace {
        root: dir.path().to_path_buf(),
    };
    let big = vec![b'x'; 200_000];
    sink.write_parts("a/f.txt", &[b"head ", &big, b" tail"])
        .unwrap();
    let path = dir.path().join("a/f.txt");
    assert_eq!(fs::read(&path).unwrap().len(), 200_010);
    assert!(holds(&path, &[b"head ", &big, b" tail"]));
    assert!(holds(
        &path,
        &[&[b"head ".as_slice(), &big, b" tail"].concat()]
    ));
    let mut other = big.clone();
    other[150_000] = b'y';
    assert!(
        !holds(&path, &[b"head ", &other, b" tail"]),
        "same size, one byte differs"
    );
    assert!(!holds(&path, &[b"head ", &big]), "shorter");
    assert!(!holds(&dir.path().join("missing"), &[b""]));
    // An unchanged file is not rewritten: its modification time stays.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    sink.write_parts("a/f.txt", &[b"head ", &big, b" tail"])
        .unwrap();
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), old);
    sink.write_parts("a/f.txt", &[b"head ", &other, b" tail"])
        .unwrap();
    assert_eq!(fs::read(&path).unwrap()[150_005], b'y');
}

#[test]
fn refuses_dangerous_targets() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(site.join("_api")).unwrap();
    assert!(check_target(Path::new("/"), &site).is_err());
    assert!(check_target(&site, &site).is_err());
    assert!(check_target(dir.path(), &site).is_err());
    assert!(check_target(&site.join("_site"), &site).is_ok());
    let foreign = dir.path().join("foreign");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("keep.txt"), "mine").unwrap();
    let e = check_target(&foreign, &site).unwrap_err().to_string();
    assert!(e.contains("not created by endpaper"), "{e}");
}

#[test]
fn commit_swaps_and_drop_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let out = dir.path().join("out");
    let s = Staging::begin(&out, &site).unwrap();
    s.write("a/b.html", b"one").unwrap();
    s.commit(&BTreeSet::new()).unwrap();
    assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
    // A build that fails (dropped before commit) leaves the output and no temp folder.
    let s = Staging::begin(&out, &site).unwrap();
    s.write("a/b.html", b"two").unwrap();
    drop(s);
    assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let s = Staging::begin(&out, &site).unwrap();
    s.write("c.html", b"three").unwrap();
    s.commit(&BTreeSet::new()).unwrap();
    assert!(!out.join("a/b.html").exists());
    assert!(out.join("c.html").exists());
}

#[test]
fn only_killed_builds_staging_folders_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let out = dir.path().join("out");
    // Killed: the process is gone, so its folder stays marked but unlocked.
    let killed = Staging::begin(&out, &site).unwrap();
    killed.write("a.html", b"half").unwrap();
    let Staging { tmp, _in_use, .. } = killed;
    let killed = tmp.keep();
    drop(_in_use);
    let running = Staging::begin(&out, &site).unwrap();
    let foreign = dir.path().join(".out.tmp-mine");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "keep").unwrap();
    let other_marker = dir.path().join(".out.tmp-other");
    fs::create_dir_all(&other_marker).unwrap();
    fs::write(other_marker.join(MARKER), "not endpaper's words").unwrap();

    let stale = remove_stale_staging(&out);
    let removed: Vec<_> = stale.iter().map(|s| s.dir.clone()).collect();
    assert_eq!(removed, vec![killed.clone()]);
    assert!(stale[0].removed.is_ok());
    assert!(!killed.exists());
    assert!(
        running.tmp.path().join(MARKER).is_file(),
        "a running build's folder stays"
    );
    assert!(foreign.join("notes.txt").is_file());
    assert!(other_marker.join(MARKER).is_file());
    // The running build still commits, and its output carries the marker.
    running.write("b.html", b"whole").unwrap();
    running.commit(&BTreeSet::new()).unwrap();
    assert_eq!(fs::read(out.join(MARKER)).unwrap(), MARKER_TEXT);
    assert!(remove_stale_staging(&out).is_empty());
}

#[test]
fn chunks_are_written_whole_by_every_sink_whether_held_static_or_spooled() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let spool = Spool::in_dir(dir.path());
    let big = "y".repeat(100_000);
    let twin = spool.put("é twin".to_string());
    let Chunk::Spooled { at, .. } = twin else {
        panic!("{twin:?}")
    };
    // A part of another file (as the store's pack gives), and held text long enough to be
    // written from where it is.
    let blob = Spool::of_file(tempfile::tempfile().unwrap());
    let part = blob.put("of the pack".to_string());
    let Chunk::Spooled { at: p, len } = part else {
        panic!("{part:?}")
    };
    let chunks = [
        Chunk::Static("head "),
        spool.put(big.clone()),
        Chunk::Held("held".into()),
        twin.clone(),
        blob.blob(p + 3, len - 3).unwrap(),
        Chunk::Held(big.clone().into()),
        spool.blob(at + 2, 5).unwrap(),
    ];
    let want = format!("head {big}heldé twinthe pack{big} twin");
    let staging = Staging::begin(&dir.path().join("out"), &site).unwrap();
    staging.write_chunks("f.txt", &spool, &chunks).unwrap();
    let out = staging.commit(&BTreeSet::new()).unwrap();
    assert_eq!(fs::read_to_string(out.join("f.txt")).unwrap(), want);
    // The trait's own way (read all, then write the parts), as `serve` writes.
    let in_place = InPlace {
        root: dir.path().join("live"),
    };
    let recorder = Recorder::new(&in_place);
    recorder.write_chunks("g.txt", &spool, &chunks).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("live/g.txt")).unwrap(),
        want
    );
    assert!(recorder.into_written().0.contains("g.txt"));
    // A spooled chunk read without its spool fails, naming the file.
    let e = in_place
        .write_chunks("h.txt", &Spool::memory(), &chunks)
        .unwrap_err();
    assert!(format!("{e:#}").contains("h.txt"), "{e:#}");
}

/// A rebuild links each file that holds the same bytes as the last build's instead of
/// creating it again, and writes the rest; the output is the same either way.
#[cfg(unix)]
#[test]
fn staging_links_the_last_builds_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let out = dir.path().join("out");
    let spool = Spool::in_dir(dir.path());
    let twin = [Chunk::Static("# T\n"), spool.put("body".repeat(1000))];
    let first = Staging::begin(&out, &site).unwrap();
    first.write("a/same.html", b"same").unwrap();
    first.write("changed.html", b"old").unwrap();
    first.write_chunks("t.md", &spool, &twin).unwrap();
    first.commit(&BTreeSet::new()).unwrap();
    let ino = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
    let before = [ino("a/same.html"), ino("changed.html"), ino("t.md")];

    let second = Staging::begin(&out, &site).unwrap();
    second.write("a/same.html", b"same").unwrap();
    second.write("changed.html", b"new").unwrap();
    second.write_chunks("t.md", &spool, &twin).unwrap();
    second.commit(&BTreeSet::new()).unwrap();
    assert_eq!(ino("a/same.html"), before[0], "linked");
    assert_ne!(ino("changed.html"), before[1], "written anew");
    assert_eq!(ino("t.md"), before[2], "linked");
    assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"new");
    assert_eq!(fs::read(out.join("a/same.html")).unwrap(), b"same");
    assert_eq!(
        fs::read_to_string(out.join("t.md")).unwrap(),
        format!("# T\n{}", "body".repeat(1000))
    );
}

/// Writes `files` through `sink` and returns the set a `Recorder` would hand `commit`.
fn write_all(sink: &Staging, files: &[(&str, &str)]) -> BTreeSet<String> {
    for (rel, text) in files {
        sink.write(rel, text.as_bytes()).unwrap();
    }
    files.iter().map(|(rel, _)| rel.to_string()).collect()
}

/// A build's output, every file by its path (the marker too).
fn tree(out: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
            (rel.to_string(), fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Output, site and a first build of `files` into it, committed whole.
fn first_build(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    let out = dir.path().join("out");
    let first = Staging::begin(&out, &site).unwrap();
    let all = write_all(&first, files);
    first.commit(&all).unwrap();
    (dir, site, out)
}

const FIRST: &[(&str, &str)] = &[
    ("index.html", "index"),
    ("a/same.html", "same"),
    ("a/changed.html", "old"),
    ("gone/only.md", "gone"),
    ("b/gone.md", "gone"),
    ("b/stays.md", "stays"),
    ("c/d/e.md", "e"),
    ("f", "a file, then a folder"),
];

#[cfg(unix)]
#[test]
fn over_the_last_output_only_changed_files_are_renamed_in_and_the_rest_stay() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, site, out) = first_build(FIRST);
    let ino = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
    let before: Vec<u64> = ["", "a/same.html", "a/changed.html", "b/stays.md"]
        .map(ino)
        .into();
    let second: &[(&str, &str)] = &[
        ("index.html", "index"),
        ("a/same.html", "same"),
        ("a/changed.html", "new"),
        ("b/stays.md", "stays"),
        ("c/d/e.md", "e"),
        ("f", "a file, then a folder"),
        ("new/page.html", "new"),
    ];
    let lock = OutputLock::take(&out).unwrap();
    let sink = Staging::over(&out, &site, &lock).unwrap();
    assert!(sink.keep("b/stays.md"), "kept where it is");
    let mut files = write_all(&sink, &second[..2]);
    // Written twice: the last text stands, though the first was the output's.
    sink.write("a/changed.html", b"old").unwrap();
    files.extend(write_all(&sink, &second[2..]));
    // A build that fails before its commit leaves the output as it was.
    let (made, kept) = (tree(&out), sink.tmp.path().to_path_buf());
    drop(Staging::over(&out, &site, &lock).unwrap());
    assert_eq!(tree(&out), made);
    assert!(kept.is_dir(), "the other build's staging stays");
    sink.commit(&files).unwrap();

    let mut want: BTreeMap<String, String> = second
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    want.insert(
        MARKER.into(),
        String::from_utf8(MARKER_TEXT.to_vec()).unwrap(),
    );
    assert_eq!(tree(&out), want);
    assert!(!out.join("gone").exists(), "a folder left empty goes");
    let after: Vec<u64> = ["", "a/same.html", "a/changed.html", "b/stays.md"]
        .map(ino)
        .into();
    assert_eq!(after[0], before[0], "the output folder stays");
    assert_eq!(after[1], before[1], "an unchanged file stays");
    assert_ne!(after[2], before[2], "a changed file is renamed in");
    assert_eq!(after[3], before[3], "a kept file stays");
    assert!(!kept.exists() && !out.with_file_name(".out.old").exists());
    let beside: Vec<_> = fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert_eq!(beside.len(), 2, "only the site and the output: {beside:?}");
}

#[cfg(unix)]
#[test]
fn a_commit_that_fails_midway_puts_the_output_back() {
    let (_dir, site, out) = first_build(FIRST);
    let made = tree(&out);
    let lock = OutputLock::take(&out).unwrap();
    let sink = Staging::over(&out, &site, &lock).unwrap();
    let mut files: BTreeSet<String> = FIRST.iter().map(|(r, _)| r.to_string()).collect();
    files.extend(write_all(
        &sink,
        &[
            ("a/changed.html", "new"),
            ("a/new.html", "new"),
            ("c/d/e.md", "E"),
        ],
    ));
    files.remove("b/gone.md");
    // Where the commit moves b/gone.md, a file: its last step fails.
    fs::create_dir_all(sink.tmp.path().join(SAVED)).unwrap();
    fs::write(sink.tmp.path().join(SAVED).join("b"), "in the way").unwrap();
    let e = sink.commit(&files).unwrap_err();
    assert!(format!("{e:#}").contains("b/gone.md"), "{e:#}");
    assert_eq!(tree(&out), made, "each file put back, the new one removed");
}

#[test]
fn a_file_where_a_folder_goes_or_most_files_changed_swap_the_output_whole() {
    let (_dir, site, out) = first_build(FIRST);
    let lock = OutputLock::take(&out).unwrap();
    let sink = Staging::over(&out, &site, &lock).unwrap();
    let mut files: BTreeSet<String> = FIRST.iter().map(|(r, _)| r.to_string()).collect();
    files.remove("f");
    files.extend(write_all(&sink, &[("f/g.html", "in a folder now")]));
    sink.commit(&files).unwrap();
    let mut want: BTreeMap<String, String> = FIRST
        .iter()
        .filter(|(r, _)| *r != "f")
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    want.insert("f/g.html".into(), "in a folder now".into());
    want.insert(
        MARKER.into(),
        String::from_utf8(MARKER_TEXT.to_vec()).unwrap(),
    );
    assert_eq!(tree(&out), want);
    // Every file changed: staged whole.
    let lock = OutputLock::take(&out).unwrap();
    let sink = Staging::over(&out, &site, &lock).unwrap();
    let files = write_all(&sink, &[("index.html", "other"), ("x.html", "x")]);
    sink.commit(&files).unwrap();
    assert_eq!(tree(&out).len(), 3);
    assert_eq!(tree(&out)["index.html"], "other");
}

#[test]
fn builds_of_one_output_take_turns_and_an_output_swapped_meanwhile_is_not_written_over() {
    let (_dir, site, out) = first_build(FIRST);
    assert!(OutputLock::take(&site).is_none(), "no marker, no turn");
    let lock = OutputLock::take(&out).unwrap();
    let other = fs::File::open(out.join(MARKER)).unwrap();
    assert!(other.try_lock().is_err(), "another build waits its turn");
    let sink = Staging::over(&out, &site, &lock).unwrap();
    let files = write_all(&sink, &[("index.html", "mine")]);
    // A whole output swapped in meanwhile (a build that did not wait).
    let swap = Staging::begin(&out, &site).unwrap();
    let theirs = write_all(&swap, &[("index.html", "theirs")]);
    swap.commit(&theirs).unwrap();
    let e = sink.commit(&files).unwrap_err();
    assert!(e.to_string().contains("was replaced"), "{e}");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "theirs"
    );
    drop(lock);
    assert!(other.try_lock().is_ok(), "the old marker is free");
}

#[test]
fn chunks_are_read_ahead_a_run_of_adjacent_ones_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::in_dir(dir.path());
    let [a, b, c, d, none] = ["ab", "cde", "f", "gh", ""].map(|t| spool.put(t.to_string()));
    let held = Chunk::Held("held".into());
    let of = |chunks: &[&Chunk]| -> Vec<(u64, u64)> {
        let spans = spans(&spool, chunks.iter().copied());
        spans.into_iter().map(|(_, at, len)| (at, len)).collect()
    };
    assert_eq!(of(&[&a, &b, &held, &c]), [(0, 6)]);
    assert_eq!(of(&[&a, &c, &d]), [(0, 2), (5, 3)]);
    assert_eq!(of(&[&d, &a]), [(6, 2), (0, 2)]);
    // An empty chunk asks for nothing: a span of no length is the rest of the file.
    assert_eq!(of(&[&none]), []);
    // A chunk of another file is a span of its own, though its place follows on.
    let other = Spool::in_dir(dir.path());
    let blob = other.blob(2, 1).unwrap();
    assert_eq!(of(&[&a, &blob]), [(0, 2), (2, 1)]);
    assert!(spans(&Spool::memory(), [&a, &held]).is_empty());
    let many: Vec<Chunk> = (0..AHEAD * 2 + 3)
        .map(|i| spool.put(i.to_string()))
        .collect();
    let out = Staging::begin(&dir.path().join("out"), &dir.path().join("site")).unwrap();
    out.write_chunks("many.txt", &spool, &many).unwrap();
    let written = fs::read_to_string(out.tmp.path().join("many.txt")).unwrap();
    assert_eq!(written, spool.concat(&many).unwrap());
}

/// Over the last output, a spliced file takes its head and tail from the last build's file
/// (bytes the chunks passed do not hold, so only that file can have given them) and only
/// the middle from its chunks; the last file stays whole until the commit, and with another
/// length than the splice expects, or in a build not over the last output, every chunk is
/// written.
#[cfg(unix)]
#[test]
fn a_spliced_file_copies_the_last_files_runs_and_writes_the_rest() {
    let (_dir, site, out) = first_build(&[("api.json", "HEAD-old middle-TAIL")]);
    let chunks = [
        Chunk::Static("head-"),
        Chunk::Static("new, longer middle"),
        Chunk::from("-tail".to_string()),
    ];
    let splice = Splice {
        head: 5,
        tail: 5,
        old_len: 20,
        mid: 1..2,
    };
    let lock = OutputLock::take(&out).unwrap();
    let sink = Staging::over(&out, &site, &lock).unwrap();
    sink.write_spliced("api.json", &Spool::memory(), &chunks, &splice)
        .unwrap();
    let staged = |s: &Staging| fs::read_to_string(s.tmp.path().join("api.json")).unwrap();
    assert_eq!(staged(&sink), "HEAD-new, longer middle-TAIL");
    assert_eq!(
        fs::read_to_string(out.join("api.json")).unwrap(),
        "HEAD-old middle-TAIL",
        "the last file until the commit"
    );
    let files = BTreeSet::from(["api.json".to_string()]);
    drop(Staging::over(&out, &site, &lock).unwrap());
    sink.commit(&files).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("api.json")).unwrap(),
        "HEAD-new, longer middle-TAIL"
    );

    // The file is now 28 bytes: a splice of a 20-byte file is not made from it.
    let sink = Staging::over(&out, &site, &lock).unwrap();
    sink.write_spliced("api.json", &Spool::memory(), &chunks, &splice)
        .unwrap();
    assert_eq!(staged(&sink), "head-new, longer middle-tail");
    let whole = Splice {
        old_len: 28,
        ..splice
    };
    let fresh = Staging::begin(&out, &site).unwrap();
    fresh
        .write_spliced("api.json", &Spool::memory(), &chunks, &whole)
        .unwrap();
    assert_eq!(staged(&fresh), "head-new, longer middle-tail");
}

#[test]
fn the_staging_folder_spreads_its_folders_and_the_output_is_left_unmarked() {
    use rustix::fs::{ioctl_getflags, IFlags};
    let topdir = |dir: &Path| {
        ioctl_getflags(fs::File::open(dir).unwrap()).is_ok_and(|f| f.contains(IFlags::TOPDIR))
    };
    let dir = tempfile::tempdir().unwrap();
    let (site, out, probe) = (
        dir.path().join("site"),
        dir.path().join("out"),
        dir.path().join("probe"),
    );
    fs::create_dir(&site).unwrap();
    fs::create_dir(&probe).unwrap();
    spread::spread_folders(&probe, true);
    if !topdir(&probe) || topdir(dir.path()) {
        eprintln!("skipped: this file system keeps no top-of-a-tree flag");
        return;
    }
    let staging = Staging::begin(&out, &site).unwrap();
    assert!(topdir(staging.tmp.path()));
    let files = write_all(&staging, &[("audit/a.md", "a"), ("audit/b/c.md", "c")]);
    staging.commit(&files).unwrap();
    assert!(!topdir(&out));
    assert_eq!(
        fs::read_dir(&out).unwrap().count(),
        2,
        "audit/ and the marker"
    );
    assert_eq!(tree(&out)["audit/b/c.md"], "c");
}
