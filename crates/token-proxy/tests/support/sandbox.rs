//! The local Webex sandbox (`wxcc-sandbox`) as the identity service: started on loopback, and its
//! consent form driven like a browser for an authorization code.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use wxcc_sandbox::{DEMO_SCOPES, RunningSandbox, SandboxConfig};

/// The client `SandboxConfig::demo` registers.
pub const DEMO_CLIENT_ID: &str = "wxcc-demo-client";
pub const DEMO_CLIENT_SECRET: &str = "wxcc-demo-secret";

/// The sandbox with its demo client, for a console at `origin` signing in at `redirect_uri`.
pub async fn start(origin: &str, redirect_uri: &str) -> RunningSandbox {
    let loopback = "127.0.0.1:0".parse().unwrap();
    wxcc_sandbox::spawn(
        SandboxConfig::demo(origin, redirect_uri),
        loopback,
        loopback,
    )
    .await
    .unwrap()
}

/// Drives the sandbox's authorize page and consent form (the admin accepts) like a browser would:
/// the code the redirect to `redirect_uri` carries, redeemable with `verifier`.
pub async fn authorization_code(identity_url: &str, redirect_uri: &str, verifier: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut authorize = url::Url::parse(&format!("{identity_url}/v1/authorize")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("client_id", DEMO_CLIENT_ID)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", &DEMO_SCOPES.join(" "))
        .append_pair("state", "test-state")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let page = http.get(authorize).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the consent form carries a txn")
        .to_owned();
    let decision = http
        .post(format!("{identity_url}/v1/authorize/decision"))
        .form(&[
            ("txn", txn.as_str()),
            ("user", "admin"),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert!(decision.status().is_redirection(), "{}", decision.status());
    let location = decision.headers()["location"].to_str().unwrap();
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("the redirect carries a code")
}
