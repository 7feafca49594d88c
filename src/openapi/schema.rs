//! JSON Schemas for the export: inferred from a JSON example, or built from the types a
//! definition list states (`(string)`, `(integer, optional)`, `(string list)`).

use serde_json::{json, Map, Value};

/// The schema an example shows: types, object properties, and array items (taken from the
/// first element). Nothing is marked required: one example cannot say what is optional.
pub fn infer(example: &Value) -> Value {
    match example {
        Value::Null => json!({ "type": "null" }),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(_) => json!({ "type": "string" }),
        Value::Array(items) => match items.first() {
            Some(first) => object([("type", json!("array")), ("items", infer(first))]),
            None => json!({ "type": "array" }),
        },
        Value::Object(m) => {
            let props: Map<String, Value> = m.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            object([
                ("type", json!("object")),
                ("properties", Value::Object(props)),
            ])
        }
    }
}

/// How deep a made-up example goes: a recursive schema's lists are empty there.
const EXAMPLE_DEPTH: usize = 6;

/// An example for a schema: its own `example`/`default`/first `enum`, else one per type.
pub fn example_of(schema: &Value, depth: usize) -> Value {
    for k in ["example", "default", "const"] {
        if let Some(v) = schema.get(k) {
            return v.clone();
        }
    }
    if let Some(Value::Array(ex)) = schema.get("examples") {
        if let Some(v) = ex.first() {
            return v.clone();
        }
    }
    if let Some(Value::Array(e)) = schema.get("enum") {
        if let Some(v) = e.first() {
            return v.clone();
        }
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = schema.get(k) {
            if k == "allOf" {
                let mut merged = Map::new();
                for p in parts {
                    if let Value::Object(o) = example_of(p, depth) {
                        merged.extend(o);
                    }
                }
                return Value::Object(merged);
            }
            if let Some(p) = parts.first() {
                return example_of(p, depth);
            }
        }
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "",
    };
    match ty {
        "object" if depth < EXAMPLE_DEPTH => {
            let props = schema.get("properties").and_then(Value::as_object);
            Value::Object(
                props
                    .into_iter()
                    .flatten()
                    .map(|(k, s)| (k.clone(), example_of(s, depth + 1)))
                    .collect(),
            )
        }
        // Deep down (a recursive schema) a list is empty: it still meets its schema.
        "array" => match schema.get("items") {
            Some(items) if depth + 1 < EXAMPLE_DEPTH => json!([example_of(items, depth + 1)]),
            _ => json!([]),
        },
        "integer" | "number" => bounded(schema, 0.0),
        "boolean" => json!(true),
        "null" => Value::Null,
        "string" => {
            let mut s = match schema.get("format").and_then(Value::as_str) {
                Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                Some("date") => "2024-01-31",
                Some("date-time") => "2024-01-31T12:00:00Z",
                Some("email") => "user@example.com",
                Some("uri" | "url") => "https://example.com/",
                _ => "string",
            }
            .to_string();
            let len = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
            if let Some(min) = len("minLength") {
                while s.chars().count() < min {
                    s.push('x');
                }
            }
            if let Some(max) = len("maxLength") {
                s = s.chars().take(max).collect();
            }
            Value::String(s)
        }
        _ => json!({}),
    }
}

/// A number for `schema` (integer or number): `preferred` moved inside its bounds.
pub(super) fn bounded(schema: &Value, preferred: f64) -> Value {
    let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
    let integer = schema.get("type").is_some_and(|t| match t {
        Value::String(t) => t == "integer",
        Value::Array(ts) => ts.iter().any(|t| t == "integer"),
        _ => false,
    });
    let step = if integer { 1.0 } else { 0.5 };
    let mut n = preferred;
    // 3.0 writes an exclusive bound as a flag, 3.1 as the bound itself.
    let exclusive = |k: &str, b: f64| match schema.get(k) {
        Some(Value::Bool(true)) => Some(b),
        Some(v) => v.as_f64(),
        None => None,
    };
    if let Some(min) = bound("minimum") {
        n = n.max(min);
    }
    if let Some(min) = exclusive("exclusiveMinimum", bound("minimum").unwrap_or(f64::MIN)) {
        if n <= min {
            n = min + step;
        }
    }
    if let Some(max) = bound("maximum") {
        n = n.min(max);
    }
    if let Some(max) = exclusive("exclusiveMaximum", bound("maximum").unwrap_or(f64::MAX)) {
        if n >= max {
            n = max - step;
        }
    }
    if integer {
        let i = if n.fract() == 0.0 { n } else { n.ceil() };
        json!(i as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(json!(0.0), Value::Number)
    }
}

/// A JSON object of these entries. `json!` would copy each value by serializing it, which
/// is a copy of the whole subtree at every level of a recursive schema.
pub(super) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// What a parameter's leading parenthesis says: `(integer, optional)` → type `integer`,
/// not required. Words it does not know are left in the description.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stated {
    /// A JSON Schema, when a type word was found.
    pub schema: Option<Value>,
    pub required: Option<bool>,
    /// The description without the recognised prefix.
    pub rest: String,
}

fn type_word(w: &str) -> Option<Value> {
    let t = match w {
        "string" | "str" | "text" => json!({ "type": "string" }),
        "uuid" => json!({ "type": "string", "format": "uuid" }),
        "date" => json!({ "type": "string", "format": "date" }),
        "datetime" | "date-time" | "timestamp" => {
            json!({ "type": "string", "format": "date-time" })
        }
        "email" => json!({ "type": "string", "format": "email" }),
        "url" | "uri" => json!({ "type": "string", "format": "uri" }),
        "integer" | "int" | "long" => json!({ "type": "integer" }),
        "int32" | "int64" => json!({ "type": "integer", "format": w }),
        "number" | "decimal" => json!({ "type": "number" }),
        "float" | "double" => json!({ "type": "number", "format": w }),
        "boolean" | "bool" => json!({ "type": "boolean" }),
        "object" | "dict" | "hash" | "map" => json!({ "type": "object" }),
        "array" | "list" => json!({ "type": "array" }),
        "file" | "binary" => json!({ "type": "string", "format": "binary" }),
        _ => return None,
    };
    Some(t)
}

/// A number as written in a prefix (`minimum 5`, `maximum 0.5`).
fn number(w: &str) -> Option<Value> {
    w.parse::<i64>()
        .map(Value::from)
        .ok()
        .or_else(|| serde_json::Number::from_f64(w.parse().ok()?).map(Value::Number))
}

/// Reads a `(type, required|optional)` prefix, with the keywords the import writes there
/// (`nullable`, `minimum 5`, `maximum 60`, `format hostname`), and the sentences it ends a
/// description with (`One of: `a`, `b`.`, `Default: `a`.`, `Deprecated.`). The parenthesis
/// counts only when every word in it is understood, so prose such as `(see below)` stays
/// prose.
pub fn stated(text: &str) -> Stated {
    let text = text.trim();
    let mut out = Stated {
        rest: text.to_string(),
        ..Stated::default()
    };
    let Some(inner) = text.strip_prefix('(') else {
        return out;
    };
    let Some(close) = inner.find(')') else {
        return out;
    };
    let mut schema: Option<Value> = None;
    let mut required = None;
    let mut more: Vec<(&str, Value)> = Vec::new();
    let mut nullable = false;
    for part in inner[..close].split([',', '/', ';']) {
        // Most words are written in lower case already: only the others are copied.
        let words: Vec<std::borrow::Cow<str>> = part
            .split_whitespace()
            .map(|w| match w.bytes().any(|b| b.is_ascii_uppercase()) {
                true => w.to_ascii_lowercase().into(),
                false => w.into(),
            })
            .collect();
        match words.iter().map(|w| &**w).collect::<Vec<_>>()[..] {
            [] => {}
            ["required"] => required = Some(true),
            ["optional"] => required = Some(false),
            ["nullable"] => nullable = true,
            ["minimum" | "min", n] => match number(n) {
                Some(n) => more.push(("minimum", n)),
                None => return out,
            },
            ["maximum" | "max", n] => match number(n) {
                Some(n) => more.push(("maximum", n)),
                None => return out,
            },
            // Formats are case-sensitive names: the word as written.
            ["format", _] => {
                let f = part.split_whitespace().nth(1).unwrap_or("");
                more.push(("format", json!(f)));
            }
            ["array", "of", t] | ["list", "of", t] | [t, "list" | "array"] => {
                let items = type_word(t.trim_end_matches('s'))
                    .or_else(|| type_word(t))
                    .map(|i| json!({ "type": "array", "items": i }));
                match items {
                    Some(s) if schema.is_none() => schema = Some(s),
                    _ => return out,
                }
            }
            [t] => match type_word(t) {
                Some(s) if schema.is_none() => schema = Some(s),
                _ => return out,
            },
            _ => return out,
        }
    }
    if schema.is_none() && required.is_none() {
        return out;
    }
    if let Some(Value::Object(m)) = &mut schema {
        for (k, v) in more {
            m.insert(k.into(), v);
        }
        if nullable {
            if let Some(Value::String(t)) = m.get("type").cloned() {
                m.insert("type".into(), json!([t, "null"]));
            }
        }
    }
    let mut rest = inner[close + 1..]
        .trim_start_matches([' ', ':', '-'])
        .trim()
        .to_string();
    if let Some(Value::Object(m)) = &mut schema {
        read_sentences(&mut rest, m);
    }
    out.schema = schema;
    out.required = required;
    out.rest = rest;
    out
}

/// The main type of a schema (`["string", "null"]` → `string`).
fn main_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || matches!(schema.get("type"), Some(Value::Array(ts)) if ts.iter().any(|t| t == "null"))
}

/// The words [`stated`] reads back for a schema: `integer`, `string list`, `object`.
pub fn type_words(schema: &Value) -> Option<String> {
    let t = main_type(schema)?;
    if t == "array" {
        let item = schema.get("items").and_then(type_words);
        return Some(item.map_or("array".into(), |i| format!("{i} list")));
    }
    match (t, schema.get("format").and_then(Value::as_str)) {
        ("string", Some("uuid")) => Some("uuid".into()),
        ("string", Some("date")) => Some("date".into()),
        ("string", Some("date-time")) => Some("datetime".into()),
        ("string", Some("email")) => Some("email".into()),
        ("string", Some("uri")) => Some("uri".into()),
        ("string", Some("binary")) => Some("binary".into()),
        ("integer", Some(f @ ("int32" | "int64"))) | ("number", Some(f @ ("float" | "double"))) => {
            Some(f.into())
        }
        _ => Some(t.to_string()),
    }
}

/// Every word of the prefix [`stated`] reads back to `schema`: its type, the keywords a word
/// says (`format`, `nullable`, `minimum`, `maximum`), `required`.
pub fn prefix_words(schema: &Value, required: bool) -> Vec<String> {
    let mut words: Vec<String> = type_words(schema).into_iter().collect();
    let said_by_type = words
        .first()
        .and_then(|w| type_word(w))
        .and_then(|s| s.get("format").cloned());
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        if said_by_type.as_ref().and_then(Value::as_str) != Some(f)
            && !f.contains(char::is_whitespace)
            && !f.contains([',', '/', ';', ')'])
        {
            words.push(format!("format {f}"));
        }
    }
    if is_nullable(schema) && !words.is_empty() {
        words.push("nullable".into());
    }
    for k in ["minimum", "maximum"] {
        if let Some(n) = schema.get(k).filter(|n| n.is_number()) {
            words.push(format!("{k} {n}"));
        }
    }
    if required {
        words.push("required".into());
    }
    words
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The sentences [`stated`] reads back to `enum`, `default` and `deprecated`, each
/// starting with a space.
pub fn sentences(schema: &Value) -> String {
    let mut out = String::new();
    if let Some(Value::Array(e)) = schema.get("enum") {
        let list: Vec<String> = e.iter().map(|v| format!("`{}`", scalar(v))).collect();
        out.push_str(&format!(" One of: {}.", list.join(", ")));
    }
    if let Some(d) = schema.get("default") {
        out.push_str(&format!(" Default: `{}`.", scalar(d)));
    }
    if schema.get("deprecated") == Some(&Value::Bool(true)) {
        out.push_str(" Deprecated.");
    }
    out
}

/// Takes the [`sentences`] off the end of `rest` into `schema`.
fn read_sentences(rest: &mut String, schema: &mut Map<String, Value>) {
    let is_string = match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => true,
    };
    // A value of another type than the schema's is prose that happens to start alike.
    let typed = |s: &str| -> Option<Value> {
        match serde_json::from_str::<Value>(s) {
            Ok(v) if !is_string && !v.is_string() => Some(v),
            _ if is_string => Some(Value::String(s.to_string())),
            _ => None,
        }
    };
    if let Some(r) = rest.strip_suffix("Deprecated.") {
        if r.is_empty() || r.ends_with(' ') {
            schema.insert("deprecated".into(), Value::Bool(true));
            *rest = r.trim_end().to_string();
        }
    }
    // Read from the HTML's text the backticks are gone: they are optional here.
    // (and a value without them is one word).
    let unquote = |v: &str| -> Option<String> {
        let v = v.trim();
        let v = match v.strip_prefix('`').and_then(|v| v.strip_suffix('`')) {
            Some(quoted) => quoted,
            None if v.contains(char::is_whitespace) => return None,
            None => v,
        };
        (!v.is_empty() && !v.contains('`')).then(|| v.to_string())
    };
    if let Some(at) = rest.rfind("Default: ") {
        let v = rest[at + 9..].strip_suffix('.').and_then(unquote);
        if let Some(v) = v.as_deref().and_then(typed) {
            schema.insert("default".into(), v);
            rest.truncate(at);
            *rest = rest.trim_end().to_string();
        }
    }
    if let Some(at) = rest.rfind("One of: ") {
        if let Some(list) = rest[at + 8..].strip_suffix('.') {
            let items: Option<Vec<Value>> = list
                .split(", ")
                .map(|i| unquote(i).and_then(|i| typed(&i)))
                .collect();
            if let Some(items) = items {
                schema.insert("enum".into(), Value::Array(items));
                rest.truncate(at);
                *rest = rest.trim_end().to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_nested_types_from_an_example() {
        let s = infer(
            &json!({"id": 3, "score": 4.3, "tags": ["a"], "owner": {"ok": true}, "x": null, "e": []}),
        );
        assert_eq!(s["properties"]["id"]["type"], "integer");
        assert_eq!(s["properties"]["score"]["type"], "number");
        assert_eq!(s["properties"]["tags"]["items"]["type"], "string");
        assert_eq!(
            s["properties"]["owner"]["properties"]["ok"]["type"],
            "boolean"
        );
        assert_eq!(s["properties"]["x"]["type"], "null");
        assert_eq!(s["properties"]["e"], json!({"type": "array"}));
    }

    #[test]
    fn reads_type_prefixes_and_leaves_prose_alone() {
        let s = stated("(integer, optional) How many");
        assert_eq!(s.schema, Some(json!({"type": "integer"})));
        assert_eq!((s.required, s.rest.as_str()), (Some(false), "How many"));
        let l = stated("(string list) The uuids");
        assert_eq!(
            l.schema,
            Some(json!({"type": "array", "items": {"type": "string"}}))
        );
        let r = stated("(Required, UUID): The id");
        assert_eq!(r.required, Some(true));
        assert_eq!(
            r.schema.as_ref().and_then(type_words).as_deref(),
            Some("uuid")
        );
        assert_eq!(r.rest, "The id");
        let prose = stated("(see below) The id");
        assert_eq!((prose.schema, prose.required), (None, None));
        assert_eq!(prose.rest, "(see below) The id");
        assert_eq!(stated("plain").rest, "plain");
        assert_eq!(
            type_words(&l.schema.unwrap()).as_deref(),
            Some("string list")
        );
    }

    /// What the import writes for a schema, the export reads back as that schema.
    #[test]
    fn keywords_survive_the_prefix_and_sentences() {
        for schema in [
            json!({"type": "integer", "format": "int64", "minimum": 5, "maximum": 60, "default": 10}),
            json!({"type": ["string", "null"], "format": "hostname", "enum": ["a", "b"]}),
            json!({"type": "number", "format": "float", "minimum": 0.5, "deprecated": true}),
            json!({"type": "integer", "enum": [1, 2], "default": 2}),
            json!({"type": "array", "items": {"type": "string", "format": "uuid"}}),
        ] {
            let text = format!(
                "({}) Some text.{}",
                prefix_words(&schema, true).join(", "),
                sentences(&schema)
            );
            let back = stated(&text);
            assert_eq!(back.schema.as_ref(), Some(&schema), "{text}");
            assert_eq!(
                (back.required, back.rest.as_str()),
                (Some(true), "Some text.")
            );
        }
        // OpenAPI 3.0's `nullable` is written as 3.1 writes it.
        let old = json!({"type": "string", "nullable": true});
        let back = stated(&format!("({})", prefix_words(&old, false).join(", ")));
        assert_eq!(back.schema, Some(json!({"type": ["string", "null"]})));
    }

    #[test]
    fn examples_come_from_schemas() {
        let s = json!({"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}, "tag": {"type": "string", "enum": ["a", "b"]}, "when": {"type": "string", "format": "date-time"}, "list": {"type": "array", "items": {"type": "boolean"}}}});
        assert_eq!(
            example_of(&s, 0),
            json!({"id": 0, "tag": "a", "when": "2024-01-31T12:00:00Z", "list": [true]})
        );
        // Made-up values keep within the schema's bounds.
        let bounded = json!({"type": "object", "properties": {
            "n": {"type": "integer", "minimum": 5},
            "x": {"type": "number", "exclusiveMinimum": 0, "maximum": 2},
            "s": {"type": "string", "minLength": 9},
            "t": {"type": "string", "maxLength": 3},
            "r": {"type": "array", "items": {"$ref": "#"}},
        }});
        let e = example_of(&bounded, 5);
        assert_eq!(
            e,
            json!({"n": 5, "x": 0.5, "s": "stringxxx", "t": "str", "r": []})
        );
    }
}
