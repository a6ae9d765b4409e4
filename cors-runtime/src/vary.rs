//! The `Vary` header: appended to, never replaced, never duplicated.

use http::header::{HeaderMap, HeaderValue, VARY};

/// `Vary` of a preflight answer: it depends on all three request headers.
pub(crate) const PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "origin, access-control-request-method, access-control-request-headers",
);

pub(crate) const ORIGIN: HeaderValue = HeaderValue::from_static("origin");

/// Adds `origin` to the response's `Vary` unless a line already lists it (or `*`),
/// keeping whatever the handler put there.
pub(crate) fn append_origin(headers: &mut HeaderMap) {
    let listed = headers.get_all(VARY).iter().any(|line| {
        line.as_bytes()
            .split(|&b| b == b',')
            .map(<[u8]>::trim_ascii)
            .any(|token| token == b"*" || token.eq_ignore_ascii_case(b"origin"))
    });
    if !listed {
        headers.append(VARY, ORIGIN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(existing: &[&'static str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for v in existing {
            headers.append(VARY, HeaderValue::from_static(v));
        }
        append_origin(&mut headers);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn appends_after_existing_values() {
        assert_eq!(
            vary_after(&["accept-encoding"]),
            ["accept-encoding", "origin"]
        );
        assert_eq!(vary_after(&[]), ["origin"]);
    }

    #[test]
    fn never_duplicates() {
        assert_eq!(
            vary_after(&["Accept-Encoding, Origin"]),
            ["Accept-Encoding, Origin"]
        );
        assert_eq!(vary_after(&["*"]), ["*"]);
    }
}
