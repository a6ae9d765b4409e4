//! Simple requests (no preflight): GET, HEAD, POST with each CORS-safelisted Content-Type, from an
//! allowed origin (readable) and from a disallowed one (blocked, but the handler still ran).

use crate::cx::{scenarios, seen, Cx};
use crate::harness::Outcome;

scenarios![
    get_allowed,
    head_allowed,
    post_text_plain_allowed,
    post_urlencoded_allowed,
    post_multipart_allowed,
    lowercase_post_normalised_still_simple,
    get_from_wrong_port_blocked_handler_ran,
    head_from_wrong_port_blocked_handler_ran,
    post_text_plain_from_wrong_port_blocked_handler_ran,
    post_urlencoded_from_wrong_port_blocked_handler_ran,
    post_multipart_from_wrong_port_blocked_handler_ran,
];

const TEXT: &str = r#"{method: 'POST', body: 'hello'}"#;
const URLENCODED: &str = r#"{method: 'POST', body: new URLSearchParams({a: '1', b: 'two'})}"#;
const MULTIPART: &str = r#"(() => { const f = new FormData(); f.append('a', '1'); return {method: 'POST', body: f}; })()"#;

/// Allowed simple request: readable, no preflight, handler ran once, Origin was the page's.
fn allowed_simple(cx: &Cx, r: &Outcome, p: &str) {
    cx.allowed(r, p, 200);
    cx.seen(p, seen(0, 1, 1));
    let origin = cx.requests(p)[0].origin.clone();
    cx.log_check(
        origin == Some(cx.srv.page_origin()),
        p,
        "the request carries the page's Origin",
    );
}

/// Disallowed origin: the browser hides the response, but the request was sent and the handler ran.
fn blocked_simple(cx: &Cx, r: &Outcome, p: &str, method: &str) {
    cx.blocked(r, p);
    cx.seen(p, seen(0, 1, 1));
    let req = &cx.requests(p)[0];
    cx.log_check(req.method == method, p, "method as sent");
    cx.log_check(
        req.origin == Some(cx.srv.wrong_origin()),
        p,
        "the request carries the wrong-port Origin",
    );
}

async fn get_allowed(cx: &Cx) {
    let p = "/simple/get";
    let r = cx.page().fetch(&cx.cross(p), "{}").await;
    allowed_simple(cx, &r, p);
    cx.check(r.body == "simple get", &r, p, "body readable");
    cx.readable(&r, p, &["content-length", "content-type"]);
}

async fn head_allowed(cx: &Cx) {
    let p = "/simple/head";
    let r = cx.page().fetch(&cx.cross(p), "{method: 'HEAD'}").await;
    allowed_simple(cx, &r, p);
    cx.check(r.body.is_empty(), &r, p, "HEAD has no body");
    cx.log_check(
        cx.requests(p)[0].method == "HEAD",
        p,
        "sent as HEAD (handled by the GET handler)",
    );
}

async fn post_text_plain_allowed(cx: &Cx) {
    let p = "/simple/post-text";
    let r = cx.page().fetch(&cx.cross(p), TEXT).await;
    allowed_simple(cx, &r, p);
    cx.check(
        r.body == "text/plain;charset=UTF-8\nhello",
        &r,
        p,
        "handler saw text/plain and the body",
    );
}

async fn post_urlencoded_allowed(cx: &Cx) {
    let p = "/simple/post-urlencoded";
    let r = cx.page().fetch(&cx.cross(p), URLENCODED).await;
    allowed_simple(cx, &r, p);
    cx.check(
        r.body == "application/x-www-form-urlencoded;charset=UTF-8\na=1&b=two",
        &r,
        p,
        "handler saw application/x-www-form-urlencoded and the body",
    );
}

async fn post_multipart_allowed(cx: &Cx) {
    let p = "/simple/post-multipart";
    let r = cx.page().fetch(&cx.cross(p), MULTIPART).await;
    allowed_simple(cx, &r, p);
    cx.check(
        r.body.starts_with("multipart/form-data; boundary="),
        &r,
        p,
        "handler saw multipart/form-data",
    );
}

/// `post` is normalised to `POST` by fetch, so it stays a simple request.
async fn lowercase_post_normalised_still_simple(cx: &Cx) {
    let p = "/simple/get-lowercase-post";
    let r = cx
        .page()
        .fetch(&cx.cross(p), "{method: 'post', body: 'x'}")
        .await;
    allowed_simple(cx, &r, p);
    cx.log_check(cx.requests(p)[0].method == "POST", p, "sent as POST");
}

async fn get_from_wrong_port_blocked_handler_ran(cx: &Cx) {
    let p = "/simple/wrong-port/get";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), "{}").await;
    blocked_simple(cx, &r, p, "GET");
}

async fn head_from_wrong_port_blocked_handler_ran(cx: &Cx) {
    let p = "/simple/wrong-port/head";
    let r = cx
        .wrong_port()
        .await
        .fetch(&cx.cross(p), "{method: 'HEAD'}")
        .await;
    blocked_simple(cx, &r, p, "HEAD");
}

async fn post_text_plain_from_wrong_port_blocked_handler_ran(cx: &Cx) {
    let p = "/simple/wrong-port/post-text";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), TEXT).await;
    blocked_simple(cx, &r, p, "POST");
}

async fn post_urlencoded_from_wrong_port_blocked_handler_ran(cx: &Cx) {
    let p = "/simple/wrong-port/post-urlencoded";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), URLENCODED).await;
    blocked_simple(cx, &r, p, "POST");
}

async fn post_multipart_from_wrong_port_blocked_handler_ran(cx: &Cx) {
    let p = "/simple/wrong-port/post-multipart";
    let r = cx.wrong_port().await.fetch(&cx.cross(p), MULTIPART).await;
    blocked_simple(cx, &r, p, "POST");
}
