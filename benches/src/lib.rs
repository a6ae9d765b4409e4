//! Performance harness for `cors-runtime`.
//!
//! One CORS policy, built four ways on the same axum `Router` shape:
//!
//! | variant      | what it is                                                        |
//! |--------------|-------------------------------------------------------------------|
//! | `bare`       | plain axum, no CORS at all (the floor)                            |
//! | `tower-http` | `tower_http::cors::CorsLayer` configured with the same policy     |
//! | `route`      | this crate: `#[cors]` handlers mounted with `route!`              |
//! | `layer`      | this crate: `cors_runtime::CorsLayer::new(&API)` over a `policy!` |
//!
//! and five request [`Scenario`]s (allowed GET, disallowed-origin GET, GET
//! without `Origin`, allowed preflight, rejected preflight). For `bare` the
//! preflight counterpart is axum's own `405 Method Not Allowed` for `OPTIONS`.
//!
//! Every measurement drives the router the same way: a clone of the router
//! (an `Arc` bump) and a pre-built request are prepared outside the measured
//! region, then `tower::ServiceExt::oneshot` is polled to completion by
//! [`exec::block_on`], a no-op-waker executor (every handler here is ready on
//! the first poll, so no runtime is involved in the numbers). Routers are
//! finalized with `with_state(())` as `axum::serve` does
//! ([`variants::finalize`]), and request header values share one buffer as
//! hyper's do ([`scenario::header_value`]).
//!
//! Pieces:
//! - `benches/cors.rs`: criterion groups, one per scenario, plus origin-list scaling;
//! - [`alloc`]: a counting global allocator (the only `unsafe` in the workspace's
//!   bench/test code), used by `--bin alloc-report` and `tests/alloc.rs`;
//! - `--bin load-server <variant> <port>` + `load.sh`: wrk against loopback servers;
//! - `--bin profile-one` + `callgrind.sh`: instructions per request under callgrind.

pub mod alloc;
pub mod exec;
pub mod origin_lists;
pub mod scenario;
pub mod variants;

pub use scenario::Scenario;
pub use variants::Variant;
