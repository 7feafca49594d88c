//! The built-in templates as Tera parses them, made by the code `build.rs` wrote from that
//! parse (`build/tera_code.rs`): Tera's parser, run on them at every start, was most of a
//! small site's CPU.

use std::collections::HashMap;
use tera::ast::*;
use tera::Template;

/// The built-in template called `name`, parsed; `None` for a name no built-in has.
fn template(name: &str) -> Option<Template> {
    Some(include!(concat!(env!("OUT_DIR"), "/built_in_templates.rs")))
}

/// Adds the built-in templates called `names` to `tera`, as `Tera::add_raw_templates` adds
/// templates it parses.
pub(super) fn add<'a>(
    tera: &mut tera::Tera,
    names: impl IntoIterator<Item = &'a str>,
) -> tera::Result<()> {
    for name in names {
        let parsed = template(name).expect("a built-in template's name");
        tera.templates.insert(name.to_string(), parsed);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()
}

#[cfg(test)]
mod tests {
    use super::template;
    use crate::render::TEMPLATES;

    #[test]
    fn each_built_in_is_what_teras_parser_makes_of_its_text() {
        for (name, text) in TEMPLATES {
            let parsed = tera::Template::new(name, None, text).unwrap();
            let made = template(name).unwrap_or_else(|| panic!("{name} was not made"));
            assert_eq!(made.name, parsed.name);
            assert_eq!(made.path, parsed.path);
            assert_eq!(made.ast, parsed.ast, "{name}");
            assert_eq!(made.macros, parsed.macros, "{name}");
            assert_eq!(made.imported_macro_files, parsed.imported_macro_files);
            assert_eq!(made.parent, parsed.parent);
            assert_eq!(made.blocks, parsed.blocks, "{name}");
            assert_eq!(made.from_extend, parsed.from_extend);
            assert!(made.parents.is_empty() && made.blocks_definitions.is_empty());
        }
        assert!(template("no-such.html").is_none());
    }
}
