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
        "integer" | "int" | "int32" | "int64" | "long" => json!({ "type": "integer" }),
        "number" | "float" | "double" | "decimal" => json!({ "type": "number" }),
        "boolean" | "bool" => json!({ "type": "boolean" }),
        "object" | "dict" | "hash" | "map" => json!({ "type": "object" }),
        "array" | "list" => json!({ "type": "array" }),
        "file" | "binary" => json!({ "type": "string", "format": "binary" }),
        _ => return None,
    };
    Some(t)
}

/// Reads a `(type, required|optional)` prefix. The parenthesis counts only when every word
/// in it is understood, so prose such as `(see below)` stays prose.
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
    for part in inner[..close].split([',', '/', ';']) {
        let words: Vec<String> = part
            .split_whitespace()
            .map(|w| w.to_ascii_lowercase())
            .collect();
        match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            [] => {}
            ["required"] => required = Some(true),
            ["optional"] => required = Some(false),
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
    out.schema = schema;
    out.required = required;
    out.rest = inner[close + 1..]
        .trim_start_matches([' ', ':', '-'])
        .trim()
        .to_string();
    out
}

/// The words [`stated`] reads back for a schema: `integer`, `string list`, `object`.
pub fn type_words(schema: &Value) -> Option<String> {
    let t = schema.get("type")?.as_str()?;
    if t == "array" {
        let item = schema.get("items").and_then(type_words);
        return Some(item.map_or("array".into(), |i| format!("{i} list")));
    }
    match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => Some("uuid".into()),
        Some("date") => Some("date".into()),
        Some("date-time") => Some("datetime".into()),
        _ => Some(t.to_string()),
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
}
