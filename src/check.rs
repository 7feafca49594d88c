//! `endpaper check`: everything a build would warn or fail on, plus link checks, printed
//! for people (rustc-style, with the source line underlined), for tools (one JSON object a
//! line) or for GitHub Actions (workflow annotations). Pure functions over a finished
//! [`Outcome`]; the CLI only decides where the text goes and the exit status.

use crate::build::{Outcome, SiteErrors};
use crate::diagnostics::{self, Diagnostic, Severity};
#[cfg(test)]
use crate::error::Pos;
use crate::error::SourceError;
pub use crate::links::{BROKEN_ANCHOR, BROKEN_LINK, HIDDEN_DOC};
use std::fmt::Write as _;
use std::path::Path;

pub use crate::diagnostics::BUILD_ERROR;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// All findings of a successful check run: the build's own (its link checks among them)
/// and the OpenAPI export's notes.
pub fn findings(outcome: &Outcome) -> Vec<Diagnostic> {
    let mut all = outcome.diagnostics.clone();
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
        "message": &*d.message,
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

    fn at(line: usize, col: usize) -> Pos {
        Pos::new(line, col)
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
}
