//! A collection's docs in Jekyll 4.3's order (`Collection#sort_docs!`), as `site.<label>`,
//! `collection.docs` and `site.documents` list them:
//! - `order: [a.md, sub/b.md]`: the listed docs first, in that order (a listed file that is
//!   no doc is left out), then the others as `Document#<=>` sorts them;
//! - else `sort_by: key`: docs with the key by its value, those without it after; equal or
//!   incomparable values fall back to `Document#<=>`;
//! - else `Document#<=>`: by `date`, then by path. An undated doc has no date yet when Jekyll
//!   sorts (`Document#date` fills it in later), and a date compared with none falls back to
//!   the path: that order is no total one, so the result is the one Ruby's sort gives, a
//!   top-down merge sort (glibc's `qsort_r`), over the docs in path order.

use crate::model::Doc;
use liquid_core::model::DateTime;
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// `docs` (in path order) in the order Jekyll lists collection `label`'s docs, `meta` its
/// `_config.yml` keys.
pub fn jekyll_order<'a>(
    label: &str,
    docs: Vec<&'a Doc>,
    meta: Option<&Map<String, Value>>,
) -> Vec<&'a Doc> {
    let dated: Vec<(&Doc, Option<DateTime>)> = docs
        .into_iter()
        .map(|d| (d, crate::model::doc_date(&d.rel, &d.fm.map())))
        .collect();
    let by_doc = |a: &(&Doc, Option<DateTime>), b: &(&Doc, Option<DateTime>)| match (a.1, b.1) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => a.0.rel.cmp(&b.0.rel),
    };
    // `posts` is read apart from the other collections and only ever `sort!`ed.
    let meta = meta.filter(|_| label != "posts");
    if let Some(Value::Array(listed)) = meta.and_then(|m| m.get("order")) {
        let rest = merge_sort(dated, &by_doc);
        let mut out: Vec<&Doc> = Vec::with_capacity(rest.len());
        for entry in listed {
            let rel = format!("_{label}/{}", crate::frontmatter::text(Some(entry)));
            if let Some((d, _)) = rest.iter().find(|(d, _)| d.rel == rel) {
                if !out.iter().any(|o| std::ptr::eq(*o, *d)) {
                    out.push(d);
                }
            }
        }
        let first = out.len();
        for (d, _) in &rest {
            if !out[..first].iter().any(|o| std::ptr::eq(*o, *d)) {
                out.push(d);
            }
        }
        return out;
    }
    if let Some(Value::String(key)) = meta.and_then(|m| m.get("sort_by")) {
        let keyed: Vec<_> = dated
            .into_iter()
            .map(|(d, date)| {
                let v = d.fm.map().get(key).filter(|v| !v.is_null()).cloned();
                ((d, date), v)
            })
            .collect();
        let sorted = merge_sort(keyed, &|a, b| {
            let order = match (&a.1, &b.1) {
                (None, Some(_)) => Some(Ordering::Greater),
                (Some(_), None) => Some(Ordering::Less),
                (None, None) => Some(Ordering::Equal),
                (Some(x), Some(y)) => ruby_cmp(x, y),
            };
            match order {
                Some(Ordering::Equal) | None => by_doc(&a.0, &b.0),
                Some(o) => o,
            }
        });
        return sorted.into_iter().map(|((d, _), _)| d).collect();
    }
    merge_sort(dated, &by_doc)
        .into_iter()
        .map(|(d, _)| d)
        .collect()
}

/// Ruby's `<=>` of two front-matter values: numbers by value, strings by their bytes,
/// arrays item by item; `None` where Ruby gives nil (values of two kinds, two different
/// booleans or mappings).
fn ruby_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
        },
        (Value::String(x), Value::String(y)) => match (time_of(x), time_of(y)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => Some(x.as_bytes().cmp(y.as_bytes())),
        },
        (Value::Array(x), Value::Array(y)) => {
            for (i, j) in x.iter().zip(y) {
                match ruby_cmp(i, j)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => (a == b).then_some(Ordering::Equal),
    }
}

/// The instant of a YAML timestamp as the front matter holds it (`config::zone::front_matter`
/// writes it as Ruby shows its `Time`: `2019-11-02 22:30:00 +0900`, `… UTC`), so two are
/// compared as times, as Ruby compares them, not as text.
fn time_of(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let shaped = match b.len() {
        25 => matches!(b[20], b'+' | b'-') && b[19] == b' ',
        23 => s.ends_with(" UTC"),
        _ => false,
    };
    if !shaped || !s.is_ascii() || crate::config::zone::ruby_time(&s[..19]).is_none() {
        return None;
    }
    let t = DateTime::from_str(&crate::config::zone::loose_date(s)?)?;
    Some((t.unix_timestamp(), t.nanosecond()))
}

/// glibc's `msort`: halves (the first `n / 2` long) sorted, then merged, the first half's
/// item taken while it is not greater. With an order that is no total one this is the
/// order Jekyll gives; `sort_by` would panic on it.
fn merge_sort<T>(mut items: Vec<T>, cmp: &impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if items.len() <= 1 {
        return items;
    }
    let second = items.split_off(items.len() / 2);
    let mut first = merge_sort(items, cmp).into_iter().peekable();
    let mut second = merge_sort(second, cmp).into_iter().peekable();
    let mut out = Vec::with_capacity(first.len() + second.len());
    while let (Some(a), Some(b)) = (first.peek(), second.peek()) {
        let next = if cmp(a, b) != Ordering::Greater {
            first.next()
        } else {
            second.next()
        };
        out.extend(next);
    }
    out.extend(first);
    out.extend(second);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_keeps_a_partial_orders_result_as_glibc_gives_it() {
        // Items (path, date): a date met with none compares paths, as Jekyll's
        // `Document#<=>` does; Jekyll 4.3.1 listed these a c b d e f.
        let items = vec![
            ("a", None),
            ("b", Some(2021)),
            ("c", Some(2019)),
            ("d", None),
            ("e", Some(2020)),
            ("f", Some(2026)),
        ];
        let sorted = merge_sort(items, &|x: &(&str, Option<i32>), y| match (x.1, y.1) {
            (Some(p), Some(q)) if p != q => p.cmp(&q),
            _ => x.0.cmp(y.0),
        });
        let names: Vec<&str> = sorted.iter().map(|i| i.0).collect();
        assert_eq!(names, ["a", "c", "b", "d", "e", "f"]);
    }

    #[test]
    fn timestamps_are_compared_as_times_and_other_strings_as_text() {
        use serde_json::json;
        let (early, late) = (
            json!("2019-11-02 23:00:00 +0900"),
            json!("2019-11-02 20:00:00 -0500"),
        );
        assert_eq!(ruby_cmp(&early, &late), Some(Ordering::Less));
        assert_eq!(
            ruby_cmp(&json!("2019-11-02 13:00:00 UTC"), &early),
            Some(Ordering::Less)
        );
        // Text that only looks like a time in part is compared by its bytes.
        assert_eq!(
            ruby_cmp(
                &json!("2019-11-02 23:00 +0900"),
                &json!("2019-11-02 20:00 -0500")
            ),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn ruby_cmp_gives_nil_where_ruby_does() {
        use serde_json::json;
        assert_eq!(ruby_cmp(&json!(2), &json!(10)), Some(Ordering::Less));
        assert_eq!(ruby_cmp(&json!(2.5), &json!(2)), Some(Ordering::Greater));
        assert_eq!(ruby_cmp(&json!("10"), &json!("9")), Some(Ordering::Less));
        assert_eq!(ruby_cmp(&json!("9"), &json!(9)), None);
        assert_eq!(ruby_cmp(&json!(true), &json!(false)), None);
        assert_eq!(
            ruby_cmp(&json!([1, "b"]), &json!([1, "a"])),
            Some(Ordering::Greater)
        );
    }
}
