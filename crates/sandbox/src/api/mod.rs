//! The Contact Center API port (what api.wxcc-<region>.cisco.com does): configuration lists under
//! `/organization/{orgid}/…` and the analytics endpoints under `/v1/…`.

mod analytics;
mod config_lists;
mod error;
mod guard;
mod params;

use axum::Router;
use axum::extract::Extension;
use axum::http::{StatusCode, Uri};
use axum::routing::get;

use crate::http_util::TrackingId;
use crate::seed::Collection;
use crate::state::AppState;

pub use error::{ApiError, ApiErrorResponse};
pub use guard::{READ_SCOPES, guard};

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for collection in Collection::ALL {
        router = router.route(
            &format!("/organization/{{orgid}}/{}", collection.path()),
            get(move |state, caller, tracking, path, uri| {
                config_lists::list_config(collection, state, caller, tracking, path, uri)
            }),
        );
    }
    router
        .route("/v1/tasks", get(analytics::tasks))
        .route("/v1/agents/activities", get(analytics::agent_activities))
        .route("/v1/agents/statistics", get(analytics::agent_statistics))
        .route("/v1/queues/statistics", get(analytics::queue_statistics))
}

/// 404 for paths the sandbox does not serve, in the API's error shape.
pub async fn not_found(Extension(tracking): Extension<TrackingId>, uri: Uri) -> ApiErrorResponse {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("No such endpoint {} in the sandbox.", uri.path()),
    )
    .tracked(&tracking)
}

pub async fn method_not_allowed(Extension(tracking): Extension<TrackingId>) -> ApiErrorResponse {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        "The sandbox serves this path with GET only.",
    )
    .tracked(&tracking)
}
