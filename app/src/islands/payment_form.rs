//! The Payment Element and the Pay button: the checkout's island.
//!
//! The server renders the button disabled and a loading line; once hydrated,
//! the island mounts the element at once, through the Rust bindings of
//! `crate::stripe_js`. The button stays disabled until the element is
//! complete and while a payment is confirming, so a double click cannot pay
//! twice.
//!
//! The island takes no props: Leptos would send them as JSON, and the parser
//! would weigh more than the island. The server renders its configuration as
//! `data-*` attributes on the island's root, and the browser reads them back
//! from there ([`PaymentFormConfig::current`]).

use leptos::html::Div;
use leptos::prelude::*;

use crate::i18n::Locale;
use crate::payments::PaymentSetup;

/// The `id` of the island's root, where its configuration is written.
const ROOT_ID: &str = "payment-form";

/// Everything the island needs, as strings: the element's keys and secrets,
/// and the texts it shows, already in the shopper's language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaymentFormConfig {
    pub stripe_js_url: String,
    pub publishable_key: String,
    pub client_secret: String,
    pub customer_session_client_secret: String,
    pub locale: String,
    pub pay_label: String,
    pub paying: String,
    pub loading: String,
    pub load_failed: String,
    pub unavailable: String,
    pub secure_note: String,
    pub billing_name: String,
    pub billing_email: String,
    pub billing_country: String,
}

impl PaymentFormConfig {
    pub fn new(setup: PaymentSetup, locale: Locale) -> Self {
        let texts = locale.texts();
        Self {
            pay_label: texts.pay_amount(setup.order.total, locale),
            stripe_js_url: setup.stripe_js_url,
            publishable_key: setup.publishable_key,
            client_secret: setup.client_secret,
            customer_session_client_secret: setup.customer_session_client_secret,
            locale: locale.code().into(),
            paying: texts.paying.into(),
            loading: texts.payment_loading.into(),
            load_failed: texts.payment_load_failed.into(),
            unavailable: texts.error_payment_unavailable.into(),
            secure_note: texts.secure_note.into(),
            billing_name: setup.billing.name,
            billing_email: setup.billing.email,
            billing_country: setup.billing.country,
        }
    }

    /// On the server: what the checkout page provided. In the browser: what
    /// the server wrote on the island's root.
    fn current() -> Self {
        #[cfg(not(feature = "hydrate"))]
        return use_context::<Self>().unwrap_or_default();
        #[cfg(feature = "hydrate")]
        return browser::read_config();
    }
}

#[island]
pub fn PaymentForm() -> impl IntoView {
    let config = PaymentFormConfig::current();
    let container = NodeRef::<Div>::new();
    let alert = NodeRef::<leptos::html::P>::new();
    let ready = RwSignal::new(false);
    let complete = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    #[cfg(feature = "hydrate")]
    let pay = browser::attach(
        config.clone(),
        container,
        alert,
        ready,
        complete,
        confirming,
        error,
    );
    #[cfg(not(feature = "hydrate"))]
    let pay = {
        let _ = alert;
        |_: leptos::ev::MouseEvent| {}
    };

    let PaymentFormConfig {
        stripe_js_url,
        publishable_key,
        client_secret,
        customer_session_client_secret,
        locale,
        pay_label,
        paying,
        loading,
        load_failed,
        unavailable,
        secure_note,
        billing_name,
        billing_email,
        billing_country,
    } = config;
    // The view macro may build its closures before its attributes.
    let (pay_attr, paying_attr, loading_attr, secure_attr) = (
        pay_label.clone(),
        paying.clone(),
        loading.clone(),
        secure_note.clone(),
    );
    view! {
        <div
            class="payment-form"
            id=ROOT_ID
            data-stripe-js=stripe_js_url
            data-key=publishable_key
            data-secret=client_secret
            data-session=customer_session_client_secret
            data-locale=locale
            data-pay=pay_attr
            data-paying=paying_attr
            data-loading=loading_attr
            data-load-failed=load_failed
            data-unavailable=unavailable
            data-secure=secure_attr
            data-billing-name=billing_name
            data-billing-email=billing_email
            data-billing-country=billing_country
        >
            <div node_ref=container class="payment-element" data-testid="payment-element"></div>
            {move || (!ready.get()).then(|| view! { <p class="loading" data-testid="payment-loading">{loading.clone()}</p> })}
            {move || error.get().map(|message| view! {
                <p class="notice notice-error" role="alert" tabindex="-1" node_ref=alert data-testid="payment-error">{message}</p>
            })}
            <button
                type="button"
                class="button pay-button"
                data-testid="pay"
                disabled=move || !ready.get() || !complete.get() || confirming.get()
                on:click=pay
            >
                {move || if confirming.get() { paying.clone() } else { pay_label.clone() }}
            </button>
            <p class="secure-note">{secure_note}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use leptos::html::Div;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;

    use super::{PaymentFormConfig, ROOT_ID};
    use crate::stripe_js::{self, ConfirmOutcome, ElementsOptions, Handlers, Mounted};

    pub fn read_config() -> PaymentFormConfig {
        let data = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(ROOT_ID))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|e| e.dataset());
        let field = |name: &str| data.as_ref().and_then(|d| d.get(name)).unwrap_or_default();
        PaymentFormConfig {
            stripe_js_url: field("stripeJs"),
            publishable_key: field("key"),
            client_secret: field("secret"),
            customer_session_client_secret: field("session"),
            locale: field("locale"),
            pay_label: field("pay"),
            paying: field("paying"),
            loading: field("loading"),
            load_failed: field("loadFailed"),
            unavailable: field("unavailable"),
            secure_note: field("secure"),
            billing_name: field("billingName"),
            billing_email: field("billingEmail"),
            billing_country: field("billingCountry"),
        }
    }

    /// Mounts the element as soon as its container exists; returns the Pay handler.
    #[allow(clippy::too_many_arguments)]
    pub fn attach(
        config: PaymentFormConfig,
        container: NodeRef<Div>,
        alert: NodeRef<leptos::html::P>,
        ready: RwSignal<bool>,
        complete: RwSignal<bool>,
        confirming: RwSignal<bool>,
        error: RwSignal<Option<String>>,
    ) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let mounted: StoredValue<Option<Rc<Mounted>>, LocalStorage> = StoredValue::new_local(None);
        let config = Rc::new(config);
        {
            let config = config.clone();
            Effect::new(move |done: Option<bool>| {
                if done == Some(true) {
                    return true;
                }
                let Some(div) = container.get() else {
                    return false;
                };
                let target: web_sys::HtmlElement = div.unchecked_into();
                let config = config.clone();
                spawn_local(async move {
                    let options = ElementsOptions {
                        publishable_key: config.publishable_key.clone(),
                        client_secret: config.client_secret.clone(),
                        customer_session_client_secret: config
                            .customer_session_client_secret
                            .clone(),
                        locale: config.locale.clone(),
                        billing_name: config.billing_name.clone(),
                        billing_email: config.billing_email.clone(),
                        billing_country: config.billing_country.clone(),
                    };
                    let handlers = Handlers {
                        on_ready: Box::new(move || {
                            ready.set(true);
                            // For the benchmark and real-user monitoring alike.
                            if let Some(performance) =
                                web_sys::window().and_then(|w| w.performance())
                            {
                                let _ = performance.mark("payment-element-ready");
                            }
                        }),
                        on_change: Box::new(move |is_complete| complete.set(is_complete)),
                        on_load_error: Box::new(move |message| error.set(Some(message))),
                    };
                    match stripe_js::mount(&config.stripe_js_url, &options, &target, handlers).await
                    {
                        Ok(m) => mounted.set_value(Some(Rc::new(m))),
                        Err(message) => {
                            leptos::logging::warn!("{message}");
                            error.set(Some(config.load_failed.clone()));
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
            let config = config.clone();
            spawn_local(async move {
                let Some(location) = web_sys::window().map(|w| w.location()) else {
                    return;
                };
                let origin = location.origin().unwrap_or_default();
                match m.confirm(&format!("{origin}/checkout/complete")).await {
                    // No redirect was needed: go where Stripe would have sent the shopper.
                    ConfirmOutcome::Confirmed {
                        intent,
                        client_secret,
                    } => {
                        let _ = location.assign(&format!(
                            "/checkout/complete?payment_intent={intent}&payment_intent_client_secret={client_secret}"
                        ));
                    }
                    ConfirmOutcome::Failed(message) => {
                        error.set(Some(message.unwrap_or_else(|| config.unavailable.clone())));
                        confirming.set(false);
                        // Keyboard and screen-reader users land on the reason.
                        request_animation_frame(move || {
                            if let Some(p) = alert.get_untracked() {
                                let _ = p.focus();
                            }
                        });
                    }
                }
            });
        }
    }
}
