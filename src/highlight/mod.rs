//! Syntax highlighting at build time with syntect, as short CSS classes so the light and
//! dark themes are pure CSS. Everything about grammars lives behind this module so the
//! highlighter can be swapped.
//!
//! Grammars are bat's extended set (via `two-face`), parsed with the newline-including
//! variant. The set is deserialised once per process, when a sample first needs a grammar (a
//! language named by an alias and taken by a hand lexer never loads it; syntect also defers
//! each grammar's contexts until first used), so a [`Highlighter`] is free to construct and to
//! share between rayon workers.
//!
//! Output is escaped text plus tokens as custom elements named by their class, `<x-X>`,
//! where `X` is one of [`CLASSES`] ([`rouge_spans`] writes them as Rouge's
//! `<span class=X>`); text in no token is punctuation or whitespace, which
//! themes colour as the code block itself. The class of a piece of text is decided from
//! syntect's scope stack by the scope rules (`rules.rs`): walking the stack outwards-in,
//! the innermost scope that has a rule wins, with a few structural exceptions
//! (string punctuation takes the class of its string, a string inside a mapping key is a
//! key, a regex keeps one class throughout, embedded code starts afresh). The class is
//! tracked in a stack parallel to syntect's, so it is computed once per scope push rather
//! than once per token.

#[cfg(test)]
pub(crate) mod differential;
mod graphql;
mod http;
mod js;
mod json;
mod lines;
mod python;
mod ruby;
mod rules;
mod shell;
#[cfg(test)]
mod snapshots;
#[cfg(test)]
mod tests;
mod tokens;

pub use lines::forget_lines;

use crate::html::escape_text_into;
use lines::parse_line_memo;
use rules::{current, rule_for, Level, RuleCache};
use std::sync::LazyLock;

use syntect::parsing::{BasicScopeStackOp, ParseState, ScopeStack, SyntaxReference, SyntaxSet};

/// The complete set of classes the highlighter emits, as `(class, meaning)`. Themes style
/// exactly these; nothing else ever appears in a `class` attribute.
pub const CLASSES: &[(&str, &str)] = &[
    ("c", "comment"),
    (
        "k",
        "keyword, storage (declarations, modifiers, types-as-keywords), control flow",
    ),
    ("kc", "language constant: true, false, null, None, nil"),
    ("s", "string"),
    (
        "se",
        "escape or placeholder inside a string (\\n, %d, &amp;)",
    ),
    ("sr", "regular expression literal"),
    ("m", "number"),
    ("o", "operator"),
    ("n", "plain text: names and words no other class covers"),
    ("nf", "function or method name (definition or call)"),
    ("nc", "class or type name"),
    ("nt", "tag name (HTML/XML elements, CSS type selectors)"),
    (
        "na",
        "attribute, property or object key (JSON/YAML/TOML keys, HTTP header names)",
    ),
    (
        "nb",
        "builtin or library-provided function, class member or annotation",
    ),
    (
        "nv",
        "variable or parameter (sigil variables like $x, @x; parameters; options)",
    ),
    ("gh", "markup heading (Markdown headings, diff headers)"),
    (
        "err",
        "invalid code as flagged by the grammar; also removed lines in diffs",
    ),
];

/// Where a stylesheet written for the token markup before tokens became elements colours a
/// token as a classed span (`.ep-code .s`, where pages now hold `<x-s>`): the offset of its
/// first such rule, or `None` for a stylesheet naming any token element. Such rules colour
/// nothing, so a site's own `endpaper.css` of that age would show its code in one colour.
pub fn stale_token_rule(css: &str) -> Option<usize> {
    if css.contains("x-") {
        return None;
    }
    css.match_indices(".ep-code .").find_map(|(at, m)| {
        let class = css[at + m.len()..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()?;
        CLASSES.iter().any(|(c, _)| *c == class).then_some(at)
    })
}

/// A single line longer than this is not parsed: regex grammars can go superlinear on long
/// lines (minified JSON, base64 blobs), so such a block is emitted as plain escaped text.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// A code block larger than this is emitted as plain escaped text, to bound build time.
pub const MAX_CODE_BYTES: usize = 2 * 1024 * 1024;

/// Language names that mean "no highlighting" on purpose; they count as known.
const PLAIN_NAMES: &[&str] = &["", "text", "plain", "plaintext", "txt", "none"];

/// What a language name resolves to before the code is seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// A syntect syntax, by its exact name in the two-face set.
    Syntax(&'static str),
    /// PHP snippets in API docs often omit `<?php`; the full PHP grammar would then treat
    /// them as HTML text, so the choice between it and the bare-source grammar waits for
    /// the code.
    Php,
}

const BASH: &str = "Bourne Again Shell (bash)";

/// Aliases real API docs use, matched case-insensitively. Names not listed here fall back
/// to syntect's lookup by file extension or grammar name.
const ALIASES: &[(&str, Target)] = &[
    ("bash", Target::Syntax(BASH)),
    ("sh", Target::Syntax(BASH)),
    ("shell", Target::Syntax(BASH)),
    ("zsh", Target::Syntax(BASH)),
    ("console", Target::Syntax(BASH)),
    ("shell-session", Target::Syntax(BASH)),
    ("shellsession", Target::Syntax(BASH)),
    ("curl", Target::Syntax(BASH)),
    ("json", Target::Syntax("JSON")),
    ("json5", Target::Syntax("JSON")),
    ("jsonc", Target::Syntax("JSON")),
    ("javascript", Target::Syntax("JavaScript (Babel)")),
    ("js", Target::Syntax("JavaScript (Babel)")),
    ("node", Target::Syntax("JavaScript (Babel)")),
    ("nodejs", Target::Syntax("JavaScript (Babel)")),
    ("jquery", Target::Syntax("JavaScript (Babel)")),
    ("typescript", Target::Syntax("TypeScript")),
    ("ts", Target::Syntax("TypeScript")),
    ("python", Target::Syntax("Python")),
    ("py", Target::Syntax("Python")),
    ("python3", Target::Syntax("Python")),
    ("graphql", Target::Syntax("GraphQL")),
    ("gql", Target::Syntax("GraphQL")),
    ("http", Target::Syntax("HTTP Request and Response")),
    ("ruby", Target::Syntax("Ruby")),
    ("rb", Target::Syntax("Ruby")),
    ("go", Target::Syntax("Go")),
    ("golang", Target::Syntax("Go")),
    ("java", Target::Syntax("Java")),
    ("php", Target::Php),
    ("yaml", Target::Syntax("YAML")),
    ("yml", Target::Syntax("YAML")),
    ("xml", Target::Syntax("XML")),
    ("html", Target::Syntax("HTML")),
    ("xhtml", Target::Syntax("HTML")),
    ("sql", Target::Syntax("SQL")),
    ("csharp", Target::Syntax("C#")),
    ("cs", Target::Syntax("C#")),
    ("c#", Target::Syntax("C#")),
    ("c", Target::Syntax("C")),
    ("cpp", Target::Syntax("C++")),
    ("c++", Target::Syntax("C++")),
    ("kotlin", Target::Syntax("Kotlin")),
    ("swift", Target::Syntax("Swift")),
    // Rouge's names of Objective-C (`objective_c` is its tag).
    ("objective_c", Target::Syntax("Objective-C")),
    ("objectivec", Target::Syntax("Objective-C")),
    ("objc", Target::Syntax("Objective-C")),
    ("obj-c", Target::Syntax("Objective-C")),
    ("obj_c", Target::Syntax("Objective-C")),
    ("rust", Target::Syntax("Rust")),
    ("rs", Target::Syntax("Rust")),
    ("css", Target::Syntax("CSS")),
    ("diff", Target::Syntax("Diff")),
    ("ini", Target::Syntax("INI")),
    ("toml", Target::Syntax("TOML")),
    ("dockerfile", Target::Syntax("Dockerfile")),
    ("markdown", Target::Syntax("Markdown")),
    ("md", Target::Syntax("Markdown")),
];

/// Every grammar, deserialised on first use: the first sample a hand lexer does not take.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    #[cfg(test)]
    GRAMMARS_LOADED.store(true, std::sync::atomic::Ordering::Relaxed);
    two_face::syntax::extra_newlines()
});

/// Whether this process has loaded [`SYNTAXES`].
#[cfg(test)]
static GRAMMARS_LOADED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process has loaded the grammars (for tests run alone in a process).
#[cfg(test)]
pub(crate) fn grammars_loaded() -> bool {
    GRAMMARS_LOADED.load(std::sync::atomic::Ordering::Relaxed)
}

thread_local! {
    /// Set while [`uncoloured`] runs on this thread.
    static UNCOLOURED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every sample highlighted on this thread written as plain text (one `n`
/// span, language taken as known): for a render whose HTML is read only for its elements
/// and text, never published, where colouring would cost the grammars' load and parse
/// (an outline's samples are cut short, mid-token, so no hand lexer takes them).
/// Highlighting adds elements without attributes and no text, so what is read is the same.
pub fn uncoloured<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            UNCOLOURED.set(self.0);
        }
    }
    let _restore = Restore(UNCOLOURED.replace(true));
    f()
}

/// The result of highlighting one code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// HTML for inside `<code>`: escaped text and `<x-…>` tokens.
    pub html: String,
    /// False when the language was not recognised and the code was escaped as plain text.
    pub known_language: bool,
}

/// Thread-safe; grammars load on first use.
pub struct Highlighter {}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {}
    }

    /// Highlights `code` as `lang` (case-insensitive; `None` means plain text).
    ///
    /// Never fails: unknown languages, oversized input and grammar errors all degrade to
    /// escaped plain text; only an unknown language reports `known_language: false`.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Highlighted {
        self.highlight_by(code, lang, true)
    }

    /// [`highlight`](Self::highlight) through the grammars alone, no hand lexer: the
    /// path the hand lexers stand in for (the throughput example measures both).
    pub fn highlight_by_grammar(&self, code: &str, lang: Option<&str>) -> Highlighted {
        self.highlight_by(code, lang, false)
    }

    /// Whether a hand lexer, not a grammar, colours `code` as `lang`.
    pub fn lexes(&self, code: &str, lang: Option<&str>) -> bool {
        match resolve(lang.unwrap_or("")) {
            Some(Resolved::Syntax(name)) if !exceeds_limits(code) => {
                hand_lexer(name).is_some_and(|lex| lex(code).is_some())
            }
            _ => false,
        }
    }

    fn highlight_by(&self, code: &str, lang: Option<&str>, lexers: bool) -> Highlighted {
        if UNCOLOURED.get() {
            return plain(code, true);
        }
        let target = resolve(lang.unwrap_or(""));
        let name = match target {
            None => return plain(code, false),
            Some(Resolved::Plain) => return plain(code, true),
            Some(Resolved::Syntax(name)) => name,
            Some(Resolved::Php) => php_syntax(code),
        };
        if exceeds_limits(code) {
            return plain(code, true);
        }
        let lexer = hand_lexer(name).filter(|_| lexers);
        if let Some(html) = lexer.and_then(|lex| lex(code)) {
            return Highlighted {
                html,
                known_language: true,
            };
        }
        // syntect and oniguruma are third-party code running on user input; a panic
        // there must cost one block its colours, not the whole build.
        let set: &'static SyntaxSet = &SYNTAXES;
        let syntax = set
            .find_syntax_by_name(name)
            .unwrap_or_else(|| set.find_syntax_plain_text());
        let html = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            highlight_with(code, syntax, set)
        }))
        .ok()
        .flatten();
        match html {
            Some(html) => Highlighted {
                html,
                known_language: true,
            },
            None => plain(code, true),
        }
    }

    /// Whether code in `lang` gets tokens: it names a grammar, not plain text (`text`, no
    /// name); plain text is one run, which Rouge writes with no token around it.
    pub fn colours(&self, lang: Option<&str>) -> bool {
        !UNCOLOURED.get()
            && matches!(
                resolve(lang.unwrap_or("")),
                Some(Resolved::Syntax(_) | Resolved::Php)
            )
    }

    /// Whether `lang` names a grammar (or an alias of one) that highlighting knows. The
    /// plain-text names (`text`, `none`, ...) count as known.
    pub fn knows(&self, lang: &str) -> bool {
        resolve(lang).is_some()
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

/// A hand-written lexer: the HTML its grammar would write for a sample, or `None` for a
/// sample holding anything it does not know (that sample then goes through the grammar).
type Lexer = fn(&str) -> Option<String>;

/// Each hand lexer, by the name of the grammar it stands in for.
const LEXERS: &[(&str, Lexer)] = &[
    ("JSON", json::highlight),
    (BASH, shell::highlight),
    ("Python", python::highlight),
    ("JavaScript (Babel)", js::highlight),
    ("GraphQL", graphql::highlight),
    ("Ruby", ruby::highlight),
    ("HTTP Request and Response", http::highlight),
];

fn hand_lexer(syntax: &str) -> Option<Lexer> {
    LEXERS
        .iter()
        .find(|(name, _)| *name == syntax)
        .map(|(_, lexer)| *lexer)
}

/// A language name resolved against the grammars.
enum Resolved {
    Plain,
    /// A grammar, by its name in the set.
    Syntax(&'static str),
    Php,
}

fn resolve(lang: &str) -> Option<Resolved> {
    let lang = lang.trim();
    if PLAIN_NAMES.iter().any(|p| p.eq_ignore_ascii_case(lang)) {
        return Some(Resolved::Plain);
    }
    match ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(lang))
    {
        Some((_, Target::Php)) => Some(Resolved::Php),
        // Every alias names a grammar of the set (`every_alias_target_is_a_loaded_grammar`),
        // so an alias resolves without the set: a build whose samples the hand lexers all
        // take never loads it.
        Some((_, Target::Syntax(name))) => Some(Resolved::Syntax(name)),
        // The set's own lookup by token, answered without loading the set.
        None => tokens::syntax_for(lang).map(Resolved::Syntax),
    }
}

fn php_syntax(code: &str) -> &'static str {
    if code.contains("<?") {
        "PHP"
    } else {
        "PHP Source"
    }
}

fn exceeds_limits(code: &str) -> bool {
    code.len() > MAX_CODE_BYTES || code.split('\n').any(|line| line.len() > MAX_LINE_BYTES)
}

/// Code that is not highlighted is plain text throughout: one `n` span from its first word
/// to its end, so it keeps the text colour rather than the block's punctuation colour.
fn plain(code: &str, known_language: bool) -> Highlighted {
    let mut writer = Writer::with_capacity(code.len() + code.len() / 8);
    writer.text((None, false), code);
    Highlighted {
        html: writer.finish(),
        known_language,
    }
}

/// `html` from the highlighter with each token written as Rouge marks one up,
/// `<span class=X>`: for markup a site's own stylesheet colours (`markdownify`), whose rules
/// name Rouge's classes on spans. Escaped text holds no `<`, so each `<` is a token's tag.
pub fn rouge_spans(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let end = tag.find('>').map_or(tag.len(), |n| n + 1);
        if tag.starts_with("</x-") {
            out.push_str("</span>");
        } else if let Some(class) = tag[..end].strip_prefix("<x-") {
            out.push_str("<span class=");
            out.push_str(class);
        } else {
            out.push_str(&tag[..end]);
        }
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

/// The class the scope rules give punctuation. Punctuation gets no span: a code block's
/// own colour is the punctuation colour, so the commonest token costs no markup.
pub(super) const PUNCTUATION: &str = "p";

/// The class of text the scope rules leave unclassed (names, words): plain text, which
/// themes colour apart from punctuation.
const PLAIN: &str = "n";

/// Whitespace shows no colour, so it may sit inside any span but one that draws under or
/// through its text.
const DECORATED: &[&str] = &["err"];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Builds the HTML, opening a span only when the class changes, so adjacent runs of one
/// class merge and no span is ever empty. Unclassed words get the plain-text class `n`,
/// punctuation gets no span, and whitespace outside a class extends the open span (so
/// `"a" "b"` is one string span) or, with none open, stands bare. A word and the
/// punctuation beside it still never share a run, as in Rouge's output, so text tools see
/// `(`, `data`, `);` rather than one word `(data);`. The output depends only on each
/// character's class (and on the tokens sealed alone), not on how the text was cut into
/// pieces, so the JSON lexer and the grammar agree byte for byte.
struct Writer {
    out: String,
    open: Option<&'static str>,
    /// The open span must not be extended (it holds a token of its own).
    sealed: bool,
}

impl Writer {
    fn with_capacity(capacity: usize) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            open: None,
            sealed: false,
        }
    }

    /// Writes `text`, of `class` (`None`: unclassed), a token of its own if `alone`.
    fn text(&mut self, (class, alone): (Option<&'static str>, bool), text: &str) {
        let word_class = match class {
            None => Some(PLAIN),
            Some(PUNCTUATION) => None,
            Some(_) => return self.run(class, alone, text),
        };
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let space = is_space(bytes[start]);
            let end = bytes[start..]
                .iter()
                .position(|&b| is_space(b) != space)
                .map_or(bytes.len(), |n| start + n);
            if space {
                self.space(&text[start..end]);
            } else {
                self.run(word_class, false, &text[start..end]);
            }
            start = end;
        }
    }

    fn space(&mut self, text: &str) {
        match self.open {
            Some(open) if !self.sealed && !DECORATED.contains(&open) => {
                escape_text_into(&mut self.out, text);
            }
            _ => self.run(None, false, text),
        }
    }

    fn run(&mut self, class: Option<&'static str>, alone: bool, text: &str) {
        if text.is_empty() {
            return;
        }
        if class != self.open || alone || self.sealed {
            self.close();
            if let Some(class) = class {
                // A token is an element named by its class (`<x-s>`): a custom element,
                // inline and valid HTML, half the bytes of `<span class=s>…</span>` on the
                // commonest tag of a page.
                self.out.push_str("<x-");
                self.out.push_str(class);
                self.out.push('>');
            }
            self.open = class;
        }
        self.sealed = alone;
        escape_text_into(&mut self.out, text);
    }

    fn close(&mut self) {
        if let Some(open) = self.open {
            self.out.push_str("</x-");
            self.out.push_str(open);
            self.out.push('>');
        }
    }

    fn finish(mut self) -> String {
        self.close();
        self.out
    }
}

/// The index of the first byte at or after `i` that `keep` refuses (the hand lexers'
/// scanner).
fn skip(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// Writes the field of an interpolation (`{a.b}` in a Python f-string, `${a.b}` in a
/// JavaScript template literal) from `code[i]` to its `}`: names joined by `.`, each one
/// `plain` takes, as plain text (`n`) and punctuation; returns the index after the `}`.
fn interpolated(
    code: &str,
    mut i: usize,
    w: &mut Writer,
    plain: impl Fn(&str) -> bool,
) -> Option<usize> {
    let b = code.as_bytes();
    loop {
        let name = i;
        i = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
        let text = &code[name..i];
        if text.is_empty() || text.as_bytes()[0].is_ascii_digit() || !plain(text) {
            return None;
        }
        w.text((None, false), text);
        match b.get(i)? {
            b'.' => {
                w.text((Some(PUNCTUATION), false), ".");
                i += 1;
            }
            b'}' => break,
            _ => return None,
        }
    }
    w.text((Some(PUNCTUATION), false), "}");
    Some(i + 1)
}

/// Highlights `code` with `syntax`; `None` when the grammar reports an error.
fn highlight_with(code: &str, syntax: &SyntaxReference, set: &SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut levels: Vec<Level> = vec![Level::default()];
    let mut cache = RuleCache::default();
    let mut writer = Writer::with_capacity(code.len() * 2);
    // The newline grammars expect every line to end in `\n`; a last line without one is
    // parsed with one added, which is then not emitted.
    let mut last_line = String::new();
    for line in code.split_inclusive('\n') {
        let parsed = if line.ends_with('\n') {
            line
        } else {
            last_line.push_str(line);
            last_line.push('\n');
            &last_line
        };
        let ops = parse_line_memo(&mut state, parsed, set)?;
        let mut pos = 0;
        for (at, op) in &ops {
            let at = (*at).min(line.len());
            if at > pos {
                writer.text(current(&levels), &line[pos..at]);
                pos = at;
            }
            stack
                .apply_with_hook(op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => {
                        let rule = *cache.entry(scope).or_insert_with(|| rule_for(scope));
                        let top = levels.last().copied().unwrap_or_default();
                        levels.push(top.push(rule));
                    }
                    BasicScopeStackOp::Pop => {
                        if levels.len() > 1 {
                            levels.pop();
                        }
                    }
                })
                .ok()?;
        }
        writer.text(current(&levels), &line[pos..]);
    }
    Some(writer.finish())
}
