//! Hostile input and faults: whatever the site holds, endpaper never panics, never hangs,
//! never eats memory, never writes outside its output, and never leaks a doc to another
//! audience. Every failure is a located message and exit code 1. Each test names the case
//! of issue 6 it guards.

use crate::common;
use common::{element, stderr, Site};
use std::path::Path;
use std::process::Output;

/// The base site, `tests/fixtures/hostile-base` (an `api` collection and an internal `ops`
/// one), with the given extra files: the hostile input of a test.
fn site(files: &[(&str, &str)]) -> Site {
    let s = Site::fixture("hostile-base");
    for (path, text) in files {
        s.write(path, text);
    }
    s
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let p = site.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn both(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs `endpaper build .` expecting a clean failure: exit 1, no panic text, and `needle`.
fn fails_with(site: &Site, args: &[&str], needle: &str) -> String {
    let mut all = vec!["build", "."];
    all.extend_from_slice(args);
    let out = site.endpaper(&all);
    let text = both(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{text}");
    assert!(!text.contains("panicked"), "panic:\n{text}");
    assert!(text.contains(needle), "expected `{needle}` in:\n{text}");
    text
}

/// Builds, expecting success without a panic; returns all output text.
fn builds(site: &Site, args: &[&str]) -> String {
    let mut all = vec!["build", "."];
    all.extend_from_slice(args);
    let out = site.endpaper(&all);
    let text = both(&out);
    assert!(out.status.success(), "build failed:\n{text}");
    text
}

fn doc(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}")
}

// ---------------------------------------------------------------------------------------
// Bytes

#[test]
fn bytes_invalid_utf8_is_an_error_naming_file_line_col() {
    let s = Site::fixture("hostile-base");
    write_bytes(
        &s,
        "_api/bad.md",
        b"---\ntitle: Bad\n---\nfine line\nab\xC3\x28cd\n",
    );
    fails_with(&s, &[], "_api/bad.md:5:3: not valid UTF-8");
}

#[test]
fn bytes_bom_crlf_and_lone_cr_are_normalised() {
    let s = Site::fixture("hostile-base");
    write_bytes(
        &s,
        "_api/bom.md",
        b"\xEF\xBB\xBF---\r\ntitle: Bommed\r\n---\r\nCRLF body\r\n\r\n# Head one\r\n",
    );
    write_bytes(
        &s,
        "_api/cr.md",
        b"---\rtitle: Lone CR\r---\rCR body\r\r# Head two\r",
    );
    builds(&s, &[]);
    let html = s.read_out("index.html");
    let bom = element(&html, "apibom");
    assert!(
        bom.contains("Bommed") && bom.contains("id=\"head-one\""),
        "{bom}"
    );
    let cr = element(&html, "apicr");
    assert!(
        cr.contains("Lone CR") && cr.contains("id=\"head-two\""),
        "{cr}"
    );
    assert!(!s.all_output().contains('\r'), "a CR reached the output");
}

#[test]
fn bytes_nul_is_replaced_and_warned_with_its_position() {
    let s = Site::fixture("hostile-base");
    write_bytes(&s, "_api/nul.md", b"---\ntitle: Nul\n---\nbefore\0after\n");
    let text = builds(&s, &[]);
    assert!(text.contains("_api/nul.md:4:7"), "{text}");
    assert!(text.contains("nul-byte"), "{text}");
    let html = s.read_out("index.html");
    assert!(element(&html, "apinul").contains("before\u{FFFD}after"));
    assert!(!s.all_output().contains('\0'));
}

#[test]
fn bytes_a_20_mb_doc_builds() {
    let line = "Some prose that goes on and on, with *emphasis* and `code`.\n\n";
    let body = line.repeat(20 * 1024 * 1024 / line.len() + 1);
    let s = site(&[("_api/huge.md", &doc("Huge", &body))]);
    builds(&s, &[]);
    let html = s.read_out("index.html");
    assert!(html.len() > 20 * 1024 * 1024);
    assert!(html.contains("</html>"));
}

#[test]
fn bytes_a_binary_file_named_md_is_copied_like_jekyll_or_located() {
    // No front matter: Jekyll copies a collection file as a static file; so do we.
    let s = site(&[("_api/ok.md", &doc("Ok", "ok\n"))]);
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    write_bytes(&s, "_api/blob.md", &binary);
    builds(&s, &[]);
    assert_eq!(std::fs::read(s.out().join("api/blob.md")).unwrap(), binary);
    // With front matter it is a doc, and its bad bytes are located.
    let mut fm = b"---\ntitle: Blob\n---\n".to_vec();
    fm.extend_from_slice(&binary);
    write_bytes(&s, "_api/blob.md", &fm);
    fails_with(&s, &[], "_api/blob.md:4:");
}

#[test]
fn bytes_an_empty_file_and_a_lone_fence_do_not_break_the_build() {
    let s = Site::fixture("hostile-empty-files");
    let text = builds(&s, &[]);
    assert!(
        text.contains("_api/fence_nl.md:1:1") && text.contains("unterminated-front-matter"),
        "{text}"
    );
    let html = s.read_out("index.html");
    assert!(element(&html, "apiok").contains("still here"));
    assert!(!html.contains("id=\"apiempty\"") && !html.contains("id=\"apifence_nl\""));
}

// ---------------------------------------------------------------------------------------
// Front matter

/// Invalid front matter is, like Jekyll, a warning and a doc with no data (so in no
/// audience: never built), and an error with `--strict`. Returns the messages.
fn skipped_with(s: &Site, needle: &str) -> String {
    let text = builds(s, &[]);
    assert!(text.contains(needle), "expected `{needle}` in:\n{text}");
    assert!(
        !s.read_out("index.html").contains("data-source=\"_api/"),
        "an invalid doc was built"
    );
    fails_with(s, &["--strict"], needle);
    text
}

#[test]
fn front_matter_malformed_yaml_is_located_at_the_line_of_the_file() {
    let s = site(&[(
        "_api/bad.md",
        "---\ntitle: Fine\nname: Fine too\ndescription: ok\nmethod: [get\nother: 1\n---\nbody\n",
    )]);
    // The unclosed `[` opens on line 5 of the file; the parser notices on line 6.
    skipped_with(&s, "_api/bad.md:6:6");
    // A tab indentation error deeper in the block.
    let s = site(&[("_api/tab.md", "---\ntitle: a\nx:\n  y: 1\n\tz: 2\n---\n")]);
    skipped_with(&s, "_api/tab.md:5:");
}

#[test]
fn front_matter_billion_laughs_is_refused_quickly() {
    let mut yaml = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let s = site(&[("_api/lol.md", &format!("---\ntitle: lol\n{yaml}---\nx\n"))]);
    skipped_with(
        &s,
        "repetition limit exceeded: YAML aliases (`*name`) expand to too much data",
    );
    skipped_with(&s, "_api/lol.md:2:1");
}

#[test]
fn front_matter_non_string_titles_become_text_or_a_located_error() {
    let s = Site::fixture("hostile-titles");
    builds(&s, &[]);
    let html = s.read_out("index.html");
    assert!(element(&html, "apinum").contains(">42<"));
    assert!(element(&html, "apibool").contains(">true<"));
    assert!(element(&html, "apifloat").contains(">3.5<"));
    s.write("_api/list.md", "---\nname: x\ntitle:\n  - a\n  - b\n---\n");
    fails_with(
        &s,
        &[],
        "_api/list.md:3:1: `title` must be text, found a list",
    );
    s.write("_api/list.md", "---\ntitle: {a: 1}\n---\n");
    fails_with(
        &s,
        &[],
        "_api/list.md:2:1: `title` must be text, found a mapping",
    );
}

#[test]
fn front_matter_a_list_where_a_string_belongs_is_located() {
    for (key, value) in [
        ("method", "[get, post]"),
        ("name", "[a]"),
        ("description", "{x: 1}"),
        ("visibility", "[internal]"),
    ] {
        let s = site(&[(
            "_api/x.md",
            &format!("---\ntitle: X\n{key}: {value}\n---\nbody\n"),
        )]);
        fails_with(&s, &[], &format!("_api/x.md:3:1: `{key}` must be text"));
    }
}

#[test]
fn front_matter_odd_positions_order_deterministically() {
    let s = Site::fixture("hostile-positions");
    builds(&s, &[]);
    let html = s.read_out("index.html");
    let order: Vec<&str> = html
        .match_indices("data-source=\"_api/")
        .map(|(i, _)| {
            let r = &html[i + 18..];
            &r[..r.find('"').unwrap()]
        })
        .collect();
    assert_eq!(order.len(), 8, "{order:?}");
    assert_eq!(order[0], "none.md", "{order:?}");
    let pos = |n: &str| order.iter().position(|o| *o == n).unwrap();
    assert!(
        pos("neg.md") < pos("one.md") && pos("one.md") < pos("big.md"),
        "{order:?}"
    );
    // Same again: the order does not depend on anything but the input.
    builds(&s, &[]);
    assert_eq!(s.read_out("index.html"), html);
}

#[test]
fn front_matter_duplicate_keys_last_wins_with_a_warning() {
    let s = site(&[(
        "_api/dup.md",
        "---\ntitle: First\nmethod: get\ntitle: Second\n---\nbody\n",
    )]);
    let text = builds(&s, &[]);
    assert!(text.contains("duplicate-key"), "{text}");
    assert!(text.contains("_api/dup.md:4:1"), "{text}");
    let html = s.read_out("index.html");
    let d = element(&html, "apidup");
    assert!(d.contains("Second") && !d.contains("First"), "{d}");
}

// ---------------------------------------------------------------------------------------
// Includes (through the binary: the message, and exit 1)

#[test]
fn includes_missing_is_located() {
    let s = site(&[("_api/a.md", &doc("A", "one\n\n{% include nope.md %}\n"))]);
    fails_with(
        &s,
        &[],
        "_api/a.md:6:1: include file `_includes/nope.md` not found",
    );
}

#[test]
fn includes_self_and_mutual_cycles_are_named() {
    let s = Site::fixture("hostile-include-self");
    fails_with(&s, &[], "include cycle: self.md → self.md");
    let s = Site::fixture("hostile-include-cycle");
    let text = fails_with(&s, &[], "include cycle: ping.md → pong.md → ping.md");
    assert!(text.contains("included from _api/a.md:4:1"), "{text}");
}

#[test]
fn includes_deep_chains_stop_with_a_clear_limit() {
    let mut files = vec![("_api/a.md".to_string(), doc("A", "{% include c0.md %}\n"))];
    for i in 0..100 {
        files.push((
            format!("_includes/c{i}.md"),
            format!("level {i} {{% include c{}.md %}}\n", i + 1),
        ));
    }
    files.push(("_includes/c100.md".into(), "bottom\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    fails_with(&s, &[], "includes nested deeper than 32 levels");
}

#[test]
fn includes_that_would_expand_to_gigabytes_hit_a_size_limit() {
    // Ten levels of ten copies of 1 KiB: 10 TB if expanded.
    let mut files = vec![
        ("_api/a.md".to_string(), doc("A", "{% include b9.md %}\n")),
        ("_includes/b0.md".to_string(), "x".repeat(1024)),
    ];
    for i in 1..10 {
        files.push((
            format!("_includes/b{i}.md"),
            format!("{{% include b{}.md %}}", i - 1).repeat(10),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    fails_with(&s, &[], "expanding includes produced more than 64 MiB");
}

#[test]
fn includes_cannot_leave_the_includes_folder() {
    for path in ["../_config.yml", "/etc/passwd", "a/../../x.md", "..\\x.md"] {
        let s = site(&[("_api/a.md", &doc("A", &format!("{{% include {path} %}}\n")))]);
        fails_with(
            &s,
            &[],
            &format!("_api/a.md:4:1: include path `{path}` leaves `_includes/`"),
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_outside_the_site_are_skipped_and_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Leaked\n---\nbasiliskvault\n",
    )
    .unwrap();
    let s = site(&[("_api/ok.md", &doc("Ok", "fine\n"))]);
    let link = |from: &Path, rel: &str| {
        let to = s.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(from, to).unwrap();
    };
    link(&outside.path().join("secret.md"), "_api/evil.md");
    link(&outside.path().join("secret.md"), "_includes/evil.md");
    link(&outside.path().join("secret.md"), "stolen.txt");
    link(outside.path(), "_api/outdir");
    let text = builds(&s, &[]);
    assert!(
        text.contains("_api/evil.md:1:1") && text.contains("symlink-outside-site"),
        "{text}"
    );
    let all = s.all_output();
    assert!(!all.contains("basiliskvault") && !all.contains("Leaked"));
    // An include through the link is not found, rather than read.
    s.write("_api/ok.md", &doc("Ok", "{% include evil.md %}\n"));
    fails_with(&s, &[], "include file `_includes/evil.md` not found");
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_the_tree_terminate() {
    let s = site(&[("_api/ok.md", &doc("Ok", "fine\n"))]);
    std::os::unix::fs::symlink(s.path(), s.path().join("_api/up")).unwrap();
    std::os::unix::fs::symlink(s.path().join("_api"), s.path().join("_api/again")).unwrap();
    std::os::unix::fs::symlink("self", s.path().join("_api/self")).unwrap();
    std::os::unix::fs::symlink("loop_b.md", s.path().join("_api/loop_a.md")).unwrap();
    std::os::unix::fs::symlink("loop_a.md", s.path().join("_api/loop_b.md")).unwrap();
    builds(&s, &[]);
    let html = s.read_out("index.html");
    assert_eq!(html.matches("data-source=\"_api/ok.md\"").count(), 1);
}

// ---------------------------------------------------------------------------------------
// Markdown

#[test]
fn markdown_ten_thousand_deep_lists_and_quotes_do_not_overflow() {
    let lists = format!("{}deep\n", "- ".repeat(10_000));
    let quotes = format!("{}deep\n", "> ".repeat(10_000));
    // Nesting by indentation grows quadratically in bytes: 1,000 levels is 1 MB.
    let indented: String = (0..1_000)
        .map(|i| format!("{}- l{i}\n", "  ".repeat(i)))
        .collect();
    let html_divs = format!("{}x{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let s = site(&[
        ("_api/lists.md", &doc("Lists", &lists)),
        ("_api/quotes.md", &doc("Quotes", &quotes)),
        ("_api/indented.md", &doc("Indented", &indented)),
        ("_api/divs.md", &doc("Divs", &html_divs)),
        ("_api/zafter.md", &doc("After", "still rendered\n")),
    ]);
    builds(&s, &[]);
    let html = s.read_out("index.html");
    assert!(element(&html, "apizafter").contains("still rendered"));
}

#[test]
fn markdown_a_one_megabyte_line_renders() {
    let line = "word *em* `code` [link](#x) ".repeat(1 << 20 >> 5);
    let s = site(&[("_api/long.md", &doc("Long", &format!("{line}\n")))]);
    builds(&s, &[]);
    assert!(element(&s.read_out("index.html"), "apilong").len() > 1 << 20);
}

#[test]
fn markdown_unclosed_fences_and_bad_ials_stay_inside_their_doc() {
    let s = Site::fixture("hostile-unclosed-fences");
    builds(&s, &[]);
    let html = s.read_out("index.html");
    assert!(element(&html, "apia").contains("never closed"));
    // A fence never closed is text (as kramdown reads it), so the heading below it is one.
    assert!(element(&html, "apib").contains("id=\"not-a-heading\""));
    assert!(element(&html, "apic").contains("para"));
    assert!(element(&html, "apid").contains("after"));
}

#[test]
fn markdown_html_cannot_close_the_layout_early() {
    let s = Site::fixture("hostile-html-escape");
    builds(&s, &[]);
    let html = s.read_out("index.html");
    for tag in ["</main>", "</body>", "</html>", "<main", "<body"] {
        assert_eq!(html.matches(tag).count(), 1, "{tag} appears more than once");
    }
    let main_start = html.find("<main").unwrap();
    let main_end = html.find("</main>").unwrap();
    let next = html.find("id=\"apib_next\"").unwrap();
    assert!(
        main_start < next && next < main_end,
        "the next doc left <main>"
    );
    // The evil doc is one balanced element that still holds its own text, and so is the nav.
    let evil_el = element(&html, "apia_evil");
    assert!(evil_el.contains("After the attack."), "{evil_el}");
    assert!(!evil_el.contains("I am the next doc."), "{evil_el}");
    let nav = element(&html, "ep-nav");
    assert!(nav.contains("#apib_next"), "{nav}");
    assert!(element(&html, "apib_next").contains("I am the next doc."));
}

// ---------------------------------------------------------------------------------------
// Output

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

#[test]
fn output_inside_the_site_is_not_read_back() {
    let s = Site::fixture("hostile-hello");
    s.write("logo.txt", "static");
    for out in ["public", "docs/out", "_api/out"] {
        builds(&s, &["-o", out]);
        let first = common::tree(&s.path().join(out));
        builds(&s, &["-o", out]);
        let second = common::tree(&s.path().join(out));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>(),
            "-o {out}: the second build read the first one's output"
        );
        assert_eq!(first, second);
    }
}

#[test]
fn output_refuses_the_site_its_ancestors_root_and_foreign_folders() {
    let s = Site::fixture("hostile-hello");
    std::fs::create_dir_all(s.path().join("sub")).unwrap();
    for (out, why) in [
        (".", "is the site folder"),
        ("sub/..", "is the site folder"),
        ("..", "contains the site folder"),
        ("/", "refusing to write output to `/`"),
    ] {
        fails_with(&s, &["-o", out], why);
    }
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("thesis.tex"), "years of work").unwrap();
    fails_with(
        &s,
        &["-o", foreign.path().to_str().unwrap()],
        "not empty and was not created by endpaper",
    );
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("thesis.tex")).unwrap(),
        "years of work"
    );
    assert!(s.path().join("_api/a.md").exists(), "the site was touched");
}

/// A sink that fails like a full disk after `left` writes.
struct Failing<'a> {
    inner: &'a endpaper::write::Staging,
    left: std::sync::atomic::AtomicIsize,
}

impl endpaper::write::Sink for Failing<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        if self.left.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) <= 0 {
            return Err(anyhow::Error::new(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ))
            .context(format!("cannot write output file {rel}")));
        }
        self.inner.write(rel, bytes)
    }
}

#[test]
fn output_a_write_failing_midway_keeps_the_previous_output_and_cleans_up() {
    use endpaper::build::{self, BuildOptions, Mode};
    let s = Site::fixture("hostile-hello");
    s.write("_api/b.md", &doc("B", "~~~ json\n{}\n~~~\n"));
    let hl = endpaper::highlight::Highlighter::new();
    let opts = BuildOptions::new(s.path());
    let written = build::build(&opts, &hl, Mode::Build { strict: false })
        .unwrap()
        .files
        .len() as isize;
    let before = common::tree(&s.out());
    s.write("_api/a.md", &doc("A", "changed\n"));
    // Fail at each write of the build in turn, from the first to the last, staged whole or
    // (as a cached build over its last output is) only the files that change.
    let total = written;
    let lock = endpaper::write::OutputLock::take(&s.out()).unwrap();
    for (n, over) in (0..total).flat_map(|n| [(n, false), (n, true)]) {
        let staging = match over {
            true => endpaper::write::Staging::over(&s.out(), s.path(), &lock).unwrap(),
            false => endpaper::write::Staging::begin(&opts.output_dir(), s.path()).unwrap(),
        };
        let sink = Failing {
            inner: &staging,
            left: n.into(),
        };
        let err = build::run(&opts, &hl, &sink, Some(staging.target())).unwrap_err();
        assert!(
            format!("{err:#}").contains("No space left on device"),
            "{err:#}"
        );
        drop(staging);
        assert_eq!(
            common::tree(&s.out()),
            before,
            "failure after {n} files changed the output"
        );
        assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
    }
    drop(lock);
    // And a build that can write replaces it whole.
    build::build(&opts, &hl, Mode::Build { strict: false }).unwrap();
    assert!(String::from_utf8_lossy(&common::tree(&s.out())["index.html"]).contains("changed"));
    assert!(leftovers(s.path()).is_empty());
}

#[test]
fn output_a_killed_builds_staging_folder_is_removed_by_the_next_build_and_only_that() {
    let s = Site::fixture("hostile-hello");
    builds(&s, &[]);
    let copy_output_to = |name: &str| {
        let to = s.path().join(name);
        for (rel, bytes) in common::tree(&s.out()) {
            write_bytes(&s, &format!("{name}/{rel}"), &bytes);
        }
        to
    };
    // What `kill -9` at the end of a build leaves beside the output: its staging folder,
    // marked by the build that made it (the same marker an output gets).
    let killed = copy_output_to("._site.tmp-K1ll3d");
    // A build still running holds its folder's marker locked.
    let running = copy_output_to("._site.tmp-Run1ng");
    let lock = std::fs::File::open(running.join(".endpaper-output")).unwrap();
    lock.lock().unwrap();
    // Not endpaper's: no marker.
    let foreign = s.path().join("._site.tmp-abc");
    write_bytes(&s, "._site.tmp-abc/notes.txt", b"mine");
    let foreign_other = s.path().join(".x.tmp-abc");
    write_bytes(&s, ".x.tmp-abc/notes.txt", b"mine");

    let said = builds(&s, &[]);
    let real = s.path().canonicalize().unwrap().join("._site.tmp-K1ll3d");
    assert!(
        said.contains(&format!(
            "note: removed stale staging folder {} (a build that was killed)\n",
            real.display()
        )),
        "{said}"
    );
    assert_eq!(said.matches("stale staging").count(), 1, "{said}");
    assert!(!killed.exists());
    assert!(
        running.join("index.html").is_file(),
        "a running build's folder was removed"
    );
    assert!(foreign.join("notes.txt").is_file());
    assert!(foreign_other.join("notes.txt").is_file());
    // Once the running build is gone, its folder is stale too.
    drop(lock);
    let said = builds(&s, &[]);
    assert!(
        said.contains("._site.tmp-Run1ng (a build that was killed)"),
        "{said}"
    );
    assert!(!running.exists());
    let said = builds(&s, &[]);
    assert!(!said.contains("stale staging"), "{said}");
    assert!(foreign.join("notes.txt").is_file());
}

#[test]
fn output_two_builds_at_once_leave_one_complete_build() {
    let s = Site::fixture("hostile-hello");
    s.write("_api/b.md", &doc("B", "~~~ python\nprint(1)\n~~~\n"));
    builds(&s, &[]);
    let reference = common::tree(&s.out());
    for _ in 0..4 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_endpaper"))
                .args(["build", "."])
                .current_dir(s.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        assert_eq!(common::tree(&s.out()), reference);
        assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
    }
}

// ---------------------------------------------------------------------------------------
// Audiences

#[test]
fn audiences_a_public_build_never_contains_another_audiences_doc() {
    let secrets = [
        "Kraken Release",
        "kraken-release",
        "apikraken",
        "_api/kraken.md",
        "tarnwhistle",
        "glimmerfang",
        "opsrotate",
        "Rotate Keys",
        "_ops/rotate.md",
        "quillmarrow",
        "vesperlatch",
    ];
    let s = Site::fixture("hostile-audiences");
    builds(&s, &[]);
    for (path, bytes) in common::tree(&s.out()) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{path} leaks `{secret}`");
        }
        assert!(
            !text.contains("kraken-heading"),
            "{path} leaks a heading id"
        );
    }
    assert!(s.read_out("index.html").contains("Public text."));
    // The internal build has them, so the fixture really holds what we look for.
    builds(&s, &["--audience", "internal"]);
    let all = s.all_output();
    for secret in [
        "Kraken Release",
        "tarnwhistle",
        "glimmerfang",
        "vesperlatch",
        "quillmarrow",
    ] {
        assert!(all.contains(secret), "internal build lacks {secret}");
    }
}

#[test]
fn audiences_llms_files_markdown_twins_and_endpoint_pages_hold_only_the_builds_audience() {
    let s = Site::fixture("hostile-audiences-llms");
    let secrets = [
        "Kraken",
        "kraken",
        "tarnwhistle",
        "glimmerfang",
        "quillmarrow",
        "vesperlatch",
        "Rotate Keys",
        "opsrotate",
        "ops/rotate",
    ];
    builds(&s, &[]);
    let out = common::tree(&s.out());
    for name in [
        "llms.txt",
        "llms-full.txt",
        "api/public.md",
        "api/public/index.html",
        "sitemap.xml",
    ] {
        assert!(out.contains_key(name), "public build writes {name}");
    }
    for (path, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{path} leaks `{secret}`");
        }
    }
    let twin = s.read_out("api/public.md");
    assert!(twin.contains("Public text, see the beast."), "{twin}");
    assert!(
        twin.contains("**Curl**") && twin.contains("```bash\ncurl open\n```"),
        "{twin}"
    );
    assert!(s
        .read_out("llms.txt")
        .contains("- [/v1/public](https://docs.x/api/public.md)"));
    assert!(s.read_out("llms-full.txt").contains("curl open"));
    // The internal build has them all, so the fixture really holds what we look for.
    builds(&s, &["--audience", "internal"]);
    let full = s.read_out("llms-full.txt");
    for secret in [
        "Kraken Release",
        "tarnwhistle",
        "glimmerfang",
        "quillmarrow",
        "vesperlatch",
    ] {
        assert!(
            full.contains(secret),
            "internal llms-full.txt lacks {secret}"
        );
    }
    assert!(s
        .read_out("llms.txt")
        .contains("(https://docs.x/ops/rotate.md)"));
    assert!(s.read_out("api/kraken.md").contains("glimmerfang"));
    assert!(s.read_out("ops/rotate/index.html").contains("vesperlatch"));
}

// ---------------------------------------------------------------------------------------
// Determinism

fn rich_files() -> Vec<(String, String)> {
    let mut files = vec![
        (
            "_config.yml".to_string(),
            common::fixture_text("hostile-base/_config.yml"),
        ),
        (
            "_includes/note.md".into(),
            "> a note {{ include.x }}\n".into(),
        ),
        ("static/a.txt".into(), "static a".into()),
    ];
    for i in 0..30 {
        files.push((
            format!("_api/doc{i:02}.md"),
            format!(
                "---\ntitle: /v1/thing{i}\nposition: {}\nmethod: get\n---\n## Parameters\n\n{{% include note.md x=\"{i}\" %}}\n\nid\n: the id\n\n~~~ python\nprint({i})\n~~~\n{{: title=\"Python\"}}\n\n~~~ json\n{{\"n\": {i}}}\n~~~\n{{: title=\"Response\"}}\n",
                i % 4
            ),
        ));
    }
    files
}

fn build_in_fresh_dir(
    files: &[(String, String)],
    threads: Option<&str>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in files {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    }
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_endpaper"));
    cmd.args(["build", "."]).current_dir(dir.path());
    match threads {
        Some(n) => cmd.env("RAYON_NUM_THREADS", n),
        None => cmd.env_remove("RAYON_NUM_THREADS"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    common::tree(&dir.path().join("_site"))
}

#[test]
fn determinism_across_runs_thread_counts_and_walk_order() {
    let files = rich_files();
    let first = build_in_fresh_dir(&files, None);
    assert!(first.len() > 5);
    assert_eq!(build_in_fresh_dir(&files, None), first, "two runs differ");
    assert_eq!(
        build_in_fresh_dir(&files, Some("1")),
        first,
        "1 thread differs"
    );
    assert_eq!(
        build_in_fresh_dir(&files, Some("7")),
        first,
        "7 threads differ"
    );
    // The same files created in reverse and in a shuffled order (directory order on disk
    // follows creation order on many file systems).
    let mut reversed = files.clone();
    reversed.reverse();
    assert_eq!(
        build_in_fresh_dir(&reversed, None),
        first,
        "walk order matters"
    );
    let mut shuffled = files.clone();
    let n = shuffled.len();
    for i in 0..n {
        shuffled.swap(i, (i * 7919 + 13) % n);
    }
    assert_eq!(
        build_in_fresh_dir(&shuffled, None),
        first,
        "walk order matters"
    );
}

// ---------------------------------------------------------------------------------------
// Panics

/// Run only as a child of `a_panic_is_one_line_asking_for_a_report`.
#[test]
fn panic_child() {
    if std::env::var_os("HOSTILE_PANIC_CHILD").is_none() {
        return;
    }
    endpaper::error::install_panic_hook();
    let v: Vec<u8> = Vec::new();
    let i = v.len() + 3;
    let _ = v[i];
}

#[test]
fn a_panic_is_one_line_asking_for_a_report() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hostile::panic_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("HOSTILE_PANIC_CHILD", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("internal error"))
        .unwrap_or_else(|| panic!("no internal error line:\n{err}"));
    assert!(
        line.contains("index out of bounds") && line.contains("please report"),
        "{line}"
    );
    assert!(line.contains("hostile.rs:"), "{line}");
    assert!(
        !err.contains("stack backtrace") && !err.contains("RUST_BACKTRACE=1` environment"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Fuzz findings (fuzz/regressions/), each replayed through the stage the target drives.

#[test]
fn fuzz_frontmatter_nested_flow_mapping_keys_are_named_in_linear_time() {
    let text =
        String::from_utf8_lossy(include_bytes!("../../fuzz/regressions/frontmatter-timeout"));
    assert!(endpaper::frontmatter::parse_config(&text, Path::new("_config.yml")).is_err());
    // Psych takes a mapping as a key; its name, unescaped, grows by a few bytes a level.
    let nested = format!("{}{}: 1\n", "{".repeat(60), "}".repeat(60));
    let map = endpaper::frontmatter::parse_config(&nested, Path::new("_config.yml")).unwrap();
    let key = map.keys().next().unwrap();
    assert!(key.len() < 60 * 16, "{}", key.len());
    assert!(key.starts_with("{\"{\"{"), "{key}");
}

#[test]
fn fuzz_liquid_a_tag_of_just_percent_before_an_end_tag() {
    use endpaper::liquid::{Engine, Mode, Source};
    let data = include_bytes!("../../fuzz/regressions/liquid-crash");
    let text = std::str::from_utf8(data).unwrap();
    let mut parts = text.split('\0');
    let body = parts.next().unwrap();
    let files = ["a.md", "b.md", "c.md"]
        .iter()
        .zip(parts)
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let config = endpaper::config::Config::parse("", Path::new("_config.yml")).unwrap();
    let engine = Engine::with_includes(&config, &files);
    let src = |full| Source {
        rel: "_api/p.md",
        full,
        base: 0,
    };
    // Either result is fine; reaching here without a panic is the point.
    let _ = engine.render(&src(body), &[], Mode::Markdown);
    let r = engine.render(&src("{% raw %}{%}{% endraw %}"), &[], Mode::Markdown);
    assert_eq!(r.unwrap().text, "{%}");
}

#[test]
fn fuzz_markdown_ial_with_a_vertical_tab_terminates() {
    let text = String::from_utf8_lossy(include_bytes!("../../fuzz/regressions/markdown-timeout"));
    let r = endpaper::markdown::render(&text);
    assert!(!r.blocks.is_empty());
    let r = endpaper::markdown::render("para\n{: \u{b}#x\u{b}.c\u{2003}title=\"t\" }\n");
    let html: String = r
        .blocks
        .iter()
        .map(|b| match b {
            endpaper::markdown::Block::Html(part) => part.html().into_owned(),
            endpaper::markdown::Block::Code(_) => String::new(),
        })
        .collect();
    // Ruby's `\s` (kramdown's separator) is ASCII: the vertical tab separates, the em space
    // is part of the class name.
    assert!(
        html.contains("id=\"x\"") && html.contains("class=\"c\u{2003}title="),
        "{html}"
    );
}

#[test]
fn fuzz_site_build_with_a_vertical_tab_ial_terminates() {
    let data = include_bytes!("../../fuzz/regressions/site-timeout");
    let text = String::from_utf8_lossy(data);
    let dir = tempfile::tempdir().unwrap();
    for entry in text.split('\x02') {
        let Some((path, body)) = entry.split_once('\x01') else {
            continue;
        };
        let clean: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != ".." && !c.contains('\0'))
            .take(3)
            .collect();
        if clean.is_empty() {
            continue;
        }
        let p = dir.path().join(clean.join("/"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        if !p.is_dir() {
            std::fs::write(&p, body).unwrap();
        }
    }
    let opts = endpaper::build::BuildOptions::new(dir.path());
    let hl = endpaper::highlight::Highlighter::new();
    let _ = endpaper::build::run(&opts, &hl, &endpaper::write::NullSink, None);
}

#[test]
fn a_closed_stdout_ends_quietly_like_sigpipe() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(["completions", "bash"])
        .env_remove("RUST_BACKTRACE")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn bytes_a_doc_beyond_the_size_limit_says_so() {
    let body = "x".repeat(endpaper::liquid::MAX_OUTPUT + 1);
    let s = site(&[("_api/giant.md", &doc("Giant", &body))]);
    fails_with(
        &s,
        &[],
        "_api/giant.md:4:1: this doc is larger than 64 MiB; split it into several docs",
    );
}

#[test]
fn markdown_thousands_of_repeated_headings_keep_their_links() {
    let body: String = (0..5000)
        .map(|i| format!("## h{i}\n\nsee [h{i}](#h{i})\n\n"))
        .collect();
    let s = site(&[
        ("_api/a.md", &doc("A", &body)),
        ("_api/b.md", &doc("B", &body)),
    ]);
    builds(&s, &[]);
    let html = s.read_out("index.html");
    let a = element(&html, "apia");
    let b = element(&html, "apib");
    for i in [0, 7, 4999] {
        assert!(a.contains(&format!("id=\"h{i}\"")) && a.contains(&format!("href=\"#h{i}\"")));
        // The second doc's headings are renamed on the page, and its links follow them.
        assert!(b.contains(&format!("id=\"h{i}-1\"")), "h{i}");
        assert!(b.contains(&format!("href=\"#h{i}-1\"")), "h{i}");
        assert!(!b.contains(&format!("href=\"#h{i}\"")), "h{i}");
    }
}

#[test]
fn includes_tens_of_thousands_of_trimmed_tags_expand_in_order() {
    let s = site(&[
        (
            "_api/a.md",
            &doc("A", &"w {%- include x.md -%}\n".repeat(20_000)),
        ),
        ("_includes/x.md", "y"),
    ]);
    builds(&s, &[]);
    let html = s.read_out("index.html");
    let a = element(&html, "apia");
    // `{%-` eats the space before, `-%}` the newline after: one long `wywy…` word.
    assert!(a.contains(&"wy".repeat(20_000)), "trimmed output is wrong");
}
