//! The definition lists of an endpoint doc's prose that are its operation's (parameters,
//! body and response fields), placed by the headings above them: read off the document
//! model, and off raw HTML the doc wrote. A raw HTML table headed by a name column (a site
//! layout's parameter table: `Name`, `Type`, `Mandatory`, `Default`, `Description`, `In`)
//! gives terms too, stated by its columns rather than by a leading parenthesis; so does such a
//! table in markdown.

use super::export::{classify, status_in, Place};
use super::schema::{self, Stated};
use crate::compose::{DocParts, Piece};
use crate::document::{Element, Kind, Node};
use crate::html::strip_tags;
use crate::model::decode_entities;

/// One term of a definition list: name, the text of its definition, and the lists nested
/// in the definition (an object's fields).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Term {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) children: Vec<Term>,
    /// What a table's columns state (type, required, default); a list's term states it in
    /// its text.
    pub(super) stated: Option<Stated>,
}

/// Byte range of the element opening at `at` (`<tag` … matching `</tag>`), nesting aware.
fn element_end(html: &str, at: usize, tag: &str) -> usize {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut depth = 0usize;
    let mut i = at;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with(&close) {
            depth = depth.saturating_sub(1);
            i += close.len();
            if depth == 0 {
                return i;
            }
        } else if rest.starts_with(&open)
            && rest[open.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
        {
            depth += 1;
            i += open.len();
        } else {
            // Both tags start with `<` (ASCII, so the next one is a char boundary).
            i += 1 + rest.as_bytes()[1..]
                .iter()
                .position(|&b| b == b'<')
                .unwrap_or(rest.len() - 1);
        }
    }
    html.len()
}

fn inner(element: &str) -> &str {
    let start = element.find('>').map_or(0, |i| i + 1);
    let end = element.rfind("</").unwrap_or(element.len()).max(start);
    &element[start..end]
}

fn plain(html: &str) -> String {
    squash(&decode_entities(&strip_tags(html)))
}

/// The terms of one `<dl>` element, in order; nested lists in a definition become children.
fn terms(dl: &str) -> Vec<Term> {
    let body = inner(dl);
    let mut out: Vec<Term> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with("<dt") {
            let end = i + element_end(rest, 0, "dt");
            let name = plain(inner(&body[i..end]));
            out.push(Term {
                name: name.trim_end_matches(':').trim().to_string(),
                ..Term::default()
            });
            i = end;
        } else if rest.starts_with("<dd") {
            let end = i + element_end(rest, 0, "dd");
            let dd = inner(&body[i..end]);
            let mut text = String::new();
            let mut children = Vec::new();
            let mut j = 0;
            while let Some(k) = dd[j..].find("<dl") {
                text.push_str(&dd[j..j + k]);
                let e = j + k + element_end(&dd[j + k..], 0, "dl");
                children.extend(terms(&dd[j + k..e]));
                j = e;
            }
            text.push_str(&dd[j..]);
            if let Some(t) = out.last_mut() {
                if !t.text.is_empty() {
                    t.text.push(' ');
                }
                t.text.push_str(&plain(&text));
                t.children.extend(children);
            }
            i = end;
        } else {
            // To the next tag (`<` is ASCII, so that is a char boundary).
            i += 1 + rest.as_bytes()[1..]
                .iter()
                .position(|&b| b == b'<')
                .unwrap_or(rest.len() - 1);
        }
    }
    out.retain(|t| !t.name.is_empty());
    out
}

/// A definition list of the prose: where its terms go, `required` when its heading says so,
/// and the terms.
pub(super) type PlacedList = (Place, Option<bool>, Vec<Term>);

/// The headings above a spot of the prose, and so whether a definition list there is the
/// operation's (parameters, body, response fields) and where it goes, or prose. The lists
/// are read from the HTML and the description from the markdown: both walk their headings
/// and lists through this, so they agree on which lists leave the description.
#[derive(Debug, Default)]
pub(super) struct Outline {
    /// (level, place, required-by-heading, is a `Description` heading) of each heading
    /// above.
    stack: Vec<(u8, Option<Place>, Option<bool>, bool)>,
}

impl Outline {
    pub(super) fn heading(&mut self, level: u8, text: &str) {
        let stack = &mut self.stack;
        stack.retain(|s| s.0 < level);
        let word = text.trim_end_matches(':').trim().to_lowercase();
        // `Optional parameters` under `Parameters` (or `Required headers`) is the same
        // list's other half, not an object's fields: its first word says which half, the
        // rest where it goes unless the heading above says it more narrowly.
        let (half, rest) = word.split_once(' ').unwrap_or((word.as_str(), ""));
        let (place, required) = match half {
            "required" | "optional" if rest.is_empty() || classify(rest).is_some() => {
                let above = stack.last().and_then(|s| s.1.clone());
                let place = match classify(rest) {
                    own @ (None | Some(Place::Any)) => above.or(own),
                    own => own,
                };
                (place, Some(half == "required"))
            }
            // A sub-heading (an object's fields) under a parameter heading, or
            // anything under a `Description` heading: not the operation's lists. But a
            // status under `Responses` (`Response 201`, `Error`, as the import writes them)
            // is the fields of that response.
            _ if stack.iter().any(|s| s.3) => (None, None),
            _ if stack.iter().any(|s| s.1.is_some()) => {
                let under_responses = matches!(
                    stack.iter().rev().find_map(|s| s.1.as_ref()),
                    Some(Place::Response(_))
                );
                match classify(text) {
                    Some(p @ Place::Response(_))
                        if under_responses && (word == "error" || status_in(&word).is_some()) =>
                    {
                        (Some(p), None)
                    }
                    _ => (None, None),
                }
            }
            _ => (classify(text), None),
        };
        stack.push((level, place, required, word == "description"));
    }

    /// Where a definition list here goes; `None` when it is prose.
    pub(super) fn list(&self) -> Option<(Place, Option<bool>)> {
        match self.stack.last() {
            None => Some((Place::Any, None)),
            Some((_, p, r, _)) => p.clone().map(|p| (p, *r)),
        }
    }
}

/// A definition list being read: its terms so far, the text of the term or definition
/// open in it, and the terms of lists nested in that definition.
#[derive(Default)]
struct OpenList {
    /// Where the list goes (a list of the prose is read only for its nested lists).
    place: Option<(Place, Option<bool>)>,
    terms: Vec<Term>,
    text: Option<String>,
    children: Vec<Term>,
}

/// The prose's definition lists the operation takes, with the place each belongs to, read
/// off the document model (and off raw HTML the doc wrote).
pub(super) fn read_lists(parts: &DocParts) -> Vec<PlacedList> {
    let mut lists = Vec::new();
    let mut outline = Outline::default();
    let mut open: Vec<OpenList> = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let nodes = parts.prose.iter().flat_map(|p| match p {
        Piece::Html(part) => &part.nodes[..],
        _ => &[],
    });
    // A markdown table of the prose, read as its HTML is (`table_lists`).
    let mut table: Option<Vec<Node>> = None;
    for node in nodes {
        if let Some(t) = table.as_mut() {
            t.push(node.clone());
            if matches!(node, Node::End(Kind::Table)) {
                let mut html = String::new();
                crate::document::write_html(t, crate::document::Markup::Endpaper, &mut html);
                if let Some((place, required)) = outline.list() {
                    lists.extend(table_lists(&html, place, required));
                }
                table = None;
            }
            continue;
        }
        let top = open.is_empty();
        if top && heading.is_none() && matches!(node, Node::Start(Element::Table(_))) {
            table = Some(vec![node.clone()]);
            continue;
        }
        let text = match (&mut heading, open.last_mut()) {
            (Some((_, t)), _) => Some(t),
            (None, Some(list)) => list.text.as_mut(),
            (None, None) => None,
        };
        match node {
            Node::Start(Element::Heading { level, .. }) if top => {
                heading = Some((*level, String::new()));
            }
            Node::End(Kind::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    outline.heading(level, &squash(&text));
                }
            }
            Node::Start(Element::DefinitionList(_)) => open.push(OpenList {
                place: if open.is_empty() {
                    outline.list()
                } else {
                    None
                },
                ..OpenList::default()
            }),
            Node::End(Kind::DefinitionList) => {
                let Some(mut list) = open.pop() else { continue };
                list.terms.retain(|t| !t.name.is_empty());
                match (open.last_mut(), list.place) {
                    (Some(outer), _) => outer.children.extend(list.terms),
                    (None, Some((place, required))) => lists.push((place, required, list.terms)),
                    (None, None) => {}
                }
            }
            Node::Start(Element::Term(_) | Element::Definition(_)) => {
                if let Some(list) = open.last_mut() {
                    list.text = Some(String::new());
                    list.children.clear();
                }
            }
            Node::End(Kind::Term) => {
                if let Some(list) = open.last_mut() {
                    let name = squash(&list.text.take().unwrap_or_default());
                    list.terms.push(Term {
                        name: name.trim_end_matches(':').trim().to_string(),
                        ..Term::default()
                    });
                }
            }
            Node::End(Kind::Definition) => {
                if let Some(list) = open.last_mut() {
                    let text = list.text.take().unwrap_or_default();
                    let children = std::mem::take(&mut list.children);
                    if let Some(t) = list.terms.last_mut() {
                        if !t.text.is_empty() {
                            t.text.push(' ');
                        }
                        squash_into(&text, &mut t.text);
                        t.children.extend(children);
                    }
                }
            }
            Node::Text(s) | Node::Code { code: s, .. } => {
                if let Some(t) = text {
                    t.push_str(s);
                }
            }
            Node::SoftBreak | Node::HardBreak => {
                if let Some(t) = text {
                    t.push('\n');
                }
            }
            Node::Task(done) => {
                if let Some(t) = text {
                    t.push_str(crate::document::task_text(*done));
                }
            }
            Node::Html(h) | Node::InlineHtml(h) => match text {
                Some(t) => t.push_str(&decode_entities(&strip_tags(h))),
                None if top => read_html_lists(h, &mut outline, &mut lists),
                None => {}
            },
            _ => {}
        }
    }
    lists
}

fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    squash_into(text, &mut out);
    out
}

/// `text`'s words, one space between them, written onto `out` (every term's text passes
/// here: no list of words is built for it).
fn squash_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The definition lists of raw HTML the doc wrote, placed by its headings (and those before).
fn read_html_lists(html: &str, outline: &mut Outline, lists: &mut Vec<PlacedList>) {
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        let heading_level = rest
            .strip_prefix("<h")
            .and_then(|r| r.chars().next())
            .and_then(|c| c.to_digit(10))
            .filter(|d| (1..=6).contains(d));
        if let Some(level) = heading_level {
            let end = i + element_end(rest, 0, &format!("h{level}"));
            outline.heading(level as u8, &plain(inner(&html[i..end])));
            i = end;
        } else if rest.starts_with("<dl")
            && rest[3..].starts_with(|c: char| c == '>' || c.is_whitespace())
        {
            let end = i + element_end(rest, 0, "dl");
            if let Some((place, required)) = outline.list() {
                lists.push((place, required, terms(&html[i..end])));
            }
            i = end;
        } else if rest.starts_with("<table")
            && rest[6..].starts_with(|c: char| c == '>' || c.is_whitespace())
        {
            let end = i + element_end(rest, 0, "table");
            if let Some((place, required)) = outline.list() {
                lists.extend(table_lists(&html[i..end], place, required));
            }
            i = end;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// The text of each `<th>` or `<td>` of one row, in order.
fn row_cells(tr: &str) -> Vec<(bool, String)> {
    let body = inner(tr);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = body[i..].find("<t") {
        let at = i + k;
        let rest = &body[at..];
        let tag = match rest.get(..3) {
            Some("<th") => "th",
            Some("<td") => "td",
            _ => {
                i = at + 2;
                continue;
            }
        };
        if !rest[3..].starts_with(|c: char| c == '>' || c.is_whitespace()) {
            i = at + 3;
            continue;
        }
        let end = at + element_end(rest, 0, tag);
        out.push((tag == "th", plain(inner(&body[at..end]))));
        i = end;
    }
    out
}

/// What a table's column holds, by its heading.
#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    Type,
    Required,
    Optional,
    Default,
    Description,
    In,
    Other,
}

fn column(heading: &str) -> Column {
    match heading.trim_end_matches(':').trim().to_lowercase().as_str() {
        "name" | "parameter" | "parameters" | "param" | "field" | "parameter name" => Column::Name,
        "type" | "data type" | "datatype" => Column::Type,
        "required" | "mandatory" | "req" | "required?" | "mandatory?" => Column::Required,
        "optional" | "optional?" => Column::Optional,
        "default" | "default value" => Column::Default,
        "description" | "desc" | "details" | "meaning" => Column::Description,
        "in" | "location" | "where" | "sent in" => Column::In,
        _ => Column::Other,
    }
}

/// A yes/no cell: `yes`, `true`, `required`, a check mark; `no`, `false`, `optional`.
fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "required" | "mandatory" | "x" | "✓" | "✔" => Some(true),
        "no" | "n" | "false" | "optional" | "-" | "—" => Some(false),
        _ => None,
    }
}

/// Where a row of a table goes by its `In` cell.
fn place_in(cell: &str) -> Option<Place> {
    let c = cell.to_lowercase();
    Some(if c.contains("path") || c.contains("url") {
        Place::Path
    } else if c.contains("query") {
        Place::Query
    } else if c.contains("header") {
        Place::Header
    } else if c.contains("cookie") {
        Place::Cookie
    } else if c.contains("body") || c.contains("form") {
        Place::Body
    } else {
        return None;
    })
}

/// The rows of a parameter table (its first heading cell names a name column) as terms,
/// grouped by where each goes: its `In` cell, else the heading above. A parameter heading
/// that does not say where (`Parameters`) makes them query parameters (or path ones, when
/// the path names them): a table lists a request's parameters, not its body.
fn table_lists(table: &str, place: Place, required: Option<bool>) -> Vec<PlacedList> {
    let mut columns: Vec<(Column, String)> = Vec::new();
    let mut out: Vec<PlacedList> = Vec::new();
    let mut i = 0;
    while let Some(k) = table[i..].find("<tr") {
        let at = i + k;
        let end = at + element_end(&table[at..], 0, "tr");
        let cells = row_cells(&table[at..end]);
        i = end;
        if cells.iter().all(|(th, _)| *th) {
            if columns.is_empty() {
                columns = cells.iter().map(|(_, t)| (column(t), t.clone())).collect();
                if columns.first().map(|c| c.0) != Some(Column::Name) {
                    return Vec::new();
                }
            }
            continue;
        }
        if columns.is_empty() {
            return Vec::new();
        }
        let mut term = Term::default();
        let mut stated = Stated {
            required,
            ..Stated::default()
        };
        let (mut default, mut row_place, mut others) = (None, None, Vec::new());
        for ((c, heading), (_, text)) in columns.iter().zip(&cells) {
            match c {
                Column::Name => term.name = text.trim_end_matches(':').trim().to_string(),
                Column::Type => stated.schema = schema::stated(&format!("({text})")).schema,
                Column::Required => stated.required = yes_no(text).or(stated.required),
                Column::Optional => stated.required = yes_no(text).map(|o| !o).or(stated.required),
                Column::Default => default = Some(text.clone()).filter(|t| !t.is_empty()),
                Column::Description => stated.rest = text.clone(),
                Column::In => row_place = place_in(text),
                // Columns the export has no field for stay in the description.
                Column::Other => {
                    if !text.is_empty() {
                        others.push(format!("{}: {text}.", heading.trim_end_matches(':')));
                    }
                }
            }
        }
        if term.name.is_empty() {
            continue;
        }
        stated.rest = [stated.rest.clone()]
            .into_iter()
            .chain(others)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(d) = default {
            let schema = stated.schema.get_or_insert_with(|| serde_json::json!({}));
            let typed = match schema.get("type").and_then(|t| t.as_str()) {
                Some("integer" | "number") => serde_json::from_str(&d)
                    .ok()
                    .filter(serde_json::Value::is_number),
                Some("boolean") => serde_json::from_str(&d)
                    .ok()
                    .filter(serde_json::Value::is_boolean),
                _ => None,
            };
            schema["default"] = typed.unwrap_or(serde_json::Value::String(d));
        }
        term.text = stated.rest.clone();
        term.stated = Some(stated);
        let place = match row_place.unwrap_or_else(|| place.clone()) {
            Place::Any => Place::Query,
            p => p,
        };
        match out.last_mut() {
            Some((p, _, terms)) if *p == place => terms.push(term),
            _ => out.push((place, required, vec![term])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same lists, in markdown (the model) and as raw HTML a doc wrote, are placed
    /// alike.
    #[test]
    fn lists_are_placed_by_their_heading() {
        let md = "Intro\n\n### URL Parameters\n\nid\n: (string) The id\n\n### Request Parameters:\n\nname\n: (string, required) Name\n\nowner\n: (object) Owner\n\n  email\n  : (string) *Mail*\n\n#### Optional:\n\nnote\n: Free `text`\n\n#### Optional headers\n\nX-Id\n: (string) Echoed\n\n### Notes\n\nKeep.\n\n#### Thing Object\n\nx\n: y\n";
        let html = "<p>Intro</p>\n<h3 id=\"u\">URL Parameters</h3>\n<dl><dt>id</dt><dd>(string) The id</dd></dl>\n<h3>Request Parameters:</h3>\n<dl><dt>name</dt><dd>(string, required) Name</dd><dt>owner</dt><dd>(object) Owner<dl><dt>email</dt><dd>(string) <em>Mail</em></dd></dl></dd></dl>\n<h4>Optional:</h4><dl><dt>note</dt><dd>Free <code>text</code></dd></dl><h4>Optional headers</h4><dl><dt>X-Id</dt><dd>(string) Echoed</dd></dl><h3>Notes</h3><p>Keep.</p><h4>Thing Object</h4><dl><dt>x</dt><dd>y</dd></dl>";
        let mut from_md = DocParts::default();
        for block in crate::markdown::render(md).blocks {
            if let crate::markdown::Block::Html(part) = block {
                from_md.prose.push(Piece::Html(part));
            }
        }
        let from_html = DocParts {
            prose: vec![Piece::Html(crate::document::Part {
                nodes: vec![Node::Html(html.into())],
                ..Default::default()
            })],
            ..DocParts::default()
        };
        let summary = |lists: &[PlacedList]| format!("{lists:?}");
        let lists = read_lists(&from_md);
        assert_eq!(summary(&lists), summary(&read_lists(&from_html)));
        assert_eq!(lists.len(), 4);
        assert_eq!(lists[0].0, Place::Path);
        assert_eq!(lists[1].0, Place::Body);
        assert_eq!(lists[1].2[1].children[0].name, "email");
        assert_eq!(lists[1].2[1].children[0].text, "(string) Mail");
        assert_eq!((lists[2].0.clone(), lists[2].1), (Place::Body, Some(false)));
        assert_eq!(lists[2].2[0].text, "Free text");
        assert_eq!(
            (lists[3].0.clone(), lists[3].1),
            (Place::Header, Some(false))
        );
    }

    /// `Optional parameters` under `Parameters` is that list's optional half, where a
    /// sub-heading of another name under it is an object's fields (prose).
    #[test]
    fn an_optional_half_under_a_parameter_heading_is_its_list() {
        let md = "### Parameters\n\nid\n: (string) The id\n\n#### Optional parameters\n\nlimit\n: (integer) Page size\n\n#### Owner object\n\nemail\n: (string) Mail\n";
        let mut parts = DocParts::default();
        for block in crate::markdown::render(md).blocks {
            if let crate::markdown::Block::Html(part) = block {
                parts.prose.push(Piece::Html(part));
            }
        }
        let lists = read_lists(&parts);
        let placed: Vec<_> = lists
            .iter()
            .map(|(place, required, terms)| (place.clone(), *required, terms[0].name.as_str()))
            .collect();
        assert_eq!(
            placed,
            [(Place::Any, None, "id"), (Place::Any, Some(false), "limit")]
        );
    }

    /// A site layout's parameter table: each row a term stated by its columns, placed by
    /// its `In` cell, else as a query parameter under a `Parameters` heading; a table not
    /// headed by a name column, or under a heading of prose, is no list.
    #[test]
    fn a_parameter_table_states_its_rows_by_its_columns() {
        let html = "<h6>Parameters</h6><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Mandatory</th><th>Default</th><th>Description</th><th>Ranges</th></tr></thead><tbody>\
            <tr><td>id</td><td>path</td><td>integer</td><td>yes</td><td></td><td>The <em>gadget</em>.</td><td></td></tr>\
            <tr><td>X-Trace</td><td>header</td><td>string</td><td>no</td><td></td><td>Echoed.</td><td></td></tr>\
            <tr><td>limit</td><td></td><td>integer</td><td>no</td><td>20</td><td>Page size.</td><td>1, 100</td></tr>\
            </tbody></table><table><tr><th>Input</th><th>Result</th></tr><tr><td>a</td><td>b</td></tr></table>\
            <h6>Notes</h6><table><tr><th>Name</th></tr><tr><td>prose</td></tr></table>";
        let parts = DocParts {
            prose: vec![Piece::Html(crate::document::Part::raw(html.into()))],
            ..DocParts::default()
        };
        let lists = read_lists(&parts);
        let places: Vec<(Place, Vec<&str>)> = lists
            .iter()
            .map(|(p, _, ts)| (p.clone(), ts.iter().map(|t| t.name.as_str()).collect()))
            .collect();
        assert_eq!(
            places,
            [
                (Place::Path, vec!["id"]),
                (Place::Header, vec!["X-Trace"]),
                (Place::Query, vec!["limit"]),
            ]
        );
        let stated = |i: usize| lists[i].2[0].stated.clone().unwrap();
        assert_eq!(stated(0).required, Some(true));
        assert_eq!(
            stated(0).schema,
            Some(serde_json::json!({"type": "integer"}))
        );
        assert_eq!(stated(0).rest, "The gadget.");
        assert_eq!(stated(1).required, Some(false));
        assert_eq!(
            stated(2).schema,
            Some(serde_json::json!({"type": "integer", "default": 20}))
        );
        assert_eq!(stated(2).rest, "Page size. Ranges: 1, 100.");

        // The same table in markdown is read the same way (try-it reads both alike).
        let md = "###### Parameters\n\n| Name | In | Type | Mandatory | Default | Description | Ranges |\n|---|---|---|---|---|---|---|\n| id | path | integer | yes | | The *gadget*. | |\n| X-Trace | header | string | no | | Echoed. | |\n| limit | | integer | no | 20 | Page size. | 1, 100 |\n\n### Notes\n\n| Name |\n|---|\n| prose |\n";
        let mut from_md = DocParts::default();
        for block in crate::markdown::render(md).blocks {
            if let crate::markdown::Block::Html(part) = block {
                from_md.prose.push(Piece::Html(part));
            }
        }
        assert_eq!(format!("{:?}", read_lists(&from_md)), format!("{lists:?}"));
    }
}
