//! The response future of [`Cors`](crate::Cors): no boxing, the CORS work
//! happens when the inner response is ready.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::Response;
use pin_project_lite::pin_project;

use crate::engine::{Decoration, PreflightAnswer};
use crate::layer::Handled;

pin_project! {
    /// Response future of [`Cors`](crate::Cors).
    pub struct ResponseFuture<F, B> {
        #[pin]
        future: F,
        fallback: Option<Fallback<B>>,
    }
}

/// What the router-wide policy does to the inner service's response, unless
/// a `route!` handler policy already answered or decorated it.
pub(crate) enum Fallback<B> {
    Decorate(Decoration),
    Preflight(PreflightAnswer<B>),
}

impl<F, B> ResponseFuture<F, B> {
    pub(crate) fn new(future: F, fallback: Fallback<B>) -> Self {
        Self {
            future,
            fallback: Some(fallback),
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.future.poll(cx))?;
        let fallback = this
            .fallback
            .take()
            .expect("ResponseFuture polled after completion");
        if response.extensions_mut().remove::<Handled>().is_none() {
            match fallback {
                Fallback::Decorate(decoration) => decoration.apply(response.headers_mut()),
                Fallback::Preflight(answer) => response = answer.into_response(),
            }
        }
        Poll::Ready(Ok(response))
    }
}
