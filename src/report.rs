//! Console output for people: colour style, diagnostics, the one-line build summary, the
//! migration report and errors with their causes. `cli` and `serve` both print through here,
//! so neither imports the other.

use crate::build::Outcome;
use crate::diagnostics::{Diagnostic, Severity};
use std::io::{IsTerminal, Write};

/// How findings are painted: colour only on a terminal and never with NO_COLOR.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn stderr() -> Style {
        Style {
            color: std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

pub fn print_diagnostics(diags: &[Diagnostic], style: Style) {
    // Stderr is unbuffered: each piece of each line would be a write call of its own.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in diags {
        let (word, color) = match d.severity {
            Severity::Note => ("note", "36;1"),
            Severity::Warning => ("warning", "33;1"),
            Severity::Error => ("error", "31;1"),
        };
        let _ = writeln!(
            err,
            "{}: {} [{}]\n  --> {}:{}:{}",
            style.paint(color, word),
            d.message,
            d.code,
            d.file.display(),
            d.pos.line,
            d.pos.col
        );
    }
}

pub fn print_migration_report(outcome: &Outcome, style: Style) {
    let mut err = std::io::stderr().lock();
    if !outcome.structure.is_empty() {
        let _ = writeln!(
            err,
            "{}",
            style.paint("1", "note: the site's own pages, read with its layouts:")
        );
        for line in &outcome.structure {
            let _ = writeln!(err, "  {line}");
        }
    }
    if outcome.unused.is_empty() {
        return;
    }
    let _ = writeln!(
        err,
        "{}",
        style.paint(
            "1",
            "note: parts of this Jekyll site that endpaper does not use:"
        )
    );
    for u in &outcome.unused {
        let _ = writeln!(err, "  {} ({}): {}", u.rel, u.what, u.instead);
    }
}

/// `n thing` or `n things`.
pub fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// The one line every build ends with.
pub fn summary(o: &Outcome) -> String {
    let warnings = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    format!(
        "built {} in {} for `{}` ({}, {}) → {} in {:.2}s{}",
        count(o.docs, "doc"),
        count(o.sections, "section"),
        o.audience,
        count(o.pages, "page"),
        count(warnings, "warning"),
        o.output
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string()),
        o.elapsed.as_secs_f64(),
        if o.unchanged {
            " (nothing changed since the last build)"
        } else {
            ""
        }
    )
}

/// The line `--strict` fails with when only warnings were found.
pub fn print_strict_failure(warnings: usize, style: Style) {
    eprintln!(
        "{}: --strict: {} count as errors",
        style.paint("31;1", "error"),
        count(warnings, "warning")
    );
}

/// Prints an error with its whole cause chain (template engines hide the real cause).
pub fn print_error(e: &anyhow::Error, style: Style) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}: {e}", style.paint("31;1", "error"));
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "doc"), "1 doc");
        assert_eq!(count(0, "warning"), "0 warnings");
        assert_eq!(count(2, "page"), "2 pages");
    }

    #[test]
    fn paint_colours_only_when_asked() {
        assert_eq!(Style { color: false }.paint("1", "x"), "x");
        assert_eq!(Style { color: true }.paint("1", "x"), "\x1b[1mx\x1b[0m");
    }
}
