//! The PaymentIntent status machine, as Stripe documents it (emulator
//! README, "What it implements"), apart from parameters, rendering and HTTP:
//!
//! ```text
//!                     update (method set)
//! requires_payment_method ─────────────▶ requires_confirmation
//!        ▲   │ confirm                          │ confirm
//!        │   ▼                                  ▼
//!        │  ┌─ declined ──────────────▶ requires_payment_method
//!        │  ├─ authentication / bank ─▶ requires_action ─ completed ─▶ (as confirm)
//!        │  ├─ bank debit ────────────▶ processing ─ settled ─▶ succeeded | requires_payment_method
//!        │  ├─ manual capture ────────▶ requires_capture ─ capture ─▶ succeeded
//!        │  └─ paid ──────────────────▶ succeeded
//! any of requires_* ─ cancel ─▶ canceled          (succeeded, canceled: final)
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    RequiresPaymentMethod,
    RequiresConfirmation,
    RequiresAction,
    Processing,
    RequiresCapture,
    Canceled,
    Succeeded,
}

impl IntentStatus {
    pub fn code(self) -> &'static str {
        match self {
            IntentStatus::RequiresPaymentMethod => "requires_payment_method",
            IntentStatus::RequiresConfirmation => "requires_confirmation",
            IntentStatus::RequiresAction => "requires_action",
            IntentStatus::Processing => "processing",
            IntentStatus::RequiresCapture => "requires_capture",
            IntentStatus::Canceled => "canceled",
            IntentStatus::Succeeded => "succeeded",
        }
    }

    /// Statuses from which a confirmation (and a change of the payment) is allowed.
    pub fn is_confirmable(self) -> bool {
        matches!(
            self,
            IntentStatus::RequiresPaymentMethod
                | IntentStatus::RequiresConfirmation
                | IntentStatus::RequiresAction
        )
    }
}

impl fmt::Display for IntentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a confirmation (or the completion of its action, or a settlement)
/// came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Paid; with manual capture, authorised and waiting for the capture.
    Paid { manual_capture: bool },
    /// Declined or failed: the customer may try another method.
    Failed,
    /// 3-D Secure or a bank redirect first.
    NeedsAction,
    /// A bank debit on its way.
    Debiting,
}

/// Something that happens to an intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `POST /v1/payment_intents/:id` changing the amount, currency or method.
    UpdatePayment {
        has_method: bool,
    },
    /// `confirm`, with what it came to.
    Confirm(Outcome),
    /// The customer finished (or failed) 3-D Secure or the bank page.
    CompleteAction(Outcome),
    /// The bank settled a debit.
    Settle {
        succeeded: bool,
    },
    Cancel,
    Capture,
}

/// The status after `step`, or `None` when Stripe refuses the step in `from`
/// (the handlers answer that with an `payment_intent_unexpected_state` error).
pub fn next(from: IntentStatus, step: Step) -> Option<IntentStatus> {
    use IntentStatus::*;
    let after = |outcome: Outcome| match outcome {
        Outcome::Paid {
            manual_capture: true,
        } => RequiresCapture,
        Outcome::Paid {
            manual_capture: false,
        } => Succeeded,
        Outcome::Failed => RequiresPaymentMethod,
        Outcome::NeedsAction => RequiresAction,
        Outcome::Debiting => Processing,
    };
    match (from, step) {
        (from, Step::UpdatePayment { has_method }) if from.is_confirmable() => {
            Some(if has_method {
                RequiresConfirmation
            } else {
                RequiresPaymentMethod
            })
        }
        (from, Step::Confirm(outcome)) if from.is_confirmable() => Some(after(outcome)),
        // A completed action cannot ask for another one.
        (RequiresAction, Step::CompleteAction(outcome)) if outcome != Outcome::NeedsAction => {
            Some(after(outcome))
        }
        (Processing, Step::Settle { succeeded }) => Some(if succeeded {
            Succeeded
        } else {
            RequiresPaymentMethod
        }),
        (
            RequiresPaymentMethod | RequiresConfirmation | RequiresAction | RequiresCapture,
            Step::Cancel,
        ) => Some(Canceled),
        (RequiresCapture, Step::Capture) => Some(Succeeded),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::IntentStatus::*;
    use super::*;

    const PAID: Outcome = Outcome::Paid {
        manual_capture: false,
    };
    const ALL: [IntentStatus; 7] = [
        RequiresPaymentMethod,
        RequiresConfirmation,
        RequiresAction,
        Processing,
        RequiresCapture,
        Canceled,
        Succeeded,
    ];

    #[test]
    fn codes_are_stripes_and_serde_agrees() {
        for status in ALL {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.code())
            );
            assert_eq!(status.to_string(), status.code());
        }
    }

    #[test]
    fn a_card_that_pays_succeeds_at_once() {
        // 4242 4242 4242 4242, from either status a new intent has.
        assert_eq!(
            next(RequiresPaymentMethod, Step::Confirm(PAID)),
            Some(Succeeded)
        );
        assert_eq!(
            next(RequiresConfirmation, Step::Confirm(PAID)),
            Some(Succeeded)
        );
    }

    #[test]
    fn a_declined_card_leaves_the_intent_to_try_again() {
        // 4000 0000 0000 0002: HTTP 402, back to requires_payment_method.
        let declined = next(RequiresConfirmation, Step::Confirm(Outcome::Failed));
        assert_eq!(declined, Some(RequiresPaymentMethod));
        assert_eq!(
            next(RequiresPaymentMethod, Step::Confirm(PAID)),
            Some(Succeeded)
        );
    }

    #[test]
    fn three_d_secure_completed_pays_and_failed_asks_for_another_method() {
        // 4000 0027 6000 3184.
        let action = next(RequiresPaymentMethod, Step::Confirm(Outcome::NeedsAction));
        assert_eq!(action, Some(RequiresAction));
        assert_eq!(
            next(RequiresAction, Step::CompleteAction(PAID)),
            Some(Succeeded)
        );
        assert_eq!(
            next(RequiresAction, Step::CompleteAction(Outcome::Failed)),
            Some(RequiresPaymentMethod)
        );
        // iDEAL and Sofort: authorised at the bank, then a debit.
        assert_eq!(
            next(RequiresAction, Step::CompleteAction(Outcome::Debiting)),
            Some(Processing)
        );
        // Nothing completes an action that is not pending.
        assert_eq!(next(RequiresConfirmation, Step::CompleteAction(PAID)), None);
        assert_eq!(
            next(RequiresAction, Step::CompleteAction(Outcome::NeedsAction)),
            None
        );
    }

    #[test]
    fn a_bank_debit_processes_then_settles_either_way() {
        // DE89 3704 0044 0532 0130 00 succeeds; …3001 fails.
        assert_eq!(
            next(RequiresConfirmation, Step::Confirm(Outcome::Debiting)),
            Some(Processing)
        );
        assert_eq!(
            next(Processing, Step::Settle { succeeded: true }),
            Some(Succeeded)
        );
        assert_eq!(
            next(Processing, Step::Settle { succeeded: false }),
            Some(RequiresPaymentMethod)
        );
        // Nothing but the bank moves a processing intent.
        assert_eq!(next(Processing, Step::Confirm(PAID)), None);
        assert_eq!(next(Processing, Step::Cancel), None);
        assert_eq!(
            next(Processing, Step::UpdatePayment { has_method: true }),
            None
        );
        assert_eq!(next(Succeeded, Step::Settle { succeeded: true }), None);
    }

    #[test]
    fn manual_capture_authorises_then_captures() {
        let manual = Outcome::Paid {
            manual_capture: true,
        };
        assert_eq!(
            next(RequiresConfirmation, Step::Confirm(manual)),
            Some(RequiresCapture)
        );
        assert_eq!(next(RequiresCapture, Step::Capture), Some(Succeeded));
        assert_eq!(next(RequiresCapture, Step::Cancel), Some(Canceled));
        for status in ALL.into_iter().filter(|s| *s != RequiresCapture) {
            assert_eq!(next(status, Step::Capture), None, "capture from {status}");
        }
    }

    #[test]
    fn cancel_from_every_requires_status_and_never_after_the_end() {
        for status in [
            RequiresPaymentMethod,
            RequiresConfirmation,
            RequiresAction,
            RequiresCapture,
        ] {
            assert_eq!(
                next(status, Step::Cancel),
                Some(Canceled),
                "cancel from {status}"
            );
        }
        for status in [Succeeded, Canceled, Processing] {
            assert_eq!(next(status, Step::Cancel), None, "cancel from {status}");
        }
    }

    #[test]
    fn final_statuses_take_no_step() {
        let steps = [
            Step::UpdatePayment { has_method: true },
            Step::Confirm(PAID),
            Step::CompleteAction(PAID),
            Step::Settle { succeeded: true },
            Step::Cancel,
            Step::Capture,
        ];
        for status in [Succeeded, Canceled] {
            for step in steps {
                assert_eq!(next(status, step), None, "{step:?} from {status}");
            }
        }
    }

    #[test]
    fn an_update_of_the_payment_needs_a_new_confirmation() {
        let with_method = Step::UpdatePayment { has_method: true };
        let without = Step::UpdatePayment { has_method: false };
        assert_eq!(
            next(RequiresAction, with_method),
            Some(RequiresConfirmation)
        );
        assert_eq!(
            next(RequiresConfirmation, without),
            Some(RequiresPaymentMethod)
        );
        assert_eq!(next(RequiresCapture, with_method), None);
    }
}
