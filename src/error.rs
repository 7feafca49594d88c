//! The one located error type: every problem in a writer's files is reported as
//! `path:line:col: message`, so editors and CI annotate the exact spot.

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column (columns count characters, not bytes) in a source file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }

    /// Position of byte `offset` in `text`; an offset past the end clamps to the end,
    /// and one inside a UTF-8 sequence counts as that character.
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            line,
            col: before[line_start..].chars().count() + 1,
        }
    }
}

/// The largest char boundary of `text` at or before `offset` (clamped to the text).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Offsets ↔ positions in one text in logarithmic time, for stages that locate many things
/// in a big file ([`Pos::of_offset`] scans from the start: thousands of links on a 1 MB
/// line made that quadratic). Character counts are kept every `STEP` bytes.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)`, at char boundaries about `STEP` bytes apart.
    marks: Vec<(usize, usize)>,
}

impl<'t> LineIndex<'t> {
    const STEP: usize = 4096;

    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        // memchr's vector scan: `match_indices('\n')` went through a char searcher per line,
        // and each doc's text is indexed for every step that locates in it.
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut marks = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at + Self::STEP < text.len() {
            let mut next = at + Self::STEP;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text[at..next].chars().count();
            at = next;
            marks.push((at, chars));
        }
        LineIndex {
            text,
            line_starts,
            marks,
        }
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let (at, chars) = self.marks[self.marks.partition_point(|m| m.0 <= offset) - 1];
        chars + self.text[at..offset].chars().count()
    }

    /// The 1-based line of byte `offset` (clamped to the text).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where 1-based `line` starts; past the last line, the text's length.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Same as [`Pos::of_offset`].
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.line(offset);
        let start = self.line_starts[line - 1];
        Pos {
            line,
            col: self.chars_before(offset) - self.chars_before(start) + 1,
        }
    }

    /// Byte offset of `pos`: its line's start plus `col - 1` characters (which may run past
    /// the line end); past the end of the text is the text's length.
    pub fn offset(&self, pos: Pos) -> usize {
        let Some(&start) = self.line_starts.get(pos.line.max(1) - 1) else {
            return self.text.len();
        };
        // Counted from the line's start: a column is a few characters, where the characters
        // before the line were up to a mark's step.
        self.text[start..]
            .char_indices()
            .nth(pos.col.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// An error in a file the writer controls, with where it is and how it was reached
/// (the chain of includes that led there, outermost first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SourceError {
    pub path: PathBuf,
    pub pos: Pos,
    pub message: String,
    /// `(including file, position of the include tag)`, outermost first.
    pub chain: Vec<(PathBuf, Pos)>,
}

impl SourceError {
    pub fn new(path: impl AsRef<Path>, pos: Pos, message: impl Into<String>) -> Self {
        SourceError {
            path: path.as_ref().to_path_buf(),
            pos,
            message: message.into(),
            chain: Vec::new(),
        }
    }

    pub fn with_chain(mut self, chain: Vec<(PathBuf, Pos)>) -> Self {
        self.chain = chain;
        self
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.pos.line,
            self.pos.col,
            self.message
        )?;
        for (path, pos) in self.chain.iter().rev() {
            write!(
                f,
                "\n    included from {}:{}:{}",
                path.display(),
                pos.line,
                pos.col
            )?;
        }
        Ok(())
    }
}

/// ` (included from FILE:LINE:COL)` for each include that led to a place, innermost
/// first: how a one-line message (a finding, a warning) names an include chain.
pub fn included_from(chain: &[(PathBuf, Pos)]) -> String {
    let mut out = String::new();
    for (path, pos) in chain.iter().rev() {
        out.push_str(&format!(
            " (included from {}:{}:{})",
            path.display(),
            pos.line,
            pos.col
        ));
    }
    out
}

/// Makes a panic (a bug in endpaper, never a problem in the site) one short line on stderr
/// that asks for a report, instead of Rust's message and backtrace hint. With
/// `RUST_BACKTRACE` set the default hook runs, for whoever debugs it. The exit code stays
/// Rust's 101, which is distinct from the 1 of a site error.
pub fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let message = panic_message(info);
        // `endpaper … | head`: the reader left, which is no bug. End quietly, as a program
        // killed by SIGPIPE would (Rust ignores the signal, so printing panics instead).
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        eprintln!("{message}");
    }));
}

/// The line [`install_panic_hook`] prints.
pub fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    let at = info
        .location()
        .map_or(String::new(), |l| format!(" ({}:{})", l.file(), l.line()));
    format!(
        "error: internal error: {what}{at}. This is a bug in endpaper {}, not in your site; please report it with the command you ran (RUST_BACKTRACE=1 shows details)",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_char_columns() {
        let text = "ab\nçd\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 3), Pos::new(2, 1));
        // 'ç' is two bytes; the column counts it once.
        assert_eq!(Pos::of_offset(text, 5), Pos::new(2, 2));
        assert_eq!(Pos::of_offset(text, 4), Pos::new(2, 1));
        assert_eq!(Pos::of_offset(text, 999), Pos::new(3, 1));
    }

    #[test]
    fn line_index_agrees_with_the_linear_scans() {
        let text: String = (0..3000)
            .map(|i| match i % 7 {
                0 => "\n".to_string(),
                1 => "çé".to_string(),
                _ => format!("w{i} "),
            })
            .collect();
        let ix = LineIndex::new(&text);
        for off in (0..text.len() + 5).step_by(3) {
            let pos = Pos::of_offset(&text, off);
            assert_eq!(ix.pos(off), pos, "offset {off}");
            let mut back = off.min(text.len());
            while !text.is_char_boundary(back) {
                back -= 1;
            }
            assert_eq!(ix.offset(pos), back, "{pos:?}");
        }
        assert_eq!(ix.offset(Pos::new(99_999, 1)), text.len());
        assert_eq!(ix.offset(Pos::new(1, 99_999)), text.len());
    }

    #[test]
    fn display_names_file_line_col_and_the_include_chain() {
        let e = SourceError::new("_includes/a.md", Pos::new(3, 7), "missing include `b.md`")
            .with_chain(vec![("_api/x.md".into(), Pos::new(10, 1))]);
        assert_eq!(
            e.to_string(),
            "_includes/a.md:3:7: missing include `b.md`\n    included from _api/x.md:10:1"
        );
    }
}
