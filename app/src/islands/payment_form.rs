//! The Payment Element and the Pay button: the checkout's island.
//!
//! The server renders the button disabled and a loading line; once hydrated,
//! the island mounts the element at once, through the Rust bindings of
//! the `stripe-elements` crate. The button stays disabled until the element is
//! complete and while a payment is confirming, so a double click cannot pay
//! twice.
//!
//! The island takes no props: Leptos would send them as JSON, and the parser
//! would weigh more than the island. The server renders its configuration as
//! `data-*` attributes on a root around the island ([`ConfiguredPaymentForm`]),
//! and the browser reads them back from there ([`PaymentFormConfig::current`]).

use leptos::html::Div;
use leptos::prelude::*;

use crate::payments::PaymentSetup;
use shop::i18n::Locale;

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
    /// What to say when Stripe refuses a payment, in the shopper's
    /// language: a JSON object from Stripe's `code` or `decline_code` to the
    /// shop's sentence, with `"card_error"` and `"validation_error"` for
    /// codes it does not list. Stripe's own `message` is never shown: it is
    /// English whatever the page's language.
    pub failures: String,
    /// The Payment and Address Elements' look on a light page and on a dark
    /// one (see [`APPEARANCE_LIGHT`]), each as Stripe's `appearance` option
    /// (JSON): the island gives the one matching `prefers-color-scheme`.
    pub appearance_light: String,
    pub appearance_dark: String,
    /// The address step, as JSON (empty for an order of downloads): the
    /// order's id, whether the address comes first (no intent secret yet),
    /// the Address Element's options exactly as Stripe.js takes them, and
    /// its messages. Passed through to Stripe.js without a Rust parser.
    pub address: String,
}

impl PaymentFormConfig {
    pub fn new(setup: PaymentSetup, locale: Locale) -> Self {
        let texts = locale.texts();
        Self {
            address: address_json(&setup, locale),
            failures: failures_json(locale),
            appearance_light: APPEARANCE_LIGHT.into(),
            appearance_dark: APPEARANCE_DARK.into(),
            // In the address step the button leads to the payment.
            pay_label: if setup.address_first() {
                texts.delivery.continue_to_payment.into()
            } else {
                texts.pay_amount(setup.order.total, locale)
            },
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

    /// On the server: what [`ConfiguredPaymentForm`] provided. In the
    /// browser: what the server wrote on its root.
    fn current() -> Self {
        #[cfg(not(feature = "hydrate"))]
        return use_context::<Self>().unwrap_or_default();
        #[cfg(feature = "hydrate")]
        return browser::read_config();
    }
}

/// The address step's JSON (see [`PaymentFormConfig::address`]).
#[cfg(feature = "ssr")]
fn address_json(setup: &PaymentSetup, locale: Locale) -> String {
    let Some(form) = &setup.address else {
        return String::new();
    };
    let texts = locale.texts().delivery;
    let p = &form.prefill;
    let prefill = serde_json::json!({
        "name": p.name,
        "address": {
            "line1": p.line1, "line2": p.line2, "city": p.city, "state": p.state,
            "postal_code": p.postal_code, "country": p.country,
        },
    });
    // An order that has its address shows it compact, as Stripe's saved
    // address card ("Edit", "+ Add new address"), so Pay stays near on a
    // phone; otherwise the empty form starts with the name and country.
    let mut options = serde_json::json!({
        "mode": "shipping",
        "allowedCountries": form.countries,
    });
    if setup.order.shipping.is_some() {
        options["contacts"] = serde_json::json!([prefill]);
    } else {
        options["defaultValues"] = prefill;
    }
    serde_json::json!({
        "order": setup.order.id,
        "first": setup.address_first(),
        "options": options,
        "invalid": texts.invalid_address,
        "notDelivered": texts.not_delivered,
        "changed": texts.delivery_changed,
    })
    .to_string()
}

/// The elements' look in the shop's colours (style/main.scss): Stripe's
/// `stripe` theme on a light page…
pub const APPEARANCE_LIGHT: &str = r##"{"theme":"stripe","variables":{"colorPrimary":"#8a4b20","colorBackground":"#ffffff","colorText":"#2b1d14","colorDanger":"#a4262c","borderRadius":"8px","fontFamily":"system-ui, sans-serif"}}"##;

/// …and its `night` theme on a dark one.
pub const APPEARANCE_DARK: &str = r##"{"theme":"night","variables":{"colorPrimary":"#e0a06e","colorBackground":"#262019","colorText":"#f3ece6","colorDanger":"#ff9a9e","borderRadius":"8px","fontFamily":"system-ui, sans-serif"}}"##;

/// The refusals' sentences (see [`PaymentFormConfig::failures`]): the same
/// for every checkout in a language, so built once per language.
#[cfg(feature = "ssr")]
pub fn failures_json(locale: Locale) -> String {
    static BUILT: std::sync::OnceLock<[String; 2]> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| Locale::ALL.map(build_failures_json));
    let at = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    built[at].clone()
}

#[cfg(feature = "ssr")]
fn build_failures_json(locale: Locale) -> String {
    use shop::orders::FailureReason;
    let texts = locale.texts();
    let mut map = serde_json::Map::new();
    for code in FailureReason::STRIPE_CODES {
        let reason = FailureReason::from_stripe(Some(code), None);
        map.insert(code.into(), texts.failure_with_next_step(reason).into());
    }
    map.insert(
        "card_error".into(),
        texts
            .failure_with_next_step(FailureReason::CardDeclined)
            .into(),
    );
    map.insert(
        "validation_error".into(),
        texts.shopper.check_details.into(),
    );
    serde_json::Value::Object(map).to_string()
}

#[cfg(not(feature = "ssr"))]
pub fn failures_json(_: Locale) -> String {
    String::new()
}

#[cfg(not(feature = "ssr"))]
fn address_json(_: &PaymentSetup, _: Locale) -> String {
    String::new()
}

/// The form's signals: what the server renders is the first state of each.
#[derive(Clone, Copy)]
pub struct State {
    pub ready: RwSignal<bool>,
    pub complete: RwSignal<bool>,
    pub confirming: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The amount on the button, which a changed cart updates.
    pub label: RwSignal<String>,
    /// The order was paid in another window meanwhile.
    pub gone: RwSignal<bool>,
    /// The address step: the address is complete and priced as shown, and
    /// no pricing is under way (always true without an address step).
    pub address_ok: RwSignal<bool>,
}

#[island]
pub fn PaymentForm() -> impl IntoView {
    let config = PaymentFormConfig::current();
    let container = NodeRef::<Div>::new();
    let alert = NodeRef::<leptos::html::P>::new();
    let state = State {
        ready: RwSignal::new(false),
        complete: RwSignal::new(false),
        confirming: RwSignal::new(false),
        error: RwSignal::new(None),
        label: RwSignal::new(String::new()),
        gone: RwSignal::new(false),
        address_ok: RwSignal::new(config.address.is_empty()),
    };
    #[cfg(feature = "hydrate")]
    let pay = browser::attach(config.clone(), container, alert, state);
    #[cfg(not(feature = "hydrate"))]
    let pay = |_: leptos::ev::MouseEvent| {};
    form_view(config, container, alert, state, pay)
}

/// The island inside a root that carries its configuration as `data-*`
/// attributes. The root is rendered by the server only: the island never
/// changes it, so the browser's bundle carries no code for its attributes.
#[component]
pub fn ConfiguredPaymentForm(config: PaymentFormConfig) -> impl IntoView {
    provide_context(config.clone());
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
        failures,
        appearance_light,
        appearance_dark,
        address,
    } = config;
    view! {
        <div
            id=ROOT_ID
            data-stripe-js=stripe_js_url
            data-key=publishable_key
            data-secret=client_secret
            data-session=customer_session_client_secret
            data-locale=locale
            data-pay=pay_label
            data-paying=paying
            data-loading=loading
            data-load-failed=load_failed
            data-unavailable=unavailable
            data-secure=secure_note
            data-billing-name=billing_name
            data-billing-email=billing_email
            data-billing-country=billing_country
            data-cart-changed=cart_changed
            data-paid-elsewhere=paid_elsewhere
            data-see-orders=see_orders
            data-address=address
            data-failures=failures
            data-appearance-light=appearance_light
            data-appearance-dark=appearance_dark
        >
            <PaymentForm/>
        </div>
    }
}

/// The element's place, the messages and the Pay button.
fn form_view(
    config: PaymentFormConfig,
    container: NodeRef<Div>,
    alert: NodeRef<leptos::html::P>,
    state: State,
    pay: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let State {
        ready,
        complete,
        confirming,
        error,
        label,
        gone,
        address_ok,
    } = state;
    // The address step has no loading line of its own: the element is the form.
    let loading_line = config.address.is_empty() || !config.client_secret.is_empty();
    let PaymentFormConfig {
        pay_label,
        paying,
        loading,
        secure_note,
        paid_elsewhere,
        see_orders,
        ..
    } = config;
    label.set(pay_label);
    view! {
        <div class="payment-form">
            <div node_ref=container class="payment-element" data-testid="payment-element"></div>
            {move || (!ready.get() && loading_line).then(|| view! { <p class="loading" data-testid="payment-loading">{loading.clone()}</p> })}
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
                disabled=move || {
                    !ready.get() || !complete.get() || confirming.get() || gone.get() || !address_ok.get()
                }
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
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use leptos::html::Div;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::{JsCast, JsValue};

    use super::{PaymentFormConfig, State, ROOT_ID};
    use crate::islands::page::{document, fetch_page, post_for_json, post_json, swap_regions};
    use shop::delivery::ShippingAddress;
    use stripe_elements::{
        Address, AddressMount, BillingDetails, ConfirmOutcome, ElementsOptions,
        PaymentElementOptions, PaymentHandlers, StripeElements, StripeError,
    };

    /// The Address Element's address in the shop's form.
    fn shipping(a: Address) -> ShippingAddress {
        ShippingAddress {
            name: a.name,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            state: a.state,
            postal_code: a.postal_code,
            country: a.country,
        }
    }

    fn text_of(value: &JsValue, key: &str) -> String {
        js_sys::Reflect::get(value, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// The address step's configuration, read from the island's JSON.
    struct AddressStep {
        order: String,
        /// No intent secret yet: the button posts the address, then the page
        /// loads again with the Payment Element.
        first: bool,
        options: JsValue,
        /// The address the order has (the element's `defaultValues`), when
        /// it has one.
        prefill: ShippingAddress,
        invalid: String,
        not_delivered: String,
        changed: String,
    }

    impl AddressStep {
        fn parse(json: &str) -> Option<Self> {
            let value = js_sys::JSON::parse(json).ok()?;
            let get =
                |of: &JsValue, key: &str| js_sys::Reflect::get(of, &key.into()).unwrap_or_default();
            let options = get(&value, "options");
            // The address the element starts with: its first contact, or its
            // default values.
            let contact =
                js_sys::Reflect::get_u32(&get(&options, "contacts"), 0).unwrap_or_default();
            let start = if contact.is_object() {
                contact
            } else {
                get(&options, "defaultValues")
            };
            Some(Self {
                order: format!("{}", get(&value, "order").as_f64()? as i64),
                first: get(&value, "first").as_bool().unwrap_or(false),
                prefill: shipping(Address::from_js_value(&start)),
                options,
                invalid: text_of(&value, "invalid"),
                not_delivered: text_of(&value, "notDelivered"),
                changed: text_of(&value, "changed"),
            })
        }
    }

    /// The page's own parts of the address step (outside the island, so the
    /// island stays small): the element's place, its message, "save".
    fn by_id(id: &str) -> Option<web_sys::HtmlElement> {
        document()?.get_element_by_id(id)?.dyn_into().ok()
    }

    /// Shows (or, with `None`, hides) the message under the address.
    fn address_message(message: Option<&str>) {
        if let Some(p) = by_id("address-error") {
            p.set_text_content(message);
            p.set_hidden(message.is_none());
        }
    }

    fn save_ticked() -> bool {
        by_id("save-address")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked())
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
        /// The same order with other lines or delivery: the page now shows them.
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
        Some((format!("{}", version as i64), text_of(&value, "status")))
    }

    /// Loads the checkout page again and shows its summary in place of this
    /// one's: the new total and Pay label, or `Gone` when it is another
    /// order (or none) now.
    async fn show_checkout_again(document: &web_sys::Document) -> Check {
        let Some(now) = fetch_page("/checkout", None).await else {
            // The server could not be asked: Stripe will still refuse a stale intent.
            return Check::Unchanged;
        };
        match (shown_order(document), shown_order(&now)) {
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

    /// Follows what the server's page now shows: Elements refetch the
    /// intent's amount and the button its label, or the form says the order
    /// was paid elsewhere. Gives the new total when the order changed.
    async fn follow(
        check: Check,
        mounted: Option<Rc<StripeElements>>,
        state: State,
    ) -> Option<String> {
        match check {
            Check::Changed { total, label } => {
                if let Some(m) = mounted {
                    m.fetch_updates().await;
                }
                state.label.set(label);
                Some(total)
            }
            Check::Gone => {
                state.gone.set(true);
                None
            }
            Check::Unchanged => None,
        }
    }

    /// "… {total} …" with the total in: JavaScript's own `replace`, which
    /// weighs nothing in the bundle (Rust's string search does).
    fn with_total(text: &str, total: &str) -> String {
        String::from(js_sys::JsString::from(text).replace("{total}", total))
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
        show_checkout_again(&document).await
    }

    /// What the server said of an address.
    enum Priced {
        /// What the page shows is what will be charged.
        Unchanged,
        /// This address changed the order's delivery: show it again.
        Changed,
        /// The order is not the version this page shows (another window
        /// changed it): nothing was written; show it again.
        Stale,
        /// Refused, with the message to show at the field.
        Refused(String),
    }

    /// Posts the address to the `set_delivery_address` server function.
    /// With `version`, the order must still be the version this page shows;
    /// with `save`, the address is saved for next time.
    async fn post_address(
        step: &AddressStep,
        address: &ShippingAddress,
        version: Option<String>,
        save: bool,
    ) -> Priced {
        let Ok(form) = web_sys::UrlSearchParams::new() else {
            return Priced::Refused(step.invalid.clone());
        };
        form.append("order_id", &step.order);
        for (key, value) in [
            ("name", &address.name),
            ("line1", &address.line1),
            ("line2", &address.line2),
            ("city", &address.city),
            ("state", &address.state),
            ("postal_code", &address.postal_code),
            ("country", &address.country),
        ] {
            form.append(key, value);
        }
        if let Some(version) = version {
            form.append("version", &version);
        }
        if save {
            form.append("save", "1");
        }
        match post_json("/api/checkout/address", form).await {
            Ok(answer) => match answer.as_string().as_deref() {
                Some("Unchanged") => Priced::Unchanged,
                Some("Stale") => Priced::Stale,
                _ => Priced::Changed,
            },
            // The server's error is a JSON string naming it.
            Err(error) if error.as_string().as_deref() == Some("NotDelivered") => {
                Priced::Refused(step.not_delivered.clone())
            }
            Err(_) => Priced::Refused(step.invalid.clone()),
        }
    }

    fn reload() {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
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
            address: field("address"),
            failures: field("failures"),
            appearance_light: field("appearanceLight"),
            appearance_dark: field("appearanceDark"),
        }
    }

    /// The shop's sentence for a refused payment: by Stripe's
    /// `decline_code`, then `code`, then `type`; "unavailable" when Stripe
    /// gave no error (it could not be reached).
    fn refusal(config: &PaymentFormConfig, error: Option<StripeError>) -> String {
        let Some(error) = error else {
            return config.unavailable.clone();
        };
        let table = js_sys::JSON::parse(&config.failures).unwrap_or_default();
        [
            error.decline_code,
            error.code,
            Some(error.kind.as_str().to_owned()),
        ]
        .into_iter()
        .flatten()
        .find_map(|key| {
            js_sys::Reflect::get(&table, &key.into())
                .ok()
                .and_then(|v| v.as_string())
        })
        .unwrap_or_else(|| config.unavailable.clone())
    }

    /// What the island's handlers share: its configuration, the address
    /// step, the signals, and the mounted elements once Stripe.js has them.
    #[derive(Clone)]
    struct Form {
        config: Rc<PaymentFormConfig>,
        step: Rc<Option<AddressStep>>,
        /// The address last priced by the server: once the payment is
        /// shown, the order's own, which the element starts with.
        priced: Rc<RefCell<Option<ShippingAddress>>>,
        /// Bumped by every change of the address: a pricing answer for an
        /// older one is ignored.
        changes: Rc<Cell<u32>>,
        state: State,
        mounted: StoredValue<Option<Rc<StripeElements>>, LocalStorage>,
        alert: NodeRef<leptos::html::P>,
    }

    /// What the checks before paying decided.
    enum Before {
        Pay,
        /// Stop, saying why (or, with `None`, with what the page shows).
        Stop(Option<String>),
        /// The address step posted the address: the page loads the payment.
        Reload,
    }

    /// Mounts the elements as soon as their containers exist; returns the
    /// handler of the button (Pay, or in the address step "Continue").
    pub fn attach(
        config: PaymentFormConfig,
        container: NodeRef<Div>,
        alert: NodeRef<leptos::html::P>,
        state: State,
    ) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let step = AddressStep::parse(&config.address);
        let priced = step
            .as_ref()
            .filter(|s| !s.first)
            .map(|s| s.prefill.clone());
        if priced.is_some() {
            state.address_ok.set(true);
        }
        let form = Form {
            config: Rc::new(config),
            step: Rc::new(step),
            priced: Rc::new(RefCell::new(priced)),
            changes: Rc::new(Cell::new(0)),
            state,
            mounted: StoredValue::new_local(None),
            alert,
        };
        {
            let form = form.clone();
            Effect::new(move |done: Option<bool>| {
                if done == Some(true) {
                    return true;
                }
                let Some(div) = container.get() else {
                    return false;
                };
                spawn_local(form.clone().mount(div.unchecked_into()));
                true
            });
        }
        let mounted = form.mounted;
        on_cleanup(move || {
            if let Some(Some(m)) = mounted.try_get_value() {
                m.destroy();
            }
        });
        move |_| {
            let State {
                confirming,
                complete,
                error,
                ..
            } = form.state;
            if confirming.get_untracked() || !complete.get_untracked() {
                return;
            }
            let Some(m) = form.mounted.get_value() else {
                return;
            };
            confirming.set(true);
            error.set(None);
            spawn_local(form.clone().pay(m));
        }
    }

    impl Form {
        fn first(&self) -> bool {
            self.step.as_ref().as_ref().is_some_and(|s| s.first)
        }

        /// Loads Stripe.js and mounts the Payment Element in `target` (not
        /// in the address step's first part) and the Address Element in its
        /// place on the page.
        async fn mount(self, target: web_sys::HtmlElement) {
            let State {
                ready,
                complete,
                error,
                ..
            } = self.state;
            let config = &self.config;
            let given = |secret: &String| (!secret.is_empty()).then(|| secret.clone());
            let options = ElementsOptions {
                publishable_key: config.publishable_key.clone(),
                client_secret: given(&config.client_secret),
                customer_session_client_secret: given(&config.customer_session_client_secret),
                locale: config.locale.clone(),
                // The look for the page's theme.
                appearance: if stripe_elements::prefers_dark() {
                    config.appearance_dark.clone()
                } else {
                    config.appearance_light.clone()
                },
            };
            let element = PaymentElementOptions {
                layout: "tabs".into(),
                billing_details: BillingDetails {
                    name: config.billing_name.clone(),
                    email: config.billing_email.clone(),
                    country: config.billing_country.clone(),
                },
            };
            let handlers = PaymentHandlers::new(
                move || {
                    ready.set(true);
                    // For the benchmark and real-user monitoring alike.
                    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = performance.mark("payment-element-ready");
                    }
                },
                move |is_complete| complete.set(is_complete),
                move |message| error.set(Some(message)),
            );
            let first = self.first();
            if first {
                // Nothing to pay with yet: the button waits for the address only.
                complete.set(true);
            }
            let address = self.address_mount();
            let mounted = StripeElements::load(&config.stripe_js_url, &options)
                .await
                .and_then(|group| {
                    if let Some(address) = address {
                        group.mount_address(address)?;
                    }
                    if !first {
                        group.mount_payment(&target, &element, handlers)?;
                    }
                    Ok(group)
                });
            match mounted {
                Ok(m) => self.mounted.set_value(Some(Rc::new(m))),
                Err(message) => {
                    leptos::logging::warn!("{message}");
                    error.set(Some(config.load_failed.clone()));
                }
            }
        }

        /// The Address Element's mount, when the order has an address step.
        fn address_mount(&self) -> Option<AddressMount> {
            let (Some(step), Some(target)) = (self.step.as_ref(), by_id("address-element")) else {
                return None;
            };
            let (first, ready) = (self.first(), self.state.ready);
            let form = self.clone();
            Some(AddressMount {
                target,
                options: step.options.clone(),
                on_ready: Box::new(move || {
                    if first {
                        ready.set(true);
                    }
                }),
                on_change: Box::new(move |is_complete, value| {
                    form.on_address_change(is_complete, shipping(value))
                }),
            })
        }

        /// Pay: check that what the page shows is what will be charged,
        /// then confirm with Stripe.
        async fn pay(self, m: Rc<StripeElements>) {
            let Some(document) = document() else { return };
            let before = match self.step.as_ref() {
                Some(step) => self.recheck_address(step, &m, &document).await,
                None => self.recheck_order(&m).await,
            };
            match before {
                Before::Pay => self.confirm(&m).await,
                Before::Stop(message) => self.stop(message),
                Before::Reload => reload(),
            }
        }

        /// The address shown, priced as shown, at the version shown: or the
        /// page shows what changed and nothing is paid.
        async fn recheck_address(
            &self,
            step: &AddressStep,
            m: &Rc<StripeElements>,
            document: &web_sys::Document,
        ) -> Before {
            let Some((true, address)) = m.address_value().await else {
                return Before::Stop(None);
            };
            let version = shown_order(document).map(|(_, v)| v);
            let address = shipping(address);
            let said = match post_address(step, &address, version, save_ticked()).await {
                Priced::Refused(message) => {
                    address_message(Some(&message));
                    return Before::Stop(None);
                }
                _ if step.first => return Before::Reload,
                Priced::Unchanged => return Before::Pay,
                Priced::Stale => &self.config.cart_changed,
                Priced::Changed => &step.changed,
            };
            let check = show_checkout_again(document).await;
            let total = follow(check, Some(m.clone()), self.state).await;
            Before::Stop(total.map(|total| with_total(said, &total)))
        }

        /// The order shown is still the one to pay, at the version shown.
        async fn recheck_order(&self, m: &Rc<StripeElements>) -> Before {
            let check = check_checkout().await;
            if matches!(check, Check::Unchanged) {
                return Before::Pay;
            }
            let total = follow(check, Some(m.clone()), self.state).await;
            Before::Stop(total.map(|total| with_total(&self.config.cart_changed, &total)))
        }

        /// `confirmPayment`; without a redirect, goes where Stripe would have
        /// sent the shopper.
        async fn confirm(&self, m: &StripeElements) {
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            let origin = location.origin().unwrap_or_default();
            match m.confirm(&format!("{origin}/checkout/complete")).await {
                ConfirmOutcome::Confirmed {
                    intent,
                    client_secret,
                } => {
                    let _ = location.assign(&format!(
                        "/checkout/complete?payment_intent={intent}&payment_intent_client_secret={client_secret}"
                    ));
                }
                ConfirmOutcome::Failed(error) => self.stop(Some(refusal(&self.config, error))),
            }
        }

        /// Pay is usable again; with a message, the form shows it and moves
        /// the focus there (keyboard and screen-reader users land on the reason).
        fn stop(&self, message: Option<String>) {
            self.state.confirming.set(false);
            if message.is_some() {
                self.state.error.set(message);
                let alert = self.alert;
                request_animation_frame(move || {
                    if let Some(p) = alert.get_untracked() {
                        let _ = p.focus();
                    }
                });
            }
        }

        /// A change of the Address Element. Once the payment is shown, a
        /// complete address that differs from the one priced is priced at
        /// once, and the summary (delivery, total) and the Pay button
        /// follow; Pay waits meanwhile. An incomplete one holds Pay back.
        fn on_address_change(&self, is_complete: bool, value: ShippingAddress) {
            let address_ok = self.state.address_ok;
            address_message(None);
            if self.first() {
                address_ok.set(is_complete);
                return;
            }
            // Another address than the order's: offer to save it.
            if self
                .step
                .as_ref()
                .as_ref()
                .is_some_and(|s| s.prefill != value)
            {
                if let Some(label) = by_id("save-address-label") {
                    label.set_hidden(false);
                }
            }
            let change = self.changes.get().wrapping_add(1);
            self.changes.set(change);
            if !is_complete {
                address_ok.set(false);
                return;
            }
            if self.priced.borrow().as_ref() == Some(&value) {
                address_ok.set(true);
                return;
            }
            address_ok.set(false);
            spawn_local(self.clone().price(value, change));
        }

        /// Asks the server to price `value` (change number `change`), and
        /// shows what it changed.
        async fn price(self, value: ShippingAddress, change: u32) {
            let Some(step) = self.step.as_ref() else {
                return;
            };
            let answer = post_address(step, &value, None, false).await;
            if self.changes.get() != change {
                return; // Typed on meanwhile: the newer change prices itself.
            }
            match answer {
                Priced::Refused(message) => {
                    address_message(Some(&message));
                    return;
                }
                Priced::Changed | Priced::Stale => {
                    if let Some(document) = document() {
                        let check = show_checkout_again(&document).await;
                        follow(check, self.mounted.get_value(), self.state).await;
                    }
                }
                Priced::Unchanged => {}
            }
            *self.priced.borrow_mut() = Some(value);
            self.state.address_ok.set(true);
        }
    }
}
