//! A fast path for the GraphQL samples API docs show: one `query` or `mutation` of fields,
//! arguments and literal values, written as the GraphQL grammar writes it through syntect.
//! The grammar is the only one a site of such samples loaded, and its regexes' compile was
//! most of that site's highlighting. Anything else (names of operations, variables,
//! aliases, fragments, directives, comments, escapes, block strings, a keyword where a name
//! stands) gives the sample up to the grammar.

use super::{skip, Writer, PUNCTUATION};

/// Words the grammar may read as keywords or constants wherever they stand.
const RESERVED: &[&str] = &[
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "true",
    "false",
    "null",
    "schema",
    "scalar",
    "enum",
    "input",
    "interface",
    "union",
    "directive",
    "extend",
    "implements",
];

/// The HTML of `code` as the GraphQL grammar would highlight it, or `None`.
pub(super) fn highlight(code: &str) -> Option<String> {
    let mut lx = Lexer {
        code,
        bytes: code.as_bytes(),
        i: 0,
        w: Writer::with_capacity(code.len() * 2),
    };
    lx.space();
    let start = lx.i;
    lx.i = skip(lx.bytes, lx.i, |b| b.is_ascii_alphabetic());
    let keyword = &code[start..lx.i];
    if !matches!(keyword, "query" | "mutation") || !lx.at(b' ') {
        return None;
    }
    lx.w.text((Some("k"), false), keyword);
    lx.space();
    lx.selection()?;
    lx.space();
    (lx.i == lx.bytes.len()).then(|| lx.w.finish())
}

struct Lexer<'a> {
    code: &'a str,
    bytes: &'a [u8],
    i: usize,
    w: Writer,
}

impl Lexer<'_> {
    fn at(&self, b: u8) -> bool {
        self.bytes.get(self.i) == Some(&b)
    }

    /// Spaces and newlines (no tabs, no carriage returns: not proved on the grammar).
    fn space(&mut self) {
        let start = self.i;
        self.i = skip(self.bytes, self.i, |b| b == b' ' || b == b'\n');
        self.w.text((None, false), &self.code[start..self.i]);
    }

    fn punct(&mut self, b: u8) -> Option<()> {
        if !self.at(b) {
            return None;
        }
        self.i += 1;
        self.w
            .text((Some(PUNCTUATION), false), &self.code[self.i - 1..self.i]);
        Some(())
    }

    /// A name (not a reserved word), written as `class`, followed by a byte of `next`.
    fn name(&mut self, class: &'static str, next: &[u8]) -> Option<()> {
        let start = self.i;
        if !self
            .bytes
            .get(start)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            return None;
        }
        self.i = skip(self.bytes, start, |b| {
            b.is_ascii_alphanumeric() || b == b'_'
        });
        let word = &self.code[start..self.i];
        if RESERVED.contains(&word) || !self.bytes.get(self.i).is_some_and(|b| next.contains(b)) {
            return None;
        }
        self.w.text((Some(class), false), word);
        Some(())
    }

    /// `{ field field(args) { … } … }`, at its `{`.
    fn selection(&mut self) -> Option<()> {
        self.punct(b'{')?;
        loop {
            self.space();
            if self.at(b'}') {
                return self.punct(b'}');
            }
            self.name("na", b" \n(}")?;
            if self.at(b'(') {
                self.arguments()?;
            }
            self.space();
            if self.at(b'{') {
                self.selection()?;
            }
        }
    }

    /// `(name: value …)`, at its `(`.
    fn arguments(&mut self) -> Option<()> {
        self.pairs((b'(', b')'), "nv", false)
    }

    /// `{name: value, name: value …}`, at its `{`.
    fn object(&mut self) -> Option<()> {
        self.pairs((b'{', b'}'), "na", true)
    }

    /// Names (written as `class`) and their values between `open` and `close`, apart by
    /// spaces, and by commas where `commas`.
    fn pairs(&mut self, (open, close): (u8, u8), class: &'static str, commas: bool) -> Option<()> {
        self.punct(open)?;
        loop {
            self.space();
            if self.at(close) {
                return self.punct(close);
            }
            self.name(class, b":")?;
            self.punct(b':')?;
            self.space();
            self.value()?;
            self.space();
            if commas && self.at(b',') {
                self.punct(b',')?;
            }
        }
    }

    /// A literal value, then the byte after it is one that may end it.
    fn value(&mut self) -> Option<()> {
        let start = self.i;
        match *self.bytes.get(start)? {
            b'[' => return self.list(),
            b'{' => return self.object(),
            b'"' => {
                let len = self.bytes[start + 1..]
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\\' | b'\n'))?;
                self.i = start + 1 + len;
                if !self.at(b'"') || self.bytes.get(start + 1..start + 3) == Some(b"\"\"") {
                    return None;
                }
                self.i += 1;
                self.w.text((Some("s"), false), &self.code[start..self.i]);
            }
            b'0'..=b'9' => {
                self.i = skip(self.bytes, start, |b| b.is_ascii_digit());
                if self.at(b'.') {
                    let frac = skip(self.bytes, self.i + 1, |b| b.is_ascii_digit());
                    if frac == self.i + 1 {
                        return None;
                    }
                    self.i = frac;
                }
                let number = &self.code[start..self.i];
                if number.len() > 1 && number.starts_with('0') && !number.starts_with("0.") {
                    return None;
                }
                self.w.text((Some("m"), false), number);
            }
            _ => {
                self.i = skip(self.bytes, start, |b| {
                    b.is_ascii_alphanumeric() || b == b'_'
                });
                let word = &self.code[start..self.i];
                self.i = start;
                if matches!(word, "true" | "false") {
                    self.i += word.len();
                    self.w.text((Some("kc"), false), word);
                } else {
                    return self.name("n", b" \n,)]}");
                }
            }
        }
        self.bytes
            .get(self.i)
            .is_some_and(|b| b" \n,)]}".contains(b))
            .then_some(())
    }

    /// `[value, value …]`, at its `[`.
    fn list(&mut self) -> Option<()> {
        self.punct(b'[')?;
        loop {
            self.space();
            if self.at(b']') {
                return self.punct(b']');
            }
            self.value()?;
            self.space();
            if self.at(b',') {
                self.punct(b',')?;
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::differential;

    /// Shapes of the samples the lexer takes: fields, nested selections, arguments of each
    /// kind of value, lists and objects.
    pub(in super::super) const SAMPLES: &[&str] = &[
        "query {\n  Tokens {\n    expired\n    scopes\n  }\n}\n",
        "mutation {\n  Revoke {\n    revoked\n  }\n}\n",
        "query {\n  Places(\n    first: 5\n    order: desc\n    near: \"1,2,3\"\n    open: true\n  )\n  {\n    id\n    kind {\n      name\n    }\n  }\n}\n",
        "query {\n  Status(id: 123456) {\n    done\n    rows {\n      id\n    }\n  }\n}\n",
        "mutation {\n  Create(\n    items: [\n      {kind: warm, value: 37}\n      {kind: cold, value: 0.5}\n    ]\n    tags: [\"a\", \"b\"]\n    shape: {\n      label: \"x\"\n      data: [1, 2, 3]\n      meta: {\n        app: \"cat\"\n      }\n    }\n  ) {\n    id\n  }\n}\n",
    ];

    #[test]
    fn the_fast_path_writes_what_the_grammar_writes() {
        differential::same_as_grammar("GraphQL", super::highlight, SAMPLES);
    }

    #[test]
    fn anything_else_takes_the_grammar() {
        for code in [
            "query Named {\n  a\n}\n",
            "query {\n  a(id: $id)\n}\n",
            "{\n  a\n}\n",
            "query {\n  alias: a\n}\n",
            "query {\n  a @include(if: true)\n}\n",
            "query {\n  # note\n  a\n}\n",
            "query {\n  a(s: \"x\\\"y\")\n}\n",
            "query {\n  a(n: -1)\n}\n",
            "query {\n  ...Frag\n}\n",
            "query {\n  a\n}\nquery {\n  b\n}\n",
            "query {\n\ta\n}\n",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
