//! The rules between two keys, as one table.

use crate::INSECURE_KEY;

/// What the rules between keys look at, for one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// `credentials = true`.
    pub credentials: bool,
    /// `origins = "*"`.
    pub any_origin: bool,
    /// `methods = "*"`.
    pub any_method: bool,
    /// `headers = "*"` (with or without `authorization`).
    pub any_header: bool,
    /// `expose_headers = "*"`.
    pub any_expose: bool,
    /// Some origin is plain `http` off loopback and the policy did not opt in
    /// with `dangerously_allow_insecure_origins`.
    pub insecure_origin: bool,
    /// `private_network = true`.
    pub private_network: bool,
}

/// A combination of keys a browser refuses or that is unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// `credentials = true` with `origins = "*"`: browsers refuse it.
    CredentialsAnyOrigin,
    /// `credentials = true` with `methods = "*"`: read as a method named `*`.
    CredentialsAnyMethod,
    /// `credentials = true` with `headers = "*"`: read as a header named `*`.
    CredentialsAnyHeader,
    /// `credentials = true` with `expose_headers = "*"`: read as a header named `*`.
    CredentialsAnyExpose,
    /// `credentials = true` with a plain-`http` origin off loopback, without
    /// the opt-in: anyone on the network path could read the responses.
    CredentialsInsecureOrigin,
    /// `private_network = true` with `origins = "*"`: every website could
    /// reach into the private network.
    PrivateNetworkAnyOrigin,
}

/// Which side of a conflict comes from `policy = BASE`, for the messages of
/// combinations that only appear after a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inherited<'a> {
    /// Both keys are written together.
    Neither,
    /// The flag (`credentials`, `private_network`) comes from the base named here.
    Flag(&'a str),
    /// The other key comes from the base named here.
    Other(&'a str),
}

impl Conflict {
    /// Every rule, in the order mistakes are reported.
    pub const ALL: [Self; 6] = [
        Self::CredentialsAnyOrigin,
        Self::CredentialsAnyMethod,
        Self::CredentialsAnyHeader,
        Self::CredentialsAnyExpose,
        Self::CredentialsInsecureOrigin,
        Self::PrivateNetworkAnyOrigin,
    ];

    /// Whether a policy with these facts breaks this rule; `const` so that a
    /// policy merged at compile time is checked while it is evaluated.
    pub const fn holds(self, facts: &Facts) -> bool {
        let (flag, other) = self.sides(facts);
        flag && other
    }

    /// The two halves of the condition: whether the flag key is `true`, and
    /// whether the other key is the value that conflicts with it. The rule
    /// holds when both do; a front end that merges two policies checks the
    /// rule when one side is written and the other inherited.
    pub const fn sides(self, facts: &Facts) -> (bool, bool) {
        match self {
            Self::CredentialsAnyOrigin => (facts.credentials, facts.any_origin),
            Self::CredentialsAnyMethod => (facts.credentials, facts.any_method),
            Self::CredentialsAnyHeader => (facts.credentials, facts.any_header),
            Self::CredentialsAnyExpose => (facts.credentials, facts.any_expose),
            Self::CredentialsInsecureOrigin => (facts.credentials, facts.insecure_origin),
            Self::PrivateNetworkAnyOrigin => (facts.private_network, facts.any_origin),
        }
    }

    /// The first rule these facts break, if any.
    pub const fn first(facts: &Facts) -> Option<Self> {
        let mut i = 0;
        while i < Self::ALL.len() {
            if Self::ALL[i].holds(facts) {
                return Some(Self::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The flag key and the other key, as written in a policy.
    pub const fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::CredentialsAnyOrigin => ("credentials", "origins"),
            Self::CredentialsAnyMethod => ("credentials", "methods"),
            Self::CredentialsAnyHeader => ("credentials", "headers"),
            Self::CredentialsAnyExpose => ("credentials", "expose_headers"),
            Self::CredentialsInsecureOrigin => ("credentials", "origins"),
            Self::PrivateNetworkAnyOrigin => ("private_network", "origins"),
        }
    }

    /// The message. `origin` is the plain-http origin written here for
    /// [`CredentialsInsecureOrigin`](Self::CredentialsInsecureOrigin), or
    /// `None` when the origins are `BASE`'s.
    pub fn message(self, inherited: Inherited<'_>, origin: Option<&str>) -> String {
        match self {
            Self::CredentialsAnyOrigin
            | Self::CredentialsAnyMethod
            | Self::CredentialsAnyHeader
            | Self::CredentialsAnyExpose => credentialed_wildcard(self.keys().1, inherited),
            Self::CredentialsInsecureOrigin => match (origin, inherited) {
                (Some(origin), _) => insecure_with_credentials(origin, inherited),
                (None, Inherited::Other(base)) => format!(
                    "`credentials = true` cannot be combined with the plain-http origins of `policy = {base}`: anyone on the network path can impersonate them and read the credentialed responses; use `https` origins, or add `{INSECURE_KEY} = true`"
                ),
                (None, _) => format!(
                    "{} cannot be combined with plain-http origins: anyone on the network path can impersonate them and read the credentialed responses; use `https` origins, or add `{INSECURE_KEY} = true`",
                    inherited.credentials()
                ),
            },
            Self::PrivateNetworkAnyOrigin => private_network_any_origin(inherited),
        }
    }

    /// The rule in a few words, for a `const` panic (which cannot format):
    /// `` `credentials = true` with `origins = "*"` ``.
    pub const fn summary(self) -> &'static str {
        match self {
            Self::CredentialsAnyOrigin => "`credentials = true` with `origins = \"*\"`",
            Self::CredentialsAnyMethod => "`credentials = true` with `methods = \"*\"`",
            Self::CredentialsAnyHeader => "`credentials = true` with `headers = \"*\"`",
            Self::CredentialsAnyExpose => "`credentials = true` with `expose_headers = \"*\"`",
            Self::CredentialsInsecureOrigin => {
                "`credentials = true` with a plain-http origin off loopback"
            }
            Self::PrivateNetworkAnyOrigin => "`private_network = true` with `origins = \"*\"`",
        }
    }
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

/// `credentials = true` together with `key = "*"`.
fn credentialed_wildcard(key: &str, inherited: Inherited<'_>) -> String {
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
fn insecure_with_credentials(origin: &str, inherited: Inherited<'_>) -> String {
    format!(
        "plain-http origin `{origin}` cannot be combined with {}: anyone on the network path can impersonate it and read the credentialed responses; use `https`, or add `{INSECURE_KEY} = true`",
        inherited.credentials()
    )
}

/// `private_network = true` together with `origins = "*"`.
fn private_network_any_origin(inherited: Inherited<'_>) -> String {
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
