//! What the macros check themselves: the shape of each value (a list, a
//! string, a bool, a number, a path, `env(...)`), which `cors_rules` cannot
//! see. Each value that has the right shape goes into a
//! [`cors_rules::Draft`] located by its tokens, and [`cors_rules::check`]
//! applies every rule of meaning; its mistakes and the ones found here are
//! reported together, in the order the keys are written, each at the
//! offending tokens.
//!
//! Messages follow rustc's register: lower case, no trailing period, code in
//! backticks, what is wrong and why, then the fix after a semicolon.
//! `docs/diagnostics.md` lists them all.

use cors_rules::{Checked, Draft, Item, Key, List, Site, INSECURE_KEY};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Expr, ExprCall, ExprLit, ExprUnary, Lit, LitStr, Path, UnOp};

use crate::attr::{Args, Entry};
use crate::ctxt::Ctxt;

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

/// Where a value was written: its tokens, for the error's span, and its place
/// (entry, item) in the attribute, for the order errors are reported in.
#[derive(Clone)]
pub struct Loc {
    pub tokens: TokenStream,
    order: (usize, usize),
}

impl Loc {
    fn new(tokens: impl ToTokens, entry: usize, item: usize) -> Self {
        Self {
            tokens: tokens.into_token_stream(),
            order: (entry, item),
        }
    }
}

/// `origins = env("NAME")` or `env("NAME", default = [...])`.
pub struct Env {
    pub name: String,
}

/// A policy whose keys all passed.
pub struct Policy {
    /// `policy = BASE`.
    pub base: Option<Path>,
    pub checked: Checked<Loc>,
    /// `origins = env(...)`; its default, if any, is `checked.origins`.
    pub env: Option<Env>,
    /// The keys written here, with their `key = value` tokens (for the spans
    /// of the checks against `BASE`'s keys).
    pub written: Vec<(String, TokenStream)>,
}

impl Policy {
    pub fn written(&self, key: &str) -> Option<&TokenStream> {
        self.written
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, tokens)| tokens)
    }
}

/// The errors found here, with their place, before they join the rules' ones.
struct Errors(Vec<((usize, usize), syn::Error)>);

impl Errors {
    fn at(
        &mut self,
        order: (usize, usize),
        tokens: impl ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.0.push((
            order,
            syn::Error::new_spanned(tokens.into_token_stream(), message),
        ));
    }
}

/// Checks the shape of every entry, then every rule through `cors_rules`.
/// `None` when anything is wrong (every error is in `cx`).
pub fn policy(cx: &mut Ctxt, args: Args, site: Site) -> Option<Policy> {
    let mut errors = Errors(Vec::new());
    let mut draft: Draft<Loc> = Draft {
        // A missing key is reported at the whole attribute, after the others.
        at: Some(Loc::new(TokenStream::new(), usize::MAX, 0)),
        ..Draft::default()
    };
    let mut base = None;
    let mut env = None;
    let mut written = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, entry) in args.entries.iter().enumerate() {
        let key = entry.key.to_string();
        let whole = {
            let (k, v) = (&entry.key, &entry.value);
            quote!(#k = #v)
        };
        let at = |tokens: &TokenStream| Loc::new(tokens, i, 0);
        // A list key, at its own tokens or (by default) at `key = value`.
        let keyed = |(value, key_at): (List<Loc>, Option<TokenStream>)| Key {
            value,
            at: at(&key_at.unwrap_or_else(|| whole.clone())),
        };
        if seen.contains(&key) {
            errors.at(
                (i, 0),
                &entry.key,
                format!(
                    "duplicate key `{key}` in {}; give each key once",
                    site_name(site)
                ),
            );
            continue;
        }
        seen.push(key.clone());
        if key != "origins" && KEYS.contains(&key.as_str()) {
            if let Some(call) = env_call(&entry.value) {
                let example = match key.as_str() {
                    "methods" => METHODS.example,
                    "headers" => HEADERS.example,
                    "expose_headers" => EXPOSE.example,
                    "max_age" => "600",
                    "policy" => "DASHBOARD",
                    _ => "true",
                };
                errors.at((i, 0), call, format!(
                    "`env(...)` only works for `origins`, the one key that may differ between deployments; the others are fixed when compiling: write `{key} = {example}` in place"
                ));
                if key == "policy" {
                    draft.origins_partial = true;
                }
                continue;
            }
        }
        let before = errors.0.len();
        match key.as_str() {
            // origins = "*" | origins = ["https://a.example"] | origins = env("NAME", default = [...])
            "origins" => {
                let list = match env_call(&entry.value) {
                    Some(call) => {
                        let (name, default) = env_args(&mut errors, i, call);
                        env = name.map(|name| Env { name });
                        match default {
                            Some((assign, default)) => {
                                // Start-up may replace it: the rules about the
                                // list as a whole stay quiet.
                                draft.origins_partial = true;
                                list(&mut errors, i, &entry.key, default, &ORIGINS).map(
                                    // The rules between keys point at `default = ...`.
                                    |(value, at)| {
                                        (value, at.or_else(|| Some(assign.to_token_stream())))
                                    },
                                )
                            }
                            None => {
                                draft.origins_at_startup = true;
                                None
                            }
                        }
                    }
                    None => list(&mut errors, i, &entry.key, &entry.value, &ORIGINS),
                };
                draft.origins = list.map(keyed);
                draft.origins_partial |= errors.0.len() > before;
            }
            // methods = "*" | methods = [GET, PUT, "PURGE"]
            "methods" => {
                draft.methods = list(&mut errors, i, &entry.key, &entry.value, &METHODS).map(keyed)
            }
            // headers = "*" | headers = ["*", "authorization"] | headers = ["content-type"]
            "headers" => {
                draft.headers = list(&mut errors, i, &entry.key, &entry.value, &HEADERS).map(keyed)
            }
            // expose_headers = "*" | expose_headers = ["x-request-id"]
            "expose_headers" => {
                draft.expose_headers =
                    list(&mut errors, i, &entry.key, &entry.value, &EXPOSE).map(keyed)
            }
            // credentials = true
            "credentials" => {
                draft.credentials = boolean(&mut errors, i, entry).map(|value| Key {
                    value,
                    at: at(&whole),
                })
            }
            // max_age = 600
            "max_age" => {
                draft.max_age = max_age(&mut errors, i, entry).map(|value| Key {
                    value,
                    at: Loc::new(&entry.value, i, 0),
                })
            }
            // private_network = true
            "private_network" => {
                draft.private_network = boolean(&mut errors, i, entry).map(|value| Key {
                    value,
                    at: at(&whole),
                })
            }
            // dangerously_allow_insecure_origins = true
            INSECURE_KEY => {
                draft.allow_insecure = boolean(&mut errors, i, entry).map(|value| Key {
                    value,
                    at: at(&whole),
                })
            }
            // policy = DASHBOARD
            "policy" => {
                base = policy_path(&mut errors, i, entry, site);
                draft.base = base.as_ref().map(path_text);
                // Written but rejected: `origins` is not missing for that.
                draft.origins_partial |= base.is_none();
            }
            _ => {
                let (message, suggestion) = unknown_key(&key, site);
                // `orgins = [...]` is not also reported as a missing `origins`.
                draft.origins_partial |= suggestion == Some("origins");
                errors.at((i, 0), &entry.key, message);
            }
        }
        if errors.0.len() == before && key != "policy" && KEYS.contains(&key.as_str()) {
            written.push((key, whole));
        }
    }
    let mut errors = errors.0;
    let checked = match cors_rules::check(draft, site) {
        Ok(checked) => Some(checked),
        Err(mistakes) => {
            for mistake in mistakes {
                // The rules between keys after every key's own mistakes.
                let order = if mistake.between_keys {
                    (usize::MAX, 0)
                } else {
                    mistake.at.order
                };
                let error = syn::Error::new_spanned(mistake.at.tokens, mistake.message);
                errors.push((order, error));
            }
            None
        }
    };
    errors.sort_by_key(|(order, _)| *order);
    let ok = errors.is_empty();
    cx.extend(errors.into_iter().map(|(_, e)| e));
    Some(Policy {
        base,
        checked: checked.filter(|_| ok)?,
        env,
        written,
    })
}

fn site_name(site: Site) -> &'static str {
    match site {
        Site::PolicyMacro => "policy!(...)",
        _ => "#[cors(...)]",
    }
}

pub fn path_text(path: &Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

/// `env(...)`, written as a call of a bare `env`.
fn env_call(value: &Expr) -> Option<&ExprCall> {
    match value {
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident("env") => Some(call),
            _ => None,
        },
        _ => None,
    }
}

const ENV_EXAMPLE: &str = "env(\"ALLOWED_ORIGINS\", default = [\"https://app.example.com\"])";

/// The name of `env("NAME", default = ...)`, and its default as written.
#[allow(clippy::type_complexity)]
fn env_args<'a>(
    errors: &mut Errors,
    i: usize,
    call: &'a ExprCall,
) -> (Option<String>, Option<(&'a syn::ExprAssign, &'a Expr)>) {
    let mut args = call.args.iter();
    let name = match args.next() {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(name),
            ..
        })) => env_name(errors, i, name),
        Some(other) => {
            errors.at((i, 0), other, "the variable's name in `env(...)` is a string literal: the macro checks it while compiling, so it cannot read a `const` or a variable; write e.g. `env(\"ALLOWED_ORIGINS\")`");
            None
        }
        None => {
            errors.at((i, 0), call, format!("`env(...)` takes the name of an environment variable, and optionally the origins to use when it is unset; write e.g. `{ENV_EXAMPLE}`"));
            None
        }
    };
    let mut default = None;
    for arg in args {
        match arg {
            Expr::Assign(assign) if default.is_none() && is_ident(&assign.left, "default") => {
                default = Some((assign, &*assign.right))
            }
            Expr::Assign(assign) if !is_ident(&assign.left, "default") => {
                let left = &assign.left;
                let written = quote!(#left).to_string();
                errors.at((i, 0), left, format!(
                    "unknown argument `{written}` in `env(...)`: after the name it takes only `default`, the origins to use when the variable is unset, e.g. `{ENV_EXAMPLE}`"
                ));
            }
            other => errors.at((i, 0), other, format!(
                "`env(...)` takes the name of an environment variable and, once, `default = [...]`; write e.g. `{ENV_EXAMPLE}`"
            )),
        }
    }
    (name, default)
}

fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// A plausible environment variable name: not empty, no `=` or NUL (the
/// separators of the environment block).
fn env_name(errors: &mut Errors, i: usize, lit: &LitStr) -> Option<String> {
    let name = lit.value();
    if name.is_empty() {
        errors.at((i, 0), lit, "`env(\"\")` names no environment variable; write its name, e.g. `env(\"ALLOWED_ORIGINS\")`");
        return None;
    }
    if let Some(bad) = name.find(['=', '\0']) {
        let what = if name[bad..].starts_with('=') {
            "`=`"
        } else {
            "a NUL character"
        };
        let before = name[..bad].trim();
        let fix = if before.is_empty() {
            "write the variable's name alone, e.g. `env(\"ALLOWED_ORIGINS\")`".to_owned()
        } else {
            format!("write `env(\"{before}\")`, and set the value in the environment")
        };
        errors.at(
            (i, 0),
            lit,
            format!(
            "`{}` is not the name of an environment variable: a name never contains {what}; {fix}",
            name.escape_default()
        ),
        );
        return None;
    }
    Some(name)
}

/// How each list-valued key reads, for the messages given here.
struct ListKey {
    /// `one origin`
    item: &'static str,
    /// `an origin`, for a non-string item
    what: &'static str,
    /// `["https://app.example.com"]`
    example: &'static str,
    /// Whether items are written as idents (`GET`) when they can be.
    idents: bool,
}

const ORIGINS: ListKey = ListKey {
    item: "one origin",
    what: "an origin",
    example: "[\"https://app.example.com\"]",
    idents: false,
};
const METHODS: ListKey = ListKey {
    item: "one method",
    what: "a method",
    example: "[GET, PUT, \"PURGE\"]",
    idents: true,
};
const HEADERS: ListKey = ListKey {
    item: "one header",
    what: "a request header name",
    example: "[\"content-type\", \"x-api-key\"]",
    idents: false,
};
const EXPOSE: ListKey = ListKey {
    item: "one header",
    what: "a response header name",
    example: "[\"x-request-id\"]",
    idents: false,
};

/// A `"*"` on its own or a bracketed list, its items as written; and, for
/// `key = []`, the tokens to report that at (the brackets).
fn list(
    errors: &mut Errors,
    i: usize,
    key: &syn::Ident,
    value: &Expr,
    list: &ListKey,
) -> Option<(List<Loc>, Option<TokenStream>)> {
    let order = (i, 0);
    let array = match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => return Some((List::Any, None)),
        Expr::Array(array) if array.elems.is_empty() => {
            return Some((List::Items(Vec::new()), Some(array.to_token_stream())))
        }
        Expr::Array(array) => array,
        // `origins = "https://app.example.com"`, `methods = GET`
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            errors.at(order, s, not_a_list(key, list, &s.value()));
            return None;
        }
        Expr::Path(p) if list.idents && p.path.get_ident().is_some() => {
            let ident = p.path.get_ident().unwrap().to_string();
            errors.at(order, p, not_a_list(key, list, &ident));
            return None;
        }
        // `origins = ALLOWED_ORIGINS`
        Expr::Path(p) => {
            errors.at(
                order,
                p,
                format!("`{key}` must be written in place: the policy is checked while compiling, so it cannot read a `const` or a variable; write `{key} = {}`, or share a whole policy with `policy!` and `policy = NAME`", list.example),
            );
            return None;
        }
        other => {
            errors.at(
                order,
                other,
                format!(
                    "`{key}` takes `\"*\"` or a list, e.g. `{key} = {}`",
                    list.example
                ),
            );
            return None;
        }
    };
    let mut items = Vec::new();
    for (j, item) in array.elems.iter().enumerate() {
        let at = Loc::new(item, i, j + 1);
        let text = match item {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => s.value(),
            Expr::Path(p) if list.idents && p.path.get_ident().is_some() => {
                p.path.get_ident().unwrap().to_string()
            }
            other if list.idents => {
                errors.at(at.order, other, "expected a method: an identifier such as `GET`, or a string literal such as `\"PURGE\"` for an extension method");
                continue;
            }
            other => {
                errors.at(at.order, other, format!("expected {} as a string literal: the policy is checked while compiling, so it cannot read a `const` or a variable", list.what));
                continue;
            }
        };
        items.push(Item { text, at });
    }
    // Every item rejected: the value as a whole has had its errors.
    if items.is_empty() {
        return None;
    }
    Some((List::Items(items), None))
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

// policy = DASHBOARD
fn policy_path(errors: &mut Errors, i: usize, entry: &Entry, site: Site) -> Option<Path> {
    match (site, &entry.value) {
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
            errors.at((i, 0), value, message);
            None
        }
        _ => {
            errors.at(
                (i, 0),
                &entry.key,
                "`policy` only works in #[cors(...)]: a named policy cannot extend another one; copy the keys you need",
            );
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
                site_name(site)
            ),
            Some(close),
        ),
        None => {
            let all: Vec<String> = keys().map(|k| format!("`{k}`")).collect();
            (
                format!(
                    "unknown key `{key}` in {}; expected one of {}",
                    site_name(site),
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

fn boolean(errors: &mut Errors, i: usize, entry: &Entry) -> Option<bool> {
    let key = &entry.key;
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.value),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if matches!(s.value().as_str(), "true" | "false") => {
            errors.at(
                (i, 0),
                s,
                format!(
                    "`{key}` takes a bool, not a string; write `{key} = {}`",
                    s.value()
                ),
            );
            None
        }
        other => {
            errors.at((i, 0), other, format!("`{key}` takes `true` or `false`"));
            None
        }
    }
}

/// The number of seconds as written; its bound is a rule of `cors_rules`.
fn max_age(errors: &mut Errors, i: usize, entry: &Entry) -> Option<u64> {
    match &entry.value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => match int.base10_parse::<u64>() {
            Ok(seconds) => Some(seconds),
            Err(e) => {
                errors.0.push(((i, 0), e));
                None
            }
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => {
            errors.at(
                (i, 0),
                &entry.value,
                "`max_age` cannot be negative: browsers ignore such a value and cache for 5 seconds; use `max_age = 0` to disable preflight caching",
            );
            None
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value().parse::<u32>().is_ok() => {
            errors.at(
                (i, 0),
                s,
                format!(
                    "`max_age` takes a number of seconds, not a string; write `max_age = {}`",
                    s.value()
                ),
            );
            None
        }
        other => {
            errors.at(
                (i, 0),
                other,
                "`max_age` takes a whole number of seconds from 0 to 86400, e.g. `max_age = 600`",
            );
            None
        }
    }
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
