//! [`CorsLayer`]: one policy for a whole router or any tower service.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::engine::{Decoration, Engine, Preflight, PreflightAnswer, AXUM_LINES};
use crate::policy::CorsPolicy;
use crate::precedence::{self, Found, Handled, OuterLayer};

/// A tower [`Layer`] that applies one [`CorsPolicy`] to every request of the
/// service it wraps: the router-wide default, and the migration path from
/// tower-http's `CorsLayer`.
///
/// It answers preflights (`204` when allowed, `403` when not) and decorates
/// every response of an actual request, as described in the
/// [crate docs](crate#runtime-behaviour). A policy without `methods` allows
/// the CORS-safelisted methods only (GET, HEAD, POST); list any other method
/// the router serves cross-origin.
///
/// # Precedence
///
/// The most specific policy decides (see the [crate docs](crate#precedence)):
/// on paths built with [`route!`](crate::route!), the handlers' own policies
/// answer their preflights and decorate their responses, and the layer stays
/// out; a preflight there for a method without a `#[cors]` handler is refused,
/// so route every cross-origin handler of a path inside `route!`. Between
/// layers, the innermost one decides: a `CorsLayer` on a nested router wins
/// over one on the router around it.
///
/// With [`CorsRouter`](crate::CorsRouter), add the layer with its
/// [`layer`](crate::CorsRouter::layer) method: the router then applies this
/// policy itself, before any middleware. In a plain axum `Router`, add it with
/// [`Router::layer`](axum::Router::layer), after the middleware it should
/// decorate; `route_layer` would leave it out of unmatched paths.
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
#[derive(Debug)]
#[must_use]
pub struct CorsLayer {
    engine: Engine,
}

impl CorsLayer {
    /// A layer applying `policy`, a `const` built with [`policy!`](crate::policy!)
    /// or a policy built at start-up ([`CorsPolicy::builder`]).
    ///
    /// # Panics
    ///
    /// With the full report, when the policy reads its origins from the
    /// environment (`origins = env("NAME")`) and the value is missing or
    /// invalid: see [`try_new`](Self::try_new) to handle that yourself.
    #[track_caller]
    pub fn new(policy: &'static CorsPolicy) -> Self {
        Self {
            engine: Engine::for_layer(crate::startup::resolve_or_panic(policy)),
        }
    }

    /// [`new`](Self::new), returning the report of an invalid environment
    /// value instead of panicking.
    ///
    /// ```
    /// use cors_runtime::{policy, CorsLayer, CorsPolicy};
    ///
    /// const SITE: CorsPolicy = policy!(origins = env("DOCTEST_UNSET_SITE_ORIGINS"));
    ///
    /// match CorsLayer::try_new(&SITE) {
    ///     Ok(_layer) => {}
    ///     Err(report) => assert_eq!(report.variable(), Some("DOCTEST_UNSET_SITE_ORIGINS")),
    /// }
    /// ```
    pub fn try_new(policy: &'static CorsPolicy) -> Result<Self, crate::PolicyError> {
        Ok(Self {
            engine: Engine::for_layer(crate::startup::resolve(policy)?),
        })
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Clone for CorsLayer {
    fn clone(&self) -> Self {
        // A `CorsRouter` refuses layers it cannot see into that hide one.
        precedence::report(|| Found::Layer);
        Self {
            engine: self.engine.clone(),
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
#[derive(Debug)]
pub struct Cors<S> {
    inner: S,
    engine: Engine,
}

impl<S> Cors<S> {
    /// `inner` under `engine`'s policy: how a `CorsRouter` applies a layer's
    /// policy to a service it cannot see into.
    pub(crate) fn with_engine(inner: S, engine: Engine) -> Self {
        Self { inner, engine }
    }
}

impl<S: Clone> Clone for Cors<S> {
    fn clone(&self) -> Self {
        precedence::report(|| Found::Layer);
        Self {
            inner: self.inner.clone(),
            engine: self.engine.clone(),
        }
    }
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
            Some(preflight) => Fallback::Preflight(self.engine.preflight(
                request.headers(),
                &preflight,
                AXUM_LINES,
            )),
            None => Fallback::Decorate(self.engine.decoration(request.headers())),
        };
        // A layer further out defers to this one, the more specific.
        let mark = request.extensions_mut().insert(OuterLayer).is_some();
        ResponseFuture {
            future: self.inner.call(request),
            fallback: Some(fallback),
            mark,
        }
    }
}

pin_project! {
    /// Response future of [`Cors`]: no boxing, the CORS work happens when the
    /// inner response is ready.
    pub struct ResponseFuture<F, B> {
        #[pin]
        future: F,
        fallback: Option<Fallback<B>>,
        mark: bool,
    }
}

/// What the layer does to the inner service's response, unless a more
/// specific policy already answered or decorated it.
enum Fallback<B> {
    Decorate(Decoration),
    Preflight(PreflightAnswer<B>),
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.future.poll(cx))?;
        let fallback = this
            .fallback
            .take()
            .expect("ResponseFuture polled after completion");
        // Left in place for a layer further out, taken otherwise.
        let handled = if *this.mark {
            response.extensions().get::<Handled>().is_some()
        } else {
            response.extensions_mut().remove::<Handled>().is_some()
        };
        if !handled {
            match fallback {
                Fallback::Decorate(decoration) => decoration.apply(response.headers_mut()),
                Fallback::Preflight(answer) => response = answer.into_response(),
            }
            if *this.mark {
                response.extensions_mut().insert(Handled);
            }
        }
        Poll::Ready(Ok(response))
    }
}
