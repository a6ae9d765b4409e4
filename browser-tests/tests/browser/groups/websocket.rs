//! The WebSocket origin guard. Browsers open WebSockets to any origin without CORS, sending `Origin`;
//! only the server can refuse. A `route!` handler's policy refuses an upgrade from an origin it does not
//! allow: the socket never opens and the handler never runs.

use crate::cx::{scenarios, seen, Cx};
use serde_json::Value;

scenarios![
    websocket_from_the_allowed_page_opens,
    websocket_from_a_refused_page_never_opens,
];

/// Opens a WebSocket from `tab`'s page and reports the first message, or that it never opened.
const OPEN: &str = r#"(url) => new Promise(resolve => {
  const ws = new WebSocket(url);
  const done = v => { resolve(v); try { ws.close(); } catch (e) {} };
  ws.onmessage = e => done({ opened: true, message: String(e.data) });
  ws.onerror = () => done({ opened: false, message: null });
  setTimeout(() => done({ opened: false, message: 'timeout' }), 5000);
})"#;

fn ws_url(cx: &Cx, path: &str) -> String {
    cx.cross(path).replacen("http://", "ws://", 1)
}

async fn websocket_from_the_allowed_page_opens(cx: &Cx) {
    let p = "/ws/allowed";
    let url = serde_json::to_string(&ws_url(cx, p)).unwrap();
    let v: Value = cx.page().eval(&format!("({OPEN})({url})")).await;
    assert_eq!(v["opened"], Value::Bool(true), "{v}");
    assert_eq!(v["message"], "hello", "{v}");
    cx.seen(p, seen(0, 1, 1));
    cx.log_check(
        cx.requests(p).iter().all(|e| e.status == Some(101)),
        p,
        "101 Switching Protocols",
    );
}

async fn websocket_from_a_refused_page_never_opens(cx: &Cx) {
    let p = "/ws/refused";
    let url = serde_json::to_string(&ws_url(cx, p)).unwrap();
    let v: Value = cx
        .wrong_port()
        .await
        .eval(&format!("({OPEN})({url})"))
        .await;
    assert_eq!(v["opened"], Value::Bool(false), "{v}");
    cx.seen(p, seen(0, 1, 0));
    cx.log_check(
        cx.requests(p).iter().all(|e| e.status == Some(403)),
        p,
        "403 before the handler",
    );
}
