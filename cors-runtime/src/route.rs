//! `route!`: one axum `MethodRouter` whose handlers each keep their own policy.
//!
//! The macro describes the path's policies as a type of its own
//! ([`RoutePolicies`]: method names and a `static` of prepared engines), so
//! everything it routes is zero-sized when the handler is, and axum's
//! per-request clones and boxes cost what they cost on a bare route:
//!
//! - every handler is wrapped in a [`CorsHandler`], which decorates its
//!   responses without boxing again;
//! - a preflight reaches axum's `OPTIONS` slot: the wrapped `options` or `any`
//!   handler, or else a [`PreflightHandler`] that `route!` puts there. Each
//!   answers with the policy of the handler routed for the *requested* method.
//!   Holding the slot (rather than the path's 405 fallback, which a merge or
//!   `method_not_allowed_fallback` replaces) is what keeps the answer with the
//!   path however it is assembled: a second `OPTIONS` route for the path is
//!   axum's "overlapping method route" panic, not a silent change of policy.
//!
//! Under a [`CorsRouter`](crate::CorsRouter) the wrappers stand down: the
//! router answers and decorates before any middleware runs.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{ready, Context, Poll};

use axum::body::Body;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use http::header::{HeaderValue, ALLOW};
use http::{HeaderMap, Request, Response, StatusCode};
use pin_project_lite::pin_project;

use crate::engine::{refused_preflight, Decoration, Engine, Preflight, Refusal};
use crate::policy::{position, Origins};
use crate::precedence::{self, Found, Handled, OuterLayer, OuterStep, ANY};

/// Builds an axum [`MethodRouter`] from `#[cors]` handlers, with preflights
/// answered per requested method.
///
/// `route!(get(a).put(b))` routes like `get(a).put(b)`, wraps each handler's
/// responses with its own policy and answers `OPTIONS` preflights with the
/// policy of the handler routed for the method the browser asks about (HEAD
/// falls back to GET, as in axum). The method names are axum's: `get`, `post`,
/// `put`, `delete`, `patch`, `head`, `options`, `trace`, `connect`, and `any`
/// for a handler that takes every other method.
///
/// The result is a plain `MethodRouter<S>` for any state `S`: handlers without
/// `#[cors]` are chained after the macro, and get no CORS headers.
///
/// Preflights are answered in the path's `OPTIONS` slot: by the `options` or
/// `any` handler's wrapper, or else by a preflight handler `route!` puts
/// there. So route all of a path's `#[cors]` handlers in one `route!`: a
/// second `route!` for the same path, or an `.options(..)` chained after one,
/// is a second `OPTIONS` route, which axum refuses with a panic when the
/// router is built ("Overlapping method route"). `any(h)` takes every method
/// that no other handler of the `route!` takes (HEAD still goes to a `get`
/// handler, as in axum), so chaining a plain handler after it is refused the
/// same way. A method routed twice in one `route!` does not compile.
///
/// With middleware that can answer before the handler (auth, rate limits,
/// timeouts), build the router with [`CorsRouter`](crate::CorsRouter): it
/// answers preflights before any middleware runs and puts the handler's CORS
/// headers on every response, the middleware's too. In a plain axum `Router`,
/// middleware added with `.layer(..)` runs before `route!`'s answer.
///
/// ```
/// use axum::Router;
/// use cors_runtime::{cors, route};
///
/// #[cors(origins = "*")]
/// async fn list_users() -> &'static str { "[]" }
///
/// #[cors(origins = ["https://admin.example.com"], credentials = true)]
/// async fn delete_user() -> &'static str { "gone" }
///
/// async fn create_user() -> &'static str { "same-origin only" }
///
/// let app: Router = Router::new().route(
///     "/users",
///     route!(get(list_users).delete(delete_user)).post(create_user),
/// );
/// ```
///
/// A handler routed on a method its explicit `methods` leaves out does not
/// compile:
///
/// ```compile_fail
/// use cors_runtime::{cors, route};
///
/// #[cors(origins = "*", methods = [GET])]
/// async fn update_user() {}
///
/// let _: axum::routing::MethodRouter = route!(put(update_user));
/// ```
///
/// [`MethodRouter`]: axum::routing::MethodRouter
#[macro_export]
macro_rules! route {
    ($($method:ident ( $handler:path )).+ $(,)?) => {{
        $(
            // An item, not an inline `const {}`: `cargo check` evaluates it too.
            const _: () = if !$crate::__private::may_route(
                <$handler as $crate::__private::HandlerPolicy>::POLICY,
                <$crate::__private::method::$method as $crate::__private::RoutedMethod>::NAME,
            ) {
                ::core::panic!(::core::concat!(
                    "`", ::core::stringify!($handler), "` is routed with `",
                    ::core::stringify!($method), "(..)` but its #[cors] `methods` leave that method out; ",
                    "add it to `methods`, or drop `methods` to allow the methods the handler is routed on",
                ));
            };
        )+
        const _: () = if $crate::__private::has_duplicate(<__CorsRoutePolicies as $crate::__private::RoutePolicies>::METHODS) {
            ::core::panic!("this route! routes one method twice; route each method once (`any` counts as one method)");
        };
        // The path's policies as a type, so the handlers stay zero-sized.
        struct __CorsRoutePolicies;
        impl $crate::__private::RoutePolicies for __CorsRoutePolicies {
            const METHODS: &'static [&'static str] = &[$(
                <$crate::__private::method::$method as $crate::__private::RoutedMethod>::NAME
            ),+];

            #[track_caller]
            fn engines() -> &'static [$crate::__private::Engine] {
                static ENGINES: $crate::__private::RouteEngines<{ __CorsRoutePolicies::METHODS.len() }> =
                    $crate::__private::RouteEngines::new([$(
                        $crate::__private::Engine::new(<$handler as $crate::__private::HandlerPolicy>::POLICY)
                    ),+]);
                ENGINES.get()
            }
        }
        let router = $crate::__private::method_router::<__CorsRoutePolicies, _>();
        $( let router = $crate::__private::method::$method::route::<__CorsRoutePolicies, _, _, _>(router, $handler); )+
        router
    }};
}

/// The policies of one `route!` path, implemented by a type the macro defines.
#[doc(hidden)]
pub trait RoutePolicies: 'static {
    /// Each handler's method, upper case, or `"*"` for `any`; in `route!` order.
    const METHODS: &'static [&'static str];

    /// The handlers' policies, prepared at compile time, in the same order.
    fn engines() -> &'static [Engine];
}

/// A `route!` path's engines: prepared at compile time, or, where a policy
/// reads its origins from the environment, completed once, when the route is
/// built (see [`method_router`]).
#[doc(hidden)]
pub struct RouteEngines<const N: usize> {
    prepared: [Engine; N],
    from_env: bool,
    resolved: OnceLock<Box<[Engine]>>,
}

impl<const N: usize> RouteEngines<N> {
    pub const fn new(prepared: [Engine; N]) -> Self {
        let mut from_env = false;
        let mut i = 0;
        while i < N {
            from_env |= matches!(prepared[i].policy().origins, Origins::Env(_));
            i += 1;
        }
        Self {
            prepared,
            from_env,
            resolved: OnceLock::new(),
        }
    }

    /// The engines; the first call (building the route) reads the
    /// environment and panics with the report if a value is invalid.
    #[track_caller]
    pub fn get(&'static self) -> &'static [Engine] {
        if !self.from_env {
            return &self.prepared;
        }
        if let Some(engines) = self.resolved.get() {
            return engines;
        }
        // A loop, not a closure, so that a panic names the caller's line.
        let mut engines = Vec::with_capacity(N);
        for engine in &self.prepared {
            engines.push(engine.resolved());
        }
        // Another thread may have won; both read the same value.
        let _ = self.resolved.set(engines.into_boxed_slice());
        self.resolved
            .get()
            .map_or(&self.prepared, |engines| engines)
    }
}

/// A `route!` method name, as its marker type knows it.
#[doc(hidden)]
pub trait RoutedMethod: 'static {
    const NAME: &'static str;
}

/// Whether `methods` names one method twice; evaluated at compile time.
#[doc(hidden)]
pub const fn has_duplicate(methods: &[&str]) -> bool {
    let mut i = 0;
    while i < methods.len() {
        if let Some(first) = position(methods, methods[i]) {
            if first != i {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// The marker types `route!` names its methods through.
#[doc(hidden)]
pub mod method {
    use super::{CorsHandler, RoutePolicies, RoutedMethod};
    use crate::precedence::ANY;
    use axum::handler::Handler;
    use axum::routing::{MethodFilter, MethodRouter};

    macro_rules! markers {
        ($($name:ident => $upper:expr, $filter:ident;)*) => {
            $(
                #[allow(non_camel_case_types)]
                pub struct $name;

                impl $name {
                    pub fn route<P, H, T, S>(router: MethodRouter<S>, handler: H) -> MethodRouter<S>
                    where
                        P: RoutePolicies,
                        H: Handler<T, S>,
                        T: 'static,
                        S: Clone + Send + Sync + 'static,
                    {
                        router.on(MethodFilter::$filter, CorsHandler::<H, $name, P>::new(handler))
                    }
                }

                impl RoutedMethod for $name {
                    const NAME: &'static str = $upper;
                }
            )*

            /// The method slots `any(..)` fills: every one the path's `route!`
            /// leaves empty, but HEAD, which axum serves from a GET handler.
            fn slots_for_any(routed: &[&str]) -> Option<MethodFilter> {
                let mut filter: Option<MethodFilter> = None;
                $(
                    if $upper != "HEAD" && !routed.contains(&$upper) {
                        filter = Some(match filter {
                            Some(filter) => filter.or(MethodFilter::$filter),
                            None => MethodFilter::$filter,
                        });
                    }
                )*
                filter
            }
        };
    }

    markers! {
        get => "GET", GET;
        post => "POST", POST;
        put => "PUT", PUT;
        delete => "DELETE", DELETE;
        patch => "PATCH", PATCH;
        head => "HEAD", HEAD;
        options => "OPTIONS", OPTIONS;
        trace => "TRACE", TRACE;
        connect => "CONNECT", CONNECT;
    }

    /// `any(handler)`: every method no other handler of the `route!` takes,
    /// extension methods (`PURGE`) included. It holds each free method slot
    /// rather than only the fallback, so a plain handler chained for one of
    /// those methods is axum's overlapping-route panic, not a method that
    /// silently leaves the policy, and axum's `Allow` header stays truthful.
    #[allow(non_camel_case_types)]
    pub struct any;

    impl any {
        pub fn route<P, H, T, S>(router: MethodRouter<S>, handler: H) -> MethodRouter<S>
        where
            P: RoutePolicies,
            H: Handler<T, S>,
            T: 'static,
            S: Clone + Send + Sync + 'static,
        {
            let handler = CorsHandler::<H, any, P>::new(handler);
            let router = match slots_for_any(P::METHODS) {
                Some(slots) => router.on(slots, handler.clone()),
                None => router,
            };
            router.fallback(handler)
        }
    }

    impl RoutedMethod for any {
        const NAME: &'static str = ANY;
    }
}

/// An empty `MethodRouter` whose `OPTIONS` slot answers the preflights of
/// the path described by `P`, unless an `options` or `any` handler of the
/// same `route!` will hold that slot.
#[doc(hidden)]
#[track_caller]
pub fn method_router<P: RoutePolicies, S>() -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    // Origins read from the environment are read and checked now, while the
    // router is built, never on a request.
    P::engines();
    let router = MethodRouter::new();
    if P::METHODS.iter().any(|m| *m == "OPTIONS" || *m == ANY) {
        router
    } else {
        router.options(PreflightHandler::<P>(PhantomData))
    }
}

/// Answers a preflight with the policy of the handler that would serve the
/// requested method (see [`precedence::handler_for`]).
fn route_preflight<P: RoutePolicies>(
    request: &HeaderMap,
    preflight: &Preflight<'_>,
    mark: bool,
) -> Response<Body> {
    let engine = precedence::handler_for(preflight.method.as_bytes(), |name| {
        P::METHODS
            .iter()
            .position(|routed| routed.as_bytes() == name)
            .map(|slot| &P::engines()[slot])
    });
    let mut response = match engine {
        Some(engine) => engine.preflight(request, preflight, 0),
        None => refused_preflight(request, preflight, Refusal::MethodNotRouted, 0),
    }
    .into_axum_response();
    if mark {
        response.extensions_mut().insert(Handled);
    }
    response
}

/// Where `name` sits in `methods`; evaluated at compile time.
const fn slot(methods: &[&str], name: &str) -> usize {
    match position(methods, name) {
        Some(slot) => slot,
        None => panic!("route! lists every method it routes"),
    }
}

/// A `route!` handler: decorates the handler's responses with its policy
/// and, as the `options` or `any` handler, answers preflights without calling
/// it. Zero-sized when the handler is.
#[doc(hidden)]
pub struct CorsHandler<H, M, P> {
    handler: H,
    route: PhantomData<fn() -> (M, P)>,
}

impl<H, M, P> CorsHandler<H, M, P> {
    fn new(handler: H) -> Self {
        Self {
            handler,
            route: PhantomData,
        }
    }
}

impl<H: Clone, M: RoutedMethod, P: RoutePolicies> Clone for CorsHandler<H, M, P> {
    fn clone(&self) -> Self {
        // How a `CorsRouter` learns the policies of the `MethodRouter` it routes.
        precedence::report(|| Found::Handler {
            method: M::NAME,
            engine: engine::<M, P>(),
        });
        Self::new(self.handler.clone())
    }
}

/// The engine of the handler `route!` routed for `M`.
fn engine<M: RoutedMethod, P: RoutePolicies>() -> &'static Engine {
    &P::engines()[const { slot(P::METHODS, M::NAME) }]
}

impl<H, M, P, T, S> Handler<T, S> for CorsHandler<H, M, P>
where
    H: Handler<T, S>,
    M: RoutedMethod,
    P: RoutePolicies,
{
    type Future = HandlerFuture<H::Future>;

    fn call(self, request: Request<Body>, state: S) -> Self::Future {
        // Browsers apply no CORS to WebSocket upgrades: the policy's origins
        // guard them here, before the handler, whoever decorates.
        if M::NAME == "GET" || M::NAME == ANY {
            if let Some(refused) = engine::<M, P>().refuse_websocket(&request) {
                return HandlerFuture {
                    kind: HandlerKind::Answered {
                        response: Some(refused),
                    },
                };
            }
        }
        // A `CorsRouter` further out answers and decorates this request itself.
        if OuterStep::governs() {
            return HandlerFuture {
                kind: HandlerKind::Handler {
                    future: self.handler.call(request, state),
                    decoration: None,
                    mark: false,
                },
            };
        }
        // An outer `CorsLayer` defers to us; tell it we handled this.
        let mark = request.extensions().get::<OuterLayer>().is_some();
        if let Some(preflight) = Preflight::of(&request) {
            let response = route_preflight::<P>(request.headers(), &preflight, mark);
            return HandlerFuture {
                kind: HandlerKind::Answered {
                    response: Some(response),
                },
            };
        }
        let decoration = engine::<M, P>().decoration(request.headers());
        HandlerFuture {
            kind: HandlerKind::Handler {
                future: self.handler.call(request, state),
                decoration: Some(decoration),
                mark,
            },
        }
    }
}

pin_project! {
    /// The future of a [`CorsHandler`]: the handler's own, not boxed again.
    #[doc(hidden)]
    pub struct HandlerFuture<F> {
        #[pin]
        kind: HandlerKind<F>,
    }
}

pin_project! {
    #[project = HandlerKindProj]
    enum HandlerKind<F> {
        // A preflight, answered without calling the handler.
        Answered { response: Option<Response<Body>> },
        // An actual request, decorated once the handler answers (unless a
        // `CorsRouter` further out does it).
        Handler { #[pin] future: F, decoration: Option<Decoration>, mark: bool },
    }
}

impl<F> Future for HandlerFuture<F>
where
    F: Future<Output = Response<Body>>,
{
    type Output = Response<Body>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            HandlerKindProj::Answered { response } => Poll::Ready(
                response
                    .take()
                    .expect("HandlerFuture polled after completion"),
            ),
            HandlerKindProj::Handler {
                future,
                decoration,
                mark,
            } => {
                let mut response = ready!(future.poll(cx));
                if let Some(decoration) = decoration.take() {
                    decoration.apply(response.headers_mut());
                }
                if *mark {
                    response.extensions_mut().insert(Handled);
                }
                Poll::Ready(response)
            }
        }
    }
}

/// The `OPTIONS` slot of a `route!` path without an `options` or `any`
/// handler: answers its preflights, and gives any other `OPTIONS` request the
/// 405 axum would (with an `Allow` of the methods `route!` routes).
/// Zero-sized, like the slot it fills.
#[doc(hidden)]
pub struct PreflightHandler<P>(PhantomData<fn() -> P>);

impl<P> Clone for PreflightHandler<P> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<P: RoutePolicies, S> Handler<(), S> for PreflightHandler<P> {
    type Future = std::future::Ready<Response<Body>>;

    fn call(self, request: Request<Body>, _state: S) -> Self::Future {
        let response = match Preflight::of(&request) {
            Some(preflight) => {
                let mark = request.extensions().get::<OuterLayer>().is_some();
                route_preflight::<P>(request.headers(), &preflight, mark)
            }
            None => method_not_allowed::<P>(),
        };
        std::future::ready(response)
    }
}

/// axum's answer to a method the path does not route. Only non-preflight
/// `OPTIONS` requests get here, which browsers never send.
fn method_not_allowed<P: RoutePolicies>() -> Response<Body> {
    let mut allow = String::new();
    for method in P::METHODS {
        for name in [*method]
            .into_iter()
            .chain((*method == "GET").then_some("HEAD"))
        {
            if !allow.is_empty() {
                allow.push(',');
            }
            allow.push_str(name);
        }
    }
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    if let Ok(allow) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(ALLOW, allow);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::has_duplicate;

    /// What `route!`'s check refuses at compile time (the `ui` cases show the
    /// error; they are not run per mutant).
    #[test]
    fn a_method_routed_twice_is_a_duplicate_and_any_counts_once() {
        assert!(has_duplicate(&["GET", "PUT", "GET"]));
        assert!(has_duplicate(&["PUT", "GET", "GET"]));
        assert!(has_duplicate(&["*", "GET", "*"]));
        assert!(!has_duplicate(&["GET", "PUT", "DELETE"]));
        assert!(!has_duplicate(&["GET", "*"]));
        assert!(!has_duplicate(&["GET"]));
        assert!(!has_duplicate(&[]));
    }
}
