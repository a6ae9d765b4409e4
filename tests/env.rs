//! `origins = env("NAME")`: origins read once, when the router or layer is
//! built, checked with the compile-time rules, and a missing or invalid value
//! stops the program before anything is served.
//!
//! The process environment is global, so each scenario runs in a child
//! process of this test binary with its own environment (`harness = false`:
//! `main` is the parent; `env child <scenario>` is a child). The parent checks
//! the child's exit status and output.

use std::process::{Command, Output};

use axum::{http::StatusCode, Router};
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter};
use tower::ServiceExt;

mod common;
use common::*;

const VAR: &str = "CORS_TEST_ORIGINS";
const SITE_VAR: &str = "CORS_TEST_SITE_ORIGINS";

#[cors(origins = env("CORS_TEST_ORIGINS"), methods = [PUT], credentials = true)]
async fn update() -> &'static str {
    "updated"
}

const SITE: CorsPolicy = policy!(
    origins = env(
        "CORS_TEST_SITE_ORIGINS",
        default = ["http://localhost:5173"]
    )
);

type App = tower::util::BoxCloneService<
    axum::http::Request<axum::body::Body>,
    axum::response::Response,
    std::convert::Infallible,
>;

async fn status(app: &App, method: &str, origin: &str) -> (StatusCode, Option<String>) {
    let request = if method == "OPTIONS" {
        request("OPTIONS", "/users", &[(ORIGIN, origin), (ACRM, "PUT")])
    } else {
        request(method, "/users", &[(ORIGIN, origin)])
    };
    let response = app.clone().oneshot(request).await.unwrap();
    let allow = response
        .headers()
        .get(ACAO)
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), allow)
}

fn plain_router() -> App {
    App::new(Router::new().route("/users", route!(put(update))))
}

fn cors_router() -> App {
    App::new(CorsRouter::new().route("/users", route!(put(update))))
}

/// `SITE` as a router-wide layer over a plain handler.
fn site_layered() -> App {
    App::new(
        Router::new()
            .route("/users", axum::routing::get(|| async { "users" }))
            .layer(CorsLayer::new(&SITE)),
    )
}

/// The scenarios a child runs; each returns normally when it holds.
async fn child(scenario: &str) {
    match scenario {
        // Patterns and separators as a deployment writes them.
        "serves" => {
            for app in [plain_router(), cors_router()] {
                for origin in ["https://app.example", "https://pr-12.preview.example"] {
                    let (code, allow) = status(&app, "OPTIONS", origin).await;
                    assert_eq!(code, StatusCode::NO_CONTENT, "{origin}");
                    assert_eq!(allow.as_deref(), Some(origin));
                }
                assert_eq!(
                    status(&app, "OPTIONS", EVIL).await,
                    (StatusCode::FORBIDDEN, None)
                );
                assert_eq!(
                    status(&app, "PUT", "https://app.example")
                        .await
                        .1
                        .as_deref(),
                    Some("https://app.example")
                );
            }
            println!("served");
        }
        // The default applies when the variable is unset, and only then.
        "default" => {
            let app = site_layered();
            let (_, allow) = status(&app, "GET", "http://localhost:5173").await;
            assert_eq!(allow.as_deref(), Some("http://localhost:5173"));
            println!("served");
        }
        // Building fails before anything is served: the report is the panic.
        "build" => {
            let _app = plain_router();
            println!("served");
        }
        "build-layer" => {
            let _layer = CorsLayer::new(&SITE);
            println!("served");
        }
        // The fallible entry point: the app reports it itself.
        "try" => match CorsLayer::try_new(&SITE) {
            Ok(_) => println!("served"),
            Err(report) => {
                assert_eq!(report.variable(), Some(SITE_VAR));
                eprintln!("{report}");
                std::process::exit(3);
            }
        },
        // The check an app makes at start-up, before building anything.
        "check" => match SITE.check_env() {
            Ok(()) => println!("served"),
            Err(report) => {
                assert_eq!(report.variable(), Some(SITE_VAR));
                eprintln!("{report}");
                std::process::exit(3);
            }
        },
        // Read once per process: a later change of the variable is not seen
        // by routers built afterwards, nor by requests.
        "read-once" => {
            let first = plain_router();
            std::env::set_var(VAR, "https://other.example");
            let second = cors_router();
            for app in [first, second] {
                let (_, allow) = status(&app, "PUT", "https://app.example").await;
                assert_eq!(allow.as_deref(), Some("https://app.example"));
                let (_, allow) = status(&app, "PUT", "https://other.example").await;
                assert_eq!(allow, None);
            }
            assert!(SITE.check_env().is_ok());
            println!("served");
        }
        // Two policies with two variables: each serves the origins of its own.
        "two-variables" => {
            let routed = plain_router();
            let layered = site_layered();
            let (_, allow) = status(&routed, "PUT", "https://app.example").await;
            assert_eq!(allow.as_deref(), Some("https://app.example"));
            let (_, allow) = status(&routed, "PUT", "https://site.example").await;
            assert_eq!(allow, None);
            let (_, allow) = status(&layered, "GET", "https://site.example").await;
            assert_eq!(allow.as_deref(), Some("https://site.example"));
            let (_, allow) = status(&layered, "GET", "https://app.example").await;
            assert_eq!(allow, None);
            println!("served");
        }
        // The audit shows the origins read, not the variable's name.
        "audit" => {
            let audit = CorsRouter::<()>::new()
                .route("/users", route!(put(update)))
                .audit()
                .to_string();
            assert!(audit.contains("https://app.example"), "{audit}");
            println!("served");
        }
        other => panic!("no scenario {other}"),
    }
}

fn run(scenario: &str, env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["child", scenario]);
    for var in [VAR, SITE_VAR] {
        command.env_remove(var);
    }
    for &(name, value) in env {
        if let Some(value) = value {
            command.env(name, value);
        }
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `scenario`, expecting it to serve.
fn serves(scenario: &str, env: &[(&str, Option<&str>)]) {
    let output = run(scenario, env);
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{scenario}: {err}");
    assert!(out.contains("served"), "{scenario}: {out}");
}

/// Runs `scenario`, expecting it to stop before serving with a report that
/// contains every one of `expected`; returns the report.
fn stops(scenario: &str, env: &[(&str, Option<&str>)], expected: &[&str]) -> String {
    let output = run(scenario, env);
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert!(!output.status.success(), "{scenario} served: {out}");
    assert!(!out.contains("served"), "{scenario}: {out}");
    for line in expected {
        assert!(err.contains(line), "{scenario}: missing {line:?} in\n{err}");
    }
    err
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(child(&args[2]));
        return;
    }
    // `cargo test -- <filter>` passes a filter; every scenario is quick, so
    // they all run.
    let valid = Some("https://app.example, https://*.preview.example");
    serves("serves", &[(VAR, valid)]);
    serves(
        "serves",
        &[(
            VAR,
            Some("  https://app.example\n\thttps://*.preview.example "),
        )],
    );
    serves("default", &[]);
    serves("read-once", &[(VAR, Some("https://app.example"))]);
    serves("audit", &[(VAR, Some("https://app.example"))]);
    serves(
        "two-variables",
        &[
            (VAR, Some("https://app.example")),
            (SITE_VAR, Some("https://site.example")),
        ],
    );

    // The errors of the variable itself, as docs/environment.md lists them.
    let documented = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/environment.md"),
    )
    .unwrap();
    for (value, expected) in [(None, "is not set"), (Some(""), "is empty")] {
        let report = stops("build", &[(VAR, value)], &[&format!("`{VAR}` {expected}")]);
        let message = report
            .lines()
            .find_map(|line| line.strip_prefix("  - "))
            .unwrap();
        assert!(
            documented.contains(&message.replace(VAR, "NAME")),
            "docs/environment.md does not list: {message}"
        );
    }
    stops(
        "build",
        &[(VAR, Some(" , "))],
        &[&format!("`{VAR}` is empty")],
    );
    let report = stops(
        "build",
        &[(VAR, Some("https://app.example/ http://staging.example * https://*.com"))],
        &[
            &format!("invalid CORS origins in the environment variable `{VAR}` (4 mistakes):"),
            "\n  - `https://app.example/`: origin `https://app.example/` never matches: browsers send an origin without a trailing `/`; write `https://app.example`",
            "\n  - `http://staging.example`: plain-http origin `http://staging.example` cannot be combined with `credentials = true`",
            "\n  - `*`: `*` cannot be mixed with other origins",
            "\n  - `https://*.com`: origin pattern `https://*.com` allows every site under the public suffix `com`",
            &format!("{VAR}=\"https://app.example/ http://staging.example * https://*.com\""),
        ],
    );
    println!("the report a user sees:\n{report}");
    // `*` with `credentials = true` in the attribute.
    stops(
        "build",
        &[(VAR, Some("*"))],
        &["`credentials = true` cannot be combined with `origins = \"*\"`"],
    );
    // The variable is set, so a bad value is refused, default or not.
    stops(
        "build-layer",
        &[(SITE_VAR, Some("localhost:5173"))],
        &[&format!(
            "invalid CORS origins in the environment variable `{SITE_VAR}`"
        )],
    );
    for scenario in ["check", "try"] {
        let output = run(scenario, &[(SITE_VAR, Some("https://app.example/"))]);
        assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
        assert!(text(&output.stderr).contains("write `https://app.example`"));
        serves(scenario, &[]);
        serves(scenario, &[(SITE_VAR, Some("https://site.example"))]);
    }
    println!("env: all scenarios passed");
}
