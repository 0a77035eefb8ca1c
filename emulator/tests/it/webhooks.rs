//! Signed webhook delivery: signatures checked by an independent verifier,
//! retries, chaos, `--forward-to`, and state that survives a restart.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use stripe_emulator::store::now;
use support::{emulator, emulator_with, verify_signature, Api, Receiver, SK};

async fn endpoint(api: &Api, url: &str, events: &[&str]) -> String {
    let mut pairs = vec![("url", url)];
    pairs.extend(events.iter().map(|e| ("enabled_events[]", *e)));
    api.post("/v1/webhook_endpoints", &pairs).await.ok()["secret"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn pay(api: &Api) -> String {
    let c = api.customer("hook@example.com").await;
    let pi = api.intent("1999", "eur", Some(&c)).await;
    let id = pi["id"].as_str().unwrap().to_owned();
    api.post(
        &format!("/v1/payment_intents/{id}/confirm"),
        &[
            ("payment_method", "pm_card_visa"),
            ("return_url", "https://x.test/"),
        ],
    )
    .await
    .ok();
    id
}

#[tokio::test]
async fn deliveries_are_signed_over_the_raw_body() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let receiver = Receiver::start(vec![]).await;
    let secret = endpoint(
        &api,
        &receiver.url,
        &["payment_intent.succeeded", "payment_intent.created"],
    )
    .await;
    let id = pay(&api).await;
    let got = receiver.wait_for(2).await;
    for r in &got {
        verify_signature(&r.signature, &r.body, &secret, now(), 300).expect("a valid signature");
        assert!(verify_signature(&r.signature, &r.body, "whsec_wrong", now(), 300).is_err());
        assert!(
            verify_signature(&r.signature, &format!("{} ", r.body), &secret, now(), 300).is_err()
        );
        assert!(verify_signature(&r.signature, &r.body, &secret, now() + 301, 300).is_err());
        assert!(r.signature.starts_with("t=") && r.signature.contains(",v1="));
    }
    let types: Vec<String> = receiver
        .events()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        types.contains(&"payment_intent.succeeded".to_owned())
            && types.contains(&"payment_intent.created".to_owned())
    );
    assert!(
        !types.iter().any(|t| t.starts_with("charge.")),
        "only the enabled events"
    );
    let succeeded = receiver
        .events()
        .into_iter()
        .find(|e| e["type"] == "payment_intent.succeeded")
        .unwrap();
    assert_eq!(succeeded["data"]["object"]["id"], id.as_str());
    // Delivered: the event no longer counts a pending webhook.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let event = api
        .get(&format!("/v1/events/{}", succeeded["id"].as_str().unwrap()))
        .await;
    assert_eq!(event.ok()["pending_webhooks"], 0);
}

#[tokio::test]
async fn an_endpoint_pinned_to_an_older_version_gets_events_in_that_version() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let (older, current) = (Receiver::start(vec![]).await, Receiver::start(vec![]).await);
    let secret = api
        .post(
            "/v1/webhook_endpoints",
            &[
                ("url", older.url.as_str()),
                ("enabled_events[]", "payment_intent.succeeded"),
                ("api_version", "2024-04-10"),
            ],
        )
        .await
        .ok()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    endpoint(&api, &current.url, &["payment_intent.succeeded"]).await;
    pay(&api).await;
    let got = older.wait_for(1).await;
    verify_signature(&got[0].signature, &got[0].body, &secret, now(), 300)
        .expect("signed over the body as sent");
    let event = &older.events()[0];
    assert_eq!(event["api_version"], "2024-04-10");
    let object = event["data"]["object"].as_object().unwrap();
    assert!(object.contains_key("invoice"));
    assert!(!object.contains_key("allowed_payment_method_types"));
    // The same event, at the account's version, for the other endpoint.
    current.wait_for(1).await;
    let event = &current.events()[0];
    assert_eq!(
        event["api_version"],
        stripe_emulator::http::DEFAULT_API_VERSION
    );
    assert!(!event["data"]["object"]
        .as_object()
        .unwrap()
        .contains_key("invoice"));
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_a_fresh_timestamp() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    // The receiver fails twice, then accepts.
    let receiver = Receiver::start(vec![500, 503]).await;
    let secret = endpoint(&api, &receiver.url, &["customer.created"]).await;
    api.customer("retry@example.com").await;
    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3);
    let ids: Vec<Value> = receiver.events().iter().map(|e| e["id"].clone()).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "the same event each time");
    for r in &got {
        verify_signature(&r.signature, &r.body, &secret, now(), 300).unwrap();
    }
    // No more attempts after a success.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(receiver.received.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_receiver_that_never_answers_well_is_given_up_on() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let receiver = Receiver::start(vec![500; 10]).await;
    endpoint(&api, &receiver.url, &["customer.created"]).await;
    api.customer("gone@example.com").await;
    tokio::time::sleep(Duration::from_millis(1800)).await;
    // max_attempts is 4 in the test configuration.
    assert_eq!(receiver.received.lock().unwrap().len(), 4);
    assert_eq!(
        api.get("/v1/events").await.json["data"][0]["pending_webhooks"],
        1
    );
}

#[tokio::test]
async fn chaos_duplicates_shuffles_and_fails_first_attempts() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let receiver = Receiver::start(vec![]).await;
    endpoint(&api, &receiver.url, &["customer.created"]).await;
    let chaos = api
        .post(
            "/_emulator/webhooks/chaos",
            &[
                ("duplicate", "true"),
                ("shuffle", "true"),
                ("fail_first", "true"),
            ],
        )
        .await;
    assert_eq!(chaos.ok()["chaos"]["duplicate"], true);
    for i in 0..3 {
        api.customer(&format!("chaos{i}@example.com")).await;
    }
    // Each event: two copies, each first attempt counted as failed and retried.
    let flushed = api
        .post("/_emulator/webhooks/deliver", &[("timeout_ms", "5000")])
        .await;
    assert_eq!(flushed.status, 200);
    receiver.wait_for(12).await;
    let mut counts = std::collections::HashMap::new();
    for e in receiver.events() {
        *counts
            .entry(e["id"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    assert_eq!(counts.len(), 3);
    assert!(counts.values().all(|n| *n >= 4), "{counts:?}");
    let off = api.post("/_emulator/webhooks/chaos", &[]).await;
    assert_eq!(off.ok()["chaos"]["duplicate"], false);
}

#[tokio::test]
async fn delayed_deliveries_wait_and_deliver_now_flushes_them() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    let receiver = Receiver::start(vec![]).await;
    endpoint(&api, &receiver.url, &["*"]).await;
    api.post("/_emulator/webhooks/chaos", &[("delay_ms", "60000")])
        .await
        .ok();
    api.customer("later@example.com").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received.lock().unwrap().len(), 0);
    let flushed = api.post("/_emulator/webhooks/deliver", &[]).await;
    assert_eq!(flushed.ok()["pending"], 0);
    assert_eq!(receiver.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn forward_to_registers_an_endpoint_for_every_event() {
    let receiver = Receiver::start(vec![]).await;
    let url = receiver.url.clone();
    let emu = emulator_with(|c| c.forward_to = Some(url)).await;
    let secret = emu.forward_secret.clone().expect("a signing secret");
    let api = Api::new(&emu, SK);
    pay(&api).await;
    let got = receiver.wait_for(4).await;
    for r in &got {
        verify_signature(&r.signature, &r.body, &secret, now(), 300).unwrap();
    }
    let types: Vec<String> = receiver
        .events()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    for t in [
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ] {
        assert!(types.contains(&t.to_owned()), "{t} in {types:?}");
    }
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    let dir = std::env::temp_dir().join(format!("stripe-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let (customer, intent, secret) = {
        let f = file.clone();
        let emu = emulator_with(move |c| {
            c.state_file = Some(f);
            c.settle_after = Duration::from_secs(1);
        })
        .await;
        let api = Api::new(&emu, SK);
        let customer = api.customer("persist@example.com").await;
        let pi = api.intent("1000", "eur", Some(&customer)).await;
        let id = pi["id"].as_str().unwrap().to_owned();
        let r = api
            .post(
                &format!("/v1/payment_intents/{id}/confirm"),
                &[
                    ("payment_method", "pm_success_de"),
                    ("return_url", "https://x.test/"),
                ],
            )
            .await;
        assert_eq!(r.ok()["status"], "processing");
        let receiver_secret = api
            .post(
                "/v1/webhook_endpoints",
                &[
                    ("url", "http://127.0.0.1:9/none"),
                    ("enabled_events[]", "*"),
                ],
            )
            .await
            .ok()["secret"]
            .clone();
        emu.stop().await;
        (customer, id, receiver_secret)
    };
    let f = file.clone();
    let emu = emulator_with(move |c| c.state_file = Some(f)).await;
    let api = Api::new(&emu, SK);
    assert_eq!(
        api.get(&format!("/v1/customers/{customer}")).await.ok()["email"],
        "persist@example.com"
    );
    // The processing debit settles after the restart.
    api.wait_status(&intent, "succeeded").await;
    let endpoints = api.get("/v1/webhook_endpoints").await;
    assert_eq!(endpoints.ok()["data"].as_array().unwrap().len(), 1);
    assert!(secret.as_str().unwrap().starts_with("whsec_"));
    emu.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reset_forgets_objects_but_keeps_endpoints() {
    let emu = emulator().await;
    let api = Api::new(&emu, SK);
    api.customer("a@example.com").await;
    endpoint(&api, "http://127.0.0.1:9/none", &["*"]).await;
    assert_eq!(api.post("/_emulator/reset", &[]).await.status, 200);
    assert_eq!(
        api.get("/v1/customers").await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        api.get("/v1/events").await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        api.get("/v1/webhook_endpoints").await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.post("/_emulator/reset", &[("webhook_endpoints", "true")])
        .await
        .ok();
    assert_eq!(
        api.get("/v1/webhook_endpoints").await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
