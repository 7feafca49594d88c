//! Liquid include expansion: the input is split on NUL into a doc body and up to three
//! include files (`a.md`, `b.md`, `c.md`) that may include each other, so cycles, deep
//! chains and bombs are all reachable. Errors are fine; panics and runaway output are not.
#![no_main]
use endpaper::liquid::{self, Engine, Mode, Source};
use libfuzzer_sys::fuzz_target;
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
    let config = endpaper::config::Config::parse(
        "baseurl: /docs\nurl: https://example.com\ntitle: T\n",
        std::path::Path::new("_config.yml"),
    )
    .unwrap();
    let engine = Engine::with_includes(&config, &files);
    let full = format!("---\ntitle: P\n---\n{body}");
    let src = Source {
        rel: "_api/p.md",
        full: &full,
        base: full.len() - body.len(),
    };
    if let Ok(ex) = engine.render(&src, &[], Mode::Markdown) {
        assert!(ex.text.len() <= liquid::MAX_OUTPUT + (1 << 20) + body.len());
        // Every output offset maps back to some file without panicking.
        for at in (0..ex.text.len()).step_by(97) {
            let _ = ex.map.locate(at);
        }
    }
});
