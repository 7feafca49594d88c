//! Samples in every language generated from curl samples (`endpaper: samples:`), built
//! through the binary from `tests/fixtures/samples`, and each language's own checker run on
//! what was generated. CI installs python3, node, ruby, javac, gofmt and php
//! (`ENDPAPER_REQUIRE_TOOLS=1` fails without them); C# is not compiled (that needs the .NET
//! SDK and a project).

use crate::common::{element, fixture, skipped, stderr, tool_missing, Site};
use std::path::Path;
use std::process::Command;

/// `(title, fence language, code)` of a sample in a doc's markdown twin.
type Twin = (String, String, String);

/// Every sample of a doc's markdown twin.
fn samples_of(twin: &str) -> Vec<Twin> {
    let mut out = Vec::new();
    let mut rest = twin;
    while let Some(i) = rest.find("\n**") {
        rest = &rest[i + 3..];
        let Some(end) = rest.find("**\n\n```") else {
            continue;
        };
        let title = rest[..end].to_string();
        let after = &rest[end + 7..];
        let nl = after.find('\n').unwrap();
        let lang = after[..nl].to_string();
        let close = after[nl + 1..].find("\n```\n").unwrap();
        let code = after[nl + 1..nl + 1 + close + 1].to_string();
        out.push((title, lang, code));
        rest = &after[nl + 1 + close..];
    }
    out
}

const TITLES: [&str; 9] = [
    "Curl",
    "Python (requests)",
    "Node.js",
    "Go",
    "Ruby",
    "PHP",
    "Java",
    "C#",
    "HTTPie",
];

fn built() -> (Site, Vec<(String, Vec<Twin>)>) {
    let (site, _) = fixture("samples");
    site.build(&[]);
    let docs = [
        "list_orders",
        "create_order",
        "search",
        "upload",
        "delete_user",
        "batch",
        "ping",
        "put_note",
    ];
    let twins = docs
        .iter()
        .map(|d| {
            (
                d.to_string(),
                samples_of(&site.read_out(&format!("api/{d}.md"))),
            )
        })
        .collect();
    (site, twins)
}

#[test]
fn every_curl_sample_gets_the_sites_languages_in_its_tab_group() {
    let (site, twins) = built();
    for (doc, samples) in &twins {
        let titles: Vec<&str> = samples.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(titles, TITLES, "{doc}");
    }
    // The hand-written Python sample wins over a generated one, and keeps its place.
    let list = &twins[0].1;
    assert!(
        list[1].2.starts_with("# written by hand\n"),
        "{}",
        list[1].2
    );
    // Everything the curl command says carries over.
    let by = |doc: &str, title: &str| -> String {
        let samples = &twins.iter().find(|(d, _)| d == doc).unwrap().1;
        samples.iter().find(|s| s.0 == title).unwrap().2.clone()
    };
    let py = by("create_order", "Python (requests)");
    assert!(py.contains("\"unit_price\": 6.80,"), "{py}");
    assert!(py.contains("\"name\": \"O'Brien & Sons\","), "{py}");
    assert!(
        py.contains("\"Authorization\": \"Bearer \" + os.environ[\"EXAMPLE_TOKEN\"],"),
        "{py}"
    );
    let js = by("search", "Node.js");
    assert!(
        js.contains("Buffer.from(`reports:${process.env.REPORTS_PASSWORD}`)"),
        "{js}"
    );
    assert!(js.contains("filter: 'price < 10 & in stock',"), "{js}");
    let go = by("list_orders", "Go");
    assert!(go.contains("query.Add(\"status\", \"open\")"), "{go}");
    let rb = by("delete_user", "Ruby");
    assert!(
        rb.contains("request.basic_auth(\"admin\", \"s3cr$t\")"),
        "{rb}"
    );
    assert!(
        rb.contains("verify_mode: OpenSSL::SSL::VERIFY_NONE"),
        "{rb}"
    );
    let http = by("batch", "HTTPie");
    assert!(http.contains("http POST https://api.example.com/v1/batches/ \\\n    Accept:application/json \\\n    'items:=[1,2,3]'\n"), "{http}");
    assert!(http.contains("http GET https://api.example.com/v1/batches/ \\\n    \"X-Trace:$TRACE_ID\" \\\n    latest==true\n"), "{http}");
    let java = by("put_note", "Java");
    assert!(
        java.contains("\"hello from \" + System.getenv(\"USER\")"),
        "{java}"
    );
    // In the page: tabs keyed by their titles, generated code highlighted like the rest.
    let html = site.read_out("index.html");
    let upload = element(&html, "apiupload");
    assert!(
        upload.contains("data-tab=\"python-requests\">Python (requests)</button>"),
        "{upload}"
    );
    assert!(
        upload.contains("data-lang=\"go\"><pre class=\"ep-code\"><code class=\"language-go\"><x-"),
        "{upload}"
    );
    // The untitled curl sample became the first tab of a group of its own.
    let ping = element(&html, "apiping");
    assert!(ping.contains("data-tab=\"curl\">Curl</button>"), "{ping}");
}

/// Runs `cmd`; a failure shows the generated file and what the checker said. `silent`:
/// the checker also prints nothing when content (`gofmt -l` lists files it would change).
fn passes(cmd: &mut Command, file: &Path, code: &str, silent: bool) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success() && (!silent || out.stdout.trim_ascii().is_empty()),
        "{:?} failed on the generated {}:\n{code}\n{}{}",
        cmd,
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

fn have(tool: &str, version_flag: &str) -> bool {
    Command::new(tool)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn generated_samples_pass_each_languages_own_checker() {
    let (_site, twins) = built();
    let dir = tempfile::tempdir().unwrap();
    let mut java_files = Vec::new();
    let required = [
        ("python3", "--version"),
        ("node", "--version"),
        ("ruby", "--version"),
        ("javac", "-version"),
        ("gofmt", "-l"),
        ("php", "--version"),
    ];
    let present: Vec<bool> = required.iter().map(|(t, f)| have(t, f)).collect();
    for ((tool, _), ok) in required.iter().zip(&present) {
        if !ok {
            tool_missing(tool);
        }
    }
    let (gofmt, php) = (present[4], present[5]);
    skipped("a C# compiler in this test (the C# samples are not compiled)");
    let mut checked = 0;
    for (n, (doc, samples)) in twins.iter().enumerate() {
        for (title, _, code) in samples {
            let name = format!("{doc}_{n}");
            let file = |ext: &str| {
                let p = dir.path().join(format!("{name}.{ext}"));
                std::fs::write(&p, code).unwrap();
                p
            };
            match title.as_str() {
                "Python (requests)" if present[0] && doc != "list_orders" => {
                    let f = file("py");
                    passes(
                        Command::new("python3").args(["-m", "py_compile"]).arg(&f),
                        &f,
                        code,
                        false,
                    );
                }
                "Node.js" if present[1] => {
                    let f = file("js");
                    passes(Command::new("node").arg("--check").arg(&f), &f, code, false);
                }
                "Ruby" if present[2] => {
                    let f = file("rb");
                    passes(Command::new("ruby").arg("-c").arg(&f), &f, code, false);
                }
                "Java" if present[3] => {
                    // One javac run for all: each class is renamed after its file.
                    let class = format!("Example{n}");
                    let p = dir.path().join(format!("{class}.java"));
                    std::fs::write(
                        &p,
                        code.replace(
                            "public class Example {",
                            &format!("public class {class} {{"),
                        ),
                    )
                    .unwrap();
                    java_files.push(p);
                    continue;
                }
                "Go" if gofmt => {
                    let f = file("go");
                    passes(Command::new("gofmt").arg("-l").arg(&f), &f, code, true);
                }
                "PHP" if php => {
                    let f = file("php");
                    passes(Command::new("php").arg("-l").arg(&f), &f, code, false);
                }
                "HTTPie" => {
                    let f = file("sh");
                    passes(Command::new("bash").arg("-n").arg(&f), &f, code, false);
                }
                _ => continue,
            }
            checked += 1;
        }
    }
    if !java_files.is_empty() {
        let classes = dir.path().join("classes");
        let out = Command::new("javac")
            .arg("-d")
            .arg(&classes)
            .args(&java_files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "javac failed on the generated Java:\n{}",
            stderr(&out)
        );
        checked += java_files.len();
    }
    assert!(
        checked >= twins.len(),
        "only {checked} samples were checked"
    );
}

#[test]
fn check_reports_curl_samples_that_do_not_parse_or_miss_their_endpoint() {
    let site = Site::fixture("samples-curl-findings");
    let out = site.endpaper(&["check", "."]);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
    assert!(
        text.contains("warning[curl-endpoint-mismatch]: this curl sample sends DELETE but the doc's front matter says `method: get`\n  --> _api/get_order.md:13:1\n"),
        "{text}"
    );
    assert!(
        text.contains("warning[curl-endpoint-mismatch]: this curl sample requests `/v2/product/`, which is not the endpoint `/products/` of the doc's title\n --> _api/list.md:8:1\n"),
        "{text}"
    );
    assert!(
        text.contains("warning[curl-unreadable]: this curl sample cannot be read as a request: a single quote is never closed\n  --> _api/list.md:16:3\n"),
        "{text}"
    );
    // The first sample of get_order reaches its endpoint through the `/v2` base: no finding.
    assert!(!text.contains("get_order.md:8:"), "{text}");
    assert!(!site.endpaper(&["check", ".", "--strict"]).status.success());
}

#[test]
fn a_hand_written_tab_titled_unlike_its_generated_ones_is_a_warning() {
    let (site, _) = fixture("samples");
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &config.replace("    - python: Python (requests)\n", "    - python\n"),
    );
    let out = site.endpaper(&["check", "."]);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &stderr(&out);
    assert!(
        text.contains("warning[sample-title]: this `Python (requests)` sample is in Python, whose generated tabs are titled `Python`: a reader who picks one is not shown the other; title them alike (`- python: Python (requests)` under `endpaper: samples:` in `_config.yml`)\n  --> _api/list_orders.md:16:1\n"),
        "{text}"
    );
    assert_eq!(text.matches("[sample-title]").count(), 1, "{text}");
}

#[test]
fn an_unknown_sample_language_is_a_located_config_error() {
    let site = Site::fixture("samples-unknown-language");
    let out = site.endpaper(&["build", "."]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("_config.yml:5:7: config error: unknown sample language `rubby` in `endpaper.samples`; did you mean `ruby`?"),
        "{err}"
    );
}
