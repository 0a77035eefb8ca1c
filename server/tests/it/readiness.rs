//! Readiness during a database outage, on PostgreSQL with two instances:
//! `/readyz` says 503 within a second while the database cannot be
//! reached, and 200 again within seconds of its return; requests that need
//! it fail fast with 503 meanwhile. The outage is made by cutting a TCP
//! relay between the instances and the test command's PostgreSQL, so the
//! cluster itself (shared with the other tests) keeps running.

use crate::support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use support::{customer, shop_with, Shop};

/// A TCP relay to `target` on a fixed local port that can be cut (its
/// listener closed and every relayed connection dropped) and restored.
struct Relay {
    addr: SocketAddr,
    on: watch::Sender<bool>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (on, _) = watch::channel(true);
        let mut state = on.subscribe();
        tokio::spawn(async move {
            let mut listener = Some(listener);
            loop {
                if !*state.borrow_and_update() {
                    // Cut: no listener, until restored on the same port.
                    listener = None;
                    if state.changed().await.is_err() {
                        return;
                    }
                    continue;
                }
                let bound = match listener.take() {
                    Some(l) => l,
                    None => TcpListener::bind(addr).await.unwrap(),
                };
                tokio::select! {
                    accepted = bound.accept() => {
                        if let Ok((client, _)) = accepted {
                            tokio::spawn(relay(client, target, state.clone()));
                        }
                        listener = Some(bound);
                    }
                    changed = state.changed() => {
                        if changed.is_err() { return; }
                        listener = Some(bound);
                    }
                }
            }
        });
        Relay { addr, on }
    }

    fn cut(&self) {
        self.on.send_replace(false);
    }

    fn restore(&self) {
        self.on.send_replace(true);
    }
}

/// Copies both ways until either side closes or the relay is cut.
async fn relay(mut client: TcpStream, target: SocketAddr, mut state: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = state.wait_for(|on| !*on) => {}
    }
}

async fn status(http: &reqwest::Client, url: &str) -> Option<u16> {
    http.get(url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_database_outage_readyz_says_503_within_a_second_and_200_soon_after() {
    let Ok(base) = std::env::var("SHOP_TEST_DATABASE_URL") else {
        eprintln!("runs on the PostgreSQL pass of the test command (SHOP_TEST_DATABASE_URL)");
        return;
    };
    // The test's own schema, reached through the relay.
    let url = shop::server::db::test_database_url().await.unwrap();
    // postgres://user@host:port/database
    let authority = base
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(|a| a.rsplit('@').next().unwrap_or(a))
        .unwrap();
    let target: SocketAddr = authority
        .parse()
        .expect("SHOP_TEST_DATABASE_URL names ip:port");
    let relay = Relay::start(target).await;
    let relayed = url.replacen(&target.to_string(), &relay.addr.to_string(), 1);
    assert_ne!(relayed, url, "the URL names {target}");
    let instances: Vec<Shop> = vec![
        shop_with(&[("DATABASE_URL", &relayed)]).await,
        shop_with(&[("DATABASE_URL", &relayed)]).await,
    ];
    let http = reqwest::Client::new();
    for shop in &instances {
        assert_eq!(
            status(&http, &format!("{}/readyz", shop.base)).await,
            Some(200)
        );
    }
    let jordan = customer(instances[0].state(), "jordan@example.com").await;
    let token = shop::server::sessions::create(&instances[0].state().pool, jordan.id, 3600)
        .await
        .unwrap();

    relay.cut();
    for shop in &instances {
        let asked = Instant::now();
        let answer = status(&http, &format!("{}/readyz", shop.base)).await;
        let took = asked.elapsed();
        assert_eq!(answer, Some(503), "{}", shop.base);
        assert!(
            took < Duration::from_secs(1),
            "/readyz took {took:?} during the outage"
        );
        eprintln!("/readyz during the outage: 503 in {took:?}");
    }
    // A request that needs the database: a clear 503, not a hang.
    let asked = Instant::now();
    let orders = http
        .post(format!("{}/api/orders", instances[1].base))
        .header("Cookie", format!("shop_session={}", token.as_str()))
        .header("Origin", &instances[1].base)
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap();
    let took = asked.elapsed();
    assert_eq!(orders.status(), 503);
    assert!(
        took < Duration::from_secs(5),
        "a page's data took {took:?} to fail"
    );
    eprintln!("a server function during the outage: 503 in {took:?}");

    relay.restore();
    let restored = Instant::now();
    for shop in &instances {
        loop {
            if status(&http, &format!("{}/readyz", shop.base)).await == Some(200) {
                break;
            }
            assert!(
                restored.elapsed() < Duration::from_secs(5),
                "{} not ready 5 s after the database came back",
                shop.base
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    eprintln!(
        "both ready again {:?} after the database came back",
        restored.elapsed()
    );
}
