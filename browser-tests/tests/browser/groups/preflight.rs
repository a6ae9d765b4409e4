//! Preflighted methods (PUT, DELETE, PATCH) allowed and refused, and method case.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    put_allowed,
    delete_allowed,
    patch_allowed,
    put_routed_outside_route_macro_refused,
    delete_not_routed_refused,
    patch_from_wrong_port_refused,
    lowercase_patch_sent_as_is_refused,
    uppercase_patch_allowed,
    lowercase_delete_normalised_allowed,
    lowercase_put_normalised_allowed,
];

/// `init` is preflighted and allowed: one preflight asking for `acrm`, one request, handler ran once.
async fn preflighted_ok(cx: &Cx, p: &str, init: &str, acrm: &str, body: &str) {
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == body, &r, p, "body readable");
    cx.seen(p, seen(1, 1, 1));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.acrm.as_deref() == Some(acrm),
        p,
        "Access-Control-Request-Method of the preflight",
    );
    cx.log_check(
        pf.acrh.is_none(),
        p,
        "no Access-Control-Request-Headers (no custom header)",
    );
    cx.log_check(
        pf.origin == Some(cx.srv.page_origin()),
        p,
        "preflight Origin is the page's",
    );
    cx.log_check(
        cx.requests(p)[0].method == acrm,
        p,
        "the actual request's method",
    );
}

/// Refused preflight: the browser never sends the actual request, the handler never runs.
async fn preflight_refused(cx: &Cx, p: &str, init: &str, acrm: &str) {
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.acrm.as_deref() == Some(acrm),
        p,
        "Access-Control-Request-Method of the preflight",
    );
}

async fn put_allowed(cx: &Cx) {
    preflighted_ok(cx, "/pf/put", "{method: 'PUT'}", "PUT", "put").await;
}

async fn delete_allowed(cx: &Cx) {
    preflighted_ok(cx, "/pf/delete", "{method: 'DELETE'}", "DELETE", "delete").await;
}

async fn patch_allowed(cx: &Cx) {
    preflighted_ok(cx, "/pf/patch", "{method: 'PATCH'}", "PATCH", "patch").await;
}

/// `route!(get(h)).put(plain)`: `route!` only answers preflights for the handlers it was given.
async fn put_routed_outside_route_macro_refused(cx: &Cx) {
    preflight_refused(cx, "/pf/put-outside-route", "{method: 'PUT'}", "PUT").await;
}

async fn delete_not_routed_refused(cx: &Cx) {
    preflight_refused(cx, "/pf/delete-not-routed", "{method: 'DELETE'}", "DELETE").await;
}

async fn patch_from_wrong_port_refused(cx: &Cx) {
    let p = "/pf/patch-wrong-port";
    let r = cx
        .wrong_port()
        .await
        .fetch(&cx.cross(p), "{method: 'PATCH'}")
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.origin == Some(cx.srv.wrong_origin()),
        p,
        "preflight Origin is the wrong-port origin",
    );
}

/// fetch upper-cases only DELETE GET HEAD OPTIONS POST PUT; `patch` goes out as `patch` and does not
/// match the handler routed on `PATCH`.
async fn lowercase_patch_sent_as_is_refused(cx: &Cx) {
    preflight_refused(cx, "/case/patch-lowercase", "{method: 'patch'}", "patch").await;
}

async fn uppercase_patch_allowed(cx: &Cx) {
    preflighted_ok(
        cx,
        "/case/patch-uppercase",
        "{method: 'PATCH'}",
        "PATCH",
        "patch",
    )
    .await;
}

async fn lowercase_delete_normalised_allowed(cx: &Cx) {
    preflighted_ok(
        cx,
        "/case/delete-lowercase",
        "{method: 'delete'}",
        "DELETE",
        "delete",
    )
    .await;
}

async fn lowercase_put_normalised_allowed(cx: &Cx) {
    preflighted_ok(cx, "/case/put-lowercase", "{method: 'put'}", "PUT", "put").await;
}
