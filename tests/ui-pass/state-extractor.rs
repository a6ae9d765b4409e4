//! A handler with extractors, `State` included: `route!` returns a
//! `MethodRouter<S>` for the router's state.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    Router,
};
use cors_runtime::{cors, route};

#[derive(Clone, Default)]
struct AppState {
    greeting: Arc<str>,
}

#[cors(origins = ["https://app.example.com"], credentials = true)]
async fn greet(State(state): State<AppState>, Path(name): Path<String>) -> String {
    format!("{}, {name}", state.greeting)
}

#[cors(origins = "*")]
async fn health(State(_): State<AppState>) -> &'static str {
    "up"
}

fn app() -> Router {
    Router::new()
        .route("/greet/{name}", route!(get(greet)))
        .route("/health", route!(get(health).head(health)))
        .with_state(AppState {
            greeting: "hello".into(),
        })
}

fn main() {
    let _ = app();
}
