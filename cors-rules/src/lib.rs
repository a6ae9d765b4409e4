//! Implementation detail of [`cors-runtime`](https://docs.rs/cors-runtime):
//! every rule of a CORS policy, written once, for both of its front ends.
//!
//! - `cors-macros` reads `#[cors(...)]` / `policy!(...)` tokens into a
//!   [`Draft`] whose locations are spans, calls [`check`], and turns each
//!   [`Mistake`] into a compile error at its span.
//! - `cors-runtime` reads an environment variable or a builder into a
//!   [`Draft`] whose locations say which key or entry, calls the same
//!   [`check`] (or [`check_origins`] for an `env(...)` origin list), and
//!   reports every [`Mistake`] at once before the server starts.
//!
//! The rules that combine two keys are one table, [`Conflict`]: each rule's
//! condition is a `const fn` over [`Facts`], so the runtime can also evaluate
//! it at compile time for policies merged with `policy = BASE`.

#![forbid(unsafe_code)]

mod conflict;
pub mod origin;

pub use conflict::{Conflict, Facts, Inherited};
pub use origin::OriginPattern;

/// One entry of a list-valued key as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<L> {
    pub text: String,
    pub at: L,
}

/// A list-valued key as written: `"*"` on its own, or entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum List<L> {
    Any,
    Items(Vec<Item<L>>),
}

/// A key as written: its value, and where the whole `key = value` stands
/// (the location of the rules that combine keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<L, T> {
    pub value: T,
    pub at: L,
}

/// Which front end a policy comes from, for the messages that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// `#[cors(...)]` on a handler.
    Attribute,
    /// `policy!(...)`.
    PolicyMacro,
    /// `CorsPolicy::builder()` or a deserialized config, at start-up.
    Runtime,
}

/// A policy's keys as written, before any check. Keys left out are `None`.
#[derive(Debug, Clone)]
pub struct Draft<L> {
    pub origins: Option<Key<L, List<L>>>,
    /// `origins = env("NAME")` without a default: the origins are only known
    /// at start-up, so `origins` is not missing and the rules that depend on
    /// its value wait for [`check_origins`].
    pub origins_at_startup: bool,
    pub methods: Option<Key<L, List<L>>>,
    pub headers: Option<Key<L, List<L>>>,
    pub expose_headers: Option<Key<L, List<L>>>,
    pub credentials: Option<Key<L, bool>>,
    pub max_age: Option<Key<L, u64>>,
    pub private_network: Option<Key<L, bool>>,
    pub allow_insecure: Option<Key<L, bool>>,
    /// `policy = BASE` in `#[cors(...)]`, as written (`BASE`): the keys left
    /// out come from it, and the rules between a key written here and one of
    /// `BASE` are the caller's to evaluate (see [`Conflict`]).
    pub base: Option<String>,
}

impl<L> Default for Draft<L> {
    fn default() -> Self {
        Self {
            origins: None,
            origins_at_startup: false,
            methods: None,
            headers: None,
            expose_headers: None,
            credentials: None,
            max_age: None,
            private_network: None,
            allow_insecure: None,
            base: None,
        }
    }
}

/// One mistake: where, and the sentence (what is wrong, why a browser would
/// not honour it, and the fix after a semicolon).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake<L> {
    pub at: L,
    pub message: String,
}

/// A policy whose keys all passed, in the form the runtime's tables take.
/// Keys left out are `None` (their defaults are the runtime's to apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<L> {
    pub origins: Option<Origins<L>>,
    pub methods: Option<Methods>,
    pub headers: Option<Headers>,
    pub expose: Option<Expose>,
    pub credentials: Option<bool>,
    pub max_age: Option<u32>,
    pub private_network: Option<bool>,
    pub allow_insecure: bool,
}

/// Checked `origins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins<L> {
    Any,
    List(OriginTables<L>),
}

/// Checked origin entries, sorted in the byte order the runtime's binary
/// searches use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginTables<L> {
    /// Exact serialized origins, sorted.
    pub exact: Vec<String>,
    /// `scheme://host:*` patterns (`port` is `"*"`), sorted by (scheme, host, port).
    pub any_port: Vec<HostPattern>,
    /// `scheme://*.host[:port]` patterns (`port` `""` for the default, or `"*"`), sorted.
    pub subdomains: Vec<HostPattern>,
    /// The entries that are plain `http` off loopback, as written.
    pub insecure: Vec<Item<L>>,
}

/// The fixed parts of an origin pattern.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostPattern {
    pub scheme: String,
    pub host: String,
    pub port: String,
}

/// Checked `methods`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Methods {
    Any,
    /// As written (exact bytes), in the order written.
    List(Vec<String>),
}

/// Checked `headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headers {
    Any {
        authorization: bool,
    },
    /// Lower-case names: `sorted` for lookups, `joined` (`", "`, in the order
    /// written) for `Access-Control-Allow-Headers`.
    List { sorted: Vec<String>, joined: String },
}

/// Checked `expose_headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expose {
    Any,
    /// Lower-case names joined with `", "` for `Access-Control-Expose-Headers`.
    List(String),
}

/// The longest preflight cache any browser honours (Firefox); Chromium stops at 7200.
pub const MAX_AGE_LIMIT: u32 = 86_400;

/// The opt-in for plain-`http` origins under credentials; named so that it
/// stands out in review.
pub const INSECURE_KEY: &str = "dangerously_allow_insecure_origins";

/// Checks every key, then every rule between keys given in `draft`. All
/// mistakes are returned together.
pub fn check<L: Clone>(draft: Draft<L>, site: Site) -> Result<Checked<L>, Vec<Mistake<L>>> {
    let _ = (draft, site);
    todo!("moved from cors-macros' valid.rs")
}

/// Checks an origin list read at start-up (`origins = env("NAME")`): each
/// entry, the list as a whole, and the rules between it and `rest`, the facts
/// of the policy's other keys. `at` locates the whole list (for `"*"` and for
/// the rules between keys).
pub fn check_origins<L: Clone>(
    list: List<L>,
    at: L,
    rest: &Facts,
    allow_insecure: bool,
) -> Result<Origins<L>, Vec<Mistake<L>>> {
    let _ = (list, at, rest, allow_insecure);
    todo!("the origins part of `check`, and `Conflict` over the result")
}
