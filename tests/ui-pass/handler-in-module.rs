//! Handlers in other modules, routed by path; a handler without `#[cors]`
//! chained after `route!`; and a `#[cors]` handler still called directly.

use axum::Router;
use cors_runtime::route;

mod api {
    pub mod users {
        use cors_runtime::cors;

        #[cors(origins = ["https://app.example.com"], methods = [GET, DELETE])]
        pub async fn show() -> &'static str {
            "user"
        }

        #[cors(origins = ["https://app.example.com"])]
        pub(crate) async fn delete() -> &'static str {
            "deleted"
        }
    }
}

async fn create() -> &'static str {
    "same-origin only"
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    use api::users;
    let _: Router = Router::new()
        .route(
            "/users",
            route!(get(api::users::show).delete(users::delete)).post(create),
        )
        .route("/users/{id}", route!(get(crate::api::users::show)));
    assert_eq!(users::show().await, "user");
}
