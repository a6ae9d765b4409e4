//! A small API with per-handler CORS policies, and a page on another origin
//! that calls it, so you can watch a browser allow and block requests.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Then open the page it prints. Set `RUST_LOG=cors_runtime=debug` to see why
//! a preflight is refused.

use std::net::SocketAddr;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};
use tokio::net::TcpListener;

/// The page is served from here; it is the only origin the private endpoints allow.
const PAGE: &str = "http://127.0.0.1:8080";
/// The API, on another origin (another port is another origin).
const API: &str = "http://127.0.0.1:3000";

/// Everything without a policy of its own: readable from any origin.
const PUBLIC: CorsPolicy = policy!(origins = "*", max_age = 3600);

mod users {
    use super::*;

    /// Anyone may read a user; `Access-Control-Allow-Origin: *`.
    #[cors(origins = "*", expose_headers = ["x-request-id"])]
    pub async fn show(Path(id): Path<u32>) -> impl IntoResponse {
        ([("x-request-id", "req-42")], Json(user_json(id)))
    }

    /// Only the demo page may update, with cookies, after a preflight that
    /// the browser caches for ten minutes.
    #[cors(
        origins = ["http://127.0.0.1:8080", "http://localhost:8080"],
        methods = [PUT],
        headers = ["content-type", "x-api-key"],
        credentials = true,
        max_age = 600,
    )]
    pub async fn update(
        State(app): State<App>,
        Path(id): Path<u32>,
        headers: HeaderMap,
    ) -> impl IntoResponse {
        match headers.get("x-api-key") {
            Some(key) if key == app.api_key => (StatusCode::OK, format!("user {id} updated")),
            _ => (
                StatusCode::UNAUTHORIZED,
                "missing or wrong x-api-key".to_owned(),
            ),
        }
    }

    /// Deleting is for an admin origin that the demo page is not.
    #[cors(origins = ["https://admin.example.com"], credentials = true)]
    pub async fn delete(Path(id): Path<u32>) -> String {
        format!("user {id} deleted")
    }

    fn user_json(id: u32) -> std::collections::BTreeMap<&'static str, String> {
        [("id", id.to_string()), ("name", format!("user {id}"))].into()
    }
}

#[derive(Clone)]
struct App {
    api_key: &'static str,
}

fn api() -> Router {
    Router::new()
        .route(
            "/users/{id}",
            route!(get(users::show).put(users::update).delete(users::delete)),
        )
        .route("/health", get(|| async { "up" }))
        .layer(CorsLayer::new(&PUBLIC))
        .with_state(App {
            api_key: "demo-key",
        })
}

fn page() -> Router {
    Router::new().route("/", get(|| async { Html(PAGE_HTML.replace("{API}", API)) }))
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "cors_runtime=debug".into()),
        )
        .init();
    let api_listener = TcpListener::bind(
        API.trim_start_matches("http://")
            .parse::<SocketAddr>()
            .unwrap(),
    )
    .await
    .expect("port 3000 is free");
    let page_listener = TcpListener::bind(
        PAGE.trim_start_matches("http://")
            .parse::<SocketAddr>()
            .unwrap(),
    )
    .await
    .expect("port 8080 is free");
    println!("API  listening on {API}");
    println!("Page listening on {PAGE}  <- open this in a browser");
    println!();
    println!("A preflight, by hand:");
    println!(
        "  curl -i -X OPTIONS {API}/users/7 -H 'Origin: {PAGE}' \\\n    -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-api-key'"
    );
    let page = tokio::spawn(async move { axum::serve(page_listener, page()).await });
    axum::serve(api_listener, api()).await.expect("API server");
    page.await.expect("page task").expect("page server");
}

const PAGE_HTML: &str = r#"<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>cors-runtime quickstart</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  button { font: inherit; padding: .3rem .8rem; margin-right: .6rem; cursor: pointer; }
  .row { display: flex; align-items: baseline; gap: .5rem; margin: .8rem 0; }
  .row code { flex: 1; }
  pre { background: #f4f4f4; padding: .8rem; min-height: 4rem; white-space: pre-wrap; }
  .ok { color: #176f2c; } .blocked { color: #b3261e; }
</style>
<h1>cors-runtime quickstart</h1>
<p>This page is <code id="origin"></code>; the API is <code>{API}</code>, another origin.
Each button calls it with <code>fetch</code>; your browser enforces each handler's own policy.</p>
<div class="row"><button id="show">GET /users/7</button><code>origins = "*": allowed, exposes x-request-id</code></div>
<div class="row"><button id="update">PUT /users/7</button><code>this page only, credentials, preflight cached 600 s</code></div>
<div class="row"><button id="badkey">PUT with a bad key</button><code>a 401 that the page can still read</code></div>
<div class="row"><button id="delete">DELETE /users/7</button><code>admin origin only: the browser blocks it</code></div>
<div class="row"><button id="health">GET /health</button><code>no #[cors]: the router-wide CorsLayer answers</code></div>
<pre id="out">Click a button.</pre>
<script>
  document.getElementById('origin').textContent = location.origin;
  const out = document.getElementById('out');
  async function call(path, init) {
    try {
      const r = await fetch('{API}' + path, init);
      const id = r.headers.get('x-request-id');
      out.className = 'ok';
      out.textContent = `${init && init.method || 'GET'} ${path} -> ${r.status}\n` +
        (id ? `x-request-id (exposed): ${id}\n` : '') + await r.text();
    } catch (e) {
      out.className = 'blocked';
      out.textContent = `${init && init.method || 'GET'} ${path} -> blocked by the browser: ${e}\n` +
        'The server log says why (RUST_LOG=cors_runtime=debug).';
    }
  }
  const put = key => ({ method: 'PUT', credentials: 'include',
    headers: { 'content-type': 'application/json', 'x-api-key': key }, body: '{"name":"Ada"}' });
  document.getElementById('show').onclick = () => call('/users/7');
  document.getElementById('update').onclick = () => call('/users/7', put('demo-key'));
  document.getElementById('badkey').onclick = () => call('/users/7', put('wrong'));
  document.getElementById('delete').onclick = () => call('/users/7', { method: 'DELETE', credentials: 'include' });
  document.getElementById('health').onclick = () => call('/health');
</script>
</html>
"#;
