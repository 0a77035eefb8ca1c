//! The order status streams (`/orders/{id}/events`) under abuse, on a real
//! socket: one session cannot hold more than a few, and a stream ends soon
//! after its session does.

use crate::support;

use std::time::{Duration, Instant};

use support::{customer, order_of, shop, Shop};

async fn session_of(shop: &Shop, email: &str) -> String {
    let who = customer(shop.state(), email).await;
    let token = shop::server::sessions::create(&shop.state().pool, who.id, 3600)
        .await
        .unwrap();
    token.as_str().to_owned()
}

async fn open_stream(shop: &Shop, order: i64, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/orders/{order}/events", shop.base))
        .header("Cookie", format!("shop_session={token}"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_holds_a_few_streams_and_a_thousand_more_are_refused_at_once() {
    let shop = shop().await;
    let (order, _) = order_of(shop.state(), "jordan@example.com").await;
    let token = session_of(&shop, "jordan@example.com").await;
    let mut open = Vec::new();
    for _ in 0..4 {
        let stream = open_stream(&shop, order, &token).await;
        assert_eq!(stream.status(), 200);
        open.push(stream);
    }
    let started = Instant::now();
    let mut refused = 0;
    for _ in 0..1000 {
        let extra = open_stream(&shop, order, &token).await;
        assert_eq!(extra.status(), 429);
        assert_eq!(extra.headers()["retry-after"], "5");
        refused += 1;
    }
    let took = started.elapsed();
    eprintln!("1,000 more streams from one session: {refused} refused in {took:?}");
    // Another customer's stream, and the shop's pages, are unaffected.
    let (aoifes, _) = order_of(shop.state(), "aoife@example.ie").await;
    let aoife = session_of(&shop, "aoife@example.ie").await;
    assert_eq!(open_stream(&shop, aoifes, &aoife).await.status(), 200);
    // A stream closed gives its place back.
    drop(open.pop());
    let mut reopened = None;
    for _ in 0..50 {
        let stream = open_stream(&shop, order, &token).await;
        if stream.status() == 200 {
            reopened = Some(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "the closed stream's place came back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_an_open_stream_within_seconds() {
    let shop = shop().await;
    let (order, _) = order_of(shop.state(), "jordan@example.com").await;
    let token = session_of(&shop, "jordan@example.com").await;
    let stream = open_stream(&shop, order, &token).await;
    assert_eq!(stream.status(), 200);
    let mut body = stream;
    let first = body.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("data: awaiting_payment"));
    shop::server::sessions::delete(&shop.state().pool, &token)
        .await
        .unwrap();
    let signed_out = Instant::now();
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        // Keep-alive comments may come first; the end is `None` (or an error).
        while let Ok(Some(_)) = body.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived its session by 5 s");
    eprintln!("stream ended {:?} after sign-out", signed_out.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stream_of_an_order_hears_it_paid_from_one_shared_watch() {
    let shop = shop().await;
    let (order, intent) = order_of(shop.state(), "jordan@example.com").await;
    let token = session_of(&shop, "jordan@example.com").await;
    let mut streams = Vec::new();
    for _ in 0..4 {
        let mut stream = open_stream(&shop, order, &token).await;
        let first = stream.chunk().await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first).contains("data: awaiting_payment"));
        streams.push(stream);
    }
    let _: serde_json::Value = shop
        .state()
        .stripe
        .post(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &shop::server::stripe::Form::new()
                .field("payment_method", "pm_card_visa")
                .field("return_url", "https://shop.test/r"),
            "confirm-shared-watch",
        )
        .await
        .unwrap();
    for mut stream in streams {
        let heard = tokio::time::timeout(Duration::from_secs(10), async {
            while let Ok(Some(chunk)) = stream.chunk().await {
                if String::from_utf8_lossy(&chunk).contains("data: paid") {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(heard, Ok(true), "a stream did not hear the payment");
    }
}
