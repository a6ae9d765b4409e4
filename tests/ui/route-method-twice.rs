// One method routed to two handlers in one `route!`: axum would panic when the
// router is built; the macro refuses it at compile time instead.
use axum::routing::MethodRouter;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"])]
async fn show_user() {}

#[cors(origins = "*")]
async fn show_user_publicly() {}

fn main() {
    let _: MethodRouter = route!(get(show_user).get(show_user_publicly));
}
