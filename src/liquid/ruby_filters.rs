//! Ruby Liquid 5.4's list, string and `date` filters (and `default`), registered over
//! `liquid-lib`'s where the two differ, so a template renders as it does under Jekyll.

use super::filters::{arg, prop, text, Simple, MAX_ITEMS};
use super::marks;
use crate::config::zone;
use crate::model::epoch_time;
use liquid_core::model::ValueView;
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{
    Error, Expression, Filter, FilterReflection, ParseFilter, Result, Runtime, Value,
};
use std::fmt;

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
    // A Ruby hash has a first pair (it is enumerable) but no `last`: the first written.
    if let Some(o) = input.as_object().filter(|_| !last) {
        return o.iter().next().map_or(Value::Nil, |(k, v)| {
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
        Simple::new(super::names::RANGE, range_to, 1, 1),
        Simple::new(super::names::VAR, variable_named, 0, 0),
    ]
}

/// `{{ [name] }}` (see `names::VAR`): the variable whose name is the input.
fn variable_named(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let name = liquid_core::model::ScalarCow::new(text(input));
    Ok(rt.try_get(&[name]).map_or(Value::Nil, |v| v.into_owned()))
}

/// A range value `(a..b)` (see `names::RANGE`): the integers from `a` to `b`, each read
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
/// and `today` the time of the build (`SOURCE_DATE_EPOCH` when set), other strings are read as Ruby's `Time.parse` reads
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
    // Ruby shows a time in the site's zone (`config::zone`) unless a string names its own
    // offset, which `Time.parse` keeps; a string without one is the zone's civil time.
    let parsed = if input.type_name() == "whole number" || s.bytes().all(|b| b.is_ascii_digit()) {
        liquid_core::model::DateTime::from_str(&s).map(zone::local)
    } else if s.starts_with('-') {
        None
    } else if let "now" | "today" = s.to_lowercase().as_str() {
        // `SOURCE_DATE_EPOCH` fixes the build's time for `now` too (`model::site_time`).
        Some(zone::local(
            epoch_time().unwrap_or_else(liquid_core::model::DateTime::now),
        ))
    } else if input.type_name() == "date time" {
        scalar.to_date_time().map(zone::local)
    } else {
        let d = scalar.to_date_time().or_else(|| {
            zone::loose_date(&s).and_then(|d| liquid_core::model::DateTime::from_str(&d))
        });
        d.map(|d| {
            if zone::names_offset(&s) {
                d
            } else {
                zone::civil(d)
            }
        })
    };
    let Some(date) = parsed else {
        return Ok(input.to_value());
    };
    zone::format(&date, &fmt)
        .map(Value::scalar)
        .ok_or_else(|| Error::with_msg(format!("invalid date format `{fmt}`")))
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
