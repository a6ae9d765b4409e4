//! Implementation detail of [`cors-runtime`](https://docs.rs/cors-runtime).
//!
//! The few pieces of the [Fetch standard] that both halves of the library need:
//! `cors-macros` validates policies with them at compile time and `cors-runtime`
//! matches requests with them. Keeping them in one place means the compile-time
//! checks and the runtime matching can never disagree about what a token, a
//! forbidden header or the parts of an origin are.
//!
//! Everything here works on bytes, never allocates and never panics.
//!
//! [Fetch standard]: https://fetch.spec.whatwg.org/

#![forbid(unsafe_code)]
#![no_std]

/// `tchar` of RFC 9110 §5.6.2: the bytes a method or header name may contain.
const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// [`is_tchar`] as a table: one load per byte on the request path.
const TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar(b as u8);
        b += 1;
    }
    table
};

/// Whether `bytes` is an RFC 9110 `token` (a valid method or header name).
pub const fn is_token(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if !TCHAR[bytes[i] as usize] {
            return false;
        }
        i += 1;
    }
    true
}

/// Methods a browser can never send (Fetch "forbidden method"), compared
/// ASCII-case-insensitively as the standard says.
pub fn is_forbidden_method(method: &[u8]) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.as_bytes().eq_ignore_ascii_case(method))
}

/// Methods a browser sends without a preflight (Fetch "CORS-safelisted
/// method"): exact, upper-case bytes.
pub fn is_safelisted_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

/// The methods a browser upper-cases before sending (Fetch "normalize a
/// method"). Any other method is sent byte for byte, so `patch` stays `patch`.
pub fn normalized_method(method: &str) -> Option<&'static str> {
    ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(method))
}

/// Request-header names a page can never set (Fetch "forbidden request-header"),
/// so a policy that lists them is a mistake and `*` never grants them.
pub fn is_forbidden_request_header(name: &[u8]) -> bool {
    const NAMES: [&str; 21] = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    NAMES
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
        || starts_with_ignore_case(name, b"proxy-")
        || starts_with_ignore_case(name, b"sec-")
}

/// Response-header names a page can never read (Fetch "forbidden response-header
/// name"), so exposing them is a mistake.
pub fn is_forbidden_response_header(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"set-cookie") || name.eq_ignore_ascii_case(b"set-cookie2")
}

/// Response headers every cross-origin page can read without being exposed
/// (Fetch "CORS-safelisted response-header name").
pub fn is_safelisted_response_header(name: &[u8]) -> bool {
    [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ]
    .iter()
    .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// Whether `name` belongs to the CORS protocol itself (`Origin` or any
/// `Access-Control-*` header): the library owns these, a policy never lists them.
pub fn is_cors_protocol_header(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"origin") || starts_with_ignore_case(name, b"access-control-")
}

fn starts_with_ignore_case(name: &[u8], prefix: &[u8]) -> bool {
    name.len() >= prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The port a scheme uses when none is written; a serialized origin never
/// spells it out.
pub fn default_port(scheme: &[u8]) -> Option<&'static [u8]> {
    match scheme {
        b"http" | b"ws" => Some(b"80"),
        b"https" | b"wss" => Some(b"443"),
        _ => None,
    }
}

/// An origin split into its three parts, as the bytes appear in the text.
///
/// This is the one origin grammar of the library: `cors-macros` builds its
/// compile-time tables from these parts and `cors-runtime` splits each request's
/// `Origin` the same way before looking it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginParts<'a> {
    /// Lower-case scheme, e.g. `https`.
    pub scheme: &'a [u8],
    /// Host as serialized: a domain, a dotted-quad IPv4 address or a
    /// bracketed IPv6 address.
    pub host: &'a [u8],
    /// Port digits, `None` when the default port applies.
    pub port: Option<&'a [u8]>,
}

impl<'a> OriginParts<'a> {
    /// Splits `scheme "://" host [ ":" port ]` without interpreting the parts
    /// beyond their syntax: the scheme must be lower-case
    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, the host non-empty and free
    /// of `/ ? # @ :` (brackets for IPv6 aside), and the port 1 to 65535 with no
    /// leading zero. Anything else is `None`.
    pub fn split(origin: &'a [u8]) -> Option<Self> {
        let written = WrittenOrigin::split(origin)?;
        if written.userinfo.is_some() || !written.rest.is_empty() || !is_scheme(written.scheme) {
            return None;
        }
        let host = written.host;
        let bracketed = host.first() == Some(&b'[');
        // A bracketed host is one `[...]`; any other host has no brackets.
        let brackets_ok = if bracketed {
            host.last() == Some(&b']') && !host[1..host.len() - 1].contains(&b']')
        } else {
            !host.contains(&b'[') && !host.contains(&b']')
        };
        let host_ok = !host.is_empty()
            && brackets_ok
            && host
                .iter()
                .all(|&b| b > b' ' && b < 0x7f && (bracketed || b != b':'));
        if !host_ok || written.port.is_some_and(|p| !is_port(p)) {
            return None;
        }
        Some(Self {
            scheme: written.scheme,
            host,
            port: written.port,
        })
    }
}

/// An origin as someone may have written it, split where a URL parser splits
/// the start of an `http`/`https` URL, but with nothing checked or normalized.
///
/// [`OriginParts::split`] is this plus the checks that make it a serialized
/// origin; `cors-macros` uses the parts directly to say what differs from the
/// serialization a browser sends (a path, a user name, a default port, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenOrigin<'a> {
    /// The scheme as written (any case).
    pub scheme: &'a [u8],
    /// What comes before the last `@` of the authority, if there is one.
    pub userinfo: Option<&'a [u8]>,
    /// The host as written: up to the port's `:`, or a whole `[...]`.
    pub host: &'a [u8],
    /// What follows the port's `:` (possibly empty).
    pub port: Option<&'a [u8]>,
    /// Path, query and fragment: from the first `/`, `\`, `?` or `#` after
    /// the `://` on (empty for an origin).
    pub rest: &'a [u8],
}

impl<'a> WrittenOrigin<'a> {
    /// Splits `text` at its first `://`; `None` when it has none.
    pub fn split(text: &'a [u8]) -> Option<Self> {
        let sep = find(text, b"://")?;
        let (scheme, after) = (&text[..sep], &text[sep + 3..]);
        // Special URLs treat `\` as `/`.
        let end = after
            .iter()
            .position(|&b| matches!(b, b'/' | b'\\' | b'?' | b'#'))
            .unwrap_or(after.len());
        let (authority, rest) = after.split_at(end);
        let (userinfo, host_port) = match authority.iter().rposition(|&b| b == b'@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (host, port) = split_host_port(host_port);
        Some(Self {
            scheme,
            userinfo,
            host,
            port,
            rest,
        })
    }
}

/// `host [":" port]`, where a `:` inside `[...]` belongs to the host.
fn split_host_port(host_port: &[u8]) -> (&[u8], Option<&[u8]>) {
    if host_port.first() == Some(&b'[') {
        if let Some(close) = host_port.iter().position(|&b| b == b']') {
            let (host, after) = host_port.split_at(close + 1);
            match after {
                [] => return (host, None),
                [b':', port @ ..] => return (host, Some(port)),
                // `[::1]x`: not a bracketed host; the whole is the host.
                _ => return (host_port, None),
            }
        }
    }
    match host_port.iter().position(|&b| b == b':') {
        Some(colon) => (&host_port[..colon], Some(&host_port[colon + 1..])),
        None => (host_port, None),
    }
}

fn is_scheme(s: &[u8]) -> bool {
    matches!(s.first(), Some(b'a'..=b'z'))
        && s.iter()
            .all(|&b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'+' | b'-' | b'.'))
}

/// `1..=65535` in canonical decimal: no sign, no leading zero.
pub fn is_port(p: &[u8]) -> bool {
    if p.is_empty() || p.len() > 5 || p[0] == b'0' || !p.iter().all(u8::is_ascii_digit) {
        return false;
    }
    p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65535
}

/// Whether `label` is a lower-case DNS label as browsers serialize it:
/// `[a-z0-9-]+`, not starting or ending with `-`.
pub fn is_dns_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.first() != Some(&b'-')
        && label.last() != Some(&b'-')
        && label
            .iter()
            .all(|&b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"PURGE"));
        assert!(is_token(b"x-api-key"));
        assert!(!is_token(b""));
        assert!(!is_token(b"PUT, DELETE"));
        assert!(!is_token(b"P UT"));
        assert!(!is_token("é".as_bytes()));
    }

    #[test]
    fn forbidden_names_are_case_insensitive() {
        assert!(is_forbidden_request_header(b"Cookie"));
        assert!(is_forbidden_request_header(b"sec-fetch-mode"));
        assert!(is_forbidden_request_header(b"Proxy-Authorization"));
        assert!(!is_forbidden_request_header(b"authorization"));
        assert!(!is_forbidden_request_header(b"x-sec-token"));
        assert!(is_forbidden_method(b"trace"));
        assert!(!is_forbidden_method(b"PATCH"));
    }

    #[test]
    fn safelisted_methods_are_exact_bytes() {
        // Fetch "CORS-safelisted method": a byte-case-sensitive match.
        for m in [&b"GET"[..], b"HEAD", b"POST"] {
            assert!(is_safelisted_method(m), "{:?}", core::str::from_utf8(m));
        }
        for m in [
            &b"get"[..],
            b"Post",
            b"PUT",
            b"DELETE",
            b"PATCH",
            b"OPTIONS",
            b"",
        ] {
            assert!(!is_safelisted_method(m), "{:?}", core::str::from_utf8(m));
        }
    }

    #[test]
    fn normalize_a_method() {
        // Fetch "normalize a method": only these six are upper-cased.
        assert_eq!(normalized_method("delete"), Some("DELETE"));
        assert_eq!(normalized_method("Get"), Some("GET"));
        assert_eq!(normalized_method("hEaD"), Some("HEAD"));
        assert_eq!(normalized_method("options"), Some("OPTIONS"));
        assert_eq!(normalized_method("post"), Some("POST"));
        assert_eq!(normalized_method("PUT"), Some("PUT"));
        assert_eq!(normalized_method("patch"), None);
        assert_eq!(normalized_method("PURGE"), None);
        assert_eq!(normalized_method("GETS"), None);
        assert_eq!(normalized_method(""), None);
    }

    #[test]
    fn response_header_names() {
        // Fetch "forbidden response-header name": `Set-Cookie`, `Set-Cookie2`.
        assert!(is_forbidden_response_header(b"Set-Cookie"));
        assert!(is_forbidden_response_header(b"set-cookie2"));
        assert!(!is_forbidden_response_header(b"set-cookie3"));
        assert!(!is_forbidden_response_header(b"cookie"));
        assert!(!is_forbidden_response_header(b"x-set-cookie"));
        // Fetch "CORS-safelisted response-header name", without exposure.
        for name in [
            &b"Cache-Control"[..],
            b"content-language",
            b"Content-Length",
            b"content-type",
            b"EXPIRES",
            b"last-modified",
            b"pragma",
        ] {
            assert!(
                is_safelisted_response_header(name),
                "{:?}",
                core::str::from_utf8(name)
            );
        }
        for name in [&b"set-cookie"[..], b"etag", b"x-request-id", b"content-"] {
            assert!(
                !is_safelisted_response_header(name),
                "{:?}",
                core::str::from_utf8(name)
            );
        }
    }

    #[test]
    fn cors_protocol_headers() {
        assert!(is_cors_protocol_header(b"Origin"));
        assert!(is_cors_protocol_header(b"access-control-allow-origin"));
        assert!(is_cors_protocol_header(
            b"Access-Control-Request-Private-Network"
        ));
        assert!(!is_cors_protocol_header(b"access-control"));
        assert!(!is_cors_protocol_header(b"x-origin"));
        assert!(!is_cors_protocol_header(b"origin-agent-cluster"));
        assert!(!is_cors_protocol_header(b"x-access-control-allow-origin"));
    }

    #[test]
    fn default_ports() {
        // The URL standard's special schemes that an origin can have.
        assert_eq!(default_port(b"http"), Some(&b"80"[..]));
        assert_eq!(default_port(b"ws"), Some(&b"80"[..]));
        assert_eq!(default_port(b"https"), Some(&b"443"[..]));
        assert_eq!(default_port(b"wss"), Some(&b"443"[..]));
        assert_eq!(default_port(b"file"), None);
        assert_eq!(default_port(b"HTTP"), None);
    }

    #[test]
    fn ports() {
        for good in [&b"1"[..], b"80", b"8443", b"10000", b"65535"] {
            assert!(is_port(good), "{:?}", core::str::from_utf8(good));
        }
        for bad in [
            &b""[..],
            b"0",
            b"080",
            b"65536",
            b"99999",
            b"100000",
            b"+443",
            b"44 3",
            // Too long to fit in a u32: rejected, not overflowed.
            b"4294967296443",
        ] {
            assert!(!is_port(bad), "{:?}", core::str::from_utf8(bad));
        }
    }

    #[test]
    fn origin_schemes() {
        // RFC 3986 §3.1: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, and a
        // serialized origin's scheme is lower-case.
        for good in [&b"a+b-c.d1://x"[..], b"wss://x", b"h://x"] {
            assert!(
                OriginParts::split(good).is_some(),
                "{:?}",
                core::str::from_utf8(good)
            );
        }
        for bad in [
            &b"://a.example"[..],
            b"hTTPS://a.example",
            b"1ab://a.example",
            b"-ab://a.example",
            b"ht_tp://a.example",
        ] {
            assert_eq!(
                OriginParts::split(bad),
                None,
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
    }

    #[test]
    fn origin_split() {
        let p = OriginParts::split(b"https://a.example:8443").unwrap();
        assert_eq!(
            (p.scheme, p.host, p.port),
            (&b"https"[..], &b"a.example"[..], Some(&b"8443"[..]))
        );
        let p = OriginParts::split(b"http://[::1]:8080").unwrap();
        assert_eq!((p.host, p.port), (&b"[::1]"[..], Some(&b"8080"[..])));
        assert_eq!(OriginParts::split(b"http://[::1]").unwrap().port, None);
        for bad in [
            &b"null"[..],
            b"https://",
            b"https://a.example:",
            b"https://a.example:0",
            b"https://a.example:08443",
            b"https://a.example:65536",
            b"https://a.example/",
            b"HTTPS://a.example",
            b"https://u@a.example",
            b"https://[::1]x",
            b"https://a b",
            b"https://[::1]]",
            b"https://a]b",
            b"https://a.example\\x",
            b"https://a.example:1:2",
            // Control bytes and DEL are never part of a serialized host.
            b"https://a\x7fb",
            b"https://a\x1fb",
            b"https://a\xc3\xa9",
        ] {
            assert_eq!(
                OriginParts::split(bad),
                None,
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
    }

    #[test]
    fn written_origin_split() {
        let w = WrittenOrigin::split(b"HTTPS://u:p@[::1]:08/x?y#z").unwrap();
        assert_eq!(w.scheme, b"HTTPS");
        assert_eq!(w.userinfo, Some(&b"u:p"[..]));
        assert_eq!((w.host, w.port), (&b"[::1]"[..], Some(&b"08"[..])));
        assert_eq!(w.rest, b"/x?y#z");
        let w = WrittenOrigin::split(b"https://a.example:").unwrap();
        assert_eq!(
            (w.host, w.port, w.rest),
            (&b"a.example"[..], Some(&b""[..]), &b""[..])
        );
        let w = WrittenOrigin::split(b"https://a@b@c.example\\x").unwrap();
        assert_eq!((w.userinfo, w.host), (Some(&b"a@b"[..]), &b"c.example"[..]));
        assert_eq!(w.rest, b"\\x");
        assert_eq!(WrittenOrigin::split(b"https:/a.example"), None);
    }

    #[test]
    fn labels() {
        assert!(is_dns_label(b"xn--rsum-bpad"));
        assert!(!is_dns_label(b"A"));
        assert!(!is_dns_label(b"-a"));
        assert!(!is_dns_label(b"a_"));
        assert!(!is_dns_label(b""));
    }
}
