//! The highlight cache: highlighted samples kept across builds (on disk) and across
//! `serve` rebuilds (in memory), so a sample is highlighted once per content, not per build.
//!
//! Entries are addressed by a blake3 key of the code, its language and a *salt* naming
//! everything else that decides the output: endpaper's version, the exact dependency set
//! (`Cargo.lock`, which pins the grammar crates) and the source of the highlighter and of every
//! module it calls ([`SHAPING_SOURCES`]).
//! A cache written by any other binary therefore never matches and is discarded whole, so
//! an entry can never be stale. The file is one pack (`highlight.bin`) with a checksum: a
//! truncated, corrupt or foreign file is ignored, never an error. It is replaced atomically
//! (temporary file + rename) and holds exactly the entries of the last build, so it does
//! not grow with edits. Deleting the folder is always safe; CI may keep it between runs.

use crate::highlight::Highlighted;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The default cache folder, inside the site (`load` skips dot-folders, so it is never
/// read as input, and `serve` ignores changes in it).
pub const DIR_NAME: &str = ".endpaper-cache";

/// The pack file inside the cache folder.
pub const FILE_NAME: &str = "highlight.bin";

const MAGIC: &[u8; 8] = b"EPHLCv01";

/// A content key: blake3 of (salt, language, code).
pub type Key = [u8; 32];

/// The source of every module whose code shapes a cached sample: the highlighter and what it
/// calls. The test `salt_covers_every_module_highlight_uses` fails when `highlight` starts
/// using a module missing here (a change there would leave the cache serving old output).
pub const SHAPING_SOURCES: &[(&str, &str)] = &[
    ("highlight/mod.rs", include_str!("highlight/mod.rs")),
    ("highlight/json.rs", include_str!("highlight/json.rs")),
    ("highlight/lines.rs", include_str!("highlight/lines.rs")),
    ("highlight/rules.rs", include_str!("highlight/rules.rs")),
    ("html.rs", include_str!("html.rs")),
];

/// Everything besides the code and language that decides a highlight.
static SALT: LazyLock<[u8; 32]> = LazyLock::new(|| {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&[0]);
    h.update(include_str!("../Cargo.lock").as_bytes());
    h.update(&[0]);
    for (name, source) in SHAPING_SOURCES {
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(source.as_bytes());
        h.update(&[0]);
    }
    *h.finalize().as_bytes()
});

/// The key of one sample.
pub fn key(code: &str, lang: Option<&str>) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(&*SALT);
    h.update(lang.unwrap_or("").as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    *h.finalize().as_bytes()
}

/// Highlighted samples by key; optionally backed by a pack file.
#[derive(Default)]
pub struct Cache {
    file: Option<PathBuf>,
    entries: HashMap<Key, Highlighted>,
    /// Whether the entries differ from what the file holds.
    dirty: bool,
}

impl Cache {
    /// An in-memory cache only.
    pub fn memory() -> Cache {
        Cache::default()
    }

    /// The cache in folder `dir`, loaded if a valid pack is there (anything else counts
    /// as empty). Nothing is created until [`Cache::save`].
    pub fn open(dir: &Path) -> Cache {
        let file = dir.join(FILE_NAME);
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| decode(&bytes))
            .unwrap_or_default();
        Cache {
            file: Some(file),
            entries,
            dirty: false,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &Key) -> Option<&Highlighted> {
        self.entries.get(key)
    }

    pub fn insert(&mut self, key: Key, value: Highlighted) {
        self.entries.insert(key, value);
        self.dirty = true;
    }

    /// Whether the cache has a pack file to be saved to.
    pub fn is_saved(&self) -> bool {
        self.file.is_some()
    }

    /// Drops every entry (a memory cache between a one-off build's batches).
    pub fn clear(&mut self) {
        self.dirty |= !self.entries.is_empty();
        self.entries.clear();
    }

    /// Drops every entry not in `used`, so the cache holds one build's samples.
    pub fn retain(&mut self, used: &HashSet<Key>) {
        let before = self.entries.len();
        self.entries.retain(|k, _| used.contains(k));
        self.dirty |= self.entries.len() != before;
    }

    /// Writes the pack if it changed, atomically. Errors are returned for the caller to
    /// report or ignore: a cache that cannot be written only costs speed.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if !self.dirty {
            return Ok(());
        }
        write_atomically(file, &encode(&self.entries))?;
        self.dirty = false;
        Ok(())
    }
}

/// Replaces `file` with `bytes` (temporary file + rename, creating its folder), so a reader
/// sees the old file or the new one, never half of one.
pub fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// `MAGIC, salt, count, entries…, blake3(everything before)`; entries in key order so
/// the same entries always make the same file.
fn encode(entries: &HashMap<Key, Highlighted>) -> Vec<u8> {
    let mut keys: Vec<&Key> = entries.keys().collect();
    keys.sort();
    let size: usize = entries.values().map(|h| h.html.len() + 37).sum();
    let mut out = Vec::with_capacity(size + 80);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&*SALT);
    out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
    for k in keys {
        let h = &entries[k];
        out.extend_from_slice(k);
        out.push(u8::from(h.known_language));
        out.extend_from_slice(&(h.html.len() as u32).to_le_bytes());
        out.extend_from_slice(h.html.as_bytes());
    }
    let sum = blake3::hash(&out);
    out.extend_from_slice(sum.as_bytes());
    out
}

/// `None` for anything but a complete pack written with this binary's salt.
fn decode(bytes: &[u8]) -> Option<HashMap<Key, Highlighted>> {
    let body_len = bytes.len().checked_sub(32)?;
    let (body, sum) = bytes.split_at(body_len);
    if body.get(..8)? != MAGIC || body.get(8..40)? != *SALT {
        return None;
    }
    if blake3::hash(body).as_bytes() != sum {
        return None;
    }
    let mut rest = &body[40..];
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let mut entries = HashMap::with_capacity(count.min(1 << 20) as usize);
    for _ in 0..count {
        let key: Key = take(32)?.try_into().ok()?;
        let known_language = match take(1)?[0] {
            0 => false,
            1 => true,
            _ => return None,
        };
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let html = std::str::from_utf8(take(len)?).ok()?.to_string();
        entries.insert(
            key,
            Highlighted {
                html,
                known_language,
            },
        );
    }
    rest.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(html: &str, known: bool) -> Highlighted {
        Highlighted {
            html: html.into(),
            known_language: known,
        }
    }

    /// The crate modules a source names (`crate::html::…` → `html`), comments and its
    /// unit tests (which shape no output) skipped.
    fn crate_modules(source: &str) -> Vec<&str> {
        let code = source
            .split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap_or(source);
        let mut found = Vec::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                found.push(&rest[..end]);
            }
        }
        found
    }

    #[test]
    fn salt_covers_every_module_highlight_uses() {
        let covered = |m: &str| {
            SHAPING_SOURCES
                .iter()
                .any(|(f, _)| *f == format!("{m}.rs") || f.starts_with(&format!("{m}/")))
        };
        for (file, source) in SHAPING_SOURCES {
            for m in crate_modules(source) {
                assert!(
                    covered(m),
                    "{file} uses crate::{m}, whose source is not in cache::SHAPING_SOURCES: \
                     a change to it would leave the highlight cache serving old output"
                );
            }
        }
        assert!(crate_modules(include_str!("highlight/mod.rs")).contains(&"html"));
        // Every file of the highlighter but its tests shapes output.
        for line in include_str!("highlight/mod.rs").lines() {
            let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) else {
                continue;
            };
            if matches!(name, "tests" | "snapshots") {
                continue;
            }
            assert!(
                SHAPING_SOURCES
                    .iter()
                    .any(|(f, _)| *f == format!("highlight/{name}.rs")),
                "highlight/{name}.rs is not in cache::SHAPING_SOURCES"
            );
        }
    }

    #[test]
    fn keys_separate_language_and_code() {
        assert_eq!(key("x", Some("js")), key("x", Some("js")));
        assert_ne!(key("x", Some("js")), key("x", Some("py")));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(key("c", Some("ab")), key("bc", Some("a")));
    }

    #[test]
    fn round_trips_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        assert!(c.is_empty());
        c.insert(
            key("[1]", Some("json")),
            hl("[<span class=\"m\">1</span>]", true),
        );
        c.insert(key("?", Some("klingon")), hl("?", false));
        c.save().unwrap();
        let back = Cache::open(dir.path());
        assert_eq!(back.len(), 2);
        assert_eq!(back.get(&key("?", Some("klingon"))), Some(&hl("?", false)));
        assert_eq!(
            back.get(&key("[1]", Some("json"))).map(|h| h.html.as_str()),
            Some("[<span class=\"m\">1</span>]")
        );
    }

    #[test]
    fn damaged_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        c.insert(key("a", Some("js")), hl("a", true));
        c.insert(key("b", Some("js")), hl("b", true));
        c.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        let good = std::fs::read(&file).unwrap();
        let mut damaged = vec![
            good[..good.len() - 1].to_vec(),
            good[..good.len() / 2].to_vec(),
            Vec::new(),
            b"garbage".to_vec(),
        ];
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x20;
        damaged.push(flipped);
        for bytes in damaged {
            std::fs::write(&file, &bytes).unwrap();
            assert!(Cache::open(dir.path()).is_empty(), "{bytes:?}");
        }
    }

    #[test]
    fn a_pack_from_another_binary_is_discarded() {
        let mut entries = HashMap::new();
        entries.insert(key("a", None), hl("a", true));
        let mut bytes = encode(&entries);
        assert!(decode(&bytes).is_some());
        // Another salt (another version or grammar set), checksum made valid again.
        bytes.truncate(bytes.len() - 32);
        bytes[8] ^= 1;
        let sum = blake3::hash(&bytes);
        bytes.extend_from_slice(sum.as_bytes());
        assert!(decode(&bytes).is_none());
    }

    #[test]
    fn retain_keeps_only_what_a_build_used_and_save_skips_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        let (a, b) = (key("a", None), key("b", None));
        c.insert(a, hl("a", true));
        c.insert(b, hl("b", true));
        c.retain(&[a].into_iter().collect());
        assert_eq!(c.len(), 1);
        c.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        assert_eq!(Cache::open(dir.path()).len(), 1);
        std::fs::remove_file(&file).unwrap();
        // Nothing changed since the save: no write.
        c.save().unwrap();
        assert!(!file.exists());
    }

    #[test]
    fn a_missing_folder_is_created_and_memory_caches_never_write() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        let mut c = Cache::open(&nested);
        c.insert(key("a", None), hl("a", true));
        c.save().unwrap();
        assert!(nested.join(FILE_NAME).is_file());
        let mut m = Cache::memory();
        m.insert(key("a", None), hl("a", true));
        m.save().unwrap();
        assert!(!m.is_saved() && Cache::open(&nested).is_saved());
        // Cleared between a one-off build's batches: nothing to save.
        m.clear();
        assert!(m.is_empty());
    }
}
