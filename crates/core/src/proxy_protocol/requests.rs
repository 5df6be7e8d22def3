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
}

impl TokenRequestBody<'_> {
    pub fn to_json(&self) -> String {
        let body = ObjectWriter::default()
            .text(field::CODE, self.code.secret())
            .text(field::CODE_VERIFIER, self.code_verifier.secret());
        // Left out when not ticked, so the body is the one a proxy without that option accepts
        // (the proxy refuses fields it does not know).
        if self.remember {
            body.boolean(field::REMEMBER, true).finish()
        } else {
            body.finish()
        }
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

/// `POST /logout`: an empty object.
pub struct LogoutBody;

impl LogoutBody {
    pub fn to_json(&self) -> String {
        ObjectWriter::default().finish()
    }
}
