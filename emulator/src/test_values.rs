//! Stripe's documented test numbers and what each one does
//! (the README's "Test values"): cards, SEPA IBANs, US bank accounts, Link codes,
//! and the magic `pm_…` ids.

use serde::{Deserialize, Serialize};

/// What happens when a payment method is charged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Succeed,
    Decline(Decline),
    /// 3-D Secure: `RequiredUnlessSetUp` (4000002500003155) passes off-session once
    /// saved; `Always` (4000002760003184) never does; `Required` is for a single payment.
    /// After authentication, `then` decides.
    ThreeDs {
        mode: ThreeDsMode,
        then: Box<Outcome>,
    },
    /// Attaches fine, every charge is declined (4000000000000341).
    AttachOkChargeFails,
    /// Bank debits: `processing`, then settles after the normal or the long delay.
    Async {
        succeed: bool,
        delayed: bool,
        failure: Option<Decline>,
    },
    /// After 3-D Secure: authentication fails, whichever button the
    /// customer pressed (the `fail_3ds` scenario).
    FailAuthentication,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreeDsMode {
    Required,
    RequiredUnlessSetUp,
    Always,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decline {
    pub code: String,
    pub decline_code: Option<String>,
    pub message: String,
}

impl Decline {
    fn card(code: &str, decline_code: Option<&str>, message: &str) -> Self {
        Self {
            code: code.into(),
            decline_code: decline_code.map(Into::into),
            message: message.into(),
        }
    }

    pub fn generic() -> Self {
        Self::card(
            "card_declined",
            Some("generic_decline"),
            "Your card was declined.",
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCard {
    pub brand: &'static str,
    pub funding: &'static str,
    pub country: &'static str,
    pub outcome: Outcome,
}

fn declined(decline_code: &str) -> Outcome {
    Outcome::Decline(decline_for(decline_code))
}

/// A `card_declined` with this `decline_code`, or the test cards' own error
/// for the three that have one (`expired_card`, `incorrect_cvc`,
/// `processing_error`).
fn decline_for(decline_code: &str) -> Decline {
    match decline_code {
        "expired_card" => Decline::card(
            "expired_card",
            Some("expired_card"),
            "Your card has expired.",
        ),
        "incorrect_cvc" => Decline::card(
            "incorrect_cvc",
            Some("incorrect_cvc"),
            "Your card's security code is incorrect.",
        ),
        "processing_error" => Decline::card(
            "processing_error",
            Some("processing_error"),
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        "insufficient_funds" => Decline::card(
            "card_declined",
            Some(decline_code),
            "Your card has insufficient funds.",
        ),
        _ => Decline::card(
            "card_declined",
            Some(decline_code),
            "Your card was declined.",
        ),
    }
}

/// The `decline_code`s the test cards produce (the README's "Test values").
pub const DECLINE_CODES: &[&str] = &[
    "generic_decline",
    "insufficient_funds",
    "lost_card",
    "stolen_card",
    "card_velocity_exceeded",
    "fraudulent",
    "expired_card",
    "incorrect_cvc",
    "processing_error",
];

/// The decline a test card with this `decline_code` gives, for the
/// `decline:<code>` scenario; `None` for a code no test card has.
pub fn decline_named(decline_code: &str) -> Option<Decline> {
    DECLINE_CODES
        .contains(&decline_code)
        .then(|| decline_for(decline_code))
}

/// Brand from the number's prefix, as Elements detects it.
pub fn brand(number: &str) -> &'static str {
    let two: u32 = number.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let four: u32 = number.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    match () {
        _ if number.starts_with('4') => "visa",
        _ if (51..=55).contains(&two) || (2221..=2720).contains(&four) => "mastercard",
        _ if two == 34 || two == 37 => "amex",
        _ if number.starts_with("6011") || number.starts_with("65") => "discover",
        _ if two == 35 => "jcb",
        _ if two == 36 || two == 30 || two == 38 => "diners",
        _ if number.starts_with("62") => "unionpay",
        _ => "unknown",
    }
}

pub fn luhn_valid(number: &str) -> bool {
    if number.len() < 12 || !number.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = number
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The behaviour of a card number. Unknown valid numbers succeed, as in test mode.
pub fn card(number: &str) -> TestCard {
    let three_ds = |mode, then| Outcome::ThreeDs {
        mode,
        then: Box::new(then),
    };
    let outcome = match number {
        "4000000000000002" => declined("generic_decline"),
        "4000000000009995" => declined("insufficient_funds"),
        "4000000000009987" => declined("lost_card"),
        "4000000000009979" => declined("stolen_card"),
        "4000000000006975" => declined("card_velocity_exceeded"),
        "4100000000000019" => declined("fraudulent"),
        "4000000000000069" => declined("expired_card"),
        "4000000000000127" => declined("incorrect_cvc"),
        "4000000000000119" => declined("processing_error"),
        "4000000000000341" => Outcome::AttachOkChargeFails,
        "4000002500003155" => three_ds(ThreeDsMode::RequiredUnlessSetUp, Outcome::Succeed),
        "4000002760003184" => three_ds(ThreeDsMode::Always, Outcome::Succeed),
        "4000008260003178" => three_ds(ThreeDsMode::Required, declined("insufficient_funds")),
        "4000008400001629" => three_ds(ThreeDsMode::Required, declined("generic_decline")),
        "4000000000003220" | "4000000000003063" => {
            three_ds(ThreeDsMode::Required, Outcome::Succeed)
        }
        // 4000000000003055: 3-D Secure supported, frictionless: no challenge.
        _ => Outcome::Succeed,
    };
    let country = match number {
        "4000000000000077" | "4000000000000259" => "US",
        _ if number.starts_with("40000025") || number.starts_with("40000027") => "DE",
        _ if number.starts_with("40000082") => "GB",
        _ => "US",
    };
    TestCard {
        brand: brand(number),
        funding: "credit",
        country,
        outcome,
    }
}

/// The card whose refunds succeed, then fail (`refund.failed`).
pub const REFUND_FAILS: &str = "4000000000005126";

/// Card numbers behind the magic `pm_card_…` ids.
pub fn magic_card(id: &str) -> Option<&'static str> {
    Some(match id {
        "pm_card_visa" => "4242424242424242",
        "pm_card_visa_debit" => "4000056655665556",
        "pm_card_mastercard" => "5555555555554444",
        "pm_card_amex" => "378282246310005",
        "pm_card_discover" => "6011111111111117",
        "pm_card_visa_chargeDeclined" => "4000000000000002",
        "pm_card_visa_chargeDeclinedInsufficientFunds" => "4000000000009995",
        "pm_card_visa_chargeDeclinedLostCard" => "4000000000009987",
        "pm_card_visa_chargeDeclinedStolenCard" => "4000000000009979",
        "pm_card_chargeDeclinedExpiredCard" => "4000000000000069",
        "pm_card_chargeDeclinedIncorrectCvc" => "4000000000000127",
        "pm_card_chargeDeclinedProcessingError" => "4000000000000119",
        "pm_card_chargeDeclinedFraudulent" => "4100000000000019",
        "pm_card_chargeCustomerFail" => "4000000000000341",
        "pm_card_authenticationRequiredOnSetup" => "4000002500003155",
        "pm_card_authenticationRequired" => "4000002760003184",
        "pm_card_threeDSecure2Required" => "4000000000003220",
        "pm_card_threeDSecureRequired" => "4000000000003063",
        "pm_card_threeDSecureOptional" => "4000000000003055",
        "pm_card_refundFail" => REFUND_FAILS,
        _ => return None,
    })
}

/// IBANs behind the magic SEPA `pm_…` ids.
pub fn magic_iban(id: &str) -> Option<&'static str> {
    Some(match id {
        "pm_success_de" => "DE89370400440532013000",
        "pm_successDelayed_de" => "DE08370400440532013003",
        "pm_failed_de" => "DE62370400440532013001",
        "pm_failedDelayed_de" => "DE78370400440532013004",
        "pm_disputed_de" => "DE35370400440532013002",
        "pm_insufficientFunds_de" => "DE65370400440002222227",
        _ => return None,
    })
}

fn bank_failure(code: &str, message: &str) -> Decline {
    Decline {
        code: "payment_method_provider_decline".into(),
        decline_code: Some(code.into()),
        message: message.into(),
    }
}

/// What a SEPA IBAN does. Unknown IBANs of a valid shape succeed.
pub fn iban(iban: &str) -> Outcome {
    let fail = |delayed, code: &str, message: &str| Outcome::Async {
        succeed: false,
        delayed,
        failure: Some(bank_failure(code, message)),
    };
    let ok = |delayed| Outcome::Async {
        succeed: true,
        delayed,
        failure: None,
    };
    match iban {
        "DE08370400440532013003" | "AT321904300235473204" => ok(true),
        "DE62370400440532013001"
        | "AT861904300235473202"
        | "NL91ABNA0417164300"
        | "BE68539007547034"
        | "FR8420041010050500013M02607" => fail(
            false,
            "generic_decline",
            "The payment could not be completed: the bank refused the debit.",
        ),
        "DE78370400440532013004" | "AT051904300235473205" => fail(
            true,
            "generic_decline",
            "The payment could not be completed: the bank refused the debit.",
        ),
        "DE65370400440002222227" => fail(
            false,
            "insufficient_funds",
            "The payment could not be completed: the account has insufficient funds.",
        ),
        "DE65370400440000343434" => fail(
            false,
            "charge_exceeds_source_limit",
            "The payment exceeds the account's limit.",
        ),
        "DE27370400440000121212" => fail(
            false,
            "charge_exceeds_weekly_limit",
            "The payment exceeds the account's weekly limit.",
        ),
        _ => ok(false),
    }
}

pub const TEST_ROUTING_NUMBER: &str = "110000000";

/// What a US bank account number (routing 110000000) does.
pub fn us_bank_account(account: &str) -> Outcome {
    let fail = |code: &str, message: &str| Outcome::Async {
        succeed: false,
        delayed: false,
        failure: Some(bank_failure(code, message)),
    };
    match account {
        "000111111113" => fail(
            "account_closed",
            "The payment could not be completed: the bank account is closed.",
        ),
        "000111111116" => fail(
            "no_account",
            "The payment could not be completed: the bank account could not be found.",
        ),
        "000222222227" => fail(
            "insufficient_funds",
            "The payment could not be completed: the account has insufficient funds.",
        ),
        "000333333335" => fail(
            "debit_not_authorized",
            "The payment could not be completed: the customer did not authorise the debit.",
        ),
        "000444444440" => fail(
            "invalid_currency",
            "The payment could not be completed: the account does not support this currency.",
        ),
        "000000004954" => fail("fraudulent", "The payment was blocked as fraudulent."),
        "000777777771" => fail(
            "charge_exceeds_weekly_limit",
            "The payment exceeds the account's weekly limit.",
        ),
        "000888888881" => fail(
            "charge_exceeds_transaction_limit",
            "The payment exceeds the account's transaction limit.",
        ),
        _ => Outcome::Async {
            succeed: true,
            delayed: false,
            failure: None,
        },
    }
}

/// A bank debit that settles as `succeed`, after the emulator's short delay
/// or a longer one, failing with `failure` when it does not.
fn debit(succeed: bool, delayed: bool, failure: Option<Decline>) -> Outcome {
    Outcome::Async {
        succeed,
        delayed,
        failure,
    }
}

fn debit_fails(delayed: bool, code: &str, message: &str) -> Outcome {
    debit(false, delayed, Some(bank_failure(code, message)))
}

const INSUFFICIENT: &str =
    "The payment could not be completed: the account has insufficient funds.";
const CLOSED: &str = "The payment could not be completed: the bank account is closed.";
const NO_ACCOUNT: &str = "The payment could not be completed: the bank account could not be found.";
const NOT_AUTHORIZED: &str =
    "The payment could not be completed: the customer did not authorise the debit.";

/// Canadian pre-authorized debit accounts (institution `000`, transit
/// `11000`): as Stripe's ACH test accounts, a leading 9 settles later.
pub fn acss_debit(account: &str) -> Outcome {
    match account {
        "900123456789" => debit(true, true, None),
        "000222222227" => debit_fails(false, "insufficient_funds", INSUFFICIENT),
        "900222222227" => debit_fails(true, "insufficient_funds", INSUFFICIENT),
        "000111111113" => debit_fails(false, "account_closed", CLOSED),
        "000111111116" => debit_fails(false, "no_account", NO_ACCOUNT),
        _ => debit(true, false, None),
    }
}

/// Bacs accounts (sort code `108800`).
pub fn bacs_debit(account: &str) -> Outcome {
    match account {
        "90012345" => debit(true, true, None),
        "22222227" => debit_fails(false, "insufficient_funds", INSUFFICIENT),
        "92222227" => debit_fails(true, "insufficient_funds", INSUFFICIENT),
        "33333335" => debit_fails(false, "debit_not_authorized", NOT_AUTHORIZED),
        _ => debit(true, false, None),
    }
}

/// Australian BECS accounts (BSB `000000`).
pub fn au_becs_debit(account: &str) -> Outcome {
    match account {
        "900123456" => debit(true, true, None),
        "111111113" => debit_fails(false, "account_closed", CLOSED),
        "111111116" => debit_fails(false, "no_account", NO_ACCOUNT),
        "222222227" => debit_fails(false, "insufficient_funds", INSUFFICIENT),
        "922222227" => debit_fails(true, "insufficient_funds", INSUFFICIENT),
        "333333335" => debit_fails(false, "debit_not_authorized", NOT_AUTHORIZED),
        _ => debit(true, false, None),
    }
}

/// New Zealand BECS accounts (any bank and branch code): the emulator's
/// own numbers, in the pattern of the others (docs/stripe.md).
pub fn nz_bank_account(account: &str) -> Outcome {
    match account {
        "9012345" => debit(true, true, None),
        "1111113" => debit_fails(false, "account_closed", CLOSED),
        "2222227" => debit_fails(false, "insufficient_funds", INSUFFICIENT),
        "9222227" => debit_fails(true, "insufficient_funds", INSUFFICIENT),
        _ => debit(true, false, None),
    }
}

/// Link one-time codes: any six digits but these work.
pub fn link_code(code: &str) -> Result<(), (&'static str, &'static str)> {
    match code {
        "000001" => Err(("link_code_invalid", "The code you entered is incorrect.")),
        "000002" => Err((
            "link_code_expired",
            "The code has expired. Request a new one.",
        )),
        "000003" => Err((
            "link_code_attempts_exceeded",
            "Too many attempts. Request a new code later.",
        )),
        c if c.len() == 6 && c.chars().all(|d| d.is_ascii_digit()) => Ok(()),
        _ => Err(("link_code_invalid", "Enter the 6-digit code.")),
    }
}

/// The behaviour of the SEPA method generated by iDEAL, Bancontact or Sofort,
/// from the test e-mail on the original payment (`generatedSepaDebitIntentsFail@…`).
pub fn generated_sepa(email: Option<&str>) -> Outcome {
    let local = email.and_then(|e| e.split('@').next()).unwrap_or("");
    let tail = local.rsplit('_').next().unwrap_or(local);
    let fail = |delayed| Outcome::Async {
        succeed: false,
        delayed,
        failure: Some(bank_failure(
            "generic_decline",
            "The payment could not be completed: the bank refused the debit.",
        )),
    };
    if tail.starts_with("generatedSepaDebitIntentsFailDelayed") {
        fail(true)
    } else if tail.starts_with("generatedSepaDebitIntentsFail") {
        fail(false)
    } else if tail.starts_with("generatedSepaDebitIntentsSucceedDelayed") {
        Outcome::Async {
            succeed: true,
            delayed: true,
            failure: None,
        }
    } else {
        Outcome::Async {
            succeed: true,
            delayed: false,
            failure: None,
        }
    }
}

/// iDEAL banks and their BICs.
pub fn ideal_bic(bank: &str) -> Option<&'static str> {
    Some(match bank {
        "abn_amro" => "ABNANL2A",
        "asn_bank" => "ASNBNL21",
        "bunq" => "BUNQNL2A",
        "ing" => "INGBNL2A",
        "knab" => "KNABNL2H",
        "rabobank" => "RABONL2U",
        "regiobank" => "RBRBNL21",
        "revolut" => "REVOLT21",
        "sns_bank" => "SNSBNL2A",
        "triodos_bank" => "TRIONL2U",
        "van_lanschot" => "FVLBNL22",
        "yoursafe" => "BITSNL2A",
        _ => return None,
    })
}

pub const IDEAL_BANKS: &[&str] = &[
    "abn_amro",
    "asn_bank",
    "bunq",
    "ing",
    "knab",
    "rabobank",
    "regiobank",
    "revolut",
    "sns_bank",
    "triodos_bank",
    "van_lanschot",
    "yoursafe",
];

pub const SOFORT_COUNTRIES: &[&str] = &["AT", "BE", "DE", "ES", "IT", "NL"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_brands() {
        assert!(luhn_valid("4242424242424242"));
        assert!(!luhn_valid("4242424242424241"));
        assert_eq!(brand("5555555555554444"), "mastercard");
        assert_eq!(brand("378282246310005"), "amex");
        for id in [
            "pm_card_visa",
            "pm_card_mastercard",
            "pm_card_amex",
            "pm_card_chargeCustomerFail",
        ] {
            assert!(luhn_valid(magic_card(id).unwrap()), "{id}");
        }
    }

    #[test]
    fn documented_outcomes() {
        assert_eq!(card("4242424242424242").outcome, Outcome::Succeed);
        assert!(
            matches!(card("4000000000009995").outcome, Outcome::Decline(d) if d.decline_code.as_deref() == Some("insufficient_funds"))
        );
        assert!(matches!(
            card("4000002760003184").outcome,
            Outcome::ThreeDs {
                mode: ThreeDsMode::Always,
                ..
            }
        ));
        assert!(matches!(
            iban("DE62370400440532013001"),
            Outcome::Async { succeed: false, .. }
        ));
        assert!(matches!(
            us_bank_account("000123456789"),
            Outcome::Async { succeed: true, .. }
        ));
        assert!(link_code("123456").is_ok());
        assert!(link_code("000002").is_err());
        assert!(matches!(
            generated_sepa(Some("x_generatedSepaDebitIntentsFail@example.com")),
            Outcome::Async {
                succeed: false,
                delayed: false,
                ..
            }
        ));
    }
}
