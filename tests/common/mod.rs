//! Shared fixtures and helpers for the runtime integration tests.
//!
//! The fixture app maps the policies of `docs/server-requirements.md` ("Fixtures")
//! onto `#[cors(...)]`. Every handler records its name in a per-app [`Calls`]
//! log (the router state), so a test can prove that a handler did or did not
//! run without racing the other tests of its binary.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{FromRequestParts, Path, State},
    http::{
        header, request::Parts, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode,
    },
    routing::get,
    Router,
};
use cors_runtime::{cors, policy, route, CorsPolicy};
use tower::ServiceExt;

// ---------------------------------------------------------------------------
// Header names and values
// ---------------------------------------------------------------------------

pub const ORIGIN: &str = "origin";
pub const ACRM: &str = "access-control-request-method";
pub const ACRH: &str = "access-control-request-headers";
pub const ACRPN: &str = "access-control-request-private-network";
pub const ACAO: &str = "access-control-allow-origin";
pub const ACAC: &str = "access-control-allow-credentials";
pub const ACAM: &str = "access-control-allow-methods";
pub const ACAH: &str = "access-control-allow-headers";
pub const ACEH: &str = "access-control-expose-headers";
pub const ACMA: &str = "access-control-max-age";
pub const ACAPN: &str = "access-control-allow-private-network";

/// The origin every fixture policy but P-OPEN's `*` lists first.
pub const APP: &str = "https://app.example";
/// An origin no fixture policy lists.
pub const EVIL: &str = "https://evil.example";

/// The `Vary` tokens of every preflight answer, allowed or rejected (docs/server-requirements.md, F).
pub const PREFLIGHT_VARY: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

/// `Access-Control-Allow-Headers` of P-LIST: its configured list in policy order.
pub const P_LIST_ACAH: &str = "x-test, content-type, authorization";
/// `Access-Control-Expose-Headers` of P-LIST.
pub const P_LIST_ACEH: &str = "x-resp, x-total";

/// The five origins of P-LIST.
pub const P_LIST_ORIGINS: [&str; 5] = [
    "https://app.example",
    "https://admin.example:8443",
    "http://localhost:3000",
    "http://[::1]:8080",
    "https://xn--rsum-bpad.example",
];

// ---------------------------------------------------------------------------
// Fixture policies (server-requirements.md §0.1)
// ---------------------------------------------------------------------------

pub const P_OPEN: CorsPolicy = policy!(
    origins = "*",
    methods = [GET, POST, PUT],
    headers = ["x-test"],
    expose_headers = ["x-resp"]
);

pub const P_LIST: CorsPolicy = policy!(
    origins = [
        "https://app.example",
        "https://admin.example:8443",
        "http://localhost:3000",
        "http://[::1]:8080",
        "https://xn--rsum-bpad.example"
    ],
    methods = [GET, POST, PUT, DELETE, PATCH],
    headers = ["x-test", "content-type", "authorization"],
    expose_headers = ["x-resp", "x-total"],
    max_age = 600
);

pub const P_CRED: CorsPolicy = policy!(
    origins = ["https://app.example"],
    credentials = true,
    methods = [PUT, DELETE],
    headers = ["x-test", "authorization"],
    expose_headers = ["x-resp"],
    max_age = 600
);

// ---------------------------------------------------------------------------
// Call log (router state)
// ---------------------------------------------------------------------------

/// Names of the handlers (and extractors) that ran, in order.
#[derive(Clone, Default)]
pub struct Calls(Arc<Mutex<Vec<&'static str>>>);

impl Calls {
    pub fn record(&self, name: &'static str) {
        self.0.lock().unwrap().push(name);
    }

    pub fn snapshot(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().clone()
    }
}

/// Defines a handler that records its own name in [`Calls`] and answers 200
/// with its name as the body. Attributes (`#[cors(...)]`) go in front:
/// `recording_handler!(#[cors(policy = P_LIST)] list_get);`
macro_rules! recording_handler {
    ($(#[$($attr:tt)*])* $name:ident) => {
        $(#[$($attr)*])*
        pub async fn $name(
            ::axum::extract::State(calls): ::axum::extract::State<$crate::common::Calls>,
        ) -> &'static str {
            calls.record(stringify!($name));
            stringify!($name)
        }
    };
}
#[allow(unused_imports)] // not every test binary defines its own handlers
pub(crate) use recording_handler;

// ---------------------------------------------------------------------------
// Fixture handlers and routes (server-requirements.md §0.1)
// ---------------------------------------------------------------------------

recording_handler!(
    #[cors(policy = P_LIST)]
    list_get
);
recording_handler!(
    #[cors(policy = P_LIST)]
    list_post
);
recording_handler!(
    #[cors(policy = P_LIST)]
    list_put
);
recording_handler!(
    #[cors(policy = P_LIST)]
    list_delete
);
recording_handler!(
    #[cors(policy = P_LIST)]
    list_patch
);

recording_handler!(
    #[cors(policy = P_CRED, methods = [GET])]
    cred_get
);
recording_handler!(
    #[cors(policy = P_CRED)]
    cred_put
);
recording_handler!(
    #[cors(policy = P_CRED)]
    cred_delete
);

recording_handler!(
    #[cors(policy = P_OPEN)]
    open_get
);
recording_handler!(
    #[cors(policy = P_OPEN)]
    open_post
);
recording_handler!(
    #[cors(policy = P_OPEN)]
    open_put
);

recording_handler!(
    #[cors(policy = P_LIST)]
    only_get
);

recording_handler!(
    #[cors(policy = P_OPEN)]
    mixed_get
);
recording_handler!(
    #[cors(policy = P_CRED)]
    mixed_delete
);

recording_handler!(nocors_get);

/// Extractor that needs an `Authorization` header and answers 401 without one.
/// It records itself, so tests can prove that extractors did not run.
pub struct Bearer;

impl FromRequestParts<Calls> for Bearer {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, calls: &Calls) -> Result<Self, StatusCode> {
        calls.record("bearer_extractor");
        if parts.headers.contains_key(header::AUTHORIZATION) {
            Ok(Bearer)
        } else {
            Err(StatusCode::UNAUTHORIZED)
        }
    }
}

#[cors(policy = P_LIST)]
pub async fn auth_get(State(calls): State<Calls>, _token: Bearer) -> &'static str {
    calls.record("auth_get");
    "auth_get"
}

#[cors(policy = P_LIST)]
pub async fn err_get(State(calls): State<Calls>) -> (StatusCode, &'static str) {
    calls.record("err_get");
    (StatusCode::INTERNAL_SERVER_ERROR, "err_get")
}

#[cors(policy = P_LIST)]
pub async fn item_get(State(calls): State<Calls>, Path(id): Path<String>) -> String {
    calls.record("item_get");
    format!("item_get {id}")
}

#[cors(policy = P_LIST)]
pub async fn item_put(State(calls): State<Calls>, Path(id): Path<String>) -> String {
    calls.record("item_put");
    format!("item_put {id}")
}

/// The routes of §0.1 plus `/items/{id}` (R8).
pub fn fixture_routes() -> Router<Calls> {
    Router::new()
        .route(
            "/list",
            route!(get(list_get)
                .post(list_post)
                .put(list_put)
                .delete(list_delete)
                .patch(list_patch)),
        )
        .route(
            "/cred",
            route!(get(cred_get).put(cred_put).delete(cred_delete)),
        )
        .route("/open", route!(get(open_get).post(open_post).put(open_put)))
        .route("/only-get", route!(get(only_get)))
        .route("/auth", route!(get(auth_get)))
        .route("/err", route!(get(err_get)))
        .route("/mixed", route!(get(mixed_get).delete(mixed_delete)))
        .route("/items/{id}", route!(get(item_get).put(item_put)))
        .route("/nocors", get(nocors_get))
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Builds a request; `headers` are appended in order (a name may repeat).
pub fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let raw: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|&(name, value)| (name, value.as_bytes()))
        .collect();
    request_bytes(method, path, &raw)
}

/// Like [`request`], with raw header values (obs-text, invalid UTF-8).
pub fn request_bytes(method: &str, path: &str, headers: &[(&str, &[u8])]) -> Request<Body> {
    try_request_bytes(method, path, headers).expect("header value")
}

/// Like [`request_bytes`], or `None` if `http` rejects a header value.
pub fn try_request_bytes(
    method: &str,
    path: &str,
    headers: &[(&str, &[u8])],
) -> Option<Request<Body>> {
    let mut req = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method token"))
        .uri(path)
        .body(Body::empty())
        .expect("request");
    for &(name, value) in headers {
        req.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_bytes(value).ok()?,
        );
    }
    Some(req)
}

/// A CORS preflight: `OPTIONS path` with `Origin`, `ACRM` and `extra` headers.
pub fn preflight(path: &str, origin: &str, method: &str, extra: &[(&str, &str)]) -> Request<Body> {
    let mut headers = vec![(ORIGIN, origin), (ACRM, method)];
    headers.extend_from_slice(extra);
    request("OPTIONS", path, &headers)
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// A buffered response plus a description of the request, for failure messages.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub context: String,
}

/// Sends `req` through `router` (an axum `Router`, a `CorsRouter`) with
/// `tower::ServiceExt::oneshot`.
pub async fn send<T>(router: &T, req: Request<Body>) -> Reply
where
    T: tower::Service<
            Request<Body>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone,
{
    let context = format!("{} {} {:?}", req.method(), req.uri(), req.headers());
    let resp = router
        .clone()
        .oneshot(req)
        .await
        .expect("router is infallible");
    let (parts, body) = resp.into_parts();
    let body = to_bytes(body, usize::MAX).await.expect("response body");
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
        context,
    }
}

impl Reply {
    /// The field lines of `name`, in order (non-visible-ASCII values shown as `<obs-text>`).
    pub fn lines(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<obs-text>"))
            .collect()
    }

    /// The elements of the comma-separated list in all `name` lines, trimmed.
    pub fn list_tokens(&self, name: &str) -> Vec<&str> {
        self.lines(name)
            .into_iter()
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The `Vary` tokens, lowercased (field names are case-insensitive).
    pub fn vary_tokens(&self) -> Vec<String> {
        self.list_tokens("vary")
            .into_iter()
            .map(str::to_ascii_lowercase)
            .collect()
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }

    /// Every `access-control-*` field line as (name, value), sorted.
    pub fn cors_headers(&self) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("access-control-"))
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        found.sort();
        found
    }

    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) {
        assert_eq!(self.status, status, "status of {}", self.context);
    }

    /// The `access-control-*` field lines are exactly `expected`: one line per
    /// entry, byte-equal values, nothing else.
    #[track_caller]
    pub fn assert_cors(&self, expected: &[(&str, &str)]) {
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|&(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        want.sort();
        assert_eq!(
            self.cors_headers(),
            want,
            "access-control-* headers of {}",
            self.context
        );
    }

    #[track_caller]
    pub fn assert_no_cors(&self) {
        self.assert_cors(&[]);
    }

    /// None of `names` is present.
    #[track_caller]
    pub fn assert_absent(&self, names: &[&str]) {
        for name in names {
            assert!(
                self.lines(name).is_empty(),
                "unexpected {name} on {}: {:?}",
                self.context,
                self.lines(name)
            );
        }
    }

    #[track_caller]
    pub fn assert_vary(&self, expected: &[&str]) {
        assert_eq!(self.vary_tokens(), expected, "Vary of {}", self.context);
    }

    /// An allowed preflight (docs/server-requirements.md, F): 204, empty body, the three `Vary` tokens and
    /// exactly the `access-control-*` lines given.
    #[track_caller]
    pub fn assert_preflight_allowed(&self, expected: &[(&str, &str)]) {
        self.assert_status(StatusCode::NO_CONTENT);
        assert!(self.body.is_empty(), "body of {}", self.context);
        self.assert_vary(&PREFLIGHT_VARY);
        self.assert_cors(expected);
    }

    /// A refused preflight (docs/server-requirements.md, F): 403, empty body, no CORS headers, same `Vary`.
    #[track_caller]
    pub fn assert_preflight_rejected(&self) {
        self.assert_status(StatusCode::FORBIDDEN);
        assert!(self.body.is_empty(), "body of {}", self.context);
        self.assert_vary(&PREFLIGHT_VARY);
        self.assert_no_cors();
    }
}

// ---------------------------------------------------------------------------
// App under test
// ---------------------------------------------------------------------------

/// A router plus the call log it records into.
pub struct App {
    router: Router,
    calls: Calls,
}

impl App {
    pub fn new(routes: Router<Calls>) -> Self {
        let calls = Calls::default();
        Self {
            router: routes.with_state(calls.clone()),
            calls,
        }
    }

    /// The §0.1 fixture routes.
    pub fn fixture() -> Self {
        Self::new(fixture_routes())
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        send(&self.router, req).await
    }

    /// Handlers and extractors that ran so far, in order.
    pub fn calls(&self) -> Vec<&'static str> {
        self.calls.snapshot()
    }

    #[track_caller]
    pub fn assert_calls(&self, expected: &[&str]) {
        assert_eq!(self.calls(), expected, "handlers that ran");
    }
}

/// RFC 9110 `token` (method names and header field names).
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
