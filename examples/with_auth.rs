//! An API behind an auth middleware, built with `CorsRouter`, and a page on
//! another origin that calls it: the browser's preflights are answered before
//! the middleware, and the middleware's 401 is readable by the page.
//!
//! ```text
//! cargo run --example with_auth
//! ```
//!
//! Then open the page it prints. With an axum `Router` instead of
//! `CorsRouter`, every call of the page fails: the middleware answers the
//! preflight 401 before `route!` can.

use std::net::SocketAddr;

use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter};
use tokio::net::TcpListener;

/// The page is served from here; the API allows it, with credentials.
const PAGE: &str = "http://127.0.0.1:8081";
/// The API, on another origin.
const API: &str = "http://127.0.0.1:3001";

/// Everything without a policy of its own, 404s included.
const PUBLIC: CorsPolicy = policy!(origins = "*");

#[cors(
    origins = ["http://127.0.0.1:8081"],
    methods = [GET, PUT],
    headers = ["authorization", "content-type"],
    credentials = true,
    max_age = 600,
)]
async fn show_note(Path(id): Path<u32>) -> String {
    format!("note {id}")
}

#[cors(
    origins = ["http://127.0.0.1:8081"],
    methods = [PUT],
    headers = ["authorization", "content-type"],
    credentials = true,
    max_age = 600,
)]
async fn save_note(Path(id): Path<u32>, body: String) -> String {
    format!("note {id} saved: {body}")
}

/// Lets a request through only with `Authorization: Bearer demo`.
async fn require_key(request: Request, next: Next) -> Result<Response, StatusCode> {
    match request.headers().get("authorization") {
        Some(value) if value == "Bearer demo" => Ok(next.run(request).await),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}

fn api() -> CorsRouter {
    CorsRouter::new()
        .route("/notes/{id}", route!(get(show_note).put(save_note)))
        .layer(middleware::from_fn(require_key))
        .route("/health", get(|| async { "up" }))
        .layer(CorsLayer::new(&PUBLIC))
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "cors_runtime=debug".into()),
        )
        .init();
    let bind = |origin: &str| {
        origin
            .trim_start_matches("http://")
            .parse::<SocketAddr>()
            .expect("a loopback address")
    };
    let api_listener = TcpListener::bind(bind(API))
        .await
        .expect("port 3001 is free");
    let page_listener = TcpListener::bind(bind(PAGE))
        .await
        .expect("port 8081 is free");
    println!("API  listening on {API} (CorsRouter, auth middleware on /notes)");
    println!("Page listening on {PAGE}  <- open this in a browser");
    let page = Router::new().route("/", get(|| async { Html(PAGE_HTML.replace("{API}", API)) }));
    let page = tokio::spawn(async move { axum::serve(page_listener, page).await });
    axum::serve(api_listener, api().into_make_service())
        .await
        .expect("API server");
    page.await.expect("page task").expect("page server");
}

const PAGE_HTML: &str = r#"<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>cors-runtime: CorsRouter with auth</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  button { font: inherit; padding: .3rem .8rem; margin: 0 .4rem .4rem 0; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  td, th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; }
  .ok { color: #176f2c; } .blocked { color: #b3261e; }
</style>
<h1>CorsRouter with an auth middleware</h1>
<p>The API at <code>{API}</code> requires <code>Authorization: Bearer demo</code> on <code>/notes</code>.
Its preflights are answered before the middleware, and its 401s carry the handler's CORS headers.</p>
<button id="no-key">PUT /notes/1 without a key</button>
<button id="key">PUT /notes/1 with the key</button>
<button id="get">GET /notes/1 with the key</button>
<button id="missing">GET /nowhere</button>
<table><thead><tr><th>call</th><th>what JavaScript saw</th></tr></thead><tbody id="log"></tbody></table>
<script>
  const log = document.getElementById('log');
  async function call(label, path, init) {
    const row = log.insertRow(0);
    row.insertCell().textContent = label;
    const seen = row.insertCell();
    try {
      const r = await fetch('{API}' + path, Object.assign({ credentials: 'include' }, init));
      seen.className = 'ok';
      seen.textContent = `${r.status} ${await r.text()}`;
    } catch (e) {
      seen.className = 'blocked';
      seen.textContent = `blocked by the browser: ${e}`;
    }
  }
  const put = key => ({ method: 'PUT', headers: Object.assign({ 'content-type': 'text/plain' },
    key ? { authorization: 'Bearer demo' } : {}), body: 'hello' });
  document.getElementById('no-key').onclick = () => call('PUT without key', '/notes/1', put(false));
  document.getElementById('key').onclick = () => call('PUT with key', '/notes/1', put(true));
  document.getElementById('get').onclick = () => call('GET with key', '/notes/1', { headers: { authorization: 'Bearer demo' } });
  document.getElementById('missing').onclick = () => call('GET /nowhere', '/nowhere', { credentials: 'omit' });
</script>
</html>
"#;
