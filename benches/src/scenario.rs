//! The request scenarios every variant is measured on.

use axum::body::Body;
use axum::body::Bytes;
use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderValue, Method, Request};

/// The path every variant routes (`GET` and `PUT`).
pub const PATH: &str = "/api";
/// An origin the policy allows (exact entry).
pub const ALLOWED_ORIGIN: &str = "https://app.example.com";
/// An origin the policy does not allow.
pub const DISALLOWED_ORIGIN: &str = "https://evil.example.net";

/// A header value backed by a shared buffer, as hyper produces them (slices
/// of its read buffer): cloning it is a reference-count bump. A value built
/// from a `&str` by `Request::builder().header(..)` would instead allocate on
/// its first clone, a cost no served request pays.
pub fn header_value(s: &str) -> HeaderValue {
    let bytes = Bytes::copy_from_slice(s.as_bytes());
    drop(bytes.clone()); // promote to the shared (reference-counted) representation
    HeaderValue::from_maybe_shared(bytes).expect("valid header value")
}

/// One kind of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// `GET` with an allowed `Origin`.
    AllowedGet,
    /// `GET` with an `Origin` the policy rejects (the handler still runs).
    DisallowedGet,
    /// `GET` without `Origin` (same-origin or non-browser client).
    NoOriginGet,
    /// `OPTIONS` preflight for `PUT` requesting `content-type, x-api-key`.
    AllowedPreflight,
    /// `OPTIONS` preflight for `PUT` requesting a header the policy does not allow.
    RejectedPreflight,
}

impl Scenario {
    /// Every scenario, in report order.
    pub const ALL: [Scenario; 5] = [
        Scenario::AllowedGet,
        Scenario::DisallowedGet,
        Scenario::NoOriginGet,
        Scenario::AllowedPreflight,
        Scenario::RejectedPreflight,
    ];

    /// Short machine name (criterion group suffix).
    pub fn name(self) -> &'static str {
        match self {
            Scenario::AllowedGet => "allowed_get",
            Scenario::DisallowedGet => "disallowed_get",
            Scenario::NoOriginGet => "no_origin_get",
            Scenario::AllowedPreflight => "allowed_preflight",
            Scenario::RejectedPreflight => "rejected_preflight",
        }
    }

    /// Parses a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Human description for reports.
    pub fn description(self) -> &'static str {
        match self {
            Scenario::AllowedGet => "allowed actual GET",
            Scenario::DisallowedGet => "disallowed-origin GET",
            Scenario::NoOriginGet => "GET without Origin",
            Scenario::AllowedPreflight => "allowed preflight (2 headers)",
            Scenario::RejectedPreflight => "rejected preflight (header)",
        }
    }

    /// Whether this is an `OPTIONS` preflight.
    pub fn is_preflight(self) -> bool {
        matches!(
            self,
            Scenario::AllowedPreflight | Scenario::RejectedPreflight
        )
    }

    /// Builds a fresh request for this scenario.
    pub fn request(self) -> Request<Body> {
        let b = Request::builder().uri(PATH);
        let b = match self {
            Scenario::AllowedGet => b
                .method(Method::GET)
                .header(ORIGIN, header_value(ALLOWED_ORIGIN)),
            Scenario::DisallowedGet => b
                .method(Method::GET)
                .header(ORIGIN, header_value(DISALLOWED_ORIGIN)),
            Scenario::NoOriginGet => b.method(Method::GET),
            Scenario::AllowedPreflight => b
                .method(Method::OPTIONS)
                .header(ORIGIN, header_value(ALLOWED_ORIGIN))
                .header(ACCESS_CONTROL_REQUEST_METHOD, header_value("PUT"))
                .header(
                    ACCESS_CONTROL_REQUEST_HEADERS,
                    header_value("content-type, x-api-key"),
                ),
            Scenario::RejectedPreflight => b
                .method(Method::OPTIONS)
                .header(ORIGIN, header_value(ALLOWED_ORIGIN))
                .header(ACCESS_CONTROL_REQUEST_METHOD, header_value("PUT"))
                .header(
                    ACCESS_CONTROL_REQUEST_HEADERS,
                    header_value("content-type, x-not-allowed"),
                ),
        };
        b.body(Body::empty()).expect("valid request")
    }
}

/// A `GET` to [`PATH`] with the given `Origin` (origin-list scaling benches).
pub fn get_with_origin(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::GET)
        .uri(PATH)
        .header(ORIGIN, header_value(origin))
        .body(Body::empty())
        .expect("valid request")
}
