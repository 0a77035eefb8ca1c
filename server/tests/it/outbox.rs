//! The outbox: messages queued with the order change they report, then
//! delivered at most once, by SMTP (to a small SMTP server run by the test)
//! or kept for the messages page.

use crate::support;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use shop::orders::PaymentOutcome;
use shop::server::message_store;
use shop::server::order_store::apply_outcome;
use support::{order, order_of, shop_with, Shop};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Just enough of an SMTP server to receive lettre's mail. Each accepted
/// message is kept; `replies` can make the next ones fail with a code.
#[derive(Clone, Default)]
struct MailCatcher {
    received: Arc<Mutex<Vec<String>>>,
    replies: Arc<Mutex<VecDeque<&'static str>>>,
}

impl MailCatcher {
    async fn start() -> (Self, String) {
        let catcher = MailCatcher::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let served = catcher.clone();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                tokio::spawn(served.clone().session(socket));
            }
        });
        (catcher, url)
    }

    async fn session(self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 catcher ESMTP\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply = match verb.as_str() {
                "EHLO" | "HELO" => "250 catcher".to_owned(),
                "DATA" => {
                    write.write_all(b"354 go ahead\r\n").await.unwrap();
                    let mut message = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        message.push_str(&line);
                        message.push('\n');
                    }
                    match self.replies.lock().unwrap().pop_front() {
                        Some(code) => code.to_owned(),
                        None => {
                            self.received.lock().unwrap().push(message);
                            "250 queued".to_owned()
                        }
                    }
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => "250 ok".to_owned(),
            };
            write
                .write_all(format!("{reply}\r\n").as_bytes())
                .await
                .unwrap();
        }
    }

    fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}

async fn delivery(shop: &Shop, order: i64, kind: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT delivery FROM messages WHERE order_id = $1 AND kind = $2 ORDER BY id",
    )
    .bind(order)
    .bind(kind)
    .fetch_all(&shop.state().pool)
    .await
    .unwrap()
}

fn declined() -> PaymentOutcome {
    PaymentOutcome::Failed {
        message: "Your card was declined.".into(),
        reason: shop::orders::FailureReason::CardDeclined,
    }
}

#[tokio::test]
async fn with_smtp_each_message_is_emailed_once_in_the_customers_language() {
    let (catcher, url) = MailCatcher::start().await;
    let shop = shop_with(&[
        ("SMTP_URL", &url),
        ("SHOP_PUBLIC_URL", "https://shop.example"),
    ])
    .await;
    let state = shop.state();
    let (order, _) = order_of(state, "camille@example.fr").await;
    apply_outcome(&state.pool, order, &PaymentOutcome::Processing)
        .await
        .unwrap();
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    // The same news again (a webhook after the return page) queues nothing.
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    assert_eq!(shop.started.outbox.deliver_due().await.unwrap(), 2);
    assert_eq!(
        shop.started.outbox.deliver_due().await.unwrap(),
        0,
        "at most once"
    );
    let mails = catcher.received();
    assert!(
        mails[0].contains("To: \"Camille Martin\" <camille@example.fr>"),
        "{}",
        mails[0]
    );
    assert!(mails[0].contains("Subject: Commande"), "{}", mails[0]);
    assert!(mails[0].contains("Bonjour Camille Martin,"), "{}", mails[0]);
    assert!(
        mails[1].contains(&format!(
            "Message-ID: <message-2.order-{order}@rustic-roast.test>"
        )),
        "{}",
        mails[1]
    );
    assert!(
        mails[1].contains(&format!("\nhttps://shop.example/orders/{order}\n")),
        "{}",
        mails[1]
    );
    assert_eq!(delivery(&shop, order, "order_confirmed").await, ["sent"]);
    // The messages page shows what was said, and that it was e-mailed.
    let camille = support::customer(state, "camille@example.fr").await;
    let page = message_store::for_customer(&state.pool, camille.id)
        .await
        .unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].subject, format!("Commande n° {order} confirmée"));
    assert!(page.iter().all(|m| m.emailed));
}

#[tokio::test]
async fn a_temporary_smtp_failure_is_retried_and_a_permanent_one_is_not() {
    let (catcher, url) = MailCatcher::start().await;
    let shop = shop_with(&[("SMTP_URL", &url)]).await;
    let state = shop.state();
    let (first, _) = order(&shop).await;
    catcher
        .replies
        .lock()
        .unwrap()
        .extend(["451 try again later", "550 no such mailbox"]);
    apply_outcome(&state.pool, first, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    shop.started.outbox.deliver_due().await.unwrap();
    assert_eq!(delivery(&shop, first, "order_confirmed").await, ["pending"]);
    // Not due yet: the retry waits.
    assert_eq!(shop.started.outbox.deliver_due().await.unwrap(), 0);
    sqlx::query("UPDATE messages SET next_attempt_at = 0")
        .execute(&state.pool)
        .await
        .unwrap();
    shop.started.outbox.deliver_due().await.unwrap();
    assert_eq!(
        delivery(&shop, first, "order_confirmed").await,
        ["failed"],
        "a 5xx answer is final"
    );
    let (second, _) = order(&shop).await;
    apply_outcome(&state.pool, second, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    shop.started.outbox.deliver_due().await.unwrap();
    assert_eq!(delivery(&shop, second, "order_confirmed").await, ["sent"]);
    assert_eq!(catcher.received().len(), 1);
}

#[tokio::test]
async fn a_message_claimed_by_a_process_that_died_is_never_sent_twice() {
    let (catcher, url) = MailCatcher::start().await;
    let shop = shop_with(&[("SMTP_URL", &url)]).await;
    let state = shop.state();
    let (order, _) = order(&shop).await;
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    // As a crash between the claim and the SMTP answer leaves it.
    sqlx::query("UPDATE messages SET delivery = 'sending' WHERE order_id = $1")
        .bind(order)
        .execute(&state.pool)
        .await
        .unwrap();
    settled_as_interrupted(&shop, order, &catcher).await;
}

#[tokio::test]
async fn without_smtp_messages_are_kept_for_the_messages_page() {
    let shop = shop_with(&[("SHOP_FAILURE_NOTICE_DELAY_SECS", "0")]).await;
    let state = shop.state();
    let (order, _) = order(&shop).await;
    apply_outcome(&state.pool, order, &declined())
        .await
        .unwrap();
    // A second decline while already failed: the reason changes, no new notice.
    apply_outcome(&state.pool, order, &declined())
        .await
        .unwrap();
    assert_eq!(shop.started.outbox.deliver_due().await.unwrap(), 1);
    assert_eq!(delivery(&shop, order, "payment_failed").await, ["kept"]);
    let jordan = support::customer(state, "jordan@example.com").await;
    let page = message_store::for_customer(&state.pool, jordan.id)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(
        page[0].subject,
        format!("Payment for order #{order} failed")
    );
    assert!(page[0].body.contains("Your card was declined."));
    assert_eq!(page[0].link, "/checkout");
    assert!(!page[0].emailed);
}

#[tokio::test]
async fn a_failure_notice_waits_and_is_dropped_once_the_order_is_paid() {
    let shop = shop_with(&[("SHOP_FAILURE_NOTICE_DELAY_SECS", "60")]).await;
    let state = shop.state();
    let (order, _) = order(&shop).await;
    apply_outcome(&state.pool, order, &declined())
        .await
        .unwrap();
    assert_eq!(
        shop.started.outbox.deliver_due().await.unwrap(),
        0,
        "held for the delay"
    );
    // The shopper pays with another card at once.
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    sqlx::query("UPDATE messages SET created_at = created_at - 61")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(shop.started.outbox.deliver_due().await.unwrap(), 1);
    assert_eq!(
        delivery(&shop, order, "payment_failed").await,
        ["superseded"]
    );
    assert_eq!(delivery(&shop, order, "order_confirmed").await, ["kept"]);
    let jordan = support::customer(state, "jordan@example.com").await;
    let page = message_store::for_customer(&state.pool, jordan.id)
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|m| m.kind.code()).collect::<Vec<_>>(),
        ["order_confirmed"]
    );
}

#[tokio::test]
async fn the_worker_delivers_in_the_background_and_stops_between_messages() {
    let shop = shop_with(&[]).await;
    let state = shop.state();
    let worker = shop.started.outbox.clone().spawn();
    let (order, _) = order(&shop).await;
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    let kept = support::eventually(5, || async {
        delivery(&shop, order, "order_confirmed").await == ["kept"]
    })
    .await;
    assert!(kept, "the worker did not deliver");
    worker.shutdown().await;
    let sending: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE delivery = 'sending'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(sending, 0);
}

#[tokio::test]
async fn a_message_another_live_instance_is_sending_is_left_to_it() {
    let (catcher, url) = MailCatcher::start().await;
    let shop = shop_with(&[("SMTP_URL", &url)]).await;
    let state = shop.state();
    let (order, _) = order(&shop).await;
    apply_outcome(&state.pool, order, &PaymentOutcome::Succeeded)
        .await
        .unwrap();
    // Another instance claimed it and is alive (its lease runs).
    sqlx::query(
        "UPDATE messages SET delivery = 'sending', claimed_by = 'other@host' WHERE order_id = $1",
    )
    .bind(order)
    .execute(&state.pool)
    .await
    .unwrap();
    let now = shop::server::now();
    assert!(
        shop::server::leases::take(&state.pool, "outbox:other@host", "other@host", 60, now)
            .await
            .unwrap()
    );
    assert_eq!(shop.started.outbox.recover().await.unwrap(), 0);
    assert_eq!(delivery(&shop, order, "order_confirmed").await, ["sending"]);
    // It died: its lease lapses, and the claim is settled, never resent.
    sqlx::query("UPDATE leases SET expires_at = $1 WHERE name = 'outbox:other@host'")
        .bind(now - 1)
        .execute(&state.pool)
        .await
        .unwrap();
    settled_as_interrupted(&shop, order, &catcher).await;
}

/// Recovery settles the order's confirmation, left `sending`, as
/// `interrupted`: it is not delivered again, and nothing reaches the mailbox.
async fn settled_as_interrupted(shop: &Shop, order: i64, catcher: &MailCatcher) {
    assert_eq!(shop.started.outbox.recover().await.unwrap(), 1);
    assert_eq!(shop.started.outbox.deliver_due().await.unwrap(), 0);
    assert_eq!(
        delivery(shop, order, "order_confirmed").await,
        ["interrupted"]
    );
    assert!(catcher.received().is_empty());
}
