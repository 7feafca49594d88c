//! What the comparison sees of an operation, and what changed between two.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What the comparison sees of an operation: its method and path, and its parameters,
/// request body and responses without their words (descriptions, examples).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    pub(super) method: String,
    pub(super) path: String,
    params: BTreeMap<String, Value>,
    body: Option<Value>,
    responses: BTreeMap<String, Value>,
}

impl Shape {
    /// The shape of an operation as the export wrote it (`json`: its compact JSON).
    pub fn of(method: &str, path: &str, json: &str) -> Shape {
        let op: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let key = format!(
                    "`{}` ({})",
                    p["name"].as_str().unwrap_or(""),
                    p["in"].as_str().unwrap_or("")
                );
                (key, bare(p))
            })
            .collect();
        let responses = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, r)| (status.clone(), bare(r)))
            .collect();
        Shape {
            method: method.to_uppercase(),
            path: path.to_string(),
            params,
            body: op.get("requestBody").map(bare),
            responses,
        }
    }

    /// What changed from `old` to `self`, in words; empty when nothing did.
    pub fn changes_since(&self, old: &Shape) -> Vec<String> {
        let mut out = Vec::new();
        if self.method != old.method {
            out.push(format!("method {} → {}", old.method, self.method));
        }
        if shape_of(&self.path) != shape_of(&old.path) {
            out.push(format!("path {} → {}", old.path, self.path));
        }
        diff_named(&mut out, "parameter", &old.params, &self.params);
        match (&old.body, &self.body) {
            (None, Some(_)) => out.push("request body added".into()),
            (Some(_), None) => out.push("request body removed".into()),
            (Some(a), Some(b)) if a != b => out.push("request body changed".into()),
            _ => {}
        }
        let quoted = |m: &BTreeMap<String, Value>| -> BTreeMap<String, Value> {
            m.iter()
                .map(|(k, v)| (format!("`{k}`"), v.clone()))
                .collect()
        };
        diff_named(
            &mut out,
            "response",
            &quoted(&old.responses),
            &quoted(&self.responses),
        );
        out
    }
}

/// Path templates that differ only in parameter names are the same path.
pub(super) fn shape_of(path: &str) -> String {
    crate::openapi::document::path_shape(path)
}

fn diff_named(
    out: &mut Vec<String>,
    what: &str,
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) {
    for (k, v) in new {
        match old.get(k) {
            None => out.push(format!("{what} {k} added")),
            Some(o) if o != v => out.push(format!("{what} {k} changed")),
            _ => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push(format!("{what} {k} removed"));
    }
}

/// `v` without what only words say: descriptions, summaries, examples, endpaper's own keys.
fn bare(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "summary" | "example" | "examples" | "title"
                    ) && !k.starts_with("x-")
                })
                .map(|(k, v)| (k.clone(), bare(v)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(bare).collect()),
        v => v.clone(),
    }
}
