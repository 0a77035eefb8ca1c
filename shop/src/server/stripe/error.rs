//! What can go wrong talking to Stripe, and what to tell the shopper.

use serde::{Deserialize, Serialize};

/// Stripe's error object (`{"error": {...}}`), also `last_payment_error`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub code: Option<String>,
    pub decline_code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
}

impl ApiErrorBody {
    /// The `error` of an error answer, or an `api_error` naming the status
    /// when the body is not Stripe's envelope (a proxy's page, say).
    pub fn from_response(status: u16, text: &str) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            error: ApiErrorBody,
        }
        serde_json::from_str::<Envelope>(text)
            .map(|e| e.error)
            .unwrap_or_else(|_| ApiErrorBody {
                kind: "api_error".into(),
                message: Some(format!("HTTP {status}")),
                ..Default::default()
            })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe answered with an error.
    #[error("Stripe answered {status}: {} ({})", body.message.as_deref().unwrap_or(""), body.code.as_deref().unwrap_or(&body.kind))]
    Api {
        status: u16,
        body: ApiErrorBody,
        request_id: Option<String>,
    },
    /// Stripe could not be reached (after retries).
    #[error("could not reach Stripe: {0}")]
    Connection(String),
    /// Stripe's answer could not be read.
    #[error("unexpected answer from Stripe: {0}")]
    Decode(String),
}

impl StripeError {
    pub fn status(&self) -> Option<u16> {
        match self {
            StripeError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            StripeError::Api { body, .. } => body.code.as_deref(),
            _ => None,
        }
    }

    /// Whether a person can fix this (a declined card, a wrong number), as
    /// opposed to a fault of the shop or of Stripe.
    pub fn is_shopper_actionable(&self) -> bool {
        matches!(self, StripeError::Api { body, .. } if body.kind == "card_error")
    }
}
