//! Handle mode's proofs of possession, the browser's side: at sign-in a fresh ECDSA P-256 key
//! made by WebCrypto with its private half non-extractable (no script, this app's included, can
//! read it out), kept in IndexedDB ([`super::key_store`]); its thumbprint goes with `/token` and
//! is sealed into the handle; every `/refresh` and `/logout` then carries a proof signed by it.
//! The shapes (JWK, thumbprint input, claims, signing input) are core's [`wxcc_core::dpop`].

use wasm_bindgen::{JsCast, JsValue};

use wasm_bindgen_futures::JsFuture;
use wxcc_core::dpop::{self, ProofClaims, PublicJwk};
use wxcc_core::secret::Secret;

use super::key_store;
use crate::browser;

/// What the key store keeps per key: the private key object and the public coordinates.
const PRIVATE: &str = "private";
const X: &str = "x";
const Y: &str = "y";

/// Why no proof could be made.
#[derive(Debug, Clone, PartialEq)]
pub enum ProofProblem {
    /// The key the session is bound to is not in this browser (its site data was cleared, or the
    /// session record came from another browser).
    KeyMissing,
    /// WebCrypto or IndexedDB failed: what, and what to do.
    Browser(String),
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    browser::window().crypto().map(|c| c.subtle()).map_err(|_| {
        "WebCrypto is unavailable: serve the app over https (or from localhost).".into()
    })
}

fn object(entries: &[(&str, JsValue)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object
}

fn text_of(value: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(value, &key.into()).ok()?.as_string()
}

async fn thumbprint(jwk: &PublicJwk) -> Result<String, String> {
    let digest = browser::sha256(jwk.thumbprint_input().as_bytes()).await?;
    Ok(dpop::thumbprint_from_digest(&digest))
}

/// Makes this sign-in's key, keeps it (replacing any earlier sign-in's) and returns its
/// thumbprint for `/token`.
pub async fn new_key() -> Result<String, String> {
    let failed = |_| {
        "WebCrypto could not make the sign-in key (ECDSA P-256); use a current browser.".to_string()
    };
    let algorithm = object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]);
    let usages = js_sys::Array::of1(&"sign".into());
    // extractable = false: the private key can sign, never be exported. (The public half of a
    // pair is always exportable.)
    let pair = JsFuture::from(
        subtle()?
            .generate_key_with_object(&algorithm, false, &usages)
            .map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    let get = |name: &str| js_sys::Reflect::get(&pair, &name.into()).map_err(failed);
    let public: web_sys::CryptoKey = get("publicKey")?.unchecked_into();
    let private = get("privateKey")?;
    let exported = JsFuture::from(subtle()?.export_key("jwk", &public).map_err(failed)?)
        .await
        .map_err(failed)?;
    let jwk = PublicJwk {
        x: text_of(&exported, X).ok_or_else(|| failed(JsValue::NULL))?,
        y: text_of(&exported, Y).ok_or_else(|| failed(JsValue::NULL))?,
    };
    let thumbprint = thumbprint(&jwk).await?;
    key_store::clear().await?;
    let kept = object(&[
        (PRIVATE, private),
        (X, jwk.x.as_str().into()),
        (Y, jwk.y.as_str().into()),
    ]);
    key_store::put(&thumbprint, &kept).await?;
    Ok(thumbprint)
}

/// A proof for `POST url`, signed by the key with `thumbprint`.
pub async fn proof(url: &str, thumbprint: &str) -> Result<Secret, ProofProblem> {
    let kept = key_store::get(thumbprint)
        .await
        .map_err(ProofProblem::Browser)?
        .ok_or(ProofProblem::KeyMissing)?;
    let jwk = PublicJwk {
        x: text_of(&kept, X).ok_or(ProofProblem::KeyMissing)?,
        y: text_of(&kept, Y).ok_or(ProofProblem::KeyMissing)?,
    };
    let private: web_sys::CryptoKey = js_sys::Reflect::get(&kept, &PRIVATE.into())
        .ok()
        .filter(|key| key.is_object())
        .ok_or(ProofProblem::KeyMissing)?
        .unchecked_into();
    let random = browser::random_bytes().map_err(ProofProblem::Browser)?;
    let claims = ProofClaims {
        htm: "POST".into(),
        htu: dpop::target_uri(url).into(),
        iat: browser::now_ms() / 1000,
        jti: dpop::thumbprint_from_digest(&random[..16]),
    };
    let input = dpop::signing_input(&jwk, &claims);
    let failed = |_| ProofProblem::Browser("WebCrypto could not sign the proof; retry.".into());
    let algorithm = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]);
    let signature = JsFuture::from(
        subtle()
            .map_err(ProofProblem::Browser)?
            .sign_with_object_and_u8_array(&algorithm, &private, input.as_bytes())
            .map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    // WebCrypto's ECDSA signature is already `r || s`, the JWS form.
    let signature = js_sys::Uint8Array::new(&signature).to_vec();
    Ok(dpop::assemble(&input, &signature))
}

/// Forgets the keys (at sign-out): nothing of the ended session can be proven any more.
pub async fn forget() {
    if let Err(e) = key_store::clear().await {
        leptos::logging::warn!("the sign-in key could not be removed: {e}");
    }
}

/// The proof a request to the proxy's `path` needs: one when the session is bound to a key
/// (handle mode with `thumbprint`), none otherwise.
pub async fn proof_for(
    config: &wxcc_core::config::AppConfig,
    path: &str,
    thumbprint: Option<&str>,
) -> Result<Option<Secret>, ProofProblem> {
    match (config.proxy_mode, thumbprint) {
        (wxcc_core::config::ProxyMode::Handle, Some(thumbprint)) => {
            proof(&super::proxy::url(config, path), thumbprint)
                .await
                .map(Some)
        }
        _ => Ok(None),
    }
}
