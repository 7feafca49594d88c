//! "Did you mean": the known name closest to a misspelt one (a typo, `-` for `_`, a
//! changed case), by the string distance clap uses for its own suggestions.

/// The candidate most like `word`, if any is close enough to be a likely typo of it.
/// Ties go to the alphabetically first, so the suggestion does not depend on order.
pub fn closest<T>(
    word: &str,
    candidates: impl IntoIterator<Item = T>,
    name: impl Fn(&T) -> &str,
) -> Option<T> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &name(&c).to_lowercase()), c))
        // Similar, and a few edits away: a plugin's `replace_regex` is not a typo of
        // `replace`, though it starts alike.
        .filter(|(score, c)| {
            *score >= 0.9
                && name(c) != word
                && strsim::osa_distance(&lower, &name(c).to_lowercase())
                    <= (word.chars().count() / 3).max(1)
        })
        .max_by(|x, y| x.0.total_cmp(&y.0).then_with(|| name(&y.1).cmp(name(&x.1))))
        .map(|(_, c)| c)
}

/// `; did you mean `x`?` for the closest of `candidates`, or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates, |c| c)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_likely_typo_and_nothing_for_a_stranger() {
        let names = ["upcase", "downcase", "append"];
        assert_eq!(did_you_mean("upcasee", names), "; did you mean `upcase`?");
        assert_eq!(did_you_mean("UPCASE", names), "; did you mean `upcase`?");
        assert_eq!(did_you_mean("markdownify", names), "");
        assert_eq!(did_you_mean("replace_regex", ["replace"]), "");
        assert_eq!(
            closest("api-url", ["api_url", "url"], |c| c),
            Some("api_url")
        );
    }
}
