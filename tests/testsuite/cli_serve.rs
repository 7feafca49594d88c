//! `endpaper serve` end to end: the real binary on a scaffold site, a free port, plain
//! `TcpStream` HTTP on loopback. Every wait is bounded so a broken server fails the test
//! instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// The server process, killed when the test ends (pass or fail).
struct Server {
    child: Child,
    addr: String,
    _tmp: tempfile::TempDir,
    site: PathBuf,
    /// The server's stdout lines after its address line.
    log: mpsc::Receiver<String>,
}

impl Server {
    /// The server's stdout lines up to and including the first that matches.
    fn log_until(&self, want: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut lines = Vec::new();
        loop {
            let line = self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve never printed the line; it printed {lines:#?}"));
            let done = want(&line);
            lines.push(line);
            if done {
                return lines;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `endpaper new DIR/site`; its path.
fn new_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let made = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .arg("new")
        .arg(&site)
        .output()
        .unwrap();
    assert!(made.status.success());
    site
}

/// `endpaper serve SITE` on a free port, writing to `DIR/out`, without colour.
fn serve_command(dir: &Path, site: &Path, flags: &[&str]) -> Command {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_endpaper"));
    serve
        .args(["serve", "--port", "0", "-o"])
        .arg(dir.join("out"))
        .args(flags)
        .arg(site)
        .env("NO_COLOR", "1");
    serve
}

/// The lines of a child's pipe, drained on a thread for the whole run so the server never
/// blocks on a full pipe.
fn lines(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// A new scaffold site served on a free port with its output outside the site.
fn start() -> Server {
    start_with(&[])
}

/// `start`, with more `serve` flags.
fn start_with(flags: &[&str]) -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let mut child = serve_command(tmp.path(), &site, flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines(child.stdout.take().unwrap());
    let deadline = Instant::now() + WAIT;
    let addr = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve never printed its address");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    Server {
        child,
        addr,
        _tmp: tmp,
        site,
        log: rx,
    }
}

/// (status code, body) of one GET with a raw request target.
fn get(addr: &str, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

/// An open event stream, ready once the server has sent its `retry:` preamble.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        write!(s, "GET /__endpaper/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut ev = Events {
            reader: BufReader::new(s),
        };
        ev.wait_for(|l| l.starts_with("retry:"));
        ev
    }

    /// Reads lines until one matches; returns the event's lines from there to the blank line.
    fn wait_for(&mut self, want: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut found: Option<Vec<String>> = None;
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed"),
                Ok(_) => {
                    let l = line.trim_end().to_string();
                    match &mut found {
                        Some(lines) if l.is_empty() => return std::mem::take(lines),
                        Some(lines) => lines.push(l),
                        None if want(&l) => {
                            if l.starts_with("retry:") {
                                return vec![l];
                            }
                            found = Some(vec![l]);
                        }
                        None => {}
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("event stream: {e}"),
            }
        }
        panic!("no matching event within {WAIT:?}");
    }
}

/// Saves as editors do, atomically (write beside, rename over), so the server never sees
/// a half-written file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    let tmp = path.with_file_name(".endpaper-test-save.tmp");
    std::fs::write(&tmp, text.replacen(from, to, 1)).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn an_edit_is_rebuilt_served_and_reloads_the_tabs() {
    let server = start();
    let (code, page) = get(&server.addr, "/");
    assert_eq!(code, 200);
    assert!(page.contains("List Notes"));
    assert!(
        page.contains("/__endpaper/events"),
        "the live-reload script is injected"
    );
    let mut events = Events::open(&server.addr);

    edit(
        &server.site.join("_notes/list_notes.md"),
        "name: List Notes",
        "name: Browse Every Note",
    );
    events.wait_for(|l| l == "event: reload");
    let (code, page) = get(&server.addr, "/index.html");
    assert_eq!(code, 200);
    assert!(
        page.contains("Browse Every Note"),
        "new content served after the reload event"
    );
    // The script is added to responses only, never to the files on disk.
    let on_disk = std::fs::read_to_string(server._tmp.path().join("out/index.html")).unwrap();
    assert!(on_disk.contains("Browse Every Note") && !on_disk.contains("/__endpaper/events"));
}

#[test]
fn editors_temporary_files_are_no_change_but_the_save_they_make_is() {
    let server = start();
    let notes = server.site.join("_notes");
    let temps = [
        "4913",
        "list_notes.md.swp",
        "list_notes.md~",
        "list_notes.md___jb_tmp___",
        "#list_notes.md#",
    ];
    for temp in temps {
        std::fs::write(notes.join(temp), "scratch").unwrap();
    }
    // Vim's write test is removed at once.
    std::fs::remove_file(notes.join("4913")).unwrap();
    // `sed -i`: the new text goes to a temp file, renamed onto the doc.
    let doc = notes.join("list_notes.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let sed = notes.join("sedX4q9Zt");
    std::fs::write(
        &sed,
        text.replacen("name: List Notes", "name: Saved By Sed", 1),
    )
    .unwrap();
    std::fs::rename(&sed, &doc).unwrap();

    // The first rebuild's line: the save's, not a temp file's.
    let log = server.log_until(|l| l.contains(" changed"));
    let saved = log.last().unwrap();
    assert!(
        saved.starts_with("_notes/list_notes.md (doc) changed: "),
        "the save alone is the change: {log:#?}"
    );
    for temp in temps.iter().chain(&["sedX4q9Zt"]) {
        assert!(
            log.iter().all(|l| !l.contains(temp)),
            "{temp} named in the log: {log:#?}"
        );
    }
    let (code, page) = get(&server.addr, "/");
    assert_eq!(code, 200);
    assert!(page.contains("Saved By Sed"));
}

#[test]
fn a_broken_build_keeps_the_last_good_site_and_reports_the_error() {
    let server = start();
    let mut events = Events::open(&server.addr);
    let doc = server.site.join("_notes/create_note.md");
    edit(
        &doc,
        "### Request Body:",
        "{% include nowhere.md %}\n\n### Request Body:",
    );
    let event = events.wait_for(|l| l == "event: build-error");
    let data = event.join("\n");
    assert!(
        data.contains("_notes/create_note.md:31:1:") && data.contains("nowhere.md"),
        "{data}"
    );
    let (code, page) = get(&server.addr, "/");
    assert_eq!(code, 200);
    assert!(
        page.contains("Create a Note"),
        "last good build still served"
    );
    // A tab opened now gets the error at once.
    let mut late = Events::open(&server.addr);
    late.wait_for(|l| l == "event: build-error");

    edit(&doc, "{% include nowhere.md %}\n\n", "");
    events.wait_for(|l| l == "event: reload");
}

#[test]
fn only_files_inside_the_output_folder_are_served() {
    let server = start();
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..%2f..%2fsite/_config.yml",
        "/..%5c_config.yml",
    ] {
        let (code, body) = get(&server.addr, target);
        assert!(code == 403 || code == 404, "{target} answered {code}");
        assert!(!body.contains("collections:"), "{target} leaked the config");
    }
    let (code, body) = get(&server.addr, "/no/such/page.html");
    assert_eq!(code, 404);
    assert!(
        body.contains("<html") || body.contains("<!doctype") || body.contains("<!DOCTYPE"),
        "the 404 page: {body}"
    );
    let (code, _) = get(&server.addr, "/assets/endpaper.css");
    assert_eq!(code, 200);
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(["serve", "--port", &port])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("--port"),
        "{err}"
    );
}

/// A connection that has sent part of a request head and then stalls, as a slowloris
/// client does.
fn stalled(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    s
}

#[test]
fn slow_clients_do_not_hold_up_a_normal_request() {
    let server = start();
    let slow: Vec<TcpStream> = (0..50).map(|_| stalled(&server.addr)).collect();
    let _events = Events::open(&server.addr);
    // The server must answer while all of them are still open.
    let (code, page) = get(&server.addr, "/");
    assert_eq!(code, 200);
    assert!(page.contains("List Notes"));
    let (code, _) = get(&server.addr, "/assets/endpaper.css");
    assert_eq!(code, 200);
    drop(slow);
}

#[test]
fn connections_beyond_the_bound_are_refused_with_503_until_one_closes() {
    let server = start_with(&["--max-connections", "2"]);
    let first = stalled(&server.addr);
    let _second = stalled(&server.addr);
    let (code, body) = get(&server.addr, "/");
    assert_eq!(code, 503, "{body}");
    assert!(body.contains("--max-connections"), "{body}");
    // A slot frees when a connection closes; a retry then gets the page (the server
    // notices the close asynchronously, so retry until it has, within the usual bound).
    drop(first);
    let deadline = Instant::now() + WAIT;
    loop {
        let (code, page) = get(&server.addr, "/");
        if code == 200 {
            assert!(page.contains("List Notes"));
            break;
        }
        assert_eq!(code, 503);
        assert!(Instant::now() < deadline, "no slot freed after a close");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn keep_alive_connections_serve_several_requests() {
    let server = start();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    for path in ["/", "/assets/endpaper.css", "/no-such-page.html"] {
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let want = if path.contains("no-such") {
            "404"
        } else {
            "200"
        };
        assert!(status.contains(want), "{path}: {status}");
    }
}

#[test]
fn a_broken_anchor_shows_in_the_warnings_strip_with_checks_suggestion() {
    let server = start();
    let mut events = Events::open(&server.addr);
    edit(
        &server.site.join("_notes/create_note.md"),
        "(#noteslist_notes)",
        "(#noteslist_note)",
    );
    events.wait_for(|l| l == "event: reload");
    // Links are checked once the machine files are written, after the reload. The tab
    // reloads and connects again: it hears the warnings on connecting if they are in by
    // then, else as they are amended (no second reload). Which one happens is timing.
    let mut tab = Events::open(&server.addr);
    let warnings = tab.wait_for(|l| l == "event: build-warnings").join("\n");
    let expected = "link to `#noteslist_note`, which is no doc, heading or section of this build; did you mean `#noteslist_notes` (_notes/list_notes.md)? [broken-anchor]";
    assert!(
        warnings.contains("_notes/create_note.md:29:") && warnings.contains(expected),
        "{warnings}"
    );
}

/// `endpaper ARGS` to its end, or killed at the usual bound (a serve that keeps running
/// fails the test): (exit code, stderr).
fn run_to_end(args: &[&str], site: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(args)
        .arg(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`{}` is still running", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn serve_stops_at_start_on_what_build_stops_on() {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let no_config = tmp.path().join("empty");
    std::fs::create_dir(&no_config).unwrap();
    let missing = tmp.path().join("missing");
    for (flags, folder, says) in [
        (
            &["--audience", "interanl"][..],
            &site,
            "unknown audience `interanl`",
        ),
        (&["--theme", "site"][..], &site, "no page to render"),
        (&[][..], &no_config, "has no _config.yml"),
        (&[][..], &missing, "does not exist"),
    ] {
        let mut build = vec!["build"];
        build.extend_from_slice(flags);
        let mut serve = vec!["serve", "--port", "0"];
        serve.extend_from_slice(flags);
        let (code, built) = run_to_end(&build, folder);
        let (serve_code, served) = run_to_end(&serve, folder);
        assert_eq!(code, Some(1), "{built}");
        assert!(built.contains(says), "{built}");
        assert_eq!((serve_code, &served), (code, &built));
        assert!(!served.contains("still serving"), "{served}");
    }
    assert!(!missing.exists(), "a missing site folder is not created");
}

#[test]
fn a_first_build_that_fails_does_not_claim_a_last_good_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let doc = site.join("_notes/create_note.md");
    let (good, bad) = (
        "### Request Body:",
        "{% include nowhere.md %}\n\n### Request Body:",
    );
    edit(&doc, good, bad);
    let mut child = serve_command(tmp.path(), &site, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, err) = (
        lines(child.stdout.take().unwrap()),
        lines(child.stderr.take().unwrap()),
    );
    // Every line until one matches, within the usual bound.
    let until = |from: &mpsc::Receiver<String>, want: &str| {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let line = from
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no line with `{want}` in {seen:#?}"));
            if line.contains(want) {
                return (line, seen);
            }
            seen.push(line);
        }
    };
    let (first, _) = until(&err, "the build failed");
    assert_eq!(
        first,
        "error: the build failed; there is no good build to serve yet; save a fix to build again"
    );
    // Fixed, built, broken again: now there is a last good build to keep serving.
    until(&out, "http://");
    edit(&doc, bad, good);
    until(&out, "built 3 docs");
    edit(&doc, good, bad);
    let (again, _) = until(&err, "the build failed");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        again.ends_with("the build failed; still serving the last good build"),
        "{again}"
    );
}
