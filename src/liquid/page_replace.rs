//! Text a site's root page replaces in each doc's `content_markdown` before it renders it:
//! `{{ doc.content_markdown | replace: "!ORG_NAME!", site.org_name | markdownify }}`, a
//! layout's way to fill placeholders the docs write. endpaper's theme composes
//! `content_markdown` itself, so it applies the same replacements first.
//!
//! The rule: in a root page's output tag whose value is `NAME.content_markdown`, each
//! `replace` filter before `markdownify` whose search text is text, not markup (it does not
//! start with `<`: Aviator's `replace: "<dl>", "<h6>Parameters</h6><dl>"` adds the layout's
//! own heading, which endpaper's theme leaves out), and whose replacement is a quoted text or
//! a `site.` setting (nil: nothing, as Liquid prints it). Neither may hold a line break, so
//! every finding in the field keeps its line.

use serde_json::{Map, Value};

/// The (search, replacement) pairs of `pages` (site-relative path and text), in the order
/// the pages and their filters name them, each search text once.
pub fn prose_replacements(
    pages: &[(String, String)],
    site: &Map<String, Value>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, text) in pages {
        let mut rest = text.as_str();
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else { break };
            for pair in replacements(&after[..close], site) {
                if !out.iter().any(|(s, _)| *s == pair.0) {
                    out.push(pair);
                }
            }
            rest = &after[close + 2..];
        }
    }
    out
}

/// The replacements one output tag's expression makes in a doc's `content_markdown`.
fn replacements(expr: &str, site: &Map<String, Value>) -> Vec<(String, String)> {
    let expr = expr.trim_start_matches('-').trim_end_matches('-');
    let parts = split_outside_quotes(expr, '|');
    let Some((value, filters)) = parts.split_first() else {
        return Vec::new();
    };
    let field = value.trim().split_once('.').map(|(_, f)| f);
    if field != Some("content_markdown") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for filter in filters {
        let (name, args) = filter.split_once(':').unwrap_or((filter, ""));
        match name.trim() {
            "markdownify" => break,
            "replace" => {}
            _ => continue,
        }
        let args = split_outside_quotes(args, ',');
        let [search, with] = args.as_slice() else {
            continue;
        };
        let (Some(search), Some(with)) = (quoted(search), replacement(with, site)) else {
            continue;
        };
        if !search.is_empty()
            && !search.starts_with('<')
            && !search.contains('\n')
            && !with.contains('\n')
        {
            out.push((search, with));
        }
    }
    out
}

/// A replacement argument's text: a quoted text, or a `site.` setting (unset: empty).
fn replacement(arg: &str, site: &Map<String, Value>) -> Option<String> {
    if let Some(q) = quoted(arg) {
        return Some(q);
    }
    let mut keys = arg.trim().strip_prefix("site.")?.split('.');
    let first = keys.next().and_then(|key| site.get(key));
    match keys.fold(first, |v, key| v.and_then(|v| v.get(key))) {
        None | Some(Value::Null) => Some(String::new()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
        Some(_) => None,
    }
}

/// `"text"` or `'text'` without its quotes; `None` for anything else.
fn quoted(arg: &str) -> Option<String> {
    let t = arg.trim();
    let q = t.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = t.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q)).then(|| inner.to_string())
}

/// `text` split at each `sep` outside quotes.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut from = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == sep => {
                out.push(&text[from..i]);
                from = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_text_replacements_before_markdownify_are_read() {
        let site: Map<String, Value> =
            serde_json::from_str(r#"{"shop": "Jar Works", "n": 3}"#).unwrap();
        let page = "{% for d in docs %}{{ d.content_markdown | replace: \"<dl>\", \"<h6>P</h6><dl>\"\n  | replace: \"!SHOP!\", site.shop | replace: '!N!', site.n\n  | replace: \"!GONE!\", site.nope | replace: \"!X!\", \"x\" | markdownify | replace: \"!LATE!\", \"l\" }}{{ d.title | replace: \"!T!\", \"t\" }}{% endfor %}";
        let pages = vec![("index.html".to_string(), page.to_string())];
        assert_eq!(
            prose_replacements(&pages, &site),
            [
                ("!SHOP!", "Jar Works"),
                ("!N!", "3"),
                ("!GONE!", ""),
                ("!X!", "x"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Aviator's own page replaces markup only: nothing to apply.
        let aviator = "{{ doc.content_markdown | markdownify | replace: \"<dl>\", \"<h6>Parameters</h6><dl>\" }}";
        assert!(prose_replacements(&[("index.html".into(), aviator.into())], &site).is_empty());
    }
}
