//! `{% if %}` and `{% unless %}`, forked from `liquid-lib` 0.26's `IfBlock` (MIT) to decide
//! as Ruby Liquid 5.4 (Jekyll's) decides:
//! - `and`/`or` group from the right (`a and b or c` is `a and (b or c)`);
//! - `contains` is false for a nil or `false` on either side, never an error;
//! - a boolean equals only a boolean (`1 == true` is false), and ordering a string against
//!   a number is an error, as in Ruby;
//! - `unless` takes `elsif`, and an `else` or `elsif` after the first `else` is ignored.

use liquid_core::model::{ValueView, ValueViewCmp};
use liquid_core::parser::{BlockElement, TagToken};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};
use std::io::Write;

/// `if` (`unless: false`) or `unless`.
#[derive(Copy, Clone, Debug)]
pub struct IfBlock {
    unless: bool,
}

impl IfBlock {
    pub const IF: IfBlock = IfBlock { unless: false };
    pub const UNLESS: IfBlock = IfBlock { unless: true };
}

impl BlockReflection for IfBlock {
    fn start_tag(&self) -> &str {
        if self.unless {
            "unless"
        } else {
            "if"
        }
    }
    fn end_tag(&self) -> &str {
        if self.unless {
            "endunless"
        } else {
            "endif"
        }
    }
    fn description(&self) -> &str {
        "a condition as Ruby Liquid decides it"
    }
}

impl ParseBlock for IfBlock {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let mut branches = vec![(parse_condition(arguments)?, self.unless, Vec::new())];
        let mut otherwise: Option<Vec<Box<dyn Renderable>>> = None;
        // What follows a second `else` is parsed (so it must be valid) and dropped.
        let mut dropping = false;
        while let Some(element) = tokens.next()? {
            let parsed = match element {
                BlockElement::Tag(tag) if matches!(tag.name(), "else" | "elsif") => {
                    if otherwise.is_some() {
                        dropping = true;
                    } else if tag.name() == "else" {
                        otherwise = Some(Vec::new());
                    } else {
                        branches.push((parse_condition(tag.into_tokens())?, false, Vec::new()));
                    }
                    continue;
                }
                BlockElement::Tag(tag) => tag.parse(&mut tokens, options)?,
                element => element.parse(&mut tokens, options)?,
            };
            match (&mut otherwise, branches.last_mut()) {
                _ if dropping => {}
                (Some(o), _) => o.push(parsed),
                (None, Some(b)) => b.2.push(parsed),
                (None, None) => {}
            }
        }
        tokens.assert_empty();
        Ok(Box::new(Conditional {
            branches: branches
                .into_iter()
                .map(|(c, negate, body)| (c, negate, Template::new(body)))
                .collect(),
            otherwise: otherwise.map(Template::new),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Conditional {
    /// Each condition, whether it is negated (`unless`), and what it renders.
    branches: Vec<(Condition, bool, Template)>,
    otherwise: Option<Template>,
}

impl Renderable for Conditional {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        for (condition, negate, body) in &self.branches {
            if condition.evaluate(rt)? != *negate {
                return body.render_to(w, rt);
            }
        }
        match &self.otherwise {
            Some(t) => t.render_to(w, rt),
            None => Ok(()),
        }
    }
}

#[derive(Debug)]
enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
}

#[derive(Debug)]
struct Atom {
    left: Operand,
    op: Option<(Op, Operand)>,
}

/// A side of a comparison: a value, or a range (`foo == (1..3)`), which Ruby compares as
/// the range of its integers.
#[derive(Debug)]
enum Operand {
    Value(Expression),
    Range(Expression, Expression),
}

impl Operand {
    fn read(token: TagToken<'_>) -> Result<Operand> {
        match token.expect_value() {
            liquid_core::parser::TryMatchToken::Matches(v) => Ok(Operand::Value(v)),
            liquid_core::parser::TryMatchToken::Fails(t) => {
                let (a, b) = t.expect_range().into_result()?;
                Ok(Operand::Range(a, b))
            }
        }
    }

    fn evaluate<'r>(&'r self, rt: &'r dyn Runtime) -> liquid_core::ValueCow<'r> {
        match self {
            Operand::Value(v) => v.try_evaluate(rt).unwrap_or_default(),
            Operand::Range(a, b) => {
                let (a, b) = (
                    a.try_evaluate(rt).unwrap_or_default(),
                    b.try_evaluate(rt).unwrap_or_default(),
                );
                liquid_core::ValueCow::Owned(
                    super::loops::range_array(a.as_view(), b.as_view()).unwrap_or_default(),
                )
            }
        }
    }
}

/// Atoms joined by `and`/`or` (`true` for `and`), evaluated from the right as Ruby does.
#[derive(Debug)]
struct Condition {
    atoms: Vec<Atom>,
    ands: Vec<bool>,
}

fn parse_condition(mut arguments: TagTokenIter<'_>) -> Result<Condition> {
    let mut tokens: Vec<TagToken<'_>> = arguments.by_ref().collect();
    tokens.reverse();
    let mut atoms = Vec::new();
    let mut ands = Vec::new();
    loop {
        let left = Operand::read(
            tokens
                .pop()
                .ok_or_else(|| arguments.raise_error("Value expected."))?,
        )?;
        let op = match tokens.last().map(TagToken::as_str) {
            Some(s @ ("==" | "!=" | "<>" | "<" | ">" | "<=" | ">=" | "contains")) => {
                let op = match s {
                    "==" => Op::Eq,
                    "!=" | "<>" => Op::Ne,
                    "<" => Op::Lt,
                    ">" => Op::Gt,
                    "<=" => Op::Le,
                    ">=" => Op::Ge,
                    _ => Op::Contains,
                };
                tokens.pop();
                let right = Operand::read(
                    tokens
                        .pop()
                        .ok_or_else(|| arguments.raise_error("Value expected."))?,
                )?;
                Some((op, right))
            }
            _ => None,
        };
        atoms.push(Atom { left, op });
        match tokens.pop() {
            None => break,
            Some(t) => match t.as_str() {
                "and" => ands.push(true),
                "or" => ands.push(false),
                _ => {
                    return t
                        .raise_custom_error("\"and\" or \"or\" expected.")
                        .into_err()
                }
            },
        }
    }
    Ok(Condition { atoms, ands })
}

/// Ruby's truthiness; the literals `blank` and `empty` are objects there, so truthy.
fn truthy(v: &dyn ValueView) -> bool {
    v.is_state() || v.query_state(liquid_core::model::State::Truthy)
}

pub(crate) fn is_bool(v: &dyn ValueView) -> bool {
    v.type_name() == "boolean"
}

/// Ruby's `==` between Liquid values: a boolean equals only a boolean. Against the literal
/// `empty` Ruby asks the other side `empty?`, which only strings, arrays and hashes answer
/// (so `nil == empty` is false), and two of the literals `blank` / `empty` never match.
fn equal(a: &dyn ValueView, b: &dyn ValueView) -> bool {
    use liquid_core::model::State;
    if let Some((state, other)) = a
        .as_state()
        .map(|s| (s, b))
        .or(b.as_state().map(|s| (s, a)))
    {
        if other.is_state() {
            return false;
        }
        if state == State::Empty {
            return (other.type_name() == "string" || other.is_array() || other.is_object())
                && other.query_state(State::Empty);
        }
    }
    is_bool(a) == is_bool(b) && ValueViewCmp::new(a) == ValueViewCmp::new(b)
}

fn is_number(v: &dyn ValueView) -> bool {
    matches!(v.type_name(), "whole number" | "fractional number")
}

impl Atom {
    fn evaluate(&self, rt: &dyn Runtime) -> Result<bool> {
        let left = self.left.evaluate(rt);
        let Some((op, right)) = &self.op else {
            return Ok(truthy(left.as_view()));
        };
        let right = right.evaluate(rt);
        let (a, b) = (left.as_view(), right.as_view());
        let equal = || equal(a, b);
        // Nil, `blank` and `empty` are never ordered against anything.
        let unordered = a.is_nil() || b.is_nil() || a.is_state() || b.is_state();
        let order = || -> Result<std::cmp::Ordering> {
            let mixed = (is_number(a) && b.type_name() == "string")
                || (a.type_name() == "string" && is_number(b));
            if mixed {
                return Err(Error::with_msg(format!(
                    "comparison of {} with {} failed",
                    a.type_name(),
                    b.type_name()
                )));
            }
            Ok(ValueViewCmp::new(a)
                .partial_cmp(&ValueViewCmp::new(b))
                .unwrap_or(std::cmp::Ordering::Equal))
        };
        Ok(match op {
            Op::Eq => equal(),
            Op::Ne => !equal(),
            Op::Lt => !unordered && order()?.is_lt(),
            Op::Gt => !unordered && order()?.is_gt(),
            Op::Le => !unordered && order()?.is_le(),
            Op::Ge => !unordered && order()?.is_ge(),
            Op::Contains => contains(a, b),
        })
    }
}

/// Ruby Liquid's `contains`: false unless both sides are set and the left can hold things.
fn contains(a: &dyn ValueView, b: &dyn ValueView) -> bool {
    if a.is_nil() || b.is_nil() || (is_bool(b) && !truthy(b)) {
        return false;
    }
    if let Some(arr) = a.as_array() {
        arr.values().any(|e| equal(e, b))
    } else if let Some(obj) = a.as_object() {
        obj.contains_key(b.to_kstr().as_str())
    } else if a.type_name() == "string" {
        a.to_kstr().contains(b.to_kstr().as_str())
    } else {
        false
    }
}

impl Condition {
    fn evaluate(&self, rt: &dyn Runtime) -> Result<bool> {
        for (i, atom) in self.atoms.iter().enumerate() {
            let result = atom.evaluate(rt)?;
            match self.ands.get(i) {
                None => return Ok(result),
                Some(false) if result => return Ok(true),
                Some(true) if !result => return Ok(false),
                _ => {}
            }
        }
        Ok(false)
    }
}

/// `{% case %}` as Ruby Liquid 5.4 runs it: every matching `when` renders (`when a, b`
/// renders once for each of `a` and `b` that match), and an `else` renders where it stands
/// when no `when` before it matched; `when` values are separated by `,` or `or`, and
/// reading stops at anything else, as Ruby's lax parser does.
#[derive(Copy, Clone, Debug, Default)]
pub struct CaseBlock;

impl BlockReflection for CaseBlock {
    fn start_tag(&self) -> &str {
        "case"
    }
    fn end_tag(&self) -> &str {
        "endcase"
    }
    fn description(&self) -> &str {
        "`{% case x %}{% when a, b %}…{% else %}…{% endcase %}` as Ruby Liquid runs it"
    }
}

/// A block's parsed elements, before they become a [`Template`].
type Body = Vec<Box<dyn Renderable>>;

#[derive(Debug)]
enum Arm {
    When(Vec<Expression>, Template),
    Else(Template),
}

impl ParseBlock for CaseBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let value = arguments
            .expect_next("Value expected.")?
            .expect_value()
            .into_result()?;
        arguments.expect_nothing()?;
        // (when values, or none for `else`; the body so far)
        let mut arms: Vec<(Option<Vec<Expression>>, Body)> = Vec::new();
        while let Some(element) = tokens.next()? {
            let parsed = match element {
                BlockElement::Tag(tag) if tag.name() == "when" => {
                    let mut when = tag.into_tokens();
                    let mut values = vec![when
                        .expect_next("Value expected.")?
                        .expect_value()
                        .into_result()?];
                    while let Some(sep) = when.next() {
                        let value = match sep.as_str() {
                            "," | "or" => when.next().map(|t| t.expect_value()),
                            _ => None,
                        };
                        match value {
                            Some(liquid_core::parser::TryMatchToken::Matches(v)) => values.push(v),
                            _ => break,
                        }
                    }
                    arms.push((Some(values), Vec::new()));
                    continue;
                }
                BlockElement::Tag(tag) if tag.name() == "else" => {
                    arms.push((None, Vec::new()));
                    continue;
                }
                BlockElement::Tag(tag) => tag.parse(&mut tokens, options)?,
                element => element.parse(&mut tokens, options)?,
            };
            // Text before the first `when` is not rendered, as in Ruby.
            if let Some(arm) = arms.last_mut() {
                arm.1.push(parsed);
            }
        }
        tokens.assert_empty();
        Ok(Box::new(Case {
            value,
            arms: arms
                .into_iter()
                .map(|(values, body)| match values {
                    Some(v) => Arm::When(v, Template::new(body)),
                    None => Arm::Else(Template::new(body)),
                })
                .collect(),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Case {
    value: Expression,
    arms: Vec<Arm>,
}

impl Renderable for Case {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> Result<()> {
        let value = self.value.try_evaluate(rt).unwrap_or_default();
        let mut matched = false;
        for arm in &self.arms {
            match arm {
                Arm::Else(body) if !matched => body.render_to(w, rt)?,
                Arm::Else(_) => {}
                Arm::When(values, body) => {
                    for v in values {
                        let v = v.try_evaluate(rt).unwrap_or_default();
                        if equal(value.as_view(), v.as_view()) {
                            matched = true;
                            body.render_to(w, rt)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
