//! Methods: idents, an extension method as a string, `methods = "*"` without
//! credentials, HEAD served by a handler whose `methods` list GET, and an
//! explicit list that names every method the handler is routed on.

use axum::Router;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"], methods = [GET, "PURGE"])]
async fn cached() {}

#[cors(origins = "*", methods = "*")]
async fn anything() {}

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT, PATCH, DELETE])]
async fn resource() {}

fn main() {
    let _: Router = Router::new()
        .route("/cache", route!(get(cached)))
        .route("/any", route!(get(anything).post(anything)))
        .route(
            "/resource",
            route!(get(resource)
                .head(resource)
                .put(resource)
                .patch(resource)
                .delete(resource)),
        );
}
