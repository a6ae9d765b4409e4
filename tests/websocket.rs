//! The WebSocket origin guard: browsers apply no CORS to WebSocket upgrades,
//! so a `#[cors]` handler routed with `route!` refuses an upgrade from an
//! origin its policy does not allow (403, the handler never runs). Same-origin
//! upgrades and requests without `Origin` pass.

mod common;

use axum::{http::StatusCode, Router};
use common::*;
use cors_runtime::{cors, route, CorsRouter};

recording_handler!(
    #[cors(origins = ["https://app.example"], credentials = true)]
    socket
);
recording_handler!(
    #[cors(origins = ["https://app.example"])]
    anything
);
recording_handler!(
    #[cors(origins = ["https://app.example"])]
    post_socket
);

fn routes() -> Router<Calls> {
    Router::new()
        .route("/socket", route!(get(socket).post(post_socket)))
        .route("/any", route!(any(anything)))
}

fn upgrade(path: &str, headers: &[(&str, &str)]) -> axum::http::Request<axum::body::Body> {
    let mut all = vec![
        ("host", "api.example:8443"),
        ("connection", "upgrade"),
        ("upgrade", "websocket"),
        ("sec-websocket-version", "13"),
        ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];
    all.extend_from_slice(headers);
    request("GET", path, &all)
}

#[tokio::test]
async fn upgrade_from_a_refused_origin_gets_403_and_the_handler_never_runs() {
    let app = App::new(routes());
    for path in ["/socket", "/any"] {
        let r = app.send(upgrade(path, &[(ORIGIN, EVIL)])).await;
        r.assert_status(StatusCode::FORBIDDEN);
        r.assert_no_cors();
    }
    app.assert_calls(&[]);
}

#[tokio::test]
async fn upgrade_from_an_allowed_origin_reaches_the_handler() {
    let app = App::new(routes());
    let r = app.send(upgrade("/socket", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    app.assert_calls(&["socket"]);
}

#[tokio::test]
async fn same_origin_upgrades_and_upgrades_without_origin_pass() {
    let app = App::new(routes());
    app.send(upgrade("/socket", &[(ORIGIN, "https://api.example:8443")]))
        .await
        .assert_status(StatusCode::OK);
    app.send(upgrade("/socket", &[]))
        .await
        .assert_status(StatusCode::OK);
    app.assert_calls(&["socket", "socket"]);
    // Same host, another port: another origin. (The scheme cannot be
    // compared: `Host` carries none.)
    for origin in ["https://api.example", "https://api.example.evil:8443"] {
        app.send(upgrade("/socket", &[(ORIGIN, origin)]))
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    app.assert_calls(&["socket", "socket"]);
}

#[tokio::test]
async fn several_origin_lines_on_an_upgrade_are_refused() {
    let app = App::new(routes());
    let r = app
        .send(upgrade("/socket", &[(ORIGIN, APP), (ORIGIN, APP)]))
        .await;
    r.assert_status(StatusCode::FORBIDDEN);
    app.assert_calls(&[]);
}

#[tokio::test]
async fn only_websocket_upgrades_on_get_are_guarded() {
    let app = App::new(routes());
    // A token list, any case.
    let r = app
        .send(request(
            "GET",
            "/socket",
            &[(ORIGIN, EVIL), ("upgrade", "h2c, WebSocket")],
        ))
        .await;
    r.assert_status(StatusCode::FORBIDDEN);
    // Another protocol, or no upgrade: an ordinary request, not blocked (CORS
    // is not CSRF protection), just without CORS headers.
    let r = app
        .send(request(
            "GET",
            "/socket",
            &[(ORIGIN, EVIL), ("upgrade", "h2c")],
        ))
        .await;
    r.assert_status(StatusCode::OK);
    r.assert_no_cors();
    let r = app
        .send(request(
            "POST",
            "/socket",
            &[(ORIGIN, EVIL), ("upgrade", "websocket")],
        ))
        .await;
    r.assert_status(StatusCode::OK);
    app.assert_calls(&["socket", "post_socket"]);
}

#[tokio::test]
async fn the_guard_holds_under_cors_router() {
    let calls = Calls::default();
    let app: CorsRouter = CorsRouter::new()
        .route("/socket", route!(get(socket)))
        .with_state(calls.clone());
    send(&app, upgrade("/socket", &[(ORIGIN, EVIL)]))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let r = send(&app, upgrade("/socket", &[(ORIGIN, APP)])).await;
    r.assert_status(StatusCode::OK);
    r.assert_cors(&[(ACAO, APP), (ACAC, "true")]);
    assert_eq!(calls.snapshot(), ["socket"]);
}
