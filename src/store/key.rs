//! The one way a key is made of fields: each framed by its length, so no two lists of
//! fields give the same bytes. `build.rs` takes it too, for the salt it names the source by.

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

/// A content key: a blake3 of fields.
pub type Key = [u8; 32];

/// A key being made, field by field.
#[derive(Default)]
pub struct Fields(Batched);

impl Fields {
    pub fn of<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> Fields {
        let mut f = Fields::default();
        f.put_all(fields);
        f
    }

    pub fn put_all<'a>(&mut self, fields: impl IntoIterator<Item = &'a [u8]>) {
        fields.into_iter().for_each(|bytes| self.put(bytes));
    }

    pub fn put(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub fn key(&self) -> Key {
        *self.0.clone().finalize().as_bytes()
    }
}

/// A blake3 hasher fed in pieces of any size but hashing 64 KiB at a time: blake3 hashes a
/// long input many chunks at once, a short one a 64-byte block at a time, and keys and packs
/// are mostly short pieces. A key of many fields (a stat of every file of a site) holds at
/// most those 64 KiB.
#[derive(Default, Clone)]
pub struct Batched {
    hash: blake3::Hasher,
    pending: Vec<u8>,
}

/// A piece at least this long is hashed many chunks at once on its own.
const LONG: usize = 4 << 10;

impl Batched {
    pub fn update(&mut self, bytes: &[u8]) {
        // A piece of a few chunks or more is hashed where it lies, not copied in first (a
        // doc's page text, twin and search text are such pieces); the hash is the same for
        // any split of the input.
        if bytes.len() >= LONG || self.pending.len() + bytes.len() > 1 << 16 {
            self.hash.update(&self.pending);
            self.pending.clear();
            if bytes.len() >= LONG {
                self.hash.update(bytes);
                return;
            }
        }
        self.pending.extend_from_slice(bytes);
    }

    pub fn finalize(mut self) -> blake3::Hash {
        self.hash.update(&self.pending);
        self.hash.finalize()
    }
}

/// Changes this close to a stat are not trusted to show in it (FAT keeps 2 s).
pub const RACY: Duration = Duration::from_secs(2);

/// Whether a file that last changed at `changed` (`None`: unknown) may have changed since
/// without its stat showing it.
pub fn recent(changed: Option<Duration>) -> bool {
    let now = since_epoch(Ok(SystemTime::now())).unwrap_or_default();
    changed.is_none_or(|t| t + RACY > now)
}

pub fn since_epoch(t: std::io::Result<SystemTime>) -> Option<Duration> {
    t.ok()?.duration_since(SystemTime::UNIX_EPOCH).ok()
}

/// Hashes what `stat` says of one file. Returns when it last changed (the later of its
/// modification and change times), `None` when a time is unknown.
pub fn stat_into(h: &mut Fields, meta: &Metadata) -> Option<Duration> {
    h.put(&meta.len().to_le_bytes());
    let modified = since_epoch(meta.modified());
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        h.put(&meta.ino().to_le_bytes());
        h.put(&meta.dev().to_le_bytes());
        u64::try_from(meta.ctime())
            .ok()
            .map(|s| Duration::new(s, meta.ctime_nsec().clamp(0, 999_999_999) as u32))
    };
    #[cfg(not(unix))]
    let changed = modified;
    for t in [modified, changed] {
        h.put(&t.unwrap_or_default().as_nanos().to_le_bytes());
    }
    Some(modified?.max(changed?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_its_framed_fields_hashed_however_long_they_are() {
        let key = |fields: &[&[u8]]| Fields::of(fields.iter().copied()).key();
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_ne!(key(&[b""]), key(&[]));
        // Past the 64 KiB it holds, the key is still the framed bytes' blake3.
        let big = vec![7u8; 200_000];
        // A piece of a few kilobytes, hashed where it lies, keeps the key too.
        let fields: Vec<&[u8]> = vec![b"x", &big, b"y", &big[..70_000], &big[..5_000], b"z"];
        let mut framed = Vec::new();
        for f in &fields {
            framed.extend_from_slice(&(f.len() as u64).to_le_bytes());
            framed.extend_from_slice(f);
        }
        assert_eq!(key(&fields), *blake3::hash(&framed).as_bytes());
    }
}
