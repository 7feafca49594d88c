//! endpaper: Aviator/Jekyll API docs in, a fast three-column static reference out.
//!
//! The pipeline, one module per stage, each handing plain data to the next:
//!
//! 1. **load** ([`load`]): walk the site with walkdir, read `_config.yml` ([`config`]) and
//!    every file as normalised UTF-8 text; sort files into collection docs, `_includes`,
//!    static files, template/asset overrides, and Jekyll machinery to report.
//! 2. **model** ([`model`], [`frontmatter`], [`order`]): split and parse front matter, order
//!    sections and docs as Jekyll does, compute anchors and audiences, and drop every doc
//!    of another audience before anything is rendered.
//! 3. **expand includes** ([`liquid`]): run the Liquid Jekyll runs over a body
//!    (`{% include %}`, `{{ site.x }}`), keeping a source map for located messages.
//! 4. **markdown** ([`markdown`]): pulldown-cmark plus kramdown's extensions (definition
//!    lists, IALs, lenient tables, GFM heading ids); code blocks come out unhighlighted.
//! 5. **compose** ([`compose`]): route each doc's blocks to the prose and code columns and
//!    group consecutive titled samples into tab groups.
//! 6. **highlight** ([`highlight`]): syntect, each distinct sample once, largest first,
//!    as short CSS classes.
//! 7. **render** ([`render`]): lay docs out on pages (and a page per doc with
//!    `endpoint_pages`), make heading ids unique per page, fill the Tera templates; the
//!    search index and full text ([`search_index`]), canonical URLs, sitemap and robots
//!    ([`seo`]), and the markdown twins and `llms.txt` files ([`machine_docs`]).
//! 8. **write** ([`write`]): stage everything in a temporary folder and swap it in only when
//!    the build succeeded.
//!
//! Beside the pages, [`openapi`] reads the endpoint docs into an OpenAPI 3.1 document
//! (`openapi.json`), and writes a site from a spec (`endpaper import openapi`).
//!
//! [`build`] runs them in order. Problems in the writer's files are [`error::SourceError`]s
//! (`path:line:col: message`); non-fatal ones are [`diagnostics::Diagnostic`]s, collected
//! and shown once.
pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod liquid;
pub mod load;
pub mod machine_docs;
pub mod markdown;
pub mod model;
pub mod openapi;
pub mod order;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search_index;
pub mod seo;
pub mod serve;
pub mod site_theme;
pub mod structure;
pub mod write;
