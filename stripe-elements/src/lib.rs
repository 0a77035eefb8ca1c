//! Stripe.js's Payment and Address Elements from Rust, through wasm-bindgen.
//!
//! ```ignore
//! use stripe_elements::{mount, ElementsOptions, PaymentElementOptions, PaymentHandlers};
//!
//! let options = ElementsOptions {
//!     publishable_key: "pk_test_…".into(),
//!     client_secret: Some(intent_secret),
//!     customer_session_client_secret: Some(session_secret),
//!     ..Default::default()
//! };
//! let payment = PaymentElementOptions { layout: "tabs".into(), ..Default::default() };
//! let handlers = PaymentHandlers::new(|| log("ready"), |complete| log(complete), |message| log(message));
//! let mounted = mount("https://js.stripe.com/v3/", &options, Some((&div, payment, handlers)), None).await?;
//! match mounted.confirm("https://shop.example/checkout/complete").await {
//!     ConfirmOutcome::Confirmed { intent, client_secret } => { /* no redirect was needed */ }
//!     ConfirmOutcome::Failed(error) => { /* show the reason; `error` says why */ }
//! }
//! ```
//!
//! The same code drives the real Stripe.js or a stand-in (such as the
//! `stripe-emulator` crate's): only the script's URL differs. Stripe.js is
//! loaded once, from a `<script id="stripe-js">` the page already has (so it
//! can load while the page parses) or from one this crate adds.
//!
//! JavaScript objects are built and read field by field with `Reflect`
//! rather than through serde: a browser bundle stays smaller, and the fields
//! read from Stripe's answers are named once, here. Everything compiles on
//! every target; calling into Stripe.js outside a browser fails (an `Err`,
//! or wasm-bindgen's panic off wasm32), so a server build can link the
//! crate without using it.
#![deny(unsafe_code)]

mod js;
mod mount;

pub use mount::{mount, prefers_dark, Mounted};

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

/// How `confirmPayment({…, redirect: 'if_required'})` ended when it did
/// not leave the page (a redirect leaves it for the bank's or 3-D Secure's
/// page, then comes back to the `return_url`).
#[derive(Clone, Debug, PartialEq)]
pub enum ConfirmOutcome {
    /// Succeeded or processing, without a redirect: the intent's id and
    /// client secret, for the page a redirect would have led to.
    Confirmed {
        intent: String,
        client_secret: String,
    },
    /// Stripe's error, when it gave one (`None` when Stripe.js could not answer).
    Failed(Option<StripeError>),
}

/// A Stripe.js `error`: what a page decides on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeError {
    pub kind: ErrorKind,
    /// Stripe's `code` (`card_declined`, `incomplete_number`, …).
    pub code: Option<String>,
    /// The issuer's reason for a decline (`insufficient_funds`, …).
    pub decline_code: Option<String>,
    /// Stripe.js's message, in its `locale`.
    pub message: Option<String>,
}

/// Stripe's error `type`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    /// The customer can fix it: a declined card, a wrong number.
    CardError,
    /// Details the element checked before sending them.
    ValidationError,
    InvalidRequestError,
    /// Stripe's fault, or one it could not explain.
    #[default]
    ApiError,
    /// A type this crate does not name.
    Other(String),
}

impl ErrorKind {
    /// Stripe's name for it (`card_error`, …).
    pub fn as_str(&self) -> &str {
        match self {
            ErrorKind::CardError => "card_error",
            ErrorKind::ValidationError => "validation_error",
            ErrorKind::InvalidRequestError => "invalid_request_error",
            ErrorKind::ApiError => "api_error",
            ErrorKind::Other(kind) => kind,
        }
    }
}

impl From<&str> for ErrorKind {
    fn from(kind: &str) -> Self {
        match kind {
            "card_error" => ErrorKind::CardError,
            "validation_error" => ErrorKind::ValidationError,
            "invalid_request_error" => ErrorKind::InvalidRequestError,
            "api_error" | "" => ErrorKind::ApiError,
            other => ErrorKind::Other(other.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn error_kinds_keep_stripes_names() {
        for name in [
            "card_error",
            "validation_error",
            "invalid_request_error",
            "api_error",
            "rate_limit_error",
        ] {
            assert_eq!(ErrorKind::from(name).as_str(), name);
        }
        assert_eq!(ErrorKind::from(""), ErrorKind::ApiError);
    }
}
