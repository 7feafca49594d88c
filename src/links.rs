//! Link checks, the one piece of code every build runs over its links: each built doc's
//! links, anchors and heading ids and the files written resolve a link or make a finding
//! (with a "did you mean" for a misspelt anchor). No HTML is read back. `check` prints
//! these findings as errors; `build` and `serve` warn.

use crate::compose::Link;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::error::Pos;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path};
use std::sync::{Arc, OnceLock};

/// A link to a doc that exists but is left out of this audience: dead here, and a leak of
/// the other audience's content (its name and anchor) into this one.
pub const HIDDEN_DOC: &str = "link-to-hidden-doc";
/// An `#anchor` that matches no doc, heading or section.
pub const BROKEN_ANCHOR: &str = "broken-anchor";
/// A relative link to a file the build does not write.
pub const BROKEN_LINK: &str = "broken-link";

/// True for links that leave the site: any URL scheme (`https:`, `mailto:`, `tel:` …)
/// or a protocol-relative `//host/…`.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !dest[..colon].contains('/')
}

/// Decodes `%XX` escapes; `None` for a malformed escape or one that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// An output-relative file path for a link's path part (`./a/../b/` → `b/index.html`);
/// `None` when it climbs out of the output root.
fn resolve_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(joined)
}

/// What a site's links may point at: the docs built (anchor → source, with their heading
/// ids), the docs of other audiences and the files written. Borrowed from the build's own
/// per-doc output, so resolving links reads no HTML back.
pub struct Targets<'a> {
    anchors: HashMap<&'a str, &'a str>,
    headings: HashSet<&'a str>,
    sections: BTreeSet<String>,
    hidden: HashMap<String, (&'a str, &'a str)>,
    files: &'a BTreeSet<String>,
    /// The site's `baseurl` without its trailing `/` (`/docs`), or empty.
    baseurl: String,
    /// The anchors (with their doc) and heading ids by their length in characters, made
    /// when the first broken fragment asks: a name less than half or more than twice a
    /// fragment's length is too far from it for a suggestion, and a site's many broken
    /// fragments each weighed every name of the site.
    names: OnceLock<Vec<(usize, &'a str, Option<&'a str>)>>,
}

impl<'a> Targets<'a> {
    /// `docs`: each built doc's anchor, source and heading ids; `hidden`: (source,
    /// audience, anchor) of the docs left out of this audience; `files`: every output file.
    pub fn new(
        docs: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
        hidden: &'a [(String, String, String)],
        files: &'a BTreeSet<String>,
    ) -> Self {
        let mut anchors = HashMap::new();
        let mut headings = HashSet::new();
        for (anchor, rel, ids) in docs {
            anchors.insert(anchor, rel);
            headings.extend(ids.iter().map(String::as_str));
        }
        // Sections with docs are the collections of the docs built (`_label/…`).
        let sections = anchors
            .values()
            .filter_map(|rel| rel.split('/').next())
            .map(|c| format!("section-{}", c.strip_prefix('_').unwrap_or(c)))
            .collect();
        let hidden = hidden
            .iter()
            .map(|(rel, aud, anchor)| (anchor.clone(), (rel.as_str(), aud.as_str())))
            .collect();
        Targets {
            anchors,
            headings,
            sections,
            hidden,
            files,
            baseurl: String::new(),
            names: OnceLock::new(),
        }
    }

    /// Links written `{{ site.baseurl }}/…` name the files written at the output root: the
    /// site is served under `baseurl`, and its files are written without it.
    pub fn under_baseurl(mut self, baseurl: &str) -> Self {
        self.baseurl = baseurl.trim_end_matches('/').to_string();
        self
    }

    /// Whether an output-relative path (as [`resolve_path`] gives it) names a file written.
    fn written(&self, path: &str) -> bool {
        resolve_path(path).is_some_and(|f| {
            self.files.contains(&f) || self.files.contains(&format!("{f}/index.html"))
        })
    }

    /// Checks one fragment; `None` when it resolves.
    fn fragment(&self, frag: &str) -> Option<(&'static str, String)> {
        let frag = percent_decode(frag).unwrap_or_else(|| frag.to_string());
        if self.anchors.contains_key(frag.as_str())
            || self.headings.contains(frag.as_str())
            || self.sections.contains(&frag)
        {
            return None;
        }
        if let Some((rel, aud)) = self.hidden.get(&frag) {
            return Some((
                HIDDEN_DOC,
                format!("link to `#{frag}`, a doc of the `{aud}` audience ({rel}): it is not in this build, so the link is dead and names content this audience must not see"),
            ));
        }
        let hint = match self.closest(&frag) {
            Some((id, Some(rel))) => format!("; did you mean `#{id}` ({rel})?"),
            Some((id, None)) => format!("; did you mean `#{id}`?"),
            None => String::new(),
        };
        Some((
            BROKEN_ANCHOR,
            format!("link to `#{frag}`, which is no doc, heading or section of this build{hint}"),
        ))
    }

    /// The anchor a misspelt fragment most likely meant (a typo, `-` for `_`, a changed
    /// case), with the doc it names.
    fn closest(&self, frag: &str) -> Option<(&str, Option<&str>)> {
        let names = self.names.get_or_init(|| {
            let docs = self.anchors.iter().map(|(a, rel)| (*a, Some(*rel)));
            let headings = self.headings.iter().map(|a| (*a, None));
            let mut names: Vec<_> = docs
                .chain(headings)
                .map(|(a, rel)| (a.chars().count(), a, rel))
                .collect();
            names.sort_unstable_by_key(|n| n.0);
            names
        });
        let wanted = frag.to_lowercase();
        let (least, most) = diagnostics::reachable_lengths(wanted.chars().count());
        let from = names.partition_point(|n| n.0 < least);
        let to = names.partition_point(|n| n.0 <= most);
        let sections = self.sections.iter().map(|a| (a.as_str(), None));
        let candidates = names[from..to].iter().map(|&(_, a, rel)| (a, rel));
        diagnostics::closest(&wanted, candidates.chain(sections), |&(a, _)| a)
    }

    /// Checks one link destination; `None` when it resolves or leaves the site.
    fn check(&self, dest: &str) -> Option<(&'static str, String)> {
        if is_external(dest) || dest == "#" {
            return None;
        }
        let (before_frag, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = before_frag.split('?').next().unwrap_or("");
        if !path.is_empty() {
            let decoded = percent_decode(path).unwrap_or_else(|| path.to_string());
            let under_baseurl = (!self.baseurl.is_empty())
                .then(|| decoded.strip_prefix(self.baseurl.as_str()))
                .flatten()
                .filter(|rest| rest.is_empty() || rest.starts_with('/'));
            let found = self.written(&decoded)
                || under_baseurl.is_some_and(|rest| self.written(&format!("/{rest}")));
            if !found {
                return Some((
                    BROKEN_LINK,
                    format!("link to `{dest}`, a file this build does not write"),
                ));
            }
        }
        match frag {
            Some(f) if !f.is_empty() => self.fragment(f),
            _ => None,
        }
    }
}

/// Findings, of `severity`, for every link (in a built doc or an include it pulled in)
/// that does not resolve in this audience's output, put after what `out` holds, in the
/// order [`diagnostics::normalize`] gives findings and with its repeats dropped: a link in
/// an include many docs use is reported once. The findings to one destination share its
/// message, and those from one file the links' name of it; `targets` is let go once every
/// destination is resolved, before the findings are made.
pub fn link_findings<'l>(
    targets: Targets,
    links: impl IntoIterator<Item = &'l Link>,
    severity: Severity,
    out: &mut Vec<Diagnostic>,
) {
    // A site links to the same few places many times; each destination (and its
    // suggestion, a scan of every anchor) is resolved once.
    let mut resolved: HashMap<&str, Option<(&'static str, Arc<str>)>> = HashMap::new();
    let broken: Vec<&Link> = links
        .into_iter()
        .filter(|link| {
            resolved
                .entry(&link.dest)
                .or_insert_with(|| targets.check(&link.dest).map(|(c, m)| (c, m.into())))
                .is_some()
        })
        .collect();
    drop(targets);
    let finding = |link: &Link| resolved[link.dest.as_str()].as_ref();
    // The broken links are put in order, not findings made of them (a site may have them
    // by the hundred thousand, sorted stably with room for half of them again): by file
    // (component by component, as `Path`s order; each distinct file ranked once, a doc's
    // links from one file coming together), position, code and message, as `normalize`
    // orders findings.
    // A run of links sharing one file's name (`Link::new`) is told by its address: paths
    // compare component by component, and tens of thousands of broken links each compared
    // theirs against every file's were most of the check. Each file is split into its
    // components once, and ranked by them: a `Path`'s order is its components' order, and
    // comparing paths parsed both again at each comparison of the sort and of each lookup.
    let same = |a: &&Path, b: &&Path| std::ptr::eq(*a, *b) || a == b;
    let mut files: Vec<&Path> = broken.iter().map(|l| &*l.file).collect();
    files.dedup_by(|a, b| same(a, b));
    let mut files: Vec<Vec<Component>> = files.iter().map(|f| f.components().collect()).collect();
    files.sort_unstable();
    files.dedup();
    let mut last: Option<(&Path, usize)> = None;
    let mut rank = |link: &'l Link| match last {
        Some((file, rank)) if std::ptr::eq(file, &*link.file) => rank,
        _ => {
            let parts: Vec<Component> = link.file.components().collect();
            let rank = files.binary_search(&parts).unwrap_or(0);
            last = Some((&*link.file, rank));
            rank
        }
    };
    let mut order: Vec<(usize, Pos, &Link)> =
        (broken.into_iter()).map(|l| (rank(l), l.pos, l)).collect();
    // Links alike in all four make the same finding: which comes first does not matter.
    // The finding is looked up only when file and position tie, not at every comparison.
    let cmp = |a: &(usize, Pos, &Link), b: &(usize, Pos, &Link)| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| finding(a.2).cmp(&finding(b.2)))
    };
    order.sort_unstable_by(cmp);
    order.dedup_by(|a, b| cmp(a, b).is_eq());
    out.reserve(order.len());
    for (_, pos, link) in order {
        let Some((code, message)) = finding(link) else {
            continue;
        };
        out.push(Diagnostic {
            severity,
            code,
            message: Arc::clone(message),
            file: Arc::clone(&link.file),
            pos,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn at(line: usize, col: usize) -> Pos {
        Pos::new(line, col)
    }

    /// What the build hands the link check: docs (anchor, source, heading ids), the docs
    /// of other audiences, the files written and the links found.
    struct Built {
        docs: Vec<(String, String, Vec<String>)>,
        hidden: Vec<(String, String, String)>,
        files: BTreeSet<String>,
        links: Vec<Link>,
    }

    fn built() -> Built {
        Built {
            docs: vec![(
                "ordersget_orders".into(),
                "_orders/get_orders.md".into(),
                vec!["request-body".into()],
            )],
            hidden: vec![(
                "_ops/reindex.md".into(),
                "internal".into(),
                "opsreindex".into(),
            )],
            files: [
                "index.html".to_string(),
                "images/logo.svg".into(),
                "orders/index.html".into(),
            ]
            .into(),
            links: Vec::new(),
        }
    }

    fn link_findings(b: &Built) -> Vec<Diagnostic> {
        let docs = b
            .docs
            .iter()
            .map(|(a, rel, ids)| (a.as_str(), rel.as_str(), ids.as_slice()));
        let targets = Targets::new(docs, &b.hidden, &b.files);
        let mut found = Vec::new();
        super::link_findings(targets, &b.links, Severity::Error, &mut found);
        found
    }

    fn codes(b: &mut Built, dests: &[&str]) -> Vec<Option<&'static str>> {
        b.links = dests
            .iter()
            .enumerate()
            .map(|(i, d)| Link {
                dest: d.to_string(),
                file: Path::new("_orders/get_orders.md").into(),
                pos: at(i + 1, 3),
            })
            .collect();
        let found = link_findings(b);
        (0..dests.len())
            .map(|i| found.iter().find(|d| d.pos.line == i + 1).map(|d| d.code))
            .collect()
    }

    #[test]
    fn links_resolve_to_docs_headings_sections_and_files() {
        let mut o = built();
        let got = codes(
            &mut o,
            &[
                "#ordersget_orders",
                "#request-body",
                "#section-orders",
                "/#ordersget_orders",
                "index.html#ordersget_orders",
                "./images/logo.svg",
                "/images/logo.svg?v=2",
                "orders/",
                "https://example.com/#nope",
                "mailto:someone@example.com",
                "//cdn.example.com/x.js",
                "#",
                "%23nothing-real/../index.html",
            ],
        );
        assert!(got.iter().all(Option::is_none), "{got:?}");
    }

    #[test]
    fn broken_links_and_hidden_docs_get_their_own_codes() {
        let mut o = built();
        let got = codes(
            &mut o,
            &[
                "#no-such-thing",
                "/#missing",
                "images/nope.png",
                "../../etc/passwd",
                "#opsreindex",
                "index.html#opsreindex",
                "#section-ops",
            ],
        );
        assert_eq!(
            got,
            vec![
                Some(BROKEN_ANCHOR),
                Some(BROKEN_ANCHOR),
                Some(BROKEN_LINK),
                Some(BROKEN_LINK),
                Some(HIDDEN_DOC),
                Some(HIDDEN_DOC),
                Some(BROKEN_ANCHOR)
            ]
        );
        let found = link_findings(&o);
        assert!(found.iter().all(
            |d| d.severity == Severity::Error && *d.file == *Path::new("_orders/get_orders.md")
        ));
    }

    #[test]
    fn a_misspelt_anchor_suggests_the_one_it_most_likely_meant() {
        let mut o = built();
        o.docs.push((
            "ordersget_order".into(),
            "_orders/get_order.md".into(),
            Vec::new(),
        ));
        codes(
            &mut o,
            &["#orders-get_orders", "#Request-Body", "#nothing-like-it"],
        );
        let messages: Vec<String> = link_findings(&o)
            .iter()
            .map(|d| d.message.to_string())
            .collect();
        assert!(
            messages[0].ends_with("; did you mean `#ordersget_orders` (_orders/get_orders.md)?"),
            "{messages:?}"
        );
        assert!(
            messages[1].ends_with("; did you mean `#request-body`?"),
            "{messages:?}"
        );
        assert!(
            messages[2].ends_with("of this build"),
            "no wild guesses: {messages:?}"
        );
    }

    #[test]
    fn a_link_in_a_shared_include_is_reported_once() {
        let mut o = built();
        let link = Link {
            dest: "#gone".into(),
            file: Path::new("_includes/x.md").into(),
            pos: at(2, 5),
        };
        // Reached from two docs.
        o.links = vec![link.clone(), link];
        let found = link_findings(&o);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].to_string(), "_includes/x.md:2:5: error[broken-anchor]: link to `#gone`, which is no doc, heading or section of this build");
    }

    #[test]
    fn a_link_under_the_baseurl_names_the_file_written_at_the_root() {
        let mut o = built();
        let dests = [
            "/docs/#ordersget_orders",
            "/docs",
            "/docs/images/logo.svg",
            "/docs/#missing",
            "/docsx/",
        ];
        let found = |o: &Built| {
            let docs = o
                .docs
                .iter()
                .map(|(a, rel, ids)| (a.as_str(), rel.as_str(), ids.as_slice()));
            let targets = Targets::new(docs, &o.hidden, &o.files).under_baseurl("/docs/");
            let mut found = Vec::new();
            super::link_findings(targets, &o.links, Severity::Error, &mut found);
            (0..dests.len())
                .map(|i| found.iter().find(|d| d.pos.line == i + 1).map(|d| d.code))
                .collect::<Vec<_>>()
        };
        let without = codes(&mut o, &dests);
        assert!(without.iter().take(3).all(|c| *c == Some(BROKEN_LINK)));
        assert_eq!(
            found(&o),
            vec![None, None, None, Some(BROKEN_ANCHOR), Some(BROKEN_LINK)]
        );
    }

    #[test]
    fn a_suggestion_is_the_one_weighing_every_name_would_give() {
        // Names around each fragment's length bounds, and of several lengths in characters.
        let names = [
            "ab",
            "abc",
            "abcd",
            "abcdefgh",
            "abcdefghi",
            "keys",
            "key",
            "kys",
            "members",
            "member",
            "membersmembers",
            "membersmember",
            "mem",
            "memb",
            "é-keys",
            "ékeys",
            "request-body",
            "request_body",
            "requestbody",
            "req",
            "x",
            "",
        ];
        let docs: Vec<(String, String, Vec<String>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    format!("{n}{}", "z".repeat(i % 3)),
                    format!("_a/{i}.md"),
                    vec![n.to_string()],
                )
            })
            .collect();
        let files = BTreeSet::new();
        let targets = Targets::new(
            docs.iter()
                .map(|(a, rel, ids)| (a.as_str(), rel.as_str(), ids.as_slice())),
            &[],
            &files,
        );
        for frag in names
            .iter()
            .chain(&["Members", "kEys", "abcdefg", "requst-body", "ÉKEYS"])
        {
            let every = docs
                .iter()
                .map(|(a, rel, _)| (a.as_str(), Some(rel.as_str())))
                .chain(docs.iter().map(|(_, _, ids)| (ids[0].as_str(), None)))
                .chain(targets.sections.iter().map(|s| (s.as_str(), None)));
            let all = diagnostics::closest(&frag.to_lowercase(), every, |&(a, _)| a);
            assert_eq!(targets.closest(frag), all, "{frag:?}");
        }
        assert_eq!(diagnostics::reachable_lengths(7), (4, 14));
    }

    #[test]
    fn findings_are_in_the_order_of_their_paths() {
        let paths = [
            "_b/x.md",
            "_a-b/x.md",
            "_a/b/x.md",
            "_a/x.md",
            "_a/b.md",
            "_a.md",
            "_a/b-c/d.md",
            "_a/b/c.md",
            "_a/bc.md",
            "_A/x.md",
            "_é/x.md",
            "_a b/x.md",
        ];
        let mut b = built();
        // Each file's findings given last line first, the files in no order.
        b.links = (paths.iter())
            .flat_map(|p| {
                [3, 1].map(|line| Link {
                    dest: "#nowhere".into(),
                    file: Path::new(p).into(),
                    pos: at(line, 1),
                })
            })
            .collect();
        let found: Vec<(std::path::PathBuf, usize)> = (link_findings(&b).into_iter())
            .map(|d| (d.file.to_path_buf(), d.pos.line))
            .collect();
        let mut want: Vec<(std::path::PathBuf, usize)> = (paths.iter())
            .flat_map(|p| [1, 3].map(|line| (std::path::PathBuf::from(p), line)))
            .collect();
        want.sort();
        assert_eq!(found, want);
    }

    /// Findings come in the order `normalize` gives them, repeats dropped, after what was
    /// found before (not sorted in with it).
    #[test]
    fn findings_follow_what_is_there_as_normalize_leaves_them() {
        let mut b = built();
        let files = ["_b/x.md", "_a/x.md", "_a/b/x.md", "_a.md"];
        let dests = ["#nowhere", "#zzz", "/nowhere/", "#request-bdy", "#nowhere"];
        b.links = (0..120)
            .map(|i| Link {
                dest: dests[i * 7 % dests.len()].into(),
                file: Path::new(files[i * 3 % files.len()]).into(),
                pos: at(i * 5 % 4 + 1, i % 3 + 1),
            })
            .collect();
        let before = Diagnostic::warning("z-first", "_z.md", at(1, 1), "found first");
        let mut found = vec![before.clone()];
        let targets = Targets::new(
            (b.docs.iter()).map(|(a, rel, ids)| (a.as_str(), rel.as_str(), ids.as_slice())),
            &b.hidden,
            &b.files,
        );
        // Every broken link is found, each once however often it is given.
        let mut all: Vec<_> = (b.links.iter())
            .filter(|l| targets.check(&l.dest).is_some())
            .map(|l| (l.file.clone(), l.pos, l.dest.clone()))
            .collect();
        all.sort();
        all.dedup();
        super::link_findings(targets, &b.links, Severity::Error, &mut found);
        assert_eq!(found[0], before, "what was there stays first");
        let mut want = found[1..].to_vec();
        diagnostics::normalize(&mut want);
        assert_eq!(found[1..], want);
        let codes: BTreeSet<&str> = found[1..].iter().map(|d| d.code).collect();
        assert!(codes.len() > 1, "{codes:?}");
        assert!(found.len() - 1 <= all.len() && found.len() - 1 < b.links.len());
        assert_eq!(found.len() - 1, all.len(), "{found:#?}");
    }

    /// A site's broken links come by the hundred thousand, to a few destinations from
    /// files its links already name: no finding holds a message or a name of its own.
    #[test]
    fn findings_share_their_destinations_message_and_their_links_file() {
        let mut b = built();
        let file: Arc<Path> = Path::new("_orders/get_orders.md").into();
        let dests = ["/nowhere/", "#gone"];
        b.links = (0..4)
            .map(|i| Link {
                dest: dests[i % 2].into(),
                file: Arc::clone(&file),
                pos: at(i + 1, 1),
            })
            .collect();
        let found = link_findings(&b);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found.iter().all(|d| Arc::ptr_eq(&d.file, &file)));
        assert_ne!(found[0].message, found[1].message);
        let shared = |i: usize, j: usize| Arc::ptr_eq(&found[i].message, &found[j].message);
        assert!(shared(0, 2) && shared(1, 3), "{found:#?}");
    }

    #[test]
    fn percent_decoding_rejects_bad_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode("%"), None);
    }
}
