//! endpaper: Aviator/Jekyll API docs in, a fast three-column static reference out.
pub mod diagnostics;
pub mod error;
pub mod highlight;
pub mod markdown;
