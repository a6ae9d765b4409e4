//! One validator, two front ends: every compile-fail UI case whose mistakes
//! are in the values is fed through the run-time path
//! (`CorsPolicy::builder()`), which must report the same sentences as the
//! compile errors in its `.stderr`.
//!
//! A case is read with `syn`: the arguments of its `#[cors(...)]` or
//! `policy!(...)` become builder calls (a string or an ident is an entry, a
//! lone `"*"` the wildcard). Cases whose mistakes are in the Rust syntax
//! (an unquoted value, a key that takes a value, `policy = BASE`, the item the
//! attribute is on, `route!`) have no run-time counterpart; they are listed in
//! [`SYNTAX_ONLY`] with the reason, and a case that is neither compared nor
//! listed fails the test, so a new UI case must be classified.

use std::collections::BTreeSet;
use std::path::Path;

use cors_runtime::{CorsPolicy, PolicyBuilder};
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, Token};

/// UI cases with no run-time counterpart, and why.
const SYNTAX_ONLY: &[(&str, &str)] = &[
    (
        "attr-bool-as-string",
        "a string where Rust syntax wants a bool",
    ),
    (
        "attr-duplicate-key",
        "a key written twice; a builder call replaces",
    ),
    ("attr-key-without-value", "Rust syntax"),
    ("attr-malformed", "Rust syntax"),
    ("attr-origin-not-a-string", "an entry that is not a literal"),
    (
        "attr-origins-from-a-const",
        "a const where a literal is needed",
    ),
    ("attr-origins-not-a-list", "a string without brackets"),
    (
        "attr-unknown-key-in-policy-macro",
        "unknown keys are builder methods that do not exist",
    ),
    (
        "attr-unknown-key-no-suggestion",
        "unknown keys are builder methods that do not exist",
    ),
    (
        "attr-unknown-key-tower-http-name",
        "unknown keys are builder methods that do not exist",
    ),
    (
        "attr-unknown-key",
        "unknown keys are builder methods that do not exist",
    ),
    ("attr-wrong-value-type", "a value of the wrong Rust type"),
    ("item-generic-handler", "the item the attribute is on"),
    (
        "item-generic-handler-with-bad-policy",
        "the item the attribute is on",
    ),
    ("item-method-with-self", "the item the attribute is on"),
    ("item-not-a-function", "the item the attribute is on"),
    (
        "invalid-policy-does-not-cascade",
        "checks that no type error follows",
    ),
    (
        "max-age-as-string",
        "a string where Rust syntax wants a number",
    ),
    (
        "max-age-negative",
        "a negative literal; the builder takes a u64",
    ),
    ("max-age-not-an-integer", "a value of the wrong Rust type"),
    ("header-list-in-one-string", "a string without brackets"),
    (
        "env-default-any-with-credentials",
        "the `env(..)` form; its start-up errors are env.rs's",
    ),
    (
        "env-default-bad-origin",
        "the `env(..)` form; its start-up errors are env.rs's",
    ),
    ("env-name-empty", "the `env(..)` form"),
    ("env-name-not-a-string", "the `env(..)` form"),
    ("env-name-with-value", "the `env(..)` form"),
    ("env-on-methods", "the `env(..)` form"),
    ("env-unknown-argument", "the `env(..)` form"),
    (
        "method-not-a-name",
        "an entry that is neither an ident nor a string",
    ),
    ("methods-not-a-list", "an ident without brackets"),
    (
        "origins-any-in-brackets",
        "`[\"*\"]` is the builder's wildcard",
    ),
    (
        "policy-key-in-policy-macro",
        "`policy = BASE` merges consts",
    ),
    ("policy-not-a-path", "`policy = BASE` merges consts"),
    (
        "policy-merge-any-origin-over-credentials",
        "`policy = BASE` merges consts",
    ),
    (
        "policy-merge-credentials-over-any-header",
        "`policy = BASE` merges consts",
    ),
    (
        "policy-merge-credentials-over-any-origin",
        "`policy = BASE` merges consts",
    ),
    (
        "policy-merge-credentials-over-insecure-origin",
        "`policy = BASE` merges consts",
    ),
    (
        "policy-merge-insecure-origin-over-credentials",
        "`policy = BASE` merges consts",
    ),
    (
        "policy-merge-private-network-over-any-origin",
        "`policy = BASE` merges consts",
    ),
    ("route-any-twice", "route!"),
    ("route-handler-without-cors", "route!"),
    ("route-method-not-in-methods", "route!"),
    ("route-method-twice", "route!"),
];

/// The arguments of the case's `#[cors(...)]` or `policy!(...)`.
fn policy_args(source: &str) -> Option<proc_macro2::TokenStream> {
    let file = syn::parse_file(source).ok()?;
    let mut found = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Fn(f) => {
                for attr in f.attrs {
                    if attr.path().is_ident("cors") {
                        found.push(attr.meta.require_list().ok()?.tokens.clone());
                    }
                }
            }
            syn::Item::Const(c) => {
                if let Expr::Macro(m) = *c.expr {
                    if m.mac.path.is_ident("policy") {
                        found.push(m.mac.tokens);
                    }
                }
            }
            _ => {}
        }
    }
    // One policy per case keeps the comparison exact.
    (found.len() == 1).then(|| found.remove(0))
}

/// An entry written as a string literal or an ident (`GET`).
fn entry(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// The builder with the case's keys, or `None` when a value has no run-time form.
fn builder(args: proc_macro2::TokenStream) -> Option<PolicyBuilder> {
    let parser = Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated;
    let pairs = syn::parse::Parser::parse2(parser, args).ok()?;
    let mut b = CorsPolicy::builder();
    for pair in pairs {
        let key = pair.path.get_ident()?.to_string();
        let value = &pair.value;
        let list = || -> Option<Vec<String>> {
            match value {
                Expr::Lit(l) if matches!(&l.lit, Lit::Str(s) if s.value() == "*") => {
                    Some(vec!["*".to_owned()])
                }
                Expr::Array(a) => a.elems.iter().map(entry).collect(),
                _ => None,
            }
        };
        let flag = || match value {
            Expr::Lit(l) => match &l.lit {
                Lit::Bool(b) => Some(b.value),
                _ => None,
            },
            _ => None,
        };
        b = match key.as_str() {
            "origins" => b.origins(list()?),
            "methods" => b.methods(list()?),
            "headers" => b.headers(list()?),
            "expose_headers" => b.expose_headers(list()?),
            "credentials" => b.credentials(flag()?),
            "private_network" => b.private_network(flag()?),
            "dangerously_allow_insecure_origins" => b.dangerously_allow_insecure_origins(flag()?),
            "max_age" => match value {
                Expr::Lit(l) => match &l.lit {
                    Lit::Int(i) => b.max_age(i.base10_parse().ok()?),
                    _ => return None,
                },
                _ => return None,
            },
            // The other mistakes of a case are still compared (see
            // `compile_errors`); a builder has no unknown keys.
            _ if !matches!(key.as_str(), "policy") => b,
            _ => return None,
        };
    }
    Some(b)
}

/// The first line of every error in a `.stderr` but unknown keys, with the front end's name
/// in the messages that name it replaced by the run-time one.
fn compile_errors(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("error: "))
        .filter(|m| !m.starts_with("unknown key"))
        .map(|m| {
            m.replace("#[cors(...)]", "the policy")
                .replace("policy!(...)", "the policy")
        })
        .collect()
}

#[test]
fn every_value_mistake_gets_the_same_sentence_at_run_time() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut compared = Vec::new();
    let mut unclassified = Vec::new();
    let mut different = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let listed = SYNTAX_ONLY.iter().any(|(n, _)| *n == name);
        let source = std::fs::read_to_string(&path).unwrap();
        let stderr = std::fs::read_to_string(path.with_extension("stderr")).unwrap();
        let Some(b) = policy_args(&source).and_then(builder) else {
            if !listed {
                unclassified.push(name);
            }
            continue;
        };
        if listed {
            continue;
        }
        let expected = compile_errors(&stderr);
        let got: BTreeSet<String> = match b.build() {
            Ok(_) => BTreeSet::new(),
            Err(e) => e
                .mistakes()
                .iter()
                .map(|m| m.message().to_owned())
                .collect(),
        };
        if got == expected {
            compared.push(name);
        } else {
            different.push(format!(
                "{name}:\n  compile: {expected:#?}\n  run time: {got:#?}"
            ));
        }
    }
    assert!(
        different.is_empty(),
        "different sentences:\n{}",
        different.join("\n")
    );
    assert!(
        unclassified.is_empty(),
        "UI cases with no run-time form that SYNTAX_ONLY does not list: {unclassified:?}"
    );
    println!("{} UI cases compared: {compared:?}", compared.len());
    // Most cases are about values; a parser regression would shrink this.
    assert!(
        compared.len() >= 70,
        "only {} compared: {compared:?}",
        compared.len()
    );
}
