//! [`CorsRouter`]: an axum `Router` whose CORS is decided before any middleware.

use std::any::Any;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::future::RouteFuture;
use axum::routing::{MethodRouter, Route};
use axum::{BoxError, Router};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::audit::{Audit, AuditRow, PolicySource};
use crate::engine::{refused_preflight, Decoration, Engine, Preflight, Refusal};
use crate::layer::{self, Cors, CorsLayer};
use crate::precedence::{self, Found, OuterStep};

/// An axum [`Router`] that answers CORS before any middleware runs: the one
/// step to take when a router has auth, rate limits, timeouts or any other
/// middleware, the counterpart of "put `CorsLayer` last" in tower-http.
///
/// Build it exactly like a `Router` (same methods, same paths, same
/// [`route!`](crate::route!)), then serve it. As routes are added it records
/// each path's `#[cors]` handler policies and the [`CorsLayer`]s over them,
/// and when a request comes in, before routing it to the middleware and
/// handlers, it picks the policy that governs the request (see
/// [precedence](crate#precedence)):
///
/// - a **preflight** is answered right there, with the policy of the handler
///   routed for the requested method: no middleware sees it, so an auth
///   middleware cannot turn it into a 401;
/// - every **response** to an actual request gets that policy's CORS headers,
///   whoever produced it: the handler, an extractor, or a middleware's 401,
///   413, 429, a timeout's 408, a panic handler's 500, a 404 or a 405.
///
/// ```
/// use axum::{extract::Request, http::StatusCode, middleware::{self, Next}, response::Response};
/// use cors_runtime::{cors, route, CorsRouter};
///
/// #[cors(origins = ["https://app.example.com"], methods = [PUT], headers = ["authorization"], credentials = true)]
/// async fn update_user() -> &'static str { "saved" }
///
/// async fn require_key(request: Request, next: Next) -> Result<Response, StatusCode> {
///     match request.headers().get("authorization") {
///         Some(_) => Ok(next.run(request).await),
///         None => Err(StatusCode::UNAUTHORIZED),
///     }
/// }
///
/// let app: CorsRouter = CorsRouter::new()
///     .route("/users/{id}", route!(put(update_user)))
///     .layer(middleware::from_fn(require_key));
/// # async {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// axum::serve(listener, app.into_make_service()).await.unwrap();
/// # };
/// ```
///
/// A `CorsRouter<()>` is a tower [`Service`]: serve it with
/// [`into_make_service`](Self::into_make_service), or call it in tests with
/// `tower::ServiceExt::oneshot`.
///
/// # What it checks when the router is built
///
/// Where it cannot tell which policy would govern a request, building the
/// router panics with the reason, as axum does for overlapping routes:
///
/// - two `route!`s for one path (route all of a path's `#[cors]` handlers in
///   one `route!`);
/// - a path routed again after a `CorsLayer` was added over it, so that its
///   methods would sit under different layers;
/// - a `CorsLayer` hidden inside another layer (a tuple or `ServiceBuilder`)
///   or inside a `MethodRouter`: add it with [`layer`](Self::layer).
///
/// [`nest_service`](Self::nest_service) and
/// [`route_service`](Self::route_service) take services it cannot see into:
/// there the `CorsLayer`s added to this router act as they would in a plain
/// axum `Router`, deferring to whatever CORS handling the service has.
#[must_use]
pub struct CorsRouter<S = ()> {
    router: Router<S>,
    table: Arc<Table>,
}

/// What the router knows of its paths: their policies, looked up with the
/// matcher axum itself routes with.
#[derive(Clone, Default)]
struct Table {
    paths: Vec<PathPolicies>,
    matcher: matchit::Router<usize>,
    /// Nested routers with a fallback of their own, and nested services.
    scopes: Vec<Scope>,
    scope_matcher: matchit::Router<usize>,
    /// The layers over this router's own fallback (its 404s), innermost first.
    fallback_layers: Vec<Engine>,
    custom_fallback: bool,
}

/// The policies of one routed path.
#[derive(Clone)]
struct PathPolicies {
    path: String,
    /// `route!` handlers: method name (or `*` for `any`) and policy.
    handlers: Vec<(&'static str, &'static Engine)>,
    /// `CorsLayer`s over the path, innermost first.
    layers: Vec<Engine>,
    /// A service this router cannot see into (`route_service`).
    opaque: bool,
}

/// A part of the path space whose unmatched requests a nested router's own
/// fallback, or a nested service, answers.
#[derive(Clone)]
struct Scope {
    prefix: String,
    layers: Vec<Engine>,
    opaque: bool,
}

/// What governs one request.
enum Governs<'a> {
    /// This policy answers and decorates, here, before any middleware.
    Policy(&'a Engine),
    /// A preflight refused here: a `route!` path without a `#[cors]` handler
    /// for the requested method.
    Refuse,
    /// A service this router cannot see into, under these layers: they act
    /// as a plain `CorsLayer` would, deferring to the service's own CORS.
    Opaque(&'a Engine),
    /// No policy: the request passes untouched.
    Nothing,
}

impl<S> CorsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    /// An empty router, as [`Router::new`].
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            table: Arc::default(),
        }
    }

    /// Routes `path` to `method_router`, as [`Router::route`], recording the
    /// policies of the `#[cors]` handlers that [`route!`](crate::route!) put in it.
    ///
    /// # Panics
    ///
    /// When axum's `Router::route` would, and when the path already has
    /// `#[cors]` handlers from another `route!` or a `CorsLayer` over it.
    #[track_caller]
    pub fn route(mut self, path: &str, method_router: MethodRouter<S>) -> Self {
        // Cloning a MethodRouter clones its handlers; the `route!` ones say
        // what they are as they are cloned.
        let (method_router, found) = precedence::discover(|| method_router.clone());
        let mut handlers = Vec::new();
        for found in found {
            match found {
                Found::Handler { method, engine } => {
                    if !handlers.iter().any(|&(m, _)| m == method) {
                        handlers.push((method, engine));
                    }
                }
                Found::Layer => panic!("{}", hidden_layer(path)),
            }
        }
        let table = Arc::make_mut(&mut self.table);
        table.check_route(path, !handlers.is_empty());
        self.router = self.router.route(path, method_router);
        table.add(PathPolicies {
            path: path.to_owned(),
            handlers,
            layers: Vec::new(),
            opaque: false,
        });
        self
    }

    /// Routes `path` to a service, as [`Router::route_service`]. The router
    /// cannot see into it: its `CorsLayer`s act there as in a plain `Router`.
    #[track_caller]
    pub fn route_service<T>(mut self, path: &str, service: T) -> Self
    where
        T: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
        T::Response: IntoResponse,
        T::Future: Send + 'static,
    {
        refuse_hidden_layers(path, &service);
        let table = Arc::make_mut(&mut self.table);
        table.check_route(path, false);
        self.router = self.router.route_service(path, service);
        table.add(PathPolicies {
            path: path.to_owned(),
            handlers: Vec::new(),
            layers: Vec::new(),
            opaque: true,
        });
        self
    }

    /// Nests `router` at `path`, as [`Router::nest`], keeping its policies.
    #[track_caller]
    pub fn nest(mut self, path: &str, router: CorsRouter<S>) -> Self {
        self.router = self.router.nest(path, router.router);
        let nested = Arc::unwrap_or_clone(router.table);
        let table = Arc::make_mut(&mut self.table);
        for mut policies in nested.paths {
            policies.path = nested_path(path, &policies.path);
            table.check_merge(&policies);
            table.add(policies);
        }
        for mut scope in nested.scopes {
            scope.prefix = nested_path(path, &scope.prefix);
            table.add_scope(scope);
        }
        // axum sends unmatched paths under `path` to the nested router's
        // fallback only when it has one of its own.
        if nested.custom_fallback {
            table.add_scope(Scope {
                prefix: path.to_owned(),
                layers: nested.fallback_layers,
                opaque: false,
            });
        }
        self
    }

    /// Nests a service at `path`, as [`Router::nest_service`]. The router
    /// cannot see into it: its `CorsLayer`s act there as in a plain `Router`.
    #[track_caller]
    pub fn nest_service<T>(mut self, path: &str, service: T) -> Self
    where
        T: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
        T::Response: IntoResponse,
        T::Future: Send + 'static,
    {
        refuse_hidden_layers(path, &service);
        self.router = self.router.nest_service(path, service);
        Arc::make_mut(&mut self.table).add_scope(Scope {
            prefix: path.to_owned(),
            layers: Vec::new(),
            opaque: true,
        });
        self
    }

    /// Merges the paths of `other` into this router, as [`Router::merge`].
    #[track_caller]
    pub fn merge(mut self, other: CorsRouter<S>) -> Self {
        let other_table = Arc::unwrap_or_clone(other.table);
        let table = Arc::make_mut(&mut self.table);
        for policies in &other_table.paths {
            table.check_merge(policies);
        }
        self.router = self.router.merge(other.router);
        for policies in other_table.paths {
            table.add(policies);
        }
        for scope in other_table.scopes {
            table.add_scope(scope);
        }
        if other_table.custom_fallback {
            table.fallback_layers = other_table.fallback_layers;
            table.custom_fallback = true;
        }
        self
    }

    /// Adds `layer` around every route added so far and the fallback, as
    /// [`Router::layer`].
    ///
    /// A [`CorsLayer`] is not added as a layer: the router records its policy
    /// for those routes and applies it itself, before any middleware, with the
    /// routes' own `#[cors]` policies taking precedence.
    ///
    /// # Panics
    ///
    /// When `layer` hides a `CorsLayer` inside it (a tuple, a `ServiceBuilder`):
    /// add that with a `layer` call of its own.
    #[track_caller]
    pub fn layer<L>(self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.add_layer(layer, true, |router, layer| router.layer(layer))
    }

    /// Adds `layer` around every route added so far, as [`Router::route_layer`].
    /// A [`CorsLayer`] is recorded as with [`layer`](Self::layer), for those
    /// routes only.
    #[track_caller]
    pub fn route_layer<L>(self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.add_layer(layer, false, |router, layer| router.route_layer(layer))
    }

    /// Records a [`CorsLayer`] (over the fallback too when `with_fallback`),
    /// or lets `apply` add any other layer.
    #[track_caller]
    fn add_layer<L: Clone + 'static>(
        mut self,
        layer: L,
        with_fallback: bool,
        apply: impl FnOnce(Router<S>, L) -> Router<S>,
    ) -> Self {
        if let Some(cors) = (&layer as &dyn Any).downcast_ref::<CorsLayer>() {
            Arc::make_mut(&mut self.table).layer(cors.engine(), with_fallback);
            return self;
        }
        refuse_hidden_layers("this router", &layer);
        self.router = apply(self.router, layer);
        self
    }

    /// Sets the handler for requests no route matches, as [`Router::fallback`].
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        Arc::make_mut(&mut self.table).set_fallback();
        self
    }

    /// Sets the service for requests no route matches, as
    /// [`Router::fallback_service`].
    pub fn fallback_service<T>(mut self, service: T) -> Self
    where
        T: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
        T::Response: IntoResponse,
        T::Future: Send + 'static,
    {
        refuse_hidden_layers("the fallback", &service);
        self.router = self.router.fallback_service(service);
        Arc::make_mut(&mut self.table).set_fallback();
        self
    }

    /// Sets the handler for methods a matched path does not route, as
    /// [`Router::method_not_allowed_fallback`]. Preflights never reach it.
    pub fn method_not_allowed_fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.method_not_allowed_fallback(handler);
        self
    }

    /// Every route's effective CORS policy, as a table or JSON: see [`Audit`].
    pub fn audit(&self) -> Audit {
        let table = &self.table;
        let mut rows = Vec::new();
        for policies in &table.paths {
            for &(method, engine) in &policies.handlers {
                rows.push(AuditRow::new(
                    &policies.path,
                    method,
                    PolicySource::Handler,
                    engine,
                ));
            }
            if let Some(engine) = policies.layers.first() {
                let method = if policies.handlers.is_empty() {
                    "*"
                } else {
                    "other"
                };
                rows.push(AuditRow::new(
                    &policies.path,
                    method,
                    PolicySource::Layer,
                    engine,
                ));
            }
        }
        for scope in &table.scopes {
            if let Some(engine) = scope.layers.first() {
                let path = format!("{}/*", scope.prefix.trim_end_matches('/'));
                rows.push(AuditRow::new(&path, "*", PolicySource::Layer, engine));
            }
        }
        if let Some(engine) = table.fallback_layers.first() {
            rows.push(AuditRow::new("*", "*", PolicySource::Layer, engine));
        }
        Audit::new(rows)
    }

    /// Provides the state, as [`Router::with_state`].
    pub fn with_state<S2>(self, state: S) -> CorsRouter<S2> {
        CorsRouter {
            router: self.router.with_state(state),
            table: self.table,
        }
    }
}

impl<S> Default for CorsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Clone for CorsRouter<S> {
    fn clone(&self) -> Self {
        Self {
            router: self.router.clone(),
            table: Arc::clone(&self.table),
        }
    }
}

impl<S> fmt::Debug for CorsRouter<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsRouter")
            .field(
                "paths",
                &self.table.paths.iter().map(|p| &p.path).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl CorsRouter<()> {
    /// A make-service for [`axum::serve()`]:
    /// `axum::serve(listener, app.into_make_service())`. For
    /// [`ConnectInfo`](axum::extract::ConnectInfo), use
    /// `axum::ServiceExt::into_make_service_with_connect_info` on the router.
    pub fn into_make_service(self) -> axum::routing::IntoMakeService<Self> {
        axum::ServiceExt::<Request>::into_make_service(self)
    }
}

impl<B> Service<http::Request<B>> for CorsRouter<()>
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = CorsRouterFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let preflight = Preflight::of(&request);
        let method = match &preflight {
            Some(preflight) => preflight.method.as_bytes(),
            None => request.method().as_str().as_bytes(),
        };
        let governs = self
            .table
            .governs(request.uri().path(), method, preflight.is_some());
        let kind = match (governs, preflight) {
            (Governs::Policy(engine), Some(preflight)) => Kind::Answered {
                response: Some(
                    engine
                        .preflight(request.headers(), &preflight, 0)
                        .into_axum_response(),
                ),
            },
            (Governs::Refuse, Some(preflight)) => Kind::Answered {
                response: Some(
                    refused_preflight(request.headers(), &preflight, Refusal::MethodNotRouted, 0)
                        .into_axum_response(),
                ),
            },
            (Governs::Policy(engine), None) => {
                let decoration = engine.decoration(request.headers());
                let _step = OuterStep::enter();
                Kind::Governed {
                    future: self.router.call(request),
                    decoration: Some(decoration),
                }
            }
            (Governs::Opaque(engine), _) => {
                let mut cors = Cors::with_engine(self.router.clone(), engine.clone());
                Kind::Opaque {
                    future: Box::pin(cors.call(request.map(Body::new))),
                }
            }
            (Governs::Refuse | Governs::Nothing, _) => Kind::Untouched {
                future: self.router.call(request),
            },
        };
        CorsRouterFuture { kind }
    }
}

pin_project! {
    /// Response future of [`CorsRouter`].
    pub struct CorsRouterFuture {
        #[pin]
        kind: Kind,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind {
        Answered { response: Option<Response> },
        Governed { #[pin] future: RouteFuture<Infallible>, decoration: Option<Decoration> },
        // Boxed: rare, and as large as a preflight answer and a decoration.
        Opaque { future: Pin<Box<layer::ResponseFuture<RouteFuture<Infallible>, Body>>> },
        Untouched { #[pin] future: RouteFuture<Infallible> },
    }
}

impl Future for CorsRouterFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Answered { response } => Poll::Ready(Ok(response
                .take()
                .expect("CorsRouterFuture polled after completion"))),
            KindProj::Governed { future, decoration } => {
                let mut response = {
                    let _step = OuterStep::enter();
                    ready!(future.poll(cx))?
                };
                if let Some(decoration) = decoration.take() {
                    decoration.apply(response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Opaque { future } => future.as_mut().poll(cx),
            KindProj::Untouched { future } => future.poll(cx),
        }
    }
}

impl Table {
    /// The policy that governs a request to `path` with `method` (the
    /// requested one, for a preflight). See [precedence](crate#precedence).
    fn governs(&self, path: &str, method: &[u8], preflight: bool) -> Governs<'_> {
        if let Ok(matched) = self.matcher.at(path) {
            let policies = &self.paths[*matched.value];
            if let Some(engine) = precedence::handler_for(method, |name| {
                policies
                    .handlers
                    .iter()
                    .find(|(routed, _)| routed.as_bytes() == name)
                    .map(|&(_, engine)| engine)
            }) {
                return Governs::Policy(engine);
            }
            // A `route!` path refuses preflights for the methods it leaves to
            // plain handlers: a layer's wider policy would grant them.
            if preflight && !policies.handlers.is_empty() {
                return Governs::Refuse;
            }
            return match policies.layers.first() {
                Some(engine) if policies.opaque => Governs::Opaque(engine),
                Some(engine) => Governs::Policy(engine),
                None => Governs::Nothing,
            };
        }
        let (layers, opaque) = match self.scope_matcher.at(path) {
            Ok(matched) => {
                let scope = &self.scopes[*matched.value];
                (&scope.layers, scope.opaque)
            }
            Err(_) => (&self.fallback_layers, false),
        };
        match layers.first() {
            Some(engine) if opaque => Governs::Opaque(engine),
            Some(engine) => Governs::Policy(engine),
            None => Governs::Nothing,
        }
    }

    /// Panics where a new route for `path` would leave it unclear which
    /// policy governs its requests.
    #[track_caller]
    fn check_route(&self, path: &str, has_handlers: bool) {
        if let Some(existing) = self.paths.iter().find(|p| p.path == path) {
            if has_handlers && !existing.handlers.is_empty() {
                panic!(
                    "`{path}` has #[cors] handlers in two route! calls; route all of a path's \
                     #[cors] handlers in one route!(..)"
                );
            }
            if !existing.layers.is_empty() {
                panic!("{}", routed_again(path));
            }
        }
    }

    /// As [`check_route`](Self::check_route), for a path of a merged or nested router.
    #[track_caller]
    fn check_merge(&self, incoming: &PathPolicies) {
        let path = &incoming.path;
        if let Some(existing) = self.paths.iter().find(|p| &p.path == path) {
            if !existing.handlers.is_empty() && !incoming.handlers.is_empty() {
                panic!(
                    "`{path}` has #[cors] handlers in both routers; route all of a path's \
                     #[cors] handlers in one route!(..)"
                );
            }
            if !same_layers(&existing.layers, &incoming.layers) {
                panic!("{}", routed_again(path));
            }
        }
    }

    fn add(&mut self, policies: PathPolicies) {
        if let Some(existing) = self.paths.iter_mut().find(|p| p.path == policies.path) {
            // Never opaque: axum refuses a `route_service` path routed
            // in any other way (and another `route_service` on it).
            existing.handlers.extend(policies.handlers);
            return;
        }
        let index = self.paths.len();
        if let Err(error) = self.matcher.insert(policies.path.clone(), index) {
            // axum accepted the path, and both route with matchit 0.8.
            panic!("CorsRouter cannot record `{}`: {error}", policies.path);
        }
        self.paths.push(policies);
    }

    fn add_scope(&mut self, scope: Scope) {
        let index = self.scopes.len();
        let tail = if scope.prefix.ends_with('/') {
            format!("{}{{*cors_rest}}", scope.prefix)
        } else {
            format!("{}/{{*cors_rest}}", scope.prefix)
        };
        for path in [scope.prefix.clone(), tail] {
            if let Err(error) = self.scope_matcher.insert(path, index) {
                panic!("CorsRouter cannot record `{}`: {error}", scope.prefix);
            }
        }
        self.scopes.push(scope);
    }

    /// A new fallback: as in axum, the layers added before do not wrap it.
    fn set_fallback(&mut self) {
        self.custom_fallback = true;
        self.fallback_layers.clear();
    }

    /// A `CorsLayer` over everything added so far, outside the layers already there.
    fn layer(&mut self, engine: &Engine, with_fallback: bool) {
        for policies in &mut self.paths {
            policies.layers.push(engine.clone());
        }
        if with_fallback {
            for scope in &mut self.scopes {
                scope.layers.push(engine.clone());
            }
            self.fallback_layers.push(engine.clone());
        }
    }
}

fn same_layers(a: &[Engine], b: &[Engine]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_policy(b))
}

/// axum's path of a route nested at `prefix`.
fn nested_path(prefix: &str, path: &str) -> String {
    if prefix.ends_with('/') {
        format!("{prefix}{}", path.trim_start_matches('/'))
    } else if path == "/" {
        prefix.to_owned()
    } else {
        format!("{prefix}{path}")
    }
}

#[track_caller]
fn refuse_hidden_layers<T: Clone>(place: &str, value: &T) {
    let (_, found) = precedence::discover(|| value.clone());
    if found.iter().any(|found| matches!(found, Found::Layer)) {
        panic!("{}", hidden_layer(place));
    }
}

fn hidden_layer(place: &str) -> String {
    format!(
        "a CorsLayer is hidden inside a layer or service of `{place}`, where CorsRouter cannot \
         apply it before the middleware; add it with its own CorsRouter::layer(CorsLayer::new(..))"
    )
}

fn routed_again(path: &str) -> String {
    format!(
        "`{path}` is routed again after a CorsLayer was added over it, so its methods would \
         sit under different CORS policies; route all of the path's methods before adding the layer"
    )
}
