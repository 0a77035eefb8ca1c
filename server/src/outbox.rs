//! The outbox's delivery side: a worker that takes the messages queued by
//! `shop::server::message_store::enqueue_in` and delivers each at most once, by e-mail
//! when SMTP is configured, otherwise by keeping it for the messages page.
//! Its statements (claim, record, the states a message goes through) are
//! `shop::server::message_store::delivery`'s; here are the worker, the
//! SMTP transport and the retry policy.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::AnyPool;

use shop::messages::MessageDelivery;
use shop::server::message_store::delivery::{self, Claim, Claimed};
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
        let now = shop::server::now();
        let done = delivery::interrupt_abandoned(&self.pool, &self.settings.instance, now).await?;
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
            if message.is_failure_notice() && self.retried_since(&message).await {
                delivery::supersede(&self.pool, message.id).await?;
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
            match delivery::claim_next(&self.pool, &self.settings.instance, now, notice_due).await?
            {
                Claim::Nothing => return Ok(None),
                Claim::Message(message) => return Ok(Some(message)),
                Claim::Superseded { id, order_id } => tracing::info!(
                    message = id,
                    order = order_id,
                    "failure notice dropped: the order moved on"
                ),
            }
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
        let (state, next_attempt_at, error) = match outcome {
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
        let code = state.code();
        match &error {
            Some(err) => {
                tracing::warn!(message = message.id, %err, delivery = code, "message not delivered")
            }
            None => tracing::info!(message = message.id, delivery = code, "message delivered"),
        }
        let outcome = delivery::Outcome {
            delivery: state,
            next_attempt_at,
            error,
        };
        delivery::record(&self.pool, message, &outcome, now).await?;
        Ok(())
    }
}
