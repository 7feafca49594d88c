//! endpaper: Aviator/Jekyll API docs in, a fast three-column static reference out.
//!
//! The pipeline, one module per stage, each handing plain data to the next:
//!
//! 1. **load** ([`load`]): walk the site with walkdir, read `_config.yml` ([`config`]) and
//!    every other file as normalised UTF-8 text; sort files into collection docs, `_includes`,
//!    static files, template/asset overrides, and Jekyll machinery to report.
//! 2. **model** ([`model`], [`frontmatter`], [`order`]): read each doc (in parallel), split
//!    and parse front matter, order sections and docs as Jekyll does, compute anchors and
//!    audiences, and drop every doc of another audience before anything is rendered. A
//!    one-off build's model holds each doc's front matter, not its body: compose reads the
//!    file again (checked against a hash of what the model read).
//! 3. **compose** ([`compose`]): each doc, in parallel, through the two libraries it calls:
//!    [`liquid`] runs the Liquid Jekyll runs over a body (`{% include %}`, `{{ site.x }}`),
//!    keeping a source map for located messages; [`markdown`] is pulldown-cmark plus
//!    kramdown's extensions (definition lists, IALs, lenient tables, GFM heading ids), with
//!    code blocks left unhighlighted. compose then routes the blocks to the prose and code
//!    columns and groups consecutive titled samples into tab groups; [`samples`] then reads
//!    each curl sample (for `check`) and, where a site asks, adds its other languages to
//!    the tab group.
//! 4. **highlight** ([`highlight`]): syntect, each distinct sample once, largest first,
//!    as short CSS classes, kept across builds in the reuse [`store`].
//! 5. **render** ([`render`]): lay docs out on pages (and a page per doc with
//!    `endpoint_pages`), make heading ids unique per page, fill the Tera templates; the
//!    search index and full text ([`search_index`]), canonical URLs, sitemap and robots
//!    ([`seo`]), and the markdown twins and `llms.txt` files ([`machine_docs`]).
//! 6. **write** ([`mod@write`]): stage everything in a temporary folder and swap it in only when
//!    the build succeeded. `endpaper build` first stats every input and output file
//!    against the last build's [`build::stamp`]: when nothing changed, it replays that build's
//!    report and writes nothing.
//!
//! Each doc's HTML and machine text (twin, full text, operation) are made once, when the
//! doc is finished. A one-off build takes the docs through compose, highlight and finish 256
//! at a time and keeps what they make in a [`spool`] file rather than memory until its page
//! or file is written, so memory holds a batch of docs' work, not the site's. With a
//! store on disk it also keeps there each doc's machine text and the site's structure, each under a
//! key of everything it is made from, so a rebuild makes them again only for what changed.
//!
//! Beside the pages, [`openapi`] reads the endpoint docs into an OpenAPI 3.1 document
//! (`openapi.json`), and writes a site from a spec (`endpaper import openapi`).
//!
//! Right after the model, before any doc is composed, [`structure`] reads the site's own
//! root pages (rendered with its layouts, or written as they are with `theme: site` by
//! [`site_theme`]) for which docs each page lists: it needs only the docs' front matter, and
//! its outline of every doc is gone before their output is made. [`build`] runs all of it
//! as named steps (reuse, structure, compose, highlight, write pages, write support files,
//! remember), and ends with [`links`], which resolves every link and anchor of the build
//! (warnings in `build` and `serve`, errors in `check`); [`check`] runs the same pipeline,
//! [`serve`] rebuilds on change, [`cli`] and [`report`] are the commands and their console
//! output. Problems in the writer's files are [`error::SourceError`]s
//! (`path:line:col: message`); non-fatal ones are [`diagnostics::Diagnostic`]s, collected
//! and shown once.
pub mod build;
pub mod check;
pub mod cli;
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod error;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod links;
pub mod liquid;
pub mod load;
pub mod machine_docs;
pub mod markdown;
pub mod model;
pub mod openapi;
pub mod order;
pub mod render;
pub mod report;
pub mod samples;
pub mod scaffold;
pub mod search_index;
pub mod seo;
pub mod serve;
pub mod site_markup;
pub mod site_theme;
pub mod spool;
pub mod store;

pub mod structure;
pub mod versions;
pub mod write;
pub mod yaml11;

#[cfg(test)]
mod test_support;
