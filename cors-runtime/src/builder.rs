//! Policies built at run time, from a config file or a database read at
//! start-up: [`PolicyBuilder`], and behind the `serde` feature [`CorsConfig`].

use cors_rules::{Draft, Item, Key, List, Site};

use crate::contract::{self, Parts};
use crate::error::{Mistake, Place, PolicyError};
use crate::policy::{CorsPolicy, ExposeHeaders, Methods, RequestHeaders};
use crate::startup::{leak_origins, leak_str, leak_strs, split_list};

/// Builds a [`CorsPolicy`] at run time, with the checks `#[cors]` runs at
/// compile time; start from [`CorsPolicy::builder`].
///
/// The keys are those of [`#[cors]`](crate::cors), with the same meaning and
/// defaults. A list given as `["*"]` is the wildcard (`origins = "*"`).
/// [`build`](Self::build) returns every mistake at once, each with the
/// sentence and fix of the compile error for the same mistake.
///
/// The built policy lives for the rest of the process (its tables are
/// allocated once and never freed), which is what lets it go wherever a
/// `const` policy goes, at the same cost per request. Build policies once, at
/// start-up, not per request.
///
/// ```
/// use cors_runtime::{CorsLayer, CorsPolicy};
///
/// # fn main() -> Result<(), cors_runtime::PolicyError> {
/// let origins = ["https://app.example.com", "https://*.example.org"]; // from a config file
/// let policy = CorsPolicy::builder()
///     .origins(origins)
///     .methods(["GET", "PUT"])
///     .headers(["content-type"])
///     .credentials(true)
///     .max_age(600)
///     .build()?;
/// let layer = CorsLayer::new(policy);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct PolicyBuilder {
    draft: Draft<Place>,
}

impl CorsPolicy {
    /// A [`PolicyBuilder`], for a policy known only at start-up.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }
}

fn list<I>(key: &'static str, items: I) -> Key<Place, List<Place>>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let items: Vec<String> = items.into_iter().map(|i| i.as_ref().to_owned()).collect();
    let value = if items == ["*"] {
        List::Any
    } else {
        List::Items(
            items
                .into_iter()
                .map(|text| Item {
                    at: Place::Entry(text.clone()),
                    text,
                })
                .collect(),
        )
    };
    Key {
        value,
        at: Place::Key(key),
    }
}

fn flag<T>(key: &'static str, value: T) -> Option<Key<Place, T>> {
    Some(Key {
        value,
        at: Place::Key(key),
    })
}

impl PolicyBuilder {
    /// `origins`: exact origins and patterns (`https://*.example.org`,
    /// `http://localhost:*`), or `["*"]` for any origin.
    pub fn origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.draft.origins = Some(list("origins", origins));
        self
    }

    /// `origins` from a string in the format of `origins = env(..)`: entries
    /// separated by commas and/or whitespace, or `*`. For a value read from a
    /// config file that holds one string.
    pub fn origins_str(mut self, origins: &str) -> Self {
        self.draft.origins = Some(Key {
            value: split_list(origins),
            at: Place::Key("origins"),
        });
        self
    }

    /// `methods`: method names (`"GET"`, `"PURGE"`), or `["*"]`. Left out,
    /// the methods a layer allows are the CORS-safelisted ones.
    pub fn methods<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.draft.methods = Some(list("methods", methods));
        self
    }

    /// `headers`: request header names, `["*"]`, or `["*", "authorization"]`.
    pub fn headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.draft.headers = Some(list("headers", headers));
        self
    }

    /// `expose_headers`: response header names a page may read, or `["*"]`.
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.draft.expose_headers = Some(list("expose_headers", headers));
        self
    }

    /// `credentials`: cookies and HTTP authentication on cross-origin requests.
    pub fn credentials(mut self, credentials: bool) -> Self {
        self.draft.credentials = flag("credentials", credentials);
        self
    }

    /// `max_age`: how long, in seconds (at most 86400), a browser may cache
    /// a preflight answer.
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.draft.max_age = flag("max_age", seconds);
        self
    }

    /// `private_network`: answer Private Network Access preflights.
    pub fn private_network(mut self, private_network: bool) -> Self {
        self.draft.private_network = flag("private_network", private_network);
        self
    }

    /// `dangerously_allow_insecure_origins`: accept plain-`http` origins off
    /// loopback with credentials.
    pub fn dangerously_allow_insecure_origins(mut self, allow: bool) -> Self {
        self.draft.allow_insecure = flag(cors_rules::INSECURE_KEY, allow);
        self
    }

    /// Checks every key and the rules between them, and returns the policy,
    /// or every mistake at once.
    pub fn build(mut self) -> Result<&'static CorsPolicy, PolicyError> {
        // A key left out (`origins`) is reported as that key.
        self.draft.at.get_or_insert(Place::Key("origins"));
        let checked = cors_rules::check(self.draft, Site::Runtime)
            .map_err(|mistakes| PolicyError::builder(mistakes.into_iter().map(Mistake::from)))?;
        let Some(origins) = checked.origins else {
            unreachable!("`check` reports a missing `origins`")
        };
        let methods = match checked.methods {
            None => Methods::Routed,
            Some(cors_rules::Methods::Any) => Methods::Any,
            Some(cors_rules::Methods::List(list)) => Methods::list(leak_strs(list)),
        };
        let headers = match checked.headers {
            None => RequestHeaders::list(&[], ""),
            Some(cors_rules::Headers::Any { authorization }) => {
                RequestHeaders::Any { authorization }
            }
            Some(cors_rules::Headers::List { sorted, joined }) => {
                RequestHeaders::list(leak_strs(sorted), leak_str(joined))
            }
        };
        let expose = match checked.expose {
            None => ExposeHeaders::None,
            Some(cors_rules::Expose::Any) => ExposeHeaders::Any,
            Some(cors_rules::Expose::List(joined)) => ExposeHeaders::List(leak_str(joined)),
        };
        let policy = contract::policy(Parts {
            origins: leak_origins(origins, checked.allow_insecure),
            methods,
            headers,
            expose,
            credentials: checked.credentials.unwrap_or(false),
            max_age: checked.max_age.map(|seconds| leak_str(seconds.to_string())),
            private_network: checked.private_network.unwrap_or(false),
        });
        Ok(Box::leak(Box::new(policy)))
    }
}

/// A CORS policy as a config file writes it, for `serde` (the `serde`
/// feature): embed it in your own config type, read with `config`, `figment`
/// or any `serde` format, and [`build`](Self::build) it at start-up.
///
/// Every key is optional but `origins`. A list is written as a sequence or
/// as one string of entries separated by commas and/or whitespace; `"*"` is
/// the wildcard. Unknown keys are refused by the deserializer.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use cors_runtime::CorsConfig;
///
/// let config: CorsConfig = serde_json::from_str(r#"{
///     "origins": "https://app.example.com https://*.example.org",
///     "methods": ["GET", "PUT"],
///     "credentials": true,
///     "max_age": 600
/// }"#).unwrap();
/// let policy = config.build().unwrap();
/// assert!(policy.allows_credentials());
/// # }
/// ```
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsConfig {
    /// `origins`.
    #[serde(default)]
    pub origins: Option<ConfigList>,
    /// `methods`.
    #[serde(default)]
    pub methods: Option<ConfigList>,
    /// `headers`.
    #[serde(default)]
    pub headers: Option<ConfigList>,
    /// `expose_headers`.
    #[serde(default)]
    pub expose_headers: Option<ConfigList>,
    /// `credentials`.
    #[serde(default)]
    pub credentials: Option<bool>,
    /// `max_age`, in seconds.
    #[serde(default)]
    pub max_age: Option<u64>,
    /// `private_network`.
    #[serde(default)]
    pub private_network: Option<bool>,
    /// `dangerously_allow_insecure_origins`.
    #[serde(default)]
    pub dangerously_allow_insecure_origins: Option<bool>,
}

/// A list in a [`CorsConfig`]: a sequence, or one string of entries
/// separated by commas and/or whitespace (`"*"` for the wildcard).
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum ConfigList {
    /// `"https://a.example, https://b.example"` or `"*"`.
    Text(String),
    /// `["https://a.example", "https://b.example"]`.
    Items(Vec<String>),
}

#[cfg(feature = "serde")]
impl ConfigList {
    fn entries(&self) -> Vec<String> {
        match self {
            Self::Items(items) => items.clone(),
            Self::Text(text) => match split_list(text) {
                List::Any => vec!["*".to_owned()],
                List::Items(items) => items.into_iter().map(|i| i.text).collect(),
            },
        }
    }
}

#[cfg(feature = "serde")]
impl CorsConfig {
    /// The builder with this config's keys.
    pub fn builder(&self) -> PolicyBuilder {
        let mut builder = CorsPolicy::builder();
        if let Some(origins) = &self.origins {
            builder = builder.origins(origins.entries());
        }
        if let Some(methods) = &self.methods {
            builder = builder.methods(methods.entries());
        }
        if let Some(headers) = &self.headers {
            builder = builder.headers(headers.entries());
        }
        if let Some(expose) = &self.expose_headers {
            builder = builder.expose_headers(expose.entries());
        }
        if let Some(credentials) = self.credentials {
            builder = builder.credentials(credentials);
        }
        if let Some(seconds) = self.max_age {
            builder = builder.max_age(seconds);
        }
        if let Some(private_network) = self.private_network {
            builder = builder.private_network(private_network);
        }
        if let Some(allow) = self.dangerously_allow_insecure_origins {
            builder = builder.dangerously_allow_insecure_origins(allow);
        }
        builder
    }

    /// Checks the config and returns the policy, or every mistake at once
    /// (see [`PolicyBuilder::build`]).
    pub fn build(&self) -> Result<&'static CorsPolicy, PolicyError> {
        self.builder().build()
    }
}
