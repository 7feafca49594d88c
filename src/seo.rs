//! Search engines and link previews: absolute page URLs from the site's `url` and
//! `baseurl` (canonical links, Open Graph), `sitemap.xml` and `robots.txt` (one writer for
//! both themes, in jekyll-sitemap's format).

use crate::config::Config;
use crate::html::escape;

/// The public URL of output page `rel` (`index.html` → the folder), or `None` when the
/// site sets no `url` (a relative canonical link or sitemap entry would be wrong).
pub fn page_url(config: &Config, rel: &str) -> Option<String> {
    Some(url_under(&site_root(config)?, rel))
}

/// `rel` under `root` (which ends with `/`), `index.html` dropped as Jekyll drops it.
fn url_under(root: &str, rel: &str) -> String {
    let rel = match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => rel,
    };
    format!("{root}{rel}")
}

/// The root Jekyll's `absolute_url` gives: `url` and `baseurl`, or only `baseurl` (a
/// root-relative address) when the site sets no `url`. jekyll-sitemap writes that;
/// endpaper's own sitemap wants absolute addresses ([`site_root`]).
pub fn jekyll_root(config: &Config) -> String {
    site_root(config).unwrap_or_else(|| {
        let base = config.baseurl.trim().trim_matches('/');
        if base.is_empty() {
            "/".into()
        } else {
            format!("/{base}/")
        }
    })
}

/// `sitemap.xml` listing `pages` (output-relative) under `root`, as jekyll-sitemap writes
/// it (for endpaper's theme and `theme: site` alike).
pub fn sitemap(root: &str, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        out.push_str("<url>\n<loc>");
        out.push_str(&escape(&url_under(root, p)));
        out.push_str("</loc>\n</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: the sitemap's address under `root` when there is one (as jekyll-sitemap
/// writes it; no rule means everything may be crawled), else an explicit allow-all.
pub fn robots(root: Option<&str>) -> String {
    match root {
        Some(root) => format!("Sitemap: {root}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n".into(),
    }
}

/// The site's address (`url` + `baseurl`) with a trailing `/`, or `None` without `url`.
pub fn site_root(config: &Config) -> Option<String> {
    let url = config.url.trim().trim_end_matches('/');
    if url.is_empty() {
        return None;
    }
    let base = config.baseurl.trim().trim_matches('/');
    Some(if base.is_empty() {
        format!("{url}/")
    } else {
        format!("{url}/{base}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn urls_honour_url_and_baseurl() {
        let c = Config::parse(
            "url: https://docs.x/\nbaseurl: /api\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(page_url(&c, "index.html").unwrap(), "https://docs.x/api/");
        assert_eq!(
            page_url(&c, "orders/get/index.html").unwrap(),
            "https://docs.x/api/orders/get/"
        );
        assert_eq!(
            page_url(&c, "orders/2.html").unwrap(),
            "https://docs.x/api/orders/2.html"
        );
        let root = site_root(&c).unwrap();
        let map = sitemap(
            &root,
            &[
                "index.html".into(),
                "a&b/index.html".into(),
                "x.html".into(),
            ],
        );
        assert!(
            map.contains("<url>\n<loc>https://docs.x/api/</loc>\n</url>\n"),
            "{map}"
        );
        assert!(map.contains("<loc>https://docs.x/api/a&amp;b/</loc>"));
        assert!(map.contains("<loc>https://docs.x/api/x.html</loc>"));
        assert_eq!(
            robots(Some(&root)),
            "Sitemap: https://docs.x/api/sitemap.xml\n"
        );
        let none = Config::parse("baseurl: /api\n", Path::new("c")).unwrap();
        assert_eq!(site_root(&none), None);
        assert_eq!(jekyll_root(&none), "/api/");
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
    }
}
