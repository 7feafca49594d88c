//! Write: output is staged in a temporary folder beside the target and swapped in with
//! renames only when the whole build succeeded, so a failed build leaves the previous output
//! untouched. endpaper replaces only folders it created (they hold a marker file) and never
//! the site itself, an ancestor of it, or `/`.

use crate::spool::{Chunk, Spool};
use anyhow::{bail, Context, Result};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a folder as endpaper output, safe to replace.
pub const MARKER: &str = ".endpaper-output";
const MARKER_TEXT: &[u8] = b"This folder was written by endpaper and is replaced by each build.\n";

/// Where a build's files go. `Sync` so pages can be written from worker threads.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Writes `parts` one after another as one file, so a file made of many chunks
    /// (`llms-full.txt`, `openapi.json`) need not be copied into one buffer first.
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        self.write(rel, &parts.concat())
    }
    /// Writes `chunks` (some perhaps in `spool`) one after another as one file. This reads
    /// them all first; a sink that can write as it reads ([`Staging`]) holds one at a time.
    fn write_chunks(&self, rel: &str, spool: &Spool, chunks: &[Chunk]) -> Result<()> {
        let texts = chunks
            .iter()
            .map(|p| spool.get(p))
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("cannot read back the text of {rel}"))?;
        let parts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        self.write_parts(rel, &parts)
    }
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        let bytes = fs::read(src).with_context(|| format!("cannot read {}", src.display()))?;
        self.write(rel, &bytes)
    }
    /// Keeps the file the last build wrote at `rel`, which holds what this build would write
    /// there (its key says so); `false` when it cannot, and the caller writes it. A sink
    /// that writes over the last build's output in place, or writes nothing, has it kept.
    fn keep(&self, _rel: &str) -> bool {
        true
    }
}

/// Discards everything (for `check`).
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn write_parts(&self, _: &str, _: &[&[u8]]) -> Result<()> {
        Ok(())
    }
    fn write_chunks(&self, _: &str, _: &Spool, _: &[Chunk]) -> Result<()> {
        Ok(())
    }
    fn copy(&self, _: &Path, _: &str) -> Result<()> {
        Ok(())
    }
}

/// Passes writes on to another sink and records every path written, so a build lists
/// exactly the files it wrote or kept.
pub struct Recorder<'s> {
    inner: &'s dyn Sink,
    written: std::sync::Mutex<std::collections::BTreeSet<String>>,
    kept: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl<'s> Recorder<'s> {
    pub fn new(inner: &'s dyn Sink) -> Self {
        Recorder {
            inner,
            written: Default::default(),
            kept: Default::default(),
        }
    }

    fn record(&self, rel: &str) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
    }

    /// Every path written or kept, and those kept, output-relative.
    pub fn into_written(self) -> (BTreeSet<String>, BTreeSet<String>) {
        let take = |m: std::sync::Mutex<BTreeSet<String>>| {
            m.into_inner().unwrap_or_else(|e| e.into_inner())
        };
        (take(self.written), take(self.kept))
    }
}

impl Sink for Recorder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)?;
        self.record(rel);
        Ok(())
    }
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        self.inner.write_parts(rel, parts)?;
        self.record(rel);
        Ok(())
    }
    fn write_chunks(&self, rel: &str, spool: &Spool, chunks: &[Chunk]) -> Result<()> {
        self.inner.write_chunks(rel, spool, chunks)?;
        self.record(rel);
        Ok(())
    }
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        self.inner.copy(src, rel)?;
        self.record(rel);
        Ok(())
    }
    fn keep(&self, rel: &str) -> bool {
        let kept = self.inner.keep(rel);
        if kept {
            self.record(rel);
            let mut set = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            set.insert(rel.to_string());
        }
        kept
    }
}

/// Writes into an existing output folder, each file through a temporary file and a
/// rename so a reader never sees half a page; a file that already holds the bytes is left
/// alone.
pub struct InPlace {
    pub root: PathBuf,
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(rel, &[bytes])
    }
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        let path = self.root.join(rel);
        if holds(&path, parts) {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        for part in parts {
            std::io::Write::write_all(&mut tmp, part)?;
        }
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `parts`, one after another. The size is checked
/// first, so a changed file of another size is not read at all; otherwise it is compared a
/// buffer at a time, never read whole.
fn holds(path: &Path, parts: &[&[u8]]) -> bool {
    let len = parts.iter().map(|p| p.len()).sum();
    holds_each(path, len, parts.iter().map(|p| Ok(Cow::Borrowed(*p))))
}

/// [`holds`] for chunks, read from the spool one at a time.
fn holds_chunks(path: &Path, spool: &Spool, chunks: &[Chunk]) -> bool {
    let len = chunks.iter().map(Chunk::len).sum();
    holds_each(
        path,
        len,
        chunks.iter().map(|c| {
            spool.get(c).map(|t| match t {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            })
        }),
    )
}

fn holds_each<'a>(
    path: &Path,
    len: usize,
    parts: impl Iterator<Item = std::io::Result<Cow<'a, [u8]>>>,
) -> bool {
    use std::io::BufRead;
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(len as u64) {
        return false;
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    for part in parts {
        let Ok(part) = part else {
            return false;
        };
        let mut rest: &[u8] = &part;
        while !rest.is_empty() {
            let buf = match reader.fill_buf() {
                Ok(buf) if !buf.is_empty() => buf,
                _ => return false,
            };
            let n = buf.len().min(rest.len());
            if buf[..n] != rest[..n] {
                return false;
            }
            reader.consume(n);
            rest = &rest[n..];
        }
    }
    reader.fill_buf().is_ok_and(|b| b.is_empty())
}

/// A build in progress: files land in a temp folder until [`Staging::commit`].
pub struct Staging {
    tmp: tempfile::TempDir,
    target: PathBuf,
    /// Folders of the staging folder made so far: a site's files share a few dozen, and
    /// asking the system to make each again for every file was two calls a file.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// The staging folder's marker, locked while this build runs (released by the system
    /// if the process is killed): see [`remove_stale_staging`].
    _in_use: fs::File,
}

/// Writes the marker into a new staging folder, locked before it takes its name, so no
/// other build ever sees this build's folder marked and unlocked while it runs.
fn mark_in_use(dir: &Path) -> std::io::Result<fs::File> {
    let new = dir.join(format!("{MARKER}.new"));
    let mut file = fs::File::create(&new)?;
    file.lock()?;
    std::io::Write::write_all(&mut file, MARKER_TEXT)?;
    fs::rename(&new, dir.join(MARKER))?;
    Ok(file)
}

/// A staging folder a build of `target` left behind, and whether it could be removed.
pub struct Stale {
    pub dir: PathBuf,
    pub removed: std::io::Result<()>,
}

/// Removes the staging folders that killed builds of `target` left beside it: a
/// `.NAME.tmp-*` folder holding endpaper's marker that no running build holds locked.
/// Folders endpaper did not make (no marker, or another text in it) and those of builds
/// still running are left alone.
pub fn remove_stale_staging(target: &Path) -> Vec<Stale> {
    let Ok(target) = absolute(target) else {
        return Vec::new();
    };
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut stale: Vec<Stale> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let dir = e.path();
            let marker = dir.join(MARKER);
            if !fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
                return None;
            }
            let mut file = fs::File::open(&marker).ok()?;
            // Held by a running build: its folder is in use.
            file.try_lock().ok()?;
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut text).ok()?;
            if text != MARKER_TEXT {
                return None;
            }
            let removed = fs::remove_dir_all(&dir);
            Some(Stale { dir, removed })
        })
        .collect();
    stale.sort_by(|a, b| a.dir.cmp(&b.dir));
    stale
}

fn absolute(p: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("bad path {}", p.display()))?;
    // Resolve what exists so `..` and symlinks cannot disguise the real target.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(
            existing
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default(),
        );
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut real = existing.canonicalize()?;
    for part in rest.into_iter().rev() {
        real.push(part);
    }
    Ok(real)
}

/// Checks that `target` may be (re)placed by a build of `site`.
pub fn check_target(target: &Path, site: &Path) -> Result<PathBuf> {
    let target = absolute(target)?;
    let site = absolute(site)?;
    if target.parent().is_none() {
        bail!("refusing to write output to `/`: choose an output folder with -o");
    }
    if site.starts_with(&target) {
        bail!(
            "refusing to write output to {}: it {} the site folder; choose another folder with -o",
            target.display(),
            if site == target { "is" } else { "contains" }
        );
    }
    if target.exists() {
        if !target.is_dir() {
            bail!(
                "output path {} exists and is not a folder",
                target.display()
            );
        }
        let empty = fs::read_dir(&target)?.next().is_none();
        if !empty && !target.join(MARKER).exists() {
            bail!(
                "refusing to replace {}: it is not empty and was not created by endpaper; choose another folder with -o or empty it",
                target.display()
            );
        }
    }
    Ok(target)
}

impl Staging {
    pub fn begin(target: &Path, site: &Path) -> Result<Staging> {
        let target = check_target(target, site)?;
        let parent = target.parent().unwrap_or(Path::new("/"));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        let in_use = mark_in_use(tmp.path())
            .with_context(|| format!("cannot write in {}", tmp.path().display()))?;
        Ok(Staging {
            tmp,
            target,
            made: Default::default(),
            _in_use: in_use,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staged output in. Concurrent builds of the same target serialise here
    /// (a lock on the folder that holds it), so the result is always one whole build.
    pub fn commit(self) -> Result<PathBuf> {
        let parent = self.target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Lock the parent folder itself (flock works on directories), so no lock file is
        // left behind in the writer's site.
        let lock =
            fs::File::open(&parent).with_context(|| format!("cannot open {}", parent.display()))?;
        lock.lock().context("cannot lock the output folder")?;
        // Re-check under the lock: another build may have swapped in meanwhile.
        check_target(&self.target, Path::new("/nonexistent-site"))?;
        let old = if self.target.exists() {
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)?
                .keep();
            fs::remove_dir(&old)?;
            fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "cannot move the previous output {} aside",
                    self.target.display()
                )
            })?;
            Some(old)
        } else {
            None
        };
        let staged = self.tmp.keep();
        if let Err(e) = fs::rename(&staged, &self.target) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.target);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(e).with_context(|| {
                format!("cannot move the new output into {}", self.target.display())
            });
        }
        if let Some(old) = old {
            fs::remove_dir_all(&old).with_context(|| {
                format!("cannot remove the previous output at {}", old.display())
            })?;
        }
        Ok(self.target)
    }
}

impl Staging {
    /// Creates the file at `rel` and lets `fill` write it.
    fn create(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            self.make_dir(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let written = fs::File::create(&path).and_then(|mut f| fill(&mut f));
        written.with_context(|| format!("cannot write {} (output file {rel})", path.display()))
    }

    /// Links the last build's file at `rel` into the staging folder when `same` finds it
    /// holds the bytes to write. A rebuild then creates files only for what changed: on
    /// ext4, creating thousands of files beside a just-deleted output was most of a
    /// rebuild's system time (each new inode searched past the recently freed ones).
    fn reuse(&self, rel: &str, same: impl FnOnce(&Path) -> bool) -> bool {
        let old = self.target.join(rel);
        let is_file = fs::symlink_metadata(&old).is_ok_and(|m| m.file_type().is_file());
        if !is_file || !same(&old) {
            return false;
        }
        let new = self.tmp.path().join(rel);
        new.parent().is_none_or(|dir| self.make_dir(dir).is_ok())
            && fs::hard_link(&old, &new).is_ok()
    }

    /// Makes `dir` (and its parents) in the staging folder unless this build made it already.
    fn make_dir(&self, dir: &Path) -> std::io::Result<()> {
        let made = |m: &std::sync::Mutex<std::collections::HashSet<PathBuf>>| {
            m.lock().unwrap_or_else(|e| e.into_inner()).contains(dir)
        };
        if made(&self.made) {
            return Ok(());
        }
        fs::create_dir_all(dir)?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(rel, &[bytes])
    }
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        if self.reuse(rel, |old| holds(old, parts)) {
            return Ok(());
        }
        self.create(rel, |f| {
            parts
                .iter()
                .try_for_each(|p| std::io::Write::write_all(f, p))
        })
    }
    fn keep(&self, rel: &str) -> bool {
        self.reuse(rel, |_| true)
    }
    fn write_chunks(&self, rel: &str, spool: &Spool, chunks: &[Chunk]) -> Result<()> {
        if self.reuse(rel, |old| holds_chunks(old, spool, chunks)) {
            return Ok(());
        }
        self.create(rel, |f| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
            for p in chunks {
                std::io::Write::write_all(&mut out, spool.get(p)?.as_bytes())?;
            }
            std::io::Write::flush(&mut out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_place_writes_only_what_changed_and_compares_parts_across_buffers() {
        let dir = tempfile::tempdir().unwrap();
        let sink = InPlace {
            root: dir.path().to_path_buf(),
        };
        let big = vec![b'x'; 200_000];
        sink.write_parts("a/f.txt", &[b"head ", &big, b" tail"])
            .unwrap();
        let path = dir.path().join("a/f.txt");
        assert_eq!(fs::read(&path).unwrap().len(), 200_010);
        assert!(holds(&path, &[b"head ", &big, b" tail"]));
        assert!(holds(
            &path,
            &[&[b"head ".as_slice(), &big, b" tail"].concat()]
        ));
        let mut other = big.clone();
        other[150_000] = b'y';
        assert!(
            !holds(&path, &[b"head ", &other, b" tail"]),
            "same size, one byte differs"
        );
        assert!(!holds(&path, &[b"head ", &big]), "shorter");
        assert!(!holds(&dir.path().join("missing"), &[b""]));
        // An unchanged file is not rewritten: its modification time stays.
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        sink.write_parts("a/f.txt", &[b"head ", &big, b" tail"])
            .unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), old);
        sink.write_parts("a/f.txt", &[b"head ", &other, b" tail"])
            .unwrap();
        assert_eq!(fs::read(&path).unwrap()[150_005], b'y');
    }

    #[test]
    fn refuses_dangerous_targets() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("_api")).unwrap();
        assert!(check_target(Path::new("/"), &site).is_err());
        assert!(check_target(&site, &site).is_err());
        assert!(check_target(dir.path(), &site).is_err());
        assert!(check_target(&site.join("_site"), &site).is_ok());
        let foreign = dir.path().join("foreign");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let e = check_target(&foreign, &site).unwrap_err().to_string();
        assert!(e.contains("not created by endpaper"), "{e}");
    }

    #[test]
    fn commit_swaps_and_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(&site).unwrap();
        let out = dir.path().join("out");
        let s = Staging::begin(&out, &site).unwrap();
        s.write("a/b.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        // A build that fails (dropped before commit) leaves the output and no temp folder.
        let s = Staging::begin(&out, &site).unwrap();
        s.write("a/b.html", b"two").unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let s = Staging::begin(&out, &site).unwrap();
        s.write("c.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a/b.html").exists());
        assert!(out.join("c.html").exists());
    }

    #[test]
    fn only_killed_builds_staging_folders_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(&site).unwrap();
        let out = dir.path().join("out");
        // Killed: the process is gone, so its folder stays marked but unlocked.
        let killed = Staging::begin(&out, &site).unwrap();
        killed.write("a.html", b"half").unwrap();
        let Staging { tmp, _in_use, .. } = killed;
        let killed = tmp.keep();
        drop(_in_use);
        let running = Staging::begin(&out, &site).unwrap();
        let foreign = dir.path().join(".out.tmp-mine");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "keep").unwrap();
        let other_marker = dir.path().join(".out.tmp-other");
        fs::create_dir_all(&other_marker).unwrap();
        fs::write(other_marker.join(MARKER), "not endpaper's words").unwrap();

        let stale = remove_stale_staging(&out);
        let removed: Vec<_> = stale.iter().map(|s| s.dir.clone()).collect();
        assert_eq!(removed, vec![killed.clone()]);
        assert!(stale[0].removed.is_ok());
        assert!(!killed.exists());
        assert!(
            running.tmp.path().join(MARKER).is_file(),
            "a running build's folder stays"
        );
        assert!(foreign.join("notes.txt").is_file());
        assert!(other_marker.join(MARKER).is_file());
        // The running build still commits, and its output carries the marker.
        running.write("b.html", b"whole").unwrap();
        running.commit().unwrap();
        assert_eq!(fs::read(out.join(MARKER)).unwrap(), MARKER_TEXT);
        assert!(remove_stale_staging(&out).is_empty());
    }

    #[test]
    fn chunks_are_written_whole_by_every_sink_whether_held_static_or_spooled() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(&site).unwrap();
        let spool = Spool::in_dir(dir.path());
        let big = "y".repeat(100_000);
        let chunks = [
            Chunk::Static("head "),
            spool.put(big.clone()),
            Chunk::from("held"),
            spool.put("é".to_string()),
        ];
        let want = format!("head {big}heldé");
        let staging = Staging::begin(&dir.path().join("out"), &site).unwrap();
        staging.write_chunks("f.txt", &spool, &chunks).unwrap();
        let out = staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("f.txt")).unwrap(), want);
        // The trait's own way (read all, then write the parts), as `serve` writes.
        let in_place = InPlace {
            root: dir.path().join("live"),
        };
        let recorder = Recorder::new(&in_place);
        recorder.write_chunks("g.txt", &spool, &chunks).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("live/g.txt")).unwrap(),
            want
        );
        assert!(recorder.into_written().0.contains("g.txt"));
        // A spooled chunk read without its spool fails, naming the file.
        let e = in_place
            .write_chunks("h.txt", &Spool::memory(), &chunks)
            .unwrap_err();
        assert!(format!("{e:#}").contains("h.txt"), "{e:#}");
    }

    /// A rebuild links each file that holds the same bytes as the last build's instead of
    /// creating it again, and writes the rest; the output is the same either way.
    #[cfg(unix)]
    #[test]
    fn staging_links_the_last_builds_unchanged_files() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(&site).unwrap();
        let out = dir.path().join("out");
        let spool = Spool::in_dir(dir.path());
        let twin = [Chunk::Static("# T\n"), spool.put("body".repeat(1000))];
        let first = Staging::begin(&out, &site).unwrap();
        first.write("a/same.html", b"same").unwrap();
        first.write("changed.html", b"old").unwrap();
        first.write_chunks("t.md", &spool, &twin).unwrap();
        first.commit().unwrap();
        let ino = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
        let before = [ino("a/same.html"), ino("changed.html"), ino("t.md")];

        let second = Staging::begin(&out, &site).unwrap();
        second.write("a/same.html", b"same").unwrap();
        second.write("changed.html", b"new").unwrap();
        second.write_chunks("t.md", &spool, &twin).unwrap();
        second.commit().unwrap();
        assert_eq!(ino("a/same.html"), before[0], "linked");
        assert_ne!(ino("changed.html"), before[1], "written anew");
        assert_eq!(ino("t.md"), before[2], "linked");
        assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"new");
        assert_eq!(fs::read(out.join("a/same.html")).unwrap(), b"same");
        assert_eq!(
            fs::read_to_string(out.join("t.md")).unwrap(),
            format!("# T\n{}", "body".repeat(1000))
        );
    }
}
