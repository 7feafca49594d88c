//! Search engines and link previews: absolute page URLs from the site's `url` and
//! `baseurl` (canonical links, Open Graph), `sitemap.xml` and `robots.txt`.

use crate::compose::escape;
use crate::config::Config;
use crate::machine_docs::site_root;

/// The public URL of output page `rel` (`index.html` → the folder), or `None` when the
/// site sets no `url` (a relative canonical link or sitemap entry would be wrong).
pub fn page_url(config: &Config, rel: &str) -> Option<String> {
    let root = site_root(config)?;
    let rel = match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => rel,
    };
    Some(format!("{root}{rel}"))
}

/// `sitemap.xml` listing `pages` (output-relative), or `None` without a `url`: the
/// sitemap protocol needs absolute addresses.
pub fn sitemap(config: &Config, pages: &[String]) -> Option<String> {
    site_root(config)?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        if let Some(url) = page_url(config, p) {
            out.push_str("  <url><loc>");
            out.push_str(&escape(&url));
            out.push_str("</loc></url>\n");
        }
    }
    out.push_str("</urlset>\n");
    Some(out)
}

/// `robots.txt`: everything may be crawled; the sitemap's address when there is one.
pub fn robots(config: &Config) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(root) = site_root(config) {
        out.push_str(&format!("\nSitemap: {root}sitemap.xml\n"));
    }
    out
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
        let map = sitemap(&c, &["index.html".into(), "a&b/index.html".into()]).unwrap();
        assert!(map.contains("<loc>https://docs.x/api/</loc>"));
        assert!(map.contains("<loc>https://docs.x/api/a&amp;b/</loc>"));
        assert!(robots(&c).contains("Sitemap: https://docs.x/api/sitemap.xml"));
        let none = Config::parse("baseurl: /api\n", Path::new("c")).unwrap();
        assert_eq!(sitemap(&none, &["index.html".into()]), None);
        assert_eq!(robots(&none), "User-agent: *\nAllow: /\n");
    }
}
