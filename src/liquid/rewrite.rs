//! Prepares Liquid source for the `liquid` parser, in one linear pass:
//! - literal text between tags becomes a short sentinel naming its byte range (see
//!   `marks`), so the parser (pest, costly per character) sees only the tags, and the text
//!   is pasted back, with its source position, after rendering; whitespace control (`{%-`,
//!   `-%}`) is applied here for that reason. Inside `{% capture %}` and `{% highlight %}`,
//!   whose text is a value (compared, escaped), text is kept as it is;
//! - `{{ expr }}` becomes endpaper's own output tag and `include`, `highlight` and `assign`
//!   become endpaper's tags, each numbered so it knows its source offset (the parser keeps
//!   none) and can report `file:line:col`;
//! - `<% include path %>` (the design's alternate spelling) is `{% include %}` outside fences;
//! - tags and filters the engine does not know are left out with a located warning, as
//!   Jekyll's lax mode renders around them, instead of failing the whole doc; the lax forms
//!   Ruby Liquid reads past (`split,""`, a stray brace, a filter on a loop's collection) are
//!   repaired, each with a located warning;
//! - blocks are matched with their end tags, so one left open is reported at its opening
//!   tag, and nested deeper than [`MAX_NESTING`] is an error;
//! - `{% comment %}` bodies are dropped and `{% raw %}` bodies kept unparsed. A comment's
//!   body is rewritten on its own as a check (`Rewritten::checks`), which the engine parses
//!   and never renders: Ruby Liquid parses it as it parses any template, and only ignores
//!   the tags it does not know and the stray end tags right inside the comment.

use super::marks::{push_mark, Mark};
use super::names::{destination, lookups, names, range_value};
use liquid_core::Language;
use std::borrow::Cow;

/// The tag name `{{ expr }}` is rewritten to.
pub(crate) const OUT_TAG: &str = "endpaper_out";
/// Tags endpaper implements itself; they get their source offset as first argument.
const OWN: [&str; 6] = [
    "include",
    "highlight",
    "assign",
    "for",
    "tablerow",
    "render",
];

/// How a template is prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// Text as sentinels, and tags write source-map sentinels (a doc before markdown).
    Mapped = 0,
    /// Text as sentinels, no source map (an HTML template).
    Spans = 1,
    /// Text as it is, nothing else (text that becomes a value: inside `capture`).
    Plain = 2,
}

/// One of endpaper's tags as written in the source.
#[derive(Debug, Clone, Default)]
pub(crate) struct TagInfo {
    /// Offset of `{%` / `{{` / `<%` in the rewritten file.
    pub start: usize,
    /// Raw arguments (`include`, `highlight`, `assign`).
    pub args: String,
    /// Whether the tag writes source-map sentinels.
    pub marks: bool,
    /// Whether the tag is where text is written as sentinels (not inside `capture`).
    pub spans: bool,
}

impl TagInfo {
    /// The variant an include at this tag is rendered with.
    pub fn variant(&self) -> Variant {
        match (self.marks, self.spans) {
            (true, _) => Variant::Mapped,
            (false, true) => Variant::Spans,
            _ => Variant::Plain,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Rewritten {
    pub text: String,
    pub tags: Vec<TagInfo>,
    /// (offset in `text`, offset in the source) where a copied run or a tag starts.
    anchors: Vec<(usize, usize)>,
    /// Unknown tags and filters left out, lax forms repaired: (source offset, code, message).
    pub warnings: Vec<Warning>,
    /// Comment bodies, each rewritten from its source offset: parsed for their errors only.
    pub checks: Vec<(usize, Rewritten)>,
}

impl Rewritten {
    /// Source offset of an offset in the rewritten text.
    pub fn original(&self, at: usize) -> usize {
        let i = self
            .anchors
            .partition_point(|(r, _)| *r <= at)
            .saturating_sub(1);
        self.anchors
            .get(i)
            .map_or(at, |(r, o)| o + (at - r.min(&at)))
    }

    /// Takes the ranges `spans` (ascending, near the end of the text) out of the text, and
    /// their anchors with them, moving the anchors that follow.
    fn cut(&mut self, spans: &[(usize, usize)]) {
        for &(a, b) in spans.iter().rev() {
            self.text.replace_range(a..b, "");
            let first = self.anchors.partition_point(|(t, _)| *t < a);
            let gone = self.anchors[first..]
                .iter()
                .take_while(|(t, _)| *t < b)
                .count();
            self.anchors.drain(first..first + gone);
            for an in &mut self.anchors[first..] {
                an.0 -= b - a;
            }
        }
    }

    fn anchor(&mut self, orig: usize) {
        self.anchors.push((self.text.len(), orig));
    }

    /// Literal text `src[from..to]`: as a sentinel, or as it is.
    fn literal(&mut self, src: &str, from: usize, to: usize, spans: bool) {
        if from >= to {
            return;
        }
        self.anchor(from);
        if spans {
            push_mark(&mut self.text, Mark::Span(from, to));
        } else {
            self.text.push_str(&src[from..to]);
        }
    }
}

/// A finding of the rewrite: (source offset, code, message).
pub(crate) type Warning = (usize, &'static str, String);

/// Code of a finding for an unknown tag or filter.
const UNKNOWN: &str = "unsupported-liquid";
/// How the finding for an unknown tag begins.
const UNKNOWN_TAG: &str = "unknown Liquid tag";
/// Code of a finding for lax Liquid that Jekyll accepts and endpaper repairs.
const LAX: &str = "lax-liquid";

/// A source that cannot be parsed: (offset, message).
pub(crate) type Fail = (usize, String);

fn known_tag(lang: &Language, name: &str) -> bool {
    lang.tags.get(name).is_some()
        || lang.blocks.get(name).is_some()
        || matches!(name, "else" | "elsif" | "when")
        || name
            .strip_prefix("end")
            .is_some_and(|b| lang.blocks.get(b).is_some())
}

/// Rewrites `src` (see the module comment).
pub(crate) fn rewrite(src: &str, lang: &Language, variant: Variant) -> Result<Rewritten, Fail> {
    rewrite_from(src, lang, variant, 0, Within::Top(0))
}

/// What the text being rewritten lies in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    /// A template, or a `{% liquid %}` tag's lines, under this many open blocks.
    Top(usize),
    /// A comment's body, under this many open blocks (the comments among them): its own
    /// unknown tags and stray end tags are left alone, as Ruby's `Comment#unknown_tag` does.
    Comment(usize),
}

impl Within {
    fn depth(self) -> usize {
        match self {
            Within::Top(d) | Within::Comment(d) => d,
        }
    }
}

/// [`rewrite`], numbering tags from `first_tag` (for the lines of a `{% liquid %}` tag).
fn rewrite_from(
    src: &str,
    lang: &Language,
    variant: Variant,
    first_tag: usize,
    within: Within,
) -> Result<Rewritten, Fail> {
    let mut r = Rewritten {
        text: String::with_capacity(src.len() / 4),
        tags: vec![TagInfo::default(); first_tag],
        ..Default::default()
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut lit = 0;
    let mut in_fence: Option<(u8, usize)> = None;
    let mut line_start = true;
    // Depth of blocks whose text is a value (`capture`, `highlight`).
    let mut plain = 0usize;
    // Open blocks: (name, offset of their `{%`), so an unclosed one is reported where it
    // opens, not at the end of the file.
    let mut open: Vec<(&str, usize)> = Vec::new();
    // Blocks open around the current point, for Ruby's blank bodies (see [`Blank`]).
    let mut blanks: Vec<Blank> = Vec::new();
    while i < bytes.len() {
        if line_start {
            in_fence = fence_toggle(&src[i..], in_fence);
        }
        line_start = bytes[i] == b'\n';
        let rest = &src[i..];
        let angle = in_fence.is_none()
            && rest.starts_with("<%")
            && rest[2..].trim_start().starts_with("include");
        if !(rest.starts_with("{{") || rest.starts_with("{%") || angle) {
            // To the next byte that may open a tag or a line; a line's start is stepped onto.
            i += rest.chars().next().map_or(1, char::len_utf8);
            let run = (!line_start).then(|| memchr::memchr3(b'{', b'<', b'\n', &bytes[i..]));
            i += run.map_or(0, |k| k.unwrap_or(bytes.len() - i));
            continue;
        }
        let close = match &rest[..2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "%>",
        };
        let Some(len) = rest[2..].find(close) else {
            let what = if close == "}}" {
                "`{{` is never closed by `}}`"
            } else {
                "tag is never closed by `%}`"
            };
            return Err((i, format!("Liquid {what}")));
        };
        let inner = &rest[2..2 + len];
        let mut after = i + 2 + len + 2;
        let trim_left = inner.starts_with('-') && close != "%>";
        let mut trim_right = inner.ends_with('-') && close != "%>";
        let body_start = inner.len() - inner.trim_start_matches('-').trim_start().len();
        let body = inner.trim_start_matches('-').trim_end_matches('-').trim();
        let body_at = i + 2 + body_start;
        let (tag, args) = if close == "}}" {
            ("", body)
        } else {
            body.split_once(char::is_whitespace).unwrap_or((body, ""))
        };
        let args = args.trim();
        let name = tag;
        // The text before the tag, less what `{%-` trims.
        let lit_end = if trim_left {
            lit + src[lit..i].trim_end().len()
        } else {
            i
        };
        let before = r.text.len();
        r.literal(src, lit, lit_end, variant != Variant::Plain && plain == 0);
        Blank::text(&mut blanks, &src[lit..lit_end], before, r.text.len());
        if name == "endcapture" || name == "endhighlight" {
            plain = plain.saturating_sub(1);
        }
        let spans = variant != Variant::Plain && plain == 0;
        let marks = variant == Variant::Mapped && plain == 0;
        let (l, rt) = (
            if trim_left { "-" } else { "" },
            if trim_right { "-" } else { "" },
        );
        let args_at = body_at + (body.len() - args.len());
        if close == "}}" || name == "echo" {
            // `{% echo expr %}` is Ruby Liquid's `{{ expr }}`.
            let (text, at) = if close == "}}" {
                (body, body_at)
            } else {
                (args, args_at)
            };
            let expr = expression(&range_value(text), at, lang, &mut r.warnings);
            Blank::written(&mut blanks);
            r.anchor(i);
            let n = r.tags.len();
            r.text
                .push_str(&format!("{{%{l} {OUT_TAG} {n} {expr} {rt}%}}"));
            r.tags.push(TagInfo {
                start: i,
                marks,
                spans,
                ..Default::default()
            });
        } else {
            if name.is_empty() {
                return Err((i, "empty Liquid tag `{% %}`".into()));
            }
            match name {
                _ if name.starts_with('#') => {
                    // An inline comment: every line of it must start with `#`.
                    if body
                        .lines()
                        .any(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
                    {
                        return Err((
                            i,
                            "each line of an inline comment `{% # … %}` must start with `#`".into(),
                        ));
                    }
                    if !spans && (trim_left || trim_right) {
                        r.anchor(i);
                        r.text
                            .push_str(&format!("{{%{l} comment %}}{{% endcomment {rt}%}}"));
                    }
                }
                "liquid" => {
                    // One tag a line (Ruby Liquid 5): rewritten as those tags, each located
                    // at the `{% liquid` that holds it.
                    let mut tags = String::new();
                    for line in args.split('\n').map(str::trim) {
                        if !line.is_empty() && !line.starts_with('#') {
                            tags.push_str(&format!("{{% {line} %}}"));
                            let word = line.split_whitespace().next().unwrap_or("");
                            if !Blank::quiet(word) {
                                Blank::written(&mut blanks);
                            }
                        }
                    }
                    let inner_variant = if spans { variant } else { Variant::Plain };
                    let depth = Within::Top(within.depth() + open.len());
                    let inner = rewrite_from(&tags, lang, inner_variant, r.tags.len(), depth)
                        .map_err(|(_, msg)| (i, format!("in `{{% liquid %}}`: {msg}")))?;
                    r.anchor(i);
                    r.text
                        .push_str(&format!("{{%{l} comment %}}{{% endcomment %}}"));
                    r.text.push_str(&inner.text);
                    r.text
                        .push_str(&format!("{{% comment %}}{{% endcomment {rt}%}}"));
                    let first = r.tags.len();
                    r.tags.extend(
                        inner
                            .tags
                            .into_iter()
                            .skip(first)
                            .map(|t| TagInfo { start: i, ..t }),
                    );
                    r.warnings.extend(
                        inner
                            .warnings
                            .into_iter()
                            .map(|(_, code, msg)| (i, code, msg)),
                    );
                }
                "raw" | "comment" => {
                    let end_tag = if name == "raw" {
                        "endraw"
                    } else {
                        "endcomment"
                    };
                    let found = if name == "raw" {
                        find_end_tag(src, after, end_tag)
                    } else {
                        comment_end(src, after)
                    };
                    let Some((body_end, end)) = found else {
                        return Err((
                            i,
                            format!("`{{% {name} %}}` is never closed by `{{% {end_tag} %}}`"),
                        ));
                    };
                    trim_right = src[..end - 2].ends_with('-');
                    if name == "raw" {
                        if body_end > after {
                            Blank::written(&mut blanks);
                        }
                        if spans {
                            r.literal(src, after, body_end, true);
                        } else {
                            r.anchor(i);
                            r.text.push_str(&src[i..end]);
                        }
                    } else {
                        let depth = within.depth() + open.len() + 1;
                        if depth > MAX_NESTING {
                            return Err((i, nested_too_deep()));
                        }
                        let body = &src[after..body_end];
                        let mut inner =
                            rewrite_from(body, lang, Variant::Spans, 0, Within::Comment(depth))
                                .map_err(|(at, msg)| (after + at, msg))?;
                        // Nothing in it renders: of its findings only an unknown tag in a
                        // block stands (an error to Ruby, left out by endpaper as anywhere).
                        r.warnings.extend(
                            inner
                                .warnings
                                .drain(..)
                                .filter(|(_, _, msg)| msg.starts_with(UNKNOWN_TAG))
                                .map(|(at, code, msg)| (after + at, code, msg)),
                        );
                        let checks = std::mem::take(&mut inner.checks);
                        r.checks.push((after, inner));
                        r.checks
                            .extend(checks.into_iter().map(|(at, c)| (after + at, c)));
                        if !spans {
                            // Dropped; its whitespace control still applies.
                            let rt = if trim_right { "-" } else { "" };
                            r.anchor(i);
                            r.text
                                .push_str(&format!("{{%{l} comment %}}{{% endcomment {rt}%}}"));
                        }
                    }
                    after = end;
                }
                _ if matches!(within, Within::Comment(_))
                    && open.is_empty()
                    && (!known_tag(lang, name)
                        || matches!(name, "else" | "elsif" | "when")
                        || name.starts_with("end")) => {}
                _ if OWN.contains(&name) => {
                    nest(&mut open, name, i, lang, within.depth())?;
                    Blank::tag(&mut blanks, &mut r, name, lang);
                    r.anchor(i);
                    let n = r.tags.len();
                    let rest = match name {
                        "assign" => {
                            let (dst, value) = args.split_once('=').unwrap_or((args, ""));
                            let args = format!("{}={}", destination(dst), range_value(value));
                            expression(&args, args_at, lang, &mut r.warnings)
                        }
                        "for" | "tablerow" => loop_args(args, args_at, &mut r.warnings),
                        _ => String::new(),
                    };
                    r.text
                        .push_str(&format!("{{%{l} {name} {n} {rest} {rt}%}}"));
                    r.tags.push(TagInfo {
                        start: i,
                        args: args.to_string(),
                        marks,
                        spans,
                    });
                }
                _ if known_tag(lang, name) => {
                    nest(&mut open, name, i, lang, within.depth())?;
                    Blank::tag(&mut blanks, &mut r, name, lang);
                    let args = match name {
                        "capture" => destination(args).into_owned(),
                        "if" | "elsif" | "unless" => {
                            let args = ungrouped(args, args_at, &mut r.warnings);
                            expression(&args, args_at, lang, &mut r.warnings)
                        }
                        _ => expression(args, args_at, lang, &mut r.warnings),
                    };
                    r.anchor(i);
                    r.text.push_str(&format!("{{%{l} {name} {args} {rt}%}}"));
                }
                _ => {
                    Blank::written(&mut blanks);
                    let known = lang.tags.plugin_names().chain(lang.blocks.plugin_names());
                    let hint = super::did_you_mean(name, known);
                    r.warnings.push((
                        i,
                        UNKNOWN,
                        format!("{UNKNOWN_TAG} `{name}` (left out){hint}"),
                    ));
                    if !spans && (trim_left || trim_right) {
                        r.anchor(i);
                        r.text
                            .push_str(&format!("{{%{l} comment %}}{{% endcomment {rt}%}}"));
                    }
                }
            }
        }
        if name == "capture" || name == "highlight" {
            plain += 1;
        }
        // Literal text resumes after the whitespace the tag trims (or, for `highlight`,
        // after the newline that opens its code).
        let mut resume = after;
        if trim_right {
            resume += src[after..].len() - src[after..].trim_start().len();
        }
        if name == "highlight" {
            resume += src[resume..].len() - src[resume..].trim_start_matches('\n').len();
        }
        i = resume;
        lit = i;
    }
    if let Some((name, at)) = open.pop() {
        return Err((
            at,
            format!("`{{% {name} %}}` is never closed by `{{% end{name} %}}`"),
        ));
    }
    let spans = variant != Variant::Plain && plain == 0;
    r.literal(src, lit, bytes.len(), spans);
    Ok(r)
}

/// A block being rewritten, as Ruby Liquid judges it blank: its text only whitespace, its
/// tags only ones that write nothing (`assign`, `capture`, `comment`, blank blocks). Ruby
/// drops the whitespace text of a blank `if`, `unless`, `case` or `for` when it parses it, so
/// `{% if x %}\n  {% assign y = 1 %}\n{% endif %}` writes nothing at all.
struct Blank {
    /// Whether the block drops its whitespace when blank (`capture` is blank to the block
    /// around it, but keeps its own text).
    strips: bool,
    blank: bool,
    /// Ranges of the rewritten text that are this block's own whitespace-only text.
    spaces: Vec<(usize, usize)>,
}

impl Blank {
    /// Tags that write nothing themselves (blocks among them are judged by their bodies).
    fn quiet(name: &str) -> bool {
        matches!(
            name,
            "assign"
                | "capture"
                | "endcapture"
                | "comment"
                | "endcomment"
                | "if"
                | "elsif"
                | "else"
                | "endif"
                | "unless"
                | "endunless"
                | "case"
                | "when"
                | "endcase"
                | "for"
                | "endfor"
        )
    }

    /// Literal text `text`, written at `from..to` of the rewritten text.
    fn text(blanks: &mut [Blank], text: &str, from: usize, to: usize) {
        let Some(b) = blanks.last_mut() else { return };
        if text.is_empty() {
        } else if text
            .bytes()
            .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        {
            b.spaces.push((from, to));
        } else {
            b.blank = false;
        }
    }

    /// Something that writes output (`{{ }}`, `include`, `cycle`, …).
    fn written(blanks: &mut [Blank]) {
        if let Some(b) = blanks.last_mut() {
            b.blank = false;
        }
    }

    /// A known tag `name`: opens, closes or sits in a block.
    fn tag(blanks: &mut Vec<Blank>, r: &mut Rewritten, name: &str, lang: &Language) {
        if lang.blocks.get(name).is_some() {
            blanks.push(Blank {
                strips: matches!(name, "if" | "unless" | "case" | "for"),
                blank: true,
                spaces: Vec::new(),
            });
        } else if let Some(block) = name
            .strip_prefix("end")
            .filter(|b| lang.blocks.get(b).is_some())
        {
            let Some(b) = blanks.pop() else { return };
            if b.strips && b.blank {
                r.cut(&b.spaces);
            }
            // `highlight` and `tablerow` write their own markup, whatever their bodies.
            if !(b.blank || block == "capture") || matches!(block, "highlight" | "tablerow") {
                Blank::written(blanks);
            }
        } else if !Blank::quiet(name) {
            Blank::written(blanks);
        }
    }
}

/// Blocks nested deeper are an error (Ruby Liquid's limit), not a parser or render overflow.
pub const MAX_NESTING: usize = 100;

fn nested_too_deep() -> String {
    format!("Liquid blocks nested deeper than {MAX_NESTING} levels")
}

/// Keeps the stack of open blocks as tag `name` at `at` opens or closes one, under `outer`
/// blocks open around the text.
fn nest<'s>(
    open: &mut Vec<(&'s str, usize)>,
    name: &'s str,
    at: usize,
    lang: &Language,
    outer: usize,
) -> Result<(), Fail> {
    if lang.blocks.get(name).is_some() {
        if outer + open.len() >= MAX_NESTING {
            return Err((at, nested_too_deep()));
        }
        open.push((name, at));
        return Ok(());
    }
    let Some(block) = name
        .strip_prefix("end")
        .filter(|b| lang.blocks.get(b).is_some())
    else {
        return Ok(());
    };
    match open.pop() {
        Some((b, _)) if b == block => Ok(()),
        Some((b, _)) => Err((
            at,
            format!(
                "`{{% {name} %}}` cannot close the `{{% {b} %}}` still open before it; close that with `{{% end{b} %}}` first"
            ),
        )),
        None => Err((at, format!("`{{% {name} %}}` closes no `{{% {block} %}}`"))),
    }
}

/// An expression as the `liquid` parser takes it: the lax forms Jekyll reads repaired
/// (see [`lax`]), and `| name: args` dropped for filters the engine does not have, with a
/// warning each, so the value is shown unfiltered instead of the doc failing.
fn expression(expr: &str, at: usize, lang: &Language, warnings: &mut Vec<Warning>) -> String {
    hyphenated(expr, at, warnings);
    let repaired = lax(&names(&lookups(expr)), at, warnings);
    let expr = repaired.as_str();
    if !expr.contains('|') {
        return repaired;
    }
    // Split at `|` outside quotes.
    let mut parts: Vec<(usize, &str)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (j, c) in expr.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '|') => {
                parts.push((start, &expr[start..j]));
                start = j;
            }
            _ => {}
        }
    }
    parts.push((start, &expr[start..]));
    let mut out = String::with_capacity(expr.len());
    for (k, (off, part)) in parts.into_iter().enumerate() {
        if k > 0 {
            let name: String = part[1..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if lang.filters.get(&name).is_none() {
                let hint = super::did_you_mean(&name, lang.filters.plugin_names());
                warnings.push((
                    at + off,
                    UNKNOWN,
                    format!("unknown Liquid filter `{name}` (the value is shown unfiltered){hint}"),
                ));
                continue;
            }
        }
        out.push_str(part);
    }
    out
}

/// Repairs what Ruby Liquid's lax parser (Jekyll's) reads past, each with a located
/// warning naming the text: a stray `{` or `}` (`{doc.position | round`: Ruby's variable
/// lookup keeps only the name's words), a comma for the colon before a filter's arguments
/// (`split,""`: Ruby's filter-argument pattern takes either), and words between a filter's
/// name and its first `:` or `,` (`replace "a", b`: Ruby's pattern takes an argument only
/// after one of them, so it reads `replace: b`). Offsets stay those of `expr` where nothing
/// was removed before them, so later warnings may be a few bytes off after a removed brace.
fn lax(expr: &str, at: usize, warnings: &mut Vec<Warning>) -> String {
    if !expr.contains(['{', '}', ',', '|']) {
        return expr.to_string();
    }
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<char> = None;
    // (start, end) of the last filter's name while nothing but spaces follows it.
    let mut filter: Option<(usize, usize)> = None;
    // Where the words Ruby does not read as the filter's arguments start, while they last.
    let mut dropped: Option<usize> = None;
    let drop_end = |from: usize, j: usize, warnings: &mut Vec<Warning>| {
        let words = expr[from..j].trim_end();
        warnings.push((
            at + from,
            LAX,
            format!(
                "`{words}` left out of `{}`: a filter's arguments follow its `:` or `,`, as Jekyll reads them",
                expr.trim()
            ),
        ));
    };
    for (j, c) in expr.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if dropped.is_none() {
                out.push(c);
            }
            continue;
        }
        if let Some((start, end)) = filter.filter(|&(_, e)| j >= e && !c.is_whitespace()) {
            filter = None;
            match c {
                ',' => {
                    let name = &expr[start..end];
                    warnings.push((
                        at + j,
                        LAX,
                        format!("`{name},` read as `{name}:`, as Jekyll reads it"),
                    ));
                    out.push(':');
                    continue;
                }
                ':' | '|' => {}
                _ => dropped = Some(j),
            }
        }
        match c {
            '"' | '\'' => quote = Some(c),
            ':' | ',' | '|' if dropped.is_some() => {
                drop_end(dropped.take().unwrap_or_default(), j, warnings);
                if c != '|' {
                    out.push(':');
                    continue;
                }
            }
            '{' | '}' if dropped.is_none() => {
                warnings.push((
                    at + j,
                    LAX,
                    format!(
                        "stray `{c}` in `{}` left out, as Jekyll reads it",
                        expr.trim()
                    ),
                ));
                continue;
            }
            _ => {}
        }
        if c == '|' {
            let rest = &expr[j + 1..];
            let start = j + 1 + rest.len() - rest.trim_start().len();
            let len = expr[start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(expr.len() - start);
            filter = Some((start, start + len));
        }
        if dropped.is_none() {
            out.push(c);
        }
    }
    if let Some(from) = dropped {
        drop_end(from, expr.len(), warnings);
    }
    out
}

/// A condition's words as Ruby Liquid's lax parser reads them: it has no grouping, so a word
/// holding `(` or `)` (other than a range, `(1..3)`) is a variable named by its name-like
/// pieces (`(doc.tall` is `doc.tall`; `3)` names a variable `3`, nil, as does `true)`), and
/// `and`/`or` still group from the right. One located warning per condition names it as it
/// is read, at its first such word.
fn ungrouped<'a>(args: &'a str, at: usize, warnings: &mut Vec<Warning>) -> Cow<'a, str> {
    if !args.contains(['(', ')']) {
        return Cow::Borrowed(args);
    }
    let mut out = String::with_capacity(args.len());
    let mut quote: Option<char> = None;
    let mut start = None;
    let mut first: Option<usize> = None;
    for (j, c) in args.char_indices().chain([(args.len(), ' ')]) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if let Some(from) = start.take() {
                    let word = &args[from..j];
                    match ungrouped_word(word) {
                        Some(read) => {
                            first.get_or_insert(from);
                            out.push_str(&read);
                        }
                        None => out.push_str(word),
                    }
                }
                if j < args.len() {
                    out.push(c);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(j);
    }
    let Some(first) = first else {
        return Cow::Borrowed(args);
    };
    warnings.push((
        at + first,
        LAX,
        format!(
            "`{}` read as `{}`: Jekyll's conditions have no grouping, so a word with `(` or `)` is a variable named by its words",
            args.trim(),
            out.trim()
        ),
    ));
    Cow::Owned(out)
}

/// The variable a condition's word holding `(` or `)` names to Ruby's lax parser, or `None`
/// for a word read as it is (a range, a quoted string, no parenthesis).
fn ungrouped_word(word: &str) -> Option<String> {
    let range = word.starts_with('(') && word.ends_with(')') && word.contains("..");
    let quoted = |q: char| word.len() > 1 && word.starts_with(q) && word.ends_with(q);
    if range || quoted('"') || quoted('\'') || !word.contains(['(', ')']) {
        return None;
    }
    // Ruby's variable pattern: `[…]` lookups and runs of word characters (a `?` may end one).
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = word;
    while let Some(i) = rest.find(|c: char| c == '[' || c.is_alphanumeric() || c == '_' || c == '-')
    {
        rest = &rest[i..];
        let len = if rest.starts_with('[') {
            rest.find(']').map_or(rest.len(), |e| e + 1)
        } else {
            let n = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            n + usize::from(rest[n..].starts_with('?'))
        };
        pieces.push(&rest[..len]);
        rest = &rest[len..];
    }
    Some(match pieces.first() {
        Some(name) if name.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
            let mut v = String::new();
            for (k, p) in pieces.iter().enumerate() {
                if k > 0 && !p.starts_with('[') {
                    v.push('.');
                }
                v.push_str(p);
            }
            if matches!(
                v.as_str(),
                "true" | "false" | "nil" | "null" | "empty" | "blank"
            ) {
                "nil".to_string()
            } else {
                v
            }
        }
        _ => "nil".to_string(),
    })
}

/// `for`/`tablerow` arguments without a filter on the collection (`in list | sort: "x"`),
/// which Ruby's lax parser ignores: Jekyll loops over `list` as it is.
/// Warns about each name that starts with `-` (`{{ -bar }}`): Ruby's lax parser (Jekyll's)
/// reads it as a name, its strict parser rejects it.
fn hyphenated(expr: &str, at: usize, warnings: &mut Vec<Warning>) {
    if !expr.contains('-') {
        return;
    }
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut spaced = true;
    for (j, c) in expr.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '-')
                if (spaced || !(prev.is_alphanumeric() || "_-.])}\"'".contains(prev)))
                    && expr[j + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '_') =>
            {
                let end = expr[j + 1..]
                    .find(|n: char| !(n.is_alphanumeric() || n == '_' || n == '-'))
                    .map_or(expr.len(), |e| j + 1 + e);
                warnings.push((
                    at + j,
                    LAX,
                    format!(
                        "`{}`: a name starting with `-` is read as a name, as Jekyll's lax parser reads it (Liquid's strict parser rejects it)",
                        &expr[j..end]
                    ),
                ));
            }
            _ => {}
        }
        spaced = c.is_whitespace();
        if !spaced {
            prev = c;
        }
    }
}

fn loop_args(args: &str, at: usize, warnings: &mut Vec<Warning>) -> String {
    hyphenated(args, at, warnings);
    let args = &*names(args);
    let mut quote: Option<char> = None;
    for (j, c) in args.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '|') => {
                let dropped = args[j..].trim_end();
                warnings.push((
                    at + j,
                    LAX,
                    format!(
                        "`{dropped}` on a loop's collection is ignored, as Jekyll ignores it (sort with `assign` first)"
                    ),
                ));
                return args[..j].trim_end().to_string();
            }
            _ => {}
        }
    }
    args.to_string()
}

/// Finds `{% end_tag %}` after `from`: (start of the tag, offset after it). Each `{%` is
/// tried on its own, so stray `{%` or `{%}` in a raw block do not hide the end tag, and the
/// scan stays linear.
fn find_end_tag(text: &str, from: usize, end_tag: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = text[at..].find("{%") {
        let start = at + i;
        let rest = text[start + 2..].trim_start_matches('-').trim_start();
        if let Some(after) = rest.strip_prefix(end_tag) {
            let after = after.trim_start().trim_start_matches('-').trim_start();
            if after.starts_with("%}") {
                return Some((start, text.len() - after.len() + 2));
            }
        }
        at = start + 2;
    }
    None
}

/// Finds the `{% endcomment %}` that closes a comment whose body starts at `from`, reading
/// the body as Ruby Liquid 5.4 does: tag by tag (a tag runs to the first `%}`, so an
/// unclosed `{% assign … ` swallows the end tag), comments nested in it closed by their own
/// end tags, and `{% raw %}` bodies skipped whole.
fn comment_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let mut depth = 1usize;
    loop {
        let start = at + text[at..].find(['{'])?;
        let rest = &text[start..];
        if let Some(output) = rest.strip_prefix("{{") {
            at = start + 2 + output.find("}}").map_or(0, |e| e + 2);
            continue;
        }
        if !rest.starts_with("{%") {
            at = start + 1;
            continue;
        }
        let end = start + 2 + rest[2..].find("%}")? + 2;
        let inner = text[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_start();
        let word = inner
            .split(|c: char| c.is_whitespace() || c == '-')
            .next()
            .unwrap_or("");
        at = end;
        match word {
            "comment" => depth += 1,
            "endcomment" => {
                depth -= 1;
                if depth == 0 {
                    return Some((start, end));
                }
            }
            "raw" => at = find_end_tag(text, end, "endraw")?.1,
            _ => {}
        }
    }
}

/// Tracks ``` / ~~~ fences at line starts so `<% include %>` is left alone inside code.
fn fence_toggle(line: &str, state: Option<(u8, usize)>) -> Option<(u8, usize)> {
    let line = line.split('\n').next().unwrap_or("");
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return state;
    }
    let t = &line[indent..];
    let ch = t.bytes().next();
    let run = |c: u8| t.bytes().take_while(|&b| b == c).count();
    match (state, ch) {
        (None, Some(c @ (b'`' | b'~'))) if run(c) >= 3 => Some((c, run(c))),
        (Some((c, n)), Some(x)) if x == c && run(c) >= n && t[run(c)..].trim().is_empty() => None,
        (s, _) => s,
    }
}
