//! The origin grammar of policies: what `origins = [...]` may contain.
//!
//! Syntax is delegated to the WHATWG URL parser (the `url` crate): an entry is
//! accepted only if it is exactly the ASCII serialization of the origin it
//! parses to, which is what a browser sends in `Origin`. Wildcards are peeled
//! off first (`*.` as the whole first label, `*` as the whole port) and the rest
//! goes through the same check. The parts then go into the tables that
//! `cors-runtime` looks request origins up in, split with the shared
//! `cors_fetch::OriginParts` grammar.

use std::net::Ipv4Addr;

use url::{Host, Url};

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

impl OriginPattern {
    /// Whether requests from this pattern can be read on the network path:
    /// plain `http` on a host that is not loopback.
    pub fn is_insecure(&self) -> bool {
        let (scheme, host) = match self {
            Self::Exact(origin) => {
                let parts =
                    cors_fetch::OriginParts::split(origin.as_bytes()).expect("validated origin");
                (
                    std::str::from_utf8(parts.scheme).unwrap_or_default(),
                    std::str::from_utf8(parts.host).unwrap_or_default(),
                )
            }
            Self::AnyPort { scheme, host } => (scheme.as_str(), host.as_str()),
            Self::Subdomains { scheme, apex, .. } => (scheme.as_str(), apex.as_str()),
        };
        scheme == "http" && !is_loopback(host)
    }

    /// Whether every origin this pattern allows is also allowed by `other`.
    pub fn is_covered_by(&self, other: &Self) -> bool {
        match other {
            Self::Exact(_) => self == other,
            Self::AnyPort { scheme, host } => match self {
                Self::Exact(origin) => {
                    split(origin).is_some_and(|(s, h, _)| s == scheme && h == host)
                }
                _ => false,
            },
            Self::Subdomains { scheme, apex, port } => {
                let under = |s: &str, h: &str, p: &str| {
                    s == scheme && h.ends_with(&format!(".{apex}")) && (port == "*" || p == port)
                };
                match self {
                    Self::Exact(origin) => split(origin).is_some_and(|(s, h, p)| under(s, h, p)),
                    Self::Subdomains {
                        scheme: s,
                        apex: a,
                        port: p,
                    } => under(s, a, p) && (port == "*" || p != "*"),
                    Self::AnyPort { .. } => false,
                }
            }
        }
    }
}

impl std::fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exact(origin) => f.write_str(origin),
            Self::AnyPort { scheme, host } => write!(f, "{scheme}://{host}:*"),
            Self::Subdomains { scheme, apex, port } if port.is_empty() => {
                write!(f, "{scheme}://*.{apex}")
            }
            Self::Subdomains { scheme, apex, port } => write!(f, "{scheme}://*.{apex}:{port}"),
        }
    }
}

fn split(origin: &str) -> Option<(&str, &str, &str)> {
    let parts = cors_fetch::OriginParts::split(origin.as_bytes())?;
    let port = match parts.port {
        Some(port) => std::str::from_utf8(port).ok()?,
        None => "",
    };
    Some((
        std::str::from_utf8(parts.scheme).ok()?,
        std::str::from_utf8(parts.host).ok()?,
        port,
    ))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Parses one entry of `origins`, or says in one sentence what is wrong with it,
/// why a browser would not send it, and, where there is one, the fix.
pub fn parse(text: &str) -> Result<OriginPattern, String> {
    if text == "null" {
        return Err("`null` is never an allowed origin: sandboxed iframes, `file:` pages and redirected requests all send it, so allowing it would allow all of them; remove it".into());
    }
    if text == "*" {
        return Err("`*` cannot be mixed with other origins; write `origins = \"*\"` alone to allow every origin".into());
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(missing_scheme(text));
    };
    if scheme == "file" {
        return Err(format!("origin `{text}` never matches: pages loaded from `file:` send `Origin: null`, which is never allowed; serve the page from `http://localhost` instead"));
    }
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(format!("unsupported scheme in origin `{text}`: only pages served over `http` or `https` make CORS requests with an origin a policy can allow"));
    }

    // Peel off the wildcards; anything left must be a plain origin.
    let (subdomains, rest) = match rest.strip_prefix("*.") {
        Some(apex) => (true, apex),
        None => (false, rest),
    };
    let (rest, any_port) = match rest.strip_suffix(":*") {
        Some(host) => (host, true),
        None => (rest, false),
    };
    if rest.contains('*') {
        let how = "a wildcard is either the whole first label (`https://*.example.org`) or the whole port (`http://localhost:*`)";
        // `https://*example.org`: the dot was left out.
        return Err(match rest.strip_prefix('*').filter(|r| !subdomains && !r.contains('*')) {
            Some(apex) => format!("misplaced `*` in `{text}`: a subdomain wildcard is a whole label, followed by a `.`; write `{scheme}://*.{apex}`"),
            None => format!("misplaced `*` in `{text}`: {how}"),
        });
    }
    let plain = format!("{scheme}://{rest}");
    let canonical = canonical(&plain).map_err(|why| format!("invalid origin `{text}`: {why}"))?;
    let fix = |canonical: &str| {
        let (s, r) = canonical.split_once("://").unwrap_or(("", canonical));
        let star = if subdomains { "*." } else { "" };
        let port = if any_port { ":*" } else { "" };
        format!("{s}://{star}{r}{port}")
    };
    let what = if subdomains || any_port {
        "origin pattern"
    } else {
        "origin"
    };
    if canonical != plain {
        return Err(format!(
            "{what} `{text}` never matches: {}; write `{}`",
            difference(&plain, &canonical),
            fix(&canonical)
        ));
    }

    let url = Url::parse(&canonical).expect("canonical origin parses");
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port().map(|p| p.to_string()).unwrap_or_default();
    let scheme = url.scheme().to_owned();
    if subdomains {
        if !matches!(url.host(), Some(Host::Domain(_))) {
            return Err(format!("origin pattern `{text}` never matches: `*.` stands for subdomains of a domain name, and an IP address has none; write `{canonical}`"));
        }
        if let Some(suffix) = crate::public_suffix::public_suffix(&host) {
            return Err(format!(
                "origin pattern `{text}` allows every site under the public suffix `{suffix}`, where anyone can register a domain; name your own domain, e.g. `{scheme}://*.example.{suffix}`"
            ));
        }
        let port = if any_port { "*".to_owned() } else { port };
        return Ok(OriginPattern::Subdomains {
            scheme,
            apex: host,
            port,
        });
    }
    if any_port {
        if !port.is_empty() {
            return Err(format!("origin pattern `{text}` has two ports; write `{scheme}://{host}:*` for any port, or `{canonical}` for one"));
        }
        return Ok(OriginPattern::AnyPort { scheme, host });
    }
    Ok(OriginPattern::Exact(canonical))
}

/// The error for an entry without `scheme://`, with the most likely fix.
fn missing_scheme(text: &str) -> String {
    // `https:/app.example.com`, `https:app.example.com`
    if let Some((scheme, rest)) = text.split_once(':') {
        if matches!(scheme, "http" | "https") {
            let rest = rest.trim_start_matches('/');
            return format!("malformed origin `{text}`: the scheme is followed by `://`; write `{scheme}://{rest}`");
        }
    }
    let rest = text.trim_start_matches("//");
    let host = rest.strip_prefix("*.").unwrap_or(rest);
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    // Pages on loopback are usually served over plain http in development.
    let scheme = if is_loopback(host) { "http" } else { "https" };
    let what = if text.starts_with("*.") {
        "origin pattern"
    } else {
        "origin"
    };
    format!(
        "{what} `{text}` has no scheme, and browsers always send one; write `{scheme}://{rest}`"
    )
}

/// The ASCII serialization of the origin `text` parses to, or why it does not parse.
fn canonical(text: &str) -> Result<String, String> {
    let url = Url::parse(text).map_err(|e| match e {
        url::ParseError::InvalidPort => "a port is a number from 1 to 65535".to_owned(),
        url::ParseError::EmptyHost => "the host is empty".to_owned(),
        url::ParseError::InvalidIpv4Address => "the host is not a valid IPv4 address".to_owned(),
        url::ParseError::InvalidIpv6Address => "the host is not a valid IPv6 address".to_owned(),
        url::ParseError::InvalidDomainCharacter | url::ParseError::IdnaError => {
            "the host is not a valid domain name".to_owned()
        }
        other => other.to_string(),
    })?;
    if url.port() == Some(0) {
        return Err("a port is a number from 1 to 65535".to_owned());
    }
    Ok(url.origin().ascii_serialization())
}

/// `host[:port]` split at the port's `:`, brackets of an IPv6 host kept.
fn split_authority(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(close) => {
                let (host, after) = authority.split_at(close + 1);
                (host, after.strip_prefix(':'))
            }
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

/// Says how `written` differs from its `canonical` serialization, that is,
/// what a browser sends differently.
fn difference(written: &str, canonical: &str) -> String {
    let after_scheme = written.split_once("://").map_or(written, |(_, r)| r);
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, tail) = after_scheme.split_at(authority_end);
    if authority.contains('@') {
        return "browsers send an origin as scheme, host and port, without a user name or password"
            .into();
    }
    if tail == "/" {
        return "browsers send an origin without a trailing `/`".into();
    }
    if tail.starts_with('/') {
        return "browsers send an origin as scheme, host and port, without a path".into();
    }
    if tail.starts_with('?') {
        return "browsers send an origin as scheme, host and port, without a query".into();
    }
    if tail.starts_with('#') {
        return "browsers send an origin as scheme, host and port, without a fragment".into();
    }
    if !written.is_ascii() {
        return "browsers send a non-ASCII host in its punycode form".into();
    }
    let (host, port) = split_authority(authority);
    let canonical_authority = canonical.split_once("://").map_or(canonical, |(_, r)| r);
    let (canonical_host, canonical_port) = split_authority(canonical_authority);
    if host.starts_with('[') && host != canonical_host {
        return "browsers send an IPv6 address in its compressed lower-case form".into();
    }
    if written.bytes().any(|b| b.is_ascii_uppercase()) {
        return "browsers send the scheme and host in lower case".into();
    }
    if host != canonical_host && canonical_host.parse::<Ipv4Addr>().is_ok() {
        return "browsers send an IPv4 address in dotted-decimal form".into();
    }
    match (port, canonical_port) {
        (Some(""), _) => "browsers never send an empty port".into(),
        (Some(port), None) => format!("browsers leave out the scheme's default port `{port}`"),
        (Some(_), Some(_)) if port != canonical_port => {
            "browsers send the port without leading zeros".into()
        }
        _ => "browsers send this origin in another form".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn err(text: &str, expected: &str) {
        let e = parse(text).unwrap_err();
        assert!(e.contains(expected), "{text}: {e}");
    }

    #[test]
    fn accepts_serialized_origins_and_patterns() {
        for ok in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://[::1]:8080",
            "https://xn--rsum-bpad.example",
            "http://127.0.0.1:8080",
        ] {
            assert_eq!(parse(ok), Ok(OriginPattern::Exact(ok.into())), "{ok}");
        }
        assert_eq!(
            parse("http://localhost:*"),
            Ok(OriginPattern::AnyPort {
                scheme: "http".into(),
                host: "localhost".into()
            })
        );
        assert_eq!(
            parse("https://*.example.org:8443"),
            Ok(OriginPattern::Subdomains {
                scheme: "https".into(),
                apex: "example.org".into(),
                port: "8443".into()
            })
        );
    }

    #[test]
    fn explains_and_fixes_non_canonical_origins() {
        err(
            "https://app.example.com/",
            "without a trailing `/`; write `https://app.example.com`",
        );
        err(
            "https://app.example.com/x",
            "without a path; write `https://app.example.com`",
        );
        err("https://app.example.com?x", "without a query");
        err("https://app.example.com#x", "without a fragment");
        err("https://user@app.example.com", "without a user name");
        err(
            "https://App.Example.com",
            "in lower case; write `https://app.example.com`",
        );
        err(
            "https://app.example.com:443",
            "default port `443`; write `https://app.example.com`",
        );
        err("http://app.example.com:80", "default port `80`");
        err("https://app.example.com:", "empty port");
        err(
            "https://app.example.com:08443",
            "leading zeros; write `https://app.example.com:8443`",
        );
        err("https://app.example.com:65536", "1 to 65535");
        err("https://app.example.com:0", "1 to 65535");
        err(
            "https://résumé.example",
            "punycode form; write `https://xn--rsum-bpad.example`",
        );
        err(
            "http://0x7f000001",
            "dotted-decimal form; write `http://127.0.0.1`",
        );
        err(
            "http://[0:0:0:0:0:0:0:1]",
            "compressed lower-case form; write `http://[::1]`",
        );
        err(
            "http://[0:0:0:1::1]:8080",
            "compressed lower-case form; write `http://[::1:0:0:0:1]:8080`",
        );
        err("http://[::ABCD]", "compressed lower-case form");
        err(
            "app.example.com",
            "no scheme, and browsers always send one; write `https://app.example.com`",
        );
        err("localhost:3000", "write `http://localhost:3000`");
        err("https:/app.example.com", "write `https://app.example.com`");
        err(
            "*.example.org",
            "no scheme, and browsers always send one; write `https://*.example.org`",
        );
        err("file:///x", "`Origin: null`");
        err("ftp://files.example.com", "unsupported scheme");
        err("null", "never an allowed origin");
        err(
            "https://*example.org",
            "followed by a `.`; write `https://*.example.org`",
        );
        err("https://ex*.org", "misplaced `*`");
        err("https://a.*.example.org", "misplaced `*`");
        err("https://*.com", "public suffix `com`");
        err("https://*.co.uk", "public suffix `co.uk`");
        err("https://*.github.io", "public suffix `github.io`");
        err("https://*.127.0.0.1", "IP address");
        err(
            "https://*.App.example",
            "lower case; write `https://*.app.example`",
        );
        err("http://localhost:3000:*", "two ports");
        err("https://app_example com", "not a valid domain name");
    }

    #[test]
    fn coverage() {
        let sub = parse("https://*.example.org").unwrap();
        assert!(parse("https://a.example.org").unwrap().is_covered_by(&sub));
        assert!(parse("https://*.a.example.org")
            .unwrap()
            .is_covered_by(&sub));
        assert!(!parse("https://example.org").unwrap().is_covered_by(&sub));
        assert!(!parse("https://a.example.org:8443")
            .unwrap()
            .is_covered_by(&sub));
        let port = parse("http://localhost:*").unwrap();
        assert!(parse("http://localhost:3000").unwrap().is_covered_by(&port));
        assert!(!parse("https://localhost:3000")
            .unwrap()
            .is_covered_by(&port));
    }

    #[test]
    fn insecure_means_plain_http_off_loopback() {
        assert!(parse("http://app.example.com").unwrap().is_insecure());
        assert!(parse("http://*.example.com").unwrap().is_insecure());
        for ok in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://127.0.0.1:1",
            "http://[::1]:2",
            "http://a.localhost",
        ] {
            assert!(!parse(ok).unwrap().is_insecure(), "{ok}");
        }
    }
}
