//! The only components that run in the browser.
//!
//! Each `#[island]` is rendered by the server like any component, and also
//! compiled to WebAssembly (`frontend/`), where it is hydrated in place. A
//! page that shows one also renders [`IslandScripts`], which loads the bundle;
//! the other pages load no WebAssembly at all.

mod live;
#[cfg(feature = "hydrate")]
mod page;
mod payment_form;

pub use live::LiveUpdates;
pub use payment_form::{ConfiguredPaymentForm, PaymentForm, PaymentFormConfig};

use leptos::prelude::*;
use leptos_meta::{Link, Script};

use shop::assets::Assets;

/// Loads the islands' bundle and hydrates every island of the page, as early
/// as it can. The boot script is an `async` module in the `<head>`: it fetches
/// and instantiates the WebAssembly while the page is still being parsed,
/// then hydrates the islands as soon as the document is parsed (a deferred
/// script would first wait for the page's first paint). No idle callback
/// either: the payment form mounts its element at once. When every island is
/// hydrated, `<body data-hydrated="true">` says so (tests and scripts wait for
/// it), and the `islands-loaded`/`islands-hydrated` marks time the steps for
/// real-user monitoring.
#[component]
pub fn IslandScripts() -> impl IntoView {
    let assets = use_context::<Assets>().unwrap_or_default();
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let boot = format!(
        "import init,*as islands from'{js}';\
         await init({{module_or_path:'{wasm}'}});\
         performance.mark('islands-loaded');\
         if(document.readyState==='loading')await new Promise(r=>document.addEventListener('readystatechange',r,{{once:true}}));\
         islands.hydrate();\
         for(const el of document.querySelectorAll('leptos-island'))islands[el.dataset.component](el);\
         performance.mark('islands-hydrated');\
         document.body.dataset.hydrated='true'",
        js = assets.js,
        wasm = assets.wasm,
    );
    view! {
        <Link rel="modulepreload" href=assets.js.clone()/>
        <Link rel="preload" href=assets.wasm.clone() as_="fetch" type_="application/wasm" crossorigin="anonymous"/>
        <Script type_="module" async_="" nonce=nonce>{boot}</Script>
    }
}
