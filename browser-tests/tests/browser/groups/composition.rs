//! Composition: a `route!` path behind an auth middleware, in a `CorsRouter`. The preflight is answered
//! before the middleware, and the middleware's 401 carries the handler's CORS headers, so the page reads
//! the 401 instead of a network error.

use crate::cx::{scenarios, seen, Cx};

scenarios![
    auth_401_readable_after_preflight,
    auth_key_reaches_the_handler,
    auth_other_origin_stays_blocked,
];

const PUT_NO_KEY: &str = r#"{method: 'PUT', credentials: 'include', headers: {'content-type': 'application/json'}, body: '{}'}"#;
const PUT_WITH_KEY: &str = r#"{method: 'PUT', credentials: 'include', headers: {'content-type': 'application/json', 'authorization': 'Bearer k'}, body: '{}'}"#;

async fn auth_401_readable_after_preflight(cx: &Cx) {
    let p = "/auth/put-no-key";
    let r = cx.page().fetch(&cx.cross(p), PUT_NO_KEY).await;
    cx.allowed(&r, p, 401);
    cx.seen(p, seen(1, 1, 0));
    let preflight = cx.preflights(p);
    cx.log_check(
        preflight.iter().all(|e| e.status == Some(204)),
        p,
        "the preflight got 204, not the middleware's 401",
    );
}

async fn auth_key_reaches_the_handler(cx: &Cx) {
    let p = "/auth/put";
    let r = cx.page().fetch(&cx.cross(p), PUT_WITH_KEY).await;
    cx.allowed(&r, p, 200);
    cx.check(r.body == "saved", &r, p, "body readable");
    cx.seen(p, seen(1, 1, 1));
}

/// An origin the handler's policy does not list: the preflight is refused before the middleware and the
/// browser never sends the PUT.
async fn auth_other_origin_stays_blocked(cx: &Cx) {
    let p = "/auth/put-wrong-port";
    let r = cx
        .wrong_port()
        .await
        .fetch(&cx.cross(p), PUT_WITH_KEY)
        .await;
    cx.blocked(&r, p);
    cx.seen(p, seen(1, 0, 0));
}
