//! One language's program sending the requests of a curl sample: runnable as it stands,
//! with every environment variable the command used read from the environment.

use super::curl::{Body, Part, Request, Seg, Text};
use super::json::{self, Json, Style};
use super::Lang;
use crate::openapi::commonmark::indented as indent;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The program in `lang` sending `reqs`, one after the other.
pub fn generate(lang: Lang, reqs: &[Request]) -> String {
    match lang {
        Lang::Python => python(reqs),
        Lang::Node => node(reqs),
        Lang::Go => go(reqs),
        Lang::Ruby => ruby(reqs),
        Lang::Php => php(reqs),
        Lang::Java => java(reqs),
        Lang::Csharp => csharp(reqs),
        Lang::Httpie => httpie(reqs),
    }
}

/// How a language writes a string literal, or reads a variable into a string.
type Quote<'a> = &'a dyn Fn(&str) -> String;

/// A string expression: literal parts quoted, variables read, joined by `plus`.
fn concat(t: &Text, quote: Quote, var: Quote, plus: &str) -> String {
    if t.is_empty() {
        return quote("");
    }
    t.0.iter()
        .map(|s| match s {
            Seg::Lit(l) => quote(l),
            Seg::Var(v) => var(v),
        })
        .collect::<Vec<_>>()
        .join(plus)
}

/// A double-quoted string with JSON's escapes, which C-family languages and Python share.
fn dq(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A single-quoted string where only `\` and `'` are escaped (PHP, JavaScript).
fn sq(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `a.pdf` of `files/a.pdf`.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Percent-encodes a query or form value at generation time (RFC 3986 unreserved kept).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Each request's code, one after the other; when there are several, each in a block of its
/// own, so their variables (`req`, `response` …) can be declared again.
fn blocks(reqs: &[Request], pad: &str, mut code: impl FnMut(&Request) -> String) -> String {
    let many = reqs.len() > 1;
    let parts: Vec<String> = reqs
        .iter()
        .map(|r| {
            let c = code(r);
            if many {
                format!("{{\n{}\n}}", indent(c.trim_end(), pad))
            } else {
                c.trim_end().to_string()
            }
        })
        .collect();
    parts.join("\n")
}

fn has_dupes(pairs: &[(Text, Text)]) -> bool {
    let mut seen = BTreeSet::new();
    pairs.iter().any(|(k, _)| !seen.insert(k.shown()))
}

fn uses_vars(reqs: &[Request]) -> bool {
    let text_vars = |t: &Text| t.has_vars();
    reqs.iter().any(|r| {
        text_vars(&r.url)
            || r.query
                .iter()
                .chain(&r.headers)
                .any(|(k, v)| text_vars(k) || text_vars(v))
            || r.user
                .as_ref()
                .is_some_and(|(u, p)| text_vars(u) || text_vars(p))
            || match &r.body {
                Body::Raw(t) => text_vars(t),
                Body::Form(p) => p.iter().any(|(k, v)| text_vars(k) || text_vars(v)),
                Body::Multipart(parts) => parts.iter().any(|p| match p {
                    Part::Field(k, v) => text_vars(k) || text_vars(v),
                    Part::File { name, path, .. } => text_vars(name) || text_vars(path),
                }),
                _ => false,
            }
    })
}

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

/// JSON's own spelling, which each language's style changes where it must.
const JSON_LIKE: Style = Style {
    null: "null",
    yes: "true",
    no: "false",
    string: &dq,
    open_obj: "{",
    close_obj: "}",
    empty_obj: "{}",
    open_arr: "[",
    close_arr: "]",
    colon: ": ",
    key: &dq,
    indent: "    ",
};

const PY_JSON: Style = Style {
    null: "None",
    yes: "True",
    no: "False",
    ..JSON_LIKE
};

fn python(reqs: &[Request]) -> String {
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

/// A string in quotes that interpolate (a JavaScript template, a shell's double quotes):
/// `\`, `$`, `` ` `` and the quote escaped in the literal parts, each variable as `var` says.
fn interpolated(t: &Text, quote: char, var: impl Fn(&str) -> String) -> String {
    let mut out = String::from(quote);
    for s in &t.0 {
        match s {
            Seg::Lit(l) => {
                for c in l.chars() {
                    if matches!(c, '\\' | '$' | '`') || c == quote {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Seg::Var(v) => out.push_str(&var(v)),
        }
    }
    out.push(quote);
    out
}

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

fn node(reqs: &[Request]) -> String {
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

// ---------------------------------------------------------------- Go (net/http)

/// `plus` is `+` inside a call of several arguments and ` + ` elsewhere, as gofmt spaces it.
fn go_str(t: &Text, plus: &str) -> String {
    concat(t, &dq, &|v| format!("os.Getenv({})", dq(v)), plus)
}

fn go_request(r: &Request, imports: &mut BTreeSet<&'static str>, attach: &mut bool) -> String {
    let mut out = String::new();
    let mut body = "nil".to_string();
    let mut content_type = None;
    if !r.query.is_empty() {
        imports.insert("net/url");
        out.push_str("query := url.Values{}\n");
        for (k, v) in &r.query {
            let _ = writeln!(out, "query.Add({}, {})", go_str(k, "+"), go_str(v, "+"));
        }
    }
    match &r.body {
        Body::None => {}
        Body::Json(j) => {
            imports.insert("strings");
            let text = json::pretty(j);
            let lit = if text.contains('`') {
                dq(&text)
            } else {
                format!("`{text}`")
            };
            body = format!("strings.NewReader({lit})");
            content_type = Some("\"application/json\"".to_string());
        }
        Body::Form(p) => {
            imports.insert("net/url");
            imports.insert("strings");
            out.push_str("form := url.Values{}\n");
            for (k, v) in p {
                let _ = writeln!(out, "form.Add({}, {})", go_str(k, "+"), go_str(v, "+"));
            }
            body = "strings.NewReader(form.Encode())".into();
            content_type = Some("\"application/x-www-form-urlencoded\"".to_string());
        }
        Body::Raw(t) => {
            imports.insert("strings");
            body = format!("strings.NewReader({})", go_str(t, " + "));
        }
        Body::Multipart(parts) => {
            imports.insert("bytes");
            imports.insert("mime/multipart");
            out.push_str("body := &bytes.Buffer{}\nform := multipart.NewWriter(body)\n");
            for p in parts {
                match p {
                    Part::Field(k, v) => {
                        let _ = writeln!(
                            out,
                            "form.WriteField({}, {})",
                            go_str(k, "+"),
                            go_str(v, "+")
                        );
                    }
                    Part::File { name, path, mime } => {
                        *attach = true;
                        let _ = writeln!(
                            out,
                            "attach(form, {}, {}, {})",
                            go_str(name, "+"),
                            go_str(path, "+"),
                            dq(mime.as_deref().unwrap_or("application/octet-stream"))
                        );
                    }
                }
            }
            out.push_str("form.Close()\n");
            body = "body".into();
            content_type = Some("form.FormDataContentType()".into());
        }
    }
    let url = if r.query.is_empty() {
        go_str(&r.url, "+")
    } else {
        let head = joined(&[&r.url, &Text::default()], "?");
        format!("{}+query.Encode()", go_str(&head, "+"))
    };
    let _ = writeln!(
        out,
        "req, err := http.NewRequest({}, {url}, {body})\nif err != nil {{\n\tlog.Fatal(err)\n}}",
        dq(&r.method)
    );
    if let Some(ct) = content_type {
        let _ = writeln!(out, "req.Header.Set(\"Content-Type\", {ct})");
    }
    for (k, v) in r.own_headers() {
        let _ = writeln!(
            out,
            "req.Header.Set({}, {})",
            go_str(k, "+"),
            go_str(v, "+")
        );
    }
    if let Some((u, p)) = &r.user {
        let _ = writeln!(
            out,
            "req.SetBasicAuth({}, {})",
            go_str(u, "+"),
            go_str(p, "+")
        );
    }
    if r.insecure {
        imports.insert("crypto/tls");
        out.push_str("// curl -k: the server's certificate is not verified (test servers only).\nclient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}\nsend(client, req)\n");
    } else {
        out.push_str("send(http.DefaultClient, req)\n");
    }
    out
}

fn go(reqs: &[Request]) -> String {
    let mut imports: BTreeSet<&'static str> = ["fmt", "io", "log", "net/http"].into();
    if uses_vars(reqs) {
        imports.insert("os");
    }
    let mut attach = false;
    let bodies = blocks(reqs, "\t", |r| go_request(r, &mut imports, &mut attach));
    if attach {
        imports.extend(["net/textproto", "os", "path/filepath"]);
    }
    let mut out = String::from("package main\n\nimport (\n");
    for i in &imports {
        let _ = writeln!(out, "\t{}", dq(i));
    }
    out.push_str(")\n\nfunc main() {\n");
    let _ = writeln!(out, "{}", indent(&bodies, "\t"));
    out.push_str(
        "}

func send(client *http.Client, req *http.Request) {
\tresp, err := client.Do(req)
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tdefer resp.Body.Close()
\tbody, err := io.ReadAll(resp.Body)
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tfmt.Println(resp.Status)
\tfmt.Println(string(body))
}
",
    );
    if attach {
        out.push_str(
            "
func attach(form *multipart.Writer, field, path, contentType string) {
\tfile, err := os.Open(path)
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tdefer file.Close()
\theader := make(textproto.MIMEHeader)
\theader.Set(\"Content-Disposition\", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, filepath.Base(path)))
\theader.Set(\"Content-Type\", contentType)
\tpart, err := form.CreatePart(header)
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tif _, err := io.Copy(part, file); err != nil {
\t\tlog.Fatal(err)
\t}
}
",
        );
    }
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

fn ruby(reqs: &[Request]) -> String {
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

fn php(reqs: &[Request]) -> String {
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

// ---------------------------------------------------------------- Java 11 (HttpClient)

fn jv(t: &Text) -> String {
    concat(t, &dq, &java_var, " + ")
}

/// `head` (as it is), then `pairs` encoded as a query or form string: literal parts encoded
/// now, variables (`var` in `head`, `var_encoded` in pairs) at run time.
fn encoded(
    head: &Text,
    pairs: &[(Text, Text)],
    quote: Quote,
    (var, var_encoded): (Quote, Quote),
    plus: &str,
) -> String {
    let mut t: Vec<String> = Vec::new();
    let mut lit = String::new();
    let mut put = |s: &Seg, encoding: bool, lit: &mut String| match s {
        Seg::Lit(l) if encoding => lit.push_str(&encode(l)),
        Seg::Lit(l) => lit.push_str(l),
        Seg::Var(name) => {
            if !lit.is_empty() {
                t.push(quote(&std::mem::take(lit)));
            }
            t.push(if encoding {
                var_encoded(name)
            } else {
                var(name)
            });
        }
    };
    for s in &head.0 {
        put(s, false, &mut lit);
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            lit.push('&');
        }
        for s in &k.0 {
            put(s, true, &mut lit);
        }
        lit.push('=');
        for s in &v.0 {
            put(s, true, &mut lit);
        }
    }
    if !lit.is_empty() || t.is_empty() {
        t.push(quote(&lit));
    }
    t.join(plus)
}

fn java_var(v: &str) -> String {
    format!("System.getenv({})", dq(v))
}

fn java_encode(v: &str) -> String {
    format!("URLEncoder.encode({}, StandardCharsets.UTF_8)", java_var(v))
}

fn java_request(r: &Request, imports: &mut BTreeSet<&'static str>, multipart: &mut bool) -> String {
    let mut out = String::new();
    let mut url = jv(&r.url);
    if !r.query.is_empty() {
        let head = joined(&[&r.url, &Text::default()], "?");
        url = encoded(&head, &r.query, &dq, (&java_var, &java_encode), " + ");
        if r.query.iter().any(|(k, v)| k.has_vars() || v.has_vars()) {
            imports.insert("java.net.URLEncoder");
            imports.insert("java.nio.charset.StandardCharsets");
        }
    }
    let mut headers: Vec<(String, String)> = r
        .own_headers()
        .filter(|(k, _)| {
            // HttpClient sets these itself and refuses them.
            !k.as_lit().is_some_and(|k| {
                ["host", "content-length", "connection"].contains(&k.to_ascii_lowercase().as_str())
            })
        })
        .map(|(k, v)| (jv(k), jv(v)))
        .collect();
    let publisher = match &r.body {
        Body::None => None,
        Body::Json(j) => {
            headers.push(("\"Content-Type\"".into(), "\"application/json\"".into()));
            let lines: Vec<String> = json::pretty(j)
                .lines()
                .map(|l| dq(&format!("{l}\n")))
                .collect();
            let _ = writeln!(out, "String json = {};", lines.join("\n    + "));
            Some("HttpRequest.BodyPublishers.ofString(json)".to_string())
        }
        Body::Form(p) => {
            if p.iter().any(|(k, v)| k.has_vars() || v.has_vars()) {
                imports.insert("java.net.URLEncoder");
                imports.insert("java.nio.charset.StandardCharsets");
            }
            headers.push((
                "\"Content-Type\"".into(),
                "\"application/x-www-form-urlencoded\"".into(),
            ));
            Some(format!(
                "HttpRequest.BodyPublishers.ofString({})",
                encoded(&Text::default(), p, &dq, (&java_var, &java_encode), " + ")
            ))
        }
        Body::Raw(t) => {
            if r.header("content-type").is_none() {
                headers.push((
                    "\"Content-Type\"".into(),
                    "\"application/x-www-form-urlencoded\"".into(),
                ));
            }
            Some(format!("HttpRequest.BodyPublishers.ofString({})", jv(t)))
        }
        Body::Multipart(parts) => {
            *multipart = true;
            let items: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    Part::Field(k, v) => format!(
                        "    new String[] {{\"field\", {}, {}, null}},",
                        jv(k),
                        jv(v)
                    ),
                    Part::File { name, path, mime } => format!(
                        "    new String[] {{\"file\", {}, {}, {}}},",
                        jv(name),
                        jv(path),
                        dq(mime.as_deref().unwrap_or("application/octet-stream"))
                    ),
                })
                .collect();
            let _ = writeln!(
                out,
                "String boundary = \"endpaper\" + System.nanoTime();\nList<String[]> parts = List.of(\n{}\n);",
                items.join("\n").trim_end_matches(',')
            );
            headers.push((
                "\"Content-Type\"".into(),
                "\"multipart/form-data; boundary=\" + boundary".into(),
            ));
            Some("multipart(boundary, parts)".to_string())
        }
    };
    if let Some((u, p)) = &r.user {
        imports.insert("java.util.Base64");
        imports.insert("java.nio.charset.StandardCharsets");
        headers.push((
            "\"Authorization\"".into(),
            format!(
                "\"Basic \" + Base64.getEncoder().encodeToString(({} + \":\" + {}).getBytes(StandardCharsets.UTF_8))",
                jv(u),
                jv(p)
            ),
        ));
    }
    if r.insecure {
        out.push_str("// curl -k: HttpClient verifies certificates; trust the test server's certificate\n// in a keystore (javax.net.ssl.trustStore) to reach it.\n");
    }
    let _ = writeln!(
        out,
        "HttpRequest request = HttpRequest.newBuilder()\n    .uri(URI.create({url}))"
    );
    for (k, v) in headers {
        let _ = writeln!(out, "    .header({k}, {v})");
    }
    let method = match (r.method.as_str(), &publisher) {
        ("GET", None) => ".GET()".to_string(),
        ("DELETE", None) => ".DELETE()".to_string(),
        (m, Some(p)) => format!(".method({}, {p})", dq(m)),
        (m, None) => format!(".method({}, HttpRequest.BodyPublishers.noBody())", dq(m)),
    };
    let _ = writeln!(
        out,
        "    {method}\n    .build();\nHttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());\nSystem.out.println(response.statusCode());\nSystem.out.println(response.body());"
    );
    out
}

fn java(reqs: &[Request]) -> String {
    let mut imports: BTreeSet<&'static str> = [
        "java.net.URI",
        "java.net.http.HttpClient",
        "java.net.http.HttpRequest",
        "java.net.http.HttpResponse",
    ]
    .into();
    let mut multipart = false;
    let bodies = blocks(reqs, "    ", |r| {
        java_request(r, &mut imports, &mut multipart)
    });
    if multipart {
        imports.extend([
            "java.io.IOException",
            "java.nio.charset.StandardCharsets",
            "java.nio.file.Files",
            "java.nio.file.Path",
            "java.util.ArrayList",
            "java.util.List",
        ]);
    }
    let mut out = String::new();
    for i in &imports {
        let _ = writeln!(out, "import {i};");
    }
    out.push_str("\npublic class Example {\n    public static void main(String[] args) throws Exception {\n        HttpClient client = HttpClient.newHttpClient();\n");
    let _ = writeln!(out, "{}", indent(&bodies, "        "));
    out.push_str("    }\n");
    if multipart {
        out.push_str(
            r#"
    // HttpClient has no multipart/form-data body: each part is {kind, name, value or path, type}.
    static HttpRequest.BodyPublisher multipart(String boundary, List<String[]> parts) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String[] part : parts) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part[1] + "\"";
            if (part[0].equals("file")) {
                Path path = Path.of(part[2]);
                head += "; filename=\"" + path.getFileName() + "\"\r\nContent-Type: " + part[3] + "\r\n\r\n";
                bytes.add(head.getBytes(StandardCharsets.UTF_8));
                bytes.add(Files.readAllBytes(path));
            } else {
                bytes.add((head + "\r\n\r\n" + part[2]).getBytes(StandardCharsets.UTF_8));
            }
            bytes.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        bytes.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArrays(bytes);
    }
"#,
        );
    }
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------- C# (HttpClient)

fn cs_var(v: &str) -> String {
    format!("Environment.GetEnvironmentVariable({})", dq(v))
}

fn cs(t: &Text) -> String {
    concat(t, &dq, &cs_var, " + ")
}

fn cs_encode(v: &str) -> String {
    format!("Uri.EscapeDataString({})", cs_var(v))
}

fn cs_request(r: &Request) -> String {
    let mut out = String::new();
    let url = if r.query.is_empty() {
        cs(&r.url)
    } else {
        let head = joined(&[&r.url, &Text::default()], "?");
        encoded(&head, &r.query, &dq, (&cs_var, &cs_encode), " + ")
    };
    let _ = writeln!(
        out,
        "using var request = new HttpRequestMessage(new HttpMethod({}), {url});",
        dq(&r.method)
    );
    let mut content_type = None;
    for (k, v) in r.own_headers() {
        if k.as_lit()
            .is_some_and(|k| k.eq_ignore_ascii_case("content-type"))
        {
            content_type = Some(cs(v));
            continue;
        }
        let _ = writeln!(
            out,
            "request.Headers.TryAddWithoutValidation({}, {});",
            cs(k),
            cs(v)
        );
    }
    if let Some((u, p)) = &r.user {
        let _ = writeln!(
            out,
            "request.Headers.Authorization = new AuthenticationHeaderValue(\"Basic\", Convert.ToBase64String(Encoding.UTF8.GetBytes({} + \":\" + {})));",
            cs(u),
            cs(p)
        );
    }
    match &r.body {
        Body::None => {}
        Body::Json(j) => {
            let text = json::pretty(j).replace('"', "\"\"");
            let _ = writeln!(
                out,
                "request.Content = new StringContent(@\"{text}\", Encoding.UTF8, \"application/json\");"
            );
        }
        Body::Form(p) => {
            let items: Vec<String> = p
                .iter()
                .map(|(k, v)| {
                    format!(
                        "    new KeyValuePair<string, string>({}, {}),",
                        cs(k),
                        cs(v)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "request.Content = new FormUrlEncodedContent(new[]\n{{\n{}\n}});",
                items.join("\n")
            );
        }
        Body::Raw(t) => {
            let _ = writeln!(
                out,
                "request.Content = new StringContent({}, Encoding.UTF8, {});",
                cs(t),
                content_type
                    .take()
                    .unwrap_or_else(|| dq("application/x-www-form-urlencoded"))
            );
            out.push_str("request.Content.Headers.ContentType.CharSet = null;\n");
        }
        Body::Multipart(parts) => {
            out.push_str("var form = new MultipartFormDataContent();\n");
            for (i, p) in parts.iter().enumerate() {
                match p {
                    Part::Field(k, v) => {
                        let _ = writeln!(out, "form.Add(new StringContent({}), {});", cs(v), cs(k));
                    }
                    Part::File { name, path, mime } => {
                        let _ = writeln!(
                            out,
                            "var file{i} = new ByteArrayContent(File.ReadAllBytes({}));",
                            cs(path)
                        );
                        if let Some(m) = mime {
                            let _ = writeln!(
                                out,
                                "file{i}.Headers.ContentType = new MediaTypeHeaderValue({});",
                                dq(m)
                            );
                        }
                        let _ = writeln!(
                            out,
                            "form.Add(file{i}, {}, Path.GetFileName({}));",
                            cs(name),
                            cs(path)
                        );
                    }
                }
            }
            out.push_str("request.Content = form;\n");
        }
    }
    if let (Some(ct), false) = (content_type, matches!(r.body, Body::None)) {
        let _ = writeln!(
            out,
            "request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse({ct});"
        );
    }
    out.push_str("using var response = await client.SendAsync(request);\nConsole.WriteLine((int)response.StatusCode);\nConsole.WriteLine(await response.Content.ReadAsStringAsync());\n");
    out
}

fn csharp(reqs: &[Request]) -> String {
    let mut out = String::from("using System;\nusing System.Collections.Generic;\nusing System.IO;\nusing System.Net.Http;\nusing System.Net.Http.Headers;\nusing System.Text;\n\n");
    if reqs.iter().any(|r| r.insecure) {
        out.push_str("// curl -k: the server's certificate is not verified (test servers only).\nusing var handler = new HttpClientHandler\n{\n    ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,\n};\nusing var client = new HttpClient(handler);\n");
    } else {
        out.push_str("using var client = new HttpClient();\n");
    }
    let _ = writeln!(out, "\n{}", blocks(reqs, "    ", cs_request));
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

fn joined(parts: &[&Text], sep: &str) -> Text {
    let mut t = Text::default();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            t.0.push(Seg::Lit(sep.into()));
        }
        t.0.extend(p.0.iter().cloned());
    }
    // Adjacent literals are merged so the word quotes as one.
    let mut merged = Text::default();
    for s in t.0 {
        match (merged.0.last_mut(), s) {
            (Some(Seg::Lit(a)), Seg::Lit(b)) => a.push_str(&b),
            (_, s) => merged.0.push(s),
        }
    }
    merged
}

fn httpie(reqs: &[Request]) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::curl::parse_sample;
    use super::*;

    fn gen(lang: Lang, src: &str) -> String {
        generate(lang, &parse_sample(src).unwrap())
    }

    const UPLOAD: &str = "curl -X POST \"$API_URL/files/upload/\" -H \"Authorization: Token $TOKEN\" -F purpose=sample -F 'file=@docs/a.pdf;type=application/pdf'";
    const JSON_POST: &str = "curl https://h.example/v2/orders/?dry_run=true -H 'Content-Type: application/json' -d '{\"sku\": \"FH-1\", \"qty\": 2, \"gift\": false, \"note\": null, \"tags\": [\"a\"]}'";

    #[test]
    fn python_reads_the_token_from_the_environment() {
        let py = gen(Lang::Python, UPLOAD);
        assert!(py.contains("import os\n"), "{py}");
        assert!(
            py.contains("requests.post(\n    os.environ[\"API_URL\"] + \"/files/upload/\",\n"),
            "{py}"
        );
        assert!(
            py.contains("\"Authorization\": \"Token \" + os.environ[\"TOKEN\"],"),
            "{py}"
        );
        assert!(
            py.contains(
                "\"file\": (\"a.pdf\", open(\"docs/a.pdf\", \"rb\"), \"application/pdf\"),"
            ),
            "{py}"
        );
        assert!(
            py.contains("data={\n        \"purpose\": \"sample\",\n    },"),
            "{py}"
        );
        let py = gen(Lang::Python, JSON_POST);
        assert!(!py.contains("import os"), "{py}");
        assert!(py.contains("json={\n        \"sku\": \"FH-1\",\n        \"qty\": 2,\n        \"gift\": False,\n        \"note\": None,"), "{py}");
        assert!(
            py.contains("params={\n        \"dry_run\": \"true\",\n    },"),
            "{py}"
        );
        assert!(
            !py.contains("Content-Type"),
            "requests sets it for json=: {py}"
        );
    }

    #[test]
    fn node_uses_fetch_and_form_data() {
        let js = gen(Lang::Node, UPLOAD);
        assert!(
            js.contains("await send(`${process.env.API_URL}/files/upload/`, {"),
            "{js}"
        );
        assert!(
            js.contains("Authorization: `Token ${process.env.TOKEN}`,"),
            "{js}"
        );
        assert!(js.contains("form.append('file', new Blob([await readFile('docs/a.pdf')], { type: 'application/pdf' }), 'a.pdf');"), "{js}");
        assert!(js.contains("const { readFile } = require('node:fs/promises');"));
        let js = gen(Lang::Node, JSON_POST);
        assert!(
            js.contains("'https://h.example/v2/orders/?' + new URLSearchParams({\n"),
            "{js}"
        );
        assert!(js.contains("body: JSON.stringify({\n"), "{js}");
        assert!(js.contains("'Content-Type': 'application/json',"), "{js}");
    }

    #[test]
    fn go_spaces_like_gofmt_and_imports_what_it_uses() {
        let go = gen(Lang::Go, UPLOAD);
        assert!(go.contains("\"mime/multipart\"\n\t\"net/http\"\n\t\"net/textproto\"\n\t\"os\"\n\t\"path/filepath\"\n)"), "{go}");
        assert!(
            go.contains(
                "http.NewRequest(\"POST\", os.Getenv(\"API_URL\")+\"/files/upload/\", body)"
            ),
            "{go}"
        );
        assert!(
            go.contains("req.Header.Set(\"Authorization\", \"Token \"+os.Getenv(\"TOKEN\"))"),
            "{go}"
        );
        assert!(
            go.contains("attach(form, \"file\", \"docs/a.pdf\", \"application/pdf\")"),
            "{go}"
        );
        let go = gen(
            Lang::Go,
            "curl -u admin:pw https://h/x -H 'Content-Type: text/plain' -d \"id=$ID\"",
        );
        assert!(
            go.contains("strings.NewReader(\"id=\" + os.Getenv(\"ID\"))"),
            "{go}"
        );
        assert!(go.contains("req.SetBasicAuth(\"admin\", \"pw\")"), "{go}");
        assert!(!go.contains("\"net/url\""), "{go}");
    }

    #[test]
    fn ruby_php_java_csharp_and_httpie_carry_everything_over() {
        let rb = gen(Lang::Ruby, JSON_POST);
        assert!(
            rb.contains("uri.query = URI.encode_www_form([\n  [\"dry_run\", \"true\"],\n])"),
            "{rb}"
        );
        assert!(rb.contains("request.body = JSON.generate({\n  \"sku\" => \"FH-1\",\n  \"qty\" => 2,\n  \"gift\" => false,\n  \"note\" => nil,"), "{rb}");
        let rb = gen(Lang::Ruby, UPLOAD);
        assert!(rb.contains("[\"file\", File.open(\"docs/a.pdf\"), { filename: \"a.pdf\", content_type: \"application/pdf\" }],"), "{rb}");
        assert!(
            rb.contains("request[\"Authorization\"] = \"Token \" + ENV.fetch(\"TOKEN\")"),
            "{rb}"
        );
        let php = gen(Lang::Php, UPLOAD);
        assert!(
            php.contains("'file' => new CURLFile('docs/a.pdf', 'application/pdf', 'a.pdf'),"),
            "{php}"
        );
        assert!(
            php.contains("'Authorization: Token ' . getenv('TOKEN'),"),
            "{php}"
        );
        let java = gen(Lang::Java, JSON_POST);
        assert!(
            java.contains(".uri(URI.create(\"https://h.example/v2/orders/?dry_run=true\"))"),
            "{java}"
        );
        assert!(
            java.contains(".method(\"POST\", HttpRequest.BodyPublishers.ofString(json))"),
            "{java}"
        );
        let java = gen(Lang::Java, "curl \"https://h/x?q=$Q&n=1\"");
        assert!(java.contains("URI.create(\"https://h/x?q=\" + URLEncoder.encode(System.getenv(\"Q\"), StandardCharsets.UTF_8) + \"&n=1\")"), "{java}");
        assert!(java.contains("import java.net.URLEncoder;\n"), "{java}");
        let cs = gen(Lang::Csharp, "curl -k -u \"me:$PW\" 'https://h/x?q=a b'");
        assert!(
            cs.contains("DangerousAcceptAnyServerCertificateValidator"),
            "{cs}"
        );
        assert!(
            cs.contains("new HttpMethod(\"GET\"), \"https://h/x?q=a%20b\")"),
            "{cs}"
        );
        assert!(cs.contains("Encoding.UTF8.GetBytes(\"me\" + \":\" + Environment.GetEnvironmentVariable(\"PW\"))"), "{cs}");
        let http = gen(Lang::Httpie, UPLOAD);
        assert_eq!(
            http,
            "http --form POST \"$API_URL/files/upload/\" \\\n    \"Authorization:Token $TOKEN\" \\\n    purpose=sample \\\n    'file@docs/a.pdf;type=application/pdf'\n"
        );
        let http = gen(Lang::Httpie, JSON_POST);
        assert!(http.contains("    sku=FH-1 \\\n    qty:=2 \\\n    gift:=false \\\n    note:=null \\\n    'tags:=[\"a\"]'\n"), "{http}");
    }

    #[test]
    fn several_commands_become_one_program() {
        let src = "curl -X POST https://h/a -d x=1\ncurl https://h/b\n";
        let go = gen(Lang::Go, src);
        assert_eq!(go.matches("http.NewRequest(").count(), 2);
        assert_eq!(
            go.matches("\t{\n").count(),
            2,
            "each request in its own block: {go}"
        );
        let py = gen(Lang::Python, src);
        assert_eq!(py.matches("response = requests.").count(), 2);
        assert_eq!(
            gen(Lang::Httpie, src),
            "http --form POST https://h/a \\\n    x=1\n\nhttp GET https://h/b\n"
        );
    }
}
