//! Every answer the proxy writes reads back to the same value, and every code's name round-trips.
//! (That the proxy's own parsers accept the SPA's request bodies, and that the SPA's `ApiError`
//! shows its error answers, is checked in the proxy's tests/protocol.rs.)

use super::*;
use crate::secret::{AccessToken, AuthCode, PkceVerifier, RefreshHandle};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// What the proxy sends for `answer`: serde_json over its `Serialize`.
fn wire(answer: &impl serde::Serialize) -> String {
    serde_json::to_string(answer).unwrap()
}

fn parsed(text: &str) -> Value {
    crate::json::parse(text).unwrap()
}

#[test]
fn every_code_name_round_trips() {
    for &code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code), "{code}");
        assert_eq!(code.to_string(), code.as_str());
        assert_eq!(wire(&code), format!("\"{}\"", code.as_str()));
    }
    assert_eq!(ErrorCode::parse("no_such_code"), None);
    assert_eq!(ErrorCode::parse("Invalid_Grant"), None);
}

#[test]
fn the_code_list_is_exhaustive_and_names_are_distinct() {
    // No wildcard: a new variant does not compile until it is given a place here, and then the
    // assertion below demands it be in `ALL` (which the table builds, so this guards the macro).
    let known = |code: ErrorCode| match code {
        ErrorCode::InvalidRequest
        | ErrorCode::MissingRequestHeader
        | ErrorCode::OriginNotAllowed
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::PayloadTooLarge
        | ErrorCode::RateLimited
        | ErrorCode::NotFound
        | ErrorCode::MethodNotAllowed
        | ErrorCode::InvalidGrant
        | ErrorCode::RefreshExpired
        | ErrorCode::SessionExpired
        | ErrorCode::ProxyMisconfigured
        | ErrorCode::UpstreamRateLimited
        | ErrorCode::UpstreamUnavailable
        | ErrorCode::InternalError
        | ErrorCode::Overloaded
        | ErrorCode::RequestTimeout
        | ErrorCode::DirectAccessRefused
        | ErrorCode::DpopProofMissing
        | ErrorCode::DpopKeyMismatch
        | ErrorCode::DpopProofInvalid => ErrorCode::ALL.contains(&code),
    };
    assert!(ErrorCode::ALL.iter().all(|&code| known(code)));
    assert_eq!(ErrorCode::ALL.len(), 21);
    let names: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), ErrorCode::ALL.len(), "two codes share a name");
}

#[test]
fn the_wire_names_and_statuses_stay_as_the_spa_and_deployments_know_them() {
    let table: Vec<(&str, u16)> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.status()))
        .collect();
    assert_eq!(
        table,
        [
            ("invalid_request", 400),
            ("missing_request_header", 400),
            ("origin_not_allowed", 403),
            ("unsupported_media_type", 415),
            ("payload_too_large", 413),
            ("rate_limited", 429),
            ("not_found", 404),
            ("method_not_allowed", 405),
            ("invalid_grant", 400),
            ("refresh_expired", 401),
            ("session_expired", 401),
            ("proxy_misconfigured", 502),
            ("upstream_rate_limited", 503),
            ("upstream_unavailable", 502),
            ("internal_error", 500),
            ("overloaded", 503),
            ("request_timeout", 408),
            ("direct_access_refused", 403),
            ("dpop_proof_missing", 401),
            ("dpop_key_mismatch", 401),
            ("dpop_proof_invalid", 400),
        ]
    );
    assert!(ErrorCode::SessionExpired.ends_the_session());
    assert!(ErrorCode::RefreshExpired.ends_the_session());
    assert!(!ErrorCode::InvalidGrant.ends_the_session());
    // A handle bound to another browser's key: that browser's sign-in, not this one's.
    assert!(ErrorCode::DpopKeyMismatch.bound_elsewhere());
    assert!(ErrorCode::DpopProofMissing.bound_elsewhere());
    assert!(!ErrorCode::DpopProofInvalid.bound_elsewhere());
    assert!(!ErrorCode::SessionExpired.bound_elsewhere());
}

#[test]
fn every_error_answer_reads_back() {
    for &code in ErrorCode::ALL {
        for tracking_id in [None, Some("ROUTER_1".to_string())] {
            let answer = ErrorAnswer {
                error: code,
                error_description: format!("What {code} means; what to do."),
                tracking_id,
            };
            let text = wire(&answer);
            assert_eq!(ErrorAnswer::from_value(&parsed(&text)), Ok(answer));
        }
    }
}

#[test]
fn an_error_answer_is_written_as_before() {
    let answer = ErrorAnswer {
        error: ErrorCode::InvalidGrant,
        error_description: "The code has expired.".into(),
        tracking_id: Some("t-1".into()),
    };
    assert_eq!(
        wire(&answer),
        r#"{"error":"invalid_grant","error_description":"The code has expired.","tracking_id":"t-1"}"#
    );
    let unknown = json!({"error": "new_code", "error_description": "x"});
    assert!(ErrorAnswer::from_value(&unknown).is_err());
}

fn cookie_mode_answer() -> TokenResponse {
    TokenResponse {
        access_token: AccessToken::new("tok_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f"),
        expires_in: 43_199,
        scope: Some("spark:people_read cjp:config_read".into()),
        token_type: Some("Bearer".into()),
        refresh_token_expires_in: Some(7_775_999),
        refresh_handle: None,
        session_expires_in: Some(28_800),
        session_persistent: Some(false),
    }
}

#[test]
fn token_answers_read_back_in_both_modes_with_and_without_optional_fields() {
    let cookie = cookie_mode_answer();
    let handle = TokenResponse {
        refresh_handle: Some(RefreshHandle::new("v1.sealed-handle")),
        session_persistent: Some(true),
        ..cookie.clone()
    };
    let bare = TokenResponse {
        scope: None,
        token_type: None,
        refresh_token_expires_in: None,
        session_expires_in: None,
        session_persistent: None,
        ..cookie.clone()
    };
    for answer in [cookie, handle, bare] {
        let text = wire(&answer);
        assert_eq!(TokenResponse::from_json(&text), Ok(answer.clone()));
        assert_eq!(
            ProbeAnswer::from_value(&parsed(&text)),
            Ok(ProbeAnswer::SignedIn(answer))
        );
    }
}

#[test]
fn a_token_answer_is_written_as_before() {
    let answer = TokenResponse {
        refresh_handle: Some(RefreshHandle::new("h")),
        ..cookie_mode_answer()
    };
    assert_eq!(
        wire(&answer),
        r#"{"access_token":"tok_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f","expires_in":43199,"scope":"spark:people_read cjp:config_read","token_type":"Bearer","refresh_token_expires_in":7775999,"session_expires_in":28800,"session_persistent":false,"refresh_handle":"h"}"#
    );
}

#[test]
fn signed_out_answers_read_back() {
    let answers = [
        SignedOut {
            reason: None,
            remember_days: 30,
        },
        SignedOut {
            reason: Some(ErrorCode::SessionExpired),
            remember_days: 0,
        },
        SignedOut {
            reason: Some(ErrorCode::RefreshExpired),
            remember_days: 7,
        },
    ];
    for answer in answers {
        let read = ProbeAnswer::from_value(&parsed(&wire(&answer)));
        assert_eq!(read, Ok(ProbeAnswer::SignedOut(answer)));
    }
    assert_eq!(
        wire(&answers[1]),
        r#"{"signed_in":false,"reason":"session_expired","remember_days":0}"#
    );
    assert_eq!(
        wire(&answers[0]),
        r#"{"signed_in":false,"remember_days":30}"#
    );
    assert!(!answers[0].ended());
    assert!(answers[2].ended());
}

#[test]
fn a_signed_out_answer_from_a_newer_proxy_still_reads() {
    let newer = json!({"signed_in": false, "reason": "device_forgotten"});
    assert_eq!(
        ProbeAnswer::from_value(&newer),
        Ok(ProbeAnswer::SignedOut(SignedOut {
            reason: Some(ErrorCode::SessionExpired),
            remember_days: 0,
        }))
    );
    let broken = json!({"signed_in": false, "remember_days": "30"});
    assert!(ProbeAnswer::from_value(&broken).is_err());
    assert!(ProbeAnswer::from_value(&json!({"signed_in": true})).is_err());
}

#[test]
fn request_bodies_use_the_contract_names() {
    let code = AuthCode::new("abc");
    let verifier = PkceVerifier::new("v".repeat(43));
    let body = |remember| {
        parsed(
            &TokenRequestBody {
                code: &code,
                code_verifier: &verifier,
                remember,
                key_thumbprint: None,
            }
            .to_json(),
        )
    };
    assert_eq!(
        body(false),
        json!({"code": "abc", "code_verifier": "v".repeat(43)})
    );
    assert_eq!(
        body(true),
        json!({"code": "abc", "code_verifier": "v".repeat(43), "remember": true})
    );
    let handle = RefreshHandle::new("h");
    let refresh = |refresh_handle, probe| {
        RefreshBody {
            refresh_handle,
            probe,
        }
        .to_json()
    };
    assert_eq!(refresh(None, false), "{}");
    assert_eq!(refresh(None, true), r#"{"probe":true}"#);
    assert_eq!(refresh(Some(&handle), false), r#"{"refresh_handle":"h"}"#);
    assert_eq!(
        refresh(Some(&handle), true),
        r#"{"refresh_handle":"h","probe":true}"#
    );
    assert_eq!(LogoutBody::default().to_json(), "{}");
    let logout = LogoutBody {
        refresh_handle: Some(&handle),
    };
    assert_eq!(logout.to_json(), r#"{"refresh_handle":"h"}"#);
}
