//! Per-handler, compile-time-checked CORS for [axum].
//!
//! Write the policy next to the handler it protects. The attribute checks it
//! while your crate compiles, and [`route!`] answers preflights with the policy
//! of the handler the browser is asking about:
//!
//! ```
//! use axum::{routing::get, Router};
//! use cors_runtime::{cors, route};
//!
//! #[cors(
//!     origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
//!     methods = [GET, PUT],
//!     headers = ["content-type", "x-api-key"],
//!     expose_headers = ["x-request-id"],
//!     credentials = true,
//!     max_age = 600,
//! )]
//! async fn update_user() -> &'static str { "ok" }
//!
//! #[cors(origins = "*")]
//! async fn get_user() -> &'static str { "hi" }
//!
//! let app: Router = Router::new()
//!     .route("/users/{id}", route!(get(get_user).put(update_user)))
//!     .route("/health", get(|| async { "up" })); // no CORS at all
//! ```
//!
//! A policy that a browser would not honour as written does not compile: a
//! typo'd origin, `*` with credentials, a forbidden header, a method the
//! handler is routed on but the policy leaves out. See [`cors`] for the keys
//! and the list of checks.
//!
//! # Pieces
//!
//! - [`#[cors(...)]`](cors) on a handler fn: its policy. The fn stays callable
//!   exactly as written; a same-named hidden struct carries the policy for
//!   [`route!`], so `route!(get(api::users::show))` works across modules.
//! - [`route!`]: builds an axum `MethodRouter` from such handlers, with the
//!   preflight answered per requested method.
//! - [`policy!`]: a named [`CorsPolicy`] `const`, with the same keys, to share
//!   (`#[cors(policy = DASHBOARD, max_age = 60)]`) or to use router-wide.
//! - [`CorsLayer`]: one policy for a whole router or any tower service; the
//!   handlers' own policies take precedence on their routes.
//! - [`CorsRouter`]: an axum `Router` that decides CORS before any middleware,
//!   for apps with auth, rate limits or timeouts (see below). Its
//!   [`audit`](CorsRouter::audit) lists every route's effective policy, as a
//!   table or JSON, for a reviewer or a CI check.
//! - `origins = env("NAME")` in either macro: origins that differ per
//!   deployment, read once when the router is built and checked with the
//!   compile-time rules; a missing or invalid value stops the program before
//!   it serves, with a [`PolicyError`] listing every mistake
//!   ([`CorsPolicy::check_env`] and [`CorsLayer::try_new`] return it instead).
//! - [`CorsPolicy::builder`] (and, with the `serde` feature, `CorsConfig`): a
//!   policy read from a config file at start-up, with the same checks.
//!
//! A `#[cors]` handler gets its policy only through [`route!`]: routed with
//! axum's plain `get(handler)` it has **no CORS at all** (the attribute
//! cannot change what the handler fn is, since it stays callable as
//! written). Route every `#[cors]` handler with `route!`.
//!
//! # With auth and other middleware
//!
//! In an axum `Router`, middleware added with `.layer(..)` runs before the
//! handler, so before `route!` can answer a preflight: an auth middleware
//! answers it 401, and its 401s to actual requests carry no CORS headers, so
//! the page sees a CORS error instead of the 401. Build such a router with
//! [`CorsRouter`] instead, the same way, and serve it:
//!
//! ```
//! use axum::{extract::Request, http::StatusCode, middleware::{self, Next}, response::Response};
//! use cors_runtime::{cors, route, CorsRouter};
//!
//! #[cors(origins = ["https://app.example.com"], methods = [PUT], headers = ["authorization"], credentials = true)]
//! async fn update_user() -> &'static str { "saved" }
//!
//! async fn require_key(request: Request, next: Next) -> Result<Response, StatusCode> {
//!     match request.headers().get("authorization") {
//!         Some(_) => Ok(next.run(request).await),
//!         None => Err(StatusCode::UNAUTHORIZED),
//!     }
//! }
//!
//! let app: CorsRouter = CorsRouter::new()
//!     .route("/users/{id}", route!(put(update_user)))
//!     .layer(middleware::from_fn(require_key));
//! // axum::serve(listener, app.into_make_service())
//! ```
//!
//! Preflights are answered with the handler's policy before `require_key`
//! runs, and its 401 carries the handler's CORS headers for an allowed origin.
//!
//! # Precedence
//!
//! **The most specific policy decides**: the `#[cors]` policy of the handler
//! routed for the method, then the innermost [`CorsLayer`], then the layers
//! further out. A less specific policy never answers or decorates what a more
//! specific one handled, and never turns its refusal into a grant:
//!
//! - on a `route!` path, a preflight for a method without a `#[cors]`
//!   handler is refused, whatever the layers allow; the responses of plain
//!   handlers chained there get the innermost layer's headers;
//! - a `CorsLayer` on a nested router wins over one on the router around it;
//! - a router-wide policy without `methods` allows the CORS-safelisted
//!   methods only (GET, HEAD, POST), never whatever a browser asks for; a
//!   handler's policy without `methods` allows the method it is routed on.
//!
//! Where the library could not tell which policy governs a request, the
//! router build fails with the reason, as axum's does for overlapping routes:
//! two `route!`s for one path, or a plain handler chained after `route!`'s
//! `any(..)` for a method `any` already takes, are both a second handler for
//! one method slot; [`CorsRouter`] also refuses a path routed again under
//! different layers and a `CorsLayer` hidden in a layer stack. A method routed
//! twice in one `route!` does not compile.
//!
//! # Design: why `CorsRouter` is a router
//!
//! To answer a preflight before any middleware, the answering step must sit
//! outside every middleware and know, for the request's path and method,
//! which handler policy governs it. axum routes after `Router::layer`
//! middleware is entered per route, and keeps its routes opaque. So the
//! step needs its own table of each path's policies, and [`CorsRouter`]
//! records it as routes are added, the way OpenAPI routers record paths: the
//! user changes one type name, not each route, and `route!` still returns a
//! plain `MethodRouter`. It reads the `route!` handlers of a `MethodRouter` by
//! cloning it once when it is routed: each handler wrapper reports its method
//! and policy as it is cloned, so nothing is called and no user code runs.
//! Paths are matched with `matchit`, the matcher axum itself uses, on the
//! templates given to axum, so both always agree on which route a path is.
//!
//! Rejected:
//!
//! - *A layer fed with the routes* (`CorsRouter` as a `Layer` taking a list of
//!   paths and handlers): every path written twice, and the two lists drift.
//! - *Routing preflights through a copy of the router without middleware*:
//!   every preflight pays axum's routing twice, which alone is more than the
//!   whole budget for the CORS work; it still needs the path table to decorate
//!   a middleware's 401; and it would run a plain `OPTIONS` handler with its
//!   middleware skipped.
//! - *A `CorsLayer` added last with `Router::layer`*: axum applies it per
//!   route, after routing, and boxes every layered route again on each
//!   request (two more allocations per request), and it still cannot see the
//!   path its route was registered under.
//! - *`route!` returning a type of its own* that a builder could read: it
//!   would no longer fit axum's `Router::route`.
//!
//! While it governs a request, the router marks its poll (a thread-local flag,
//! set around the inner poll), and the `route!` wrappers inside leave the work
//! to it: a request extension would cost an allocation per request.
//!
//! # Runtime behaviour
//!
//! The server side of the [Fetch standard]'s CORS protocol, with these choices:
//!
//! - A **preflight** is `OPTIONS` with an `Origin` and an
//!   `Access-Control-Request-Method`; nothing else is. It is answered before
//!   routing to a handler, so the handler and its extractors never run.
//!   Several `Origin`, `Access-Control-Request-Method` or
//!   `Access-Control-Request-Private-Network` lines are refused: which one
//!   counts is not for the server to guess.
//! - An **allowed preflight** gets `204 No Content` with
//!   `Access-Control-Allow-Origin` (the request's origin, or `*` for
//!   `origins = "*"`), `-Allow-Credentials: true` when set, `-Allow-Methods`
//!   naming the requested method, `-Allow-Headers` (the policy's list) when
//!   headers were requested, `-Max-Age` when set, `-Allow-Private-Network`
//!   when asked for and allowed, and `Vary: origin,
//!   access-control-request-method, access-control-request-headers`.
//! - A **refused preflight** (origin, method, a header, private network, or no
//!   `#[cors]` handler routed for the method) gets **`403 Forbidden`** with no
//!   `Access-Control-Allow-*` header; the reason is logged with
//!   [`tracing`] at `debug` level, target `cors_runtime`.
//! - An **actual request** always reaches the handler. If its origin is
//!   allowed, every response, whatever its status (extractor rejections, 4xx,
//!   5xx), gets `-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers` as
//!   configured; if not, none of them. CORS is enforced by browsers and is not
//!   CSRF protection: browsers send `Origin` on same-origin `POST`s too.
//!   The policy owns `Access-Control-Allow-Origin`, `-Allow-Credentials` and
//!   `-Expose-Headers`: whatever the handler set is removed, then for an
//!   allowed origin the policy's values go on exactly one line each, and for
//!   any other origin none.
//! - A **WebSocket upgrade** (`GET` with `Upgrade: websocket`) to a `route!`
//!   handler from an origin its policy does not allow gets `403 Forbidden`
//!   and the handler does not run: browsers apply no CORS to WebSockets, so a
//!   page of any site could otherwise open one with the user's cookies.
//!   Upgrades without `Origin` pass, and so do same-origin ones (`Origin`
//!   naming the request's `Host`; the scheme cannot be compared). The refusal
//!   is logged like a refused preflight.
//! - `Vary: origin` is **appended** (never replacing the handler's `Vary`,
//!   never twice) to every response whose headers depend on the origin,
//!   including requests without `Origin`. With `origins = "*"` responses carry
//!   `Access-Control-Allow-Origin: *` whether or not the request has an
//!   `Origin`, and no `Vary`.
//! - Origins are compared **byte for byte** with the canonical origins of the
//!   policy; the request's value is never normalized. Several `Origin` lines are
//!   never allowed, nor is `null`.
//! - Methods are compared byte for byte: browsers upper-case only `DELETE`,
//!   `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT`, so `patch` is not `PATCH`.
//! - `Access-Control-Request-Headers` is read over all its lines, split on
//!   commas, names compared case-insensitively; every name must be allowed.
//!   `headers = "*"` covers any name but `Authorization` (as in the Fetch
//!   standard) and the names a browser can never send; write
//!   `headers = ["*", "authorization"]` to allow it too.
//! - Parsing never allocates, and no header value, however long or malformed,
//!   can make a request panic.
//!
//! [axum]: https://docs.rs/axum/0.8
//! [Fetch standard]: https://fetch.spec.whatwg.org/#http-cors-protocol

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The macros expand to `::cors_runtime::...` paths; this makes them resolve in
// this crate's own tests too.
extern crate self as cors_runtime;

mod audit;
mod builder;
mod contract;
mod engine;
mod error;
mod layer;
mod origin;
mod policy;
mod precedence;
mod route;
mod router;
mod startup;
mod vary;

#[cfg(test)]
mod tests;

pub use audit::{Audit, AuditRow, PolicySource};
pub use builder::PolicyBuilder;
#[cfg(feature = "serde")]
pub use builder::{ConfigList, CorsConfig};
pub use cors_macros::{cors, policy};
pub use error::{Mistake, PolicyError};
pub use layer::{Cors, CorsLayer, ResponseFuture};
pub use policy::CorsPolicy;
pub use router::{CorsRouter, CorsRouterFuture};

/// What the macros expand to (see `contract.rs`). Not public API: it may
/// change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::contract::{deny_all, facts, may_route, merge, policy, Conflict, Parts};
    pub use crate::engine::Engine;
    pub use crate::origin::{HostPattern, OriginList};
    pub use crate::policy::{
        EnvOrigins, ExposeHeaders, HeaderList, MethodList, Methods, Origins, Overrides,
        RequestHeaders,
    };
    pub use crate::route::RouteEngines;
    pub use crate::route::{
        has_duplicate, method, method_router, CorsHandler, HandlerFuture, PreflightHandler,
        RoutePolicies, RoutedMethod,
    };
    pub use axum;

    use crate::CorsPolicy;

    /// The link between a `#[cors]` handler fn and its policy: implemented by
    /// the same-named struct the attribute emits.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` has no CORS policy",
        label = "not a `#[cors]` handler",
        note = "add `#[cors(...)]` to the handler fn, or route it outside `route!`: `route!(get(a)).post({Self})`"
    )]
    pub trait HandlerPolicy {
        /// The handler's validated policy.
        const POLICY: &'static CorsPolicy;
    }
}
