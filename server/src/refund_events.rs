//! Stripe's refund events (`charge.refunded`, `refund.created`,
//! `refund.updated`, `refund.failed`): the order copies Stripe's refunds of
//! its payment (`refunds::apply_in`), in the transaction that records the
//! event, so each event acts once and a late one never undoes a newer state.

use sqlx::AnyPool;

use shop::server::stripe::StripeClient;
use shop::server::{db, order_store, refunds};

use crate::webhook::{self, CopyError, Event, Handled};

/// Records `event` and copies the refunds of its payment into its order.
pub async fn handle(
    stripe: &StripeClient,
    pool: &AnyPool,
    event: &Event,
) -> Result<Handled, CopyError> {
    if webhook::seen(pool, event).await? {
        return Ok(Handled::Duplicate);
    }
    // A charge and a refund both name their PaymentIntent.
    let intent = event.payment_intent_id();
    let order = match intent {
        Some(intent) => order_store::by_payment_intent(pool, intent).await?,
        None => None,
    };
    // Stripe's list now, asked before the transaction (no lock waits on Stripe).
    let refunds = match (&order, intent) {
        (Some(_), Some(intent)) => Some(stripe.list_refunds(intent).await?),
        _ => None,
    };
    let mut tx = db::write_transaction(pool).await?;
    if !webhook::claim_in(
        &mut tx,
        event,
        intent,
        order.as_ref().map(|o| o.id),
        Handled::Ignored,
    )
    .await?
    {
        return Ok(Handled::Duplicate);
    }
    let (Some(order), Some(refunds)) = (order, refunds) else {
        tx.commit().await?;
        return Ok(Handled::Ignored);
    };
    let synced = refunds::apply_in(&mut tx, &order, &refunds).await?;
    let handled = webhook::record_outcome_in(&mut tx, event, synced.changed()).await?;
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, order = order.id, ?synced, "refunds copied");
    Ok(handled)
}
