//! The sealed format: round trips, tampering, keys, lifetimes, the deployment binding and the
//! outdated formats.

use super::*;
use crate::mode::SessionMode;

fn binding(mode: SessionMode, client_id: &str) -> DeploymentBinding {
    DeploymentBinding::new(
        mode,
        client_id,
        DeploymentScope::Origins(&["https://app.example".to_owned()]),
    )
}

/// A cookie-mode sealer of the test deployment with `keys`.
fn sealer_with(keys: Vec<SealingKey>) -> Sealer {
    Sealer::new(keys, binding(SessionMode::Cookie, "client"))
}

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
        session_id: SessionId::from_bytes([9; 16]),
        key_thumbprint: None,
    }
}

#[test]
fn round_trip() {
    let sealer = sealer_with(vec![key(1)]);
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
    let sealer = sealer_with(vec![key(1)]);
    assert_ne!(sealer.seal(&session(10, 10)), sealer.seal(&session(10, 10)));
}

#[test]
fn every_flipped_byte_is_detected() {
    let sealer = sealer_with(vec![key(1)]);
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
    let sealer = sealer_with(vec![key(1)]);
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
    let ours = sealer_with(vec![key(1)]);
    let theirs = sealer_with(vec![key(2)]);
    let sealed = theirs.seal(&session(1_000, 1_000));
    assert_eq!(ours.open(sealed.secret(), 0), Err(OpenError::UnknownKey));
}

#[test]
fn rotation_old_key_still_opens_new_key_seals() {
    let old = sealer_with(vec![key(1)]);
    let sealed_with_old = old.seal(&session(1_000, 1_000));
    let rotated = sealer_with(vec![key(2), key(1)]);
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
    let retired = sealer_with(vec![key(2)]);
    assert_eq!(
        retired.open(sealed_with_old.secret(), 0),
        Err(OpenError::UnknownKey)
    );
    assert!(retired.open(sealed_with_new.secret(), 0).is_ok());
}

#[test]
fn refresh_expiry_is_enforced() {
    let sealer = sealer_with(vec![key(1)]);
    let sealed = sealer.seal(&session(1_000, 5_000));
    assert!(sealer.open(sealed.secret(), 999).is_ok());
    assert_eq!(sealer.open(sealed.secret(), 1_000), Err(OpenError::Expired));
    assert_eq!(sealer.open(sealed.secret(), 5_000), Err(OpenError::Expired));
}

#[test]
fn the_session_end_is_enforced() {
    let sealer = sealer_with(vec![key(1)]);
    let sealed = sealer.seal(&session(5_000, 1_000));
    assert!(sealer.open(sealed.secret(), 999).is_ok());
    assert_eq!(
        sealer.open(sealed.secret(), 1_000),
        Err(OpenError::SessionEnded)
    );
}

/// A value in an earlier format (`version` and key id as the only associated data), sealed the
/// way the proxy used to.
fn sealed_the_old_way(key: &SealingKey, version: u8, plaintext: &[u8]) -> String {
    let header = [&[version][..], &key.id].concat();
    let aad = [AAD_LABEL, &header].concat();
    envelope_with_header(key, &header, &aad, plaintext)
}

/// A value in the first format (no session times).
fn version_1(key: &SealingKey, expires_at: u64) -> String {
    let plaintext = [&expires_at.to_be_bytes()[..], token().secret().as_bytes()].concat();
    sealed_the_old_way(key, 1, &plaintext)
}

/// A value in the second format (session times, no session id, no deployment binding).
fn version_2(key: &SealingKey, ends_at: u64) -> String {
    let times = [ends_at, 100, ends_at].map(u64::to_be_bytes).concat();
    let plaintext = [&times[..], &[0], token().secret().as_bytes()].concat();
    sealed_the_old_way(key, 2, &plaintext)
}

#[test]
fn a_value_from_before_session_ends_is_refused_as_outdated() {
    let sealer = sealer_with(vec![key(1)]);
    let old = version_1(&key(1), 4_000_000_000);
    assert_eq!(sealer.open(&old, 0), Err(OpenError::Outdated));
}

#[test]
fn a_value_from_before_session_ids_and_bindings_is_refused_as_outdated() {
    let sealer = sealer_with(vec![key(1)]);
    let old = version_2(&key(1), 4_000_000_000);
    assert_eq!(sealer.open(&old, 0), Err(OpenError::Outdated));
}

#[test]
fn the_session_id_and_the_key_thumbprint_survive_the_round_trip() {
    let sealer = sealer_with(vec![key(1)]);
    let bound = SealedSession {
        session_id: SessionId::random(),
        key_thumbprint: KeyThumbprint::from_base64url(
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        ),
        ..session(1_000, 900)
    };
    assert!(bound.key_thumbprint.is_some());
    let opened = sealer.open(sealer.seal(&bound).secret(), 0).unwrap();
    assert_eq!(opened, bound);
    // Re-sealing (what a refresh does) keeps the id: every value of the session shares it.
    let resealed = sealer.open(sealer.seal(&opened).secret(), 0).unwrap();
    assert_eq!(resealed.session_id, bound.session_id);
}

#[test]
fn a_value_sealed_by_another_deployment_with_the_same_keys_is_refused() {
    let ours = Sealer::new(vec![key(1)], binding(SessionMode::Cookie, "production"));
    let staging = Sealer::new(vec![key(1)], binding(SessionMode::Cookie, "staging"));
    let other_origins = Sealer::new(
        vec![key(1)],
        DeploymentBinding::new(
            SessionMode::Cookie,
            "production",
            DeploymentScope::Origins(&["https://staging.example".to_owned()]),
        ),
    );
    let sealed = staging.seal(&session(1_000, 1_000));
    assert_eq!(
        ours.open(sealed.secret(), 0),
        Err(OpenError::OtherDeployment)
    );
    let sealed = other_origins.seal(&session(1_000, 1_000));
    assert_eq!(
        ours.open(sealed.secret(), 0),
        Err(OpenError::OtherDeployment)
    );
    assert!(
        ours.open(ours.seal(&session(1_000, 1_000)).secret(), 0)
            .is_ok()
    );
}

#[test]
fn a_mode_switch_invalidates_the_values_sealed_before_it() {
    let cookie = Sealer::new(vec![key(1)], binding(SessionMode::Cookie, "client"));
    let handle = Sealer::new(vec![key(1)], binding(SessionMode::Handle, "client"));
    let sealed_as_cookie = cookie.seal(&session(1_000, 1_000));
    assert_eq!(
        handle.open(sealed_as_cookie.secret(), 0),
        Err(OpenError::OtherMode)
    );
    let sealed_as_handle = handle.seal(&session(1_000, 1_000));
    assert_eq!(
        cookie.open(sealed_as_handle.secret(), 0),
        Err(OpenError::OtherMode)
    );
}

#[test]
fn a_forged_binding_in_the_clear_header_does_not_open() {
    // Rewriting the mode byte and tag to ours still fails: the full digest is authenticated.
    let ours = Sealer::new(vec![key(1)], binding(SessionMode::Cookie, "production"));
    let theirs = Sealer::new(vec![key(1)], binding(SessionMode::Handle, "staging"));
    let sealed = theirs.seal(&session(1_000, 1_000));
    let mut bytes = URL_SAFE_NO_PAD.decode(sealed.secret()).unwrap();
    bytes[1 + KEY_ID_LEN] = ours.binding.mode_byte();
    bytes[2 + KEY_ID_LEN..BOUND_HEADER_LEN].copy_from_slice(&ours.binding.tag());
    assert_eq!(
        ours.open(&URL_SAFE_NO_PAD.encode(&bytes), 0),
        Err(OpenError::Tampered)
    );
}

#[test]
fn garbage_is_malformed() {
    let sealer = sealer_with(vec![key(1)]);
    for garbage in ["", "!!!", "AAAA", "AwAAAA", &"A".repeat(MAX_SEALED_LEN + 1)] {
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
    let sealer = sealer_with(vec![key(7)]);
    let debug = format!("{sealer:?}");
    assert!(debug.contains("[redacted]"));
    assert!(!debug.contains("7, 7"));
}
