//! Jekyll's "Sort warning": a collection sorted by `sort_by: key` places a doc without the
//! key (in its front matter or from `defaults:`) after the docs that have it, and Jekyll
//! names each such doc as it sorts them. The order itself is `liquid::site::sort`'s.

use super::Doc;
use crate::diagnostics::Diagnostic;
use crate::error::Pos;
use crate::load::LoadedSite;
use serde_json::Value;

/// Pushes onto `out` one warning for each of `docs` (collection `label`'s) without the key
/// its collection's `sort_by:` names, when some other doc has it (Jekyll compares two docs
/// without it silently); located at the key's line when the doc writes it with no value.
pub(super) fn warn(site: &LoadedSite, label: &str, docs: &[Doc], out: &mut Vec<Diagnostic>) {
    let meta = (site.config.raw)
        .get("collections")
        .and_then(|c| c.get(label))
        .filter(|_| label != "posts");
    let Some(Value::String(key)) = meta.and_then(|m| m.get("sort_by")) else {
        return;
    };
    let has = |d: &Doc| d.fm.map().get(key).is_some_and(|v| !v.is_null());
    if !docs.iter().any(has) {
        return;
    }
    let missing = docs.iter().filter(|d| !has(d));
    out.extend(missing.map(|d| {
        let written = d.fm.map().contains_key(key);
        let at = written.then(|| written_at(d, key)).flatten();
        let message = format!("`{key}` is not set for this doc (nor by `defaults:`), which `sort_by: {key}` of collection `{label}` sorts by: like Jekyll (its \"Sort warning\"), the doc is listed after those that set it");
        Diagnostic::warning("sort-warning", &d.rel, at.unwrap_or(Pos::new(1, 1)), message)
    }));
}

/// Where the doc's front matter writes `key` (with no value), when it does.
fn written_at(d: &Doc, key: &str) -> Option<Pos> {
    let text = d.text().ok()?;
    let crate::frontmatter::Split::Block {
        yaml, yaml_line, ..
    } = crate::frontmatter::split(&text)
    else {
        return None;
    };
    let line = crate::frontmatter::key_line(yaml, key)?;
    Some(Pos::new(yaml_line + line, 1))
}
