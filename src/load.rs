//! Load: walk the site folder (walkdir), read every file a build needs as normalised text,
//! and sort the files by role — collection docs, `_includes`, static files, and the Jekyll
//! machinery endpaper replaces (reported, never silently dropped). No parsing beyond
//! `_config.yml` happens here. Collection docs are listed, not read: the model reads each
//! (in parallel, [`read_doc`]) and keeps only what it needs, so a site's docs are never all
//! in memory at once.

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Pos, SourceError};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Folders Jekyll gives a meaning that is not "collection".
const JEKYLL_DIRS: &[&str] = &[
    "_includes",
    "_layouts",
    "_sass",
    "_data",
    "_plugins",
    "_site",
    "_drafts",
    "_endpaper",
];

/// A file in a collection folder, still unparsed.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub collection: String,
    /// Site-relative, `/`-separated: `_files/upload.md`.
    pub rel: String,
    /// The file's text when it is already read (`serve` re-reading one doc); `None`: the
    /// model reads it ([`read_doc`]), in parallel, and a one-off build then holds only its
    /// front matter.
    pub text: Option<Arc<str>>,
}

/// Something of the Jekyll site that endpaper does not use, for the migration report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    pub rel: String,
    pub what: &'static str,
    pub instead: &'static str,
}

#[derive(Debug)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: Config,
    /// The build's time (`site.time`, an undated doc's `date`): taken once, as the site is
    /// loaded, so that every part of the build shows the same time (`config::zone::site_time`).
    pub time: liquid_core::model::DateTime,
    pub docs: Vec<RawDoc>,
    /// Path under `_includes/` → text.
    pub includes: BTreeMap<String, String>,
    /// Path under `_data/` → text, for `site.data`.
    pub data: BTreeMap<String, String>,
    /// Site-relative paths of files copied as they are.
    pub statics: Vec<String>,
    /// The other files of declared collection folders (neither markdown nor opening with
    /// front matter; `build` adds the markdown ones the model found without), as (label,
    /// site-relative path): Jekyll's `collection.files`, in `site.static_files`.
    pub collection_files: Vec<(String, String)>,
    /// `SITE/_endpaper/templates/*` and `SITE/_endpaper/assets/*` overrides, name → bytes.
    pub template_overrides: BTreeMap<String, String>,
    pub asset_overrides: BTreeMap<String, Vec<u8>>,
    /// `_layouts/` files by layout name (the file stem: `default`), with their path.
    pub layouts: BTreeMap<String, (String, String)>,
    /// `_sass/` files by path under it, for `theme: site`.
    pub sass: BTreeMap<String, String>,
    /// Pages: files with front matter outside the `_` folders (`index.html`,
    /// `internal.html`, `css/style.scss`), as (site-relative path, text). The site's
    /// structure is read off the root pages; `theme: site` renders them all.
    pub pages: Vec<(String, String)>,
    /// The declared collections' labels in the order `_config.yml` writes them (the parsed
    /// config keeps them by label), for Jekyll's order of `site.documents`.
    pub collection_order: Vec<String>,
    pub unused: Vec<Unused>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a file as text the way every stage expects it: UTF-8 (an error names the first
/// bad byte's line and column), no BOM, `\n` line endings, NUL replaced by U+FFFD (warned).
pub fn read_text(abs: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Result<String> {
    let bytes = std::fs::read(abs).with_context(|| format!("cannot read {}", abs.display()))?;
    Ok(decode(bytes, rel, diags)?)
}

pub fn decode(
    mut bytes: Vec<u8>,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, SourceError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            return Err(SourceError::new(
                rel,
                Pos::of_offset(prefix, good),
                "not valid UTF-8 text (is this a binary file with a text extension?); save it as UTF-8",
            ));
        }
    };
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if let Some(i) = text.find('\0') {
        diags.push(Diagnostic::warning(
            "nul-byte",
            rel,
            Pos::of_offset(&text, i),
            "NUL byte in text, shown as \u{FFFD}; is this file binary?",
        ));
        text = text.replace('\0', "\u{FFFD}");
    }
    Ok(text)
}

/// A collection file's text as the model reads it: like Jekyll, a file without a `---`
/// header is a static file, copied as it is (its bytes need not be text: a binary named
/// `.md`), and reads as empty.
pub fn read_doc(abs: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Result<String, SourceError> {
    let bytes = std::fs::read(abs)
        .map_err(|e| SourceError::new(rel, Pos::new(1, 1), format!("cannot read: {e}")))?;
    if !has_front_matter(&bytes) {
        return Ok(String::new());
    }
    decode(bytes, rel, diags)
}

/// Jekyll's `has_yaml_header?` (`\A---\s*\r?\n`): `---`, blanks, a line end (after a BOM).
fn has_front_matter(bytes: &[u8]) -> bool {
    yaml_header(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// `has_yaml_header?` on the bytes as they are: Jekyll reads a file's first line in binary,
/// so a root page that opens with a BOM, or is only `---`, is a static file.
fn yaml_header(b: &[u8]) -> bool {
    let Some(rest) = b.strip_prefix(b"---") else {
        return false;
    };
    let blanks = rest
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    let rest = &rest[blanks..];
    rest.first().is_some_and(|&c| c == b'\n' || c == b'\r')
}

/// Whether Jekyll's reader leaves out the file at `rel` outside the `_` folders it reads
/// itself (`EntryFilter#special?` and `#backup?`, asked of each name on the path): a name
/// opening with `_`, `.`, `#` or `~`, or ending with `~`, unless `include:` names it.
fn special(rel: &str, included: &[String]) -> bool {
    rel.split('/').any(|name| {
        (name.starts_with(['_', '.', '#', '~']) || name.ends_with('~'))
            && !included.iter().any(|i| i == name)
    })
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether [`walk`] leaves out an entry named `name` at `depth` (1: in the site's root)
/// without looking at it: Jekyll's output and dependency folders at the root, and every
/// dot-file or dot-folder but `.htaccess`, which Jekyll's default `include:` publishes.
pub fn skipped(name: &str, depth: usize) -> bool {
    depth == 1 && matches!(name, "_site" | "node_modules" | "vendor")
        || name.starts_with('.') && name != ".htaccess"
}

/// Every entry of the site a build may read, in file-name order: what [`skipped`] names and
/// the output folder `canon_out` (canonical) are left out. `load` reads from it; `stamp`
/// walks the same files by the same rules, in the same order, its own way (statting each
/// from its folder's handle).
pub fn walk(
    root: &Path,
    canon_out: Option<PathBuf>,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            if skipped(&e.file_name().to_string_lossy(), e.depth()) {
                return false;
            }
            if let Some(out) = &canon_out {
                if e.file_type().is_dir() && e.path().canonicalize().ok().as_ref() == Some(out) {
                    return false;
                }
            }
            true
        })
}

/// Fails unless `root` is a folder holding `_config.yml`; a build checks this before it
/// makes its output folder, which is in the site by default.
pub fn check_site_folder(root: &Path) -> Result<()> {
    if !root.is_dir() {
        bail!(
            "{} {} (give the site folder, the one holding _config.yml)",
            root.display(),
            if root.exists() {
                "is not a folder"
            } else {
                "does not exist"
            }
        );
    }
    if !root.join("_config.yml").is_file() {
        bail!(
            "{} has no _config.yml, so it is not a site folder (give the folder holding _config.yml, or start a site with `endpaper new DIR`)",
            root.display()
        );
    }
    Ok(())
}

/// Loads the site at `root`. `output` (if inside the site) is never read back as input.
pub fn load(root: &Path, output: Option<&Path>) -> Result<LoadedSite> {
    let mut diagnostics = Vec::new();
    check_site_folder(root)?;
    let config_path = root.join("_config.yml");
    let config_text = read_text(&config_path, "_config.yml", &mut diagnostics)?;
    let config = Config::parse(&config_text, Path::new("_config.yml"))?;
    // Before any date is read: the model's, the site's time, the filters'.
    diagnostics.extend(crate::config::zone::apply(&config.raw, &config_text));
    if let Some(line) = config.ignored_from_line {
        diagnostics.push(Diagnostic::warning(
            "config-second-document",
            "_config.yml",
            Pos::new(line, 1),
            "this `---` starts a second YAML document; like Jekyll, endpaper reads only the first, so nothing below it is used (remove the line to use it)",
        ));
    }
    let canon_root = root
        .canonicalize()
        .with_context(|| format!("cannot open site folder {}", root.display()))?;
    let canon_out = output.and_then(|o| o.canonicalize().ok());

    let declared: Option<Vec<&str>> = config
        .collections
        .as_ref()
        .map(|c| c.iter().map(|d| d.label.as_str()).collect());
    let excluded = |rel: &str| {
        config.exclude.iter().any(|e| {
            rel == e.trim_end_matches('/')
                || rel.starts_with(&format!("{}/", e.trim_end_matches('/')))
        })
    };

    // Jekyll's `include:` names entries its reader keeps though `special` would leave them;
    // its default, which a site's own list replaces, is `.htaccess`.
    let included: Vec<String> = match config.raw.get("include") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| crate::frontmatter::text(Some(v)))
            .collect(),
        None => vec![".htaccess".to_string()],
        _ => Vec::new(),
    };
    let mut site = LoadedSite {
        root: root.to_path_buf(),
        time: crate::config::zone::site_time(&config.raw),
        config: config.clone(),
        docs: Vec::new(),
        includes: BTreeMap::new(),
        data: BTreeMap::new(),
        statics: Vec::new(),
        collection_files: Vec::new(),
        template_overrides: BTreeMap::new(),
        asset_overrides: BTreeMap::new(),
        layouts: BTreeMap::new(),
        sass: BTreeMap::new(),
        pages: Vec::new(),
        collection_order: declared_order(&config, &config_text),
        unused: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut undeclared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let collections_dir = config
        .raw
        .get("collections_dir")
        .map(|d| {
            crate::frontmatter::text(Some(d))
                .trim_matches('/')
                .to_string()
        })
        .filter(|d| !d.is_empty());

    for entry in walk(root, canon_out) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(rel_string)
                    .unwrap_or_default();
                diagnostics.push(Diagnostic::warning(
                    "unreadable",
                    rel,
                    Pos::new(1, 1),
                    format!("skipped: {e}"),
                ));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = rel_string(rel_path);
        if excluded(&rel) {
            continue;
        }
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if ft.is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canon_root) && target.is_file() => {}
                Ok(target) if target.starts_with(&canon_root) => continue,
                _ => {
                    diagnostics.push(Diagnostic::warning(
                        "symlink-outside-site",
                        &rel,
                        Pos::new(1, 1),
                        "symbolic link to a file outside the site (or a broken link): skipped",
                    ));
                    continue;
                }
            }
        }
        let file_name = entry.file_name().to_string_lossy().to_string();
        // The one dot-file [`walk`] gives is published only where Jekyll's reader keeps it.
        if file_name == ".htaccess" && special(&rel, &included) {
            continue;
        }
        let top = rel.split('/').next().unwrap_or_default().to_string();
        let in_sub = rel.contains('/');
        // The collection folder a file is in: `_label/` at the root, or under
        // `collections_dir: api` (`api/_label/`, and only there, as in Jekyll).
        let collection_top = match collections_dir.as_deref() {
            None => Some(top.clone()).filter(|t| !JEKYLL_DIRS.contains(&t.as_str())),
            Some(dir) => rel
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .and_then(|r| r.split_once('/'))
                .map(|(t, _)| t.to_string()),
        }
        .filter(|t| t.starts_with('_') && t.len() > 1);
        if !in_sub && file_name == "_config.yml" {
            continue;
        }
        if top == "_includes" && in_sub {
            let text = read_text(entry.path(), &rel, &mut diagnostics)?;
            site.includes
                .insert(rel["_includes/".len()..].to_string(), text);
        } else if top == "_data" && in_sub && is_data_file(&file_name) {
            let text = read_text(entry.path(), &rel, &mut diagnostics)?;
            site.data.insert(rel["_data/".len()..].to_string(), text);
        } else if top == "_endpaper" && in_sub {
            let rest = &rel["_endpaper/".len()..];
            if let Some(name) = rest.strip_prefix("templates/") {
                let text = read_text(entry.path(), &rel, &mut diagnostics)?;
                site.template_overrides.insert(name.to_string(), text);
            } else if let Some(name) = rest.strip_prefix("assets/") {
                let bytes =
                    std::fs::read(entry.path()).with_context(|| format!("cannot read {rel}"))?;
                site.asset_overrides.insert(name.to_string(), bytes);
            }
        } else if let Some(ctop) = collection_top.filter(|_| in_sub) {
            let label = &ctop[1..];
            let skipped = file_name.starts_with(['_', '.', '#', '~']);
            // Jekyll makes a doc of any collection file that opens with `---`, whatever its
            // extension (`versioning`, `notes.txt`); other non-markdown files are skipped.
            let is_declared = declared.as_ref().is_none_or(|d| d.contains(&label));
            if skipped {
                continue;
            }
            if !(is_markdown(&file_name) || opens_with_front_matter(entry.path())) {
                // Jekyll's entry filter also skips what a folder inside the collection
                // hides (`_widgets/.git/x`, `_widgets/_old/x`).
                let inner = &rel[rel.find(&ctop).unwrap_or(0) + ctop.len() + 1..];
                if is_declared && !inner.starts_with(['_', '.', '#', '~']) {
                    site.collection_files.push((label.to_string(), rel));
                }
                continue;
            }
            // Jekyll reads its posts with no declaration: the files of `_posts/` named
            // `YYYY-MM-DD-title.ext` that open with front matter (`PostReader`).
            let post = label == "posts"
                && is_post_name(&file_name)
                && opens_with_front_matter(entry.path());
            if is_declared || post {
                site.docs.push(RawDoc {
                    collection: label.to_string(),
                    rel,
                    text: None,
                });
            } else if opens_with_front_matter(entry.path()) {
                undeclared.entry(label.to_string()).or_default().push(rel);
            }
        } else if top.starts_with('_') && in_sub {
            if top == "_layouts" {
                let text = read_text(entry.path(), &rel, &mut diagnostics)?;
                let name = rel["_layouts/".len()..].to_string();
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                site.layouts.insert(stem.to_string(), (rel.clone(), text));
            } else if top == "_sass" {
                let text = read_text(entry.path(), &rel, &mut diagnostics)?;
                site.sass.insert(rel["_sass/".len()..].to_string(), text);
            }
            let (what, instead) = match top.as_str() {
                "_layouts" => ("Jekyll layout", "read for the site's anchors and pages; its look is used only with `theme: site`"),
                "_sass" => ("Sass partial", "compiled only with `theme: site`; endpaper's theme has its own CSS (_endpaper/assets/endpaper.css)"),
                "_plugins" => ("Jekyll plugin", "plugins do not run; their output is not produced"),
                _ if collections_dir.is_some() && opens_with_front_matter(entry.path()) => (
                    "file in a folder outside `collections_dir:`",
                    "Jekyll reads collection folders only under `collections_dir:`, so it is no doc",
                ),
                _ => continue,
            };
            site.unused.push(Unused { rel, what, instead });
        } else if !special(&rel, &included) {
            classify_root_file(&mut site, entry.path(), rel, &file_name, &mut diagnostics)?;
        }
    }
    // A folder whose name is a typo of a declared collection's (`_apis/` for `api`).
    let declared_labels = declared.as_deref().unwrap_or_default();
    let near_declared = |label: &str| {
        diagnostics::closest(label, declared_labels.iter().copied(), |l| l)
            .map(|d| format!("; did you mean `_{d}/`, which is declared?"))
            .unwrap_or_default()
    };
    if site.docs.is_empty() {
        let hint = if undeclared.is_empty() {
            "a doc is a markdown file with front matter in a collection folder such as `_api/` (see `endpaper new DIR` for a complete site)".to_string()
        } else {
            let folders: Vec<String> = undeclared.keys().map(|l| format!("`_{l}/`")).collect();
            let typos: String = undeclared.keys().map(|l| near_declared(l)).collect();
            format!(
                "declare {} under `collections:` in _config.yml to build the docs there{typos}",
                folders.join(", ")
            )
        };
        bail!("{} has no docs to build: {hint}", root.display());
    }
    // A declared collection without docs whose name a folder nearly has.
    for label in declared_labels {
        if site.docs.iter().any(|d| d.collection == *label) {
            continue;
        }
        if let Some(folder) = diagnostics::closest(label, undeclared.keys(), |l| l.as_str()) {
            diagnostics.push(Diagnostic::warning(
                "collection-without-folder",
                "_config.yml",
                collection_pos(&config_text, label),
                format!("collection `{label}` has no docs (no folder `_{label}/`); did you mean the folder `_{folder}/`?"),
            ));
        }
    }
    diagnostics.extend(unlisted_order(&site, &config_text));
    // Each doc left out is named at its own file, so no doc drops out unseen.
    for (label, rels) in &undeclared {
        let hint = near_declared(label);
        for rel in rels {
            // Jekyll reads a post only by its dated name; declaring `posts` would not help.
            let (code, message) = if label == "posts" {
                ("post-name", "this post is not built: Jekyll reads a post only when its name is `YYYY-MM-DD-title.ext`, and skips this one".to_string())
            } else {
                ("undeclared-collection", format!("this doc is not built: its folder `_{label}/` is not declared under `collections:` in _config.yml{hint}"))
            };
            diagnostics.push(Diagnostic::warning(code, rel, Pos::new(1, 1), message));
        }
    }
    if config.collections.is_none() && !site.docs.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "no-collections",
            "_config.yml",
            Pos::new(1, 1),
            "no `collections:` declared: every `_name/` folder with docs became a section, ordered by name",
        ));
    }
    let copied: std::collections::HashSet<&str> = site.statics.iter().map(String::as_str).collect();
    diagnostics.extend(site.config.find_branding(|rel| copied.contains(rel)));
    site.diagnostics = diagnostics;
    Ok(site)
}

/// The declared collections' labels, in the order `_config.yml` writes them.
fn declared_order(config: &Config, text: &str) -> Vec<String> {
    let mut labels: Vec<&str> = config
        .collections
        .iter()
        .flatten()
        .map(|c| c.label.as_str())
        .collect();
    labels.sort_by_key(|l| {
        let p = collection_pos(text, l);
        (p.line, p.col)
    });
    labels.into_iter().map(String::from).collect()
}

/// A warning at each entry of a collection's `order:` that names no doc of it: Jekyll
/// (`Collection#rearrange_docs!`) leaves such an entry out without a word.
fn unlisted_order(site: &LoadedSite, config_text: &str) -> Vec<Diagnostic> {
    let Some(serde_json::Value::Object(declared)) = site.config.raw.get("collections") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (label, meta) in declared {
        let Some(serde_json::Value::Array(listed)) = meta.get("order") else {
            continue;
        };
        let from = collection_pos(config_text, label).line;
        for entry in listed {
            let entry = crate::frontmatter::text(Some(entry));
            let rel = format!("_{label}/{entry}");
            let found = site.docs.iter().any(|d| {
                d.collection == *label && (d.rel == rel || d.rel.ends_with(&format!("/{rel}")))
            });
            if found {
                continue;
            }
            let pos = config_text
                .lines()
                .enumerate()
                .skip(from.saturating_sub(1))
                .find_map(|(i, l)| l.find(&entry).map(|c| Pos::new(i + 1, c + 1)))
                .unwrap_or(Pos::new(from.max(1), 1));
            out.push(Diagnostic::warning(
                "order-without-doc",
                "_config.yml",
                pos,
                format!("`order:` of collection `{label}` lists `{entry}`, which is no doc of it (no `{rel}` with front matter): Jekyll leaves it out"),
            ));
        }
    }
    out
}

/// Where `_config.yml` declares a collection (its `label:` key or `- label` item under
/// `collections:`), else the file's start.
fn collection_pos(config: &str, label: &str) -> Pos {
    config
        .lines()
        .enumerate()
        .skip_while(|(_, l)| !l.starts_with("collections:"))
        .skip(1)
        .find_map(|(i, l)| {
            let item = l.trim_start();
            let item = item.strip_prefix("- ").unwrap_or(item);
            let named = item
                .strip_prefix(label)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'));
            named.then(|| Pos::new(i + 1, l.len() - item.len() + 1))
        })
        .unwrap_or(Pos::new(1, 1))
}

/// The `_data` files Jekyll reads (others in the folder are ignored, as Jekyll does).
fn is_data_file(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["yml", "yaml", "json", "csv", "tsv"].contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// Jekyll's default `markdown_ext`: these collection files are converted by kramdown.
pub fn is_markdown(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["md", "markdown", "mkdown", "mkdn", "mkd"].contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// Jekyll's `has_yaml_header?`: the first line is `---` and nothing but whitespace.
fn opens_with_front_matter(abs: &Path) -> bool {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(abs)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    has_front_matter(&head[..n])
}

/// Files outside `_` folders: static files are copied; Jekyll pages and Sass (front matter
/// on a non-doc) are reported, since their layouts do not exist in endpaper.
fn classify_root_file(
    site: &mut LoadedSite,
    abs: &Path,
    rel: String,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    const JEKYLL_FILES: &[&str] = &["Gemfile", "Gemfile.lock", "CNAME"];
    if JEKYLL_FILES.contains(&name) {
        return Ok(());
    }
    let texty = [
        ".html",
        ".md",
        ".markdown",
        ".scss",
        ".sass",
        ".css",
        ".js",
        ".xml",
        ".json",
        ".txt",
    ]
    .iter()
    .any(|ext| name.ends_with(ext));
    if texty {
        let mut head = [0u8; 64];
        let has_fm = std::fs::File::open(abs)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .is_ok_and(|n| yaml_header(&head[..n]));
        if has_fm {
            let text = read_text(abs, &rel, diags)?;
            if crate::frontmatter::split(&text) == crate::frontmatter::Split::Unterminated {
                // Jekyll 4.3 (`Convertible#read_yaml`) finds no front matter in it, yet
                // reads it as a page: no data but `_config.yml` defaults, its whole text
                // (the `---` line too) as the content.
                diags.push(Diagnostic::warning(
                    "unterminated-front-matter",
                    &rel,
                    Pos::new(1, 1),
                    "front matter opens with `---` but is never closed (add a closing `---` line); like Jekyll, the page has no front matter but `defaults:`, and its whole text is its content",
                ));
            }
            if name.ends_with(".scss") || name.ends_with(".sass") {
                site.unused.push(Unused {
                    rel: rel.clone(),
                    what: "Sass stylesheet",
                    instead: "compiled only with `theme: site`; endpaper's theme has its own CSS (_endpaper/assets/endpaper.css)",
                });
            }
            // Root pages are read for the site's structure (see `structure`), which reports
            // what became of each.
            site.pages.push((rel, text));
            return Ok(());
        }
    }
    site.statics.push(rel);
    Ok(())
}

/// A post's file name as Jekyll's `DATE_FILENAME_MATCHER` reads it: `YYYY-MM-DD-title.ext`
/// (the year of 2 to 4 digits, month and day of 1 or 2).
fn is_post_name(name: &str) -> bool {
    let Some(dot) = name.rfind('.').filter(|&d| d + 1 < name.len()) else {
        return false;
    };
    let mut parts = name[..dot].splitn(4, '-');
    let mut num = |lo: usize, hi: usize| {
        parts
            .next()
            .is_some_and(|p| (lo..=hi).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    num(2, 4) && num(1, 2) && num(1, 2) && parts.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_files_are_docs_by_extension_or_front_matter() {
        assert!(is_markdown("a.md") && is_markdown("b.MKD") && is_markdown("c.markdown"));
        assert!(!is_markdown("notes.txt") && !is_markdown("versioning") && !is_markdown("md"));
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            opens_with_front_matter(&p)
        };
        assert!(file("a", b"---\ntitle: x\n---\n"));
        assert!(file("b", b"---  \r\ntitle: x\n"));
        assert!(!file("c", b"----\n"));
        assert!(!file("d", b"--- x\n"));
        assert!(!file("e", b"\x89PNG\r\n"));
        assert!(!file("f", b"---"));
    }

    #[test]
    fn decode_normalises_and_locates_bad_bytes() {
        let mut d = Vec::new();
        assert_eq!(
            decode(b"\xEF\xBB\xBFa\r\nb\rc".to_vec(), "f", &mut d).unwrap(),
            "a\nb\nc"
        );
        let e = decode(b"ok\nab\xFFcd".to_vec(), "f.md", &mut d).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 3));
        assert!(d.is_empty());
        assert_eq!(decode(b"a\0b".to_vec(), "f", &mut d).unwrap(), "a\u{FFFD}b");
        assert_eq!(d[0].code, "nul-byte");
    }
}
