//! Tests of the session record and the token response.
use super::*;
use crate::config::Region;

const NOW: u64 = 1_700_000_000_000;
const ORG: &str = "1eb65fdf-9643-417f-9974-ad72cae0e10f";

fn token() -> String {
    format!("ZDI3MGEyYzQtNmFlNS00NDNh_PF84_{ORG}")
}

fn response_json(token: &str) -> String {
    format!(
        r#"{{"access_token":"{token}","expires_in":1209599,"scope":"cjp:config_read spark:people_read",
           "token_type":"Bearer","refresh_token_expires_in":7775999,"refresh_handle":"sealed.handle","extra":1}}"#
    )
}

fn record() -> SessionRecord {
    let response = TokenResponse::from_json(&response_json(&token())).unwrap();
    SessionRecord::from_token_response(
        response,
        NOW,
        vec![
            "cjp:config_read".into(),
            "spark:people_read".into(),
            "cjp:user".into(),
        ],
        ApiBase::Region(Region::Eu1),
    )
}

#[test]
fn builds_from_the_proxy_response() {
    let r = record();
    assert_eq!(r.version, 1);
    assert_eq!(r.access_token.secret(), token());
    assert_eq!(r.access_expires_at_ms, NOW + 1_209_599_000);
    assert_eq!(r.refresh_expires_at_ms, Some(NOW + 7_775_999_000));
    assert_eq!(r.granted_scopes, ["cjp:config_read", "spark:people_read"]);
    assert_eq!(r.org_id.as_deref(), Some(ORG));
    assert_eq!(r.ci_cluster.as_deref(), Some("PF84"));
    assert_eq!(r.org_source, Some(OrgSource::Token));
    assert_eq!(
        r.refresh_handle.as_ref().map(|h| h.secret()),
        Some("sealed.handle")
    );
    assert!(!r.needs_org_lookup());
}

#[test]
fn falls_back_to_the_people_api_when_the_token_has_another_shape() {
    let response =
        TokenResponse::from_json(r#"{"access_token":"opaque","expires_in":60}"#).unwrap();
    let mut r = SessionRecord::from_token_response(
        response,
        NOW,
        vec!["a".into()],
        ApiBase::Region(Region::Us1),
    );
    assert!(r.needs_org_lookup());
    assert_eq!(r.granted_scopes, ["a"], "absent scope means as requested");
    assert_eq!(r.refresh_expires_at_ms, None);
    r.set_org_from_people_api(ORG.into());
    assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
    // A refresh with another opaque token keeps the people-API org and the old handle.
    r.refresh_handle = Some(RefreshHandle::new("h1"));
    r.apply_refresh(
        TokenResponse::from_json(r#"{"access_token":"opaque2","expires_in":60}"#).unwrap(),
        NOW + 1,
    );
    assert_eq!(r.org_id.as_deref(), Some(ORG));
    assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
    assert_eq!(r.refresh_handle.as_ref().unwrap().secret(), "h1");
    assert_eq!(r.access_expires_at_ms, NOW + 1 + 60_000);
}

#[test]
fn bad_token_responses_are_rejected_without_echoing_them() {
    for body in [
        "",
        "{}",
        r#"{"access_token":"","expires_in":1}"#,
        r#"{"access_token":"tok-secret","expires_in":"soon"}"#,
        r#"{"access_token":"tok-secret","expires_in":1,"token_type":"mac"}"#,
    ] {
        let error = TokenResponse::from_json(body).unwrap_err();
        assert!(!format!("{error} {error:?}").contains("tok-secret"));
    }
}

#[test]
fn round_trips_and_debug_is_redacted() {
    let r = record();
    let back = SessionRecord::decode(&r.encode()).unwrap();
    assert_eq!(back, r);
    let debug = format!("{r:?}");
    assert!(!debug.contains(&token()) && !debug.contains("sealed.handle"));
    assert!(r.encode().contains("\"region_or_api_base\":\"eu1\""));
}

#[test]
fn reads_records_of_earlier_builds_and_rejects_wrong_types() {
    // As the serde-derived encoder of earlier builds wrote it (no access_issued_at_ms yet).
    let earlier = r#"{"version":1,"access_token":"tok","access_expires_at_ms":5,"refresh_expires_at_ms":null,
        "granted_scopes":["a"],"requested_scopes":["a","b"],"org_id":null,"ci_cluster":null,
        "org_source":"people_api","region_or_api_base":"http://127.0.0.1:9/api","refresh_handle":"h"}"#;
    let r = SessionRecord::decode(earlier).unwrap();
    assert_eq!(r.access_issued_at_ms, 0);
    assert_eq!(r.org_source, Some(OrgSource::PeopleApi));
    assert_eq!(
        r.region_or_api_base,
        ApiBase::Explicit("http://127.0.0.1:9/api".into())
    );
    assert_eq!(r.refresh_handle.unwrap().secret(), "h");
    assert_eq!(r.session_expires_at_ms, None);
    assert!(!r.session_persistent && r.scopes_reported);
    let encoded = record().encode();
    for (from, to) in [
        ("\"org_source\":\"token\"", "\"org_source\":\"nobody\""),
        ("\"ci_cluster\":\"PF84\"", "\"ci_cluster\":84"),
        ("\"granted_scopes\":[", "\"granted_scopes\":[1,"),
        (
            "\"region_or_api_base\":\"eu1\"",
            "\"region_or_api_base\":null",
        ),
        ("\"access_expires_at_ms\":", "\"access_expires_at_ms\":-"),
        (
            "\"session_persistent\":false",
            "\"session_persistent\":\"no\"",
        ),
        ("\"scopes_reported\":true", "\"scopes_reported\":1"),
    ] {
        assert!(encoded.contains(from), "{from}");
        assert_eq!(
            SessionRecord::decode(&encoded.replace(from, to)),
            Err(SessionDecodeError::Unreadable),
            "{to}"
        );
    }
}

#[test]
fn other_versions_and_garbage_are_reported_not_panicked() {
    let encoded = record().encode();
    assert_eq!(
        SessionRecord::decode(&encoded.replace("\"version\":1", "\"version\":2")),
        Err(SessionDecodeError::UnsupportedVersion(2))
    );
    assert_eq!(
        SessionRecord::decode(&encoded.replace("\"version\":1", "\"version\":99999999999")),
        Err(SessionDecodeError::UnsupportedVersion(u32::MAX))
    );
    for text in [
        "",
        "null",
        "{}",
        "[]",
        "\"x\"",
        "{\"version\":\"1\"}",
        "{\"version\":1}",
        "{\"version\":-1}",
    ] {
        assert_eq!(
            SessionRecord::decode(text),
            Err(SessionDecodeError::Unreadable),
            "{text}"
        );
    }
    let empty_token = encoded.replace(&token(), "");
    assert_eq!(
        SessionRecord::decode(&empty_token),
        Err(SessionDecodeError::Unreadable)
    );
    assert!(
        SessionDecodeError::UnsupportedVersion(2)
            .notice()
            .contains("Sign in again")
    );
}

/// Property-style: thousands of mangled records (truncations, byte flips, insertions, swaps)
/// must decode to Ok or Err, never panic, and any Ok must re-encode consistently.
#[test]
fn mangled_inputs_never_panic() {
    let encoded = record().encode();
    let bytes = encoded.as_bytes();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let noise = b"{}[]\",:0123456789-.eE truefalsenull\\u00";
    let mut inputs: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
    for _ in 0..3000 {
        let mut mangled = bytes.to_vec();
        for _ in 0..(1 + next() % 4) {
            let at = (next() as usize) % mangled.len().max(1);
            match next() % 4 {
                0 => mangled[at] = noise[(next() as usize) % noise.len()],
                1 => mangled.insert(at, noise[(next() as usize) % noise.len()]),
                2 => {
                    mangled.remove(at.min(mangled.len() - 1));
                }
                _ => mangled[at] ^= 1 << (next() % 8),
            }
            if mangled.is_empty() {
                break;
            }
        }
        inputs.push(mangled);
    }
    let mut decoded = 0;
    for input in inputs {
        let text = String::from_utf8_lossy(&input);
        if let Ok(record) = SessionRecord::decode(&text) {
            decoded += 1;
            assert_eq!(
                SessionRecord::decode(&record.encode()).as_ref(),
                Ok(&record)
            );
        }
    }
    assert!(decoded < 3000, "most mangled inputs should be rejected");
}

#[test]
fn refresh_margin_scales_with_the_token_lifetime() {
    let mut record = sample_for_margin();
    record.access_issued_at_ms = 1_000;
    record.access_expires_at_ms = 21_000; // 20 s token
    assert_eq!(record.refresh_margin_ms(), 4_000);
    record.access_expires_at_ms = 1_000 + 1_209_599_000; // Webex's 14 days
    assert_eq!(record.refresh_margin_ms(), 60_000);
    record.access_expires_at_ms = 2_000; // 1 s token
    assert_eq!(record.refresh_margin_ms(), 2_000);
}

fn sample_for_margin() -> SessionRecord {
    let response = TokenResponse::from_json(
        r#"{"access_token":"abc_P0A1_8f5e8a39-2a5e-4b2e-9f1e-1a2b3c4d5e6f","expires_in":20}"#,
    )
    .unwrap();
    SessionRecord::from_token_response(
        response,
        0,
        vec![],
        ApiBase::Region(crate::config::Region::Us1),
    )
}

#[test]
fn the_proxys_session_lifetime_and_kind_are_kept_across_refreshes() {
    let first = TokenResponse::from_json(&format!(
        r#"{{"access_token":"{}","expires_in":60,"session_expires_in":43200,"session_persistent":true}}"#,
        token()
    ))
    .unwrap();
    let mut r = SessionRecord::from_token_response(
        first,
        NOW,
        vec!["a".into()],
        ApiBase::Region(Region::Us1),
    );
    assert_eq!(r.session_expires_at_ms, Some(NOW + 43_200_000));
    assert!(r.session_persistent);
    // A refresh from a proxy that does not say keeps what the sign-in said.
    let plain = TokenResponse::from_json(&response_json(&token())).unwrap();
    r.apply_refresh(plain, NOW + 1_000);
    assert_eq!(r.session_expiry().map(|e| e.at_ms), Some(NOW + 43_200_000));
    assert!(r.session_persistent);
    let back = SessionRecord::decode(&r.encode()).unwrap();
    assert_eq!(back, r);
    let wrong = r#"{"access_token":"t","expires_in":1,"session_persistent":"yes"}"#;
    assert!(TokenResponse::from_json(wrong).is_err());
}

#[test]
fn scopes_not_reported_are_assumed_as_requested_and_flagged() {
    let response = TokenResponse::from_json(&format!(
        r#"{{"access_token":"{}","expires_in":60}}"#,
        token()
    ))
    .unwrap();
    let requested = vec!["cjp:config_read".to_string()];
    let r = SessionRecord::from_token_response(
        response,
        NOW,
        requested.clone(),
        ApiBase::Region(Region::Us1),
    );
    assert!(!r.scopes_reported);
    assert_eq!(r.granted_scopes, requested);
    let empty = TokenResponse::from_json(&format!(
        r#"{{"access_token":"{}","expires_in":60,"scope":" "}}"#,
        token()
    ))
    .unwrap();
    assert_eq!(
        empty.scope, None,
        "an empty scope is not a report of no scopes"
    );
    let reported = TokenResponse::from_json(&response_json(&token())).unwrap();
    let r =
        SessionRecord::from_token_response(reported, NOW, requested, ApiBase::Region(Region::Us1));
    assert!(r.scopes_reported);
}

fn session_ending_in(session_secs: u64, token_secs: u64) -> SessionRecord {
    let response = TokenResponse::from_json(&format!(
        r#"{{"access_token":"{}","expires_in":{token_secs},"session_expires_in":{session_secs}}}"#,
        token()
    ))
    .unwrap();
    SessionRecord::from_token_response(response, NOW, vec![], ApiBase::Region(Region::Us1))
}

#[test]
fn a_token_that_outlives_the_session_is_cut_at_its_end() {
    // Webex's 14-day token in a 20-second session.
    let r = session_ending_in(20, 1_209_599);
    assert_eq!(r.access_expires_at_ms, NOW + 20_000);
    assert!(!r.has_ended(NOW + 19_999));
    assert!(r.has_ended(NOW + 20_000));
    // Lasting to the end, it is never refreshed: the end comes first.
    assert!(!r.refresh_due(NOW + 19_999));
    assert!(!r.refresh_due(NOW + 25_000));
}

#[test]
fn a_token_that_expires_before_the_session_end_is_refreshed_inside_its_margin() {
    let r = session_ending_in(43_200, 20);
    assert_eq!(r.access_expires_at_ms, NOW + 20_000);
    assert!(!r.refresh_due(NOW + 15_999));
    assert!(r.refresh_due(NOW + 16_000));
    assert!(!r.has_ended(NOW + 16_000));
    // Without a stated end the session never ends here (the proxy's refusal ends it).
    let mut open = r.clone();
    open.session_expires_at_ms = None;
    assert!(!open.has_ended(u64::MAX));
    assert!(open.refresh_due(NOW + 16_000));
}

#[test]
fn the_key_thumbprint_is_kept_and_older_records_have_none() {
    let mut r = record();
    assert_eq!(r.key_thumbprint, None);
    r.key_thumbprint = Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".into());
    assert_eq!(SessionRecord::decode(&r.encode()).unwrap(), r);
    let without = r.encode().replace(
        r#","key_thumbprint":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I""#,
        "",
    );
    assert_ne!(without, r.encode());
    assert_eq!(
        SessionRecord::decode(&without).unwrap().key_thumbprint,
        None
    );
}
