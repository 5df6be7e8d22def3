//! Which revocation store sign-outs go to: `memory` (one standalone server) or `dynamodb` (Lambda,
//! several instances), and for DynamoDB the table, region, credentials and endpoint from the
//! environment the AWS SDKs read.

use super::{ConfigError, error};
use crate::revocation::{DynamoDbSettings, StoreChoice};
use wxcc_core::secret::Secret;

pub const REVOCATION_STORE: &str = "WXCC_PROXY_REVOCATION_STORE";
pub const REVOCATION_TABLE: &str = "WXCC_PROXY_REVOCATION_TABLE";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// The AWS SDKs' variable for another DynamoDB endpoint (tests point it at a local server).
pub const DYNAMODB_ENDPOINT: &str = "AWS_ENDPOINT_URL_DYNAMODB";

/// The variables read here, for the list the environment is filtered by.
pub(super) const VARIABLES: &[&str] = &[
    REVOCATION_STORE,
    REVOCATION_TABLE,
    AWS_REGION,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    DYNAMODB_ENDPOINT,
];

/// Reads the store's variables through `get` (trimmed, `None` when unset or blank).
pub(super) fn parse_revocation_store(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<StoreChoice, ConfigError> {
    match get(REVOCATION_STORE).as_deref() {
        None | Some("memory") => Ok(StoreChoice::InProcess),
        Some("dynamodb") => {
            let require = |name: &'static str, what: &str| {
                get(name).ok_or_else(|| {
                    error(
                        name,
                        format!("is not set; the DynamoDB revocation store needs {what}"),
                    )
                })
            };
            let table = require(REVOCATION_TABLE, "the table's name (the stack creates it)")?;
            let region = require(AWS_REGION, "the table's region (Lambda sets it)")?;
            let access_key_id = require(AWS_ACCESS_KEY_ID, "credentials (Lambda sets them)")?;
            let secret_access_key = Secret::new(require(
                AWS_SECRET_ACCESS_KEY,
                "credentials (Lambda sets them)",
            )?);
            let endpoint = get(DYNAMODB_ENDPOINT);
            if let Some(endpoint) = &endpoint {
                super::parse::parse_web_url(DYNAMODB_ENDPOINT, endpoint)?;
            }
            Ok(StoreChoice::DynamoDb(DynamoDbSettings {
                table,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                session_token: get(AWS_SESSION_TOKEN).map(Secret::new),
            }))
        }
        Some(_) => Err(error(
            REVOCATION_STORE,
            "must be `memory` (one standalone server) or `dynamodb` (Lambda, several instances)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<StoreChoice, ConfigError> {
        let values: HashMap<&str, &str> = pairs.iter().copied().collect();
        parse_revocation_store(&|name| values.get(name).map(|v| (*v).to_owned()))
    }

    #[test]
    fn memory_is_the_default_and_dynamodb_needs_its_table_region_and_credentials() {
        assert_eq!(parse(&[]), Ok(StoreChoice::InProcess));
        assert_eq!(
            parse(&[(REVOCATION_STORE, "memory")]),
            Ok(StoreChoice::InProcess)
        );
        let full = [
            (REVOCATION_STORE, "dynamodb"),
            (REVOCATION_TABLE, "revoked"),
            (AWS_REGION, "eu-west-1"),
            (AWS_ACCESS_KEY_ID, "AKID"),
            (AWS_SECRET_ACCESS_KEY, "SECRET-KEY-VALUE"),
            (DYNAMODB_ENDPOINT, "http://127.0.0.1:5000"),
        ];
        let Ok(StoreChoice::DynamoDb(settings)) = parse(&full) else {
            panic!("dynamodb expected");
        };
        assert_eq!(settings.table, "revoked");
        assert_eq!(settings.endpoint.as_deref(), Some("http://127.0.0.1:5000"));
        assert!(!format!("{settings:?}").contains("SECRET-KEY-VALUE"));
        for missing in [
            REVOCATION_TABLE,
            AWS_REGION,
            AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY,
        ] {
            let without: Vec<_> = full
                .iter()
                .copied()
                .filter(|(n, _)| *n != missing)
                .collect();
            assert_eq!(parse(&without).unwrap_err().variable, missing);
        }
        assert_eq!(
            parse(&[(REVOCATION_STORE, "redis")]).unwrap_err().variable,
            REVOCATION_STORE
        );
    }
}
