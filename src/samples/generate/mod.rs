//! One language's program sending the requests of a curl sample: runnable as it stands,
//! with every environment variable the command used read from the environment.

mod compiled;
mod scripts;
#[cfg(test)]
mod tests;

use super::curl::{Body, Part, Request, Seg, Text};
use super::json::Style;
use super::Lang;
use crate::openapi::commonmark::indented as indent;
use compiled::{csharp, go, java};
use scripts::{httpie, node, php, python, ruby};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The program in `lang` sending `reqs`, one after the other.
pub fn generate(lang: Lang, reqs: &[Request]) -> String {
    match lang {
        Lang::Python => python(reqs),
        Lang::Node => node(reqs),
        Lang::Go => go(reqs),
        Lang::Ruby => ruby(reqs),
        Lang::Php => php(reqs),
        Lang::Java => java(reqs),
        Lang::Csharp => csharp(reqs),
        Lang::Httpie => httpie(reqs),
    }
}

/// How a language writes a string literal, or reads a variable into a string.
type Quote<'a> = &'a dyn Fn(&str) -> String;

/// A string expression: literal parts quoted, variables read, joined by `plus`.
fn concat(t: &Text, quote: Quote, var: Quote, plus: &str) -> String {
    if t.is_empty() {
        return quote("");
    }
    t.0.iter()
        .map(|s| match s {
            Seg::Lit(l) => quote(l),
            Seg::Var(v) => var(v),
        })
        .collect::<Vec<_>>()
        .join(plus)
}

/// A double-quoted string with JSON's escapes, which C-family languages and Python share.
fn dq(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A single-quoted string where only `\` and `'` are escaped (PHP, JavaScript).
fn sq(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `a.pdf` of `files/a.pdf`.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Percent-encodes a query or form value at generation time (RFC 3986 unreserved kept).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Each request's code, one after the other; when there are several, each in a block of its
/// own, so their variables (`req`, `response` …) can be declared again.
fn blocks(reqs: &[Request], pad: &str, mut code: impl FnMut(&Request) -> String) -> String {
    let many = reqs.len() > 1;
    let parts: Vec<String> = reqs
        .iter()
        .map(|r| {
            let c = code(r);
            if many {
                format!("{{\n{}\n}}", indent(c.trim_end(), pad))
            } else {
                c.trim_end().to_string()
            }
        })
        .collect();
    parts.join("\n")
}

fn has_dupes(pairs: &[(Text, Text)]) -> bool {
    let mut seen = BTreeSet::new();
    pairs.iter().any(|(k, _)| !seen.insert(k.shown()))
}

fn uses_vars(reqs: &[Request]) -> bool {
    let text_vars = |t: &Text| t.has_vars();
    reqs.iter().any(|r| {
        text_vars(&r.url)
            || r.query
                .iter()
                .chain(&r.headers)
                .any(|(k, v)| text_vars(k) || text_vars(v))
            || r.user
                .as_ref()
                .is_some_and(|(u, p)| text_vars(u) || text_vars(p))
            || match &r.body {
                Body::Raw(t) => text_vars(t),
                Body::Form(p) => p.iter().any(|(k, v)| text_vars(k) || text_vars(v)),
                Body::Multipart(parts) => parts.iter().any(|p| match p {
                    Part::Field(k, v) => text_vars(k) || text_vars(v),
                    Part::File { name, path, .. } => text_vars(name) || text_vars(path),
                }),
                _ => false,
            }
    })
}

/// A string in quotes that interpolate (a JavaScript template, a shell's double quotes):
/// `\`, `$`, `` ` `` and the quote escaped in the literal parts, each variable as `var` says.
fn interpolated(t: &Text, quote: char, var: impl Fn(&str) -> String) -> String {
    let mut out = String::from(quote);
    for s in &t.0 {
        match s {
            Seg::Lit(l) => {
                for c in l.chars() {
                    if matches!(c, '\\' | '$' | '`') || c == quote {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Seg::Var(v) => out.push_str(&var(v)),
        }
    }
    out.push(quote);
    out
}

/// The parts joined by `sep`, adjacent literals merged (so a word quotes as one).
fn joined(parts: &[&Text], sep: &str) -> Text {
    let mut t = Text::default();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            t.0.push(Seg::Lit(sep.into()));
        }
        t.0.extend(p.0.iter().cloned());
    }
    // Adjacent literals are merged so the word quotes as one.
    let mut merged = Text::default();
    for s in t.0 {
        match (merged.0.last_mut(), s) {
            (Some(Seg::Lit(a)), Seg::Lit(b)) => a.push_str(&b),
            (_, s) => merged.0.push(s),
        }
    }
    merged
}

/// JSON's own spelling, which each language's style changes where it must.
const JSON_LIKE: Style = Style {
    null: "null",
    yes: "true",
    no: "false",
    string: &dq,
    open_obj: "{",
    close_obj: "}",
    empty_obj: "{}",
    open_arr: "[",
    close_arr: "]",
    colon: ": ",
    key: &dq,
    indent: "    ",
};
