//! `POST /webhooks/stripe` over HTTP: signatures, exactly-once processing in
//! any order, and a payment delivered by the embedded emulator on its own.

use crate::support;

use shop::orders::OrderStatus;
use shop::server::now;
use stripe_emulator::signature_header;
use support::{eventually, fulfilments, messages, order, shop, Shop};

fn event(id: &str, kind: &str, intent: &str) -> String {
    event_in("2026-10-28.endive", id, kind, intent)
}

fn event_in(api_version: &str, id: &str, kind: &str, intent: &str) -> String {
    serde_json::json!({
        "id": id,
        "object": "event",
        "type": kind,
        "api_version": api_version,
        "data": { "object": {
            "id": intent,
            "object": "payment_intent",
            "amount": 1250,
            "currency": "eur",
            // The intent as Stripe renders it with each kind.
            "status": match kind {
                "payment_intent.succeeded" => "succeeded",
                "payment_intent.processing" => "processing",
                "payment_intent.canceled" => "canceled",
                _ => "requires_payment_method",
            },
            "last_payment_error": if kind.ends_with("payment_failed") { serde_json::json!({ "type": "card_error", "code": "card_declined", "message": "Your card was declined." }) } else { serde_json::Value::Null },
        } },
    })
    .to_string()
}

async fn post(shop: &Shop, body: &str, signature: Option<String>) -> u16 {
    let mut req = reqwest::Client::new()
        .post(format!("{}/webhooks/stripe", shop.base))
        .body(body.to_owned());
    if let Some(sig) = signature {
        req = req.header("stripe-signature", sig);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn signed(shop: &Shop, body: &str) -> u16 {
    post(
        shop,
        body,
        Some(signature_header(
            shop.started.state.webhook_secret.expose(),
            now(),
            body,
        )),
    )
    .await
}

async fn status(shop: &Shop, order: i64) -> OrderStatus {
    support::status(shop.state(), order).await
}

/// Events this test posted (the emulator delivers its own too).
async fn recorded(shop: &Shop) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM stripe_events WHERE substr(id, 1, 6) = 'evt_t_'")
        .fetch_one(&shop.started.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_order_of_events_and_duplicates_ends_paid_once() {
    let orders = [
        ["processing", "succeeded", "payment_failed"],
        ["succeeded", "processing", "payment_failed"],
        ["payment_failed", "processing", "succeeded"],
        ["payment_failed", "succeeded", "processing"],
        ["processing", "payment_failed", "succeeded"],
        ["succeeded", "payment_failed", "processing"],
    ];
    let shop = shop().await;
    for (n, sequence) in orders.iter().enumerate() {
        let (order, intent) = order(&shop).await;
        for (i, kind) in sequence.iter().enumerate() {
            let body = event(
                &format!("evt_t_{n}_{i}"),
                &format!("payment_intent.{kind}"),
                &intent,
            );
            // Each event arrives twice.
            assert_eq!(signed(&shop, &body).await, 200);
            assert_eq!(signed(&shop, &body).await, 200);
        }
        assert_eq!(
            status(&shop, order).await,
            OrderStatus::Paid,
            "{sequence:?}"
        );
        // Paid exactly once: one event recorded as having made it paid.
        let paid: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM stripe_events WHERE order_id = $1 AND type = 'payment_intent.succeeded' AND outcome = 'applied'",
        )
        .bind(order)
        .fetch_one(&shop.started.state.pool)
        .await
        .unwrap();
        assert_eq!(paid, 1, "{sequence:?}");
        let state = shop.state();
        assert_eq!(fulfilments(state, order).await, 1, "{sequence:?}");
        assert_eq!(
            messages(state, order, "order_confirmed").await,
            1,
            "{sequence:?}"
        );
        // News that arrives after the payment tells the shopper nothing more.
        let before_paid = &sequence[..sequence.iter().position(|k| *k == "succeeded").unwrap()];
        for (kind, message) in [
            ("processing", "payment_pending"),
            ("payment_failed", "payment_failed"),
        ] {
            assert_eq!(
                messages(state, order, message).await,
                i64::from(before_paid.contains(&kind)),
                "{message} for {sequence:?}"
            );
        }
    }
    assert_eq!(
        recorded(&shop).await,
        18,
        "duplicates are not recorded twice"
    );
}

#[tokio::test]
async fn forged_stale_and_malformed_requests_change_nothing() {
    let shop = shop().await;
    let (order, intent) = order(&shop).await;
    let body = event("evt_t_forged", "payment_intent.succeeded", &intent);
    let secret = shop.started.state.webhook_secret.expose().to_owned();
    assert_eq!(post(&shop, &body, None).await, 400, "no signature");
    assert_eq!(
        post(
            &shop,
            &body,
            Some(signature_header("whsec_attacker", now(), &body))
        )
        .await,
        400,
        "forged"
    );
    assert_eq!(
        post(
            &shop,
            &body,
            Some(signature_header(&secret, now() - 301, &body))
        )
        .await,
        400,
        "stale"
    );
    assert_eq!(
        post(&shop, &body, Some("t=1,v1=nothex".into())).await,
        400,
        "malformed header"
    );
    let tampered = body.replace("evt_t_forged", "evt_t_other");
    assert_eq!(
        post(
            &shop,
            &tampered,
            Some(signature_header(&secret, now(), &body))
        )
        .await,
        400,
        "altered body"
    );
    assert_eq!(
        signed(&shop, "{not json").await,
        400,
        "malformed JSON, correctly signed"
    );
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    assert_eq!(signed(&shop, &huge).await, 413, "oversized");
    assert_eq!(status(&shop, order).await, OrderStatus::AwaitingPayment);
    assert_eq!(recorded(&shop).await, 0);
}

#[tokio::test]
async fn events_that_are_not_about_our_orders_are_acknowledged_and_ignored() {
    let shop = shop().await;
    assert_eq!(
        signed(
            &shop,
            &event(
                "evt_t_foreign",
                "payment_intent.succeeded",
                "pi_someone_else"
            )
        )
        .await,
        200
    );
    assert_eq!(
        signed(&shop, &event("evt_t_type", "customer.created", "cus_x")).await,
        200
    );
    let outcomes: Vec<String> = sqlx::query_scalar(
        "SELECT outcome FROM stripe_events WHERE id IN ('evt_t_foreign', 'evt_t_type')",
    )
    .fetch_all(&shop.started.state.pool)
    .await
    .unwrap();
    assert_eq!(outcomes, ["ignored", "ignored"]);
}

#[tokio::test]
async fn the_emulator_delivers_and_the_order_is_paid_without_the_browser() {
    let shop = shop().await;
    let (order, intent) = order(&shop).await;
    let stripe = &shop.started.state.stripe;
    let _: serde_json::Value = stripe
        .post(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &shop::server::stripe::Form::new()
                .field("payment_method", "pm_card_visa")
                .field("return_url", "https://shop.test/r"),
            "confirm-by-webhook",
        )
        .await
        .unwrap();
    // Nobody visits the return page: the webhook alone pays the order.
    let shop = &shop;
    assert!(
        eventually(5, || async {
            status(shop, order).await == OrderStatus::Paid
        })
        .await,
        "the order was not paid by the webhook"
    );
    assert_eq!(fulfilments(shop.state(), order).await, 1);
    assert_eq!(messages(shop.state(), order, "order_confirmed").await, 1);
}

#[tokio::test]
async fn events_in_an_api_version_the_shop_does_not_know_are_acknowledged_and_left_alone() {
    let shop = shop().await;
    let (order, intent) = order(&shop).await;
    let body = event_in(
        "2027-03-31.fig",
        "evt_t_future",
        "payment_intent.succeeded",
        &intent,
    );
    assert_eq!(signed(&shop, &body).await, 200, "acknowledged");
    assert_eq!(status(&shop, order).await, OrderStatus::AwaitingPayment);
    let outcome: String =
        sqlx::query_scalar("SELECT outcome FROM stripe_events WHERE id = 'evt_t_future'")
            .fetch_one(&shop.state().pool)
            .await
            .unwrap();
    assert_eq!(outcome, "ignored");
    assert_eq!(messages(shop.state(), order, "order_confirmed").await, 0);
    // Its objects may not have the shapes this shop reads: one that does
    // not parse is acknowledged too (Stripe would resend it for days),
    // while the same in a version the shop knows is a malformed request.
    let reshaped = |version: &str, id: &str| {
        let mut event: serde_json::Value =
            serde_json::from_str(&event_in(version, id, "payment_intent.succeeded", &intent))
                .unwrap();
        event["data"]["object"]
            .as_object_mut()
            .unwrap()
            .remove("amount");
        event.to_string()
    };
    assert_eq!(
        signed(&shop, &reshaped("2027-03-31.fig", "evt_t_future_shape")).await,
        200
    );
    assert_eq!(
        signed(&shop, &reshaped("2026-10-28.endive", "evt_t_bad_shape")).await,
        400
    );
    assert_eq!(status(&shop, order).await, OrderStatus::AwaitingPayment);
}

#[tokio::test]
async fn a_live_mode_event_never_moves_a_test_mode_order() {
    let shop = shop().await;
    let (order, intent) = order(&shop).await;
    let mut live: serde_json::Value =
        serde_json::from_str(&event("evt_t_live", "payment_intent.succeeded", &intent)).unwrap();
    live["livemode"] = true.into();
    let body = live.to_string();
    let reply = reqwest::Client::new()
        .post(format!("{}/webhooks/stripe", shop.base))
        .header(
            "stripe-signature",
            signature_header(shop.started.state.webhook_secret.expose(), now(), &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 200, "acknowledged");
    assert_eq!(reply.text().await.unwrap(), "Ignored");
    assert_eq!(status(&shop, order).await, OrderStatus::AwaitingPayment);
    assert_eq!(fulfilments(shop.state(), order).await, 0);
    // The same event in test mode is applied.
    assert_eq!(
        signed(
            &shop,
            &event("evt_t_test", "payment_intent.succeeded", &intent)
        )
        .await,
        200
    );
    assert_eq!(status(&shop, order).await, OrderStatus::Paid);
}

#[tokio::test]
async fn events_whose_delivery_failed_are_caught_up_from_the_events_api_once() {
    use server::catch_up;
    use shop::server::stripe::{Form, List, WebhookEndpoint};
    let shop = shop().await;
    let state = shop.state();
    let stripe = &state.stripe;
    // The endpoint now points nowhere: every delivery fails.
    let endpoints: List<WebhookEndpoint> = stripe
        .get("/v1/webhook_endpoints", &Form::new())
        .await
        .unwrap();
    for endpoint in &endpoints.data {
        let _: serde_json::Value = stripe
            .post(
                &format!("/v1/webhook_endpoints/{}", endpoint.id),
                &Form::new().field("url", "http://127.0.0.1:9/webhooks/stripe"),
                &format!("break-{}", endpoint.id),
            )
            .await
            .unwrap();
    }
    let (order, intent) = order(&shop).await;
    let _: serde_json::Value = stripe
        .post(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &Form::new()
                .field("payment_method", "pm_card_visa")
                .field("return_url", "https://shop.test/r"),
            "confirm-undelivered",
        )
        .await
        .unwrap();
    assert_eq!(status(&shop, order).await, OrderStatus::AwaitingPayment);

    let caught = catch_up::run(stripe, &state.pool).await.unwrap();
    assert_eq!(caught.applied, 1, "{caught:?}");
    assert_eq!(status(&shop, order).await, OrderStatus::Paid);
    assert_eq!(fulfilments(state, order).await, 1);
    assert_eq!(messages(state, order, "order_confirmed").await, 1);
    // Still undelivered, so listed again: recorded already, nothing more happens.
    let again = catch_up::run(stripe, &state.pool).await.unwrap();
    assert!(again.listed >= 1);
    assert_eq!(again.applied, 0);
    assert_eq!(messages(state, order, "order_confirmed").await, 1);
}
