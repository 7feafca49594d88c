//! Measures highlighting throughput per language against raw syntect parsing, so the cost
//! the class mapping and HTML writing add on top of the grammar is visible.
//!
//! Run in release: `cargo run --release --example highlight_throughput [MB per language]`.
//! The code is synthetic but shaped like API-doc snippets (JSON bodies, client calls, curl
//! commands), generated deterministically and split into doc-sized blocks.
//!
//! The `highlight()` column runs the same blocks several rounds, which the per-thread memo
//! of parsed lines then answers from memory: it shows repeat-sample speed, not first-time
//! parsing. For whole-site figures use `bench/run.sh`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use endpaper::highlight::Highlighter;
use syntect::parsing::ParseState;

/// `(name passed to highlight(), two-face grammar name, generator)`.
type Generator = fn(&mut Rng, usize) -> String;
const LANGUAGES: &[(&str, &str, Generator)] = &[
    ("json", "JSON", json_block),
    ("javascript", "JavaScript (Babel)", js_block),
    ("python", "Python", python_block),
    ("bash", "Bourne Again Shell (bash)", bash_block),
];

const ROUNDS: usize = 5;

fn main() {
    let mb_per_language: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2.0);
    let target_bytes = (mb_per_language * 1_000_000.0) as usize;

    // One-off costs are timed by wall clock: the kernel's per-thread CPU counter is only
    // brought up to date at scheduler ticks, too coarse for a millisecond.
    let start = Instant::now();
    let set = two_face::syntax::extra_newlines();
    println!("two_face::syntax::extra_newlines(): {:?}", start.elapsed());
    let clock = if thread_cpu_time().is_some() {
        "thread CPU"
    } else {
        "wall-clock"
    };
    println!("throughput timing: {clock} time, best of {ROUNDS} interleaved rounds");

    let highlighter = Highlighter::new();
    println!(
        "\n{:<11} {:>6} {:>9} {:>11} {:>11} {:>9} {:>8}",
        "language", "MB", "1st use", "raw MB/s", "ours MB/s", "overhead", "html/src"
    );
    for &(lang, grammar, generate) in LANGUAGES {
        let syntax = set.find_syntax_by_name(grammar).expect("grammar present");
        let blocks = generate_blocks(generate, target_bytes);
        let bytes: usize = blocks.iter().map(String::len).sum();

        // First use deserialises the grammar's contexts; time it on a one-line snippet so
        // the figure is the loading, not the parsing. Everything after runs warm.
        let start = Instant::now();
        highlighter.highlight("x\n", Some(lang));
        let first_use = start.elapsed();

        let raw_pass = || {
            for block in &blocks {
                let mut state = ParseState::new(syntax);
                for line in block.split_inclusive('\n') {
                    black_box(state.parse_line(line, &set).expect("parses"));
                }
            }
        };
        let mut html_bytes = 0;
        let ours_pass = |html_bytes: &mut usize| {
            *html_bytes = 0;
            for block in &blocks {
                let out = highlighter.highlight(block, Some(lang));
                *html_bytes += black_box(out.html).len();
            }
        };
        // Interleaved rounds, best of each: the machine may be shared, and the minimum is
        // the run least disturbed by other work.
        let (mut raw, mut ours) = (Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            raw = raw.min(timed(raw_pass));
            ours = ours.min(timed(|| ours_pass(&mut html_bytes)));
        }
        let mbps = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
        println!(
            "{:<11} {:>6.2} {:>7.1}ms {:>11.2} {:>11.2} {:>8.1}% {:>8.2}",
            lang,
            bytes as f64 / 1e6,
            first_use.as_secs_f64() * 1e3,
            mbps(raw),
            mbps(ours),
            (ours.as_secs_f64() / raw.as_secs_f64() - 1.0) * 100.0,
            html_bytes as f64 / bytes as f64,
        );
    }
}

/// The time `run` takes: this thread's CPU time where Linux reports it (so other load on
/// a shared machine does not count), else wall-clock time.
fn timed(run: impl FnOnce()) -> Duration {
    let (start_cpu, start) = (thread_cpu_time(), Instant::now());
    run();
    match (start_cpu, thread_cpu_time()) {
        (Some(a), Some(b)) => b - a,
        _ => start.elapsed(),
    }
}

/// Nanoseconds this thread has run on a CPU, from the first field of Linux's schedstat.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Doc-sized blocks (10 to 200 units each) until `target` bytes are generated.
fn generate_blocks(generate: Generator, target: usize) -> Vec<String> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut blocks = Vec::new();
    let mut total = 0;
    while total < target {
        let units = 10 + rng.below(190);
        let block = generate(&mut rng, units);
        total += block.len();
        blocks.push(block);
    }
    blocks
}

/// xorshift64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "customer",
    "invoice",
    "amount",
    "currency",
    "status",
    "created",
    "metadata",
    "email",
    "description",
    "items",
    "price",
    "quantity",
    "subscription",
    "payment_method",
    "address",
    "limit",
    "starting_after",
    "expand",
    "object",
    "livemode",
];

fn json_block(rng: &mut Rng, units: usize) -> String {
    let mut out = String::from("{\n");
    for i in 0..units {
        let key = rng.pick(WORDS);
        let value = match rng.below(7) {
            0 => format!("{}", rng.below(100_000)),
            1 => format!("{}.{:02}", rng.below(1000), rng.below(100)),
            2 => rng.pick(&["true", "false", "null"]).to_string(),
            3 => format!(
                "[\"{}\", \"{}\", {}]",
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.below(50)
            ),
            4 => format!(
                "{{\n    \"id\": \"{}_{:x}\",\n    \"{}\": {}\n  }}",
                rng.pick(WORDS),
                rng.next() & 0xff_ffff,
                rng.pick(WORDS),
                rng.below(10)
            ),
            5 => format!("\"Line one\\nline \\\"two\\\" for {}\"", rng.pick(WORDS)),
            _ => format!("\"{}_{:x}\"", rng.pick(WORDS), rng.next() & 0xffff_ffff),
        };
        let comma = if i + 1 < units { "," } else { "" };
        out.push_str(&format!("  \"{key}\": {value}{comma}\n"));
    }
    out.push_str("}\n");
    out
}

fn js_block(rng: &mut Rng, units: usize) -> String {
    let mut out = String::from("const client = require('example')(process.env.API_KEY);\n\n");
    for _ in 0..units {
        let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
        let line = match rng.below(6) {
            0 => format!("// Retrieve the {a} and log its {b}.\n"),
            1 => format!(
                "const {a} = await client.{b}s.create({{\n  {a}: '{b}',\n  limit: {},\n  enabled: true,\n}});\n",
                rng.below(100)
            ),
            2 => format!(
                "async function get_{a}(id, opts = {{}}) {{\n  if (!id) {{ throw new Error(`missing ${{id}} for {b}`); }}\n  return client.{a}.retrieve(id, {{ expand: ['{b}'] }});\n}}\n"
            ),
            3 => format!(
                "const total = items.filter((x) => x.{a} > {}).map((x) => x.{b} * 2).length;\n",
                rng.below(10)
            ),
            4 => format!("if (/^{a}_[0-9a-f]+$/i.test(id)) {{ console.log(\"{b}:\", id); }}\n"),
            _ => format!(
                "client.{a}.list({{ limit: {} }}).then((page) => page.data.forEach(print)).catch(console.error);\n",
                rng.below(100)
            ),
        };
        out.push_str(&line);
    }
    out
}

fn python_block(rng: &mut Rng, units: usize) -> String {
    let mut out = String::from("import example\nexample.api_key = \"sk_test_123\"\n\n");
    for _ in 0..units {
        let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
        let line = match rng.below(6) {
            0 => format!("# Retrieve the {a} and print its {b}.\n"),
            1 => format!(
                "{a} = example.{b}.create(\n    {a}=\"{b}\",\n    limit={},\n    expand=[\"{b}\"],\n)\n",
                rng.below(100)
            ),
            2 => format!(
                "def get_{a}(client, id, limit=10):\n    \"\"\"Fetch one {b}.\"\"\"\n    if not id:\n        raise ValueError(f\"missing {{id}} for {b}\")\n    return client.{a}.retrieve(id, None)\n"
            ),
            3 => format!(
                "total = sum(x.{a} * {} for x in items if x.{b} is not None)\n",
                rng.below(10)
            ),
            4 => format!(
                "class {}Client(Base):\n    timeout = {}.5\n    headers = {{\"X-{a}\": \"{b}\", 'Accept': 'application/json'}}\n",
                a.replace('_', ""),
                rng.below(60)
            ),
            _ => format!("for page in client.{a}.list(limit={}).auto_paging_iter():\n    print(page.{b}, True)\n", rng.below(100)),
        };
        out.push_str(&line);
    }
    out
}

fn bash_block(rng: &mut Rng, units: usize) -> String {
    let mut out = String::new();
    for _ in 0..units {
        let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
        let line = match rng.below(5) {
            0 => format!("# Create a {a} with its {b}\n"),
            1 => format!(
                "curl https://api.example.com/v1/{a}s \\\n  -u \"$API_KEY:\" \\\n  -H 'Content-Type: application/json' \\\n  -d {b}={} \\\n  -d \"metadata[{a}]={b}\"\n",
                rng.below(1000)
            ),
            2 => format!("export {}=\"${{HOME}}/{b}\"; echo \"$?\" | grep -E '^{a}[0-9]+$' > /dev/null\n", a.to_uppercase()),
            3 => format!(
                "for id in $(cat {a}.txt); do\n  curl -s \"https://api.example.com/v1/{b}/$id\" | jq '.{a}'\ndone\n"
            ),
            _ => format!("if [ -z \"${a}\" ]; then echo \"no {b}\" >&2; exit 1; fi\n"),
        };
        out.push_str(&line);
    }
    out
}
