//! Jekyll's filters that `liquid-lib` does not have (its `jekyll` module brings `sort`,
//! `slugify`, `push`, `pop`, `shift`, `unshift`, `array_to_sentence_string`), written as
//! plain functions over evaluated arguments and registered through one adapter.

use super::marks;
use liquid_core::model::{KStringCow, ScalarCow, ValueView};
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{
    Error, Expression, Filter, FilterReflection, ParseFilter, Renderable, Result, Runtime, Value,
};
use std::collections::HashMap;
use std::fmt;

type FilterFn = fn(&dyn ValueView, &[Value], &dyn Runtime) -> Result<Value>;

/// A filter given as a function of its input and positional arguments.
#[derive(Clone)]
pub(crate) struct Simple {
    name: &'static str,
    f: FilterFn,
    /// How many positional arguments it takes (any, when not given).
    arity: Option<(usize, usize)>,
}

impl Simple {
    /// A filter that takes `min..=max` arguments; any other count is a syntax error.
    pub(crate) fn new(name: &'static str, f: FilterFn, min: usize, max: usize) -> Self {
        Simple {
            name,
            f,
            arity: Some((min, max)),
        }
    }
}

impl FilterReflection for Simple {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "Jekyll filter"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Simple {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        let args: Vec<Expression> = arguments.positional.collect();
        if let Some((min, max)) = self.arity {
            if args.len() < min || args.len() > max {
                let takes = match (min, max) {
                    (a, b) if a == b => format!("{a}"),
                    (a, b) => format!("{a} to {b}"),
                };
                return Err(Error::with_msg(format!(
                    "filter `{}` takes {takes} arguments, not {}",
                    self.name,
                    args.len()
                )));
            }
        }
        Ok(Box::new(Bound {
            name: self.name,
            f: self.f,
            args,
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct Bound {
    name: &'static str,
    f: FilterFn,
    args: Vec<Expression>,
}

impl fmt::Debug for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl Filter for Bound {
    fn evaluate(&self, input: &dyn ValueView, rt: &dyn Runtime) -> Result<Value> {
        let args: Vec<Value> = self
            .args
            .iter()
            .map(|a| a.try_evaluate(rt).map_or(Value::Nil, |v| v.into_owned()))
            .collect();
        (self.f)(input, &args, rt)
    }
}

pub(crate) fn jekyll() -> Vec<Simple> {
    let list: [(&'static str, FilterFn); 23] = [
        ("markdownify", markdownify),
        ("relative_url", relative_url),
        ("absolute_url", absolute_url),
        ("jsonify", jsonify),
        ("where", where_),
        ("where_exp", where_exp),
        ("find", find),
        ("find_exp", find_exp),
        ("group_by", group_by),
        ("group_by_exp", group_by_exp),
        ("xml_escape", xml_escape),
        ("cgi_escape", cgi_escape),
        ("uri_escape", uri_escape),
        ("date_to_string", date_to_string),
        ("date_to_long_string", date_to_long_string),
        ("date_to_xmlschema", date_to_xmlschema),
        ("date_to_rfc822", date_to_rfc822),
        ("number_of_words", number_of_words),
        ("normalize_whitespace", normalize_whitespace),
        ("inspect", inspect),
        ("smartify", smartify),
        ("sample", sample),
        ("sort", sort),
    ];
    list.into_iter()
        .map(|(name, f)| Simple {
            name,
            f,
            arity: None,
        })
        .collect()
}

/// A filter's input as a string, as Ruby's `to_s` makes it (a hash is its `inspect`).
fn text(v: &dyn ValueView) -> String {
    if v.is_object() {
        return super::tags::ruby_inspect(v);
    }
    marks::strip(&v.to_kstr()).into_owned()
}

fn arg(args: &[Value], i: usize) -> String {
    args.get(i)
        .map(|v| v.to_kstr().to_string())
        .unwrap_or_default()
}

fn site_key(rt: &dyn Runtime, key: &str) -> String {
    rt.try_get(&[ScalarCow::new("site"), ScalarCow::new(key.to_string())])
        .map(|v| {
            if v.is_nil() {
                String::new()
            } else {
                v.to_kstr().to_string()
            }
        })
        .unwrap_or_default()
}

/// Has a URI scheme (`https:`, `mailto:`): Jekyll leaves such URLs alone.
fn is_absolute(url: &str) -> bool {
    let mut chars = url.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && url.split_once(':').is_some_and(|(s, _)| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

fn leading_slash(s: &str) -> String {
    if s.is_empty() || s.starts_with('/') {
        s.to_string()
    } else {
        format!("/{s}")
    }
}

fn relative(input: &str, rt: &dyn Runtime) -> String {
    if is_absolute(input) {
        return input.to_string();
    }
    let base = site_key(rt, "baseurl");
    format!(
        "{}{}",
        leading_slash(base.trim_end_matches('/')),
        leading_slash(input)
    )
}

fn relative_url(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::scalar(relative(&text(input), rt)))
}

fn absolute_url(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let input = text(input);
    if is_absolute(&input) {
        return Ok(Value::scalar(input));
    }
    let url = site_key(rt, "url");
    Ok(Value::scalar(format!("{url}{}", relative(&input, rt))))
}

/// kramdown's HTML for a markdown string, through endpaper's markdown stage.
pub fn markdown_html(src: &str) -> String {
    let r = crate::markdown::render(src);
    let mut out = String::new();
    for b in r.blocks {
        match b {
            crate::markdown::Block::Html(h) => out.push_str(&h.html),
            crate::markdown::Block::Code(c) => {
                // kramdown puts the block's IAL (`{: title="Curl" }`) on the wrapper, title
                // first: Aviator's script makes the sample's tab from it.
                let lang = c.lang.as_deref().unwrap_or("plaintext");
                out.push_str("<div");
                if let Some(title) = &c.title {
                    out.push_str(" title=\"");
                    crate::html::escape_into(&mut out, title);
                    out.push('"');
                }
                c.attrs.write(
                    &mut out,
                    Some(&format!("language-{lang} highlighter-rouge")),
                );
                out.push_str("><div class=\"highlight\"><pre class=\"highlight\"><code>");
                // Highlighted with the Rouge class names (`s`, `k`, `n`, `nf` …) the site's
                // own syntax stylesheet colours, as Jekyll's Rouge output is; punctuation
                // is bare, as endpaper's theme colours it (Rouge themes mostly give
                // punctuation the text colour).
                out.push_str(
                    &crate::highlight::Highlighter::new()
                        .highlight(&c.code, c.lang.as_deref())
                        .html,
                );
                out.push_str("</code></pre></div></div>\n");
            }
        }
    }
    out
}

fn markdownify(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::scalar(""));
    }
    Ok(Value::scalar(markdown_html(&text(input))))
}

fn jsonify(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let v = input.to_value();
    serde_json::to_string(&v)
        .map(Value::scalar)
        .map_err(|e| Error::with_msg(format!("cannot write JSON: {e}")))
}

fn items(input: &dyn ValueView) -> Vec<&dyn ValueView> {
    if let Some(a) = input.as_array() {
        a.values().collect()
    } else if let Some(o) = input.as_object() {
        o.values().collect()
    } else {
        Vec::new()
    }
}

/// `item.a.b` for a dotted property, as Jekyll's `item_property`.
fn property<'v>(item: &'v dyn ValueView, prop: &str) -> Option<&'v dyn ValueView> {
    let mut v = item;
    for key in prop.split('.') {
        let o = v.as_object()?;
        v = o.get(key)?;
    }
    Some(v)
}

/// Ruby's `<=>` between two values: numbers with numbers, strings with strings, arrays item
/// by item; `None` where Ruby's is nil (the two cannot be compared).
fn ruby_cmp(a: &dyn ValueView, b: &dyn ValueView) -> Option<std::cmp::Ordering> {
    let number = |v: &dyn ValueView| {
        matches!(v.type_name(), "whole number" | "fractional number")
            .then(|| v.as_scalar().and_then(|s| s.to_float()))
            .flatten()
    };
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x.partial_cmp(&y);
    }
    if a.type_name() == "string" && b.type_name() == "string" {
        return Some(a.to_kstr().as_str().cmp(b.to_kstr().as_str()));
    }
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        for (p, q) in x.values().zip(y.values()) {
            match ruby_cmp(p, q)? {
                std::cmp::Ordering::Equal => {}
                o => return Some(o),
            }
        }
        return Some(x.size().cmp(&y.size()));
    }
    (super::conditions::is_bool(a) && super::conditions::is_bool(b) && a.to_kstr() == b.to_kstr())
        .then_some(std::cmp::Ordering::Equal)
}

/// Jekyll's `sort` (which replaces Liquid's): without a property, the items as Ruby's
/// `Array#sort` orders them (items it cannot compare are an error); with one, by that
/// property (`a.b` paths too), nils first unless the second argument says `last`, values
/// Ruby cannot compare by their `to_s`.
fn sort(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    use std::cmp::Ordering;
    if input.is_nil() {
        return Err(Error::with_msg("Cannot sort a null object."));
    }
    let items: Vec<Value> = if let Some(a) = input.as_array() {
        a.values().map(|v| v.to_value()).collect()
    } else if let Some(o) = input.as_object() {
        o.iter()
            .map(|(k, v)| Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()]))
            .collect()
    } else {
        // As Liquid's own `sort` reads it (Jekyll's would fail): a list of itself.
        vec![input.to_value()]
    };
    let Some(p) = prop(args) else {
        let mut failed = None;
        let mut items = items;
        items.sort_by(|a, b| {
            ruby_cmp(a, b).unwrap_or_else(|| {
                failed.get_or_insert_with(|| {
                    format!(
                        "comparison of {} with {} failed",
                        a.type_name(),
                        b.type_name()
                    )
                });
                Ordering::Equal
            })
        });
        return match failed {
            Some(msg) => Err(Error::with_msg(msg)),
            None => Ok(Value::Array(items)),
        };
    };
    let nils_first = match args.get(1).map(|v| v.to_kstr().to_string()).as_deref() {
        None | Some("first") => true,
        Some("last") => false,
        Some(other) => {
            return Err(Error::with_msg(format!(
                "Invalid nils order: '{other}' is not a valid nils order. It must be 'first' or 'last'."
            )))
        }
    };
    let mut keyed: Vec<(Value, Value)> = items
        .into_iter()
        .map(|item| {
            let key = property(&item, &p).map_or(Value::Nil, |v| v.to_value());
            (key, item)
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| match (a.is_nil(), b.is_nil()) {
        (true, true) => Ordering::Equal,
        (true, false) if nils_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if nils_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => ruby_cmp(a, b)
            .unwrap_or_else(|| super::tags::ruby_text(a).cmp(&super::tags::ruby_text(b))),
    });
    Ok(Value::Array(keyed.into_iter().map(|(_, v)| v).collect()))
}

fn where_(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let (prop, want) = (arg(args, 0), arg(args, 1));
    let matched = items(input)
        .into_iter()
        .filter(|item| match property(*item, &prop) {
            Some(v) => match v.as_array() {
                Some(a) => a.values().any(|x| x.to_kstr() == want.as_str()),
                None => {
                    let s = if v.is_nil() {
                        KStringCow::from("")
                    } else {
                        v.to_kstr()
                    };
                    s == want.as_str()
                }
            },
            None => want.is_empty(),
        })
        .map(|v| v.to_value())
        .collect();
    Ok(Value::Array(matched))
}

/// Renders `template(exp)` once per item with `var` bound to it: (output, item).
fn per_item(
    input: &dyn ValueView,
    args: &[Value],
    rt: &dyn Runtime,
    template: fn(&str) -> String,
) -> Result<Vec<(String, Value)>> {
    let (var, exp) = (arg(args, 0), arg(args, 1));
    let shared = super::with_state(rt, |s| s.shared.clone())
        .ok_or_else(|| Error::with_msg("an expression filter outside a render"))?;
    let parsed = shared
        .parse(&template(&exp), super::rewrite::Variant::Plain)
        .map_err(|(_, m)| Error::with_msg(m))?;
    let mut out = Vec::new();
    for item in items(input) {
        let mut frame: HashMap<KStringCow<'_>, &dyn ValueView> = HashMap::new();
        frame.insert(KStringCow::from(var.as_str()), item);
        let mut buf = Vec::new();
        parsed
            .template
            .render_to(&mut buf, &super::Lenient::scope(rt, &frame))?;
        out.push((String::from_utf8_lossy(&buf).into_owned(), item.to_value()));
    }
    Ok(out)
}

/// The items for which the Liquid condition `args[1]` holds, `args[0]` naming the item.
fn matching_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Vec<Value>> {
    let rendered = per_item(input, args, rt, |exp| {
        format!("{{% if {exp} %}}1{{% endif %}}")
    })?;
    Ok(rendered
        .into_iter()
        .filter(|(out, _)| out == "1")
        .map(|(_, v)| v)
        .collect())
}

fn where_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    Ok(Value::Array(matching_exp(input, args, rt)?))
}

fn find(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    match where_(input, args, rt)? {
        Value::Array(a) => Ok(a.into_iter().next().unwrap_or(Value::Nil)),
        other => Ok(other),
    }
}

fn find_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    Ok(matching_exp(input, args, rt)?
        .into_iter()
        .next()
        .unwrap_or(Value::Nil))
}

fn groups(keyed: Vec<(String, Value)>) -> Value {
    let mut order: Vec<(String, Vec<Value>)> = Vec::new();
    for (k, v) in keyed {
        match order.iter_mut().find(|(n, _)| *n == k) {
            Some((_, items)) => items.push(v),
            None => order.push((k, vec![v])),
        }
    }
    Value::Array(
        order
            .into_iter()
            .map(|(name, items)| {
                let mut o = liquid_core::Object::new();
                o.insert("name".into(), Value::scalar(name));
                o.insert("size".into(), Value::scalar(items.len() as i64));
                o.insert("items".into(), Value::Array(items));
                Value::Object(o)
            })
            .collect(),
    )
}

fn group_by(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let prop = arg(args, 0);
    let keyed = items(input)
        .into_iter()
        .map(|item| {
            let key = property(item, &prop)
                .filter(|v| !v.is_nil())
                .map(|v| v.to_kstr().to_string())
                .unwrap_or_default();
            (key, item.to_value())
        })
        .collect();
    Ok(groups(keyed))
}

fn group_by_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    Ok(groups(per_item(input, args, rt, |exp| {
        format!("{{{{ {exp} }}}}")
    })?))
}

fn xml_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::scalar(crate::html::escape_attr(&text(input))))
}

fn percent(s: &str, keep: &str, space_plus: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else if b == b' ' && space_plus {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn cgi_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(percent(&text(input), "*-._", true)))
}

fn uri_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(percent(
        &text(input),
        "-._~:/?#[]@!$&'()*+,;=%",
        false,
    )))
}

fn date_format(input: &dyn ValueView, fmt: &str) -> Result<Value> {
    let Some(date) = input.as_scalar().and_then(|s| s.to_date_time()) else {
        return Ok(input.to_value());
    };
    date.format(fmt)
        .map(Value::scalar)
        .map_err(|_| Error::with_msg(format!("invalid date format `{fmt}`")))
}

fn date_to_string(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_format(input, "%d %b %Y")
}

fn date_to_long_string(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_format(input, "%d %B %Y")
}

fn date_to_xmlschema(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_format(input, "%Y-%m-%dT%H:%M:%S%:z")
}

fn date_to_rfc822(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_format(input, "%a, %d %b %Y %H:%M:%S %z")
}

fn number_of_words(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(text(input).split_whitespace().count() as i64))
}

fn normalize_whitespace(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(
        text(input).split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

fn inspect(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(input.source().to_string()))
}

/// Jekyll's smartify (curly quotes, dashes, ellipses) for the common cases.
fn smartify(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let s = text(input)
        .replace("---", "\u{2014}")
        .replace("--", "\u{2013}")
        .replace("...", "\u{2026}");
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        let open = prev.is_whitespace() || "([{".contains(prev);
        out.push(match c {
            '"' if open => '\u{201C}',
            '"' => '\u{201D}',
            '\'' if open => '\u{2018}',
            '\'' => '\u{2019}',
            c => c,
        });
        prev = c;
    }
    Ok(Value::scalar(out))
}

/// Jekyll's `sample` is random; a build must be reproducible, so it takes the first items.
fn sample(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let all = items(input);
    match args
        .first()
        .and_then(|n| n.as_scalar().and_then(|s| s.to_integer()))
    {
        Some(n) => Ok(Value::Array(
            all.into_iter()
                .take(n.max(0) as usize)
                .map(|v| v.to_value())
                .collect(),
        )),
        None => Ok(all.first().map_or(Value::Nil, |v| v.to_value())),
    }
}

/// Values a filter may make: a string of more than [`MAX_OUTPUT`](super::MAX_OUTPUT) bytes
/// or an array of more than this many items stops the render (an `append` that doubles a
/// string 40 times would need a terabyte).
pub(crate) const MAX_ITEMS: usize = 4 << 20;

/// Any filter, with the size of what it makes checked (see [`MAX_ITEMS`]).
#[derive(Clone)]
pub(crate) struct Limited(pub Box<dyn ParseFilter>);

impl ParseFilter for Limited {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        let name = self.0.reflection().name().to_string();
        Ok(Box::new(LimitedFilter(self.0.parse(arguments)?, name)))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self.0.reflection()
    }
}

/// The filter and its name.
#[derive(Debug)]
struct LimitedFilter(Box<dyn Filter>, String);

impl fmt::Display for LimitedFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Filter for LimitedFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let value = self.0.evaluate(input, runtime)?;
        let over = match &value {
            Value::Scalar(s) => (s.to_kstr().len() > super::MAX_OUTPUT).then(|| {
                format!(
                    "the filter `{}` made a string of more than {} MiB",
                    self.1,
                    super::MAX_OUTPUT >> 20
                )
            }),
            Value::Array(a) => (a.len() > MAX_ITEMS).then(|| {
                format!(
                    "the filter `{}` made an array of more than {MAX_ITEMS} items",
                    self.1
                )
            }),
            _ => None,
        };
        match over {
            None => Ok(value),
            Some(msg) => {
                super::with_state(runtime, |s| s.limit(s.at, msg.clone()));
                Err(Error::with_msg(msg))
            }
        }
    }
}

/// Ruby Liquid's base64 filters: standard and URL-safe alphabets, both with padding; the
/// URL-safe decoder takes either alphabet, as Ruby's `urlsafe_decode64` does.
pub(crate) fn base64() -> Vec<Simple> {
    vec![
        Simple::new("base64_encode", base64_encode, 0, 0),
        Simple::new("base64_decode", base64_decode, 0, 0),
        Simple::new("base64_url_safe_encode", base64_url_safe_encode, 0, 0),
        Simple::new("base64_url_safe_decode", base64_url_safe_decode, 0, 0),
    ]
}

fn base64_encode(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    use base64::Engine;
    Ok(Value::scalar(
        base64::engine::general_purpose::STANDARD.encode(text(input)),
    ))
}

fn base64_url_safe_encode(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    use base64::Engine;
    Ok(Value::scalar(
        base64::engine::general_purpose::URL_SAFE.encode(text(input)),
    ))
}

fn decode64(encoded: &str) -> Result<Value> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| Error::with_msg(format!("invalid base64 ({e})")))?;
    Ok(Value::scalar(String::from_utf8_lossy(&bytes).into_owned()))
}

fn base64_decode(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    decode64(&text(input))
}

fn base64_url_safe_decode(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut s: String = text(input)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !s.len().is_multiple_of(4) {
        s.push('=');
    }
    decode64(&s)
}

/// Ruby Liquid 5's `replace_last` and `remove_last`.
pub(crate) fn last_of() -> Vec<Simple> {
    vec![
        Simple::new("replace_last", replace_last, 2, 2),
        Simple::new("remove_last", remove_last, 1, 1),
    ]
}

/// `input` with the last `find` made `with` (an empty `find` is found at the end).
fn replace_last_of(input: &dyn ValueView, find: &str, with: &str) -> Value {
    let s = text(input);
    Value::scalar(match s.rfind(find) {
        Some(at) => format!("{}{with}{}", &s[..at], &s[at + find.len()..]),
        None => s,
    })
}

fn replace_last(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(replace_last_of(input, &arg(args, 0), &arg(args, 1)))
}

fn remove_last(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(replace_last_of(input, &arg(args, 0), ""))
}

/// Ruby Liquid's `default: value, allow_false: bool`: `value` (or nothing) when the input
/// is nil, false or empty; with `allow_false`, `false` is kept.
#[derive(Clone)]
pub(crate) struct DefaultFilter;

impl FilterReflection for DefaultFilter {
    fn name(&self) -> &str {
        "default"
    }
    fn description(&self) -> &str {
        "the value, or a default when it is nil, false or empty"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for DefaultFilter {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        let positional: Vec<Expression> = arguments.positional.collect();
        let mut allow_false = None;
        for (key, value) in arguments.keyword {
            if key != "allow_false" {
                return Err(Error::with_msg(format!(
                    "filter `default` has no argument `{key}`"
                )));
            }
            allow_false = Some(value);
        }
        if positional.len() > 1 {
            return Err(Error::with_msg("filter `default` takes 0 to 1 arguments"));
        }
        Ok(Box::new(Defaulted {
            value: positional.into_iter().next(),
            allow_false,
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

#[derive(Debug)]
struct Defaulted {
    value: Option<Expression>,
    allow_false: Option<Expression>,
}

impl fmt::Display for Defaulted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "default")
    }
}

impl Filter for Defaulted {
    fn evaluate(&self, input: &dyn ValueView, rt: &dyn Runtime) -> Result<Value> {
        let eval = |e: &Option<Expression>| {
            e.as_ref()
                .and_then(|e| e.try_evaluate(rt).map(|v| v.into_owned()))
                .unwrap_or(Value::Nil)
        };
        let allow_false = eval(&self.allow_false).query_state(liquid_core::model::State::Truthy);
        let is_false = input.as_scalar().and_then(|s| s.to_bool()) == Some(false);
        let empty = input.is_nil()
            || (is_false && !allow_false)
            || input.as_array().is_some_and(|a| a.size() == 0)
            || input.as_object().is_some_and(|o| o.size() == 0)
            || (input.as_scalar().is_some() && !is_false && input.to_kstr().is_empty());
        Ok(if empty {
            match &self.value {
                Some(_) => eval(&self.value),
                None => Value::scalar(""),
            }
        } else {
            input.to_value()
        })
    }
}

/// `split`, `first`, `last` and `join` as Ruby Liquid 5.4 runs them where `liquid-lib`
/// differs: `split` is Ruby's `String#split` (a single space splits on runs of whitespace,
/// an empty or nil separator into characters, trailing empty parts dropped); `first` and
/// `last` of what is not an array are nil (`first` of a hash is its first pair); `join` of what is
/// not an array is the value as text.
pub(crate) fn ruby_lists() -> Vec<Simple> {
    vec![
        Simple::new("split", split, 1, 1),
        Simple::new("first", first, 0, 0),
        Simple::new("last", last, 0, 0),
        Simple::new("join", join, 0, 1),
    ]
}

fn split(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let s = text(input);
    let sep = arg(args, 0);
    let mut parts: Vec<String> = if sep == " " {
        s.split_whitespace().map(str::to_string).collect()
    } else if sep.is_empty() {
        s.chars().map(String::from).collect()
    } else {
        s.split(sep.as_str()).map(str::to_string).collect()
    };
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    Ok(Value::Array(parts.into_iter().map(Value::scalar).collect()))
}

/// The first (or last) item of an array, or pair of a hash; nil for anything else.
pub(crate) fn end_of(input: &dyn ValueView, last: bool) -> Value {
    if let Some(a) = input.as_array() {
        let item = if last { a.last() } else { a.first() };
        return item.map_or(Value::Nil, |v| v.to_value());
    }
    // A Ruby hash has a first pair (it is enumerable) but no `last`; the first in key
    // order, as a loop over a hash goes (`loops::values`), never the `HashMap`'s.
    if let Some(o) = input.as_object().filter(|_| !last) {
        return o
            .iter()
            .min_by(|a, b| a.0.as_str().cmp(b.0.as_str()))
            .map_or(Value::Nil, |(k, v)| {
                Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()])
            });
    }
    Value::Nil
}

fn first(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(end_of(input, false))
}

fn last(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(end_of(input, true))
}

fn join(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let sep = if args.is_empty() {
        " ".to_string()
    } else {
        arg(args, 0)
    };
    // Ruby joins the flattened items, each as its `to_s`.
    let mut items: Vec<String> = Vec::new();
    each_listed(input, &mut |v| {
        items.push(super::tags::ruby_text(v));
        Ok(())
    })?;
    Ok(Value::scalar(items.join(&sep)))
}

/// `reverse`, `compact`, `uniq`, `truncatewords` and `url_encode` as Ruby Liquid 5.4 runs
/// them: a value that is not an array is a list of itself (nil of nothing), `compact` and
/// `uniq` take a property, `truncatewords` splits on runs of whitespace, and `url_encode`
/// is Ruby's `CGI.escape`.
pub(crate) fn ruby_more() -> Vec<Simple> {
    vec![
        Simple::new("reverse", reverse, 0, 0),
        Simple::new("compact", compact, 0, 1),
        Simple::new("uniq", uniq, 0, 1),
        Simple::new("truncatewords", truncatewords, 0, 2),
        Simple::new("url_encode", url_encode, 0, 0),
        Simple::new("concat", concat, 1, 1),
        Simple::new("map", map, 1, 1),
        Simple::new("newline_to_br", newline_to_br, 0, 0),
        Simple::new("replace", replace, 1, 2),
        Simple::new("slice", slice, 1, 2),
        Simple::new("sort_natural", sort_natural, 0, 1),
        Simple::new("date", date, 1, 1),
        Simple::new(super::rewrite::RANGE, range_to, 1, 1),
        Simple::new(super::rewrite::VAR, variable_named, 0, 0),
    ]
}

/// `{{ [name] }}` (see `rewrite::VAR`): the variable whose name is the input.
fn variable_named(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let name = liquid_core::model::ScalarCow::new(text(input));
    Ok(rt.try_get(&[name]).map_or(Value::Nil, |v| v.into_owned()))
}

/// A range value `(a..b)` (see `rewrite::RANGE`): the integers from `a` to `b`, each read
/// as Ruby's `to_i` reads it; one longer than a value may hold is a limit, not a huge array.
fn range_to(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    super::loops::range_array(input, &args[0]).ok_or_else(|| {
        let msg = format!(
            "the range ({}..{}) has more than {MAX_ITEMS} items",
            input.to_kstr(),
            args[0].to_kstr()
        );
        super::with_state(rt, |s| s.limit(s.at, msg.clone()));
        Error::with_msg(msg)
    })
}

/// The items of `input` as Ruby's `InputIterator` sees them: an array flattened, nil
/// nothing, anything else a list of itself.
fn listed(input: &dyn ValueView) -> Vec<Value> {
    let mut out = Vec::new();
    let _ = each_listed(input, &mut |v| {
        out.push(v.to_value());
        Ok(())
    });
    out
}

/// Calls `f` on each of the items [`listed`] would make, without copying them.
fn each_listed(
    input: &dyn ValueView,
    f: &mut dyn FnMut(&dyn ValueView) -> Result<()>,
) -> Result<()> {
    match input.as_array() {
        Some(a) => a.values().try_for_each(|v| match v.as_array() {
            Some(_) => each_listed(v, f),
            None => f(v),
        }),
        None if input.is_nil() => Ok(()),
        None => f(input),
    }
}

/// Ruby 5.4's `concat`: the input as a flattened list, then the argument's items; an
/// argument that is not an array is an error.
fn concat(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let Some(more) = args.first().and_then(|a| a.as_array()) else {
        return Err(Error::with_msg("concat filter requires an array argument"));
    };
    let mut all = listed(input);
    all.extend(more.values().map(|v| v.to_value()));
    Ok(Value::Array(all))
}

/// Ruby 5.4's `map`: each item of the flattened input (a hash is one item) by its property;
/// nil where an item has none, an error for an item that cannot have properties.
fn map(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let p = arg(args, 0);
    let mut out = Vec::new();
    each_listed(input, &mut |item| {
        out.push(if let Some(o) = item.as_object() {
            o.get(&p).map_or(Value::Nil, |v| v.to_value())
        } else if item.is_nil() || super::conditions::is_bool(item) {
            Value::Nil
        } else if item.type_name() == "string" {
            // Ruby's `String#[]`: the substring when there is one.
            if item.to_kstr().contains(p.as_str()) {
                Value::scalar(p.clone())
            } else {
                Value::Nil
            }
        } else {
            return Err(Error::with_msg(format!(
                "cannot select the property `{p}` of {}",
                super::tags::ruby_inspect(item)
            )));
        });
        Ok(())
    })?;
    Ok(Value::Array(out))
}

fn newline_to_br(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(
        text(input).replace("\r\n", "\n").replace('\n', "<br />\n"),
    ))
}

fn replace(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(
        text(input).replace(arg(args, 0).as_str(), arg(args, 1).as_str()),
    ))
}

/// Ruby's `Utils.to_integer`: an integer, or a string that is one; anything else fails.
fn ruby_integer(v: &Value) -> Result<i64> {
    if v.type_name() == "whole number" {
        if let Some(i) = v.as_scalar().and_then(|s| s.to_integer()) {
            return Ok(i);
        }
    }
    let s = text(v);
    s.trim()
        .parse()
        .map_err(|_| Error::with_msg(format!("invalid integer `{s}`")))
}

/// Ruby 5.4's `slice`: `offset` from the end when negative, `length` 1 unless given (a nil
/// length is not given); nothing when the offset is past the end.
fn slice(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let offset = ruby_integer(&args[0])?;
    let length = match args.get(1).filter(|v| !v.is_nil()) {
        Some(v) => ruby_integer(v)?,
        None => 1,
    };
    let range = |total: usize| -> Option<(usize, usize)> {
        let total = total as i64;
        let start = if offset < 0 { offset + total } else { offset };
        (length >= 0 && (0..=total).contains(&start))
            .then(|| (start as usize, (start + length).min(total) as usize))
    };
    if let Some(a) = input.as_array() {
        let items: Vec<Value> = a.values().map(|v| v.to_value()).collect();
        return Ok(Value::Array(
            range(items.len()).map_or_else(Vec::new, |(s, e)| items[s..e].to_vec()),
        ));
    }
    let chars: Vec<char> = text(input).chars().collect();
    Ok(Value::scalar(
        range(chars.len()).map_or_else(String::new, |(s, e)| chars[s..e].iter().collect()),
    ))
}

/// Ruby 5.4's `sort_natural`: by `to_s`, ignoring ASCII case, nils last; by a property
/// when one is given.
fn sort_natural(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let p = prop(args);
    let mut all: Vec<(Option<String>, Value)> = listed(input)
        .into_iter()
        .map(|item| {
            let key = keyed(&item, p.as_deref());
            let key = (!key.is_nil()).then(|| super::tags::ruby_text(&key).to_ascii_lowercase());
            (key, item)
        })
        .collect();
    all.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (a, b) => a.is_none().cmp(&b.is_none()),
    });
    Ok(Value::Array(all.into_iter().map(|(_, v)| v).collect()))
}

/// Ruby 5.4's `date`: an integer (or a string of digits) is seconds since the epoch, `now`
/// and `today` the time of the build, other strings are read as Ruby's `Time.parse` reads
/// the common forms (`2016-03-14`, `March 14, 2016`, with a time and zone or without); what
/// is not a date is given back as it is.
fn date(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let fmt = arg(args, 0);
    if fmt.is_empty() || input.is_nil() {
        return Ok(input.to_value());
    }
    let Some(scalar) = input.as_scalar() else {
        return Ok(input.to_value());
    };
    let s = marks::strip(&scalar.to_kstr()).trim().to_string();
    let parsed = if input.type_name() == "whole number" || s.bytes().all(|b| b.is_ascii_digit()) {
        liquid_core::model::DateTime::from_str(&s)
    } else if s.starts_with('-') {
        None
    } else {
        scalar
            .to_date_time()
            .or_else(|| loose_date(&s).and_then(|d| liquid_core::model::DateTime::from_str(&d)))
    };
    let Some(date) = parsed else {
        return Ok(input.to_value());
    };
    date.format(&fmt)
        .map(Value::scalar)
        .map_err(|_| Error::with_msg(format!("invalid date format `{fmt}`")))
}

/// A date in a form Ruby's `Time.parse` reads and `liquid`'s does not, rewritten as
/// `YYYY-MM-DD HH:MM:SS +ZZZZ` (UTC when no zone is given).
fn loose_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let iso = s.len() >= 10
        && s.is_char_boundary(10)
        && s[..10].bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let (day, rest) = if iso {
        (
            s[..10].to_string(),
            s[10..].trim_start_matches(['T', 't', ' ']),
        )
    } else {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let month = words.iter().find_map(|w| {
            let w = w.to_ascii_lowercase();
            MONTHS.iter().position(|m| {
                w.len() >= 3 && m.starts_with(&w[..3]) && w.chars().all(|c| c.is_ascii_alphabetic())
            })
        })?;
        let numbers: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let year = numbers.iter().find(|n| n.len() == 4)?;
        let dd = numbers.iter().find(|n| n.len() <= 2)?;
        let time = words
            .iter()
            .find(|w| w.contains(':'))
            .copied()
            .unwrap_or("");
        (
            format!("{year}-{:02}-{:02}", month + 1, dd.parse::<u32>().ok()?),
            time,
        )
    };
    let rest = rest.trim();
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(split);
    let mut hms: Vec<&str> = time.split('.').next().unwrap_or("").split(':').collect();
    if hms == [""] {
        hms.clear();
    }
    if hms.len() > 3 || hms.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    while hms.len() < 3 {
        hms.push("00");
    }
    let zone = match zone.trim() {
        "" | "Z" | "z" | "UTC" | "GMT" => "+0000".to_string(),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 6 => z.replace(':', ""),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 5 => z.to_string(),
        _ => return None,
    };
    Some(format!(
        "{day} {:0>2}:{:0>2}:{:0>2} {zone}",
        hms[0], hms[1], hms[2]
    ))
}

/// `item[prop]`, or the item itself without a property.
fn keyed(item: &Value, prop: Option<&str>) -> Value {
    match prop {
        None => item.clone(),
        Some(p) => item
            .as_object()
            .and_then(|o| o.get(p))
            .map_or(Value::Nil, |v| v.to_value()),
    }
}

fn prop(args: &[Value]) -> Option<String> {
    args.first()
        .filter(|v| !v.is_nil())
        .map(|v| v.to_kstr().to_string())
}

fn reverse(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut all = listed(input);
    all.reverse();
    Ok(Value::Array(all))
}

fn compact(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let p = prop(args);
    Ok(Value::Array(
        listed(input)
            .into_iter()
            .filter(|i| !keyed(i, p.as_deref()).is_nil())
            .collect(),
    ))
}

fn uniq(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let p = prop(args);
    let mut seen: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    for item in listed(input) {
        let key = keyed(&item, p.as_deref());
        if !seen.contains(&key) {
            seen.push(key);
            out.push(item);
        }
    }
    Ok(Value::Array(out))
}

fn truncatewords(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let s = text(input);
    let n = match args.first() {
        None => 15,
        Some(v) => v
            .as_scalar()
            .and_then(|s| s.to_integer())
            .ok_or_else(|| Error::with_msg("truncatewords: the word count must be a number"))?,
    }
    .max(1) as usize;
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= n {
        return Ok(Value::scalar(s));
    }
    let end = if args.len() > 1 {
        arg(args, 1)
    } else {
        "...".to_string()
    };
    Ok(Value::scalar(format!("{}{end}", words[..n].join(" "))))
}

fn url_encode(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut out = String::new();
    for b in text(input).bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::scalar(out))
}
