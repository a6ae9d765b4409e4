//! D–F and H. Preflight method and header checks, response shape, Private
//! Network Access (R21–R24, R27, R28, R30, R32–R35, R41).

mod common;

use axum::{http::StatusCode, Router};
use common::*;
use cors_runtime::{cors, route};

/// The allowed P-LIST preflight for `method` without request headers.
fn p_list_allowed(method: &str) -> [(&str, &str); 3] {
    [(ACAO, APP), (ACAM, method), (ACMA, "600")]
}

/// The allowed P-LIST preflight for `method` with request headers.
fn p_list_allowed_with_headers(method: &str) -> [(&str, &str); 4] {
    [
        (ACAO, APP),
        (ACAM, method),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]
}

#[tokio::test]
async fn r21_request_method_is_case_sensitive() {
    let app = App::fixture();
    let r = app.send(preflight("/list", APP, "PATCH", &[])).await;
    r.assert_preflight_allowed(&p_list_allowed("PATCH"));
    for method in ["patch", "put", "Delete", "Put", "pATCH"] {
        app.send(preflight("/list", APP, method, &[]))
            .await
            .assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r22_safelisted_request_method_still_checks_origin_and_headers() {
    let app = App::fixture();
    for method in ["GET", "POST"] {
        let r = app
            .send(preflight("/list", APP, method, &[(ACRH, "x-test")]))
            .await;
        r.assert_preflight_allowed(&p_list_allowed_with_headers(method));
        app.send(preflight("/list", EVIL, method, &[(ACRH, "x-test")]))
            .await
            .assert_preflight_rejected();
        app.send(preflight("/list", APP, method, &[(ACRH, "x-other")]))
            .await
            .assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r22_head_request_method_uses_get_policy() {
    let app = App::fixture();
    let r = app
        .send(preflight("/list", APP, "HEAD", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&p_list_allowed_with_headers("HEAD"));
    app.send(preflight("/list", EVIL, "HEAD", &[]))
        .await
        .assert_preflight_rejected();
    // `/cred` routes GET under P-CRED: HEAD follows it.
    let r = app.send(preflight("/cred", APP, "HEAD", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAC, "true"), (ACAM, "HEAD"), (ACMA, "600")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r23_allow_methods_is_the_single_requested_token() {
    let app = App::fixture();
    for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
        let r = app.send(preflight("/list", APP, method, &[])).await;
        r.assert_preflight_allowed(&p_list_allowed(method));
        assert!(
            r.list_tokens(ACAM).iter().all(|m| is_token(m)),
            "ACAM of {}",
            r.context
        );
    }
}

#[tokio::test]
async fn r24_request_method_that_is_not_a_token_is_refused() {
    let app = App::fixture();
    for method in [
        "PUT, DELETE",
        "PUT,DELETE",
        "",
        "P UT",
        "PUT\tDELETE",
        "PUT;DELETE",
        "DELETE\"",
        "GET,",
    ] {
        let r = app.send(preflight("/list", APP, method, &[])).await;
        r.assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r27_request_headers_are_a_case_insensitive_list_with_ows() {
    let app = App::fixture();
    for acrh in [
        "content-type,x-test",
        "X-Test",
        "x-test , content-type",
        "x-test,\tcontent-type ",
        "CONTENT-TYPE,Authorization,x-TEST",
        "x-test,,content-type,",
        "x-test,x-test",
    ] {
        let r = app
            .send(preflight("/list", APP, "PUT", &[(ACRH, acrh)]))
            .await;
        r.assert_preflight_allowed(&p_list_allowed_with_headers("PUT"));
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r27_any_disallowed_request_header_fails_the_preflight() {
    let app = App::fixture();
    for acrh in [
        "x-test,x-other",
        "x-other",
        "content-type,x-test,x-tests",
        "x-tes",
        "accept",
        // Upper case is compared case-insensitively, and still refused when unlisted.
        "X-Other",
        "Content-Type,X-Tes",
    ] {
        app.send(preflight("/list", APP, "PUT", &[(ACRH, acrh)]))
            .await
            .assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r27_request_headers_over_several_lines_are_combined() {
    let app = App::fixture();
    let r = app
        .send(preflight(
            "/list",
            APP,
            "PUT",
            &[(ACRH, "x-test"), (ACRH, "content-type")],
        ))
        .await;
    r.assert_preflight_allowed(&p_list_allowed_with_headers("PUT"));
    let r = app
        .send(preflight(
            "/list",
            APP,
            "PUT",
            &[(ACRH, "x-test"), (ACRH, "x-other")],
        ))
        .await;
    r.assert_preflight_rejected();
}

#[tokio::test]
async fn r28_allow_headers_is_the_policy_list_of_tokens() {
    let app = App::fixture();
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, "x-test")]))
        .await;
    r.assert_preflight_allowed(&p_list_allowed_with_headers("PUT"));
    assert!(
        r.list_tokens(ACAH).iter().all(|h| is_token(h)),
        "ACAH of {}",
        r.context
    );

    for acrh in [
        "x-test,header name with space",
        "x-test,x(y)",
        "x-test,a:b",
        "x-test,\"x\"",
    ] {
        app.send(preflight("/list", APP, "PUT", &[(ACRH, acrh)]))
            .await
            .assert_preflight_rejected();
    }
}

recording_handler!(
    #[cors(origins = ["https://app.example"], headers = ["X-Custom", "Content-Type"], max_age = 0)]
    case_put
);

fn case_app() -> App {
    App::new(Router::new().route("/case", route!(put(case_put))))
}

#[tokio::test]
async fn r28_allow_headers_are_lowercase_in_policy_order() {
    let app = case_app();
    let r = app
        .send(preflight(
            "/case",
            APP,
            "PUT",
            &[(ACRH, "content-type,x-custom")],
        ))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAM, "PUT"),
        (ACAH, "x-custom, content-type"),
        (ACMA, "0"),
    ]);
}

#[tokio::test]
async fn r30_missing_or_empty_request_headers_means_no_headers() {
    let app = App::fixture();
    let r = app.send(preflight("/list", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&p_list_allowed("PUT"));
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, "")]))
        .await;
    r.assert_preflight_allowed(&p_list_allowed("PUT"));
}

#[tokio::test]
async fn r32_allowed_preflight_shape() {
    let app = App::fixture();
    let r = app
        .send(preflight(
            "/list",
            APP,
            "DELETE",
            &[(ACRH, "authorization,x-test")],
        ))
        .await;
    r.assert_preflight_allowed(&p_list_allowed_with_headers("DELETE"));

    let r = app
        .send(preflight(
            "/open",
            "https://anything.example",
            "PUT",
            &[(ACRH, "x-test")],
        ))
        .await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "PUT"), (ACAH, "x-test")]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r33_rejected_preflight_shape_for_every_reason() {
    let app = App::fixture();
    let rejected = [
        preflight("/list", EVIL, "PUT", &[]),                 // origin
        preflight("/only-get", APP, "PUT", &[]),              // method not routed
        preflight("/list", APP, "TRACE", &[]),                // forbidden method
        preflight("/list", APP, "PU T", &[]),                 // not a token
        preflight("/list", APP, "PUT", &[(ACRH, "x-other")]), // header
        preflight("/list", APP, "PUT", &[(ACRPN, "true")]),   // private network
        preflight("/auth", APP, "GET", &[(ORIGIN, APP)]),     // several Origin lines
        preflight("/cred", APP, "PUT", &[(ACRH, "content-type")]), // header of P-CRED
    ];
    for req in rejected {
        let r = app.send(req).await;
        r.assert_preflight_rejected();
        assert_ne!(r.status, StatusCode::UNAUTHORIZED);
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r34_max_age_only_when_configured_and_only_on_preflight() {
    let app = App::fixture();
    let r = app.send(preflight("/list", APP, "PUT", &[])).await;
    assert_eq!(r.lines(ACMA), ["600"], "ACMA of {}", r.context);
    let r = app.send(preflight("/open", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, "*"), (ACAM, "PUT")]);
    let r = app.send(request("GET", "/list", &[(ORIGIN, APP)])).await;
    r.assert_absent(&[ACMA]);
    r.assert_cors(&[(ACAO, APP), (ACEH, P_LIST_ACEH)]);
}

#[tokio::test]
async fn r34_max_age_zero_is_sent() {
    let app = case_app();
    let r = app.send(preflight("/case", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACMA, "0")]);
}

#[tokio::test]
async fn r35_preflight_vary_lists_origin_and_request_headers() {
    let app = App::fixture();
    for req in [
        preflight("/list", APP, "PUT", &[]),
        preflight("/list", EVIL, "PUT", &[]),
        preflight("/open", EVIL, "GET", &[]),
    ] {
        let r = app.send(req).await;
        r.assert_vary(&PREFLIGHT_VARY);
    }
}

recording_handler!(
    #[cors(origins = ["https://app.example"], methods = [PUT], private_network = true)]
    pna_put
);

fn pna_app() -> App {
    App::new(fixture_routes().route("/pna", route!(put(pna_put))))
}

#[tokio::test]
async fn r41_private_network_preflight_allowed_when_enabled() {
    let app = pna_app();
    let r = app
        .send(preflight("/pna", APP, "PUT", &[(ACRPN, "true")]))
        .await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACAPN, "true")]);
    // The CORS check still applies.
    app.send(preflight("/pna", EVIL, "PUT", &[(ACRPN, "true")]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r41_private_network_preflight_refused_when_not_enabled() {
    let app = pna_app();
    app.send(preflight("/list", APP, "PUT", &[(ACRPN, "true")]))
        .await
        .assert_preflight_rejected();
    app.send(preflight("/open", APP, "PUT", &[(ACRPN, "true")]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn r41_no_allow_private_network_unless_requested_exactly() {
    let app = pna_app();
    let r = app.send(preflight("/pna", APP, "PUT", &[])).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT")]);
    for value in ["TRUE", "True", "1", "", "false", "yes"] {
        let r = app
            .send(preflight("/pna", APP, "PUT", &[(ACRPN, value)]))
            .await;
        r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT")]);
        // Treated as absent, so policies without private_network are not refused either.
        let r = app
            .send(preflight("/list", APP, "PUT", &[(ACRPN, value)]))
            .await;
        r.assert_preflight_allowed(&p_list_allowed("PUT"));
    }
}

#[tokio::test]
async fn r41_no_allow_private_network_on_actual_responses() {
    let app = pna_app();
    let r = app
        .send(request("PUT", "/pna", &[(ORIGIN, APP), (ACRPN, "true")]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP)]);
    app.assert_calls(&["pna_put"]);
}

#[tokio::test]
async fn r41_private_network_does_not_bypass_the_header_check() {
    let app = pna_app();
    let r = app
        .send(preflight(
            "/pna",
            APP,
            "PUT",
            &[(ACRPN, "true"), (ACRH, "x-test")],
        ))
        .await;
    r.assert_preflight_rejected();
}

#[tokio::test]
async fn r41_several_private_network_lines_are_refused() {
    // Which line counts is not for the server to guess: refused like several
    // `Origin` or `Access-Control-Request-Method` lines, whatever the values.
    let app = pna_app();
    for values in [["true", "true"], ["true", "false"], ["false", "true"]] {
        let r = app
            .send(preflight(
                "/pna",
                APP,
                "PUT",
                &[(ACRPN, values[0]), (ACRPN, values[1])],
            ))
            .await;
        r.assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn r24_several_request_method_lines_are_refused() {
    let app = pna_app();
    let r = app
        .send(request(
            "OPTIONS",
            "/pna",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRM, "PUT")],
        ))
        .await;
    r.assert_preflight_rejected();
}

#[tokio::test]
async fn a_preflight_answer_is_an_empty_body_without_content_length() {
    // RFC 9110 §8.6: no `Content-Length` on a 204. The body is empty and says
    // so, so a server can end the answer with its header block.
    use axum::body::HttpBody as _;
    use cors_runtime::CorsRouter;
    use tower::ServiceExt as _;
    let routed = fixture_routes().with_state(Calls::default());
    let cors_router = CorsRouter::new()
        .route("/list", route!(get(list_get).put(list_put)))
        .with_state(Calls::default());
    for (origin, status) in [(APP, StatusCode::NO_CONTENT), (EVIL, StatusCode::FORBIDDEN)] {
        let answers = [
            (
                "route!",
                routed
                    .clone()
                    .oneshot(preflight("/list", origin, "PUT", &[]))
                    .await
                    .unwrap(),
            ),
            (
                "CorsRouter",
                cors_router
                    .clone()
                    .oneshot(preflight("/list", origin, "PUT", &[]))
                    .await
                    .unwrap(),
            ),
        ];
        for (router, answer) in answers {
            assert_eq!(answer.status(), status, "{router}, {origin}");
            assert!(
                answer.headers().get("content-length").is_none(),
                "{router}, {origin}: {:?}",
                answer.headers()
            );
            assert!(answer.body().is_end_stream(), "{router}, {origin}");
        }
    }
}
