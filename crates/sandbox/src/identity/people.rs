//! `GET /v1/people/me`: the signed-in user, as Webex describes a person.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::responses::WebexError;
use crate::http_util::bearer_token;
use crate::ids::hydra_id;
use crate::state::{AppState, TokenProblem};

pub async fn people_me(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, WebexError> {
    let Some(token) = bearer_token(&headers) else {
        return Err(WebexError::new(
            StatusCode::UNAUTHORIZED,
            "The request requires a valid access token set in the Authorization request header.",
        ));
    };
    let grant = match state.access_grant(token) {
        Ok(g) => g,
        Err(TokenProblem::Expired) => {
            return Err(WebexError::new(
                StatusCode::UNAUTHORIZED,
                "The access token has expired. Refresh it and retry.",
            ));
        }
        Err(TokenProblem::Unknown) => {
            return Err(WebexError::new(
                StatusCode::UNAUTHORIZED,
                "The request requires a valid access token set in the Authorization request header.",
            ));
        }
    };
    let Some(user) = state.sign_in_user(&grant.user_key) else {
        return Err(WebexError::new(
            StatusCode::NOT_FOUND,
            "The user no longer exists.",
        ));
    };
    Ok(Json(json!({
        "id": hydra_id("PEOPLE", &user.id),
        "emails": [user.email],
        "phoneNumbers": [],
        "displayName": user.display_name(),
        "nickName": user.first_name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "orgId": hydra_id("ORGANIZATION", &user.org_id),
        "created": "2025-01-01T00:00:00.000Z",
        "lastModified": "2025-06-01T00:00:00.000Z",
        "type": "person",
    })))
}
