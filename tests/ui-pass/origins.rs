//! Origins that look unusual but are exactly what browsers send: a bracketed
//! IPv6 loopback with a port, a punycode host, a port pattern, subdomain
//! patterns, and an apex next to its own subdomain pattern (not covered by it).

use axum::{body::Body, http::Request, Router};
use cors_runtime::{cors, route};
use tower::ServiceExt;

#[cors(origins = [
    "http://[::1]:8080",
    "https://xn--rsum-bpad.example",
    "http://localhost:*",
    "https://example.org",
    "https://*.example.org",
    "https://*.example.org:8443",
    "http://127.0.0.1:3000",
])]
async fn show() -> &'static str {
    "ok"
}

async fn allow_origin(app: &Router, origin: &str) -> Option<String> {
    let request = Request::get("/")
        .header("origin", origin)
        .body(Body::empty());
    let response = app.clone().oneshot(request.unwrap()).await.unwrap();
    let value = response.headers().get("access-control-allow-origin")?;
    Some(value.to_str().unwrap().to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app: Router = Router::new().route("/", route!(get(show)));
    for origin in [
        "http://[::1]:8080",
        "https://xn--rsum-bpad.example",
        "http://localhost:5173",
        "http://localhost",
        "https://example.org",
        "https://a.b.example.org",
        "https://a.example.org:8443",
        "http://127.0.0.1:3000",
    ] {
        assert_eq!(allow_origin(&app, origin).await.as_deref(), Some(origin));
    }
    for origin in [
        "http://[::1]:8081",
        "https://résumé.example",
        "https://evil.org",
    ] {
        assert_eq!(allow_origin(&app, origin).await, None, "{origin}");
    }
}
