//! Harness: the test servers (probe page, API, request log) and the headless Chromium that drives them.
//!
//! Only two things are trusted in assertions (`browser-tests/README.md`, "How it is built"): what JavaScript in the
//! page saw (the `probe` result) and what the API server's request log recorded. CDP events are used only
//! to explain failures (`why`), never asserted on.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use chromiumoxide::cdp::browser_protocol::network::{EventLoadingFailed, EventRequestWillBeSent};
use chromiumoxide::{Browser, BrowserConfig, Page};
use cors_runtime::CorsRouter;
use futures::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;

/// Ports the probe page may be served from. The API's policies list `http://127.0.0.1:<port>` for each of
/// these (see `api::PAGE`), so they are fixed; a group takes the first pair that is free. `port + 1` is the
/// "wrong port" origin, which no policy lists. Keep in sync with `api::PAGE` / `api::LAYER`.
/// They lie below the ephemeral port ranges of Linux (32768+) and macOS (49152+), so an outgoing
/// connection or a `:0` listener never takes them.
pub const PAGE_PORTS: [u16; 3] = [28611, 28621, 28631];

/// How long one browser call (navigation, `evaluate`) may take before the scenario fails.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------------------
// Request log (outermost layer of the API server)
// ---------------------------------------------------------------------------------------------------------

/// One request as the API server saw it, before any CORS handling.
#[derive(Clone, Debug)]
pub struct Entry {
    pub method: String,
    pub path: String,
    /// All `Origin` lines joined with `" | "` (normally exactly one).
    pub origin: Option<String>,
    pub acrm: Option<String>,
    pub acrh: Option<String>,
    pub cookie: Option<String>,
    pub authorization: Option<String>,
    /// Set by the [`Ran`] extractor: the user's handler was called.
    pub handler_ran: bool,
    pub status: Option<u16>,
}

impl Entry {
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.acrm.is_some()
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        write!(
            f,
            " origin={} acrm={} acrh={}",
            opt(&self.origin),
            opt(&self.acrm),
            opt(&self.acrh)
        )?;
        write!(
            f,
            " cookie={} handler_ran={}",
            opt(&self.cookie),
            self.handler_ran
        )?;
        match self.status {
            Some(s) => write!(f, " -> {s}"),
            None => write!(f, " -> (no response yet)"),
        }
    }
}

/// What the server saw for one path: preflights, other requests, handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub preflights: usize,
    pub requests: usize,
    pub runs: usize,
}

#[derive(Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Entry>>>);

impl RequestLog {
    pub fn entries(&self, path: &str) -> Vec<Entry> {
        let all = self.0.lock().unwrap();
        all.iter().filter(|e| e.path == path).cloned().collect()
    }

    pub fn preflights(&self, path: &str) -> Vec<Entry> {
        self.entries(path)
            .into_iter()
            .filter(Entry::is_preflight)
            .collect()
    }

    /// Requests that are not preflights (what the browser sent as the "actual" request).
    pub fn requests(&self, path: &str) -> Vec<Entry> {
        self.entries(path)
            .into_iter()
            .filter(|e| !e.is_preflight())
            .collect()
    }

    pub fn seen(&self, path: &str) -> Seen {
        let e = self.entries(path);
        Seen {
            preflights: e.iter().filter(|e| e.is_preflight()).count(),
            requests: e.iter().filter(|e| !e.is_preflight()).count(),
            runs: e.iter().filter(|e| e.handler_ran).count(),
        }
    }

    pub fn dump(&self, path: &str) -> String {
        let e = self.entries(path);
        if e.is_empty() {
            return format!("server log for {path}: (nothing)");
        }
        let mut s = format!("server log for {path}:");
        for x in e {
            s.push_str("\n    ");
            s.push_str(&x.to_string());
        }
        s
    }

    fn push(&self, entry: Entry) -> usize {
        let mut all = self.0.lock().unwrap();
        all.push(entry);
        all.len() - 1
    }

    fn update(&self, id: usize, f: impl FnOnce(&mut Entry)) {
        if let Some(e) = self.0.lock().unwrap().get_mut(id) {
            f(e);
        }
    }
}

/// Put into the request's extensions by the log layer, so the handler can mark its log entry.
#[derive(Clone)]
struct RunMarker {
    log: RequestLog,
    id: usize,
}

/// Extractor that marks "the handler ran" in the request log. Put it after any extractor that may
/// reject (a rejected extractor means the handler did not run).
pub struct Ran;

impl<S: Send + Sync> FromRequestParts<S> for Ran {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(m) = parts.extensions.get::<RunMarker>() {
            m.log.update(m.id, |e| e.handler_ran = true);
        }
        Ok(Ran)
    }
}

fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(" | "))
}

async fn record(State(log): State<RequestLog>, mut req: Request, next: Next) -> Response {
    let h = req.headers();
    let entry = Entry {
        method: req.method().as_str().to_owned(),
        path: req.uri().path().to_owned(),
        origin: header_value(h, "origin"),
        acrm: header_value(h, "access-control-request-method"),
        acrh: header_value(h, "access-control-request-headers"),
        cookie: header_value(h, "cookie"),
        authorization: header_value(h, "authorization"),
        handler_ran: false,
        status: None,
    };
    let id = log.push(entry);
    req.extensions_mut().insert(RunMarker {
        log: log.clone(),
        id,
    });
    let res = next.run(req).await;
    let status = res.status().as_u16();
    log.update(id, |e| e.status = Some(status));
    res
}

// ---------------------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------------------

/// The probe page. `probe(url, init)` runs `fetch` and reports what the page could see;
/// `probeSandboxed(url, init)` does the same from an `<iframe sandbox="allow-scripts" srcdoc=...>`
/// (opaque origin, so the request carries `Origin: null`).
const PAGE_HTML: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>cors probe</title>
<script>
async function describe(r) {
  const headers = {};
  r.headers.forEach((v, k) => { headers[k] = v; });
  return { ok: true, status: r.status, headers, body: await r.text() };
}
window.probe = async (url, init) => {
  try { return await describe(await fetch(url, init || {})); }
  catch (e) { return { ok: false, error: String(e) }; }
};
function sandboxed(req) {
  (async () => {
    let result;
    try {
      const r = await fetch(req.url, req.init || {});
      const headers = {};
      r.headers.forEach((v, k) => { headers[k] = v; });
      result = { ok: true, status: r.status, headers, body: await r.text() };
    } catch (e) { result = { ok: false, error: String(e) }; }
    result.origin = String(self.origin);
    parent.postMessage({ id: req.id, result }, '*');
  })();
}
window.probeSandboxed = (url, init) => new Promise((resolve) => {
  const id = Math.random().toString(36).slice(2);
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  const onMessage = (ev) => {
    if (!ev.data || ev.data.id !== id) return;
    window.removeEventListener('message', onMessage);
    frame.remove();
    resolve(ev.data.result);
  };
  window.addEventListener('message', onMessage);
  const req = JSON.stringify({ id, url, init: init || {} }).replace(/</g, '\\u003c');
  frame.srcdoc = '<script>(' + sandboxed.toString() + ')(' + req + ')<\/script>';
  document.body.appendChild(frame);
});
window.probeReady = true;
</script></head><body></body></html>"#;

/// Binds `port` on 127.0.0.1 and, where the machine has IPv6, on [::1] too (Chromium tries [::1] first
/// for `localhost`; listening there keeps the request from reaching some other process).
async fn bind_loopback(port: u16) -> std::io::Result<(TcpListener, Option<TcpListener>)> {
    let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let port = v4.local_addr()?.port();
    let v6 = match TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await {
        Ok(l) => Some(l),
        // Someone else has [::1]:port; Chromium would reach them for `localhost`. Try another port.
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(e),
        // No IPv6 loopback on this machine: Chromium falls back to 127.0.0.1 at once.
        Err(_) => None,
    };
    Ok((v4, v6))
}

fn serve<S>(listeners: (TcpListener, Option<TcpListener>), app: S)
where
    S: tower_service::Service<Request, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    let (v4, v6) = listeners;
    let make = |app| axum::ServiceExt::<Request>::into_make_service(app);
    if let Some(v6) = v6 {
        let app = make(app.clone());
        tokio::spawn(async move { axum::serve(v6, app).await.expect("serve [::1]") });
    }
    let app = make(app);
    tokio::spawn(async move { axum::serve(v4, app).await.expect("serve 127.0.0.1") });
}

pub struct Servers {
    /// Port of the probe page (`http://127.0.0.1:PAGE` and `http://localhost:PAGE`).
    pub page: u16,
    /// Port of the "wrong port" page (`http://127.0.0.1:PAGE+1`), an origin no policy lists.
    pub wrong: u16,
    /// Port of the API (`http://localhost:API` cross-site, `http://127.0.0.1:API` same-site).
    pub api: u16,
    pub log: RequestLog,
}

impl Servers {
    /// Starts the probe page (and its wrong-port twin) and the API. `api` is the router under test; the
    /// request log is added here as its outermost layer, so it also sees preflights.
    /// Serves `api` with the request log outermost, outside the `CorsRouter`,
    /// so it sees every preflight that router answers.
    pub async fn start(api: CorsRouter) -> Self {
        let log = RequestLog::default();
        let api =
            tower_layer::Layer::layer(&middleware::from_fn_with_state(log.clone(), record), api);
        let mut api_listeners = bind_loopback(0).await;
        for _ in 0..20 {
            // The free 127.0.0.1 port may be taken on [::1]: pick another one.
            if api_listeners.is_ok() {
                break;
            }
            api_listeners = bind_loopback(0).await;
        }
        let api_listeners = api_listeners.expect("bind an API port on 127.0.0.1 and [::1]");
        let api_port = api_listeners.0.local_addr().unwrap().port();

        let (page, wrong, page_listeners, wrong_listeners) = bind_page_ports().await;
        let page_app = Router::new()
            .route("/", get(|| async { Html(PAGE_HTML) }))
            .route(
                "/favicon.ico",
                get(|| async { axum::http::StatusCode::NO_CONTENT }),
            );
        serve(page_listeners, page_app.clone());
        serve(wrong_listeners, page_app);
        serve(api_listeners, api);
        Self {
            page,
            wrong,
            api: api_port,
            log,
        }
    }

    pub fn page_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.page)
    }

    pub fn wrong_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.wrong)
    }

    pub fn localhost_origin(&self) -> String {
        format!("http://localhost:{}", self.page)
    }

    /// API URL on another site (`localhost` vs the page's `127.0.0.1`): cross-origin and cross-site.
    pub fn cross(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.api)
    }

    /// API URL on the page's site (`127.0.0.1`, another port): cross-origin but same-site (cookies work).
    pub fn same_site(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.api)
    }
}

type Listeners = (TcpListener, Option<TcpListener>);

/// Takes the first free pair (page, page + 1) from [`PAGE_PORTS`]; waits up to 20 s if all are busy
/// (e.g. several suites running at once).
async fn bind_page_ports() -> (u16, u16, Listeners, Listeners) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        for port in PAGE_PORTS {
            let Ok(page) = bind_loopback(port).await else {
                continue;
            };
            let Ok(wrong) = bind_loopback(port + 1).await else {
                continue;
            };
            return (port, port + 1, page, wrong);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "none of the probe page ports {PAGE_PORTS:?} (and port+1) is free on 127.0.0.1/[::1]"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------------------

/// Chromium flags (chromiumoxide adds `--` and already passes `--headless`; `--no-sandbox` comes from
/// `.no_sandbox()`, needed when running as root). The rest keeps Chromium from calling any outside host.
const FLAGS: &[&str] = &[
    "disable-gpu",
    "disable-quic",
    "no-first-run",
    "no-default-browser-check",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
    "disable-domain-reliability",
    "disable-dev-shm-usage",
];

/// Where the browser is: `$CHROMIUM_BIN`, else `chromium` / `chromium-browser` on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("CHROMIUM_BIN") {
        let bin = PathBuf::from(bin);
        return bin.is_file().then_some(bin);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// PIDs of the processes running with `profile` as their `--user-data-dir` (the browser and all its
/// helpers carry it; the profile is unique to one launch, so these are ours).
fn profile_processes(profile: &Path) -> Vec<u32> {
    let needle = format!("--user-data-dir={}", profile.display()).into_bytes();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut pids = Vec::new();
    for ent in dir.flatten() {
        let Some(pid) = ent.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(ent.path().join("cmdline")) else {
            continue;
        };
        // Helpers rewrite their title into one space-separated string, so look for the flag followed by
        // a NUL, a space or the end. Zombies have an empty cmdline and do not match.
        let hit = cmdline.windows(needle.len()).enumerate().any(|(i, w)| {
            w == needle.as_slice() && matches!(cmdline.get(i + needle.len()), None | Some(0 | b' '))
        });
        if hit && pid != std::process::id() {
            pids.push(pid);
        }
    }
    pids
}

/// One headless Chromium with a fresh temporary profile.
///
/// [`Chromium::close`] shuts it down cleanly. If it is dropped without that (a panic in the harness),
/// `Drop` kills the browser and every helper process of this profile by PID, waits for them to go, and
/// removes the profile, so no browser outlives the test run.
pub struct Chromium {
    browser: Option<Browser>,
    handler: tokio::task::JoinHandle<()>,
    profile: Option<tempfile::TempDir>,
}

impl Chromium {
    pub async fn launch(bin: &Path) -> Self {
        let profile = tempfile::Builder::new()
            .prefix("cors-browser-tests-")
            .tempdir()
            .expect("create a temporary Chromium profile");
        let mut cfg = BrowserConfig::builder()
            .chrome_executable(bin)
            .user_data_dir(profile.path())
            .no_sandbox()
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(CALL_TIMEOUT);
        for f in FLAGS {
            cfg = cfg.arg(*f);
        }
        let cfg = cfg.build().expect("Chromium config");
        let (browser, mut events) = Browser::launch(cfg)
            .await
            .unwrap_or_else(|e| panic!("could not launch {}: {e}", bin.display()));
        // The CDP handler stream must be polled for anything to happen.
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Self {
            browser: Some(browser),
            handler,
            profile: Some(profile),
        }
    }

    pub fn browser(&self) -> &Browser {
        self.browser.as_ref().expect("browser is running")
    }

    pub fn profile(&self) -> &Path {
        self.profile.as_ref().expect("profile exists").path()
    }

    /// Opens a tab on `url` (a probe page) and waits until `probe` is defined.
    pub async fn open(&self, url: &str) -> Tab {
        let page = timeout("open a tab", self.browser().new_page(url))
            .await
            .unwrap_or_else(|e| panic!("{e} (url {url})"));
        let tab = Tab::new(page, url).await;
        let ready = tab.eval("window.probeReady === true").await;
        assert_eq!(ready, Value::Bool(true), "probe page at {url} did not load");
        tab
    }

    /// Closes the browser and waits for the process to exit (kills it if it does not).
    pub async fn close(mut self) {
        if let Some(mut browser) = self.browser.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), browser.close()).await;
            if tokio::time::timeout(Duration::from_secs(10), browser.wait())
                .await
                .is_err()
            {
                let _ = browser.kill().await;
            }
        }
        // Drop sweeps whatever is left and removes the profile.
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Some(mut browser) = self.browser.take() {
            if let Some(child) = browser.get_mut_child() {
                let _ = child.as_mut_inner().start_kill();
            }
            drop(browser);
        }
        self.handler.abort();
        let Some(profile) = self.profile.take() else {
            return;
        };
        let path = profile.keep();
        // Kill every helper still running on this profile, wait (up to 5 s) until none is left.
        for _ in 0..50 {
            let pids = profile_processes(&path);
            if pids.is_empty() {
                break;
            }
            for pid in pids {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(std::process::Stdio::null())
                    .status();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // A dying browser may still write into the profile: retry the removal for a moment.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&path).is_ok() || !path.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

async fn timeout<T, E: fmt::Display>(
    what: &str,
    f: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CALL_TIMEOUT, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!(
            "{what}: no answer from Chromium within {CALL_TIMEOUT:?}"
        )),
    }
}

/// Why Chromium failed a request, from CDP (`Network.loadingFailed`). For failure messages only.
#[derive(Clone, Debug)]
struct Failure {
    url: String,
    method: String,
    reason: String,
}

#[derive(Clone, Default)]
struct NetworkNotes {
    urls: Arc<Mutex<HashMap<String, (String, String)>>>,
    failures: Arc<Mutex<Vec<Failure>>>,
}

/// A tab showing the probe page on one origin.
pub struct Tab {
    page: Page,
    origin_url: String,
    notes: NetworkNotes,
    listeners: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Tab {
    fn drop(&mut self) {
        for l in &self.listeners {
            l.abort();
        }
    }
}

impl Tab {
    async fn new(page: Page, origin_url: &str) -> Self {
        let notes = NetworkNotes::default();
        let mut listeners = Vec::new();
        // Best effort: chromiumoxide's CDP schema is older than the browser, some events may not parse.
        if let Ok(mut sent) = page.event_listener::<EventRequestWillBeSent>().await {
            let urls = notes.urls.clone();
            listeners.push(tokio::spawn(async move {
                while let Some(ev) = sent.next().await {
                    let id: &str = ev.request_id.as_ref();
                    urls.lock().unwrap().insert(
                        id.to_owned(),
                        (ev.request.url.clone(), ev.request.method.clone()),
                    );
                }
            }));
        }
        if let Ok(mut failed) = page.event_listener::<EventLoadingFailed>().await {
            let notes2 = notes.clone();
            listeners.push(tokio::spawn(async move {
                while let Some(ev) = failed.next().await {
                    let id: &str = ev.request_id.as_ref();
                    let (url, method) = notes2
                        .urls
                        .lock()
                        .unwrap()
                        .get(id)
                        .cloned()
                        .unwrap_or_default();
                    let mut reason = ev.error_text.clone();
                    if let Some(c) = &ev.cors_error_status {
                        reason = format!("{:?}", c.cors_error);
                        if !c.failed_parameter.is_empty() {
                            reason.push_str(&format!(" ({})", c.failed_parameter));
                        }
                    } else if let Some(b) = &ev.blocked_reason {
                        reason = format!("{b:?}");
                    }
                    notes2.failures.lock().unwrap().push(Failure {
                        url,
                        method,
                        reason,
                    });
                }
            }));
        }
        Self {
            page,
            origin_url: origin_url.to_owned(),
            notes,
            listeners,
        }
    }

    /// Evaluates a JS expression; Promises are awaited and the value is returned as JSON.
    pub async fn eval(&self, js: &str) -> Value {
        let res = timeout("evaluate", self.page.evaluate(js))
            .await
            .unwrap_or_else(|e| panic!("{e}\n  in tab {}\n  js: {js}", self.origin_url));
        res.into_value()
            .unwrap_or_else(|e| panic!("evaluate returned no JSON value: {e}\n  js: {js}"))
    }

    /// `fetch(url, init)` from the page. `init` is a JS expression (an object literal, may use `FormData` etc.).
    pub async fn fetch(&self, url: &str, init: &str) -> Outcome {
        self.run_probe("probe", url, init).await
    }

    /// Same as [`Tab::fetch`], from a sandboxed `srcdoc` iframe (opaque origin: `Origin: null`).
    /// `init` must be JSON-serialisable here.
    pub async fn fetch_sandboxed(&self, url: &str, init: &str) -> Outcome {
        self.run_probe("probeSandboxed", url, init).await
    }

    async fn run_probe(&self, func: &str, url: &str, init: &str) -> Outcome {
        let url_js = serde_json::to_string(url).unwrap();
        let js = format!("{func}({url_js}, {init})");
        let v = self.eval(&js).await;
        let mut out = Outcome::from_json(
            &v,
            &format!("{func}({url}, {init}) from {}", self.origin_url),
        );
        if !out.ok {
            // Give the CDP event a moment to arrive; only used to explain failures.
            tokio::time::sleep(Duration::from_millis(15)).await;
            let failures = self.notes.failures.lock().unwrap();
            out.why = failures
                .iter()
                .rev()
                .find(|f| f.url == url)
                .map(|f| format!("{} {}: {}", f.method, f.url, f.reason));
        }
        if std::env::var_os("CORS_E2E_VERBOSE").is_some() {
            println!("  {out}");
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------------------
// What the page saw
// ---------------------------------------------------------------------------------------------------------

/// The result of one `fetch` as JavaScript saw it.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// What was run, for messages.
    pub what: String,
    /// `fetch` resolved (false: it rejected, i.e. CORS blocked it or the network failed).
    pub ok: bool,
    pub status: u16,
    /// Response headers readable from JS (lowercase names).
    pub headers: BTreeMap<String, String>,
    pub body: String,
    /// The rejection, e.g. `TypeError: Failed to fetch`.
    pub error: String,
    /// `self.origin` inside the sandboxed iframe (sandboxed probes only).
    pub frame_origin: Option<String>,
    /// Chromium's reason for a failure (CDP), when known. Never asserted on.
    pub why: Option<String>,
}

impl Outcome {
    fn from_json(v: &Value, what: &str) -> Self {
        let headers = v["headers"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            what: what.to_owned(),
            ok: v["ok"] == Value::Bool(true),
            status: v["status"].as_u64().unwrap_or(0) as u16,
            headers,
            body: v["body"].as_str().unwrap_or_default().to_owned(),
            error: v["error"].as_str().unwrap_or_default().to_owned(),
            frame_origin: v["origin"].as_str().map(str::to_owned),
            why: None,
        }
    }

    /// Names of the response headers JavaScript can read.
    pub fn readable(&self) -> Vec<&str> {
        self.headers.keys().map(String::as_str).collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  => ", self.what)?;
        if self.ok {
            write!(
                f,
                "allowed: status {}, readable headers {:?}, body {:?}",
                self.status, self.headers, self.body
            )?;
        } else {
            write!(f, "blocked: {}", self.error)?;
            if let Some(why) = &self.why {
                write!(f, " (Chromium: {why})")?;
            }
        }
        if let Some(o) = &self.frame_origin {
            write!(f, " [frame origin {o}]")?;
        }
        Ok(())
    }
}
