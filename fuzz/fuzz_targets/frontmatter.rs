//! Front matter: Jekyll's `---` split, then the YAML parse, on arbitrary text. Any result is
//! fine except a panic, a hang or unbounded memory (alias bombs, deep nesting).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut diags = Vec::new();
    let Ok(text) = endpaper::load::decode(data.to_vec(), "_api/f.md", &mut diags) else {
        return;
    };
    if let endpaper::frontmatter::Split::Block {
        yaml,
        yaml_line,
        body,
        body_offset,
        ..
    } = endpaper::frontmatter::split(&text)
    {
        assert_eq!(&text[body_offset..], body);
        let _ = endpaper::frontmatter::parse_with_warnings(yaml, Path::new("_api/f.md"), yaml_line);
    }
    let _ = endpaper::frontmatter::parse_file(&text, Path::new("_config.yml"));
});
