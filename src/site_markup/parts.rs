//! The site's markup of a doc put into its composed parts.

use super::page::{elements, parent, visible};
use super::{DocMarkup, CONTENT};
use crate::compose::{DocParts, Piece, Sample};
use crate::document::Part;
use crate::error::{Pos, SourceError};
use crate::liquid::Engine;
use crate::markdown::{Attrs, CodeBlock, Heading};
use crate::model::{decode_entities, Doc};
use std::collections::HashMap;

/// A sample in the site's markup: its byte range (the `<pre>` and the wrappers that hold
/// only it) and the sample it is.
pub(super) fn samples_in(html: &str) -> Vec<(usize, usize, CodeBlock)> {
    let els = elements(html);
    let mut out: Vec<(usize, usize, CodeBlock)> = Vec::new();
    for (i, pre) in els.iter().enumerate() {
        if pre.name != "pre" || out.iter().any(|&(s, e, _)| pre.start >= s && pre.end < e) {
            continue;
        }
        let mut chain = vec![i];
        let mut w = i;
        while let Some(p) = parent(&els, w) {
            let before = &html[els[p].inner_start(html)..els[w].start];
            let after = &html[(els[w].end + 1).min(html.len())..els[p].inner_end(html)];
            if !before.trim().is_empty() || !after.trim().is_empty() {
                break;
            }
            w = p;
            chain.push(p);
        }
        // The `<code>` inside names the language too.
        chain
            .extend((i + 1..els.len()).filter(|&j| els[j].name == "code" && pre.contains(&els[j])));
        let mut lang = None;
        let mut title = None;
        for &c in &chain {
            let el = &els[c];
            if lang.is_none() {
                lang = el
                    .attrs
                    .get("class")
                    .and_then(|c| {
                        c.split_whitespace()
                            .find_map(|cl| cl.strip_prefix("language-"))
                    })
                    .map(str::to_string)
                    .or_else(|| el.attrs.get("data-lang").cloned());
            }
            if title.is_none() {
                title = el
                    .attrs
                    .get("title")
                    .or_else(|| el.attrs.get("data-title"))
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| t.trim().to_string());
            }
        }
        let inner = &html[pre.inner_start(html)..pre.inner_end(html)];
        let mut code = decode_entities(&crate::html::strip_tags(inner));
        if !code.ends_with('\n') {
            code.push('\n');
        }
        let lang = lang.filter(|l| !l.is_empty() && l != "plaintext");
        let (start, end) = (els[w].start, els[w].end + 1);
        out.push((
            start,
            end,
            CodeBlock {
                lang,
                title,
                code,
                attrs: Attrs::default(),
                pos: Pos::new(1, 1),
            },
        ));
    }
    out
}

/// Where compose found each sample's code (to locate findings about the same sample), by
/// [`place_key`].
pub(super) type Places = HashMap<String, (String, Pos, bool)>;

/// A sample's code as both sides hold it: a layout that fences a `code_block: |` value
/// (which ends in a newline) gets one more blank line at its end than compose's sample, and
/// a `\r\n` a quoted value writes is a newline once the layout's markdown has read it.
fn place_key(code: &str) -> String {
    code.trim_end().replace("\r\n", "\n")
}

/// Routes `html` into pieces: text as it is, samples as the doc's samples; titled ones
/// next to each other make one tab group in the code column; untitled ones stay where
/// they are (`to_code`: everything goes to the code column).
pub(super) fn route(html: &str, to_code: bool, parts: &mut DocParts, places: &Places, doc: &Doc) {
    let mut group: Vec<usize> = Vec::new();
    let mut at = 0;
    let mut out: Vec<Piece> = Vec::new();
    let flush = |group: &mut Vec<usize>, parts: &mut DocParts| {
        if !group.is_empty() {
            parts.code.push(Piece::Group(std::mem::take(group)));
        }
    };
    for (s, e, block) in samples_in(html) {
        let between = &html[at..s];
        // Blanks and comments do not split a tab group.
        if !crate::compose::invisible(between) {
            flush(&mut group, parts);
            let piece = Piece::Html(Part::raw(between.to_string()));
            if to_code {
                parts.code.push(piece);
            } else {
                out.push(piece);
            }
        }
        at = e;
        let (file, pos, inline) = places
            .get(&place_key(&block.code))
            .cloned()
            .unwrap_or_else(|| (doc.rel.clone(), Pos::new(1, 1), false));
        let titled = block.title.is_some();
        parts.samples.push(Sample {
            block,
            file,
            pos,
            inline,
        });
        let i = parts.samples.len() - 1;
        if titled {
            group.push(i);
        } else {
            flush(&mut group, parts);
            if to_code {
                parts.code.push(Piece::Inline(i));
            } else {
                out.push(Piece::Inline(i));
            }
        }
    }
    flush(&mut group, parts);
    let rest = &html[at..];
    if !rest.trim().is_empty() {
        if to_code {
            parts.code.push(Piece::Html(Part::raw(rest.to_string())));
        } else {
            out.push(Piece::Html(Part::raw(rest.to_string())));
        }
    }
    parts.prose.extend(out);
}

/// The doc's `content` as a page of the site sees it: its body through Liquid, then
/// kramdown when it is markdown.
pub fn content_html(doc: &Doc, engine: &Engine) -> Result<String, SourceError> {
    let ex = crate::site_theme::doc_body(engine, doc, &[])?;
    let name = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
    Ok(if crate::load::is_markdown(name) {
        crate::liquid::markdown_html(&ex.text)
    } else {
        ex.text
    })
}

/// Puts the site's markup of a doc into its composed parts, in place of endpaper's
/// composition of its prose and code (compose's findings, links and includes stay: they
/// are about the same sources). An endpoint's description for the OpenAPI export
/// (`source`) becomes that prose as markdown.
pub fn apply(
    parts: &mut DocParts,
    doc: &Doc,
    engine: &Engine,
    markup: &DocMarkup,
) -> Result<(), SourceError> {
    let needs_body = markup.prose.contains(CONTENT) || markup.code.contains(CONTENT);
    let body = if needs_body {
        content_html(doc, engine)?
    } else {
        String::new()
    };
    let prose = crate::markdown::balance_html(&markup.prose.replace(CONTENT, &body));
    let code = crate::markdown::balance_html(&markup.code.replace(CONTENT, &body));
    let places: Places = parts
        .samples
        .iter()
        .map(|s| (place_key(&s.block.code), (s.file.clone(), s.pos, s.inline)))
        .collect();
    parts.prose.clear();
    parts.code.clear();
    parts.samples.clear();
    route(&prose, false, parts, &places, doc);
    route(&code, true, parts, &places, doc);
    if !parts.source.is_empty() {
        // The OpenAPI description is written from markdown: the site's prose, as its twin
        // reads it.
        parts.source = crate::machine_docs::html_to_markdown(&prose);
    }
    parts.headings = headings(&prose);
    let mut terms = Vec::new();
    crate::compose::collect_terms(&prose, &mut terms);
    terms.extend(name_cells(&prose));
    parts.terms = terms;
    Ok(())
}

/// Each heading of `html` with an id.
pub(super) fn headings(html: &str) -> Vec<Heading> {
    elements(html)
        .iter()
        .filter_map(|e| {
            let level = e.heading_level()?;
            let id = e.attrs.get("id")?.clone();
            let text = decode_entities(visible(&html[e.start..=e.end]).trim());
            Some(Heading { level, id, text })
        })
        .collect()
}

/// The first cell of each row of a table whose first column is headed `name` or
/// `parameter`: parameter names, for search.
pub(super) fn name_cells(html: &str) -> Vec<String> {
    let els = elements(html);
    let mut out = Vec::new();
    for (t, table) in els.iter().enumerate().filter(|(_, e)| e.name == "table") {
        let first_th = els[t + 1..]
            .iter()
            .take_while(|e| e.start < table.end)
            .find(|e| e.name == "th");
        let heads = first_th.is_some_and(|th| {
            let h = visible(&html[th.start..=th.end])
                .trim()
                .to_ascii_lowercase();
            h == "name" || h == "parameter" || h == "parameters"
        });
        if !heads {
            continue;
        }
        let rows: Vec<usize> = (t + 1..els.len())
            .filter(|&j| els[j].name == "tr" && table.contains(&els[j]))
            .collect();
        for r in rows {
            if let Some(td) = els[r + 1..]
                .iter()
                .take_while(|e| e.start < els[r].end)
                .find(|e| e.name == "td")
            {
                let text = decode_entities(visible(&html[td.start..=td.end]).trim());
                if !text.is_empty() {
                    out.push(text);
                }
            }
        }
    }
    out
}
