//! Liquid include expansion: the input is split on NUL into a doc body and up to three
//! include files (`a.md`, `b.md`, `c.md`) that may include each other, so cycles, deep
//! chains and bombs are all reachable. Errors are fine; panics and runaway output are not.
#![no_main]
use endpaper::liquid::{self, Context, Includes};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let body = parts.next().unwrap_or("");
    let files: BTreeMap<String, String> = ["a.md", "b.md", "c.md"]
        .iter()
        .zip(parts)
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let includes = Includes::new(files);
    let site = json!({"baseurl": "/docs", "url": "https://example.com", "title": "T"});
    let page = json!({"title": "P", "name": "n"});
    let cx = Context {
        includes: &includes,
        site: &site,
        page: &page,
    };
    let full = format!("---\ntitle: P\n---\n{body}");
    if let Ok(ex) = liquid::expand(body, "_api/p.md", full.len() - body.len(), &full, &cx) {
        assert!(ex.text.len() <= liquid::MAX_OUTPUT + (1 << 20) + body.len());
        // Every output offset maps back to some file without panicking.
        for at in (0..ex.text.len()).step_by(97) {
            let _ = ex.map.locate(at);
        }
    }
});
