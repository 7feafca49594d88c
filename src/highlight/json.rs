//! A fast path for valid JSON, the commonest sample language of API docs (request and
//! response bodies): a hand-written lexer that writes the same HTML the JSON grammar gives
//! through syntect, about thirty times faster. syntect's JSON grammar runs a dozen regexes
//! per token; JSON's tokens are decided by their first character.
//!
//! Only JSON that `serde_json` accepts takes this path (but for trailing commas, which real
//! docs leave in their samples and the grammar writes as plain punctuation, and the few
//! slips [`Slips`] lists, taken when the sample mended is strict), so every token is one of
//! the few kinds below and its place (key or value) follows from the brackets around it.
//! Anything else (block comments, JSON5, a sample broken other than so) returns `None` and
//! goes through the grammar, which knows how to colour broken input. The tests hold the two
//! paths to the same output on every kind of token.

use super::{Writer, PUNCTUATION};

/// The HTML of `code` as the JSON grammar would highlight it, or `None` when `code` is not
/// strict JSON (trailing commas aside) or strict JSON but for the slips [`Slips`] knows.
pub(super) fn highlight(code: &str) -> Option<String> {
    if strict_but_trailing_commas(code) {
        return lex(code, None);
    }
    let mut repaired = String::with_capacity(code.len() + 16);
    let html = lex(code, Some(&mut repaired))?;
    strict_but_trailing_commas(&repaired).then_some(html)
}

/// The slips of hand-written response samples the grammar marks `err` in a known way, which
/// the lexer takes when `repaired` (the sample with each slip mended) is given, and is then
/// strict JSON:
/// - a bare word for a value, then a comma (`"data": None,`): the word and the comma;
/// - an object's member after a value on an earlier line with no comma between
///   (`}` ⏎ `  "errors": …`): the blank just before the member's key;
/// - an elision `...` in an array (the array needs no commas to the grammar): its dots;
/// - a `//` comment, which the grammar knows (JSON with comments): to its line's end, the
///   line break with it (mended by leaving it out);
/// - an escape JSON does not know (`\'`), which the grammar marks `err`: the backslash and
///   the character (mended by leaving the backslash out);
/// - values one after another at the top (several responses in one sample), which the
///   grammar colours each as the first (mended as the items of one list);
/// - a word at the top between blanks (`or` between two responses, the reason of a status
///   line `404 Not Found`), which the grammar leaves plain (mended by leaving it out);
/// - brackets left open at the end (a sample cut short): nothing, as the grammar colours
///   each line from the lines before it only (mended by closing them after the text).
type Slips<'a> = Option<&'a mut String>;

fn lex(code: &str, mut repaired: Slips) -> Option<String> {
    let mut w = Writer::with_capacity(code.len() * 2);
    // Innermost open bracket first: whether a string there is a key (`{`, before its `:`).
    let mut objects: Vec<bool> = Vec::new();
    let mut expect_key = false;
    // A value ended, and no `,` or `:` has come since.
    let mut after_value = false;
    // The last token was an object's `:`.
    let mut after_colon = false;
    let lenient = repaired.is_some();
    // A value came after the top's first one.
    let mut sequence = false;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let mut mend = |text: &str| {
            if let Some(r) = repaired.as_deref_mut() {
                r.push_str(text);
            }
        };
        let colon = std::mem::take(&mut after_colon);
        let starts_value = matches!(
            bytes[i],
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'
        );
        if objects.is_empty() && after_value && starts_value {
            // A word or number against the value before it (`404true`) is one word to
            // the grammar.
            let joined = bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-';
            if !lenient || (joined && i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
                return None;
            }
            mend(",");
            sequence = true;
        }
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                let run = &code[start..i];
                let missing_comma = objects.last() == Some(&true)
                    && after_value
                    && bytes.get(i) == Some(&b'"')
                    && run.contains('\n')
                    && run.ends_with([' ', '\t']);
                if missing_comma {
                    if !lenient {
                        return None;
                    }
                    w.text((None, false), &run[..run.len() - 1]);
                    w.text((Some("err"), false), &run[run.len() - 1..]);
                    mend(",");
                    expect_key = true;
                    after_value = false;
                } else {
                    w.text((None, false), run);
                }
                mend(run);
                after_colon = colon;
                continue;
            }
            b'{' | b'[' => {
                objects.push(bytes[i] == b'{');
                expect_key = bytes[i] == b'{';
                after_value = false;
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b'}' | b']' => {
                objects.pop();
                expect_key = false;
                after_value = true;
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            // A comma at the top (after responses one after another) is plain text to
            // the grammar, not the punctuation of a list: the grammar's to write.
            b',' if objects.is_empty() => return None,
            b',' => {
                expect_key = objects.last() == Some(&true);
                after_value = false;
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b':' => {
                expect_key = false;
                after_value = false;
                after_colon = objects.last() == Some(&true);
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b'"' => {
                let class = if expect_key { "na" } else { "s" };
                i = string(code, i, class, &mut w)?;
                after_value = !expect_key;
                if lenient {
                    mend(&known_escapes(&code[start..i]));
                    continue;
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = &code[start..i];
                if matches!(word, "true" | "false" | "null") {
                    w.text((Some("kc"), false), word);
                    after_value = true;
                } else if objects.is_empty() {
                    // A word at the top, between blanks (`or` between two responses, a
                    // status line's reason), is plain text to the grammar.
                    let spaced = |b: Option<&u8>| b.is_none_or(|b| b.is_ascii_whitespace());
                    if !lenient
                        || !spaced(start.checked_sub(1).map(|s| &bytes[s]))
                        || !spaced(bytes.get(i))
                    {
                        return None;
                    }
                    w.text((None, false), word);
                    after_value = false;
                    continue;
                } else {
                    if !lenient || !colon || bytes.get(i) != Some(&b',') {
                        return None;
                    }
                    i += 1;
                    w.text((Some("err"), false), &code[start..i]);
                    mend("null,");
                    expect_key = true;
                    after_value = false;
                    continue;
                }
            }
            b'.' => {
                let elision = objects.last() == Some(&false)
                    && code[i..].starts_with("...")
                    && matches!(bytes.get(i + 3), Some(b'\n' | b'\r' | b' '));
                if !lenient || !elision {
                    return None;
                }
                i += 3;
                w.text((Some("err"), false), &code[start..i]);
                if after_value {
                    mend(",");
                }
                after_value = false;
                continue;
            }
            b'/' => {
                if !lenient || bytes.get(i + 1) != Some(&b'/') {
                    return None;
                }
                i = code[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                w.text((Some("c"), false), &code[start..i]);
                mend("\n");
                after_colon = colon;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                w.text((Some("m"), false), &code[start..i]);
                after_value = true;
            }
            // The text is strict JSON, mended or not, so nothing else can start a token; a
            // byte order mark or the like is the grammar's business.
            _ => return None,
        }
        mend(&code[start..i]);
    }
    if let Some(r) = repaired {
        r.extend(objects.iter().rev().map(|&o| if o { '}' } else { ']' }));
        if sequence {
            r.insert(0, '[');
            r.push(']');
        }
    }
    Some(w.finish())
}

fn strict(code: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(code).is_ok()
}

/// Whether `code` is strict JSON, or would be without its trailing commas.
fn strict_but_trailing_commas(code: &str) -> bool {
    strict(code) || without_trailing_commas(code).is_some_and(|c| strict(&c))
}

/// `code` with each trailing comma (one after a value, before `}` or `]`) made a space;
/// `None` when it has none, so the caller need not parse it again.
fn without_trailing_commas(code: &str) -> Option<String> {
    let mut bytes = code.as_bytes().to_vec();
    let mut found = false;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b',' if !in_string => {
                let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                let before = bytes[..i].iter().rev().find(|b| !b.is_ascii_whitespace());
                if matches!(next, Some(b'}' | b']'))
                    && before.is_some_and(|b| !matches!(b, b'{' | b'[' | b',' | b':'))
                {
                    bytes[i] = b' ';
                    found = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Only an ASCII comma was replaced, by an ASCII space.
    found.then(|| String::from_utf8(bytes).ok()).flatten()
}

/// `string` (a JSON string with its quotes) with the backslash of each escape JSON does not
/// know left out.
fn known_escapes(string: &str) -> String {
    let mut out = String::with_capacity(string.len());
    let mut chars = string.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e) if KNOWN_ESCAPES.contains(e) => {
                out.push(c);
                out.push(e);
            }
            Some(e) => out.push(e),
            None => out.push(c),
        }
    }
    out
}

/// The characters JSON allows after a backslash.
const KNOWN_ESCAPES: &str = "\"\\/bfnrtu";

/// Writes the string starting at `code[start]` (a `"`), escapes as `se` (one JSON does not
/// know as `err`, as the grammar marks it); returns the index after its closing quote.
fn string(code: &str, start: usize, class: &'static str, w: &mut Writer) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut run = start;
    let mut i = start + 1;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                w.text((Some(class), false), &code[run..=i]);
                return Some(i + 1);
            }
            b'\\' => {
                w.text((Some(class), false), &code[run..i]);
                let len = if bytes.get(i + 1) == Some(&b'u') {
                    6
                } else {
                    2
                };
                let escape = code.get(i..i + len)?;
                // A `\u` without its four digits is the grammar's to mark.
                if len == 6 && !escape[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let known = escape[1..].starts_with(|e| KNOWN_ESCAPES.contains(e));
                w.text((Some(if known { "se" } else { "err" }), false), escape);
                i += len;
                run = i;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::differential;

    /// Samples the mutation test (`differential`) starts from.
    pub(in super::super) const SAMPLES: &[&str] = &[
        "{\n  \"id\": \"4ae5\",\n  \"n\": -1.5e3,\n  \"ok\": [true, null, \"a\\\"b\\u00e9\"]\n}\n",
        "[{\"a\": {}}, [], 0, \"x\"]",
        "{\n  \"a\": [1, {\"b\": null,},\n  ],\n  \"c\": \"d\",\n}\n",
        "{\n  \"data\": None,\n  \"errors\": [\n    {\"line\": 3, \"path\": [\"A\"]}\n  ]\n}\n",
        "{\n  \"data\": {\n    \"A\": null\n  }\n  \"errors\": {\n    \"m\": \"x\"\n  }\n}\n",
        "{\n  \"a\": [\n    {\n      \"n\": 1\n    },\n    ...\n    {\n      \"n\": 2\n    }\n    ...\n    {\"n\": 3}\n  ]\n}\n",
        "{\n  \"rc\": 0, // \u{53c2}\u{6570}\n  \"list\": [    // one or more\n    {\"a\": // b\n 1}\n  ]\n}\n",
        "{\n  \"error\": true\n}\n{\n  \"message\": \"User doesn\\'t exist\\q\"\n}\n[1, \"\\u00e9\\/\"]\n",
        "{\n  \"a\":\"b\"\n}\nor\n{\n  \"a\":\"c d.\"\n}\n",
        "404 Not Found\n",
        "201 Created",
        "{\n  \"name\": \"x\",\n  \"list\": [\n    { \"id\": 1 },\n    ...\n    {\n      \"id\": \"\\u00e9\",\n      \"ok\": false\n    },\n    ...\n  ]\n",
    ];

    fn same_as_grammar(code: &str) {
        differential::same_as_grammar("JSON", super::highlight, &[code]);
    }

    /// The slips the lexer knows, as the grammar marks them.
    #[test]
    fn known_slips_are_marked_as_the_grammar_marks_them() {
        differential::same_as_grammar("JSON", super::highlight, &SAMPLES[3..]);
        let html = super::highlight(SAMPLES[3]).expect("taken");
        assert!(html.contains("<x-err>None,</x-err>"), "{html}");
    }

    /// `taken` written as the grammar writes them, `marked`'s HTML holding `markup`, and
    /// `refused` given up.
    fn slip(taken: &[&str], (marked, markup): (&str, &str), refused: &[&str]) {
        differential::same_as_grammar("JSON", super::highlight, taken);
        let html = super::highlight(marked).expect("taken");
        assert!(html.contains(markup), "{html}");
        for code in refused {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }

    /// A `//` comment, wherever whitespace may stand, is the grammar's comment; a slash
    /// that opens no line comment, or a block comment, the grammar's to colour.
    #[test]
    fn line_comments_are_comments_as_the_grammar_writes_them() {
        slip(
            &[
                "[ // x\n1]",
                "{ // x\n\"a\": 1, // y\n\"b\": 2}",
                "{\"a\": 1 // y\n}",
                "[1,//\n2] // end",
                "// c\n{}",
                "{\"a\": // y\r\n1}",
            ],
            ("[1, // one\n2]", "<x-c>// one\n</x-c>"),
            &["[1, / 2]", "[1 /* c */]", "{\"a\": 1} /"],
        );
    }

    /// Responses one after another, and escapes JSON does not know, as the grammar colours
    /// them; a second value inside a list or an object still wants its comma, and an escape
    /// of a character beyond ASCII is the grammar's.
    #[test]
    fn several_values_and_unknown_escapes_are_coloured_as_the_grammar_does() {
        slip(
            &[
                "{\"a\": 1}\n{\"b\": 2}\n",
                "[1]\n[2] 3 \"s\" true",
                "{\"a\": 1}{\"b\": 2}",
                "{\"m\": \"doesn\\'t \\q \\\\ \\u00e9\"}",
                "\"it\\'s\"\n\"\\a\"",
            ],
            ("{\"m\": \"it\\'s\"}", "<x-err>\\'</x-err>"),
            &["[1 2]", "{\"a\": 1 \"b\": 2}", "\"\\\u{e9}\""],
        );
    }

    /// Words at the top between blanks (a status line's reason, `or` between responses)
    /// are plain text, as the grammar leaves them; a word against a value or a colon, or
    /// inside brackets, is the grammar's.
    #[test]
    fn words_at_the_top_are_plain_as_the_grammar_leaves_them() {
        slip(
            &[
                "200 OK",
                "{} or\t[]\nOR\n\"x\" nullx true",
                "400 Bad Request\n\n{\"e\": 1}",
            ],
            ("404 Not Found\n", "<x-n>Not Found\n</x-n>"),
            &[
                "Response:\n{}",
                "{} x{}",
                "{}\n{},\n",
                "400Bad",
                "404true x",
                "[1, x]",
                "x",
                "{\"a\": 1} it's",
            ],
        );
    }

    /// A sample cut short at any byte, its brackets left open: given up or equal to the
    /// grammar; cut at a line's end after a value, taken.
    #[test]
    fn a_sample_cut_short_is_coloured_as_far_as_it_goes() {
        let mut taken = 0;
        for code in SAMPLES {
            for (end, _) in code.char_indices().skip(1) {
                let cut = &code[..end];
                if differential::agrees("JSON", super::highlight, cut, "cut short") {
                    taken += 1;
                }
            }
        }
        assert!(taken > 100, "only {taken} cut samples were taken");
        for cut in [
            "{\n  \"a\": [\n    1,\n",
            "[\n  {\"b\": null},\n  ...\n",
            "{",
        ] {
            assert!(super::highlight(cut).is_some(), "{cut:?}");
        }
        // Cut after a key or its colon: given up.
        for cut in ["{\"a\":", "{\"a\"", "[\"a\": 1"] {
            assert_eq!(super::highlight(cut), None, "{cut:?}");
        }
    }

    /// The slip samples mutated many times over: given up or equal to the grammar.
    #[test]
    fn mutated_slips_are_given_up_or_agree() {
        let taken = differential::mutants_taken("JSON", super::highlight, &SAMPLES[3..], 4000);
        assert!(taken > 1000, "only {taken} mutated samples were taken");
    }

    /// Every kind of token in every place it can stand, with every kind of spacing.
    #[test]
    fn the_fast_path_writes_what_the_grammar_writes() {
        let values = [
            "0",
            "-0",
            "12",
            "-3.25",
            "1e9",
            "2.5E-3",
            "-1.0e+10",
            "true",
            "false",
            "null",
            "\"\"",
            "\"text with spaces\"",
            "\"<tag> & 'q'\"",
            "\"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
            "\"\\u00e9 and \\uD83D\\uDE00\"",
            "\"ünïcödé ✓\"",
            "[]",
            "{}",
            "[1, [2, [3]]]",
            "{\"a\": {\"b\": [true, null, {\"c\": \"d\"}]}}",
        ];
        for v in values {
            same_as_grammar(v);
            for (open, sep, close) in [
                ("{", ": ", "}"),
                ("{\n  ", ":", "\n}\n"),
                ("{ ", " : ", " }"),
            ] {
                same_as_grammar(&format!("{open}\"key\"{sep}{v}{close}"));
                same_as_grammar(&format!(
                    "{open}\"k\\\"ey\"{sep}{v},\n\t\"other\"{sep}{v}{close}"
                ));
            }
            same_as_grammar(&format!("[{v},{v} ,\r\n {v}]"));
            // Trailing commas, which the grammar writes as plain punctuation.
            same_as_grammar(&format!("[{v},]"));
            same_as_grammar(&format!("[[{v} ,\n ],\n]"));
            same_as_grammar(&format!("{{\"a\": {v},\n}}"));
            same_as_grammar(&format!("{{\"a\": {{\"b\": [{v},],}},}}"));
        }
        same_as_grammar(
            "  {\"id\": \"4ae5\", \"list\": [{\"n\": 1}, {\"n\": 2}], \"ok\": false}  \n\n",
        );
    }

    /// Broken JSON is the grammar's to colour.
    #[test]
    fn anything_but_strict_json_takes_the_grammar() {
        for code in [
            "{\"a\": 1,,}",
            "[,]",
            "{,}",
            "{\"a\":,}",
            "[1,,]",
            "{\"a\",}",
            "{a: 1}",
            "[1 2]",
            "{\"a\": 'b'}",
            "",
            "NaN",
            "{\"a\": None}",
            "{\"a\": None ,\"b\": 1}",
            "[None, 1]",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": 1\n\"b\": 2}",
            "{\"a\": ...}",
            "[1, ..., 2]",
            "{\"a\": Nope,\n  \"b\"}",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
