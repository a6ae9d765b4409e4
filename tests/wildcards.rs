//! D–E with wildcard policies and extension methods: forbidden methods,
//! custom method tokens, `headers = "*"` vs `Authorization`, forbidden request
//! headers (R25, R26, R29, R31).

mod common;

use axum::{http::StatusCode, routing::any, Router};
use common::*;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};

// P-HSTAR: any origin, any method, any header (non-credentialed).
recording_handler!(
    #[cors(origins = "*", methods = "*", headers = "*")]
    hstar_any
);
// P-HAUTH: any origin, any header plus Authorization.
recording_handler!(
    #[cors(origins = "*", headers = ["*", "authorization"])]
    hauth_post
);
// An extension method named by a policy. `route!(any(..))` refuses an explicit
// `methods` list (it routes every method), so the policy is the router-wide one.
const PURGE: CorsPolicy = policy!(origins = ["https://app.example"], methods = [GET, "PURGE"]);
recording_handler!(purge_any);

fn app() -> App {
    App::new(
        fixture_routes()
            .route("/hstar", route!(any(hstar_any)))
            .route("/hauth", route!(post(hauth_post))),
    )
}

fn purge_app() -> App {
    App::new(
        Router::new()
            .route("/purge", any(purge_any))
            .layer(CorsLayer::new(&PURGE)),
    )
}

#[tokio::test]
async fn r25_forbidden_methods_are_never_granted() {
    let app = app();
    for method in ["TRACE", "CONNECT", "TRACK"] {
        app.send(preflight("/hstar", APP, method, &[]))
            .await
            .assert_preflight_rejected();
        app.send(preflight("/list", APP, method, &[]))
            .await
            .assert_preflight_rejected();
    }
    // Sanity: the same route grants an ordinary method.
    let r = app.send(preflight("/hstar", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "PUT")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r26_any_method_policy_grants_extension_methods() {
    let app = app();
    for method in ["NEW", "PURGE", "CHICKEN"] {
        let r = app.send(preflight("/hstar", APP, method, &[])).await;
        r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, method)]);
    }
    // Not named by P-LIST, not routed on `/list`.
    for method in ["NEW", "PURGE"] {
        app.send(preflight("/list", APP, method, &[]))
            .await
            .assert_preflight_rejected();
    }
    let r = app.send(request("NEW", "/hstar", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, "*")]);
    app.assert_calls(&["hstar_any"]);
}

#[tokio::test]
async fn r26_extension_methods_are_granted_only_when_named() {
    let app = purge_app();
    let r = app.send(preflight("/purge", APP, "PURGE", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PURGE")]);
    for method in ["NEW", "purge", "DELETE"] {
        app.send(preflight("/purge", APP, method, &[]))
            .await
            .assert_preflight_rejected();
    }
    // (Whether the plain handler behind the layer runs on these preflights is
    // layer.rs's `layer_preflight_never_runs_plain_handlers`.)

    let r = app.send(request("PURGE", "/purge", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "purge_any");
    r.assert_cors(&[(ACAO, APP)]);
    r.assert_vary(&["origin"]);
}

#[tokio::test]
async fn r29_authorization_is_not_covered_by_star() {
    let app = app();
    let r = app
        .send(preflight(
            "/hstar",
            APP,
            "POST",
            &[(ACRH, "x-anything,x-other")],
        ))
        .await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "POST"), (ACAH, "*")]);
    for acrh in ["authorization", "Authorization", "x-anything,authorization"] {
        app.send(preflight("/hstar", APP, "POST", &[(ACRH, acrh)]))
            .await
            .assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r29_star_plus_authorization_names_authorization() {
    let app = app();
    for acrh in [
        "authorization",
        "Authorization",
        "x-anything,authorization",
        "x-anything",
    ] {
        let r = app
            .send(preflight("/hauth", APP, "POST", &[(ACRH, acrh)]))
            .await;
        r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "POST"), (ACAH, "*, authorization")]);
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r31_forbidden_request_headers_are_never_granted_under_star() {
    let app = app();
    let forbidden = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
        "proxy-authorization",
        "proxy-anything",
        "sec-fetch-mode",
        "sec-anything",
        "Cookie",
        "SEC-FETCH-SITE",
        "Proxy-Connection",
    ];
    for name in forbidden {
        let acrh = format!("x-test,{name}");
        for path in ["/hstar", "/hauth"] {
            let r = app
                .send(preflight(path, APP, "POST", &[(ACRH, &acrh)]))
                .await;
            r.assert_preflight_rejected();
        }
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r31_star_policy_serves_ordinary_headers() {
    // Counterpart of the test above: the prefix rules do not catch lookalikes.
    let app = App::new(Router::new().route("/hstar", route!(any(hstar_any))));
    for acrh in ["x-sec-token", "proxyish", "x-cookie", "hosts", "dnt-x"] {
        let r = app
            .send(preflight("/hstar", APP, "PUT", &[(ACRH, acrh)]))
            .await;
        r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "PUT"), (ACAH, "*")]);
    }
}
