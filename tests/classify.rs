//! A. Classifying requests (R1–R9).

mod common;

use axum::{http::StatusCode, Router};
use common::*;
use cors_runtime::{cors, route};

#[tokio::test]
async fn r01_request_without_origin_passes_through() {
    let app = App::fixture();
    let r = app.send(request("GET", "/list", &[])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "list_get");
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["list_get"]);
}

#[tokio::test]
async fn r01_request_without_origin_gets_star_under_any_origin_policy() {
    let app = App::fixture();
    let r = app.send(request("GET", "/open", &[])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, "*"), (ACEH, "x-resp")]);
    r.assert_vary(&[]);
    app.assert_calls(&["open_get"]);
}

#[tokio::test]
async fn r02_preflight_is_options_with_origin_and_request_method() {
    let app = App::fixture();
    let r = app.send(preflight("/list", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACMA, "600")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r03_options_without_request_method_is_routed_normally() {
    let app = App::fixture();
    let r = app
        .send(request("OPTIONS", "/list", &[(ORIGIN, APP)]))
        .await;
    // axum's answer for a method the MethodRouter does not serve.
    r.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    let mut allow = r.list_tokens("allow");
    allow.sort_unstable();
    assert_eq!(
        allow,
        ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"],
        "Allow of {}",
        r.context
    );
    r.assert_absent(&[ACAM, ACAH, ACMA, ACAPN, ACAC]);
    app.assert_calls(&[]);
}

recording_handler!(
    #[cors(policy = P_LIST)]
    wo_get
);
recording_handler!(
    #[cors(policy = P_LIST, methods = [OPTIONS])]
    wo_options
);

#[tokio::test]
async fn r03_options_without_request_method_runs_options_handler_decorated() {
    let app =
        App::new(Router::new().route("/with-options", route!(get(wo_get).options(wo_options))));

    let r = app
        .send(request("OPTIONS", "/with-options", &[(ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "wo_options");
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["wo_options"]);

    // A real preflight on the same path is still answered by the generated handling.
    let r = app.send(preflight("/with-options", APP, "GET", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "GET"), (ACMA, "600")]);
    app.assert_calls(&["wo_options"]);
}

#[tokio::test]
async fn r04_request_method_without_origin_is_not_a_preflight() {
    let app = App::fixture();
    let r = app
        .send(request("OPTIONS", "/list", &[(ACRM, "PUT")]))
        .await;
    r.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    r.assert_no_cors();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r05_request_method_on_non_options_request_is_ignored() {
    let app = App::fixture();
    let r = app
        .send(request("GET", "/list", &[(ORIGIN, APP), (ACRM, "DELETE")]))
        .await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "list_get");
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["list_get"]);
}

#[tokio::test]
async fn r06_preflight_answered_before_extractors_and_handler() {
    let app = App::fixture();
    let r = app
        .send(preflight("/auth", APP, "GET", &[(ACRH, "authorization")]))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAM, "GET"),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]);
    // Neither the `Bearer` extractor nor the handler ran.
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r07_preflight_is_never_redirected() {
    let app = App::fixture();

    let r = app.send(preflight("/list/", APP, "PUT", &[])).await;
    assert!(
        !r.status.is_redirection(),
        "preflight redirected: {}",
        r.context
    );
    r.assert_status(StatusCode::NOT_FOUND);
    r.assert_no_cors();

    let r = app.send(preflight("/list", APP, "PUT", &[])).await;
    assert!(
        !r.status.is_redirection(),
        "preflight redirected: {}",
        r.context
    );
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACMA, "600")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r08_preflight_uses_policy_of_requested_method() {
    let app = App::fixture();
    let r = app
        .send(preflight(
            "/mixed",
            APP,
            "DELETE",
            &[(ACRH, "authorization")],
        ))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAC, "true"),
        (ACAM, "DELETE"),
        (ACAH, "x-test, authorization"),
        (ACMA, "600"),
    ]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r08_preflight_does_not_borrow_policy_of_other_method_on_same_path() {
    let app = App::fixture();
    // P-OPEN (GET) allows any origin, P-CRED (DELETE) does not.
    let r = app
        .send(preflight(
            "/mixed",
            "https://other.example",
            "DELETE",
            &[(ACRH, "authorization")],
        ))
        .await;
    r.assert_preflight_rejected();

    let r = app
        .send(preflight("/mixed", "https://other.example", "GET", &[]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "GET")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r08_preflight_resolves_path_parameters() {
    let app = App::fixture();
    let r = app
        .send(preflight("/items/42", APP, "PUT", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAM, "PUT"),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]);

    let r = app.send(preflight("/items/42", EVIL, "PUT", &[])).await;
    r.assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r09_preflight_for_unrouted_method_fails() {
    let app = App::fixture();
    let r = app.send(preflight("/only-get", APP, "DELETE", &[])).await;
    r.assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r09_preflight_to_unknown_path_fails() {
    let app = App::fixture();
    let r = app
        .send(preflight("/does-not-exist", APP, "PUT", &[]))
        .await;
    r.assert_status(StatusCode::NOT_FOUND);
    r.assert_no_cors();
}

#[tokio::test]
async fn r09_preflight_to_route_without_policy_fails() {
    let app = App::fixture();
    let r = app
        .send(preflight("/nocors", APP, "GET", &[(ACRH, "x-test")]))
        .await;
    r.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    r.assert_no_cors();
    app.assert_calls(&[]);
}
