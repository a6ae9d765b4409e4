//! `policy = NAME` with overrides of every kind, merges that stay valid, and
//! the same named policies used router-wide.

use axum::{routing::get, Router};
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy};

const DASHBOARD: CorsPolicy = policy!(
    origins = ["https://dashboard.example.com"],
    headers = ["content-type"],
    credentials = true,
);

const PUBLIC: CorsPolicy = policy!(origins = "*", headers = "*");

pub mod shared {
    pub const PARTNERS: cors_runtime::CorsPolicy =
        cors_runtime::policy!(origins = ["https://partner.example.net"], max_age = 600,);
}

#[cors(policy = DASHBOARD)]
async fn as_is() {}

#[cors(policy = DASHBOARD, max_age = 60, methods = [GET, PUT], expose_headers = ["x-request-id"])]
async fn overridden() {}

// Overriding the origins of a public policy makes credentials possible.
#[cors(policy = PUBLIC, origins = ["https://app.example.com"], headers = ["x-api-key"], credentials = true)]
async fn narrowed() {}

// Turning credentials off makes wildcards possible again.
#[cors(policy = DASHBOARD, credentials = false, origins = "*")]
async fn opened() {}

#[cors(policy = shared::PARTNERS, private_network = true)]
async fn partner() {}

fn main() {
    assert!(DASHBOARD.allows_credentials());
    assert!(PUBLIC.allows_any_origin());
    let _: Router = Router::new()
        .route("/a", route!(get(as_is)))
        .route("/b", route!(get(overridden).put(overridden)))
        .route("/c", route!(post(narrowed)))
        .route("/d", route!(get(opened)))
        .route("/e", route!(get(partner)))
        .route("/plain", get(|| async { "router-wide policy" }))
        .layer(CorsLayer::new(&PUBLIC));
}
