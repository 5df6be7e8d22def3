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
