//! The per-thread memo of parsed lines: a line parsed from an equal state parses the same,
//! so a line repeated across samples is parsed once.

use std::collections::HashMap;
use syntect::parsing::{ParseState, ScopeStackOp, SyntaxSet};

/// What one line parsed to from one state: the scope operations and the state after.
pub(super) struct ParsedLine {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    /// `None` when the line leaves the state as it found it (most lines of a sample: a
    /// JSON field, a shell argument), so the memo holds one state for them, not two.
    after: Option<ParseState>,
}

/// Lines already parsed on this thread, by text. API docs repeat lines across samples
/// (the same client set-up, the same response fields): in the synthetic 1,000-doc
/// reference only 19% of JavaScript and 37% of Python bytes are distinct lines. A line
/// parsed from an equal state gives the same operations and the same next state, so the
/// memo returns exactly what parsing would; it only skips the regex work.
#[derive(Default)]
pub(super) struct LineMemo {
    lines: HashMap<Box<str>, Vec<ParsedLine>>,
    entries: usize,
}

/// Bounds the memory a thread's memo holds; it starts afresh beyond.
pub(super) const LINE_MEMO_MAX_ENTRIES: usize = 20_000;
/// A line seen in more states than this is parsed every time.
pub(super) const LINE_MEMO_MAX_STATES: usize = 8;

thread_local! {
    static LINE_MEMO: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}

/// Frees this thread's memo of parsed lines (a build calls it on every worker once its
/// samples are highlighted, so the memory goes back before pages are rendered).
pub fn forget_lines() {
    LINE_MEMO.with(|memo| *memo.borrow_mut() = LineMemo::default());
}

/// `state.parse_line(line)`, through this thread's [`LineMemo`]; `None` on a grammar
/// error.
pub(super) fn parse_line_memo(
    state: &mut ParseState,
    line: &str,
    set: &SyntaxSet,
) -> Option<Vec<(usize, ScopeStackOp)>> {
    LINE_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(hit) = memo
            .lines
            .get(line)
            .and_then(|seen| seen.iter().find(|p| p.before == *state))
        {
            if let Some(after) = &hit.after {
                *state = after.clone();
            }
            return Some(hit.ops.clone());
        }
        let before = state.clone();
        let ops = state.parse_line(line, set).ok()?;
        if memo.entries >= LINE_MEMO_MAX_ENTRIES {
            memo.lines.clear();
            memo.entries = 0;
        }
        let seen = memo.lines.entry(line.into()).or_default();
        if seen.len() < LINE_MEMO_MAX_STATES {
            let after = (*state != before).then(|| state.clone());
            seen.push(ParsedLine {
                before,
                ops: ops.clone(),
                after,
            });
            memo.entries += 1;
        }
        Some(ops)
    })
}
