//! Integration and UI tests of `cors-runtime` (not published).
//!
//! The library target has no code: it carries the repository's guides as
//! documentation, so that `cargo test --doc -p cors-tests` compiles and runs
//! every Rust snippet in them, against this workspace's crates (and
//! tower-http, for the comparisons of the migration guide).

#![forbid(unsafe_code)]

#[doc = include_str!("../../docs/migrating-from-tower-http.md")]
pub mod migrating_from_tower_http {}

#[doc = include_str!("../../docs/troubleshooting.md")]
pub mod troubleshooting {}

#[doc = include_str!("../../cors-runtime/README.md")]
pub mod cors_runtime_readme {}

/// The repository's README: its snippets compile and run.
#[doc = include_str!("../../README.md")]
mod readme {}
