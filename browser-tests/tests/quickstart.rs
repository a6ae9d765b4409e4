//! The quickstart demo in a real browser: serves the API and the page of
//! `examples/quickstart/demo.rs` (the code `cargo run --example quickstart`
//! runs), opens the page in headless Chromium, clicks every call, checks each
//! row of the table (preflight, allowed or blocked, status, the server's
//! refusal reason) and takes a screenshot of the page.
//!
//! The screenshot goes to `target/tmp/quickstart.png`; with
//! `CORS_E2E_SCREENSHOT=1` it replaces `docs/quickstart.png`, the one the
//! README shows:
//!
//! ```text
//! CORS_E2E_SCREENSHOT=1 cargo test -p cors-browser-tests --test quickstart
//! ```
//!
//! Without a browser it is skipped, unless `CORS_E2E_REQUIRE_BROWSER=1`
//! (see `tests/browser/main.rs`).

// The suite's harness, for its Chromium launcher (fresh profile, no process
// left behind); the rest of it serves the suite's own probe page.
#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

#[path = "../../examples/quickstart/demo.rs"]
mod demo;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::ServiceExt as _;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::layout::Point;
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::Page;
use serde_json::Value;
use tokio::net::TcpListener;
use tracing_subscriber::layer::SubscriberExt as _;

use crate::harness::{find_chromium, Chromium};

/// Width of the page in the screenshot, in CSS pixels.
const WIDTH: i64 = 1200;
/// Device pixels per CSS pixel in the screenshot: sharp on high-density screens.
const SCALE: f64 = 2.0;
/// How long the page may take to fill a row.
const ROW_TIMEOUT: Duration = Duration::from_secs(20);

/// What each row must show, in the order of the page's buttons.
struct Expected {
    button: &'static str,
    preflight: &'static str,
    browser: &'static str,
    js_saw: &'static str,
    reason: &'static str,
}

const EXPECTED: &[Expected] = &[
    // `origins = "*"`: a simple GET, no preflight.
    Expected {
        button: "show",
        preflight: "not needed",
        browser: "allowed",
        js_saw: "200",
        reason: "—",
    },
    // The demo page's own PUT: preflight answered 204, then the handler's 200.
    Expected {
        button: "update",
        preflight: "sent · 204",
        browser: "allowed",
        js_saw: "200",
        reason: "—",
    },
    // The same PUT with a wrong key: the preflight is cached (max_age), and
    // the auth middleware's 401 carries the handler's CORS headers.
    Expected {
        button: "badkey",
        preflight: "cached",
        browser: "allowed",
        js_saw: "401",
        reason: "—",
    },
    // An admin-only DELETE: the preflight is refused, the server says why.
    Expected {
        button: "delete",
        preflight: "sent · 403",
        browser: "blocked",
        js_saw: "blocked",
        reason: "preflight refused: the origin is not allowed",
    },
    // No #[cors]: the router-wide CorsLayer answers.
    Expected {
        button: "health",
        preflight: "not needed",
        browser: "allowed",
        js_saw: "200",
        reason: "—",
    },
];

#[test]
fn quickstart_page_in_chromium() {
    let require = std::env::var("CORS_E2E_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Some(bin) = find_chromium() else {
        assert!(
            !require,
            "no Chromium found (CHROMIUM_BIN or chromium on PATH) and CORS_E2E_REQUIRE_BROWSER=1; \
             install it with: apt-get install chromium"
        );
        println!("quickstart: SKIPPED, no Chromium found (apt-get install chromium)");
        return;
    };
    // The demo's recorder, on this thread only: the servers run on this
    // thread's runtime, and no other test's events get in.
    let log = demo::DemoLog::default();
    let _subscriber =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(log.layer()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(run(&bin, log));
}

async fn run(bin: &Path, log: demo::DemoLog) {
    // Free ports. The page is on `localhost`, an origin the demo's PUT policy
    // allows on any port (`http://localhost:*`); the API on 127.0.0.1.
    let api_listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind the API");
    let api_origin = format!("http://{}", api_listener.local_addr().unwrap());
    let (page_port, page_listeners) = bind_localhost().await;
    let page_origin = format!("http://localhost:{page_port}");

    let api = demo::api_with_log(log.clone());
    tokio::spawn(async move {
        axum::serve(api_listener, api.into_make_service())
            .await
            .expect("serve the API")
    });
    let page = demo::page(&api_origin, log);
    for listener in page_listeners {
        let page = page.clone();
        tokio::spawn(async move { axum::serve(listener, page).await.expect("serve the page") });
    }

    let chromium = Chromium::launch(bin).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(120),
        drive(&chromium, &page_origin, &api_origin),
    )
    .await;
    chromium.close().await;
    let shot = outcome.expect("the quickstart page took more than 120 s");
    println!("quickstart: screenshot saved to {}", shot.display());
}

/// Opens the page, clicks every call, checks the rows, saves the screenshot.
async fn drive(chromium: &Chromium, page_origin: &str, api_origin: &str) -> PathBuf {
    let page = chromium
        .browser()
        .new_page(format!("{page_origin}/"))
        .await
        .expect("open the quickstart page");
    page.execute(SetDeviceMetricsOverrideParams::new(
        WIDTH, 900, SCALE, false,
    ))
    .await
    .expect("set the viewport");
    wait_for(&page, "document.querySelectorAll('#calls button').length").await;
    let buttons: Vec<String> = page
        .evaluate("[...document.querySelectorAll('#calls button')].map(b => b.id)")
        .await
        .expect("list the buttons")
        .into_value()
        .expect("button ids");
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.button).collect();
    assert_eq!(buttons, expected, "the page's calls");

    for (done, button) in buttons.iter().enumerate() {
        page.find_element(format!("#{button}"))
            .await
            .unwrap_or_else(|e| panic!("find #{button}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click #{button}: {e}"));
        let rows = format!(
            "document.querySelectorAll('#rows tr.done').length >= {}",
            done + 1
        );
        wait_for(&page, &rows).await;
    }

    let rows: Vec<Vec<String>> = page
        .evaluate(
            "[...document.querySelectorAll('#rows tr')].map(tr => [...tr.cells].map(td => td.innerText.trim()))",
        )
        .await
        .expect("read the table")
        .into_value()
        .expect("rows of cells");
    let table = rows
        .iter()
        .map(|cells| cells.join(" | ").replace('\n', " / "))
        .collect::<Vec<_>>()
        .join("\n  ");
    println!("quickstart: the page's table\n  {table}");
    assert_eq!(rows.len(), EXPECTED.len(), "one row per call:\n  {table}");
    for (row, expected) in rows.iter().zip(EXPECTED) {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        let first_line = |i: usize| cell(i).lines().next().unwrap_or_default();
        let what = format!(
            "row of #{}:\n  {}\nin\n  {table}",
            expected.button,
            row.join(" | ")
        );
        assert_eq!(cell(2), page_origin, "page origin, {what}");
        assert!(!cell(1).is_empty(), "request, {what}");
        assert_eq!(first_line(3), expected.preflight, "preflight, {what}");
        assert_eq!(cell(4), expected.browser, "browser, {what}");
        assert!(
            first_line(5).starts_with(expected.js_saw),
            "JavaScript saw, {what}"
        );
        assert_eq!(first_line(6), expected.reason, "refusal reason, {what}");
    }
    let api_host = api_origin.trim_start_matches("http://");
    let shown: String = page
        .evaluate("document.querySelector('p.lead').innerText")
        .await
        .expect("read the intro")
        .into_value()
        .expect("text");
    assert!(shown.contains(api_host), "the page names the API: {shown}");

    // The pointer off the buttons, so that none shows its hover style.
    page.move_mouse(Point { x: 0.0, y: 0.0 })
        .await
        .expect("move the pointer away");
    tokio::time::sleep(Duration::from_millis(300)).await; // the buttons' transitions
    screenshot(&page).await
}

/// Waits until `js` is truthy in the page.
async fn wait_for(page: &Page, js: &str) {
    let deadline = tokio::time::Instant::now() + ROW_TIMEOUT;
    loop {
        let value = page
            .evaluate(js)
            .await
            .ok()
            .and_then(|v| v.into_value::<Value>().ok());
        if matches!(&value, Some(v) if v.as_bool() == Some(true) || v.as_u64().is_some_and(|n| n > 0))
        {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {ROW_TIMEOUT:?} for `{js}` (last value {value:?})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The whole page as a PNG: in `target/tmp/`, and in `docs/` when asked.
async fn screenshot(page: &Page) -> PathBuf {
    let height: f64 = page
        .evaluate("document.querySelector('main').getBoundingClientRect().bottom")
        .await
        .expect("page height")
        .into_value()
        .expect("a number");
    page.execute(SetDeviceMetricsOverrideParams::new(
        WIDTH,
        height.ceil() as i64,
        SCALE,
        false,
    ))
    .await
    .expect("fit the viewport to the page");
    let png = page
        .screenshot(
            ScreenshotParams::builder()
                .format(CaptureScreenshotFormat::Png)
                .build(),
        )
        .await
        .expect("take the screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = if std::env::var("CORS_E2E_SCREENSHOT").is_ok_and(|v| v == "1") {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/quickstart.png")
    } else {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("quickstart.png")
    };
    std::fs::write(&path, &png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// A free port on 127.0.0.1, and on [::1] too where there is IPv6, so that
/// `localhost` reaches the page whichever address the browser tries first.
async fn bind_localhost() -> (u16, Vec<TcpListener>) {
    for _ in 0..20 {
        let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the page on 127.0.0.1");
        let port = v4.local_addr().unwrap().port();
        match TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await {
            Ok(v6) => return (port, vec![v4, v6]),
            // No IPv6 here: 127.0.0.1 alone.
            Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => return (port, vec![v4]),
            // The port is taken on [::1]: another one.
            Err(_) => continue,
        }
    }
    panic!("no port free on both 127.0.0.1 and [::1]");
}
