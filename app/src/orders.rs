//! The order state machine, shared by everything that learns about a
//! payment (the return page, webhooks, polling), so they agree whatever
//! arrives first and however often.
//!
//! ```text
//! awaiting_payment ──processing──▶ processing ──succeeded──▶ paid (final)
//!        │  ▲                          │
//!     failed│ └──────retry─────┐     failed
//!        ▼                     │        ▼
//!  payment_failed ─────────────┴── payment_failed
//! any state but paid ──canceled──▶ canceled (final)
//! ```

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    AwaitingPayment,
    Processing,
    Paid,
    PaymentFailed,
    Canceled,
}

impl OrderStatus {
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Processing => "processing",
            OrderStatus::Paid => "paid",
            OrderStatus::PaymentFailed => "payment_failed",
            OrderStatus::Canceled => "canceled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "awaiting_payment" => OrderStatus::AwaitingPayment,
            "processing" => OrderStatus::Processing,
            "paid" => OrderStatus::Paid,
            "payment_failed" => OrderStatus::PaymentFailed,
            "canceled" => OrderStatus::Canceled,
            _ => return None,
        })
    }

    /// Whether the customer can still pay (or pay again) for this order.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderStatus::AwaitingPayment | OrderStatus::PaymentFailed
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Canceled)
    }
}

/// What Stripe says about an order's payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    Processing,
    Succeeded,
    /// The attempt failed; the customer may try again.
    Failed {
        message: String,
    },
    Canceled,
    /// Nothing decided yet (requires_payment_method without an error, requires_action, …).
    Pending,
}

/// The order's next status, or `None` when the outcome changes nothing
/// (a duplicate, a late `processing` after `succeeded`, anything after paid).
pub fn next_status(current: OrderStatus, outcome: &PaymentOutcome) -> Option<OrderStatus> {
    use OrderStatus::*;
    let next = match (current, outcome) {
        (Paid, _) | (Canceled, _) => return None,
        (_, PaymentOutcome::Succeeded) => Paid,
        (_, PaymentOutcome::Canceled) => Canceled,
        (AwaitingPayment | PaymentFailed, PaymentOutcome::Processing) => Processing,
        (Processing, PaymentOutcome::Processing) => return None,
        (AwaitingPayment | Processing, PaymentOutcome::Failed { .. }) => PaymentFailed,
        // A newer failure replaces the message, the status stays.
        (PaymentFailed, PaymentOutcome::Failed { .. }) => PaymentFailed,
        (_, PaymentOutcome::Pending) => return None,
    };
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    fn failed() -> PaymentOutcome {
        PaymentOutcome::Failed {
            message: "Your card was declined.".into(),
        }
    }

    #[test]
    fn paid_is_final_whatever_comes_after() {
        for outcome in [
            PaymentOutcome::Processing,
            failed(),
            PaymentOutcome::Canceled,
            PaymentOutcome::Succeeded,
        ] {
            assert_eq!(next_status(Paid, &outcome), None, "{outcome:?}");
        }
    }

    #[test]
    fn every_order_of_events_ends_paid_once_succeeded_arrives() {
        let events = [
            PaymentOutcome::Processing,
            PaymentOutcome::Succeeded,
            failed(),
        ];
        // All permutations of the three events, each possibly duplicated.
        let orders = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        for order in orders {
            let mut status = AwaitingPayment;
            let mut changes = 0;
            for i in order.iter().chain(order.iter()) {
                if let Some(next) = next_status(status, &events[*i]) {
                    if next == Paid && status != Paid {
                        changes += 1;
                    }
                    status = next;
                }
            }
            assert_eq!(status, Paid, "{order:?}");
            assert_eq!(changes, 1, "paid exactly once for {order:?}");
        }
    }

    #[test]
    fn retries_and_failures() {
        assert_eq!(next_status(AwaitingPayment, &failed()), Some(PaymentFailed));
        assert_eq!(
            next_status(PaymentFailed, &PaymentOutcome::Processing),
            Some(Processing)
        );
        assert_eq!(next_status(Processing, &failed()), Some(PaymentFailed));
        assert_eq!(next_status(Processing, &PaymentOutcome::Processing), None);
        assert_eq!(next_status(AwaitingPayment, &PaymentOutcome::Pending), None);
        assert_eq!(
            next_status(PaymentFailed, &PaymentOutcome::Canceled),
            Some(Canceled)
        );
        assert_eq!(next_status(Canceled, &PaymentOutcome::Succeeded), None);
        assert!(AwaitingPayment.is_open() && PaymentFailed.is_open() && !Processing.is_open());
        for s in [AwaitingPayment, Processing, Paid, PaymentFailed, Canceled] {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
    }
}
