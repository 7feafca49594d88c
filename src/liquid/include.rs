//! `include` and `render`: Jekyll's `{% include %}` and Ruby Liquid's `{% render %}`, both
//! rendered by one include renderer (the path and its limits, cycles, the include chain and
//! the source-map sentinels around the included text); `render` in an isolated scope.

use super::marks::Mark;
use super::rewrite::Variant;
use super::tags::{io, mark, reflect, tag_info};
use super::{too_big, with_state, MAX_DEPTH, MAX_OUTPUT};
use liquid_core::model::{KString, KStringRef};
use liquid_core::runtime::Variable;
use liquid_core::{
    Error, Language, ParseTag, Renderable, Result, Runtime, TagReflection, TagTokenIter, Value,
    ValueView,
};
use std::collections::HashMap;
use std::io::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct IncludeTag;

reflect!(
    IncludeTag,
    "include",
    "Jekyll's `{% include path key=value %}`"
);

#[derive(Debug)]
enum Param {
    Literal(Value),
    Variable(Variable, String),
}

impl ParseTag for IncludeTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let info = tag_info(&mut arguments)?;
        let (path, params) = split_include_args(&info.args);
        let params = params
            .into_iter()
            .map(|(k, v)| {
                let q = v.chars().next();
                let p = if (q == Some('"') || q == Some('\''))
                    && v.len() >= 2
                    && v.ends_with(q.unwrap_or('"'))
                {
                    Param::Literal(Value::scalar(v[1..v.len() - 1].to_string()))
                } else if let Some(literal) = literal(&v) {
                    Param::Literal(literal)
                } else {
                    match liquid_core::parser::parse_variable(&v) {
                        Ok(var) => Param::Variable(var, v.clone()),
                        Err(_) => Param::Literal(Value::scalar(v.clone())),
                    }
                };
                (KString::from(k), p)
            })
            .collect();
        Ok(Box::new(Include {
            start: info.start,
            variant: info.variant(),
            path: path.to_string(),
            params,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Include {
    start: usize,
    variant: Variant,
    /// As written; may hold `{{ variables }}`.
    path: String,
    params: Vec<(KString, Param)>,
}

impl Include {
    fn error(&self, rt: &dyn Runtime, msg: String) -> Result<()> {
        with_state(rt, |s| s.add(true, "include", self.start, msg));
        Ok(())
    }

    /// The path, with `{{ variables }}` rendered (Jekyll's `{% include {{ page.x }}.md %}`).
    fn path(&self, rt: &dyn Runtime) -> String {
        if !self.path.contains("{{") {
            return self.path.clone();
        }
        let Some(shared) = with_state(rt, |s| s.shared.clone()) else {
            return self.path.clone();
        };
        match shared.parse_cached(&self.path, Variant::Plain) {
            Ok(p) => {
                let mut out = Vec::new();
                let _ = p.template.render_to(&mut out, rt);
                String::from_utf8_lossy(&out).trim().to_string()
            }
            Err(_) => self.path.clone(),
        }
    }
}

impl Renderable for Include {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let path = self.path(rt);
        if path.is_empty() {
            return self.error(
                rt,
                "`{% include %}` needs a file name: `{% include objects/contact.md %}`".into(),
            );
        }
        if path.starts_with('/')
            || path.starts_with('\\')
            || path.split(['/', '\\']).any(|c| c == "..")
        {
            return self.error(
                rt,
                format!("include path `{path}` leaves `_includes/`; use a path inside it"),
            );
        }
        let mut include = liquid_core::Object::new();
        for (k, p) in &self.params {
            let v = match p {
                Param::Literal(v) => v.clone(),
                Param::Variable(var, text) => match lookup(var, rt) {
                    Some(v) => v,
                    None => {
                        with_state(rt, |s| {
                            s.add(false, "unknown-variable", self.start, format!("unknown variable `{text}` passed to the include as `{k}`; like Jekyll, it is nil"))
                        });
                        Value::Nil
                    }
                },
            };
            include.insert(k.clone(), v);
        }
        render_included(self.start, self.variant, &path, w, rt, &|parsed, buf| {
            if include.is_empty() {
                parsed.template.render_to(buf, rt)
            } else {
                let mut frame: HashMap<KStringRef<'_>, &dyn ValueView> = HashMap::new();
                frame.insert("include".into(), &include);
                parsed
                    .template
                    .render_to(buf, &super::Lenient::new(rt, &frame))
            }
        })
    }
}

/// Renders `_includes/PATH` for the tag at `start` (an `include` or a `render`): checks
/// cycles, depth and size, records where the include's findings come from, and wraps its
/// output in source-map sentinels; `render` writes the parsed include, in whatever scope
/// the tag gives it.
fn render_included(
    start: usize,
    variant: Variant,
    path: &str,
    w: &mut dyn Write,
    rt: &dyn Runtime,
    render: &dyn Fn(&super::Parsed, &mut Vec<u8>) -> Result<()>,
) -> Result<()> {
    // Checks and bookkeeping under the state's borrow; the render itself runs without it.
    let entered = with_state(rt, |s| {
        let inc_file = format!("_includes/{path}");
        let current = &s.files[s.here(0).0];
        if s.stack.iter().any(|f| f.name == path) || *current == inc_file {
            let mut cycle: Vec<String> = s.stack.iter().map(|f| f.name.clone()).collect();
            cycle.push(path.to_string());
            s.add(
                true,
                "include",
                start,
                format!("include cycle: {}", cycle.join(" → ")),
            );
            return None;
        }
        if s.stack.len() >= MAX_DEPTH {
            s.add(
                true,
                "include",
                start,
                format!("includes nested deeper than {MAX_DEPTH} levels"),
            );
            return None;
        }
        let parsed = match s.shared.include(path, variant) {
            None => {
                let hint = super::did_you_mean(path, s.shared.includes.keys().map(String::as_str));
                s.add(
                    true,
                    "include",
                    start,
                    format!("include file `{inc_file}` not found{hint}"),
                );
                return None;
            }
            Some(Err((at, msg))) => {
                let id = s.file_id(inc_file);
                let mut chain = s.chain();
                chain.push(s.here(start));
                s.findings.push(super::Finding {
                    error: true,
                    code: "include",
                    at: (id, at),
                    hint: None,
                    chain,
                    msg,
                });
                return None;
            }
            Some(Ok(p)) => p,
        };
        let id = s.file_id(inc_file);
        let caller = s.here(start);
        for (at, code, msg) in &parsed.warnings {
            let mut chain = s.chain();
            chain.push(caller);
            s.findings.push(super::Finding {
                error: false,
                code,
                at: (id, *at),
                hint: None,
                chain,
                msg: msg.clone(),
            });
        }
        s.includes.insert(path.to_string());
        s.stack.push(super::Frame {
            file: id,
            caller,
            name: path.to_string(),
            children: 0,
        });
        Some((parsed, id, variant != Variant::Plain))
    })
    .flatten();
    let Some((parsed, id, marks)) = entered else {
        return Ok(());
    };
    let mut buf = Vec::new();
    let result = render(&parsed, &mut buf);
    let stop = with_state(rt, |s| {
        let frame = s.stack.pop();
        let children = frame.map_or(0, |f| f.children);
        if let Some(parent) = s.stack.last_mut() {
            parent.children += buf.len();
        }
        s.include_bytes += buf.len().saturating_sub(children);
        if let Err(e) = &result {
            if !s.fatal {
                let text = e.to_string();
                let mut chain = s.chain();
                chain.push(s.here(start));
                s.findings.push(super::Finding {
                    error: true,
                    code: "liquid-error",
                    at: (id, usize::MAX),
                    hint: super::render_error_hint(&text),
                    chain,
                    msg: format!("Liquid error: {}", super::error_message(&text)),
                });
            }
        }
        if s.include_bytes > MAX_OUTPUT && !s.fatal {
            s.fatal = true;
            s.add(true, "include-limit", start, too_big(true));
        }
        s.fatal
    })
    .unwrap_or(false);
    if stop {
        return Err(Error::with_msg(too_big(true)));
    }
    if marks {
        mark(w, Mark::Push(id))?;
    }
    w.write_all(&buf).map_err(io)?;
    if marks {
        mark(w, Mark::Pop)?;
    }
    Ok(())
}

/// An unquoted include argument Jekyll reads as a literal (it looks the word up as a
/// Liquid expression): `true`/`false`, `nil`/`null`, an integer, a float; else `None`, a
/// variable.
fn literal(word: &str) -> Option<Value> {
    match word {
        "true" | "false" => Some(Value::scalar(word == "true")),
        "nil" | "null" => Some(Value::Nil),
        _ => {
            // Ruby Liquid's number forms: `-?\d+` and `-?\d+\.\d+` (not `inf`, `1e3`).
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let unsigned = word.strip_prefix('-').unwrap_or(word);
            match unsigned.split_once('.') {
                None if digits(unsigned) => word.parse::<i64>().ok().map(Value::scalar),
                Some((i, f)) if digits(i) && digits(f) => {
                    word.parse::<f64>().ok().map(Value::scalar)
                }
                _ => None,
            }
        }
    }
}

/// The value of a variable a tag's argument names, if it is there.
fn lookup(var: &Variable, rt: &dyn Runtime) -> Option<Value> {
    var.try_evaluate(rt)
        .and_then(|p| rt.try_get(&p).map(|v| v.into_owned()))
}

/// `objects/contact.md key="v" other='w' n=page.name` → path and (key, raw value) pairs.
/// A path may hold `{{ variables }}` with spaces inside.
fn split_include_args(args: &str) -> (&str, Vec<(String, String)>) {
    let args = args.trim();
    let mut path_end = 0;
    let mut depth = 0;
    let b = args.as_bytes();
    while path_end < b.len() {
        if args[path_end..].starts_with("{{") {
            depth += 1;
            path_end += 2;
            continue;
        }
        if args[path_end..].starts_with("}}") {
            depth -= 1;
            path_end += 2;
            continue;
        }
        if depth <= 0 && b[path_end].is_ascii_whitespace() {
            break;
        }
        path_end += 1;
    }
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

/// Ruby Liquid's `{% render 'name' [with|for value [as alias]], key: value, … %}`: the
/// partial `_includes/name` (or `name.liquid`) rendered in a scope of its own, which sees only
/// its arguments (and, for `for`, a `forloop` without a parent); what it assigns or counts
/// stays inside.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderTag;

reflect!(RenderTag, "render", "Ruby Liquid's `{% render %}`");

/// A value written in a `render` tag's arguments.
#[derive(Debug)]
enum Arg {
    Literal(Value),
    Variable(Variable),
    Range(Box<Arg>, Box<Arg>),
}

impl Arg {
    fn parse(text: &str) -> Result<Arg> {
        let t = text.trim();
        let q = t.chars().next();
        if matches!(q, Some('"' | '\'')) && t.len() >= 2 && t.ends_with(q.unwrap_or('"')) {
            return Ok(Arg::Literal(Value::scalar(t[1..t.len() - 1].to_string())));
        }
        if let Some((a, b)) = t
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|r| r.split_once(".."))
        {
            return Ok(Arg::Range(
                Box::new(Arg::parse(a)?),
                Box::new(Arg::parse(b)?),
            ));
        }
        if let Ok(i) = t.parse::<i64>() {
            return Ok(Arg::Literal(Value::scalar(i)));
        }
        if let Ok(f) = t.parse::<f64>() {
            return Ok(Arg::Literal(Value::scalar(f)));
        }
        match t {
            "true" | "false" => return Ok(Arg::Literal(Value::scalar(t == "true"))),
            "nil" | "null" => return Ok(Arg::Literal(Value::Nil)),
            _ => {}
        }
        liquid_core::parser::parse_variable(t)
            .map(Arg::Variable)
            .map_err(|_| Error::with_msg(format!("`{t}` is not a value")))
    }

    fn eval(&self, rt: &dyn Runtime) -> Value {
        match self {
            Arg::Literal(v) => v.clone(),
            Arg::Variable(var) => lookup(var, rt).unwrap_or(Value::Nil),
            Arg::Range(a, b) => {
                super::loops::range_array(&a.eval(rt), &b.eval(rt)).unwrap_or(Value::Nil)
            }
        }
    }
}

/// The end of the value that starts `text` (a quoted string, a parenthesised range, or a
/// run up to a space or comma).
fn value_end(text: &str) -> usize {
    match text.chars().next() {
        Some(q @ ('"' | '\'')) => text[1..].find(q).map_or(text.len(), |i| i + 2),
        Some('(') => text.find(')').map_or(text.len(), |i| i + 1),
        _ => text
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(text.len()),
    }
}

impl ParseTag for RenderTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let info = tag_info(&mut arguments)?;
        let args = info.args.trim();
        let q = args.chars().next();
        let name_end = match q {
            Some('"' | '\'') => args[1..].find(q.unwrap_or('"')).map(|i| i + 1),
            _ => None,
        }
        .ok_or_else(|| {
            Error::with_msg("`{% render %}` needs a quoted template name: `{% render 'card' %}`")
        })?;
        let name = args[1..name_end].to_string();
        let mut rest = args[name_end + 1..].trim_start();
        let mut bound = None;
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start().trim_start_matches(',').trim_start();
            if rest.is_empty() {
                break;
            }
            let word_end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            let word = &rest[..word_end];
            let after = rest[word_end..].trim_start();
            if matches!(word, "with" | "for")
                && bound.is_none()
                && params.is_empty()
                && !after.starts_with(':')
            {
                let end = value_end(after);
                let value = Arg::parse(&after[..end])?;
                rest = after[end..].trim_start();
                let mut alias = None;
                if let Some(a) = rest.strip_prefix("as ") {
                    let a = a.trim_start();
                    let end = value_end(a);
                    alias = Some(a[..end].to_string());
                    rest = &a[end..];
                }
                bound = Some((word == "for", value, alias));
            } else if let Some(v) = after.strip_prefix(':').filter(|_| !word.is_empty()) {
                let v = v.trim_start();
                let end = value_end(v);
                params.push((KString::from(word.to_string()), Arg::parse(&v[..end])?));
                rest = &v[end..];
            } else {
                return Err(Error::with_msg(format!(
                    "`{{% render %}}` cannot read `{rest}`; arguments are `key: value`"
                )));
            }
        }
        Ok(Box::new(Render {
            start: info.start,
            variant: info.variant(),
            name,
            bound,
            params,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Render {
    start: usize,
    variant: Variant,
    name: String,
    /// `with` / `for` (true) a value, as an alias.
    bound: Option<(bool, Arg, Option<String>)>,
    params: Vec<(KString, Arg)>,
}

impl Renderable for Render {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let path = with_state(rt, |s| {
            let liquid = format!("{}.liquid", self.name);
            if !s.shared.includes.contains_key(&self.name)
                && s.shared.includes.contains_key(&liquid)
            {
                liquid
            } else {
                self.name.clone()
            }
        })
        .unwrap_or_else(|| self.name.clone());
        let mut scope = liquid_core::Object::new();
        for (k, v) in &self.params {
            scope.insert(k.clone(), v.eval(rt));
        }
        let var_name: KString = match &self.bound {
            Some((_, _, Some(alias))) => alias.clone().into(),
            _ => self
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&self.name)
                .to_string()
                .into(),
        };
        let bound = self.bound.as_ref().map(|(each, v, _)| (*each, v.eval(rt)));
        let each: Vec<Value> = match &bound {
            Some((true, v)) if v.is_array() => v
                .as_array()
                .map(|a| a.values().map(|x| x.to_value()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        render_included(self.start, self.variant, &path, w, rt, &|parsed, buf| {
            let one = |var: Option<&Value>, forloop: Option<Value>, buf: &mut Vec<u8>| {
                let mut vars = scope.clone();
                if let Some(f) = forloop {
                    vars.insert("forloop".into(), f);
                }
                if let Some(v) = var.filter(|v| !v.is_nil()) {
                    vars.insert(var_name.clone(), v.clone());
                }
                parsed.template.render_to(buf, &Isolated::new(rt, vars))
            };
            match &bound {
                Some((true, v)) if v.is_array() => {
                    let len = each.len();
                    for (i, item) in each.iter().enumerate() {
                        let forloop = super::value(&serde_json::json!({
                            "name": self.name, "length": len, "index": i + 1, "index0": i,
                            "rindex": len - i, "rindex0": len - i - 1,
                            "first": i == 0, "last": i + 1 == len,
                            super::loops::RENDER_LOOP: true,
                        }));
                        one(Some(item), Some(forloop), buf)?;
                    }
                    Ok(())
                }
                Some((_, v)) => one(Some(v), None, buf),
                None => one(None, None, buf),
            }
        })
    }
}

/// The scope of a `render`: its own variables (and `increment` counters) only, the render's
/// registers shared (findings, limits, the source map).
struct Isolated<'p> {
    parent: &'p dyn Runtime,
    vars: std::cell::RefCell<liquid_core::Object>,
    counters: std::cell::RefCell<liquid_core::Object>,
}

impl<'p> Isolated<'p> {
    fn new(parent: &'p dyn Runtime, vars: liquid_core::Object) -> Self {
        Isolated {
            parent,
            vars: vars.into(),
            counters: Default::default(),
        }
    }
}

impl Runtime for Isolated<'_> {
    fn partials(&self) -> &dyn liquid_core::runtime::PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        None
    }
    fn roots(&self) -> std::collections::BTreeSet<liquid_core::model::KStringCow<'_>> {
        self.vars
            .borrow()
            .keys()
            .map(|k| liquid_core::model::KStringCow::from(k.to_string()))
            .collect()
    }
    fn try_get(
        &self,
        path: &[liquid_core::model::ScalarCow<'_>],
    ) -> Option<liquid_core::ValueCow<'_>> {
        let vars = self.vars.borrow();
        let v = liquid_core::model::try_find(&*vars as &dyn ValueView, path)?;
        Some(liquid_core::ValueCow::Owned(v.into_owned()))
    }
    fn get(&self, path: &[liquid_core::model::ScalarCow<'_>]) -> Result<liquid_core::ValueCow<'_>> {
        Ok(super::or_missed(self, path, self.try_get(path)))
    }
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.vars.borrow_mut().insert(name, val)
    }
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.counters.borrow_mut().insert(name, val)
    }
    fn get_index<'a>(&'a self, name: &str) -> Option<liquid_core::ValueCow<'a>> {
        self.counters
            .borrow()
            .get(name)
            .map(|v| liquid_core::ValueCow::Owned(v.clone()))
    }
    fn registers(&self) -> &liquid_core::runtime::Registers {
        self.parent.registers()
    }
}
