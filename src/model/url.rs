//! A collection document's `url`, `id` and `slug` by Jekyll 4.3's rules, so a doc's anchor
//! is what the site's layout made of `doc.id` (`document.rb`, `url.rb`, `drops/url_drop.rb`,
//! `utils.rb` of Jekyll 4.3.1):
//! - the URL template is the doc's front-matter `permalink`, else its collection's
//!   `permalink` under `collections:`, else `/:collection/:path` with the ending of the
//!   site's `permalink` style (`Utils.add_permalink_suffix`: `pretty` adds `/`; `date`, the
//!   default, `ordinal` and `none` add `:output_ext`; a custom style ending in `/` or
//!   `:output_ext` adds that);
//! - each `:placeholder` is replaced by its value, escaped as a URL path (`URL.escape_path`),
//!   and the result is made absolute, `..` and `./` dropped, repeated `/` squeezed
//!   (`URL#sanitize_url`);
//! - `slug` is the front matter's `slug`, else the file name without its extension and
//!   without a `YYYY-MM-DD-` date, trailing dots dropped (`Document#populate_title`);
//! - `id` is the URL's folder joined with that slug (`Document#id`): under
//!   `permalink: /#name` every doc's id is `/` + its slug.

use serde_json::{Map, Value};
use std::collections::HashMap;

use crate::config::zone;
use crate::frontmatter::text;

/// The URL template of each collection, read off `_config.yml`.
#[derive(Debug, Default)]
pub struct Templates {
    /// For collections without a `permalink` of their own.
    default: String,
    /// Label → the collection's own `permalink`.
    own: HashMap<String, String>,
    /// The build's time (`site.time`): an undated doc's date in its URL.
    pub time: liquid_core::model::DateTime,
}

impl Templates {
    /// The URL templates of `raw` (`_config.yml`), `time` the build's (`LoadedSite::time`).
    pub fn from_config(raw: &Map<String, Value>, time: liquid_core::model::DateTime) -> Templates {
        let style = match raw.get("permalink") {
            None | Some(Value::Null) => "date".to_string(),
            v => text(v),
        };
        let own = match raw.get("collections") {
            Some(Value::Object(m)) => m
                .iter()
                .filter_map(|(label, meta)| {
                    let p = meta.get("permalink").filter(|p| !p.is_null())?;
                    Some((label.clone(), text(Some(p))))
                })
                .collect(),
            _ => HashMap::new(),
        };
        let mut own = own;
        // Jekyll's `posts` collection takes its template from the site's style.
        own.entry("posts".to_string())
            .or_insert_with(|| posts_permalink(&style));
        Templates {
            default: with_suffix("/:collection/:path", &style),
            own,
            time,
        }
    }

    /// The template of collection `label` (`Collection#url_template`).
    pub fn of(&self, label: &str) -> &str {
        self.own.get(label).unwrap_or(&self.default)
    }
}

/// The `posts` collection's permalink for the site's `permalink` style (Jekyll's
/// `Configuration#style_to_permalink`; a style of its own is kept as written).
pub fn posts_permalink(style: &str) -> String {
    match style {
        "" | "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    }
    .to_string()
}

/// `Utils.add_permalink_suffix`: the site style's ending on a collection's template.
fn with_suffix(template: &str, style: &str) -> String {
    let mut t = template.to_string();
    match style {
        "pretty" => t.push('/'),
        "date" | "ordinal" | "none" => t.push_str(":output_ext"),
        s => {
            if s.ends_with('/') {
                t.push('/');
            }
            if s.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
        }
    }
    t
}

/// A doc's place as Jekyll computes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocUrl {
    pub url: String,
    pub id: String,
    pub slug: String,
    /// The URL holds the build's time: an undated doc under a permalink with a date in it.
    pub timed: bool,
}

/// The file name's parts Jekyll reads: (date, slug, extension) of
/// `DATE_FILENAME_MATCHER`, or (None, slug, extension) of `DATELESS_FILENAME_MATCHER`, or
/// the whole name for a file without an extension.
fn name_parts(rel: &str) -> (Option<(i32, u8, u8)>, &str, &str) {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some(dot) = name.rfind('.').filter(|&d| d + 1 < name.len()) else {
        return (None, name, "");
    };
    let (stem, ext) = name.split_at(dot);
    let mut parts = stem.splitn(4, '-');
    let mut num = |lo: usize, hi: usize| {
        parts
            .next()
            .filter(|p| (lo..=hi).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<i32>().ok())
    };
    if let (Some(y), Some(m), Some(d)) = (num(2, 4), num(1, 2), num(1, 2)) {
        if let Some(rest) = parts.next() {
            return (Some((y, m as u8, d as u8)), rest, ext);
        }
    }
    (None, stem, ext)
}

/// `File.basename(path, ".*")`: the name without its last extension.
fn basename_without_ext(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rfind('.') {
        Some(d) if d > 0 => &name[..d],
        _ => name,
    }
}

/// `File.extname`: the last extension of a path's last part, with its dot (none for a
/// name that only starts with a dot).
fn extname(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(d) if d > 0 && d + 1 < name.len() && !name[..d].chars().all(|c| c == '.') => {
            &name[d..]
        }
        _ => "",
    }
}

/// `Utils.slugify` in `default` mode (runs of anything but letters, marks and digits become
/// one `-`, a leading and a trailing `-` dropped, lowercased) or `pretty` mode (also keeps
/// `._~!$&'()+,;=@`), `cased` keeping the case. Rust has no general categories: letters and
/// numbers stand for `\p{L}\p{M}\p{Nd}`.
pub fn slugify(s: &str, pretty: bool, cased: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.ends_with('-') || out.is_empty() {
            out.push('-');
        }
    }
    let out = out.strip_prefix('-').unwrap_or(&out);
    let out = out.strip_suffix('-').unwrap_or(out);
    if cased {
        out.to_string()
    } else {
        out.to_lowercase()
    }
}

/// `URL.escape_path`: kept as it is when only `[a-zA-Z0-9./-]`, else percent-encoded as
/// Addressable encodes a path (unreserved, sub-delimiters, `:@/` kept; `?` too, which it
/// reads as the query's start), every `#` as `%23`.
fn escape_path(s: &str) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"./-".contains(&b);
    if s.bytes().all(plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `URL#sanitize_url`: absolute, `..` turned into `/`, `./` dropped, repeated `/` squeezed.
fn sanitize(url: &str) -> String {
    let s = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// `File.dirname` of a URL (a trailing `/` is not a part of its own).
fn dirname(url: &str) -> &str {
    let t = url.trim_end_matches('/');
    match t.rfind('/') {
        Some(0) | None => "/",
        Some(i) => t[..i].trim_end_matches('/'),
    }
}

/// The doc's `date` (`Document#date`) when it gives itself one: its front matter's, else its
/// file name's. None for a doc Jekyll gives the build's time (`site.time`).
fn own_date(
    fm: &Map<String, Value>,
    from_name: Option<(i32, u8, u8)>,
) -> Option<liquid_core::model::DateTime> {
    front_date(fm).flatten().or_else(|| name_date(from_name))
}

/// The date a doc gives itself (`Document#date`, where it has one): its front matter's
/// `date` when that reads as a date, else its file name's, shown in the site's zone
/// (`config::zone`) as Jekyll's `Time#localtime` shows it. None for a doc with neither
/// (Jekyll gives it the build's time) or a `date` that reads as none (Jekyll stops).
pub fn doc_date(rel: &str, fm: &Map<String, Value>) -> Option<liquid_core::model::DateTime> {
    let (from_name, _, _) = name_parts(rel);
    front_date(fm).unwrap_or_else(|| name_date(from_name))
}

/// A front matter's `date` read as a time or a day: None when it has none, `Some(None)` when
/// it reads as neither. Jekyll reads it with `Time.parse`: a YAML timestamp (written with its
/// offset by `config::zone::front_matter`) is that instant, shown in the site's zone; a day,
/// or a quoted time without an offset, is the zone's civil time (`config::zone::parsed`).
fn front_date(fm: &Map<String, Value>) -> Option<Option<liquid_core::model::DateTime>> {
    use liquid_core::model::{DateTime, Scalar};
    let written = text(Some(fm.get("date")?));
    let s = Scalar::new(written.clone());
    let parsed = s
        .to_date_time()
        .or_else(|| {
            let d = s.to_date()?;
            Some(DateTime::from_ymd(d.year(), d.month(), d.day()))
        })
        .or_else(|| zone::loose_date(&written).and_then(|d| DateTime::from_str(&d)));
    Some(parsed.map(|d| zone::parsed(&written, d)))
}

/// The day a file name's `YYYY-MM-DD-` gives, when it is a calendar date: midnight in the
/// site's zone.
fn name_date(from_name: Option<(i32, u8, u8)>) -> Option<liquid_core::model::DateTime> {
    let (y, m, d) = from_name?;
    time_ok(y, m, d).then(|| zone::civil(liquid_core::model::DateTime::from_ymd(y, m, d)))
}

/// Whether `y-m-d` is a calendar date (`DateTime::from_ymd` panics on others).
fn time_ok(y: i32, m: u8, d: u8) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&d)
}

/// The placeholders of `Drops::UrlDrop` that read the doc's date, with the `strftime`
/// format of each.
const DATE_PLACEHOLDERS: &[(&str, &str)] = &[
    ("year", "%Y"),
    ("month", "%m"),
    ("day", "%d"),
    ("hour", "%H"),
    ("minute", "%M"),
    ("second", "%S"),
    ("i_day", "%-d"),
    ("i_month", "%-m"),
    ("short_month", "%b"),
    ("long_month", "%B"),
    ("short_year", "%y"),
    ("w_year", "%G"),
    ("week", "%V"),
    ("w_day", "%u"),
    ("short_day", "%a"),
    ("long_day", "%A"),
    ("y_day", "%j"),
];

/// Computes the doc's `url`, `id` and `slug`. `rel` is its site-relative path, `label` its
/// collection, `fm` its front matter with defaults, `template` its collection's URL
/// template, `now` the build's time (an undated doc's date); `read` is false when its front
/// matter could not be read (Jekyll then never sets `slug`, and the id falls back to the
/// file name). An unknown placeholder is an error (Jekyll stops the build on it), its
/// message naming the template.
pub fn doc_url(
    rel: &str,
    label: &str,
    fm: &Map<String, Value>,
    template: &str,
    now: liquid_core::model::DateTime,
    read: bool,
) -> Result<DocUrl, String> {
    let (date_parts, name_slug, _) = name_parts(rel);
    let basename = basename_without_ext(rel);
    let own_slug = fm
        .get("slug")
        .filter(|v| !v.is_null())
        .map(|v| text(Some(v)));
    let slug = match &own_slug {
        Some(s) => s.clone(),
        None if read => name_slug.trim_end_matches('.').to_string(),
        None => basename.to_string(),
    };
    let permalink = fm
        .get("permalink")
        .filter(|v| !v.is_null())
        .map(|v| text(Some(v)));
    let output_ext = match permalink.as_deref() {
        Some(p) if !p.ends_with('/') && !extname(p).is_empty() => extname(p).to_string(),
        _ if crate::load::is_markdown(rel) => ".html".to_string(),
        _ => extname(rel).to_string(),
    };
    // `Document#cleaned_relative_path`: the path without its extension, the collection's
    // folder taken out, trailing dots dropped.
    // The folder is the collection's `relative_directory`, under `collections_dir` when the
    // site sets one (`api/_routes`).
    let stem = &rel[..rel.len() - extname(rel).len()];
    let folder = format!("_{label}");
    let path = match stem.find(&folder) {
        Some(i) => &stem[i + folder.len()..],
        None => stem,
    }
    .trim_end_matches('.')
    .to_string();
    // `Drops::UrlDrop#categories`: the doc's categories (and `category`), each made
    // `form`, once each, joined by `/`.
    let categories = |form: fn(&str) -> String| {
        let mut all: Vec<String> = Vec::new();
        for key in ["categories", "category"] {
            match fm.get(key) {
                Some(Value::Array(a)) => all.extend(a.iter().map(|v| text(Some(v)))),
                Some(Value::String(s)) if key == "categories" => {
                    all.extend(s.split_whitespace().map(str::to_string))
                }
                v @ Some(_) => all.push(text(v)),
                None => {}
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut all: Vec<String> = all.iter().map(|c| form(c)).collect();
        all.retain(|c| !c.is_empty() && seen.insert(c.clone()));
        all.join("/")
    };
    let mut date_value = None;
    let mut timed = false;
    let template = permalink.as_deref().unwrap_or(template);
    let mut url = String::with_capacity(template.len() + path.len());
    let mut rest = template;
    while let Some(colon) = rest.find(':') {
        url.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if len == 0 {
            url.push(':');
            rest = after;
            continue;
        }
        // `URL#generate_url_from_drop`: `:month_` is `:month` then `_`.
        let mut name = &after[..len];
        let mut underscore = "";
        if let Some(short) = name.strip_suffix('_').filter(|s| known(s) && !known(name)) {
            name = short;
            underscore = "_";
        }
        let value = match name {
            "collection" => label.to_string(),
            "path" => path.clone(),
            "output_ext" => output_ext.clone(),
            "name" => slugify(basename, false, false),
            "slug" => slugify(&slug, false, false),
            "title" => slugify(&slug, true, true),
            "categories" => categories(str::to_lowercase),
            "slugified_categories" => categories(|c| slugify(c, false, false)),
            _ => match DATE_PLACEHOLDERS.iter().find(|(k, _)| *k == name) {
                Some((_, fmt)) => {
                    let d = *date_value.get_or_insert_with(|| {
                        own_date(fm, date_parts).unwrap_or_else(|| {
                            timed = true;
                            now
                        })
                    });
                    d.format(fmt).unwrap_or_default()
                }
                None => {
                    return Err(format!(
                        "the permalink `{template}` has a placeholder `:{name}` Jekyll does not know (it knows :collection, :path, :name, :title, :slug, :output_ext, :categories, :slugified_categories and the date ones such as :year)"
                    ))
                }
            },
        };
        url.push_str(&escape_path(&value));
        url.push_str(underscore);
        rest = &after[len..];
    }
    url.push_str(rest);
    let url = sanitize(&url);
    // `File.join`: one `/` where the two meet.
    let id = format!(
        "{}/{}",
        dirname(&url).trim_end_matches('/'),
        slug.trim_start_matches('/')
    );
    Ok(DocUrl {
        url,
        id,
        slug,
        timed,
    })
}

/// The URL of a collection's static file (`_api/img/a.svg` of collection `api` under
/// `template`), as Jekyll 4.3's `StaticFile#url` makes it: the template with `:collection`,
/// `:path` (the path without its extension and the collection's folder), `:output_ext` and
/// `:title` empty and `:name` (the file name without extension) put in, in that order, a
/// trailing `/` dropped, then the file's extension.
pub fn static_url(rel: &str, label: &str, template: &str) -> String {
    let ext = extname(rel);
    let stem = rel[..rel.len() - ext.len()].trim_end_matches('.');
    let folder = format!("_{label}");
    let path = match stem.find(&folder) {
        Some(i) => &stem[i + folder.len()..],
        None => stem,
    };
    let mut url = template.to_string();
    for (key, value) in [
        ("collection", label),
        ("path", path),
        ("output_ext", ""),
        ("name", basename_without_ext(rel)),
        ("title", ""),
    ] {
        if !url.contains(':') {
            break;
        }
        url = url.replace(&format!(":{key}"), &escape_path(value));
    }
    let url = sanitize(&url);
    format!("{}{ext}", url.strip_suffix('/').unwrap_or(&url))
}

/// Whether `name` is a placeholder of `Drops::UrlDrop`.
fn known(name: &str) -> bool {
    [
        "collection",
        "path",
        "output_ext",
        "name",
        "slug",
        "title",
        "categories",
        "slugified_categories",
    ]
    .contains(&name)
        || DATE_PLACEHOLDERS.iter().any(|(k, _)| *k == name)
}

/// Jekyll's id as the Aviator layouts turn it into an anchor
/// (`doc.id | replace: '/', '' | replace: '.', ''`).
pub fn anchor_of_id(id: &str) -> String {
    id.chars().filter(|&c| c != '/' && c != '.').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> liquid_core::model::DateTime {
        liquid_core::model::DateTime::now()
    }

    /// `rel|url|id|slug` of each doc, as the fixture's own Jekyll 4.3.1 build listed them.
    fn place(config: &str, rel: &str, front: &str) -> String {
        let raw: Map<String, Value> = serde_yaml::from_str(config).unwrap();
        let fm: Map<String, Value> = serde_yaml::from_str(front).unwrap();
        let label = rel[1..].split('/').next().unwrap();
        let t = Templates::from_config(&raw, now());
        let p = doc_url(rel, label, &fm, t.of(label), t.time, true).unwrap();
        format!("{rel}|{}|{}|{}", p.url, p.id, p.slug)
    }

    const COLLECTIONS: &str = "collections:
  api: {title: API}
  projects: {permalink: \"/#name\"}
  guides: {permalink: \"/guides/:title/\"}
  notes: {permalink: \"/:collection/:categories/:name:output_ext\"}
";

    #[test]
    fn the_default_date_style_gives_collection_path_and_output_ext() {
        // `permalink: date` (Jekyll's default): `/:collection/:path:output_ext`; the id is
        // the URL's folder joined with the slug (`Document#id`).
        let c = COLLECTIONS;
        let cases = [
            ("_api/end..md", "", "_api/end..md|/api/end.html|/api/end|end"),
            (
                "_api/get order.md",
                "",
                "_api/get order.md|/api/get%20order.html|/api/get order|get order",
            ),
            (
                "_api/v1.2/list.orders.md",
                "",
                "_api/v1.2/list.orders.md|/api/v1.2/list.orders.html|/api/v1.2/list.orders|list.orders",
            ),
            // A file without an extension keeps none (the identity converter's).
            ("_api/versioning", "", "_api/versioning|/api/versioning|/api/versioning|versioning"),
            // A doc's own permalink wins, and gives the output extension.
            (
                "_api/json.md",
                "permalink: /custom/:slug.json",
                "_api/json.md|/custom/json.json|/custom/json|json",
            ),
        ];
        for (rel, fm, want) in cases {
            assert_eq!(place(c, rel, fm), want);
        }
    }

    /// Under `collections_dir: api` a doc's `:path` starts after the collection's folder
    /// (`api/_routes`), as Jekyll's `cleaned_relative_path` takes its `relative_directory`
    /// out (Jekyll 4.3.1 gave these).
    #[test]
    fn a_collections_dir_is_no_part_of_the_path() {
        let raw: Map<String, Value> =
            serde_yaml::from_str("collections_dir: api\ncollections: {routes: {}}").unwrap();
        let t = Templates::from_config(&raw, now());
        let p = doc_url(
            "api/_routes/v2/list.md",
            "routes",
            &Map::new(),
            t.of("routes"),
            t.time,
            true,
        )
        .unwrap();
        assert_eq!(
            (p.url.as_str(), p.id.as_str()),
            ("/routes/v2/list.html", "/routes/v2/list")
        );
    }

    /// Where Jekyll 4.3.1 wrote these static files of an `output: true` collection.
    #[test]
    fn a_collections_static_file_is_written_at_its_templates_url() {
        let cases = [
            (
                "_widgets/diagram.svg",
                "/:collection/:path:output_ext",
                "/widgets/diagram.svg",
            ),
            (
                "_kits/parts/spring.txt",
                "/:collection/:path/",
                "/kits/parts/spring.txt",
            ),
            ("_guides/map.png", "/guides/:name/", "/guides/map.png"),
        ];
        for (rel, template, want) in cases {
            let label = rel.split('/').find_map(|p| p.strip_prefix('_')).unwrap();
            assert_eq!(static_url(rel, label, template), want, "{rel}");
        }
    }

    #[test]
    fn a_collection_permalink_moves_urls_and_ids() {
        let cases = [
            // `/#name` has no placeholder: every doc's URL is `/#name`, its folder `/`.
            ("_projects/project.md", "", "/#name|/project|project"),
            // `:title` is the slug in `pretty` mode, case kept; a dated file's slug has no
            // date.
            (
                "_guides/start.md",
                "slug: Hello World!",
                "/guides/Hello-World!/|/guides/Hello World!|Hello World!",
            ),
            (
                "_guides/2020-01-02-intro.md",
                "",
                "/guides/intro/|/guides/intro|intro",
            ),
            // `:categories`: `categories` (split on spaces) and `category`, lowercased, once
            // each; `:name` the file name slugified.
            (
                "_notes/Rollout_Plan.md",
                "categories: Ops Deploy\ncategory: Ops",
                "/notes/ops/deploy/rollout-plan.html|/notes/ops/deploy/Rollout_Plan|Rollout_Plan",
            ),
            // Date placeholders read the doc's `date`; `:month_` is `:month` then `_`.
            (
                "_notes/dated.md",
                "date: 2021-03-04\npermalink: /d/:year/:month_:day/:i_month/:y_day/:short_month",
                "/d/2021/03_04/3/063/Mar|/d/2021/03_04/3/063/dated|dated",
            ),
        ];
        for (rel, fm, want) in cases {
            assert_eq!(place(COLLECTIONS, rel, fm), format!("{rel}|{want}"));
        }
    }

    #[test]
    fn the_site_style_sets_the_collections_ending() {
        let pretty = format!("permalink: pretty\n{COLLECTIONS}");
        assert_eq!(
            place(&pretty, "_api/get order.md", ""),
            "_api/get order.md|/api/get%20order/|/api/get order|get order"
        );
        // A collection's own permalink is not touched by the site's style.
        assert_eq!(
            place(&pretty, "_projects/plan.md", ""),
            "_projects/plan.md|/#name|/plan|plan"
        );
        let custom = format!("permalink: /:categories/:title/\n{COLLECTIONS}");
        assert_eq!(
            place(&custom, "_api/versioning", ""),
            "_api/versioning|/api/versioning/|/api/versioning|versioning"
        );
        assert_eq!(
            with_suffix("/:collection/:path", "none"),
            "/:collection/:path:output_ext"
        );
        assert_eq!(
            with_suffix("/:collection/:path", "ordinal"),
            "/:collection/:path:output_ext"
        );
        assert_eq!(
            with_suffix("/:collection/:path", "weekdate"),
            "/:collection/:path"
        );
        assert_eq!(
            with_suffix("/:collection/:path", "/:year/:title:output_ext"),
            "/:collection/:path:output_ext"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_naming_the_template() {
        let fm = Map::new();
        let e = doc_url("_api/a.md", "api", &fm, "/:collection/:nope/", now(), true).unwrap_err();
        assert!(
            e.contains("`/:collection/:nope/`") && e.contains("`:nope`"),
            "{e}"
        );
    }

    #[test]
    fn slugify_follows_jekylls_modes() {
        assert_eq!(slugify("Hello World!", false, false), "hello-world");
        assert_eq!(slugify("Hello World!", true, true), "Hello-World!");
        assert_eq!(slugify("--a__b--", false, false), "a-b");
        assert_eq!(slugify("Ærlig tale 日本", false, false), "ærlig-tale-日本");
    }

    #[test]
    fn a_doc_whose_yaml_failed_has_the_file_name_as_slug() {
        let fm = Map::new();
        let p = doc_url(
            "_news/2019-03-01-a.md",
            "news",
            &fm,
            "/:collection/:path/",
            now(),
            false,
        )
        .unwrap();
        assert_eq!(p.id, "/news/2019-03-01-a");
        assert_eq!(anchor_of_id(&p.id), "news2019-03-01-a");
    }
}
