//! Set-up shared by the server's integration tests: a shop served on a real
//! port (so the embedded emulator can deliver webhooks to it) and orders
//! with their PaymentIntents.

pub mod burst;

use server::{app, build_state, Config, Started};
use shop::orders::OrderStatus;
use shop::server::customers::{self, Customer};
use shop::server::{cart_store, checkout, AppState};

pub struct Shop {
    pub started: Started,
    pub base: String,
}

impl Shop {
    pub fn state(&self) -> &AppState {
        &self.started.state
    }
}

/// A shop with an in-memory database and its embedded emulator; `vars`
/// adds or overrides environment settings.
pub async fn shop_with(vars: &[(&str, &str)]) -> Shop {
    // Bind first, so the webhook endpoint registered with the emulator is this server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let database = test_database().await;
    let config = Config::from_lookup(|name| {
        if let Some((_, v)) = vars.iter().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        match name {
            // Every shopper of a test connects from 127.0.0.1, as through a
            // proxy: only tests/transport.rs sets its own limit.
            "SHOP_MAX_CONNECTIONS_PER_CLIENT" => Some("100000".into()),
            "DATABASE_URL" => Some(database.url.clone()),
            "STRIPE_EMULATOR_STATE" => database.emulator_state.clone(),
            "STRIPE_EMULATOR_ADDR" => Some("127.0.0.1:0".into()),
            "SHOP_ADDR" => Some(addr.clone()),
            _ => None,
        }
    })
    .unwrap();
    let started = build_state(&config).await.unwrap();
    // On the binary's own listener, with its limits and timeouts.
    let router = app(started.state.clone());
    let (limits, proxies) = (config.transport.clone(), config.trusted_proxies.clone());
    tokio::spawn(server::listener::serve(
        listener,
        router,
        limits,
        proxies,
        std::future::pending(),
    ));
    Shop {
        started,
        base: format!("http://{addr}"),
    }
}

/// A new, empty database for one test: in memory, or a schema of its own in
/// the PostgreSQL that `SHOP_TEST_DATABASE_URL` names (the test command runs
/// the tests once on each).
pub struct TestDatabase {
    pub url: String,
    /// With PostgreSQL, the embedded emulator's state file would default to
    /// data/: each test gets its own instead.
    pub emulator_state: Option<String>,
}

pub async fn test_database() -> TestDatabase {
    let url = shop::server::db::test_database_url().await.unwrap();
    let emulator_state = url.starts_with("postgres").then(|| {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::env::temp_dir()
            .join(format!(
                "shop-test-emulator-{}-{n}.json",
                std::process::id()
            ))
            .display()
            .to_string()
    });
    TestDatabase {
        url,
        emulator_state,
    }
}

/// A database that outlives a server process: a file in `folder` (created
/// empty), or a new schema in the tests' PostgreSQL.
pub async fn durable_database_url(folder: &std::path::Path) -> String {
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).unwrap();
    let url = shop::server::db::test_database_url().await.unwrap();
    if url.starts_with("postgres") {
        url
    } else {
        format!("sqlite://{}", folder.join("shop.db").display())
    }
}

pub async fn shop() -> Shop {
    shop_with(&[]).await
}

pub async fn customer(state: &AppState, email: &str) -> Customer {
    customers::find_by_email(&state.pool, email)
        .await
        .unwrap()
        .unwrap()
}

/// An address in `country` (with a state in the United States).
pub fn address_in(country: &str) -> shop::delivery::ShippingAddress {
    shop::delivery::ShippingAddress::example_in(country)
}

/// The customer's checkout, ready to pay: one without a saved address
/// gives one in their own country first.
pub async fn ready(state: &AppState, customer: &Customer) -> checkout::Started {
    for _ in 0..2 {
        match checkout::start(state, customer).await.unwrap() {
            checkout::Checkout::Ready(started) => return *started,
            checkout::Checkout::NeedsAddress(step) => {
                let address = address_in(&customer.country);
                checkout::set_address(state, customer, step.order.id, None, address, false)
                    .await
                    .unwrap();
            }
            checkout::Checkout::EmptyCart => panic!("the cart is not empty"),
        }
    }
    panic!("the checkout took no address")
}

/// An order of the customer's with its PaymentIntent, not yet paid.
pub async fn order_of(state: &AppState, email: &str) -> (i64, String) {
    let customer = customer(state, email).await;
    cart_store::add(&state.pool, customer.id, "mug", 1)
        .await
        .unwrap();
    let started = ready(state, &customer).await;
    (started.order.id, started.order.payment_intent_id.unwrap())
}

/// An order of Jordan's.
pub async fn order(shop: &Shop) -> (i64, String) {
    order_of(shop.state(), "jordan@example.com").await
}

pub async fn status(state: &AppState, order: i64) -> OrderStatus {
    let row: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    OrderStatus::from_code(&row).unwrap()
}

/// How many messages of `kind` were queued for the order, whatever became of them.
pub async fn messages(state: &AppState, order: i64, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE order_id = $1 AND kind = $2")
        .bind(order)
        .bind(kind)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

pub async fn fulfilments(state: &AppState, order: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM fulfilments WHERE order_id = $1")
        .bind(order)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

/// Polls `check` for up to `secs` seconds.
/// Whether `url` answers 2xx within `secs` (a process coming up).
pub async fn answers_within(secs: u64, url: &str) -> bool {
    eventually(secs, || async {
        reqwest::get(url)
            .await
            .is_ok_and(|r| r.status().is_success())
    })
    .await
}

pub async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..secs * 20 {
        if check().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}
