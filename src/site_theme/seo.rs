//! `{% seo %}` as jekyll-seo-tag 2.8 writes it for a page: title, generator, Open Graph and
//! Twitter tags, canonical URL and the JSON-LD block, from the page's and the site's
//! `title`, `description` and `url`. jekyll-seo-tag is a Ruby plugin; this is its output for
//! the fields Aviator sites set (no author, image or date).

use crate::frontmatter;
use crate::html::escape;
use serde_json::{Map, Value};

/// What `{% seo %}` writes on the page at output path `path` (`internal/index.html`).
pub fn tag(site: &Map<String, Value>, page: &Map<String, Value>, path: &str) -> String {
    let text = |v: Option<&Value>| {
        let t = frontmatter::text(v);
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    let site_title = text(site.get("title")).or_else(|| text(site.get("name")));
    let site_desc = text(site.get("tagline")).or_else(|| text(site.get("description")));
    let page_title = text(page.get("title")).or_else(|| site_title.clone());
    let title = match (&site_title, &page_title) {
        (Some(st), Some(pt)) if pt != st => Some(format!("{pt} | {st}")),
        (Some(st), _) if site_desc.is_some() => {
            Some(format!("{st} | {}", site_desc.clone().unwrap_or_default()))
        }
        _ => page_title.clone().or_else(|| site_title.clone()),
    };
    let description = text(page.get("description")).or_else(|| text(site.get("description")));
    let url = frontmatter::text(site.get("url"));
    let baseurl = frontmatter::text(site.get("baseurl"));
    let page_url = match path.strip_suffix("index.html") {
        Some(d) => format!("/{d}"),
        None => format!("/{path}"),
    };
    let canonical = (!url.is_empty()).then(|| {
        format!(
            "{}{}{}",
            url.trim_end_matches('/'),
            baseurl.trim_end_matches('/'),
            page_url
        )
    });
    let home = page_url == "/" || page_url == "/about/";
    let locale = text(page.get("locale"))
        .or_else(|| text(site.get("locale")))
        .or_else(|| text(site.get("lang")))
        .unwrap_or_else(|| "en_US".into())
        .replace('-', "_");

    let mut out = String::from("<!-- Begin Jekyll SEO tag v2.8.0 -->\n");
    if let Some(t) = &title {
        out.push_str(&format!("<title>{}</title>\n", escape(t)));
    }
    out.push_str("<meta name=\"generator\" content=\"Jekyll v4.3.1\" />\n");
    if let Some(t) = &page_title {
        out.push_str(&format!(
            "<meta property=\"og:title\" content=\"{}\" />\n",
            escape(t)
        ));
    }
    out.push_str(&format!(
        "<meta property=\"og:locale\" content=\"{}\" />\n",
        escape(&locale)
    ));
    if let Some(d) = &description {
        let d = escape(d);
        out.push_str(&format!("<meta name=\"description\" content=\"{d}\" />\n"));
        out.push_str(&format!(
            "<meta property=\"og:description\" content=\"{d}\" />\n"
        ));
    }
    if let Some(c) = &canonical {
        let c = escape(c);
        out.push_str(&format!("<link rel=\"canonical\" href=\"{c}\" />\n"));
        out.push_str(&format!("<meta property=\"og:url\" content=\"{c}\" />\n"));
    }
    if let Some(st) = &site_title {
        out.push_str(&format!(
            "<meta property=\"og:site_name\" content=\"{}\" />\n",
            escape(st)
        ));
    }
    out.push_str("<meta property=\"og:type\" content=\"website\" />\n");
    out.push_str("<meta name=\"twitter:card\" content=\"summary\" />\n");
    if let Some(t) = &page_title {
        out.push_str(&format!(
            "<meta property=\"twitter:title\" content=\"{}\" />\n",
            escape(t)
        ));
    }
    // JSON-LD: keys in alphabetical order after @context and @type, as the plugin writes.
    let mut ld = serde_json::Map::new();
    if let Some(d) = &description {
        ld.insert("description".into(), Value::String(d.clone()));
    }
    if let Some(t) = &page_title {
        ld.insert("headline".into(), Value::String(t.clone()));
    }
    if home {
        if let Some(st) = &site_title {
            ld.insert("name".into(), Value::String(st.clone()));
        }
    }
    if let Some(c) = &canonical {
        ld.insert("url".into(), Value::String(c.clone()));
    }
    let body = serde_json::to_string(&Value::Object(ld)).unwrap_or_else(|_| "{}".into());
    let kind = if home { "WebSite" } else { "WebPage" };
    out.push_str("<script type=\"application/ld+json\">\n");
    out.push_str(&format!(
        "{{\"@context\":\"https://schema.org\",\"@type\":\"{kind}\"{}{}</script>\n",
        if body.len() > 2 { "," } else { "" },
        &body[1..]
    ));
    out.push_str("<!-- End Jekyll SEO tag -->\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn home_page_is_a_website_with_page_and_site_titles() {
        let site = map(
            json!({"title": "Notes", "description": "The Notes API.", "url": "https://n.example"}),
        );
        let out = tag(&site, &map(json!({"title": "API Docs"})), "index.html");
        assert!(out.contains("<title>API Docs | Notes</title>\n"), "{out}");
        assert!(
            out.contains("<link rel=\"canonical\" href=\"https://n.example/\" />"),
            "{out}"
        );
        assert!(out.contains("{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"description\":\"The Notes API.\",\"headline\":\"API Docs\",\"name\":\"Notes\",\"url\":\"https://n.example/\"}</script>"), "{out}");
    }

    #[test]
    fn other_pages_are_web_pages_and_a_title_like_the_sites_gets_the_description() {
        let site =
            map(json!({"title": "Notes", "description": "D & co", "url": "https://n.example/"}));
        let out = tag(
            &site,
            &map(json!({"title": "Notes"})),
            "internal/index.html",
        );
        assert!(out.contains("<title>Notes | D &amp; co</title>"), "{out}");
        assert!(
            out.contains("href=\"https://n.example/internal/\""),
            "{out}"
        );
        assert!(
            out.contains(
                "\"@type\":\"WebPage\",\"description\":\"D & co\",\"headline\":\"Notes\",\"url\""
            ),
            "{out}"
        );
    }
}
