//! Export: each endpoint doc (an HTTP method and a path title) → one OpenAPI operation,
//! read from what compose made of it (so includes and Liquid are expanded); `document`
//! assembles a site's operations into one OpenAPI 3.1 document. What the docs do not say
//! is not guessed: it is left out and reported as a note ([`GAP`]).

use super::commonmark::{self, Target};
use super::lists::{read_lists, Term};
use super::schema::{self, object, Stated};
use crate::compose::DocParts;
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::model::{decode_entities, Doc};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Finding code of every note about a field the export could not infer.
pub const GAP: &str = "openapi-gap";

/// The methods an OpenAPI path item has (CONNECT is not one).
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Counts for `endpaper openapi --stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub operations: usize,
    pub parameters: usize,
    pub typed: usize,
    pub with_example: usize,
}

impl Stats {
    pub(super) fn add(&mut self, o: &Stats) {
        self.operations += o.operations;
        self.parameters += o.parameters;
        self.typed += o.typed;
        self.with_example += o.with_example;
    }
}

/// `12 operations; 40 of 52 parameters typed (77%); 9 of 12 operations with an example (75%)`.
pub fn stats_line(s: &Stats) -> String {
    let pct = |n: usize, of: usize| (n * 100 + of / 2).checked_div(of).unwrap_or(0);
    format!(
        "{} operation{}; {} of {} parameters typed ({}%); {} of {} operations with an example ({}%)",
        s.operations,
        if s.operations == 1 { "" } else { "s" },
        s.typed,
        s.parameters,
        pct(s.typed, s.parameters),
        s.with_example,
        s.operations,
        pct(s.with_example, s.operations)
    )
}

/// One doc's operation, before the site's tags and paths are assembled.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub path: String,
    pub method: String,
    pub operation: Map<String, Value>,
    /// What could not be inferred, as one note on the doc (none when complete).
    pub note: Option<Diagnostic>,
    pub stats: Stats,
}

/// `/orders/&ltuuid&gt/` or `/books/:id` → `/orders/{uuid}/`, `/books/{id}` and the names of
/// its path parameters; `None` when the title is not a path (nor a URL).
pub fn path_template(title: &str) -> Option<(String, Vec<String>)> {
    let t = decode_entities(title.trim());
    let t = t.split_whitespace().next()?;
    let t = match t.find("://") {
        Some(i) => &t[t[i + 3..].find('/').map(|j| i + 3 + j)?..],
        None => t,
    };
    let t = t.split(['?', '#']).next().unwrap_or(t);
    if !t.starts_with('/') {
        return None;
    }
    let mut path = String::new();
    let mut names = Vec::new();
    let mut rest = t;
    let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    while let Some(c) = rest.chars().next() {
        let (open, close) = match c {
            '<' => ('<', '>'),
            '{' => ('{', '}'),
            ':' if path.ends_with('/') => (':', '/'),
            _ => {
                path.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        };
        let body = &rest[1..];
        let end = if open == ':' {
            body.find(|ch: char| !name_char(ch)).unwrap_or(body.len())
        } else {
            match body.find(close) {
                Some(e) => e,
                None => {
                    path.push(c);
                    rest = body;
                    continue;
                }
            }
        };
        let name = body[..end].trim();
        if name.is_empty() || !name.chars().all(name_char) {
            path.push(c);
            rest = body;
            continue;
        }
        path.push('{');
        path.push_str(name);
        path.push('}');
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = if open == ':' {
            &body[end..]
        } else {
            &body[end + 1..]
        };
    }
    Some((path, names))
}

/// Where a definition list's terms go, from the heading it sits under.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Place {
    Path,
    Cookie,
    Query,
    Header,
    Body,
    /// Response fields, with the status in the heading if any.
    Response(Option<String>),
    /// `Parameters`, `Arguments`, or no heading at all: by name and method.
    Any,
}

/// A status code in a title: `Response 201`, `404 Not Found`.
pub(super) fn status_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 3 && (b'1'..=b'5').contains(&w.as_bytes()[0]))
        .map(str::to_string)
}

pub(super) fn classify(heading: &str) -> Option<Place> {
    let h = heading.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    Some(if has(&["header"]) {
        Place::Header
    } else if has(&["cookie"]) {
        Place::Cookie
    } else if has(&["query"]) {
        Place::Query
    } else if has(&["url", "path", "route"]) {
        Place::Path
    } else if has(&["response", "return", "result"]) {
        Place::Response(status_in(&h))
    } else if has(&["error"]) {
        Place::Response(status_in(&h).or(Some("default".into())))
    } else if has(&["request", "body", "payload", "form"]) {
        Place::Body
    } else if has(&["param", "argument"]) {
        Place::Any
    } else {
        return None;
    })
}

/// A parameter or property read from one term.
struct Field {
    name: String,
    stated: Stated,
    children: Vec<Field>,
}

fn field(t: &Term, required: Option<bool>) -> Field {
    let mut stated = t.stated.clone().unwrap_or_else(|| schema::stated(&t.text));
    if stated.required.is_none() {
        stated.required = required;
    }
    Field {
        name: t.name.clone(),
        stated,
        children: t.children.iter().map(|c| field(c, None)).collect(),
    }
}

/// A JSON Schema for an object whose properties are `fields`; counts typed ones.
fn object_schema(fields: &[Field], stats: &mut Stats, untyped: &mut Vec<String>) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        stats.parameters += 1;
        let mut s = match (&f.stated.schema, f.children.is_empty()) {
            (_, false) => {
                let mut o = object_schema(&f.children, stats, untyped);
                if let Some(Value::String(t)) = f.stated.schema.as_ref().and_then(|s| s.get("type"))
                {
                    if t == "array" {
                        o = object([("type", json!("array")), ("items", o)]);
                    }
                }
                stats.typed += 1;
                o
            }
            (Some(s), true) => {
                stats.typed += 1;
                s.clone()
            }
            (None, true) => {
                untyped.push(f.name.clone());
                json!({})
            }
        };
        if !f.stated.rest.is_empty() {
            s["description"] = Value::String(f.stated.rest.clone());
        }
        if f.stated.required == Some(true) {
            required.push(Value::String(f.name.clone()));
        }
        props.insert(f.name.clone(), s);
    }
    let mut o = object([
        ("type", json!("object")),
        ("properties", Value::Object(props)),
    ]);
    if !required.is_empty() {
        o["required"] = Value::Array(required);
    }
    o
}

/// Lays the properties an example shows but the lists do not under `base`.
fn merge_schema(base: &mut Value, inferred: &Value) {
    let (Some(props), Some(more)) = (
        base.get_mut("properties").and_then(Value::as_object_mut),
        inferred.get("properties").and_then(Value::as_object),
    ) else {
        return;
    };
    for (k, v) in more {
        match props.get_mut(k) {
            Some(p) if p.get("type").is_none() => {
                let description = p.get("description").cloned();
                *p = v.clone();
                if let Some(d) = description {
                    p["description"] = d;
                }
            }
            // The lists say `(string)`, the example shows `null`: it may be either.
            Some(p) if v["type"] == "null" => {
                if let Some(Value::String(t)) = p.get("type").cloned() {
                    if t != "null" {
                        p["type"] = json!([t, "null"]);
                    }
                }
            }
            Some(_) => {}
            None => {
                props.insert(k.clone(), v.clone());
            }
        }
    }
}

/// How a titled sample reads: a request example, a response example (status), or neither.
enum SampleRole {
    Request,
    Response(String),
    Other,
}

/// `prose_status`: the success status the doc's prose names, for a `Response` sample whose
/// title gives none.
fn sample_role(title: &str, prose_status: Option<&str>) -> SampleRole {
    let t = title.to_lowercase();
    // Whole words: `Python (requests)` is a language, not a request example.
    let words: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).collect();
    let has = |w: &str| words.contains(&w);
    if has("request") && !has("response") {
        return SampleRole::Request;
    }
    let answer = has("response") || has("error");
    match status_in(&t) {
        Some(code) if answer || t.trim().starts_with(&code) => SampleRole::Response(code),
        _ if has("response") => SampleRole::Response(prose_status.unwrap_or("200").into()),
        _ if has("error") => SampleRole::Response("default".into()),
        _ => SampleRole::Other,
    }
}

/// The one success status the prose names with its reason phrase (`201 Created`,
/// `returns 202 Accepted`); `None` when it names none, or several.
fn status_in_prose(source: &str) -> Option<String> {
    let mut found: Option<&str> = None;
    let bytes = source.as_bytes();
    for (i, _) in source.match_indices('2') {
        let Some(code) = source.get(i..i + 3) else {
            continue;
        };
        if !code.bytes().all(|b| b.is_ascii_digit())
            || (i > 0 && bytes[i - 1].is_ascii_alphanumeric())
        {
            continue;
        }
        let phrase = reason(code);
        let after = source[i + 3..].trim_start_matches([' ', '`', '*', '_']);
        let named = phrase != "Response"
            && after
                .get(..phrase.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(phrase))
            && !after[phrase.len()..].starts_with(char::is_alphanumeric);
        if !named {
            continue;
        }
        match found {
            Some(f) if f != code => return None,
            _ => found = Some(code),
        }
    }
    found.map(str::to_string)
}

fn example_key(title: &str, taken: &Map<String, Value>) -> String {
    let base = crate::compose::slug(title);
    let base = if base.is_empty() {
        "example".to_string()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains_key(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// A media type object from titled JSON examples; the schema inferred from the first.
fn media(examples: Vec<(String, Value)>, fields: Option<Value>) -> Value {
    let inferred = examples.first().map(|(_, v)| schema::infer(v));
    let schema = match (fields, inferred) {
        // Fields beside an example that is a list describe each of its items.
        (Some(mut f), Some(inferred)) if inferred["type"] == "array" => {
            merge_schema(&mut f, &inferred["items"]);
            object([("type", json!("array")), ("items", f)])
        }
        (Some(mut f), Some(inferred)) => {
            merge_schema(&mut f, &inferred);
            f
        }
        (Some(f), None) => f,
        (None, Some(inferred)) => inferred,
        (None, None) => json!({}),
    };
    let mut named = Map::new();
    for (title, v) in examples {
        let key = example_key(&title, &named);
        named.insert(
            key,
            object([("summary", Value::String(title)), ("value", v)]),
        );
    }
    let mut m = object([("schema", schema)]);
    if !named.is_empty() {
        m["examples"] = Value::Object(named);
    }
    m
}

fn reason(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No Content",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "Not Found",
        "409" => "Conflict",
        "422" => "Unprocessable Entity",
        "500" => "Internal Server Error",
        "default" => "Error",
        _ => "Response",
    }
}

/// The operation of one doc, or `None` when the doc is not an endpoint (no HTTP method,
/// or a title that is not a path: prose docs).
/// `links` says where a link of the description goes outside the site.
pub fn endpoint(doc: &Doc, parts: &DocParts, links: &dyn Fn(&str) -> Target) -> Option<Endpoint> {
    let method = doc.method.to_ascii_lowercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let (path, path_names) = path_template(&doc.title)?;
    let mut gaps: Vec<String> = Vec::new();
    let mut stats = Stats {
        operations: 1,
        ..Stats::default()
    };

    let lists = read_lists(parts);
    let prose = commonmark::description(&parts.source, links);
    let prose_status = status_in_prose(&parts.source);
    let bodyless = matches!(
        method.as_str(),
        "get" | "head" | "delete" | "options" | "trace"
    );

    let mut params: Vec<(&'static str, Field)> = Vec::new();
    let mut body_fields: Vec<Field> = Vec::new();
    let mut response_fields: BTreeMap<Option<String>, Vec<Field>> = BTreeMap::new();
    for (place, required, list) in &lists {
        for t in list {
            let f = field(t, *required);
            let is_path = path_names.contains(&f.name);
            match place {
                Place::Header => params.push(("header", f)),
                Place::Cookie => params.push(("cookie", f)),
                Place::Response(s) => response_fields.entry(s.clone()).or_default().push(f),
                _ if is_path => params.push(("path", f)),
                Place::Path | Place::Query => params.push(("query", f)),
                Place::Body | Place::Any if bodyless => params.push(("query", f)),
                Place::Body | Place::Any => body_fields.push(f),
            }
        }
    }

    let mut parameters = Vec::new();
    let mut seen: Vec<(&str, String)> = Vec::new();
    for name in &path_names {
        if !params
            .iter()
            .any(|(at, f)| *at == "path" && f.name == *name)
        {
            gaps.push(format!("path parameter `{name}` is not described"));
            parameters.push(json!({ "name": name, "in": "path", "required": true, "schema": {} }));
            seen.push(("path", name.clone()));
        }
    }
    let mut untyped = Vec::new();
    for (at, f) in &params {
        if seen.iter().any(|(a, n)| a == at && *n == f.name) {
            continue;
        }
        seen.push((at, f.name.clone()));
        stats.parameters += 1;
        let schema = match &f.stated.schema {
            Some(s) => {
                stats.typed += 1;
                s.clone()
            }
            None => {
                untyped.push(f.name.clone());
                json!({})
            }
        };
        let mut p = object([
            ("name", Value::String(f.name.clone())),
            ("in", json!(at)),
            ("schema", schema),
        ]);
        if *at == "path" || f.stated.required == Some(true) {
            p["required"] = Value::Bool(true);
        }
        if !f.stated.rest.is_empty() {
            p["description"] = Value::String(f.stated.rest.clone());
        }
        parameters.push(p);
    }

    // Titled samples: examples, and the other languages as Redoc's `x-codeSamples`.
    let mut request_examples: Vec<(String, Value)> = Vec::new();
    let mut responses: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    let mut code_samples = Vec::new();
    for s in &parts.samples {
        let Some(title) = &s.block.title else {
            continue;
        };
        let role = sample_role(title, prose_status.as_deref());
        if matches!(role, SampleRole::Other) {
            code_samples.push(json!({
                "lang": s.block.lang.clone().unwrap_or_else(|| "text".into()),
                "label": title,
                "source": s.block.code,
            }));
            continue;
        }
        let value = match serde_json::from_str::<Value>(&s.block.code) {
            Ok(v) => v,
            Err(_) => {
                gaps.push(format!(
                    "sample `{title}` is not JSON, so it is not an example"
                ));
                continue;
            }
        };
        match role {
            SampleRole::Request => request_examples.push((title.clone(), value)),
            SampleRole::Response(code) => responses
                .entry(code)
                .or_default()
                .push((title.clone(), value)),
            SampleRole::Other => {}
        }
    }
    if !request_examples.is_empty() || !responses.is_empty() {
        stats.with_example = 1;
    }

    let mut op = Map::new();
    // The spec's own id when the doc came from one (`endpaper import openapi` writes it),
    // else the doc's anchor, unique in the site.
    let operation_id = match doc.fm.map().get("operation_id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
        _ => doc.anchor.clone(),
    };
    op.insert("operationId".into(), Value::String(operation_id));
    let description_fm = doc.description.trim();
    let mut description = String::new();
    if !doc.name.trim().is_empty() {
        op.insert("summary".into(), Value::String(doc.name.trim().into()));
        description.push_str(description_fm);
    } else if !description_fm.is_empty() && !description_fm.contains('\n') {
        op.insert("summary".into(), Value::String(description_fm.into()));
    } else {
        gaps.push("no `name` or one-line `description` for a summary".into());
        description.push_str(description_fm);
    }
    if !prose.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&prose);
    }
    if !description.is_empty() {
        op.insert("description".into(), Value::String(description));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    // The doc's own schemes (the model kept only declared ones); else the document's.
    if let Some(names) = crate::config::doc_security(&doc.fm.map()) {
        let any_of = names.iter().map(|n| json!({ n.as_str(): [] })).collect();
        op.insert("security".into(), Value::Array(any_of));
    }
    if !body_fields.is_empty() || !request_examples.is_empty() {
        let fields = (!body_fields.is_empty())
            .then(|| object_schema(&body_fields, &mut stats, &mut untyped));
        op.insert(
            "requestBody".into(),
            object([(
                "content",
                object([("application/json", media(request_examples, fields))]),
            )]),
        );
    }
    // Fields under a heading without a status describe the first success response.
    let success = responses
        .keys()
        .find(|c| c.starts_with('2'))
        .cloned()
        .unwrap_or_else(|| "200".into());
    let mut fields_by_status: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    for (status, fields) in response_fields {
        fields_by_status
            .entry(status.unwrap_or_else(|| success.clone()))
            .or_default()
            .extend(fields);
    }
    let mut statuses: Vec<String> = responses.keys().cloned().collect();
    statuses.extend(fields_by_status.keys().cloned());
    statuses.sort();
    statuses.dedup();
    if statuses.is_empty() {
        gaps.push("no response example (a titled `Response` JSON sample)".into());
    } else {
        let mut out = Map::new();
        for status in statuses {
            let examples = responses.remove(&status).unwrap_or_default();
            let fields = fields_by_status
                .remove(&status)
                .map(|f| object_schema(&f, &mut stats, &mut untyped));
            let description = examples
                .first()
                .map_or_else(|| reason(&status).to_string(), |(t, _)| t.clone());
            out.insert(
                status,
                object([
                    ("description", Value::String(description)),
                    (
                        "content",
                        object([("application/json", media(examples, fields))]),
                    ),
                ]),
            );
        }
        op.insert("responses".into(), Value::Object(out));
    }
    if !untyped.is_empty() {
        gaps.push(format!(
            "no type for {}",
            untyped
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !code_samples.is_empty() {
        op.insert("x-codeSamples".into(), Value::Array(code_samples));
    }
    op.insert(
        "x-endpaper-audience".into(),
        Value::String(doc.audience.clone()),
    );
    let fm = doc.fm.map();
    let position = fm.get("position").or(fm.get("position_number"));
    if let Some(p) = position.filter(|p| !p.is_null()) {
        op.insert("x-endpaper-position".into(), p.clone());
    }
    let line = doc.title_line;
    op.insert(
        "x-endpaper-source".into(),
        Value::String(format!("{}:{line}", doc.rel)),
    );
    let note = (!gaps.is_empty()).then(|| {
        Diagnostic::note(
            GAP,
            &doc.rel,
            Pos::new(line, 1),
            format!(
                "OpenAPI export of {} {path}: {}",
                method.to_uppercase(),
                gaps.join("; ")
            ),
        )
    });
    Some(Endpoint {
        path,
        method,
        operation: op,
        note,
        stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_path_templates() {
        let p = |t: &str| path_template(t).map(|(p, n)| (p, n.join(",")));
        assert_eq!(
            p("/orders/&ltorder_uuid&gt/items/"),
            Some(("/orders/{order_uuid}/items/".into(), "order_uuid".into()))
        );
        assert_eq!(p("/books/:id"), Some(("/books/{id}".into(), "id".into())));
        assert_eq!(
            p("/a/&lt;x-y&gt;/{z}?q=1"),
            Some(("/a/{x-y}/{z}".into(), "x-y,z".into()))
        );
        assert_eq!(
            p("https://api.example.com/v1/things"),
            Some(("/v1/things".into(), String::new()))
        );
        assert_eq!(p("Authentication"), None);
        assert_eq!(p("/time 10:30"), Some(("/time".into(), String::new())));
    }

    #[test]
    fn sample_titles_say_what_they_are() {
        assert!(matches!(sample_role("Request", None), SampleRole::Request));
        assert!(matches!(sample_role("Response", None), SampleRole::Response(c) if c == "200"));
        assert!(matches!(sample_role("Response 201", None), SampleRole::Response(c) if c == "201"));
        assert!(
            matches!(sample_role("404 Not Found", None), SampleRole::Response(c) if c == "404")
        );
        assert!(matches!(sample_role("Error", None), SampleRole::Response(c) if c == "default"));
        assert!(matches!(sample_role("Curl", None), SampleRole::Other));
        assert!(matches!(sample_role("Python 3", None), SampleRole::Other));
        assert!(matches!(
            sample_role("Python (requests)", None),
            SampleRole::Other
        ));
        // A title without a status takes the one the prose names, else 200.
        assert!(
            matches!(sample_role("Response", Some("201")), SampleRole::Response(c) if c == "201")
        );
        assert!(
            matches!(sample_role("Response 202", Some("201")), SampleRole::Response(c) if c == "202")
        );
    }

    #[test]
    fn the_prose_names_one_success_status_or_none() {
        assert_eq!(
            status_in_prose("Returns `201 Created` and the order.").as_deref(),
            Some("201")
        );
        assert_eq!(
            status_in_prose("A 202 accepted job; again 202 Accepted.").as_deref(),
            Some("202")
        );
        assert_eq!(
            status_in_prose("| `200 OK` | … |\n| `201 Created` | … |"),
            None
        );
        assert_eq!(
            status_in_prose("Up to 200 orders, 201 Createdness, 1201 Created."),
            None
        );
    }
}
