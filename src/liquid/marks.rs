//! Sentinels: private-use characters in a template and its output. Literal text reaches
//! the `liquid` parser as a sentinel naming its byte range, and endpaper's tags write
//! sentinels into the output ("what follows was made by the tag at byte N", "an include of
//! file F starts / ends"). After rendering, [`unmark`] pastes the text back and rebuilds
//! the map from output bytes to source positions that later stages use to locate warnings.

/// Plane-16 private-use characters: no real text uses them, and each is one `char`.
const BASE: u32 = 0x10FF00;
const SPAN: u32 = BASE;
const TAG: u32 = BASE + 1;
const PUSH: u32 = BASE + 2;
const POP: u32 = BASE + 3;
const END: u32 = BASE + 4;
const DIGIT: u32 = BASE + 0x10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Literal text: this byte range of the current file.
    Span(usize, usize),
    /// What follows was produced by the tag at this offset.
    Tag(usize),
    /// An include of file id N starts.
    Push(usize),
    /// The innermost include ends.
    Pop,
}

pub(crate) fn is_mark(c: char) -> bool {
    (BASE..DIGIT + 16).contains(&(c as u32))
}

fn ch(u: u32) -> char {
    char::from_u32(u).unwrap_or('\u{FFFD}')
}

fn push_num(out: &mut String, n: usize) {
    let digits = format!("{n:x}");
    out.extend(
        digits
            .bytes()
            .map(|d| ch(DIGIT + (d as char).to_digit(16).unwrap_or(0))),
    );
    out.push(ch(END));
}

pub(crate) fn push_mark(out: &mut String, m: Mark) {
    match m {
        Mark::Span(a, b) => {
            out.push(ch(SPAN));
            push_num(out, a);
            push_num(out, b);
        }
        Mark::Tag(n) => {
            out.push(ch(TAG));
            push_num(out, n);
        }
        Mark::Push(n) => {
            out.push(ch(PUSH));
            push_num(out, n);
        }
        Mark::Pop => out.push(ch(POP)),
    }
}

/// Removes every sentinel from `text` (for values that leave the mapped output, such as a
/// filter's input).
pub(crate) fn strip(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_mark) {
        text.chars()
            .filter(|c| !is_mark(*c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Where a run of output bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub out: usize,
    pub file: usize,
    /// Byte offset in the file (already including the file's base).
    pub src: usize,
    /// Literal text maps byte for byte; substituted text maps to its tag.
    pub literal: bool,
}

/// Pastes the text back into `raw` and strips the sentinels, returning the text and its
/// segments. `base(file)` is the offset in the file where its template starts (the body of
/// a doc, after front matter); `text(file)` is that template.
pub(crate) fn unmark<'t>(
    raw: &str,
    base: impl Fn(usize) -> usize,
    text: impl Fn(usize) -> &'t str,
) -> (String, Vec<Segment>) {
    let mut out = String::with_capacity(raw.len() * 4);
    let mut segments = vec![Segment {
        out: 0,
        file: 0,
        src: base(0),
        literal: true,
    }];
    let mut stack = vec![0usize];
    let mut chars = raw.char_indices();
    let mut run = 0;
    let read = |chars: &mut std::str::CharIndices<'_>| {
        let mut n = 0usize;
        for (_, d) in chars.by_ref() {
            let d = d as u32;
            if !(DIGIT..DIGIT + 16).contains(&d) {
                break;
            }
            n = n.saturating_mul(16).saturating_add((d - DIGIT) as usize);
        }
        n
    };
    while let Some((i, c)) = chars.next() {
        if !is_mark(c) {
            continue;
        }
        if run < i {
            // Output the template did not take from its text (a value, markup).
            out.push_str(&raw[run..i]);
        }
        let kind = c as u32;
        let file = *stack.last().unwrap_or(&0);
        let mut paste = None;
        let seg = match kind {
            SPAN => {
                let (a, b) = (read(&mut chars), read(&mut chars));
                paste = text(file).get(a..b);
                Some((file, a, true))
            }
            TAG => Some((file, read(&mut chars), false)),
            PUSH => {
                let n = read(&mut chars);
                stack.push(n);
                None
            }
            POP => {
                if stack.len() > 1 {
                    stack.pop();
                }
                None
            }
            _ => None,
        };
        run = chars.offset();
        if let Some((file, at, literal)) = seg {
            let s = Segment {
                out: out.len(),
                file,
                src: base(file) + at,
                literal,
            };
            // Several marks at one output position describe it alike: the last wins.
            if segments.last().is_some_and(|l| l.out == s.out) {
                segments.pop();
            }
            segments.push(s);
        }
        if let Some(p) = paste {
            out.push_str(p);
        }
        // Text pasted back from a loop can be far larger than the marks that name it: stop
        // past the limit (the caller reports it) rather than fill memory.
        if out.len() > super::MAX_OUTPUT {
            return (out, segments);
        }
    }
    out.push_str(&raw[run..]);
    (out, segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_into_segments() {
        let doc = "0123456789ab {{ x }} cd";
        let inc = "inc";
        let mut s = String::new();
        push_mark(&mut s, Mark::Span(10, 13));
        push_mark(&mut s, Mark::Tag(13));
        s.push_str("VALUE");
        push_mark(&mut s, Mark::Span(20, 23));
        push_mark(&mut s, Mark::Push(1));
        push_mark(&mut s, Mark::Span(0, 3));
        push_mark(&mut s, Mark::Pop);
        let (text, segs) = unmark(
            &s,
            |f| if f == 0 { 100 } else { 0 },
            |f| if f == 0 { doc } else { inc },
        );
        assert_eq!(text, "ab VALUE cdinc");
        let at = |out: usize| {
            let i = segs.partition_point(|s| s.out <= out) - 1;
            (segs[i].file, segs[i].src, segs[i].literal)
        };
        assert_eq!(at(0), (0, 110, true));
        assert_eq!(at(4), (0, 113, false));
        assert_eq!(at(8), (0, 120, true));
        assert_eq!(at(11), (1, 0, true));
        assert_eq!(strip(&s), "VALUE");
    }
}
