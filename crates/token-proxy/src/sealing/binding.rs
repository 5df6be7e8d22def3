//! What ties a sealed value to the deployment that sealed it: the session mode, the client id, and
//! the allowed origins (or, when the operator sets one, a deployment id in their place). Staging and
//! production that share keys, or one deployment switched from cookie to handle mode, then refuse
//! each other's values instead of accepting them.

use crate::mode::SessionMode;
use sha2::{Digest, Sha256};

const LABEL: &[u8] = b"wxcc-token-proxy deployment";
pub(super) const TAG_LEN: usize = 4;

/// Which values of a deployment count as its own, besides its mode and client id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentScope<'a> {
    /// The allowed origins (their order does not matter): changing the list ends every session.
    Origins(&'a [String]),
    /// An operator-chosen id (`WXCC_PROXY_DEPLOYMENT_ID`): origins may change without ending
    /// sessions, and deployments must then be given different ids.
    Id(&'a str),
}

/// The binding every value is sealed under and checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentBinding {
    pub(super) mode: SessionMode,
    /// Over the client id and the scope; authenticated with every value.
    pub(super) digest: [u8; 32],
}

impl DeploymentBinding {
    pub fn new(mode: SessionMode, client_id: &str, scope: DeploymentScope<'_>) -> Self {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            // Length-prefixed, so no two field lists hash alike.
            hash.update((bytes.len() as u64).to_be_bytes());
            hash.update(bytes);
        };
        field(LABEL);
        field(client_id.as_bytes());
        match scope {
            DeploymentScope::Origins(origins) => {
                field(b"origins");
                let mut sorted: Vec<&String> = origins.iter().collect();
                sorted.sort();
                sorted.dedup();
                for origin in sorted {
                    field(origin.as_bytes());
                }
            }
            DeploymentScope::Id(id) => {
                field(b"deployment id");
                field(id.as_bytes());
            }
        }
        Self {
            mode,
            digest: hash.finalize().into(),
        }
    }

    pub fn mode(&self) -> SessionMode {
        self.mode
    }

    /// The mode as one header byte.
    pub(super) fn mode_byte(&self) -> u8 {
        mode_byte(self.mode)
    }

    /// A short, non-secret prefix of the digest, carried in the clear so the opener can tell a
    /// value of another deployment from a tampered one.
    pub(super) fn tag(&self) -> [u8; TAG_LEN] {
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&self.digest[..TAG_LEN]);
        tag
    }
}

pub(super) fn mode_byte(mode: SessionMode) -> u8 {
    match mode {
        SessionMode::Cookie => b'c',
        SessionMode::Handle => b'h',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_order_of_the_origins_does_not_matter_but_their_set_does() {
        let ab = origins(&["https://a.example", "https://b.example"]);
        let ba = origins(&["https://b.example", "https://a.example"]);
        let a = origins(&["https://a.example"]);
        let bind = |o: &[String]| {
            DeploymentBinding::new(SessionMode::Cookie, "client", DeploymentScope::Origins(o))
        };
        assert_eq!(bind(&ab), bind(&ba));
        assert_ne!(bind(&ab), bind(&a));
    }

    #[test]
    fn client_id_mode_and_deployment_id_each_change_the_binding() {
        let a = origins(&["https://a.example"]);
        let base = DeploymentBinding::new(SessionMode::Cookie, "one", DeploymentScope::Origins(&a));
        let other_client =
            DeploymentBinding::new(SessionMode::Cookie, "two", DeploymentScope::Origins(&a));
        let other_mode =
            DeploymentBinding::new(SessionMode::Handle, "one", DeploymentScope::Origins(&a));
        let by_id = DeploymentBinding::new(SessionMode::Cookie, "one", DeploymentScope::Id("prod"));
        let other_id =
            DeploymentBinding::new(SessionMode::Cookie, "one", DeploymentScope::Id("staging"));
        assert_ne!(base.digest, other_client.digest);
        assert_ne!(base, other_mode);
        assert_ne!(base.digest, by_id.digest);
        assert_ne!(by_id.digest, other_id.digest);
    }
}
