//! Handle mode's proofs of possession: a handle sealed with a key thumbprint refreshes and signs
//! out only with a DPoP-style proof (RFC 9449 shapes) signed by that key. The browser keeps the
//! key non-extractable in IndexedDB, so a handle copied out of the page (read from sessionStorage,
//! or over the BroadcastChannel by another page of a shared origin) mints nothing elsewhere.
//!
//! The checks, in order: the proof's form ([`wxcc_core::dpop::parse`]); its key's RFC 7638
//! thumbprint equals the sealed one; the ES256 signature verifies with that key; `htm` and `htu`
//! name this request; `iat` lies within the clock window; its `jti` was not seen before.
//!
//! The `jti` cache is in-process and bounded: one server instance refuses a replay, several
//! instances (Lambda, a fleet of servers) would each accept one replay within the window unless
//! they shared the store (the revocation store could hold the jtis; see the README).

use crate::error::{ErrorCode, ProxyError};
use p256::EncodedPoint;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use wxcc_core::dpop::{self, ParsedProof};
use wxcc_core::secret::constant_time_eq;

/// How far `iat` may lie from the proxy's clock, either way, unless configured.
pub const DEFAULT_WINDOW_SECS: u64 = 60;
/// How many used `jti`s are remembered at most, unless configured.
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// The proof rules: the clock window and the size of the replay cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofRules {
    pub window_secs: u64,
    pub replay_capacity: usize,
}

impl Default for ProofRules {
    fn default() -> Self {
        Self {
            window_secs: DEFAULT_WINDOW_SECS,
            replay_capacity: DEFAULT_REPLAY_CAPACITY,
        }
    }
}

/// The request a proof must be for.
#[derive(Debug, Clone, Copy)]
pub struct ProvenRequest<'a> {
    /// `POST`.
    pub method: &'a str,
    /// The path the proxy serves, e.g. `/refresh`. A CDN may serve the proxy below a prefix
    /// (`/proxy/refresh`), so `htu`'s path must end with it.
    pub path: &'a str,
}

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofRefusal {
    /// No `DPoP` header.
    Missing,
    /// Signed by another key than the sealed one.
    KeyMismatch,
    /// Malformed, badly signed, for another request, outside the window, or replayed: what.
    Invalid(String),
    /// The replay cache is full of proofs still inside the window: the proxy cannot tell a replay
    /// now, so it refuses until entries age out.
    Busy { retry_after_secs: u64 },
}

/// Verifies proofs and remembers their `jti`s. One per proxy process.
#[derive(Debug)]
pub struct ProofVerifier {
    rules: ProofRules,
    /// `thumbprint.jti` → the Unix second after which the proof is too old to be accepted anyway.
    seen: Mutex<HashMap<String, u64>>,
}

impl ProofVerifier {
    pub fn new(rules: ProofRules) -> Self {
        Self {
            rules,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Checks `proof` (the `DPoP` header, if any) for `request` against the sealed `thumbprint`.
    pub fn verify(
        &self,
        proof: Option<&str>,
        thumbprint: &[u8; 32],
        request: ProvenRequest<'_>,
        now: u64,
    ) -> Result<(), ProofRefusal> {
        let proof = proof.ok_or(ProofRefusal::Missing)?;
        let parsed = dpop::parse(proof).map_err(|e| ProofRefusal::Invalid(e.to_string()))?;
        let presented = Sha256::digest(parsed.jwk.thumbprint_input().as_bytes());
        if !constant_time_eq(&presented, thumbprint) {
            return Err(ProofRefusal::KeyMismatch);
        }
        verify_signature(&parsed)?;
        check_claims(&parsed.claims, request, now, self.rules.window_secs)?;
        self.remember(&parsed, now)
    }

    /// Records the proof's `jti`; refuses one already recorded.
    fn remember(&self, parsed: &ParsedProof, now: u64) -> Result<(), ProofRefusal> {
        let window = self.rules.window_secs;
        // Per key: two browsers that happened to pick the same jti do not collide.
        let key = format!("{}.{}", parsed.jwk.x, parsed.claims.jti);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.get(&key).is_some_and(|&forget_at| forget_at >= now) {
            return Err(ProofRefusal::Invalid(
                "this proof was used already (each proof is good for one request); make a new one"
                    .into(),
            ));
        }
        if seen.len() >= self.rules.replay_capacity {
            seen.retain(|_, forget_at| *forget_at >= now);
            if seen.len() >= self.rules.replay_capacity {
                return Err(ProofRefusal::Busy {
                    retry_after_secs: window.max(1),
                });
            }
        }
        seen.insert(key, parsed.claims.iat.saturating_add(window));
        Ok(())
    }
}

fn verify_signature(parsed: &ParsedProof) -> Result<(), ProofRefusal> {
    let bad_key = || ProofRefusal::Invalid("the proof's jwk is not a point on P-256".into());
    let (x, y) = parsed.jwk.coordinates().ok_or_else(bad_key)?;
    let point = EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
    let key = VerifyingKey::from_encoded_point(&point).map_err(|_| bad_key())?;
    let signature = Signature::from_slice(&parsed.signature).map_err(|_| {
        ProofRefusal::Invalid("the proof's signature is not an ES256 signature".into())
    })?;
    key.verify(parsed.signing_input.as_bytes(), &signature)
        .map_err(|_| {
            ProofRefusal::Invalid("the proof's signature does not verify with its jwk".into())
        })
}

fn check_claims(
    claims: &dpop::ProofClaims,
    request: ProvenRequest<'_>,
    now: u64,
    window: u64,
) -> Result<(), ProofRefusal> {
    if claims.htm != request.method {
        return Err(ProofRefusal::Invalid(format!(
            "the proof is for another method (htm must be {})",
            request.method
        )));
    }
    let htu = url::Url::parse(&claims.htu).ok();
    let for_this_path = htu.as_ref().is_some_and(|url| {
        matches!(url.scheme(), "https" | "http")
            && url.query().is_none()
            && url.fragment().is_none()
            && url.path().ends_with(request.path)
    });
    if !for_this_path {
        return Err(ProofRefusal::Invalid(format!(
            "the proof is for another URL (htu must be the proxy's {} URL)",
            request.path
        )));
    }
    if claims.iat.abs_diff(now) > window {
        return Err(ProofRefusal::Invalid(format!(
            "the proof's iat is more than {window} seconds from the proxy's clock; check this \
             computer's clock, then retry"
        )));
    }
    Ok(())
}

impl From<ProofRefusal> for ProxyError {
    fn from(refusal: ProofRefusal) -> Self {
        match refusal {
            ProofRefusal::Missing => ProxyError::new(
                ErrorCode::DpopProofMissing,
                "This sign-in is bound to the browser that started it: the request needs a DPoP \
                 proof signed by that browser's key. Sign in again in this browser.",
            ),
            ProofRefusal::KeyMismatch => ProxyError::new(
                ErrorCode::DpopKeyMismatch,
                "This sign-in is bound to another browser's key (the handle was copied out of the \
                 browser that signed in). Sign in again in this browser.",
            ),
            ProofRefusal::Invalid(what) => ProxyError::new(
                ErrorCode::DpopProofInvalid,
                format!("The DPoP proof was refused: {what}."),
            ),
            ProofRefusal::Busy { retry_after_secs } => ProxyError::new(
                ErrorCode::RateLimited,
                format!(
                    "The proxy has too many recent proofs to check for replays; wait \
                     {retry_after_secs} seconds and try again."
                ),
            )
            .with_retry_after(Some(retry_after_secs)),
        }
    }
}

#[cfg(test)]
mod tests;
