//! Which class a piece of code gets: the scope rules, and the class in force at each level
//! of syntect's scope stack.

use super::PUNCTUATION;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;
use syntect::parsing::Scope;

/// The scope rules with their scopes interned, built on first use.
pub(super) static RULES: LazyLock<Vec<(Scope, Rule)>> = LazyLock::new(build_rules);

/// How one scope affects the class of the text inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rule {
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
    /// A JavaScript/TypeScript string quote: string class, but a token of its own, as
    /// Rouge writes it (`"`, `key`, `"`), so text tools (and word-level comparisons with
    /// the Jekyll site the docs come from) see the same tokens.
    Delimiter,
}

/// The scope rules. A scope matches a rule when the rule's scope is an atom-wise prefix of
/// it; the longest matching prefix wins, so specific rules (`keyword.operator`) override
/// general ones (`keyword`). Scopes matching nothing are [`Rule::Inherit`].
pub(super) fn rules() -> &'static [(&'static str, Rule)] {
    use Rule::*;
    &[
        ("comment", Class("c")),
        ("keyword", Class("k")),
        ("storage", Class("k")),
        ("variable.language", Class("k")),
        ("keyword.operator", Class("o")),
        // `in`, `not`, `instanceof`, HTTP verbs: words, so they read as keywords.
        ("keyword.operator.word", Class("k")),
        ("keyword.operator.accessor", Class(PUNCTUATION)),
        ("keyword.other.unit", Weak("k")),
        // JavaScript (Babel) scopes template-literal backticks and `${` as keywords.
        ("keyword.other.template", Weak(PUNCTUATION)),
        ("keyword.other.substitution", Class(PUNCTUATION)),
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
        // number, the `;` of `&amp;`) and is punctuation (no span) only on its own.
        ("punctuation", Weak(PUNCTUATION)),
        ("punctuation.separator.key-value", Class(PUNCTUATION)),
        ("punctuation.section.interpolation", Class(PUNCTUATION)),
        ("punctuation.section.embedded", Class(PUNCTUATION)),
        ("punctuation.definition.variable", Class("nv")),
        // Bash `${NAME:-default}`: the expansion is one variable, wherever it appears.
        ("meta.group.expansion.parameter", Class("nv")),
        ("meta.brace", Class(PUNCTUATION)),
        ("meta.delimiter", Class(PUNCTUATION)),
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

pub(super) fn build_rules() -> Vec<(Scope, Rule)> {
    let mut rules: Vec<(Scope, Rule)> = rules()
        .iter()
        .filter_map(|&(name, rule)| Scope::new(name).ok().map(|scope| (scope, rule)))
        .collect();
    // Longest first, so the first match is the most specific.
    rules.sort_by_key(|(scope, _)| std::cmp::Reverse(scope.len()));
    rules
}

pub(super) fn rule_for(scope: Scope) -> Rule {
    static JS_QUOTES: LazyLock<[Scope; 2]> = LazyLock::new(|| {
        [
            "punctuation.definition.string.begin",
            "punctuation.definition.string.end",
        ]
        .map(|s| Scope::new(s).unwrap_or_default())
    });
    if JS_QUOTES.iter().any(|q| q.is_prefix_of(scope)) {
        let name = scope.build_string();
        if [".js", ".ts", ".tsx", ".jsx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            return Rule::Delimiter;
        }
    }
    RULES
        .iter()
        .find(|(prefix, _)| prefix.is_prefix_of(scope))
        .map_or(Rule::Inherit, |&(_, rule)| rule)
}

/// The class in force at one level of the scope stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Level {
    class: Option<&'static str>,
    in_key: bool,
    sticky: bool,
    /// Text at this level is a span of its own (see [`Rule::Delimiter`]).
    alone: bool,
}

impl Level {
    pub(super) fn push(self, rule: Rule) -> Level {
        if self.sticky && rule != Rule::Reset {
            return self;
        }
        // Only a quote's own level is alone; what it encloses is not.
        let inner = Level {
            alone: false,
            ..self
        };
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
            Rule::Delimiter => Level {
                class: Some(if self.in_key { "na" } else { "s" }),
                alone: true,
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
pub(super) struct ScopeHasher(u64);

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

pub(super) type RuleCache = HashMap<Scope, Rule, BuildHasherDefault<ScopeHasher>>;

/// The class in force, and whether the text is a token of its own.
pub(super) fn current(levels: &[Level]) -> (Option<&'static str>, bool) {
    levels
        .last()
        .map_or((None, false), |level| (level.class, level.alone))
}
