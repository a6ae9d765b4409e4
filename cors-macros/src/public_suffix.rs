//! Public suffixes (`com`, `co.uk`, `github.io`, ...), from the `psl` crate's
//! compiled copy of the Public Suffix List.

/// `domain` itself when it is a public suffix: a name under which anyone can
/// register their own site, so `*.domain` would allow strangers.
pub fn public_suffix(domain: &str) -> Option<&str> {
    let suffix = psl::suffix(domain.as_bytes())?;
    (suffix.is_known() && suffix.as_bytes() == domain.as_bytes()).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::public_suffix;

    #[test]
    fn knows_icann_and_private_suffixes() {
        for suffix in ["com", "co.uk", "github.io", "org"] {
            assert_eq!(public_suffix(suffix), Some(suffix));
        }
        for domain in ["example.com", "example.co.uk", "localhost", "internal"] {
            assert_eq!(public_suffix(domain), None, "{domain}");
        }
    }
}
