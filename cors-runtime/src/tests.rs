//! Behaviour of the engine through real axum routers and `oneshot`, for what
//! the integration suite cannot see from outside: what gets logged, and when.

use std::io;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::{Request, StatusCode};
use tower::ServiceExt;

use crate::{cors, policy, route, CorsLayer, CorsPolicy};

const PUBLIC: CorsPolicy = policy!(origins = "*", headers = ["x-public"]);

#[cors(origins = ["https://app.example"], methods = [PUT], headers = ["x-api-key"])]
async fn update() -> &'static str {
    "updated"
}

#[cors(origins = ["https://app.example"])]
async fn socket() -> &'static str {
    "upgraded"
}

fn app() -> Router {
    Router::new()
        .route("/users", route!(put(update)))
        .route("/socket", route!(get(socket)))
        .route("/health", get(|| async { "up" }))
        .layer(CorsLayer::new(&PUBLIC))
}

fn preflight(path: &str, origin: &str, method: &str, headers: &str) -> Request<Body> {
    Request::options(path)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header("access-control-request-headers", headers)
        .body(Body::empty())
        .unwrap()
}

/// Runs `request` against `app()` and returns the status and what was logged.
async fn logged(request: Request<Body>) -> (StatusCode, String) {
    logged_by(app(), request).await
}

/// Runs `request` against `service` and returns the status and what was logged.
async fn logged_by<S>(service: S, request: Request<Body>) -> (StatusCode, String)
where
    S: tower::Service<
        Request<Body>,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
    >,
{
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let buffer = Arc::clone(&buffer);
        move || Capture(Arc::clone(&buffer))
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(writer)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let status = service.oneshot(request).await.unwrap().status();
    let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    (status, text)
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn refused_preflight_logs_the_reason() {
    let (status, log) = logged(preflight("/users", "https://app.example", "PUT", "x-other")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(log.contains("CORS preflight refused"), "{log}");
    assert!(log.contains("a requested header is not allowed"), "{log}");
}

#[tokio::test]
async fn router_wide_answer_that_is_not_used_is_not_logged() {
    // PUBLIC would refuse `x-api-key`, but the handler's own policy answers.
    let (status, log) = logged(preflight(
        "/users",
        "https://app.example",
        "PUT",
        "x-api-key",
    ))
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(log.is_empty(), "{log}");
}

#[tokio::test]
async fn router_wide_refusal_is_logged_where_it_applies() {
    let (status, log) = logged(preflight(
        "/health",
        "https://app.example",
        "GET",
        "x-api-key",
    ))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(log.contains("a requested header is not allowed"), "{log}");
}

#[tokio::test]
async fn disallowed_origin_on_an_actual_request_is_logged() {
    let request = Request::put("/users")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let (status, log) = logged(request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(log.contains("no CORS headers on the response"), "{log}");
    assert!(log.contains("https://evil.example"), "{log}");
}

#[tokio::test]
async fn unrouted_method_preflight_is_refused_with_its_reason() {
    // On a route! path the handlers' policies decide, even under a router-wide
    // layer: no `#[cors]` handler for DELETE means no cross-origin DELETE.
    let (status, log) = logged(preflight("/users", "https://app.example", "DELETE", "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        log.contains("no handler with a CORS policy is routed"),
        "{log}"
    );
}

#[tokio::test]
async fn several_request_method_lines_are_refused() {
    let mut request = preflight("/users", "https://app.example", "PUT", "x-api-key");
    request
        .headers_mut()
        .append("access-control-request-method", "PUT".parse().unwrap());
    let (status, log) = logged(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        log.contains("the request has several `Access-Control-Request-Method` header lines"),
        "{log}"
    );
}

#[tokio::test]
async fn several_private_network_lines_are_refused() {
    let mut request = preflight("/users", "https://app.example", "PUT", "x-api-key");
    for _ in 0..2 {
        request.headers_mut().append(
            "access-control-request-private-network",
            "true".parse().unwrap(),
        );
    }
    let (status, log) = logged(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        log.contains("several `Access-Control-Request-Private-Network` header lines"),
        "{log}"
    );
}

#[tokio::test]
async fn refused_websocket_upgrade_is_logged_with_its_reason() {
    let request = Request::get("/socket")
        .header("origin", "https://evil.example")
        .header("host", "api.example")
        .header("upgrade", "websocket")
        .body(Body::empty())
        .unwrap();
    let (status, log) = logged(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(log.contains("WebSocket upgrade refused"), "{log}");
    assert!(
        log.contains("a WebSocket upgrade from an origin the policy does not allow"),
        "{log}"
    );
    assert!(log.contains("https://evil.example"), "{log}");
}

#[tokio::test]
async fn under_cors_router_a_refused_origin_is_logged_once() {
    // The router decorates; the `route!` wrapper inside stands down rather
    // than deciding (and logging) a second time.
    let app = crate::CorsRouter::new()
        .route("/users", route!(put(update)))
        .with_state(());
    let request = Request::put("/users")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let (status, log) = logged_by(app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        log.matches("no CORS headers on the response").count(),
        1,
        "{log}"
    );
}

#[tokio::test]
async fn a_plain_router_on_the_same_thread_after_a_cors_router_still_decorates() {
    // The router's mark on the poll ends with the poll.
    let cors_router = crate::CorsRouter::new()
        .route("/users", route!(put(update)))
        .with_state(());
    let put = || {
        Request::put("/users")
            .header("origin", "https://app.example")
            .body(Body::empty())
            .unwrap()
    };
    let response = cors_router.oneshot(put()).await.unwrap();
    assert!(response
        .headers()
        .contains_key("access-control-allow-origin"));
    let plain = Router::new().route("/users", route!(put(update)));
    let response = plain.oneshot(put()).await.unwrap();
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "https://app.example"
    );
}

#[test]
fn may_route_follows_the_methods_list() {
    use crate::contract::may_route;
    const LISTED: CorsPolicy = policy!(origins = "*", methods = [GET, PUT]);
    const ROUTED: CorsPolicy = policy!(origins = "*");
    assert!(may_route(&LISTED, "PUT"));
    assert!(may_route(&LISTED, "GET"));
    // axum serves HEAD from the GET handler.
    assert!(may_route(&LISTED, "HEAD"));
    assert!(!may_route(&LISTED, "DELETE"));
    assert!(!may_route(&LISTED, "put"));
    // `any(..)` takes whatever is left; each preflight is checked on its own.
    assert!(may_route(&LISTED, "*"));
    assert!(may_route(&ROUTED, "DELETE"));
}
