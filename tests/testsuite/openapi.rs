//! The OpenAPI export and import: the document every build writes, parsed with the `oas3`
//! crate; `check`'s notes about what could not be inferred; importing specs into sites
//! that build clean; and import(export(site)) on the real sites in `../shared/corpora`.

use crate::common;

use common::{tool_missing, Site};
use endpaper::build::{self, BuildOptions, Mode};
use endpaper::diagnostics::Severity;
use endpaper::highlight::Highlighter;
use endpaper::openapi::{self, import};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn outcome(site: &Path, audience: &str) -> build::Outcome {
    let opts = BuildOptions {
        audience: audience.into(),
        ..BuildOptions::new(site)
    };
    build::build(&opts, &Highlighter::new(), Mode::Check).unwrap()
}

/// The export, checked to be an OpenAPI 3.1 document `oas3` reads.
fn export(site: &Path, audience: &str) -> (Value, build::Outcome) {
    let o = outcome(site, audience);
    let doc = o.openapi.document();
    let text = serde_json::to_string(&doc).unwrap();
    let spec = oas3::from_json(&text)
        .unwrap_or_else(|e| panic!("oas3 cannot read the export of {}: {e}", site.display()));
    assert_eq!(spec.openapi, "3.1.0");
    (doc, o)
}

/// `doc` with each `$ref` to `components/schemas` replaced by the schema it names (the
/// export writes a schema several operations share there once); a `$ref` leading nowhere
/// fails the test.
fn inlined(doc: &Value) -> Value {
    fn walk(v: &Value, schemas: &Value) -> Value {
        match v {
            Value::Object(m) => match m.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/components/schemas/") => {
                    let name = &r["#/components/schemas/".len()..];
                    let target = &schemas[name];
                    assert!(target.is_object(), "`$ref` {r} leads nowhere");
                    walk(target, schemas)
                }
                _ => Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), walk(v, schemas)))
                        .collect(),
                ),
            },
            Value::Array(a) => Value::Array(a.iter().map(|v| walk(v, schemas)).collect()),
            _ => v.clone(),
        }
    }
    walk(doc, &doc["components"]["schemas"])
}

/// (path, method) → sorted `in:name` of its parameters.
fn operations(doc: &Value) -> BTreeSet<(String, String, Vec<String>)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut params: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    format!(
                        "{}:{}",
                        p["in"].as_str().unwrap(),
                        p["name"].as_str().unwrap()
                    )
                })
                .collect();
            params.sort();
            out.insert((path.clone(), method.clone(), params));
        }
    }
    out
}

/// Every `{name}` of every path is a path parameter of its operations, and the reverse.
fn assert_path_parameters_match(doc: &Value) {
    for (path, item) in doc["paths"].as_object().unwrap() {
        let in_path: BTreeSet<String> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .map(str::to_string)
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(
                        p["required"], true,
                        "{method} {path}: path parameters are required"
                    );
                    p["name"].as_str().unwrap().to_string()
                })
                .collect();
            assert_eq!(in_path, declared, "{method} {path}");
        }
    }
}

fn kettle_site() -> Site {
    Site::fixture("openapi-kettles")
}

#[test]
fn every_build_writes_a_valid_openapi_document() {
    let site = kettle_site();
    let out = site.endpaper(&["build", "--quiet", "."]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Value =
        serde_json::from_slice(&std::fs::read(site.out().join("openapi.json")).unwrap()).unwrap();
    let (doc, _) = export(site.path(), "public");
    assert_eq!(written, doc);
    assert_eq!(doc["info"]["title"], "Kettle API");
    assert_eq!(doc["info"]["version"], "1.4.0");
    assert_eq!(doc["servers"][0]["url"], "https://sandbox.kettle.example");
    assert_eq!(doc["tags"], serde_json::json!([{"name": "Kettles"}]));
    assert_path_parameters_match(&doc);

    let boil = &doc["paths"]["/kettles/{kettle_id}/boil"]["post"];
    assert_eq!(boil["summary"], "Boil");
    assert_eq!(boil["tags"][0], "Kettles");
    assert_eq!(boil["x-endpaper-source"], "_kettles/boil.md:2");
    assert_eq!(boil["x-endpaper-position"], 2);
    assert!(boil["description"]
        .as_str()
        .unwrap()
        .contains("Starts boiling."));
    assert!(
        !boil["description"].as_str().unwrap().contains("kettle_id"),
        "lists read as parameters leave the description"
    );
    assert_eq!(boil["parameters"][0]["schema"]["type"], "string");
    let body = &boil["requestBody"]["content"]["application/json"];
    assert_eq!(body["schema"]["properties"]["target"]["type"], "integer");
    assert_eq!(body["schema"]["required"], serde_json::json!(["target"]));
    assert_eq!(
        body["schema"]["properties"]["note"]["description"],
        "Free text"
    );
    assert_eq!(body["examples"]["request"]["value"]["target"], 90);
    let ok = &boil["responses"]["200"]["content"]["application/json"];
    assert_eq!(ok["schema"]["properties"]["state"]["type"], "string");
    assert_eq!(
        ok["schema"]["properties"]["eta_s"]["type"], "integer",
        "inferred from the example"
    );
    assert_eq!(
        boil["responses"]["409"]["content"]["application/json"]["schema"]["properties"]["error"]
            ["type"],
        "string"
    );
    assert_eq!(boil["x-codeSamples"][0]["label"], "Curl");

    let list = &doc["paths"]["/kettles/{owner}"]["get"];
    assert_eq!(list["summary"], "List kettles");
    assert_eq!(list["parameters"][0]["name"], "owner");
    assert_eq!(list["parameters"][1]["in"], "query");
    assert_eq!(
        list["parameters"][1]["schema"],
        serde_json::json!({}),
        "no type is guessed"
    );
}

#[test]
fn check_notes_what_the_export_could_not_infer_and_the_opt_out_drops_both() {
    let site = kettle_site();
    let o = outcome(site.path(), "public");
    let notes: Vec<String> = endpaper::check::findings(&o)
        .into_iter()
        .filter(|d| d.severity == Severity::Note)
        .map(|d| format!("{}:{}: {}", d.file.display(), d.pos.line, d.message))
        .collect();
    assert_eq!(
        notes,
        vec!["_kettles/boil.md:2: OpenAPI export of POST /kettles/{kettle_id}/boil: no type for `note`".to_string(), "_kettles/list.md:2: OpenAPI export of GET /kettles/{owner}: path parameter `owner` is not described; no response example (a titled `Response` JSON sample); no type for `limit`".to_string()]
    );
    let out = site.endpaper(&["check", "--strict", "."]);
    assert!(out.status.success(), "notes never fail --strict");
    assert!(String::from_utf8_lossy(&out.stderr).contains("(2 notes)"));

    site.write(
        "_config.yml",
        &site
            .read_in("_config.yml")
            .replace("api_version: 1.4.0", "openapi: false"),
    );
    let out = site.endpaper(&["build", "--quiet", "."]);
    assert!(out.status.success());
    assert!(!site.out().join("openapi.json").exists());
    let o = outcome(site.path(), "public");
    assert!(endpaper::check::findings(&o)
        .iter()
        .all(|d| d.severity != Severity::Note));
}

#[test]
fn the_command_writes_one_audience_and_prints_figures() {
    let site = kettle_site();
    site.write(
        "_kettles/secret.md",
        "---\ntitle: /kettles/reset\nmethod: delete\nvisibility: internal\n---\n",
    );
    let out = site.endpaper(&[
        "openapi",
        ".",
        "-o",
        "internal.json",
        "--audience",
        "internal",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value =
        serde_json::from_slice(&std::fs::read(site.path().join("internal.json")).unwrap()).unwrap();
    assert!(doc["paths"]["/kettles/reset"]["delete"].is_object());
    let public = site.endpaper(&["openapi", "."]);
    let doc: Value = serde_json::from_slice(&public.stdout).unwrap();
    assert!(
        doc["paths"].get("/kettles/reset").is_none(),
        "an internal doc never reaches the public export"
    );
    let stats = site.endpaper(&["openapi", ".", "--stats"]);
    assert_eq!(
        String::from_utf8_lossy(&stats.stdout),
        "2 operations; 3 of 5 parameters typed (60%); 1 of 2 operations with an example (50%)\n"
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openapi")
        .join(name)
}

/// Imports `spec`, builds and checks the site: no error, no warning.
fn import_clean(spec: &Path) -> (Site, Value) {
    let site = Site::new(&[]);
    let dir = site.path().join("docs");
    import::import(spec, &dir).unwrap();
    let out = site.endpaper(&["check", "--strict", "docs"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = site.endpaper(&["build", "--quiet", "docs"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (doc, _) = export(&dir, "public");
    (site, inlined(&doc))
}

#[test]
fn a_petstore_spec_imports_into_a_clean_site_and_exports_the_same_operations() {
    let spec = import::read_spec(&fixture("petstore.yaml")).unwrap();
    let (site, doc) = import_clean(&fixture("petstore.yaml"));
    let mut original = operations_of_spec(&spec);
    // Header parameters survive too.
    assert!(original
        .iter()
        .any(|(_, _, p)| p.contains(&"header:X-Reason".to_string())));
    assert_eq!(operations(&doc), std::mem::take(&mut original));
    assert_eq!(doc["info"]["version"], "1.0.0");
    assert_eq!(doc["servers"][0]["url"], "https://shelter.example.net/v1");
    let create = &doc["paths"]["/pets"]["post"];
    assert_eq!(create["summary"], "Register a pet");
    let body = &create["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["required"], serde_json::json!(["name"]));
    let created = &create["responses"]["201"]["content"]["application/json"]["schema"];
    assert_eq!(
        created["properties"]["owner"]["properties"]["email"]["type"], "string",
        "nested lists are nested schemas"
    );
    let page = std::fs::read_to_string(site.path().join("docs/_site/index.html")).unwrap();
    for title in ["Curl", "HTTPie", "Python", "Node.js", "Response 201"] {
        assert!(page.contains(&format!("data-title=\"{title}\"")), "{title}");
    }
}

/// (path, method, params) of a spec, path-level parameters merged in.
fn operations_of_spec(spec: &Value) -> BTreeSet<(String, String, Vec<String>)> {
    let text = serde_json::to_string(spec).unwrap();
    let parsed = oas3::from_json(&text).unwrap();
    let mut out = BTreeSet::new();
    for (path, method, op) in parsed.operations() {
        let item = &spec["paths"][&path];
        let mut params: BTreeSet<String> = BTreeSet::new();
        for p in item["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(op.parameters.iter().filter_map(|_| None))
        {
            params.insert(param_key(spec, p));
        }
        for p in spec["paths"][&path][method.as_str().to_lowercase()]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
        {
            params.insert(param_key(spec, p));
        }
        out.insert((
            path,
            method.as_str().to_lowercase(),
            params.into_iter().collect(),
        ));
    }
    out
}

fn param_key(spec: &Value, p: &Value) -> String {
    let p = match p["$ref"].as_str() {
        Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap(),
        None => p,
    };
    format!(
        "{}:{}",
        p["in"].as_str().unwrap(),
        p["name"].as_str().unwrap()
    )
}

#[test]
fn a_larger_spec_with_refs_forms_and_cookies_imports_clean() {
    let spec = import::read_spec(&fixture("fieldnotes.yaml")).unwrap();
    let (site, doc) = import_clean(&fixture("fieldnotes.yaml"));
    let expected = operations_of_spec(&spec);
    assert_eq!(operations(&doc), expected);
    assert_eq!(expected.len(), 14);
    assert_eq!(
        doc["tags"].as_array().unwrap().len(),
        6,
        "five tags and the untagged"
    );
    assert_eq!(
        doc["servers"][0]["url"],
        "https://{region}.fieldnotes.example.org/api"
    );
    let md = std::fs::read_to_string(site.path().join("docs/_sites/archivesite.md")).unwrap();
    assert!(md.contains("**Deprecated.**"));
}

/// The shared real sites, found beside the repository (`../shared/corpora`, or further up).
fn corpora() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/corpora"))
        .find(|p| p.is_dir())
}

#[test]
fn real_sites_export_valid_one_operation_per_endpoint_doc_and_round_trip() {
    let Some(root) = corpora() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/corpora"
        );
        eprintln!("skipped: no shared/corpora beside the repository");
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let site = entry.unwrap().path();
        if !site.join("_config.yml").is_file() {
            continue;
        }
        seen += 1;
        for audience in ["public", "internal"] {
            // Not every site has docs for both audiences (building an absent one is an error).
            let has_audience = build::build(
                &BuildOptions {
                    audience: audience.into(),
                    ..BuildOptions::new(&site)
                },
                &Highlighter::new(),
                Mode::Check,
            )
            .is_ok();
            if !has_audience && audience != "public" {
                continue;
            }
            let (doc, o) = export(&site, audience);
            assert_path_parameters_match(&doc);
            // One operation per endpoint doc (method and path), unless a note says it
            // repeats another doc's method and path.
            let model = endpaper::model::build(
                &endpaper::load::load(&site, None).unwrap(),
                audience,
                endpaper::model::Texts::Reread,
            );
            let endpoint_docs = model
                .sections
                .iter()
                .flat_map(|s| &s.docs)
                .filter(|d| {
                    [
                        "get", "put", "post", "delete", "options", "head", "patch", "trace",
                    ]
                    .contains(&d.method.as_str())
                })
                .filter(|d| openapi::export::path_template(&d.title).is_some())
                .count();
            let repeats = o
                .openapi
                .notes
                .iter()
                .filter(|n| n.message.contains("is already the operation of"))
                .count();
            let ops = operations(&doc);
            assert_eq!(
                ops.len() + repeats,
                endpoint_docs,
                "{} ({audience})",
                site.display()
            );
            assert_eq!(o.openapi.stats.operations, ops.len());

            // import(export(site)) gives back the same operations (a site without
            // endpoint docs exports none, and there is nothing to import).
            if ops.is_empty() {
                continue;
            }
            let tmp = tempfile::tempdir().unwrap();
            let imported = tmp.path().join("site");
            let files = import::site(&doc).files;
            endpaper::scaffold::write_new_site(
                &imported,
                files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            )
            .unwrap();
            let (again, o2) = export(&imported, "public");
            // The export has only the operations: links from their descriptions to the
            // site's prose docs cannot resolve in the imported site (`check` reports them).
            let errors: Vec<_> = o2
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .filter(|d| d.code != endpaper::check::BROKEN_ANCHOR)
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(
                operations(&again),
                ops,
                "{} ({audience}) round trip",
                site.display()
            );
        }
    }
    assert!(seen >= 3, "the three shared sites");
}

/// Python's `openapi-spec-validator` (a maintained validator) on the exports of the example
/// site (`content`), the imported fixtures and the shared real sites. In CI a missing
/// validator is a failure; elsewhere the test says it skipped ([`tool_missing`]).
#[test]
fn exports_pass_openapi_spec_validator() {
    if !python_has("openapi_spec_validator") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut sites = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("content")];
    for spec in ["petstore.yaml", "fieldnotes.yaml"] {
        let dir = tmp.path().join(spec);
        import::import(&fixture(spec), &dir).unwrap();
        sites.push(dir);
    }
    if let Some(root) = corpora() {
        for e in std::fs::read_dir(root).unwrap() {
            let p = e.unwrap().path();
            if p.join("_config.yml").is_file() {
                sites.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let (doc, _) = export(site, "public");
        let f = tmp.path().join(format!("export-{i}.json"));
        std::fs::write(&f, serde_json::to_string(&doc).unwrap()).unwrap();
        files.push(f);
    }
    let script = "import json, sys\nfrom openapi_spec_validator import validate\nfor f in sys.argv[1:]:\n    validate(json.load(open(f)))\n    print('valid', f)\n";
    let out = python(script, &files, "openapi-spec-validator rejected an export");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        files.len()
    );
}

/// The export's descriptions are CommonMark made from the doc's markdown, links to other
/// docs lead to the published page, and a response's status is the one the sample's title
/// names, else the one the prose names.
#[test]
fn descriptions_are_commonmark_with_links_to_the_published_page_and_statuses_from_the_doc() {
    let site = Site::fixture("openapi-kettle-links");
    let out = site.endpaper(&["openapi", "."]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let make = &doc["paths"]["/kettles"]["post"];
    let text = make["description"].as_str().unwrap();
    assert_eq!(
        text,
        "Makes a kettle and answers `201 Created`.\n\n### Notes\n\nList them with [List kettles](https://docs.kettle.example/#kettleslist); reset is for staff.\n\n- **model**: The kettle's model"
    );
    assert!(make["responses"]["201"].is_object(), "{make}");
    assert!(make["responses"].get("200").is_none());
    let descale = &doc["paths"]["/kettles/{id}/descale"]["post"];
    assert!(descale["responses"]["202"].is_object(), "{descale}");

    // Without `url`, links are root-relative.
    let config = site.read_in("_config.yml");
    site.write(
        "_config.yml",
        config
            .strip_prefix("url: https://docs.kettle.example\n")
            .unwrap(),
    );
    let out = site.endpaper(&["openapi", "."]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["paths"]["/kettles/{id}/descale"]["post"]["description"],
        "Starts descaling; see [Make a kettle](/#kettlesmake)."
    );
    // No HTML is left in any description of the example site.
    let out = common::endpaper_at(
        &["openapi"],
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let d = op["description"].as_str().unwrap_or("");
            for tag in ["<p>", "<h3", "<dl", "<code>", "<a href", "{:", "<!--"] {
                assert!(!d.contains(tag), "{tag} in {d}");
            }
        }
    }
}

/// Keywords, operation ids and tag descriptions survive import then export; samples call a
/// path with values in it.
#[test]
fn keywords_operation_ids_and_tag_descriptions_survive_import_then_export() {
    let (site, doc) = import_clean(&fixture("dogwalk.yaml"));
    let list = &doc["paths"]["/dogs"]["get"];
    assert_eq!(list["operationId"], "listDogs");
    let limit = &list["parameters"][0];
    assert_eq!(
        limit["schema"],
        serde_json::json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 50, "default": 20})
    );
    assert_eq!(limit["description"], "Dogs per page");
    assert_eq!(
        list["parameters"][1]["schema"],
        serde_json::json!({"type": "string", "enum": ["small", "medium", "large"]})
    );
    let dog = &list["responses"]["200"]["content"]["application/json"]["schema"]["items"];
    assert_eq!(
        dog["properties"]["nickname"]["type"],
        serde_json::json!(["string", "null"]),
        "3.0's nullable, as 3.1 says it"
    );
    assert_eq!(
        dog["properties"]["weight"],
        serde_json::json!({"type": "number", "format": "float", "minimum": 0.5, "maximum": 90})
    );
    let book = &doc["paths"]["/dogs/{dogId}/walks"]["post"];
    assert_eq!(book["operationId"], "bookWalk");
    assert_eq!(
        book["parameters"][0]["schema"],
        serde_json::json!({"type": "integer", "format": "int64", "minimum": 1})
    );
    let walk = &book["requestBody"]["content"]["application/json"]["schema"]["properties"];
    assert_eq!(walk["minutes"]["minimum"], 5);
    assert_eq!(walk["pace"]["default"], "stroll");
    assert_eq!(walk["starts_at"]["format"], "date-time");
    assert_eq!(
        doc["tags"],
        serde_json::json!([
            {"name": "dogs", "description": "The dogs a walker looks after"},
            {"name": "walks", "description": "Walks booked for a dog"}
        ])
    );
    assert_eq!(doc["security"], serde_json::json!([{"walkerKey": []}]));
    assert_eq!(
        doc["components"]["securitySchemes"]["walkerKey"],
        serde_json::json!({"type": "apiKey", "in": "header", "name": "X-Walker-Key"})
    );
    // The samples call a real-looking path, and the generated body meets the schema.
    let md = std::fs::read_to_string(site.path().join("docs/_walks/bookwalk.md")).unwrap();
    assert!(md.contains("/dogs/42/walks'"), "{md}");
    assert!(
        !md.contains("api/dogs/{dogId}") && !md.contains("/dogId/"),
        "{md}"
    );
    let example =
        &book["requestBody"]["content"]["application/json"]["examples"]["request"]["value"];
    assert_eq!(example["minutes"], 5, "{example}");
}

/// Every example of the imported fixtures' exports meets its own schema, checked by Python's
/// `jsonschema` (which `openapi-spec-validator` brings along) as JSON Schema 2020-12.
#[test]
fn imported_examples_satisfy_their_schemas() {
    if !python_has("jsonschema") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut pairs = Vec::new();
    for spec in ["petstore.yaml", "fieldnotes.yaml", "dogwalk.yaml"] {
        let dir = tmp.path().join(spec);
        import::import(&fixture(spec), &dir).unwrap();
        let doc = inlined(&export(&dir, "public").0);
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let bodies = op["requestBody"]["content"].as_object().into_iter().chain(
                    op["responses"]
                        .as_object()
                        .into_iter()
                        .flat_map(|r| r.values().filter_map(|r| r["content"].as_object())),
                );
                for content in bodies {
                    for media in content.values() {
                        for ex in media["examples"].as_object().into_iter().flatten() {
                            pairs.push(serde_json::json!({
                                "at": format!("{spec} {method} {path}"),
                                "schema": media["schema"],
                                "value": ex.1["value"],
                            }));
                        }
                    }
                }
            }
        }
    }
    assert!(pairs.len() > 20, "{}", pairs.len());
    let f = tmp.path().join("pairs.json");
    std::fs::write(&f, serde_json::to_string(&pairs).unwrap()).unwrap();
    let script = "import json, sys\nfrom jsonschema import Draft202012Validator\nbad = 0\nfor p in json.load(open(sys.argv[1])):\n    for e in Draft202012Validator(p['schema']).iter_errors(p['value']):\n        bad += 1\n        print(p['at'], e.message)\nsys.exit(1 if bad else 0)\n";
    python(script, &[f], "examples that break their schema");
}

/// What the import cannot carry is a warning at the spec's line and column; the site is
/// still written.
#[test]
fn the_import_says_what_it_loses_where_the_spec_says_it() {
    let spec = "openapi: 3.1.0\ninfo:\n  title: Bells\n  version: '1'\npaths:\n  /bells/{bellId}:\n    get:\n      operationId: getBell\n      parameters:\n        - name: bellId\n          in: path\n          required: true\n          schema: { type: string, pattern: '^b[0-9]+$' }\n      responses:\n        '200':\n          description: A bell\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Bel'\ncomponents:\n  schemas:\n    Bell:\n      type: object\n";
    let site = Site::new(&[("bells.yaml", spec)]);
    let out = site.endpaper(&["import", "openapi", "bells.yaml", "docs"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("warning") || l.starts_with("  -->"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: no `servers`: the samples call the placeholder `https://api.example.com`, and the site has no environments [openapi-import]",
            "  --> bells.yaml:1:1",
            "warning: `pattern` is not carried into the site [openapi-import]",
            "  --> bells.yaml:13:35",
            "warning: `$ref` `#/components/schemas/Bel` leads nowhere in this spec: the site shows `see #/components/schemas/Bel` in its place [openapi-import]",
            "  --> bells.yaml:20:17",
        ]
    );
    let md = std::fs::read_to_string(site.path().join("docs/_api/getbell.md")).unwrap();
    assert!(md.contains("https://api.example.com/bells/42"), "{md}");
}

/// Runs a Python `script` on `files`; its output is the message when it fails.
fn python(script: &str, files: &[PathBuf], failure: &str) -> std::process::Output {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{failure}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether Python can import `module` (`.ci/run` installs `openapi-spec-validator`, which
/// brings `jsonschema`); when not, [`tool_missing`] says so.
fn python_has(module: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        tool_missing(&format!(
            "Python's {module} (python3 -m pip install openapi-spec-validator)"
        ));
    }
    ok
}

/// Redocly CLI's recommended rules (a second, stricter client than the validator) find no
/// error in the example site's export; the rules turned off are in
/// `tests/openapi-lint/redocly.yaml`, each with its reason.
#[test]
fn the_example_sites_export_passes_redocly_lint() {
    let lint = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi-lint");
    let redocly = lint.join("node_modules/.bin/redocly");
    if !redocly.is_file() {
        tool_missing("Redocly CLI (cd tests/openapi-lint && npm ci)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("openapi.json");
    let out = common::endpaper_at(
        &["openapi", "-o", file.to_str().unwrap()],
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = std::process::Command::new(&redocly)
        .args(["lint", "--format=stylish", "--config"])
        .arg(lint.join("redocly.yaml"))
        .arg(&file)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "redocly lint found errors:\n{text}");
    assert!(!text.contains(" error "), "{text}");
}

/// `endpaper: security:` is the export's security schemes, any one of which every operation
/// accepts; a scheme missing what its type needs is an error at its line.
#[test]
fn configured_security_schemes_are_exported_and_checked() {
    let site = kettle_site();
    let config = site.read_in("_config.yml");
    let secured = format!(
        "{config}  security:\n    token:\n      type: apiKey\n      in: header\n      name: Authorization\n"
    )
    .replace("collections:\n  kettles:\n    title: Kettles\n  guide:\n    title: Guide\n", "")
        + "collections:\n  kettles:\n    title: Kettles\n  guide:\n    title: Guide\n";
    site.write("_config.yml", &secured);
    let (doc, _) = export(site.path(), "public");
    assert_eq!(
        doc["components"]["securitySchemes"]["token"],
        serde_json::json!({"type": "apiKey", "in": "header", "name": "Authorization"})
    );
    assert_eq!(doc["security"], serde_json::json!([{"token": []}]));

    site.write(
        "_config.yml",
        &secured.replace("      name: Authorization\n", ""),
    );
    let out = site.endpaper(&["build", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains("security scheme `token` needs `name:`"),
        "{err}"
    );
    assert!(err.contains("_config.yml:9:"), "{err}");
}
