//! Customers, payment methods, customer sessions, events and webhook
//! endpoints over real HTTP.

use crate::support;

use serde_json::json;
use support::{emulator, Api, PK, SK};

#[tokio::test]
async fn customers_create_retrieve_update_delete_list() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let created = api
        .post(
            "/v1/customers",
            &[
                ("email", "camille@example.fr"),
                ("name", "Camille Martin"),
                ("preferred_locales[]", "fr"),
                ("address[country]", "FR"),
                ("address[city]", "Paris"),
            ],
        )
        .await;
    let c = created.ok().clone();
    let id = c["id"].as_str().unwrap();
    assert!(id.starts_with("cus_") && id.len() == 18);
    assert_eq!(c["object"], "customer");
    assert_eq!(c["address"]["city"], "Paris");
    assert!(c["address"]["line1"].is_null());
    assert_eq!(
        api.get(&format!("/v1/customers/{id}")).await.ok()["email"],
        "camille@example.fr"
    );
    let updated = api
        .post(
            &format!("/v1/customers/{id}"),
            &[("name", "Camille M."), ("phone", "+33100000000")],
        )
        .await;
    assert_eq!(updated.ok()["name"], "Camille M.");
    assert_eq!(
        api.post(&format!("/v1/customers/{id}"), &[("email", "not-an-email")])
            .await
            .error()["code"],
        "email_invalid"
    );
    assert_eq!(
        api.get("/v1/customers?email=camille@example.fr").await.ok()["data"][0]["id"],
        id
    );
    assert_eq!(
        api.get("/v1/customers?email=nobody@example.fr").await.ok()["data"],
        json!([])
    );
    let deleted = api.delete(&format!("/v1/customers/{id}")).await;
    assert_eq!(
        deleted.ok(),
        &json!({ "id": id, "object": "customer", "deleted": true })
    );
    assert_eq!(
        api.get(&format!("/v1/customers/{id}")).await.ok()["deleted"],
        true
    );
    assert_eq!(
        api.post(&format!("/v1/customers/{id}"), &[("name", "x")])
            .await
            .status,
        404
    );
    assert_eq!(api.get("/v1/customers").await.ok()["data"], json!([]));
    assert_eq!(
        api.get("/v1/customers/cus_nope").await.error()["message"],
        "No such customer: 'cus_nope'"
    );
    let events: Vec<String> = api.get("/v1/events").await.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        ["customer.deleted", "customer.updated", "customer.created"]
    );
}

#[tokio::test]
async fn payment_methods_of_every_type_and_their_validation() {
    let emu = emulator().await;
    let api = Api::new(&emu, PK);
    let name = ("billing_details[name]", "Jenny Rosen");
    let email = ("billing_details[email]", "jenny@example.com");
    // (type, creation parameters, fields expected in the type's hash)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, serde_json::Value);
    let cases: Vec<Case> = vec![
        (
            "card",
            vec![
                ("card[number]", "4242 4242 4242 4242"),
                ("card[exp_month]", "8"),
                ("card[exp_year]", "2032"),
                ("card[cvc]", "123"),
            ],
            json!({ "brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2032, "funding": "credit" }),
        ),
        (
            "card",
            vec![
                ("card[number]", "378282246310005"),
                ("card[exp_month]", "8"),
                ("card[exp_year]", "32"),
                ("card[cvc]", "1234"),
            ],
            json!({ "brand": "amex", "last4": "0005", "exp_year": 2032 }),
        ),
        (
            "sepa_debit",
            vec![
                ("sepa_debit[iban]", "DE89 3704 0044 0532 0130 00"),
                name,
                email,
            ],
            json!({ "country": "DE", "last4": "3000", "bank_code": "37040044" }),
        ),
        (
            "us_bank_account",
            vec![
                ("us_bank_account[routing_number]", "110000000"),
                ("us_bank_account[account_number]", "000123456789"),
                ("us_bank_account[account_holder_type]", "individual"),
                name,
            ],
            json!({ "bank_name": "STRIPE TEST BANK", "last4": "6789", "routing_number": "110000000", "account_type": "checking" }),
        ),
        ("link", vec![email], json!({ "email": "jenny@example.com" })),
        (
            "ideal",
            vec![("ideal[bank]", "rabobank")],
            json!({ "bank": "rabobank", "bic": "RABONL2U" }),
        ),
        ("bancontact", vec![name], json!({})),
        (
            "sofort",
            vec![("sofort[country]", "at")],
            json!({ "country": "AT" }),
        ),
    ];
    for (kind, params, expected) in cases {
        let mut pairs = vec![("type", kind)];
        pairs.extend(params);
        let pm = api.post("/v1/payment_methods", &pairs).await;
        let pm = pm.ok();
        assert!(pm["id"].as_str().unwrap().starts_with("pm_"));
        assert_eq!(pm["type"], kind);
        assert_eq!(pm["allow_redisplay"], "unspecified");
        assert!(pm["customer"].is_null());
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(&pm[kind][k], v, "{kind}.{k}");
        }
    }
    let errors = [
        (
            vec![
                ("type", "card"),
                ("card[number]", "4242424242424241"),
                ("card[exp_month]", "1"),
                ("card[exp_year]", "2033"),
            ],
            402,
            "incorrect_number",
        ),
        (
            vec![
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "13"),
                ("card[exp_year]", "2033"),
            ],
            402,
            "invalid_expiry_month",
        ),
        (
            vec![
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "1"),
                ("card[exp_year]", "2001"),
            ],
            402,
            "invalid_expiry_year",
        ),
        (
            vec![
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "1"),
                ("card[exp_year]", "2033"),
                ("card[cvc]", "12"),
            ],
            402,
            "invalid_cvc",
        ),
        (vec![("type", "card")], 400, "parameter_missing"),
        (
            vec![
                ("type", "sepa_debit"),
                ("sepa_debit[iban]", "DE89370400440532013000"),
            ],
            400,
            "parameter_missing",
        ),
        (
            vec![
                ("type", "us_bank_account"),
                ("us_bank_account[routing_number]", "12"),
                ("us_bank_account[account_number]", "000123456789"),
                name,
            ],
            400,
            "routing_number_invalid",
        ),
        (
            vec![
                ("type", "card"),
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "1"),
                ("card[exp_year]", "2033"),
                ("card[color]", "red"),
            ],
            400,
            "parameter_unknown",
        ),
    ];
    for (pairs, status, code) in errors {
        let reply = api.post("/v1/payment_methods", &pairs).await;
        assert_eq!(
            (reply.status, reply.error()["code"].as_str()),
            (status, Some(code)),
            "{pairs:?}"
        );
    }
    let wrong_type = api.post("/v1/payment_methods", &[("type", "alipay")]).await;
    assert_eq!(wrong_type.status, 400);
    assert_eq!(wrong_type.error()["param"], "type");
}

#[tokio::test]
async fn attach_detach_update_and_list_with_filters() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("saver@example.com").await;
    let card = api
        .post(
            "/v1/payment_methods/pm_card_visa/attach",
            &[("customer", &c)],
        )
        .await;
    let card_id = card.ok()["id"].as_str().unwrap().to_owned();
    assert_ne!(card_id, "pm_card_visa", "a magic id makes a fresh method");
    assert_eq!(card.json["customer"], c.as_str());
    let sepa = api
        .post(
            "/v1/payment_methods/pm_success_de/attach",
            &[("customer", &c)],
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.post(
        &format!("/v1/payment_methods/{sepa}"),
        &[("allow_redisplay", "always")],
    )
    .await
    .ok();
    // Declining cards fail their attach check; 4000000000000341 attaches.
    let declined = api
        .post(
            "/v1/payment_methods/pm_card_visa_chargeDeclined/attach",
            &[("customer", &c)],
        )
        .await;
    assert_eq!(declined.status, 402);
    assert_eq!(declined.error()["decline_code"], "generic_decline");
    let charge_fails = api
        .post(
            "/v1/payment_methods/pm_card_chargeCustomerFail/attach",
            &[("customer", &c)],
        )
        .await;
    assert_eq!(charge_fails.status, 200);
    // Lists, newest first, with filters.
    let all = api.get(&format!("/v1/customers/{c}/payment_methods")).await;
    assert_eq!(all.ok()["data"].as_array().unwrap().len(), 3);
    assert_eq!(all.json["data"][0]["id"], charge_fails.json["id"]);
    let cards = api
        .get(&format!("/v1/customers/{c}/payment_methods?type=card"))
        .await;
    assert_eq!(cards.ok()["data"].as_array().unwrap().len(), 2);
    let always = api
        .get(&format!(
            "/v1/customers/{c}/payment_methods?allow_redisplay=always"
        ))
        .await;
    assert_eq!(always.ok()["data"][0]["id"], sepa.as_str());
    assert_eq!(always.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.get(&format!("/v1/payment_methods?customer={c}&type=sepa_debit"))
            .await
            .ok()["data"][0]["id"],
        sepa.as_str()
    );
    assert_eq!(
        api.get(&format!("/v1/customers/{c}/payment_methods/{card_id}"))
            .await
            .ok()["id"],
        card_id.as_str()
    );
    // Update needs an attached method.
    let updated = api
        .post(
            &format!("/v1/payment_methods/{card_id}"),
            &[
                ("billing_details[name]", "Saver"),
                ("card[exp_month]", "3"),
                ("metadata[k]", "v"),
            ],
        )
        .await;
    assert_eq!(updated.ok()["billing_details"]["name"], "Saver");
    assert_eq!(updated.json["card"]["exp_month"], 3);
    // Another customer cannot take it; detach is final.
    let other = api.customer("other@example.com").await;
    assert_eq!(
        api.post(
            &format!("/v1/payment_methods/{card_id}/attach"),
            &[("customer", &other)]
        )
        .await
        .status,
        400
    );
    assert_eq!(
        api.get(&format!("/v1/customers/{other}/payment_methods/{card_id}"))
            .await
            .status,
        404
    );
    let detached = api
        .post(&format!("/v1/payment_methods/{card_id}/detach"), &[])
        .await;
    assert!(detached.ok()["customer"].is_null());
    assert_eq!(
        api.post(&format!("/v1/payment_methods/{card_id}/detach"), &[])
            .await
            .status,
        400
    );
    assert_eq!(
        api.post(
            &format!("/v1/payment_methods/{card_id}/attach"),
            &[("customer", &c)]
        )
        .await
        .status,
        400
    );
    assert_eq!(
        api.post(
            &format!("/v1/payment_methods/{card_id}"),
            &[("metadata[k]", "w")]
        )
        .await
        .status,
        400
    );
    // iDEAL cannot be attached: it is saved as the SEPA method a payment generates.
    let ideal = Api::new(&emu, PK)
        .post("/v1/payment_methods", &[("type", "ideal")])
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        api.post(
            &format!("/v1/payment_methods/{ideal}/attach"),
            &[("customer", &c)]
        )
        .await
        .status,
        400
    );
    let types: Vec<String> = api.get("/v1/events?type=payment_method.*").await.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "payment_method.attached")
            .count(),
        3
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "payment_method.detached")
            .count(),
        1
    );
}

#[tokio::test]
async fn customer_sessions_with_defaults_and_every_feature() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("cuss@example.com").await;
    let minimal = api
        .post(
            "/v1/customer_sessions",
            &[
                ("customer", &c),
                ("components[payment_element][enabled]", "true"),
            ],
        )
        .await;
    let minimal = minimal.ok();
    assert_eq!(minimal["object"], "customer_session");
    assert!(minimal["client_secret"]
        .as_str()
        .unwrap()
        .starts_with("cuss_secret_"));
    assert_eq!(
        minimal["expires_at"].as_i64().unwrap() - minimal["created"].as_i64().unwrap(),
        1800
    );
    assert_eq!(
        minimal["components"]["payment_element"]["features"],
        json!({
            "payment_method_allow_redisplay_filters": ["always"],
            "payment_method_redisplay": "disabled",
            "payment_method_redisplay_limit": 3,
            "payment_method_remove": "disabled",
            "payment_method_save": "disabled",
            "payment_method_save_usage": null,
        })
    );
    assert_eq!(
        minimal["components"]["buy_button"],
        json!({ "enabled": false })
    );
    let full = api
        .post(
            "/v1/customer_sessions",
            &[
                ("customer", &c),
                ("components[payment_element][enabled]", "true"),
                ("components[payment_element][features][payment_method_redisplay]", "enabled"),
                ("components[payment_element][features][payment_method_redisplay_limit]", "5"),
                ("components[payment_element][features][payment_method_allow_redisplay_filters][]", "always"),
                ("components[payment_element][features][payment_method_allow_redisplay_filters][]", "limited"),
                ("components[payment_element][features][payment_method_save]", "enabled"),
                ("components[payment_element][features][payment_method_save_usage]", "off_session"),
                ("components[payment_element][features][payment_method_remove]", "enabled"),
                ("expand[]", "customer"),
            ],
        )
        .await;
    let f = &full.ok()["components"]["payment_element"]["features"];
    assert_eq!(f["payment_method_redisplay"], "enabled");
    assert_eq!(f["payment_method_redisplay_limit"], 5);
    assert_eq!(
        f["payment_method_allow_redisplay_filters"],
        json!(["always", "limited"])
    );
    assert_eq!(f["payment_method_save_usage"], "off_session");
    assert_eq!(full.json["customer"]["email"], "cuss@example.com");
    assert_ne!(full.json["client_secret"], minimal["client_secret"]);
    for (pairs, param) in [
        (
            vec![("components[payment_element][enabled]", "true")],
            "customer",
        ),
        (vec![("customer", c.as_str())], "components"),
        (
            vec![
                ("customer", c.as_str()),
                ("components[payment_element][enabled]", "false"),
            ],
            "components",
        ),
        (
            vec![
                ("customer", c.as_str()),
                ("components[payment_element][enabled]", "true"),
                (
                    "components[payment_element][features][payment_method_redisplay_limit]",
                    "11",
                ),
            ],
            "components[payment_element][features][payment_method_redisplay_limit]",
        ),
    ] {
        let reply = api.post("/v1/customer_sessions", &pairs).await;
        assert_eq!(reply.status, 400, "{pairs:?}");
        assert_eq!(reply.error()["param"], param, "{pairs:?}");
    }
    assert_eq!(
        api.post(
            "/v1/customer_sessions",
            &[
                ("customer", "cus_nope"),
                ("components[payment_element][enabled]", "true")
            ]
        )
        .await
        .status,
        404
    );
    assert_eq!(
        Api::new(&emu, PK)
            .post(
                "/v1/customer_sessions",
                &[
                    ("customer", &c),
                    ("components[payment_element][enabled]", "true")
                ]
            )
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn events_record_every_transition_and_filter_by_type() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let c = api.customer("ev@example.com").await;
    let pi = api.intent("1000", "eur", Some(&c)).await;
    let id = pi["id"].as_str().unwrap();
    api.post_with(
        &format!("/v1/payment_intents/{id}/confirm"),
        &[
            ("payment_method", "pm_card_visa"),
            ("return_url", "https://x.test/"),
        ],
        &[("idempotency-key", "ev-1")],
    )
    .await
    .ok();
    let all = api.get("/v1/events?type=payment_intent.*").await;
    let types: Vec<&str> = all.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["payment_intent.succeeded", "payment_intent.created"]
    );
    let succeeded = &all.json["data"][0];
    assert_eq!(succeeded["data"]["object"]["id"], id);
    assert_eq!(succeeded["data"]["object"]["status"], "succeeded");
    assert_eq!(succeeded["request"]["idempotency_key"], "ev-1");
    assert!(succeeded["request"]["id"]
        .as_str()
        .unwrap()
        .starts_with("req_"));
    assert_eq!(succeeded["api_version"], "2026-10-28.endive");
    let one = api
        .get(&format!("/v1/events/{}", succeeded["id"].as_str().unwrap()))
        .await;
    assert_eq!(one.ok(), succeeded);
    let many = api
        .get("/v1/events?types[]=charge.succeeded&types[]=customer.created")
        .await;
    assert_eq!(many.ok()["data"].as_array().unwrap().len(), 2);
    assert_eq!(api.get("/v1/events/evt_nope").await.status, 404);
    assert_eq!(api.get("/v1/events?type=a&types[]=b").await.status, 400);

    // `created`: an exact time or a range, applied (not just accepted).
    let listed = api.get("/v1/events").await;
    let times: Vec<i64> = listed.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["created"].as_i64().unwrap())
        .collect();
    let (first, last) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
    let count = |reply: &support::Reply| reply.ok()["data"].as_array().unwrap().len();
    let range = format!("/v1/events?created[gte]={first}&created[lte]={last}");
    assert_eq!(count(&api.get(&range).await), times.len());
    assert_eq!(
        count(&api.get(&format!("/v1/events?created[gt]={last}")).await),
        0
    );
    assert_eq!(
        count(&api.get(&format!("/v1/events?created[lt]={first}")).await),
        0
    );
    assert_eq!(
        count(&api.get(&format!("/v1/events?created={last}")).await),
        times.iter().filter(|t| **t == last).count()
    );
    assert_eq!(
        count(&api.get(&format!("/v1/customers?created[gt]={last}")).await),
        0
    );
    assert_eq!(
        count(
            &api.get(&format!("/v1/payment_intents?created[lte]={last}"))
                .await
        ),
        1
    );
    let bad = api.get("/v1/events?created[after]=1").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error()["param"], "created[after]");
    assert_eq!(api.get("/v1/events?created[gt]=soon").await.status, 400);
}

#[tokio::test]
async fn webhook_endpoints_crud_and_secret_only_on_create() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let created = api
        .post(
            "/v1/webhook_endpoints",
            &[
                ("url", "https://shop.test/webhooks/stripe"),
                ("enabled_events[]", "payment_intent.succeeded"),
                ("enabled_events[]", "payment_intent.payment_failed"),
                ("description", "shop"),
            ],
        )
        .await;
    let created = created.ok().clone();
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("we_"));
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["status"], "enabled");
    let got = api.get(&format!("/v1/webhook_endpoints/{id}")).await;
    assert!(got.ok().get("secret").is_none());
    let updated = api
        .post(
            &format!("/v1/webhook_endpoints/{id}"),
            &[("disabled", "true"), ("enabled_events[]", "*")],
        )
        .await;
    assert_eq!(updated.ok()["status"], "disabled");
    assert_eq!(updated.json["enabled_events"], json!(["*"]));
    assert_eq!(
        api.get("/v1/webhook_endpoints").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        api.post(
            "/v1/webhook_endpoints",
            &[("url", "ftp://x"), ("enabled_events[]", "*")]
        )
        .await
        .error()["param"],
        "url"
    );
    assert_eq!(
        api.post("/v1/webhook_endpoints", &[("url", "https://x.test")])
            .await
            .error()["param"],
        "enabled_events"
    );
    assert_eq!(
        api.delete(&format!("/v1/webhook_endpoints/{id}"))
            .await
            .ok()["deleted"],
        true
    );
    assert_eq!(
        api.get(&format!("/v1/webhook_endpoints/{id}")).await.status,
        404
    );
}

#[tokio::test]
async fn the_request_log_lists_each_api_request_with_its_key_and_status() {
    let emu = emulator().await;
    let secret = Api::new(&emu, SK);
    let public = Api::new(&emu, PK);
    let start = secret.get("/_emulator/requests").await.ok()["last_seq"]
        .as_u64()
        .unwrap();
    let customer = secret.customer("log@example.com").await;
    public.get(&format!("/v1/customers/{customer}")).await;
    Api::new(&emu, "sk_test_wrong").get("/v1/customers").await;

    let log = secret
        .get(&format!("/_emulator/requests?after={start}"))
        .await
        .ok()
        .clone();
    let seen: Vec<(String, String, String, u64)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
                r["key"].as_str().unwrap().to_owned(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("POST".into(), "/v1/customers".into(), "secret".into(), 200),
            (
                "GET".into(),
                format!("/v1/customers/{customer}"),
                "publishable".into(),
                401
            ),
            ("GET".into(), "/v1/customers".into(), "none".into(), 401),
        ]
    );
    assert_eq!(log["last_seq"].as_u64().unwrap(), start + 3);
    // The log is for tests holding the secret key only.
    assert_eq!(public.get("/_emulator/requests").await.status, 401);
}

/// The `email` filter pages like any list: every customer with that exact
/// address, newest first, across pages, and nobody else's (Stripe's filter
/// is case-sensitive).
#[tokio::test]
async fn the_customer_email_filter_pages_across_every_match() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    for n in 0..130 {
        let email = match n % 3 {
            0 => "other@example.com".to_owned(),
            _ => "shared@example.com".to_owned(),
        };
        api.post(
            "/v1/customers",
            &[("email", email.as_str()), ("name", &format!("C{n}"))],
        )
        .await
        .ok();
    }
    api.post("/v1/customers", &[("email", "Shared@Example.com")])
        .await
        .ok();
    let mut found = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            None => "/v1/customers?email=shared@example.com&limit=50".to_owned(),
            Some(id) => {
                format!("/v1/customers?email=shared@example.com&limit=50&starting_after={id}")
            }
        };
        let page = api.get(&path).await.ok().clone();
        let data = page["data"].as_array().unwrap();
        assert!(data.iter().all(|c| c["email"] == "shared@example.com"));
        found.extend(data.iter().map(|c| c["created"].as_i64().unwrap()));
        after = data.last().map(|c| c["id"].as_str().unwrap().to_owned());
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(found.len(), 86);
    assert!(found.windows(2).all(|w| w[0] >= w[1]), "newest first");
}
