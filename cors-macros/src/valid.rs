//! What the keys and values of a policy mean, checked against the Fetch
//! standard. Every problem is pushed into the [`Ctxt`] and checking goes on,
//! so an attribute reports all its mistakes at once; each error points at the
//! offending key or value and, where there is one, says how to fix it.
//!
//! Messages follow rustc's register: lower case, no trailing period, code in
//! backticks, what is wrong and why a browser would not honour it, then the
//! fix after a semicolon. `docs/diagnostics.md` lists them all.

use proc_macro2::{Span, TokenStream};
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
    /// `origins` was written but some of it was rejected: checks that look at
    /// the whole list stay quiet rather than report a consequence of that.
    origins_incomplete: bool,
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
    // `orgins = [...]` is not also reported as a missing `origins`.
    let mut origins_misspelt = false;
    for entry in args.entries {
        let key = entry.key.to_string();
        if seen.contains(&key) {
            cx.error(
                &entry.key,
                format!(
                    "duplicate key `{key}` in {}; give each key once",
                    site.name()
                ),
            );
            continue;
        }
        seen.push(key.clone());
        match key.as_str() {
            // origins = "*" | origins = ["https://a.example", "https://*.b.example", "http://localhost:*"]
            "origins" => {
                let errors = cx.count();
                p.origins = origins(cx, &entry).map(given(&entry));
                p.origins_incomplete = cx.count() > errors;
            }
            // methods = "*" | methods = [GET, PUT, "PURGE"]
            "methods" => p.methods = methods(cx, &entry).map(given(&entry)),
            // headers = "*" | headers = ["*", "authorization"] | headers = ["content-type"]
            "headers" => p.headers = headers(cx, &entry).map(given(&entry)),
            // expose_headers = "*" | expose_headers = ["x-request-id"]
            "expose_headers" => p.expose = expose(cx, &entry).map(given(&entry)),
            // credentials = true
            "credentials" => p.credentials = boolean(cx, &entry).map(given(&entry)),
            // max_age = 600
            "max_age" => p.max_age = max_age(cx, &entry).map(given(&entry)),
            // private_network = true
            "private_network" => p.private_network = boolean(cx, &entry).map(given(&entry)),
            // dangerously_allow_insecure_origins = true
            INSECURE_KEY => p.allow_insecure = boolean(cx, &entry).map(given(&entry)),
            // policy = DASHBOARD
            "policy" => p.base = base(cx, &entry, site),
            _ => {
                let (message, suggestion) = unknown_key(&key, site);
                origins_misspelt |= suggestion == Some("origins");
                cx.error(&entry.key, message);
            }
        }
    }
    // Written but rejected keys have had their error; only a key left out is missing.
    if !origins_misspelt && !seen.iter().any(|k| k == "origins" || k == "policy") {
        cx.push(syn::Error::new(
            Span::call_site(),
            format!(
                "{} needs `origins`: without it no origin may read the response; add `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for a public resource",
                site.name()
            ),
        ));
    }
    combinations(cx, &p, site);
    p
}

/// Wraps a checked value with its `key = value` tokens, for the spans of the
/// checks that combine keys.
fn given<T>(entry: &Entry) -> impl FnOnce(T) -> Given<T> + '_ {
    move |value| {
        let (key, written) = (&entry.key, &entry.value);
        Given {
            value,
            tokens: quote::quote!(#key = #written),
        }
    }
}

// policy = DASHBOARD
fn base(cx: &mut Ctxt, entry: &Entry, site: Site) -> Option<Path> {
    match (site, &entry.value) {
        (Site::PolicyMacro, _) => {
            cx.error(
                &entry.key,
                "`policy` only works in #[cors(...)]: a named policy cannot extend another one; copy the keys you need",
            );
            None
        }
        (Site::Attribute, Expr::Path(path)) if path.qself.is_none() => Some(path.path.clone()),
        (Site::Attribute, value) => {
            let message = match value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) if syn::parse_str::<Path>(&s.value()).is_ok() => format!(
                    "`policy` takes the path of a `const`, not a string; write `policy = {}`",
                    s.value()
                ),
                _ => "`policy` takes the path of a `const` built with `cors_runtime::policy!`, e.g. `policy = DASHBOARD`".to_owned(),
            };
            cx.error(value, message);
            None
        }
    }
}

/// The message for an unknown key, and the key it is most likely a typo of.
fn unknown_key(key: &str, site: Site) -> (String, Option<&'static str>) {
    let keys = || {
        KEYS.iter()
            .copied()
            .filter(|k| site == Site::Attribute || *k != "policy")
    };
    // tower-http and other libraries say `allow_origin`, `allowed_headers`,
    // `expose`, ...: drop their prefixes before comparing.
    let bare = ["allowed_", "allow_"]
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix))
        .unwrap_or(key);
    let distance = |k: &str| edit_distance(key, k).min(edit_distance(bare, k));
    let close = keys()
        .filter(|k| distance(k) <= 2 || (bare.len() >= 4 && k.starts_with(bare)))
        .min_by_key(|k| distance(k));
    match close {
        Some(close) => (
            format!(
                "unknown key `{key}` in {}; did you mean `{close}`?",
                site.name()
            ),
            Some(close),
        ),
        None => {
            let all: Vec<String> = keys().map(|k| format!("`{k}`")).collect();
            (
                format!(
                    "unknown key `{key}` in {}; expected one of {}",
                    site.name(),
                    all.join(", ")
                ),
                None,
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

/// How each list-valued key reads, for its messages.
struct ListKey {
    /// `an origin`
    item: &'static str,
    /// `["https://app.example.com"]`
    example: &'static str,
    /// Why `key = []` is a mistake, with its fix.
    empty: &'static str,
    /// Whether items are written as idents (`GET`) when they can be.
    idents: bool,
}

fn star_or_list<'a>(cx: &mut Ctxt, entry: &'a Entry, list: &ListKey) -> Option<StarOrList<'a>> {
    let key = &entry.key;
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(StarOrList::Star),
        Expr::Array(array) if array.elems.is_empty() => {
            cx.error(array, format!("`{key} = []` {}", list.empty));
            None
        }
        Expr::Array(array) => Some(StarOrList::List(array.elems.iter().collect())),
        // `origins = "https://app.example.com"`, `methods = GET`
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            cx.error(s, not_a_list(key, list, &s.value()));
            None
        }
        Expr::Path(p) if list.idents && p.path.get_ident().is_some() => {
            let ident = p.path.get_ident().unwrap().to_string();
            cx.error(p, not_a_list(key, list, &ident));
            None
        }
        // `origins = ALLOWED_ORIGINS`
        Expr::Path(p) => {
            cx.error(
                p,
                format!("`{key}` must be written in place: the policy is checked while compiling, so it cannot read a `const` or a variable; write `{key} = {}`, or share a whole policy with `policy!` and `policy = NAME`", list.example),
            );
            None
        }
        other => {
            cx.error(
                other,
                format!(
                    "`{key}` takes `\"*\"` or a list, e.g. `{key} = {}`",
                    list.example
                ),
            );
            None
        }
    }
}

/// The error for one item written without brackets, with the list to write.
fn not_a_list(key: &syn::Ident, list: &ListKey, written: &str) -> String {
    let items: Vec<String> = written
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| {
            if list.idents && s.bytes().all(|b| b.is_ascii_uppercase()) {
                s.to_owned()
            } else {
                format!("\"{s}\"")
            }
        })
        .collect();
    format!(
        "`{key}` takes a list, even for {}; write `{key} = [{}]`",
        list.item,
        items.join(", ")
    )
}

/// The error for a lone `"*"` inside brackets, or for `"*"` next to other items.
fn star_in_list(key: &str, alone: bool, what: &str) -> String {
    if alone {
        format!("`\"*\"` is written without brackets; write `{key} = \"*\"`")
    } else {
        format!("`*` cannot be mixed with other {what}; write `{key} = \"*\"` alone")
    }
}

fn string<'a>(cx: &mut Ctxt, item: &'a Expr, what: &str) -> Option<&'a LitStr> {
    match item {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s),
        other => {
            cx.error(
                other,
                format!("expected {what} as a string literal: the policy is checked while compiling, so it cannot read a `const` or a variable"),
            );
            None
        }
    }
}

fn origins(cx: &mut Ctxt, entry: &Entry) -> Option<Origins> {
    let key = ListKey {
        item: "one origin",
        example: "[\"https://app.example.com\"]",
        empty: "allows no origin; list the allowed origins, e.g. `origins = [\"https://app.example.com\"]`",
        idents: false,
    };
    let items = match star_or_list(cx, entry, &key)? {
        StarOrList::Star => return Some(Origins::Any),
        StarOrList::List(items) => items,
    };
    let alone = items.len() == 1;
    let mut list: Vec<(OriginPattern, LitStr)> = Vec::new();
    for item in items {
        let Some(lit) = string(cx, item, "an origin") else {
            continue;
        };
        match origin::parse(&lit.value()) {
            Ok(pattern) => list.push((pattern, lit.clone())),
            Err(_) if lit.value() == "*" => {
                cx.error(lit, star_in_list("origins", alone, "origins"))
            }
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
                cx.error(lit, format!("duplicate origin `{pattern}`; remove it"))
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
    let key = ListKey {
        item: "one method",
        example: "[GET, PUT, \"PURGE\"]",
        empty: "allows no method; list the methods, or leave `methods` out to allow the methods the handler is routed on",
        idents: true,
    };
    let items = match star_or_list(cx, entry, &key)? {
        StarOrList::Star => return Some(Methods::Any),
        StarOrList::List(items) => items,
    };
    let alone = items.len() == 1;
    let mut list: Vec<String> = Vec::new();
    for item in items {
        let name = match item {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                p.path.get_ident().unwrap().to_string()
            }
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => s.value(),
            other => {
                cx.error(other, "expected a method: an identifier such as `GET`, or a string literal such as `\"PURGE\"` for an extension method");
                continue;
            }
        };
        if name == "*" {
            cx.error(item, star_in_list("methods", alone, "methods"));
        } else if let Some(problem) = method_problem(&name) {
            cx.error(item, problem);
        } else if list.contains(&name) {
            cx.error(item, format!("duplicate method `{name}`; remove it"));
        } else {
            list.push(name);
        }
    }
    Some(Methods::List(list))
}

fn method_problem(name: &str) -> Option<String> {
    if !cors_fetch::is_token(name.as_bytes()) {
        return Some(match split_tokens(name, &[',', ' '], true) {
            Some(parts) => format!(
                "invalid method `{name}`: a method is a single token; list each method on its own: `[{parts}]`"
            ),
            None => format!(
                "invalid method `{name}`: a method is a token, without spaces, commas, quotes or non-ASCII letters"
            ),
        });
    }
    if cors_fetch::is_forbidden_method(name.as_bytes()) {
        return Some(format!(
            "`{name}` is a forbidden method: browsers never let a page send it; remove it"
        ));
    }
    if let Some(upper) = cors_fetch::normalized_method(name).filter(|upper| *upper != name) {
        return Some(format!(
            "method `{name}` never matches: browsers upper-case it to `{upper}` before sending; write `{upper}`"
        ));
    }
    if name.eq_ignore_ascii_case("PATCH") && name != "PATCH" {
        return Some(format!(
            "method `{name}` is not `PATCH`: browsers send it in the exact case the page wrote, and axum's `patch(..)` only routes `PATCH`; write `PATCH`"
        ));
    }
    None
}

/// `"PUT, DELETE"` as `PUT, DELETE` when each part is a token; `separators`
/// are the characters the user may have meant as list separators.
fn split_tokens(text: &str, separators: &[char], idents: bool) -> Option<String> {
    let parts: Vec<&str> = text
        .split(separators)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let ok = parts.len() > 1 && parts.iter().all(|p| cors_fetch::is_token(p.as_bytes()));
    ok.then(|| {
        let items: Vec<String> = parts
            .iter()
            .map(|p| {
                if idents && p.bytes().all(|b| b.is_ascii_uppercase()) {
                    (*p).to_owned()
                } else {
                    format!("\"{p}\"")
                }
            })
            .collect();
        items.join(", ")
    })
}

fn headers(cx: &mut Ctxt, entry: &Entry) -> Option<Headers> {
    let key = ListKey {
        item: "one header",
        example: "[\"content-type\", \"x-api-key\"]",
        empty: "is what leaving `headers` out means; remove it",
        idents: false,
    };
    let items = match star_or_list(cx, entry, &key)? {
        StarOrList::Star => {
            return Some(Headers::Any {
                authorization: false,
            })
        }
        StarOrList::List(items) => items,
    };
    let names = header_names(cx, items, "a request header name", request_header_problem);
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
                format!("`{name}` is already covered by `*`; next to `*` list only `authorization`, the one header no wildcard covers"),
            );
        }
    }
    Some(Headers::Any { authorization })
}

fn request_header_problem(name: &str) -> Option<String> {
    if name.starts_with("access-control-request-") || name == "origin" {
        return Some(format!(
            "`{name}` belongs to the CORS protocol: the browser sets it itself and never asks permission for it; remove it"
        ));
    }
    if name.starts_with("access-control-") {
        return Some(format!(
            "`{name}` is a response header of the CORS protocol, which the server sends and a page never does; remove it"
        ));
    }
    if !cors_fetch::is_forbidden_request_header(name.as_bytes()) {
        return None;
    }
    Some(match name {
        "cookie" | "cookie2" => format!(
            "`{name}` is a forbidden request header: browsers never let a page set it; remove it, and use `credentials = true` for the browser to send cookies"
        ),
        _ => match ["sec-", "proxy-"].iter().find(|p| name.starts_with(**p)) {
            Some(prefix) => format!(
                "`{name}` is a forbidden request header: browsers reserve names starting with `{prefix}` and never let a page set them; remove it"
            ),
            None => format!(
                "`{name}` is a forbidden request header: the browser sets it itself and never lets a page set it; remove it"
            ),
        },
    })
}

fn expose(cx: &mut Ctxt, entry: &Entry) -> Option<Expose> {
    let key = ListKey {
        item: "one header",
        example: "[\"x-request-id\"]",
        empty: "is what leaving `expose_headers` out means; remove it",
        idents: false,
    };
    let items = match star_or_list(cx, entry, &key)? {
        StarOrList::Star => return Some(Expose::Any),
        StarOrList::List(items) => items,
    };
    let alone = items.len() == 1;
    let names = header_names(cx, items, "a response header name", |name| {
        if name == "*" {
            Some(star_in_list("expose_headers", alone, "header names"))
        } else if cors_fetch::is_forbidden_response_header(name.as_bytes()) {
            Some(format!(
                "`{name}` is a forbidden response header: browsers never let a page read it, whatever the policy says; remove it"
            ))
        } else if cors_fetch::is_cors_protocol_header(name.as_bytes()) {
            Some(format!(
                "`{name}` belongs to the CORS protocol: it is meant for the browser, not for the page; remove it"
            ))
        } else if cors_fetch::is_safelisted_response_header(name.as_bytes()) {
            Some(format!(
                "`{name}` is CORS-safelisted: pages can always read it, so exposing it changes nothing; remove it"
            ))
        } else {
            None
        }
    });
    Some(Expose::List(names.into_iter().map(|(n, _)| n).collect()))
}

/// Lower-cased, valid, unique header names; `problem` adds the checks of
/// the list at hand. A `*` is passed to `problem` and, if it has none, through
/// to the caller to place.
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
        let written = lit.value();
        let name = written.to_ascii_lowercase();
        if name != "*" && !cors_fetch::is_token(name.as_bytes()) {
            cx.error(lit, invalid_header(&written));
        } else if let Some(message) = problem(&name) {
            cx.error(lit, message);
        } else if names.iter().any(|(n, _)| *n == name) {
            let message = if written == name {
                format!("duplicate header `{name}`; remove it")
            } else {
                format!("duplicate header `{written}`: header names are case-insensitive, so it is `{name}` again; remove it")
            };
            cx.error(lit, message);
        } else {
            names.push((name, lit));
        }
    }
    names
}

fn invalid_header(written: &str) -> String {
    let trimmed = written.trim().trim_end_matches(':').trim();
    if let Some(parts) = split_tokens(written, &[','], false) {
        format!(
            "invalid header name `{written}`: a header name is a single token; list each header on its own: `[{parts}]`"
        )
    } else if trimmed != written && cors_fetch::is_token(trimmed.as_bytes()) {
        format!("invalid header name `{written}`: a header name has no spaces or colon; write `\"{trimmed}\"`")
    } else {
        format!("invalid header name `{written}`: a header name is a token, without spaces, commas, colons, quotes or non-ASCII letters")
    }
}

fn boolean(cx: &mut Ctxt, entry: &Entry) -> Option<bool> {
    let key = &entry.key;
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.value),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if matches!(s.value().as_str(), "true" | "false") => {
            cx.error(
                s,
                format!(
                    "`{key}` takes a bool, not a string; write `{key} = {}`",
                    s.value()
                ),
            );
            None
        }
        other => {
            cx.error(other, format!("`{key}` takes `true` or `false`"));
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
                "`max_age` cannot be negative: browsers ignore such a value and cache for 5 seconds; use `max_age = 0` to disable preflight caching",
            );
            None
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value().parse::<u32>().is_ok() => {
            cx.error(
                s,
                format!(
                    "`max_age` takes a number of seconds, not a string; write `max_age = {}`",
                    s.value()
                ),
            );
            None
        }
        other => {
            cx.error(
                other,
                "`max_age` takes a whole number of seconds from 0 to 86400, e.g. `max_age = 600`",
            );
            None
        }
    }
}

/// Which side of a conflict comes from `policy = BASE`, for the messages of
/// combinations that only appear after a merge.
#[derive(Clone, Copy)]
pub enum Inherited<'a> {
    /// Both keys are written here.
    Neither,
    /// The `true` flag (`credentials`, `private_network`) comes from the base
    /// named here.
    Flag(&'a str),
    /// The other key comes from the base named here.
    Other(&'a str),
}

impl Inherited<'_> {
    fn credentials(self) -> String {
        match self {
            Self::Flag(base) => format!("`credentials = true` from `policy = {base}`"),
            _ => "`credentials = true`".to_owned(),
        }
    }

    fn other(self, written: &str) -> String {
        match self {
            Self::Other(base) => format!("`{written}` from `policy = {base}`"),
            _ => format!("`{written}`"),
        }
    }
}

/// Combinations a browser refuses or that are unsafe, when both keys are given
/// here. With `policy = BASE`, a key from `BASE` is checked against the keys
/// given here by the expansion (see `expand::merge_checks`).
fn combinations(cx: &mut Ctxt, p: &Policy, site: Site) {
    if let Some(credentials) = p.credentials.as_ref().filter(|c| c.value) {
        let mut conflict = |tokens: &TokenStream, key: &str| {
            let message = credentialed_wildcard(key, Inherited::Neither);
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
                cx.error(
                    lit,
                    insecure_with_credentials(&lit.value(), Inherited::Neither),
                );
            }
        }
    }
    if let Some(allow) = p.allow_insecure.as_ref().filter(|a| a.value) {
        // With `policy = BASE` and no `origins` here, the opt-in covers BASE's.
        let origins_inherited = p.origins.is_none() && p.base.is_some();
        // `policy!` may become credentialed as the base of a `#[cors]`.
        let credentials_possible = match &p.credentials {
            Some(c) => c.value,
            None => p.base.is_some() || site == Site::PolicyMacro,
        };
        if p.insecure_origins().next().is_none() && !origins_inherited && !p.origins_incomplete {
            cx.error(&allow.tokens, format!("`{INSECURE_KEY} = true` has no effect: no origin here is plain `http` off loopback; remove it"));
        } else if !credentials_possible {
            cx.error(&allow.tokens, format!("`{INSECURE_KEY} = true` has no effect without `credentials = true`: plain-http origins are only refused on credentialed requests; remove it"));
        }
    }
    if let Some(pna) = p.private_network.as_ref().filter(|p| p.value) {
        if let Some(Given {
            value: Origins::Any,
            tokens,
        }) = &p.origins
        {
            let message = private_network_any_origin(Inherited::Neither);
            cx.error(&pna.tokens, &message);
            cx.error(tokens, &message);
        }
    }
}

/// `credentials = true` together with `key = "*"`.
pub fn credentialed_wildcard(key: &str, inherited: Inherited<'_>) -> String {
    let why = match key {
        "origins" => "browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins",
        "methods" => "on credentialed requests browsers read `*` as a method literally named `*`; list the methods, or leave `methods` out to allow the methods the handler is routed on",
        "headers" => "on credentialed requests browsers read `*` as a header literally named `*`; list the request headers",
        _ => "on credentialed requests browsers read `*` as a header literally named `*`; list the headers to expose",
    };
    format!(
        "{} cannot be combined with {}: {why}",
        inherited.credentials(),
        inherited.other(&format!("{key} = \"*\""))
    )
}

/// A plain-http origin off loopback under `credentials = true`.
pub fn insecure_with_credentials(origin: &str, inherited: Inherited<'_>) -> String {
    format!(
        "plain-http origin `{origin}` cannot be combined with {}: anyone on the network path can impersonate it and read the credentialed responses; use `https`, or add `{INSECURE_KEY} = true`",
        inherited.credentials()
    )
}

/// `private_network = true` together with `origins = "*"`.
pub fn private_network_any_origin(inherited: Inherited<'_>) -> String {
    let (pna, any) = match inherited {
        Inherited::Neither => (
            "`private_network = true`".to_owned(),
            "`origins = \"*\"`".to_owned(),
        ),
        Inherited::Flag(base) => (
            format!("`private_network = true` from `policy = {base}`"),
            "`origins = \"*\"`".to_owned(),
        ),
        Inherited::Other(base) => (
            "`private_network = true`".to_owned(),
            format!("`origins = \"*\"` from `policy = {base}`"),
        ),
    };
    format!("{pna} cannot be combined with {any}: every website could reach into the private network; list the allowed origins")
}

#[cfg(test)]
mod tests {
    use super::{unknown_key, Site};

    #[test]
    fn suggests_the_key_a_typo_or_another_library_meant() {
        for (typo, key) in [
            ("orgins", "origins"),
            ("origin", "origins"),
            ("allow_origins", "origins"),
            ("allowed_headers", "headers"),
            ("allow_credentials", "credentials"),
            ("expose", "expose_headers"),
            ("exposed_headers", "expose_headers"),
            ("max_ages", "max_age"),
        ] {
            assert_eq!(unknown_key(typo, Site::Attribute).1, Some(key), "{typo}");
        }
        assert_eq!(unknown_key("timeout", Site::Attribute).1, None);
        assert_eq!(unknown_key("polic", Site::PolicyMacro).1, None);
    }
}
