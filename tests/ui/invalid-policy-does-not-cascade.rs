use axum::Router;
use cors_runtime::{cors, route};

#[cors(origins = ["https://app.example.com/"], credentials = true)]
async fn update_user() -> &'static str {
    "ok"
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let _: Router = Router::new().route("/users", route!(put(update_user)));
    assert_eq!(update_user().await, "ok");
}
