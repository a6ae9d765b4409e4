//! F. The reason of a rejected preflight is logged (R33, docs/server-requirements.md; the crate docs' "Runtime behaviour": `tracing::debug!`,
//! target `cors_runtime`).
//!
//! A binary of its own: tracing caches per-callsite interest, and a test
//! running concurrently without a subscriber could race the scoped one here.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use tracing_subscriber::{layer::Context, prelude::*, Layer, Registry};

/// Records the (level, target) of every tracing event.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<(tracing::Level, String)>>>);

impl<S: tracing::Subscriber> Layer<S> for Events {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        self.0
            .lock()
            .unwrap()
            .push((*meta.level(), meta.target().to_owned()));
    }
}

#[tokio::test]
async fn r33_rejected_preflight_reason_is_logged_at_debug() {
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(Registry::default().with(events.clone()));
    let app = App::fixture();
    app.send(preflight("/list", EVIL, "PUT", &[]))
        .await
        .assert_preflight_rejected();
    let logged = events.0.lock().unwrap().clone();
    assert!(
        logged.contains(&(tracing::Level::DEBUG, "cors_runtime".to_owned())),
        "no DEBUG event with target cors_runtime: {logged:?}"
    );
}
