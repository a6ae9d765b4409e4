//! A counting global allocator, for allocation accounting per request.
//!
//! This is the only `unsafe` code in the bench/test crates: `GlobalAlloc` is
//! an unsafe trait. [`CountingAlloc`] forwards every call to [`System`] and,
//! while [`measure`] is running *on the current thread*, counts each
//! `alloc` / `alloc_zeroed` / `realloc` call as one allocation and adds the
//! requested size (the new size for `realloc`) to the byte total. Counters are
//! thread-local, so other threads (the test harness, criterion) never leak
//! into a measurement.
//!
//! A binary opts in with:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: cors_benches::alloc::CountingAlloc = cors_benches::alloc::CountingAlloc;
//! ```
//!
//! Without that line [`measure`] still runs the closure but reports zeros
//! (see [`is_installed`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crate::exec;
use crate::{Scenario, Variant};

/// Forwards to [`System`], counting on threads that are inside [`measure`].
pub struct CountingAlloc;

struct Counters {
    active: Cell<bool>,
    trace: Cell<bool>,
    allocs: Cell<u64>,
    bytes: Cell<u64>,
    deallocs: Cell<u64>,
}

thread_local! {
    // `const` initialisation and no `Drop`: touching it never allocates and
    // needs no destructor registration, so it is safe to use from the allocator.
    static COUNTERS: Counters = const {
        Counters {
            active: Cell::new(false),
            trace: Cell::new(false),
            allocs: Cell::new(0),
            bytes: Cell::new(0),
            deallocs: Cell::new(0),
        }
    };
}

#[inline]
fn record_alloc(size: usize) {
    let _ = COUNTERS.try_with(|c| {
        if c.active.get() {
            c.allocs.set(c.allocs.get() + 1);
            c.bytes.set(c.bytes.get() + size as u64);
            if c.trace.get() {
                // Counting is off while the backtrace is taken and printed, so
                // the allocations that does fall straight through to `System`.
                c.active.set(false);
                let n = c.allocs.get();
                let bt = std::backtrace::Backtrace::force_capture();
                eprintln!("--- allocation #{n}: {size} B\n{bt}");
                c.active.set(true);
            }
        }
    });
}

#[inline]
fn record_dealloc() {
    let _ = COUNTERS.try_with(|c| {
        if c.active.get() {
            c.deallocs.set(c.deallocs.get() + 1);
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged; the bookkeeping only touches a const-initialised thread-local of
// `Cell`s, which neither allocates nor unwinds.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record_alloc(layout.size());
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record_alloc(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record_dealloc();
        // SAFETY: `ptr` came from `System` through this allocator with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record_alloc(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What one measured region allocated on its thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocStats {
    /// `alloc` + `alloc_zeroed` + `realloc` calls.
    pub allocs: u64,
    /// Bytes requested by those calls (new size for `realloc`).
    pub bytes: u64,
    /// `dealloc` calls (informational).
    pub deallocs: u64,
}

/// Runs `f` with counting switched on for the current thread.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, AllocStats) {
    COUNTERS.with(|c| {
        c.allocs.set(0);
        c.bytes.set(0);
        c.deallocs.set(0);
        c.active.set(true);
    });
    let out = f();
    let stats = COUNTERS.with(|c| {
        c.active.set(false);
        AllocStats {
            allocs: c.allocs.get(),
            bytes: c.bytes.get(),
            deallocs: c.deallocs.get(),
        }
    });
    (out, stats)
}

/// Like [`measure`], but prints a backtrace of every counted allocation to
/// stderr (for finding where a request's allocations come from; build in
/// debug for complete frames).
pub fn measure_traced<T>(f: impl FnOnce() -> T) -> (T, AllocStats) {
    COUNTERS.with(|c| c.trace.set(true));
    let out = measure(f);
    COUNTERS.with(|c| c.trace.set(false));
    out
}

/// Whether [`CountingAlloc`] is this binary's global allocator.
pub fn is_installed() -> bool {
    let (_, stats) = measure(|| std::hint::black_box(Box::new(0u8)));
    stats.allocs == 1
}

/// Number of unmeasured runs before the measured one.
pub const WARMUP_RUNS: usize = 5;

/// Allocations of one warmed-up request of `scenario` through `variant`.
///
/// The router and the request are built before counting starts and the
/// response is dropped after it stops: only the `oneshot` call (routing,
/// CORS work, the handler and response construction) is counted.
pub fn per_request(variant: Variant, scenario: Scenario) -> AllocStats {
    per_request_with(variant, scenario, false)
}

/// [`per_request`] with a backtrace printed for each allocation.
pub fn per_request_traced(variant: Variant, scenario: Scenario) -> AllocStats {
    per_request_with(variant, scenario, true)
}

fn per_request_with(variant: Variant, scenario: Scenario, traced: bool) -> AllocStats {
    let router = variant.app();
    for _ in 0..WARMUP_RUNS {
        drop(exec::oneshot(router.clone(), scenario.request()));
    }
    let (router, req) = (router.clone(), scenario.request());
    let send = || exec::oneshot(router, req);
    let (res, stats) = if traced {
        measure_traced(send)
    } else {
        measure(send)
    };
    drop(res);
    stats
}
