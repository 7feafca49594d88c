//! Search: `search-index.js` (each doc's name, path, method, description, section and
//! parameter names: small, loaded when the reader first uses search) and
//! `search-text.js` (each doc's plain text for full-text search, loaded with the first
//! query). Both are scripts rather than JSON so they load from `file://` too; the theme
//! ranks name and path matches above text matches (assets/endpaper.js).

use crate::compose::{DocParts, Piece};
use crate::html::strip_tags;
use crate::render::{PageSection, Plan};
use crate::spool::Chunk;

/// A doc's searchable text: its prose (headings, paragraphs, parameter descriptions,
/// tables) and the titles of its samples, written from its document model, without runs
/// of whitespace. Sample code is left out: it would double the index and match every `id`.
pub fn doc_text(p: &DocParts) -> String {
    let mut raw = String::new();
    for piece in p.prose.iter().chain(&p.code) {
        if let Piece::Html(part) = piece {
            if let Some(html) = &part.balanced {
                // Raw HTML balancing had to close: its HTML is what the page shows.
                let text = strip_tags(&html.replace('<', " <"));
                raw.push_str(&crate::model::decode_entities(&text));
            } else {
                crate::document::plain_text(&part.nodes, &mut raw);
            }
            raw.push(' ');
        }
    }
    for s in &p.samples {
        if let Some(t) = &s.block.title {
            raw.push_str(&crate::model::decode_entities(t));
            raw.push(' ');
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let mut out = b"window.EP_SEARCH_INDEX = ".to_vec();
    let docs = index_docs(sections, plans);
    // Written straight into the file's buffer: at 100,000 docs the index is tens of MB, and
    // a string escaped and then framed would be that size three times over at once.
    let _ = serde_json::to_writer(EscapeLt(&mut out), &Index { docs });
    out.extend_from_slice(b";\n");
    String::from_utf8(out).unwrap_or_default()
}

/// A doc's text as the item of `search-text.js`'s array: a JSON string in which `<` is
/// escaped, so `</script>` cannot occur. Made as each doc is finished.
pub fn text_item(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    let _ = serde_json::to_writer(EscapeLt(&mut out), text);
    String::from_utf8(out).unwrap_or_default()
}

/// JSON as serde_json writes it, with `<` as `\u003c`: a `<` can only be inside a JSON
/// string, so `</script>` cannot occur and no `<` reaches HTML.
struct EscapeLt<'a>(&'a mut Vec<u8>);

impl std::io::Write for EscapeLt<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'<', rest) {
            self.0.extend_from_slice(&rest[..i]);
            self.0.extend_from_slice(b"\\u003c");
            rest = &rest[i + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `search-text.js`: the plain text of every doc ([`text_item`]s), in the order of the docs
/// of `search-index.js`, loaded only once a reader searches (it is most of the index's
/// weight). Whitespace is collapsed; code is not included. Returned as the chunks of the
/// file, one after another: each doc's text is shared, not copied.
pub fn search_text(sections: &[PageSection], plans: &[Plan]) -> Vec<Chunk> {
    let texts = plans.iter().flat_map(|plan| {
        plan.parts
            .iter()
            .flat_map(|&(si, a, b)| sections[si].docs[a..b].iter().map(|d| &d.text))
    });
    let mut out = vec![Chunk::Static("window.EP_SEARCH_TEXT = [")];
    for (i, t) in texts.enumerate() {
        if i > 0 {
            out.push(Chunk::Static(","));
        }
        out.push(t.clone());
    }
    out.push(Chunk::Static("];\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::PageDoc;

    #[test]
    fn search_text_is_the_texts_as_one_json_array_in_index_order() {
        let doc = |text: &str| PageDoc {
            text: text_item(text).into(),
            ..PageDoc::default()
        };
        let sections = vec![PageSection {
            label: String::new(),
            title: String::new(),
            docs: vec![doc("a \"q\" </script>"), doc(""), doc("é\n<b>")],
        }];
        let plans = [
            Plan {
                path: "2.html".into(),
                parts: vec![(0, 1, 3)],
            },
            Plan {
                path: "index.html".into(),
                parts: vec![(0, 0, 1)],
            },
        ];
        let spool = crate::spool::Spool::memory();
        let js = spool.concat(&search_text(&sections, &plans)).unwrap();
        let json = serde_json::to_string(&["", "é\n<b>", "a \"q\" </script>"])
            .unwrap()
            .replace('<', "\\u003c");
        assert_eq!(js, format!("window.EP_SEARCH_TEXT = {json};\n"));
        assert_eq!(
            spool.concat(&search_text(&sections, &[])).unwrap(),
            "window.EP_SEARCH_TEXT = [];\n"
        );
    }

    #[test]
    fn text_is_prose_and_sample_titles_without_markup() {
        let mut p = DocParts::default();
        let md = "### Rate *limits*\n\nlimit\n: At most&nbsp;100 &amp; `no` more<br>than\n\n| a | b |\n|---|---|\n| c | d |\n\n<p>Raw &lt;b&gt; <b>bold</b></p>\n\n~~~ bash\nls\n~~~\n{: title=\"Curl &amp; co\" }\n";
        for block in crate::markdown::render(md).blocks {
            match block {
                crate::markdown::Block::Html(h) => p.prose.push(Piece::Html(h)),
                crate::markdown::Block::Code(block) => p.samples.push(crate::compose::Sample {
                    block,
                    file: String::new(),
                    pos: crate::error::Pos::new(1, 1),
                }),
            }
        }
        let text = doc_text(&p);
        assert_eq!(
            text,
            "Rate limits limit At most 100 & no more than a b c d Raw <b> bold Curl & co"
        );
        // The text the page's HTML holds, its tags taken out.
        let html: String = p
            .prose
            .iter()
            .map(|piece| match piece {
                Piece::Html(part) => format!("{} ", part.html()),
                _ => String::new(),
            })
            .collect();
        let from_html = crate::model::decode_entities(&strip_tags(&html.replace('<', " <")));
        let from_html: Vec<&str> = from_html.split_whitespace().collect();
        assert_eq!(text, format!("{} Curl & co", from_html.join(" ")));
    }
}
