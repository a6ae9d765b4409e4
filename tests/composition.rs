//! Composition: a handler's policy holds however the app is assembled.
//!
//! Apps are built the way users assemble them: auth and other middleware that
//! answer before the handler, one path over several `.route()` calls, `merge`,
//! `nest`, nested layers, `with_state`, wildcard paths. `CorsRouter` cases
//! check that preflights are answered before any middleware and that every
//! response carries the governing policy's headers; plain axum `Router` cases
//! check that the precedence rule (handler, then innermost layer, then outer
//! layers; fail closed) holds there too.

mod common;

use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
    Router,
};
use common::*;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter};
use tower_http::{
    catch_panic::CatchPanicLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
};

/// An origin that the router-wide policies below allow and the handler
/// policies do not.
const OTHER: &str = "https://other.example";

/// Credentialed, for the app's own page.
#[cors(
    origins = ["https://app.example"],
    methods = [PUT],
    headers = ["authorization", "content-type"],
    credentials = true,
    max_age = 60
)]
async fn update_user() -> &'static str {
    "saved"
}

#[cors(origins = "*")]
async fn list_users() -> &'static str {
    "[]"
}

#[cors(origins = ["https://app.example"], methods = [DELETE], credentials = true)]
async fn delete_user() -> &'static str {
    "deleted"
}

async fn plain() -> &'static str {
    "plain"
}

/// A router-wide policy wider than the handlers': more origins, credentials.
const WIDE: CorsPolicy = policy!(
    origins = ["https://app.example", "https://other.example"],
    methods = [GET, PUT, DELETE],
    headers = ["authorization"],
    credentials = true
);

const STAR: CorsPolicy = policy!(origins = "*");

const APP_ONLY: CorsPolicy = policy!(origins = ["https://app.example"]);

/// Answers 401 to any request without `Authorization`, preflights included.
async fn require_key(request: Request, next: Next) -> Result<Response, StatusCode> {
    match request.headers().get("authorization") {
        Some(_) => Ok(next.run(request).await),
        None => Err(StatusCode::UNAUTHORIZED),
    }
}

async fn too_many(_request: Request, _next: Next) -> StatusCode {
    StatusCode::TOO_MANY_REQUESTS
}

fn users() -> MethodRouterOfUsers {
    route!(get(list_users).put(update_user))
}
type MethodRouterOfUsers = axum::routing::MethodRouter;

fn put_with_key(path: &str, origin: &str) -> axum::http::Request<axum::body::Body> {
    request(
        "PUT",
        path,
        &[(ORIGIN, origin), ("authorization", "Bearer k")],
    )
}

// ---------------------------------------------------------------------------
// Auth middleware: preflights before it, its 401 decorated
// ---------------------------------------------------------------------------

fn guarded() -> CorsRouter {
    CorsRouter::new()
        .route("/users/{id}", users())
        .layer(middleware::from_fn(require_key))
}

#[tokio::test]
async fn preflight_is_answered_before_auth_with_the_handler_policy() {
    let app = guarded();
    let r = send(
        &app,
        preflight("/users/7", APP, "PUT", &[(ACRH, "authorization")]),
    )
    .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAC, "true"),
        (ACAM, "PUT"),
        (ACAH, "authorization, content-type"),
        (ACMA, "60"),
    ]);
    // The handler's policy, not a default: another origin is refused.
    send(&app, preflight("/users/7", OTHER, "PUT", &[]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn auth_401_carries_the_handler_policy_for_an_allowed_origin() {
    let app = guarded();
    let r = send(&app, request("PUT", "/users/7", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    r.assert_vary(&["origin"]);

    let r = send(&app, request("PUT", "/users/7", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);

    // GET's own policy on the same path: `*`.
    let r = send(&app, request("GET", "/users/7", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&[(ACAO, "*")]);
}

#[tokio::test]
async fn authorized_request_is_decorated_once() {
    let app = guarded();
    let r = send(&app, put_with_key("/users/7", APP)).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "saved");
    assert_eq!(r.lines(ACAO), [APP], "one line: {}", r.context);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    r.assert_vary(&["origin"]);
}

#[tokio::test]
async fn route_layer_auth_is_passed_by_preflights_too() {
    let app = CorsRouter::new()
        .route("/users/{id}", users())
        .route_layer(middleware::from_fn(require_key));
    send(&app, preflight("/users/7", APP, "PUT", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT"), (ACMA, "60")]);
    let r = send(&app, request("PUT", "/users/7", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
}

#[tokio::test]
async fn handler_policy_beats_a_wider_layer_around_auth() {
    let app = guarded().layer(CorsLayer::new(&WIDE));
    // WIDE allows OTHER; the handler does not, and the handler decides.
    send(&app, preflight("/users/7", OTHER, "PUT", &[]))
        .await
        .assert_preflight_rejected();
    let r = send(&app, put_with_key("/users/7", OTHER)).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
}

#[tokio::test]
async fn auth_in_a_plain_router_still_runs_before_route_macro() {
    // The documented limit that CorsRouter lifts: in an axum Router, `.layer`
    // middleware wraps route!'s answer.
    let app = Router::new()
        .route("/users/{id}", users())
        .layer(middleware::from_fn(require_key));
    let r = send(&app, preflight("/users/7", APP, "PUT", &[])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_no_cors();
}

// ---------------------------------------------------------------------------
// Every response produced further in carries the governing policy
// ---------------------------------------------------------------------------

#[tokio::test]
async fn body_limit_413_is_decorated() {
    let app = CorsRouter::new()
        .route("/users/{id}", users())
        .layer(RequestBodyLimitLayer::new(4));
    let mut req = request(
        "PUT",
        "/users/7",
        &[(ORIGIN, APP), ("content-length", "10")],
    );
    *req.body_mut() = axum::body::Body::from("0123456789");
    let r = send(&app, req).await;
    r.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
}

#[tokio::test]
async fn rate_limit_429_is_decorated() {
    let app = CorsRouter::new()
        .route("/users/{id}", users())
        .layer(middleware::from_fn(too_many));
    let r = send(&app, request("PUT", "/users/7", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    // And the preflight never met the limiter.
    send(&app, preflight("/users/7", APP, "PUT", &[]))
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

#[cors(origins = ["https://app.example"], credentials = true)]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

#[tokio::test]
async fn timeout_408_is_decorated() {
    let app =
        CorsRouter::new()
            .route("/slow", route!(get(slow)))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(20),
            ));
    let r = send(&app, request("GET", "/slow", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::REQUEST_TIMEOUT);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
}

#[cors(origins = ["https://app.example"], credentials = true)]
async fn boom() -> &'static str {
    panic!("the handler failed")
}

#[tokio::test]
async fn catch_panic_500_is_decorated() {
    let app = CorsRouter::new()
        .route("/boom", route!(get(boom)))
        .layer(CatchPanicLayer::new());
    let r = send(&app, request("GET", "/boom", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::INTERNAL_SERVER_ERROR);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
}

#[tokio::test]
async fn not_found_and_method_not_allowed_get_the_router_policy() {
    let app = CorsRouter::new()
        .route("/health", get(plain))
        .layer(middleware::from_fn(require_key))
        .layer(CorsLayer::new(&APP_ONLY));
    let r = send(&app, request("GET", "/nowhere", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&[(ACAO, APP)]);
    let r = send(&app, put_with_key("/nowhere", APP)).await;
    r.assert_status(StatusCode::NOT_FOUND);
    r.assert_cors(&[(ACAO, APP)]);
    let r = send(
        &app,
        request("POST", "/health", &[(ORIGIN, APP), ("authorization", "k")]),
    )
    .await;
    r.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    r.assert_cors(&[(ACAO, APP)]);
    // A preflight to a path without routes is answered by the router policy
    // too, before the auth middleware.
    send(&app, preflight("/nowhere", APP, "GET", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAM, "GET")]);
}

// ---------------------------------------------------------------------------
// One path over several `.route()` calls, merge, two route!s, fallbacks
// ---------------------------------------------------------------------------

/// `d`'s policy refuses OTHER; the wider layer allows it with credentials.
async fn assert_delete_keeps_its_policy<T>(app: &T)
where
    T: tower::Service<
            axum::http::Request<axum::body::Body>,
            Response = Response,
            Error = std::convert::Infallible,
        > + Clone,
{
    send(app, preflight("/items/1", OTHER, "DELETE", &[]))
        .await
        .assert_preflight_rejected();
    send(app, preflight("/items/1", APP, "DELETE", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "DELETE")]);
    // GET is a plain handler: the layer's policy decorates it, but a route!
    // path never lets a layer grant a preflight.
    let r = send(app, request("GET", "/items/1", &[(ORIGIN, OTHER)])).await;
    r.assert_cors(&[(ACAO, OTHER), (ACAC, "true")]);
    send(app, preflight("/items/1", OTHER, "GET", &[]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn one_path_over_two_route_calls_keeps_the_handler_policy() {
    let app = Router::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .route("/items/{id}", get(plain))
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
    let app = CorsRouter::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .route("/items/{id}", get(plain))
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
}

#[tokio::test]
async fn merged_routers_on_one_path_keep_the_handler_policy() {
    // Both orders: axum keeps one router's 405 fallback for the path.
    let app = Router::new()
        .route("/items/{id}", get(plain))
        .merge(Router::new().route("/items/{id}", route!(delete(delete_user))))
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
    let app = Router::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .merge(Router::new().route("/items/{id}", get(plain)))
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
    let app = CorsRouter::new()
        .route("/items/{id}", get(plain))
        .merge(CorsRouter::new().route("/items/{id}", route!(delete(delete_user))))
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
}

#[tokio::test]
async fn method_not_allowed_fallback_does_not_take_preflights() {
    async fn custom_405() -> (StatusCode, &'static str) {
        (StatusCode::METHOD_NOT_ALLOWED, "custom")
    }
    let app = Router::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .method_not_allowed_fallback(custom_405)
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
    let app = CorsRouter::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .method_not_allowed_fallback(custom_405)
        .layer(CorsLayer::new(&WIDE));
    assert_delete_keeps_its_policy(&app).await;
    let r = send(&app, request("PATCH", "/items/1", &[(ORIGIN, APP)])).await;
    assert_eq!(r.text(), "custom");
}

#[test]
#[should_panic(expected = "Overlapping method route")]
fn two_route_macros_on_one_path_fail_the_build_in_a_plain_router() {
    let _ = Router::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .route("/items/{id}", route!(get(list_users)));
}

#[test]
#[should_panic(expected = "route all of a path's #[cors] handlers in one route!")]
fn two_route_macros_on_one_path_fail_the_build_in_a_cors_router() {
    let _ = CorsRouter::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .route("/items/{id}", route!(get(list_users)));
}

#[test]
#[should_panic(expected = "route all of a path's #[cors] handlers in one route!")]
fn merging_two_route_macros_on_one_path_fails_the_build() {
    let _ = CorsRouter::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .merge(CorsRouter::new().route("/items/{id}", route!(get(list_users))));
}

#[test]
#[should_panic(expected = "is routed again after a CorsLayer was added over it")]
fn routing_a_path_again_under_another_layer_fails_the_build() {
    let _ = CorsRouter::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .layer(CorsLayer::new(&WIDE))
        .route("/items/{id}", get(plain));
}

/// A `static`, so that both layers below hold the very same policy (two
/// borrows of a `const` need not share an address).
static SHARED_WIDE: CorsPolicy = WIDE;

#[tokio::test]
async fn merging_a_path_under_the_same_layer_policy_on_both_sides_is_accepted() {
    // Each router's path sits under a layer of the same policy: whichever
    // router axum takes a request from, the same policy governs it.
    let app = CorsRouter::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .layer(CorsLayer::new(&SHARED_WIDE))
        .merge(
            CorsRouter::new()
                .route("/items/{id}", get(plain))
                .layer(CorsLayer::new(&SHARED_WIDE)),
        );
    assert_delete_keeps_its_policy(&app).await;
}

#[tokio::test]
async fn the_same_policy_at_two_addresses_is_the_same_policy() {
    // Two policies with WIDE's keys built at start-up live at two
    // addresses, as two borrows of one `const` may: still the same policy.
    let build = || {
        CorsPolicy::builder()
            .origins(["https://app.example", "https://other.example"])
            .methods(["GET", "PUT", "DELETE"])
            .headers(["authorization"])
            .credentials(true)
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    assert!(!std::ptr::eq(a, b));
    let app = CorsRouter::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .layer(CorsLayer::new(a))
        .merge(
            CorsRouter::new()
                .route("/items/{id}", get(plain))
                .layer(CorsLayer::new(b)),
        );
    assert_delete_keeps_its_policy(&app).await;
}

#[test]
#[should_panic(expected = "is routed again after a CorsLayer was added over it")]
fn merging_a_path_under_layers_of_other_policies_fails_the_build() {
    // As many layers on both sides, but not the same policy: the path's
    // methods would sit under different router-wide policies.
    let _ = CorsRouter::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .layer(CorsLayer::new(&SHARED_WIDE))
        .merge(
            CorsRouter::new()
                .route("/items/{id}", get(plain))
                .layer(CorsLayer::new(&APP_ONLY)),
        );
}

#[test]
#[should_panic(expected = "a CorsLayer is hidden inside")]
fn a_cors_layer_hidden_in_a_stack_fails_the_build() {
    let _ = CorsRouter::<()>::new()
        .route("/items/{id}", route!(delete(delete_user)))
        .layer((CorsLayer::new(&WIDE), CatchPanicLayer::new()));
}

#[test]
#[should_panic(expected = "a CorsLayer is hidden inside")]
fn a_cors_layer_inside_a_method_router_fails_the_build() {
    let _ = CorsRouter::<()>::new().route(
        "/items/{id}",
        route!(delete(delete_user)).layer(CorsLayer::new(&WIDE)),
    );
}

// ---------------------------------------------------------------------------
// Nested layers: the innermost decides
// ---------------------------------------------------------------------------

async fn assert_inner_layer_decides<T>(app: &T)
where
    T: tower::Service<
            axum::http::Request<axum::body::Body>,
            Response = Response,
            Error = std::convert::Infallible,
        > + Clone,
{
    let r = send(app, request("GET", "/api/items", &[(ORIGIN, EVIL)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    let r = send(app, request("GET", "/api/items", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP)]);
    assert_eq!(r.lines(ACAO).len(), 1, "{}", r.context);
    send(app, preflight("/api/items", EVIL, "GET", &[]))
        .await
        .assert_preflight_rejected();
    // Outside the nested router the outer `*` applies.
    let r = send(app, request("GET", "/health", &[(ORIGIN, EVIL)])).await;
    r.assert_cors(&[(ACAO, "*")]);
}

#[tokio::test]
async fn nested_layers_let_the_innermost_decide() {
    let api = Router::new()
        .route("/items", get(plain))
        .layer(CorsLayer::new(&APP_ONLY));
    let app = Router::new()
        .route("/health", get(plain))
        .nest("/api", api)
        .layer(CorsLayer::new(&STAR));
    assert_inner_layer_decides(&app).await;

    let api = CorsRouter::new()
        .route("/items", get(plain))
        .layer(CorsLayer::new(&APP_ONLY));
    let app = CorsRouter::new()
        .route("/health", get(plain))
        .nest("/api", api)
        .layer(CorsLayer::new(&STAR));
    assert_inner_layer_decides(&app).await;
}

#[tokio::test]
async fn a_nested_router_fallback_keeps_its_layer() {
    async fn gone() -> (StatusCode, &'static str) {
        (StatusCode::NOT_FOUND, "api: nothing here")
    }
    let api = CorsRouter::new()
        .route("/items", get(plain))
        .fallback(gone)
        .layer(CorsLayer::new(&APP_ONLY));
    let app = CorsRouter::new()
        .nest("/api", api)
        .layer(CorsLayer::new(&STAR));
    let r = send(&app, request("GET", "/api/nothing", &[(ORIGIN, EVIL)])).await;
    assert_eq!(r.text(), "api: nothing here");
    r.assert_no_cors();
    let r = send(&app, request("GET", "/api/nothing", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP)]);
    let r = send(&app, request("GET", "/elsewhere", &[(ORIGIN, EVIL)])).await;
    r.assert_status(StatusCode::NOT_FOUND);
    r.assert_cors(&[(ACAO, "*")]);
}

#[tokio::test]
async fn a_fallback_set_after_a_layer_is_not_under_it() {
    // As in axum: `.layer(..)` wraps what was there, not what comes after.
    async fn gone() -> (StatusCode, &'static str) {
        (StatusCode::NOT_FOUND, "gone")
    }
    let app = CorsRouter::new()
        .route("/health", get(plain))
        .layer(CorsLayer::new(&STAR))
        .fallback(gone);
    let r = send(&app, request("GET", "/nowhere", &[(ORIGIN, EVIL)])).await;
    assert_eq!(r.text(), "gone");
    r.assert_no_cors();
    let r = send(&app, request("GET", "/health", &[(ORIGIN, EVIL)])).await;
    r.assert_cors(&[(ACAO, "*")]);
    // Set before the layer, it is under it.
    let app = CorsRouter::new()
        .route("/health", get(plain))
        .fallback(gone)
        .layer(CorsLayer::new(&STAR));
    let r = send(&app, request("GET", "/nowhere", &[(ORIGIN, EVIL)])).await;
    r.assert_cors(&[(ACAO, "*")]);
}

// ---------------------------------------------------------------------------
// `any`
// ---------------------------------------------------------------------------

#[cors(origins = ["https://app.example"], methods = [GET, DELETE, "PURGE"])]
async fn anything() -> &'static str {
    "any"
}

#[test]
#[should_panic(expected = "Overlapping method route")]
fn a_plain_handler_chained_after_any_fails_the_build() {
    let _: axum::routing::MethodRouter = route!(any(anything)).delete(plain);
}

#[tokio::test]
async fn any_answers_every_method_with_its_policy_and_no_empty_allow() {
    let app = Router::new().route("/any", route!(any(anything)));
    for method in ["GET", "DELETE", "PURGE"] {
        let r = send(&app, request(method, "/any", &[(ORIGIN, APP)])).await;
        r.assert_status(StatusCode::OK);
        r.assert_cors(&[(ACAO, APP)]);
        assert!(
            r.lines("allow").iter().all(|line| !line.is_empty()),
            "empty Allow on {}",
            r.context
        );
        send(&app, preflight("/any", APP, method, &[]))
            .await
            .assert_preflight_allowed(&[(ACAO, APP), (ACAM, method)]);
    }
    send(&app, preflight("/any", APP, "PATCH", &[]))
        .await
        .assert_preflight_rejected();
}

// ---------------------------------------------------------------------------
// A router-wide policy without `methods`: the safelisted methods only
// ---------------------------------------------------------------------------

async fn assert_safelisted_only<T>(app: &T)
where
    T: tower::Service<
            axum::http::Request<axum::body::Body>,
            Response = Response,
            Error = std::convert::Infallible,
        > + Clone,
{
    for method in ["GET", "HEAD", "POST"] {
        send(app, preflight("/p", APP, method, &[]))
            .await
            .assert_preflight_allowed(&[(ACAO, APP), (ACAM, method)]);
    }
    for method in ["PUT", "DELETE", "PATCH", "NEW", "PURGE"] {
        send(app, preflight("/p", APP, method, &[]))
            .await
            .assert_preflight_rejected();
    }
}

#[tokio::test]
async fn router_wide_policy_without_methods_grants_safelisted_methods_only() {
    let app = Router::new()
        .route("/p", post(plain))
        .layer(CorsLayer::new(&APP_ONLY));
    assert_safelisted_only(&app).await;
    let app = CorsRouter::new()
        .route("/p", post(plain))
        .layer(CorsLayer::new(&APP_ONLY));
    assert_safelisted_only(&app).await;
}

// ---------------------------------------------------------------------------
// The outer step with nest, merge, with_state and wildcard paths
// ---------------------------------------------------------------------------

#[cors(origins = ["https://app.example"], methods = [GET, PUT], credentials = true)]
async fn file(
    axum::extract::State(calls): axum::extract::State<Calls>,
    axum::extract::Path(path): axum::extract::Path<String>,
) -> String {
    calls.record("file");
    path
}

#[tokio::test]
async fn outer_step_follows_nest_merge_state_and_wildcards() {
    let calls = Calls::default();
    let api: CorsRouter<Calls> = CorsRouter::new()
        .route("/users/{id}", route!(get(list_users).put(update_user)))
        .merge(CorsRouter::new().route("/files/{*path}", route!(get(file).put(file))));
    let app: CorsRouter = CorsRouter::new()
        .nest("/api", api)
        .layer(middleware::from_fn(require_key))
        .with_state(calls.clone());

    send(&app, preflight("/api/users/7", APP, "PUT", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT"), (ACMA, "60")]);
    send(&app, preflight("/api/files/a/b.txt", APP, "PUT", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT")]);
    send(&app, preflight("/api/files/a/b.txt", OTHER, "PUT", &[]))
        .await
        .assert_preflight_rejected();

    let r = send(&app, request("GET", "/api/files/a/b.txt", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);

    let r = send(&app, put_with_key("/api/files/a/b.txt", APP)).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "a/b.txt");
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    assert_eq!(calls.snapshot(), ["file"]);

    // Not under /api: nothing governs it, it passes untouched.
    let r = send(&app, preflight("/users/7", APP, "PUT", &[])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_no_cors();
}

/// Records each request that reaches it, as an auth or logging middleware
/// would see it.
async fn record_call(State(calls): State<Calls>, request: Request, next: Next) -> Response {
    calls.record("middleware");
    next.run(request).await
}

/// An opaque service (a plain Router with `users()`, at `/legacy/users/{id}`)
/// under a `WIDE` layer: the service's own handler policy decides, as in a
/// plain Router, not `WIDE`.
async fn assert_the_service_s_handler_decides(app: &CorsRouter) {
    send(app, preflight("/legacy/users/7", OTHER, "PUT", &[]))
        .await
        .assert_preflight_rejected();
    send(app, preflight("/legacy/users/7", APP, "PUT", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT"), (ACMA, "60")]);
    let r = send(app, request("GET", "/legacy/users/7", &[(ORIGIN, OTHER)])).await;
    r.assert_cors(&[(ACAO, "*")]);
}

#[tokio::test]
async fn nest_service_keeps_its_own_cors_under_the_router_layer() {
    // A plain axum Router with its own route!, nested as an opaque service.
    let inner = Router::new().route("/users/{id}", users());
    let app = CorsRouter::new()
        .nest_service("/legacy", inner)
        .layer(CorsLayer::new(&WIDE));
    assert_the_service_s_handler_decides(&app).await;
    // What the service does not handle gets the router policy.
    let r = send(&app, request("GET", "/legacy/nothing", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::NOT_FOUND);
    r.assert_cors(&[(ACAO, OTHER), (ACAC, "true")]);
}

// ---------------------------------------------------------------------------
// Services and fallbacks given to CorsRouter, and what it reports of itself
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_layer_answers_preflights_for_plain_handlers_before_the_middleware() {
    let calls = Calls::default();
    let app: CorsRouter = CorsRouter::new()
        .route("/health", get(plain))
        .layer(middleware::from_fn_with_state(calls.clone(), record_call))
        .layer(CorsLayer::new(&WIDE));
    send(&app, preflight("/health", OTHER, "GET", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, OTHER), (ACAC, "true"), (ACAM, "GET")]);
    assert_eq!(calls.snapshot(), Vec::<&str>::new());
    let r = send(&app, request("GET", "/health", &[(ORIGIN, OTHER)])).await;
    assert_eq!(r.text(), "plain");
    r.assert_cors(&[(ACAO, OTHER), (ACAC, "true")]);
    assert_eq!(calls.snapshot(), ["middleware"]);
}

#[tokio::test]
async fn route_service_and_fallback_service_serve_under_the_router_policy() {
    let service = tower::service_fn(|_: Request| async {
        Ok::<_, std::convert::Infallible>("from the service")
    });
    let fallback = tower::service_fn(|_: Request| async {
        Ok::<_, std::convert::Infallible>((StatusCode::NOT_FOUND, "from the fallback"))
    });
    let app: CorsRouter = CorsRouter::new()
        .route_service("/svc", service)
        .fallback_service(fallback)
        .layer(CorsLayer::new(&STAR));
    let r = send(&app, request("GET", "/svc", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "from the service");
    r.assert_cors(&[(ACAO, "*")]);
    let r = send(&app, request("GET", "/elsewhere", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(r.text(), "from the fallback");
    r.assert_cors(&[(ACAO, "*")]);
}

#[test]
fn debug_names_the_routed_paths() {
    let app: CorsRouter = CorsRouter::new()
        .route("/users/{id}", users())
        .route("/health", get(plain));
    let debug = format!("{app:?}");
    assert!(debug.starts_with("CorsRouter"), "{debug}");
    assert!(
        debug.contains(r#"paths: ["/users/{id}", "/health"]"#),
        "{debug}"
    );
}

#[tokio::test]
async fn route_service_keeps_its_own_cors_under_the_router_layer() {
    // A plain axum Router with its own route!, routed as an opaque service
    // (axum takes a Router itself only through `nest`).
    let inner = Router::new()
        .route("/legacy/users/{id}", users())
        .into_service::<axum::body::Body>();
    let app: CorsRouter = CorsRouter::new()
        .route_service("/legacy/users/{id}", inner)
        .layer(CorsLayer::new(&WIDE));
    assert_the_service_s_handler_decides(&app).await;
}

#[tokio::test]
async fn a_nested_fallback_s_layer_answers_preflights_before_the_middleware() {
    let calls = Calls::default();
    let api = CorsRouter::new()
        .fallback(plain)
        .layer(CorsLayer::new(&WIDE));
    let app: CorsRouter = CorsRouter::new()
        .nest("/api", api)
        .layer(middleware::from_fn_with_state(calls.clone(), record_call));
    send(&app, preflight("/api/anything", OTHER, "PUT", &[]))
        .await
        .assert_preflight_allowed(&[(ACAO, OTHER), (ACAC, "true"), (ACAM, "PUT")]);
    assert_eq!(calls.snapshot(), Vec::<&str>::new());
    let r = send(&app, request("GET", "/api/anything", &[(ORIGIN, OTHER)])).await;
    assert_eq!(r.text(), "plain");
    r.assert_cors(&[(ACAO, OTHER), (ACAC, "true")]);
    assert_eq!(calls.snapshot(), ["middleware"]);
}
