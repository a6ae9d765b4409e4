//! A minimal executor for futures that complete without real I/O.
//!
//! axum handlers in this harness are ready on their first poll, so a no-op
//! waker is enough. Using it instead of a tokio runtime keeps scheduler work
//! (and its allocations) out of both the timings and the allocation counts.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use http::{Request, Response};
use tower::ServiceExt;

use crate::variants::App;

/// Polls `fut` to completion on the current thread with a no-op waker.
///
/// # Panics
///
/// If the future is still pending after many polls (it would be waiting on
/// real I/O or a timer, which nothing in this harness does).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("future did not complete: it waits on something a no-op waker never wakes");
}

/// Sends `req` through `app` with `oneshot` (the app is consumed; pass a clone).
///
/// Never inlined, so profilers can isolate it (`valgrind --toggle-collect=*exec::oneshot*`).
#[inline(never)]
pub fn oneshot(app: impl Into<App>, req: Request<Body>) -> Response<Body> {
    let result = match app.into() {
        App::Axum(router) => block_on(router.oneshot(req)),
        App::Cors(router) => block_on(router.oneshot(req)),
    };
    match result {
        Ok(res) => res,
        Err(never) => match never {},
    }
}
