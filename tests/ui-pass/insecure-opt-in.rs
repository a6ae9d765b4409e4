//! `dangerously_allow_insecure_origins = true` lets a plain-http origin off
//! loopback take credentials, in `#[cors]` and in a named policy that a
//! credentialed `#[cors]` then builds on. Loopback needs no opt-in.

use axum::Router;
use cors_runtime::{cors, policy, route, CorsPolicy};

#[cors(
    origins = ["http://intranet.example.com"],
    credentials = true,
    dangerously_allow_insecure_origins = true,
)]
async fn legacy() {}

#[cors(origins = ["http://localhost:*", "http://127.0.0.1:8080"], credentials = true)]
async fn local() {}

const LAN: CorsPolicy = policy!(
    origins = ["http://printer.lan"],
    dangerously_allow_insecure_origins = true,
);

#[cors(policy = LAN, credentials = true)]
async fn printer() {}

fn main() {
    let _: Router = Router::new()
        .route("/legacy", route!(post(legacy)))
        .route("/local", route!(post(local)))
        .route("/printer", route!(post(printer)));
}
