//! The Lambda host: the same `Router`, plus the client IP taken from the API Gateway / Function URL
//! request context (there is no socket to ask).

use crate::app::{ClientIp, app};
use crate::state::AppState;
use axum::Router;
use axum::extract::Request;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use std::net::IpAddr;

/// `app(state)` with the Lambda client-IP extraction in front.
pub fn lambda_app(state: AppState) -> Router {
    app(state).layer(axum::middleware::map_request(insert_client_ip))
}

async fn insert_client_ip(mut request: Request) -> Request {
    if let Some(ip) = source_ip(&request) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    request
}

fn source_ip(request: &Request) -> Option<IpAddr> {
    let text = match request.request_context_ref()? {
        RequestContext::ApiGatewayV2(context) => context.http.source_ip.clone(),
        RequestContext::ApiGatewayV1(context) => context.identity.source_ip.clone(),
        _ => None,
    }?;
    text.parse().ok()
}
