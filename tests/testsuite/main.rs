//! The integration tests, as one binary: each module was once a test binary of its own, and
//! every one of them linked the whole crate (issue 31). Run one module with
//! `cargo test --test testsuite build::`. The browser test (`tests/browser.rs`) stays a binary
//! of its own, as its runtime needs its own: Chromium and Node.
//!
//! One process runs them all, so no test may change what the process shares: it passes
//! environment variables and working folders to the child processes it starts (never
//! `std::env::set_var` or `set_current_dir`), sizes rayon with a pool of its own (never the
//! global one), and installs a panic hook only in a child (`hostile::panic_child`).

mod build;
mod cli_check;
mod cli_new;
mod cli_serve;
mod common;
mod dates_jekyll;
mod grammars;
mod hostile;
mod jekyll_model;
mod kramdown_features;
mod layout_fields;
mod layout_sites;
mod liquid;
mod liquid_conformance;
mod memory;
mod module_graph;
mod one_doc_files;
mod openapi;
mod perf_behaviour;
mod real_sites;
mod replay;
mod samples;
mod serve_relay;
mod site_model;
mod site_pages;
mod site_structure;
mod startup;
mod tryit;
mod twins;
mod unseen_sites;
mod unseen_sites2;
mod unseen_sites3;
mod unseen_sites4;
mod unseen_sites5;
mod unseen_sites6;
mod unseen_sites7;
mod unseen_sites8;
mod versions;
