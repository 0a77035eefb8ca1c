//! Catching up on events the webhook endpoint missed.
//!
//! Stripe retries a failed delivery for a while (days in live mode, a few
//! hours in test mode), then gives up. An endpoint that was down longer, or
//! misconfigured, would leave orders unpaid that Stripe knows are paid. So
//! the server also asks the Events API for the payment events whose
//! delivery has not succeeded yet (`delivery_success=false`), and hands each
//! to the same processing as a webhook's ([`events::record`]): the event id is recorded with its effect,
//! so an event seen both ways acts once. No signature is needed: these come
//! from Stripe's API over TLS with the shop's secret key.

use shop::server::stripe::{Event, EventKind, Form, List, StripeClient, StripeError};
use sqlx::AnyPool;

use crate::events::{self, ProcessError};
use crate::webhook::Handled;

/// The kinds caught up on: those that change an order or an account
/// (payments, customers, refunds). A missed `payment_method.attached` only
/// leaves a look-alike card, which the next one tidies.
pub fn caught_up_kinds() -> impl Iterator<Item = &'static EventKind> {
    EventKind::HANDLED.iter().filter(|kind| {
        kind.settles_a_payment() || kind.is_about_a_customer() || kind.is_about_refunds()
    })
}

/// Pages of 100 read per run, at most (newest first).
const MAX_PAGES: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum CatchUpError {
    #[error("listing events: {0}")]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Process(#[from] ProcessError),
}

/// What one run found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Undelivered events listed.
    pub listed: usize,
    /// Of those, events that changed an order.
    pub applied: usize,
}

/// Lists the undelivered payment events and handles each once.
pub async fn run(stripe: &StripeClient, pool: &AnyPool) -> Result<CaughtUp, CatchUpError> {
    let mut caught = CaughtUp::default();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = Form::new()
            .field("delivery_success", "false")
            .field("limit", 100)
            .optional("starting_after", after.as_deref());
        for kind in caught_up_kinds() {
            query = query.field("types[]", kind.as_str());
        }
        let page: List<Event> = stripe.get("/v1/events", &query).await?;
        for event in &page.data {
            caught.listed += 1;
            let handled = events::record(stripe, pool, event).await?;
            if handled == Handled::Applied {
                tracing::info!(event = %event.id, kind = %event.kind, "caught up on a missed event");
                caught.applied += 1;
            }
        }
        match (page.has_more, page.data.last()) {
            (true, Some(last)) => after = Some(last.id.clone()),
            _ => break,
        }
    }
    Ok(caught)
}

/// Runs [`run`] at start-up, then every `every`, for the life of the
/// process; with several instances on one database, only the one holding the
/// `catch_up` lease runs it (the work is idempotent anyway: this spares
/// Stripe the same listing from every instance).
pub fn spawn(
    stripe: StripeClient,
    pool: AnyPool,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    use rand::distributions::{Alphanumeric, DistString};
    let instance = Alphanumeric.sample_string(&mut rand::thread_rng(), 16);
    // Held a little longer than a period, renewed each run by its holder.
    let ttl = i64::try_from(every.as_secs()).unwrap_or(i64::MAX / 2) + 30;
    tokio::spawn(async move {
        loop {
            match shop::server::leases::take(&pool, "catch_up", &instance, ttl, shop::server::now())
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    tokio::time::sleep(every).await;
                    continue;
                }
                Err(err) => {
                    tracing::warn!(%err, "could not take the catch-up lease; will try again");
                    tokio::time::sleep(every).await;
                    continue;
                }
            }
            match run(&stripe, &pool).await {
                Ok(caught) if caught.applied > 0 => {
                    tracing::warn!(?caught, "orders updated from events the webhook missed")
                }
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(%err, "catching up on missed events failed; will try again")
                }
            }
            tokio::time::sleep(every).await;
        }
    })
}
