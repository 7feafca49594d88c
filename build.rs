//! Names this crate's source by content: the reuse store's one salt (`store::SALT`). Its
//! entries are made by code spread over many modules, so the salt is the whole of `src/`,
//! and any change to it discards them.

#[allow(dead_code)]
#[path = "src/store/key.rs"]
mod key;
#[path = "build/tera_code.rs"]
mod tera_code;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=templates");
    built_in_templates();
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    files.sort();
    let mut fields = key::Fields::default();
    fields.put(env!("CARGO_PKG_VERSION").as_bytes());
    fields.put(&std::fs::read("Cargo.lock").unwrap_or_default());
    for f in files {
        // `/`-separated, so the name is the same on every system.
        fields.put(f.to_string_lossy().replace('\\', "/").as_bytes());
        fields.put(&std::fs::read(&f).expect("read a source file"));
    }
    let hex: String = fields.key().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=ENDPAPER_SOURCE_HASH={hex}");
    // The binary is linked at a fixed address on Linux (not position-independent): a
    // position-independent one has the dynamic loader relocate its ~32,000 pointers in
    // tables (vtables, string slices) and copy the ~640 KB of pages holding them at every
    // start, a fixed cost of each build that a small site's build is mostly made of. The
    // library and the test binaries stay as they are.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// `render::parsed`'s code: each built-in template (`templates/*.html`) as Tera parses it.
fn built_in_templates() {
    let mut names: Vec<String> = std::fs::read_dir("templates")
        .expect("read templates/")
        .map(|e| {
            e.expect("read templates/")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".html"))
        .collect();
    names.sort();
    let mut code = String::from("match name {\n");
    for name in names {
        let text = std::fs::read_to_string(Path::new("templates").join(&name))
            .expect("read a built-in template");
        code.push_str(&tera_code::arm(&name, &text));
    }
    code.push_str("_ => return None,\n}\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("built_in_templates.rs"), code).expect("write built_in_templates.rs");
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
