//! The contract between the macros and the runtime: what generated code may
//! build a policy with. Each constructor checks what a lookup relies on, so
//! nothing unchecked reaches a request even when these are called by hand.

use cors_rules::{Conflict, Facts};

use crate::policy::{CorsPolicy, ExposeHeaders, Methods, Origins, RequestHeaders};

/// Every key of a policy, for [`policy`].
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub origins: Origins,
    pub methods: Methods,
    pub headers: RequestHeaders,
    pub expose: ExposeHeaders,
    pub credentials: bool,
    pub max_age: Option<&'static str>,
    pub private_network: bool,
}

/// A policy from its keys; refuses (a panic, at compile time in a `const`)
/// one that breaks a rule between keys of [`Conflict`].
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
    if Conflict::first(&facts(&policy)).is_some() {
        panic!("this CORS policy combines keys a browser refuses or that are unsafe (e.g. `credentials = true` with a wildcard); build policies with #[cors], policy! or CorsPolicy::builder, which say which");
    }
    policy
}

/// What the rules between keys look at.
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

/// `(any_origin, insecure_origin)`; origins from the environment count as
/// their default until they are read.
const fn origin_facts(origins: &Origins) -> (bool, bool) {
    match origins {
        Origins::Any => (true, false),
        Origins::List(list) => (false, list.insecure),
        Origins::Env(env) => match &env.default {
            Some(Origins::Any) => (true, false),
            Some(Origins::List(list)) => (false, list.insecure),
            _ => (false, false),
        },
    }
}
