//! What the shop tells a customer about their orders (the messages page's
//! server function is `crate::api::list_messages`).
//!
//! Messages are written by the order state machine (`server::order_store`) in the
//! same transaction as the change they report, then delivered by the outbox
//! (`server::outbox`): by e-mail when SMTP is configured, otherwise only
//! kept here, on the customer's messages page.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// The order is paid and will ship.
    OrderConfirmed,
    /// The order is taken; the payment (a bank debit) is still processing.
    PaymentPending,
    /// The payment failed; a link leads back to the checkout of the same order.
    PaymentFailed,
    /// Part or all of a paid order was refunded.
    RefundIssued,
    /// A refund could not reach the payment method after all.
    RefundFailed,
}

impl MessageKind {
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::OrderConfirmed => "order_confirmed",
            MessageKind::PaymentPending => "payment_pending",
            MessageKind::PaymentFailed => "payment_failed",
            MessageKind::RefundIssued => "refund_issued",
            MessageKind::RefundFailed => "refund_failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "order_confirmed" => MessageKind::OrderConfirmed,
            "payment_pending" => MessageKind::PaymentPending,
            "payment_failed" => MessageKind::PaymentFailed,
            "refund_issued" => MessageKind::RefundIssued,
            "refund_failed" => MessageKind::RefundFailed,
            _ => return None,
        })
    }
}

/// One message as the customer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub order_id: i64,
    pub kind: MessageKind,
    pub subject: String,
    pub body: String,
    /// A path in the shop (the order history, or the checkout to try again).
    pub link: String,
    /// Whether it also went out by e-mail.
    pub emailed: bool,
    pub created_at: i64,
}
