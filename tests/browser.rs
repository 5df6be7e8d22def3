//! Browser tests (wasm-bindgen-test in headless Chromium) of the thin adapters the native tests
//! cannot reach: WebCrypto, sessionStorage, and rendering.
//! `cargo test -p wxcc-console --target wasm32-unknown-unknown` (run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxcc_console::browser::{self, storage};
use wxcc_core::config::ConfigError;
use wxcc_core::pkce::code_challenge_s256;
use wxcc_core::secret::PkceVerifier;
use wxcc_core::session::{SessionRecord, TokenResponse};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn random_bytes_come_from_the_browser_csprng() {
    let a = browser::random_bytes().unwrap();
    let b = browser::random_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[wasm_bindgen_test]
async fn webcrypto_sha256_gives_the_rfc_7636_challenge() {
    // RFC 7636, Appendix B.
    let verifier =
        PkceVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_string()).unwrap();
    let digest = browser::sha256(verifier.secret().as_bytes()).await.unwrap();
    assert_eq!(
        code_challenge_s256(&digest),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

#[wasm_bindgen_test]
fn session_storage_set_get_take() {
    storage::set("wxcc.test", "value").unwrap();
    assert_eq!(storage::get("wxcc.test").as_deref(), Some("value"));
    assert_eq!(storage::take("wxcc.test").as_deref(), Some("value"));
    assert_eq!(storage::get("wxcc.test"), None);
}

#[wasm_bindgen_test]
fn a_session_survives_the_round_trip_through_session_storage() {
    let response = TokenResponse::from_json(
        r#"{"access_token":"tok_P0A1_8f5e8a39-2a5e-4b2e-9f1e-1a2b3c4d5e6f","expires_in":1209599,"scope":"cjp:config_read"}"#,
    )
    .unwrap();
    let session = SessionRecord::from_token_response(
        response,
        browser::now_ms(),
        vec!["cjp:config_read".into()],
        wxcc_core::config::ApiBase::Region(wxcc_core::config::Region::Eu2),
    );
    storage::set("wxcc.test-session", &session.encode()).unwrap();
    let back = SessionRecord::decode(&storage::take("wxcc.test-session").unwrap()).unwrap();
    assert_eq!(back, session);
    assert_eq!(
        back.org_id.as_deref(),
        Some("8f5e8a39-2a5e-4b2e-9f1e-1a2b3c4d5e6f")
    );
}

#[wasm_bindgen_test]
fn the_config_error_page_lists_every_wrong_field() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let problem = wxcc_console::config_loader::ConfigProblem::Invalid {
        url: "https://example.com/config.json".into(),
        errors: vec![
            ConfigError {
                field: "client_id".into(),
                problem: "missing".into(),
                fix: "add it".into(),
            },
            ConfigError {
                field: "region".into(),
                problem: "unknown".into(),
                fix: "use us1".into(),
            },
        ],
    };
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        leptos::view! { <wxcc_console::views::config_error::ConfigErrorPage problem /> }
    });
    let rows = host
        .query_selector_all("[data-testid='config-error']")
        .unwrap();
    assert_eq!(rows.length(), 2);
    assert!(host.text_content().unwrap().contains("client_id"));
}

/// In the wasm, `wxcc_core::json::parse` is the engine's JSON.parse copied into a `Value`; for the
/// JSON the app reads it must agree with serde_json (the native parser, linked here only).
#[wasm_bindgen_test]
fn json_parse_in_the_browser_agrees_with_serde_json() {
    let texts = [
        r#"{"access_token":"tok","expires_in":1209599,"scope":"a b","refresh_token":null}"#,
        r#"{"data":[{"id":"u1","active":true,"score":-3,"ratio":0.25,"tags":[]}],"meta":{"page":0,"pageSize":100,"totalRecords":2,"links":{"next":"/v1/x?page=1"}}}"#,
        r#"  [1, -1, 0, 1.25e1, 2.5e-3, 1.7976931348623157e308, 9007199254740991, -9007199254740991]  "#,
        r#"{"escapes":"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 \u2028","":{"nested":[[{}]]}}"#,
        r#""just a string""#,
        "true",
        "null",
    ];
    for text in texts {
        let ours = wxcc_core::json::parse(text).unwrap();
        let serde: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, serde, "{text}");
    }
}

/// The object's keys in the order it holds them.
fn keys(object: &serde_json::Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[wasm_bindgen_test]
fn json_parse_in_the_browser_keeps_integers_integers_and_field_order() {
    let value =
        wxcc_core::json::parse(r#"{"z":1,"a":{"y":2.0,"b":-0.0,"e":1e3},"m":1700000000000}"#)
            .unwrap();
    // Field order as sent (the JSON tree shows it); JavaScript numbers that are whole and exact
    // read as integers, so the strict readers (as_u64) work on them.
    assert_eq!(keys(&value), ["z", "a", "m"]);
    // The one ordering difference: JavaScript objects list integer-like keys first, ascending.
    let numeric = wxcc_core::json::parse(r#"{"b":1,"10":2,"2":3}"#).unwrap();
    assert_eq!(keys(&numeric), ["2", "10", "b"]);
    assert_eq!(value["m"].as_u64(), Some(1_700_000_000_000));
    assert_eq!(
        value["a"]["y"].as_u64(),
        Some(2),
        "1.0 and 1 are the same JavaScript number"
    );
    assert_eq!(value["a"]["b"].as_i64(), Some(0));
    assert_eq!(value["a"]["e"].as_u64(), Some(1000));
    // Beyond 2^53 a JavaScript number is not an exact integer any more: it stays a float.
    let big = wxcc_core::json::parse("18446744073709551615").unwrap();
    assert_eq!(big.as_u64(), None);
    assert_eq!(big.as_f64(), Some(18446744073709551615.0));
    // A lone surrogate is an error for serde_json; JavaScript strings can hold one, and the copy
    // into a Rust string makes it U+FFFD.
    let lone = wxcc_core::json::parse(r#""a\ud800b""#).unwrap();
    assert_eq!(lone.as_str(), Some("a\u{fffd}b"));
}

#[wasm_bindgen_test]
fn json_parse_in_the_browser_reports_bad_text() {
    for bad in [
        "",
        "{",
        r#"{"a":1,}"#,
        "[1 2]",
        "{'a':1}",
        "nul",
        r#""\x""#,
        "1 2",
    ] {
        let error = wxcc_core::json::parse(bad).unwrap_err();
        assert!(!error.to_string().is_empty(), "{bad:?} gives a message");
    }
    // serde_json's recursion limit, kept by the copy into a Value.
    let deep = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(wxcc_core::json::parse(&deep(128)).is_ok());
    assert!(serde_json::from_str::<serde_json::Value>(&deep(129)).is_err());
    let too_deep = wxcc_core::json::parse(&deep(129)).unwrap_err();
    assert!(too_deep.to_string().contains("128"), "{too_deep}");
    assert!(wxcc_core::json::parse(&format!(r#"{{"a":{}}}"#, deep(128))).is_err());
    let errors =
        wxcc_core::config::load_config("{\"client_id\": }", "https://a.example", "/").unwrap_err();
    assert_eq!(errors[0].field, "config.json");
    assert!(
        errors[0].problem.starts_with("is not valid JSON: "),
        "{}",
        errors[0].problem
    );
}
