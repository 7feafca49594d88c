//! The compiled languages: Go, Java, C#.

use super::*;
use crate::samples::json;
use std::collections::BTreeSet;
use std::fmt::Write as _;

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
            body = format!("strings.NewReader({})", go_str(t, "+"));
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

pub(super) fn go(reqs: &[Request]) -> String {
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

pub(super) fn java(reqs: &[Request]) -> String {
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

pub(super) fn csharp(reqs: &[Request]) -> String {
    let mut out = String::from("using System;\nusing System.Collections.Generic;\nusing System.IO;\nusing System.Net.Http;\nusing System.Net.Http.Headers;\nusing System.Text;\n\n");
    if reqs.iter().any(|r| r.insecure) {
        out.push_str("// curl -k: the server's certificate is not verified (test servers only).\nusing var handler = new HttpClientHandler\n{\n    ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,\n};\nusing var client = new HttpClient(handler);\n");
    } else {
        out.push_str("using var client = new HttpClient();\n");
    }
    let _ = writeln!(out, "\n{}", blocks(reqs, "    ", cs_request));
    out
}
