//! `endpaper serve`: build, serve the output folder over HTTP on loopback, watch the site and
//! rebuild on change, and tell open tabs to reload over Server-Sent Events. A failed rebuild
//! leaves the last good output in place (the build swaps output in only on success) and
//! sends the error to the tabs as an overlay; the next good build clears it by reloading,
//! and the tabs then show that build's warnings.
//!
//! The HTTP side (`http`) runs on hyper in a thread of its own; this module is the watch
//! and rebuild loop, which publishes each build's result to it over a `watch` channel.

mod http;

pub use http::DEFAULT_MAX_CONNECTIONS;

use crate::build::{self, BuildOptions, Outcome};
use crate::diagnostics::{Diagnostic, Severity};
use crate::highlight::Highlighter;
use crate::report::{self, Style};
use anyhow::{bail, Context, Result};
use http::Status;
use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::net::{TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub host: String,
    /// 0 picks a free port (printed on start).
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Open connections served at once; more are answered 503.
    pub max_connections: usize,
}

/// The tabs' side of the builds: each build bumps the generation and sets the error or the
/// warnings; the server's event streams watch it.
struct Tabs(watch::Sender<Status>);

impl Tabs {
    fn publish(&self, error: Option<String>, warnings: String) {
        self.0.send_modify(|s| {
            s.generation += 1;
            s.error = error;
            s.warnings = warnings;
        });
    }

    /// The warnings of the build being served, when they grew after its reload was sent
    /// (link checks wait for the machine files): the tabs are told without reloading.
    fn amend_warnings(&self, warnings: String) {
        self.0.send_if_modified(|s| {
            let changed = s.error.is_none() && s.warnings != warnings;
            if changed {
                s.warnings = warnings;
            }
            changed
        });
    }
}

/// How many warnings the overlay lists; the rest are counted. A site with thousands (every
/// link of a generated site broken, say) would otherwise send megabytes to each tab on
/// every save, for a strip no writer reads to its end: `check` lists them all.
const STRIP_WARNINGS: usize = 200;

/// A build's warnings for the overlay, one a line: `file:line:col: message [code]`, at most
/// [`STRIP_WARNINGS`] of them and then a line counting the others.
/// Notes (the OpenAPI export's gaps) are for `check`, not for the writer's preview.
fn warning_lines(diags: &[Diagnostic]) -> String {
    let warnings = diags.iter().filter(|d| d.severity >= Severity::Warning);
    let mut lines: String = warnings
        .clone()
        .take(STRIP_WARNINGS)
        .map(|d| {
            format!(
                "{}:{}:{}: {} [{}]\n",
                d.file.display(),
                d.pos.line,
                d.pos.col,
                d.message,
                d.code
            )
        })
        .collect();
    let more = warnings.count().saturating_sub(STRIP_WARNINGS);
    if more > 0 {
        lines.push_str(&format!(
            "… and {more} more warnings: `endpaper check` lists every one\n"
        ));
    }
    lines
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

/// Whether a file name is one an editor or tool makes while saving, not a file of the
/// site: the save that follows (a rename onto the real name, a write of it) is the change.
/// Vim's write test (`4913`, then 123 further while taken) and swap files (`.swp` down to
/// `.swa`, `.swx`), `~` backups, GNU `sed -i`'s `sedXXXXXX`, JetBrains' safe-write files
/// (`___jb_tmp___`, `___jb_old___`), Emacs' `#auto-save#` files (its `.#` locks are
/// hidden files, skipped with every dot-file).
pub fn is_editor_temp(name: &str) -> bool {
    let vim_probe = name
        .parse::<u32>()
        .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0 && !name.starts_with('0'));
    let vim_swap = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && is_vim_swap_ext(ext));
    // Its six random letters and digits; one not a lowercase letter tells it from a word
    // (`sedentary`), which misses one sed temp file in 200 (then a save rebuilds twice).
    let sed = name.len() == 9
        && name.starts_with("sed")
        && name[3..].bytes().all(|b| b.is_ascii_alphanumeric())
        && !name[3..].bytes().all(|b| b.is_ascii_lowercase());
    vim_probe
        || vim_swap
        || sed
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || (name.len() > 2 && name.starts_with('#') && name.ends_with('#'))
}

/// `swp`, `swo`, … `swa` (vim takes the next letter down while one is taken) and `swx`.
fn is_vim_swap_ext(ext: &str) -> bool {
    matches!(ext.as_bytes(), [b's', b'w', b'a'..=b'p' | b'x'])
}

/// Classifies a site-relative path, or `None` for files a build never reads (hidden
/// files, editors' temporary files, Jekyll output, dependency folders).
pub fn classify(rel: &Path, outcome: Option<&Outcome>) -> Option<Change> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    if parts.iter().any(|p| p.starts_with('.')) || parts.last().is_some_and(|n| is_editor_temp(n)) {
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
    highlighter: Highlighter,
    /// The last build's docs, pages and highlighted samples, so a rebuild redoes only
    /// what the change touched.
    session: build::Session,
    style: Style,
    quiet: bool,
    last: Option<Outcome>,
    /// Whether the first build has run.
    started: bool,
}

impl Builder {
    /// One rebuild; `changed_docs` when only existing docs changed. When the first build
    /// fails for a reason that is not in the site's files (an unknown audience, no
    /// `_config.yml`, an output folder endpaper may not replace), the error is returned:
    /// `serve` stops as `build` does. Any other failure is printed and shown to the tabs.
    fn rebuild(
        &mut self,
        tabs: &Tabs,
        why: &str,
        since: Instant,
        changed_docs: Option<&BTreeSet<String>>,
    ) -> Result<()> {
        let first = !std::mem::replace(&mut self.started, true);
        let mut sent = since.elapsed();
        match self.session.build(
            &self.highlighter,
            self.last.as_ref(),
            changed_docs,
            &mut |o| {
                tabs.publish(None, warning_lines(&o.diagnostics));
                sent = since.elapsed();
            },
        ) {
            Ok(o) => {
                tabs.amend_warnings(warning_lines(&o.diagnostics));
                // Each finding is printed once: a save that leaves them as they were
                // prints its summary (which counts them) and not the same list again.
                let seen = self.last.as_ref().map(|l| &l.diagnostics) == Some(&o.diagnostics);
                if !self.quiet && !seen {
                    report::print_diagnostics(&o.diagnostics, self.style);
                }
                if !self.quiet {
                    let timing = if why.is_empty() {
                        String::new()
                    } else {
                        format!("; reload sent {} ms after the change", sent.as_millis())
                    };
                    println!("{why}{}{timing}", report::summary(&o));
                }
                self.last = Some(o);
            }
            Err(e) if first && crate::check::failure_findings(&e).is_none() => return Err(e),
            Err(e) => {
                let text = error_text(&e);
                tabs.publish(Some(text.clone()), String::new());
                let serving = if self.last.is_some() {
                    "still serving the last good build"
                } else {
                    "there is no good build to serve yet; save a fix to build again"
                };
                eprintln!(
                    "{}: {why}the build failed; {serving}\n{text}",
                    self.style.paint("31;1", "error")
                );
            }
        }
        Ok(())
    }
}

/// Runs the preview server until the process is stopped.
pub fn serve(opts: ServeOptions, style: Style) -> Result<()> {
    let listener = bind(&opts.host, opts.port)?;
    let addr = listener.local_addr()?;
    let (status, watching) = watch::channel(Status::default());
    let tabs = Tabs(status);
    let mut builder = Builder {
        session: build::Session::new(opts.build.clone(), build::Mode::Serve),
        highlighter: Highlighter::new(),
        style,
        quiet: opts.quiet,
        last: None,
        started: false,
    };
    // The first build checks what `build` checks before anything is watched or served.
    builder.rebuild(&tabs, "", Instant::now(), None)?;
    let site =
        opts.build.site.canonicalize().with_context(|| {
            format!("cannot open the site folder {}", opts.build.site.display())
        })?;
    let out = real_path(&opts.build.output_dir());

    // Watch before announcing the address, so no edit after the announcement is missed.
    // A change to the site also stops the machine files of a rebuild still being written
    // (the next rebuild writes them): a save is not kept waiting behind the last one's.
    let pending = Arc::new(AtomicBool::new(false));
    builder
        .session
        .interrupt_machine_files_on(Arc::clone(&pending));
    let (tx, rx) = mpsc::channel();
    let (flag, watched, skipped) = (Arc::clone(&pending), site.clone(), out.clone());
    // Only events that may change the site's files reach the loop, each with those files.
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(e) = res else {
            return;
        };
        if !Save::changes(&e.kind) {
            return;
        }
        let changes = site_changes(&e, &watched, &skipped);
        if !changes.is_empty() {
            flag.store(true, Ordering::Relaxed);
            let _ = tx.send((e.kind, changes));
        }
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

    http::spawn(listener, out.clone(), watching, opts.max_connections)
        .context("cannot start the preview server")?;

    let verbose = opts.verbose;
    loop {
        let Ok((kind, changes)) = rx.recv() else {
            bail!("the file watcher stopped")
        };
        let since = Instant::now();
        let mut save = Save::default();
        save.add(&kind, changes);
        while let Ok((kind, changes)) = rx.recv_timeout(save.wait()) {
            save.add(&kind, changes);
        }
        let mut changed = save.changed;
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
        pending.store(false, Ordering::Relaxed);
        builder.rebuild(&tabs, &why, since, only_docs.then_some(&docs))?;
    }
}

/// The site's files an event is about (never the output's), with what kind of input each is.
fn site_changes(event: &notify::Event, site: &Path, out: &Path) -> Vec<(String, Change)> {
    event
        .paths
        .iter()
        .filter(|p| !p.starts_with(out))
        .filter_map(|p| {
            let rel = p.strip_prefix(site).ok()?;
            classify(rel, None).map(|c| (rel.to_string_lossy().replace('\\', "/"), c))
        })
        .collect()
}

/// How long a save may still be going on after an event that leaves a file half written
/// (a truncation, a write, a new file): editors save in several steps (write, rename,
/// chmod), taken as one change.
const QUIET: Duration = Duration::from_millis(20);
/// How long to wait for more once every file changed is whole, for the other files of a
/// save that touches several (a checkout, a rename of a folder).
const WHOLE: Duration = Duration::from_millis(2);

/// One save's events, gathered for one rebuild. A file closed after writing, renamed or
/// removed is whole (inotify reports the close), so the rebuild need not wait for quiet:
/// that wait was a third of a save-to-reload. Where the watcher reports no closes (FSEvents,
/// kqueue), every save waits for [`QUIET`].
#[derive(Default)]
struct Save {
    changed: Vec<(String, Change)>,
    /// Files changed since they were last whole.
    open: BTreeSet<String>,
}

impl Save {
    /// Whether an event of this kind may change a file (reading one does not).
    fn changes(kind: &notify::EventKind) -> bool {
        use notify::event::{AccessKind, AccessMode};
        !matches!(kind, notify::EventKind::Access(a) if *a != AccessKind::Close(AccessMode::Write))
    }

    fn add(&mut self, kind: &notify::EventKind, paths: Vec<(String, Change)>) {
        use notify::event::{AccessKind, AccessMode, ModifyKind};
        use notify::EventKind;
        if !Save::changes(kind) {
            return;
        }
        let whole = matches!(
            kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
                | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_))
                | EventKind::Remove(_)
        );
        for (rel, change) in paths {
            if whole {
                self.open.remove(&rel);
            } else {
                self.open.insert(rel.clone());
            }
            self.changed.push((rel, change));
        }
    }

    /// How long to wait for the save's next event.
    fn wait(&self) -> Duration {
        if self.open.is_empty() {
            WHOLE
        } else {
            QUIET
        }
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

    #[test]
    fn a_save_waits_for_quiet_until_each_file_is_closed_renamed_or_removed() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
        };
        use notify::EventKind;
        let doc = |rel: &str| vec![(rel.to_string(), Change::Doc)];
        let mut save = Save::default();
        // Written in place: truncated, written, closed.
        save.add(
            &EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            doc("_a/x.md"),
        );
        assert_eq!(save.wait(), QUIET);
        save.add(&EventKind::Access(AccessKind::Read), doc("_b/y.md"));
        save.add(
            &EventKind::Access(AccessKind::Close(AccessMode::Write)),
            doc("_a/x.md"),
        );
        assert_eq!(save.wait(), WHOLE);
        // A read is no change (the close is the same file's, deduplicated at the rebuild).
        assert!(save.changed.iter().all(|(rel, _)| rel == "_a/x.md"));
        // Saved through a temp file: created (still open), then renamed into place.
        save.add(&EventKind::Create(CreateKind::File), doc("_a/z.md"));
        assert_eq!(save.wait(), QUIET);
        save.add(
            &EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            doc("_a/z.md"),
        );
        save.add(
            &EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)),
            doc("_a/z.md"),
        );
        assert_eq!(save.wait(), WHOLE);
        // A watcher without closes: every save waits for quiet.
        let mut other = Save::default();
        other.add(&EventKind::Modify(ModifyKind::Any), doc("_a/x.md"));
        assert_eq!(other.wait(), QUIET);
        other.add(&EventKind::Remove(RemoveKind::File), doc("_a/x.md"));
        assert_eq!(other.wait(), WHOLE);
        assert_eq!(other.changed.len(), 2);
    }
    use super::*;

    #[test]
    fn changes_are_classified_by_what_they_feed() {
        let mut o = Outcome::default();
        o.inputs.insert("_api/x.md".into());
        o.includes_by_doc.insert(
            "_api/x.md".into(),
            Arc::new(["objects/a.md".to_string()].into()),
        );
        o.includes_by_doc.insert("_api/y.md".into(), Arc::default());
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
        // Editors' temporary files are no change of the site; the real names are.
        for temp in [
            "_api/4913",
            "_api/5036",
            "_api/x.md.swp",
            "_api/x.swo",
            "_api/x.md.swx",
            "_api/x.md~",
            "_api/sedeo4VaP",
            "_api/x.md___jb_tmp___",
            "_api/x.md___jb_old___",
            "_api/#x.md#",
            "_api/.#x.md",
            "images/4913",
        ] {
            assert_eq!(c(temp), None, "{temp}");
        }
        for real in [
            "images/sedan.md",
            "images/4914",
            "images/04913",
            "images/sedentary",
            "images/swap.svg",
            "images/x.swz",
            "images/#1",
            "images/a#b#",
        ] {
            assert_eq!(c(real), Some(Change::Asset), "{real}");
        }
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

    #[test]
    fn the_strip_lists_the_first_warnings_and_counts_the_rest() {
        let pos = crate::error::Pos { line: 3, col: 7 };
        let mut diags: Vec<Diagnostic> = (0..STRIP_WARNINGS + 5)
            .map(|i| Diagnostic::warning("broken-anchor", "_a/x.md", pos, format!("link {i}")))
            .collect();
        diags.push(Diagnostic::note("openapi-gap", "_a/x.md", pos, "a note"));
        let lines = warning_lines(&diags);
        assert_eq!(lines.lines().count(), STRIP_WARNINGS + 1, "{lines}");
        assert!(
            lines.starts_with("_a/x.md:3:7: link 0 [broken-anchor]\n"),
            "{lines}"
        );
        assert!(lines.ends_with("… and 5 more warnings: `endpaper check` lists every one\n"));
        assert!(!lines.contains("a note"));
        diags.truncate(2);
        assert_eq!(warning_lines(&diags).lines().count(), 2);
    }
}
