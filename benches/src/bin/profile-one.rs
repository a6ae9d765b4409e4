//! Repeats one scenario through one variant, for profilers:
//! `profile-one <variant> <scenario> [iterations]` (default 100000).
//!
//! `<scenario>` is a scenario name (`allowed_get`, ...) or an origin-list case
//! `list_exact_<n>` / `list_pattern_<n>` (n in 1, 10, 100, 1000; variants
//! `route`, `layer`, `tower-http`): an allowed GET whose origin is the list's
//! last exact entry or matches only its last pattern.
//!
//! ```text
//! cargo build --release -p cors-benches --bin profile-one
//! valgrind --tool=callgrind target/release/profile-one route allowed_get 20000
//! valgrind --tool=dhat target/release/profile-one route allowed_get 1000
//! ```
//!
//! Requests are built up front so the loop is only `oneshot` calls.

use std::hint::black_box;
use std::process::ExitCode;

use axum::body::Body;
use http::Request;

use cors_benches::variants::App;
use cors_benches::{exec, origin_lists, scenario, Scenario, Variant};

type Case = (App, Box<dyn Fn() -> Request<Body>>);

fn case(variant: Variant, name: &str) -> Option<Case> {
    if let Some(scenario) = Scenario::from_name(name) {
        return Some((variant.app(), Box::new(move || scenario.request())));
    }
    let (origin, n) = if let Some(n) = name.strip_prefix("list_exact_") {
        let n: usize = n.parse().ok()?;
        (origin_lists::last_exact_origin(n), n)
    } else {
        let n: usize = name.strip_prefix("list_pattern_")?.parse().ok()?;
        (origin_lists::PATTERN_ORIGIN.to_owned(), n)
    };
    if !origin_lists::SIZES.contains(&n) {
        return None;
    }
    let router = match variant {
        Variant::Route | Variant::CorsRouter => origin_lists::route_router(n),
        Variant::Layer => origin_lists::layer_router(n),
        Variant::TowerHttp => origin_lists::tower_http_router(n),
        Variant::Bare | Variant::RouteEnv => return None,
    };
    Some((
        router.into(),
        Box::new(move || scenario::get_with_origin(&origin)),
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [v, s] => Some((v, s, 100_000)),
        [v, s, n] => n.parse().ok().map(|n| (v, s, n)),
        _ => None,
    };
    let Some((variant, name, (router, request), iterations)) =
        parsed.and_then(|(v, s, n): (_, _, usize)| {
            let variant = Variant::from_name(v)?;
            Some((variant, s, case(variant, s)?, n))
        })
    else {
        let vs: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
        let ss: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        eprintln!(
            "usage: profile-one <{}> <{}|list_exact_N|list_pattern_N> [iterations]",
            vs.join("|"),
            ss.join("|")
        );
        return ExitCode::from(2);
    };
    let requests: Vec<_> = (0..iterations).map(|_| request()).collect();
    let mut statuses = 0u64;
    for req in requests {
        let res = exec::oneshot(router.clone(), req);
        statuses += u64::from(black_box(res).status().as_u16());
    }
    println!(
        "{} {}: {iterations} requests, status sum {statuses}",
        variant.name(),
        name
    );
    ExitCode::SUCCESS
}
