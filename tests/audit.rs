//! The policy audit: every route's effective policy, as rows, a table and JSON.

use axum::routing::get;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter, PolicySource};

const PUBLIC: CorsPolicy = policy!(origins = "*", max_age = 3600);
const API: CorsPolicy = policy!(
    origins = [
        "https://app.example",
        "https://*.example.org",
        "http://localhost:*"
    ],
    methods = [GET, PUT],
    headers = ["*", "authorization"],
);

#[cors(
    origins = ["https://admin.example"],
    methods = [DELETE],
    headers = ["x-token"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true
)]
async fn delete_user() {}

#[cors(origins = "*")]
async fn show_user() {}

#[cors(origins = ["https://app.example"], methods = ["PURGE"])]
async fn purge() {}

async fn plain() {}

fn app() -> CorsRouter {
    let api = CorsRouter::new()
        .route("/cache", route!(any(purge)))
        .fallback(plain)
        .layer(CorsLayer::new(&API));
    CorsRouter::new()
        .route(
            "/users/{id}",
            route!(get(show_user).delete(delete_user)).post(plain),
        )
        .route("/health", get(plain))
        .nest("/api", api)
        .layer(CorsLayer::new(&PUBLIC))
}

#[test]
fn rows_name_every_route_and_where_its_policy_comes_from() {
    let audit = app().audit();
    let rows: Vec<(&str, &str, PolicySource)> = audit
        .rows()
        .iter()
        .map(|r| (r.path.as_str(), r.method.as_str(), r.source))
        .collect();
    assert_eq!(
        rows,
        [
            ("*", "*", PolicySource::Layer),
            ("/api/*", "*", PolicySource::Layer),
            ("/api/cache", "*", PolicySource::Handler),
            ("/api/cache", "other", PolicySource::Layer),
            ("/health", "*", PolicySource::Layer),
            ("/users/{id}", "DELETE", PolicySource::Handler),
            ("/users/{id}", "GET", PolicySource::Handler),
            ("/users/{id}", "other", PolicySource::Layer),
        ]
    );
}

#[test]
fn a_row_gives_the_whole_policy() {
    let audit = app().audit();
    let delete = &audit.rows()[5];
    assert_eq!(delete.origins, ["https://admin.example"]);
    assert!(delete.credentials);
    assert_eq!(delete.methods, ["DELETE", "GET", "HEAD", "POST"]);
    assert_eq!(delete.headers, ["x-token"]);
    assert_eq!(delete.expose_headers, ["x-request-id"]);
    assert_eq!(delete.max_age, Some(600));
    assert!(delete.private_network);

    // The innermost layer governs the nested router's other methods and 404s.
    let api_fallback = &audit.rows()[1];
    assert_eq!(
        api_fallback.origins,
        [
            "https://app.example",
            "http://localhost:*",
            "https://*.example.org"
        ]
    );
    assert_eq!(api_fallback.headers, ["*", "authorization"]);
    assert_eq!(api_fallback.methods, ["GET", "HEAD", "POST", "PUT"]);

    // A router-wide policy without `methods`: the safelisted ones.
    let health = &audit.rows()[4];
    assert_eq!(health.origins, ["*"]);
    assert_eq!(health.methods, ["GET", "HEAD", "POST"]);
    assert_eq!(health.max_age, Some(3600));

    // A handler's policy without `methods` allows the method it is routed on.
    let get = &audit.rows()[6];
    assert_eq!(get.methods, ["GET"]);
}

#[test]
fn table_and_json_carry_every_row() {
    let audit = app().audit();
    let table = audit.to_string();
    assert_eq!(table.lines().count(), 2 + audit.rows().len(), "{table}");
    assert!(
        table.contains("| /users/{id} | DELETE | handler | https://admin.example | yes | DELETE GET HEAD POST | x-token | x-request-id | 600 s | yes |"),
        "{table}"
    );
    let json = audit.to_json();
    assert_eq!(json.matches("{\"path\":").count(), audit.rows().len());
    assert!(
        json.contains(r#"{"path":"/health","method":"*","source":"layer","origins":["*"],"credentials":false,"methods":["GET","HEAD","POST"],"headers":[],"expose_headers":[],"max_age":3600,"private_network":false}"#),
        "{json}"
    );
}

/// The JSON is valid and says what the rows say, for every row and field.
#[test]
fn json_parses_back_to_the_rows() {
    let audit = app().audit();
    let json: serde_json::Value = serde_json::from_str(&audit.to_json()).expect("valid JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), audit.rows().len());
    for (item, row) in items.iter().zip(audit.rows()) {
        let source = match row.source {
            PolicySource::Handler => "handler",
            PolicySource::Layer => "layer",
        };
        let expected = serde_json::json!({
            "path": row.path,
            "method": row.method,
            "source": source,
            "origins": row.origins,
            "credentials": row.credentials,
            "methods": row.methods,
            "headers": row.headers,
            "expose_headers": row.expose_headers,
            "max_age": row.max_age,
            "private_network": row.private_network,
        });
        assert_eq!(item, &expected);
    }
}

/// Paths are the user's text: quotes, backslashes and control characters
/// are escaped, and a space stays a space.
#[test]
fn json_escapes_what_a_path_may_hold() {
    let path = "/a b\"c\\d\te\u{1f}f";
    let audit = CorsRouter::<()>::new()
        .route(path, route!(get(show_user)))
        .audit();
    let json = audit.to_json();
    assert!(
        json.contains(r#""path":"/a b\"c\\d\u0009e\u001ff""#),
        "{json}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed[0]["path"], path);
}
