//! The grant-flow log: what happened at each of the five steps of a sign-in, with timings. The
//! SPA keeps it in sessionStorage because the flow spans a full-page redirect; secrets are masked
//! before they are recorded. Written and read by hand (see [`crate::model`] for why not serde).

use serde_json::Value;

use crate::json::{ObjectWriter, quote};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The name stored in sessionStorage.
    pub fn name(self) -> &'static str {
        match self {
            Step::Authorize => "Authorize",
            Step::Consent => "Consent",
            Step::Redirect => "Redirect",
            Step::Exchange => "Exchange",
            Step::FirstApiCall => "FirstApiCall",
        }
    }

    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }

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

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub step: Step,
    pub details: Vec<(String, String)>,
    /// Whole milliseconds: integers keep float formatting out of the wasm.
    pub duration_ms: Option<u64>,
    pub ok: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowLog {
    pub entries: Vec<Entry>,
}

impl FlowLog {
    /// Records a step, replacing an earlier record of the same step. `details` are borrowed
    /// (label, value) pairs, so callers can list literals and masked values side by side.
    pub fn record(
        &mut self,
        step: Step,
        details: &[(&str, &str)],
        duration_ms: Option<f64>,
        ok: bool,
    ) {
        self.entries.retain(|e| e.step != step);
        self.entries.push(Entry {
            step,
            details: details
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            duration_ms: duration_ms.map(|ms| ms.max(0.0).round() as u64),
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

    /// `{"entries":[{"step":"Authorize","details":[["k","v"]],"duration_ms":12,"ok":true}]}`
    pub fn to_json(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                let details: Vec<String> = e
                    .details
                    .iter()
                    .map(|(k, v)| format!("[{},{}]", quote(k), quote(v)))
                    .collect();
                ObjectWriter::default()
                    .text("step", e.step.name())
                    .json("details", &format!("[{}]", details.join(",")))
                    .optional_number("duration_ms", e.duration_ms)
                    .boolean("ok", e.ok)
                    .finish()
            })
            .collect();
        ObjectWriter::default()
            .json("entries", &format!("[{}]", entries.join(",")))
            .finish()
    }

    /// Reads what [`FlowLog::to_json`] wrote; entries it cannot read are left out.
    pub fn from_json(text: &str) -> Option<FlowLog> {
        let value: Value = crate::json::parse(text).ok()?;
        let entries = value.get("entries")?.as_array()?;
        Some(FlowLog {
            entries: entries.iter().filter_map(read_entry).collect(),
        })
    }
}

fn read_entry(value: &Value) -> Option<Entry> {
    let step = Step::from_name(value.get("step")?.as_str()?)?;
    let details = value
        .get("details")
        .and_then(Value::as_array)
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|pair| match pair.as_array()?.as_slice() {
                    [k, v] => Some((k.as_str()?.to_string(), v.as_str()?.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Entry {
        step,
        details,
        duration_ms: value.get("duration_ms").and_then(Value::as_u64),
        ok: value.get("ok").and_then(Value::as_bool).unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FlowLog {
        let mut log = FlowLog::default();
        log.record(
            Step::Authorize,
            &[("GET", "https://x/authorize"), ("quote\"", "é\n")],
            None,
            true,
        );
        log.record(Step::Exchange, &[], Some(12.6), true);
        log
    }

    #[test]
    fn round_trips_through_its_json() {
        let log = sample();
        assert_eq!(FlowLog::from_json(&log.to_json()), Some(log.clone()));
        assert_eq!(log.get(Step::Exchange).unwrap().duration_ms, Some(13));
        assert_eq!(
            FlowLog::from_json(&FlowLog::default().to_json()),
            Some(FlowLog::default())
        );
    }

    #[test]
    fn recording_a_step_again_replaces_it() {
        let mut log = sample();
        log.record(Step::Exchange, &[], None, false);
        assert_eq!(log.entries.len(), 2);
        assert!(!log.get(Step::Exchange).unwrap().ok);
    }

    #[test]
    fn awaiting_first_call_after_a_good_exchange_only() {
        let mut log = sample();
        assert!(log.awaiting_first_call());
        log.record(Step::FirstApiCall, &[], Some(5.0), true);
        assert!(!log.awaiting_first_call());
        let mut failed = FlowLog::default();
        failed.record(Step::Exchange, &[], None, false);
        assert!(!failed.awaiting_first_call());
    }

    #[test]
    fn reads_the_previous_serde_format_and_skips_what_it_cannot_read() {
        // Written by the serde-derived version (with `at_ms` and float durations).
        let old = r#"{"entries":[{"step":"Consent","details":[["result","accepted"]],"at_ms":1,"duration_ms":3000.5,"ok":true},
            {"step":"Nope","details":[],"ok":true},{"details":[]},
            {"step":"Redirect","details":[["only one"],["k", 1],["a","b"]],"duration_ms":-1,"ok":"yes"}]}"#;
        let log = FlowLog::from_json(old).unwrap();
        assert_eq!(log.entries.len(), 2);
        assert_eq!(
            log.entries[0].details,
            vec![("result".to_string(), "accepted".to_string())]
        );
        assert_eq!(
            log.entries[0].duration_ms, None,
            "a fraction is not a whole-millisecond count"
        );
        assert_eq!(
            log.entries[1].details,
            vec![("a".to_string(), "b".to_string())]
        );
        assert!(!log.entries[1].ok);
        assert_eq!(FlowLog::from_json("not json"), None);
        assert_eq!(FlowLog::from_json(r#"{"entries":{}}"#), None);
    }

    #[test]
    fn every_step_has_a_name_that_reads_back() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.name()), Some(step));
        }
        assert_eq!(Step::from_name("authorize"), None);
    }
}
