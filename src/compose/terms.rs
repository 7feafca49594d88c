//! A doc's search terms, as compose hands them to the search index.

use crate::spool::{Chunk, Spool};
use std::sync::Arc;

/// A doc's search terms (its definition lists' terms), read by the pages' search index:
/// held by `serve`, else spooled (as a JSON list) until the pages are laid out, so the
/// docs made do not hold every doc's terms through the rest of the build (the index reads
/// them back one doc at a time as it is written).
#[derive(Debug, Clone)]
pub enum Terms {
    Held(Arc<[String]>),
    Spooled(Chunk),
}

impl Default for Terms {
    fn default() -> Self {
        Terms::Held(Arc::from([]))
    }
}

impl Terms {
    /// `json`: the terms' [`Terms::json`], made once for the spool and the doc's record
    /// (unused, and may be empty, when the spool is no file).
    pub fn new(terms: Vec<String>, json: String, spool: &Spool) -> Terms {
        if !spool.is_file() || terms.is_empty() {
            return Terms::Held(terms.into());
        }
        Terms::Spooled(spool.put(json))
    }

    /// The JSON list the terms are spooled and recorded as; empty for none.
    pub fn json(terms: &[String]) -> String {
        match terms.is_empty() {
            true => String::new(),
            false => serde_json::to_string(terms).unwrap_or_default(),
        }
    }

    /// The terms, read back from `spool` when spooled.
    pub fn read(&self, spool: &Spool) -> anyhow::Result<Arc<[String]>> {
        match self {
            Terms::Held(terms) => Ok(Arc::clone(terms)),
            Terms::Spooled(chunk) => {
                let text = spool.get(chunk)?;
                Ok(serde_json::from_str::<Vec<String>>(&text)?.into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spooled_terms_read_back_as_they_were() {
        let terms: Vec<String> = ["id", "dry_run", "a \"quoted\"\nterm", "é"]
            .map(Into::into)
            .into();
        let dir = tempfile::tempdir().unwrap();
        let spool = crate::spool::Spool::in_dir(dir.path());
        let spooled = Terms::new(terms.clone(), Terms::json(&terms), &spool);
        assert!(matches!(spooled, Terms::Spooled(_)));
        assert_eq!(&*spooled.read(&spool).unwrap(), terms.as_slice());
        // `serve` holds them, as it holds the rest of a doc's output.
        let held = Terms::new(terms.clone(), String::new(), &crate::spool::Spool::memory());
        assert!(matches!(held, Terms::Held(_)));
        assert_eq!(
            &*held.read(&crate::spool::Spool::memory()).unwrap(),
            terms.as_slice()
        );
    }
}
