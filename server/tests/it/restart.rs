//! Crash safety: the shop's server process is killed (SIGKILL) while a
//! standalone emulator is delivering a burst of webhook events to it, then
//! started again. Stripe redelivers what was not acknowledged; every order
//! must end paid, fulfilled once, with one confirmation message delivered.

use crate::support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use server::{build_state, Config};
use shop::i18n::Locale;
use shop::money::Currency;
use shop::server::customers::{self, NewCustomer};
use shop::server::db;
use support::burst::{self, count, PAID};
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
        let up = support::answers_within(30, &url).await;
        assert!(up, "the server did not come up");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_a_burst_of_events_loses_no_order_and_fulfils_none_twice() {
    // A standalone emulator that outlives the shop and retries quickly.
    let emulator = burst::standalone_emulator().await;
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let webhook_secret =
        burst::webhook_secret_for(&emulator, &format!("http://{addr}/webhooks/stripe")).await;
    let folder = std::env::temp_dir().join(format!("shop-restart-{}", std::process::id()));
    let setup = Setup {
        webhook_secret,
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
                password: Some("burst-test"),
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
    burst::duplicate_and_shuffle_webhooks(&setup.emulator).await;
    let payer = burst::pay_one_after_another(&setup.emulator, intents, Duration::from_millis(60));

    // Kill the server once some, not all, orders are paid.
    let some_paid = eventually(30, || async { count(&pool, PAID).await >= 3 }).await;
    assert!(some_paid, "payments did not start arriving");
    server.kill().unwrap();
    server.wait().unwrap();
    let paid_at_kill = count(&pool, PAID).await;
    assert!(
        (paid_at_kill as usize) < ORDERS,
        "the kill came after the burst ({paid_at_kill} paid)"
    );
    eprintln!("killed with {paid_at_kill} of {ORDERS} orders paid");
    payer.await.unwrap();

    // Started again, the shop receives what Stripe redelivers.
    let mut server = setup.spawn_server();
    setup.wait_healthy().await;
    // Not even one message claimed and still sending: the kill below would
    // leave it `sending`.
    let all_paid = eventually(60, || burst::settled(&pool, ORDERS)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        all_paid,
        "{} of {ORDERS} orders paid after the restart",
        count(&pool, PAID).await
    );
    burst::assert_each_order_paid_once(&pool, ORDERS).await;
    pool.close().await;
    setup.emulator.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}
