//! What the shop does with a Stripe event, however it arrived: the
//! webhook hands over what it verified and parsed ([`process`]); the
//! catch-up hands over what the Events API listed ([`record`]). Each kind
//! goes to its handler: a payment's to the order (through the event
//! writer), a customer's or a refund's to a copy of Stripe's current state.
//! The follow-up work an applied event leaves (naming the payment method,
//! tidying saved cards) starts here too, after the event is recorded.

use std::sync::Arc;

use shop::server::stripe::{Event, EventKind, StripeClient, StripeError};
use shop::server::{checkout, saved_methods, AppState};
use sqlx::AnyPool;

use crate::event_writer::{EventWriter, WriteError};
use crate::webhook::{self, CopyError, Handled};
use crate::{customer_events, refund_events};

/// Why an event was not recorded: Stripe delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error(transparent)]
    Copy(#[from] CopyError),
    #[error("could not check a failure against Stripe: {0}")]
    Stripe(#[from] StripeError),
    #[error("recording the event: {0}")]
    Write(#[from] WriteError),
    #[error("recording the event: {0}")]
    Database(#[from] sqlx::Error),
}

/// A webhook's verified event: recorded once and applied, then its
/// follow-up work started (never awaited: Stripe does not wait on Stripe).
pub async fn process(
    state: &AppState,
    writer: &EventWriter,
    event: Event,
) -> Result<Handled, ProcessError> {
    // A live event at a test-mode shop (or the reverse) is about another
    // world's money: never let it move an order.
    let livemode = state.stripe.settings().livemode();
    if event.livemode != livemode {
        tracing::warn!(event = %event.id, event_livemode = event.livemode, livemode, "webhook from the other Stripe mode; acknowledged and ignored");
        return Ok(Handled::Ignored);
    }
    if let Some(handled) = copy_from_stripe(&state.stripe, &state.pool, &event).await? {
        return Ok(handled);
    }
    let stale = webhook::failure_is_stale(&state.stripe, &event).await?;
    let event = Arc::new(event);
    let handled = writer.handle(event.clone(), stale).await?;
    follow_up(state, &event, handled);
    Ok(handled)
}

/// An event the catch-up listed: recorded and applied as a webhook's
/// would be (no follow-up work: the order page names the method later).
pub async fn record(
    stripe: &StripeClient,
    pool: &AnyPool,
    event: &Event,
) -> Result<Handled, ProcessError> {
    match copy_from_stripe(stripe, pool, event).await? {
        Some(handled) => Ok(handled),
        None => Ok(webhook::handle(pool, event, false).await?),
    }
}

/// Who a customer is, and what was refunded: copied from Stripe's current
/// state, not from the event. `None` for the other kinds.
async fn copy_from_stripe(
    stripe: &StripeClient,
    pool: &AnyPool,
    event: &Event,
) -> Result<Option<Handled>, CopyError> {
    Ok(if event.kind.is_about_a_customer() {
        Some(customer_events::handle(stripe, pool, event).await?)
    } else if event.kind.is_about_refunds() {
        Some(refund_events::handle(stripe, pool, event).await?)
    } else {
        None
    })
}

/// Work an event leaves once it is recorded, run in the background.
fn follow_up(state: &AppState, event: &Event, handled: Handled) {
    // The order history names the method (card brand, bank).
    let applied_with_a_method = event
        .payment_intent()
        .filter(|intent| handled == Handled::Applied && intent.payment_method.is_some());
    if let Some(intent) = applied_with_a_method {
        let (state, intent) = (state.clone(), intent.id.clone());
        tokio::spawn(async move {
            if let Err(err) = checkout::describe_intent_payment_method(&state, &intent).await {
                tracing::warn!(%err, intent, "could not name the payment method");
            }
        });
    }
    // A card saved again replaces its older copy (no look-alikes in the
    // Payment Element). Duplicate events find nothing more to do.
    let attached = (handled == Handled::Ignored && event.kind == EventKind::PaymentMethodAttached)
        .then(|| event.customer_id())
        .flatten();
    if let Some(customer) = attached {
        let (stripe, customer) = (state.stripe.clone(), customer.to_owned());
        tokio::spawn(async move {
            match saved_methods::forget_duplicate_cards(&stripe, &customer).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(customer, n, "older copies of a card saved again detached"),
                Err(err) => tracing::warn!(%err, customer, "could not tidy the saved cards"),
            }
        });
    }
}
