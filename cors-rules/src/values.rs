//! The checks of each key's value, and of the rules between keys given
//! together (through [`Conflict`]): the bodies of [`crate::check`] and
//! [`crate::check_origins`].
//!
//! Messages follow rustc's register: lower case, no trailing period, code in
//! backticks, what is wrong and why a browser would not honour it, then the
//! fix after a semicolon. `docs/diagnostics.md` lists them all.

use crate::origin::{self, OriginPattern};
use crate::{
    Checked, Conflict, Draft, Expose, Facts, Headers, HostPattern, Inherited, Item, Key, List,
    Methods, Mistake, OriginTables, Origins, Site, INSECURE_KEY, MAX_AGE_LIMIT,
};

impl Site {
    /// How messages name the policy.
    fn name(self) -> &'static str {
        match self {
            Self::Attribute => "#[cors(...)]",
            Self::PolicyMacro => "policy!(...)",
            Self::Runtime => "the policy",
        }
    }
}

/// The mistakes found so far; checks push and go on.
struct Found<L> {
    mistakes: Vec<Mistake<L>>,
}

impl<L: Clone> Found<L> {
    fn new() -> Self {
        Self {
            mistakes: Vec::new(),
        }
    }

    fn value(&mut self, at: &L, message: impl Into<String>) {
        self.push(at, message.into(), false);
    }

    fn between(&mut self, at: &L, message: impl Into<String>) {
        self.push(at, message.into(), true);
    }

    fn push(&mut self, at: &L, message: String, between_keys: bool) {
        self.mistakes.push(Mistake {
            at: at.clone(),
            message,
            between_keys,
        });
    }

    fn count(&self) -> usize {
        self.mistakes.len()
    }
}

/// `origins` whose entries passed one by one, with what was written.
enum Parsed<L> {
    Any,
    List(Vec<(OriginPattern, Item<L>)>),
}

impl<L> Parsed<L> {
    fn insecure(&self) -> impl Iterator<Item = &Item<L>> {
        let list = match self {
            Self::List(list) => list.as_slice(),
            Self::Any => &[],
        };
        list.iter()
            .filter(|(o, _)| o.is_insecure())
            .map(|(_, item)| item)
    }
}

pub(crate) fn check<L: Clone>(draft: Draft<L>, site: Site) -> Result<Checked<L>, Vec<Mistake<L>>> {
    let mut found = Found::new();

    // Each key on its own.
    let before = found.count();
    let origins = draft
        .origins
        .as_ref()
        .and_then(|k| origins(&mut found, &k.value, &k.at));
    let origins_partial = draft.origins_partial || found.count() > before;
    let methods = draft
        .methods
        .as_ref()
        .and_then(|k| methods(&mut found, &k.value, &k.at));
    let headers = draft
        .headers
        .as_ref()
        .and_then(|k| headers(&mut found, &k.value, &k.at));
    let expose = draft
        .expose_headers
        .as_ref()
        .and_then(|k| expose(&mut found, &k.value, &k.at));
    let max_age = draft.max_age.as_ref().and_then(|k| {
        let seconds = k.value;
        match u32::try_from(seconds) {
            Ok(s) if s <= MAX_AGE_LIMIT => Some(s),
            _ => {
                found.value(&k.at, format!(
                    "`max_age = {seconds}` is above {MAX_AGE_LIMIT}, the longest any browser caches a preflight (Chromium stops at 7200); use at most {MAX_AGE_LIMIT}"
                ));
                None
            }
        }
    });

    // A key left out. Written but rejected keys have had their mistake.
    if draft.origins.is_none()
        && !draft.origins_at_startup
        && !draft.origins_partial
        && draft.base.is_none()
    {
        let at =
            draft.at.clone().or_else(|| first_key(&draft)).expect(
                "a draft without `origins` has `at` or some key to locate the missing key at",
            );
        found.between(&at, format!(
            "{} needs `origins`: without it no origin may read the response; add `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for a public resource",
            site.name()
        ));
    }

    // The rules between keys given here (those with a key of `BASE` are the
    // front end's, through the same `Conflict` table).
    let credentials = flag(&draft.credentials);
    let private_network = flag(&draft.private_network);
    let allow_insecure = flag(&draft.allow_insecure);
    let any_origin = any(&draft.origins, matches!(origins, Some(Parsed::Any)));
    let insecure: Vec<&Item<L>> = origins.iter().flat_map(Parsed::insecure).collect();
    let facts = Facts {
        credentials: credentials.is_some(),
        any_origin: any_origin.is_some(),
        any_method: matches!(methods, Some(Methods::Any)),
        any_header: matches!(headers, Some(Headers::Any { .. })),
        any_expose: matches!(expose, Some(Expose::Any)),
        insecure_origin: allow_insecure.is_none() && !insecure.is_empty(),
        private_network: private_network.is_some(),
    };
    for conflict in Conflict::ALL {
        if conflict == Conflict::PrivateNetworkAnyOrigin {
            no_effect(
                &mut found,
                &draft,
                site,
                allow_insecure,
                &insecure,
                origins_partial,
            );
        }
        if !conflict.holds(&facts) {
            continue;
        }
        let (flag, other) = match conflict {
            Conflict::CredentialsInsecureOrigin => {
                for item in &insecure {
                    let message = conflict.message(Inherited::Neither, Some(&item.text));
                    found.between(&item.at, message);
                }
                continue;
            }
            Conflict::PrivateNetworkAnyOrigin => (private_network, any_origin),
            Conflict::CredentialsAnyOrigin => (credentials, any_origin),
            Conflict::CredentialsAnyMethod => (credentials, any(&draft.methods, true)),
            Conflict::CredentialsAnyHeader => (credentials, any(&draft.headers, true)),
            Conflict::CredentialsAnyExpose => (credentials, any(&draft.expose_headers, true)),
        };
        let message = conflict.message(Inherited::Neither, None);
        for at in [flag, other].into_iter().flatten() {
            found.between(at, message.clone());
        }
    }

    if found.count() > 0 {
        return Err(found.mistakes);
    }
    Ok(Checked {
        origins: origins.map(tables),
        methods,
        headers,
        expose,
        credentials: draft.credentials.map(|k| k.value),
        max_age,
        private_network: draft.private_network.map(|k| k.value),
        allow_insecure: allow_insecure.is_some(),
    })
}

/// `dangerously_allow_insecure_origins = true` where it changes nothing.
fn no_effect<L: Clone>(
    found: &mut Found<L>,
    draft: &Draft<L>,
    site: Site,
    allow_insecure: Option<&L>,
    insecure: &[&Item<L>],
    origins_partial: bool,
) {
    let Some(at) = allow_insecure else {
        return;
    };
    // With `policy = BASE` and no `origins` here, the opt-in covers BASE's;
    // without a default, `env("NAME")` origins are only known at start-up.
    let origins_elsewhere =
        draft.origins.is_none() && (draft.base.is_some() || draft.origins_at_startup);
    // `policy!` may become credentialed as the base of a `#[cors]`.
    let credentials_possible = match &draft.credentials {
        Some(c) => c.value,
        None => draft.base.is_some() || site == Site::PolicyMacro,
    };
    if insecure.is_empty() && !origins_elsewhere && !origins_partial {
        found.between(at, format!("`{INSECURE_KEY} = true` has no effect: no origin here is plain `http` off loopback; remove it"));
    } else if !credentials_possible {
        found.between(at, format!("`{INSECURE_KEY} = true` has no effect without `credentials = true`: plain-http origins are only refused on credentialed requests; remove it"));
    }
}

fn first_key<L: Clone>(draft: &Draft<L>) -> Option<L> {
    let lists = [
        &draft.origins,
        &draft.methods,
        &draft.headers,
        &draft.expose_headers,
    ];
    let flags = [
        &draft.credentials,
        &draft.private_network,
        &draft.allow_insecure,
    ];
    lists
        .into_iter()
        .flatten()
        .map(|k| k.at.clone())
        .chain(flags.into_iter().flatten().map(|k| k.at.clone()))
        .chain(draft.max_age.iter().map(|k| k.at.clone()))
        .next()
}

pub(crate) fn check_origins<L: Clone>(
    list: List<L>,
    at: L,
    rest: &Facts,
    allow_insecure: bool,
) -> Result<Origins<L>, Vec<Mistake<L>>> {
    let mut found = Found::new();
    let parsed = origins(&mut found, &list, &at);
    if let Some(parsed) = &parsed {
        let insecure: Vec<&Item<L>> = parsed.insecure().collect();
        let facts = Facts {
            any_origin: matches!(parsed, Parsed::Any),
            insecure_origin: !allow_insecure && !insecure.is_empty(),
            ..*rest
        };
        for conflict in Conflict::ALL {
            if conflict.keys().1 != "origins" || !conflict.holds(&facts) {
                continue;
            }
            if conflict == Conflict::CredentialsInsecureOrigin {
                for item in &insecure {
                    let message = conflict.message(Inherited::Neither, Some(&item.text));
                    found.between(&item.at, message);
                }
            } else {
                found.between(&at, conflict.message(Inherited::Neither, None));
            }
        }
    }
    match parsed {
        Some(parsed) if found.count() == 0 => Ok(tables(parsed)),
        _ => Err(found.mistakes),
    }
}

/// The runtime's tables, sorted in the byte order its binary searches use
/// (`str::cmp`, and `HostPattern`'s derived `Ord`: by scheme, host, port).
fn tables<L>(parsed: Parsed<L>) -> Origins<L> {
    let list = match parsed {
        Parsed::Any => return Origins::Any,
        Parsed::List(list) => list,
    };
    let mut tables = OriginTables {
        exact: Vec::new(),
        any_port: Vec::new(),
        subdomains: Vec::new(),
        insecure: Vec::new(),
    };
    for (pattern, item) in list {
        if pattern.is_insecure() {
            tables.insecure.push(item);
        }
        match pattern {
            OriginPattern::Exact(origin) => tables.exact.push(origin),
            OriginPattern::AnyPort { scheme, host } => tables.any_port.push(HostPattern {
                scheme,
                host,
                port: "*".to_owned(),
            }),
            OriginPattern::Subdomains { scheme, apex, port } => {
                tables.subdomains.push(HostPattern {
                    scheme,
                    host: apex,
                    port,
                })
            }
        }
    }
    tables.exact.sort_unstable();
    tables.any_port.sort_unstable();
    tables.subdomains.sort_unstable();
    Origins::List(tables)
}

/// The entries of a list-valued key; `key = []` is a mistake at `at`.
fn items<'a, L: Clone>(
    found: &mut Found<L>,
    list: &'a List<L>,
    at: &L,
    key: &str,
    empty: &str,
) -> Option<Option<&'a [Item<L>]>> {
    match list {
        List::Any => Some(None),
        List::Items(items) if items.is_empty() => {
            found.value(at, format!("`{key} = []` {empty}"));
            None
        }
        List::Items(items) => Some(Some(items)),
    }
}

/// The mistake of a lone `"*"` inside brackets, or of `"*"` next to other items.
fn star_in_list(key: &str, alone: bool, what: &str) -> String {
    if alone {
        format!("`\"*\"` is written without brackets; write `{key} = \"*\"`")
    } else {
        format!("`*` cannot be mixed with other {what}; write `{key} = \"*\"` alone")
    }
}

fn origins<L: Clone>(found: &mut Found<L>, list: &List<L>, at: &L) -> Option<Parsed<L>> {
    let items = items(found, list, at, "origins", "allows no origin; list the allowed origins, e.g. `origins = [\"https://app.example.com\"]`")?;
    let Some(items) = items else {
        return Some(Parsed::Any);
    };
    let alone = items.len() == 1;
    let mut list: Vec<(OriginPattern, Item<L>)> = Vec::new();
    for item in items {
        match origin::parse(&item.text) {
            Ok(pattern) => list.push((pattern, item.clone())),
            Err(_) if item.text == "*" => {
                found.value(&item.at, star_in_list("origins", alone, "origins"))
            }
            Err(message) => found.value(&item.at, message),
        }
    }
    // Duplicates and entries another entry already allows.
    for (i, (pattern, item)) in list.iter().enumerate() {
        let covering = list.iter().enumerate().find(|(j, (other, _))| {
            *j != i && pattern.is_covered_by(other) && (pattern != other || *j < i)
        });
        match covering {
            Some((_, (other, _))) if other == pattern => {
                found.value(&item.at, format!("duplicate origin `{pattern}`; remove it"))
            }
            Some((_, (other, _))) => found.value(
                &item.at,
                format!("origin `{pattern}` is already allowed by `{other}`; remove it"),
            ),
            None => {}
        }
    }
    Some(Parsed::List(list))
}

fn methods<L: Clone>(found: &mut Found<L>, list: &List<L>, at: &L) -> Option<Methods> {
    let items = items(found, list, at, "methods", "allows no method; list the methods, or leave `methods` out to allow the methods the handler is routed on")?;
    let Some(items) = items else {
        return Some(Methods::Any);
    };
    let alone = items.len() == 1;
    let mut list: Vec<String> = Vec::new();
    for item in items {
        let name = &item.text;
        if name == "*" {
            found.value(&item.at, star_in_list("methods", alone, "methods"));
        } else if let Some(problem) = method_problem(name) {
            found.value(&item.at, problem);
        } else if list.contains(name) {
            found.value(&item.at, format!("duplicate method `{name}`; remove it"));
        } else {
            list.push(name.clone());
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

fn headers<L: Clone>(found: &mut Found<L>, list: &List<L>, at: &L) -> Option<Headers> {
    let items = items(
        found,
        list,
        at,
        "headers",
        "is what leaving `headers` out means; remove it",
    )?;
    let Some(items) = items else {
        return Some(Headers::Any {
            authorization: false,
        });
    };
    let names = header_names(found, items, request_header_problem);
    let Some(star) = names.iter().position(|(n, _)| n == "*") else {
        let joined = names
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut sorted: Vec<String> = names.into_iter().map(|(n, _)| n).collect();
        sorted.sort_unstable();
        return Some(Headers::List { sorted, joined });
    };
    let mut authorization = false;
    for (i, (name, item)) in names.iter().enumerate() {
        if i == star {
            continue;
        }
        if name == "authorization" {
            authorization = true;
        } else {
            found.value(
                &item.at,
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

fn expose<L: Clone>(found: &mut Found<L>, list: &List<L>, at: &L) -> Option<Expose> {
    let items = items(
        found,
        list,
        at,
        "expose_headers",
        "is what leaving `expose_headers` out means; remove it",
    )?;
    let Some(items) = items else {
        return Some(Expose::Any);
    };
    let alone = items.len() == 1;
    let names = header_names(found, items, |name| {
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
    let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    Some(Expose::List(names.join(", ")))
}

/// Lower-cased, valid, unique header names; `problem` adds the checks of
/// the list at hand. A `*` is passed to `problem` and, if it has none, through
/// to the caller to place.
fn header_names<'a, L: Clone>(
    found: &mut Found<L>,
    items: &'a [Item<L>],
    problem: impl Fn(&str) -> Option<String>,
) -> Vec<(String, &'a Item<L>)> {
    let mut names: Vec<(String, &Item<L>)> = Vec::new();
    for item in items {
        let written = &item.text;
        let name = written.to_ascii_lowercase();
        if name != "*" && !cors_fetch::is_token(name.as_bytes()) {
            found.value(&item.at, invalid_header(written));
        } else if let Some(message) = problem(&name) {
            found.value(&item.at, message);
        } else if names.iter().any(|(n, _)| *n == name) {
            let message = if *written == name {
                format!("duplicate header `{name}`; remove it")
            } else {
                format!("duplicate header `{written}`: header names are case-insensitive, so it is `{name}` again; remove it")
            };
            found.value(&item.at, message);
        } else {
            names.push((name, item));
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

/// Where a flag is, when it is `true`.
fn flag<L>(key: &Option<Key<L, bool>>) -> Option<&L> {
    key.as_ref().filter(|k| k.value).map(|k| &k.at)
}

/// Where a list-valued key is, when its value is `*` (`checked`).
fn any<L>(key: &Option<Key<L, List<L>>>, checked: bool) -> Option<&L> {
    key.as_ref().filter(|_| checked).map(|k| &k.at)
}
