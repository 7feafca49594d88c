//! endpaper's own Liquid tags. Each is numbered by `rewrite` and picks up its source offset
//! from the parse, so what it reports is located:
//! - the output tag (`{{ expr }}`): an unknown variable is nil to its filters, a failing
//!   filter renders empty, each with a warning, as Jekyll's lax mode renders it, instead of stopping the render;
//! - `assign`: the same leniency for `{% assign x = expr %}`;
//! - `cycle`, and `Tolerant`, which renders a failing block empty with a warning;
//! - `highlight`: a fence for the markdown stage, or Jekyll's markup in HTML templates.

use super::marks::{push_mark, Mark};
use super::{parsing_tag, with_state, Mode, MAX_OUTPUT};
use liquid_core::model::{KString, KStringRef};
use liquid_core::parser::FilterChain;
use liquid_core::{
    BlockReflection, Error, Language, ParseBlock, ParseTag, Renderable, Result, Runtime, TagBlock,
    TagReflection, TagTokenIter, Template, Value, ValueView,
};
use std::collections::HashMap;
use std::io::Write;

/// A tag's name and description for the `liquid` parser.
macro_rules! reflect {
    ($t:ty, $name:expr, $desc:expr) => {
        impl TagReflection for $t {
            fn tag(&self) -> &'static str {
                $name
            }
            fn description(&self) -> &'static str {
                $desc
            }
        }
    };
}
pub(super) use reflect;

/// Reads the tag number `rewrite` put first, and the tag's source info.
pub(super) fn tag_info(arguments: &mut TagTokenIter<'_>) -> Result<super::rewrite::TagInfo> {
    let n: usize = arguments
        .expect_next("endpaper tag number expected")?
        .as_str()
        .parse()
        .map_err(|_| Error::with_msg("endpaper tag number expected"))?;
    Ok(parsing_tag(n))
}

pub(super) fn io(e: std::io::Error) -> Error {
    Error::with_msg(format!("cannot write output: {e}"))
}

pub(super) fn mark(w: &mut dyn Write, m: Mark) -> Result<()> {
    let mut s = String::new();
    push_mark(&mut s, m);
    w.write_all(s.as_bytes()).map_err(io)
}

/// The message of a value that could not be computed, for a warning.
fn warning_for(e: &Error, what: &str) -> (&'static str, String) {
    let text = e.to_string();
    let msg = super::error_message(&text);
    if text.contains("Unknown variable") || text.contains("Unknown index") {
        (
            "unknown-variable",
            format!("unknown variable in `{what}` ({msg}); like Jekyll, it renders as nothing"),
        )
    } else {
        (
            "liquid-error",
            format!("`{what}` failed ({msg}); it renders as nothing"),
        )
    }
}

/// Warns about the variables a tag's expression looked up and did not find.
fn warn_misses(rt: &dyn Runtime, at: usize, what: &dyn Fn() -> String) {
    let misses = super::take_misses(rt);
    if misses.is_empty() {
        return;
    }
    let names = misses
        .iter()
        .map(|m| match super::suggest_path(rt, m) {
            Some(s) => format!("`{}` (did you mean `{s}`?)", super::path_name(m)),
            None => format!("`{}`", super::path_name(m)),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let msg = format!(
        "unknown variable {names} in `{}`; like Jekyll, it renders as nothing",
        what()
    );
    with_state(rt, |s| s.add(false, "unknown-variable", at, msg));
}

/// A value as Ruby Liquid writes it: a float keeps its `.0` (`5.0`, not `5`), an array is
/// its items joined (nested ones flattened), a hash is Ruby's `inspect` of it.
pub(crate) fn ruby_text(v: &dyn ValueView) -> String {
    if let Some(a) = v.as_array() {
        return a.values().map(ruby_text).collect();
    }
    if v.is_object() {
        return ruby_inspect(v);
    }
    let text = v.render().to_string();
    match v.as_scalar().and_then(|s| s.to_float()) {
        Some(f) if v.type_name() == "fractional number" && f.is_finite() && f.fract() == 0.0 => {
            format!("{text}.0")
        }
        _ => text,
    }
}

/// Ruby's `inspect` of a Liquid value (`{"a"=>1, "b"=>[nil, "x"]}`), which is how Ruby
/// writes a hash, keys in the order they were written (the fork's objects keep it).
pub(crate) fn ruby_inspect(v: &dyn ValueView) -> String {
    if let Some(a) = v.as_array() {
        let items: Vec<String> = a.values().map(ruby_inspect).collect();
        return format!("[{}]", items.join(", "));
    }
    if let Some(o) = v.as_object() {
        let pairs: Vec<String> = o
            .iter()
            .map(|(k, v)| format!("{}=>{}", quoted(&k), ruby_inspect(v)))
            .collect();
        return format!("{{{}}}", pairs.join(", "));
    }
    if v.is_nil() {
        return "nil".into();
    }
    if v.type_name() == "string" {
        return quoted(&v.to_kstr());
    }
    ruby_text(v)
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the render passed a limit and must stop (see `State::limit`).
fn stopped(rt: &dyn Runtime) -> bool {
    with_state(rt, |s| s.fatal).unwrap_or(false)
}

#[derive(Clone, Copy, Debug, Default)]
pub struct OutputTag;

reflect!(
    OutputTag,
    super::rewrite::OUT_TAG,
    "`{{ expr }}`, lenient and located"
);

impl ParseTag for OutputTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let info = tag_info(&mut arguments)?;
        let chain = match arguments.next() {
            Some(t) => {
                let text = t.as_str().to_string();
                Some((t.expect_filter_chain(options).into_result()?, text))
            }
            None => None,
        };
        arguments.expect_nothing()?;
        Ok(Box::new(Output {
            start: info.start,
            marks: info.marks,
            chain,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Output {
    start: usize,
    marks: bool,
    chain: Option<(FilterChain, String)>,
}

impl Renderable for Output {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let Some((chain, text)) = &self.chain else {
            return Ok(());
        };
        if self.marks {
            mark(w, Mark::Tag(self.start))?;
        }
        super::take_misses(rt);
        with_state(rt, |s| s.at = self.start);
        let value = chain.evaluate(rt);
        let what = || format!("{{{{ {text} }}}}");
        warn_misses(rt, self.start, &what);
        match value {
            Ok(v) => {
                let text = ruby_text(&v);
                if text.len() > MAX_OUTPUT {
                    let msg = format!("`{}` is more than {} MiB", what(), MAX_OUTPUT >> 20);
                    with_state(rt, |s| s.limit(self.start, msg.clone()));
                    return Err(Error::with_msg(msg));
                }
                w.write_all(text.as_bytes()).map_err(io)
            }
            Err(e) if stopped(rt) => Err(e),
            Err(e) => {
                let (code, msg) = warning_for(&e, &what());
                with_state(rt, |s| s.add(false, code, self.start, msg));
                Ok(())
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct AssignTag;

reflect!(
    AssignTag,
    "assign",
    "`{% assign x = expr %}`, lenient and located"
);

impl ParseTag for AssignTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let info = tag_info(&mut arguments)?;
        let dst: KString = arguments
            .expect_next("Identifier expected.")?
            .expect_identifier()
            .into_result()?
            .to_owned()
            .into();
        arguments
            .expect_next("Assignment operator \"=\" expected.")?
            .expect_str("=")
            .into_result_custom_msg("Assignment operator \"=\" expected.")?;
        let src = arguments
            .expect_next("FilterChain expected.")?
            .expect_filter_chain(options)
            .into_result()?;
        arguments.expect_nothing()?;
        Ok(Box::new(Assign {
            start: info.start,
            text: info.args,
            dst,
            src,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Assign {
    start: usize,
    text: String,
    dst: KString,
    src: FilterChain,
}

impl Renderable for Assign {
    fn render_to(&self, _w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        super::take_misses(rt);
        with_state(rt, |s| s.at = self.start);
        let value = self.src.evaluate(rt);
        let what = || format!("{{% assign {} %}}", self.text);
        warn_misses(rt, self.start, &what);
        let value = match value {
            Ok(v) => v.into_owned(),
            Err(e) if stopped(rt) => return Err(e),
            Err(e) => {
                let (code, msg) = warning_for(&e, &what());
                with_state(rt, |s| s.add(false, code, self.start, msg));
                Value::Nil
            }
        };
        rt.set_global(self.dst.clone(), value);
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "Jekyll's `{% highlight lang %}`"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let info = tag_info(&mut arguments)?;
        let lang = info
            .args
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Highlight {
            start: info.start,
            marks: info.marks,
            lang,
            body,
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Highlight {
    start: usize,
    marks: bool,
    lang: String,
    body: Template,
}

impl Renderable for Highlight {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let mut buf = Vec::new();
        self.body.render_to(&mut buf, rt)?;
        let body = String::from_utf8_lossy(&buf);
        let body = body.trim_start_matches('\n');
        let mode = with_state(rt, |s| s.mode).unwrap_or(Mode::Markdown);
        let mut out = String::with_capacity(body.len() + 32);
        if mode == Mode::Html {
            let code = super::marks::strip(body);
            let lang = &self.lang;
            out.push_str(&format!("<figure class=\"highlight\"><pre><code class=\"language-{lang}\" data-lang=\"{lang}\">"));
            crate::html::escape_into(&mut out, code.trim_end_matches('\n'));
            out.push_str("</code></pre></figure>");
        } else {
            if self.marks {
                push_mark(&mut out, Mark::Tag(self.start));
            }
            out.push_str(&format!("~~~ {}\n", self.lang));
            out.push_str(body);
            if !super::marks::strip(body).ends_with('\n') {
                out.push('\n');
            }
            if self.marks {
                push_mark(&mut out, Mark::Tag(self.start));
            }
            out.push_str("~~~\n");
        }
        w.write_all(out.as_bytes()).map_err(io)
    }
}

/// A standard tag or block of `liquid-lib`, run so that a missing field of a loop item or of
/// a hash reads as nil, as in Jekyll's lax Liquid. `liquid_core`'s `StackFrame` is strict: in
/// it `{% if item.nope %}` would stop the whole render with "Unknown index";
/// wrapping each tag that evaluates expressions puts a lenient frame in front of the one it
/// is given, so its lookups fall back to nil. (A missing variable in a condition is the
/// usual way to test for a key, so it is not warned about; `{{ item.nope }}` is, by the
/// output tag.)
#[derive(Clone, Copy, Debug, Default)]
pub struct Tolerant<T>(pub T);

impl<T: ParseTag + Clone + 'static> ParseTag for Tolerant<T> {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(TolerantRender(self.0.parse(arguments, options)?)))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self.0.reflection()
    }
}

impl<T: ParseBlock + Clone + 'static> ParseBlock for Tolerant<T> {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(TolerantRender(
            self.0.parse(arguments, block, options)?,
        )))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self.0.reflection()
    }
}

#[derive(Debug)]
struct TolerantRender(Box<dyn Renderable>);

impl Renderable for TolerantRender {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let none: HashMap<KStringRef<'_>, &dyn ValueView> = HashMap::new();
        self.0.render_to(w, &super::Lenient::new(rt, &none))
    }
}

/// `{% cycle %}` as Ruby Liquid 5.4 runs it: a named cycle's group is the value of its name
/// (`{% cycle a: … %}` follows the variable `a`; an undefined one is the nil group), an
/// unnamed one's is its list of values; each group counts on from where it stopped, and a
/// cycle shorter than its group's count writes nothing that turn.
#[derive(Clone, Copy, Debug, Default)]
pub struct CycleTag;

reflect!(CycleTag, "cycle", "`{% cycle %}` as Ruby Liquid runs it");

impl ParseTag for CycleTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let tokens: Vec<_> = arguments.by_ref().collect();
        let named = tokens.get(1).is_some_and(|t| t.as_str() == ":");
        let mut values = Vec::new();
        let mut name = None;
        let mut expect_value = true;
        for (i, t) in tokens.into_iter().enumerate() {
            match t.as_str() {
                ":" if named && i == 1 => expect_value = true,
                "," if !expect_value => expect_value = true,
                _ if expect_value => {
                    let v = t.expect_value().into_result()?;
                    if named && i == 0 {
                        name = Some(v);
                    } else {
                        values.push(v);
                    }
                    expect_value = false;
                }
                _ => return t.raise_custom_error("\",\" expected.").into_err(),
            }
        }
        if values.is_empty() {
            return Err(Error::with_msg("`cycle` needs values to cycle through"));
        }
        let list = values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Box::new(Cycle { name, list, values }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Cycle {
    name: Option<liquid_core::Expression>,
    /// The values as written: an unnamed cycle's group.
    list: String,
    values: Vec<liquid_core::Expression>,
}

/// Where each cycle group stands.
#[derive(Default)]
struct Cycles(HashMap<String, usize>);

impl Renderable for Cycle {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let key = match &self.name {
            Some(n) => {
                let v = n.try_evaluate(rt).map(|v| v.into_owned());
                format!("={}", v.as_ref().map_or("nil".into(), |v| ruby_inspect(v)))
            }
            None => format!("[{}]", self.list),
        };
        let turn = {
            let mut cycles = rt.registers().get_mut::<Cycles>();
            let at = cycles.0.entry(key).or_insert(0);
            let turn = *at;
            *at = if turn + 1 >= self.values.len() {
                0
            } else {
                turn + 1
            };
            turn
        };
        if let Some(v) = self.values.get(turn) {
            let v = v
                .try_evaluate(rt)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            w.write_all(ruby_text(&v).as_bytes()).map_err(io)?;
        }
        Ok(())
    }
}
