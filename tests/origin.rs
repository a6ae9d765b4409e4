//! B. Origin matching and `Access-Control-Allow-Origin` (R10–R17).

mod common;

use axum::{
    http::{header::HeaderName, HeaderValue, StatusCode},
    response::AppendHeaders,
    Router,
};
use common::*;
use cors_runtime::{cors, route};

/// `GET path` from `origin` answers 200 decorated with exactly `cors`, plus `Vary: origin`.
async fn assert_actual(app: &App, path: &str, origin: &str, cors: &[(&str, &str)]) {
    let r = app.send(request("GET", path, &[(ORIGIN, origin)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(cors);
    r.assert_vary(&["origin"]);
}

/// `method path` from `origin` runs the handler but carries no CORS headers,
/// and the matching preflight is rejected.
async fn assert_refused(app: &App, method: &str, path: &str, origin: &str) {
    let r = app.send(request(method, path, &[(ORIGIN, origin)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    r.assert_vary(&["origin"]);
    app.send(preflight(path, origin, method, &[]))
        .await
        .assert_preflight_rejected();
}

#[tokio::test]
async fn r10_allowed_origin_is_echoed_on_one_line() {
    let app = App::fixture();
    for origin in P_LIST_ORIGINS {
        assert_actual(
            &app,
            "/list",
            origin,
            &[(ACAO, origin), (ACEH, P_LIST_ACEH)],
        )
        .await;
        let r = app.send(preflight("/list", origin, "PUT", &[])).await;
        r.assert_preflight_allowed(&[(ACAO, origin), (ACAM, "PUT"), (ACMA, "600")]);
    }
    assert_eq!(app.calls(), ["list_get"; P_LIST_ORIGINS.len()]);
}

#[tokio::test]
async fn r11_disallowed_origin_gets_no_cors_headers() {
    let app = App::fixture();
    for origin in [EVIL, "https://other.example", "http://app.example"] {
        let r = app.send(request("GET", "/list", &[(ORIGIN, origin)])).await;
        r.assert_status(StatusCode::OK);
        assert_eq!(r.text(), "list_get");
        r.assert_no_cors();
        r.assert_vary(&["origin"]);
    }
    app.assert_calls(&["list_get", "list_get", "list_get"]);
}

#[tokio::test]
async fn r12_any_origin_policy_answers_star_without_vary() {
    let app = App::fixture();
    let origins: [&[(&str, &str)]; 4] = [
        &[(ORIGIN, "https://anything.example")],
        &[(ORIGIN, "null")],
        &[(ORIGIN, EVIL)],
        &[],
    ];
    for headers in origins {
        let r = app.send(request("GET", "/open", headers)).await;
        r.assert_status(StatusCode::OK);
        r.assert_cors(&[(ACAO, "*"), (ACEH, "x-resp")]);
        r.assert_vary(&[]);
    }
}

/// A handler that sets its own `Access-Control-Allow-Origin` twice.
#[cors(policy = P_LIST)]
async fn self_acao() -> (AppendHeaders<[(HeaderName, HeaderValue); 2]>, &'static str) {
    let acao = HeaderName::from_static(ACAO);
    (
        AppendHeaders([
            (acao.clone(), HeaderValue::from_static("*")),
            (acao, HeaderValue::from_static(EVIL)),
        ]),
        "self_acao",
    )
}

fn self_acao_app() -> App {
    App::new(Router::new().route("/self-acao", route!(get(self_acao))))
}

#[tokio::test]
async fn r13_handler_acao_is_replaced_by_exactly_one_line() {
    let app = self_acao_app();
    assert_actual(&app, "/self-acao", APP, &[(ACAO, APP), (ACEH, P_LIST_ACEH)]).await;
}

#[tokio::test]
async fn r13_handler_acao_is_removed_for_disallowed_origin() {
    let app = self_acao_app();
    let r = app
        .send(request("GET", "/self-acao", &[(ORIGIN, EVIL)]))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
}

#[tokio::test]
async fn r14_origin_matching_is_byte_exact() {
    let app = App::fixture();
    let near_misses = [
        "https://app.example/",
        "HTTPS://APP.EXAMPLE",
        "https://App.Example",
        "https://APP.example",
        "https://app.example:443",
        "https://admin.example",
        "https://admin.example:08443",
        "https://app.example.",
        "https://app.example/path",
        "https://app.example?x",
        "https://app.example#",
        " https://app.example x",
        "https://app.example ",
        "http://app.example",
        "https://app.example.evil",
        "https://xn--RSUM-bpad.example",
        "http://[::1]:8080/",
        "http://[0:0:0:0:0:0:0:1]:8080",
        "http://localhost:3000/",
    ];
    for origin in near_misses {
        assert_refused(&app, "GET", "/list", origin).await;
    }
}

#[tokio::test]
async fn r15_null_origin_is_refused() {
    let app = App::fixture();
    for origin in [
        "null",
        "Null",
        "NULL",
        "nul l",
        "null,null",
        "null, https://app.example",
    ] {
        assert_refused(&app, "GET", "/list", origin).await;
    }
}

recording_handler!(
    #[cors(origins = ["https://*.example.com"], methods = [PUT])]
    sub_put
);

#[tokio::test]
async fn r16_subdomain_pattern_matches_one_or_more_labels() {
    let app = App::new(Router::new().route("/sub", route!(put(sub_put))));
    for origin in [
        "https://a.example.com",
        "https://a.b.example.com",
        "https://x-1.example.com",
    ] {
        let r = app.send(request("PUT", "/sub", &[(ORIGIN, origin)])).await;
        r.assert_status(StatusCode::OK);
        r.assert_cors(&[(ACAO, origin)]);
        r.assert_vary(&["origin"]);
        let r = app.send(preflight("/sub", origin, "PUT", &[])).await;
        r.assert_preflight_allowed(&[(ACAO, origin), (ACAM, "PUT")]);
    }
}

#[tokio::test]
async fn r16_subdomain_pattern_refuses_apex_lookalikes_and_other_schemes() {
    let app = App::new(Router::new().route("/sub", route!(put(sub_put))));
    for origin in [
        "https://example.com",
        "https://.example.com",
        "https://a..example.com",
        "https://evilexample.com",
        "https://a.example.com.evil.net",
        "http://a.example.com",
        "https://a.example.com:8443",
        "https://a.example.com:443",
        "https://*.example.com",
        "https://a_.example.com.evil.net",
        "https://A.example.com",
        "https://a.example.com/",
    ] {
        assert_refused(&app, "PUT", "/sub", origin).await;
    }
}

recording_handler!(
    #[cors(origins = ["http://localhost:*"])]
    port_get
);

#[tokio::test]
async fn r16_port_pattern_matches_any_valid_port_and_no_port() {
    let app = App::new(Router::new().route("/port", route!(get(port_get))));
    for origin in [
        "http://localhost",
        "http://localhost:1",
        "http://localhost:3000",
        "http://localhost:65535",
    ] {
        assert_actual(&app, "/port", origin, &[(ACAO, origin)]).await;
    }
    for origin in [
        "http://localhost:0",
        "http://localhost:65536",
        "http://localhost:99999",
        "http://localhost:03000",
        "http://localhost:",
        "http://localhost:3000/",
        "https://localhost:3000",
        "http://localhost.evil:3000",
        "http://localhostx:3000",
        "http://127.0.0.1:3000",
        "http://a.localhost:3000",
    ] {
        assert_refused(&app, "GET", "/port", origin).await;
    }
}

recording_handler!(
    #[cors(origins = ["https://foo.com", "https://bar.com"])]
    pair_get
);

#[tokio::test]
async fn r17_allow_list_entries_do_not_merge() {
    let app = App::new(Router::new().route("/pair", route!(get(pair_get))));
    for origin in ["https://foo.com", "https://bar.com"] {
        assert_actual(&app, "/pair", origin, &[(ACAO, origin)]).await;
    }
    for origin in [
        "https://barfoo.com",
        "https://foobar.com",
        "https://foo.combar.com",
        "https://bar.comfoo.com",
        "https://fbar.com",
        "https://foo.com, https://bar.com",
        "https://foo.com https://bar.com",
    ] {
        assert_refused(&app, "GET", "/pair", origin).await;
    }
}
