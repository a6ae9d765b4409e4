//! Response headers readable from JS: listed ones, safelisted ones always, `Set-Cookie` never,
//! `expose_headers = "*"` without credentials.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    listed_header_readable_others_not,
    safelisted_headers_always_readable,
    set_cookie_never_readable,
    expose_star_without_credentials,
    listed_header_readable_with_credentials,
    listed_header_readable_after_preflight,
];

async fn listed_header_readable_others_not(cx: &Cx) {
    let p = "/exp/listed";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.readable(&r, p, &["content-length", "content-type", "x-request-id"]);
    cx.check(
        r.header("x-request-id") == Some("r-1"),
        &r,
        p,
        "x-request-id value",
    );
}

/// No `expose_headers`: the CORS-safelisted response headers are readable, nothing else.
async fn safelisted_headers_always_readable(cx: &Cx) {
    let p = "/exp/safelisted";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    let safelisted = [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ];
    cx.readable(&r, p, &safelisted);
}

/// Even with `expose_headers = "*"`, `Set-Cookie` is filtered out by the browser.
async fn set_cookie_never_readable(cx: &Cx) {
    let p = "/exp/set-cookie";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(
        r.header("set-cookie").is_none(),
        &r,
        p,
        "Set-Cookie not readable",
    );
    cx.check(
        r.header("x-one") == Some("1"),
        &r,
        p,
        "x-one readable (\"*\")",
    );
}

/// `"*"` exposes every header of the response (except Set-Cookie), not only the handler's.
async fn expose_star_without_credentials(cx: &Cx) {
    let p = "/exp/star";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    cx.allowed(&r, p, 200);
    for name in [
        "x-one",
        "x-two",
        "content-type",
        "access-control-allow-origin",
    ] {
        cx.check(
            r.header(name).is_some(),
            &r,
            p,
            &format!("{name} readable with expose_headers = \"*\""),
        );
    }
    cx.check(
        r.header("access-control-allow-origin") == Some(cx.srv.page_origin().as_str()),
        &r,
        p,
        "Access-Control-Allow-Origin echoes the page origin",
    );
}

async fn listed_header_readable_with_credentials(cx: &Cx) {
    let p = "/exp/credentials";
    let r = cx
        .page()
        .fetch(&cx.same_site(p), "{credentials: 'include'}")
        .await;
    cx.allowed(&r, p, 200);
    cx.readable(&r, p, &["content-length", "content-type", "x-request-id"]);
}

async fn listed_header_readable_after_preflight(cx: &Cx) {
    let p = "/exp/put";
    let r = cx
        .page()
        .fetch(&cx.cross(p), r#"{method: 'PUT', headers: {'x-a': '1'}}"#)
        .await;
    cx.allowed(&r, p, 200);
    cx.readable(&r, p, &["content-length", "content-type", "x-request-id"]);
    cx.seen(p, seen(1, 1, 1));
}
