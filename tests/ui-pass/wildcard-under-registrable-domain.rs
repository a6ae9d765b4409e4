//! Subdomain patterns under a registrable domain compile, with credentials
//! too: nothing beneath `example.org`, `example.co.uk` or `www.ck` (spared by
//! the exception rule `!www.ck`) is a public suffix. The matching itself is
//! checked at runtime.

use axum::{body::Body, http::Request, Router};
use cors_runtime::{cors, route};
use tower::ServiceExt;

#[cors(origins = ["https://*.example.org"])]
async fn public() -> &'static str {
    "ok"
}

#[cors(
    origins = ["https://*.example.co.uk", "https://*.www.ck", "https://*.bucket.s3.amazonaws.com"],
    credentials = true,
)]
async fn private() -> &'static str {
    "ok"
}

async fn allow_origin(app: &Router, path: &str, origin: &str) -> Option<String> {
    let request = Request::get(path).header("origin", origin).body(Body::empty());
    let response = app.clone().oneshot(request.unwrap()).await.unwrap();
    let value = response.headers().get("access-control-allow-origin")?;
    Some(value.to_str().unwrap().to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app: Router = Router::new()
        .route("/public", route!(get(public)))
        .route("/private", route!(get(private)));
    assert_eq!(
        allow_origin(&app, "/public", "https://a.example.org").await.as_deref(),
        Some("https://a.example.org")
    );
    for origin in [
        "https://shop.example.co.uk",
        "https://app.www.ck",
        "https://x.bucket.s3.amazonaws.com",
    ] {
        assert_eq!(allow_origin(&app, "/private", origin).await.as_deref(), Some(origin));
    }
    for origin in ["https://example.co.uk", "https://evil.co.uk", "https://other.s3.amazonaws.com"] {
        assert_eq!(allow_origin(&app, "/private", origin).await, None, "{origin}");
    }
}
