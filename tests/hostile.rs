//! Hostile input: never a panic, refused as the crate docs' "Runtime behaviour" says.

mod common;

use axum::http::StatusCode;
use common::*;

const KIB_64: usize = 64 * 1024;

#[tokio::test]
async fn several_origin_lines_on_actual_request_get_no_cors_headers() {
    let app = App::fixture();
    for origins in [[APP, APP], [APP, EVIL], [EVIL, APP]] {
        let r = app
            .send(request(
                "GET",
                "/list",
                &[(ORIGIN, origins[0]), (ORIGIN, origins[1])],
            ))
            .await;
        r.assert_status(StatusCode::OK);
        r.assert_no_cors();
        r.assert_vary(&["origin"]);
    }
    app.assert_calls(&["list_get"; 3]);
}

#[tokio::test]
async fn several_origin_lines_on_preflight_are_rejected() {
    let app = App::fixture();
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ORIGIN, APP)]))
        .await;
    r.assert_preflight_rejected();

    let many: Vec<(&str, &str)> = std::iter::repeat_n((ORIGIN, APP), 1000).collect();
    let r = app.send(preflight("/list", APP, "PUT", &many)).await;
    r.assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn several_origin_lines_under_any_origin_policy() {
    let app = App::fixture();
    // Actual request: `*` goes on every response of an any-origin policy.
    let r = app
        .send(request("GET", "/open", &[(ORIGIN, APP), (ORIGIN, EVIL)]))
        .await;
    r.assert_cors(&[(ACAO, "*"), (ACEH, "x-resp")]);
    // Preflight: several Origin lines are a listed reason for rejection.
    let r = app
        .send(preflight("/open", APP, "PUT", &[(ORIGIN, EVIL)]))
        .await;
    r.assert_preflight_rejected();
    app.assert_calls(&["open_get"]);
}

#[tokio::test]
async fn origin_list_in_one_line_is_refused() {
    let app = App::fixture();
    for origin in [
        "https://app.example, https://app.example",
        "https://app.example,https://admin.example:8443",
    ] {
        let r = app.send(request("GET", "/list", &[(ORIGIN, origin)])).await;
        r.assert_no_cors();
        app.send(preflight("/list", origin, "PUT", &[]))
            .await
            .assert_preflight_rejected();
    }
}

/// Origin values that are not visible ASCII (obs-text, invalid UTF-8).
const OBS_TEXT_ORIGINS: [&[u8]; 5] = [
    b"https://app.example\xff",
    b"https://r\xc3\xa9sum\xc3\xa9.example", // UTF-8 of the IDN whose punycode P-LIST lists
    b"https://app.exampl\xe9",
    b"\xff\xfe",
    b"https://\x80.example",
];

#[tokio::test]
async fn non_ascii_origin_on_actual_request_gets_no_cors_headers() {
    let app = App::fixture();
    for origin in OBS_TEXT_ORIGINS {
        let r = app
            .send(request_bytes("GET", "/list", &[(ORIGIN, origin)]))
            .await;
        r.assert_status(StatusCode::OK);
        r.assert_no_cors();
        r.assert_vary(&["origin"]);
    }
    assert_eq!(app.calls().len(), OBS_TEXT_ORIGINS.len());
}

#[tokio::test]
async fn non_ascii_origin_on_preflight_is_rejected() {
    let app = App::fixture();
    for origin in OBS_TEXT_ORIGINS {
        let r = app
            .send(request_bytes(
                "OPTIONS",
                "/list",
                &[(ORIGIN, origin), (ACRM, b"PUT")],
            ))
            .await;
        r.assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn non_ascii_request_headers_are_rejected() {
    let app = App::fixture();
    let values: [&[u8]; 4] = [
        b"x-test,\xff",
        b"x-t\xc3\xa9st",
        b"\x80",
        b"x-test, content-type\xa0",
    ];
    for acrh in values {
        let headers: [(&str, &[u8]); 3] = [(ORIGIN, APP.as_bytes()), (ACRM, b"PUT"), (ACRH, acrh)];
        let r = app.send(request_bytes("OPTIONS", "/list", &headers)).await;
        r.assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn non_ascii_request_method_is_rejected() {
    let app = App::fixture();
    let values: [&[u8]; 3] = [b"PU\xffT", b"P\xc3\x9cT", b"\xff"];
    for acrm in values {
        let headers: [(&str, &[u8]); 2] = [(ORIGIN, APP.as_bytes()), (ACRM, acrm)];
        let r = app.send(request_bytes("OPTIONS", "/list", &headers)).await;
        r.assert_preflight_rejected();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn non_ascii_private_network_request_is_treated_as_absent() {
    let app = App::fixture();
    let headers: [(&str, &[u8]); 3] = [
        (ORIGIN, APP.as_bytes()),
        (ACRM, b"PUT"),
        (ACRPN, b"true\xff"),
    ];
    let r = app.send(request_bytes("OPTIONS", "/list", &headers)).await;
    r.assert_preflight_allowed(&[(ACAO, APP), (ACAM, "PUT"), (ACMA, "600")]);
}

#[tokio::test]
async fn huge_comma_only_request_headers_do_not_panic() {
    // The Fetch standard: empty elements are ignored, so this requests no header at all.
    let app = App::fixture();
    let commas = ",".repeat(KIB_64);
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, &commas)]))
        .await;
    r.assert_status(StatusCode::NO_CONTENT);
    assert!(r.body.is_empty());
    r.assert_vary(&PREFLIGHT_VARY);
    // The header value is non-empty, so whether ACAH is sent is the one open point.
    let acah = r.lines(ACAH);
    assert!(
        acah.is_empty() || acah == [P_LIST_ACAH],
        "ACAH of comma-only ACRH: {acah:?}"
    );
    assert_eq!(r.lines(ACAO), [APP]);
    assert_eq!(r.lines(ACAM), ["PUT"]);
    assert_eq!(r.lines(ACMA), ["600"]);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn huge_request_headers_of_allowed_names_are_allowed() {
    let app = App::fixture();
    let names = "x-test, Content-Type,".repeat(KIB_64 / 21);
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, &names)]))
        .await;
    r.assert_preflight_allowed(&[
        (ACAO, APP),
        (ACAM, "PUT"),
        (ACAH, P_LIST_ACAH),
        (ACMA, "600"),
    ]);
}

#[tokio::test]
async fn huge_request_headers_with_one_disallowed_name_are_rejected() {
    let app = App::fixture();
    let names = format!("{}x-other", "x-test,".repeat(KIB_64 / 7));
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, &names)]))
        .await;
    r.assert_preflight_rejected();
    let long_name = "x".repeat(KIB_64);
    let r = app
        .send(preflight("/list", APP, "PUT", &[(ACRH, &long_name)]))
        .await;
    r.assert_preflight_rejected();
}

#[tokio::test]
async fn huge_origin_is_refused() {
    let app = App::fixture();
    let origin = format!("https://{}.example", "a".repeat(KIB_64));
    let r = app
        .send(request("GET", "/list", &[(ORIGIN, &origin)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    app.send(preflight("/list", &origin, "PUT", &[]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn huge_request_method_is_rejected() {
    let app = App::fixture();
    let method = "P".repeat(KIB_64);
    app.send(preflight("/list", APP, &method, &[]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn lowercase_patch_preflight_is_rejected() {
    let app = App::fixture();
    app.send(preflight("/list", APP, "patch", &[]))
        .await
        .assert_preflight_rejected();
    app.send(preflight("/list", APP, "patch", &[(ACRH, "x-test")]))
        .await
        .assert_preflight_rejected();
    app.assert_calls(&[]);
}

#[tokio::test]
async fn lowercase_patch_request_does_not_reach_the_patch_handler() {
    let app = App::fixture();
    let r = app.send(request("patch", "/list", &[(ORIGIN, APP)])).await;
    // `patch` is an extension method, not PATCH: axum has no handler for it.
    r.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    r.assert_absent(&[ACAM, ACAH, ACMA, ACAPN]);
    app.assert_calls(&[]);
}
