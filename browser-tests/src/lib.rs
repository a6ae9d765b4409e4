//! Real-browser conformance suite for `cors-runtime` (not published).
//!
//! There is no library code here: the suite is the `browser` test target in `tests/browser/`
//! (`cargo test -p cors-browser-tests`). See `tests/browser/main.rs` for how it works and the
//! environment variables it reads, `README.md` for the scenario list, and `ensure-chromium.sh` for
//! installing the browser in CI.
