//! Request headers: custom headers allowed/refused, several headers with one missing,
//! `Content-Type: application/json`, only safelisted headers, `headers = "*"` and `Authorization`.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    custom_header_allowed,
    custom_header_refused,
    several_headers_allowed,
    several_headers_one_missing_refused,
    json_content_type_allowed,
    json_content_type_refused,
    put_with_only_safelisted_headers_allowed,
    star_allows_any_header,
    star_does_not_cover_authorization,
    star_plus_authorization_allows_it,
];

/// One preflight that asked for `acrh`, the request went through.
async fn headers_ok(cx: &Cx, p: &str, init: &str, acrh: &str, body: &str) {
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.allowed(&r, p, 200);
    cx.check(
        r.body == body,
        &r,
        p,
        "handler saw the request headers (body echoes them)",
    );
    cx.seen(p, seen(1, 1, 1));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.acrh.as_deref() == Some(acrh),
        p,
        "Access-Control-Request-Headers of the preflight",
    );
}

/// One preflight that asked for `acrh`, refused: the request was never sent.
async fn headers_refused(cx: &Cx, p: &str, init: &str, acrh: &str) {
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.acrh.as_deref() == Some(acrh),
        p,
        "Access-Control-Request-Headers of the preflight",
    );
}

async fn custom_header_allowed(cx: &Cx) {
    let init = r#"{headers: {'X-Api-Key': 'k-1'}}"#;
    headers_ok(cx, "/hdr/allowed", init, "x-api-key", "k-1").await;
}

async fn custom_header_refused(cx: &Cx) {
    headers_refused(
        cx,
        "/hdr/refused",
        r#"{headers: {'x-other': '1'}}"#,
        "x-other",
    )
    .await;
}

/// Chromium lower-cases and sorts the names: `x-a,x-b`.
async fn several_headers_allowed(cx: &Cx) {
    let init = r#"{headers: {'X-B': '2', 'x-a': '1'}}"#;
    headers_ok(cx, "/hdr/several", init, "x-a,x-b", "1 2").await;
}

async fn several_headers_one_missing_refused(cx: &Cx) {
    let init = r#"{headers: {'x-a': '1', 'x-d': '4', 'x-b': '2'}}"#;
    headers_refused(cx, "/hdr/one-missing", init, "x-a,x-b,x-d").await;
}

async fn json_content_type_allowed(cx: &Cx) {
    let init = r#"{method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({a: 1})}"#;
    headers_ok(
        cx,
        "/hdr/json-allowed",
        init,
        "content-type",
        "application/json\n{\"a\":1}",
    )
    .await;
}

async fn json_content_type_refused(cx: &Cx) {
    let init = r#"{method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}"#;
    headers_refused(cx, "/hdr/json-refused", init, "content-type").await;
}

/// A PUT with only CORS-safelisted request headers: preflighted for the method, without
/// Access-Control-Request-Headers, so a policy without `headers` allows it.
async fn put_with_only_safelisted_headers_allowed(cx: &Cx) {
    let p = "/hdr/put-safelisted";
    let init = r#"{method: 'PUT', body: 'x', headers: {'Accept': 'text/plain', 'Accept-Language': 'de',
        'Content-Language': 'fr', 'Content-Type': 'text/plain'}}"#;
    let r = cx.page().fetch(&cx.cross(p), init).await;
    cx.allowed(&r, p, 200);
    cx.check(
        r.body == "accept=text/plain; accept-language=de; content-language=fr; content-type=text/plain",
        &r,
        p,
        "handler saw the safelisted headers",
    );
    cx.seen(p, seen(1, 1, 1));
    let pf = &cx.preflights(p)[0];
    cx.log_check(
        pf.acrm.as_deref() == Some("PUT"),
        p,
        "preflight asked for PUT",
    );
    cx.log_check(
        pf.acrh.is_none(),
        p,
        "preflight without Access-Control-Request-Headers",
    );
}

async fn star_allows_any_header(cx: &Cx) {
    let init = r#"{headers: {'x-anything': '1', 'x-other-thing': '2'}}"#;
    headers_ok(cx, "/hdr/star", init, "x-anything,x-other-thing", "1 2").await;
}

/// `headers = "*"` does not cover `Authorization` (Fetch standard).
async fn star_does_not_cover_authorization(cx: &Cx) {
    let init = r#"{headers: {'Authorization': 'Bearer t', 'x-anything': '1'}}"#;
    headers_refused(
        cx,
        "/hdr/star-authorization",
        init,
        "authorization,x-anything",
    )
    .await;
}

async fn star_plus_authorization_allows_it(cx: &Cx) {
    let p = "/hdr/star-plus-authorization";
    let init = r#"{headers: {'Authorization': 'Bearer t', 'x-custom': 'c'}}"#;
    headers_ok(cx, p, init, "authorization,x-custom", "Bearer t c").await;
    let auth = cx.requests(p)[0].authorization.clone();
    cx.log_check(
        auth.as_deref() == Some("Bearer t"),
        p,
        "Authorization reached the server",
    );
}
