//! Source-map sentinels. endpaper's own tags write private-use characters into the output
//! ("what follows comes from byte N of file F", "an include starts / ends"); after the
//! `liquid` engine has rendered a doc, [`unmark`] strips them and rebuilds the map from
//! output bytes to source positions that later stages use to locate warnings.

/// Plane-16 private-use characters: no real text uses them, and each is one `char`.
const BASE: u32 = 0x10FF00;
const LIT: u32 = BASE;
const TAG: u32 = BASE + 1;
const PUSH: u32 = BASE + 2;
const POP: u32 = BASE + 3;
const END: u32 = BASE + 4;
const DIGIT: u32 = BASE + 0x10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Literal text of the current file resumes at this offset.
    Lit(usize),
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

pub(crate) fn push_mark(out: &mut String, m: Mark) {
    let (kind, n) = match m {
        Mark::Lit(n) => (LIT, Some(n)),
        Mark::Tag(n) => (TAG, Some(n)),
        Mark::Push(n) => (PUSH, Some(n)),
        Mark::Pop => (POP, None),
    };
    out.push(ch(kind));
    if let Some(n) = n {
        let digits = format!("{n:x}");
        out.extend(
            digits
                .bytes()
                .map(|d| ch(DIGIT + (d as char).to_digit(16).unwrap_or(0))),
        );
        out.push(ch(END));
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

/// Strips the sentinels of `raw`, returning the text and its segments. `base(file)` is the
/// offset in the file where the rendered text starts (the body of a doc after front matter).
pub(crate) fn unmark(raw: &str, base: impl Fn(usize) -> usize) -> (String, Vec<Segment>) {
    let mut text = String::with_capacity(raw.len());
    let mut segments = vec![Segment {
        out: 0,
        file: 0,
        src: base(0),
        literal: true,
    }];
    let mut stack = vec![0usize];
    let mut chars = raw.char_indices();
    let mut run = 0;
    while let Some((i, c)) = chars.next() {
        if !is_mark(c) {
            continue;
        }
        text.push_str(&raw[run..i]);
        let kind = c as u32;
        let mut n = 0usize;
        if kind != POP {
            for (_, d) in chars.by_ref() {
                let d = d as u32;
                if !(DIGIT..DIGIT + 16).contains(&d) {
                    break;
                }
                n = n.saturating_mul(16).saturating_add((d - DIGIT) as usize);
            }
        }
        run = chars.offset();
        let file = *stack.last().unwrap_or(&0);
        let seg = match kind {
            LIT => Some((file, n, true)),
            TAG => Some((file, n, false)),
            PUSH => {
                stack.push(n);
                Some((n, 0, true))
            }
            POP => {
                if stack.len() > 1 {
                    stack.pop();
                }
                None
            }
            _ => None,
        };
        if let Some((file, at, literal)) = seg {
            let s = Segment {
                out: text.len(),
                file,
                src: base(file) + at,
                literal,
            };
            // Several marks in a row describe the same output position: the last wins.
            if segments.last().is_some_and(|l| l.out == s.out) {
                segments.pop();
            }
            segments.push(s);
        }
    }
    text.push_str(&raw[run..]);
    (text, segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_into_segments() {
        let mut s = String::from("ab");
        push_mark(&mut s, Mark::Tag(300));
        s.push_str("VALUE");
        push_mark(&mut s, Mark::Lit(310));
        s.push_str("cd");
        push_mark(&mut s, Mark::Push(1));
        s.push_str("inc");
        push_mark(&mut s, Mark::Pop);
        push_mark(&mut s, Mark::Lit(400));
        s.push('e');
        let (text, segs) = unmark(&s, |f| if f == 0 { 10 } else { 0 });
        assert_eq!(text, "abVALUEcdince");
        let at = |out: usize| {
            let i = segs.partition_point(|s| s.out <= out) - 1;
            (segs[i].file, segs[i].src, segs[i].literal)
        };
        assert_eq!(at(0), (0, 10, true));
        assert_eq!(at(3), (0, 310, false));
        assert_eq!(at(7), (0, 320, true));
        assert_eq!(at(9), (1, 0, true));
        assert_eq!(at(12), (0, 410, true));
        assert_eq!(strip(&s), "abVALUEcdince");
    }
}
