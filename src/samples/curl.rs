//! A curl sample → the requests it sends. The shell words are split here rather than by
//! `shell-words` or `shlex`: those return plain strings, and a sample needs to know which
//! `$TOKEN` the shell would expand (double quotes, bare) and which it would not (single
//! quotes), so the generated code reads the same variable from the environment.

/// One piece of a shell word: text as written, or an environment variable the shell expands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Var(String),
}

/// A shell word (or a part of one) after quote removal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub Vec<Seg>);

impl Text {
    pub fn lit(s: &str) -> Text {
        let mut t = Text::default();
        t.push_str(s);
        t
    }

    fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(Seg::Lit(l)) => l.push_str(s),
            _ => self.0.push(Seg::Lit(s.to_string())),
        }
    }

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    fn append(&mut self, other: &Text) {
        for s in &other.0 {
            match s {
                Seg::Lit(l) => self.push_str(l),
                v => self.0.push(v.clone()),
            }
        }
    }

    /// The text when it holds no variable.
    pub fn as_lit(&self) -> Option<String> {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Lit(l) => s.push_str(l),
                Seg::Var(_) => return None,
            }
        }
        Some(s)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has_vars(&self) -> bool {
        self.0.iter().any(|s| matches!(s, Seg::Var(_)))
    }

    /// As a shell would print it (`$NAME` for variables), for messages and path checks.
    pub fn shown(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Seg::Lit(l) => l.clone(),
                Seg::Var(v) => format!("${v}"),
            })
            .collect()
    }

    /// Splits at every `sep` found in the text's literal parts.
    pub fn split(&self, sep: char) -> Vec<Text> {
        let mut out = vec![Text::default()];
        for seg in &self.0 {
            match seg {
                Seg::Lit(l) => {
                    let mut parts = l.split(sep);
                    if let Some(first) = parts.next() {
                        out.last_mut().expect("never empty").push_str(first);
                    }
                    for p in parts {
                        out.push(Text::lit(p));
                    }
                }
                v => out.last_mut().expect("never empty").0.push(v.clone()),
            }
        }
        out
    }

    /// Splits at the first `sep` of the literal parts.
    pub fn split_once(&self, sep: char) -> Option<(Text, Text)> {
        let mut parts = self.split(sep).into_iter();
        let head = parts.next()?;
        let mut tail: Option<Text> = None;
        for p in parts {
            match &mut tail {
                None => tail = Some(p),
                Some(t) => {
                    t.push(sep);
                    t.append(&p);
                }
            }
        }
        tail.map(|t| (head, t))
    }

    fn starts_with(&self, prefix: &str) -> bool {
        matches!(self.0.first(), Some(Seg::Lit(l)) if l.starts_with(prefix))
    }

    fn strip_prefix(&self, n: usize) -> Text {
        let mut t = self.clone();
        if let Some(Seg::Lit(l)) = t.0.first_mut() {
            l.drain(..n);
            if l.is_empty() {
                t.0.remove(0);
            }
        }
        t
    }

    /// Percent-decodes the literal parts (`+` as a space: a query string's encoding).
    fn form_decoded(&self) -> Text {
        Text(
            self.0
                .iter()
                .map(|s| match s {
                    Seg::Lit(l) => {
                        let plus = l.replace('+', " ");
                        Seg::Lit(crate::links::percent_decode(&plus).unwrap_or(plus))
                    }
                    v => v.clone(),
                })
                .collect(),
        )
    }
}

/// A shell command's words, with the sample line it starts on (0-based).
#[derive(Debug)]
pub struct Command {
    pub words: Vec<Text>,
    pub line: usize,
}

/// What went wrong, and on which line of the sample (0-based), at which byte of it when
/// one character is at fault (`col`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub col: Option<usize>,
    pub message: String,
}

fn var_name(chars: &[char], i: usize) -> Option<(String, usize)> {
    // `$NAME` or `${NAME}`; returns the name and the index after it.
    if chars.get(i) == Some(&'{') {
        let end = chars[i..].iter().position(|c| *c == '}')? + i;
        let name: String = chars[i + 1..end].iter().collect();
        let ok = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        return ok.then_some((name, end + 1));
    }
    let n = chars[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .count();
    (n > 0 && !chars[i].is_ascii_digit()).then(|| (chars[i..i + n].iter().collect(), i + n))
}

/// A `\` with spaces after it at the end of a line: meant to join the next line, it escapes
/// a space instead, and the line break ends the command.
const SPACED_CONTINUATION: &str = "this `\\` is followed by a space, so it does not continue the command on the next line: a shell reads `\\ ` as an escaped space and ends the command at the line break, and runs the next line as a command of its own; remove the space after the `\\`";

/// Splits a sample into shell commands the way sh would read them: quotes, backslash
/// escapes, line continuations, `#` comments, and `;`, `&&`, `||`, newlines between
/// commands. What follows a `|` (a pipe into `jq`, say) is not part of the request.
pub fn commands(src: &str) -> Result<Vec<Command>, Error> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut words: Vec<Text> = Vec::new();
    let mut word: Option<Text> = None;
    let mut line = 0;
    let mut start = 0;
    let mut piped = false;
    let mut i = 0;
    let err = |line: usize, m: &str| Error {
        line,
        col: None,
        message: m.to_string(),
    };
    let end_command =
        |words: &mut Vec<Text>, out: &mut Vec<Command>, start: usize, piped: &mut bool| {
            if !words.is_empty() && !*piped {
                out.push(Command {
                    words: std::mem::take(words),
                    line: start,
                });
            }
            words.clear();
            *piped = false;
        };
    while i < chars.len() {
        let c = chars[i];
        if word.is_none() && words.is_empty() && !" \t\n;&|#".contains(c) {
            start = line;
        }
        match c {
            '\\' if chars.get(i + 1) == Some(&'\n') => {
                line += 1;
                i += 2;
                continue;
            }
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err(err(line, "a backslash ends the sample"));
                };
                let blanks = chars[i + 1..]
                    .iter()
                    .take_while(|c| matches!(c, ' ' | '\t'));
                if n != '\n' && chars.get(i + 1 + blanks.count()) == Some(&'\n') {
                    let from = chars[..i]
                        .iter()
                        .rposition(|c| *c == '\n')
                        .map_or(0, |n| n + 1);
                    return Err(Error {
                        line,
                        col: Some(chars[from..i].iter().map(|c| c.len_utf8()).sum()),
                        message: SPACED_CONTINUATION.into(),
                    });
                }
                word.get_or_insert_with(Text::default).push(n);
                i += 2;
                continue;
            }
            '\'' => {
                let Some(end) = chars[i + 1..].iter().position(|c| *c == '\'') else {
                    return Err(err(line, "a single quote is never closed"));
                };
                let s: String = chars[i + 1..i + 1 + end].iter().collect();
                line += s.matches('\n').count();
                word.get_or_insert_with(Text::default).push_str(&s);
                i += end + 2;
                continue;
            }
            '"' => {
                let w = word.get_or_insert_with(Text::default);
                let open = line;
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(err(open, "a double quote is never closed"));
                    };
                    match d {
                        '"' => break,
                        '\\' if chars.get(i + 1) == Some(&'\n') => {
                            line += 1;
                            i += 1;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            w.push(chars[i + 1]);
                            i += 1;
                        }
                        '$' if chars.get(i + 1) == Some(&'(') => {
                            return Err(err(
                                line,
                                "command substitution `$(…)` cannot be turned into code",
                            ));
                        }
                        '`' => {
                            return Err(err(
                                line,
                                "command substitution `` `…` `` cannot be turned into code",
                            ));
                        }
                        '$' => match var_name(&chars, i + 1) {
                            Some((name, next)) => {
                                w.0.push(Seg::Var(name));
                                i = next;
                                continue;
                            }
                            None => w.push('$'),
                        },
                        '\n' => {
                            line += 1;
                            w.push('\n');
                        }
                        other => w.push(other),
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                return Err(err(
                    line,
                    "command substitution `$(…)` cannot be turned into code",
                ));
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                // ANSI-C quoting: `$'a\nb'`.
                let w = word.get_or_insert_with(Text::default);
                i += 2;
                loop {
                    match chars.get(i) {
                        None => return Err(err(line, "a `$'` quote is never closed")),
                        Some('\'') => break,
                        Some('\\') => {
                            let e = chars.get(i + 1).copied().unwrap_or('\\');
                            w.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                other => other,
                            });
                            i += 1;
                        }
                        Some(&other) => w.push(other),
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            '$' => {
                if let Some((name, next)) = var_name(&chars, i + 1) {
                    word.get_or_insert_with(Text::default)
                        .0
                        .push(Seg::Var(name));
                    i = next;
                } else {
                    word.get_or_insert_with(Text::default).push('$');
                    i += 1;
                }
                continue;
            }
            '`' => {
                return Err(err(
                    line,
                    "command substitution `` `…` `` cannot be turned into code",
                ))
            }
            '#' if word.is_none() => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\n' | ';' | '&' | '|' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
                let double = matches!(c, '&' | '|') && chars.get(i + 1) == Some(&c);
                if double {
                    i += 1;
                }
                end_command(&mut words, &mut out, start, &mut piped);
                // The rest of a pipeline reads curl's output; it is no request.
                piped = c == '|' && !double;
                if c == '\n' {
                    line += 1;
                }
                i += 1;
                continue;
            }
            other => {
                word.get_or_insert_with(Text::default).push(other);
            }
        }
        i += 1;
    }
    if let Some(w) = word.take() {
        words.push(w);
    }
    end_command(&mut words, &mut out, start, &mut piped);
    Ok(out)
}

/// One part of a `multipart/form-data` body (`-F`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Field(Text, Text),
    /// `-F name=@path;type=…`: the file at `path`, sent with its file name.
    File {
        name: Text,
        path: Text,
        mime: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body {
    #[default]
    None,
    /// A body that is valid JSON as written (`--json`, or `-d` with no variable in it).
    Json(super::json::Json),
    /// `-d a=1&b=2` and `--data-urlencode`: `application/x-www-form-urlencoded` pairs.
    Form(Vec<(Text, Text)>),
    /// Any other `-d` body, sent as it is.
    Raw(Text),
    Multipart(Vec<Part>),
}

/// A request one curl command sends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    pub method: String,
    /// The URL without its query string.
    pub url: Text,
    pub query: Vec<(Text, Text)>,
    pub headers: Vec<(Text, Text)>,
    pub body: Body,
    /// `-u user:password` (HTTP basic).
    pub user: Option<(Text, Text)>,
    /// `-k`: the server's certificate is not verified.
    pub insecure: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&Text> {
        self.headers
            .iter()
            .find(|(n, _)| n.as_lit().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v)
    }

    /// The headers a client library sets itself from the body it is given: written by
    /// hand they would contradict it (a multipart boundary) or repeat it.
    pub fn own_headers(&self) -> impl Iterator<Item = &(Text, Text)> {
        let body_sets_type = !matches!(self.body, Body::None | Body::Raw(_));
        self.headers.iter().filter(move |(n, _)| {
            !(body_sets_type
                && n.as_lit()
                    .is_some_and(|n| n.eq_ignore_ascii_case("content-type")))
        })
    }

    /// The path the request goes to: the URL after its host, or after a `$BASE_URL`-style
    /// variable it starts with.
    pub fn path(&self) -> String {
        let shown = self.url.shown();
        let rest = match shown.find("://") {
            Some(i) => &shown[i + 3..],
            None if shown.starts_with('$') => shown.trim_start_matches('$'),
            None if shown.starts_with('/') => return shown,
            None => &shown,
        };
        rest.find('/')
            .map_or_else(|| "/".to_string(), |i| rest[i..].to_string())
    }
}

/// Options that change only what curl prints or how it retries: the request stays the same.
const QUIET_FLAGS: &[&str] = &[
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-i",
    "--include",
    "-v",
    "--verbose",
    "-L",
    "--location",
    "--compressed",
    "-f",
    "--fail",
    "--fail-with-body",
    "-g",
    "--globoff",
    "-N",
    "--no-buffer",
    "--http1.1",
    "--http2",
    "-#",
    "--progress-bar",
];
/// The same, taking a value.
const QUIET_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-m",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "-A",
    "--user-agent",
];

/// True when the command runs curl (`curl …`, `$ curl …`).
pub fn is_curl(cmd: &Command) -> bool {
    let first = cmd
        .words
        .iter()
        .position(|w| w.as_lit().as_deref() != Some("$"));
    first.is_some_and(|i| cmd.words[i].as_lit().as_deref() == Some("curl"))
}

/// True when `code` is a shell sample whose first command is curl.
pub fn is_curl_sample(code: &str) -> bool {
    let first = code
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    first.is_some_and(|l| {
        let l = l.strip_prefix("$ ").unwrap_or(l);
        l == "curl" || l.starts_with("curl ")
    })
}

/// The requests of every curl command in a sample (other commands, such as an `export`,
/// are skipped).
pub fn parse_sample(code: &str) -> Result<Vec<Request>, Error> {
    let mut out = Vec::new();
    for cmd in commands(code)? {
        if is_curl(&cmd) {
            out.push(parse(&cmd).map_err(|message| Error {
                line: cmd.line,
                col: None,
                message,
            })?);
        }
    }
    if out.is_empty() {
        return Err(Error {
            line: 0,
            col: None,
            message: "no curl command found".into(),
        });
    }
    Ok(out)
}

fn header(t: &Text) -> Result<(Text, Text), String> {
    let (n, v) = t
        .split_once(':')
        .ok_or_else(|| format!("header `{}` has no `:`", t.shown()))?;
    let name = n.as_lit().map(|s| s.trim().to_string());
    let name = match name {
        Some(s) if !s.is_empty() => Text::lit(&s),
        Some(_) => return Err(format!("header `{}` has no name", t.shown())),
        None => n,
    };
    let mut value = v;
    if let Some(Seg::Lit(l)) = value.0.first_mut() {
        *l = l.trim_start().to_string();
        if l.is_empty() {
            value.0.remove(0);
        }
    }
    Ok((name, value))
}

fn pairs(t: &Text) -> Vec<(Text, Text)> {
    t.split('&')
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.form_decoded(), v.form_decoded()),
            None => (p.form_decoded(), Text::default()),
        })
        .collect()
}

fn form_part(t: &Text) -> Result<Part, String> {
    let (name, value) = t
        .split_once('=')
        .ok_or_else(|| format!("form field `{}` has no `=`", t.shown()))?;
    if value.starts_with("@") || value.starts_with("<") {
        let rest = value.strip_prefix(1);
        let mut pieces = rest.split(';').into_iter();
        let path = pieces.next().unwrap_or_default();
        let mut mime = None;
        for p in pieces {
            let p = p.as_lit().unwrap_or_default();
            if let Some(m) = p.trim().strip_prefix("type=") {
                mime = Some(m.to_string());
            }
        }
        return Ok(Part::File { name, path, mime });
    }
    Ok(Part::Field(name, value))
}

/// One curl command's options → its request.
pub fn parse(cmd: &Command) -> Result<Request, String> {
    let mut r = Request::default();
    let mut method: Option<String> = None;
    let mut data: Vec<(bool, Text)> = Vec::new();
    let mut json = false;
    let mut parts = Vec::new();
    let mut get = false;
    let mut url: Option<Text> = None;
    let at = cmd
        .words
        .iter()
        .position(|w| w.as_lit().as_deref() == Some("curl"))
        .unwrap_or(0);
    let mut words = cmd.words[at + 1..].iter();
    while let Some(w) = words.next() {
        let lit = w.as_lit();
        let Some(opt) = lit.as_deref().filter(|s| s.starts_with('-') && s.len() > 1) else {
            if url.is_some() {
                return Err(format!(
                    "a second URL `{}` in one curl command (write one command per request)",
                    w.shown()
                ));
            }
            url = Some(w.clone());
            continue;
        };
        // `-XPOST`, `-sSL`, `-H'…'`: a short option's value may follow it in one word.
        let (name, attached) = if opt.starts_with("--") {
            (opt.to_string(), None)
        } else {
            let flags = &opt[1..];
            let takes = |c: char| "XHdFuTe".contains(c);
            match flags.char_indices().find(|(_, c)| takes(*c)) {
                Some((i, c)) => {
                    for f in flags[..i].chars() {
                        let f = format!("-{f}");
                        if f == "-k" {
                            r.insecure = true;
                        } else if f == "-G" {
                            get = true;
                        } else if !QUIET_FLAGS.contains(&f.as_str()) {
                            return Err(format!("unknown curl option `{f}`"));
                        }
                    }
                    let rest = &flags[i + c.len_utf8()..];
                    (
                        format!("-{c}"),
                        (!rest.is_empty()).then(|| w.strip_prefix(i + 1 + c.len_utf8())),
                    )
                }
                None if flags.len() > 1 => {
                    for f in flags.chars() {
                        match f {
                            'k' => r.insecure = true,
                            'G' => get = true,
                            _ if QUIET_FLAGS.contains(&format!("-{f}").as_str()) => {}
                            _ => return Err(format!("unknown curl option `-{f}` in `{opt}`")),
                        }
                    }
                    continue;
                }
                None => (opt.to_string(), None),
            }
        };
        let mut value = |what: &str| -> Result<Text, String> {
            match attached.clone() {
                Some(v) => Ok(v),
                None => words
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("`{name}` needs {what}")),
            }
        };
        match name.as_str() {
            "-X" | "--request" => method = Some(value("a method")?.shown().to_uppercase()),
            "-I" | "--head" => method = Some("HEAD".into()),
            "-H" | "--header" => r.headers.push(header(&value("a header")?)?),
            "-d" | "--data" | "--data-ascii" | "--data-binary" | "--data-raw" => {
                let v = value("a body")?;
                if name != "--data-raw" && v.starts_with("@") {
                    return Err(format!(
                        "`{name} {}` reads the body from a file, which a sample cannot show; put the body in the command",
                        v.shown()
                    ));
                }
                data.push((false, v));
            }
            "--data-urlencode" => data.push((true, value("a body")?)),
            "--json" => {
                json = true;
                data.push((false, value("a JSON body")?));
            }
            "-F" | "--form" => parts.push(form_part(&value("a form field")?)?),
            "-u" | "--user" => {
                let v = value("a user")?;
                r.user = Some(v.split_once(':').unwrap_or((v, Text::default())));
            }
            "-G" | "--get" => get = true,
            "-k" | "--insecure" => r.insecure = true,
            "--url" => {
                url = Some(value("a URL")?);
            }
            "-e" | "--referer" => r.headers.push((Text::lit("Referer"), value("a URL")?)),
            n if QUIET_FLAGS.contains(&n) => {}
            n if QUIET_WITH_VALUE.contains(&n) => {
                value("a value")?;
            }
            n => return Err(format!("unknown curl option `{n}`")),
        }
    }
    let url = url.ok_or("the curl command has no URL")?;
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, pairs(&q)),
        None => (url, Vec::new()),
    };
    r.url = base;
    r.query = query;
    if !parts.is_empty() && !data.is_empty() {
        return Err("`-F` and `-d` in one curl command".into());
    }
    if json {
        r.headers
            .push((Text::lit("Content-Type"), Text::lit("application/json")));
        r.headers
            .push((Text::lit("Accept"), Text::lit("application/json")));
    }
    let has_body = !data.is_empty() || !parts.is_empty();
    r.method = method.unwrap_or_else(|| {
        if has_body && !get {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    if get {
        for (encode, d) in data.drain(..) {
            r.query.extend(data_pairs(encode, &d));
        }
    }
    if !parts.is_empty() {
        r.body = Body::Multipart(parts);
    } else if !data.is_empty() {
        r.body = body(&r, data);
    }
    Ok(r)
}

fn data_pairs(encode: bool, d: &Text) -> Vec<(Text, Text)> {
    if !encode {
        return pairs(d);
    }
    // `--data-urlencode name=value`: the value as written, curl encodes it.
    match d.split_once('=') {
        Some((k, v)) => vec![(k, v)],
        None => vec![(d.clone(), Text::default())],
    }
}

fn body(r: &Request, data: Vec<(bool, Text)>) -> Body {
    let kind = r
        .header("content-type")
        .and_then(Text::as_lit)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let form = kind.is_empty() || kind.starts_with("application/x-www-form-urlencoded");
    let all_pairs = data.iter().all(|(encode, d)| {
        *encode
            || d.as_lit()
                .is_none_or(|s| s.split('&').all(|p| p.contains('=')))
    });
    if data.len() == 1 && !data[0].0 {
        if let Some(j) = data[0]
            .1
            .as_lit()
            .filter(|_| !form || kind.is_empty())
            .and_then(|s| super::json::parse(&s))
        {
            if !form || matches!(j, super::json::Json::Obj(_) | super::json::Json::Arr(_)) {
                return Body::Json(j);
            }
        }
    }
    if form && all_pairs {
        return Body::Form(
            data.iter()
                .flat_map(|(encode, d)| data_pairs(*encode, d))
                .collect(),
        );
    }
    let mut joined = Text::default();
    for (i, (_, d)) in data.iter().enumerate() {
        if i > 0 {
            joined.push('&');
        }
        joined.append(d);
    }
    Body::Raw(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Request {
        let mut all = parse_sample(src).unwrap();
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    fn lit(s: &str) -> Text {
        Text::lit(s)
    }

    #[test]
    fn words_follow_shell_quoting_and_keep_variables() {
        let cmds = commands(
            "curl \"$API/x\" \\\n  -H 'Authorization: Token $NOT' \\\n  -H \"X: ${A}b\" -d a\\ b # c\n",
        )
        .unwrap();
        assert_eq!(cmds.len(), 1);
        let w = &cmds[0].words;
        assert_eq!(
            w[1],
            Text(vec![Seg::Var("API".into()), Seg::Lit("/x".into())])
        );
        assert_eq!(w[3], lit("Authorization: Token $NOT"));
        assert_eq!(
            w[5],
            Text(vec![
                Seg::Lit("X: ".into()),
                Seg::Var("A".into()),
                Seg::Lit("b".into())
            ])
        );
        assert_eq!(w[7], lit("a b"));
        assert_eq!(w.len(), 8);
    }

    #[test]
    fn several_commands_and_their_lines() {
        let src = "# make one\ncurl -X POST https://h/a -d x=1\n\nexport T=1 && curl https://h/b | jq .\n$ curl https://h/c\n";
        let cmds = commands(src).unwrap();
        let lines: Vec<usize> = cmds.iter().map(|c| c.line).collect();
        assert_eq!(lines, [1, 3, 3, 4]);
        let reqs = parse_sample(src).unwrap();
        let paths: Vec<String> = reqs.iter().map(Request::path).collect();
        assert_eq!(paths, ["/a", "/b", "/c"]);
    }

    #[test]
    fn unclosed_quotes_and_substitutions_are_errors_with_their_line() {
        let e = parse_sample("curl https://h/x \\\n  -H 'a: b\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("single quote"), "{e:?}");
        let e = parse_sample("curl https://h/x\ncurl -H \"X: $(date)\" https://h/y").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_sample("curl --frobnicate https://h/x").unwrap_err();
        assert!(e.message.contains("`--frobnicate`"), "{e:?}");
        assert!(parse_sample("curl -H").is_err());
        assert!(parse_sample("curl -s")
            .unwrap_err()
            .message
            .contains("no URL"));
    }

    #[test]
    fn methods_headers_and_query() {
        let r = one("curl -sS -XPUT 'https://h/v2/p/?a=1&b=x+y%21' -H'Accept: text/csv' -k");
        assert_eq!(r.method, "PUT");
        assert_eq!(r.url, lit("https://h/v2/p/"));
        assert_eq!(r.query, [(lit("a"), lit("1")), (lit("b"), lit("x y!"))]);
        assert_eq!(r.headers, [(lit("Accept"), lit("text/csv"))]);
        assert!(r.insecure);
        assert_eq!(r.path(), "/v2/p/");
        assert_eq!(one("curl -I --url https://h").method, "HEAD");
        assert_eq!(one("curl -d a=1 https://h/").method, "POST");
    }

    #[test]
    fn bodies_json_form_raw_and_multipart() {
        let r = one("curl https://h/o -H 'Content-Type: application/json' -d '{\"a\": [1, true]}'");
        assert!(matches!(r.body, Body::Json(_)), "{r:?}");
        let r = one("curl https://h/o --json '{\"a\": 1}'");
        assert!(matches!(r.body, Body::Json(_)));
        assert_eq!(r.method, "POST");
        assert!(r.header("accept").is_some());
        let r = one("curl https://h/o -d a=1 -d 'b=two%20words' --data-urlencode 'q=x y'");
        assert_eq!(
            r.body,
            Body::Form(vec![
                (lit("a"), lit("1")),
                (lit("b"), lit("two words")),
                (lit("q"), lit("x y"))
            ])
        );
        // No Content-Type: curl would say form-encoded, but an object is meant as JSON.
        let r = one("curl https://h/o -d '{\"a\": 1}'");
        assert!(matches!(r.body, Body::Json(_)), "{r:?}");
        let r = one(
            "curl https://h/o -H 'Content-Type: application/x-www-form-urlencoded' -d '{\"a\": 1}'",
        );
        assert!(matches!(r.body, Body::Raw(_)), "{r:?}");
        let r = one("curl https://h/o -H 'Content-Type: text/plain' -d 'hello'");
        assert_eq!(r.body, Body::Raw(lit("hello")));
        let r = one("curl https://h/o -F purpose=sample -F 'file=@a b.pdf;type=application/pdf'");
        assert_eq!(
            r.body,
            Body::Multipart(vec![
                Part::Field(lit("purpose"), lit("sample")),
                Part::File {
                    name: lit("file"),
                    path: lit("a b.pdf"),
                    mime: Some("application/pdf".into())
                }
            ])
        );
        let r = one("curl -G https://h/s -d q=1 --data-urlencode 'w=a b'");
        assert_eq!(r.method, "GET");
        assert_eq!(r.body, Body::None);
        assert_eq!(r.query, [(lit("q"), lit("1")), (lit("w"), lit("a b"))]);
        assert!(parse_sample("curl https://h -d @body.json").is_err());
    }

    #[test]
    fn basic_auth_and_variable_bases() {
        let r = one("curl -u \"admin:$PASSWORD\" \"${BASE_URL}/orders/42\"");
        let (u, p) = r.user.clone().unwrap();
        assert_eq!(u, lit("admin"));
        assert_eq!(p, Text(vec![Seg::Var("PASSWORD".into())]));
        assert_eq!(r.path(), "/orders/42");
        assert!(is_curl_sample("# list\n$ curl https://h\n"));
        assert!(!is_curl_sample("http GET https://h\n"));
    }
}
