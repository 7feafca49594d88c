//! kramdown's smart quotes and typographic symbols (`--` → en dash, `...` → ellipsis).

/// kramdown's typographic symbols, longest first (`TYPOGRAPHIC_SYMS` in its parser).
pub(super) const TYPOGRAPHIC: &[(&str, &str)] = &[
    ("---", "\u{2014}"),
    ("--", "\u{2013}"),
    ("...", "\u{2026}"),
    ("<< ", "\u{AB}\u{A0}"),
    (" >>", "\u{A0}\u{BB}"),
    ("<<", "\u{AB}"),
    (">>", "\u{BB}"),
];

/// kramdown's typographic symbols and smart quotes (`SQ_RULES` in its smart_quotes parser),
/// applied to one text run. `prev` carries the source character before the run.
pub(super) fn smarten(text: &str, prev: &mut Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // Runs of bytes that start no symbol and are no quote are copied whole.
        let bytes = rest.as_bytes();
        let run = (0..bytes.len())
            .find(|&k| match bytes[k] {
                b'-' | b'.' | b'<' | b'>' | b'\'' | b'"' => true,
                b' ' => bytes[k + 1..].starts_with(b">>"),
                _ => false,
            })
            .unwrap_or(bytes.len());
        if run > 0 {
            out.push_str(&rest[..run]);
            i += run;
            continue;
        }
        if let Some((pat, sym)) = TYPOGRAPHIC.iter().find(|(pat, _)| rest.starts_with(pat)) {
            out.push_str(sym);
            i += pat.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c != '\'' && c != '"' {
            out.push(c);
            continue;
        }
        let p = text[..i - 1].chars().next_back().or(*prev);
        let mut next = text[i..].chars();
        let (n1, n2, n3) = (next.next(), next.next(), next.next());
        let (left, right) = if c == '"' {
            ('\u{201C}', '\u{201D}')
        } else {
            ('\u{2018}', '\u{2019}')
        };
        let is_word = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric() || x == '_');
        let is_space = |x: Option<char>| x.is_some_and(char::is_whitespace);
        let quote = if matches!(n1, Some('_' | '*')) && n2.is_some_and(|x| !x.is_whitespace()) {
            left
        } else if n1.is_some_and(|x| x.is_ascii_punctuation()) && (n2.is_none() || is_space(n2)) {
            // `("|')(?=PUNCT(?!\.\.)(?:\Z|\s))`: a quote before punctuation that ends a
            // word closes (`'word'.`), but not in `'#'`, where the punctuation is quoted.
            right
        } else if (c, n1) == ('"', Some('\'')) && is_word(n2) {
            out.push('\u{201C}');
            i += 1;
            '\u{2018}'
        } else if (c, n1) == ('\'', Some('"')) && is_word(n2) {
            out.push('\u{2018}');
            i += 1;
            '\u{201C}'
        } else if c == '\''
            && n1.is_some_and(|x| x.is_ascii_digit())
            && n2.is_some_and(|x| x.is_ascii_digit())
            && n3 == Some('s')
        {
            right
        } else if is_space(p) && is_word(n1) {
            left
        } else if p
            .is_some_and(|p| !matches!(p, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-'))
            || n1.is_none()
            || is_space(n1)
            || (n1 == Some('s') && !is_word(n2))
        {
            right
        } else {
            left
        };
        out.push(quote);
    }
    if let Some(last) = text.chars().next_back() {
        *prev = Some(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_found_wherever_a_run_of_plain_text_ends() {
        let mut prev = None;
        assert_eq!(
            smarten("naïve a >> b << c x>>y a<<b é...ü -- x---y 'q' \"z\"", &mut prev),
            "naïve a\u{A0}\u{BB} b \u{AB}\u{A0}c x\u{BB}y a\u{AB}b é\u{2026}ü \u{2013} x\u{2014}y \u{2018}q\u{2019} \u{201C}z\u{201D}"
        );
        assert_eq!(prev, Some('"'));
        // A run's last character is what a quote at the start of the next run follows.
        assert_eq!(smarten("'s", &mut Some('x')), "\u{2019}s");
        assert_eq!(smarten("plain", &mut prev), "plain");
        assert_eq!(smarten("  >>", &mut prev), " \u{A0}\u{BB}");
    }
}
