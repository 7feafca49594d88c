//! Code spans as kramdown reads them where CommonMark reads them otherwise: a lone backtick
//! between whitespace is text (escaped in the line pre-pass, so pulldown-cmark never opens a
//! span there), and a span keeps its line breaks and its one-backtick spaces (the writer's
//! [`kramdown_span_code`]).

/// The line with each backtick kramdown reads as text escaped, or `None` when there is none.
/// kramdown opens no span at a single backtick that has whitespace on both sides (a line's
/// start counts as whitespace on a paragraph's later lines, not at a block's first text);
/// CommonMark opens one and takes its spaces off (`` ` w ` `` is `w` in code). Spans are
/// followed across lines through `open` (the backtick run of a span still open at the line's
/// end; a blank line ends it). `continues` says the line carries on a paragraph.
pub(super) fn escape_spaced_ticks(
    line: &str,
    continues: bool,
    open: &mut Option<usize>,
) -> Option<String> {
    if line.trim().is_empty() {
        *open = None;
        return None;
    }
    if !line.contains('`') {
        return None;
    }
    let (start, opens_block) = inline_start(line);
    if start >= 4 && !continues && open.is_none() {
        // Indented code.
        return None;
    }
    let b = line.as_bytes();
    let mut i = 0;
    if let Some(run) = *open {
        i = closing_run(line, 0, run)?;
        *open = None;
    }
    let mut out = String::new();
    let mut done = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let after = b.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t'));
                let before = if i > start {
                    matches!(b[i - 1], b' ' | b'\t') && !opens_cell(&line[..i])
                } else {
                    continues && !opens_block
                };
                if run == 1 && before && after {
                    out.push_str(&line[done..i]);
                    out.push_str("\\`");
                    done = i + 1;
                    i += 1;
                    continue;
                }
                match closing_run(line, i + run, run) {
                    Some(end) => i = end,
                    None => {
                        *open = Some(run);
                        break;
                    }
                }
            }
            _ => i += 1,
        }
    }
    if done == 0 {
        return None;
    }
    out.push_str(&line[done..]);
    Some(out)
}

/// Where the line's inline text starts, past its indent and the markers of the blocks it
/// opens (quote, list item, heading, table cell), and whether it opens one.
fn inline_start(line: &str) -> (usize, bool) {
    let mut rest = line.trim_start_matches([' ', '\t']);
    let mut opens = false;
    loop {
        let before = rest.len();
        if let Some(r) = rest.strip_prefix('>') {
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix(['-', '*', '+'])
            .filter(|r| r.starts_with([' ', '\t']))
        {
            rest = r;
        } else if rest.starts_with('#') {
            let r = rest.trim_start_matches('#');
            if !r.is_empty() && !r.starts_with([' ', '\t']) {
                break;
            }
            rest = r;
        } else if let Some(r) = rest.strip_prefix('|') {
            rest = r;
        } else {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match rest[digits..].strip_prefix(['.', ')']) {
                Some(r) if digits > 0 && r.starts_with([' ', '\t']) => rest = r,
                _ => break,
            }
        }
        rest = rest.trim_start_matches([' ', '\t']);
        opens |= rest.len() < before;
    }
    (line.len() - rest.len(), opens)
}

/// Whether only whitespace stands between a table cell's `|` and the end of `before`: the
/// cell's text starts there (kramdown reads each cell's text on its own).
fn opens_cell(before: &str) -> bool {
    let cell = before.trim_end_matches([' ', '\t']);
    cell.ends_with('|') && !cell.ends_with("\\|")
}

/// The end of the first run of exactly `run` backticks at or after `from`.
fn closing_run(line: &str, from: usize, run: usize) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = from;
    while i < b.len() {
        if b[i] == b'`' {
            let n = b[i..].iter().take_while(|&&c| c == b'`').count();
            if n == run {
                return Some(i + n);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

/// A code span's text as kramdown reads it from `span` (its source, backticks and all), given
/// CommonMark's `code`: kramdown keeps a span's line breaks (CommonMark makes each a space)
/// and a one-backtick span's spaces, and takes a space (not a line end) off each end of a
/// longer span's text on its own (`` ``x `` `` is `x`), where CommonMark takes a space or
/// line end off both ends only when both have one.
pub(super) fn kramdown_span_code(code: &str, span: &str) -> String {
    let ticks = span.len() - span.trim_start_matches('`').len();
    let inner = span
        .get(ticks..span.len().saturating_sub(ticks))
        .unwrap_or("");
    let spaced = |c: Option<char>| matches!(c, Some(' ' | '\n'));
    let (first, last) = (inner.chars().next(), inner.chars().last());
    let unstripped = if spaced(first) && spaced(last) && !inner.trim_matches([' ', '\n']).is_empty()
    {
        format!(" {code} ")
    } else {
        code.to_string()
    };
    let unstripped = with_line_ends(&unstripped, inner);
    if ticks == 1 {
        return unstripped;
    }
    let text = unstripped.as_str();
    let text = text
        .strip_prefix(' ')
        .filter(|_| first == Some(' '))
        .unwrap_or(text);
    let text = text
        .strip_suffix(' ')
        .filter(|_| last == Some(' '))
        .unwrap_or(text);
    text.to_string()
}

/// `code` with each space that stands for a line end of `source` made that line end again.
/// The next line's leading whitespace and quote markers stay out, as CommonMark leaves them
/// (kramdown keeps a paragraph line's own indent, not its container's). `code` as it is where
/// the two do not line up.
fn with_line_ends(code: &str, source: &str) -> String {
    if !source.contains('\n') {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len());
    let mut src = source.chars().filter(|&c| c != '\r').peekable();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        let Some(s) = src.next() else {
            return code.to_string();
        };
        if c == s {
            out.push(c);
        } else if c == ' ' && s == '\n' {
            out.push('\n');
            let next = chars.peek().copied();
            while let Some(&p) = src.peek() {
                if Some(p) == next || !matches!(p, ' ' | '\t' | '>') {
                    break;
                }
                src.next();
            }
        } else {
            return code.to_string();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(line: &str, continues: bool) -> String {
        let mut open = None;
        escape_spaced_ticks(line, continues, &mut open).unwrap_or_else(|| line.to_string())
    }

    #[test]
    fn a_lone_backtick_between_spaces_is_escaped() {
        assert_eq!(escaped("a ` w ` b", false), "a \\` w \\` b");
        assert_eq!(escaped("a `w` b", false), "a `w` b");
        // Its closing backtick may have spaces round it: the span is open by then.
        assert_eq!(escaped("a `w ` b", false), "a `w ` b");
        // A block's first text is no whitespace; a paragraph's later line starts with some.
        assert_eq!(escaped("` w`", false), "` w`");
        assert_eq!(escaped("- ` w`", true), "- ` w`");
        assert_eq!(escaped("` w`", true), "\\` w`");
        // A cell's text starts after its pipe.
        assert_eq!(
            escaped("| ` w` | a ` x ` |", false),
            "| ` w` | a \\` x \\` |"
        );
        // Longer runs open spans.
        assert_eq!(escaped("a `` ` `` b", false), "a `` ` `` b");
    }

    #[test]
    fn a_span_open_at_a_lines_end_is_followed_to_the_next() {
        let mut open = None;
        assert_eq!(escape_spaced_ticks("a `b", false, &mut open), None);
        assert_eq!(open, Some(1));
        // The span closes on the next line; the backtick after it is text.
        assert_eq!(
            escape_spaced_ticks(" ` c ` d", true, &mut open).as_deref(),
            Some(" ` c \\` d")
        );
        assert_eq!(open, None);
        escape_spaced_ticks("a `b", false, &mut open);
        escape_spaced_ticks("", false, &mut open);
        assert_eq!(open, None);
    }

    #[test]
    fn a_spans_line_breaks_come_back() {
        assert_eq!(kramdown_span_code("a b", "`a\nb`"), "a\nb");
        assert_eq!(kramdown_span_code("a b", "`a\n   b`"), "a\nb");
        assert_eq!(kramdown_span_code("a b", "`a\n> b`"), "a\nb");
        assert_eq!(kramdown_span_code("x y", "``x\ny``"), "x\ny");
        assert_eq!(kramdown_span_code("a b", "`a b`"), "a b");
    }
}
