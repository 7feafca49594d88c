//! Search: `search-index.js` (each doc's name, path, method, description, section and
//! parameter names: small, loaded when the reader first uses search) and
//! `search-text.js` (each doc's plain text for full-text search, loaded with the first
//! query). Both are scripts rather than JSON so they load from `file://` too; the theme
//! ranks name and path matches above text matches (assets/endpaper.js).

use crate::compose::{strip_tags, DocParts, Piece};
use crate::render::{PageSection, Plan};

/// A doc's searchable text: its prose (headings, paragraphs, parameter descriptions,
/// tables) and the titles of its samples, without tags, entities or runs of whitespace.
/// Sample code is left out: it would double the index and match every `id`.
pub fn doc_text(p: &DocParts) -> String {
    let mut raw = String::new();
    for piece in p.prose.iter().chain(&p.code) {
        if let Piece::Html(h) = piece {
            raw.push_str(&strip_tags(&h.replace('<', " <")));
            raw.push(' ');
        }
    }
    for s in &p.samples {
        if let Some(t) = &s.block.title {
            raw.push_str(t);
            raw.push(' ');
        }
    }
    let text = crate::model::decode_entities(&raw);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One search-index entry; the short field names keep the index small.
#[derive(serde::Serialize)]
struct IndexDoc<'a> {
    a: &'a str,
    d: &'a str,
    h: String,
    k: &'a [String],
    m: &'a str,
    n: &'a str,
    s: &'a str,
    t: &'a str,
}

fn index_docs<'a>(sections: &'a [PageSection], plans: &'a [Plan]) -> Vec<IndexDoc<'a>> {
    let mut docs = Vec::new();
    for plan in plans {
        for &(si, a, b) in &plan.parts {
            for d in &sections[si].docs[a..b] {
                docs.push(IndexDoc {
                    a: &d.anchor,
                    h: format!("{}#{}", plan.path, d.anchor),
                    t: &d.title,
                    n: &d.name,
                    m: &d.method,
                    d: &d.description,
                    s: &sections[si].title,
                    k: &d.terms,
                });
            }
        }
    }
    docs
}

/// `search-index.js`: a script (not JSON) so it loads from `file://` too.
pub fn search_index(sections: &[PageSection], plans: &[Plan]) -> String {
    #[derive(serde::Serialize)]
    struct Index<'a> {
        docs: Vec<IndexDoc<'a>>,
    }
    // `</script>` cannot occur in JSON strings escaped this way, and `<` never reaches HTML.
    let json = serde_json::to_string(&Index {
        docs: index_docs(sections, plans),
    })
    .unwrap_or_default()
    .replace('<', "\\u003c");
    format!("window.EP_SEARCH_INDEX = {json};\n")
}

/// `search-text.js`: the plain text of every doc, in the order of the docs of
/// `search-index.js`, loaded only once a reader searches (it is most of the index's
/// weight). Whitespace is collapsed; code is not included.
pub fn search_text(sections: &[PageSection], plans: &[Plan]) -> String {
    let texts: Vec<&str> = plans
        .iter()
        .flat_map(|plan| {
            plan.parts
                .iter()
                .flat_map(|&(si, a, b)| sections[si].docs[a..b].iter().map(|d| &*d.text))
        })
        .collect();
    let json = serde_json::to_string(&texts)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!("window.EP_SEARCH_TEXT = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_prose_and_sample_titles_without_markup() {
        let p = DocParts {
            prose: vec![Piece::Html(
                "<h3 id=\"q\">Rate limits</h3><dl><dt>limit</dt><dd>At most&nbsp;100 &amp; no more</dd></dl>".into(),
            )],
            ..DocParts::default()
        };
        assert_eq!(doc_text(&p), "Rate limits limit At most 100 & no more");
    }
}
