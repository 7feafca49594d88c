//! The hand lexers against the grammars they stand in for: on every sample they take, a
//! lexer must write exactly the grammar's HTML. Run over the samples of the example site,
//! of the real sites beside the project and of a generated corpus (all read at run time),
//! and over those samples mutated, where a lexer must either give the sample up or agree.

use super::{
    graphql, hand_lexer, highlight_with, http, js, json, python, resolve, ruby, shell, Lexer,
    Resolved, BASH, LEXERS, SYNTAXES,
};
use std::path::{Path, PathBuf};

/// The grammar's HTML for `code`.
pub(super) fn grammar(code: &str, syntax: &str) -> String {
    let syntax = SYNTAXES
        .find_syntax_by_name(syntax)
        .expect("grammar is loaded");
    highlight_with(code, syntax, &SYNTAXES).expect("the grammar parses it")
}

/// Runs `lexer` on `code` and, when it takes the sample, asserts the grammar's HTML;
/// whether it took it.
pub(super) fn agrees(syntax: &str, lexer: Lexer, code: &str, at: &str) -> bool {
    match lexer(code) {
        Some(fast) => {
            let slow = grammar(code, syntax);
            if fast != slow {
                let from = fast
                    .bytes()
                    .zip(slow.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                let from = (0..=from.saturating_sub(60))
                    .rev()
                    .find(|&i| slow.is_char_boundary(i) && fast.is_char_boundary(i))
                    .unwrap_or(0);
                panic!(
                    "{syntax} lexer differs from the grammar ({at}) on {code:?}\n lexer:   …{}\n grammar: …{}",
                    &fast[from..], &slow[from..]
                );
            }
            true
        }
        None => false,
    }
}

/// Asserts that `lexer` takes every one of `samples` and writes the grammar's HTML.
pub(super) fn same_as_grammar(syntax: &str, lexer: Lexer, samples: &[&str]) {
    for code in samples {
        assert!(
            agrees(syntax, lexer, code, "own sample"),
            "not taken: {code:?}"
        );
    }
}

/// The `(language, code)` of each ```` ``` ````/`~~~` fence of a Markdown text, indented
/// ones (in front matter) included, their indent removed.
pub(super) fn fences(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(&str, String, String, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            Some((fence, lang, code, at)) => {
                if trimmed.trim_end() == *fence {
                    out.push((std::mem::take(lang), std::mem::take(code)));
                    current = None;
                } else {
                    code.push_str(line.get(*at..).unwrap_or(line.trim_start()));
                    code.push('\n');
                }
            }
            None => {
                for fence in ["```", "~~~"] {
                    if let Some(info) = trimmed.strip_prefix(fence) {
                        let lang = info.split_whitespace().next().unwrap_or("");
                        current = Some((fence, lang.to_string(), String::new(), indent));
                    }
                }
            }
        }
    }
    out
}

/// `text` with each `{{ site.KEY }}` whose value in the site's `_config.yml` is a string
/// put in its place, as the build's Liquid pass does (memair's samples hold its URL so).
fn with_site_values(path: &Path, text: &str) -> String {
    let config = path
        .ancestors()
        .map(|dir| dir.join("_config.yml"))
        .find(|config| config.exists())
        .and_then(|config| {
            let yaml = std::fs::read_to_string(&config).ok()?;
            crate::frontmatter::parse_config(&yaml, &config).ok()
        });
    let Some(config) = config else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|n| open + n) else {
            break;
        };
        let key = rest[open + 2..close].trim().strip_prefix("site.");
        out.push_str(&rest[..open]);
        match key.and_then(|key| config.get(key)?.as_str()) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[open..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The `(language, code)` of each sample a doc's front matter lists (the current Aviator
/// dialect's `left_code_blocks` / `right_code_blocks`), as the build reads them.
fn listed_samples(path: &Path, text: &str) -> Vec<(String, String)> {
    let crate::frontmatter::Split::Block {
        yaml, yaml_line, ..
    } = crate::frontmatter::split(text)
    else {
        return Vec::new();
    };
    let Ok(fm) = crate::frontmatter::parse(yaml, path, yaml_line) else {
        return Vec::new();
    };
    ["left_code_blocks", "right_code_blocks"]
        .iter()
        .filter_map(|key| fm.get(*key)?.as_array())
        .flatten()
        .map(|item| {
            let get = |key| crate::frontmatter::text(item.get(key));
            let mut code = get("code_block");
            if !code.ends_with('\n') {
                code.push('\n');
            }
            (get("language").trim().to_string(), code)
        })
        .collect()
}

/// The name of the grammar a fence's language resolves to.
fn syntax_of(lang: &str) -> Option<&'static str> {
    match resolve(lang)? {
        Resolved::Syntax(name) => Some(name),
        _ => None,
    }
}

/// A corpus from the shared generator (`tools/gen_corpus.py` beside the shared corpora),
/// written to a temporary folder; `None` when the generator or Python is missing.
pub(crate) fn generated_corpus(docs: usize) -> Option<(tempfile::TempDir, PathBuf)> {
    let tool = crate::test_support::corpora()?.join("../tools/gen_corpus.py");
    if !tool.exists() {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let status = std::process::Command::new("python3")
        .arg(&tool)
        .args(["-n", &docs.to_string(), "--formats", "aviator", "-o"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .ok()?;
    let site = dir.path().join("aviator");
    status.success().then_some((dir, site))
}

/// Every sample of the example site, the real sites and a generated corpus (fenced or
/// listed in front matter, with the site's `{{ site.KEY }}` values in), as
/// `(where, grammar, code)`, for the grammars a lexer stands in for.
fn real_samples() -> Vec<(String, &'static str, String)> {
    let generated = generated_corpus(120);
    let generated_docs = generated.iter().flat_map(|(_, site)| {
        walkdir::WalkDir::new(site)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| {
                Some((
                    e.path().to_path_buf(),
                    std::fs::read_to_string(e.path()).ok()?,
                ))
            })
            .collect::<Vec<_>>()
    });
    crate::test_support::real_markdown()
        .into_iter()
        .chain(generated_docs)
        .flat_map(|(path, text)| {
            let text = with_site_values(&path, &text);
            let mut samples = fences(&text);
            samples.extend(listed_samples(&path, &text));
            samples.into_iter().filter_map(move |(lang, code)| {
                let syntax = syntax_of(&lang)?;
                LEXERS
                    .iter()
                    .any(|(name, _)| *name == syntax)
                    .then(|| (path.display().to_string(), syntax, code))
            })
        })
        .collect()
}

#[test]
fn every_real_and_generated_sample_agrees_with_the_grammar() {
    let mut taken = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for (at, syntax, code) in real_samples() {
        let count = taken.entry(syntax).or_default();
        count.1 += 1;
        if agrees(
            syntax,
            hand_lexer(syntax).expect("a listed grammar"),
            &code,
            &at,
        ) {
            count.0 += 1;
        }
    }
    // The example site has samples of every language a lexer serves, and most of them are
    // of the kind the lexers take.
    for (name, _) in LEXERS {
        // The one HTTP sample here is a multipart body, which the lexer leaves to the
        // grammar; the sites it was written for are not beside the project.
        if *name == "HTTP Request and Response" {
            continue;
        }
        let (took, of) = taken.get(name).copied().unwrap_or_default();
        assert!(took > 0, "{name}: the lexer took none of {of} samples");
    }
}

/// A small deterministic generator (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that mean something to some grammar, to be dropped into samples.
const SPICE: &[&str] = &[
    " ", "\n", "\t", "\\", "\"", "'", "`", "$", "{", "}", "(", ")", "[", "]", "#", "-", "--", "=",
    ":", ",", ";", "|", "&", "<", ">", "/", "*", "!", "?", "%", "@", ".", "0", "1e5", "x", "_",
    "é", "\\n", "${", "$(", "//", "/*", "*/", "\"\"\"", "=>", "...", "\r", "if", "def", "const",
    "function", "return", "None", "null", "true", "echo", "-X", " -d",
];

/// `code` with one random edit: a spice string inserted or put in place of a few
/// characters, a span deleted or duplicated, or a line dropped.
fn mutate(code: &str, rng: &mut Rng) -> String {
    let cuts: Vec<usize> = (0..=code.len())
        .filter(|&i| code.is_char_boundary(i))
        .collect();
    let at = cuts[rng.below(cuts.len())];
    let to = cuts[(cuts.partition_point(|&c| c < at) + rng.below(4)).min(cuts.len() - 1)];
    let spice = SPICE[rng.below(SPICE.len())];
    match rng.below(5) {
        0 => format!("{}{spice}{}", &code[..at], &code[at..]),
        1 => format!("{}{spice}{}", &code[..at], &code[to..]),
        2 => format!("{}{}", &code[..at], &code[to..]),
        3 => format!("{}{}{}", &code[..to], &code[at..to], &code[to..]),
        _ => {
            let lines: Vec<&str> = code.split_inclusive('\n').collect();
            let drop = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != drop)
                .map(|(_, l)| *l)
                .collect()
        }
    }
}

/// Samples mutated a few edits at a time: a lexer gives each up or writes the grammar's
/// HTML, never anything else.
#[test]
fn mutated_samples_are_given_up_or_agree() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut seeds: Vec<(&'static str, String)> = own_samples();
    // A few real samples of each language too, for the shapes real docs have.
    let real = real_samples();
    for (name, _) in LEXERS {
        seeds.extend(
            real.iter()
                .filter(|(_, s, _)| s == name)
                .take(6)
                .map(|(_, s, c)| (*s, c.clone())),
        );
    }
    let mut taken = 0;
    for (syntax, seed) in &seeds {
        let lexer = hand_lexer(syntax).expect("a listed grammar");
        taken += drift(syntax, lexer, seed, (400, 3), &mut rng);
    }
    assert!(
        taken > 0,
        "no mutated sample was taken: the test proves nothing"
    );
}

/// Mutates each of `seeds` `rounds` times (drifting from it, then starting again from it),
/// asserting that `lexer` gives each mutant up or writes the grammar's HTML; how many it took.
pub(super) fn mutants_taken(syntax: &str, lexer: Lexer, seeds: &[&str], rounds: usize) -> usize {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let drifted = seeds
        .iter()
        .map(|seed| drift(syntax, lexer, seed, (rounds, 4), &mut rng));
    drifted.sum()
}

/// Mutates `seed` `rounds` times, drifting from it and starting again from it every
/// `restart` rounds, asserting that `lexer` gives each mutant up or writes the grammar's
/// HTML; how many it took.
fn drift(
    syntax: &str,
    lexer: Lexer,
    seed: &str,
    (rounds, restart): (usize, usize),
    rng: &mut Rng,
) -> usize {
    let mut code = seed.to_string();
    let mut taken = 0;
    for round in 0..rounds {
        if round % restart == 0 {
            code = seed.to_string();
        }
        code = mutate(&code, rng);
        if agrees(syntax, lexer, &code, "mutated") {
            taken += 1;
        }
    }
    taken
}

/// The lexers' own samples, by grammar (each lexer's tests hold them to the grammar too).
fn own_samples() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (syntax, samples) in [
        ("JSON", json::tests::SAMPLES),
        (BASH, shell::tests::SAMPLES),
        ("Python", python::tests::SAMPLES),
        ("JavaScript (Babel)", js::tests::SAMPLES),
        ("GraphQL", graphql::tests::SAMPLES),
        ("Ruby", ruby::tests::SAMPLES),
        ("HTTP Request and Response", http::tests::SAMPLES),
    ] {
        out.extend(samples.iter().map(|s| (syntax, s.to_string())));
    }
    out
}
