//! Front matter: split a file into its YAML block and body the way Jekyll does, and parse
//! the YAML into plain JSON values. serde_yaml is archived upstream, so it is used here and
//! nowhere else: swapping the YAML reader touches this file only.

use crate::diagnostics::Diagnostic;
use crate::error::{Pos, SourceError};
use serde_json::{Map, Value};
use std::path::Path;

/// How a file begins, by Jekyll's rule (`---` on the first line, closed by `---` or `...`).
#[derive(Debug, PartialEq, Eq)]
pub enum Split<'a> {
    /// No front matter: Jekyll treats the file as a static file.
    None,
    /// Opens with `---` but never closes; `line` is where it opened.
    Unterminated,
    Block {
        yaml: &'a str,
        /// 1-based line of the first YAML line (2 when the file opens with `---`).
        yaml_line: usize,
        body: &'a str,
        /// Byte offset of the body in the file, and its 1-based first line.
        body_offset: usize,
        body_line: usize,
    },
}

/// Splits `text` (line endings already `\n`). Mirrors Jekyll's
/// `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)`.
pub fn split(text: &str) -> Split<'_> {
    let Some(first_end) = text.find('\n') else {
        return if text.trim_end() == "---" {
            Split::Unterminated
        } else {
            Split::None
        };
    };
    let first = &text[..first_end];
    if !first.starts_with("---") || !first[3..].trim().is_empty() {
        return Split::None;
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    let mut line_no = 2;
    // Each line's end by one vector scan of the text (a front matter holds long samples).
    let mut ends = memchr::memchr_iter(b'\n', &text.as_bytes()[yaml_start..]);
    while line_start <= text.len() {
        let line_end = ends.next().map_or(text.len(), |i| yaml_start + i);
        let line = &text[line_start..line_end];
        if (line.starts_with("---") || line.starts_with("...")) && line[3..].trim().is_empty() {
            let body_offset = (line_end + 1).min(text.len());
            return Split::Block {
                yaml: &text[yaml_start..line_start],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
                body_line: line_no + 1,
            };
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
        line_no += 1;
    }
    Split::Unterminated
}

/// Parses a front-matter block. Errors point at the line of the *file*, not of the block.
/// An empty block is an empty map; a block that is not a mapping is an error.
pub fn parse(yaml: &str, path: &Path, yaml_line: usize) -> Result<Map<String, Value>, SourceError> {
    parse_with_warnings(yaml, path, yaml_line).map(|(map, _)| map)
}

/// [`parse`], also returning warnings: a key given twice keeps its last value, as Jekyll's
/// Psych does, so a site builds unchanged; the repeat is reported at its line.
pub fn parse_with_warnings(
    yaml: &str,
    path: &Path,
    yaml_line: usize,
) -> Result<(Map<String, Value>, Vec<Diagnostic>), SourceError> {
    if yaml.trim().is_empty() {
        return Ok((Map::new(), Vec::new()));
    }
    if let Some(map) = flat(yaml) {
        return Ok((map, Vec::new()));
    }
    let Lenient { value, duplicates } = serde_yaml::from_str(&crate::yaml11::booleans(yaml))
        .map_err(|e| located_yaml_error(&e, yaml, path, yaml_line))?;
    let warnings = duplicates
        .iter()
        .map(|key| {
            // A top-level repeat is found by its line; a nested one is reported at the block.
            let line = yaml
                .lines()
                .enumerate()
                .filter(|(_, l)| l.strip_prefix(key.as_str()).is_some_and(|r| r.starts_with(':')))
                .nth(1)
                .map_or(yaml_line, |(i, _)| yaml_line + i);
            Diagnostic::warning(
                "duplicate-key",
                path,
                Pos::new(line, 1),
                format!("front matter key `{key}` is given more than once; like Jekyll, the last value is used"),
            )
        })
        .collect();
    match value {
        Value::Object(map) => Ok((map, warnings)),
        Value::Null => Ok((Map::new(), warnings)),
        other => Err(SourceError::new(
            path,
            Pos::new(yaml_line, 1),
            format!(
                "front matter must be a mapping of `key: value` lines, found a {}",
                kind(&other)
            ),
        )),
    }
}

/// A front matter of the shape most docs have, read without the YAML parser: one
/// `key: value` line per key (keys a plain name, each once), a value plain, quoted on its
/// line without escapes, empty, or a `|` / `|-` block of indented lines. `None` for
/// anything else (nesting, lists, comments, anchors, tags, flow values, a value running on
/// to the next line), which [`parse_with_warnings`] hands to serde_yaml; a plain value that
/// may be a number is read by serde_yaml alone. What it returns is serde_yaml's result
/// (proved by `tests::the_flat_reader_reads_every_front_matter_as_serde_yaml_does`).
fn flat(yaml: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    let mut lines = yaml.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.trim_start_matches(' ').is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        if !is_plain_key(key) || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let value = rest.trim_matches(' ');
        let value = match value {
            "|" | "|-" => Value::String(block(&mut lines, value == "|")?),
            _ => {
                // A value on one line is followed by a key or the end, never by an
                // indented line (a continuation, or a child of an empty value).
                if lines
                    .clone()
                    .map(|l| l.strip_suffix('\n').unwrap_or(l))
                    .find(|l| !l.trim_start_matches(' ').is_empty())
                    .is_some_and(|l| l.starts_with([' ', '\t']))
                {
                    return None;
                }
                scalar(value)?
            }
        };
        if map.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    Some(map)
}

/// A key [`flat`] reads as itself: a name, not one YAML reads as null, a boolean or a
/// number.
fn is_plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(
            key,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
}

/// A one-line value as serde_yaml reads it, or `None` when it is not sure to be one.
fn scalar(value: &str) -> Option<Value> {
    if value.is_empty() || matches!(value, "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    if value.contains('\t') {
        return None;
    }
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q) {
            let inner = inner.strip_suffix(q)?;
            return (!inner.contains(q) && !inner.contains('\\'))
                .then(|| Value::String(inner.to_string()));
        }
    }
    if let Some(b) = crate::yaml11::boolean(value) {
        return Some(Value::Bool(b));
    }
    match value {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if value.starts_with(|c: char| "?:,[]{}#&*!|>%@`".contains(c))
        || value.starts_with("- ")
        || value == "-"
        || value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
    {
        return None;
    }
    if let Some(number) = decimal(value) {
        return Some(number);
    }
    if value.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
        // Numbers (ints of any base, floats, `.inf`) are serde_yaml's to read, as a
        // mapping's value (alone, `...` would end a document).
        let Lenient { value, .. } = serde_yaml::from_str(&format!("k: {value}")).ok()?;
        let Value::Object(mut m) = value else {
            return None;
        };
        return m.remove("k");
    }
    Some(Value::String(value.to_string()))
}

/// A plain decimal (`12`, `-3`, `4.13`: most docs' `position:`) as serde_yaml reads it,
/// without its parser; `None` for any other number (leading zeros, `-0`, signs, exponents,
/// bases, long digits), which serde_yaml reads.
fn decimal(value: &str) -> Option<Value> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let negative = digits.len() < value.len();
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let plain = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let zeros = int.len() > 1 && int.starts_with('0') || negative && int == "0" && frac.is_none();
    if value.len() > 18 || !plain(int) || !frac.is_none_or(plain) || zeros {
        return None;
    }
    match frac {
        Some(_) => serde_json::Number::from_f64(value.parse().ok()?).map(Value::Number),
        None if negative => Some(Value::from(value.parse::<i64>().ok()?)),
        None => Some(Value::from(value.parse::<u64>().ok()?)),
    }
}

/// The text of a literal block (`|`, or `|-` when `clip` is false) whose lines follow in
/// `lines`, which it consumes; `None` for a block [`flat`] leaves to serde_yaml (its first
/// line blank or unindented, a tab in its indentation, a blank line longer than the
/// indentation, a line after it indented less but not at the left edge).
fn block<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str> + Clone>,
    clip: bool,
) -> Option<String> {
    let first = lines.peek()?.strip_suffix('\n').unwrap_or(lines.peek()?);
    let indent = first.len() - first.trim_start_matches(' ').len();
    if indent == 0 || first.trim_start_matches(' ').is_empty() || first[indent..].starts_with('\t')
    {
        return None;
    }
    // Each content line with the empty lines before it, gathered first so the text is
    // allocated once at its size: front matter is held for the whole build.
    let mut parts: Vec<(usize, &str)> = Vec::new();
    // Line breaks after the last content line, which chomping drops.
    let mut pending = 0;
    let mut ended_with_break = false;
    while let Some(&line) = lines.peek() {
        let (text, broke) = match line.strip_suffix('\n') {
            Some(t) => (t, true),
            None => (line, false),
        };
        let blank = text.trim_start_matches(' ').is_empty();
        if blank {
            if text.len() > indent {
                return None;
            }
            pending += 1;
        } else if text.len() - text.trim_start_matches(' ').len() >= indent {
            parts.push((pending, &text[indent..]));
            pending = 0;
            ended_with_break = broke;
        } else if text.starts_with([' ', '\t']) {
            return None;
        } else {
            break;
        }
        lines.next();
    }
    let clip = clip && ended_with_break;
    let size = parts.iter().map(|(n, t)| n + 1 + t.len()).sum::<usize>() - 1 + usize::from(clip);
    let mut out = String::with_capacity(size);
    for (i, (blanks, text)) in parts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n('\n', *blanks));
        out.push_str(text);
    }
    if clip {
        out.push('\n');
    }
    Some(out)
}

/// A YAML document read straight into JSON values, more leniently than
/// `serde_yaml::Value`: repeated keys keep the last value (recorded in `duplicates`),
/// integers beyond 64 bits are kept as their digits, tags are dropped. serde_yaml's own
/// limits (nesting depth, alias expansion) still apply, so no input can exhaust memory.
struct Lenient {
    value: Value,
    duplicates: Vec<String>,
}

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor)
    }
}

struct LenientVisitor;

impl LenientVisitor {
    fn plain(value: Value) -> Lenient {
        Lenient {
            value,
            duplicates: Vec::new(),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Lenient;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Lenient, E> {
        Ok(Self::plain(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Lenient, E> {
        Ok(Self::plain(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Lenient, E> {
        Ok(Self::plain(Value::from(v)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Lenient, E> {
        Ok(Self::plain(Value::String(v.to_string())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Lenient, E> {
        Ok(Self::plain(Value::String(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Lenient, E> {
        // JSON has no NaN or infinity: keep them as YAML spells them.
        Ok(Self::plain(serde_json::Number::from_f64(v).map_or_else(
            || {
                Value::String(
                    if v.is_nan() {
                        ".nan"
                    } else if v > 0.0 {
                        ".inf"
                    } else {
                        "-.inf"
                    }
                    .into(),
                )
            },
            Value::Number,
        )))
    }
    fn visit_str<E>(self, v: &str) -> Result<Lenient, E> {
        Ok(Self::plain(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Lenient, E> {
        Ok(Self::plain(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Lenient, E> {
        Ok(Self::plain(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Lenient, E> {
        Ok(Self::plain(Value::Null))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Lenient, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient, A::Error> {
        let mut items = Vec::new();
        let mut duplicates = Vec::new();
        while let Some(Lenient {
            value,
            duplicates: d,
        }) = seq.next_element()?
        {
            items.push(value);
            duplicates.extend(d);
        }
        Ok(Lenient {
            value: Value::Array(items),
            duplicates,
        })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Lenient, A::Error> {
        let mut out = Map::new();
        let mut duplicates = Vec::new();
        while let Some((k, v)) = map.next_entry::<Lenient, Lenient>()? {
            let key = match k.value {
                Value::String(s) => s,
                Value::Null => String::new(),
                // Psych takes a list or mapping as a key (`published: {{ site.x }}` is a
                // mapping whose key is a mapping, and a doc Jekyll keeps with its data).
                key @ (Value::Array(_) | Value::Object(_)) => {
                    let mut name = String::new();
                    inspect(&key, &mut name);
                    name
                }
                other => other.to_string(),
            };
            duplicates.extend(k.duplicates);
            duplicates.extend(v.duplicates);
            if out.insert(key.clone(), v.value).is_some() {
                duplicates.push(key);
            }
        }
        Ok(Lenient {
            value: Value::Object(out),
            duplicates,
        })
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Lenient, A::Error> {
        // serde_yaml hands a `!tag value` over as an enum; the tag means nothing to us.
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant::<Lenient>()
    }
}

/// A list or mapping used as a key, named as Ruby's `inspect` names it
/// (`{"site.x"=>nil}`), but with no string escaped: a key nested inside a key is escaped
/// again at every level, so 50 levels of `{{{…}}}` would take exponential time (found by
/// fuzzing); unescaped, the name grows by a few bytes a level.
fn inspect(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("nil"),
        Value::String(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inspect(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('"');
                out.push_str(k);
                out.push_str("\"=>");
                inspect(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn yaml_error(e: &serde_yaml::Error, path: &Path, yaml_line: usize, what: &str) -> SourceError {
    let pos = e.location().map_or(Pos::new(yaml_line, 1), |l| {
        Pos::new(yaml_line + l.line().saturating_sub(1), l.column().max(1))
    });
    SourceError::new(path, pos, format!("{what}: {}", yaml_message(e)))
}

/// A front-matter block's YAML error, at the construct that broke it when that can be
/// told (an unclosed quote, a tab, a line indented to no level above it, a block scalar's
/// text at its key's indent), naming where the parser stopped too: that is often lines
/// later (a quote left open on line 3 may be closed by a sample's `"` on line 10, where
/// the parser then fails).
fn located_yaml_error(
    e: &serde_yaml::Error,
    yaml: &str,
    path: &Path,
    yaml_line: usize,
) -> SourceError {
    let parser = yaml_error(e, path, yaml_line, "invalid front matter");
    let Some(stop) = e.location() else {
        return parser;
    };
    let Some((line, col, what)) = broken_construct(yaml, stop.line(), &yaml_message(e)) else {
        return parser;
    };
    SourceError::new(
        path,
        Pos::new(yaml_line + line, col),
        format!(
            "invalid front matter: {what} (the YAML parser stopped at line {}, column {}: {})",
            parser.pos.line,
            parser.pos.col,
            yaml_message(e)
        ),
    )
}

/// Where the construct that broke a YAML text starts, as (0-based line, 1-based column,
/// what it is), looking no further than the parser's stop (`stop_line`, 1-based).
fn broken_construct(
    yaml: &str,
    stop_line: usize,
    message: &str,
) -> Option<(usize, usize, &'static str)> {
    let lines: Vec<&str> = yaml.lines().take(stop_line).collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    // Indents of the lines that hold keys and items, and whether the last one opens a
    // block below it (`key:` alone, or `- `).
    let mut levels = vec![0];
    let mut opens = false;
    // The indent a block scalar (`|`, `>`) must exceed: its lines are text, not YAML; and
    // whether it has had a line yet.
    let mut scalar_above: Option<usize> = None;
    let mut scalar_empty = false;
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start_matches(' ');
        if body.trim().is_empty() {
            continue;
        }
        if let Some(above) = scalar_above {
            if indent(line) > above {
                scalar_empty = false;
                continue;
            }
            scalar_above = None;
            // Text right under `key: |` written at the key's indent: the scalar ends empty
            // and the text is read as a key that never gets its `:`.
            let keyless = !body.trim_end().ends_with(':')
                && !body.contains(": ")
                && !body.starts_with("- ")
                && !body.starts_with('#');
            if scalar_empty && keyless {
                return Some((
                    i,
                    indent(line) + 1,
                    "the text of the block scalar (`|` or `>`) above is not indented under its key",
                ));
            }
        }
        if body.starts_with('\t') {
            let col = line.find('\t').map_or(1, |c| c + 1);
            return Some((
                i,
                col,
                "a tab in the indentation (YAML indents with spaces only)",
            ));
        }
        if body.starts_with('#') {
            continue;
        }
        let at = indent(line);
        let last_line = i + 1 == lines.len();
        if last_line
            && matches!(
                message,
                "mapping values are not allowed in this context" | "did not find expected key"
            )
            && !levels.contains(&at)
            && !(opens && at > *levels.last().unwrap_or(&0))
        {
            return Some((i, at + 1, "this line is indented to no level above it"));
        }
        // The value after `key:` or `- `: an opening quote not closed on its line is the
        // likeliest culprit (it swallows the lines below until some other quote).
        let value = match body.strip_prefix("- ") {
            Some(item) => Some(item),
            None => body.find(": ").map(|c| &body[c + 2..]),
        };
        if let Some(v) = value {
            let v_trim = v.trim_start();
            let col = line.len() - v_trim.len() + 1;
            if let Some(q) = v_trim.chars().next().filter(|q| matches!(q, '"' | '\'')) {
                if !closes(&v_trim[1..], q) {
                    return Some((
                        i,
                        col,
                        if q == '"' {
                            "a `\"` quote opened here is never closed on its line"
                        } else {
                            "a `'` quote opened here is never closed on its line"
                        },
                    ));
                }
            }
            if matches!(v_trim.trim_end(), "|" | ">" | "|-" | ">-" | "|+" | ">+") {
                scalar_above = Some(at);
                scalar_empty = true;
            }
        }
        while levels.last().is_some_and(|&l| l > at) {
            levels.pop();
        }
        if levels.last().is_some_and(|&l| l < at) {
            levels.push(at);
        }
        opens = body.trim_end().ends_with(':') || body.starts_with("- ");
    }
    None
}

/// Whether a quoted scalar's rest of line (after its opening quote `q`) closes it: `\"`
/// escapes in double quotes, `''` in single quotes.
fn closes(rest: &str, q: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Parses a YAML file of any shape (a `_data` file is often a list), leniently as
/// [`parse`] does.
pub fn parse_value(yaml: &str, path: &Path) -> Result<Value, SourceError> {
    if yaml.trim().is_empty() {
        return Ok(Value::Null);
    }
    let Lenient { value, .. } = serde_yaml::from_str(&crate::yaml11::booleans(yaml))
        .map_err(|e| yaml_error(&e, path, 1, "invalid YAML"))?;
    Ok(value)
}

/// Parses a whole YAML file such as `_config.yml` (line 1 is the file's first line).
pub fn parse_file(yaml: &str, path: &Path) -> Result<Map<String, Value>, SourceError> {
    parse(yaml, path, 1)
}

/// Parses `_config.yml` (line 1 is the file's first line). Its errors are named config
/// errors: the file has no front matter, and "invalid front matter" sent writers looking
/// in their docs.
pub fn parse_config(yaml: &str, path: &Path) -> Result<Map<String, Value>, SourceError> {
    parse(yaml, path, 1).map_err(|mut e| {
        e.message = match e.message.strip_prefix("invalid front matter: ") {
            Some(why) => format!("invalid YAML: {why}"),
            None => e
                .message
                .replace("front matter must be", "_config.yml must be"),
        };
        e
    })
}

/// serde_yaml appends " at line X column Y" to its messages; we print our own position.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    if msg.contains("repetition limit exceeded") {
        // An alias bomb ("billion laughs"): serde_yaml stops it; say what it was.
        return format!("{msg}: YAML aliases (`*name`) expand to too much data");
    }
    msg
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// Index (0-based) of the line where top-level `key:` is written in a YAML text, for
/// messages about a value (serde_yaml keeps no positions for values).
pub fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// A front-matter value as display text: strings as they are, numbers and booleans printed,
/// null and containers empty.
pub fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;

/// The order a YAML (or JSON) document writes its mappings' keys in, nested as the
/// document nests. The parsed values sit in key-sorted maps; Liquid goes through a hash in
/// the order it was written, as Ruby does, and reads that order here.
#[derive(Debug, Clone, Default, Eq)]
pub struct KeyOrder {
    /// A mapping's keys where each first appears (a repeat keeps that place, as a Ruby
    /// hash does), each with the order inside its value.
    pub keys: indexmap::IndexMap<String, KeyOrder>,
    /// A sequence's items, each with the order inside it.
    pub items: Vec<KeyOrder>,
}

/// Equal when written in the same order (an `IndexMap` alone compares as a set).
impl PartialEq for KeyOrder {
    fn eq(&self, other: &Self) -> bool {
        self.keys.iter().eq(other.keys.iter()) && self.items == other.items
    }
}

static NO_ORDER: std::sync::LazyLock<KeyOrder> = std::sync::LazyLock::new(KeyOrder::default);

impl KeyOrder {
    /// The order inside the value of `key` (empty when not written).
    pub fn of(&self, key: &str) -> &KeyOrder {
        self.keys.get(key).unwrap_or(&*NO_ORDER)
    }

    /// The order inside item `i` of a sequence.
    pub fn item(&self, i: usize) -> &KeyOrder {
        self.items.get(i).unwrap_or(&*NO_ORDER)
    }

    /// Whether nothing is written in order here (a scalar, or no text read).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.items.is_empty()
    }
}

/// The key order of a YAML text that [`parse`] or [`parse_value`] has read (a text they
/// reject has no order: its values are never shown).
pub fn key_order(yaml: &str) -> KeyOrder {
    serde_yaml::from_str(yaml).unwrap_or_default()
}

impl<'de> serde::Deserialize<'de> for KeyOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OrderVisitor)
    }
}

struct OrderVisitor;

impl<'de> serde::de::Visitor<'de> for OrderVisitor {
    type Value = KeyOrder;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_i128<E>(self, _: i128) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_u128<E>(self, _: u128) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_unit<E>(self) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_none<E>(self) -> Result<KeyOrder, E> {
        Ok(KeyOrder::default())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<KeyOrder, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyOrder, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(KeyOrder {
            keys: Default::default(),
            items,
        })
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
        let mut keys = indexmap::IndexMap::new();
        while let Some((Lenient { value: k, .. }, v)) = map.next_entry::<Lenient, KeyOrder>()? {
            // The key's text as `parse` makes it.
            let key = match k {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            keys.insert(key, v);
        }
        Ok(KeyOrder {
            keys,
            items: Vec::new(),
        })
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<KeyOrder, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant::<KeyOrder>()
    }
}

#[cfg(test)]
mod flat_tests {
    use super::*;

    /// What serde_yaml makes of `yaml`, as [`parse_with_warnings`] read it before [`flat`].
    fn by_serde_yaml(yaml: &str) -> Option<Map<String, Value>> {
        match serde_yaml::from_str::<Lenient>(&crate::yaml11::booleans(yaml))
            .ok()?
            .value
        {
            Value::Object(map) => Some(map),
            Value::Null => Some(Map::new()),
            _ => None,
        }
    }

    #[test]
    fn the_flat_reader_reads_what_it_takes_as_serde_yaml_does_and_leaves_the_rest() {
        let taken = [
            "title: /users/{id}/\nname: \"Get a user\"\nposition: 2.017\nvisibility: public\n",
            "a: 'it is'\nb:\nc: ~\nd: True\ne: FALSE\nf: 0x1F\ng: 007\nh: -3\ni: .inf\nj: 1e3\nk: ...\nl: ---x\nm: 18446744073709551616\n",
            "right_code: |\n  ~~~ json\n  {\n    \"id\": 1\n  }\n\n  ~~~\n\n\nnext: x\n",
            "a: |-\n    deep\n      deeper\n\n    back\nb: |\n  last line, no break",
            "a: |\n  x\n  \nb: C# and a:b and http://x/#y\nc: 'quoted # not a comment'\n",
            "a: |\n  only\n",
        ];
        for yaml in taken {
            let fast = flat(yaml);
            assert!(fast.is_some(), "not taken: {yaml:?}");
            assert_eq!(fast, by_serde_yaml(yaml), "{yaml:?}");
        }
        let left = [
            "a:\n  b: 1\n",
            "a:\n- 1\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: 1\na: 2\n",
            "# comment\na: 1\n",
            "a: x # comment\n",
            "a: plain\n  continued\n",
            "a: \"esc\\\"aped\"\n",
            "a: 'it''s'\n",
            "a: &anchor x\nb: *anchor\n",
            "a: !tag x\n",
            "a: |\n\n  blank first\n",
            "a: |+\n  keep\n",
            "a: >\n  folded\n",
            "a: |\n  x\n b: 1\n",
            "a: |\n  x\n     \n",
            "null: x\n",
            "1: x\n",
            "a b: x\n",
            "a: b: c\n",
            "a:b\n",
            "a: \"open\n",
            "a: - x\n",
            "\ta: 1\n",
        ];
        for yaml in left {
            assert_eq!(flat(yaml), None, "taken: {yaml:?}");
        }
    }

    #[test]
    fn a_decimal_is_read_as_serde_yaml_reads_it_and_other_numbers_are_left_to_it() {
        for n in "0 7 42 -3 4.13 0.5 -0.25 10.10 1.0 99999999999999999".split(' ') {
            let yaml = format!("position: {n}\n");
            assert!(decimal(n).is_some(), "{n}");
            assert_eq!(flat(&yaml), by_serde_yaml(&yaml), "{n}");
        }
        for n in "007 -0 +1 1e3 0x1f .5 5. 1_000 1.2.3 - 1234567890123456789".split(' ') {
            assert_eq!(decimal(n), None, "{n}");
            let yaml = format!("position: {n}\n");
            let read = flat(&yaml).or_else(|| by_serde_yaml(&yaml));
            assert_eq!(read, by_serde_yaml(&yaml), "{n}");
        }
    }

    /// Every front matter of the example site, the fixtures, the real sites and a generated
    /// corpus: each one the flat reader takes, it reads as serde_yaml does.
    #[test]
    fn the_flat_reader_reads_every_front_matter_as_serde_yaml_does() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let generated = crate::highlight::differential::generated_corpus(200);
        let files = crate::test_support::real_markdown().into_iter().chain(
            walkdir::WalkDir::new(here.join("tests/fixtures"))
                .into_iter()
                .chain(
                    generated
                        .iter()
                        .flat_map(|(_, site)| walkdir::WalkDir::new(site)),
                )
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    Some((e.into_path(), text))
                }),
        );
        let (mut read, mut taken) = (0, 0);
        for (path, text) in files {
            let Split::Block { yaml, .. } = split(&text) else {
                continue;
            };
            read += 1;
            if let Some(fast) = flat(yaml) {
                taken += 1;
                assert_eq!(Some(fast), by_serde_yaml(yaml), "{}", path.display());
            }
        }
        assert!(taken > 0 && taken <= read, "{taken} of {read}");
        eprintln!("flat front matter: {taken} of {read} read without serde_yaml");
    }
}
