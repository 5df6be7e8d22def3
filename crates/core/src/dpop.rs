//! Proofs of possession for handle mode, in the shapes of DPoP (RFC 9449): a handle sealed with a
//! key's thumbprint is honoured only with a proof JWT signed by that key. The browser's key is a
//! non-extractable WebCrypto ECDSA P-256 key, so the proofs are ES256 JWS in compact form.
//!
//! This module holds the pure parts both sides share: the public JWK and its RFC 7638 thumbprint
//! input, the proof's header and claims, the JWS signing input, and the reader the proxy verifies
//! from. Hashing and signing are not here: the SPA uses WebCrypto, the proxy RustCrypto.
//!
//! A proof is a credential while it is fresh, so it travels as a [`Secret`] and is never logged.

use crate::json::{ObjectWriter, WrongType, optional_text, required_number, required_text};
use crate::secret::Secret;
use base64ct::{Base64UrlUnpadded, Encoding as _};
use serde_json::Value;
use std::fmt;

/// The request header that carries the proof (RFC 9449 §4.1).
pub const HEADER: &str = "DPoP";
/// The header name as HTTP libraries spell it (lower case).
pub const HEADER_LOWER: &str = "dpop";
/// The JWT `typ` of a proof.
pub const JWT_TYPE: &str = "dpop+jwt";
/// The one signature algorithm: ECDSA P-256 with SHA-256, the signature being `r || s`.
pub const ALGORITHM: &str = "ES256";
const KEY_TYPE: &str = "EC";
const CURVE: &str = "P-256";
/// A P-256 coordinate and an ES256 signature half are 32 bytes.
const COORDINATE_LEN: usize = 32;
const SIGNATURE_LEN: usize = 64;
/// Longer proofs are refused before decoding: a proof with a P-256 JWK is far shorter.
pub const MAX_PROOF_LEN: usize = 2048;
const MAX_JTI_LEN: usize = 128;

/// The public half of a P-256 key as a JWK: the base64url coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicJwk {
    pub x: String,
    pub y: String,
}

impl PublicJwk {
    /// The JWK text for the proof header.
    pub fn to_json(&self) -> String {
        ObjectWriter::default()
            .text("kty", KEY_TYPE)
            .text("crv", CURVE)
            .text("x", &self.x)
            .text("y", &self.y)
            .finish()
    }

    /// Reads a public EC P-256 JWK; a JWK with a private part (`d`) is refused, since a proof must
    /// never carry the private key.
    pub fn from_value(value: &Value) -> Result<PublicJwk, ProofError> {
        let text = |name| {
            optional_text(value, name)
                .ok()
                .flatten()
                .ok_or(ProofError::BadKey)
        };
        if text("kty")? != KEY_TYPE || text("crv")? != CURVE || value.get("d").is_some() {
            return Err(ProofError::BadKey);
        }
        let (x, y) = (text("x")?, text("y")?);
        for coordinate in [&x, &y] {
            let bytes =
                Base64UrlUnpadded::decode_vec(coordinate).map_err(|_| ProofError::BadKey)?;
            if bytes.len() != COORDINATE_LEN {
                return Err(ProofError::BadKey);
            }
        }
        Ok(PublicJwk { x, y })
    }

    /// The text whose SHA-256 is the key's thumbprint (RFC 7638 §3.2).
    pub fn thumbprint_input(&self) -> String {
        thumbprint_input(&[
            ("crv", CURVE),
            ("kty", KEY_TYPE),
            ("x", &self.x),
            ("y", &self.y),
        ])
    }

    /// The coordinates as raw bytes (checked when the JWK was read or built from a key).
    pub fn coordinates(&self) -> Option<([u8; 32], [u8; 32])> {
        let x = Base64UrlUnpadded::decode_vec(&self.x)
            .ok()?
            .try_into()
            .ok()?;
        let y = Base64UrlUnpadded::decode_vec(&self.y)
            .ok()?
            .try_into()
            .ok()?;
        Some((x, y))
    }
}

/// RFC 7638's canonical JSON of a JWK's required members: the members sorted by name, no
/// whitespace. (Every member value of the key types used here is a string.)
pub fn thumbprint_input(members: &[(&str, &str)]) -> String {
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
        .into_iter()
        .fold(ObjectWriter::default(), |json, (name, value)| {
            json.text(name, value)
        })
        .finish()
}

/// The thumbprint (base64url, no padding) from the SHA-256 of [`PublicJwk::thumbprint_input`].
pub fn thumbprint_from_digest(sha256: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(sha256)
}

/// The claims of a proof (RFC 9449 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofClaims {
    /// The request's method, e.g. `POST`.
    pub htm: String,
    /// The request's URL without query and fragment (see [`target_uri`]).
    pub htu: String,
    /// When the proof was made, Unix seconds.
    pub iat: u64,
    /// A fresh random id: the proxy accepts each once.
    pub jti: String,
}

/// A URL as it goes into `htu`: without its query and fragment.
pub fn target_uri(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    &url[..end]
}

/// The JWS signing input of a proof: `base64url(header) "." base64url(claims)`. The SPA signs
/// these bytes with the key whose public half is `jwk`.
pub fn signing_input(jwk: &PublicJwk, claims: &ProofClaims) -> String {
    let header = ObjectWriter::default()
        .text("typ", JWT_TYPE)
        .text("alg", ALGORITHM)
        .json("jwk", &jwk.to_json())
        .finish();
    let payload = ObjectWriter::default()
        .text("jti", &claims.jti)
        .text("htm", &claims.htm)
        .text("htu", &claims.htu)
        .number("iat", claims.iat)
        .finish();
    format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.as_bytes()),
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    )
}

/// The compact proof: the signing input and the `r || s` signature WebCrypto returns.
pub fn assemble(signing_input: &str, signature: &[u8]) -> Secret {
    Secret::new(format!(
        "{signing_input}.{}",
        Base64UrlUnpadded::encode_string(signature)
    ))
}

/// A proof read back, not yet verified: the proxy checks the signature over `signing_input` with
/// `jwk`, then the claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedProof {
    pub jwk: PublicJwk,
    pub claims: ProofClaims,
    pub signing_input: String,
    pub signature: [u8; SIGNATURE_LEN],
}

/// What is wrong with a proof's form. Never quotes the proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofError {
    /// Not three base64url parts of JSON, or too long.
    Malformed,
    /// `typ` is not `dpop+jwt`.
    WrongType,
    /// `alg` is not `ES256`.
    WrongAlgorithm,
    /// The `jwk` header is missing, not a public P-256 key, or holds a private part.
    BadKey,
    /// A claim is missing or of the wrong type.
    BadClaims,
    /// The signature is not 64 bytes.
    BadSignature,
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => {
                "the DPoP proof is not a compact JWS (three base64url parts of JSON)"
            }
            Self::WrongType => "the DPoP proof's typ is not dpop+jwt",
            Self::WrongAlgorithm => "the DPoP proof's alg is not ES256",
            Self::BadKey => "the DPoP proof's jwk is not a public EC P-256 key",
            Self::BadClaims => {
                "the DPoP proof lacks one of htm, htu, iat, jti (or one has the wrong type)"
            }
            Self::BadSignature => "the DPoP proof's signature is not an ES256 signature",
        })
    }
}

impl std::error::Error for ProofError {}

impl From<WrongType> for ProofError {
    fn from(_: WrongType) -> Self {
        ProofError::BadClaims
    }
}

/// Reads a compact proof (the form, not the signature's validity).
pub fn parse(proof: &str) -> Result<ParsedProof, ProofError> {
    if proof.len() > MAX_PROOF_LEN {
        return Err(ProofError::Malformed);
    }
    let mut parts = proof.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ProofError::Malformed);
    };
    let json_part = |part: &str| -> Result<Value, ProofError> {
        let bytes = Base64UrlUnpadded::decode_vec(part).map_err(|_| ProofError::Malformed)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| ProofError::Malformed)?;
        crate::json::parse(text)
            .ok()
            .filter(Value::is_object)
            .ok_or(ProofError::Malformed)
    };
    let header_value = json_part(header)?;
    let payload_value = json_part(payload)?;
    if optional_text(&header_value, "typ")?.as_deref() != Some(JWT_TYPE) {
        return Err(ProofError::WrongType);
    }
    if optional_text(&header_value, "alg")?.as_deref() != Some(ALGORITHM) {
        return Err(ProofError::WrongAlgorithm);
    }
    let jwk = PublicJwk::from_value(header_value.get("jwk").ok_or(ProofError::BadKey)?)?;
    let claims = ProofClaims {
        htm: required_text(&payload_value, "htm")?,
        htu: required_text(&payload_value, "htu")?,
        iat: required_number(&payload_value, "iat")?,
        jti: required_text(&payload_value, "jti")?,
    };
    if claims.jti.is_empty() || claims.jti.len() > MAX_JTI_LEN {
        return Err(ProofError::BadClaims);
    }
    let signature: [u8; SIGNATURE_LEN] = Base64UrlUnpadded::decode_vec(signature)
        .map_err(|_| ProofError::BadSignature)?
        .try_into()
        .map_err(|_| ProofError::BadSignature)?;
    Ok(ParsedProof {
        jwk,
        claims,
        signing_input: format!("{header}.{payload}"),
        signature,
    })
}

#[cfg(test)]
mod tests;
