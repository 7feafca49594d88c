//! OpenAPI both ways. [`export`] reads the operations a site documents (endpoint docs:
//! an HTTP method and a path title), which [`document()`] assembles into an OpenAPI 3.1
//! document, written as `openapi.json` with every build and by `endpaper openapi`; [`import`] writes an endpaper site from an
//! OpenAPI 3.0/3.1 spec (`endpaper import openapi`). [`schema`] holds the JSON Schema
//! helpers both use.

pub mod commonmark;
pub mod document;
pub mod export;
pub mod import;
mod lists;
pub mod losses;
pub mod schema;

pub use document::{document, Export, Operation};
pub use export::{endpoint, Endpoint, Stats, GAP};

/// The file every build writes (unless `endpaper: { openapi: false }`).
pub const FILE: &str = "openapi.json";
