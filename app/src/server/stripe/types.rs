//! The Stripe objects the shop reads, with only the fields it uses.
//! Unknown fields are ignored, so newer API versions keep working.

use serde::Deserialize;

use super::error::ApiErrorBody;

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct PaymentMethod {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub customer: Option<String>,
    pub allow_redisplay: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub status: PaymentIntentStatus,
    pub client_secret: Option<String>,
    pub customer: Option<String>,
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
    pub last_payment_error: Option<ApiErrorBody>,
    pub payment_method: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PaymentIntentStatus {
    RequiresPaymentMethod,
    RequiresConfirmation,
    RequiresAction,
    Processing,
    RequiresCapture,
    Canceled,
    Succeeded,
    /// A status this code does not know yet.
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CustomerSession {
    pub client_secret: String,
    pub expires_at: i64,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    /// Returned only when the endpoint is created.
    pub secret: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct List<T> {
    pub data: Vec<T>,
    pub has_more: bool,
}
