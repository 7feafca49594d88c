//! What `endpaper import openapi` cannot carry into a site, as warnings at the spec's
//! `file:line:col`: a `$ref` that leads nowhere (or to another file, not fetched), a spec
//! without `servers` (the samples call a placeholder), and keywords the site has no way to
//! say. serde_yaml and serde_json keep no positions, so a key path is found again in the
//! spec's text by [`locate`] (block YAML and pretty JSON, the forms specs are written in).

use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use serde_json::Value;
use std::path::Path;

/// Finding code of every import warning.
pub const CODE: &str = "openapi-import";

/// Schema keywords the site cannot say (the import writes type, format, nullable, minimum,
/// maximum, enum, default, deprecated, description, properties, items, required, examples;
/// `allOf` is merged, `$ref` resolved).
const SCHEMA_KEYWORDS: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "readOnly",
    "writeOnly",
    "discriminator",
    "not",
    "xml",
];

/// Keys of an operation, a response and the document that the site has no place for.
const OPERATION_KEYS: &[&str] = &["callbacks", "servers", "externalDocs"];
const RESPONSE_KEYS: &[&str] = &["headers", "links"];
const DOCUMENT_KEYS: &[&str] = &["webhooks"];

/// Line and column of the key at `path` in `text`; as near as it can tell when the text's
/// form hides it (a flow mapping, a JSON array's item): the innermost key it found.
pub fn locate(text: &str, path: &[&str]) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    // JSON's lone brackets open and close blocks the indentation already shows.
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && !t.chars().all(|c| "{}[],".contains(c))
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (mut lo, mut hi) = (0, lines.len());
    let mut parent: Option<usize> = None;
    // A sequence item's first key sits on its dash line.
    let mut dash_line: Option<usize> = None;
    let mut at = Pos::new(1, 1);
    // (indent, text) of a line as the current block sees it.
    let view = |i: usize, dash: Option<usize>| -> (usize, &str) {
        let l = lines[i];
        match (dash == Some(i), l.trim_start().strip_prefix("- ")) {
            (true, Some(rest)) => (indent(l) + 2 + indent(rest), rest.trim_start()),
            _ => (indent(l), l.trim_start()),
        }
    };
    for seg in path {
        let children: Vec<usize> = (lo..hi)
            .filter(|&i| content(lines[i]))
            .filter(|&i| parent.is_none_or(|p| view(i, dash_line).0 > p || dash_line == Some(i)))
            .collect();
        let token = |l: &str, from: usize| {
            [format!("{seg}:"), format!("\"{seg}\"")]
                .iter()
                .filter_map(|k| l.get(from..)?.find(k.as_str()).map(|c| c + from))
                .min()
        };
        let Some(child_indent) = children.iter().map(|&i| view(i, dash_line).0).min() else {
            // A flow mapping on the key's own line: `schema: { minLength: 3 }`.
            return match lo
                .checked_sub(1)
                .and_then(|k| Some((k, token(lines[k], at.col)?)))
            {
                Some((k, c)) => Pos::new(k + 1, c + 1),
                None => at,
            };
        };
        let block_end = |from: usize, ind: usize| {
            (from + 1..hi)
                .find(|&j| content(lines[j]) && indent(lines[j]) <= ind)
                .unwrap_or(hi)
        };
        let is_item = |i: usize| {
            let (ind, t) = view(i, dash_line);
            ind == child_indent && (t == "-" || t.starts_with("- "))
        };
        // A number is an index in a sequence, and a key (`200:`) in a mapping.
        let index = seg
            .parse::<usize>()
            .ok()
            .filter(|_| children.first().is_some_and(|&i| is_item(i)));
        if let Some(n) = index {
            let items: Vec<usize> = children.iter().copied().filter(|&i| is_item(i)).collect();
            let Some(&item) = items.get(n) else {
                return at;
            };
            at = Pos::new(item + 1, indent(lines[item]) + 1);
            lo = item;
            hi = block_end(item, indent(lines[item]));
            parent = Some(indent(lines[item]));
            dash_line = Some(item);
            continue;
        }
        let key_at = |t: &str| {
            [
                format!("{seg}:"),
                format!("\"{seg}\":"),
                format!("'{seg}':"),
            ]
            .iter()
            .any(|k| t.starts_with(k.as_str()))
                || t.starts_with(&format!("\"{seg}\" :"))
        };
        let found = children.iter().copied().find(|&i| {
            let (ind, t) = view(i, dash_line);
            ind == child_indent && key_at(t)
        });
        match found {
            Some(i) => {
                let (ind, _) = view(i, dash_line);
                at = Pos::new(i + 1, ind + 1);
                lo = i + 1;
                hi = block_end(i, ind);
                parent = Some(ind);
                dash_line = None;
            }
            None => {
                // A flow mapping (`{ type: string, minLength: 3 }`) or compact JSON: the key's
                // first occurrence within the block.
                return (lo..hi)
                    .find_map(|i| Some(Pos::new(i + 1, token(lines[i], 0)? + 1)))
                    .unwrap_or(at);
            }
        }
    }
    at
}

/// Every loss of importing `spec` (its text `text`, read from `file`), in the order they
/// appear in the spec's tree.
pub fn losses(spec: &Value, text: &str, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut warn = |path: &[String], message: String| {
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        out.push(Diagnostic::warning(
            CODE,
            file,
            locate(text, &refs),
            message,
        ));
    };
    let url = spec
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("url"))
        .and_then(Value::as_str);
    match url {
        None => warn(
            &["openapi".into()],
            "no `servers`: the samples call the placeholder `https://api.example.com`, and the site has no environments".into(),
        ),
        Some(u) if !u.contains("://") => warn(
            &["servers".into(), "0".into(), "url".into()],
            format!("the first server's URL `{u}` has no host: the samples call it on the placeholder `https://api.example.com`"),
        ),
        Some(_) => {}
    }
    // The site's `security:` (the spec's schemes) is asked for as any one of them on every
    // operation: a document requirement that says otherwise is lost.
    let schemes: Vec<&String> = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    if let Some(Value::Array(reqs)) = spec.get("security") {
        let any_one = reqs.len() == schemes.len()
            && reqs.iter().all(|r| {
                r.as_object().is_some_and(|m| {
                    m.len() == 1
                        && m.values().all(|s| s.as_array().is_some_and(Vec::is_empty))
                        && m.keys().all(|k| schemes.contains(&k))
                })
            });
        if !any_one {
            warn(
                &["security".into()],
                "`security`: the site asks for any one of the spec's security schemes on every operation, not this requirement".into(),
            );
        }
    } else if !schemes.is_empty() {
        warn(
            &["components".into(), "securitySchemes".into()],
            "the spec asks for no security scheme at its top level: the site asks for any one of these on every operation".into(),
        );
    }
    let mut path = Vec::new();
    walk(spec, spec, &mut path, Context::Document, &mut warn);
    out
}

/// What an operation's `security` loses as a doc's `security:` (scheme names, any one of
/// them): a requirement of several schemes at once or of none, or scopes.
fn operation_security_loss(security: &Value) -> Option<String> {
    if super::import::requirement_names(security).is_none() {
        return Some("`security`: a requirement of several schemes at once, or of none, is not carried into the site (a doc's `security:` names schemes, any one of which it takes)".into());
    }
    let scoped = security
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .any(|m| {
            m.values()
                .any(|s| s.as_array().is_some_and(|a| !a.is_empty()))
        });
    scoped.then(|| {
        "`security`: its scopes are not carried into the site (a doc's `security:` names schemes)"
            .into()
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Document,
    Other,
    Schema,
    Operation,
    Response,
}

fn walk(
    v: &Value,
    root: &Value,
    path: &mut Vec<String>,
    cx: Context,
    warn: &mut dyn FnMut(&[String], String),
) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                path.push("$ref".into());
                match r.strip_prefix('#') {
                    Some(p) => {
                        let p = p.replace("~1", "/").replace("~0", "~");
                        if root.pointer(&p).is_none() {
                            warn(
                                path,
                                format!("`$ref` `{r}` leads nowhere in this spec: the site shows `see {r}` in its place"),
                            );
                        }
                    }
                    None => warn(
                        path,
                        format!("`$ref` `{r}` is in another file, which is not read: the site shows `see {r}` in its place"),
                    ),
                }
                path.pop();
            }
            let said: &[&str] = match cx {
                Context::Schema => SCHEMA_KEYWORDS,
                Context::Operation => OPERATION_KEYS,
                Context::Response => RESPONSE_KEYS,
                Context::Document => DOCUMENT_KEYS,
                Context::Other => &[],
            };
            for (k, child) in m {
                path.push(k.clone());
                if said.contains(&k.as_str()) {
                    warn(path, format!("`{k}` is not carried into the site"));
                } else if cx == Context::Operation && k == "security" {
                    if let Some(why) = operation_security_loss(child) {
                        warn(path, why);
                    }
                } else if cx == Context::Schema && (k == "oneOf" || k == "anyOf") {
                    warn(
                        path,
                        format!("`{k}`: only its first choice is shown in the site"),
                    );
                }
                let next = match (cx, k.as_str()) {
                    (Context::Schema, "properties") => {
                        walk_each(child, root, path, Context::Schema, warn);
                        path.pop();
                        continue;
                    }
                    (Context::Schema, "items" | "allOf" | "oneOf" | "anyOf") => Context::Schema,
                    (_, "schema") => Context::Schema,
                    (Context::Schema, _) => Context::Other,
                    (Context::Document, "paths") => {
                        if let Value::Object(paths) = child {
                            for (p, item) in paths {
                                path.push(p.clone());
                                walk_path_item(item, root, path, warn);
                                path.pop();
                            }
                        }
                        path.pop();
                        continue;
                    }
                    (Context::Document, "components") => {
                        for (kind, cx) in [
                            ("schemas", Context::Schema),
                            ("responses", Context::Response),
                        ] {
                            if let Some(named) = child.get(kind) {
                                path.push(kind.into());
                                walk_each(named, root, path, cx, warn);
                                path.pop();
                            }
                        }
                        path.pop();
                        continue;
                    }
                    (Context::Operation, "responses") => {
                        walk_each(child, root, path, Context::Response, warn);
                        path.pop();
                        continue;
                    }
                    (Context::Document, _) => {
                        path.pop();
                        continue;
                    }
                    _ => Context::Other,
                };
                walk(child, root, path, next, warn);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(item, root, path, cx, warn);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Each value of the mapping `m` (properties, responses, components of a kind), as `cx`.
fn walk_each(
    m: &Value,
    root: &Value,
    path: &mut Vec<String>,
    cx: Context,
    warn: &mut dyn FnMut(&[String], String),
) {
    for (name, v) in m.as_object().into_iter().flatten() {
        path.push(name.clone());
        walk(v, root, path, cx, warn);
        path.pop();
    }
}

fn walk_path_item(
    item: &Value,
    root: &Value,
    path: &mut Vec<String>,
    warn: &mut dyn FnMut(&[String], String),
) {
    let Value::Object(m) = item else {
        return;
    };
    for (k, v) in m {
        path.push(k.clone());
        let cx = match k.as_str() {
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                Context::Operation
            }
            _ => Context::Other,
        };
        walk(v, root, path, cx, warn);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_in_block_yaml_flow_yaml_and_json() {
        let yaml = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          schema: { type: string, minLength: 3 }\n      responses: {}\n";
        let at = |p: &[&str]| {
            let pos = locate(yaml, p);
            (pos.line, pos.col)
        };
        assert_eq!(at(&["paths", "/a", "get"]), (4, 5));
        assert_eq!(
            at(&["paths", "/a", "get", "parameters", "1", "name"]),
            (8, 11)
        );
        assert_eq!(
            at(&["paths", "/a", "get", "parameters", "1", "schema"]),
            (9, 11)
        );
        assert_eq!(
            at(&[
                "paths",
                "/a",
                "get",
                "parameters",
                "1",
                "schema",
                "minLength"
            ]),
            (9, 35)
        );
        assert_eq!(at(&["paths", "/a", "get", "responses"]), (10, 7));
        let numbered = "r:\n  '200':\n    d: x\n  404:\n    d: y\n";
        let pos = locate(numbered, &["r", "404", "d"]);
        assert_eq!(
            (pos.line, pos.col),
            (5, 5),
            "a number is a key of a mapping"
        );
        let json = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}";
        let pos = locate(json, &["paths", "/a", "get"]);
        assert_eq!((pos.line, pos.col), (5, 7));
    }

    #[test]
    fn security_the_site_cannot_say_is_named() {
        let text = "openapi: 3.1.0\nservers:\n  - url: https://a.example\npaths:\n  /a:\n    get:\n      security: []\n      responses: {}\ncomponents:\n  securitySchemes:\n    k:\n      type: http\n      scheme: bearer\n";
        let spec: Value = serde_yaml::from_str(text).unwrap();
        let found: Vec<String> = losses(&spec, text, Path::new("s.yaml"))
            .iter()
            .map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message))
            .collect();
        assert_eq!(found, [
            "10:3 the spec asks for no security scheme at its top level: the site asks for any one of these on every operation",
        ], "`security: []` is a doc's `security: []`");
        let scoped = text.replace("security: []", "security: [{k: [read]}, {k: [], j: []}]");
        let spec: Value = serde_yaml::from_str(&scoped).unwrap();
        assert_eq!(
            &*losses(&spec, &scoped, Path::new("s.yaml"))[1].message,
            "`security`: a requirement of several schemes at once, or of none, is not carried into the site (a doc's `security:` names schemes, any one of which it takes)"
        );
        let scoped = text.replace("security: []", "security: [{k: [read]}]");
        let spec: Value = serde_yaml::from_str(&scoped).unwrap();
        assert_eq!(
            &*losses(&spec, &scoped, Path::new("s.yaml"))[1].message,
            "`security`: its scopes are not carried into the site (a doc's `security:` names schemes)"
        );
        let with_top = text.replace("paths:", "security:\n  - k: []\npaths:");
        let spec: Value = serde_yaml::from_str(&with_top).unwrap();
        assert!(losses(&spec, &with_top, Path::new("s.yaml")).is_empty());
    }
}
