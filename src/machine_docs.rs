//! Docs for machines: a markdown twin of every doc (`section/doc.md`), `llms.txt`
//! (llmstxt.org: title, summary, one link per doc) and `llms-full.txt` (every twin, in
//! order), which assistants and coding agents read instead of the HTML.
//!
//! Twins are made from the doc's finished HTML (after links to docs of other audiences
//! lost their target), converted by `htmd`, so they hold exactly what the page shows to
//! this build's audience and nothing more; samples are taken unhighlighted. The HTML
//! endpaper wrote is read into htmd's DOM directly (`tree.rs`); other HTML is parsed by
//! html5ever, as htmd would.

use crate::config::Config;
use crate::render::PageSection;
use crate::spool::Chunk;
use htmd::element_handler::{HandlerResult, Handlers};
use htmd::Element;
use std::collections::HashSet;
use std::fmt::Write as _;

mod tree;

// Where a doc's files go is the output layout's business (render); re-exported here.
pub use crate::render::{doc_stem, twin_path};

/// Puts each titled sample's title before it as a bold line, and drops the buttons
/// (copy, tabs) that mean nothing outside a browser.
fn prepare(html: &str) -> String {
    const OPEN: &str = "<div class=\"ep-sample";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..tag_end];
        if let Some(t) = tag.split_once("data-title=\"") {
            let title = t.1.split('"').next().unwrap_or("");
            let _ = write!(out, "<p><strong>{title}</strong></p>");
        }
        out.push_str(tag);
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

thread_local! {
    static CONVERTER: htmd::HtmlToMarkdown = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["button", "script", "style"])
        .add_handler(vec!["dt"], definition_term)
        .add_handler(vec!["dd"], definition)
        .build();
}

/// A definition list keeps kramdown's own syntax (`term` / `: definition`), the syntax
/// the docs are written in, so each parameter stays next to what it means; as plain
/// paragraphs the pairing was lost.
fn definition_term(h: &dyn Handlers, el: Element) -> Option<HandlerResult> {
    let term = h.walk_children(el.node).content;
    Some(format!("\n\n{}\n", one_line(&term)).into())
}

fn definition(h: &dyn Handlers, el: Element) -> Option<HandlerResult> {
    let body = h.walk_children(el.node).content;
    // Later paragraphs (and nested lists) of a definition are indented under it.
    let body = body.trim().replace('\n', "\n  ").replace("\n  \n", "\n\n");
    Some(format!(": {body}\n").into())
}

/// Deepest element nesting `htmd` is given: its tree walk recurses per level, and a
/// hostile doc nests thousands of lists (markdown allows it) which would overflow the
/// stack. Real docs stay far below.
const MAX_DEPTH: usize = 96;

/// Deepest element nesting in `html` (an estimate: void elements and `/>` close at once).
fn depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "embed",
        "source", "track",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.ends_with('/') {
            let name = tag
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("");
            if !VOID.contains(&name.to_ascii_lowercase().as_str()) {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// Markdown of a doc's HTML (prose and code columns). Too deeply nested HTML becomes its
/// plain text instead.
pub fn html_to_markdown(html: &str) -> String {
    if depth(html) > MAX_DEPTH {
        let text = crate::model::decode_entities(&crate::compose::strip_tags(html));
        return text.trim().to_string();
    }
    let html = prepare(html);
    CONVERTER
        .with(|c| match tree::parse(&html) {
            Some(tree) => Ok(c.tree_to_markdown(&tree)),
            None => c.convert(&html),
        })
        .unwrap_or_else(|_| crate::compose::strip_tags(&html))
}

/// What stands for sample `i`'s code in HTML given to [`html_to_markdown_with_code`]:
/// private-use characters, which HTML parsing and `htmd` keep as they are.
pub fn code_mark(i: usize) -> String {
    format!("{MARK_OPEN}{i}{MARK_CLOSE}")
}

const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// [`html_to_markdown`] of HTML whose code blocks hold [`code_mark`]s instead of their
/// code, with each sample's code put back into its fenced block. Sample code is about half
/// of a doc's HTML, and it comes out of the conversion unchanged, so it is not escaped
/// into HTML only to be parsed back out. `None` when a mark is not alone in a fenced
/// block (HTML of an unexpected shape, or a doc that writes the marks' characters itself),
/// or `codes` holds what HTML parsing would change (CR, NUL): the caller then converts the
/// HTML with the code in it.
pub fn html_to_markdown_with_code(html: &str, codes: &[&str]) -> Option<String> {
    if codes.iter().any(|c| c.contains(['\r', '\0'])) {
        return None;
    }
    let md = html_to_markdown(html);
    let mut out = String::with_capacity(md.len() + codes.iter().map(|c| c.len()).sum::<usize>());
    let mut used = vec![false; codes.len()];
    let mut rest = md.as_str();
    while let Some(at) = rest.find(MARK_OPEN) {
        let (before, after) = rest.split_at(at);
        let after = &after[MARK_OPEN.len_utf8()..];
        let end = after.find(MARK_CLOSE)?;
        let i: usize = after[..end].parse().ok()?;
        if std::mem::replace(used.get_mut(i)?, true) {
            return None;
        }
        let after = &after[end + MARK_CLOSE.len_utf8()..];
        // htmd wrote the block as FENCE LANG \n MARK \n FENCE, its fence sized for the
        // mark (three of its fence character): resized here for the code.
        let before = before.strip_suffix('\n')?;
        let line = before.rfind('\n').map_or(0, |n| n + 1);
        let fence_char = before[line..]
            .chars()
            .next()
            .filter(|c| matches!(c, '`' | '~'))?;
        let short_fence = fence_char.to_string().repeat(3);
        let lang = before[line..].strip_prefix(&short_fence)?;
        let after = after.strip_prefix('\n')?.strip_prefix(&short_fence)?;
        if !(after.is_empty() || after.starts_with('\n')) {
            return None;
        }
        let code = codes[i].strip_suffix('\n').unwrap_or(codes[i]);
        let fence = code_fence(fence_char, code);
        out.push_str(&before[..line]);
        for piece in [&fence, lang, "\n", code, "\n", &fence] {
            out.push_str(piece);
        }
        rest = after;
    }
    out.push_str(rest);
    used.iter().all(|u| *u).then_some(out)
}

/// htmd's fence for a code block: its fence character, one more than the longest run of
/// it in the code, at least three.
fn code_fence(c: char, code: &str) -> String {
    let (mut longest, mut run) = (0, 0);
    for ch in code.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    c.to_string().repeat(3.max(longest + 1))
}

/// Points `href="#anchor"` links at other docs to those docs' twins (`#ordersget_order` →
/// `/orders/get_order.md`): in a markdown file a bare doc anchor leads nowhere. `twin` gives
/// a built doc's twin URL by its anchor; other fragments (headings) stay as they are.
/// Links to docs of other audiences (`hidden`) lose their target, as on the page
/// ([`crate::render::unlink_anchors`]), in the same pass.
pub fn link_twins(
    html: &str,
    hidden: &HashSet<String>,
    twin: &dyn Fn(&str) -> Option<String>,
) -> String {
    use crate::html::Href;
    crate::html::rewrite_hrefs(html, |url| {
        if crate::render::leaks(url, hidden) {
            return Href::Drop;
        }
        match url.strip_prefix('#').and_then(twin) {
            Some(url) => Href::To(url),
            None => Href::Keep,
        }
    })
}

/// A twin: the doc's title, its endpoint, its description, then its body.
pub fn twin(name: &str, method: &str, path: &str, description: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 128);
    let heading = if name.is_empty() { path } else { name };
    let _ = writeln!(out, "# {}\n", one_line(heading));
    if !method.is_empty() {
        let _ = writeln!(out, "`{} {}`\n", method.to_uppercase(), one_line(path));
    }
    if !description.is_empty() {
        let _ = writeln!(out, "{}\n", one_line(description));
    }
    out.push_str(body.trim());
    out.push('\n');
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub use crate::seo::site_root;

fn header(config: &Config, title: &str) -> String {
    let mut out = format!("# {}\n\n", one_line(title));
    if !config.description.trim().is_empty() {
        let _ = writeln!(out, "> {}\n", one_line(&config.description));
    }
    out
}

/// `llms.txt`: title, summary, then one section per reference section with a link to the
/// twin of each doc (absolute when the site has a `url`).
pub fn llms_txt(config: &Config, title: &str, sections: &[PageSection]) -> String {
    let root = site_root(config).unwrap_or_default();
    let mut out = header(config, title);
    let _ = writeln!(
        out,
        "Each link is the markdown of one doc; llms-full.txt holds all of them.\n"
    );
    for s in sections.iter().filter(|s| !s.docs.is_empty()) {
        let _ = writeln!(out, "## {}\n", one_line(&s.title));
        for d in &s.docs {
            let label = match (d.name.is_empty(), d.method.is_empty()) {
                (false, false) => format!("{} ({} {})", d.name, d.method.to_uppercase(), d.title),
                (false, true) => d.name.clone(),
                (true, false) => format!("{} {}", d.method.to_uppercase(), d.title),
                (true, true) => d.title.clone(),
            };
            let label = one_line(&label).replace(['[', ']'], "");
            let _ = write!(out, "- [{label}]({root}{})", twin_path(&d.rel));
            if !d.description.trim().is_empty() {
                let _ = write!(out, ": {}", one_line(&d.description));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// `llms-full.txt`: the header, then every twin in reading order, as the chunks of the
/// file to be written one after another: the file is every twin, which would otherwise be
/// copied into one string.
pub fn llms_full(config: &Config, title: &str, sections: &[PageSection]) -> Vec<Chunk> {
    let mut chunks = vec![Chunk::from(header(config, title))];
    for d in sections.iter().flat_map(|s| &s.docs) {
        chunks.push(Chunk::Static("\n---\n\n"));
        chunks.push(d.markdown.clone());
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn deeply_nested_html_becomes_plain_text_instead_of_overflowing() {
        assert_eq!(depth("<p>a<br><img src=x/><b>c</b></p><hr>"), 2);
        let deep = format!(
            "{}deep{}",
            "<ul><li>".repeat(5000),
            "</li></ul>".repeat(5000)
        );
        assert_eq!(html_to_markdown(&deep), "deep");
    }

    #[test]
    fn definition_lists_keep_each_term_with_its_definition() {
        let html = "<h3>Query Parameters</h3>\n<dl>\n<dt>limit</dt>\n<dd>(integer) At most this many.</dd>\n<dt>status</dt>\n<dd><p>(string) One of:</p><p><code>open</code> or <code>closed</code>.</p></dd>\n</dl>\n<p>After.</p>";
        let md = html_to_markdown(html);
        assert!(
            md.contains("limit\n: (integer) At most this many.\n"),
            "{md}"
        );
        assert!(
            md.contains("status\n: (string) One of:\n\n  `open` or `closed`."),
            "{md}"
        );
        assert!(md.contains("\n\nAfter."), "{md}");
        // What the twin says is what kramdown reads back as the same list.
        let back: String = crate::markdown::render(&md)
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                crate::markdown::Block::Html(h) => Some(h.html),
                crate::markdown::Block::Code(_) => None,
            })
            .collect();
        assert!(back.contains("<dt>limit</dt>"), "{back}");
        assert!(back.contains("<dt>status</dt>"), "{back}");
    }

    /// A doc's samples with their code written into the HTML, and with marks put back:
    /// the same markdown, for code of every awkward kind.
    #[test]
    fn code_put_back_after_conversion_is_the_code_converted() {
        let codes = [
            "curl -X POST \"https://x/<id>?a=1&b=2\"\n",
            "",
            "has ``` and ```` fences\nand `one`",
            "  indented\n\n\ntrailing blank lines\n\n",
            "~~~ tildes &amp; entities &lt;",
            "\u{E000}0\u{E001} looks like a mark",
        ];
        let page = |code: &dyn Fn(usize) -> String| {
            let mut html = String::from("<p>Intro <code>inline</code></p>");
            for (i, lang) in ["bash", "", "json", "text", "md", "js"].iter().enumerate() {
                let _ = write!(
                    html,
                    "<div class=\"ep-sample\" data-title=\"T{i}\" data-lang=\"{lang}\"><button>Copy</button><pre class=\"ep-code\"><code class=\"language-{lang}\">{}</code></pre></div>",
                    code(i)
                );
            }
            html + "<p>End.</p>"
        };
        let whole = html_to_markdown(&page(&|i| crate::html::escape(codes[i])));
        let marked = page(&code_mark);
        assert_eq!(
            html_to_markdown_with_code(&marked, &codes).as_deref(),
            Some(whole.as_str())
        );
        // A mark the doc wrote itself, code HTML would change, a mark not in a block.
        assert_eq!(
            html_to_markdown_with_code(&format!("<p>{}</p>{marked}", code_mark(1)), &codes),
            None
        );
        let cr = ["a\r\nb", "", "", "", "", ""];
        assert_eq!(html_to_markdown_with_code(&marked, &cr), None);
        assert_eq!(
            html_to_markdown_with_code(&format!("<p>{}</p>", code_mark(0)), &["x"]),
            None
        );
        assert_eq!(html_to_markdown_with_code(&marked, &codes[..5]), None);
    }

    #[test]
    fn links_to_other_docs_lead_to_their_twins() {
        let twins = HashMap::from([(
            "ordersget_order".to_string(),
            "https://docs.x/v2/orders/get_order.md".to_string(),
        )]);
        let html = r##"<p>See <a href="#ordersget_order">one order</a>, <a href="#url-parameters">below</a> and <a href="https://y/#ordersget_order">away</a>.</p>"##;
        let md = html_to_markdown(&link_twins(html, &HashSet::new(), &|a| {
            twins.get(a).cloned()
        }));
        assert!(
            md.contains("[one order](https://docs.x/v2/orders/get_order.md)"),
            "{md}"
        );
        assert!(
            md.contains("[below](#url-parameters)"),
            "headings stay: {md}"
        );
        assert!(md.contains("[away](https://y/#ordersget_order)"), "{md}");
    }

    #[test]
    fn twin_paths_follow_the_source() {
        assert_eq!(twin_path("_orders/get_order.md"), "orders/get_order.md");
        assert_eq!(twin_path("_a/b/c.markdown"), "a/b/c.md");
        assert_eq!(doc_stem("_a/.hidden"), "a/.hidden");
    }

    #[test]
    fn samples_keep_their_title_and_lose_their_buttons() {
        let html = r#"<p>Lists <a href="/x">orders</a>.</p><div class="ep-tabs"><div class="ep-tablist" role="tablist"><button type="button" role="tab">Curl</button></div><div class="ep-sample" role="tabpanel" data-title="Curl" data-lang="bash"><button type="button" class="ep-copy">Copy</button><pre class="ep-code"><code class="language-bash">curl https://x/&lt;id&gt;</code></pre></div></div>"#;
        let md = html_to_markdown(html);
        assert!(md.contains("Lists [orders](/x)."), "{md}");
        assert!(md.contains("**Curl**"), "{md}");
        assert!(md.contains("```bash\ncurl https://x/<id>\n```"), "{md}");
        assert!(!md.contains("Copy"), "{md}");
        let t = twin("Get Order", "get", "/orders/<id>", "One order.", &md);
        assert!(t.starts_with("# Get Order\n\n`GET /orders/<id>`\n\nOne order.\n\n"));
    }
}
