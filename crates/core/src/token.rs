//! What the console can learn about the org from the access token alone, and from
//! `GET /v1/people/me` when the token does not tell.

use base64ct::{Base64Unpadded, Base64UrlUnpadded, Encoding as _};

/// The org and CI cluster encoded at the end of a Webex access token:
/// `<opaque>_<ciCluster>_<orgId>`, e.g. `ZDI3…_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenIdentity {
    pub org_id: String,
    pub ci_cluster: String,
}

impl TokenIdentity {
    /// Parses the token's tail. `None` unless all of these hold, so a token of another shape
    /// (a JWT, a sandbox token) falls back to the people API instead of yielding a wrong org:
    /// - there are at least two `_`, and the part before the cluster is not empty;
    /// - orgId (after the last `_`) is a UUID (8-4-4-4-12 hex digits, any case);
    /// - ciCluster (between the last two `_`) is 1–32 ASCII letters or digits.
    pub fn from_access_token(token: &str) -> Option<TokenIdentity> {
        let mut parts = token.rsplitn(3, '_');
        let org_id = parts.next()?;
        let ci_cluster = parts.next()?;
        let rest = parts.next()?;
        let cluster_ok = (1..=32).contains(&ci_cluster.len())
            && ci_cluster.chars().all(|c| c.is_ascii_alphanumeric());
        (!rest.is_empty() && cluster_ok && is_uuid(org_id)).then(|| TokenIdentity {
            org_id: org_id.to_owned(),
            ci_cluster: ci_cluster.to_owned(),
        })
    }
}

/// Whether `text` looks like a UUID: 8-4-4-4-12 hex digits.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Decodes the `orgId` of `GET /v1/people/me`: base64 of `ciscospark://us/ORGANIZATION/<uuid>`
/// (standard or URL-safe alphabet, with or without padding; any region segment). A bare UUID is
/// returned as-is. `None` for anything else.
pub fn decode_people_org_id(b64: &str) -> Option<String> {
    let trimmed = b64.trim();
    if is_uuid(trimmed) {
        return Some(trimmed.to_owned());
    }
    let unpadded = trimmed.trim_end_matches('=');
    let bytes = Base64UrlUnpadded::decode_vec(unpadded)
        .or_else(|_| Base64Unpadded::decode_vec(unpadded))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("ciscospark://")?;
    let mut segments = rest.split('/');
    let (_region, kind, id) = (segments.next()?, segments.next()?, segments.next()?);
    (segments.next().is_none() && kind == "ORGANIZATION" && is_uuid(id)).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "1eb65fdf-9643-417f-9974-ad72cae0e10f";

    #[test]
    fn parses_the_documented_shape() {
        let token =
            format!("ZDI3MGEyYzQtNmFlNS00NDNhLWFmNWQtYzk3ZTQ5ZjVmY2Q4NmNlYTJlZTMtNDM4_PF84_{ORG}");
        assert_eq!(
            TokenIdentity::from_access_token(&token),
            Some(TokenIdentity {
                org_id: ORG.into(),
                ci_cluster: "PF84".into()
            })
        );
        // Underscores inside the opaque part are fine: only the last two count.
        let token = format!("a_b_c_A52_{}", ORG.to_uppercase());
        assert_eq!(
            TokenIdentity::from_access_token(&token).unwrap().ci_cluster,
            "A52"
        );
    }

    #[test]
    fn other_shapes_are_none() {
        for token in [
            "",
            "no-underscores-at-all",
            &format!("PF84_{ORG}"),
            &format!("_PF84_{ORG}"),
            &format!("abc__{ORG}"),
            "abc_PF84_not-a-uuid",
            &format!("abc_PF84_{ORG}_"),
            &format!("abc_PF-84_{ORG}"),
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
        ] {
            assert_eq!(TokenIdentity::from_access_token(token), None, "{token}");
        }
    }

    #[test]
    fn decodes_people_org_ids_in_every_base64_variant() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        let raw = format!("ciscospark://us/ORGANIZATION/{ORG}");
        for engine in [&STANDARD, &URL_SAFE] {
            let encoded = engine.encode(&raw);
            assert_eq!(decode_people_org_id(&encoded).as_deref(), Some(ORG));
            assert_eq!(
                decode_people_org_id(encoded.trim_end_matches('=')).as_deref(),
                Some(ORG)
            );
        }
        let eu = STANDARD.encode(format!("ciscospark://eu/ORGANIZATION/{ORG}"));
        assert_eq!(decode_people_org_id(&eu).as_deref(), Some(ORG));
        assert_eq!(decode_people_org_id(ORG).as_deref(), Some(ORG));
    }

    #[test]
    fn rejects_other_ids() {
        use base64::Engine as _;
        use base64::engine::general_purpose::STANDARD;
        for raw in [
            format!("ciscospark://us/PEOPLE/{ORG}"),
            "ciscospark://us/ORGANIZATION/xyz".to_owned(),
            format!("https://us/ORGANIZATION/{ORG}"),
            format!("ciscospark://us/ORGANIZATION/{ORG}/extra"),
        ] {
            assert_eq!(decode_people_org_id(&STANDARD.encode(raw)), None);
        }
        assert_eq!(decode_people_org_id("!!!not base64"), None);
        assert_eq!(decode_people_org_id(""), None);
    }
}
