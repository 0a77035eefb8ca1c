//! What a page gives to mount the elements, and what it hears back.

/// The Elements group: `Stripe(publishable_key, {locale})` and
/// `stripe.elements({clientSecret, customerSessionClientSecret, locale, appearance})`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ElementsOptions {
    pub publishable_key: String,
    /// The PaymentIntent's client secret. `None` for a group with only the
    /// Address Element (no intent yet).
    pub client_secret: Option<String>,
    /// A CustomerSession's client secret: the Payment Element then shows the
    /// customer's saved payment methods (as the session's features allow).
    pub customer_session_client_secret: Option<String>,
    /// Stripe.js's `locale` (`auto`, `en`, `fr`, …).
    pub locale: String,
    /// Stripe's `appearance` object, as JSON (`{"theme": "stripe", "variables": {…}}`);
    /// empty for Stripe's default.
    pub appearance: String,
}

/// `elements.create('payment', options)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaymentElementOptions {
    /// `tabs`, `accordion` (Stripe's default when empty) …
    pub layout: String,
    /// `defaultValues.billingDetails`: what the customer need not type again.
    pub billing_details: BillingDetails,
}

/// `defaultValues.billingDetails` of the Payment Element (empty: not given).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BillingDetails {
    pub name: String,
    pub email: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// What a page hears from the Payment Element.
pub struct PaymentHandlers {
    /// `ready`: shown, with Stripe's answer (hence the saved methods).
    pub on_ready: Box<dyn Fn()>,
    /// `change`: whether the entered details are `complete`.
    pub on_change: Box<dyn Fn(bool)>,
    /// `loaderror`: the element could not load (its message).
    pub on_load_error: Box<dyn Fn(String)>,
}

impl PaymentHandlers {
    pub fn new(
        on_ready: impl Fn() + 'static,
        on_change: impl Fn(bool) + 'static,
        on_load_error: impl Fn(String) + 'static,
    ) -> Self {
        Self {
            on_ready: Box::new(on_ready),
            on_change: Box::new(on_change),
            on_load_error: Box::new(on_load_error),
        }
    }
}

/// The Address Element to mount in the same group.
pub struct AddressMount {
    pub target: web_sys::HtmlElement,
    /// `elements.create('address', options)`: `mode`, `allowedCountries`,
    /// `defaultValues`, `contacts` … exactly as Stripe.js takes them.
    pub options: wasm_bindgen::JsValue,
    /// `ready`.
    pub on_ready: Box<dyn Fn()>,
    /// `change`: `complete`, and the address entered so far.
    pub on_change: Box<dyn Fn(bool, Address)>,
}

/// An address as the Address Element gives it (`{name, address: {line1, …}}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}
