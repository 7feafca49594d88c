//! A whole build from a generated tree: the input is `path\x01text\x02path\x01text…`, each
//! pair written under a temp site (paths are confined to it). The build runs through
//! `build::run` into a `NullSink`, so only panics, hangs and memory blow-ups count.
#![no_main]
use endpaper::build::{self, BuildOptions};
use endpaper::highlight::Highlighter;
use endpaper::write::NullSink;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::new)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut any = false;
    for entry in text.split('\x02').take(12) {
        let Some((path, body)) = entry.split_once('\x01') else {
            continue;
        };
        // Keep every file inside the temp site: plain names, at most three levels.
        let clean: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != ".." && !c.contains('\0'))
            .take(3)
            .collect();
        if clean.is_empty() || clean.iter().any(|c| c.len() > 40) {
            continue;
        }
        let p = dir.path().join(clean.join("/"));
        if let Some(parent) = p.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        if p.is_dir() {
            continue;
        }
        any |= std::fs::write(&p, body).is_ok();
    }
    if !any {
        return;
    }
    let opts = BuildOptions::new(dir.path());
    let _ = build::run(&opts, highlighter(), &NullSink, Some(&opts.output_dir()));
});
