//! The two identifiers a sealed session carries: its random session id (what sign-out revokes) and,
//! optionally, the RFC 7638 thumbprint of the browser key the session is bound to.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore;
use std::fmt;

pub(super) const SESSION_ID_LEN: usize = 16;
pub(super) const THUMBPRINT_LEN: usize = 32;

/// A session's random id: drawn at sign-in, kept by every re-sealing on refresh, so every sealed
/// value of one session (the current one and all earlier ones) shares it. Not a credential (it opens
/// nothing), but it is left out of logs anyway: `Debug` shows only a prefix, for correlation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId([u8; SESSION_ID_LEN]);

impl SessionId {
    /// A fresh id (128 random bits: unique without coordination between instances).
    pub fn random() -> Self {
        let mut bytes = [0u8; SESSION_ID_LEN];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_bytes(bytes: [u8; SESSION_ID_LEN]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; SESSION_ID_LEN] {
        &self.0
    }

    /// Lower-case hex: the revocation store's key.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", &self.to_hex()[..8])
    }
}

/// An RFC 7638 JWK thumbprint (SHA-256, so 32 bytes): the public key a sender-constrained session
/// is bound to. The proxy seals and returns it; checking proofs against it is the caller's business.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyThumbprint([u8; THUMBPRINT_LEN]);

impl KeyThumbprint {
    /// From the SHA-256 digest of the key's canonical JWK (RFC 7638 §3).
    pub fn from_sha256(digest: [u8; THUMBPRINT_LEN]) -> Self {
        Self(digest)
    }

    /// From its wire form: base64url without padding of 32 bytes (43 characters).
    pub fn from_base64url(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// The wire form, base64url without padding.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    pub fn as_bytes(&self) -> &[u8; THUMBPRINT_LEN] {
        &self.0
    }
}

impl fmt::Debug for KeyThumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyThumbprint({})", self.to_base64url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_random_and_debug_shows_only_a_prefix() {
        let (a, b) = (SessionId::random(), SessionId::random());
        assert_ne!(a, b);
        assert_eq!(a.to_hex().len(), 32);
        let debug = format!("{a:?}");
        assert!(debug.contains(&a.to_hex()[..8]));
        assert!(!debug.contains(&a.to_hex()));
    }

    #[test]
    fn thumbprints_read_only_base64url_of_32_bytes() {
        // RFC 7638 §3.1's example thumbprint.
        let rfc = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        let thumbprint = KeyThumbprint::from_base64url(rfc).unwrap();
        assert_eq!(thumbprint.to_base64url(), rfc);
        assert!(KeyThumbprint::from_base64url(&rfc[..42]).is_none());
        assert!(KeyThumbprint::from_base64url("not base64!").is_none());
        assert!(KeyThumbprint::from_base64url(&format!("{rfc}AAAA")).is_none());
    }
}
