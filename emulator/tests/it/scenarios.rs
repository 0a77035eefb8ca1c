//! Named scenarios (`/_emulator/scenarios`): the next confirmation does what
//! a test names, whatever the payment method's test value would do.

use crate::support;

use serde_json::Value;
use support::{emulator, Api, SK};

const RETURN_URL: &str = "https://shop.test/checkout/complete";

/// Asks for a scenario; `target` is `("customer", "cus_…")` and the like.
async fn scenario(api: &Api, outcome: &str, target: Option<(&str, &str)>, count: &str) {
    let mut pairs = vec![("outcome", outcome), ("count", count)];
    pairs.extend(target);
    let listed = api.post("/_emulator/scenarios", &pairs).await;
    assert_eq!(listed.status, 200, "{outcome}: {:?}", listed.json);
}

/// A new intent for `customer`, confirmed with `pm`: the intent and the answer.
async fn pay(api: &Api, customer: &str, pm: &str) -> (String, support::Reply) {
    let pi = api.intent("2500", "eur", Some(customer)).await;
    let id = pi["id"].as_str().unwrap().to_owned();
    let reply = api
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[("payment_method", pm), ("return_url", RETURN_URL)],
        )
        .await;
    (id, reply)
}

async fn complete_action(api: &Api, id: &str, outcome: &str) -> Value {
    let done = api
        .post(
            &format!("/_emulator/payment_intents/{id}/next_action"),
            &[("outcome", outcome)],
        )
        .await;
    done.ok().clone()
}

#[tokio::test]
async fn succeed_and_decline_override_the_card() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("scenario@example.com").await;
    scenario(&api, "succeed", None, "1").await;
    let (_, paid) = pay(&api, &c, "pm_card_visa_chargeDeclined").await;
    assert_eq!(paid.ok()["status"], "succeeded");
    scenario(&api, "decline:insufficient_funds", None, "1").await;
    let (id, declined) = pay(&api, &c, "pm_card_visa").await;
    assert_eq!(declined.status, 402);
    assert_eq!(declined.error()["code"], "card_declined");
    assert_eq!(declined.error()["decline_code"], "insufficient_funds");
    assert_eq!(
        declined.error()["message"],
        "Your card has insufficient funds."
    );
    let intent = api.get(&format!("/v1/payment_intents/{id}")).await;
    assert_eq!(intent.ok()["status"], "requires_payment_method");
    scenario(&api, "decline:expired_card", None, "1").await;
    let (_, expired) = pay(&api, &c, "pm_card_visa").await;
    assert_eq!(expired.error()["code"], "expired_card");
    // Used up: the card is itself again.
    let (_, again) = pay(&api, &c, "pm_card_visa").await;
    assert_eq!(again.ok()["status"], "succeeded");
}

#[tokio::test]
async fn require_3ds_and_fail_3ds() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("three-ds@example.com").await;
    scenario(&api, "require_3ds", None, "1").await;
    let (id, asked) = pay(&api, &c, "pm_card_visa").await;
    assert_eq!(asked.ok()["status"], "requires_action");
    assert_eq!(
        complete_action(&api, &id, "authorize").await["status"],
        "succeeded"
    );

    scenario(&api, "fail_3ds", None, "1").await;
    let (id, asked) = pay(&api, &c, "pm_card_visa").await;
    assert_eq!(asked.ok()["status"], "requires_action");
    // Whichever button the customer presses, authentication fails.
    let failed = complete_action(&api, &id, "authorize").await;
    assert_eq!(failed["status"], "requires_payment_method");
    assert_eq!(
        failed["last_payment_error"]["code"],
        "payment_intent_authentication_failure"
    );
    assert_eq!(
        failed["last_payment_error"]["type"],
        "invalid_request_error"
    );
}

#[tokio::test]
async fn process_then_succeed_or_fail() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("debit@example.com").await;
    for (outcome, settled) in [
        ("process_then_succeed", "succeeded"),
        ("process_then_fail", "requires_payment_method"),
    ] {
        scenario(&api, outcome, None, "1").await;
        let (id, reply) = pay(&api, &c, "pm_card_visa").await;
        assert_eq!(reply.ok()["status"], "processing", "{outcome}");
        let done = api
            .post(&format!("/_emulator/payment_intents/{id}/settle"), &[])
            .await;
        assert_eq!(done.ok()["status"], settled, "{outcome}");
    }
}

#[tokio::test]
async fn a_scenario_for_a_customer_counts_and_waits_for_them() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let alice = api.customer("alice@example.com").await;
    let bob = api.customer("bob@example.com").await;
    scenario(&api, "decline", Some(("customer", &alice)), "2").await;
    // Bob pays as his card says; Alice is declined twice, then pays.
    assert_eq!(
        pay(&api, &bob, "pm_card_visa").await.1.ok()["status"],
        "succeeded"
    );
    for _ in 0..2 {
        let (_, declined) = pay(&api, &alice, "pm_card_visa").await;
        assert_eq!(declined.error()["decline_code"], "generic_decline");
    }
    assert_eq!(
        pay(&api, &alice, "pm_card_visa").await.1.ok()["status"],
        "succeeded"
    );
    let left = api.get("/_emulator/scenarios").await;
    assert_eq!(left.ok()["data"].as_array().unwrap().len(), 0);

    // One for an intent wins over one for any payment.
    let pi = api.intent("2500", "eur", Some(&bob)).await;
    let id = pi["id"].as_str().unwrap();
    scenario(&api, "decline", None, "1").await;
    scenario(&api, "succeed", Some(("payment_intent", id)), "1").await;
    let paid = api
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[
                ("payment_method", "pm_card_visa_chargeDeclined"),
                ("return_url", RETURN_URL),
            ],
        )
        .await;
    assert_eq!(paid.ok()["status"], "succeeded");
    let waiting = api.get("/_emulator/scenarios").await;
    assert_eq!(waiting.ok()["data"][0]["outcome"], "decline");
}

#[tokio::test]
async fn unknown_names_and_two_targets_are_refused() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for pairs in [
        vec![("outcome", "explode")],
        vec![("outcome", "decline:made_up")],
        vec![
            ("outcome", "succeed"),
            ("customer", "cus_a"),
            ("payment_intent", "pi_b"),
        ],
        vec![("outcome", "succeed"), ("customer", "pi_wrong")],
        vec![("count", "2")],
    ] {
        let refused = api.post("/_emulator/scenarios", &pairs).await;
        assert_eq!(refused.status, 400, "{pairs:?}");
    }
    let none = api.get("/_emulator/scenarios").await;
    assert_eq!(none.ok()["data"].as_array().unwrap().len(), 0);
    // Only with the secret key.
    let public = Api::new(&emu, support::PK);
    assert_eq!(
        public
            .post("/_emulator/scenarios", &[("outcome", "succeed")])
            .await
            .status,
        401
    );
}
