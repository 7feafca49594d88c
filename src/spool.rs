//! Text a doc's step makes for files written at the end of a build (its twin, full text for
//! search, OpenAPI operation), larger together than its HTML. `serve` holds them in memory
//! for the next rebuild; a one-off build spools each as its doc is finished, and the files
//! are written a chunk at a time ([`crate::write::Sink::write_chunks`]).

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One chunk of a machine file's text: held, or where the spool keeps it.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    /// Text written into the program (a separator).
    Static(&'static str),
    Held(Arc<str>),
    Spooled {
        at: u64,
        len: usize,
    },
    /// Part of a file of its own (an entry of the reuse store's pack), read from that file
    /// by any spool: the handle keeps the file open, so it cannot outlive what it points at.
    Blob {
        file: Blob,
        at: u64,
        len: usize,
    },
}

/// An open file that chunks point into: equal only to itself.
#[derive(Debug, Clone)]
pub struct Blob(Arc<SpoolFile>);

impl PartialEq for Blob {
    fn eq(&self, other: &Blob) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Chunk {
    fn default() -> Self {
        Chunk::Static("")
    }
}

impl From<String> for Chunk {
    fn from(s: String) -> Self {
        Chunk::Held(s.into())
    }
}

impl Chunk {
    /// Its length in bytes, known without reading it.
    pub fn len(&self) -> usize {
        match self {
            Chunk::Static(s) => s.len(),
            Chunk::Held(s) => s.len(),
            Chunk::Spooled { len, .. } | Chunk::Blob { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The bytes of a file made in parts (`search-index.js`, `llms.txt`) made before they go to
/// the spool as one chunk: such a file held whole on a large site topped its step's memory.
pub const PART_BYTES: usize = 1 << 20;

/// Where a build keeps its chunks: memory, or unnamed files (removed by the system when
/// the build ends, however it ends). Clones share the files. Chunks are written and read at
/// their place (no seek, no shared file position), so the docs finished in parallel only
/// take turns to reserve their place, not to write. Each thread of the pool writes a file
/// of its own (a shard): ext4 takes a file's lock for every buffered write, so threads
/// writing one file waited for each other, for as long as the other's copy and block
/// allocation took (longest when the holder lost its core on a busy machine).
#[derive(Debug, Clone, Default)]
pub struct Spool {
    files: Option<Arc<[Arc<SpoolFile>]>>,
}

/// A spooled chunk's `at` is its shard's number in these high bits, its offset in that
/// shard below them: shard 0's places are plain offsets (a spool of one file, as the
/// reuse store's pack is read, sees no difference), and a part of a chunk is still at its
/// start plus the part's offset.
const SHARD_SHIFT: u32 = 48;

#[derive(Debug)]
struct SpoolFile {
    file: File,
    /// Where the next chunk goes: the end of every chunk reserved.
    end: Mutex<u64>,
}

impl SpoolFile {
    fn new(file: File) -> Arc<SpoolFile> {
        let end = Mutex::new(file.metadata().map_or(0, |m| m.len()));
        Arc::new(SpoolFile { file, end })
    }
}

/// Writes `texts` (`len` bytes in all) one after another at `at`: on Linux in one call
/// for all of them, which a short write (none on a regular file, short of a full disk)
/// only continues.
#[cfg(target_os = "linux")]
fn write_all_at(file: &File, texts: &[String], mut at: u64, mut len: u64) -> io::Result<()> {
    let mut slices: Vec<io::IoSlice> = texts
        .iter()
        .map(|t| io::IoSlice::new(t.as_bytes()))
        .collect();
    let mut bufs = &mut slices[..];
    while len > 0 {
        match rustix::io::pwritev(file, bufs, at) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                (at, len) = (at + n as u64, len - n as u64);
                io::IoSlice::advance_slices(&mut bufs, n);
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn write_all_at(file: &File, texts: &[String], mut at: u64, _len: u64) -> io::Result<()> {
    for t in texts {
        write_at(file, t.as_bytes(), at)?;
        at += t.len() as u64;
    }
    Ok(())
}

#[cfg(all(unix, not(target_os = "linux")))]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => (bytes, at) = (&bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => (bytes, at) = (&mut bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

fn unspooled() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "a spooled chunk without its spool")
}

impl Spool {
    pub fn memory() -> Spool {
        Spool::default()
    }

    /// Chunks kept in unnamed files in `dir` (beside the output, not in a temp folder that
    /// may be memory itself), one for each thread of the pool and one for any other thread,
    /// else in the system's temp folder, else in memory.
    pub fn in_dir(dir: &Path) -> Spool {
        Spool::in_files(dir, rayon::current_num_threads() + 1)
    }

    /// [`Spool::in_dir`] with `shards` files at most (fewer if the folder takes fewer).
    fn in_files(dir: &Path, shards: usize) -> Spool {
        let first = tempfile::tempfile_in(dir).or_else(|_| tempfile::tempfile());
        let Ok(first) = first else {
            return Spool::default();
        };
        let rest = (1..shards).map_while(|_| tempfile::tempfile_in(dir).ok());
        let files = std::iter::once(first).chain(rest).map(SpoolFile::new);
        Spool {
            files: Some(files.collect()),
        }
    }

    /// Chunks of an existing file (one the spool's owner wrote), read with [`Spool::get`];
    /// new chunks go after its end.
    pub fn of_file(file: File) -> Spool {
        Spool {
            files: Some(Arc::from([SpoolFile::new(file)])),
        }
    }

    /// The chunk at `at` of this spool's files, readable by any spool (`None` in memory).
    pub fn blob(&self, at: u64, len: usize) -> Option<Chunk> {
        let (file, at) = self.shard(at)?;
        let file = Blob(Arc::clone(file));
        Some(Chunk::Blob { file, at, len })
    }

    pub fn is_file(&self) -> bool {
        self.files.is_some()
    }

    /// The shard a spooled chunk's `at` names and its offset there.
    fn shard(&self, at: u64) -> Option<(&Arc<SpoolFile>, u64)> {
        let file = self.files.as_ref()?.get((at >> SHARD_SHIFT) as usize)?;
        Some((file, at & ((1 << SHARD_SHIFT) - 1)))
    }

    /// Keeps `text`, in the calling thread's shard. A chunk the file cannot take (a full
    /// disk) is held instead: nothing is lost, only the memory it would have saved.
    pub fn put(&self, text: String) -> Chunk {
        let [chunk] = self.put_all([text]);
        chunk
    }

    /// [`Spool::put`] of several texts, one after another in one place reserved for them
    /// all and written by one call: a doc's texts were a write each, and a large build's
    /// spool writes were counted in the hundreds of thousands.
    pub fn put_all<const N: usize>(&self, texts: [String; N]) -> [Chunk; N] {
        let Some(files) = &self.files else {
            return texts.map(Chunk::from);
        };
        let shard = rayon::current_thread_index().map_or(0, |i| i + 1) % files.len();
        let file = &files[shard];
        let len: u64 = texts.iter().map(|t| t.len() as u64).sum();
        let mut end = file.end.lock().unwrap_or_else(|e| e.into_inner());
        let at = *end;
        *end += len;
        drop(end);
        // A place that fails to take its chunks stays a gap in the file.
        if write_all_at(&file.file, &texts, at, len).is_err() {
            return texts.map(Chunk::from);
        }
        let mut next = at;
        texts.map(|t| {
            let chunk = Chunk::Spooled {
                at: ((shard as u64) << SHARD_SHIFT) | next,
                len: t.len(),
            };
            next += t.len() as u64;
            chunk
        })
    }

    /// The text of `chunk`, read back if it is spooled.
    pub fn get<'a>(&self, chunk: &'a Chunk) -> io::Result<Cow<'a, str>> {
        let mut bytes = Vec::new();
        match chunk {
            Chunk::Static(s) => return Ok(Cow::Borrowed(s)),
            Chunk::Held(s) => return Ok(Cow::Borrowed(s)),
            _ => self.read_into(chunk, &mut bytes)?,
        }
        let text =
            String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e));
        text.map(Cow::Owned)
    }

    /// Appends the chunk's bytes to `buf`, read straight into it: no string of its own,
    /// checked as UTF-8 and copied again.
    pub fn read_into(&self, chunk: &Chunk, buf: &mut Vec<u8>) -> io::Result<()> {
        if let Chunk::Static(_) | Chunk::Held(_) = chunk {
            buf.extend_from_slice(self.get(chunk)?.as_bytes());
            return Ok(());
        }
        let (file, at) = self.place(chunk).ok_or_else(unspooled)?;
        let start = buf.len();
        buf.resize(start + chunk.len(), 0);
        read_at(file, &mut buf[start..], at)
    }

    /// The file a chunk is kept in and its place there (`None`: held, or without its file).
    pub fn place<'s>(&'s self, chunk: &'s Chunk) -> Option<(&'s File, u64)> {
        match chunk {
            Chunk::Blob { file, at, .. } => Some((&file.0.file, *at)),
            Chunk::Spooled { at, .. } => self.shard(*at).map(|(f, at)| (&f.file, at)),
            Chunk::Static(_) | Chunk::Held(_) => None,
        }
    }

    /// The chunks' text, one after another.
    pub fn concat(&self, chunks: &[Chunk]) -> io::Result<String> {
        let mut out = String::with_capacity(chunks.iter().map(Chunk::len).sum());
        for p in chunks {
            out.push_str(&self.get(p)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spooled_chunk_reads_back_as_written_and_memory_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::in_dir(dir.path());
        let a = spool.put("é twin\n".to_string());
        let b = spool.put(String::new());
        let c = spool.put("x".repeat(70_000));
        assert!(matches!(a, Chunk::Spooled { at: 0, len: 8 }), "{a:?}");
        assert_eq!(c.len(), 70_000);
        assert_eq!(spool.get(&a).unwrap(), "é twin\n");
        assert_eq!(spool.get(&b).unwrap(), "");
        assert_eq!(spool.get(&c).unwrap(), "x".repeat(70_000));
        let glue = Chunk::Static(",");
        assert_eq!(spool.concat(&[a.clone(), glue, b]).unwrap(), "é twin\n,");
        // The file is unnamed: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        // One thread's shard, so a plain offset.
        assert_eq!(spool.place(&c).map(|(_, at)| at), Some(8));

        let memory = Spool::memory();
        let held = memory.put("held".to_string());
        assert!(matches!(held, Chunk::Held(_)));
        assert_eq!(memory.get(&held).unwrap(), "held");
        // A spooled chunk is no use without its spool.
        assert!(memory.get(&a).is_err());
    }

    #[test]
    fn texts_put_together_lie_one_after_another_and_read_back_apart() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::in_files(dir.path(), 1);
        let first = spool.put("0123".to_string());
        let texts = [
            "prose é".to_string(),
            String::new(),
            "y".repeat(70_000),
            "twin".into(),
        ];
        let chunks = spool.put_all(texts.clone());
        let places: Vec<_> = chunks.iter().map(|c| spool.place(c).unwrap().1).collect();
        assert_eq!(places, [4, 12, 12, 70_012]);
        for (c, t) in chunks.iter().zip(&texts) {
            assert_eq!(spool.get(c).unwrap(), t.as_str());
        }
        assert_eq!(spool.get(&first).unwrap(), "0123");
        assert_eq!(
            spool.put("after".to_string()),
            Chunk::Spooled { at: 70_016, len: 5 }
        );
        // In memory, each is held.
        let held = Spool::memory().put_all(["a".to_string(), "b".to_string()]);
        assert_eq!(held, [Chunk::Held("a".into()), Chunk::Held("b".into())]);
    }

    #[test]
    fn each_pool_thread_spools_into_a_file_of_its_own() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::in_files(dir.path(), 3);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let text = |i: usize| format!("thread {i} ").repeat(1000);
        // Each thread puts a chunk, then waits for the other's, so both are in the pool at once.
        let barrier = std::sync::Barrier::new(2);
        let chunks = pool.broadcast(|c| {
            let chunk = spool.put(text(c.index()));
            barrier.wait();
            chunk
        });
        let other = spool.put("not a pool thread".to_string());
        let fd = |c: &Chunk| spool.place(c).unwrap().0.as_raw_fd();
        let fds: std::collections::BTreeSet<_> = chunks.iter().chain([&other]).map(fd).collect();
        assert_eq!(fds.len(), 3, "{chunks:?} {other:?}");
        for (i, chunk) in chunks.iter().enumerate() {
            // Each at the start of its shard, whichever shard that is.
            assert_eq!(spool.place(chunk).unwrap().1, 0);
            assert_eq!(spool.get(chunk).unwrap(), text(i));
            // A part of a chunk (as `openapi` cuts an operation's) is read from its shard.
            let Chunk::Spooled { at, .. } = chunk else {
                panic!("{chunk:?}")
            };
            let part = Chunk::Spooled { at: at + 7, len: 4 };
            assert_eq!(spool.get(&part).unwrap(), &text(i)[7..11]);
            let blob = spool.blob(at + 7, 4).unwrap();
            assert_eq!(Spool::memory().get(&blob).unwrap(), &text(i)[7..11]);
        }
        assert_eq!(spool.get(&other).unwrap(), "not a pool thread");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
