//! What a policy does to one request: answer a preflight, or decorate the
//! response of an actual request.
//!
//! An [`Engine`] is a [`CorsPolicy`] with its header values turned into
//! [`HeaderValue`]s once, when the router is built. Answering a request then
//! only clones static values and the request's own `Origin`, which never
//! allocates.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Response, StatusCode};

use crate::origin::LabelFilter;
use crate::policy::{
    CorsPolicy, ExposeHeaders, HeaderList, MethodList, Methods, Origins, RequestHeaders,
};
use crate::vary;

const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const WILDCARD: HeaderValue = HeaderValue::from_static("*");

/// A policy with its response header values prepared: at compile time for
/// `route!` (a `static` per path), once per router for [`CorsLayer`](crate::CorsLayer).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Engine {
    policy: &'static CorsPolicy,
    /// The methods a preflight may ask for, as this engine's role reads the policy.
    methods: Methods,
    /// The last labels of the subdomain patterns, to skip them cheaply.
    last_labels: LabelFilter,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

/// Why a preflight was refused; logged, never sent to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    SeveralOrigins,
    OriginNotAllowed,
    SeveralMethods,
    MethodNotRouted,
    MethodNotAllowed,
    HeaderNotAllowed,
    PrivateNetworkNotAllowed,
    SeveralPrivateNetwork,
    WebSocketOriginNotAllowed,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Self::SeveralOrigins => "the request has several `Origin` header lines",
            Self::OriginNotAllowed => "the origin is not allowed",
            Self::SeveralMethods => {
                "the request has several `Access-Control-Request-Method` header lines"
            }
            Self::MethodNotRouted => {
                "no handler with a CORS policy is routed for the requested method"
            }
            Self::MethodNotAllowed => "the requested method is not allowed",
            Self::HeaderNotAllowed => "a requested header is not allowed",
            Self::PrivateNetworkNotAllowed => "private network access is not allowed",
            Self::WebSocketOriginNotAllowed => {
                "a WebSocket upgrade from an origin the policy does not allow, not the server's own"
            }
            Self::SeveralPrivateNetwork => {
                "the request has several `Access-Control-Request-Private-Network` header lines"
            }
        }
    }
}

/// The CORS headers an actual response gets, decided from the request before
/// the handler runs and written onto whatever response it produces.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decoration {
    allow_origin: Option<HeaderValue>,
    credentials: bool,
    expose_headers: Option<HeaderValue>,
    vary_origin: bool,
    /// Why an `Origin` got no CORS headers, logged once the decoration is used.
    refused: Option<(Refusal, HeaderValue)>,
}

/// A preflight's answer, decided before it is known to be used: an outer
/// [`CorsLayer`](crate::CorsLayer) prepares its answer before the handler
/// policies get their turn. The refusal is logged only when the answer is sent.
pub(crate) struct PreflightAnswer<B> {
    response: Response<B>,
    refused: Option<Refused>,
}

struct Refused {
    reason: Refusal,
    origin: Option<HeaderValue>,
    method: HeaderValue,
    headers: Option<HeaderValue>,
}

impl PreflightAnswer<axum::body::Body> {
    /// The answer, with a body that keeps axum from adding lines to it.
    pub(crate) fn into_axum_response(self) -> Response<axum::body::Body> {
        let mut response = self.into_response();
        *response.body_mut() = no_body();
        response
    }
}

impl<B> PreflightAnswer<B> {
    pub(crate) fn into_response(self) -> Response<B> {
        if let Some(Refused {
            reason,
            origin,
            method,
            headers,
        }) = self.refused
        {
            tracing::debug!(
                target: "cors_runtime",
                origin = ?origin,
                method = ?method,
                headers = ?headers,
                reason = reason.as_str(),
                "CORS preflight refused",
            );
        }
        self.response
    }
}

impl Engine {
    /// Prepares a handler's `policy`; `const`, so `route!` builds its engines
    /// at compile time. Without `methods`, a handler's policy allows the method
    /// it is routed on (for `any(..)`, every method but the forbidden ones).
    pub const fn new(policy: &'static CorsPolicy) -> Self {
        Self::with_methods(policy, policy.methods)
    }

    /// Prepares `policy` for a [`CorsLayer`](crate::CorsLayer): without
    /// `methods`, a router-wide policy allows the CORS-safelisted methods
    /// only (GET, HEAD, POST), never whatever a browser asks for.
    pub(crate) const fn for_layer(policy: &'static CorsPolicy) -> Self {
        let methods = match policy.methods {
            Methods::Routed => Methods::List(MethodList(&[])),
            methods => methods,
        };
        Self::with_methods(policy, methods)
    }

    /// This engine with its policy as it is served: origins from the
    /// environment read and checked now (see [`crate::PolicyError`]).
    #[track_caller]
    pub(crate) fn resolved(&self) -> Self {
        Self::with_methods(crate::startup::resolve_or_panic(self.policy), self.methods)
    }

    pub(crate) const fn policy(&self) -> &'static CorsPolicy {
        self.policy
    }

    /// The methods a preflight may ask for, as this engine's role reads them.
    pub(crate) fn methods(&self) -> Methods {
        self.methods
    }

    /// Whether both engines apply the same policy (both are layers' engines
    /// where this is asked, so the policy says it all). By value: two borrows
    /// of one `const` need not share an address.
    pub(crate) fn same_policy(&self, other: &Self) -> bool {
        std::ptr::eq(self.policy, other.policy) || self.policy == other.policy
    }

    const fn with_methods(policy: &'static CorsPolicy, methods: Methods) -> Self {
        let allow_headers = match policy.headers {
            RequestHeaders::List(HeaderList { header, .. }) if header.is_empty() => None,
            RequestHeaders::List(HeaderList { header, .. }) => {
                Some(HeaderValue::from_static(header))
            }
            RequestHeaders::Any {
                authorization: false,
            } => Some(WILDCARD),
            RequestHeaders::Any {
                authorization: true,
            } => Some(HeaderValue::from_static("*, authorization")),
        };
        let expose_headers = match policy.expose {
            ExposeHeaders::None => None,
            ExposeHeaders::Any => Some(WILDCARD),
            ExposeHeaders::List(list) => Some(HeaderValue::from_static(list)),
        };
        let max_age = match policy.max_age {
            Some(seconds) => Some(HeaderValue::from_static(seconds)),
            None => None,
        };
        let last_labels = match policy.origins {
            Origins::List(list) => list.last_labels(),
            Origins::Any | Origins::Env(_) => LabelFilter::EMPTY,
        };
        Self {
            policy,
            methods,
            last_labels,
            allow_headers,
            expose_headers,
            max_age,
        }
    }

    /// Answers a preflight whose requested method routes to this policy.
    /// `spare` lines are reserved in the answer's header map for those that
    /// code further out adds (see [`AXUM_LINES`]).
    pub(crate) fn preflight<B: Default>(
        &self,
        request: &HeaderMap,
        preflight: &Preflight<'_>,
        spare: usize,
    ) -> PreflightAnswer<B> {
        match self.check_preflight(request, preflight) {
            Ok(grant) => PreflightAnswer {
                response: self.allowed_preflight(preflight.method, grant, spare),
                refused: None,
            },
            Err(refusal) => refused_preflight(request, preflight, refusal, spare),
        }
    }

    fn check_preflight(
        &self,
        request: &HeaderMap,
        preflight: &Preflight<'_>,
    ) -> Result<Grant, Refusal> {
        if preflight.several_origins {
            return Err(Refusal::SeveralOrigins);
        }
        let allow_origin = self.allow_origin(Some(preflight.origin))?;
        if preflight.several_methods {
            return Err(Refusal::SeveralMethods);
        }
        if !self.allows_method(preflight.method.as_bytes()) {
            return Err(Refusal::MethodNotAllowed);
        }
        let headers_requested = self.check_requested_headers(request)?;
        let private_network = asks_private_network(request)?;
        if private_network && !self.policy.private_network {
            return Err(Refusal::PrivateNetworkNotAllowed);
        }
        Ok(Grant {
            allow_origin,
            headers_requested,
            private_network,
        })
    }

    fn allowed_preflight<B: Default>(
        &self,
        method: &HeaderValue,
        grant: Grant,
        spare: usize,
    ) -> Response<B> {
        let allow_headers = self
            .allow_headers
            .as_ref()
            .filter(|_| grant.headers_requested);
        // Sized for every line, so the map never grows. Up to six lines fit
        // in a map of less than 1 KiB, which glibc serves from its small
        // bins: a larger one costs it a consolidation pass on every answer.
        // (A `route!` answer has a body of no exact length, so axum adds no
        // `Content-Length` line of its own; see [`no_body`].)
        let lines = 3 // -Allow-Origin, -Allow-Methods, Vary
            + usize::from(self.policy.credentials)
            + usize::from(allow_headers.is_some())
            + usize::from(self.max_age.is_some())
            + usize::from(grant.private_network)
            + spare;
        let mut headers = HeaderMap::with_capacity(lines);
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, grant.allow_origin);
        if self.policy.credentials {
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, method.clone());
        if let Some(value) = allow_headers {
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
        }
        if let Some(value) = &self.max_age {
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, value.clone());
        }
        if grant.private_network {
            headers.insert(ACAPN, TRUE);
        }
        headers.insert(header::VARY, vary::PREFLIGHT);
        response(StatusCode::NO_CONTENT, headers)
    }

    /// The `Access-Control-Allow-Origin` value for a request whose (first)
    /// `Origin` line is `origin`, or why there is none.
    fn allow_origin(&self, origin: Option<&HeaderValue>) -> Result<HeaderValue, Refusal> {
        match (origin, &self.policy.origins) {
            (_, Origins::Any) => Ok(WILDCARD),
            (Some(origin), Origins::List(list))
                if list.matches(origin.as_bytes(), self.last_labels) =>
            {
                Ok(origin.clone())
            }
            _ => Err(Refusal::OriginNotAllowed),
        }
    }

    fn allows_method(&self, method: &[u8]) -> bool {
        match self.methods {
            // Listed methods are tokens and never forbidden: checked at compile time.
            Methods::List(MethodList(list)) => {
                cors_fetch::is_safelisted_method(method)
                    || list.iter().any(|m| m.as_bytes() == method)
            }
            Methods::Routed | Methods::Any => {
                cors_fetch::is_token(method) && !cors_fetch::is_forbidden_method(method)
            }
        }
    }

    /// Whether every requested header is allowed; `Ok(false)` when none was
    /// requested. One pass over the header's bytes.
    fn check_requested_headers(&self, request: &HeaderMap) -> Result<bool, Refusal> {
        let mut any = false;
        for name in requested_headers(request) {
            any = true;
            let allowed = match self.policy.headers {
                // Listed names are lower-case tokens (checked at compile time),
                // and browsers send lower-case names: exact bytes first.
                RequestHeaders::List(HeaderList { sorted, .. }) => {
                    sorted
                        .binary_search_by(|probe| probe.as_bytes().cmp(name))
                        .is_ok()
                        || (name.iter().any(u8::is_ascii_uppercase)
                            && sorted
                                .binary_search_by(|probe| cmp_ignore_case(probe.as_bytes(), name))
                                .is_ok())
                }
                RequestHeaders::Any { authorization } => {
                    cors_fetch::is_token(name)
                        && !cors_fetch::is_forbidden_request_header(name)
                        && (authorization || !name.eq_ignore_ascii_case(b"authorization"))
                }
            };
            if !allowed {
                return Err(Refusal::HeaderNotAllowed);
            }
        }
        Ok(any)
    }

    /// Refuses a WebSocket upgrade (`GET` with `Upgrade: websocket`) from an
    /// origin this policy does not allow: browsers apply no CORS to upgrades,
    /// so without this any page could open a socket with the user's cookies.
    /// Requests without `Origin` pass (not from a browser page), and so do
    /// same-origin ones (`Origin` naming the request's own `Host`). Logs the
    /// refusal; `None` lets the request through.
    pub(crate) fn refuse_websocket<B>(&self, request: &http::Request<B>) -> Option<Response<B>>
    where
        B: Default,
    {
        let headers = request.headers();
        if request.method() != http::Method::GET || !is_websocket_upgrade(headers) {
            return None;
        }
        let (origin, several) = first_line(headers, header::ORIGIN)?;
        if !several && (self.allow_origin(Some(origin)).is_ok() || is_same_origin(origin, headers))
        {
            return None;
        }
        tracing::debug!(
            target: "cors_runtime",
            origin = ?origin,
            host = ?headers.get(header::HOST),
            reason = Refusal::WebSocketOriginNotAllowed.as_str(),
            "WebSocket upgrade refused",
        );
        Some(response(StatusCode::FORBIDDEN, HeaderMap::new()))
    }

    /// Decides the CORS headers of an actual (non-preflight) request's response.
    pub(crate) fn decoration(&self, request: &HeaderMap) -> Decoration {
        let vary_origin = !matches!(self.policy.origins, Origins::Any);
        let (origin, several) = match first_line(request, header::ORIGIN) {
            Some((origin, several)) => (Some(origin), several),
            None => (None, false),
        };
        let allowed = match (several, &self.policy.origins) {
            (true, Origins::List(_)) => Err(Refusal::SeveralOrigins),
            _ => self.allow_origin(origin),
        };
        let (allow_origin, refused) = match allowed {
            Ok(value) => (Some(value), None),
            Err(refusal) => (None, origin.map(|origin| (refusal, origin.clone()))),
        };
        Decoration {
            credentials: self.policy.credentials && allow_origin.is_some(),
            expose_headers: allow_origin.as_ref().and(self.expose_headers.clone()),
            allow_origin,
            vary_origin,
            refused,
        }
    }
}

/// What an allowed preflight's answer depends on besides the policy.
struct Grant {
    allow_origin: HeaderValue,
    headers_requested: bool,
    private_network: bool,
}

/// Lines axum adds to an answer that a [`CorsLayer`](crate::CorsLayer) in a
/// `Router::layer` gives for a path's fallback: `Allow` and `Content-Length`.
pub(crate) const AXUM_LINES: usize = 2;

/// The body of a preflight answer sent through axum: empty, of no exact
/// length, so that axum adds no `Content-Length` (a 204 must not carry one,
/// and the line would outgrow the answer's small header map). Zero-sized, so
/// boxing it into a `Body` allocates nothing.
pub(crate) fn no_body() -> axum::body::Body {
    axum::body::Body::new(NoBody)
}

struct NoBody;

impl http_body::Body for NoBody {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        true
    }
}

impl Decoration {
    /// Writes the headers onto a response. The policy owns
    /// `Access-Control-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers`:
    /// whatever the handler set is dropped, then the policy's values (if the
    /// origin is allowed) go on exactly one line each; `Vary` is appended to.
    pub(crate) fn apply(self, headers: &mut HeaderMap) {
        if let Some((reason, origin)) = &self.refused {
            tracing::debug!(target: "cors_runtime", origin = ?origin, reason = reason.as_str(), "no CORS headers on the response");
        }
        // One pass over the handler's (few) header names spares a hash lookup
        // per name below: most responses carry no CORS header and no `Vary`.
        let (mut handler_set_cors, mut has_vary) = (false, false);
        for name in headers.keys() {
            handler_set_cors |= *name == header::ACCESS_CONTROL_ALLOW_ORIGIN
                || *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS
                || *name == header::ACCESS_CONTROL_EXPOSE_HEADERS;
            has_vary |= *name == header::VARY;
        }
        // The policy owns these headers: a handler's own values would bypass it
        // (say, `Access-Control-Allow-Credentials: true` on a policy without).
        if handler_set_cors {
            for name in [
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
            ] {
                headers.remove(name);
            }
        }
        if let Some(origin) = self.allow_origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = self.expose_headers {
                headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose);
            }
        }
        if self.vary_origin {
            if has_vary {
                vary::append_origin(headers);
            } else {
                headers.insert(header::VARY, vary::ORIGIN);
            }
        }
    }
}

/// A CORS preflight: `OPTIONS` with an `Origin` and an
/// `Access-Control-Request-Method`. Anything else is an actual request.
pub(crate) struct Preflight<'a> {
    /// The first `Access-Control-Request-Method` line.
    pub(crate) method: &'a HeaderValue,
    several_methods: bool,
    /// The first `Origin` line.
    origin: &'a HeaderValue,
    several_origins: bool,
}

impl<'a> Preflight<'a> {
    /// Reads the preflight headers of `request`, each looked up once.
    pub(crate) fn of<B>(request: &'a http::Request<B>) -> Option<Self> {
        if request.method() != http::Method::OPTIONS {
            return None;
        }
        let (origin, several_origins) = first_line(request.headers(), header::ORIGIN)?;
        let (method, several_methods) =
            first_line(request.headers(), header::ACCESS_CONTROL_REQUEST_METHOD)?;
        Some(Self {
            method,
            several_methods,
            origin,
            several_origins,
        })
    }
}

/// Answers a preflight that no policy accepts: 403, no CORS headers.
pub(crate) fn refused_preflight<B: Default>(
    request: &HeaderMap,
    preflight: &Preflight<'_>,
    reason: Refusal,
    spare: usize,
) -> PreflightAnswer<B> {
    let mut headers = HeaderMap::with_capacity(1 + spare);
    headers.insert(header::VARY, vary::PREFLIGHT);
    PreflightAnswer {
        response: response(StatusCode::FORBIDDEN, headers),
        refused: Some(Refused {
            reason,
            origin: Some(preflight.origin.clone()),
            method: preflight.method.clone(),
            headers: request.get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned(),
        }),
    }
}

fn response<B: Default>(status: StatusCode, headers: HeaderMap) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// The names of `Access-Control-Request-Headers`, over all its lines: split on
/// commas, optional whitespace trimmed, empty elements skipped. Lazy and
/// allocation-free, so a hostile value costs one pass over its bytes.
fn requested_headers(request: &HeaderMap) -> impl Iterator<Item = &[u8]> {
    request
        .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .flat_map(|line| line.as_bytes().split(|&b| b == b','))
        .map(|name| name.trim_ascii())
        .filter(|name| !name.is_empty())
}

/// Whether `Upgrade` lists `websocket` (case-insensitive, as RFC 6455 says).
fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers.get_all(header::UPGRADE).iter().any(|line| {
        line.as_bytes()
            .split(|&b| b == b',')
            .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"websocket"))
    })
}

/// Whether `origin` (`scheme://host[:port]`) names the `Host` the request was
/// sent to: the page is the server's own.
fn is_same_origin(origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return false;
    };
    let origin = origin.as_bytes();
    origin
        .iter()
        .position(|&b| b == b':')
        .and_then(|colon| origin[colon..].strip_prefix(b"://"))
        .is_some_and(|authority| !authority.is_empty() && authority == host.as_bytes())
}

/// Whether the preflight asks for private network access; several lines of
/// the header are refused like several `Origin` lines: which one counts is
/// not for the server to guess.
fn asks_private_network(request: &HeaderMap) -> Result<bool, Refusal> {
    match first_line(request, ACRPN) {
        Some((_, true)) => Err(Refusal::SeveralPrivateNetwork),
        Some((value, false)) => Ok(value == "true"),
        None => Ok(false),
    }
}

/// The first line of header `name`, and whether another line follows: the
/// CORS request headers are single values, so a second line is refused, never
/// guessed at.
fn first_line(headers: &HeaderMap, name: HeaderName) -> Option<(&HeaderValue, bool)> {
    let mut lines = headers.get_all(name).iter();
    let first = lines.next()?;
    Some((first, lines.next().is_some()))
}

/// Compares a lower-case table entry with a name of any case.
fn cmp_ignore_case(lower: &[u8], name: &[u8]) -> std::cmp::Ordering {
    lower
        .iter()
        .copied()
        .cmp(name.iter().map(u8::to_ascii_lowercase))
}
