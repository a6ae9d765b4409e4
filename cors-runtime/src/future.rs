//! The response future shared by [`RouteCors`](crate::route::RouteCors) and
//! [`Cors`](crate::Cors): no boxing, the CORS work happens when the inner
//! response is ready.

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
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B> {
        // A preflight, answered without calling the inner service.
        Answered { response: Option<Response<B>> },
        // An actual request, decorated once the inner service answers.
        Inner { #[pin] future: F, after: Option<After<B>> },
    }
}

/// What to do with the inner service's response.
pub(crate) enum After<B> {
    /// No policy applies (a method routed without `#[cors]`).
    Nothing,
    /// A handler's own policy applies; `mark` tells an outer `CorsLayer` so.
    Handler { decoration: Decoration, mark: bool },
    /// The router-wide policy applies unless a handler policy already did:
    /// decorate the response, or replace it with the preflight answer.
    Default(Fallback<B>),
}

pub(crate) enum Fallback<B> {
    Decorate(Decoration),
    Preflight(PreflightAnswer<B>),
}

impl<F, B> ResponseFuture<F, B> {
    pub(crate) fn answered(response: Response<B>) -> Self {
        Self {
            kind: Kind::Answered {
                response: Some(response),
            },
        }
    }

    pub(crate) fn inner(future: F, after: After<B>) -> Self {
        Self {
            kind: Kind::Inner {
                future,
                after: Some(after),
            },
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Answered { response } => Poll::Ready(Ok(response
                .take()
                .expect("ResponseFuture polled after completion"))),
            KindProj::Inner { future, after } => {
                let mut response = ready!(future.poll(cx))?;
                match after
                    .take()
                    .expect("ResponseFuture polled after completion")
                {
                    After::Nothing => {}
                    After::Handler { decoration, mark } => {
                        decoration.apply(response.headers_mut());
                        if mark {
                            response.extensions_mut().insert(Handled);
                        }
                    }
                    After::Default(fallback) => {
                        if response.extensions_mut().remove::<Handled>().is_none() {
                            match fallback {
                                Fallback::Decorate(decoration) => {
                                    decoration.apply(response.headers_mut())
                                }
                                Fallback::Preflight(answer) => response = answer.into_response(),
                            }
                        }
                    }
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}
