//! Names this crate's source by content, for the highlight cache's per-doc entries (a doc's
//! twin, search text and OpenAPI operation; `build::docs`): they are made by code spread over
//! many modules, so their salt is the whole of `src/`, and any change to it discards them.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    files.sort();
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&std::fs::read("Cargo.lock").unwrap_or_default());
    for f in files {
        // `/`-separated, so the name is the same on every system.
        let name = f.to_string_lossy().replace('\\', "/");
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        let text = std::fs::read(&f).expect("read a source file");
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(&text);
    }
    println!(
        "cargo:rustc-env=ENDPAPER_SOURCE_HASH={}",
        h.finalize().to_hex()
    );
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("read a source folder");
    for e in entries {
        let path = e.expect("read a source folder").path();
        if path.is_dir() {
            sources(&path, out);
        } else {
            out.push(path);
        }
    }
}
