// Two `any` handlers in one `route!`: which policy serves a method would be
// a guess, so it does not compile.
use axum::routing::MethodRouter;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com"])]
async fn first() {}

#[cors(origins = "*")]
async fn second() {}

fn main() {
    let _: MethodRouter = route!(any(first).any(second));
}
