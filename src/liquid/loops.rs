//! `{% for %}`, forked from `liquid-lib` 0.26's `ForBlock` (MIT) so that a loop can never
//! take the process down:
//! - a range `(a..b)` is iterated, not made into an array first (`liquid-lib` allocates
//!   every number of `(1..100000000)` before the first iteration);
//! - every iteration of a render counts against [`MAX_ITERATIONS`], and passing it stops
//!   the render with an error at the loop's tag.
//!
//! Otherwise it is `liquid-lib`'s loop: `limit`, `offset`, `reversed`, `else`, `forloop`
//! (with `parentloop`), `break` and `continue`.

use super::{parsing_tag, with_state};
use liquid_core::model::{KString, KStringRef, ObjectView, Value, ValueCow, ValueView};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister, StackFrame};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};
use std::collections::HashMap;
use std::io::Write;

/// Loop iterations one render may run, all loops together (a site's sitemap over 100,000
/// docs is a tenth of it).
pub const MAX_ITERATIONS: usize = 1_000_000;

#[derive(Copy, Clone, Debug, Default)]
pub struct ForBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }
    fn end_tag(&self) -> &str {
        "endfor"
    }
    fn description(&self) -> &str {
        "`{% for x in list %}`, with ranges iterated lazily and a limit on iterations"
    }
}

enum Collection {
    Array(Expression),
    Range(Expression, Expression),
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
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
        let collection = match range.expect_value() {
            TryMatchToken::Matches(array) => Collection::Array(array),
            TryMatchToken::Fails(range) => match range.expect_range() {
                TryMatchToken::Matches((a, b)) => Collection::Range(a, b),
                TryMatchToken::Fails(range) => return range.raise_error().into_err(),
            },
        };
        let mut limit = None;
        let mut offset = None;
        let mut reversed = false;
        while let Some(token) = arguments.next() {
            match token.as_str() {
                "limit" => limit = Some(attr(&mut arguments)?),
                "offset" => offset = Some(attr(&mut arguments)?),
                "reversed" => reversed = true,
                _ => {
                    return token
                        .raise_custom_error("\"limit\", \"offset\" or \"reversed\" expected.")
                        .into_err();
                }
            }
        }
        arguments.expect_nothing()?;
        let mut item = Vec::new();
        let mut otherwise = None;
        while let Some(element) = tokens.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Template::new(tokens.parse_all(options)?));
                    break;
                }
                BlockElement::Tag(tag) => item.push(tag.parse(&mut tokens, options)?),
                element => item.push(element.parse(&mut tokens, options)?),
            }
        }
        tokens.assert_empty();
        Ok(Box::new(For {
            start,
            var_name: KString::from_ref(var_name),
            collection,
            item: Template::new(item),
            otherwise,
            limit,
            offset,
            reversed,
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

fn attr(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

struct For {
    start: usize,
    var_name: KString,
    collection: Collection,
    item: Template,
    otherwise: Option<Template>,
    limit: Option<Expression>,
    offset: Option<Expression>,
    reversed: bool,
}

impl std::fmt::Debug for For {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{% for {} %}}", self.var_name)
    }
}

fn whole(value: &dyn ValueView, what: &str) -> Result<i64> {
    value
        .as_scalar()
        .and_then(|s| s.to_integer())
        .ok_or_else(|| {
            Error::with_msg(format!(
                "Expected whole number, found `{}`",
                value.type_name()
            ))
            .context(what.to_string(), value.to_kstr().into_owned())
        })
}

fn eval_attr(attr: &Option<Expression>, rt: &dyn Runtime) -> Result<Option<usize>> {
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

fn values(array: &dyn ValueView) -> Result<Vec<ValueCow<'_>>> {
    if let Some(x) = array.as_array() {
        Ok(x.values().map(ValueCow::Borrowed).collect())
    } else if let Some(x) = array.as_object() {
        Ok(x.iter()
            .map(|(k, v)| Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()]).into())
            .collect())
    } else if array.is_state() || array.is_nil() {
        Ok(vec![])
    } else {
        Err(Error::with_msg(format!(
            "Expected array, found `{}`",
            array.type_name()
        )))
    }
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let evaluated;
        let items = match &self.collection {
            Collection::Array(e) => {
                evaluated = e.evaluate(rt)?;
                Items::Values(values(evaluated.as_view())?)
            }
            Collection::Range(a, b) => {
                let a = whole(a.evaluate(rt)?.as_view(), "start")?;
                let b = whole(b.evaluate(rt)?.as_view(), "end")?;
                let n = if b < a { 0 } else { (b - a).saturating_add(1) };
                Items::Numbers(a, usize::try_from(n).unwrap_or(usize::MAX))
            }
        };
        let limit = eval_attr(&self.limit, rt)?;
        let offset = eval_attr(&self.offset, rt)?.unwrap_or(0);
        let total = items.len();
        let first = offset.min(total);
        let len = limit.map_or(total - first, |l| l.min(total - first));
        if len == 0 {
            if let Some(t) = &self.otherwise {
                t.render_to(writer, rt)?;
            }
            return Ok(());
        }
        let parent = rt.try_get(&[liquid_core::model::Scalar::new("forloop")]);
        let parent = parent.as_ref().map(|v| v.as_view());
        for i in 0..len {
            let k = first + if self.reversed { len - 1 - i } else { i };
            let counted = with_state(rt, |s| {
                s.iterations += 1;
                if s.iterations > MAX_ITERATIONS {
                    s.limit(
                        self.start,
                        format!(
                            "Liquid loops ran more than {MAX_ITERATIONS} iterations in one render; is a range or a nested loop larger than meant?"
                        ),
                    );
                    false
                } else {
                    true
                }
            });
            if counted == Some(false) {
                return Err(Error::with_msg("loop limit"));
            }
            let number;
            let item: &dyn ValueView = match &items {
                Items::Values(v) => v[k].as_view(),
                Items::Numbers(a, _) => {
                    number = Value::scalar(a + k as i64);
                    &number
                }
            };
            let forloop = Forloop::new(i, len, parent);
            let mut root = HashMap::<KStringRef<'_>, &dyn ValueView>::new();
            root.insert("forloop".into(), &forloop);
            root.insert(self.var_name.as_ref(), item);
            let scope = StackFrame::new(rt, &root);
            self.item.render_to(writer, &scope)?;
            let interrupt = scope.registers().get_mut::<InterruptRegister>().reset();
            if let Some(Interrupt::Break) = interrupt {
                break;
            }
        }
        Ok(())
    }
}

/// `forloop`, as `liquid-lib` makes it.
#[derive(Debug, Clone, liquid_core::ValueView, ObjectView)]
struct Forloop<'p> {
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
    fn new(i: usize, len: usize, parentloop: Option<&'p dyn ValueView>) -> Self {
        let (i, len) = (i as i64, len as i64);
        Forloop {
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
