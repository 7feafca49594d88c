//! Jekyll 4.3's dates and sort order where endpaper had followed them only in part, each
//! held to Jekyll 4.3.1's build of a fixture of the project's own
//! (`tests/fixtures/dates_jekyll-<name>.jekyll.html`, checked live where Jekyll is installed).

use crate::common;
use crate::unseen_sites3::page_as_jekylls;

/// The page endpaper writes for `dates_jekyll-times` (held to Jekyll's) and its line of
/// `class`es, in order.
fn lines_of(class: &str) -> Vec<String> {
    let page = page_as_jekylls("dates_jekyll-times");
    page.lines()
        .filter(|l| l.starts_with(&format!("<p class=\"{class}\">")))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_quoted_timestamp_is_the_zones_civil_time_and_a_plain_one_utc() {
    // `date: "2019-11-02 22:30:00"` is a string, which Jekyll reads with `Time.parse`: a
    // local time in `timezone:`'s zone. Unquoted it is Psych's timestamp, UTC. endpaper had
    // read both as UTC (the quoting was gone by the time the date was read), so the quoted
    // doc was 18:30 and listed first.
    assert_eq!(
        lines_of("tide"),
        [
            r#"<p class="tide">Plain: 2019-11-02 18:30:00 -0400 EDT 2019-11-02T18:30:00-04:00</p>"#,
            r#"<p class="tide">Quoted: 2019-11-02 22:30:00 -0400 EDT 2019-11-02T22:30:00-04:00</p>"#,
            r#"<p class="tide">Single: 2019-11-03 05:15:00 -0500 EST 2019-11-03T05:15:00-05:00</p>"#,
        ]
    );
    // Any other key: a plain timestamp is a time, shown as Ruby shows it; a quoted one is
    // text, read as the zone's civil time by the date filters.
    assert_eq!(
        lines_of("bare"),
        [
            r#"<p class="bare">[2019-11-02 13:00:00 UTC] [2019-11-02 13:00:00] 13:00 -0400 2019-11-02T13:00:00-04:00 2019-11-02T09:00:00-04:00</p>"#
        ]
    );
}

#[test]
fn a_root_pages_unquoted_date_is_a_time() {
    // A page's `date` is not read by Jekyll as a doc's is: it stays what YAML gives, here a
    // timestamp (UTC), shown and filtered in the site's zone. endpaper had kept the text,
    // which `| date:` read as a local time (22:30 -0400).
    assert_eq!(
        lines_of("page"),
        [
            r#"<p class="page">[2019-11-02 18:30:00 -0400] 2019-11-02 18:30:00 -0400 2019-11-02T18:30:00-04:00</p>"#
        ]
    );
}

#[test]
fn sort_by_compares_timestamps_as_times_and_numbers_as_numbers() {
    // `sort_by: logged`: Ruby compares the timestamps as instants (12:00 UTC, 14:00 UTC,
    // 01:00 UTC the next day); endpaper had compared their text, listing Early before Late.
    let stamps: Vec<String> = lines_of("stamp")
        .iter()
        .map(|l| l.split(['>', ' ']).nth(2).unwrap_or_default().to_string())
        .collect();
    assert_eq!(stamps, ["Mid", "Bare", "Late", "Early"]);
    // `sort_by: rank`: numbers by value, a rank from `defaults:` counted, the doc without
    // one last.
    let ranks: Vec<String> = lines_of("rank");
    assert!(ranks[1].contains("Defaulted 5"), "{ranks:?}");
    assert!(ranks[4].contains("Unranked"), "{ranks:?}");
}

#[test]
fn a_doc_without_the_sort_by_key_is_warned_as_jekyll_warns() {
    // Jekyll prints "Sort warning: 'rank' not defined in _ranks/e-unranked.md"; endpaper
    // had listed the doc last without a word. The doc given its rank by `defaults:` is not
    // warned, nor is a collection sorted by a key none of its docs sets.
    let (site, _) = common::fixture("dates_jekyll-times");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert_eq!(out.matches("[sort-warning]").count(), 1, "{out}");
    assert!(out.contains("--> _ranks/e-unranked.md:1:1"), "{out}");
    assert!(out.contains("`rank` is not set for this doc"), "{out}");
    // Written with no value, it is warned at its line.
    site.write(
        "_ranks/e-unranked.md",
        "---\ntitle: Unranked\nrank:\n---\nNo rank.\n",
    );
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(out.contains("--> _ranks/e-unranked.md:3:1"), "{out}");
}

/// A cached build of `site` with the clock giving the build's time (no `SOURCE_DATE_EPOCH`,
/// no `time:`): its page and its messages.
fn clock_build(site: &common::Site) -> (String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .args(["build", "."])
        .current_dir(site.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    (site.read_out("index.html"), common::stderr(&o))
}

#[test]
fn a_doc_that_shows_the_time_through_an_include_is_rendered_anew_by_a_cached_build() {
    // The doc hands `time` to an include that prints `site[include.field]`: neither names
    // `site.time`, yet together they show the build's time, which the clock gives. endpaper
    // had not seen it: a cached build kept the first build's time, and no note said so.
    let (site, _) = common::fixture("dates_jekyll-clock");
    let stamp = |page: &str| common::element(page, "notessigned").to_string();
    let (first, out) = clock_build(&site);
    assert!(out.contains("--> _notes/signed.md"), "{out}");
    assert!(out.contains("may show the build's time"), "{out}");
    // The doc that hands `title` to the same include shows no time.
    assert!(!out.contains("--> _notes/plain.md"), "{out}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (second, _) = clock_build(&site);
    assert_ne!(stamp(&first), stamp(&second));
}
