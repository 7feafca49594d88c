//! Warnings (and errors found while checking) collected across a build and shown once.
//! A build never prints as it goes: every stage returns its findings, the caller merges
//! them in a deterministic order, and `--strict` turns warnings into a failure.

use crate::error::Pos;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something `check` reports for information (an export field it could not infer);
    /// never an error, not even with `--strict`.
    Note,
    Warning,
    Error,
}

/// One finding about one place in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-language`.
    pub code: &'static str,
    /// Shared, as `file` is: the link check finds a site's broken links by the hundred
    /// thousand, to a few destinations (one message each) from files it already names.
    pub message: Arc<str>,
    /// Site-relative path of the file the finding is about.
    pub file: Arc<Path>,
    pub pos: Pos,
}

/// A diagnostic as written to (and read from) the reuse store, a stamp or `--format json`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved<'a> {
    severity: Severity,
    code: Cow<'a, str>,
    message: Cow<'a, str>,
    file: Cow<'a, Path>,
    pos: Pos,
}

impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (code, message) = (self.code.into(), (*self.message).into());
        let (severity, file, pos) = (self.severity, (*self.file).into(), self.pos);
        Saved {
            severity,
            code,
            message,
            file,
            pos,
        }
        .serialize(s)
    }
}

/// Read back (from the reuse store or a stamp) with its code the one static text of its
/// name: codes are a few dozen names, so each is leaked once at most.
impl<'de> serde::Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        static CODES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
            std::sync::Mutex::new(std::collections::BTreeSet::new());
        let s = Saved::deserialize(d)?;
        let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
        let code = match codes.get(&*s.code) {
            Some(known) => known,
            None => {
                let leaked: &'static str = Box::leak(s.code.into_owned().into_boxed_str());
                codes.insert(leaked);
                leaked
            }
        };
        Ok(Diagnostic {
            severity: s.severity,
            code,
            message: s.message.into(),
            file: s.file.into(),
            pos: s.pos,
        })
    }
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
        file: impl AsRef<Path>,
        pos: Pos,
        message: impl Into<Arc<str>>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            file: file.as_ref().into(),
            pos,
        }
    }

    pub fn note(
        code: &'static str,
        file: impl AsRef<Path>,
        pos: Pos,
        message: impl Into<Arc<str>>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::warning(code, file, pos, message)
        }
    }

    pub fn error(
        code: &'static str,
        file: impl AsRef<Path>,
        pos: Pos,
        message: impl Into<Arc<str>>,
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

/// The name a misspelt one most likely meant (a typo, a swapped letter, `-` for `_`), as
/// rustc and clap suggest names: the closest by Jaro-Winkler similarity, if close enough.
/// Ties go to the least candidate, so the answer does not depend on iteration order.
pub fn closest<T: Ord>(
    wanted: &str,
    candidates: impl IntoIterator<Item = T>,
    name: impl Fn(&T) -> &str,
) -> Option<T> {
    // A broken anchor is weighed against every anchor of the site: the sieve passes over,
    // in one allocation-free look at each name, those that cannot come close enough.
    let mut sieve = Sieve::new(wanted);
    candidates
        .into_iter()
        .filter(|c| sieve.may_reach(name(c)))
        .map(|c| (strsim::jaro_winkler(wanted, name(&c)), c))
        .filter(|(score, _)| *score >= LIKENESS)
        .max_by(|x, y| x.0.total_cmp(&y.0).then_with(|| y.1.cmp(&x.1)))
        .map(|(_, c)| c)
}

/// The least Jaro-Winkler similarity [`closest`] suggests a name at.
const LIKENESS: f64 = 0.9;

/// The lengths, in characters, of the names [`closest`] may suggest for a name of `len`
/// characters, for a caller that indexes many names by length. Winkler's bonus adds at most
/// four tenths of what Jaro lacks, so `LIKENESS` needs a Jaro similarity of five sixths;
/// Jaro is at most `(1 + shorter / longer + 1) / 3`, so the longer name is at most twice
/// the shorter.
pub fn reachable_lengths(len: usize) -> (usize, usize) {
    (len.div_ceil(2), len * 2)
}

/// An upper bound of `strsim::jaro_winkler(wanted, other)`, so [`closest`] scores only the
/// names that may reach [`LIKENESS`] and suggests exactly what scoring them all would.
///
/// Jaro's matches pair equal characters one to one, so there are no more of them than the
/// characters the two names share (counted as multisets; every non-ASCII character is
/// counted as one and the same, which can only raise the bound). With `m` that many, the
/// Jaro similarity is at most `(m/|a| + m/|b| + 1) / 3`, and Winkler's bonus adds at most
/// a tenth of the rest per character of common prefix, up to four.
struct Sieve {
    len: usize,
    counts: [u32; 129],
    /// `counts`, taken down by the name being looked at and put back after it: copying
    /// the counts for each name was most of a site's link check.
    left: [u32; 129],
    prefix: [char; 4],
}

impl Sieve {
    fn new(wanted: &str) -> Self {
        let mut counts = [0; 129];
        let mut prefix = ['\0'; 4];
        let mut len = 0;
        for (i, c) in wanted.chars().enumerate() {
            counts[Self::bucket(c)] += 1;
            if let Some(p) = prefix.get_mut(i) {
                *p = c;
            }
            len += 1;
        }
        Sieve {
            len,
            counts,
            left: counts,
            prefix,
        }
    }

    fn bucket(c: char) -> usize {
        (c as usize).min(128)
    }

    fn may_reach(&mut self, other: &str) -> bool {
        if self.len == 0 {
            // Empty against empty is 1.0, against anything else 0.0: strsim decides.
            return true;
        }
        let (mut shared, mut len, mut prefix) = (0usize, 0usize, 0usize);
        let mut in_prefix = true;
        for (i, c) in other.chars().enumerate() {
            let slot = &mut self.left[Self::bucket(c)];
            if *slot > 0 {
                *slot -= 1;
                shared += 1;
            }
            in_prefix &= i < 4 && i < self.len && self.prefix[i] == c;
            prefix += usize::from(in_prefix);
            len += 1;
        }
        // Each bucket was taken down once per character of `other` in it, to zero at
        // most: one step back per such character, up to its count, restores it.
        if shared > 0 {
            for c in other.chars() {
                let b = Self::bucket(c);
                if self.left[b] < self.counts[b] {
                    self.left[b] += 1;
                }
            }
        }
        if shared == 0 {
            return false;
        }
        let m = shared as f64;
        let jaro = (m / self.len as f64 + m / len as f64 + 1.0) / 3.0;
        let bound = jaro + 0.1 * prefix as f64 * (1.0 - jaro);
        // The slack keeps a float rounding in strsim's sum from ever passing the bound.
        bound >= LIKENESS - 1e-9
    }
}

/// Whether `--strict` fails on these findings: any warning or error (notes never fail).
pub fn fails_strict(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity >= Severity::Warning)
}

/// `endpaper.allow: {path: [code, …]}`: the warnings with these codes about this file are shown
/// as notes, so `--strict` passes. Like rustc's `#[expect]`, an allowance that allows
/// nothing is itself a warning, so a stale one cannot hide the next real problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    /// Site-relative path of the file whose warnings are allowed.
    pub file: String,
    pub codes: Vec<String>,
    /// Where the allowance is written in `_config.yml`.
    pub pos: Pos,
}

/// Code of the warning about an `endpaper.allow` entry that allowed nothing.
pub const UNUSED_ALLOW: &str = "unused-allow";

/// Turns the warnings a site allows (`endpaper.allow`) into notes that say so, and warns
/// about every allowance that matched nothing in a file this build read (`built`), so
/// allowances cannot outlive the warnings they were written for. Errors are never allowed.
pub fn apply_allowances(
    diags: &mut Vec<Diagnostic>,
    allow: &[Allowance],
    config_file: &std::path::Path,
    built: impl Fn(&str) -> bool,
) {
    let entries: Vec<(&Allowance, &str)> = allow
        .iter()
        .flat_map(|a| a.codes.iter().map(move |c| (a, c.as_str())))
        .collect();
    let about = |d: &Diagnostic, (a, code): (&Allowance, &str)| {
        d.code == code && *d.file == *Path::new(&a.file)
    };
    let mut used = vec![false; entries.len()];
    for d in diags.iter_mut() {
        for (i, &entry) in entries.iter().enumerate() {
            if about(d, entry) {
                used[i] = true;
                if d.severity == Severity::Warning {
                    d.severity = Severity::Note;
                    d.message =
                        format!("{} (allowed by `endpaper.allow` in _config.yml)", d.message)
                            .into();
                }
            }
        }
    }
    for (&(a, code), matched) in entries.iter().zip(used) {
        let is_error = diags
            .iter()
            .any(|d| about(d, (a, code)) && d.severity == Severity::Error);
        let why = if is_error {
            format!(
                "`{code}` in {} is an error, and errors cannot be allowed",
                a.file
            )
        } else if matched || !built(&a.file) {
            continue;
        } else {
            format!(
                "`endpaper.allow` lets {} have `{code}` warnings, but it has none; remove the entry",
                a.file
            )
        };
        diags.push(Diagnostic::warning(UNUSED_ALLOW, config_file, a.pos, why));
    }
    normalize(diags);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Names alike and unalike: anchors, their typos and case changes, other scripts.
    fn names() -> Vec<String> {
        let base = [
            "ordersget_orders",
            "orders-get-orders",
            "request-body",
            "section-orders",
            "keys",
            "labels",
            "quotas",
            "invitations",
            "subscriptions",
            "connections",
            "settings",
            "a",
            "ab",
            "",
            "über-straße",
            "uber-strasse",
            "日本語の見出し",
            "日本語",
            "webhooksupdate-quotas",
            "webhooksupdate_quota",
        ];
        let mut all: Vec<String> = Vec::new();
        for b in base {
            all.push(b.to_string());
            all.push(b.to_uppercase());
            all.push(b.replace('-', "_"));
            let chars: Vec<char> = b.chars().collect();
            for i in 0..chars.len() {
                // Each single deletion, doubling and swap with the next character.
                let mut d = chars.clone();
                d.remove(i);
                all.push(d.iter().collect());
                let mut dup = chars.clone();
                dup.insert(i, chars[i]);
                all.push(dup.iter().collect());
                if i + 1 < chars.len() {
                    let mut sw = chars.clone();
                    sw.swap(i, i + 1);
                    all.push(sw.iter().collect());
                }
            }
        }
        all.sort();
        all.dedup();
        all
    }

    #[test]
    fn the_sieve_passes_every_name_close_enough_and_stops_most_others() {
        let names = names();
        let (mut close, mut stopped) = (0, 0);
        for a in &names {
            // One sieve looks at every name, as `closest` uses it: each look leaves it as
            // it found it, so it answers as a new one would.
            let mut sieve = Sieve::new(a);
            for b in &names {
                let reached = strsim::jaro_winkler(a, b) >= LIKENESS;
                let passed = sieve.may_reach(b);
                assert_eq!(passed, Sieve::new(a).may_reach(b), "{a:?} against {b:?}");
                assert!(passed || !reached, "{a:?} against {b:?}");
                close += usize::from(reached);
                stopped += usize::from(!passed);
            }
        }
        let pairs = names.len() * names.len();
        assert!(close > names.len(), "{close} close pairs of {pairs}");
        assert!(stopped * 2 > pairs, "{stopped} of {pairs} stopped");
    }

    #[test]
    fn closest_suggests_the_nearest_name_and_only_a_near_one() {
        let anchors = [
            "ordersget_orders",
            "ordersget_order",
            "request-body",
            "keys",
        ];
        assert_eq!(
            closest("ordersget-orders", anchors, |a| a),
            Some("ordersget_orders")
        );
        assert_eq!(
            closest("request_body", anchors, |a| a),
            Some("request-body")
        );
        assert_eq!(closest("labels", anchors, |a| a), None);
        assert_eq!(closest("", anchors, |a| a), None);
        assert_eq!(closest("", [""], |a| a), Some(""));
    }

    fn allow(file: &str, codes: &[&str]) -> Allowance {
        Allowance {
            file: file.into(),
            codes: codes.iter().map(|c| c.to_string()).collect(),
            pos: Pos::new(9, 5),
        }
    }

    #[test]
    fn an_allowed_warning_becomes_a_note_that_says_why_and_others_stay() {
        let mut d = vec![
            Diagnostic::warning("invalid-json", "_a/seed.md", Pos::new(3, 1), "bad"),
            Diagnostic::warning("invalid-json", "_a/mine.md", Pos::new(3, 1), "bad"),
            Diagnostic::warning("unknown-language", "_a/seed.md", Pos::new(4, 1), "x"),
        ];
        apply_allowances(
            &mut d,
            &[allow("_a/seed.md", &["invalid-json"])],
            Path::new("_config.yml"),
            |_| true,
        );
        let seed: Vec<_> = d
            .iter()
            .filter(|d| *d.file == *Path::new("_a/seed.md"))
            .collect();
        assert_eq!(seed[0].severity, Severity::Note);
        assert!(seed[0]
            .message
            .ends_with("(allowed by `endpaper.allow` in _config.yml)"));
        assert_eq!(
            seed[1].severity,
            Severity::Warning,
            "another code is not allowed"
        );
        let mine = d
            .iter()
            .find(|d| *d.file == *Path::new("_a/mine.md"))
            .unwrap();
        assert_eq!(
            mine.severity,
            Severity::Warning,
            "another file is not allowed"
        );
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn an_allowance_that_allows_nothing_is_a_warning_unless_the_file_was_not_built() {
        let entries = [
            allow("_a/fixed.md", &["invalid-json"]),
            allow("_b/internal.md", &["x"]),
        ];
        let mut d = Vec::new();
        apply_allowances(&mut d, &entries, Path::new("_config.yml"), |f| {
            f == "_a/fixed.md"
        });
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, UNUSED_ALLOW);
        assert_eq!(*d[0].file, *Path::new("_config.yml"));
        assert_eq!(d[0].pos, Pos::new(9, 5));
        assert!(d[0].message.contains("_a/fixed.md"), "{}", d[0].message);
    }

    #[test]
    fn errors_cannot_be_allowed() {
        let mut d = vec![Diagnostic::error(
            BUILD_ERROR,
            "_a/x.md",
            Pos::new(1, 1),
            "boom",
        )];
        apply_allowances(
            &mut d,
            &[allow("_a/x.md", &[BUILD_ERROR])],
            Path::new("_config.yml"),
            |_| true,
        );
        assert_eq!(
            d.iter().filter(|d| d.severity == Severity::Error).count(),
            1
        );
        let w = d.iter().find(|d| d.code == UNUSED_ALLOW).unwrap();
        assert!(
            w.message.contains("errors cannot be allowed"),
            "{}",
            w.message
        );
    }
}
