//! Jekyll's ordering of docs and sections by `position`: missing first, numbers (and
//! numeric-looking strings) as numbers, other strings after them, ties broken by the caller
//! (path for docs, declaration order for sections). Total and deterministic, NaN included.

use serde_json::Value;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Missing,
    Num(f64),
    Text(String),
}

impl SortKey {
    pub fn of(v: Option<&Value>) -> SortKey {
        match v {
            None | Some(Value::Null) => SortKey::Missing,
            Some(Value::Number(n)) => n.as_f64().map_or(SortKey::Missing, SortKey::num),
            Some(Value::String(s)) => match s.trim().parse::<f64>() {
                Ok(f) => SortKey::num(f),
                // `'5.1.3'`: compare its leading number, then the rest as text.
                Err(_) if s.trim().is_empty() => SortKey::Missing,
                Err(_) => SortKey::Text(s.trim().to_string()),
            },
            Some(other) => SortKey::Text(other.to_string()),
        }
    }

    fn num(f: f64) -> SortKey {
        if f.is_finite() {
            SortKey::Num(f)
        } else {
            SortKey::Text(f.to_string())
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortKey::Missing => 0,
            SortKey::Num(_) => 1,
            SortKey::Text(_) => 2,
        }
    }
}

impl Eq for SortKey {}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortKey::Num(a), SortKey::Num(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => natural(a, b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Version-like strings (`5.1.3` < `5.1.10`) compare part by part, numerically where both
/// parts are numbers.
fn natural(a: &str, b: &str) -> Ordering {
    let mut pa = a.split('.');
    let mut pb = b.split('.');
    loop {
        match (pa.next(), pb.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<f64>(), y.parse::<f64>()) {
                    (Ok(x), Ok(y)) => x.total_cmp(&y),
                    _ => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jekyll_order() {
        let mut keys: Vec<SortKey> = [
            json!("5.1.3"),
            json!(3),
            json!(null),
            json!(3.04),
            json!("5"),
            json!("5.1.10"),
            json!("abc"),
        ]
        .iter()
        .map(|v| SortKey::of(Some(v)))
        .collect();
        keys.push(SortKey::of(None));
        keys.sort();
        assert_eq!(
            keys,
            vec![
                SortKey::Missing,
                SortKey::Missing,
                SortKey::Num(3.0),
                SortKey::Num(3.04),
                SortKey::Num(5.0),
                SortKey::Text("5.1.3".into()),
                SortKey::Text("5.1.10".into()),
                SortKey::Text("abc".into()),
            ]
        );
    }

    #[test]
    fn nan_and_infinity_are_ordered_not_panicking() {
        let mut keys = [
            SortKey::num(f64::NAN),
            SortKey::num(1.0),
            SortKey::num(f64::INFINITY),
        ];
        keys.sort();
        assert_eq!(keys[0], SortKey::Num(1.0));
    }
}
