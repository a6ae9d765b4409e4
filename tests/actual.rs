//! G. Actual (non-preflight) responses (R36–R40).

mod common;

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
    Json,
};
use common::*;
use cors_runtime::{cors, route};
use serde::Deserialize;

/// The decoration of an allowed P-LIST actual response.
const P_LIST_ALLOWED: [(&str, &str); 2] = [(ACAO, APP), (ACEH, P_LIST_ACEH)];

#[derive(Deserialize)]
struct Payload {
    #[allow(dead_code)]
    name: String,
}

#[cors(policy = P_LIST)]
async fn json_post(State(calls): State<Calls>, Json(_payload): Json<Payload>) -> &'static str {
    calls.record("json_post");
    "json_post"
}

#[cors(policy = P_LIST)]
async fn redirect_get(State(calls): State<Calls>) -> Redirect {
    calls.record("redirect_get");
    Redirect::temporary("/list")
}

/// Copies the request's `x-set-vary` lines into the response's `Vary`.
#[cors(policy = P_LIST)]
async fn vary_get(headers: HeaderMap) -> impl IntoResponse {
    let mut out = HeaderMap::new();
    for value in headers.get_all("x-set-vary") {
        out.append(header::VARY, value.clone());
    }
    (out, "vary_get")
}

/// Answers with no body and exactly the headers of the request's `x-set`
/// lines (`name=value`): nothing else on the response.
#[cors(policy = P_LIST)]
async fn set_get(headers: HeaderMap) -> impl IntoResponse {
    let mut out = HeaderMap::new();
    for line in headers.get_all("x-set") {
        let (name, value) = line.to_str().unwrap().split_once('=').unwrap();
        out.append(
            header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            header::HeaderValue::from_str(value).unwrap(),
        );
    }
    (out, ())
}

recording_handler!(
    #[cors(origins = "*", expose_headers = "*")]
    open_star_get
);
recording_handler!(
    #[cors(origins = ["https://app.example"])]
    bare_get
);

fn app() -> App {
    App::new(
        fixture_routes()
            .route("/json", route!(post(json_post)))
            .route("/redirect", route!(get(redirect_get)))
            .route("/vary", route!(get(vary_get)))
            .route("/open-star", route!(get(open_star_get)))
            .route("/bare", route!(get(bare_get)))
            .route("/set", route!(get(set_get))),
    )
}

#[tokio::test]
async fn r36_server_error_is_decorated() {
    let app = app();
    let r = app.send(request("GET", "/err", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::INTERNAL_SERVER_ERROR);
    r.assert_cors(&P_LIST_ALLOWED);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["err_get"]);
}

#[tokio::test]
async fn r36_extractor_401_is_decorated() {
    let app = app();
    let r = app.send(request("GET", "/auth", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    r.assert_cors(&P_LIST_ALLOWED);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["bearer_extractor"]);

    let r = app
        .send(request(
            "GET",
            "/auth",
            &[(ORIGIN, APP), ("authorization", "Bearer t")],
        ))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&P_LIST_ALLOWED);
    app.assert_calls(&["bearer_extractor", "bearer_extractor", "auth_get"]);
}

#[tokio::test]
async fn r36_json_extractor_rejections_are_decorated() {
    let app = app();
    let json = Some("application/json");
    let cases = [
        (None, r#"{"name":"x"}"#, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (json, "{", StatusCode::BAD_REQUEST),
        (json, r#"{"nom":1}"#, StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (content_type, body, status) in cases {
        let mut headers = vec![(ORIGIN, APP)];
        headers.extend(content_type.map(|value| ("content-type", value)));
        let req = request("POST", "/json", &headers).map(|_| body.into());
        let r = app.send(req).await;
        r.assert_status(status);
        r.assert_cors(&P_LIST_ALLOWED);
        r.assert_vary(&["origin"]);
    }
    app.assert_calls(&[]);

    let req = request(
        "POST",
        "/json",
        &[(ORIGIN, APP), ("content-type", "application/json")],
    )
    .map(|_| r#"{"name":"x"}"#.into());
    let r = app.send(req).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&P_LIST_ALLOWED);
    app.assert_calls(&["json_post"]);
}

#[tokio::test]
async fn r36_redirect_is_decorated() {
    let app = app();
    let r = app
        .send(request("GET", "/redirect", &[(ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(r.lines("location"), ["/list"]);
    r.assert_cors(&P_LIST_ALLOWED);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["redirect_get"]);
}

#[tokio::test]
async fn r37_vary_origin_is_appended_to_handler_vary() {
    let app = app();
    let origins: [&[(&str, &str)]; 3] = [&[(ORIGIN, APP)], &[(ORIGIN, EVIL)], &[]];
    for origin in origins {
        let mut headers = origin.to_vec();
        headers.push(("x-set-vary", "accept-encoding"));
        let r = app.send(request("GET", "/vary", &headers)).await;
        r.assert_status(StatusCode::OK);
        r.assert_vary(&["accept-encoding", "origin"]);

        headers.push(("x-set-vary", "accept-language"));
        let r = app.send(request("GET", "/vary", &headers)).await;
        r.assert_vary(&["accept-encoding", "accept-language", "origin"]);
    }
}

#[tokio::test]
async fn r37_vary_origin_is_appended_when_vary_is_the_only_handler_header() {
    let app = app();
    let origins: [&[(&str, &str)]; 3] = [&[(ORIGIN, APP)], &[(ORIGIN, EVIL)], &[]];
    for origin in origins {
        let mut headers = origin.to_vec();
        headers.push(("x-set", "vary=accept-encoding"));
        let r = app.send(request("GET", "/set", &headers)).await;
        r.assert_status(StatusCode::OK);
        r.assert_vary(&["accept-encoding", "origin"]);
    }
}

#[tokio::test]
async fn the_policy_owns_the_cors_headers_even_when_the_handler_sets_only_one() {
    // Whatever `access-control-*` line the handler sets is dropped: the
    // policy's own go on for an allowed origin, none for a refused one (a
    // handler's `-Allow-Credentials: true` would otherwise bypass a policy
    // without credentials).
    let app = app();
    for set in [
        "access-control-allow-origin=*",
        "access-control-allow-credentials=true",
        "access-control-expose-headers=x-secret",
    ] {
        let r = app
            .send(request("GET", "/set", &[(ORIGIN, APP), ("x-set", set)]))
            .await;
        r.assert_status(StatusCode::OK);
        r.assert_cors(&P_LIST_ALLOWED);
        let r = app
            .send(request("GET", "/set", &[(ORIGIN, EVIL), ("x-set", set)]))
            .await;
        r.assert_status(StatusCode::OK);
        r.assert_no_cors();
    }
}

#[tokio::test]
async fn r37_vary_origin_is_not_added_twice() {
    let app = app();
    for existing in ["Origin", "origin", "accept-encoding, origin"] {
        let r = app
            .send(request(
                "GET",
                "/vary",
                &[(ORIGIN, APP), ("x-set-vary", existing)],
            ))
            .await;
        let expected: Vec<String> = existing
            .split(',')
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        assert_eq!(r.vary_tokens(), expected, "Vary of {}", r.context);
        r.assert_cors(&P_LIST_ALLOWED);
    }
    let r = app
        .send(request(
            "GET",
            "/vary",
            &[(ORIGIN, APP), ("x-set-vary", "*")],
        ))
        .await;
    r.assert_vary(&["*"]);
    r.assert_cors(&P_LIST_ALLOWED);
}

#[tokio::test]
async fn r38_disallowed_origin_is_not_blocked() {
    let app = app();
    let r = app.send(request("POST", "/list", &[(ORIGIN, EVIL)])).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.text(), "list_post");
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.assert_calls(&["list_post"]);
}

#[tokio::test]
async fn r39_expose_headers_lists_configured_names() {
    let app = app();
    let r = app.send(request("GET", "/list", &[(ORIGIN, APP)])).await;
    r.assert_cors(&P_LIST_ALLOWED);
    let r = app.send(request("GET", "/open", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, "*"), (ACEH, "x-resp")]);
    let r = app
        .send(request("GET", "/open-star", &[(ORIGIN, APP)]))
        .await;
    r.assert_cors(&[(ACAO, "*"), (ACEH, "*")]);
    // No expose list configured: no ACEH.
    let r = app.send(request("GET", "/bare", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP)]);
}

#[tokio::test]
async fn r40_head_is_decorated_like_get() {
    let app = app();
    let r = app.send(request("HEAD", "/list", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    assert!(r.body.is_empty(), "HEAD body");
    r.assert_cors(&P_LIST_ALLOWED);
    r.assert_vary(&["origin"]);
    app.assert_calls(&["list_get"]);

    let r = app.send(request("HEAD", "/cred", &[(ORIGIN, APP)])).await;
    r.assert_cors(&[(ACAO, APP), (ACAC, "true"), (ACEH, "x-resp")]);
}

#[tokio::test]
async fn actual_responses_never_carry_preflight_headers() {
    let app = app();
    let acrh = [
        (ORIGIN, APP),
        (ACRM, "PUT"),
        (ACRH, "x-test"),
        (ACRPN, "true"),
    ];
    for (method, path) in [
        ("GET", "/list"),
        ("PUT", "/list"),
        ("PUT", "/cred"),
        ("POST", "/open"),
    ] {
        let r = app.send(request(method, path, &acrh)).await;
        r.assert_absent(&[ACAM, ACAH, ACMA, ACAPN]);
    }
}

#[tokio::test]
async fn actual_response_without_origin_still_varies_on_origin() {
    let app = app();
    for (method, path) in [("GET", "/list"), ("PUT", "/cred"), ("GET", "/err")] {
        let r = app.send(request(method, path, &[])).await;
        r.assert_no_cors();
        r.assert_vary(&["origin"]);
    }
    // Any-origin policies answer `*` without Vary.
    let r = app.send(request("GET", "/open-star", &[])).await;
    r.assert_cors(&[(ACAO, "*"), (ACEH, "*")]);
    r.assert_vary(&[]);
}
