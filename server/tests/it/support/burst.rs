//! A burst of payments against a standalone emulator (one Stripe account
//! that outlives the shop's processes), and what must hold once it is over.
//! Shared by the crash tests (`restart.rs`, `behind_a_proxy.rs`).

use std::time::Duration;

use stripe_emulator::Emulator;

/// Orders paid so far.
pub const PAID: &str = "SELECT COUNT(*) FROM orders WHERE status = 'paid'";
/// Messages waiting for the outbox, or claimed and not yet recorded.
pub const UNSENT: &str = "SELECT COUNT(*) FROM messages WHERE delivery IN ('pending', 'sending')";

/// An emulator of its own that retries webhooks quickly.
pub async fn standalone_emulator() -> Emulator {
    stripe_emulator::start(stripe_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        webhook_retry: stripe_emulator::RetryPolicy {
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(1),
            max_attempts: 100,
        },
        ..stripe_emulator::Config::default()
    })
    .await
    .unwrap()
}

/// Registers `url` for every event; returns the endpoint's signing secret.
pub async fn webhook_secret_for(emulator: &Emulator, url: &str) -> String {
    let endpoint: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/webhook_endpoints", emulator.base_url))
        .bearer_auth(&emulator.secret_key)
        .form(&[("url", url), ("enabled_events[]", "*")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    endpoint["secret"].as_str().unwrap().to_owned()
}

/// From now on, each event is delivered twice, out of order.
pub async fn duplicate_and_shuffle_webhooks(emulator: &Emulator) {
    let chaos = reqwest::Client::new()
        .post(format!("{}/_emulator/webhooks/chaos", emulator.base_url))
        .bearer_auth(&emulator.secret_key)
        .form(&[("duplicate", "true"), ("shuffle", "true")])
        .send()
        .await
        .unwrap();
    assert!(chaos.status().is_success());
}

/// Customers confirm their intents with a test card, one after another,
/// `pause` apart.
pub fn pay_one_after_another(
    emulator: &Emulator,
    intents: Vec<String>,
    pause: Duration,
) -> tokio::task::JoinHandle<()> {
    let http = reqwest::Client::new();
    let base = emulator.base_url.clone();
    let key = emulator.secret_key.clone();
    tokio::spawn(async move {
        for intent in intents {
            let res = http
                .post(format!("{base}/v1/payment_intents/{intent}/confirm"))
                .bearer_auth(&key)
                .form(&[
                    ("payment_method", "pm_card_visa"),
                    ("return_url", "https://shop.test/return"),
                ])
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            tokio::time::sleep(pause).await;
        }
    })
}

pub async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Every order paid, and no message left to send or half-sent.
pub async fn settled(pool: &sqlx::AnyPool, orders: usize) -> bool {
    count(pool, PAID).await == orders as i64 && count(pool, UNSENT).await == 0
}

/// What a settled burst must show: each order fulfilled once, confirmed
/// once, paid by exactly one applied event, and no message sent twice.
pub async fn assert_each_order_paid_once(pool: &sqlx::AnyPool, orders: usize) {
    let orders = orders as i64;
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM fulfilments").await,
        orders,
        "one fulfilment per order"
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM messages WHERE kind = 'order_confirmed'"
        )
        .await,
        orders,
        "one confirmation per order"
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM stripe_events WHERE type = 'payment_intent.succeeded' AND outcome = 'applied'"
        )
        .await,
        orders,
        "each order was paid by exactly one event"
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM messages WHERE attempts > 1").await,
        0,
        "no message was sent twice"
    );
    // Kept on the messages page (no SMTP here), or `interrupted` if a kill
    // fell between a claim and its record: never in between.
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM messages WHERE delivery NOT IN ('kept', 'interrupted')"
        )
        .await,
        0
    );
}
