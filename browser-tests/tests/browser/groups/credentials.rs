//! Credentials. All calls go to the same-site API origin (`http://127.0.0.1:API`): a fresh Chromium
//! profile blocks third-party cookies, so `localhost:API` could not keep a cookie at all.

use crate::api::SESSION_COOKIE;
use crate::cx::{scenarios, seen, Cx};

scenarios![
    cookie_set_then_sent_with_include,
    cookie_not_sent_in_default_mode,
    include_refused_without_credentials_true,
    include_refused_with_any_origin,
    any_origin_without_include_allowed,
    credentialed_preflight_allowed,
    credentialed_preflight_refused_without_credentials_true,
];

const INCLUDE: &str = "{credentials: 'include'}";

/// Logs in (sets the session cookie). Run by every scenario that needs the cookie, so each stands alone.
async fn login(cx: &Cx) {
    let p = "/cred/login";
    let r = cx.page().fetch(&cx.same_site(p), INCLUDE).await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "logged in", &r, p, "login body");
    cx.check(
        r.header("set-cookie").is_none(),
        &r,
        p,
        "Set-Cookie is never readable from JS",
    );
}

fn cookie_of_last(cx: &Cx, p: &str) -> Option<String> {
    cx.requests(p).last().and_then(|e| e.cookie.clone())
}

async fn cookie_set_then_sent_with_include(cx: &Cx) {
    login(cx).await;
    let p = "/cred/me";
    let r = cx.page().fetch(&cx.same_site(p), INCLUDE).await;
    cx.allowed(&r, p, 200);
    cx.check(
        r.body == SESSION_COOKIE,
        &r,
        p,
        "the handler got the cookie and the page reads the body",
    );
    cx.seen(p, seen(0, 1, 1));
    cx.log_check(
        cookie_of_last(cx, p).as_deref() == Some(SESSION_COOKIE),
        p,
        "cookie sent",
    );
}

/// Default `credentials: 'same-origin'`: a cross-origin request carries no cookie.
async fn cookie_not_sent_in_default_mode(cx: &Cx) {
    login(cx).await;
    let p = "/cred/me-default-mode";
    let r = cx.page().fetch(&cx.same_site(p), "{}").await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "(none)", &r, p, "no cookie in the handler");
    cx.log_check(cookie_of_last(cx, p).is_none(), p, "no cookie sent");
}

/// The policy lacks `credentials = true` (no `Access-Control-Allow-Credentials`): the browser sends the
/// cookie, the handler runs, but the page cannot read the response.
async fn include_refused_without_credentials_true(cx: &Cx) {
    login(cx).await;
    let p = "/cred/no-credentials";
    let r = cx.page().fetch(&cx.same_site(p), INCLUDE).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(0, 1, 1));
    cx.log_check(
        cookie_of_last(cx, p).as_deref() == Some(SESSION_COOKIE),
        p,
        "cookie was sent anyway",
    );
}

/// `origins = "*"` answers `Access-Control-Allow-Origin: *`, which a credentialed request may not use.
async fn include_refused_with_any_origin(cx: &Cx) {
    login(cx).await;
    let p = "/cred/any-origin";
    let r = cx.page().fetch(&cx.same_site(p), INCLUDE).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(0, 1, 1));
    cx.log_check(
        cookie_of_last(cx, p).as_deref() == Some(SESSION_COOKIE),
        p,
        "cookie was sent anyway",
    );
}

async fn any_origin_without_include_allowed(cx: &Cx) {
    let p = "/cred/any-origin-omit";
    let r = cx
        .page()
        .fetch(&cx.same_site(p), "{credentials: 'omit'}")
        .await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "(none)", &r, p, "no cookie");
    cx.seen(p, seen(0, 1, 1));
}

/// Preflight (never with cookies), then the PUT with the cookie.
async fn credentialed_preflight_allowed(cx: &Cx) {
    login(cx).await;
    let p = "/cred/put";
    let init = r#"{method: 'PUT', credentials: 'include', headers: {'x-csrf': '1'}}"#;
    let r = cx.page().fetch(&cx.same_site(p), init).await;
    cx.allowed(&r, p, 200);
    cx.check(
        r.body == SESSION_COOKIE,
        &r,
        p,
        "the PUT carried the cookie",
    );
    cx.seen(p, seen(1, 1, 1));
    cx.log_check(
        cx.preflights(p)[0].cookie.is_none(),
        p,
        "the preflight carries no cookie",
    );
}

/// The preflight answer lacks `Access-Control-Allow-Credentials`: the PUT is never sent.
async fn credentialed_preflight_refused_without_credentials_true(cx: &Cx) {
    login(cx).await;
    let p = "/cred/put-no-credentials";
    let init = r#"{method: 'PUT', credentials: 'include', headers: {'x-csrf': '1'}}"#;
    let r = cx.page().fetch(&cx.same_site(p), init).await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
}
