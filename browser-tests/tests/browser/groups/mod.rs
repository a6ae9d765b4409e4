//! The scenarios, by topic, and how they share browser launches.

use crate::cx::Group;

pub mod cache;
pub mod composition;
pub mod credentials;
pub mod errors;
pub mod expose;
pub mod headers;
pub mod preflight;
pub mod routing;
pub mod simple;
pub mod websocket;

/// One Chromium launch per group. Paths are unique per scenario, so sharing a browser (and its
/// preflight cache and cookie jar) between topics cannot change an outcome.
pub const GROUPS: &[Group] = &[
    Group {
        name: "requests",
        parts: &[
            ("simple", simple::SCENARIOS),
            ("preflight", preflight::SCENARIOS),
        ],
    },
    Group {
        name: "headers",
        parts: &[("headers", headers::SCENARIOS), ("cache", cache::SCENARIOS)],
    },
    Group {
        name: "credentials",
        parts: &[
            ("credentials", credentials::SCENARIOS),
            ("expose", expose::SCENARIOS),
        ],
    },
    Group {
        name: "routing",
        parts: &[
            ("errors", errors::SCENARIOS),
            ("routing", routing::SCENARIOS),
            ("composition", composition::SCENARIOS),
            ("websocket", websocket::SCENARIOS),
        ],
    },
];
