//! Refunds of paid orders (made as `server orders refund` makes them, and
//! copied from Stripe's events, duplicated and shuffled), and unpaid orders
//! canceled by their customer.

use crate::support;

use serde_json::Value;
use shop::orders::OrderStatus;
use shop::server::cart_store;
use shop::server::order_store::{self, DownloadAccess};
use shop::server::refunds::{self, RefundError};
use shop::server::stripe::Form;
use support::{customer, eventually, ready, shop_with, Shop};

/// An order of `product` by `email`, paid with `payment_method`.
async fn paid_order(
    shop: &Shop,
    email: &str,
    product: &str,
    payment_method: &str,
) -> (i64, String) {
    let state = shop.state();
    let buyer = customer(state, email).await;
    cart_store::add(&state.pool, buyer.id, product, 1)
        .await
        .unwrap();
    let started = ready(state, &buyer).await;
    let (order, intent) = (started.order.id, started.order.payment_intent_id.unwrap());
    let _: Value = state
        .stripe
        .post(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &Form::new()
                .field("payment_method", payment_method)
                .field("return_url", "https://shop.test/r"),
            &format!("confirm-{intent}"),
        )
        .await
        .unwrap();
    assert!(
        eventually(10, || async {
            support::status(state, order).await == OrderStatus::Paid
        })
        .await
    );
    (order, intent)
}

async fn chaos(shop: &Shop) {
    let key = shop
        .state()
        .stripe
        .settings()
        .secret_key
        .expose()
        .to_owned();
    reqwest::Client::new()
        .post(format!(
            "{}/_emulator/webhooks/chaos",
            shop.state().stripe.settings().api_base
        ))
        .bearer_auth(key)
        .form(&[("duplicate", "true"), ("shuffle", "true")])
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

async fn count(shop: &Shop, sql: &str, order: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(order)
        .fetch_one(&shop.state().pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_and_full_refunds_are_recorded_once_whatever_the_events_do() {
    let shop = shop_with(&[]).await;
    let (order, _) = paid_order(&shop, "jordan@example.com", "grinder", "pm_card_visa").await;
    chaos(&shop).await;
    let (stripe, pool) = (&shop.state().stripe, &shop.state().pool);
    let first = refunds::refund_order(
        stripe,
        pool,
        order,
        Some(1000),
        Some("requested_by_customer"),
    )
    .await
    .unwrap();
    assert_eq!((first.amount, first.status.as_str()), (1000, "succeeded"));
    // The rest, without an amount; then nothing is left.
    let rest = refunds::refund_order(stripe, pool, order, None, None)
        .await
        .unwrap();
    // $64.00 for the grinder and $6.99 to deliver it: all refundable.
    assert_eq!(rest.amount, 6400 + 699 - 1000);
    let too_much = refunds::refund_order(stripe, pool, order, Some(1), None).await;
    assert!(
        matches!(&too_much, Err(RefundError::TooMuch { left, .. }) if left == "$0.00"),
        "{too_much:?}"
    );
    // Every event twice, shuffled: each refund once, one message each.
    let shop = &shop;
    let settled = eventually(10, || async {
        count(
            shop,
            "SELECT COUNT(*) FROM stripe_events WHERE order_id = $1 AND type LIKE '%refund%'",
            order,
        )
        .await
            >= 4
    })
    .await;
    assert!(settled);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        count(
            shop,
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = $1",
            order
        )
        .await,
        2
    );
    assert_eq!(
        count(
            shop,
            "SELECT COUNT(*) FROM messages WHERE order_id = $1 AND kind = 'refund_issued'",
            order
        )
        .await,
        2
    );
    let found = order_store::find_any(pool, order).await.unwrap().unwrap();
    assert_eq!(
        (found.status, found.refunded),
        (OrderStatus::Paid, 6400 + 699)
    );
    // Both made within a second: Stripe's `created` cannot order them.
    let mut listed: Vec<i64> = refunds::of_order(pool, order)
        .await
        .unwrap()
        .iter()
        .map(|r| r.amount)
        .collect();
    listed.sort();
    assert_eq!(listed, [1000, 6099]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_refund_withdraws_downloads_and_a_refund_that_fails_gives_them_back() {
    let shop = shop_with(&[]).await;
    let (order, _) = paid_order(
        &shop,
        "aoife@example.ie",
        "brewing-guide",
        "pm_card_refundFail",
    )
    .await;
    let (stripe, pool) = (&shop.state().stripe, &shop.state().pool);
    let aoife = customer(shop.state(), "aoife@example.ie").await;
    let access = || order_store::download_access(pool, aoife.id, order, "brewing-guide");
    assert_eq!(access().await.unwrap(), DownloadAccess::Granted);
    let refund = refunds::refund_order(stripe, pool, order, None, None)
        .await
        .unwrap();
    assert_eq!(refund.status, "succeeded");
    assert_eq!(
        access().await.unwrap(),
        DownloadAccess::Revoked,
        "refunded in full"
    );
    // The refund-failure card: the refund fails a moment later.
    let shop = &shop;
    let failed = eventually(15, || async {
        count(
            shop,
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = $1 AND status = 'failed'",
            order,
        )
        .await
            == 1
    })
    .await;
    assert!(failed, "the failed refund was not recorded");
    assert!(
        eventually(5, || async {
            access().await.unwrap() == DownloadAccess::Granted
        })
        .await
    );
    assert_eq!(
        order_store::find_any(pool, order)
            .await
            .unwrap()
            .unwrap()
            .refunded,
        0
    );
    assert_eq!(
        count(
            shop,
            "SELECT COUNT(*) FROM messages WHERE order_id = $1 AND kind = 'refund_failed'",
            order
        )
        .await,
        1
    );
    let failed_at: Option<i64> =
        sqlx::query_scalar("SELECT failed_at FROM order_refunds WHERE order_id = $1")
            .bind(order)
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(failed_at.is_some());
}

#[tokio::test]
async fn only_a_paid_order_can_be_refunded() {
    let shop = shop_with(&[]).await;
    let (order, _) = support::order(&shop).await;
    let (stripe, pool) = (&shop.state().stripe, &shop.state().pool);
    let refused = refunds::refund_order(stripe, pool, order, None, None).await;
    assert!(
        matches!(refused, Err(RefundError::NotPaid { .. })),
        "{refused:?}"
    );
    let unknown = refunds::refund_order(stripe, pool, 9999, None, None).await;
    assert!(
        matches!(unknown, Err(RefundError::NoSuchOrder(9999))),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn a_customer_cancels_an_unpaid_order_and_it_can_never_be_paid() {
    let shop = shop_with(&[]).await;
    let (order, intent) = support::order(&shop).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = |email: &'static str, password: &'static str| {
        let http = http.clone();
        let base = shop.base.clone();
        async move {
            let reply = http
                .post(format!("{base}/api/sign_in"))
                .header("accept", "text/html")
                .form(&[("email", email), ("password", password)])
                .send()
                .await
                .unwrap();
            reply
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
                .find(|c| c.starts_with("shop_session="))
                .unwrap()
        }
    };
    let cancel = |cookie: String| {
        let http = http.clone();
        let base = shop.base.clone();
        async move {
            http.post(format!("{base}/api/orders/cancel"))
                .header("cookie", cookie)
                .form(&[("order_id", order.to_string())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Someone else's order: refused, nothing changes.
    let aoife = sign_in("aoife@example.ie", "aoife-demo").await;
    assert_eq!(cancel(aoife).await, 400);
    assert_eq!(
        support::status(shop.state(), order).await,
        OrderStatus::AwaitingPayment
    );
    let jordan = sign_in("jordan@example.com", "jordan-demo").await;
    assert_eq!(cancel(jordan.clone()).await, 200);
    assert_eq!(
        support::status(shop.state(), order).await,
        OrderStatus::Canceled
    );
    let stripe = &shop.state().stripe;
    assert_eq!(
        stripe
            .retrieve_payment_intent(&intent)
            .await
            .unwrap()
            .status,
        shop::server::stripe::PaymentIntentStatus::Canceled
    );
    let paid = stripe
        .post::<Value>(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &Form::new().field("payment_method", "pm_card_visa"),
            "confirm-canceled",
        )
        .await;
    assert_eq!(
        paid.unwrap_err().status(),
        Some(400),
        "a canceled intent is never paid"
    );
    assert_eq!(cancel(jordan).await, 400, "canceled once");
}

/// `server orders refund` reaches the running shop's embedded emulator and
/// says what it did, or why not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refund_command_refunds_through_the_running_shop() {
    let folder = std::env::temp_dir().join(format!("shop-refund-{}", std::process::id()));
    let database = support::durable_database_url(&folder).await;
    if database.starts_with("postgres") {
        return; // the emulator's key file lives beside a SQLite database
    }
    let state_file = folder.join("stripe-emulator.json").display().to_string();
    let shop = shop_with(&[
        ("DATABASE_URL", &database),
        ("STRIPE_EMULATOR_STATE", &state_file),
    ])
    .await;
    let (order, _) = paid_order(&shop, "jordan@example.com", "mug", "pm_card_visa").await;
    let emulator = shop
        .state()
        .stripe
        .settings()
        .api_base
        .trim_start_matches("http://")
        .to_owned();
    let run = move |args: Vec<String>| {
        let (database, state_file, emulator) =
            (database.clone(), state_file.clone(), emulator.clone());
        async move {
            tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                    .args(["orders", "refund"])
                    .args(args)
                    .env("DATABASE_URL", database)
                    .env("STRIPE_EMULATOR_STATE", state_file)
                    .env("STRIPE_EMULATOR_ADDR", emulator)
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        }
    };
    let too_much = run(vec![order.to_string(), "--amount".into(), "100".into()]).await;
    assert_eq!(too_much.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&too_much.stderr);
    assert!(
        stderr.contains("at most $22.49 can be refunded ($22.49 paid, $0.00 refunded)"),
        "{stderr}"
    );
    let bad = run(vec![order.to_string(), "--amount".into(), "ten".into()]).await;
    assert_eq!(bad.status.code(), Some(2));
    let done = run(vec![
        order.to_string(),
        "--amount".into(),
        "5.50".into(),
        "--reason".into(),
        "requested_by_customer".into(),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        stdout.starts_with(&format!("order #{order}: refund re_")),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("of $5.50, succeeded"),
        "{stdout}"
    );
    assert_eq!(
        order_store::find_any(&shop.state().pool, order)
            .await
            .unwrap()
            .unwrap()
            .refunded,
        550
    );
    let _ = std::fs::remove_dir_all(&folder);
}
