//! The highlighter's tests: classes per language, limits, escaping, the line memo.

use super::rules::{rule_for, rules, Rule, RULES};
use super::*;
use syntect::parsing::Scope;

fn hl(code: &str, lang: &str) -> Highlighted {
    Highlighter::new().highlight(code, Some(lang))
}

/// The `(class, text)` runs of highlighted HTML, with entities left escaped; text
/// outside any token has class `""`.
fn runs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<x-") {
            let (class, after) = after.split_once('>').expect("token open is closed");
            let (text, after) = after
                .split_once(&format!("</x-{class}>"))
                .expect("token is closed");
            assert!(!text.contains('<'), "nested token in {html}");
            out.push((class.to_string(), text.to_string()));
            rest = after;
        } else {
            let end = rest.find("<x-").unwrap_or(rest.len());
            out.push((String::new(), rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    out
}

/// The class of the run that is exactly `needle`, else of the first run containing it.
fn class_of(html: &str, needle: &str) -> String {
    let runs = runs(html);
    let exact = runs.iter().position(|(_, text)| text == needle);
    exact
        .or_else(|| runs.iter().position(|(_, text)| text.contains(needle)))
        .map(|i| runs[i].0.clone())
        .unwrap_or_else(|| panic!("{needle:?} not found in {html}"))
}

/// Asserts the class of each `(text, class)` run, reporting all mismatches at once.
fn assert_classes(html: &str, expected: &[(&str, &str)]) {
    let actual: Vec<(&str, String)> = expected
        .iter()
        .map(|&(text, _)| (text, class_of(html, text)))
        .collect();
    let expected: Vec<(&str, String)> = expected
        .iter()
        .map(|&(text, class)| (text, class.to_string()))
        .collect();
    assert_eq!(actual, expected, "{html}");
}

fn unescape(html: &str) -> String {
    runs(html)
        .into_iter()
        .map(|(_, t)| t)
        .collect::<String>()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn highlighter_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Highlighter>();
}

#[test]
fn aliases_resolve_case_insensitively() {
    let h = Highlighter::new();
    for (alias, _) in ALIASES {
        assert!(h.knows(alias), "{alias}");
        assert!(h.knows(&alias.to_uppercase()), "{alias} uppercase");
    }
    for (a, b) in [
        ("sh", "bash"),
        ("curl", "BASH"),
        ("JS", "jquery"),
        ("py", "Python3"),
    ] {
        let code = "x = \"1\" # 2\n";
        assert_eq!(hl(code, a), hl(code, b), "{a} vs {b}");
    }
}

#[test]
fn every_alias_target_is_a_loaded_grammar() {
    for (alias, target) in ALIASES {
        if let Target::Syntax(name) = target {
            assert!(
                SYNTAXES.find_syntax_by_name(name).is_some(),
                "{alias} -> {name}"
            );
        }
    }
    assert!(SYNTAXES.find_syntax_by_name("PHP").is_some());
    assert!(SYNTAXES.find_syntax_by_name("PHP Source").is_some());
}

/// Other tests load the grammars in this process, so the test runs alone in a child.
#[test]
fn samples_the_hand_lexers_take_load_no_grammar() {
    if !crate::test_support::alone("highlight::tests::samples_the_hand_lexers_take_load_no_grammar")
    {
        return;
    }
    let loaded = || GRAMMARS_LOADED.load(std::sync::atomic::Ordering::Relaxed);
    let h = Highlighter::new();
    for (code, lang) in [
        ("{\"id\": 1, \"name\": \"x\"}\n", "json"),
        ("curl -X GET https://api.example.com/v1/keys\n", "curl"),
        ("curl https://api.example.com\n", "Shell"),
        (
            "import requests\nr = requests.get(\"https://x\")\n",
            "python",
        ),
        ("const r = await fetch(\"https://x\");\n", "javascript"),
        ("require 'w'\nc = W.new('k')\nputs c\n", "ruby"),
        ("HTTP/1.1 404 Not Found\n", "http"),
        ("404 Not Found\n", "json"),
        ("curl https://{sub}.x.io/a?b=1&c=2\n", "sh"),
    ] {
        assert!(h.knows(lang), "{lang}");
        assert!(h.lexes(code, Some(lang)), "{lang} is lexed by hand");
        assert!(h.highlight(code, Some(lang)).known_language);
    }
    assert!(
        !loaded(),
        "a grammar was loaded for samples the hand lexers take"
    );
    // Names no grammar has are plain text, and told so without the grammars.
    for lang in ["geojson", "oc", "https"] {
        assert!(!h.knows(lang), "{lang}");
        assert!(!h.highlight("{\"a\": 1}\n", Some(lang)).known_language);
    }
    assert!(!loaded(), "a grammar was loaded for names no grammar has");
    h.highlight("fn main() {}\n", Some("rust"));
    assert!(loaded());
}

#[test]
fn unknown_language_is_escaped_plain_text() {
    let out = hl("echo <b> & \"q\"", "bas");
    assert!(!out.known_language);
    assert_eq!(out.html, "<x-n>echo &lt;b&gt; &amp; \"q\"</x-n>");
    assert!(!Highlighter::new().knows("bas"));
}

#[test]
fn plain_names_and_missing_lang_are_known_plain_text() {
    let h = Highlighter::new();
    let code = "a < b && \"c\"\n";
    let expected = "<x-n>a &lt; b &amp;&amp; \"c\"\n</x-n>";
    for lang in ["text", "plain", "PlainText", "txt", "none", ""] {
        let out = h.highlight(code, Some(lang));
        assert_eq!(out.html, expected, "{lang}");
        assert!(out.known_language, "{lang}");
        assert!(h.knows(lang));
    }
    let out = h.highlight(code, None);
    assert_eq!(out.html, expected);
    assert!(out.known_language);
}

#[test]
fn other_grammars_resolve_by_extension_or_name() {
    let h = Highlighter::new();
    assert!(h.knows("scala"));
    assert!(h.knows("Haskell"));
    assert!(h.knows("tsx"));
    assert!(!h.knows("not-a-language"));
}

#[test]
fn highlighted_code_is_escaped_and_round_trips() {
    let code = "if (a < b && c > \"d\") { x = '&'; }\n";
    let out = hl(code, "js");
    assert!(out.known_language);
    assert_eq!(unescape(&out.html), code);
    assert!(!out.html.contains("< b"));
}

#[test]
fn json_key_string_number_constant() {
    let html = hl(
        "{\"name\": \"Widget\", \"count\": 42, \"ok\": true}\n",
        "json",
    )
    .html;
    assert_eq!(class_of(&html, "name"), "na");
    // The quotes belong to the key, so the key is one span.
    assert!(html.contains("<x-na>\"name\"</x-na>"), "{html}");
    assert_classes(
        &html,
        &[("Widget", "s"), ("42", "m"), ("true", "kc"), (":", "")],
    );
}

#[test]
fn json_string_escape() {
    let html = hl("{\"a\": \"x\\ny\"}", "json").html;
    assert_classes(&html, &[("\\n", "se"), ("x", "s")]);
}

#[test]
fn python_comment_keyword_function_constant() {
    let html = hl(
        "# fetch items\ndef fetch(limit):\n    return None\n",
        "python",
    )
    .html;
    assert!(html.starts_with("<x-c># fetch items\n</x-c>"), "{html}");
    assert_classes(
        &html,
        &[
            ("def", "k"),
            ("fetch", "nf"),
            ("limit", "nv"),
            ("None", "kc"),
        ],
    );
}

#[test]
fn bash_string_variable_and_command() {
    let html = hl("curl -H 'Accept: json' \"$HOME/x\"\n", "bash").html;
    assert_eq!(class_of(&html, "Accept"), "s");
    assert!(html.contains("<x-s>'Accept: json'"), "{html}");
    assert_classes(&html, &[("HOME", "nv"), ("curl", "nf")]);
    // Substitutions inside a string are code, not string.
    let html = hl("echo \"id: ${ID} $(date -u)\"\n", "bash").html;
    assert_classes(&html, &[("${ID}", "nv"), ("date", "nf"), (" -u", "nv")]);
}

#[test]
fn yaml_keys_are_keys() {
    let html = hl("title: \"My API\"\nenabled: true\n", "yaml").html;
    assert_classes(&html, &[("title", "na"), ("My API", "s"), ("true", "kc")]);
}

#[test]
fn punctuation_inside_a_token_takes_its_class() {
    let html = hl("<p class=\"x\">a &amp; b</p>\n", "html").html;
    assert!(html.contains("<x-se>&amp;amp;"), "{html}");
    assert!(html.contains("<x-s>\"x\"</x-s>"), "{html}");
    assert_classes(&html, &[("p", "nt"), ("class", "na"), ("&lt;", "")]);
}

#[test]
fn javascript_quotes_are_tokens_of_their_own_as_in_rouge() {
    let html = hl("x = {\"key\": \"value\"};\n", "javascript").html;
    assert!(
        html.contains("<x-s>\"</x-s><x-s>value</x-s><x-s>\"</x-s>"),
        "{html}"
    );
    // Other languages keep a string as one token.
    let py = hl("x = \"value\"\n", "python").html;
    assert!(py.contains("<x-s>\"value\""), "{py}");
}

/// Punctuation takes the block's own colour, so it costs no markup; a plain word keeps
/// its `n` span (or it would take the punctuation colour); and the two never share a run.
#[test]
fn punctuation_has_no_span_and_plain_words_are_n() {
    assert!(CLASSES.iter().all(|(class, _)| *class != "p"));
    for (code, lang) in [
        ("send(data);\n", "python"),
        ("send(data);\n", "javascript"),
        ("{\"a\": [true, 2]}\n", "json"),
    ] {
        let html = hl(code, lang).html;
        assert!(!html.contains("class=\"p\""), "{html}");
        let runs = runs(&html);
        for (class, text) in &runs {
            let punctuation = text.chars().any(|c| "()[]{},;:".contains(c));
            if class.is_empty() {
                assert!(
                    text.chars()
                        .all(|c| c.is_whitespace() || "()[]{},;:".contains(c)),
                    "bare text is punctuation or whitespace: {text:?} in {html}"
                );
            } else if class == "n" {
                assert!(!punctuation, "a word apart from its punctuation: {html}");
            }
        }
        if lang != "json" {
            assert!(
                runs.contains(&("n".into(), "data".into())),
                "`data` is a plain word: {html}"
            );
        }
    }
    // The word and its punctuation stay separate runs, as in Rouge.
    let html = hl("send(data);\n", "python").html;
    assert!(html.ends_with("(<x-n>data</x-n>);\n"), "{html}");
}

/// Whitespace has no colour: between two runs of one class it joins them, and with no
/// span open it stands bare, never in a span of its own.
#[test]
fn whitespace_between_runs_of_one_class_merges_them() {
    let html = hl("x = \"a\" \"b\"\n", "python").html;
    assert!(html.contains("<x-s>\"a\" \"b\""), "{html}");
    let html = hl("import os, sys\n", "python").html;
    // No token starts with a space, so none is a space alone.
    for (class, _) in CLASSES {
        assert!(!html.contains(&format!("<x-{class}> ")), "{html}");
    }
    // Plain text is one `n` run across its spaces and lines.
    let html = hl("one two\nthree", "text").html;
    assert_eq!(html, "<x-n>one two\nthree</x-n>");
    // A JavaScript quote stays a token of its own.
    let html = hl("f(\"a\" + \"b\");\n", "javascript").html;
    assert!(html.contains("<x-s>\"</x-s> "), "{html}");
}

#[test]
fn regex_is_one_class() {
    let html = hl("const r = /ab+c\\d/gi;\n", "js").html;
    assert_eq!(class_of(&html, "ab+c"), "sr");
    assert!(html.contains("/ab+c\\d/"), "{html}");
}

#[test]
fn interpolation_is_not_string() {
    let html = hl("s = f\"{limit} items\"\n", "python").html;
    assert_classes(&html, &[(" items", "s"), ("limit", "n")]);
}

#[test]
fn adjacent_runs_merge_and_spans_are_never_empty() {
    let samples = [
        ("[[[1, 2]]]\n", "json"),
        ("x = (((1)))\n", "python"),
        ("a() { echo \"$1\"; }\n", "bash"),
        ("# only a comment", "python"),
        ("\n\n\n", "js"),
        ("", "json"),
    ];
    for (code, lang) in samples {
        let html = hl(code, lang).html;
        assert!(!html.contains("\"></span>"), "empty span in {html}");
        let runs = runs(&html);
        for pair in runs.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "unmerged runs in {html}");
        }
        assert_eq!(unescape(&html), code);
    }
    // `[[[` is bare punctuation, then the number's span.
    let html = hl("[[[1]]]", "json").html;
    assert_eq!(html, "[[[<x-m>1</x-m>]]]");
}

#[test]
fn every_emitted_class_is_documented() {
    let samples = [
        ("{\"a\": [1, null, \"\\u00e9\"]}", "json"),
        (
            "import os\n@dec\nclass A(B):\n  def f(self, x=r'\\d'): return len(x) # c\n",
            "py",
        ),
        ("x=$(echo \"${A:-b}\") && ls -la | grep foo\n", "bash"),
        ("<a href=\"#\">x &amp; y</a>\n", "html"),
        ("# Head\n\n*em* `code`\n", "md"),
        ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", "diff"),
    ];
    let known: Vec<&str> = CLASSES.iter().map(|(c, _)| *c).collect();
    for (code, lang) in samples {
        for (class, _) in runs(&hl(code, lang).html) {
            assert!(
                class.is_empty() || known.contains(&class.as_str()),
                "{class}"
            );
        }
    }
}

#[test]
fn trailing_newline_is_preserved_either_way() {
    let with = hl("x = 1\n", "python").html;
    let without = hl("x = 1", "python").html;
    assert!(unescape(&with).ends_with('\n'));
    assert!(!unescape(&without).ends_with('\n'));
    assert_eq!(with.replace('\n', ""), without);
}

#[test]
fn long_line_is_plain_text() {
    let code = format!("{{\"a\": \"{}\"}}\n", "x".repeat(MAX_LINE_BYTES));
    let out = hl(&code, "json");
    assert!(out.known_language);
    assert_eq!(out.html, format!("<x-n>{code}</x-n>"));
    // Just under the limit still highlights.
    let code = format!("{{\"a\": \"{}\"}}\n", "x".repeat(MAX_LINE_BYTES - 20));
    assert!(hl(&code, "json").html.contains("<x-na>"));
}

#[test]
fn oversized_code_is_plain_text() {
    let line = "{\"key\": 1}\n";
    let code = line.repeat(MAX_CODE_BYTES / line.len() + 1);
    let out = hl(&code, "json");
    assert!(out.known_language);
    assert_eq!(out.html.matches("<x-").count(), 1, "one plain-text token");
}

#[test]
fn invalid_code_highlights_without_panicking() {
    let samples = [
        ("{\"a\": 1,, \"b\": None,}\n", "json"),
        ("}}}]]] \"unterminated\n", "json"),
        ("def (:\n  \"\"\"\n", "python"),
        ("<?php ?> <? <?= \n", "php"),
        ("fi done esac }}} ${\n", "bash"),
    ];
    for (code, lang) in samples {
        let out = hl(code, lang);
        assert!(out.known_language);
        assert_eq!(unescape(&out.html), code);
    }
}

#[test]
fn php_without_open_tag_still_highlights() {
    let bare = hl("$client = new Client('key');\n", "php").html;
    assert_eq!(class_of(&bare, "client"), "nv");
    let tagged = hl("<?php\n$client = new Client('key');\n", "php").html;
    assert_eq!(class_of(&tagged, "client"), "nv");
}

#[test]
fn output_is_deterministic() {
    let code = "const a = {b: [1, 'two', null]}; // c\n";
    let first = hl(code, "js");
    for _ in 0..3 {
        assert_eq!(Highlighter::new().highlight(code, Some("js")), first);
    }
    let parallel: Vec<Highlighted> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| hl(code, "js"))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(parallel.iter().all(|out| *out == first));
}

#[test]
fn a_remembered_line_is_reparsed_in_another_state() {
    // The same line, first inside a block comment, then as code: the memo must not
    // hand the comment's parse to the code.
    let commented = hl("/*\nlet total = 1;\n*/\n", "js");
    assert_eq!(class_of(&commented.html, "let total = 1;"), "c");
    let code = hl("let total = 1;\n", "js");
    assert_eq!(class_of(&code.html, "let"), "k");
    assert_eq!(class_of(&code.html, "1"), "m");
    // And from a fresh memo the results are the same.
    forget_lines();
    assert_eq!(hl("let total = 1;\n", "js"), code);
    forget_lines();
    assert_eq!(hl("/*\nlet total = 1;\n*/\n", "js"), commented);
}

#[test]
fn longest_rule_prefix_wins() {
    assert_eq!(RULES.len(), rules().len(), "every rule scope parses");
    let scope = |s| Scope::new(s).unwrap();
    assert_eq!(
        rule_for(scope("keyword.operator.assignment.js")),
        Rule::Class("o")
    );
    assert_eq!(rule_for(scope("keyword.control.flow.js")), Rule::Class("k"));
    assert_eq!(rule_for(scope("entity.name.tag.yaml")), Rule::Class("na"));
    assert_eq!(rule_for(scope("entity.name.tag.html")), Rule::Class("nt"));
    assert_eq!(rule_for(scope("meta.function.python")), Rule::Inherit);
}

#[test]
fn nesting_deep_input_does_not_overflow() {
    let code = "[".repeat(10_000) + &"]".repeat(10_000);
    let out = hl(&code, "json");
    assert_eq!(unescape(&out.html), code);
}

#[test]
fn a_hand_lexed_sample_reads_as_the_grammar_writes_it() {
    let h = Highlighter::new();
    for (code, lang, lexed) in [
        (
            "curl -X GET \"https://x.io/\" \\\n  -H \"A: $B\"\n",
            "curl",
            true,
        ),
        ("echo \"$(date)\" | tee out\n", "bash", false),
        ("import os\nx = os.environ[\"A\"]\n", "python", true),
        ("class A:\n    pass\n", "python", false),
        ("{\"a\": [1, null]}", "json", true),
        ("const a = 1;", "javascript", false),
    ] {
        assert_eq!(h.lexes(code, Some(lang)), lexed, "{code:?}");
        assert_eq!(
            h.highlight(code, Some(lang)),
            h.highlight_by_grammar(code, Some(lang)),
            "{code:?}"
        );
    }
}

#[test]
fn uncoloured_writes_plain_text_then_colours_again() {
    let code = "const a = 'b';\n";
    let coloured = hl(code, "javascript");
    let plain_text = uncoloured(|| hl(code, "javascript"));
    assert_eq!(plain_text, plain(code, true));
    assert_ne!(plain_text, coloured);
    // A panic inside does not leave the thread uncoloured.
    let _ = std::panic::catch_unwind(|| uncoloured(|| panic!("in a render")));
    assert_eq!(hl(code, "javascript"), coloured);
}

#[test]
fn a_stylesheet_colouring_tokens_as_classed_spans_is_found_at_its_first_such_rule() {
    let old = "pre { margin: 0 }\n.ep-code .ep-copy { x: 1 }\n.ep-code .nf, .ep-code .k { y: 2 }";
    assert_eq!(super::stale_token_rule(old), old.find(".ep-code .nf"));
    assert_eq!(super::stale_token_rule(".ep-code .ep-copy { x: 1 }"), None);
    assert_eq!(
        super::stale_token_rule(".ep-code .s, .ep-code x-s { y: 2 }"),
        None
    );
}

#[test]
fn the_token_table_answers_as_the_set_does() {
    let set: &SyntaxSet = &SYNTAXES;
    let by_set = |t: &str| set.find_syntax_by_token(t).map(|s| s.name.as_str());
    let mut asked = 0;
    for syntax in set.syntaxes() {
        for token in syntax.file_extensions.iter().chain([&syntax.name]) {
            for t in [
                token.clone(),
                token.to_ascii_lowercase(),
                token.to_ascii_uppercase(),
            ] {
                assert_eq!(super::tokens::syntax_for(&t), by_set(&t), "{t}");
                asked += 1;
            }
        }
    }
    assert!(asked > 1_000, "{asked}");
    for (token, name) in super::tokens::all() {
        assert_eq!(by_set(token), Some(name), "{token}");
    }
    for t in ["geojson", "oc", "https", "", " json"] {
        assert_eq!(super::tokens::syntax_for(t), by_set(t), "{t:?}");
    }
}
