//! The quickstart's API and page, shared by `examples/quickstart.rs` and the
//! browser test that screenshots it (`browser-tests/tests/quickstart.rs`).
//!
//! - [`api`]: the API, a [`CorsRouter`] with per-handler policies and an auth
//!   middleware;
//! - [`DemoLog`]: what the API decided, for the page: each response's status
//!   (preflights included) and each CORS refusal the library logged, with its
//!   reason;
//! - [`page`]: the page, on another origin, and its `GET /log?since=N`.

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header::{ACCESS_CONTROL_REQUEST_METHOD, CACHE_CONTROL, CONTENT_TYPE, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter};
use tower_layer::Layer as _;
use tower_service::Service;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

/// Everything without a policy of its own: readable from any origin.
const PUBLIC: CorsPolicy = policy!(origins = "*", max_age = 3600);

/// Who may update users: the origins in `CORS_ORIGINS` (separated by commas
/// or spaces), or, when it is unset, the demo page (served from
/// 127.0.0.1:8080, or from localhost on any port); with cookies, after a
/// preflight that the browser caches for ten minutes. The variable is read
/// and checked once, when the router is built: `main` checks it first, to
/// print the report itself.
pub const EDITORS: CorsPolicy = policy!(
    origins = env(
        "CORS_ORIGINS",
        default = ["http://127.0.0.1:8080", "http://localhost:*"]
    ),
    methods = [PUT],
    headers = ["content-type", "x-api-key"],
    credentials = true,
    max_age = 600,
);

/// What `require_key` lets through on writes.
pub const API_KEY: &str = "demo-key";

mod users {
    use super::*;

    /// Anyone may read a user; `Access-Control-Allow-Origin: *`.
    #[cors(origins = "*", expose_headers = ["x-request-id"])]
    pub async fn show(Path(id): Path<u32>) -> impl IntoResponse {
        let user = format!(r#"{{"id":{id},"name":"user {id}"}}"#);
        let headers = [
            ("x-request-id", "req-42"),
            ("content-type", "application/json"),
        ];
        (headers, user)
    }

    /// Only [`EDITORS`] may update.
    #[cors(policy = EDITORS)]
    pub async fn update(Path(id): Path<u32>) -> String {
        format!("user {id} updated")
    }

    /// Deleting is for an admin origin that the demo page is not.
    #[cors(origins = ["https://admin.example.com"], credentials = true)]
    pub async fn delete(Path(id): Path<u32>) -> String {
        format!("user {id} deleted")
    }
}

/// Writes need `x-api-key: demo-key`; reads do not. The `CorsRouter` answers
/// preflights before this runs, and puts the handler's CORS headers on its 401.
async fn require_key(request: Request, next: Next) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    match request.headers().get("x-api-key") {
        _ if read => next.run(request).await,
        Some(key) if key == API_KEY => next.run(request).await,
        _ => (StatusCode::UNAUTHORIZED, "missing or wrong x-api-key").into_response(),
    }
}

/// The API. Its policies are checked when this file compiles.
pub fn api() -> CorsRouter {
    CorsRouter::new()
        .route(
            "/users/{id}",
            route!(get(users::show).put(users::update).delete(users::delete)),
        )
        // Only over the routes added so far: `/users/{id}`.
        .layer(middleware::from_fn(require_key))
        .route("/health", get(|| async { "up" }))
        .layer(CorsLayer::new(&PUBLIC))
}

/// The API with [`DemoLog`]'s recorder outside it, so it also sees the
/// preflights that the `CorsRouter` answers. Serve it with
/// `axum::serve(listener, app.into_make_service())` (`axum::ServiceExt`).
pub fn api_with_log(
    log: DemoLog,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone + Send + 'static
{
    middleware::from_fn_with_state(log, observe).layer(api())
}

/// The page, calling the API at `api_origin`, and the API's log as JSON.
pub fn page(api_origin: &str, log: DemoLog) -> Router {
    let html = PAGE_HTML.replace("{API}", api_origin);
    Router::new()
        .route("/", get(move || async move { Html(html) }))
        .route("/log", get(read_log))
        .with_state(log)
}

const PAGE_HTML: &str = include_str!("page.html");

// ---------------------------------------------------------------------------
// The API's log
// ---------------------------------------------------------------------------

/// Target and name of the span `observe` opens around each API request; the
/// [`CorsEvents`] layer reads the request from it.
const SPAN_TARGET: &str = "quickstart";
const SPAN_NAME: &str = "api_request";

/// How many records the log keeps.
const CAPACITY: usize = 256;

/// The API's recent decisions, newest last: a shared ring buffer.
#[derive(Clone, Default)]
pub struct DemoLog(Arc<Mutex<Ring>>);

#[derive(Default)]
struct Ring {
    /// Sequence number of the last record.
    last: u64,
    records: VecDeque<Record>,
}

/// One line of the log.
#[derive(Clone, Debug)]
struct Record {
    seq: u64,
    kind: Kind,
    /// The request's method; for a preflight, the method it asks for.
    method: String,
    path: String,
    origin: Option<String>,
}

#[derive(Clone, Debug)]
enum Kind {
    /// A preflight and its answer's status.
    Preflight { status: u16 },
    /// An actual request and its response's status.
    Response { status: u16 },
    /// A CORS refusal that `cors_runtime` logged: its message and reason.
    Refusal { message: String, reason: String },
}

impl DemoLog {
    /// A `tracing` layer recording `cors_runtime`'s refusals into this log.
    pub fn layer(&self) -> CorsEvents {
        CorsEvents { log: self.clone() }
    }

    fn push(&self, kind: Kind, request: &RequestFields) {
        let mut ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ring.last += 1;
        let seq = ring.last;
        if ring.records.len() == CAPACITY {
            ring.records.pop_front();
        }
        ring.records.push_back(Record {
            seq,
            kind,
            method: request.method.clone(),
            path: request.path.clone(),
            origin: request.origin.clone(),
        });
    }

    /// The records after `since`, as JSON:
    /// `{"last": 7, "records": [{"seq": 6, "kind": "preflight", ...}, ...]}`.
    fn json_since(&self, since: u64) -> String {
        let ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = format!("{{\"last\":{},\"records\":[", ring.last);
        let mut first = true;
        for record in ring.records.iter().filter(|r| r.seq > since) {
            if !first {
                out.push(',');
            }
            first = false;
            let _ = write!(out, "{record}");
        }
        out.push_str("]}");
        out
    }
}

impl fmt::Display for Record {
    /// The record as a JSON object.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{\"seq\":{},\"method\":{},\"path\":{},\"origin\":",
            self.seq,
            Str(&self.method),
            Str(&self.path)
        )?;
        match &self.origin {
            Some(origin) => write!(f, "{}", Str(origin))?,
            None => f.write_str("null")?,
        }
        match &self.kind {
            Kind::Preflight { status } => {
                write!(f, ",\"kind\":\"preflight\",\"status\":{status}}}")
            }
            Kind::Response { status } => write!(f, ",\"kind\":\"response\",\"status\":{status}}}"),
            Kind::Refusal { message, reason } => write!(
                f,
                ",\"kind\":\"refusal\",\"message\":{},\"reason\":{}}}",
                Str(message),
                Str(reason)
            ),
        }
    }
}

/// A JSON string.
struct Str<'a>(&'a str);

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// `GET /log?since=N` on the page's server.
async fn read_log(State(log): State<DemoLog>, RawQuery(query): RawQuery) -> Response {
    let since = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-store"),
        ],
        log.json_since(since),
    )
        .into_response()
}

/// The request a record is about, as `observe` saw it.
#[derive(Clone, Debug, Default)]
struct RequestFields {
    method: String,
    path: String,
    origin: Option<String>,
}

/// Outermost around the API: opens the span that [`CorsEvents`] reads, and
/// records each response's status, preflights included.
async fn observe(State(log): State<DemoLog>, request: Request, next: Next) -> Response {
    let asked = request
        .headers()
        .get(ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|value| value.to_str().ok());
    let preflight = request.method() == Method::OPTIONS && asked.is_some();
    let fields = RequestFields {
        method: match asked {
            Some(asked) if preflight => asked.to_owned(),
            _ => request.method().to_string(),
        },
        path: request.uri().path().to_owned(),
        origin: request
            .headers()
            .get(ORIGIN)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    };
    let span = tracing::info_span!(
        target: SPAN_TARGET,
        SPAN_NAME,
        method = %fields.method,
        path = %fields.path,
        origin = fields.origin.as_deref().unwrap_or_default(),
    );
    let response = next.run(request).instrument(span).await;
    let status = response.status().as_u16();
    let kind = if preflight {
        Kind::Preflight { status }
    } else {
        Kind::Response { status }
    };
    log.push(kind, &fields);
    response
}

/// A `tracing_subscriber` layer that records the events of target
/// `cors_runtime` (refusals, at debug level, with a `reason`) into a
/// [`DemoLog`], with the request of the `observe` span they happen in.
pub struct CorsEvents {
    log: DemoLog,
}

impl<S> tracing_subscriber::Layer<S> for CorsEvents
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let meta = attrs.metadata();
        if meta.target() != SPAN_TARGET || meta.name() != SPAN_NAME {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(RequestFields {
                method: fields.take("method").unwrap_or_default(),
                path: fields.take("path").unwrap_or_default(),
                origin: fields.take("origin").filter(|o| !o.is_empty()),
            });
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "cors_runtime" {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let Some(reason) = fields.take("reason") else {
            return;
        };
        let request = ctx
            .event_scope(event)
            .and_then(|scope| {
                scope
                    .from_root()
                    .find_map(|span| span.extensions().get::<RequestFields>().cloned())
            })
            .unwrap_or_default();
        let message = fields.take("message").unwrap_or_default();
        self.log.push(Kind::Refusal { message, reason }, &request);
    }
}

/// An event's or a span's fields, as text.
#[derive(Default)]
struct Fields(BTreeMap<&'static str, String>);

impl Fields {
    fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
}
