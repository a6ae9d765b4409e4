//! `max_age` at both ends of its range: 0 turns preflight caching off, 86400
//! is the longest any browser honours.

use axum::Router;
use cors_runtime::{cors, policy, route, CorsPolicy};

#[cors(origins = ["https://app.example.com"], max_age = 0)]
async fn no_cache() {}

#[cors(origins = ["https://app.example.com"], max_age = 86400)]
async fn one_day() {}

const LONGEST: CorsPolicy = policy!(origins = "*", max_age = 86_400);

fn main() {
    let _: Router = Router::new()
        .route("/fresh", route!(put(no_cache)))
        .route("/cached", route!(put(one_day)))
        .layer(cors_runtime::CorsLayer::new(&LONGEST));
}
