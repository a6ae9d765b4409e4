//! Policies built at start-up (`CorsPolicy::builder`, `CorsConfig`): the
//! same checks as the macros, every mistake at once, and the same behaviour
//! on requests as a `const` policy with the same keys.

mod common;

use axum::{http::StatusCode, routing::get, Router};
use common::*;
use cors_runtime::{policy, CorsConfig, CorsLayer, CorsPolicy};

const SAME: CorsPolicy = policy!(
    origins = ["https://app.example", "https://*.preview.example"],
    methods = [GET, PUT],
    headers = ["x-test", "content-type"],
    expose_headers = ["x-resp"],
    credentials = true,
    max_age = 600,
);

fn built() -> &'static CorsPolicy {
    CorsPolicy::builder()
        .origins(["https://app.example", "https://*.preview.example"])
        .methods(["GET", "PUT"])
        .headers(["x-test", "Content-Type"])
        .expose_headers(["x-resp"])
        .credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

fn app(policy: &'static CorsPolicy) -> Router {
    Router::new()
        .route("/users", get(|| async { "users" }).put(|| async { "put" }))
        .layer(CorsLayer::new(policy))
}

/// Every header of the answers to a set of requests, to compare two apps.
async fn answers(app: &Router) -> Vec<(StatusCode, Vec<(String, String)>)> {
    let requests = [
        preflight("/users", APP, "PUT", &[(ACRH, "x-test,content-type")]),
        preflight("/users", "https://pr-1.preview.example", "PUT", &[]),
        preflight("/users", APP, "DELETE", &[]),
        preflight("/users", APP, "PUT", &[(ACRH, "x-other")]),
        preflight("/users", EVIL, "PUT", &[]),
        request("GET", "/users", &[(ORIGIN, APP)]),
        request("GET", "/users", &[(ORIGIN, EVIL)]),
        request("GET", "/users", &[]),
    ];
    let mut out = Vec::new();
    for request in requests {
        let response = send(app, request).await;
        let mut headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        headers.sort();
        out.push((response.status, headers));
    }
    out
}

#[tokio::test]
async fn a_built_policy_answers_as_the_same_const_policy() {
    let (built, same) = (answers(&app(built())).await, answers(&app(&SAME)).await);
    assert_eq!(built, same);
    // And the answers are the ones the keys ask for, not just equal.
    assert_eq!(built[0].0, StatusCode::NO_CONTENT);
    assert!(built[0]
        .1
        .contains(&(ACAH.to_owned(), "x-test, content-type".to_owned())));
    assert_eq!(built[4].0, StatusCode::FORBIDDEN);
}

#[test]
fn every_mistake_is_reported_at_once_with_the_compile_time_sentence() {
    let error = CorsPolicy::builder()
        .origins(["https://app.example/", "null"])
        .methods(["patch", "CONNECT"])
        .headers(["cookie"])
        .max_age(90_000)
        .build()
        .unwrap_err();
    let messages: Vec<&str> = error.mistakes().iter().map(|m| m.message()).collect();
    assert_eq!(messages.len(), 6, "{error}");
    for expected in [
        "origin `https://app.example/` never matches: browsers send an origin without a trailing `/`; write `https://app.example`",
        "`null` is never an allowed origin",
        "method `patch` is not `PATCH`",
        "`CONNECT` is a forbidden method",
        "`cookie` is a forbidden request header",
        "`max_age = 90000` is above 86400",
    ] {
        assert!(
            messages.iter().any(|m| m.starts_with(expected)),
            "{expected}\n{error}"
        );
    }
    let entries: Vec<Option<&str>> = error.mistakes().iter().map(|m| m.entry()).collect();
    assert!(
        entries.contains(&Some("https://app.example/")),
        "{entries:?}"
    );
    assert!(error
        .to_string()
        .starts_with("invalid CORS policy (6 mistakes):"));
}

#[test]
fn rules_between_keys_and_missing_origins_are_checked() {
    let error = CorsPolicy::builder()
        .origins(["*"])
        .credentials(true)
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`credentials = true` cannot be combined with `origins = \"*\"`"),
        "{error}"
    );
    let error = CorsPolicy::builder().max_age(60).build().unwrap_err();
    assert!(error.to_string().contains("needs `origins`"), "{error}");
    let error = CorsPolicy::builder()
        .origins(["http://staging.example"])
        .credentials(true)
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("plain-http origin `http://staging.example`"),
        "{error}"
    );
    assert!(CorsPolicy::builder()
        .origins(["http://staging.example"])
        .credentials(true)
        .dangerously_allow_insecure_origins(true)
        .build()
        .is_ok());
}

#[test]
fn stray_spaces_and_quotes_are_named_as_such() {
    for (entry, expected) in [
        (
            " https://app.example",
            "origin ` https://app.example` has a leading space; remove it",
        ),
        (
            "https://app.example ",
            "origin `https://app.example ` has a trailing space; remove it",
        ),
        (
            "'https://app.example'",
            "origin `'https://app.example'` has a quote at each end; remove them",
        ),
    ] {
        let error = CorsPolicy::builder().origins([entry]).build().unwrap_err();
        assert_eq!(error.mistakes()[0].message(), expected);
    }
}

#[tokio::test]
async fn a_config_file_builds_the_same_policy() {
    let config: CorsConfig = serde_json::from_str(
        r#"{
            "origins": "https://app.example https://*.preview.example",
            "methods": ["GET", "PUT"],
            "headers": "x-test, content-type",
            "expose_headers": ["x-resp"],
            "credentials": true,
            "max_age": 600
        }"#,
    )
    .unwrap();
    let policy = config.build().unwrap();
    assert_eq!(answers(&app(policy)).await, answers(&app(&SAME)).await);

    let unknown = serde_json::from_str::<CorsConfig>(r#"{"origins": "*", "allow_origin": "*"}"#);
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("unknown field `allow_origin`"));
    let bad: CorsConfig = serde_json::from_str(r#"{"origins": ["https://app.example/"]}"#).unwrap();
    assert!(bad
        .build()
        .unwrap_err()
        .to_string()
        .contains("write `https://app.example`"));
}

#[test]
fn the_getters_say_what_the_policy_allows() {
    let open = CorsPolicy::builder().origins(["*"]).build().unwrap();
    assert!(open.allows_any_origin());
    assert!(!open.allows_credentials());
    let private = CorsPolicy::builder()
        .origins(["https://app.example"])
        .credentials(true)
        .build()
        .unwrap();
    assert!(!private.allows_any_origin());
    assert!(private.allows_credentials());
}

#[test]
fn origins_str_reads_the_environment_format() {
    let listed = CorsPolicy::builder()
        .origins(["https://app.example", "https://*.preview.example"])
        .build()
        .unwrap();
    let written = CorsPolicy::builder()
        .origins_str("https://app.example,https://*.preview.example")
        .build()
        .unwrap();
    assert_eq!(written, listed);
    let spaced = CorsPolicy::builder()
        .origins_str(" https://app.example \n https://*.preview.example ")
        .build()
        .unwrap();
    assert_eq!(spaced, listed);
    assert!(CorsPolicy::builder()
        .origins_str(" * ")
        .build()
        .unwrap()
        .allows_any_origin());
}
