//! YAML 1.1's booleans, as Jekyll reads YAML (Ruby's Psych): an unquoted `yes`, `no`, `on`
//! or `off`, in any case, is a boolean there, where serde_yaml (YAML 1.2) reads a string. A
//! layout's `{% if param.required %}` over `required: no` is false in Jekyll; read as the
//! string "no" it was true. [`booleans`] writes those values as `true`/`false` before the
//! YAML parser reads the text; quoted ones, keys, block scalars' lines and comments stay.

use std::borrow::Cow;

/// The YAML 1.1 boolean an unquoted value spells, as Psych's scalar scanner reads it.
pub fn boolean(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "on" => Some(true),
        "no" | "off" => Some(false),
        _ => None,
    }
}

/// `yaml` with each plain `yes`/`no`/`on`/`off` value (of a `key:` or a `- ` item, alone
/// on its line but for a comment) written as `true`/`false`; borrowed when there is none.
pub fn booleans(yaml: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut done = 0;
    // The indent of the line holding an open block scalar's header (`key: |`).
    let mut block: Option<usize> = None;
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start().len();
        if let Some(header) = block {
            if text.trim().is_empty() || indent > header {
                continue;
            }
            block = None;
        }
        let Some((offset, value)) = value_of(text) else {
            continue;
        };
        if value.starts_with(['|', '>']) {
            block = Some(indent);
            continue;
        }
        let Some(b) = boolean(value) else {
            continue;
        };
        out.push_str(&yaml[done..start + offset]);
        out.push_str(if b { "true" } else { "false" });
        done = start + offset + value.len();
    }
    if done == 0 {
        return Cow::Borrowed(yaml);
    }
    out.push_str(&yaml[done..]);
    Cow::Owned(out)
}

/// The byte offset in `line` and the text of its value: what follows its `- ` item marks
/// and a plain `key:`, up to a ` #` comment, trimmed. `None` for a comment line or a line
/// with nothing after its key.
fn value_of(line: &str) -> Option<(usize, &str)> {
    let mut rest = line.trim_start();
    // A line that is neither an item nor a `key:` continues a plain scalar over lines.
    let mut placed = false;
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start();
        placed = true;
    }
    if rest.starts_with('#') {
        return None;
    }
    if !rest.starts_with(['"', '\'']) {
        if let Some(colon) = rest.find(": ") {
            rest = rest[colon + 1..].trim_start();
            placed = true;
        } else if rest.ends_with(':') {
            return None;
        }
    }
    if !placed {
        return None;
    }
    let value = match rest.find(" #") {
        Some(c) => &rest[..c],
        None => rest,
    }
    .trim_end();
    (!value.is_empty()).then(|| (line.len() - rest.len(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_yes_no_on_off_are_booleans_and_nothing_else_changes() {
        let yaml = "a: no\nb: Yes # said twice\nc: 'no'\nd: \"off\"\nlist:\n  - on\n  - name: x\n    required: NO\ntext: |\n  no\n  key: yes\ne: nothing\nno: kept\nf: yesterday\ng: said\n  no\n";
        let want = "a: false\nb: true # said twice\nc: 'no'\nd: \"off\"\nlist:\n  - true\n  - name: x\n    required: false\ntext: |\n  no\n  key: yes\ne: nothing\nno: kept\nf: yesterday\ng: said\n  no\n";
        assert_eq!(booleans(yaml), want);
        // Read as Psych reads it: the values are booleans, the quoted and block ones strings.
        let v: serde_yaml::Value = serde_yaml::from_str(&booleans(yaml)).unwrap();
        assert_eq!(v["a"], serde_yaml::Value::Bool(false));
        assert_eq!(v["c"], serde_yaml::Value::String("no".into()));
        assert_eq!(v["list"][1]["required"], serde_yaml::Value::Bool(false));
        assert_eq!(
            v["text"],
            serde_yaml::Value::String("no\nkey: yes\n".into())
        );
        assert_eq!(v["g"], serde_yaml::Value::String("said no".into()));
        assert!(matches!(booleans("a: b\n"), Cow::Borrowed(_)));
    }
}
