//! Leptos components over the bindings (feature `leptos`), in the shape of
//! `@stripe/react-stripe-js`: `<Elements>` loads Stripe.js and makes the
//! group, `<PaymentElement/>` and `<AddressElement/>` inside it mount
//! themselves once it exists, and [`use_stripe_elements`] gives the group to
//! whatever confirms.
//!
//! On the server they render empty `<div>`s; everything else happens in the
//! browser, in effects, so they work in an island or a client-rendered app.

use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::mount::StripeElements;
use crate::options::{
    Address, AddressMount, ElementsOptions, PaymentElementOptions, PaymentHandlers,
};

/// The group as `<Elements>` shares it: `None` until Stripe.js has loaded.
pub type ElementsSignal = ReadSignal<Option<Rc<StripeElements>>, LocalStorage>;

#[derive(Clone, Copy)]
struct ElementsContext(RwSignal<Option<Rc<StripeElements>>, LocalStorage>);

/// The Elements group of what is inside: loads Stripe.js from `script_url`
/// (`https://js.stripe.com/v3/`, or a stand-in's) with `options`, then
/// lets its Payment and Address Elements mount. The elements are destroyed
/// when it is.
#[component]
pub fn Elements(
    #[prop(into)] script_url: String,
    options: ElementsOptions,
    /// Stripe.js could not be loaded, or refused the options (why, in English).
    #[prop(optional, into)]
    on_load_error: Option<UnsyncCallback<String>>,
    children: Children,
) -> impl IntoView {
    let group = RwSignal::new_local(None::<Rc<StripeElements>>);
    provide_context(ElementsContext(group));
    // It reads no signal: it runs once, after the first render.
    Effect::new(move |_| {
        let (script_url, options) = (script_url.clone(), options.clone());
        spawn_local(async move {
            match StripeElements::load(&script_url, &options).await {
                Ok(loaded) => group.set(Some(Rc::new(loaded))),
                Err(message) => {
                    if let Some(on_load_error) = on_load_error {
                        on_load_error.run(message);
                    }
                }
            }
        });
    });
    on_cleanup(move || {
        if let Some(loaded) = group.try_get_untracked().flatten() {
            loaded.destroy();
        }
    });
    children()
}

/// The group of the enclosing `<Elements>`, to `submit`, `confirm` or
/// `fetch_updates`. Panics outside an `<Elements>`: that is a bug in the page.
pub fn use_stripe_elements() -> ElementsSignal {
    expect_context::<ElementsContext>().0.read_only()
}

/// Runs `mount` with the group and the `<div>` once both exist.
fn mount_when_ready(
    target: NodeRef<Div>,
    mount: impl Fn(&StripeElements, &web_sys::HtmlElement) + 'static,
) {
    let group = use_stripe_elements();
    Effect::new(move |mounted: Option<bool>| {
        if mounted == Some(true) {
            return true;
        }
        match (group.get(), target.get()) {
            (Some(group), Some(div)) => {
                mount(&group, &div);
                true
            }
            _ => false,
        }
    });
}

/// The Payment Element, in the enclosing `<Elements>` (which needs the
/// PaymentIntent's client secret, and a CustomerSession's for saved methods).
#[component]
pub fn PaymentElement(
    /// Layout and the billing details already known.
    #[prop(optional)]
    options: PaymentElementOptions,
    /// `ready`: shown, saved methods included.
    #[prop(optional, into)]
    on_ready: Option<UnsyncCallback<()>>,
    /// `change`: whether what is entered is complete.
    #[prop(optional, into)]
    on_change: Option<UnsyncCallback<bool>>,
    /// `loaderror`: the element could not load (Stripe's message).
    #[prop(optional, into)]
    on_load_error: Option<UnsyncCallback<String>>,
) -> impl IntoView {
    let target = NodeRef::<Div>::new();
    mount_when_ready(target, move |group, div| {
        let handlers = PaymentHandlers::new(
            move || {
                if let Some(f) = on_ready {
                    f.run(())
                }
            },
            move |complete| {
                if let Some(f) = on_change {
                    f.run(complete)
                }
            },
            move |message| {
                if let Some(f) = on_load_error {
                    f.run(message)
                }
            },
        );
        if let Err(message) = group.mount_payment(div, &options, handlers) {
            leptos::logging::warn!("the Payment Element was not mounted: {message}");
        }
    });
    view! { <div node_ref=target></div> }
}

/// The Address Element, in the enclosing `<Elements>`. `options` are
/// Stripe.js's own (`{mode: 'shipping', allowedCountries: […], …}`).
#[component]
pub fn AddressElement(
    options: JsValue,
    #[prop(optional, into)] on_ready: Option<UnsyncCallback<()>>,
    /// `change`: whether the address is complete, and the address so far.
    #[prop(optional, into)]
    on_change: Option<UnsyncCallback<(bool, Address)>>,
) -> impl IntoView {
    let target = NodeRef::<Div>::new();
    mount_when_ready(target, move |group, div| {
        let mount = AddressMount {
            target: div.clone(),
            options: options.clone(),
            on_ready: Box::new(move || {
                if let Some(f) = on_ready {
                    f.run(())
                }
            }),
            on_change: Box::new(move |complete, address| {
                if let Some(f) = on_change {
                    f.run((complete, address))
                }
            }),
        };
        if let Err(message) = group.mount_address(mount) {
            leptos::logging::warn!("the Address Element was not mounted: {message}");
        }
    });
    view! { <div node_ref=target></div> }
}
