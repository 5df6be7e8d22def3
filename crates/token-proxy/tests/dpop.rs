//! Handle mode's sender constraint through the whole proxy: a handle sealed with a key thumbprint
//! refreshes only with a fresh proof signed by that key (built the SPA's way: core's signing
//! input, signed here with p256 as WebCrypto signs in the browser).

mod support;

use axum::body::Body;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sha2::{Digest, Sha256};
use support::*;
use tower::ServiceExt;
use wxcc_core::dpop::{self, ProofClaims, PublicJwk};

const HTU: &str = "https://proxy.example/refresh";

struct Browser(SigningKey);

impl Browser {
    fn new(seed: u8) -> Self {
        Self(SigningKey::from_bytes(&[seed; 32].into()).unwrap())
    }

    fn jwk(&self) -> PublicJwk {
        let point = self.0.verifying_key().to_encoded_point(false);
        PublicJwk {
            x: URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            y: URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        }
    }

    fn thumbprint(&self) -> String {
        dpop::thumbprint_from_digest(&Sha256::digest(self.jwk().thumbprint_input().as_bytes()))
    }

    fn proof(&self, htu: &str, iat: u64, jti: &str) -> String {
        let claims = ProofClaims {
            htm: "POST".into(),
            htu: htu.into(),
            iat,
            jti: jti.into(),
        };
        let input = dpop::signing_input(&self.jwk(), &claims);
        let signature: Signature = self.0.sign(input.as_bytes());
        dpop::assemble(&input, &signature.to_bytes()).into_secret()
    }
}

/// Signs in handle mode bound to `browser`'s key; returns the proxy and the handle.
async fn signed_in(browser: &Browser) -> (Stub, axum::Router, String) {
    let (upstream, _clock, router) = proxy_with_clock("handle", &[]).await;
    let body = serde_json::json!({
        "code": "good-1",
        "code_verifier": VERIFIER,
        "key_thumbprint": browser.thumbprint(),
    })
    .to_string();
    let answer = call(&router, "/token", &body, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let handle = answer.body["refresh_handle"].as_str().unwrap().to_owned();
    (upstream, router, handle)
}

/// `path` with the handle and, when given, a `DPoP` header.
async fn with_handle(
    router: &axum::Router,
    path: &str,
    handle: &str,
    proof: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut request = post(path);
    if let Some(proof) = proof {
        request = request.header("dpop", proof);
    }
    let request = request.body(Body::from(handle_body(handle))).unwrap();
    let (status, _, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    (status.as_u16(), body)
}

/// `/refresh` with the handle and, when given, a `DPoP` header.
async fn refresh(
    router: &axum::Router,
    handle: &str,
    proof: Option<&str>,
) -> (u16, serde_json::Value) {
    with_handle(router, "/refresh", handle, proof).await
}

#[tokio::test]
async fn a_bound_handle_refreshes_with_its_keys_proof() {
    let browser = Browser::new(1);
    let (upstream, router, handle) = signed_in(&browser).await;
    let (status, body) = refresh(
        &router,
        &handle,
        Some(&browser.proof(HTU, CLOCK_START, "jti-1")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
    // The refreshed handle stays bound to the same key.
    let next = body["refresh_handle"].as_str().unwrap();
    let (status, _) = refresh(
        &router,
        next,
        Some(&browser.proof(HTU, CLOCK_START, "jti-2")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        upstream.forms().len(),
        3,
        "the sign-in and two refreshes went upstream"
    );
}

#[tokio::test]
async fn a_copied_handle_is_refused_without_its_key() {
    let (owner, thief) = (Browser::new(1), Browser::new(2));
    let (upstream, router, handle) = signed_in(&owner).await;
    // curl with the handle alone.
    let (status, body) = refresh(&router, &handle, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("dpop_proof_missing"))
    );
    // The thief's own key.
    let proof = thief.proof(HTU, CLOCK_START, "jti-1");
    let (status, body) = refresh(&router, &handle, Some(&proof)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("dpop_key_mismatch"))
    );
    assert!(
        !body.to_string().contains(&proof),
        "the answer never quotes the proof"
    );
    assert_eq!(
        upstream.forms().len(),
        1,
        "nothing but the sign-in went upstream"
    );
}

#[tokio::test]
async fn a_replayed_proof_or_one_for_another_request_or_time_is_refused() {
    let browser = Browser::new(1);
    let (upstream, router, handle) = signed_in(&browser).await;
    let proof = browser.proof(HTU, CLOCK_START, "jti-1");
    assert_eq!(refresh(&router, &handle, Some(&proof)).await.0, 200);
    let refused = [
        proof,
        browser.proof("https://proxy.example/logout", CLOCK_START, "jti-2"),
        browser.proof(HTU, CLOCK_START - 3_600, "jti-3"),
    ];
    for proof in refused {
        let (status, body) = refresh(&router, &handle, Some(&proof)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("dpop_proof_invalid")),
            "{body}"
        );
    }
    assert_eq!(
        upstream.forms().len(),
        2,
        "only the one good refresh went upstream"
    );
}

#[tokio::test]
async fn a_handle_without_a_thumbprint_refreshes_as_before() {
    let (_upstream, _clock, router) = proxy_with_clock("handle", &[]).await;
    let answer = call(&router, "/token", &token_body("good-1"), None).await;
    let handle = answer.body["refresh_handle"].as_str().unwrap();
    assert_eq!(refresh(&router, handle, None).await.0, 200);
}

#[tokio::test]
async fn the_preflight_lets_the_browser_send_the_proof() {
    let (_upstream, _clock, router) = proxy_with_clock("handle", &[]).await;
    let preflight = axum::http::Request::builder()
        .method("OPTIONS")
        .uri("/refresh")
        .header("origin", ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-wxcc-request,dpop",
        )
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = read(router.oneshot(preflight).await.unwrap()).await;
    let allowed = headers
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(allowed.split(',').any(|h| h.trim() == "dpop"), "{allowed}");
}

/// `/logout` with the handle and, when given, a `DPoP` header; its status.
async fn logout(router: &axum::Router, handle: &str, proof: Option<&str>) -> u16 {
    with_handle(router, "/logout", handle, proof).await.0
}

#[tokio::test]
async fn a_bound_handle_is_signed_out_only_with_its_keys_proof() {
    const LOGOUT_HTU: &str = "https://proxy.example/logout";
    let browser = Browser::new(5);
    let (_upstream, router, handle) = signed_in(&browser).await;
    // A copy of the handle without the key cannot end its owner's session.
    assert_eq!(logout(&router, &handle, None).await, 401);
    let other = Browser::new(6).proof(LOGOUT_HTU, CLOCK_START, "jti-other");
    assert_eq!(logout(&router, &handle, Some(&other)).await, 401);
    let (status, body) = refresh(
        &router,
        &handle,
        Some(&browser.proof(HTU, CLOCK_START, "jti-still")),
    )
    .await;
    assert_eq!(status, 200, "still signed in: {body}");
    // The owner signs out with a proof for /logout, and the session is revoked.
    let proof = browser.proof(LOGOUT_HTU, CLOCK_START, "jti-out");
    assert_eq!(logout(&router, &handle, Some(&proof)).await, 204);
    let (status, body) = refresh(
        &router,
        &handle,
        Some(&browser.proof(HTU, CLOCK_START, "jti-after")),
    )
    .await;
    assert_eq!(status, 401, "signed out: {body}");
    assert_eq!(body["error"], "session_expired");
}
