//! endpaper: Aviator/Jekyll API docs in, a fast three-column static reference out.
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod frontmatter;
pub mod highlight;
pub mod liquid;
pub mod load;
pub mod markdown;
pub mod model;
pub mod order;
pub mod write;
