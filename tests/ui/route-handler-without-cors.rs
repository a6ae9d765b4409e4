use axum::routing::MethodRouter;
use cors_runtime::route;

async fn plain() {}

fn main() {
    let _: MethodRouter = route!(get(plain));
}
