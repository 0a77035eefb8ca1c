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
    /// "Your cart changed… {total}…", "This order was paid…", "See your orders".
    pub cart_changed: String,
    pub paid_elsewhere: String,
    pub see_orders: String,
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
            cart_changed: texts.cart_changed.into(),
            paid_elsewhere: texts.paid_elsewhere.into(),
            see_orders: texts.see_orders.into(),
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
    // The amount on the button, which a changed cart updates.
    let label = RwSignal::new(String::new());
    // The order was paid in another window meanwhile.
    let gone = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    let pay = browser::attach(
        config.clone(),
        container,
        alert,
        browser::State {
            ready,
            complete,
            confirming,
            error,
            label,
            gone,
        },
    );
    #[cfg(not(feature = "hydrate"))]
    let pay = {
        let _ = (alert, gone);
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
        cart_changed,
        paid_elsewhere,
        see_orders,
    } = config;
    // The view macro may build its closures before its attributes.
    let (pay_attr, paying_attr, loading_attr, secure_attr) = (
        pay_label.clone(),
        paying.clone(),
        loading.clone(),
        secure_note.clone(),
    );
    let (paid_elsewhere_attr, see_orders_attr) = (paid_elsewhere.clone(), see_orders.clone());
    label.set(pay_label);
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
            data-cart-changed=cart_changed
            data-paid-elsewhere=paid_elsewhere_attr
            data-see-orders=see_orders_attr
        >
            <div node_ref=container class="payment-element" data-testid="payment-element"></div>
            {move || (!ready.get()).then(|| view! { <p class="loading" data-testid="payment-loading">{loading.clone()}</p> })}
            {move || gone.get().then(|| view! {
                <p class="notice" role="alert" data-testid="paid-elsewhere">
                    {paid_elsewhere.clone()}" "<a href="/orders">{see_orders.clone()}</a>
                </p>
            })}
            {move || error.get().map(|message| view! {
                <p class="notice notice-error" role="alert" tabindex="-1" node_ref=alert data-testid="payment-error">{message}</p>
            })}
            <button
                type="button"
                class="button pay-button"
                data-testid="pay"
                disabled=move || !ready.get() || !complete.get() || confirming.get() || gone.get()
                on:click=pay
            >
                {move || if confirming.get() { paying.clone() } else { label.get() }}
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
    use crate::islands::page::{document, fetch_page, post_for_json, swap_regions};
    use crate::stripe_js::{self, ConfirmOutcome, ElementsOptions, Handlers, Mounted};

    /// The form's signals.
    #[derive(Clone, Copy)]
    pub struct State {
        pub ready: RwSignal<bool>,
        pub complete: RwSignal<bool>,
        pub confirming: RwSignal<bool>,
        pub error: RwSignal<Option<String>>,
        pub label: RwSignal<String>,
        pub gone: RwSignal<bool>,
    }

    /// The order a page shows: its id and version (`#order-summary`).
    fn shown_order(document: &web_sys::Document) -> Option<(String, String)> {
        let summary = document.get_element_by_id("order-summary")?;
        Some((
            summary.get_attribute("data-order")?,
            summary.get_attribute("data-version")?,
        ))
    }

    /// What the checkout is now, as against what this page shows.
    enum Check {
        Unchanged,
        /// The same order with other lines: the page now shows them.
        Changed {
            total: String,
            label: String,
        },
        /// That order is no longer the one to pay.
        Gone,
    }

    /// The order as the server has it now, without rendering a page (nor
    /// making a CustomerSession): its version and status, from the
    /// `get_order` server function.
    async fn order_now(order: &str) -> Option<(String, String)> {
        let form = web_sys::UrlSearchParams::new().ok()?;
        form.append("order_id", order);
        let value = post_for_json("/api/orders/status", form).await?;
        let version = js_sys::Reflect::get(&value, &"version".into())
            .ok()?
            .as_f64()?;
        let status = js_sys::Reflect::get(&value, &"status".into())
            .ok()?
            .as_string()?;
        Some((format!("{}", version as i64), status))
    }

    /// Checks, before paying, that the order this page shows is still the
    /// one to pay, at the version it shows, so a checkout opened in another
    /// tab never makes this one charge an amount it did not show. Usually a
    /// small question to the server; only when the order changed is the
    /// checkout page asked again (which also brings the intent's amount in
    /// line with the cart) and its summary shown.
    async fn check_checkout() -> Check {
        let Some(document) = document() else {
            return Check::Unchanged;
        };
        if let Some((order, version)) = shown_order(&document) {
            match order_now(&order)
                .await
                .as_ref()
                .map(|(v, s)| (v.as_str(), s.as_str()))
            {
                Some((now, "awaiting_payment" | "payment_failed")) if now == version => {
                    return Check::Unchanged;
                }
                Some((_, "processing" | "paid" | "canceled")) => return Check::Gone,
                _ => {}
            }
        }
        let Some(now) = fetch_page("/checkout", None).await else {
            // The server could not be asked: Stripe will still refuse a stale intent.
            return Check::Unchanged;
        };
        match (shown_order(&document), shown_order(&now)) {
            (Some(shown), Some(current)) if shown == current => Check::Unchanged,
            (Some(shown), Some(current)) if shown.0 == current.0 => {
                let total = now
                    .query_selector("[data-testid=checkout-total]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.text_content())
                    .unwrap_or_default();
                let label = now
                    .get_element_by_id(ROOT_ID)
                    .and_then(|e| e.get_attribute("data-pay"))
                    .unwrap_or_default();
                swap_regions(&now);
                Check::Changed { total, label }
            }
            _ => Check::Gone,
        }
    }

    pub fn read_config() -> PaymentFormConfig {
        let data = document()
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
            cart_changed: field("cartChanged"),
            paid_elsewhere: field("paidElsewhere"),
            see_orders: field("seeOrders"),
        }
    }

    /// Mounts the element as soon as its container exists; returns the Pay handler.
    pub fn attach(
        config: PaymentFormConfig,
        container: NodeRef<Div>,
        alert: NodeRef<leptos::html::P>,
        state: State,
    ) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let State {
            ready,
            complete,
            confirming,
            error,
            label,
            gone,
        } = state;
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
            let focus_alert = move || {
                // Keyboard and screen-reader users land on the reason.
                request_animation_frame(move || {
                    if let Some(p) = alert.get_untracked() {
                        let _ = p.focus();
                    }
                });
            };
            spawn_local(async move {
                match check_checkout().await {
                    Check::Unchanged => {}
                    Check::Changed { total, label: new } => {
                        m.fetch_updates().await;
                        label.set(new);
                        error.set(Some(config.cart_changed.replace("{total}", &total)));
                        confirming.set(false);
                        focus_alert();
                        return;
                    }
                    Check::Gone => {
                        gone.set(true);
                        confirming.set(false);
                        return;
                    }
                }
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
                        focus_alert();
                    }
                }
            });
        }
    }
}
