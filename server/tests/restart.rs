//! Crash safety: the shop's server process is killed (SIGKILL) while a
//! standalone emulator is delivering a burst of webhook events to it, then
//! started again. Stripe redelivers what was not acknowledged; every order
//! must end paid, fulfilled once, with one confirmation message delivered.

mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::i18n::Locale;
use app::money::Currency;
use app::server::customers::{self, NewCustomer};
use app::server::db;
use server::{build_state, Config};
use support::{eventually, order_of};

const ORDERS: usize = 16;

struct Setup {
    emulator: stripe_emulator::Emulator,
    webhook_secret: String,
    database_url: String,
    addr: String,
}

impl Setup {
    fn vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SHOP_ADDR", self.addr.clone()),
            ("DATABASE_URL", self.database_url.clone()),
            ("STRIPE_SECRET_KEY", self.emulator.secret_key.clone()),
            (
                "STRIPE_PUBLISHABLE_KEY",
                self.emulator.publishable_key.clone(),
            ),
            ("STRIPE_WEBHOOK_SECRET", self.webhook_secret.clone()),
            ("STRIPE_API_BASE", self.emulator.base_url.clone()),
            ("STRIPE_JS_URL", format!("{}/v3/", self.emulator.base_url)),
            ("RUST_LOG", "warn".into()),
            // Prove Stripe's redelivery alone suffices (catching up from the
            // Events API is tested in webhooks.rs).
            ("SHOP_CATCH_UP_EVERY_SECS", "0".into()),
        ]
    }

    /// The shop's own binary, as a separate process that can be killed.
    fn spawn_server(&self) -> Child {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .envs(self.vars())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts")
    }

    async fn wait_healthy(&self) {
        let url = format!("http://{}/healthz", self.addr);
        let up = eventually(30, || {
            let url = url.clone();
            async move {
                reqwest::get(url)
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
        .await;
        assert!(up, "the server did not come up");
    }
}

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_a_burst_of_events_loses_no_order_and_fulfils_none_twice() {
    // A standalone emulator that outlives the shop and retries quickly.
    let emulator = stripe_emulator::start(stripe_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        webhook_retry: stripe_emulator::RetryPolicy {
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(1),
            max_attempts: 100,
        },
        ..stripe_emulator::Config::default()
    })
    .await
    .unwrap();
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let http = reqwest::Client::new();
    let endpoint: serde_json::Value = http
        .post(format!("{}/v1/webhook_endpoints", emulator.base_url))
        .bearer_auth(&emulator.secret_key)
        .form(&[
            ("url", format!("http://{addr}/webhooks/stripe")),
            ("enabled_events[]", "*".into()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let folder = std::env::temp_dir().join(format!("shop-restart-{}", std::process::id()));
    let setup = Setup {
        webhook_secret: endpoint["secret"].as_str().unwrap().to_owned(),
        database_url: support::durable_database_url(&folder).await,
        addr,
        emulator,
    };

    // Orders with their intents, prepared through the shop's own code on the
    // same database file, before the server process runs.
    let vars = setup.vars();
    let config = Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let started = build_state(&config).await.unwrap();
    let state = &started.state;
    let mut intents = Vec::new();
    for i in 0..ORDERS {
        let email = format!("burst{i}@example.com");
        customers::create(
            &state.pool,
            &NewCustomer {
                email: &email,
                name: "Burst",
                password: "burst-test",
                locale: Locale::En,
                currency: Currency::Usd,
                country: "US",
            },
        )
        .await
        .unwrap();
        intents.push(order_of(state, &email).await.1);
    }
    started.state.pool.close().await;

    let mut server = setup.spawn_server();
    setup.wait_healthy().await;
    let pool = db::connect(&config.database_url).await.unwrap();

    // Customers pay one after another; duplicates make the burst heavier.
    let chaos = http
        .post(format!(
            "{}/_emulator/webhooks/chaos",
            setup.emulator.base_url
        ))
        .bearer_auth(&setup.emulator.secret_key)
        .form(&[("duplicate", "true"), ("shuffle", "true")])
        .send()
        .await
        .unwrap();
    assert!(chaos.status().is_success());
    let payer = {
        let http = http.clone();
        let base = setup.emulator.base_url.clone();
        let key = setup.emulator.secret_key.clone();
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
                assert!(res.status().is_success());
                tokio::time::sleep(Duration::from_millis(60)).await;
            }
        })
    };

    // Kill the server once some, not all, orders are paid.
    let paid_sql = "SELECT COUNT(*) FROM orders WHERE status = 'paid'";
    let some_paid = eventually(30, || async { count(&pool, paid_sql).await >= 3 }).await;
    assert!(some_paid, "payments did not start arriving");
    server.kill().unwrap();
    server.wait().unwrap();
    let paid_at_kill = count(&pool, paid_sql).await;
    assert!(
        (paid_at_kill as usize) < ORDERS,
        "the kill came after the burst ({paid_at_kill} paid)"
    );
    eprintln!("killed with {paid_at_kill} of {ORDERS} orders paid");
    payer.await.unwrap();

    // Started again, the shop receives what Stripe redelivers.
    let mut server = setup.spawn_server();
    setup.wait_healthy().await;
    let all_paid = eventually(60, || async {
        count(&pool, paid_sql).await == ORDERS as i64
            && count(
                &pool,
                // Not even one claimed and still sending: the kill below
                // would leave it `sending`.
                "SELECT COUNT(*) FROM messages WHERE delivery IN ('pending', 'sending')",
            )
            .await
                == 0
    })
    .await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        all_paid,
        "{} of {ORDERS} orders paid after the restart",
        count(&pool, paid_sql).await
    );

    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM fulfilments").await,
        ORDERS as i64
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM messages WHERE kind = 'order_confirmed'"
        )
        .await,
        ORDERS as i64,
        "one confirmation per order"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM stripe_events WHERE type = 'payment_intent.succeeded' AND outcome = 'applied'"
        )
        .await,
        ORDERS as i64,
        "each order was paid by exactly one event"
    );
    // Every confirmation was delivered by the outbox of one run or the other
    // (`interrupted` only if the kill fell between a claim and its record).
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM messages WHERE delivery NOT IN ('kept', 'interrupted')"
        )
        .await,
        0
    );
    pool.close().await;
    setup.emulator.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}
