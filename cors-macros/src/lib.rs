//! Implementation detail of [`cors-runtime`](https://docs.rs/cors-runtime):
//! use the macros through that crate, which documents them.
//!
//! The macros read as parse → validate → expand:
//!
//! 1. `attr` reads the `key = value` syntax;
//! 2. `valid` checks the shape of each value (a list, a string literal, a
//!    bool, `env(...)`, ...), builds a `cors_rules::Draft` located by tokens,
//!    and runs `cors_rules::check`, which holds every rule of meaning (the
//!    origin grammar, methods, headers, `max_age`, and the rules between keys
//!    as the `cors_rules::Conflict` table); all errors land in a `Ctxt`, in
//!    the order the keys are written;
//! 3. `expand` writes the `const` policy through the checked constructors of
//!    `cors_runtime::__private` (cors-runtime's `contract.rs`), and, for
//!    `policy = BASE`, one `const` check per `Conflict` between a key given
//!    and one of `BASE`, evaluated on the merged policy.
//!
//! # Adding a key
//!
//! 1. `cors-rules/src/lib.rs`: a field in `Draft` and in `Checked`; its value
//!    rules in `values.rs` (`check`). If it conflicts with another key: a
//!    `Facts` field and a `Conflict` variant (`sides`, `keys`, `message`,
//!    `summary`), which both macros and the runtime then apply.
//! 2. `cors-macros/src/valid.rs`: the name in `KEYS` and a match arm that
//!    reads its shape into the `Draft`.
//! 3. `cors-macros/src/expand.rs`: `policy_tokens` passes it to `Parts` and
//!    `Overrides`.
//! 4. `cors-runtime`: the `CorsPolicy` and `Overrides` fields (`policy.rs`),
//!    `Parts`, `policy`, `merge`, `deny_all` and, for a conflict, `facts`
//!    (`contract.rs`), and the engine that answers with it.
//! 5. Docs and tests: the key table below, a UI test per new message and its
//!    entry in `docs/diagnostics.md`.

#![forbid(unsafe_code)]

mod attr;
mod ctxt;
mod expand;
mod handler;
mod valid;

use proc_macro::TokenStream;

/// Gives an axum handler its own CORS policy, checked at compile time.
///
/// ```
/// use cors_runtime::cors;
///
/// #[cors(
///     origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
///     methods = [GET, PUT],
///     headers = ["content-type", "x-api-key"],
///     expose_headers = ["x-request-id"],
///     credentials = true,
///     max_age = 600,
/// )]
/// async fn update_user() -> &'static str { "ok" }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// // The fn stays callable exactly as written.
/// assert_eq!(update_user().await, "ok");
/// # }
/// ```
///
/// Route it with [`route!`](https://docs.rs/cors-runtime/latest/cors_runtime/macro.route.html),
/// which finds the policy from the handler's path (`route!(put(api::update_user))`).
///
/// # Keys
///
/// | key | value | default |
/// |---|---|---|
/// | `origins` | `"*"`, or a list of origins: exact (`"https://app.example.com"`), subdomain patterns (`"https://*.example.org"`: one or more labels, never the apex) and port patterns (`"http://localhost:*"`); or `env("NAME")` / `env("NAME", default = [...])` to read the list from an environment variable at start-up (the default is checked like a list written in place) | required, unless `policy` gives it |
/// | `methods` | `"*"`, or a list of idents (`GET`) and strings for extension methods (`"PURGE"`) | the methods `route!` routes the handler on |
/// | `headers` | `"*"` (any request header but `Authorization`), `["*", "authorization"]`, or a list of names | none beyond the CORS-safelisted ones |
/// | `expose_headers` | `"*"` or a list of response header names | only the CORS-safelisted ones |
/// | `credentials` | `true` / `false` | `false` |
/// | `max_age` | seconds, `0..=86400` | none (browsers cache a preflight for 5 s) |
/// | `private_network` | `true` / `false`: answer Private Network Access preflights | `false` |
/// | `policy` | path of a `const` from `policy!`, whose keys this attribute overrides | none |
/// | `dangerously_allow_insecure_origins` | `true`: accept plain-`http` origins off loopback with `credentials = true` | `false` |
///
/// # Errors
///
/// Every mistake a browser would not honour as written is a compile error at
/// the offending token, with the fix where there is one; all mistakes of an
/// attribute are reported together, and the handler is still emitted so that
/// nothing else cascades. For example:
///
/// ```text
/// error: origin `https://app.example.com/` never matches: browsers send an origin without a trailing `/`; write `https://app.example.com`
///  --> src/main.rs:3:19
///   |
/// 3 | #[cors(origins = ["https://app.example.com/"])]
///   |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^
/// ```
///
/// The full list is in `docs/diagnostics.md` of the repository.
///
/// `#[cors]` goes on free fns only (not methods in an `impl` block, not generic
/// fns), and the fn's name must not also name a type in the same module: the
/// attribute adds a same-named struct that carries the policy.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::cors(args.into(), input.into()).into()
}

/// A named CORS policy, checked at compile time, for a `const`.
///
/// Takes the keys of [`#[cors]`](macro@cors) except `policy`. Use it to share
/// a policy between handlers, `#[cors(policy = DASHBOARD, max_age = 60)]`, or
/// router-wide with `CorsLayer::new(&DASHBOARD)`.
///
/// ```
/// use cors_runtime::{policy, CorsPolicy};
///
/// const DASHBOARD: CorsPolicy = policy!(
///     origins = ["https://dashboard.example.com"],
///     credentials = true,
/// );
/// ```
///
/// Keys given in `#[cors(policy = DASHBOARD, ...)]` replace `DASHBOARD`'s;
/// a combination that only becomes invalid after that merge, such as
/// `credentials = true` over a base with `origins = "*"`, is still a compile
/// error, spanned at the key given in the attribute and naming the base.
#[proc_macro]
pub fn policy(args: TokenStream) -> TokenStream {
    expand::policy(args.into()).into()
}
