use super::*;
use crate::samples::curl::parse_sample;

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
        py.contains("\"file\": (\"a.pdf\", open(\"docs/a.pdf\", \"rb\"), \"application/pdf\"),"),
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
        go.contains("http.NewRequest(\"POST\", os.Getenv(\"API_URL\")+\"/files/upload/\", body)"),
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
        go.contains("strings.NewReader(\"id=\"+os.Getenv(\"ID\"))"),
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
    assert!(
        cs.contains(
            "Encoding.UTF8.GetBytes(\"me\" + \":\" + Environment.GetEnvironmentVariable(\"PW\"))"
        ),
        "{cs}"
    );
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
