//! The signed-in session as kept in sessionStorage: a typed, versioned record that decodes
//! without ever panicking, built from the token proxy's answer ([`TokenResponse`], defined with
//! the rest of the wire contract in [`crate::proxy_protocol`]).
//!
//! The record is read and written field by field through [`crate::json`] rather than derived serde
//! impls (see [`crate::model`] for why); the readers are as strict as serde was: a wrongly typed
//! field rejects the whole record.

use crate::config::ApiBase;
use crate::expiry::Expiry;
use crate::json::{
    ObjectWriter, WrongType, optional_flag, optional_number, optional_text, required_number,
    required_text, text_list,
};
/// The token answer a session is built from is part of the proxy's wire contract.
pub use crate::proxy_protocol::{TokenResponse, TokenResponseError};
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
    /// When the proxy ends this sign-in whatever happens (its absolute lifetime); `None` when the
    /// proxy does not say.
    pub session_expires_at_ms: Option<u64>,
    /// The sign-in outlives the browser session ("Keep me signed in on this device").
    pub session_persistent: bool,
    /// Handle mode: the RFC 7638 thumbprint of the browser key the handle is bound to (the key
    /// itself stays in IndexedDB, non-extractable). Not a secret: a hash of a public key.
    pub key_thumbprint: Option<String>,
    /// Whether the token response listed the granted scopes. Webex's often does not: the granted
    /// scopes are then assumed to be the requested ones, and the API's answer decides.
    pub scopes_reported: bool,
}

/// What every tab says when the session's absolute end comes. `at` is the end as the browser's
/// locale writes a time of day (e.g. `20:00` or `8:00 PM`).
pub fn ended_notice(at: &str) -> String {
    format!("Your session ended at {at} — sign in again.")
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
            session_expires_at_ms: None,
            session_persistent: false,
            scopes_reported: false,
            key_thumbprint: None,
        };
        record.apply_refresh(response, now_ms);
        record
    }

    /// Takes in a refreshed token. Keeps the previous handle if the proxy did not rotate it, and
    /// a people-API orgId if the new token does not carry one.
    pub fn apply_refresh(&mut self, response: TokenResponse, now_ms: u64) {
        self.scopes_reported = response.scope.is_some();
        self.granted_scopes = match &response.scope {
            Some(scope) => split_scopes(scope),
            None => self.requested_scopes.clone(),
        };
        if let Some(secs) = response.session_expires_in {
            self.session_expires_at_ms = Some(Expiry::from_expires_in(secs, now_ms).at_ms);
        }
        if let Some(persistent) = response.session_persistent {
            self.session_persistent = persistent;
        }
        self.access_issued_at_ms = now_ms;
        // The token is of no use past the session's end, whatever Webex says about its lifetime.
        let token_expiry = Expiry::from_expires_in(response.expires_in, now_ms).at_ms;
        self.access_expires_at_ms = match self.session_expires_at_ms {
            Some(end) => token_expiry.min(end),
            None => token_expiry,
        };
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

    /// When the proxy ends the sign-in whatever happens, if it says.
    pub fn session_expiry(&self) -> Option<Expiry> {
        self.session_expires_at_ms.map(|at_ms| Expiry { at_ms })
    }

    /// Whether the session's absolute end has come: the tab signs out, and its token is used no
    /// more (a refresh could not extend it).
    pub fn has_ended(&self, now_ms: u64) -> bool {
        self.session_expiry()
            .is_some_and(|end| end.is_expired(now_ms))
    }

    /// Whether to refresh now: the access token is within its margin of expiry and expires before
    /// the session ends (a token that lasts to the end is not refreshed: the end comes first).
    pub fn refresh_due(&self, now_ms: u64) -> bool {
        let outlives_token = self
            .session_expires_at_ms
            .is_none_or(|end| end > self.access_expires_at_ms);
        outlives_token
            && self
                .access_expiry()
                .refresh_due(now_ms, self.refresh_margin_ms())
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
            .optional_number("session_expires_at_ms", self.session_expires_at_ms)
            .boolean("session_persistent", self.session_persistent)
            .boolean("scopes_reported", self.scopes_reported)
            .optional_text("key_thumbprint", self.key_thumbprint.as_deref())
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
            session_expires_at_ms: optional_number(value, "session_expires_at_ms")?,
            // Absent in records of older builds: a browser session whose scopes were reported.
            session_persistent: optional_flag(value, "session_persistent")?.unwrap_or(false),
            scopes_reported: optional_flag(value, "scopes_reported")?.unwrap_or(true),
            key_thumbprint: optional_text(value, "key_thumbprint")?,
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
mod tests;
