//! A fast path for the HTTP samples of API docs: a request line (`POST /a/b HTTP/1.1`) or a
//! status line (`HTTP/1.1 401 Unauthorized`), headers of names the grammar was checked on,
//! and a JSON body after a blank line (`Content-Type: application/json`; with no headers, a
//! body of any text, which the grammar leaves plain), written as the
//! HTTP grammar writes them through syntect. A site whose only sample outside the other
//! lexers was one status line loaded the grammars for it. Anything else (other headers,
//! parameters in a media type, a query, a body of another type) gives the sample up.

use super::{json, skip, Writer, PUNCTUATION};

/// The methods of a request line, which the grammar writes `k`.
const METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Header names whose value the grammar writes as one string, from the `:` on, the blank
/// after it included (checked against it); `X-` names too.
const HEADERS: &[&str] = &["Accept", "Authorization", "Host", "User-Agent"];

/// The HTML of `code` as the HTTP grammar would highlight it, or `None` when `code` holds
/// anything this lexer does not know.
pub(super) fn highlight(code: &str) -> Option<String> {
    let b = code.as_bytes();
    let mut w = Writer::with_capacity(code.len() * 2);
    let mut i = first_line(code, &mut w)?;
    let mut json_body = false;
    let headers_from = i;
    // Headers, each `Name: value` on a line of its own, to a blank line or the end.
    while i < b.len() && b[i] != b'\n' {
        let name = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'-');
        let end = code[i..].find('\n').map_or(b.len(), |n| i + n);
        let header = &code[i..name];
        if name == i || b.get(name) != Some(&b':') || !b[i].is_ascii_alphabetic() {
            return None;
        }
        let value = &code[name + 1..end];
        if value.contains(['\r', '\t']) || value.trim().is_empty() {
            return None;
        }
        w.text((Some("na"), false), header);
        w.text((Some(PUNCTUATION), false), ":");
        if header == "Content-Type" {
            // The grammar reads a media type; only a bare one is known here.
            let blank = &value[..value.len() - value.trim_start().len()];
            let media = &value[blank.len()..];
            if media != "application/json" || blank != " " {
                return None;
            }
            json_body = true;
            w.text((None, false), blank);
            w.text((Some("s"), false), media);
        } else if HEADERS.contains(&header) || header.starts_with("X-") {
            // Other bytes (`=`, `;`, `:`) open parameters and the like to the grammar.
            let plain = value.bytes().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b'/' | b'-' | b'_')
            });
            if !plain || !value.starts_with(' ') || value.ends_with(' ') {
                return None;
            }
            w.text((Some("s"), false), value);
        } else {
            return None;
        }
        i = end;
        if i < b.len() {
            w.text((None, false), "\n");
            i += 1;
        }
    }
    if i >= b.len() {
        return Some(w.finish());
    }
    // The blank line, then the body from the next line's start.
    w.text((None, false), "\n");
    i += 1;
    let body = &code[i..];
    if body.trim().is_empty() {
        w.text((None, false), body);
        return Some(w.finish());
    }
    // With no headers, the grammar knows no type for the body: plain text throughout.
    if i == headers_from + 1 {
        w.text((None, false), body);
        return Some(w.finish());
    }
    if !json_body || !body.starts_with(['{', '[']) {
        return None;
    }
    let mut html = w.finish();
    html.push_str(&json::highlight(body)?);
    Some(html)
}

/// Writes the request or status line; returns the index after its newline (or the end).
fn first_line(code: &str, w: &mut Writer) -> Option<usize> {
    let b = code.as_bytes();
    let end = code.find('\n').unwrap_or(b.len());
    let line = &code[..end];
    let mut words = line.splitn(3, ' ');
    let (first, second, third) = (words.next()?, words.next()?, words.next()?);
    if version(first) {
        // A status line: a three-digit code and a reason of words.
        let reason_ok = third.split(' ').all(|word| {
            word.bytes().all(|c| c.is_ascii_alphabetic())
                && word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        });
        if second.len() != 3 || !second.bytes().all(|c| c.is_ascii_digit()) || !reason_ok {
            return None;
        }
        w.text((Some("kc"), false), first);
        w.text((None, false), " ");
        w.text((Some("m"), false), second);
        w.text((None, false), " ");
        w.text((Some("s"), false), third);
    } else {
        if !METHODS.contains(&first) || !version(third) || third.contains(' ') {
            return None;
        }
        w.text((Some("k"), false), first);
        w.text((None, false), " ");
        path(second, w)?;
        w.text((None, false), " ");
        w.text((Some("kc"), false), third);
    }
    if end < b.len() {
        w.text((None, false), "\n");
        return Some(end + 1);
    }
    Some(end)
}

/// Whether `word` is `HTTP/1.1` or `HTTP/1.0`.
fn version(word: &str) -> bool {
    matches!(word, "HTTP/1.1" | "HTTP/1.0")
}

/// Writes a request's path: `/`-separated segments of letters, digits, `-` and `_`, each
/// plain text, the slashes punctuation.
fn path(path: &str, w: &mut Writer) -> Option<()> {
    let rest = path.strip_prefix('/')?;
    w.text((Some(PUNCTUATION), false), "/");
    for (n, segment) in rest.split('/').enumerate() {
        if n > 0 {
            w.text((Some(PUNCTUATION), false), "/");
        }
        let ok = segment
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
        if segment.is_empty() || !ok {
            return None;
        }
        w.text((Some("n"), false), segment);
    }
    Some(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::differential::same_as_grammar;

    /// Request and status lines, headers and bodies as API docs write them, each held to
    /// the grammar (and the seeds of the mutation test in `differential`).
    pub(in super::super) const SAMPLES: &[&str] = &[
        "HTTP/1.1 401 Unauthorized\n",
        "HTTP/1.0 200 OK",
        "POST /v3/content/images HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\nX-Auth-Token: TOKEN_1\n\n{\n  \"id\": \"a.b\",\n  \"url\": \"http://x.example/c\"\n}\n",
        "GET /v1/items HTTP/1.1\nAccept: text/plain\nAuthorization: Bearer abc.def\nUser-Agent: x/1.0\n",
        "HTTP/1.1 201 Created\nContent-Type: application/json\n\n[1, {\"a\": null}]",
        "DELETE /a HTTP/1.1\nHost: x\n\n",
        "HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\n  \"error\": \"No such item\"\n}\n",
        "HTTP/1.1 200 OK\n\n{\n  \"result\": \"done\"\n}\n",
        "GET /a/b HTTP/1.1\n\n[1, 2]",
    ];

    #[test]
    fn the_lexer_writes_what_the_grammar_writes() {
        same_as_grammar("HTTP Request and Response", super::highlight, SAMPLES);
    }

    /// The samples mutated many times over: given up or equal to the grammar.
    #[test]
    fn mutated_samples_are_given_up_or_agree() {
        let taken = super::super::differential::mutants_taken(
            "HTTP Request and Response",
            super::highlight,
            SAMPLES,
            1500,
        );
        assert!(taken > 500, "only {taken} mutated samples were taken");
    }

    /// What the lexer was not checked on is the grammar's.
    #[test]
    fn anything_else_takes_the_grammar() {
        for code in [
            "GET /a?b=1 HTTP/1.1\n",
            "GET /a/ HTTP/1.1\n",
            "GET a HTTP/1.1\n",
            "FETCH /a HTTP/1.1\n",
            "GET /a HTTP/2\n",
            "HTTP/1.1 200 OK then\n",
            "HTTP/1.1 200 OK  Then\n",
            "GET /a HTTP/1.1 x\n",
            "HTTP/1.1 2000 OK\n",
            "HTTP/1.1 200 ok\n",
            "GET /a HTTP/1.1\nContent-Length: 3\n",
            "GET /a HTTP/1.1\nContent-Type: application/json; charset=utf-8\n",
            "GET /a HTTP/1.1\nContent-Type: text/xml\n\n<a/>",
            "GET /a HTTP/1.1\nHost: x\n\nname=value",
            "GET /a HTTP/1.1\nHost: x\n\n {}",
            "GET /a HTTP/1.1\nHost:\n",
            "GET /a HTTP/1.1\nHost:x\n",
            "GET /a HTTP/1.1\nHost: a=b\n",
            "GET /a HTTP/1.1\nHost: a;b\n",
            "GET /a HTTP/1.1\nHost: a:1\n",
            "GET /a HTTP/1.1\nHost x\n",
            "GET /a HTTP/1.1\r\nHost: x\r\n",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
