//! `site` as a view over the docs, so a collection is made Liquid values only when read.

use super::*;

/// `site` as templates see it, each collection's docs held once: `site.<label>` is a view
/// of `site.collections[i].docs`, not a copy (at 100,000 docs the copy was 300 MB of the
/// structure pass), and a collection's docs are made Liquid values only when a template
/// first reads them (most root pages read one collection, or none). Everything else is one
/// Liquid object. Keys resolve in Jekyll's order of precedence: `collections` and `data`
/// over a collection's docs, and those over a config key of the collection's name.
#[derive(Debug, Clone)]
pub struct SiteView<'a> {
    /// Config keys, `data` and the defaults; `collections` and `documents` are placeholders
    /// there (for the keys' order and count), answered from `docs`.
    pub(super) fields: liquid_core::model::Object,
    /// `site.collections`, each with its `docs`, and `site.documents` over them.
    pub(super) docs: Documents<'a>,
    /// Each collection's label, in the order of `docs.collections`.
    pub(super) labels: Vec<KString>,
}

/// What each doc made a Liquid value goes through before a template sees it
/// ([`SiteView::map_docs`]), with its site-relative `path`.
type DocMap<'a> = Arc<dyn Fn(&str, &mut Object) + Send + Sync + 'a>;

/// How a collection's docs are made when first read.
#[derive(Clone)]
pub(super) struct Maker<'a> {
    pub(super) content: Content,
    pub(super) orders: Arc<FrontOrders>,
    pub(super) maps: Vec<DocMap<'a>>,
}

impl std::fmt::Debug for Maker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Maker")
            .field("content", &self.content)
            .field("maps", &self.maps.len())
            .finish()
    }
}

/// Runs `maps` on `doc`, in order.
fn map_doc(maps: &[DocMap<'_>], doc: &mut LValue) {
    let LValue::Object(doc) = doc else { return };
    if maps.is_empty() {
        return;
    }
    if let Some(path) = doc.get("path").map(|p| p.to_kstr().to_string()) {
        for map in maps {
            map(&path, doc);
        }
    }
}

impl Maker<'_> {
    fn make(&self, docs: &[&Doc]) -> LValue {
        LValue::Array(
            docs.iter()
                .map(|d| {
                    let mut v = doc(d, self.content, &self.orders);
                    map_doc(&self.maps, &mut v);
                    v
                })
                .collect(),
        )
    }
}

/// `ValueView` for a type that is an [`ObjectView`] answering some keys itself: it renders,
/// compares and copies as the object its keys and values make.
macro_rules! object_value_view {
    ($t:ty) => {
        impl ValueView for $t {
            fn as_debug(&self) -> &dyn std::fmt::Debug {
                self
            }
            fn render(&self) -> DisplayCow<'_> {
                DisplayCow::Owned(Box::new(ObjectRender::new(self)))
            }
            fn source(&self) -> DisplayCow<'_> {
                DisplayCow::Owned(Box::new(ObjectSource::new(self)))
            }
            fn type_name(&self) -> &'static str {
                "object"
            }
            fn query_state(&self, state: State) -> bool {
                match state {
                    State::Truthy => true,
                    State::DefaultValue | State::Empty | State::Blank => {
                        ObjectView::size(self) == 0
                    }
                }
            }
            fn to_kstr(&self) -> KStringCow<'_> {
                KStringCow::from_string(ObjectRender::new(self).to_string())
            }
            fn to_value(&self) -> LValue {
                LValue::Object(
                    self.iter()
                        .map(|(k, v)| (KString::from_ref(k.as_str()), v.to_value()))
                        .collect(),
                )
            }
            fn as_object(&self) -> Option<&dyn ObjectView> {
                Some(self)
            }
        }
    };
}

/// One of `site.collections`: its `_config.yml` keys, `label`, `files`…, and its `docs`,
/// made from `source`, in Jekyll's order, the first time they are read (sorting reads every
/// doc's front matter, which a cached build may not have read yet).
#[derive(Debug, Clone)]
pub(super) struct Collection<'a> {
    /// Every key but `docs`, which holds a placeholder (for the keys' order).
    pub(super) fields: Object,
    /// The collection's docs, sorted by path.
    pub(super) source: Vec<&'a Doc>,
    /// The collection's label and `_config.yml` keys, which `order:` or `sort_by:` may sort
    /// its docs by.
    pub(super) sort: (String, serde_json::Map<String, serde_json::Value>),
    pub(super) docs: OnceLock<LValue>,
    pub(super) maker: Arc<Maker<'a>>,
}

impl Collection<'_> {
    fn docs(&self) -> &LValue {
        self.docs.get_or_init(|| {
            let (label, meta) = &self.sort;
            let sorted = super::sort::jekyll_order(label, self.source.clone(), Some(meta));
            self.maker.make(&sorted)
        })
    }

    fn field(&self, key: &str) -> Option<&LValue> {
        if key == "docs" {
            Some(self.docs())
        } else {
            self.fields.get(key)
        }
    }

    /// Its `docs` or its `files`.
    fn list(&self, key: &str) -> &[LValue] {
        match self.field(key) {
            Some(LValue::Array(items)) => items,
            _ => &[],
        }
    }
}

object_value_view!(Collection<'_>);

impl ObjectView for Collection<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.fields.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.fields.keys().map(|k| k.as_str().into()))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.iter().map(|(_, v)| v))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(self.fields.keys().filter_map(move |k| {
            let v = self.field(k.as_str())?;
            Some((k.as_str().into(), v as &dyn ValueView))
        }))
    }
    fn contains_key(&self, index: &str) -> bool {
        self.fields.contains_key(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.field(index).map(|v| v as &dyn ValueView)
    }
}

/// `site.documents`, Jekyll's `Site#documents`: every doc of every collection, a view of
/// the collections' `docs` (which it holds, as `site.collections`) in Jekyll's order of
/// collections (`posts`, then as `_config.yml` declares them), not a copy.
#[derive(Debug, Clone)]
pub(super) struct Documents<'a> {
    /// `site.collections`, sorted by label.
    pub(super) collections: Vec<Collection<'a>>,
    /// Indexes into `collections`, in Jekyll's order.
    pub(super) order: Vec<usize>,
    /// `site.posts`: the `posts` collection's docs, newest first, made when first read.
    pub(super) posts: OnceLock<LValue>,
}

impl Documents<'_> {
    /// Jekyll's `SiteDrop#posts`: the posts sorted newest first (the collection's docs are
    /// oldest first).
    fn posts(&self, labels: &[KString]) -> &LValue {
        self.posts.get_or_init(|| {
            let at = labels.iter().position(|l| l.as_str() == "posts");
            let docs = at.map_or(&[][..], |i| self.list(i, "docs"));
            LValue::Array(docs.iter().rev().cloned().collect())
        })
    }

    /// A list of collection `i`: its `docs` or its `files`.
    fn list(&self, i: usize, key: &str) -> &[liquid_core::Value] {
        self.collections.get(i).map_or(&[], |c| c.list(key))
    }

    /// Collection `i`'s part of `site.documents`: its docs, then its static files, as
    /// Jekyll's `Site#documents` merges `docs` and `files`.
    fn of(&self, i: usize) -> impl Iterator<Item = &liquid_core::Value> {
        self.list(i, "docs").iter().chain(self.list(i, "files"))
    }

    fn len_of(&self, i: usize) -> usize {
        self.list(i, "docs").len() + self.list(i, "files").len()
    }

    fn all(&self) -> impl Iterator<Item = &liquid_core::Value> {
        self.order.iter().flat_map(move |&i| self.of(i))
    }
}

impl ValueView for Documents<'_> {
    fn as_debug(&self) -> &dyn std::fmt::Debug {
        self
    }
    // Only a template that prints the whole list asks for these.
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().render().to_string()))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }
    fn type_name(&self) -> &'static str {
        "array"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.all().next().is_none(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.render().to_string())
    }
    fn to_value(&self) -> liquid_core::Value {
        liquid_core::Value::Array(self.all().cloned().collect())
    }
    fn as_array(&self) -> Option<&dyn liquid_core::model::ArrayView> {
        Some(self)
    }
}

impl liquid_core::model::ArrayView for Documents<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.order.iter().map(|&i| self.len_of(i)).sum::<usize>() as i64
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.all().map(|v| v as &dyn ValueView))
    }
    fn contains_key(&self, index: i64) -> bool {
        self.get(index).is_some()
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let i = if index < 0 {
            self.size() + index
        } else {
            index
        };
        let mut i = usize::try_from(i).ok()?;
        for &c in &self.order {
            let len = self.len_of(c);
            if i < len {
                return self.of(c).nth(i).map(|v| v as &dyn ValueView);
            }
            i -= len;
        }
        None
    }
}

impl<'a> SiteView<'a> {
    /// A field of `site` (no collection's docs).
    fn field(&self, key: &str) -> Option<&dyn ValueView> {
        match key {
            "collections" => Some(&self.docs.collections),
            "documents" => Some(&self.docs),
            "posts" => Some(self.docs.posts(&self.labels)),
            _ => self.fields.get(key).map(|v| v as &dyn ValueView),
        }
    }

    /// The docs of the collection named `key`, when that is what `site.<key>` means:
    /// `collections` and `data` are never hidden by a collection of that name.
    fn docs_of(&self, key: &str) -> Option<&liquid_core::Value> {
        // `site.posts` is Jekyll's list of posts (`SiteDrop#posts`), not the collection.
        if key == "collections" || key == "data" || key == "posts" {
            return None;
        }
        let i = self.labels.iter().position(|l| l.as_str() == key)?;
        self.docs.collections.get(i).map(Collection::docs)
    }

    /// Labels that are keys of their own (no field of that name, which they would hide).
    fn extra_labels(&self) -> impl Iterator<Item = &KString> {
        self.labels
            .iter()
            .filter(|l| !self.fields.contains_key(l.as_str()))
    }

    /// This site with every collection's docs made, borrowing nothing: what the engine keeps
    /// for the renders of a whole build, which may read any collection from any thread.
    pub fn into_owned(self) -> SiteView<'static> {
        let collections = self
            .docs
            .collections
            .into_iter()
            .map(|c| {
                c.docs();
                Collection {
                    fields: c.fields,
                    source: Vec::new(),
                    sort: Default::default(),
                    docs: c.docs,
                    maker: Arc::new(Maker {
                        content: c.maker.content,
                        orders: Arc::clone(&c.maker.orders),
                        maps: Vec::new(),
                    }),
                }
            })
            .collect();
        SiteView {
            fields: self.fields,
            docs: Documents {
                collections,
                order: self.docs.order,
                posts: self.docs.posts,
            },
            labels: self.labels,
        }
    }

    /// Applies `f` to every doc, once (a doc is in one collection), with its site-relative
    /// `path`: to the docs made already, and to the others when they are made.
    pub fn map_docs(mut self, f: impl Fn(&str, &mut Object) + Send + Sync + 'a) -> Self {
        let f: DocMap<'a> = Arc::new(f);
        let Some(first) = self.docs.collections.first() else {
            return self;
        };
        let mut maker = (*first.maker).clone();
        maker.maps.push(Arc::clone(&f));
        let maker = Arc::new(maker);
        for c in &mut self.docs.collections {
            if let Some(LValue::Array(docs)) = c.docs.get_mut() {
                for doc in docs {
                    map_doc(std::slice::from_ref(&f), doc);
                }
            }
            c.maker = Arc::clone(&maker);
        }
        // Made again from the mapped docs when next read.
        self.docs.posts = OnceLock::new();
        self
    }
}

// `to_value`: an owned copy of the whole site, docs twice as Jekyll has them (only a
// template that assigns or serialises `site` itself asks for it).
object_value_view!(SiteView<'_>);

impl ObjectView for SiteView<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        (self.fields.len() + self.extra_labels().count()) as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.fields
                .keys()
                .chain(self.extra_labels())
                .map(|k| k.as_str().into()),
        )
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.iter().map(|(_, v)| v))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(self.keys().filter_map(move |k| {
            let v = self.get(k.as_str())?;
            Some((k, v))
        }))
    }
    fn contains_key(&self, index: &str) -> bool {
        self.docs_of(index).is_some() || self.fields.contains_key(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self.docs_of(index) {
            Some(docs) => Some(docs),
            None => self.field(index),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::liquid::{site, Engine, Mode, SiteInputs, Source};
    use liquid_core::Value;

    /// A site of two collections, `a` (2 docs) and `b` (1), its engine's inputs made from it.
    fn two_collections() -> (tempfile::TempDir, crate::load::LoadedSite) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("_config.yml"),
            "title: t\ncollections:\n  a: {title: A}\n  b: {title: B}\n",
        )
        .unwrap();
        for (rel, title) in [("_a/x.md", "X"), ("_a/y.md", "Y"), ("_b/z.md", "Z")] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                path,
                format!("---\ntitle: {title}\nmeta: {{k: 1}}\n---\nBody of {title}.\n"),
            )
            .unwrap();
        }
        let site = crate::load::load(root, None).unwrap();
        (dir, site)
    }

    /// The engine of a loaded site's `model`.
    fn engine_of<'a>(
        site: &'a crate::load::LoadedSite,
        model: &'a crate::model::Model,
    ) -> Engine<'a> {
        Engine::new(SiteInputs {
            config: &site.config,
            includes: &site.includes,
            data: &site.data,
            sections: &model.sections,
            loaded: None,
            root_files: None,
        })
        .unwrap()
    }

    #[test]
    fn a_site_view_makes_a_collections_docs_only_when_a_template_reads_them() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (_dir, site) = two_collections();
        let model = crate::model::build(&site, "public", crate::model::Texts::Held);
        let engine = engine_of(&site, &model);
        let render = |view: &site::SiteView, text: &str| {
            let src = Source {
                rel: "index.html",
                full: text,
                base: 0,
            };
            engine
                .render(&src, &[("site", view)], Mode::Html)
                .unwrap()
                .text
        };
        let made = AtomicUsize::new(0);
        let view = engine.site_with(site::Content::Body).map_docs(|_, doc| {
            made.fetch_add(1, Ordering::SeqCst);
            doc.insert("seen".into(), Value::scalar(true));
        });
        assert_eq!(render(&view, "{{ site.title }}"), "t");
        assert_eq!(
            made.load(Ordering::SeqCst),
            0,
            "no doc is made for a page that lists none"
        );
        assert_eq!(
            render(
                &view,
                "{% for d in site.a %}{{ d.title }}{{ d.seen }} {% endfor %}"
            ),
            "Xtrue Ytrue "
        );
        assert_eq!(
            made.load(Ordering::SeqCst),
            2,
            "only the collection read is made"
        );
        // A map given after some docs were made reaches those and the rest.
        let view = view.map_docs(|_, doc| {
            doc.insert("later".into(), Value::scalar(1));
        });
        let all =
            "{% for d in site.documents %}{{ d.title }}{{ d.seen }}{{ d.later }} {% endfor %}";
        assert_eq!(render(&view, all), "Xtrue1 Ytrue1 Ztrue1 ");
        assert_eq!(made.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_lazy_site_view_reads_as_the_engines_whole_site_does() {
        let (_dir, site) = two_collections();
        let model = crate::model::build(&site, "public", crate::model::Texts::Held);
        let engine = engine_of(&site, &model);
        let text = "{{ site.collections | map: 'label' | join: ',' }}|{{ site.b | size }}|{% for c in site.collections %}{{ c.docs | size }}{{ c.title }}{% endfor %}|{% for d in site.a %}{{ d.content }}{{ d.meta }}{% endfor %}|{{ site.documents | size }}|{% assign all = site %}{{ all.a | map: 'title' | join: ',' }}|{{ site.collections[1] }}";
        let src = Source {
            rel: "index.html",
            full: text,
            base: 0,
        };
        let lazy = engine.site_with(site::Content::Body);
        let from_lazy = engine.render(&src, &[("site", &lazy)], Mode::Html).unwrap();
        let whole = engine.render(&src, &[], Mode::Html).unwrap();
        assert_eq!(from_lazy.text, whole.text);
        assert!(
            whole.text.starts_with("a,b,posts|1|2A1B0|Body of X.\n"),
            "{}",
            whole.text
        );
    }
}
