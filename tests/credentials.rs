//! C. Credentials (R18–R20).

mod common;

use axum::{
    http::{header, StatusCode},
    Router,
};
use common::*;
use cors_runtime::{cors, route};

#[tokio::test]
async fn r18_credentialed_actual_response_carries_allow_credentials() {
    let app = App::fixture();
    let r = app.send(request("GET", "/cred", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true"), (ACEH, "x-resp")]);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["cred_get"]);
}

#[tokio::test]
async fn r18_credentialed_preflight_carries_allow_credentials() {
    let app = App::fixture();
    let r = app.send(preflight("/cred", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT"), (ACMA, "600")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r18_no_allow_credentials_without_credentials_policy() {
    let app = App::fixture();
    let r = app.send(request("GET", "/list", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
    let r = app.send(preflight("/list", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACMA, "600")]);
}

#[tokio::test]
async fn r18_no_allow_credentials_for_disallowed_origin() {
    let app = App::fixture();
    let r = app.send(request("GET", "/cred", &[(ORIGIN, EVIL)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["cred_get"]);
    app.send(preflight("/cred", EVIL, "PUT", &[]))
        .await
        .assert_preflight_rejected();
}

/// Actual requests and preflights against the credentialed handlers (P-CRED on
/// `/cred` and DELETE `/mixed`), from allowed, disallowed, `null` and no origin.
async fn credentialed_replies(app: &App) -> Vec<Reply> {
    let mut replies = Vec::new();
    for (method, path) in [
        ("GET", "/cred"),
        ("PUT", "/cred"),
        ("DELETE", "/cred"),
        ("DELETE", "/mixed"),
    ] {
        replies.push(app.send(request(method, path, &[])).await);
        for origin in [APP, EVIL, "null", "*"] {
            replies.push(app.send(request(method, path, &[(ORIGIN, origin)])).await);
            let acrh = [(ACRH, "x-test,authorization")];
            replies.push(app.send(preflight(path, origin, method, &acrh)).await);
        }
    }
    replies
}

#[tokio::test]
async fn r19_star_origin_never_with_allow_credentials() {
    let app = App::fixture();
    let mut credentialed = 0;
    for r in credentialed_replies(&app).await {
        assert!(
            !r.lines(ACAO).contains(&"*"),
            "ACAO * on credentialed route: {}",
            r.context
        );
        let acac = r.lines(ACAC);
        assert!(
            acac.is_empty() || acac == ["true"],
            "ACAC {acac:?} on {}",
            r.context
        );
        if !acac.is_empty() {
            assert_eq!(r.lines(ACAO), [APP], "ACAO with ACAC on {}", r.context);
            credentialed += 1;
        }
    }
    // Every request from APP (4 actual + 4 preflights) was credentialed.
    assert_eq!(credentialed, 8);
}

#[tokio::test]
async fn r20_no_wildcards_in_credentialed_responses() {
    let app = App::fixture();
    for r in credentialed_replies(&app).await {
        for name in [ACAM, ACAH, ACEH] {
            assert!(
                !r.list_tokens(name).contains(&"*"),
                "{name} lists * on {}",
                r.context
            );
        }
    }
    // The allowed preflight spells the headers out.
    let r = app
        .send(preflight(
            "/cred",
            APP,
            "DELETE",
            &[(ACRH, "x-test,authorization")],
        ))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAC, "true"),
        (ACAM, "DELETE"),
        (ACAH, "x-test, authorization"),
        (ACMA, "600"),
    ]);
}

/// A handler under the non-credentialed P-LIST that claims credentials itself.
#[cors(policy = P_LIST)]
async fn self_credentials() -> ([(header::HeaderName, &'static str); 2], &'static str) {
    (
        [
            (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
            (header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-secret"),
        ],
        "self_credentials",
    )
}

#[tokio::test]
async fn r18_handler_set_allow_credentials_is_replaced_by_the_policy() {
    let app = App::new(Router::new().route("/self-cred", route!(get(self_credentials))));
    let r = app
        .send(request("GET", "/self-cred", &[(ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
}
