//! Stripe.js's Payment and Address Elements from Rust, through wasm-bindgen.
//!
//! ```ignore
//! use stripe_elements::{ElementsOptions, PaymentElementOptions, PaymentHandlers, StripeElements};
//!
//! let options = ElementsOptions {
//!     publishable_key: "pk_test_…".into(),
//!     client_secret: Some(intent_secret),
//!     customer_session_client_secret: Some(session_secret),
//!     ..Default::default()
//! };
//! let payment = PaymentElementOptions { layout: "tabs".into(), ..Default::default() };
//! let handlers = PaymentHandlers::new(|| log("ready"), |complete| log(complete), |message| log(message));
//! let group = StripeElements::load("https://js.stripe.com/v3/", &options).await?;
//! group.mount_payment(&div, &payment, handlers)?;
//! // …when the customer presses Pay:
//! match group.confirm("https://shop.example/checkout/complete").await {
//!     ConfirmOutcome::Confirmed { intent, client_secret } => { /* no redirect was needed */ }
//!     ConfirmOutcome::Failed(error) => { /* show the reason; `error` says why */ }
//! }
//! ```
//!
//! With the `leptos` feature, `<Elements>`, `<PaymentElement/>`,
//! `<AddressElement/>` and `use_stripe_elements()` do the same as components.
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

#[cfg(feature = "leptos")]
mod components;
mod error;
mod js;
mod mount;
mod options;

#[cfg(feature = "leptos")]
pub use components::{
    use_stripe_elements, AddressElement, Elements, ElementsSignal, PaymentElement,
};
pub use error::{ConfirmOutcome, ErrorKind, StripeError};
pub use mount::{prefers_dark, StripeElements};
pub use options::{
    Address, AddressMount, BillingDetails, ElementsOptions, PaymentElementOptions, PaymentHandlers,
};
