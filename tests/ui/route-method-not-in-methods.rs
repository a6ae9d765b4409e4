// `route!` checks this in a `const` block, which rustc evaluates when it
// builds the crate (trybuild builds, since `ui-pass/` exists), not under
// `cargo check`.
use axum::routing::MethodRouter;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn update_user() {}

fn main() {
    let _: MethodRouter = route!(put(update_user));
}
