//! Browser tests (wasm-bindgen-test in headless Chromium):
//! `cargo test -p wxcc-console --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_app_mounts_and_renders_its_heading() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), wxcc_console::App);
    let heading = host
        .query_selector("h1")
        .unwrap()
        .expect("an h1 is rendered");
    assert!(heading.text_content().unwrap().contains("wxcc-console"));
    drop(handle);
}

use wasm_bindgen::JsCast;
