//! A small API with per-handler CORS policies, and a page on another origin
//! that calls it, so you can watch a browser allow and block requests.
//!
//! ```text
//! cargo run --example quickstart
//! cargo run --example quickstart -- --cors-audit        # every route's policy, as a table
//! cargo run --example quickstart -- --cors-audit=json   # the same, as JSON
//! CORS_ORIGINS="http://localhost:5173 https://*.example.org" cargo run --example quickstart
//! ```
//!
//! `CORS_ORIGINS` says which origins may update users (default: the demo page).
//!
//! Then open the page it prints and click the calls: one row per call shows
//! the preflight, what the browser allowed or blocked, and the server's
//! reason for a refusal. The API and the page are in `quickstart/demo.rs`;
//! `RUST_LOG` sets what is printed here (default `cors_runtime=debug`).

#[path = "quickstart/demo.rs"]
mod demo;

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::ServiceExt as _;
use tokio::net::TcpListener;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// The page is served from here; the only origin with the demo's private
/// endpoints (the handler also allows `http://localhost` on any port).
const PAGE: &str = "http://127.0.0.1:8080";
/// The API, on another origin (another port is another origin).
const API: &str = "http://127.0.0.1:3000";

#[tokio::main]
async fn main() -> ExitCode {
    // A bad `CORS_ORIGINS` stops the demo before it serves anything; building
    // the router would panic with the same report.
    if let Err(report) = demo::EDITORS.check_env() {
        eprintln!("{report}");
        return ExitCode::from(2);
    }
    match std::env::args().nth(1).as_deref() {
        None => {}
        Some("--cors-audit") => {
            print!("{}", demo::api().audit());
            return ExitCode::SUCCESS;
        }
        Some("--cors-audit=json") => {
            println!("{}", demo::api().audit().to_json());
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown argument `{other}`; try --cors-audit or --cors-audit=json");
            return ExitCode::FAILURE;
        }
    }

    // Two layers: the usual log output, filtered by RUST_LOG, and the demo's
    // recorder of cors_runtime's refusals, which the page reads.
    let log = demo::DemoLog::default();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("cors_runtime=debug"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(filter))
        .with(log.layer())
        .init();

    let bind = |origin: &str| {
        origin
            .trim_start_matches("http://")
            .parse::<SocketAddr>()
            .expect("a loopback address")
    };
    let api_listener = TcpListener::bind(bind(API))
        .await
        .expect("port 3000 is free");
    let page_listener = TcpListener::bind(bind(PAGE))
        .await
        .expect("port 8080 is free");
    println!("API  listening on {API}");
    println!("Page listening on {PAGE}  <- open this in a browser");
    println!();
    println!("A preflight, by hand:");
    println!(
        "  curl -i -X OPTIONS {API}/users/7 -H 'Origin: {PAGE}' \\\n    -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-api-key'"
    );
    println!("Every route's policy: cargo run --example quickstart -- --cors-audit");
    match std::env::var("CORS_ORIGINS") {
        Ok(origins) => println!("Origins that may update users (CORS_ORIGINS): {origins}"),
        Err(_) => println!(
            "Origins that may update users: the demo page (set CORS_ORIGINS to change them)"
        ),
    }

    let page = demo::page(API, log.clone());
    let page = tokio::spawn(async move { axum::serve(page_listener, page).await });
    let app = demo::api_with_log(log);
    axum::serve(api_listener, app.into_make_service())
        .await
        .expect("API server");
    page.await.expect("page task").expect("page server");
    ExitCode::SUCCESS
}
