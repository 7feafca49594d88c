//! Sass pages (`css/style.scss` with front matter) compiled by `grass`, a Sass compiler in
//! Rust, with `_sass/` as the load path, as jekyll-sass-converter does. The front matter
//! is Jekyll's marker only; the output goes beside the source with a `.css` extension.

use crate::error::{Pos, SourceError};
use crate::frontmatter::{self, Split};
use crate::load::LoadedSite;

/// Compiles the Sass page `rel` (its text `full`): (output path, CSS).
pub fn compile(site: &LoadedSite, rel: &str, full: &str) -> Result<(String, String), SourceError> {
    let (body, body_line) = match frontmatter::split(full) {
        Split::Block {
            body, body_line, ..
        } => (body, body_line),
        _ => (full, 1),
    };
    let syntax = if rel.ends_with(".sass") {
        grass::InputSyntax::Sass
    } else {
        grass::InputSyntax::Scss
    };
    // jekyll-sass-converter's default style for Jekyll 4 is `expanded`.
    let options = grass::Options::default()
        .load_path(site.root.join("_sass"))
        .load_path(site.root.join(rel).parent().unwrap_or(&site.root))
        .style(grass::OutputStyle::Expanded)
        .input_syntax(syntax)
        .quiet(true);
    let css = grass::from_string(body.to_string(), &options).map_err(|e| {
        let msg = e.to_string();
        // grass names the line within what it was given: move it past the front matter.
        let line = msg
            .lines()
            .find_map(|l| {
                l.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .unwrap_or(1);
        SourceError::new(
            rel,
            Pos::new(line + body_line - 1, 1),
            format!("Sass: {}", msg.lines().next().unwrap_or("cannot compile")),
        )
    })?;
    Ok((output_path(rel), css))
}

/// Where a Sass page's CSS goes: beside it, with a `.css` extension.
pub fn output_path(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    format!("{stem}.css")
}
