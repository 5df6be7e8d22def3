//! The identity port: what webexapis.com's `/v1` does for an integration — authorize (login +
//! consent page), access_token (authorization_code and refresh_token grants) and people/me.

mod answer;
mod authorize;
mod people;
mod refresh;
mod responses;
mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use responses::WebexError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/authorize", get(authorize::authorize))
        .route("/v1/authorize/style.css", get(authorize::stylesheet))
        .route("/v1/authorize/decision", post(authorize::decision))
        .route("/v1/access_token", post(token::access_token))
        .route("/v1/people/me", get(people::people_me))
}
