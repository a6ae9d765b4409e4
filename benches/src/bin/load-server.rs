//! A small HTTP/1 server for load tests: `load-server <variant> <port>`.
//!
//! Binds 127.0.0.1 only. Variants: `bare`, `tower-http`, `route`, `layer`.
//! Worker threads: `LOAD_SERVER_THREADS` (default 1, leaving the second core
//! of a 2-core machine to the load generator).
//!
//! ```text
//! cargo run --release -p cors-benches --bin load-server -- route 18081
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use cors_benches::variants::App;
use cors_benches::Variant;

fn usage() -> ExitCode {
    let names: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    eprintln!("usage: load-server <{}> <port>", names.join("|"));
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [variant, port] = args.as_slice() else {
        return usage();
    };
    let (Some(variant), Ok(port)) = (Variant::from_name(variant), port.parse::<u16>()) else {
        return usage();
    };
    let threads = std::env::var("LOAD_SERVER_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_io()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("bind {addr}: {e}"));
        eprintln!(
            "load-server: {} on http://{addr} ({threads} worker thread(s))",
            variant.name()
        );
        match variant.app() {
            App::Axum(router) => axum::serve(listener, router).await,
            App::Cors(router) => axum::serve(listener, router.into_make_service()).await,
        }
        .expect("server error");
    });
    ExitCode::SUCCESS
}
