//! The outbox's delivery side: a worker that takes the messages queued by
//! `shop::server::message_store::enqueue_in` and delivers each at most once, by e-mail
//! when SMTP is configured, otherwise by keeping it for the messages page.
//!
//! Delivery states (see migration 0004): `pending` → `sending` (claimed, in
//! its own committed transaction) → `sent` | `kept`; a transient SMTP error
//! puts it back to `pending` later, a permanent one or too many attempts
//! make it `failed`. A process that dies while `sending` leaves a message
//! that may or may not have gone out: on restart it becomes `interrupted`
//! instead of being sent a second time.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::AnyPool;

use shop::messages::{MessageDelivery, MessageKind};
use shop::server::db::{write_transaction, Backend};
use shop::server::stripe::StripeClient;

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("SMTP_URL is not valid: {0}")]
    SmtpUrl(String),
    #[error("SMTP_FROM is not a valid mailbox: {0}")]
    From(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// How messages reach customers.
#[derive(Clone)]
pub enum Transport {
    /// No SMTP: messages are kept for the customer's messages page.
    Inbox,
    Smtp(Arc<SmtpMailer>),
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Prefix of the links in e-mails (`https://shop.example`).
    public_url: String,
}

impl SmtpMailer {
    /// `url` as lettre reads it: `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host`, or `smtp://localhost:1025` (plain, for a local catcher).
    pub fn new(url: &str, from: &str, public_url: &str) -> Result<Self, OutboxError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            // The URL may hold a password: report the kind of error only.
            .map_err(|e| OutboxError::SmtpUrl(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| OutboxError::From(e.to_string()))?;
        Ok(Self {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }
}

#[derive(Clone, Debug)]
pub struct OutboxSettings {
    /// A failure notice waits this long, and is dropped if the order was
    /// paid meanwhile: a shopper who retries at once with another card
    /// needs no "your payment failed" e-mail.
    pub failure_notice_delay: Duration,
    pub poll_every: Duration,
    /// Attempts in all before a message is `failed`.
    pub max_attempts: u32,
    /// This instance's name among those sharing the database, stable across
    /// its restarts (the server uses its host and address): a restarted
    /// instance settles its own unfinished claims at once; another
    /// instance's, only once its lease has lapsed.
    pub instance: String,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        use rand::distributions::{Alphanumeric, DistString};
        Self {
            failure_notice_delay: Duration::from_secs(60),
            poll_every: Duration::from_millis(500),
            max_attempts: 8,
            instance: Alphanumeric.sample_string(&mut rand::thread_rng(), 16),
        }
    }
}

/// The running delivery loop.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Lets the message being sent finish (so it is recorded, not left
    /// `sending`), then stops.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

#[derive(Clone)]
pub struct Outbox {
    pool: AnyPool,
    transport: Transport,
    settings: OutboxSettings,
    /// Asked, just before a failure notice goes out, whether the shopper
    /// has tried again since (see [`Outbox::retried_since`]).
    stripe: Option<StripeClient>,
}

/// How long an instance's outbox lease lasts without renewal: after that its
/// claims count as abandoned (`recover`). Renewed at every poll.
const INSTANCE_LEASE_SECS: i64 = 60;

/// The next message due: pending, its retry time come, and (for a failure
/// notice) its delay over; the longest due first. Read in the order of the
/// `messages_due` index, so a backlog is never sorted (migration 0011).
///
/// `'pending'` here and `'sending'` in [`ABANDONED`] stay literals: a
/// partial index (`WHERE delivery = 'pending'`) serves only a query that
/// says the same. A test checks each literal is `MessageDelivery`'s code.
const DUE: &str =
    "SELECT d.id FROM messages d WHERE d.delivery = 'pending' AND d.next_attempt_at <= $1
     AND (d.kind <> 'payment_failed' OR d.created_at <= $2) ORDER BY d.next_attempt_at, d.id LIMIT 1";

/// Claims abandoned while sending (see [`Outbox::recover`]).
const ABANDONED: &str =
    "UPDATE messages SET delivery = $3, last_error = 'the shop stopped while sending; not retried, so never sent twice'
     WHERE delivery = 'sending' AND (claimed_by IS NULL OR claimed_by = $1 OR NOT EXISTS (
        SELECT 1 FROM leases WHERE name = 'outbox:' || messages.claimed_by AND expires_at > $2))";

/// A message claimed for delivery.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    /// None for a sign-in code's e-mail.
    order_id: Option<i64>,
    kind: String,
    subject: String,
    body: String,
    link: String,
    /// Attempts so far, this one included once claimed.
    attempts: i64,
    /// The message's own recipient, else its customer's address.
    email: Option<String>,
    /// The customer's name, when the message is to a customer.
    name: Option<String>,
    /// The order's status now.
    status: Option<String>,
    /// The order's PaymentIntent, for a message about an order.
    payment_intent: Option<String>,
}

/// Drops a failure notice the order no longer needs: never sent, and not
/// on the messages page.
async fn supersede<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    message: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE messages SET delivery = $1 WHERE id = $2")
        .bind(MessageDelivery::Superseded)
        .bind(message)
        .execute(db)
        .await?;
    Ok(())
}

enum Delivered {
    Sent,
    Kept,
    Retry(String),
    Failed(String),
}

impl Outbox {
    pub fn new(pool: AnyPool, transport: Transport, settings: OutboxSettings) -> Self {
        Self {
            pool,
            transport,
            settings,
            stripe: None,
        }
    }

    /// Checks each failure notice against Stripe before sending it.
    pub fn with_stripe(mut self, stripe: StripeClient) -> Self {
        self.stripe = Some(stripe);
        self
    }

    /// Whether the payment a failure notice is about is no longer failed at
    /// Stripe: the shopper tried again on the same order and that attempt
    /// is processing, authenticating, or done, although its webhook has not
    /// reached the order yet. Asked after the claim is committed (no lock
    /// is held across the call); when Stripe cannot be asked, the order's
    /// own status, checked at the claim, decides.
    async fn retried_since(&self, message: &Claimed) -> bool {
        use shop::server::stripe::PaymentIntentStatus as S;
        let (Some(stripe), Some(intent)) = (&self.stripe, &message.payment_intent) else {
            return false;
        };
        match stripe.retrieve_payment_intent(intent).await {
            // A shopper authenticating a new attempt right now needs no
            // notice either.
            Ok(current) => {
                current.status.went_past_a_failure() || current.status == S::RequiresAction
            }
            Err(err) => {
                tracing::warn!(%err, message = message.id, "could not ask Stripe about a failure notice; the order's status decides");
                false
            }
        }
    }

    /// Renews this instance's lease: its claims are its own while it lives.
    async fn keep_alive(&self) -> Result<(), OutboxError> {
        let instance = &self.settings.instance;
        let name = format!("outbox:{instance}");
        let now = shop::server::now();
        shop::server::leases::take(&self.pool, &name, instance, INSTANCE_LEASE_SECS, now).await?;
        Ok(())
    }

    /// Messages left `sending` by a process that died may have gone out:
    /// marking them `interrupted` keeps "at most once". That is this
    /// instance's own earlier claims (its previous run died with them), and
    /// another instance's once its lease has lapsed; a live instance's are
    /// left alone.
    pub async fn recover(&self) -> Result<u64, OutboxError> {
        let done = sqlx::query(ABANDONED)
            .bind(&self.settings.instance)
            .bind(shop::server::now())
            .bind(MessageDelivery::Interrupted)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if done > 0 {
            tracing::warn!(
                messages = done,
                "messages interrupted while sending; check the mail log"
            );
        }
        Ok(done)
    }

    /// Delivers every message that is due; returns how many it handled.
    pub async fn deliver_due(&self) -> Result<usize, OutboxError> {
        self.deliver_due_until(&|| false).await
    }

    /// The same, stopping between two messages once `stop()` says so.
    async fn deliver_due_until(
        &self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<usize, OutboxError> {
        let mut handled = 0;
        while !stop() {
            let Some(message) = self.claim().await? else {
                break;
            };
            if message.kind == MessageKind::PaymentFailed.code()
                && self.retried_since(&message).await
            {
                supersede(&self.pool, message.id).await?;
                tracing::info!(
                    message = message.id,
                    order = message.order_id,
                    "failure notice dropped: a newer attempt is under way at Stripe"
                );
                handled += 1;
                continue;
            }
            let outcome = self.deliver(&message).await;
            self.record(&message, outcome).await?;
            handled += 1;
        }
        Ok(handled)
    }

    /// Runs the worker until [`Worker::shutdown`]: first [`Outbox::recover`],
    /// then delivering whatever is due every `poll_every`.
    pub fn spawn(self) -> Worker {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let flag = stopped.clone();
            let stop_requested = move || *flag.borrow();
            while !stop_requested() {
                // Claims of instances that died (this one's previous run
                // included) are settled by whichever instance polls next.
                if let Err(err) = self.keep_alive().await {
                    tracing::error!(%err, "outbox lease not renewed; will try again");
                }
                if let Err(err) = self.recover().await {
                    tracing::error!(%err, "outbox recovery failed");
                }
                if let Err(err) = self.deliver_due_until(&stop_requested).await {
                    tracing::error!(%err, "outbox delivery failed; will try again");
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.poll_every) => {}
                    _ = stopped.changed() => {}
                }
            }
        });
        Worker { stop, task }
    }

    /// Takes the next due message, committing the claim before anything is
    /// sent. Failure notices whose order has moved on are dropped here.
    async fn claim(&self) -> Result<Option<Claimed>, OutboxError> {
        loop {
            let now = shop::server::now();
            let notice_due = now - self.settings.failure_notice_delay.as_secs() as i64;
            // A plain read first: most polls find nothing, and need not take
            // the write lock the webhook wants.
            let due: Option<i64> = sqlx::query_scalar(DUE)
                .bind(now)
                .bind(notice_due)
                .fetch_optional(&self.pool)
                .await?;
            if due.is_none() {
                return Ok(None);
            }
            // On PostgreSQL each instance locks the message it claims and
            // skips those another instance is claiming; on SQLite the write
            // transaction is the only writer.
            let lock = match Backend::of(&self.pool) {
                Backend::Postgres => " FOR UPDATE SKIP LOCKED",
                Backend::Sqlite => "",
            };
            let mut tx = write_transaction(&self.pool).await?;
            let claimed: Option<Claimed> = sqlx::query_as(&format!(
                "SELECT m.id, m.order_id, m.kind, m.subject, m.body, m.link, m.attempts,
                 COALESCE(m.recipient, c.email) AS email, c.name, o.status, o.payment_intent_id AS payment_intent
                 FROM messages m LEFT JOIN customers c ON c.id = m.customer_id LEFT JOIN orders o ON o.id = m.order_id
                 WHERE m.id = ({DUE}{lock})"
            ))
            .bind(now)
            .bind(notice_due)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(mut message) = claimed else {
                return Ok(None);
            };
            if message.kind == MessageKind::PaymentFailed.code()
                && message.status.as_deref() != Some("payment_failed")
            {
                supersede(&mut *tx, message.id).await?;
                tx.commit().await?;
                tracing::info!(
                    message = message.id,
                    order = message.order_id,
                    "failure notice dropped: the order moved on"
                );
                continue;
            }
            sqlx::query(
                "UPDATE messages SET delivery = $3, attempts = attempts + 1, claimed_by = $1 WHERE id = $2",
            )
            .bind(&self.settings.instance)
            .bind(message.id)
            .bind(MessageDelivery::Sending)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            message.attempts += 1;
            return Ok(Some(message));
        }
    }

    async fn deliver(&self, message: &Claimed) -> Delivered {
        let mailer = match &self.transport {
            Transport::Inbox => return Delivered::Kept,
            Transport::Smtp(mailer) => mailer,
        };
        let to = match message.email.as_deref().map(str::parse::<lettre::Address>) {
            Some(Ok(address)) => Mailbox::new(message.name.clone(), address),
            Some(Err(err)) => return Delivered::Failed(format!("invalid address: {err}")),
            None => return Delivered::Failed("no address".into()),
        };
        // Stable per message: should a relay see it twice, it is one e-mail.
        let message_id = match message.order_id {
            Some(order) => format!(
                "<message-{}.order-{order}@{}>",
                message.id,
                mailer.from.email.domain()
            ),
            None => format!("<message-{}@{}>", message.id, mailer.from.email.domain()),
        };
        let email = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(&message.subject)
            .message_id(Some(message_id))
            .header(ContentType::TEXT_PLAIN)
            .body(format!(
                "{}\n\n{}{}\n",
                message.body, mailer.public_url, message.link
            ));
        let email = match email {
            Ok(email) => email,
            Err(err) => return Delivered::Failed(err.to_string()),
        };
        match mailer.transport.send(email).await {
            Ok(_) => Delivered::Sent,
            Err(err) if err.is_permanent() => Delivered::Failed(err.to_string()),
            Err(err) => Delivered::Retry(err.to_string()),
        }
    }

    async fn record(&self, message: &Claimed, outcome: Delivered) -> Result<(), OutboxError> {
        let now = shop::server::now();
        let (delivery, next_attempt_at, error) = match outcome {
            Delivered::Sent => (MessageDelivery::Sent, now, None),
            Delivered::Kept => (MessageDelivery::Kept, now, None),
            Delivered::Retry(err) if message.attempts < i64::from(self.settings.max_attempts) => {
                // 2, 4, 8 … seconds, at most an hour.
                let wait = 2_i64.saturating_pow(message.attempts as u32).min(3600);
                (MessageDelivery::Pending, now + wait, Some(err))
            }
            Delivered::Retry(err) | Delivered::Failed(err) => {
                (MessageDelivery::Failed, now, Some(err))
            }
        };
        let code = delivery.code();
        match &error {
            Some(err) => {
                tracing::warn!(message = message.id, %err, delivery = code, "message not delivered")
            }
            None => tracing::info!(message = message.id, delivery = code, "message delivered"),
        }
        // A code is a secret: once its e-mail went out (or never will), it
        // is not kept. Without SMTP it stays for the development mailbox.
        if message.kind == shop::server::message_store::SIGN_IN_CODE
            && !matches!(delivery, MessageDelivery::Kept | MessageDelivery::Pending)
        {
            sqlx::query("UPDATE messages SET body = '', link = '' WHERE id = $1")
                .bind(message.id)
                .execute(&self.pool)
                .await?;
        }
        let delivered = matches!(delivery, MessageDelivery::Sent | MessageDelivery::Kept);
        sqlx::query(
            "UPDATE messages SET delivery = $1, next_attempt_at = $2, last_error = $3,
             delivered_at = CASE WHEN $4 = 1 THEN $5 END WHERE id = $6",
        )
        .bind(delivery)
        .bind(next_attempt_at)
        .bind(error)
        .bind(i64::from(delivered))
        .bind(now)
        .bind(message.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The delivery states written as literals (for the partial indexes)
    /// are the enum's codes.
    #[test]
    fn literal_delivery_states_are_codes() {
        for (sql, state) in [
            (DUE, MessageDelivery::Pending),
            (ABANDONED, MessageDelivery::Sending),
        ] {
            assert!(sql.contains(&format!("delivery = '{}'", state.code())));
        }
        assert!(DUE.contains(&format!("kind <> '{}'", MessageKind::PaymentFailed.code())));
        assert_eq!(
            MessageDelivery::from_code("sending"),
            Some(MessageDelivery::Sending)
        );
    }

    /// The claim reads the index in order and stops at the first due
    /// message: no sort of the whole backlog (SQLite's `USE TEMP B-TREE`,
    /// PostgreSQL's `Sort`).
    #[tokio::test]
    async fn the_claim_never_sorts_the_backlog() {
        let pool = shop::server::db::for_tests().await.unwrap();
        if Backend::of(&pool) == Backend::Postgres {
            let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {DUE}"))
                .bind(0_i64)
                .bind(0_i64)
                .fetch_all(&pool)
                .await
                .unwrap();
            assert!(
                plan.iter()
                    .any(|step| step.contains("Index Scan using messages_due")),
                "{plan:?}"
            );
            assert!(!plan.iter().any(|step| step.contains("Sort")), "{plan:?}");
            return;
        }
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {DUE}"))
                .bind(0)
                .bind(0)
                .fetch_all(&pool)
                .await
                .unwrap();
        let plan: Vec<&str> = plan.iter().map(|row| row.3.as_str()).collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX messages_due")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }
}
