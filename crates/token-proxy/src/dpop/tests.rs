//! The verifier against proofs built the SPA's way: core writes the signing input, p256 signs it
//! here as WebCrypto does in the browser (ES256, `r || s`).

use super::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;
use wxcc_core::dpop::{ProofClaims, PublicJwk};

const NOW: u64 = 1_700_000_000;
const REFRESH: ProvenRequest<'static> = ProvenRequest {
    method: "POST",
    path: "/refresh",
};

/// A browser's key pair: a fixed scalar per browser, so the tests are repeatable.
struct Browser {
    key: SigningKey,
}

impl Browser {
    fn new(seed: u8) -> Self {
        Self {
            key: SigningKey::from_bytes(&[seed; 32].into()).unwrap(),
        }
    }

    fn jwk(&self) -> PublicJwk {
        let point = self.key.verifying_key().to_encoded_point(false);
        PublicJwk {
            x: URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            y: URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        }
    }

    /// What the proxy sealed at sign-in: the thumbprint the SPA sent with `/token`.
    fn thumbprint(&self) -> [u8; 32] {
        Sha256::digest(self.jwk().thumbprint_input().as_bytes()).into()
    }

    fn proof(&self, htm: &str, htu: &str, iat: u64, jti: &str) -> String {
        self.proof_with_jwk(&self.jwk(), htm, htu, iat, jti)
    }

    /// Signed by this browser's key, whatever `jwk` says.
    fn proof_with_jwk(&self, jwk: &PublicJwk, htm: &str, htu: &str, iat: u64, jti: &str) -> String {
        let claims = ProofClaims {
            htm: htm.into(),
            htu: htu.into(),
            iat,
            jti: jti.into(),
        };
        let input = dpop::signing_input(jwk, &claims);
        let signature: Signature = self.key.sign(input.as_bytes());
        dpop::assemble(&input, &signature.to_bytes()).into_secret()
    }

    fn refresh_proof(&self, jti: &str) -> String {
        self.proof("POST", "https://proxy.example/refresh", NOW, jti)
    }
}

fn verifier() -> ProofVerifier {
    ProofVerifier::new(ProofRules::default())
}

fn invalid(result: Result<(), ProofRefusal>) -> String {
    match result {
        Err(ProofRefusal::Invalid(what)) => what,
        other => panic!("expected an invalid proof, got {other:?}"),
    }
}

#[test]
fn a_proof_built_by_core_and_signed_with_the_sealed_key_is_accepted() {
    let browser = Browser::new(1);
    let proof = browser.refresh_proof("jti-1");
    assert_eq!(
        verifier().verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW),
        Ok(())
    );
    // Below a CDN prefix, and a second or so apart from the proxy's clock.
    let prefixed = browser.proof(
        "POST",
        "https://console.example/proxy/refresh",
        NOW - 5,
        "jti-2",
    );
    assert_eq!(
        verifier().verify(Some(&prefixed), &browser.thumbprint(), REFRESH, NOW),
        Ok(())
    );
}

#[test]
fn a_copied_handle_without_its_key_mints_nothing() {
    let (owner, thief) = (Browser::new(1), Browser::new(2));
    let sealed = owner.thumbprint();
    // No proof at all (curl with the handle).
    assert_eq!(
        verifier().verify(None, &sealed, REFRESH, NOW),
        Err(ProofRefusal::Missing)
    );
    // A proof with the thief's own key.
    let own_key = thief.refresh_proof("jti-1");
    assert_eq!(
        verifier().verify(Some(&own_key), &sealed, REFRESH, NOW),
        Err(ProofRefusal::KeyMismatch)
    );
    // The owner's public key in the header, signed by the thief's private key.
    let borrowed = thief.proof_with_jwk(
        &owner.jwk(),
        "POST",
        "https://proxy.example/refresh",
        NOW,
        "jti-2",
    );
    let what = invalid(verifier().verify(Some(&borrowed), &sealed, REFRESH, NOW));
    assert!(what.contains("signature does not verify"), "{what}");
}

#[test]
fn a_replayed_proof_is_refused() {
    let browser = Browser::new(1);
    let verifier = verifier();
    let proof = browser.refresh_proof("jti-1");
    assert_eq!(
        verifier.verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW),
        Ok(())
    );
    let what = invalid(verifier.verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW + 1));
    assert!(what.contains("used already"), "{what}");
    // Another browser's proof with the same jti is its own.
    let other = Browser::new(2);
    let same_jti = other.refresh_proof("jti-1");
    assert_eq!(
        verifier.verify(Some(&same_jti), &other.thumbprint(), REFRESH, NOW),
        Ok(())
    );
}

#[test]
fn a_proof_for_another_url_or_method_is_refused() {
    let browser = Browser::new(1);
    let check = |proof: String| {
        invalid(verifier().verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW))
    };
    for htu in [
        "https://proxy.example/logout",
        "https://proxy.example/refresh?x=1",
        "https://proxy.example/refresh/more",
        "ftp://proxy.example/refresh",
        "not a url",
    ] {
        let what = check(browser.proof("POST", htu, NOW, "jti"));
        assert!(what.contains("another URL"), "{htu}: {what}");
    }
    for htm in ["GET", "post"] {
        let what = check(browser.proof(htm, "https://proxy.example/refresh", NOW, "jti"));
        assert!(what.contains("another method"), "{htm}: {what}");
    }
    // A /logout proof is good for /logout only.
    let logout = ProvenRequest {
        method: "POST",
        path: "/logout",
    };
    let proof = browser.proof("POST", "https://proxy.example/logout", NOW, "jti");
    assert_eq!(
        verifier().verify(Some(&proof), &browser.thumbprint(), logout, NOW),
        Ok(())
    );
}

#[test]
fn an_old_or_future_iat_is_refused() {
    let browser = Browser::new(1);
    let window = DEFAULT_WINDOW_SECS;
    for iat in [NOW - window - 1, NOW - 3_600, NOW + window + 1] {
        let proof = browser.proof("POST", "https://proxy.example/refresh", iat, "jti");
        let what = invalid(verifier().verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW));
        assert!(
            what.contains("check this computer's clock"),
            "{iat}: {what}"
        );
    }
    // The window is configurable.
    let strict = ProofVerifier::new(ProofRules {
        window_secs: 5,
        ..ProofRules::default()
    });
    let proof = browser.proof("POST", "https://proxy.example/refresh", NOW - 6, "jti");
    assert!(
        strict
            .verify(Some(&proof), &browser.thumbprint(), REFRESH, NOW)
            .is_err()
    );
}

#[test]
fn a_full_replay_cache_refuses_until_its_proofs_age_out() {
    let browser = Browser::new(1);
    let verifier = ProofVerifier::new(ProofRules {
        window_secs: 10,
        replay_capacity: 2,
    });
    let verify = |jti: &str, now: u64| {
        let proof = browser.proof("POST", "https://proxy.example/refresh", now, jti);
        verifier.verify(Some(&proof), &browser.thumbprint(), REFRESH, now)
    };
    assert_eq!(verify("a", NOW), Ok(()));
    assert_eq!(verify("b", NOW), Ok(()));
    assert_eq!(
        verify("c", NOW + 1),
        Err(ProofRefusal::Busy {
            retry_after_secs: 10
        })
    );
    // Past the window the old entries could not be replayed anyway, so they make room.
    assert_eq!(verify("c", NOW + 11), Ok(()));
}

#[test]
fn refusals_carry_their_codes_and_never_the_proof() {
    let browser = Browser::new(1);
    let proof = browser.refresh_proof("jti-1");
    let cases = [
        (ProofRefusal::Missing, ErrorCode::DpopProofMissing, 401),
        (ProofRefusal::KeyMismatch, ErrorCode::DpopKeyMismatch, 401),
        (
            ProofRefusal::Invalid("the proof was used already".into()),
            ErrorCode::DpopProofInvalid,
            400,
        ),
        (
            ProofRefusal::Busy {
                retry_after_secs: 60,
            },
            ErrorCode::RateLimited,
            429,
        ),
    ];
    for (refusal, code, status) in cases {
        let error = ProxyError::from(refusal);
        assert_eq!((error.code, error.status()), (code, status));
        assert!(!error.description.contains(&proof));
        assert!(error.description.ends_with('.'), "{}", error.description);
    }
    assert!(
        ProxyError::from(ProofRefusal::KeyMismatch)
            .description
            .contains("Sign in again in this browser")
    );
}
