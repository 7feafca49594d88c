//! Search: `search-index.js` (each doc's name, path, method, description, section and
//! parameter names: small, loaded when the reader first uses search) and
//! `search-text.js` (each doc's plain text for full-text search, loaded with the first
//! query). Both are scripts rather than JSON so they load from `file://` too; the theme
//! ranks name and path matches above text matches (assets/endpaper.js).

use crate::compose::{DocParts, Piece};
use crate::html::strip_tags;
use crate::render::{PageDoc, PageSection, Plan};
use crate::spool::{Chunk, Spool, PART_BYTES};
use anyhow::Context as _;
use std::sync::Arc;

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
    // Its words, one space between them, written without a list of them.
    let mut text = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// One search-index entry; the short field names keep the index small.
#[derive(serde::Serialize)]
struct IndexDoc<'a> {
    a: &'a str,
    d: &'a str,
    h: String,
    #[serde(serialize_with = "terms")]
    k: Arc<[String]>,
    m: &'a str,
    n: &'a str,
    s: &'a str,
    t: &'a str,
}

fn terms<S: serde::Serializer>(k: &Arc<[String]>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&k[..], s)
}

/// Each doc of the pages, in their order, as its search-index entry (its terms read back
/// from `spool`).
fn index_docs<'a>(
    sections: &'a [PageSection],
    plans: &'a [Plan],
    spool: &'a Spool,
) -> impl Iterator<Item = anyhow::Result<IndexDoc<'a>>> + 'a {
    plans.iter().flat_map(move |plan| {
        plan.parts.iter().flat_map(move |&(si, a, b)| {
            sections[si].docs[a..b].iter().map(move |d| {
                let terms = (d.terms.read(spool))
                    .with_context(|| format!("cannot read back {}'s terms", d.rel))?;
                Ok(IndexDoc {
                    a: &d.anchor,
                    h: format!("{}#{}", plan.path, d.anchor),
                    t: &d.title,
                    n: &d.name,
                    m: &d.method,
                    d: &d.description,
                    s: &sections[si].title,
                    k: terms,
                })
            })
        })
    })
}

/// `search-index.js`: a script (not JSON) so it loads from `file://` too, as the chunks of
/// the file, each put in `spool` once it holds `PART_BYTES` bytes: at 100,000 docs the
/// index is tens of MB, which held whole (and grown by doubling) was the tallest step of a
/// build's memory. The bytes are `{"docs":[…]}` as serde_json writes that struct.
pub fn search_index(
    sections: &[PageSection],
    plans: &[Plan],
    spool: &Spool,
) -> anyhow::Result<Vec<Chunk>> {
    let mut chunks = vec![Chunk::Static("window.EP_SEARCH_INDEX = {\"docs\":[")];
    let mut out = Vec::with_capacity(PART_BYTES + 4096);
    for (i, doc) in index_docs(sections, plans, spool).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(EscapeLt(&mut out), &doc?);
        if out.len() >= PART_BYTES {
            let full = std::mem::replace(&mut out, Vec::with_capacity(PART_BYTES + 4096));
            chunks.push(spool.put(String::from_utf8(full).unwrap_or_default()));
        }
    }
    out.extend_from_slice(b"]};\n");
    chunks.push(spool.put(String::from_utf8(out).unwrap_or_default()));
    Ok(chunks)
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

/// Over this many bytes of text (about 5 KB gzipped), the full text is split by section:
/// under it, one request costs a reader less than several, and writing the whole again
/// after a change is cheap.
pub const SEARCH_TEXT_SPLIT_BYTES: usize = 16_000;

/// A section's text over this many bytes is cut into parts of about even size: a rebuild
/// after one doc's change writes its part again, not the whole, and a reader's first query
/// loads the parts side by side.
pub const SEARCH_TEXT_PART_BYTES: usize = 1_000_000;

/// The full text's files: `search-text.js` whole (its chunks are [`search_text`]'s, made
/// only when the file is written), or split by section.
pub enum SearchText<'a> {
    Whole,
    /// `search-text.js` naming the parts, which the reader loads after it, and the parts.
    Split {
        manifest: String,
        parts: Vec<TextPart<'a>>,
    },
}

/// A file of the split full text: its path, and its docs' texts as runs, each at the place
/// in `search-index.js`'s order of its first doc (a section's docs may be on several
/// pages, each page's run at its own place).
pub struct TextPart<'a> {
    pub path: String,
    pub runs: Vec<(usize, Vec<&'a PageDoc>)>,
}

impl TextPart<'_> {
    /// The part's text: a script adding each run to the `runs` of the object
    /// `search-text.js` made, as `[place, [text, …]]`.
    pub fn chunks(&self) -> Vec<Chunk> {
        let mut out = Vec::new();
        for (at, docs) in &self.runs {
            out.push(Chunk::from(format!(
                "window.EP_SEARCH_TEXT.runs.push([{at},["
            )));
            for (i, d) in docs.iter().enumerate() {
                if i > 0 {
                    out.push(Chunk::Static(","));
                }
                out.push(d.text.clone());
            }
            out.push(Chunk::Static("]]);\n"));
        }
        out
    }
}

/// The full text as its files: whole while it is at most [`SEARCH_TEXT_SPLIT_BYTES`], else a
/// part per section ([`crate::machine_docs::split_by_section`]: `users/search-text.js`, and
/// `users/search-text-2.js` … past [`SEARCH_TEXT_PART_BYTES`]), so a change to one doc
/// writes one part again and a reader does not download every doc's text at once.
pub fn search_text_files<'a>(sections: &'a [PageSection], plans: &[Plan]) -> SearchText<'a> {
    let limits = (SEARCH_TEXT_SPLIT_BYTES, SEARCH_TEXT_PART_BYTES);
    split_text(sections, plans, limits)
}

/// [`search_text_files`] split at `limits` (whole, part).
fn split_text<'a>(
    sections: &'a [PageSection],
    plans: &[Plan],
    limits: (usize, usize),
) -> SearchText<'a> {
    let size = |d: &PageDoc| d.text.len() + 1;
    let Some(split) =
        crate::machine_docs::split_by_section(sections, "search-text.js", limits, size)
    else {
        return SearchText::Whole;
    };
    let mut parts: Vec<TextPart> = split
        .iter()
        .map(|p| TextPart {
            path: p.path.clone(),
            runs: Vec::new(),
        })
        .collect();
    // Each page's run of a section's docs, at its place in the index, to the parts it spans.
    let mut at = 0;
    for &(si, a, b) in plans.iter().flat_map(|p| &p.parts) {
        for (i, p) in split.iter().enumerate().filter(|(_, p)| p.section == si) {
            let (lo, hi) = (a.max(p.docs.start), b.min(p.docs.end));
            if lo < hi {
                let docs = sections[si].docs[lo..hi].iter().collect();
                parts[i].runs.push((at + lo - a, docs));
            }
        }
        at += b - a;
    }
    parts.retain(|p| !p.runs.is_empty());
    let paths: Vec<&str> = parts.iter().map(|p| p.path.as_str()).collect();
    let mut json = Vec::new();
    let _ = serde_json::to_writer(EscapeLt(&mut json), &paths);
    let manifest = format!(
        "window.EP_SEARCH_TEXT = {{\"parts\":{},\"runs\":[]}};\n",
        String::from_utf8(json).unwrap_or_default()
    );
    SearchText::Split { manifest, parts }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of `parts`: (section, first doc, end).
    fn plan(path: &str, parts: &[(usize, usize, usize)]) -> Plan {
        Plan {
            path: path.into(),
            parts: parts.to_vec(),
        }
    }

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
            plan("2.html", &[(0, 1, 3)]),
            plan("index.html", &[(0, 0, 1)]),
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
    fn split_text_is_a_part_per_section_each_run_at_its_place_in_the_index() {
        let doc = |rel: &str, text: &str| PageDoc {
            rel: rel.into(),
            text: text_item(text).into(),
            ..PageDoc::default()
        };
        let section = |label: &str, docs: Vec<PageDoc>| PageSection {
            label: label.into(),
            title: label.into(),
            docs,
        };
        let long = |i: usize| format!("text {i} {}", "w".repeat(20));
        let sections = vec![
            section(
                "a",
                (0..5).map(|i| doc(&format!("a{i}"), &long(i))).collect(),
            ),
            section("b", vec![doc("b0", "b text")]),
        ];
        // Section a on two pages, the second after b's: its runs are at two places.
        let plans = [
            plan("index.html", &[(0, 0, 2)]),
            plan("2.html", &[(1, 0, 1), (0, 2, 5)]),
        ];
        let spool = crate::spool::Spool::memory();
        let whole = spool.concat(&search_text(&sections, &plans)).unwrap();
        let as_array = |js: &str| -> Vec<String> {
            let json = js.strip_prefix("window.EP_SEARCH_TEXT = ").unwrap();
            serde_json::from_str(json.trim_end().trim_end_matches(';')).unwrap()
        };
        let want = as_array(&whole);
        assert!(matches!(
            split_text(&sections, &plans, (whole.len(), 1000)),
            SearchText::Whole
        ));
        // Split, section a cut in two parts of at most 60 bytes (two docs and one), b whole.
        let SearchText::Split { manifest, parts } = split_text(&sections, &plans, (10, 60)) else {
            panic!("not split");
        };
        let paths: Vec<&str> = parts.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a/search-text.js",
                "a/search-text-2.js",
                "a/search-text-3.js",
                "b/search-text.js"
            ]
        );
        assert_eq!(
            manifest,
            format!(
                "window.EP_SEARCH_TEXT = {{\"parts\":{}\"runs\":[]}};\n",
                serde_json::to_string(&paths).unwrap() + ","
            )
        );
        let places: Vec<Vec<(usize, usize)>> = parts
            .iter()
            .map(|p| p.runs.iter().map(|(at, d)| (*at, d.len())).collect())
            .collect();
        // a0 a1 on the first page (places 0, 1); b0 at 2; a2 a3 a4 at 3, 4, 5.
        assert_eq!(
            places,
            [vec![(0, 2)], vec![(3, 2)], vec![(5, 1)], vec![(2, 1)]]
        );
        // Each part's script adds its runs; put at their places they are the whole array.
        let mut got = vec![String::new(); want.len()];
        for part in &parts {
            let js = spool.concat(&part.chunks()).unwrap();
            for line in js.lines() {
                let run = line
                    .strip_prefix("window.EP_SEARCH_TEXT.runs.push(")
                    .and_then(|l| l.strip_suffix(");"))
                    .unwrap();
                let (at, texts): (usize, Vec<String>) = serde_json::from_str(run).unwrap();
                for (j, t) in texts.into_iter().enumerate() {
                    got[at + j] = t;
                }
            }
        }
        assert_eq!(got, want);
    }

    #[test]
    fn the_index_is_made_a_bounded_chunk_at_a_time() {
        let description = "a <b> \"quoted\" word ".repeat(200);
        let dir = tempfile::tempdir().unwrap();
        let spool = crate::spool::Spool::in_dir(dir.path());
        let doc = |i: usize| {
            let terms = vec![format!("p{i}")];
            let json = crate::compose::Terms::json(&terms);
            PageDoc {
                anchor: format!("d{i}"),
                title: format!("Doc {i}"),
                description: description.clone(),
                terms: crate::compose::Terms::new(terms, json, &spool),
                ..PageDoc::default()
            }
        };
        let sections = vec![PageSection {
            label: String::new(),
            title: "S".into(),
            docs: (0..1000).map(doc).collect(),
        }];
        let plans = [plan("index.html", &[(0, 0, 1000)])];
        let chunks = search_index(&sections, &plans, &spool).unwrap();
        // Memory holds one chunk of the index at a time, never the whole of it.
        let whole: usize = chunks.iter().map(Chunk::len).sum();
        assert!(whole > 3 * PART_BYTES, "{whole}");
        let largest = chunks.iter().map(Chunk::len).max().unwrap();
        assert!(largest < PART_BYTES + 2 * description.len(), "{largest}");
        assert!(chunks
            .iter()
            .skip(1)
            .all(|c| matches!(c, Chunk::Spooled { .. })));
        // The bytes are the index as one serde_json document, `<` escaped.
        let entries: Vec<serde_json::Value> = (0..1000)
            .map(|i| {
                serde_json::json!({"a": format!("d{i}"), "d": description, "h": format!("index.html#d{i}"),
                    "k": [format!("p{i}")], "m": "", "n": "", "s": "S", "t": format!("Doc {i}")})
            })
            .collect();
        let json = serde_json::to_string(&serde_json::json!({ "docs": entries })).unwrap();
        let js = spool.concat(&chunks).unwrap();
        assert_eq!(
            js,
            format!(
                "window.EP_SEARCH_INDEX = {};\n",
                json.replace('<', "\\u003c")
            )
        );
        let empty = spool
            .concat(&search_index(&sections, &[], &spool).unwrap())
            .unwrap();
        assert_eq!(empty, "window.EP_SEARCH_INDEX = {\"docs\":[]};\n");
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
                    inline: false,
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
