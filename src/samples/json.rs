//! A JSON body as its author wrote it: keys in their order and numbers as written
//! (serde_json's map sorts keys, and a sample's fields read in the order the docs list them).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// As written (`1.50` stays `1.50`).
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// The value `text` holds, or `None` when it is not JSON (serde_json validates; the walk
/// below then cannot fail).
pub fn parse(text: &str) -> Option<Json> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        text,
    };
    p.value()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Option<Json> {
        self.ws();
        let c = *self.s.get(self.i)?;
        Some(match c {
            b'{' => {
                self.i += 1;
                let mut fields = Vec::new();
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    let Json::Str(k) = self.value()? else {
                        return None;
                    };
                    self.ws();
                    self.i += 1; // ':'
                    let v = self.value()?;
                    fields.push((k, v));
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                Json::Obj(fields)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value()?);
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                Json::Arr(items)
            }
            b'"' => {
                let start = self.i;
                self.i += 1;
                while self.s.get(self.i)? != &b'"' {
                    self.i += if self.s[self.i] == b'\\' { 2 } else { 1 };
                }
                self.i += 1;
                Json::Str(serde_json::from_str(&self.text[start..self.i]).ok()?)
            }
            b't' | b'f' | b'n' => {
                let word = if c == b'f' { 5 } else { 4 };
                self.i += word;
                match c {
                    b't' => Json::Bool(true),
                    b'f' => Json::Bool(false),
                    _ => Json::Null,
                }
            }
            _ => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b"+-.eE0123456789".contains(b))
                {
                    self.i += 1;
                }
                Json::Num(self.text[start..self.i].to_string())
            }
        })
    }
}

/// How one language writes JSON's values; [`write()`] lays them out.
pub struct Style<'a> {
    pub null: &'a str,
    pub yes: &'a str,
    pub no: &'a str,
    pub string: &'a dyn Fn(&str) -> String,
    pub open_obj: &'a str,
    pub close_obj: &'a str,
    pub empty_obj: &'a str,
    pub open_arr: &'a str,
    pub close_arr: &'a str,
    /// Between a key and its value (`": "`, `" => "`).
    pub colon: &'a str,
    /// What a key is written as (a quoted string, an identifier …).
    pub key: &'a dyn Fn(&str) -> String,
    pub indent: &'a str,
}

/// `v` in `style`, multi-line, its continuation lines indented by `depth` steps.
pub fn write(v: &Json, style: &Style, depth: usize) -> String {
    let pad = |d: usize| style.indent.repeat(d);
    match v {
        Json::Null => style.null.into(),
        Json::Bool(true) => style.yes.into(),
        Json::Bool(false) => style.no.into(),
        Json::Num(n) => n.clone(),
        Json::Str(s) => (style.string)(s),
        Json::Arr(items) if items.is_empty() => format!("{}{}", style.open_arr, style.close_arr),
        Json::Obj(fields) if fields.is_empty() => style.empty_obj.into(),
        Json::Arr(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| format!("{}{}", pad(depth + 1), write(i, style, depth + 1)))
                .collect();
            format!(
                "{}\n{},\n{}{}",
                style.open_arr,
                inner.join(",\n"),
                pad(depth),
                style.close_arr
            )
        }
        Json::Obj(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}{}{}{}",
                        pad(depth + 1),
                        (style.key)(k),
                        style.colon,
                        write(v, style, depth + 1)
                    )
                })
                .collect();
            format!(
                "{}\n{},\n{}{}",
                style.open_obj,
                inner.join(",\n"),
                pad(depth),
                style.close_obj
            )
        }
    }
}

/// Plain JSON, pretty-printed (no trailing commas), for languages that send the text.
pub fn pretty(v: &Json) -> String {
    let mut out = String::new();
    pretty_into(v, 0, &mut out);
    out
}

fn pretty_into(v: &Json, depth: usize, out: &mut String) {
    let pad = |d: usize| "  ".repeat(d);
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(n),
        Json::Str(s) => out.push_str(&serde_json::to_string(s).expect("a string serialises")),
        Json::Arr(items) if items.is_empty() => out.push_str("[]"),
        Json::Obj(fields) if fields.is_empty() => out.push_str("{}"),
        Json::Arr(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                pretty_into(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Json::Obj(fields) => {
            out.push_str("{\n");
            for (i, (k, v)) in fields.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&serde_json::to_string(k).expect("a string serialises"));
                out.push_str(": ");
                pretty_into(v, depth + 1, out);
                out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
    }
}

/// Plain JSON on one line (an HTTPie `key:=value` item).
pub fn compact(v: &Json) -> String {
    let str = |s: &str| serde_json::to_string(s).expect("a string serialises");
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Num(n) => n.clone(),
        Json::Str(s) => str(s),
        Json::Arr(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(",")
        ),
        Json::Obj(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{}:{}", str(k), compact(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_numbers_as_written() {
        let j = parse(r#"{"z": 1.50, "a": [true, null, "x\"y"], "e": {}}"#).unwrap();
        assert_eq!(
            j,
            Json::Obj(vec![
                ("z".into(), Json::Num("1.50".into())),
                (
                    "a".into(),
                    Json::Arr(vec![Json::Bool(true), Json::Null, Json::Str("x\"y".into())])
                ),
                ("e".into(), Json::Obj(vec![])),
            ])
        );
        assert_eq!(
            pretty(&j),
            "{\n  \"z\": 1.50,\n  \"a\": [\n    true,\n    null,\n    \"x\\\"y\"\n  ],\n  \"e\": {}\n}"
        );
        assert_eq!(parse("{\"a\": 1,}"), None);
        assert_eq!(parse("-1e5"), Some(Json::Num("-1e5".into())));
    }
}
