//! A fast path for the shell samples of API docs (`curl` and HTTPie commands): a
//! hand-written lexer that writes the same HTML the bash grammar gives through syntect,
//! for the narrow kind of command line those samples are made of, and leaves everything
//! else to the grammar.
//!
//! What it takes: commands named in [`COMMANDS`] (names the grammar colours as plain
//! commands, not builtins or keywords) or a bare `http(s)://` URL (a base URL shown alone),
//! whose words are options, plain words, quoted strings (ANSI-C `$'…'` ones without escapes
//! too) and simple `$NAME` / `${NAME}` variables, continued over lines with `\`, and `#`
//! comments, a `?` and a `{name}` placeholder inside a word. Also the JSON body of an HTTPie field whose quotes close too
//! soon (`a:="[` … `x="y"` … `]"`): escaped quotes outside quotes, `{`/`}` groups and `]` on
//! lines of their own, `\"key\":` as a command's name, `name:="…"` assignments. A `\` that
//! escapes a space at a line's end (the grammar's `err`), so an option starts the next
//! command, and a query's `&` with an assignment after it, ending the line. Anything else
//! (pipes, redirections, substitutions, other globs, other commands) returns `None` for the
//! whole sample, so a sample is coloured by one path only. The differential tests hold the
//! two paths to the same output.

use super::{skip, Writer, PUNCTUATION};

/// Commands the bash grammar scopes as plain function calls (`nf`). A builtin (`echo`,
/// `export`, `cd`) or keyword is scoped otherwise, so only names checked against the
/// grammar are listed.
const COMMANDS: &[&str] = &["curl", "http", "https", "wget"];

/// The HTML of `code` as the bash grammar would highlight it, or `None` when `code` holds
/// anything this lexer does not know.
pub(super) fn highlight(code: &str) -> Option<String> {
    let bytes = code.as_bytes();
    let mut w = Writer::with_capacity(code.len() * 2);
    let mut i = 0;
    // At the start of a command (the sample's start, after a newline not escaped).
    let mut command_start = true;
    // At the start of a word: after whitespace or an escaped newline.
    let mut word_start = true;
    // Groups (`{` … `}` on lines of their own) open.
    let mut groups = 0usize;
    // After a body's closing bracket, a command's name: a word joined to it is part of
    // that name.
    let mut bracket_name = false;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        if std::mem::take(&mut bracket_name) && !matches!(b, b' ' | b'\t' | b'\n') {
            if b != b'"' {
                return None;
            }
            bracket_name = true;
        }
        if command_start {
            match b {
                b' ' | b'\t' | b'\n' => {
                    i = skip(bytes, i, |b| matches!(b, b' ' | b'\t' | b'\n'));
                    w.text((None, false), &code[start..i]);
                }
                b'#' => i = comment(code, i, &mut w),
                // A group's braces, each on a line of its own (a JSON body left unquoted
                // after a string closed too soon), are punctuation to the grammar.
                b'{' if bytes.get(i + 1) == Some(&b'\n') => {
                    groups += 1;
                    i += 1;
                    w.text((Some(PUNCTUATION), false), "{");
                }
                b'}' if groups > 0 && matches!(bytes.get(i + 1), None | Some(b'\n')) => {
                    groups -= 1;
                    i += 1;
                    w.text((Some(PUNCTUATION), false), "}");
                }
                // A key of that body (`\"name\":`) is a command's name, its escapes
                // escapes.
                b'\\' if bytes.get(i + 1) == Some(&b'"') => {
                    let name = skip(bytes, i + 2, |b| b.is_ascii_alphanumeric() || b == b'_');
                    if name == i + 2
                        || !bytes[name..].starts_with(b"\\\":")
                        || bytes.get(name + 3) != Some(&b' ')
                    {
                        return None;
                    }
                    w.text((Some("se"), false), &code[i..i + 2]);
                    w.text((Some("nf"), false), &code[i + 2..name]);
                    w.text((Some("se"), false), &code[name..name + 2]);
                    w.text((Some("nf"), false), ":");
                    i = name + 3;
                    command_start = false;
                    word_start = false;
                }
                // An assignment of a string (`name:="…"`: an HTTPie field on a line of its
                // own, its command's line ended by a string closed too soon) is a variable,
                // an operator and a string.
                b'a'..=b'z' | b'_' if bytes[assigned(bytes, i)..].starts_with(b":=\"") => {
                    let colon = assigned(bytes, i);
                    w.text((Some("nv"), false), &code[i..=colon]);
                    w.text((Some("o"), false), "=");
                    i = double_quoted(code, colon + 2, &mut w)?;
                    if !matches!(bytes.get(i), None | Some(b'\n')) {
                        return None;
                    }
                    command_start = false;
                    word_start = false;
                }
                // The body's closing bracket, before the quote that ends it.
                b']' if matches!(bytes.get(i + 1), None | Some(b'"' | b' ' | b'\n')) => {
                    i += 1;
                    w.text((Some("nf"), false), "]");
                    bracket_name = true;
                    command_start = false;
                    word_start = false;
                }
                // An option where a command's name comes (a line after one whose `\`
                // escaped a space, not the newline) is that command's name.
                b'-' if is_option(bytes, i) => {
                    i = skip(bytes, i + 1, is_option_byte);
                    if !matches!(bytes.get(i), Some(b' ')) {
                        return None;
                    }
                    w.text((Some("nf"), false), &code[start..i]);
                    command_start = false;
                    word_start = false;
                }
                _ => {
                    // A URL shown alone (a site's base URL) is a command's name to the
                    // grammar too.
                    let url = url_command(bytes, i);
                    i = url.unwrap_or_else(|| skip(bytes, i, |b| b.is_ascii_lowercase()));
                    if url.is_none() && !COMMANDS.contains(&&code[start..i]) {
                        return None;
                    }
                    if !matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'\n')) {
                        return None;
                    }
                    w.text((Some("nf"), false), &code[start..i]);
                    command_start = false;
                    word_start = false;
                }
            }
            continue;
        }
        match b {
            b' ' | b'\t' => {
                i = skip(bytes, i, |b| matches!(b, b' ' | b'\t'));
                // The grammar scopes the blanks before an option with the option.
                let class = is_option(bytes, i).then_some("nv");
                w.text((class, false), &code[start..i]);
                word_start = true;
            }
            b'\n' => {
                i += 1;
                w.text((None, false), &code[start..i]);
                command_start = true;
            }
            // An escaped quote outside quotes is an escape.
            b'\\' if bytes.get(i + 1) == Some(&b'"') => {
                i += 2;
                w.text((Some("se"), false), &code[start..i]);
                word_start = false;
            }
            // A `\` with one space after it at a line's end escapes that space, which
            // the grammar marks `err` as trailing: the newline then ends the command.
            b'\\' if word_start && bytes[i + 1..].starts_with(b" \n") => {
                w.text((None, false), "\\");
                w.text((Some("err"), false), " ");
                i += 2;
            }
            b'\\' => {
                if bytes.get(i + 1) != Some(&b'\n') {
                    return None;
                }
                w.text((Some(PUNCTUATION), false), "\\");
                w.text((None, false), "\n");
                i += 2;
                word_start = true;
            }
            b'#' if word_start => {
                i = comment(code, i, &mut w);
                command_start = true;
            }
            b'-' if word_start => {
                if !is_option(bytes, i) {
                    return None;
                }
                i = skip(bytes, i + 1, is_option_byte);
                if !matches!(
                    bytes.get(i),
                    None | Some(b' ' | b'\t' | b'\n' | b'"' | b'\'')
                ) {
                    return None;
                }
                w.text((Some("nv"), false), &code[start..i]);
                word_start = false;
            }
            b'"' => {
                i = double_quoted(code, i, &mut w)?;
                word_start = false;
            }
            b'\'' => {
                let end = code[i + 1..].find('\'')? + i + 2;
                w.text((Some("s"), false), &code[start..end]);
                i = end;
                word_start = false;
            }
            // An ANSI-C string (`$'…'`, Paw's `-d` bodies) is a string to the grammar; its
            // escapes are coloured apart, so one holding a backslash is the grammar's.
            b'$' if bytes.get(i + 1) == Some(&b'\'') => {
                let end = code[i + 2..].find('\'')? + i + 3;
                if code[start..end].contains('\\') {
                    return None;
                }
                w.text((Some("s"), false), &code[start..end]);
                i = end;
                word_start = false;
            }
            b'$' => {
                i = variable(bytes, i)?;
                if !matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'\n')) {
                    return None;
                }
                w.text((Some("nv"), false), &code[start..i]);
                word_start = false;
            }
            // A glob's `?` inside a word (a URL's query left unquoted) is an operator.
            b'?' if !word_start => {
                i = skip(bytes, i, |b| b == b'?');
                w.text((Some("o"), false), &code[start..i]);
            }
            // A `&` inside a word (a URL's query left unquoted) sends the command to the
            // background: what follows is a new command, here an assignment ending its line.
            b'&' if !word_start => {
                w.text((Some("o"), false), "&");
                i = assignment(code, i + 1, &mut w)?;
                word_start = false;
            }
            // A name in braces inside a word (a URL's `{subdomain}` placeholder): the
            // braces punctuation, the name plain text.
            b'{' if !word_start => {
                let name = skip(bytes, i + 1, |b| b.is_ascii_alphanumeric() || b == b'_');
                if name == i + 1 || bytes.get(name) != Some(&b'}') {
                    return None;
                }
                w.text((Some(PUNCTUATION), false), "{");
                w.text((None, false), &code[i + 1..name]);
                w.text((Some(PUNCTUATION), false), "}");
                i = name + 1;
            }
            // A bracket ending a line right after a closing quote is plain text (at a word's
            // start, `[` is the test command's).
            b'[' if !word_start && bytes.get(i + 1) == Some(&b'\n') => {
                i += 1;
                w.text((None, false), &code[start..i]);
                word_start = false;
            }
            _ if is_word_byte(b) => {
                i = skip(bytes, i, is_word_byte);
                w.text((None, false), &code[start..i]);
                word_start = false;
            }
            _ => return None,
        }
    }
    if groups > 0 {
        return None;
    }
    Some(w.finish())
}

/// Writes the assignment `name=value` at `code[start]`, its value letters and digits
/// ending the line (or the sample), as a variable, an operator and a string; returns the
/// index of the line's end.
fn assignment(code: &str, start: usize, w: &mut Writer) -> Option<usize> {
    let bytes = code.as_bytes();
    if !bytes.get(start).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let eq = skip(bytes, start, |b| b.is_ascii_alphanumeric() || b == b'_');
    if bytes.get(eq) != Some(&b'=') {
        return None;
    }
    let end = skip(bytes, eq + 1, |b| b.is_ascii_alphanumeric());
    if end == eq + 1 || !matches!(bytes.get(end), None | Some(b'\n')) {
        return None;
    }
    w.text((Some("nv"), false), &code[start..eq]);
    w.text((Some("o"), false), "=");
    w.text((Some("s"), false), &code[eq + 1..end]);
    Some(end)
}

/// The end of the name (lowercase letters and `_`) at `bytes[start]`.
fn assigned(bytes: &[u8], start: usize) -> usize {
    skip(bytes, start, |b| b.is_ascii_lowercase() || b == b'_')
}

/// The end of the URL at `bytes[start]` (`http://` or `https://`, then bytes the grammar
/// gives no meaning of their own in a command's name), or `None`.
fn url_command(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = &bytes[start..];
    let scheme = [&b"https://"[..], b"http://"]
        .into_iter()
        .find(|s| rest.starts_with(s))?
        .len();
    let end = skip(bytes, start + scheme, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b':')
    });
    (end > start + scheme).then_some(end)
}

/// Bytes of a plain unquoted word: ones the grammar gives no meaning of their own.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b'@' | b',' | b'+'
        )
}

fn is_option_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

/// Whether an option (`-X`, `--data`; not a bare `-` or `--`, nor `---X`) starts at `i`.
fn is_option(bytes: &[u8], i: usize) -> bool {
    let rest = &bytes[i.min(bytes.len())..];
    let name = if rest.starts_with(b"--") { 2 } else { 1 };
    rest.first() == Some(&b'-')
        && rest
            .get(name)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || (name == 1 && b == b'_'))
}

/// A comment from `code[start]` (a `#`) to its line's end; returns the index after the
/// newline (or the end).
fn comment(code: &str, start: usize, w: &mut Writer) -> usize {
    let end = code[start..]
        .find('\n')
        .map_or(code.len(), |n| start + n + 1);
    w.text((Some("c"), false), &code[start..end]);
    end
}

/// The end of the variable at `bytes[start]` (a `$`): `$NAME` or `${NAME}`.
fn variable(bytes: &[u8], start: usize) -> Option<usize> {
    let braced = bytes.get(start + 1) == Some(&b'{');
    let name = start + 1 + usize::from(braced);
    if !bytes.get(name).is_some_and(|&b| b.is_ascii_alphabetic()) {
        return None;
    }
    let end = skip(bytes, name, |b| b.is_ascii_alphanumeric() || b == b'_');
    if !braced {
        return Some(end);
    }
    (bytes.get(end) == Some(&b'}')).then_some(end + 1)
}

/// Writes the double-quoted string at `code[start]` (a `"`); returns the index after it.
fn double_quoted(code: &str, start: usize, w: &mut Writer) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut run = start;
    let mut i = start + 1;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                w.text((Some("s"), false), &code[run..=i]);
                return Some(i + 1);
            }
            b'\\' => match *bytes.get(i + 1)? {
                b'\\' | b'$' | b'`' | b'"' | b'\n' => {
                    w.text((Some("s"), false), &code[run..i]);
                    w.text((Some("se"), false), &code[i..i + 2]);
                    i += 2;
                    run = i;
                }
                b if b.is_ascii_alphanumeric() => i += 2,
                _ => return None,
            },
            b'$' => {
                w.text((Some("s"), false), &code[run..i]);
                let end = variable(bytes, i)?;
                // A letter beyond ASCII continues the name, as the grammar reads it.
                if bytes.get(end).is_some_and(|b| !b.is_ascii()) {
                    return None;
                }
                w.text((Some("nv"), false), &code[i..end]);
                i = end;
                run = i;
            }
            b'`' | b'!' => return None,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::differential::same_as_grammar;
    use super::super::BASH;

    /// Every kind of word in the places it can stand, each checked against the grammar
    /// (and the seeds of the mutation test in `differential`).
    pub(in super::super) const SAMPLES: &[&str] = &[
        "curl -X DELETE \"https://api.example.com/v2/users/1/\" \\\n  -H \"Authorization: Bearer $API_TOKEN\" \\\n  -H \"Accept: application/json\" \\\n  -d '{\"active\": \"v-1\", \"url\": \"v-2\"}'",
        "http DELETE https://api.example.com/v2/users/1/ \\\n  Authorization:\"Bearer $API_TOKEN\" \\\n  active=value-260 \\\n  callback_url=value-257\n",
        "curl  -X  GET \"a\" -m 30 --max-time 30 -sS x\n",
        " curl https://widgets.example.org/v2/items?page=2\ncurl -s http://x.example/a??b=c\n",
        "curl -u \"$KEY:\" -d limit=3\n  curl -H 'a b' \\\n\t-H \"x\"\n",
        "# comment here\ncurl https://x.io # trailing\n#!/bin/bash\n",
        "wget -q https://x.io/file\ncurl -d @file.json -o out.txt x\n",
        "http POST x.io a:=1 b==2 'c:d'\ncurl \"a\\\"b\" 'x\\'\n",
        "curl -H \"A: $A\" -H \"B: ${B}\" \"${A}x\" $TOKEN x$A ${A} $A_1\n",
        "curl -d \"{\\\"a\\\": 1}\" \"a\\\\b\\$c\\`d\\x\" x\n",
        "curl -X POST x \\\n  -d '{\n  \"a\": 1\n}'\n",
        "curl a\"b\"c x,y+w x\ncurl -H 'x'-d\ncurl -X\"POST\" -H\"a\"\ncurl x -X\n",
        "curl x \\\n-d a \\\n  # c\n\ncurl x\\\n -d\ncurl   \nhttps a\n",
        "curl -1 -v1 -_a -X- --data-binary @-\n",
        "\n\n  curl \\\n\t-d\t\"x\"",
        "curl 'a''b' \"a\"\"b\" \"a\"'b' \"it's\" '\"$A\"' if then done",
        "curl -X \"POST\" \"https://x.io/a/\" \\\n     -H 'A: b' \\\n     -d $'{\n  \"a\": \"it'\"'\"'s\",\n  b: 1\n}'\n",
        "curl -d $'{}' $'' x$'a'b $'\"x\" $X `y` !z # w' c\n",
        "https://api-sandbox.example.com\n\n",
        "  https://docs.example.com/future_internal/\nhttp://localhost:8080/v2/a-b.c\n",
        "https://x.io/a c \\\n  -d x\nhttps://a.b/\t\nhttp://a:b.c/d_1",
        // A JSON body whose string closed too soon: escaped quotes, a group, brackets.
        "http PUT 'https://x.io/v1/' \\\n  boxes:=\"[\n    size:=3 \\\n    label=\"small\" \\\n    parts:=\"[\n  {\n    \\\"part_id\\\": \\\"p-1\\\",\n    \\\"count\\\": \\\"2\\\"\n  }\n  ]\"\n]\"\n\n",
        "curl x \\\"a\\\" \"b\"[\n{\n\\\"k1\\\": 2\n}\n]\n] \"x\"\n",
        "http x \\\n  a:=\"{\n  \\\"k\\\": 1\n}\"\n  my_field:=\"{\n  \\\"b\\\": \\\"$c\\\"\n}\"\nb:=\"\"",
        // A `\` escaping a space at a line's end (the next line a command of its own), a
        // query's `&` (an assignment in the background after it).
        "curl \\\n  -H \"Accept: text/plain\" \\ \n  -H \"X-Key: k\" \\\n  https://api.example.com/v1/items?page=2&limit=5\n",
        "curl https://{sub}.x.io/a/{id}/b?c={v}\ncurl x{a}{b_1}\ncurl https://x.io/a?b=c&d_2=1\ncurl x?a&b=2\ncurl -H 'a' \\ \n  --header 'b' x \\\n  -d '{}'",
    ];

    #[test]
    fn the_lexer_writes_what_the_grammar_writes() {
        same_as_grammar(BASH, super::highlight, SAMPLES);
    }

    /// What the lexer does not know is the grammar's: pipes, redirections, substitutions,
    /// globs, builtins, other commands.
    #[test]
    fn anything_else_takes_the_grammar() {
        for code in [
            "curl x | jq .",
            "curl x > out.json",
            "curl x; curl y",
            "curl \"$(date)\"",
            "curl `date`",
            "echo hi",
            "export A=1",
            "$ curl x",
            "curl x?a=1&b=2&c=3",
            "curl x?a=1&b=2 -d y",
            "curl x \\  \n-H y",
            "curl x\\ \n-H y",
            "curl x \\ \n-H=y",
            "curl --data=foo x",
            "curl x -- y",
            "curl *.json",
            "curl \"a",
            "curl 'a",
            "curl x\r\n",
            "curl %z",
            "curl -H$A",
            "curl -d $'a\\nb'",
            "curl -d $'a",
            "curl -d$'a'",
            "https://a.b/c=d",
            "https://a.b/~h",
            "https://a.b/%20",
            "https://a.b/{id}",
            "https://a.b/${X}",
            "https://a.b/c?d",
            "https://a.b/c&d",
            "ftp://a.b",
            "https://",
            "https:x",
            "curl x [ y",
            "curl x \"a\"[y",
            "curl x\n{\n",
            "curl x\n}\n",
            "curl x\n\\\"a\\\" b\n",
            "curl x\n\\\"a\\\":b\n",
            "curl x\n]a\n",
            "curl x{a,b}",
            "curl x{}",
            "curl x{a",
            "curl {a}",
            "curl x\n]\"a\"b\n",
            "curl x\nab:=\"v\" c\n",
            "curl x\nab:=1\n",
            "curl x\nab=\"v\"\n",
            "curl x\nAb:=\"v\"\n",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
