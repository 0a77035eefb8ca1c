//! The `stripe-emulator` program: its help, and its log of deliveries.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{Receiver, SK};

#[test]
fn help_prints_the_usage_and_starts_nothing() {
    let dir = std::env::temp_dir().join(format!("emulator-help-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for flag in ["--help", "-h"] {
        let out = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
            .arg(flag)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success());
        let usage = String::from_utf8_lossy(&out.stdout);
        assert!(
            usage.contains("USAGE:") && usage.contains("--forward-to"),
            "{usage}"
        );
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no file made");
    std::fs::remove_dir(&dir).unwrap();
}

/// Lines a child process writes, collected by a thread.
fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// Waits (up to 10 s) for a line that `matches`, and returns it.
async fn line_where(lines: &Mutex<Vec<String>>, matches: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        if let Some(line) = lines.lock().unwrap().iter().find(|l| matches(l)) {
            return line.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no such line in {:#?}", lines.lock().unwrap());
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Like `stripe listen --forward-to`: each event going out, then the
/// receiver's answer, a failed attempt and its retry too.
#[tokio::test]
async fn each_delivery_is_logged_as_stripe_listen_prints_it() {
    let receiver = Receiver::start(vec![500]).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
        .args(["--addr", "127.0.0.1:0", "--forward-to", &receiver.url])
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    let _child = Killed(child);
    let banner = line_where(&stdout, |l| l.starts_with("Stripe emulator listening on ")).await;
    let base = banner
        .trim_start_matches("Stripe emulator listening on ")
        .trim();
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/v1/customers"))
        .bearer_auth(SK)
        .form(&[("email", "log@example.com")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(created["id"].as_str().unwrap().starts_with("cus_"));
    let out = line_where(&stderr, |l| l.contains("--> customer.created [evt_")).await;
    let event = out
        .rsplit('[')
        .next()
        .unwrap()
        .trim_end_matches(']')
        .to_owned();
    let url = &receiver.url;
    line_where(&stderr, |l| {
        l.contains(&format!("<-- [500] POST {url} [{event}]"))
    })
    .await;
    line_where(&stderr, |l| {
        l.contains(&format!("<-- [200] POST {url} [{event}]"))
    })
    .await;
}
