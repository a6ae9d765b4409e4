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
#![warn(missing_docs)]

mod conflict;
pub mod origin;
mod public_suffix;
mod values;

#[cfg(test)]
mod tests;

pub use conflict::{Conflict, Facts, Inherited};
pub use origin::OriginPattern;

/// One entry of a list-valued key as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<L> {
    /// The entry's text (a string literal's value, or an ident such as `GET`).
    pub text: String,
    /// Where it was written; the mistakes of this entry are reported here.
    pub at: L,
}

/// A list-valued key as written: `"*"` on its own, or entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum List<L> {
    /// `"*"`.
    Any,
    /// `[...]`; empty for `key = []`, which is a mistake of its own.
    Items(Vec<Item<L>>),
}

/// A key as written: its value, and where the whole `key = value` stands
/// (the location of the rules that combine keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<L, T> {
    /// The value as written.
    pub value: T,
    /// Where the key stands: the rules between keys, and the mistakes of the
    /// value as a whole (`key = []`, a `max_age` too large), are reported here.
    /// The macros point it at the value alone for the latter (no rule between
    /// keys involves an empty list or `max_age`).
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
    /// `origins = "*" | [...]` (for `env("NAME", default = [...])`, the default).
    pub origins: Option<Key<L, List<L>>>,
    /// `origins = env("NAME")` without a default: the origins are only known
    /// at start-up, so `origins` is not missing and the rules that depend on
    /// its value wait for [`check_origins`].
    pub origins_at_startup: bool,
    /// `methods = "*" | [GET, "PURGE"]`.
    pub methods: Option<Key<L, List<L>>>,
    /// `headers = "*" | [...]`.
    pub headers: Option<Key<L, List<L>>>,
    /// `expose_headers = "*" | [...]`.
    pub expose_headers: Option<Key<L, List<L>>>,
    /// `credentials = true | false`.
    pub credentials: Option<Key<L, bool>>,
    /// `max_age = seconds`, as parsed by the front end (at most
    /// [`MAX_AGE_LIMIT`] passes).
    pub max_age: Option<Key<L, u64>>,
    /// `private_network = true | false`.
    pub private_network: Option<Key<L, bool>>,
    /// `dangerously_allow_insecure_origins = true | false` ([`INSECURE_KEY`]).
    pub allow_insecure: Option<Key<L, bool>>,
    /// `origins` as given here is not all there is: the front end rejected
    /// some or all of what was written for it (or for `policy`, or a key that
    /// is a typo of `origins`), or it is the default of
    /// `env("NAME", default = [...])`, which start-up may replace. `origins`
    /// is then not missing, and the rules about which origins the list holds
    /// as a whole (`dangerously_allow_insecure_origins` having no effect)
    /// stay quiet rather than report a consequence of that.
    pub origins_partial: bool,
    /// Where the policy as a whole stands, for a key left out (`origins`).
    /// When `None`, that is reported at the first key given.
    pub at: Option<L>,
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
            origins_partial: false,
            at: None,
            base: None,
        }
    }
}

/// One mistake: where, and the sentence (what is wrong, why a browser would
/// not honour it, and the fix after a semicolon).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake<L> {
    /// Where: an entry's location, or a key's for the rules between keys.
    pub at: L,
    /// The sentence, in rustc's register (lower case, no trailing period).
    pub message: String,
    /// Whether the mistake is a missing key or a rule between keys (a
    /// [`Conflict`], an opt-in without effect) rather than one key's value.
    /// [`check`] returns these last; a front end that reports mistakes in the
    /// order keys are written keeps them last too.
    pub between_keys: bool,
}

/// A policy whose keys all passed, in the form the runtime's tables take.
/// Keys left out are `None` (their defaults are the runtime's to apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<L> {
    /// `origins`, as tables.
    pub origins: Option<Origins<L>>,
    /// `methods`.
    pub methods: Option<Methods>,
    /// `headers`, sorted and joined.
    pub headers: Option<Headers>,
    /// `expose_headers`, joined.
    pub expose: Option<Expose>,
    /// `credentials`.
    pub credentials: Option<bool>,
    /// `max_age`, at most [`MAX_AGE_LIMIT`].
    pub max_age: Option<u32>,
    /// `private_network`.
    pub private_network: Option<bool>,
    /// `dangerously_allow_insecure_origins = true`.
    pub allow_insecure: bool,
}

/// Checked `origins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins<L> {
    /// `origins = "*"`.
    Any,
    /// Exact origins and patterns.
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
    /// `http` or `https`.
    pub scheme: String,
    /// The host (for a subdomain pattern, the apex under which it matches).
    pub host: String,
    /// `"*"` for any port, `""` for the scheme's default, or digits.
    pub port: String,
}

/// Checked `methods`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Methods {
    /// `methods = "*"`.
    Any,
    /// As written (exact bytes), in the order written.
    List(Vec<String>),
}

/// Checked `headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headers {
    /// `headers = "*"`, or `["*", "authorization"]` (`authorization`).
    Any {
        /// Whether `Authorization`, which no wildcard covers, is allowed too.
        authorization: bool,
    },
    /// Lower-case names: `sorted` for lookups, `joined` (`", "`, in the order
    /// written) for `Access-Control-Allow-Headers`.
    List {
        /// Sorted by bytes, for binary search.
        sorted: Vec<String>,
        /// The header value, in the order written.
        joined: String,
    },
}

/// Checked `expose_headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expose {
    /// `expose_headers = "*"`.
    Any,
    /// Lower-case names joined with `", "` for `Access-Control-Expose-Headers`.
    List(String),
}

impl<L> Checked<L> {
    /// What the rules between keys look at, for this policy alone (keys left
    /// out count as their defaults: no wildcard, no flag).
    pub fn facts(&self) -> Facts {
        let origins = self.origins.as_ref();
        Facts {
            credentials: self.credentials == Some(true),
            any_origin: matches!(origins, Some(Origins::Any)),
            any_method: matches!(self.methods, Some(Methods::Any)),
            any_header: matches!(self.headers, Some(Headers::Any { .. })),
            any_expose: matches!(self.expose, Some(Expose::Any)),
            insecure_origin: !self.allow_insecure
                && matches!(origins, Some(Origins::List(t)) if !t.insecure.is_empty()),
            private_network: self.private_network == Some(true),
        }
    }
}

/// The longest preflight cache any browser honours (Firefox); Chromium stops at 7200.
pub const MAX_AGE_LIMIT: u32 = 86_400;

/// The opt-in for plain-`http` origins under credentials; named so that it
/// stands out in review.
pub const INSECURE_KEY: &str = "dangerously_allow_insecure_origins";

/// Checks every key, then every rule between keys given in `draft`. All
/// mistakes are returned together: those of single keys first (in the order
/// of [`Draft`]'s fields), then a missing key and the rules between keys
/// (marked [`Mistake::between_keys`]).
///
/// # Panics
///
/// When `origins` is missing and the draft has neither [`Draft::at`] nor any
/// key to locate that at.
pub fn check<L: Clone>(draft: Draft<L>, site: Site) -> Result<Checked<L>, Vec<Mistake<L>>> {
    values::check(draft, site)
}

/// Checks an origin list read at start-up (`origins = env("NAME")`): each
/// entry, the list as a whole, and the rules between it and `rest`, the facts
/// of the policy's other keys. `at` locates the whole list (for `"*"` and for
/// the rules between keys). With `allow_insecure`, plain-`http` origins pass
/// under credentials.
pub fn check_origins<L: Clone>(
    list: List<L>,
    at: L,
    rest: &Facts,
    allow_insecure: bool,
) -> Result<Origins<L>, Vec<Mistake<L>>> {
    values::check_origins(list, at, rest, allow_insecure)
}
