//! Several shop instances started at the same moment on one new database all
//! come up: migrations and demo seeding run once, under a lock, never "table
//! already exists", "database is locked" or a unique-constraint failure.
//! Separate processes, as in a deployment (the server binary itself).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support;

/// `n` distinct free ports: held together while they are picked, so none
/// comes out twice.
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<_> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

#[test]
fn instances_started_together_on_a_new_database_all_come_up() {
    for round in 0..3 {
        let dir =
            std::env::temp_dir().join(format!("shop-instances-{}-{round}", std::process::id()));
        let url = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(support::durable_database_url(&dir));
        let ports = free_ports(4);
        let mut instances: Vec<_> = (0..4)
            .map(|i| {
                let port = ports[i];
                let child = Command::new(env!("CARGO_BIN_EXE_server"))
                    .env("DATABASE_URL", &url)
                    .env("SHOP_ADDR", format!("127.0.0.1:{port}"))
                    // Each embedded emulator on a port of its own choosing.
                    .env("STRIPE_EMULATOR_ADDR", "127.0.0.1:0")
                    // One emulator state each: this is about the shop's database.
                    .env(
                        "STRIPE_EMULATOR_STATE",
                        dir.join(format!("emulator-{i}.json")),
                    )
                    .env("SHOP_CATCH_UP_EVERY_SECS", "0")
                    .env("RUST_LOG", "error")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (port, child)
            })
            .collect();
        for (port, child) in &mut instances {
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    let mut err = String::new();
                    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err)
                        .unwrap();
                    panic!("round {round}: an instance stopped ({status}): {err}");
                }
                let up = std::net::TcpStream::connect(("127.0.0.1", *port)).is_ok_and(|mut s| {
                    use std::io::{Read, Write};
                    let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
                    let mut reply = String::new();
                    let _ = s.read_to_string(&mut reply);
                    reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200")
                });
                if up {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "round {round}: an instance never came up"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        for (_, child) in &mut instances {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
