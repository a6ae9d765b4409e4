//! `any(..)` in `route!` with an extension method: axum routes methods it has
//! no name for (`PURGE`) through `any`.

use axum::Router;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"])]
async fn purge() {}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn read() {}

fn main() {
    let _: Router = Router::new().route("/cache", route!(get(read).any(purge)));
}
