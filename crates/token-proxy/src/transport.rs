//! The upstream token endpoint, I/O half: one form-encoded POST with redirects off, a timeout and a cap on
//! the answer size, held back while the identity service's last 429 says to wait.

use crate::upstream::{
    DEFAULT_HOLD_SECS, MAX_UPSTREAM_BODY_BYTES, TransportFailure, UpstreamGate, UpstreamReply,
    retry_after_secs,
};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;
use wxcc_core::secret::Secret;

#[derive(Debug, Clone)]
pub struct TokenEndpoint {
    http: reqwest::Client,
    url: Url,
    /// Shared by every request of the process (clones share it).
    gate: Arc<UpstreamGate>,
}

impl TokenEndpoint {
    pub fn new(url: Url, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            // A redirect would re-send the client secret somewhere nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("wxcc-token-proxy/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            url,
            gate: Arc::default(),
        })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub async fn post_form(&self, form: &Secret) -> Result<UpstreamReply, TransportFailure> {
        if let Err(retry_after) = self.gate.check(Instant::now()) {
            tracing::info!(
                retry_after,
                "token endpoint not called: it rate limited the proxy and asked it to wait"
            );
            return Err(TransportFailure::HeldBack { retry_after });
        }
        let reply = self.send(form).await?;
        if reply.status == 429 {
            let hold = retry_after_secs(&reply).unwrap_or(DEFAULT_HOLD_SECS);
            self.gate.close_for(hold, Instant::now());
        }
        Ok(reply)
    }

    async fn send(&self, form: &Secret) -> Result<UpstreamReply, TransportFailure> {
        let mut response = self
            .http
            .post(self.url.clone())
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(form.secret().to_owned())
            .send()
            .await
            .map_err(classify)?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let tracking_id_header = header("trackingid");
        let retry_after_header = header("retry-after");
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > MAX_UPSTREAM_BODY_BYTES {
                return Err(TransportFailure::BodyTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(UpstreamReply {
            status,
            body,
            tracking_id_header,
            retry_after_header,
        })
    }
}

fn classify(error: reqwest::Error) -> TransportFailure {
    // reqwest errors carry the endpoint URL but never the request body, so they are safe to log.
    tracing::warn!(
        timeout = error.is_timeout(),
        connect = error.is_connect(),
        "token endpoint call failed: {error}"
    );
    if error.is_timeout() {
        TransportFailure::Timeout
    } else {
        TransportFailure::Unreachable
    }
}
