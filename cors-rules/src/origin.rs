//! The origin grammar of policies: what `origins = [...]` may contain.
//!
//! An entry is accepted only if it is exactly the ASCII serialization of the
//! origin a browser would make of it, which is what it sends in `Origin`.
//! Wildcards are peeled off first (`*.` as the whole first label, `*` as the
//! whole port) and the rest goes through the same check. The text is split with
//! `cors_fetch::WrittenOrigin`, the loose form of the `cors_fetch::OriginParts`
//! grammar that `cors-runtime` matches requests with, and each part is then
//! brought to its serialized form here (lower case, punycode, dotted-decimal
//! IPv4, compressed IPv6, no default port), as the WHATWG URL parser does for
//! the `http` and `https` origins that policies can name.

use std::net::{Ipv4Addr, Ipv6Addr};

use cors_fetch::WrittenOrigin;

/// A valid entry of `origins`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OriginPattern {
    /// `https://app.example.com`
    Exact(String),
    /// `http://localhost:*`
    AnyPort {
        /// `http` or `https`.
        scheme: String,
        /// The host, serialized.
        host: String,
    },
    /// `https://*.example.org` (`port` empty for the default port, or `*`)
    Subdomains {
        /// `http` or `https`.
        scheme: String,
        /// The domain under which subdomains match (never itself).
        apex: String,
        /// `""`, `"*"` or digits.
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
                    } => under(s, a, p),
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
    if let Some(why) = stray_characters(text) {
        return Err(why);
    }
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
    let written = WrittenOrigin::split(plain.as_bytes()).expect("`://` is there");
    let origin =
        Origin::serialize(&written).map_err(|why| format!("invalid origin `{text}`: {why}"))?;
    let canonical = origin.to_string();
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
            difference(&plain, &written, &origin),
            fix(&canonical)
        ));
    }

    let Origin {
        scheme, host, port, ..
    } = origin;
    let port = port.map(|p| p.to_string()).unwrap_or_default();
    if subdomains {
        if origin.kind != HostKind::Domain {
            return Err(format!("origin pattern `{text}` never matches: `*.` stands for subdomains of a domain name, and an IP address has none; write `{canonical}`"));
        }
        if let Some(found) = crate::public_suffix::at_or_under(&host) {
            return Err(public_suffix_error(text, &scheme, &host, &found));
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

/// The error for `*.apex` when there is a public suffix at or under `apex`.
fn public_suffix_error(
    text: &str,
    scheme: &str,
    apex: &str,
    found: &crate::public_suffix::Found,
) -> String {
    let suffix = &found.suffix;
    if found.is_domain_itself {
        return format!(
            "origin pattern `{text}` allows every site under the public suffix `{suffix}`, where anyone can register a domain; name your own domain, e.g. `{scheme}://*.example.{suffix}`"
        );
    }
    let what = match suffix.strip_prefix("*.") {
        Some(parent) => {
            format!("the public suffixes `{suffix}` (every name directly under `{parent}`)")
        }
        None => format!("the public suffix `{suffix}`"),
    };
    format!(
        "origin pattern `{text}` also allows every site under {what}, where anyone can register a domain; list your own hosts instead, e.g. `{scheme}://app.example.{apex}`"
    )
}

/// Whitespace or a quote at either end of an entry: copied along with the
/// origin, and never part of what a browser sends.
fn stray_characters(text: &str) -> Option<String> {
    fn name(c: char) -> Option<&'static str> {
        Some(match c {
            ' ' => "space",
            '\t' => "tab",
            '\n' | '\r' => "line break",
            '"' | '\'' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => "quote",
            c if c.is_whitespace() => "whitespace character",
            _ => return None,
        })
    }
    let leading = text.chars().next().and_then(name);
    let trailing = text.chars().next_back().and_then(name);
    let (what, them) = match (leading, trailing) {
        (Some(l), Some(t)) if text.chars().count() > 1 => {
            if l == t {
                (format!("a {l} at each end"), "them")
            } else {
                (format!("a leading {l} and a trailing {t}"), "them")
            }
        }
        (Some(l), _) => (format!("a leading {l}"), "it"),
        (None, Some(t)) => (format!("a trailing {t}"), "it"),
        (None, None) => {
            // `https://a.example", "https://b.example`: two entries run together.
            let quote = text.chars().find(|&c| name(c) == Some("quote"))?;
            return Some(format!(
                "origin `{text}` contains a stray `{quote}`; an entry is one origin in its own string literal: remove it"
            ));
        }
    };
    Some(format!("origin `{text}` has {what}; remove {them}"))
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostKind {
    Domain,
    Ipv4,
    Ipv6,
}

/// An `http`/`https` origin in the form a browser serializes it.
#[derive(Debug)]
struct Origin {
    scheme: String,
    /// Lower-case ASCII domain, dotted-decimal IPv4 or bracketed IPv6.
    host: String,
    kind: HostKind,
    /// `None` for the scheme's default port.
    port: Option<u16>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

impl Origin {
    /// The origin of a `http`/`https` URL: what a browser would send for a
    /// page at `written`, or why it is no URL at all. Path, query, fragment
    /// and user name are not part of an origin and are left out.
    fn serialize(written: &WrittenOrigin<'_>) -> Result<Self, String> {
        let scheme = String::from_utf8_lossy(written.scheme).to_ascii_lowercase();
        let (host, kind) = host(&String::from_utf8_lossy(written.host))?;
        let port = match written.port {
            None | Some(b"") => None,
            Some(digits) => {
                let port = port(digits).ok_or("a port is a number from 1 to 65535")?;
                let default = cors_fetch::default_port(scheme.as_bytes());
                Some(port).filter(|p| default != Some(p.to_string().as_bytes()))
            }
        };
        Ok(Self {
            scheme,
            host,
            kind,
            port,
        })
    }
}

/// Decimal digits, leading zeros allowed, 1 to 65535.
fn port(digits: &[u8]) -> Option<u16> {
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Without its leading zeros; `0` leaves nothing, which the parse refuses,
    // as it refuses anything over 65535.
    let significant = &digits[digits.iter().take_while(|&&d| d == b'0').count()..];
    std::str::from_utf8(significant).ok()?.parse().ok()
}

/// The serialized host of a special URL: IPv6 in brackets, else a domain
/// (percent-decoded, lower-cased, non-ASCII labels in punycode), which is an
/// IPv4 address when its last label is a number.
fn host(written: &str) -> Result<(String, HostKind), String> {
    if written.is_empty() {
        return Err("the host is empty".into());
    }
    if let Some(inner) = written.strip_prefix('[') {
        let ip = inner
            .strip_suffix(']')
            .and_then(|inner| inner.parse::<Ipv6Addr>().ok())
            .ok_or("the host is not a valid IPv6 address")?;
        return Ok((format!("[{}]", ipv6(ip)), HostKind::Ipv6));
    }
    let invalid = || "the host is not a valid domain name".to_owned();
    let decoded = String::from_utf8(percent_decode(written)).map_err(|_| invalid())?;
    let mut domain = String::with_capacity(decoded.len());
    for c in decoded.chars().flat_map(char::to_lowercase) {
        // The full stops of CJK scripts separate labels too.
        let c = if matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') {
            '.'
        } else {
            c
        };
        if is_forbidden_in_domain(c) {
            return Err(invalid());
        }
        domain.push(c);
    }
    let domain = domain
        .split('.')
        .map(|label| match label.is_ascii() {
            true => label.to_owned(),
            false => format!("xn--{}", punycode(label)),
        })
        .collect::<Vec<_>>()
        .join(".");
    if ends_in_a_number(&domain) {
        let ip = ipv4(&domain).ok_or("the host is not a valid IPv4 address")?;
        return Ok((ip.to_string(), HostKind::Ipv4));
    }
    Ok((domain, HostKind::Domain))
}

/// WHATWG "forbidden domain code point".
fn is_forbidden_in_domain(c: char) -> bool {
    c <= '\u{1f}'
        || c == '\u{7f}'
        || matches!(
            c,
            ' ' | '#' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|' | '%'
        )
}

/// `%XX` to the byte it stands for; any other `%` is kept (and later refused).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if let (b'%', Some(hi), Some(lo)) = (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Whether the last label (a trailing empty one aside) is a number, which
/// makes the whole host an IPv4 address for a browser (`0x7f000001`, `127.1`).
fn ends_in_a_number(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let last = domain.rsplit('.').next().unwrap_or_default();
    !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The WHATWG IPv4 parser: one to four parts, each decimal, octal (`0` first)
/// or hex (`0x` first), the last filling the remaining bytes.
fn ipv4(domain: &str) -> Option<Ipv4Addr> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(4);
    for part in &parts {
        let (digits, radix) = match part.strip_prefix("0x") {
            Some(hex) => (hex, 16),
            // `0` alone: octal without digits, 0 as in decimal.
            None if part.starts_with('0') => (&part[1..], 8),
            None => (*part, 10),
        };
        if part.is_empty() {
            return None;
        }
        let n = match digits {
            "" => 0,
            _ if digits.starts_with('+') => return None,
            _ => u64::from_str_radix(digits, radix).ok()?,
        };
        numbers.push(n);
    }
    let (last, first) = numbers.split_last()?;
    if first.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let address = first
        .iter()
        .enumerate()
        .fold(*last, |acc, (i, &n)| acc + (n << (8 * (3 - i))));
    Some(Ipv4Addr::from(address as u32))
}

/// WHATWG IPv6 serialization: lower-case hex pieces, the first longest run of
/// two or more zero pieces as `::`, never a dotted IPv4 tail.
fn ipv6(ip: Ipv6Addr) -> String {
    let pieces = ip.segments();
    let mut best = (0, 0); // (start, length) of the zero run to compress
    let mut start = 0; // of the run of zeros that ends at the current piece
    for (i, &piece) in pieces.iter().enumerate() {
        if piece != 0 {
            start = i + 1;
        } else if i + 1 - start > best.1 {
            best = (start, i + 1 - start);
        }
    }
    let hex = |ps: &[u16]| {
        ps.iter()
            .map(|p| format!("{p:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    if best.1 < 2 {
        return hex(&pieces);
    }
    let (start, len) = best;
    format!("{}::{}", hex(&pieces[..start]), hex(&pieces[start + len..]))
}

/// RFC 3492 punycode of one lower-case label, without the `xn--` prefix: the
/// form in which browsers send a non-ASCII host.
fn punycode(label: &str) -> String {
    const BASE: u64 = 36;
    const T_MIN: u64 = 1;
    const T_MAX: u64 = 26;
    fn digit(d: u64) -> char {
        char::from(if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        })
    }
    fn adapt(delta: u64, points: u64, first: bool) -> u64 {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    let code_points: Vec<u64> = label.chars().map(|c| u64::from(u32::from(c))).collect();
    let mut out: String = label.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u64;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u64, 0u64, 72u64, basic);
    while handled < code_points.len() as u64 {
        let next = code_points
            .iter()
            .copied()
            .filter(|&c| c >= n)
            .min()
            .unwrap_or(n);
        delta += (next - n) * (handled + 1);
        n = next;
        for &c in &code_points {
            if c < n {
                delta += 1;
            }
            if c == n {
                // Encode `delta` as a generalized variable-length integer.
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = k.saturating_sub(bias).clamp(T_MIN, T_MAX);
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    out
}

/// Says how `written` differs from the serialized `origin`, that is, what a
/// browser sends differently.
fn difference(text: &str, written: &WrittenOrigin<'_>, origin: &Origin) -> String {
    if written.userinfo.is_some() {
        return "browsers send an origin as scheme, host and port, without a user name or password"
            .into();
    }
    match written.rest.first() {
        Some(b'/' | b'\\') if written.rest.len() == 1 => {
            return "browsers send an origin without a trailing `/`".into()
        }
        Some(b'/' | b'\\') => {
            return "browsers send an origin as scheme, host and port, without a path".into()
        }
        Some(b'?') => {
            return "browsers send an origin as scheme, host and port, without a query".into()
        }
        Some(b'#') => {
            return "browsers send an origin as scheme, host and port, without a fragment".into()
        }
        _ => {}
    }
    if !text.is_ascii() {
        return "browsers send a non-ASCII host in its punycode form".into();
    }
    let host = written.host;
    if origin.kind == HostKind::Ipv6 && host != origin.host.as_bytes() {
        return "browsers send an IPv6 address in its compressed lower-case form".into();
    }
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return "browsers send the scheme and host in lower case".into();
    }
    if origin.kind == HostKind::Ipv4 && host != origin.host.as_bytes() {
        return "browsers send an IPv4 address in dotted-decimal form".into();
    }
    match (written.port, origin.port) {
        (Some(b""), _) => "browsers never send an empty port".into(),
        (Some(port), None) => format!(
            "browsers leave out the scheme's default port `{}`",
            String::from_utf8_lossy(port)
        ),
        (Some(port), Some(canonical)) if port != canonical.to_string().as_bytes() => {
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
        // Percent-encoding: none of the named differences, and the port is
        // as browsers send it.
        err(
            "https://a%2eexample",
            "browsers send this origin in another form",
        );
        err(
            "https://a%2eexample:8443",
            "browsers send this origin in another form",
        );
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
        err(
            "https://*.*.example.org",
            "misplaced `*` in `https://*.*.example.org`: a wildcard is either",
        );
        err(
            "https://**example.org",
            "misplaced `*` in `https://**example.org`: a wildcard is either",
        );
        err(
            "https://*.Example.org",
            "origin pattern `https://*.Example.org` never matches",
        );
        err(
            "http://LOCALHOST:*",
            "origin pattern `http://LOCALHOST:*` never matches",
        );
        err(
            "https://App.example",
            "origin `https://App.example` never matches",
        );
        err("https://*.com", "public suffix `com`");
        err(
            "https://*.amazonaws.com",
            "also allows every site under the public suffix `s3.amazonaws.com`",
        );
        err(
            "https://*.compute.amazonaws.com",
            "public suffixes `*.compute.amazonaws.com`",
        );
        err("https://*.ck", "public suffixes `*.ck`");
        err("https://*.anything.ck", "public suffix `anything.ck`");
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
    fn stray_whitespace_and_quotes() {
        err(" https://app.example.com", "has a leading space; remove it");
        err(
            "https://app.example.com ",
            "has a trailing space; remove it",
        );
        err(
            "\thttps://app.example.com\n",
            "leading tab and a trailing line break",
        );
        err(
            "'https://app.example.com'",
            "has a quote at each end; remove them",
        );
        err(
            "\"https://app.example.com",
            "has a leading quote; remove it",
        );
        err("https://app.example.com\u{201d}", "has a trailing quote");
        err(
            "\u{a0}https://app.example.com",
            "has a leading whitespace character; remove it",
        );
        err(" ", "has a leading space; remove it");
        err("\"", "has a leading quote; remove it");
        err(
            "https://a.example\", \"https://b.example",
            "contains a stray `\"`",
        );
    }

    #[test]
    fn hosts_as_browsers_serialize_them() {
        let ok = |text: &str, expected: &str| {
            let written = WrittenOrigin::split(text.as_bytes()).unwrap();
            assert_eq!(Origin::serialize(&written).unwrap().to_string(), expected);
        };
        ok("HTTP://EXAMPLE.com:0080", "http://example.com");
        ok("http://127.1", "http://127.0.0.1");
        ok("http://0x7f.1:8080", "http://127.0.0.1:8080");
        ok("http://0177.0.0.1", "http://127.0.0.1");
        ok("http://4294967295", "http://255.255.255.255");
        ok("http://255.1", "http://255.0.0.1");
        ok("http://1.2.3.4", "http://1.2.3.4");
        ok("http://1.0x2.3", "http://1.2.0.3");
        ok("http://0x7f.0x.0.1", "http://127.0.0.1");
        ok("http://0.0", "http://0.0.0.0");
        ok("https://a.example:65535", "https://a.example:65535");
        ok("https://a.example:00001", "https://a.example:1");
        ok("http://[1:0:0:2:3:4:5:6]", "http://[1::2:3:4:5:6]");
        ok("http://[1:0:0:2:0:0:3:4]", "http://[1::2:0:0:3:4]");
        ok("http://[1:2:3:4:5:6:0:0]", "http://[1:2:3:4:5:6::]");
        ok("http://[::ffff:1.2.3.4]", "http://[::ffff:102:304]");
        ok("http://[1:0:0:2:0:0:0:3]", "http://[1:0:0:2::3]");
        ok("http://[1:0:2:3:4:5:6:7]", "http://[1:0:2:3:4:5:6:7]");
        ok("http://[::]", "http://[::]");
        ok("https://a%2Eexample", "https://a.example");
        ok(
            "https://B\u{fc}cher.example",
            "https://xn--bcher-kva.example",
        );
        ok("https://\u{4f8b}\u{3002}example", "https://xn--fsq.example");
        for bad in [
            "http://4294967296",
            "http://1.2.3.256",
            "http://1.2.3.4.5",
            "http://08.1",
            "http://[::1",
            "http://[:::1]",
            "http://a%example",
            "http://a<b",
            "http://:8080",
            "http://256.1",
            "http://+1.1",
            "http://a%01b",
            "http://a%7fb",
            "https://a.example:0",
            "https://a.example:000",
            "https://a.example:100000",
        ] {
            let written = WrittenOrigin::split(bad.as_bytes()).unwrap();
            assert!(Origin::serialize(&written).is_err(), "{bad}");
        }
    }

    #[test]
    fn punycode_of_rfc_3492_samples() {
        assert_eq!(punycode("r\u{e9}sum\u{e9}"), "rsum-bpad");
        assert_eq!(punycode("m\u{fc}nchen"), "mnchen-3ya");
        assert_eq!(punycode("\u{4f8b}"), "fsq");
        // RFC 3492 7.1 (A): Arabic (Egyptian).
        let arabic = "\u{644}\u{64a}\u{647}\u{645}\u{627}\u{628}\u{62a}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64a}\u{61f}";
        assert_eq!(punycode(arabic), "egbpdaj6bu4bxfgehfvwxn");
        // RFC 3492 7.1 (B): Chinese (simplified).
        let chinese = "\u{4ed6}\u{4eec}\u{4e3a}\u{4ec0}\u{4e48}\u{4e0d}\u{8bf4}\u{4e2d}\u{6587}";
        assert_eq!(punycode(chinese), "ihqwcrb4cv8a8dqg056pqjye");
        // RFC 3492 7.1 (L): basic and non-basic code points mixed.
        let mixed = "3\u{5e74}b\u{7d44}\u{91d1}\u{516b}\u{5148}\u{751f}";
        assert_eq!(punycode(mixed), "3b-ww4c5e180e575a65lsy2b");
        // Mixed scripts, checked against an independent RFC 3492 encoder.
        for (label, encoded) in [
            ("0\u{169}\u{4e3b}x\u{5dd}\u{16d}\u{1f648}\u{3c5}", "0x-9tar411a35dfz8pe705a"),
            ("\u{173}\u{118}\u{1f611}\u{3c2}\u{43b}\u{4ec0}\u{4e40}\u{4ed2}\u{4fb5}\u{5e2}z\u{1f617}\u{3b3}", "z-yia6yp3fdcx1by3gr84s56agf19g6027rqca"),
            ("\u{5da}\u{434}\u{5d5}\u{3c0}\u{ac27}\u{4f41}\u{44f}\u{5d2}y\u{ac21}\u{ac9e}\u{ace4}", "y-tmb16atdv1gpa7a1877k6xnhubay0g9x"),
            ("\u{acb1}\u{5db}\u{15e}\u{1f624}\u{3bd}\u{1f63f}\u{5dc}", "mga82jo6bga5564sgdxppfa"),
            ("\u{3be}y\u{448}c\u{3b8}\u{15c}c\u{105}\u{444}9a", "ycc9a-5wa12d54mqb48gdb"),
            ("9\u{5dc}\u{accd}\u{115}\u{137}\u{e0}\u{4e67}-\u{1f61a}\u{3c5}", "9--jia5s9f04m4se5u6q9sqhfgn1a"),
            ("-\u{fd}1\u{435}\u{acaf}\u{5ea}\u{4e17}", "-1-0ka114apucrw9pfnsg"),
            ("9\u{ac0d}\u{435}\u{447}z\u{4f51}", "9z-nlc6ez861cvjvf"),
            ("\u{1f618}0\u{3b7}\u{431}y\u{3c7}\u{44c}zz\u{11a}\u{43d}\u{4e01}\u{acb0}", "0yzz-ewa421bid61bidog9167fspmjr546a"),
            ("\u{ac3d}x\u{3be}\u{435}0\u{ac2b}\u{3b5}\u{4fdc}c\u{4fe5}\u{439}\u{3b1}\u{ac34}", "x0c-qxcs6cx8c9az436lvcas501kjdare"),
            ("\u{3be}xx\u{3ba}\u{1f64b}\u{4fad}az-9\u{4e85}", "xxaz-9-jze3a8043opoct420p"),
            ("\u{4e13}c\u{1f613}\u{5e3}\u{4e3f}\u{4fee}\u{16f}\u{3b9}\u{161}\u{f0}\u{4ecc}", "c-pga25azb85p68d7u9oekan6bz8eq400p"),
            // A delta of exactly 455, and one in 456..=468, at `adapt`'s loop.
            ("\u{2869}\u{2838}\u{292e}\u{286a}\u{2920}", "skiwfe24e9b"),
            ("\u{21ca}\u{228c}\u{218a}\u{2282}\u{21a4}", "x5g0cwfy5anb"),
        ] {
            assert_eq!(punycode(label), encoded, "{label}");
        }
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
        let any_port = parse("https://*.example.org:*").unwrap();
        assert!(parse("https://*.a.example.org:*")
            .unwrap()
            .is_covered_by(&any_port));
        assert!(parse("https://*.a.example.org:8443")
            .unwrap()
            .is_covered_by(&any_port));
        assert!(!parse("https://*.a.example.org:*")
            .unwrap()
            .is_covered_by(&sub));
        assert!(!parse("https://*.a.example.org")
            .unwrap()
            .is_covered_by(&parse("https://*.example.org:8443").unwrap()));
        let port = parse("http://localhost:*").unwrap();
        assert!(parse("http://localhost:3000").unwrap().is_covered_by(&port));
        assert!(!parse("https://localhost:3000")
            .unwrap()
            .is_covered_by(&port));
    }

    #[test]
    fn patterns_display_as_written() {
        for text in [
            "https://a.example",
            "http://localhost:*",
            "https://*.example.org",
            "https://*.example.org:8443",
            "https://*.example.org:*",
        ] {
            assert_eq!(parse(text).unwrap().to_string(), text);
        }
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
