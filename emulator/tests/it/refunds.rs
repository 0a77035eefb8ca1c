//! Refunds: amounts, Stripe's errors, the status machine per payment method
//! and the events each change sends.

use crate::support;

use serde_json::Value;
use support::{emulator, Api, SK};

/// A PaymentIntent paid with `payment_method` (succeeded, or settled).
async fn paid(api: &Api, currency: &str, payment_method: &str) -> String {
    let customer = api.customer("refund@example.com").await;
    let pi = api.intent("5000", currency, Some(&customer)).await;
    let id = pi["id"].as_str().unwrap().to_owned();
    api.post(
        &format!("/v1/payment_intents/{id}/confirm"),
        &[
            ("payment_method", payment_method),
            ("return_url", "https://shop.test/r"),
        ],
    )
    .await
    .ok();
    api.wait_status(&id, "succeeded").await;
    id
}

async fn events(api: &Api, kind: &str) -> Vec<Value> {
    api.get(&format!("/v1/events?type={kind}&limit=100"))
        .await
        .ok()["data"]
        .as_array()
        .unwrap()
        .clone()
}

async fn wait_refund(api: &Api, id: &str, status: &str) -> Value {
    for _ in 0..100 {
        let refund = api.get(&format!("/v1/refunds/{id}")).await.ok().clone();
        if refund["status"] == status {
            return refund;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{id} never became {status}");
}

#[tokio::test]
async fn partial_then_full_card_refunds_and_what_cannot_be_refunded() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let pi = paid(&api, "usd", "pm_card_visa").await;
    let first = api
        .post(
            "/v1/refunds",
            &[
                ("payment_intent", &pi),
                ("amount", "1500"),
                ("reason", "requested_by_customer"),
            ],
        )
        .await;
    let first = first.ok().clone();
    assert!(first["id"].as_str().unwrap().starts_with("re_"));
    assert_eq!(
        (
            first["status"].as_str(),
            first["amount"].as_i64(),
            first["reason"].as_str()
        ),
        (Some("succeeded"), Some(1500), Some("requested_by_customer"))
    );
    assert_eq!(first["payment_intent"], pi.as_str());
    let charge = first["charge"].as_str().unwrap().to_owned();
    let too_much = api
        .post("/v1/refunds", &[("charge", &charge), ("amount", "3501")])
        .await;
    assert_eq!(too_much.status, 400);
    assert_eq!(too_much.error()["code"], "amount_too_large");
    assert_eq!(
        too_much.error()["message"],
        "Refund amount ($35.01) is greater than unrefunded amount on charge ($35.00)"
    );
    // Without an amount: what is left.
    let rest = api.post("/v1/refunds", &[("charge", &charge)]).await;
    assert_eq!(rest.ok()["amount"], 3500);
    let again = api.post("/v1/refunds", &[("payment_intent", &pi)]).await;
    assert_eq!(again.error()["code"], "charge_already_refunded");
    let pi_now = api
        .get(&format!("/v1/payment_intents/{pi}?expand[]=latest_charge"))
        .await;
    let charge_now = &pi_now.ok()["latest_charge"];
    assert_eq!(
        (
            charge_now["amount_refunded"].as_i64(),
            charge_now["refunded"].as_bool()
        ),
        (Some(5000), Some(true))
    );
    // Each refund: refund.created, and charge.refunded with the amount refunded so far.
    assert_eq!(events(&api, "refund.created").await.len(), 2);
    let refunded = events(&api, "charge.refunded").await;
    assert_eq!(refunded.len(), 2);
    assert_eq!(refunded[0]["data"]["object"]["amount_refunded"], 5000);
    assert_eq!(
        refunded[1]["data"]["previous_attributes"]["amount_refunded"],
        0
    );
    let listed = api.get(&format!("/v1/refunds?payment_intent={pi}")).await;
    assert_eq!(listed.ok()["data"].as_array().unwrap().len(), 2);
    // Nothing to refund yet, bad amounts, unknown objects.
    let customer = api.customer("unpaid@example.com").await;
    let unpaid = api.intent("1000", "usd", Some(&customer)).await;
    let refused = api
        .post(
            "/v1/refunds",
            &[("payment_intent", unpaid["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(refused.error()["code"], "charge_not_refundable");
    let negative = api
        .post("/v1/refunds", &[("charge", &charge), ("amount", "-5")])
        .await;
    assert_eq!(negative.status, 400);
    assert_eq!(
        api.post("/v1/refunds", &[("charge", "ch_nope")])
            .await
            .status,
        404
    );
    assert_eq!(api.post("/v1/refunds", &[]).await.status, 400);
    assert_eq!(
        api.post("/v1/refunds", &[("charge", &charge), ("reason", "because")])
            .await
            .status,
        400
    );
    // Only metadata can change.
    let id = first["id"].as_str().unwrap();
    let updated = api
        .post(&format!("/v1/refunds/{id}"), &[("metadata[order]", "7")])
        .await;
    assert_eq!(updated.ok()["metadata"]["order"], "7");
    assert_eq!(
        api.post(&format!("/v1/refunds/{id}"), &[("amount", "1")])
            .await
            .status,
        400
    );
    assert_eq!(events(&api, "refund.updated").await.len(), 1);
}

#[tokio::test]
async fn a_bank_debit_refund_is_pending_then_succeeds() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let pi = paid(&api, "eur", "pm_success_de").await;
    let refund = api.post("/v1/refunds", &[("payment_intent", &pi)]).await;
    let refund = refund.ok().clone();
    assert_eq!(refund["status"], "pending");
    let id = refund["id"].as_str().unwrap();
    wait_refund(&api, id, "succeeded").await;
    let updated = events(&api, "refund.updated").await;
    assert_eq!(updated[0]["data"]["object"]["status"], "succeeded");
    assert_eq!(
        updated[0]["data"]["previous_attributes"]["status"],
        "pending"
    );
}

#[tokio::test]
async fn the_refund_failure_card_fails_after_succeeding_and_gives_the_amount_back() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let pi = paid(&api, "usd", "pm_card_refundFail").await;
    let refund = api
        .post(
            "/v1/refunds",
            &[("payment_intent", &pi), ("amount", "2000")],
        )
        .await;
    let refund = refund.ok().clone();
    assert_eq!(refund["status"], "succeeded");
    let failed = wait_refund(&api, refund["id"].as_str().unwrap(), "failed").await;
    assert_eq!(failed["failure_reason"], "expired_or_canceled_card");
    assert_eq!(events(&api, "refund.failed").await.len(), 1);
    let charge = api
        .get(&format!("/v1/payment_intents/{pi}?expand[]=latest_charge"))
        .await;
    assert_eq!(charge.ok()["latest_charge"]["amount_refunded"], 0);
    // The same card number entered by hand behaves alike.
    let by_number = paid_with_number(&api, "4000000000005126").await;
    let refund = api
        .post("/v1/refunds", &[("payment_intent", &by_number)])
        .await;
    wait_refund(&api, refund.ok()["id"].as_str().unwrap(), "failed").await;
}

async fn paid_with_number(api: &Api, number: &str) -> String {
    let pm = api
        .post(
            "/v1/payment_methods",
            &[
                ("type", "card"),
                ("card[number]", number),
                ("card[exp_month]", "12"),
                ("card[exp_year]", "2034"),
                ("card[cvc]", "123"),
            ],
        )
        .await;
    let pm = pm.ok()["id"].as_str().unwrap().to_owned();
    paid(api, "usd", &pm).await
}
