//! Liquid's number filters as Ruby Liquid 5.4 (Jekyll's) computes them, where `liquid-lib`
//! differs: anything that is not a number reads as one (`"10"` is 10, `"2.5"` is 2.5,
//! `"foo"`, nil or a hash are 0, as Ruby's `to_number`), integer division floors, and
//! decimals are exact to the places written (`10.1 | minus: 2.2` is `7.9`, as Ruby's
//! `BigDecimal` makes it, not `7.8999999999999995`).

use super::filters::Simple;
use liquid_core::{Error, Result, Runtime, Value, ValueView};

/// A number as Ruby Liquid reads one: an integer, or a decimal with its decimal places.
#[derive(Clone, Copy, Debug)]
enum Num {
    Int(i64),
    Dec(f64, u32),
}

/// Decimal places of `f` as Ruby writes it (`2.25` → 2).
fn places(f: f64) -> u32 {
    let text = format!("{f}");
    text.split_once('.').map_or(0, |(_, d)| d.len() as u32)
}

/// Ruby Liquid's `Utils.to_number`.
fn num(v: &dyn ValueView) -> Num {
    let Some(s) = v.as_scalar() else {
        return Num::Int(0);
    };
    if v.type_name() == "whole number" {
        return Num::Int(s.to_integer().unwrap_or(0));
    }
    if v.type_name() == "fractional number" {
        let f = s.to_float().unwrap_or(0.0);
        return Num::Dec(f, places(f));
    }
    if v.type_name() != "string" {
        return Num::Int(0);
    }
    let text = s.to_kstr();
    let t = text.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if let Some((int, frac)) = t.strip_prefix('-').unwrap_or(t).split_once('.') {
        if digits(int) && digits(frac) {
            return Num::Dec(t.parse().unwrap_or(0.0), frac.len() as u32);
        }
    }
    // Ruby's `String#to_i`: the leading integer, else 0.
    let lead = t.strip_prefix(['-', '+']).unwrap_or(t);
    let n = lead.bytes().take_while(u8::is_ascii_digit).count();
    let value: i64 = lead[..n].parse().unwrap_or(0);
    Num::Int(if t.starts_with('-') { -value } else { value })
}

impl Num {
    fn float(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Dec(f, _) => f,
        }
    }
    fn places(self) -> u32 {
        match self {
            Num::Int(_) => 0,
            Num::Dec(_, p) => p,
        }
    }
}

/// `f` rounded to `places` decimals (what `BigDecimal` would have kept exactly).
fn exact(f: f64, places: u32) -> Value {
    let scale = 10f64.powi(places.min(15) as i32);
    let r = (f * scale).round() / scale;
    Value::scalar(if r.is_finite() { r } else { f })
}

fn first(args: &[Value]) -> &dyn ValueView {
    args.first().map_or(&Value::Nil as &dyn ValueView, |v| v)
}

fn op(
    input: &dyn ValueView,
    args: &[Value],
    int: fn(i64, i64) -> Option<i64>,
    float: fn(f64, f64) -> f64,
    places: fn(u32, u32) -> u32,
) -> Result<Value> {
    match (num(input), num(first(args))) {
        (Num::Int(a), Num::Int(b)) => Ok(match int(a, b) {
            Some(n) => Value::scalar(n),
            None => Value::scalar(float(a as f64, b as f64)),
        }),
        (a, b) => Ok(exact(
            float(a.float(), b.float()),
            places(a.places(), b.places()),
        )),
    }
}

fn plus(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    op(input, args, i64::checked_add, |a, b| a + b, u32::max)
}

fn minus(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    op(input, args, i64::checked_sub, |a, b| a - b, u32::max)
}

fn times(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    op(input, args, i64::checked_mul, |a, b| a * b, |a, b| a + b)
}

fn is_zero(n: Num) -> bool {
    n.float() == 0.0
}

fn divided_by(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    if is_zero(num(first(args))) {
        return Err(Error::with_msg("divided by 0"));
    }
    match (num(input), num(first(args))) {
        (Num::Int(a), Num::Int(b)) => Ok(match a.checked_div(b) {
            // Ruby's integer division floors.
            Some(q) if a % b != 0 && (a < 0) != (b < 0) => Value::scalar(q - 1),
            Some(q) => Value::scalar(q),
            None => Value::scalar(a as f64 / b as f64),
        }),
        (a, b) => Ok(Value::scalar(a.float() / b.float())),
    }
}

fn modulo(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    if is_zero(num(first(args))) {
        return Err(Error::with_msg("divided by 0"));
    }
    // Ruby's `%` takes the divisor's sign.
    op(
        input,
        args,
        |a, b| {
            a.checked_rem(b).map(|r| {
                if r != 0 && (r < 0) != (b < 0) {
                    r + b
                } else {
                    r
                }
            })
        },
        |a, b| {
            let r = a % b;
            if r != 0.0 && (r < 0.0) != (b < 0.0) {
                r + b
            } else {
                r
            }
        },
        u32::max,
    )
}

fn abs(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(match num(input) {
        Num::Int(i) => Value::scalar(i.saturating_abs()),
        Num::Dec(f, _) => Value::scalar(f.abs()),
    })
}

fn rounded(input: &dyn ValueView, f: fn(f64) -> f64) -> Value {
    match num(input) {
        Num::Int(i) => Value::scalar(i),
        Num::Dec(x, _) => Value::scalar(f(x) as i64),
    }
}

fn ceil(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(rounded(input, f64::ceil))
}

fn floor(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(rounded(input, f64::floor))
}

/// `round: n`: to `n` places (an integer without `n`); Ruby reads `n` with `to_i`.
fn round(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let n = match num(first(args)) {
        Num::Int(i) => i,
        Num::Dec(f, _) => f.trunc() as i64,
    };
    // Ruby's `Integer#round(n)` keeps an integer for `n >= 0` (nil is `0`).
    let x = match num(input) {
        Num::Int(i) if n >= 0 => return Ok(Value::scalar(i)),
        x => x.float(),
    };
    if n == 0 {
        return Ok(Value::scalar(x.round() as i64));
    }
    let scale = 10f64.powi(n.clamp(-15, 15) as i32);
    let r = (x * scale).round() / scale;
    Ok(if n < 0 {
        Value::scalar(r as i64)
    } else {
        Value::scalar(r)
    })
}

fn bound(input: &dyn ValueView, args: &[Value], keep_larger: bool) -> Value {
    let (a, b) = (num(input), num(first(args)));
    let pick = if (a.float() >= b.float()) == keep_larger {
        a
    } else {
        b
    };
    match pick {
        Num::Int(i) => Value::scalar(i),
        Num::Dec(f, _) => Value::scalar(f),
    }
}

fn at_least(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(bound(input, args, true))
}

fn at_most(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(bound(input, args, false))
}

/// The number filters, to register over `liquid-lib`'s.
pub(crate) fn filters() -> Vec<Simple> {
    vec![
        Simple::new("plus", plus, 1, 1),
        Simple::new("minus", minus, 1, 1),
        Simple::new("times", times, 1, 1),
        Simple::new("divided_by", divided_by, 1, 1),
        Simple::new("modulo", modulo, 1, 1),
        Simple::new("abs", abs, 0, 0),
        Simple::new("ceil", ceil, 0, 0),
        Simple::new("floor", floor, 0, 0),
        Simple::new("round", round, 0, 1),
        Simple::new("at_least", at_least, 1, 1),
        Simple::new("at_most", at_most, 1, 1),
    ]
}
