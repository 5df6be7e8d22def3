//! Query-string parameters of API requests (the last occurrence of a repeated name wins), and
//! back into the query of a paging link.

use axum::http::Uri;

use super::ApiError;

pub fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(uri.query().unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("The query string is malformed: {e}")))
}

pub fn last_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub fn int_param(pairs: &[(String, String)], name: &str) -> Result<Option<i64>, ApiError> {
    last_param(pairs, name)
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("{name} must be an integer, got {v:?}")))
        })
        .transpose()
}

pub fn bool_param(pairs: &[(String, String)], name: &str) -> Result<(), ApiError> {
    match last_param(pairs, name) {
        None | Some("true") | Some("false") => Ok(()),
        Some(v) => Err(ApiError::bad_request(format!(
            "{name} must be true or false, got {v:?}"
        ))),
    }
}

/// `&name=value` for each parameter, form-encoded: a list's filters carried into its paging links.
pub fn link_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    params
        .into_iter()
        .map(|(name, value)| {
            let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            format!("&{name}={value}")
        })
        .collect()
}
