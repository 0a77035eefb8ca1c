//! A burst of wrong passwords: the server's memory stays bounded and it keeps
//! answering. Its own test binary, so that the process's peak memory is this
//! test's alone.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use server::{app, build_state, Config};
use tower::ServiceExt;

use crate::support;

/// The process's peak resident memory (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_fifty_six_wrong_sign_ins_at_once_keep_memory_bounded_and_health_answering() {
    let database = support::test_database().await;
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(database.url.clone()),
        "STRIPE_EMULATOR_STATE" => database.emulator_state.clone(),
        "STRIPE_EMULATOR_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .unwrap();
    let started = build_state(&config).await.unwrap();
    let router = app(started.state.clone());
    let before = peak_rss();

    let attempts: Vec<_> = (0..256)
        .map(|i| {
            let router = router.clone();
            tokio::spawn(async move {
                // A different e-mail each time, so throttling does not answer for the bound.
                let request = Request::post("/api/sign_in")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!(
                        "email=guess{i}@example.com&password=wrong"
                    )))
                    .unwrap();
                router.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    // Health answers during the burst.
    let mut times = Vec::new();
    for _ in 0..10 {
        let asked = Instant::now();
        let reply = router
            .clone()
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        times.push(asked.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut busy = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => busy += 1,
            other => panic!("unexpected {other}"),
        }
    }
    times.sort();
    let (median, slowest) = (times[times.len() / 2], times[times.len() - 1]);
    let grown = peak_rss().saturating_sub(before);
    println!(
        "256 wrong sign-ins at once: peak memory {} MiB (+{} MiB), {busy} answered busy, /healthz median {median:?}, at worst {slowest:?}",
        peak_rss() / (1024 * 1024),
        grown / (1024 * 1024)
    );
    assert!(grown < 300 * 1024 * 1024, "peak grew by {grown} bytes");
    assert!(busy > 0, "the queue is bounded");
    assert!(
        slowest < Duration::from_millis(100),
        "/healthz took {slowest:?}"
    );
}
