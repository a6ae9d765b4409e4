//! Real-browser conformance suite for cors-runtime: headless Chromium loads a probe page from
//! `http://127.0.0.1:PAGE` and calls an API built with cors-runtime on `http://localhost:API`
//! (cross-site) or `http://127.0.0.1:API` (same-site). Each scenario asserts what the *browser* did:
//! allowed or blocked, status and body, readable headers, preflights sent, handler runs, cookies sent.
//!
//! Run: `cargo test -p cors-browser-tests` (add `-- FILTER` to run only scenarios whose name contains it,
//! `-- --list` to list them).
//!
//! Environment:
//! - `CHROMIUM_BIN`: the browser (default: `chromium` or `chromium-browser` on `PATH`).
//! - `CORS_E2E_REQUIRE_BROWSER=1`: no browser is a failure (CI). Otherwise the suite prints how to install
//!   one (`apt-get install chromium`) and skips.
//! - `CORS_E2E_JOBS`: browsers run at the same time (default 2).
//! - `CORS_E2E_VERBOSE=1`: print every probe and what the page saw (with Chromium's reason for a block).
//!
//! This binary has its own `main` (`harness = false`): one tokio runtime and one Chromium per group,
//! every scenario runs even if an earlier one failed, and the closing count is always printed.

mod api;
mod cx;
mod groups;
mod harness;

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::FutureExt;

use crate::cx::{Cx, Group, Scenario};
use crate::harness::{find_chromium, Chromium, Servers};

/// A scenario that takes longer than this fails (a hung browser must not hang CI).
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(60);

thread_local! {
    /// The last panic on this thread (message and location), captured by our panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn take_panic(payload: &(dyn std::any::Any + Send)) -> String {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into())
        })
}

struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    ignored_only: bool,
}

impl Args {
    /// Understands the libtest arguments cargo may pass; flags it does not use are ignored.
    fn parse() -> Self {
        let mut a = Self {
            filters: Vec::new(),
            skip: Vec::new(),
            exact: false,
            list: false,
            ignored_only: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--list" => a.list = true,
                "--exact" => a.exact = true,
                "--ignored" => a.ignored_only = true,
                "--skip" => a.skip.extend(it.next()),
                "--test-threads" | "--format" | "--color" | "--logfile" | "--shuffle-seed"
                | "-Z" => {
                    it.next();
                }
                s if s.starts_with('-') => {}
                s => a.filters.push(s.to_owned()),
            }
        }
        a
    }

    fn selects(&self, name: &str) -> bool {
        let hit = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        !self.ignored_only
            && (self.filters.is_empty() || self.filters.iter().any(hit))
            && !self.skip.iter().any(hit)
    }
}

struct Report {
    name: String,
    error: Option<String>,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
    }));
    let args = Args::parse();
    let selected: Vec<(&Group, Vec<(String, &Scenario)>)> = groups::GROUPS
        .iter()
        .map(|g| {
            (
                g,
                g.scenarios()
                    .filter(|(n, _)| args.selects(n))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let total: usize = selected.iter().map(|(_, s)| s.len()).sum();

    if args.list {
        for (_, scenarios) in &selected {
            for (name, _) in scenarios {
                println!("{name}: test");
            }
        }
        return ExitCode::SUCCESS;
    }
    if total == 0 {
        println!("browser scenarios: 0 passed, 0 failed (none selected)");
        return ExitCode::SUCCESS;
    }

    let require = std::env::var("CORS_E2E_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Some(bin) = find_chromium() else {
        if require {
            eprintln!(
                "browser scenarios: FAILED: no Chromium found (CHROMIUM_BIN or chromium on PATH) and \
                 CORS_E2E_REQUIRE_BROWSER=1. Install it with: apt-get install chromium"
            );
            return ExitCode::FAILURE;
        }
        println!(
            "browser scenarios: SKIPPED, no Chromium found (set CHROMIUM_BIN, or install it: apt-get install chromium; \
             CORS_E2E_REQUIRE_BROWSER=1 makes this a failure)"
        );
        println!("browser scenarios: 0 passed, 0 failed, {total} skipped");
        return ExitCode::SUCCESS;
    };

    let jobs = std::env::var("CORS_E2E_JOBS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2)
        .min(selected.len());
    println!(
        "running {total} browser scenarios in {} groups ({jobs} at a time) with {}",
        selected.len(),
        bin.display()
    );

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Report>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((group, scenarios)) = selected.get(i) else {
                    break;
                };
                let r = run_group(&bin, group, scenarios);
                reports.lock().unwrap().extend(r);
            });
        }
    });
    let reports = reports.into_inner().unwrap();

    let failed: Vec<&Report> = reports.iter().filter(|r| r.error.is_some()).collect();
    let passed = reports.len() - failed.len();
    if !failed.is_empty() {
        println!("\nfailures:");
        for r in &failed {
            println!(
                "\n---- {} ----\n{}",
                r.name,
                r.error.as_deref().unwrap_or_default()
            );
        }
        println!("\nfailed scenarios:");
        for r in &failed {
            println!("    {}", r.name);
        }
        println!();
    }
    println!(
        "browser scenarios: {passed} passed, {} failed; {} browser launches, {:.1} s",
        failed.len(),
        selected.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One group: its own tokio runtime, servers and Chromium (fresh profile). A failure in the setup fails
/// every scenario of the group; a failing scenario does not stop the others.
fn run_group(bin: &Path, group: &Group, scenarios: &[(String, &Scenario)]) -> Vec<Report> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let bin: PathBuf = bin.to_owned();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async {
            let t = Instant::now();
            let srv = Servers::start(api::router()).await;
            let chromium = Chromium::launch(&bin).await;
            let launched = t.elapsed();
            // If the first page fails, still close the browser cleanly before failing the group.
            let page_url = format!("{}/", srv.page_origin());
            let page = match AssertUnwindSafe(chromium.open(&page_url)).catch_unwind().await {
                Ok(page) => page,
                Err(payload) => {
                    chromium.close().await;
                    std::panic::resume_unwind(payload);
                }
            };
            let cx = Cx::new(srv, chromium, page);
            println!(
                "group {}: Chromium launched in {} ms, probe page ready after {} ms (page {}, API port {}, profile {})",
                group.name,
                launched.as_millis(),
                t.elapsed().as_millis(),
                cx.srv.page_origin(),
                cx.srv.api,
                cx.chromium.profile().display()
            );
            let mut reports = Vec::new();
            for (name, scenario) in scenarios {
                reports.push(run_scenario(&cx, name, scenario).await);
            }
            let closing = Instant::now();
            cx.close().await;
            println!(
                "group {}: done in {} ms (closing Chromium took {} ms)",
                group.name,
                t.elapsed().as_millis(),
                closing.elapsed().as_millis()
            );
            reports
        })
    }));
    drop(rt);
    match outcome {
        Ok(reports) => reports,
        Err(payload) => {
            let msg = take_panic(&*payload);
            println!("group {}: setup FAILED: {msg}", group.name);
            scenarios
                .iter()
                .map(|(name, _)| Report {
                    name: name.clone(),
                    error: Some(format!("group `{}` could not start: {msg}", group.name)),
                })
                .collect()
        }
    }
}

async fn run_scenario(cx: &Cx, name: &str, scenario: &Scenario) -> Report {
    let t = Instant::now();
    let fut = AssertUnwindSafe((scenario.run)(cx)).catch_unwind();
    let error = match tokio::time::timeout(SCENARIO_TIMEOUT, fut).await {
        Ok(Ok(())) => None,
        Ok(Err(payload)) => Some(take_panic(&*payload)),
        Err(_) => Some(format!("timed out after {SCENARIO_TIMEOUT:?}")),
    };
    let ms = t.elapsed().as_millis();
    match &error {
        None => println!("scenario {name} ... ok ({ms} ms)"),
        Some(_) => println!("scenario {name} ... FAILED ({ms} ms)"),
    }
    Report {
        name: name.to_owned(),
        error,
    }
}
