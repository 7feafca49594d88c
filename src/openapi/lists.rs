//! The definition lists of an endpoint doc's prose that are its operation's (parameters,
//! body and response fields), placed by the headings above them: read off the document
//! model, and off raw HTML the doc wrote.

use super::export::{classify, status_in, Place};
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
    decode_entities(&strip_tags(html))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
        let (place, required) = match word.as_str() {
            "required" | "optional" => (
                stack.last().and_then(|s| s.1.clone()),
                Some(word == "required"),
            ),
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
    for node in nodes {
        let top = open.is_empty();
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
                    let text = squash(&list.text.take().unwrap_or_default());
                    let children = std::mem::take(&mut list.children);
                    if let Some(t) = list.terms.last_mut() {
                        if !t.text.is_empty() {
                            t.text.push(' ');
                        }
                        t.text.push_str(&text);
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
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same lists, in markdown (the model) and as raw HTML a doc wrote, are placed
    /// alike.
    #[test]
    fn lists_are_placed_by_their_heading() {
        let md = "Intro\n\n### URL Parameters\n\nid\n: (string) The id\n\n### Request Parameters:\n\nname\n: (string, required) Name\n\nowner\n: (object) Owner\n\n  email\n  : (string) *Mail*\n\n#### Optional:\n\nnote\n: Free `text`\n\n### Notes\n\nKeep.\n\n#### Thing Object\n\nx\n: y\n";
        let html = "<p>Intro</p>\n<h3 id=\"u\">URL Parameters</h3>\n<dl><dt>id</dt><dd>(string) The id</dd></dl>\n<h3>Request Parameters:</h3>\n<dl><dt>name</dt><dd>(string, required) Name</dd><dt>owner</dt><dd>(object) Owner<dl><dt>email</dt><dd>(string) <em>Mail</em></dd></dl></dd></dl>\n<h4>Optional:</h4><dl><dt>note</dt><dd>Free <code>text</code></dd></dl><h3>Notes</h3><p>Keep.</p><h4>Thing Object</h4><dl><dt>x</dt><dd>y</dd></dl>";
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
        assert_eq!(lists.len(), 3);
        assert_eq!(lists[0].0, Place::Path);
        assert_eq!(lists[1].0, Place::Body);
        assert_eq!(lists[1].2[1].children[0].name, "email");
        assert_eq!(lists[1].2[1].children[0].text, "(string) Mail");
        assert_eq!((lists[2].0.clone(), lists[2].1), (Place::Body, Some(false)));
        assert_eq!(lists[2].2[0].text, "Free text");
    }
}
