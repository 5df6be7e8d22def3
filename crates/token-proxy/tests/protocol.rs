//! The wire contract seen from both ends: every answer the proxy builds, serialised as its
//! handlers send it, is read back by the SPA's reader in core to the same value; every request body
//! the SPA's writers in core produce is accepted by the proxy's parsers.

use wxcc_core::api_error::ApiError;
use wxcc_core::proxy_protocol::{
    ErrorAnswer, ErrorCode, LogoutBody, ProbeAnswer, RefreshBody, SignedOut, TokenRequestBody,
    TokenResponse,
};
use wxcc_core::secret::{AccessToken, AuthCode, PkceVerifier, RefreshHandle};
use wxcc_token_proxy::lifetime::SessionTimes;
use wxcc_token_proxy::request::{self, SessionMode};
use wxcc_token_proxy::sealing::{SealedSession, SessionId};
use wxcc_token_proxy::session::token_answer;
use wxcc_token_proxy::upstream::IssuedTokens;
use wxcc_token_proxy::{ProxyError, Secret};

const NOW: u64 = 1_700_000_000;
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// The text a handler's `Json(answer)` sends.
fn sent(answer: &impl serde::Serialize) -> String {
    serde_json::to_string(answer).unwrap()
}

fn read(text: &str) -> serde_json::Value {
    wxcc_core::json::parse(text).unwrap()
}

#[test]
fn every_error_answer_reads_back_and_shows_its_code_sentence_and_tracking_id() {
    for &code in ErrorCode::ALL {
        for tracking_id in [None, Some("ROUTER_42".to_string())] {
            let error = ProxyError::new(code, "What happened; what to do.")
                .with_tracking_id(tracking_id.clone());
            let text = sent(&error.body());
            let expected = ErrorAnswer {
                error: code,
                error_description: "What happened; what to do.".into(),
                tracking_id: tracking_id.clone(),
            };
            assert_eq!(
                ErrorAnswer::from_value(&read(&text)),
                Ok(expected),
                "{code}"
            );
            let shown = ApiError::from_response(error.status(), &[], &text, 0);
            assert_eq!(
                shown.error_code.as_deref().and_then(ErrorCode::parse),
                Some(code)
            );
            // The SPA shows a proxy error through ApiError: the proxy's sentence and tracking id.
            assert_eq!(shown.message, "What happened; what to do.");
            assert_eq!(shown.tracking_id, tracking_id);
            assert_eq!(error.status(), code.status());
        }
    }
}

fn issued(scope: &str, refresh_token_expires_in: Option<u64>) -> IssuedTokens {
    IssuedTokens {
        access_token: Secret::new("tok_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f"),
        expires_in: 43_199,
        scope: scope.into(),
        token_type: "Bearer".into(),
        refresh_token: Some(Secret::new("refresh")),
        refresh_token_expires_in,
    }
}

fn session(persistent: bool) -> SealedSession {
    SealedSession {
        refresh_token: Secret::new("refresh"),
        refresh_expires_at: NOW + 7_776_000,
        times: SessionTimes {
            issued_at: NOW - 60,
            ends_at: NOW + 28_800,
            persistent,
        },
        session_id: SessionId::random(),
        key_thumbprint: None,
    }
}

#[test]
fn token_answers_read_back_in_cookie_and_handle_mode() {
    let sealed = Secret::new("v1.sealed-handle");
    let cases = [
        (SessionMode::Cookie, "spark:people_read", false),
        (SessionMode::Cookie, "", true),
        (SessionMode::Handle, "spark:people_read cjp:config", false),
        (SessionMode::Handle, "  ", false),
    ];
    for (mode, scope, persistent) in cases {
        let answer = token_answer(
            &issued(scope, Some(7_776_000)),
            &session(persistent),
            NOW,
            mode,
            &sealed,
        );
        let expected = TokenResponse {
            access_token: AccessToken::new("tok_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f"),
            // Webex's 43 199 seconds, capped at the session's end.
            expires_in: 28_800,
            scope: Some(scope.to_string()).filter(|s| !s.trim().is_empty()),
            token_type: Some("Bearer".into()),
            refresh_token_expires_in: Some(7_776_000),
            refresh_handle: (mode == SessionMode::Handle)
                .then(|| RefreshHandle::new("v1.sealed-handle")),
            session_expires_in: Some(28_800),
            session_persistent: Some(persistent),
        };
        let text = sent(&answer);
        assert_eq!(
            TokenResponse::from_json(&text),
            Ok(expected.clone()),
            "{text}"
        );
        assert_eq!(
            ProbeAnswer::from_value(&read(&text)),
            Ok(ProbeAnswer::SignedIn(expected))
        );
    }
}

#[test]
fn signed_out_answers_read_back() {
    for reason in [
        None,
        Some(ErrorCode::SessionExpired),
        Some(ErrorCode::RefreshExpired),
    ] {
        for remember_days in [0, 30] {
            let answer = SignedOut {
                reason,
                remember_days,
            };
            assert_eq!(
                ProbeAnswer::from_value(&read(&sent(&answer))),
                Ok(ProbeAnswer::SignedOut(answer))
            );
        }
    }
}

#[test]
fn the_code_exchange_the_spa_writes_is_accepted() {
    let code = AuthCode::new("abc123");
    let verifier = PkceVerifier::new(VERIFIER);
    for remember in [false, true] {
        let body = TokenRequestBody {
            code: &code,
            code_verifier: &verifier,
            remember,
            key_thumbprint: None,
        }
        .to_json();
        let exchange = request::parse_code_exchange(body.as_bytes()).unwrap();
        assert_eq!(exchange.code.secret(), "abc123");
        assert_eq!(exchange.code_verifier.secret(), VERIFIER);
        assert_eq!(exchange.remember, remember);
        assert_eq!(exchange.key_thumbprint, None);
    }
    let thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    let body = TokenRequestBody {
        code: &code,
        code_verifier: &verifier,
        remember: false,
        key_thumbprint: Some(thumbprint),
    }
    .to_json();
    let exchange = request::parse_code_exchange(body.as_bytes()).unwrap();
    assert_eq!(
        exchange.key_thumbprint.map(|t| t.to_base64url()).as_deref(),
        Some(thumbprint)
    );
}

#[test]
fn the_refresh_probe_and_logout_bodies_the_spa_writes_are_accepted() {
    let handle = RefreshHandle::new("v1.sealed-handle");
    let body = |refresh_handle, probe| {
        RefreshBody {
            refresh_handle,
            probe,
        }
        .to_json()
    };
    let parsed = |text: String, mode| request::parse_refresh(text.as_bytes(), mode).unwrap();

    let cookie = parsed(body(None, false), SessionMode::Cookie);
    assert_eq!((cookie.probe, cookie.handle), (false, None));
    let probe = parsed(body(None, true), SessionMode::Cookie);
    assert_eq!((probe.probe, probe.handle), (true, None));
    let probe = parsed(body(None, true), SessionMode::Handle);
    assert_eq!((probe.probe, probe.handle), (true, None));
    let refresh = parsed(body(Some(&handle), false), SessionMode::Handle);
    assert!(!refresh.probe);
    assert_eq!(refresh.handle.unwrap().secret(), "v1.sealed-handle");

    for mode in [SessionMode::Cookie, SessionMode::Handle] {
        assert_eq!(
            request::parse_logout(LogoutBody::default().to_json().as_bytes(), mode).unwrap(),
            None
        );
    }
    let logout = LogoutBody {
        refresh_handle: Some(&handle),
    };
    let parsed = request::parse_logout(logout.to_json().as_bytes(), SessionMode::Handle).unwrap();
    assert_eq!(parsed.unwrap().secret(), "v1.sealed-handle");
}
