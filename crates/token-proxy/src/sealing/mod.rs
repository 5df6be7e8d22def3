//! Sealing the refresh token: XChaCha20-Poly1305 (random 192-bit nonces are safe), with key rotation,
//! bound to its deployment.
//!
//! Sealed blob (version 3), base64url without padding:
//! `version (1) | key id (4) | mode (1) | deployment tag (4) | nonce (24) | ciphertext+tag` where the
//! plaintext is `refresh-token expiry | session issued at | session end` (unix seconds, 8 bytes big
//! endian each) `| flags (1) | session id (16) | [key thumbprint (32)] | refresh token (UTF-8)`.
//! Flag bit 0 marks a persistent ("keep me signed in") session, bit 1 a key thumbprint present.
//!
//! The associated data is a label, the header before the nonce and the full deployment digest (over
//! the client id and the allowed origins or deployment id, see [`binding`]): nothing in the header can
//! be swapped, and a value sealed by another deployment, or by this one in the other mode, does not
//! open. The mode and the short deployment tag travel in the clear only so the refusal can say why
//! (a hint for the log: whoever alters them gets a refusal all the same).
//!
//! Earlier versions are refused as outdated: version 1 carries no session end, version 2 no session
//! id (so sign-out could not revoke it) and no deployment binding; their holders sign in once more.
//! Several keys are accepted; the first one seals. The key id (first 4 bytes of SHA-256 over a label and the
//! key) lets the opener pick the key without trying them all, and tells a rotated-out key from tampering.

mod binding;
mod ids;
#[cfg(test)]
mod tests;

pub use binding::{DeploymentBinding, DeploymentScope};
pub use ids::{KeyThumbprint, SessionId};

use crate::lifetime::SessionTimes;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ids::{SESSION_ID_LEN, THUMBPRINT_LEN};
use sha2::{Digest, Sha256};
use std::fmt;
use wxcc_core::secret::Secret;

const VERSION: u8 = 3;
/// Earlier formats: recognised only to say why they are refused.
const OUTDATED_VERSIONS: &[u8] = &[1, 2];
/// The three times, the flags and the session id before the optional thumbprint and the token.
const FIXED_LEN: usize = 8 + 8 + 8 + 1 + SESSION_ID_LEN;
const PERSISTENT: u8 = 0b01;
const HAS_THUMBPRINT: u8 = 0b10;
const KEY_ID_LEN: usize = 4;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Version, key id, mode and deployment tag: authenticated, before the nonce.
const BOUND_HEADER_LEN: usize = 1 + KEY_ID_LEN + 1 + binding::TAG_LEN;
const HEADER_LEN: usize = BOUND_HEADER_LEN + NONCE_LEN;
const AAD_LABEL: &[u8] = b"wxcc-token-proxy/refresh-token";
/// Longer handles are rejected before any decoding work.
pub const MAX_SEALED_LEN: usize = 4096;

/// One 32-byte sealing key.
#[derive(Clone)]
pub struct SealingKey {
    id: [u8; KEY_ID_LEN],
    cipher: XChaCha20Poly1305,
}

impl SealingKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let digest = Sha256::new()
            .chain_update(b"wxcc-token-proxy key id")
            .chain_update(bytes)
            .finalize();
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&digest[..KEY_ID_LEN]);
        Self {
            id,
            cipher: XChaCha20Poly1305::new(bytes.into()),
        }
    }

    /// Parses a base64url (padding optional) encoding of exactly 32 bytes.
    pub fn from_base64url(text: &str) -> Result<Self, KeyParseError> {
        let trimmed = text.trim().trim_end_matches('=');
        let bytes = URL_SAFE_NO_PAD
            .decode(trimmed)
            .map_err(|_| KeyParseError::NotBase64Url)?;
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyParseError::WrongLength(bytes.len()))?;
        Ok(Self::from_bytes(&array))
    }

    /// A hex key id for logs: safe to print, identifies which key sealed something.
    pub fn id_hex(&self) -> String {
        self.id.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealingKey {{ id: {}, key: [redacted] }}", self.id_hex())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyParseError {
    NotBase64Url,
    WrongLength(usize),
}

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotBase64Url => f.write_str("a key is not valid base64url"),
            Self::WrongLength(n) => write!(f, "a key decodes to {n} bytes, expected 32"),
        }
    }
}

/// A fresh random key, base64url encoded (what `--generate-key` prints).
pub fn generate_key() -> String {
    URL_SAFE_NO_PAD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
}

/// Why a sealed value could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Not something this proxy produced (bad encoding, too short or too long, unknown version).
    Malformed,
    /// Sealed in an earlier format that carries no session end (before absolute lifetimes).
    Outdated,
    /// Sealed with a key this proxy no longer (or never) had.
    UnknownKey,
    /// Sealed by this deployment's keys in the other session mode (the mode was switched since).
    OtherMode,
    /// Sealed by another deployment (another client id, other origins or another deployment id)
    /// that shares the keys.
    OtherDeployment,
    /// Authentication failed: modified, or forged with a colliding key id.
    Tampered,
    /// Authentic but its refresh token has expired.
    Expired,
    /// Authentic but the session is past its absolute end.
    SessionEnded,
}

impl OpenError {
    /// Why, in words for the log (no secret): which of the checks refused the value.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Malformed => "not a sealed value of this proxy (encoding, length or version)",
            Self::Outdated => "sealed in an earlier format",
            Self::UnknownKey => "sealed with a key this proxy does not hold",
            Self::OtherMode => "sealed by this deployment in the other session mode",
            Self::OtherDeployment => {
                "sealed by another deployment (client id, allowed origins or deployment id differ)"
            }
            Self::Tampered => "failed authentication (altered, or sealed for another deployment)",
            Self::Expired => "its refresh token has expired",
            Self::SessionEnded => "the session is past its absolute end",
        }
    }
}

/// What a sealed value holds: the refresh token, when it expires, the session's times and ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSession {
    pub refresh_token: Secret,
    /// Unix seconds.
    pub refresh_expires_at: u64,
    pub times: SessionTimes,
    /// The same for every value of one sign-in: what sign-out revokes.
    pub session_id: SessionId,
    /// The browser key a sender-constrained session is bound to, when the sign-in named one.
    pub key_thumbprint: Option<KeyThumbprint>,
}

/// The set of accepted keys (the first seals) and the deployment every value is bound to.
#[derive(Clone, Debug)]
pub struct Sealer {
    keys: Vec<SealingKey>,
    binding: DeploymentBinding,
}

impl Sealer {
    /// `keys` must not be empty (config validation guarantees it).
    pub fn new(keys: Vec<SealingKey>, binding: DeploymentBinding) -> Self {
        assert!(!keys.is_empty(), "Sealer needs at least one key");
        Self { keys, binding }
    }

    pub fn binding(&self) -> &DeploymentBinding {
        &self.binding
    }

    pub fn sealing_key_id(&self) -> String {
        self.keys[0].id_hex()
    }

    /// Seals a session; it opens until its refresh token expires or the session ends, whichever is first.
    pub fn seal(&self, session: &SealedSession) -> Secret {
        let token = session.refresh_token.secret().as_bytes();
        let mut plaintext = Vec::with_capacity(FIXED_LEN + THUMBPRINT_LEN + token.len());
        plaintext.extend_from_slice(&session.refresh_expires_at.to_be_bytes());
        plaintext.extend_from_slice(&session.times.issued_at.to_be_bytes());
        plaintext.extend_from_slice(&session.times.ends_at.to_be_bytes());
        let mut flags = 0;
        if session.times.persistent {
            flags |= PERSISTENT;
        }
        if session.key_thumbprint.is_some() {
            flags |= HAS_THUMBPRINT;
        }
        plaintext.push(flags);
        plaintext.extend_from_slice(session.session_id.as_bytes());
        if let Some(thumbprint) = &session.key_thumbprint {
            plaintext.extend_from_slice(thumbprint.as_bytes());
        }
        plaintext.extend_from_slice(token);
        Secret::new(envelope(&self.keys[0], &self.binding, &plaintext))
    }

    /// Opens a sealed value, checking authenticity, the refresh token's expiry and the session's end
    /// against `now` (unix seconds).
    pub fn open(&self, sealed: &str, now: u64) -> Result<SealedSession, OpenError> {
        if sealed.is_empty() || sealed.len() > MAX_SEALED_LEN {
            return Err(OpenError::Malformed);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| OpenError::Malformed)?;
        match bytes.first() {
            Some(&VERSION) => {}
            Some(version) if OUTDATED_VERSIONS.contains(version) => {
                return Err(OpenError::Outdated);
            }
            _ => return Err(OpenError::Malformed),
        }
        if bytes.len() < HEADER_LEN + FIXED_LEN + TAG_LEN {
            return Err(OpenError::Malformed);
        }
        let key_id = &bytes[1..1 + KEY_ID_LEN];
        let key = self
            .keys
            .iter()
            .find(|k| k.id == key_id)
            .ok_or(OpenError::UnknownKey)?;
        let bound_header = &bytes[..BOUND_HEADER_LEN];
        if bound_header[1 + KEY_ID_LEN] != self.binding.mode_byte() {
            return Err(OpenError::OtherMode);
        }
        if bound_header[2 + KEY_ID_LEN..] != self.binding.tag() {
            return Err(OpenError::OtherDeployment);
        }
        let aad = associated_data(bound_header, &self.binding);
        let nonce = XNonce::from_slice(&bytes[BOUND_HEADER_LEN..HEADER_LEN]);
        let plaintext = key
            .cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &bytes[HEADER_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError::Tampered)?;
        let (fixed, rest) = plaintext.split_at(FIXED_LEN);
        let time = |at: usize| {
            u64::from_be_bytes(
                fixed[at..at + 8]
                    .try_into()
                    .expect("8 bytes within FIXED_LEN"),
            )
        };
        let flags = fixed[24];
        if flags & !(PERSISTENT | HAS_THUMBPRINT) != 0 {
            return Err(OpenError::Malformed);
        }
        let session_id = SessionId::from_bytes(
            fixed[25..]
                .try_into()
                .expect("the session id ends FIXED_LEN"),
        );
        let (key_thumbprint, token) = if flags & HAS_THUMBPRINT != 0 {
            if rest.len() < THUMBPRINT_LEN {
                return Err(OpenError::Malformed);
            }
            let (thumbprint, token) = rest.split_at(THUMBPRINT_LEN);
            let digest = thumbprint.try_into().expect("split at THUMBPRINT_LEN");
            (Some(KeyThumbprint::from_sha256(digest)), token)
        } else {
            (None, rest)
        };
        let session = SealedSession {
            refresh_token: Secret::new(
                String::from_utf8(token.to_vec()).map_err(|_| OpenError::Malformed)?,
            ),
            refresh_expires_at: time(0),
            times: SessionTimes {
                issued_at: time(8),
                ends_at: time(16),
                persistent: flags & PERSISTENT != 0,
            },
            session_id,
            key_thumbprint,
        };
        if now >= session.refresh_expires_at {
            return Err(OpenError::Expired);
        }
        if now >= session.times.ends_at {
            return Err(OpenError::SessionEnded);
        }
        Ok(session)
    }
}

/// The sealed form, base64url: the version, `key`'s id, `binding`'s mode and tag, a fresh nonce, then
/// `plaintext` encrypted under `key` with the header and `binding`'s digest authenticated.
fn envelope(key: &SealingKey, binding: &DeploymentBinding, plaintext: &[u8]) -> String {
    let mut header = Vec::with_capacity(BOUND_HEADER_LEN);
    header.push(VERSION);
    header.extend_from_slice(&key.id);
    header.push(binding.mode_byte());
    header.extend_from_slice(&binding.tag());
    envelope_with_header(key, &header, &associated_data(&header, binding), plaintext)
}

/// `header`, a fresh nonce and `plaintext` encrypted under `key` with `aad`.
fn envelope_with_header(key: &SealingKey, header: &[u8], aad: &[u8], plaintext: &[u8]) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut sealed = Vec::with_capacity(header.len() + NONCE_LEN + plaintext.len() + TAG_LEN);
    sealed.extend_from_slice(header);
    sealed.extend_from_slice(&nonce);
    let ciphertext = key
        .cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    sealed.extend_from_slice(&ciphertext);
    URL_SAFE_NO_PAD.encode(sealed)
}

fn associated_data(bound_header: &[u8], binding: &DeploymentBinding) -> Vec<u8> {
    let mut aad = AAD_LABEL.to_vec();
    aad.extend_from_slice(bound_header);
    aad.extend_from_slice(&binding.digest);
    aad
}
