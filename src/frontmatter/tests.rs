use super::*;

#[test]
fn a_yaml_error_is_located_at_what_broke_it_not_past_it() {
    let err = |yaml: &str| parse(yaml, Path::new("_a/x.md"), 2).unwrap_err();
    // Closed quotes (escaped, doubled, holding `: `) and quotes in block scalars are
    // fine; the one left open is found though the parser fails three lines on.
    let e = err("a: \"x \\\" y\"\nb: 'it''s'\nc: \"k: v\"\nd: |\n  \"text\ne: \"open\nf: |\n  {\"id\": 1}\n");
    assert_eq!((e.pos.line, e.pos.col), (7, 4), "{e}");
    assert!(e.message.starts_with("invalid front matter: a `\"` quote opened here is never closed on its line (the YAML parser stopped at line 9, column"), "{e}");
    // Nothing to blame: the parser's own position and words.
    let e = err("a: [1, 2\n");
    assert!(!e.message.contains("stopped at"), "{e}");
    // A line indented under a key whose value is on its own line is a child, not a fault.
    let e = err("a:\n  b: 1\n  c:\n    d: 2\n e: 3\n");
    assert_eq!((e.pos.line, e.pos.col), (6, 2), "{e}");
    assert!(e.message.contains("indented to no level above it"), "{e}");
    // Text under `key: |` at the key's indent ends the scalar empty and is no key: named
    // where it starts, as Psych names it, not where the parser stops.
    let e = err("a: 1\nb: |-\nText here.\n\n  more\n");
    assert_eq!((e.pos.line, e.pos.col), (4, 1), "{e}");
    assert!(e.message.contains("not indented under its key"), "{e}");
    // Indented text, or a key after an empty scalar, is no such fault.
    assert!(parse("a: |\n  x\nb: 1\n", Path::new("_a/x.md"), 2).is_ok());
    assert!(parse("a: |\nb: 1\n", Path::new("_a/x.md"), 2).is_ok());
    // In `_config.yml` it is a config error, located the same way.
    let e = parse_config("title: \"x\nurl: y\n", Path::new("_config.yml")).unwrap_err();
    assert!(e.message.starts_with("invalid YAML: a `\"` quote"), "{e}");
    assert_eq!(e.pos.line, 1);
}

#[test]
fn splits_like_jekyll() {
    let t = "---\ntitle: x\n---\nbody\n";
    assert_eq!(
        split(t),
        Split::Block {
            yaml: "title: x\n",
            yaml_line: 2,
            body: "body\n",
            body_offset: 17,
            body_line: 4
        }
    );
    assert_eq!(split("no front matter\n"), Split::None);
    assert_eq!(
        split("---\ntitle: x\nbody never closes\n"),
        Split::Unterminated
    );
    assert_eq!(split("---"), Split::Unterminated);
    assert_eq!(
        split("---\n---"),
        Split::Block {
            yaml: "",
            yaml_line: 2,
            body: "",
            body_offset: 7,
            body_line: 3
        }
    );
    // `...` closes too, trailing spaces are allowed, and `----` is not a fence.
    assert!(matches!(
        split("--- \na: 1\n... \nb"),
        Split::Block { body: "b", .. }
    ));
    assert_eq!(split("----\na: 1\n---\n"), Split::None);
}

#[test]
fn yaml_errors_point_at_the_file_line() {
    let text = "---\ntitle: ok\nname: [unclosed\n---\n";
    let Split::Block {
        yaml, yaml_line, ..
    } = split(text)
    else {
        panic!()
    };
    let e = parse(yaml, Path::new("_a/b.md"), yaml_line).unwrap_err();
    assert!(e.pos.line >= 3, "{e}");
    assert!(e.to_string().starts_with("_a/b.md:"), "{e}");
}

#[test]
fn block_scalars_and_types_survive() {
    let m = parse(
        "a: |-\n  x\n  y\nb: 3.04\nc: '5.1.3'\nd:\n",
        Path::new("f"),
        2,
    )
    .unwrap();
    assert_eq!(m["a"], "x\ny");
    assert_eq!(m["b"], 3.04);
    assert_eq!(m["c"], "5.1.3");
    assert_eq!(m["d"], Value::Null);
    assert_eq!(text(m.get("b")), "3.04");
}

#[test]
fn non_mapping_front_matter_is_an_error() {
    let e = parse("- a\n- b\n", Path::new("f.md"), 2).unwrap_err();
    assert_eq!(e.pos, Pos::new(2, 1));
    assert!(e.message.contains("found a list"));
}
