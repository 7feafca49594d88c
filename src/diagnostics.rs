//! Warnings (and errors found while checking) collected across a build and shown once.
//! A build never prints as it goes: every stage returns its findings, the caller merges
//! them in a deterministic order, and `--strict` turns warnings into a failure.

use crate::error::Pos;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something `check` reports for information (an export field it could not infer);
    /// never an error, not even with `--strict`.
    Note,
    Warning,
    Error,
}

/// One finding about one place in the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-language`.
    pub code: &'static str,
    pub message: String,
    /// Site-relative path of the file the finding is about.
    pub file: PathBuf,
    pub pos: Pos,
}

/// A located error that makes the build fail.
pub const BUILD_ERROR: &str = "build-error";

impl Diagnostic {
    /// A located error as an error finding, with the include chain that reached it.
    pub fn from_source_error(e: &crate::error::SourceError) -> Self {
        let message = format!("{}{}", e.message, crate::error::included_from(&e.chain));
        Diagnostic::error(BUILD_ERROR, &e.path, e.pos, message)
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<PathBuf>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            file: file.into(),
            pos,
        }
    }

    pub fn note(
        code: &'static str,
        file: impl Into<PathBuf>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::warning(code, file, pos, message)
        }
    }

    pub fn error(
        code: &'static str,
        file: impl Into<PathBuf>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::warning(code, file, pos, message)
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {kind}[{}]: {}",
            self.file.display(),
            self.pos.line,
            self.pos.col,
            self.code,
            self.message
        )
    }
}

/// Sorts findings by file, position and code so output never depends on thread timing,
/// and drops exact repeats (an include used by many docs warns once).
pub fn normalize(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.code, &a.message).cmp(&(&b.file, b.pos, b.code, &b.message))
    });
    diags.dedup();
}
