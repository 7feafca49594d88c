//! What the speed-ups must never change: incremental `serve` rebuilds write exactly what a
//! clean build writes, the reuse store gives the same output warm and cold (and
//! survives damage), one thread and many give the same bytes, and large sites are split so
//! no page carries the whole site.

use crate::common;
use common::Site;
use endpaper::build::{self, BuildOptions, Mode, Session};
use endpaper::diagnostics::Diagnostic;
use endpaper::highlight::Highlighter;
use endpaper::store::{self, Store};
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A split site (two docs a page): sections of several pages, an include used by one doc,
/// samples in several languages, repeated samples.
fn site() -> Site {
    let mut files: Vec<(String, String)> = vec![
        (
            "_config.yml".into(),
            "title: Perf\nendpaper:\n  single_page_max_docs: 2\n  page_max_docs: 2\ncollections:\n  alpha:\n    title: Alpha\n    position: 1\n  beta:\n    title: Beta\n    position: 2\n".into(),
        ),
        (
            "_includes/shared.md".into(),
            "Shared text with a [link](#alphadoc-1).\n".into(),
        ),
    ];
    for section in ["alpha", "beta"] {
        for i in 0..5 {
            let include = if section == "alpha" && i == 3 {
                "{% include shared.md %}\n"
            } else {
                ""
            };
            files.push((
                format!("_{section}/doc-{i}.md"),
                format!(
                    "---\ntitle: /{section}/{i}\nname: {section} {i}\nposition: {i}\nmethod: get\ndescription: Doc {i}\nright_code: |\n  ~~~ json\n  {{\"id\": {i}, \"ok\": true}}\n  ~~~\n  {{: title=\"Response\" }}\n---\nProse of {section} {i}; see [the first](#alphadoc-0).\n\n{include}### Parameters\n\nid\n: (string) The id\n\n~~~ bash\ncurl https://api.example.com/{section}\n~~~\n{{: title=\"Curl\" }}\n\n~~~ python\nimport requests\nrequests.get(\"https://api.example.com/{section}/{i}\")\n~~~\n{{: title=\"Python\" }}\n"
                ),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Site::new(&refs)
}

fn opts(site: &Site, out: PathBuf, cache: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        output: Some(out),
        cache,
        ..BuildOptions::new(site.path())
    }
}

/// A clean build of the site as it is now, without a cache, into a fresh folder.
fn clean(site: &Site) -> BTreeMap<String, Vec<u8>> {
    clean_with_findings(site).0
}

fn clean_with_findings(site: &Site) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let out = tempfile::tempdir().unwrap();
    let o = opts(site, out.path().join("clean"), None);
    let outcome = build::build(&o, &Highlighter::new(), Mode::Build { strict: false }).unwrap();
    (common::tree(&out.path().join("clean")), outcome.diagnostics)
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    for (k, v) in a {
        assert!(v == &b[k], "{what}: {k} differs");
    }
}

fn set_old_mtime(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000))
        .unwrap();
}

fn is_old(path: &Path) -> bool {
    std::fs::metadata(path).unwrap().modified().unwrap()
        == SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000)
}

#[test]
fn incremental_rebuilds_write_what_a_clean_build_writes() {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("serve");
    let o = opts(&site, out.clone(), Some(work.path().join("cache")));
    let hl = Highlighter::new();
    let mut session = Session::new(o.clone(), Mode::Serve);
    let mut last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    assert_same(&common::tree(&out), &clean(&site), "first build");

    let page_of = |anchor: &str| -> String {
        common::tree(&out)
            .into_iter()
            .find(|(k, v)| {
                k.ends_with(".html")
                    && String::from_utf8_lossy(v).contains(&format!("id=\"{anchor}\""))
            })
            .map(|(k, _)| k)
            .unwrap()
    };

    // One doc's body: only its page is rewritten.
    let edited = page_of("betadoc-4");
    let other = page_of("alphadoc-0");
    assert_ne!(edited, other);
    set_old_mtime(&out.join(&edited));
    set_old_mtime(&out.join(&other));
    let (edited_twin, other_twin) = ("beta/doc-4.md", "alpha/doc-0.md");
    set_old_mtime(&out.join(edited_twin));
    set_old_mtime(&out.join(other_twin));
    set_old_mtime(&out.join("search-index.js"));
    set_old_mtime(&out.join("search-text.js"));
    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Prose of beta 4", "Rewritten prose"));
    let only = |rel: &str| -> BTreeSet<String> { [rel.to_string()].into() };
    // As `serve` calls it: only this doc changed, so only it is re-read.
    last = session
        .build(&hl, Some(&last), Some(&only(path)), &mut |_| {})
        .unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after a body edit");
    assert_eq!(last.composed, 1, "only the edited doc is made again");
    assert!(
        !is_old(&out.join(&edited)),
        "the edited doc's page is rewritten"
    );
    assert!(is_old(&out.join(&other)), "other pages are left alone");
    assert!(
        !is_old(&out.join(edited_twin)),
        "the edited doc's twin is rewritten"
    );
    assert!(is_old(&out.join(other_twin)), "other twins are left alone");
    // The prose is in the full text, not in the index (names, paths, parameter names).
    assert!(
        !is_old(&out.join("search-text.js")),
        "the full text is rewritten"
    );
    assert!(
        is_old(&out.join("search-index.js")),
        "the index is left alone"
    );

    // A name and a bad method, re-reading only the doc: the navigation of every page of
    // its section changes, and its finding is reported like a clean build reports it.
    let path = "_beta/doc-2.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(
        path,
        &text
            .replace("name: beta 2", "name: Renamed beta")
            .replace("method: get", "method: fetch"),
    );
    last = session
        .build(&hl, Some(&last), Some(&only(path)), &mut |_| {})
        .unwrap();
    let (reference, findings) = clean_with_findings(&site);
    assert_same(&common::tree(&out), &reference, "after a name edit");
    assert_eq!(last.diagnostics, findings);
    assert!(findings.iter().any(|d| d.code == "unknown-method"));
    site.write(path, &text);
    last = session
        .build(&hl, Some(&last), Some(&only(path)), &mut |_| {})
        .unwrap();
    let (reference, findings) = clean_with_findings(&site);
    assert_same(&common::tree(&out), &reference, "after undoing it");
    assert_eq!(last.diagnostics, findings);

    // A position change: the doc moves, which needs the whole site re-read.
    let path = "_beta/doc-1.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("position: 1", "position: 7"));
    last = session
        .build(&hl, Some(&last), Some(&only(path)), &mut |_| {})
        .unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after a position edit");

    // An include: the doc using it changes.
    site.write("_includes/shared.md", "Changed shared text.\n");
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    let now = common::tree(&out);
    assert!(String::from_utf8_lossy(&now[&page_of("alphadoc-3")]).contains("Changed shared text."));
    assert_same(&now, &clean(&site), "after an include edit");
    assert_eq!(last.composed, 1, "only the doc including it");

    // A title (navigation of the section's pages), a new code sample, a reordering.
    site.write(
        "_alpha/doc-1.md",
        "---\ntitle: /alpha/renamed\nname: Renamed\nposition: 9\nmethod: post\n---\nNow last.\n\n~~~ ruby\nputs 1\n~~~\n",
    );
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    assert_same(
        &common::tree(&out),
        &clean(&site),
        "after a front-matter edit",
    );

    // A doc added and one removed: pages come and go.
    site.write(
        "_beta/doc-9.md",
        "---\ntitle: /beta/new\nposition: 9\n---\nNew.\n",
    );
    std::fs::remove_file(site.path().join("_alpha/doc-2.md")).unwrap();
    std::fs::remove_file(site.path().join("_alpha/doc-4.md")).unwrap();
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    assert_same(
        &common::tree(&out),
        &clean(&site),
        "after adding and removing docs",
    );

    // Liquid that reads the site model: redone when `_data` or another doc changes.
    site.write("_data/plans.yml", "- name: Free\n");
    site.write(
        "_beta/doc-3.md",
        "---\ntitle: /beta/3\nposition: 3\n---\n{% for p in site.data.plans %}Plan {{ p.name }}. {% endfor %}{% for d in site.alpha %}[{{ d.name }}] {% endfor %}\n",
    );
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    assert_same(
        &common::tree(&out),
        &clean(&site),
        "after a doc reading site.*",
    );
    site.write("_data/plans.yml", "- name: Team\n");
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    let now = common::tree(&out);
    assert!(String::from_utf8_lossy(&now[&page_of("betadoc-3")]).contains("Plan Team."));
    assert_same(&now, &clean(&site), "after a data edit");
    let path = "_alpha/doc-0.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("name: alpha 0", "name: Zeroth"));
    last = session
        .build(&hl, Some(&last), Some(&only(path)), &mut |_| {})
        .unwrap();
    let now = common::tree(&out);
    assert!(String::from_utf8_lossy(&now[&page_of("betadoc-3")]).contains("[Zeroth]"));
    assert_same(&now, &clean(&site), "after an edit of a doc another lists");
    assert_eq!(last.composed, 2, "the doc and the doc reading `site`");

    // The config: everything.
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &config.replace("title: Perf", "title: Renamed API"),
    );
    last = session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after a config edit");

    // A broken doc fails the rebuild and leaves the output; fixing it recovers.
    let before = common::tree(&out);
    // (Invalid YAML is only a warning, as in Jekyll; a missing include still fails.)
    site.write(
        "_beta/doc-0.md",
        "---\ntitle: /beta/x\n---\n{% include nope.md %}\n",
    );
    assert!(session.build(&hl, Some(&last), None, &mut |_| {}).is_err());
    assert_same(&common::tree(&out), &before, "after a failed rebuild");
    site.write("_beta/doc-0.md", "---\ntitle: /beta/fixed\n---\nFixed.\n");
    session.build(&hl, Some(&last), None, &mut |_| {}).unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after the fix");
}

#[test]
fn the_cache_gives_the_same_output_cold_warm_and_damaged() {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let cache_dir = work.path().join("cache");
    let reference = clean(&site);
    let hl = Highlighter::new();
    let build_into = |name: &str| {
        let o = opts(&site, work.path().join(name), Some(cache_dir.clone()));
        build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
        common::tree(&work.path().join(name))
    };
    assert_same(&build_into("cold"), &reference, "cold cache");
    let pack = cache_dir.join(store::FILE_NAME);
    assert!(pack.is_file(), "the cache is written");
    assert!(!Store::open(&cache_dir).is_empty());
    assert_same(&build_into("warm"), &reference, "warm cache");
    // Truncated: ignored, rebuilt, written whole again.
    let bytes = std::fs::read(&pack).unwrap();
    std::fs::write(&pack, &bytes[..bytes.len() / 3]).unwrap();
    assert_same(&build_into("damaged"), &reference, "damaged cache");
    assert_eq!(std::fs::read(&pack).unwrap(), bytes);
    // The default cache lives in the site's dot-folder, which is never read as input.
    let o = BuildOptions::new(site.path());
    build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    assert!(site
        .path()
        .join(store::DIR_NAME)
        .join(store::FILE_NAME)
        .is_file());
    assert_same(
        &common::tree(&site.out()),
        &reference,
        "default cache folder",
    );
}

#[test]
fn one_thread_and_many_write_the_same_bytes() {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let hl = Highlighter::new();
    let run = |threads: usize, name: &str| {
        let o = opts(&site, work.path().join(name), None);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| build::build(&o, &hl, Mode::Build { strict: false }).unwrap());
        common::tree(&work.path().join(name))
    };
    assert_same(&run(1, "one"), &run(4, "four"), "1 vs 4 threads");
}

#[test]
fn large_split_sites_keep_redirects_out_of_index_html() {
    // Enough docs that the anchor map outgrows what index.html inlines.
    let mut files = vec![(
        "_config.yml".to_string(),
        "title: Big\ncollections:\n  items:\n    title: Items\n".to_string(),
    )];
    for i in 0..700 {
        files.push((
            format!("_items/item-with-a-long-name-{i:04}.md"),
            format!("---\ntitle: /items/{i}\n---\nItem {i}.\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = Site::new(&refs);
    let index = site.build(&[]);
    assert!(index.contains("data-redirects=\"{}\""), "no inline map");
    assert!(index.contains("data-redirects-src=\"redirects.js\""));
    let js = site.read_out("redirects.js");
    let json = js
        .strip_prefix("window.EP_REDIRECTS = ")
        .and_then(|j| j.strip_suffix(";\n"))
        .unwrap();
    let map: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
    // Every doc not on index.html is in the map, pointing at the page that holds it.
    let last = "itemsitem-with-a-long-name-0699";
    let page = &map[last];
    assert!(site.read_out(page).contains(&format!("id=\"{last}\"")));
    assert!(!map.contains_key("itemsitem-with-a-long-name-0000"));
    assert_eq!(map.len(), 700 - 60);
}

/// The fixture site, an output folder (in the temp folder returned) for `serve`'s builds, and
/// a session as `serve` keeps one.
fn for_serve() -> (Site, tempfile::TempDir, PathBuf, Highlighter, Session) {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("serve");
    let o = opts(&site, out.clone(), None);
    (
        site,
        work,
        out,
        Highlighter::new(),
        Session::new(o, Mode::Serve),
    )
}

/// `serve` reloads the tabs once the pages are written: at that point the edited doc's
/// page is new while its twin and `openapi.json` (which no tab reads) are still the last
/// build's; when the rebuild returns they are new too, as a clean build writes them.
#[test]
fn serve_reloads_before_the_machine_docs_are_written() {
    let (site, _work, out, hl, mut session) = for_serve();
    let last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Prose of beta 4", "Rewritten prose"));
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let pages_with = |word: &str| {
        common::tree(&out)
            .into_iter()
            .filter(|(k, v)| k.ends_with(".html") && String::from_utf8_lossy(v).contains(word))
            .count()
    };
    let mut called = false;
    session
        .build(
            &hl,
            Some(&last),
            Some(&[path.to_string()].into()),
            &mut |_| {
                called = true;
                assert!(pages_with("Rewritten prose") > 0, "the page is new");
                assert!(read("beta/doc-4.md").contains("Prose of beta 4"));
                assert!(read("openapi.json").contains("Prose of beta 4"));
                assert!(read("search-text.js").contains("Prose of beta 4"));
                assert!(read("llms-full.txt").contains("Prose of beta 4"));
            },
        )
        .unwrap();
    assert!(called);
    assert!(read("beta/doc-4.md").contains("Rewritten prose"));
    assert!(read("openapi.json").contains("Rewritten prose"));
    assert!(read("search-text.js").contains("Rewritten prose"));
    assert_same(&common::tree(&out), &clean(&site), "after the rebuild");
}

/// A change that comes in while a `serve` rebuild writes its machine files stops them: the
/// pages are new, the machine files as they were (none removed), and the next rebuild
/// writes them all, so the output is a clean build's again. A staged build never stops.
#[test]
fn a_change_during_the_machine_files_stops_them_and_the_next_rebuild_writes_them() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let (site, _work, out, hl, mut session) = for_serve();
    let flag = Arc::new(AtomicBool::new(true));
    session.interrupt_machine_files_on(Arc::clone(&flag));
    let last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    assert!(!last.interrupted, "the first build is staged: whole");
    assert_same(&common::tree(&out), &clean(&site), "the first build");
    flag.store(false, Ordering::Relaxed);

    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Prose of beta 4", "Rewritten prose"));
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let changed: BTreeSet<String> = [path.to_string()].into();
    let stopped = session
        .build(&hl, Some(&last), Some(&changed), &mut |_| {
            flag.store(true, Ordering::Relaxed)
        })
        .unwrap();
    assert!(stopped.interrupted);
    assert!(common::tree(&out).iter().any(
        |(k, v)| k.ends_with(".html") && String::from_utf8_lossy(v).contains("Rewritten prose")
    ));
    for old in [
        "beta/doc-4.md",
        "openapi.json",
        "search-text.js",
        "llms-full.txt",
    ] {
        assert!(
            read(old).contains("Prose of beta 4"),
            "{old} left as it was"
        );
    }
    for f in &last.files {
        assert!(out.join(f).is_file(), "{f} kept");
        assert!(stopped.files.contains(f), "{f} still listed");
    }

    flag.store(false, Ordering::Relaxed);
    let again = session
        .build(&hl, Some(&stopped), Some(&changed), &mut |_| {})
        .unwrap();
    assert!(!again.interrupted);
    assert!(read("beta/doc-4.md").contains("Rewritten prose"));
    assert_same(&common::tree(&out), &clean(&site), "after the next rebuild");
}

/// `serve` keeps the site's structure across rebuilds where only doc bodies changed (the
/// structure pass reads front matter, not bodies), and reads it again when front matter
/// changes: a root page that names each doc's anchor after its `slug` moves the anchor
/// with it. Each rebuild writes what a clean build writes.
#[test]
fn serve_rereads_the_structure_when_front_matter_changes() {
    let site = Site::new(&[
        ("_config.yml", "title: S\ncollections:\n  guide:\n    title: Guide\n"),
        (
            "index.html",
            "---\ntitle: Ref\n---\n{% for d in site.guide %}<a id=\"{{ d.slug }}\"></a><h2 id=\"old-{{ d.slug }}\">{{ d.title }}</h2>{{ d.content }}{% endfor %}\n",
        ),
        ("_guide/a.md", "---\ntitle: A\nslug: first\nposition: 1\n---\nBody of a.\n"),
        ("_guide/b.md", "---\ntitle: B\nslug: second\nposition: 2\n---\nBody of b.\n"),
    ]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("serve");
    let o = opts(&site, out.clone(), None);
    let hl = Highlighter::new();
    let mut session = Session::new(o.clone(), Mode::Serve);
    let mut last = session.build(&hl, None, None, &mut |_| {}).unwrap();
    let index = |out: &Path| std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index(&out).contains("old-second"), "the alias is there");

    let only = |rel: &str| -> BTreeSet<String> { [rel.to_string()].into() };
    site.write(
        "_guide/b.md",
        "---\ntitle: B\nslug: second\nposition: 2\n---\nNew body.\n",
    );
    last = session
        .build(&hl, Some(&last), Some(&only("_guide/b.md")), &mut |_| {})
        .unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after a body edit");

    site.write(
        "_guide/b.md",
        "---\ntitle: B\nslug: renamed\nposition: 2\n---\nNew body.\n",
    );
    session
        .build(&hl, Some(&last), Some(&only("_guide/b.md")), &mut |_| {})
        .unwrap();
    assert_same(
        &common::tree(&out),
        &clean(&site),
        "after a front-matter edit",
    );
    assert!(index(&out).contains("old-renamed"), "{}", index(&out));
    assert!(!index(&out).contains("old-second"));
}

#[test]
fn the_cache_keeps_finished_docs_and_the_structure_only_while_what_made_them_stands() {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let cache_dir = work.path().join("cache");
    let hl = Highlighter::new();
    let mut n = 0;
    let mut check = |what: &str| {
        n += 1;
        let out = work.path().join(format!("out-{n}"));
        build::build(
            &opts(&site, out.clone(), Some(cache_dir.clone())),
            &hl,
            Mode::Build { strict: false },
        )
        .unwrap();
        assert_same(&common::tree(&out), &clean(&site), what);
        common::tree(&out)
    };
    check("cold");
    // Beside its 17 distinct samples the cache keeps each of the 10 docs' twin, search
    // text and operation, the site's structure, and which records' reads were resolved.
    assert_eq!(Store::open(&cache_dir).len(), 17 + 10 + 1 + 1);
    check("warm");

    let doc = |i: usize, method: &str, body: &str| {
        format!("---\ntitle: /beta/{i}\nname: beta {i}\nposition: {i}\nmethod: {method}\ndescription: Doc {i}\n---\n{body}\n")
    };
    site.write(
        "_beta/doc-1.md",
        &doc(1, "get", "A new body, see [the first](#alphadoc-0)."),
    );
    let out = check("a body edit");
    assert!(String::from_utf8_lossy(&out["beta/doc-1.md"]).contains("A new body"));
    site.write("_beta/doc-1.md", &doc(1, "post", "A new body."));
    let out = check("a front-matter edit");
    assert!(String::from_utf8_lossy(&out["openapi.json"]).contains("\"post\""));
    // Another doc's anchor moves: the twins linking to it link elsewhere.
    std::fs::remove_file(site.path().join("_alpha/doc-0.md")).unwrap();
    site.write("_alpha/doc-zero.md", &doc(0, "get", "The first, renamed."));
    check("a linked doc renamed");
    // Twins link each other from the site's URL.
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &format!("url: https://docs.example.com\n{config}"),
    );
    let out = check("the site's URL");
    assert!(String::from_utf8_lossy(&out["llms-full.txt"]).contains("https://docs.example.com/"));
    // A root page orders the docs its own way, then another way.
    let index = |order: &str| {
        format!("---\ntitle: Ref\n---\n{{% assign docs = site.beta | sort: \"position\"{order} %}}{{% for d in docs %}}<h2 id=\"{{{{ d.id | slugify }}}}\">{{{{ d.title }}}}</h2>{{% endfor %}}\n")
    };
    site.write("index.html", &index(" | reverse"));
    let reversed = check("a root page");
    site.write("index.html", &index(""));
    let ordered = check("the root page reordered");
    assert_ne!(reversed["index.html"], ordered["index.html"]);
}

/// Every output file's modification time, to tell a build that wrote nothing.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    common::tree(dir)
        .into_keys()
        .map(|k| {
            let t = std::fs::metadata(dir.join(&k)).unwrap().modified().unwrap();
            (k, t)
        })
        .collect()
}

/// `endpaper build` with nothing changed replays the last build's report and writes
/// nothing; a change to any input, to the output or to the options makes it a full build
/// again, whose output is a clean build's.
#[test]
fn a_build_with_nothing_changed_replays_the_last_one_and_any_change_rebuilds() {
    let site = site();
    let warned = "---\ntitle: /alpha/w\nname: warned\nposition: 9\n---\nText.\n\n~~~ nosuchlanguage\nx\n~~~\n";
    site.write("_alpha/warned.md", warned);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = opts(&site, out.clone(), Some(work.path().join("cache")));
    let hl = Highlighter::new();
    let build = |o: &BuildOptions| build::build(o, &hl, Mode::Build { strict: false }).unwrap();
    // The fixture was just written: a stamp trusts no file changed within this window.
    std::thread::sleep(endpaper::build::stamp::RACY);

    let first = build(&o);
    assert!(!first.unchanged, "no stamp yet");
    assert!(first
        .diagnostics
        .iter()
        .any(|d| d.code == "unknown-language"));
    let written = mtimes(&out);

    let again = build(&o);
    assert!(again.unchanged, "nothing changed, so the last build stands");
    assert_eq!(
        again.diagnostics, first.diagnostics,
        "its warnings are shown again"
    );
    assert_eq!(
        (again.docs, again.sections, again.pages, &again.output),
        (first.docs, first.sections, first.pages, &first.output)
    );
    assert_eq!(again.structure, first.structure);
    assert_eq!(mtimes(&out), written, "a replay writes nothing");
    assert_same(&common::tree(&out), &clean(&site), "replayed");
    // The report is kept beside the stamp: one not as the stamp recorded it is not replayed.
    let report = std::fs::read_dir(work.path().join("cache"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "report"))
        .unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replace("unknown-language", "unknown-lingo")).unwrap();
    let rebuilt = build(&o);
    assert!(!rebuilt.unchanged, "a report edited since");
    assert_eq!(rebuilt.diagnostics, first.diagnostics);
    assert!(build(&o).unchanged, "and its own report stands");

    // Without a cache folder there is nowhere to keep a stamp.
    let uncached = opts(&site, work.path().join("uncached"), None);
    assert!(!build(&uncached).unchanged);
    assert!(!build(&uncached).unchanged);
    // Another output folder is another build.
    assert!(!build(&opts(&site, work.path().join("other"), o.cache.clone())).unchanged);

    // An output file edited by hand: rebuilt.
    std::fs::write(out.join("index.html"), "edited").unwrap();
    assert!(!build(&o).unchanged, "an edited output file");
    assert_same(&common::tree(&out), &clean(&site), "after an output edit");
    // An output file removed: rebuilt.
    std::fs::remove_file(out.join("search-index.js")).unwrap();
    assert!(!build(&o).unchanged, "a removed output file");
    assert_same(
        &common::tree(&out),
        &clean(&site),
        "after an output removal",
    );

    // An input rewritten with the same text, then changed, then a new one: each rebuilt.
    let path = "_beta/doc-2.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text);
    assert!(!build(&o).unchanged, "a touched input");
    site.write(path, &text.replace("Prose of beta 2", "Changed prose"));
    assert!(!build(&o).unchanged, "a changed input");
    assert_same(&common::tree(&out), &clean(&site), "after an input change");
    site.write("_beta/doc-9.md", &text.replace("/beta/2", "/beta/9"));
    assert!(!build(&o).unchanged, "a new input");
    assert_same(&common::tree(&out), &clean(&site), "after a new input");
}

/// One-off builds of `site` with one cache kept, each into a fresh folder and held to a
/// clean build's output and findings; each gives how many docs it composed.
fn cached_builds(site: &Site) -> impl FnMut(&str) -> usize + '_ {
    let mut build = cached_builds_reading(site);
    move |what| build(what).1
}

/// [`cached_builds`], each giving how many docs it read and parsed, and how many it composed.
fn cached_builds_reading(site: &Site) -> impl FnMut(&str) -> (usize, usize) + '_ {
    let work = tempfile::tempdir().unwrap();
    let hl = Highlighter::new();
    let mut n = 0;
    move |what| {
        n += 1;
        let out = work.path().join(format!("out-{n}"));
        let o = opts(site, out.clone(), Some(work.path().join("cache")));
        let outcome = build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
        let (tree, findings) = clean_with_findings(site);
        assert_same(&common::tree(&out), &tree, what);
        assert_eq!(outcome.diagnostics, findings, "{what}: findings");
        (outcome.parsed, outcome.composed)
    }
}

/// The one reuse rule: a doc is composed, highlighted and finished again only when its own
/// inputs (its text, place, the config) or what its steps read besides (its includes, the
/// site model for a doc reading `site.*`, where its links lead) changed; every other doc's
/// output comes from its record in the store. Each build writes what a clean build writes.
#[test]
fn a_doc_is_made_again_only_when_what_it_reads_changed() {
    let site = site();
    site.write("_data/plan.yml", "level: gold\n");
    let reads_site = "---\ntitle: /beta/site\nname: site reader\nposition: 8\n---\nThe plan is {{ site.data.plan.level }}.\n";
    site.write("_beta/reader.md", reads_site);
    let mut build = cached_builds(&site);
    assert_eq!(build("cold"), 11);
    assert_eq!(build("warm"), 0, "nothing changed: every doc recorded");

    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
        assert!(text.contains(from), "{rel}");
        site.write(rel, &text.replace(from, to));
    };
    edit("_beta/doc-4.md", "Prose of beta 4", "Rewritten prose");
    // The doc, and the doc whose Liquid reads every doc through `site`.
    assert_eq!(build("one doc's body"), 2);
    edit("_includes/shared.md", "Shared text", "Shared words");
    assert_eq!(build("an include"), 1, "only the doc including it");
    edit("_data/plan.yml", "gold", "silver");
    assert_eq!(build("a data file"), 1, "only the doc reading `site`");
    edit("_config.yml", "title: Perf", "title: Perf two");
    assert_eq!(build("the config"), 11);
    std::fs::remove_file(site.path().join("_beta/doc-2.md")).unwrap();
    assert_eq!(build("a doc removed"), 1, "the site changed for its reader");
    // Every doc links to this one, so each link resolves anew once it is renamed: the eight
    // linking docs, the renamed one and the reader of `site`.
    std::fs::remove_file(site.path().join("_alpha/doc-0.md")).unwrap();
    site.write(
        "_alpha/doc-zero.md",
        "---\ntitle: /alpha/0\nname: alpha 0\nposition: 0\n---\nThe first, renamed.\n",
    );
    assert_eq!(build("a linked doc renamed"), 10);
    assert_eq!(build("warm again"), 0);
}

/// A record whose reads were resolved in a build of the same world (the same includes,
/// docs' anchors and paths, hidden docs) is taken without resolving them again; one of
/// another world is resolved again. Here every doc links to `#alphadoc-0`: it goes (the
/// links lead nowhere), then comes back (they lead to it again), and the records made while
/// it was gone, under the same keys, must not be taken as resolved once it is back.
#[test]
fn records_resolved_in_another_world_are_resolved_again() {
    let site = site();
    let mut build = cached_builds(&site);
    assert_eq!(build("cold"), 10);
    assert_eq!(build("warm"), 0);
    let first = std::fs::read_to_string(site.path().join("_alpha/doc-0.md")).unwrap();
    std::fs::remove_file(site.path().join("_alpha/doc-0.md")).unwrap();
    // The nine docs linking to it, each to a doc no longer there.
    assert_eq!(build("the linked doc gone"), 9);
    assert_eq!(build("warm while it is gone"), 0);
    site.write("_alpha/doc-0.md", &first);
    assert_eq!(build("the linked doc back"), 10);
    assert_eq!(build("warm once it is back"), 0);
    site.write(
        "_beta/doc-3.md",
        &std::fs::read_to_string(site.path().join("_beta/doc-3.md"))
            .unwrap()
            .replace("Prose of beta 3", "Other prose"),
    );
    assert_eq!(build("one doc's body"), 1);
}

/// A one-off build with the cache kept renders and writes again only the files whose key
/// changed: with one doc's body edited, its page, its twin and the full text for search;
/// every other page, twin and the index stand as the last build wrote them (left in place,
/// not compared). Once the output is edited by hand, nothing is kept unread.
#[test]
fn a_cached_build_keeps_every_file_whose_key_is_unchanged() {
    let site = site();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = opts(&site, out.clone(), Some(work.path().join("cache")));
    let hl = Highlighter::new();
    let build = || build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    let first = build();
    assert!(first.kept.is_empty(), "nothing to keep yet");
    let page_of = |anchor: &str| -> String {
        let tree = common::tree(&out);
        let page = tree.iter().find(|(k, v)| {
            k.ends_with(".html") && String::from_utf8_lossy(v).contains(&format!("id=\"{anchor}\""))
        });
        page.unwrap().0.clone()
    };
    let (edited, other) = (page_of("betadoc-4"), page_of("alphadoc-0"));
    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Prose of beta 4", "Rewritten prose"));
    let second = build();
    assert_same(&common::tree(&out), &clean(&site), "one doc's body");
    let written: BTreeSet<&String> = second.files.difference(&second.kept).collect();
    for file in [&edited, "beta/doc-4.md", "search-text.js"] {
        assert!(
            written.contains(&file.to_string()),
            "{file} written: {written:?}"
        );
    }
    for file in [&other, "alpha/doc-0.md", "search-index.js"] {
        assert!(second.kept.contains(file), "{file} kept: {:?}", second.kept);
    }
    // The second build put its files in place over the first's output and hashed that
    // output from the first's listing: a walk of it agrees, so files are kept again.
    site.write(path, &text.replace("Prose of beta 4", "Rewritten again"));
    let again = build();
    assert!(
        again.kept.contains(&other),
        "{other} kept: {:?}",
        again.kept
    );
    // An output file edited by hand: the output is no longer the last build's.
    std::fs::write(out.join(&other), "edited").unwrap();
    site.write(path, &text);
    let third = build();
    assert!(third.kept.is_empty(), "{:?}", third.kept);
    assert_same(&common::tree(&out), &clean(&site), "after an output edit");
    // A front-matter edit changes what the site's structure is read from, not what it
    // holds: only the edited doc's page is made again.
    site.write(
        path,
        &text.replace("description: Doc 4", "description: Edited"),
    );
    let fourth = build();
    assert_same(&common::tree(&out), &clean(&site), "one doc's front matter");
    let written: BTreeSet<&String> = fourth.files.difference(&fourth.kept).collect();
    assert!(written.contains(&edited), "{edited} written: {written:?}");
    assert!(
        fourth.kept.contains(&other),
        "{other} kept: {:?}",
        fourth.kept
    );
}

/// A full text over what one file may hold is split by section: with the cache kept, the
/// part of a section none of whose docs changed is kept as the last build wrote it (not
/// compared), while the edited doc's section's part is written again.
#[test]
fn a_cached_build_keeps_each_unchanged_part_of_the_full_text() {
    let mut files = vec![(
        "_config.yml".to_string(),
        "title: Long\ncollections:\n  alpha:\n    title: Alpha\n  beta:\n    title: Beta\n"
            .to_string(),
    )];
    // Three docs of some 100 KB a section: the whole is over a file's limit, a section not.
    for section in ["alpha", "beta"] {
        for i in 0..3 {
            let prose: String = (0..1700)
                .map(|p| format!("Paragraph {p} of {section} {i}, on what the API does.\n\n"))
                .collect();
            let front = format!("---\ntitle: /{section}/{i}\nposition: {i}\n---\n");
            files.push((format!("_{section}/doc-{i}.md"), front + &prose));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = Site::new(&refs);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = opts(&site, out.clone(), Some(work.path().join("cache")));
    let build = || build::build(&o, &Highlighter::new(), Mode::Build { strict: false }).unwrap();
    let first = build();
    let parts = ["alpha/llms-full.txt", "beta/llms-full.txt"];
    for part in parts {
        assert!(first.files.contains(part), "{part}: {:?}", first.files);
    }
    let path = "_beta/doc-1.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Paragraph 7 of beta 1", "Rewritten"));
    let second = build();
    assert_same(&common::tree(&out), &clean(&site), "one beta doc edited");
    assert!(second.kept.contains(parts[0]), "{:?}", second.kept);
    assert!(
        !second.kept.contains(parts[1]),
        "the edited section's part is written"
    );
    assert!(common::tree(&out)[parts[1]].starts_with(b"# Long"));
}

/// The output folder's inode: the same while builds write over it in place, another once a
/// build swaps a whole new folder in.
#[cfg(unix)]
fn folder_id(out: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(out).unwrap())
}

/// The split site, and options building it into `out` in a work folder, with a cache there.
fn cached_site() -> (Site, tempfile::TempDir, PathBuf, BuildOptions) {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let site = site();
    let o = opts(&site, out.clone(), Some(work.path().join("cache")));
    (site, work, out, o)
}

/// What a build left beside its output folder: staging or old folders.
fn beside(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

/// A cached build over its last output, as that build wrote it, puts only the files that
/// changed in place of theirs and removes those no longer written: the folder stays, an
/// untouched file keeps its inode, and the output is a clean build's after each change.
#[cfg(unix)]
#[test]
fn a_cached_build_writes_over_its_last_output_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let (site, _work, out, o) = cached_site();
    let hl = Highlighter::new();
    let build = || build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    build();
    let folder = folder_id(&out);
    let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let (twin, other_twin) = ("beta/doc-4.md", "alpha/doc-0.md");
    let before = (ino(twin), ino(other_twin));

    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("Prose of beta 4", "Rewritten prose"));
    build();
    assert_same(&common::tree(&out), &clean(&site), "one doc's body");
    assert_eq!(folder_id(&out), folder, "written over in place");
    assert_ne!(ino(twin), before.0, "the edited doc's twin is put in place");
    assert_eq!(ino(other_twin), before.1, "another twin stays");
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));

    // A doc removed: its twin goes, and the folder with it once it is empty.
    std::fs::remove_file(site.path().join("_beta/doc-3.md")).unwrap();
    build();
    assert!(!out.join("beta/doc-3.md").exists());
    assert_same(&common::tree(&out), &clean(&site), "a doc removed");
    assert_eq!(folder_id(&out), folder, "written over in place");
    for i in [0, 1, 2, 4] {
        std::fs::remove_file(site.path().join(format!("_beta/doc-{i}.md"))).unwrap();
    }
    build();
    assert!(!out.join("beta").exists(), "no folder left empty");
    assert_same(&common::tree(&out), &clean(&site), "a section removed");
    // A doc added, then every page changed (the site's title): the output swapped whole.
    site.write("_beta/doc-9.md", "---\ntitle: /beta/new\n---\nNew.\n");
    build();
    assert_same(&common::tree(&out), &clean(&site), "a doc added");
    let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
    site.write(
        "_config.yml",
        &config.replace("title: Perf", "title: Other"),
    );
    build();
    assert_same(&common::tree(&out), &clean(&site), "the config");
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));
}

/// A doc reused from its record leaves its terms there, read back only when the search
/// index is written again: here another doc's name changed, so every doc's terms are read,
/// the reused docs' from their records, and the index is a clean build's.
#[test]
fn a_reused_docs_terms_are_read_from_its_record_when_the_index_is_written_again() {
    let (site, _work, out, o) = cached_site();
    let hl = Highlighter::new();
    let build = || build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    build();
    let path = "_beta/doc-4.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    site.write(path, &text.replace("name: beta 4", "name: beta four"));
    assert_eq!(build().composed, 1, "the other docs are reused");
    let index = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(index.contains("beta four"), "the index is written again");
    assert_eq!(index.matches(r#""k":["id"]"#).count(), 10, "{index}");
    assert_same(&common::tree(&out), &clean(&site), "another doc's name");
}

/// A build that fails after a good one, cached, leaves its output byte for byte as it was,
/// and nothing beside it; so does a strict build that warns.
#[cfg(unix)]
#[test]
fn a_failed_build_over_the_last_output_leaves_it_as_it_was() {
    let (site, _work, out, o) = cached_site();
    let hl = Highlighter::new();
    build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    let (before, folder) = (common::tree(&out), folder_id(&out));
    let path = "_beta/doc-0.md";
    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    // Another doc changed too, so the failed build has pages to write.
    site.write("_alpha/doc-1.md", "---\ntitle: /alpha/1\n---\nChanged.\n");
    site.write(path, &format!("{text}\n{{% include nope.md %}}\n"));
    let e = build::build(&o, &hl, Mode::Build { strict: false }).unwrap_err();
    assert!(format!("{e:#}").contains("nope.md"), "{e:#}");
    assert_eq!(common::tree(&out), before, "a failed build");
    assert_eq!(folder_id(&out), folder);
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));
    // Warned instead of failed, under `--strict`: the output stays too.
    site.write(path, &text.replace("~~~ bash", "~~~ nosuchlanguage"));
    let strict = build::build(&o, &hl, Mode::Build { strict: true }).unwrap();
    assert!(strict.output.is_none());
    assert_eq!(common::tree(&out), before, "a strict build that warned");
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));
    build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    assert_same(&common::tree(&out), &clean(&site), "after the fix");
}

/// An output file edited, removed or added by hand since the last build: the output is no
/// longer as that build wrote it, so the next build is written whole and swapped in, and
/// it is a clean build's again.
#[cfg(unix)]
#[test]
fn an_output_edited_by_hand_is_built_whole_again() {
    let (site, _work, out, o) = cached_site();
    let hl = Highlighter::new();
    let build = || build::build(&o, &hl, Mode::Build { strict: false }).unwrap();
    build();
    let cases: [(&str, &dyn Fn()); 3] = [
        ("an edited page", &|| {
            std::fs::write(out.join("index.html"), "mine").unwrap()
        }),
        ("a removed twin", &|| {
            std::fs::remove_file(out.join("alpha/doc-1.md")).unwrap()
        }),
        ("an added file", &|| {
            std::fs::write(out.join("alpha/notes.txt"), "mine").unwrap()
        }),
    ];
    for (i, (what, edit)) in cases.into_iter().enumerate() {
        let folder = folder_id(&out);
        edit();
        // With a doc changed, or without.
        if i == 1 {
            site.write("_alpha/doc-2.md", "---\ntitle: /alpha/2\n---\nChanged.\n");
        }
        let outcome = build();
        assert!(!outcome.unchanged, "{what}");
        assert!(outcome.kept.is_empty(), "{what}: {:?}", outcome.kept);
        assert_same(&common::tree(&out), &clean(&site), what);
        assert_ne!(folder_id(&out), folder, "{what}: swapped whole");
    }
}

/// A doc's model (its fields, and its front matter read again only when more than its
/// pages' part is read) comes from the store while the doc's stat is the one it was
/// recorded under and older than `RACY`, as the stamp trusts its inputs: a doc touched or
/// edited is read again, one changed within `RACY` of the build is not recorded (a change
/// in the same tick could hide from its stat), and every build writes what a clean one does.
#[test]
fn a_docs_model_is_read_again_only_when_its_stat_changed() {
    let site = site();
    // Reads every beta doc's front matter through `site`.
    let lister = "---\ntitle: /alpha/list\nname: lister\nposition: 9\n---\n{% for d in site.beta %}{{ d.name }} ({{ d.description }}); {% endfor %}\n";
    site.write("_alpha/lister.md", lister);
    // Each build into an output of its own: none is a replay of the last.
    let mut build = cached_builds_reading(&site);
    let settle = || std::thread::sleep(store::RACY);
    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
        assert!(text.contains(from), "{rel}");
        site.write(rel, &text.replace(from, to));
    };
    // Written just now: read, and not recorded until their stat is older.
    assert_eq!(build("cold").0, 11);
    settle();
    assert_eq!(build("older").0, 11);
    assert_eq!(build("recorded"), (0, 0));

    edit("_beta/doc-1.md", "Prose", "Prose");
    settle();
    assert_eq!(build("a doc touched, unchanged"), (1, 0));
    // A record made since the pack was last written goes with the next rewrite of it (as
    // a doc's finished parts do): until then that doc is read again too.
    let again = |(parsed, _): (usize, usize), changed: usize, what: &str| {
        assert!(
            (changed..=changed + 3).contains(&parsed),
            "{what}: {parsed} read"
        );
    };
    edit("_beta/doc-2.md", "name: beta 2", "name: beta two");
    settle();
    // The doc and its lister, whose Liquid reads the other beta docs' front matter: theirs
    // are read again from their files.
    let made = build("front matter read through `site`");
    assert_eq!(made.1, 2);
    again(made, 1, "front matter");

    // Built within RACY of the edit (or, on a slow machine, not): either way the doc is
    // read, and not recorded under a stat that might not show the next change.
    edit("_beta/doc-3.md", "Prose of beta 3", "Prose of beta three");
    again(build("changed just now"), 1, "changed just now");
    edit("_beta/doc-3.md", "beta three", "beta 3 again");
    again(build("changed again just now"), 1, "changed again");

    std::fs::remove_file(site.path().join("_beta/doc-4.md")).unwrap();
    site.write(
        "_beta/doc-5.md",
        "---\ntitle: /beta/5\nname: beta 5\nposition: 5\n---\nA new doc.\n",
    );
    settle();
    again(build("a doc removed, one added"), 1, "added");
    edit(
        "_config.yml",
        "title: Perf\n",
        "title: Perf\ndefaults:\n  - scope: {type: beta}\n    values: {description: From the defaults}\n",
    );
    settle();
    assert_eq!(build("the config's defaults").0, 11);
}
