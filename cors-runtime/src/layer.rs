//! [`CorsLayer`]: one policy for a whole router or any tower service.

use std::task::{Context, Poll};

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::engine::{Engine, Preflight};
use crate::future::{Fallback, ResponseFuture};
use crate::policy::CorsPolicy;

/// Request extension: a router-wide [`CorsLayer`] is outside and will answer
/// unless a handler policy does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouterDefault;

/// Response extension: a handler policy from `route!` answered or decorated
/// this response, so the router-wide policy stays out of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handled;

/// A tower [`Layer`] that applies one [`CorsPolicy`] to every request of the
/// service it wraps: the router-wide default, and the migration path from
/// tower-http's `CorsLayer`.
///
/// It answers preflights (`204` when allowed, `403` when not) and decorates
/// every response of an actual request, as described in the
/// [crate docs](crate#runtime-behaviour).
///
/// # Precedence
///
/// Paths built with [`route!`](crate::route!) keep their handlers' own
/// policies: the layer hands their preflights and responses to them and stays
/// out. Every other path gets this layer's policy; on a `route!` path, methods
/// chained without `#[cors]` get it on their responses, but their preflights
/// are refused, so route every cross-origin handler of a path inside `route!`.
/// Because a preflight is passed inward first, it reaches the
/// generated preflight handling wherever the layer sits; on a path whose
/// `OPTIONS` you routed yourself without `route!`, that handler sees the
/// preflight first and its answer is then replaced by this layer's.
///
/// Add it with [`Router::layer`](axum::Router::layer), not `route_layer`:
/// axum runs `route_layer` middleware only for routed methods, so preflights to
/// a path without an `OPTIONS` route would never reach it.
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};
///
/// const PUBLIC: CorsPolicy = policy!(origins = "*", max_age = 3600);
///
/// #[cors(origins = ["https://admin.example.com"], credentials = true)]
/// async fn delete_user() {}
///
/// let app: Router = Router::new()
///     .route("/health", get(|| async { "up" }))       // PUBLIC applies
///     .route("/users/{id}", route!(delete(delete_user))) // its own policy wins
///     .layer(CorsLayer::new(&PUBLIC));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CorsLayer {
    engine: Engine,
}

impl CorsLayer {
    /// A layer applying `policy`, a `const` built with [`policy!`](crate::policy!).
    pub fn new(policy: &'static CorsPolicy) -> Self {
        Self {
            engine: Engine::new(policy),
        }
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Cors<S> {
        Cors {
            inner,
            engine: self.engine.clone(),
        }
    }
}

/// The service built by [`CorsLayer`].
#[derive(Debug, Clone)]
pub struct Cors<S> {
    inner: S,
    engine: Engine,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Cors<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let fallback = match Preflight::of(&request) {
            Some(preflight) => {
                Fallback::Preflight(self.engine.preflight(request.headers(), &preflight))
            }
            None => Fallback::Decorate(self.engine.decoration(request.headers())),
        };
        request.extensions_mut().insert(RouterDefault);
        ResponseFuture::new(self.inner.call(request), fallback)
    }
}
