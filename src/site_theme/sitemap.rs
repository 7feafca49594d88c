//! `sitemap.xml` and `robots.txt` as jekyll-sitemap 1.4 writes them: one `<url>` per HTML
//! page (not `404.html`, not `sitemap: false`), the URL absolute with `index.html` dropped.

use crate::frontmatter;
use crate::html::escape;
use serde_json::{Map, Value};

fn absolute(site: &Map<String, Value>, path: &str) -> String {
    let url = frontmatter::text(site.get("url"));
    let base = frontmatter::text(site.get("baseurl"));
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!(
        "{}{}/{path}",
        url.trim_end_matches('/'),
        base.trim_end_matches('/')
    )
}

/// The sitemap of the pages at output paths `pages`.
pub fn xml(site: &Map<String, Value>, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        out.push_str("<url>\n<loc>");
        out.push_str(&escape(&absolute(site, p)));
        out.push_str("</loc>\n</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The `robots.txt` jekyll-sitemap adds when the site has none.
pub fn robots(site: &Map<String, Value>) -> String {
    format!("Sitemap: {}\n", absolute(site, "sitemap.xml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_become_absolute_urls() {
        let site = serde_json::json!({"url": "https://d.example/", "baseurl": "/api"});
        let site = site.as_object().unwrap();
        let x = xml(
            site,
            &[
                "index.html".into(),
                "internal/index.html".into(),
                "a&b.html".into(),
            ],
        );
        assert!(x.contains("<loc>https://d.example/api/</loc>"), "{x}");
        assert!(
            x.contains("<loc>https://d.example/api/internal/</loc>"),
            "{x}"
        );
        assert!(
            x.contains("<loc>https://d.example/api/a&amp;b.html</loc>"),
            "{x}"
        );
        assert_eq!(robots(site), "Sitemap: https://d.example/api/sitemap.xml\n");
    }
}
