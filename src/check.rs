//! `endpaper check`: everything a build would warn or fail on, plus link checks, printed
//! for people (rustc-style, with the source line underlined), for tools (one JSON object a
//! line) or for GitHub Actions (workflow annotations). Pure functions over a finished
//! [`Outcome`]; the CLI only decides where the text goes and the exit status.

use crate::build::{Outcome, SiteErrors};
use crate::diagnostics::{self, Diagnostic, Severity};
#[cfg(test)]
use crate::error::Pos;
use crate::error::SourceError;
use crate::model;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// A link to a doc that exists but is left out of this audience: dead here, and a leak of
/// the other audience's content (its name and anchor) into this one.
pub const HIDDEN_DOC: &str = "link-to-hidden-doc";
/// An `#anchor` that matches no doc, heading or section.
pub const BROKEN_ANCHOR: &str = "broken-anchor";
/// A relative link to a file the build does not write.
pub const BROKEN_LINK: &str = "broken-link";
pub use crate::diagnostics::BUILD_ERROR;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// True for links that leave the site: any URL scheme (`https:`, `mailto:`, `tel:` …)
/// or a protocol-relative `//host/…`.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !dest[..colon].contains('/')
}

/// Decodes `%XX` escapes; `None` for a malformed escape or one that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// An output-relative file path for a link's path part (`./a/../b/` → `b/index.html`);
/// `None` when it climbs out of the output root.
fn resolve_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(joined)
}

/// What a site's links may point at, gathered once from the outcome.
struct Targets<'a> {
    anchors: &'a BTreeMap<String, String>,
    headings: &'a BTreeSet<String>,
    sections: BTreeSet<String>,
    hidden: BTreeMap<String, (&'a str, &'a str)>,
    files: &'a BTreeSet<String>,
}

impl<'a> Targets<'a> {
    fn new(o: &'a Outcome) -> Self {
        // Sections with docs are the collections of the docs built (`_label/…`).
        let sections = o
            .anchors
            .values()
            .filter_map(|rel| rel.split('/').next())
            .map(|c| format!("section-{}", c.strip_prefix('_').unwrap_or(c)))
            .collect();
        let hidden = o
            .hidden
            .iter()
            .map(|(rel, aud)| (model::anchor_for(rel), (rel.as_str(), aud.as_str())))
            .collect();
        Targets {
            anchors: &o.anchors,
            headings: &o.heading_ids,
            sections,
            hidden,
            files: &o.files,
        }
    }

    /// Checks one fragment; `None` when it resolves.
    fn fragment(&self, frag: &str) -> Option<(&'static str, String)> {
        let frag = percent_decode(frag).unwrap_or_else(|| frag.to_string());
        if self.anchors.contains_key(&frag)
            || self.headings.contains(&frag)
            || self.sections.contains(&frag)
        {
            return None;
        }
        if let Some((rel, aud)) = self.hidden.get(&frag) {
            return Some((
                HIDDEN_DOC,
                format!("link to `#{frag}`, a doc of the `{aud}` audience ({rel}): it is not in this build, so the link is dead and names content this audience must not see"),
            ));
        }
        let hint = match self.closest(&frag) {
            Some((id, Some(rel))) => format!("; did you mean `#{id}` ({rel})?"),
            Some((id, None)) => format!("; did you mean `#{id}`?"),
            None => String::new(),
        };
        Some((
            BROKEN_ANCHOR,
            format!("link to `#{frag}`, which is no doc, heading or section of this build{hint}"),
        ))
    }

    /// The anchor a misspelt fragment most likely meant (a typo, `-` for `_`, a changed
    /// case), with the doc it names, as rustc and clap suggest names.
    fn closest(&self, frag: &str) -> Option<(&str, Option<&str>)> {
        let docs = self
            .anchors
            .iter()
            .map(|(a, rel)| (a.as_str(), Some(rel.as_str())));
        let others = self
            .headings
            .iter()
            .chain(&self.sections)
            .map(|a| (a.as_str(), None));
        crate::suggest::closest(frag, docs.chain(others), |(a, _)| a)
    }

    /// Checks one link destination; `None` when it resolves or leaves the site.
    fn check(&self, dest: &str) -> Option<(&'static str, String)> {
        if is_external(dest) || dest == "#" {
            return None;
        }
        let (before_frag, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = before_frag.split('?').next().unwrap_or("");
        if !path.is_empty() {
            let decoded = percent_decode(path).unwrap_or_else(|| path.to_string());
            let file = resolve_path(&decoded);
            let found = file.as_ref().is_some_and(|f| {
                self.files.contains(f) || self.files.contains(&format!("{f}/index.html"))
            });
            if !found {
                return Some((
                    BROKEN_LINK,
                    format!("link to `{dest}`, a file this build does not write"),
                ));
            }
        }
        match frag {
            Some(f) if !f.is_empty() => self.fragment(f),
            _ => None,
        }
    }
}

/// Findings for every link in every built doc (and the includes it pulled in) that does
/// not resolve in this audience's output.
pub fn link_findings(outcome: &Outcome) -> Vec<Diagnostic> {
    let targets = Targets::new(outcome);
    let mut found: Vec<Diagnostic> = outcome
        .links
        .iter()
        .filter_map(|(_, link)| {
            let (code, message) = targets.check(&link.dest)?;
            Some(Diagnostic::error(code, &link.file, link.pos, message))
        })
        .collect();
    diagnostics::normalize(&mut found);
    found
}

/// All findings of a successful check run: the build's own plus the link checks.
pub fn findings(outcome: &Outcome) -> Vec<Diagnostic> {
    let mut all = outcome.diagnostics.clone();
    all.extend(link_findings(outcome));
    if outcome.files.contains(crate::openapi::FILE) {
        all.extend(outcome.openapi.notes.iter().cloned());
    }
    diagnostics::normalize(&mut all);
    all
}

/// The located errors of a failed build as findings, or `None` when the failure is not
/// about the writer's files (missing site, unreadable folder …).
pub fn failure_findings(err: &anyhow::Error) -> Option<Vec<Diagnostic>> {
    if let Some(errors) = err.chain().find_map(|e| e.downcast_ref::<SiteErrors>()) {
        return Some(errors.0.iter().map(Diagnostic::from_source_error).collect());
    }
    // A single located error, such as one in `_config.yml`.
    let one = err.chain().find_map(|e| e.downcast_ref::<SourceError>())?;
    Some(vec![Diagnostic::from_source_error(one)])
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// The length of the token a finding points at: the run up to whitespace or a closing
/// delimiter, so a link destination is underlined whole.
fn token_len(rest: &str) -> usize {
    // A Liquid tag or output is underlined whole, as far as its line goes.
    for (open, close) in [("{{", "}}"), ("{%", "%}"), ("<%", "%>")] {
        if let Some(inner) = rest.strip_prefix(open) {
            let end = inner
                .find(close)
                .map_or(rest.len(), |e| open.len() + e + close.len());
            return rest[..end].chars().count().max(1);
        }
    }
    // A Liquid filter: its `|` and its name.
    if let Some(after) = rest.strip_prefix('|') {
        let name = after.trim_start();
        let word = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .count();
        return 1 + after.len() - name.len() + word;
    }
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '"' | '\'' | '>' | ']'))
        .count()
        .clamp(1, 80)
}

/// rustc-style: headline, `--> file:line:col`, and the source line (read from `site`)
/// with the spot underlined. `paint(style, text)` adds colour when wanted.
pub fn human(d: &Diagnostic, site: &Path, paint: &dyn Fn(&str, &str) -> String) -> String {
    let (word, colour) = match d.severity {
        Severity::Note => ("note", "36;1"),
        Severity::Warning => ("warning", "33;1"),
        Severity::Error => ("error", "31;1"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(colour, &format!("{word}[{}]", d.code)),
        paint("1", &format!(": {}", d.message))
    );
    let line_no = d.pos.line.to_string();
    let gutter = " ".repeat(line_no.len());
    let _ = writeln!(
        out,
        "{gutter}{} {}:{}:{}",
        paint("34;1", "-->"),
        d.file.display(),
        d.pos.line,
        d.pos.col
    );
    let source = std::fs::read(site.join(&d.file))
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    if let Some(line) = source
        .as_deref()
        .and_then(|s| s.lines().nth(d.pos.line.saturating_sub(1)))
    {
        let line = line.trim_end_matches('\r');
        let col = d.pos.col.max(1) - 1;
        // Keep tabs so the caret lines up with the source as the terminal shows it.
        let pad: String = line
            .chars()
            .take(col)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let rest: String = line.chars().skip(col).collect();
        let bar = paint("34;1", "|");
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(out, "{} {bar} {line}", paint("34;1", &line_no));
        let _ = writeln!(
            out,
            "{gutter} {bar} {pad}{}",
            paint(colour, &"^".repeat(token_len(&rest)))
        );
    }
    out
}

/// One JSON object (one line) per finding.
pub fn json(d: &Diagnostic) -> String {
    serde_json::json!({
        "severity": severity_word(d.severity),
        "code": d.code,
        "message": d.message,
        "file": d.file.to_string_lossy(),
        "line": d.pos.line,
        "column": d.pos.col,
    })
    .to_string()
}

/// Escapes for workflow-command properties and data (GitHub's rules).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// A GitHub Actions annotation; `prefix` is the site path as seen from the repository
/// root, so annotations land on the right file.
pub fn github(d: &Diagnostic, prefix: &Path) -> String {
    let file = prefix.join(&d.file);
    let file = file.strip_prefix("./").unwrap_or(&file);
    format!(
        "::{} file={},line={},col={},title={}::{}",
        match d.severity {
            // GitHub's word for an informational annotation.
            Severity::Note => "notice",
            s => severity_word(s),
        },
        gh_escape(&file.to_string_lossy(), true),
        d.pos.line,
        d.pos.col,
        gh_escape(&format!("endpaper {}", d.code), true),
        gh_escape(&d.message, false)
    )
}

/// `N errors, M warnings` (notes are neither).
pub fn tally(findings: &[Diagnostic]) -> (usize, usize) {
    let count = |s: Severity| findings.iter().filter(|d| d.severity == s).count();
    (count(Severity::Error), count(Severity::Warning))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Link;

    fn at(line: usize, col: usize) -> Pos {
        Pos::new(line, col)
    }

    fn outcome() -> Outcome {
        let mut o = Outcome::default();
        o.anchors
            .insert("ordersget_orders".into(), "_orders/get_orders.md".into());
        o.heading_ids.insert("request-body".into());
        o.hidden.push(("_ops/reindex.md".into(), "internal".into()));
        o.files.extend([
            "index.html".to_string(),
            "images/logo.svg".into(),
            "orders/index.html".into(),
        ]);
        o
    }

    fn codes(o: &mut Outcome, dests: &[&str]) -> Vec<Option<&'static str>> {
        o.links = dests
            .iter()
            .enumerate()
            .map(|(i, d)| {
                (
                    "_orders/get_orders.md".to_string(),
                    Link {
                        dest: d.to_string(),
                        file: "_orders/get_orders.md".into(),
                        pos: at(i + 1, 3),
                    },
                )
            })
            .collect();
        let found = link_findings(o);
        (0..dests.len())
            .map(|i| found.iter().find(|d| d.pos.line == i + 1).map(|d| d.code))
            .collect()
    }

    #[test]
    fn links_resolve_to_docs_headings_sections_and_files() {
        let mut o = outcome();
        let got = codes(
            &mut o,
            &[
                "#ordersget_orders",
                "#request-body",
                "#section-orders",
                "/#ordersget_orders",
                "index.html#ordersget_orders",
                "./images/logo.svg",
                "/images/logo.svg?v=2",
                "orders/",
                "https://example.com/#nope",
                "mailto:someone@example.com",
                "//cdn.example.com/x.js",
                "#",
                "%23nothing-real/../index.html",
            ],
        );
        assert!(got.iter().all(Option::is_none), "{got:?}");
    }

    #[test]
    fn broken_links_and_hidden_docs_get_their_own_codes() {
        let mut o = outcome();
        let got = codes(
            &mut o,
            &[
                "#no-such-thing",
                "/#missing",
                "images/nope.png",
                "../../etc/passwd",
                "#opsreindex",
                "index.html#opsreindex",
                "#section-ops",
            ],
        );
        assert_eq!(
            got,
            vec![
                Some(BROKEN_ANCHOR),
                Some(BROKEN_ANCHOR),
                Some(BROKEN_LINK),
                Some(BROKEN_LINK),
                Some(HIDDEN_DOC),
                Some(HIDDEN_DOC),
                Some(BROKEN_ANCHOR)
            ]
        );
        let found = link_findings(&o);
        assert!(
            found
                .iter()
                .all(|d| d.severity == Severity::Error
                    && d.file == Path::new("_orders/get_orders.md"))
        );
    }

    #[test]
    fn a_misspelt_anchor_suggests_the_one_it_most_likely_meant() {
        let mut o = outcome();
        o.anchors
            .insert("ordersget_order".into(), "_orders/get_order.md".into());
        codes(
            &mut o,
            &["#orders-get_orders", "#Request-Body", "#nothing-like-it"],
        );
        let messages: Vec<String> = link_findings(&o)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(
            messages[0].ends_with("; did you mean `#ordersget_orders` (_orders/get_orders.md)?"),
            "{messages:?}"
        );
        assert!(
            messages[1].ends_with("; did you mean `#request-body`?"),
            "{messages:?}"
        );
        assert!(
            messages[2].ends_with("of this build"),
            "no wild guesses: {messages:?}"
        );
    }

    #[test]
    fn a_link_in_a_shared_include_is_reported_once() {
        let mut o = outcome();
        let link = Link {
            dest: "#gone".into(),
            file: "_includes/x.md".into(),
            pos: at(2, 5),
        };
        o.links = vec![
            ("_a/one.md".into(), link.clone()),
            ("_a/two.md".into(), link),
        ];
        let found = link_findings(&o);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].to_string(), "_includes/x.md:2:5: error[broken-anchor]: link to `#gone`, which is no doc, heading or section of this build");
    }

    #[test]
    fn human_format_underlines_the_spot_in_the_source_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_a")).unwrap();
        std::fs::write(
            dir.path().join("_a/x.md"),
            "---\ntitle: x\n---\nSee [there](#gone) now.\n",
        )
        .unwrap();
        let d = Diagnostic::error(BROKEN_ANCHOR, "_a/x.md", at(4, 13), "link to `#gone`");
        let text = human(&d, dir.path(), &|_, t| t.to_string());
        assert_eq!(text, "error[broken-anchor]: link to `#gone`\n --> _a/x.md:4:13\n  |\n4 | See [there](#gone) now.\n  |             ^^^^^\n");
        // A file that cannot be read still gets the headline and location.
        let d = Diagnostic::warning("x", "_a/missing.md", at(1, 1), "m");
        assert_eq!(
            human(&d, dir.path(), &|_, t| t.to_string()),
            "warning[x]: m\n --> _a/missing.md:1:1\n"
        );
    }

    #[test]
    fn json_and_github_formats() {
        let d = Diagnostic::warning(
            "unknown-language",
            "_a/x.md",
            at(7, 1),
            "unknown code language `foo`: shown, 100%",
        );
        let v: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["code"], "unknown-language");
        assert_eq!(v["file"], "_a/x.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(7), Some(1))
        );
        assert_eq!(
            github(&d, Path::new("./docs")),
            "::warning file=docs/_a/x.md,line=7,col=1,title=endpaper unknown-language::unknown code language `foo`: shown, 100%25"
        );
    }

    #[test]
    fn failures_become_located_findings() {
        let e = SourceError::new("_includes/a.md", at(3, 7), "missing include `b.md`")
            .with_chain(vec![("_api/x.md".into(), at(10, 1))]);
        let err = anyhow::Error::new(SiteErrors(vec![e]));
        let found = failure_findings(&err).unwrap();
        assert_eq!(found[0].to_string(), "_includes/a.md:3:7: error[build-error]: missing include `b.md` (included from _api/x.md:10:1)");
        assert!(failure_findings(&anyhow::anyhow!("no _config.yml")).is_none());
    }

    #[test]
    fn percent_decoding_rejects_bad_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode("%"), None);
    }
}
