//! What the keys and values of a policy mean, checked against the Fetch
//! standard. Every problem is pushed into the [`Ctxt`] and checking goes on,
//! so an attribute reports all its mistakes at once; each error points at the
//! offending key or value and, where there is one, says how to fix it.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitStr, Path, UnOp};

use crate::attr::{Args, Entry};
use crate::ctxt::Ctxt;
use crate::origin::{self, OriginPattern};

/// Where the keys come from: `#[cors(...)]` on a handler, or `policy!(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Attribute,
    PolicyMacro,
}

impl Site {
    fn name(self) -> &'static str {
        match self {
            Self::Attribute => "#[cors(...)]",
            Self::PolicyMacro => "policy!(...)",
        }
    }
}

const KEYS: [&str; 9] = [
    "origins",
    "methods",
    "headers",
    "expose_headers",
    "credentials",
    "max_age",
    "private_network",
    "policy",
    INSECURE_KEY,
];

/// The opt-in for plain-`http` origins under credentials; named so that it
/// stands out in review.
pub const INSECURE_KEY: &str = "dangerously_allow_insecure_origins";

/// A validated value with the tokens it came from, for later error spans.
pub struct Given<T> {
    pub value: T,
    pub tokens: TokenStream,
}

pub enum Origins {
    Any,
    List(Vec<(OriginPattern, LitStr)>),
}

pub enum Methods {
    Any,
    List(Vec<String>),
}

pub enum Headers {
    Any { authorization: bool },
    List(Vec<String>),
}

pub enum Expose {
    Any,
    List(Vec<String>),
}

/// A policy whose keys each passed their own checks. Keys left out are `None`.
#[derive(Default)]
pub struct Policy {
    pub base: Option<Path>,
    pub origins: Option<Given<Origins>>,
    pub methods: Option<Given<Methods>>,
    pub headers: Option<Given<Headers>>,
    pub expose: Option<Given<Expose>>,
    pub credentials: Option<Given<bool>>,
    pub max_age: Option<Given<u32>>,
    pub private_network: Option<Given<bool>>,
    pub allow_insecure: Option<Given<bool>>,
}

impl Policy {
    pub fn allows_insecure(&self) -> bool {
        self.allow_insecure.as_ref().is_some_and(|a| a.value)
    }

    /// The entries of `origins` that are plain `http` off loopback.
    pub fn insecure_origins(&self) -> impl Iterator<Item = &LitStr> {
        let list = match &self.origins {
            Some(Given {
                value: Origins::List(list),
                ..
            }) => list.as_slice(),
            _ => &[],
        };
        list.iter()
            .filter(|(o, _)| o.is_insecure())
            .map(|(_, lit)| lit)
    }
}

/// Checks every entry, then the combinations of keys.
pub fn policy(cx: &mut Ctxt, args: Args, site: Site) -> Policy {
    let mut p = Policy::default();
    let mut seen: Vec<String> = Vec::new();
    for entry in args.entries {
        let key = entry.key.to_string();
        if seen.contains(&key) {
            cx.error(&entry.key, format!("duplicate `{key}` in {}", site.name()));
            continue;
        }
        seen.push(key.clone());
        let tokens = entry.value.to_token_stream();
        match key.as_str() {
            // origins = "*" | origins = ["https://a.example", "https://*.b.example", "http://localhost:*"]
            "origins" => p.origins = origins(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // methods = "*" | methods = [GET, PUT, "PURGE"]
            "methods" => p.methods = methods(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // headers = "*" | headers = ["*", "authorization"] | headers = ["content-type"]
            "headers" => p.headers = headers(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // expose_headers = "*" | expose_headers = ["x-request-id"]
            "expose_headers" => p.expose = expose(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // credentials = true
            "credentials" => p.credentials = boolean(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // max_age = 600
            "max_age" => p.max_age = max_age(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // private_network = true
            "private_network" => p.private_network = boolean(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // dangerously_allow_insecure_origins = true
            INSECURE_KEY => p.allow_insecure = boolean(cx, &entry).map(|value| Given { value, tokens: tokens.clone() }),
            // policy = DASHBOARD
            "policy" => match (site, &entry.value) {
                (Site::Attribute, Expr::Path(path)) if path.qself.is_none() => p.base = Some(path.path.clone()),
                (Site::Attribute, value) => {
                    cx.error(value, "`policy` takes the path of a `const` built with `cors_runtime::policy!`: `policy = DASHBOARD`")
                }
                (Site::PolicyMacro, _) => cx.error(
                    &entry.key,
                    "`policy` only works in #[cors(...)]: a named policy cannot extend another one; copy the keys you need",
                ),
            },
            _ => cx.error(&entry.key, unknown_key(&key, site)),
        }
    }
    if p.origins.is_none() && p.base.is_none() {
        cx.push(syn::Error::new(
            Span::call_site(),
            format!(
                "{} needs `origins`: `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for a public resource",
                site.name()
            ),
        ));
    }
    combinations(cx, &p);
    p
}

fn unknown_key(key: &str, site: Site) -> String {
    let keys = || {
        KEYS.iter()
            .filter(|k| site == Site::Attribute || **k != "policy")
    };
    match keys()
        .min_by_key(|k| edit_distance(key, k))
        .filter(|k| edit_distance(key, k) <= 2)
    {
        Some(close) => format!(
            "unknown key `{key}` in {}; did you mean `{close}`?",
            site.name()
        ),
        None => {
            let all: Vec<String> = keys().map(|k| format!("`{k}`")).collect();
            format!(
                "unknown key `{key}` in {}; expected one of {}",
                site.name(),
                all.join(", ")
            )
        }
    }
}

/// Levenshtein distance; keys are short, so the quadratic table is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A `"*"` on its own, or a bracketed list.
enum StarOrList<'a> {
    Star,
    List(Vec<&'a Expr>),
}

fn star_or_list<'a>(cx: &mut Ctxt, entry: &'a Entry, expected: &str) -> Option<StarOrList<'a>> {
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(StarOrList::Star),
        Expr::Array(array) if array.elems.is_empty() => {
            cx.error(array, format!("`{}` is empty; {expected}", entry.key));
            None
        }
        Expr::Array(array) => Some(StarOrList::List(array.elems.iter().collect())),
        other => {
            cx.error(other, format!("`{}` takes {expected}", entry.key));
            None
        }
    }
}

fn string<'a>(cx: &mut Ctxt, item: &'a Expr, what: &str) -> Option<&'a LitStr> {
    match item {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s),
        other => {
            cx.error(other, format!("expected {what} as a string literal"));
            None
        }
    }
}

fn origins(cx: &mut Ctxt, entry: &Entry) -> Option<Origins> {
    let expected = "`\"*\"` or a list of origins: `origins = [\"https://app.example.com\"]`";
    let items = match star_or_list(cx, entry, expected)? {
        StarOrList::Star => return Some(Origins::Any),
        StarOrList::List(items) => items,
    };
    let mut list: Vec<(OriginPattern, LitStr)> = Vec::new();
    for item in items {
        let Some(lit) = string(cx, item, "an origin") else {
            continue;
        };
        match origin::parse(&lit.value()) {
            Ok(pattern) => list.push((pattern, lit.clone())),
            Err(message) => cx.error(lit, message),
        }
    }
    // Duplicates and entries another entry already allows.
    for (i, (pattern, lit)) in list.iter().enumerate() {
        let covering = list.iter().enumerate().find(|(j, (other, _))| {
            *j != i && pattern.is_covered_by(other) && (pattern != other || *j < i)
        });
        match covering {
            Some((_, (other, _))) if other == pattern => {
                cx.error(lit, format!("duplicate origin `{pattern}`"))
            }
            Some((_, (other, _))) => cx.error(
                lit,
                format!("origin `{pattern}` is already allowed by `{other}`; remove it"),
            ),
            None => {}
        }
    }
    Some(Origins::List(list))
}

fn methods(cx: &mut Ctxt, entry: &Entry) -> Option<Methods> {
    let expected = "`\"*\"` or a list of methods: `methods = [GET, PUT, \"PURGE\"]`; leave it out to allow the methods the handler is routed on";
    let items = match star_or_list(cx, entry, expected)? {
        StarOrList::Star => return Some(Methods::Any),
        StarOrList::List(items) => items,
    };
    let mut list: Vec<String> = Vec::new();
    for item in items {
        let (name, tokens) = match item {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                (p.path.get_ident().unwrap().to_string(), item)
            }
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => (s.value(), item),
            other => {
                cx.error(other, "expected a method: an identifier such as `GET` or a string literal such as `\"PURGE\"`");
                continue;
            }
        };
        if let Some(problem) = method_problem(&name) {
            cx.error(tokens, problem);
        } else if list.contains(&name) {
            cx.error(tokens, format!("duplicate method `{name}`"));
        } else {
            list.push(name);
        }
    }
    Some(Methods::List(list))
}

fn method_problem(name: &str) -> Option<String> {
    if name == "*" {
        return Some(
            "`*` cannot be mixed with other methods; write `methods = \"*\"` alone".into(),
        );
    }
    if !cors_fetch::is_token(name.as_bytes()) {
        return Some(format!(
            "invalid method `{name}`: a method is a token, without spaces, commas or quotes"
        ));
    }
    if cors_fetch::is_forbidden_method(name.as_bytes()) {
        return Some(format!(
            "`{name}` is a forbidden method: browsers never send it cross-origin; remove it"
        ));
    }
    if let Some(upper) = cors_fetch::normalized_method(name).filter(|upper| *upper != name) {
        return Some(format!(
            "`{name}` never matches: browsers upper-case this method before sending it; write `{upper}`"
        ));
    }
    if name.eq_ignore_ascii_case("PATCH") && name != "PATCH" {
        return Some(format!(
            "`{name}` is not `PATCH`: browsers send this method exactly as the page wrote it and axum routes `PATCH`; write `PATCH`"
        ));
    }
    None
}

fn headers(cx: &mut Ctxt, entry: &Entry) -> Option<Headers> {
    let expected =
        "`\"*\"` or a list of request header names: `headers = [\"content-type\", \"x-api-key\"]`";
    let items = match star_or_list(cx, entry, expected)? {
        StarOrList::Star => {
            return Some(Headers::Any {
                authorization: false,
            })
        }
        StarOrList::List(items) => items,
    };
    let names = header_names(cx, items, "a request header name", |name| {
        if cors_fetch::is_cors_protocol_header(name.as_bytes()) {
            Some(format!(
                "`{name}` belongs to the CORS protocol and is set by the browser itself; remove it"
            ))
        } else if cors_fetch::is_forbidden_request_header(name.as_bytes()) {
            Some(format!("`{name}` is a forbidden request header: browsers never let a page set it; remove it"))
        } else {
            None
        }
    });
    let Some(star) = names.iter().position(|(n, _)| n == "*") else {
        return Some(Headers::List(names.into_iter().map(|(n, _)| n).collect()));
    };
    let mut authorization = false;
    for (i, (name, lit)) in names.iter().enumerate() {
        if i == star {
            continue;
        }
        if name == "authorization" {
            authorization = true;
        } else {
            cx.error(
                lit,
                format!("`{name}` is already covered by `*`; next to `*` only `authorization` needs listing, since no wildcard covers it"),
            );
        }
    }
    Some(Headers::Any { authorization })
}

fn expose(cx: &mut Ctxt, entry: &Entry) -> Option<Expose> {
    let expected =
        "`\"*\"` or a list of response header names: `expose_headers = [\"x-request-id\"]`";
    let items = match star_or_list(cx, entry, expected)? {
        StarOrList::Star => return Some(Expose::Any),
        StarOrList::List(items) => items,
    };
    let names = header_names(cx, items, "a response header name", |name| {
        if name == "*" {
            Some(
                "`*` cannot be mixed with other names; write `expose_headers = \"*\"` alone"
                    .to_owned(),
            )
        } else if cors_fetch::is_forbidden_response_header(name.as_bytes()) {
            Some(format!(
                "`{name}` can never be read by a page, whatever the policy says; remove it"
            ))
        } else if cors_fetch::is_cors_protocol_header(name.as_bytes()) {
            Some(format!(
                "`{name}` belongs to the CORS protocol, not to your responses; remove it"
            ))
        } else if cors_fetch::is_safelisted_response_header(name.as_bytes()) {
            Some(format!(
                "`{name}` is always readable cross-origin; remove it"
            ))
        } else {
            None
        }
    });
    Some(Expose::List(names.into_iter().map(|(n, _)| n).collect()))
}

/// Lower-cased, valid, unique header names; `problem` adds the checks of
/// the list at hand. A `*` is passed through for the caller to place.
fn header_names<'a>(
    cx: &mut Ctxt,
    items: Vec<&'a Expr>,
    what: &str,
    problem: impl Fn(&str) -> Option<String>,
) -> Vec<(String, &'a LitStr)> {
    let mut names: Vec<(String, &LitStr)> = Vec::new();
    for item in items {
        let Some(lit) = string(cx, item, what) else {
            continue;
        };
        let name = lit.value().to_ascii_lowercase();
        if name != "*" && !cors_fetch::is_token(name.as_bytes()) {
            cx.error(lit, format!("invalid header name `{}`: a header name is a token, without spaces, commas, colons or quotes", lit.value()));
        } else if let Some(message) = problem(&name) {
            cx.error(lit, message);
        } else if names.iter().any(|(n, _)| *n == name) {
            cx.error(
                lit,
                format!("duplicate header `{name}` (header names are case-insensitive)"),
            );
        } else {
            names.push((name, lit));
        }
    }
    names
}

fn boolean(cx: &mut Ctxt, entry: &Entry) -> Option<bool> {
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.value),
        other => {
            cx.error(other, format!("`{}` takes `true` or `false`", entry.key));
            None
        }
    }
}

/// The longest preflight cache any browser honours (Firefox); Chromium stops at 7200.
const MAX_AGE_LIMIT: u32 = 86_400;

fn max_age(cx: &mut Ctxt, entry: &Entry) -> Option<u32> {
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => match int.base10_parse::<u64>() {
            Ok(seconds) if seconds <= u64::from(MAX_AGE_LIMIT) => Some(seconds as u32),
            Ok(seconds) => {
                cx.error(int, format!(
                    "`max_age = {seconds}` is above {MAX_AGE_LIMIT}, the longest any browser caches a preflight (Chromium stops at 7200); use at most {MAX_AGE_LIMIT}"
                ));
                None
            }
            Err(e) => {
                cx.push(e);
                None
            }
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => {
            cx.error(
                &entry.value,
                "`max_age` cannot be negative; use `max_age = 0` to disable preflight caching",
            );
            None
        }
        other => {
            cx.error(
                other,
                "`max_age` takes a whole number of seconds from 0 to 86400: `max_age = 600`",
            );
            None
        }
    }
}

/// Combinations a browser refuses or that are unsafe, when both keys are given
/// here. With `policy = BASE`, a key from `BASE` is checked against the keys
/// given here by the expansion (see `expand::merge_checks`).
fn combinations(cx: &mut Ctxt, p: &Policy) {
    if let Some(credentials) = p.credentials.as_ref().filter(|c| c.value) {
        let mut conflict = |tokens: &TokenStream, key: &str| {
            let message = credentialed_wildcard(key);
            cx.error(&credentials.tokens, &message);
            cx.error(tokens, &message);
        };
        if let Some(Given {
            value: Origins::Any,
            tokens,
        }) = &p.origins
        {
            conflict(tokens, "origins");
        }
        if let Some(Given {
            value: Methods::Any,
            tokens,
        }) = &p.methods
        {
            conflict(tokens, "methods");
        }
        if let Some(Given {
            value: Headers::Any { .. },
            tokens,
        }) = &p.headers
        {
            conflict(tokens, "headers");
        }
        if let Some(Given {
            value: Expose::Any,
            tokens,
        }) = &p.expose
        {
            conflict(tokens, "expose_headers");
        }
        if !p.allows_insecure() {
            for lit in p.insecure_origins() {
                cx.error(lit, insecure_with_credentials(&lit.value()));
            }
        }
    }
    if let Some(allow) = &p.allow_insecure {
        if allow.value && p.insecure_origins().next().is_none() {
            cx.error(&allow.tokens, format!("`{INSECURE_KEY}` has no effect: no origin here is plain `http` off loopback; remove it"));
        }
    }
    if let Some(pna) = p.private_network.as_ref().filter(|p| p.value) {
        if let Some(Given {
            value: Origins::Any,
            tokens,
        }) = &p.origins
        {
            cx.error(&pna.tokens, PRIVATE_NETWORK_ANY_ORIGIN);
            cx.error(tokens, PRIVATE_NETWORK_ANY_ORIGIN);
        }
    }
}

pub fn credentialed_wildcard(key: &str) -> String {
    let why = match key {
        "origins" => "browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins",
        "methods" => "with credentials browsers read `*` as a method literally named `*`; list the methods, or leave `methods` out",
        "headers" => "with credentials browsers read `*` as a header literally named `*`; list the headers",
        _ => "with credentials browsers read `*` as a header literally named `*`; list the headers to expose",
    };
    format!("`credentials = true` cannot be combined with `{key} = \"*\"`: {why}")
}

pub fn insecure_with_credentials(origin: &str) -> String {
    format!(
        "plain-http origin `{origin}` with `credentials = true`: anyone on the network path can impersonate it and read credentialed responses; use https, or add `{INSECURE_KEY} = true`"
    )
}

pub const PRIVATE_NETWORK_ANY_ORIGIN: &str =
    "`private_network = true` cannot be combined with `origins = \"*\"`: every website could reach into the private network; list the allowed origins";
