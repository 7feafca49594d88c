//! Import: an OpenAPI 3.0/3.1 spec (YAML or JSON) → an endpaper site. One markdown doc per
//! operation, in one collection per tag; parameters and schemas as (nested) definition
//! lists with the `(type, required)` prefixes the export reads back; examples as titled
//! JSON samples (`Request`, `Response 200`), and Curl, HTTPie, Python and Node.js samples
//! made from the operation. Local `$ref`s are resolved; remote ones are named, not fetched.

use super::schema::{self, bounded, example_of};
use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// How deep `$ref`s are followed: a recursive schema stops here.
const REF_DEPTH: usize = 12;
/// How deep schemas are shown as nested lists.
const LIST_DEPTH: usize = 4;

/// The site's files (site-relative path, text) and how many operations they hold.
#[derive(Debug)]
pub struct Site {
    pub files: Vec<(String, String)>,
    pub operations: usize,
    /// What the site could not carry, located in the spec ([`super::losses`]).
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// Reads a spec file: JSON by extension, else YAML (which also reads JSON).
pub fn read_spec(path: &Path) -> Result<Value> {
    Ok(read_spec_text(path)?.1)
}

/// The spec's text and its tree.
fn read_spec_text(path: &Path) -> Result<(String, Value)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let v: Value = if is_json {
        serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?
    } else {
        serde_yaml::from_str(&text).map_err(|e| match e.location() {
            Some(l) => anyhow::anyhow!("{}:{}:{}: {e}", path.display(), l.line(), l.column()),
            None => anyhow::anyhow!("{}: {e}", path.display()),
        })?
    };
    let version = v.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.") {
        match v.get("swagger") {
            Some(_) => bail!(
                "{}: a Swagger 2.0 spec; convert it to OpenAPI 3 first",
                path.display()
            ),
            None => bail!(
                "{}: not an OpenAPI 3 spec (no `openapi: 3.x` field)",
                path.display()
            ),
        }
    }
    Ok((text, v))
}

/// `#/components/schemas/Pet` in `root`, with JSON Pointer escapes.
fn pointer<'a>(root: &'a Value, r: &str) -> Option<&'a Value> {
    let p = r.strip_prefix('#')?;
    let p = p.replace("~1", "/").replace("~0", "~");
    root.pointer(&p)
}

/// `v` with local `$ref`s replaced by what they point at (to [`REF_DEPTH`]).
fn resolve(v: &Value, root: &Value, depth: usize) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                return match pointer(root, r) {
                    Some(target) if depth < REF_DEPTH => resolve(target, root, depth + 1),
                    _ => json!({ "description": format!("see `{r}`") }),
                };
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, root, depth)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, root, depth)).collect()),
        _ => v.clone(),
    }
}

/// A name made of lowercase letters, digits and `_` (collection labels, file names).
fn ident(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "api".into()
    } else {
        out
    }
}

/// One line of text for a definition (lists cannot hold paragraphs in one line).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(integer, minimum 1, required) Description. One of: `a`, `b`.` for one parameter or
/// property: the prefix and sentences the export reads back ([`schema::stated`]).
fn definition(schema: &Value, required: bool, description: &str) -> String {
    let words = schema::prefix_words(schema, required);
    let mut out = if words.is_empty() {
        String::new()
    } else {
        format!("({}) ", words.join(", "))
    };
    let description = if description.trim().is_empty() {
        schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
    } else {
        description
    };
    out.push_str(&one_line(description));
    let mut out = out.trim_end().to_string();
    out.push_str(&schema::sentences(schema));
    let out = out.trim().to_string();
    if out.is_empty() {
        "No description.".into()
    } else {
        out
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The properties of an object schema (through `allOf`), with the required ones.
fn properties(schema: &Value) -> (Vec<(String, Value)>, Vec<String>) {
    let mut props = Vec::new();
    let mut required: Vec<String> = Vec::new();
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for p in parts {
            let (pp, rr) = properties(p);
            props.extend(pp);
            required.extend(rr);
        }
    }
    let target = match (
        schema.get("type").and_then(Value::as_str),
        schema.get("items"),
    ) {
        (Some("array"), Some(items)) => items,
        _ => schema,
    };
    if let Some(Value::Object(m)) = target.get("properties") {
        props.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(Value::Array(r)) = target.get("required") {
        required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
    }
    (props, required)
}

/// A schema's properties as a definition list, objects' fields nested (indented) under them.
fn schema_list(out: &mut String, schema: &Value, indent: usize, depth: usize) {
    let (props, required) = properties(schema);
    let pad = " ".repeat(indent);
    for (name, s) in props {
        let _ = writeln!(
            out,
            "{pad}{name}\n{pad}: {}\n",
            definition(&s, required.contains(&name), "")
        );
        if depth < LIST_DEPTH && !properties(&s).0.is_empty() {
            schema_list(out, &s, indent + 2, depth + 1);
        }
    }
}

/// JSON as a Python literal.
fn python(v: &Value, indent: usize) -> String {
    let pad = "    ".repeat(indent + 1);
    let end = "    ".repeat(indent);
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|x| format!("{pad}{},\n", python(x, indent + 1)))
                .collect();
            format!("[\n{}{end}]", items.concat())
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{pad}{}: {},\n",
                        Value::String(k.clone()),
                        python(x, indent + 1)
                    )
                })
                .collect();
            format!("{{\n{}{end}}}", items.concat())
        }
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What the generated samples send.
struct Call {
    method: String,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

impl Call {
    fn full_url(&self) -> String {
        if self.query.is_empty() {
            return self.url.clone();
        }
        let q: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{}?{}", self.url, q.join("&"))
    }

    fn samples(&self) -> Vec<(&'static str, &'static str, String)> {
        let m = self.method.to_uppercase();
        let url = self.full_url();
        let mut headers = self.headers.clone();
        if self.body.is_some() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let json = self
            .body
            .as_ref()
            .map(|b| serde_json::to_string_pretty(b).unwrap_or_default());

        let mut curl = format!("curl -X {m} {}", shell_quote(&url));
        for (k, v) in &headers {
            let _ = write!(curl, " \\\n  -H {}", shell_quote(&format!("{k}: {v}")));
        }
        if let Some(j) = &json {
            let _ = write!(curl, " \\\n  -d {}", shell_quote(j));
        }

        let mut httpie = format!("http {m} {}", shell_quote(&url));
        for (k, v) in &headers {
            if k != "Content-Type" {
                let _ = write!(httpie, " \\\n  {}", shell_quote(&format!("{k}:{v}")));
            }
        }
        if let Some(j) = &json {
            httpie = format!("echo {} | {httpie}", shell_quote(j));
        }

        let mut py = String::from("import requests\n\nresponse = requests.");
        let _ = writeln!(
            py,
            "{}(\n    {},",
            self.method,
            Value::String(self.url.clone())
        );
        if !self.query.is_empty() {
            let q: Map<String, Value> = self
                .query
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let _ = writeln!(py, "    params={},", python(&Value::Object(q), 1));
        }
        let h: Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        if !h.is_empty() {
            let _ = writeln!(py, "    headers={},", python(&Value::Object(h.clone()), 1));
        }
        if let Some(b) = &self.body {
            let _ = writeln!(py, "    json={},", python(b, 1));
        }
        py.push_str(")\nprint(response.status_code, response.text)");

        let mut node = format!(
            "const response = await fetch({}, {{\n  method: \"{m}\",\n",
            Value::String(url.clone())
        );
        let hh: Map<String, Value> = headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        if !hh.is_empty() {
            let _ = writeln!(
                node,
                "  headers: {},",
                serde_json::to_string_pretty(&Value::Object(hh))
                    .unwrap_or_default()
                    .replace('\n', "\n  ")
            );
        }
        if let Some(j) = &json {
            let _ = writeln!(node, "  body: JSON.stringify({}),", j.replace('\n', "\n  "));
        }
        node.push_str("});\nconsole.log(response.status, await response.text());");
        vec![
            ("Curl", "bash", curl),
            ("HTTPie", "bash", httpie),
            ("Python", "python", py),
            ("Node.js", "javascript", node),
        ]
    }
}

/// The first JSON media type of a `content` map, else the first one.
fn json_media(content: Option<&Value>) -> Option<(&String, &Value)> {
    let m = content?.as_object()?;
    m.iter()
        .find(|(k, _)| k.contains("json"))
        .or_else(|| m.iter().next())
}

/// The example a media type object shows: `example`, the first of `examples`, or one
/// made from its schema.
fn media_example(media: &Value) -> Option<Value> {
    if let Some(v) = media.get("example") {
        return Some(v.clone());
    }
    if let Some(Value::Object(ex)) = media.get("examples") {
        if let Some((_, e)) = ex.iter().next() {
            if let Some(v) = e.get("value") {
                return Some(v.clone());
            }
        }
    }
    media.get("schema").map(|s| example_of(s, 0))
}

fn fence(out: &mut String, lang: &str, title: &str, code: &str) {
    let _ = writeln!(
        out,
        "~~~ {lang}\n{}\n~~~\n{{: title=\"{title}\" }}\n",
        code.trim_end()
    );
}

fn front_matter(fields: &[(&str, Value)]) -> String {
    let m: Map<String, Value> = fields
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let yaml = serde_yaml::to_string(&m).unwrap_or_default();
    format!("---\n{yaml}---\n")
}

/// The schemes an operation's `security` takes, any one of them, as a doc's `security:`
/// names them: `None` when a requirement asks for several schemes at once, or for none
/// (optional auth), which a doc cannot say. Scopes are not carried (`losses` says so).
pub(super) fn requirement_names(security: &Value) -> Option<Vec<String>> {
    security
        .as_array()?
        .iter()
        .map(|r| match r.as_object() {
            Some(m) if m.len() == 1 => m.keys().next().cloned(),
            _ => None,
        })
        .collect()
}

/// The doc of one operation (after `$ref`s are resolved).
fn operation_doc(
    path: &str,
    method: &str,
    op: &Value,
    path_params: &[Value],
    base: &str,
    position: usize,
) -> String {
    let s = |k: &str| {
        op.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let summary = s("summary");
    let name = if summary.is_empty() {
        match s("operationId") {
            id if id.is_empty() => format!("{} {path}", method.to_uppercase()),
            id => id,
        }
    } else {
        summary
    };
    let mut body = String::new();
    if op.get("deprecated") == Some(&Value::Bool(true)) {
        body.push_str("**Deprecated.**\n{: .warning }\n\n");
    }
    let description = s("description");
    if !description.is_empty() {
        // A definition list in the description is prose: under a heading of its own the
        // export does not read it as parameters.
        if description.contains("<dl") || description.contains("\n: ") {
            body.push_str("### Description\n\n");
        }
        body.push_str(&description);
        body.push_str("\n\n");
    }
    // Operation parameters override path-level ones of the same name and place.
    let mut params: Vec<Value> = Vec::new();
    let own = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in path_params.iter().chain(&own) {
        let key = |x: &Value| (x.get("name").cloned(), x.get("in").cloned());
        params.retain(|q| key(q) != key(p));
        params.push(p.clone());
    }
    let mut call = Call {
        method: method.to_string(),
        url: format!("{base}{path}"),
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    for (place, heading) in [
        ("path", "Path Parameters"),
        ("query", "Query Parameters"),
        ("header", "Header Parameters"),
        ("cookie", "Cookie Parameters"),
    ] {
        let here: Vec<&Value> = params
            .iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some(place))
            .collect();
        if here.is_empty() {
            continue;
        }
        let _ = writeln!(body, "### {heading}\n");
        for p in here {
            let pname = p.get("name").and_then(Value::as_str).unwrap_or("");
            let schema = p
                .get("schema")
                .cloned()
                .or_else(|| {
                    json_media(p.get("content")).and_then(|(_, m)| m.get("schema").cloned())
                })
                .unwrap_or(json!({}));
            let required = p.get("required") == Some(&Value::Bool(true));
            let description = p.get("description").and_then(Value::as_str).unwrap_or("");
            let _ = writeln!(
                body,
                "{pname}\n: {}\n",
                definition(&schema, required, description)
            );
            let given = p.get("example").or_else(|| schema.get("example")).cloned();
            let value = match (&given, place) {
                (Some(v), _) => scalar(v),
                // A made-up `string` in a URL reads as a placeholder left in: a path gets
                // a number (within the schema's bounds) unless its schema says more.
                (None, "path") => match example_of(&schema, 0) {
                    Value::Number(_) => scalar(&bounded(&schema, 42.0)),
                    Value::String(s) if s != "string" => s,
                    _ => "42".into(),
                },
                (None, _) => scalar(&example_of(&schema, 0)),
            };
            match place {
                "path" => call.url = call.url.replace(&format!("{{{pname}}}"), &value),
                "query" if required => call.query.push((pname.to_string(), value)),
                "header" if required => call.headers.push((pname.to_string(), value)),
                _ => {}
            }
        }
    }
    let mut request_example = None;
    if let Some(rb) = op.get("requestBody") {
        body.push_str("### Request Body\n\n");
        if let Some(d) = rb.get("description").and_then(Value::as_str) {
            let _ = writeln!(body, "{}\n", d.trim());
        }
        if let Some((ct, media)) = json_media(rb.get("content")) {
            if !ct.contains("json") {
                let _ = writeln!(body, "Sent as `{ct}`.\n");
            }
            if let Some(schema) = media.get("schema") {
                schema_list(&mut body, schema, 0, 0);
            }
            let example = media_example(media);
            if ct.contains("json") {
                call.body = example.clone();
                request_example = example;
            }
        }
    }
    for (title, lang, code) in call.samples() {
        fence(&mut body, lang, title, &code);
    }
    if let Some(Value::Object(responses)) = op.get("responses") {
        body.push_str("### Responses\n\n");
        let mut samples = String::new();
        if let Some(ex) = &request_example {
            fence(
                &mut samples,
                "json",
                "Request",
                &serde_json::to_string_pretty(ex).unwrap_or_default(),
            );
        }
        for (status, r) in responses {
            let label = if status == "default" {
                "Error".to_string()
            } else {
                format!("Response {status}")
            };
            let _ = writeln!(body, "#### {label}\n");
            if let Some(d) = r.get("description").and_then(Value::as_str) {
                let _ = writeln!(body, "{}\n", d.trim());
            }
            if let Some((ct, media)) = json_media(r.get("content")) {
                if let Some(schema) = media.get("schema") {
                    schema_list(&mut body, schema, 0, 0);
                }
                if ct.contains("json") {
                    if let Some(ex) = media_example(media) {
                        fence(
                            &mut samples,
                            "json",
                            &label,
                            &serde_json::to_string_pretty(&ex).unwrap_or_default(),
                        );
                    }
                }
            }
        }
        body.push_str(&samples);
    }
    let mut text = front_matter(&[
        ("title", Value::String(path.to_string())),
        ("name", Value::String(name)),
        ("method", Value::String(method.to_string())),
        ("position", json!(position)),
        // The export gives it back as the operation's id.
        (
            "operation_id",
            op.get("operationId").cloned().unwrap_or(Value::Null),
        ),
        // The export gives it back as the operation's `security`.
        (
            "security",
            op.get("security")
                .and_then(requirement_names)
                .map_or(Value::Null, |names| json!(names)),
        ),
    ]);
    text.push('\n');
    text.push_str(body.trim_end());
    text.push('\n');
    text
}

/// The base URL samples call: the first server, its variables at their defaults.
fn base_url(spec: &Value) -> String {
    let Some(server) = spec
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
    else {
        return "https://api.example.com".into();
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(Value::Object(vars)) = server.get("variables") {
        for (k, v) in vars {
            url = url.replace(
                &format!("{{{k}}}"),
                &scalar(v.get("default").unwrap_or(&Value::Null)),
            );
        }
    }
    if !url.contains("://") {
        url = format!(
            "https://api.example.com{}",
            if url.starts_with('/') {
                url
            } else {
                String::new()
            }
        );
    }
    url.trim_end_matches('/').to_string()
}

/// GitHub-style heading slug: `Create a thing (beta)` → `create-a-thing-beta`.
fn heading_slug(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Scheme and host of the spec's `externalDocs.url`: the site its descriptions' root-relative
/// links (`/guides/auth`) belong to.
fn docs_origin(spec: &Value) -> Option<String> {
    let url = spec.get("externalDocs")?.get("url")?.as_str()?.trim();
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

/// How links written for the spec's own docs site are mended for the imported one.
struct Links {
    /// Summary slug → endpaper anchor of that operation's doc.
    anchors: BTreeMap<String, String>,
    origin: Option<String>,
}

impl Links {
    /// `(#create-a-thing)` pointing at another operation by its summary goes to that doc;
    /// a root-relative `(/guides/x)` becomes absolute on the spec's docs site. Other links
    /// stay as written (and `check` reports them if they lead nowhere).
    fn rewrite(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(['(', '"']) {
            let (open, after) = rest.split_at(i + 1);
            out.push_str(open);
            let close = if open.ends_with('(') { ')' } else { '"' };
            let is_link = open.ends_with("](") || open.ends_with("href=\"");
            let target_end = after.find(close).unwrap_or(0);
            let target = &after[..target_end];
            rest = after;
            if !is_link || target.contains(char::is_whitespace) {
                continue;
            }
            if let Some(slug) = target.strip_prefix('#') {
                if let Some(anchor) = self.anchors.get(slug) {
                    out.push('#');
                    out.push_str(anchor);
                    rest = &after[target_end..];
                }
            } else if let (Some(origin), true) = (&self.origin, target.starts_with('/')) {
                if !target.starts_with("//") {
                    out.push_str(origin);
                    out.push_str(target);
                    rest = &after[target_end..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The whole site for `spec`.
pub fn site(spec: &Value) -> Site {
    let info = spec.get("info").cloned().unwrap_or(json!({}));
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let base = base_url(spec);
    // Collections: the spec's tag order first, then tags as operations name them.
    let mut tags: Vec<String> = spec
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut docs: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut used: Vec<String> = Vec::new();
    // (slug of the summary, tag, file): what `#create-a-thing` in a description points at.
    let mut by_summary: Vec<(String, String, String)> = Vec::new();
    let mut operations = 0;
    let empty = Map::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (path, item) in paths {
        let item = resolve(item, spec, 0);
        let path_params = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(method) else { continue };
            operations += 1;
            let tag = op
                .get("tags")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .unwrap_or("API")
                .to_string();
            if !tags.contains(&tag) {
                tags.push(tag.clone());
            }
            let stem = match op.get("operationId").and_then(Value::as_str) {
                Some(id) => ident(id),
                None => ident(&format!("{method} {path}")),
            };
            let mut file = stem.clone();
            let mut n = 2;
            while used.contains(&file) {
                file = format!("{stem}_{n}");
                n += 1;
            }
            used.push(file.clone());
            let list = docs.entry(tag.clone()).or_default();
            let text = operation_doc(path, method, op, &path_params, &base, list.len() + 1);
            list.push((file.clone(), text));
            if let Some(summary) = op.get("summary").and_then(Value::as_str) {
                by_summary.push((heading_slug(summary), tag, file));
            }
        }
    }
    let mut collections = Map::new();
    let mut files = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let present: Vec<&String> = tags.iter().filter(|t| docs.contains_key(*t)).collect();
    let mut label_of: BTreeMap<&str, String> = BTreeMap::new();
    for tag in &present {
        let mut label = ident(tag);
        while labels.contains(&label) {
            label.push('_');
        }
        labels.push(label.clone());
        label_of.insert(tag.as_str(), label);
    }
    let links = Links {
        anchors: by_summary
            .iter()
            .filter_map(|(slug, tag, file)| {
                // Endpaper's doc anchor, Aviator's `collection` + `name`.
                Some((
                    slug.clone(),
                    format!("{}{file}", label_of.get(tag.as_str())?),
                ))
            })
            .collect(),
        origin: docs_origin(spec),
    };
    for (i, tag) in present.iter().enumerate() {
        let label = &label_of[tag.as_str()];
        let mut collection = json!({ "title": tag, "position": i + 1 });
        let description = spec
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|t| t.get("name").and_then(Value::as_str) == Some(tag.as_str()))
            .and_then(|t| t.get("description"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if let Some(d) = description {
            // The export gives it back as the tag's description.
            collection["description"] = Value::String(d.to_string());
        }
        collections.insert(label.clone(), collection);
        for (file, text) in docs.remove(*tag).unwrap_or_default() {
            files.push((format!("_{label}/{file}.md"), links.rewrite(&text)));
        }
    }
    let mut endpaper = Map::new();
    if let Some(v) = info.get("version") {
        endpaper.insert("api_version".into(), Value::String(scalar(v)));
    }
    let servers = spec
        .get("servers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let environments: Vec<Value> = servers
        .iter()
        .filter_map(|s| {
            let url = s.get("url")?.as_str()?;
            let name = s.get("description").and_then(Value::as_str).unwrap_or(url);
            let mut env = json!({ "name": one_line(name), "url": url });
            // The site's server variables are the spec's: a default each, an enum maybe.
            if let Some(Value::Object(vars)) = s.get("variables") {
                env["variables"] = Value::Object(vars.clone());
            }
            Some(env)
        })
        .collect();
    if !environments.is_empty() {
        endpaper.insert("environments".into(), Value::Array(environments));
    }
    if let Some(Value::Object(schemes)) = spec.pointer("/components/securitySchemes") {
        // The site's `security:`, which the export asks any one of on every operation
        // (other requirements are warned about by `losses`).
        let schemes: Map<String, Value> = schemes
            .iter()
            .map(|(name, s)| (name.clone(), resolve(s, spec, 0)))
            .collect();
        if !schemes.is_empty() {
            endpaper.insert("security".into(), Value::Object(schemes));
        }
    }
    let mut config = Map::new();
    config.insert(
        "title".into(),
        Value::String(match text(&info, "title") {
            t if t.is_empty() => "API Reference".into(),
            t => t,
        }),
    );
    let description = text(&info, "description");
    if !description.is_empty() {
        config.insert("description".into(), Value::String(description));
    }
    config.insert("collections".into(), Value::Object(collections));
    config.insert("endpaper".into(), Value::Object(endpaper));
    let config_text = format!(
        "# Written by `endpaper import openapi` from {}.\n{}",
        one_line(&text(&info, "title")),
        serde_yaml::to_string(&config).unwrap_or_default()
    );
    files.insert(0, ("_config.yml".into(), config_text));
    Site {
        files,
        operations,
        warnings: Vec::new(),
    }
}

/// `endpaper import openapi SPEC DIR`: writes the site into `dir` (new or empty).
pub fn import(spec_path: &Path, dir: &Path) -> Result<Site> {
    let (text, spec) = read_spec_text(spec_path)?;
    let mut site = site(&spec);
    site.warnings = super::losses::losses(&spec, &text, spec_path);
    crate::scaffold::write_new_site(
        dir,
        site.files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    )?;
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_links_are_mended_for_the_imported_site() {
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "externalDocs": {"url": "https://docs.example.org/rest/"},
            "paths": {
                "/things": {"post": {"operationId": "things/create", "tags": ["things"],
                    "summary": "Create a thing (beta)", "responses": {"201": {"description": "ok"}}}},
                "/things/{thing_id}": {"get": {"operationId": "things/get", "tags": ["things"],
                    "summary": "Get a thing",
                    "description": "Made by [creating](#create-a-thing-beta), see [guides](/guides/x#y), <a href=\"/z\">z</a>, [other](#nothing) and [web](https://a.example/b).",
                    "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok"}}}}
            }
        });
        let site = site(&spec);
        let (_, get) = site
            .files
            .iter()
            .find(|(p, _)| p.ends_with("things_get.md"))
            .unwrap();
        assert!(get.contains("[creating](#thingsthings_create)"), "{get}");
        assert!(
            get.contains("[guides](https://docs.example.org/guides/x#y)"),
            "{get}"
        );
        assert!(
            get.contains("<a href=\"https://docs.example.org/z\">"),
            "{get}"
        );
        assert!(get.contains("[other](#nothing)"), "{get}");
        assert!(get.contains("[web](https://a.example/b)"), "{get}");
        // A path parameter without an example gets a value, not its name or a zero.
        assert!(get.contains("/things/42'"), "{get}");
        assert!(
            !get.contains("thing_id'") && !get.contains("/things/0"),
            "{get}"
        );
    }

    #[test]
    fn refs_resolve_and_recursion_stops() {
        let root = json!({"components": {"schemas": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
        let r = resolve(&json!({"$ref": "#/components/schemas/Node"}), &root, 0);
        assert_eq!(
            r["properties"]["next"]["properties"]["next"]["type"],
            "object"
        );
        assert_eq!(
            resolve(&json!({"$ref": "other.yaml#/x"}), &root, 0)["description"],
            "see `other.yaml#/x`"
        );
    }

    #[test]
    fn python_literals() {
        assert_eq!(
            python(&json!({"a": [true, null]}), 0),
            "{\n    \"a\": [\n        True,\n        None,\n    ],\n}"
        );
    }
}
