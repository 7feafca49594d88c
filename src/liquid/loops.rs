//! `{% for %}` and `{% tablerow %}`, forked from `liquid-lib` 0.26's `ForBlock` and
//! `TableRowBlock` (MIT) so that a loop can never take the process down, and made to loop
//! as Ruby Liquid 5.4 (Jekyll's) does:
//! - a range `(a..b)` is iterated, not made into an array first (`liquid-lib` allocates
//!   every number of `(1..100000000)` before the first iteration);
//! - every iteration of a render counts against [`MAX_ITERATIONS`], and passing it stops
//!   the render with an error at the loop's tag;
//! - Ruby's loop: `offset: continue`, `forloop.name`, commas between arguments, a string
//!   is one item and anything else not iterable none, `limit`/`offset`/`cols` read as
//!   integers (`'2'`, `2.6`), and `tablerow`'s markup and `tablerowloop`.

use super::{parsing_tag, with_state};
use liquid_core::model::{KString, KStringRef, ObjectView, Value, ValueCow, ValueView};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};
use std::collections::HashMap;
use std::io::Write;

/// Loop iterations one render may run, all loops together (a site's sitemap over 100,000
/// docs is a tenth of it).
pub const MAX_ITERATIONS: usize = 1_000_000;

/// Which loop a block is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    For,
    TableRow,
}

/// `for` or `tablerow`, by its [`Kind`].
#[derive(Copy, Clone, Debug)]
pub struct LoopBlock(Kind);

impl LoopBlock {
    pub const FOR: LoopBlock = LoopBlock(Kind::For);
    pub const TABLEROW: LoopBlock = LoopBlock(Kind::TableRow);
}

impl BlockReflection for LoopBlock {
    fn start_tag(&self) -> &str {
        match self.0 {
            Kind::For => "for",
            Kind::TableRow => "tablerow",
        }
    }
    fn end_tag(&self) -> &str {
        match self.0 {
            Kind::For => "endfor",
            Kind::TableRow => "endtablerow",
        }
    }
    fn description(&self) -> &str {
        "a loop as Ruby Liquid runs it, with ranges iterated lazily and a limit on iterations"
    }
}

enum Collection {
    Array(Expression),
    Range(Expression, Expression),
}

enum Offset {
    At(Expression),
    /// `offset: continue`: where the last loop of the same name stopped.
    Continue,
}

impl ParseBlock for LoopBlock {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        parse(self.0, arguments, tokens, options)
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

fn parse(
    kind: Kind,
    mut arguments: TagTokenIter<'_>,
    mut tokens: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let n: usize = arguments
        .expect_next("endpaper tag number expected")?
        .as_str()
        .parse()
        .map_err(|_| Error::with_msg("endpaper tag number expected"))?;
    let start = parsing_tag(n).start;
    let var_name = arguments
        .expect_next("Identifier expected.")?
        .expect_identifier()
        .into_result()?;
    arguments
        .expect_next("\"in\" expected.")?
        .expect_str("in")
        .into_result_custom_msg("\"in\" expected.")?;
    let range = arguments.expect_next("Array or range expected.")?;
    let name = format!("{var_name}-{}", range.as_str());
    let collection = match range.expect_value() {
        TryMatchToken::Matches(array) => Collection::Array(array),
        TryMatchToken::Fails(range) => match range.expect_range() {
            TryMatchToken::Matches((a, b)) => Collection::Range(a, b),
            TryMatchToken::Fails(range) => return range.raise_error().into_err(),
        },
    };
    let mut limit = None;
    let mut offset = None;
    let mut cols = None;
    let mut reversed = false;
    while let Some(token) = arguments.next() {
        match (kind, token.as_str()) {
            // Ruby reads attributes anywhere, commas between them or not.
            (_, ",") => {}
            (_, "limit") => limit = Some(attr(&mut arguments)?),
            (_, "offset") => {
                offset = Some(match attr_token(&mut arguments)? {
                    Some(e) => Offset::At(e),
                    None => Offset::Continue,
                })
            }
            (Kind::For, "reversed") => reversed = true,
            (Kind::TableRow, "cols") => cols = Some(attr(&mut arguments)?),
            _ => {
                return token
                    .raise_custom_error("\"limit\", \"offset\" or \"reversed\" expected.")
                    .into_err();
            }
        }
    }
    let mut item = Vec::new();
    let mut otherwise = None;
    while let Some(element) = tokens.next()? {
        match element {
            BlockElement::Tag(mut tag) if tag.name() == "else" && kind == Kind::For => {
                tag.tokens().expect_nothing()?;
                otherwise = Some(Template::new(tokens.parse_all(options)?));
                break;
            }
            BlockElement::Tag(tag) => item.push(tag.parse(&mut tokens, options)?),
            element => item.push(element.parse(&mut tokens, options)?),
        }
    }
    tokens.assert_empty();
    Ok(Box::new(Loop {
        kind,
        start,
        name,
        var_name: KString::from_ref(var_name),
        collection,
        item: Template::new(item),
        otherwise,
        limit,
        offset,
        cols,
        reversed,
    }))
}

fn attr(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    attr_token(arguments)?.ok_or_else(|| Error::with_msg("Value expected."))
}

/// An attribute's value; `None` for `continue`.
fn attr_token(arguments: &mut TagTokenIter<'_>) -> Result<Option<Expression>> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    let value = arguments.expect_next("Value expected.")?;
    if value.as_str() == "continue" {
        return Ok(None);
    }
    Ok(Some(value.expect_value().into_result()?))
}

struct Loop {
    kind: Kind,
    start: usize,
    /// `forloop.name`: the variable and the collection as written.
    name: String,
    var_name: KString,
    collection: Collection,
    item: Template,
    otherwise: Option<Template>,
    limit: Option<Expression>,
    offset: Option<Offset>,
    cols: Option<Expression>,
    reversed: bool,
}

impl std::fmt::Debug for Loop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{% for {} %}}", self.name)
    }
}

/// Where each loop name stopped, for `offset: continue`.
#[derive(Default)]
struct Offsets(HashMap<String, usize>);

/// The array of a range value `(a..b)`, its ends read with [`to_int`] (nil as 0); `None`
/// when it would hold more than a value may (`filters::MAX_ITEMS`).
pub(crate) fn range_array(a: &dyn ValueView, b: &dyn ValueView) -> Option<liquid_core::Value> {
    let int = |v: &dyn ValueView| to_int(v).unwrap_or(0);
    let (a, b) = (int(a), int(b));
    if i128::from(b) - i128::from(a) >= super::filters::MAX_ITEMS as i128 {
        return None;
    }
    Some(liquid_core::Value::Array(
        (a..=b).map(liquid_core::Value::scalar).collect(),
    ))
}

/// A value as Ruby's `to_i` reads it: numbers truncated, a string's leading integer.
pub(crate) fn to_int(value: &dyn ValueView) -> Option<i64> {
    let s = value.as_scalar()?;
    if let Some(i) = s.to_integer() {
        return Some(i);
    }
    if let Some(f) = s.to_float() {
        return Some(f.trunc() as i64);
    }
    let text = s.to_kstr();
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().ok()
}

fn whole(value: &dyn ValueView, what: &str) -> Result<i64> {
    to_int(value).ok_or_else(|| {
        Error::with_msg(format!(
            "Expected whole number, found `{}`",
            value.type_name()
        ))
        .context(what.to_string(), value.to_kstr().into_owned())
    })
}

fn eval_attr(attr: Option<&Expression>, rt: &dyn Runtime) -> Result<Option<usize>> {
    match attr {
        Some(a) => Ok(Some(
            whole(a.evaluate(rt)?.as_view(), "attribute")?.max(0) as usize
        )),
        None => Ok(None),
    }
}

/// The items of a loop: the values of an array (or an object's `[key, value]` pairs), or
/// the numbers of a range, which are made one at a time.
enum Items<'r> {
    Values(Vec<ValueCow<'r>>),
    Numbers(i64, usize),
}

impl Items<'_> {
    fn len(&self) -> usize {
        match self {
            Items::Values(v) => v.len(),
            Items::Numbers(_, n) => *n,
        }
    }
}

/// What a value iterates as in Ruby: an array's items, a hash's pairs, a non-empty string
/// as one item; anything else (nil, a number, a boolean) as nothing.
///
/// A hash's pairs come in the order its keys were written, as Ruby's do: the vendored
/// `liquid-core` keeps an object's insertion order, and the site's data is read in order.
fn values(array: &dyn ValueView) -> Vec<ValueCow<'_>> {
    if let Some(x) = array.as_array() {
        x.values().map(ValueCow::Borrowed).collect()
    } else if let Some(x) = array.as_object() {
        x.iter()
            .map(|(k, v)| Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()]).into())
            .collect()
    } else if array.as_scalar().is_some_and(|s| {
        s.to_integer().is_none() && s.to_float().is_none() && s.to_bool().is_none()
    }) && !array.to_kstr().is_empty()
    {
        vec![ValueCow::Borrowed(array)]
    } else {
        Vec::new()
    }
}

impl Renderable for Loop {
    fn render_to(&self, writer: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let evaluated;
        let items = match &self.collection {
            Collection::Array(e) => {
                evaluated = e.evaluate(rt)?;
                Items::Values(values(evaluated.as_view()))
            }
            Collection::Range(a, b) => {
                let a = whole(a.evaluate(rt)?.as_view(), "start")?;
                let b = whole(b.evaluate(rt)?.as_view(), "end")?;
                let n = if b < a { 0 } else { (b - a).saturating_add(1) };
                Items::Numbers(a, usize::try_from(n).unwrap_or(usize::MAX))
            }
        };
        let limit = eval_attr(self.limit.as_ref(), rt)?;
        let offset = match &self.offset {
            Some(Offset::At(e)) => eval_attr(Some(e), rt)?.unwrap_or(0),
            Some(Offset::Continue) => {
                let offsets = rt.registers().get_mut::<Offsets>();
                offsets.0.get(&self.name).copied().unwrap_or(0)
            }
            None => 0,
        };
        let total = items.len();
        let first = offset.min(total);
        let len = limit.map_or(total - first, |l| l.min(total - first));
        rt.registers()
            .get_mut::<Offsets>()
            .0
            .insert(self.name.clone(), first + len);
        if self.kind == Kind::TableRow {
            return self.table(writer, rt, &items, first, len);
        }
        if len == 0 {
            if let Some(t) = &self.otherwise {
                t.render_to(writer, rt)?;
            }
            return Ok(());
        }
        let parent = rt.try_get(&[liquid_core::model::Scalar::new("forloop")]);
        // A `render … for` loop is no parent: Ruby keeps its loop stack per render.
        let parent = parent
            .as_ref()
            .map(|v| v.as_view())
            .filter(|p| p.as_object().is_none_or(|o| !o.contains_key(RENDER_LOOP)));
        for i in 0..len {
            self.count(rt)?;
            let k = first + if self.reversed { len - 1 - i } else { i };
            let number;
            let item: &dyn ValueView = match &items {
                Items::Values(v) => v[k].as_view(),
                Items::Numbers(a, _) => {
                    number = Value::scalar(a + k as i64);
                    &number
                }
            };
            let forloop = Forloop::new(&self.name, i, len, parent);
            let mut root = HashMap::<KStringRef<'_>, &dyn ValueView>::new();
            root.insert("forloop".into(), &forloop);
            root.insert(self.var_name.as_ref(), item);
            let scope = super::Lenient::scope(rt, &root);
            self.item.render_to(writer, &scope)?;
            let interrupt = scope.registers().get_mut::<InterruptRegister>().reset();
            if let Some(Interrupt::Break) = interrupt {
                break;
            }
        }
        Ok(())
    }
}

impl Loop {
    /// Counts an iteration against [`MAX_ITERATIONS`]; past it, the render stops.
    fn count(&self, rt: &dyn Runtime) -> Result<()> {
        let over = with_state(rt, |s| {
            s.iterations += 1;
            if s.iterations > MAX_ITERATIONS {
                s.limit(
                    self.start,
                    format!(
                        "Liquid loops ran more than {MAX_ITERATIONS} iterations in one render; is a range or a nested loop larger than meant?"
                    ),
                );
            }
            s.fatal
        });
        match over {
            Some(true) => Err(Error::with_msg("loop limit")),
            _ => Ok(()),
        }
    }

    /// Ruby Liquid's `tablerow` markup: rows of `cols` cells (one row when `cols` is not
    /// given), with `tablerowloop`.
    fn table(
        &self,
        w: &mut dyn Write,
        rt: &dyn Runtime,
        items: &Items<'_>,
        first: usize,
        len: usize,
    ) -> Result<()> {
        let io = |e: std::io::Error| Error::with_msg(format!("cannot write output: {e}"));
        let cols = eval_attr(self.cols.as_ref(), rt)?.unwrap_or(0);
        w.write_all(b"<tr class=\"row1\">\n").map_err(io)?;
        let (mut row, mut col) = (1, 1);
        for i in 0..len {
            self.count(rt)?;
            let number;
            let item: &dyn ValueView = match items {
                Items::Values(v) => v[first + i].as_view(),
                Items::Numbers(a, _) => {
                    number = Value::scalar(a + (first + i) as i64);
                    &number
                }
            };
            let (l, i64_, c) = (len as i64, i as i64, col as i64);
            let tablerowloop = TableRowLoop {
                length: l,
                index0: i64_,
                index: i64_ + 1,
                rindex0: l - i64_ - 1,
                rindex: l - i64_,
                first: i == 0,
                last: i + 1 == len,
                col0: c - 1,
                col: c,
                col_first: col == 1,
                col_last: col == cols,
                row: row as i64,
            };
            let mut root = HashMap::<KStringRef<'_>, &dyn ValueView>::new();
            root.insert("tablerowloop".into(), &tablerowloop);
            root.insert(self.var_name.as_ref(), item);
            let scope = super::Lenient::scope(rt, &root);
            write!(w, "<td class=\"col{col}\">").map_err(io)?;
            self.item.render_to(w, &scope)?;
            w.write_all(b"</td>").map_err(io)?;
            if col == cols && i + 1 != len {
                write!(w, "</tr>\n<tr class=\"row{}\">", row + 1).map_err(io)?;
            }
            if col == cols {
                col = 1;
                row += 1;
            } else {
                col += 1;
            }
        }
        w.write_all(b"</tr>\n").map_err(io)
    }
}

/// The key that marks the `forloop` of a `render … for` (see `include::RenderTag`).
pub(crate) const RENDER_LOOP: &str = "__render_loop";

/// `forloop`, as Ruby Liquid makes it.
#[derive(Debug, Clone, liquid_core::ValueView, ObjectView)]
struct Forloop<'p> {
    name: &'p str,
    length: i64,
    parentloop: Option<&'p dyn ValueView>,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
}

impl<'p> Forloop<'p> {
    fn new(name: &'p str, i: usize, len: usize, parentloop: Option<&'p dyn ValueView>) -> Self {
        let (i, len) = (i as i64, len as i64);
        Forloop {
            name,
            length: len,
            parentloop,
            index0: i,
            index: i + 1,
            rindex0: len - i - 1,
            rindex: len - i,
            first: i == 0,
            last: i == len - 1,
        }
    }
}

/// `tablerowloop`, as Ruby Liquid makes it.
#[derive(Debug, Clone, liquid_core::ValueView, ObjectView)]
struct TableRowLoop {
    length: i64,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
    col0: i64,
    col: i64,
    col_first: bool,
    col_last: bool,
    row: i64,
}
