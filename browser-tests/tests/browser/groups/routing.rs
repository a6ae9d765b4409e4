//! Which policy applies: two handlers on one path, the `null` origin, a port pattern, and the
//! router-wide CorsLayer next to `route!` paths.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    two_handlers_put_preflight_uses_put_policy,
    two_handlers_get_preflight_uses_get_policy,
    null_origin_simple_request_refused,
    null_origin_preflight_refused,
    null_origin_allowed_by_any_origin,
    localhost_port_pattern_allowed,
    localhost_port_pattern_refuses_127,
    layer_policy_on_path_without_route,
    layer_preflight_allowed,
    layer_preflight_refused,
    layer_refuses_an_unlisted_method,
    layer_refuses_wrong_port,
    route_policy_wins_over_layer,
    route_policy_not_merged_with_layer,
    route_any_origin_wins_over_layer_for_wrong_port,
];

/// `route!(get(two_get).put(two_put))`: GET allows `x-get-only`, PUT allows `x-put-only` (max_age 0).
async fn two_handlers_put_preflight_uses_put_policy(cx: &Cx) {
    let p = "/two/put-policy";
    let r = cx
        .page()
        .fetch(
            &cx.cross(p),
            r#"{method: 'PUT', headers: {'x-put-only': '1'}}"#,
        )
        .await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "two: put", &r, p, "PUT handler ran");
    let r = cx
        .page()
        .fetch(
            &cx.cross(p),
            r#"{method: 'PUT', headers: {'x-get-only': '1'}}"#,
        )
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(2, 1, 1));
}

async fn two_handlers_get_preflight_uses_get_policy(cx: &Cx) {
    let p = "/two/get-policy";
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{headers: {'x-get-only': '1'}}"#)
        .await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "two: get", &r, p, "GET handler ran");
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{headers: {'x-put-only': '1'}}"#)
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(2, 1, 1));
}

/// A sandboxed `srcdoc` iframe has an opaque origin; it sends `Origin: null`, which no policy allows.
async fn null_origin_simple_request_refused(cx: &Cx) {
    let p = "/null/get";
    let r = cx.page().fetch_sandboxed(&cx.cross(p), "{}").await;
    cx.check(
        r.frame_origin.as_deref() == Some("null"),
        &r,
        p,
        "the frame's origin is opaque",
    );
    cx.blocked(&r, p);
    cx.seen(p, seen(0, 1, 1));
    cx.log_check(
        cx.requests(p)[0].origin.as_deref() == Some("null"),
        p,
        "Origin: null sent",
    );
}

async fn null_origin_preflight_refused(cx: &Cx) {
    let p = "/null/put";
    let r = cx
        .page()
        .fetch_sandboxed(&cx.cross(p), "{method: 'PUT'}")
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
    cx.log_check(
        cx.preflights(p)[0].origin.as_deref() == Some("null"),
        p,
        "preflight with Origin: null",
    );
}

/// `origins = "*"` answers `*`, which also covers the opaque origin.
async fn null_origin_allowed_by_any_origin(cx: &Cx) {
    let p = "/null/any-origin";
    let r = cx.page().fetch_sandboxed(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "any origin", &r, p, "body readable");
}

/// `origins = ["http://localhost:*"]`, page at `http://localhost:PAGE`.
async fn localhost_port_pattern_allowed(cx: &Cx) {
    let p = "/pattern/localhost-any-port";
    let r = cx.localhost().await.fetch(&cx.same_site(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "localhost, any port", &r, p, "body readable");
    let origin = cx.requests(p)[0].origin.clone();
    cx.log_check(
        origin == Some(cx.srv.localhost_origin()),
        p,
        "Origin is http://localhost:PAGE",
    );
}

async fn localhost_port_pattern_refuses_127(cx: &Cx) {
    let p = "/pattern/from-127";
    let r = cx.page().fetch(&cx.same_site(p), "{}").await;
    cx.blocked(&r, p);
    cx.seen(p, seen(0, 1, 1));
}

/// A path without `route!` gets the CorsLayer's policy (its expose list too).
async fn layer_policy_on_path_without_route(cx: &Cx) {
    let p = "/layer/plain";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "layer plain", &r, p, "body readable");
    cx.readable(
        &r,
        p,
        &["content-length", "content-type", "x-layer-exposed"],
    );
}

async fn layer_preflight_allowed(cx: &Cx) {
    let p = "/layer/plain-put";
    let r = cx
        .page()
        .fetch(
            &cx.cross(p),
            r#"{method: 'PUT', headers: {'x-layer': '1'}}"#,
        )
        .await;
    cx.allowed(&r, p, 200);
    cx.seen(p, seen(1, 1, 1));
}

async fn layer_preflight_refused(cx: &Cx) {
    let p = "/layer/plain-refused";
    let r = cx
        .page()
        .fetch(
            &cx.cross(p),
            r#"{method: 'PUT', headers: {'x-route': '1'}}"#,
        )
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
}

/// The router-wide policy lists GET, POST and PUT: a DELETE preflight is refused, though the path
/// routes DELETE.
async fn layer_refuses_an_unlisted_method(cx: &Cx) {
    let p = "/layer/plain-delete";
    let r = cx.page().fetch(&cx.cross(p), r#"{method: 'DELETE'}"#).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
}

async fn layer_refuses_wrong_port(cx: &Cx) {
    let p = "/layer/plain-wrong-port";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), "{}").await;
    cx.blocked(&r, p);
    cx.seen(p, seen(0, 1, 1));
}

/// A `route!` path keeps its own policy under the layer: `x-route` is allowed there (the layer would
/// refuse it), and only the route's expose list applies.
async fn route_policy_wins_over_layer(cx: &Cx) {
    let p = "/layer/route";
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{headers: {'x-route': '1'}}"#)
        .await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "layer route", &r, p, "body readable");
    cx.readable(
        &r,
        p,
        &["content-length", "content-type", "x-route-exposed"],
    );
    cx.seen(p, seen(1, 1, 1));
}

/// ... and the layer's policy is not added to it: `x-layer` is refused on the route! path.
async fn route_policy_not_merged_with_layer(cx: &Cx) {
    let p = "/layer/route-refuses-layer-header";
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{headers: {'x-layer': '1'}}"#)
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
}

async fn route_any_origin_wins_over_layer_for_wrong_port(cx: &Cx) {
    let p = "/layer/route-wrong-port";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "layer route", &r, p, "body readable");
}
