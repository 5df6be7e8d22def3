use super::*;
use sha2::{Digest, Sha256};

fn thumbprint_of(input: &str) -> String {
    thumbprint_from_digest(&Sha256::digest(input.as_bytes()))
}

/// The public key of RFC 9449's example proofs (§4.1).
fn rfc9449_key() -> PublicJwk {
    PublicJwk {
        x: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs".into(),
        y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA".into(),
    }
}

fn claims() -> ProofClaims {
    ProofClaims {
        htm: "POST".into(),
        htu: "https://proxy.example/refresh".into(),
        iat: 1_700_000_000,
        jti: "e1j3V_bKic8-LAEB".into(),
    }
}

fn b64(json: &str) -> String {
    Base64UrlUnpadded::encode_string(json.as_bytes())
}

#[test]
fn thumbprint_matches_rfc7638s_example() {
    // RFC 7638 §3.1: the RSA key and its thumbprint.
    let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    let input = thumbprint_input(&[("kty", "RSA"), ("n", n), ("e", "AQAB")]);
    assert_eq!(input, format!(r#"{{"e":"AQAB","kty":"RSA","n":"{n}"}}"#));
    assert_eq!(
        thumbprint_of(&input),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn ec_thumbprint_matches_rfc9449s_example() {
    let key = rfc9449_key();
    assert_eq!(
        key.thumbprint_input(),
        format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            key.x, key.y
        )
    );
    // RFC 9449 §6.1: the `jkt` of that key.
    assert_eq!(
        thumbprint_of(&key.thumbprint_input()),
        "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
    );
}

#[test]
fn a_built_proof_parses_back() {
    let key = rfc9449_key();
    let input = signing_input(&key, &claims());
    let proof = assemble(&input, &[7u8; 64]);
    let parsed = parse(proof.secret()).unwrap();
    assert_eq!(parsed.jwk, key);
    assert_eq!(parsed.claims, claims());
    assert_eq!(parsed.signing_input, input);
    assert_eq!(parsed.signature, [7u8; 64]);
    let header = input.split('.').next().unwrap();
    let header = String::from_utf8(Base64UrlUnpadded::decode_vec(header).unwrap()).unwrap();
    assert_eq!(
        header,
        format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}}}"#,
            key.x, key.y
        )
    );
    // The proof is a secret: its Debug shows nothing of it.
    assert!(!format!("{proof:?}").contains(&input));
}

#[test]
fn target_uri_drops_query_and_fragment() {
    assert_eq!(
        target_uri("https://p.example/refresh?x=1#y"),
        "https://p.example/refresh"
    );
    assert_eq!(
        target_uri("https://p.example/refresh#y"),
        "https://p.example/refresh"
    );
    assert_eq!(
        target_uri("https://p.example/refresh"),
        "https://p.example/refresh"
    );
}

fn proof_with(header: &str, payload: &str) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(&"s".repeat(64)))
}

const JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}"#;
const CLAIMS: &str = r#"{"jti":"a","htm":"POST","htu":"https://p/refresh","iat":1}"#;

#[test]
fn refuses_each_malformed_part() {
    let good_header = format!(r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{JWK}}}"#);
    assert!(parse(&proof_with(&good_header, CLAIMS)).is_ok());
    let cases = [
        ("not.a.proof.at-all".to_owned(), ProofError::Malformed),
        ("onlyone".to_owned(), ProofError::Malformed),
        (proof_with("[]", CLAIMS), ProofError::Malformed),
        (
            proof_with(&good_header.replace("dpop+jwt", "JWT"), CLAIMS),
            ProofError::WrongType,
        ),
        (
            proof_with(&good_header.replace("ES256", "none"), CLAIMS),
            ProofError::WrongAlgorithm,
        ),
        (
            proof_with(&good_header.replace("ES256", "HS256"), CLAIMS),
            ProofError::WrongAlgorithm,
        ),
        (
            proof_with(&good_header.replace("P-256", "P-384"), CLAIMS),
            ProofError::BadKey,
        ),
        (
            proof_with(
                &good_header.replace(r#""kty":"EC""#, r#""kty":"EC","d":"x""#),
                CLAIMS,
            ),
            ProofError::BadKey,
        ),
        (
            proof_with(
                &good_header.replace("l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", "AAAA"),
                CLAIMS,
            ),
            ProofError::BadKey,
        ),
        (
            proof_with(&good_header, &CLAIMS.replace(r#""iat":1"#, r#""iat":"1""#)),
            ProofError::BadClaims,
        ),
        (
            proof_with(&good_header, &CLAIMS.replace(r#""jti":"a","#, "")),
            ProofError::BadClaims,
        ),
        (
            format!("{}.{}.{}", b64(&good_header), b64(CLAIMS), b64("short")),
            ProofError::BadSignature,
        ),
        ("a".repeat(MAX_PROOF_LEN + 1), ProofError::Malformed),
    ];
    for (proof, expected) in cases {
        assert_eq!(parse(&proof).unwrap_err(), expected, "{proof}");
    }
}
