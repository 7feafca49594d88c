//! The codebase's shape, checked: modules form layers (no import circle between the top-level
//! modules of `src/`), no source file grows past 1,000 lines, and the integration tests stay
//! one binary.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 1_000;

/// Files still over the limit, waiting to be cut up (issue 15). Only ever remove entries:
/// the test also fails when one of these is back under the limit and still listed.
const STILL_LONG: &[&str] = &[];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file belongs to: `src/markdown/writer.rs` → `markdown`.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a source names through `crate::`, outside comments and unit tests
/// (a test may reach any layer to set up its input).
fn uses(source: &str) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap();
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            // `crate::{a, b::c}` names several.
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split(['}', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect(),
                None => vec![rest],
            };
            for name in names {
                let end = name
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(name.len());
                if end > 0 {
                    found.insert(name[..end].to_string());
                }
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = module_of(&file);
        let deps = uses(&fs::read_to_string(&file).unwrap());
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(deps.into_iter().filter(|d| *d != module));
    }
    graph
}

/// A cycle through `graph`, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_circle_between_modules() {
    let graph = graph();
    assert!(graph.contains_key("build") && graph["build"].contains("render"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let edges = |list: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in list {
            g.entry(a.to_string()).or_default().insert(b.to_string());
        }
        g
    };
    let circle = edges(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]);
    assert_eq!(find_cycle(&circle).unwrap().len(), 4);
    assert_eq!(
        find_cycle(&edges(&[("a", "b"), ("a", "c"), ("b", "c")])),
        None
    );
    assert_eq!(
        uses("use crate::{html::escape, error::Pos};\n// crate::cli\nx(crate::model::Doc);"),
        ["error", "html", "model"].map(String::from).into()
    );
}

#[test]
fn no_source_file_over_a_thousand_lines() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let n = fs::read_to_string(f).unwrap().lines().count();
        let rel = f.strip_prefix(src()).unwrap().to_string_lossy().to_string();
        let listed = STILL_LONG.contains(&rel.as_str());
        if (n > MAX_LINES) != listed {
            long.push(format!("{rel} ({n} lines, listed in STILL_LONG: {listed})"));
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines and not listed, or listed and no longer over: {long:?}"
    );
}

/// The integration tests stay one binary (issue 31): each test binary links the whole crate,
/// and a dozen of them once filled CI's disk. `tests/` holds no test binary but this one and
/// the browser test, whose runtime needs its own; a file of `tests/testsuite/` that
/// `main.rs` does not declare would never be compiled, its tests never run.
#[test]
fn integration_tests_are_one_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut binaries: Vec<String> = fs::read_dir(&tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") || p.join("main.rs").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    binaries.sort();
    assert_eq!(
        binaries,
        ["browser.rs", "testsuite"],
        "a new test file goes into tests/testsuite/, declared as a module in its main.rs"
    );
    let suite = tests.join("testsuite");
    let main = fs::read_to_string(suite.join("main.rs")).unwrap();
    let mut undeclared: Vec<String> = fs::read_dir(&suite)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "main" && !main.lines().any(|l| l == format!("mod {m};")))
        .collect();
    undeclared.sort();
    assert!(
        undeclared.is_empty(),
        "not declared in tests/testsuite/main.rs, so never compiled: {undeclared:?}"
    );
}
