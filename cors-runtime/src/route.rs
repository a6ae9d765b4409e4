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
//!   handler, or else the path's default 405 fallback, which `route!` replaces
//!   with [`Preflights`] before adding any handler (so it stays axum's
//!   *default* fallback, and a later `.fallback(..)` still replaces it). Each
//!   answers with the policy of the handler routed for the *requested* method.

use std::convert::Infallible;
use std::future::{Future, Ready};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::body::Body;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use http::{HeaderMap, Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::engine::{refused_preflight, Decoration, Engine, Preflight, Refusal};
use crate::layer::{Handled, RouterDefault};
use crate::policy::position;

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
/// `any` handler's wrapper, or else by the 405 fallback `route!` installs. So
/// route all of a path's `#[cors]` handlers in one `route!`: an `.options(..)`
/// or `.fallback(..)` chained after it, or a second `route!` for the same path,
/// takes that slot over and answers the path's preflights instead.
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
            const _: () = if !<$handler as $crate::__private::HandlerPolicy>::POLICY
                .__may_route(<$crate::__private::method::$method as $crate::__private::RoutedMethod>::NAME)
            {
                ::core::panic!(::core::concat!(
                    "`", ::core::stringify!($handler), "` is routed with `",
                    ::core::stringify!($method), "(..)` but its #[cors] `methods` leave that method out; ",
                    "add it to `methods`, or drop `methods` to allow the methods the handler is routed on",
                ));
            };
        )+
        // The path's policies as a type, so the handlers stay zero-sized.
        struct __CorsRoutePolicies;
        impl $crate::__private::RoutePolicies for __CorsRoutePolicies {
            const METHODS: &'static [&'static str] = &[$(
                <$crate::__private::method::$method as $crate::__private::RoutedMethod>::NAME
            ),+];

            fn engines() -> &'static [$crate::__private::Engine] {
                static ENGINES: [$crate::__private::Engine; __CorsRoutePolicies::METHODS.len()] = [$(
                    $crate::__private::Engine::new(<$handler as $crate::__private::HandlerPolicy>::POLICY)
                ),+];
                &ENGINES
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

/// A `route!` method name, as its marker type knows it.
#[doc(hidden)]
pub trait RoutedMethod: 'static {
    const NAME: &'static str;
}

/// `METHODS` entry of `any(handler)`.
const ANY: &str = "*";

/// The marker types `route!` names its methods through.
#[doc(hidden)]
pub mod method {
    use super::{CorsHandler, RoutePolicies, RoutedMethod};
    use axum::handler::Handler;
    use axum::routing::MethodRouter;

    macro_rules! markers {
        ($($name:ident => $upper:expr, $route:ident;)*) => {$(
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
                    router.$route(CorsHandler::<H, $name, P>::new(handler))
                }
            }

            impl RoutedMethod for $name {
                const NAME: &'static str = $upper;
            }
        )*};
    }

    markers! {
        get => "GET", get;
        post => "POST", post;
        put => "PUT", put;
        delete => "DELETE", delete;
        patch => "PATCH", patch;
        head => "HEAD", head;
        options => "OPTIONS", options;
        trace => "TRACE", trace;
        connect => "CONNECT", connect;
        any => super::ANY, fallback;
    }
}

/// An empty `MethodRouter` whose default 405 fallback also answers the
/// preflights of the path described by `P`.
#[doc(hidden)]
pub fn method_router<P: RoutePolicies, S>() -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    MethodRouter::<S>::new().layer(Preflights::<P>(PhantomData))
}

/// Answers a preflight with the policy of the handler that would serve the
/// requested method, compared byte for byte (`patch` is not `PATCH`); HEAD
/// falls back to GET, as in axum, and `any` takes the rest.
fn route_preflight<P: RoutePolicies>(
    request: &HeaderMap,
    preflight: &Preflight<'_>,
    mark: bool,
) -> Response<Body> {
    let find = |name: &[u8]| {
        P::METHODS
            .iter()
            .position(|routed| routed.as_bytes() == name)
            .map(|slot| &P::engines()[slot])
    };
    let requested = preflight.method.as_bytes();
    let engine = find(requested)
        .or_else(|| (requested == b"HEAD").then(|| find(b"GET")).flatten())
        .or_else(|| find(ANY.as_bytes()));
    let mut response = match engine {
        Some(engine) => engine.preflight(request, preflight),
        None => refused_preflight(request, preflight, Refusal::MethodNotRouted),
    }
    .into_response();
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

impl<H: Clone, M, P> Clone for CorsHandler<H, M, P> {
    fn clone(&self) -> Self {
        Self::new(self.handler.clone())
    }
}

impl<H, M, P, T, S> Handler<T, S> for CorsHandler<H, M, P>
where
    H: Handler<T, S>,
    M: RoutedMethod,
    P: RoutePolicies,
{
    type Future = HandlerFuture<H::Future>;

    fn call(self, request: Request<Body>, state: S) -> Self::Future {
        // An outer router-wide `CorsLayer` defers to us; tell it we handled this.
        let mark = request.extensions().get::<RouterDefault>().is_some();
        if let Some(preflight) = Preflight::of(&request) {
            let response = route_preflight::<P>(request.headers(), &preflight, mark);
            return HandlerFuture {
                kind: HandlerKind::Answered {
                    response: Some(response),
                },
            };
        }
        let engine = &P::engines()[const { slot(P::METHODS, M::NAME) }];
        let decoration = engine.decoration(request.headers());
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
        // An actual request, decorated once the handler answers.
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
                decoration
                    .take()
                    .expect("HandlerFuture polled after completion")
                    .apply(response.headers_mut());
                if *mark {
                    response.extensions_mut().insert(Handled);
                }
                Poll::Ready(response)
            }
        }
    }
}

/// Layer and service that replace a `route!` path's default 405 fallback:
/// they answer the preflights no `options`/`any` handler took, and give
/// every other unrouted method axum's empty 405 (axum adds `Allow`).
/// Zero-sized, like the fallback they replace.
struct Preflights<P>(PhantomData<fn() -> P>);

impl<P> Clone for Preflights<P> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<P, S> Layer<S> for Preflights<P> {
    type Service = Self;

    fn layer(&self, _default_405: S) -> Self {
        self.clone()
    }
}

impl<P: RoutePolicies> Service<Request<Body>> for Preflights<P> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let response = match Preflight::of(&request) {
            Some(preflight) => {
                let mark = request.extensions().get::<RouterDefault>().is_some();
                route_preflight::<P>(request.headers(), &preflight, mark)
            }
            // A method routed to no handler; an outer `CorsLayer` may still
            // decorate this answer.
            None => {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
                response
            }
        };
        std::future::ready(Ok(response))
    }
}
