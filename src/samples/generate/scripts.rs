//! The scripting languages and HTTPie: Python, Node.js, Ruby, PHP.

use super::*;
use crate::samples::json::{self, Json};
use std::fmt::Write as _;

// ---------------------------------------------------------------- Python (requests)

fn py(t: &Text) -> String {
    concat(t, &dq, &|v| format!("os.environ[{}]", dq(v)), " + ")
}

fn py_pairs(pairs: &[(Text, Text)], pad: &str) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            if has_dupes(pairs) {
                format!("{pad}    ({}, {}),", py(k), py(v))
            } else {
                format!("{pad}    {}: {},", py(k), py(v))
            }
        })
        .collect();
    let (open, close) = if has_dupes(pairs) {
        ("[", "]")
    } else {
        ("{", "}")
    };
    format!("{open}\n{}\n{pad}{close}", items.join("\n"))
}

const PY_JSON: Style = Style {
    null: "None",
    yes: "True",
    no: "False",
    ..JSON_LIKE
};

pub(super) fn python(reqs: &[Request]) -> String {
    let mut out = String::from("# pip install requests\n");
    if uses_vars(reqs) {
        out.push_str("import os\n\n");
    }
    out.push_str("import requests\n");
    for r in reqs {
        let m = r.method.to_lowercase();
        let call =
            if ["get", "post", "put", "patch", "delete", "head", "options"].contains(&m.as_str()) {
                format!("requests.{m}(\n    {},\n", py(&r.url))
            } else {
                format!(
                    "requests.request(\n    {},\n    {},\n",
                    dq(&r.method),
                    py(&r.url)
                )
            };
        let _ = write!(out, "\nresponse = {call}");
        if !r.query.is_empty() {
            let _ = writeln!(out, "    params={},", py_pairs(&r.query, "    "));
        }
        let headers: Vec<_> = r.own_headers().cloned().collect();
        if !headers.is_empty() {
            let _ = writeln!(out, "    headers={},", py_pairs(&headers, "    "));
        }
        match &r.body {
            Body::None => {}
            Body::Json(j) => {
                let _ = writeln!(out, "    json={},", json::write(j, &PY_JSON, 1));
            }
            Body::Form(p) => {
                let _ = writeln!(out, "    data={},", py_pairs(p, "    "));
            }
            Body::Raw(t) => {
                let _ = writeln!(out, "    data={},", py(t));
            }
            Body::Multipart(parts) => {
                let fields: Vec<(Text, Text)> = parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Field(k, v) => Some((k.clone(), v.clone())),
                        Part::File { .. } => None,
                    })
                    .collect();
                if !fields.is_empty() {
                    let _ = writeln!(out, "    data={},", py_pairs(&fields, "    "));
                }
                let files: Vec<String> = parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::File { name, path, mime } => {
                            let open = format!("open({}, \"rb\")", py(path));
                            let value = match (path.as_lit(), mime) {
                                (Some(lit), Some(mime)) => {
                                    format!("({}, {open}, {})", dq(base_name(&lit)), dq(mime))
                                }
                                _ => open,
                            };
                            Some(format!("        {}: {value},", py(name)))
                        }
                        Part::Field(..) => None,
                    })
                    .collect();
                if !files.is_empty() {
                    let _ = writeln!(out, "    files={{\n{}\n    }},", files.join("\n"));
                }
            }
        }
        if let Some((u, p)) = &r.user {
            let _ = writeln!(out, "    auth=({}, {}),", py(u), py(p));
        }
        if r.insecure {
            out.push_str("    verify=False,\n");
        }
        out.push_str("    timeout=30,\n)\nresponse.raise_for_status()\nprint(response.text)\n");
    }
    out
}

// ---------------------------------------------------------------- Node.js (fetch)

fn js(t: &Text) -> String {
    if !t.has_vars() {
        return sq(&t.shown());
    }
    interpolated(t, '`', |v| format!("${{process.env.{v}}}"))
}

fn js_key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        k.to_string()
    } else {
        sq(k)
    }
}

fn js_pairs(pairs: &[(Text, Text)], pad: &str) -> String {
    if has_dupes(pairs) {
        let items: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{pad}    [{}, {}],", js(k), js(v)))
            .collect();
        return format!("[\n{}\n{pad}]", items.join("\n"));
    }
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let key = k
                .as_lit()
                .map_or_else(|| format!("[{}]", js(k)), |k| js_key(&k));
            format!("{pad}    {key}: {},", js(v))
        })
        .collect();
    format!("{{\n{}\n{pad}}}", items.join("\n"))
}

const JS_JSON: Style = Style {
    string: &sq,
    key: &js_key,
    ..JSON_LIKE
};

fn node_request(r: &Request, files: &mut bool) -> String {
    let mut out = String::new();
    let mut body = None;
    let mut headers: Vec<(String, String)> = r
        .own_headers()
        .map(|(k, v)| {
            let key = k
                .as_lit()
                .map_or_else(|| format!("[{}]", js(k)), |k| js_key(&k));
            (key, js(v))
        })
        .collect();
    if let Some((u, p)) = &r.user {
        let both = joined(&[u, p], ":");
        headers.push((
            "Authorization".into(),
            format!("'Basic ' + Buffer.from({}).toString('base64')", js(&both)),
        ));
    }
    match &r.body {
        Body::None => {}
        Body::Json(j) => {
            headers.push(("'Content-Type'".into(), "'application/json'".into()));
            body = Some(format!("JSON.stringify({})", json::write(j, &JS_JSON, 1)));
        }
        Body::Form(p) => body = Some(format!("new URLSearchParams({})", js_pairs(p, "        "))),
        Body::Raw(t) => body = Some(js(t)),
        Body::Multipart(parts) => {
            out.push_str("const form = new FormData();\n");
            for p in parts {
                match p {
                    Part::Field(k, v) => {
                        let _ = writeln!(out, "form.append({}, {});", js(k), js(v));
                    }
                    Part::File { name, path, mime } => {
                        *files = true;
                        let kind = mime
                            .as_deref()
                            .map(|m| format!(", {{ type: {} }}", sq(m)))
                            .unwrap_or_default();
                        let file_name = match path.as_lit() {
                            Some(p) => sq(base_name(&p)),
                            None => format!("path.basename({})", js(path)),
                        };
                        let _ = writeln!(
                            out,
                            "form.append({}, new Blob([await readFile({})]{kind}), {file_name});",
                            js(name),
                            js(path)
                        );
                    }
                }
            }
            body = Some("form".into());
        }
    }
    if r.insecure {
        out.push_str("// curl -k: fetch always verifies certificates; for a test server only,\n// run with NODE_TLS_REJECT_UNAUTHORIZED=0.\n");
    }
    let url = if r.query.is_empty() {
        js(&r.url)
    } else {
        let u = joined(&[&r.url, &Text::default()], "?");
        format!(
            "{} + new URLSearchParams({})",
            js(&u),
            js_pairs(&r.query, "")
        )
    };
    let _ = writeln!(out, "console.log(await send({url}, {{");
    let _ = writeln!(out, "    method: {},", sq(&r.method));
    if !headers.is_empty() {
        out.push_str("    headers: {\n");
        for (k, v) in headers {
            let _ = writeln!(out, "        {k}: {v},");
        }
        out.push_str("    },\n");
    }
    if let Some(b) = body {
        let _ = writeln!(out, "    body: {b},");
    }
    out.push_str("}));\n");
    out
}

pub(super) fn node(reqs: &[Request]) -> String {
    let mut files = false;
    let bodies = blocks(reqs, "    ", |r| node_request(r, &mut files));
    let mut out = String::from("// Node.js 18 or later: fetch, FormData and Blob are built in.\n");
    if files {
        out.push_str("const { readFile } = require('node:fs/promises');\n");
        if reqs.iter().any(|r| {
            matches!(&r.body, Body::Multipart(ps) if ps.iter().any(|p| matches!(p, Part::File { path, .. } if path.has_vars())))
        }) {
            out.push_str("const path = require('node:path');\n");
        }
    }
    out.push_str(
        "
async function send(url, options) {
    const response = await fetch(url, options);
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`${options.method} ${url} failed with ${response.status}: ${text}`);
    }
    return text;
}

async function main() {
",
    );
    let _ = writeln!(out, "{}", indent(&bodies, "    "));
    out.push_str("}\n\nmain().catch((error) => {\n    console.error(error);\n    process.exitCode = 1;\n});\n");
    out
}

// ---------------------------------------------------------------- Ruby (net/http)

fn rb_lit(s: &str) -> String {
    // Double quotes interpolate `#{`, `#$` and `#@`: every `#` is escaped.
    dq(s).replace('#', "\\#")
}

fn rb(t: &Text) -> String {
    concat(t, &rb_lit, &|v| format!("ENV.fetch({})", dq(v)), " + ")
}

const RB_JSON: Style = Style {
    null: "nil",
    string: &rb_lit,
    colon: " => ",
    key: &rb_lit,
    indent: "  ",
    ..JSON_LIKE
};

fn rb_pairs(pairs: &[(Text, Text)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("  [{}, {}],", rb(k), rb(v)))
        .collect();
    format!("[\n{}\n]", items.join("\n"))
}

pub(super) fn ruby(reqs: &[Request]) -> String {
    let mut out = String::new();
    if reqs.iter().any(|r| matches!(r.body, Body::Json(_))) {
        out.push_str("require \"json\"\n");
    }
    out.push_str("require \"net/http\"\n");
    if reqs.iter().any(|r| r.insecure) {
        out.push_str("require \"openssl\"\n");
    }
    for r in reqs {
        let _ = writeln!(out, "\nuri = URI({})", rb(&r.url));
        if !r.query.is_empty() {
            let _ = writeln!(
                out,
                "uri.query = URI.encode_www_form({})",
                rb_pairs(&r.query)
            );
        }
        let class = match r.method.as_str() {
            "GET" => "Get",
            "POST" => "Post",
            "PUT" => "Put",
            "PATCH" => "Patch",
            "DELETE" => "Delete",
            "HEAD" => "Head",
            "OPTIONS" => "Options",
            _ => "",
        };
        if class.is_empty() {
            let _ = writeln!(
                out,
                "request = Net::HTTPGenericRequest.new({}, true, true, uri)",
                dq(&r.method)
            );
        } else {
            let _ = writeln!(out, "request = Net::HTTP::{class}.new(uri)");
        }
        for (k, v) in r.own_headers() {
            let _ = writeln!(out, "request[{}] = {}", rb(k), rb(v));
        }
        if let Some((u, p)) = &r.user {
            let _ = writeln!(out, "request.basic_auth({}, {})", rb(u), rb(p));
        }
        match &r.body {
            Body::None => {}
            Body::Json(j) => {
                out.push_str("request.content_type = \"application/json\"\n");
                let _ = writeln!(
                    out,
                    "request.body = JSON.generate({})",
                    json::write(j, &RB_JSON, 0)
                );
            }
            Body::Form(p) => {
                let _ = writeln!(out, "request.set_form({})", rb_pairs(p));
            }
            Body::Raw(t) => {
                let _ = writeln!(out, "request.body = {}", rb(t));
            }
            Body::Multipart(parts) => {
                let items: Vec<String> = parts
                    .iter()
                    .map(|p| match p {
                        Part::Field(k, v) => format!("  [{}, {}],", rb(k), rb(v)),
                        Part::File { name, path, mime } => {
                            let mut opts = match path.as_lit() {
                                Some(p) => format!("filename: {}", rb_lit(base_name(&p))),
                                None => format!("filename: File.basename({})", rb(path)),
                            };
                            if let Some(m) = mime {
                                let _ = write!(opts, ", content_type: {}", rb_lit(m));
                            }
                            format!("  [{}, File.open({}), {{ {opts} }}],", rb(name), rb(path))
                        }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "request.set_form([\n{}\n], \"multipart/form-data\")",
                    items.join("\n")
                );
            }
        }
        let verify = if r.insecure {
            ", verify_mode: OpenSSL::SSL::VERIFY_NONE"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == \"https\"{verify}) do |http|\n  http.request(request)\nend\nputs response.code\nputs response.body"
        );
    }
    out
}

// ---------------------------------------------------------------- PHP (curl)

fn ph(t: &Text) -> String {
    concat(t, &sq, &|v| format!("getenv({})", sq(v)), " . ")
}

const PHP_JSON: Style = Style {
    string: &sq,
    open_obj: "[",
    close_obj: "]",
    empty_obj: "new stdClass()",
    colon: " => ",
    key: &sq,
    ..JSON_LIKE
};

fn php_array(pairs: &[(Text, Text)], pad: &str) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{pad}    {} => {},", ph(k), ph(v)))
        .collect();
    format!("[\n{}\n{pad}]", items.join("\n"))
}

pub(super) fn php(reqs: &[Request]) -> String {
    let mut out = String::from("<?php\n");
    for r in reqs {
        let mut opts: Vec<String> = Vec::new();
        let url = if r.query.is_empty() {
            ph(&r.url)
        } else {
            let u = joined(&[&r.url, &Text::default()], "?");
            format!(
                "{} . http_build_query({})",
                ph(&u),
                php_array(&r.query, "    ")
            )
        };
        opts.push(format!("CURLOPT_URL => {url}"));
        match r.method.as_str() {
            "GET" => {}
            "HEAD" => opts.push("CURLOPT_NOBODY => true".into()),
            m => opts.push(format!("CURLOPT_CUSTOMREQUEST => {}", sq(m))),
        }
        let headers: Vec<String> = r
            .own_headers()
            .map(|(k, v)| format!("        {},", ph(&joined(&[k, v], ": "))))
            .collect();
        let mut headers = headers;
        if matches!(r.body, Body::Json(_)) {
            headers.push("        'Content-Type: application/json',".into());
        }
        if !headers.is_empty() {
            opts.push(format!(
                "CURLOPT_HTTPHEADER => [\n{}\n    ]",
                headers.join("\n")
            ));
        }
        match &r.body {
            Body::None => {}
            Body::Json(j) => opts.push(format!(
                "CURLOPT_POSTFIELDS => json_encode({})",
                json::write(j, &PHP_JSON, 1)
            )),
            Body::Form(p) => opts.push(format!(
                "CURLOPT_POSTFIELDS => http_build_query({})",
                php_array(p, "    ")
            )),
            Body::Raw(t) => opts.push(format!("CURLOPT_POSTFIELDS => {}", ph(t))),
            Body::Multipart(parts) => {
                let items: Vec<String> = parts
                    .iter()
                    .map(|p| match p {
                        Part::Field(k, v) => format!("        {} => {},", ph(k), ph(v)),
                        Part::File { name, path, mime } => {
                            let file_name = match path.as_lit() {
                                Some(p) => sq(base_name(&p)),
                                None => format!("basename({})", ph(path)),
                            };
                            let mime = mime.as_deref().map_or_else(|| "''".to_string(), sq);
                            format!(
                                "        {} => new CURLFile({}, {mime}, {file_name}),",
                                ph(name),
                                ph(path)
                            )
                        }
                    })
                    .collect();
                opts.push(format!(
                    "CURLOPT_POSTFIELDS => [\n{}\n    ]",
                    items.join("\n")
                ));
            }
        }
        if let Some((u, p)) = &r.user {
            opts.push(format!("CURLOPT_USERPWD => {}", ph(&joined(&[u, p], ":"))));
        }
        if r.insecure {
            opts.push("CURLOPT_SSL_VERIFYPEER => false".into());
            opts.push("CURLOPT_SSL_VERIFYHOST => 0".into());
        }
        opts.push("CURLOPT_RETURNTRANSFER => true".into());
        out.push_str("\n$ch = curl_init();\ncurl_setopt_array($ch, [\n");
        for o in opts {
            let _ = writeln!(out, "    {o},");
        }
        out.push_str(
            "]);
$response = curl_exec($ch);
if ($response === false) {
    throw new RuntimeException(curl_error($ch));
}
echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), \"\\n\", $response, \"\\n\";
curl_close($ch);
",
        );
    }
    out
}

// ---------------------------------------------------------------- HTTPie

/// One shell word: bare when safe, single-quoted when literal, double-quoted with variables.
fn shell(t: &Text) -> String {
    if let Some(l) = t.as_lit() {
        let safe = !l.is_empty()
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
        return if safe {
            l
        } else {
            format!("'{}'", l.replace('\'', "'\\''"))
        };
    }
    interpolated(t, '"', |v| format!("${v}"))
}

pub(super) fn httpie(reqs: &[Request]) -> String {
    let mut out = String::new();
    for (n, r) in reqs.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut head = vec!["http".to_string()];
        let mut items: Vec<String> = Vec::new();
        match &r.body {
            Body::Form(_) => head.push("--form".into()),
            Body::Multipart(parts) if parts.iter().any(|p| matches!(p, Part::File { .. })) => {
                head.push("--form".into())
            }
            Body::Multipart(_) => head.push("--multipart".into()),
            _ => {}
        }
        if r.insecure {
            head.push("--verify=no".into());
        }
        if let Some((u, p)) = &r.user {
            head.push("-a".into());
            head.push(shell(&joined(&[u, p], ":")));
        }
        let json_items = match &r.body {
            Body::Json(Json::Obj(fields))
                if !fields.is_empty()
                    && fields
                        .iter()
                        .all(|(k, _)| !k.is_empty() && !k.contains([':', '=', '@', '\\', '['])) =>
            {
                Some(fields)
            }
            _ => None,
        };
        match (&r.body, json_items) {
            (Body::Json(j), None) => {
                head.push("--raw".into());
                head.push(shell(&Text::lit(&json::pretty(j))));
            }
            (Body::Raw(t), _) => {
                head.push("--raw".into());
                head.push(shell(t));
            }
            _ => {}
        }
        head.push(r.method.clone());
        head.push(shell(&r.url));
        for (k, v) in r.own_headers() {
            items.push(shell(&joined(&[k, v], ":")));
        }
        for (k, v) in &r.query {
            items.push(shell(&joined(&[k, v], "==")));
        }
        match &r.body {
            Body::Form(p) => {
                for (k, v) in p {
                    items.push(shell(&joined(&[k, v], "=")));
                }
            }
            Body::Multipart(parts) => {
                for p in parts {
                    items.push(match p {
                        Part::Field(k, v) => shell(&joined(&[k, v], "=")),
                        Part::File { name, path, mime } => {
                            let mut t = joined(&[name, path], "@");
                            if let Some(m) = mime {
                                t.0.push(Seg::Lit(format!(";type={m}")));
                            }
                            shell(&joined(&[&t], ""))
                        }
                    });
                }
            }
            _ => {}
        }
        if let Some(fields) = json_items {
            for (k, v) in fields {
                let item = match v {
                    Json::Str(s) => format!("{k}={s}"),
                    other => format!("{k}:={}", json::compact(other)),
                };
                items.push(shell(&Text::lit(&item)));
            }
        }
        out.push_str(&head.join(" "));
        for i in items {
            let _ = write!(out, " \\\n    {i}");
        }
        out.push('\n');
    }
    out
}
