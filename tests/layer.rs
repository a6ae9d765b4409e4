//! `CorsLayer::new(&POLICY)` as a router-wide default next to `route!`.
//!
//! Precedence (the crate docs' "Precedence"): on a `route!` path the handler's policy wins, and
//! preflights reach the generated handling whatever the layer's policy; other
//! paths get the layer's policy.

mod common;

use axum::{
    http::StatusCode,
    routing::{any, get},
    Router,
};
use common::*;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};

const LAYER_ORIGIN: &str = "https://layer.example";

const LAYER: CorsPolicy = policy!(
    origins = ["https://layer.example"],
    methods = [GET, POST],
    headers = ["x-layer"],
    expose_headers = ["x-layer-resp"],
    max_age = 60
);

const ROUTED: CorsPolicy = policy!(
    origins = ["https://app.example"],
    headers = ["x-test"],
    expose_headers = ["x-resp"],
    max_age = 600
);

recording_handler!(
    #[cors(policy = ROUTED)]
    routed_get
);
recording_handler!(
    #[cors(policy = ROUTED)]
    routed_put
);
recording_handler!(plain_get);
recording_handler!(plain_post);

fn app() -> App {
    App::new(
        Router::new()
            .route("/routed", route!(get(routed_get).put(routed_put)))
            .route("/plain", get(plain_get).post(plain_post))
            .layer(CorsLayer::new(&LAYER)),
    )
}

#[tokio::test]
async fn layer_decorates_paths_without_route_macro() {
    let app = app();
    let r = app
        .send(request("GET", "/plain", &[(ORIGIN, LAYER_ORIGIN)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, LAYER_ORIGIN), (ACEH, "x-layer-resp")]);
    r.assert_vary(&["origin"]);

    let r = app.send(request("POST", "/plain", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);

    let r = app.send(request("GET", "/plain", &[])).await;
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["plain_get", "plain_post", "plain_get"]);
}

#[tokio::test]
async fn layer_answers_preflights_for_paths_without_route_macro() {
    let app = app();
    let r = app
        .send(preflight(
            "/plain",
            LAYER_ORIGIN,
            "POST",
            &[(ACRH, "x-layer")],
        ))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, LAYER_ORIGIN),
        (ACAM, "POST"),
        (ACAH, "x-layer"),
        (ACMA, "60"),
    ]);
    app.send(preflight("/plain", APP, "POST", &[]))
        .await
        .assert_preflight_rejected();
    app.send(preflight("/plain", LAYER_ORIGIN, "PUT", &[]))
        .await
        .assert_preflight_rejected();
    app.send(preflight(
        "/plain",
        LAYER_ORIGIN,
        "GET",
        &[(ACRH, "x-test")],
    ))
    .await
    .assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn route_macro_policy_wins_for_actual_requests() {
    let app = app();
    let r = app.send(request("GET", "/routed", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACEH, "x-resp")]);
    // Vary: origin once, not once per layer.
    r.assert_vary(&["origin"]);

    let r = app
        .send(request("PUT", "/routed", &[(ORIGIN, LAYER_ORIGIN)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["routed_get", "routed_put"]);
}

#[tokio::test]
async fn route_macro_policy_wins_for_preflights() {
    let app = app();
    let r = app
        .send(preflight("/routed", APP, "PUT", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACAH, "x-test"), (ACMA, "600")]);
    // The layer would allow these; the route's policy refuses them.
    app.send(preflight("/routed", LAYER_ORIGIN, "GET", &[]))
        .await
        .assert_preflight_rejected();
    app.send(preflight("/routed", APP, "GET", &[(ACRH, "x-layer")]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn preflights_on_route_macro_paths_reach_generated_handling() {
    let app = app();
    // POST is allowed by the layer but not routed on `/routed`.
    for origin in [APP, LAYER_ORIGIN] {
        app.send(preflight("/routed", origin, "POST", &[]))
            .await
            .assert_preflight_rejected();
        app.send(preflight("/routed", origin, "DELETE", &[]))
            .await
            .assert_preflight_rejected();
    }
}

recording_handler!(
    #[cors(policy = ROUTED)]
    nested_get
);

#[tokio::test]
async fn layer_over_nested_routers() {
    let inner = Router::new()
        .route("/routed", route!(get(nested_get)))
        .route("/plain", get(plain_get));
    let app = App::new(
        Router::new()
            .nest("/v1", inner)
            .layer(CorsLayer::new(&LAYER)),
    );

    let r = app
        .send(request("GET", "/v1/routed", &[(ORIGIN, APP)]))
        .await;
    r.assert_cors(&[(ACAO, APP), (ACEH, "x-resp")]);
    let r = app
        .send(request("GET", "/v1/plain", &[(ORIGIN, LAYER_ORIGIN)]))
        .await;
    r.assert_cors(&[(ACAO, LAYER_ORIGIN), (ACEH, "x-layer-resp")]);
    let r = app.send(preflight("/v1/routed", APP, "GET", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "GET"), (ACMA, "600")]);
    let r = app
        .send(preflight("/v1/plain", LAYER_ORIGIN, "GET", &[]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, LAYER_ORIGIN), (ACAM, "GET"), (ACMA, "60")]);
    app.assert_calls(&["nested_get", "plain_get"]);
}

recording_handler!(plain_any);
recording_handler!(plain_options);

#[tokio::test]
async fn layer_answers_preflights_on_plain_routes() {
    // Documented limitation (`CorsLayer` docs): the layer passes a preflight
    // inward so that a `route!` handler can answer it, so a plain `any` or
    // `options` handler sees it first. The client still gets the layer's answer.
    // Plain handlers that accept OPTIONS: `any`, and an explicit `options`.
    let app = App::new(
        Router::new()
            .route("/any-plain", any(plain_any))
            .route("/options-plain", get(plain_get).options(plain_options))
            .layer(CorsLayer::new(&LAYER)),
    );
    for path in ["/any-plain", "/options-plain"] {
        let r = app.send(preflight(path, LAYER_ORIGIN, "GET", &[])).await;
        r.assert_preflight_allowed(&[(ACAO, LAYER_ORIGIN), (ACAM, "GET"), (ACMA, "60")]);
        app.send(preflight(path, APP, "GET", &[]))
            .await
            .assert_preflight_rejected();
    }
}

const PUT_ONLY: CorsPolicy = policy!(origins = ["https://layer.example"], methods = [PUT]);

#[tokio::test]
async fn layer_refuses_methods_outside_its_list_but_safelisted() {
    let app = App::new(
        Router::new()
            .route("/p", any(plain_any))
            .layer(CorsLayer::new(&PUT_ONLY)),
    );
    let r = app.send(preflight("/p", LAYER_ORIGIN, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, LAYER_ORIGIN), (ACAM, "PUT")]);
    // CORS-safelisted methods need no `methods` entry (Fetch; R22): browsers
    // send them without checking `Access-Control-Allow-Methods`.
    for method in ["GET", "HEAD", "POST"] {
        let r = app.send(preflight("/p", LAYER_ORIGIN, method, &[])).await;
        r.assert_preflight_allowed(&[(ACAO, LAYER_ORIGIN), (ACAM, method)]);
    }
    app.send(preflight("/p", LAYER_ORIGIN, "DELETE", &[]))
        .await
        .assert_preflight_rejected();
}

recording_handler!(
    #[cors(policy = ROUTED)]
    half_get
);

#[tokio::test]
async fn plain_method_on_route_macro_path_under_layer() {
    let app = App::new(
        Router::new()
            .route("/half", route!(get(half_get)).post(plain_post))
            .layer(CorsLayer::new(&LAYER)),
    );
    // The plain POST handler's responses get the layer's policy ...
    let r = app
        .send(request("POST", "/half", &[(ORIGIN, LAYER_ORIGIN)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, LAYER_ORIGIN), (ACEH, "x-layer-resp")]);
    // ... but its preflight is answered on the route! path, where the handlers'
    // policies decide and none covers POST (documented on `CorsLayer`).
    app.send(preflight("/half", LAYER_ORIGIN, "POST", &[]))
        .await
        .assert_preflight_rejected();
    // GET keeps the handler's own policy.
    let r = app.send(request("GET", "/half", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP), (ACEH, "x-resp")]);
    app.assert_calls(&["plain_post", "half_get"]);
}

/// A service that, like `tower`'s concurrency limit, takes what `poll_ready`
/// reserved: called without it, it panics; until it is opened, it is not
/// ready. A clone has nothing reserved.
struct Reserving {
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    reserved: bool,
}

impl Clone for Reserving {
    fn clone(&self) -> Self {
        Self {
            open: self.open.clone(),
            reserved: false,
        }
    }
}

impl tower::Service<axum::http::Request<axum::body::Body>> for Reserving {
    type Response = axum::http::Response<axum::body::Body>;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        if !self.open.load(std::sync::atomic::Ordering::SeqCst) {
            return std::task::Poll::Pending;
        }
        self.reserved = true;
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: axum::http::Request<axum::body::Body>) -> Self::Future {
        assert!(
            std::mem::take(&mut self.reserved),
            "called without poll_ready"
        );
        std::future::ready(Ok(axum::http::Response::new(axum::body::Body::from(
            "reserved",
        ))))
    }
}

#[tokio::test]
async fn the_layer_passes_on_the_readiness_of_the_service_it_wraps() {
    // Tower's contract: `poll_ready` before `call`, and back-pressure from
    // the wrapped service (a concurrency or rate limit) reaches the caller.
    use tower::{Layer as _, Service as _};
    let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut service = CorsLayer::new(&LAYER).layer(Reserving {
        open: open.clone(),
        reserved: false,
    });
    let pending =
        std::future::poll_fn(|cx| std::task::Poll::Ready(service.poll_ready(cx).is_pending()))
            .await;
    assert!(pending, "ready while the wrapped service is not");
    open.store(true, std::sync::atomic::Ordering::SeqCst);
    // `send` clones the layer's service, then `poll_ready`, then `call`.
    let r = send(&service, request("GET", "/", &[(ORIGIN, LAYER_ORIGIN)])).await;
    assert_eq!(r.text(), "reserved");
    r.assert_cors(&[(ACAO, LAYER_ORIGIN), (ACEH, "x-layer-resp")]);
}
