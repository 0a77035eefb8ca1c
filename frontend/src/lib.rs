//! The browser entry point: hydrates the server-rendered page.
//!
//! Built to WebAssembly and loaded by the `<HydrationScripts>` in the shell.
// Leptos views are deeply nested types; the default limit (128) is too low for the release build.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Tells tests and scripts that the page now answers to the wasm: before
    // this, a form submits as a plain HTML post.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
