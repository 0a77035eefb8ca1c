//! The shop's Stripe client: typed requests for what the checkout uses,
//! an `Idempotency-Key` on every POST, retries with backoff and jitter, and
//! errors mapped to messages a shopper can act on. The same code talks to
//! api.stripe.com or to the embedded emulator; only the base URL differs.

mod client;
mod error;
mod event;
mod form;
mod types;

pub use client::{NewPaymentIntent, RetryPolicy, StripeClient, StripeSettings};
pub use error::{ApiErrorBody, StripeError};
pub use event::{Event, EventData, EventKind, EventObject, PaymentPart};
pub use form::Form;
pub use types::*;

/// A secret (API key, webhook secret) that never prints itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prefix: String = self.0.chars().take(8).collect();
        write!(f, "Secret({prefix}…)")
    }
}

/// The API version the shop is written against (Stripe.js `endive`).
pub const API_VERSION: &str = "2026-10-28.endive";
