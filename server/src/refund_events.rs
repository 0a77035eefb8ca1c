//! Stripe's refund events (`charge.refunded`, `refund.created`,
//! `refund.updated`, `refund.failed`): the order copies Stripe's refunds of
//! its payment (`refunds::apply_in`), in the transaction that records the
//! event, so each event acts once and a late one never undoes a newer state.

use sqlx::AnyPool;

use app::server::stripe::{StripeClient, StripeError};
use app::server::{db, orders, refunds};

use crate::webhook::{Event, Handled};

/// The refund events the shop acts on.
pub const REFUND_EVENTS: [&str; 4] = [
    "charge.refunded",
    "refund.created",
    "refund.updated",
    "refund.failed",
];

pub fn is_refund_event(kind: &str) -> bool {
    REFUND_EVENTS.contains(&kind)
}

#[derive(Debug, thiserror::Error)]
pub enum RefundEventError {
    #[error("reading the refunds from Stripe: {0}")]
    Stripe(#[from] StripeError),
    #[error("recording the event: {0}")]
    Database(#[from] sqlx::Error),
}

/// Records `event` and copies the refunds of its payment into its order.
pub async fn handle(
    stripe: &StripeClient,
    pool: &AnyPool,
    event: &Event,
) -> Result<Handled, RefundEventError> {
    let seen: Option<i64> = sqlx::query_scalar("SELECT 1 FROM stripe_events WHERE id = $1")
        .bind(&event.id)
        .fetch_optional(pool)
        .await?;
    if seen.is_some() {
        return Ok(Handled::Duplicate);
    }
    // A charge and a refund both name their PaymentIntent.
    let intent = event.data.object["payment_intent"].as_str();
    let order = match intent {
        Some(intent) => orders::by_payment_intent(pool, intent).await?,
        None => None,
    };
    // Stripe's list now, asked before the transaction (no lock waits on Stripe).
    let refunds = match (&order, intent) {
        (Some(_), Some(intent)) => Some(stripe.list_refunds(intent).await?),
        _ => None,
    };
    let mut tx = db::write_transaction(pool).await?;
    let claimed = sqlx::query(
        "INSERT INTO stripe_events (id, type, payment_intent_id, order_id, outcome, received_at)
         VALUES ($1, $2, $3, $4, 'ignored', $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.kind)
    .bind(intent)
    .bind(order.as_ref().map(|o| o.id))
    .bind(app::server::now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(Handled::Duplicate);
    }
    let (Some(order), Some(refunds)) = (order, refunds) else {
        tx.commit().await?;
        return Ok(Handled::Ignored);
    };
    let synced = refunds::apply_in(&mut tx, &order, &refunds).await?;
    sqlx::query("UPDATE stripe_events SET outcome = $1 WHERE id = $2")
        .bind(if synced.changed() {
            "applied"
        } else {
            "unchanged"
        })
        .bind(&event.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, order = order.id, ?synced, "refunds copied");
    Ok(if synced.changed() {
        Handled::Applied
    } else {
        Handled::Unchanged
    })
}
