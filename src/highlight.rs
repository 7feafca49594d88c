//! Syntax highlighting at build time with syntect, as short CSS classes so the light and
//! dark themes are pure CSS. Everything about grammars lives behind this module so the
//! highlighter can be swapped.
//!
//! Grammars are bat's extended set (via `two-face`), parsed with the newline-including
//! variant. The set is deserialised once per process on first use (about 1.3 ms; syntect
//! additionally defers each grammar's contexts until that grammar is first used), so a
//! [`Highlighter`] is free to construct and to share between rayon workers.
//!
//! Output is escaped text plus `<span class="X">` where `X` is one of [`CLASSES`]. The class
//! of a piece of text is decided from syntect's scope stack by [`rules`]: walking the stack
//! outwards-in, the innermost scope that has a rule wins, with a few structural exceptions
//! (string punctuation takes the class of its string, a string inside a mapping key is a
//! key, a regex keeps one class throughout, embedded code starts afresh). The class is
//! tracked in a stack parallel to syntect's, so it is computed once per scope push rather
//! than once per token.

use crate::html::escape_text_into;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet,
};

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

/// Every grammar, deserialised on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The scope rules with their scopes interned, built on first use.
static RULES: LazyLock<Vec<(Scope, Rule)>> = LazyLock::new(build_rules);

/// The result of highlighting one code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// HTML for inside `<code>`: escaped text and `<span class="…">` tokens.
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
        let target = resolve(lang.unwrap_or(""));
        let syntax = match target {
            None => return plain(code, false),
            Some(Resolved::Plain) => return plain(code, true),
            Some(Resolved::Syntax(syntax)) => syntax,
            Some(Resolved::Php) => php_syntax(code),
        };
        if exceeds_limits(code) {
            return plain(code, true);
        }
        // syntect and oniguruma are third-party code running on user input; a panic
        // there must cost one block its colours, not the whole build.
        let html = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            highlight_with(code, syntax, &SYNTAXES)
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

/// A language name resolved against the loaded grammars.
enum Resolved {
    Plain,
    Syntax(&'static SyntaxReference),
    Php,
}

fn resolve(lang: &str) -> Option<Resolved> {
    let lang = lang.trim();
    if PLAIN_NAMES.iter().any(|p| p.eq_ignore_ascii_case(lang)) {
        return Some(Resolved::Plain);
    }
    let set: &'static SyntaxSet = &SYNTAXES;
    match ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(lang))
    {
        Some((_, Target::Php)) => Some(Resolved::Php),
        Some((_, Target::Syntax(name))) => set.find_syntax_by_name(name).map(Resolved::Syntax),
        None => set.find_syntax_by_token(lang).map(Resolved::Syntax),
    }
}

fn php_syntax(code: &str) -> &'static SyntaxReference {
    let set: &'static SyntaxSet = &SYNTAXES;
    let name = if code.contains("<?") {
        "PHP"
    } else {
        "PHP Source"
    };
    set.find_syntax_by_name(name)
        .unwrap_or_else(|| set.find_syntax_plain_text())
}

fn exceeds_limits(code: &str) -> bool {
    code.len() > MAX_CODE_BYTES || code.split('\n').any(|line| line.len() > MAX_LINE_BYTES)
}

fn plain(code: &str, known_language: bool) -> Highlighted {
    let mut html = String::with_capacity(code.len() + code.len() / 8);
    escape_text_into(&mut html, code);
    Highlighted {
        html,
        known_language,
    }
}

/// How one scope affects the class of the text inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// The scope carries no colour (`meta.*` and friends): keep the enclosing class.
    Inherit,
    /// The text takes this class.
    Class(&'static str),
    /// Takes the enclosing class if there is one, else this one. For delimiters such as
    /// string quotes and comment markers, which belong with what they delimit.
    Weak(&'static str),
    /// A mapping key: `na`, and strings inside it are keys too, not strings.
    Key,
    /// This class for everything inside, whatever the inner scopes say (regexes are
    /// finely tokenised; one colour reads better and keeps output small).
    Sticky(&'static str),
    /// Embedded code (interpolations, code inside strings or markup) starts afresh.
    Reset,
}

/// The scope rules. A scope matches a rule when the rule's scope is an atom-wise prefix of
/// it; the longest matching prefix wins, so specific rules (`keyword.operator`) override
/// general ones (`keyword`). Scopes matching nothing are [`Rule::Inherit`].
fn rules() -> &'static [(&'static str, Rule)] {
    use Rule::*;
    &[
        ("comment", Class("c")),
        ("keyword", Class("k")),
        ("storage", Class("k")),
        ("variable.language", Class("k")),
        ("keyword.operator", Class("o")),
        // `in`, `not`, `instanceof`, HTTP verbs: words, so they read as keywords.
        ("keyword.operator.word", Class("k")),
        ("keyword.operator.accessor", Class("p")),
        ("keyword.other.unit", Weak("k")),
        // JavaScript (Babel) scopes template-literal backticks and `${` as keywords.
        ("keyword.other.template", Weak("p")),
        ("keyword.other.substitution", Class("p")),
        ("keyword.other.http-header.key", Class("na")),
        ("constant.language", Class("kc")),
        ("support.constant", Class("kc")),
        ("constant.numeric", Class("m")),
        ("constant.other.color", Class("m")),
        ("constant.character", Class("se")),
        ("constant.other.placeholder", Class("se")),
        ("constant.other.symbol", Class("s")),
        ("constant.other.object.key", Key),
        ("meta.mapping.key", Key),
        ("string", Class("s")),
        // Python's f/r/b string prefixes.
        ("storage.type.string", Class("s")),
        ("string.regexp", Sticky("sr")),
        ("source.regexp", Sticky("sr")),
        // Punctuation belongs with the token it sits in (string quotes, the `.` of a
        // number, the `;` of `&amp;`) and is only `p` on its own.
        ("punctuation", Weak("p")),
        ("punctuation.separator.key-value", Class("p")),
        ("punctuation.section.interpolation", Class("p")),
        ("punctuation.section.embedded", Class("p")),
        ("punctuation.definition.variable", Class("nv")),
        // Bash `${NAME:-default}`: the expansion is one variable, wherever it appears.
        ("meta.group.expansion.parameter", Class("nv")),
        ("meta.brace", Class("p")),
        ("meta.delimiter", Class("p")),
        ("entity.name.function", Class("nf")),
        ("entity.name.method", Class("nf")),
        ("entity.name.query", Class("nf")),
        ("entity.name.mutation", Class("nf")),
        ("entity.name.fragment", Class("nf")),
        ("variable.function", Class("nf")),
        ("entity.name.class", Class("nc")),
        ("entity.name.type", Class("nc")),
        ("entity.name.struct", Class("nc")),
        ("entity.name.enum", Class("nc")),
        ("entity.name.interface", Class("nc")),
        ("entity.name.trait", Class("nc")),
        ("entity.name.union", Class("nc")),
        ("entity.name.impl", Class("nc")),
        ("entity.name.table", Class("nc")),
        ("entity.other.inherited-class", Class("nc")),
        ("support.class", Class("nc")),
        ("support.type", Class("nc")),
        // Go scopes type names in signatures as bare `storage.type`.
        ("storage.type.go", Class("nc")),
        ("entity.name.tag", Class("nt")),
        // YAML and TOML scope mapping keys as tags.
        ("entity.name.tag.yaml", Class("na")),
        ("entity.name.tag.toml", Class("na")),
        ("entity.name.field", Class("na")),
        ("entity.other.attribute-name", Class("na")),
        ("support.type.property-name", Class("na")),
        ("variable.object.property", Class("na")),
        ("support.function", Class("nb")),
        ("support.macro", Class("nb")),
        ("variable.annotation", Class("nb")),
        ("variable.parameter", Class("nv")),
        // Plain identifiers stay uncoloured; sigil variables ($x, @x) are coloured.
        ("variable.other.php", Class("nv")),
        ("variable.other.graphql", Class("nv")),
        ("variable.other.readwrite.instance", Class("nv")),
        ("variable.other.readwrite.class", Class("nv")),
        ("variable.other.readwrite.global", Class("nv")),
        ("variable.other.readwrite.shell", Class("nv")),
        ("variable.other.readwrite.assignment.shell", Class("nv")),
        ("markup.heading", Class("gh")),
        ("meta.diff.header", Class("gh")),
        ("meta.diff.range", Class("gh")),
        ("markup.inserted", Class("s")),
        ("markup.deleted", Class("err")),
        ("invalid", Class("err")),
        ("source", Reset),
        ("text", Reset),
        ("meta.embedded", Reset),
        ("meta.interpolation", Reset),
        ("meta.template.expression", Reset),
        // Bash `$(cmd)`, `` `cmd` ``, `$((1 + 2))`, also inside double-quoted strings.
        ("meta.group.expansion.command", Reset),
        ("meta.group.expansion.arithmetic", Reset),
    ]
}

fn build_rules() -> Vec<(Scope, Rule)> {
    let mut rules: Vec<(Scope, Rule)> = rules()
        .iter()
        .filter_map(|&(name, rule)| Scope::new(name).ok().map(|scope| (scope, rule)))
        .collect();
    // Longest first, so the first match is the most specific.
    rules.sort_by_key(|(scope, _)| std::cmp::Reverse(scope.len()));
    rules
}

fn rule_for(scope: Scope) -> Rule {
    RULES
        .iter()
        .find(|(prefix, _)| prefix.is_prefix_of(scope))
        .map_or(Rule::Inherit, |&(_, rule)| rule)
}

/// The class in force at one level of the scope stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Level {
    class: Option<&'static str>,
    in_key: bool,
    sticky: bool,
}

impl Level {
    fn push(self, rule: Rule) -> Level {
        if self.sticky && rule != Rule::Reset {
            return self;
        }
        let inner = self;
        match rule {
            Rule::Inherit => inner,
            Rule::Class(class) => Level {
                class: Some(if self.in_key && class == "s" {
                    "na"
                } else {
                    class
                }),
                ..inner
            },
            Rule::Weak(class) => Level {
                class: self.class.or(Some(class)),
                ..inner
            },
            Rule::Key => Level {
                class: Some("na"),
                in_key: true,
                ..Level::default()
            },
            Rule::Sticky(class) => Level {
                class: Some(class),
                sticky: true,
                ..Level::default()
            },
            Rule::Reset => Level::default(),
        }
    }
}

/// A hasher for [`Scope`], which is two `u64`s of packed atom numbers: mixing them is
/// enough, and SipHash would cost more than the rule scan it saves.
#[derive(Default)]
struct ScopeHasher(u64);

impl Hasher for ScopeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type RuleCache = HashMap<Scope, Rule, BuildHasherDefault<ScopeHasher>>;

/// Builds the HTML, opening a span only when the class changes, so adjacent runs of one
/// class merge and no span is ever empty. Punctuation ([`PLAIN`]) is written as plain
/// text: it is coloured like the code around it, and about half of all tokens are
/// punctuation, so a span each would be most of a sample's markup.
struct Writer {
    out: String,
    open: Option<&'static str>,
}

/// The class the rules give to text that is written without a span. It is still a class
/// while highlighting: inside a string it ends the string's span (an interpolation's
/// braces are not string).
const PLAIN: &str = "p";

impl Writer {
    fn text(&mut self, class: Option<&'static str>, text: &str) {
        if text.is_empty() {
            return;
        }
        let class = class.filter(|&c| c != PLAIN);
        if class != self.open {
            if self.open.is_some() {
                self.out.push_str("</span>");
            }
            if let Some(class) = class {
                self.out.push_str("<span class=\"");
                self.out.push_str(class);
                self.out.push_str("\">");
            }
            self.open = class;
        }
        escape_text_into(&mut self.out, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.out.push_str("</span>");
        }
        self.out
    }
}

/// Highlights `code` with `syntax`; `None` when the grammar reports an error.
fn highlight_with(code: &str, syntax: &SyntaxReference, set: &SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut levels: Vec<Level> = vec![Level::default()];
    let mut cache = RuleCache::default();
    let mut writer = Writer {
        out: String::with_capacity(code.len() * 2),
        open: None,
    };
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

/// What one line parsed to from one state: the scope operations and the state after.
struct ParsedLine {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

/// Lines already parsed on this thread, by text. API docs repeat lines across samples
/// (the same client set-up, the same response fields): in the synthetic 1,000-doc
/// reference only 19% of JavaScript and 37% of Python bytes are distinct lines. A line
/// parsed from an equal state gives the same operations and the same next state, so the
/// memo returns exactly what parsing would; it only skips the regex work.
#[derive(Default)]
struct LineMemo {
    lines: HashMap<Box<str>, Vec<ParsedLine>>,
    entries: usize,
}

/// Bounds the memory a thread's memo holds; it starts afresh beyond.
const LINE_MEMO_MAX_ENTRIES: usize = 20_000;
/// A line seen in more states than this is parsed every time.
const LINE_MEMO_MAX_STATES: usize = 8;

thread_local! {
    static LINE_MEMO: std::cell::RefCell<LineMemo> = std::cell::RefCell::new(LineMemo::default());
}

/// Frees this thread's memo of parsed lines (a build calls it on every worker once its
/// samples are highlighted, so the memory goes back before pages are rendered).
pub fn forget_lines() {
    LINE_MEMO.with(|memo| *memo.borrow_mut() = LineMemo::default());
}

/// `state.parse_line(line)`, through this thread's [`LineMemo`]; `None` on a grammar
/// error.
fn parse_line_memo(
    state: &mut ParseState,
    line: &str,
    set: &SyntaxSet,
) -> Option<Vec<(usize, ScopeStackOp)>> {
    LINE_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(hit) = memo
            .lines
            .get(line)
            .and_then(|seen| seen.iter().find(|p| p.before == *state))
        {
            *state = hit.after.clone();
            return Some(hit.ops.clone());
        }
        let before = state.clone();
        let ops = state.parse_line(line, set).ok()?;
        if memo.entries >= LINE_MEMO_MAX_ENTRIES {
            memo.lines.clear();
            memo.entries = 0;
        }
        let seen = memo.lines.entry(line.into()).or_default();
        if seen.len() < LINE_MEMO_MAX_STATES {
            seen.push(ParsedLine {
                before,
                ops: ops.clone(),
                after: state.clone(),
            });
            memo.entries += 1;
        }
        Some(ops)
    })
}

fn current(levels: &[Level]) -> Option<&'static str> {
    levels.last().and_then(|level| level.class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(code: &str, lang: &str) -> Highlighted {
        Highlighter::new().highlight(code, Some(lang))
    }

    /// The `(class, text)` runs of highlighted HTML, with entities left escaped; text
    /// outside any span has class `""`.
    fn runs(html: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<span class=\"") {
                let (class, after) = after.split_once("\">").expect("span open is closed");
                let (text, after) = after.split_once("</span>").expect("span is closed");
                assert!(!text.contains('<'), "nested span in {html}");
                out.push((class.to_string(), text.to_string()));
                rest = after;
            } else {
                let end = rest.find("<span").unwrap_or(rest.len());
                out.push((String::new(), rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        out
    }

    /// The class of the run that is exactly `needle`, else of the first run containing it.
    fn class_of(html: &str, needle: &str) -> String {
        let runs = runs(html);
        let exact = runs.iter().position(|(_, text)| text == needle);
        exact
            .or_else(|| runs.iter().position(|(_, text)| text.contains(needle)))
            .map(|i| runs[i].0.clone())
            .unwrap_or_else(|| panic!("{needle:?} not found in {html}"))
    }

    /// Asserts the class of each `(text, class)` run, reporting all mismatches at once.
    fn assert_classes(html: &str, expected: &[(&str, &str)]) {
        let actual: Vec<(&str, String)> = expected
            .iter()
            .map(|&(text, _)| (text, class_of(html, text)))
            .collect();
        let expected: Vec<(&str, String)> = expected
            .iter()
            .map(|&(text, class)| (text, class.to_string()))
            .collect();
        assert_eq!(actual, expected, "{html}");
    }

    fn unescape(html: &str) -> String {
        runs(html)
            .into_iter()
            .map(|(_, t)| t)
            .collect::<String>()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn highlighter_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Highlighter>();
    }

    #[test]
    fn aliases_resolve_case_insensitively() {
        let h = Highlighter::new();
        for (alias, _) in ALIASES {
            assert!(h.knows(alias), "{alias}");
            assert!(h.knows(&alias.to_uppercase()), "{alias} uppercase");
        }
        for (a, b) in [
            ("sh", "bash"),
            ("curl", "BASH"),
            ("JS", "jquery"),
            ("py", "Python3"),
        ] {
            let code = "x = \"1\" # 2\n";
            assert_eq!(hl(code, a), hl(code, b), "{a} vs {b}");
        }
    }

    #[test]
    fn every_alias_target_is_a_loaded_grammar() {
        for (alias, target) in ALIASES {
            if let Target::Syntax(name) = target {
                assert!(
                    SYNTAXES.find_syntax_by_name(name).is_some(),
                    "{alias} -> {name}"
                );
            }
        }
        assert!(SYNTAXES.find_syntax_by_name("PHP").is_some());
        assert!(SYNTAXES.find_syntax_by_name("PHP Source").is_some());
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let out = hl("echo <b> & \"q\"", "bas");
        assert!(!out.known_language);
        assert_eq!(out.html, "echo &lt;b&gt; &amp; \"q\"");
        assert!(!Highlighter::new().knows("bas"));
    }

    #[test]
    fn plain_names_and_missing_lang_are_known_plain_text() {
        let h = Highlighter::new();
        let code = "a < b && \"c\"\n";
        let expected = "a &lt; b &amp;&amp; \"c\"\n";
        for lang in ["text", "plain", "PlainText", "txt", "none", ""] {
            let out = h.highlight(code, Some(lang));
            assert_eq!(out.html, expected, "{lang}");
            assert!(out.known_language, "{lang}");
            assert!(h.knows(lang));
        }
        let out = h.highlight(code, None);
        assert_eq!(out.html, expected);
        assert!(out.known_language);
    }

    #[test]
    fn other_grammars_resolve_by_extension_or_name() {
        let h = Highlighter::new();
        assert!(h.knows("scala"));
        assert!(h.knows("Haskell"));
        assert!(h.knows("tsx"));
        assert!(!h.knows("not-a-language"));
    }

    #[test]
    fn highlighted_code_is_escaped_and_round_trips() {
        let code = "if (a < b && c > \"d\") { x = '&'; }\n";
        let out = hl(code, "js");
        assert!(out.known_language);
        assert_eq!(unescape(&out.html), code);
        assert!(!out.html.contains("< b"));
    }

    #[test]
    fn json_key_string_number_constant() {
        let html = hl(
            "{\"name\": \"Widget\", \"count\": 42, \"ok\": true}\n",
            "json",
        )
        .html;
        assert_eq!(class_of(&html, "name"), "na");
        // The quotes belong to the key, so the key is one span.
        assert!(
            html.contains("<span class=\"na\">\"name\"</span>"),
            "{html}"
        );
        assert_classes(
            &html,
            &[("Widget", "s"), ("42", "m"), ("true", "kc"), (":", "")],
        );
    }

    #[test]
    fn json_string_escape() {
        let html = hl("{\"a\": \"x\\ny\"}", "json").html;
        assert_classes(&html, &[("\\n", "se"), ("x", "s")]);
    }

    #[test]
    fn python_comment_keyword_function_constant() {
        let html = hl(
            "# fetch items\ndef fetch(limit):\n    return None\n",
            "python",
        )
        .html;
        assert!(
            html.starts_with("<span class=\"c\"># fetch items\n</span>"),
            "{html}"
        );
        assert_classes(
            &html,
            &[
                ("def", "k"),
                ("fetch", "nf"),
                ("limit", "nv"),
                ("None", "kc"),
            ],
        );
    }

    #[test]
    fn bash_string_variable_and_command() {
        let html = hl("curl -H 'Accept: json' \"$HOME/x\"\n", "bash").html;
        assert_eq!(class_of(&html, "Accept"), "s");
        assert!(
            html.contains("<span class=\"s\">'Accept: json'</span>"),
            "{html}"
        );
        assert_classes(&html, &[("HOME", "nv"), ("curl", "nf")]);
        // Substitutions inside a string are code, not string.
        let html = hl("echo \"id: ${ID} $(date -u)\"\n", "bash").html;
        assert_classes(&html, &[("${ID}", "nv"), ("date", "nf"), (" -u", "nv")]);
    }

    #[test]
    fn yaml_keys_are_keys() {
        let html = hl("title: \"My API\"\nenabled: true\n", "yaml").html;
        assert_classes(&html, &[("title", "na"), ("My API", "s"), ("true", "kc")]);
    }

    #[test]
    fn punctuation_inside_a_token_takes_its_class() {
        let html = hl("<p class=\"x\">a &amp; b</p>\n", "html").html;
        assert!(
            html.contains("<span class=\"se\">&amp;amp;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"s\">\"x\"</span>"), "{html}");
        assert_classes(&html, &[("p", "nt"), ("class", "na"), ("&lt;", "")]);
    }

    #[test]
    fn a_string_is_one_span_with_its_quotes() {
        let html = hl("x = {\"key\": \"value\"};\n", "javascript").html;
        assert!(
            html.contains("<span class=\"s\">\"value\"</span>"),
            "{html}"
        );
        let py = hl("x = \"value\"\n", "python").html;
        assert!(py.contains("<span class=\"s\">\"value\"</span>"), "{py}");
    }

    #[test]
    fn punctuation_and_whitespace_have_no_span() {
        let html = hl("f(a, [1, 2]);\n", "javascript").html;
        for text in ["(", ", ", "[", "]);"] {
            assert!(
                !html.contains(&format!(">{text}</span>")),
                "{text} in {html}"
            );
        }
        assert!(!html.contains("class=\"p\""), "{html}");
        assert!(!html.contains("&quot;"), "quotes in text need no escaping");
    }

    #[test]
    fn regex_is_one_class() {
        let html = hl("const r = /ab+c\\d/gi;\n", "js").html;
        assert_eq!(class_of(&html, "ab+c"), "sr");
        assert!(html.contains("/ab+c\\d/"), "{html}");
    }

    #[test]
    fn interpolation_is_not_string() {
        let html = hl("s = f\"{limit} items\"\n", "python").html;
        assert_classes(&html, &[(" items", "s"), ("limit", "")]);
    }

    #[test]
    fn adjacent_runs_merge_and_spans_are_never_empty() {
        let samples = [
            ("[[[1, 2]]]\n", "json"),
            ("x = (((1)))\n", "python"),
            ("a() { echo \"$1\"; }\n", "bash"),
            ("# only a comment", "python"),
            ("\n\n\n", "js"),
            ("", "json"),
        ];
        for (code, lang) in samples {
            let html = hl(code, lang).html;
            assert!(!html.contains("\"></span>"), "empty span in {html}");
            let runs = runs(&html);
            for pair in runs.windows(2) {
                assert_ne!(pair[0].0, pair[1].0, "unmerged runs in {html}");
            }
            assert_eq!(unescape(&html), code);
        }
        // Punctuation is plain text: `[[[` has no span at all.
        let html = hl("[[[1]]]", "json").html;
        assert!(
            html.starts_with("[[[<span class=\"m\">1</span>]]]"),
            "{html}"
        );
    }

    #[test]
    fn every_emitted_class_is_documented() {
        let samples = [
            ("{\"a\": [1, null, \"\\u00e9\"]}", "json"),
            (
                "import os\n@dec\nclass A(B):\n  def f(self, x=r'\\d'): return len(x) # c\n",
                "py",
            ),
            ("x=$(echo \"${A:-b}\") && ls -la | grep foo\n", "bash"),
            ("<a href=\"#\">x &amp; y</a>\n", "html"),
            ("# Head\n\n*em* `code`\n", "md"),
            ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", "diff"),
        ];
        let known: Vec<&str> = CLASSES.iter().map(|(c, _)| *c).collect();
        for (code, lang) in samples {
            for (class, _) in runs(&hl(code, lang).html) {
                assert!(
                    class.is_empty() || known.contains(&class.as_str()),
                    "{class}"
                );
            }
        }
    }

    #[test]
    fn trailing_newline_is_preserved_either_way() {
        let with = hl("x = 1\n", "python").html;
        let without = hl("x = 1", "python").html;
        assert!(with.ends_with('\n'));
        assert!(!without.ends_with('\n'));
        assert_eq!(with.trim_end(), without);
    }

    #[test]
    fn long_line_is_plain_text() {
        let code = format!("{{\"a\": \"{}\"}}\n", "x".repeat(MAX_LINE_BYTES));
        let out = hl(&code, "json");
        assert!(out.known_language);
        assert!(!out.html.contains("<span"));
        assert_eq!(out.html, code);
        // Just under the limit still highlights.
        let code = format!("{{\"a\": \"{}\"}}\n", "x".repeat(MAX_LINE_BYTES - 20));
        assert!(hl(&code, "json").html.contains("<span"));
    }

    #[test]
    fn oversized_code_is_plain_text() {
        let line = "{\"key\": 1}\n";
        let code = line.repeat(MAX_CODE_BYTES / line.len() + 1);
        let out = hl(&code, "json");
        assert!(out.known_language);
        assert!(!out.html.contains("<span"));
    }

    #[test]
    fn invalid_code_highlights_without_panicking() {
        let samples = [
            ("{\"a\": 1,, \"b\": None,}\n", "json"),
            ("}}}]]] \"unterminated\n", "json"),
            ("def (:\n  \"\"\"\n", "python"),
            ("<?php ?> <? <?= \n", "php"),
            ("fi done esac }}} ${\n", "bash"),
        ];
        for (code, lang) in samples {
            let out = hl(code, lang);
            assert!(out.known_language);
            assert_eq!(unescape(&out.html), code);
        }
    }

    #[test]
    fn php_without_open_tag_still_highlights() {
        let bare = hl("$client = new Client('key');\n", "php").html;
        assert_eq!(class_of(&bare, "client"), "nv");
        let tagged = hl("<?php\n$client = new Client('key');\n", "php").html;
        assert_eq!(class_of(&tagged, "client"), "nv");
    }

    #[test]
    fn output_is_deterministic() {
        let code = "const a = {b: [1, 'two', null]}; // c\n";
        let first = hl(code, "js");
        for _ in 0..3 {
            assert_eq!(Highlighter::new().highlight(code, Some("js")), first);
        }
        let parallel: Vec<Highlighted> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| hl(code, "js"))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(parallel.iter().all(|out| *out == first));
    }

    #[test]
    fn a_remembered_line_is_reparsed_in_another_state() {
        // The same line, first inside a block comment, then as code: the memo must not
        // hand the comment's parse to the code.
        let commented = hl("/*\nlet total = 1;\n*/\n", "js");
        assert_eq!(class_of(&commented.html, "let total = 1;"), "c");
        let code = hl("let total = 1;\n", "js");
        assert_eq!(class_of(&code.html, "let"), "k");
        assert_eq!(class_of(&code.html, "1"), "m");
        // And from a fresh memo the results are the same.
        forget_lines();
        assert_eq!(hl("let total = 1;\n", "js"), code);
        forget_lines();
        assert_eq!(hl("/*\nlet total = 1;\n*/\n", "js"), commented);
    }

    #[test]
    fn longest_rule_prefix_wins() {
        assert_eq!(RULES.len(), rules().len(), "every rule scope parses");
        let scope = |s| Scope::new(s).unwrap();
        assert_eq!(
            rule_for(scope("keyword.operator.assignment.js")),
            Rule::Class("o")
        );
        assert_eq!(rule_for(scope("keyword.control.flow.js")), Rule::Class("k"));
        assert_eq!(rule_for(scope("entity.name.tag.yaml")), Rule::Class("na"));
        assert_eq!(rule_for(scope("entity.name.tag.html")), Rule::Class("nt"));
        assert_eq!(rule_for(scope("meta.function.python")), Rule::Inherit);
    }

    #[test]
    fn nesting_deep_input_does_not_overflow() {
        let code = "[".repeat(10_000) + &"]".repeat(10_000);
        let out = hl(&code, "json");
        assert_eq!(unescape(&out.html), code);
    }
}

#[cfg(test)]
mod snapshots {
    use super::Highlighter;

    fn hl(code: &str, lang: &str) -> String {
        Highlighter::new().highlight(code, Some(lang)).html
    }

    #[test]
    fn json_body() {
        insta::assert_snapshot!(hl(
            "{\n  \"id\": \"it_1\",\n  \"price\": 9.5,\n  \"tags\": [\"a\\n\", null, true]\n}\n",
            "json"
        ), @r#"
        {
          <span class="na">"id"</span>: <span class="s">"it_1"</span>,
          <span class="na">"price"</span>: <span class="m">9.5</span>,
          <span class="na">"tags"</span>: [<span class="s">"a</span><span class="se">\n</span><span class="s">"</span>, <span class="kc">null</span>, <span class="kc">true</span>]
        }
        "#);
    }

    #[test]
    fn python_call() {
        insta::assert_snapshot!(hl(
            "# List items.\nitems = client.Item.list(limit=3, expand=None)\n",
            "python"
        ), @r#"
        <span class="c"># List items.
        </span>items <span class="o">=</span> client.Item.<span class="nf">list</span>(<span class="nv">limit</span><span class="o">=</span><span class="m">3</span>, <span class="nv">expand</span><span class="o">=</span><span class="kc">None</span>)
        "#);
    }

    #[test]
    fn curl_command() {
        insta::assert_snapshot!(hl(
            "curl https://api.example.com/v1/items \\\n  -u \"$KEY:\" -d limit=3\n",
            "curl"
        ), @r#"
        <span class="nf">curl</span> https://api.example.com/v1/items \
        <span class="nv">  -u</span> <span class="s">"</span><span class="nv">$KEY</span><span class="s">:"</span><span class="nv"> -d</span> limit=3
        "#);
    }
}
