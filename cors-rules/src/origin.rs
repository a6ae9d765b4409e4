//! The origin grammar of policies (moved from cors-macros).

/// A valid entry of `origins`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OriginPattern {
    /// `https://app.example.com`
    Exact(String),
    /// `http://localhost:*`
    AnyPort { scheme: String, host: String },
    /// `https://*.example.org` (`port` empty for the default port, or `*`)
    Subdomains {
        scheme: String,
        apex: String,
        port: String,
    },
}
