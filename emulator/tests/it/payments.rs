//! Payment intents through every documented test value and transition.

use crate::support;

use serde_json::{json, Value};
use support::{emulator, Api, PK, SK};

const RETURN_URL: &str = "https://shop.test/checkout/complete?order=7";

/// Confirms a new EUR/USD intent for a fresh customer with `payment_method`.
async fn confirm_with(api: &Api, currency: &str, pm: &[(&str, &str)]) -> (Value, support::Reply) {
    let c = api.customer("payer@example.com").await;
    let pi = api.intent("2500", currency, Some(&c)).await;
    let mut pairs = pm.to_vec();
    pairs.push(("return_url", RETURN_URL));
    let reply = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", pi["id"].as_str().unwrap()),
            &pairs,
        )
        .await;
    (pi, reply)
}

#[tokio::test]
async fn every_declining_card_gives_its_decline_code() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let cases = [
        (
            "4000000000000002",
            "card_declined",
            Some("generic_decline"),
            "Your card was declined.",
        ),
        (
            "4000000000009995",
            "card_declined",
            Some("insufficient_funds"),
            "Your card has insufficient funds.",
        ),
        (
            "4000000000009987",
            "card_declined",
            Some("lost_card"),
            "Your card was declined.",
        ),
        (
            "4000000000009979",
            "card_declined",
            Some("stolen_card"),
            "Your card was declined.",
        ),
        (
            "4000000000000069",
            "expired_card",
            Some("expired_card"),
            "Your card has expired.",
        ),
        (
            "4000000000000127",
            "incorrect_cvc",
            Some("incorrect_cvc"),
            "Your card's security code is incorrect.",
        ),
        (
            "4000000000000119",
            "processing_error",
            Some("processing_error"),
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        (
            "4000000000006975",
            "card_declined",
            Some("card_velocity_exceeded"),
            "Your card was declined.",
        ),
        (
            "4100000000000019",
            "card_declined",
            Some("fraudulent"),
            "Your card was declined.",
        ),
        (
            "4000000000000341",
            "card_declined",
            Some("generic_decline"),
            "Your card was declined.",
        ),
    ];
    for (number, code, decline_code, message) in cases {
        let card = [
            ("payment_method_data[type]", "card"),
            ("payment_method_data[card][number]", number),
            ("payment_method_data[card][exp_month]", "12"),
            ("payment_method_data[card][exp_year]", "2034"),
            ("payment_method_data[card][cvc]", "123"),
        ];
        let (pi, reply) = confirm_with(&api, "usd", &card).await;
        assert_eq!(reply.status, 402, "{number}");
        let e = reply.error();
        assert_eq!(e["type"], "card_error", "{number}");
        assert_eq!(e["code"], code, "{number}");
        assert_eq!(e["decline_code"], json!(decline_code), "{number}");
        assert_eq!(e["message"], message, "{number}");
        assert_eq!(e["payment_intent"]["id"], pi["id"]);
        assert_eq!(e["payment_intent"]["status"], "requires_payment_method");
        assert_eq!(
            e["payment_intent"]["last_payment_error"]["decline_code"],
            json!(decline_code)
        );
        assert!(e["charge"].as_str().unwrap().starts_with("ch_"));
        let charge = &api
            .get(&format!(
                "/v1/payment_intents/{}?expand[]=latest_charge",
                pi["id"].as_str().unwrap()
            ))
            .await
            .json["latest_charge"];
        assert_eq!(charge["status"], "failed");
    }
}

#[tokio::test]
async fn magic_ids_and_a_declined_card_then_a_good_one() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let (pi, declined) = confirm_with(
        &api,
        "eur",
        &[(
            "payment_method",
            "pm_card_visa_chargeDeclinedInsufficientFunds",
        )],
    )
    .await;
    assert_eq!(declined.status, 402);
    let id = pi["id"].as_str().unwrap();
    // The same intent is paid with another method.
    let paid = api
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[
                ("payment_method", "pm_card_mastercard"),
                ("return_url", RETURN_URL),
            ],
        )
        .await;
    let paid = paid.ok();
    assert_eq!(paid["status"], "succeeded");
    assert_eq!(paid["amount_received"], 2500);
    assert!(paid["last_payment_error"].is_null());
    let pm = api
        .get(&format!(
            "/v1/payment_methods/{}",
            paid["payment_method"].as_str().unwrap()
        ))
        .await;
    assert_eq!(pm.ok()["card"]["brand"], "mastercard");
    // Succeeded is terminal.
    let again = api
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[
                ("payment_method", "pm_card_visa"),
                ("return_url", RETURN_URL),
            ],
        )
        .await;
    assert_eq!(again.status, 400);
    assert_eq!(again.error()["code"], "payment_intent_unexpected_state");
    assert_eq!(again.error()["payment_intent"]["status"], "succeeded");
    let cancel = api
        .post(&format!("/v1/payment_intents/{id}/cancel"), &[])
        .await;
    assert_eq!(cancel.error()["code"], "payment_intent_unexpected_state");
}

#[tokio::test]
async fn three_d_secure_complete_fail_and_declined_after() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for (pm, outcome, want_status, want_code) in [
        (
            "pm_card_threeDSecure2Required",
            "authorize",
            "succeeded",
            None,
        ),
        (
            "pm_card_threeDSecureRequired",
            "fail",
            "requires_payment_method",
            Some("payment_intent_authentication_failure"),
        ),
        (
            "pm_card_authenticationRequired",
            "authorize",
            "succeeded",
            None,
        ),
    ] {
        let (pi, reply) = confirm_with(&api, "eur", &[("payment_method", pm)]).await;
        let r = reply.ok();
        assert_eq!(r["status"], "requires_action", "{pm}");
        // A server-side confirm with return_url gets a redirect.
        assert_eq!(r["next_action"]["type"], "redirect_to_url");
        assert_eq!(
            r["next_action"]["redirect_to_url"]["return_url"],
            RETURN_URL
        );
        let id = pi["id"].as_str().unwrap();
        let done = api
            .post(
                &format!("/_emulator/payment_intents/{id}/next_action"),
                &[("outcome", outcome)],
            )
            .await;
        assert_eq!(done.ok()["status"], want_status, "{pm}");
        assert_eq!(
            done.json["last_payment_error"]["code"],
            json!(want_code),
            "{pm}"
        );
        assert!(done.json["next_action"].is_null());
    }
    // 3-D Secure passes, then the bank declines.
    let card = [
        ("payment_method_data[type]", "card"),
        ("payment_method_data[card][number]", "4000008260003178"),
        ("payment_method_data[card][exp_month]", "1"),
        ("payment_method_data[card][exp_year]", "2035"),
    ];
    let (pi, reply) = confirm_with(&api, "eur", &card).await;
    assert_eq!(reply.ok()["status"], "requires_action");
    let done = api
        .post(
            &format!(
                "/_emulator/payment_intents/{}/next_action",
                pi["id"].as_str().unwrap()
            ),
            &[("outcome", "authorize")],
        )
        .await;
    assert_eq!(done.ok()["status"], "requires_payment_method");
    assert_eq!(
        done.json["last_payment_error"]["decline_code"],
        "insufficient_funds"
    );
    // Frictionless: no challenge.
    let frictionless = [
        ("payment_method_data[type]", "card"),
        ("payment_method_data[card][number]", "4000000000003055"),
        ("payment_method_data[card][exp_month]", "1"),
        ("payment_method_data[card][exp_year]", "2035"),
    ];
    let (_, reply) = confirm_with(&api, "eur", &frictionless).await;
    assert_eq!(reply.ok()["status"], "succeeded");
    // Stripe.js confirms with use_stripe_sdk: a challenge for the modal, not a redirect.
    let (_, sdk) = confirm_with(
        &api,
        "eur",
        &[
            ("payment_method", "pm_card_threeDSecure2Required"),
            ("use_stripe_sdk", "true"),
        ],
    )
    .await;
    assert_eq!(sdk.ok()["next_action"]["type"], "use_stripe_sdk");
    assert!(sdk.json["next_action"]["use_stripe_sdk"]["stripe_js"]
        .as_str()
        .unwrap()
        .contains("/_emulator/3ds/"));
}

#[tokio::test]
async fn off_session_charges_of_saved_3ds_cards() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("saved@example.com").await;
    for (magic, want) in [
        ("pm_card_authenticationRequiredOnSetup", 200),
        ("pm_card_authenticationRequired", 402),
    ] {
        let pm = api
            .post(
                &format!("/v1/payment_methods/{magic}/attach"),
                &[("customer", &c)],
            )
            .await;
        let pm_id = pm.ok()["id"].as_str().unwrap().to_owned();
        let pi = api
            .post(
                "/v1/payment_intents",
                &[
                    ("amount", "900"),
                    ("currency", "eur"),
                    ("customer", &c),
                    ("payment_method", &pm_id),
                    ("off_session", "true"),
                    ("confirm", "true"),
                ],
            )
            .await;
        assert_eq!(pi.status, want, "{magic}: {}", pi.json);
        if want == 402 {
            assert_eq!(pi.error()["code"], "authentication_required");
            assert_eq!(pi.error()["decline_code"], "authentication_required");
        } else {
            assert_eq!(pi.json["status"], "succeeded");
        }
    }
}

#[tokio::test]
async fn sepa_ibans_process_then_settle() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for (iban, final_status, slow) in [
        ("DE89370400440532013000", "succeeded", false),
        ("DE62370400440532013001", "requires_payment_method", false),
        ("DE08370400440532013003", "succeeded", true),
        ("DE78370400440532013004", "requires_payment_method", true),
        ("DE65370400440002222227", "requires_payment_method", false),
        ("FR1420041010050500013M02606", "succeeded", false),
    ] {
        let sepa = [
            ("payment_method_data[type]", "sepa_debit"),
            ("payment_method_data[sepa_debit][iban]", iban),
            ("payment_method_data[billing_details][name]", "Jenny Rosen"),
            (
                "payment_method_data[billing_details][email]",
                "jenny@example.com",
            ),
        ];
        let (pi, reply) = confirm_with(&api, "eur", &sepa).await;
        assert_eq!(reply.ok()["status"], "processing", "{iban}");
        let id = pi["id"].as_str().unwrap();
        if slow {
            // Still processing after the normal delay.
            tokio::time::sleep(std::time::Duration::from_millis(600)).await;
            assert_eq!(
                api.get(&format!("/v1/payment_intents/{id}")).await.json["status"],
                "processing",
                "{iban}"
            );
        }
        let settled = api.wait_status(id, final_status).await;
        if final_status != "succeeded" {
            assert_eq!(
                settled["last_payment_error"]["code"],
                "payment_method_provider_decline"
            );
            assert_eq!(
                settled["last_payment_error"]["type"],
                "invalid_request_error"
            );
        }
    }
    // SEPA is euros only.
    let (_, usd) = confirm_with(&api, "usd", &[("payment_method", "pm_success_de")]).await;
    assert_eq!(usd.status, 400);
    assert_eq!(
        usd.error()["code"],
        "payment_intent_incompatible_payment_method"
    );
    // An invalid IBAN is refused when the method is created.
    let bad = api
        .post(
            "/v1/payment_methods",
            &[
                ("type", "sepa_debit"),
                ("sepa_debit[iban]", "DE00123"),
                ("billing_details[name]", "J"),
                ("billing_details[email]", "j@example.com"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error()["code"], "invalid_bank_account_iban");
}

#[tokio::test]
async fn settling_can_be_forced_by_the_test_control() {
    let emu =
        support::emulator_with(|c| c.settle_after = std::time::Duration::from_secs(600)).await;
    let api = Api::new(&emu, SK);
    let (pi, reply) = confirm_with(&api, "eur", &[("payment_method", "pm_success_de")]).await;
    assert_eq!(reply.ok()["status"], "processing");
    let id = pi["id"].as_str().unwrap();
    let failed = api
        .post(
            &format!("/_emulator/payment_intents/{id}/settle"),
            &[("outcome", "failed")],
        )
        .await;
    assert_eq!(failed.ok()["status"], "requires_payment_method");
    let again = api
        .post(&format!("/_emulator/payment_intents/{id}/settle"), &[])
        .await;
    assert_eq!(again.status, 400);
    let anon = Api::new(&emu, PK)
        .post(&format!("/_emulator/payment_intents/{id}/settle"), &[])
        .await;
    assert_eq!(anon.status, 401);
}

#[tokio::test]
async fn us_bank_accounts_by_account_number() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for (account, final_status, decline) in [
        ("000123456789", "succeeded", None),
        (
            "000111111113",
            "requires_payment_method",
            Some("account_closed"),
        ),
        (
            "000111111116",
            "requires_payment_method",
            Some("no_account"),
        ),
        (
            "000222222227",
            "requires_payment_method",
            Some("insufficient_funds"),
        ),
        (
            "000333333335",
            "requires_payment_method",
            Some("debit_not_authorized"),
        ),
        (
            "000444444440",
            "requires_payment_method",
            Some("invalid_currency"),
        ),
    ] {
        let ach = [
            ("payment_method_data[type]", "us_bank_account"),
            (
                "payment_method_data[us_bank_account][routing_number]",
                "110000000",
            ),
            (
                "payment_method_data[us_bank_account][account_number]",
                account,
            ),
            (
                "payment_method_data[us_bank_account][account_holder_type]",
                "individual",
            ),
            ("payment_method_data[billing_details][name]", "Jordan Smith"),
        ];
        let (pi, reply) = confirm_with(&api, "usd", &ach).await;
        assert_eq!(reply.ok()["status"], "processing", "{account}");
        let settled = api
            .wait_status(pi["id"].as_str().unwrap(), final_status)
            .await;
        assert_eq!(
            settled["last_payment_error"]["decline_code"],
            json!(decline),
            "{account}"
        );
    }
    let (_, eur) = confirm_with(
        &api,
        "eur",
        &[
            ("payment_method_data[type]", "us_bank_account"),
            (
                "payment_method_data[us_bank_account][routing_number]",
                "110000000",
            ),
            (
                "payment_method_data[us_bank_account][account_number]",
                "000123456789",
            ),
            ("payment_method_data[billing_details][name]", "J"),
        ],
    )
    .await;
    assert_eq!(
        eur.error()["code"],
        "payment_intent_incompatible_payment_method"
    );
}

#[tokio::test]
async fn link_pays_synchronously() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let (_, reply) = confirm_with(
        &api,
        "usd",
        &[
            ("payment_method_data[type]", "link"),
            (
                "payment_method_data[billing_details][email]",
                "link@example.com",
            ),
        ],
    )
    .await;
    assert_eq!(reply.ok()["status"], "succeeded");
}

#[tokio::test]
async fn bank_redirects_authorize_fail_and_save_a_generated_sepa_method() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for (kind, extra, final_status) in [
        (
            "ideal",
            ("payment_method_data[ideal][bank]", "ing"),
            "succeeded",
        ),
        (
            "bancontact",
            (
                "payment_method_data[billing_details][name]",
                "Camille Martin",
            ),
            "succeeded",
        ),
        (
            "sofort",
            ("payment_method_data[sofort][country]", "DE"),
            "processing",
        ),
    ] {
        let c = api.customer("bank@example.com").await;
        let pi = api.intent("4200", "eur", Some(&c)).await;
        let id = pi["id"].as_str().unwrap();
        let r = api
            .post(
                &format!("/v1/payment_intents/{id}/confirm"),
                &[
                    ("payment_method_data[type]", kind),
                    extra,
                    (
                        "payment_method_data[billing_details][name]",
                        "Camille Martin",
                    ),
                    (
                        "payment_method_data[billing_details][email]",
                        "camille@example.fr",
                    ),
                    ("setup_future_usage", "off_session"),
                    ("return_url", RETURN_URL),
                ],
            )
            .await;
        let r = r.ok();
        assert_eq!(r["status"], "requires_action", "{kind}");
        assert_eq!(r["next_action"]["type"], "redirect_to_url");
        let url = r["next_action"]["redirect_to_url"]["url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(url.contains(&format!("/_emulator/authorize/{id}")), "{url}");
        // The customer authorises on the hosted page, which sends them back.
        let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
        assert!(
            page.contains("Authorize Test Payment") && page.contains("Test mode"),
            "{kind}"
        );
        let secret = pi["client_secret"].as_str().unwrap();
        let no_redirect = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let back = no_redirect
            .post(format!("{}/_emulator/authorize/{id}", emu.base_url))
            .form(&[("client_secret", secret), ("outcome", "authorize")])
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), 303, "{kind}");
        let location = back.headers()["location"].to_str().unwrap();
        assert_eq!(
            location,
            format!("{RETURN_URL}&payment_intent={id}&payment_intent_client_secret={secret}&redirect_status=succeeded")
        );
        // iDEAL and Bancontact are paid on return; Sofort is processing until it settles.
        let on_return = api.get(&format!("/v1/payment_intents/{id}")).await.json["status"].clone();
        assert_eq!(on_return, final_status, "{kind}");
        let settled = api.wait_status(id, "succeeded").await;
        // A SEPA Direct Debit method was generated and saved; the charge points to it.
        let charge = api
            .get(&format!("/v1/payment_intents/{id}?expand[]=latest_charge"))
            .await
            .json["latest_charge"]
            .clone();
        let generated = charge["payment_method_details"][kind]["generated_sepa_debit"]
            .as_str()
            .unwrap()
            .to_owned();
        let saved = api
            .get(&format!(
                "/v1/customers/{c}/payment_methods?type=sepa_debit"
            ))
            .await;
        let saved = saved.ok()["data"].as_array().unwrap().clone();
        assert_eq!(saved.len(), 1, "{kind}");
        assert_eq!(saved[0]["id"], generated.as_str());
        assert_eq!(
            saved[0]["sepa_debit"]["generated_from"]["charge"],
            charge["id"]
        );
        assert_eq!(saved[0]["allow_redisplay"], "limited");
        // The intent keeps the bank method it was paid with; the saved one is the generated SEPA.
        let used = api
            .get(&format!(
                "/v1/payment_methods/{}",
                settled["payment_method"].as_str().unwrap()
            ))
            .await;
        assert_eq!(used.ok()["type"], kind);
        // The generated method pays later, asynchronously.
        let later = api
            .post(
                "/v1/payment_intents",
                &[
                    ("amount", "1000"),
                    ("currency", "eur"),
                    ("customer", &c),
                    ("payment_method", &generated),
                    ("off_session", "true"),
                    ("confirm", "true"),
                ],
            )
            .await;
        assert_eq!(later.ok()["status"], "processing", "{kind}");
    }
    // Failing at the bank.
    let c = api.customer("fail@example.com").await;
    let pi = api.intent("4200", "eur", Some(&c)).await;
    let id = pi["id"].as_str().unwrap();
    api.post(
        &format!("/v1/payment_intents/{id}/confirm"),
        &[
            ("payment_method_data[type]", "ideal"),
            ("return_url", RETURN_URL),
        ],
    )
    .await
    .ok();
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let back = no_redirect
        .post(format!("{}/_emulator/authorize/{id}", emu.base_url))
        .form(&[
            ("client_secret", pi["client_secret"].as_str().unwrap()),
            ("outcome", "fail"),
        ])
        .send()
        .await
        .unwrap();
    assert!(back.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("redirect_status=failed"));
    let failed = api.get(&format!("/v1/payment_intents/{id}")).await;
    assert_eq!(failed.json["status"], "requires_payment_method");
    assert_eq!(
        failed.json["last_payment_error"]["code"],
        "payment_intent_payment_attempt_failed"
    );
    // A wrong client secret gets nothing.
    let forged = no_redirect
        .post(format!("{}/_emulator/authorize/{id}", emu.base_url))
        .form(&[("client_secret", "pi_x_secret_y"), ("outcome", "authorize")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 404);
    // Redirect methods need a return_url, and euros.
    let (_, no_return) = {
        let pi = api.intent("1000", "eur", None).await;
        (
            pi.clone(),
            api.post(
                &format!("/v1/payment_intents/{}/confirm", pi["id"].as_str().unwrap()),
                &[("payment_method_data[type]", "ideal")],
            )
            .await,
        )
    };
    assert_eq!(no_return.error()["param"], "return_url");
}

#[tokio::test]
async fn setup_future_usage_saves_the_card_and_publishable_keys_see_the_client_view() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let public = Api::new(&emu, PK);
    let c = api.customer("save@example.com").await;
    let pi = api.intent("3100", "eur", Some(&c)).await;
    let id = pi["id"].as_str().unwrap();
    let secret = pi["client_secret"].as_str().unwrap();
    assert!(secret.starts_with(&format!("{id}_secret_")));
    // Stripe.js creates the method with the publishable key, then confirms with the client secret.
    let pm = public
        .post(
            "/v1/payment_methods",
            &[
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "4"),
                ("card[exp_year]", "2031"),
                ("card[cvc]", "314"),
                ("allow_redisplay", "always"),
            ],
        )
        .await;
    let pm_id = pm.ok()["id"].as_str().unwrap().to_owned();
    let wrong = public
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[
                ("client_secret", "pi_x_secret_nope"),
                ("payment_method", &pm_id),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.error()["param"], "client_secret");
    let confirmed = public
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[
                ("client_secret", secret),
                ("payment_method", &pm_id),
                ("setup_future_usage", "off_session"),
                ("return_url", RETURN_URL),
            ],
        )
        .await;
    let confirmed = confirmed.ok();
    assert_eq!(confirmed["status"], "succeeded");
    // The client view has no customer, metadata or charge.
    for hidden in ["customer", "metadata", "latest_charge", "amount_received"] {
        assert!(
            confirmed.get(hidden).is_none(),
            "{hidden} leaked to the client"
        );
    }
    let retrieved = public
        .get(&format!("/v1/payment_intents/{id}?client_secret={secret}"))
        .await;
    assert_eq!(retrieved.ok()["status"], "succeeded");
    assert!(retrieved.json.get("customer").is_none());
    assert_eq!(
        public
            .get(&format!("/v1/payment_intents/{id}"))
            .await
            .status,
        400
    );
    // The card is now saved, redisplayable.
    let saved = api
        .get(&format!(
            "/v1/customers/{c}/payment_methods?allow_redisplay=always"
        ))
        .await;
    let saved = saved.ok()["data"].as_array().unwrap().clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["id"], pm_id.as_str());
    assert_eq!(saved[0]["customer"], c.as_str());
    assert_eq!(
        api.get(&format!(
            "/v1/customers/{c}/payment_methods?allow_redisplay=limited"
        ))
        .await
        .json["data"],
        json!([])
    );
    // Another customer's intent cannot use it.
    let other = api.customer("other@example.com").await;
    let pi2 = api.intent("3100", "eur", Some(&other)).await;
    let stolen = api
        .post(
            &format!(
                "/v1/payment_intents/{}/confirm",
                pi2["id"].as_str().unwrap()
            ),
            &[("payment_method", &pm_id), ("return_url", RETURN_URL)],
        )
        .await;
    assert_eq!(stolen.status, 400);
    assert_eq!(stolen.error()["param"], "payment_method");
}

#[tokio::test]
async fn creation_rules_update_and_cancel() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let usd = api.intent("1000", "usd", None).await;
    assert_eq!(
        usd["payment_method_types"],
        json!(["card", "us_bank_account", "link"])
    );
    assert_eq!(
        usd["automatic_payment_methods"],
        json!({ "allow_redirects": "always", "enabled": true })
    );
    assert_eq!(usd["status"], "requires_payment_method");
    assert_eq!(usd["capture_method"], "automatic_async");
    let no_redirects = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1000"),
                ("currency", "eur"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
        )
        .await;
    assert_eq!(
        no_redirects.ok()["payment_method_types"],
        json!(["card", "sepa_debit", "link"])
    );
    let too_small = api
        .post(
            "/v1/payment_intents",
            &[("amount", "10"), ("currency", "eur")],
        )
        .await;
    assert_eq!(too_small.error()["code"], "amount_too_small");
    let sepa_usd = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1000"),
                ("currency", "usd"),
                ("allowed_payment_method_types[]", "sepa_debit"),
            ],
        )
        .await;
    assert_eq!(sepa_usd.status, 400);
    assert_eq!(sepa_usd.error()["param"], "currency");
    let unknown_customer = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1000"),
                ("currency", "eur"),
                ("customer", "cus_nope"),
            ],
        )
        .await;
    assert_eq!(unknown_customer.status, 404);
    // A secret-key confirm of an automatic intent needs a return_url.
    let id = usd["id"].as_str().unwrap();
    let no_return = api
        .post(
            &format!("/v1/payment_intents/{id}/confirm"),
            &[("payment_method", "pm_card_visa")],
        )
        .await;
    assert_eq!(no_return.error()["param"], "return_url");
    // Update: amount and metadata; an update clears the last error.
    let (pi, _) = confirm_with(
        &api,
        "eur",
        &[("payment_method", "pm_card_visa_chargeDeclined")],
    )
    .await;
    let pid = pi["id"].as_str().unwrap();
    let updated = api
        .post(
            &format!("/v1/payment_intents/{pid}"),
            &[("amount", "2700"), ("metadata[order_id]", "7")],
        )
        .await;
    let updated = updated.ok();
    assert_eq!(updated["amount"], 2700);
    assert_eq!(updated["metadata"], json!({ "order_id": "7" }));
    assert!(updated["last_payment_error"].is_null());
    assert_eq!(updated["status"], "requires_confirmation");
    let switched = api
        .post(
            &format!("/v1/payment_intents/{pid}"),
            &[("currency", "usd")],
        )
        .await;
    assert_eq!(
        switched.ok()["payment_method_types"],
        json!(["card", "us_bank_account", "link"])
    );
    // Cancel, then nothing more.
    let canceled = api
        .post(
            &format!("/v1/payment_intents/{pid}/cancel"),
            &[("cancellation_reason", "abandoned")],
        )
        .await;
    assert_eq!(canceled.ok()["status"], "canceled");
    assert_eq!(canceled.json["cancellation_reason"], "abandoned");
    assert!(canceled.json["canceled_at"].is_i64());
    let late = api
        .post(&format!("/v1/payment_intents/{pid}"), &[("amount", "100")])
        .await;
    assert_eq!(late.error()["code"], "payment_intent_unexpected_state");
    let metadata_ok = api
        .post(
            &format!("/v1/payment_intents/{pid}"),
            &[("metadata[note]", "after")],
        )
        .await;
    assert_eq!(metadata_ok.status, 200);
    let reconfirm = api
        .post(
            &format!("/v1/payment_intents/{pid}/confirm"),
            &[
                ("payment_method", "pm_card_visa"),
                ("return_url", RETURN_URL),
            ],
        )
        .await;
    assert_eq!(reconfirm.error()["code"], "payment_intent_unexpected_state");
    // Canceled without a reason: no reason, in the answer and in the event alike.
    let quiet = api.intent("900", "eur", None).await;
    let quiet_id = quiet["id"].as_str().unwrap();
    let canceled = api
        .post(&format!("/v1/payment_intents/{quiet_id}/cancel"), &[])
        .await;
    assert!(canceled.ok()["cancellation_reason"].is_null());
    let event = &api
        .get("/v1/events?type=payment_intent.canceled")
        .await
        .json["data"][0];
    assert_eq!(event["data"]["object"]["id"], quiet_id);
    assert!(event["data"]["object"]["cancellation_reason"].is_null());
    // Listing by customer, and expansion.
    let c = api.customer("list@example.com").await;
    let mine = api.intent("1200", "eur", Some(&c)).await;
    let listed = api.get(&format!("/v1/payment_intents?customer={c}")).await;
    assert_eq!(listed.ok()["data"][0]["id"], mine["id"]);
    assert_eq!(listed.json["data"].as_array().unwrap().len(), 1);
    let expanded = api
        .get(&format!(
            "/v1/payment_intents/{}?expand[]=customer",
            mine["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(expanded.ok()["customer"]["email"], "list@example.com");
    let bad_expand = api
        .get(&format!(
            "/v1/payment_intents/{}?expand[]=review",
            mine["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(bad_expand.status, 400);
    // Manual capture.
    let manual = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "800"),
                ("currency", "usd"),
                ("capture_method", "manual"),
                ("payment_method", "pm_card_visa"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
        )
        .await;
    assert_eq!(manual.ok()["status"], "requires_capture");
    assert_eq!(manual.json["amount_capturable"], 800);
    let captured = api
        .post(
            &format!(
                "/v1/payment_intents/{}/capture",
                manual.json["id"].as_str().unwrap()
            ),
            &[],
        )
        .await;
    assert_eq!(captured.ok()["status"], "succeeded");
}
