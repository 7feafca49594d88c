//! Guards the grammar set: every language API docs commonly use must actually highlight, so
//! a grammar dropped by a dependency update (or a broken alias) fails CI instead of
//! silently turning code blocks grey.

use std::collections::BTreeSet;

use endpaper::highlight::{Highlighter, CLASSES};

/// `(language name as written in docs, small typical sample)`.
const SAMPLES: &[(&str, &str)] = &[
    (
        "bash",
        "curl -X POST https://api.example.com/v1/items \\\n  -H \"Authorization: Bearer $TOKEN\"\n",
    ),
    ("shell", "export LIMIT=10 # page size\necho \"$LIMIT\"\n"),
    (
        "json",
        "{\n  \"id\": \"item_123\",\n  \"count\": 2,\n  \"active\": true\n}\n",
    ),
    (
        "python",
        "import client\n\n# List the first page.\nitems = client.Item.list(limit=3)\n",
    ),
    (
        "javascript",
        "const items = await client.items.list({ limit: 3 }); // first page\n",
    ),
    (
        "graphql",
        "query GetItem($id: ID!) {\n  item(id: $id) { name price }\n}\n",
    ),
    (
        "http",
        "GET /v1/items?limit=3 HTTP/1.1\nHost: api.example.com\nAccept: application/json\n",
    ),
    (
        "ruby",
        "require \"client\"\n\nitems = Client::Item.list(limit: 3) # first page\n",
    ),
    (
        "go",
        "package main\n\nfunc main() {\n\titems, err := client.List(3)\n}\n",
    ),
    (
        "java",
        "public class Example {\n  public static void main(String[] args) { int n = 3; }\n}\n",
    ),
    (
        "php",
        "<?php\n$items = $client->items->all(['limit' => 3]);\n",
    ),
    (
        "typescript",
        "interface Item { id: string; count: number }\nconst n: number = 3;\n",
    ),
    (
        "yaml",
        "openapi: 3.0.0\ninfo:\n  title: \"Items API\" # name\n",
    ),
    (
        "xml",
        "<?xml version=\"1.0\"?>\n<item id=\"123\"><name>Widget</name></item>\n",
    ),
    (
        "sql",
        "SELECT id, name FROM items WHERE count > 3; -- in stock\n",
    ),
];

/// The distinct classes used in highlighted HTML.
fn classes(html: &str) -> BTreeSet<&str> {
    html.split("<span class=")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(class, _)| class))
        .collect()
}

#[test]
fn every_listed_language_highlights_with_several_classes() {
    let highlighter = Highlighter::new();
    let documented: BTreeSet<&str> = CLASSES.iter().map(|(class, _)| *class).collect();
    for (lang, code) in SAMPLES {
        assert!(highlighter.knows(lang), "{lang} is not a known language");
        let out = highlighter.highlight(code, Some(lang));
        assert!(out.known_language, "{lang}");
        let used = classes(&out.html);
        assert!(
            used.len() >= 2,
            "{lang} produced only {used:?}; grammar missing or broken?\n{}",
            out.html
        );
        let undocumented: Vec<_> = used.difference(&documented).collect();
        assert!(
            undocumented.is_empty(),
            "{lang} emitted undocumented classes {undocumented:?}"
        );
    }
}

#[test]
fn highlighting_from_many_threads_agrees() {
    let highlighter = Highlighter::new();
    let serial: Vec<String> = SAMPLES
        .iter()
        .map(|(lang, code)| highlighter.highlight(code, Some(lang)).html)
        .collect();
    let parallel: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = SAMPLES
            .iter()
            .map(|(lang, code)| scope.spawn(|| highlighter.highlight(code, Some(lang)).html))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(serial, parallel);
}
