//! The checks every POST passes before its body is read, in one place for all three endpoints.

use crate::error::{ErrorCode, ProxyError};
use crate::request::{self, MAX_BODY_BYTES, REQUEST_HEADER};
use crate::state::AppState;
use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderName};
use std::net::IpAddr;
use wxcc_core::secret::{Secret, constant_time_eq};

/// The policy every POST passes, in order: origin, custom header, content type, size. Returns the body.
pub(crate) async fn accept_post(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<bytes::Bytes, ProxyError> {
    // A repeated policy header is refused as a whole: proxies and frameworks disagree on which copy wins.
    let text = |name: HeaderName| {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value.to_str().unwrap_or("\u{fffd}")),
            (None, _) => None,
            (Some(_), Some(_)) => Some("\u{fffd}repeated"),
        }
    };
    request::check_origin(text(header::ORIGIN), &state.inner.allowed_origins)?;
    request::check_request_header(text(HeaderName::from_static(REQUEST_HEADER)))?;
    request::check_content_type(text(header::CONTENT_TYPE))?;
    let declared_too_large = text(header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES as u64);
    if declared_too_large {
        return Err(request::payload_too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(body_read_error)
}

/// A body that stopped arriving (the body timeout) is the client's slowness, not its size.
fn body_read_error(error: axum::Error) -> ProxyError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(cause) = source {
        if cause.is::<tower_http::timeout::TimeoutError>() {
            return ProxyError::new(
                ErrorCode::RequestTimeout,
                "The request body stopped arriving before it was complete; send it again in one go.",
            );
        }
        source = cause.source();
    }
    request::payload_too_large()
}

/// The header a CDN in front adds to every request it forwards, carrying the deployment's origin
/// secret. CloudFront overwrites a viewer's header of the same name, so only the CDN can set it.
pub(crate) const ORIGIN_VERIFY_HEADER: &str = "x-wxcc-origin-verify";
/// CloudFront's `ip:port` of the viewer it forwards for (IPv6 without brackets).
pub(crate) const VIEWER_ADDRESS_HEADER: &str = "cloudfront-viewer-address";

/// Whether the request carries exactly one origin-verify header equal to `secret`, compared in
/// constant time so the answer's timing says nothing about how much of a guess was right.
pub(crate) fn came_through_cdn(headers: &HeaderMap, secret: &Secret) -> bool {
    let mut values = headers.get_all(ORIGIN_VERIFY_HEADER).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => constant_time_eq(value.as_bytes(), secret.secret().as_bytes()),
        _ => false,
    }
}

/// The viewer's address as the CDN states it; `None` when absent, repeated or unreadable.
pub(crate) fn viewer_address(headers: &HeaderMap) -> Option<IpAddr> {
    let mut values = headers.get_all(VIEWER_ADDRESS_HEADER).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let text = value.to_str().ok()?.trim();
    let (address, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    address.trim_matches(['[', ']']).parse().ok()
}

pub(crate) fn direct_access_refused() -> ProxyError {
    ProxyError::new(
        ErrorCode::DirectAccessRefused,
        "This token proxy answers only through the console's own address (its CDN); call it there, not at the function's address.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_origin_secret_must_match_exactly_once() {
        let secret = Secret::new("s".repeat(40));
        let right = "s".repeat(40);
        assert!(came_through_cdn(
            &headers(&[(ORIGIN_VERIFY_HEADER, &right)]),
            &secret
        ));
        assert!(!came_through_cdn(&headers(&[]), &secret));
        assert!(!came_through_cdn(
            &headers(&[(ORIGIN_VERIFY_HEADER, &"s".repeat(39))]),
            &secret
        ));
        assert!(!came_through_cdn(
            &headers(&[
                (ORIGIN_VERIFY_HEADER, &right),
                (ORIGIN_VERIFY_HEADER, &right)
            ]),
            &secret
        ));
    }

    #[test]
    fn viewer_addresses_of_both_families_are_read() {
        let read = |value: &str| viewer_address(&headers(&[(VIEWER_ADDRESS_HEADER, value)]));
        assert_eq!(
            read("198.51.100.10:46532"),
            Some("198.51.100.10".parse().unwrap())
        );
        assert_eq!(
            read("2001:db8:85a3::8a2e:370:7334:46532"),
            Some("2001:db8:85a3::8a2e:370:7334".parse().unwrap())
        );
        assert_eq!(
            read("[2001:db8::1]:443"),
            Some("2001:db8::1".parse().unwrap())
        );
        for bad in [
            "198.51.100.10",
            "not-an-address:80",
            "198.51.100.10:99999",
            "",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
