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

/// Parses one entry of `origins`, or says in one sentence what is wrong with it
/// and, where there is one, the fix.
pub fn parse(text: &str) -> Result<OriginPattern, String> {
    if text == "null" {
        return Err("`null` is never an allowed origin: sandboxed iframes, `file:` pages and redirected requests all send it, so allowing it allows all of them".into());
    }
    if text == "*" {
        return Err("`*` cannot be mixed with other origins; write `origins = \"*\"` alone to allow every origin".into());
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        let fix = format!("https://{}", text.trim_start_matches("//"));
        return Err(if text.starts_with("*.") {
            format!("invalid origin `{text}`: a subdomain pattern needs a scheme; write `{fix}`")
        } else {
            format!("invalid origin `{text}`: missing scheme; write `{fix}`")
        });
    };
    if scheme == "file" {
        return Err(format!("invalid origin `{text}`: `file:` pages have the opaque origin `null`, which is never allowed"));
    }
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(format!("invalid origin `{text}`: only `http` and `https` pages make CORS requests with an origin a policy can name"));
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
        return Err(format!(
            "misplaced `*` in `{text}`: a wildcard may only be the whole first label (`https://*.example.com`) or the whole port (`http://localhost:*`)"
        ));
    }
    let plain = format!("{scheme}://{rest}");
    let canonical = canonical(&plain).map_err(|why| format!("invalid origin `{text}`: {why}"))?;
    let fix = |canonical: &str| {
        let (s, r) = canonical.split_once("://").unwrap_or(("", canonical));
        let star = if subdomains { "*." } else { "" };
        let port = if any_port { ":*" } else { "" };
        format!("{s}://{star}{r}{port}")
    };
    if canonical != plain {
        return Err(format!(
            "invalid origin `{text}`: {}; write `{}`",
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
            return Err(format!("invalid origin pattern `{text}`: `*.` can only stand for subdomains of a domain name, not of an IP address"));
        }
        if let Some(suffix) = crate::public_suffix::public_suffix(&host) {
            return Err(format!(
                "origin pattern `{text}` allows every site under the public suffix `{suffix}`, which anyone can register; name the registrable domain, e.g. `{scheme}://*.example.{suffix}`"
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
            return Err(format!("invalid origin `{text}`: two ports"));
        }
        return Ok(OriginPattern::AnyPort { scheme, host });
    }
    Ok(OriginPattern::Exact(canonical))
}

/// The ASCII serialization of the origin `text` parses to, or why it does not parse.
fn canonical(text: &str) -> Result<String, String> {
    let url = Url::parse(text).map_err(|e| match e {
        url::ParseError::InvalidPort => "the port must be a number from 1 to 65535".to_owned(),
        url::ParseError::EmptyHost => "the host is empty".to_owned(),
        url::ParseError::InvalidIpv4Address => "invalid IPv4 address".to_owned(),
        url::ParseError::InvalidIpv6Address => "invalid IPv6 address".to_owned(),
        url::ParseError::InvalidDomainCharacter => {
            "the host contains a character no domain name can have".to_owned()
        }
        other => other.to_string(),
    })?;
    if url.port() == Some(0) {
        return Err("the port must be a number from 1 to 65535".to_owned());
    }
    Ok(url.origin().ascii_serialization())
}

/// Says how `written` differs from its `canonical` serialization.
fn difference(written: &str, canonical: &str) -> &'static str {
    let after_scheme = written.split_once("://").map_or(written, |(_, r)| r);
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, tail) = after_scheme.split_at(authority_end);
    if authority.contains('@') {
        return "an origin has no user name or password";
    }
    if tail == "/" {
        return "an origin has no path; remove the trailing `/`";
    }
    if tail.starts_with('/') {
        return "an origin has no path";
    }
    if tail.starts_with('?') {
        return "an origin has no query";
    }
    if tail.starts_with('#') {
        return "an origin has no fragment";
    }
    if !written.is_ascii() {
        return "browsers send a non-ASCII host in its punycode form";
    }
    if written.bytes().any(|b| b.is_ascii_uppercase()) {
        return "browsers send scheme and host in lower case, so this never matches";
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    let (canonical_host, canonical_port) = {
        let c = canonical.split_once("://").map_or(canonical, |(_, r)| r);
        match c.rsplit_once(':') {
            Some((h, p)) if !p.contains(']') => (h, Some(p)),
            _ => (c, None),
        }
    };
    if port.is_some() && canonical_port.is_none() && host == canonical_host {
        return "browsers never send the scheme's default port";
    }
    if port != canonical_port && host == canonical_host {
        return "a port has no leading zeros";
    }
    if host.starts_with('[') {
        return "browsers send an IPv6 address in its compressed lower-case form";
    }
    if canonical_host.parse::<Ipv4Addr>().is_ok() {
        return "browsers send an IPv4 address in dotted-decimal form";
    }
    "this is not how a browser serializes this origin"
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
            "remove the trailing `/`; write `https://app.example.com`",
        );
        err(
            "https://app.example.com/x",
            "no path; write `https://app.example.com`",
        );
        err("https://app.example.com?x", "no query");
        err("https://app.example.com#x", "no fragment");
        err("https://user@app.example.com", "no user name");
        err(
            "https://App.Example.com",
            "lower case, so this never matches; write `https://app.example.com`",
        );
        err(
            "https://app.example.com:443",
            "default port; write `https://app.example.com`",
        );
        err("http://app.example.com:80", "default port");
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
            "app.example.com",
            "missing scheme; write `https://app.example.com`",
        );
        err(
            "*.example.org",
            "needs a scheme; write `https://*.example.org`",
        );
        err("file:///x", "`null`");
        err("null", "never an allowed origin");
        err("https://*example.org", "misplaced `*`");
        err("https://ex*.org", "misplaced `*`");
        err("https://a.*.example.org", "misplaced `*`");
        err("https://*.com", "public suffix `com`");
        err("https://*.co.uk", "public suffix `co.uk`");
        err("https://*.127.0.0.1", "IP address");
        err("https://*.App.example", "lower case");
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
