//! What the shop tells a customer about their orders (the messages page's
//! server function is `crate::api::list_messages`).
//!
//! Messages are written by the order state machine (`server::order_store`) in the
//! same transaction as the change they report, then delivered by the outbox
//! (`server::outbox`): by e-mail when SMTP is configured, otherwise only
//! kept here, on the customer's messages page.

use serde::{Deserialize, Serialize};

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageKind {
        /// The order is paid and will ship.
        OrderConfirmed = "order_confirmed",
        /// The order is taken; the payment (a bank debit) is still processing.
        PaymentPending = "payment_pending",
        /// The payment failed; a link leads back to the checkout of the same order.
        PaymentFailed = "payment_failed",
        /// Part or all of a paid order was refunded.
        RefundIssued = "refund_issued",
        /// A refund could not reach the payment method after all.
        RefundFailed = "refund_failed",
    }
}

crate::coded_enum! {
    /// Where a message stands in the outbox (`messages.delivery`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum MessageDelivery {
        /// Waiting for the outbox (again, after a failed attempt).
        Pending = "pending",
        /// Claimed by an instance, being sent.
        Sending = "sending",
        /// Sent by e-mail.
        Sent = "sent",
        /// Not e-mailed (no SMTP): kept for the messages page only.
        Kept = "kept",
        /// A failure notice the order no longer needs: never sent nor shown.
        Superseded = "superseded",
        /// Given up on.
        Failed = "failed",
        /// The shop stopped while sending it; not retried, so never sent twice.
        Interrupted = "interrupted",
    }
}

impl MessageDelivery {
    /// Whether the customer sees it on the messages page.
    pub fn is_shown(self) -> bool {
        !matches!(self, Self::Pending | Self::Superseded)
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
