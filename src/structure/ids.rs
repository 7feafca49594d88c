//! The `id` and `name` attributes of a rendered page, read in one pass, for
//! [`Structure::decorate`](super::Structure::decorate): it asks where each doc's element
//! stands and whether each alias is taken, and a page lists every doc, so a search of the
//! page's text per question was quadratic in the docs.

use std::collections::{HashMap, HashSet};

/// Each ` id="…"` of a page by its (escaped) value, at the offset of its first occurrence,
/// and each ` name="…"` value.
pub(super) struct Ids<'h> {
    ids: HashMap<&'h str, usize>,
    names: HashSet<&'h str>,
}

impl<'h> Ids<'h> {
    pub(super) fn of(html: &'h str) -> Self {
        let mut ids = HashMap::new();
        const ID: &str = " id=\"";
        for (start, value) in attr_values(html, ID) {
            ids.entry(value).or_insert(start - ID.len());
        }
        let names = attr_values(html, " name=\"").map(|(_, v)| v).collect();
        Ids { ids, names }
    }

    /// The offset of the first ` id="ID"` (`ID` escaped as an attribute), as
    /// `html.find(" id=\"ID\"")` gives it.
    pub(super) fn find(&self, id: &str) -> Option<usize> {
        self.ids.get(escaped(id).as_str()).copied()
    }

    /// Whether an element has `id` as its `id` or its `name`.
    pub(super) fn has(&self, id: &str) -> bool {
        let id = escaped(id);
        self.ids.contains_key(id.as_str()) || self.names.contains(id.as_str())
    }
}

fn escaped(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    crate::html::escape_into(&mut s, id);
    s
}

/// Each value of the attribute that `prefix` opens (` id="`, `href="#`) in `html`, with
/// the byte offset it starts at, in order: the text up to the next `"` after each
/// occurrence of `prefix` (an escaped value holds no `"`). One pass, with memchr's vector
/// scans.
pub(super) fn attr_values<'h>(
    html: &'h str,
    prefix: &'h str,
) -> impl Iterator<Item = (usize, &'h str)> + 'h {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, prefix.as_bytes()).filter_map(move |at| {
        let start = at + prefix.len();
        let len = memchr::memchr(b'"', &bytes[start..])?;
        Some((start, &html[start..start + len]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `decorate` searched for before the ids were read in one pass.
    fn find_by_search(html: &str, id: &str) -> Option<usize> {
        html.find(&format!(" id=\"{}\"", escaped(id)))
    }

    fn has_by_search(html: &str, id: &str) -> bool {
        find_by_search(html, id).is_some() || html.contains(&format!(" name=\"{}\"", escaped(id)))
    }

    #[test]
    fn ids_answer_as_a_search_of_the_page_does() {
        let pages = [
            r#"<body><article id="a" class="d"><h2 id="a-b">A</h2><span id="a"></span></article></body>"#,
            r#"<p data-x=" id="a"">text id="b" <a name="c"> id="d</p>"#,
            r#"<div id="q&amp;a"><a name="x&quot;y"></a><i  id="" id="e"></i> id=""#,
            r#"<b id="f"><b id="f"></b> name="g" id="g"#,
            "",
        ];
        let asked = [
            "a", "a-b", "b", "c", "d", "q&a", "x\"y", "", "e", "f", "g", "zz", "a\"",
        ];
        for html in pages {
            let ids = Ids::of(html);
            for id in asked {
                assert_eq!(ids.find(id), find_by_search(html, id), "{id:?} in {html}");
                assert_eq!(ids.has(id), has_by_search(html, id), "{id:?} in {html}");
            }
        }
    }
}
