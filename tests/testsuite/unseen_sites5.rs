//! Constructs met on a fifth set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), and known holes, each reproduced by a fixture of the project's own
//! words and held to Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`,
//! checked live where Jekyll is installed).

use crate::common;
use crate::unseen_sites3::page_as_jekylls;

#[test]
fn a_lone_rule_ends_its_block_and_the_next_line_is_markdown() {
    // A line holding only `<hr />` is a block element with no body to kramdown: the line
    // after it is markdown (a heading, emphasis), even with no blank line between, and it
    // breaks the paragraph above it. CommonMark's HTML block ran on to the next blank
    // line, so endpaper had printed `### live | Needed` and `*wait*` as they were written.
    let page = page_as_jekylls("unseen_sites5-lone-rule");
    assert!(page.contains("<h3 id=\"live--needed\">"), "{page}");
    assert!(page.contains("Then <em>wait</em>"), "{page}");
    // `<hr>` without the slash, as a site wrote it, reads the same.
    let (site, _) = common::fixture("unseen_sites5-lone-rule");
    site.write(
        "_panels/meter.md",
        "---\ntitle: Meter\n---\n<hr>\n## Scale\n<HR class=\"thin\">\nIn *watts*.\n",
    );
    let page = site.build(&[]);
    assert!(page.contains("<h2 id=\"scale\">Scale</h2>"), "{page}");
    assert!(page.contains("In <em>watts</em>."), "{page}");
}

#[test]
fn a_code_spans_spaces_are_kept_or_taken_as_kramdown_takes_them() {
    // kramdown keeps a one-backtick span's text as written (`left ` keeps its space), and
    // takes one space off each end of a longer span's text on its own: a URL written between
    // triple backticks with a space before the closing run loses that space, and
    // ``  right`` keeps one of its two. CommonMark takes a space off only when both ends have
    // one, so endpaper had kept the URL's space and both of `right`'s.
    let page = page_as_jekylls("unseen_sites5-code-spans");
    assert!(
        page.contains(">https://locks.test/?key={KEY}</code>"),
        "{page}"
    );
    assert!(page.contains(">left </code>"), "{page}");
    assert!(page.contains("> right</code>"), "{page}");
}

#[test]
fn an_empty_json_sample_is_no_invalid_json() {
    // A `json` fence opened and closed at once (or holding only a blank line) is an empty
    // sample, which Jekyll shows as an empty block. endpaper had warned that it was invalid
    // JSON ("EOF while parsing a value"), at column 0.
    page_as_jekylls("unseen_sites5-empty-json");
    let (site, _) = common::fixture("unseen_sites5-empty-json");
    site.write(
        "_hooks/pong.md",
        "---\ntitle: Pong\n---\n```json\n\n```\n\n```json\n{\"late\": }\n```\n",
    );
    let err = common::stderr(&site.endpaper(&["build", "."]));
    // Only the sample that holds broken JSON is named.
    assert_eq!(err.matches("[invalid-json]").count(), 1, "{err}");
    assert!(err.contains("_hooks/pong.md:9:"), "{err}");
}

#[test]
fn site_posts_lists_the_posts_newest_first_with_their_dates_and_skips_future_ones() {
    // `site.posts` is Jekyll's list of posts, newest first; each post's `date` is a time
    // (its file name's day at midnight, or its front matter's, shown in UTC) that `date`
    // formats; a post dated after the build is skipped unless `future: true`. endpaper's
    // `site.posts` had been empty, `post.date` missing, and the future post built.
    let page = page_as_jekylls("unseen_sites5-posts");
    assert!(page.contains("Latest: Sharpening service of 3"), "{page}");
    assert!(
        page.contains("2022-02-14 17:45 (2022-02-14 17:45:00 +0000)"),
        "{page}"
    );
    let (site, _) = common::fixture("unseen_sites5-posts");
    let out = site.endpaper(&["build", "."]);
    let err = common::stderr(&out);
    assert!(err.contains("[future-post]"), "{err}");
    assert!(err.contains("_posts/2999-01-01-robots.md:1:1"), "{err}");
    // The post's own page reads its date through `page.date`.
    let post = site.read_out("2022/02/14/sharpening.html");
    assert!(post.contains("<time>February 14, 2022</time>"), "{post}");
    assert!(!site.out().join("2999").exists());
    // `future: true` builds it, first in the list.
    site.write(
        "_config.yml",
        "future: true\ncollections:\n  tools:\n    title: Tools\nendpaper:\n  theme: site\n",
    );
    let page = site.build(&[]);
    assert!(page.contains("Latest: Robot carpenters of 4"), "{page}");
}

#[test]
fn a_post_left_out_for_its_date_is_built_by_the_first_build_after_that_date() {
    // Only the clock passes a post's date, and no stat shows that: a build that left a post
    // out for its date is not replayed, and the next asks the clock again, as each of
    // Jekyll's builds does. endpaper's cache had replayed it, the post still left out.
    use endpaper::build::stamp::RACY;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    let (site, _) = common::fixture("unseen_sites5-posts");
    let now = || SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let due = now() + RACY + Duration::from_secs(3);
    let post = format!(
        "---\ntitle: Soon\ndate: {}\n---\nDue.\n",
        utc(due.as_secs())
    );
    site.write("_posts/2020-01-01-soon.md", &post);
    // A stamp trusts no file changed within RACY: the first build may leave a root key.
    std::thread::sleep(RACY);
    let page = site.build(&[]);
    assert!(now() < due, "the first build ran after the post's date");
    assert!(page.contains("Latest: Sharpening service of 3"), "{page}");
    std::thread::sleep(due - now() + Duration::from_secs(1));
    let page = site.build(&[]);
    assert!(page.contains("Latest: Soon of 4"), "{page}");
}

/// `YYYY-MM-DD HH:MM:SS +0000` for seconds since 1970 (days to a civil date by Howard
/// Hinnant's `civil_from_days`).
fn utc(secs: u64) -> String {
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rest / 3_600, rest / 60 % 60, rest % 60);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02} +0000")
}

#[test]
fn a_highlighted_blocks_ial_classes_sit_between_its_language_and_the_highlighters() {
    // kramdown writes a fenced block's wrapper class as its language, then the IAL's
    // classes, then `highlighter-rouge`; a fence that names its language has that class
    // before the IAL's id and title. endpaper had put the IAL's classes first
    // (`wide language-text highlighter-rouge`) and the title and id before the class.
    let page = page_as_jekylls("unseen_sites5-block-class");
    assert!(
        page.contains(
            r#"<div class="language-text wide tall highlighter-rouge" id="bolts" title="Bolts">"#
        ),
        "{page}"
    );
}
