//! The reuse store: what build steps made (highlighted samples, each doc's finished parts,
//! the site's structure), each under a key of its inputs plus [`SALT`]. `serve` holds it in
//! memory; between one-off builds it is a pack (`steps.bin`) and its checksummed index
//! (`steps.idx`). An index of another salt, or a damaged file, counts as empty, so an entry
//! is never stale and deleting the folder is always safe.

mod key;

use key::Batched;
pub use key::{recent, stat_into, Fields, Key, RACY};

use crate::highlight::Highlighted;
use crate::spool::{Chunk, Spool};
use base64::{engine::general_purpose::STANDARD_NO_PAD as BASE64, Engine};
use bincode::Options;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The default cache folder, inside the site (`load` skips dot-folders, so it is never
/// read as input, and `serve` ignores changes in it): the store's pack and the stamps.
pub const DIR_NAME: &str = ".endpaper-cache";

/// The pack file inside the cache folder.
pub const FILE_NAME: &str = "steps.bin";

/// The pack's index: `MAGIC, salt, blake3(pack), the pack's stat key, entries (key,
/// known_language, place, length), blake3(everything before)`.
const INDEX_NAME: &str = "steps.idx";

/// The pack an older endpaper kept there (highlighted samples only), removed at a save.
const OLD_FILE_NAME: &str = "highlight.bin";

const MAGIC: &[u8; 8] = b"EPSTEPv2";

/// Everything besides an entry's own inputs that decides it: endpaper's code (`build.rs`'s
/// blake3 of the version, `Cargo.lock` and `src/`).
pub const SALT: &str = env!("ENDPAPER_SOURCE_HASH");

/// The key of one sample.
pub fn key(code: &str, lang: Option<&str>) -> Key {
    Fields::of([SALT, lang.unwrap_or(""), code].map(str::as_bytes)).key()
}

/// Hashes a [`Key`] by folding its bytes: a key is a blake3 hash, already spread evenly, so
/// the maps keyed by keys (the store's index, the keys a build used) skip SipHash.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(23) ^ u64::from_le_bytes(word);
        }
    }
}

/// A map keyed by [`Key`]s ([`KeyHasher`]).
pub type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;
/// A set of [`Key`]s ([`KeyHasher`]).
pub type KeySet = HashSet<Key, BuildHasherDefault<KeyHasher>>;

/// The store's entries by key (each a text, with a flag: for a sample, its HTML and whether
/// its language is known); optionally backed by a pack file. An entry of the pack is read
/// from it when asked for, not loaded with the store: a site's samples are most of its
/// HTML, and a build needs a batch of them at a time. `Store::default()` is memory only.
#[derive(Default)]
pub struct Store {
    file: Option<PathBuf>,
    /// The pack stored entries are read from, open while the cache lives (a save that
    /// replaces the file moves them to the new one).
    pack: Spool,
    /// Where [`Store::spill`] puts new entries until the pack is saved.
    spill: Spool,
    entries: KeyMap<Entry>,
    /// Whether the entries differ from what the file holds.
    dirty: bool,
    /// The pack file's size, when there is one.
    packed: Option<u64>,
    /// Bytes of the entries added and dropped since the pack was read or written.
    churn: u64,
    /// The entries held in memory, for [`Store::end_batch`] to spill.
    held: Vec<Key>,
}

/// A pack is rewritten when a build's entries differ from it by more than this part of its
/// size (1/16). Below it, rewriting the whole pack costs more than the next build saves:
/// the few entries made since are made again, the few not used stay until a rewrite.
const CHURN_PER_REWRITE: u64 = 16;

enum Entry {
    Held(Highlighted),
    /// The HTML's place in the pack, or when `spilled` in the spill file (new, waiting
    /// there for the next save).
    Stored {
        html: Chunk,
        known_language: bool,
        spilled: bool,
    },
}

impl Store {
    /// The cache in folder `dir`, its pack indexed if a valid one is there (anything else
    /// counts as empty). Nothing is created until [`Store::save`].
    pub fn open(dir: &Path) -> Store {
        let file = dir.join(FILE_NAME);
        let indexed = File::open(&file)
            .ok()
            .and_then(|f| Some((read_index(&dir.join(INDEX_NAME), &f)?, f)));
        let mut store = Store {
            file: Some(file),
            ..Store::default()
        };
        if let Some((entries, f)) = indexed {
            store.packed = Some(f.metadata().map_or(0, |m| m.len()));
            (store.entries, store.pack) = (entries, Spool::of_file(f));
        }
        store
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.entries.contains_key(key)
    }

    /// Entry `key`, read from the pack or the spill file if it is there. An entry that cannot
    /// be read back (the file damaged since it was indexed) is `None`: highlighted again.
    pub fn get(&self, key: &Key) -> Option<Highlighted> {
        self.get_cow(key).map(Cow::into_owned)
    }

    /// [`Store::get`], borrowed while the entry is held: a doc's samples go from here into
    /// its columns without a copy of their HTML of their own.
    pub fn get_cow(&self, key: &Key) -> Option<Cow<'_, Highlighted>> {
        match self.entries.get(key)? {
            Entry::Held(h) => Some(Cow::Borrowed(h)),
            Entry::Stored {
                html,
                known_language,
                spilled,
            } => Some(Cow::Owned(Highlighted {
                html: self.spool(*spilled).get(html).ok()?.into_owned(),
                known_language: *known_language,
            })),
        }
    }

    fn spool(&self, spilled: bool) -> &Spool {
        if spilled {
            &self.spill
        } else {
            &self.pack
        }
    }

    pub fn insert(&mut self, key: Key, value: Highlighted) {
        self.churn += value.html.len() as u64;
        self.entries.insert(key, Entry::Held(value));
        self.held.push(key);
        self.dirty = true;
    }

    /// Counts `bytes` more as changed since the pack was written (see `CHURN_PER_REWRITE`).
    pub fn weigh(&mut self, bytes: u64) {
        self.churn += bytes;
    }

    /// A record of parts ([`record`]); [`Store::get_parts`] gives them back.
    pub fn insert_record(&mut self, key: Key, html: String) {
        let record = Highlighted {
            html,
            known_language: true,
        };
        self.insert(key, record);
    }

    /// Record `key`'s first part read whole and the others as chunks left where the store
    /// keeps them (in the pack or spill file: read when written out, never held), or held.
    /// `None` when it is not there or not a record of `n` parts.
    pub fn get_parts(&self, key: &Key, n: usize) -> Option<(String, Vec<Chunk>)> {
        let entry = self.entries.get(key)?;
        let total = entry.len();
        // Each length is at most 20 digits and a separator; the first part is read with
        // them when it is short (most are: a doc's head is a few findings, terms and links,
        // under 2 KiB), else read on its own. A rebuild reads every unchanged doc's head:
        // what is read past it is copied for nothing.
        let head_len = total.min(21 * n + (1 << 11));
        type Part<'a> = Box<dyn Fn(usize, usize) -> Option<Chunk> + 'a>;
        let (head, part): (Cow<[u8]>, Part) = match entry {
            Entry::Held(h) => {
                let head = Cow::Borrowed(&h.html.as_bytes()[..head_len]);
                let part = |i: usize, l: usize| Some(Chunk::Held(h.html.get(i..i + l)?.into()));
                (head, Box::new(part))
            }
            Entry::Stored {
                html: Chunk::Spooled { at, .. },
                spilled,
                ..
            } => {
                let (spool, mut head) = (self.spool(*spilled), Vec::with_capacity(head_len));
                let part = move |from: usize, l: usize| spool.blob(at + from as u64, l);
                spool.read_into(&part(0, head_len)?, &mut head).ok()?;
                (Cow::Owned(head), Box::new(part))
            }
            Entry::Stored { .. } => return None,
        };
        let (lens, mut next) = lengths(&head, n)?;
        if next + lens.iter().sum::<usize>() != total {
            return None;
        }
        let first = match head.get(next..next + lens[0]) {
            Some(bytes) => String::from_utf8(bytes.to_vec()).ok()?,
            None => Spool::default()
                .get(&part(next, lens[0])?)
                .ok()?
                .into_owned(),
        };
        next += lens[0];
        let parts = lens[1..].iter().map(|&l| {
            next += l;
            part(next - l, l)
        });
        Some((first, parts.collect::<Option<_>>()?))
    }

    /// A one-off build's batch is done: the entries held in memory move to a spill file
    /// beside the pack, to be written into it at the next save; a memory cache has nowhere
    /// to save them, and drops them.
    pub fn end_batch(&mut self) {
        let Some(dir) = self.file.as_deref().and_then(Path::parent) else {
            // Nor does it save: what it dropped is no churn of a pack.
            self.held.clear();
            return self.entries.clear();
        };
        if self.held.is_empty() {
            return;
        }
        if !self.spill.is_file() {
            if std::fs::create_dir_all(dir).is_err() {
                return;
            }
            self.spill = Spool::in_dir(dir);
        }
        for key in std::mem::take(&mut self.held) {
            if let Some(Entry::Held(h)) = self.entries.get_mut(&key) {
                let html = self.spill.put(std::mem::take(&mut h.html));
                let stored = Entry::stored(html, h.known_language, true);
                self.entries.insert(key, stored);
            }
        }
    }

    /// Whether the cache has a pack file to be saved to.
    pub fn is_saved(&self) -> bool {
        self.file.is_some()
    }

    /// Drops every entry not in `used`, so the cache holds one build's samples.
    pub fn retain(&mut self, used: &KeySet) {
        let (before, churn) = (self.entries.len(), &mut self.churn);
        self.entries.retain(|k, e| {
            let keep = used.contains(k);
            *churn += if keep { 0 } else { e.len() as u64 };
            keep
        });
        self.dirty |= self.entries.len() != before;
    }

    /// Writes the pack if its entries changed by more than a sixteenth of its size (or there
    /// is none), atomically, entry by entry (none is copied into one buffer), and from then
    /// on reads every entry from it. Errors are returned for the caller to report or ignore:
    /// a cache that cannot be written only costs speed.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let small = |len| self.churn * CHURN_PER_REWRITE <= len;
        if !self.dirty || self.packed.is_some_and(small) {
            return Ok(());
        }
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut keys: Vec<Key> = self.entries.keys().copied().collect();
        keys.sort();
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::NamedTempFile::new_in(dir)?);
        let (mut hash, mut at) = (Batched::default(), 0);
        let mut moved = KeyMap::with_capacity_and_hasher(keys.len(), Default::default());
        for k in keys {
            let unread = || std::io::Error::other("a cache entry could not be read back");
            let h = self.get(&k).ok_or_else(unread)?;
            out.write_all(h.html.as_bytes())?;
            hash.update(h.html.as_bytes());
            let len = h.html.len();
            let html = Chunk::Spooled { at, len };
            moved.insert(k, Entry::stored(html, h.known_language, false));
            at += len as u64;
        }
        let tmp = out.into_inner().map_err(|e| e.into_error())?;
        let pack = tmp.persist(file).map_err(|e| e.error)?;
        let _ = std::fs::remove_file(dir.join(OLD_FILE_NAME));
        self.packed = Some(at);
        write_index(&dir.join(INDEX_NAME), &pack, hash.finalize(), &moved)?;
        self.entries = moved;
        self.held.clear();
        self.pack = Spool::of_file(pack);
        self.spill = Spool::memory();
        self.dirty = false;
        self.churn = 0;
        Ok(())
    }
}

impl Entry {
    fn stored(html: Chunk, known_language: bool, spilled: bool) -> Entry {
        Entry::Stored {
            html,
            known_language,
            spilled,
        }
    }

    fn len(&self) -> usize {
        match self {
            Entry::Held(h) => h.html.len(),
            Entry::Stored { html, .. } => html.len(),
        }
    }
}

/// The key of the pack's stat, `None` when it changed within [`RACY`] (a change since may
/// not show in it).
fn stat_key(pack: &File, trust_recent: bool) -> Option<Key> {
    let mut fields = Fields::default();
    let changed = stat_into(&mut fields, &pack.metadata().ok()?);
    (trust_recent || !recent(changed)).then(|| fields.key())
}

/// Writes the index (see [`INDEX_NAME`]) of `pack`, whose blake3 is `sum`.
fn write_index(
    file: &Path,
    pack: &File,
    sum: blake3::Hash,
    entries: &KeyMap<Entry>,
) -> std::io::Result<()> {
    let stat = stat_key(pack, true).unwrap_or_default();
    let mut out = [&MAGIC[..], &salt(), sum.as_bytes(), &stat].concat();
    for (key, entry) in entries {
        if let Entry::Stored {
            html: Chunk::Spooled { at, len },
            known_language,
            spilled: false,
        } = entry
        {
            out.extend_from_slice(key);
            out.push(u8::from(*known_language));
            out.extend_from_slice(&at.to_le_bytes());
            out.extend_from_slice(&(*len as u64).to_le_bytes());
        }
    }
    out.extend_from_slice(blake3::hash(&out).as_bytes());
    write_atomically(file, &out)
}

/// The entries of the index at `file`, when it is whole, of this binary, and of `pack` as
/// it is now: its stat the one recorded and not recent, else its blake3 the one recorded.
fn read_index(file: &Path, mut pack: &File) -> Option<KeyMap<Entry>> {
    let bytes = std::fs::read(file).ok()?;
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != sum {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?.strip_prefix(&salt())?;
    let (pack_sum, rest) = rest.split_at_checked(32)?;
    let (stat, entries) = rest.split_at_checked(32)?;
    if stat_key(pack, false).as_ref().map(|k| &k[..]) != Some(stat) {
        let mut hash = blake3::Hasher::new();
        hash.update_reader(&mut pack).ok()?;
        if hash.finalize().as_bytes() != pack_sum {
            return None;
        }
    }
    let entry = |e: &[u8]| {
        let place = |i: usize| u64::from_le_bytes(e[i..i + 8].try_into().unwrap_or_default());
        let (at, len) = (place(33), place(41) as usize);
        let entry = Entry::stored(Chunk::Spooled { at, len }, e[32] == 1, false);
        (e[..32].try_into().unwrap_or_default(), entry)
    };
    (entries.len() % 49 == 0).then(|| entries.chunks_exact(49).map(entry).collect())
}

/// A record of parts (a doc's step: its findings and what it made; the structure),
/// framed by a first line of their lengths.
pub fn record(parts: &[&str]) -> String {
    let lens: Vec<String> = parts.iter().map(|p| p.len().to_string()).collect();
    let mut text = lens.join(" ");
    text.push('\n');
    text.extend(parts.iter().copied());
    text
}

/// A record's head (its step's plain data) as the text a record holds: bincode, in base64.
pub fn head(data: &impl serde::Serialize) -> String {
    let bytes = bincode::DefaultOptions::new().serialize(data);
    BASE64.encode(bytes.unwrap_or_default())
}

/// The data of a record's [`head`]; `None` for text no head of a `T` (each length bounded
/// by the text, so a damaged one allocates no more than it holds).
pub fn read_head<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let bytes = BASE64.decode(text).ok()?;
    let options = bincode::DefaultOptions::new().with_limit(bytes.len() as u64);
    options.deserialize(&bytes).ok()
}

/// A record's `n` part lengths (its first line) and where the text after that line starts.
fn lengths(text: &[u8], n: usize) -> Option<(Vec<usize>, usize)> {
    let newline = text.iter().position(|&b| b == b'\n')?;
    let lens: Vec<usize> = std::str::from_utf8(&text[..newline])
        .ok()?
        .split(' ')
        .map(|l| l.parse().ok())
        .collect::<Option<_>>()?;
    (lens.len() == n).then_some((lens, newline + 1))
}

/// The salt as it stands in a pack's header.
fn salt() -> [u8; 32] {
    *blake3::hash(SALT.as_bytes()).as_bytes()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_hashes_by_all_its_bytes_not_through_siphash() {
        use std::hash::BuildHasher;
        let hash = |k: &Key| BuildHasherDefault::<KeyHasher>::default().hash_one(k);
        let key: Key = *blake3::hash(b"a").as_bytes();
        let mut late = key;
        late[31] ^= 1;
        assert_ne!(hash(&key), hash(&late), "a key differing in its last byte");
        // Folded, not mixed: the hash is the key's own bits (a key is spread already).
        let mut h = KeyHasher::default();
        std::hash::Hasher::write(&mut h, &key);
        let words = key
            .chunks(8)
            .map(|w| u64::from_le_bytes(w.try_into().unwrap()));
        let folded = words.fold(0u64, |h, w| h.rotate_left(23) ^ w);
        assert_eq!(std::hash::Hasher::finish(&h), folded);
        let set: KeySet = [key, late].into_iter().collect();
        assert!(set.contains(&key) && set.contains(&late) && set.len() == 2);
    }

    fn hl(html: &str, known: bool) -> Highlighted {
        Highlighted {
            html: html.into(),
            known_language: known,
        }
    }

    #[test]
    fn a_head_reads_back_and_a_damaged_one_reads_as_none() {
        let data = (vec!["a".to_string(), "bc".into()], [7u8; 32], Some(3usize));
        let text = head(&data);
        assert_eq!(read_head(&text), Some(data.clone()));
        let cut = &text[..text.len() - 4];
        assert_eq!(read_head::<(Vec<String>, Key, Option<usize>)>(cut), None);
        // A length of 2^62 strings claimed by eight bytes: refused, not allocated.
        assert_eq!(read_head::<Vec<String>>(&head(&(u64::MAX >> 2))), None);
    }

    #[test]
    fn keys_separate_language_and_code() {
        assert_eq!(key("x", Some("js")), key("x", Some("js")));
        assert_ne!(key("x", Some("js")), key("x", Some("py")));
    }

    #[test]
    fn damaged_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        c.insert(key("a", Some("js")), hl("a", true));
        c.insert(key("b", Some("js")), hl("b", true));
        c.save().unwrap();
        for name in [FILE_NAME, INDEX_NAME] {
            let file = dir.path().join(name);
            let good = std::fs::read(&file).unwrap();
            let (mut flipped, n) = (good.clone(), good.len());
            flipped[n / 2] ^= 0x20;
            let damaged: [&[u8]; 5] = [&good[..n - 1], &good[..n / 2], &[], b"garbage", &flipped];
            for bytes in damaged {
                std::fs::write(&file, bytes).unwrap();
                assert!(Store::open(dir.path()).is_empty(), "{name}: {bytes:?}");
            }
            std::fs::write(&file, &good).unwrap();
            assert_eq!(Store::open(dir.path()).len(), 2, "{name} as it was");
        }
    }

    /// The index with its checksum made valid again after `edit`.
    fn edit_index(dir: &Path, edit: impl Fn(&mut [u8])) {
        let file = dir.join(INDEX_NAME);
        let mut bytes = std::fs::read(&file).unwrap();
        bytes.truncate(bytes.len() - 32);
        edit(&mut bytes);
        let sum = blake3::hash(&bytes);
        bytes.extend_from_slice(sum.as_bytes());
        std::fs::write(&file, &bytes).unwrap();
    }

    #[test]
    fn a_pack_from_another_binary_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        c.insert(key("a", None), hl("a", true));
        c.save().unwrap();
        assert_eq!(Store::open(dir.path()).len(), 1);
        // Another salt (another version or grammar set).
        edit_index(dir.path(), |b| b[8] ^= 1);
        assert!(Store::open(dir.path()).is_empty());
    }

    #[test]
    fn the_pack_is_trusted_by_its_stat_once_older_than_racy_else_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let open = || Store::open(dir.path());
        let mut c = open();
        c.insert(key("a", None), hl("<A>", true));
        c.save().unwrap();
        let pack = dir.path().join(FILE_NAME);
        // An index naming another blake3 of the pack: the pack is not trusted while recent.
        edit_index(dir.path(), |b| b[40] ^= 1);
        assert!(open().is_empty(), "hashed, and not the pack");
        std::thread::sleep(RACY);
        assert_eq!(open().len(), 1, "trusted by its stat");
        // Written again (the same bytes): a new stat, so hashed again.
        std::fs::write(&pack, std::fs::read(&pack).unwrap()).unwrap();
        assert!(open().is_empty());
        edit_index(dir.path(), |b| b[40] ^= 1);
        assert_eq!(open().get(&key("a", None)), Some(hl("<A>", true)));
    }

    #[test]
    fn a_held_entry_is_lent_and_a_stored_one_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        c.insert(key("a", None), hl("<A>", true));
        let held = c.get_cow(&key("a", None)).unwrap();
        assert!(matches!(held, Cow::Borrowed(h) if *h == hl("<A>", true)));
        c.save().unwrap();
        let c = Store::open(dir.path());
        let stored = c.get_cow(&key("a", None)).unwrap();
        assert!(matches!(stored, Cow::Owned(h) if h == hl("<A>", true)));
        assert!(c.get_cow(&key("b", None)).is_none());
    }

    #[test]
    fn entries_are_read_from_the_pack_when_asked_and_spilled_ones_saved_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        let (a, b, n) = (key("a", None), key("b", None), key("n", None));
        c.insert(a, hl("<A>", true));
        c.insert(b, hl("<B>", false));
        c.save().unwrap();
        // Opened again, nothing is read until asked for.
        let mut c = Store::open(dir.path());
        assert!(c
            .entries
            .values()
            .all(|e| matches!(e, Entry::Stored { spilled: false, .. })));
        assert_eq!(c.get(&b), Some(hl("<B>", false)));
        // A new entry spilled between batches, then saved with the packed ones it keeps.
        c.insert(n, hl(&"n".repeat(5000), true));
        c.end_batch();
        assert!(matches!(c.entries[&n], Entry::Stored { spilled: true, .. }));
        assert_eq!(c.get(&n).unwrap().html.len(), 5000);
        c.retain(&[a, n].into_iter().collect());
        c.save().unwrap();
        assert_eq!(c.get(&a), Some(hl("<A>", true)));
        let back = Store::open(dir.path());
        assert_eq!(back.len(), 2);
        assert!(!back.contains(&b));
        assert_eq!(back.get(&n).unwrap().html, "n".repeat(5000));
        // Only the pack and its index are left in the folder: the spill file has no name.
        let files = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|f| f.unwrap().file_name());
        let want = [FILE_NAME, INDEX_NAME].map(std::ffi::OsString::from);
        assert_eq!(files.collect::<HashSet<_>>(), HashSet::from(want));
        // A memory cache has nowhere to spill to and drops its entries.
        let mut m = Store::default();
        m.insert(a, hl("<A>", true));
        m.end_batch();
        assert!(m.is_empty());
    }

    #[test]
    fn a_record_comes_back_part_by_part_held_spilled_and_packed() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        let (k, other) = (key("record", None), key("sample", None));
        // Lengths and newlines inside the parts do not confuse the framing.
        let parts = ["{\"meta\": 1}", "12\n<p>é</p>", "", &"x".repeat(3000)];
        c.insert_record(k, record(&parts));
        // A first part longer than what is read with the lengths is read on its own.
        let (long, first) = (key("long", None), "é".repeat(9000));
        c.insert_record(long, record(&[&first, "z"]));
        c.insert(other, hl("<b>", true));
        let spool = Spool::memory();
        let read = |c: &Store| {
            let (first, rest) = c.get_parts(&k, 4).unwrap();
            let rest: Vec<String> = rest.iter().map(|p| spool.get(p).unwrap().into()).collect();
            (first, rest)
        };
        let rest: Vec<String> = parts[1..].iter().map(|p| p.to_string()).collect();
        let want = (parts[0].to_string(), rest);
        assert_eq!(read(&c), want, "held");
        c.end_batch();
        assert_eq!(read(&c), want, "spilled");
        c.save().unwrap();
        let packed = Store::open(dir.path());
        assert_eq!(read(&packed), want, "packed");
        assert_eq!(packed.get_parts(&long, 2).unwrap().0, first);
        // The texts after the first stay in the pack until read.
        let (_, rest) = packed.get_parts(&k, 4).unwrap();
        assert!(rest.iter().all(|p| matches!(p, Chunk::Blob { .. })));
        // Another number of parts, or an entry that is not a record, is no record.
        assert!(packed.get_parts(&k, 3).is_none());
        assert!(packed.get_parts(&other, 4).is_none());
    }

    #[test]
    fn retain_keeps_only_what_a_build_used_and_save_skips_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Store::open(dir.path());
        let (a, b) = (key("a", None), key("b", None));
        c.insert(a, hl("a", true));
        c.insert(b, hl("b", true));
        c.retain(&[a].into_iter().collect());
        assert_eq!(c.len(), 1);
        c.save().unwrap();
        let file = dir.path().join(FILE_NAME);
        assert_eq!(Store::open(dir.path()).len(), 1);
        std::fs::remove_file(&file).unwrap();
        // Nothing changed since the save: no write.
        c.save().unwrap();
        assert!(!file.exists());
    }

    #[test]
    fn a_small_change_leaves_the_pack_and_a_larger_one_rewrites_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        let mut c = Store::open(dir.path());
        let kept: Vec<Key> = (0..32).map(|i| key(&i.to_string(), None)).collect();
        for k in &kept {
            c.insert(*k, hl(&"x".repeat(1000), true));
        }
        c.save().unwrap();
        let before = std::fs::read(&file).unwrap();
        // One new entry and one no longer used: 1,500 bytes of a 33 KB pack.
        let mut c = Store::open(dir.path());
        let new = key("new", None);
        c.insert(new, hl(&"y".repeat(500), true));
        c.retain(&kept[1..].iter().copied().chain([new]).collect());
        c.save().unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), before, "left as it was");
        assert_eq!(c.get(&new).unwrap().html.len(), 500, "still this build's");
        let next = Store::open(dir.path());
        assert!(!next.contains(&new) && next.contains(&kept[0]));
        // Four new entries of 1,000 bytes: more than a sixteenth, so the pack is rewritten.
        let mut c = next;
        for i in 0..4 {
            c.insert(key(&format!("n{i}"), None), hl(&"z".repeat(1000), true));
        }
        c.save().unwrap();
        assert_eq!(Store::open(dir.path()).len(), 32 + 4);
    }

    #[test]
    fn a_missing_folder_is_created_and_memory_caches_never_write() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        let mut c = Store::open(&nested);
        c.insert(key("a", None), hl("a", true));
        c.save().unwrap();
        assert!(nested.join(FILE_NAME).is_file());
        let mut m = Store::default();
        m.insert(key("a", None), hl("a", true));
        m.save().unwrap();
        assert!(!m.is_saved() && Store::open(&nested).is_saved());
    }
}
