//! `route!`: one axum `MethodRouter` whose handlers each keep their own policy.
//!
//! The macro routes the handlers as axum would and wraps the whole
//! `MethodRouter` (its 405 fallback included) in a [`RouteCors`] service. That
//! service sees every request to the path before axum dispatches on the
//! method, so it can answer a preflight with the policy of the handler routed
//! for the *requested* method, whether or not an `OPTIONS` handler exists.

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{HeaderValue, Method, Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::engine::{preflight_method, refused_preflight, Engine, Refusal};
use crate::future::{After, ResponseFuture};
use crate::layer::{Handled, RouterDefault};
use crate::policy::CorsPolicy;

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
            const {
                if !<$handler as $crate::__private::HandlerPolicy>::POLICY
                    .__may_route($crate::__private::method::$method::NAME)
                {
                    ::core::panic!(::core::concat!(
                        "`", ::core::stringify!($handler), "` is routed with `",
                        ::core::stringify!($method), "(..)` but its #[cors] `methods` leave that method out; ",
                        "add it to `methods`, or drop `methods` to allow the methods the handler is routed on",
                    ));
                }
            }
        )+
        let router = $crate::__private::axum::routing::MethodRouter::new();
        $( let router = $crate::__private::method::$method::route(router, $handler); )+
        router.layer::<_, ::core::convert::Infallible>($crate::__private::RouteCorsLayer::new(&[
            $( (
                $crate::__private::method::$method::KEY,
                <$handler as $crate::__private::HandlerPolicy>::POLICY,
            ) ),+
        ]))
    }};
}

/// Which requests a handler in `route!` takes.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum MethodKey {
    Method(Method),
    /// `any(handler)`: every method not routed to another handler.
    Any,
}

/// The marker types `route!` names its methods through.
#[doc(hidden)]
pub mod method {
    use super::MethodKey;
    use axum::handler::Handler;
    use axum::routing::MethodRouter;
    use http::Method;

    macro_rules! markers {
        ($($name:ident => $key:expr, $upper:literal, $route:ident;)*) => {$(
            #[allow(non_camel_case_types)]
            pub struct $name;

            impl $name {
                pub const KEY: MethodKey = $key;
                pub const NAME: &'static str = $upper;

                pub fn route<H, T, S>(router: MethodRouter<S>, handler: H) -> MethodRouter<S>
                where
                    H: Handler<T, S>,
                    T: 'static,
                    S: Clone + Send + Sync + 'static,
                {
                    router.$route(handler)
                }
            }
        )*};
    }

    markers! {
        get => MethodKey::Method(Method::GET), "GET", get;
        post => MethodKey::Method(Method::POST), "POST", post;
        put => MethodKey::Method(Method::PUT), "PUT", put;
        delete => MethodKey::Method(Method::DELETE), "DELETE", delete;
        patch => MethodKey::Method(Method::PATCH), "PATCH", patch;
        head => MethodKey::Method(Method::HEAD), "HEAD", head;
        options => MethodKey::Method(Method::OPTIONS), "OPTIONS", options;
        trace => MethodKey::Method(Method::TRACE), "TRACE", trace;
        connect => MethodKey::Method(Method::CONNECT), "CONNECT", connect;
        any => MethodKey::Any, "*", fallback;
    }
}

/// The policies of one path, by method.
#[derive(Debug)]
struct RouteTable {
    routed: Vec<(Method, Engine)>,
    any: Option<Engine>,
}

impl RouteTable {
    /// The policy of the handler that serves `method`.
    fn for_method(&self, method: &Method) -> Option<&Engine> {
        self.find(|m| m == method)
            .or_else(|| {
                (method == Method::HEAD)
                    .then(|| self.find(|m| m == Method::GET))
                    .flatten()
            })
            .or(self.any.as_ref())
    }

    /// The policy of the handler that would serve the method a preflight asks
    /// about, compared byte for byte (`patch` is not `PATCH`).
    fn for_requested(&self, method: &HeaderValue) -> Option<&Engine> {
        let method = method.as_bytes();
        self.find(|m| m.as_str().as_bytes() == method)
            .or_else(|| {
                (method == b"HEAD")
                    .then(|| self.find(|m| m == Method::GET))
                    .flatten()
            })
            .or(self.any.as_ref())
    }

    fn find(&self, pred: impl Fn(&Method) -> bool) -> Option<&Engine> {
        self.routed.iter().find(|(m, _)| pred(m)).map(|(_, e)| e)
    }
}

/// The layer `route!` puts around its `MethodRouter`.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct RouteCorsLayer {
    table: Arc<RouteTable>,
}

impl RouteCorsLayer {
    pub fn new(handlers: &[(MethodKey, &'static CorsPolicy)]) -> Self {
        let mut table = RouteTable {
            routed: Vec::with_capacity(handlers.len()),
            any: None,
        };
        for (key, policy) in handlers {
            match key {
                MethodKey::Method(m) => table.routed.push((m.clone(), Engine::new(policy))),
                MethodKey::Any => table.any = Some(Engine::new(policy)),
            }
        }
        Self {
            table: Arc::new(table),
        }
    }
}

impl<S> Layer<S> for RouteCorsLayer {
    type Service = RouteCors<S>;

    fn layer(&self, inner: S) -> RouteCors<S> {
        RouteCors {
            inner,
            table: Arc::clone(&self.table),
        }
    }
}

/// Answers the preflights of one path and decorates its responses.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct RouteCors<S> {
    inner: S,
    table: Arc<RouteTable>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RouteCors<S>
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

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // An outer router-wide `CorsLayer` defers to us; tell it we handled this.
        let mark = request.extensions().get::<RouterDefault>().is_some();
        if let Some(method) = preflight_method(&request) {
            let mut response = match self.table.for_requested(method) {
                Some(engine) => engine.preflight(request.headers(), method),
                None => refused_preflight(request.headers(), method, Refusal::MethodNotRouted),
            }
            .into_response();
            if mark {
                response.extensions_mut().insert(Handled);
            }
            return ResponseFuture::answered(response);
        }
        let decoration = self
            .table
            .for_method(request.method())
            .map(|engine| engine.decoration(request.headers()));
        let after = match decoration {
            Some(decoration) => After::Handler { decoration, mark },
            None => After::Nothing,
        };
        ResponseFuture::inner(self.inner.call(request), after)
    }
}
