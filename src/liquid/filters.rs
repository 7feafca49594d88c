//! Jekyll's filters that `liquid-lib` does not have (its `jekyll` module brings `sort`,
//! `slugify`, `push`, `pop`, `shift`, `unshift`, `array_to_sentence_string`), written as
//! plain functions over evaluated arguments and registered through one adapter.

use super::marks;
use crate::config::zone;
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
            // Jekyll's `where` and `find` take a property and a value (Ruby Liquid's
            // one-argument form raises there).
            arity: matches!(name, "where" | "find").then_some((2, 2)),
        })
        .collect()
}

/// A filter's input as a string, as Ruby's `to_s` makes it (a hash is its `inspect`).
pub(super) fn text(v: &dyn ValueView) -> String {
    if v.is_object() {
        return super::tags::ruby_inspect(v);
    }
    marks::strip(&v.to_kstr()).into_owned()
}

pub(super) fn arg(args: &[Value], i: usize) -> String {
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
            crate::markdown::Block::Html(h) => out.push_str(&h.html()),
            crate::markdown::Block::Code(c) => {
                let highlighter = crate::highlight::Highlighter::new();
                let named = c.lang.as_deref().filter(|l| !l.trim().is_empty());
                // A language Rouge has no lexer for is not highlighted: kramdown writes the
                // bare `<pre>`, the block's IAL on it and the language on its `<code>`.
                if let Some(lang) = named.filter(|l| marked(l) || !highlighter.knows(l)) {
                    out.push_str("<pre");
                    write_title(&mut out, c.title.as_deref());
                    c.attrs.write(&mut out, None);
                    out.push_str("><code class=\"language-");
                    crate::html::escape_into(&mut out, lang);
                    out.push_str("\">");
                    crate::html::escape_text_into(&mut out, &c.code);
                    out.push_str("</code></pre>\n");
                    continue;
                }
                // kramdown puts the block's IAL (`{: title="Curl" }`) on the wrapper: Aviator's
                // script makes the sample's tab from its title.
                let lang = named.unwrap_or("plaintext");
                out.push_str("<div");
                // kramdown's class: the language first, then the IAL's classes, then the
                // highlighter's (`language-ruby wide highlighter-rouge`). A fence's language
                // is a class from the start: with the IAL's classes added to it, it stays
                // ahead of the IAL's id and title; alone, it is taken out and put back last.
                let mut attrs = c.attrs.clone();
                let ial_classes = !attrs.classes.is_empty();
                attrs.classes.insert(0, format!("language-{lang}"));
                attrs.classes.push("highlighter-rouge".into());
                let class = attrs.classes.join(" ");
                if named.is_some() {
                    attrs.classes.clear();
                    if ial_classes {
                        crate::html::push_attr(&mut out, "class", &class);
                        if let Some(id) = attrs.id.take() {
                            crate::html::push_attr(&mut out, "id", &id);
                        }
                    }
                }
                write_title(&mut out, c.title.as_deref());
                attrs.write(&mut out, None);
                if named.is_some() && !ial_classes {
                    crate::html::push_attr(&mut out, "class", &class);
                }
                out.push_str("><div class=\"highlight\"><pre class=\"highlight\"><code>");
                if highlighter.colours(named) {
                    // Highlighted with the Rouge class names (`s`, `k`, `n`, `nf` …) the
                    // site's own syntax stylesheet colours, as Jekyll's Rouge output is;
                    // punctuation is bare, as endpaper's theme colours it (Rouge themes
                    // mostly give punctuation the text colour).
                    out.push_str(&crate::highlight::rouge_spans(
                        &highlighter.highlight(&c.code, named).html,
                    ));
                } else {
                    // Rouge's plain-text lexer writes its one token bare.
                    crate::html::escape_text_into(&mut out, &c.code);
                }
                out.push_str("</code></pre></div></div>\n");
            }
        }
    }
    out
}

/// Whether a language name holds an invisible format character (U+200B to U+200F, U+2060
/// to U+206F), as a field does that the structure pass marked: no grammar's name or file
/// extension has one, so the name is known to no grammar, and asking would load them all.
fn marked(lang: &str) -> bool {
    lang.chars()
        .any(|c| matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}'))
}

fn write_title(out: &mut String, title: Option<&str>) {
    if let Some(title) = title {
        out.push_str(" title=\"");
        crate::html::escape_into(out, title);
        out.push('"');
    }
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

/// The property a filter's first argument names, if it names one.
pub(super) fn prop(args: &[Value]) -> Option<String> {
    args.first()
        .filter(|v| !v.is_nil())
        .map(|v| v.to_kstr().to_string())
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

/// Jekyll's `where`: the items whose `property` is the target as Jekyll compares them
/// ([`is_target`]); some inputs are given back unfiltered ([`unfiltered`]).
fn where_(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    if let Some(v) = unfiltered(input, args) {
        return Ok(v);
    }
    let prop = arg(args, 0);
    let matched = items(input)
        .into_iter()
        .filter(|item| is_target(property(*item, &prop), args.get(1)))
        .map(|v| v.to_value())
        .collect();
    Ok(Value::Array(matched))
}

/// Jekyll's guards of `where` and `find`: without a property (nil or false), with a list
/// or hash as the target, or on an input that is neither a list nor a hash (a string, a
/// number, nil), the input comes back as it is.
fn unfiltered(input: &dyn ValueView, args: &[Value]) -> Option<Value> {
    let no_property = args
        .first()
        .is_none_or(|p| p.is_nil() || p.as_scalar().and_then(|s| s.to_bool()) == Some(false));
    let container = args
        .get(1)
        .is_some_and(|t| t.as_array().is_some() || t.as_object().is_some());
    let listable = input.as_array().is_some() || input.as_object().is_some();
    (no_property || container || !listable).then(|| input.to_value())
}

/// Jekyll's `compare_property_vs_target`: a nil target matches a nil (or missing)
/// property only; otherwise the target's text equals a string property, or the text of the
/// property or of one of its items (nil is no item: it never matches a text, not even "").
fn is_target(property: Option<&dyn ValueView>, target: Option<&Value>) -> bool {
    let property = property.filter(|p| !p.is_nil());
    let Some(target) = target.filter(|t| !t.is_nil()) else {
        return property.is_none();
    };
    let target = target.to_kstr();
    match property {
        None => false,
        Some(p) => match p.as_array() {
            Some(a) => a
                .values()
                .any(|x| !x.is_nil() && x.to_kstr() == target.as_str()),
            None => p.to_kstr() == target.as_str(),
        },
    }
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
        .parse_cached(&template(&exp), super::rewrite::Variant::Plain)
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
    if let Some(v) = unfiltered(input, args) {
        return Ok(v);
    }
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

/// Jekyll's date filters: the input as a time (a string without an offset the site zone's
/// civil time), then `Time#localtime`, so even a string's own offset is shown in the zone.
fn date_format(input: &dyn ValueView, fmt: &str) -> Result<Value> {
    let Some(scalar) = input.as_scalar() else {
        return Ok(input.to_value());
    };
    // `… UTC`, as a front matter's `Z` timestamp is shown (`zone::front_matter`), is a form
    // `Time.parse` reads and `liquid`'s parser does not.
    let loose = || {
        zone::loose_date(&scalar.to_kstr()).and_then(|d| liquid_core::model::DateTime::from_str(&d))
    };
    let Some(date) = scalar.to_date_time().or_else(loose) else {
        return Ok(input.to_value());
    };
    let date = match input.type_name() {
        "date time" => zone::local(date),
        _ => zone::parsed(&scalar.to_kstr(), date),
    };
    zone::format(&date, fmt)
        .map(Value::scalar)
        .ok_or_else(|| Error::with_msg(format!("invalid date format `{fmt}`")))
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

/// Jekyll's `inspect`: Ruby's `inspect` of the value, XML-escaped.
fn inspect(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(crate::html::escape_attr(
        &super::tags::ruby_inspect(input),
    )))
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
