//! Parses of whole templates (a site's pages and layouts, a dynamic include path, an
//! expression filter's expression), kept by their text for the engine's build: the
//! structure pass and `site_markup` render each page through its layouts several times,
//! each time with another site model, and a layout is shared by many pages; each text is
//! parsed once. Keyed by the text itself, so a template whose text changed is parsed anew.
//! Bounded: past [`MAX_TEMPLATES`] texts or [`MAX_BYTES`] of text, a template is parsed
//! each time as before (doc bodies, each rendered once, never come here).

use super::rewrite::{Fail, Variant};
use super::{Parsed, Shared};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, PoisonError};

/// How many texts the cache keeps.
pub(crate) const MAX_TEMPLATES: usize = 4096;
/// How much text the cache keeps (its parses hold about as much again).
pub(crate) const MAX_BYTES: usize = 32 << 20;

type Cell = Arc<OnceLock<Result<Arc<Parsed>, Fail>>>;

#[derive(Default)]
pub(crate) struct Templates {
    /// One map per [`Variant`]: a text parses differently in each.
    by_text: [HashMap<Box<str>, Cell>; 3],
    count: usize,
    bytes: usize,
}

impl Shared {
    /// `src` parsed as `variant`, once per engine while the cache has room. The cell is
    /// taken under the lock and filled outside it, so threads parsing different templates
    /// do not wait for each other and two asking for one template parse it once.
    pub fn parse_cached(&self, src: &str, variant: Variant) -> Result<Arc<Parsed>, Fail> {
        let cell = {
            let mut t = self
                .templates
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match t.by_text[variant as usize].get(src) {
                Some(cell) => Some(Arc::clone(cell)),
                None if t.count < MAX_TEMPLATES && t.bytes + src.len() <= MAX_BYTES => {
                    let cell = Cell::default();
                    t.by_text[variant as usize].insert(src.into(), Arc::clone(&cell));
                    t.count += 1;
                    t.bytes += src.len();
                    Some(cell)
                }
                None => None,
            }
        };
        match cell {
            Some(cell) => cell
                .get_or_init(|| self.parse(src, variant).map(Arc::new))
                .clone(),
            None => self.parse(src, variant).map(Arc::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Engine, Mode, Source};
    use crate::config::Config;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::atomic::Ordering;

    fn render(engine: &Engine, text: &str) -> String {
        let src = Source {
            rel: "_layouts/default.html",
            full: text,
            base: 0,
        };
        engine.render(&src, &[], Mode::Html).unwrap().text
    }

    #[test]
    fn a_template_is_parsed_once_and_a_changed_text_anew() {
        let config = Config::parse("title: T\n", Path::new("_config.yml")).unwrap();
        let includes = BTreeMap::from([("n.html".to_string(), "[{{ include.x }}]".to_string())]);
        let engine = Engine::with_includes(&config, &includes);
        let parses = || engine.shared.parses.load(Ordering::Relaxed);
        let layout = "<h1>{{ site.title }}</h1>{% include n.html x=1 %}";
        assert_eq!(render(&engine, layout), "<h1>T</h1>[1]");
        let first = parses();
        assert!(first >= 1);
        for _ in 0..3 {
            assert_eq!(render(&engine, layout), "<h1>T</h1>[1]");
        }
        assert_eq!(
            parses(),
            first,
            "the same text rendered again is not parsed again"
        );
        let changed = "<h2>{{ site.title }}</h2>{% include n.html x=2 %}";
        assert_eq!(render(&engine, changed), "<h2>T</h2>[2]");
        assert_eq!(parses(), first + 1, "a changed text is parsed anew, once");
        assert_eq!(render(&engine, changed), "<h2>T</h2>[2]");
        assert_eq!(render(&engine, layout), "<h1>T</h1>[1]");
        assert_eq!(parses(), first + 1);
    }

    #[test]
    fn a_parse_error_is_kept_and_reported_each_time() {
        let config = Config::parse("title: T\n", Path::new("_config.yml")).unwrap();
        let includes = BTreeMap::new();
        let engine = Engine::with_includes(&config, &includes);
        let src = Source {
            rel: "_layouts/bad.html",
            full: "a\n{% if x %}b",
            base: 0,
        };
        let first = engine
            .render(&src, &[], Mode::Html)
            .unwrap_err()
            .to_string();
        let again = engine
            .render(&src, &[], Mode::Html)
            .unwrap_err()
            .to_string();
        assert_eq!(first, again);
        assert!(first.contains("_layouts/bad.html:2:"), "{first}");
        assert_eq!(engine.shared.parses.load(Ordering::Relaxed), 1);
    }
}
