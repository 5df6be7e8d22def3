//! Sealing the refresh token: XChaCha20-Poly1305 (random 192-bit nonces are safe), with key rotation.
//!
//! Sealed blob, base64url without padding:
//! `version (1) | key id (4) | nonce (24) | ciphertext+tag` where the plaintext is
//! `refresh-token expiry | session issued at | session end` (unix seconds, 8 bytes big endian each)
//! `| flags (1) | refresh token (UTF-8)`; flag bit 0 marks a persistent ("keep me signed in") session.
//! The version and key id are authenticated as associated data, so neither can be swapped.
//! Version 1 values (without the session times) are refused as outdated: their end is unknown, so
//! the safe reading is "ended"; their holders sign in once more.
//! Several keys are accepted; the first one seals. The key id (first 4 bytes of SHA-256 over a label and the
//! key) lets the opener pick the key without trying them all, and tells a rotated-out key from tampering.

use crate::lifetime::SessionTimes;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::fmt;
use wxcc_core::secret::Secret;

const VERSION: u8 = 2;
/// Earlier formats: recognised only to say why they are refused.
const OUTDATED_VERSIONS: &[u8] = &[1];
/// The three times and the flags before the token.
const FIXED_LEN: usize = 8 + 8 + 8 + 1;
const PERSISTENT: u8 = 0b1;
const KEY_ID_LEN: usize = 4;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;
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
    /// Authentication failed: modified, or forged with a colliding key id.
    Tampered,
    /// Authentic but its refresh token has expired.
    Expired,
    /// Authentic but the session is past its absolute end.
    SessionEnded,
}

/// What a sealed value holds: the refresh token, when it expires, and the session's times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSession {
    pub refresh_token: Secret,
    /// Unix seconds.
    pub refresh_expires_at: u64,
    pub times: SessionTimes,
}

/// The set of accepted keys; the first seals.
#[derive(Clone, Debug)]
pub struct Sealer {
    keys: Vec<SealingKey>,
}

impl Sealer {
    /// `keys` must not be empty (config validation guarantees it).
    pub fn new(keys: Vec<SealingKey>) -> Self {
        assert!(!keys.is_empty(), "Sealer needs at least one key");
        Self { keys }
    }

    pub fn sealing_key_id(&self) -> String {
        self.keys[0].id_hex()
    }

    /// Seals a session; it opens until its refresh token expires or the session ends, whichever is first.
    pub fn seal(&self, session: &SealedSession) -> Secret {
        let token = session.refresh_token.secret().as_bytes();
        let mut plaintext = Vec::with_capacity(FIXED_LEN + token.len());
        plaintext.extend_from_slice(&session.refresh_expires_at.to_be_bytes());
        plaintext.extend_from_slice(&session.times.issued_at.to_be_bytes());
        plaintext.extend_from_slice(&session.times.ends_at.to_be_bytes());
        plaintext.push(if session.times.persistent {
            PERSISTENT
        } else {
            0
        });
        plaintext.extend_from_slice(token);
        Secret::new(envelope(&self.keys[0], VERSION, &plaintext))
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
        let aad = associated_data(&bytes[..1 + KEY_ID_LEN]);
        let nonce = XNonce::from_slice(&bytes[1 + KEY_ID_LEN..HEADER_LEN]);
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
        let (fixed, token) = plaintext.split_at(FIXED_LEN);
        let time = |at: usize| {
            u64::from_be_bytes(
                fixed[at..at + 8]
                    .try_into()
                    .expect("8 bytes within FIXED_LEN"),
            )
        };
        let flags = fixed[24];
        if flags & !PERSISTENT != 0 {
            return Err(OpenError::Malformed);
        }
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

/// The sealed form, base64url: `version`, `key`'s id, a fresh nonce, then `plaintext` encrypted under
/// `key` with the version and key id authenticated.
fn envelope(key: &SealingKey, version: u8, plaintext: &[u8]) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut sealed = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    sealed.push(version);
    sealed.extend_from_slice(&key.id);
    let aad = associated_data(&sealed);
    sealed.extend_from_slice(&nonce);
    let ciphertext = key
        .cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    sealed.extend_from_slice(&ciphertext);
    URL_SAFE_NO_PAD.encode(sealed)
}

fn associated_data(version_and_key_id: &[u8]) -> Vec<u8> {
    let mut aad = AAD_LABEL.to_vec();
    aad.extend_from_slice(version_and_key_id);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SealingKey {
        SealingKey::from_bytes(&[byte; 32])
    }

    fn token() -> Secret {
        Secret::new("refresh-token-value-123")
    }

    /// A session whose refresh token expires at `refresh_expires_at` and which ends at `ends_at`.
    fn session(refresh_expires_at: u64, ends_at: u64) -> SealedSession {
        SealedSession {
            refresh_token: token(),
            refresh_expires_at,
            times: SessionTimes {
                issued_at: 100,
                ends_at,
                persistent: false,
            },
        }
    }

    #[test]
    fn round_trip() {
        let sealer = Sealer::new(vec![key(1)]);
        let original = session(1_000, 900);
        let sealed = sealer.seal(&original);
        assert!(!sealed.secret().contains("refresh-token-value-123"));
        assert_eq!(sealer.open(sealed.secret(), 899).unwrap(), original);
        let persistent = SealedSession {
            times: SessionTimes {
                persistent: true,
                ..original.times
            },
            ..original
        };
        let sealed = sealer.seal(&persistent);
        assert_eq!(sealer.open(sealed.secret(), 899).unwrap(), persistent);
    }

    #[test]
    fn two_seals_of_the_same_token_differ() {
        let sealer = Sealer::new(vec![key(1)]);
        assert_ne!(sealer.seal(&session(10, 10)), sealer.seal(&session(10, 10)));
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        let sealer = Sealer::new(vec![key(1)]);
        let sealed = sealer.seal(&session(1_000, 1_000));
        let bytes = URL_SAFE_NO_PAD.decode(sealed.secret()).unwrap();
        for i in 0..bytes.len() {
            let mut tampered = bytes.clone();
            tampered[i] ^= 0x01;
            let result = sealer.open(&URL_SAFE_NO_PAD.encode(&tampered), 0);
            assert!(result.is_err(), "flip at byte {i} was not detected");
        }
    }

    #[test]
    fn tampered_ciphertext_is_reported_as_tampered() {
        let sealer = Sealer::new(vec![key(1)]);
        let sealed = sealer.seal(&session(1_000, 1_000));
        let mut bytes = URL_SAFE_NO_PAD.decode(sealed.secret()).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x80;
        assert_eq!(
            sealer.open(&URL_SAFE_NO_PAD.encode(&bytes), 0),
            Err(OpenError::Tampered)
        );
    }

    #[test]
    fn foreign_key_is_rejected() {
        let ours = Sealer::new(vec![key(1)]);
        let theirs = Sealer::new(vec![key(2)]);
        let sealed = theirs.seal(&session(1_000, 1_000));
        assert_eq!(ours.open(sealed.secret(), 0), Err(OpenError::UnknownKey));
    }

    #[test]
    fn rotation_old_key_still_opens_new_key_seals() {
        let old = Sealer::new(vec![key(1)]);
        let sealed_with_old = old.seal(&session(1_000, 1_000));
        let rotated = Sealer::new(vec![key(2), key(1)]);
        assert_eq!(
            rotated
                .open(sealed_with_old.secret(), 0)
                .unwrap()
                .refresh_token,
            token()
        );
        let sealed_with_new = rotated.seal(&session(1_000, 1_000));
        assert_eq!(
            old.open(sealed_with_new.secret(), 0),
            Err(OpenError::UnknownKey)
        );
        let retired = Sealer::new(vec![key(2)]);
        assert_eq!(
            retired.open(sealed_with_old.secret(), 0),
            Err(OpenError::UnknownKey)
        );
        assert!(retired.open(sealed_with_new.secret(), 0).is_ok());
    }

    #[test]
    fn refresh_expiry_is_enforced() {
        let sealer = Sealer::new(vec![key(1)]);
        let sealed = sealer.seal(&session(1_000, 5_000));
        assert!(sealer.open(sealed.secret(), 999).is_ok());
        assert_eq!(sealer.open(sealed.secret(), 1_000), Err(OpenError::Expired));
        assert_eq!(sealer.open(sealed.secret(), 5_000), Err(OpenError::Expired));
    }

    #[test]
    fn the_session_end_is_enforced() {
        let sealer = Sealer::new(vec![key(1)]);
        let sealed = sealer.seal(&session(5_000, 1_000));
        assert!(sealer.open(sealed.secret(), 999).is_ok());
        assert_eq!(
            sealer.open(sealed.secret(), 1_000),
            Err(OpenError::SessionEnded)
        );
    }

    /// A value in the first format (no session times), sealed the way the proxy used to.
    fn version_1(key: &SealingKey, expires_at: u64) -> String {
        let plaintext = [&expires_at.to_be_bytes()[..], token().secret().as_bytes()].concat();
        envelope(key, 1, &plaintext)
    }

    #[test]
    fn a_value_from_before_session_ends_is_refused_as_outdated() {
        let sealer = Sealer::new(vec![key(1)]);
        let old = version_1(&key(1), 4_000_000_000);
        assert_eq!(sealer.open(&old, 0), Err(OpenError::Outdated));
    }

    #[test]
    fn garbage_is_malformed() {
        let sealer = Sealer::new(vec![key(1)]);
        for garbage in ["", "!!!", "AAAA", "AgAAAA", &"A".repeat(MAX_SEALED_LEN + 1)] {
            assert_eq!(
                sealer.open(garbage, 0),
                Err(OpenError::Malformed),
                "{garbage:.10}"
            );
        }
    }

    #[test]
    fn key_parsing() {
        let generated = generate_key();
        assert!(SealingKey::from_base64url(&generated).is_ok());
        assert!(SealingKey::from_base64url(&format!("{generated}=")).is_ok());
        assert_eq!(
            SealingKey::from_base64url("not base64!").unwrap_err(),
            KeyParseError::NotBase64Url
        );
        assert_eq!(
            SealingKey::from_base64url("AAAA").unwrap_err(),
            KeyParseError::WrongLength(3)
        );
    }

    #[test]
    fn debug_redacts_key_material() {
        let sealer = Sealer::new(vec![key(7)]);
        let debug = format!("{sealer:?}");
        assert!(debug.contains("[redacted]"));
        assert!(!debug.contains("7, 7"));
    }
}
