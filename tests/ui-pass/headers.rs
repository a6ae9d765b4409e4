//! `headers = "*"` and `expose_headers = "*"` are fine without credentials;
//! `["*", "authorization"]` is the one list that may hold `*`; names are
//! case-insensitive and kept as written.

use axum::Router;
use cors_runtime::{cors, route};

#[cors(origins = "*", headers = "*", expose_headers = "*")]
async fn public() {}

#[cors(origins = ["https://app.example.com"], headers = ["*", "Authorization"])]
async fn with_token() {}

#[cors(
    origins = ["https://app.example.com"],
    headers = ["Content-Type", "x-api-key"],
    expose_headers = ["x-request-id", "ETag"],
    credentials = true,
)]
async fn listed() {}

fn main() {
    let _: Router = Router::new()
        .route("/public", route!(get(public)))
        .route("/token", route!(post(with_token)))
        .route("/listed", route!(put(listed)));
}
