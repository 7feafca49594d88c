//! Highlighting throughput per language, in MB/s of code, on a site's own samples: every
//! `~~~ lang` / ```` ```lang ```` block of its collection docs (bodies and `right_code`),
//! highlighted on one thread through endpaper's `Highlighter` (hand lexers, line memo,
//! short classes), next to the same through the grammars alone (`highlight_by_grammar`:
//! what the hand lexers stand in for) and raw syntect parsing of the same lines (no memo,
//! no HTML). The share of blocks a hand lexer took is the `lexed` column.
//!
//! Run in release, on a generated corpus (bench/lib.sh makes one under bench/out):
//! `cargo run --release --example highlight_throughput -- bench/out/site-1000/aviator`
//!
//! Each round starts from an empty line memo and highlights the blocks in file order, as a
//! clean build's worker does, so repeated lines are answered from the memo only as often as
//! a build would answer them.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use endpaper::highlight::{forget_lines, Highlighter};
use syntect::parsing::ParseState;

const ROUNDS: usize = 5;

fn main() {
    let site = std::env::args()
        .nth(1)
        .expect("usage: highlight_throughput SITE (an Aviator site, e.g. a generated corpus)");
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    collect(Path::new(&site), &mut samples);
    assert!(!samples.is_empty(), "no fenced code samples under {site}");

    let set = two_face::syntax::extra_newlines();
    let highlighter = Highlighter::new();
    let clock = if thread_cpu_time().is_some() {
        "thread CPU"
    } else {
        "wall-clock"
    };
    println!("{site}: one thread, {clock} time, best of {ROUNDS} interleaved rounds");
    println!(
        "\n{:<11} {:>7} {:>8} {:>11} {:>13} {:>11} {:>7} {:>9}  raw grammar",
        "language", "blocks", "MB", "raw MB/s", "grammar MB/s", "ours MB/s", "lexed", "html/src"
    );
    for (lang, blocks) in &samples {
        let bytes: usize = blocks.iter().map(String::len).sum();
        // The grammar `highlight()` resolves the name to, for the raw column; a language it
        // serves without syntect (or does not know) has no raw figure.
        let syntax = set.find_syntax_by_token(lang);
        // First use loads the grammar: keep that out of the rounds.
        highlighter.highlight("x\n", Some(lang));

        let raw_pass = |syntax| {
            for block in blocks {
                let mut state = ParseState::new(syntax);
                for line in block.split_inclusive('\n') {
                    black_box(state.parse_line(line, &set).expect("parses"));
                }
            }
        };
        let html_bytes: usize = blocks
            .iter()
            .map(|block| highlighter.highlight(block, Some(lang)).html.len())
            .sum();
        // Each pass starts from an empty memo and ends by freeing the one it filled, as a
        // build's highlight stage does.
        let ours_pass = || {
            for block in blocks {
                black_box(highlighter.highlight(block, Some(lang)));
            }
            forget_lines();
        };
        let grammar_pass = || {
            for block in blocks {
                black_box(highlighter.highlight_by_grammar(block, Some(lang)));
            }
            forget_lines();
        };
        let lexed = blocks
            .iter()
            .filter(|block| highlighter.lexes(block, Some(lang)))
            .count();
        let (mut raw, mut grammar, mut ours) = (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            if let Some(syntax) = syntax {
                raw = raw.min(timed(|| raw_pass(syntax)));
            }
            grammar = grammar.min(timed(grammar_pass));
            ours = ours.min(timed(ours_pass));
        }
        let mbps = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
        let raw_column = match syntax {
            Some(_) => format!("{:.2}", mbps(raw)),
            None => "-".to_string(),
        };
        println!(
            "{:<11} {:>7} {:>8.3} {:>11} {:>13.2} {:>11.2} {:>6.0}% {:>9.2}  {}",
            lang,
            blocks.len(),
            bytes as f64 / 1e6,
            raw_column,
            mbps(grammar),
            mbps(ours),
            100.0 * lexed as f64 / blocks.len() as f64,
            html_bytes as f64 / bytes as f64,
            syntax.map_or("-", |s| &s.name),
        );
    }
}

/// Every fenced block of the Markdown files under the site's `_` folders (collections; not
/// `_layouts`, `_includes` or `_site`), by language, in path order.
fn collect(site: &Path, samples: &mut BTreeMap<String, Vec<String>>) {
    let mut files = Vec::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("site folder is readable") {
            let path = entry.expect("folder entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                let collection = dir != site
                    || (name.starts_with('_')
                        && !matches!(&*name, "_layouts" | "_includes" | "_site" | "_data"));
                if collection {
                    stack.push(path);
                }
            } else if dir != site && name.ends_with(".md") {
                files.push(path);
            }
        }
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("doc is UTF-8");
        fenced_blocks(&text, samples);
    }
}

/// The fenced blocks of one document. A fence indented (as in a `right_code: |` value)
/// has that indent removed from its lines, as YAML does.
fn fenced_blocks(text: &str, samples: &mut BTreeMap<String, Vec<String>>) {
    let mut open: Option<(String, usize, &str, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                for fence in ["~~~", "```"] {
                    if let Some(info) = trimmed.strip_prefix(fence) {
                        let lang = info.trim_start_matches(fence.as_bytes()[0] as char).trim();
                        if let Some(lang) = lang.split_whitespace().next() {
                            open = Some((lang.to_ascii_lowercase(), indent, fence, String::new()));
                        }
                    }
                }
            }
            Some((lang, fence_indent, fence, code)) => {
                if trimmed.starts_with(*fence) {
                    samples
                        .entry(std::mem::take(lang))
                        .or_default()
                        .push(std::mem::take(code));
                    open = None;
                } else {
                    code.push_str(line.get(*fence_indent..).unwrap_or(trimmed));
                    code.push('\n');
                }
            }
        }
    }
}

/// The time one `run` takes: this thread's CPU time where Linux reports it (so other load
/// on a shared machine does not count), else wall-clock time. The kernel counts CPU time
/// only at scheduler ticks, so a fast pass is repeated until the repeats fill a tenth of a
/// second, and their mean is returned.
fn timed(run: impl Fn()) -> Duration {
    let once = Instant::now();
    run();
    let reps = (0.1 / once.elapsed().as_secs_f64().max(1e-6)).clamp(1.0, 10_000.0) as u32;
    let (start_cpu, start) = (thread_cpu_time(), Instant::now());
    for _ in 0..reps {
        run();
    }
    let total = match (start_cpu, thread_cpu_time()) {
        (Some(a), Some(b)) => b - a,
        _ => start.elapsed(),
    };
    total / reps
}

/// Nanoseconds this thread has run on a CPU, from the first field of Linux's schedstat.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
