//! `_config.yml` → a validated [`Config`], once. Downstream stages trust it. Keys endpaper
//! does not use are kept (`raw`) so templates can read them as `site.*`; endpaper's own
//! options live under the `endpaper:` key.

use crate::diagnostics::{Allowance, Diagnostic};
use crate::error::{Pos, SourceError};
use crate::frontmatter;
use crate::order::SortKey;
use serde_json::{Map, Value};
use std::path::Path;

mod auth;
pub mod zone;
pub use auth::{doc_security, ServerVariable, TryIt};
use auth::{find_below, security, server_variables, tryit};

/// One declared collection: a section of the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionDecl {
    pub label: String,
    pub title: String,
    pub position: SortKey,
    /// Empty when not set.
    pub visibility: String,
}

impl CollectionDecl {
    /// Jekyll's `posts`, the collection no site need declare.
    pub fn posts() -> CollectionDecl {
        CollectionDecl {
            label: "posts".into(),
            title: "Posts".into(),
            position: SortKey::Missing,
            visibility: String::new(),
        }
    }
}

/// How pages look: endpaper's reference, or the site's own layouts as Jekyll renders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Endpaper,
    Site,
}

impl std::str::FromStr for Theme {
    type Err = String;
    fn from_str(s: &str) -> Result<Theme, String> {
        match s {
            "endpaper" => Ok(Theme::Endpaper),
            "site" => Ok(Theme::Site),
            _ => Err(format!("unknown theme `{s}` (known: endpaper, site)")),
        }
    }
}

/// A server a reader can send requests to from the "Try it" panel (`endpaper.environments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    /// Base URL; a doc's path is appended to it. May hold OpenAPI server variables
    /// (`https://{region}.api.example`), each one of `variables`.
    pub url: String,
    /// The URL's `{variables}` (`variables:`), in the order written; empty for none.
    pub variables: Vec<ServerVariable>,
}

/// endpaper's own options (`endpaper:` in `_config.yml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `endpaper: {theme: site}`, or a top-level `theme: site` (another top-level `theme:`
    /// is a Jekyll gem theme, which endpaper leaves alone).
    pub theme: Theme,
    /// A site with at most this many docs is written as one page, Aviator's way.
    pub single_page_max_docs: usize,
    /// Beyond that, each section gets its own page(s) of at most this many docs.
    pub page_max_docs: usize,
    /// Base URLs for "Try it"; the panel is off when there are none.
    pub environments: Vec<Environment>,
    /// "Edit this page" link, `{path}` replaced by the doc's site-relative source path;
    /// empty for none.
    pub edit_url: String,
    /// Each doc also gets a page of its own (`section/doc/index.html`).
    pub endpoint_pages: bool,
    /// Write `openapi.json` with every build (`openapi: false` turns it off).
    pub openapi: bool,
    /// `info.version` of the OpenAPI export (`api_version`); empty when not set.
    pub api_version: String,
    /// Warnings a site accepts on purpose (`allow:`), e.g. on a page kept verbatim.
    pub allow: Vec<Allowance>,
    /// How requests authenticate (`security:`): OpenAPI security schemes by name, any one
    /// of which every operation of the export accepts.
    pub security: Map<String, Value>,
    /// Languages generated from each doc's curl sample (`samples:`), in tab order.
    pub samples: Vec<SampleLanguage>,
    /// The API's versions, newest first (`versions:`); empty: read from the root pages.
    pub versions: Vec<VersionDecl>,
    /// The "Try it" panel's proxy and OAuth2 client (`tryit:`).
    pub tryit: TryIt,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            theme: Theme::Endpaper,
            single_page_max_docs: 300,
            page_max_docs: 60,
            environments: Vec::new(),
            edit_url: String::new(),
            endpoint_pages: false,
            openapi: true,
            api_version: String::new(),
            allow: Vec::new(),
            security: Map::new(),
            samples: Vec::new(),
            versions: Vec::new(),
            tryit: TryIt::default(),
        }
    }
}

impl Options {
    /// Whether the site's schemes include an OAuth2 authorization-code flow, which signs in
    /// through the site's `oauth2-redirect.html`.
    pub fn has_authorization_code(&self) -> bool {
        self.security.values().any(|s| {
            s.get("type").and_then(Value::as_str) == Some("oauth2")
                && s.pointer("/flows/authorizationCode").is_some()
        })
    }
}

/// What the page shows of the site itself, as site-relative paths or web URLs ("" for
/// none): the header's logo and the browser tab's icon. `load` fills it in once it has seen
/// the site's files ([`Config::find_branding`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Branding {
    pub logo: String,
    pub favicon: String,
}

/// Aviator's layouts show `images/logo.svg`; its sites keep their icon at the root.
const LOGO_FILES: &[&str] = &["images/logo.svg", "images/logo.png"];
const FAVICON_FILES: &[&str] = &["favicon.ico", "favicon.svg", "favicon.png"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub baseurl: String,
    pub url: String,
    /// `None` when `_config.yml` declares no `collections:`.
    pub collections: Option<Vec<CollectionDecl>>,
    /// Jekyll's `exclude:` list (paths relative to the site).
    pub exclude: Vec<String>,
    pub options: Options,
    /// `logo:` as written (a path in the site or an http(s) URL) and where it is.
    pub logo: Option<(String, Pos)>,
    pub branding: Branding,
    /// The whole file, for `site.*` in Liquid and templates.
    pub raw: Map<String, Value>,
    /// The order `raw`'s keys are written in, which Liquid goes through a mapping in.
    pub key_order: frontmatter::KeyOrder,
    /// Line where a second YAML document starts (`---`); like Jekyll, it is not read.
    pub ignored_from_line: Option<usize>,
}

/// Jekyll reads only the first YAML document of `_config.yml`: a `---` line after some
/// content starts a document it never sees. Returns the first document's text (later lines
/// blanked, so positions stay right) and the 1-based line where the ignored part starts.
pub fn first_document(text: &str) -> (String, Option<usize>) {
    let mut seen_content = false;
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += line.len();
        let bare = line.trim_end();
        let marker =
            (bare.starts_with("---") || bare.starts_with("...")) && bare[3..].trim().is_empty();
        if marker && seen_content {
            let rest = &text[at..];
            let has_more = rest
                .lines()
                .skip(1)
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            out.extend(
                rest.split_inclusive('\n')
                    .map(|l| if l.ends_with('\n') { "\n" } else { "" }),
            );
            return (out, has_more.then_some(i + 1));
        }
        if marker {
            // The opening marker of the first document.
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            continue;
        }
        seen_content |= !bare.trim().is_empty() && !bare.trim_start().starts_with('#');
        out.push_str(line);
    }
    (out, None)
}

impl Config {
    /// Reads `_config.yml` text. A missing file is an empty config (`text` = "").
    /// Every error is called a config error, so it is never taken for a doc's.
    pub fn parse(text: &str, path: &Path) -> Result<Config, SourceError> {
        Config::parse_unnamed(text, path).map_err(|mut e| {
            e.message = format!("config error: {}", e.message);
            e
        })
    }

    fn parse_unnamed(text: &str, path: &Path) -> Result<Config, SourceError> {
        let (first, ignored_from_line) = first_document(text);
        let text = first.as_str();
        let raw = frontmatter::parse_config(text, path)?;
        let s = |k: &str| frontmatter::text(raw.get(k));
        let collections = match raw.get("collections") {
            None | Some(Value::Null) => None,
            Some(v) => Some(collections(v, path, text)?),
        };
        let exclude = match raw.get("exclude") {
            Some(Value::Array(items)) => items.iter().map(|v| frontmatter::text(Some(v))).collect(),
            _ => Vec::new(),
        };
        let mut options = options(raw.get("endpaper"), path, text)?;
        if raw.get("theme").and_then(Value::as_str) == Some("site")
            && raw.get("endpaper").and_then(|e| e.get("theme")).is_none()
        {
            options.theme = Theme::Site;
        }
        let logo = match raw.get("logo") {
            None | Some(Value::Null) => None,
            Some(Value::String(l)) if !l.trim().is_empty() => {
                Some((l.trim().to_string(), key_pos(text, "logo")))
            }
            Some(_) => {
                return Err(SourceError::new(
                    path,
                    key_pos(text, "logo"),
                    "`logo:` must be the path of an image in the site, such as `images/logo.svg`, or an http(s) URL",
                ))
            }
        };
        Ok(Config {
            title: s("title"),
            description: s("description"),
            baseurl: s("baseurl"),
            url: s("url"),
            collections,
            exclude,
            options,
            logo,
            branding: Branding::default(),
            key_order: frontmatter::key_order(text),
            raw,
            ignored_from_line,
        })
    }

    /// Sets [`Config::branding`] given which site files are copied to the output: the logo
    /// is `logo:`, else the file Aviator sites keep it in; the icon is the site's own
    /// `favicon.*`. A `logo:` naming no such file is a warning at its line (the header
    /// then shows the title, as without a logo).
    pub fn find_branding(&mut self, copied: impl Fn(&str) -> bool) -> Option<Diagnostic> {
        let first = |names: &[&str]| {
            names
                .iter()
                .find(|n| copied(n))
                .map_or_else(String::new, |n| n.to_string())
        };
        self.branding.favicon = first(FAVICON_FILES);
        let mut warning = None;
        self.branding.logo = match &self.logo {
            Some((url, _)) if is_web_url(url) => url.clone(),
            Some((written, pos)) => {
                let rel = written.trim_start_matches("./").trim_start_matches('/');
                if copied(rel) {
                    rel.to_string()
                } else {
                    warning = Some(Diagnostic::warning(
                        "missing-logo",
                        "_config.yml",
                        *pos,
                        format!("`logo: {written}` names no file of the site, so the header shows the title instead"),
                    ));
                    String::new()
                }
            }
            None => first(LOGO_FILES),
        };
        warning
    }
}

/// Position of `key:` in the config text, for messages about a value (serde_yaml has lost
/// positions by the time we validate).
fn key_pos(text: &str, key: &str) -> Pos {
    let needle = format!("{key}:");
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.trim_start()
                .starts_with(&needle)
                .then(|| Pos::new(i + 1, l.len() - l.trim_start().len() + 1))
        })
        .unwrap_or(Pos::new(1, 1))
}

fn collections(v: &Value, path: &Path, text: &str) -> Result<Vec<CollectionDecl>, SourceError> {
    let decl = |label: &str, meta: Option<&Map<String, Value>>| {
        let get = |k: &str| meta.and_then(|m| m.get(k));
        CollectionDecl {
            label: label.to_string(),
            title: match frontmatter::text(get("title")) {
                t if t.is_empty() => label.to_string(),
                t => t,
            },
            position: SortKey::of(get("position").or(get("position_number"))),
            visibility: frontmatter::text(get("visibility")).trim().to_string(),
        }
    };
    match v {
        Value::Object(m) => Ok(m
            .iter()
            .map(|(label, meta)| decl(label, meta.as_object()))
            .collect()),
        Value::Array(items) => Ok(items
            .iter()
            .map(|item| decl(&frontmatter::text(Some(item)), None))
            .collect()),
        _ => Err(SourceError::new(
            path,
            key_pos(text, "collections"),
            "`collections:` must be a mapping of collection names (or a list of them)",
        )),
    }
}

const OPTION_NAMES: &str =
    "single_page_max_docs, page_max_docs, environments, edit_url, endpoint_pages, openapi, api_version, allow, security, samples, versions, tryit";

fn options(v: Option<&Value>, path: &Path, text: &str) -> Result<Options, SourceError> {
    let mut o = Options::default();
    let Some(Value::Object(m)) = v else {
        return Ok(o);
    };
    let err = |key: &str, msg: String| SourceError::new(path, key_pos(text, key), msg);
    for (key, value) in m {
        if key == "theme" {
            o.theme = frontmatter::text(Some(value))
                .parse()
                .map_err(|e: String| err(key, e))?;
            continue;
        }
        match key.as_str() {
            "single_page_max_docs" | "page_max_docs" => {
                let n = value.as_u64().filter(|&n| n > 0).ok_or_else(|| {
                    err(key, format!("`endpaper.{key}` must be a whole number above 0"))
                })? as usize;
                if key == "page_max_docs" {
                    o.page_max_docs = n;
                } else {
                    o.single_page_max_docs = n;
                }
            }
            "environments" => o.environments = environments(value, path, text)?,
            "allow" => o.allow = allowances(value, path, text)?,
            "security" => o.security = security(value, path, text)?,
            "samples" => o.samples = samples(value, path, text)?,
            "versions" => o.versions = versions(value, path, text)?,
            "tryit" => o.tryit = tryit(value, path, text)?,
            "openapi" => {
                o.openapi = value.as_bool().ok_or_else(|| {
                    err(key, "`endpaper.openapi` must be true or false".into())
                })?
            }
            "api_version" => {
                o.api_version = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(err(
                            key,
                            "`endpaper.api_version` must be a version string such as \"1.2.0\"".into(),
                        ))
                    }
                }
            }
            "edit_url" => match value {
                Value::Null => {}
                Value::String(s) if is_web_url(s) => o.edit_url = s.clone(),
                _ => {
                    return Err(err(
                        key,
                        "`endpaper.edit_url` must be an http(s) URL, with `{path}` where the doc's source path goes".into(),
                    ))
                }
            },
            "endpoint_pages" => {
                o.endpoint_pages = value.as_bool().ok_or_else(|| {
                    err(key, "`endpaper.endpoint_pages` must be true or false".into())
                })?
            }
            _ => {
                return Err(err(
                    key,
                    format!("unknown endpaper option `{key}` (known: {OPTION_NAMES})"),
                ))
            }
        }
    }
    Ok(o)
}

/// `allow:` maps a site-relative path to the warning codes accepted there (one code or
/// a list of them).
fn allowances(v: &Value, path: &Path, text: &str) -> Result<Vec<Allowance>, SourceError> {
    let err = |msg: &str| SourceError::new(path, key_pos(text, "allow"), msg.to_string());
    let shape = "`endpaper.allow` maps a site-relative file to the warning codes allowed in it, e.g. `_docs/old.md: [invalid-json]`";
    let m = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Object(m) => m,
        _ => return Err(err(shape)),
    };
    let mut out = Vec::new();
    for (file, codes) in m {
        let codes: Vec<String> = match codes {
            Value::String(c) => vec![c.trim().to_string()],
            Value::Array(items) => items
                .iter()
                .map(|c| c.as_str().map(|c| c.trim().to_string()))
                .collect::<Option<_>>()
                .ok_or_else(|| err(shape))?,
            _ => return Err(err(shape)),
        };
        if codes.is_empty() || codes.iter().any(String::is_empty) {
            return Err(err(shape));
        }
        out.push(Allowance {
            file: file.trim_start_matches("./").to_string(),
            codes,
            pos: key_pos(text, file),
        });
    }
    Ok(out)
}

/// The languages `samples:` may name; `samples::Lang` lists them in this order.
pub const SAMPLE_LANGUAGES: [&str; 8] = [
    "python", "node", "go", "ruby", "php", "java", "csharp", "httpie",
];

/// One entry of `samples:`: a language of [`SAMPLE_LANGUAGES`], and its tab's title when the
/// site names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleLanguage {
    pub name: &'static str,
    pub title: Option<String>,
}

/// `samples: [python, node]`; an entry may name its tab, `- python: Python (requests)`,
/// for a site whose hand-written tabs are titled so (tabs sync on their titles).
fn samples(v: &Value, path: &Path, text: &str) -> Result<Vec<SampleLanguage>, SourceError> {
    let shape = || {
        SourceError::new(
            path,
            key_pos(text, "samples"),
            "`endpaper.samples` must be a list of languages, such as `[python, node, go]`",
        )
    };
    let Value::Array(items) = v else {
        return Err(shape());
    };
    let mut out: Vec<SampleLanguage> = Vec::new();
    for item in items {
        let (name, title) = match item {
            Value::String(s) => (s.as_str(), None),
            Value::Object(m) if m.len() == 1 => {
                let (k, t) = m.iter().next().expect("one entry");
                match t {
                    Value::String(t) if !t.trim().is_empty() => (k.as_str(), Some(t.trim())),
                    _ => return Err(shape()),
                }
            }
            _ => return Err(shape()),
        };
        let Some(&name) = SAMPLE_LANGUAGES.iter().find(|&&l| l == name) else {
            let hint = crate::diagnostics::closest(name, SAMPLE_LANGUAGES, |k| k)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            return Err(SourceError::new(
                path,
                item_pos(text, "samples", name),
                format!(
                    "unknown sample language `{name}` in `endpaper.samples`{hint} (known: {})",
                    SAMPLE_LANGUAGES.join(", ")
                ),
            ));
        };
        if out.iter().all(|w| w.name != name) {
            out.push(SampleLanguage {
                name,
                title: title.map(str::to_string),
            });
        }
    }
    Ok(out)
}

/// One entry of `versions:`. Which root page lists its docs is checked once the site's
/// structure is read (`versions`), at `pos`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDecl {
    pub name: String,
    /// What the switcher shows (the name when not given).
    pub label: Option<String>,
    /// The root page listing the version's docs, site-relative (`v1.html`).
    pub page: Option<String>,
    /// When the version was released (`2024-03-01`), for the changelog's feed.
    pub date: Option<String>,
    pub pos: Pos,
}

/// `versions: [v2, v1]`, newest first; an entry may be a mapping `{name, label, page, date}`.
fn versions(v: &Value, path: &Path, text: &str) -> Result<Vec<VersionDecl>, SourceError> {
    let shape = |pos: Pos| {
        SourceError::new(
            path,
            pos,
            "`endpaper.versions` must be a list of versions, newest first: names (`[v2, v1]`) or `{name, label, page, date}` entries",
        )
    };
    let Value::Array(items) = v else {
        return Err(shape(key_pos(text, "versions")));
    };
    let mut out: Vec<VersionDecl> = Vec::new();
    for item in items {
        let scalar = |v: &Value| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let decl = match item {
            Value::Object(m) => {
                let name = m.get("name").and_then(scalar);
                let at = item_pos(text, "versions", name.as_deref().unwrap_or("name"));
                let Some(name) = name else {
                    return Err(shape(at));
                };
                if let Some(k) = m
                    .keys()
                    .find(|k| !["name", "label", "page", "date"].contains(&k.as_str()))
                {
                    return Err(SourceError::new(
                        path,
                        item_pos(text, "versions", k),
                        format!("unknown key `{k}` in a version of `endpaper.versions` (known: name, label, page, date)"),
                    ));
                }
                let get = |k: &str| m.get(k).and_then(scalar);
                VersionDecl {
                    label: get("label"),
                    page: get("page"),
                    date: get("date"),
                    pos: at,
                    name,
                }
            }
            v => {
                let name = scalar(v).ok_or_else(|| shape(key_pos(text, "versions")))?;
                VersionDecl {
                    pos: item_pos(text, "versions", &name),
                    name,
                    label: None,
                    page: None,
                    date: None,
                }
            }
        };
        if out.iter().any(|d| d.name == decl.name) {
            return Err(SourceError::new(
                path,
                decl.pos,
                format!(
                    "two versions are named `{}` in `endpaper.versions`",
                    decl.name
                ),
            ));
        }
        out.push(decl);
    }
    Ok(out)
}

/// Position of `word` in the value of `key:` (the key's line, or the lines below it
/// indented deeper: its list and its entries' keys), else of the key.
fn item_pos(text: &str, key: &str, word: &str) -> Pos {
    let at = key_pos(text, key);
    for (i, line) in text.lines().enumerate().skip(at.line - 1) {
        let indent = line.len() - line.trim_start().len();
        let body = if i + 1 == at.line {
            line.split_once(':').map_or("", |(_, v)| v)
        } else if line.trim_start().starts_with('-') || line.trim().is_empty() || indent >= at.col {
            line
        } else {
            break;
        };
        if let Some(c) = body.find(word) {
            let col = line.len() - body.len() + c + 1;
            return Pos::new(i + 1, col);
        }
    }
    at
}

fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

/// `environments:` is a list of `{name, url}`; each URL must be an absolute http(s) URL
/// (the browser sends requests to it), each name unique (the reader picks by name).
fn environments(v: &Value, path: &Path, text: &str) -> Result<Vec<Environment>, SourceError> {
    let at = key_pos(text, "environments");
    let err = |msg: String| SourceError::new(path, at, msg);
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        _ => {
            return Err(err(
                "`endpaper.environments` must be a list of `name:` and `url:` entries".into(),
            ))
        }
    };
    let mut out: Vec<Environment> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let field = |k: &str| item.get(k).and_then(Value::as_str).map(str::trim);
        let (Some(name), Some(url)) = (field("name"), field("url")) else {
            return Err(err(format!(
                "environment {n} of `endpaper.environments` needs a `name:` and a `url:`"
            )));
        };
        if name.is_empty() || !is_web_url(url) {
            return Err(err(format!(
                "environment {n} (`{name}`) needs a name and an http(s) URL, not `{url}`"
            )));
        }
        if out.iter().any(|e| e.name == name) {
            return Err(err(format!("two environments are named `{name}`")));
        }
        // This entry's lines start at its URL (a name may repeat, a URL rarely does).
        let entry = text
            .lines()
            .enumerate()
            .skip(at.line)
            .find(|(_, l)| l.contains(url))
            .map_or(at, |(i, _)| Pos::new(i + 1, 1));
        let url = url.trim_end_matches('/');
        let variables = server_variables(url, item.get("variables"), |key, msg| {
            SourceError::new(path, find_below(text, entry, key), msg)
        })
        .map_err(|e| {
            let mut e = e;
            e.message = format!("environment {n} (`{name}`): {}", e.message);
            e
        })?;
        out.push(Environment {
            name: name.to_string(),
            url: url.to_string(),
            variables,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_collections_in_both_spellings_and_keeps_unknown_keys() {
        let c = Config::parse(
            "title: T\napp_url: https://x/\ncollections:\n  api:\n    title: APIs\n    position_number: 2\n    visibility: public\n  docs:\n    position: 1\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        let cols = c.collections.unwrap();
        assert_eq!(cols[0].title, "APIs");
        assert_eq!(cols[0].position, SortKey::Num(2.0));
        assert_eq!(cols[1].title, "docs");
        assert_eq!(c.raw["app_url"], "https://x/");
        let l = Config::parse("collections: [a, b]\n", Path::new("c")).unwrap();
        assert_eq!(l.collections.unwrap().len(), 2);
        assert_eq!(Config::parse("", Path::new("c")).unwrap().collections, None);
    }

    #[test]
    fn the_logo_is_logo_else_aviators_file_and_the_icon_the_sites_own() {
        let parse = |t: &str| Config::parse(t, Path::new("_config.yml")).unwrap();
        let files = |names: &'static [&'static str]| move |rel: &str| names.contains(&rel);
        let mut c = parse("title: T\n");
        assert_eq!(c.find_branding(files(&[])), None);
        assert_eq!(c.branding, Branding::default());
        assert_eq!(
            c.find_branding(files(&[
                "images/logo.png",
                "images/logo.svg",
                "favicon.png"
            ])),
            None
        );
        assert_eq!(
            (c.branding.logo.as_str(), c.branding.favicon.as_str()),
            ("images/logo.svg", "favicon.png")
        );
        let mut c = parse("title: T\nlogo: ./brand/mark.png\n");
        assert_eq!(
            c.find_branding(files(&["brand/mark.png", "images/logo.svg"])),
            None
        );
        assert_eq!(c.branding.logo, "brand/mark.png");
        let mut c = parse("logo: https://cdn.example/l.svg\n");
        assert_eq!(c.find_branding(files(&[])), None);
        assert_eq!(c.branding.logo, "https://cdn.example/l.svg");
        // Named but missing: a warning at the key; no logo rather than a broken image.
        let mut c = parse("title: T\nlogo: /images/lgoo.svg\n");
        let w = c.find_branding(files(&["images/logo.svg"])).unwrap();
        assert_eq!((w.code, w.pos), ("missing-logo", Pos::new(2, 1)));
        assert_eq!(c.branding.logo, "");
        let e = Config::parse("logo: [a, b]\n", Path::new("_config.yml")).unwrap_err();
        assert!(
            e.message.contains("`logo:` must be the path of an image"),
            "{e:?}"
        );
    }

    #[test]
    fn only_the_first_yaml_document_is_read_like_jekyll() {
        let text = "# site\n---\ntitle: First\n---\n# build\ncollections:\n  api:\n";
        let (first, ignored) = first_document(text);
        assert_eq!(ignored, Some(4));
        assert_eq!(first.lines().count(), text.lines().count());
        let c = Config::parse(text, Path::new("_config.yml")).unwrap();
        assert_eq!(c.title, "First");
        assert_eq!(c.collections, None);
        assert_eq!(c.ignored_from_line, Some(4));
        let closed = Config::parse("---\ntitle: T\n---\n\n", Path::new("c")).unwrap();
        assert_eq!(
            (closed.title.as_str(), closed.ignored_from_line),
            ("T", None)
        );
        assert_eq!(
            first_document("a: 1\nb: 2\n"),
            ("a: 1\nb: 2\n".into(), None)
        );
    }

    #[test]
    fn theme_is_read_from_endpaper_options_or_a_top_level_site() {
        let p = Path::new("_config.yml");
        let t = |text: &str| Config::parse(text, p).map(|c| c.options.theme);
        assert_eq!(t("title: x\n").unwrap(), Theme::Endpaper);
        assert_eq!(t("theme: site\n").unwrap(), Theme::Site);
        assert_eq!(t("theme: minima\n").unwrap(), Theme::Endpaper);
        assert_eq!(t("endpaper:\n  theme: site\n").unwrap(), Theme::Site);
        assert_eq!(
            t("theme: site\nendpaper:\n  theme: endpaper\n").unwrap(),
            Theme::Endpaper
        );
        assert_eq!(
            t("endpaper:\n  theme: fancy\n").unwrap_err().to_string(),
            "_config.yml:2:3: config error: unknown theme `fancy` (known: endpaper, site)"
        );
    }

    #[test]
    fn bad_endpaper_option_names_its_line() {
        let e = Config::parse(
            "title: x\nendpaper:\n  page_max_docs: -3\n",
            Path::new("_config.yml"),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "_config.yml:3:3: config error: `endpaper.page_max_docs` must be a whole number above 0"
        );
    }

    #[test]
    fn reader_options_parse_and_bad_ones_are_located() {
        let c = Config::parse(
            "endpaper:\n  environments:\n    - name: Sandbox\n      url: https://sandbox.x/v1/\n  edit_url: https://git.x/edit/{path}\n  endpoint_pages: true\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(
            c.options.environments,
            [Environment {
                name: "Sandbox".into(),
                url: "https://sandbox.x/v1".into(),
                variables: Vec::new(),
            }]
        );
        assert_eq!(c.options.edit_url, "https://git.x/edit/{path}");
        assert!(c.options.endpoint_pages);
        let bad = |yaml: &str| {
            Config::parse(yaml, Path::new("_config.yml"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad("endpaper:\n  environments:\n    - name: S\n      url: ftp://x\n"),
            "_config.yml:2:3: config error: environment 1 (`S`) needs a name and an http(s) URL, not `ftp://x`"
        );
        assert_eq!(
            bad("endpaper:\n  environments: sandbox\n"),
            "_config.yml:2:3: config error: `endpaper.environments` must be a list of `name:` and `url:` entries"
        );
        assert!(
            bad("endpaper:\n  environments:\n    - url: https://a\n").contains("needs a `name:`")
        );
        assert_eq!(
            bad("endpaper:\n  endpoint_pages: yes please\n"),
            "_config.yml:2:3: config error: `endpaper.endpoint_pages` must be true or false"
        );
        assert!(bad("endpaper:\n  edit_url: /edit\n")
            .starts_with("_config.yml:2:3: config error: `endpaper.edit_url`"));
    }

    #[test]
    fn reads_openapi_options() {
        let c = Config::parse(
            "endpaper:\n  api_version: 2.1\n  openapi: false\n  environments:\n    - name: Sandbox\n      url: https://sandbox.example\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(c.options.api_version, "2.1");
        assert!(!c.options.openapi);
        assert_eq!(
            c.options.environments,
            vec![Environment {
                name: "Sandbox".into(),
                url: "https://sandbox.example".into(),
                variables: Vec::new(),
            }]
        );
        let e = Config::parse("endpaper:\n  openapi: maybe\n", Path::new("c")).unwrap_err();
        assert!(e.to_string().contains("`endpaper.openapi` must be"), "{e}");
    }

    #[test]
    fn versions_are_names_or_entries_and_bad_ones_are_located() {
        let c = Config::parse(
            "endpaper:\n  versions:\n    - name: v2\n      label: 2.x (latest)\n      date: 2024-05-01\n    - v1\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        let v = &c.options.versions;
        assert_eq!(
            (
                v[0].name.as_str(),
                v[0].label.as_deref(),
                v[0].date.as_deref()
            ),
            ("v2", Some("2.x (latest)"), Some("2024-05-01"))
        );
        assert_eq!((v[1].name.as_str(), v[1].pos), ("v1", Pos::new(6, 7)));
        let bad = |text: &str| {
            Config::parse(text, Path::new("_config.yml"))
                .unwrap_err()
                .to_string()
        };
        assert!(bad("endpaper:\n  versions: v1\n").starts_with("_config.yml:2:3:"));
        assert!(bad("endpaper:\n  versions: [v1, v1]\n")
            .contains("_config.yml:2:14: config error: two versions are named `v1`"));
        let e = bad("endpaper:\n  versions:\n    - name: v1\n      pages: v1.html\n");
        assert!(
            e.starts_with("_config.yml:4:7:") && e.contains("unknown key `pages`"),
            "{e}"
        );
    }

    #[test]
    fn sample_languages_are_validated_with_a_suggestion() {
        let c = Config::parse(
            "endpaper:\n  samples:\n    - python: Python (requests)\n    - go\n    - go\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(
            c.options.samples,
            [
                SampleLanguage {
                    name: "python",
                    title: Some("Python (requests)".into())
                },
                SampleLanguage {
                    name: "go",
                    title: None
                }
            ]
        );
        let bad = |yaml: &str| {
            Config::parse(yaml, Path::new("_config.yml"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad("title: x\nendpaper:\n  samples: [python, pyhton]\n"),
            "_config.yml:3:21: config error: unknown sample language `pyhton` in `endpaper.samples`; did you mean `python`? (known: python, node, go, ruby, php, java, csharp, httpie)"
        );
        assert!(bad("endpaper:\n  samples:\n    - node\n    - rust\n")
            .starts_with("_config.yml:4:7: config error: unknown sample language `rust`"));
        assert!(bad("endpaper:\n  samples: python\n").contains("must be a list"));
    }
}
