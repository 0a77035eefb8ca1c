//! Stripe's events, typed: the kinds the shop acts on (Stripe's names
//! written once, below) and `data.object` as the client's own types.
//! Whatever the shop does not act on parses too, as `Other`, so it can be
//! acknowledged and left alone.

use serde::Deserialize;

use super::types::{Customer, PaymentIntent, PaymentMethod};

/// Writes the enum of event kinds with Stripe's names as serde renames, and
/// `as_str` and `HANDLED` from the same list, so a name exists once.
macro_rules! event_kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The kind of an event (`type`), for the kinds the shop acts on.
        #[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
        pub enum EventKind {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
            /// Any other kind, by its name: acknowledged, left alone.
            #[serde(untagged)]
            Other(String),
        }

        impl EventKind {
            /// Every kind the shop acts on (the catch-up asks Stripe for these).
            pub const HANDLED: &'static [EventKind] = &[$(EventKind::$variant,)*];

            /// Stripe's name of the kind (`payment_intent.succeeded`).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Other(name) => name,
                }
            }
        }
    };
}

event_kinds! {
    /// The payment is complete.
    PaymentIntentSucceeded = "payment_intent.succeeded",
    /// A bank debit is under way.
    PaymentIntentProcessing = "payment_intent.processing",
    /// An attempt failed; the shopper may try again.
    PaymentIntentPaymentFailed = "payment_intent.payment_failed",
    PaymentIntentCanceled = "payment_intent.canceled",
    /// Who the customer is changed (name, e-mail, language).
    CustomerUpdated = "customer.updated",
    CustomerDeleted = "customer.deleted",
    /// A payment's refunds changed.
    ChargeRefunded = "charge.refunded",
    RefundCreated = "refund.created",
    RefundUpdated = "refund.updated",
    RefundFailed = "refund.failed",
    /// A method was saved to a customer (the shop tidies look-alike cards).
    PaymentMethodAttached = "payment_method.attached",
}

impl EventKind {
    /// The four kinds that settle (or move) an order's payment.
    pub fn settles_a_payment(&self) -> bool {
        matches!(
            self,
            Self::PaymentIntentSucceeded
                | Self::PaymentIntentProcessing
                | Self::PaymentIntentPaymentFailed
                | Self::PaymentIntentCanceled
        )
    }

    /// A kind whose effect is read from the customer at Stripe.
    pub fn is_about_a_customer(&self) -> bool {
        matches!(self, Self::CustomerUpdated | Self::CustomerDeleted)
    }

    /// A kind whose effect is read from the payment's refunds at Stripe.
    pub fn is_about_refunds(&self) -> bool {
        matches!(
            self,
            Self::ChargeRefunded | Self::RefundCreated | Self::RefundUpdated | Self::RefundFailed
        )
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Stripe event (`GET /v1/events` or a webhook's body).
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The version `data` was rendered in (Stripe renders each event once,
    /// in the endpoint's or the account's version).
    #[serde(default)]
    pub api_version: Option<String>,
    /// Whether the event is from live mode.
    #[serde(default)]
    pub livemode: bool,
    pub data: EventData,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EventData {
    pub object: EventObject,
}

/// `data.object`, by its `object` field. A known object that does not
/// parse makes the event malformed; an unknown one is kept as JSON.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub enum EventObject {
    PaymentIntent(Box<PaymentIntent>),
    Customer(Box<Customer>),
    PaymentMethod(Box<PaymentMethod>),
    /// A charge or a refund: the shop needs only the payment they belong to.
    Charge(PaymentPart),
    Refund(PaymentPart),
    Other(serde_json::Value),
}

/// A charge or refund as an event carries it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct PaymentPart {
    pub id: String,
    #[serde(default)]
    pub payment_intent: Option<String>,
}

impl TryFrom<serde_json::Value> for EventObject {
    type Error = serde_json::Error;

    fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
        use serde_json::from_value;
        let kind = value.get("object").and_then(|o| o.as_str()).unwrap_or("");
        Ok(match kind {
            "payment_intent" => Self::PaymentIntent(from_value(value)?),
            "customer" => Self::Customer(from_value(value)?),
            "payment_method" => Self::PaymentMethod(from_value(value)?),
            "charge" => Self::Charge(from_value(value)?),
            "refund" => Self::Refund(from_value(value)?),
            _ => Self::Other(value),
        })
    }
}

impl Event {
    /// The PaymentIntent the event carries, if it carries one.
    pub fn payment_intent(&self) -> Option<&PaymentIntent> {
        match &self.data.object {
            EventObject::PaymentIntent(intent) => Some(intent),
            _ => None,
        }
    }

    /// The id of the PaymentIntent the event is about: its own object, or
    /// the payment a charge or refund belongs to.
    pub fn payment_intent_id(&self) -> Option<&str> {
        match &self.data.object {
            EventObject::PaymentIntent(intent) => Some(&intent.id),
            EventObject::Charge(part) | EventObject::Refund(part) => part.payment_intent.as_deref(),
            _ => None,
        }
    }

    /// The Stripe customer the event is about: a customer event's object,
    /// or the customer a payment method was attached to.
    pub fn customer_id(&self) -> Option<&str> {
        match &self.data.object {
            EventObject::Customer(customer) => Some(&customer.id),
            EventObject::PaymentMethod(method) => method.customer.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::stripe::PaymentIntentStatus;

    fn event(kind: &str, object: serde_json::Value) -> Result<Event, serde_json::Error> {
        serde_json::from_value(serde_json::json!({
            "id": "evt_1", "object": "event", "type": kind,
            "api_version": "2026-10-28.endive", "livemode": false,
            "data": { "object": object },
        }))
    }

    fn intent(status: &str) -> serde_json::Value {
        serde_json::json!({
            "id": "pi_1", "object": "payment_intent", "amount": 1250, "currency": "eur",
            "status": status, "payment_method": "pm_1",
            "last_payment_error": if status == "requires_payment_method" {
                serde_json::json!({ "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds", "message": "Your card has insufficient funds." })
            } else { serde_json::Value::Null },
        })
    }

    #[test]
    fn every_handled_kind_parses_by_stripe_name_and_prints_it_back() {
        for kind in EventKind::HANDLED {
            let object = match kind {
                k if k.settles_a_payment() => intent("succeeded"),
                k if k.is_about_a_customer() => {
                    serde_json::json!({ "id": "cus_1", "object": "customer" })
                }
                EventKind::ChargeRefunded => {
                    serde_json::json!({ "id": "ch_1", "object": "charge", "payment_intent": "pi_1" })
                }
                k if k.is_about_refunds() => {
                    serde_json::json!({ "id": "re_1", "object": "refund", "payment_intent": "pi_1" })
                }
                _ => {
                    serde_json::json!({ "id": "pm_1", "object": "payment_method", "type": "card", "customer": "cus_1" })
                }
            };
            let parsed = event(kind.as_str(), object).unwrap();
            assert_eq!(&parsed.kind, kind);
            assert_eq!(parsed.kind.to_string(), kind.as_str());
        }
        assert_eq!(EventKind::HANDLED.len(), 11);
    }

    #[test]
    fn the_object_is_the_clients_type() {
        let failed = event(
            "payment_intent.payment_failed",
            intent("requires_payment_method"),
        )
        .unwrap();
        let pi = failed.payment_intent().unwrap();
        assert_eq!(pi.status, PaymentIntentStatus::RequiresPaymentMethod);
        assert_eq!(
            pi.last_payment_error
                .as_ref()
                .unwrap()
                .decline_code
                .as_deref(),
            Some("insufficient_funds")
        );
        assert_eq!(failed.payment_intent_id(), Some("pi_1"));
        let refund = event(
            "refund.updated",
            serde_json::json!({ "id": "re_1", "object": "refund", "payment_intent": "pi_9" }),
        )
        .unwrap();
        assert_eq!(refund.payment_intent_id(), Some("pi_9"));
        let attached = event("payment_method.attached", serde_json::json!({ "id": "pm_1", "object": "payment_method", "type": "card", "customer": "cus_7" })).unwrap();
        assert_eq!(attached.customer_id(), Some("cus_7"));
        let deleted = event(
            "customer.deleted",
            serde_json::json!({ "id": "cus_2", "object": "customer", "deleted": true }),
        )
        .unwrap();
        assert!(matches!(&deleted.data.object, EventObject::Customer(c) if c.deleted));
    }

    #[test]
    fn an_unknown_kind_or_object_is_kept_as_other() {
        let created = event("payment_intent.created", intent("requires_payment_method")).unwrap();
        assert_eq!(
            created.kind,
            EventKind::Other("payment_intent.created".into())
        );
        assert_eq!(created.kind.as_str(), "payment_intent.created");
        assert!(!created.kind.settles_a_payment());
        let invoice = event(
            "invoice.paid",
            serde_json::json!({ "id": "in_1", "object": "invoice" }),
        )
        .unwrap();
        assert!(matches!(invoice.data.object, EventObject::Other(_)));
        assert_eq!(invoice.payment_intent_id(), None);
    }

    #[test]
    fn a_malformed_object_makes_the_event_malformed() {
        // A PaymentIntent without its amount, status or currency.
        assert!(event(
            "payment_intent.succeeded",
            serde_json::json!({ "id": "pi_1", "object": "payment_intent" })
        )
        .is_err());
        // A known kind without a kind name at all.
        assert!(serde_json::from_value::<Event>(
            serde_json::json!({ "id": "evt_1", "data": { "object": {} } })
        )
        .is_err());
        assert!(
            event(
                "customer.updated",
                serde_json::json!({ "object": "customer" })
            )
            .is_err(),
            "no id"
        );
    }
}
