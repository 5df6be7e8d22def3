//! Small HTTP helpers shared by both ports: bearer tokens, HTML escaping.

use axum::http::{HeaderMap, header};

/// What a request's `Authorization` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials<'a> {
    Missing,
    /// Present but not of the form `Bearer <token>` (RFC 6750's b64token).
    Malformed,
    Bearer(&'a str),
}

pub fn credentials(headers: &HeaderMap) -> Credentials<'_> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Credentials::Missing;
    };
    let Some((scheme, token)) = value.to_str().ok().and_then(|v| v.trim().split_once(' ')) else {
        return Credentials::Malformed;
    };
    let token = token.trim_start_matches(' ');
    if scheme.eq_ignore_ascii_case("bearer") && is_b64token(token) {
        Credentials::Bearer(token)
    } else {
        Credentials::Malformed
    }
}

/// The bearer token of a request, if the Authorization header carries a well-formed one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    match credentials(headers) {
        Credentials::Bearer(token) => Some(token),
        Credentials::Missing | Credentials::Malformed => None,
    }
}

/// RFC 6750's `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// Text safe in HTML text and quoted attributes (core's one escaper).
pub use wxcc_core::html::escape as escape_html;

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn authorization_header_forms() {
        let with = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            h
        };
        assert_eq!(credentials(&HeaderMap::new()), Credentials::Missing);
        assert_eq!(credentials(&with("Bearer abc")), Credentials::Bearer("abc"));
        assert_eq!(
            credentials(&with("bearer a_b-c.d~e+f/g==")),
            Credentials::Bearer("a_b-c.d~e+f/g==")
        );
        for malformed in [
            "Basic abc",
            "Bearer",
            "Bearer ",
            "Bearer a b",
            "Bearer a=b",
            "abc",
            "Bearer ==",
            "",
        ] {
            assert_eq!(
                credentials(&with(malformed)),
                Credentials::Malformed,
                "{malformed:?}"
            );
        }
        assert_eq!(bearer_token(&with("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&with("Basic abc")), None);
    }
}
