//! Chromium's preflight cache against `max_age`.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    max_age_600_one_preflight_for_two_requests,
    max_age_0_one_preflight_per_request,
    another_listed_header_served_from_cache,
    another_unlisted_header_needs_new_preflight,
    another_method_needs_new_preflight,
];

const PUT_XA: &str = r#"{method: 'PUT', headers: {'x-a': '1'}}"#;
const PUT_XB: &str = r#"{method: 'PUT', headers: {'x-b': '1'}}"#;
const PUT_XC: &str = r#"{method: 'PUT', headers: {'x-c': '1'}}"#;

async fn put_ok(cx: &Cx, p: &str, init: &str) {
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.allowed(&r, p, 200);
}

async fn max_age_600_one_preflight_for_two_requests(cx: &Cx) {
    let p = "/cache/600";
    put_ok(cx, p, PUT_XA).await;
    put_ok(cx, p, PUT_XA).await;
    cx.seen(p, seen(1, 2, 2));
}

async fn max_age_0_one_preflight_per_request(cx: &Cx) {
    let p = "/cache/0";
    put_ok(cx, p, PUT_XA).await;
    put_ok(cx, p, PUT_XA).await;
    cx.seen(p, seen(2, 2, 2));
}

/// The preflight answered `Access-Control-Allow-Headers` with the policy's whole list (`x-a, x-b`), and
/// Chromium caches that list: a later request with `x-b` needs no new preflight.
async fn another_listed_header_served_from_cache(cx: &Cx) {
    let p = "/cache/listed-header";
    put_ok(cx, p, PUT_XA).await;
    put_ok(cx, p, PUT_XB).await;
    cx.seen(p, seen(1, 2, 2));
}

/// A header outside the cached list: new preflight (asking only for it), refused, the PUT is not sent.
async fn another_unlisted_header_needs_new_preflight(cx: &Cx) {
    let p = "/cache/unlisted-header";
    put_ok(cx, p, PUT_XA).await;
    put_ok(cx, p, PUT_XA).await;
    cx.seen(p, seen(1, 2, 2));
    let r = cx.page().fetch(&cx.cross(p), PUT_XC).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(2, 2, 2));
    let acrh = cx.preflights(p)[1].acrh.clone();
    cx.log_check(
        acrh.as_deref() == Some("x-c"),
        p,
        "second preflight asks for x-c",
    );
}

/// `Access-Control-Allow-Methods` names only the requested method, so a DELETE after a cached PUT needs
/// its own preflight.
async fn another_method_needs_new_preflight(cx: &Cx) {
    let p = "/cache/other-method";
    put_ok(cx, p, "{method: 'PUT'}").await;
    put_ok(cx, p, "{method: 'PUT'}").await;
    put_ok(cx, p, "{method: 'DELETE'}").await;
    cx.seen(p, seen(2, 3, 3));
    let acrm = cx.preflights(p)[1].acrm.clone();
    cx.log_check(
        acrm.as_deref() == Some("DELETE"),
        p,
        "second preflight asks for DELETE",
    );
}
