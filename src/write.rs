//! Write: output is staged in a temporary folder beside the target and put in place only
//! when the whole build succeeded, so a failed build leaves the previous output untouched:
//! swapped in whole with renames, or, when the output is as the last build wrote it, only
//! the files that changed renamed over theirs ([`Staging::over`]). endpaper replaces only
//! folders it created (they hold a marker file) and never the site itself, an ancestor of
//! it, or `/`.

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
    /// [`Sink::write_chunks`], the file's runs that `splice` says the last build's file at
    /// `rel` holds copied from that file where the sink can (over the last output); the
    /// default writes every chunk.
    fn write_spliced(
        &self,
        rel: &str,
        spool: &Spool,
        chunks: &[Chunk],
        _splice: &Splice,
    ) -> Result<()> {
        self.write_chunks(rel, spool, chunks)
    }
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        let bytes = fs::read(src).with_context(|| format!("cannot read {}", src.display()))?;
        self.write(rel, &bytes)
    }
    /// Whether what is written is thrown away (nothing to remember for the next build).
    fn discards(&self) -> bool {
        false
    }
    /// Keeps the file the last build wrote at `rel`, which holds what this build would write
    /// there (its key says so); `false` when it cannot, and the caller writes it. A sink
    /// that writes over the last build's output in place, or writes nothing, has it kept.
    fn keep(&self, _rel: &str) -> bool {
        true
    }
}

/// A file made of the last build's file and new chunks ([`Sink::write_spliced`]): the last
/// file's first `head` bytes, the chunks `mid`, and its last `tail` bytes; `old_len` is the
/// last file's length, refused if it has another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub head: u64,
    pub tail: u64,
    pub old_len: u64,
    pub mid: std::ops::Range<usize>,
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
    fn discards(&self) -> bool {
        true
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
    fn write_spliced(
        &self,
        rel: &str,
        spool: &Spool,
        chunks: &[Chunk],
        splice: &Splice,
    ) -> Result<()> {
        self.inner.write_spliced(rel, spool, chunks, splice)?;
        self.record(rel);
        Ok(())
    }
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        self.inner.copy(src, rel)?;
        self.record(rel);
        Ok(())
    }
    fn discards(&self) -> bool {
        self.inner.discards()
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
    /// Set by [`Staging::over`]: only the files that change are staged.
    over: Option<Over>,
}

/// A build over the output as the last build left it: the files it would write the same
/// stay where they are, and [`Staging::commit`] renames the others over theirs.
struct Over {
    /// The output's marker, locked by [`OutputLock`] (this handle shares that lock).
    marker: fs::File,
    /// Each file staged, output-relative.
    staged: std::sync::Mutex<BTreeSet<String>>,
}

/// Where an in-place commit keeps, inside the staging folder, the files it replaces or
/// removes: put back if the commit fails, deleted with the staging folder once it is done.
const SAVED: &str = ".endpaper-output.old";

/// The output folder's marker, held open and locked: builds of one output folder take turns
/// from before one reads the output (the stamp's hash of it) until it has recorded it
/// again, so a build that writes over the output in place finds it as it read it.
pub struct OutputLock {
    marker: fs::File,
}

impl OutputLock {
    /// Waits for the turn on the output folder `target`; `None` when it has no marker
    /// (nothing to write over in place) or the system cannot lock it.
    pub fn take(target: &Path) -> Option<OutputLock> {
        let path = target.join(MARKER);
        loop {
            let marker = fs::File::open(&path).ok()?;
            marker.lock().ok()?;
            // A build that swapped a new output in while this one waited left a new marker:
            // the turn is on that one.
            if is_marker(&marker, target)? {
                return Some(OutputLock { marker });
            }
        }
    }
}

/// Whether `file` is the marker of the output folder `target` (`None`: it has none).
#[cfg(unix)]
fn is_marker(file: &fs::File, target: &Path) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    let now = fs::symlink_metadata(target.join(MARKER)).ok()?;
    let held = file.metadata().ok()?;
    now.is_file()
        .then_some((now.dev(), now.ino()) == (held.dev(), held.ino()))
}

#[cfg(not(unix))]
fn is_marker(_: &fs::File, _: &Path) -> Option<bool> {
    None
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
        Self::start(target, site, None)
    }

    /// A build over the output folder `target` as the last build wrote it (its stamp says
    /// so, read under `lock`): a file that would be written as it is stays where it is, and
    /// only the others are staged, to be renamed over theirs at [`Staging::commit`].
    pub fn over(target: &Path, site: &Path, lock: &OutputLock) -> Result<Staging> {
        let over = Over {
            marker: lock.marker.try_clone()?,
            staged: Default::default(),
        };
        Self::start(target, site, Some(over))
    }

    fn start(target: &Path, site: &Path, over: Option<Over>) -> Result<Staging> {
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
        spread::spread_folders(tmp.path(), true);
        let in_use = mark_in_use(tmp.path())
            .with_context(|| format!("cannot write in {}", tmp.path().display()))?;
        Ok(Staging {
            tmp,
            target,
            made: Default::default(),
            _in_use: in_use,
            over,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the staged output in place; `files` is every file the build wrote or kept. A
    /// build [`Staging::over`] the last output renames each changed file over its own and
    /// then takes away the files no longer written (`place`); else (or when most
    /// files changed, or one's path is now a folder's) the whole staged folder is swapped
    /// in. Concurrent builds of the same target serialise here (a lock on the folder that
    /// holds it), so the result is always one whole build.
    pub fn commit(self, files: &BTreeSet<String>) -> Result<PathBuf> {
        let (target, leftovers) = self.commit_leaving(files)?;
        leftovers.wait()?;
        Ok(target)
    }

    /// [`Staging::commit`], but what an in-place commit took out of the output (the files
    /// it replaced or removed, none of them linked from the output) is removed on a thread
    /// of its own while the caller goes on: dropping the cached pages of a 100 MB file took
    /// longer than all the rest of the commit.
    pub fn commit_leaving(mut self, files: &BTreeSet<String>) -> Result<(PathBuf, Leftovers)> {
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
        if let Some(over) = self.over.take() {
            if is_marker(&over.marker, &self.target) != Some(true) {
                bail!(
                    "the output folder {} was replaced while this build ran (by another build?); build again",
                    self.target.display()
                );
            }
            let staged = over.staged.into_inner().unwrap_or_else(|e| e.into_inner());
            if staged.len() * 2 <= files.len() && !self.moves_folders(&staged) {
                if let Some(stale) = self.stale(files) {
                    self.place(&staged, &stale)?;
                    let Staging {
                        tmp,
                        target,
                        _in_use,
                        ..
                    } = self;
                    let what = format!("the files taken out of {}", target.display());
                    let leftovers = Leftovers::remove(what, move || {
                        let removed = tmp.close();
                        drop(_in_use);
                        removed
                    });
                    return Ok((target, leftovers));
                }
            }
            // Swapped in whole after all: the files left in place are linked into it.
            for rel in files.difference(&staged) {
                let new = self.tmp.path().join(rel);
                if let Some(dir) = new.parent() {
                    self.make_dir(dir)?;
                }
                fs::hard_link(self.target.join(rel), &new)
                    .with_context(|| format!("cannot link {rel} into the new output"))?;
            }
        }
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
        // The output is an ordinary folder: later builds over it make folders as ext4 would.
        spread::spread_folders(self.tmp.path(), false);
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
        // Removed before the stamp reads the output: the files kept were linked from it, and
        // each one's change time moves when its other link goes.
        if let Some(old) = old {
            fs::remove_dir_all(&old).with_context(|| {
                format!("cannot remove the previous output at {}", old.display())
            })?;
        }
        Ok((self.target, Leftovers(None, String::new())))
    }
}

/// What a commit took out of the output, being removed on a thread of its own (waited for
/// when dropped), and what it is.
pub struct Leftovers(Option<std::thread::JoinHandle<std::io::Result<()>>>, String);

impl Leftovers {
    /// The commit put the staged files in place over the last output and took out those
    /// no longer written: the files it did not stage stayed as they were.
    pub fn in_place(&self) -> bool {
        self.0.is_some()
    }

    fn remove(what: String, remove: impl FnOnce() -> std::io::Result<()> + Send + 'static) -> Self {
        Leftovers(Some(std::thread::spawn(remove)), what)
    }

    /// Waits until they are removed.
    pub fn wait(mut self) -> Result<()> {
        let Some(removing) = self.0.take() else {
            return Ok(());
        };
        match removing.join() {
            Ok(removed) => removed.with_context(|| format!("cannot remove {}", self.1)),
            Err(_) => bail!("removing {} failed", self.1),
        }
    }
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        if let Some(removing) = self.0.take() {
            let _ = removing.join();
        }
    }
}

impl Staging {
    /// Whether a staged file goes where the output has a folder, or under a path that is
    /// not a folder there (or under [`SAVED`]): renaming it in would fail.
    fn moves_folders(&self, staged: &BTreeSet<String>) -> bool {
        let kind = |rel: &Path| fs::symlink_metadata(self.target.join(rel)).map(|m| m.is_dir());
        staged.iter().any(|rel| {
            let rel = Path::new(rel);
            rel.starts_with(SAVED)
                || kind(rel).is_ok_and(|dir| dir)
                || folders_of(rel).any(|a| kind(a).is_ok_and(|dir| !dir))
        })
    }

    /// The output's files that are not among `files` (but its marker); `None` when a folder
    /// of it cannot be read.
    fn stale(&self, files: &BTreeSet<String>) -> Option<Vec<PathBuf>> {
        let mut stale = Vec::new();
        for entry in walkdir::WalkDir::new(&self.target).min_depth(1) {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(&self.target).ok()?;
            let written = rel
                .to_str()
                .is_some_and(|r| files.contains(r) || r == MARKER);
            if !entry.file_type().is_dir() && !written {
                stale.push(rel.to_path_buf());
            }
        }
        Some(stale)
    }

    /// The in-place commit: puts each staged file in place of the output's (a reader sees
    /// the old file or the new, whole), then moves the `stale` files out into the staging
    /// folder, and removes the folders that leaves empty. Each file replaced or moved out is
    /// kept in the staging folder until the end: on an error, all are put back and the files
    /// new to the output removed, so a failed commit leaves the output as it was. Killed
    /// midway, the output holds each of its files, old or new, and the next build (whose
    /// stamp then no longer matches it) swaps a whole build in.
    fn place(&self, staged: &BTreeSet<String>, stale: &[PathBuf]) -> Result<()> {
        let new_files = staged.iter().map(|rel| (Path::new(rel.as_str()), true));
        let moves = new_files.chain(stale.iter().map(|rel| (rel.as_path(), false)));
        // What was done, to undo: each path, and where the output's file went.
        let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
        for (rel, is_new) in moves {
            match self.place_one(rel, is_new) {
                Ok(kept) => done.push((rel, kept)),
                Err(e) => {
                    for (rel, kept) in done.into_iter().rev() {
                        let out = self.target.join(rel);
                        if let Some(kept) = kept {
                            let _ = fs::rename(kept, &out);
                        } else {
                            let _ = fs::remove_file(&out);
                            remove_empty_folders(&self.target, rel);
                        }
                    }
                    let out = self.target.join(rel);
                    return Err(e)
                        .with_context(|| format!("cannot put {} in place", out.display()));
                }
            }
        }
        for rel in stale {
            remove_empty_folders(&self.target, rel);
        }
        Ok(())
    }

    /// Puts the staged file `rel` in place of the output's (`is_new`), or moves the output's
    /// file `rel` into [`SAVED`]. Where the output's file went, if it had one.
    fn place_one(&self, rel: &Path, is_new: bool) -> std::io::Result<Option<PathBuf>> {
        let (out, staged) = (self.target.join(rel), self.tmp.path().join(rel));
        let saved = self.tmp.path().join(SAVED).join(rel);
        let save = |how: fn(&Path, &Path) -> std::io::Result<()>| {
            fs::create_dir_all(saved.parent().unwrap_or(self.tmp.path()))?;
            how(&out, &saved)
        };
        if !is_new {
            save(|a, b| fs::rename(a, b))?;
            return Ok(Some(saved));
        }
        if fs::symlink_metadata(&out).is_err() {
            fs::create_dir_all(out.parent().unwrap_or(&self.target))?;
            fs::rename(&staged, &out)?;
            return Ok(None);
        }
        if exchange(&staged, &out).is_ok() {
            return Ok(Some(staged));
        }
        save(|a, b| fs::hard_link(a, b))?;
        fs::rename(&staged, &out)?;
        Ok(Some(saved))
    }

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
        written.with_context(|| format!("cannot write {} (output file {rel})", path.display()))?;
        if let Some(over) = &self.over {
            let mut staged = over.staged.lock().unwrap_or_else(|e| e.into_inner());
            staged.insert(rel.to_string());
        }
        Ok(())
    }

    /// Links the last build's file at `rel` into the staging folder when `same` finds it
    /// holds the bytes to write. A rebuild then creates files only for what changed: on
    /// ext4, creating thousands of files beside a just-deleted output was most of a
    /// rebuild's system time (each new inode searched past the recently freed ones).
    /// Over the last output ([`Staging::over`]) such a file stays where it is, unless this
    /// build staged another text for it already.
    fn reuse(&self, rel: &str, same: impl FnOnce(&Path) -> bool) -> bool {
        let staged = |o: &Over| o.staged.lock().is_ok_and(|s| s.contains(rel));
        if self.over.as_ref().is_some_and(staged) {
            return false;
        }
        let old = self.target.join(rel);
        let is_file = fs::symlink_metadata(&old).is_ok_and(|m| m.file_type().is_file());
        if !is_file || !same(&old) {
            return false;
        }
        if self.over.is_some() {
            return true;
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
        let root = self.tmp.path();
        if let Some(top) = dir.strip_prefix(root).ok().and_then(|d| d.iter().next()) {
            spread::make_top_folder(root, top)?;
        }
        fs::create_dir_all(dir)?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
    }
}

/// Asks the system to read the kept chunks in ahead (`posix_fadvise`'s `WILLNEED`), a run
/// of adjacent ones as one span. By the time a large build reads its spool back the system
/// may have let it go, and a thread reading it a chunk at a time waited on the disk for
/// each, while the cores idled.
pub fn read_ahead<'c>(spool: &Spool, chunks: impl IntoIterator<Item = &'c Chunk>) {
    for (file, at, len) in spans(spool, chunks) {
        will_need(file, at, len.try_into().ok());
    }
}

/// Asks the system, on a thread of its own, to read the files `rels` of `root` in ahead, in their
/// order: the docs a build reads next, which a large build's own output may have pushed out
/// of memory by then.
pub fn read_ahead_files<'r>(root: &Path, rels: impl Iterator<Item = &'r str>) {
    let paths: Vec<PathBuf> = rels.map(|rel| root.join(rel)).collect();
    std::thread::spawn(move || {
        for file in paths.iter().filter_map(|p| fs::File::open(p).ok()) {
            will_need(&file, 0, None);
        }
    });
}

/// `posix_fadvise(WILLNEED)`: `len` bytes from `at`, or to the end of the file.
fn will_need(file: &fs::File, at: u64, len: Option<std::num::NonZeroU64>) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::fadvise(file, at, len, rustix::fs::Advice::WillNeed);
    #[cfg(not(target_os = "linux"))]
    let _ = (file, at, len);
}

/// Where the kept `chunks` are, a run of adjacent ones of a file as one span. An empty chunk
/// is none (advice of no length is to the end of the file).
fn spans<'s, 'c: 's>(
    spool: &'s Spool,
    chunks: impl IntoIterator<Item = &'c Chunk>,
) -> Vec<(&'s fs::File, u64, u64)> {
    let mut spans: Vec<(&fs::File, u64, u64)> = Vec::new();
    let placed = chunks.into_iter().filter(|c| !c.is_empty());
    for (chunk, (file, at)) in placed.filter_map(|c| Some((c, spool.place(c)?))) {
        let len = chunk.len() as u64;
        match spans.last_mut() {
            Some((f, start, n)) if std::ptr::eq(*f, file) && *start + *n == at => *n += len,
            _ => spans.push((file, at, len)),
        }
    }
    spans
}

/// How many chunks of a file are read ahead of the one being written.
const AHEAD: usize = 256;

/// Writes `chunks` to `out` through one buffer, each read straight into it (read ahead
/// [`AHEAD`] at a time); held text of 64 KiB or more is written from where it is.
fn write_through_buffer(
    spool: &Spool,
    chunks: &[Chunk],
    out: &mut fs::File,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut buf = Vec::with_capacity(1 << 17);
    // A file of one chunk (a twin) is read at once: nothing to read ahead of.
    let ahead = chunks.len() > 1;
    if ahead {
        read_ahead(spool, chunks.iter().take(AHEAD));
    }
    for (i, chunk) in chunks.iter().enumerate() {
        if ahead && i % AHEAD == 0 {
            read_ahead(spool, chunks.iter().skip(i + AHEAD).take(AHEAD));
        }
        if matches!(chunk, Chunk::Static(_) | Chunk::Held(_)) && chunk.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
            out.write_all(spool.get(chunk)?.as_bytes())?;
        } else {
            spool.read_into(chunk, &mut buf)?;
        }
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

/// Swaps the files at `a` and `b` at once (`renameat2`'s `RENAME_EXCHANGE`). Unlike a
/// rename over a file, it leaves the old one to put back, and ext4 does not first write out
/// the blocks of the file renamed in (which, for a file of 100 MB, took most of a commit).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The folders a relative path `rel` sits in, deepest first.
fn folders_of(rel: &Path) -> impl Iterator<Item = &Path> {
    rel.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
}

/// Removes the folders of `rel` under `root` that are empty, deepest first.
fn remove_empty_folders(root: &Path, rel: &Path) {
    for folder in folders_of(rel) {
        if fs::remove_dir(root.join(folder)).is_err() {
            break;
        }
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
        // Over the last output, which its stamp found as the last build wrote it, under the
        // output's lock: the file is there, and is not looked up again (a stat of each page
        // and twin was a share of a one-doc rebuild).
        if let Some(over) = &self.over {
            let staged = over.staged.lock().unwrap_or_else(|e| e.into_inner());
            return !staged.contains(rel);
        }
        self.reuse(rel, |_| true)
    }
    fn copy(&self, src: &Path, rel: &str) -> Result<()> {
        // A file kernel to kernel (`copy_file_range`), not read into memory, unless an old
        // output may hold it already.
        if self.reuse(rel, |old| fs::read(src).is_ok_and(|b| holds(old, &[&b]))) {
            return Ok(());
        }
        let mut from =
            fs::File::open(src).with_context(|| format!("cannot read {}", src.display()))?;
        self.create(rel, |f| std::io::copy(&mut from, f).map(drop))
    }
    fn write_chunks(&self, rel: &str, spool: &Spool, chunks: &[Chunk]) -> Result<()> {
        if self.reuse(rel, |old| holds_chunks(old, spool, chunks)) {
            return Ok(());
        }
        self.create(rel, |f| write_through_buffer(spool, chunks, f))
    }
    /// Over the last output only, whose file at `rel` stays as it is until the commit
    /// (renamed over, never written into), so a failed build leaves it whole; kernel to
    /// kernel (`copy_file_range`, through `std::io::copy`).
    fn write_spliced(
        &self,
        rel: &str,
        spool: &Spool,
        chunks: &[Chunk],
        splice: &Splice,
    ) -> Result<()> {
        let old = (self.over.as_ref()).and_then(|_| fs::File::open(self.target.join(rel)).ok());
        let fits = |f: &fs::File| {
            let end = splice.head.checked_add(splice.tail);
            f.metadata().is_ok_and(|m| m.len() == splice.old_len)
                && end.is_some_and(|end| end <= splice.old_len)
        };
        let (Some(old), Some(mid)) = (old.filter(fits), chunks.get(splice.mid.clone())) else {
            return self.write_chunks(rel, spool, chunks);
        };
        let copy = |f: &mut fs::File, at: u64, len: u64| {
            use std::io::{Read, Seek};
            let mut from = &old;
            from.seek(std::io::SeekFrom::Start(at))?;
            let copied = std::io::copy(&mut from.take(len), f)?;
            match copied == len {
                true => Ok(()),
                false => Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
            }
        };
        self.create(rel, |f| {
            copy(f, 0, splice.head)?;
            write_through_buffer(spool, mid, f)?;
            copy(f, splice.old_len - splice.tail, splice.tail)
        })
    }
}

mod spread;
#[cfg(test)]
mod tests;
