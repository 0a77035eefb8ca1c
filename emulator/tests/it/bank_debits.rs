//! The Canadian, UK, Australian and New Zealand bank debits, end to end
//! through the API: created from their test accounts, attached and listed
//! for redisplay, confirmed in their currency (processing), then settled,
//! or failed with the account's reason; refused in another currency.

use crate::support;

use serde_json::{json, Value};
use support::{emulator, Api, SK};

/// A type, its currency, its bank's numbers, and its succeeding and
/// failing test accounts (with the failure's decline code).
struct Debit {
    kind: &'static str,
    currency: &'static str,
    bank: &'static [(&'static str, &'static str)],
    account_param: &'static str,
    succeeds: &'static str,
    fails: (&'static str, &'static str),
}

const DEBITS: &[Debit] = &[
    Debit {
        kind: "acss_debit",
        currency: "cad",
        bank: &[("institution_number", "000"), ("transit_number", "11000")],
        account_param: "account_number",
        succeeds: "000123456789",
        fails: ("000222222227", "insufficient_funds"),
    },
    Debit {
        kind: "bacs_debit",
        currency: "gbp",
        bank: &[("sort_code", "10-88-00")],
        account_param: "account_number",
        succeeds: "00012345",
        fails: ("22222227", "insufficient_funds"),
    },
    Debit {
        kind: "au_becs_debit",
        currency: "aud",
        bank: &[("bsb_number", "000000")],
        account_param: "account_number",
        succeeds: "000123456",
        fails: ("111111113", "account_closed"),
    },
    Debit {
        kind: "nz_bank_account",
        currency: "nzd",
        bank: &[
            ("bank_code", "11"),
            ("branch_code", "1111"),
            ("suffix", "000"),
        ],
        account_param: "account_number",
        succeeds: "0012345",
        fails: ("2222227", "insufficient_funds"),
    },
];

/// A method of `debit` on `account`, attached to `customer` and shown again.
async fn saved(api: &Api, debit: &Debit, account: &str, customer: &str) -> Value {
    let param = |key: &str| format!("{}[{key}]", debit.kind);
    let mut form: Vec<(String, String)> = vec![
        ("type".into(), debit.kind.into()),
        (param(debit.account_param), account.into()),
        ("billing_details[name]".into(), "Robin Example".into()),
        ("billing_details[email]".into(), "robin@example.com".into()),
        ("billing_details[address][line1]".into(), "1 High St".into()),
        ("billing_details[address][city]".into(), "London".into()),
        (
            "billing_details[address][postal_code]".into(),
            "EC1A 1AA".into(),
        ),
        ("billing_details[address][country]".into(), "GB".into()),
    ];
    form.extend(debit.bank.iter().map(|(k, v)| (param(k), (*v).into())));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let created = api.post("/v1/payment_methods", &pairs).await.ok().clone();
    let id = created["id"].as_str().unwrap();
    api.post(
        &format!("/v1/payment_methods/{id}/attach"),
        &[("customer", customer)],
    )
    .await
    .ok();
    api.post(
        &format!("/v1/payment_methods/{id}"),
        &[("allow_redisplay", "always")],
    )
    .await
    .ok()
    .clone()
}

/// Confirms a payment of 1500 with `pm`, off the customer's saved methods.
async fn pay(api: &Api, debit: &Debit, customer: &str, pm: &str) -> Value {
    api.post(
        "/v1/payment_intents",
        &[
            ("amount", "1500"),
            ("currency", debit.currency),
            ("customer", customer),
            ("automatic_payment_methods[enabled]", "true"),
            ("payment_method", pm),
            ("confirm", "true"),
            ("return_url", "https://shop.test/return"),
        ],
    )
    .await
    .ok()
    .clone()
}

#[tokio::test]
async fn each_debit_saves_lists_processes_and_settles_or_fails_by_account() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for debit in DEBITS {
        let customer = api.customer(&format!("{}@example.com", debit.kind)).await;
        let good = saved(&api, debit, debit.succeeds, &customer).await;
        assert_eq!(good["type"], debit.kind);
        assert_eq!(good["customer"], customer.as_str());
        let last4 = &debit.succeeds[debit.succeeds.len() - 4..];
        assert_eq!(good[debit.kind]["last4"], last4, "{}", debit.kind);

        // Listed for the Payment Element to show again.
        let listed = api
            .get(&format!(
                "/v1/customers/{customer}/payment_methods?type={}&allow_redisplay=always",
                debit.kind
            ))
            .await;
        assert_eq!(listed.ok()["data"][0]["id"], good["id"], "{}", debit.kind);

        // Offered with automatic payment methods in its currency.
        let paid = pay(&api, debit, &customer, good["id"].as_str().unwrap()).await;
        assert!(paid["payment_method_types"]
            .as_array()
            .unwrap()
            .contains(&json!(debit.kind)));
        assert_eq!(paid["status"], "processing", "{}", debit.kind);
        let settled = api
            .wait_status(paid["id"].as_str().unwrap(), "succeeded")
            .await;
        let expanded = api
            .get(&format!(
                "/v1/payment_intents/{}?expand[]=latest_charge",
                settled["id"].as_str().unwrap()
            ))
            .await;
        let details = &expanded.ok()["latest_charge"]["payment_method_details"];
        assert_eq!(details["type"], debit.kind);
        assert_eq!(details[debit.kind]["last4"], last4);

        let (account, reason) = debit.fails;
        let bad = saved(&api, debit, account, &customer).await;
        let failing = pay(&api, debit, &customer, bad["id"].as_str().unwrap()).await;
        assert_eq!(failing["status"], "processing", "{}", debit.kind);
        let failed = api
            .wait_status(failing["id"].as_str().unwrap(), "requires_payment_method")
            .await;
        assert_eq!(
            failed["last_payment_error"]["decline_code"], reason,
            "{}",
            debit.kind
        );
    }
}

#[tokio::test]
async fn a_debit_is_refused_in_another_currency_and_without_its_mandates_details() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let customer = api.customer("elsewhere@example.com").await;
    let bacs = saved(&api, &DEBITS[1], DEBITS[1].succeeds, &customer).await;
    let in_euros = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1500"),
                ("currency", "eur"),
                ("customer", &customer),
                ("allowed_payment_method_types[]", "bacs_debit"),
            ],
        )
        .await;
    assert_eq!(in_euros.status, 400);
    let automatic_eur = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1500"),
                ("currency", "eur"),
                ("customer", &customer),
                ("payment_method", bacs["id"].as_str().unwrap()),
                ("confirm", "true"),
                ("return_url", "https://shop.test/return"),
            ],
        )
        .await;
    assert_eq!(
        automatic_eur.error()["code"],
        "payment_intent_incompatible_payment_method"
    );

    // Bacs mandates need the holder's address.
    let no_address = api
        .post(
            "/v1/payment_methods",
            &[
                ("type", "bacs_debit"),
                ("bacs_debit[sort_code]", "108800"),
                ("bacs_debit[account_number]", "00012345"),
                ("billing_details[name]", "Robin Example"),
                ("billing_details[email]", "robin@example.com"),
            ],
        )
        .await;
    assert_eq!(no_address.status, 400);
    assert_eq!(
        no_address.error()["param"],
        "billing_details[address][line1]"
    );
    // A BSB has six digits.
    let short_bsb = api
        .post(
            "/v1/payment_methods",
            &[
                ("type", "au_becs_debit"),
                ("au_becs_debit[bsb_number]", "0000"),
                ("au_becs_debit[account_number]", "000123456"),
                ("billing_details[name]", "Robin Example"),
                ("billing_details[email]", "robin@example.com"),
            ],
        )
        .await;
    assert_eq!(short_bsb.status, 400);
    assert_eq!(short_bsb.error()["param"], "au_becs_debit[bsb_number]");
}
