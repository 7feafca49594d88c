//! Expand includes: the Liquid that Jekyll runs over a doc body before markdown.
//! Supported: `{% include path k="v" %}` (also `<% include path %>` outside code fences),
//! `{{ site.x }}` / `{{ page.x }}` / `{{ include.x }}` with a few common filters,
//! `{% raw %}`, `{% comment %}`, `{% highlight lang %}` (becomes a fence). Each include file is
//! tokenised once per build and shared across threads. Output carries a source map so later
//! stages can name the file, line and column of anything they find.

use crate::diagnostics::Diagnostic;
use crate::error::{LineIndex, Pos, SourceError};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Nested includes deeper than this are an error (a cycle is caught earlier, by name).
pub const MAX_DEPTH: usize = 32;
/// One doc may not expand beyond this many bytes (an include bomb is an error, not an OOM).
pub const MAX_OUTPUT: usize = 64 << 20;
/// Failed include tags recorded in one doc before it is given up.
pub const MAX_ERRORS: usize = 100;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// Byte range of literal text in the file.
    Text(usize, usize),
    Output {
        expr: String,
        at: usize,
    },
    Tag {
        name: String,
        args: String,
        at: usize,
        trim_left: bool,
        trim_right: bool,
    },
    /// Text that must not be interpreted (`{% raw %}`), as a range.
    Raw(usize, usize),
}

/// An include's tokens, computed on first use and shared by every doc that includes it.
type Parsed = OnceLock<Result<Vec<Token>, SourceError>>;

/// The `_includes` folder, each file tokenised on first use.
#[derive(Debug, Default)]
pub struct Includes {
    files: BTreeMap<String, (String, Parsed)>,
}

impl Includes {
    pub fn new(files: BTreeMap<String, String>) -> Self {
        Includes {
            files: files
                .into_iter()
                .map(|(k, v)| (k, (v, OnceLock::new())))
                .collect(),
        }
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|(t, _)| t.as_str())
    }

    fn tokens(&self, name: &str) -> Option<(&str, Result<&[Token], SourceError>)> {
        let (text, cell) = self.files.get(name)?;
        let toks = cell.get_or_init(|| tokenize(text, &format!("_includes/{name}")));
        Some((text.as_str(), toks.as_deref().map_err(Clone::clone)))
    }
}

/// Where a run of output bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    out: usize,
    file: usize,
    src: usize,
    /// Literal text maps byte for byte; substituted text maps to its tag.
    literal: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    files: Vec<String>,
    segments: Vec<Segment>,
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
    /// Include tags that failed (missing file, cycle, bad path …): each became empty text
    /// and expansion went on, so one run finds every broken include. Any makes the doc
    /// fail to build.
    pub errors: Vec<SourceError>,
}

pub struct Context<'a> {
    pub includes: &'a Includes,
    /// `_config.yml` as a JSON object.
    pub site: &'a Value,
    /// The doc's front matter as a JSON object.
    pub page: &'a Value,
}

/// Expands `text`, the body of the file `rel` (site-relative), which starts at byte `base`
/// of that file (so positions come out right for bodies under front matter).
pub fn expand<'t>(
    text: &'t str,
    rel: &str,
    base: usize,
    full: &'t str,
    cx: &Context<'t>,
) -> Result<Expanded, SourceError> {
    let tokens = tokenize(text, rel).map_err(|e| relocate(e, full, base, text))?;
    let mut ex = Expander {
        out: Expanded::default(),
        cx,
        stack: Vec::new(),
        index: RefCell::default(),
    };
    ex.out.map.files.push(rel.to_string());
    ex.run(&tokens, text, 0, base, &Value::Null, rel, full)?;
    Ok(ex.out)
}

/// Positions from tokenising a body are body-relative; make them file-relative.
fn relocate(mut e: SourceError, full: &str, base: usize, body: &str) -> SourceError {
    let off = LineIndex::new(body).offset(e.pos);
    e.pos = Pos::of_offset(full, base + off);
    e
}

struct Expander<'t, 'c> {
    out: Expanded,
    cx: &'c Context<'t>,
    /// Include tags that led to the file being expanded: (file, position).
    stack: Vec<(String, Pos, String)>,
    /// Line indexes of the doc and its includes, by text address: a doc with thousands
    /// of includes or tags located each by scanning its file, which was quadratic.
    index: RefCell<HashMap<(usize, usize), LineIndex<'t>>>,
}

impl<'t> Expander<'t, '_> {
    fn pos(&self, full: &'t str, at: usize) -> Pos {
        self.index
            .borrow_mut()
            .entry((full.as_ptr() as usize, full.len()))
            .or_insert_with(|| LineIndex::new(full))
            .pos(at)
    }

    fn chain(&self) -> Vec<(PathBuf, Pos)> {
        self.stack
            .iter()
            .map(|(f, p, _)| (PathBuf::from(f), *p))
            .collect()
    }

    fn err(&self, file: &str, full: &'t str, at: usize, msg: String) -> SourceError {
        SourceError::new(file, self.pos(full, at), msg).with_chain(self.chain())
    }

    fn push(&mut self, s: &str, file_idx: usize, src: usize, literal: bool) {
        if s.is_empty() {
            return;
        }
        self.out.map.segments.push(Segment {
            out: self.out.text.len(),
            file: file_idx,
            src,
            literal,
        });
        self.out.text.push_str(s);
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        tokens: &[Token],
        text: &'t str,
        file_idx: usize,
        base: usize,
        include_args: &Value,
        file: &str,
        full: &'t str,
    ) -> Result<(), SourceError> {
        let mut i = 0;
        let mut trim_next = false;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Text(a, b) | Token::Raw(a, b) => {
                    let mut s = &text[*a..*b];
                    let mut start = *a;
                    if trim_next {
                        let t = s.trim_start();
                        start += s.len() - t.len();
                        s = t;
                    }
                    self.push(s, file_idx, base + start, true);
                }
                Token::Output { expr, at } => {
                    let v = self.eval_output(expr, include_args, file, full, base + at)?;
                    self.push(&v, file_idx, base + at, false);
                }
                Token::Tag {
                    name,
                    args,
                    at,
                    trim_left,
                    trim_right,
                } => {
                    if *trim_left {
                        let keep = self.out.text.trim_end().len();
                        self.out.text.truncate(keep);
                        // Segments are in output order: drop from the end only (a `retain`
                        // over all of them per tag was quadratic in docs with many tags).
                        let segments = &mut self.out.map.segments;
                        while segments.last().is_some_and(|s| s.out >= keep.max(1)) {
                            segments.pop();
                        }
                    }
                    let at = base + at;
                    match name.as_str() {
                        "include" => self.include(args, include_args, file, full, at)?,
                        "highlight" => {
                            // `{% highlight lang %}…{% endhighlight %}` → a fence kramdown reads.
                            let lang = args.split_whitespace().next().unwrap_or("");
                            let end = tokens[i..].iter().position(
                                |t| matches!(t, Token::Tag { name, .. } if name == "endhighlight"),
                            );
                            let Some(end) = end else {
                                return Err(self.err(
                                    file,
                                    full,
                                    at,
                                    "`{% highlight %}` is never closed by `{% endhighlight %}`"
                                        .into(),
                                ));
                            };
                            self.push(&format!("~~~ {lang}\n"), file_idx, at, false);
                            for t in &tokens[i + 1..i + end] {
                                if let Token::Text(a, b) | Token::Raw(a, b) = t {
                                    let s = text[*a..*b].trim_start_matches('\n');
                                    self.push(s, file_idx, base + b - s.len(), true);
                                }
                            }
                            if !self.out.text.ends_with('\n') {
                                self.out.text.push('\n');
                            }
                            self.push("~~~\n", file_idx, at, false);
                            i += end;
                        }
                        "endhighlight" => {}
                        other => {
                            self.out.diagnostics.push(Diagnostic::warning(
                                "unsupported-liquid",
                                file,
                                self.pos(full, at),
                                format!("Liquid tag `{other}` is not supported by endpaper and was left out"),
                            ));
                        }
                    }
                    trim_next = *trim_right;
                    i += 1;
                    continue;
                }
            }
            trim_next = false;
            i += 1;
            if self.out.text.len() > MAX_OUTPUT {
                return Err(self.err(
                    file,
                    full,
                    base,
                    if self.out.includes.is_empty() {
                        format!("this doc is larger than {} MiB; split it into several docs", MAX_OUTPUT >> 20)
                    } else {
                        format!("expanding includes produced more than {} MiB; is an include pasted too many times?", MAX_OUTPUT >> 20)
                    },
                ));
            }
        }
        Ok(())
    }

    /// Records a failed include tag (it becomes empty text) and goes on; past
    /// [`MAX_ERRORS`] the doc is given up, so a fan-out of broken includes cannot run long.
    fn skip(&mut self, e: SourceError) -> Result<(), SourceError> {
        if self.out.errors.len() >= MAX_ERRORS {
            return Err(e);
        }
        self.out.errors.push(e);
        Ok(())
    }

    fn include(
        &mut self,
        args: &str,
        caller_args: &Value,
        file: &str,
        full: &'t str,
        at: usize,
    ) -> Result<(), SourceError> {
        let (path, params) = split_include_args(args);
        if path.is_empty() {
            return self.skip(self.err(
                file,
                full,
                at,
                "`{% include %}` needs a file name: `{% include objects/contact.md %}`".into(),
            ));
        }
        if path.contains("{{") {
            return self.skip(self.err(
                file,
                full,
                at,
                format!("dynamic include path `{path}` is not supported; name the file"),
            ));
        }
        if path.starts_with('/')
            || path.starts_with('\\')
            || path.split(['/', '\\']).any(|c| c == "..")
        {
            return self.skip(self.err(
                file,
                full,
                at,
                format!("include path `{path}` leaves `_includes/`; use a path inside it"),
            ));
        }
        let pos = self.pos(full, at);
        if self.stack.iter().any(|(_, _, name)| name == path) || file == format!("_includes/{path}")
        {
            let mut cycle: Vec<String> = self.stack.iter().map(|(_, _, n)| n.clone()).collect();
            cycle.push(path.to_string());
            return self.skip(self.err(
                file,
                full,
                at,
                format!("include cycle: {}", cycle.join(" → ")),
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return self.skip(self.err(
                file,
                full,
                at,
                format!("includes nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let Some((inc_text, tokens)) = self.cx.includes.tokens(path) else {
            // Recorded, so the doc is rebuilt when the file appears.
            self.out.includes.insert(path.to_string());
            return self.skip(self.err(
                file,
                full,
                at,
                format!("include file `_includes/{path}` not found"),
            ));
        };
        self.out.includes.insert(path.to_string());
        let tokens = match tokens {
            Ok(t) => t,
            Err(e) => {
                let mut c = self.chain();
                c.push((PathBuf::from(file), pos));
                return self.skip(e.with_chain(c));
            }
        };
        let mut values = serde_json::Map::new();
        for (k, v) in params {
            let value = match literal(&v) {
                Some(s) => Value::String(s),
                None => self.lookup(&v, caller_args).cloned().unwrap_or(Value::Null),
            };
            values.insert(k, value);
        }
        let inc_file = format!("_includes/{path}");
        let idx = match self.out.map.files.iter().position(|f| *f == inc_file) {
            Some(i) => i,
            None => {
                self.out.map.files.push(inc_file.clone());
                self.out.map.files.len() - 1
            }
        };
        self.stack.push((file.to_string(), pos, path.to_string()));
        let r = self.run(
            tokens,
            inc_text,
            idx,
            0,
            &Value::Object(values),
            &inc_file,
            inc_text,
        );
        self.stack.pop();
        r
    }

    fn lookup<'v>(&'v self, path: &str, include_args: &'v Value) -> Option<&'v Value> {
        let mut parts = path.split('.');
        let mut v = match parts.next()? {
            "site" => self.cx.site,
            "page" => self.cx.page,
            "include" => include_args,
            _ => return None,
        };
        for p in parts {
            v = match v {
                Value::Object(m) => m.get(p)?,
                Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    fn eval_output(
        &mut self,
        expr: &str,
        include_args: &Value,
        file: &str,
        full: &'t str,
        at: usize,
    ) -> Result<String, SourceError> {
        let mut parts = expr.split('|');
        let head = parts.next().unwrap_or("").trim();
        let mut value = match literal(head) {
            Some(s) => s,
            None => self
                .lookup(head, include_args)
                .map(to_text)
                .unwrap_or_default(),
        };
        for filter in parts {
            let (name, arg) = match filter.split_once(':') {
                Some((n, a)) => (
                    n.trim(),
                    literal(a.trim()).unwrap_or_else(|| a.trim().to_string()),
                ),
                None => (filter.trim(), String::new()),
            };
            let site = |k: &str| self.cx.site.get(k).map(to_text).unwrap_or_default();
            value = match name {
                "relative_url" => join_url(&site("baseurl"), &value),
                "absolute_url" => join_url(&format!("{}{}", site("url"), site("baseurl")), &value),
                "downcase" => value.to_lowercase(),
                "upcase" => value.to_uppercase(),
                "strip" => value.trim().to_string(),
                "escape" | "xml_escape" => value
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;"),
                "default" if value.is_empty() => arg,
                "default" => value,
                "append" => value + &arg,
                "prepend" => arg + &value,
                "capitalize" => {
                    let mut c = value.chars();
                    c.next()
                        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
                }
                other => {
                    self.out.diagnostics.push(Diagnostic::warning(
                        "unsupported-liquid",
                        file,
                        self.pos(full, at),
                        format!("Liquid filter `{other}` is not supported; the value is shown unfiltered"),
                    ));
                    value
                }
            };
        }
        Ok(value)
    }
}

fn join_url(base: &str, path: &str) -> String {
    if path.is_empty() {
        return base.to_string();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

fn to_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn literal(s: &str) -> Option<String> {
    let s = s.trim();
    let q = s.chars().next()?;
    if (q == '"' || q == '\'') && s.len() >= 2 && s.ends_with(q) {
        return Some(s[1..s.len() - 1].to_string());
    }
    if s.parse::<f64>().is_ok() {
        return Some(s.to_string());
    }
    None
}

/// `objects/contact.md key="v" other='w' n=page.name` → path and (key, raw value) pairs.
fn split_include_args(args: &str) -> (&str, Vec<(String, String)>) {
    let args = args.trim();
    let path_end = args.find(char::is_whitespace).unwrap_or(args.len());
    let (path, mut rest) = args.split_at(path_end);
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().to_string();
        rest = rest[eq + 1..].trim_start();
        let end = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
            _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        params.push((key, rest[..end].to_string()));
        rest = &rest[end..];
    }
    (path, params)
}

/// Splits Liquid source into tokens. `{% raw %}` and `{% comment %}` are resolved here.
fn tokenize(text: &str, file: &str) -> Result<Vec<Token>, SourceError> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut lit = 0;
    let mut in_fence: Option<(u8, usize)> = None;
    let mut line_start = true;
    while i < bytes.len() {
        if line_start {
            in_fence = fence_toggle(&text[i..], in_fence);
        }
        line_start = bytes[i] == b'\n';
        let rest = &text[i..];
        let angle = in_fence.is_none()
            && rest.starts_with("<%")
            && rest[2..].trim_start().starts_with("include");
        if !(rest.starts_with("{{") || rest.starts_with("{%") || angle) {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let (close, open_len) = match &rest[..2] {
            "{{" => ("}}", 2),
            "{%" => ("%}", 2),
            _ => ("%>", 2),
        };
        let Some(end) = rest[open_len..].find(close) else {
            let what = if close == "}}" {
                "`{{` is never closed by `}}`"
            } else {
                "tag is never closed by `%}`"
            };
            return Err(SourceError::new(
                file,
                Pos::of_offset(text, i),
                format!("Liquid {what}"),
            ));
        };
        if lit < i {
            tokens.push(Token::Text(lit, i));
        }
        let inner = &rest[open_len..open_len + end];
        let after = i + open_len + end + close.len();
        let trim_left = inner.starts_with('-');
        let trim_right = inner.ends_with('-');
        let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
        if close == "}}" {
            tokens.push(Token::Output {
                expr: inner.to_string(),
                at: i,
            });
            i = after;
            lit = i;
            continue;
        }
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        if name.is_empty() {
            return Err(SourceError::new(
                file,
                Pos::of_offset(text, i),
                "empty Liquid tag `{% %}`",
            ));
        }
        if name == "raw" || name == "comment" {
            let end_tag = if name == "raw" {
                "endraw"
            } else {
                "endcomment"
            };
            let Some((body_end, resume)) = find_end_tag(text, after, end_tag) else {
                return Err(SourceError::new(
                    file,
                    Pos::of_offset(text, i),
                    format!("`{{% {name} %}}` is never closed by `{{% {end_tag} %}}`"),
                ));
            };
            if name == "raw" {
                tokens.push(Token::Raw(after, body_end));
            }
            i = resume;
            lit = i;
            continue;
        }
        tokens.push(Token::Tag {
            name: name.to_string(),
            args: args.trim().to_string(),
            at: i,
            trim_left,
            trim_right,
        });
        i = after;
        lit = i;
    }
    if lit < bytes.len() {
        tokens.push(Token::Text(lit, bytes.len()));
    }
    Ok(tokens)
}

/// Finds `{% end_tag %}` after `from`: (start of the tag, offset after it). Each `{%` is
/// tried on its own, so stray `{%` or `{%}` in a raw block do not hide the end tag, and the
/// scan stays linear.
fn find_end_tag(text: &str, from: usize, end_tag: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = text[at..].find("{%") {
        let start = at + i;
        let rest = text[start + 2..].trim_start_matches('-').trim_start();
        if let Some(after) = rest.strip_prefix(end_tag) {
            let after = after.trim_start().trim_start_matches('-').trim_start();
            if after.starts_with("%}") {
                return Some((start, text.len() - after.len() + 2));
            }
        }
        at = start + 2;
    }
    None
}

/// Tracks ``` / ~~~ fences at line starts so `<% include %>` is left alone inside code.
fn fence_toggle(line: &str, state: Option<(u8, usize)>) -> Option<(u8, usize)> {
    let line = line.split('\n').next().unwrap_or("");
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return state;
    }
    let t = &line[indent..];
    let ch = t.bytes().next();
    let run = |c: u8| t.bytes().take_while(|&b| b == c).count();
    match (state, ch) {
        (None, Some(c @ (b'`' | b'~'))) if run(c) >= 3 => Some((c, run(c))),
        (Some((c, n)), Some(x)) if x == c && run(c) >= n && t[run(c)..].trim().is_empty() => None,
        (s, _) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Expands `body`; the first recorded include error, if any, as an error.
    fn run(body: &str, includes: &[(&str, &str)]) -> Result<Expanded, SourceError> {
        let ex = expand_all(body, includes)?;
        match ex.errors.first() {
            Some(e) => Err(e.clone()),
            None => Ok(ex),
        }
    }

    fn expand_all(body: &str, includes: &[(&str, &str)]) -> Result<Expanded, SourceError> {
        let inc = Includes::new(
            includes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let site = json!({"app_url": "https://app/", "baseurl": "/docs", "url": "https://x.io"});
        let page = json!({"name": "Get Thing"});
        let cx = Context {
            includes: &inc,
            site: &site,
            page: &page,
        };
        expand(body, "_api/a.md", 0, body, &cx)
    }

    #[test]
    fn pastes_includes_with_parameters_and_nesting() {
        let ex = run(
            "A\n{% include objects/p.md who=\"you\" n=page.name %}\nB <% include q.md %>\n",
            &[
                (
                    "objects/p.md",
                    "hi {{ include.who }} / {{ include.n }}\n{% include q.md %}",
                ),
                ("q.md", "Q"),
            ],
        )
        .unwrap();
        assert_eq!(ex.text, "A\nhi you / Get Thing\nQ\nB Q\n");
        assert_eq!(
            ex.includes.iter().collect::<Vec<_>>(),
            ["objects/p.md", "q.md"]
        );
    }

    #[test]
    fn site_and_page_values_and_filters() {
        let ex = run("{{ site.app_url }}x {{site.baseurl}} {{ page.name | downcase }} {{ '/a' | relative_url }} {{ site.nope }}.", &[]).unwrap();
        assert_eq!(ex.text, "https://app/x /docs get thing /docs/a .");
    }

    #[test]
    fn includes_work_inside_comments_and_fences_but_angle_form_not_in_fences() {
        let ex = run(
            "<!-- {% include q.md %} -->\n~~~\n{% include q.md %} <% include q.md %>\n~~~\n",
            &[("q.md", "Q")],
        )
        .unwrap();
        assert_eq!(ex.text, "<!-- Q -->\n~~~\nQ <% include q.md %>\n~~~\n");
    }

    #[test]
    fn raw_comment_and_highlight() {
        let ex = run("{% raw %}{{ x }}{% endraw %}{% comment %}gone{% endcomment %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n", &[]).unwrap();
        assert_eq!(ex.text, "{{ x }}\n~~~ ruby\nputs 1\n~~~\n\n");
    }

    #[test]
    fn broken_includes_are_recorded_as_empty_text_and_expansion_goes_on() {
        let ex = expand_all(
            "a {% include gone.md %}b\n{% include chain.md %}\n{% include ok.md %}",
            &[
                ("chain.md", "c1 {% include missing/deeper.md %}c2"),
                ("ok.md", "fine {% include /etc/passwd %}"),
            ],
        )
        .unwrap();
        assert_eq!(ex.text, "a b\nc1 c2\nfine ");
        let got: Vec<String> = ex.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            got,
            [
                "_api/a.md:1:3: include file `_includes/gone.md` not found",
                "_includes/chain.md:1:4: include file `_includes/missing/deeper.md` not found\n    included from _api/a.md:2:1",
                "_includes/ok.md:1:6: include path `/etc/passwd` leaves `_includes/`; use a path inside it\n    included from _api/a.md:3:1",
            ]
        );
        // The missing files are tracked, so `serve` rebuilds the doc when they appear.
        assert!(ex.includes.contains("gone.md") && ex.includes.contains("missing/deeper.md"));
    }

    #[test]
    fn a_fan_out_of_broken_includes_gives_up_after_max_errors() {
        let fan = "{% include nope.md %}".repeat(20);
        let e = expand_all(
            "{% include f.md %}{% include f.md %}{% include f.md %}{% include f.md %}{% include f.md %}{% include f.md %}",
            &[("f.md", &fan)],
        )
        .unwrap_err();
        assert!(e.message.contains("nope.md"), "{e}");
    }

    #[test]
    fn missing_include_names_file_line_col_and_chain() {
        let e = run(
            "x\n  {% include a.md %}",
            &[("a.md", "line\n {% include nope.md %}")],
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "_includes/a.md:2:2: include file `_includes/nope.md` not found\n    included from _api/a.md:2:3");
    }

    #[test]
    fn cycles_escapes_and_bad_tags_are_errors() {
        let e = run(
            "{% include a.md %}",
            &[
                ("a.md", "{% include b.md %}"),
                ("b.md", "{% include a.md %}"),
            ],
        )
        .unwrap_err();
        assert!(
            e.message.contains("include cycle: a.md → b.md → a.md"),
            "{e}"
        );
        let e = run("{% include a.md %}", &[("a.md", "{% include a.md %}")]).unwrap_err();
        assert!(e.message.contains("include cycle"), "{e}");
        for bad in ["{% include ../x.md %}", "{% include /etc/passwd %}"] {
            assert!(run(bad, &[])
                .unwrap_err()
                .message
                .contains("leaves `_includes/`"));
        }
        let e = run("ok\n{{ site.x", &[]).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 1));
        assert!(run("{% %}", &[]).is_err());
        assert!(run("{% raw %}never closed", &[]).is_err());
    }

    #[test]
    fn deep_chains_and_bombs_are_stopped() {
        let chain: Vec<(String, String)> = (0..40)
            .map(|i| (format!("{i}.md"), format!("{{% include {}.md %}}", i + 1)))
            .collect();
        let refs: Vec<(&str, &str)> = chain
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let e = run("{% include 0.md %}", &refs).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");
        let big = "x".repeat(1 << 20);
        let ten = "{% include b.md %}".repeat(10);
        let e = run(
            "{% include t.md %}",
            &[
                ("t.md", &ten.replace("b.md", "h.md")),
                ("h.md", &ten),
                ("b.md", &big),
            ],
        )
        .unwrap_err();
        assert!(e.message.contains("MiB"), "{e}");
    }

    #[test]
    fn source_map_points_back_into_includes() {
        let ex = run("ab\n{% include q.md %}\ncd", &[("q.md", "x\nyz")]).unwrap();
        let at = ex.text.find('z').unwrap();
        assert_eq!(ex.map.locate(at), ("_includes/q.md", 3));
        let at = ex.text.find('d').unwrap();
        let (f, off) = ex.map.locate(at);
        assert_eq!(
            (f, &"ab\n{% include q.md %}\ncd"[off..off + 1]),
            ("_api/a.md", "d")
        );
    }

    #[test]
    fn multibyte_text_around_tags() {
        let ex = run(
            "Sūn Démíng {{ page.name }} 孫德明 {% include q.md %}ū",
            &[("q.md", "ø")],
        )
        .unwrap();
        assert_eq!(ex.text, "Sūn Démíng Get Thing 孫德明 øū");
    }

    #[test]
    fn unknown_tags_warn_and_vanish() {
        let ex = run("a{% if x %}b{% endif %}c", &[]).unwrap();
        assert_eq!(ex.text, "abc");
        assert_eq!(ex.diagnostics.len(), 2);
    }
}
