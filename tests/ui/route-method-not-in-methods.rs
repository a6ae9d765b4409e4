// `route!` checks this in a `const _` item, which rustc evaluates under
// `cargo check` too, so the mistake shows in the editor as well as in the
// build.
use axum::routing::MethodRouter;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn update_user() {}

fn main() {
    let _: MethodRouter = route!(put(update_user));
}
