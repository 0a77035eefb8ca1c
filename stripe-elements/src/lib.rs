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

mod error;
mod js;
mod mount;
mod options;

pub use error::{ConfirmOutcome, ErrorKind, StripeError};
pub use mount::{mount, prefers_dark, Mounted};
pub use options::{
    Address, AddressMount, BillingDetails, ElementsOptions, PaymentElementOptions, PaymentHandlers,
};
