//! The listener's limits, through a real socket: sockets that send nothing,
//! trickle their headers or their body, and a thousand of them from one
//! client, cannot stop the shop answering others (README, "Security").

use crate::support;

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use support::{customer, shop_with, Shop};

/// Limits small enough for a test to reach in seconds.
async fn shop() -> Shop {
    shop_with(&[
        ("SHOP_MAX_CONNECTIONS", "400"),
        ("SHOP_MAX_CONNECTIONS_PER_CLIENT", "40"),
        ("SHOP_HEADER_TIMEOUT_SECS", "2"),
        ("SHOP_BODY_TIMEOUT_SECS", "2"),
    ])
    .await
}

fn server_addr(shop: &Shop) -> SocketAddr {
    shop.base.trim_start_matches("http://").parse().unwrap()
}

/// A connection from `from` (any 127.x.y.z address reaches loopback on Linux).
async fn connect_from(from: IpAddr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(to).await
}

/// When the server closed `stream` (read to end of file), counted from
/// `since`, or `None` if it is still open at `since + within`.
async fn closed_at(mut stream: TcpStream, since: Instant, within: Duration) -> Option<Duration> {
    let mut buffer = [0_u8; 1024];
    loop {
        match tokio::time::timeout_at((since + within).into(), stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(since.elapsed()),
            Ok(Ok(_)) => continue, // an answer (or an error response) before the close
        }
    }
}

/// `/healthz` from 127.0.0.1, and how long it took.
async fn health(shop: &Shop) -> Duration {
    let started = Instant::now();
    let answer = reqwest::Client::new()
        .get(format!("{}/healthz", shop.base))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .expect("/healthz answers");
    assert!(answer.status().is_success());
    started.elapsed()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_trickling_and_slow_body_connections_are_closed_within_their_timeouts() {
    let shop = shop().await;
    let to = server_addr(&shop);
    let from: IpAddr = "127.0.0.3".parse().unwrap();
    let since = Instant::now();
    let within = Duration::from_secs(6);
    // Sends nothing at all.
    let silent = connect_from(from, to).await.unwrap();
    // Trickles a request head, a byte every 300 ms (it would take 14 s).
    let trickle = connect_from(from, to).await.unwrap();
    let (mut trickle_read, mut trickle_write) = trickle.into_split();
    tokio::spawn(async move {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: shop\r\nX-Slow: yes\r\n\r\n".iter() {
            if trickle_write.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    // A whole head, then a body that never comes in full (to the webhook,
    // which reads all of it before checking its signature).
    let mut slow_body = connect_from(from, to).await.unwrap();
    slow_body
        .write_all(b"POST /webhooks/stripe HTTP/1.1\r\nHost: shop\r\nStripe-Signature: t=1,v1=00\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
        .await
        .unwrap();
    // A whole request, answered, then idle: closed as idle.
    let mut idle = connect_from(from, to).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\n\r\n")
        .await
        .unwrap();
    let trickle_closed = async move {
        let mut buffer = [0_u8; 64];
        loop {
            match tokio::time::timeout_at((since + within).into(), trickle_read.read(&mut buffer))
                .await
            {
                Err(_) => return None,
                Ok(Ok(0)) | Ok(Err(_)) => return Some(since.elapsed()),
                Ok(Ok(_)) => continue,
            }
        }
    };
    let (silent, trickle, slow_body, idle) = tokio::join!(
        closed_at(silent, since, within),
        trickle_closed,
        closed_at(slow_body, since, within),
        closed_at(idle, since, within),
    );
    for (what, closed, limit) in [
        ("sends nothing", silent, 2),
        ("trickles its head", trickle, 2),
        ("trickles its body", slow_body, 2),
        ("idles after a request", idle, 2),
    ] {
        let closed = closed
            .unwrap_or_else(|| panic!("a connection that {what} is still open after {within:?}"));
        assert!(
            closed >= Duration::from_secs(limit) - Duration::from_millis(100)
                && closed < Duration::from_secs(limit) + Duration::from_millis(1500),
            "{what}: closed after {closed:?} (its timeout: {limit} s)"
        );
        eprintln!("a connection that {what}: closed after {closed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_sockets_from_one_client_do_not_stop_others() {
    // The test holds 1,100 sockets itself, and the server's side of 40.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let shop = shop().await;
    let to = server_addr(&shop);
    let quiet = health(&shop).await;
    let rss_before = rss_kib();
    let attacker: IpAddr = "127.0.0.2".parse().unwrap();
    let mut held = Vec::new();
    for _ in 0..1100 {
        // Beyond its 40, the server closes them as it accepts them.
        if let Ok(stream) = connect_from(attacker, to).await {
            held.push(stream);
        }
    }
    // The server has accepted (and closed) what it would not keep.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut still_open = 0;
    for stream in &held {
        let mut byte = [0_u8; 1];
        match stream.try_read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => still_open += 1,
            _ => {}
        }
    }
    assert!(
        still_open <= 40,
        "{still_open} idle connections kept from one client"
    );
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        slowest = slowest.max(health(&shop).await);
    }
    assert!(
        slowest < Duration::from_millis(200),
        "/healthz took {slowest:?} under attack"
    );
    // A signed-in customer's pages still load.
    let jordan = customer(shop.state(), "jordan@example.com").await;
    let token = shop::server::sessions::create(&shop.state().pool, jordan.id, 3600)
        .await
        .unwrap();
    let page = reqwest::Client::new()
        .get(format!("{}/checkout", shop.base))
        .header("Cookie", format!("shop_session={}", token.as_str()))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    eprintln!(
        "1,100 idle sockets from one client: {still_open} kept open; /healthz {quiet:?} before, at most {slowest:?} during; RSS {} KiB → {} KiB",
        rss_before,
        rss_kib()
    );
}

/// The server binary with at most `files` open files (soft and hard, as a
/// service manager would set them), serving on a free port.
struct Child {
    process: std::process::Child,
    base: String,
    folder: std::path::PathBuf,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

async fn server_with_file_limit(files: u32) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let folder = std::env::temp_dir().join(format!("shop-file-limit-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let process = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\""))
        .arg(env!("CARGO_BIN_EXE_server"))
        .env("SHOP_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/shop.db", folder.display()),
        )
        .env("STRIPE_EMULATOR_ADDR", "127.0.0.1:0")
        .env("SHOP_CATCH_UP_EVERY_SECS", "0")
        .env("RUST_LOG", "warn")
        .stderr(std::fs::File::create(folder.join("server.log")).unwrap())
        .spawn()
        .unwrap();
    let child = Child {
        process,
        base: format!("http://127.0.0.1:{port}"),
        folder,
    };
    for _ in 0..300 {
        if reqwest::get(format!("{}/healthz", child.base))
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_file_limit_of_256_a_thousand_idle_sockets_run_no_file_out() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let child = server_with_file_limit(256).await;
    let to: SocketAddr = child.base.trim_start_matches("http://").parse().unwrap();
    let attacker: IpAddr = "127.0.0.4".parse().unwrap();
    let mut held = Vec::new();
    for _ in 0..1100 {
        if let Ok(stream) = connect_from(attacker, to).await {
            held.push(stream);
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let http = reqwest::Client::new();
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let asked = Instant::now();
        let reply = http
            .get(format!("{}/healthz", child.base))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .expect("/healthz answers while the sockets are held");
        assert!(reply.status().is_success());
        slowest = slowest.max(asked.elapsed());
    }
    assert!(
        slowest < Duration::from_millis(200),
        "/healthz took {slowest:?}"
    );
    let log = std::fs::read_to_string(child.folder.join("server.log")).unwrap();
    assert!(!log.contains("Too many open files"), "{log}");
    eprintln!(
        "file limit 256, 1,100 idle sockets from one address: /healthz at most {slowest:?}, no file ran out"
    );
    drop(held);
}
