//! The tracking id Webex puts on every answer: the caller's `TrackingId` header when it sends a
//! sane one, otherwise a new one; echoed in the response header and written into error bodies.
//!
//! Handlers and their errors never carry the id. An error whose body names it implements
//! [`TrackedAnswer`] and answers with [`awaiting_tracking_id`], which leaves it in the response's
//! extensions; the [`tracking_id`] middleware renders it once the id is known. This is the shape of
//! axum's `error-handling` example (errors left in the response extensions for a middleware), so
//! handlers return `Result<_, SomeError>` and use `?`.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ids;

/// Header Webex uses to correlate requests; echoed on every response.
pub static TRACKING_ID: HeaderName = HeaderName::from_static("trackingid");

/// The tracking id of the current request.
#[derive(Debug, Clone)]
pub struct TrackingId(pub String);

/// An answer whose body names the request's tracking id.
pub trait TrackedAnswer: Send + Sync + 'static {
    fn answer(&self, tracking: &TrackingId) -> Response;
}

/// A [`TrackedAnswer`] waiting in a response's extensions for [`tracking_id`] (extensions must be
/// `Clone`, hence the `Arc`).
#[derive(Clone)]
struct AwaitingTrackingId(Arc<dyn TrackedAnswer>);

/// A response that [`tracking_id`] replaces with `answer` rendered for the request's tracking id.
/// Its own status is a 500: a router without the middleware would send that, not a half answer.
pub fn awaiting_tracking_id(answer: impl TrackedAnswer) -> Response {
    let mut placeholder = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    placeholder
        .extensions_mut()
        .insert(AwaitingTrackingId(Arc::new(answer)));
    placeholder
}

/// Picks the request's tracking id, renders an answer that awaits it and sets the header.
pub async fn tracking_id(request: Request, next: Next) -> Response {
    let tracking = TrackingId(
        request
            .headers()
            .get(&TRACKING_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
            .map(str::to_string)
            .unwrap_or_else(|| format!("SANDBOX_{}", ids::random_uuid())),
    );
    let mut response = next.run(request).await;
    if let Some(AwaitingTrackingId(answer)) = response.extensions_mut().remove() {
        response = answer.answer(&tracking);
    }
    if let Ok(value) = HeaderValue::from_str(&tracking.0) {
        response.headers_mut().insert(TRACKING_ID.clone(), value);
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    struct Echo;

    impl TrackedAnswer for Echo {
        fn answer(&self, tracking: &TrackingId) -> Response {
            (StatusCode::IM_A_TEAPOT, tracking.0.clone()).into_response()
        }
    }

    #[tokio::test]
    async fn an_answer_awaiting_the_id_is_rendered_with_the_callers_id() {
        let app = Router::new()
            .route("/", get(|| async { awaiting_tracking_id(Echo) }))
            .layer(axum::middleware::from_fn(tracking_id));
        let request = Request::builder()
            .uri("/")
            .header(&TRACKING_ID, "caller-42")
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
        assert_eq!(response.headers()[&TRACKING_ID], "caller-42");
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&body[..], b"caller-42");
    }
}
