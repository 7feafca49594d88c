//! Front matter: split a file into its YAML block and body the way Jekyll does, and parse
//! the YAML into plain JSON values. serde_yaml is archived upstream, so it is used here and
//! nowhere else: swapping the YAML reader touches this file only.

use crate::error::{Pos, SourceError};
use serde_json::{Map, Value};
use std::path::Path;

/// How a file begins, by Jekyll's rule (`---` on the first line, closed by `---` or `...`).
#[derive(Debug, PartialEq, Eq)]
pub enum Split<'a> {
    /// No front matter: Jekyll treats the file as a static file.
    None,
    /// Opens with `---` but never closes; `line` is where it opened.
    Unterminated,
    Block {
        yaml: &'a str,
        /// 1-based line of the first YAML line (2 when the file opens with `---`).
        yaml_line: usize,
        body: &'a str,
        /// Byte offset of the body in the file, and its 1-based first line.
        body_offset: usize,
        body_line: usize,
    },
}

/// Splits `text` (line endings already `\n`). Mirrors Jekyll's
/// `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)`.
pub fn split(text: &str) -> Split<'_> {
    let Some(first_end) = text.find('\n') else {
        return if text.trim_end() == "---" {
            Split::Unterminated
        } else {
            Split::None
        };
    };
    let first = &text[..first_end];
    if !first.starts_with("---") || !first[3..].trim().is_empty() {
        return Split::None;
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    let mut line_no = 2;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        if (line.starts_with("---") || line.starts_with("...")) && line[3..].trim().is_empty() {
            let body_offset = (line_end + 1).min(text.len());
            return Split::Block {
                yaml: &text[yaml_start..line_start],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
                body_line: line_no + 1,
            };
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
        line_no += 1;
    }
    Split::Unterminated
}

/// Parses a front-matter block. Errors point at the line of the *file*, not of the block.
/// An empty block is an empty map; a block that is not a mapping is an error.
pub fn parse(yaml: &str, path: &Path, yaml_line: usize) -> Result<Map<String, Value>, SourceError> {
    if yaml.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let pos = e.location().map_or(Pos::new(yaml_line, 1), |l| {
            Pos::new(yaml_line + l.line().saturating_sub(1), l.column().max(1))
        });
        SourceError::new(
            path,
            pos,
            format!("invalid front matter: {}", yaml_message(&e)),
        )
    })?;
    match to_json(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(SourceError::new(
            path,
            Pos::new(yaml_line, 1),
            format!(
                "front matter must be a mapping of `key: value` lines, found a {}",
                kind(&other)
            ),
        )),
    }
}

/// Parses a whole YAML file such as `_config.yml` (line 1 is the file's first line).
pub fn parse_file(yaml: &str, path: &Path) -> Result<Map<String, Value>, SourceError> {
    parse(yaml, path, 1)
}

/// serde_yaml appends " at line X column Y" to its messages; we print our own position.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// YAML → JSON: keys become strings, non-finite floats become strings (JSON has no NaN),
/// tags are dropped.
pub fn to_json(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (key_string(k), to_json(v)))
                .collect(),
        ),
        Y::Tagged(t) => to_json(t.value),
    }
}

fn key_string(k: serde_yaml::Value) -> String {
    match to_json(k) {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A front-matter value as display text: strings as they are, numbers and booleans printed,
/// null and containers empty.
pub fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_jekyll() {
        let t = "---\ntitle: x\n---\nbody\n";
        assert_eq!(
            split(t),
            Split::Block {
                yaml: "title: x\n",
                yaml_line: 2,
                body: "body\n",
                body_offset: 17,
                body_line: 4
            }
        );
        assert_eq!(split("no front matter\n"), Split::None);
        assert_eq!(
            split("---\ntitle: x\nbody never closes\n"),
            Split::Unterminated
        );
        assert_eq!(split("---"), Split::Unterminated);
        assert_eq!(
            split("---\n---"),
            Split::Block {
                yaml: "",
                yaml_line: 2,
                body: "",
                body_offset: 7,
                body_line: 3
            }
        );
        // `...` closes too, trailing spaces are allowed, and `----` is not a fence.
        assert!(matches!(
            split("--- \na: 1\n... \nb"),
            Split::Block { body: "b", .. }
        ));
        assert_eq!(split("----\na: 1\n---\n"), Split::None);
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let text = "---\ntitle: ok\nname: [unclosed\n---\n";
        let Split::Block {
            yaml, yaml_line, ..
        } = split(text)
        else {
            panic!()
        };
        let e = parse(yaml, Path::new("_a/b.md"), yaml_line).unwrap_err();
        assert!(e.pos.line >= 3, "{e}");
        assert!(e.to_string().starts_with("_a/b.md:"), "{e}");
    }

    #[test]
    fn block_scalars_and_types_survive() {
        let m = parse(
            "a: |-\n  x\n  y\nb: 3.04\nc: '5.1.3'\nd:\n",
            Path::new("f"),
            2,
        )
        .unwrap();
        assert_eq!(m["a"], "x\ny");
        assert_eq!(m["b"], 3.04);
        assert_eq!(m["c"], "5.1.3");
        assert_eq!(m["d"], Value::Null);
        assert_eq!(text(m.get("b")), "3.04");
    }

    #[test]
    fn non_mapping_front_matter_is_an_error() {
        let e = parse("- a\n- b\n", Path::new("f.md"), 2).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 1));
        assert!(e.message.contains("found a list"));
    }
}
