//! The Lambda host's secrets from AWS Secrets Manager: when `WXCC_PROXY_SECRET_ARN` names a secret,
//! the function reads it once at start-up (`GetSecretValue`, signed with the function's own
//! credentials, Signature Version 4) and takes the client secret and the sealing keys from it, so
//! neither is ever a plain environment value. The secret's text is JSON:
//! `{"client_secret": "...", "sealing_keys": "new,old"}`.

use crate::config;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wxcc_core::calendar::civil_from_days;
use wxcc_core::secret::Secret;

/// Names the secret (its ARN or name).
pub const SECRET_ARN: &str = "WXCC_PROXY_SECRET_ARN";
/// Names the secret the CDN adds as its origin-verify header: a plain string the stack generates, read
/// at start-up into `WXCC_PROXY_ORIGIN_SECRET` so its value is never a plain environment value.
pub const ORIGIN_SECRET_ARN: &str = "WXCC_PROXY_ORIGIN_SECRET_ARN";
/// The AWS SDKs' variable for another Secrets Manager endpoint (tests point it at loopback).
pub const ENDPOINT: &str = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
const TIMEOUT: Duration = Duration::from_secs(5);

/// Replaces `WXCC_PROXY_SECRET_ARN` in `env` by the two variables the secret holds. Does nothing
/// when the variable is not set. Errors name what is wrong, never a secret's value.
pub async fn resolve(env: &mut HashMap<String, String>) -> Result<(), String> {
    resolve_origin_secret(env).await?;
    let Some(secret_id) = env.get(SECRET_ARN).cloned() else {
        return Ok(());
    };
    for variable in [
        config::CLIENT_SECRET,
        config::CLIENT_SECRET_FILE,
        config::SEALING_KEYS,
    ] {
        if env.contains_key(variable) {
            return Err(format!(
                "{SECRET_ARN} and {variable} are both set: keep the secrets in one place"
            ));
        }
    }
    let text = get_secret_value(env, &secret_id).await?;
    let fields: HashMap<String, String> = serde_json::from_str(text.secret()).map_err(|_| {
        format!(
            "the secret {secret_id} is not a JSON object of strings \
             {{\"client_secret\": \"...\", \"sealing_keys\": \"...\"}}"
        )
    })?;
    for (field, variable) in [
        ("client_secret", config::CLIENT_SECRET),
        ("sealing_keys", config::SEALING_KEYS),
    ] {
        let value = fields
            .get(field)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the secret {secret_id} has no \"{field}\""))?;
        env.insert(variable.to_string(), value.clone());
    }
    env.remove(SECRET_ARN);
    Ok(())
}

/// Replaces `WXCC_PROXY_ORIGIN_SECRET_ARN` by `WXCC_PROXY_ORIGIN_SECRET`, the secret's whole text.
async fn resolve_origin_secret(env: &mut HashMap<String, String>) -> Result<(), String> {
    let Some(secret_id) = env.remove(ORIGIN_SECRET_ARN) else {
        return Ok(());
    };
    if env.contains_key(config::ORIGIN_SECRET) {
        return Err(format!(
            "{ORIGIN_SECRET_ARN} and {} are both set: keep the origin secret in one place",
            config::ORIGIN_SECRET
        ));
    }
    let text = get_secret_value(env, &secret_id).await?;
    if text.secret().trim().is_empty() {
        return Err(format!("the secret {secret_id} is empty"));
    }
    env.insert(
        config::ORIGIN_SECRET.to_string(),
        text.secret().trim().to_owned(),
    );
    Ok(())
}

/// `GetSecretValue`'s `SecretString`.
async fn get_secret_value(
    env: &HashMap<String, String>,
    secret_id: &str,
) -> Result<Secret, String> {
    let var = |name: &str| {
        env.get(name)
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| format!("{SECRET_ARN} is set but {name} is not (Lambda sets it)"))
    };
    let region = var("AWS_REGION")?;
    let credentials = Credentials {
        access_key_id: var("AWS_ACCESS_KEY_ID")?,
        secret_access_key: Secret::new(var("AWS_SECRET_ACCESS_KEY")?),
        session_token: env.get("AWS_SESSION_TOKEN").cloned(),
    };
    let endpoint = env
        .get(ENDPOINT)
        .cloned()
        .unwrap_or_else(|| format!("https://secretsmanager.{region}.amazonaws.com"));
    let url = url::Url::parse(&endpoint).map_err(|_| format!("{ENDPOINT} is not a URL"))?;
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => return Err(format!("{ENDPOINT} has no host")),
    };
    let body = serde_json::json!({"SecretId": secret_id}).to_string();
    let mut headers = vec![
        (
            "content-type".to_string(),
            "application/x-amz-json-1.1".to_string(),
        ),
        ("host".to_string(), host),
        ("x-amz-date".to_string(), amz_date(SystemTime::now())),
        (
            "x-amz-target".to_string(),
            "secretsmanager.GetSecretValue".to_string(),
        ),
    ];
    if let Some(token) = &credentials.session_token {
        headers.push(("x-amz-security-token".to_string(), token.clone()));
    }
    let authorization = authorization(
        &Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        },
        &credentials,
        &region,
        "secretsmanager",
    );
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the Secrets Manager client: {e}"))?;
    let mut request = client.post(url).body(body);
    for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request
        .header("authorization", authorization)
        .send()
        .await
        .map_err(|e| format!("Secrets Manager did not answer: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("Secrets Manager's answer could not be read: {e}"))?;
    let answer: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        format!("Secrets Manager answered {status} with something that is not JSON")
    })?;
    if !status.is_success() {
        // AWS's error type and message name the problem (no access, no such secret), not a value.
        return Err(format!(
            "Secrets Manager refused to read {secret_id}: {status} {} {}",
            answer["__type"].as_str().unwrap_or(""),
            answer["message"]
                .as_str()
                .or(answer["Message"].as_str())
                .unwrap_or("")
        ));
    }
    answer["SecretString"]
        .as_str()
        .map(|text| Secret::new(text.to_string()))
        .ok_or_else(|| format!("the secret {secret_id} has no SecretString (a binary secret?)"))
}

struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<String>,
}

/// What is signed: every header in `headers` (names lower-case) is signed.
struct Request<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a [(String, String)],
    body: &'a [u8],
}

/// The `Authorization` header of Signature Version 4 for `request` (which carries `x-amz-date`).
fn authorization(
    request: &Request,
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> String {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.sort();
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method,
        request.path,
        request.query,
        hex(&Sha256::digest(request.body))
    );
    let amz_date = headers
        .iter()
        .find(|(n, _)| n == "x-amz-date")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let date = &amz_date[..amz_date.len().min(8)];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_access_key.secret()).as_bytes(),
        date.as_bytes(),
    );
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
fn amz_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_credentials() -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            session_token: None,
        }
    }

    /// `get-vanilla` from AWS's Signature Version 4 test suite.
    #[test]
    fn signs_the_published_test_vector() {
        let headers = vec![
            ("Host".to_string(), "example.amazonaws.com".to_string()),
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
        ];
        let request = Request {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            authorization(&request, &example_credentials(), "us-east-1", "service"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn dates_are_utc_basic_format() {
        let at = |s: u64| amz_date(UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(1_440_938_160), "20150830T123600Z");
        assert_eq!(at(951_782_400), "20000229T000000Z");
        assert_eq!(at(0), "19700101T000000Z");
    }

    #[tokio::test]
    async fn without_the_variable_nothing_changes_and_with_plain_secrets_too_it_refuses() {
        let mut env = HashMap::from([(config::CLIENT_ID.to_string(), "c".to_string())]);
        resolve(&mut env).await.unwrap();
        assert_eq!(env.len(), 1);
        env.insert(SECRET_ARN.into(), "arn:aws:secretsmanager:x".into());
        env.insert(config::CLIENT_SECRET.into(), "plain".into());
        let error = resolve(&mut env).await.unwrap_err();
        assert!(
            error.contains("both set") && !error.contains("plain"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn an_origin_secret_set_both_ways_is_refused_without_showing_it() {
        let mut env = HashMap::from([
            (
                ORIGIN_SECRET_ARN.to_string(),
                "arn:aws:secretsmanager:x".to_string(),
            ),
            (
                config::ORIGIN_SECRET.to_string(),
                "plain-origin-secret".to_string(),
            ),
        ]);
        let error = resolve(&mut env).await.unwrap_err();
        assert!(
            error.contains("both set") && !error.contains("plain-origin-secret"),
            "{error}"
        );
    }
}
