//! Liquid as Jekyll runs it: the Golden Liquid cases that Ruby Liquid 5.4 (Jekyll 4.3)
//! passes, read at run time from `../shared/conformance` (never copied here), run through
//! endpaper's engine. Cases endpaper does not pass are listed, with their reasons, in
//! `tests/liquid_conformance_exceptions.txt`; the test fails when a listed case passes (so
//! the list stays true) and when an unlisted one fails.

use endpaper::config::Config;
use endpaper::frontmatter::KeyOrder;
use endpaper::liquid::site::ordered;
use endpaper::liquid::{self, Engine, Mode, Source};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

fn conformance() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/conformance"))
        .find(|p| p.join("golden_liquid.json").is_file())
}

/// Written to the process's stderr, not the test's captured output, so `cargo test` shows it.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The listed exceptions: `## reason` heads a group of case names, one a line; a reason
/// starting with `~` marks cases whose result varies from run to run.
fn exceptions() -> BTreeMap<String, String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/liquid_conformance_exceptions.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut reason = String::new();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("## ") {
            reason = r.trim().to_string();
        } else if !line.trim().is_empty() && !line.starts_with('#') {
            assert!(!reason.is_empty(), "`{line}` is listed without a reason");
            out.insert(line.to_string(), reason.clone());
        }
    }
    out
}

/// Why a case fails, or `None` when it passes.
fn run_case(case: &serde_json::Value, order: &KeyOrder, config: &Config) -> Option<String> {
    let template = case["template"].as_str().unwrap_or("");
    let strict = case["tags"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == "strict"));
    let invalid = case["invalid"].as_bool().unwrap_or(false);
    let includes: BTreeMap<String, String> = case["templates"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let engine = Engine::with_includes(config, &includes);
    let data: Vec<(String, liquid::Value)> = case["data"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), ordered(v, order.of("data").of(k))))
                .collect()
        })
        .unwrap_or_default();
    let vars: Vec<(&str, &dyn liquid::ValueView)> = data
        .iter()
        .map(|(k, v)| (k.as_str(), v as &dyn liquid::ValueView))
        .collect();
    let src = Source {
        rel: "case.liquid",
        full: template,
        base: 0,
    };
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.render(&src, &vars, Mode::Html)
    }));
    let outcome = match rendered {
        Err(_) => return Some("panicked".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(ex)) if !ex.errors.is_empty() => Err(ex.errors[0].to_string()),
        Ok(Ok(ex)) if strict && !ex.diagnostics.is_empty() => {
            Err(format!("{:?}", ex.diagnostics[0]))
        }
        Ok(Ok(ex)) => Ok(ex.text),
    };
    match (invalid, outcome) {
        (true, Err(_)) => None,
        (true, Ok(text)) => Some(format!("invalid, but rendered {text:?}")),
        (false, Err(e)) => Some(format!("failed: {e}")),
        (false, Ok(text)) => {
            let mut expected: Vec<&str> = case["results"]
                .as_array()
                .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            expected.extend(case["result"].as_str());
            (!expected.contains(&text.as_str()))
                .then(|| format!("rendered {text:?}, expected {expected:?}"))
        }
    }
}

#[test]
fn golden_liquid_jekyll_cases() {
    let Some(dir) = conformance() else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "CI must have ../shared/conformance"
        );
        say("golden liquid: skipped, no shared/conformance beside the repository");
        return;
    };
    let text = std::fs::read_to_string(dir.join("golden_liquid.json")).unwrap();
    let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
    // A case's hashes go in the order the suite writes their keys, as Ruby reads them.
    let order: KeyOrder = serde_json::from_str(&text).unwrap();
    let names: BTreeSet<String> = std::fs::read_to_string(dir.join("jekyll_liquid_passes.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let config = Config::parse("title: T\n", Path::new("_config.yml")).unwrap();
    let listed = exceptions();
    let mut passed = 0;
    let mut seen = BTreeSet::new();
    let mut wrong = Vec::new();
    for (i, case) in suite["tests"].as_array().unwrap().iter().enumerate() {
        let name = case["name"].as_str().unwrap_or("");
        if !names.contains(name) {
            continue;
        }
        seen.insert(name.to_string());
        match (
            run_case(case, order.of("tests").item(i), &config),
            listed.get(name),
        ) {
            (None, None) => passed += 1,
            (None, Some(reason)) if reason.starts_with('~') => passed += 1,
            (None, Some(_)) => {
                passed += 1;
                wrong.push(format!(
                    "{name}: passes now; take it off the exceptions list"
                ));
            }
            (Some(_), Some(_)) => {}
            (Some(why), None) => wrong.push(format!("{name}\t{}", why.replace('\n', " "))),
        }
    }
    say(&format!("golden liquid: {passed}/{}", names.len()));
    let missing: Vec<&String> = names.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "named cases not in the suite: {missing:?}"
    );
    let stale: Vec<&String> = listed.keys().filter(|k| !names.contains(*k)).collect();
    assert!(stale.is_empty(), "listed cases not in the suite: {stale:?}");
    assert!(
        wrong.is_empty(),
        "{} cases:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
