//! The Contact Center API port (what api.wxcc-<region>.cisco.com does): the configuration API
//! under `/organization/{orgid}/…` (paged lists, single records, the older unpaged lists), the
//! analytics endpoints and estimated wait time under `/v1/…`, webhook subscriptions, scheduled
//! callbacks, the flow store and Journey workspaces.

mod analytics;
mod callbacks;
mod config_items;
mod config_lists;
mod error;
mod ewt;
mod flows;
mod guard;
mod journey;
mod params;
mod subscriptions;
mod writes;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::get;

use crate::seed::Collection;
use crate::state::AppState;

pub use error::ApiError;
pub use guard::{Caller, READ_SCOPES, check_org, guard};

pub fn routes() -> Router<AppState> {
    configuration_routes()
        .route("/v1/tasks", get(analytics::tasks))
        .route("/v1/agents/activities", get(analytics::agent_activities))
        .route("/v1/agents/statistics", get(analytics::agent_statistics))
        .route("/v1/queues/statistics", get(analytics::queue_statistics))
        .route("/v1/ewt", get(ewt::estimated_wait_time))
        .route("/v2/subscriptions", get(subscriptions::list))
        .route("/v2/subscriptions/{id}", get(subscriptions::get))
        .route("/v2/event-types", get(subscriptions::event_types_list))
        .route(
            "/v1/callbacks/organization/{orgId}/scheduled-callback",
            get(callbacks::list),
        )
        .route(
            "/v1/callbacks/organization/{orgId}/scheduled-callback/{id}",
            get(callbacks::get),
        )
        .route(
            "/flow-store/{orgId}/project/{projectId}/flows",
            get(flows::list),
        )
        // `{flowId}:export`: the handler takes the whole segment and strips the suffix.
        .route(
            "/flow-store/{orgId}/project/{projectId}/flows/{flowSegment}",
            get(flows::export),
        )
        .route("/admin/v1/api/workspace", get(journey::list))
        .route(
            "/admin/v1/api/workspace/workspace-id/{workspaceId}",
            get(journey::get),
        )
}

/// Every configuration kind's paged lists, single records and older unpaged list, and the writes.
fn configuration_routes() -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/organization/{orgid}/v2/user/by-ci-user-id/{id}",
            get(config_items::user_by_ci_user_id),
        )
        .route(
            "/organization/{orgid}/address-book/{id}",
            get(config_items::address_book_with_entries),
        )
        .route(
            "/organization/{orgid}/v2/address-book/{addressBookId}/entry",
            get(config_lists::list_entries),
        );
    for collection in Collection::ALL {
        let rules = collection.rules();
        for &list_path in rules.lists {
            router = router.route(
                &format!("/organization/{{orgid}}/{list_path}"),
                get(move |state, caller, path, uri| {
                    config_lists::list_config(collection, list_path, state, caller, path, uri)
                }),
            );
        }
        for item_path in rules.items {
            router = router.route(
                &format!("/organization/{{orgid}}/{item_path}/{{id}}"),
                get(move |state, caller, path, uri| {
                    config_items::get_item(collection, state, caller, path, uri)
                }),
            );
        }
        if let Some(legacy) = rules.legacy_list {
            router = router.route(
                &format!("/organization/{{orgid}}/{legacy}"),
                get(move |state, caller, path, uri| {
                    config_items::legacy_list(collection, state, caller, path, uri)
                }),
            );
        }
    }
    writes::add_routes(router)
}

/// 404 for paths the sandbox does not serve, in the API's error shape.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("No such endpoint {} in the sandbox.", uri.path()),
    )
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        format!("The sandbox does not serve {method} {}.", uri.path()),
    )
}
