//! The preview server's HTTP side: hyper (HTTP/1.1) on a single-threaded tokio runtime in a
//! thread of its own, so the watch-and-rebuild loop stays plain blocking code.
//!
//! A connection is a task, not a thread, so slow clients cost memory, not threads; and the
//! number of open connections is bounded (`max_connections`): one more is answered
//! `503 Service Unavailable` and closed. A client must send a request's head within
//! `HEADER_TIMEOUT` (hyper's header-read timer, which also closes idle keep-alive
//! connections), so a slowloris client frees its slot. Files are read on tokio's blocking
//! pool, so a large file never stalls the other connections. Only files inside the output
//! folder are served (decoded `..` is refused and the resolved file must lie under the
//! canonical output root).

use crate::links::percent_decode;
use bytes::Bytes;
use http_body::Frame;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, watch, Semaphore};

/// Where the event stream is served; no site file can have this path (it is not written).
pub const EVENTS_PATH: &str = "/__endpaper/events";

/// The live-reload script and overlay (`assets/livereload.js`), added before `</body>` of
/// every HTML response.
pub const LIVE_SCRIPT: &str = include_str!("../../assets/livereload.js");

/// How long a client may take to send a request's head (and how long a keep-alive
/// connection may sit idle): a browser sends it at once, a slowloris client never does.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Open connections allowed by default (`--max-connections`): far above what a few tabs
/// use (a browser opens at most 6 per host, plus one event stream per tab), and within the
/// 1,024 open files Linux allows a process by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Request heads larger than this are refused (hyper answers 431); loopback cookies of
/// every local project share one jar, so this is generous.
const MAX_HEAD: usize = 64 * 1024;

/// Files read at once on the blocking pool; more wait their turn.
const FILE_READERS: usize = 4;

/// Connections being told "busy" at once; beyond this they are just closed.
const REFUSALS: usize = 16;

/// What the tabs are told: a counter bumped after each build, the error of the last build
/// if it failed, else the warnings of the good build being served (one a line).
#[derive(Debug, Default, Clone)]
pub struct Status {
    pub generation: u64,
    pub error: Option<String>,
    pub warnings: String,
}

/// Runs the server on `listener` in a new thread; tabs follow `status`.
pub fn spawn(
    listener: std::net::TcpListener,
    root: PathBuf,
    status: watch::Receiver<Status>,
    max_connections: usize,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(FILE_READERS)
        .build()?;
    std::thread::Builder::new()
        .name("endpaper-serve-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => accept(listener, root, status, max_connections).await,
                    Err(e) => eprintln!("error: the preview server cannot listen: {e}"),
                }
            })
        })?;
    Ok(())
}

struct Shared {
    root: PathBuf,
    status: watch::Receiver<Status>,
}

async fn accept(
    listener: tokio::net::TcpListener,
    root: PathBuf,
    status: watch::Receiver<Status>,
    max_connections: usize,
) {
    let shared = Arc::new(Shared { root, status });
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(REFUSALS));
    let mut warned = false;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait for connections to close
                // instead of spinning on the error.
                eprintln!("warning: the preview server cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            if !warned {
                warned = true;
                eprintln!(
                    "warning: {max_connections} connections are open, the most `endpaper serve` allows (--max-connections); further ones are answered 503 until some close"
                );
            }
            if let Ok(turn) = Arc::clone(&refusals).try_acquire_owned() {
                tokio::spawn(async move {
                    let _turn = turn;
                    refuse(stream).await;
                });
            }
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(handle(req, &shared).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Answers a connection over the bound with a 503, and reads what the client sent (for a
/// moment) before closing, so its request is not met with a reset instead of the answer.
async fn refuse(mut stream: tokio::net::TcpStream) {
    const WHY: &str = "endpaper serve: too many open connections (--max-connections); retry\n";
    let busy = format!("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{WHY}", WHY.len());
    let sent = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(busy.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
    if matches!(sent, Ok(Ok(()))) {
        let mut sink = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
    }
}

type Body = UnsyncBoxBody<Bytes, Infallible>;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed_unsync()
}

fn response(status: StatusCode, content_type: &'static str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !content_type.is_empty() {
        h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    r
}

async fn handle(req: Request<Incoming>, shared: &Shared) -> Response<Body> {
    // hyper leaves out the body of an answer to HEAD.
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = response(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            full("only GET and HEAD\n"),
        );
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path().to_string();
    if path == EVENTS_PATH {
        return events(shared.status.clone());
    }
    let root = shared.root.clone();
    let read = tokio::task::spawn_blocking(move || read_file(&root, &path)).await;
    let Ok(answer) = read else {
        return response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            full("endpaper serve: reading the file failed\n"),
        );
    };
    match answer {
        Answer::File(content_type, bytes) => response(StatusCode::OK, content_type, full(bytes)),
        Answer::Redirect(to) => {
            let mut r = response(StatusCode::MOVED_PERMANENTLY, "", full(""));
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(LOCATION, v);
            }
            r
        }
        Answer::NotFound(page) => response(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            full(page),
        ),
        Answer::Forbidden => response(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            full("forbidden: only files inside the output folder are served\n"),
        ),
        Answer::BadRequest => response(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            full("bad request\n"),
        ),
    }
}

/// What a request path gets, read from disk (on the blocking pool).
enum Answer {
    File(&'static str, Vec<u8>),
    Redirect(String),
    NotFound(Vec<u8>),
    Forbidden,
    BadRequest,
}

fn read_file(root: &Path, path: &str) -> Answer {
    match resolve(root, path) {
        Resolved::File(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let ctype = content_type(&file);
                let body = if ctype.starts_with("text/html") {
                    inject(&bytes)
                } else {
                    bytes
                };
                Answer::File(ctype, body)
            }
            Err(_) => Answer::NotFound(not_found_page(root)),
        },
        Resolved::Redirect(to) => Answer::Redirect(to),
        // Browsers ask for it whatever the page links (a page of text has no link): a site
        // without one of its own gets endpaper's, not a 404 in the console.
        Resolved::NotFound if path == "/favicon.ico" => {
            Answer::File("image/svg+xml", own_icon().to_vec())
        }
        Resolved::NotFound => Answer::NotFound(not_found_page(root)),
        Resolved::Forbidden => Answer::Forbidden,
        Resolved::BadRequest => Answer::BadRequest,
    }
}

/// endpaper's icon, the one the built-in page links when the site has none.
fn own_icon() -> &'static [u8] {
    crate::render::ASSETS
        .iter()
        .find(|(name, _)| *name == crate::render::FAVICON)
        .map_or(&[], |(_, bytes)| *bytes)
}

/// The site's `404.html`, or a plain page when the build wrote none.
fn not_found_page(root: &Path) -> Vec<u8> {
    std::fs::read(root.join("404.html"))
        .map(|b| inject(&b))
        .unwrap_or_else(|_| inject(b"<!doctype html><title>Not found</title><h1>Not found</h1>"))
}

/// The event stream of one tab: `reload` after each good build, `build-error` after each
/// failed one, `build-warnings` when the warnings of the build shown change after its
/// reload (its links are checked last); on connecting, what the tab must show now (the
/// last build's error, or the
/// warnings of the build it is showing, which it loaded after that build's `reload`), then
/// `hello` (the script marks the page: it shows what it must); a comment every 15 s so a closed tab is noticed (the write fails) and its task ends.
fn events(mut status: watch::Receiver<Status>) -> Response<Body> {
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        let now = status.borrow_and_update().clone();
        // A change within the build shown (the same generation) amends its warnings.
        let mut shown = now.generation;
        let mut first = String::from("retry: 1000\n\n");
        match now.error {
            Some(e) => first.push_str(&sse_event("build-error", &e)),
            None if !now.warnings.is_empty() => {
                first.push_str(&sse_event("build-warnings", &now.warnings));
            }
            None => {}
        }
        first.push_str(&sse_event("hello", &now.generation.to_string()));
        if tx.send(first.into()).await.is_err() {
            return;
        }
        loop {
            let message =
                match tokio::time::timeout(Duration::from_secs(15), status.changed()).await {
                    Err(_) => ": still here\n\n".to_string(),
                    Ok(Err(_)) => return,
                    Ok(Ok(())) => after_change(&status.borrow_and_update(), &mut shown),
                };
            if tx.send(message.into()).await.is_err() {
                return;
            }
        }
    });
    response(
        StatusCode::OK,
        "text/event-stream",
        EventStream { rx }.boxed_unsync(),
    )
}

/// A response body fed by the tab's event task; dropped (ending the task) when the tab goes.
struct EventStream {
    rx: mpsc::Receiver<Bytes>,
}

impl http_body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.rx.poll_recv(cx).map(|m| m.map(|b| Ok(Frame::data(b))))
    }
}

/// One SSE data field per line, as the format requires.
/// The event a tab showing build `shown` is sent when the status changes: the error of a
/// failed build, a reload for a new good build (now `shown`), or the amended warnings of
/// the build it shows. Changes in a row may reach the tab as one (the channel keeps only
/// the last): a reload then carries the amended warnings, heard on connecting again.
fn after_change(s: &Status, shown: &mut u64) -> String {
    match &s.error {
        Some(e) => sse_event("build-error", e),
        None if s.generation == *shown => sse_event("build-warnings", &s.warnings),
        None => {
            *shown = s.generation;
            sse_event("reload", &s.generation.to_string())
        }
    }
}

pub fn sse_event(name: &str, data: &str) -> String {
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

/// Inserts the live-reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + LIVE_SCRIPT.len() + 20);
    out.push_str(&text[..at]);
    out.push_str("<script>");
    out.push_str(LIVE_SCRIPT);
    out.push_str("</script>");
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
    fn favicon_ico_is_the_sites_own_else_endpapers_icon() {
        let tmp = tempfile::tempdir().unwrap();
        let Answer::File(kind, body) = read_file(tmp.path(), "/favicon.ico") else {
            panic!("a site without favicon.ico gets endpaper's icon, not a 404");
        };
        assert_eq!((kind, body.as_slice()), ("image/svg+xml", own_icon()));
        assert!(own_icon().starts_with(b"<svg"));
        std::fs::write(tmp.path().join("favicon.ico"), "mine").unwrap();
        let Answer::File(kind, body) = read_file(tmp.path(), "/favicon.ico") else {
            panic!("the site's own icon is served");
        };
        assert_eq!(
            (kind, body.as_slice()),
            ("image/x-icon", b"mine".as_slice())
        );
        assert!(matches!(
            read_file(tmp.path(), "/favicon.png"),
            Answer::NotFound(_)
        ));
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let script = format!("<script>{LIVE_SCRIPT}</script>");
        let html = inject(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(html).unwrap();
        assert!(
            text.ends_with(&format!("<p>x</p>{script}</body></html>")),
            "{text}"
        );
        assert!(String::from_utf8(inject(b"<p>bare"))
            .unwrap()
            .ends_with(&script));
        assert!(LIVE_SCRIPT.contains(EVENTS_PATH));
    }

    #[test]
    fn a_tab_reloads_for_a_new_build_and_hears_its_amended_warnings_without_one() {
        let mut shown = 1;
        let status = |generation, error: Option<&str>, warnings: &str| Status {
            generation,
            error: error.map(str::to_string),
            warnings: warnings.to_string(),
        };
        let sent = after_change(&status(2, None, ""), &mut shown);
        assert_eq!((sent.as_str(), shown), ("event: reload\ndata: 2\n\n", 2));
        let sent = after_change(
            &status(2, None, "a.md:1:2: link [broken-anchor]"),
            &mut shown,
        );
        assert_eq!(
            sent,
            "event: build-warnings\ndata: a.md:1:2: link [broken-anchor]\n\n"
        );
        let sent = after_change(&status(3, Some("a.md:1:1: bad"), ""), &mut shown);
        assert_eq!(
            (sent.as_str(), shown),
            ("event: build-error\ndata: a.md:1:1: bad\n\n", 2)
        );
        let sent = after_change(&status(4, None, ""), &mut shown);
        assert!(sent.starts_with("event: reload"));
    }

    #[test]
    fn sse_events_put_each_line_in_its_own_data_field() {
        assert_eq!(
            sse_event("build-error", "a.md:1:2: bad\n1 error"),
            "event: build-error\ndata: a.md:1:2: bad\ndata: 1 error\n\n"
        );
        assert_eq!(sse_event("reload", "3"), "event: reload\ndata: 3\n\n");
    }
}
