//! Allocation budget of `route!`, with and without the `CorsRouter` outer
//! step, relative to bare axum, per request.
//!
//! - preflights (allowed and rejected): no more allocations than bare axum's
//!   405 answer to the same `OPTIONS`;
//! - actual requests (allowed, disallowed origin, no origin): no more
//!   allocations than the bare route either (the performance issue allowed
//!   one more; `route!` needs none, so a regression to one fails here).
//!
//! Counts are per thread and deterministic (warmed-up single request, only
//! the `oneshot` call counted), so these are exact comparisons.

use cors_benches::alloc::{self, AllocStats, CountingAlloc};
use cors_benches::{Scenario, Variant};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn stats(variant: Variant, scenario: Scenario) -> AllocStats {
    alloc::per_request(variant, scenario)
}

#[test]
fn counting_allocator_is_installed() {
    assert!(alloc::is_installed());
}

#[test]
fn counts_are_deterministic() {
    for variant in [
        Variant::Bare,
        Variant::Route,
        Variant::CorsRouter,
        Variant::RouteEnv,
    ] {
        for scenario in Scenario::ALL {
            let a = stats(variant, scenario);
            let b = stats(variant, scenario);
            assert_eq!(a.allocs, b.allocs, "{variant:?} {scenario:?}");
        }
    }
}

/// Checks `route!` and `CorsRouter` against bare axum for `scenarios`,
/// allowing `extra` allocations, and reports every case over budget at once.
fn check(scenarios: impl Iterator<Item = Scenario> + Clone, extra: u64, bare_label: &str) {
    let cases = [Variant::Route, Variant::CorsRouter, Variant::RouteEnv]
        .into_iter()
        .flat_map(|variant| scenarios.clone().map(move |scenario| (variant, scenario)));
    let over: Vec<String> = cases
        .filter_map(|(variant, scenario)| {
            let bare = stats(Variant::Bare, scenario);
            let ours = stats(variant, scenario);
            (ours.allocs > bare.allocs + extra).then(|| {
                format!(
                    "{scenario:?}: {} made {} allocations ({} B), {bare_label} made {} ({} B); budget {}",
                    variant.name(),
                    ours.allocs,
                    ours.bytes,
                    bare.allocs,
                    bare.bytes,
                    bare.allocs + extra,
                )
            })
        })
        .collect();
    assert!(
        over.is_empty(),
        "over the allocation budget (see `alloc-report --trace <variant> <scenario>`):\n{}",
        over.join("\n")
    );
}

#[test]
fn route_preflights_allocate_no_more_than_bare_405() {
    check(
        Scenario::ALL.into_iter().filter(|s| s.is_preflight()),
        0,
        "bare axum's 405",
    );
}

#[test]
fn route_actual_requests_allocate_no_more_than_bare() {
    check(
        Scenario::ALL.into_iter().filter(|s| !s.is_preflight()),
        0,
        "bare axum",
    );
}
