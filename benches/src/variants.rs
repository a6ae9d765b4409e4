//! The same policy four ways, each as an `axum::Router` routing `GET` and
//! `PUT` on [`PATH`].
//!
//! Policy: origins `https://app.example.com`, `https://admin.example.com`,
//! `https://*.example.org`; methods GET, POST, PUT, DELETE; headers
//! `content-type`, `x-api-key`; expose `x-request-id`; credentials; max age 600.

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer as TowerCorsLayer};

use crate::scenario::PATH;

/// How CORS is (or is not) applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Plain axum, no CORS.
    Bare,
    /// `tower_http::cors::CorsLayer` with the same policy.
    TowerHttp,
    /// This crate: `#[cors]` handlers mounted with `route!`.
    Route,
    /// This crate: `cors_runtime::CorsLayer::new(&API)` over plain handlers.
    Layer,
    /// This crate: the `route!` handlers of [`Route`](Self::Route) in a
    /// `CorsRouter`, the outer step that answers before any middleware.
    CorsRouter,
    /// This crate: [`Route`](Self::Route) with the origins read from the
    /// environment (`origins = env("BENCH_API_ORIGINS")`) when it is built.
    RouteEnv,
}

impl From<Router> for App {
    fn from(router: Router) -> Self {
        App::Axum(router)
    }
}

/// A variant's app: an axum `Router`, or this crate's `CorsRouter`.
#[derive(Clone, Debug)]
pub enum App {
    Axum(Router),
    Cors(cors_runtime::CorsRouter),
}

impl Variant {
    /// Every variant, in report order.
    pub const ALL: [Variant; 6] = [
        Variant::Bare,
        Variant::TowerHttp,
        Variant::Route,
        Variant::Layer,
        Variant::CorsRouter,
        Variant::RouteEnv,
    ];

    /// Short name (criterion bench id, `load-server` argument).
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::TowerHttp => "tower-http",
            Variant::Route => "route",
            Variant::Layer => "layer",
            Variant::CorsRouter => "cors-router",
            Variant::RouteEnv => "route-env",
        }
    }

    /// Parses a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Builds this variant's app, finalized with [`finalize`].
    pub fn app(self) -> App {
        App::Axum(finalize(match self {
            Variant::Bare => bare_router(),
            Variant::TowerHttp => tower_http_router(),
            Variant::Route => ours::route_router(),
            Variant::Layer => ours::layer_router(),
            Variant::CorsRouter => return App::Cors(ours::cors_router()),
            Variant::RouteEnv => ours::route_env_router(),
        }))
    }
}

/// Turns every handler into a ready `Route` once, as `axum::serve` does
/// (`Router::into_make_service` calls `with_state(())`). Without it a
/// `Router<()>` used directly as a `Service` re-boxes each handler on every
/// request, which is not what a served application pays.
pub fn finalize(router: Router) -> Router {
    router.with_state(())
}

/// The handler body shared by every variant.
pub async fn plain() -> &'static str {
    "ok"
}

/// No CORS: the floor every other variant is compared with.
pub fn bare_router() -> Router {
    Router::new().route(PATH, get(plain).put(plain))
}

/// Exact origins of the shared policy.
pub const EXACT_ORIGINS: [&str; 2] = ["https://app.example.com", "https://admin.example.com"];

/// `https://*.<suffix>` as the spec defines it: one or more non-empty labels of
/// `[a-z0-9-]` before `.suffix`, never the apex. (tower-http has no patterns;
/// this is the predicate a tower-http user would write.)
pub fn matches_https_subdomain(origin: &[u8], suffix: &[u8]) -> bool {
    let Some(host) = origin.strip_prefix(b"https://") else {
        return false;
    };
    let Some(labels) = host.strip_suffix(suffix).and_then(|h| h.strip_suffix(b".")) else {
        return false;
    };
    !labels.is_empty()
        && labels.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// tower-http's `CorsLayer` configured like the shared policy but with the
/// given exact origins (a linear `contains`, like `AllowOrigin::list`) and
/// `https://*.<suffix>` patterns: what a tower-http user writes for a mixed list.
pub fn tower_http_layer_with(
    exact: Vec<HeaderValue>,
    suffixes: &'static [&'static str],
) -> TowerCorsLayer {
    TowerCorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _parts| {
            exact.contains(origin)
                || suffixes
                    .iter()
                    .any(|s| matches_https_subdomain(origin.as_bytes(), s.as_bytes()))
        }))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([CONTENT_TYPE, HeaderName::from_static("x-api-key")])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// tower-http's `CorsLayer` configured like the shared policy.
pub fn tower_http_layer() -> TowerCorsLayer {
    tower_http_layer_with(
        EXACT_ORIGINS.map(HeaderValue::from_static).to_vec(),
        &["example.org"],
    )
}

/// Bare router plus tower-http's `CorsLayer`.
pub fn tower_http_router() -> Router {
    bare_router().layer(tower_http_layer())
}

/// This crate's variants.
pub mod ours {
    use axum::routing::get;
    use axum::Router;
    use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};

    use super::plain;
    use crate::scenario::PATH;

    /// The shared policy as a named `policy!` (used by the layer variant).
    pub const API: CorsPolicy = policy!(
        origins = [
            "https://app.example.com",
            "https://admin.example.com",
            "https://*.example.org"
        ],
        methods = [GET, POST, PUT, DELETE],
        headers = ["content-type", "x-api-key"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
    );

    /// `GET /api`, with the shared policy written inline on the handler.
    #[cors(
        origins = [
            "https://app.example.com",
            "https://admin.example.com",
            "https://*.example.org"
        ],
        methods = [GET, POST, PUT, DELETE],
        headers = ["content-type", "x-api-key"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn show() -> &'static str {
        "ok"
    }

    /// `PUT /api`, same policy.
    #[cors(
        origins = [
            "https://app.example.com",
            "https://admin.example.com",
            "https://*.example.org"
        ],
        methods = [GET, POST, PUT, DELETE],
        headers = ["content-type", "x-api-key"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn update() -> &'static str {
        "ok"
    }

    /// `route!` with `#[cors]` handlers.
    pub fn route_router() -> Router {
        Router::new().route(PATH, route!(get(show).put(update)))
    }

    /// The `route!` handlers in a `CorsRouter`, finalized as `axum::serve` would.
    pub fn cors_router() -> cors_runtime::CorsRouter {
        cors_runtime::CorsRouter::new()
            .route(PATH, route!(get(show).put(update)))
            .with_state(())
    }

    /// The variable the env-backed handlers read their origins from.
    pub const ORIGINS_VAR: &str = "BENCH_API_ORIGINS";

    /// `GET /api`, the shared policy with its origins from [`ORIGINS_VAR`].
    #[cors(
        origins = env("BENCH_API_ORIGINS"),
        methods = [GET, POST, PUT, DELETE],
        headers = ["content-type", "x-api-key"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn show_env() -> &'static str {
        "ok"
    }

    /// `PUT /api`, same policy.
    #[cors(
        origins = env("BENCH_API_ORIGINS"),
        methods = [GET, POST, PUT, DELETE],
        headers = ["content-type", "x-api-key"],
        expose_headers = ["x-request-id"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn update_env() -> &'static str {
        "ok"
    }

    /// `route!` with the env-backed handlers; sets [`ORIGINS_VAR`] to the
    /// shared policy's origins when it is unset, as a deployment would.
    pub fn route_env_router() -> Router {
        if std::env::var_os(ORIGINS_VAR).is_none() {
            std::env::set_var(
                ORIGINS_VAR,
                "https://app.example.com, https://admin.example.com, https://*.example.org",
            );
        }
        Router::new().route(PATH, route!(get(show_env).put(update_env)))
    }

    /// Plain handlers under `cors_runtime::CorsLayer::new(&API)`.
    pub fn layer_router() -> Router {
        Router::new()
            .route(PATH, get(plain).put(plain))
            .layer(CorsLayer::new(&API))
    }
}
