//! The vendored grammar reads a template's text (`Raw`) in runs; these hold it to the rule
//! as first written, a char at a time (`RawByChar`), which the liquid crate shipped.

use liquid_core::parser::raw_len;

/// Every string of up to `len` chars over `alphabet`.
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[test]
fn text_is_read_in_runs_as_far_as_a_char_at_a_time() {
    // What a tag's or an output's start is made of, whitespace (a trimming start takes the
    // blanks before it), a letter and a two-byte char.
    let alphabet = ['{', '%', '-', ' ', '\t', '\n', '\r', 'a', 'é'];
    let mut cases = strings(&alphabet, 5);
    cases.extend(
        [
            "<div>\n        {%- if x %}",
            "<div>\n        {% if x %}",
            "  \t\r\n  {{- x }} y",
            "a {{ b }}",
            "{ {{",
            "{-{%",
            "é \u{2003}{%- x %}",
            "text {%- raw %}{% endraw %}",
            "\r\n\r\n{{-",
            "no start at all",
        ]
        .map(String::from),
    );
    for case in &cases {
        assert_eq!(
            raw_len(case, false),
            raw_len(case, true),
            "text read in runs differs on {case:?}"
        );
    }
    // The rule stops where it should, not merely alike: at a start, before trimmed blanks.
    assert_eq!(raw_len("ab {{ c }}", false), Some(3));
    assert_eq!(raw_len("ab \n {{- c }}", false), Some(2));
    assert_eq!(raw_len("{{ c }}", false), None);
}
