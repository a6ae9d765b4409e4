//! The API under test, written with cors-runtime the way a user would.
//!
//! Every scenario has its own path (the preflight cache is keyed by URL). Handlers take [`Ran`] so the
//! request log can tell whether the handler itself ran; extractors that may reject come before it.

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{Path, Request};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, COOKIE, EXPIRES, LAST_MODIFIED,
    PRAGMA, SET_COOKIE, WWW_AUTHENTICATE,
};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use cors_runtime::{cors, policy, route, CorsLayer, CorsPolicy, CorsRouter};

use crate::harness::Ran;

/// The probe page's origins: one per port in `harness::PAGE_PORTS` (a run uses one of them).
/// `http://127.0.0.1:<port + 1>` ("wrong port") and `http://localhost:<port>` are not listed.
pub const PAGE: CorsPolicy = policy!(
    origins = [
        "http://127.0.0.1:28611",
        "http://127.0.0.1:28621",
        "http://127.0.0.1:28631"
    ]
);

/// The router-wide default (CorsLayer) for paths without `route!`. A router-wide policy allows the
/// CORS-safelisted methods only, unless it lists others: PUT is listed, DELETE is not.
pub const LAYER: CorsPolicy = policy!(
    origins = [
        "http://127.0.0.1:28611",
        "http://127.0.0.1:28621",
        "http://127.0.0.1:28631"
    ],
    methods = [GET, POST, PUT],
    headers = ["x-layer"],
    expose_headers = ["x-layer-exposed"],
);

/// The session cookie set by `/cred/login`.
pub const SESSION_COOKIE: &str = "sid=s3cret";

fn header(h: &HeaderMap, name: impl axum::http::header::AsHeaderName) -> String {
    h.get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_else(|| "(none)".into())
}

// --- simple requests ----------------------------------------------------------------------------------

#[cors(policy = PAGE)]
async fn simple_get(_: Ran) -> &'static str {
    "simple get"
}

/// Echoes the Content-Type it received, then the body.
#[cors(policy = PAGE)]
async fn simple_post(_: Ran, h: HeaderMap, body: String) -> String {
    format!("{}\n{body}", header(&h, CONTENT_TYPE))
}

// --- preflighted methods ------------------------------------------------------------------------------

#[cors(policy = PAGE)]
async fn pf_get(_: Ran) -> &'static str {
    "get"
}

#[cors(policy = PAGE)]
async fn pf_put(_: Ran) -> &'static str {
    "put"
}

#[cors(policy = PAGE)]
async fn pf_delete(_: Ran) -> &'static str {
    "delete"
}

#[cors(policy = PAGE)]
async fn pf_patch(_: Ran) -> &'static str {
    "patch"
}

#[cors(policy = PAGE)]
async fn pf_post(_: Ran) -> &'static str {
    "post"
}

/// No `#[cors]`: chained outside `route!`, so `route!`'s preflight handling does not know it.
async fn plain_put(_: Ran) -> &'static str {
    "plain put"
}

// --- request headers ----------------------------------------------------------------------------------

#[cors(policy = PAGE, headers = ["x-api-key"])]
async fn hdr_api_key(_: Ran, h: HeaderMap) -> String {
    header(&h, "x-api-key")
}

#[cors(policy = PAGE, headers = ["x-a", "x-b", "x-c"])]
async fn hdr_abc(_: Ran, h: HeaderMap) -> String {
    format!("{} {}", header(&h, "x-a"), header(&h, "x-b"))
}

#[cors(policy = PAGE, headers = ["content-type"])]
async fn hdr_json(_: Ran, h: HeaderMap, body: String) -> String {
    format!("{}\n{body}", header(&h, CONTENT_TYPE))
}

#[cors(policy = PAGE)]
async fn hdr_none_post(_: Ran, body: String) -> String {
    body
}

/// Echoes the request headers a preflight would be about.
#[cors(policy = PAGE)]
async fn hdr_none_put(_: Ran, h: HeaderMap) -> String {
    [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
    ]
    .iter()
    .map(|n| format!("{n}={}", header(&h, *n)))
    .collect::<Vec<_>>()
    .join("; ")
}

#[cors(policy = PAGE, headers = "*")]
async fn hdr_star(_: Ran, h: HeaderMap) -> String {
    format!(
        "{} {}",
        header(&h, "x-anything"),
        header(&h, "x-other-thing")
    )
}

#[cors(policy = PAGE, headers = ["*", "authorization"])]
async fn hdr_star_auth(_: Ran, h: HeaderMap) -> String {
    format!("{} {}", header(&h, AUTHORIZATION), header(&h, "x-custom"))
}

// --- credentials --------------------------------------------------------------------------------------

#[cors(policy = PAGE, credentials = true)]
async fn cred_login(_: Ran) -> impl IntoResponse {
    (
        [(
            SET_COOKIE,
            format!("{SESSION_COOKIE}; Path=/; SameSite=Lax; HttpOnly"),
        )],
        "logged in",
    )
}

#[cors(policy = PAGE, credentials = true)]
async fn cred_me(_: Ran, h: HeaderMap) -> String {
    header(&h, COOKIE)
}

/// Same origins, but no `credentials = true`.
#[cors(policy = PAGE)]
async fn cred_me_no_credentials(_: Ran, h: HeaderMap) -> String {
    header(&h, COOKIE)
}

#[cors(origins = "*")]
async fn cred_me_any_origin(_: Ran, h: HeaderMap) -> String {
    header(&h, COOKIE)
}

#[cors(policy = PAGE, credentials = true, headers = ["x-csrf"])]
async fn cred_put(_: Ran, h: HeaderMap) -> String {
    header(&h, COOKIE)
}

#[cors(policy = PAGE, headers = ["x-csrf"])]
async fn cred_put_no_credentials(_: Ran, h: HeaderMap) -> String {
    header(&h, COOKIE)
}

// --- exposed response headers -------------------------------------------------------------------------

#[cors(policy = PAGE, expose_headers = ["x-request-id"])]
async fn exp_listed(_: Ran) -> impl IntoResponse {
    ([("x-request-id", "r-1"), ("x-hidden", "h")], "listed")
}

/// Only CORS-safelisted response headers (plus one that is not).
#[cors(policy = PAGE)]
async fn exp_safelisted(_: Ran) -> impl IntoResponse {
    (
        [
            (CACHE_CONTROL, "no-store"),
            (CONTENT_LANGUAGE, "en"),
            (EXPIRES, "Thu, 01 Jan 2037 00:00:00 GMT"),
            (LAST_MODIFIED, "Mon, 01 Jan 2024 00:00:00 GMT"),
            (PRAGMA, "no-cache"),
            (axum::http::HeaderName::from_static("x-hidden"), "h"),
        ],
        "safelisted",
    )
}

#[cors(policy = PAGE, expose_headers = "*")]
async fn exp_star(_: Ran) -> impl IntoResponse {
    (
        [
            (SET_COOKIE, "tracker=1; Path=/exp"),
            (axum::http::HeaderName::from_static("x-one"), "1"),
            (axum::http::HeaderName::from_static("x-two"), "2"),
        ],
        "star",
    )
}

#[cors(policy = PAGE, credentials = true, expose_headers = ["x-request-id"])]
async fn exp_credentials(_: Ran) -> impl IntoResponse {
    ([("x-request-id", "r-2"), ("x-hidden", "h")], "credentials")
}

#[cors(policy = PAGE, headers = ["x-a"], expose_headers = ["x-request-id"])]
async fn exp_put(_: Ran) -> impl IntoResponse {
    ([("x-request-id", "r-3"), ("x-hidden", "h")], "exposed put")
}

// --- preflight cache ----------------------------------------------------------------------------------

#[cors(policy = PAGE, headers = ["x-a", "x-b"], max_age = 600)]
async fn cache_600(_: Ran) -> &'static str {
    "cached"
}

#[cors(policy = PAGE, headers = ["x-a", "x-b"], max_age = 0)]
async fn cache_0(_: Ran) -> &'static str {
    "not cached"
}

#[cors(policy = PAGE, max_age = 600)]
async fn cache_put(_: Ran) -> &'static str {
    "put"
}

#[cors(policy = PAGE, max_age = 600)]
async fn cache_delete(_: Ran) -> &'static str {
    "delete"
}

// --- error responses ----------------------------------------------------------------------------------

#[cors(policy = PAGE, expose_headers = ["x-request-id"])]
async fn err_401(_: Ran) -> impl IntoResponse {
    (
        StatusCode::UNAUTHORIZED,
        [
            (WWW_AUTHENTICATE, "Bearer"),
            (axum::http::HeaderName::from_static("x-request-id"), "e-401"),
        ],
        "login required",
    )
}

/// 404 for unknown ids; a non-numeric id is rejected by `Path` before the handler runs (400).
#[cors(policy = PAGE)]
async fn err_item(Path(id): Path<u32>, _: Ran) -> Result<String, (StatusCode, String)> {
    if id == 7 {
        Ok("item 7".into())
    } else {
        Err((StatusCode::NOT_FOUND, format!("no item {id}")))
    }
}

#[cors(policy = PAGE)]
async fn err_500(_: Ran) -> (StatusCode, &'static str) {
    (StatusCode::INTERNAL_SERVER_ERROR, "boom")
}

#[cors(policy = PAGE, headers = ["x-a"])]
async fn err_put_403(_: Ran) -> (StatusCode, &'static str) {
    (StatusCode::FORBIDDEN, "forbidden by the handler")
}

// --- routing: two policies on one path, null origin, patterns, CorsLayer -------------------------------

#[cors(policy = PAGE, headers = ["x-get-only"], max_age = 0)]
async fn two_get(_: Ran) -> &'static str {
    "two: get"
}

#[cors(policy = PAGE, headers = ["x-put-only"], max_age = 0)]
async fn two_put(_: Ran) -> &'static str {
    "two: put"
}

#[cors(origins = "*")]
async fn any_origin_get(_: Ran) -> &'static str {
    "any origin"
}

#[cors(origins = ["http://localhost:*"])]
async fn localhost_any_port(_: Ran) -> &'static str {
    "localhost, any port"
}

/// No `#[cors]`: covered by the router-wide `CorsLayer`.
async fn layer_plain(_: Ran) -> impl IntoResponse {
    (
        [("x-layer-exposed", "l"), ("x-route-exposed", "r")],
        "layer plain",
    )
}

#[cors(origins = "*", headers = ["x-route"], expose_headers = ["x-route-exposed"])]
async fn layer_route(_: Ran) -> impl IntoResponse {
    (
        [("x-layer-exposed", "l"), ("x-route-exposed", "r")],
        "layer route",
    )
}

// --- WebSocket origin guard ------------------------------------------------------------------------

/// Sends one message and closes. The policy's origins guard the upgrade: browsers apply no CORS to it.
#[cors(policy = PAGE)]
async fn ws_hello(_: Ran, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|mut socket| async move {
        let _ = socket.send(Message::Text("hello".into())).await;
        let _ = socket.send(Message::Close(None)).await;
    })
}

// --- composition: auth middleware under CorsRouter ----------------------------------------------------

/// Credentialed PUT behind [`require_key`].
#[cors(policy = PAGE, methods = [PUT], headers = ["authorization", "content-type"], credentials = true)]
async fn auth_put(_: Ran) -> &'static str {
    "saved"
}

/// Answers 401 to every request without `Authorization`, preflights included: only the `CorsRouter`
/// answering preflights before it lets a browser call these routes at all.
async fn require_key(request: Request, next: Next) -> Result<Response, StatusCode> {
    match request.headers().get(AUTHORIZATION) {
        Some(_) => Ok(next.run(request).await),
        None => Err(StatusCode::UNAUTHORIZED),
    }
}

fn guarded() -> CorsRouter {
    CorsRouter::new()
        .route("/auth/put", route!(put(auth_put)))
        .route("/auth/put-no-key", route!(put(auth_put)))
        .route("/auth/put-wrong-port", route!(put(auth_put)))
        .route_layer(middleware::from_fn(require_key))
}

/// The whole API, built as a `CorsRouter` (the outermost step); the routes are what they were on a
/// plain `Router`.
pub fn router() -> CorsRouter {
    CorsRouter::new()
        // simple
        .route("/simple/get", route!(get(simple_get)))
        .route("/simple/head", route!(get(simple_get)))
        .route("/simple/post-text", route!(post(simple_post)))
        .route("/simple/post-urlencoded", route!(post(simple_post)))
        .route("/simple/post-multipart", route!(post(simple_post)))
        .route("/simple/get-lowercase-post", route!(post(simple_post)))
        .route("/simple/wrong-port/get", route!(get(simple_get)))
        .route("/simple/wrong-port/head", route!(get(simple_get)))
        .route("/simple/wrong-port/post-text", route!(post(simple_post)))
        .route(
            "/simple/wrong-port/post-urlencoded",
            route!(post(simple_post)),
        )
        .route(
            "/simple/wrong-port/post-multipart",
            route!(post(simple_post)),
        )
        // preflighted methods
        .route("/pf/put", route!(put(pf_put)))
        .route("/pf/delete", route!(delete(pf_delete)))
        .route("/pf/patch", route!(patch(pf_patch)))
        .route("/pf/put-outside-route", route!(get(pf_get)).put(plain_put))
        .route("/pf/delete-not-routed", route!(get(pf_get).post(pf_post)))
        .route("/pf/patch-wrong-port", route!(patch(pf_patch)))
        .route("/case/patch-lowercase", route!(patch(pf_patch)))
        .route("/case/patch-uppercase", route!(patch(pf_patch)))
        .route("/case/delete-lowercase", route!(delete(pf_delete)))
        .route("/case/put-lowercase", route!(put(pf_put)))
        // request headers
        .route("/hdr/allowed", route!(get(hdr_api_key)))
        .route("/hdr/refused", route!(get(hdr_api_key)))
        .route("/hdr/several", route!(get(hdr_abc)))
        .route("/hdr/one-missing", route!(get(hdr_abc)))
        .route("/hdr/json-allowed", route!(post(hdr_json)))
        .route("/hdr/json-refused", route!(post(hdr_none_post)))
        .route("/hdr/put-safelisted", route!(put(hdr_none_put)))
        .route("/hdr/star", route!(get(hdr_star)))
        .route("/hdr/star-authorization", route!(get(hdr_star)))
        .route("/hdr/star-plus-authorization", route!(get(hdr_star_auth)))
        // credentials
        .route("/cred/login", route!(get(cred_login)))
        .route("/cred/me", route!(get(cred_me)))
        .route("/cred/me-default-mode", route!(get(cred_me)))
        .route("/cred/me-cross-site", route!(get(cred_me)))
        .route("/cred/no-credentials", route!(get(cred_me_no_credentials)))
        .route("/cred/any-origin", route!(get(cred_me_any_origin)))
        .route("/cred/any-origin-omit", route!(get(cred_me_any_origin)))
        .route("/cred/put", route!(put(cred_put)))
        .route(
            "/cred/put-no-credentials",
            route!(put(cred_put_no_credentials)),
        )
        // exposed headers
        .route("/exp/listed", route!(get(exp_listed)))
        .route("/exp/safelisted", route!(get(exp_safelisted)))
        .route("/exp/set-cookie", route!(get(exp_star)))
        .route("/exp/star", route!(get(exp_star)))
        .route("/exp/credentials", route!(get(exp_credentials)))
        .route("/exp/put", route!(put(exp_put)))
        // preflight cache
        .route("/cache/600", route!(put(cache_600)))
        .route("/cache/0", route!(put(cache_0)))
        .route("/cache/listed-header", route!(put(cache_600)))
        .route("/cache/unlisted-header", route!(put(cache_600)))
        .route(
            "/cache/other-method",
            route!(put(cache_put).delete(cache_delete)),
        )
        // error responses
        .route("/err/401", route!(get(err_401)))
        .route("/err/item/{id}", route!(get(err_item)))
        .route("/err/500", route!(get(err_500)))
        .route("/err/put-403", route!(put(err_put_403)))
        // routing
        .route("/two/put-policy", route!(get(two_get).put(two_put)))
        .route("/two/get-policy", route!(get(two_get).put(two_put)))
        .route("/null/get", route!(get(simple_get)))
        .route("/null/put", route!(put(pf_put)))
        .route("/null/any-origin", route!(get(any_origin_get)))
        .route(
            "/pattern/localhost-any-port",
            route!(get(localhost_any_port)),
        )
        .route("/pattern/from-127", route!(get(localhost_any_port)))
        .route("/layer/plain", get(layer_plain))
        .route("/layer/plain-put", put(layer_plain))
        .route("/layer/plain-delete", delete(layer_plain))
        .route("/layer/plain-refused", put(layer_plain))
        .route("/layer/plain-wrong-port", get(layer_plain))
        .route("/layer/route", route!(get(layer_route)))
        .route(
            "/layer/route-refuses-layer-header",
            route!(get(layer_route)),
        )
        .route("/layer/route-wrong-port", route!(get(layer_route)))
        .route("/ws/allowed", route!(get(ws_hello)))
        .route("/ws/refused", route!(get(ws_hello)))
        .merge(guarded())
        .layer(CorsLayer::new(&LAYER))
}
