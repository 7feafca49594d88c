//! Liquid: the one engine that renders every template of a build — doc bodies before
//! markdown, includes, and (for the site theme) the site's own layouts and root pages.
//!
//! Built on the `liquid` crate's parser and standard library (`liquid-core`, `liquid-lib`
//! with its `jekyll` filters), plus what Jekyll adds and endpaper needs:
//! - [`Engine`] holds one `liquid` language for the build (stdlib tags and filters, Jekyll's
//!   filters in `filters`, Ruby Liquid's in `ruby_filters`, endpaper's `include` and
//!   `render` in `include`, its `highlight`, `assign` and output tags in `tags`) and the
//!   site model (`site.*`, `site.data`, `site.collections`; see `site`);
//!   each include, page and layout is parsed once per build and shared across threads (`cache`);
//! - Jekyll's leniency: an unknown variable (or a missing field of a loop item) is nil to
//!   its filters and renders empty, an unknown filter or tag is left out, a missing include renders empty; each is a finding located at `file:line:col`
//!   with the chain of includes that led there (warnings, or recorded errors that fail the
//!   build but let `check` go on);
//! - a source map: `rewrite` numbers the tags and `marks` sentinels written by them are
//!   turned back into a map from output bytes to file positions ([`SourceMap`]), so a
//!   markdown warning after an include still names the right line;
//! - hostile limits, each an error at the tag that passed it, never an abort: includes
//!   nested deeper than [`MAX_DEPTH`], include cycles (named), blocks nested deeper than
//!   `rewrite::MAX_NESTING`, more than `loops::MAX_ITERATIONS` loop iterations (`loops`
//!   iterates ranges without making them into arrays), a filter's value or an output
//!   beyond [`MAX_OUTPUT`], and a render's output beyond it.
//!
//! A body without `{{`, `{%` or `<%` never reaches the engine.
//!
//! Rendering a site's own page (the site theme):
//! ```ignore
//! let engine = liquid::Engine::new(SiteInputs { config, includes, data, sections, loaded, root_files })?;
//! let page = liquid::value(&serde_json::Value::Object(front_matter));
//! let src = liquid::Source { rel: "index.html", full: &text, base: body_offset };
//! let out = engine.render(&src, &[("page", &page)], liquid::Mode::Html)?;
//! // out.text, out.diagnostics (warnings), out.errors (recovered, located errors)
//! ```

mod by_hand;
mod cache;
mod conditions;
mod filters;
mod include;
mod loops;
mod marks;
mod names;
mod numbers;
mod page_replace;
mod rewrite;
mod ruby_filters;
pub mod site;
mod tags;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::error::{LineIndex, Pos, SourceError};
use liquid_core::model::KStringRef;
use liquid_core::runtime::{RuntimeBuilder, Template};
use liquid_core::{Language, ParseFilter, Renderable, Runtime};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use filters::markdown_html;
pub use liquid_core::{Value, ValueView};
pub use site::SiteInputs;

/// A JSON value (front matter, a root page's `page`) as a Liquid value for
/// [`Engine::render`].
pub fn value(json: &serde_json::Value) -> Value {
    liquid_core::model::to_value(json).unwrap_or(Value::Nil)
}

/// Code of the finding that stops a render at a limit.
const LIMIT: &str = "liquid-limit";

/// Nested includes deeper than this are an error (a cycle is caught earlier, by name).
pub const MAX_DEPTH: usize = 32;
/// One doc may not expand beyond this many bytes (an include bomb is an error, not an OOM).
pub const MAX_OUTPUT: usize = 64 << 20;

/// What the rendered text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A doc body (or other markdown) before the markdown stage: the result carries a
    /// source map and `{% highlight %}` becomes a fence.
    Markdown,
    /// An HTML template (a layout or root page): no source map, and `{% highlight %}`
    /// writes Jekyll's `<figure class="highlight">` markup.
    Html,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    files: Vec<String>,
    segments: Vec<marks::Segment>,
}

impl SourceMap {
    /// Site-relative file and byte offset in it for an offset in the expanded text.
    pub fn locate(&self, out: usize) -> (&str, usize) {
        let i = self
            .segments
            .partition_point(|s| s.out <= out)
            .saturating_sub(1);
        match self.segments.get(i) {
            Some(s) => {
                let delta = if s.literal { out - s.out.min(out) } else { 0 };
                (&self.files[s.file], s.src + delta)
            }
            None => (self.files.first().map_or("", |f| f.as_str()), out),
        }
    }
}

#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    pub map: SourceMap,
    /// Every include the text pulled in, directly or not (`_includes`-relative).
    pub includes: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Located errors the render recovered from (a missing include renders empty): the
    /// build fails on them, but every one is reported.
    pub errors: Vec<SourceError>,
}

/// A template to render: the file it is in, and where in that file it starts (a doc's body
/// starts after its front matter), so positions name the file's own lines.
#[derive(Debug, Clone, Copy)]
pub struct Source<'s> {
    /// Site-relative path, `/`-separated.
    pub rel: &'s str,
    /// The whole file.
    pub full: &'s str,
    /// Offset in `full` where the template starts.
    pub base: usize,
}

impl<'s> Source<'s> {
    pub fn text(&self) -> &'s str {
        &self.full[self.base..]
    }
}

/// An include file and its parses (with and without source-map sentinels), made on first
/// use and shared by every render of the build.
pub(crate) struct IncludeFile {
    pub text: String,
    parsed: [OnceLock<Result<Arc<Parsed>, rewrite::Fail>>; 3],
}

pub(crate) struct Parsed {
    pub template: Template,
    /// Unknown tags and filters left out, lax forms repaired: (offset, code, message).
    pub warnings: Vec<rewrite::Warning>,
}

/// What every render of the build shares: the language and the includes.
pub(crate) struct Shared {
    pub lang: Language,
    pub includes: BTreeMap<String, IncludeFile>,
    /// Some include mentions `site` / `page` (then every render may need them).
    includes_mention: [bool; 2],
    /// Whole templates parsed so far (see `cache`).
    templates: Mutex<cache::Templates>,
    /// Parses made, for the tests that a template is parsed once.
    parses: AtomicUsize,
    /// Whole templates rendered, for the tests that a page is rendered no more than it must.
    pub(crate) renders: AtomicUsize,
    /// Text the root pages replace in each doc's `content_markdown` (`page_replace`).
    prose_replace: Vec<(String, String)>,
}

thread_local! {
    /// The numbered tags of the source being parsed, for endpaper's tags to pick up.
    static PARSING: RefCell<Vec<rewrite::TagInfo>> = const { RefCell::new(Vec::new()) };
}

/// The source info of tag `n` of the template being parsed.
pub(crate) fn parsing_tag(n: usize) -> rewrite::TagInfo {
    PARSING.with(|t| t.borrow().get(n).cloned().unwrap_or_default())
}

impl Shared {
    pub fn parse(&self, src: &str, variant: rewrite::Variant) -> Result<Parsed, rewrite::Fail> {
        self.parses.fetch_add(1, Ordering::Relaxed);
        let mut rw = rewrite::rewrite(src, &self.lang, variant)?;
        // Comment bodies are parsed for their errors, as Ruby parses them, and dropped.
        for (from, mut check) in std::mem::take(&mut rw.checks) {
            self.parse_rewritten(&mut check)
                .map_err(|(at, msg)| (from + at, msg))?;
        }
        let template = self.parse_rewritten(&mut rw)?;
        Ok(Parsed {
            template,
            warnings: rw.warnings,
        })
    }

    /// The `liquid` parser over rewritten text; an error located in the source.
    fn parse_rewritten(&self, rw: &mut rewrite::Rewritten) -> Result<Template, rewrite::Fail> {
        let outer = PARSING.with(|t| t.replace(std::mem::take(&mut rw.tags)));
        let parsed = liquid_core::parser::parse(&rw.text, &self.lang);
        let ours = PARSING.with(|t| t.replace(outer));
        match parsed {
            Ok(elements) => Ok(Template::new(elements)),
            Err(e) => {
                let text = e.to_string();
                let at = pest_position(&text)
                    .map(|p| rw.original(LineIndex::new(&rw.text).offset(p)))
                    .or_else(|| tag_hint(&text, &ours))
                    .unwrap_or(0);
                Err((at, format!("Liquid syntax error: {}", error_message(&text))))
            }
        }
    }

    pub fn include(
        &self,
        name: &str,
        variant: rewrite::Variant,
    ) -> Option<Result<Arc<Parsed>, rewrite::Fail>> {
        let file = self.includes.get(name)?;
        let cell = &file.parsed[variant as usize];
        Some(
            cell.get_or_init(|| self.parse(&file.text, variant).map(Arc::new))
                .clone(),
        )
    }
}

/// `--> line:col` of a pest error message.
fn pest_position(text: &str) -> Option<Pos> {
    let at = text.find("--> ")?;
    let rest = &text[at + 4..];
    let (line, rest) = rest.split_once(':')?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Pos::new(line.trim().parse().ok()?, col.parse().ok()?))
}

/// For errors the parser gives no position: the endpaper tag the message names.
fn tag_hint(text: &str, tags: &[rewrite::TagInfo]) -> Option<usize> {
    let n: usize = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())?
        .parse()
        .ok()?;
    tags.get(n).map(|t| t.start)
}

/// The message of a `liquid` error without its source excerpt and context lines.
pub(crate) fn error_message(text: &str) -> String {
    let pest = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_string);
    let head = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("liquid: ")
        .trim()
        .to_string();
    let detail: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            [
                "requested variable=",
                "requested index=",
                "requested filter=",
                "requested=",
            ]
            .iter()
            .find_map(|k| l.strip_prefix(k))
            .map(|v| format!("`{v}`"))
        })
        .collect();
    let mut msg = pest.unwrap_or(head);
    if !detail.is_empty() {
        msg = format!("{msg}: {}", detail.join(", "));
    }
    msg
}

/// One finding of a render, located by (file id, offset in that file's template).
#[derive(Debug)]
pub(crate) struct Finding {
    pub error: bool,
    pub code: &'static str,
    pub at: (usize, usize),
    /// Text to search for in the file when the offset is unknown (a `liquid` render error).
    pub hint: Option<String>,
    pub chain: Vec<(usize, usize)>,
    pub msg: String,
}

pub(crate) struct Frame {
    pub file: usize,
    pub caller: (usize, usize),
    pub name: String,
    /// Bytes of nested includes inside this one (so each byte is counted once).
    pub children: usize,
}

/// Per-render state, kept in the runtime's registers for endpaper's tags.
pub(crate) struct State {
    pub shared: Arc<Shared>,
    pub mode: Mode,
    /// File names by id; 0 is the rendered file.
    pub files: Vec<String>,
    pub stack: Vec<Frame>,
    pub includes: BTreeSet<String>,
    pub findings: Vec<Finding>,
    pub include_bytes: usize,
    /// Offset of the output or `assign` tag evaluated, where a filter's limit is reported.
    pub at: usize,
    /// Loop iterations so far (see [`loops::MAX_ITERATIONS`]).
    pub iterations: usize,
    /// Set when the render must stop (a limit): the finding is an error.
    pub fatal: bool,
}

impl State {
    /// (file id, offset) of offset `at` in the file being rendered now.
    pub fn here(&self, at: usize) -> (usize, usize) {
        (self.stack.last().map_or(0, |f| f.file), at)
    }

    pub fn chain(&self) -> Vec<(usize, usize)> {
        self.stack.iter().map(|f| f.caller).collect()
    }

    pub fn file_id(&mut self, name: String) -> usize {
        match self.files.iter().position(|f| *f == name) {
            Some(i) => i,
            None => {
                self.files.push(name);
                self.files.len() - 1
            }
        }
    }

    /// Stops the render: a limit was passed at offset `at` of the file being rendered.
    pub fn limit(&mut self, at: usize, msg: String) {
        if !self.fatal {
            self.fatal = true;
            self.add(true, LIMIT, at, msg);
        }
    }

    pub fn add(&mut self, error: bool, code: &'static str, at: usize, msg: String) {
        let finding = Finding {
            error,
            code,
            at: self.here(at),
            hint: None,
            chain: self.chain(),
            msg,
        };
        self.findings.push(finding);
    }
}

#[derive(Default)]
pub(crate) struct Register(pub Option<Box<State>>);

/// Variables looked up and not found since the last [`take_misses`].
#[derive(Default)]
pub(crate) struct Misses(pub Vec<Vec<liquid_core::model::Scalar>>);

pub(crate) fn take_misses(rt: &dyn Runtime) -> Vec<Vec<liquid_core::model::Scalar>> {
    std::mem::take(&mut rt.registers().get_mut::<Misses>().0)
}

/// The known name a misspelt `word` most likely meant: the crate's one "did you mean"
/// ([`crate::diagnostics::closest`]), kept only when it is also a few edits away, so a
/// plugin's `replace_regex` is not taken for a typo of `replace`.
pub(crate) fn likely<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    crate::diagnostics::closest(&lower, candidates, |c| c).filter(|c| {
        *c != word
            && strsim::osa_distance(&lower, &c.to_lowercase()) <= (word.chars().count() / 3).max(1)
    })
}

/// `; did you mean `x`?` for the [`likely`] one of `candidates`, or nothing.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    likely(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// `a.b.c` as written.
pub(crate) fn path_name(path: &[liquid_core::model::Scalar]) -> String {
    let names: Vec<String> = path
        .iter()
        .map(|p| {
            let name = p.to_kstr();
            names::unescape(name.as_str()).unwrap_or_else(|| name.to_string())
        })
        .collect();
    names.join(".")
}

/// The path the writer most likely meant by a `path` that is not there (looked up in
/// `rt`): the first missing name replaced by the closest key of what holds it
/// (`site.apiurl` → `site.api_url`). Only asked for when a miss is reported, so a
/// condition that tests for a key costs nothing.
pub(crate) fn suggest_path(
    rt: &dyn Runtime,
    path: &[liquid_core::model::Scalar],
) -> Option<String> {
    let mut found = 0;
    while found < path.len() && rt.try_get(&path[..=found]).is_some() {
        found += 1;
    }
    let keys: Vec<String> = if found == 0 {
        rt.roots().iter().map(|k| k.to_string()).collect()
    } else {
        let holder = rt.try_get(&path[..found])?;
        let object = holder.as_object()?;
        object.keys().map(|k| k.to_string()).collect()
    };
    let missing = path.get(found)?.to_kstr();
    let best = likely(missing.as_str(), keys.iter().map(String::as_str))?;
    let mut fixed: Vec<String> = path[..found]
        .iter()
        .map(|p| p.to_kstr().to_string())
        .collect();
    fixed.push(best.to_string());
    Some(fixed.join("."))
}

/// Names set by `assign`, `capture` or `increment` in this render. As in Ruby Liquid, where
/// they go to a scope searched before the variables a render is given, they hide a given
/// variable of the same name (`{% assign content = content | replace: … %}` in a layout).
#[derive(Default)]
pub(crate) struct Assigned(pub std::collections::HashSet<String>);

fn assigned(rt: &dyn Runtime, name: &str) -> bool {
    rt.registers().get_mut::<Assigned>().0.contains(name)
}

/// A frame of variables (the globals, an include's `include`) where a missing variable is
/// nil, as in Jekyll, and is noted so the tag that asked can warn about it. Without it a
/// `{% for x in site.nope %}` would stop the whole render.
///
/// A loop's frame (its item, `forloop`) is one too, made by [`Lenient::scope`]: a missing
/// key of a loop item is then nil to the filters (`{{ d.nope | default: d.name }}`), as in
/// Ruby Liquid, where `liquid_core`'s strict `StackFrame` failed the whole expression.
pub(crate) struct Lenient<P, O> {
    parent: P,
    data: O,
    /// Whether `data` is a block's own scope, which an `assign` does not hide (Ruby assigns
    /// to the outermost scope and looks up the innermost first).
    scope: bool,
}

impl<P: Runtime, O: liquid_core::ObjectView> Lenient<P, O> {
    pub fn new(parent: P, data: O) -> Self {
        Lenient {
            parent,
            data,
            scope: false,
        }
    }

    /// A block's scope of variables (a loop's item and `forloop`), in front of `parent`.
    pub fn scope(parent: P, data: O) -> Self {
        Lenient {
            parent,
            data,
            scope: true,
        }
    }
}

impl<P: Runtime, O: liquid_core::ObjectView> Runtime for Lenient<P, O> {
    fn partials(&self) -> &dyn liquid_core::runtime::PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> BTreeSet<liquid_core::model::KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.extend(self.data.keys());
        roots
    }
    fn try_get(
        &self,
        path: &[liquid_core::model::ScalarCow<'_>],
    ) -> Option<liquid_core::ValueCow<'_>> {
        let key = path.first()?.to_kstr();
        let found = if self.data.contains_key(key.as_str())
            && (self.scope || !assigned(self, key.as_str()))
        {
            liquid_core::model::try_find(self.data.as_value(), path)
        } else {
            self.parent.try_get(path).or_else(|| {
                // A name the parser could not read as written (`bar?`), given by the caller.
                let name = names::unescape(key.as_str())?;
                let mut real = path.to_vec();
                real[0] = liquid_core::model::ScalarCow::new(name);
                let v = liquid_core::model::try_find(self.data.as_value(), &real)?;
                Some(liquid_core::ValueCow::Owned(v.into_owned()))
            })
        };
        match path.split_last() {
            // Ruby's `hash.first` (a hash is enumerable): its first pair, as a loop goes.
            Some((last, holder))
                if found.is_none() && !holder.is_empty() && last.to_kstr() == "first" =>
            {
                let holder = self.try_get(holder)?;
                holder.as_object()?;
                Some(liquid_core::ValueCow::Owned(ruby_filters::end_of(
                    holder.as_view(),
                    false,
                )))
            }
            _ => found,
        }
    }
    fn get(
        &self,
        path: &[liquid_core::model::ScalarCow<'_>],
    ) -> liquid_core::Result<liquid_core::ValueCow<'_>> {
        Ok(or_missed(self, path, self.try_get(path)))
    }
    fn set_global(&self, name: liquid_core::model::KString, val: Value) -> Option<Value> {
        self.registers()
            .get_mut::<Assigned>()
            .0
            .insert(name.to_string());
        self.parent.set_global(name, val)
    }
    fn set_index(&self, name: liquid_core::model::KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }
    fn get_index<'a>(&'a self, name: &str) -> Option<liquid_core::ValueCow<'a>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &liquid_core::runtime::Registers {
        self.parent.registers()
    }
}

/// A value looked up, or nil, with `path` noted as missed so the tag that asked can warn.
pub(crate) fn or_missed<'v>(
    rt: &dyn Runtime,
    path: &[liquid_core::model::ScalarCow<'_>],
    found: Option<liquid_core::ValueCow<'v>>,
) -> liquid_core::ValueCow<'v> {
    found.unwrap_or_else(|| {
        let path = path.iter().map(|p| p.clone().into_owned()).collect();
        rt.registers().get_mut::<Misses>().0.push(path);
        liquid_core::ValueCow::Owned(Value::Nil)
    })
}

/// Runs `f` on the render state (endpaper's tags only run inside [`Engine::render`]).
pub(crate) fn with_state<R>(rt: &dyn Runtime, f: impl FnOnce(&mut State) -> R) -> Option<R> {
    let mut reg = rt.registers().get_mut::<Register>();
    reg.0.as_deref_mut().map(f)
}

/// The engine of one build: the language, the includes, the site model.
pub struct Engine<'a> {
    pub(crate) shared: Arc<Shared>,
    inputs: SiteInputs<'a>,
    data: Value,
    orders: Arc<site::FrontOrders>,
    site: OnceLock<site::SiteView<'static>>,
    /// `site.pages` and `site.static_files`, read once for every site model of the build.
    files: OnceLock<site::RootFiles>,
}

impl<'a> Engine<'a> {
    /// Builds the engine; reads `_data` files (a malformed one is a located error).
    pub fn new(inputs: SiteInputs<'a>) -> Result<Self, SourceError> {
        let data = site::data(inputs.data)?;
        let includes = inputs
            .includes
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    IncludeFile {
                        text: v.clone(),
                        parsed: Default::default(),
                    },
                )
            })
            .collect();
        let mention = |w: &str| inputs.includes.values().any(|t| t.contains(w));
        Ok(Engine {
            shared: Arc::new(Shared {
                lang: language(),
                includes,
                includes_mention: [mention("site"), mention("page")],
                templates: Mutex::default(),
                parses: AtomicUsize::new(0),
                renders: AtomicUsize::new(0),
                prose_replace: inputs.loaded.map_or_else(Vec::new, |l| {
                    page_replace::prose_replacements(&l.pages, &inputs.config.raw)
                }),
            }),
            orders: Arc::new(site::FrontOrders::new(&inputs)),
            inputs,
            data,
            site: OnceLock::new(),
            files: OnceLock::new(),
        })
    }

    /// An engine for a site with nothing but includes (tests, fuzzing).
    pub fn with_includes(config: &'a Config, includes: &'a BTreeMap<String, String>) -> Self {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        Engine::new(SiteInputs {
            config,
            includes,
            data: &EMPTY,
            sections: &[],
            loaded: None,
            root_files: None,
        })
        .expect("no data files, no data errors")
    }

    /// A doc's `content_markdown` with the text the site's root pages replace in it before
    /// they render it (`{{ doc.content_markdown | replace: "!ORG!", site.org | markdownify }}`:
    /// see `page_replace` for which replacements count).
    pub fn page_replaced<'t>(&self, md: &'t str) -> std::borrow::Cow<'t, str> {
        let mut out = std::borrow::Cow::Borrowed(md);
        for (search, with) in &self.shared.prose_replace {
            if out.contains(search.as_str()) {
                out = std::borrow::Cow::Owned(out.replace(search.as_str(), with));
            }
        }
        out
    }

    /// The (search, replacement) pairs [`Engine::page_replaced`] applies.
    pub fn prose_replacements(&self) -> &[(String, String)] {
        &self.shared.prose_replace
    }

    /// The site's `_config.yml`.
    pub fn config(&self) -> &'a Config {
        self.inputs.config
    }

    /// `site`: `_config.yml`, `data`, `collections` and each collection's docs, made on the
    /// first render that needs it.
    pub fn site(&self) -> &site::SiteView<'static> {
        self.site
            .get_or_init(|| self.site_with(site::Content::Body).into_owned())
    }

    /// A new `site` whose docs' `content` is as `content` says (see [`site::Content`]), for
    /// a caller that fills it itself or reads only which docs a page lists. Pass it to
    /// [`Engine::render`] as `site`; unlike [`Engine::site`] it is not kept.
    pub fn site_with(&self, content: site::Content) -> site::SiteView<'a> {
        let files = self
            .files
            .get_or_init(|| match (self.inputs.loaded, self.inputs.root_files) {
                (Some(loaded), Some(make)) => make(loaded),
                _ => site::RootFiles::default(),
            });
        site::site(&self.inputs, &self.data, files, content, &self.orders)
    }

    /// `page` for a doc whose whole file text is `text`: its front matter and Jekyll's fields.
    pub fn page(&self, doc: &crate::model::Doc, text: &str) -> Value {
        site::doc_with_text(doc, site::Content::Body, text, &self.orders)
    }

    /// Whether rendering `text` may read the global `name` (`site` or `page`): building
    /// `site` (every doc) or `page` costs, and most docs only include files.
    pub fn may_read(&self, text: &str, name: &str) -> bool {
        let i = usize::from(name == "page");
        text.contains(name) || self.shared.includes_mention[i]
    }

    /// Text of `_includes/NAME`, if the site has it.
    pub fn include_text(&self, name: &str) -> Option<&str> {
        self.shared.includes.get(name).map(|f| f.text.as_str())
    }

    /// Renders `src` with `site` and the given variables (`page`, `content`, `layout`, …).
    /// `Err` is a failure to parse the template itself or an include bomb; everything else
    /// is recorded in the result.
    pub fn render(
        &self,
        src: &Source,
        vars: &[(&str, &dyn ValueView)],
        mode: Mode,
    ) -> Result<Expanded, SourceError> {
        self.shared.renders.fetch_add(1, Ordering::Relaxed);
        let text = src.text();
        let here = |at: usize, msg: String| {
            SourceError::new(src.rel, Pos::of_offset(src.full, src.base + at), msg)
        };
        if text.len() > MAX_OUTPUT {
            return Err(here(0, too_big(false)));
        }
        let mut ex = Expanded::default();
        ex.map.files.push(src.rel.to_string());
        if !has_liquid(text) {
            ex.text = text.to_string();
            ex.map.segments.push(marks::Segment {
                out: 0,
                file: 0,
                src: src.base,
                literal: true,
            });
            return Ok(ex);
        }
        let variant = match mode {
            Mode::Markdown => rewrite::Variant::Mapped,
            Mode::Html => rewrite::Variant::Spans,
        };
        // A doc body is rendered once; a page or layout again for each reading of it.
        let parsed = match mode {
            Mode::Markdown => self.shared.parse(text, variant).map(Arc::new),
            Mode::Html => self.shared.parse_cached(text, variant),
        }
        .map_err(|(at, msg)| here(at, msg))?;
        let mut globals: HashMap<KStringRef<'_>, &dyn ValueView> = HashMap::new();
        // A caller's own `site` replaces the engine's, which is then not built at all.
        if self.may_read(text, "site") && !vars.iter().any(|(k, _)| *k == "site") {
            globals.insert("site".into(), self.site());
        }
        for (k, v) in vars {
            globals.insert((*k).into(), *v);
        }
        let base = RuntimeBuilder::new().build();
        let rt = Lenient::new(&base, &globals);
        rt.registers().get_mut::<Register>().0 = Some(Box::new(State {
            shared: Arc::clone(&self.shared),
            mode,
            files: vec![src.rel.to_string()],
            stack: Vec::new(),
            includes: BTreeSet::new(),
            findings: parsed
                .warnings
                .iter()
                .map(|(at, code, msg)| Finding {
                    error: false,
                    code,
                    at: (0, *at),
                    hint: None,
                    chain: Vec::new(),
                    msg: msg.clone(),
                })
                .collect(),
            include_bytes: 0,
            at: 0,
            iterations: 0,
            fatal: false,
        }));
        let mut out = Capped(Vec::with_capacity(text.len() + text.len() / 4));
        let result = parsed.template.render_to(&mut out, &rt);
        let raw_len = out.0.len();
        let out = out.0;
        let mut state = rt
            .registers()
            .get_mut::<Register>()
            .0
            .take()
            .expect("state set above");
        if let Err(e) = result {
            if !state.fatal {
                let text = e.to_string();
                state.findings.push(Finding {
                    error: true,
                    code: "liquid-error",
                    at: (0, usize::MAX),
                    hint: render_error_hint(&text),
                    chain: Vec::new(),
                    msg: format!("Liquid error: {}", error_message(&text)),
                });
            }
        }
        let raw = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let template_of = |id: usize| -> &str {
            if id == 0 {
                text
            } else {
                state.files[id]
                    .strip_prefix("_includes/")
                    .and_then(|n| self.include_text(n))
                    .unwrap_or("")
            }
        };
        let (text_out, segments) =
            marks::unmark(&raw, |f| if f == 0 { src.base } else { 0 }, template_of);
        // Locate findings: one line index per file.
        let mut indexes: HashMap<usize, LineIndex<'_>> = HashMap::new();
        let file_text = |id: usize| -> &str {
            if id == 0 {
                src.full
            } else {
                state.files[id]
                    .strip_prefix("_includes/")
                    .and_then(|n| self.include_text(n))
                    .unwrap_or("")
            }
        };
        let base = |id: usize| if id == 0 { src.base } else { 0 };
        let mut locate = |(id, at): (usize, usize), hint: Option<&str>| -> (PathBuf, Pos) {
            let t = file_text(id);
            let at = if at == usize::MAX {
                hint.and_then(|h| t[base(id)..].find(h)).unwrap_or(0)
            } else {
                at
            };
            let index = indexes.entry(id).or_insert_with(|| LineIndex::new(t));
            let off = (base(id) + at).min(t.len());
            (PathBuf::from(&state.files[id]), index.pos(off))
        };
        let mut fatal = None;
        for f in &state.findings {
            let (file, pos) = locate(f.at, f.hint.as_deref());
            let chain: Vec<(PathBuf, Pos)> = f.chain.iter().map(|c| locate(*c, None)).collect();
            if f.error {
                let e = SourceError::new(file, pos, f.msg.clone()).with_chain(chain);
                if state.fatal && fatal.is_none() && matches!(f.code, "include-limit" | LIMIT) {
                    fatal = Some(e);
                } else {
                    ex.errors.push(e);
                }
            } else {
                let msg = format!("{}{}", f.msg, crate::error::included_from(&chain));
                ex.diagnostics
                    .push(Diagnostic::warning(f.code, file, pos, msg));
            }
        }
        if let Some(e) = fatal {
            return Err(e);
        }
        if text_out.len() > MAX_OUTPUT || raw_len > MAX_OUTPUT {
            let msg = if state.includes.is_empty() {
                format!(
                    "this doc's Liquid wrote more than {} MiB; is a loop larger than meant?",
                    MAX_OUTPUT >> 20
                )
            } else {
                too_big(true)
            };
            return Err(here(0, msg));
        }
        ex.text = text_out;
        ex.map.files = std::mem::take(&mut state.files);
        ex.map.segments = segments;
        ex.includes = std::mem::take(&mut state.includes);
        Ok(ex)
    }
}

/// The render's output, which refuses to grow past [`MAX_OUTPUT`] (the render then stops
/// and its caller reports the limit).
struct Capped(Vec<u8>);

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            self.0
                .extend_from_slice(&buf[..MAX_OUTPUT + 1 - self.0.len().min(MAX_OUTPUT)]);
            return Err(std::io::Error::other("output limit"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether a text has anything for the engine to do.
pub fn has_liquid(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("<%")
}

pub(crate) fn too_big(includes: bool) -> String {
    if includes {
        format!(
            "expanding includes produced more than {} MiB; is an include pasted too many times?",
            MAX_OUTPUT >> 20
        )
    } else {
        format!(
            "this doc is larger than {} MiB; split it into several docs",
            MAX_OUTPUT >> 20
        )
    }
}

/// The innermost `{% tag … %}` a `liquid` render error names, to find it in the source.
pub(crate) fn render_error_hint(text: &str) -> Option<String> {
    text.lines().rev().find_map(|l| {
        let a = l.find("{%")?;
        let b = l[a..].find("%}")? + a;
        let inner = l[a + 2..b].trim();
        let word = inner.split_whitespace().next()?;
        Some(word.to_string()).filter(|w| !w.is_empty()).map(|w| {
            // `for x in y` is searched as written up to its first argument.
            let mut parts = inner.split_whitespace();
            let first = parts.next().unwrap_or(&w).to_string();
            match parts.next() {
                Some(second) => format!("{first} {second}"),
                None => first,
            }
        })
    })
}

/// The language of every build: Liquid's standard library, Jekyll's filters, endpaper's tags.
fn language() -> Language {
    use liquid_lib::{jekyll, stdlib};
    let mut l = Language::default();
    macro_rules! tags { ($($t:expr),*) => { $( { let t: Box<dyn liquid_core::ParseTag> = Box::new($t); l.tags.register(t.reflection().tag().to_owned(), t); } )* } }
    macro_rules! blocks { ($($t:expr),*) => { $( { let t: Box<dyn liquid_core::ParseBlock> = Box::new($t); l.blocks.register(t.reflection().start_tag().to_owned(), t); } )* } }
    macro_rules! filters { ($($t:expr),*) => { $( { let t: Box<dyn liquid_core::ParseFilter> = Box::new(filters::Limited(Box::new($t))); l.filters.register(t.reflection().name().to_owned(), t); } )* } }
    tags!(
        stdlib::BreakTag,
        stdlib::ContinueTag,
        tags::Tolerant(tags::CycleTag),
        stdlib::IncrementTag,
        stdlib::DecrementTag,
        tags::AssignTag,
        include::IncludeTag,
        include::RenderTag,
        tags::OutputTag
    );
    blocks!(
        stdlib::RawBlock,
        tags::Tolerant(conditions::IfBlock::IF),
        tags::Tolerant(conditions::IfBlock::UNLESS),
        stdlib::IfChangedBlock,
        tags::Tolerant(loops::LoopBlock::FOR),
        tags::Tolerant(loops::LoopBlock::TABLEROW),
        stdlib::CommentBlock,
        stdlib::CaptureBlock,
        tags::Tolerant(conditions::CaseBlock),
        tags::HighlightBlock
    );
    filters!(
        stdlib::Append,
        stdlib::Capitalize,
        ruby_filters::DefaultFilter,
        stdlib::Downcase,
        stdlib::Escape,
        stdlib::EscapeOnce,
        stdlib::Lstrip,
        stdlib::Prepend,
        stdlib::Remove,
        stdlib::RemoveFirst,
        stdlib::ReplaceFirst,
        stdlib::Rstrip,
        stdlib::Size,
        stdlib::Strip,
        stdlib::StripNewlines,
        stdlib::Truncate,
        stdlib::Upcase,
        stdlib::UrlDecode,
        jekyll::Push,
        jekyll::Pop,
        jekyll::Unshift,
        jekyll::Shift,
        jekyll::ArrayToSentenceString,
        by_hand::slugify(),
        by_hand::strip_html()
    );
    let ours = [
        filters::jekyll(),
        numbers::filters(),
        filters::base64(),
        ruby_filters::last_of(),
        ruby_filters::ruby_lists(),
        ruby_filters::ruby_more(),
    ];
    for f in ours.into_iter().flatten() {
        l.filters.register(
            f.reflection().name().to_owned(),
            Box::new(filters::Limited(Box::new(f))),
        );
    }
    l
}

#[cfg(test)]
mod tests;
