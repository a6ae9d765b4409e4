//! Composition with axum: several policies on one path, nested routers,
//! `Router::with_state`, handlers in other modules, plain handlers chained
//! outside `route!`, `policy =` overrides and `any`.

mod common;

use axum::{extract::State, http::StatusCode, routing::get, Router};
use common::*;
use cors_runtime::{cors, route};

const OTHER: &str = "https://other.example";

#[tokio::test]
async fn two_policies_on_one_path_actual_requests() {
    let app = App::fixture();
    // GET /mixed: P-OPEN, any origin.
    let r = app.send(request("GET", "/mixed", &[(ORIGIN, OTHER)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, "*"), (ACEH, "x-resp")]);
    r.assert_vary(&[]);
    // DELETE /mixed: P-CRED, credentialed for APP only.
    let r = app
        .send(request("DELETE", "/mixed", &[(ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true"), (ACEH, "x-resp")]);
    r.assert_vary(&["origin"]);
    let r = app
        .send(request("DELETE", "/mixed", &[(ORIGIN, OTHER)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["mixed_get", "mixed_delete", "mixed_delete"]);
}

#[tokio::test]
async fn two_policies_on_one_path_preflights() {
    let app = App::fixture();
    let r = app
        .send(preflight("/mixed", OTHER, "GET", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "GET"), (ACAH, "x-test")]);
    app.send(preflight("/mixed", OTHER, "DELETE", &[]))
        .await
        .assert_preflight_rejected();
    let r = app.send(preflight("/mixed", APP, "DELETE", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "DELETE"), (ACMA, "600")]);
    // P-OPEN's header list does not leak into DELETE, nor P-CRED's into GET.
    app.send(preflight("/mixed", APP, "GET", &[(ACRH, "authorization")]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&[]);
}

recording_handler!(
    #[cors(policy = P_LIST)]
    user_show
);
recording_handler!(
    #[cors(policy = P_LIST)]
    user_update
);

#[tokio::test]
async fn nested_router() {
    let api = Router::new().route("/users/{id}", route!(get(user_show).put(user_update)));
    let app = App::new(Router::new().nest("/api", api));

    let r = app
        .send(preflight(
            "/api/users/7",
            APP,
            "PUT",
            &[(ACRH, "content-type")],
        ))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAM, "PUT"),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]);
    app.send(preflight("/api/users/7", EVIL, "PUT", &[]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&[]);

    let r = app
        .send(request("PUT", "/api/users/7", &[(ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
    app.assert_calls(&["user_update"]);
}

#[derive(Clone)]
struct Greeting(&'static str);

#[cors(origins = ["https://app.example"], expose_headers = ["x-resp"])]
async fn greet(State(greeting): State<Greeting>) -> &'static str {
    greeting.0
}

#[tokio::test]
async fn router_with_state_and_state_extractor() {
    let router: Router = Router::new()
        .route("/greet", route!(get(greet)))
        .with_state(Greeting("hello"));

    let r = send(&router, request("GET", "/greet", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "hello");
    r.assert_cors(&[(ACAO, APP), (ACEH, "x-resp")]);
    r.assert_vary(&["origin"]);

    let r = send(&router, preflight("/greet", APP, "GET", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "GET")]);
}

mod api {
    pub mod users {
        use cors_runtime::cors;

        #[cors(origins = ["https://app.example"], headers = ["x-test"])]
        pub async fn show() -> &'static str {
            "api::users::show"
        }

        #[cors(origins = ["https://app.example"], credentials = true)]
        pub async fn update() -> &'static str {
            "api::users::update"
        }
    }
}

#[tokio::test]
async fn handlers_in_another_module() {
    let app =
        App::new(Router::new().route("/u", route!(get(api::users::show).put(api::users::update))));

    let r = app.send(request("GET", "/u", &[(ORIGIN, APP)])).await;
    assert_eq!(r.text(), "api::users::show");
    r.assert_cors(&[(ACAO, APP)]);

    let r = app
        .send(preflight("/u", APP, "GET", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "GET"), (ACAH, "x-test")]);
    let r = app.send(preflight("/u", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT")]);
    app.send(preflight("/u", APP, "PUT", &[(ACRH, "x-test")]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn cors_handler_stays_callable_as_written() {
    assert_eq!(api::users::show().await, "api::users::show");
    assert_eq!(api::users::update().await, "api::users::update");
}

recording_handler!(
    #[cors(policy = P_LIST)]
    chained_get
);
recording_handler!(chained_plain_post);

#[tokio::test]
async fn plain_handler_chained_outside_route_has_no_cors() {
    let app =
        App::new(Router::new().route("/x", route!(get(chained_get)).post(chained_plain_post)));

    let r = app.send(request("GET", "/x", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
    let r = app.send(request("POST", "/x", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "chained_plain_post");
    r.assert_no_cors();
    // No policy covers POST on this path, so its preflight fails.
    app.send(preflight("/x", APP, "POST", &[]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&["chained_get", "chained_plain_post"]);
}

recording_handler!(
    #[cors(policy = P_LIST, origins = ["https://other.example"])]
    override_get
);

#[tokio::test]
async fn policy_keys_override_the_base_policy() {
    let app = App::new(Router::new().route("/override", route!(get(override_get))));

    let r = app
        .send(request("GET", "/override", &[(ORIGIN, OTHER)]))
        .await;
    r.assert_cors(&[(ACAO, OTHER), (ACEH, P_LIST_ACEH)]);
    let r = app
        .send(request("GET", "/override", &[(ORIGIN, APP)]))
        .await;
    r.assert_no_cors();

    let r = app
        .send(preflight("/override", OTHER, "GET", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, OTHER),
        (ACAM, "GET"),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]);
    app.send(preflight("/override", APP, "GET", &[]))
        .await
        .assert_preflight_rejected();
}

recording_handler!(
    #[cors(origins = ["https://app.example"])]
    any_handler
);

#[tokio::test]
async fn any_handler_serves_every_method() {
    let app = App::new(Router::new().route("/any", route!(any(any_handler))));
    for method in ["GET", "POST", "DELETE", "PATCH"] {
        let r = app.send(request(method, "/any", &[(ORIGIN, APP)])).await;
        r.assert_status(StatusCode::OK);
        r.assert_cors(&[(ACAO, APP)]);
        let r = app.send(preflight("/any", APP, method, &[])).await;
        r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, method)]);
    }
    app.assert_calls(&["any_handler"; 4]);
}

#[tokio::test]
async fn route_without_cors_is_untouched() {
    let app = App::new(fixture_routes().route("/health", get(|| async { "up" })));
    let r = app.send(request("GET", "/health", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&[]);
}
