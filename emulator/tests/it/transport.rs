//! Stripe's transport over real HTTP: authentication, encoding, error
//! shapes, API versions, idempotency and pagination.

use crate::support;

use reqwest::Method;
use support::{emulator, encode, Api, PK, SK};

#[tokio::test]
async fn keys_bearer_basic_and_their_errors() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    assert_eq!(api.get("/v1/customers").await.status, 200);
    // HTTP Basic with the key as user name and an empty password.
    let basic = reqwest::Client::new()
        .get(format!("{}/v1/customers", emu.base_url))
        .basic_auth(SK, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);

    let none = reqwest::Client::new()
        .get(format!("{}/v1/customers", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("You did not provide an API key."));

    let wrong = Api::new(&emu, "sk_test_someoneelse9876")
        .get("/v1/customers")
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.error()["message"],
        "Invalid API Key provided: sk_test_****9876"
    );

    // The publishable key only reaches what Stripe.js may do.
    let public = Api::new(&emu, PK).get("/v1/customers").await;
    assert_eq!(public.status, 401);
    assert!(public.error()["message"]
        .as_str()
        .unwrap()
        .contains("publishable API key"));
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let ok = api.get("/v1/customers").await;
    let err = api.get("/v1/customers/cus_missing").await;
    for reply in [&ok, &err] {
        let id = reply.header("request-id").expect("Request-Id header");
        assert!(id.starts_with("req_") && id.len() > 10);
    }
    assert_ne!(ok.header("request-id"), err.header("request-id"));
}

#[tokio::test]
async fn brackets_both_array_forms_and_percent_encoding() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    // Raw brackets, indexed arrays (stripe-node's form), and percent-encoded brackets.
    let body = "email=a%2Bb%40example.com&metadata[order_id]=42&metadata%5Bnote%5D=caf%C3%A9+cr%C3%A8me&preferred_locales[0]=fr&preferred_locales[1]=en";
    let c = api
        .send(Method::POST, "/v1/customers", body.into(), &[])
        .await;
    let c = c.ok();
    assert_eq!(c["email"], "a+b@example.com");
    assert_eq!(c["metadata"]["order_id"], "42");
    assert_eq!(c["metadata"]["note"], "café crème");
    assert_eq!(c["preferred_locales"], serde_json::json!(["fr", "en"]));
    // `[]` arrays.
    let id = c["id"].as_str().unwrap();
    let updated = api
        .send(
            Method::POST,
            &format!("/v1/customers/{id}"),
            "preferred_locales[]=de&preferred_locales[]=it".into(),
            &[],
        )
        .await;
    assert_eq!(
        updated.ok()["preferred_locales"],
        serde_json::json!(["de", "it"])
    );
    // Empty values unset: one metadata key, then all.
    let one = api
        .post(&format!("/v1/customers/{id}"), &[("metadata[note]", "")])
        .await;
    assert_eq!(
        one.ok()["metadata"],
        serde_json::json!({ "order_id": "42" })
    );
    let all = api
        .post(&format!("/v1/customers/{id}"), &[("metadata", "")])
        .await;
    assert_eq!(all.ok()["metadata"], serde_json::json!({}));
}

#[tokio::test]
async fn bad_input_gets_stripe_errors() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let unknown = api.post("/v1/customers", &[("colour", "blue")]).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.error()["code"], "parameter_unknown");
    assert_eq!(unknown.error()["param"], "colour");
    assert_eq!(
        unknown.error()["message"],
        "Received unknown parameter: colour"
    );

    let missing = api
        .post("/v1/payment_intents", &[("currency", "eur")])
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.error()["code"], "parameter_missing");
    assert_eq!(missing.error()["param"], "amount");
    assert_eq!(
        missing.error()["message"],
        "Missing required param: amount."
    );

    let not_int = api
        .post(
            "/v1/payment_intents",
            &[("amount", "12.5"), ("currency", "eur")],
        )
        .await;
    assert_eq!(not_int.error()["code"], "parameter_invalid_integer");
    assert_eq!(not_int.error()["param"], "amount");

    let not_bool = api
        .post(
            "/v1/payment_intents",
            &[("amount", "1000"), ("currency", "eur"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(not_bool.status, 400);
    assert_eq!(not_bool.error()["param"], "confirm");

    let not_hash = api.post("/v1/customers", &[("metadata", "x")]).await;
    assert_eq!(not_hash.status, 400);
    assert_eq!(not_hash.error()["param"], "metadata");

    let malformed = api
        .send(Method::POST, "/v1/customers", "metadata[a=1".into(), &[])
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error()["type"], "invalid_request_error");

    let bad_utf8 = api
        .send(Method::POST, "/v1/customers", "name=%ff%fe".into(), &[])
        .await;
    assert_eq!(bad_utf8.status, 400);

    let json = reqwest::Client::new()
        .post(format!("{}/v1/customers", emu.base_url))
        .bearer_auth(SK)
        .header("content-type", "application/json")
        .body(r#"{"email":"x@example.com"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);
    let body: serde_json::Value = json.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unsupported Content-Type"));

    let huge = api
        .send(
            Method::POST,
            "/v1/customers",
            format!("description={}", "x".repeat(300 * 1024)),
            &[],
        )
        .await;
    assert_eq!(huge.status, 413);
    assert_eq!(huge.error()["type"], "invalid_request_error");

    let missing_id = api.get("/v1/payment_intents/pi_doesnotexist").await;
    assert_eq!(missing_id.status, 404);
    assert_eq!(missing_id.error()["code"], "resource_missing");
    assert_eq!(
        missing_id.error()["message"],
        "No such payment_intent: 'pi_doesnotexist'"
    );
    assert_eq!(missing_id.error()["param"], "intent");

    let route = api.get("/v1/no_such_thing").await;
    assert_eq!(route.status, 404);
    assert!(route.error()["message"]
        .as_str()
        .unwrap()
        .starts_with("Unrecognized request URL (GET: /v1/no_such_thing)"));

    // Nothing was created by any of these.
    assert_eq!(
        api.get("/v1/customers").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn api_versions_switch_payment_method_types() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let form = encode(&[
        ("amount", "1000"),
        ("currency", "eur"),
        ("payment_method_types[]", "card"),
    ]);
    // endive (the default) removed the request parameter…
    let endive = api
        .send(Method::POST, "/v1/payment_intents", form.clone(), &[])
        .await;
    assert_eq!(endive.status, 400);
    assert_eq!(endive.error()["code"], "parameter_unknown");
    assert_eq!(endive.error()["param"], "payment_method_types");
    // …in favour of allowed_payment_method_types.
    let allowed = api
        .send(
            Method::POST,
            "/v1/payment_intents",
            encode(&[
                ("amount", "1000"),
                ("currency", "eur"),
                ("allowed_payment_method_types[]", "card"),
                ("allowed_payment_method_types[]", "sepa_debit"),
            ]),
            &[],
        )
        .await;
    assert_eq!(
        allowed.ok()["payment_method_types"],
        serde_json::json!(["card", "sepa_debit"])
    );
    // …which the intent now says, with what it excludes; null when automatic.
    assert_eq!(
        allowed.json["allowed_payment_method_types"],
        serde_json::json!(["card", "sepa_debit"])
    );
    assert!(allowed.json["excluded_payment_method_types"].is_null());
    let excluding = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "1000"),
                ("currency", "eur"),
                ("automatic_payment_methods[enabled]", "true"),
                ("excluded_payment_method_types[]", "sofort"),
            ],
        )
        .await;
    assert!(excluding.ok()["allowed_payment_method_types"].is_null());
    assert_eq!(
        excluding.json["excluded_payment_method_types"],
        serde_json::json!(["sofort"])
    );
    assert!(!excluding.json["payment_method_types"]
        .as_array()
        .unwrap()
        .contains(&"sofort".into()));
    // From basil on, an intent names no invoice.
    assert!(excluding.json.get("invoice").is_none());
    // dahlia and older still take payment_method_types.
    let dahlia = api
        .send(
            Method::POST,
            "/v1/payment_intents",
            form.clone(),
            &[("stripe-version", "2026-06-24.dahlia")],
        )
        .await;
    assert_eq!(
        dahlia.ok()["payment_method_types"],
        serde_json::json!(["card"])
    );
    assert!(dahlia.json["automatic_payment_methods"].is_null());
    // …and answer in their own shape: no allowed types before 2026-07-29.
    assert!(dahlia.json.get("allowed_payment_method_types").is_none());
    assert!(dahlia.json.get("invoice").is_none());
    let old = api
        .send(
            Method::POST,
            "/v1/payment_intents",
            form,
            &[("stripe-version", "2024-04-10")],
        )
        .await;
    assert_eq!(old.status, 200);
    // Before basil, an intent named its invoice (none here).
    let old_object = old.json.as_object().unwrap();
    assert!(old_object.contains_key("invoice") && old_object["invoice"].is_null());
    assert!(!old_object.contains_key("allowed_payment_method_types"));
    let bad = api
        .send(
            Method::GET,
            "/v1/customers",
            String::new(),
            &[("stripe-version", "yesterday")],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.error()["message"]
        .as_str()
        .unwrap()
        .contains("Invalid Stripe API version"));
}

#[tokio::test]
async fn idempotent_replays_mismatches_and_conflicts() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let pairs = [("email", "once@example.com")];
    let first = api
        .post_with("/v1/customers", &pairs, &[("idempotency-key", "key-1")])
        .await;
    let again = api
        .post_with("/v1/customers", &pairs, &[("idempotency-key", "key-1")])
        .await;
    assert_eq!(first.ok()["id"], again.ok()["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(first.header("idempotent-replayed"), None);
    assert_eq!(first.header("request-id"), again.header("request-id"));
    assert_eq!(
        api.get("/v1/customers").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let other = api
        .post_with(
            "/v1/customers",
            &[("email", "twice@example.com")],
            &[("idempotency-key", "key-1")],
        )
        .await;
    assert_eq!(other.status, 400);
    assert_eq!(other.error()["type"], "idempotency_error");

    // A decline is an executed request: the same 402 is replayed.
    let c = api.customer("d@example.com").await;
    let pi = api.intent("1500", "usd", Some(&c)).await;
    let path = format!("/v1/payment_intents/{}/confirm", pi["id"].as_str().unwrap());
    let confirm = [
        ("payment_method", "pm_card_visa_chargeDeclined"),
        ("return_url", "https://shop.test/done"),
    ];
    let d1 = api
        .post_with(&path, &confirm, &[("idempotency-key", "confirm-1")])
        .await;
    let d2 = api
        .post_with(&path, &confirm, &[("idempotency-key", "confirm-1")])
        .await;
    assert_eq!((d1.status, d2.status), (402, 402));
    assert_eq!(d1.json, d2.json);
    assert_eq!(d2.header("idempotent-replayed"), Some("true"));

    // Validation failures are not stored: the key stays usable.
    let invalid = api
        .post_with(
            "/v1/customers",
            &[("bogus", "1")],
            &[("idempotency-key", "key-2")],
        )
        .await;
    assert_eq!(invalid.status, 400);
    let valid = api
        .post_with(
            "/v1/customers",
            &[("email", "later@example.com")],
            &[("idempotency-key", "key-2")],
        )
        .await;
    assert_eq!(valid.status, 200);
    assert_eq!(valid.header("idempotent-replayed"), None);

    // A request still in flight with the same key gets 409.
    emu.shared.store.lock().unwrap().idempotency.insert(
        "busy".into(),
        stripe_emulator::store::IdempotencyRecord::InFlight {
            fingerprint: "x".into(),
        },
    );
    let busy = api
        .post_with("/v1/customers", &pairs, &[("idempotency-key", "busy")])
        .await;
    assert_eq!(busy.status, 409);
    assert_eq!(busy.error()["code"], "idempotency_key_in_use");

    let long = api
        .post_with(
            "/v1/customers",
            &pairs,
            &[("idempotency-key", &"k".repeat(256))],
        )
        .await;
    assert_eq!(long.status, 400);
}

#[tokio::test]
async fn lists_paginate_newest_first() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(api.customer(&format!("c{i}@example.com")).await);
    }
    ids.reverse(); // newest first
    let page1 = api.get("/v1/customers?limit=2").await;
    let page1 = page1.ok();
    assert_eq!(page1["object"], "list");
    assert_eq!(page1["url"], "/v1/customers");
    assert_eq!(page1["has_more"], true);
    let got: Vec<&str> = page1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, ids[..2]);
    let page2 = api
        .get(&format!("/v1/customers?limit=2&starting_after={}", ids[1]))
        .await;
    let got: Vec<String> = page2.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids[2..4]);
    let last = api
        .get(&format!("/v1/customers?limit=2&starting_after={}", ids[3]))
        .await;
    assert_eq!(last.ok()["has_more"], false);
    assert_eq!(last.json["data"].as_array().unwrap().len(), 1);
    let before = api
        .get(&format!("/v1/customers?limit=2&ending_before={}", ids[4]))
        .await;
    let got: Vec<String> = before.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids[2..4]);
    assert_eq!(before.json["has_more"], true);
    assert_eq!(
        api.get("/v1/customers").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(api.get("/v1/customers?limit=0").await.status, 400);
    assert_eq!(api.get("/v1/customers?limit=101").await.status, 400);
    assert_eq!(
        api.get("/v1/customers?starting_after=cus_unknown")
            .await
            .status,
        404
    );
}
