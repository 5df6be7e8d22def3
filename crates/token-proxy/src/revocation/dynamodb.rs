//! The DynamoDB revocation store, for Lambda and for several server instances: one item per signed-out
//! session, `session_id` (the table's partition key, hex) and `expires_at` (the session's end, epoch
//! seconds), the attribute the table's TTL deletes by (`deploy/template.yaml` creates the table so).
//! TTL deletion lags (up to days), so a read also compares `expires_at` with now.
//!
//! The client is AWS's SDK, given the credentials and region of the environment the configuration read
//! (Lambda's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`) and,
//! for tests against a local DynamoDB, `AWS_ENDPOINT_URL_DYNAMODB`.

use super::{RevocationStore, StoreError, StoreFuture};
use crate::sealing::SessionId;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::AttributeValue;
use std::time::Duration;
use wxcc_core::secret::Secret;

pub const SESSION_ID_ATTRIBUTE: &str = "session_id";
pub const EXPIRES_AT_ATTRIBUTE: &str = "expires_at";
/// A sign-out or refresh waits at most this long for the table (retries included).
const OPERATION_TIMEOUT: Duration = Duration::from_secs(3);

/// Where the table is and how to sign for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamoDbSettings {
    pub table: String,
    pub region: String,
    /// Another endpoint (a local DynamoDB in tests); `None`: the region's.
    pub endpoint: Option<String>,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

#[derive(Debug)]
pub struct DynamoDb {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoDb {
    pub fn new(settings: &DynamoDbSettings) -> Self {
        let credentials = Credentials::new(
            &settings.access_key_id,
            settings.secret_access_key.secret(),
            settings
                .session_token
                .as_ref()
                .map(|token| token.secret().to_owned()),
            None,
            "environment",
        );
        let timeouts = aws_sdk_dynamodb::config::timeout::TimeoutConfig::builder()
            .operation_timeout(OPERATION_TIMEOUT)
            .build();
        let mut config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(settings.region.clone()))
            .credentials_provider(credentials)
            .timeout_config(timeouts);
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self {
            client: aws_sdk_dynamodb::Client::from_conf(config.build()),
            table: settings.table.clone(),
        }
    }

    /// The record's end as stored, for tests of the TTL attribute.
    pub async fn stored_end(&self, id: &SessionId) -> Result<Option<u64>, StoreError> {
        let item = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(SESSION_ID_ATTRIBUTE, AttributeValue::S(id.to_hex()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| failed("GetItem", &self.table, DisplayErrorContext(e)))?;
        let Some(item) = item.item else {
            return Ok(None);
        };
        match item.get(EXPIRES_AT_ATTRIBUTE) {
            Some(AttributeValue::N(seconds)) => seconds.parse().map(Some).map_err(|_| {
                StoreError(format!(
                    "the revocation table {} holds an item whose `{EXPIRES_AT_ATTRIBUTE}` is not a whole number",
                    self.table
                ))
            }),
            _ => Err(StoreError(format!(
                "the revocation table {} holds an item without a numeric `{EXPIRES_AT_ATTRIBUTE}`",
                self.table
            ))),
        }
    }
}

fn failed(operation: &str, table: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError(format!(
        "DynamoDB {operation} on the revocation table {table} failed ({error}); check the table, the \
         function's permissions and AWS_REGION"
    ))
}

impl RevocationStore for DynamoDb {
    fn revoke<'a>(&'a self, id: &'a SessionId, until: u64, _now: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.client
                .put_item()
                .table_name(&self.table)
                .item(SESSION_ID_ATTRIBUTE, AttributeValue::S(id.to_hex()))
                .item(EXPIRES_AT_ATTRIBUTE, AttributeValue::N(until.to_string()))
                .send()
                .await
                .map_err(|e| failed("PutItem", &self.table, DisplayErrorContext(e)))?;
            Ok(())
        })
    }

    fn is_revoked<'a>(&'a self, id: &'a SessionId, now: u64) -> StoreFuture<'a, bool> {
        Box::pin(async move { Ok(self.stored_end(id).await?.is_some_and(|end| end > now)) })
    }
}
