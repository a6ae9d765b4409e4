//! Criterion benches: one group per scenario with every variant side by side,
//! plus origin-list scaling.
//!
//! ```text
//! cargo bench -p cors-benches --bench cors -- --warm-up-time 1 --measurement-time 3
//! cargo bench -p cors-benches --bench cors -- 'scenario/allowed_get'   # one group
//! ```
//!
//! Each iteration sends one pre-built request through a clone of the router
//! with `tower::ServiceExt::oneshot`, polled by a no-op-waker executor; request
//! construction and response drop happen outside the timed region
//! (`iter_batched`).

use std::hint::black_box;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::Request;

use cors_benches::variants::App;
use cors_benches::{exec, origin_lists, Scenario, Variant};

fn run(
    b: &mut criterion::Bencher<'_>,
    router: &(impl Into<App> + Clone),
    make: impl Fn() -> Request<Body>,
) {
    b.iter_batched(
        || (router.clone(), make()),
        |(router, req)| black_box(exec::oneshot(router, req)),
        BatchSize::SmallInput,
    );
}

fn scenarios(c: &mut Criterion) {
    for scenario in Scenario::ALL {
        let mut group = c.benchmark_group(format!("scenario/{}", scenario.name()));
        for variant in Variant::ALL {
            let router = variant.app();
            group.bench_function(variant.name(), |b| run(b, &router, || scenario.request()));
        }
        group.finish();
    }
}

fn origin_list_scaling(c: &mut Criterion) {
    type Build = fn(usize) -> Router;
    let variants: [(&str, Build); 3] = [
        ("route", origin_lists::route_router),
        ("layer", origin_lists::layer_router),
        ("tower-http", origin_lists::tower_http_router),
    ];
    for (kind, origin_for) in [
        (
            "last_exact",
            origin_lists::last_exact_origin as fn(usize) -> String,
        ),
        ("pattern", |_| origin_lists::PATTERN_ORIGIN.to_owned()),
    ] {
        let mut group = c.benchmark_group(format!("origin_list/{kind}"));
        for (name, build) in variants {
            for n in origin_lists::SIZES {
                let router = build(n);
                let origin = origin_for(n);
                group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                    run(b, &router, || {
                        cors_benches::scenario::get_with_origin(&origin)
                    })
                });
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // Modest defaults for a shared 2-core machine; CLI flags override them.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = scenarios, origin_list_scaling
}
criterion_main!(benches);
