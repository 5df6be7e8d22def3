//! The grant-flow log: what happened at each of the five steps of this sign-in, with timings.
//! It lives in sessionStorage because the flow spans a full-page redirect. Secrets are masked
//! before they are recorded.

use serde::{Deserialize, Serialize};

use crate::browser::{self, storage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Authorize,
    Consent,
    Redirect,
    Exchange,
    FirstApiCall,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Authorize,
        Step::Consent,
        Step::Redirect,
        Step::Exchange,
        Step::FirstApiCall,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Authorize => "1. Authorization request",
            Step::Consent => "2. Sign-in and consent at Webex",
            Step::Redirect => "3. Redirect back with a code",
            Step::Exchange => "4. Code exchange through the token proxy",
            Step::FirstApiCall => "5. First Contact Center API call",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            Step::Authorize => {
                "The app sends the browser to Webex with its client_id, redirect_uri, scopes, a one-time state and the PKCE code_challenge (SHA-256 of a verifier that never leaves this tab)."
            }
            Step::Consent => {
                "Webex signs the user in and asks them to accept the requested scopes. The app is not involved."
            }
            Step::Redirect => {
                "Webex redirects to the redirect_uri with a short-lived, single-use code and the state. The app checks the state and removes both from the address bar."
            }
            Step::Exchange => {
                "The app posts the code and the verifier to the token proxy, which adds the client secret and calls Webex's token endpoint. The refresh token stays with the proxy, sealed."
            }
            Step::FirstApiCall => {
                "The app calls the Contact Center API straight from the browser with the access token as a Bearer token."
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub step: Step,
    pub details: Vec<(String, String)>,
    pub at_ms: u64,
    /// Whole milliseconds: integers keep float formatting out of the wasm.
    pub duration_ms: Option<u64>,
    pub ok: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub entries: Vec<Entry>,
}

impl FlowLog {
    pub fn load() -> FlowLog {
        storage::get(super::auth::FLOW_KEY)
            .and_then(|text| wxcc_core::json::from_text(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) {
        if let Ok(text) = serde_json::to_string(self) {
            let _ = storage::set(super::auth::FLOW_KEY, &text);
        }
    }

    /// Records a step, replacing an earlier record of the same step.
    pub fn record(
        &mut self,
        step: Step,
        details: Vec<(String, String)>,
        duration_ms: Option<f64>,
        ok: bool,
    ) {
        self.entries.retain(|e| e.step != step);
        self.entries.push(Entry {
            step,
            details,
            at_ms: browser::now_ms(),
            duration_ms: duration_ms.map(|ms| ms.round() as u64),
            ok,
        });
    }

    pub fn get(&self, step: Step) -> Option<&Entry> {
        self.entries.iter().find(|e| e.step == step)
    }

    /// True while a sign-in has been logged but its first API call has not.
    pub fn awaiting_first_call(&self) -> bool {
        self.get(Step::Exchange).is_some_and(|e| e.ok) && self.get(Step::FirstApiCall).is_none()
    }
}
