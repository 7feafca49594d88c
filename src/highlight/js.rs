//! A fast path for the JavaScript samples of API docs (a `fetch` call: constants, an
//! async function, object literals, template literals, arrow callbacks; Paw's Node.js
//! template: an immediately called function, `require`, callbacks with block bodies,
//! `?:`, a subscript, a string with escapes; jQuery's `$.get(…, function(data) {…})`): a
//! hand-written lexer that writes the same HTML the JavaScript (Babel) grammar gives
//! through syntect, for the plain subset such samples are written in, and leaves
//! everything else to the grammar.
//!
//! The grammar decides some classes from context, and the lexer follows it there: a
//! call's name is `nf`, an object's key `na` (a quoted one a string), a parameter `nv`;
//! the commas between a call's arguments or an array's items are no punctuation to the
//! grammar (plain text, `n`), nor are the parentheses of a call without arguments. Names
//! the grammar spells in its own patterns ([`GRAMMAR_WORDS`]) are its own, but for the
//! few checked here; a sample using any other (or regexes, classes, division, a `?:`
//! holding an object, escapes but `\"`, `\'`, `\\`, `\n`, `\t`, `\r`) returns `None`
//! for the whole sample. A sample may end with brackets open: the grammar colours a line
//! without looking past it, so what would close them cannot change what it wrote.

mod words;
use super::{interpolated, skip, Writer, PUNCTUATION};
use words::GRAMMAR_WORDS;

/// Keywords the grammar colours `k` (statements, declarations, `await`).
const KEYWORDS: &[&str] = &[
    "async", "await", "break", "catch", "const", "continue", "else", "for", "function", "if",
    "let", "return", "this", "throw", "try", "var",
];

/// Words of [`GRAMMAR_WORDS`] its patterns spell only after `console.` or `process.`.
const MEMBER_WORDS: &[&str] = &["error", "log", "version"];

/// Operators the grammar colours `o`.
const OPERATORS: &[&str] = &[
    "=", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "+=", "-=", "+", "-", "*", "||", "&&", "!",
];

/// What an open bracket holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// A block of statements.
    Block,
    /// An object literal; `key` where a key comes.
    Object { key: bool },
    /// A call's arguments.
    Call,
    /// A function's parameters; `name` where a parameter's name comes, `expr` for a
    /// function expression's (its body ends a value).
    Params { name: bool, expr: bool },
    /// The body of a function expression or of an arrow function: a block whose `}` ends a
    /// value.
    Body,
    /// A parenthesised expression at a statement's start (an immediately called function).
    Group,
    /// The arguments of a call of a parenthesised expression: one, no commas.
    Invoke,
    /// A subscript after a value: one string.
    Index,
    /// Between a conditional's `?` and its `:`.
    Ternary,
    /// An arrow function's parameters.
    Arrow,
    /// The head of an `if`, `for`, `while` or `catch`.
    Head,
    /// The head of a `for`: `;`, declarations and assignments stand in it.
    ForHead,
    /// An array literal.
    Array,
}

/// Whether statements stand in `top`.
fn statements(top: Option<Ctx>) -> bool {
    matches!(top, None | Some(Ctx::Block | Ctx::Body))
}

/// The HTML of `code` as the JavaScript (Babel) grammar would highlight it, or `None`
/// when `code` holds anything this lexer does not know.
pub(super) fn highlight(code: &str) -> Option<String> {
    let b = code.as_bytes();
    let mut w = Writer::with_capacity(code.len() * 2);
    let mut stack: Vec<Ctx> = Vec::new();
    // At a statement's start: the sample's start, after `;`, `{` or `}` of a block.
    let mut statement = true;
    // The token before (whitespace aside) ends a value.
    let mut value = false;
    // The token before, whitespace aside.
    let mut last = Last::Start;
    // The whitespace before the token holds a line break.
    let mut line_break = false;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        if matches!(c, b' ' | b'\t' | b'\n') {
            i = skip(b, i, |c| matches!(c, b' ' | b'\t' | b'\n'));
            line_break |= code[start..i].contains('\n');
            w.text((None, false), &code[start..i]);
            continue;
        }
        let mut was_statement = std::mem::replace(&mut statement, false);
        let mut was_value = std::mem::replace(&mut value, false);
        let after_break = std::mem::replace(&mut line_break, false);
        let before = std::mem::replace(&mut last, Last::Other);
        // A block's `{` follows a function's parameters, a head, `else` or `try`; nothing
        // else may come there.
        let name_start = c.is_ascii_alphabetic() || c == b'_';
        let fits = match before {
            Last::Block | Last::BlockKeyword | Last::FunctionBody => c == b'{',
            Last::Function | Last::New | Last::Dot => name_start,
            Last::Async => name_start || c == b'(',
            Last::HeadKeyword
            | Last::ForKeyword
            | Last::Callee
            | Last::BuiltinCallee
            | Last::FunctionName
            | Last::Anonymous => c == b'(',
            Last::Arrow => c == b'=',
            Last::Key => c == b':',
            _ => true,
        };
        if !fits {
            return None;
        }
        let top = stack.last().copied();
        // A subscript holds one string.
        if top == Some(Ctx::Index) && !matches!(c, b'\'' | b'"' | b']') {
            return None;
        }
        // A value at a line's start after a value is a statement of its own (no `;`
        // between them): only a plain name, a call's or an object's, may start one.
        if was_value && after_break && name_start && statements(top) && before == Last::Other {
            let end = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
            let name = &code[i..end];
            let plain = !name.is_empty()
                && b[i].is_ascii_lowercase()
                && KEYWORDS.binary_search(&name).is_err()
                && GRAMMAR_WORDS.binary_search(&name).is_err()
                && !matches!(name, "new" | "null" | "true" | "false" | "undefined");
            if !plain {
                return None;
            }
            was_value = false;
            was_statement = true;
        }
        // Where an object's key comes: a name, a string, `...` or the object's end.
        if let Some(Ctx::Object { key: true }) = top {
            if !(c.is_ascii_alphabetic() || c == b'_' || matches!(c, b'\'' | b'"' | b'.' | b'}')) {
                return None;
            }
        }
        match c {
            b'/' => {
                if !was_statement || !statements(top) {
                    return None;
                }
                i = match b.get(i + 1) {
                    Some(b'/') => code[i..].find('\n').map_or(b.len(), |n| i + n),
                    Some(b'*') => code[i + 2..].find("*/")? + i + 4,
                    _ => return None,
                };
                w.text((Some("c"), false), &code[start..i]);
                statement = true;
                last = Last::Start;
            }
            b'\'' | b'"' => {
                if was_value {
                    return None;
                }
                w.text((Some("s"), true), &code[i..i + 1]);
                // A quoted key whose value is a function is the function's name.
                let method = top == Some(Ctx::Object { key: true }) && {
                    let close = skip(b, i + 1, |x| x != c && x != b'\\' && x != b'\n');
                    b.get(close) == Some(&c) && method_key(b, close + 1)
                };
                if method {
                    let close = skip(b, i + 1, |x| x.is_ascii_alphanumeric() || x == b'_');
                    if b.get(close) != Some(&c) || close == i + 1 || b[i + 1].is_ascii_digit() {
                        return None;
                    }
                    w.text((Some("nf"), false), &code[i + 1..close]);
                }
                let mut run = i + 1;
                let end = loop {
                    let at = skip(b, run, |x| x != c && x != b'\\' && x != b'\n');
                    if !method {
                        w.text((Some("s"), false), &code[run..at]);
                    }
                    match b.get(at) {
                        Some(&x) if x == c => break at,
                        // A character escape: a backslash and one of these.
                        Some(b'\\') if b.get(at + 1).is_some_and(|x| b"\"'\\nrt".contains(x)) => {
                            w.text((Some("se"), false), &code[at..at + 2]);
                            run = at + 2;
                        }
                        _ => return None,
                    }
                };
                w.text((Some("s"), true), &code[end..end + 1]);
                i = end + 1;
                if !method && top == Some(Ctx::Object { key: true }) && method_key(b, i) {
                    return None;
                }
                if let Some(Ctx::Object { key: true }) = top {
                    if b.get(skip(b, i, |c| c == b' ')) != Some(&b':') {
                        return None;
                    }
                    set_key(&mut stack, false);
                    last = Last::Key;
                } else {
                    value = true;
                }
            }
            b'`' => {
                if was_value {
                    return None;
                }
                i = template(code, i, &mut w)?;
                value = true;
            }
            b'0'..=b'9' => {
                if was_value || matches!(top, Some(Ctx::Arrow | Ctx::Params { name: true, .. })) {
                    return None;
                }
                i = skip(b, i, |c| c.is_ascii_digit());
                if b.get(i) == Some(&b'.') {
                    i = skip(b, i + 1, |c| c.is_ascii_digit());
                }
                if b.get(i).is_some_and(|&c| {
                    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$'
                }) {
                    return None;
                }
                w.text((Some("m"), false), &code[start..i]);
                value = true;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                i = skip(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
                if b.get(i).is_some_and(|&c| c == b'$' || !c.is_ascii()) {
                    return None;
                }
                let name = &code[start..i];
                let (class, now) = name_class(name, b, i, before, top, was_statement, was_value)?;
                w.text((Some(class), false), name);
                match now {
                    Now::Value => value = true,
                    Now::Shorthand => {
                        set_key(&mut stack, false);
                        value = true;
                    }
                    Now::Key => {
                        set_key(&mut stack, false);
                        last = Last::Key;
                    }
                    Now::Param => {
                        if let Some(Ctx::Params { name, .. }) = stack.last_mut() {
                            *name = false;
                        }
                        value = true;
                    }
                    // Only a plain call's empty `()` is plain text to the grammar.
                    Now::Keyword(Last::Callee) if class != "nf" => last = Last::BuiltinCallee,
                    Now::Keyword(k) => last = k,
                }
            }
            b'(' => {
                // `( )` is a call without arguments to the grammar, as `()` is.
                let inner = skip(b, i + 1, |c| matches!(c, b' ' | b'\t' | b'\n'));
                if inner > i + 1 && b.get(inner) == Some(&b')') {
                    return None;
                }
                let ctx = match before {
                    Last::Callee if b.get(i + 1) == Some(&b')') => {
                        // A call without arguments: its parentheses are plain text.
                        i += 2;
                        w.text((None, false), "()");
                        value = true;
                        last = Last::Other;
                        continue;
                    }
                    Last::Callee => Ctx::Call,
                    Last::BuiltinCallee if b.get(i + 1) != Some(&b')') => Ctx::Call,
                    Last::FunctionName => Ctx::Params {
                        name: true,
                        expr: false,
                    },
                    Last::Anonymous => Ctx::Params {
                        name: true,
                        expr: true,
                    },
                    Last::HeadKeyword => Ctx::Head,
                    Last::ForKeyword => Ctx::ForHead,
                    Last::GroupEnd if b.get(i + 1) != Some(&b')') => Ctx::Invoke,
                    _ if !was_value && arrow_params(b, i) => Ctx::Arrow,
                    _ if was_statement => Ctx::Group,
                    _ => return None,
                };
                stack.push(ctx);
                i += 1;
                w.text((Some(PUNCTUATION), false), "(");
                last = Last::Open;
            }
            b')' => {
                let closed = stack.pop()?;
                match closed {
                    Ctx::Call | Ctx::Invoke => value = true,
                    Ctx::Group => {
                        value = true;
                        last = Last::GroupEnd;
                    }
                    Ctx::Params { expr: true, .. } => last = Last::FunctionBody,
                    Ctx::Params { .. } | Ctx::Head | Ctx::ForHead => last = Last::Block,
                    Ctx::Arrow => last = Last::Arrow,
                    _ => return None,
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), ")");
            }
            b'{' => {
                let ctx = match before {
                    Last::Block | Last::BlockKeyword => Ctx::Block,
                    Last::FunctionBody | Last::ArrowBody => Ctx::Body,
                    _ if top == Some(Ctx::Ternary) => return None,
                    _ if !was_value && !matches!(before, Last::Arrow | Last::Start) => {
                        Ctx::Object { key: true }
                    }
                    _ => return None,
                };
                if matches!(ctx, Ctx::Block | Ctx::Body) {
                    statement = true;
                }
                stack.push(ctx);
                i += 1;
                w.text((Some(PUNCTUATION), false), "{");
            }
            b'}' => {
                match stack.pop()? {
                    Ctx::Block => {
                        statement = true;
                        last = Last::BlockEnd;
                    }
                    Ctx::Object { .. } | Ctx::Body => value = true,
                    _ => return None,
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), "}");
            }
            b'[' => {
                // A subscript follows its value at once.
                let index = was_value
                    && matches!(
                        b.get(i.wrapping_sub(1)),
                        Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')
                    );
                if was_value && !index {
                    return None;
                }
                stack.push(if index { Ctx::Index } else { Ctx::Array });
                i += 1;
                w.text((Some(PUNCTUATION), false), "[");
            }
            b']' => {
                if !matches!(stack.pop()?, Ctx::Array | Ctx::Index) {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), "]");
                value = true;
            }
            b',' => {
                if !was_value {
                    return None;
                }
                i += 1;
                match stack.last_mut() {
                    // Between a call's arguments or an array's items, the grammar's comma
                    // is plain text.
                    Some(Ctx::Call | Ctx::Array) => w.text((None, false), ","),
                    Some(Ctx::Object { key }) => {
                        *key = true;
                        w.text((Some(PUNCTUATION), false), ",");
                    }
                    Some(Ctx::Params { name, .. }) => {
                        *name = true;
                        w.text((Some(PUNCTUATION), false), ",");
                    }
                    Some(Ctx::Arrow) => w.text((Some(PUNCTUATION), false), ","),
                    _ => return None,
                }
            }
            b';' => {
                if !(statements(top) || top == Some(Ctx::ForHead))
                    || !(was_value || matches!(before, Last::Bare))
                {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), ";");
                statement = top != Some(Ctx::ForHead);
            }
            b':' if top == Some(Ctx::Ternary) => {
                if !was_value || b.get(i + 1) != Some(&b' ') {
                    return None;
                }
                stack.pop();
                i += 1;
                w.text((Some(PUNCTUATION), false), ":");
            }
            b'?' => {
                // A conditional's `?` stands between spaces, or ends its line.
                if !was_value
                    || b.get(i.wrapping_sub(1)) != Some(&b' ')
                    || !matches!(b.get(i + 1), Some(b' ' | b'\n'))
                {
                    return None;
                }
                stack.push(Ctx::Ternary);
                i += 1;
                w.text((Some("o"), false), "?");
            }
            // jQuery's `$`, as the object of a member.
            b'$' if !was_value && before != Last::Dot && b.get(i + 1) == Some(&b'.') => {
                i += 1;
                w.text((None, false), "$");
                value = true;
            }
            b':' => {
                if before != Last::Key {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), ":");
            }
            b'.' if b[i..].starts_with(b"...") => {
                if was_value || !matches!(top, Some(Ctx::Object { .. } | Ctx::Call | Ctx::Array)) {
                    return None;
                }
                set_key(&mut stack, false);
                i += 3;
                if !b
                    .get(i)
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                {
                    return None;
                }
                w.text((Some("o"), false), "...");
            }
            b'.' => {
                if matches!(top, Some(Ctx::Params { .. } | Ctx::Arrow | Ctx::Index))
                    || !was_value
                    || !b
                        .get(i + 1)
                        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                {
                    return None;
                }
                i += 1;
                w.text((Some(PUNCTUATION), false), ".");
                last = Last::Dot;
            }
            b'=' if b.get(i + 1) == Some(&b'>') => {
                if before != Last::Arrow {
                    return None;
                }
                i += 2;
                w.text((Some("k"), false), "=>");
                last = Last::ArrowBody;
            }
            _ if b"=!<>+-*&|".contains(&c) => {
                i = skip(b, i, |c| b"=!<>+-*&|".contains(&c));
                let op = &code[start..i];
                if !OPERATORS.contains(&op) || (op == "!") == was_value {
                    return None;
                }
                // A binary operator stands between spaces (`a<b` may open JSX or type
                // arguments to the grammar).
                if op != "!"
                    && (b.get(i) != Some(&b' ') || b.get(start.wrapping_sub(1)) != Some(&b' '))
                {
                    return None;
                }
                // Assignments stand as statements, in a `for` head or as defaults.
                if op.ends_with('=')
                    && !matches!(op, "==" | "===" | "!=" | "!==" | "<=" | ">=")
                    && !matches!(
                        top,
                        None | Some(Ctx::Block | Ctx::Body | Ctx::ForHead | Ctx::Params { .. })
                    )
                {
                    return None;
                }
                // `-1` is a number to the grammar, whatever stands before it.
                if b.get(i).is_some_and(|c| c.is_ascii_digit()) && op != "=" {
                    return None;
                }
                if let Some(Ctx::Params { .. }) = top {
                    if op != "=" || !was_value {
                        return None;
                    }
                }
                w.text((Some("o"), false), op);
            }
            _ => return None,
        }
    }
    // A sample may end with brackets open (the grammar writes each line as it goes, so
    // what comes after cannot change it), but not in a string or after a token that
    // wants one more.
    if matches!(
        last,
        Last::Block | Last::Arrow | Last::Dot | Last::FunctionBody | Last::Anonymous
    ) {
        return None;
    }
    Some(w.finish())
}

/// The token before, for what may follow it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Last {
    Start,
    Other,
    /// `(`.
    Open,
    /// A name followed by `(`: a call.
    Callee,
    /// A builtin's or class's name followed by `(`.
    BuiltinCallee,
    /// The name a `function` declares.
    FunctionName,
    /// `if`, `catch`, whose head follows.
    HeadKeyword,
    /// `for`, whose head follows.
    ForKeyword,
    /// `else`, `try`: a block follows.
    BlockKeyword,
    /// A function's parameters or a head: its block follows.
    Block,
    /// A block's end (`else`, `catch` may follow).
    BlockEnd,
    /// An arrow function's parameters: `=>` follows.
    Arrow,
    /// `=>`: its body follows.
    ArrowBody,
    /// An object's key: `:` follows.
    Key,
    /// `.` of member access.
    Dot,
    /// A statement keyword that may end its statement (`return`, `continue`, `break`).
    Bare,
    /// A keyword an expression follows (`const x`, `return`, `await`, `new`, `throw`).
    Keyword,
    /// `new`: a constructor follows.
    New,
    /// `function`: its name follows.
    Function,
    /// `function` of a function expression: its parameters follow.
    Anonymous,
    /// A function expression's parameters: its body follows.
    FunctionBody,
    /// A parenthesised expression's `)`: a call of it may follow.
    GroupEnd,
    /// `async`: `function` or an arrow follows.
    Async,
}

/// What a name leaves behind.
enum Now {
    Value,
    /// A shorthand property (`{ name }`): a value where a key stood.
    Shorthand,
    Key,
    Param,
    Keyword(Last),
}

fn set_key(stack: &mut [Ctx], to: bool) {
    if let Some(Ctx::Object { key }) = stack.last_mut() {
        *key = to;
    }
}

/// The class of the name ending at `b[end]` where it stands, and what follows; `None` when
/// the grammar's class for it is not known here.
fn name_class(
    name: &str,
    b: &[u8],
    end: usize,
    before: Last,
    top: Option<Ctx>,
    statement: bool,
    value: bool,
) -> Option<(&'static str, Now)> {
    if value {
        return None;
    }
    let next = b.get(end).copied();
    let call = next == Some(b'(');
    let member = before == Last::Dot;
    // A word the grammar spells only as a member of `console` or `process` is a plain
    // name anywhere else.
    let known =
        GRAMMAR_WORDS.binary_search(&name).is_ok() && (member || !MEMBER_WORDS.contains(&name));
    let capital = name.as_bytes()[0].is_ascii_uppercase();
    let all_caps = name
        .bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_');
    let after = |s: &str| b[end..].starts_with(s.as_bytes());
    // The name before this member's `.`, alone (`console.log`, not `my_console.log`).
    let object = |s: &str| {
        let dot = end - name.len() - 1;
        b[..dot].ends_with(s.as_bytes())
            && !b[..dot - s.len()]
                .last()
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.')
    };
    if member {
        let class = match name {
            "get" | "then" | "catch" | "stringify" | "toString" | "setTimeout" if call => "nf",
            "version" if !call && object("process") => "nc",
            "log" | "error" if call && object("console") => "nb",
            "id" if !call => "n",
            "env" if !call && after(".") && object("process") => "nc",
            _ if known || capital && !all_caps => return None,
            _ if call => "nf",
            _ => "n",
        };
        return Some((
            class,
            if call {
                Now::Keyword(Last::Callee)
            } else {
                Now::Value
            },
        ));
    }
    if top == Some(Ctx::Object { key: true }) {
        let colon = b.get(skip(b, end, |c| c == b' ')) == Some(&b':');
        // Any name before `:` is a key to the grammar, its own words too.
        if !colon && (known || capital && !all_caps) {
            return None;
        }
        return Some(if colon && method_key(b, end) {
            ("nf", Now::Key)
        } else if colon {
            ("na", Now::Key)
        } else if matches!(next, Some(b',' | b'}' | b'\n')) {
            ("n", Now::Shorthand)
        } else {
            return None;
        });
    }
    if let Some(Ctx::Params { name: at_name, .. }) = top {
        if !at_name || known || capital || next == Some(b'(') {
            return None;
        }
        return Some(("nv", Now::Param));
    }
    if top == Some(Ctx::Arrow) {
        if known || capital {
            return None;
        }
        return Some(("nv", Now::Value));
    }
    // A keyword is followed by one space and its operand on the line (or, ending its
    // statement, by `;`).
    let spaced = after(" ")
        && b.get(end + 1)
            .is_some_and(|&c| !matches!(c, b' ' | b'\t' | b'\n'));
    let keyword = |class, last| {
        if spaced || (last == Last::Bare && next == Some(b';')) {
            Some((class, Now::Keyword(last)))
        } else {
            None
        }
    };
    match name {
        "const" | "let" | "var"
            if statement || (top == Some(Ctx::ForHead) && before == Last::Open) =>
        {
            return keyword("k", Last::Keyword)
        }
        "return" | "throw" if statement => return keyword("k", Last::Bare),
        "continue" | "break" if statement => return keyword("k", Last::Bare),
        "if" if statement && next == Some(b' ') => return keyword("k", Last::HeadKeyword),
        "for" if statement && next == Some(b' ') => return keyword("k", Last::ForKeyword),
        "try" if statement && next == Some(b' ') => return keyword("k", Last::BlockKeyword),
        "else" if before == Last::BlockEnd && next == Some(b' ') => {
            return keyword("k", Last::BlockKeyword)
        }
        "catch" if before == Last::BlockEnd && next == Some(b' ') => {
            return keyword("k", Last::HeadKeyword)
        }
        "function" if (matches!(before, Last::Async) || statement) && after(" ") => {
            return keyword("k", Last::Function)
        }
        "async" if statement && after(" function ") => return keyword("k", Last::Async),
        "async" if !statement && after(" (") => return keyword("k", Last::Other),
        "await" => return keyword("k", Last::Keyword),
        "new" if !statement => return keyword("o", Last::New),
        // A function expression, as a call's argument or in parentheses.
        "function"
            if (matches!(top, Some(Ctx::Call | Ctx::Group))
                || top == Some(Ctx::Object { key: false })
                    && method_value(b, end - name.len()))
                && (next == Some(b'(') || after(" (")) =>
        {
            return Some(("k", Now::Keyword(Last::Anonymous)))
        }
        "null" | "true" | "false" | "undefined" if !statement => return Some(("kc", Now::Value)),
        _ => {}
    }
    if before == Last::Function {
        if known || capital || !call {
            return None;
        }
        return Some(("nf", Now::Keyword(Last::FunctionName)));
    }
    if before == Last::New {
        return match name {
            "Promise" | "Error" if call => Some(("nc", Now::Keyword(Last::Callee))),
            _ => None,
        };
    }
    if KEYWORDS.binary_search(&name).is_ok() {
        return None;
    }
    let class = match name {
        "setTimeout" | "require" if call => "nb",
        "Number" if call => "nc",
        "JSON" | "console" | "process" | "Buffer" if after(".") => "nc",
        _ if known || capital && !all_caps => return None,
        _ if call => "nf",
        _ => "n",
    };
    Some((
        class,
        if call {
            Now::Keyword(Last::Callee)
        } else {
            Now::Value
        },
    ))
}

/// Whether a key ending at `b[at]` is a method's: `:` and a function expression follow.
fn method_key(b: &[u8], at: usize) -> bool {
    let blank = |c| matches!(c, b' ' | b'\t');
    let at = skip(b, at, blank);
    b.get(at) == Some(&b':') && {
        let rest = &b[skip(b, at + 1, blank)..];
        rest.starts_with(b"function(") || rest.starts_with(b"function (")
    }
}

/// Whether the value at `b[at]` follows its key's `:` on the key's line (a method's, as
/// [`method_key`] reads it).
fn method_value(b: &[u8], at: usize) -> bool {
    let head = b[..at].trim_ascii_end();
    head.ends_with(b":") && !b[head.len()..at].contains(&b'\n')
}

/// Whether `b[at]` (a `(`) opens an arrow function's parameters: `(`, names and commas,
/// `)`, ` =>`.
fn arrow_params(b: &[u8], at: usize) -> bool {
    let end = skip(b, at + 1, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b',' | b' ')
    });
    b.get(end) == Some(&b')') && b[end + 1..].starts_with(b" =>")
}

/// Writes the template literal at `code[start]` (a backtick), whose fields are names or
/// dotted names; returns the index after it.
fn template(code: &str, start: usize, w: &mut Writer) -> Option<usize> {
    let b = code.as_bytes();
    let mut run = start;
    let mut i = start + 1;
    loop {
        match *b.get(i)? {
            b'`' => {
                w.text((Some("s"), false), &code[run..=i]);
                return Some(i + 1);
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                w.text((Some("s"), false), &code[run..i]);
                w.text((Some(PUNCTUATION), false), "${");
                i += 2;
                i = interpolated(code, i, w, |name| {
                    GRAMMAR_WORDS.binary_search(&name).is_err()
                        && KEYWORDS.binary_search(&name).is_err()
                })?;
                run = i;
            }
            b'\\' | b'$' | b'\n' => return None,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
pub(super) mod tests;
