//! A fast path for the Python samples of API docs (a client call: imports, a function,
//! dicts of headers and fields, f-strings): a hand-written lexer that writes the same HTML
//! the Python grammar gives through syntect, for the plain subset of Python such samples
//! are written in, and leaves everything else to the grammar.
//!
//! The grammar decides some classes from context, and the lexer follows it there: a call's
//! name is `nf` (a builtin's `nb`), a keyword argument's name and a parameter's are `nv`,
//! and a dict's keys are `na`, except the first key of a dict whose `{` ends its line
//! (the grammar looks for `key:` on the line of the `{`, and before the first `:` does not
//! yet know it is in a dict). A plain string's braces follow the grammar's formatting
//! rules (`{{`, a whole field, a placeholder that a nested `{…}` opens: all `se`; any other
//! brace is text), so GraphQL queries in strings, as client samples hold them, stay here.
//! Anything the lexer is unsure of (classes, lambdas, `for`, string escapes, `%` and `!r`
//! placeholders, comments inside brackets, builtins it has not been checked on, `except`
//! clauses but for `except a.b.Name:`) returns `None` for the whole sample.

mod strings;

use super::{skip, Writer, PUNCTUATION};
use strings::{plain_string, string};

/// Python's builtin names (Python 2's too, which the grammar also knows): the grammar
/// colours them as builtins or types, each its own way, so a sample using one as a name
/// is the grammar's (but the calls in [`CALLS`]).
const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StandardError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "WindowsError",
    "ZeroDivisionError",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "apply",
    "ascii",
    "basestring",
    "bin",
    "bool",
    "breakpoint",
    "buffer",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "cmp",
    "coerce",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "execfile",
    "exit",
    "file",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "intern",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "long",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "raw_input",
    "reduce",
    "reload",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "unichr",
    "unicode",
    "vars",
    "xrange",
    "zip",
];

/// Builtin functions whose calls the grammar colours `nb` (checked against it).
const CALLS: &[&str] = &["len", "open", "print", "range"];

/// Keywords the grammar colours `k` wherever they stand.
const KEYWORDS: &[&str] = &[
    "break", "continue", "def", "elif", "else", "from", "if", "import", "pass", "raise", "return",
    "try", "while",
];

/// Operators the grammar colours `o`.
const OPERATORS: &[&str] = &[
    "=", "==", "!=", "+", "-", "*", "/", "//", "%", "**", "<", ">", "<=", ">=", "+=", "-=", "*=",
    "/=", "&", "|", "^", "~", "<<", ">>",
];

/// What an open bracket holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A call's arguments; `arg` at the start of one (only there is `name=` surely a
    /// keyword argument to the grammar).
    Call { arg: bool },
    /// A `def`'s parameters; `name` where a parameter's name comes.
    Params { name: bool },
    /// A parenthesised expression.
    Group,
    /// A list.
    List,
    /// A subscript (`x[…]`), where `:` may slice.
    Subscript,
    /// A dict: `mapping` once the grammar knows it is one, `key` where a key comes.
    Dict { mapping: bool, key: bool },
}

/// The token before, for what may follow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Whitespace, the start, an operator, an opening bracket, a comma or a colon.
    Gap,
    /// A name, a closing bracket, a string or a number, with nothing between.
    Value,
    /// A `.` of attribute access.
    Dot,
    /// The name after `def`.
    DefName,
}

/// The HTML of `code` as the Python grammar would highlight it, or `None` when `code`
/// holds anything this lexer does not know.
pub(super) fn highlight(code: &str) -> Option<String> {
    let b = code.as_bytes();
    let mut w = Writer::with_capacity(code.len() * 2);
    let mut stack: Vec<Ctx> = Vec::new();
    // Only whitespace since the last newline outside brackets.
    let mut line_start = true;
    // In an `import` statement, or the `from` clause before one.
    let mut import = Import::No;
    let mut after_def = false;
    let mut prev = Prev::Gap;
    // The token before was a parameter's or keyword argument's name (`nv`).
    let mut named = false;
    let mut bare = false;
    // The statement is `if`, `elif`, `else`, `while`, `try` or `def`, whose `:` ends it.
    let mut compound = false;
    let mut line_end = false;
    let mut star = false;
    let mut def_colon = false;
    // The token before (whitespace aside) ends a value: a name, number, string or bracket.
    let mut value_end = false;
    // The token before was a dict's key.
    let mut keyed = false;
    // The statement so far is a dotted name (which may be assigned to), and whether it
    // assigned yet.
    let mut target = true;
    let mut assigned = false;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let mut after_name = false;
        let mut was_value = value_end;
        let mut after_key = false;
        let was_target = target;
        if !matches!(c, b' ' | b'\t' | b'\n') {
            after_key = std::mem::take(&mut keyed);
            after_name = std::mem::take(&mut named);
            // `pass`, `break`, `continue`, `else`, `try` end their line or take a `:`.
            if std::mem::take(&mut bare) && !matches!(c, b':' | b'#') {
                return None;
            }
            if std::mem::take(&mut line_end) && c != b'#' {
                return None;
            }
            // `*` and `**` before a parameter's name, with nothing between.
            if std::mem::take(&mut star) && !(c.is_ascii_alphabetic() || c == b'_') {
                return None;
            }
            // After a parameter's name: `,`, `)` or `=`.
            if after_name
                && matches!(stack.last(), Some(Ctx::Params { .. }))
                && !matches!(c, b',' | b')' | b'=')
            {
                return None;
            }
            // A subscript holds a key, an index or a slice: nothing bracketed.
            if matches!(c, b'(' | b'[' | b'{') && matches!(stack.last(), Some(Ctx::Subscript)) {
                return None;
            }
            // A bracket after a value and a space (`f (x)`, `a [1]`) is the grammar's.
            if matches!(c, b'(' | b'[' | b'{') && value_end && prev == Prev::Gap {
                return None;
            }
            // An import names modules, nothing else.
            if import != Import::No
                && !(c.is_ascii_alphabetic() || matches!(c, b'_' | b'.' | b',' | b'#'))
            {
                return None;
            }
            // Names imported from a module are single names: the grammar marks a dot `err`.
            if import == Import::FromNames && c == b'.' {
                return None;
            }
            // Where a parameter's name comes, only a name or `*`.
            if matches!(stack.last(), Some(Ctx::Params { name: true }))
                && !(c.is_ascii_alphabetic() || matches!(c, b'_' | b'*' | b')'))
            {
                return None;
            }
            if !(c.is_ascii_alphabetic() || c == b'_' || c == b'.') {
                target = false;
            }
            // Two values in a row (`a b`, `"a" "b"`) are the grammar's; keywords between
            // values (`a if b else c`, `a and b`) are not values.
            let word = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
            let keyword = word > i
                && (KEYWORDS.binary_search(&&code[i..word]).is_ok()
                    || matches!(&code[i..word], "and" | "or" | "not" | "is"));
            let starts_value = c.is_ascii_alphanumeric() || c == b'_' || c == b'"' || c == b'\'';
            if value_end && starts_value && !keyword {
                return None;
            }
            was_value = std::mem::replace(&mut value_end, false);
        }
        // A `def`'s parameters are followed by its `:`.
        if std::mem::take(&mut def_colon) && c != b':' {
            return None;
        }
        // Where a dict's key comes, only a string (or the dict's end) may.
        if let Some(Ctx::Dict { key: true, mapping }) = stack.last().copied() {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'}' | b'"' | b'\'') {
                return None;
            }
            if matches!(c, b'"' | b'\'') {
                i = plain_string(b, i)?;
                let after = skip(b, i, |c| matches!(c, b' ' | b'\t'));
                if b.get(after) != Some(&b':') {
                    return None;
                }
                keyed = true;
                let class = if mapping { "na" } else { "s" };
                w.text((Some(class), false), &code[start..i]);
                if let Some(Ctx::Dict { key, .. }) = stack.last_mut() {
                    *key = false;
                }
                prev = Prev::Value;
                value_end = true;
                continue;
            }
        }
        match c {
            b' ' | b'\t' => {
                i = skip(b, i, |c| matches!(c, b' ' | b'\t'));
                w.text((None, false), &code[start..i]);
                prev = Prev::Gap;
                continue;
            }
            b'\n' => {
                bare = false;
                line_end = false;
                i += 1;
                w.text((None, false), &code[start..i]);
                if stack.is_empty() {
                    if import == Import::From {
                        return None;
                    }
                    line_start = true;
                    import = Import::No;
                    target = true;
                    assigned = false;
                    value_end = false;
                    if after_def {
                        return None;
                    }
                }
                prev = Prev::Gap;
                continue;
            }
            b'#' => {
                if !stack.is_empty() {
                    return None;
                }
                i = code[i..].find('\n').map_or(b.len(), |n| i + n);
                w.text((Some("c"), false), &code[start..i]);
                prev = Prev::Gap;
                continue;
            }
            b'"' | b'\'' if line_start && b[i..].starts_with(&[c, c, c]) => {
                // A string standing as a statement (a docstring) is a comment to the
                // grammar; one on a line of its own, with no escapes, is all this takes.
                if !line_start || !stack.is_empty() {
                    return None;
                }
                let end = code[i + 3..].find(&code[i..i + 3])? + i + 6;
                if code[i..end].contains(['\\', '\n']) {
                    return None;
                }
                i = end;
                w.text((Some("c"), false), &code[start..i]);
                prev = Prev::Value;
                value_end = true;
            }
            b'"' | b'\'' => {
                if line_start || prev == Prev::Value || prev == Prev::Dot {
                    return None;
                }
                i = string(code, i, &mut w)?;
                prev = Prev::Value;
                value_end = true;
            }
            b'f' if matches!(b.get(i + 1), Some(b'"' | b'\'')) => {
                if line_start || prev == Prev::Value || prev == Prev::Dot {
                    return None;
                }
                i = string(code, i, &mut w)?;
                prev = Prev::Value;
                value_end = true;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                i = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
                let name = &code[start..i];
                if name == "except" && line_start && stack.is_empty() {
                    i = except(code, i, &mut w)?;
                    line_end = true;
                    line_start = false;
                    prev = Prev::Gap;
                    continue;
                }
                let next = b.get(i).copied();
                if matches!(next, Some(b'"' | b'\'')) || next.is_some_and(|n| !n.is_ascii()) {
                    return None;
                }
                if prev == Prev::Value {
                    return None;
                }
                let class = name_class(
                    name,
                    (next, b.get(i + 1).copied()),
                    prev,
                    stack.last_mut(),
                    (line_start, was_value),
                    &mut import,
                    &mut after_def,
                )?;
                // `name = …` inside brackets: the grammar's, spaced or not, but for a
                // keyword argument written `name=…`.
                let after = skip(b, i, |c| matches!(c, b' ' | b'\t'));
                if after > i
                    && b.get(after) == Some(&b'=')
                    && b.get(after + 1) != Some(&b'=')
                    && !stack.is_empty()
                {
                    return None;
                }
                // A keyword or constant before `(` is not a call; the grammar's own.
                if next == Some(b'(') && !matches!(class, "nf" | "nb") {
                    return None;
                }
                w.text((Some(class), false), name);
                named = class == "nv";
                bare = line_start && matches!(name, "pass" | "break" | "continue" | "else" | "try");
                if line_start {
                    compound = matches!(name, "if" | "elif" | "else" | "while" | "try" | "def");
                }
                value_end = !matches!(class, "k" | "o");
                target &= class != "k" && class != "o";
                prev = if after_def && name != "def" {
                    Prev::DefName
                } else {
                    Prev::Value
                };
                if class == "o" {
                    prev = Prev::Gap;
                }
            }
            b'0'..=b'9' => {
                if prev == Prev::Value || prev == Prev::Dot {
                    return None;
                }
                i = skip(b, i, |c| c.is_ascii_digit());
                if b.get(i) == Some(&b'.') {
                    i = skip(b, i + 1, |c| c.is_ascii_digit());
                }
                if b.get(i)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                {
                    return None;
                }
                w.text((Some("m"), false), &code[start..i]);
                prev = Prev::Value;
                value_end = true;
            }
            b'.' => {
                // The name before is a value's, not a constant's (`None.x`).
                let word =
                    code[..i].trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
                if prev != Prev::Value
                    || !was_value
                    || matches!(&code[word.len()..i], "None" | "True" | "False")
                    || !b
                        .get(i + 1)
                        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), ".");
                prev = Prev::Dot;
                line_start = false;
                continue;
            }
            b'(' | b'[' | b'{' => {
                let ctx = match c {
                    b'(' if prev == Prev::DefName => {
                        after_def = false;
                        Ctx::Params { name: true }
                    }
                    b'(' if prev == Prev::Gap => Ctx::Group,
                    b'(' => {
                        if !called(b, start) {
                            return None;
                        }
                        Ctx::Call { arg: true }
                    }
                    b'[' if prev == Prev::Value && was_value && subscripted(b, start) => {
                        Ctx::Subscript
                    }
                    b'[' if prev == Prev::Value => return None,
                    b'[' => Ctx::List,
                    _ => {
                        if prev == Prev::Value {
                            return None;
                        }
                        dict(b, i + 1)?
                    }
                };
                if after_def || prev == Prev::Dot {
                    return None;
                }
                stack.push(ctx);
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
                prev = Prev::Gap;
                line_start = false;
                continue;
            }
            b')' | b']' | b'}' => {
                let closed = stack.pop()?;
                def_colon = matches!(closed, Ctx::Params { .. });
                let ok = matches!(
                    (closed, c),
                    (Ctx::Call { .. } | Ctx::Params { .. } | Ctx::Group, b')')
                        | (Ctx::List | Ctx::Subscript, b']')
                        | (Ctx::Dict { .. }, b'}')
                );
                if !ok || prev == Prev::Dot {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
                prev = Prev::Value;
                value_end = true;
            }
            b',' | b':' => {
                if prev == Prev::Dot {
                    return None;
                }
                match (stack.last_mut(), c) {
                    (Some(Ctx::Call { arg }), b',') => {
                        *arg = true;
                        i += 1;
                        w.text((Some(PUNCTUATION), false), ",");
                        prev = Prev::Gap;
                        line_start = false;
                        continue;
                    }
                    (Some(Ctx::Params { name }), b',') => *name = true,
                    (Some(Ctx::Dict { key, .. }), b',') => *key = true,
                    (Some(Ctx::Dict { mapping, .. }), b':') if after_key => *mapping = true,
                    (Some(Ctx::Group | Ctx::List), b',') => {}
                    // A compound statement's header ends its line.
                    (None, b':') if compound => {
                        compound = false;
                        line_end = true;
                    }
                    (Some(Ctx::Subscript), b':') if was_value => {}
                    (None, b',') if matches!(import, Import::Names | Import::FromNames) => {}
                    _ => return None,
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), &code[start..i]);
                prev = Prev::Gap;
            }
            _ if b"=+-*/%<>!&|^~".contains(&c) => {
                if prev == Prev::Dot || after_def {
                    return None;
                }
                i = skip(b, i, |c| b"=+-*/%<>!&|^~".contains(&c));
                let op = &code[start..i];
                if !OPERATORS.contains(&op) {
                    return None;
                }
                // Inside brackets, only a parameter or keyword argument is assigned.
                if op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=") {
                    // Outside brackets, one assignment to the statement's first name;
                    // inside, only to a parameter or keyword argument.
                    let ok = if stack.is_empty() {
                        was_target && !assigned
                    } else {
                        op == "=" && after_name
                    };
                    if !ok {
                        return None;
                    }
                    assigned |= stack.is_empty();
                }
                match stack.last_mut() {
                    Some(Ctx::Params { name }) if op == "=" => *name = false,
                    Some(Ctx::Params { name: true }) if op == "*" || op == "**" => star = true,
                    Some(Ctx::Params { .. }) => return None,
                    _ => {}
                }
                w.text((Some("o"), false), op);
                prev = Prev::Gap;
            }
            _ => return None,
        }
        line_start = false;
        if let Some(Ctx::Call { arg }) = stack.last_mut() {
            *arg = false;
        }
    }
    if !stack.is_empty() || after_def || def_colon {
        return None;
    }
    Some(w.finish())
}

/// Where a line is in an import statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Import {
    No,
    /// After `from`, before its `import`.
    From,
    /// After `import`: the modules imported.
    Names,
    /// After `from`'s `import`: the names imported from its module.
    FromNames,
}

/// The class of the name `name`, followed by the byte `next`, where it stands; `None`
/// when the grammar's class for it is not known here.
fn name_class(
    name: &str,
    (next, next2): (Option<u8>, Option<u8>),
    prev: Prev,
    ctx: Option<&mut Ctx>,
    (line_start, value_end): (bool, bool),
    import: &mut Import,
    after_def: &mut bool,
) -> Option<&'static str> {
    let call = next == Some(b'(');
    // Followed by `=` (an assignment or a keyword argument), not `==`.
    let assign = next == Some(b'=') && next2 != Some(b'=');
    if matches!(ctx.as_deref(), Some(Ctx::Params { name: true }))
        && (!plain_name(name) || BUILTINS.binary_search(&name).is_ok())
    {
        return None;
    }
    if *after_def {
        // The name a `def` defines.
        if !call || !plain_name(name) {
            return None;
        }
        return Some("nf");
    }
    if prev == Prev::Dot {
        // `str.format` is a method to the grammar, though `format` is a builtin.
        if name == "format" && call {
            return Some("nf");
        }
        if (assign && ctx.is_some()) || BUILTINS.binary_search(&name).is_ok() || !plain_name(name) {
            return None;
        }
        return Some(if call { "nf" } else { "n" });
    }
    match name {
        "None" | "True" | "False" if *import != Import::No => return None,
        "None" | "True" | "False" => return Some("kc"),
        "import" if line_start => {
            *import = Import::Names;
            return Some("k");
        }
        // `from a.b import c`: a module named, then its names.
        "from"
            if line_start
                && next == Some(b' ')
                && next2.is_some_and(|c| c.is_ascii_alphabetic()) =>
        {
            *import = Import::From;
            return Some("k");
        }
        "import" if *import == Import::From && prev == Prev::Gap => {
            *import = Import::FromNames;
            return Some("k");
        }
        "import" | "from" => return None,
        // A ternary's: after a value.
        "if" | "else" if !line_start && !value_end => return None,
        "and" | "or" | "is" if !value_end => return None,
        // An import names modules and names, no operator: the grammar marks one `err`.
        "and" | "or" | "not" | "is" if *import != Import::No => return None,
        "not" if value_end => return None,
        "and" | "or" | "not" | "is" => return Some("o"),
        _ if !line_start
            && KEYWORDS.binary_search(&name).is_ok()
            && !matches!(name, "if" | "else") =>
        {
            return None
        }
        "def" if line_start => {
            *after_def = true;
            return Some("k");
        }
        "def" => return None,
        // Python 2's `print` statement, printing a name.
        "print"
            if line_start
                && next == Some(b' ')
                && next2.is_some_and(|c| c.is_ascii_lowercase() || c == b'_') =>
        {
            return Some("k")
        }
        _ if KEYWORDS.binary_search(&name).is_ok() => return Some("k"),
        _ => {}
    }
    if CALLS.contains(&name) && call {
        return Some("nb");
    }
    if !plain_name(name) || BUILTINS.binary_search(&name).is_ok() {
        return None;
    }
    match ctx {
        Some(Ctx::Params { name: at_name }) => {
            if !*at_name {
                return Some(if call { "nf" } else { "n" });
            }
            // A parameter: a name, then `,`, `)` or `=`.
            *at_name = false;
            Some("nv")
        }
        Some(Ctx::Call { arg: true }) if assign => Some("nv"),
        Some(Ctx::Call { .. }) if assign => None,
        _ if assign && ctx.is_some() => None,
        _ => Some(if call { "nf" } else { "n" }),
    }
}

/// A name the grammar gives no class of its own: not a keyword, not `self`/`cls`, not a
/// dunder (but `__name__`), not `_`.
fn plain_name(name: &str) -> bool {
    const OTHER_KEYWORDS: &[&str] = &[
        "as", "assert", "async", "await", "case", "class", "cls", "del", "except", "finally",
        "for", "global", "in", "lambda", "match", "nonlocal", "self", "type", "with", "yield",
    ];
    name != "_"
        && (name == "__name__" || !name.starts_with("__"))
        && !OTHER_KEYWORDS.contains(&name)
        && KEYWORDS.binary_search(&name).is_err()
        && !matches!(
            name,
            "None" | "True" | "False" | "and" | "or" | "not" | "is"
        )
}

/// Whether the `[` at `at` follows what may be subscripted: a name (not a constant) or a
/// closing bracket.
fn subscripted(b: &[u8], at: usize) -> bool {
    let word = b[..at]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
        .map_or(0, |p| p + 1);
    let name = &b[word..at];
    if name.is_empty() {
        return at > 0 && matches!(b[at - 1], b')' | b']');
    }
    !name[0].is_ascii_digit() && !matches!(name, b"None" | b"True" | b"False")
}

/// Whether the `(` at `at` follows a name directly (a call), not a number, a bracket or
/// a string.
fn called(b: &[u8], at: usize) -> bool {
    let word = b[..at]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
        .map_or(0, |p| p + 1);
    word < at && !b[word].is_ascii_digit()
}

/// Writes an `except` clause from `code[end]` (after the keyword) to its `:`: one exception
/// named by a dotted name, which the grammar writes as one plain run, dots and all (a
/// builtin exception, `as`, a tuple are the grammar's); returns the index after the `:`.
fn except(code: &str, end: usize, w: &mut Writer) -> Option<usize> {
    let b = code.as_bytes();
    let name = skip(b, end, |c| c == b' ');
    if name == end {
        return None;
    }
    let mut i = name;
    loop {
        let part = i;
        i = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
        let text = &code[part..i];
        if text.is_empty()
            || text.as_bytes()[0].is_ascii_digit()
            || !plain_name(text)
            || BUILTINS.binary_search(&text).is_ok()
        {
            return None;
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    let colon = skip(b, i, |c| c == b' ');
    if b.get(colon) != Some(&b':') {
        return None;
    }
    w.text((Some("k"), false), "except");
    w.text((None, false), &code[end..name]);
    w.text((Some("n"), false), &code[name..colon]);
    w.text((Some(PUNCTUATION), false), ":");
    Some(colon + 1)
}

/// The dict a `{` opens, from what follows it on its line: a key and `:` (the grammar
/// knows a dict), the line's end (it does not, until the first `:`) or `}`.
fn dict(b: &[u8], after: usize) -> Option<Ctx> {
    let i = skip(b, after, |c| matches!(c, b' ' | b'\t'));
    match b.get(i) {
        Some(b'\n') => Some(Ctx::Dict {
            mapping: false,
            key: true,
        }),
        Some(b'}') => Some(Ctx::Dict {
            mapping: true,
            key: true,
        }),
        Some(b'"' | b'\'') => {
            let end = skip(b, plain_string(b, i)?, |c| matches!(c, b' ' | b'\t'));
            (b.get(end) == Some(&b':')).then_some(Ctx::Dict {
                mapping: true,
                key: true,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests;
