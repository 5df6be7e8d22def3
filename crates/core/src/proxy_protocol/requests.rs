//! The request bodies the SPA sends, written field by field (no derived serde code in the wasm).
//! The proxy parses them by the same [`field`] names.

use super::field;
use crate::json::ObjectWriter;
use crate::secret::{AuthCode, PkceVerifier, RefreshHandle};

/// `POST /token`: the authorization code and its PKCE verifier; the proxy adds the client secret
/// and the fixed redirect_uri.
pub struct TokenRequestBody<'a> {
    pub code: &'a AuthCode,
    pub code_verifier: &'a PkceVerifier,
    /// "Keep me signed in on this device" (honoured only when the proxy offers it).
    pub remember: bool,
    /// The RFC 7638 JWK thumbprint (base64url SHA-256) of the key the session is bound to (handle
    /// mode's proofs of possession); the proxy seals it into the session.
    pub key_thumbprint: Option<&'a str>,
}

impl TokenRequestBody<'_> {
    pub fn to_json(&self) -> String {
        let mut body = ObjectWriter::default()
            .text(field::CODE, self.code.secret())
            .text(field::CODE_VERIFIER, self.code_verifier.secret());
        // Left out when not ticked, so the body is the one a proxy without that option accepts
        // (the proxy refuses fields it does not know).
        if self.remember {
            body = body.boolean(field::REMEMBER, true);
        }
        if let Some(thumbprint) = self.key_thumbprint {
            body = body.text(field::KEY_THUMBPRINT, thumbprint);
        }
        body.finish()
    }
}

/// `POST /refresh`: `{}` in cookie mode, the sealed handle in handle mode; a quiet probe says so.
#[derive(Default)]
pub struct RefreshBody<'a> {
    pub refresh_handle: Option<&'a RefreshHandle>,
    /// "No session" is then a success answer that says so, not an error.
    pub probe: bool,
}

impl RefreshBody<'_> {
    pub fn to_json(&self) -> String {
        let mut body = ObjectWriter::default();
        if let Some(handle) = self.refresh_handle {
            body = body.text(field::REFRESH_HANDLE, handle.secret());
        }
        if self.probe {
            body = body.boolean(field::PROBE, true);
        }
        body.finish()
    }
}

/// `POST /logout`: `{}` in cookie mode (the cookie names the session), the sealed handle in
/// handle mode, so the proxy can revoke the session it holds.
#[derive(Default)]
pub struct LogoutBody<'a> {
    pub refresh_handle: Option<&'a RefreshHandle>,
}

impl LogoutBody<'_> {
    pub fn to_json(&self) -> String {
        let mut body = ObjectWriter::default();
        if let Some(handle) = self.refresh_handle {
            body = body.text(field::REFRESH_HANDLE, handle.secret());
        }
        body.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_thumbprint_is_sent_only_when_there_is_one() {
        let (code, verifier) = (AuthCode::new("abc"), PkceVerifier::new("v".repeat(43)));
        let body = |key_thumbprint| {
            TokenRequestBody {
                code: &code,
                code_verifier: &verifier,
                remember: false,
                key_thumbprint,
            }
            .to_json()
        };
        let without: serde_json::Value = serde_json::from_str(&body(None)).unwrap();
        assert!(without.get(field::KEY_THUMBPRINT).is_none());
        let thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        let with: serde_json::Value = serde_json::from_str(&body(Some(thumbprint))).unwrap();
        assert_eq!(with[field::KEY_THUMBPRINT], thumbprint);
        assert_eq!(with[field::CODE], "abc");
    }
}
