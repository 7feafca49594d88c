//! `endpaper serve`: build, serve the output folder over HTTP on loopback, watch the site and
//! rebuild on change, and tell open tabs to reload over Server-Sent Events. A failed rebuild
//! leaves the last good output in place (the build swaps output in only on success) and
//! sends the error to the tabs as an overlay; the next good build clears it by reloading.
//!
//! The server is std `TcpListener` with a thread per connection: the event stream is a
//! long-lived response, which a blocking thread holds simply, and a local preview never has
//! more than a few clients. Only files inside the output folder are served (decoded paths
//! with `..` are refused, and the resolved file must lie under the canonical output root).

use crate::build::{self, BuildOptions, Outcome};
use crate::cache::Cache;
use crate::check::percent_decode;
use crate::highlight::Highlighter;
use crate::report::{self, Style};
use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Component, Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Where the event stream is served; no site file can have this path (it is not written).
pub const EVENTS_PATH: &str = "/__endpaper/events";

/// Added before `</body>` of every HTML response (never to files on disk): listens for
/// `reload` and `build-error` events. `error` is avoided as an event name because
/// EventSource uses it for connection failures.
pub const LIVE_SCRIPT: &str = r#"<script>/* endpaper serve: live reload */(function(){var es=new EventSource("/__endpaper/events");es.addEventListener("reload",function(){location.reload();});es.addEventListener("build-error",function(e){var d=document.getElementById("endpaper-overlay");if(!d){d=document.createElement("div");d.id="endpaper-overlay";d.style.cssText="position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#f8f8f2;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2em;overflow:auto;white-space:pre-wrap";document.body.appendChild(d);}d.textContent="endpaper: the last change broke the build (still showing the last good build)\n\n"+e.data;});})();</script>"#;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub host: String,
    /// 0 picks a free port (printed on start).
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// What the tabs are told: a counter bumped after each build, and the error of the last
/// build if it failed.
#[derive(Debug, Default)]
struct Status {
    generation: u64,
    error: Option<String>,
}

struct Shared {
    root: PathBuf,
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    fn publish(&self, error: Option<String>) {
        let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
        s.generation += 1;
        s.error = error;
        self.changed.notify_all();
    }
}

/// What kind of input a changed path is; decides how much a rebuild must redo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Doc,
    Include,
    Asset,
    Template,
    Config,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Doc => "doc",
            Change::Include => "include",
            Change::Asset => "asset",
            Change::Template => "template",
            Change::Config => "config",
        }
    }
}

/// Classifies a site-relative path, or `None` for files a build never reads (hidden
/// files, editor backups, Jekyll output, dependency folders).
pub fn classify(rel: &Path, outcome: Option<&Outcome>) -> Option<Change> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    if parts
        .iter()
        .any(|p| p.starts_with('.') || p.ends_with('~') || p.ends_with(".swp"))
    {
        return None;
    }
    if matches!(
        first.as_str(),
        "_site" | "node_modules" | "vendor" | "target"
    ) {
        return None;
    }
    let rel_str = parts.join("/");
    Some(match first.as_str() {
        "_config.yml" => Change::Config,
        "_includes" => Change::Include,
        "_endpaper" if parts.get(1).is_some_and(|p| p == "templates") => Change::Template,
        "_endpaper" => Change::Asset,
        _ if outcome.is_some_and(|o| o.inputs.contains(&rel_str)) => Change::Doc,
        _ if first.starts_with('_') && rel_str.ends_with(".md") => Change::Doc,
        _ => Change::Asset,
    })
}

/// Docs a set of changed includes affects, from the include graph of the last build.
pub fn docs_using<'a>(outcome: &'a Outcome, includes: &BTreeSet<String>) -> BTreeSet<&'a str> {
    outcome
        .includes_by_doc
        .iter()
        .filter(|(_, used)| {
            used.iter()
                .any(|u| includes.contains(u) || includes.contains(&format!("_includes/{u}")))
        })
        .map(|(doc, _)| doc.as_str())
        .collect()
}

/// Inserts the live-reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + LIVE_SCRIPT.len());
    out.push_str(&text[..at]);
    out.push_str(LIVE_SCRIPT);
    out.push_str(&text[at..]);
    out.into_bytes()
}

pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// How a request path maps to the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without the trailing `/`: redirect so relative links work.
    Redirect(String),
    NotFound,
    Forbidden,
    BadRequest,
}

/// Maps a request path (already stripped of `?query`) to a file under `root`. Decoded
/// `..` segments are refused, and the real path (symlinks resolved) must stay under the
/// real root.
pub fn resolve(root: &Path, raw_path: &str) -> Resolved {
    let Some(path) = percent_decode(raw_path) else {
        return Resolved::BadRequest;
    };
    if path.contains('\0') || !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.iter().any(|s| *s == ".." || s.contains('\\')) {
        return Resolved::Forbidden;
    }
    let Ok(real_root) = root.canonicalize() else {
        return Resolved::NotFound;
    };
    let mut candidate = real_root.clone();
    for s in &segments {
        candidate.push(s);
    }
    // Only plain names may be joined: a segment like `C:` could replace the root.
    if candidate
        .components()
        .skip(real_root.components().count())
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Resolved::Forbidden;
    }
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Resolved::Forbidden;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(&real_root) && i.is_file() => Resolved::File(i),
            Ok(_) => Resolved::Forbidden,
            Err(_) => Resolved::NotFound,
        };
    }
    Resolved::File(real)
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Reads the request head (bounded in size and time).
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if buf.len() > 16 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8(buf).ok()
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(head) = read_head(&mut stream) else {
        return respond(&mut stream, "400 Bad Request", &[], b"bad request\n", false);
    };
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD".into())],
            b"only GET and HEAD\n",
            false,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        return events(stream, shared);
    }
    match resolve(&shared.root, path) {
        Resolved::File(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let ctype = content_type(&file);
                let body = if ctype.starts_with("text/html") {
                    inject(&bytes)
                } else {
                    bytes
                };
                respond(
                    &mut stream,
                    "200 OK",
                    &[("Content-Type", ctype.into())],
                    &body,
                    head_only,
                )
            }
            Err(_) => not_found(&mut stream, shared, head_only),
        },
        Resolved::Redirect(to) => respond(
            &mut stream,
            "301 Moved Permanently",
            &[("Location", to)],
            b"",
            head_only,
        ),
        Resolved::NotFound => not_found(&mut stream, shared, head_only),
        Resolved::Forbidden => respond(
            &mut stream,
            "403 Forbidden",
            &[("Content-Type", "text/plain".into())],
            b"forbidden: only files inside the output folder are served\n",
            head_only,
        ),
        Resolved::BadRequest => respond(
            &mut stream,
            "400 Bad Request",
            &[("Content-Type", "text/plain".into())],
            b"bad request\n",
            head_only,
        ),
    }
}

fn not_found(stream: &mut TcpStream, shared: &Shared, head_only: bool) -> std::io::Result<()> {
    let page = std::fs::read(shared.root.join("404.html"))
        .map(|b| inject(&b))
        .unwrap_or_else(|_| inject(b"<!doctype html><title>Not found</title><h1>Not found</h1>"));
    respond(
        stream,
        "404 Not Found",
        &[("Content-Type", "text/html; charset=utf-8".into())],
        &page,
        head_only,
    )
}

/// One SSE data field per line, as the format requires.
fn sse_event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.lines() {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    if data.is_empty() {
        out.push_str("data: \n");
    }
    out.push('\n');
    out
}

/// Holds an event stream open: `reload` after each good build, `build-error` after each
/// failed one (and at once if the last build failed), a comment every 15 s to find
/// closed tabs.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (mut seen, pending) = {
        let s = shared.status.lock().unwrap_or_else(|p| p.into_inner());
        (s.generation, s.error.clone())
    };
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n")?;
    if let Some(e) = pending {
        stream.write_all(sse_event("build-error", &e).as_bytes())?;
    }
    stream.flush()?;
    loop {
        let message = {
            let mut s = shared.status.lock().unwrap_or_else(|p| p.into_inner());
            if s.generation == seen {
                s = shared
                    .changed
                    .wait_timeout(s, Duration::from_secs(15))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            if s.generation == seen {
                ": still here\n\n".to_string()
            } else {
                seen = s.generation;
                match &s.error {
                    Some(e) => sse_event("build-error", e),
                    None => sse_event("reload", &seen.to_string()),
                }
            }
        };
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

/// The error text a writer needs: located errors as `file:line:col: message`, others
/// with their causes.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        text.push_str("\n  caused by: ");
        text.push_str(&cause.to_string());
    }
    text
}

fn bind(host: &str, port: u16) -> Result<TcpListener> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve --host {host}"))?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e) if e.kind() == ErrorKind::AddrInUse => bail!(
            "port {port} on {host} is already in use (another `endpaper serve` or `jekyll serve`?); stop it or choose another port with --port {}",
            port.wrapping_add(1).max(1024)
        ),
        Some(e) if e.kind() == ErrorKind::PermissionDenied => bail!("not allowed to listen on port {port} ({e}); choose a port above 1023 with --port 4000"),
        Some(e) => Err(e).with_context(|| format!("cannot listen on {host}:{port}")),
        None => bail!("--host {host} resolves to no address"),
    }
}

/// The output folder as an absolute path whose existing part is resolved, so watcher events
/// inside it (our own writes) can be recognised before it exists.
fn real_path(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (
        abs.parent().and_then(|d| d.canonicalize().ok()),
        abs.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => abs,
    }
}

struct Builder {
    opts: BuildOptions,
    highlighter: Highlighter,
    /// The last build's docs, pages and highlighted samples, so a rebuild redoes only
    /// what the change touched.
    memo: build::Memo,
    style: Style,
    quiet: bool,
    last: Option<Outcome>,
}

impl Builder {
    /// One whole-site build; prints the outcome and tells the tabs.
    /// One rebuild; `changed_docs` when only existing docs changed.
    fn rebuild(
        &mut self,
        shared: &Shared,
        why: &str,
        since: Instant,
        changed_docs: Option<&BTreeSet<String>>,
    ) {
        match build::rebuild(
            &self.opts,
            &self.highlighter,
            &mut self.memo,
            self.last.as_ref(),
            changed_docs,
        ) {
            Ok(o) => {
                shared.publish(None);
                if !self.quiet {
                    report::print_diagnostics(&o.diagnostics, self.style);
                    let timing = if why.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; reload sent {} ms after the change",
                            since.elapsed().as_millis()
                        )
                    };
                    println!("{why}{}{timing}", report::summary(&o));
                }
                self.last = Some(o);
            }
            Err(e) => {
                let text = error_text(&e);
                shared.publish(Some(text.clone()));
                eprintln!(
                    "{}: {why}the build failed; still serving the last good build\n{text}",
                    self.style.paint("31;1", "error")
                );
            }
        }
    }
}

/// Runs the preview server until the process is stopped.
pub fn serve(opts: ServeOptions, style: Style) -> Result<()> {
    let listener = bind(&opts.host, opts.port)?;
    let addr = listener.local_addr()?;
    let site =
        opts.build.site.canonicalize().with_context(|| {
            format!("cannot open the site folder {}", opts.build.site.display())
        })?;
    let out = real_path(&opts.build.output_dir());
    let shared = Arc::new(Shared {
        root: out.clone(),
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
    });
    let mut builder = Builder {
        memo: build::Memo::for_serve(
            opts.build
                .cache
                .as_deref()
                .map_or_else(Cache::memory, Cache::open),
        ),
        opts: opts.build.clone(),
        highlighter: Highlighter::new(),
        style,
        quiet: opts.quiet,
        last: None,
    };
    builder.rebuild(&shared, "", Instant::now(), None);

    // Watch before announcing the address, so no edit after the announcement is missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .context("cannot watch the site for changes")?;
    notify::Watcher::watch(&mut watcher, &site, notify::RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", site.display()))?;

    let url = format!("http://{addr}/");
    println!(
        "serving {} at {url} (watching for changes; Ctrl-C to stop)",
        opts.build.site.display()
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "{}: listening on {}, which other machines can reach",
            style.paint("33;1", "warning"),
            addr.ip()
        );
    }
    if opts.open {
        open_browser(&url);
    }

    let server_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = Arc::clone(&server_shared);
            std::thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
    });

    let verbose = opts.verbose;
    let relevant = |event: &notify::Event| -> Vec<(String, Change)> {
        use notify::EventKind;
        if matches!(event.kind, EventKind::Access(_)) {
            return Vec::new();
        }
        event
            .paths
            .iter()
            .filter(|p| !p.starts_with(&out))
            .filter_map(|p| {
                let rel = p.strip_prefix(&site).ok()?;
                classify(rel, None).map(|c| (rel.to_string_lossy().replace('\\', "/"), c))
            })
            .collect()
    };
    loop {
        let Ok(first) = rx.recv() else {
            bail!("the file watcher stopped")
        };
        let since = Instant::now();
        let mut changed: Vec<(String, Change)> = first.map(|e| relevant(&e)).unwrap_or_default();
        if changed.is_empty() {
            continue;
        }
        // Editors save in several steps (write, rename, chmod): take them as one change.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(20)) {
            changed.extend(more.map(|e| relevant(&e)).unwrap_or_default());
        }
        changed.sort();
        changed.dedup();
        let why = describe(&changed, builder.last.as_ref());
        if verbose {
            for (rel, kind) in &changed {
                eprintln!("changed: {rel} ({})", kind.name());
            }
        }
        let only_docs = changed.iter().all(|(_, kind)| *kind == Change::Doc);
        let docs: BTreeSet<String> = changed.iter().map(|(rel, _)| rel.clone()).collect();
        builder.rebuild(&shared, &why, since, only_docs.then_some(&docs));
    }
}

/// `1 doc changed (_a/x.md): ` and the like, for the rebuild line.
fn describe(changed: &[(String, Change)], last: Option<&Outcome>) -> String {
    let Some((rel, kind)) = changed.first() else {
        return String::new();
    };
    let includes: BTreeSet<String> = changed
        .iter()
        .filter(|(_, k)| *k == Change::Include)
        .map(|(r, _)| r.clone())
        .collect();
    let users = match last {
        Some(o) if !includes.is_empty() => {
            format!(", used by {} doc(s)", docs_using(o, &includes).len())
        }
        _ => String::new(),
    };
    let more = if changed.len() > 1 {
        format!(" and {} more", changed.len() - 1)
    } else {
        String::new()
    };
    format!("{rel} ({}){more} changed{users}: ", kind.name())
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if cmd.is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_serves_only_files_under_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        std::fs::create_dir_all(root.join("orders")).unwrap();
        std::fs::write(root.join("index.html"), "i").unwrap();
        std::fs::write(root.join("orders/index.html"), "o").unwrap();
        std::fs::write(root.join("a b.css"), "c").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        let real = root.canonicalize().unwrap();
        assert_eq!(resolve(&root, "/"), Resolved::File(real.join("index.html")));
        assert_eq!(
            resolve(&root, "/orders/"),
            Resolved::File(real.join("orders/index.html"))
        );
        assert_eq!(
            resolve(&root, "/orders"),
            Resolved::Redirect("/orders/".into())
        );
        assert_eq!(
            resolve(&root, "/a%20b.css"),
            Resolved::File(real.join("a b.css"))
        );
        assert_eq!(resolve(&root, "/nope.html"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/../secret.txt"), Resolved::Forbidden);
        assert_eq!(resolve(&root, "/%2e%2e/secret.txt"), Resolved::Forbidden);
        assert_eq!(
            resolve(&root, "/orders/..%2F..%2Fsecret.txt"),
            Resolved::Forbidden
        );
        assert_eq!(resolve(&root, "/%zz"), Resolved::BadRequest);
        assert_eq!(resolve(&root, "/a%00"), Resolved::BadRequest);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Resolved::Forbidden);
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = inject(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(html).unwrap();
        assert!(
            text.ends_with(&format!("<p>x</p>{LIVE_SCRIPT}</body></html>")),
            "{text}"
        );
        assert!(String::from_utf8(inject(b"<p>bare"))
            .unwrap()
            .ends_with(LIVE_SCRIPT));
    }

    #[test]
    fn sse_events_put_each_line_in_its_own_data_field() {
        assert_eq!(
            sse_event("build-error", "a.md:1:2: bad\n1 error"),
            "event: build-error\ndata: a.md:1:2: bad\ndata: 1 error\n\n"
        );
        assert_eq!(sse_event("reload", "3"), "event: reload\ndata: 3\n\n");
    }

    #[test]
    fn changes_are_classified_by_what_they_feed() {
        let mut o = Outcome::default();
        o.inputs.insert("_api/x.md".into());
        o.includes_by_doc
            .insert("_api/x.md".into(), ["objects/a.md".to_string()].into());
        o.includes_by_doc
            .insert("_api/y.md".into(), BTreeSet::new());
        let c = |p: &str| classify(Path::new(p), Some(&o));
        assert_eq!(c("_config.yml"), Some(Change::Config));
        assert_eq!(c("_api/x.md"), Some(Change::Doc));
        assert_eq!(c("_includes/objects/a.md"), Some(Change::Include));
        assert_eq!(c("_endpaper/templates/page.html"), Some(Change::Template));
        assert_eq!(c("_endpaper/assets/endpaper.css"), Some(Change::Asset));
        assert_eq!(c("images/logo.svg"), Some(Change::Asset));
        assert_eq!(c(".git/index"), None);
        assert_eq!(c("_api/.x.md.swp"), None);
        assert_eq!(c("_api/x.md~"), None);
        assert_eq!(c("_site/index.html"), None);
        let users = docs_using(&o, &["_includes/objects/a.md".to_string()].into());
        assert_eq!(users.into_iter().collect::<Vec<_>>(), vec!["_api/x.md"]);
    }

    #[test]
    fn a_busy_port_names_the_port_and_the_fix() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let e = bind("127.0.0.1", port).unwrap_err().to_string();
        assert!(
            e.contains(&format!("port {port}")) && e.contains("--port"),
            "{e}"
        );
    }
}
