//! Error responses carry the CORS headers too, so the page can read them.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    unauthorized_401_readable,
    not_found_404_from_path_handler_readable,
    path_extractor_rejection_readable,
    server_error_500_readable,
    handler_403_after_allowed_preflight_readable,
    layer_fallback_404_readable,
];

async fn unauthorized_401_readable(cx: &Cx) {
    let p = "/err/401";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 401);
    cx.check(r.body == "login required", &r, p, "body readable");
    cx.readable(&r, p, &["content-length", "content-type", "x-request-id"]);
    cx.seen(p, seen(0, 1, 1));
}

/// `Path<u32>` extracted, the handler answers 404 for an unknown id.
async fn not_found_404_from_path_handler_readable(cx: &Cx) {
    let p = "/err/item/999";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 404);
    cx.check(r.body == "no item 999", &r, p, "body readable");
    cx.seen(p, seen(0, 1, 1));
    let p = "/err/item/7";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "item 7", &r, p, "body readable");
}

/// `Path<u32>` rejects `abc` (axum answers 400 before the handler runs); still readable cross-origin.
async fn path_extractor_rejection_readable(cx: &Cx) {
    let p = "/err/item/abc";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 400);
    cx.check(
        r.body.contains("abc"),
        &r,
        p,
        "axum's rejection message readable",
    );
    cx.seen(p, seen(0, 1, 0));
}

async fn server_error_500_readable(cx: &Cx) {
    let p = "/err/500";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 500);
    cx.check(r.body == "boom", &r, p, "body readable");
}

/// A 403 from the handler (after an allowed preflight) is readable; only a refused preflight blocks.
async fn handler_403_after_allowed_preflight_readable(cx: &Cx) {
    let p = "/err/put-403";
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{method: 'PUT', headers: {'x-a': '1'}}"#)
        .await;
    cx.allowed(&r, p, 403);
    cx.check(r.body == "forbidden by the handler", &r, p, "body readable");
    cx.seen(p, seen(1, 1, 1));
}

/// No route at all: axum's fallback 404, decorated by the router-wide CorsLayer.
async fn layer_fallback_404_readable(cx: &Cx) {
    let p = "/layer/no-such-path";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 404);
    cx.seen(p, seen(0, 1, 0));
}
