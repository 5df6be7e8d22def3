//! PKCE (RFC 7636, S256) and `state` encoding. The random bytes and the SHA-256 digest come from
//! WebCrypto in the SPA shell; this module only encodes and validates.
//!
//! Sign-in in the shell:
//! 1. `getRandomValues` → 32 bytes → [`PkceVerifier::from_random_bytes`];
//! 2. `subtle.digest("SHA-256", verifier.secret().as_bytes())` → [`code_challenge_s256`];
//! 3. another 32 random bytes → [`OAuthState::from_random_bytes`].

use base64ct::{Base64UrlUnpadded, Encoding as _};
use std::fmt;

pub use crate::secret::{OAuthState, PkceVerifier};

/// Shortest verifier RFC 7636 allows.
pub const VERIFIER_MIN_LEN: usize = 43;
/// Longest verifier RFC 7636 allows.
pub const VERIFIER_MAX_LEN: usize = 128;

/// Why a string is not a valid PKCE code verifier. Never contains the verifier itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifierError {
    /// Length outside 43..=128.
    BadLength(usize),
    /// A character outside `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"` at this index.
    BadCharacter { index: usize },
}

impl fmt::Display for VerifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadLength(len) => write!(
                f,
                "the PKCE verifier is {len} characters long; RFC 7636 requires 43 to 128. Start the sign-in again."
            ),
            Self::BadCharacter { index } => write!(
                f,
                "the PKCE verifier has a character RFC 7636 does not allow at position {index}. Start the sign-in again."
            ),
        }
    }
}

impl std::error::Error for VerifierError {}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// Checks a verifier against RFC 7636 section 4.1 (length 43..=128, unreserved characters only).
pub fn validate_verifier(verifier: &str) -> Result<(), VerifierError> {
    // Check the charset first so the length we report is a character count of ASCII text.
    if let Some((index, _)) = verifier.char_indices().find(|(_, c)| !is_unreserved(*c)) {
        return Err(VerifierError::BadCharacter { index });
    }
    let len = verifier.len();
    if !(VERIFIER_MIN_LEN..=VERIFIER_MAX_LEN).contains(&len) {
        return Err(VerifierError::BadLength(len));
    }
    Ok(())
}

impl PkceVerifier {
    /// The recommended verifier: 32 random octets, base64url without padding (43 characters).
    pub fn from_random_bytes(bytes: &[u8; 32]) -> PkceVerifier {
        PkceVerifier::new(Base64UrlUnpadded::encode_string(bytes))
    }

    /// Wraps a verifier read back from storage after checking it is well-formed.
    pub fn parse(verifier: String) -> Result<PkceVerifier, VerifierError> {
        validate_verifier(&verifier)?;
        Ok(PkceVerifier::new(verifier))
    }
}

impl OAuthState {
    /// A fresh `state`: 32 random octets, base64url without padding (43 characters).
    pub fn from_random_bytes(bytes: &[u8; 32]) -> OAuthState {
        OAuthState::new(Base64UrlUnpadded::encode_string(bytes))
    }
}

/// The S256 `code_challenge`: base64url (no padding) of `SHA-256(ASCII(verifier))`.
pub fn code_challenge_s256(digest: &[u8; 32]) -> String {
    Base64UrlUnpadded::encode_string(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    // RFC 7636 Appendix B.
    const APPENDIX_B_BYTES: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const APPENDIX_B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const APPENDIX_B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn matches_rfc7636_appendix_b() {
        let verifier = PkceVerifier::from_random_bytes(&APPENDIX_B_BYTES);
        assert_eq!(verifier.secret(), APPENDIX_B_VERIFIER);
        let digest: [u8; 32] = Sha256::digest(verifier.secret().as_bytes()).into();
        assert_eq!(code_challenge_s256(&digest), APPENDIX_B_CHALLENGE);
    }

    #[test]
    fn random_verifier_and_state_are_43_valid_chars() {
        for fill in [0u8, 0xff, 0x3e, 0x3f] {
            let bytes = [fill; 32];
            let verifier = PkceVerifier::from_random_bytes(&bytes);
            assert_eq!(verifier.len(), 43);
            validate_verifier(verifier.secret()).unwrap();
            let state = OAuthState::from_random_bytes(&bytes);
            assert_eq!(state.len(), 43);
            assert!(!state.secret().contains(['=', '+', '/']));
        }
    }

    #[test]
    fn validation_follows_rfc7636() {
        assert_eq!(
            validate_verifier(&"a".repeat(42)),
            Err(VerifierError::BadLength(42))
        );
        assert_eq!(validate_verifier(&"a".repeat(43)), Ok(()));
        assert_eq!(validate_verifier(&"a".repeat(128)), Ok(()));
        assert_eq!(
            validate_verifier(&"a".repeat(129)),
            Err(VerifierError::BadLength(129))
        );
        assert_eq!(validate_verifier(&"-._~AZaz09".repeat(5)), Ok(()));
        let with_plus = format!("{}+", "a".repeat(50));
        assert_eq!(
            validate_verifier(&with_plus),
            Err(VerifierError::BadCharacter { index: 50 })
        );
        assert!(validate_verifier(&format!("{}é", "a".repeat(50))).is_err());
        assert!(PkceVerifier::parse("short".into()).is_err());
        assert!(PkceVerifier::parse(APPENDIX_B_VERIFIER.into()).is_ok());
    }

    #[test]
    fn errors_never_contain_the_verifier() {
        let bad = format!("{}!", "secretsecret".repeat(4));
        let message = validate_verifier(&bad).unwrap_err().to_string();
        assert!(!message.contains("secretsecret"));
    }
}
