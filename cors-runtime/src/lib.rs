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
//!
//! # Runtime behaviour
//!
//! The server side of the [Fetch standard]'s CORS protocol, with these choices:
//!
//! - A **preflight** is `OPTIONS` with an `Origin` and an
//!   `Access-Control-Request-Method`; nothing else is. It is answered before
//!   routing to a handler, so the handler and its extractors never run.
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
//!   For an allowed origin the library's `Access-Control-*` values replace any
//!   the handler set, so each header has exactly one line; for any other
//!   origin the library adds none and leaves the handler's own alone.
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

// The macros expand to `::cors_runtime::...` paths; this makes them resolve in
// this crate's own tests too.
extern crate self as cors_runtime;

mod engine;
mod layer;
mod origin;
mod policy;
mod precedence;
mod route;
mod router;
mod vary;

#[cfg(test)]
mod tests;

pub use cors_macros::{cors, policy};
pub use layer::{Cors, CorsLayer, ResponseFuture};
pub use policy::CorsPolicy;
pub use router::{CorsRouter, CorsRouterFuture};

/// What the macros expand to. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::engine::Engine;
    pub use crate::origin::{HostPattern, OriginList};
    pub use crate::policy::{ExposeHeaders, Methods, Origins, Overrides, RequestHeaders};
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
