//! The browser entry point: the islands' bundle.
//!
//! Built to WebAssembly and loaded only by pages that show an island
//! (`app::islands::IslandScripts`), which call `hydrate()` once and then
//! each island's own hydration function, exported by `#[island]`.
#![deny(unsafe_code)]

use wasm_bindgen::prelude::wasm_bindgen;

// Links the islands (and their exported hydration functions) into this bundle.
pub use app::islands;

#[wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
