//! The rules between two keys, as one table.

/// What the rules between keys look at, for one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub credentials: bool,
    pub any_origin: bool,
    pub any_method: bool,
    pub any_header: bool,
    pub any_expose: bool,
    /// Some origin is plain `http` off loopback and the policy did not opt in
    /// with `dangerously_allow_insecure_origins`.
    pub insecure_origin: bool,
    pub private_network: bool,
}

/// A combination of keys a browser refuses or that is unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    CredentialsAnyOrigin,
    CredentialsAnyMethod,
    CredentialsAnyHeader,
    CredentialsAnyExpose,
    CredentialsInsecureOrigin,
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
        match self {
            Self::CredentialsAnyOrigin => facts.credentials && facts.any_origin,
            Self::CredentialsAnyMethod => facts.credentials && facts.any_method,
            Self::CredentialsAnyHeader => facts.credentials && facts.any_header,
            Self::CredentialsAnyExpose => facts.credentials && facts.any_expose,
            Self::CredentialsInsecureOrigin => facts.credentials && facts.insecure_origin,
            Self::PrivateNetworkAnyOrigin => facts.private_network && facts.any_origin,
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
        let _ = (inherited, origin);
        todo!("moved from cors-macros' valid.rs and expand.rs")
    }
}
