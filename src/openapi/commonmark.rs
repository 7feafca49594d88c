//! An operation's description as CommonMark, from the doc's markdown after Liquid (what
//! compose read), not from endpaper's HTML: the definition lists the export reads as
//! parameters, body or response fields leave it with the headings that only introduced
//! them (the same `Outline` decides both), titled samples go (they are examples and
//! `x-codeSamples`), kramdown's own syntax (attribute lists, extensions, heading ids,
//! definition lists left in the prose) becomes CommonMark, and links are made to work
//! outside the site.

use super::lists::Outline;
use crate::compose::find_links;

/// Where a link of the description goes once it leaves the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// As written (an absolute URL, or nothing the site can say better).
    Keep,
    /// To this URL instead (another operation's published page).
    To(String),
    /// Nowhere: a doc of another audience. The link's text stays, the link goes.
    Unlink,
}

/// The description of an operation from its doc's markdown; `links` says where each link
/// destination goes.
pub fn description(md: &str, links: &dyn Fn(&str) -> Target) -> String {
    relink(&convert(md, true), links)
}

/// A kramdown attribute list or extension on a line of its own (`{: .warning }`,
/// `{::options … /}`): no CommonMark reader knows it.
fn is_kramdown_line(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with("{:") && t.ends_with('}')) || t.starts_with("{::") || t.starts_with("{:/")
}

/// `### Title {#id}` → (3, `Title`).
fn atx(t: &str) -> Option<(u8, String)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let mut text = rest.trim();
    // A kramdown id or attribute list closes the line: `{#id}`, `{: .x}`.
    if text.ends_with('}') {
        if let Some(open) = text.rfind('{') {
            if text[open + 1..].starts_with(['#', ':', '.']) {
                text = text[..open].trim_end();
            }
        }
    }
    let text = text.trim_end_matches('#').trim_end();
    Some((hashes as u8, text.to_string()))
}

fn fence_marker(t: &str) -> Option<(u8, usize)> {
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let run = t.bytes().take_while(|&b| b == c).count();
    (run >= 3).then_some((c, run))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_definition(line: &str) -> bool {
    let t = line.trim_start();
    indent(line) <= 3 && (t == ":" || t.starts_with(": ") || t.starts_with(":\t"))
}

/// Whether line `i` starts a definition list's term: a line with a definition (`: …`)
/// right under it, or under one blank line.
fn is_term(lines: &[&str], i: usize) -> bool {
    let l = lines[i];
    if l.trim().is_empty() || is_definition(l) || indent(l) > 3 {
        return false;
    }
    let mut j = i + 1;
    // Several terms may share a definition.
    while j < lines.len() && !lines[j].trim().is_empty() && !is_definition(lines[j]) {
        j += 1;
        if j - i > 3 {
            return false;
        }
    }
    match lines.get(j) {
        Some(l) if is_definition(l) => true,
        Some(l) if l.trim().is_empty() => lines.get(j + 1).is_some_and(|l| is_definition(l)),
        _ => false,
    }
}

/// The end (exclusive) of the definition list starting at line `i`.
fn list_end(lines: &[&str], mut i: usize) -> usize {
    let n = lines.len();
    while i < n {
        let l = lines[i];
        if !l.trim().is_empty() {
            i += 1;
            continue;
        }
        // A blank line: the list goes on with an indented continuation, another
        // definition or another term.
        let mut k = i;
        while k < n && lines[k].trim().is_empty() {
            k += 1;
        }
        if k < n && (indent(lines[k]) > 0 || is_definition(lines[k]) || is_term(lines, k)) {
            i = k;
        } else {
            return i;
        }
    }
    n
}

/// A definition list kept in the prose, as a CommonMark bullet list: `- **term**: text`,
/// what else the definition holds indented under it (converted in turn).
fn list_to_commonmark(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut terms: Vec<&str> = Vec::new();
    // A definition marker further in than the terms belongs to a list nested in a definition.
    let base = lines.first().map_or(0, |l| indent(l));
    let is_definition = |l: &str| is_definition(l) && indent(l) <= base + 1;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim().is_empty() {
            i += 1;
            continue;
        }
        if !is_definition(l) {
            terms.push(l.trim());
            i += 1;
            continue;
        }
        let first = l.trim_start()[1..].trim();
        // The definition's other lines: up to the next term or definition.
        let mut j = i + 1;
        while j < lines.len()
            && !is_definition(lines[j])
            && !(indent(lines[j]) == 0 && !lines[j].trim().is_empty() && is_term(lines, j))
        {
            j += 1;
        }
        let rest: Vec<&str> = lines[i + 1..j].to_vec();
        let cut = rest
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| indent(l))
            .min()
            .unwrap_or(0);
        let dedented: Vec<&str> = rest
            .iter()
            .map(|l| if l.len() >= cut { &l[cut..] } else { "" })
            .collect();
        let inner = convert(&dedented.join("\n"), false);
        if out.is_empty() || !terms.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("- ");
            if !terms.is_empty() {
                out.push_str(&format!("**{}**", terms.join(", ")));
                if !first.is_empty() {
                    out.push_str(": ");
                }
            }
            out.push_str(first);
        } else {
            // Another definition of the same term: a paragraph of the same item.
            out.push_str("\n\n  ");
            out.push_str(first);
        }
        terms.clear();
        if !inner.is_empty() {
            // A lazy continuation line of the first paragraph stays in it.
            let sep = if rest.first().is_some_and(|l| !l.trim().is_empty()) {
                "\n"
            } else {
                "\n\n"
            };
            out.push_str(sep);
            out.push_str(&indented(&inner, "  "));
        }
        i = j;
    }
    if !terms.is_empty() {
        out.push_str(&terms.join("\n"));
    }
    out
}

/// `text` with every line that is not empty indented by `pad`.
pub fn indented(text: &str, pad: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The markdown as CommonMark blocks; with `take_lists`, the operation's lists (and the
/// headings that only introduce them) and titled samples left out.
fn convert(md: &str, take_lists: bool) -> String {
    // `md.lines()`, split with memchr's vector scan rather than a char searcher per line.
    let mut lines: Vec<&str> = Vec::new();
    let mut at = 0;
    for end in memchr::memchr_iter(b'\n', md.as_bytes()) {
        let line = &md[at..end];
        lines.push(line.strip_suffix('\r').unwrap_or(line));
        at = end + 1;
    }
    if at < md.len() {
        lines.push(&md[at..]);
    }
    let mut blocks: Vec<String> = Vec::new();
    let mut outline = Outline::default();
    // A heading waits for what follows: a list the export takes drops it, and so do titled
    // samples the export takes when nothing of the description follows them under it.
    let mut pending: Option<String> = None;
    let mut pending_took_samples = false;
    let level_of = |h: &str| h.bytes().take_while(|&b| b == b'#').count();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |blocks: &mut Vec<String>, paragraph: &mut Vec<&str>| {
        if !paragraph.is_empty() {
            blocks.push(paragraph.join("\n"));
            paragraph.clear();
        }
    };
    let keep = |blocks: &mut Vec<String>, pending: &mut Option<String>, block: String| {
        blocks.extend(pending.take());
        blocks.push(block);
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim_start();
        let at_start = paragraph.is_empty();
        if t.is_empty() {
            flush(&mut blocks, &mut paragraph);
            i += 1;
            continue;
        }
        // A comment on lines of its own is a note to the site's writers (a `TODO`), not
        // to the API's readers.
        if t.starts_with("<!--") && paragraph.is_empty() {
            let close = (i..lines.len()).find(|&j| lines[j].contains("-->"));
            if let Some(j) = close.filter(|&j| lines[j].trim_end().ends_with("-->")) {
                i = j + 1;
                continue;
            }
        }
        if indent(line) <= 3 {
            if let Some((c, run)) = fence_marker(t) {
                flush(&mut blocks, &mut paragraph);
                let mut j = i + 1;
                while j < lines.len() {
                    let u = lines[j].trim();
                    if fence_marker(u).is_some_and(|(d, r)| d == c && r >= run)
                        && u.trim_start_matches(c as char).is_empty()
                    {
                        break;
                    }
                    j += 1;
                }
                let end = (j + 1).min(lines.len());
                let ial = lines.get(end).filter(|l| is_kramdown_line(l));
                let titled = ial.is_some_and(|l| l.contains("title="));
                if !titled {
                    keep(&mut blocks, &mut pending, lines[i..end].join("\n"));
                } else if pending.is_some() {
                    pending_took_samples = true;
                }
                i = end + usize::from(ial.is_some());
                continue;
            }
            if is_kramdown_line(t) {
                flush(&mut blocks, &mut paragraph);
                i += 1;
                continue;
            }
            let setext = lines.get(i + 1).filter(|_| at_start).and_then(|n| {
                let n = n.trim();
                let level = match n.as_bytes().first() {
                    Some(b'=') => 1,
                    Some(b'-') if n.len() >= 2 => 2,
                    _ => return None,
                };
                n.bytes().all(|b| b == n.as_bytes()[0]).then_some(level)
            });
            if let Some((level, text)) = atx(t).or_else(|| setext.map(|l| (l, t.to_string()))) {
                flush(&mut blocks, &mut paragraph);
                let emptied = pending_took_samples
                    && pending
                        .as_deref()
                        .is_some_and(|h| level_of(h) >= usize::from(level));
                blocks.extend(pending.take().filter(|_| !emptied));
                pending_took_samples = false;
                outline.heading(level, &text);
                pending = Some(format!("{} {text}", "#".repeat(level.into())));
                i += if atx(t).is_some() { 1 } else { 2 };
                continue;
            }
            let html_list = t.starts_with("<dl") && t[3..].starts_with(['>', ' ', '\t', '\n']);
            if at_start && (html_list || is_term(&lines, i)) {
                let end = if html_list {
                    (i..lines.len())
                        .find(|&j| lines[j].contains("</dl>"))
                        .map_or(lines.len(), |j| j + 1)
                } else {
                    list_end(&lines, i)
                };
                if take_lists && outline.list().is_some() {
                    pending = None;
                } else if html_list {
                    keep(&mut blocks, &mut pending, lines[i..end].join("\n"));
                } else {
                    keep(
                        &mut blocks,
                        &mut pending,
                        list_to_commonmark(&lines[i..end]),
                    );
                }
                i = end;
                continue;
            }
        }
        if paragraph.is_empty() {
            blocks.extend(pending.take());
        }
        paragraph.push(line.trim_end());
        i += 1;
    }
    flush(&mut blocks, &mut paragraph);
    blocks.extend(pending.filter(|_| !pending_took_samples));
    blocks.join("\n\n").trim().to_string()
}

/// `text` with each link destination where `links` sends it.
fn relink(text: &str, links: &dyn Fn(&str) -> Target) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (dest, at) in find_links(text) {
        // `find_links` takes `<…>` off; the edit covers what the text holds.
        let at = if text[at..].starts_with('<') {
            at + 1
        } else {
            at
        };
        if !text[at..].starts_with(&dest) {
            continue;
        }
        match links(&dest) {
            Target::Keep => {}
            Target::To(url) => edits.push((at, at + dest.len(), url)),
            Target::Unlink => match inline_link(text, at, dest.len()) {
                Some((start, end, label)) => edits.push((start, end, label.to_string())),
                None => edits.push((at, at + dest.len(), String::new())),
            },
        }
    }
    let mut out = text.to_string();
    for (start, end, with) in edits.into_iter().rev() {
        if start >= end || out.get(start..end).is_none() {
            continue;
        }
        out.replace_range(start..end, &with);
    }
    out
}

/// The inline link `[label](dest …)` whose destination starts at `at`: its span and label.
fn inline_link(text: &str, at: usize, len: usize) -> Option<(usize, usize, &str)> {
    let before = text[..at].strip_suffix('<').unwrap_or(&text[..at]);
    let open_paren = before.strip_suffix("](")?.len();
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in text[..open_paren].char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => {
                start = Some(i);
                break;
            }
            '[' => depth -= 1,
            _ => {}
        }
    }
    let start = start?;
    let close = at + len + text[at + len..].find(')')?;
    Some((start, close + 1, &text[start + 1..open_paren]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: &str) -> Target {
        Target::Keep
    }

    #[test]
    fn the_operations_lists_and_titled_samples_leave_and_kramdown_becomes_commonmark() {
        let md = "Intro with `code`.\n{: .lead }\n\n<!-- TODO: a note\nto writers -->\n<!-- one -->\nx\n: (string) Taken: no heading above\n\n### URL Parameters {#u}\n\nid\n: (string) The id\n\n### Request Parameters:\n\nname\n: (string, required) Name\n\nowner\n: (object) Owner\n\n  email\n  : (string) Mail\n\n#### Optional:\n\nnote\n: Free text\n\n~~~ json\n{\"a\": 1}\n~~~\n{: title=\"Request\" }\n\n~~~ sh\nls\n~~~\n\n### Notes\n\nKeep.\n\n#### Thing Object\n\nx\n: y\n  more of y\n\n  inner\n  : z\n";
        assert_eq!(
            description(md, &keep),
            "Intro with `code`.\n\n~~~ sh\nls\n~~~\n\n### Notes\n\nKeep.\n\n#### Thing Object\n\n- **x**: y\n  more of y\n\n  - **inner**: z"
        );
    }

    #[test]
    fn a_heading_over_only_the_samples_the_export_takes_leaves_with_them() {
        let sample = "~~~ sh\ncurl x\n~~~\n{: title=\"Curl\" }";
        let md = format!(
            "Intro.\n\n### Code samples\n\n{sample}\n\n## Errors\n\nNone.\n\n### Example\n\n{sample}\n\nThe call above.\n\n### Samples\n\n{sample}\n\n#### Deeper\n\nText.\n\n### Last\n\n{sample}\n"
        );
        assert_eq!(
            description(&md, &keep),
            "Intro.\n\n## Errors\n\nNone.\n\n### Example\n\nThe call above.\n\n### Samples\n\n#### Deeper\n\nText."
        );
        // A heading with nothing under it in the doc itself stays, as before.
        assert_eq!(
            description("Intro.\n\n### Empty\n", &keep),
            "Intro.\n\n### Empty"
        );
    }

    #[test]
    fn links_go_where_the_site_says() {
        let md = "See [Orders](#orders) and [secret](#internal) and <a href=\"#orders\">o</a>, [web](https://x.example/).";
        let links = |d: &str| match d {
            "#orders" => Target::To("https://docs.example/#orders".into()),
            "#internal" => Target::Unlink,
            _ => Target::Keep,
        };
        assert_eq!(
            description(md, &links),
            "See [Orders](https://docs.example/#orders) and secret and <a href=\"https://docs.example/#orders\">o</a>, [web](https://x.example/)."
        );
    }
}
