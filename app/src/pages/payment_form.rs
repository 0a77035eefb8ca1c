//! The Payment Element and the Pay button.
//!
//! The server renders the button disabled and a loading line; after
//! hydration an effect loads Stripe.js and mounts the element, so the HTML
//! never differs between server and browser. The button stays disabled
//! until the element is complete and while a payment is confirming, so a
//! double click cannot pay twice.

use leptos::html::Div;
use leptos::prelude::*;

use crate::i18n::Locale;
use crate::payments::PaymentSetup;

#[component]
pub fn PaymentForm(setup: PaymentSetup, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let container = NodeRef::<Div>::new();
    let ready = RwSignal::new(false);
    let complete = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let label = texts.pay_amount(setup.order.total, locale);

    #[cfg(feature = "hydrate")]
    let pay = browser::attach(setup, locale, container, ready, complete, confirming, error);
    #[cfg(not(feature = "hydrate"))]
    let pay = {
        // Nothing to pay with on the server: the button is rendered disabled.
        let _ = (setup, container);
        move |_: leptos::ev::MouseEvent| {}
    };

    view! {
        <div class="payment-form">
            <div node_ref=container class="payment-element" data-testid="payment-element"></div>
            {move || (!ready.get()).then(|| view! { <p class="loading" data-testid="payment-loading">{texts.payment_loading}</p> })}
            {move || error.get().map(|message| view! {
                <p class="notice notice-error" role="alert" data-testid="payment-error">{message}</p>
            })}
            <button
                type="button"
                class="button pay-button"
                data-testid="pay"
                disabled=move || !ready.get() || !complete.get() || confirming.get()
                on:click=pay
            >
                {move || if confirming.get() { texts.paying.to_string() } else { label.clone() }}
            </button>
            <p class="secure-note">{texts.secure_note}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use leptos::html::Div;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use leptos_router::hooks::use_navigate;
    use leptos_router::NavigateOptions;
    use wasm_bindgen::JsCast;

    use crate::i18n::Locale;
    use crate::payments::PaymentSetup;
    use crate::stripe_js::{
        self, Appearance, AppearanceVariables, ConfirmOutcome, ElementsOptions, Mounted,
    };

    /// Mounts the element once the container exists; returns the Pay handler.
    pub fn attach(
        setup: PaymentSetup,
        locale: Locale,
        container: NodeRef<Div>,
        ready: RwSignal<bool>,
        complete: RwSignal<bool>,
        confirming: RwSignal<bool>,
        error: RwSignal<Option<String>>,
    ) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let texts = locale.texts();
        let mounted: StoredValue<Option<Rc<Mounted>>, LocalStorage> = StoredValue::new_local(None);
        let navigate = use_navigate();
        let setup = Rc::new(setup);
        {
            let setup = setup.clone();
            Effect::new(move |done: Option<bool>| {
                if done == Some(true) {
                    return true;
                }
                let Some(div) = container.get() else {
                    return false;
                };
                let target: web_sys::HtmlElement = div.unchecked_into();
                let setup = setup.clone();
                spawn_local(async move {
                    let options = ElementsOptions {
                        client_secret: setup.client_secret.clone(),
                        customer_session_client_secret: setup
                            .customer_session_client_secret
                            .clone(),
                        locale: locale.code().into(),
                        appearance: Appearance {
                            theme: "stripe",
                            variables: AppearanceVariables {
                                color_primary: "#8a4b20",
                                border_radius: "8px",
                                font_family: "system-ui, sans-serif",
                            },
                        },
                    };
                    let handlers = stripe_js::Handlers {
                        on_ready: Box::new(move || ready.set(true)),
                        on_change: Box::new(move |is_complete| complete.set(is_complete)),
                        on_load_error: Box::new(move |message| error.set(Some(message))),
                    };
                    match stripe_js::mount(
                        &setup.stripe_js_url,
                        &setup.publishable_key,
                        &options,
                        &target,
                        handlers,
                    )
                    .await
                    {
                        Ok(m) => mounted.set_value(Some(Rc::new(m))),
                        Err(message) => {
                            leptos::logging::warn!("{message}");
                            error.set(Some(texts.payment_load_failed.into()));
                        }
                    }
                });
                true
            });
        }
        on_cleanup(move || {
            if let Some(Some(m)) = mounted.try_get_value() {
                m.destroy();
            }
        });
        move |_| {
            if confirming.get_untracked() || !complete.get_untracked() {
                return;
            }
            let Some(m) = mounted.get_value() else { return };
            confirming.set(true);
            error.set(None);
            let navigate = navigate.clone();
            spawn_local(async move {
                let origin = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                match m.confirm(&format!("{origin}/checkout/complete")).await {
                    ConfirmOutcome::Confirmed(intent) => {
                        navigate(
                            &format!(
                                "/checkout/complete?payment_intent={}&payment_intent_client_secret={}",
                                intent.id, intent.client_secret
                            ),
                            NavigateOptions::default(),
                        );
                    }
                    ConfirmOutcome::Failed(e) => {
                        error.set(Some(
                            e.message
                                .unwrap_or_else(|| texts.error_payment_unavailable.into()),
                        ));
                        confirming.set(false);
                    }
                }
            });
        }
    }
}
