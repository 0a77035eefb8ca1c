//! Named scenarios: what the next confirmation does, said by name rather
//! than by a magic test number. A test asks for one through
//! `POST /_emulator/scenarios` (`outcome=decline:insufficient_funds`,
//! optionally for one `payment_intent`, `payment_method` or `customer`, and
//! `count` times); the next matching confirmation takes it instead of what
//! the payment method's test value would do.

pub use crate::store::Scenario;
use crate::store::{PaymentIntent, PaymentMethod, Store};
use crate::test_values::{self, Decline, Outcome, ThreeDsMode};

/// The names `outcome` takes (`decline` also as `decline:<decline_code>`).
pub const NAMES: &[&str] = &[
    "succeed",
    "decline",
    "require_3ds",
    "fail_3ds",
    "process_then_succeed",
    "process_then_fail",
];

/// What a name does, or `None` for an unknown name.
pub fn outcome_named(name: &str) -> Option<Outcome> {
    let three_ds = |then| Outcome::ThreeDs {
        mode: ThreeDsMode::Required,
        then: Box::new(then),
    };
    let debit = |succeed| Outcome::Async {
        succeed,
        delayed: false,
        failure: None,
    };
    Some(match name.split_once(':') {
        Some(("decline", code)) => Outcome::Decline(test_values::decline_named(code)?),
        Some(_) => return None,
        None => match name {
            "succeed" => Outcome::Succeed,
            "decline" => Outcome::Decline(Decline::generic()),
            "require_3ds" => three_ds(Outcome::Succeed),
            "fail_3ds" => three_ds(Outcome::FailAuthentication),
            "process_then_succeed" => debit(true),
            "process_then_fail" => debit(false),
            _ => return None,
        },
    })
}

/// Takes the scenario for this confirmation, if one waits: the intent's
/// own first, then the payment method's, the customer's, and any.
pub fn take(store: &mut Store, pi: &PaymentIntent, pm: &PaymentMethod) -> Option<Outcome> {
    let targets = [
        Some(pi.id.as_str()),
        Some(pm.id.as_str()),
        pi.customer.as_deref(),
        None,
    ];
    let at = targets.iter().find_map(|target| {
        store
            .scenarios
            .iter()
            .position(|s| s.target.as_deref() == *target)
    })?;
    let scenario = &mut store.scenarios[at];
    let outcome = scenario.outcome.clone();
    scenario.remaining = scenario.remaining.saturating_sub(1);
    if scenario.remaining == 0 {
        store.scenarios.remove(at);
    }
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_means_something_and_others_nothing() {
        for name in NAMES {
            assert!(outcome_named(name).is_some(), "{name}");
        }
        assert_eq!(
            outcome_named("decline:insufficient_funds"),
            Some(Outcome::Decline(
                test_values::decline_named("insufficient_funds").unwrap()
            ))
        );
        for unknown in ["decline:made_up", "explode", "succeed:now", ""] {
            assert_eq!(outcome_named(unknown), None, "{unknown}");
        }
    }
}
