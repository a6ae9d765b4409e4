//! The policy table that `#[cors]` and [`policy!`](crate::policy!) emit as a `const`.
//!
//! Everything in a [`CorsPolicy`] is `'static` plain data: origin tables sorted
//! at compile time, header values joined at compile time. That keeps it usable
//! in `const` items and lets `&POLICY` be promoted to a `&'static CorsPolicy`.

use crate::origin::OriginList;

/// A validated CORS policy, built at compile time.
///
/// You never write one by hand: [`policy!`](crate::policy!) builds a named one
/// and [`#[cors]`](crate::cors) builds one per handler. Both check every value
/// while your crate compiles, so a `CorsPolicy` that exists is one a browser
/// will honour the way it reads.
///
/// ```
/// use cors_runtime::{policy, CorsPolicy};
///
/// const DASHBOARD: CorsPolicy = policy!(
///     origins = ["https://dashboard.example.com"],
///     headers = ["content-type"],
///     credentials = true,
///     max_age = 600,
/// );
/// assert!(DASHBOARD.allows_credentials());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorsPolicy {
    pub(crate) origins: Origins,
    pub(crate) methods: Methods,
    pub(crate) headers: RequestHeaders,
    pub(crate) expose: ExposeHeaders,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<&'static str>,
    pub(crate) private_network: bool,
}

/// Which origins may read responses (`Access-Control-Allow-Origin`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origins {
    /// `origins = "*"`: answered with `*`, never together with credentials.
    Any,
    /// Exact origins and patterns, matched byte for byte.
    List(OriginList),
    /// `origins = env("NAME")`: read once, when the router or layer that uses
    /// the policy is built, and checked then (see [`crate::PolicyError`]).
    /// Never seen by a request: building replaces it with the list read.
    Env(&'static EnvOrigins),
}

/// Where `origins = env("NAME", default = [...])` reads its origins.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvOrigins {
    /// The environment variable.
    pub name: &'static str,
    /// The origins when the variable is unset, checked at compile time.
    pub default: Option<Origins>,
    /// `dangerously_allow_insecure_origins = true` in the same policy.
    pub allow_insecure: bool,
}

/// Which methods a preflight may ask for (`Access-Control-Allow-Methods`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methods {
    /// `methods` left out: whatever `route!` routes the handler on.
    Routed,
    /// `methods = "*"`: any method but the forbidden ones.
    Any,
    /// An explicit list, compared byte for byte (`patch` is not `PATCH`).
    List(MethodList),
}

/// The methods of `methods = [...]`, as written; built by
/// [`Methods::list`](crate::__private::Methods::list), which checks them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodList(pub(crate) &'static [&'static str]);

/// Which request headers a preflight may ask for (`Access-Control-Allow-Headers`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestHeaders {
    /// Named headers; built by
    /// [`RequestHeaders::list`](crate::__private::RequestHeaders::list).
    List(HeaderList),
    /// `headers = "*"`: any header but `Authorization`, which the Fetch
    /// standard never lets a wildcard cover, unless it is listed too.
    Any { authorization: bool },
}

/// The request headers of `headers = [...]`: `sorted` holds the lower-case
/// names in byte order for lookups, `header` the value sent back, joined at
/// compile time.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderList {
    pub(crate) sorted: &'static [&'static str],
    pub(crate) header: &'static str,
}

/// Which response headers a page may read (`Access-Control-Expose-Headers`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposeHeaders {
    /// Only the CORS-safelisted response headers.
    None,
    /// `expose_headers = "*"`, never together with credentials.
    Any,
    /// The header value, joined at compile time.
    List(&'static str),
}

/// The keys a `#[cors(policy = BASE, ...)]` attribute sets itself; the rest
/// comes from `BASE`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Overrides {
    pub origins: Option<Origins>,
    pub methods: Option<Methods>,
    pub headers: Option<RequestHeaders>,
    pub expose: Option<ExposeHeaders>,
    pub credentials: Option<bool>,
    pub max_age: Option<Option<&'static str>>,
    pub private_network: Option<bool>,
    /// `dangerously_allow_insecure_origins = true` given with the keys: it
    /// also covers plain-`http` origins inherited from the base.
    pub allow_insecure: bool,
}

impl CorsPolicy {
    /// Whether responses carry `Access-Control-Allow-Credentials: true`.
    ///
    /// ```
    /// const P: cors_runtime::CorsPolicy = cors_runtime::policy!(origins = "*");
    /// assert!(!P.allows_credentials());
    /// ```
    pub const fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// Whether every origin is allowed (`origins = "*"`).
    ///
    /// ```
    /// const P: cors_runtime::CorsPolicy = cors_runtime::policy!(origins = "*");
    /// assert!(P.allows_any_origin());
    /// ```
    pub const fn allows_any_origin(&self) -> bool {
        matches!(self.origins, Origins::Any)
    }
}

pub(crate) const fn contains(list: &[&str], item: &str) -> bool {
    position(list, item).is_some()
}

/// Where `item` first sits in `list`: a `const` `iter().position(..)`.
pub(crate) const fn position(list: &[&str], item: &str) -> Option<usize> {
    let mut i = 0;
    while i < list.len() {
        if str_eq(list[i], item) {
            return Some(i);
        }
        i += 1;
    }
    None
}

pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
