//! Which policy governs a request: the one rule that [`route!`](crate::route!),
//! [`CorsLayer`](crate::CorsLayer) and [`CorsRouter`](crate::CorsRouter) share.
//!
//! **The most specific policy decides**: the `#[cors]` policy of the handler
//! routed for the method, then the innermost `CorsLayer`, then the ones further
//! out. A less specific policy never answers or decorates what a more specific
//! one handled, and never turns its refusal into a grant.
//!
//! How each piece learns what is more specific than itself:
//!
//! - Under a [`CorsRouter`](crate::CorsRouter), everything is decided in one
//!   place, before any middleware: the router knows each path's handler
//!   policies (see [`discover`]) and its layers. While it governs a request it
//!   marks the poll ([`OuterStep`]), and the `route!` wrappers inside stand down.
//! - In a plain axum `Router`, a `CorsLayer` tells what it wraps that it is
//!   there ([`OuterLayer`] on the request), and whatever answered or decorated
//!   a response more specifically says so ([`Handled`] on the response).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::Engine;

/// Request extension: a [`CorsLayer`](crate::CorsLayer) further out answers
/// unless something more specific does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OuterLayer;

/// Response extension: a more specific policy answered or decorated this
/// response, so the layers further out leave it alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handled;

/// The method name a `route!` `any(..)` handler is listed under.
pub(crate) const ANY: &str = "*";

/// The handler policy for a request with `method`, found through `find`:
/// the handler routed for that method, HEAD falling back to GET as in axum,
/// then an `any(..)` handler. Methods are compared byte for byte.
pub(crate) fn handler_for<'a>(
    method: &[u8],
    find: impl Fn(&[u8]) -> Option<&'a Engine>,
) -> Option<&'a Engine> {
    find(method)
        .or_else(|| (method == b"HEAD").then(|| find(b"GET")).flatten())
        .or_else(|| find(ANY.as_bytes()))
}

thread_local! {
    /// Set while a [`CorsRouter`](crate::CorsRouter) polls the app it wraps for
    /// a request it governs.
    static OUTER_STEP: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current poll as one a [`CorsRouter`](crate::CorsRouter) governs:
/// the `route!` wrappers polled inside leave answering and decorating to it.
///
/// Every `route!` handler of the request is called and polled inside the
/// router's poll, on the same thread, however many middleware sit between;
/// only a middleware that spawns the rest onto another task escapes the mark,
/// and then the handler decorates too, with the same policy (the router's
/// decoration replaces it, so the response is the same).
pub(crate) struct OuterStep {
    previous: bool,
}

impl OuterStep {
    pub(crate) fn enter() -> Self {
        Self {
            previous: OUTER_STEP.replace(true),
        }
    }

    /// Whether a [`CorsRouter`](crate::CorsRouter) further out governs this request.
    pub(crate) fn governs() -> bool {
        OUTER_STEP.get()
    }
}

impl Drop for OuterStep {
    fn drop(&mut self) {
        OUTER_STEP.set(self.previous);
    }
}

/// What [`discover`] finds in a router part as it is cloned.
#[derive(Debug)]
pub(crate) enum Found {
    /// A `route!` handler routed for `method` (or [`ANY`]) with its policy.
    Handler {
        method: &'static str,
        engine: &'static Engine,
    },
    /// A `CorsLayer` hidden inside a layer stack or a `MethodRouter`.
    Layer,
}

/// How many [`discover`] calls are running, on any thread: a clone checks this
/// one atomic before it looks further, so the per-request clones axum makes
/// cost nothing more.
static DISCOVERING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static FOUND: RefCell<Option<Vec<Found>>> = const { RefCell::new(None) };
}

/// Runs `clone`, collecting what the `route!` handlers and `CorsLayer`s report
/// as they are cloned (see [`report`]).
///
/// This is how [`CorsRouter`](crate::CorsRouter) reads the policies of a
/// `MethodRouter` that axum keeps opaque: cloning one clones every handler in
/// it, and only the pieces of this crate report. No request is made and no
/// user code runs, beyond the `Clone` impls of the handlers.
pub(crate) fn discover<T>(clone: impl FnOnce() -> T) -> (T, Vec<Found>) {
    struct Listening(Option<Vec<Found>>);
    impl Drop for Listening {
        fn drop(&mut self) {
            FOUND.set(self.0.take());
            DISCOVERING.fetch_sub(1, Ordering::Relaxed);
        }
    }
    DISCOVERING.fetch_add(1, Ordering::Relaxed);
    let listening = Listening(FOUND.replace(Some(Vec::new())));
    let value = clone();
    let found = FOUND.take().unwrap_or_default();
    drop(listening);
    (value, found)
}

/// Called from the `Clone` impls of this crate's router pieces.
pub(crate) fn report(found: impl FnOnce() -> Found) {
    if DISCOVERING.load(Ordering::Relaxed) == 0 {
        return;
    }
    FOUND.with_borrow_mut(|list| {
        if let Some(list) = list {
            list.push(found());
        }
    });
}
