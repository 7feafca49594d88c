//! The built-in templates as Rust code: `build.rs` parses each with Tera (as a build
//! dependency) and writes the code that makes that parse, so a build never runs Tera's
//! parser on them. `render::built_in` includes the code; its test holds it to Tera's parse.

use std::collections::HashMap;
use std::fmt::Write;
use tera::ast::{Expr, ExprVal, FunctionCall, MacroDefinition, Node, WS};

/// A `match` arm per template: the name, then the code of the `tera::Template` Tera's
/// `add_raw_template` would make of `text`.
pub fn arm(name: &str, text: &str) -> String {
    let t = tera::Template::new(name, None, text)
        .unwrap_or_else(|e| panic!("templates/{name} does not parse: {e}"));
    let mut out = String::new();
    let w = &mut out;
    let _ = write!(
        w,
        "{name:?} => Template {{ name: {}, path: None, ast: ",
        s(name)
    );
    nodes(w, &t.ast);
    w.push_str(", from_extend: false, macros: ");
    map(w, &t.macros, macro_definition);
    w.push_str(", imported_macro_files: ");
    list(w, &t.imported_macro_files, |w, (file, namespace)| {
        let _ = write!(w, "({}, {})", s(file), s(namespace));
    });
    let _ = write!(w, ", parent: {}, blocks: ", opt_s(t.parent.as_deref()));
    map(w, &t.blocks, |w, b| {
        let _ = write!(w, "Block {{ name: {}, body: ", s(&b.name));
        nodes(w, &b.body);
        w.push_str(" }");
    });
    w.push_str(", parents: vec![], blocks_definitions: HashMap::new() },\n");
    out
}

fn s(text: &str) -> String {
    format!("String::from({text:?})")
}

fn opt_s(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_string(), |t| format!("Some({})", s(t)))
}

fn ws(w: &mut String, ws: &WS) {
    let _ = write!(w, "WS {{ left: {}, right: {} }}", ws.left, ws.right);
}

/// A `HashMap` written in key order, so the same templates write the same code.
fn map<V>(w: &mut String, m: &HashMap<String, V>, value: impl Fn(&mut String, &V)) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    w.push_str("HashMap::from([");
    for k in keys {
        let _ = write!(w, "({}, ", s(k));
        value(w, &m[k]);
        w.push_str("),");
    }
    w.push_str("])");
}

fn macro_definition(w: &mut String, m: &MacroDefinition) {
    let _ = write!(w, "MacroDefinition {{ name: {}, args: ", s(&m.name));
    map(w, &m.args, |w, a| opt(w, a, expr));
    w.push_str(", body: ");
    nodes(w, &m.body);
    w.push_str(" }");
}

/// `items` as a `vec![…]`, each written by `item`.
fn list<T>(w: &mut String, items: &[T], item: impl Fn(&mut String, &T)) {
    w.push_str("vec![");
    for i in items {
        item(w, i);
        w.push(',');
    }
    w.push(']');
}

/// `value` as `Some(…)`, written by `some`, or `None`.
fn opt<T>(w: &mut String, value: &Option<T>, some: impl Fn(&mut String, &T)) {
    match value {
        Some(v) => {
            w.push_str("Some(");
            some(w, v);
            w.push(')');
        }
        None => w.push_str("None"),
    }
}

fn nodes(w: &mut String, items: &[Node]) {
    list(w, items, node);
}

fn node(w: &mut String, n: &Node) {
    match n {
        Node::Super => w.push_str("Node::Super"),
        Node::Text(t) => {
            let _ = write!(w, "Node::Text({})", s(t));
        }
        Node::VariableBlock(a, e) => {
            w.push_str("Node::VariableBlock(");
            ws(w, a);
            w.push(',');
            expr(w, e);
            w.push(')');
        }
        Node::MacroDefinition(a, m, b) => {
            w.push_str("Node::MacroDefinition(");
            ws(w, a);
            w.push(',');
            macro_definition(w, m);
            w.push(',');
            ws(w, b);
            w.push(')');
        }
        Node::Extends(a, name) => {
            w.push_str("Node::Extends(");
            ws(w, a);
            let _ = write!(w, ", {})", s(name));
        }
        Node::Include(a, names, ignore_missing) => {
            w.push_str("Node::Include(");
            ws(w, a);
            w.push_str(", ");
            list(w, names, |w, name| w.push_str(&s(name)));
            let _ = write!(w, ", {ignore_missing})");
        }
        Node::ImportMacro(a, file, namespace) => {
            w.push_str("Node::ImportMacro(");
            ws(w, a);
            let _ = write!(w, ", {}, {})", s(file), s(namespace));
        }
        Node::Set(a, set) => {
            w.push_str("Node::Set(");
            ws(w, a);
            let _ = write!(w, ", Set {{ key: {}, value: ", s(&set.key));
            expr(w, &set.value);
            let _ = write!(w, ", global: {} }})", set.global);
        }
        Node::Raw(a, text, b) => {
            w.push_str("Node::Raw(");
            ws(w, a);
            let _ = write!(w, ", {}, ", s(text));
            ws(w, b);
            w.push(')');
        }
        Node::FilterSection(a, f, b) => {
            w.push_str("Node::FilterSection(");
            ws(w, a);
            w.push_str(", FilterSection { filter: ");
            call(w, &f.filter);
            w.push_str(", body: ");
            nodes(w, &f.body);
            w.push_str(" }, ");
            ws(w, b);
            w.push(')');
        }
        Node::Block(a, block, b) => {
            w.push_str("Node::Block(");
            ws(w, a);
            let _ = write!(w, ", Block {{ name: {}, body: ", s(&block.name));
            nodes(w, &block.body);
            w.push_str(" }, ");
            ws(w, b);
            w.push(')');
        }
        Node::Forloop(a, f, b) => {
            w.push_str("Node::Forloop(");
            ws(w, a);
            let _ = write!(
                w,
                ", Forloop {{ key: {}, value: {}, container: ",
                opt_s(f.key.as_deref()),
                s(&f.value)
            );
            expr(w, &f.container);
            w.push_str(", body: ");
            nodes(w, &f.body);
            w.push_str(", empty_body: ");
            opt(w, &f.empty_body, |w, body| nodes(w, body));
            w.push_str(" }, ");
            ws(w, b);
            w.push(')');
        }
        Node::If(i, b) => {
            w.push_str("Node::If(If { conditions: ");
            list(w, &i.conditions, |w, (a, e, body)| {
                w.push('(');
                ws(w, a);
                w.push(',');
                expr(w, e);
                w.push(',');
                nodes(w, body);
                w.push(')');
            });
            w.push_str(", otherwise: ");
            opt(w, &i.otherwise, |w, (a, body)| {
                w.push('(');
                ws(w, a);
                w.push(',');
                nodes(w, body);
                w.push(')');
            });
            w.push_str(" }, ");
            ws(w, b);
            w.push(')');
        }
        Node::Break(a) => {
            w.push_str("Node::Break(");
            ws(w, a);
            w.push(')');
        }
        Node::Continue(a) => {
            w.push_str("Node::Continue(");
            ws(w, a);
            w.push(')');
        }
        Node::Comment(a, text) => {
            w.push_str("Node::Comment(");
            ws(w, a);
            let _ = write!(w, ", {})", s(text));
        }
    }
}

fn expr(w: &mut String, e: &Expr) {
    w.push_str("Expr { val: ");
    val(w, &e.val);
    let _ = write!(w, ", negated: {}, filters: ", e.negated);
    list(w, &e.filters, call);
    w.push_str(" }");
}

fn call(w: &mut String, f: &FunctionCall) {
    let _ = write!(w, "FunctionCall {{ name: {}, args: ", s(&f.name));
    map(w, &f.args, expr);
    w.push_str(" }");
}

fn boxed(w: &mut String, e: &Expr) {
    w.push_str("Box::new(");
    expr(w, e);
    w.push(')');
}

fn val(w: &mut String, v: &ExprVal) {
    match v {
        ExprVal::String(t) => {
            let _ = write!(w, "ExprVal::String({})", s(t));
        }
        ExprVal::Int(i) => {
            let _ = write!(w, "ExprVal::Int({i})");
        }
        // By its bits: the very number Tera parsed, whatever its digits.
        ExprVal::Float(f) => {
            let _ = write!(w, "ExprVal::Float(f64::from_bits({:#x}))", f.to_bits());
        }
        ExprVal::Bool(b) => {
            let _ = write!(w, "ExprVal::Bool({b})");
        }
        ExprVal::Ident(t) => {
            let _ = write!(w, "ExprVal::Ident({})", s(t));
        }
        ExprVal::Math(m) => {
            w.push_str("ExprVal::Math(MathExpr { lhs: ");
            boxed(w, &m.lhs);
            w.push_str(", rhs: ");
            boxed(w, &m.rhs);
            let _ = write!(w, ", operator: MathOperator::{:?} }})", m.operator);
        }
        ExprVal::Logic(l) => {
            w.push_str("ExprVal::Logic(LogicExpr { lhs: ");
            boxed(w, &l.lhs);
            w.push_str(", rhs: ");
            boxed(w, &l.rhs);
            let _ = write!(w, ", operator: LogicOperator::{:?} }})", l.operator);
        }
        ExprVal::Test(t) => {
            let _ = write!(
                w,
                "ExprVal::Test(Test {{ ident: {}, negated: {}, name: {}, args: ",
                s(&t.ident),
                t.negated,
                s(&t.name)
            );
            list(w, &t.args, expr);
            w.push_str(" })");
        }
        ExprVal::MacroCall(m) => {
            let _ = write!(
                w,
                "ExprVal::MacroCall(MacroCall {{ namespace: {}, name: {}, args: ",
                s(&m.namespace),
                s(&m.name)
            );
            map(w, &m.args, expr);
            w.push_str(" })");
        }
        ExprVal::FunctionCall(f) => {
            w.push_str("ExprVal::FunctionCall(");
            call(w, f);
            w.push(')');
        }
        ExprVal::Array(items) => {
            w.push_str("ExprVal::Array(");
            list(w, items, expr);
            w.push(')');
        }
        ExprVal::StringConcat(c) => {
            w.push_str("ExprVal::StringConcat(StringConcat { values: ");
            list(w, &c.values, val);
            w.push_str(" })");
        }
        ExprVal::In(i) => {
            w.push_str("ExprVal::In(In { lhs: ");
            boxed(w, &i.lhs);
            w.push_str(", rhs: ");
            boxed(w, &i.rhs);
            let _ = write!(w, ", negated: {} }})", i.negated);
        }
    }
}
