//! `liquid-lib`'s `slugify` and `strip_html`, their regexes done by hand. Each regex was
//! compiled once per process on first use, and `slugify`'s `\p{Alphabetic}` class made that
//! most of a small site's structure pass. The parsed filter is still `liquid-lib`'s (its
//! arguments checked and shown as before); only its evaluation is replaced, for the inputs
//! the hand version is proved on, and anything else is passed to the original.

use liquid_core::parser::FilterArguments;
use liquid_core::{Filter, FilterReflection, ParseFilter, Result, Runtime, Value, ValueView};
use std::fmt;

/// Which filter, and how its output is made by hand.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Slugify,
    StripHtml,
}

/// A `liquid-lib` filter, parsed by it, evaluated by hand where [`Kind`] can.
#[derive(Clone)]
pub(crate) struct ByHand {
    original: fn() -> Box<dyn ParseFilter>,
    kind: Kind,
}

/// `slugify`, its default mode by hand.
pub(crate) fn slugify() -> ByHand {
    ByHand {
        original: || Box::new(liquid_lib::jekyll::Slugify),
        kind: Kind::Slugify,
    }
}

/// `strip_html`, by hand.
pub(crate) fn strip_html() -> ByHand {
    ByHand {
        original: || Box::new(liquid_lib::stdlib::StripHtml),
        kind: Kind::StripHtml,
    }
}

impl ParseFilter for ByHand {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        let positional: Vec<_> = arguments.positional.collect();
        let keyword: Vec<_> = arguments.keyword.collect();
        // `slugify` with a mode argument is left to the original throughout.
        let plain = positional.is_empty() && keyword.is_empty();
        let original = (self.original)().parse(FilterArguments {
            positional: Box::new(positional.into_iter()),
            keyword: Box::new(keyword.into_iter()),
        })?;
        Ok(Box::new(Parsed {
            original,
            kind: plain.then_some(self.kind),
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        match self.kind {
            Kind::Slugify => &liquid_lib::jekyll::Slugify,
            Kind::StripHtml => &liquid_lib::stdlib::StripHtml,
        }
    }
}

#[derive(Debug)]
struct Parsed {
    original: Box<dyn Filter>,
    /// `None` when the original evaluates every input.
    kind: Option<Kind>,
}

impl fmt::Display for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.original.fmt(f)
    }
}

impl Filter for Parsed {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        let by_hand = match self.kind {
            Some(Kind::Slugify) => slug(&text),
            Some(Kind::StripHtml) => Some(strip(&text)),
            None => None,
        };
        match by_hand {
            Some(out) => Ok(Value::scalar(out)),
            None => self.original.evaluate(input, runtime),
        }
    }
}

/// `slugify`'s default mode: each run of characters other than `0-9` and `\p{Alphabetic}`
/// one `-`, outer dashes trimmed, lowercased. Only for ASCII text, where `\p{Alphabetic}`
/// is `A-Za-z`, and the General Punctuation block (U+2000 to U+206F: spaces, dashes, quotes,
/// and the invisible characters the structure pass marks titles with), none of which is
/// alphabetic or a digit; the regex crate's Unicode tables and the standard library's may
/// differ in version, so other text goes to the regex.
fn slug(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    // The regex's trim of white space first changes nothing: white space is a separator,
    // and separators at either end are dropped.
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash {
                out.push('-');
                dash = false;
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii() || PUNCTUATION.contains(&c) {
            // Leading dashes are trimmed, so a run before any kept character writes none.
            dash = !out.is_empty();
        } else {
            return None;
        }
    }
    Some(out)
}

/// Unicode's General Punctuation block: no character of it is alphabetic.
const PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// `strip_html`: the four regexes `(?is)<script.*?</script>`, `(?is)<style.*?</style>`,
/// `(?is)<!--.*?-->` and `(?is)<.*?>` each replaced by nothing, in that order.
fn strip(text: &str) -> String {
    let text = remove_spans(text, "<script", "</script>");
    let text = remove_spans(&text, "<style", "</style>");
    let text = remove_spans(&text, "<!--", "-->");
    remove_spans(&text, "<", ">")
}

/// `text` without each leftmost shortest span from `open` to `close` (both matched as the
/// regex crate's `(?i)` matches ASCII letters), as `Regex::replace_all` removes them.
fn remove_spans(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    while let Some((start, open_end)) = find(text, from, open) {
        let Some((_, end)) = find(text, open_end, close) else {
            // No close after this open means none after any later open either.
            break;
        };
        out.push_str(&text[from..start]);
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// The first match at or after `from` of `pattern` (it starts with `<` or `-`; then ASCII
/// letters and `/!->`), matched case-insensitively: its start and end (not always the
/// pattern's length after the start: `(?i)` takes the two-byte `ſ` for `s`).
fn find(text: &str, mut from: usize, pattern: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let first = pattern.as_bytes()[0];
    while let Some(i) = bytes[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if let Some(end) = matches_at(text, at, pattern) {
            return Some((at, end));
        }
        from = at + 1;
    }
    None
}

/// Where the match of `pattern` at `at` ends, if it matches there.
fn matches_at(text: &str, at: usize, pattern: &str) -> Option<usize> {
    let mut chars = text[at..].char_indices();
    for p in pattern.chars() {
        let (_, c) = chars.next()?;
        if !folds_to(c, p) {
            return None;
        }
    }
    Some(chars.next().map_or(text.len(), |(i, _)| at + i))
}

/// Whether `(?i)` matches `c` for the pattern character `p` (ASCII).
fn folds_to(c: char, p: char) -> bool {
    c.eq_ignore_ascii_case(&p) || (p == 's' && c == 'ſ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::runtime::RuntimeBuilder;

    fn both(filter: &ByHand, original: &dyn ParseFilter, input: &str) -> (Value, Value) {
        let args = || FilterArguments {
            positional: Box::new(std::iter::empty()),
            keyword: Box::new(std::iter::empty()),
        };
        let runtime = RuntimeBuilder::new().build();
        let input = Value::scalar(input.to_string());
        let ours = filter.parse(args()).unwrap().evaluate(&input, &runtime);
        let theirs = original.parse(args()).unwrap().evaluate(&input, &runtime);
        (ours.unwrap(), theirs.unwrap())
    }

    const TEXTS: &[&str] = &[
        "",
        "   ",
        "Hello World",
        "  The _config.yml file  ",
        "--a--b--",
        "GET /v1/users/{id}",
        "x\u{b}y\t\nz",
        "123 Main St.",
        "The _cönfig.yml file",
        "naïve café — 東京",
        "<p>Hi <b>there</b></p>",
        "a<script>alert(1)</script>b<SCRIPT type=x>y</Script>c",
        "a<ſcript>x</ſcript>b<ſtyle>p{}</STYLE>c",
        "<style>a<b</style><!-- note -> --> tail <!-->",
        "open <script only, never closed <b>bold</b>",
        "<!-- unclosed <i>x</i>",
        "<<a>>b<",
        "1 < 2 and 3 > 2",
        "multi\nline <div\nclass=x>\ntext</div>",
        "é<scrİpt>x</script>ü",
        "<script>1</script><script>2",
        "-<a-->-->b",
    ];

    #[test]
    fn slugify_by_hand_equals_liquid_libs() {
        for text in TEXTS {
            let (ours, theirs) = both(&slugify(), &liquid_lib::jekyll::Slugify, text);
            assert_eq!(ours, theirs, "slugify of {text:?}");
        }
    }

    #[test]
    fn slugify_reads_general_punctuation_by_hand_as_the_regex_does() {
        for c in PUNCTUATION {
            for text in [format!("A{c}b"), format!("{c}x{c}{c}Y {c}"), c.to_string()] {
                assert!(slug(&text).is_some(), "{text:?} is left to the regex");
                let (ours, theirs) = both(&slugify(), &liquid_lib::jekyll::Slugify, &text);
                assert_eq!(ours, theirs, "slugify of {text:?}");
            }
        }
        // A title as the structure pass marks it.
        assert_eq!(
            slug("Get a user\u{2063}\u{200B}\u{2060}").as_deref(),
            Some("get-a-user")
        );
    }

    #[test]
    fn strip_html_by_hand_equals_liquid_libs() {
        for text in TEXTS {
            let (ours, theirs) = both(&strip_html(), &liquid_lib::stdlib::StripHtml, text);
            assert_eq!(ours, theirs, "strip_html of {text:?}");
        }
    }

    #[test]
    fn case_folding_is_the_regex_crates_for_every_character() {
        for p in "scriptyle".chars() {
            let re = regex::Regex::new(&format!("(?i)^{p}$")).unwrap();
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                let mut buf = [0; 4];
                assert_eq!(
                    folds_to(c, p),
                    re.is_match(c.encode_utf8(&mut buf)),
                    "{c:?} as {p}"
                );
            }
        }
    }

    #[test]
    fn slugify_with_a_mode_is_the_original() {
        let parsed = slugify()
            .parse(FilterArguments {
                positional: Box::new(std::iter::once(liquid_core::Expression::Literal(
                    Value::scalar("ascii"),
                ))),
                keyword: Box::new(std::iter::empty()),
            })
            .unwrap();
        let runtime = RuntimeBuilder::new().build();
        let out = parsed
            .evaluate(&Value::scalar("The _cönfig.yml"), &runtime)
            .unwrap();
        assert_eq!(out, Value::scalar("the-c-nfig-yml"));
    }
}
