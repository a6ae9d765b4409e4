//! Matching a request's `Origin` against a policy's origin tables.
//!
//! The tables are sorted by the macro at compile time, so a lookup is a binary
//! search whatever the number of origins: one for exact origins, and one per
//! DNS label of the request's host for subdomain patterns. Matching is byte for
//! byte against canonical serialized origins; the request's value is never
//! normalized (`https://App.example` is not `https://app.example`).

use cors_fetch::{is_dns_label, OriginParts};

/// A policy's allowed origins, as tables sorted at compile time. Built by
/// [`OriginList::new`](crate::__private::OriginList::new), which checks the order.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginList {
    /// Exact serialized origins, sorted by bytes.
    pub(crate) exact: &'static [&'static str],
    /// `scheme://host:*` patterns (`port` is `"*"`), sorted.
    pub(crate) any_port: &'static [HostPattern],
    /// `scheme://*.host[:port]` patterns, sorted; `port` is `""` for the
    /// default port or `"*"` for any.
    pub(crate) subdomains: &'static [HostPattern],
    /// Whether an entry is plain `http` on a host that is not loopback (and
    /// the policy did not opt in).
    pub(crate) insecure: bool,
}

/// The fixed parts of an origin pattern.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostPattern {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The host, or the apex of a subdomain pattern.
    pub host: &'static str,
    /// `"*"`, `""` (the default port) or digits.
    pub port: &'static str,
}

impl OriginList {
    pub(crate) const EMPTY: Self = Self::new(&[], &[], &[], false);

    /// Whether `origin`, the raw bytes of one `Origin` header line, is allowed.
    /// `filter` is [`last_labels`](Self::last_labels) of this list.
    pub(crate) fn matches(&self, origin: &[u8], filter: LabelFilter) -> bool {
        if self
            .exact
            .binary_search_by(|probe| probe.as_bytes().cmp(origin))
            .is_ok()
        {
            return true;
        }
        // Most origins that miss the exact table miss the patterns too: a
        // subdomain pattern's last label must end the origin's host, which
        // one scan from the end tells, before splitting anything.
        let subdomains = if self.subdomains.is_empty() {
            false
        } else {
            filter.may_contain(last_label(origin))
        };
        if self.any_port.is_empty() && !subdomains {
            return false;
        }
        let Some(parts) = OriginParts::split(origin) else {
            return false;
        };
        // A serialized origin never spells out its scheme's default port.
        if parts.port.is_some() && parts.port == cors_fetch::default_port(parts.scheme) {
            return false;
        }
        lookup(self.any_port, parts.scheme, parts.host, parts.port)
            || (subdomains && self.matches_subdomain(&parts))
    }

    /// The last DNS labels of the subdomain patterns, as a filter.
    pub(crate) const fn last_labels(&self) -> LabelFilter {
        let mut bits = 0;
        let mut i = 0;
        while i < self.subdomains.len() {
            let host = self.subdomains[i].host.as_bytes();
            let mut start = host.len();
            while start > 0 && host[start - 1] != b'.' {
                start -= 1;
            }
            let (_, label) = host.split_at(start);
            bits |= LabelFilter::bit(label);
            i += 1;
        }
        LabelFilter(bits)
    }

    fn matches_subdomain(&self, parts: &OriginParts<'_>) -> bool {
        // Try every proper suffix after a dot, left to right, as long as what
        // lies before it is made of valid lower-case DNS labels.
        let host = parts.host;
        let mut label_start = 0;
        for (i, &b) in host.iter().enumerate() {
            if b != b'.' {
                continue;
            }
            if !is_dns_label(&host[label_start..i]) {
                return false;
            }
            if lookup(self.subdomains, parts.scheme, &host[i + 1..], parts.port) {
                return true;
            }
            label_start = i + 1;
        }
        false
    }
}

/// A set of DNS labels that may give false positives, never false negatives:
/// one bit per label hash.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct LabelFilter(u64);

impl LabelFilter {
    pub(crate) const EMPTY: Self = Self(0);

    const fn bit(label: &[u8]) -> u64 {
        // FNV-1a, folded to one of 64 bits.
        let mut hash: u32 = 0x811c_9dc5;
        let mut i = 0;
        while i < label.len() {
            hash = (hash ^ label[i] as u32).wrapping_mul(0x0100_0193);
            i += 1;
        }
        1 << (hash % 64)
    }

    fn may_contain(self, label: Option<&[u8]>) -> bool {
        label.is_some_and(|label| self.0 & Self::bit(label) != 0)
    }
}

/// The last DNS label of the host of `origin`, read from the end: after the
/// last `.`, up to a `:` (a port). `None` without a dot, which no origin a
/// subdomain pattern matches lacks. Garbage in gives some label or none; the
/// full match decides.
fn last_label(origin: &[u8]) -> Option<&[u8]> {
    let dot = origin.iter().rposition(|&b| b == b'.')?;
    let tail = &origin[dot + 1..];
    let end = tail.iter().position(|&b| b == b':').unwrap_or(tail.len());
    Some(&tail[..end])
}

/// Whether `table` has an entry for `scheme` and `host` whose port is `port`
/// (`""` meaning the default port) or `"*"`.
fn lookup(table: &[HostPattern], scheme: &[u8], host: &[u8], port: Option<&[u8]>) -> bool {
    let key = |p: &HostPattern| (p.scheme.as_bytes(), p.host.as_bytes());
    let start = table.partition_point(|p| key(p) < (scheme, host));
    table[start..]
        .iter()
        .take_while(|p| key(p) == (scheme, host))
        .any(|p| p.port == "*" || p.port.as_bytes() == port.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn pattern(scheme: &'static str, host: &'static str, port: &'static str) -> HostPattern {
        HostPattern { scheme, host, port }
    }

    const LIST: OriginList = OriginList::new(
        &[
            "https://admin.example:8443",
            "https://app.example",
            "https://bar.com",
            "https://foo.com",
        ],
        &[pattern("http", "localhost", "*")],
        &[
            pattern("https", "example.com", ""),
            pattern("https", "example.net", "*"),
        ],
        false,
    );

    const FILTER: LabelFilter = LIST.last_labels();

    impl OriginList {
        fn allows(&self, origin: &[u8]) -> bool {
            self.matches(origin, self.last_labels())
        }
    }

    #[test]
    fn the_label_filter_never_drops_a_match() {
        assert!(FILTER.may_contain(last_label(b"https://a.example.com")));
        assert!(FILTER.may_contain(last_label(b"https://x.example.net:9443")));
        assert!(!FILTER.may_contain(last_label(b"https://localhost")));
        // It does skip work: other last labels (with other bits) are out.
        assert!(!FILTER.may_contain(last_label(b"https://a.example.org")));
        assert!(!FILTER.may_contain(last_label(b"https://a.example.dev:8443")));
        // Without the filter, the same answers.
        let all = LabelFilter(u64::MAX);
        for origin in [
            "https://a.example.com",
            "https://x.example.net:9443",
            "https://evil.example.org",
            "https://a.example.com.evil.net",
        ] {
            assert_eq!(
                LIST.matches(origin.as_bytes(), FILTER),
                LIST.matches(origin.as_bytes(), all),
                "{origin}"
            );
        }
    }

    #[test]
    fn a_pattern_over_a_single_label_host_is_filtered_too() {
        // Built at run time here, as a router-wide `CorsLayer`'s engine is.
        static PATTERNS: [HostPattern; 1] = [pattern("http", "internal", "*")];
        let list = OriginList::new(&[], &[], &PATTERNS, false);
        let filter = std::hint::black_box(&list).last_labels();
        assert!(list.matches(b"http://a.internal:8080", filter));
        assert!(!list.matches(b"http://internal:8080", filter));
        assert!(!list.matches(b"http://a.external:8080", filter));
    }

    #[test]
    fn tables_a_lookup_would_miss_in_are_refused() {
        static P: [HostPattern; 2] = [
            pattern("https", "b.example", ""),
            pattern("https", "a.example", ""),
        ];
        static Q: [HostPattern; 1] = [pattern("https", "A.example", "")];
        let refused = |build: fn() -> OriginList| std::panic::catch_unwind(build).is_err();
        assert!(refused(|| OriginList::new(
            &["https://b.example", "https://a.example"],
            &[],
            &[],
            false
        )));
        assert!(refused(|| OriginList::new(
            &["https://a.example", "https://a.example"],
            &[],
            &[],
            false
        )));
        assert!(refused(|| OriginList::new(
            &["https://A.example"],
            &[],
            &[],
            false
        )));
        assert!(refused(|| OriginList::new(&[], &P, &[], false)));
        assert!(refused(|| OriginList::new(&[], &[], &P, false)));
        assert!(refused(|| OriginList::new(&[], &[], &Q, false)));
        assert!(!refused(|| OriginList::new(
            &["https://a.example", "https://b.example"],
            &[],
            &[],
            false
        )));
        // The order is (scheme, host, port), as `lookup` reads it.
        static R: [HostPattern; 3] = [
            pattern("http", "z.example", ""),
            pattern("https", "a.example", ""),
            pattern("https", "a.example", "*"),
        ];
        assert!(!refused(|| OriginList::new(&[], &R, &[], false)));
    }

    #[test]
    fn exact_origins_match_byte_for_byte() {
        for ok in [
            "https://app.example",
            "https://admin.example:8443",
            "https://foo.com",
        ] {
            assert!(LIST.allows(ok.as_bytes()), "{ok}");
        }
        for no in [
            "https://app.example/",
            "HTTPS://APP.EXAMPLE",
            "https://App.Example",
            "https://app.example:443",
            "https://admin.example",
            "https://admin.example:08443",
            "https://app.example.",
            "https://barfoo.com",
            "https://foobar.com",
            "https://foo.combar.com",
            "null",
            "",
        ] {
            assert!(!LIST.allows(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn port_patterns_match_any_valid_port() {
        for ok in [
            "http://localhost",
            "http://localhost:3000",
            "http://localhost:65535",
        ] {
            assert!(LIST.allows(ok.as_bytes()), "{ok}");
        }
        for no in [
            "http://localhost:0",
            "http://localhost:080",
            "http://localhost:80",
            "http://localhost:65536",
            "https://localhost:3000",
            "http://localhost.evil:3000",
        ] {
            assert!(!LIST.allows(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn subdomain_patterns_never_match_the_apex_or_lookalikes() {
        for ok in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://x.example.net:9443",
            "https://x.example.net",
        ] {
            assert!(LIST.allows(ok.as_bytes()), "{ok}");
        }
        for no in [
            "https://example.com",
            "https://.example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.net",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://*.example.com",
            "https://a_.example.com",
            "https://A.example.com",
            "https://a..example.com",
        ] {
            assert!(!LIST.allows(no.as_bytes()), "{no}");
        }
    }
}
