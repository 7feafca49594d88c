//! Markdown with the kramdown extensions (definition lists, IALs, tables, HTML balancing):
//! `render` promises never to fail, so it must never panic or recurse without bound.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = endpaper::markdown::render(text);
    for b in &r.blocks {
        if let endpaper::markdown::Block::Html(h) = b {
            let _ = endpaper::markdown::balance_html(&h.html());
        }
    }
    for h in &r.headings {
        let _ = endpaper::markdown::heading_id(&h.text);
    }
});
