//! `origins = env("NAME")`, with and without a default, in `#[cors]` and
//! `policy!`, alone and as the base of a `#[cors(policy = ...)]`.

use axum::Router;
use cors_runtime::{cors, policy, route, CorsPolicy};

const FROM_ENV: CorsPolicy = policy!(origins = env("ALLOWED_ORIGINS"), credentials = true);

const WITH_DEFAULT: CorsPolicy = policy!(
    origins = env("ALLOWED_ORIGINS", default = ["https://app.example.com", "http://localhost:*"]),
    credentials = true,
);

#[cors(origins = env("ALLOWED_ORIGINS"))]
async fn from_env() {}

#[cors(origins = env("ALLOWED_ORIGINS", default = ["https://app.example.com"]), methods = [GET, PUT])]
async fn with_default() {}

#[cors(origins = env("PUBLIC_ORIGINS", default = "*"))]
async fn public_by_default() {}

// Plain-http origins may come from the variable: the opt-in is not without effect.
#[cors(
    origins = env("ALLOWED_ORIGINS", default = ["https://app.example.com"]),
    credentials = true,
    dangerously_allow_insecure_origins = true,
)]
async fn insecure_from_env() {}

#[cors(policy = WITH_DEFAULT, max_age = 60)]
async fn based() {}

#[cors(policy = FROM_ENV, headers = ["x-api-key"])]
async fn based_on_env() {}

fn main() {
    // Building the routes reads the variables: the ones without a default
    // must be set.
    std::env::set_var("ALLOWED_ORIGINS", "https://app.example.com http://localhost:5173");
    assert!(FROM_ENV.allows_credentials());
    assert!(WITH_DEFAULT.allows_credentials());
    let _: Router = Router::new()
        .route("/a", route!(get(from_env)))
        .route("/b", route!(get(with_default).put(with_default)))
        .route("/c", route!(get(public_by_default)))
        .route("/d", route!(get(insecure_from_env)))
        .route("/e", route!(get(based)))
        .route("/f", route!(get(based_on_env)));
}
