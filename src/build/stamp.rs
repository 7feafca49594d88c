//! The root of the reuse store: `endpaper build` when nothing changed, and which output
//! files still stand when something did. A build leaves a *stamp* in the cache folder: the
//! root key (a blake3 of the `stat` of each file the site walk sees and of the binary, the
//! options and `JEKYLL_ENV`), a blake3 of the output folder as it wrote it, the key of each
//! file it wrote and its report. When the next build with the same options finds both
//! hashes the same, it replays the report at the cost of a stat of each input and output
//! file; else it keeps each output file whose key is the one it would write.
//!
//! A build that put its changed files in place over the last output (the others left
//! untouched) hashes its output from the snapshot's listing of it: only the files it wrote
//! are statted again, not every file walked.
//!
//! A file written in the same timestamp tick as the snapshot, after it, keeps the stat the
//! snapshot saw; so a build that saw a file changed within [`RACY`] leaves no root key (as
//! git treats "racily clean" entries), and the next build is no replay.

use super::{BuildOptions, Outcome};
use crate::diagnostics::Diagnostic;
use crate::load::{self, Unused};
pub use crate::store::RACY;
use crate::store::{recent, stat_into, write_atomically, Fields, Key};
use bincode::Options;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bumped when what a stamp covers changes, so older stamps never match.
const FORMAT: &str = "endpaper-stamp-4";

/// The snapshot of one build's inputs, taken before it reads them, with the last build's
/// stamp.
pub struct Stamp {
    file: PathBuf,
    inputs: String,
    output: PathBuf,
    /// Some input changed within [`RACY`] of the snapshot (or could not be statted).
    racy: bool,
    quiet: bool,
    last: Option<Saved>,
    /// The output's hash, taken with the inputs'.
    outputs: Option<String>,
    /// The output as the snapshot saw it, for [`Stamp::save`] after a commit in place.
    listing: Option<Listing>,
    /// Each input's stat, by site-relative path ([`Stamp::take_stats`]).
    stats: crate::model::Stats,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    /// The root key; none when the build's snapshot was racy.
    inputs: Option<String>,
    outputs: String,
    /// The blake3 of the report, kept beside the stamp: only a replay reads it.
    report: String,
}

/// What `endpaper build` prints, kept to be printed again (borrowed from the outcome when
/// saved: its warnings may be tens of thousands). Kept as bincode, not JSON: a site's
/// broken links make it thousands of findings, all written out again by every build to
/// hash them, and only a replay ever reads them back.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Report<'a> {
    docs: usize,
    sections: usize,
    pages: usize,
    audience: String,
    output: PathBuf,
    diagnostics: Cow<'a, [Diagnostic]>,
    unused: Vec<(String, String, String)>,
    structure: Vec<String>,
}

fn hex(key: Key) -> String {
    blake3::Hash::from(key).to_hex().to_string()
}

/// Each file of an output folder (not its folders), by its output-relative path's bytes,
/// with the key of its path and stat ([`file_key`]). Any fixed order hashes the same
/// folder the same; the bytes' order is a `memcmp`, where a `Path`'s compared it a
/// component at a time (a listing and its lookups were a tenth of a one-doc rebuild).
type Listing = BTreeMap<Box<[u8]>, Key>;

/// The key of an output file: its path and its stat (written by a build, so always
/// recent: only the stat itself matters here).
fn file_key(rel: &[u8], meta: &std::fs::Metadata) -> Key {
    let mut h = Fields::of([rel]);
    stat_into(&mut h, meta);
    h.key()
}

/// The files under `dir`; `None` if any cannot be read.
fn listing(dir: &Path) -> Option<Listing> {
    let mut files = Listing::new();
    list_into(dir, &mut Vec::new(), &mut files)?;
    Some(files)
}

/// Lists the folder `dir`, at `rel` under the listing's root, into `files`. Each entry is
/// statted from its folder's open handle (`DirEntry::metadata`, not following a link, as
/// a walk lists a link itself), not by its whole path: a path looked up again from the
/// root a component at a time was half of each stat.
fn list_into(dir: &Path, rel: &mut Vec<u8>, files: &mut Listing) -> Option<()> {
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let len = rel.len();
        if len > 0 {
            rel.push(b'/');
        }
        rel.extend_from_slice(entry.file_name().as_encoded_bytes());
        if entry.file_type().ok()?.is_dir() {
            list_into(&entry.path(), rel, files)?;
        } else {
            files.insert(
                rel.as_slice().into(),
                file_key(rel, &entry.metadata().ok()?),
            );
        }
        rel.truncate(len);
    }
    Some(())
}

/// Hands `input` each file of the folder `dir` (at `rel`, `depth` under the site) a build
/// may read, with its stat (`None`: unreadable), as [`load::walk`] walks them: entries in
/// name order, a folder's files where it sorts, the folders and files [`load::skipped`]
/// names and the output folder `out` (canonical) left out. Each is statted from its
/// folder's handle, through a link (as `load` reads it) only for a link. `None` when a
/// folder or entry could not be read (the rest is walked all the same).
fn walk_inputs(
    dir: &Path,
    (rel, depth): (&mut Vec<u8>, usize),
    out: Option<&Path>,
    input: &mut dyn FnMut(&[u8], Option<std::fs::Metadata>),
) -> Option<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return None;
    };
    let mut whole = Some(());
    let mut entries: Vec<std::fs::DirEntry> = (entries
        .filter_map(|e| e.map_err(|_| whole = None).ok()))
    .filter(|e| !load::skipped(&e.file_name().to_string_lossy(), depth))
    .collect();
    entries.sort_unstable_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            whole = None;
            continue;
        };
        let len = rel.len();
        if len > 0 {
            rel.push(b'/');
        }
        rel.extend_from_slice(entry.file_name().as_encoded_bytes());
        if kind.is_dir() {
            let path = entry.path();
            if out.is_none() || path.canonicalize().ok().as_deref() != out {
                whole = whole.and(walk_inputs(&path, (rel, depth + 1), out, input));
            }
        } else if kind.is_symlink() {
            input(rel, std::fs::metadata(entry.path()).ok());
        } else {
            input(rel, entry.metadata().ok());
        }
        rel.truncate(len);
    }
    whole
}

/// The output's hash: its files' keys, in path order.
fn output_hash(files: &Listing) -> String {
    hex(Fields::of(files.values().map(|k| k.as_slice())).key())
}

/// The output as `outcome`'s commit left it, from `taken`, the snapshot's listing, when the
/// commit put the files this build wrote in place over it and took out those it did not
/// write or keep: the files it kept, untouched, have the stat the snapshot saw; only the
/// others (and the marker) are statted.
fn listing_after(taken: &Listing, outcome: &Outcome) -> Option<Listing> {
    let dir = outcome.output.as_deref()?;
    let files = outcome.files.iter().map(String::as_str);
    let mut now = Listing::new();
    for rel in files.chain([crate::write::MARKER]) {
        let kept = outcome.kept.contains(rel);
        let key = match taken.get(rel.as_bytes()).filter(|_| kept) {
            Some(key) => *key,
            None => file_key(
                rel.as_bytes(),
                &std::fs::symlink_metadata(dir.join(rel)).ok()?,
            ),
        };
        now.insert(rel.as_bytes().into(), key);
    }
    Some(now)
}

impl Stamp {
    /// Stats everything a build of `opts` depends on. `None` without a cache folder (the
    /// stamp lives there) or when the running binary cannot be found.
    pub fn take(opts: &BuildOptions) -> Option<Stamp> {
        let dir = opts.cache.as_ref()?;
        let exe = std::env::current_exe().ok()?;
        let site = opts.site.canonicalize().ok()?;
        let output = std::path::absolute(opts.output_dir()).ok()?;
        let theme = format!("{:?}", opts.theme);

        // The stamp's name says which build it is for: one per output, audience and theme.
        let key = Fields::of([
            output.as_os_str().as_encoded_bytes(),
            opts.audience.as_bytes(),
            theme.as_bytes(),
        ])
        .key();
        let file = dir.join(format!("stamp-{}.json", &hex(key)[..16]));

        let jekyll_env = std::env::var_os("JEKYLL_ENV");
        // The build's time, when it is not the clock's (`model::site_time`).
        let epoch = std::env::var_os(crate::model::SOURCE_DATE_EPOCH);
        fn unset(v: &Option<std::ffi::OsString>) -> &[u8] {
            v.as_ref()
                .map_or(b"\0unset".as_slice(), |v| v.as_encoded_bytes())
        }
        let mut h = Fields::of([
            FORMAT.as_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
            &key,
            exe.as_os_str().as_encoded_bytes(),
            site.as_os_str().as_encoded_bytes(),
            unset(&jekyll_env),
            unset(&epoch),
        ]);
        // A change this recent may hide from a stat (see [`RACY`]); unknown times count too.
        let mut racy = recent(stat_into(&mut h, &std::fs::metadata(&exe).ok()?));
        let mut stats = crate::model::Stats::new();
        // The output walked on a thread of its own meanwhile.
        let outputs = std::thread::scope(|s| {
            let outputs = s.spawn(|| listing(&output));
            let out = output.canonicalize().ok();
            let mut input = |rel: &[u8], meta: Option<std::fs::Metadata>| {
                h.put(rel);
                match meta {
                    Some(meta) => {
                        racy |= recent(stat_into(&mut h, &meta));
                        if let Ok(rel) = std::str::from_utf8(rel) {
                            stats.insert(rel.to_string(), meta);
                        }
                    }
                    None => h.put(b"\0unreadable"),
                }
            };
            let whole = walk_inputs(&site, (&mut Vec::new(), 1), out.as_deref(), &mut input);
            racy |= whole.is_none();
            outputs.join().ok().flatten()
        });
        let outputs_hash = outputs.as_ref().map(output_hash);
        Some(Stamp {
            last: std::fs::read(&file)
                .ok()
                .and_then(|l| serde_json::from_slice(&l).ok()),
            file,
            inputs: hex(h.key()),
            output,
            racy,
            quiet: opts.quiet,
            outputs: outputs_hash,
            listing: outputs,
            stats,
        })
    }

    /// The last build's outcome (when [`BuildOptions::quiet`], not its report), when its inputs and its
    /// output are exactly as they were; else, with the output as it wrote it, the key of
    /// each file it wrote (for [`Stamp::files`]).
    pub fn replay(&mut self, started: Instant) -> Option<Outcome> {
        let last = self.last.as_ref()?;
        let same = Some(&last.outputs) == self.outputs.as_ref();
        if !same || last.inputs.as_ref() != Some(&self.inputs) {
            return None;
        }
        // Read only to be printed, and then only as this stamp saved it.
        let r: Report = if self.quiet {
            Report {
                output: self.output.clone(),
                ..Report::default()
            }
        } else {
            let report = std::fs::read(self.file.with_extension("report")).ok()?;
            if blake3::hash(&report).to_hex().as_str() != last.report {
                return None;
            }
            report_of(&report)?
        };
        // An unused part's texts are static in a build: these few are leaked, once a process.
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        Some(Outcome {
            docs: r.docs,
            sections: r.sections,
            pages: r.pages,
            audience: r.audience,
            output: Some(r.output),
            diagnostics: r.diagnostics.into_owned(),
            unused: r
                .unused
                .into_iter()
                .map(|(rel, what, instead)| Unused {
                    rel,
                    what: leak(what),
                    instead: leak(instead),
                })
                .collect(),
            structure: r.structure,
            unchanged: true,
            elapsed: started.elapsed(),
            ..Outcome::default()
        })
    }

    /// Each input's stat as the snapshot took it, by site-relative path, handed to the
    /// model (which keys a doc's record by its stat) so no doc is statted twice. Taken
    /// before the build reads anything, as the snapshot's stats are.
    pub fn take_stats(&mut self) -> crate::model::Stats {
        std::mem::take(&mut self.stats)
    }

    /// The key of each file the last build wrote, after a [`Stamp::replay`] that found its
    /// output as it wrote it.
    pub fn files(&mut self) -> HashMap<String, blake3::Hash> {
        let last = self.last.as_ref();
        let Some(last) = last.filter(|l| Some(&l.outputs) == self.outputs.as_ref()) else {
            return HashMap::new();
        };
        // Beside the stamp (a replay never reads them): the output's hash, then a line a file.
        let text = std::fs::read_to_string(self.file.with_extension("files")).unwrap_or_default();
        let mut lines = text.lines();
        if lines.next() != Some(last.outputs.as_str()) {
            return HashMap::new();
        }
        lines
            .filter_map(|l| {
                let (key, path) = l.split_once(' ')?;
                Some((path.to_string(), blake3::Hash::from_hex(key).ok()?))
            })
            .collect()
    }

    /// Records `outcome`, the build of this snapshot, with its output as it is now and the
    /// key of each file it wrote. A racy snapshot records no root key, nor does a build that
    /// left a post out for its date. `in_place`: the
    /// build's commit put its files over the output the snapshot saw, the others untouched
    /// (`write::Leftovers::in_place`).
    pub fn save(self, outcome: &Outcome, files: &HashMap<String, blake3::Hash>, in_place: bool) {
        let strings = |u: &Unused| (u.rel.clone(), u.what.to_string(), u.instead.to_string());
        let report = Report {
            docs: outcome.docs,
            sections: outcome.sections,
            pages: outcome.pages,
            audience: outcome.audience.clone(),
            output: outcome.output.clone().unwrap_or_default(),
            diagnostics: Cow::Borrowed(&outcome.diagnostics),
            unused: outcome.unused.iter().map(strings).collect(),
            structure: outcome.structure.clone(),
        };
        // The output walked while the report is written out: each takes a core.
        let (outputs, report) = std::thread::scope(|s| {
            let outputs = s.spawn(|| {
                let taken = self.listing.as_ref().filter(|_| in_place);
                let now = match taken {
                    Some(taken) => listing_after(taken, outcome),
                    None => outcome.output.as_deref().and_then(listing),
                };
                now.as_ref().map(output_hash)
            });
            let report = bincode::DefaultOptions::new().serialize(&report);
            (outputs.join().ok().flatten(), report)
        });
        let Some(outputs) = outputs else {
            let _ = std::fs::remove_file(&self.file);
            return;
        };
        let mut lines = format!("{outputs}\n");
        for (path, key) in files {
            let _ = writeln!(lines, "{} {path}", key.to_hex());
        }
        let _ = write_atomically(&self.file.with_extension("files"), lines.as_bytes());
        // A stamp that cannot be written only costs the next build its shortcut.
        let Ok(report) = report else { return };
        let hash = blake3::hash(&report).to_hex().to_string();
        // The same report is not written again (a replay checks its hash in any case); one
        // of another size was changed since, and is.
        let file = self.file.with_extension("report");
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        if self.last.is_none_or(|l| l.report != hash) || size != report.len() as u64 {
            let _ = write_atomically(&file, &report);
        }
        // A post left out for its date is built once the clock passes it, and a page that
        // shows the clock's time shows another one each build, which no stat shows: such a
        // build leaves no root key, so the next one asks the clock again.
        let timed = outcome
            .diagnostics
            .iter()
            .any(|d| [crate::model::FUTURE_POST, crate::model::CLOCK].contains(&d.code));
        let saved = Saved {
            inputs: (!self.racy && !timed).then_some(self.inputs),
            outputs,
            report: hash,
        };
        if let Ok(bytes) = serde_json::to_vec(&saved) {
            let _ = write_atomically(&self.file, &bytes);
        }
    }
}

/// The report a stamp saved ([`Stamp::save`]), each length bounded by the bytes read.
fn report_of(bytes: &[u8]) -> Option<Report<'static>> {
    let options = bincode::DefaultOptions::new().with_limit(bytes.len() as u64);
    options.deserialize(bytes).ok()
}

#[cfg(test)]
mod tests;
