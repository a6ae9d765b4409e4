//! Compile-time diagnostics: every mistake class in `ui/` (one per file, with
//! the exact compiler output in its `.stderr`), and tricky policies that must
//! compile in `ui-pass/`. Regenerate with `TRYBUILD=overwrite` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui-pass/*.rs");
}
