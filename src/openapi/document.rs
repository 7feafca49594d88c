//! The document: each endpoint's operation written as the compact JSON it is in
//! `openapi.json` (in the doc's parallel finish), and the operations of a site assembled
//! into the OpenAPI 3.1 document of one audience by copying that text: no operation's tree
//! is cloned or serialized again, and a build holds text rather than trees.

use super::export::{Endpoint, Stats, GAP};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::spool::{Chunk, Spool};
use crate::write::{Sink, Splice};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One endpoint as it goes into the document: its operation, tagged with its section,
/// already written as the compact JSON it is in `openapi.json`. Each doc's finish writes
/// its own, in parallel; assembling the document then copies text instead of cloning and
/// serializing every operation's tree, and a build holds this text rather than the
/// (several times larger) tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub path: String,
    pub method: String,
    /// Shared with the export, which writes it out rather than copying it (spooled in a
    /// one-off build).
    json: Chunk,
    /// A hash of `json`: what the document's layout knows it by ([`Export::layout`]).
    hash: Sig,
    /// The doc's title line, where notes about the operation point.
    line: usize,
    /// Where its request and response schemas are in `json`.
    schemas: Vec<Slot>,
    pub note: Option<Diagnostic>,
    pub stats: Stats,
}

/// A request or response schema in an operation's text: its byte range, a hash of that
/// text, and the name it takes in `components` when it is the first of several equal ones.
/// A schema equal in several operations is written once, under `components/schemas`, and
/// each operation points at it (`$ref`): in a site of many endpoints returning one
/// resource, its schema was most of what the export repeated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Slot {
    start: usize,
    end: usize,
    /// Bytes, not hex: a slot of each operation is held to the end of a build.
    hash: Sig,
    name: String,
}

/// An operation as plain data, before its text goes to a spool: what the reuse store
/// keeps of an endpoint doc, so a doc recomposed unchanged is not read for its operation
/// again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    path: String,
    method: String,
    /// Left out of the serialized form: the cache keeps this text beside it as it is.
    #[serde(skip)]
    pub json: String,
    hash: Sig,
    line: usize,
    schemas: Vec<Slot>,
    /// The note's message (its code is always [`GAP`], its place the title line).
    note: Option<String>,
    stats: Stats,
}

impl Endpoint {
    /// The operation with its section's tag, written as it appears in the document, not
    /// yet spooled.
    pub fn written(self, tag: &str) -> Written {
        let Endpoint {
            path,
            method,
            mut operation,
            note,
            stats,
        } = self;
        let line = operation
            .get("x-endpaper-source")
            .and_then(Value::as_str)
            .and_then(|s| s.rsplit(':').next()?.parse().ok())
            .unwrap_or(1);
        operation.insert("tags".into(), json!([tag]));
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut json = Vec::with_capacity(4096);
        let mut schemas = Vec::new();
        write_operation(&operation, &id, &mut json, &mut schemas);
        // serde_json writes UTF-8.
        let json = String::from_utf8(json).unwrap_or_default();
        Written {
            path,
            method,
            hash: sig(&[json.as_bytes()]),
            json,
            line,
            schemas,
            note: note.map(|n| n.message.to_string()),
            stats,
        }
    }
}

/// `operation` as `serde_json::to_string` writes it (keys in order, no whitespace), noting
/// where each media type's `schema` is (`requestBody` and each response: `content`, a
/// media type, `schema`); `id` names them.
fn write_operation(
    operation: &Map<String, Value>,
    id: &str,
    out: &mut Vec<u8>,
    slots: &mut Vec<Slot>,
) {
    write_object(operation, out, &mut |key, value, out| match (key, value) {
        ("requestBody", Value::Object(body)) => {
            write_media(body, &format!("{id}.request"), out, slots);
        }
        ("responses", Value::Object(responses)) => {
            write_object(
                responses,
                out,
                &mut |status, response, out| match response {
                    Value::Object(r) => write_media(r, &format!("{id}.{status}"), out, slots),
                    other => push_json(out, other),
                },
            );
        }
        _ => push_json(out, value),
    });
}

/// `object`'s members as serde_json writes them, each value written by `value`.
fn write_object(
    object: &Map<String, Value>,
    out: &mut Vec<u8>,
    value: &mut dyn FnMut(&str, &Value, &mut Vec<u8>),
) {
    out.push(b'{');
    for (i, (k, v)) in object.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json(out, k);
        out.push(b':');
        value(k, v, out);
    }
    out.push(b'}');
}

/// A request body or response object, its `content`'s schemas noted as slots named `name`
/// (and the media type, when there are several).
fn write_media(object: &Map<String, Value>, name: &str, out: &mut Vec<u8>, slots: &mut Vec<Slot>) {
    write_object(object, out, &mut |key, value, out| match value {
        Value::Object(content) if key == "content" => {
            let several = content.len() > 1;
            write_object(content, out, &mut |media_type, media, out| {
                let Value::Object(media) = media else {
                    return push_json(out, media);
                };
                write_object(media, out, &mut |field, v, out| {
                    let start = out.len();
                    push_json(out, v);
                    if field == "schema" && v.is_object() {
                        let name = if several {
                            format!("{name}.{media_type}")
                        } else {
                            name.to_string()
                        };
                        slots.push(Slot {
                            start,
                            end: out.len(),
                            hash: sig(&[&out[start..]]),
                            name: component_name(&name),
                        });
                    }
                });
            });
        }
        _ => push_json(out, value),
    });
}

/// Appends `value`'s compact JSON to `out` (writing into a `Vec` cannot fail).
fn push_json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    serde_json::to_writer(out, value).unwrap_or_default();
}

/// A name `components` takes (OpenAPI allows `A-Z a-z 0-9 . _ -`): every other character
/// becomes `_`.
fn component_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A hash of a chunk of the document's text ([`Export::layout`]): chunks of equal hashes
/// hold the same text.
type Sig = [u8; 16];

/// Bytes of a layout entry: a chunk's [`Sig`], then its length (`u64`, little-endian).
const ENTRY: usize = 24;

fn sig(parts: &[&[u8]]) -> Sig {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(p);
    }
    let mut sig = [0; 16];
    sig.copy_from_slice(&h.finalize().as_bytes()[..16]);
    sig
}

/// The part `range` of `chunk`'s text.
fn slice(chunk: &Chunk, range: std::ops::Range<usize>) -> Chunk {
    let len = range.len();
    match chunk {
        Chunk::Static(s) => Chunk::Static(&s[range]),
        Chunk::Held(s) => Chunk::Held(s[range].into()),
        Chunk::Spooled { at, .. } => Chunk::Spooled {
            at: at + range.start as u64,
            len,
        },
        Chunk::Blob { file, at, .. } => Chunk::Blob {
            file: file.clone(),
            at: at + range.start as u64,
            len,
        },
    }
}

impl Operation {
    /// The operation's compact JSON, as `openapi.json` holds it (read from `spool`).
    pub fn json_text(&self, spool: &Spool) -> std::io::Result<String> {
        spool.get(&self.json).map(|t| t.into_owned())
    }

    /// The part `range` of its text, known by a hash of the whole text and the range.
    fn part(&self, range: std::ops::Range<usize>) -> (Chunk, Sig) {
        if range == (0..self.json.len()) {
            return (self.json.clone(), self.hash);
        }
        let ends = [range.start, range.end].map(|n| (n as u64).to_le_bytes());
        let sig = sig(&[&self.hash, &ends[0], &ends[1]]);
        (slice(&self.json, range), sig)
    }
}

impl Written {
    /// The operation of the doc at `file`, its text put in `spool`.
    pub fn into_operation(mut self, file: &Path, spool: &Spool) -> Operation {
        let json = spool.put(std::mem::take(&mut self.json));
        self.with_json(file, json)
    }

    /// The operation, its text `json` (kept where the reuse store keeps it).
    pub fn with_json(self, file: &Path, json: Chunk) -> Operation {
        let Written {
            path,
            method,
            json: _,
            hash,
            line,
            schemas,
            note,
            stats,
        } = self;
        Operation {
            path,
            method,
            json,
            hash,
            line,
            schemas,
            note: note.map(|m| Diagnostic::note(GAP, file, Pos::new(line, 1), m)),
            stats,
        }
    }
}

/// The whole export of one audience.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// The document's text in order: its own chunks and each operation's text, shared
    /// with the doc it came from (a site's document is mostly its operations).
    chunks: Vec<Chunk>,
    /// Each chunk's hash, for [`Export::layout`].
    sigs: Vec<Sig>,
    /// The key of `openapi.json` as [`Export::write`] wrote or kept it.
    pub key: Option<blake3::Hash>,
    /// Where the operations' text is.
    spool: Spool,
    pub notes: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Export {
    /// What the file is made of: each chunk's hash and length, in order. Its blake3 is the
    /// file's key (equal layouts, equal files); kept beside the reuse store, the next build
    /// knows which runs of the file it would write the same ([`Export::splice`]).
    pub fn layout(&self) -> Vec<u8> {
        let entries = self.sigs.iter().zip(&self.chunks);
        let entry = |(s, c): (&Sig, &Chunk)| [&s[..], &(c.len() as u64).to_le_bytes()].concat();
        entries.flat_map(entry).collect()
    }

    /// How to make the file from the last build's, whose [`Export::layout`] was `last`: the
    /// chunks at its start and at its end that the last file holds too are copied from it,
    /// only those between them written. `None` when `last` is no layout.
    pub fn splice(&self, last: &[u8]) -> Option<Splice> {
        if !last.len().is_multiple_of(ENTRY) {
            return None;
        }
        let old: Vec<(&[u8], u64)> = last
            .chunks_exact(ENTRY)
            .map(|e| {
                (
                    &e[..16],
                    u64::from_le_bytes(e[16..].try_into().unwrap_or_default()),
                )
            })
            .collect();
        let new: Vec<(&[u8], u64)> = (self.sigs.iter().zip(&self.chunks))
            .map(|(s, c)| (&s[..], c.len() as u64))
            .collect();
        let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let rest = old.len().min(new.len()) - head;
        let pairs = old.iter().rev().zip(new.iter().rev()).take(rest);
        let tail = pairs.take_while(|(a, b)| a == b).count();
        let bytes = |entries: &[(&[u8], u64)]| entries.iter().map(|e| e.1).sum::<u64>();
        Some(Splice {
            head: bytes(&old[..head]),
            tail: bytes(&old[old.len() - tail..]),
            old_len: bytes(&old),
            mid: head..new.len() - tail,
        })
    }

    /// Writes `openapi.json` unless the last build wrote the same there (its key `last` is
    /// this one's: the blake3 of [`Export::layout`]), else spliced from the last build's
    /// file when its layout is in the `cache` folder: a one-doc edit writes that doc's
    /// operation, not the whole document. Sets [`Export::key`] (not without a cache folder:
    /// such a build remembers nothing for the next).
    pub fn write(
        &mut self,
        sink: &dyn Sink,
        cache: Option<&Path>,
        last: Option<&blake3::Hash>,
    ) -> anyhow::Result<()> {
        let (file, chunks) = (super::FILE, &self.chunks[..]);
        let Some(cache) = cache.filter(|_| !sink.discards()) else {
            return sink.write_chunks(file, &self.spool, chunks);
        };
        let layout = self.layout();
        let key = blake3::hash(&layout);
        self.key = Some(key);
        if last == Some(&key) && sink.keep(file) {
            return Ok(());
        }
        let path = |k: &blake3::Hash| cache.join(format!("openapi-{}.layout", k.to_hex()));
        let last_layout = last.and_then(|k| std::fs::read(path(k)).ok());
        // Trusted only as the layout of the file the last build wrote there.
        let last_layout = last_layout.filter(|l| last == Some(&blake3::hash(l)));
        match last_layout.and_then(|l| self.splice(&l)) {
            Some(splice) => sink.write_spliced(file, &self.spool, chunks, &splice)?,
            None => sink.write_chunks(file, &self.spool, chunks)?,
        }
        // Without it the next build writes the whole file: nothing is lost.
        if crate::store::write_atomically(&path(&key), &layout).is_ok() {
            if let Some(old) = last.filter(|k| **k != key) {
                let _ = std::fs::remove_file(path(old));
            }
        }
        Ok(())
    }

    /// The document as `openapi.json` holds it (compact JSON, no final newline).
    pub fn json(&self) -> std::io::Result<String> {
        self.spool.concat(&self.chunks)
    }

    /// The document as a JSON value.
    pub fn document(&self) -> Value {
        self.json()
            .ok()
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or(Value::Null)
    }
}

/// Path templates that differ only in parameter names are the same path to OpenAPI.
pub(crate) fn path_shape(path: &str) -> String {
    // Whole characters are left out (a parameter's, between ASCII braces): still UTF-8.
    String::from_utf8_lossy(&Shape(path).bytes().collect::<Vec<u8>>()).into_owned()
}

/// A path template hashed and compared as its [`path_shape`] is, without making it.
#[derive(Debug, Clone, Copy)]
struct Shape<'a>(&'a str);

impl<'a> Shape<'a> {
    /// The UTF-8 of [`path_shape`], read a byte at a time: `{` and `}` are ASCII, never a
    /// byte of another character, so the bytes make the same shape the characters do.
    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        let mut in_param = false;
        self.0.bytes().flat_map(move |b| {
            let (first, len) = match b {
                b'{' => {
                    in_param = true;
                    (b'{', 2)
                }
                b'}' => {
                    in_param = false;
                    (b'}', 0)
                }
                _ => (b, usize::from(!in_param)),
            };
            std::iter::once(first)
                .chain(std::iter::once(b'}'))
                .take(len)
        })
    }
}

impl std::hash::Hash for Shape<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Folded here (FNV-1a) and handed to the map's hasher as one word, not a byte at a
        // time: every operation's path is hashed on each build.
        let fold = self.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        state.write_u64(fold);
    }
}

impl PartialEq for Shape<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for Shape<'_> {}

/// The first doc of each OpenAPI operation (path shape and method), by the docs' own
/// strings: an export of 100,000 operations held four strings of its own for each. Only
/// looked up, never walked: hashed, where a tree compared each path's shape with a dozen
/// others' a character at a time.
#[derive(Default)]
struct FirstDocs<'a>(HashMap<(Shape<'a>, &'a str), &'a str>);

impl<'a> FirstDocs<'a> {
    /// `None` when the doc `rel` is the first of its operation (from now on held as it),
    /// else the first doc's source and path.
    fn first(
        &mut self,
        rel: &'a str,
        path: &'a str,
        method: &'a str,
    ) -> Option<(&'a str, &'a str)> {
        let key = (Shape(path), method);
        if let Some(((Shape(first_path), _), first)) = self.0.get_key_value(&key) {
            return Some((first, first_path));
        }
        self.0.insert(key, rel);
        None
    }
}

/// The OpenAPI 3.1 document of one audience: `sections` are (section title, its docs'
/// operations in order). A second doc with the same method and path is left out, noted.
pub fn document<'a>(
    config: &Config,
    audience: &str,
    sections: impl IntoIterator<Item = (&'a str, Vec<(&'a str, &'a Operation)>)>,
    spool: &Spool,
) -> Export {
    let mut notes = Vec::new();
    let mut stats = Stats::default();
    let mut info = Map::new();
    info.insert(
        "title".into(),
        Value::String(if config.title.trim().is_empty() {
            "API Reference".into()
        } else {
            config.title.trim().into()
        }),
    );
    if !config.description.trim().is_empty() {
        info.insert(
            "description".into(),
            Value::String(config.description.trim().into()),
        );
    }
    let version = config.options.api_version.trim();
    info.insert(
        "version".into(),
        Value::String(if version.is_empty() {
            "unversioned".into()
        } else {
            version.into()
        }),
    );
    let config_note =
        |what: &str| Diagnostic::note(GAP, "_config.yml", Pos::new(1, 1), what.to_string());
    if version.is_empty() {
        notes.push(config_note("OpenAPI export: no API version (set `endpaper: api_version:`); written as `unversioned`"));
    }
    let mut doc = Map::new();
    doc.insert("openapi".into(), Value::String("3.1.0".into()));
    doc.insert("info".into(), Value::Object(info));
    if config.options.environments.is_empty() {
        notes.push(config_note(
            "OpenAPI export: no servers (set `endpaper: environments:` to a list of `{name, url}`)",
        ));
    } else {
        let servers = config
            .options
            .environments
            .iter()
            .map(|e| {
                let mut server = json!({ "url": e.url, "description": e.name });
                if !e.variables.is_empty() {
                    let vars: Map<String, Value> = e
                        .variables
                        .iter()
                        .map(|v| {
                            let mut var = json!({ "default": v.default });
                            if !v.values.is_empty() {
                                var["enum"] = json!(v.values);
                            }
                            if !v.description.is_empty() {
                                var["description"] = json!(v.description);
                            }
                            (v.name.clone(), var)
                        })
                        .collect();
                    server["variables"] = Value::Object(vars);
                }
                server
            })
            .collect();
        doc.insert("servers".into(), Value::Array(servers));
    }
    if !config.options.security.is_empty() {
        let schemes = &config.options.security;
        doc.insert(
            "components".into(),
            json!({ "securitySchemes": Value::Object(schemes.clone()) }),
        );
        // Any one of them: a list of requirements is alternatives.
        let security = schemes.keys().map(|name| json!({ name: [] })).collect();
        doc.insert("security".into(), Value::Array(security));
    }
    let mut tags = Vec::new();
    let mut paths: Paths = Vec::new();
    let mut firsts = FirstDocs::default();
    for (title, endpoints) in sections {
        if endpoints.is_empty() {
            continue;
        }
        let mut tag = Map::new();
        tag.insert("name".into(), Value::String(title.into()));
        if let Some(d) = collection_description(config, title) {
            tag.insert("description".into(), Value::String(d.into()));
        }
        tags.push(Value::Object(tag));
        for (rel, e) in endpoints {
            if let Some((first, first_path)) = firsts.first(rel, &e.path, &e.method) {
                notes.push(Diagnostic::note(
                    GAP,
                    rel,
                    Pos::new(e.line, 1),
                    format!(
                        "OpenAPI export: {} {} is already the operation of {first} ({first_path}); this doc is left out of openapi.json",
                        e.method.to_uppercase(),
                        e.path
                    ),
                ));
                continue;
            }
            stats.add(&e.stats);
            notes.extend(e.note.clone());
            paths.push((&e.path, &e.method, e));
        }
    }
    // No two are of one path and method: `firsts` left out the second of each.
    paths.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    doc.insert("tags".into(), Value::Array(tags));
    doc.insert("x-endpaper-audience".into(), Value::String(audience.into()));
    // Its docs' strings are not read again: freed before the document's chunks are made,
    // the step's largest allocation.
    drop(firsts);
    let Parts { chunks, sigs } = with_paths(&doc, &paths, &shared(&paths));
    Export {
        chunks,
        sigs,
        key: None,
        spool: spool.clone(),
        notes,
        stats,
    }
}

/// Each operation with its path and method, in the document's order (by path, then method):
/// one list, where a map of each path's methods held a tree node (hundreds of bytes) for
/// each path of a site whose paths have one method each.
type Paths<'a> = Vec<(&'a str, &'a str, &'a Operation)>;

/// The `description:` of the collection titled `title` in `_config.yml`: its tag's.
fn collection_description<'c>(config: &'c Config, title: &str) -> Option<&'c str> {
    config
        .raw
        .get("collections")?
        .as_object()?
        .iter()
        .find(|(label, c)| c.get("title").and_then(Value::as_str).unwrap_or(label) == title)?
        .1
        .get("description")?
        .as_str()
        .map(str::trim)
        .filter(|d| !d.is_empty())
}

/// The schemas written in `components`, under their names, and the name each hash has
/// there: those equal in several operations (taken in the order of `paths`, each named after
/// the first that has it).
struct Shared<'a> {
    components: BTreeMap<String, (Chunk, Sig)>,
    names: HashMap<&'a Sig, String>,
}

fn shared<'a>(paths: &Paths<'a>) -> Shared<'a> {
    let ops = || paths.iter().map(|(.., op)| *op);
    let mut uses: HashMap<&Sig, usize> = HashMap::new();
    for slot in ops().flat_map(|op| &op.schemas) {
        *uses.entry(&slot.hash).or_default() += 1;
    }
    let mut shared = Shared {
        components: BTreeMap::new(),
        names: HashMap::new(),
    };
    for op in ops() {
        for slot in &op.schemas {
            if uses[&slot.hash] < 2 || shared.names.contains_key(&slot.hash) {
                continue;
            }
            let mut name = slot.name.clone();
            let mut n = 2;
            while shared.components.contains_key(&name) {
                name = format!("{}-{n}", slot.name);
                n += 1;
            }
            // Known by the schema's own hash: it stays where it is while the operation that
            // lends it its text changes elsewhere.
            let text = slice(&op.json, slot.start..slot.end);
            let text = (text, sig(&[b"schema ", &slot.hash]));
            shared.components.insert(name.clone(), text);
            shared.names.insert(&slot.hash, name);
        }
    }
    shared
}

/// The document's compact JSON, in chunks: its frame (`doc`, every key but `paths`) with
/// `paths` put in key order, each path's operations' text copied in (a schema `shared` names
/// replaced by a `$ref` to it, and written once in `components/schemas`), exactly as
/// `serde_json::to_string` writes the whole tree (keys in order, no whitespace). The frame
/// is written as the members before `paths` and those after it, so no marker is searched
/// for in text a site wrote.
fn with_paths(doc: &Map<String, Value>, paths: &Paths, shared: &Shared) -> Parts {
    let members = |keep: &dyn Fn(&str) -> bool| {
        let part: Map<String, Value> = doc
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let text = serde_json::to_string(&part).unwrap_or_default();
        // `{…}` without its braces: the members, comma-separated.
        text[1..text.len() - 1].to_string()
    };
    // As many as are pushed: grown by doubling, the list of a large site's chunks was at
    // its peak a copy of itself and half as much again.
    let ops = paths.iter().map(|(.., op)| *op);
    let refs = |op: &Operation| {
        let shared = op
            .schemas
            .iter()
            .filter(|s| shared.names.contains_key(&s.hash));
        2 + 2 * shared.count()
    };
    let n = 1 + 2 * shared.components.len() + ops.map(refs).sum::<usize>();
    let mut chunks = Parts {
        chunks: Vec::with_capacity(n),
        sigs: Vec::with_capacity(n),
    };
    // The text written since the last chunk taken from elsewhere.
    let mut own = String::from("{");
    let before = if shared.components.is_empty() {
        members(&|k| k < "paths")
    } else {
        // `components`, the first key, with `schemas` among its own in key order.
        let others = doc.get("components").and_then(Value::as_object);
        let member = |own: &mut String, key: &str, value: &Value| {
            if !own.ends_with('{') {
                own.push(',');
            }
            own.push_str(&serde_json::to_string(key).unwrap_or_default());
            own.push(':');
            own.push_str(&serde_json::to_string(value).unwrap_or_default());
        };
        own.push_str("\"components\":{");
        for (k, v) in others
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() < "schemas")
        {
            member(&mut own, k, v);
        }
        if !own.ends_with('{') {
            own.push(',');
        }
        own.push_str("\"schemas\":{");
        for (i, (name, text)) in shared.components.iter().enumerate() {
            if i > 0 {
                own.push(',');
            }
            own.push_str(&serde_json::to_string(name).unwrap_or_default());
            own.push(':');
            chunks.own(std::mem::take(&mut own));
            chunks.push(text.clone());
        }
        own.push('}');
        for (k, v) in others
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() > "schemas")
        {
            member(&mut own, k, v);
        }
        own.push('}');
        let rest = members(&|k| k > "components" && k < "paths");
        if rest.is_empty() {
            rest
        } else {
            format!(",{rest}")
        }
    };
    own.push_str(&before);
    if !own.ends_with('{') {
        own.push(',');
    }
    // Each shared schema's `$ref`, one text for all its uses.
    let ref_to: HashMap<&Sig, (Chunk, Sig)> = (shared.names.iter())
        .map(|(hash, name)| {
            let to = json!({ "$ref": format!("#/components/schemas/{name}") });
            let to = serde_json::to_string(&to).unwrap_or_default();
            let sig = sig(&[to.as_bytes()]);
            (*hash, (to.into(), sig))
        })
        .collect();
    own.push_str("\"paths\":{");
    for (i, (path, method, op)) in paths.iter().enumerate() {
        // A path's methods are together: a new path closes the last one's object.
        match i.checked_sub(1).map(|last| paths[last].0) {
            Some(last) if last == *path => own.push(','),
            last => {
                if last.is_some() {
                    own.push_str("},");
                }
                own.push_str(&serde_json::to_string(path).unwrap_or_default());
                own.push_str(":{");
            }
        }
        own.push_str(&serde_json::to_string(method).unwrap_or_default());
        own.push(':');
        chunks.own(std::mem::take(&mut own));
        let mut at = 0;
        for slot in &op.schemas {
            if let Some(to) = ref_to.get(&slot.hash) {
                chunks.push(op.part(at..slot.start));
                chunks.push(to.clone());
                at = slot.end;
            }
        }
        chunks.push(op.part(at..op.json.len()));
    }
    if !paths.is_empty() {
        own.push('}');
    }
    own.push('}');
    let after = members(&|k| k > "paths");
    if !after.is_empty() {
        own.push(',');
        own.push_str(&after);
    }
    own.push('}');
    chunks.own(own);
    chunks
}

/// The document's chunks, each with its hash.
#[derive(Default)]
struct Parts {
    chunks: Vec<Chunk>,
    sigs: Vec<Sig>,
}

impl Parts {
    fn push(&mut self, (chunk, sig): (Chunk, Sig)) {
        self.chunks.push(chunk);
        self.sigs.push(sig);
    }

    /// Text of the document's own.
    fn own(&mut self, text: String) {
        let sig = sig(&[text.as_bytes()]);
        self.push((text.into(), sig));
    }
}

#[cfg(test)]
mod tests;
