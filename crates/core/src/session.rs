//! The signed-in session as kept in sessionStorage: a typed, versioned record that decodes
//! without ever panicking, and the token proxy's response it is built from.
//!
//! Both are read and written field by field through [`crate::json`] rather than derived serde
//! impls (see [`crate::model`] for why); the readers are as strict as serde was: a wrongly typed
//! field rejects the whole record.

use crate::config::ApiBase;
use crate::expiry::Expiry;
use crate::json::{
    ObjectWriter, WrongType, optional_number, optional_text, required_number, required_text,
    text_list,
};
use crate::secret::{AccessToken, RefreshHandle};
use crate::token::TokenIdentity;
use serde_json::Value;
use std::fmt;

/// The record version this build writes and reads.
pub const SESSION_VERSION: u32 = 1;

/// Where the session's orgId came from, shown in the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgSource {
    /// Parsed from the access token's tail.
    Token,
    /// Decoded from `GET /v1/people/me` because the token did not have the expected shape.
    PeopleApi,
}

impl OrgSource {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            OrgSource::Token => "token",
            OrgSource::PeopleApi => "people_api",
        }
    }

    fn from_name(name: &str) -> Option<OrgSource> {
        [OrgSource::Token, OrgSource::PeopleApi]
            .into_iter()
            .find(|source| source.name() == name)
    }
}

/// The token proxy's success JSON for a code exchange or a refresh. Unknown fields are ignored;
/// `Debug` redacts the token and the handle.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    /// Seconds.
    pub expires_in: u64,
    /// Space-separated granted scopes. Absent means "as requested" (RFC 6749 §5.1).
    pub scope: Option<String>,
    pub token_type: Option<String>,
    /// Seconds.
    pub refresh_token_expires_in: Option<u64>,
    /// Only in handle mode.
    pub refresh_handle: Option<RefreshHandle>,
}

impl From<WrongType> for TokenResponseError {
    fn from(_: WrongType) -> Self {
        TokenResponseError
    }
}

impl TokenResponse {
    /// Parses the proxy's success body. The error never contains the body (it holds the token).
    pub fn from_json(body: &str) -> Result<TokenResponse, TokenResponseError> {
        let value: Value = crate::json::parse(body).map_err(|_| TokenResponseError)?;
        let response = TokenResponse {
            access_token: AccessToken::new(required_text(&value, "access_token")?),
            expires_in: required_number(&value, "expires_in")?,
            scope: optional_text(&value, "scope")?,
            token_type: optional_text(&value, "token_type")?,
            refresh_token_expires_in: optional_number(&value, "refresh_token_expires_in")?,
            refresh_handle: optional_text(&value, "refresh_handle")?.map(RefreshHandle::new),
        };
        if response.access_token.is_empty() {
            return Err(TokenResponseError);
        }
        if let Some(kind) = &response.token_type
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(TokenResponseError);
        }
        Ok(response)
    }
}

/// The proxy answered 200 with a body that is not a usable token response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponseError;

impl fmt::Display for TokenResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the token proxy answered with something that is not a Bearer token response; \
             check that token_proxy_url in config.json points at the proxy, then sign in again",
        )
    }
}

impl std::error::Error for TokenResponseError {}

/// What sessionStorage holds for a signed-in tab.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub version: u32,
    pub access_token: AccessToken,
    /// When the current access token was received: with the expiry it gives the token's lifetime,
    /// which scales the proactive-refresh margin. Missing (0) in records of older builds.
    pub access_issued_at_ms: u64,
    pub access_expires_at_ms: u64,
    pub refresh_expires_at_ms: Option<u64>,
    pub granted_scopes: Vec<String>,
    pub requested_scopes: Vec<String>,
    /// `None` until known: the token did not carry it and `/v1/people/me` has not answered yet.
    pub org_id: Option<String>,
    pub ci_cluster: Option<String>,
    pub org_source: Option<OrgSource>,
    /// The region code or explicit API base the user works against (the region switcher's value).
    pub region_or_api_base: ApiBase,
    /// Present only when the proxy runs in handle mode.
    pub refresh_handle: Option<RefreshHandle>,
}

/// Why a stored session was discarded. Both are shown as a calm notice, then the user signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionDecodeError {
    /// Not a session record at all (corrupted, edited, or from another app).
    Unreadable,
    /// A record written by another version of the console.
    UnsupportedVersion(u32),
}

impl SessionDecodeError {
    /// The notice shown to the user.
    pub fn notice(&self) -> String {
        match self {
            Self::Unreadable => {
                "The saved session in this tab could not be read, so it was cleared. Sign in again."
                    .into()
            }
            Self::UnsupportedVersion(v) => format!(
                "The saved session in this tab was written by another version of the console (format {v}), so it was cleared. Sign in again."
            ),
        }
    }
}

impl fmt::Display for SessionDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.notice())
    }
}

impl std::error::Error for SessionDecodeError {}

fn split_scopes(scope: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in scope.split_whitespace() {
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_owned());
        }
    }
    scopes
}

impl SessionRecord {
    /// A new session from the code exchange. orgId/ciCluster come from the token when it has the
    /// documented shape; otherwise they stay `None` and [`Self::needs_org_lookup`] is true.
    pub fn from_token_response(
        response: TokenResponse,
        now_ms: u64,
        requested_scopes: Vec<String>,
        region_or_api_base: ApiBase,
    ) -> SessionRecord {
        let mut record = SessionRecord {
            version: SESSION_VERSION,
            access_token: AccessToken::new(String::new()),
            access_issued_at_ms: 0,
            access_expires_at_ms: 0,
            refresh_expires_at_ms: None,
            granted_scopes: Vec::new(),
            requested_scopes,
            org_id: None,
            ci_cluster: None,
            org_source: None,
            region_or_api_base,
            refresh_handle: None,
        };
        record.apply_refresh(response, now_ms);
        record
    }

    /// Takes in a refreshed token. Keeps the previous handle if the proxy did not rotate it, and
    /// a people-API orgId if the new token does not carry one.
    pub fn apply_refresh(&mut self, response: TokenResponse, now_ms: u64) {
        self.granted_scopes = match &response.scope {
            Some(scope) => split_scopes(scope),
            None => self.requested_scopes.clone(),
        };
        self.access_issued_at_ms = now_ms;
        self.access_expires_at_ms = Expiry::from_expires_in(response.expires_in, now_ms).at_ms;
        if let Some(secs) = response.refresh_token_expires_in {
            self.refresh_expires_at_ms = Some(Expiry::from_expires_in(secs, now_ms).at_ms);
        }
        if let Some(identity) = TokenIdentity::from_access_token(response.access_token.secret()) {
            self.org_id = Some(identity.org_id);
            self.ci_cluster = Some(identity.ci_cluster);
            self.org_source = Some(OrgSource::Token);
        }
        if response.refresh_handle.is_some() {
            self.refresh_handle = response.refresh_handle;
        }
        self.access_token = response.access_token;
    }

    /// True when the org is unknown and the shell should call `GET /v1/people/me`.
    pub fn needs_org_lookup(&self) -> bool {
        self.org_id.is_none()
    }

    /// Records the orgId decoded from `/v1/people/me` (see [`crate::token::decode_people_org_id`]).
    pub fn set_org_from_people_api(&mut self, org_id: String) {
        self.org_id = Some(org_id);
        self.org_source = Some(OrgSource::PeopleApi);
    }

    /// How long before expiry to refresh: a fifth of the token's lifetime, between 2 s and 60 s,
    /// so day-long tokens refresh a minute early and 20-second test tokens after 16 seconds.
    pub fn refresh_margin_ms(&self) -> u64 {
        let lifetime = self
            .access_expires_at_ms
            .saturating_sub(self.access_issued_at_ms);
        (lifetime / 5).clamp(2_000, 60_000)
    }

    pub fn access_expiry(&self) -> Expiry {
        Expiry {
            at_ms: self.access_expires_at_ms,
        }
    }

    pub fn refresh_expiry(&self) -> Option<Expiry> {
        self.refresh_expires_at_ms.map(|at_ms| Expiry { at_ms })
    }

    /// The sessionStorage form.
    pub fn encode(&self) -> String {
        ObjectWriter::default()
            .number("version", u64::from(self.version))
            .text("access_token", self.access_token.secret())
            .number("access_issued_at_ms", self.access_issued_at_ms)
            .number("access_expires_at_ms", self.access_expires_at_ms)
            .optional_number("refresh_expires_at_ms", self.refresh_expires_at_ms)
            .texts("granted_scopes", &self.granted_scopes)
            .texts("requested_scopes", &self.requested_scopes)
            .optional_text("org_id", self.org_id.as_deref())
            .optional_text("ci_cluster", self.ci_cluster.as_deref())
            .optional_text("org_source", self.org_source.map(OrgSource::name))
            .text("region_or_api_base", &self.region_or_api_base.to_string())
            .optional_text(
                "refresh_handle",
                self.refresh_handle.as_ref().map(|h| h.secret()),
            )
            .finish()
    }

    /// The fields of a record of this version; any wrongly typed or missing required field fails.
    fn read(value: &Value) -> Result<SessionRecord, WrongType> {
        Ok(SessionRecord {
            version: SESSION_VERSION,
            access_token: AccessToken::new(required_text(value, "access_token")?),
            access_issued_at_ms: optional_number(value, "access_issued_at_ms")?.unwrap_or(0),
            access_expires_at_ms: required_number(value, "access_expires_at_ms")?,
            refresh_expires_at_ms: optional_number(value, "refresh_expires_at_ms")?,
            granted_scopes: text_list(value, "granted_scopes")?,
            requested_scopes: text_list(value, "requested_scopes")?,
            org_id: optional_text(value, "org_id")?,
            ci_cluster: optional_text(value, "ci_cluster")?,
            org_source: match optional_text(value, "org_source")? {
                None => None,
                Some(name) => Some(OrgSource::from_name(&name).ok_or(WrongType)?),
            },
            region_or_api_base: ApiBase::from_text(&required_text(value, "region_or_api_base")?),
            refresh_handle: optional_text(value, "refresh_handle")?.map(RefreshHandle::new),
        })
    }

    /// Reads the sessionStorage form; never panics, whatever the input.
    pub fn decode(text: &str) -> Result<SessionRecord, SessionDecodeError> {
        let value: Value = crate::json::parse(text).map_err(|_| SessionDecodeError::Unreadable)?;
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .ok_or(SessionDecodeError::Unreadable)?;
        if version != u64::from(SESSION_VERSION) {
            return Err(SessionDecodeError::UnsupportedVersion(
                u32::try_from(version).unwrap_or(u32::MAX),
            ));
        }
        let record = SessionRecord::read(&value).map_err(|_| SessionDecodeError::Unreadable)?;
        if record.access_token.is_empty() {
            return Err(SessionDecodeError::Unreadable);
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Region;

    const NOW: u64 = 1_700_000_000_000;
    const ORG: &str = "1eb65fdf-9643-417f-9974-ad72cae0e10f";

    fn token() -> String {
        format!("ZDI3MGEyYzQtNmFlNS00NDNh_PF84_{ORG}")
    }

    fn response_json(token: &str) -> String {
        format!(
            r#"{{"access_token":"{token}","expires_in":1209599,"scope":"cjp:config_read spark:people_read",
               "token_type":"Bearer","refresh_token_expires_in":7775999,"refresh_handle":"sealed.handle","extra":1}}"#
        )
    }

    fn record() -> SessionRecord {
        let response = TokenResponse::from_json(&response_json(&token())).unwrap();
        SessionRecord::from_token_response(
            response,
            NOW,
            vec![
                "cjp:config_read".into(),
                "spark:people_read".into(),
                "cjp:user".into(),
            ],
            ApiBase::Region(Region::Eu1),
        )
    }

    #[test]
    fn builds_from_the_proxy_response() {
        let r = record();
        assert_eq!(r.version, 1);
        assert_eq!(r.access_token.secret(), token());
        assert_eq!(r.access_expires_at_ms, NOW + 1_209_599_000);
        assert_eq!(r.refresh_expires_at_ms, Some(NOW + 7_775_999_000));
        assert_eq!(r.granted_scopes, ["cjp:config_read", "spark:people_read"]);
        assert_eq!(r.org_id.as_deref(), Some(ORG));
        assert_eq!(r.ci_cluster.as_deref(), Some("PF84"));
        assert_eq!(r.org_source, Some(OrgSource::Token));
        assert_eq!(
            r.refresh_handle.as_ref().map(|h| h.secret()),
            Some("sealed.handle")
        );
        assert!(!r.needs_org_lookup());
    }

    #[test]
    fn falls_back_to_the_people_api_when_the_token_has_another_shape() {
        let response =
            TokenResponse::from_json(r#"{"access_token":"opaque","expires_in":60}"#).unwrap();
        let mut r = SessionRecord::from_token_response(
            response,
            NOW,
            vec!["a".into()],
            ApiBase::Region(Region::Us1),
        );
        assert!(r.needs_org_lookup());
        assert_eq!(r.granted_scopes, ["a"], "absent scope means as requested");
        assert_eq!(r.refresh_expires_at_ms, None);
        r.set_org_from_people_api(ORG.into());
        assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
        // A refresh with another opaque token keeps the people-API org and the old handle.
        r.refresh_handle = Some(RefreshHandle::new("h1"));
        r.apply_refresh(
            TokenResponse::from_json(r#"{"access_token":"opaque2","expires_in":60}"#).unwrap(),
            NOW + 1,
        );
        assert_eq!(r.org_id.as_deref(), Some(ORG));
        assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
        assert_eq!(r.refresh_handle.as_ref().unwrap().secret(), "h1");
        assert_eq!(r.access_expires_at_ms, NOW + 1 + 60_000);
    }

    #[test]
    fn bad_token_responses_are_rejected_without_echoing_them() {
        for body in [
            "",
            "{}",
            r#"{"access_token":"","expires_in":1}"#,
            r#"{"access_token":"tok-secret","expires_in":"soon"}"#,
            r#"{"access_token":"tok-secret","expires_in":1,"token_type":"mac"}"#,
        ] {
            let error = TokenResponse::from_json(body).unwrap_err();
            assert!(!format!("{error} {error:?}").contains("tok-secret"));
        }
    }

    #[test]
    fn round_trips_and_debug_is_redacted() {
        let r = record();
        let back = SessionRecord::decode(&r.encode()).unwrap();
        assert_eq!(back, r);
        let debug = format!("{r:?}");
        assert!(!debug.contains(&token()) && !debug.contains("sealed.handle"));
        assert!(r.encode().contains("\"region_or_api_base\":\"eu1\""));
    }

    #[test]
    fn reads_records_of_earlier_builds_and_rejects_wrong_types() {
        // As the serde-derived encoder of earlier builds wrote it (no access_issued_at_ms yet).
        let earlier = r#"{"version":1,"access_token":"tok","access_expires_at_ms":5,"refresh_expires_at_ms":null,
            "granted_scopes":["a"],"requested_scopes":["a","b"],"org_id":null,"ci_cluster":null,
            "org_source":"people_api","region_or_api_base":"http://127.0.0.1:9/api","refresh_handle":"h"}"#;
        let r = SessionRecord::decode(earlier).unwrap();
        assert_eq!(r.access_issued_at_ms, 0);
        assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
        assert_eq!(
            r.region_or_api_base,
            ApiBase::Explicit("http://127.0.0.1:9/api".into())
        );
        assert_eq!(r.refresh_handle.unwrap().secret(), "h");
        let encoded = record().encode();
        for (from, to) in [
            ("\"org_source\":\"token\"", "\"org_source\":\"nobody\""),
            ("\"ci_cluster\":\"PF84\"", "\"ci_cluster\":84"),
            ("\"granted_scopes\":[", "\"granted_scopes\":[1,"),
            (
                "\"region_or_api_base\":\"eu1\"",
                "\"region_or_api_base\":null",
            ),
            ("\"access_expires_at_ms\":", "\"access_expires_at_ms\":-"),
        ] {
            assert!(encoded.contains(from), "{from}");
            assert_eq!(
                SessionRecord::decode(&encoded.replace(from, to)),
                Err(SessionDecodeError::Unreadable),
                "{to}"
            );
        }
    }

    #[test]
    fn other_versions_and_garbage_are_reported_not_panicked() {
        let encoded = record().encode();
        assert_eq!(
            SessionRecord::decode(&encoded.replace("\"version\":1", "\"version\":2")),
            Err(SessionDecodeError::UnsupportedVersion(2))
        );
        assert_eq!(
            SessionRecord::decode(&encoded.replace("\"version\":1", "\"version\":99999999999")),
            Err(SessionDecodeError::UnsupportedVersion(u32::MAX))
        );
        for text in [
            "",
            "null",
            "{}",
            "[]",
            "\"x\"",
            "{\"version\":\"1\"}",
            "{\"version\":1}",
            "{\"version\":-1}",
        ] {
            assert_eq!(
                SessionRecord::decode(text),
                Err(SessionDecodeError::Unreadable),
                "{text}"
            );
        }
        let empty_token = encoded.replace(&token(), "");
        assert_eq!(
            SessionRecord::decode(&empty_token),
            Err(SessionDecodeError::Unreadable)
        );
        assert!(
            SessionDecodeError::UnsupportedVersion(2)
                .notice()
                .contains("Sign in again")
        );
    }

    /// Property-style: thousands of mangled records (truncations, byte flips, insertions, swaps)
    /// must decode to Ok or Err, never panic, and any Ok must re-encode consistently.
    #[test]
    fn mangled_inputs_never_panic() {
        let encoded = record().encode();
        let bytes = encoded.as_bytes();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let noise = b"{}[]\",:0123456789-.eE truefalsenull\\u00";
        let mut inputs: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
        for _ in 0..3000 {
            let mut mangled = bytes.to_vec();
            for _ in 0..(1 + next() % 4) {
                let at = (next() as usize) % mangled.len().max(1);
                match next() % 4 {
                    0 => mangled[at] = noise[(next() as usize) % noise.len()],
                    1 => mangled.insert(at, noise[(next() as usize) % noise.len()]),
                    2 => {
                        mangled.remove(at.min(mangled.len() - 1));
                    }
                    _ => mangled[at] ^= 1 << (next() % 8),
                }
                if mangled.is_empty() {
                    break;
                }
            }
            inputs.push(mangled);
        }
        let mut decoded = 0;
        for input in inputs {
            let text = String::from_utf8_lossy(&input);
            if let Ok(record) = SessionRecord::decode(&text) {
                decoded += 1;
                assert_eq!(
                    SessionRecord::decode(&record.encode()).as_ref(),
                    Ok(&record)
                );
            }
        }
        assert!(decoded < 3000, "most mangled inputs should be rejected");
    }

    #[test]
    fn refresh_margin_scales_with_the_token_lifetime() {
        let mut record = sample_for_margin();
        record.access_issued_at_ms = 1_000;
        record.access_expires_at_ms = 21_000; // 20 s token
        assert_eq!(record.refresh_margin_ms(), 4_000);
        record.access_expires_at_ms = 1_000 + 1_209_599_000; // Webex's 14 days
        assert_eq!(record.refresh_margin_ms(), 60_000);
        record.access_expires_at_ms = 2_000; // 1 s token
        assert_eq!(record.refresh_margin_ms(), 2_000);
    }

    fn sample_for_margin() -> SessionRecord {
        let response = TokenResponse::from_json(
            r#"{"access_token":"abc_P0A1_8f5e8a39-2a5e-4b2e-9f1e-1a2b3c4d5e6f","expires_in":20}"#,
        )
        .unwrap();
        SessionRecord::from_token_response(
            response,
            0,
            vec![],
            ApiBase::Region(crate::config::Region::Us1),
        )
    }
}
