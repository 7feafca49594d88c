//! Constructs met on a seventh set of real Aviator/Jekyll sites endpaper was not written for
//! (rebuilt from public repositories under `bench/out/unseen/`, scored by
//! `bench/unseen.sh`), and known holes, each reproduced by a fixture of the project's own
//! words and held to Jekyll 4.3.1's build of it (`tests/fixtures/<fixture>.jekyll.html`,
//! checked live where Jekyll is installed).

use crate::common;
use crate::unseen_sites3::page_as_jekylls;
use std::path::Path;
use std::process::Command;

/// Builds `site` into `out` with `SOURCE_DATE_EPOCH` set to `epoch` (none: unset), keeping
/// the cache unless `clean`; the page built.
fn build_at(site: &common::Site, out: &Path, epoch: Option<&str>, clean: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_endpaper"));
    cmd.args(["build", ".", "-o"])
        .arg(out)
        .current_dir(site.path());
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    if clean {
        cmd.arg("--no-cache");
    }
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    std::fs::read_to_string(out.join("index.html")).unwrap()
}

/// Builds `site` with the cache kept into `cached_at` and without it into `clean_at`, under
/// `epoch`: the two outputs are the same, byte for byte; the cached build's page.
fn cached_as_clean(
    site: &common::Site,
    (cached_at, clean_at): (&Path, &Path),
    epoch: Option<&str>,
) -> String {
    let cached = build_at(site, cached_at, epoch, false);
    let clean = build_at(site, clean_at, epoch, true);
    assert_eq!(cached, clean);
    assert_eq!(common::tree(cached_at), common::tree(clean_at));
    cached
}

/// The fixture `unseen_sites7-undated` without its `time:`, and its config so.
fn without_time() -> (common::Site, String) {
    let (site, _) = common::fixture("unseen_sites7-undated");
    let config = site
        .read_in("_config.yml")
        .replace("time: 2024-05-06 07:08:09 +0000\n", "");
    site.write("_config.yml", &config);
    (site, config)
}

#[test]
fn a_doc_without_a_date_has_the_sites_time_as_jekyll_gives_it() {
    // Jekyll gives a collection doc that names no date the site's time (`site.time`,
    // `time:` here) as `date`; endpaper had given it none and warned of an unknown
    // variable `doc.date`.
    let page = page_as_jekylls("unseen_sites7-undated");
    assert!(
        page.contains(r#"<p class="entered">2024-05-06 07:08</p>"#),
        "{page}"
    );
    let (site, _) = common::fixture("unseen_sites7-undated");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(!out.contains("unknown variable"), "{out}");
}

#[test]
fn source_date_epoch_fixes_the_build_time_for_clean_and_cached_builds() {
    // Without `time:` the clock gives the build's time; SOURCE_DATE_EPOCH (the
    // reproducible-builds convention) fixes it, for `site.time`, an undated doc's date and
    // a doc body's `page.date` alike. A cached build under another epoch shows the new
    // time, byte for byte what a clean build shows.
    let (site, _) = without_time();
    site.write(
        "_logbook/stamped.md",
        "---\ntitle: Stamped\n---\nSigned {{ page.date | date: \"%Y-%m-%d\" }}.\n",
    );
    let outs = tempfile::tempdir().unwrap();
    let (cached_at, clean_at) = (outs.path().join("cached"), outs.path().join("clean"));
    let first = build_at(&site, &cached_at, Some("1600000000"), false);
    assert!(
        first.contains("<p class=\"built\">2020-09-13 12:26</p>"),
        "{first}"
    );
    assert!(first.contains("Signed 2020-09-13."), "{first}");
    let cached = cached_as_clean(&site, (&cached_at, &clean_at), Some("1700000000"));
    assert!(cached.contains("Signed 2023-11-14."), "{cached}");
}

#[test]
fn a_page_showing_the_clocks_time_is_rendered_by_every_build() {
    // With neither `time:` nor SOURCE_DATE_EPOCH the build's time is the clock's, and a page
    // showing it shows another time each build, as Jekyll's does: such a build is not
    // replayed from the cache when no file changed (it had been, showing the first time).
    let (site, _) = without_time();
    site.write(
        "index.html",
        "---\n---\n<p class=\"built\">{{ site.time | date: '%s' }}</p>\n",
    );
    let outs = tempfile::tempdir().unwrap();
    let at = outs.path().join("site");
    // Files changed this recently are not trusted to a stat, and no build would be replayed.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let first = build_at(&site, &at, None, false);
    // The page shows whole seconds: wait for the next one.
    let mut next = first.clone();
    while next == first {
        std::thread::sleep(std::time::Duration::from_millis(300));
        next = build_at(&site, &outs.path().join("probe"), None, true);
    }
    let again = build_at(&site, &at, None, false);
    assert_ne!(again, first);
}

/// The page endpaper builds from fixture `name`, held line by line (indents aside) to
/// Jekyll's committed build of it, which is checked live where Jekyll is installed.
fn page_like_jekylls(name: &str) -> String {
    let (site, path) = common::fixture(name);
    let jekyll = common::fixture_text(&format!("{name}.jekyll.html"));
    if let Some(live) = common::jekyll_index(&path, &site.path().join("_jekyll_site")) {
        assert_eq!(live, jekyll, "{name}");
    }
    let page = site.build(&[]);
    let lines = |html: &str| {
        let lines = html.lines().map(str::trim).filter(|l| !l.is_empty());
        lines.collect::<Vec<_>>().join("\n")
    };
    assert_eq!(lines(&page), lines(&jekyll));
    page
}

#[test]
fn attribute_lists_keep_their_written_order_quotes_and_list_ends_as_kramdown() {
    // kramdown writes an IAL's attributes in the order they were first written (the classes
    // before an id written after them), takes `"D:\"` as a value ending in a backslash when
    // no other quote closes it, and ends a list at an IAL line under an item, the IAL going
    // to that list and the item below starting another. endpaper had written the id first,
    // dropped the title as a quote never closed, and kept one loose list with the IAL's
    // class on an item.
    let page = page_like_jekylls("unseen_sites7-ial-order");
    assert!(page.contains(r#"<p title="D:\">"#), "{page}");
    assert!(
        page.contains(r#"<p class="tight neat" id="bow-line" data-turns="3">"#),
        "{page}"
    );
    assert!(page.contains(r#"<ul class="casting-off">"#), "{page}");
    assert_eq!(page.matches("<ul").count(), 2, "{page}");
}

#[test]
fn a_layout_showing_the_time_counts_only_where_the_layout_is_shown() {
    // endpaper's own theme shows no layout of the site: a footer's `'now' | date` there
    // leaves the build replayable, and no note says otherwise; with the site's theme it
    // does not.
    let (site, config) = without_time();
    site.write(
        "_config.yml",
        &config.replace("endpaper:\n  theme: site\n", ""),
    );
    site.write(
        "_layouts/default.html",
        "{{ content }}<p>{{ 'now' | date: '%Y' }}</p>\n",
    );
    site.write("index.html", "---\nlayout: default\n---\n{% for doc in site.logbook %}<section class=\"doc-content\"><h3><a id=\"{{ doc.id | replace: '/', '' }}\">{{ doc.title }}</a></h3>{{ doc.content }}</section>{% endfor %}\n");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(!out.contains("[clock]"), "{out}");
    site.write("_config.yml", &config);
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(
        out.contains("_layouts/default.html may show the build's time"),
        "{out}"
    );
}

#[test]
fn times_are_shown_in_the_configured_timezone_as_jekyll_shows_them() {
    // `timezone: Asia/Tokyo` is Ruby's local zone in Jekyll: a timestamp without an offset
    // is UTC shown at +0900 (a post's URL day moves with it), an offset of its own is shown
    // at +0900 too, a day alone, a file name's day or a quoted time is Tokyo's midnight or
    // civil time, `%Z` is `JST`, and `time:` is read as a timestamp. endpaper had shown every
    // time in UTC, and read no time from a quoted `YYYY-MM-DD HH:MM`.
    let page = page_like_jekylls("unseen_sites7-timezone");
    assert!(
        page.contains(r#"<p class="when">2019-11-03 07:30:00 +0900 JST Sun Nov</p>"#),
        "{page}"
    );
    assert!(page.contains("/log/2019/11/03/c-late-watch/"), "{page}");
    assert!(
        page.contains("Evening mooring: 2019-11-03 05:15 +0900 /2019/11/03/evening-mooring.html"),
        "{page}"
    );
    assert!(
        page.contains(
            r#"<p class="built">2024-05-07 05:08:09 +0900 JST 2024-05-07T05:08:09+09:00</p>"#
        ),
        "{page}"
    );
}

#[test]
fn an_unknown_timezone_is_a_warning_at_its_key() {
    let (site, _) = common::fixture("unseen_sites7-timezone");
    let config = site.read_in("_config.yml");
    site.write("_config.yml", &config.replace("Asia/Tokyo", "Asia/Tokio"));
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(
        out.contains("`timezone: Asia/Tokio` is no IANA time zone name"),
        "{out}"
    );
    assert!(out.contains("_config.yml:2:1"), "{out}");
}

#[test]
fn now_is_shown_in_the_zone_and_a_changed_zone_rebuilds_as_a_clean_build() {
    // `now` under SOURCE_DATE_EPOCH is that instant in the site's zone (Jekyll has no
    // SOURCE_DATE_EPOCH; its `now` is the clock's, shown so). The zone is in the config, so
    // a build over the cache after `timezone:` changes is byte for byte a clean one.
    let (site, _) = common::fixture("unseen_sites7-timezone");
    let config = site
        .read_in("_config.yml")
        .replace("time: 2024-05-06 20:08:09\n", "");
    site.write("_config.yml", &config);
    site.write(
        "index.html",
        "---\n---\n<p class=\"now\">{{ 'now' | date: '%Y-%m-%d %H:%M %z %Z' }}</p>\n",
    );
    let outs = tempfile::tempdir().unwrap();
    let (cached_at, clean_at) = (outs.path().join("cached"), outs.path().join("clean"));
    let tokyo = build_at(&site, &cached_at, Some("1600000000"), false);
    assert!(tokyo.contains("2020-09-13 21:26 +0900 JST"), "{tokyo}");
    site.write(
        "_config.yml",
        &config.replace("Asia/Tokyo", "America/New_York"),
    );
    let cached = cached_as_clean(&site, (&cached_at, &clean_at), Some("1600000000"));
    assert!(cached.contains("2020-09-13 08:26 -0400 EDT"), "{cached}");
}

#[test]
fn a_static_files_modified_time_is_shown_in_the_zone() {
    // Jekyll's `modified_time` is a Ruby `Time` in the local zone, which `timezone:` sets;
    // endpaper had shown it in UTC.
    let (site, _) = common::fixture("unseen_sites7-timezone");
    site.write("chart.txt", "soundings\n");
    site.write(
        "index.html",
        "---\n---\n{% for f in site.static_files %}<p>{{ f.name }} {{ f.modified_time | date: '%z %Z' }}</p>{% endfor %}\n",
    );
    let page = site.build(&[]);
    assert!(page.contains("<p>chart.txt +0900 JST</p>"), "{page}");
}

#[test]
fn a_collections_docs_are_listed_in_jekylls_order() {
    // Jekyll sorts each collection's docs as it reads them (`Collection#sort_docs!`):
    // `order:` lists first (a listed file that is no doc left out), the rest after;
    // `sort_by:` by the key, docs without it last; else by date then path, where an
    // undated doc has no date yet and compares by path with any other, so `calls` is no
    // plain date order. `site.<label>`, `collection.docs` and `site.documents` all list
    // that order; endpaper had listed every collection in path order.
    let page = page_as_jekylls("unseen_sites7-order");
    assert!(
        page.contains("<p class=\"calls\"> Afirst Cearly Blate Dpos Emid Flater</p>"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"guide\"> Gzeta Gbeta Galpha Gdelta Ggamma</p>"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"ref\"> Rtwo Rfour Rone Rfive Rthree</p>"),
        "{page}"
    );
    // Jekyll drops `missing.md` without a word; endpaper names it where `order:` lists it.
    let (site, _) = common::fixture("unseen_sites7-order");
    let out = common::stderr(&site.endpaper(&["build", "."]));
    assert!(out.contains("lists `missing.md`"), "{out}");
    assert!(out.contains("_config.yml:10:9"), "{out}");
}

#[test]
fn an_undated_doc_in_a_date_permalink_is_placed_at_the_sites_time() {
    // `/:year/:month/:day/:title/` of a doc without a date is the site's time's day
    // (`time:` in the fixture, SOURCE_DATE_EPOCH here), not the clock's, in a cached build as
    // in a clean one: the doc's record, kept for its unchanged file, holds the first build's
    // day.
    let (site, _) = common::fixture("unseen_sites7-order");
    let config = site.read_in("_config.yml");
    site.write(
        "_config.yml",
        &config.replace("time: 2024-05-06 07:08:09 +0000\n", ""),
    );
    // Files changed within RACY of a build are read again, not recorded.
    std::thread::sleep(endpaper::build::stamp::RACY);
    let outs = tempfile::tempdir().unwrap();
    let (cached_at, clean_at) = (outs.path().join("cached"), outs.path().join("clean"));
    let first = build_at(&site, &cached_at, Some("1600000000"), false);
    assert!(first.contains(" /2020/09/13/unstamped/</p>"), "{first}");
    let cached = cached_as_clean(&site, (&cached_at, &clean_at), Some("1700000000"));
    assert!(cached.contains(" /2023/11/14/unstamped/</p>"), "{cached}");
}

#[test]
fn a_cached_build_sorts_again_after_a_date_or_order_change() {
    // A doc's new date, or a new `order:`, re-sorts its collection in a cached build
    // exactly as a clean build sorts it (the orders Jekyll 4.3.1 gave the changed site).
    let (site, _) = common::fixture("unseen_sites7-order");
    let outs = tempfile::tempdir().unwrap();
    let (cached_at, clean_at) = (outs.path().join("cached"), outs.path().join("clean"));
    build_at(&site, &cached_at, None, false);
    site.write(
        "_calls/d-pos.md",
        "---\ntitle: Dpos\ndate: 2018-01-01 00:00:00 +0000\n---\nDated now.\n",
    );
    let config = site.read_in("_config.yml");
    site.write(
        "_config.yml",
        &config
            .replace("      - zeta.md\n", "")
            .replace("      - alpha.md\n", "      - alpha.md\n      - zeta.md\n"),
    );
    let cached = cached_as_clean(&site, (&cached_at, &clean_at), None);
    assert!(
        cached.contains("<p class=\"calls\"> Afirst Dpos Cearly Emid Blate Flater</p>"),
        "{cached}"
    );
    assert!(
        cached.contains("<p class=\"guide\"> Gbeta Galpha Gzeta Gdelta Ggamma</p>"),
        "{cached}"
    );
}
