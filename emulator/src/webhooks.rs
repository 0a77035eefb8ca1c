//! Signed webhook delivery: POST of the event JSON with
//! `Stripe-Signature: t=…,v1=…` (HMAC-SHA256 keyed with the whole `whsec_…`
//! secret over `"{t}.{body}"`), a fresh timestamp per attempt, retries with
//! exponential backoff, at least once. Chaos settings make it worse on
//! purpose, for testing receivers.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::api::events;
use crate::state::Shared;
use crate::store::{now, now_ms, Delivery};
use crate::versions;

/// `v1` signature: lower-case hex HMAC-SHA256 of `"{timestamp}.{payload}"`.
pub fn sign(secret: &str, timestamp: i64, payload: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp}.{payload}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn signature_header(secret: &str, timestamp: i64, payload: &str) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, payload))
}

struct Job {
    delivery: Delivery,
    /// The event's type, for the delivery log.
    kind: String,
    url: String,
    secret: String,
    payload: String,
}

/// Takes the deliveries that are due, marking them in flight by removal;
/// a crash before the outcome is recorded loses nothing that `--state`
/// saved, because the state is written only after the outcome.
fn take_due(shared: &Shared) -> Vec<Job> {
    let mut store = shared.store();
    let now = now_ms();
    let (due, later): (Vec<Delivery>, Vec<Delivery>) =
        store.deliveries.drain(..).partition(|d| d.due_ms <= now);
    store.deliveries = later;
    let mut jobs = Vec::new();
    let mut sorted = due;
    sorted.sort_by_key(|d| d.due_ms);
    for delivery in sorted {
        let (Some(endpoint), Some(event)) = (
            store.endpoint(&delivery.endpoint_id),
            store.event(&delivery.event_id),
        ) else {
            continue;
        };
        jobs.push(Job {
            kind: event.kind.clone(),
            url: endpoint.url.clone(),
            secret: endpoint.secret.clone(),
            payload: versions::event_for_endpoint(
                events::render(event),
                endpoint.api_version.as_deref(),
            )
            .to_string(),
            delivery,
        });
    }
    // Keep them listed while in flight so a saved state still holds them.
    store.deliveries.extend(jobs.iter().map(|j| Delivery {
        due_ms: i64::MAX,
        ..j.delivery.clone()
    }));
    jobs
}

/// One delivery, logged as `stripe listen` prints it: the event going out,
/// then the receiver's answer.
async fn attempt(client: &reqwest::Client, job: &Job) -> bool {
    let event = &job.delivery.event_id;
    tracing::info!(target: "stripe_emulator::deliveries", "--> {} [{event}]", job.kind);
    let timestamp = now();
    let result = client
        .post(&job.url)
        .header("content-type", "application/json; charset=utf-8")
        .header(
            "stripe-signature",
            signature_header(&job.secret, timestamp, &job.payload),
        )
        .header(
            "user-agent",
            "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        )
        .body(job.payload.clone())
        .send()
        .await;
    let url = &job.url;
    match result {
        Ok(response) => {
            let status = response.status();
            tracing::info!(target: "stripe_emulator::deliveries", "<-- [{}] POST {url} [{event}]", status.as_u16());
            status.is_success()
        }
        Err(err) => {
            tracing::info!(target: "stripe_emulator::deliveries", %err, "<-- [failed] POST {url} [{event}]");
            false
        }
    }
}

fn record(shared: &Shared, job: &Job, delivered: bool) {
    let mut store = shared.store();
    // Drop the in-flight marker.
    if let Some(pos) = store.deliveries.iter().position(|d| {
        d.due_ms == i64::MAX
            && d.event_id == job.delivery.event_id
            && d.endpoint_id == job.delivery.endpoint_id
            && d.attempt == job.delivery.attempt
            && d.duplicate == job.delivery.duplicate
    }) {
        store.deliveries.remove(pos);
    }
    let forced_failure = store.chaos.fail_first && job.delivery.attempt == 0;
    if delivered && !forced_failure {
        if !job.delivery.duplicate {
            if let Some(e) = store
                .events
                .iter_mut()
                .find(|e| e.id == job.delivery.event_id)
            {
                e.pending_webhooks = (e.pending_webhooks - 1).max(0);
            }
        }
    } else if job.delivery.attempt + 1 < shared.config.webhook_retry.max_attempts {
        let delay = shared.config.webhook_retry.delay(job.delivery.attempt);
        store.deliveries.push(Delivery {
            attempt: job.delivery.attempt + 1,
            due_ms: now_ms() + delay.as_millis() as i64,
            ..job.delivery.clone()
        });
    } else {
        tracing::warn!(event = %job.delivery.event_id, url = %job.url, "webhook delivery abandoned after retries");
    }
}

/// Delivers webhooks until the emulator stops.
pub async fn run(shared: Arc<Shared>) {
    let client = reqwest::Client::builder()
        .timeout(shared.config.webhook_timeout)
        .build()
        .expect("an HTTP client with default TLS settings");
    loop {
        let jobs = take_due(&shared);
        if jobs.is_empty() {
            tokio::select! {
                _ = shared.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
            continue;
        }
        let mut handles = Vec::new();
        for job in jobs {
            let client = client.clone();
            let shared = shared.clone();
            handles.push(tokio::spawn(async move {
                let delivered = attempt(&client, &job).await;
                record(&shared, &job, delivered);
            }));
        }
        for handle in handles {
            let _ = handle.await;
        }
        shared.persist().await;
    }
}

/// Makes every queued delivery due now and waits (up to `timeout`) until
/// none is left but those scheduled for later retries. Returns what is left.
pub async fn flush(shared: &Arc<Shared>, timeout: Duration) -> usize {
    {
        let mut store = shared.store();
        let now = now_ms();
        for d in store.deliveries.iter_mut().filter(|d| d.due_ms != i64::MAX) {
            d.due_ms = d.due_ms.min(now);
        }
    }
    shared.wake.notify_one();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let pending = {
            let store = shared.store();
            let now = now_ms();
            store
                .deliveries
                .iter()
                .filter(|d| d.due_ms <= now || d.due_ms == i64::MAX)
                .count()
        };
        if pending == 0 || tokio::time::Instant::now() >= deadline {
            return shared.store().deliveries.len();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RetryPolicy;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0), Duration::from_secs(1));
        assert_eq!(p.delay(3), Duration::from_secs(8));
        assert_eq!(p.delay(20), Duration::from_secs(60));
    }
}
