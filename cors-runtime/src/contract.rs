//! The contract between the code the macros write and this crate: the one
//! surface that `#[cors]`, `policy!` and `route!` expand to, re-exported as
//! `cors_runtime::__private`. Not public API: it may change in any release,
//! together with `cors-macros`, whose version is pinned exactly.
//!
//! Everything the generated code builds goes through a `const fn` here that
//! checks what the runtime relies on, so a policy cannot be put together by
//! hand with, say, an unsorted table that binary searches would silently
//! miss. The checks run while the `const` is evaluated: a violation is a
//! compile error, never a runtime cost.
//!
//! | item | called by | checks |
//! |---|---|---|
//! | [`policy`] | `policy!`, `#[cors]` without `policy = BASE`, and `CorsPolicy::builder` | no [`Conflict`] holds |
//! | [`merge`] | `#[cors(policy = BASE, ...)]` | nothing: the macro checks each [`Conflict`] between a key given and one of `BASE` on the result, with [`facts`], so the error points at the key |
//! | [`deny_all`] | both macros, in place of a policy with errors | - |
//! | [`facts`] | `#[cors(policy = BASE, ...)]`'s checks, and start-up (`origins = env(...)` against the other keys) | - |
//! | [`may_route`] | `route!` | - (it is the check: the handler's `methods` allow the method it is routed on) |
//! | [`OriginList::new`] | both macros, start-up and the builder | each table strictly sorted (so without duplicates) as the lookups search it, entries non-empty and lower-case |
//! | [`Methods::list`] | both macros | each method a token, none twice |
//! | [`RequestHeaders::list`] | both macros | `sorted` strictly sorted lower-case tokens |
//! | `EnvOrigins` | `origins = env(...)` | its default as a list; the variable at start-up, with `cors_rules::check_origins` (`startup.rs`) |
//! | `HandlerPolicy` | `#[cors]` (impl), `route!` (reads it) | - |
//! | `Engine`, `RouteEngines`, `method`, `method_router`, ... | `route!` | see `route.rs` |

use cors_rules::Facts;

use crate::origin::{HostPattern, OriginList};
use crate::policy::{
    contains, str_eq, CorsPolicy, ExposeHeaders, HeaderList, MethodList, Methods, Origins,
    Overrides, RequestHeaders,
};

pub use cors_rules::Conflict;

/// Every key of a policy written without `policy = BASE`, with the macros'
/// defaults filled in.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// `origins`.
    pub origins: Origins,
    /// `methods`, or [`Methods::Routed`].
    pub methods: Methods,
    /// `headers`, or an empty [`RequestHeaders::list`].
    pub headers: RequestHeaders,
    /// `expose_headers`, or [`ExposeHeaders::None`].
    pub expose: ExposeHeaders,
    /// `credentials`, or `false`.
    pub credentials: bool,
    /// `max_age` as the header value, or `None`.
    pub max_age: Option<&'static str>,
    /// `private_network`, or `false`.
    pub private_network: bool,
}

/// The policy of `parts`. A policy that breaks a rule between keys is
/// rejected (a compile error in a `const`): the macros never build one.
pub const fn policy(parts: Parts) -> CorsPolicy {
    let policy = CorsPolicy {
        origins: parts.origins,
        methods: parts.methods,
        headers: parts.headers,
        expose: parts.expose,
        credentials: parts.credentials,
        max_age: parts.max_age,
        private_network: parts.private_network,
    };
    match Conflict::first(&facts(&policy)) {
        None => policy,
        Some(conflict) => reject(conflict),
    }
}

const fn reject(conflict: Conflict) -> ! {
    match conflict {
        Conflict::CredentialsAnyOrigin => panic!("a CorsPolicy not built by #[cors]/policy!: `credentials = true` with `origins = \"*\"`"),
        Conflict::CredentialsAnyMethod => panic!("a CorsPolicy not built by #[cors]/policy!: `credentials = true` with `methods = \"*\"`"),
        Conflict::CredentialsAnyHeader => panic!("a CorsPolicy not built by #[cors]/policy!: `credentials = true` with `headers = \"*\"`"),
        Conflict::CredentialsAnyExpose => panic!("a CorsPolicy not built by #[cors]/policy!: `credentials = true` with `expose_headers = \"*\"`"),
        Conflict::CredentialsInsecureOrigin => panic!("a CorsPolicy not built by #[cors]/policy!: `credentials = true` with a plain-http origin off loopback"),
        Conflict::PrivateNetworkAnyOrigin => panic!("a CorsPolicy not built by #[cors]/policy!: `private_network = true` with `origins = \"*\"`"),
    }
}

/// `base` with the keys of `over` replaced: `#[cors(policy = BASE, ...)]`.
/// The rules between a key of `over` and one of `base` are the macro's to
/// check on the result (with [`facts`]), each at the key written.
pub const fn merge(base: &CorsPolicy, over: Overrides) -> CorsPolicy {
    macro_rules! pick {
        ($field:ident) => {
            match over.$field {
                Some(v) => v,
                None => base.$field,
            }
        };
    }
    let mut origins = pick!(origins);
    // The opt-in given here covers the plain-http origins of `base` too.
    if let (true, None, Origins::List(list)) = (over.allow_insecure, over.origins, origins) {
        origins = Origins::List(OriginList {
            insecure: false,
            ..list
        });
    }
    CorsPolicy {
        origins,
        methods: pick!(methods),
        headers: pick!(headers),
        expose: pick!(expose),
        credentials: pick!(credentials),
        max_age: pick!(max_age),
        private_network: pick!(private_network),
    }
}

/// The policy that allows nothing. The macros emit it in place of a policy
/// that failed to compile, so one mistake does not cascade into type errors.
pub const fn deny_all() -> CorsPolicy {
    CorsPolicy {
        origins: Origins::List(OriginList::EMPTY),
        methods: Methods::Routed,
        headers: RequestHeaders::List(HeaderList {
            sorted: &[],
            header: "",
        }),
        expose: ExposeHeaders::None,
        credentials: false,
        max_age: None,
        private_network: false,
    }
}

/// What the rules between keys look at. `origins = env(...)` counts as its
/// default (no origin without one) until start-up reads the variable.
pub const fn facts(policy: &CorsPolicy) -> Facts {
    let (any_origin, insecure_origin) = origin_facts(&policy.origins);
    Facts {
        credentials: policy.credentials,
        any_origin,
        any_method: matches!(policy.methods, Methods::Any),
        any_header: matches!(policy.headers, RequestHeaders::Any { .. }),
        any_expose: matches!(policy.expose, ExposeHeaders::Any),
        insecure_origin,
        private_network: policy.private_network,
    }
}

const fn origin_facts(origins: &Origins) -> (bool, bool) {
    match origins {
        Origins::Any => (true, false),
        Origins::List(list) => (false, list.insecure),
        Origins::Env(env) => match &env.default {
            Some(default) => origin_facts(default),
            None => (false, false),
        },
    }
}

/// Whether a handler with `policy` may be routed on `method` (the upper-case
/// name axum routes it under, or `*` for `any(..)`): `route!`'s check. HEAD is
/// covered by GET, as axum serves HEAD from a GET handler.
pub const fn may_route(policy: &CorsPolicy, method: &str) -> bool {
    // `any(..)` takes the methods routed to no other handler; the preflight
    // still checks each against the list.
    if str_eq(method, "*") {
        return true;
    }
    match policy.methods {
        Methods::Routed | Methods::Any => true,
        Methods::List(MethodList(list)) => {
            contains(list, method) || (str_eq(method, "HEAD") && contains(list, "GET"))
        }
    }
}

impl OriginList {
    /// The origin tables of a policy. Each table must be strictly sorted in
    /// the order its lookups search it (bytes; patterns by scheme, host,
    /// port), which also rules out duplicates, and hold non-empty lower-case
    /// entries; `insecure` says whether an entry is plain `http` off loopback
    /// without the opt-in.
    pub const fn new(
        exact: &'static [&'static str],
        any_port: &'static [HostPattern],
        subdomains: &'static [HostPattern],
        insecure: bool,
    ) -> Self {
        let mut i = 0;
        while i < exact.len() {
            assert!(
                is_lower(exact[i]),
                "OriginList::new: an exact origin is empty or not lower-case"
            );
            assert!(
                i == 0 || less(exact[i - 1], exact[i]),
                "OriginList::new: exact origins are not strictly sorted"
            );
            i += 1;
        }
        check_patterns(any_port);
        check_patterns(subdomains);
        Self {
            exact,
            any_port,
            subdomains,
            insecure,
        }
    }
}

const fn check_patterns(table: &[HostPattern]) {
    let mut i = 0;
    while i < table.len() {
        let p = &table[i];
        assert!(
            is_lower(p.scheme) && is_lower(p.host) && (p.port.is_empty() || is_lower(p.port)),
            "OriginList::new: a pattern's scheme or host is empty or not lower-case"
        );
        if i > 0 {
            let q = &table[i - 1];
            let sorted = less(q.scheme, p.scheme)
                || (str_eq(q.scheme, p.scheme)
                    && (less(q.host, p.host) || (str_eq(q.host, p.host) && less(q.port, p.port))));
            assert!(sorted, "OriginList::new: patterns are not strictly sorted");
        }
        i += 1;
    }
}

impl Methods {
    /// `methods = [...]`: each a token, none twice, in the order written.
    pub const fn list(methods: &'static [&'static str]) -> Self {
        let mut i = 0;
        while i < methods.len() {
            assert!(
                cors_fetch::is_token(methods[i].as_bytes()),
                "Methods::list: a method is not a token"
            );
            let mut j = 0;
            while j < i {
                assert!(
                    !str_eq(methods[j], methods[i]),
                    "Methods::list: a method is listed twice"
                );
                j += 1;
            }
            i += 1;
        }
        Self::List(MethodList(methods))
    }
}

impl RequestHeaders {
    /// `headers = [...]`: `sorted`, the lower-case names strictly sorted by
    /// bytes, for lookups; `joined`, the `Access-Control-Allow-Headers` value.
    pub const fn list(sorted: &'static [&'static str], joined: &'static str) -> Self {
        let mut i = 0;
        while i < sorted.len() {
            assert!(
                is_lower(sorted[i]) && cors_fetch::is_token(sorted[i].as_bytes()),
                "RequestHeaders::list: a header name is not a lower-case token"
            );
            assert!(
                i == 0 || less(sorted[i - 1], sorted[i]),
                "RequestHeaders::list: header names are not strictly sorted"
            );
            i += 1;
        }
        Self::List(HeaderList {
            sorted,
            header: joined,
        })
    }
}

/// Non-empty, without ASCII upper-case letters.
const fn is_lower(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_uppercase() {
            return false;
        }
        i += 1;
    }
    !bytes.is_empty()
}

/// `a < b` by bytes, as `str::cmp`.
const fn less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        // `<` then `>`, not `!=` then `<`: after `!=`, `<=` means the same as
        // `<`, a mutant no test could catch (docs/mutation-testing.md).
        if a[i] < b[i] {
            return true;
        }
        if a[i] > b[i] {
            return false;
        }
        i += 1;
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn pattern(scheme: &'static str, host: &'static str, port: &'static str) -> HostPattern {
        HostPattern { scheme, host, port }
    }

    #[test]
    fn sorted_tables_pass() {
        static ANY_PORT: [HostPattern; 2] = [pattern("http", "a", "*"), pattern("http", "b", "*")];
        let list = OriginList::new(&["http://a", "https://a"], &ANY_PORT, &[], false);
        assert_eq!(list.exact.len(), 2);
        assert!(matches!(Methods::list(&["GET", "PURGE"]), Methods::List(_)));
        assert!(matches!(
            RequestHeaders::list(&["a", "b"], "b, a"),
            RequestHeaders::List(_)
        ));
    }

    #[test]
    #[should_panic(expected = "not strictly sorted")]
    fn an_unsorted_table_is_refused() {
        OriginList::new(&["https://b", "https://a"], &[], &[], false);
    }

    #[test]
    #[should_panic(expected = "not strictly sorted")]
    fn a_duplicate_is_refused() {
        RequestHeaders::list(&["a", "a"], "a, a");
    }

    #[test]
    #[should_panic(expected = "not a lower-case token")]
    fn upper_case_is_refused() {
        RequestHeaders::list(&["X-A"], "X-A");
    }

    #[test]
    #[should_panic(expected = "listed twice")]
    fn a_method_twice_is_refused() {
        Methods::list(&["GET", "GET"]);
    }

    #[test]
    #[should_panic(expected = "not built by #[cors]/policy!")]
    fn a_conflict_is_refused() {
        policy(Parts {
            origins: Origins::Any,
            credentials: true,
            ..parts()
        });
    }

    /// Whether `build` panics at run time, as a table built by hand fails
    /// const evaluation. (libtest captures the panic messages.)
    fn refused<T>(build: impl FnOnce() -> T + std::panic::UnwindSafe) -> bool {
        std::panic::catch_unwind(build).is_err()
    }

    #[test]
    fn less_is_str_ordering() {
        let words = ["", "a", "ab", "abc", "b", "ba", "B", "http", "https", "~"];
        for a in words {
            for b in words {
                assert_eq!(less(a, b), a < b, "less({a:?}, {b:?})");
            }
        }
    }

    #[test]
    fn is_lower_needs_a_non_empty_name_without_upper_case() {
        for (name, lower) in [
            ("", false),
            ("a", true),
            ("x-id", true),
            ("A", false),
            ("aB", false),
            ("Ab", false),
            ("a-Z", false),
            ("@[`{", true),
        ] {
            assert_eq!(is_lower(name), lower, "is_lower({name:?})");
        }
    }

    #[test]
    fn pattern_tables_are_checked_entry_by_entry() {
        static SORTED: [HostPattern; 5] = [
            pattern("http", "b.example", ""),
            pattern("https", "a.example", ""),
            pattern("https", "a.example", "8080"),
            pattern("https", "a.example", "9090"),
            pattern("https", "b.example", ""),
        ];
        assert!(!refused(|| OriginList::new(&[], &SORTED, &SORTED, false)));
        static BY_SCHEME: [HostPattern; 2] = [pattern("https", "a", ""), pattern("http", "a", "")];
        static BY_HOST: [HostPattern; 2] = [pattern("https", "b", ""), pattern("https", "a", "")];
        // Each later key out of order while an earlier one is in order.
        static SCHEME_DOWN_HOST_UP: [HostPattern; 2] =
            [pattern("https", "a", ""), pattern("http", "b", "")];
        static HOST_DOWN_PORT_UP: [HostPattern; 2] =
            [pattern("https", "b", "80"), pattern("https", "a", "90")];
        static BY_PORT: [HostPattern; 2] =
            [pattern("https", "a", "90"), pattern("https", "a", "80")];
        static TWICE: [HostPattern; 2] = [pattern("https", "a", "80"), pattern("https", "a", "80")];
        static UPPER_SCHEME: [HostPattern; 1] = [pattern("Https", "a", "")];
        static UPPER_HOST: [HostPattern; 1] = [pattern("https", "A", "")];
        static UPPER_PORT: [HostPattern; 1] = [pattern("https", "a", "8A")];
        static NO_HOST: [HostPattern; 1] = [pattern("https", "", "")];
        static NO_SCHEME: [HostPattern; 1] = [pattern("", "a", "")];
        for (name, bad) in [
            ("scheme order", &BY_SCHEME[..]),
            ("host order", &BY_HOST),
            ("scheme order, hosts ascending", &SCHEME_DOWN_HOST_UP),
            ("host order, ports ascending", &HOST_DOWN_PORT_UP),
            ("port order", &BY_PORT),
            ("duplicate", &TWICE),
            ("upper-case scheme", &UPPER_SCHEME),
            ("upper-case host", &UPPER_HOST),
            ("upper-case port", &UPPER_PORT),
            ("empty host", &NO_HOST),
            ("empty scheme", &NO_SCHEME),
        ] {
            for (kind, refused) in [
                (
                    "any_port",
                    refused(|| OriginList::new(&[], bad, &[], false)),
                ),
                (
                    "subdomains",
                    refused(|| OriginList::new(&[], &[], bad, false)),
                ),
            ] {
                assert!(refused, "{name} in {kind} was accepted");
            }
        }
    }

    #[test]
    fn exact_tables_are_checked_entry_by_entry() {
        assert!(!refused(|| OriginList::new(
            &["http://a", "http://b", "https://a"],
            &[],
            &[],
            false
        )));
        for bad in [
            &["http://b", "http://a"][..],
            &["http://a", "http://c", "http://b"],
            &["http://a", "http://a"],
            &["http://A"],
            &["http://a", ""],
        ] {
            assert!(refused(|| OriginList::new(bad, &[], &[], false)), "{bad:?}");
        }
    }

    #[test]
    fn method_and_header_lists_are_checked_entry_by_entry() {
        assert!(!refused(|| Methods::list(&["GET", "PURGE", "put"])));
        for bad in [
            &["GE T"][..],
            &["GET", "PUT", "GET"],
            &["GET", "PUT", "PUT"],
            &["GET", ""],
        ] {
            assert!(refused(|| Methods::list(bad)), "methods {bad:?}");
        }
        assert!(!refused(|| RequestHeaders::list(
            &["a", "b", "c"],
            "c, b, a"
        )));
        for bad in [
            &["x a"][..],
            &["a", "c", "b"],
            &["a", "b", "b"],
            &["a", "B"],
            &["a", ""],
        ] {
            assert!(refused(|| RequestHeaders::list(bad, "")), "headers {bad:?}");
        }
    }

    fn parts() -> Parts {
        Parts {
            origins: Origins::Any,
            methods: Methods::Routed,
            headers: RequestHeaders::list(&[], ""),
            expose: ExposeHeaders::None,
            credentials: false,
            max_age: None,
            private_network: false,
        }
    }

    /// `#[cors(policy = BASE, dangerously_allow_insecure_origins = true, ..)]`.
    #[test]
    fn an_opt_in_given_with_the_keys_covers_the_base_s_plain_http_origins() {
        static HTTP: [&str; 1] = ["http://staging.example"];
        let base = policy(Parts {
            origins: Origins::List(OriginList::new(&HTTP, &[], &[], true)),
            ..parts()
        });
        assert!(facts(&base).insecure_origin);
        let over = Overrides {
            origins: None,
            methods: None,
            headers: None,
            expose: None,
            credentials: Some(true),
            max_age: None,
            private_network: None,
            allow_insecure: true,
        };
        assert!(!facts(&merge(&base, over)).insecure_origin);
        let without = Overrides {
            allow_insecure: false,
            ..over
        };
        assert!(facts(&merge(&base, without)).insecure_origin);
    }

    #[test]
    fn facts_of_an_env_list_are_its_default_s() {
        static ENV: crate::policy::EnvOrigins = crate::policy::EnvOrigins {
            name: "X",
            default: Some(Origins::Any),
            allow_insecure: false,
        };
        let p = policy(Parts {
            origins: Origins::Env(&ENV),
            ..parts()
        });
        assert!(facts(&p).any_origin);
        assert!(!facts(&deny_all()).any_origin);
    }
}
