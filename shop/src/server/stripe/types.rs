//! The Stripe objects the shop reads, with only the fields it uses.
//! Unknown fields are ignored, so newer API versions keep working.

use serde::Deserialize;

use super::error::ApiErrorBody;

/// A Stripe customer. A deleted one comes as `{id, deleted: true}` alone.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created: i64,
    /// Languages the customer reads, most preferred first (`fr-FR`).
    #[serde(default)]
    pub preferred_locales: Vec<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub shipping: Option<Shipping>,
    /// The currency the customer was billed in, once they were.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Address {
    #[serde(default)]
    pub line1: Option<String>,
    #[serde(default)]
    pub line2: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
}

/// `shipping` of a customer or a PaymentIntent.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Shipping {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
}

impl Shipping {
    /// The shop's form of it, not yet checked (`ShippingAddress::cleaned`).
    pub fn to_address(&self) -> crate::delivery::ShippingAddress {
        let address = self.address.clone().unwrap_or_default();
        let text = |v: Option<String>| v.unwrap_or_default();
        crate::delivery::ShippingAddress {
            name: text(self.name.clone()),
            line1: text(address.line1),
            line2: text(address.line2),
            city: text(address.city),
            state: text(address.state),
            postal_code: text(address.postal_code),
            country: text(address.country),
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct PaymentMethod {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub customer: Option<String>,
    pub allow_redisplay: Option<String>,
    #[serde(default)]
    pub created: i64,
    /// The hash named after `type`, for the types whose details the shop shows.
    pub card: Option<CardDetails>,
    pub sepa_debit: Option<AccountDetails>,
    pub us_bank_account: Option<AccountDetails>,
    pub acss_debit: Option<AccountDetails>,
    pub bacs_debit: Option<AccountDetails>,
    pub au_becs_debit: Option<AccountDetails>,
    pub nz_bank_account: Option<AccountDetails>,
    pub ideal: Option<IdealDetails>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CardDetails {
    pub brand: String,
    pub last4: String,
    /// The same for every copy of one card number.
    pub fingerprint: Option<String>,
    pub exp_month: Option<i64>,
    pub exp_year: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct AccountDetails {
    pub bank_name: Option<String>,
    pub last4: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct IdealDetails {
    pub bank: Option<String>,
}

impl PaymentMethod {
    /// What the order history and the receipt say about this method.
    pub fn summary(&self) -> crate::orders::PaymentMethodSummary {
        let account = [
            &self.sepa_debit,
            &self.us_bank_account,
            &self.acss_debit,
            &self.bacs_debit,
            &self.au_becs_debit,
            &self.nz_bank_account,
        ]
        .into_iter()
        .flatten()
        .next();
        let (label, last4) = match (&self.card, account, &self.ideal) {
            (Some(card), ..) => (Some(card.brand.clone()), Some(card.last4.clone())),
            (_, Some(account), _) => (account.bank_name.clone(), account.last4.clone()),
            // Stripe's bank codes (`abn_amro`) as the bank writes its name.
            (.., Some(ideal)) => (
                ideal
                    .bank
                    .as_ref()
                    .map(|b| b.replace('_', " ").to_uppercase()),
                None,
            ),
            _ => (None, None),
        };
        crate::orders::PaymentMethodSummary {
            kind: self.kind.clone(),
            label,
            last4,
        }
    }
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
    /// Where the goods go, as the shop (or the Address Element) set it.
    #[serde(default)]
    pub shipping: Option<Shipping>,
}

/// The one mapping from Stripe's state of a payment to the shop's outcome:
/// used by the webhook, the return page, the order page's refresh and the
/// catch-up alike.
impl From<&PaymentIntent> for crate::orders::PaymentOutcome {
    fn from(pi: &PaymentIntent) -> Self {
        use crate::orders::{FailureReason, PaymentOutcome};
        match pi.status {
            PaymentIntentStatus::Succeeded => PaymentOutcome::Succeeded,
            PaymentIntentStatus::Processing => PaymentOutcome::Processing,
            PaymentIntentStatus::Canceled => PaymentOutcome::Canceled,
            PaymentIntentStatus::RequiresPaymentMethod => match &pi.last_payment_error {
                Some(e) => PaymentOutcome::Failed {
                    message: e.message.clone().unwrap_or_default(),
                    reason: FailureReason::from_stripe(
                        e.code.as_deref(),
                        e.decline_code.as_deref(),
                    ),
                },
                None => PaymentOutcome::Pending,
            },
            _ => PaymentOutcome::Pending,
        }
    }
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

impl PaymentIntentStatus {
    /// An attempt made after a failure got further than it (the money is
    /// on its way or taken): a failure event or a failure notice about the
    /// earlier attempt is out of date.
    pub fn went_past_a_failure(self) -> bool {
        matches!(
            self,
            Self::Processing | Self::RequiresCapture | Self::Succeeded
        )
    }
}

/// A refund of a payment (part or all of it).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub created: i64,
    pub payment_intent: Option<String>,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `canceled`.
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub failure_reason: Option<String>,
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
