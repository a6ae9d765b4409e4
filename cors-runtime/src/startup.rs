//! Policies completed at start-up: origins read from the environment
//! (`origins = env("NAME")`) and policies built at run time
//! ([`PolicyBuilder`](crate::PolicyBuilder)).
//!
//! Both go through the checks the macros run (`cors_rules`), and both end as
//! a `&'static CorsPolicy` whose tables are allocated once and kept for the
//! rest of the process. That is what lets such a policy go wherever a
//! compile-time one goes, at the same cost per request: the engines look up
//! the same kind of sorted `'static` tables.

use std::ffi::{OsStr, OsString};
use std::sync::{Mutex, PoisonError};

use cors_rules::{Facts, Item, List};

use crate::error::{Mistake, Place, PolicyError};
use crate::origin::{HostPattern, OriginList};
use crate::policy::{CorsPolicy, EnvOrigins, Origins};

impl CorsPolicy {
    /// Reads and checks, now, the environment variable this policy takes its
    /// origins from (`origins = env("NAME")`), for an app that reports a bad
    /// value itself; building a router or layer with the policy panics with
    /// the same report. The variable is read once per process: routers built
    /// afterwards use the value read here. `Ok` for a policy that reads
    /// nothing.
    ///
    /// ```
    /// use cors_runtime::{policy, CorsPolicy};
    ///
    /// const SITE: CorsPolicy = policy!(
    ///     origins = env("DOCTEST_SITE_ORIGINS", default = ["http://localhost:5173"]),
    /// );
    ///
    /// if let Err(report) = SITE.check_env() {
    ///     eprintln!("{report}");
    ///     std::process::exit(2);
    /// }
    /// ```
    pub fn check_env(&'static self) -> Result<(), PolicyError> {
        resolve(self).map(|_| ())
    }
}

/// `policy` as it is served: itself, or, when its origins come from the
/// environment, a copy with the origins read and checked now. The variable is
/// read once per process, and the answer for one policy is kept, so building
/// many routers with it neither reads again nor allocates again.
pub(crate) fn resolve(policy: &'static CorsPolicy) -> Result<&'static CorsPolicy, PolicyError> {
    let Origins::Env(env) = policy.origins else {
        return Ok(policy);
    };
    type Resolved = Result<&'static CorsPolicy, PolicyError>;
    static RESOLVED: Mutex<Vec<(usize, Resolved)>> = Mutex::new(Vec::new());
    let key = policy as *const CorsPolicy as usize;
    let mut resolved = RESOLVED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, answer)) = resolved.iter().find(|(k, _)| *k == key) {
        return answer.clone();
    }
    let value = read_once(env.name);
    let answer = env_origins(env, value.as_deref(), &rest_facts(policy))
        .map(|origins| &*Box::leak(Box::new(CorsPolicy { origins, ..*policy })));
    resolved.push((key, answer.clone()));
    answer
}

/// `resolve`, panicking with the report: what building a router does.
#[track_caller]
pub(crate) fn resolve_or_panic(policy: &'static CorsPolicy) -> &'static CorsPolicy {
    match resolve(policy) {
        Ok(policy) => policy,
        Err(error) => panic!("{error}"),
    }
}

/// The value of the environment variable `name`, read the first time it is
/// asked for and the same ever after, so that every router of the process
/// sees one value.
fn read_once(name: &'static str) -> Option<OsString> {
    static READ: Mutex<Vec<(&'static str, Option<OsString>)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, value)) = read.iter().find(|(n, _)| *n == name) {
        return value.clone();
    }
    let value = std::env::var_os(name);
    read.push((name, value.clone()));
    value
}

/// The facts of `policy`'s keys other than `origins`, which the origins read
/// at start-up are checked against.
fn rest_facts(policy: &CorsPolicy) -> Facts {
    Facts {
        any_origin: false,
        insecure_origin: false,
        ..crate::contract::facts(policy)
    }
}

/// The origins of `origins = env(..)` for the variable's `value` (`None`:
/// unset), checked as a literal list would be, against `rest`.
pub(crate) fn env_origins(
    env: &EnvOrigins,
    value: Option<&OsStr>,
    rest: &Facts,
) -> Result<Origins, PolicyError> {
    let name = env.name;
    let fail = |value: Option<String>, message: String| {
        Err(PolicyError::env(
            name,
            value,
            [Mistake::new(Place::Key(name), message)],
        ))
    };
    let Some(value) = value else {
        return match env.default {
            // Checked at compile time, with the other keys.
            Some(default) => Ok(default),
            None => fail(None, format!(
                "`{name}` is not set, and the policy reads its allowed origins from it; set it to the allowed origins, separated by commas or spaces (e.g. `{name}=\"https://app.example.com\"`), or give the policy a default: `origins = env(\"{name}\", default = [\"http://localhost:5173\"])`"
            )),
        };
    };
    let Some(text) = value.to_str() else {
        return fail(
            Some(value.to_string_lossy().into_owned()),
            format!("`{name}` is not valid UTF-8, and origins are ASCII; set it to the allowed origins, separated by commas or spaces"),
        );
    };
    let list = split_list(text);
    if matches!(&list, List::Items(items) if items.is_empty()) {
        return fail(Some(text.to_owned()), format!(
            "`{name}` is empty, which allows no origin; set it to the allowed origins, separated by commas or spaces (e.g. `{name}=\"https://app.example.com\"`), or to `*` for a public resource"
        ));
    }
    match cors_rules::check_origins(list, Place::Key(name), rest, env.allow_insecure) {
        Ok(origins) => Ok(leak_origins(origins, env.allow_insecure)),
        Err(mistakes) => Err(PolicyError::env(
            name,
            Some(text.to_owned()),
            mistakes.into_iter().map(Mistake::from),
        )),
    }
}

/// A list as an environment variable or a config string writes it: entries
/// separated by commas and/or whitespace; `*` alone is the wildcard.
pub(crate) fn split_list(text: &str) -> List<Place> {
    let entries: Vec<&str> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|entry| !entry.is_empty())
        .collect();
    if entries == ["*"] {
        return List::Any;
    }
    List::Items(
        entries
            .into_iter()
            .map(|entry| Item {
                text: entry.to_owned(),
                at: Place::Entry(entry.to_owned()),
            })
            .collect(),
    )
}

/// Checked origins as the tables a request is matched against, allocated
/// once for the rest of the process.
pub(crate) fn leak_origins(origins: cors_rules::Origins<Place>, allow_insecure: bool) -> Origins {
    let tables = match origins {
        cors_rules::Origins::Any => return Origins::Any,
        cors_rules::Origins::List(tables) => tables,
    };
    let patterns = |table: Vec<cors_rules::HostPattern>| -> &'static [HostPattern] {
        let table: Vec<HostPattern> = table
            .into_iter()
            .map(|p| HostPattern {
                scheme: leak_str(p.scheme),
                host: leak_str(p.host),
                port: leak_str(p.port),
            })
            .collect();
        Box::leak(table.into_boxed_slice())
    };
    Origins::List(OriginList::new(
        leak_strs(tables.exact),
        patterns(tables.any_port),
        patterns(tables.subdomains),
        !allow_insecure && !tables.insecure.is_empty(),
    ))
}

pub(crate) fn leak_str(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

pub(crate) fn leak_strs(list: Vec<String>) -> &'static [&'static str] {
    let list: Vec<&'static str> = list.into_iter().map(leak_str).collect();
    Box::leak(list.into_boxed_slice())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::{env_origins, split_list};
    use crate::policy::{EnvOrigins, Origins};
    use cors_rules::{Facts, List};

    const ENV: EnvOrigins = EnvOrigins {
        name: "APP_ORIGINS",
        default: None,
        allow_insecure: false,
    };

    fn origins(value: Option<&str>, rest: Facts) -> Result<Origins, String> {
        env_origins(&ENV, value.map(OsStr::new), &rest).map_err(|e| e.to_string())
    }

    #[test]
    fn entries_are_separated_by_commas_and_whitespace() {
        let List::Items(items) =
            split_list(" https://a.example,https://b.example\n\thttps://c.example , ")
        else {
            panic!("a list");
        };
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "https://a.example",
                "https://b.example",
                "https://c.example"
            ]
        );
        assert_eq!(split_list(" * "), List::Any);
    }

    #[test]
    fn an_unset_variable_without_default_names_the_variable_and_the_fix() {
        let report = origins(None, Facts::default()).unwrap_err();
        assert!(report.contains("`APP_ORIGINS` is not set"), "{report}");
        assert!(report.contains("default = ["), "{report}");
    }

    #[test]
    fn an_unset_variable_takes_the_default() {
        let with_default = EnvOrigins {
            default: Some(Origins::Any),
            ..ENV
        };
        assert!(matches!(
            env_origins(&with_default, None, &Facts::default()),
            Ok(Origins::Any)
        ));
    }

    #[test]
    fn an_empty_variable_is_refused_even_with_a_default() {
        let with_default = EnvOrigins {
            default: Some(Origins::Any),
            ..ENV
        };
        for value in ["", " , "] {
            let report = env_origins(&with_default, Some(OsStr::new(value)), &Facts::default())
                .unwrap_err()
                .to_string();
            assert!(report.contains("is empty"), "{report}");
        }
    }

    #[test]
    fn every_bad_entry_is_quoted_with_the_compile_time_sentence() {
        let report = origins(
            Some("https://ok.example https://app.example.com/ \"https://q.example\""),
            Facts::default(),
        )
        .unwrap_err();
        assert!(
            report.starts_with(
                "invalid CORS origins in the environment variable `APP_ORIGINS` (2 mistakes):"
            ),
            "{report}"
        );
        assert!(
            report.contains(
                "\n  - `https://app.example.com/`: origin `https://app.example.com/` never matches"
            ),
            "{report}"
        );
        assert!(report.contains("\n  - `\"https://q.example\"`: origin `\"https://q.example\"` has a quote at each end; remove them"), "{report}");
        assert!(report.ends_with("APP_ORIGINS=\"https://ok.example https://app.example.com/ \\\"https://q.example\\\"\""), "{report}");
    }

    #[test]
    fn the_rules_between_keys_see_the_origins_read() {
        let credentials = Facts {
            credentials: true,
            ..Facts::default()
        };
        let report = origins(Some("*"), credentials).unwrap_err();
        assert!(report.contains("cannot be combined with"), "{report}");
        let report = origins(Some("http://staging.example"), credentials).unwrap_err();
        assert!(
            report.contains("plain-http origin `http://staging.example`"),
            "{report}"
        );
        assert!(origins(Some("http://staging.example"), Facts::default()).is_ok());
        assert!(origins(Some("http://localhost:5173"), credentials).is_ok());
    }
}
