//! Prints a markdown table of heap allocations per request, for every
//! variant and scenario (a warmed-up single request; only the `oneshot` call
//! is counted).
//!
//! ```text
//! cargo run --release -p cors-benches --bin alloc-report
//! # where one request's allocations come from (debug build: full frames)
//! cargo run -p cors-benches --bin alloc-report -- --trace route allowed_get
//! ```

use cors_benches::alloc::{self, AllocStats, CountingAlloc};
use cors_benches::{Scenario, Variant};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn cell(s: AllocStats, bare: AllocStats) -> String {
    let delta = s.allocs as i64 - bare.allocs as i64;
    format!("{} ({delta:+}) / {} B", s.allocs, s.bytes)
}

fn main() {
    assert!(
        alloc::is_installed(),
        "the counting allocator is not installed"
    );
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, variant, scenario] = args.as_slice() {
        if let (true, Some(variant), Some(scenario)) = (
            flag == "--trace",
            Variant::from_name(variant),
            Scenario::from_name(scenario),
        ) {
            let stats = alloc::per_request_traced(variant, scenario);
            println!("{} {}: {stats:?}", variant.name(), scenario.name());
            return;
        }
    }
    if !args.is_empty() {
        eprintln!("usage: alloc-report [--trace <variant> <scenario>]");
        std::process::exit(2);
    }
    let table: Vec<(Scenario, Vec<AllocStats>)> = Scenario::ALL
        .into_iter()
        .map(|s| {
            let row = Variant::ALL
                .into_iter()
                .map(|v| alloc::per_request(v, s))
                .collect();
            (s, row)
        })
        .collect();

    println!("Heap allocations per request: `count (Δ vs bare) / bytes requested`.");
    println!(
        "`alloc`, `alloc_zeroed` and `realloc` each count as one allocation; \
         warmed up with {} runs, only the `oneshot` call is counted.",
        alloc::WARMUP_RUNS
    );
    println!("For `bare`, the preflight rows are axum's 405 answer to the `OPTIONS`.\n");
    let header: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    println!("| scenario | {} |", header.join(" | "));
    println!("|---|{}", "---:|".repeat(header.len()));
    for (scenario, row) in &table {
        let bare = row[0];
        let cells: Vec<String> = row.iter().map(|&s| cell(s, bare)).collect();
        println!("| {} | {} |", scenario.description(), cells.join(" | "));
    }
}
