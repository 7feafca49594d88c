//! A fast path for the Ruby samples of API docs that call a client library: `require`, a
//! client made with `Const.new(…)`, a call on it, `puts` of the result, written as the Ruby
//! grammar writes them through syntect. One such sample was all a site loaded the Ruby
//! grammar for, and the grammar's first use (its regexes' compile) cost more than the rest
//! of that site's highlighting. Anything else (keywords, blocks, symbols, escapes,
//! interpolation, operators other than `=`, a call without parentheses) gives the sample up
//! to the grammar.

use super::{skip, Writer, PUNCTUATION};

/// Names the grammar may colour apart (keywords, builtins, pseudo-variables) wherever
/// they stand: a sample naming one as a variable or method is the grammar's.
const RESERVED: &[&str] = &[
    "BEGIN",
    "END",
    "__FILE__",
    "__LINE__",
    "__method__",
    "alias",
    "and",
    "begin",
    "block_given",
    "break",
    "case",
    "catch",
    "class",
    "def",
    "defined",
    "do",
    "else",
    "elsif",
    "end",
    "ensure",
    "extend",
    "false",
    "for",
    "gets",
    "if",
    "in",
    "include",
    "lambda",
    "loop",
    "module",
    "new",
    "next",
    "nil",
    "not",
    "or",
    "p",
    "print",
    "private",
    "proc",
    "protected",
    "public",
    "puts",
    "raise",
    "redo",
    "require",
    "require_relative",
    "rescue",
    "retry",
    "return",
    "self",
    "super",
    "then",
    "throw",
    "true",
    "undef",
    "unless",
    "until",
    "when",
    "while",
    "yield",
];

/// The HTML of `code` as the Ruby grammar would highlight it, or `None`.
pub(super) fn highlight(code: &str) -> Option<String> {
    let mut lx = Lexer {
        code,
        b: code.as_bytes(),
        i: 0,
        w: Writer::with_capacity(code.len() * 2),
    };
    while lx.i < lx.b.len() {
        if lx.b[lx.i] == b'\n' {
            lx.w.text((None, false), "\n");
            lx.i += 1;
            continue;
        }
        lx.statement()?;
        if lx.i < lx.b.len() {
            if lx.b[lx.i] != b'\n' {
                return None;
            }
            lx.w.text((None, false), "\n");
            lx.i += 1;
        }
    }
    Some(lx.w.finish())
}

struct Lexer<'a> {
    code: &'a str,
    b: &'a [u8],
    i: usize,
    w: Writer,
}

impl<'a> Lexer<'a> {
    /// One statement from the start of its line to its end (not the newline):
    /// `require 'x'`, `puts name`, `name = value`.
    fn statement(&mut self) -> Option<()> {
        let name = self.word()?;
        match name {
            "require" => {
                self.emit(Some("k"), name);
                self.gap()?;
                self.string()
            }
            "puts" => {
                self.emit(Some("nb"), name);
                self.gap()?;
                let arg = self.word()?;
                self.local(arg)
            }
            _ => {
                self.local(name)?;
                self.gap()?;
                if self.b.get(self.i) != Some(&b'=') {
                    return None;
                }
                self.i += 1;
                self.emit(Some("o"), "=");
                self.gap()?;
                self.value()
            }
        }
    }

    /// A value: a string, `Const.new(args)` or `name.method(args)`.
    fn value(&mut self) -> Option<()> {
        if matches!(self.b.get(self.i), Some(b'"' | b'\'')) {
            return self.string();
        }
        let name = self.word()?;
        let class = name.as_bytes()[0].is_ascii_uppercase();
        if class {
            if !name.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            self.emit(Some("nc"), name);
        } else {
            self.local(name)?;
        }
        if self.b.get(self.i) != Some(&b'.') {
            return None;
        }
        self.i += 1;
        self.emit(Some(PUNCTUATION), ".");
        let method = self.word()?;
        match (class, method) {
            (true, "new") => self.emit(Some("k"), method),
            (false, _) if !RESERVED.contains(&method) => self.emit(None, method),
            _ => return None,
        }
        self.arguments()
    }

    /// `(a, 'b')`: names and strings.
    fn arguments(&mut self) -> Option<()> {
        if self.b.get(self.i) != Some(&b'(') {
            return None;
        }
        self.i += 1;
        self.emit(Some(PUNCTUATION), "(");
        loop {
            if matches!(self.b.get(self.i), Some(b'"' | b'\'')) {
                self.string()?;
            } else {
                let arg = self.word()?;
                self.local(arg)?;
            }
            match self.b.get(self.i)? {
                b')' => {
                    self.i += 1;
                    self.emit(Some(PUNCTUATION), ")");
                    return Some(());
                }
                b',' if self.b.get(self.i + 1) == Some(&b' ') => {
                    self.i += 2;
                    self.emit(Some(PUNCTUATION), ",");
                    self.emit(None, " ");
                }
                _ => return None,
            }
        }
    }

    /// A lowercase local variable's name, written as plain text.
    fn local(&mut self, name: &str) -> Option<()> {
        let plain = name.as_bytes()[0].is_ascii_lowercase()
            && name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
            && !RESERVED.contains(&name);
        if !plain {
            return None;
        }
        self.emit(None, name);
        Some(())
    }

    /// Strings, adjacent ones joined as Ruby joins them (`"""…"""` is three): single-quoted
    /// ones on one line, double-quoted ones over lines, none with an escape, `#` or `%`.
    fn string(&mut self) -> Option<()> {
        let start = self.i;
        while let Some(&quote) = self.b.get(self.i).filter(|&&c| matches!(c, b'"' | b'\'')) {
            let mut end = self.i + 1;
            loop {
                match *self.b.get(end)? {
                    c if c == quote => break,
                    b'\\' | b'#' | b'%' | b'\r' => return None,
                    b'\n' if quote == b'\'' => return None,
                    _ => end += 1,
                }
            }
            self.i = end + 1;
        }
        let code: &'a str = self.code;
        self.emit(Some("s"), &code[start..self.i]);
        Some(())
    }

    /// A name: letters, digits and `_`.
    fn word(&mut self) -> Option<&'a str> {
        let start = self.i;
        self.i = skip(self.b, self.i, |c| c.is_ascii_alphanumeric() || c == b'_');
        let code: &'a str = self.code;
        let word = &code[start..self.i];
        (!word.is_empty() && !word.as_bytes()[0].is_ascii_digit()).then_some(word)
    }

    /// One space between tokens.
    fn gap(&mut self) -> Option<()> {
        if self.b.get(self.i) != Some(&b' ') || self.b.get(self.i + 1) == Some(&b' ') {
            return None;
        }
        self.i += 1;
        self.emit(None, " ");
        Some(())
    }

    fn emit(&mut self, class: Option<&'static str>, text: &str) {
        self.w.text((class, false), text);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::differential::{mutants_taken, same_as_grammar};

    /// Every construct the lexer takes, each checked against the grammar (and the seeds of
    /// the mutation test in `differential`).
    pub(in super::super) const SAMPLES: &[&str] = &[
        "require 'widgets'\n\nclient = Widgets.new('0f0f')\nquery = \"\"\"\n{\n  Items(\n    first: 1\n  )\n  {\n    id\n  }\n}\"\"\"\nresponse = client.query(query)\nputs response\n",
        "require \"widgets\"\nc = Api2.new(\"k\", 'v')\nr = c.fetch_all(q, 'x')\nputs r\nq = 'a'\"b\"\n",
    ];

    #[test]
    fn the_lexer_writes_what_the_grammar_writes() {
        same_as_grammar("Ruby", super::highlight, SAMPLES);
    }

    /// The samples mutated many times over: the lexer gives each up or writes what the
    /// grammar writes.
    #[test]
    fn mutated_samples_are_given_up_or_agree() {
        let taken = mutants_taken("Ruby", super::highlight, SAMPLES, 5000);
        assert!(taken > 1000, "only {taken} mutated samples were taken");
    }

    /// What the lexer does not know is the grammar's.
    #[test]
    fn anything_else_takes_the_grammar() {
        for code in [
            "puts 'a'\n",
            "x = y\n",
            "x = Foo::Bar.new(a)\n",
            "x = a.b\n",
            "x = \"#{a}\"\n",
            "x = 'a\\'b'\n",
            "x = a.each(b)\n".replace("each", "end").as_str(),
            "self = a.b(c)\n",
            "x = a.b(c) do |d|\nend\n",
            "x = a.b(:c)\n",
            "  x = a.b(c)\n",
            "x = A.create(b)\n",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
