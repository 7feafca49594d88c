//! A fast path for the Ruby samples of API docs that call a client library: `require`, a
//! client made with `Const.new(…)`, a call on it, `puts` of the result, written as the Ruby
//! grammar writes them through syntect. One such sample was all a site loaded the Ruby
//! grammar for, and the grammar's first use (its regexes' compile) cost more than the rest
//! of that site's highlighting. Also a method defined (`def name(param)`, a body indented
//! two spaces, `end`) and called at the top, comment lines, and `puts "…#{name}…"` in the
//! body, as a site's first post shows one. Anything else (keywords, blocks, symbols, escapes,
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
        param: None,
    };
    while lx.i < lx.b.len() {
        if lx.b[lx.i] == b'\n' {
            lx.w.text((None, false), "\n");
            lx.i += 1;
            continue;
        }
        let rest = &lx.b[lx.i..];
        if lx.param.is_some()
            && rest.starts_with(b"end")
            && matches!(rest.get(3), None | Some(b'\n'))
        {
            // The method's body ends.
            lx.emit(Some("k"), "end");
            lx.i += 3;
            lx.param = None;
        } else if lx.param.is_some() {
            // A line of the body: indented by two spaces.
            if !rest.starts_with(b"  ") || matches!(rest.get(2), Some(b' ' | b'\t' | b'\n') | None)
            {
                return None;
            }
            lx.emit(None, "  ");
            lx.i += 2;
            lx.statement()?;
        } else if rest[0] == b'#' {
            // A comment line, to its end (`#=>` a result shown).
            let end = code[lx.i..].find('\n').map_or(code.len(), |n| lx.i + n);
            if code[lx.i..end].contains('\r') {
                return None;
            }
            lx.emit(Some("c"), &code[lx.i..end]);
            lx.i = end;
        } else {
            lx.statement()?;
        }
        if lx.i < lx.b.len() {
            if lx.b[lx.i] != b'\n' {
                return None;
            }
            lx.w.text((None, false), "\n");
            lx.i += 1;
        }
    }
    if lx.param.is_some() {
        return None;
    }
    Some(lx.w.finish())
}

struct Lexer<'a> {
    code: &'a str,
    b: &'a [u8],
    i: usize,
    w: Writer,
    /// Inside a method's body (`def name(param)` … `end`): its one parameter.
    param: Option<&'a str>,
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
                if self.b.get(self.i) == Some(&b'"') {
                    return self.interpolated();
                }
                let arg = self.word()?;
                self.local(arg)
            }
            // `def name(param)`, its body on the lines after, to `end`.
            "def" if self.param.is_none() => {
                self.emit(Some("k"), name);
                self.gap()?;
                let method = self.word()?;
                if !self.plain(method) || self.b.get(self.i) != Some(&b'(') {
                    return None;
                }
                self.emit(Some("nf"), method);
                self.i += 1;
                self.emit(Some(PUNCTUATION), "(");
                let param = self.word()?;
                if !self.plain(param) || self.b.get(self.i) != Some(&b')') {
                    return None;
                }
                self.emit(Some("nv"), param);
                self.i += 1;
                self.emit(Some(PUNCTUATION), ")");
                self.param = Some(param);
                Some(())
            }
            // A call of a method at the top: `name(args)`.
            _ if self.param.is_none() && self.b.get(self.i) == Some(&b'(') => {
                self.local(name)?;
                self.arguments()
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
        if !self.plain(name) {
            return None;
        }
        self.emit(None, name);
        Some(())
    }

    /// Whether `name` is a lowercase name the grammar gives no meaning of its own.
    fn plain(&self, name: &str) -> bool {
        name.as_bytes()[0].is_ascii_lowercase()
            && name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
            && !RESERVED.contains(&name)
    }

    /// A double-quoted string on one line whose one interpolation, `#{name}`, names the
    /// method's parameter, the braces punctuation. The grammar writes a name there `n` or
    /// `nb` by a list of its own (`name` is `nb`, `who` is `n`), so only `name`, as a site's
    /// first post writes it, is taken.
    fn interpolated(&mut self) -> Option<()> {
        let param = self.param.filter(|&p| p == "name")?;
        let code: &'a str = self.code;
        let end = code[self.i + 1..].find('"')? + self.i + 1;
        let text = &code[self.i..=end];
        let open = text.find("#{")?;
        let close = open + 2 + param.len();
        if text.get(open + 2..close) != Some(param)
            || text.as_bytes().get(close) != Some(&b'}')
            || text[1..open].contains(['\\', '#', '%', '\n', '\r'])
            || text[close + 1..].contains(['\\', '#', '%', '\n', '\r'])
        {
            return None;
        }
        self.emit(Some("s"), &text[..open]);
        self.emit(Some(PUNCTUATION), "#{");
        self.emit(Some("nb"), param);
        self.emit(Some(PUNCTUATION), "}");
        self.emit(Some("s"), &text[close + 1..]);
        self.i = end + 1;
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
        // A method defined and called, as a site's first post shows one.
        "def greet(name)\n  puts \"Hello, #{name}!\"\nend\ngreet('Ann')\n#=> prints 'Hello, Ann!'\n",
        "# a note\ndef show_all(items)\n  puts items\n  x = items.first(n)\nend\n\nshow_all(list, \"b\")",
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
            "def a(b)\n  puts \"#{c}\"\nend\n",
            "def a(who)\n  puts \"#{who}\"\nend\n",
            "def a(b)\n  puts \"x\"\nend\n",
            "def a(b)\n puts b\nend\n",
            "def a(b)\n  puts b\n",
            "def a(b, c)\n  puts b\nend\n",
            "end\n",
            "x = 1 # a\n",
        ] {
            assert_eq!(super::highlight(code), None, "{code:?}");
        }
    }
}
