//! Entry point: install the panic hook and mount the app. Everything else lives in the library.
#[cfg(target_family = "wasm")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    console_error_panic_hook::set_once();
    // Rendered off the page, then swapped in for the page's static first paint.
    wxcc_console::views::first_paint::mount(wxcc_console::App);
}
