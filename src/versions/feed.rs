//! `changelog.xml`: the changelog as an Atom 1.0 feed, an entry per version.

use super::{rfc3339, Version, Versions, CHANGELOG, FEED};
use crate::config::Config;

impl Versions {
    /// `changelog.xml`: an Atom 1.0 feed with an entry per version, newest first.
    pub fn feed(&self, config: &Config) -> String {
        let esc = crate::html::escape;
        let title = if config.title.trim().is_empty() {
            "API Reference"
        } else {
            config.title.trim()
        };
        let root = crate::seo::site_root(config);
        let page = |rel: &str| match &root {
            Some(r) => format!("{r}{rel}"),
            None => rel.to_string(),
        };
        // An id must be an absolute IRI: the page's address, else a URN of the site's title.
        let id = match &root {
            Some(r) => format!("{r}{CHANGELOG}"),
            None => format!(
                "urn:endpaper:{}:changelog",
                title
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    })
                    .collect::<String>()
            ),
        };
        let updated = |v: &Version| {
            v.date
                .as_deref()
                .and_then(rfc3339)
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
        };
        let newest = self.list.iter().map(updated).max().unwrap_or_default();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        out.push_str(&format!("  <title>{} changelog</title>\n", esc(title)));
        out.push_str(&format!("  <id>{}</id>\n", esc(&id)));
        out.push_str(&format!("  <updated>{newest}</updated>\n"));
        if root.is_some() {
            out.push_str(&format!(
                "  <link rel=\"self\" href=\"{}\"/>\n",
                esc(&page(FEED))
            ));
        }
        out.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&page(CHANGELOG))
        ));
        out.push_str(&format!("  <author><name>{}</name></author>\n", esc(title)));
        for (v, changes) in self.list.iter().zip(&self.changes) {
            let anchor = format!("version-{}", v.name);
            let mut html = String::from("<ul>");
            for c in changes {
                html.push_str(&format!(
                    "<li>{}: <a href=\"{}\">{}</a> {}{}</li>",
                    c.kind,
                    esc(&page(&format!("{}#{}", self.list[c.at.0].path, c.at.1))),
                    esc(&c.what),
                    esc(&c.name),
                    if c.details.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", esc(&c.details.join("; ")))
                    }
                ));
            }
            html.push_str("</ul>");
            let first = std::ptr::eq(v, self.list.last().expect("a version"));
            let html = if changes.is_empty() {
                format!("<p>{}</p>", esc(&first_words(v, first)))
            } else {
                html
            };
            out.push_str("  <entry>\n");
            out.push_str(&format!("    <title>{}</title>\n", esc(&v.label)));
            out.push_str(&format!("    <id>{}#{}</id>\n", esc(&id), esc(&anchor)));
            out.push_str(&format!("    <updated>{}</updated>\n", updated(v)));
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                esc(&page(&format!("{CHANGELOG}#{anchor}")))
            ));
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                esc(&html)
            ));
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }
}

/// What the oldest version's entry says, having nothing to compare with.
fn first_words(v: &Version, first: bool) -> String {
    if first {
        format!("{}: the first version.", v.label)
    } else {
        format!("{}: no change since the version before.", v.label)
    }
}
