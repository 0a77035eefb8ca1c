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

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    // Read from the database as is: an unknown status is an error, not a default.
    pub enum OrderStatus {
        AwaitingPayment = "awaiting_payment",
        Processing = "processing",
        Paid = "paid",
        PaymentFailed = "payment_failed",
        Canceled = "canceled",
    }
}

impl OrderStatus {
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

/// What an order holds, which decides what happens after it is paid and
/// how the messages word it: parcels, downloads, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderContents {
    Shipped,
    Downloads,
    Both,
}

impl OrderContents {
    /// From whether each line is a download (`true`) or shipped.
    pub fn of(digital: impl IntoIterator<Item = bool>) -> Self {
        let (mut shipped, mut downloads) = (false, false);
        for digital in digital {
            if digital {
                downloads = true;
            } else {
                shipped = true;
            }
        }
        match (shipped, downloads) {
            (false, true) => Self::Downloads,
            (true, true) => Self::Both,
            _ => Self::Shipped,
        }
    }

    pub fn has_downloads(self) -> bool {
        self != Self::Shipped
    }
}

crate::coded_enum! {
    /// Why a payment attempt failed, in the shop's own terms: each has its
    /// sentence in every language (`Texts::failure_reason`), so a French page
    /// never shows Stripe's English. Read from Stripe's `code` and
    /// `decline_code` (see docs/stripe.md).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FailureReason {
        CardDeclined = "card_declined",
        InsufficientFunds = "insufficient_funds",
        ExpiredCard = "expired_card",
        IncorrectCvc = "incorrect_cvc",
        IncorrectNumber = "incorrect_number",
        ProcessingError = "processing_error",
        /// 3-D Secure or another authentication did not succeed.
        AuthenticationFailed = "authentication_failed",
        /// Refused on the bank's page (iDEAL, Bancontact, Sofort…).
        NotAuthorisedAtBank = "not_authorised_at_bank",
        /// A bank debit (SEPA, ACH) came back unpaid.
        BankAccountClosed = "bank_account_closed",
        BankAccountNotFound = "bank_account_not_found",
        BankInsufficientFunds = "bank_insufficient_funds",
        DebitNotAuthorized = "debit_not_authorized",
        BankDeclined = "bank_declined",
        /// The card's balance, credit or velocity limit was reached.
        CardLimitExceeded = "card_limit_exceeded",
        /// A bank debit over the account's transaction, weekly or source limit.
        BankLimitExceeded = "bank_limit_exceeded",
        /// The bank account does not take this currency.
        BankCurrencyUnsupported = "bank_currency_unsupported",
        Other = "other",
    }
}

impl FailureReason {
    /// Every `code` or `decline_code` a payment can fail with that the shop
    /// words itself: those the emulator produces for the seven methods and
    /// those Stripe documents for them (docs/stripe.md, "Failure codes").
    /// Anything else reads as [`FailureReason::Other`].
    pub const STRIPE_CODES: [&'static str; 32] = [
        "card_declined",
        "generic_decline",
        "insufficient_funds",
        "lost_card",
        "stolen_card",
        "pickup_card",
        "fraudulent",
        "do_not_honor",
        "card_not_supported",
        "transaction_not_allowed",
        "currency_not_supported",
        "card_velocity_exceeded",
        "withdrawal_count_limit_exceeded",
        "expired_card",
        "incorrect_cvc",
        "invalid_cvc",
        "incorrect_number",
        "invalid_number",
        "invalid_expiry_month",
        "invalid_expiry_year",
        "processing_error",
        "authentication_required",
        "payment_intent_authentication_failure",
        "payment_intent_payment_attempt_failed",
        "payment_method_provider_decline",
        "account_closed",
        "no_account",
        "debit_not_authorized",
        "charge_exceeds_source_limit",
        "charge_exceeds_weekly_limit",
        "charge_exceeds_transaction_limit",
        "invalid_currency",
    ];

    /// From a `last_payment_error`'s `code` and `decline_code`.
    pub fn from_stripe(code: Option<&str>, decline_code: Option<&str>) -> Self {
        let bank = code == Some("payment_method_provider_decline");
        match (decline_code.or(code), bank) {
            (Some("account_closed"), _) => Self::BankAccountClosed,
            (Some("no_account"), _) => Self::BankAccountNotFound,
            (Some("insufficient_funds"), true) => Self::BankInsufficientFunds,
            (Some("insufficient_funds"), false) => Self::InsufficientFunds,
            (Some("debit_not_authorized"), _) => Self::DebitNotAuthorized,
            (Some("expired_card" | "invalid_expiry_month" | "invalid_expiry_year"), _) => {
                Self::ExpiredCard
            }
            (
                Some(
                    "charge_exceeds_source_limit"
                    | "charge_exceeds_weekly_limit"
                    | "charge_exceeds_transaction_limit",
                ),
                _,
            ) => Self::BankLimitExceeded,
            (Some("invalid_currency"), _) => Self::BankCurrencyUnsupported,
            (Some("card_velocity_exceeded" | "withdrawal_count_limit_exceeded"), false) => {
                Self::CardLimitExceeded
            }
            (Some("incorrect_cvc" | "invalid_cvc"), _) => Self::IncorrectCvc,
            (Some("incorrect_number" | "invalid_number"), _) => Self::IncorrectNumber,
            (Some("processing_error"), _) => Self::ProcessingError,
            (Some("payment_intent_authentication_failure" | "authentication_required"), _) => {
                Self::AuthenticationFailed
            }
            (Some("payment_intent_payment_attempt_failed"), _) => Self::NotAuthorisedAtBank,
            (Some(_), true) => Self::BankDeclined,
            (
                Some(
                    "card_declined"
                    | "generic_decline"
                    | "do_not_honor"
                    | "lost_card"
                    | "stolen_card"
                    | "pickup_card"
                    | "fraudulent"
                    | "card_not_supported"
                    | "currency_not_supported"
                    | "transaction_not_allowed",
                ),
                false,
            ) => Self::CardDeclined,
            _ => Self::Other,
        }
    }
}

/// How long a page following an undecided payment waits before looking
/// again, given how long ago the order was opened: often at first (a card or
/// a bank page settles in seconds), then less and less; after an hour not at
/// all (a bank debit can take days, and the shopper gets a message then).
pub fn follow_delay_ms(opened_secs_ago: i64) -> Option<u32> {
    match opened_secs_ago {
        ..=120 => Some(1_500),
        121..=600 => Some(5_000),
        601..=3_600 => Some(30_000),
        _ => None,
    }
}

/// Seconds since the Unix epoch (server side).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How an order was paid, as its history and receipt show it: the kind of
/// payment method (Stripe's `type`), the card brand or the bank, and the last
/// four digits of the card or account when Stripe gives them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethodSummary {
    pub kind: String,
    pub label: Option<String>,
    pub last4: Option<String>,
}

/// Where an order's fulfilment stands. Physical goods are fulfilled (shipped)
/// once the payment succeeded. An order made only of digital goods is
/// fulfilled (its downloads open) as soon as the payment is `processing`, as
/// Stripe allows for goods that cost nothing to deliver; if the bank debit
/// then fails, the access is revoked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    #[default]
    NotYet,
    Fulfilled,
    Revoked,
}

/// One step of an order's history: the status it reached, when, and why
/// when it is a failure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub status: OrderStatus,
    pub reason: Option<FailureReason>,
    pub at: i64,
}

/// A Unix time as a UTC calendar date and time: (year, month 1–12, day,
/// hour, minute). Pages print dates in UTC (the browser, when it runs,
/// rewrites them in the shopper's time zone); no date crate needed for that.
pub fn utc_date_time(unix: i64) -> (i64, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Days to civil date, after Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (secs / 3_600) as u32,
        (secs % 3_600 / 60) as u32,
    )
}

/// What Stripe says about an order's payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    Processing,
    Succeeded,
    /// The attempt failed; the customer may try again. `message` is Stripe's
    /// (English), for the log; `reason` is what the shopper is told.
    Failed {
        message: String,
        reason: FailureReason,
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

    /// The codes the database and the pages use are the names serde writes.
    #[test]
    fn codes_are_serde_names() {
        fn check<T: serde::Serialize + Copy>(all: &[T], code: fn(T) -> &'static str) {
            for &value in all {
                assert_eq!(serde_json::to_value(value).unwrap(), code(value));
            }
        }
        check(OrderStatus::ALL, OrderStatus::code);
        check(FailureReason::ALL, FailureReason::code);
        check(
            crate::messages::MessageKind::ALL,
            crate::messages::MessageKind::code,
        );
        assert_eq!(FailureReason::ALL.len(), 17);
    }

    #[test]
    fn unix_times_become_utc_dates() {
        assert_eq!(utc_date_time(0), (1970, 1, 1, 0, 0));
        assert_eq!(utc_date_time(951_782_400), (2000, 2, 29, 0, 0));
        assert_eq!(utc_date_time(1_795_700_000), (2026, 11, 26, 13, 33));
        assert_eq!(utc_date_time(-1), (1969, 12, 31, 23, 59));
    }
    use OrderStatus::*;

    fn failed() -> PaymentOutcome {
        PaymentOutcome::Failed {
            message: "Your card was declined.".into(),
            reason: FailureReason::CardDeclined,
        }
    }

    #[test]
    fn following_slows_down_then_stops() {
        assert_eq!(follow_delay_ms(0), Some(1_500));
        assert_eq!(follow_delay_ms(300), Some(5_000));
        assert_eq!(follow_delay_ms(1_800), Some(30_000));
        assert_eq!(follow_delay_ms(7_200), None);
    }

    #[test]
    fn failure_reasons_come_from_stripes_codes_and_read_back() {
        use FailureReason as R;
        let cases = [
            (
                Some("card_declined"),
                Some("generic_decline"),
                R::CardDeclined,
            ),
            (
                Some("card_declined"),
                Some("insufficient_funds"),
                R::InsufficientFunds,
            ),
            (Some("expired_card"), None, R::ExpiredCard),
            (Some("incorrect_cvc"), None, R::IncorrectCvc),
            (
                Some("payment_intent_authentication_failure"),
                None,
                R::AuthenticationFailed,
            ),
            (
                Some("payment_intent_payment_attempt_failed"),
                None,
                R::NotAuthorisedAtBank,
            ),
            (
                Some("payment_method_provider_decline"),
                Some("insufficient_funds"),
                R::BankInsufficientFunds,
            ),
            (
                Some("payment_method_provider_decline"),
                Some("account_closed"),
                R::BankAccountClosed,
            ),
            (
                Some("payment_method_provider_decline"),
                Some("debit_not_authorized"),
                R::DebitNotAuthorized,
            ),
            (
                Some("payment_method_provider_decline"),
                Some("generic_decline"),
                R::BankDeclined,
            ),
            (Some("something_new"), None, R::Other),
            (None, None, R::Other),
        ];
        for (code, decline, want) in cases {
            assert_eq!(R::from_stripe(code, decline), want, "{code:?} {decline:?}");
        }
        for &reason in R::ALL {
            assert_eq!(R::from_code(reason.code()), Some(reason));
        }
    }

    #[test]
    fn every_code_stripe_refuses_with_has_the_shops_own_words_in_each_language() {
        use crate::i18n::Locale;
        for code in FailureReason::STRIPE_CODES {
            // As `code` (a card's) and as a bank debit's `decline_code`.
            for reason in [
                FailureReason::from_stripe(Some(code), None),
                FailureReason::from_stripe(Some("payment_method_provider_decline"), Some(code)),
            ] {
                assert_ne!(reason, FailureReason::Other, "{code}");
                let (en, fr) = (
                    Locale::En.texts().failure_with_next_step(reason),
                    Locale::Fr.texts().failure_with_next_step(reason),
                );
                assert_ne!(en, fr, "{code}");
                for english in ["your ", "the ", "card ", "payment", "please"] {
                    assert!(!fr.to_lowercase().contains(english), "{code}: {fr}");
                }
            }
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
