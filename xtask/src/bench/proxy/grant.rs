//! The sign-ins the proxy bench needs, driven over HTTP like a browser: a refresh token from the
//! sandbox directly and a refresh handle from the proxy, each replayed by the load rounds.

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::REDIRECT_URI;
use super::load::Target;
use crate::services::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use crate::util::Result;

const VERIFIER: &str = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
const SCOPES: &str = "cjp:config_read spark:people_read";

/// `/refresh` through the proxy and the sandbox's token endpoint called directly, each with a
/// credential of its own (two separate sign-ins).
pub async fn targets(identity: &str, proxy_url: &str) -> Result<(Target, Target)> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let code = authorization_code(&http, identity).await?;
    let token_url = format!("{identity}/v1/access_token");
    let response = http
        .post(&token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
        ])
        .send()
        .await
        .map_err(|e| format!("the sandbox's token endpoint did not answer: {e}"))?;
    let refresh_token = json_field(response, "refresh_token", "the direct code exchange").await?;

    let code = authorization_code(&http, identity).await?;
    let body = json!({"code": code, "code_verifier": VERIFIER}).to_string();
    let response = Target::Proxy {
        url: format!("{proxy_url}/token"),
        body,
    }
    .request(&http)
    .send()
    .await
    .map_err(|e| format!("the token proxy did not answer /token: {e}"))?;
    let handle = json_field(
        response,
        "refresh_handle",
        "the code exchange through the proxy",
    )
    .await?;

    let proxy = Target::Proxy {
        url: format!("{proxy_url}/refresh"),
        body: json!({"refresh_handle": handle}).to_string(),
    };
    let direct = Target::Direct {
        url: token_url,
        form: vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh_token),
            ("client_id", DEMO_CLIENT_ID.into()),
            ("client_secret", DEMO_CLIENT_SECRET.into()),
        ],
    };
    Ok((proxy, direct))
}

/// One authorization code from the sandbox's consent form.
async fn authorization_code(http: &reqwest::Client, identity: &str) -> Result<String> {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(VERIFIER.as_bytes()));
    let page = http
        .get(format!("{identity}/v1/authorize"))
        .query(&[
            ("client_id", DEMO_CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("scope", SCOPES),
            ("state", "bench-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .map_err(|e| format!("the sandbox's authorize page did not answer: {e}"))?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the sandbox's consent page has no txn field (has its form changed?)")?;
    let decision = http
        .post(format!("{identity}/v1/authorize/decision"))
        .form(&[("txn", txn), ("user", "admin"), ("decision", "accept")])
        .send()
        .await
        .map_err(|e| format!("the consent form was not accepted: {e}"))?;
    let location = decision
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            format!(
                "the consent answer ({}) did not redirect with a code",
                decision.status()
            )
        })?;
    code_of(location).ok_or_else(|| "the consent redirect carries no code".into())
}

/// The `code` query parameter of the consent redirect.
fn code_of(redirect: &str) -> Option<String> {
    let url = reqwest::Url::parse(redirect).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == "code")
        .map(|(_, value)| value.into_owned())
}

async fn json_field(response: reqwest::Response, field: &str, what: &str) -> Result<String> {
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match value[field].as_str() {
        Some(v) if status.is_success() => Ok(v.to_string()),
        // The error body names a code, never a token.
        _ => Err(format!(
            "{what} failed ({status}): {}",
            value["error"].as_str().unwrap_or("no error code")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_in_the_redirect() {
        assert_eq!(
            code_of("http://x/callback?code=abc_P0A1_1&state=s").as_deref(),
            Some("abc_P0A1_1")
        );
        assert_eq!(code_of("http://x/callback?error=access_denied"), None);
    }
}
