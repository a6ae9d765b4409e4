//! [`PolicyError`]: every mistake of a policy made at start-up, in one report.

use std::fmt;

/// A policy that cannot be served: origins read from the environment
/// (`origins = env("NAME")`) or a policy built at start-up
/// ([`CorsPolicy::builder`](crate::CorsPolicy::builder)) broke the rules that
/// `#[cors]` checks at compile time.
///
/// It lists every mistake at once, each with the sentence and fix the compile
/// error gives for the same mistake in a literal. Its `Display` is the report
/// that building a router with such a policy panics with:
///
/// ```text
/// invalid CORS origins in the environment variable `CORS_ORIGINS` (2 mistakes):
///   - `https://app.example.com/`: origin `https://app.example.com/` never matches: browsers send an origin without a trailing `/`; write `https://app.example.com`
///   - `http://staging.example.com`: plain-http origin `http://staging.example.com` cannot be combined with `credentials = true`: [...]
/// CORS_ORIGINS="https://app.example.com/ http://staging.example.com"
/// ```
///
/// ```
/// use cors_runtime::CorsPolicy;
///
/// let error = CorsPolicy::builder()
///     .origins(["https://app.example.com/", "*"])
///     .build()
///     .unwrap_err();
/// assert_eq!(error.mistakes().len(), 2);
/// assert!(error.to_string().contains("write `https://app.example.com`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    source: Source,
    mistakes: Vec<Mistake>,
}

/// Where the policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// An environment variable, and its value when it had one.
    Env {
        variable: &'static str,
        value: Option<String>,
    },
    Builder,
}

/// One mistake of a [`PolicyError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    place: Place,
    message: String,
}

/// Where a mistake stands: the location type of `cors_rules` checks made at
/// start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// A whole key (`credentials`), or the whole variable for `env(...)`.
    Key(&'static str),
    /// One entry of a list, as written.
    Entry(String),
}

impl Mistake {
    pub(crate) fn new(place: Place, message: String) -> Self {
        Self { place, message }
    }

    /// The entry as written (`"https://app.example.com/"`), when the mistake
    /// is one entry of a list.
    pub fn entry(&self) -> Option<&str> {
        match &self.place {
            Place::Entry(entry) => Some(entry),
            Place::Key(_) => None,
        }
    }

    /// The sentence: what is wrong, why a browser would not honour it, and
    /// the fix; the same as the compile error for the same mistake.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<cors_rules::Mistake<Place>> for Mistake {
    fn from(mistake: cors_rules::Mistake<Place>) -> Self {
        Self::new(mistake.at, mistake.message)
    }
}

impl PolicyError {
    pub(crate) fn env(
        variable: &'static str,
        value: Option<String>,
        mistakes: impl IntoIterator<Item = Mistake>,
    ) -> Self {
        Self {
            source: Source::Env { variable, value },
            mistakes: mistakes.into_iter().collect(),
        }
    }

    pub(crate) fn builder(mistakes: impl IntoIterator<Item = Mistake>) -> Self {
        Self {
            source: Source::Builder,
            mistakes: mistakes.into_iter().collect(),
        }
    }

    /// Every mistake, in the order of the entries and keys.
    pub fn mistakes(&self) -> &[Mistake] {
        &self.mistakes
    }

    /// The environment variable the origins were read from, if they were.
    pub fn variable(&self) -> Option<&str> {
        match &self.source {
            Source::Env { variable, .. } => Some(variable),
            Source::Builder => None,
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = match self.mistakes.len() {
            1 => "1 mistake".to_owned(),
            n => format!("{n} mistakes"),
        };
        match &self.source {
            Source::Env { variable, .. } => write!(
                f,
                "invalid CORS origins in the environment variable `{variable}` ({count}):"
            )?,
            Source::Builder => write!(f, "invalid CORS policy ({count}):")?,
        }
        for mistake in &self.mistakes {
            match &mistake.place {
                Place::Entry(entry) => write!(f, "\n  - `{entry}`: {}", mistake.message)?,
                Place::Key(_) => write!(f, "\n  - {}", mistake.message)?,
            }
        }
        if let Source::Env {
            variable,
            value: Some(value),
        } = &self.source
        {
            write!(f, "\n{variable}={value:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}
