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

/// Marks each condition's bare name (`{% if doc.code %}`, either side of an `and`/`or`)
/// `safe`, in every template of `tera`. Tera escapes a string it tests as it escapes one it
/// prints, so testing a doc's code column escaped all of its HTML, once per doc per page,
/// only to ask whether it was empty; an escaped string is empty exactly when the string
/// is, so the branch taken is the same. A name with filters of its own is left as it is.
pub(super) fn conditions_unescaped(tera: &mut tera::Tera) {
    for t in tera.templates.values_mut() {
        nodes(&mut t.ast);
        t.macros.values_mut().for_each(|m| nodes(&mut m.body));
        t.blocks.values_mut().for_each(|b| nodes(&mut b.body));
        let defined = t.blocks_definitions.values_mut().flatten();
        defined.for_each(|(_, b)| nodes(&mut b.body));
    }
}

fn nodes(nodes: &mut [Node]) {
    for node in nodes {
        match node {
            Node::If(
                If {
                    conditions,
                    otherwise,
                },
                _,
            ) => {
                for (_, expr, body) in conditions {
                    condition(expr);
                    self::nodes(body);
                }
                if let Some((_, body)) = otherwise {
                    self::nodes(body);
                }
            }
            Node::Forloop(_, f, _) => {
                self::nodes(&mut f.body);
                if let Some(body) = &mut f.empty_body {
                    self::nodes(body);
                }
            }
            Node::MacroDefinition(_, m, _) => self::nodes(&mut m.body),
            Node::Block(_, b, _) => self::nodes(&mut b.body),
            Node::FilterSection(_, f, _) => self::nodes(&mut f.body),
            _ => {}
        }
    }
}

fn condition(expr: &mut Expr) {
    match &mut expr.val {
        ExprVal::Ident(_) if expr.filters.is_empty() => expr.filters.push(FunctionCall {
            name: "safe".to_string(),
            args: HashMap::new(),
        }),
        ExprVal::Logic(LogicExpr {
            lhs,
            rhs,
            operator: LogicOperator::And | LogicOperator::Or,
        }) => {
            condition(lhs);
            condition(rhs);
        }
        _ => {}
    }
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
