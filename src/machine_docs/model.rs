//! A twin's tree built from the doc's document model: each element of the model opened and
//! closed as the page's HTML would, each sample's code put in as it is, raw HTML the doc
//! wrote read in by `tree`'s reader where it is sure to read it as HTML5 would.

use super::tree::{self, Dom};
use super::MAX_DEPTH;
use crate::compose::{DocParts, Piece, Sample};
use crate::document::{self, Element, Node};
use crate::html::Href;
use std::borrow::Cow;

/// What a doc's model makes of its twin's tree.
pub(super) enum Built<'a> {
    Tree(Dom<'a>),
    /// Nested deeper than the twin is written ([`MAX_DEPTH`]).
    TooDeep,
    /// Raw HTML the doc wrote that HTML5 may read otherwise than the tree reader would, or
    /// that balancing had to close: the page's HTML goes to html5ever.
    Raw,
}

/// The tree of the twin of `p`, its links led by `href`.
pub(super) fn build<'a>(p: &'a DocParts, href: &'a dyn Fn(&str) -> Href) -> Built<'a> {
    let mut b = Twin {
        tree: tree::Tree::new(),
        href,
        samples: &p.samples,
        too_deep: false,
    };
    let rebalanced = p
        .prose
        .iter()
        .chain(&p.code)
        .any(|x| matches!(x, Piece::Html(part) if part.rebalanced()));
    let built = !rebalanced
        && b.pieces(&p.prose)
            .and_then(|()| b.tree.text(Cow::Borrowed("\n")))
            .and_then(|()| b.pieces(&p.code))
            .is_some();
    if b.too_deep {
        Built::TooDeep
    } else if built {
        Built::Tree(b.tree.finish())
    } else {
        Built::Raw
    }
}

/// The tree of a twin being built from the model.
struct Twin<'a> {
    tree: tree::Tree<'a>,
    href: &'a dyn Fn(&str) -> Href,
    samples: &'a [Sample],
    /// Nested deeper than `htmd` is given ([`MAX_DEPTH`]): the build stopped.
    too_deep: bool,
}

impl<'a> Twin<'a> {
    fn pieces(&mut self, pieces: &'a [Piece]) -> Option<()> {
        for piece in pieces {
            match piece {
                Piece::Html(part) => self.nodes(&part.nodes)?,
                Piece::Inline(i) => self.sample(*i)?,
                Piece::Group(idx) => self.group(idx)?,
            }
        }
        Some(())
    }

    fn open(&mut self, tag: document::Tag<'a>, void: bool) -> Option<()> {
        self.tree.text(Cow::Borrowed(tag.before))?;
        let attrs = tag
            .attrs
            .into_iter()
            .map(|(k, v)| tree::attribute(k, v))
            .collect::<Option<Vec<_>>>()?;
        self.tree.open(tag.name, attrs, void)?;
        if self.tree.depth > MAX_DEPTH {
            self.too_deep = true;
            return None;
        }
        self.tree.text(Cow::Borrowed(tag.after))
    }

    /// Opens a plain element of the sample markup (`compose`'s).
    fn element(&mut self, name: &'static str, attrs: Vec<(&'a str, Cow<'a, str>)>) -> Option<()> {
        self.open(
            document::Tag {
                before: "",
                name,
                attrs,
                after: "",
            },
            false,
        )
    }

    fn close(&mut self, name: &str, after: &'static str) -> Option<()> {
        self.tree.close(name)?;
        self.tree.text(Cow::Borrowed(after))
    }

    fn nodes(&mut self, nodes: &'a [Node]) -> Option<()> {
        // Raw HTML is read a run of nodes at a time: a comment or a tag may span two.
        let mut raw = String::new();
        for node in nodes {
            if let Node::Html(h) | Node::InlineHtml(h) = node {
                raw.push_str(h);
                continue;
            }
            self.raw(&mut raw)?;
            match node {
                Node::Start(e) => {
                    let mut tag = document::start_tag(e);
                    if let Element::Link(_) = e {
                        document::resolve_link(&mut tag, self.href);
                    }
                    self.open(tag, false)?;
                }
                Node::End(k) => {
                    let (before, name, after) = document::end_tag(*k);
                    self.tree.text(Cow::Borrowed(before))?;
                    self.close(name, after)?;
                }
                Node::Text(t) => self.tree.text(Cow::Borrowed(t))?,
                Node::Code { code, .. } => {
                    let tag = document::leaf_tag(node, document::Markup::Endpaper)?;
                    self.open(tag, false)?;
                    self.tree.text(Cow::Borrowed(code))?;
                    self.close("code", "")?;
                }
                Node::Html(_) | Node::InlineHtml(_) => {}
                Node::SoftBreak => self.tree.text(Cow::Borrowed("\n"))?,
                Node::HardBreak | Node::Rule(_) | Node::Image(_) => {
                    let tag = document::leaf_tag(node, document::Markup::Endpaper)?;
                    self.open(tag, true)?;
                }
                Node::Task(done) => self.tree.text(Cow::Borrowed(document::task_text(*done)))?,
            }
        }
        self.raw(&mut raw)
    }

    /// Reads the raw HTML gathered in `raw` into the tree, and empties it.
    fn raw(&mut self, raw: &mut String) -> Option<()> {
        if raw.is_empty() {
            return Some(());
        }
        self.tree.raw(&crate::html::rewrite_hrefs(raw, self.href))?;
        raw.clear();
        if self.tree.depth > MAX_DEPTH {
            self.too_deep = true;
            return None;
        }
        Some(())
    }

    /// A sample as the page shows it, its title first as a bold line.
    fn sample(&mut self, i: usize) -> Option<()> {
        let samples = self.samples;
        let b = &samples[i].block;
        if let Some(title) = &b.title {
            self.element("p", Vec::new())?;
            self.element("strong", Vec::new())?;
            self.tree.text(Cow::Borrowed(title))?;
            self.close("strong", "")?;
            self.close("p", "")?;
        }
        let lang = b.lang.as_deref().unwrap_or("text");
        let mut attrs = vec![("class", Cow::Borrowed("ep-sample"))];
        if let Some(title) = &b.title {
            attrs.push(("data-title", title.as_str().into()));
        }
        attrs.push(("data-lang", lang.into()));
        self.element("div", attrs)?;
        self.element("pre", vec![("class", "ep-code".into())])?;
        self.element("code", vec![("class", format!("language-{lang}").into())])?;
        self.tree.text(Cow::Borrowed(&b.code))?;
        self.close("code", "")?;
        self.close("pre", "")?;
        self.close("div", "\n")
    }

    /// A tab group: its tabs (buttons, which a twin skips), then each sample.
    fn group(&mut self, idx: &[usize]) -> Option<()> {
        self.element("div", vec![("class", "ep-tabs".into())])?;
        self.tree.text(Cow::Borrowed("\n"))?;
        self.element("div", vec![("class", "ep-tablist".into())])?;
        self.tree.text(Cow::Borrowed("\n"))?;
        for &i in idx {
            self.element("button", Vec::new())?;
            let samples = self.samples;
            let title = samples[i].block.title.as_deref().unwrap_or("");
            self.tree.text(Cow::Borrowed(title))?;
            self.close("button", "\n")?;
        }
        self.close("div", "\n")?;
        for &i in idx {
            self.sample(i)?;
        }
        self.close("div", "\n")
    }
}
