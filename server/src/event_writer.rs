//! Group commit for Stripe's events on SQLite.
//!
//! SQLite has one writer at a time, and each durable commit waits for the
//! disk (about 230 µs here). Webhooks that arrive together are therefore
//! handed to one task, which applies every event waiting in one transaction,
//! commits once, and only then answers each request: no event is
//! acknowledged before it is durable. A burst costs one commit per batch
//! instead of one per event. An event that fails is answered with an error
//! alone (Stripe sends it again): the others are written again without it.
//!
//! On PostgreSQL each event has its own short transaction: instances and
//! requests write side by side, and the server groups concurrent commits
//! into one flush itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::webhook::{self, Event, Handled};
use shop::server::db::{self, Backend};

/// At most this many events share one commit (bounds the latency one
/// batch adds to its first event).
const MAX_BATCH: usize = 64;

type Reply = oneshot::Sender<Result<Handled, Arc<sqlx::Error>>>;

/// An event waiting for the batching task, and where its outcome goes.
struct Job {
    event: Arc<Event>,
    /// A failure Stripe has moved past: recorded, not applied.
    stale: bool,
    reply: Reply,
}

/// Where the webhook endpoint hands its verified events. Cheap to clone.
#[derive(Clone)]
pub struct EventWriter {
    pool: AnyPool,
    /// The batching task, started by the first event (on SQLite only).
    queue: Arc<OnceLock<mpsc::Sender<Job>>>,
    /// Batches that task has written (one transaction each).
    batches: Arc<AtomicU64>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("database: {0}")]
    Db(Arc<sqlx::Error>),
    #[error("the event writer stopped")]
    Stopped,
}

impl EventWriter {
    pub fn new(pool: AnyPool) -> Self {
        Self {
            pool,
            queue: Arc::default(),
            batches: Arc::default(),
        }
    }

    /// How many batches (transactions) the batching task has written.
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Records `event` and applies it to its order (unless `stale`);
    /// returns once that is committed. Shared, not copied: the caller still
    /// reads the event after.
    pub async fn handle(&self, event: Arc<Event>, stale: bool) -> Result<Handled, WriteError> {
        if Backend::of(&self.pool) == Backend::Postgres {
            return webhook::handle(&self.pool, &event, stale)
                .await
                .map_err(|err| WriteError::Db(Arc::new(err)));
        }
        let queue = self.queue.get_or_init(|| {
            let (queue, events) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(run(self.pool.clone(), events, self.batches.clone()));
            queue
        });
        let (reply, answer) = oneshot::channel();
        queue
            .send(Job {
                event,
                stale,
                reply,
            })
            .await
            .map_err(|_| WriteError::Stopped)?;
        answer
            .await
            .map_err(|_| WriteError::Stopped)?
            .map_err(WriteError::Db)
    }
}

/// Takes whatever events are waiting, up to [`MAX_BATCH`], and writes them
/// in one transaction; until every sender is gone.
async fn run(pool: AnyPool, mut events: mpsc::Receiver<Job>, batches: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while events.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let outcomes = write_batch(&pool, &batch).await;
        batches.fetch_add(1, Ordering::Relaxed);
        for (Job { reply, .. }, outcome) in batch.drain(..).zip(outcomes) {
            // The request may have gone (client timeout): Stripe will resend.
            let _ = reply.send(outcome);
        }
    }
}

/// One outcome per event, in order. The batch is written in one
/// transaction; if any event fails, that transaction is rolled back and each
/// event is written again in a transaction of its own, so the failure stays
/// with its event (failures are rare: a savepoint per event would cost two
/// statements each time for nothing).
async fn write_batch(pool: &AnyPool, batch: &[Job]) -> Vec<Result<Handled, Arc<sqlx::Error>>> {
    match write_together(pool, batch).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(err) => {
            if batch.len() > 1 {
                tracing::warn!(%err, events = batch.len(), "a batch of events failed; writing them one by one");
            }
            let mut outcomes = Vec::with_capacity(batch.len());
            for job in batch {
                outcomes.push(
                    webhook::handle(pool, &job.event, job.stale)
                        .await
                        .map_err(Arc::new),
                );
            }
            outcomes
        }
    }
}

async fn write_together(pool: &AnyPool, batch: &[Job]) -> Result<Vec<Handled>, sqlx::Error> {
    let mut tx = db::write_transaction(pool).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        outcomes.push(webhook::handle_in(&mut tx, &job.event, job.stale).await?);
    }
    tx.commit().await?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> Event {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "type": "customer.updated",
            "api_version": shop::server::stripe::API_VERSION,
            "data": { "object": { "id": "cus_test", "object": "customer" } },
        }))
        .unwrap()
    }

    /// Events arriving together share commits; each is answered only after
    /// its commit, the same event twice is applied once, and one that fails
    /// is rolled back alone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_is_written_in_shared_commits_and_a_failure_stays_alone() {
        let pool = db::for_tests().await.unwrap();
        if Backend::of(&pool) == Backend::Postgres {
            return; // one transaction per event there: nothing batched
        }
        // A failure planted on one event id.
        sqlx::query(
            "CREATE TRIGGER planted BEFORE INSERT ON stripe_events WHEN NEW.id = 'evt_bad'
             BEGIN SELECT RAISE(ABORT, 'planted failure'); END",
        )
        .execute(&pool)
        .await
        .unwrap();
        let writer = EventWriter::new(pool.clone());
        let mut ids: Vec<String> = (0..40).map(|n| format!("evt_{n}")).collect();
        ids.push("evt_7".into()); // redelivered while the first is in flight
        ids.push("evt_bad".into());
        let answers = futures_util::future::join_all(ids.iter().map(|id| {
            let writer = writer.clone();
            let event = Arc::new(event(id));
            async move { writer.handle(event, false).await }
        }))
        .await;
        let failed: Vec<&String> = ids
            .iter()
            .zip(&answers)
            .filter(|(_, answer)| answer.is_err())
            .map(|(id, _)| id)
            .collect();
        assert_eq!(failed, ["evt_bad"]);
        let duplicates = answers
            .iter()
            .filter(|a| matches!(a, Ok(Handled::Duplicate)))
            .count();
        assert_eq!(duplicates, 1);
        let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stripe_events")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(recorded, 40);
        let batches = writer.batches();
        assert!(
            batches < ids.len() as u64 / 2,
            "{batches} batches for {} events",
            ids.len()
        );
    }
}
