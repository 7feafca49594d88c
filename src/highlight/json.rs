//! A fast path for valid JSON, the commonest sample language of API docs (request and
//! response bodies): a hand-written lexer that writes the same HTML the JSON grammar gives
//! through syntect, about thirty times faster. syntect's JSON grammar runs a dozen regexes
//! per token; JSON's tokens are decided by their first character.
//!
//! Only JSON that `serde_json` accepts takes this path (but for trailing commas, which real
//! docs leave in their samples and the grammar writes as plain punctuation), so every token
//! is one of the few kinds below and its place (key or value) follows from the brackets
//! around it. Anything else (comments, JSON5, a half-written sample) returns `None` and
//! goes through the grammar, which knows how to colour broken input. The tests hold the two
//! paths to the same output on every kind of token.

use super::{Writer, PUNCTUATION};

/// The HTML of `code` as the JSON grammar would highlight it, or `None` when `code` is not
/// strict JSON (trailing commas aside).
pub(super) fn highlight(code: &str) -> Option<String> {
    if !strict(code) && !strict(&without_trailing_commas(code)?) {
        return None;
    }
    let mut w = Writer::with_capacity(code.len() * 2);
    // Innermost open bracket first: whether a string there is a key (`{`, before its `:`).
    let mut objects: Vec<bool> = Vec::new();
    let mut expect_key = false;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                w.text((None, false), &code[start..i]);
            }
            b'{' | b'[' => {
                objects.push(bytes[i] == b'{');
                expect_key = bytes[i] == b'{';
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b'}' | b']' => {
                objects.pop();
                expect_key = false;
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b',' => {
                expect_key = objects.last() == Some(&true);
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b':' => {
                expect_key = false;
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
            }
            b'"' => {
                let class = if expect_key { "na" } else { "s" };
                i = string(code, i, class, &mut w)?;
            }
            b't' | b'f' | b'n' => {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                w.text((Some("kc"), false), &code[start..i]);
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                w.text((Some("m"), false), &code[start..i]);
            }
            // serde_json accepted it, so nothing else can start a token; a byte order mark
            // or the like is the grammar's business.
            _ => return None,
        }
    }
    Some(w.finish())
}

fn strict(code: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(code).is_ok()
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

/// Writes the string starting at `code[start]` (a `"`), escapes as `se`; returns the index
/// after its closing quote.
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
                w.text((Some("se"), false), code.get(i..i + len)?);
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
    ];

    fn same_as_grammar(code: &str) {
        differential::same_as_grammar("JSON", super::highlight, &[code]);
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
            "// c\n{}",
            "{a: 1}",
            "[1 2]",
            "{\"a\": 'b'}",
            "",
            "NaN",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
